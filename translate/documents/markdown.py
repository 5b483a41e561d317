"""Markdown in and out (markdown-it-py, CommonMark with tables and strikethrough).

Headings, paragraphs, list items, block quotes and table cells are blocks.
The translated file is the original with only the text of those blocks
replaced: front matter (``---`` YAML ``---``), code blocks, HTML blocks,
link targets, image URLs and inline code are kept byte for byte. Inline
markup (emphasis, links, code spans, images, inline HTML) is placed in the
translation as :func:`translate.documents.base.place` decides. Text put
into the file is escaped so that it cannot become markup. A block's lines
become one line. Locators: ``md:line 12`` (``md:line 12, cell 2`` in a table).
"""

from __future__ import annotations

import html
import logging
import re

from markdown_it import MarkdownIt

from translate.documents.base import Block, Placed, Plan, Source, TextBuilder, short
from translate.text.encoding import decode_article

logger = logging.getLogger("translate")

_FRONT = re.compile(r"\A---[ \t]*\r?\n.*?^(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S | re.M)
_PREFIX = frozenset(" \t>-+*#.)0123456789")
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
# a line break and the next line's container markers (block quotes, indentation)
_SOFT = re.compile(r"[ \t]*\r?\n[ \t>]*")
_HARD = re.compile(r"(?:[ \t]{2,}|\\)\r?\n[ \t>]*")
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)[^>]*?(/?)>\Z")
_VOID = frozenset("area base br col embed hr img input link meta source track wbr".split())
_ESCAPE = re.compile(r"([\\`*_\[\]<>|&~#])")
_KIND = {"em": "emphasis", "strong": "bold", "s": "strikethrough"}


class _Mismatch(Exception):
    """The inline tokens do not line up with the source (left untranslated)."""


def parser() -> MarkdownIt:
    return MarkdownIt("commonmark").enable("table").enable("strikethrough")


def read_markdown(data: bytes, name: str, doc_id: str, encoding: str | None = None):
    text, used = decode_article(data, name, encoding)
    return MarkdownSource(text.removeprefix("\ufeff"), name, doc_id, used)


class MarkdownSource(Source):
    format = "md"

    def __init__(self, text: str, name: str, doc_id: str, encoding: str) -> None:
        self.src = text
        front = _FRONT.match(text)
        skip = text[: front.end()].count("\n") if front else 0
        body = text[front.end() :] if front else text
        self.starts = [0] + [m.end() for m in re.finditer(r"\n", text)]
        blocks: list[Block] = []
        tokens = parser().parse(body)
        for i, tok in enumerate(tokens):
            if tok.type == "tr_open" and tok.map:
                self._row(tokens, i, tok.map[0] + skip, blocks)
            elif tok.type == "inline" and tok.map and tokens[i - 1].type in (
                "heading_open", "paragraph_open",
            ):  # fmt: skip
                first, last = tok.map[0] + skip, tok.map[1] + skip
                span = self._locate(tok.content, first, last)
                if span is not None:
                    self._block(span, tok.children or [], f"md:line {first + 1}", blocks)
                elif tok.content.strip():
                    logger.warning(
                        "%s: md:line %d: not translated (its text could not be found in the "
                        "source lines; it is left as it is)",
                        self.name,
                        first + 1,
                    )
        super().__init__(name, blocks, doc_id, encoding=encoding, suffix=".md")

    def _line(self, k: int) -> tuple[int, str]:
        start = self.starts[k]
        end = self.starts[k + 1] - 1 if k + 1 < len(self.starts) else len(self.src)
        return start, self.src[start:end].rstrip("\r")

    def _locate(self, content: str, first: int, last: int) -> tuple[int, int] | None:
        """The span of an inline's content in the source: each of its lines
        stands in a source line after the container markers (``>``, ``-``, ``#``)."""
        lines = content.split("\n")
        if not content.strip() or len(lines) > last - first:
            return None
        start = end = None
        for k, c in enumerate(lines):
            at, line = self._line(first + k)
            p = line.find(c)
            while p >= 0 and not all(ch in _PREFIX for ch in line[:p]):
                p = line.find(c, p + 1)
            if p < 0:
                return None
            start = at + p if start is None else start
            end = at + p + len(c)
        return (start, end) if start is not None and end is not None else None

    def _row(self, tokens, i: int, line_no: int, blocks: list[Block]) -> None:
        cells = []
        for tok in tokens[i + 1 :]:
            if tok.type == "tr_close":
                break
            if tok.type == "inline":
                cells.append(tok)
        at, line = self._line(line_no)
        for k, (span, tok) in enumerate(zip(_split_row(line), cells)):
            where = f"md:line {line_no + 1}, cell {k + 1}"
            self._block((at + span[0], at + span[1]), tok.children or [], where, blocks, True)

    def _block(self, span, children, where: str, blocks: list[Block], cell=False) -> None:
        raw = self.src[span[0] : span[1]]
        try:
            b = _align(raw, children)
        except _Mismatch:
            logger.warning(
                "%s: %s: not translated (its inline markup could not be lined up with the "
                "source; it is left as it is)",
                self.name,
                where,
            )
            return
        if b.text and not b.only_atomic():
            blocks.append(Block(b.text, where, b.marks, (span, cell)))

    def render(self, plans: list[Plan | None]) -> tuple[bytes, list[tuple[int, int, str]]]:
        edits = []
        for block, plan in zip(self.blocks, plans):
            if plan is not None:
                (start, end), _ = block.handle
                edits.append((start, end, _markdown(plan.tree)))
        parts, at = [], 0
        for start, end, new in sorted(edits):
            parts += [self.src[at:start], new]
            at = end
        parts.append(self.src[at:])
        return "".join(parts).encode("utf-8"), []


