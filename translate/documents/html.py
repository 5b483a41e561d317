"""HTML in, HTML out (lxml).

A **web page** (``<html>``/``<body>`` with navigation, a header, a footer...)
is reduced to its article by trafilatura (:mod:`translate.documents.page`).
An **article body or fragment** (or a page without such furniture) is
translated in place: the text of every element outside ``script``, ``style``,
``code``, ``pre`` (and ``template``, ``textarea``, ``svg``, ``math``) is
gathered into blocks: a run of text and inline elements (``b``, ``i``,
``a``, ``em``, ``strong``, ``span``...) between block-level elements is one
block (``h1``-``h6``, ``p``, ``li``, ``td``, ``th``, ``caption``,
``blockquote``, ``figcaption``, ``dt``, ``dd``, or loose text in a ``div``).
``alt`` and ``title`` attributes are blocks of their own; no other attribute
is touched. The translated page has the same elements in the same order;
inline elements are kept as :func:`translate.documents.base.place` decides
(dropped ones are flagged ``markup``). Output is UTF-8 (a ``meta`` charset
is updated to say so).
"""

from __future__ import annotations

import codecs
import re

import lxml.html
from lxml import etree

from translate.documents.base import Block, Placed, Plan, Source, TextBuilder
from translate.documents.page import element_path, read_page
from translate.errors import InputError
from translate.text.encoding import decode_article

INLINE = frozenset(
    "a abbr acronym b bdi bdo big cite data del dfn em font i ins label mark nobr q rp rt "
    "ruby s small span strike strong sub sup time tt u".split()
)
# kept as they are, their text part of the sentence (the model may copy it)
ATOMIC_TEXT = frozenset({"code", "kbd", "samp", "var"})
# never entered: their content is not text to translate
SKIP = frozenset(
    "script style code pre template textarea svg math noscript kbd samp var iframe object "
    "select".split()
)
# empty or opaque inline elements: kept where they stood between sentences
ATOMIC_EMPTY = frozenset(
    "br wbr img input button embed video audio canvas picture meter progress map".split()
) | (SKIP - ATOMIC_TEXT)
ATTRIBUTES = ("alt", "title")
_META_CHARSET = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.I
)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>\s*")


def decode_html(data: bytes, name: str, encoding: str | None) -> tuple[str, str]:
    """The text of an HTML file: ``encoding``, else a byte-order mark, else
    the ``meta`` charset, else detection as for text."""
    if not encoding and not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        m = _META_CHARSET.search(data[:4096])
        if m:
            try:
                declared = codecs.lookup(m.group(1).decode("ascii")).name
                return decode_article(data, name, declared)
            except (LookupError, InputError):
                pass  # a wrong declaration: detect instead
    return decode_article(data, name, encoding)


def is_document(text: str) -> bool:
    head = text[:4096].lstrip("\ufeff \t\r\n").lower()
    return bool(
        re.match(r"(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*<(!doctype|html|head|body)", head, re.S)
    )


def read_html(data: bytes, name: str, doc_id: str, encoding: str | None = None) -> Source:
    text, used = decode_html(data, name, encoding)
    decl = ""
    m = _XML_DECL.match(text)
    if m:  # lxml takes no encoding declaration in a str
        decl, text = (
            re.sub(r"encoding=[\"'][^\"']*[\"']", 'encoding="utf-8"', m.group()),
            text[m.end() :],
        )
    if not text.strip():
        raise InputError(f"{name}: is empty (no text to translate)")
    try:
        if is_document(text):
            root = lxml.html.document_fromstring(text)
            if is_page(root):
                page = read_page(text, root, name, doc_id, used)
                if page is not None:
                    return page
            return HtmlSource(text, name, doc_id, used, document=True, decl=decl)
        return HtmlSource(text, name, doc_id, used, document=False, decl=decl)
    except (etree.ParserError, ValueError) as exc:
        raise InputError(f"{name}: not readable as HTML ({exc})") from None


