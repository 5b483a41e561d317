"""A translation memory of human translations: SQLite, one row per source
sentence and language pair, independent of any model.

It is not the machine-translation cache of :mod:`translate.mt.cache` (model
outputs keyed by model and settings): what it holds was translated or
approved by a person, and comes back whatever model runs.

Keys are normalised sources: the text the model would get
(:func:`translate.text.normalize.normalize_for_model`), whitespace collapsed,
so a sentence matches whatever invisible characters, look-alike letters or
line breaks its copies carry. A fuzzy match compares keys with rapidfuzz's
``ratio`` (normalised Indel similarity, 0..1).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from translate.errors import InputError, OutputError, TranslateError
from translate.text.normalize import normalize_for_model

DEFAULT_PATH = "translate-tm.sqlite"
ENV = "TRANSLATE_TM"
SCHEMA_VERSION = "translate-tm 1"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS units (
    src_lang TEXT NOT NULL,
    tgt_lang TEXT NOT NULL,
    key TEXT NOT NULL,
    source TEXT NOT NULL,
    target TEXT NOT NULL,
    origin TEXT NOT NULL,
    date TEXT,
    reviewer TEXT,
    added TEXT NOT NULL,
    PRIMARY KEY (src_lang, tgt_lang, key)
);
"""


def memory_key(text: str, lang: str) -> str:
    """The key of a source sentence: its model input, whitespace collapsed."""
    return " ".join(normalize_for_model(text, lang).text.split())


def default_path() -> str:
    """``$TRANSLATE_TM``, else ``translate-tm.sqlite`` in the current directory."""
    return os.environ.get(ENV) or DEFAULT_PATH


@dataclass(frozen=True)
class Unit:
    """A human translation.

    Attributes:
        src_lang, tgt_lang: Its direction (``kk``/``en``).
        source, target: The texts as imported.
        origin: The file it was imported from (and the unit in it).
        date: When it was translated or changed, when the file says; else
            the import date (``YYYY-MM-DD``).
        reviewer: Who translated or approved it, when the file says.
        key: The normalised source (:func:`memory_key`).
    """

    src_lang: str
    tgt_lang: str
    source: str
    target: str
    origin: str
    date: str | None = None
    reviewer: str | None = None
    key: str = ""

    def provenance(self) -> str:
        """``FILE, DATE, reviewer NAME`` (what is known)."""
        parts = [self.origin] + [x for x in (self.date,) if x]
        if self.reviewer:
            parts.append(f"reviewer {self.reviewer}")
        return ", ".join(parts)


def keyed(unit: Unit) -> Unit:
    return unit if unit.key else replace(unit, key=memory_key(unit.source, unit.src_lang))


