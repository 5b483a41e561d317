"""Translation memory and glossaries (#27): human translations reused before
the model, fuzzy suggestions, Kazakh terms in their inflected forms, term
checks and enforcement, and clear errors on bad files."""

import json
import sqlite3

import pytest
from conftest import SEED

from translate.cli import main
from translate.formats import read_results
from translate.mt.translator import Translator
from translate.pipeline import translate_documents
from translate.records import Translation
from translate.text.reader import read_article
from translate.tm import Glossary, TranslationMemory, load_assist
from translate.tm.glossary import read_glossary
from translate.tm.morphology import TermPattern, english_forms, kazakh_forms

FAST = ["--beam", "1", "--max-output-tokens", "16", "-q"]
# sentence 3 of the seed (paragraph 3), and a human translation of it
SENTENCE = (
    "Облыс әкімі инвестициялық жобаларды іске асыру үшін ынтымақтастықты дамытудың "
    "маңыздылығын атап өтті."
)
HUMAN = (
    "The regional governor stressed the importance of developing cooperation "
    "to implement investment projects."
)
GLOSSARY = "Ақмола облысы\tAkmola region\nәкім\tgovernor\n"


def tmx(source: str, target: str = HUMAN) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4">\n'
        '  <header creationtool="SomeCAT" datatype="plaintext" segtype="sentence" '
        'adminlang="en" srclang="kk" o-tmf="x"/>\n  <body>\n'
        '    <tu changeid="aigerim" changedate="20260224T090000Z">\n'
        f'      <tuv xml:lang="kk-KZ"><seg>{source}</seg></tuv>\n'
        f'      <tuv xml:lang="en-US"><seg>{target}</seg></tuv>\n'
        "    </tu>\n  </body>\n</tmx>\n"
    )


def sentences(path):
    return [
        json.loads(line)
        for line in path.read_text("utf-8").splitlines()
        if json.loads(line)["type"] == "sentence"
    ]


def cli(args, capsys):
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def baseline(tiny_nllb, tmp_path_factory):
    """The model's own translations of the seed."""
    out = tmp_path_factory.mktemp("base") / "base.jsonl"
    assert main(["run", str(SEED), "--model", str(tiny_nllb), "-o", str(out), *FAST]) == 0
    return sentences(out)


def test_an_imported_human_translation_replaces_the_model_for_its_sentence(
    tiny_nllb, baseline, tmp_path, capsys
):
    (tmp_path / "human.tmx").write_text(tmx(SENTENCE), "utf-8")
    tm = tmp_path / "tm.sqlite"
    code, _, err = cli(["tm", "import", str(tmp_path / "human.tmx"), "--tm", str(tm)], capsys)
    assert code == 0, err
    out = tmp_path / "out.jsonl"
    code, _, err = cli(
        ["run", str(SEED), "--model", str(tiny_nllb), "--tm", str(tm), "-o", str(out), *FAST],
        capsys,
    )
    assert code == 0, err
    got = sentences(out)
    assert len(got) == len(baseline) == 16
    hit = [s for s in got if s["source"] == SENTENCE]
    assert len(hit) == 1 and hit[0]["index"] == 3
    assert hit[0]["translation"] == HUMAN
    assert hit[0]["score"] is None
    tm_flag = next(f for f in hit[0]["flags"] if f["code"] == "tm")
    assert "human.tmx" in tm_flag["reason"] and "2026-02-24" in tm_flag["reason"]
    assert "aigerim" in tm_flag["reason"]
    for mine, model in zip(got, baseline):
        if mine["index"] == 3:
            continue
        assert mine["translation"] == model["translation"]
        assert mine["score"] == pytest.approx(model["score"], abs=2e-4)
        assert "tm" not in [f["code"] for f in mine["flags"]]
        assert "suggestions" not in mine


