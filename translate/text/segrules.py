"""Language-neutral segmentation rules that look further than the tokens around
a full stop: quotations embedded in a clause by деп, dates used as a
predicate, short abbreviations inside brackets, initials with two-letter parts.

Every look-around here is bounded (a fixed number of characters or tokens), so
the segmenter stays linear on any input.
"""

from __future__ import annotations

import re
from bisect import bisect_right

_QUOTE_CHARS = re.compile("[«»]")
_CONTINUES = frozenset(",;:")

# Two-letter parts of romanised initials (Ye.S. Smith, Zh.A., Kh.M.): Russian
# and Kazakh letters written with two Latin ones.
DIGRAPH_INITIALS = frozenset("ch dj dz gh kh sh th ts ya ye yo yu zh".split())

# Tokens of a date expression before ж., жж., ғ., ғғ.: a year, a century in
# Roman numerals, a range of either; era abbreviations before them.
_DATE_TOKEN = re.compile(r"[0-9IVXLCDM]+(?:[-–—/][0-9IVXLCDM]+)?")
_BACK = 48  # characters looked at before a date abbreviation


def embedded_quotations(
    text: str, start: int, end: int, embedding: frozenset[str]
) -> list[tuple[int, int]]:
    """Spans ``(open, close)`` of quotations inside ``text[start:end]`` that are
    part of a clause: one of the ``embedding`` words (the non-finite forms of
    Kazakh де- "say", ``деп``, ``деген``, and ``атты`` "named") follows the
    closing quote directly, with no comma or dash (``«Сен кімсің? Қайдан
    келдің?» деп сұраған``). Such a quotation is the complement of the verb
    after it, and sentence ends inside it are not boundaries. Direct speech
    followed by the author's words (``«… . …», – деді ол``, ``«… . …» деді
    ол``, ``"… . …," he said``) keeps its sentences, and so do quotations in
    English quotation marks (“…” деп), the typography of text translated from
    English, which follows the English sentences."""
    if not embedding:
        return []
    spans: list[tuple[int, int]] = []
    guillemets: list[int] = []
    for m in _QUOTE_CHARS.finditer(text, start, end):
        i = m.start()
        if m.group() == "«":
            guillemets.append(i)
        elif guillemets:
            opened = guillemets.pop()
            if _embedded(text, i, end, embedding):
                spans.append((opened, i))
    spans.sort()
    merged: list[tuple[int, int]] = []  # nested quotations: one span
    for a, b in spans:
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged


def _embedded(text: str, close: int, end: int, embedding: frozenset[str]) -> bool:
    """Whether an ``embedding`` word follows the closing quote at ``close``
    directly (spaces and other closing quotes or brackets between)."""
    k = close - 1
    while k >= 0 and text[k].isspace():
        k -= 1
    if k >= 0 and text[k] in _CONTINUES:
        return False  # «…,» – деді: direct speech
    k = close + 1
    while k < end and k - close < 8 and (text[k].isspace() or text[k] in '»”"“)'):
        k += 1
    i = k
    while i < end and i - k < 16 and text[i].isalpha():
        i += 1
    return text[k:i].lower() in embedding


def inside(spans: list[tuple[int, int]], starts: list[int], p: int) -> bool:
    """Whether ``p`` lies strictly inside one of ``spans`` (disjoint, sorted;
    ``starts`` their starts)."""
    k = bisect_right(starts, p) - 1
    return k >= 0 and spans[k][0] < p < spans[k][1]


