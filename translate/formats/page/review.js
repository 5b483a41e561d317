(function () {
  "use strict";
  // The review page's editor (docs/review.md). The records are the JSON block
  // #translate-data; edits live in them, in localStorage (by document), and
  // leave the page as a download in JSONL, XLIFF 2.1, XLIFF 1.2 or TMX.
  var STATES = ["new", "reviewed", "approved", "rejected"];
  var LANG_TAGS = {kk: "kk-KZ", en: "en-US"};
  var OPTIONAL = {review: 1, mt: 1, comment: 1};
  var d = document;
  var data = JSON.parse(d.getElementById("translate-data").textContent);
  d.documentElement.classList.add("js");
  function $(id) { return d.getElementById(id); }

  var recs = [], docOf = [], firstOf = [], orig = [];
  data.docs.forEach(function (doc, k) {
    firstOf.push(recs.length);
    doc.records.forEach(function (r) {
      r.review = STATES.indexOf(r.review) > 0 ? r.review : null;
      r.mt = typeof r.mt === "string" ? r.mt : null;
      r.comment = typeof r.comment === "string" ? r.comment : null;
      recs.push(r);
      docOf.push(k);
      orig.push({translation: r.translation, review: r.review, mt: r.mt, comment: r.comment});
    });
  });
  var rows = Array.prototype.slice.call(d.querySelectorAll("tr.pair"));
  var sections = Array.prototype.slice.call(d.querySelectorAll("main section"));
  var box = $("only-flagged"), flagSel = $("flag-filter"), stSel = $("status-filter");
  var search = $("search"), notice = $("notice");
  var cur = -1;

  function say(msg) { notice.textContent = msg; }
  function edited(r) { return r.mt !== null && r.mt !== r.translation; }

  // ---- keeping edits in this browser ------------------------------------
  var store = null;
  try {
    store = window.localStorage;
    store.getItem("translate-review:probe");
  } catch (e) {
    store = null;
  }
  function storeKey(k) { return "translate-review:" + data.docs[k].key; }

  function saveDoc(k) {
    if (!store) { return; }
    var doc = data.docs[k], base = firstOf[k], edits = {}, n = 0;
    for (var j = 0; j < doc.records.length; j++) {
      var r = recs[base + j], o = orig[base + j], e = {};
      if (r.translation !== o.translation || r.mt !== o.mt) {
        e.translation = r.translation;
        e.mt = r.mt;
      }
      if (r.review !== o.review) { e.review = r.review; }
      if (r.comment !== o.comment) { e.comment = r.comment; }
      if (Object.keys(e).length) { edits[j] = e; n++; }
    }
    try {
      if (n) {
        store.setItem(storeKey(k), JSON.stringify({v: 1, edits: edits}));
        say("Edits are kept in this browser; export them to save a file.");
      } else {
        store.removeItem(storeKey(k));
      }
    } catch (e) {
      say("This browser could not keep the edits (" + e.name + "): export them now.");
    }
  }

  function loadEdits() {
    if (!store) {
      say("This browser keeps no edits for pages opened from disk: export before closing the tab.");
      return;
    }
    var restored = 0;
    data.docs.forEach(function (doc, k) {
      var saved = null;
      try { saved = JSON.parse(store.getItem(storeKey(k)) || "null"); } catch (e) { saved = null; }
      if (!saved || typeof saved.edits !== "object" || saved.edits === null) { return; }
      Object.keys(saved.edits).forEach(function (j) {
        var n = Number(j), e = saved.edits[j];
        if (!(n >= 0 && n < doc.records.length && n % 1 === 0) || !e) { return; }
        var i = firstOf[k] + n, r = recs[i];
        if (typeof e.translation === "string") {
          r.translation = e.translation;
          r.mt = typeof e.mt === "string" ? e.mt : null;
        }
        if (e.review === null || STATES.indexOf(e.review) > 0) { r.review = e.review; }
        if (e.comment === null || typeof e.comment === "string") { r.comment = e.comment; }
        restored++;
        show(i);
      });
    });
    if (restored) { say("Restored your edits of " + restored + " pair(s) from this browser."); }
  }

  // ---- showing a pair ---------------------------------------------------
  function show(i) {
    var r = recs[i], tr = rows[i], st = r.review || "new";
    var text = tr.querySelector(".text");
    if (text !== d.activeElement && text.textContent !== r.translation) {
      text.textContent = r.translation;
    }
    STATES.forEach(function (s) { tr.classList.toggle("st-" + s, s === st); });
    tr.classList.toggle("edited", edited(r));
    tr.querySelector(".state").textContent = st;
    var mt = tr.querySelector(".mt");
    mt.textContent = edited(r) ? r.mt : "";
    mt.hidden = !edited(r);
    tr.querySelector(".comment").textContent = r.comment || "";
    Array.prototype.forEach.call(tr.querySelectorAll("button[data-act]"), function (b) {
      b.setAttribute("aria-pressed", String(b.getAttribute("data-act") === r.review));
    });
  }

  function progress() {
    var done = 0, counts = {approved: 0, rejected: 0}, changed = 0;
    recs.forEach(function (r) {
      if (r.review) { done++; }
      if (r.review in counts) { counts[r.review]++; }
      if (edited(r)) { changed++; }
    });
    $("progress-text").textContent = done + " of " + recs.length + " reviewed (" +
      counts.approved + " approved, " + counts.rejected + " rejected, " + changed + " edited)";
    var bar = $("progress-bar");
    bar.max = Math.max(1, recs.length);
    bar.value = done;
  }

  function changed(i) {
    show(i);
    saveDoc(docOf[i]);
    progress();
  }

  // ---- editing ----------------------------------------------------------
  function setTranslation(i, text) {
    var r = recs[i], o = orig[i];
    if (text === r.translation) { return; }
    // the machine translation: kept beside a person's edit (an alignment's
    // target is a person's translation already: nothing to keep)
    var machine = o.mt !== null ? o.mt : data.aligned ? null : o.translation;
    r.translation = text;
    r.mt = machine !== null && text !== machine ? machine : null;
    if (!r.review) { r.review = "reviewed"; }
    changed(i);
  }

  function setReview(i, state) {
    var r = recs[i];
    r.review = state === null || r.review === state ? null : state;
    changed(i);
  }

  function typed(el) {
    // plaintext-only editing gives text; a browser without it may add <br>s
    return el.querySelector("br, div, p") ? el.innerText.replace(/\n$/, "") : el.textContent;
  }

  var before = null;
  rows.forEach(function (tr, i) {
    var text = tr.querySelector(".text");
    try { text.contentEditable = "plaintext-only"; } catch (e) { text.contentEditable = "true"; }
    text.setAttribute("role", "textbox");
    text.setAttribute("aria-label", "Translation of pair " + (i + 1));
    text.addEventListener("focus", function () { before = recs[i].translation; setCurrent(i, false); });
    text.addEventListener("input", function () { setTranslation(i, typed(text)); });
    text.addEventListener("blur", function () {
      setTranslation(i, typed(text));
      text.textContent = recs[i].translation;
    });
    text.addEventListener("keydown", function (e) {
      if (e.key === "Escape") {
        text.textContent = before;
        setTranslation(i, before);
        text.blur();
        rows[i].focus({preventScroll: true});
      } else if (e.key === "Enter" && !e.isComposing && !e.shiftKey && !e.ctrlKey && !e.metaKey &&
          !e.altKey) {
        e.preventDefault();
        text.blur();
        rows[i].focus({preventScroll: true});
      }
    });
  });

  function editText(i) {
    var text = rows[i].querySelector(".text");
    text.focus();
    var range = d.createRange();
    range.selectNodeContents(text);
    range.collapse(false);
    var sel = window.getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
  }

  function editComment(i) {
    var cell = rows[i].querySelector("td.tgt"), area = cell.querySelector("textarea");
    if (!area) {
      area = d.createElement("textarea");
      area.className = "comment-box";
      area.rows = 2;
      area.setAttribute("aria-label", "Comment on pair " + (i + 1));
      area.value = recs[i].comment || "";
      cell.appendChild(area);
      area.addEventListener("input", function () {
        recs[i].comment = area.value.trim() ? area.value : null;
        changed(i);
      });
      area.addEventListener("keydown", function (e) {
        if (e.key === "Escape") { area.blur(); }
      });
      area.addEventListener("blur", function () {
        area.remove();
        rows[i].focus({preventScroll: true});
      });
    }
    area.focus();
  }

  // ---- moving and filtering ---------------------------------------------
  function shown(i) {
    return !rows[i].classList.contains("out") && !(box.checked && !recs[i].flags.length);
  }

  function setCurrent(i, scroll) {
    if (cur >= 0) { rows[cur].classList.remove("current"); }
    cur = i;
    rows[i].classList.add("current");
    if (scroll) {
      rows[i].focus({preventScroll: true});
      rows[i].scrollIntoView({block: "center"});
    }
  }

  function move(step, todo) {
    for (var i = cur + step; i >= 0 && i < rows.length; i += step) {
      if (shown(i) && (!todo || !recs[i].review)) { setCurrent(i, true); return; }
    }
  }

  function matches(i) {
    var r = recs[i], f = flagSel.value, s = stSel.value;
    var q = search.value.trim().toLocaleLowerCase();
    if (f === "*" && !r.flags.length) { return false; }
    if (f === "-" && r.flags.length) { return false; }
    if (f && f !== "*" && f !== "-" && !r.flags.some(function (x) { return x.code === f; })) {
      return false;
    }
    if (s === "edited" ? !edited(r) : s === "commented" ? !r.comment : s && (r.review || "new") !== s) {
      return false;
    }
    if (q) {
      var hay = [r.source, r.translation, r.mt || "", r.comment || ""].join("\n").toLocaleLowerCase();
      if (hay.indexOf(q) < 0) { return false; }
    }
    return true;
  }

  function applyFilters() {
    d.body.classList.toggle("only-flagged", box.checked);
    var count = 0;
    rows.forEach(function (tr, i) {
      tr.classList.toggle("out", !matches(i));
      if (shown(i)) { count++; }
    });
    sections.forEach(function (sec) {
      var any = Array.prototype.some.call(sec.querySelectorAll("tr.pair"), function (tr) {
        return shown(Number(tr.getAttribute("data-i")));
      });
      sec.classList.toggle("out", !any);
    });
    $("shown").textContent = count + " of " + recs.length + " pair(s) shown";
  }

  box.addEventListener("change", applyFilters);
  flagSel.addEventListener("change", applyFilters);
  stSel.addEventListener("change", applyFilters);
  search.addEventListener("input", applyFilters);
  search.addEventListener("keydown", function (e) {
    if (e.key === "Escape") { search.blur(); }
  });

  d.querySelector("main").addEventListener("click", function (e) {
    var tr = e.target.closest("tr.pair");
    if (!tr) { return; }
    var i = Number(tr.getAttribute("data-i")), b = e.target.closest("button[data-act]");
    if (cur !== i) { setCurrent(i, false); }
    if (!b) { return; }
    var act = b.getAttribute("data-act");
    if (act === "comment") { editComment(i); } else { setReview(i, act); }
  });

  function typing(t) {
    if (!t || !t.tagName) { return false; }
    if (t.isContentEditable || t.tagName === "TEXTAREA" || t.tagName === "SELECT") { return true; }
    return t.tagName === "INPUT" && !/^(checkbox|radio|button|submit|reset)$/.test(t.type);
  }

  // Keys: never with Ctrl, Alt or Meta (the browser's own shortcuts), never
  // while typing in a field or the editor.
  d.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey || e.isComposing || e.defaultPrevented) { return; }
    if (typing(e.target)) { return; }
    var act = {v: "reviewed", a: "approved", x: "rejected"}[e.key];
    if (e.key === "j") { move(1, false); }
    else if (e.key === "k") { move(-1, false); }
    else if (e.key === "n") { move(1, true); }
    else if (e.key === "f") { box.checked = !box.checked; applyFilters(); }
    else if (e.key === "s") { search.focus(); }
    else if (cur < 0) { return; }
    else if (e.key === "e") { editText(cur); }
    else if (e.key === "c") { editComment(cur); }
    else if (e.key === "u") { setReview(cur, null); }
    else if (act) { setReview(cur, act); }
    else { return; }
    e.preventDefault();
  });

  // ---- export -----------------------------------------------------------
  function clean(s) {
    return String(s).replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, "");
  }
  function esc(s) {
    return clean(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
      .replace(/\r/g, "&#13;");
  }
  function attr(s) {
    return esc(s).replace(/"/g, "&quot;").replace(/\n/g, "&#10;").replace(/\t/g, "&#9;");
  }
  function tag(code) { return LANG_TAGS[code] || code; }
  function score4(s) { return typeof s === "number" ? s.toFixed(4) : ""; }
  function position(r) { return r.paragraph + " " + r.index + " " + r.start + " " + r.end; }
  function reasons(r) {
    return r.flags.map(function (f) { return f.code + ": " + f.reason; }).join("; ");
  }
  var RUN = data.run === null ? null : JSON.stringify(data.run);

  function jsonl() {
    var out = [];
    if (data.run) { out.push(JSON.stringify({type: "header", signature: data.signature, run: data.run})); }
    data.docs.forEach(function (doc) {
      out.push(JSON.stringify({type: "document", doc_id: doc.id, date: doc.date,
        source: doc.source, encoding: doc.encoding, sentences: doc.records.length}));
      doc.records.forEach(function (r) {
        var o = {type: "sentence"};
        Object.keys(r).forEach(function (key) {
          if (!(OPTIONAL[key] && r[key] === null)) { o[key] = r[key]; }
        });
        out.push(JSON.stringify(o));
      });
    });
    return out.join("\n") + "\n";
  }

  // XLIFF 2 state and subState, and XLIFF 1.2 state and state-qualifier, of a
  // pair: the same as translate/formats/review.py.
  function x2state(r) {
    if (r.review === "approved") { return ["final", "translate:approved"]; }
    if (r.review === "reviewed") { return ["reviewed", "translate:reviewed"]; }
    if (r.review === "rejected") { return ["initial", "translate:rejected"]; }
    return r.flags.length ? ["initial", "translate:needs-review"] : ["translated", null];
  }
  function x12state(r) {
    if (r.review === "approved") { return ["final", null]; }
    if (r.review === "reviewed") { return ["signed-off", null]; }
    if (r.review === "rejected") { return ["needs-translation", "rejected-inaccurate"]; }
    var raw = !data.aligned && r.mt === null ? "leveraged-mt" : null;
    return [r.flags.length ? "needs-review-translation" : "translated", raw];
  }

  function xliff2() {
    var w = ['<?xml version="1.0" encoding="UTF-8"?>\n<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" ' +
      'version="2.1" srcLang="' + attr(tag(data.src)) + '" trgLang="' + attr(tag(data.tgt)) + '">\n'];
    data.docs.forEach(function (doc, k) {
      w.push('  <file id="f' + (k + 1) + '" original="' + attr(doc.id) + '">\n');
      var notes = [];
      if (data.signature) { notes.push(["signature", data.signature]); }
      if (RUN) { notes.push(["run", RUN]); }
      if (doc.date) { notes.push(["date", doc.date]); }
      if (notes.length) {
        w.push("    <notes>\n");
        notes.forEach(function (n) {
          w.push('      <note category="translate:' + n[0] + '">' + esc(n[1]) + "</note>\n");
        });
        w.push("    </notes>\n");
      }
      doc.records.forEach(function (r) {
        w.push('    <unit id="u' + r.index + '" name="' + attr(r.doc_id) + ":" + r.index + '">\n      <notes>\n');
        w.push('        <note category="translate:position">' + position(r) + "</note>\n");
        if (typeof r.score === "number") {
          w.push('        <note category="translate:score">' + score4(r.score) + "</note>\n");
        }
        r.flags.forEach(function (f) {
          w.push('        <note category="translate:flag" id="' + attr(f.code) + "-" + r.index + '">' +
            esc(f.code) + ": " + esc(f.reason) + "</note>\n");
        });
        if (r.mt !== null) { w.push('        <note category="translate:mt">' + esc(r.mt) + "</note>\n"); }
        if (r.comment !== null) {
          w.push('        <note category="translate:comment">' + esc(r.comment) + "</note>\n");
        }
        var st = x2state(r);
        w.push("      </notes>\n" + '      <segment id="s' + r.index + '" state="' + st[0] + '"' +
          (st[1] ? ' subState="' + st[1] + '"' : "") + ">\n");
        w.push('        <source xml:space="preserve">' + esc(r.source) + "</source>\n");
        w.push('        <target xml:space="preserve">' + esc(r.translation) + "</target>\n");
        w.push("      </segment>\n    </unit>\n");
      });
      w.push("  </file>\n");
    });
    w.push("</xliff>\n");
    return w.join("");
  }

  function xliff12() {
    var w = ['<?xml version="1.0" encoding="UTF-8"?>\n' +
      '<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">\n'];
    data.docs.forEach(function (doc) {
      w.push('  <file original="' + attr(doc.id) + '" source-language="' + attr(tag(data.src)) +
        '" target-language="' + attr(tag(data.tgt)) + '" datatype="plaintext" tool-id="translate">\n' +
        "    <header>\n" + '      <tool tool-id="translate" tool-name="translate" tool-version="' +
        attr(data.version) + '"/>\n');
      if (data.signature) { w.push('      <note from="translate:signature">' + esc(data.signature) + "</note>\n"); }
      if (RUN) { w.push('      <note from="translate:run">' + esc(RUN) + "</note>\n"); }
      if (doc.date) { w.push('      <note from="translate:date">' + esc(doc.date) + "</note>\n"); }
      w.push("    </header>\n    <body>\n");
      doc.records.forEach(function (r) {
        var st = x12state(r);
        w.push('      <trans-unit id="' + r.index + '" resname="' + attr(r.doc_id) + ":" + r.index +
          '" xml:space="preserve">\n        <source>' + esc(r.source) + "</source>\n" +
          '        <target state="' + st[0] + '"' + (st[1] ? ' state-qualifier="' + st[1] + '"' : "") +
          ">" + esc(r.translation) + "</target>\n");
        w.push('        <note from="translate:position">' + position(r) + "</note>\n");
        if (typeof r.score === "number") {
          w.push('        <note from="translate:score">' + score4(r.score) + "</note>\n");
        }
        r.flags.forEach(function (f) {
          w.push('        <note from="translate:flag">' + esc(f.code) + ": " + esc(f.reason) + "</note>\n");
        });
        if (r.mt !== null) { w.push('        <note from="translate:mt">' + esc(r.mt) + "</note>\n"); }
        if (r.comment !== null) { w.push('        <note from="translate:comment">' + esc(r.comment) + "</note>\n"); }
        w.push("      </trans-unit>\n");
      });
      w.push("    </body>\n  </file>\n");
    });
    w.push("</xliff>\n");
    return w.join("");
  }

  function tmx() {
    var now = new Date().toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
    var w = ['<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n<tmx version="1.4">\n' +
      '  <header creationtool="translate" creationtoolversion="' + attr(data.version) +
      '" datatype="plaintext" segtype="sentence" adminlang="en-US" srclang="' + attr(tag(data.src)) +
      '" o-tmf="translate" creationdate="' + now + '">\n'];
    if (data.signature) { w.push('    <prop type="x-signature">' + esc(data.signature) + "</prop>\n"); }
    if (RUN) { w.push('    <prop type="x-translate-run">' + esc(RUN) + "</prop>\n"); }
    w.push("  </header>\n  <body>\n");
    data.docs.forEach(function (doc) {
      doc.records.forEach(function (r, j) {
        w.push('    <tu tuid="' + attr(r.doc_id) + ":" + r.index + '">\n');
        if (r.flags.length) { w.push("      <note>" + esc(reasons(r)) + "</note>\n"); }
        var props = [["x-doc-id", r.doc_id], ["x-paragraph", r.paragraph], ["x-index", r.index],
          ["x-start", r.start], ["x-end", r.end], ["x-score", score4(r.score)],
          ["x-flags", r.flags.map(function (f) { return f.code; }).join(",")]];
        if (doc.date && j === 0) { props.push(["x-doc-date", doc.date]); }
        if (r.review !== null) { props.push(["x-review", r.review]); }
        if (r.mt !== null) { props.push(["x-mt", r.mt]); }
        if (r.comment !== null) { props.push(["x-comment", r.comment]); }
        props.forEach(function (p) {
          w.push('      <prop type="' + p[0] + '">' + esc(String(p[1])) + "</prop>\n");
        });
        w.push('      <tuv xml:lang="' + attr(tag(r.src_lang)) + '"><seg>' + esc(r.source) + "</seg></tuv>\n");
        w.push('      <tuv xml:lang="' + attr(tag(r.tgt_lang)) + '"><seg>' + esc(r.translation) + "</seg></tuv>\n");
        w.push("    </tu>\n");
      });
    });
    w.push("  </body>\n</tmx>\n");
    return w.join("");
  }

  var EXPORTS = {
    jsonl: [".reviewed.jsonl", jsonl],
    xliff: [".reviewed.xlf", xliff2],
    xliff12: [".reviewed.xliff12.xlf", xliff12],
    tmx: [".reviewed.tmx", tmx]
  };

  function exportAs(fmt) {
    var active = d.activeElement;
    if (active && active.classList && active.classList.contains("text")) { active.blur(); }
    var name = data.name + EXPORTS[fmt][0];
    var blob = new Blob([EXPORTS[fmt][1]()], {type: "application/octet-stream"});
    var url = URL.createObjectURL(blob);
    var a = d.createElement("a");
    a.href = url;
    a.download = name;
    a.hidden = true;
    d.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
    say("Exported " + name + ".");
  }

  Array.prototype.forEach.call(d.querySelectorAll("button[data-export]"), function (b) {
    b.addEventListener("click", function () { exportAs(b.getAttribute("data-export")); });
  });
  $("forget").addEventListener("click", function () {
    if (!window.confirm("Forget the edits this browser keeps for this page?")) { return; }
    if (store) {
      data.docs.forEach(function (doc, k) {
        try { store.removeItem(storeKey(k)); } catch (e) { /* nothing kept */ }
      });
    }
    window.location.reload();
  });

  if (location.hash === "#flagged") { box.checked = true; }
  loadEdits();
  applyFilters();
  progress();
})();