def is_page(root) -> bool:
    """A whole web page: a body with navigation, a header, a footer or an aside."""
    if root.find("body") is None:
        return False
    return bool(
        root.xpath(
            "//body//*[self::nav or self::header or self::footer or self::aside or self::menu "
            "or @role='navigation' or @role='banner' or @role='contentinfo']"
        )
    )


def _tag(el) -> str:
    return el.tag.lower() if isinstance(el.tag, str) else ""


def _inline(el) -> bool:
    """An element that belongs in a run of text: inline, holding no block."""
    if not isinstance(el.tag, str):
        return True  # a comment or processing instruction
    tag = _tag(el)
    if tag in ATOMIC_TEXT or tag in ATOMIC_EMPTY:
        return True
    if tag not in INLINE:
        return False
    return all(_inline(c) for c in el)


class _Run:
    """Text and inline elements between two block-level children of ``parent``:
    its first text is ``parent.text`` (``owner`` is the parent) or the tail of
    the block element before it (``owner``)."""

    def __init__(self, parent, owner) -> None:
        self.parent, self.owner = parent, owner
        self.children: list = []

    @property
    def lead(self) -> str:
        return (self.owner.text if self.owner is self.parent else self.owner.tail) or ""

    @lead.setter
    def lead(self, value: str) -> None:
        if self.owner is self.parent:
            self.owner.text = value or None
        else:
            self.owner.tail = value or None


class HtmlSource(Source):
    format = "html"

    def __init__(self, text, name, doc_id, encoding, *, document: bool, decl: str = "") -> None:
        self.text, self.is_document, self.decl = text, document, decl
        super().__init__(name, self._read(), doc_id, encoding=encoding, suffix=".html")

    def _read(self) -> list[Block]:
        """The blocks of a fresh parse (writing changes the tree: each
        rendering starts from the original)."""
        if self.is_document:
            self.root = lxml.html.document_fromstring(self.text)
        else:
            self.root = lxml.html.fragment_fromstring(self.text, create_parent="div")
        self.top = None if self.is_document else self.root
        self.paths: dict = {}  # positions of elements among their siblings
        blocks: list[Block] = []
        self._walk(self.root, blocks)
        return blocks

    # reading ---------------------------------------------------------------
    def _walk(self, el, blocks: list[Block]) -> None:
        if _tag(el) in SKIP:
            return
        self._attributes(el, blocks)
        runs = [_Run(el, el)]
        for child in el:
            if _inline(child):
                runs[-1].children.append(child)
                self._attributes_below(child, blocks)
            else:
                self._walk(child, blocks)
                runs.append(_Run(el, child))
        built = [(run, self._build(run)) for run in runs]
        built = [(run, b) for run, b in built if b.text and not b.only_atomic()]
        path = element_path(el, self.top, self.paths) or "." if built else ""
        for k, (run, b) in enumerate(built):
            where = path if len(built) == 1 else f"{path}/text()[{k + 1}]"
            blocks.append(Block(b.text, where, b.marks, run))

    def _attributes(self, el, blocks: list[Block]) -> None:
        if not isinstance(el.tag, str):
            return
        for attr in ATTRIBUTES:
            value = " ".join((el.get(attr) or "").split())
            if value:
                path = element_path(el, self.top, self.paths) or "."
                blocks.append(Block(value, f"{path}/@{attr}", [], (el, attr)))

    def _attributes_below(self, el, blocks: list[Block]) -> None:
        if _tag(el) in SKIP:
            return
        self._attributes(el, blocks)
        for child in el:
            self._attributes_below(child, blocks)

    def _build(self, run: _Run) -> TextBuilder:
        b = TextBuilder()
        b.add(run.lead)
        for child in run.children:
            self._add(b, child)
            b.add(child.tail or "")
        return b

    def _add(self, b: TextBuilder, el) -> None:
        tag = _tag(el)
        if not tag or tag in ATOMIC_EMPTY:
            b.empty(f"<{tag}>" if tag else "a comment", el)
            if tag == "br":
                b.add(" ")  # a line break separates words
            return
        start = b.open()
        if tag in ATOMIC_TEXT:
            b.add(el.text_content())
            b.mark(start, f"<{tag}>", True, el)
            return
        b.add(el.text or "")
        for child in el:
            self._add(b, child)
            b.add(child.tail or "")
        href = el.get("href") if tag == "a" else None
        b.mark(start, f"link to {href}" if href else f"<{tag}>", False, el)

    # writing ---------------------------------------------------------------
    def render(self, plans: list[Plan | None]) -> tuple[bytes, list[tuple[int, int, str]]]:
        blocks = self._read()
        if [b.text for b in blocks] != [b.text for b in self.blocks]:
            raise RuntimeError("HTML read differently twice")  # a bug, never expected
        pairs = [
            (fresh, _remap(plan, old, fresh))
            for fresh, old, plan in zip(blocks, self.blocks, plans)
        ]
        for block, plan in pairs:  # attributes first: copies of kept elements take them along
            if plan is not None and isinstance(block.handle, tuple):
                el, attr = block.handle
                el.set(attr, plan.text)
        for block, plan in pairs:
            if plan is not None and isinstance(block.handle, _Run):
                _rebuild(block.handle, plan.tree)
        return self._serialize().encode("utf-8"), []

    def _serialize(self) -> str:
        _utf8_meta(self.root)
        if self.is_document:
            doctype = self.root.getroottree().docinfo.doctype
            body = lxml.html.tostring(self.root, encoding="unicode", doctype=doctype or None)
            return self.decl + body + ("\n" if not body.endswith("\n") else "")
        out = [self.root.text or ""]
        out += [lxml.html.tostring(c, encoding="unicode", with_tail=True) for c in self.root]
        return self.decl + "".join(out)


