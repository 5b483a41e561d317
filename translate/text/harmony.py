"""Kazakh vowel harmony for look-alike Latin letters: whether a Latin ``o`` or
``y`` in a Cyrillic word stands for о/ө or у/ү (see ``docs/kazakh-text.md``)."""

from __future__ import annotations

import re

from translate.text import alphabets
from translate.text.wordlists import VOICED, compounds, front_words

_FRONT = set("әеіөүкгэЭӘЕІӨҮКГ")
_BACK = set("аоұықғАОҰЫҚҒ")


def _is_lat(ch: str) -> bool:
    return ch.isascii() or ch in "əɵƏƟ"


_VOWELS = set("аәеиоөұүуыіэюяАӘЕИОӨҰҮУЫІЭЮЯ") | set("aeioyAEIOYəƏɵƟ")
_LOAN_I = re.compile("и[бвгғджзйклмнңпрстфхһцчшщ]")
_GLIDE_NEXT = set("аәеиоөұүыіАӘЕИОӨҰҮЫІoO")
_LOAN = set("вфцчщэюяёВФЦЧЩЭЮЯЁ")


def _front_context(plain: str, i: int, front: int, back: int) -> bool:
    """Front or back vowel at ``i``: a neighbouring к/г or қ/ғ decides, else the
    nearest following vowel, else the word's majority. A к/г next to a word
    whose later vowels are plainly back (а, ұ, ы, о) marks a loan (коридор,
    голмен), not a front vowel."""
    later_back = any(c in "аұыоАҰЫОoO" for c in plain[i + 1 :])
    for k in (i - 1, i + 1):
        if 0 <= k < len(plain):
            if plain[k] in "кгКГ" and not later_back:
                return True
            if plain[k] in "қғҚҒ":
                return False
    for c in plain[i + 1 :]:
        if c in _FRONT and c not in "кгКГ":
            return True
        if c in _BACK and c not in "қғҚҒ":
            return False
    return front > back


def _compound_reading(word: str) -> str | None:
    """The о/ө, у/ү reading of a listed compound that ``word`` starts with."""
    low = word.lower()
    for stem in compounds():
        if len(low) < len(stem):
            continue
        ok = True
        for n, (a, b) in enumerate(zip(low, stem)):
            if n == len(stem) - 1 and b in VOICED and a == VOICED[b]:
                continue  # солтүстік -> солтүстігі: к, қ, п voice before a vowel
            wanted = alphabets.HARMONY.get(a)
            if a == b or (_is_lat(a) and alphabets.TO_CYR.get(a) == b) or (wanted and b in wanted):
                continue
            ok = False
            break
        if ok:
            return stem
    return None


def _known_front(plain: str, i: int, c: str) -> bool:
    """Whether reading ``c`` at ``i`` as ө/ү makes a listed word, in a word with no
    other vowel (where harmony has nothing to go by)."""
    if sum(1 for k, ch in enumerate(plain) if ch in _VOWELS and k != i):
        return False
    candidate = (plain[:i] + alphabets.HARMONY[c][1] + plain[i + 1 :]).lower()
    return candidate in front_words()


def harmony_reading(word: str) -> str:
    """Look-alike Latin letters of ``word`` mapped to Cyrillic, о/ө and у/ү by
    harmony (ө and ү stand almost only in a word's first syllable, never in loans)."""
    first_vowel = next((i for i, c in enumerate(word) if c in _VOWELS), -1)
    plain0 = "".join(
        (alphabets.TO_CYR.get(c) or "о") if _is_lat(c) else c for c in word[:2]
    ).lower()
    # Kazakh words never begin with two consonants: Скотт, Блок, клуб are loans
    cluster = len(plain0) == 2 and all(c.isalpha() and c not in _VOWELS for c in plain0)
    # nor with й (Йорк, йод); и before a consonant stands in loans (турист, комитет)
    loan = (
        cluster
        or plain0[:1] in ("й", "Й")
        or any(c in _LOAN for c in word)
        or _LOAN_I.search(word.lower()) is not None
    )
    plain = "".join(alphabets.TO_CYR.get(c) or c if _is_lat(c) else c for c in word)
    front = sum(1 for c in plain if c in _FRONT)
    back = sum(1 for c in plain if c in _BACK)
    compound = _compound_reading(word)
    out = []
    for i, c in enumerate(word):
        if not (c.isalpha() and _is_lat(c)):
            out.append(c)
            continue
        mapped = alphabets.TO_CYR[c]
        if mapped is None and compound is not None and i < len(compound):
            mapped = alphabets.HARMONY[c][1 if compound[i] in "өү" else 0]
        elif mapped is None:
            # у before a vowel is the consonant у (уәде, куә): ү never stands there
            glide = c in "yY" and i + 1 < len(plain) and plain[i + 1] in _GLIDE_NEXT
            is_front = (
                i == first_vowel
                and not loan
                and not glide
                and (_front_context(plain, i, front, back) or _known_front(plain, i, c))
            )
            mapped = alphabets.HARMONY[c][1 if is_front else 0]
        out.append(mapped)
    return "".join(out)
