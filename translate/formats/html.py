"""A self-contained HTML page for reviewing a bilingual result, with an editor.

One file, no external scripts, fonts or requests; a Content-Security-Policy
allows only this page's own style and its one script (both by hash) and no
inline handlers, so an article that contains markup shows it as text and
nothing can run from it. The records travel inside the page as JSON (a
``<script type="application/json">`` block, which is data, never run); the
script (``page/review.js``) edits them, keeps the edits in the browser's
localStorage and exports the corrected result (docs/review.md).
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import math
import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, is_dataclass
from pathlib import Path

from translate._version import __version__
from translate.formats import suggestions
from translate.formats.base import Writer
from translate.formats.xml import xml_clean
from translate.records import DocumentResult, Record, Signature

_PAGE = Path(__file__).with_name("page")
SCRIPT = (_PAGE / "review.js").read_text("utf-8")
STYLE = (_PAGE / "review.css").read_text("utf-8")

LANGUAGE_NAMES = {"kk": "Kazakh", "en": "English", "ru": "Russian"}


def _hash(text: str) -> str:
    return base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode()


def csp(script: str | None = SCRIPT, style: str = STYLE) -> str:
    """The page's Content-Security-Policy: its own style and script by hash,
    nothing else (no network, no inline handlers, no other script)."""
    scripts = f"'sha256-{_hash(script)}'" if script is not None else "'none'"
    return (
        f"default-src 'none'; style-src 'sha256-{_hash(style)}'; script-src {scripts}; "
        "img-src 'none'; connect-src 'none'; object-src 'none'; base-uri 'none'; "
        "form-action 'none'"
    )


def esc(text: object) -> str:
    return html.escape(xml_clean(str(text)), quote=True)


def language_name(code: str) -> str:
    return LANGUAGE_NAMES.get(code, code)


def confidence_band(score: float | None, aligned: bool = False) -> str | None:
    """``high``, ``medium`` or ``low``: a translation's mean token
    log-probability (high from -0.5, about 60% per token; low under -1.0,
    about 37%), or an alignment's confidence (high from 0.7, low under 0.4)."""
    if score is None:
        return None
    hi, lo = (0.7, 0.4) if aligned else (-0.5, -1.0)
    return "high" if score >= hi else "medium" if score >= lo else "low"


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _confidence(score: float | None, aligned: bool, ranked: list[float]) -> str:
    """The band, with the raw score and its rank in the document on hover."""
    band = confidence_band(score, aligned)
    if score is None or band is None:
        return '<span class="band none" title="no score">–</span>'
    if aligned:
        what = f"alignment confidence {score:.2f}"
    else:
        what = f"mean token log-probability {score:.2f} (about {math.exp(score):.0%} per token)"
    rank = bisect_left(ranked, score) + 1
    title = f"{what}; the {_ordinal(rank)} least confident of {len(ranked)} in this article"
    return f'<span class="band {band}" title="{esc(title)}">{band}</span>'


def _signature_fields(signature: Signature | None, results: list[DocumentResult]) -> str:
    """The signature as fields a reviewer reads, the raw string on hover."""
    if signature is None:
        return '<p class="sig">made by an unknown run</p>'
    s = signature
    rows: list[tuple[str, str]] = []
    if s.backend.startswith("align:"):
        rows.append(("Method", s.backend.removeprefix("align:")))
        if s.model not in ("", "none"):
            rows.append(("Model", s.model + (f" @ {s.revision[:12]}" if s.revision else "")))
    else:
        rows.append(("Model", s.model + (f" @ {s.revision[:12]}" if s.revision else "")))
        extras = dict(s.extra)
        backend = s.backend + (f", {extras['dtype']}" if extras.get("dtype") else "")
        rows += [("Backend", backend), ("Beam", str(s.beam)), ("Device", s.device)]
    rows.append(("Languages", f"{language_name(s.src_lang)} → {language_name(s.tgt_lang)}"))
    dates = sorted({r.document.date for r in results if r.document.date})
    if dates:
        rows.append(("Date", dates[0] if len(dates) == 1 else f"{dates[0]} to {dates[-1]}"))
    rows.append(("Made with", f"translate {s.package_version}, segmenter {s.segmenter_version}"))
    items = "".join(f"<div><dt>{esc(k)}</dt><dd>{esc(v)}</dd></div>" for k, v in rows)
    return (
        f'<dl class="sig" title="{esc(str(s))}">{items}</dl>'
        f'<details class="raw"><summary>Signature</summary><code>{esc(str(s))}</code></details>'
    )


