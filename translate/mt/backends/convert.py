"""Conversion of Hugging Face models to CTranslate2, and finding a conversion.

A converted model directory holds CTranslate2's ``model.bin``, the original
Hugging Face tokenizer under ``tokenizer/``, ``translate-ct2.json`` (family,
language codes, length limits, where it came from) and, for NLLB and M2M100,
the target-language shortlist ``vmap.txt``.
"""

from __future__ import annotations

import json
import logging
import shutil
from collections.abc import Sequence
from pathlib import Path

from translate.errors import ModelError, UsageError
from translate.mt.families import (
    DEFAULT_CODES,
    detect_family,
    language_setup,
)
from translate.mt.registry import ResolvedModel

logger = logging.getLogger("translate")

META = "translate-ct2.json"


TOKENIZER_DIR = "tokenizer"


TOKENIZER_FILES = (
    "tokenizer.json",
    "tokenizer_config.json",
    "special_tokens_map.json",
    "sentencepiece.bpe.model",
    "source.spm",
    "target.spm",
    "vocab.json",
    "spiece.model",
    "config.json",
    "generation_config.json",
)


QUANTIZATIONS = ("int8", "int8_float16", "int8_float32", "float16", "bfloat16", "float32")


def load_tokenizer(path: Path):
    """The tokenizer saved with a conversion, through its own class.

    ``AutoTokenizer`` would import torch (about 200 MB and a second of start-up)
    that the CTranslate2 path never uses; the class named in
    ``tokenizer_config.json`` does not.
    """
    import transformers

    try:
        name = json.loads((path / "tokenizer_config.json").read_text("utf-8"))["tokenizer_class"]
    except (OSError, ValueError, KeyError, TypeError):
        name = None
    cls = getattr(transformers, name, None) if isinstance(name, str) else None
    if not (isinstance(cls, type) and name.endswith(("Tokenizer", "TokenizerFast"))):
        cls = transformers.AutoTokenizer
    return cls.from_pretrained(path)


def is_ct2_dir(path: Path) -> bool:
    return (path / "model.bin").is_file()


VMAP = "vmap.txt"


def _letters_script(token: str) -> str:
    """``none`` (no letters: punctuation, digits), ``ascii``, ``cyrillic`` or ``other``."""
    letters = [c for c in token.replace("\u2581", "") if c.isalpha()]
    if not letters:
        return "none"
    if all(c.isascii() for c in letters):
        return "ascii"
    if all("\u0400" <= c <= "\u04ff" for c in letters):
        return "cyrillic"
    return "other"


# Target-language shortlists: the scripts a language's output is written in.
# Kazakh keeps ASCII for the Latin names and acronyms news text carries.
SHORTLIST_SCRIPTS = {"en": ("ascii",), "kk": ("cyrillic", "ascii")}


def build_vmap(
    vocabulary: Sequence[str],
    source_keys: dict[str, str],
    seen: dict[str, set[str]] | None = None,
) -> tuple[str, dict]:
    """A CTranslate2 vocabulary map that restricts the output to the target's scripts.

    ``source_keys`` maps a token that marks the direction in the source (NLLB's
    source language code) to the target language. Tokens without letters
    (punctuation, digits, special tokens) are always allowed. ``seen`` gives,
    for a target language, the tokens that text in that language uses: its list
    is then those tokens plus the single letters of its scripts (so any word can
    still be spelled), instead of every token of its scripts. Returns the file
    text and the size of each language's shortlist.
    """
    # the file separates tokens by spaces: a token holding whitespace cannot be listed
    vocabulary = [t for t in vocabulary if t and not any(c.isspace() for c in t)]
    scripts = [_letters_script(t) for t in vocabulary]
    always = [t for t, s in zip(vocabulary, scripts) if s == "none"]
    lines = ["\t" + " ".join(always)]
    sizes = {}
    for key, tgt in sorted(source_keys.items()):
        allowed = SHORTLIST_SCRIPTS[tgt]
        used = (seen or {}).get(tgt)
        tokens = [
            t
            for t, s in zip(vocabulary, scripts)
            if s in allowed and (used is None or t in used or len(t.replace("\u2581", "")) == 1)
        ]
        lines.append(f"{key}\t" + " ".join(tokens))
        sizes[tgt] = len(tokens) + len(always)
    return "\n".join(lines) + "\n", sizes