def test_a_one_letter_change_gives_a_fuzzy_suggestion_not_a_replacement(
    tiny_nllb, baseline, tmp_path, capsys
):
    changed = SENTENCE.replace("инвестициялық", "инвестициялүқ")
    assert changed != SENTENCE
    (tmp_path / "near.tmx").write_text(tmx(changed), "utf-8")
    tm = tmp_path / "tm.sqlite"
    assert cli(["tm", "import", str(tmp_path / "near.tmx"), "--tm", str(tm)], capsys)[0] == 0
    out = tmp_path / "out.jsonl"
    code, _, err = cli(
        ["run", str(SEED), "--model", str(tiny_nllb), "--tm", str(tm), "-o", str(out), *FAST],
        capsys,
    )
    assert code == 0, err
    got = sentences(out)
    assert [s["translation"] for s in got] == [s["translation"] for s in baseline]
    assert all("tm" not in [f["code"] for f in s["flags"]] for s in got)
    (suggestion,) = got[3]["suggestions"]
    assert suggestion["kind"] == "tm" and suggestion["translation"] == HUMAN
    assert suggestion["source"] == changed
    assert 0.85 <= suggestion["similarity"] < 1
    assert all("suggestions" not in s for s in got if s["index"] != 3)
    # above the threshold asked for: no suggestion
    out2 = tmp_path / "strict.jsonl"
    args = ["run", str(SEED), "--model", str(tiny_nllb), "--tm", str(tm), "--tm-fuzzy", "0.999"]
    assert cli([*args, "-o", str(out2), *FAST], capsys)[0] == 0
    assert all("suggestions" not in s for s in sentences(out2))
    # the suggestion reaches XLIFF 2 (matches module), XLIFF 1.2 (alt-trans) and the page
    for fmt, marker in (("xliff", "<mtc:match "), ("xliff12", "<alt-trans "), ("html", "tm-match")):
        target = tmp_path / f"out.{fmt}"
        assert main(["convert", str(out), "--to", fmt, "-o", str(target), "-q"]) == 0
        text = target.read_text("utf-8")
        assert marker in text and "The regional governor stressed" in text
        if fmt != "html":
            _, results = read_results(target)
            assert [r.translation for r in results[0].records] == [s["translation"] for s in got]


def test_glossary_flags_exactly_the_sentences_lacking_their_terms(tiny_nllb, tmp_path, capsys):
    (tmp_path / "g.tsv").write_text(GLOSSARY, "utf-8")
    out = tmp_path / "out.jsonl"
    args = ["run", str(SEED), "--model", str(tiny_nllb), "--glossary", str(tmp_path / "g.tsv")]
    code, _, err = cli([*args, "-o", str(out), *FAST], capsys)
    assert code == 0, err
    got = sentences(out)
    flagged = {s["index"]: f["reason"] for s in got for f in s["flags"] if f["code"] == "term"}
    # sentence 1: Ақмола облысының әкімі ... Ақмола облысы мен; sentence 3: Облыс әкімі
    assert set(flagged) == {1, 3}
    assert "'Ақмола облысының' (glossary 'Ақмола облысы' → 'Akmola region')" in flagged[1]
    assert "'әкімі' (glossary 'әкім' → 'governor')" in flagged[1]
    assert "Akmola" not in flagged[3] and "'әкімі'" in flagged[3]
    terms = [(x["source"], x["start"], x["end"]) for x in got[1]["suggestions"]]
    assert terms[:2] == [("Ақмола облысы", 0, 16), ("әкім", 17, 22)]
    assert got[1]["source"][0:16] == "Ақмола облысының"
    # highlighted in the review page
    page = tmp_path / "page.html"
    assert main(["review", str(out), "-o", str(page), "-q"]) == 0
    assert '<mark class="term" title="glossary: Ақмола облысы → Akmola region">' in page.read_text(
        "utf-8"
    )


class FakeTranslator(Translator):
    """Puts the glossary's targets into the translation of sentences that
    name the Akmola region; ``keep``: returns the input (copies placeholders)."""

    backend = "fake"

    def __init__(self, keep: bool = False):
        self.keep = keep
        self.inputs: list[str] = []

    def translate(self, texts, src, tgt):
        self.inputs += texts
        if self.keep:
            return [Translation(t, -0.5) for t in texts]
        return [
            Translation(
                "The governor of the Akmola Region met."
                if "kmola" in t or "Ақмола" in t
                else "It met.",
                -0.5,
            )
            for t in texts
        ]

    def describe(self):
        return {"model": "fake", "backend": "fake", "beam": 1}


def test_sentences_whose_translation_has_the_targets_are_not_flagged(tmp_path):
    (tmp_path / "g.tsv").write_text(GLOSSARY, "utf-8")
    assist = load_assist("kk", "en", glossaries=[tmp_path / "g.tsv"])
    (result,) = translate_documents(
        [read_article(SEED)], FakeTranslator(), annotate=assist.annotate
    )
    flagged = {r.index for r in result.records if "term" in r.flag_codes}
    assert flagged == {3}  # sentence 1 has both targets; 3 (Облыс әкімі) has neither


