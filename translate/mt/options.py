"""How a model translates: decoding, batching and loading options, validated once."""

from __future__ import annotations

from dataclasses import dataclass

from translate.errors import UsageError

LANGUAGES = ("kk", "en")
DEVICES = ("auto", "cpu", "cuda")
DEFAULT_BATCH_TOKENS = 4096
DEFAULT_MAX_BATCH = 32
# On a GPU, 64-sentence batches decoded 1.4-1.6x the tokens/s of 32-sentence
# ones (CTranslate2 fp16, NLLB-600M, H200; benchmarks/README.md); a batch
# that does not fit is halved and retried.
GPU_BATCH_TOKENS = 8192
GPU_MAX_BATCH = 64
COMPUTE_TYPES = ("auto", "int8", "int8_float16", "int8_float32", "float16", "bfloat16", "float32")


@dataclass(frozen=True)
class TranslationOptions:
    """Decoding and batching options, validated once.

    Attributes:
        beam: Beam size (1 is greedy).
        batch_tokens: Token budget of one batch (longest input x batch size);
            0 lets the backend choose (4096, 8192 on a GPU; CTranslate2 on CPU
            keeps the beam-expanded batch under :data:`translate.mt.backends.ct2.CPU_BATCH_ROW_TOKENS` to
            bound memory).
        max_batch_size: Upper bound on sentences per batch; 0 lets the
            backend choose (32, 64 on a GPU).
        max_input_tokens: Input limit; ``None`` takes the model's. Longer
            sentences are split at clause boundaries (flag ``split``).
        max_output_tokens: Hard output limit; ``None`` takes the model's.
        output_ratio, output_margin: A first output limit of
            ``ratio * input_tokens + margin`` (capped by the hard limit); an
            output that reaches it is decoded again with the hard limit, and
            flagged ``truncated`` if it reaches that too.
        strict: Raise instead of flagging a truncated translation.
        device: ``auto`` (CUDA when available), ``cpu`` or ``cuda``.
        allow_pickle: Allow pickle weights (``pytorch_model.bin``).
        trust_remote_code: Allow code shipped with a model to run.
        compute_type: CTranslate2 compute type (``auto`` picks the fastest
            the device supports; int8 on CPU) and the transformers dtype on
            CUDA (float16 or bfloat16).
        threads: CPU threads (0: all cores, or ``OMP_NUM_THREADS`` when set).
        parallel_batches: CTranslate2 on CPU: batches decoded at once, each
            by its own model worker sharing the weights and ``threads``
            (0: 2 for an even number of threads, else 1). Outputs do not
            depend on it.
        shortlist: Let a CTranslate2 model restrict the output layer to the
            target language's tokens when its conversion holds a shortlist
            (``vmap.txt``, written by ``translate models convert``).
        no_repeat_ngram_size: Forbid repeating any n-gram of this many tokens
            in an output (0: off). Both backends.
        repetition_penalty: Divide the score of tokens already in the output
            by this (1.0: off; above 1 discourages repeats). Both backends.
            Off by default, as in CTranslate2 and transformers: an output that
            loops is flagged ``repetition`` and not decoded again
            (``docs/speed.md`` says how the settings were measured).
    """

    beam: int = 4
    batch_tokens: int = 0
    max_batch_size: int = 0
    max_input_tokens: int | None = None
    max_output_tokens: int | None = None
    output_ratio: float = 2.0
    output_margin: int = 16
    strict: bool = False
    device: str = "auto"
    allow_pickle: bool = False
    trust_remote_code: bool = False
    compute_type: str = "auto"
    threads: int = 0
    parallel_batches: int = 0
    shortlist: bool = True
    no_repeat_ngram_size: int = 0
    repetition_penalty: float = 1.0

    def __post_init__(self) -> None:
        if self.compute_type not in COMPUTE_TYPES:
            raise UsageError(
                f"compute type {self.compute_type!r} is not one of {', '.join(COMPUTE_TYPES)}"
            )
        if self.threads < 0:
            raise UsageError(f"threads must be 0 (all cores) or more (got {self.threads})")
        if self.parallel_batches < 0:
            raise UsageError(
                f"parallel batches must be 0 (automatic) or more (got {self.parallel_batches})"
            )
        if self.beam < 1:
            raise UsageError(f"beam must be at least 1 (got {self.beam})")
        if self.batch_tokens < 0 or self.max_batch_size < 0:
            raise UsageError("batch_tokens and max_batch_size must be 0 (automatic) or more")
        if self.max_input_tokens is not None and self.max_input_tokens < 4:
            raise UsageError(f"max_input_tokens must be at least 4 (got {self.max_input_tokens})")
        if self.max_output_tokens is not None and self.max_output_tokens < 1:
            raise UsageError(f"max_output_tokens must be at least 1 (got {self.max_output_tokens})")
        if self.output_ratio <= 0 or self.output_margin < 0:
            raise UsageError("output_ratio must be positive and output_margin not negative")
        if self.no_repeat_ngram_size < 0:
            raise UsageError(
                f"no_repeat_ngram_size must be 0 (off) or more (got {self.no_repeat_ngram_size})"
            )
        if not self.repetition_penalty > 0 or self.repetition_penalty == float("inf"):
            raise UsageError(
                f"repetition_penalty must be a positive finite number (got {self.repetition_penalty})"
            )
        if self.device not in DEVICES:
            raise UsageError(f"device {self.device!r} is not one of {', '.join(DEVICES)}")


def repetition_settings(options: TranslationOptions) -> dict[str, object]:
    """The repetition controls that differ from off, for ``describe()`` (and
    so for cache keys and run signatures); empty by default, so results made
    without them keep their keys."""
    out: dict[str, object] = {}
    if options.no_repeat_ngram_size:
        out["no_repeat_ngram_size"] = options.no_repeat_ngram_size
    if options.repetition_penalty != 1.0:
        out["repetition_penalty"] = options.repetition_penalty
    return out
