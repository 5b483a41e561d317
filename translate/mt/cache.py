"""A translation memory: SQLite (WAL) cache of translations by model input.

Keys cover everything that changes a translation: model id and revision,
backend, compute type, beam, length limits, languages, and the normalised
source sentence. The cache is committed after every batch, so it survives a
crash; repeated sentences (datelines, credits, boilerplate) are translated
once per corpus.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Sequence
from pathlib import Path

from translate.mt.translator import Translator
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


class TranslationCache:
    """SQLite store of translations."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # One translator uses it at a time, but maybe not from the thread that opened it
        # (Ray Data calls actors from a worker thread).
        self.db = sqlite3.connect(str(self.path), timeout=30, check_same_thread=False)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute(SCHEMA)
        self.db.commit()

    def get_many(self, keys: Sequence[str]) -> dict[str, Translation]:
        found: dict[str, Translation] = {}
        for i in range(0, len(keys), 500):
            chunk = list(keys[i : i + 500])
            rows = self.db.execute(
                f"SELECT key, translation, score, flags, pieces FROM tm WHERE key IN "
                f"({','.join('?' * len(chunk))})",
                chunk,
            )
            for key, text, score, flags, pieces in rows:
                found[key] = Translation(
                    text, score, tuple(Flag(c, r) for c, r in json.loads(flags)), pieces
                )
        return found

    def put_many(self, items: Sequence[tuple[str, Translation]]) -> None:
        self.db.executemany(
            "INSERT OR REPLACE INTO tm VALUES (?, ?, ?, ?, ?)",
            [
                (k, t.text, t.score, json.dumps([[f.code, f.reason] for f in t.flags]), t.pieces)
                for k, t in items
            ],
        )
        self.db.commit()

    def close(self) -> None:
        self.db.close()


class CachedTranslator(Translator):
    """Wraps a translator: looks sentences up first, translates the misses once."""

    def __init__(self, inner: Translator, cache: TranslationCache):
        self.inner = inner
        self.cache = cache
        self.backend = inner.backend
        d = inner.describe()
        self._prefix = json.dumps(
            {
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
            },
            sort_keys=True,
        )
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

    def describe(self) -> dict[str, object]:
        return self.inner.describe()

    def extra_sources(self) -> tuple[str, ...]:
        return self.inner.extra_sources()

    @property
    def on_progress(self):
        """The wrapped translator's progress report (for its cache misses)."""
        return getattr(self.inner, "on_progress", None)

    @on_progress.setter
    def on_progress(self, report) -> None:
        if hasattr(self.inner, "on_progress"):
            self.inner.on_progress = report

    @property
    def hit_rate(self) -> float:
        return self.hits / self.lookups if self.lookups else 0.0
