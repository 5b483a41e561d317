"""``translate review OUT_DIR``: a review page per article of a batch job and
an index page listing them (docs/review.md)."""

from __future__ import annotations

import logging
from collections import Counter
from pathlib import Path, PurePosixPath

from translate.records import Signature

logger = logging.getLogger("translate")

# The signature of a result that has none.
_UNKNOWN = Signature("?", "?", "unknown", None, "?", 0, 0, 0, "kk", "en")

# Result files a page can be made from, by preference (the manifest's outputs).
READABLE = (".jsonl", ".tsv", ".csv", ".xliff12.xlf", ".xlf", ".xliff", ".tmx")


def _readable(outputs: list[str]) -> tuple[str, str] | None:
    """The output to read and its name without the format's extension."""
    for ext in READABLE:
        for name in outputs:
            if name.endswith(ext) and len(name) > len(ext):
                return name, name[: -len(ext)]
    return None


def review_dir(out_dir: Path, output: str | None, overwrite: bool) -> int:
    """Write the pages and the index; 0, or 1 when no article has a page.

    Raises:
        InputError: OUT_DIR has no manifest (not a batch job's folder).
        OutputError: the index exists (without ``overwrite``) or cannot be written.
    """
    from translate.errors import InputError
    from translate.formats import open_writer, parse_signature, read_results
    from translate.formats.base import AtomicFile, check_output
    from translate.formats.review_index import Article, render_index
    from translate.jobs.manifest import MANIFEST, read_manifest

    manifest = out_dir / MANIFEST
    if not manifest.is_file():
        raise InputError(
            f"{out_dir}: a directory without {MANIFEST}; give a result file, "
            "or the OUT_DIR of a batch job"
        )
    header, entries = read_manifest(manifest)
    index = Path(output) if output not in (None, "-") else out_dir / "review" / "index.html"
    check_output(index, overwrite)
    folder = index.parent
    taken = {index.resolve()}
    outputs_of_job = {
        (out_dir / o).resolve() for e in entries.values() for o in e.get("outputs", [])
    }
    signature = parse_signature(header["signature"]) if header else None
    articles = []
    for art_id, entry in entries.items():
        if entry.get("status") != "ok":
            articles.append(Article(art_id, error=str(entry.get("error") or "failed")))
            continue
        found = _readable([str(o) for o in entry.get("outputs", [])])
        if found is None:
            articles.append(Article(art_id, error="no JSONL, TSV, CSV, XLIFF or TMX output"))
            continue
        name, base = found
        try:
            sig, results = read_results(out_dir / name)
        except InputError as exc:
            articles.append(Article(art_id, error=str(exc)))
            continue
        page = _page_name(folder, base, taken | outputs_of_job)
        taken.add((folder / page).resolve())
        with open_writer("html", sig or signature or _UNKNOWN, folder / page) as w:
            for res in results:
                w.write(res)
        records = [r for res in results for r in res.records]
        flags: Counter[str] = Counter(c for r in records for c in set(r.flag_codes))
        articles.append(
            Article(
                art_id,
                page=page,
                sentences=len(records),
                flagged=sum(bool(r.flags) for r in records),
                reviewed=sum(r.review is not None for r in records),
                flags=flags,
            )
        )
    page_count = sum(a.page is not None for a in articles)
    f = AtomicFile(index)
    try:
        f.stream.write(render_index(signature, articles, out_dir.resolve().name))
        f.commit()
    except BaseException:
        f.abort()
        raise
    logger.info(
        "review: %s and %d article page(s) next to it (%d article(s) without one)",
        index,
        page_count,
        len(articles) - page_count,
    )
    return 0 if page_count or not articles else 1


def _page_name(folder: Path, base: str, taken: set[Path]) -> str:
    """``BASE.html`` relative to the index's folder, or ``BASE-2.html``... when
    that is the index itself or one of the job's own outputs."""
    stem = PurePosixPath(base.replace("\\", "/")).as_posix()
    n = 1
    while True:
        name = f"{stem}.html" if n == 1 else f"{stem}-{n}.html"
        if (folder / name).resolve() not in taken:
            return name
        n += 1
