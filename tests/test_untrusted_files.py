"""Files we did not just write (issue #23): result files read back, the
translation memory, the batch manifest, batch JSONL input and a model's
generation_config.json. Each odd file gives our own error, naming the path and
what is wrong, or a documented recovery; never a traceback, nothing lost silently.

No model is loaded here: the file stays fast.
"""

import json
import logging
import sqlite3

import pytest

from translate.cli import main
from translate.errors import InputError, ModelError, OutputError
from translate.formats import read_results
from translate.jobs.inputs import list_articles, read_one
from translate.jobs.manifest import append_line, read_manifest
from translate.mt.cache import CachedTranslator, TranslationCache
from translate.mt.model_files import check_generation_config, check_model_dir
from translate.mt.translator import Translator
from translate.records import Flag, Translation

# --------------------------------------------------------------------------------------------
# Result files (translate review / translate convert)
# --------------------------------------------------------------------------------------------

RUN = {
    "package_version": "0.1.0",
    "segmenter_version": "kkseg-2",
    "model": "m",
    "revision": None,
    "backend": "transformers",
    "beam": 1,
    "max_input_tokens": 8,
    "max_output_tokens": 8,
    "src_lang": "kk",
    "tgt_lang": "en",
    "device": "cpu",
    "extra": [],
}
SENTENCE = {
    "type": "sentence",
    "doc_id": "d",
    "paragraph": 0,
    "index": 0,
    "start": 0,
    "end": 6,
    "source": "Сәлем.",
    "translation": "Hello.",
    "score": -0.5,
    "flags": [],
    "src_lang": "kk",
    "tgt_lang": "en",
}


def jsonl(sentence=None, *, run=None, document=None, raw_sentence=None) -> bytes:
    """A JSONL result with one sentence: header line 1, document line 2, sentence line 3."""
    lines = [
        json.dumps({"type": "header", "signature": "s", "run": RUN if run is None else run}),
        json.dumps({"type": "document", "doc_id": "d", "sentences": 1, **(document or {})}),
        raw_sentence if raw_sentence is not None else json.dumps({**SENTENCE, **(sentence or {})}),
    ]
    return ("\n".join(lines) + "\n").encode()


def tmx(tu: str, doctype: str = "") -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n{doctype}<tmx version="1.4">'
        '<header srclang="kk-KZ"/><body>' + tu + "</body></tmx>"
    ).encode()


TUV_KK = '<tuv xml:lang="kk-KZ"><seg>Сәлем.</seg></tuv>'
TUV_EN = '<tuv xml:lang="en-US"><seg>Hello.</seg></tuv>'


def xliff2(unit: str) -> bytes:
    return (
        '<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.1" srcLang="kk-KZ" '
        f'trgLang="en-US"><file id="f1" original="d">{unit}</file></xliff>'
    ).encode()


def xliff12(body: str) -> bytes:
    return (
        '<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"><file original="d" '
        f'source-language="kk-KZ" target-language="en-US"><body>{body}</body></file></xliff>'
    ).encode()


TSV_HEAD = "#signature=translate:0.1.0|model:m|kk-en\ndoc_id\tparagraph\tindex\tstart\tend\tsource\ttranslation\tscore\tflags\n"

BILLION_LAUGHS = (
    '<!DOCTYPE tmx [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
)

