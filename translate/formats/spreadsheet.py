"""CSV for spreadsheets (Excel, LibreOffice, Google Sheets): UTF-8 with a
byte-order mark (so Excel reads it as UTF-8), commas, cells quoted where
needed (``csv`` module, Excel dialect), the header on the first row and the
signature in a last ``#signature=`` row. The columns are TSV's.

A text that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return would be a formula to a spreadsheet: it is written with a leading
``'`` (Excel's mark for text), as is a text that starts with ``'``, and one
leading ``'`` is taken off again when the file is read back.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from translate.formats import checks
from translate.formats.base import Writer
from translate.formats.tsv import COLUMNS, SIGNATURE_PREFIX, Rows, row_cells
from translate.records import DocumentResult, Signature

_FORMULA = ("=", "+", "-", "@", "\t", "\r", "'")
# Cells that are texts (numbers, flags and review states are never formulas).
_TEXTS = frozenset(("doc_id", "source", "translation", "mt", "comment"))
_TEXT_AT = [i for i, c in enumerate(COLUMNS) if c in _TEXTS]


def cell_out(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA) else text


def cell_in(text: str) -> str:
    return text[1:] if text.startswith("'") else text


class CsvWriter(Writer):
    """A header row, one row per sentence, a ``#signature=`` row; UTF-8 with a
    byte-order mark, CRLF line ends (the Excel dialect)."""

    def __init__(self, signature: Signature, out: str | Path | None, overwrite: bool = True):
        super().__init__(signature, out, overwrite)
        self.stream = self._open(self.out)
        self.stream.write("\ufeff")
        self.csv = csv.writer(self.stream, dialect="excel")
        self.csv.writerow(COLUMNS)

    def write(self, result: DocumentResult) -> None:
        for r in result.records:
            cells = row_cells(r)
            for i in _TEXT_AT:
                cells[i] = cell_out(cells[i])
            self.csv.writerow(cells)

    def close(self) -> None:
        self.csv.writerow([f"{SIGNATURE_PREFIX}{self.signature}"])
        super().close()


def read_csv(p: Path) -> tuple[Signature | None, list[DocumentResult]]:
    """Our CSV (as written, or saved again by a spreadsheet in UTF-8 CSV).

    Raises:
        BadResult: not UTF-8, no header row, a row with another number of
            cells, or a cell of the wrong kind (``row N: ...``, counted from 1).
    """
    data = p.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise checks.BadResult(f"not UTF-8 (byte {exc.start + 1})") from None
    rows = Rows()
    try:
        for n, cells in enumerate(csv.reader(io.StringIO(text, newline=""), dialect="excel"), 1):
            if rows.columns is not None and len(cells) == len(rows.columns):
                cells = [cell_in(c) if i in _TEXT_AT else c for i, c in enumerate(cells)]
            if cells:
                rows.add(f"row {n}", cells)
    except csv.Error as exc:
        raise checks.BadResult(f"not CSV ({exc})") from None
    return rows.results()
