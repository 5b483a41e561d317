"""Output formats: JSONL (default), TSV and Moses line-aligned files here;
TMX and XLIFF in :mod:`translate.xmlformats`, HTML in :mod:`translate.review`.

Every writer records the run's signature. Files are written to a temporary
name and renamed into place when complete, so a crash leaves no partial file.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import sys
from abc import ABC, abstractmethod
from pathlib import Path
from typing import IO

from translate.errors import OutputError
from translate.records import DocumentResult, Flag, Signature

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


def signature_from_dict(run: dict | None) -> Signature | None:
    if not run:
        return None
    try:
        run = dict(run)
        run["extra"] = tuple(tuple(x) for x in run.get("extra", ()))
        return Signature(**run)
    except TypeError:
        return None


def flags_from_codes(codes: str, reasons: dict[str, str]) -> tuple[Flag, ...]:
    return tuple(Flag(c, reasons.get(c, "")) for c in codes.split(",") if c)


def parse_signature(text: str) -> Signature | None:
    """A signature from its one-line form (``translate:0.1.0|model:...|kk-en|...``)."""
    fields: dict[str, str] = {}
    langs = None
    extra = []
    for part in text.strip().split("|"):
        key, sep, value = part.partition(":")
        if not sep:
            langs = part.split("-")
        elif key in ("translate", "model", "backend", "beam", "maxin", "maxout", "seg", "device"):
            fields[key] = value
        else:
            extra.append((key, value))
    if not langs or len(langs) != 2 or "translate" not in fields:
        return None
    model, _, revision = fields.get("model", "").partition("@")
    try:
        return Signature(
            fields["translate"],
            fields.get("seg", "?"),
            model,
            revision or None,
            fields.get("backend", "?"),
            int(fields.get("beam", 0)),
            int(fields.get("maxin", 0)),
            int(fields.get("maxout", 0)),
            langs[0],
            langs[1],
            fields.get("device", "cpu"),
            tuple(extra),
        )
    except ValueError:
        return None
