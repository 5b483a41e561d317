"""Reading articles: files, stdin and text into :class:`Document` records."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from .errors import InputError
from .records import Document

MAX_INPUT_BYTES = 200 * 1024 * 1024
_DATE_MARKER = re.compile(r"\s*date[ \t]+(\d{4})-(\d{2})-(\d{2})(?=\s)[ \t]*")


def parse_article(text: str, doc_id: str, source: str | None = None) -> Document:
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
        if 1 <= mo <= 12 and 1 <= d <= 31:
            date = f"{m.group(1)}-{m.group(2)}-{m.group(3)}"
            body_start = m.end()
    return Document(id=doc_id, text=text, body_start=body_start, date=date, source=source)


def decode_bytes(data: bytes, name: str) -> str:
    """Decode an article's bytes as UTF-8 (with or without BOM).

    Raises:
        InputError: the data is binary or not UTF-8.
    """
    if b"\x00" in data[:65536] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(f"{name}: looks like a binary file (it contains NUL bytes), not text")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputError(
                f"{name}: has a UTF-16 byte-order mark but is not valid UTF-16"
            ) from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{name}: is not valid UTF-8 (byte {exc.start}: {data[exc.start : exc.start + 1]!r}); "
            "convert it to UTF-8 first"
        ) from exc


def read_article(path: str | Path, doc_id: str | None = None) -> Document:
    """Read one article from ``path`` (``-`` reads stdin).

    Raises:
        InputError: missing, unreadable, too large, binary, not UTF-8, or empty.
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
    text = decode_bytes(data, name)
    doc = parse_article(text, doc_id, source=name)
    if not doc.text[doc.body_start :].strip():
        raise InputError(f"{name}: is empty (no text to translate)")
    return doc