def _remap(plan: Plan | None, old: Block, fresh: Block) -> Plan | None:
    """The plan with the marks of the fresh parse in place of the first one's."""
    if plan is None:
        return None
    to = {id(a): b for a, b in zip(old.marks, fresh.marks)}

    def tree(nodes: list) -> list:
        return [
            n if isinstance(n, str) else Placed(to[id(n.mark)], tree(n.children)) for n in nodes
        ]

    return Plan(plan.text, tree(plan.tree), plan.issues)


def _utf8_meta(root) -> None:
    """The output is UTF-8: a ``meta`` that declares another charset says so."""
    for meta in root.iter("meta"):
        if meta.get("charset"):
            meta.set("charset", "utf-8")
        content = meta.get("content") or ""
        if (meta.get("http-equiv") or "").lower() == "content-type" and "charset" in content:
            meta.set("content", re.sub(r"charset\s*=\s*[\w.:-]+", "charset=utf-8", content))


def _rebuild(run: _Run, tree: list) -> None:
    """Replace the run's text and inline elements by the translation ``tree``,
    keeping the white space around the run."""
    lead_ws = re.match(r"\s*", run.lead).group()
    last = (run.children[-1].tail or "") if run.children else run.lead
    trail_ws = re.search(r"\s*$", last).group()
    parent = run.parent
    at = parent.index(run.children[0]) if run.children else (
        0 if run.owner is parent else parent.index(run.owner) + 1
    )  # fmt: skip
    for c in run.children:
        parent.remove(c)  # with its tail
    text, elements = _materialize(tree)
    if not elements:
        run.lead = lead_ws + text + trail_ws
        return
    run.lead = lead_ws + text
    for k, el in enumerate(elements):
        parent.insert(at + k, el)
    elements[-1].tail = (elements[-1].tail or "") + trail_ws or None


def _materialize(nodes: list) -> tuple[str, list]:
    """The leading text and the elements (with their tails) of a tree."""
    lead = ""
    elements: list = []
    for n in nodes:
        if isinstance(n, str):
            if elements:
                elements[-1].tail = (elements[-1].tail or "") + n
            else:
                lead += n
        else:
            el = _element(n)
            el.tail = None
            elements.append(el)
    return lead, elements


def _element(node: Placed):
    orig = node.mark.handle
    if node.mark.atomic:
        return orig  # as it was (moved out of the old run)
    el = orig.makeelement(orig.tag, dict(orig.attrib))
    text, kids = _materialize(node.children)
    el.text = text or None
    el.extend(kids)
    return el
