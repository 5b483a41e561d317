"""The reviewer's loop (#26): review state in the records and every format,
the review page's editor in a real browser (edit, approve, comment, filters,
keys, storage, export), CAT-tool round trips of XLIFF, ``translate check``,
``translate review OUT_DIR``, CSV and TSV for spreadsheets."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from dataclasses import replace
from pathlib import Path

import pytest
from browser import CHROMIUM, Chromium
from lxml import etree
from lxml import html as lxml_html
from test_formats import SIG, require_browser

from translate.cli import main
from translate.formats import open_writer, read_results
from translate.formats.review import (
    least_reviewed,
    review_from_xliff2,
    review_from_xliff12,
    xliff2_state,
    xliff12_state,
)
from translate.quality import recheck
from translate.records import Document, DocumentResult, Flag, Record

HOSTILE = (
    '</script><script>window.__pwned = 1</script> <img src=x onerror="window.__pwned = 2">'
    " <!-- «тырнақша» \u2028 бар."
)
NUMBERS = Flag("numbers", "numbers differ (not in the translation: 90)")
LOW = Flag("low_confidence", "model confidence -1.80 is below -1.5")


def results() -> list[DocumentResult]:
    one = (
        Record("akmola", 0, 0, 0, 13, "Біз дайынбыз.", "We are ready.", -0.2),
        Record(
            "akmola",
            1,
            1,
            14,
            39,
            "Ақмолада 90 адам жиналды.",
            "People gathered.",
            -1.8,
            (NUMBERS, LOW),
        ),
        Record("akmola", 1, 2, 40, 40 + len(HOSTILE), HOSTILE, "Markup & <b>text</b>", -0.4),
        Record("akmola", 2, 3, 200, 215, "Екінші, үшінші.", "Second, third.", -0.3),
    )
    two = (Record("doc-2", 0, 0, 0, 16, "Сәлем. Қалайсың?", "Hello. How are you?", -0.1),)
    # the flags check_pair gives, as a run would have them
    return [
        DocumentResult(
            Document("akmola", "", date="2026-02-23", source="a.txt"),
            tuple(recheck(r) for r in one),
        ),
        DocumentResult(Document("doc-2", ""), two),
    ]


def write(fmt: str, path: Path, res=None, sig=SIG) -> Path:
    with open_writer(fmt, sig, path) as w:
        for r in res or results():
            w.write(r)
    return path


def records(path: Path) -> list[Record]:
    return [r for res in read_results(path)[1] for r in res.records]


def same(a: Record, b: Record, reasons: bool = True) -> None:
    """Equal records (flag reasons only where the format keeps them)."""
    if not reasons:
        a, b = replace(a, flags=()), replace(b, flags=())
        assert a.flag_codes == b.flag_codes
    assert a == b


# --- records and formats -------------------------------------------------


def test_records_still_construct_by_position():
    r = Record("d", 0, 0, 0, 5, "Сәлем.", "Hello.", -0.1, (), "kk", "en")
    assert (r.review, r.mt, r.comment) == (None, None, None)


REVIEWED = [
    replace(results()[0].records[0], review="approved"),
    replace(
        results()[0].records[1],
        review="reviewed",
        mt="People gathered.",
        translation="90 people gathered.",
        comment="Number added.\nSecond line.",
    ),
    replace(results()[0].records[2], review="rejected", comment=""),
    results()[0].records[3],
]


@pytest.mark.parametrize("fmt", ["jsonl", "tmx", "xliff", "xliff12", "tsv", "csv"])
def test_review_fields_survive_every_format(tmp_path, fmt):
    res = [DocumentResult(results()[0].document, tuple(REVIEWED)), results()[1]]
    back = records(write(fmt, tmp_path / f"r.{fmt}", res))
    want = [r for d in res for r in d.records]
    for got, exp in zip(back, want, strict=True):
        if fmt in ("tsv", "csv"):  # an empty comment is an empty cell: none
            exp = replace(exp, comment=exp.comment or None)
        same(got, exp, reasons=fmt not in ("tsv", "csv"))


def test_xliff_states_for_cat_tools(tmp_path):
    ns2 = {"x": "urn:oasis:names:tc:xliff:document:2.0"}
    res = [DocumentResult(results()[0].document, tuple(REVIEWED))]
    root = etree.parse(str(write("xliff", tmp_path / "r.xlf", res))).getroot()
    segs = root.findall(".//x:segment", ns2)
    assert [(s.get("state"), s.get("subState")) for s in segs] == [
        ("final", "translate:approved"),
        ("reviewed", "translate:reviewed"),
        ("initial", "translate:rejected"),
        ("translated", None),
    ]
    ns12 = {"x": "urn:oasis:names:tc:xliff:document:1.2"}
    root = etree.parse(str(write("xliff12", tmp_path / "r12.xlf", res))).getroot()
    targets = root.findall(".//x:target", ns12)
    assert [(t.get("state"), t.get("state-qualifier")) for t in targets] == [
        ("final", None),
        ("signed-off", None),
        ("needs-translation", "rejected-inaccurate"),
        ("translated", "leveraged-mt"),  # the machine's, untouched
    ]
    # an alignment's targets are people's translations, not leveraged MT
    aligned = replace(SIG, backend="align:length+anchors+words")
    root = etree.parse(str(write("xliff12", tmp_path / "a.xlf", res, aligned))).getroot()
    assert root.findall(".//x:target", ns12)[3].get("state-qualifier") is None


def test_review_state_mapping():
    flagged = Record("d", 0, 0, 0, 1, "a", "b", None, (NUMBERS,))
    assert xliff2_state(flagged) == ("initial", "translate:needs-review")
    assert xliff12_state(flagged) == ("needs-review-translation", "leveraged-mt")
    assert xliff12_state(replace(flagged, mt="x")) == ("needs-review-translation", None)
    # read back: the state decides; a subState left behind by a tool does not
    assert review_from_xliff2("final", "translate:needs-review") == "approved"
    assert review_from_xliff2("reviewed", None) == "reviewed"
    assert review_from_xliff2("reviewed", "translate:rejected") == "rejected"
    assert review_from_xliff2("translated", "translate:approved") is None
    assert review_from_xliff2("initial", "translate:needs-review") is None
    assert review_from_xliff12("signed-off", None) == "reviewed"
    assert review_from_xliff12("final", "leveraged-mt") == "approved"
    assert review_from_xliff12("translated", "rejected-grammar") == "rejected"
    assert review_from_xliff12("needs-review-translation", None) is None
    assert least_reviewed(["approved", "reviewed"]) == "reviewed"
    assert least_reviewed(["approved", None]) is None
    assert least_reviewed(["approved", "rejected"]) == "rejected"
    assert least_reviewed(["approved", "approved"]) == "approved"


def test_a_review_state_we_do_not_know_is_refused(tmp_path, capsys):
    p = write("jsonl", tmp_path / "r.jsonl")
    lines = [json.loads(x) for x in p.read_text("utf-8").split("\n")[:-1]]
    lines[2]["review"] = "ok"
    p.write_text("".join(json.dumps(x) + "\n" for x in lines), "utf-8")
    assert main(["convert", str(p), "--to", "tmx"]) == 1
    assert "review 'ok' is not one of new, reviewed, approved, rejected" in capsys.readouterr().err


# --- CAT tools: XLIFF edited, read back, checked --------------------------


def _cat_edit_xliff2(path: Path) -> None:
    """What a CAT tool does: targets changed, states set, a unit split in two
    segments (the space between them trimmed), another split with an
    ignorable, a comment added as a plain note."""
    ns = "{urn:oasis:names:tc:xliff:document:2.0}"
    tree = etree.parse(str(path))
    units = tree.getroot().findall(f".//{ns}unit")
    seg = units[0].find(f"{ns}segment")
    seg.find(f"{ns}target").text = "We are all ready."
    seg.set("state", "final")
    note = etree.SubElement(units[0].find(f"{ns}notes"), f"{ns}note")
    note.text = "Check the tone."
    seg = units[1].find(f"{ns}segment")
    seg.find(f"{ns}target").text = "90 people gathered in Akmola."
    seg.set("state", "reviewed")  # the tool left subState="translate:needs-review"
    for unit, parts, state in (
        (units[3], [("Екінші,", "Second,"), ("үшінші.", "third!")], "translated"),
        (units[4], [("Сәлем.", "Hello."), (" ", None), ("Қалайсың?", "How are you? 5")], None),
    ):
        old = unit.find(f"{ns}segment")
        unit.remove(old)
        for k, (src, tgt) in enumerate(parts):
            part = etree.SubElement(unit, f"{ns}{'ignorable' if tgt is None else 'segment'}")
            etree.SubElement(part, f"{ns}source").text = src
            if tgt is not None:
                etree.SubElement(part, f"{ns}target").text = tgt
                part.set("state", state or ("final" if k == 0 else "initial"))
    tree.write(str(path), xml_declaration=True, encoding="UTF-8")


def _cat_edit_xliff12(path: Path) -> None:
    ns = "{urn:oasis:names:tc:xliff:document:1.2}"
    tree = etree.parse(str(path))
    tus = tree.getroot().findall(f".//{ns}trans-unit")
    edits = [
        ("We are all ready.", "final", None),
        ("90 people gathered in Akmola.", "signed-off", None),
        (None, "needs-translation", "rejected-grammar"),
        ("Second, third!", "translated", None),
        ("Hello. How are you? 5", "translated", None),
    ]
    for tu, (text, state, qualifier) in zip(tus, edits, strict=True):
        target = tu.find(f"{ns}target")
        if text is not None:
            target.text = text
        target.set("state", state)
        target.attrib.pop("state-qualifier", None)
        if qualifier:
            target.set("state-qualifier", qualifier)
    note = etree.SubElement(tus[0], f"{ns}note", {"from": "reviewer"})
    note.text = "Check the tone."
    tree.write(str(path), xml_declaration=True, encoding="UTF-8")


@pytest.mark.parametrize("fmt", ["xliff", "xliff12"])
def test_cat_tool_edits_come_back_and_check_recomputes_flags(tmp_path, capsys, fmt):
    path = write(fmt, tmp_path / f"r.{fmt}.xlf")
    (_cat_edit_xliff2 if fmt == "xliff" else _cat_edit_xliff12)(path)
    back = records(path)
    orig = [r for res in results() for r in res.records]
    # every segment kept: each source whole (the trimmed space comes back)
    assert [r.source for r in back] == [r.source.replace("\x0b", "") for r in orig]
    assert [r.translation for r in back] == [
        "We are all ready.",
        "90 people gathered in Akmola.",
        "Markup & <b>text</b>",
        "Second, third!",
        "Hello. How are you? 5",
    ]
    review = ["approved", "reviewed", None, None, None]
    if fmt == "xliff12":
        review[2] = "rejected"
    assert [r.review for r in back] == review
    assert back[0].comment == "Check the tone."
    # the old flags are still there until check recomputes them
    assert back[1].flag_codes == ("numbers", "low_confidence")

    checked = tmp_path / "checked.jsonl"
    assert main(["check", str(path), "-o", str(checked)]) == 0
    err = capsys.readouterr().err
    assert "check: 5 pair(s), flags changed on 2" in err
    assert "akmola #2 (reviewed): -low_confidence -numbers" in err
    assert "doc-2 #1: +numbers" in err
    after = records(checked)
    assert after[1].flag_codes == ()  # fixed by the edit, and a person reviewed it
    assert after[4].flag_codes == ("numbers",)  # "5" is in no source
    assert [r.review for r in after] == review  # human states kept
    assert [r.translation for r in after] == [r.translation for r in back]
    # an approved segment is written back as final, not as needing review
    again = write("xliff", tmp_path / "again.xlf", read_results(checked)[1])
    states = re.findall(r'<segment id="s\d+" state="(\w+)"', again.read_text("utf-8"))
    assert states[:2] == ["final", "reviewed"] and states[4] == "initial"

    # nothing lost going to TMX and JSONL and back
    tmx = tmp_path / "c.tmx"
    assert main(["convert", str(checked), "-o", str(tmx)]) == 0
    assert main(["convert", str(tmx), "-o", str(tmp_path / "c2.jsonl")]) == 0
    for a, b in zip(records(tmp_path / "c2.jsonl"), after, strict=True):
        same(a, b)


def test_recheck_keeps_source_flags_and_drops_machine_flags():
    r = Record(
        "d",
        0,
        0,
        0,
        30,
        "Ақмолада 90 адам жиналды.",
        "People gathered.",
        -1.8,
        (Flag("split", "cut"), Flag("truncated", "limit"), NUMBERS, LOW),
    )
    assert recheck(r) == r  # nothing changed: the same flags, in the same order
    fixed = replace(r, translation="90 people gathered.", mt=r.translation)
    assert recheck(fixed).flag_codes == ("split",)
    aligned = replace(r, score=0.1, flags=(Flag("low_alignment", "weak"),))
    assert recheck(aligned, aligned=True).flag_codes == ("low_alignment", "numbers")


# --- check, review OUT_DIR, spreadsheets ----------------------------------


def test_check_command_formats_and_quiet_report(tmp_path, capsys):
    src = write("jsonl", tmp_path / "r.jsonl")
    assert main(["check", str(src)]) == 0
    out, err = capsys.readouterr()
    assert "check: 5 pair(s), no flag changed" in err  # as the run made them
    lines = out.split("\n")[:-1]  # not splitlines(): a text holds U+2028
    assert sum(json.loads(x)["type"] == "sentence" for x in lines) == 5
    assert main(["check", str(src), "-o", str(tmp_path / "c.tsv"), "--min-score", "-0.15"]) == 0
    err = capsys.readouterr().err
    assert "+low_confidence" in err
    assert read_results(tmp_path / "c.tsv")[0] == SIG
    assert main(["check", str(src), "--to", "tsv", "-o", str(tmp_path / "c.tmx")]) == 2


def test_review_out_dir_writes_an_index_and_a_page_per_article(tmp_path, capsys):
    out = tmp_path / "job"
    (out / "a").mkdir(parents=True)
    res = results()
    write("jsonl", out / "a" / "akmola.jsonl", res[:1])
    write("tmx", out / "doc-2.tmx", res[1:])
    (out / "index.html").write_text("x")  # an article output named like the index
    lines = [
        {"type": "header", "signature": str(SIG), "formats": ["jsonl"]},
        {
            "type": "article",
            "id": "a/akmola",
            "status": "ok",
            "sentences": 4,
            "outputs": ["a/akmola.jsonl"],
        },
        {
            "type": "article",
            "id": "doc-2",
            "status": "ok",
            "sentences": 1,
            "outputs": ["doc-2.html", "doc-2.tmx"],
        },
        {
            "type": "article",
            "id": "bad",
            "status": "failed",
            "error": "bad.txt: is empty",
            "outputs": [],
        },
    ]
    (out / "manifest.jsonl").write_text("".join(json.dumps(x) + "\n" for x in lines), "utf-8")
    assert main(["review", str(out)]) == 0
    index = (out / "review" / "index.html").read_text("utf-8")
    assert '<a href="a/akmola.html">a/akmola</a>' in index
    assert '<a href="doc-2.html">doc-2</a>' in index
    assert "not reviewable: bad.txt: is empty" in index
    assert "3 article(s), 5 sentence(s), 2 flagged" in index
    assert "<script" not in index and "script-src &#x27;none&#x27;" in index
    page = (out / "review" / "a" / "akmola.html").read_text("utf-8")
    assert "Ақмолада 90 адам" in page and "akmola.reviewed" not in page
    assert (out / "review" / "doc-2.html").is_file()
    # the index is kept unless --overwrite; -o puts it (and the pages) elsewhere
    assert main(["review", str(out)]) == 1
    assert "exists" in capsys.readouterr().err
    assert main(["review", str(out), "-o", str(out / "index.html"), "--overwrite"]) == 0
    assert (out / "doc-2-2.html").is_file()  # doc-2.html is the job's own output
    assert main(["review", str(tmp_path)]) == 1
    assert "without manifest.jsonl" in capsys.readouterr().err


def test_csv_for_spreadsheets(tmp_path):
    import csv

    tricky = Record(
        "akmola",
        0,
        0,
        0,
        5,
        '=cmd|" /c calc"!A1, «а»',
        '-5 degrees,\n"quoted"',
        -0.5,
        (NUMBERS,),
        comment="'already marked",
        mt="@mention",
    )
    res = [DocumentResult(Document("akmola", ""), (tricky,)), *results()[1:]]
    path = write("csv", tmp_path / "r.csv", res)
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfdoc_id,paragraph,") and b"\r\n" in data
    rows = list(csv.reader(data.decode("utf-8-sig").splitlines(keepends=True)))
    assert rows[0][:3] == ["doc_id", "paragraph", "index"]
    assert rows[1][5].startswith("'=cmd") and rows[1][6].startswith("'-5")
    assert rows[-1][0].startswith("#signature=translate:")
    sig, back = read_results(path)
    assert sig == SIG
    same(back[0].records[0], tricky, reasons=False)


def test_tsv_old_and_new_layouts_read_back(tmp_path):
    new = write("tsv", tmp_path / "new.tsv").read_text("utf-8").splitlines()
    assert new[0].split("\t")[-3:] == ["review", "mt", "comment"]
    assert new[-1].startswith("#signature=")
    old = tmp_path / "old.tsv"
    old.write_text(
        f"#signature={SIG}\n"
        "doc_id\tparagraph\tindex\tstart\tend\tsource\ttranslation\tscore\tflags\n"
        "d\t0\t0\t0\t6\tСәлем.\tHello.\t-0.1000\tcopy\n",
        "utf-8",
    )
    sig, [doc] = read_results(old)
    assert sig == SIG and doc.records[0].flag_codes == ("copy",)
    assert doc.records[0].review is None


# --- the page ------------------------------------------------------------


def _sha(text: str) -> str:
    return base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()


def test_the_page_runs_only_its_hashed_script(tmp_path):
    page = write("html", tmp_path / "akmola.html").read_text("utf-8")
    tree = lxml_html.fromstring(page)
    csp = tree.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")[0]
    scripts = tree.xpath("//script")
    assert [s.get("type") for s in scripts] == ["application/json", None]
    assert f"script-src 'sha256-{_sha(scripts[1].text)}'" in csp
    assert f"style-src 'sha256-{_sha(tree.xpath('//style')[0].text)}'" in csp
    assert "unsafe-inline" not in csp and "default-src 'none'" in csp
    for el in tree.iter():
        assert not [a for a in el.attrib if a.lower().startswith("on") or a == "style"], el
    # the records as JSON: the hostile text cannot close the block
    assert "</script><script>window" not in page and "<!-- «" not in page
    data = json.loads(scripts[0].text)
    assert data["docs"][0]["records"][2]["source"] == HOSTILE
    assert '<th scope="col">Kazakh</th><th scope="col">English</th>' in page
    assert "<dt>Model</dt><dd>facebook/nllb-200-distilled-600M @ abc123</dd>" in page
    assert "<dt>Languages</dt><dd>Kazakh → English</dd>" in page
    assert str(SIG) in page  # the raw signature, on hover and folded away


@pytest.fixture
def browser(tmp_path):
    require_browser()
    b = Chromium(tmp_path / "chromium")
    yield b
    b.close()


def _state(b: Chromium) -> dict:
    return b.js(
        "({current: (document.querySelector('tr.current') || {dataset: {}}).dataset.i,"
        " body: document.body.className, box: document.getElementById('only-flagged').checked,"
        " progress: document.getElementById('progress-text').textContent,"
        " shown: document.querySelectorAll('tr.pair:not(.out)').length,"
        " pwned: window.__pwned === undefined ? null : window.__pwned,"
        " scripts: document.scripts.length})"
    )


def test_edit_approve_comment_and_export_in_a_real_browser(tmp_path, browser):
    page = write("html", tmp_path / "akmola.html")
    b = browser
    b.open(page.as_uri())
    s = _state(b)
    assert s["pwned"] is None and s["scripts"] == 2
    assert s["progress"] == "0 of 5 reviewed (0 approved, 0 rejected, 0 edited)"
    b.key("j")
    b.key("j")
    assert _state(b)["current"] == "1"
    b.key("e")  # edit the current pair's translation
    b.key("a", modifiers=2, commands=["selectAll"])  # Ctrl+A in the editor: select it all
    b.type("90 people gathered in Akmola.")
    b.key("Enter")
    b.key("a")  # approve
    b.key("c")
    b.type("Number added.")
    b.key("Escape")
    assert _state(b)["progress"] == "1 of 5 reviewed (1 approved, 0 rejected, 1 edited)"
    assert b.js("document.querySelector('#pair-1 .mt').textContent") == "People gathered."

    # the browser's own shortcuts are left alone: Ctrl+F, Alt+F, Meta+F do not filter
    for mod in (2, 1, 4):
        b.key("f", modifiers=mod)
        assert (_state(b)["box"], _state(b)["body"]) == (False, "")
    b.key("f")
    assert (_state(b)["box"], _state(b)["body"], _state(b)["shown"]) == (True, "only-flagged", 5)
    b.key("f")
    # keys typed into the search box are text, not commands
    b.click("#search")
    b.key("f")
    b.type("akmola")
    s = _state(b)
    assert s["box"] is False and b.js("document.getElementById('search').value") == "fakmola"
    b.js(
        "var q = document.getElementById('search'); q.value = 'AKMOLA';"
        " q.dispatchEvent(new Event('input'))"
    )
    assert _state(b)["shown"] == 1
    b.js(
        "var q = document.getElementById('search'); q.value = '';"
        " q.dispatchEvent(new Event('input'));"
        " var s = document.getElementById('status-filter'); s.value = 'approved';"
        " s.dispatchEvent(new Event('change'))"
    )
    assert _state(b)["shown"] == 1
    b.js(
        "var f = document.getElementById('flag-filter'); f.value = 'numbers';"
        " f.dispatchEvent(new Event('change'));"
        " var s = document.getElementById('status-filter'); s.value = '';"
        " s.dispatchEvent(new Event('change'))"
    )
    assert _state(b)["shown"] == 2

    name, data = b.download("button[data-export=jsonl]")
    assert name == "akmola.reviewed.jsonl"
    exported = tmp_path / name
    exported.write_bytes(data)
    assert main(["convert", str(exported), "-o", str(tmp_path / "from-page.xlf")]) == 0
    back = records(tmp_path / "from-page.xlf")
    orig = [r for res in results() for r in res.records]
    edited = back[1]
    assert (edited.translation, edited.review, edited.mt, edited.comment) == (
        "90 people gathered in Akmola.",
        "approved",
        "People gathered.",
        "Number added.",
    )
    jsonl_back = records(exported)
    for k, (got, want) in enumerate(zip(jsonl_back, orig, strict=True)):
        if k != 1:
            same(got, want)  # the others as they were, to the last character
    for fmt, suffix in (
        ("xliff", ".reviewed.xlf"),
        ("xliff12", ".reviewed.xliff12.xlf"),
        ("tmx", ".reviewed.tmx"),
    ):
        name, data = b.download(f"button[data-export={fmt}]")
        assert name == "akmola" + suffix
        (tmp_path / name).write_bytes(data)
        for got, want in zip(records(tmp_path / name), jsonl_back, strict=True):
            same(got, want)
    # no request but the page itself and its own downloads; no CSP report, no error
    assert {u.split(":")[0] for u in b.requests()} <= {"file", "blob"}
    assert [u for u in b.requests() if u.startswith("file:")] == [page.as_uri()]
    assert b.problems() == []

    # a closed tab loses nothing: the edits come back from the browser's storage
    b.close_tab()
    b.new_tab()
    b.open(page.as_uri() + "#flagged")
    s = _state(b)
    assert s["progress"] == "1 of 5 reviewed (1 approved, 0 rejected, 1 edited)"
    assert s["body"] == "only-flagged"
    assert b.js("document.querySelector('#pair-1 .text').textContent") == (
        "90 people gathered in Akmola."
    )
    assert b.js("document.querySelector('#pair-1 .comment').textContent") == "Number added."
    assert "Restored" in b.js("document.getElementById('notice').textContent")
    assert b.problems() == []


def test_browser_module_finds_the_same_chromium():
    from test_formats import CHROMIUM as formats_chromium

    assert CHROMIUM == formats_chromium