BAD_RESULTS = [
    # TMX
    ("tu-no-tuv.tmx", tmx("<tu></tu>"), "tu 1: 0 tuv element(s), not a pair"),
    ("tu-one-tuv.tmx", tmx(f"<tu>{TUV_KK}</tu>"), "tu 1: 1 tuv element(s), not a pair"),
    (
        "tuv-no-seg.tmx",
        tmx(f'<tu>{TUV_KK}<tuv xml:lang="en-US"></tuv></tu>'),
        "tu 1: a tuv without seg",
    ),
    (
        "tu-bad-prop.tmx",
        tmx(f'<tu><prop type="x-start">-3</prop>{TUV_KK}{TUV_EN}</tu>'),
        "tu 1: start is '-3', not a whole number >= 0",
    ),
    (
        "tu-nan-score.tmx",
        tmx(f'<tu><prop type="x-score">nan</prop>{TUV_KK}{TUV_EN}</tu>'),
        "tu 1: score is 'nan', not a number",
    ),
    ("laughs.tmx", tmx(f"<tu>{TUV_KK}{TUV_EN}</tu>", BILLION_LAUGHS), "XML entity 'a'"),
    (
        "external.tmx",
        tmx(
            '<tu><tuv xml:lang="kk-KZ"><seg>&e;</seg></tuv>' + TUV_EN + "</tu>",
            '<!DOCTYPE tmx [<!ENTITY e SYSTEM "file:///etc/passwd">]>',
        ),
        "XML entity 'e'",
    ),
    (
        "parameter.tmx",
        tmx(
            f"<tu>{TUV_KK}{TUV_EN}</tu>",
            '<!DOCTYPE tmx [<!ENTITY % p SYSTEM "http://example.com/x.dtd"> %p;]>',
        ),
        "XML parameter entity 'p'",
    ),
    ("undefined.tmx", tmx('<tu><tuv xml:lang="kk-KZ"><seg>&x;</seg></tuv></tu>'), "undefined"),
    # XLIFF 2 and 1.2
    ("unit-no-segment.xlf", xliff2('<unit id="u0"></unit>'), "unit 1: no segment"),
    (
        "segment-no-source.xlf",
        xliff2('<unit id="u0"><segment><target>x</target></segment></unit>'),
        "unit 1: a segment without source",
    ),
    (
        "unit-bad-position.xlf",
        xliff2(
            '<unit id="u0"><notes><note category="translate:position">1 2 x</note></notes>'
            "<segment><source>a</source></segment></unit>"
        ),
        "unit 1: position note '1 2 x' is not 'PARAGRAPH INDEX START END'",
    ),
    (
        "unit-score-1000.xlf",
        xliff2(
            '<unit id="u0"><notes><note category="translate:score">1000</note></notes>'
            "<segment><source>a</source></segment></unit>"
        ),
        "unit 1: score '1000' is out of range",
    ),
    (
        "trans-unit-no-source.xlf",
        xliff12('<trans-unit id="0"><target>x</target></trans-unit>'),
        "trans-unit 1: no source",
    ),
    # JSONL
    ("number.jsonl", jsonl(raw_sentence="5"), "line 3: 5, not a JSON object"),
    ("list.jsonl", jsonl(raw_sentence="[1, 2]"), "line 3: a list, not a JSON object"),
    ("string.jsonl", jsonl(raw_sentence='"x"'), "line 3: 'x', not a JSON object"),
    (
        "deep.jsonl",
        jsonl(raw_sentence="[" * 100_000 + "]" * 100_000),
        "line 3: JSON nested too deeply",
    ),
    ("cut.jsonl", jsonl(raw_sentence='{"type": "sent'), "line 3: not JSON"),
    ("score-1000.jsonl", jsonl({"score": 1000}), "line 3: score 1000 is out of range"),
    (
        "score-nan.jsonl",
        jsonl(raw_sentence=json.dumps({**SENTENCE, "score": float("nan")})),
        "line 3: score is nan, not a number",
    ),
    ("score-string.jsonl", jsonl({"score": "-0.5"}), "line 3: score is '-0.5', not a number"),
    ("source-number.jsonl", jsonl({"source": 5}), "line 3: source is 5, not a string"),
    ("translation-null.jsonl", jsonl({"translation": None}), "line 3: translation is missing"),
    (
        "no-source.jsonl",
        jsonl(raw_sentence=json.dumps({k: v for k, v in SENTENCE.items() if k != "source"})),
        "line 3: source is missing",
    ),
    ("negative.jsonl", jsonl({"start": -1}), "line 3: start is -1, not a whole number >= 0"),
    ("float-offset.jsonl", jsonl({"end": 6.5}), "line 3: end is 6.5, not a whole number >= 0"),
    ("string-offset.jsonl", jsonl({"index": "0"}), "line 3: index is '0', not a whole number"),
    ("bool-offset.jsonl", jsonl({"paragraph": True}), "line 3: paragraph is true/false"),
    ("reversed.jsonl", jsonl({"start": 6, "end": 2}), "line 3: start 6 is after end 2"),
    (
        "surrogate.jsonl",
        jsonl(raw_sentence=json.dumps({**SENTENCE, "source": "a\ud800"})),
        "line 3: source holds a lone surrogate (\\ud800)",
    ),
    (
        "surrogate-id.jsonl",
        jsonl(raw_sentence=json.dumps({**SENTENCE, "doc_id": "\udcff"})),
        "line 3: doc_id holds a lone surrogate",
    ),
    ("flags.jsonl", jsonl({"flags": "numbers"}), "line 3: flags is 'numbers', not a list"),
    ("flag.jsonl", jsonl({"flags": [{"code": 3}]}), "line 3: a flag code is 3, not a string"),
    ("lang.jsonl", jsonl({"tgt_lang": ""}), "line 3: tgt_lang '' is not a language code"),
    ("not-utf8.jsonl", jsonl() + b'{"type": "document", "doc_id": "\xff"}\n', "line 4: not UTF-8"),
    (
        "count.jsonl",
        jsonl(document={"sentences": 2}),
        "line 2: document 'd' announces 2 sentence(s) but 1 follow",
    ),
    ("run.jsonl", jsonl(run={**RUN, "beam": "x"}), "line 1: the run signature's beam is 'x'"),
    ("run-list.jsonl", jsonl(run=[1]), "line 1: the run signature is a list, not a JSON object"),
    (
        "run-extra.jsonl",
        jsonl(run={**RUN, "extra": [["a"]]}),
        "line 1: the run signature's extra is not a list of pairs",
    ),
    ("type.jsonl", jsonl({"type": "other"}), "line 3: unknown record type 'other'"),
    # TSV
    (
        "cells.tsv",
        (TSV_HEAD + "d\t0\t0\t0\t6\tСәлем.\tHello.\t-0.5\n").encode(),
        "line 3: 8 cells, not 9",
    ),
    (
        "offset.tsv",
        (TSV_HEAD + "d\t0\t0\tx\t6\tСәлем.\tHello.\t-0.5\t\n").encode(),
        "line 3: start is 'x', not a whole number",
    ),
    (
        "score.tsv",
        (TSV_HEAD + "d\t0\t0\t0\t6\tСәлем.\tHello.\tinf\t\n").encode(),
        "line 3: score is 'inf', not a number",
    ),
    ("utf8.tsv", (TSV_HEAD + "d\t0\t0\t0\t6\t").encode() + b"\xc3\t\t\t\n", "line 3: not UTF-8"),
    ("header.tsv", b"#signature=x\ndoc_id\tsource\n", "line 2: the header row is not"),
]


