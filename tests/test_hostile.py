"""Hostile and broken input: only the project's own errors escape, outputs stay valid."""

import html
import io
import os
import signal
import subprocess
import sys
import threading
import time

import pytest
from conftest import ROOT, SEED, interruptible
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from translate.errors import TranslateError
from translate.formats import open_writer, read_results
from translate.formats.xml import xml_clean
from translate.records import Document, DocumentResult, Flag, Record, Signature
from translate.text.encoding import decode_article
from translate.text.normalize import DocumentWords, normalize_for_model
from translate.text.translit import LatinConventions, to_cyrillic, to_latin

SIG = Signature("0.1.0", "kkseg-1", "m", None, "transformers", 1, 8, 8, "kk", "en")
TEXT = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=80)


@settings(max_examples=200, deadline=None)
@given(TEXT, st.sampled_from(["kk", "en"]), st.sampled_from(["auto", "cyrl", "latn"]))
def test_normaliser_never_fails(text, lang, script):
    out = normalize_for_model(text, lang, script)
    assert isinstance(out.text, str)
    to_cyrillic(to_latin(text))
    for variant in ("2017", "2018"):  # their readers look ahead: i' + y', ı + a, ts + e
        to_cyrillic(text, LatinConventions(variant))
    normalize_for_model(text, lang, script, DocumentWords(text))


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_decoder_raises_only_our_errors(data):
    try:
        text, enc = decode_article(data, "x")
        assert isinstance(text, str) and enc
    except TranslateError:
        pass


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.tuples(TEXT, TEXT, st.one_of(st.none(), st.floats(-50, 0)), TEXT), min_size=1, max_size=4
    )
)
def test_every_writer_stays_well_formed(tmp_path, rows):
    recs = tuple(
        Record("d<&\"'>", 0, i, 0, len(s), s, t, sc, (Flag("x<y", r),) if r else ())
        for i, (s, t, sc, r) in enumerate(rows)
    )
    result = DocumentResult(Document("d<&\"'>", ""), recs)
    for fmt in ["jsonl", "tsv", "tmx", "xliff", "xliff12", "html"]:
        path = tmp_path / f"out.{fmt}"
        with open_writer(fmt, SIG, path) as w:
            w.write(result)
        with open(path, encoding="utf-8", newline="") as f:
            data = f.read()
        if fmt in ("tmx", "xliff", "xliff12"):
            etree.fromstring(data.encode())  # parses: escaped, no forbidden characters
            _, back = read_results(path)
            assert len(back[0].records) == len(recs)
        elif fmt == "html":
            # the page's own script, and its records as JSON (data, never run)
            assert data.count("<script") == 2 and data.count("<script>") == 1
            assert data.count('<script type="application/json" id="translate-data">') == 1
            body = data.split("<main>", 1)[1].split("</main>", 1)[0]
            assert "<script" not in body and " onerror=" not in body.lower()
            for s, _, _, _ in rows:  # every source shows, as text
                assert f">{html.escape(xml_clean(s), quote=True)}</td>" in body
        elif fmt == "jsonl":
            _, back = read_results(path)
            assert [r.source for r in back[0].records] == [r[0] for r in rows]


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.one_of(st.binary(max_size=400), TEXT.map(lambda s: ("<" + s).encode())),
    st.sampled_from([".jsonl", ".tmx", ".xlf"]),
)
def test_result_readers_raise_only_our_errors(tmp_path, data, suffix):
    p = tmp_path / f"r{suffix}"
    p.write_bytes(data)
    try:
        read_results(p)
    except TranslateError:
        pass


def test_xml_bomb_and_external_entity_do_not_expand(tmp_path):
    p = tmp_path / "bomb.tmx"
    p.write_text(
        '<?xml version="1.0"?><!DOCTYPE tmx [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">'
        '<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        '<tmx version="1.4"><header srclang="kk"/><body><tu><tuv xml:lang="kk"><seg>&c;&e;</seg></tuv>'
        '<tuv xml:lang="en"><seg>x</seg></tuv></tu></body></tmx>'
    )
    try:
        _, docs = read_results(p)
        assert "root:" not in docs[0].records[0].source
    except TranslateError:
        pass


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "empty"),
        (b"   \n\t\n", "empty"),
        (b"\x7fELF\x02\x01\x00\x00", "binary"),
    ],
)
def test_bad_files_give_messages(tmp_path, content, message):
    p = tmp_path / "in.txt"
    p.write_bytes(content)
    r = subprocess.run(
        [sys.executable, "-m", "translate", "segment", str(p)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert r.returncode == 1 and message in r.stderr and "Traceback" not in r.stderr


def test_huge_inputs_segment_without_blowing_up(tmp_path):
    from translate.text.segment import segment

    long_sentence = " ".join(["сөз"] * 5000)
    assert len(segment(long_sentence)) == 1
    paragraphs = "\n".join(["Сөз"] * 100_000)
    assert len(segment(paragraphs)) == 100_000
    line = ("Бұл сөйлем. " * 200_000)[:2_000_000]
    sents = segment(line)
    assert sents[-1].end <= len(line) and len(sents) > 100_000


def test_ctrl_c_during_run_exits_cleanly(tiny_nllb, tmp_path):
    article = tmp_path / "long.txt"
    article.write_text(SEED.read_text("utf-8") * 30, "utf-8")
    out = tmp_path / "out.jsonl"
    p = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "translate",
            "run",
            str(article),
            "--model",
            str(tiny_nllb),
            "--beam",
            "4",
            "-o",
            str(out),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=interruptible,  # noqa: PLW1509 - resets one signal, no threads involved
    )
    lines: list[str] = []
    loaded = threading.Event()

    def read_stderr():
        for line in p.stderr:
            lines.append(line)
            if "model loaded" in line:
                loaded.set()

    reader = threading.Thread(target=read_stderr, daemon=True)
    reader.start()
    assert loaded.wait(120), "".join(lines)  # the model is loaded and translating
    time.sleep(0.5)
    p.send_signal(signal.SIGINT)
    p.wait(timeout=120)
    reader.join(30)
    p.stdout.close()
    err = "".join(lines)
    assert p.returncode == 130, err
    assert "Traceback" not in err and "interrupted" in err
    assert (
        not out.exists()
        and not list(tmp_path.glob("*.part"))
        and not list(tmp_path.glob(".*.part"))
    )


def test_stdin_is_read_once(capsys, monkeypatch):
    from translate.cli import main

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"x")))
    assert main(["run", "-", "-", "--model", "x"]) == 2
    assert os.environ.get("HF_HUB_OFFLINE") in (None, "", "0", "1")
