"""Hugging Face transformers backend (NLLB/M2M100, Marian, T5/MADLAD-400).

Loads weights from safetensors unless pickle is allowed, never runs remote
code unless asked, and turns every loading failure into a short message.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Sequence
from pathlib import Path

from translate.errors import ModelError, ModelNotAvailableError, UnsafeModelError
from translate.mt.devices import cpu_threads
from translate.mt.families import (
    DEFAULT_CODES,
    TokenizerLanguages,
    detect_family,
)
from translate.mt.registry import ResolvedModel, hub_reachable, offline_mode
from translate.mt.translator import Generated, ModelTranslator, TranslationOptions

logger = logging.getLogger("translate")

PICKLE_WEIGHTS = ("pytorch_model.bin", "pytorch_model.bin.index.json")
SAFE_WEIGHTS = ("model.safetensors", "model.safetensors.index.json")


def check_model_dir(path: Path, allow_pickle: bool) -> None:
    """Refuse a local model directory that is incomplete or needs pickle.

    Raises:
        ModelError: config or weights missing, or config not valid JSON.
        UnsafeModelError: only pickle weights and ``allow_pickle`` is off.
    """
    config = path / "config.json"
    if not config.is_file():
        raise ModelError(f"{path}: no config.json; not a Hugging Face model directory")
    try:
        json.loads(config.read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelError(
            f"{path}/config.json is not valid JSON ({exc}); the download may be corrupt"
        ) from exc
    has_safe = any((path / f).is_file() for f in SAFE_WEIGHTS) or any(path.glob("*.safetensors"))
    has_pickle = any((path / f).is_file() for f in PICKLE_WEIGHTS)
    if not has_safe and has_pickle and not allow_pickle:
        raise UnsafeModelError(
            f"{path} has only pickle weights (pytorch_model.bin), which can run code when loaded. "
            "Convert them to safetensors, or pass --allow-pickle if you trust where they came from."
        )
    if not has_safe and not has_pickle:
        raise ModelError(f"{path}: no weights found (expected model.safetensors)")
    check_generation_config(path / "generation_config.json")


# generation_config.json fields that change how a translation is generated,
# with the lowest value allowed (null: the default). Others are left to transformers.
_GENERATION_INTS = {
    "max_length": 1,
    "max_new_tokens": 1,
    "min_length": 0,
    "min_new_tokens": 0,
    "num_beams": 1,
    "num_beam_groups": 1,
    "num_return_sequences": 1,
    "no_repeat_ngram_size": 0,
    "encoder_no_repeat_ngram_size": 0,
    "top_k": 0,
}
_GENERATION_FLOATS = {  # (lowest, highest, lowest excluded)
    "temperature": (0.0, None, False),
    "top_p": (0.0, 1.0, False),
    "repetition_penalty": (0.0, None, True),
    "encoder_repetition_penalty": (0.0, None, True),
    "length_penalty": (None, None, False),
    "diversity_penalty": (0.0, None, False),
}
_GENERATION_TOKENS = (
    "bos_token_id",
    "eos_token_id",
    "pad_token_id",
    "decoder_start_token_id",
    "forced_bos_token_id",
    "forced_eos_token_id",
)


def check_generation_config(config: Path) -> None:
    """Refuse a ``generation_config.json`` that transformers would ignore (not
    JSON) or fail on only when translating (``"num_beams": "x"``,
    ``"max_new_tokens": 0``, a negative length, a token id that is not one).
    A missing file is fine: transformers uses the model config.

    Raises:
        ModelError: ``DIR: generation_config.json ...``, what is wrong.
    """
    if not config.is_file():
        return
    where = f"{config.parent}: generation_config.json"
    try:
        data = json.loads(config.read_text("utf-8"))
    except (OSError, ValueError, RecursionError) as exc:
        detail = " ".join(str(exc).split())[:120] if not isinstance(exc, RecursionError) else ""
        raise ModelError(
            f"{where} is not valid JSON{f' ({detail})' if detail else ''}; the download may be "
            "corrupt: fetch the model again or remove the file"
        ) from exc
    if not isinstance(data, dict):
        raise ModelError(f"{where} is not a JSON object; fetch the model again or remove the file")

    def bad(key: str, want: str) -> ModelError:
        shown = json.dumps(data[key])
        shown = shown if len(shown) <= 40 else shown[:37] + "..."
        return ModelError(f"{where}: {key} is {shown}, not {want}; fix or remove the file")

    def is_int(v: object) -> bool:
        return isinstance(v, int) and not isinstance(v, bool)

    for key, low in _GENERATION_INTS.items():
        if data.get(key) is None:
            continue
        if not is_int(data[key]) or data[key] < low:
            raise bad(key, f"a whole number >= {low}")
    for key, (low, high, open_low) in _GENERATION_FLOATS.items():
        if key not in data or data[key] is None:
            continue
        v = data[key]
        ok = (is_int(v) or isinstance(v, float)) and math.isfinite(v)
        ok = ok and (low is None or (v > low if open_low else v >= low))
        ok = ok and (high is None or v <= high)
        if not ok:
            lo = "" if low is None else f"{'>' if open_low else '>='} {low:g}"
            hi = "" if high is None else f"<= {high:g}"
            raise bad(key, f"a number {' and '.join(x for x in (lo, hi) if x)}".rstrip())
    for key in ("do_sample",):
        if key in data and not isinstance(data[key], bool):
            raise bad(key, "true or false")
    if "early_stopping" in data and not (
        isinstance(data["early_stopping"], bool) or data["early_stopping"] == "never"
    ):
        raise bad("early_stopping", 'true, false or "never"')
    for key in _GENERATION_TOKENS:
        v = data.get(key)
        ids = v if isinstance(v, list) else [v]
        if v is not None and not (ids and all(is_int(x) and x >= 0 for x in ids)):
            raise bad(key, "a token id (a whole number >= 0, or a list of them)")
    for low_key, high_key in (("min_length", "max_length"), ("min_new_tokens", "max_new_tokens")):
        low, high = data.get(low_key), data.get(high_key)
        if is_int(low) and is_int(high) and low > high:
            raise ModelError(
                f"{where}: {low_key} {low} is above {high_key} {high}; fix or remove the file"
            )


def _hub_generation_config(model: ResolvedModel) -> None:
    """Check the cached ``generation_config.json`` of a hub model, if any."""
    try:
        from huggingface_hub import try_to_load_from_cache

        found = try_to_load_from_cache(
            model.location, "generation_config.json", revision=model.revision
        )
    except Exception:  # an odd cache: transformers has loaded from it already
        return
    if isinstance(found, str):
        check_generation_config(Path(found))


def _offline_message(
    model: ResolvedModel,
    exc: BaseException,
    local_use: str = "translate run ARTICLE --model /path/to/model",
) -> str:
    import os

    name = model.info.name if model.info else model.location
    detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    if offline_mode():
        # offline by the user's choice: the cache was the only place looked in
        try:
            from huggingface_hub import constants

            cache = constants.HF_HUB_CACHE
        except ImportError:  # pragma: no cover - transformers depends on it
            cache = os.environ.get("HF_HOME") or "~/.cache/huggingface"
        last = (
            "  - or, if it is in another Hugging Face cache, point HF_HOME there "
            f"({cache} was looked in)"
        )
        where = "is not in the Hugging Face cache (HF_HUB_OFFLINE is set)"
    else:
        last = "  - or, if it is in the Hugging Face cache already, set HF_HUB_OFFLINE=1"
        where = "is not available locally and could not be downloaded"
    return (
        f"model {model.location!r} {where} ({detail[:200]}).\n"
        "To proceed, either:\n"
        f"  - download it once where the hub is reachable: translate models fetch {name}\n"
        f"  - or pass a local directory: {local_use}\n" + last
    )


class TransformersTranslator(TokenizerLanguages, ModelTranslator):
    backend = "transformers"

    def __init__(self, model: ResolvedModel, options: TranslationOptions):
        import torch
        from transformers import AutoConfig, AutoModelForSeq2SeqLM, AutoTokenizer

        self.model_ref = model
        kwargs: dict[str, object] = {"trust_remote_code": options.trust_remote_code}
        if model.revision and not model.local:
            kwargs["revision"] = model.revision
        if model.local:
            check_model_dir(Path(model.location), options.allow_pickle)
        else:
            _hub_generation_config(model)  # when cached: checked before transformers reads it
            if not hub_reachable():
                # No network: use the Hugging Face cache only, instead of retrying for half a minute.
                kwargs["local_files_only"] = True
        try:
            config = AutoConfig.from_pretrained(model.location, **kwargs)
            tokenizer = AutoTokenizer.from_pretrained(model.location, **kwargs)
            weights_kwargs = dict(kwargs)
            if not options.allow_pickle:
                weights_kwargs["use_safetensors"] = True
            net = AutoModelForSeq2SeqLM.from_pretrained(model.location, **weights_kwargs)
        except (ModelError, KeyboardInterrupt):
            raise
        except Exception as exc:  # transformers/hub raise OSError, ValueError, HTTP errors...
            text = str(exc)
            if not model.local and ("safetensors" in text.lower() and "pytorch_model" in text):
                raise UnsafeModelError(
                    f"{model.location} publishes only pickle weights; pass --allow-pickle if you "
                    "trust it, or use a safetensors copy"
                ) from exc
            if not model.local:
                raise ModelNotAvailableError(_offline_message(model, exc)) from exc
            raise ModelError(
                f"cannot load the model in {model.location}: {text.splitlines()[0] if text else exc!r}"
            ) from exc

        if not model.local:
            _hub_generation_config(model)  # downloaded just now
        tokenizer_class = type(tokenizer).__name__
        self.family = (
            model.info.family if model.info else detect_family(config.model_type, tokenizer_class)
        )
        self.codes = dict(model.info.languages) if model.info else dict(DEFAULT_CODES[self.family])
        self.vocab = set(tokenizer.get_vocab())

        device = options.device
        if device == "auto":
            device = "cuda" if torch.cuda.is_available() else "cpu"
        if device == "cuda" and not torch.cuda.is_available():
            raise ModelError("--device cuda was asked for but no CUDA GPU is available")
        self.device = device
        self.threads = None
        if device == "cuda":
            self.dtype = torch.bfloat16 if options.compute_type == "bfloat16" else torch.float16
        else:
            self.dtype = torch.float32
            # torch starts with the physical core count (or OMP_NUM_THREADS), not
            # this process's CPUs or --threads; its intra-op pool is per process,
            # so it is set once, at load.
            self.threads = cpu_threads(options.threads)
            if torch.get_num_threads() != self.threads:
                torch.set_num_threads(self.threads)
        self.torch = torch
        self.tokenizer = tokenizer
        self.net = net.to(device=device, dtype=self.dtype).eval()

        max_in = model.info.max_input_tokens if model.info else _limit(tokenizer, config)
        max_out = model.info.max_output_tokens if model.info else _limit(tokenizer, config)
        super().__init__(options, max_in, max_out)

    def generate(
        self, texts: Sequence[str], src: str, tgt: str, max_new_tokens: int
    ) -> list[Generated]:
        torch = self.torch
        setup = self._setup(src, tgt)
        enc = self.tokenizer(
            [setup.source_prefix + t for t in texts], return_tensors="pt", padding=True
        ).to(self.device)
        beam = self.options.beam
        recorder = _ScoreRecorder(torch, beam)
        gen_kwargs: dict[str, object] = {
            "max_new_tokens": max_new_tokens,
            "num_beams": beam,
            "do_sample": False,
            "return_dict_in_generate": True,
            # Not output_scores: it keeps a (rows x vocabulary) tensor per step,
            # gigabytes for NLLB's 256k vocabulary; the recorder keeps the top few.
            "logits_processor": _processor_list([recorder]),
            # Marian configs force </s> at the length limit, which would hide a cut:
            # let the limit show (and be flagged) instead.
            "forced_eos_token_id": None,
        }
        if self.force_length:
            gen_kwargs["min_new_tokens"] = max_new_tokens
        if setup.forced_bos_token is not None:
            gen_kwargs["forced_bos_token_id"] = self.tokenizer.convert_tokens_to_ids(
                setup.forced_bos_token
            )
        with torch.inference_mode():
            out = self.net.generate(**enc, **gen_kwargs)
            trans = recorder.token_scores(out.sequences, getattr(out, "beam_indices", None))
        seqs = out.sequences[:, 1:].cpu()  # drop the decoder start token; one copy off the GPU
        pad = self.tokenizer.pad_token_id
        eos = self.tokenizer.eos_token_id
        skip_first = setup.forced_bos_token is not None
        results = []
        texts_out = self.tokenizer.batch_decode(seqs, skip_special_tokens=True)
        for row, text in enumerate(texts_out):
            ids = seqs[row].tolist()
            n = len(ids)
            while n and ids[n - 1] == pad:
                n -= 1
            ended = n > 0 and ids[n - 1] == eos
            content = n - (1 if ended else 0) - (1 if skip_first else 0)
            hit = n >= max_new_tokens
            s = trans[row, (1 if skip_first else 0) : n].float()
            s = s[torch.isfinite(s)]
            score = float(s.mean()) if s.numel() else None
            results.append(Generated(text=text, score=score, length=max(0, content), hit_limit=hit))
        return results

    def is_out_of_memory(self, exc: BaseException) -> bool:
        return isinstance(exc, self.torch.cuda.OutOfMemoryError)

    def release_memory(self) -> None:
        if self.device == "cuda":
            import gc

            gc.collect()  # tensors caught in reference cycles, before the cache is emptied
            self.torch.cuda.empty_cache()

    def describe(self) -> dict[str, object]:
        return {
            "model": self.model_ref.model_id,
            "revision": self.model_ref.revision,
            "backend": self.backend,
            "device": self.device,
            "dtype": str(self.dtype).replace("torch.", ""),
            "family": self.family,
            "threads": self.threads,  # None on CUDA
            "beam": self.options.beam,
            "max_input_tokens": self.max_input_tokens,
            "max_output_tokens": self.max_output_tokens,
        }


def _processor_list(items):
    from transformers import LogitsProcessorList

    return LogitsProcessorList(items)


class _ScoreRecorder:
    """A logits processor (run last) that keeps, per decoding step and row, the
    top ``2 x beam`` log-probabilities: enough to know the score of every token
    beam search or greedy search can choose, in a few kilobytes.

    transformers calls it at every step; :meth:`token_scores` then gives the
    same numbers as ``compute_transition_scores`` on full scores.
    """

    def __init__(self, torch, beam: int):
        self.torch = torch
        self.beam = beam
        self.k = max(1, 2 * beam)
        self.steps: list[tuple[object, object]] = []

    def __call__(self, input_ids, scores):
        torch = self.torch
        logp = scores if self.beam > 1 else torch.log_softmax(scores.float(), dim=-1)
        values, indices = torch.topk(logp.float(), min(self.k, logp.shape[-1]), dim=-1)
        self.steps.append((values, indices))
        return scores

    def token_scores(self, sequences, beam_indices):
        """Log-probability of each generated token (``-inf`` where unknown): rows x
        steps, on the CPU (worked out on the model's device, then moved once)."""
        torch = self.torch
        rows, steps = sequences.shape[0], len(self.steps)
        device = sequences.device
        out = torch.full((rows, steps), float("-inf"), device=device)
        start = sequences.shape[1] - steps if beam_indices is None else 1
        for t, (values, indices) in enumerate(self.steps):
            pos = start + t
            if pos >= sequences.shape[1]:
                break
            tok = sequences[:, pos]
            if beam_indices is None:
                src_rows = torch.arange(rows, device=device)
            else:
                if t >= beam_indices.shape[1]:
                    break
                src_rows = beam_indices[:, t]
            ok = src_rows >= 0
            safe = src_rows.clamp(min=0)
            hit = indices[safe] == tok[:, None]
            found = hit.any(dim=-1) & ok
            val = torch.where(hit, values[safe], torch.zeros_like(values[safe])).sum(dim=-1)
            out[found, t] = val[found]
        return out.cpu()


def _limit(tokenizer, config) -> int:
    n = getattr(tokenizer, "model_max_length", None)
    if isinstance(n, int) and 0 < n < 100_000:
        return n
    n = getattr(config, "max_position_embeddings", None)
    return int(n) if n else 512


def load(model: ResolvedModel, options: TranslationOptions) -> TransformersTranslator:
    if options.trust_remote_code:
        logger.warning("trust_remote_code is on: code shipped with %s may run", model.location)
    return TransformersTranslator(model, options)
