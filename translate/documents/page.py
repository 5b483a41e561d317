"""A whole web page: its article extracted with trafilatura (title, date,
headings, paragraphs, list items, quotes, table cells), navigation, menus,
footers and scripts left out. The translated document is a plain HTML page
holding the article alone: the title as ``h1``, the date as ``time``, the
article's structure (headings, paragraphs, lists, quotes, tables) as
trafilatura found it. Each block's locator points into the original page
(``html/body/div[2]/p[1]``) where its text is found there.
"""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

from translate.documents.base import Block, Plan, Source, collapse

# trafilatura's XML -> HTML
_TAGS = {"p": "p", "list": "ul", "item": "li", "quote": "blockquote", "table": "table",
         "row": "tr", "cell": "td", "code": "pre", "lb": "br"}  # fmt: skip
_INLINE = {"hi", "ref", "lb", "del"}
_ORIGINAL = "p h1 h2 h3 h4 h5 h6 li td th dt dd blockquote figcaption caption".split()


def element_path(el, top, cache: dict | None = None) -> str:
    """``html/body/div[2]/p[1]``: tags from ``top``'s children down, with the
    position among siblings of the same tag (1-based, as in XPath); ``html``,
    ``head`` and ``body`` without. ``cache`` keeps positions between calls."""
    cache = {} if cache is None else cache
    parts = []
    while el is not None and el is not top:
        parent = el.getparent()
        tag = el.tag if isinstance(el.tag, str) else "comment()"
        if tag in ("html", "head", "body") or parent is None:
            parts.append(tag)
        else:
            if parent not in cache:
                counts: dict = {}
                places = {}
                for c in parent:
                    counts[c.tag] = counts.get(c.tag, 0) + 1
                    places[c] = counts[c.tag]
                cache[parent] = places
            parts.append(f"{tag}[{cache[parent][el]}]")
        el = parent
    return "/".join(reversed(parts))


def read_page(text: str, root, name: str, doc_id: str, encoding: str) -> Source | None:
    """The article of a web page, or None when trafilatura finds none."""
    import trafilatura

    xml = trafilatura.extract(
        text, output_format="xml", with_metadata=True, include_comments=False,
        include_tables=True, include_formatting=False, include_links=False,
        include_images=False,
    )  # fmt: skip
    if not xml:
        return None
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    doc = etree.fromstring(xml.encode("utf-8"), parser)
    main = doc.find("main")
    if main is None:
        return None
    return PageSource(doc, main, root, name, doc_id, encoding)


def _own_text(el) -> str:
    """The text of an extracted element without the blocks nested in it."""
    parts = [el.text or ""]
    for c in el:
        if c.tag in _INLINE:
            parts += [" " if c.tag == "lb" else "".join(c.itertext()), c.tail or ""]
        else:
            parts.append(c.tail or "")
    return collapse("".join(parts))


class PageSource(Source):
    format = "html"

    def __init__(self, doc, main, original, name: str, doc_id: str, encoding: str) -> None:
        date = doc.get("date")
        date = date if date and re.fullmatch(r"\d{4}-\d{2}-\d{2}", date) else None
        title = collapse(doc.get("title") or "")
        self.page = lxml.html.document_fromstring(
            "<!DOCTYPE html><html><head><meta charset='utf-8'><title></title></head>"
            "<body><article></article></body></html>"
        )
        article = self.page.find(".//article")
        self.title_el = self.page.find(".//title")
        body: list[tuple[str, object, object]] = []  # text, output element, extracted element
        self._convert(main, article, body)
        h1 = None
        if body and body[0][2] is not None and body[0][2].tag == "head" and body[0][0] == title:
            h1 = body[0][1]
        elif title:
            h1 = lxml.html.Element("h1")
            article.insert(0, h1)
            body.insert(0, (title, h1, None))
        if date:
            time = lxml.html.Element("time", datetime=date)
            time.text = date
            p = lxml.html.Element("p")
            p.append(time)
            article.insert(1 if h1 is not None else 0, p)
        self.has_title = h1 is not None
        places = self._locate(original, body)
        blocks = [Block(t, loc, [], el) for (t, el, _), loc in zip(body, places)]
        super().__init__(name, blocks, doc_id, date=date, encoding=encoding, suffix=".html")

    def _convert(self, src, dst, body: list) -> None:
        """Copy extracted elements into the output page, noting the blocks."""
        for c in src:
            if c.tag in _INLINE or not isinstance(c.tag, str):
                continue
            if c.tag == "head":
                rend = c.get("rend") or "h2"
                tag = rend if re.fullmatch(r"h[1-6]", rend) else "h2"
            elif c.tag == "list" and c.get("rend") == "ol":
                tag = "ol"
            elif c.tag == "cell" and c.get("role") == "head":
                tag = "th"
            else:
                tag = _TAGS.get(c.tag, "div")
            el = etree.SubElement(dst, tag)
            if tag == "pre":
                el.text = "".join(c.itertext())
                continue
            text = _own_text(c)
            if text:
                body.append((text, el, c))
                el.text = text
            self._convert(c, el, body)

    def _locate(self, original, body) -> list[str]:
        """Where each block's text stands in the original page: the first
        element not taken yet whose text is the block's, else contains it."""
        candidates = [(collapse(el.text_content()), el) for el in original.iter(*_ORIGINAL)]
        by_text: dict[str, list] = {}
        for t, el in candidates:
            by_text.setdefault(t, []).append(el)
        used: set[int] = set()
        out: list[str] = []
        paths: dict = {}
        for k, (text, _, extracted) in enumerate(body):
            if extracted is None:  # the title
                h = [el for el in by_text.get(text, []) if el.tag == "h1"]
                out.append(element_path(h[0], None, paths) if h else "html/head/title")
                continue
            same = by_text.get(text, [])
            while same and id(same[0]) in used:
                same.pop(0)
            found = same[0] if same else None
            if found is None:
                found = next((el for t, el in candidates if id(el) not in used and text in t), None)
            if found is not None:
                used.add(id(found))
                out.append(element_path(found, None, paths))
            else:
                out.append(f"article/{extracted.tag}[{k + 1}]")
        return out

    def render(self, plans: list[Plan | None]) -> tuple[bytes, list[tuple[int, int, str]]]:
        for k, (block, plan) in enumerate(zip(self.blocks, plans)):
            if plan is None:
                continue
            block.handle.text = plan.text
            if k == 0 and self.has_title:
                self.title_el.text = plan.text
        if self.has_title and plans and plans[0] is None:
            self.title_el.text = self.blocks[0].text
        html = lxml.html.tostring(
            self.page, encoding="unicode", doctype="<!DOCTYPE html>", pretty_print=True
        )
        return (html + "\n").encode("utf-8"), []