def _record_data(r: Record) -> dict:
    d = asdict(r)
    d["flags"] = [{"code": f.code, "reason": f.reason} for f in r.flags]
    return d


def _json_default(obj: object) -> object:
    if is_dataclass(obj) and not isinstance(obj, type):
        return asdict(obj)
    return str(obj)


_SURROGATE = re.compile("[\ud800-\udfff]")


def script_json(data: object) -> str:
    """JSON for a ``<script type="application/json">`` block: ``<`` escaped, so
    no ``</script>`` or ``<!--`` in a text can end or change the block, and
    lone surrogates escaped (the page is UTF-8)."""
    text = json.dumps(data, ensure_ascii=False, default=_json_default, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _doc_key(signature: Signature | None, res: DocumentResult) -> str:
    """Where the browser keeps edits of this document: the run, the document
    and what it holds (a regenerated page of the same result finds them)."""
    content = json.dumps(
        [str(signature), res.document.id]
        + [[r.source, r.translation, r.review, r.mt, r.comment] for r in res.records],
        ensure_ascii=True,
    )
    return hashlib.sha256(content.encode("ascii")).hexdigest()[:32]


def _pair_row(r: Record, i: int, new_para: bool, aligned: bool, ranked: list[float]) -> str:
    classes = ["pair"]
    if r.flags:
        classes.append("flagged")
    if new_para:
        classes.append("para")
    state = r.review if r.review in ("reviewed", "approved", "rejected") else "new"
    classes.append(f"st-{state}")
    edited = r.mt is not None and r.mt != r.translation
    if edited:
        classes.append("edited")
    reasons = ""
    if r.flags:
        items = "".join(
            f"<li><b>{esc(f.code)}</b>{': ' + esc(f.reason) if f.reason else ''}</li>"
            for f in r.flags
        )
        reasons = f'<ul class="reasons">{items}</ul>'
    mt = f'<div class="mt">{esc(r.mt)}</div>' if edited else '<div class="mt" hidden></div>'
    buttons = "".join(
        f'<button type="button" data-act="{act}" aria-pressed="{str(act == r.review).lower()}">'
        f"{label}</button>"
        for act, label in (
            ("reviewed", "Reviewed"),
            ("approved", "Approve"),
            ("rejected", "Reject"),
            ("comment", "Comment"),
        )
    )
    return (
        f'<tr class="{" ".join(classes)}" id="pair-{i}" data-i="{i}" tabindex="-1" '
        f'data-flags="{esc(",".join(r.flag_codes))}">'
        f'<td class="num">¶{r.paragraph + 1}<br>{r.index + 1}</td>'
        f'<td class="src" lang="{esc(r.src_lang)}">{suggestions.page_source(r)}</td>'
        f'<td class="tgt" lang="{esc(r.tgt_lang)}"><div class="text">{esc(r.translation)}</div>'
        f'{mt}{suggestions.page_matches(r)}{reasons}<div class="comment">{esc(r.comment or "")}</div></td>'
        f"<td>{_confidence(r.score, aligned, ranked)}</td>"
        f'<td><span class="state">{state}</span><div class="acts">{buttons}</div></td></tr>'
    )


def _controls(total: int, reviewed: int, flag_counts: Counter[str]) -> str:
    options = "".join(
        f'<option value="{esc(code)}">{esc(code)} ({n})</option>'
        for code, n in sorted(flag_counts.items())
    )
    statuses = "".join(
        f'<option value="{v}">{label}</option>'
        for v, label in (
            ("", "any status"),
            ("new", "new"),
            ("reviewed", "reviewed"),
            ("approved", "approved"),
            ("rejected", "rejected"),
            ("edited", "edited"),
            ("commented", "with a comment"),
        )
    )
    return (
        '<div class="progress js-only"><progress id="progress-bar" '
        f'max="{max(1, total)}" value="{reviewed}"></progress>'
        f'<span id="progress-text">{reviewed} of {total} reviewed</span>'
        '<span id="shown"></span></div>'
        '<div class="controls js-only">'
        '<label><input type="checkbox" id="only-flagged"> Flagged pairs only</label>'
        '<label>Flag <select id="flag-filter"><option value="">any pair</option>'
        '<option value="*">any flag</option><option value="-">no flag</option>'
        f"{options}</select></label>"
        f'<label>Status <select id="status-filter">{statuses}</select></label>'
        '<label>Search <input type="search" id="search" placeholder="source, translation, comment">'
        "</label></div>"
        '<div class="controls js-only">Export: '
        '<button type="button" data-export="jsonl">JSONL</button>'
        '<button type="button" data-export="xliff">XLIFF 2.1</button>'
        '<button type="button" data-export="xliff12">XLIFF 1.2</button>'
        '<button type="button" data-export="tmx">TMX</button>'
        '<button type="button" id="forget">Forget my edits</button></div>'
        '<p class="notice" id="notice" role="status"></p>'
        '<p class="keys js-only">Keys: <kbd>j</kbd>/<kbd>k</kbd> next/previous pair, '
        "<kbd>n</kbd> next pair not yet reviewed, <kbd>e</kbd> edit the translation "
        "(<kbd>Enter</kbd> done, <kbd>Esc</kbd> undo), <kbd>v</kbd> reviewed, "
        "<kbd>a</kbd> approve, <kbd>x</kbd> reject, <kbd>u</kbd> back to new, "
        "<kbd>c</kbd> comment, <kbd>f</kbd> flagged only, <kbd>s</kbd> search. "
        "Opening the page with <code>#flagged</code> starts filtered.</p>"
    )


def render_page(
    signature: Signature | None,
    results: Iterable[DocumentResult],
    summary: str = "",
    name: str | None = None,
) -> str:
    """The whole review page as a string; ``name`` is the base name of exported files."""
    results = list(results)
    aligned = bool(signature and signature.backend.startswith("align:"))
    first = next((r for res in results for r in res.records), None)
    src = first.src_lang if first else signature.src_lang if signature else "kk"
    tgt = first.tgt_lang if first else signature.tgt_lang if signature else "en"
    body, docs = [], []
    total = flagged = reviewed = 0
    flag_counts: Counter[str] = Counter()
    for res in results:
        doc = res.document
        date = f" · {esc(doc.date)}" if doc.date else ""
        body.append(f"<section><h2>{esc(doc.id)}{date}</h2>")
        body.append(
            '<table><thead><tr><th scope="col" class="num">#</th>'
            f'<th scope="col">{esc(language_name(src))}</th>'
            f'<th scope="col">{esc(language_name(tgt))}</th>'
            '<th scope="col" class="conf">Confidence</th>'
            '<th scope="col" class="rev">Review</th></tr></thead><tbody>'
        )
        ranked = sorted(r.score for r in res.records if r.score is not None)
        last_para = None
        for r in res.records:
            body.append(_pair_row(r, total, r.paragraph != last_para, aligned, ranked))
            last_para = r.paragraph
            total += 1
            flagged += bool(r.flags)
            reviewed += r.review in ("reviewed", "approved", "rejected")
            flag_counts.update(set(r.flag_codes))
        body.append("</tbody></table></section>")
        docs.append(
            {
                "id": doc.id,
                "date": doc.date,
                "source": doc.source,
                "encoding": doc.encoding,
                "key": _doc_key(signature, res),
                "records": [_record_data(r) for r in res.records],
            }
        )
    if name is None:
        name = results[0].document.id if len(results) == 1 else "review"
    data = {
        "v": 1,
        "name": name,
        "version": __version__,
        "aligned": aligned,
        "signature": str(signature) if signature else None,
        "run": asdict(signature) if signature else None,
        "src": src,
        "tgt": tgt,
        "docs": docs,
    }
    title = f"{'Alignment' if aligned else 'Translation'} review"
    parts = [
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{esc(csp())}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(title)}: {esc(name)}</title><style>{STYLE}</style></head><body>",
        f"<header><h1>{title}</h1>{_signature_fields(signature, results)}"
        f"<p>{total} pair(s), {flagged} flagged. {esc(summary)}</p>"
        f"{_controls(total, reviewed, flag_counts)}</header><main>",
        *body,
        "</main>",
        f'<script type="application/json" id="translate-data">{script_json(data)}</script>',
        f"<script>{SCRIPT}</script></body></html>\n",
    ]
    return "".join(parts)


class HtmlWriter(Writer):
    """Collects the results and writes the page when closed."""

    def __init__(self, signature: Signature, out, overwrite: bool = True):
        super().__init__(signature, out, overwrite)
        self.stream = self._open(self.out)
        self.results: list[DocumentResult] = []
        self.summary = ""

    def write(self, result: DocumentResult) -> None:
        self.results.append(result)

    def close(self) -> None:
        name = self.out.stem if self.out is not None else None
        self.stream.write(render_page(self.signature, self.results, self.summary, name))
        super().close()
