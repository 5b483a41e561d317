"""Documents in, documents out (#24): HTML pages and fragments, Word, Markdown,
plain text; binary formats refused; mixed folders in batch jobs."""

import json
import shutil
import subprocess
import zipfile

import pytest
from conftest import SEED, SEED_LAYOUT

from translate.cli import main
from translate.mt.translator import Translator
from translate.records import Translation

lxml_html = pytest.importorskip("lxml.html")
docx = pytest.importorskip("docx")
pytest.importorskip("markdown_it")
pytest.importorskip("trafilatura")

FAST = ["--beam", "1", "--max-output-tokens", "8", "-q"]


def run_cli(args, capsys):
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def sentences(path):
    lines = [json.loads(x) for x in path.read_text("utf-8").splitlines()]
    return [x for x in lines if x["type"] == "sentence"]


def squeeze(text):
    return "".join(text.split())


class Echo(Translator):
    """A translator that copies: every mark's text is in the translation."""

    backend = "echo"

    def translate(self, texts, src, tgt):
        return [Translation(f"EN {t}", -0.1) for t in texts]

    def describe(self):
        return {"model": "echo", "backend": "echo"}


class Garble(Echo):
    """A translator whose output shares no word with its input."""

    def translate(self, texts, src, tgt):
        return [Translation(" ".join("w" * len(x) for x in t.split()), -0.1) for t in texts]


def translate_with(translator, path, fmt=None):
    from translate.documents import finish, read_document, render
    from translate.pipeline import translate_documents

    source = read_document(path, fmt)
    (result,) = translate_documents([source.document], translator, "kk", "en")
    result = finish(result, source)
    data, suffix = render(result, source)
    return source, result, data


# --- HTML ------------------------------------------------------------------

PAGE = """<!DOCTYPE html><html lang="kk"><head><meta charset="utf-8">
<title>Ақмола облысының әкімі Иран елшісімен кездесті</title>
<meta property="article:published_time" content="2026-02-23T10:00:00+05:00"></head>
<body><header><nav><a href="/">Басты бет</a> <a href="/news">Жаңалықтар мұрағаты</a></nav></header>
<main><article><h1>Ақмола облысының әкімі Иран елшісімен кездесті</h1>
<p>Ақмола облысының әкімі Марат Ахметжанов пен Иран Ислам Республикасының Қазақстандағы Елшісі Али Акбар Джоукар екіжақты ынтымақтастықтың өзекті мәселелерін талқылады.</p>
<p>Тараптар сауда-экономикалық саладағы ағымдағы жағдайды қарастырып, ауыл шаруашылығындағы өзара іс-қимылды нығайту перспективаларын талқылады.</p>
<ul><li>Бірінші тармақ туралы ұзын сөйлем мұнда жазылған.</li><li>Екінші тармақ туралы тағы бір ұзын сөйлем.</li></ul>
<p>Облыс әкімі инвестициялық жобаларды іске асыру үшін ынтымақтастықты дамытудың маңыздылығын атап өтті.</p>
</article></main><footer><p>Барлық құқықтар қорғалған, сайт әкімшілігі.</p></footer>
<script>var x = "<p>мәтін емес</p>";</script></body></html>"""

FRAGMENT = """<h2 title="Тақырыптың атауы">Ақмола облысы</h2>
<p><b>Облыс әкімі Иран елшісімен кездесті.</b> Мұнда <code>pip install x</code> тұр.<br>Екінші жол 2026 жылы.</p>
<ul>
  <li>Бірінші тармақ</li>
  <li><em>Толық сөйлем осында.</em> Тағы бір сөйлем.</li>
</ul>
<table><caption>Кесте атауы</caption><tr><th>Атауы</th><th>Саны</th></tr><tr><td>Астана қаласы</td><td>Мың бес жүз</td></tr></table>
<pre>код  &lt;блогы&gt;
  сақталады</pre>
<script>var s = "<p>мәтін емес</p>";</script>
<style>p { color: red }</style>
<p><img src="a.png" alt="Сурет сипаттамасы" data-x="Сурет"> Суреттің астындағы мәтін.</p>
<blockquote>Дәйексөз мәтіні</blockquote>
<dl><dt>Термин</dt><dd>Анықтамасы</dd></dl>
<div>Бос мәтін <p>ішкі абзац</p> құйрығы</div>
"""

