"""Plain text (``--to text``): the translated article, one paragraph per line.

Each line holds the translations of one paragraph's sentences joined by
spaces, in order; a document with a date starts with ``date YYYY-MM-DD`` and
the translated headline, as an input article does, so the output can be
translated back. Several documents are separated by a blank line. Written
from the records alone, so ``translate convert`` makes it from any result.
"""

from __future__ import annotations

from translate.formats.base import Writer
from translate.records import DocumentResult


def article_lines(result: DocumentResult) -> list[str]:
    """The translated paragraphs of a document, in order (the first with the
    date marker when the document has a date)."""
    paragraphs: dict[int, list[str]] = {}
    for r in result.records:
        parts = paragraphs.setdefault(r.paragraph, [])
        if r.translation:
            parts.append(" ".join(r.translation.split()))
    lines = [" ".join(parts) for _, parts in sorted(paragraphs.items())]
    date = result.document.date
    if date:
        lines = [f"date {date} {lines[0]}".rstrip() if lines else f"date {date}", *lines[1:]]
    return lines


class TextWriter(Writer):
    """The translated text of each document, one paragraph per line."""

    def __init__(self, signature, out, overwrite: bool = True):
        super().__init__(signature, out, overwrite)
        self.stream = self._open(self.out)
        self.count = 0

    def write(self, result: DocumentResult) -> None:
        if self.count:
            self.stream.write("\n")
        self.count += 1
        for line in article_lines(result):
            self.stream.write(line + "\n")