def test_enforced_terms_reach_the_model_and_lost_placeholders_are_flagged(tmp_path):
    (tmp_path / "g.tsv").write_text(GLOSSARY + "Арқа ажары\tАрқа ажары\n", "utf-8")
    doc = read_article(SEED)
    for keep in (True, False):
        assist = load_assist("kk", "en", glossaries=[tmp_path / "g.tsv"], enforce_terms=True)
        fake = FakeTranslator(keep=keep)
        (result,) = translate_documents([doc], assist.wrap(fake), annotate=assist.annotate)
        by_index = {r.index: r for r in result.records}
        assert "Akmola region" in fake.inputs[1] and "Ақмола облысы" not in fake.inputs[1]
        assert "governor" in fake.inputs[1]
        assert "[1]" in fake.inputs[15] and "Арқа" not in fake.inputs[15]
        if keep:  # the model copied them: restored, nothing flagged
            assert "Арқа ажары" in by_index[15].translation
            assert not [r.index for r in result.records if "term" in r.flag_codes]
        else:
            reasons = {
                r.index: next((f.reason for f in r.flags if f.code == "term"), "")
                for r in result.records
            }
            assert "placeholder lost" in reasons[15]
            assert "could not be enforced" in reasons[3]
            assert {i for i, x in reasons.items() if x} == {3, 15}  # 1 got its targets


def test_kazakh_forms_follow_harmony_and_consonant_alternation():
    akim = kazakh_forms("әкім")
    assert {"әкімі", "әкімінің", "әкімдер", "әкімге", "әкімнің", "әкімнен", "әкіммен"} <= akim
    assert not {"әкімның", "әкімға", "әкімлар", "әкімтің"} & akim  # back or wrong suffixes
    oblys = kazakh_forms("облыс")
    assert {"облысы", "облыстың", "облысының", "облыстар", "облыстарының", "облысқа"} <= oblys
    assert {"облыста", "облыстағы", "облысымыз", "облыспен"} <= oblys
    assert not {"облыстық", "облысдың", "облысның", "облысге"} & oblys
    assert {"облысының", "облысына", "облысында", "облысынан", "облысын"} <= kazakh_forms("облысы")
    assert {"қаласы", "қаланың", "қаламыз", "қаласының", "қалама"} <= kazakh_forms("қала")
    assert {"көмегі", "көмектің"} <= kazakh_forms("көмек")  # к → г before a vowel
    assert {"кітабы", "кітаптар"} <= kazakh_forms("кітап")
    assert {"халқы", "халқының", "халықтың"} <= kazakh_forms("халық")  # ы dropped
    assert {"министрдің", "министрі"} <= kazakh_forms("министр")  # no harmony vowel: either
    assert {"елдер", "елге", "елмен", "елдің"} <= kazakh_forms("ел")
    assert {"қыздың", "қызбен", "қызға"} <= kazakh_forms("қыз")
    assert {"судың", "суы", "сулар"} <= kazakh_forms("су")
    assert {"regions", "region's", "regions'"} <= english_forms("region")
    assert {"cities", "chairmen"} <= english_forms("city") | english_forms("chairman")


def test_multi_word_terms_inflect_their_last_word_only():
    p = TermPattern("Ақмола облысы", "kk")
    text = "Ақмола облысының әкімі. Ақмола облыстық. Ақмоланың облысы. АҚМОЛА ОБЛЫСЫНДА"
    assert [text[a:b] for a, b in p.search(text)] == ["Ақмола облысының", "АҚМОЛА ОБЛЫСЫНДА"]
    en = TermPattern("Akmola region", "en")
    assert [m for m in en.search("the Akmola Region's akim, akmola regions")] == [(4, 19), (26, 40)]
    assert TermPattern("сауда-экономикалық", "kk").search("сауда-экономикалық саладағы")
    assert not TermPattern("сауда-экономикалық", "kk").search("сауда экономикалық")


