"""Decoding article bytes: UTF-8 (with or without BOM), UTF-16 (BOM), and the
legacy Kazakh code pages KZ-1048 and PTCP154, and CP1251.

Without ``encoding``, the decoding that gives the most plausible Kazakh text
wins: the one with the fewest characters outside the Kazakh and Russian
Cyrillic alphabets, Latin, digits and common punctuation, then the one with
the fewest words that break vowel harmony around ә and ғ (KZ-1048 and PTCP154
swap them). Russian letters sit at the same bytes in all three legacy code
pages, so a text without Kazakh letters decodes to the same string whichever
of them is chosen.

Valid UTF-8 is taken as UTF-8 unless most of its non-ASCII characters are
implausible and a legacy reading is plain Cyrillic: a short legacy text in
capitals can be valid UTF-8 by chance (KZ-1048 ``ЕҢ`` is the UTF-8 ``Ž``).
"""

from __future__ import annotations

import codecs
import re

from translate.errors import InputError, UsageError

LEGACY = ("kz1048", "ptcp154", "cp1251")
# Byte-order marks, UTF-32 first (its little-endian mark starts with UTF-16's).
BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
TRIED = ("utf-8",) + LEGACY
_KAZAKH = "АӘБВГҒДЕЁЖЗИЙКҚЛМНҢОӨПРСТУҰҮФХҺЦЧШЩЪЫІЬЭЮЯ"
_PLAUSIBLE = frozenset(
    _KAZAKH
    + _KAZAKH.lower()
    + "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
    + " \t\n\r!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"
    + "«»–—…“”„‘’№°•§€\u00a0"
)


_IMPLAUSIBLE = re.compile("[^" + re.escape("".join(sorted(_PLAUSIBLE))) + "]")
_WIDE = re.compile("[^\x00-\x7f\ufffd]")


def implausible(text: str) -> int:
    """How many characters of ``text`` are unlikely in Kazakh or Russian text."""
    return len(_IMPLAUSIBLE.findall(text))


_WORD = re.compile(r"[^\W\d_]+")
_FRONT = frozenset("әеіөү")
_BACK = frozenset("аоұы")
_VOWELS = frozenset("аәеиоөұүыіэюяуё")


def disharmony(text: str) -> int:
    """How many words of ``text`` break Kazakh vowel harmony around ә and ғ.

    KZ-1048 and PTCP154 put ғ and ә at the same byte (and Ғ and Ә), so a text
    whose only Kazakh letters besides қ and һ are those reads as plausibly in
    both. ғ is a back consonant: it stands next to a vowel, in words of back
    vowels (ағаш, ғасыр), and seldom begins a word; ә is a front vowel (әлі,
    мәні, әулет). On a tie the caller prefers ғ, the more frequent letter."""
    count = 0
    for word in _WORD.findall(text.lower()):
        if "ғ" in word:
            count += bool(_FRONT & set(word))
            # ә begins Kazakh words six times as often as ғ does (әуе, Әуезов)
            count += word[0] == "ғ"
            # with no vowel on either side it cannot be ғ at all (әлі, мәні); у
            # and и before it do not count (they end in a glide): ғ after them
            # always has a vowel next (туған, алуға, оқиға, табиғат) while уә
            # and иә take a consonant or end the word (уәде, куәлік, иә)
            count += 2 * sum(
                1
                for k, ch in enumerate(word)
                if ch == "ғ"
                and (k == 0 or word[k - 1] not in _VOWELS or word[k - 1] in "уи")
                and (k + 1 == len(word) or word[k + 1] not in _VOWELS)
            )
        if "ә" in word:
            count += bool(_BACK & set(word))  # compounds and names do mix (Әзірбайжан)
    return count


def _legacy_by_chance(text: str) -> bool:
    """Whether valid UTF-8 may be a short legacy-code-page text instead.

    A capital Cyrillic letter of KZ-1048, PTCP154 or CP1251 (0xC0-0xDF) is a
    UTF-8 lead byte and the Kazakh letters sit where UTF-8 continuation bytes
    do, so a word or a line in capitals can be valid UTF-8 by chance: KZ-1048
    ``Иә.`` reads ``ȼ.``, ``ЕҢ`` reads ``Ž``. When at least half the non-ASCII
    characters of the UTF-8 reading are implausible here, the legacy readings
    are tried too, and one wins only if it is Cyrillic through and through
    (see _cyrillic_by_chance): Latin-script Kazakh in UTF-8 stays UTF-8."""
    # A look at the start is enough (and keeps large files fast): by chance
    # only a few words are valid UTF-8.
    wide = [ch for ch in text[:20000] if ord(ch) > 127 and ch != "\ufeff"]
    odd = sum(1 for ch in wide if ch not in _PLAUSIBLE)
    return odd > 0 and 2 * odd >= len(wide)


_CYRILLIC = frozenset(_KAZAKH + _KAZAKH.lower())
_LATIN = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")


def _camel(word: str) -> bool:
    return any(a.islower() and b.isupper() for a, b in zip(word, word[1:]))


