"""Reading articles: files, stdin and text into :class:`Document` records."""

from __future__ import annotations

import datetime
import logging
import re
import sys
from pathlib import Path

from translate.errors import InputError
from translate.records import Document
from translate.text.encoding import decode_article

MAX_INPUT_BYTES = 200 * 1024 * 1024
_DATE_MARKER = re.compile(r"\s*date[ \t]+(\d{4})-(\d{2})-(\d{2})(?=\s)[ \t]*")


def parse_article(
    text: str, doc_id: str, source: str | None = None, encoding: str = "utf-8"
) -> Document:
    """Make a :class:`Document`, taking a leading ``date YYYY-MM-DD`` marker as metadata.

    The marker is not translated; the rest of its line (the headline) is.
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    date = None
    body_start = 0
    m = _DATE_MARKER.match(text)
    if m:
        y, mo, d = (int(g) for g in m.groups())
        try:
            datetime.date(y, mo, d)
        except ValueError:  # 2026-02-30: not a date; the line stays text, and is translated
            logging.getLogger("translate").warning(
                "%s: %s-%s-%s in the date line is not a date; the line is translated as text",
                source or doc_id,
                *m.groups(),
            )
        else:
            date = f"{m.group(1)}-{m.group(2)}-{m.group(3)}"
            body_start = m.end()
    return Document(
        id=doc_id, text=text, body_start=body_start, date=date, source=source, encoding=encoding
    )


def read_article(
    path: str | Path, doc_id: str | None = None, encoding: str | None = None
) -> Document:
    """Read one article from ``path`` (``-`` reads stdin).

    The encoding is detected (UTF-8, UTF-16 with BOM, KZ-1048, PTCP154, CP1251)
    unless ``encoding`` is given; see :mod:`translate.text.encoding`.

    Raises:
        InputError: missing, unreadable, too large, binary, undecodable, or empty.
    """
    name = str(path)
    if name == "-":
        data = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
        doc_id = doc_id or "stdin"
    else:
        p = Path(path)
        if not p.exists():
            raise InputError(f"{name}: no such file")
        if p.is_dir():
            raise InputError(
                f"{name}: is a directory; give article files (or use 'translate batch')"
            )
        try:
            if p.stat().st_size > MAX_INPUT_BYTES:
                raise InputError(
                    f"{name}: larger than {MAX_INPUT_BYTES // (1024 * 1024)} MB; split it first"
                )
            data = p.read_bytes()
        except OSError as exc:
            raise InputError(f"{name}: cannot be read ({exc.strerror})") from exc
        doc_id = doc_id or p.stem.removesuffix(".kk").removesuffix(".en") or p.name
    if len(data) > MAX_INPUT_BYTES:
        raise InputError(
            f"{name}: larger than {MAX_INPUT_BYTES // (1024 * 1024)} MB; split it first"
        )
    text, used = decode_article(data, name, encoding)
    doc = parse_article(text, doc_id, source=name, encoding=used)
    if not doc.text[doc.body_start :].strip():
        raise InputError(f"{name}: is empty (no text to translate)")
    return doc
