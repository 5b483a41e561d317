"""Language-code conventions of the supported model families.

NLLB/M2M100 set the source language on the tokenizer and force the target
language as the first generated token; Marian multi-target models and T5
(MADLAD-400) put a target token in front of the source text.
"""

from __future__ import annotations

from dataclasses import dataclass

from translate.errors import ModelError

# Codes used when a model directory does not come from the registry.
DEFAULT_CODES = {
    "nllb": {
        "kk": "kaz_Cyrl",
        "en": "eng_Latn",
        "ru": "rus_Cyrl",
        "ky": "kir_Cyrl",
        "tt": "tat_Cyrl",
    },
    "m2m100": {"kk": "kk", "en": "en", "ru": "ru"},
    "marian": {"kk": ">>kaz_Cyrl<<", "en": ">>eng<<"},
    "t5": {"kk": "<2kk>", "en": "<2en>"},
}
# Source languages besides Kazakh and English that a family translates: the
# Russian, Kyrgyz and Tatar sentences of Kazakh articles. NLLB and M2M100
# name the source language (M2M100 has no Kyrgyz or Tatar); MADLAD-400 (T5)
# reads any source. OPUS-MT Turkic models do not.
EXTRA_SOURCES = {"nllb": ("ru", "ky", "tt"), "m2m100": ("ru",), "t5": ("ru", "ky", "tt")}


@dataclass(frozen=True)
class LanguageSetup:
    """How to ask one model for one direction."""

    source_prefix: str = ""
    tokenizer_src_lang: str | None = None
    forced_bos_token: str | None = None


def detect_family(model_type: str, tokenizer_class: str) -> str:
    """Family from ``config.json``'s ``model_type`` and the tokenizer class name."""
    tc = tokenizer_class.lower()
    if model_type == "m2m_100":
        return "nllb" if "nllb" in tc else "m2m100"
    if model_type == "marian":
        return "marian"
    if model_type in ("t5", "mt5", "umt5"):
        return "t5"
    raise ModelError(
        f"model type {model_type!r} is not supported (supported: NLLB/M2M100, Marian, T5/MADLAD-400)"
    )


def language_setup(
    family: str, codes: dict[str, str], src: str, tgt: str, vocab: set[str]
) -> LanguageSetup:
    """Work out prefixes and forced tokens for ``src``→``tgt``.

    Raises:
        ModelError: the model has no token for a language it would need.
    """
    src_code = codes.get(src, DEFAULT_CODES[family].get(src, ""))
    tgt_code = codes.get(tgt, DEFAULT_CODES[family][tgt])
    if family in ("nllb", "m2m100"):
        tok = tgt_code if family == "nllb" else f"__{tgt_code}__"
        for code in (src_code if family == "nllb" else f"__{src_code}__", tok):
            if code not in vocab:
                raise ModelError(f"this {family} model has no language token {code!r}")
        return LanguageSetup(tokenizer_src_lang=src_code, forced_bos_token=tok)
    if family == "marian":
        if tgt_code and tgt_code in vocab:
            return LanguageSetup(source_prefix=tgt_code + " ")
        if any(t.startswith(">>") and t.endswith("<<") for t in vocab):
            raise ModelError(
                f"this Marian model is multi-target but has no token {tgt_code!r} for {tgt!r}"
            )
        return LanguageSetup()
    if family == "t5":
        if tgt_code not in vocab:
            raise ModelError(f"this T5 model has no target token {tgt_code!r}")
        return LanguageSetup(source_prefix=tgt_code + " ")
    raise ModelError(f"unknown family {family!r}")


class TokenizerLanguages:
    """Mixin for a translator with a Hugging Face ``tokenizer``, its ``family``,
    language ``codes`` and ``vocab``: the per-direction setup and token counts
    that every backend needs the same way."""

    tokenizer: object
    family: str
    codes: dict[str, str]
    vocab: set[str]

    def _setup(self, src: str, tgt: str) -> LanguageSetup:
        setups = self.__dict__.setdefault("_setups", {})
        if (src, tgt) not in setups:
            setups[src, tgt] = language_setup(self.family, self.codes, src, tgt, self.vocab)
        setup = setups[src, tgt]
        lang = setup.tokenizer_src_lang
        # Assign only on a change: batches may be tokenised from several
        # threads at once, and setting src_lang rebuilds the tokenizer.
        if lang is not None and getattr(self.tokenizer, "src_lang", None) != lang:
            self.tokenizer.src_lang = lang
        return setup

    def extra_sources(self) -> tuple[str, ...]:
        """The family's extra source languages that this model has a token for."""
        found = []
        for code in EXTRA_SOURCES.get(self.family, ()):
            try:
                language_setup(self.family, self.codes, code, "en", self.vocab)
            except ModelError:  # a model cut down to fewer languages
                continue
            found.append(code)
        return tuple(found)

    def count_tokens(self, texts, src: str, tgt: str) -> list[int]:
        setup = self._setup(src, tgt)
        enc = self.tokenizer([setup.source_prefix + t for t in texts], add_special_tokens=True)
        return [len(ids) for ids in enc["input_ids"]]