def _split_row(line: str) -> list[tuple[int, int]]:
    """The spans of a table row's cells (pipes escaped with ``\\`` do not split)."""
    bars = [m.start() for m in re.finditer(r"(?<!\\)(?:\\\\)*\|", line)]
    bars = [b + (len(line[b:]) - len(line[b:].lstrip("\\"))) for b in bars]
    bars = [b for b in bars if line[b] == "|"]
    stripped = line.strip()
    lead = len(line) - len(line.lstrip())
    edges = bars if stripped.startswith("|") else [lead - 1, *bars]
    if not stripped.endswith("|") or (stripped.endswith("\\|")):
        edges.append(len(line.rstrip()))
    spans = []
    for a, b in zip(edges, edges[1:]):
        s, e = a + 1, b
        while s < e and line[s] in " \t":
            s += 1
        while e > s and line[e - 1] in " \t":
            e -= 1
        spans.append((s, e))
    return spans


def _align(s: str, children) -> TextBuilder:
    """The block's text and marks, from its inline tokens lined up with its source ``s``."""
    b = TextBuilder()
    stack: list[tuple[int, str, str]] = []
    paired = _html_pairs(children)
    pos, i = 0, 0
    while i < len(children):
        t = children[i]
        kind = t.type
        if kind == "text":
            pos = _match_text(s, pos, t.content)
            b.add(t.content)
        elif kind in ("softbreak", "hardbreak"):
            m = (_SOFT if kind == "softbreak" else _HARD).match(s, pos)
            if not m:
                raise _Mismatch(kind)
            if kind == "hardbreak":
                b.empty("a line break", ("raw", s[pos : m.end()].rstrip(" \t>")))
            b.add(" ")
            pos = m.end()
        elif kind == "code_inline":
            end = _code_end(s, pos, t.markup)
            start = b.open()
            b.add(t.content)
            b.mark(start, "inline code", True, ("raw", s[pos:end]))
            pos = end
        elif kind == "link_open" and t.markup == "autolink":
            end = s.find(">", pos) + 1
            if not s.startswith("<", pos) or end <= 0 or i + 2 >= len(children):
                raise _Mismatch("autolink")
            start = b.open()
            b.add(children[i + 1].content)
            b.mark(start, "a link", True, ("raw", s[pos:end]))
            pos, i = end, i + 2
        elif kind == "link_open":
            pos = _expect(s, pos, "[")
            stack.append((b.open(), "[", f"link to {t.attrs.get('href', '')}"))
        elif kind in ("em_open", "strong_open", "s_open"):
            pos = _expect(s, pos, t.markup)
            stack.append((b.open(), t.markup, f"{_KIND[kind[:-5]]} ({t.markup})"))
        elif kind in ("link_close", "em_close", "strong_close", "s_close"):
            if not stack:
                raise _Mismatch(kind)
            start, opener, label = stack.pop()
            if kind == "link_close":
                end = _link_tail(s, _expect(s, pos, "]") - 1)
            else:
                end = _expect(s, pos, t.markup)
            b.mark(start, label, False, ("wrap", opener, s[pos:end]))
            pos = end
        elif kind == "image":
            end = _link_tail(s, _bracket_end(s, _expect(s, pos, "![") - 1))
            b.empty(f"image {t.attrs.get('src', '')}", ("raw", s[pos:end]))
            pos = end
        elif kind == "html_inline" and paired.get(i) == "open":
            pos = _expect(s, pos, t.content)
            stack.append((b.open(), t.content, f"HTML {short(t.content, 30)}"))
        elif kind == "html_inline" and paired.get(i) == "close":
            start, opener, label = stack.pop()
            end = _expect(s, pos, t.content)
            b.mark(start, label, False, ("wrap", opener, t.content))
            pos = end
        elif kind == "html_inline":
            end = _expect(s, pos, t.content)
            b.empty(f"HTML {short(t.content, 30)}", ("raw", t.content))
            pos = end
        else:
            raise _Mismatch(kind)
        i += 1
    if stack or s[pos:].strip():
        raise _Mismatch("trailing text")
    return b