UNTOUCHABLE = ("pre", "script", "style", "code")


def test_html_page_article_is_extracted_and_translated(tiny_nllb, tmp_path, capsys):
    from translate.documents import read_document

    page = tmp_path / "page.html"
    page.write_text(PAGE, "utf-8")
    source = read_document(page)
    doc = source.document
    assert doc.date == "2026-02-23"
    assert doc.text.startswith("date 2026-02-23 Ақмола облысының әкімі Иран елшісімен")
    assert "Басты бет" not in doc.text and "құқықтар" not in doc.text  # navigation, footer
    assert "мәтін емес" not in doc.text  # script
    assert [b.locator for b in source.blocks][:3] == [
        "html/body/main[1]/article[1]/h1[1]",
        "html/body/main[1]/article[1]/p[1]",
        "html/body/main[1]/article[1]/p[2]",
    ]
    out = tmp_path / "page.en.html"
    code, _, err = run_cli(
        ["run", str(page), "--model", str(tiny_nllb), "--to", "document", "-o", str(out), *FAST],
        capsys,
    )
    assert code == 0, err
    tree = lxml_html.document_fromstring(out.read_bytes())
    texts = [" ".join(el.text_content().split()) for el in tree.iter("h1", "p", "li")]
    texts = [t for t in texts if t != "2026-02-23"]
    assert len(texts) == len(source.blocks) == 6
    for block, text in zip(source.blocks, texts):
        assert text and text != block.text
    assert tree.find(".//time").get("datetime") == "2026-02-23"
    assert tree.find(".//title").text == texts[0]


def html_signature(root):
    """Elements in order with their attributes (alt/title aside), and the
    untouchable elements as serialized."""
    elements = [
        (el.tag, {k: v for k, v in el.attrib.items() if k not in ("alt", "title")})
        for el in root.iter()
        if isinstance(el.tag, str)
    ]
    kept = [lxml_html.tostring(el, with_tail=False) for el in root.iter(*UNTOUCHABLE)]
    return elements, kept


def translation_of(recs, where, root=None):
    """The translations of a block's records joined by spaces; ``where``: a
    locator, or an element of ``root``."""
    if root is not None:
        from translate.documents.page import element_path

        where = element_path(where, root)
    return " ".join(r["translation"] for r in recs if r["locator"] == where and r["translation"])


def test_html_fragment_is_translated_in_place(tiny_nllb, tmp_path, capsys):
    frag = tmp_path / "body.html"
    frag.write_text(FRAGMENT, "utf-8")
    out, res = tmp_path / "body.en.html", tmp_path / "body.jsonl"
    for target in (res, out):
        code, _, err = run_cli(
            ["run", str(frag), "--model", str(tiny_nllb), "--to", "document" if target == out
             else "jsonl", "-o", str(target), *FAST],
            capsys,
        )  # fmt: skip
        assert code == 0, err
    before = lxml_html.fragment_fromstring(FRAGMENT, create_parent="div")
    after = lxml_html.fragment_fromstring(out.read_text("utf-8"), create_parent="div")
    assert html_signature(after) == html_signature(before)  # same elements, same untouchables
    recs = sentences(res)
    for tag in ["h2", "li", "caption", "th", "td", "blockquote", "dt", "dd"]:
        for a, b in zip(before.iter(tag), after.iter(tag)):
            # each block holds its sentences' translations (its own text when the
            # tiny model said nothing at all: flagged empty)
            want = translation_of(recs, a, before) or " ".join(a.text_content().split())
            assert " ".join(b.text_content().split()) == want, tag
    assert after.find("h2").get("title") == translation_of(recs, "h2[1]/@title")
    assert after.find(".//img").get("alt") == translation_of(recs, "p[2]/img[1]/@alt")
    assert after.find(".//img").get("data-x") == "Сурет"  # other attributes untouched
    locators = {r["locator"] for r in recs}
    assert {"h2[1]/@title", "h2[1]", "p[1]", "ul[1]/li[2]", "table[1]/tr[2]/td[1]"} <= locators
    assert {"p[2]/img[1]/@alt", "div[1]/text()[1]", "div[1]/text()[2]", "div[1]/p[1]"} <= locators
    # every text outside code, pre, script and style is in the records
    covered = squeeze("".join(r["source"] for r in recs))
    for el in before.iter("h2", "li", "th", "td", "caption", "blockquote", "dt", "dd"):
        assert squeeze(el.text_content()) in covered


