"""Sentence segmentation for Kazakh and English.

The segmenter never rewrites text: it returns spans into the original string
(``sentence.text == text[sentence.start:sentence.end]``). Sentences do not
overlap, come in order and together cover every non-whitespace character.

Language knowledge (abbreviations, words that start sentences) lives in data
files under ``translate/data/segment/``; the rules here are language neutral.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources

from translate.errors import UnsupportedLanguageError
from translate.records import Sentence
from translate.text.letters import has_lost_letters
from translate.text.mojibake import MojibakeMap, has_mojibake
from translate.text.segrules import (
    bracketed_abbreviation,
    embedded_quotations,
    glued_year,
    initial_parts,
    inside,
    lost_letter_mark,
    predicate_date,
)

SEGMENTER_VERSION = "kkseg-3"
SUPPORTED_LANGUAGES = ("kk", "en")

# Line breaks as str.splitlines() knows them.
_LINE_BREAK = re.compile(r"\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
_TERMINAL = re.compile(r"[.!?…‽⁇⁈⁉。！？]+")
_CLOSERS = frozenset("»\"'”“’)]}›」』")
_OPENERS = frozenset("«\"'“„‘([{‹「『")
_DASHES = frozenset("-–—―‒")
_QUOTES_CLOSE = frozenset('»"”“')
# Invisible format characters (zero-width space, joiners, word joiner, BOM,
# soft hyphen, Mongolian vowel separator, direction marks): transparent where a
# boundary is decided (a zero-width space also separates words, as a space
# does), and removed from the model's input (translate.text.normalize).
INVISIBLE = frozenset(
    "\u00ad\u180e\u200b\u200c\u200d\u200e\u200f\u2060\ufeff"
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
_END_OF_LINE_PUNCT = frozenset('.!?…:;»"”“’)]‽')
# Bounded repetitions keep matching linear on pathological input ("a.a.a.a...").
_URL = re.compile(
    r"(?:https?://|ftp://|www\.)[^\s«»\"“”<>]{0,2000}[^\s«»\"“”<>.,!?;:)\]']"
    r"|[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}"
    r"|\b[\w-]{1,63}(?:\.[\w-]{1,63}){0,8}\.(?:kz|ru|com|org|net|gov|edu|info|io|uk|us|қаз)\b"
    r"(?:/[^\s«»\"“”]{0,2000})?",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class LanguageRules:
    """Abbreviation classes and sentence starters for one language. ``date``
    abbreviations (ж., ғғ.) are ``rarely`` ones that also end a sentence when
    their date follows a dash or a colon (a predicate); ``embedding`` words
    (деп, деген) make the quotation before them part of their sentence."""

    lang: str
    noend: frozenset[str]
    mayend: frozenset[str]
    rarely: frozenset[str]
    starters: frozenset[str]
    date: frozenset[str] = frozenset()
    embedding: frozenset[str] = frozenset()


def _parse_rules(lang: str, content: str) -> LanguageRules:
    classes: dict[str, set[str]] = {"noend": set(), "mayend": set(), "rarely": set(), "date": set()}
    starters: set[str] = set()
    embedding: set[str] = set()
    section = ""
    for raw in content.splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1]
            continue
        if section == "abbreviations":
            parts = line.split()
            if len(parts) != 2 or parts[1] not in classes:
                raise ValueError(f"bad abbreviation line in {lang} rules: {raw!r}")
            classes[parts[1]].add(parts[0].lower())
        elif section == "starters":
            starters.add(line.lower())
        elif section == "embedding":
            embedding.add(line.lower())
    return LanguageRules(
        lang,
        frozenset(classes["noend"]),
        frozenset(classes["mayend"]),
        frozenset(classes["rarely"] | classes["date"]),
        frozenset(starters),
        frozenset(classes["date"]),
        frozenset(embedding),
    )


@cache
def language_rules(lang: str) -> LanguageRules:
    """Load the rules for ``lang`` from the package data.

    Raises:
        UnsupportedLanguageError: ``lang`` has no rules.
    """
    if lang not in SUPPORTED_LANGUAGES:
        raise UnsupportedLanguageError(lang, SUPPORTED_LANGUAGES, "segmentation language")
    content = (
        resources.files("translate")
        .joinpath("data")
        .joinpath("segment")
        .joinpath(f"{lang}.txt")
        .read_text("utf-8")
    )
    return _parse_rules(lang, content)


def segment(text: str, lang: str = "kk", *, doc_id: str = "doc", start: int = 0) -> list[Sentence]:
    """Split ``text`` into sentences.

    Args:
        text: The text, as given (nothing is rewritten).
        lang: ``"kk"`` or ``"en"``.
        doc_id: Document id stored in each sentence.
        start: Offset where segmentation begins (text before it is skipped,
            e.g. a ``date YYYY-MM-DD`` marker). Offsets stay relative to ``text``.

    Returns:
        The sentences in order; paragraph indexes count non-blank paragraphs.

    Raises:
        UnsupportedLanguageError: ``lang`` is not supported.
    """
    rules = language_rules(lang)
    if has_mojibake(text[start:]):  # UTF-8 read as CP1251: cut the repaired text
        fixed = MojibakeMap(text)
        found = _spans(fixed.fixed, fixed.to_fixed(start), rules)
        raw = fixed.spans_to_raw([(s, e) for _, s, e in found])
        return [
            Sentence(doc_id, para, k, s, e, text[s:e])
            for k, ((para, _, _), (s, e)) in enumerate(zip(found, raw))
        ]
    return [
        Sentence(doc_id, para, k, s, e, text[s:e])
        for k, (para, s, e) in enumerate(_spans(text, start, rules))
    ]


def _spans(text: str, start: int, rules: LanguageRules) -> list[tuple[int, int, int]]:
    """``(paragraph, start, end)`` of each sentence."""
    lost = has_lost_letters(text[start:])  # "?" for Kazakh letters (lost_letter_mark)
    out: list[tuple[int, int, int]] = []
    for para, (p_start, p_end) in enumerate(paragraphs(text, start)):
        for s, e in _split_paragraph(text, p_start, p_end, rules, lost):
            out.append((para, s, e))
    return out


def paragraphs(text: str, start: int = 0) -> list[tuple[int, int]]:
    """Spans of paragraphs: non-blank lines, joined when a line is hard-wrapped.

    A line is taken as wrapped mid-sentence when it ends without terminal
    punctuation and the next line starts with a lower-case letter.
    """
    spans: list[tuple[int, int]] = []
    prev_open = False  # the previous non-blank line may continue on this one
    for a, b in _lines(text, start):
        s, e = _strip(text, a, b)
        if s >= e:
            prev_open = False
            continue
        if prev_open and text[s].islower():
            spans[-1] = (spans[-1][0], e)
        else:
            spans.append((s, e))
        prev_open = text[e - 1] not in _END_OF_LINE_PUNCT
    return spans


def _lines(text: str, start: int) -> Iterator[tuple[int, int]]:
    """Spans of the lines of ``text[start:]``, one at a time: a text of 20 MB of
    newlines is 20 million lines, which a list would hold at 70 bytes each."""
    pos = start
    for m in _LINE_BREAK.finditer(text, start):
        yield pos, m.start()
        pos = m.end()
    yield pos, len(text)


def _strip(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def _split_paragraph(
    text: str, start: int, end: int, rules: LanguageRules, lost: bool = False
) -> list[tuple[int, int]]:
    protected = [(m.start(), m.end()) for m in _URL.finditer(text, start, end)]
    starts = [a for a, _ in protected]
    quoted = embedded_quotations(text, start, end, rules.embedding)  # «… . …» деп
    quoted_starts = [a for a, _ in quoted]
    cuts: list[int] = []
    sent_start = start
    for m in _TERMINAL.finditer(text, start, end):
        p, q = m.start(), m.end()
        if protected:
            k = bisect_right(starts, p) - 1
            if k >= 0 and p < protected[k][1]:
                continue  # inside a URL or e-mail address
        if lost and lost_letter_mark(text, p, q, end):
            continue
        if quoted and inside(quoted, quoted_starts, p):
            continue
        cut = _boundary(text, p, q, end, sent_start, rules)
        if cut is not None:
            cuts.append(cut)
            sent_start = cut
    spans: list[tuple[int, int]] = []
    prev = start
    for c in cuts + [end]:
        s, e = _strip(text, prev, c)
        if s < e:
            spans.append((s, e))
        prev = c
    return spans


def _boundary(
    text: str, p: int, q: int, end: int, sent_start: int, rules: LanguageRules
) -> int | None:
    """Decide whether the punctuation run ``text[p:q]`` ends a sentence.

    Returns the offset just after the sentence (after closing quotes), or None.
    """
    punct = text[p:q]
    j = q
    while j < end and (text[j] in _CLOSERS or text[j] in INVISIBLE):
        j += 1
    if j >= end:
        return None  # paragraph end is a boundary anyway
    if (
        text[j] == " "
        and j + 1 < end
        and text[j + 1] == "»"
        and (j + 2 >= end or text[j + 2].isspace() or text[j + 2] == ",")
    ):
        j += 2  # "ашты. »": a detached closing quote belongs to the sentence
        if j >= end:
            return None
    if not text[j].isspace() and "\u200b" not in text[q:j]:
        glued = all(c in INVISIBLE for c in text[q:j])
        return _glued_boundary(text, p, q, j, end, rules) if glued else None
    k = j
    while k < end and (text[k].isspace() or text[k] in INVISIBLE):
        k += 1
    if k >= end:
        return None
    nxt = text[k]
    is_period = punct == "."
    if is_period and _is_abbreviation_stop(text, p, sent_start, k, end, rules):
        return None
    if is_period and _is_list_marker(text, p, sent_start):
        return None
    if nxt in ",;:" or (nxt.islower() and not _camel_case(text, k, end)):
        return None
    if nxt in _DASHES:
        word = _word_after(text, k + 1, end)
        if word and word[0].islower():
            return None  # «...?!» – деп сұрады / ..., – деді ол.
        if punct in ("...", "…") and any(c in _QUOTES_CLOSE for c in text[q:j]):
            return None  # «Абай жолы…» — Мұхтар Әуезовтің романы: a title, then its predicate
        return j
    if nxt in _OPENERS:
        word = _word_after(text, k + 1, end)
        if word and word[0].islower():
            return None
        return j
    if punct in ("...", "…", "..") and not (nxt.isupper() or nxt.isdigit()):
        return None
    return j


def _glued_boundary(
    text: str, p: int, q: int, j: int, end: int, rules: LanguageRules
) -> int | None:
    """``сөйледі.Бүгін``: a sentence end with the space missing."""
    if text[p:q] not in (".", "!", "?", "?!", "!?") or j >= end:
        return None
    if text[j].isdigit() and q == j:  # болатын.1856 ж.: a year glued to the next sentence
        lists = (rules.noend, rules.mayend, rules.rarely)
        return q if glued_year(text, j, end, _token_before(text, p), lists) else None
    nxt_word = _word_after(text, j, end)
    if len(nxt_word) < 2 or not nxt_word[0].isupper() or not nxt_word[1:2].islower():
        return None
    prev = _token_before(text, p)
    if len(prev) < 3 or not prev.isalpha() or not prev[-1].islower():
        return None
    if prev.lower() in rules.noend or prev.lower() in rules.mayend:
        return None
    return q


# Tokens looked at around a candidate boundary are capped, so pathological input
# (a 20 MB run of "a.a.a.") stays linear; no abbreviation is this long.
_MAX_TOKEN = 64


def _token_before(text: str, p: int) -> str:
    """The token that ends at ``p``: letters, digits, inner dots and hyphens."""
    i = p
    stop = max(0, p - _MAX_TOKEN)
    while i > stop and (text[i - 1].isalnum() or text[i - 1] in ".-'’"):
        i -= 1
    return text[i:p].strip(".-'’")


def _word_after(text: str, k: int, end: int) -> str:
    while k < end and (
        text[k].isspace() or text[k] in _OPENERS or text[k] in _DASHES or text[k] in INVISIBLE
    ):
        k += 1
    i = k
    end = min(end, k + _MAX_TOKEN)
    while i < end and text[i].isalnum():
        i += 1
    return text[k:i]


def _is_abbreviation_stop(
    text: str, p: int, sent_start: int, k: int, end: int, rules: LanguageRules
) -> bool:
    """True when the full stop at ``p`` belongs to an abbreviation or initial."""
    token = _token_before(text, p)
    if not token:
        return False
    low = token.lower()
    nxt = text[k]
    # Initials: М. Ахметжанов, Қ.-Ж. Тоқаев, J. R. R. Tolkien.
    if low in rules.noend:
        return True
    if low in rules.mayend:
        return not nxt.isupper() and not (nxt in _DASHES or nxt in _OPENERS)
    if low in rules.rarely:
        word = _word_after(text, k, end)
        if low in rules.date and nxt.isupper():
            # Салынған уақыты – XIV–XV ғғ. Кесене ...: the date is the predicate
            if predicate_date(text, p - len(token), sent_start, rules.rarely):
                return False
        return word.lower() not in rules.starters
    if nxt.isdigit() and bracketed_abbreviation(text, token, p, sent_start):
        return True  # (үз. 2 — 4 мм)
    parts = initial_parts(token, text[k : k + 3])
    if parts is None:
        return False
    nxt_word = _word_after(text, k, end)
    if len(nxt_word) > 1 and nxt_word.lower() in rules.starters:
        return False  # "Plan B. The ..." and "... 500 B.C. The ..." end a sentence
    return True


def _camel_case(text: str, k: int, end: int) -> bool:
    """``iPhone``, ``eBay``: a lower-case start that is still a sentence start."""
    word = _word_after(text, k, end)
    return len(word) > 2 and word[0].islower() and word[1].isupper()


def _is_list_marker(text: str, p: int, sent_start: int) -> bool:
    """``1. Бірінші ...`` at a sentence start: the number is a list label."""
    token = _token_before(text, p)
    if not token.isdigit() or len(token) > 3:
        return False
    i = p - len(token)
    while i > sent_start and text[i - 1].isspace():
        i -= 1
    return i <= sent_start
