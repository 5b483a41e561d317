"""Batch jobs: many articles, one model load, resumable, with a manifest.

``run_batch`` reads articles from a directory (``*.txt``, recursively), a glob
or a JSONL file (``{"id", "text"}`` per line), translates their sentences in
shared batches, and writes one output per article and format under OUT_DIR,
mirroring the input names. ``OUT_DIR/manifest.jsonl`` gets a header (the run
signature) and one line per finished or failed article, appended only after
that article's files are complete, so a job killed at any moment resumes where
it stopped: finished articles are skipped, nothing is duplicated or partial.
"""

from __future__ import annotations

import glob
import json
import logging
import os
import re
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

from translate.errors import InputError, OutputError, UsageError
from translate.formats import open_writer
from translate.mt.translator import Translator
from translate.pipeline import RunStats, translate_documents
from translate.quality import QualityThresholds
from translate.records import Document, DocumentResult, Signature
from translate.text.reader import parse_article, read_article

logger = logging.getLogger("translate")

MANIFEST = "manifest.jsonl"
EXTENSIONS = {
    "jsonl": ".jsonl",
    "tsv": ".tsv",
    "moses": "",
    "tmx": ".tmx",
    "xliff": ".xlf",
    "xliff12": ".xliff12.xlf",
    "html": ".html",
}


@dataclass(frozen=True)
class Article:
    """One input of a batch: an id (also its output name) and where to read it."""

    id: str
    path: Path | None = None
    text: str | None = None
    error: str | None = None  # a problem found while listing (bad JSONL line...)


@dataclass
class BatchStats:
    articles: int = 0
    done: int = 0
    skipped: int = 0
    failed: int = 0
    run: RunStats = field(default_factory=RunStats)


_SAFE = re.compile(r"[^\w.\-]+", re.UNICODE)


def safe_relpath(name: str) -> Path:
    """A relative output path that cannot leave OUT_DIR (no ``..``, no absolute path)."""
    parts = [p for p in re.split(r"[\\/]+", name) if p not in ("", ".", "..")]
    parts = [_SAFE.sub("_", p).lstrip(".") or "_" for p in parts]
    return Path(*parts) if parts else Path("_")


def list_articles(source: str, encoding: str | None = None) -> list[Article]:
    """Articles of a directory, a glob or a JSONL file, in a stable order.

    Raises:
        InputError: nothing matches, or the source cannot be read.
    """
    p = Path(source)
    if p.is_dir():
        files = sorted(f for f in p.rglob("*.txt") if f.is_file() and not f.is_symlink())
        root = p
    elif p.is_file() and p.suffix == ".jsonl":
        return _jsonl_articles(p)
    elif p.is_file():
        files, root = [p], p.parent
    else:
        files = sorted(Path(f) for f in glob.glob(source, recursive=True) if Path(f).is_file())
        root = Path(os.path.commonpath([str(f.parent) for f in files])) if files else Path(".")
    if not files:
        raise InputError(f"{source}: no articles found (a directory of *.txt, a glob, or a .jsonl)")
    arts = []
    for f in files:
        rel = f.relative_to(root).with_suffix("")
        arts.append(Article(id=str(safe_relpath(str(rel))), path=f))
    return arts


def _jsonl_articles(p: Path) -> list[Article]:
    arts: list[Article] = []
    seen: set[str] = set()
    try:
        lines = p.read_text("utf-8").split("\n")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{p}: cannot be read as UTF-8 JSONL ({exc})") from exc
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
            if not isinstance(obj, dict):
                raise TypeError("not a JSON object")
            missing = [k for k in ("id", "text") if k not in obj]
            if missing:
                raise KeyError(f"no {' or '.join(repr(k) for k in missing)} field")
            art_id, text = str(obj["id"]), obj["text"]
            if not isinstance(text, str):
                raise TypeError("'text' is not a string")
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
    return arts


def _targets(out_dir: Path, art_id: str, fmt: str, src: str, tgt: str) -> tuple[Path, list[Path]]:
    """Where a writer writes (its ``-o``) and the files that appear there."""
    base = out_dir / art_id
    if fmt == "moses":
        target, files = (
            base,
            [Path(f"{base}.{src}"), Path(f"{base}.{tgt}"), Path(f"{base}.info.json")],
        )
    else:
        target = Path(f"{base}{EXTENSIONS[fmt]}")
        files = [target]
    for q in files:  # defence in depth: never write outside OUT_DIR
        if not q.resolve().is_relative_to(out_dir.resolve()):
            raise OutputError(f"output {q} would leave {out_dir}")
    return target, files


