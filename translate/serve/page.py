"""The service's own page at ``/``: a text box, the languages, and the result
side by side with its flags.

Self-contained: no external scripts, fonts or requests. The page is sent
with a Content-Security-Policy that allows its one inline script by hash (as
the review page of :mod:`translate.formats.html` does), its inline style, and
requests to this server only. Results are put in the page as text
(``textContent``), never as markup.
"""

from __future__ import annotations

import base64
import hashlib
import html

_SCRIPT = """
(function () {
  var form = document.getElementById("form");
  var src = document.getElementById("source");
  var tgt = document.getElementById("target");
  var out = document.getElementById("out");
  var status = document.getElementById("status");
  src.addEventListener("change", function () { tgt.value = src.value === "kk" ? "en" : "kk"; });
  tgt.addEventListener("change", function () { src.value = tgt.value === "kk" ? "en" : "kk"; });
  function cell(row, text, cls) {
    var td = document.createElement("td");
    td.className = cls;
    td.textContent = text;
    row.appendChild(td);
    return td;
  }
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var headers = {"Content-Type": "application/json"};
    var key = document.getElementById("key").value.trim();
    if (key) { headers["Authorization"] = "Bearer " + key; }
    status.textContent = "translating...";
    fetch("v1/translate", {
      method: "POST",
      headers: headers,
      body: JSON.stringify({
        text: document.getElementById("text").value, source: src.value, target: tgt.value
      })
    }).then(function (r) {
      return r.json().then(function (body) { return {ok: r.ok, body: body}; });
    }).then(function (res) {
      out.textContent = "";
      if (!res.ok) { status.textContent = "error: " + (res.body.error || "?"); return; }
      var flagged = 0;
      res.body.records.forEach(function (rec) {
        var row = document.createElement("tr");
        cell(row, rec.source, "src");
        cell(row, rec.translation, "tgt");
        var f = cell(row, "", "flags");
        rec.flags.forEach(function (flag) {
          var s = document.createElement("span");
          s.className = "flag";
          s.textContent = flag.code;
          s.title = flag.reason;
          f.appendChild(s);
        });
        if (rec.flags.length) { row.className = "flagged"; flagged += 1; }
        out.appendChild(row);
      });
      status.textContent = res.body.records.length + " sentence(s), " + flagged + " flagged";
    }).catch(function (err) { status.textContent = "error: " + err; });
  });
  // a link such as /#q=TEXT fills the box and translates it
  if (location.hash.indexOf("#q=") === 0) {
    document.getElementById("text").value = decodeURIComponent(location.hash.slice(3));
    form.requestSubmit();
  } else {
    status.textContent = "ready";
  }
})();
"""

_STYLE = """
body { font-family: system-ui, sans-serif; margin: 1.5rem; color: #1b1b1b; background: #fff; }
textarea { width: 100%; min-height: 9rem; font: inherit; box-sizing: border-box; }
.controls { margin: .5rem 0 1rem; display: flex; gap: .75rem; align-items: center; flex-wrap: wrap; }
table { border-collapse: collapse; width: 100%; table-layout: fixed; }
th, td { border-bottom: 1px solid #ddd; padding: .4rem .5rem; vertical-align: top; text-align: left; }
td.src, td.tgt { width: 42%; white-space: pre-wrap; overflow-wrap: anywhere; }
tr.flagged { background: #fff4e0; }
.flag { display: inline-block; margin: 0 .25rem .25rem 0; padding: 0 .3rem;
  border: 1px solid #8a3b00; border-radius: .2rem; color: #8a3b00; font-size: .8rem; }
#status { color: #444; }
.note { color: #555; font-size: .85rem; }
"""


def csp() -> str:
    """The page's Content-Security-Policy: its own script (by hash), style, and this server."""
    digest = base64.b64encode(hashlib.sha256(_SCRIPT.encode("utf-8")).digest()).decode()
    return (
        "default-src 'none'; style-src 'unsafe-inline'; "
        f"script-src 'sha256-{digest}'; connect-src 'self'; img-src 'none'; "
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    )


def render_page(model: str, key_required: bool) -> str:
    """The page's HTML; ``model`` is shown as text."""
    key = (
        '<label>API key <input id="key" type="password" autocomplete="off"></label>'
        if key_required
        else '<input id="key" type="hidden" value="">'
    )
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>translate: Kazakh-English</title>
<style>{_STYLE}</style>
</head>
<body>
<h1>Kazakh–English translation</h1>
<form id="form">
<textarea id="text" aria-label="text to translate" placeholder="Мәтінді осында жазыңыз"></textarea>
<div class="controls">
<label>from <select id="source"><option value="kk">Kazakh</option>
<option value="en">English</option></select></label>
<label>to <select id="target"><option value="en">English</option>
<option value="kk">Kazakh</option></select></label>
{key}
<button type="submit">Translate</button>
<span id="status" role="status"></span>
</div>
</form>
<table>
<thead><tr><th>source</th><th>translation</th><th>flags</th></tr></thead>
<tbody id="out"></tbody>
</table>
<p class="note">Model: {html.escape(model)}. API: <a href="docs">docs</a>.</p>
<script>{_SCRIPT}</script>
</body>
</html>
"""