@pytest.mark.parametrize(
    ("name", "content", "message"), BAD_RESULTS, ids=[b[0] for b in BAD_RESULTS]
)
def test_odd_result_files_are_refused_with_where_and_what(tmp_path, name, content, message):
    p = tmp_path / name
    p.write_bytes(content)
    with pytest.raises(InputError) as err:
        read_results(p)
    text = str(err.value)
    assert text.startswith(f"{p}: not a valid result file (")
    assert message in text
    assert "\n" not in text and len(text) < 400
    text.encode("utf-8")  # printable: no lone surrogate in the message


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty"),
        (b"  \n\n", "is empty"),
        (b"\x00" * 64, "looks like a binary file"),
        (b"hello", "not a result file"),
    ],
)
def test_empty_and_binary_files(tmp_path, content, message):
    p = tmp_path / "r.jsonl"
    p.write_bytes(content)
    with pytest.raises(InputError, match=message) as err:
        read_results(p)
    assert str(err.value).startswith(f"{p}: ")
    with pytest.raises(InputError, match="is a directory"):
        read_results(tmp_path)


def test_entities_are_refused_before_any_expansion(tmp_path, monkeypatch):
    """A billion laughs of 10**30 characters would never finish; refused at once."""
    import xml.etree.ElementTree as ET

    deep = "".join(
        f'<!ENTITY e{i} "&e{i - 1};&e{i - 1};&e{i - 1};&e{i - 1};">' for i in range(1, 50)
    )
    p = tmp_path / "bomb.tmx"
    p.write_bytes(
        tmx("<tu><tuv><seg>&e49;</seg></tuv></tu>", f'<!DOCTYPE tmx [<!ENTITY e0 "x">{deep}]>')
    )
    monkeypatch.setattr(ET, "fromstring", lambda *a: pytest.fail("parsed past the DOCTYPE"))
    with pytest.raises(InputError, match="entity 'e0'; entities are never expanded"):
        read_results(p)


def test_our_own_tmx_doctype_is_still_read(tmp_path):
    p = tmp_path / "ok.tmx"
    p.write_bytes(tmx(f"<tu>{TUV_KK}{TUV_EN}</tu>", '<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n'))
    _, docs = read_results(p)
    assert [(r.source, r.translation) for r in docs[0].records] == [("Сәлем.", "Hello.")]


def test_every_segment_of_a_multi_segment_xliff_unit_is_read(tmp_path):
    """A CAT tool may split a unit into segments (with ignorable whitespace
    between): the unit stays one record, its sources and targets joined."""
    p = tmp_path / "split.xlf"
    p.write_bytes(
        xliff2(
            '<unit id="u0"><notes><note category="translate:position">0 0 0 15</note></notes>'
            "<segment><source>Бір.</source><target>One.</target></segment>"
            "<ignorable><source> </source></ignorable>"
            '<segment state="translated"><source>Екі сөз.</source><target>Two words.</target>'
            "</segment></unit>"
            '<unit id="u1"><segment><source>Үш.</source></segment>'
            "<segment><source>Төрт.</source></segment></unit>"
        )
    )
    _, [doc] = read_results(p)
    one, two = doc.records
    assert (one.source, one.translation, one.end) == ("Бір. Екі сөз.", "One. Two words.", 15)
    # untranslated; no position note to say the segments were trimmed: a space
    # goes back where neither side has one (a CAT tool trimmed it)
    assert (two.source, two.translation, two.index) == ("Үш. Төрт.", "", 1)


