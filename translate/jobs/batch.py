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

import logging
from collections.abc import Callable, Iterator
from dataclasses import asdict, replace
from pathlib import Path

from translate.errors import InputError, UsageError
from translate.formats import open_writer
from translate.intake import result_languages
from translate.jobs.inputs import Article, list_articles, safe_relpath
from translate.jobs.inputs import read_one as read_text_article
from translate.jobs.manifest import (
    EXTENSIONS,
    MANIFEST,
    append_line,
    output_targets,
    read_manifest,
)
from translate.jobs.progress import BatchStats, Progress
from translate.mt.translator import Translator
from translate.pipeline import RunStats, translate_documents
from translate.quality import QualityThresholds
from translate.records import Document, DocumentResult, Record, Signature

logger = logging.getLogger("translate")


def _targets(out: Path, art_id: str, fmt: str, src: str, tgt: str) -> list[Path]:
    """The files an article's output may be (both directions for --src auto)."""
    if src != "auto":
        return output_targets(out, art_id, fmt, src, tgt)[1]
    pairs = (("kk", "en"), ("en", "kk"))
    return [f for pair in pairs for f in output_targets(out, art_id, fmt, *pair)[1]]


Outcome = tuple[str, "DocumentResult | str"]  # article id, its result or the reason it failed
Engine = Callable[[list["Article"], "str | None", str], Iterator[Outcome]]


def read_one(art: Article, encoding: str | None, source: str) -> Document:
    """The document of one batch article: a text article, or the text of an
    HTML, Word or Markdown document (:func:`translate.documents.read_document`).

    Raises:
        InputError: unreadable, binary, undecodable or empty.
    """
    if art.path is not None and not art.error and art.path.suffix.lower() != ".txt":
        from translate.documents import read_document

        return read_document(art.path, doc_id=art.id, encoding=encoding).document
    return read_text_article(art, encoding, source)


def _finish(result: DocumentResult, stats: RunStats) -> DocumentResult:
    from translate.documents import MARKUP, finish

    done = finish(result)
    for before, after in zip(result.records, done.records):
        if MARKUP in after.flag_codes and MARKUP not in before.flag_codes:
            stats.flags.update([MARKUP])
            stats.flagged += not before.flags
    return done


def article_size(art: Article) -> int:
    """Bytes of an article's input (0 when it cannot be read: it fails later)."""
    if art.text is not None:
        return len(art.text.encode("utf-8", "surrogatepass"))
    try:
        return art.path.stat().st_size if art.path is not None else 0
    except OSError:
        return 0


def local_engine(
    todo: list[Article],
    translator: Translator,
    src: str,
    tgt: str,
    *,
    stats: RunStats,
    encoding: str | None,
    source: str,
    on_read: Callable[[Article], None] | None = None,
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
                doc = read_one(art, encoding, source)
            except InputError as exc:
                failed.append((i, (art.id, str(exc))))
                doc = None
            if on_read is not None:
                on_read(art)
            if doc is not None:
                yield doc

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
    on_article: Callable[[str, str], None] | None = None,
    annotate: Callable[[tuple[Record, ...]], tuple[Record, ...]] | None = None,
) -> BatchStats:
    """Translate every article of ``source`` into ``out_dir``; see the module doc.

    An OUT_DIR with a manifest is continued with ``resume`` (finished
    articles are skipped), started again with ``overwrite``; a manifest of a
    different run (model, options, formats) is refused unless ``force``.

    ``on_article(article_id, status)`` is called after each article's
    manifest line is written (``status``: ``ok`` or ``failed``), when its
    outcome can no longer be lost. ``annotate``: see
    :func:`translate.pipeline.translate_documents` (local engine).

    Raises:
        UsageError: an unknown format, or an OUT_DIR holding results without
            ``resume``/``overwrite``, or of a different run without ``force``.
    """
    if not formats:
        raise UsageError(f"no output format given (available: {', '.join(EXTENSIONS)})")
    for fmt in formats:
        if fmt not in EXTENSIONS:
            raise UsageError(f"unknown format {fmt!r} (available: {', '.join(EXTENSIONS)})")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for stale in out.rglob(".*.part"):  # temporary files of a killed run
        stale.unlink(missing_ok=True)
    manifest = out / MANIFEST
    run_info = {"signature": str(signature), "formats": formats, "options": options or {}}
    header, entries = read_manifest(manifest)
    if header is None and manifest.is_file() and manifest.stat().st_size > 0:
        # a manifest that cannot say which run made it is never continued
        # with settings it might not share
        if not (force or overwrite):
            raise UsageError(
                f"{manifest}: its header (the run's model and settings) is missing or damaged, "
                "so it cannot be resumed safely; pass --force to translate everything again, "
                "or choose another output directory"
            )
        entries = {}
        manifest.unlink()
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
    if not manifest.is_file() or manifest.stat().st_size == 0:
        append_line(manifest, {"type": "header", **run_info, "run": asdict(signature)})

    articles = list_articles(source, encoding)
    if not entries and not (overwrite or force):
        for art in articles:  # a fresh run never replaces files it did not write
            for fmt in formats:
                for f in _targets(out, art.id, fmt, src, tgt):
                    if f.exists():
                        raise UsageError(f"{f} exists; pass --overwrite to replace it")
    stats = BatchStats(articles=len(articles))
    todo: list[Article] = []
    for art in articles:
        e = entries.get(art.id)
        if e and e["status"] == "ok" and all((out / f).is_file() for f in e["outputs"]):
            stats.skipped += 1
        else:
            todo.append(art)
    progress = Progress(len(articles), stats, total_bytes=sum(map(article_size, todo)))

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
            annotate=annotate,
            on_read=lambda art: progress.read(article_size(art)),
        )
    else:
        outcomes = engine(todo, encoding, source)
    for art_id, outcome in outcomes:
        if isinstance(outcome, str):
            stats.failed += 1
            append_line(
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
            if on_article is not None:
                on_article(art_id, "failed")
            continue
        result = _finish(outcome, stats.run)  # documents: locators, markup flags
        if engine is not None:
            stats.run.documents += 1
            stats.run.sentences += len(result.records)
            for r in result.records:
                stats.run.flags.update(r.flag_codes)
                stats.run.flagged += bool(r.flags)
        paths: list[Path] = []
        a_src, a_tgt = result_languages(result, src, tgt)  # --src auto: the article's own
        a_sig = replace(signature, src_lang=a_src, tgt_lang=a_tgt)
        for fmt in formats:
            target, files = output_targets(out, art_id, fmt, a_src, a_tgt)
            with open_writer(fmt, a_sig, target, overwrite=True) as w:
                w.write(result)
            paths += files
        flags: dict[str, int] = {}
        for r in result.records:
            for c in r.flag_codes:
                flags[c] = flags.get(c, 0) + 1
        append_line(
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
        if on_article is not None:
            on_article(art_id, "ok")
    progress.close()
    return stats


__all__ = [
    "EXTENSIONS",
    "MANIFEST",
    "Article",
    "BatchStats",
    "Engine",
    "Outcome",
    "Progress",
    "list_articles",
    "local_engine",
    "read_one",
    "run_batch",
    "safe_relpath",
]
