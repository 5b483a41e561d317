"""The index page of a batch job's review pages (``translate review OUT_DIR``):
every article with its sentence, flag and review counts and a link to its own
page. Static: no script at all, its style by hash, no requests."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import quote

from translate.formats.html import STYLE, _signature_fields, csp, esc
from translate.records import Signature


@dataclass
class Article:
    """One line of the index."""

    id: str
    page: str | None = None  # the page's path relative to the index (POSIX), None: no page
    sentences: int = 0
    flagged: int = 0
    reviewed: int = 0
    flags: Counter[str] = field(default_factory=Counter)
    error: str | None = None  # why the article has no page (failed, unreadable)


def render_index(signature: Signature | None, articles: list[Article], title: str) -> str:
    """The index page as a string."""
    sentences = sum(a.sentences for a in articles)
    flagged = sum(a.flagged for a in articles)
    reviewed = sum(a.reviewed for a in articles)
    failed = sum(a.error is not None for a in articles)
    rows = []
    for a in articles:
        name = esc(a.id)
        if a.page:
            name = f'<a href="{esc(quote(a.page))}">{name}</a>'
        flags = ", ".join(f"{esc(code)} {n}" for code, n in sorted(a.flags.items()))
        status = f"not reviewable: {esc(a.error)}" if a.error else flags
        rows.append(
            f'<tr class="{"failed" if a.error else "ok"}"><td>{name}</td>'
            f'<td class="n">{a.sentences}</td><td class="n">{a.flagged}</td>'
            f'<td class="n">{a.reviewed}</td><td>{status}</td></tr>'
        )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{esc(csp(script=None))}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Review: {esc(title)}</title><style>{STYLE}</style></head><body>"
        f"<header><h1>Review: {esc(title)}</h1>{_signature_fields(signature, [])}"
        f"<p>{len(articles)} article(s), {sentences} sentence(s), {flagged} flagged, "
        f"{reviewed} reviewed in the files"
        f"{f', {failed} without a page' if failed else ''}. Each article's page keeps "
        "its edits in the browser and exports them.</p></header><main>"
        '<table class="articles"><thead><tr><th scope="col">Article</th>'
        '<th scope="col">Sentences</th><th scope="col">Flagged</th>'
        '<th scope="col">Reviewed</th><th scope="col">Flags</th></tr></thead><tbody>'
        + "".join(rows)
        + "</tbody></table></main></body></html>\n"
    )
