"""A translation memory: SQLite (WAL) cache of translations by model input.

Keys cover everything that changes a translation: model id and revision,
backend, compute type, beam, length limits, languages, and the normalised
source sentence. The cache is committed after every batch, so it survives a
crash; repeated sentences (datelines, credits, boilerplate) are translated
once per corpus.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import math
import sqlite3
from collections.abc import Sequence
from pathlib import Path

from translate.errors import InputError, OutputError, TranslateError
from translate.mt.translator import Translator, WrappingTranslator
from translate.records import Flag, Translation

SCHEMA = """
CREATE TABLE IF NOT EXISTS tm (
    key TEXT PRIMARY KEY,
    translation TEXT NOT NULL,
    score REAL,
    flags TEXT NOT NULL,
    pieces INTEGER NOT NULL
)
"""

logger = logging.getLogger("translate")


COLUMNS = ("key", "translation", "score", "flags", "pieces")
_FIX = "remove the file (it is only a cache) or pass --no-cache"


class TranslationCache:
    """SQLite store of translations.

    Every failure of the database (not a database, damaged, a directory,
    unwritable, disk full, locked) becomes a one-line :class:`InputError` or
    :class:`OutputError` that names the file and what to do. A row that does
    not hold what this class writes (wrong types, flags that are not JSON) is
    a miss: the sentence is translated again and the row replaced, with one
    warning per cache.

    Raises:
        InputError: the file is a directory, not a SQLite database, another
            program's database, or damaged.
        OutputError: it cannot be created or written (permissions, disk full,
            locked by another process).
    """

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.garbled = 0
        if self.path.is_dir():
            raise InputError(
                f"{self.path}: is a directory, not a translation memory; pass --cache FILE "
                "or --no-cache"
            )
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(
                f"{self.path}: its directory cannot be created ({exc.strerror or exc}); pass "
                "--cache PATH somewhere writable, or --no-cache"
            ) from exc
        self.db: sqlite3.Connection | None = None
        try:
            # One translator uses it at a time, but maybe not from the thread that opened it
            # (Ray Data calls actors from a worker thread).
            self.db = sqlite3.connect(str(self.path), timeout=30, check_same_thread=False)
            self.db.text_factory = bytes  # decoded row by row: one bad row is one miss
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            tables = {
                bytes(n).decode("utf-8", "replace")
                for (n,) in self.db.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            if tables and "tm" not in tables:
                raise InputError(
                    f"{self.path}: a SQLite database of another program (no table 'tm'), not a "
                    "translation memory; pass --cache with another file, or --no-cache"
                )
            self.db.execute(SCHEMA)
            self.db.commit()
            columns = tuple(
                bytes(row[1]).decode("utf-8", "replace")
                for row in self.db.execute("PRAGMA table_info(tm)")
            )
            if columns != COLUMNS:
                raise InputError(
                    f"{self.path}: its table 'tm' has columns {', '.join(columns)}, not those of a "
                    f"translation memory; {_FIX}"
                )
        except sqlite3.Error as exc:
            self.close()
            raise self.error(exc) from exc
        except BaseException:
            self.close()
            raise

    def error(self, exc: sqlite3.Error) -> TranslateError:
        """Our error for a SQLite failure on this file: what it means, what to do."""
        name = getattr(exc, "sqlite_errorname", "") or ""
        code = name.split("_")[1] if name.count("_") >= 1 else ""
        what = f"SQLite: {' '.join(str(exc).split())}"
        if code == "NOTADB":
            return InputError(f"{self.path}: not a translation memory ({what}); {_FIX}")
        if code == "CORRUPT":
            return InputError(f"{self.path}: the translation memory is damaged ({what}); {_FIX}")
        if code == "FULL":
            return OutputError(
                f"{self.path}: the disk is full ({what}); free some space, or pass --no-cache"
            )
        if code in ("BUSY", "LOCKED"):
            return OutputError(
                f"{self.path}: the translation memory is locked by another process ({what}); "
                "wait for it, or pass --cache with another file, or --no-cache"
            )
        if code in ("READONLY", "CANTOPEN", "PERM", "IOERR", "AUTH"):
            return OutputError(
                f"{self.path}: the translation memory cannot be opened or written ({what}); "
                "pass --cache PATH somewhere writable, or --no-cache"
            )
        return OutputError(f"{self.path}: translation memory error ({what}); {_FIX}")

    def get_many(self, keys: Sequence[str]) -> dict[str, Translation]:
        """The stored translations of ``keys`` (a garbled row counts as missing)."""
        found: dict[str, Translation] = {}
        assert self.db is not None, "the translation memory is closed"
        try:
            for i in range(0, len(keys), 500):
                chunk = list(keys[i : i + 500])
                rows = self.db.execute(
                    "SELECT key, typeof(translation), translation, typeof(score), score, "
                    "typeof(flags), flags, typeof(pieces), pieces FROM tm WHERE key IN "
                    f"({','.join('?' * len(chunk))})",
                    chunk,
                ).fetchall()
                for row in rows:
                    key = row[0].decode("ascii", "replace") if isinstance(row[0], bytes) else None
                    t = _translation(row[1:])
                    if key is None or t is None:
                        self._garbled(key)
                        continue
                    found[key] = t
        except sqlite3.Error as exc:
            raise self.error(exc) from exc
        return found

    def _garbled(self, key: str | None) -> None:
        if not self.garbled:
            logger.warning(
                "%s: a garbled entry in the translation memory (key %s...) is translated "
                "again; others are too, without a warning each",
                self.path,
                (key or "?")[:12],
            )
        self.garbled += 1

    def put_many(self, items: Sequence[tuple[str, Translation]]) -> None:
        assert self.db is not None, "the translation memory is closed"
        try:
            self.db.executemany(
                "INSERT OR REPLACE INTO tm VALUES (?, ?, ?, ?, ?)",
                [
                    (
                        k,
                        t.text,
                        t.score,
                        json.dumps([[f.code, f.reason] for f in t.flags]),
                        t.pieces,
                    )
                    for k, t in items
                ],
            )
            self.db.commit()
        except sqlite3.Error as exc:
            with contextlib.suppress(sqlite3.Error):
                self.db.rollback()
            raise self.error(exc) from exc

    def close(self) -> None:
        if self.db is not None:
            with contextlib.suppress(sqlite3.Error):
                self.db.close()
            self.db = None


def _translation(row: Sequence[object]) -> Translation | None:
    """A stored translation from ``typeof``/value pairs; None if the row is garbled."""
    t_type, text, s_type, score, f_type, flags, p_type, pieces = row
    if t_type != b"text" or f_type != b"text" or p_type != b"integer":
        return None
    if s_type not in (b"real", b"integer", b"null"):
        return None
    if score is not None and not math.isfinite(score):
        return None
    if not isinstance(pieces, int) or pieces < 1:
        return None
    try:
        text = bytes(text).decode("utf-8")
        pairs = json.loads(bytes(flags).decode("utf-8"))
    except (ValueError, RecursionError, TypeError):
        return None
    if not isinstance(pairs, list) or not all(
        isinstance(p, list) and len(p) == 2 and all(isinstance(x, str) for x in p) for p in pairs
    ):
        return None
    return Translation(
        text, None if score is None else float(score), tuple(Flag(c, r) for c, r in pairs), pieces
    )


class CachedTranslator(WrappingTranslator):
    """Wraps a translator: looks sentences up first, translates the misses once."""

    def __init__(self, inner: Translator, cache: TranslationCache):
        super().__init__(inner)
        self.cache = cache
        d = inner.describe()
        keyed = {
            k: d.get(k)
            for k in (
                "model",
                "revision",
                "backend",
                "dtype",
                "shortlist",
                "beam",
                "max_input_tokens",
                "max_output_tokens",
            )
        }
        # only when set, so keys made before these options existed still match
        keyed.update({k: d[k] for k in ("no_repeat_ngram_size", "repetition_penalty") if k in d})
        self._prefix = json.dumps(keyed, sort_keys=True)
        self.hits = 0
        self.lookups = 0

    def key(self, text: str, src: str, tgt: str) -> str:
        return hashlib.sha256(f"{self._prefix}|{src}|{tgt}|{text}".encode()).hexdigest()

    def translate(self, texts: Sequence[str], src: str, tgt: str) -> list[Translation]:
        keys = [self.key(t, src, tgt) for t in texts]
        found = self.cache.get_many(list(dict.fromkeys(keys)))
        missing: dict[str, str] = {}
        for k, t in zip(keys, texts):
            if k not in found and k not in missing:
                missing[k] = t
        self.lookups += len(keys)
        self.hits += len(keys) - len(missing)  # found, or a repeat within this batch
        if missing:
            new = self.inner.translate(list(missing.values()), src, tgt)
            fresh = list(zip(missing.keys(), new))
            self.cache.put_many(fresh)
            found.update(fresh)
        return [found[k] for k in keys]

    @property
    def hit_rate(self) -> float:
        return self.hits / self.lookups if self.lookups else 0.0