class TranslationMemory:
    """A translation memory file.

    Args:
        path: The SQLite file.
        create: Create it when missing (``tm import``); otherwise a missing
            file is an error and the file is opened read-only (``run --tm``).

    Raises:
        InputError: missing (without ``create``), a directory, not SQLite,
            the machine-translation cache or another program's database, damaged.
        OutputError: it cannot be created or written.
    """

    def __init__(self, path: str | Path, create: bool = False):
        self.path = Path(path)
        self.db: sqlite3.Connection | None = None
        self._keys: dict[tuple[str, str], tuple[list[str], list[int]]] = {}
        # the HTTP service reads it from request threads and its inference worker
        self._lock = threading.RLock()
        if str(path) == ":memory:":  # see in_memory
            self.db = sqlite3.connect(":memory:", check_same_thread=False)
            self.db.executescript(_SCHEMA)
            self.db.execute("INSERT INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
            return
        if self.path.is_dir():
            raise InputError(f"{self.path}: is a directory, not a translation memory")
        if not create and not self.path.is_file():
            raise InputError(
                f"{self.path}: no such translation memory (make one with "
                f"'translate tm import FILE... --tm {self.path}')"
            )
        try:
            if create:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self.db = sqlite3.connect(str(self.path), timeout=30, check_same_thread=False)
            else:
                uri = self.path.resolve().as_uri() + "?mode=ro"
                self.db = sqlite3.connect(uri, uri=True, timeout=30, check_same_thread=False)
            tables = {n for (n,) in self.db.execute("SELECT name FROM sqlite_master")}
            if "tm" in tables and "units" not in tables:
                raise InputError(
                    f"{self.path}: a machine-translation cache ('translate batch' writes it), "
                    "not a translation memory of human translations; import human "
                    "translations with 'translate tm import'"
                )
            if tables - {"meta", "units", "sqlite_autoindex_meta_1", "sqlite_autoindex_units_1"}:
                raise InputError(f"{self.path}: a SQLite database of another program")
            if create:
                self.db.executescript(_SCHEMA)
                self.db.execute(
                    "INSERT OR IGNORE INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,)
                )
                self.db.commit()
            elif "units" not in tables:
                raise InputError(f"{self.path}: not a translation memory (no table 'units')")
            version = self.db.execute("SELECT value FROM meta WHERE name='schema'").fetchone()
            if version is None or version[0] != SCHEMA_VERSION:
                raise InputError(
                    f"{self.path}: translation memory format {version and version[0]!r}, not "
                    f"{SCHEMA_VERSION!r}"
                )
        except sqlite3.Error as exc:
            self.close()
            raise self.error(exc) from exc
        except BaseException:
            self.close()
            raise

    @classmethod
    def in_memory(cls, units: Iterable[Unit], added: str) -> TranslationMemory:
        """A memory of ``units`` that lives in this process only (``run --tm``
        given a TMX, XLIFF or TSV file instead of a memory)."""
        memory = cls(":memory:")
        memory.add(units, added)
        return memory

    def error(self, exc: sqlite3.Error) -> TranslateError:
        """A one-line error for a SQLite failure on this file."""
        name = getattr(exc, "sqlite_errorname", "") or ""
        what = f"SQLite: {' '.join(str(exc).split())}"
        if name.startswith("SQLITE_NOTADB"):
            return InputError(f"{self.path}: not a translation memory ({what})")
        if name.startswith("SQLITE_CORRUPT"):
            return InputError(f"{self.path}: the translation memory is damaged ({what})")
        return OutputError(f"{self.path}: the translation memory cannot be used ({what})")

    def close(self) -> None:
        if self.db is not None:
            with contextlib.suppress(sqlite3.Error):
                self.db.close()
            self.db = None

    def __enter__(self) -> TranslationMemory:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _run(self, sql: str, params: Iterable[object] = ()) -> list[tuple]:
        assert self.db is not None, "the translation memory is closed"
        try:
            with self._lock:
                return self.db.execute(sql, tuple(params)).fetchall()
        except sqlite3.Error as exc:
            raise self.error(exc) from exc

    def add(self, units: Iterable[Unit], added: str) -> tuple[int, int, int]:
        """Store ``units`` in one transaction (all or none); a unit whose
        source is stored already replaces it. Returns (new, replaced, unchanged)."""
        assert self.db is not None, "the translation memory is closed"
        new = replaced = same = 0
        try:
            with self.db:
                for u in units:
                    u = keyed(u)
                    old = self.db.execute(
                        "SELECT target FROM units WHERE src_lang=? AND tgt_lang=? AND key=?",
                        (u.src_lang, u.tgt_lang, u.key),
                    ).fetchone()
                    if old is not None and old[0] == u.target:
                        same += 1
                        continue
                    new += old is None
                    replaced += old is not None
                    self.db.execute(
                        "INSERT OR REPLACE INTO units VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (u.src_lang, u.tgt_lang, u.key, u.source, u.target, u.origin, u.date,
                         u.reviewer, added),
                    )  # fmt: skip
        except sqlite3.Error as exc:
            raise self.error(exc) from exc
        self._keys.clear()
        return new, replaced, same

    def _unit(self, row: tuple) -> Unit:
        src_lang, tgt_lang, key, source, target, origin, date, reviewer = row[:8]
        return Unit(src_lang, tgt_lang, source, target, origin, date, reviewer, key)

    def exact(self, keys: Iterable[str], src: str, tgt: str) -> dict[str, Unit]:
        """The units whose keys are among ``keys``, by key."""
        keys = list(dict.fromkeys(keys))
        found: dict[str, Unit] = {}
        for i in range(0, len(keys), 500):
            chunk = keys[i : i + 500]
            rows = self._run(
                "SELECT * FROM units WHERE src_lang=? AND tgt_lang=? AND key IN "
                f"({','.join('?' * len(chunk))})",
                [src, tgt, *chunk],
            )
            found.update((r[2], self._unit(r)) for r in rows)
        return found

    def fuzzy(self, key: str, src: str, tgt: str, threshold: float) -> tuple[Unit, float] | None:
        """The most similar stored source at or above ``threshold`` (0..1),
        the exact one excluded, and its similarity; None if there is none.

        Only sources whose length allows the threshold are compared (a ratio
        of ``t`` needs lengths within ``t/(2-t)`` and ``(2-t)/t`` of each other).
        """
        from bisect import bisect_left, bisect_right

        from rapidfuzz import fuzz, process

        with self._lock:
            if (src, tgt) not in self._keys:
                rows = self._run(
                    "SELECT key FROM units WHERE src_lang=? AND tgt_lang=?", (src, tgt)
                )
                keys = sorted((k for (k,) in rows), key=len)
                self._keys[(src, tgt)] = (keys, [len(k) for k in keys])
            keys, lengths = self._keys[(src, tgt)]
        lo = bisect_left(lengths, len(key) * threshold / (2 - threshold))
        hi = bisect_right(lengths, len(key) * (2 - threshold) / threshold)
        window = keys[lo:hi]
        cutoff = threshold * 100
        best = process.extractOne(
            key, window, scorer=fuzz.ratio, score_cutoff=cutoff, processor=None
        )
        if best is not None and best[0] == key:  # the exact source: the next best
            found = process.extract(
                key, window, scorer=fuzz.ratio, score_cutoff=cutoff, processor=None, limit=2
            )
            best = next((b for b in found if b[0] != key), None)
        if best is None:
            return None
        unit = self.exact([best[0]], src, tgt).get(best[0])
        return None if unit is None else (unit, round(best[1] / 100, 4))

    def units(self) -> Iterator[Unit]:
        """Every unit, by language pair and source."""
        yield from (
            self._unit(r) for r in self._run("SELECT * FROM units ORDER BY src_lang, tgt_lang, key")
        )

    def stats(self) -> dict[str, object]:
        """Units per language pair, per origin file, and the last import."""
        pairs = self._run("SELECT src_lang, tgt_lang, COUNT(*) FROM units GROUP BY 1, 2")
        origins = self._run(
            "SELECT origin, COUNT(*) FROM units GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 20"
        )
        last = self._run("SELECT MAX(added) FROM units")[0][0]
        reviewed = self._run("SELECT COUNT(*) FROM units WHERE reviewer IS NOT NULL")[0][0]
        return {
            "path": str(self.path),
            "units": sum(n for *_, n in pairs),
            "pairs": {f"{s}-{t}": n for s, t, n in pairs},
            "with_reviewer": reviewed,
            "origins": dict(origins),
            "last_import": last,
        }