def test_a_score_at_the_edge_is_kept(tmp_path):
    """1.0 (a perfect alignment confidence) and very low log-probabilities are scores."""
    for score in (1.0, 0, -99.5):
        p = tmp_path / "edge.jsonl"
        p.write_bytes(jsonl({"score": score}))
        assert read_results(p)[1][0].records[0].score == score


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("tu.tmx", tmx("<tu></tu>"), "tu 1: 0 tuv"),
        ("deep.jsonl", jsonl(raw_sentence="[" * 100_000 + "]" * 100_000), "nested too deeply"),
        ("laughs.tmx", tmx(f"<tu>{TUV_KK}{TUV_EN}</tu>", BILLION_LAUGHS), "XML entity"),
        (
            "surrogate.jsonl",
            jsonl(raw_sentence=json.dumps({**SENTENCE, "source": "\ud800"})),
            "lone surrogate",
        ),
        ("nul.jsonl", b"\x00" * 10, "binary"),
    ],
)
def test_convert_and_review_say_what_is_wrong(tmp_path, capsys, name, content, message):
    bad = tmp_path / name
    bad.write_bytes(content)
    for argv in (
        ["convert", str(bad), "--to", "jsonl"],
        ["review", str(bad), "-o", str(tmp_path / "p.html")],
    ):
        assert main(argv) == 1
        err = capsys.readouterr().err
        assert err.startswith(f"translate: error: {bad}: ") and message in err
        assert "Traceback" not in err and err.count("\n") == 1
    assert not (tmp_path / "p.html").exists()


# --------------------------------------------------------------------------------------------
# The translation memory (translate batch: OUT_DIR/cache.sqlite or --cache PATH)
# --------------------------------------------------------------------------------------------


class EchoTranslator(Translator):
    backend = "fake"

    def __init__(self):
        self.calls: list[list[str]] = []

    def translate(self, texts, src, tgt):
        self.calls.append(list(texts))
        return [Translation(t.upper(), -0.1, (Flag("numbers", "n"),)) for t in texts]

    def describe(self):
        return {"model": "echo", "backend": "fake", "beam": 1}


def test_a_file_that_is_not_a_database(tmp_path):
    p = tmp_path / "cache.sqlite"
    p.write_bytes(b"not a database, a text file " * 100)
    with pytest.raises(InputError, match="not a translation memory") as err:
        TranslationCache(p)
    assert str(err.value).startswith(f"{p}: ") and "--no-cache" in str(err.value)
    assert "remove the file" in str(err.value)


def test_a_directory_and_an_unwritable_place(tmp_path):
    (tmp_path / "cache.sqlite").mkdir()
    with pytest.raises(InputError, match="is a directory") as err:
        TranslationCache(tmp_path / "cache.sqlite")
    assert "--no-cache" in str(err.value)
    (tmp_path / "file").write_text("x")
    with pytest.raises(OutputError, match="cannot be created") as err:
        TranslationCache(tmp_path / "file" / "cache.sqlite")
    assert str(err.value).startswith(f"{tmp_path / 'file' / 'cache.sqlite'}: ")


def test_another_programs_database_is_not_written_into(tmp_path):
    p = tmp_path / "app.db"
    db = sqlite3.connect(p)
    db.execute("CREATE TABLE users (name TEXT)")
    db.commit()
    db.close()
    with pytest.raises(InputError, match="another program"):
        TranslationCache(p)
    db = sqlite3.connect(p)
    assert [r[0] for r in db.execute("SELECT name FROM sqlite_master")] == ["users"]
    db.execute("CREATE TABLE tm (key TEXT, other TEXT)")
    db.commit()
    db.close()
    with pytest.raises(InputError, match="has columns key, other"):
        TranslationCache(p)


def test_a_damaged_database(tmp_path):
    p = tmp_path / "cache.sqlite"
    cache = TranslationCache(p)
    cache.put_many([(f"k{i}", Translation("x" * 300, -0.1)) for i in range(500)])
    cache.close()
    data = bytearray(p.read_bytes())
    data[4096 * 2 : 4096 * 6] = b"\xa5" * (4096 * 4)  # pages of the table and its index
    p.write_bytes(bytes(data))
    with pytest.raises(InputError, match="damaged|not a translation memory") as err:
        cache = TranslationCache(p)
        cache.get_many([f"k{i}" for i in range(500)])
    assert str(err.value).startswith(f"{p}: ") and "--no-cache" in str(err.value)


