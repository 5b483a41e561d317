"""Which language a sentence is in: Kazakh (any script), Russian or English.

A cheap, rule-based guess from letters and frequent function words, used for
the ``language`` flag, the aligner's warnings and Kazakh typed with Russian
letters.
"""

from __future__ import annotations

import re

from translate.text.letters import russified_common_words
from translate.text.translit import is_latin_kazakh

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def _is_cyr(ch: str) -> bool:
    return "\u0400" <= ch <= "\u04ff"


_RU_ONLY = set("ёъщэЁЪЩЭ")


_KK_ONLY = set("әғқңөұүһіӘҒҚҢӨҰҮҺІ")


_RU_WORDS = frozenset(
    "и в не на что с по это как он она они мы вы я его её был была были будет также который "
    "которые для от из к о у за при года году".split()
)


_EN_WORDS = frozenset(
    "the and of to in is that for on with as was were are by it this from at be has have "
    "will said".split()
)


LANGUAGE_NAMES = {"kk": "Kazakh", "en": "English", "ru": "Russian"}


def without_kazakh_letters(text: str) -> bool:
    """Whether ``text`` is Cyrillic, mostly not Russian, with no letter of its
    own (ә ғ қ ң ө ұ ү һ, or a Latin look-alike inside a Cyrillic word): Kazakh
    typed with Russian letters in their place (і may be there: Ukrainian
    keyboards have it). It takes 20 words, or 6 with two frequent Kazakh words
    among them (``жане``, ``туралы``)."""
    if any(c in _KK_ONLY and c not in "іІ" for c in text):
        return False  # (і may be typed on a Ukrainian layout)
    words = _WORD.findall(text)
    cyrillic = [w for w in words if any(map(_is_cyr, w))]
    if len(cyrillic) < 6 or any(not all(map(_is_cyr, w)) for w in cyrillic):
        return False
    if len(cyrillic) < 20:  # a short text: two frequent Kazakh words must say so
        known = russified_common_words()
        if sum(1 for w in cyrillic if w.lower() in known) < 2:
            return False
    # Russian function words (и, в, на, что) make a quarter of Russian text
    return sum(1 for w in words if w.lower() in _RU_WORDS) < len(words) / 12


def guess_language(text: str) -> str | None:
    """``kk``, ``ru``, ``en`` or ``None`` (too little to tell) for one sentence."""
    letters = [c for c in text if c.isalpha()]
    if len(letters) < 12:
        return None
    words = [w.lower() for w in _WORD.findall(text)]
    cyr = sum(1 for c in letters if _is_cyr(c))
    if cyr / len(letters) < 0.5:
        if is_latin_kazakh(text):
            return "kk"
        en = sum(1 for w in words if w in _EN_WORDS)
        return "en" if en >= max(1, len(words) // 10) else None
    kk = sum(1 for c in letters if c in _KK_ONLY)
    if kk:
        return "kk"
    ru_words = sum(1 for w in words if w in _RU_WORDS)
    ru_letters = sum(1 for c in letters if c in _RU_ONLY)
    if ru_words >= max(1, len(words) // 8) or ru_letters >= 2:
        return "ru"
    return None