def test_a_glossary_serves_the_other_direction_and_tbx(tmp_path):
    (tmp_path / "g.tsv").write_text(GLOSSARY, "utf-8")
    g = Glossary([read_glossary(tmp_path / "g.tsv")], "en", "kk")
    (hit,) = g.find("The Akmola region's governor")[:1]
    assert hit.term.source == "Akmola region" and hit.term.targets == ("Ақмола облысы",)
    assert g.in_translation(hit.term, "Ақмола облысының әкімі")
    assert not g.in_translation(hit.term, "Ақмола өңірінің әкімі")
    (tmp_path / "t.tbx").write_text(
        '<?xml version="1.0"?><martif type="TBX"><text><body><termEntry>'
        '<langSet xml:lang="kk"><tig><term>әкім</term></tig></langSet>'
        '<langSet xml:lang="en"><tig><term>governor</term></tig><tig><term>akim</term></tig>'
        "</langSet></termEntry></body></text></martif>",
        "utf-8",
    )
    tbx = Glossary([read_glossary(tmp_path / "t.tbx")], "kk", "en")
    (hit,) = tbx.find("Облыс әкімінің сөзі")
    assert hit.matched == "әкімінің" and tbx.in_translation(hit.term, "the akim's words")


def xliff2(states):
    units = "".join(
        f'<unit id="u{i}"><segment state="{st}"><source>Сөйлем {i}.</source>'
        f"<target>Sentence {i}.</target></segment></unit>"
        for i, st in enumerate(states)
    )
    return (
        '<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.1" srcLang="kk" '
        f'trgLang="en"><file id="f">{units}</file></xliff>'
    )


def xliff12(units):
    body = "".join(
        f'<trans-unit id="{i}"{approved}><source>Сөйлем {i}.</source>'
        f'<target state="{st}">Sentence {i}.</target></trans-unit>'
        for i, (st, approved) in enumerate(units)
    )
    return (
        '<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"><file original="x" '
        f'source-language="kk-KZ" target-language="en-US" datatype="plaintext"><body>{body}'
        "</body></file></xliff>"
    )


def stored(tm):
    with TranslationMemory(tm) as m:
        return sorted((u.source, u.target) for u in m.units())


def test_xliff_imports_reviewed_units_unless_all(tmp_path, capsys):
    (tmp_path / "a.xlf").write_text(xliff2(["initial", "translated", "reviewed", "final"]))
    (tmp_path / "b.xlf").write_text(
        xliff12([("translated", ""), ("final", ""), ("signed-off", ""), ("new", ' approved="yes"')])
    )
    tm = tmp_path / "tm.sqlite"
    assert cli(["tm", "import", str(tmp_path / "a.xlf"), "--tm", str(tm)], capsys)[0] == 0
    assert [s for s, _ in stored(tm)] == ["Сөйлем 2.", "Сөйлем 3."]
    tm12 = tmp_path / "tm12.sqlite"
    assert cli(["tm", "import", str(tmp_path / "b.xlf"), "--tm", str(tm12)], capsys)[0] == 0
    assert [s for s, _ in stored(tm12)] == ["Сөйлем 1.", "Сөйлем 2.", "Сөйлем 3."]
    args = ["tm", "import", str(tmp_path / "a.xlf"), "--tm", str(tm), "--all"]
    assert cli(args, capsys)[0] == 0
    assert len(stored(tm)) == 4


def test_approved_edits_from_the_review_page_import_back(tmp_path, capsys):
    from dataclasses import replace

    from translate.formats import open_writer
    from translate.records import Document, DocumentResult, Record, Signature

    sig = Signature("0", "s", "m", None, "b", 1, 1, 1, "kk", "en")
    recs = [Record("d", 0, i, 0, 1, f"Сөйлем {i}.", f"MT {i}.", -0.1) for i in range(4)]
    recs[1] = replace(recs[1], translation="Human 1.", mt="MT 1.", review="approved")
    recs[2] = replace(recs[2], review="reviewed")
    recs[3] = replace(recs[3], review="rejected")
    out = tmp_path / "edited.jsonl"
    with open_writer("jsonl", sig, out) as w:
        w.write(DocumentResult(Document("d", ""), tuple(recs)))
    tm = tmp_path / "tm.sqlite"
    assert cli(["tm", "import", str(out), "--tm", str(tm)], capsys)[0] == 0
    assert stored(tm) == [("Сөйлем 1.", "Human 1."), ("Сөйлем 2.", "MT 2.")]
    assert cli(["tm", "import", str(out), "--tm", str(tm), "--all"], capsys)[0] == 0
    assert len(stored(tm)) == 3  # never the rejected one