def _vmap_keys(path: Path) -> set[str]:
    """The source tokens that ``vmap.txt`` lists target tokens for."""
    keys = set()
    with open(path, encoding="utf-8") as f:
        for line in f:
            key = line.split("\t", 1)[0]
            if key:
                keys.add(key)
    return keys


def _tokens_used(tokenizer, path: Path) -> set[str]:
    """The tokens that the text in ``path`` (one sentence per line) is made of."""
    used: set[str] = set()
    try:
        lines = [x for x in path.read_text("utf-8").splitlines() if x.strip()]
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read shortlist text {path}: {exc}") from None
    if not lines:
        raise UsageError(f"shortlist text {path} is empty")
    for k in range(0, len(lines), 256):
        for ids in tokenizer(lines[k : k + 256], add_special_tokens=False)["input_ids"]:
            used.update(tokenizer.convert_ids_to_tokens(ids))
    return used


def _write_shortlist(
    output_dir: Path,
    family: str,
    codes: dict[str, str],
    tokenizer,
    texts: dict[str, Path] | None = None,
) -> dict:
    """Write ``vmap.txt`` for a model whose source names its language (NLLB, M2M100)."""
    if family not in ("nllb", "m2m100"):
        return {}
    vocab_file = output_dir / "shared_vocabulary.json"
    if vocab_file.is_file():
        vocabulary = json.loads(vocab_file.read_text("utf-8"))
    else:
        vocabulary = [t for t, _ in sorted(tokenizer.get_vocab().items(), key=lambda x: x[1])]
    known = set(vocabulary)
    keys = {}
    # Russian, Kyrgyz and Tatar are read in Kazakh articles only: their output is English
    for src, tgt in (("kk", "en"), ("en", "kk"), ("ru", "en"), ("ky", "en"), ("tt", "en")):
        try:
            setup = language_setup(family, codes, src, tgt, known)
        except ModelError:  # the model lacks this direction: no shortlist for it
            continue
        if setup.tokenizer_src_lang and setup.tokenizer_src_lang in known:
            keys[setup.tokenizer_src_lang] = tgt
    if not keys:
        return {}
    seen = {lang: _tokens_used(tokenizer, path) for lang, path in (texts or {}).items()}
    text, sizes = build_vmap(vocabulary, keys, seen)
    (output_dir / VMAP).write_text(text, "utf-8")
    return {"vocabulary": len(vocabulary), **sizes, "from_text": sorted(seen)}


