"""Mojibake: UTF-8 text read as CP1251 and saved again as UTF-8.

Each Cyrillic letter becomes two characters, the first of them Р, С, Т or У
(the CP1251 readings of the UTF-8 lead bytes D0–D3): ``Ақмола`` reads
``РђТ›РјРѕР»Р°``; ASCII stays as it is. Such a file is valid UTF-8, so the
reader takes it as given. The model gets it repaired (ftfy), the output keeps
it as read, and the segmenter cuts the repaired text and maps its sentences
back onto the text as read (:class:`MojibakeMap`: the CP1251 reading is one
character per byte, so each repaired character stands for as many characters
as its UTF-8 bytes).

:func:`has_mojibake` is one regular-expression search on clean text.
"""

from __future__ import annotations

import codecs
import re
from array import array
from bisect import bisect_right

# The CP1251 readings of the bytes 0x80-0xBF (UTF-8 continuation bytes); 0x98
# has none and stays U+0098, as Windows and ftfy's sloppy codec leave it.
_CONT = (
    "\u0402\u0403\u201a\u0453\u201e\u2026\u2020\u2021\u20ac\u2030\u0409\u2039\u040a\u040c\u040b"
    "\u040f\u0452\u2018\u2019\u201c\u201d\u2022\u2013\u2014\x98\u2122\u0459\u203a\u045a\u045c"
    "\u045b\u045f\xa0\u040e\u045e\u0408\xa4\u0490\xa6\xa7\u0401\xa9\u0404\xab\xac\xad\xae\u0407"
    "\xb0\xb1\u0406\u0456\u0491\xb5\xb6\xb7\u0451\u2116\u0454\xbb\u0458\u0405\u0455\u0457"
)
_C = "[" + re.escape(_CONT) + "]"
# The tell-tale pairs: a Cyrillic letter's lead byte and a continuation byte
# (Рђ, Т›, С–, У™), a Latin-1 sign's or letter's (ВЈ for £, ГЎ for á), or the
# start of a punctuation mark (вЂ” for —).
_TELL = re.compile("[РСТУВГ]" + _C + "|вЂ" + _C)
# One UTF-8 character as CP1251 text: a lead byte (В-Я: C2-DF; а-п: E0-EF;
# р-ф: F0-F4) and its continuation bytes.
_UNIT = re.compile(f"[В-Я]{_C}|[а-п]{_C}{{2}}|[р-ф]{_C}{{3}}")
_RUN = re.compile(f"(?:[В-Я]{_C}|[а-п]{_C}{{2}}|[р-ф]{_C}{{3}})+")
_CYRILLIC = re.compile("[\u0400-\u04ff]")
_SAMPLE = 100_000
REASON = "mojibake repaired (UTF-8 read as CP1251)"


def has_mojibake(text: str, least: int = 3) -> bool:
    """Whether ``text`` looks like UTF-8 read as CP1251: ``least`` tell-tale
    pairs or more (``Рђ``, ``Т›``, ``ВЈ`` for £), making up a third of its
    Cyrillic letters or more (in its first 100,000 characters). Legitimate
    text has almost none: a capital before ё (``Сёмга``) is the only common
    one. In English text one pair is enough (``least=1``: ``ВЈ2.8bn``)."""
    if _TELL.search(text) is None:
        return False
    sample = text[:_SAMPLE]
    pairs = len(_TELL.findall(sample))
    return pairs >= least and pairs * 3 >= len(_CYRILLIC.findall(sample))


def repair_mojibake(text: str) -> str:
    """``text`` with its mojibake repaired: each run of CP1251 readings of
    UTF-8 characters decoded exactly (:class:`MojibakeMap`, the repair the
    segmenter's offsets follow; clean words stay as they are), then ftfy's
    ``fix_encoding`` for what is left (a character cut in half, another code
    page). ftfy alone misreads some runs with Ў or ў (``РЎС–Р·``, ``Сіз``,
    came out ``ѳз`` in news text), hence the exact decoding first."""
    fixed = MojibakeMap(text).fixed
    if _TELL.search(fixed):
        try:
            from ftfy import fix_encoding
        except ImportError:  # pragma: no cover - ftfy is a dependency
            pass
        else:
            fixed = fix_encoding(fixed)
    return _HALF_SPACE.sub("", fixed)