def test_export_and_import_keep_units_and_provenance(tmp_path, capsys):
    (tmp_path / "h.tmx").write_text(tmx(SENTENCE), "utf-8")
    (tmp_path / "kk.txt").write_text("Бір.\n\nЕкі.\n", "utf-8")
    (tmp_path / "en.txt").write_text("One.\n\nTwo.\n", "utf-8")
    tm = tmp_path / "tm.sqlite"
    args = ["tm", "import", str(tmp_path / "h.tmx"), "--tm", str(tm), "--parallel"]
    code, _, err = cli([*args, str(tmp_path / "kk.txt"), str(tmp_path / "en.txt")], capsys)
    assert code == 0, err
    code, out, _ = cli(["tm", "stats", "--tm", str(tm)], capsys)
    assert code == 0 and "3 unit(s)" in out and "kk-en: 3" in out
    with TranslationMemory(tm) as m:
        before = sorted(m.units(), key=lambda u: u.source)
    for fmt in ("tmx", "jsonl"):
        exported = tmp_path / f"tm.{fmt}"
        assert cli(["tm", "export", "--tm", str(tm), "-o", str(exported)], capsys)[0] == 0
        again = tmp_path / f"again-{fmt}.sqlite"
        assert cli(["tm", "import", str(exported), "--tm", str(again)], capsys)[0] == 0
        with TranslationMemory(again) as m:
            after = sorted(m.units(), key=lambda u: u.source)
        assert [(u.source, u.target, u.origin, u.date, u.reviewer) for u in after] == [
            (u.source, u.target, u.origin, u.date, u.reviewer) for u in before
        ]
    assert cli(["tm", "export", "--tm", str(tm), "-o", str(exported)], capsys)[0] == 1  # exists


def test_the_default_memory_path_is_the_environment_or_the_current_directory(
    tmp_path, monkeypatch, capsys
):
    (tmp_path / "h.tmx").write_text(tmx(SENTENCE), "utf-8")
    monkeypatch.chdir(tmp_path)
    assert cli(["tm", "import", "h.tmx"], capsys)[0] == 0
    assert (tmp_path / "translate-tm.sqlite").is_file()
    monkeypatch.setenv("TRANSLATE_TM", str(tmp_path / "env.sqlite"))
    assert cli(["tm", "import", "h.tmx"], capsys)[0] == 0
    assert (tmp_path / "env.sqlite").is_file()


BAD_GLOSSARIES = [
    ("no-tab.tsv", "Ақмола облысы Akmola region\n".encode(), "line 1: no tab between"),
    ("empty.tsv", "әкім\tgovernor\nоблыс\t  \n".encode(), "line 2: empty target term"),
    ("empty-src.tsv", b"\tgovernor\n", "line 1: empty source term"),
    ("many.tsv", b"a\tb\tc\td\n", "line 1: 4 fields"),
    (
        "cp1251.tsv",
        "әкім\tgovernor\n".encode() + "облыс\tregion\n".encode("cp1251"),
        "line 2: not UTF-8",
    ),
    ("nul.tsv", b"a\tb\n\x00\x00\n", "line 2: a NUL byte"),
    ("blank.tsv", b"  \n\n", "is empty"),
    ("comments.tsv", b"# only a comment\n", "no terms"),
    ("bad.csv", b'"unclosed,governor\n', "line"),
    ("broken.tbx", b"<martif><text>", "not well-formed XML"),
    ("bomb.tbx", b'<!DOCTYPE m [<!ENTITY a "aaaa">]><martif>&a;</martif>', "entit"),
    ("nothing.tbx", b"<martif><text><body/></text></martif>", "no entry with both"),
]


@pytest.mark.parametrize("name,data,message", BAD_GLOSSARIES, ids=[b[0] for b in BAD_GLOSSARIES])
def test_broken_glossaries_are_one_line_errors(name, data, message, tmp_path, capsys):
    path = tmp_path / name
    path.write_bytes(data)
    code, _, err = cli(["run", str(SEED), "--glossary", str(path), "--model", "none"], capsys)
    assert code == 1
    assert err.count("\n") == 1 and err.startswith(f"translate: error: {path}")
    assert message in err


