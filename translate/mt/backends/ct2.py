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
import shutil
import threading
from collections.abc import Sequence
from pathlib import Path

from translate.errors import ModelError, UsageError
from translate.mt.backends import cpu_threads
from translate.mt.families import (
    DEFAULT_CODES,
    LanguageSetup,
    TokenizerLanguages,
    detect_family,
    language_setup,
)
from translate.mt.registry import ResolvedModel, get_model
from translate.mt.translator import Generated, ModelTranslator, TranslationOptions

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
# CPU batches hold at most this many beam-expanded tokens (beam x batch size x
# longest input): translating 96 news sentences with NLLB-600M in int8, two
# workers, beam 4, the peak RSS is 1.36 GB (2.34 GB with a 4096-token budget
# and 32 sentences a batch), for a few percent of speed at most
# (benchmarks/README.md).
CPU_BATCH_ROW_TOKENS = 1024
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
    # Russian is read in Kazakh articles only, so its output is English
    for src, tgt in (("kk", "en"), ("en", "kk"), ("ru", "en")):
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
) -> Path:
    """Convert a Hugging Face model (NLLB/M2M100, Marian, T5) to CTranslate2.

    With ``shortlist`` (NLLB and M2M100), also write a vocabulary map that lets
    decoding consider only the target language's tokens (see :func:`build_vmap`);
    ``shortlist_texts`` (language -> file of text in it) narrows a language's
    list to the tokens that text uses.

    Raises:
        UsageError: unknown quantization, or the output exists without ``force``.
        ModelError: the model cannot be converted.
    """
    from ctranslate2.converters import TransformersConverter

    if quantization not in QUANTIZATIONS:
        raise UsageError(f"quantization {quantization!r} is not one of {', '.join(QUANTIZATIONS)}")
    if output_dir.exists() and any(output_dir.iterdir()) and not force:
        raise UsageError(f"{output_dir} exists; pass --force to replace it")
    if model.local and is_ct2_dir(Path(model.location)):
        raise UsageError(f"{model.location} is already a CTranslate2 model")
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
        }


def load(model: ResolvedModel, options: TranslationOptions) -> CTranslate2Translator:
    return CTranslate2Translator(model, options)


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


__all__ = ["convert", "converted_copy", "default_output_dir", "get_model", "is_ct2_dir", "load"]