# the first half of a no-break space read as CP1251 ("В" before "\xa0"), left at
# the end of the last sentence when the space itself was cut off
_HALF_SPACE = re.compile(r"(?<=[^\w\s])В$")


def _decode(run: str) -> str | None:
    """The text a CP1251 reading of UTF-8 characters stands for, or None."""
    try:
        return run.encode("cp1251", errors="translate-mojibake").decode("utf-8")
    except UnicodeError:
        return None


def _undefined_byte(exc: UnicodeError):
    """U+0098 was byte 0x98, which CP1251 leaves undefined."""
    if isinstance(exc, UnicodeEncodeError) and exc.object[exc.start] == "\x98":
        return b"\x98", exc.start + 1
    raise exc


codecs.register_error("translate-mojibake", _undefined_byte)


class MojibakeMap:
    """The repaired text of a mojibake text, and offsets between the two.

    Attributes:
        raw: The text as read.
        fixed: The text repaired, one character for each CP1251 reading of a
            UTF-8 character (a byte sequence that is not UTF-8 stays as read).
    """

    def __init__(self, raw: str):
        self.raw = raw
        pieces: list[str] = []
        # stretches of repaired characters: where they start in fixed and raw
        self._fixed_at = array("q")
        self._raw_at = array("q")
        self._size = array("q")  # their length in fixed
        pos = size = 0  # offsets reached in raw and fixed
        for m in _RUN.finditer(raw):
            pieces.append(raw[pos : m.start()])
            size += m.start() - pos
            pos = m.end()
            whole = _decode(m.group())
            if whole is not None:  # the usual case: a word at once
                self._fixed_at.append(size)
                self._raw_at.append(m.start())
                self._size.append(len(whole))
                pieces.append(whole)
                size += len(whole)
                continue
            open_stretch = False
            for u in _UNIT.finditer(raw, m.start(), m.end()):
                ch = _decode(u.group())
                if ch is None:
                    pieces.append(u.group())
                    size += len(u.group())
                    open_stretch = False
                    continue
                if not open_stretch:
                    self._fixed_at.append(size)
                    self._raw_at.append(u.start())
                    self._size.append(0)
                    open_stretch = True
                self._size[-1] += 1
                pieces.append(ch)
                size += 1
        pieces.append(raw[pos:])
        self.fixed = "".join(pieces)

    def _raw_width(self, k: int, n: int) -> int:
        """Characters of raw that the first ``n`` of stretch ``k`` stand for."""
        a = self._fixed_at[k]
        return len(self.fixed[a : a + n].encode("utf-8"))

    def to_raw(self, i: int) -> int:
        """The offset in the text as read of offset ``i`` of the repaired text."""
        k = bisect_right(self._fixed_at, i) - 1
        if k < 0:
            return i
        n = min(i - self._fixed_at[k], self._size[k])
        return self._raw_at[k] + self._raw_width(k, n) + (i - self._fixed_at[k] - n)

    def to_fixed(self, j: int) -> int:
        """The offset in the repaired text of offset ``j`` of the text as read
        (the start of the character it falls in)."""
        k = bisect_right(self._raw_at, j) - 1
        if k < 0:
            return j
        whole = self._raw_width(k, self._size[k])
        if j >= self._raw_at[k] + whole:
            return self._fixed_at[k] + self._size[k] + (j - self._raw_at[k] - whole)
        n, width = 0, 0
        a = self._fixed_at[k]
        while width + len(self.fixed[a + n].encode("utf-8")) <= j - self._raw_at[k]:
            width += len(self.fixed[a + n].encode("utf-8"))
            n += 1
        return a + n

    def spans_to_raw(self, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """Spans of the repaired text (sentences, in order) as spans of the
        text as read. A space read as mojibake (``В`` and a no-break space) is
        no space there: it joins the sentence after it (the last sentence's,
        the sentence before), so every character read stays in a sentence."""
        out = [(self.to_raw(a), self.to_raw(b)) for a, b in spans]
        for k in range(len(out)):
            b = out[k][1]
            nxt = out[k + 1][0] if k + 1 < len(out) else len(self.raw)
            gap = self.raw[b:nxt]
            if not gap.strip():
                continue
            if k + 1 < len(out):
                out[k + 1] = (b + len(gap) - len(gap.lstrip()), out[k + 1][1])
            else:
                out[k] = (out[k][0], b + len(gap.rstrip()))
        return out
