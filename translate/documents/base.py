"""What every document format shares.

A format reads a file into a :class:`Source`: its translatable **blocks**
(paragraphs, headings, list items, table cells...) in reading order, each a
line of plain text with a **locator** (where it stood in the original) and
the inline **marks** inside it (bold, links, inline code...). The blocks
joined by blank lines are the text of the :class:`~translate.records.Document`
that the pipeline translates, so every record falls in exactly one block.

After translation, :func:`place` puts each block's inline marks into its
translation (a mark that wraps whole sentences keeps wrapping them; any other
is kept where its text appears verbatim in the translation, else dropped, or
for untouchable ones such as inline code moved to the end of the sentence),
and the format writes the translated document from the result.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any, ClassVar

from translate.records import Document

# A blank line between blocks: a paragraph never runs from one block into the
# next (the segmenter joins lines it takes as hard-wrapped, never across a
# blank line).
BLOCK_SEPARATOR = "\n\n"


@dataclass
class Mark:
    """Inline markup inside a block: ``block.text[start:end]`` is what it wraps.

    Attributes:
        start, end: Its span in the block's text (equal for an empty element
            such as ``<br>`` or an image).
        label: How a message names it (``<b>``, ``link to https://...``).
        atomic: Its content is never changed (inline code, images, comments):
            written back as it was.
        handle: The format's own object for it (an element, raw markup).
    """

    start: int
    end: int
    label: str
    atomic: bool = False
    handle: Any = None
    depth: int = 0  # nesting depth: the outer of two marks with the same span comes first


@dataclass
class Block:
    """One translatable text of a document, as one line of plain text."""

    text: str
    locator: str
    marks: list[Mark] = field(default_factory=list)
    handle: Any = None


@dataclass
class Placed:
    """A mark placed in a translation, with what it wraps there."""

    mark: Mark
    children: list[Node]


Node = "str | Placed"


@dataclass
class Plan:
    """What a block becomes: its translation (sentences joined by spaces) and
    the same text with the block's marks placed in it (``tree``)."""

    text: str
    tree: list
    issues: list[tuple[int, str]] = field(default_factory=list)  # (offset in block, message)


class Source(ABC):
    """A document read from a file: its blocks and how to write it translated.

    Attributes:
        format: ``text``, ``html``, ``docx`` or ``md``.
        suffix: The file suffix of the translated document (``.html``).
        name: The path it was read from (``-`` for stdin).
        document: The text the pipeline translates (blocks joined by blank lines).
        spans: Each block's ``(start, end)`` in ``document.text``.
    """

    format: ClassVar[str] = ""
    binary: ClassVar[bool] = False

    def __init__(
        self, name: str, blocks: list[Block], doc_id: str, *, date: str | None = None,
        encoding: str = "utf-8", suffix: str = ".txt",
    ) -> None:  # fmt: skip
        self.name = name
        self.blocks = blocks
        self.suffix = suffix
        self.document, self.spans = make_document(blocks, doc_id, name, date, encoding)

    @abstractmethod
    def render(self, plans: list[Plan | None]) -> tuple[bytes, list[tuple[int, int, str]]]:
        """The translated document, from one plan per block (``None``: the
        block had no sentence; it stays as it was), and what could not be
        kept: ``(block, offset in the block, message)``."""


def make_document(
    blocks: list[Block], doc_id: str, name: str, date: str | None, encoding: str
) -> tuple[Document, list[tuple[int, int]]]:
    """The document text of ``blocks`` (blank lines between them; a ``date``
    marker first when there is a date) and each block's span in it."""
    prefix = f"date {date} " if date else ""
    spans = []
    pos = len(prefix)
    for b in blocks:
        spans.append((pos, pos + len(b.text)))
        pos += len(b.text) + len(BLOCK_SEPARATOR)
    text = prefix + BLOCK_SEPARATOR.join(b.text for b in blocks)
    doc = Document(
        id=doc_id, text=text, body_start=len(prefix), date=date, source=name, encoding=encoding
    )
    return doc, spans


class TextBuilder:
    """Builds a block's text from pieces, white space collapsed to single
    spaces and stripped at both ends, with the spans of marks opened and
    closed along the way."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.n = 0
        self.pending = False  # a space to write before the next visible character
        self.marks: list[Mark] = []
        self.depth = 0

    def add(self, s: str) -> None:
        for word in _words(s):
            if word == " ":
                self.pending = self.n > 0
                continue
            if self.pending:
                self.parts.append(" ")
                self.n += 1
                self.pending = False
            self.parts.append(word)
            self.n += len(word)

    def open(self) -> int:
        """The start of a mark's span (a space before it stays outside)."""
        if self.pending:
            self.parts.append(" ")
            self.n += 1
            self.pending = False
        self.depth += 1
        return self.n

    def here(self) -> int:
        return self.n

    def empty(self, label: str, handle: Any = None) -> Mark:
        """An empty element (``<br>``, an image, a comment) at this point."""
        m = Mark(self.n, self.n, label, True, handle, self.depth)
        self.marks.append(m)
        return m

    def mark(self, start: int, label: str, atomic: bool = False, handle: Any = None) -> Mark:
        self.depth -= 1
        m = Mark(start, self.n, label, atomic, handle, self.depth)
        self.marks.append(m)
        return m

    @property
    def text(self) -> str:
        return "".join(self.parts)

    def only_atomic(self) -> bool:
        """Whether every visible character lies inside atomic marks (a block
        of inline code only: nothing to translate)."""
        covered = [False] * self.n
        for m in self.marks:
            if m.atomic:
                covered[m.start : m.end] = [True] * (m.end - m.start)
        text = self.text
        return all(c or text[i].isspace() for i, c in enumerate(covered))


def _words(s: str) -> list[str]:
    """``s`` as runs of visible characters and single ``" "`` for white space."""
    return [" " if w[0].isspace() else w for w in _RUNS.findall(s)]


_RUNS = re.compile(r"\s+|\S+")


def collapse(s: str) -> str:
    return " ".join(s.split())


def short(text: str, limit: int = 40) -> str:
    text = collapse(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass
class _Item:
    us: int
    ue: int
    mark: Mark
    order: int
    pad: bool = False  # moved to the end of a sentence: a space before it


def place(
    text: str, marks: list[Mark], sentences: list[tuple[int, int]], translations: list[str]
) -> Plan:
    """Put a block's marks into its translation.

    ``sentences`` are the spans of the block's sentences in ``text``, and
    ``translations`` their translations, in order. A mark that wraps whole
    sentences wraps their translations; another is kept where its text
    appears verbatim in the translation (a name, a number, a URL the model
    copied); else a plain mark is dropped (its text stays, translated) and an
    atomic one (inline code) is moved to the end of its sentence. An empty
    element (``<br>``, an image) keeps its place between sentences, or goes to
    the end of the sentence it stood in. Each drop or move is an issue.
    """
    ranges: list[tuple[int, int] | None] = []
    parts: list[str] = []
    pos = 0
    for t in translations:
        if t:
            if parts:
                pos += 1
            ranges.append((pos, pos + len(t)))
            parts.append(t)
            pos += len(t)
        else:
            ranges.append(None)
    out = " ".join(parts)
    issues: list[tuple[int, str]] = []
    placed: list[_Item] = []

    def end_before(k: int) -> int:
        """End of the last translated sentence before sentence ``k``."""
        for j in range(k - 1, -1, -1):
            r = ranges[j]
            if r:
                return r[1]
        return 0

    def sentence_of(offset: int) -> int:
        k = 0
        for i, (s, _) in enumerate(sentences):
            if s <= offset:
                k = i
        return k

    def fits(us: int, ue: int, atomic: bool) -> bool:
        """Whether a span can be placed: nested in or around the placed ones
        (never crossing one), and nothing inside untouched content."""
        for p in placed:
            if us == ue or p.us == p.ue:  # an empty element: only never inside atomic content
                if (us == ue and p.mark.atomic and p.us < us < p.ue) or (
                    p.us == p.ue and atomic and us < p.us < ue
                ):
                    return False
                continue
            if ue <= p.us or p.ue <= us:
                continue
            if p.us <= us and ue <= p.ue:
                if p.mark.atomic:
                    return False
            elif us <= p.us and p.ue <= ue:
                if atomic:
                    return False
            else:
                return False  # crossing
        return True

    for order, m in enumerate(sorted(marks, key=lambda m: (m.start, -m.end, m.depth))):
        if m.start == m.end:
            inside = [i for i, (s, e) in enumerate(sentences) if s < m.start < e]
            if inside:
                k = inside[0]
                at = ranges[k][1] if ranges[k] else end_before(k)
                issues.append((m.start, f"moved {m.label} to the end of its sentence"))
            else:
                at = end_before(sum(1 for _, e in sentences if e <= m.start))
            placed.append(_Item(at, at, m, order))
            continue
        span = None if m.atomic else _whole_sentences(m, sentences, ranges)
        if span is None or not fits(*span, m.atomic):
            span = _verbatim(out, text[m.start : m.end], m, sentences, ranges, fits)
        if span is not None:
            placed.append(_Item(span[0], span[1], m, order))
        elif m.atomic:
            k = sentence_of(max(m.start, m.end - 1))
            at = ranges[k][1] if ranges[k] else end_before(k)
            issues.append(
                (
                    m.start,
                    f"moved {m.label} «{short(text[m.start : m.end])}» to the end of its "
                    "sentence (its text is not in the translation)",
                )
            )
            placed.append(_Item(at, at, m, order, pad=True))
        else:
            issues.append(
                (
                    m.start,
                    f"dropped {m.label} around «{short(text[m.start : m.end])}» "
                    "(its text is not in the translation)",
                )
            )
    return Plan(out, _tree(out, 0, len(out), placed), issues)


def _whole_sentences(m, sentences, ranges) -> tuple[int, int] | None:
    """Where a mark that wraps whole sentences goes: around their
    translations (empty where they have none)."""
    first = [i for i, (s, _) in enumerate(sentences) if s == m.start]
    last = [i for i, (_, e) in enumerate(sentences) if e == m.end]
    if not first or not last or first[0] > last[0]:
        return None
    inner = [r for r in ranges[first[0] : last[0] + 1] if r]
    if not inner:
        before = [r for r in ranges[: first[0]] if r]
        at = before[-1][1] if before else 0
        return at, at
    return inner[0][0], inner[-1][1]


def _verbatim(out, needle, m, sentences, ranges, fits) -> tuple[int, int] | None:
    needle = needle.strip()
    if not needle:
        return None
    # prefer the sentences the mark stood in, then anywhere
    ks = [i for i, (s, e) in enumerate(sentences) if s < m.end and m.start < e]
    inner = [ranges[i] for i in ks if ranges[i]]
    windows = [(inner[0][0], inner[-1][1])] if inner else []
    windows.append((0, len(out)))
    for lo, hi in windows:
        at = out.find(needle, lo, hi)
        while at >= 0:
            if fits(at, at + len(needle), m.atomic):
                return at, at + len(needle)
            at = out.find(needle, at + 1, hi)
    return None


def _tree(out: str, a: int, b: int, items: list[_Item]) -> list:
    """The text ``out[a:b]`` with the placed marks as nested nodes."""
    items = sorted(items, key=lambda x: (x.us, x.us != x.ue, -(x.ue - x.us), x.order))
    nodes: list = []
    cur = a
    k = 0
    while k < len(items):
        it = items[k]
        kids = [
            c for c in items[k + 1 :]
            if it.us <= c.us and c.ue <= it.ue and (c.us != c.ue or it.us < c.us < it.ue)
        ]  # fmt: skip
        if it.us > cur:
            nodes.append(out[cur : it.us])
        if it.pad and it.us > a and not out[it.us - 1].isspace():
            nodes.append(" ")
        if it.mark.atomic or it.us == it.ue:
            nodes.append(Placed(it.mark, []))
        else:
            nodes.append(Placed(it.mark, _tree(out, it.us, it.ue, kids)))
        cur = max(cur, it.ue)
        items = items[: k + 1] + [c for c in items[k + 1 :] if not any(c is x for x in kids)]
        k += 1
    if cur < b:
        nodes.append(out[cur:b])
    return nodes
