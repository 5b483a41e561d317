"""CTranslate2 backend: converted models (int8 on CPU, float16 on GPU).

A converted model directory holds CTranslate2's ``model.bin``, the original
Hugging Face tokenizer under ``tokenizer/`` and ``translate-ct2.json`` (family,
language codes, length limits, where it came from). Length limits are always
passed explicitly: CTranslate2's defaults (input cut at 1024 tokens, output at
256) are never relied on.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Sequence
from pathlib import Path

from translate.errors import ModelError, UsageError
from translate.mt.backends.convert import (
    META,
    TOKENIZER_DIR,
    VMAP,
    _vmap_keys,
    load_tokenizer,
)
from translate.mt.devices import cpu_threads
from translate.mt.families import (
    DEFAULT_CODES,
    LanguageSetup,
    TokenizerLanguages,
    language_setup,
)
from translate.mt.options import repetition_settings
from translate.mt.registry import ResolvedModel
from translate.mt.translator import Generated, ModelTranslator, TranslationOptions

logger = logging.getLogger("translate")

# CPU batches hold at most this many beam-expanded tokens (beam x batch size x
# longest input): translating 96 news sentences with NLLB-600M in int8, two
# workers, beam 4, the peak RSS is 1.36 GB (2.34 GB with a 4096-token budget
# and 32 sentences a batch), for a few percent of speed at most
# (benchmarks/README.md).
CPU_BATCH_ROW_TOKENS = 1024


class CTranslate2Translator(TokenizerLanguages, ModelTranslator):
    backend = "ctranslate2"

    def __init__(self, model: ResolvedModel, options: TranslationOptions):
        import ctranslate2

        path = Path(model.location)
        meta_file = path / META
        if not meta_file.is_file() or not (path / TOKENIZER_DIR).is_dir():
            raise ModelError(
                f"{path} is a CTranslate2 model without {META} and {TOKENIZER_DIR}/; "
                "convert it with 'translate models convert'"
            )
        self.meta = json.loads(meta_file.read_text("utf-8"))
        self.model_ref = model
        self.tokenizer = load_tokenizer(path / TOKENIZER_DIR)
        # Batches are decoded from several threads; a Hugging Face tokenizer
        # may reconfigure itself on each call and is not safe to share
        # (transformers#47085), so every use of it takes this lock.
        self.tokenizer_lock = threading.Lock()
        self.family = self.meta["family"]
        self.codes = dict(self.meta.get("languages") or DEFAULT_CODES[self.family])
        self.vocab = set(self.tokenizer.get_vocab())
        device = options.device
        if device == "auto":
            device = "cuda" if ctranslate2.get_cuda_device_count() > 0 else "cpu"
        if device == "cuda" and ctranslate2.get_cuda_device_count() == 0:
            raise ModelError("--device cuda was asked for but CTranslate2 sees no CUDA GPU")
        compute_type = options.compute_type
        if compute_type == "auto":
            compute_type = "int8_float16" if device == "cuda" else "int8"
        supported = ctranslate2.get_supported_compute_types(device)
        if compute_type not in supported:
            raise UsageError(
                f"compute type {compute_type!r} is not supported on {device} "
                f"(supported: {', '.join(sorted(supported))})"
            )
        threads = cpu_threads(options.threads)
        workers = 1
        if device == "cpu":
            # Two workers share the threads evenly; an odd count stays whole.
            workers = options.parallel_batches or (2 if threads % 2 == 0 else 1)
            workers = min(workers, threads)
        try:
            self.ct = ctranslate2.Translator(
                str(path),
                device=device,
                compute_type=compute_type,
                intra_threads=max(1, threads // workers),
                inter_threads=workers,
            )
        except (RuntimeError, ValueError) as exc:
            raise ModelError(f"cannot load the CTranslate2 model in {path}: {exc}") from exc
        self.device, self.compute_type, self.threads = device, compute_type, threads
        self.concurrency = workers
        self.use_vmap = options.shortlist and (path / VMAP).is_file()
        # the source tokens the shortlist has a list for (a direction's language
        # code); a source with none (such as Russian in a conversion made before
        # it had one) decodes without the shortlist rather than with no letters
        self.vmap_keys = _vmap_keys(path / VMAP) if self.use_vmap else set()
        super().__init__(
            options, int(self.meta["max_input_tokens"]), int(self.meta["max_output_tokens"])
        )

    def default_batch_tokens(self) -> int:
        if self.device != "cpu":
            return super().default_batch_tokens()
        # Memory grows with beam x batch x length (float32 attention caches), so
        # on CPU the budget is one of beam-expanded tokens.
        return max(32, CPU_BATCH_ROW_TOKENS // self.options.beam)

    def count_tokens(self, texts: Sequence[str], src: str, tgt: str) -> list[int]:
        with self.tokenizer_lock:
            return super().count_tokens(texts, src, tgt)

    def _tokens(self, texts: Sequence[str], setup: LanguageSetup) -> list[list[str]]:
        enc = self.tokenizer([setup.source_prefix + t for t in texts], add_special_tokens=True)
        return [self.tokenizer.convert_ids_to_tokens(ids) for ids in enc["input_ids"]]

    def generate(
        self, texts: Sequence[str], src: str, tgt: str, max_new_tokens: int
    ) -> list[Generated]:
        with self.tokenizer_lock:
            setup = self._setup(src, tgt)
            tokens = self._tokens(texts, setup)
        prefix = [setup.forced_bos_token] if setup.forced_bos_token else None
        try:
            results = self.ct.translate_batch(
                tokens,
                target_prefix=[prefix] * len(texts) if prefix else None,
                beam_size=self.options.beam,
                max_input_length=0,  # inputs were split to the model's limit already
                max_decoding_length=max_new_tokens,
                min_decoding_length=max_new_tokens if self.force_length else 1,
                return_scores=True,
                use_vmap=self.use_vmap and setup.tokenizer_src_lang in self.vmap_keys,
                no_repeat_ngram_size=self.options.no_repeat_ngram_size,
                repetition_penalty=self.options.repetition_penalty,
            )
        except RuntimeError as exc:
            if "libcublas" in str(exc):  # the wheel's CUDA libraries, found only at first use
                raise ModelError(
                    f"CTranslate2 cannot use the GPU: {exc}. Its wheels need CUDA 12's cuBLAS: "
                    "pip install nvidia-cublas-cu12, or run with --device cpu"
                ) from exc
            raise
        out = []
        skip = len(prefix) if prefix else 0
        hyps = [r.hypotheses[0] for r in results]
        with self.tokenizer_lock:  # one hold for the batch, not one per sentence
            texts_out = [
                self.tokenizer.decode(
                    self.tokenizer.convert_tokens_to_ids(h[skip:]), skip_special_tokens=True
                )
                for h in hyps
            ]
        for r, hyp, text in zip(results, hyps, texts_out):
            content = hyp[skip:]
            # CTranslate2's score is the log-probability summed over the hypothesis
            # (prefix included, at 0) divided by its length: make it a mean over content.
            score = r.scores[0] * len(hyp) / max(1, len(content)) if r.scores else None
            out.append(
                Generated(
                    text=text,
                    score=score,
                    length=len(content),
                    hit_limit=len(hyp) >= max_new_tokens,
                )
            )
        return out

    def is_out_of_memory(self, exc: BaseException) -> bool:
        return isinstance(exc, RuntimeError) and "out of memory" in str(exc).lower()

    def _shortlist_state(self) -> str | None:
        """``on``, or ``on-except-`` and the source languages that decode
        without it (Russian, in a conversion made before it had a list)."""
        if not self.use_vmap:
            return None
        missing = []
        for src in ("kk", "en", *self.extra_sources()):
            try:
                setup = language_setup(
                    self.family, self.codes, src, "kk" if src == "en" else "en", self.vocab
                )
            except ModelError:  # a model without this direction
                continue
            if setup.tokenizer_src_lang and setup.tokenizer_src_lang not in self.vmap_keys:
                missing.append(setup.tokenizer_src_lang)
        return f"on-except-{'+'.join(missing)}" if missing else "on"

    def describe(self) -> dict[str, object]:
        return {
            "model": self.meta.get("source_model") or self.model_ref.location,
            "revision": self.meta.get("revision"),
            "backend": self.backend,
            "device": self.device,
            "dtype": self.compute_type,
            "family": self.family,
            "shortlist": self._shortlist_state(),
            "threads": self.threads if self.device == "cpu" else None,
            "parallel_batches": self.concurrency if self.concurrency > 1 else None,
            "beam": self.options.beam,
            "max_input_tokens": self.max_input_tokens,
            "max_output_tokens": self.max_output_tokens,
            **repetition_settings(self.options),
        }


def load(model: ResolvedModel, options: TranslationOptions) -> CTranslate2Translator:
    return CTranslate2Translator(model, options)