def test_inline_markup_kept_where_its_text_is_else_dropped_and_flagged(tmp_path):
    f = tmp_path / "x.html"
    f.write_text(
        '<p>Марат <b>Ахметжанов</b> келді. <i>Толық сөйлем.</i> Мұнда <a href="https://e.kz/a">'
        "сілтеме</a> мен <code>x = 1</code> бар.</p>",
        "utf-8",
    )
    _, result, data = translate_with(Echo(), f)
    html = data.decode()
    assert "<b>Ахметжанов</b>" in html and "<i>EN Толық сөйлем.</i>" in html
    assert '<a href="https://e.kz/a">сілтеме</a>' in html and "<code>x = 1</code>" in html
    assert not any("markup" in r.flag_codes for r in result.records)

    _, result, data = translate_with(Garble(), f)
    html = data.decode()
    assert "<b>" not in html and "<a " not in html  # dropped ...
    assert "<i>" in html and "<code>x = 1</code>" in html  # a whole sentence; code kept
    reasons = [f.reason for r in result.records for f in r.flags if f.code == "markup"]
    assert len(reasons) == 2
    assert "dropped <b> around «Ахметжанов»" in reasons[0]  # ... and flagged
    assert "dropped link to https://e.kz/a around «сілтеме»" in reasons[1]
    assert "moved <code> «x = 1» to the end of its sentence" in reasons[1]
    assert [r.locator for r in result.records] == ["p[1]"] * 3


# --- Word ------------------------------------------------------------------


def make_docx(path):
    from docx.enum.text import WD_BREAK
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    d = docx.Document()
    d.add_heading("Ақмола облысының әкімі", level=1)
    p = d.add_paragraph("Облыс әкімі ")
    p.add_run("Марат Ахметжанов").bold = True
    p.add_run(" Иран елшісімен кездесті.")
    p.paragraph_format.space_after = docx.shared.Pt(18)
    d.add_paragraph("Бірінші тармақ", style="List Bullet")
    d.add_paragraph("Екінші тармақ", style="List Number")
    link = d.add_paragraph("Толығырақ ")
    rid = link.part.relate_to("https://example.kz/x", RT.HYPERLINK, is_external=True)
    h = OxmlElement("w:hyperlink")
    h.set(qn("r:id"), rid)
    r = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = "мына жерде"
    r.append(t)
    h.append(r)
    link._p.append(h)
    t = d.add_table(rows=2, cols=2)
    for (i, j), text in {(0, 0): "Атауы", (0, 1): "Саны", (1, 0): "Астана", (1, 1): "Мың"}.items():
        t.cell(i, j).text = text
    brk = d.add_paragraph("Бет соңы")
    brk.runs[0].add_break(WD_BREAK.PAGE)
    d.add_paragraph("")
    d.sections[0].header.paragraphs[0].text = "Жоғарғы колонтитул"
    footer = d.sections[0].footer.paragraphs[0]
    footer.text = "Бет "
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    fr = OxmlElement("w:r")
    ft = OxmlElement("w:t")
    ft.text = "1"
    fr.append(ft)
    field.append(fr)
    footer._p.append(field)
    d.save(path)


