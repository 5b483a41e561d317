"""A batch job's manifest and output names.

``OUT_DIR/manifest.jsonl`` holds a header (the run signature) and one line per
finished or failed article, appended (and synced) only after that article's
files are complete, so a job killed at any moment resumes where it stopped.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path, PurePosixPath

from translate.errors import OutputError

logger = logging.getLogger("translate")

MANIFEST = "manifest.jsonl"


EXTENSIONS = {
    "jsonl": ".jsonl",
    "tsv": ".tsv",
    "csv": ".csv",
    "moses": "",
    "tmx": ".tmx",
    "xliff": ".xlf",
    "xliff12": ".xliff12.xlf",
    "html": ".html",
    "text": ".txt",
    "document": "",  # ARTICLE.TGT.SUFFIX: see output_targets
}
# Ids of documents keep their suffix (a.html); a text article's id has none.
DOCUMENT_SUFFIXES = (".html", ".htm", ".docx", ".md", ".markdown")


def output_targets(
    out_dir: Path, art_id: str, fmt: str, src: str, tgt: str
) -> tuple[Path, list[Path]]:
    """Where a writer writes (its ``-o``) and the files that appear there."""
    base = out_dir / art_id
    if fmt == "moses":
        target, files = (
            base,
            [Path(f"{base}.{src}"), Path(f"{base}.{tgt}"), Path(f"{base}.info.json")],
        )
    elif fmt == "document":  # the translated document: a.html -> a.en.html, a -> a.en.txt
        suffix = Path(art_id).suffix
        suffix = suffix if suffix.lower() in DOCUMENT_SUFFIXES else ""
        stem = str(base)[: len(str(base)) - len(suffix)]
        target = Path(f"{stem}.{tgt}{suffix or '.txt'}")
        files = [target]
    else:
        target = Path(f"{base}{EXTENSIONS[fmt]}")
        files = [target]
    for q in files:  # defence in depth: never write outside OUT_DIR
        if not q.resolve().is_relative_to(out_dir.resolve()):
            raise OutputError(f"output {q} would leave {out_dir}")
    return target, files


def read_manifest(path: Path) -> tuple[dict | None, dict[str, dict]]:
    """The header and the article lines (by id, the last line of an id wins).

    Damage is expected here (a line cut by a crash, a byte flipped, a hand
    edit): a line that is not UTF-8, not JSON, not an object, or an article
    line without a string ``id``, a ``status`` of ``ok``/``failed`` and a
    list of relative ``outputs`` inside OUT_DIR, is skipped (its article is
    redone), with one warning per manifest. The header is the first line,
    when it is an object of type ``header`` with a string ``signature`` and a
    list of ``formats``; else the header is None.

    So ``(None, {})`` with no file at ``path`` means no manifest, and a None
    header with a non-empty file there a manifest whose header is missing or
    garbled: a job must not be resumed from it (``run_batch`` refuses without
    ``--force``). An empty file (a crash before the header was written) has
    no entries to lose.

    Raises:
        OutputError: ``path`` is a directory or cannot be read.
    """
    if path.is_dir():
        raise OutputError(
            f"{path}: is a directory, not a manifest; remove it or choose another OUT_DIR"
        )
    if not path.is_file():
        return None, {}
    header, entries = None, {}
    skipped: list[str] = []
    try:
        with open(path, "rb") as f:
            for n, raw in enumerate(f, 1):
                obj, why = _manifest_line(raw, n == 1)
                if obj is None:
                    if why:
                        skipped.append(f"line {n}: {why}")
                    continue
                if n == 1 and obj.get("type") == "header":
                    header = obj
                else:
                    entries[obj["id"]] = obj
    except OSError as exc:
        raise OutputError(f"{path}: cannot be read ({exc.strerror or exc})") from exc
    if skipped:
        key = (str(path), len(skipped), skipped[0])
        if key not in _WARNED:
            _WARNED.add(key)
            logger.warning(
                "%s: %d damaged line(s) skipped, their articles are translated again (%s%s)",
                path,
                len(skipped),
                skipped[0],
                "; and more" if len(skipped) > 1 else "",
            )
    return header, entries


# Damaged manifests already warned about (path, count, first reason): a
# manifest polled again and again (translate serve) warns once.
_WARNED: set[tuple[str, int, str]] = set()


def _manifest_line(raw: bytes, first: bool) -> tuple[dict | None, str]:
    """A valid header (on the first line) or article line, or None and why not
    (an empty reason for a blank line)."""
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None, "not UTF-8 (cut inside a character, or binary)"
    if not line.strip():
        return None, "" if not first else "empty, where the header should be"
    try:
        obj = json.loads(line)
    except (ValueError, RecursionError):
        return None, "not JSON (cut by a crash?)"
    if not isinstance(obj, dict):
        return None, "not a JSON object"
    kind = obj.get("type")
    if kind == "header":
        if not first:
            return None, "a second header"
        if not isinstance(obj.get("signature"), str) or not isinstance(obj.get("formats"), list):
            return None, "a header without a signature or formats"
        return obj, ""
    if kind != "article":
        return None, f"not an article line (type {str(kind)[:20]!r})"
    art_id, status, outputs = obj.get("id"), obj.get("status"), obj.get("outputs")
    if not isinstance(art_id, str) or not art_id:
        return None, "an article line without an id"
    if status not in ("ok", "failed"):
        return None, f"article {art_id[:40]!r}: status is not ok or failed"
    if not isinstance(outputs, list) or not all(_inside(o) for o in outputs):
        return None, f"article {art_id[:40]!r}: outputs are not relative paths inside OUT_DIR"
    return obj, ""


def _inside(name: object) -> bool:
    if not isinstance(name, str) or not name or "\x00" in name:
        return False
    p = PurePosixPath(name.replace("\\", "/"))
    return not p.is_absolute() and ".." not in p.parts


def append_line(path: Path, obj: dict) -> None:
    """Append one line and sync it. A file that does not end with a newline
    (a line cut by a crash) gets one first, so the new line is not glued to
    the broken one and stays readable."""
    # A lone surrogate (a path that was not UTF-8) becomes its JSON escape, \udcff.
    data = (json.dumps(obj, ensure_ascii=False) + "\n").encode("utf-8", "backslashreplace")
    with open(path, "a+b") as f:
        if f.seek(0, os.SEEK_END) > 0:
            f.seek(-1, os.SEEK_END)
            if f.read(1) != b"\n":
                data = b"\n" + data
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
