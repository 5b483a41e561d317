"""The articles of a batch job: a directory of ``*.txt`` (recursively), a glob,
or a JSONL file of ``{"id", "text"}`` objects; ids double as output names and
never leave OUT_DIR.
"""

from __future__ import annotations

import glob
import json
import logging
import os
import re
from dataclasses import dataclass, replace
from pathlib import Path

from translate.errors import InputError
from translate.records import Document
from translate.text.reader import parse_article, read_article


@dataclass(frozen=True)
class Article:
    """One input of a batch: an id (also its output name) and where to read it."""

    id: str
    path: Path | None = None
    text: str | None = None
    error: str | None = None  # a problem found while listing (bad JSONL line...)


_SAFE = re.compile(r"[^\w.\-]+", re.UNICODE)


def safe_relpath(name: str) -> Path:
    """A relative output path that cannot leave OUT_DIR (no ``..``, no absolute path)."""
    parts = [p for p in re.split(r"[\\/]+", name) if p not in ("", ".", "..")]
    parts = [_SAFE.sub("_", p).lstrip(".") or "_" for p in parts]
    return Path(*parts) if parts else Path("_")


# Files a directory holds articles in: text, and documents (translate.documents).
ARTICLE_SUFFIXES = (".txt", ".html", ".htm", ".docx", ".md", ".markdown")


def list_articles(source: str, encoding: str | None = None) -> list[Article]:
    """Articles of a directory, a glob or a JSONL file, in a stable order.

    Raises:
        InputError: nothing matches, or the source cannot be read.
    """
    p = Path(source)
    if p.is_dir():
        files = sorted(
            f
            for f in p.rglob("*")
            if f.suffix.lower() in ARTICLE_SUFFIXES and f.is_file() and not f.is_symlink()
        )
        root = p
    elif p.is_file() and p.suffix == ".jsonl":
        return _jsonl_articles(p)
    elif p.is_file():
        files, root = [p], p.parent
    else:
        files = sorted(Path(f) for f in glob.glob(source, recursive=True) if Path(f).is_file())
        root = Path(os.path.commonpath([str(f.parent) for f in files])) if files else Path(".")
    if not files:
        raise InputError(
            f"{source}: no articles found (a directory of *.txt, *.html, *.htm, *.docx or "
            "*.md files, a glob, or a .jsonl)"
        )
    arts = []
    for f in files:
        rel = f.relative_to(root)
        rel = rel.with_suffix("") if rel.suffix.lower() == ".txt" else rel  # a.html: "a.html"
        arts.append(Article(id=str(safe_relpath(str(rel))), path=f))
    return unique_ids(arts)


# Names of the job's own files in OUT_DIR (manifest.jsonl, cache.sqlite and
# their temporaries): an article never gets one of them as its id.
RESERVED = frozenset({"manifest", "cache"})


def unique_ids(arts: list[Article]) -> list[Article]:
    """Articles whose ids (output names) are distinct and none of the job's own.

    File names that clean up to the same id (``a b.txt``, ``a:b.txt``,
    ``a_b.txt``) get ``-2``, ``-3``... in input order, so the names are stable
    from one run to the next; each renaming is logged.
    """
    taken = {a.id.lower() for a in arts}
    seen: set[str] = set()
    out = []
    for art in arts:
        new = art.id
        if new.lower() in RESERVED:
            new = f"{new}-article"
        base, n = new, 1
        while new.lower() in seen or (new != art.id and new.lower() in taken - {art.id.lower()}):
            n += 1
            new = f"{base}-{n}"
        seen.add(new.lower())
        if new != art.id:
            where = art.path or art.id
            logging.getLogger("translate").warning(
                "%s: its output name %r is taken (by another article or the job's own files): "
                "written as %r",
                where,
                art.id,
                new,
            )
            art = replace(art, id=new)
        out.append(art)
    return out


def _jsonl_articles(p: Path) -> list[Article]:
    """One article per line; a line that is not one (not UTF-8, not JSON,
    nested too deeply, a lone surrogate, a missing field, a duplicate id)
    becomes a failed article that says why, and the job goes on.

    Raises:
        InputError: the file cannot be read, or holds no line at all.
    """
    arts: list[Article] = []
    seen: set[str] = set()
    try:
        with open(p, "rb") as f:
            raw_lines = f.read().split(b"\n")
    except OSError as exc:
        raise InputError(f"{p}: cannot be read ({exc.strerror or exc})") from exc
    for n, raw in enumerate(raw_lines, 1):
        if n == 1:
            raw = raw.removeprefix(b"\xef\xbb\xbf")
        if not raw.strip():
            continue
        try:
            art_id, text = _jsonl_article(raw)
        except (ValueError, KeyError, TypeError) as exc:
            why = exc.args[0] if isinstance(exc, KeyError) else exc
            arts.append(Article(id=f"line-{n}", error=f"{p}:{n}: not an article ({why})"))
            continue
        safe = str(safe_relpath(art_id))
        if safe in seen:
            arts.append(Article(id=f"{safe}-line-{n}", error=f"{p}:{n}: duplicate id {art_id!r}"))
            continue
        seen.add(safe)
        arts.append(Article(id=safe, text=text))
    if not arts:
        raise InputError(f"{p}: no articles in it")
    return unique_ids(arts)


_SURROGATE = re.compile("[\ud800-\udfff]")


def _jsonl_article(raw: bytes) -> tuple[str, str]:
    """The id and text of one JSONL line.

    Raises:
        ValueError, KeyError, TypeError: why the line is not an article.
    """
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(f"not UTF-8 at byte {exc.start + 1}") from None
    try:
        obj = json.loads(line)
    except RecursionError:
        raise ValueError("JSON nested too deeply") from None
    if not isinstance(obj, dict):
        raise TypeError("not a JSON object")
    missing = [k for k in ("id", "text") if k not in obj]
    if missing:
        raise KeyError(f"no {' or '.join(repr(k) for k in missing)} field")
    art_id, text = obj["id"], obj["text"]
    if isinstance(art_id, int) and not isinstance(art_id, bool):
        art_id = str(art_id)
    if not isinstance(art_id, str):
        raise TypeError("'id' is not a string")
    if not isinstance(text, str):
        raise TypeError("'text' is not a string")
    for name, value in (("id", art_id), ("text", text)):
        m = _SURROGATE.search(value)
        if m:
            raise ValueError(
                f"{name!r} holds a lone surrogate (\\u{ord(m.group()):04x}), which is not a character"
            )
    return art_id, text


def read_one(art: Article, encoding: str | None, source: str) -> Document:
    """The document of one batch article.

    Raises:
        InputError: unreadable, binary, undecodable or empty.
    """
    if art.error:
        raise InputError(art.error)
    if art.path is not None:
        return read_article(art.path, doc_id=art.id, encoding=encoding)
    doc = parse_article(art.text or "", art.id, source=f"{source}#{art.id}")
    if not doc.text[doc.body_start :].strip():
        raise InputError(f"{art.id}: is empty (no text to translate)")
    return doc