def test_disk_full_and_read_only(tmp_path):
    cache = TranslationCache(tmp_path / "cache.sqlite")
    cache.db.execute("PRAGMA max_page_count = 8")  # a disk that fills up
    with pytest.raises(OutputError, match="the disk is full") as err:
        cache.put_many([(f"k{i}", Translation("x" * 2000, -0.1)) for i in range(100)])
    assert str(err.value).startswith(f"{tmp_path / 'cache.sqlite'}: ")
    cache.db.execute("PRAGMA query_only = 1")  # a file it may no longer write
    with pytest.raises(OutputError, match="cannot be opened or written"):
        cache.put_many([("k", Translation("x", -0.1))])
    cache.close()


def test_a_garbled_row_is_a_miss_translated_again(tmp_path, caplog):
    p = tmp_path / "cache.sqlite"
    inner = EchoTranslator()
    tr = CachedTranslator(inner, TranslationCache(p))
    texts = ["бір", "екі", "үш", "төрт", "бес"]
    first = tr.translate(texts, "kk", "en")
    keys = [tr.key(t, "kk", "en") for t in texts]
    db = tr.cache.db
    db.execute("UPDATE tm SET flags = '{not json' WHERE key = ?", (keys[0],))
    db.execute("UPDATE tm SET translation = CAST('x' AS BLOB) WHERE key = ?", (keys[1],))
    db.execute("UPDATE tm SET translation = X'C3FF' WHERE key = ?", (keys[2],))  # not UTF-8
    db.execute("UPDATE tm SET pieces = 'many' WHERE key = ?", (keys[3],))
    db.commit()
    inner.calls.clear()
    with caplog.at_level(logging.WARNING, logger="translate"):
        again = tr.translate(texts, "kk", "en")
    assert again == first  # recomputed, never a wrong translation
    assert inner.calls == [texts[:4]]
    assert tr.cache.garbled == 4
    warnings = [r for r in caplog.records if "garbled" in r.getMessage()]
    assert len(warnings) == 1 and str(p) in warnings[0].getMessage()
    inner.calls.clear()
    assert tr.translate(texts, "kk", "en") == first and inner.calls == []  # rows replaced
    tr.cache.close()


# --------------------------------------------------------------------------------------------
# The batch manifest
# --------------------------------------------------------------------------------------------

HEADER = {"type": "header", "signature": "sig", "formats": ["jsonl"], "options": {}}


def article(art_id, status="ok", outputs=None):
    return {
        "type": "article",
        "id": art_id,
        "status": status,
        "outputs": outputs or [f"{art_id}.jsonl"],
    }


def test_damaged_manifest_lines_are_skipped_with_one_warning(tmp_path, caplog):
    p = tmp_path / "manifest.jsonl"
    good = [article("a"), article("b", "failed", []), article("ж/ә")]
    lines = [json.dumps(HEADER).encode(), json.dumps(good[0]).encode()]
    lines.append(json.dumps(article("cut"), ensure_ascii=False).encode()[:-1] + "ә".encode()[:1])
    lines.append(b"\x00\x01\x02\xff binary")
    lines.append(b"[1, 2, 3]")
    lines.append(b"[" * 100_000)
    lines.append(json.dumps({"type": "article", "id": "x", "outputs": []}).encode())  # no status
    lines.append(json.dumps({"type": "article", "status": "ok", "outputs": []}).encode())  # no id
    lines.append(json.dumps({"type": "article", "id": "y", "status": "ok"}).encode())  # no outputs
    lines.append(json.dumps({**article("z"), "outputs": "z.jsonl"}).encode())
    lines.append(json.dumps({**article("z"), "id": 5}).encode())
    lines.append(json.dumps(article("up", outputs=["../../etc/passwd"])).encode())
    lines.append(json.dumps(article("abs", outputs=["/etc/passwd"])).encode())
    lines.append(json.dumps(good[1]).encode())
    lines.append(json.dumps(HEADER).encode())  # a second header
    lines.append(json.dumps(good[2], ensure_ascii=False).encode())
    p.write_bytes(b"\n".join(lines) + b"\n")
    with caplog.at_level(logging.WARNING, logger="translate"):
        header, entries = read_manifest(p)
        read_manifest(p)  # read again (translate serve polls): no second warning
    assert header == HEADER
    assert entries == {g["id"]: g for g in good}
    warnings = [r.getMessage() for r in caplog.records]
    assert len(warnings) == 1 and str(p) in warnings[0]
    assert "12 damaged line(s) skipped" in warnings[0] and "line 3" in warnings[0]


