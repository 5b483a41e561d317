"""Terms in their inflected forms: Kazakh suffixes, English plurals and possessives.

A Kazakh noun takes a plural, a possessive and a case suffix, in that order
(``облыс-тар-ы-ның``). Each suffix comes in forms chosen by the sound before
it:

- vowel harmony: back stems (last vowel а о ұ ы) take back suffixes
  (``-лар``, ``-дың``, ``-ға``), front stems (ә е ө ү і) front ones (``-лер``,
  ``-дің``, ``-ге``); a stem whose vowels say neither (и, у: ``министр``)
  takes either;
- the first consonant of the suffix follows the stem's last sound: after a
  vowel ``-лар``/``-ның``/``-ны``/``-ға``/``-да``/``-дан``/``-мен``; after
  р й у ``-лар``/``-дың``/``-ды``; after л ``-дар``/``-дың``; after з ж
  ``-дар``/``-бен``; after м н ң ``-дар``/``-ның``/``-нан``; after a voiceless
  consonant ``-тар``/``-тың``/``-ты``/``-қа``/``-та``/``-тан``/``-пен``;
- a stem-final к қ п voices to г ғ б before a vowel (``көмек`` →
  ``көмегі``), and some stems drop their last ы/і (``халық`` → ``халқы``);
  both readings are accepted;
- after the 3rd person possessive (``-ы``/``-сы``) case suffixes take
  ``н``: ``облысының``, ``облысына``, ``облысында``, ``облысынан``,
  ``облысын``.

Only the last word of a multi-word term inflects (``Ақмола облысы`` →
``Ақмола облысының``). The forms of a term are generated, not guessed: a
word matches when it is one of them, so ``облыстық`` (an adjective) is not
``облыс``.
"""

from __future__ import annotations

import re
from functools import lru_cache

BACK = frozenset("аоұыя")
FRONT = frozenset("әеөүіэ")
_VOWELS = BACK | FRONT | frozenset("иуюё")
_VOICE = {"к": "г", "қ": "ғ", "п": "б"}
_FRONTED = str.maketrans("аығқ", "еігк")

# Suffixes after a stem's last sound (back forms; front ones by _FRONTED):
# plural, genitive, accusative, dative, locative, ablative, instrumental.
_CLASSES = {
    "V": ("лар", "ның", "ны", "ға", "да", "дан", "мен"),  # a vowel
    "R": ("лар", "дың", "ды", "ға", "да", "дан", "мен"),  # р й у и
    "L": ("дар", "дың", "ды", "ға", "да", "дан", "мен"),  # л
    "Z": ("дар", "дың", "ды", "ға", "да", "дан", "бен"),  # з ж
    "N": ("дар", "ның", "ды", "ға", "да", "нан", "мен"),  # м н ң
    "T": ("тар", "тың", "ты", "қа", "та", "тан", "пен"),  # voiceless, and б в г д
}
# after the 3rd person possessive: genitive, accusative, dative, locative,
# ablative, instrumental, and the locative-attributive -ндағы
_PRONOMINAL = ("ның", "н", "на", "нда", "нан", "мен", "ндағы")


def _sound_class(stem: str) -> str:
    last = stem.rstrip("ьъ")[-1:]
    if last in "йуи":
        return "R"
    if last in _VOWELS:
        return "V"
    if last == "р":
        return "R"
    if last == "л":
        return "L"
    if last in "зж":
        return "Z"
    if last in "мнң":
        return "N"
    return "T"


def harmonies(word: str) -> tuple[bool, ...]:
    """Whether ``word`` takes front suffixes: ``(False,)`` back, ``(True,)``
    front, ``(False, True)`` when its vowels do not say (и, у, ю only)."""
    w = word.lower()
    if w.endswith("ь"):
        return (True,)
    for ch in reversed(w):
        if ch in BACK:
            return (False,)
        if ch in FRONT:
            return (True,)
    return (False, True)


def _cases(stem: str, cls: str, dative_a: bool = False) -> list[str]:
    """The suffixes (back forms) of the bare stem and of each case, after a
    stem of sound class ``cls``."""
    _, gen, acc, dat, loc, abl, ins = _CLASSES[cls]
    out = ["", gen, acc, "а" if dative_a else dat, loc, abl, ins, loc + "ғы"]
    if cls == "N":
        out.append("бен")  # both are written after м н ң
    return out


Form = tuple[str, str]  # a stem as written before the suffixes, and the suffixes (back forms)


def _possessed(stem: str, before: str = "") -> list[Form]:
    """``stem`` + ``before`` (a plural) with a possessive suffix, then each case."""
    base = stem + before
    cls = _sound_class(base)
    out: list[Form] = []
    if cls == "V":
        heads = [(stem, before)]
        third, rest = ["сы"], ["м", "ң", "мыз", "ңыз"]
    else:
        heads = [(stem, before)]
        if not before:
            if stem[-1:] in _VOICE:
                heads.append((stem[:-1] + _VOICE[stem[-1]], ""))
            # халық → халқы, орын → орны: a last ы/і between consonants may drop
            if len(stem) > 3 and stem[-2] in "ыі" and stem[-3] not in _VOWELS:
                heads.append((stem[:-2] + stem[-1], ""))
        third, rest = ["ы"], ["ым", "ың", "ымыз", "ыңыз"]
    for head, pre in heads:
        for t in third:
            out += [(head, pre + t + e) for e in ("", *_PRONOMINAL)]
        for r in rest:
            cls_r = _sound_class(r)
            out += [(head, pre + r + e) for e in _cases(r, cls_r, dative_a=r[-1] in "мң")]
    return out


