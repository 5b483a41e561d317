"""Output formats: JSONL (default), TSV and Moses line-aligned files here;
TMX and XLIFF in :mod:`translate.xmlformats`, HTML in :mod:`translate.review`.

Every writer records the run's signature. Files are written to a temporary
name and renamed into place when complete, so a crash leaves no partial file.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import sys
from abc import ABC, abstractmethod
from dataclasses import asdict
from pathlib import Path
from typing import IO

from translate.errors import OutputError, UsageError
from translate.records import DocumentResult, Record, Signature

FORMATS = ("jsonl", "tsv", "moses", "tmx", "xliff", "xliff12", "html")
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


# Temporary files not yet committed or removed: an interrupted command removes
# them all (abort_all), even one whose writer never got to its own cleanup.
_PENDING: set[Path] = set()


def abort_all() -> None:
    """Remove every temporary output file of this process that was not committed."""
    for tmp in list(_PENDING):
        tmp.unlink(missing_ok=True)
        _PENDING.discard(tmp)


class AtomicFile:
    """A text file that appears at ``path`` only when :meth:`commit` is called."""

    def __init__(self, path: Path):
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        # The name is registered before the file exists, so a Ctrl-C landing
        # anywhere in here still leaves abort_all() a name to remove.
        self.tmp = path.parent / f".{path.name}.{secrets.token_hex(4)}.part"
        _PENDING.add(self.tmp)
        # 0666 less the umask, the usual permissions of a new file. On failure
        # the name stays registered: the file may exist even if open raised.
        fd = os.open(self.tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        try:
            self.stream: IO[str] = os.fdopen(fd, "w", encoding="utf-8", newline="\n")
        except BaseException:
            with contextlib.suppress(OSError):  # fdopen may already have closed it
                os.close(fd)
            self.tmp.unlink(missing_ok=True)
            _PENDING.discard(self.tmp)
            raise

    def commit(self) -> None:
        self.stream.flush()
        os.fsync(self.stream.fileno())
        self.stream.close()
        os.replace(self.tmp, self.path)
        _PENDING.discard(self.tmp)

    def abort(self) -> None:
        if not self.stream.closed:
            self.stream.close()
        self.tmp.unlink(missing_ok=True)  # no-op once committed (renamed)
        _PENDING.discard(self.tmp)


class Writer(ABC):
    """Writes a run's results; use as a context manager (aborts on error)."""

    def __init__(self, signature: Signature, out: str | Path | None, overwrite: bool = True):
        self.signature = signature
        self.out = None if out in (None, "-") else Path(out)
        self.overwrite = overwrite
        self._files: list[AtomicFile] = []

    def _open(self, path: Path | None) -> IO[str]:
        if path is None:
            return sys.stdout
        if path.exists() and not self.overwrite:
            raise OutputError(f"{path} exists; pass --overwrite to replace it")
        f = AtomicFile(path)
        self._files.append(f)
        return f.stream

    @abstractmethod
    def write(self, result: DocumentResult) -> None: ...

    def close(self) -> None:
        for f in self._files:
            f.commit()
        if self.out is None:
            sys.stdout.flush()

    def abort(self) -> None:
        for f in self._files:
            f.abort()

    def __enter__(self) -> Writer:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is not None:
            self.abort()
            return
        try:
            self.close()
        except BaseException:  # e.g. Ctrl-C while committing: leave no temporary file
            self.abort()
            raise


def record_dict(r: Record) -> dict[str, object]:
    d = asdict(r)
    d["flags"] = [{"code": f.code, "reason": f.reason} for f in r.flags]
    return {"type": "sentence", **d}


class JsonlWriter(Writer):
    """One JSON object per line: a header, then per document a ``document``
    line followed by one ``sentence`` line per source sentence."""

    def __init__(self, signature: Signature, out: str | Path | None, overwrite: bool = True):
        super().__init__(signature, out, overwrite)
        self.stream = self._open(self.out)
        self._line({"type": "header", "signature": str(signature), "run": asdict(signature)})

    def _line(self, obj: dict[str, object]) -> None:
        self.stream.write(json.dumps(obj, ensure_ascii=False) + "\n")

    def write(self, result: DocumentResult) -> None:
        doc = result.document
        self._line(
            {
                "type": "document",
                "doc_id": doc.id,
                "date": doc.date,
                "source": doc.source,
                "encoding": doc.encoding,
                "sentences": len(result.records),
            }
        )
        for r in result.records:
            self._line(record_dict(r))


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


def one_line(s: str) -> str:
    return " ".join(s.split())


class MosesWriter(Writer):
    """``OUT.<src>`` and ``OUT.<tgt>``: line N of one is the translation of line N
    of the other. ``OUT.info.json`` holds the signature and each line's ids."""

    def __init__(self, signature: Signature, out: str | Path | None, overwrite: bool = True):
        super().__init__(signature, out, overwrite)
        if self.out is None:
            raise UsageError("--to moses writes two files: give their base name with -o OUT")
        base = str(self.out)
        paths = [Path(f"{base}.{x}") for x in (signature.src_lang, signature.tgt_lang, "info.json")]
        for p in paths:  # check all three before creating any temporary file
            if p.exists() and not overwrite:
                raise OutputError(f"{p} exists; pass --overwrite to replace it")
        self.src, self.tgt, self.info = (self._open(p) for p in paths)
        self.lines: list[list[object]] = []

    def write(self, result: DocumentResult) -> None:
        for r in result.records:
            self.src.write(one_line(r.source) + "\n")
            self.tgt.write(one_line(r.translation) + "\n")
            self.lines.append([r.doc_id, r.paragraph, r.index, list(r.flag_codes)])

    def close(self) -> None:
        json.dump(
            {
                "signature": str(self.signature),
                "run": asdict(self.signature),
                "columns": ["doc_id", "paragraph", "index", "flags"],
                "lines": self.lines,
            },
            self.info,
            ensure_ascii=False,
        )
        super().close()


# Output formats known by a file's extension (for -o without --to).
EXTENSIONS = {
    ".jsonl": "jsonl",
    ".tsv": "tsv",
    ".tmx": "tmx",
    ".xliff": "xliff",
    ".xlf": "xliff",
    ".html": "html",
    ".htm": "html",
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
    if fmt == "moses":
        return MosesWriter
    if fmt in ("tmx", "xliff", "xliff12"):
        from translate.formats import xml as xmlformats

        return {
            "tmx": xmlformats.TmxWriter,
            "xliff": xmlformats.Xliff21Writer,
            "xliff12": xmlformats.Xliff12Writer,
        }[fmt]
    if fmt == "html":
        from translate.formats.html import HtmlWriter

        return HtmlWriter
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