@pytest.mark.parametrize(
    "first",
    [
        None,  # no header line: the first line is an article
        b"",
        b'{"type": "head',
        b"\xff\xfe garbage",
        json.dumps({"type": "header", "formats": ["jsonl"]}).encode(),  # no signature
    ],
    ids=["missing", "empty", "cut", "binary", "no-signature"],
)
def test_a_manifest_without_a_valid_header_is_told_from_no_manifest(tmp_path, first):
    p = tmp_path / "manifest.jsonl"
    assert read_manifest(p) == (None, {}) and not p.exists()  # no manifest
    body = json.dumps(article("a")).encode() + b"\n"
    p.write_bytes(body if first is None else first + b"\n" + body)
    header, entries = read_manifest(p)
    assert header is None and p.is_file()  # told from no manifest: run_batch refuses it
    assert list(entries) == ["a"]
    p.write_bytes(b"")
    assert read_manifest(p) == (None, {})


def test_a_manifest_that_is_a_directory(tmp_path):
    (tmp_path / "manifest.jsonl").mkdir()
    with pytest.raises(OutputError, match="is a directory"):
        read_manifest(tmp_path / "manifest.jsonl")


def test_append_after_a_half_written_line_starts_a_new_line(tmp_path):
    p = tmp_path / "manifest.jsonl"
    append_line(p, HEADER)
    with open(p, "ab") as f:
        f.write(json.dumps(article("cut")).encode()[:20])  # a crash mid-line
    append_line(p, article("next"))
    append_line(p, article("\udcff-name"))  # a path that was not UTF-8 still gets its line
    lines = p.read_bytes().split(b"\n")
    assert len(lines) == 5 and lines[-1] == b""
    header, entries = read_manifest(p)
    assert header == HEADER and list(entries) == ["next", "\udcff-name"]


# --------------------------------------------------------------------------------------------
# Batch JSONL input: one bad line fails one article, the job goes on
# --------------------------------------------------------------------------------------------


def test_bad_jsonl_input_lines_fail_alone(tmp_path):
    src = tmp_path / "articles.jsonl"
    lines = [
        json.dumps({"id": "ok", "text": "Бірінші мақала."}, ensure_ascii=False).encode(),
        b'{"id": "deep", "text": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
        json.dumps({"id": "s\ud800", "text": "Екінші."}).encode(),
        json.dumps({"id": "t", "text": "Үшінші \udfff."}).encode(),
        b'{"id": "latin1", "text": "caf\xe9"}',
        json.dumps({"id": 7, "text": "Нөмір."}, ensure_ascii=False).encode(),
        json.dumps({"id": ["x"], "text": "Тізім."}, ensure_ascii=False).encode(),
        json.dumps({"id": "a b", "text": "Бір."}, ensure_ascii=False).encode(),
        json.dumps({"id": "a:b", "text": "Екі."}, ensure_ascii=False).encode(),
        json.dumps({"id": "last", "text": "Соңғы."}, ensure_ascii=False).encode(),
    ]
    src.write_bytes(b"\n".join(lines) + b"\n")
    arts = list_articles(str(src))
    errors = {a.id: a.error for a in arts}
    assert errors["ok"] is None and errors["7"] is None and errors["a_b"] is None
    assert errors["last"] is None
    assert errors["line-2"].endswith("not an article (JSON nested too deeply)")
    assert "'id' holds a lone surrogate (\\ud800)" in errors["line-3"]
    assert "'text' holds a lone surrogate (\\udfff)" in errors["line-4"]
    assert "not UTF-8 at byte 30" in errors["line-5"]
    assert "'id' is not a string" in errors["line-7"]
    assert errors["a_b-line-9"].endswith("duplicate id 'a:b'")
    for a in arts:
        assert a.error is None or a.error.startswith(f"{src}:")
        a.error is None or a.error.encode("utf-8")  # fits in the manifest
        if a.error:
            with pytest.raises(InputError):
                read_one(a, None, str(src))
    assert read_one(arts[-1], None, str(src)).text == "Соңғы."


# --------------------------------------------------------------------------------------------
# A model's generation_config.json
# --------------------------------------------------------------------------------------------

