"""Output formats and result readers, one module per format (reading and
writing together): :mod:`~translate.formats.jsonl`, :mod:`~translate.formats.tsv`,
:mod:`~translate.formats.moses`, :mod:`~translate.formats.tmx`,
:mod:`~translate.formats.xliff` and the review page :mod:`~translate.formats.html`.

Every writer records the run's signature; files are written to a temporary
name and renamed into place when complete. What is read back is checked field
by field (:mod:`~translate.formats.checks`).
"""

from __future__ import annotations

from pathlib import Path

from translate.errors import InputError, UsageError
from translate.formats.base import AtomicFile, Writer, abort_all, parse_signature
from translate.formats.html import HtmlWriter
from translate.formats.jsonl import JsonlWriter, read_jsonl
from translate.formats.moses import MosesWriter
from translate.formats.spreadsheet import CsvWriter, read_csv
from translate.formats.tmx import TmxWriter, read_tmx
from translate.formats.tsv import TSV_COLUMNS, TsvWriter, read_tsv
from translate.formats.xliff import Xliff12Writer, Xliff21Writer, read_xliff2, read_xliff12
from translate.formats.xml import X2, X12, parse_xml
from translate.records import DocumentResult, Signature

FORMATS = ("jsonl", "tsv", "csv", "moses", "tmx", "xliff", "xliff12", "html", "text", "document")
# text: the translated article as text (translate.formats.text); document: the
# translated document in the input's own format (translate.documents).


# Output formats known by a file's extension (for -o without --to).
EXTENSIONS = {
    ".jsonl": "jsonl",
    ".tsv": "tsv",
    ".csv": "csv",
    ".tmx": "tmx",
    ".xliff": "xliff",
    ".xlf": "xliff",
    ".html": "html",
    ".htm": "html",
    ".txt": "text",
    ".md": "document",
    ".markdown": "document",
    ".docx": "document",
}


def output_format(to: str | None, out: str | Path | None, default: str | None = "jsonl") -> str:
    """The format to write: ``to`` when given, else the one ``out``'s extension
    names (``pairs.tmx``: tmx), else ``default`` (None: a usage error).

    Raises:
        UsageError: ``to`` names another format than ``out``'s extension (a
            file would get contents its name does not promise), or neither
            says which format and there is no default.
    """
    named = EXTENSIONS.get(Path(str(out)).suffix.lower()) if out and str(out) != "-" else None
    if to:
        if named and named != to and not (named == "xliff" and to == "xliff12"):
            raise UsageError(
                f"--to {to} but {out} ends in {Path(str(out)).suffix}, which is {named}: "
                f"use --to {named}, or another file name"
            )
        return to
    if named:
        return named
    if default is None:
        raise UsageError(
            f"give --to ({', '.join(FORMATS)}) or an output name that ends in one "
            f"({', '.join(EXTENSIONS)})"
        )
    return default


def writer_class(fmt: str) -> type[Writer]:
    if fmt == "jsonl":
        return JsonlWriter
    if fmt == "tsv":
        return TsvWriter
    if fmt == "csv":
        return CsvWriter
    if fmt == "moses":
        return MosesWriter
    if fmt == "tmx":
        return TmxWriter
    if fmt == "xliff":
        return Xliff21Writer
    if fmt == "xliff12":
        return Xliff12Writer
    if fmt == "html":
        return HtmlWriter
    if fmt == "text":
        from translate.formats.text import TextWriter

        return TextWriter
    if fmt == "document":
        from translate.documents.writer import DocumentWriter

        return DocumentWriter
    raise UsageError(f"unknown output format {fmt!r} (available: {', '.join(FORMATS)})")


def open_writer(
    fmt: str, signature: Signature, out: str | Path | None, overwrite: bool = True
) -> Writer:
    """A writer for ``fmt`` writing to ``out`` (``None`` or ``-``: stdout).

    A writer whose construction fails (or is interrupted) leaves no temporary file.
    """
    cls = writer_class(fmt)
    writer = cls.__new__(cls)
    try:
        writer.__init__(signature, out, overwrite)  # type: ignore[misc]
    except BaseException:
        if hasattr(writer, "_files"):
            writer.abort()
        raise
    return writer


def read_results(path: str | Path) -> tuple[Signature | None, list[DocumentResult]]:
    """Read a result file, choosing the reader by content.

    Every field is checked (:mod:`translate.formats.checks`): a file that
    parses but holds something a result cannot (a TMX ``tu`` without its
    pair, a score of 1000 or NaN, a lone surrogate, a negative offset, JSON
    nested 100,000 deep...) is refused with where and what, never read half.
    XML entity declarations are refused, never expanded.

    Raises:
        InputError: missing, unreadable, or not a (valid) result file we know.
    """
    p = Path(path)
    if p.is_dir():
        raise InputError(f"{path}: is a directory, not a result file")
    if not p.is_file():
        raise InputError(f"{path}: no such file")
    try:
        with open(p, "rb") as f:
            head = f.read(4096).lstrip(b"\xef\xbb\xbf").lstrip()
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror or exc})") from exc
    if not head:
        raise InputError(f"{path}: is empty (not a result file)")
    if head[:15].lower().startswith((b"<!doctype html", b"<html")):
        raise InputError(
            f"{path}: an HTML review page, which is written from results but not read "
            "back; use the JSONL, TSV, TMX or XLIFF file it was made from"
        )
    try:
        if head.startswith(b"{"):
            return read_jsonl(p)
        if head.startswith(b"<"):
            return read_xml(p)
        if head.startswith((b"#signature=", b"doc_id\t")):
            return read_tsv(p)
        if head.startswith(b"doc_id,"):
            return read_csv(p)
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror or exc})") from exc
    except (ValueError, LookupError, TypeError, AttributeError, RecursionError, SyntaxError) as exc:
        # BadResult and ET.ParseError (a SyntaxError); the others are a safety net
        raise InputError(f"{path}: not a valid result file ({_one_line(exc)})") from exc
    if b"\x00" in head:
        raise InputError(f"{path}: looks like a binary file, not a result file")
    raise InputError(f"{path}: not a result file (expected translate JSONL, TSV, TMX or XLIFF)")


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 300 else text[:297] + "..."


def read_xml(p: Path) -> tuple[Signature | None, list[DocumentResult]]:
    root = parse_xml(p)
    if root.tag == "tmx":
        return read_tmx(root)
    if root.tag == X2 + "xliff":
        return read_xliff2(root)
    if root.tag == X12 + "xliff":
        return read_xliff12(root)
    raise ValueError(f"root element {root.tag!r} is not tmx or xliff")


__all__ = [
    "EXTENSIONS",
    "FORMATS",
    "TSV_COLUMNS",
    "AtomicFile",
    "Writer",
    "abort_all",
    "open_writer",
    "output_format",
    "parse_signature",
    "read_results",
    "writer_class",
]
