"""Normalisation of source text for the model, never for the output.

The model input is repaired (look-alike letters, invisible characters, NFC,
Latin-script Kazakh transliterated to Cyrillic); records keep the source as
given and carry a flag when the model saw something else.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from translate.text import alphabets
from translate.text.harmony import harmony_reading
from translate.text.language import guess_language, without_kazakh_letters
from translate.text.letters import (
    has_lost_letters,
    restore_kazakh_letters,
    restore_lost_letters,
)
from translate.text.mojibake import REASON as MOJIBAKE
from translate.text.mojibake import has_mojibake, repair_mojibake
from translate.text.segment import INVISIBLE
from translate.text.translit import is_latin_kazakh, latin_conventions, latin_share, to_cyrillic

SCRIPTS = ("auto", "cyrl", "latn")
# Longer runs of letters are not words (a pasted base64 image, a table without
# spaces); DocumentWords leaves them out, so its memory stays linear in the
# text (each word keeps all its prefixes).
MAX_WORD_LENGTH = 64
_INVISIBLE = re.compile("[" + "".join(sorted(INVISIBLE)) + "]")  # removed for the model
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_LINE = re.compile("[^\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]+")  # non-empty lines, one at a time


def _is_cyr(ch: str) -> bool:
    return "\u0400" <= ch <= "\u04ff"


def _is_lat(ch: str) -> bool:
    return ch.isascii() or ch in "əɵƏƟ"


def repair_word(word: str, context: DocumentWords | None = None) -> str:
    """Fix a word mixing Cyrillic and look-alike Latin letters (either way).

    A word with a Cyrillic letter that has no Latin look-alike (ы, қ, т...) is
    Cyrillic; one with a Latin letter that has no Cyrillic look-alike is Latin
    and has its look-alike Cyrillic letters mapped back; otherwise the majority
    decides. A word with foreign letters that have no look-alike (``iPhone-ды``,
    ``Kazakhstanда``) is left as it is.
    """
    cyr_letters = [c for c in word if _is_cyr(c)]
    lat_letters = [c for c in word if c.isalpha() and _is_lat(c)]
    if not lat_letters:
        return word
    if not cyr_letters and not any(c in "əɵƏƟ" for c in lat_letters):
        return word
    cyr_only = any(c not in alphabets.TO_LAT for c in cyr_letters)
    lat_only = any(c not in alphabets.TO_CYR for c in lat_letters)
    if cyr_only and lat_only:
        return word
    if cyr_only or (not lat_only and len(cyr_letters) >= len(lat_letters)):
        return _to_cyrillic_word(word, context)
    return "".join(alphabets.TO_LAT.get(c, c) for c in word)


def _to_cyrillic_word(word: str, context: DocumentWords | None = None) -> str:
    """Map look-alike Latin letters to Cyrillic; о/ө and у/ү by Kazakh vowel harmony.

    ө and ү stand almost only in a word's first syllable and never in Russian
    loans, so later ones, and those in loans, read as о and у. A reading that
    the same document spells elsewhere (``context``) wins over the rules.
    """
    out = harmony_reading(word)
    if context is not None:
        return context.choose(word, out) or out
    return out


def _cyrillic_share(text: str) -> float:
    """Share of Cyrillic letters, not counting words made only of look-alike
    Latin letters (the words whose script is in question)."""
    words = [w for w in _WORD.findall(text) if not all(c in alphabets.TO_CYR for c in w)]
    letters = [c for w in words for c in w]
    return sum(1 for c in letters if _is_cyr(c)) / len(letters) if letters else 0.0


_INITIALS = {
    k: v or {"O": "О", "Y": "У"}[k]
    for k, v in alphabets.TO_CYR.items()
    if k.isupper() and k.isascii()
}
_INITIAL = re.compile(r"(?<![^\W\d_])[ABCEHKMOPTXY](?=\.\s?[\u0400-\u04ff])")
# Lower-case English words made only of letters with a Cyrillic look-alike:
# in Cyrillic Kazakh text other such words (ep, op, ic) are Kazakh typed with
# Latin letters (ер, ор, іс).
_ENGLISH_LOOKALIKE = frozenset(
    "he her hey ok oh ox ex eye pop pope cop cope copy coke cake ache ace aha "
    "poker hockey cheek cheese hoax hype hyper yo peace choice echo ice pick hip hop "
    "cheap coach cache pie hi ha ah eh yep ya kick hike cap cape chip chop".split()
)
# Lone lower-case Latin vowels in Cyrillic Kazakh text are look-alikes of the
# Kazakh words (and list letters) а, е, о.
_LONE = {"a": "а", "e": "е", "o": "о"}


def _glued(m: re.Match) -> bool:
    """Whether a word is part of a longer Latin token (``e-mail``, ``a.b@c``),
    not of a Kazakh compound (``ep-азамат``): a neighbour across ``-``, ``.``,
    ``@``... is plainly Latin (a letter with no Cyrillic look-alike)."""
    text, a, b = m.string, m.start(), m.end()
    if b < len(text) and text[b] in _GLUE:
        k = b + 1
        while k < len(text) and text[k].isalpha():
            k += 1
        if _plainly_latin(text[b + 1 : k]):
            return True
    if a > 0 and text[a - 1] in _GLUE:
        k = a - 1
        while k > 0 and text[k - 1].isalpha():
            k -= 1
        if _plainly_latin(text[k : a - 1]):
            return True
    return False


def _plainly_latin(word: str) -> bool:
    return any(c.isascii() and c not in alphabets.TO_CYR for c in word) and not any(
        map(_is_cyr, word)
    )


_GLUE = set("-.@/_'’")


def _repair_in_kazakh(
    word: str, mostly_cyrillic: bool, context: DocumentWords, glued: bool = False
) -> str:
    """In Cyrillic Kazakh text, a word that mixes scripts with only look-alike
    Latin letters is Cyrillic (``еki`` for ``екі``, whatever the majority), and so
    is a lower-case word made only of look-alikes holding one with no English use
    (i, h, ə, ɵ: ``eki``), and a lone lower-case ``a``, ``e`` or ``o``."""
    if mostly_cyrillic and all(c in alphabets.TO_CYR for c in word if c.isalpha() and _is_lat(c)):
        if any(_is_cyr(c) for c in word):
            return _to_cyrillic_word(word, context)
        if len(word) >= 3 and word.islower() and any(c in "ihəɵ" for c in word):
            return _to_cyrillic_word(word, context)
        if glued:  # e-mail, a.b@c: part of a Latin token
            return repair_word(word, context)
        if word in _LONE:
            return _LONE[word]
        if word.islower() and len(word) >= 2 and word not in _ENGLISH_LOOKALIKE:
            return _to_cyrillic_word(word, context)
    return repair_word(word, context)


@dataclass(frozen=True)
class Normalized:
    """Model input for one sentence and what was done to it."""

    text: str
    changes: tuple[str, ...] = ()


_FLIP = {"о": "ө", "ө": "о", "у": "ү", "ү": "у", "О": "Ө", "Ө": "О", "У": "Ү", "Ү": "У"}


class DocumentWords:
    """The Cyrillic words a document spells without look-alike letters.

    News articles repeat names and terms, so a word typed with a Latin ``o`` or
    ``y`` (о or ө? у or ү?) is usually spelled plainly elsewhere in the same
    article: ``Лорен`` settles ``Лoрен``, ``Нoренмен`` (by its first letters).
    It also says whether the document lost its Kazakh letters
    (``lost_letters``: "?" in their place; ``russian_letters``: Russian ones
    typed for them; see :mod:`translate.text.letters`), and how its Latin-script
    Kazakh paragraphs are written (``latin``: :class:`LatinConventions`, or
    None when it has none).
    """

    def __init__(self, text: str):
        # UTF-8 read as CP1251 (``mojibake``): the words are read from the repair
        self.mojibake = has_mojibake(text)
        if self.mojibake:
            text = repair_mojibake(text)
        self.lost_letters = has_lost_letters(text)
        self.russian_letters = not self.lost_letters and without_kazakh_letters(text)
        self.typed_i = "і" in text or "І" in text
        # how its Latin-script Kazakh paragraphs are written, decided once for all
        # of them (a short sentence has too few letters to tell)
        latin = [m.group() for m in _LINE.finditer(text) if is_latin_kazakh(m.group())]
        self.latin = latin_conventions("\n".join(latin)) if latin else None
        words = {
            w.lower()
            for w in _WORD.findall(text)
            if 3 <= len(w) <= MAX_WORD_LENGTH and all(map(_is_cyr, w))
        }
        self.words = frozenset(words)
        self.prefixes = frozenset(w[:k] for w in words for k in range(4, len(w)))

    def choose(self, word: str, reading: str) -> str | None:
        """The reading of ``word`` this document attests, if exactly one is.

        ``reading`` is the rules' reading; its о/ө and у/ү that came from Latin
        letters are flipped in turn (up to three of them).
        """
        spots = [
            i for i, c in enumerate(word) if _is_lat(c) and alphabets.TO_CYR.get(c, "") is None
        ]
        if not spots or len(spots) > 3:
            return None
        readings = [reading]
        for i in spots:
            readings += [r[:i] + _FLIP[r[i]] + r[i + 1 :] for r in readings]
        for attested in (self._word, self._prefix(max(spots) + 3)):
            found = [r for r in readings if attested(r.lower())]
            if reading in found:
                return reading
            if len(found) == 1:
                return found[0]
        return None

    def _word(self, low: str) -> bool:
        return low in self.words

    def _prefix(self, n: int):
        n = max(n, 4)
        return lambda low: len(low) > n and low[:n] in self.prefixes


def normalize_for_model(
    text: str, lang: str = "kk", script: str = "auto", context: DocumentWords | None = None
) -> Normalized:
    """Repair ``text`` for the model.

    Args:
        text: A source sentence as the user gave it.
        lang: Its language (``kk`` enables Kazakh repairs and transliteration).
        script: ``auto`` transliterates a sentence detected as Latin-script
            Kazakh, ``latn`` always, ``cyrl`` never.
        context: The words of the whole document (:class:`DocumentWords`),
            which settle о/ө and у/ү in repaired words; by default the
            words of ``text`` itself.

    Returns:
        The model input and the kinds of change made (``mojibake repaired
        (UTF-8 read as CP1251)``, ``invisible``, ``nfc``,
        ``letters lost to '?' guessed``, ``Kazakh letters guessed for Russian
        ones``, ``homoglyph``, ``transliterated``).
    """
    changes = []
    if context.mojibake if context is not None else has_mojibake(text, 1 if lang == "en" else 3):
        fixed = repair_mojibake(text).strip()  # (a space read as mojibake may lead)
        if fixed != text:
            changes.append(MOJIBAKE)
        text = fixed
    out = _INVISIBLE.sub("", text)
    if out != text:
        changes.append("invisible")
    nfc = unicodedata.normalize("NFC", out)
    if nfc != out:
        changes.append("nfc")
    out = nfc
    if lang == "kk":
        lost = context.lost_letters if context is not None else has_lost_letters(out)
        if lost:
            guessed = restore_lost_letters(out)
            if guessed != out:
                changes.append("letters lost to '?' guessed")
            out = guessed
        russian = context.russian_letters if context is not None else False
        if russian:
            guessed = restore_kazakh_letters(out, keep_i=context.typed_i)
            if guessed != out:
                changes.append("Kazakh letters guessed for Russian ones")
            out = guessed
        latin = context.latin if context is not None else None
        if script == "latn" or (script == "auto" and _latin_kazakh(out, latin is not None)):
            out = to_cyrillic(out, latin)
            changes.append("transliterated")
        mostly_cyrillic = _cyrillic_share(out) >= 0.8
        words = context if context is not None else DocumentWords(out)
        repaired = _WORD.sub(
            lambda m: _repair_in_kazakh(m.group(), mostly_cyrillic, words, _glued(m)), out
        )
        if mostly_cyrillic:  # an initial before a Cyrillic name: B.Путин
            repaired = _INITIAL.sub(lambda m: _INITIALS[m.group()], repaired)
        if repaired != out:
            changes.append("homoglyph")
        out = repaired
    elif lang == "en":
        repaired = _WORD.sub(lambda m: repair_word(m.group()), out)
        if repaired != out:
            changes.append("homoglyph")
        out = repaired
    return Normalized(out, tuple(changes))


def _latin_kazakh(text: str, latin_document: bool) -> bool:
    """Whether to read a sentence as Latin-script Kazakh: it has the letters of
    one, or, in a document whose Latin paragraphs are Kazakh, it is in Latin
    letters and not English (a short sentence may have no telling letter:
    ``Osylai boldy.``)."""
    if is_latin_kazakh(text):
        return True
    return latin_document and latin_share(text) >= 0.8 and guess_language(text) != "en"