GOOD_GENERATION = {
    "decoder_start_token_id": 2,
    "eos_token_id": [2, 3],
    "max_length": 200,
    "num_beams": 4,
}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "generation_config.json is not valid JSON"),
        ("[" * 100_000, "generation_config.json is not valid JSON"),
        ("[1, 2]", "generation_config.json is not a JSON object"),
        ({"max_length": -5}, "max_length is -5, not a whole number >= 1"),
        ({"num_beams": "x"}, 'num_beams is "x", not a whole number >= 1'),
        ({"num_beams": 2.5}, "num_beams is 2.5"),
        ({"max_new_tokens": 0}, "max_new_tokens is 0, not a whole number >= 1"),
        ({"min_length": 10, "max_length": 5}, "min_length 10 is above max_length 5"),
        ({"repetition_penalty": -1}, "repetition_penalty is -1, not a number > 0"),
        ({"top_p": 2}, "top_p is 2, not a number >= 0 and <= 1"),
        ({"do_sample": "yes"}, "do_sample is"),
        ({"early_stopping": "sometimes"}, "early_stopping is"),
        ({"eos_token_id": "x"}, "eos_token_id is"),
        ({"forced_bos_token_id": -1}, "forced_bos_token_id is -1"),
        ({"eos_token_id": []}, "eos_token_id is []"),
    ],
)
def test_impossible_generation_config_is_refused_at_load(tmp_path, content, message):
    d = tmp_path / "model"
    d.mkdir()
    (d / "config.json").write_text("{}")
    (d / "model.safetensors").write_bytes(b"")
    text = content if isinstance(content, str) else json.dumps({**GOOD_GENERATION, **content})
    (d / "generation_config.json").write_text(text)
    with pytest.raises(ModelError) as err:
        check_model_dir(d, allow_pickle=False)
    assert str(err.value).startswith(f"{d}: generation_config.json")
    assert message in str(err.value) and "\n" not in str(err.value)


def test_usual_generation_configs_pass(tmp_path):
    configs = [
        GOOD_GENERATION,
        {
            "bad_words_ids": [[58100]],
            "bos_token_id": 0,
            "decoder_start_token_id": 58100,
            "eos_token_id": 0,
            "forced_eos_token_id": 0,
            "max_length": 512,
            "num_beams": 4,
            "pad_token_id": 58100,
            "renormalize_logits": True,
        },
        {
            "decoder_start_token_id": 0,
            "eos_token_id": 1,
            "pad_token_id": 0,
            "max_length": None,
            "temperature": None,
            "top_p": 1.0,
            "length_penalty": -0.5,
            "early_stopping": "never",
        },
        {},
    ]
    for cfg in configs:
        (tmp_path / "generation_config.json").write_text(json.dumps(cfg))
        check_generation_config(tmp_path / "generation_config.json")
    check_generation_config(tmp_path / "missing" / "generation_config.json")


def test_a_hub_models_cached_generation_config_is_checked(tmp_path, monkeypatch):
    import huggingface_hub

    from translate.mt.backends import hf

    snapshot = tmp_path / "snapshots" / "abc"
    snapshot.mkdir(parents=True)
    (snapshot / "generation_config.json").write_text('{"num_beams": 0}')
    seen = []

    def cached(repo, name, revision=None):
        seen.append((repo, name, revision))
        return str(snapshot / name)

    monkeypatch.setattr(huggingface_hub, "try_to_load_from_cache", cached)
    model = type("Model", (), {"location": "org/model", "revision": "main"})()
    with pytest.raises(ModelError, match=f"^{snapshot}: generation_config.json: num_beams is 0"):
        hf._hub_generation_config(model)
    assert seen == [("org/model", "generation_config.json", "main")]
    monkeypatch.setattr(huggingface_hub, "try_to_load_from_cache", lambda *a, **k: None)
    hf._hub_generation_config(model)  # not cached: nothing to check yet


SQLITE_ERRORS = [
    ("SQLITE_NOTADB", "InputError", "not a translation memory", "remove the file"),
    ("SQLITE_CORRUPT_INDEX", "InputError", "the translation memory is damaged", "--no-cache"),
    ("SQLITE_FULL", "OutputError", "the disk is full", "free some space, or pass --no-cache"),
    ("SQLITE_BUSY", "OutputError", "locked by another process", "--cache with another file"),
    ("SQLITE_LOCKED", "OutputError", "locked by another process", "wait for it"),
    ("SQLITE_READONLY", "OutputError", "cannot be opened or written", "somewhere writable"),
    ("SQLITE_CANTOPEN", "OutputError", "cannot be opened or written", "--cache PATH"),
    ("SQLITE_IOERR_WRITE", "OutputError", "cannot be opened or written", "--no-cache"),
    ("SQLITE_PERM", "OutputError", "cannot be opened or written", "--no-cache"),
    ("SQLITE_AUTH", "OutputError", "cannot be opened or written", "--no-cache"),
    ("SQLITE_MISUSE", "OutputError", "translation memory error", "remove the file"),
    ("", "OutputError", "translation memory error", "or pass --no-cache"),
]