def test_docx_in_and_out(tiny_nllb, tmp_path, capsys):
    src = tmp_path / "doc.docx"
    make_docx(src)
    res, out = tmp_path / "doc.jsonl", tmp_path / "doc.en.docx"
    code, _, err = run_cli(
        ["run", str(src), "--model", str(tiny_nllb), "-o", str(res), *FAST], capsys
    )
    assert code == 0, err
    # the translated document from the result (the original is read again)
    code, _, err = run_cli(["convert", str(res), "-o", str(out)], capsys)
    assert code == 0, err
    recs = sentences(res)
    a, b = docx.Document(str(src)), docx.Document(str(out))
    assert len(a.paragraphs) == len(b.paragraphs)
    for k, (pa, pb) in enumerate(zip(a.paragraphs, b.paragraphs)):
        assert pa.style.name == pb.style.name
        assert pa.paragraph_format.space_after == pb.paragraph_format.space_after
        # the paragraph's translations (its own text when the tiny model said nothing)
        assert pb.text == (translation_of(recs, f"p[{k}]") or pa.text)
    assert b.paragraphs[1].runs[0].bold is None and b.paragraphs[1].runs[1].text == ""
    assert b.paragraphs[5].runs[0].text != "Бет соңы"
    assert 'w:type="page"' in b.paragraphs[5]._p.xml  # the page break stays
    assert [[c.text for c in row.cells] for row in a.tables[0].rows] != [
        [c.text for c in row.cells] for row in b.tables[0].rows
    ]
    assert [len(r.cells) for r in b.tables[0].rows] == [2, 2]
    assert b.sections[0].header.paragraphs[0].text != "Жоғарғы колонтитул"
    assert 'w:instr="PAGE"' in b.sections[0].footer.paragraphs[0]._p.xml  # the field stays
    locs = [r["locator"] for r in recs]
    assert locs[:2] == ["p[0]", "p[1]"] and "table[0]/row[1]/cell[1]" in locs
    assert "section[0]/header/p[0]" in locs and "section[0]/footer/p[0]" in locs
    flagged = {r["locator"]: f["reason"] for r in recs for f in r["flags"] if f["code"] == "markup"}
    assert "merged «Марат Ахметжанов» (bold)" in flagged["p[1]"]
    assert "dropped link to https://example.kz/x around «мына жерде»" in flagged["p[4]"]
    covered = squeeze("".join(r["source"] for r in recs))
    for p in a.paragraphs:
        assert squeeze(p.text) in covered
    if shutil.which("soffice"):  # LibreOffice opens it
        run = subprocess.run(
            ["soffice", "--headless", "--convert-to", "txt", "--outdir", str(tmp_path), str(out)],
            capture_output=True,
            timeout=120,
        )
        assert run.returncode == 0 and (tmp_path / "doc.en.txt").is_file()


# --- Markdown --------------------------------------------------------------

MARKDOWN = """---
title: Ақмола мен Иран
tags: [news]
---

# Облыс әкімі *Иран* елшісімен кездесті

Бірінші абзац [сілтеме](https://x.kz/a_(b) "title") мен `код` бар.
Екінші жол ![сурет](img/photo.png) мұнда.

- Тізімнің бірінші тармағы
- Тізімнің **екінші** тармағы

> Дәйексөз мәтіні
> екінші жолда

| Баған | Екінші |
|---|---|
| Астана | Алматы |

```python
print("код")
```

    шегіністі код
"""


