"""Kazakh word lists shared by the text-repair modules (data in ``translate/data/normalize``).

They are loaded on first use and kept; both :mod:`translate.text.normalize`
and :mod:`translate.text.letters` read them, so they live here rather than in
either of those modules.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=1)
def word_list() -> tuple[str, ...]:
    data = resources.files("translate").joinpath("data").joinpath("normalize")
    lines = data.joinpath("kk_front_words.txt").read_text("utf-8").splitlines()
    return tuple(x.strip() for x in lines if x.strip() and not x.startswith("#"))


@lru_cache(maxsize=1)
def front_words() -> frozenset[str]:
    """One-syllable ө/ү words (the list's plain lines)."""
    return frozenset(x for x in word_list() if not x.startswith("+"))


# Final voiceless consonants that voice before a vowel: нарық -> нарығы.
VOICED = {"к": "г", "қ": "ғ", "п": "б"}


@lru_cache(maxsize=1)
def compounds() -> tuple[str, ...]:
    """Compounds that break vowel harmony (the list's lines marked ``+``)."""
    return tuple(x[1:].strip() for x in word_list() if x.startswith("+"))


@lru_cache(maxsize=1)
def names() -> tuple[str, ...]:
    """Proper names with letters code pages lose (``Қытай``), longest first."""
    text = resources.files("translate").joinpath("data/normalize/kk_names.txt").read_text("utf-8")
    found = {x.strip() for x in text.splitlines() if x.strip() and not x.startswith("#")}
    return tuple(sorted(found, key=len, reverse=True))