def _back_forms(stem: str) -> list[Form]:
    cls = _sound_class(stem)
    plural = _CLASSES[cls][0]
    out: list[Form] = [(stem, e) for e in _cases(stem, cls)]
    out += [(stem, plural + e) for e in _cases(plural, "R")]
    out += _possessed(stem) + _possessed(stem, plural)
    if stem[-1:] in "ыі" and len(stem) > 2:  # облысы: maybe a possessive already
        out += [(stem, e) for e in _PRONOMINAL]
    return out


@lru_cache(maxsize=4096)
def kazakh_forms(word: str) -> frozenset[str]:
    """Every inflected form of the Kazakh ``word`` (lower case) that this
    module knows: plural, possessive and case suffixes in harmony with it.

    >>> {"әкімі", "әкімінің", "әкімдер"} <= kazakh_forms("әкім")
    True
    >>> "облыстық" in kazakh_forms("облыс")
    False
    """
    w = word.lower()
    if not w:
        return frozenset()
    out = {w}
    back = _back_forms(w)
    for front in harmonies(w):
        out.update(
            head + (suffix.translate(_FRONTED) if front else suffix) for head, suffix in back
        )
    return frozenset(out)


@lru_cache(maxsize=4096)
def english_forms(word: str) -> frozenset[str]:
    """``word`` with the English plural and possessive endings (lower case):
    ``region``, ``regions``, ``region's``, ``regions'``; ``city``/``cities``,
    ``chairman``/``chairmen``, ``leaf``/``leaves``."""
    w = word.lower()
    plurals = {w + "s"}
    if w.endswith(("s", "x", "z", "ch", "sh")):
        plurals.add(w + "es")
    if len(w) > 1 and w.endswith("y") and w[-2] not in "aeiou":
        plurals = {w[:-1] + "ies"}
    if w.endswith("man"):
        plurals.add(w[:-3] + "men")
    if w.endswith("fe"):
        plurals.add(w[:-2] + "ves")
    elif w.endswith("f"):
        plurals.add(w[:-1] + "ves")
    out = {w, w + "'s", w + "’s"}
    for p in plurals:
        out |= {p, p + "'", p + "’"} if p.endswith("s") else {p, p + "'s", p + "’s"}
    return frozenset(out)


# Words: letters and digits; an English word keeps its apostrophe ending
# (region's), so the possessive is one token.
TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]*)?")


def tokens(text: str) -> list[tuple[int, int, str]]:
    """``(start, end, lower-case word)`` of each word of ``text``."""
    return [(m.start(), m.end(), m.group().lower()) for m in TOKEN.finditer(text)]


def forms(word: str, lang: str) -> frozenset[str]:
    """The forms a term's last word may take in ``lang`` (``kk`` or ``en``)."""
    if lang == "kk":
        return kazakh_forms(word)
    if lang == "en":
        return english_forms(word)
    return frozenset({word.lower()})


class TermPattern:
    """A term (one or more words) to find in text of ``lang``: every word as
    written but the last, which may take its inflected forms. Case is ignored."""

    def __init__(self, term: str, lang: str):
        words = tokens(term)
        if not words:
            raise ValueError(f"{term!r} has no word")
        self.term = term
        self.lang = lang
        self.words = [w for _, _, w in words]
        # what separates the words ('-' in сауда-экономикалық, spaces elsewhere)
        self.gaps = [
            "".join(term[a[1] : b[0]].split()) for a, b in zip(words, words[1:], strict=False)
        ]
        self.last = forms(self.words[-1], lang) | {self.words[-1]}

    def first_keys(self) -> frozenset[str]:
        """The forms the first word of a match may have (for an index)."""
        return self.last if len(self.words) == 1 else frozenset({self.words[0]})

    def match_at(self, text: str, toks: list[tuple[int, int, str]], i: int) -> int | None:
        """The end offset of a match starting at word ``i`` of ``text``, or None."""
        n = len(self.words)
        if i + n > len(toks):
            return None
        for k in range(n):
            word = toks[i + k][2]
            if k == n - 1:
                if word not in self.last:
                    return None
            elif word != self.words[k]:
                return None
            if k and "".join(text[toks[i + k - 1][1] : toks[i + k][0]].split()) != self.gaps[k - 1]:
                return None
        return toks[i + n - 1][1]

    def search(self, text: str) -> list[tuple[int, int]]:
        """Spans of every match in ``text``."""
        toks = tokens(text)
        keys = self.first_keys()
        spans = []
        for i, (start, _, word) in enumerate(toks):
            if word in keys:
                end = self.match_at(text, toks, i)
                if end is not None:
                    spans.append((start, end))
        return spans
