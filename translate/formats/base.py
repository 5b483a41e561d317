"""What every output format shares: the writer interface and atomic files.

Every writer records the run's signature. Files are written to a temporary
name and renamed into place when complete, so a crash leaves no partial file.
A symbolic link is written through (its target is replaced); a FIFO or a
device (``/dev/stdout``) is written to directly. Operating-system errors
become :class:`~translate.errors.OutputError` messages naming the path.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
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


def os_error(path: Path | str, exc: OSError, doing: str = "cannot write") -> OutputError:
    """A one-line error for an operating-system error on ``path``."""
    why = {
        errno.ENOSPC: "the disk is full",
        errno.EDQUOT: "the disk quota is exceeded",
        errno.EROFS: "the file system is read-only",
        errno.EACCES: "permission denied",
        errno.EPERM: "permission denied",
        errno.ENAMETOOLONG: "the file name is too long",
        errno.EISDIR: "it is a directory",
        errno.ENOTDIR: "a part of the path is not a directory",
    }.get(exc.errno or 0, exc.strerror or str(exc))
    return OutputError(f"{path}: {doing} ({why})")


def _special(path: Path) -> bool:
    """A FIFO, socket or device: written to directly, never replaced."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return stat.S_ISFIFO(mode) or stat.S_ISCHR(mode) or stat.S_ISSOCK(mode)


def _stale_part(name: str) -> bool:
    """Whether ``name`` is one of our temporary files (``.NAME.HEX8.part``)."""
    if not (name.startswith(".") and name.endswith(".part")):
        return False
    token = name[:-5].rpartition(".")[2]
    return len(token) == 8 and all(c in "0123456789abcdef" for c in token)


def check_output(path: str | Path | None, overwrite: bool) -> None:
    """Check that an output can be written, before any work is done.

    Removes the temporary files a killed earlier run left for the same name.

    Raises:
        OutputError: the path is a directory, its folder cannot be made or
            written to, or the file exists and ``overwrite`` is false.
    """
    if path is None or str(path) == "-":
        return
    p = Path(path)
    if p.is_dir():
        raise OutputError(f"{p}: is a directory; give a file name for the output")
    if _special(p):
        return
    if p.exists() and not overwrite:
        raise OutputError(f"{p} exists; pass --overwrite to replace it")
    target = p.resolve() if p.is_symlink() else p
    folder = target.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise os_error(folder, exc, "cannot make the output folder") from None
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(f"{folder}: cannot write there (permission denied)")
    if len(target.name.encode()) > 240:  # the temporary name adds 15 bytes
        raise OutputError(f"{p}: the file name is too long")
    with contextlib.suppress(OSError):
        for old in folder.glob(f".{glob_escape(target.name)}.*.part"):
            if _stale_part(old.name):
                old.unlink(missing_ok=True)


def glob_escape(name: str) -> str:
    return "".join(f"[{c}]" if c in "*?[" else c for c in name)


class AtomicFile:
    """A text file that appears at ``path`` only when :meth:`commit` is called.

    A symbolic link is written through: its target is replaced. A FIFO or a
    device is written to directly (there is nothing to replace).

    Raises:
        OutputError: the file cannot be created (with the path and the cause).
    """

    def __init__(self, path: Path):
        self.path = path.resolve() if path.is_symlink() else path
        self.direct = _special(self.path)
        if self.direct:
            try:
                self.stream: IO[str] = open(self.path, "w", encoding="utf-8", newline="\n")
            except OSError as exc:
                raise os_error(path, exc) from None
            self.tmp = self.path
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise os_error(self.path.parent, exc, "cannot make the output folder") from None
        # The name is registered before the file exists, so a Ctrl-C landing
        # anywhere in here still leaves abort_all() a name to remove.
        self.tmp = self.path.parent / f".{self.path.name}.{secrets.token_hex(4)}.part"
        _PENDING.add(self.tmp)
        # 0666 less the umask, the usual permissions of a new file. On failure
        # the name stays registered: the file may exist even if open raised.
        try:
            fd = os.open(self.tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except OSError as exc:
            _PENDING.discard(self.tmp)
            raise os_error(path, exc) from None
        try:
            self.stream = os.fdopen(fd, "w", encoding="utf-8", newline="\n")
        except BaseException:
            with contextlib.suppress(OSError):  # fdopen may already have closed it
                os.close(fd)
            self.tmp.unlink(missing_ok=True)
            _PENDING.discard(self.tmp)
            raise

    def commit(self) -> None:
        try:
            self.stream.flush()
            if not self.direct:
                os.fsync(self.stream.fileno())
            self.stream.close()
            if not self.direct:
                os.replace(self.tmp, self.path)
        except OSError as exc:
            self.abort()
            raise os_error(self.path, exc) from None
        _PENDING.discard(self.tmp)

    def abort(self) -> None:
        if not self.stream.closed:
            with contextlib.suppress(OSError):
                self.stream.close()
        if not self.direct:
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
        if path.exists() and not self.overwrite and not _special(path):
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
            if isinstance(exc, OSError) and not isinstance(exc, BrokenPipeError):
                raise os_error(self.out or "stdout", exc) from None
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