BAD_MEMORIES = [
    ("cut.tmx", tmx(SENTENCE)[:-40].encode(), "not well-formed XML (no element found: line 7"),
    (
        "noseg.tmx",
        tmx(SENTENCE).replace("<seg>", "").replace("</seg>", "").encode(),
        "tu 1: a tuv without seg",
    ),
    ("empty.tmx", tmx(SENTENCE, "  ").encode(), "tu 1: empty en text"),
    (
        "latin1.tmx",
        tmx(SENTENCE).encode("utf-8").replace("Облыс".encode(), "Облыс".encode("cp1251")),
        "not well-formed XML (not well-formed (invalid token): line 6, column 33); is it UTF-8?",
    ),
    (
        "lines.jsonl",
        b'{"type": "tm", "src_lang": "kk", "tgt_lang": "en", "source": "a", "target": "b"}\n{"type": "tm", "src_lang": \n',
        "line 2: not JSON",
    ),
    (
        "field.jsonl",
        b'{"type": "tm", "src_lang": "kk", "tgt_lang": "en", "source": "a", "target": ""}\n',
        "line 1: target is missing or empty",
    ),
    ("other.xml", b"<root/>", "neither TMX nor XLIFF"),
    ("pairs.tsv", "Бір.\tOne.\nЕкі.\n".encode(), "line 2: no tab between source and target"),
    ("three.tsv", "Бір.\tOne.\tx\n".encode(), "line 1: 3 fields"),
    ("blank.tsv", "Бір.\t \n".encode(), "line 1: empty target text"),
    ("cp.tsv", "Бір.\tOne.\n".encode() + "Екі.\tTwo.\n".encode("cp1251"), "line 2: not UTF-8"),
    ("result.jsonl", b'{"type": "sentence", "doc_id": "d"}\n', "not a valid result file"),
]


@pytest.mark.parametrize("name,data,message", BAD_MEMORIES, ids=[b[0] for b in BAD_MEMORIES])
def test_broken_memory_files_are_one_line_errors_and_store_nothing(
    name, data, message, tmp_path, capsys
):
    (tmp_path / "good.tmx").write_text(tmx(SENTENCE), "utf-8")
    path = tmp_path / name
    path.write_bytes(data)
    tm = tmp_path / "tm.sqlite"
    args = ["tm", "import", str(tmp_path / "good.tmx"), str(path), "--tm", str(tm)]
    code, _, err = cli(args, capsys)
    assert code == 1
    assert err.count("\n") == 1 and err.startswith(f"translate: error: {path}"), err
    assert message in err
    assert not tm.exists()  # nothing stored: the good file neither


def test_parallel_files_must_pair_line_by_line(tmp_path, capsys):
    (tmp_path / "kk.txt").write_text("Бір.\nЕкі.\nҮш.\n", "utf-8")
    (tmp_path / "en.txt").write_text("One.\nTwo.\n", "utf-8")
    (tmp_path / "gap.txt").write_text("One.\n\nThree.\n", "utf-8")
    tm = str(tmp_path / "tm.sqlite")
    kk, en, gap = (str(tmp_path / n) for n in ("kk.txt", "en.txt", "gap.txt"))
    code, _, err = cli(["tm", "import", "--tm", tm, "--parallel", kk, en], capsys)
    assert code == 1 and "has 3 lines but" in err and en in err
    code, _, err = cli(["tm", "import", "--tm", tm, "--parallel", kk, gap], capsys)
    assert code == 1 and f"{gap}: line 2: empty, but line 2 of {kk} is not" in err


def test_a_memory_that_is_not_one_is_refused_before_the_model(tmp_path, capsys):
    cache = tmp_path / "cache.sqlite"
    db = sqlite3.connect(cache)
    db.execute("CREATE TABLE tm (key TEXT PRIMARY KEY)")
    db.close()
    (tmp_path / "junk.sqlite").write_bytes(b"not a database at all" * 100)
    for path, message in (
        (cache, "a machine-translation cache"),
        (tmp_path / "junk.sqlite", "not a translation memory"),
        (tmp_path / "missing.sqlite", "no such translation memory"),
        (tmp_path, "is a directory"),
    ):
        code, _, err = cli(["run", str(SEED), "--tm", str(path), "--model", "none"], capsys)
        assert code == 1 and message in err and err.count("\n") == 1, err
    code, _, err = cli(["run", str(SEED), "--enforce-terms", "--model", "none"], capsys)
    assert code == 2 and "--enforce-terms needs --glossary" in err