def predicate_date(text: str, token_start: int, sent_start: int, eras: frozenset[str]) -> bool:
    """Whether the date abbreviation starting at ``token_start`` (ж., ғғ.) closes
    a date that follows a dash or a colon: the date is the sentence's
    predicate (``Салынған уақыты – XIV–XV ғғ.``, ``Құрылған жылы: 1991 ж.``),
    so the sentence ends there."""
    lo = max(sent_start, token_start - _BACK)
    words = text[lo:token_start].split()
    if lo > sent_start and words:
        words = words[1:]  # cut in the middle
    seen_date = False
    for n in range(len(words) - 1, -1, -1):
        w = words[n]
        if w in ("–", "—", "-", ":") or w.endswith(":"):
            if w.endswith(":") or not (n > 0 and _DATE_TOKEN.fullmatch(words[n - 1])):
                return seen_date  # a spaced range (1200 – 1000 жж.) goes on
            continue
        if _DATE_TOKEN.fullmatch(w):
            seen_date = True
            continue
        if w.rstrip(".").lower() in eras:
            continue
        return False
    return False


def bracketed_abbreviation(text: str, token: str, p: int, sent_start: int) -> bool:
    """A short lower-case word and a full stop before a number inside brackets
    is an abbreviation (``(үз. 2 — 4 мм)``, ``(диам. 5 см)``): the bracket is
    still open at ``p`` and no sentence ends inside it."""
    if not (1 <= len(token) <= 4 and token.isalpha() and token.islower()):
        return False
    lo = max(sent_start, p - _BACK)
    opened = text.rfind("(", lo, p)
    return opened >= 0 and ")" not in text[opened:p]


def initial_parts(token: str, after: str = "") -> list[str] | None:
    """The parts of a run of initials (``М``, ``Қ.-Ж``, ``J.R.R``, ``Ye.S``),
    or None when ``token`` is not one. A two-letter part must be a romanised
    letter (:data:`DIGRAPH_INITIALS`) and needs another initial beside it:
    in the token, or next (``after``, the text after the full stop and its
    spaces: ``Ye. S. Smith``)."""
    parts = [x for x in re.split(r"[.\-]", token) if x]
    if not parts:
        return None
    for x in parts:
        if len(x) == 1 and x.isalpha() and x.isupper():
            continue
        if len(x) == 2 and x[0].isupper() and x.lower() in DIGRAPH_INITIALS:
            if len(parts) > 1 or (_NEXT_INITIAL.match(after) and after[:1].isupper()):
                continue
        return None
    return parts


_NEXT_INITIAL = re.compile(r"[^\W\d_][^\W\d_]?\.", re.UNICODE)


def lost_letter_mark(text: str, p: int, q: int, end: int) -> bool:
    """Whether the "?"s at ``text[p:q]`` stand for Kazakh letters a code page
    lost (``А?мола облысыны? ?кімі``) rather than end a question: they touch
    a Cyrillic letter after them, or end a word and no capital follows (or the
    word ends in ы/і, as -ның, -нің, -лық do)."""
    if text[p:q].strip("?"):
        return False  # other punctuation in the run: ?!, ?..
    before = text[p - 1] if p > 0 else ""
    if q < end and _is_cyrillic(text[q]):
        # inside a word or at its start; not a question glued to the next one
        return not (before.islower() and text[q].isupper())
    if not before or not _is_cyrillic(before):
        return False
    k = q
    while k < end and text[k].isspace():
        k += 1
    return k < end and (not text[k].isupper() or text[p - 1] in "ыіЫІ")


def _is_cyrillic(ch: str) -> bool:
    return "\u0400" <= ch <= "\u04ff"


def glued_year(text: str, j: int, end: int, prev: str, abbreviations) -> bool:
    """``болатын.1856 ж.``: a full stop glued to a year starts a sentence. The
    word before (``prev``) has three letters or more and ends in a small one,
    and is no abbreviation (``abbreviations``: sets of them); the number at
    ``j`` has up to four digits and stands alone (``report.2024.pdf`` and
    ``1.5`` are not sentence ends)."""
    k = j
    while k < end and k - j < 5 and text[k].isdigit():
        k += 1
    if k - j > 4 or (k < end and not (text[k].isspace() or text[k] in "-–—―‒")):
        return False
    if len(prev) < 3 or not prev.isalpha() or not prev[-1].islower():
        return False
    return not any(prev.lower() in listed for listed in abbreviations)