def test_markdown_in_and_out(tiny_nllb, tmp_path, capsys):
    from markdown_it import MarkdownIt

    src = tmp_path / "note.md"
    src.write_text(MARKDOWN, "utf-8")
    out, res = tmp_path / "note.en.md", tmp_path / "note.jsonl"
    for target in (res, out):  # -o x.md implies --to document
        code, _, err = run_cli(
            ["run", str(src), "--model", str(tiny_nllb), "-o", str(target), *FAST], capsys
        )
        assert code == 0, err
    recs = sentences(res)
    assert recs[0]["locator"] == "md:line 6"
    assert "md:line 19, cell 2" in {r["locator"] for r in recs}
    new = out.read_text("utf-8")
    assert new.startswith("---\ntitle: Ақмола мен Иран\ntags: [news]\n---\n")  # front matter
    md = MarkdownIt("commonmark").enable("table")
    a = md.parse(MARKDOWN.split("---\n", 2)[2])
    b = md.parse(new.split("---\n", 2)[2])
    assert [t.type for t in a if t.type != "inline"] == [t.type for t in b if t.type != "inline"]
    for k, (x, y) in enumerate(zip(a, b)):
        if x.type in ("fence", "code_block"):
            assert x.content == y.content  # code blocks untouched
        if x.type == "inline" and a[k - 1].type in ("heading_open", "paragraph_open"):
            said = translation_of(recs, f"md:line {x.map[0] + 5}")
            assert (y.content != x.content) if said else (y.content == x.content)
    assert "![сурет](img/photo.png)" in new and "`код`" in new  # image, inline code kept
    for t in (t for blk in b if blk.children for t in blk.children):
        if t.type == "link_open":
            assert t.attrs["href"] == "https://x.kz/a_(b)"  # a link kept keeps its target
    covered = squeeze("".join(r["source"] for r in recs))
    for x in a:
        if x.type == "inline":
            plain = "".join(c.content for c in x.children if c.type in ("text", "code_inline"))
            assert squeeze(plain) in covered


# --- text ------------------------------------------------------------------


def test_to_text_on_the_seed(tiny_nllb, tmp_path, capsys):
    res, txt = tmp_path / "seed.jsonl", tmp_path / "seed.en.txt"
    for target in (res, txt):  # -o x.txt implies --to text
        code, _, err = run_cli(
            ["run", str(SEED), "--model", str(tiny_nllb), "-o", str(target), *FAST], capsys
        )
        assert code == 0, err
    recs = sentences(res)
    assert all("locator" not in r for r in recs)  # a text article: no locators
    lines = txt.read_text("utf-8").splitlines()
    assert len(lines) == len(SEED_LAYOUT) == 10
    for p, line in enumerate(lines):
        joined = " ".join(" ".join(r["translation"].split()) for r in recs if r["paragraph"] == p)
        assert line == (f"date 2026-02-23 {joined}" if p == 0 else joined)
    code, out, err = run_cli(["convert", str(res), "--to", "text"], capsys)
    assert code == 0 and out.splitlines() == lines


# --- formats we do not read, --from ------------------------------------------


def _zip(path):
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("a.txt", "Сәлем")


