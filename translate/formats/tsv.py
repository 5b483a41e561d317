"""TSV: a ``#signature=`` line, a header row, one row per sentence; tabs,
newlines, carriage returns and backslashes inside texts are escaped.
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
    """Our TSV: flags come back as codes (the file has no reasons).

    Raises:
        BadResult: no header row, a line that is not UTF-8, a row with another
            number of cells, or a cell of the wrong kind (``line N: ...``).
    """
    signature = None
    docs: list[tuple[Document, list[Record]]] = []
    src, tgt = "kk", "en"
    header_seen = False
    with open(p, "rb") as f:
        for n, raw in enumerate(f, 1):
            if n == 1:
                raw = raw.removeprefix(b"\xef\xbb\xbf")
            try:
                line = raw.decode("utf-8").rstrip("\n").rstrip("\r")
            except UnicodeDecodeError as exc:
                raise checks.BadResult(f"line {n}: not UTF-8 (byte {exc.start + 1})") from None
            if n == 1 and line.startswith("#signature="):
                signature = parse_signature(line[len("#signature=") :])
                if signature is not None:
                    src, tgt = signature.src_lang, signature.tgt_lang
                continue
            if not header_seen:
                if tuple(line.split("\t")) != TSV_COLUMNS:
                    raise checks.BadResult(
                        f"line {n}: the header row is not " + " ".join(TSV_COLUMNS)
                    )
                header_seen = True
                continue
            if not line.strip():
                continue
            cells = line.split("\t")
            where = f"line {n}"
            if len(cells) != len(TSV_COLUMNS):
                raise checks.BadResult(f"{where}: {len(cells)} cells, not {len(TSV_COLUMNS)}")
            doc_id, para, index, start, end, source, translation, score, flags = map(
                tsv_unescape, cells
            )
            rec = checks.record(
                where,
                doc_id,
                para,
                index,
                start,
                end,
                source,
                translation,
                score,
                tuple(checks.flag(where, c.strip(), "") for c in flags.split(",") if c.strip()),
                src,
                tgt,
            )
            if not docs or docs[-1][0].id != doc_id:
                docs.append((Document(doc_id, ""), []))
            docs[-1][1].append(rec)
    if not header_seen:
        raise checks.BadResult("the header row is not " + " ".join(TSV_COLUMNS))
    return signature, [DocumentResult(d, tuple(rs)) for d, rs in docs]
