"""Plain text: an article, one paragraph per line (a first line ``date
YYYY-MM-DD HEADLINE`` keeps the date), read as ``translate run`` always has
(:func:`translate.text.reader.read_article`); translated, it is written as
``--to text`` writes it."""

from __future__ import annotations

from translate.documents.base import Block, Plan, Source
from translate.records import Document
from translate.text.reader import article_from_bytes
from translate.text.segment import paragraphs


class TextSource(Source):
    format = "text"

    def __init__(self, document: Document, name: str) -> None:
        self.name = name
        self.suffix = ".txt"
        self.document = document
        self.spans = paragraphs(document.text, document.body_start)
        self.blocks = [Block(document.text[s:e], "") for s, e in self.spans]

    def render(self, plans: list[Plan | None]) -> tuple[bytes, list[tuple[int, int, str]]]:
        lines = [p.text if p is not None else "" for p in plans]
        if self.document.date:
            lines[:1] = [f"date {self.document.date} {lines[0] if lines else ''}".rstrip()]
        return ("\n".join(lines) + "\n").encode("utf-8"), []


def read_text(data: bytes, name: str, doc_id: str, encoding: str | None = None) -> TextSource:
    return TextSource(article_from_bytes(data, name, doc_id, encoding), name)
