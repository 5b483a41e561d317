"""Reading the text files of translation memories and glossaries (TSV, CSV,
term lists, parallel files): UTF-8 (a byte-order mark is dropped) or UTF-16
with a byte-order mark, line by line; anything else is a one-line
:class:`~translate.errors.InputError` naming the file and the line."""

from __future__ import annotations

from pathlib import Path

from translate.errors import InputError

MAX_BYTES = 200 * 1024 * 1024


def read_bytes(path: str | Path, what: str) -> bytes:
    """The bytes of ``path``; ``what`` names the kind of file in messages.

    Raises:
        InputError: missing, a directory, unreadable, empty or over 200 MB.
    """
    p = Path(path)
    if p.is_dir():
        raise InputError(f"{path}: is a directory, not a {what}")
    if not p.is_file():
        raise InputError(f"{path}: no such file")
    try:
        if p.stat().st_size > MAX_BYTES:
            raise InputError(f"{path}: larger than 200 MB; split it first")
        data = p.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror or exc})") from exc
    if not data.strip():
        raise InputError(f"{path}: is empty (no {what} in it)")
    return data


def decode_text(data: bytes, path: str | Path) -> str:
    """UTF-8 (or UTF-16 with a byte-order mark) text of a file.

    Raises:
        InputError: NUL bytes (a binary file) or bytes that are not UTF-8,
            with the line and byte where they are.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputError(f"{path}: broken UTF-16 (byte {exc.start + 1})") from None
    data = data.removeprefix(b"\xef\xbb\xbf")
    if b"\x00" in data:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        raise InputError(f"{path}: line {line}: a NUL byte: a binary file, not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise InputError(
            f"{path}: line {line}: not UTF-8 (byte {col} of the line); save the file as "
            "UTF-8 (iconv -f CP1251 -t UTF-8, or your editor's 'Save as UTF-8')"
        ) from None


def text_lines(path: str | Path, what: str) -> list[str]:
    """The lines of a UTF-8 text file, without their line ends."""
    return decode_text(read_bytes(path, what), path).splitlines()
