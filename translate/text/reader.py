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
from translate.text.magic import refusal

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


def read_bytes(path: str | Path) -> tuple[str, bytes, str]:
    """The bytes of ``path`` (``-`` reads stdin), with its name and its
    default document id (the file stem, ``.kk``/``.en`` removed; ``stdin``).

    Raises:
        InputError: missing, a directory, unreadable or too large.
    """
    name = str(path)
    if name == "-":
        data = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
        doc_id = "stdin"
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
        doc_id = p.stem.removesuffix(".kk").removesuffix(".en") or p.name
    if len(data) > MAX_INPUT_BYTES:
        raise InputError(
            f"{name}: larger than {MAX_INPUT_BYTES // (1024 * 1024)} MB; split it first"
        )
    return name, data, doc_id


def refuse_binary(name: str, data: bytes) -> None:
    """Refuse a PDF, an old Word file, an archive or an image by its first
    bytes, saying what to do instead (before any decoding).

    Raises:
        InputError: ``FILE: a PDF file; extract its text first ...``.
    """
    message = refusal(name, data)
    if message:
        raise InputError(message)


def article_from_bytes(
    data: bytes, name: str, doc_id: str, encoding: str | None = None
) -> Document:
    """The article in ``data`` (see :func:`read_article`).

    Raises:
        InputError: a binary format, undecodable, or empty.
    """
    refuse_binary(name, data)
    text, used = decode_article(data, name, encoding)
    doc = parse_article(text, doc_id, source=name, encoding=used)
    if not doc.text[doc.body_start :].strip():
        raise InputError(f"{name}: is empty (no text to translate)")
    return doc


def read_article(
    path: str | Path, doc_id: str | None = None, encoding: str | None = None
) -> Document:
    """Read one article from ``path`` (``-`` reads stdin).

    The encoding is detected (UTF-8, UTF-16 with BOM, KZ-1048, PTCP154, CP1251)
    unless ``encoding`` is given; see :mod:`translate.text.encoding`. A PDF,
    an office file, an archive or an image is refused by its first bytes,
    with what to do instead. HTML, Word and Markdown documents are read by
    :func:`translate.documents.read_document`.

    Raises:
        InputError: missing, unreadable, too large, binary, undecodable, or empty.
    """
    name, data, default_id = read_bytes(path)
    return article_from_bytes(data, name, doc_id or default_id, encoding)