def test_batch_uses_the_memory_and_records_it_in_the_manifest(tiny_nllb, tmp_path, capsys):
    (tmp_path / "h.tmx").write_text(tmx(SENTENCE), "utf-8")
    tm = tmp_path / "tm.sqlite"
    assert cli(["tm", "import", str(tmp_path / "h.tmx"), "--tm", str(tm)], capsys)[0] == 0
    arts = tmp_path / "arts"
    arts.mkdir()
    (arts / "akmola.txt").write_bytes(SEED.read_bytes())
    out = tmp_path / "out"
    args = ["batch", str(arts), "-o", str(out), "--model", str(tiny_nllb), "--tm", str(tm)]
    code, _, err = cli([*args, *FAST], capsys)
    assert code == 0, err
    got = sentences(out / "akmola.jsonl")
    assert got[3]["translation"] == HUMAN and "tm" in [f["code"] for f in got[3]["flags"]]
    header = json.loads((out / "manifest.jsonl").read_text("utf-8").splitlines()[0])
    assert header["options"]["tm"] == str(tm)


def test_each_sentence_in_its_own_direction_with_src_auto(tmp_path):
    from translate.records import Record

    (tmp_path / "g.tsv").write_text(GLOSSARY, "utf-8")
    assist = load_assist("auto", "auto", glossaries=[tmp_path / "g.tsv"])
    kk = Record("d", 0, 0, 0, 5, "Облыс әкімі келді.", "The mayor came.", -0.1)
    en = Record("e", 0, 0, 0, 5, "The governors came.", "Әкімдер келді.", -0.1, (), "en", "kk")
    en_bad = Record("e", 0, 1, 0, 5, "The governor's car.", "Көлік.", -0.1, (), "en", "kk")
    flagged = [r.index for r in assist.annotate([kk, en, en_bad]) if "term" in r.flag_codes]
    assert flagged == [0, 1]  # kk: no governor; en_bad: no әкім (en has Әкімдер)
    assert "term" not in assist.annotate([en])[0].flag_codes


def test_suggestions_survive_the_ray_workers_json():
    from translate.jobs.ray_engine import result_from_json, result_to_json
    from translate.records import Document, DocumentResult, Record, Suggestion

    r = Record(
        "d", 0, 0, 0, 5, "Сөйлем.", "Sentence.", None,
        suggestions=(Suggestion("tm", "Сөйлем!", "A sentence.", 0.93, "h.tmx"),),
    )  # fmt: skip
    result = DocumentResult(Document("d", "Сөйлем."), (r,))
    assert result_from_json(result_to_json(result)) == result


def test_a_tsv_of_pairs_is_imported(tmp_path, capsys):
    (tmp_path / "pairs.tsv").write_text(
        "# from the desk\nkk\ten\nБір.\tOne.\n\nЕкі.\tTwo.\n", "utf-8"
    )
    (tmp_path / "en.tsv").write_text("One.\tБір.\n", "utf-8")
    tm = tmp_path / "tm.sqlite"
    args = ["tm", "import", str(tmp_path / "pairs.tsv"), str(tmp_path / "en.tsv"), "--tm", str(tm)]
    assert cli(args, capsys)[0] == 0
    with TranslationMemory(tm) as m:
        units = sorted((u.src_lang, u.source, u.target) for u in m.units())
    assert units == [("en", "One.", "Бір."), ("kk", "Бір.", "One."), ("kk", "Екі.", "Two.")]


def test_a_tmx_given_to_tm_directly_serves_the_run_and_the_model_skips_it(tmp_path):
    (tmp_path / "human.tmx").write_text(tmx(SENTENCE), "utf-8")
    assist = load_assist("kk", "en", tm=tmp_path / "human.tmx")
    fake = FakeTranslator()
    (result,) = translate_documents(
        [read_article(SEED)], assist.wrap(fake), annotate=assist.annotate
    )
    assert result.records[3].translation == HUMAN and result.records[3].score is None
    assert result.records[3].flag_codes[0] == "tm"
    assert len(fake.inputs) == 15 and SENTENCE not in fake.inputs
    assert assist.used == 1
    assist.close()
