"""TSV: a header row, one row per sentence, the signature in a last
``#signature=`` row; tabs, newlines, carriage returns and backslashes inside
texts are escaped. Files of the earlier layout (the ``#signature=`` line
first, no review columns) are read too.
"""

from __future__ import annotations

import re
from pathlib import Path

from translate.formats import checks
from translate.formats.base import Writer, parse_signature
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
# The reviewer's columns, after the others (an older file stops at flags).
REVIEW_COLUMNS = ("review", "mt", "comment")
COLUMNS = TSV_COLUMNS + REVIEW_COLUMNS
SIGNATURE_PREFIX = "#signature="


def tsv_escape(s: str) -> str:
    return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def row_cells(r: Record) -> list[str]:
    """A record's cells, in :data:`COLUMNS` order (not escaped)."""
    return [
        r.doc_id,
        str(r.paragraph),
        str(r.index),
        str(r.start),
        str(r.end),
        r.source,
        r.translation,
        "" if r.score is None else f"{r.score:.4f}",
        ",".join(r.flag_codes),
        r.review or "",
        r.mt or "",
        r.comment or "",
    ]


class TsvWriter(Writer):
    """A header row, one row per sentence, then a ``#signature=`` row.

    Tabs, newlines and backslashes inside texts are escaped as ``\\t``,
    ``\\n``, ``\\r`` and ``\\\\``.
    """

    def __init__(self, signature: Signature, out: str | Path | None, overwrite: bool = True):
        super().__init__(signature, out, overwrite)
        self.stream = self._open(self.out)
        self.stream.write("\t".join(COLUMNS) + "\n")

    def write(self, result: DocumentResult) -> None:
        for r in result.records:
            self.stream.write("\t".join(tsv_escape(x) for x in row_cells(r)) + "\n")

    def close(self) -> None:
        self.stream.write(f"{SIGNATURE_PREFIX}{self.signature}\n")
        super().close()


_UNESCAPE = {"t": "\t", "n": "\n", "r": "\r", "\\": "\\"}


_ESCAPED = re.compile(r"\\([tnr\\])")


def tsv_unescape(s: str) -> str:
    return _ESCAPED.sub(lambda m: _UNESCAPE[m.group(1)], s)


def header(where: str, cells: list[str]) -> tuple[str, ...]:
    """The columns a header row names: ours, with or without the review columns."""
    if tuple(cells) not in (TSV_COLUMNS, COLUMNS):
        raise checks.BadResult(f"{where}: the header row is not " + " ".join(COLUMNS))
    return tuple(cells)


class Rows:
    """Rows of a TSV or CSV file made into documents: the signature may come
    last (it gives the languages), so records are made at the end."""

    def __init__(self) -> None:
        self.signature: Signature | None = None
        self.columns: tuple[str, ...] | None = None
        self.rows: list[tuple[str, list[str]]] = []

    def add(self, where: str, cells: list[str]) -> None:
        if len(cells) == 1 and cells[0].startswith(SIGNATURE_PREFIX):
            if self.signature is None:
                self.signature = parse_signature(cells[0][len(SIGNATURE_PREFIX) :])
        elif self.columns is None:
            self.columns = header(where, cells)
        elif any(c.strip() for c in cells):
            if len(cells) != len(self.columns):
                raise checks.BadResult(f"{where}: {len(cells)} cells, not {len(self.columns)}")
            self.rows.append((where, cells))

    def results(self) -> tuple[Signature | None, list[DocumentResult]]:
        if self.columns is None:
            raise checks.BadResult("the header row is not " + " ".join(COLUMNS))
        src, tgt = "kk", "en"
        if self.signature is not None:
            src, tgt = self.signature.src_lang, self.signature.tgt_lang
        docs: list[tuple[Document, list[Record]]] = []
        for where, cells in self.rows:
            c = dict(zip(self.columns, cells))
            rec = checks.record(
                where,
                c["doc_id"],
                c["paragraph"],
                c["index"],
                c["start"],
                c["end"],
                c["source"],
                c["translation"],
                c["score"],
                tuple(
                    checks.flag(where, x.strip(), "") for x in c["flags"].split(",") if x.strip()
                ),
                src,
                tgt,
                review=c.get("review"),
                mt=c.get("mt") or None,
                comment=c.get("comment") or None,
            )
            if not docs or docs[-1][0].id != rec.doc_id:
                docs.append((Document(rec.doc_id, ""), []))
            docs[-1][1].append(rec)
        return self.signature, [DocumentResult(d, tuple(rs)) for d, rs in docs]


def read_tsv(p: Path) -> tuple[Signature | None, list[DocumentResult]]:
    """Our TSV, either layout: flags come back as codes (the file has no
    reasons); an empty ``mt`` or ``comment`` cell is none.

    Raises:
        BadResult: no header row, a line that is not UTF-8, a row with another
            number of cells, or a cell of the wrong kind (``line N: ...``).
    """
    rows = Rows()
    with open(p, "rb") as f:
        for n, raw in enumerate(f, 1):
            if n == 1:
                raw = raw.removeprefix(b"\xef\xbb\xbf")
            try:
                line = raw.decode("utf-8").rstrip("\n").rstrip("\r")
            except UnicodeDecodeError as exc:
                raise checks.BadResult(f"line {n}: not UTF-8 (byte {exc.start + 1})") from None
            if rows.columns is not None and not line.strip():
                continue
            rows.add(f"line {n}", [tsv_unescape(c) for c in line.split("\t")])
    return rows.results()