def _read_manifest(path: Path) -> tuple[dict | None, dict[str, dict]]:
    header, entries = None, {}
    if not path.is_file():
        return None, {}
    for line in path.read_text("utf-8").split("\n"):
        try:
            obj = json.loads(line)
        except ValueError:
            continue  # a line cut by a crash: that article is redone
        if obj.get("type") == "header":
            header = obj
        elif obj.get("type") == "article":
            entries[obj["id"]] = obj
    return header, entries


class Progress:
    """A progress line on a terminal; periodic log lines otherwise."""

    def __init__(self, total: int, stats: BatchStats, every: float = 10.0):
        self.total, self.stats, self.every = total, stats, every
        self.tty = sys.stderr.isatty()
        self.t0 = time.monotonic()
        self.last = 0.0
        self.base = 0  # sentences of the translator's earlier calls
        self.call = (0, 0)  # sentences done and in all in its current call
        # the translator reports from its worker threads, the job from its own
        self.lock = threading.Lock()

    def advance(self, done: int, total: int) -> None:
        """The translator's report after each batch: sentences move on a long
        article too, not only when an article is finished."""
        if done == 0:  # the translator's next call
            self.base += self.call[1]
        self.call = (done, total)
        self.update()

    def update(self, force: bool = False) -> None:
        with self.lock:
            self._update(force)

    def _update(self, force: bool) -> None:
        now = time.monotonic()
        if not force and now - self.last < (0.2 if self.tty else self.every):
            return
        self.last = now
        s = self.stats
        finished = s.done + s.failed + s.skipped
        elapsed = max(1e-9, now - self.t0)
        sentences = max(s.run.sentences, self.base + self.call[0])
        rate = sentences / elapsed
        worked = s.done + s.failed
        left = self.total - finished
        eta = (elapsed / worked * left) if worked else float("nan")
        if not worked and rate and self.call[1] and left == 1:
            # one long article: the sentences it has left
            eta = (self.base + self.call[1] - sentences) / rate
        eta_s = "?" if eta != eta else f"{int(eta // 60)}m{int(eta % 60):02d}s"
        msg = (
            f"{finished}/{self.total} articles, {sentences} sentences, "
            f"{rate:.1f} sent/s, {s.failed} failed, ETA {eta_s}"
        )
        if self.tty:
            width = 20
            filled = int(width * finished / max(1, self.total))
            sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {msg}\x1b[K")
            sys.stderr.flush()
        else:
            logger.info("%s", msg)

    def close(self) -> None:
        self.update(force=True)
        if self.tty:
            sys.stderr.write("\n")


Outcome = tuple[str, "DocumentResult | str"]  # article id, its result or the reason it failed
Engine = Callable[[list["Article"], "str | None", str], Iterator[Outcome]]


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


def local_engine(
    todo: list[Article],
    translator: Translator,
    src: str,
    tgt: str,
    *,
    stats: RunStats,
    encoding: str | None,
    source: str,
    **pipeline_options,
) -> Iterator[Outcome]:
    """Translate in this process: one model, sentences of many articles per batch.

    Outcomes come in input order, failures included.
    """
    failed: list[tuple[int, Outcome]] = []
    order = {art.id: i for i, art in enumerate(todo)}

    def documents() -> Iterator[Document]:
        for i, art in enumerate(todo):
            try:
                yield read_one(art, encoding, source)
            except InputError as exc:
                failed.append((i, (art.id, str(exc))))

    for result in translate_documents(
        documents(), translator, src, tgt, stats=stats, **pipeline_options
    ):
        here = order[result.document.id]
        while failed and failed[0][0] < here:
            yield failed.pop(0)[1]
        yield result.document.id, result
    for _, outcome in failed:
        yield outcome


def run_batch(
    source: str,
    out_dir: str | Path,
    translator: Translator | None,
    signature: Signature,
    formats: list[str],
    *,
    src: str = "kk",
    tgt: str = "en",
    resume: bool = False,
    overwrite: bool = False,
    force: bool = False,
    encoding: str | None = None,
    options: dict | None = None,
    thresholds: QualityThresholds | None = None,
    script: str = "auto",
    tgt_script: str = "cyrl",
    engine: Engine | None = None,
) -> BatchStats:
    """Translate every article of ``source`` into ``out_dir``; see the module doc.

    An OUT_DIR with a manifest is continued with ``resume`` (finished
    articles are skipped), started again with ``overwrite``; a manifest of a
    different run (model, options, formats) is refused unless ``force``.

    Raises:
        UsageError: an unknown format, or an OUT_DIR holding results without
            ``resume``/``overwrite``, or of a different run without ``force``.
    """
    for fmt in formats:
        if fmt not in EXTENSIONS:
            raise UsageError(f"unknown format {fmt!r} (available: {', '.join(EXTENSIONS)})")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for stale in out.rglob(".*.part"):  # temporary files of a killed run
        stale.unlink(missing_ok=True)
    manifest = out / MANIFEST
    run_info = {"signature": str(signature), "formats": formats, "options": options or {}}
    header, entries = _read_manifest(manifest)
    if header is not None:
        same = all(header.get(k) == v for k, v in run_info.items())
        if not (resume or overwrite or force):
            raise UsageError(
                f"{out} holds results of an earlier run: pass --resume to finish it, or "
                "--overwrite to start again"
            )
        if not same and not (force or overwrite):
            raise UsageError(
                f"{out} holds results of a different run ({header.get('signature')}, formats "
                f"{header.get('formats')}); pass --force to translate everything again with the "
                "new settings, or choose another output directory"
            )
        if overwrite or not same:
            entries = {}
            manifest.unlink()
    if not manifest.is_file():
        _append(manifest, {"type": "header", **run_info, "run": asdict(signature)})

    articles = list_articles(source, encoding)
    if not entries and not (overwrite or force):
        for art in articles:  # a fresh run never replaces files it did not write
            for fmt in formats:
                for f in _targets(out, art.id, fmt, src, tgt)[1]:
                    if f.exists():
                        raise UsageError(f"{f} exists; pass --overwrite to replace it")
    stats = BatchStats(articles=len(articles))
    progress = Progress(len(articles), stats)
    todo: list[Article] = []
    for art in articles:
        e = entries.get(art.id)
        if e and e["status"] == "ok" and all((out / f).is_file() for f in e["outputs"]):
            stats.skipped += 1
        else:
            todo.append(art)

    if engine is None:
        if translator is None:
            raise UsageError("run_batch needs a translator or an engine")
        if hasattr(translator, "on_progress"):
            translator.on_progress = progress.advance
        outcomes = local_engine(
            todo,
            translator,
            src,
            tgt,
            stats=stats.run,
            encoding=encoding,
            source=source,
            thresholds=thresholds,
            script=script,
            tgt_script=tgt_script,
        )
    else:
        outcomes = engine(todo, encoding, source)
    for art_id, outcome in outcomes:
        if isinstance(outcome, str):
            stats.failed += 1
            _append(
                manifest,
                {
                    "type": "article",
                    "id": art_id,
                    "status": "failed",
                    "error": outcome,
                    "outputs": [],
                },
            )
            logger.debug("%s failed: %s", art_id, outcome)
            progress.update()
            continue
        result = outcome
        if engine is not None:
            stats.run.documents += 1
            stats.run.sentences += len(result.records)
            for r in result.records:
                stats.run.flags.update(r.flag_codes)
                stats.run.flagged += bool(r.flags)
        paths: list[Path] = []
        for fmt in formats:
            target, files = _targets(out, art_id, fmt, src, tgt)
            with open_writer(fmt, signature, target, overwrite=True) as w:
                w.write(result)
            paths += files
        flags: dict[str, int] = {}
        for r in result.records:
            for c in r.flag_codes:
                flags[c] = flags.get(c, 0) + 1
        _append(
            manifest,
            {
                "type": "article",
                "id": art_id,
                "status": "ok",
                "sentences": len(result.records),
                "flags": flags,
                "source": result.document.source,
                "outputs": [str(p.relative_to(out)) for p in paths],
            },
        )
        stats.done += 1
        progress.update()
    progress.close()
    return stats


def _append(path: Path, obj: dict) -> None:
    with open(path, "a", encoding="utf-8") as f:
        f.write(json.dumps(obj, ensure_ascii=False) + "\n")
        f.flush()
        os.fsync(f.fileno())
