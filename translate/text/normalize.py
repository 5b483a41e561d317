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
from translate.text.language import guess_language, without_kazakh_letters
from translate.text.letters import (
    has_lost_letters,
    restore_kazakh_letters,
    restore_lost_letters,
)
from translate.text.segment import INVISIBLE
from translate.text.translit import is_latin_kazakh, latin_conventions, latin_share, to_cyrillic
from translate.text.wordlists import VOICED, compounds, front_words

SCRIPTS = ("auto", "cyrl", "latn")
# Longer runs of letters are not words (a pasted base64 image, a table without
# spaces); DocumentWords leaves them out, so its memory stays linear in the
# text (each word keeps all its prefixes).
MAX_WORD_LENGTH = 64
_INVISIBLE = re.compile("[" + "".join(sorted(INVISIBLE)) + "]")  # removed for the model
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_LINE = re.compile("[^\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]+")  # non-empty lines, one at a time

_FRONT = set("әеіөүкгэЭӘЕІӨҮКГ")
_BACK = set("аоұықғАОҰЫҚҒ")


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


def _to_cyrillic_word(word: str, context: DocumentWords | None = None) -> str:
    """Map look-alike Latin letters to Cyrillic; о/ө and у/ү by Kazakh vowel harmony.

    ө and ү stand almost only in a word's first syllable and never in Russian
    loans, so later ones, and those in loans, read as о and у. A reading that
    the same document spells elsewhere (``context``) wins over the rules.
    """
    out = _harmony_reading(word)
    if context is not None:
        return context.choose(word, out) or out
    return out


def _harmony_reading(word: str) -> str:
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
        The model input and the kinds of change made (``invisible``, ``nfc``,
        ``letters lost to '?' guessed``, ``Kazakh letters guessed for Russian
        ones``, ``homoglyph``, ``transliterated``).
    """
    changes = []
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