def _cyrillic_by_chance(decoded: tuple[int, int, str, str]) -> bool:
    """Whether the best legacy reading of (nearly) valid UTF-8 is the text (see
    _legacy_by_chance): entirely plausible, its non-ASCII characters all
    Cyrillic letters, and no word mixing them with Latin letters or a capital
    after a small letter, as UTF-8 Latin-script Kazakh read in a Cyrillic
    code page does (``Ülken`` reads ``Гңlken``, ``ÜŞ`` ``ГңЕһ``)."""
    bad, _, _, text = decoded
    if bad or any(ord(ch) > 127 and ch not in _CYRILLIC for ch in text):
        return False
    if sum(ch in _LATIN for ch in text) > sum(ch in _CYRILLIC for ch in text):
        return False  # Latin text with a sign or two (``14½`` reads ``14ВҢ``)
    return not any(
        (_LATIN & set(w) and _CYRILLIC & set(w)) or _camel(w) for w in _WORD.findall(text)
    )


def decode_article(data: bytes, name: str, encoding: str | None = None) -> tuple[str, str]:
    """Decode ``data``; return the text and the encoding used.

    Raises:
        UsageError: ``encoding`` is not a codec Python knows.
        InputError: the data is binary, or no candidate decodes it to text.
    """
    if encoding:
        try:
            info = codecs.lookup(encoding)
        except LookupError:
            raise UsageError(f"unknown encoding {encoding!r} (e.g. {', '.join(TRIED)})") from None
        if not getattr(info, "_is_text_encoding", True):  # base64, zlib, rot13...
            raise UsageError(
                f"{encoding!r} is not a text encoding (e.g. {', '.join(TRIED)}, utf-16)"
            )
        try:
            return _no_nul(data.decode(encoding), name), encoding
        except UnicodeDecodeError as exc:
            raise InputError(
                f"{name}: cannot be decoded as {encoding} (byte {exc.start}: "
                f"{data[exc.start : exc.start + 1]!r}); try without --encoding to detect it"
            ) from exc
    for bom, enc in BOMS:
        if data.startswith(bom):
            try:
                return _no_nul(data.decode(enc), name), enc
            except UnicodeDecodeError as exc:
                label = enc.upper()
                raise InputError(
                    f"{name}: has a {label} byte-order mark but is not valid {label}"
                ) from exc
    if b"\x00" in data:  # anywhere: a binary file may start with text
        raise InputError(f"{name}: looks like a binary file (it contains NUL bytes), not text")
    utf8, broken = None, None
    try:
        utf8 = data.decode("utf-8-sig")
        if data.startswith(codecs.BOM_UTF8) or not _legacy_by_chance(utf8):
            return utf8, "utf-8"
    except UnicodeDecodeError as exc:
        lenient = data.decode("utf-8", errors="replace")
        bad = lenient.count("\ufffd")
        good = len(_WIDE.findall(lenient))
        if good >= 2 * bad:  # mostly valid UTF-8 with some broken bytes, not a legacy code page
            broken = InputError(
                f"{name}: is UTF-8 with {bad} invalid byte sequence(s) (first at byte "
                f"{exc.start}: {data[exc.start : exc.start + 1]!r}); repair the file, or force a "
                "decoding with --encoding"
            )
            broken.__cause__ = exc
    decoded: list[tuple[int, int, str, str]] = []
    for rank, enc in enumerate(LEGACY):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        decoded.append((implausible(text), rank, enc, text))
    if (utf8 is not None or broken) and not (decoded and _cyrillic_by_chance(min(decoded))):
        if broken:
            raise broken
        return utf8, "utf-8"  # valid UTF-8 after all (see _legacy_by_chance)
    if utf8 is None and not broken and decoded and min(decoded)[0] > 0:
        _refuse_cjk(data, name)  # a code page reading with odd characters: Chinese?
    if not decoded or min(decoded)[0] > 0.2 * max(1, len(min(decoded)[3])):
        raise InputError(
            f"{name}: not readable as text (tried {', '.join(TRIED)}); if it is text, "
            "give its encoding with --encoding"
        )
    fewest = min(decoded)[0]
    tied = [d for d in decoded if d[0] == fewest]
    if len({d[3] for d in tied}) > 1:  # plausible both ways: harmony decides
        tied.sort(key=lambda d: (disharmony(d[3]), d[1]))
    return tied[0][3], tied[0][2]


def _no_nul(text: str, name: str) -> str:
    if "\x00" in text:
        raise InputError(f"{name}: looks like a binary file (it contains NUL characters), not text")
    return text


_CJK = re.compile("[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uff00-\uffef]")


def _refuse_cjk(data: bytes, name: str) -> None:
    """Chinese in GB18030 (or GBK, GB2312) also decodes in the Cyrillic code
    pages, into Kazakh letters and some odd signs; Kazakh in a code page seldom
    decodes as GB18030 (a word of an odd number of letters before a space
    breaks it). Text that does, and is mostly Chinese then, is refused: the
    tool translates Kazakh and English."""
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        return
    wide = sum(1 for ch in text if ord(ch) > 127)
    cjk = len(_CJK.findall(text))
    # Chinese runs its characters together; Kazakh read as GB18030 keeps its
    # spaces, about one for every three characters (a word of six letters)
    if cjk >= 10 and cjk >= 0.6 * wide and text.count(" ") <= 0.1 * cjk:
        raise InputError(
            f"{name}: looks like Chinese text (GB18030); this tool translates Kazakh and English"
        )