def convert(
    model: ResolvedModel,
    output_dir: Path,
    quantization: str = "int8",
    force: bool = False,
    shortlist: bool = True,
    shortlist_texts: dict[str, Path] | None = None,
    allow_pickle: bool = False,
) -> Path:
    """Convert a Hugging Face model (NLLB/M2M100, Marian, T5) to CTranslate2.

    With ``shortlist`` (NLLB and M2M100), also write a vocabulary map that lets
    decoding consider only the target language's tokens (see :func:`build_vmap`);
    ``shortlist_texts`` (language -> file of text in it) narrows a language's
    list to the tokens that text uses.

    Raises:
        UsageError: unknown quantization, or the output exists without ``force``.
        UnsafeModelError: a local model with only pickle weights, without
            ``allow_pickle`` (loading pickle can run code).
        ModelError: the model cannot be converted.
    """
    from ctranslate2.converters import TransformersConverter

    if quantization not in QUANTIZATIONS:
        raise UsageError(f"quantization {quantization!r} is not one of {', '.join(QUANTIZATIONS)}")
    if output_dir.exists() and any(output_dir.iterdir()) and not force:
        raise UsageError(f"{output_dir} exists; pass --force to replace it")
    if model.local and is_ct2_dir(Path(model.location)):
        raise UsageError(f"{model.location} is already a CTranslate2 model")
    if model.local:
        from translate.mt.model_files import check_model_dir

        check_model_dir(Path(model.location), allow_pickle)
    for lang, path in (shortlist_texts or {}).items():
        if lang not in SHORTLIST_SCRIPTS:
            raise UsageError(f"shortlist text for {lang!r}: languages are en and kk")
        if not Path(path).is_file():
            raise UsageError(f"shortlist text {path} is not a file")
    from transformers import AutoConfig, AutoTokenizer

    kwargs = {} if model.local else {"revision": model.revision}
    try:
        config = AutoConfig.from_pretrained(model.location, **kwargs)
        tokenizer = AutoTokenizer.from_pretrained(model.location, **kwargs)
    except Exception as exc:  # not downloaded and no network, or not a model directory
        # nothing written yet: an earlier conversion in output_dir stays
        if not model.local:
            from translate.errors import ModelNotAvailableError
            from translate.mt.backends.hf import _offline_message

            raise ModelNotAvailableError(
                _offline_message(model, exc, "translate models convert /path/to/model")
            ) from exc
        raise ModelError(f"cannot convert {model.location}: {exc}") from exc
    try:
        TransformersConverter(
            model.location, revision=None if model.local else model.revision
        ).convert(str(output_dir), quantization=quantization, force=True)
    except Exception as exc:  # transformers and the converter raise many types
        shutil.rmtree(output_dir, ignore_errors=True)
        raise ModelError(f"cannot convert {model.location}: {exc}") from exc
    tok_dir = output_dir / TOKENIZER_DIR
    tokenizer.save_pretrained(tok_dir)
    config.save_pretrained(tok_dir)
    if model.local:
        for name in TOKENIZER_FILES:
            if (Path(model.location) / name).is_file() and not (tok_dir / name).exists():
                shutil.copy(Path(model.location) / name, tok_dir / name)
    family = (
        model.info.family
        if model.info
        else detect_family(config.model_type, type(tokenizer).__name__)
    )
    limit = getattr(tokenizer, "model_max_length", None)
    if not isinstance(limit, int) or not 0 < limit < 100_000:
        limit = getattr(config, "max_position_embeddings", 512) or 512
    codes = dict(model.info.languages) if model.info else DEFAULT_CODES[family]
    try:
        sizes = (
            _write_shortlist(output_dir, family, codes, tokenizer, shortlist_texts)
            if shortlist
            else {}
        )
    except UsageError:  # an unusable shortlist text: leave no half-made model behind
        shutil.rmtree(output_dir, ignore_errors=True)
        raise
    meta = {
        "name": model.info.name if model.info else None,
        "source_model": model.model_id,
        "revision": model.revision,
        "family": family,
        "languages": codes,
        "max_input_tokens": model.info.max_input_tokens if model.info else limit,
        "max_output_tokens": model.info.max_output_tokens if model.info else limit,
        "quantization": quantization,
        "shortlist": sizes or None,
    }
    (output_dir / META).write_text(json.dumps(meta, indent=2, ensure_ascii=False), "utf-8")
    return output_dir


def converted_copy(model: ResolvedModel) -> Path | None:
    """A CTranslate2 conversion of ``model`` (int8 first): in the store for a
    registry model, beside it (``PATH-ct2-int8``, where ``translate models
    convert PATH`` writes it) for a local directory. A conversion older than
    the weights it was made from is passed over, with a warning."""
    if model.local and is_ct2_dir(Path(model.location)):
        return Path(model.location)
    for q in QUANTIZATIONS:
        candidate = default_output_dir(model, q)
        if is_ct2_dir(candidate):
            if model.local and _older_than_source(candidate, Path(model.location)):
                import logging

                logging.getLogger("translate").warning(
                    "%s is older than the weights in %s: not used (convert again with "
                    "'translate models convert %s --force')",
                    candidate,
                    model.location,
                    model.location,
                )
                continue
            return candidate
    return None


def _older_than_source(converted: Path, source: Path) -> bool:
    made = (converted / "model.bin").stat().st_mtime
    weights = [
        f.stat().st_mtime
        for f in source.iterdir()
        if f.suffix in (".safetensors", ".bin") and f.is_file()
    ]
    return bool(weights) and max(weights) > made


def default_output_dir(model: ResolvedModel, quantization: str) -> Path:
    from translate.mt.registry import model_store

    if model.info is not None:
        return model_store() / f"{model.info.name}-ct2-{quantization}"
    return Path(f"{model.location.rstrip('/')}-ct2-{quantization}")
