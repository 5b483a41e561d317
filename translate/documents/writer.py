"""``--to document``: the translated document in the input's own format
(text, HTML, Word or Markdown), one document per output."""

from __future__ import annotations

import sys
from pathlib import Path

from translate.errors import OutputError
from translate.formats.base import Writer
from translate.records import DocumentResult

# suffixes a translated document of each kind may be written to
COMPATIBLE = {
    ".txt": (".txt", ".text", ""),
    ".html": (".html", ".htm", ".xhtml"),
    ".docx": (".docx",),
    ".md": (".md", ".markdown"),
}


def check_suffix(out: str | Path | None, suffix: str, name: str) -> None:
    """Refuse to write a translated document under a name of another kind
    (an HTML page to ``x.docx``).

    Raises:
        OutputError: the name's extension is another document format's.
    """
    if out is None or str(out) == "-":
        return
    have = Path(str(out)).suffix.lower()
    known = {s for group in COMPATIBLE.values() for s in group if s}
    if have in known and have not in COMPATIBLE.get(suffix, ()):
        if suffix == ".txt":
            raise OutputError(
                f"{out}: {name} is a text article, or a result that does not name its original "
                "document (JSONL results do): its translation is text; give a name ending in .txt"
            )
        raise OutputError(
            f"{out}: the translated document of {name} is {suffix[1:].upper()}; "
            f"give an output name ending in {suffix}"
        )


class DocumentWriter(Writer):
    """Writes the translated document of one result (see :func:`translate.documents.render`)."""

    def __init__(self, signature, out, overwrite: bool = True):
        super().__init__(signature, out, overwrite)
        self.written = 0

    def write(self, result: DocumentResult) -> None:
        from translate.documents import render

        if self.written:
            raise OutputError(
                "--to document writes one document per output: translate one input at a "
                "time, or a folder with 'translate batch'"
            )
        data, suffix = render(result)
        check_suffix(self.out, suffix, result.document.source or result.document.id)
        if self.out is None and suffix == ".docx" and sys.stdout.isatty():
            raise OutputError("a .docx document is binary: give an output file with -o NAME.docx")
        stream = self._open(self.out)
        stream.flush()
        stream.buffer.write(data)
        stream.flush()
        self.written += 1
