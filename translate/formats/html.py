"""A self-contained HTML page for reviewing a bilingual result.

One file, no external scripts, fonts or requests; a Content-Security-Policy
allows only this page's own inline style and its one script (by hash), so an
article that contains markup shows it as text and nothing can run from it.
"""

from __future__ import annotations

import base64
import hashlib
import html
import math
from collections.abc import Iterable

from translate.formats.base import Writer
from translate.formats.xml import xml_clean
from translate.records import DocumentResult, Signature

_SCRIPT = """
(function () {
  var box = document.getElementById("only-flagged");
  function apply() {
    document.body.classList.toggle("only-flagged", box.checked);
  }
  box.addEventListener("change", apply);
  if (location.hash === "#flagged") { box.checked = true; }
  apply();
  var rows = Array.prototype.slice.call(document.querySelectorAll("tr.flagged"));
  var at = -1;
  document.addEventListener("keydown", function (e) {
    if (e.target && e.target.tagName === "INPUT" && e.key !== "f") { return; }
    if (e.key === "f") { box.checked = !box.checked; apply(); }
    else if ((e.key === "j" || e.key === "k") && rows.length) {
      at = e.key === "j" ? Math.min(rows.length - 1, at + 1) : Math.max(0, at - 1);
      rows[at].focus();
      rows[at].scrollIntoView({block: "center"});
    }
  });
})();
"""

_STYLE = """
body { font-family: system-ui, sans-serif; margin: 1.5rem; color: #1b1b1b; background: #fff; }
header { margin-bottom: 1rem; }
.sig { font-family: ui-monospace, monospace; font-size: .8rem; color: #444; word-break: break-all; }
table { border-collapse: collapse; width: 100%; margin-bottom: 2rem; table-layout: fixed; }
th:first-child { width: 3.5rem; }
th:last-child { width: 8.5rem; }
th, td { border-bottom: 1px solid #ddd; padding: .4rem .5rem; vertical-align: top; text-align: left; }
td.src, td.tgt { width: 40%; white-space: pre-wrap; overflow-wrap: anywhere; }
td.num { font-family: ui-monospace, monospace; font-size: .8rem; color: #555; }
tr.para td { border-top: 2px solid #888; }
tr.flagged { background: #fff4e0; }
tr:focus { outline: 3px solid #1a5fb4; }
.reasons { font-size: .85rem; color: #8a3b00; margin: .3rem 0 0; padding-left: 1rem; }
.conf { display: inline-block; width: 4rem; height: .6rem; background: #eee; border: 1px solid #999; }
.conf span { display: block; height: 100%; background: #2e7d32; }
.conf.low span { background: #c62828; }
body.only-flagged tr.pair:not(.flagged) { display: none; }
@media print {
  .controls { display: none; }
  body.only-flagged tr.pair:not(.flagged) { display: table-row; }
  tr.flagged { background: none; border-left: 4px solid #000; }
}
"""


def _csp() -> str:
    digest = base64.b64encode(hashlib.sha256(_SCRIPT.encode("utf-8")).digest()).decode()
    return (
        "default-src 'none'; style-src 'unsafe-inline'; "
        f"script-src 'sha256-{digest}'; img-src 'none'; base-uri 'none'; form-action 'none'"
    )


def esc(text: object) -> str:
    return html.escape(xml_clean(str(text)), quote=True)


def _confidence(score: float | None, aligned: bool = False) -> str:
    """The score as a bar: a translation's mean token log-probability (shown
    as the probability per token), or an alignment's confidence (0..1)."""
    if score is None:
        return '<span class="num">–</span>'
    if aligned:
        p = min(1.0, max(0.0, score))
        title = f"alignment confidence {score:.2f}"
    else:  # mean log-probability → probability per token
        p = min(1.0, max(0.0, math.exp(score)))
        title = f"mean token log-probability {score:.2f}"
    low = " low" if p < 0.3 else ""
    return (
        f'<span class="conf{low}" role="img" aria-label="confidence {p:.0%}" title="{title}">'
        f'<span style="width:{p * 100:.0f}%"></span></span>'
        f' <span class="num">{score:.2f}</span>'
    )


def render_page(
    signature: Signature | None, results: Iterable[DocumentResult], summary: str = ""
) -> str:
    """The whole review page as a string."""
    parts = []
    total = flagged = 0
    body = []
    aligned = bool(signature and signature.backend.startswith("align:"))
    for res in results:
        doc = res.document
        date = f" · {esc(doc.date)}" if doc.date else ""
        body.append(f"<section><h2>{esc(doc.id)}{date}</h2>")
        body.append(
            '<table><thead><tr><th scope="col">#</th><th scope="col">Source</th>'
            '<th scope="col">Translation</th><th scope="col">Confidence</th></tr></thead><tbody>'
        )
        last_para = None
        for r in res.records:
            total += 1
            flagged += bool(r.flags)
            classes = ["pair"]
            if r.flags:
                classes.append("flagged")
            if r.paragraph != last_para:
                classes.append("para")
                last_para = r.paragraph
            reasons = ""
            if r.flags:
                items = "".join(
                    f"<li><b>{esc(f.code)}</b>{': ' + esc(f.reason) if f.reason else ''}</li>"
                    for f in r.flags
                )
                reasons = f'<ul class="reasons">{items}</ul>'
            tabindex = ' tabindex="0"' if r.flags else ""
            body.append(
                f'<tr class="{" ".join(classes)}"{tabindex} data-flags="{esc(",".join(r.flag_codes))}">'
                f'<td class="num">¶{r.paragraph + 1}<br>{r.index + 1}</td>'
                f'<td class="src" lang="{esc(r.src_lang)}">{esc(r.source)}</td>'
                f'<td class="tgt" lang="{esc(r.tgt_lang)}">{esc(r.translation)}{reasons}</td>'
                f"<td>{_confidence(r.score, aligned)}</td></tr>"
            )
        body.append("</tbody></table></section>")
    parts.append(
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{esc(_csp())}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>translate review</title><style>{_STYLE}</style></head><body>"
    )
    sig = esc(str(signature)) if signature else "unknown"
    parts.append(
        f'<header><h1>{"Alignment" if aligned else "Translation"} review</h1><p class="sig">{sig}</p>'
        f"<p>{total} pair(s), {flagged} flagged. {esc(summary)}</p>"
        '<p class="controls"><label><input type="checkbox" id="only-flagged"> '
        "Show flagged pairs only</label> (keys: <kbd>f</kbd> filter, <kbd>j</kbd>/<kbd>k</kbd> "
        "next/previous flagged pair)</p></header><main>"
    )
    parts += body
    parts.append(f"</main><script>{_SCRIPT}</script></body></html>\n")
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
        self.stream.write(render_page(self.signature, self.results, self.summary))
        super().close()