def _html_pairs(children) -> dict[int, str]:
    """Inline HTML tags that open and close an element around text
    (``<b>...</b>``), by token index: ``open`` or ``close``."""
    pairs: dict[int, str] = {}
    opened: list[tuple[int, str]] = []
    for i, t in enumerate(children):
        m = _TAG.match(t.content) if t.type == "html_inline" else None
        if not m or m.group(3) or m.group(2).lower() in _VOID:
            continue
        name = m.group(2).lower()
        if not m.group(1):
            opened.append((i, name))
        elif opened and opened[-1][1] == name:
            j, _ = opened.pop()
            pairs[j], pairs[i] = "open", "close"
        else:
            opened.clear()  # tags that cross: none of the open ones pairs
    return pairs


def _expect(s: str, pos: int, literal: str) -> int:
    if not s.startswith(literal, pos):
        raise _Mismatch(literal)
    return pos + len(literal)


def _match_text(s: str, pos: int, text: str) -> int:
    """Where ``text`` ends in the source from ``pos`` (escapes and entities allowed)."""
    for ch in text:
        m = _ENTITY.match(s, pos) if s.startswith("&", pos) else None
        if m and html.unescape(m.group()) == ch:
            pos = m.end()
        elif pos < len(s) and s[pos] == ch:
            pos += 1
        elif s.startswith("\\", pos) and s[pos + 1 : pos + 2] == ch:
            pos += 2
        elif ch == "\ufffd" and s[pos : pos + 1] == "\x00":
            pos += 1
        else:
            raise _Mismatch(text)
    return pos


def _code_end(s: str, pos: int, ticks: str) -> int:
    if not s.startswith(ticks, pos):
        raise _Mismatch("code")
    k = pos + len(ticks)
    while True:
        k = s.find(ticks, k)
        if k < 0:
            raise _Mismatch("code")
        end = k + len(ticks)
        if s[k - 1] != "`" and s[end : end + 1] != "`":
            return end
        k = end


def _bracket_end(s: str, pos: int) -> int:
    """The index of the ``]`` closing the ``[`` at ``pos``."""
    depth, k = 0, pos
    while k < len(s):
        c = s[k]
        if c == "\\":
            k += 2
            continue
        depth += 1 if c == "[" else -1 if c == "]" else 0
        if depth == 0:
            return k
        k += 1
    raise _Mismatch("]")


def _link_tail(s: str, pos: int) -> int:
    """The end of what follows a link's ``]`` at ``pos``: ``(url "title")``,
    ``[ref]`` or nothing."""
    k = pos + 1
    if s.startswith("(", k):
        depth, quote = 0, ""
        while k < len(s):
            c = s[k]
            if c == "\\":
                k += 2
                continue
            if quote:
                quote = "" if c == quote else quote
            elif c in "\"'" and s[k - 1] in " \t\n":
                quote = c
            elif c == "<" and s[k - 1] == "(":
                k = s.index(">", k) if ">" in s[k:] else k
            elif c == "(":
                depth += 1
            elif c == ")":
                depth -= 1
                if depth == 0:
                    return k + 1
            k += 1
        raise _Mismatch(")")
    if s.startswith("[", k):
        return _bracket_end(s, k) + 1
    return k


def _markdown(nodes: list, out: list[str] | None = None) -> str:
    """A placed tree as Markdown: text escaped, marks as their original markup."""
    out = [] if out is None else out
    for n in nodes:
        if isinstance(n, str):
            text = _ESCAPE.sub(r"\\\1", n)
            if not out or out[-1].endswith("\n"):
                text = re.sub(r"^([+\-=])", r"\\\1", text)
                text = re.sub(r"^(\d{1,9})([.)])", r"\1\\\2", text)
            out.append(text)
        elif isinstance(n, Placed):
            handle = n.mark.handle
            if handle[0] == "raw":
                out.append(handle[1])
            else:
                out.append(handle[1])
                _markdown(n.children, out)
                out.append(handle[2])
    return "".join(out)
