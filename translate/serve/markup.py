"""HTML in, HTML out: the text nodes are translated, the markup is kept.

The standard library's :class:`html.parser.HTMLParser` (linear, no entity
expansion beyond HTML's named references, no network, tolerant of broken
markup) splits the input into tags and text. Tags, comments and declarations
are copied as written; the text of ``script``, ``style``, ``code``, ``pre``,
``textarea`` and ``template`` elements is copied as well. Every other text
node with a letter in it is translated as one paragraph (its surrounding white
space kept) and written back escaped. Inline markup inside a sentence
(``<b>``, ``<a>``) splits it into separately translated pieces.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from html.parser import HTMLParser

KEEP_TEXT = frozenset({"script", "style", "code", "pre", "textarea", "template"})


class _Splitter(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        # ("raw", markup as written) or ("text", unescaped text)
        self.parts: list[tuple[str, str]] = []
        self.keep_depth = 0

    def handle_starttag(self, tag, attrs):
        self.parts.append(("raw", self.get_starttag_text() or ""))
        if tag in KEEP_TEXT:
            self.keep_depth += 1

    def handle_startendtag(self, tag, attrs):
        self.parts.append(("raw", self.get_starttag_text() or ""))

    def handle_endtag(self, tag):
        self.parts.append(("raw", f"</{tag}>"))
        if tag in KEEP_TEXT and self.keep_depth:
            self.keep_depth -= 1

    def handle_data(self, data):
        if self.keep_depth or self.cdata_elem:
            self.parts.append(("raw", data if self.cdata_elem else html.escape(data, quote=False)))
        else:
            self.parts.append(("text", data))

    def handle_comment(self, data):
        self.parts.append(("raw", f"<!--{data}-->"))

    def handle_decl(self, decl):
        self.parts.append(("raw", f"<!{decl}>"))

    def handle_pi(self, data):
        self.parts.append(("raw", f"<?{data}>"))

    def unknown_decl(self, data):
        self.parts.append(("raw", f"<![{data}]>"))


def translate_html(markup: str, translate: Callable[[list[str]], list[str]]) -> str:
    """``markup`` with its text nodes replaced by their translations.

    ``translate`` gets the text nodes to translate (white space stripped, each
    on one line) and returns one translation per node.
    """
    parser = _Splitter()
    parser.feed(markup)
    parser.close()
    # merge neighbouring text parts (the parser may split one node)
    parts: list[tuple[str, str]] = []
    for kind, value in parser.parts:
        if parts and kind == "text" and parts[-1][0] == "text":
            parts[-1] = ("text", parts[-1][1] + value)
        else:
            parts.append((kind, value))
    todo = [
        i
        for i, (kind, value) in enumerate(parts)
        if kind == "text" and any(map(str.isalpha, value))
    ]
    translated = translate([" ".join(parts[i][1].split()) for i in todo]) if todo else []
    out = []
    done = dict(zip(todo, translated))
    for i, (kind, value) in enumerate(parts):
        if kind == "raw":
            out.append(value)
        elif i in done:
            lead = value[: len(value) - len(value.lstrip())]
            trail = value[len(value.rstrip()) :]
            out.append(lead + html.escape(done[i], quote=False) + trail)
        else:
            out.append(html.escape(value, quote=False))
    return "".join(out)
