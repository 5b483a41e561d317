"""TSV: a ``#signature=`` line, a header row, one row per sentence; tabs,
newlines, carriage returns and backslashes inside texts are escaped.
"""

from __future__ import annotations

import re
from pathlib import Path

from translate.formats.base import Writer, flags_from_codes, parse_signature
from translate.records import Document, DocumentResult, Record, Signature

TSV_COLUMNS = (
    "doc_id",
    "paragraph",
    "index",
    "start",
    "end",
    "source",
    "translation",
    "score",
    "flags",
)


def tsv_escape(s: str) -> str:
    return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


class TsvWriter(Writer):
    """A ``#signature`` line, a header row, then one row per sentence.

    Tabs, newlines and backslashes inside texts are escaped as ``\\t``,
    ``\\n``, ``\\r`` and ``\\\\``.
    """

    def __init__(self, signature: Signature, out: str | Path | None, overwrite: bool = True):
        super().__init__(signature, out, overwrite)
        self.stream = self._open(self.out)
        self.stream.write(f"#signature={signature}\n")
        self.stream.write("\t".join(TSV_COLUMNS) + "\n")

    def write(self, result: DocumentResult) -> None:
        for r in result.records:
            row = [
                r.doc_id,
                str(r.paragraph),
                str(r.index),
                str(r.start),
                str(r.end),
                r.source,
                r.translation,
                "" if r.score is None else f"{r.score:.4f}",
                ",".join(r.flag_codes),
            ]
            self.stream.write("\t".join(tsv_escape(x) for x in row) + "\n")


_UNESCAPE = {"t": "\t", "n": "\n", "r": "\r", "\\": "\\"}


_ESCAPED = re.compile(r"\\([tnr\\])")


def tsv_unescape(s: str) -> str:
    return _ESCAPED.sub(lambda m: _UNESCAPE[m.group(1)], s)


def read_tsv(p: Path) -> tuple[Signature | None, list[DocumentResult]]:
    """Our TSV: flags come back as codes (the file has no reasons)."""
    signature = None
    docs: list[tuple[Document, list[Record]]] = []
    lines = p.read_text("utf-8").lstrip("\ufeff").split("\n")
    if lines and lines[0].startswith("#signature="):
        signature = parse_signature(lines.pop(0)[len("#signature=") :])
    if not lines or tuple(lines[0].rstrip("\r").split("\t")) != TSV_COLUMNS:
        raise ValueError("the header row is not " + " ".join(TSV_COLUMNS))
    src, tgt = (signature.src_lang, signature.tgt_lang) if signature else ("kk", "en")
    for n, line in enumerate(lines[1:], 2):
        if not line.strip():
            continue
        cells = line.rstrip("\r").split("\t")
        if len(cells) != len(TSV_COLUMNS):
            raise ValueError(f"row {n} has {len(cells)} cells, not {len(TSV_COLUMNS)}")
        doc_id, para, index, start, end, source, translation, score, flags = map(
            tsv_unescape, cells
        )
        if not docs or docs[-1][0].id != doc_id:
            docs.append((Document(doc_id, ""), []))
        docs[-1][1].append(
            Record(
                doc_id,
                int(para),
                int(index),
                int(start),
                int(end),
                source,
                translation,
                float(score) if score else None,
                flags_from_codes(flags, {}),
                src,
                tgt,
            )
        )
    return signature, [DocumentResult(d, tuple(rs)) for d, rs in docs]
