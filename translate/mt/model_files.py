"""Checks of a model's files before they are loaded: safetensors rather than
pickle, the files a model needs, and a ``generation_config.json`` whose values
make sense (transformers ignores a broken one silently, or fails mid-run)."""

from __future__ import annotations

import json
import math
from pathlib import Path

from translate.errors import ModelError, UnsafeModelError
from translate.mt.registry import ResolvedModel

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