@pytest.mark.parametrize("name, kind, what, advice", SQLITE_ERRORS)
def test_each_sqlite_failure_says_what_it_means_and_what_to_do(tmp_path, name, kind, what, advice):
    """One line naming the file, what the failure means, SQLite's own words
    and what to do; the error class decides the exit code."""
    import sqlite3

    from translate.mt.cache import TranslationCache

    cache = TranslationCache(tmp_path / "tm.sqlite")
    exc = sqlite3.OperationalError("it went\n  wrong")
    exc.sqlite_errorname = name
    err = cache.error(exc)
    cache.close()
    message = str(err)
    assert type(err).__name__ == kind
    assert message.startswith(f"{tmp_path / 'tm.sqlite'}: ") and "\n" not in message
    assert what in message and advice in message and "(SQLite: it went wrong)" in message


def test_a_garbled_memory_entry_is_reported_once_and_counted(tmp_path, caplog):
    import logging

    from translate.mt.cache import TranslationCache

    caplog.set_level(logging.WARNING, logger="translate")
    cache = TranslationCache(tmp_path / "tm.sqlite")
    cache._garbled("0123456789abcdef")
    cache._garbled(None)
    cache.close()
    assert cache.garbled == 2
    (warning,) = [r.getMessage() for r in caplog.records]
    assert "garbled entry" in warning and "(key 0123456789ab...)" in warning
    assert str(tmp_path / "tm.sqlite") in warning


ROWS = [
    # (translation, score, flags, pieces) as stored; what comes back, or None: garbled
    ("Hello.", None, "[]", 1, ("Hello.", None, (), 1)),
    ("Hello.", 0, "[]", 1, ("Hello.", 0.0, (), 1)),
    ("Hello.", -0.5, '[["split", "why"]]', 2, ("Hello.", -0.5, (("split", "why"),), 2)),
    ("Hello.", float("inf"), "[]", 1, None),
    ("Hello.", -0.5, "[]", 0, None),
    ("Hello.", -0.5, "[]", "one", None),
    ("Hello.", -0.5, '[["split"]]', 1, None),
    ("Hello.", -0.5, "[[1, 2]]", 1, None),
    ("Hello.", -0.5, '{"a": 1}', 1, None),
    ("Hello.", -0.5, b"[]", 1, None),
    (b"Hello.", -0.5, "[]", 1, None),
    ("Hello.", "high", "[]", 1, None),
]


@pytest.mark.parametrize("translation, score, flags, pieces, expected", ROWS)
def test_each_kind_of_stored_row_is_read_or_recomputed(
    tmp_path, caplog, translation, score, flags, pieces, expected
):
    """A memory row of the wrong type or shape is a miss (translated again,
    one warning naming its key), never an error or a wrong translation."""
    import logging
    import sqlite3

    from translate.mt.cache import TranslationCache

    path = tmp_path / "tm.sqlite"
    TranslationCache(path).close()  # the schema
    db = sqlite3.connect(path)
    db.execute(
        "INSERT INTO tm VALUES (?, ?, ?, ?, ?)", ("k" * 64, translation, score, flags, pieces)
    )
    db.commit()
    db.close()
    caplog.set_level(logging.WARNING, logger="translate")
    cache = TranslationCache(path)
    found = cache.get_many(["k" * 64])
    cache.close()
    if expected is None:
        assert found == {} and cache.garbled == 1
        (warning,) = [r.getMessage() for r in caplog.records]
        assert "(key kkkkkkkkkkkk...)" in warning
    else:
        t = found["k" * 64]
        assert (t.text, t.score, tuple((f.code, f.reason) for f in t.flags), t.pieces) == expected
        assert cache.garbled == 0


def test_the_memory_folder_is_created_and_counts_add_up(tmp_path):
    from translate.mt.cache import CachedTranslator, TranslationCache

    class Echo(Translator):
        backend = "echo"

        def translate(self, texts, src, tgt):
            return [Translation(t.upper(), -0.1) for t in texts]

        def describe(self):
            return {"model": "echo", "backend": "echo"}

    cache = TranslationCache(tmp_path / "a" / "b" / "tm.sqlite")  # folders made
    tr = CachedTranslator(Echo(), cache)
    assert tr.backend == "echo"
    tr.translate(["бір", "екі"], "kk", "en")
    tr.translate(["бір", "үш"], "kk", "en")
    cache.close()
    assert (tr.lookups, tr.hits) == (4, 1)