@pytest.mark.parametrize(
    "name, data, expect",
    [
        ("a.pdf", b"%PDF-1.7\n%\xe2\xe3\n1 0 obj", "a PDF file; extract its text first (e.g. pdftotext {f} out.txt) and translate that"),
        ("a.txt", b"%PDF-1.4\nx", "a PDF file; extract its text first"),
        ("a.zip", None, "a ZIP archive; unpack it"),
        ("a.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "a PNG image; recognise its text first"),
        ("a.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), "an old Word (.doc)"),
        ("a.rtf", b"{\\rtf1\\ansi Hello}", "an RTF file; save it as .docx"),
    ],
)  # fmt: skip
def test_binary_formats_are_refused_with_what_to_do(name, data, expect, tmp_path, capsys):
    f = tmp_path / name
    if data is None:
        _zip(f)
    else:
        f.write_bytes(data)
    for extra in ([], ["--from", "text"]):
        code, _, err = run_cli(["run", str(f), "--model", "nowhere", *extra], capsys)
        assert code == 1
        assert err.strip() == f"translate: error: {f}: " + err.split(f"{f}: ", 1)[1].strip()
        assert expect.format(f=f) in err and len(err.strip().splitlines()) == 1


def test_from_forces_the_input_format(tmp_path, capsys):
    f = tmp_path / "page.txt"
    f.write_text("<p>Бірінші <b>абзац</b>.</p>\n<p>Екінші абзац.</p>\n", "utf-8")
    code, out, _ = run_cli(["segment", str(f)], capsys)
    assert code == 0 and "<p>" in out  # a .txt is text
    code, out, _ = run_cli(["segment", str(f), "--from", "html"], capsys)
    assert code == 0 and out.splitlines() == ["Бірінші абзац.", "", "Екінші абзац."]
    md = tmp_path / "notes.txt"
    md.write_text("# Тақырып\n\n- **Бір** тармақ\n", "utf-8")
    code, out, _ = run_cli(["segment", str(md), "--from", "md"], capsys)
    assert code == 0 and out.splitlines() == ["Тақырып", "", "Бір тармақ"]
    with pytest.raises(SystemExit) as exit_:
        main(["segment", str(md), "--from", "pdf"])
    assert exit_.value.code == 2 and "invalid choice" in capsys.readouterr().err


def test_segment_keeps_paragraph_breaks(capsys):
    code, out, _ = run_cli(["segment", str(SEED)], capsys)
    paragraphs = out.split("\n\n")
    assert code == 0 and [len(p.splitlines()) for p in paragraphs] == SEED_LAYOUT


# --- batch -------------------------------------------------------------------


def test_batch_mirrors_a_mixed_folder(tiny_nllb, tmp_path, capsys):
    news = tmp_path / "news"
    (news / "sub").mkdir(parents=True)
    (news / "a.txt").write_text("Біз дайынбыз. Жұмыс басталды.\n", "utf-8")
    (news / "sub" / "b.html").write_text("<p>Облыс әкімі <b>келді</b>.</p>", "utf-8")
    make_docx(news / "c.docx")
    (news / "d.md").write_text("# Тақырып\n\nМәтін `код` бар.\n", "utf-8")
    (news / "e.pdf").write_bytes(b"%PDF-1.4")  # not an article file: not listed
    out = tmp_path / "out"
    code, _, err = run_cli(
        ["batch", str(news), "-o", str(out), "--to", "jsonl,document", "--model",
         str(tiny_nllb), "--no-cache", *FAST],
        capsys,
    )  # fmt: skip
    assert code == 0, err
    made = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
    assert made == sorted(
        ["manifest.jsonl", "a.jsonl", "a.en.txt", "sub/b.html.jsonl", "sub/b.en.html",
         "c.docx.jsonl", "c.en.docx", "d.md.jsonl", "d.en.md"]
    )  # fmt: skip
    assert docx.Document(str(out / "c.en.docx")).paragraphs[0].text
    assert "`код`" in (out / "d.en.md").read_text("utf-8")
    assert "<b>" in (out / "sub" / "b.en.html").read_text("utf-8") or any(
        f["code"] == "markup" for r in sentences(out / "sub" / "b.html.jsonl") for f in r["flags"]
    )
    assert sentences(out / "c.docx.jsonl")[0]["locator"] == "p[0]"


# --- placing marks -----------------------------------------------------------


def test_place_wraps_whole_sentences_and_keeps_empty_elements_between_them():
    from translate.documents.base import Mark, Placed, place

    text = "Бір сөйлем. Екі сөйлем."
    marks = [Mark(0, 11, "<b>"), Mark(11, 11, "<br>", True), Mark(16, 22, "<i>")]
    plan = place(text, marks, [(0, 11), (12, 23)], ["One.", "Two sentences."])
    assert plan.text == "One. Two sentences."
    assert isinstance(plan.tree[0], Placed) and plan.tree[0].children == ["One."]
    assert plan.tree[1].mark.label == "<br>"
    assert plan.issues == [(16, "dropped <i> around «сөйлем» (its text is not in the translation)")]


def test_to_document_takes_one_input_under_a_name_of_its_kind(tmp_path, capsys):
    page = tmp_path / "a.html"
    page.write_text("<p>Сәлем, әлем.</p>", "utf-8")
    note = tmp_path / "b.md"
    note.write_text("# Сәлем\n", "utf-8")
    code, _, err = run_cli(["run", str(page), str(note), "--to", "document"], capsys)
    assert code == 2 and "--to document writes one translated document" in err
    code, _, err = run_cli(["run", str(page), "-o", str(tmp_path / "a.docx")], capsys)
    assert code == 2 and "is HTML; give an output name ending in .html" in err
    assert not (tmp_path / "a.docx").exists()
