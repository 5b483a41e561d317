"""The CLI, run as users run it, on the seed article and tiny local models."""

import json
import os
import subprocess
import sys

import pytest
from conftest import ROOT, SEED, SEED_LAYOUT

from translate.cli import main

FAST = ["--beam", "1", "--max-output-tokens", "16", "-q"]


def run_cli(args, capsys):
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def jsonl_sentences(text):
    lines = [json.loads(line) for line in text.splitlines()]
    assert lines[0]["type"] == "header"
    return lines, [x for x in lines if x["type"] == "sentence"]


@pytest.mark.parametrize("family", ["tiny_nllb", "tiny_marian"])
def test_seed_to_jsonl(family, request, capsys, seed_text):
    model = request.getfixturevalue(family)
    code, out, err = run_cli(["run", str(SEED), "--model", str(model), *FAST], capsys)
    assert code == 0, err
    lines, sents = jsonl_sentences(out)
    assert len(sents) == 16
    assert [s["index"] for s in sents] == list(range(16))
    per_para = [sum(1 for s in sents if s["paragraph"] == p) for p in range(len(SEED_LAYOUT))]
    assert per_para == SEED_LAYOUT
    for s in sents:
        assert seed_text.lstrip("\ufeff")[s["start"] : s["end"]] == s["source"]
        assert isinstance(s["translation"], str)
    doc = lines[1]
    assert doc["type"] == "document" and doc["date"] == "2026-02-23"
    assert sents[0]["source"] == "ЕЛДЕСТІРМЕК – ЕЛШІДЕН!"  # the date is metadata, not a sentence
    assert str(model) in lines[0]["signature"] and "seg:" in lines[0]["signature"]


@pytest.mark.parametrize("family", ["tiny_nllb", "tiny_marian"])
def test_seed_to_tsv_and_moses(family, request, capsys, tmp_path):
    model = request.getfixturevalue(family)
    out_tsv = tmp_path / "seed.tsv"
    code, _, err = run_cli(
        ["run", str(SEED), "--model", str(model), "--to", "tsv", "-o", str(out_tsv), *FAST], capsys
    )
    assert code == 0, err
    rows = out_tsv.read_text("utf-8").splitlines()
    assert rows[0].split("\t")[:3] == ["doc_id", "paragraph", "index"]
    assert rows[-1].startswith("#signature=translate:")  # last: the header row comes first
    assert len(rows) == 2 + 16
    assert all(len(r.split("\t")) == 12 for r in rows[:-1])

    base = tmp_path / "seed"
    code, _, err = run_cli(
        ["run", str(SEED), "--model", str(model), "--to", "moses", "-o", str(base), *FAST], capsys
    )
    assert code == 0, err
    kk = (tmp_path / "seed.kk").read_text("utf-8").splitlines()
    en = (tmp_path / "seed.en").read_text("utf-8").splitlines()
    info = json.loads((tmp_path / "seed.info.json").read_text("utf-8"))
    assert len(kk) == len(en) == len(info["lines"]) == 16
    assert kk[0] == "ЕЛДЕСТІРМЕК – ЕЛШІДЕН!"
    assert not list(tmp_path.glob("*.part"))


@pytest.mark.parametrize("fmt", ["tmx", "xliff", "xliff12", "html"])
def test_seed_to_review_formats(fmt, tiny_marian, capsys, tmp_path):
    from translate.formats import read_results

    out = tmp_path / f"seed.{fmt}"
    code, _, err = run_cli(
        ["run", str(SEED), "--model", str(tiny_marian), "--to", fmt, "-o", str(out), *FAST], capsys
    )
    assert code == 0, err
    if fmt == "html":
        assert out.read_text("utf-8").count('<tr class="pair') == 16
    else:
        _, docs = read_results(out)
        assert [len(d.records) for d in docs] == [16]


def test_summary_line(tiny_nllb, capsys):
    code, _, err = run_cli(
        ["run", str(SEED), "--model", str(tiny_nllb), "--beam", "1", "--max-output-tokens", "4"],
        capsys,
    )
    assert code == 0
    assert "done: 1 document(s), 16 sentence(s), 16 flagged (" in err and "truncated 16" in err


def test_stdin_en_to_kk(tiny_marian_en_trk, capsys, monkeypatch):
    import io

    text = "The governor met the ambassador. They discussed trade.\nA new school opened.\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode())))
    code, out, err = run_cli(
        ["run", "--src", "en", "--model", str(tiny_marian_en_trk), *FAST], capsys
    )
    assert code == 0, err
    _, sents = jsonl_sentences(out)
    assert [s["source"] for s in sents] == [
        "The governor met the ambassador.",
        "They discussed trade.",
        "A new school opened.",
    ]
    assert all(s["src_lang"] == "en" and s["tgt_lang"] == "kk" for s in sents)


def test_two_inputs_one_output(tiny_nllb, capsys, tmp_path):
    other = tmp_path / "other.txt"
    other.write_text("Бірінші сөйлем. Екінші сөйлем.\n", "utf-8")
    code, out, err = run_cli(
        ["run", str(SEED), str(other), "--model", str(tiny_nllb), *FAST], capsys
    )
    assert code == 0, err
    lines, sents = jsonl_sentences(out)
    assert [x["doc_id"] for x in lines if x["type"] == "document"] == [
        "akmola-iran-2026-02-23",
        "other",
    ]
    assert len(sents) == 18


def test_moses_refuses_existing_file_and_leaves_nothing(tiny_nllb, capsys, tmp_path):
    (tmp_path / "seed.en").write_text("keep me")
    code, _, err = run_cli(
        [
            "run",
            str(SEED),
            "--model",
            str(tiny_nllb),
            "--to",
            "moses",
            "-o",
            str(tmp_path / "seed"),
            *FAST,
        ],
        capsys,
    )
    assert code == 1 and "--overwrite" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["seed.en"]


def test_existing_output_not_overwritten(tiny_nllb, capsys, tmp_path):
    out = tmp_path / "out.jsonl"
    out.write_text("keep me")
    code, _, err = run_cli(
        ["run", str(SEED), "--model", str(tiny_nllb), "-o", str(out), *FAST], capsys
    )
    assert code == 1 and "--overwrite" in err
    assert out.read_text() == "keep me"


@pytest.mark.parametrize(
    "args, message",
    [
        (["run", "/nonexistent/article.txt"], "no such file"),
        (["run", str(SEED), "--model", "/nonexistent/model"], "does not exist"),
        (["run", str(SEED), "--model", str(ROOT / "tests")], "holds no model"),
        (["run", str(SEED), "--model", "no-such-model"], "unknown model"),
        (["segment", str(SEED), "--lang", "de"], "supported: kk, en"),
    ],
)
def test_errors_are_messages(args, message, capsys):
    code, _, err = run_cli(args, capsys)
    assert code in (1, 2)
    assert message in err and "Traceback" not in err


def test_bad_language_lists_choices(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["run", str(SEED), "--src", "de"])
    assert exc.value.code == 2
    assert "choose from 'kk', 'en'" in capsys.readouterr().err


def test_bad_input_files(tmp_path, capsys):
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n\n")
    binary = tmp_path / "bin.txt"
    binary.write_bytes(b"\x00\x01\x02PK\x03\x04")
    latin1 = tmp_path / "l1.txt"
    latin1.write_bytes("Сәлем әлем, бұл мәтін.".encode() + b"\xff\xfe\xfa")
    for f, msg in [(empty, "empty"), (binary, "binary"), (latin1, "invalid byte")]:
        code, _, err = run_cli(["run", str(f), "--model", "unused"], capsys)
        assert code == 1 and msg in err, err


def _offline(args: list[str], tmp_path) -> subprocess.CompletedProcess:
    """``python -m translate ARGS`` with the hub out of reach and an empty cache."""
    env = dict(os.environ, HF_HUB_OFFLINE="1", HF_HOME=str(tmp_path / "hf"))
    return subprocess.run(
        [sys.executable, "-m", "translate", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )


def test_offline_hub_model_says_what_to_do(tmp_path):
    p = _offline(["run", str(SEED)], tmp_path)
    assert p.returncode == 1
    assert "Traceback" not in p.stderr
    assert "facebook/nllb-200-distilled-600M" in p.stderr
    assert "translate models fetch nllb-200-distilled-600M" in p.stderr
    assert "--model" in p.stderr and "HF_HUB_OFFLINE is set" in p.stderr
    assert str(tmp_path / "hf") in p.stderr  # the cache it looked in, not "set HF_HUB_OFFLINE=1"
    assert "set HF_HUB_OFFLINE=1" not in p.stderr


def test_offline_convert_says_what_to_do(tmp_path):
    out = tmp_path / "models"
    p = _offline(["models", "convert", "nllb-200-distilled-600M", "-o", str(out)], tmp_path)
    assert p.returncode == 1
    assert "Traceback" not in p.stderr
    assert "translate models fetch nllb-200-distilled-600M" in p.stderr
    assert "translate models convert /path/to/model" in p.stderr
    assert not out.exists() or not any(out.iterdir())


def test_import_does_not_load_torch():
    code = "import sys, translate; translate.segment('Сәлем.'); print('torch' in sys.modules)"
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert p.stdout.strip() == "False", p.stderr


def test_models_list(capsys):
    code, out, _ = run_cli(["models", "list"], capsys)
    assert code == 0
    for name in [
        "nllb-200-distilled-600M (default)",
        "nllb-200-distilled-1.3B",
        "nllb-200-3.3B",
        "tilmash",
        "madlad400-3b",
        "opus-mt-trk-en",
        "opus-mt-en-trk",
    ]:
        assert name in out


def test_segment_command(capsys):
    code, out, _ = run_cli(["segment", str(SEED)], capsys)
    lines = out.splitlines()  # a sentence a line, an empty line between paragraphs
    assert code == 0 and len([x for x in lines if x]) == 16 and lines.count("") == 9
    code, out, _ = run_cli(["segment", str(SEED), "--to", "jsonl"], capsys)
    recs = [json.loads(x) for x in out.splitlines()]
    assert recs[4]["paragraph"] == 4 and recs[4]["text"].startswith("– Біз")


RUSSIAN = (
    "Президент заявил, что переговоры продолжатся в понедельник. Об этом сообщает пресс-служба.\n"
)
KYRGYZ = "Бишкекте эл аралык конференция ачылды. Өкмөт жаңы программаны бекитти.\n"
TATAR = "Казанда яңа хастаханә ачылды. Шәһәр үзәгендә яңа парк төзелә.\n"


@pytest.mark.parametrize(
    "text, family, hint",
    [
        (
            "The governor met the ambassador on Monday. They discussed trade and roads.\n",
            "tiny_nllb",
            "most sentences look like English (use --src en, or --src auto)",
        ),
        (RUSSIAN, "tiny_nllb", "look like Russian (this tool is for Kazakh and English: the model"),
        (KYRGYZ, "tiny_nllb", "look like Kyrgyz (this tool is for Kazakh and English: the model"),
        (KYRGYZ, "tiny_marian", "look like Kyrgyz (this tool translates Kazakh and English only"),
        # an OPUS-MT Turkic model cannot read Russian
        (RUSSIAN, "tiny_marian", "look like Russian (this tool translates Kazakh and English only"),
    ],
)
def test_article_in_another_language_is_named(text, family, hint, request, capsys, tmp_path):
    model = request.getfixturevalue(family)
    src = tmp_path / "article.txt"
    src.write_text(text, encoding="utf-8")
    args = ["run", str(src), "--model", str(model), "--beam", "1", "--max-output-tokens", "8"]
    code, out, err = run_cli(args, capsys)
    assert code == 0, err
    assert hint in err
    _, sents = jsonl_sentences(out)
    assert len(sents) == 2 and all(any(f["code"] == "language" for f in s["flags"]) for s in sents)


@pytest.mark.parametrize(
    "other, code, name",
    [(RUSSIAN, "ru", "Russian"), (KYRGYZ, "ky", "Kyrgyz"), (TATAR, "tt", "Tatar")],
)
def test_neighbour_sentences_of_a_kazakh_article_are_translated_from_their_language(
    tiny_nllb, other, code, name
):
    from translate.mt.backends import load_translator
    from translate.mt.registry import resolve
    from translate.mt.translator import TranslationOptions
    from translate.pipeline import translate_documents
    from translate.records import Document

    tr = load_translator(resolve(str(tiny_nllb)), TranslationOptions(beam=1, max_output_tokens=8))
    calls = []
    real = tr.translate

    def spy(texts, src, tgt):
        calls.append((src, list(texts)))
        return real(texts, src, tgt)

    tr.translate = spy
    text = "Ақмола облысының әкімі елшімен кездесті. " + other.strip() + " Олар сауданы талқылады."
    (result,) = translate_documents([Document("d", text)], tr, "kk", "en")
    middle = [r.source for r in result.records][1:3]
    assert " ".join(middle) == other.strip()
    by_src = dict(calls)
    assert by_src[code] == middle
    assert len(by_src["kk"]) == 2
    reasons = [[f.reason for f in r.flags if f.code == "language"] for r in result.records]
    assert reasons[1] == reasons[2] == [f"looks like {name}, translated from {name}"]
    assert reasons[0] == reasons[3] == []
    # what the model gives for that sentence alone, from its own language
    for r in result.records[1:3]:
        assert r.translation == real([r.source], code, "en")[0].text


def test_long_runs_report_progress(tiny_nllb, capsys, tmp_path, monkeypatch):
    from translate.cli import common

    # shown from the start and at every batch (by default after 3 s, every 10 s)
    monkeypatch.setattr(common.SentenceProgress.__init__, "__defaults__", (0.0, 0.0))
    src = tmp_path / "long.txt"
    src.write_text("Бұл бірінші сөйлем. Бұл екінші сөйлем.\nҮшінші сөйлем.\n", encoding="utf-8")
    code, _, err = run_cli(
        ["run", str(src), "--model", str(tiny_nllb), "--beam", "1", "--batch-tokens", "1"],
        capsys,
    )
    assert code == 0, err
    assert "translating: 1/3 sentences" in err and "translating: 3/3 sentences" in err
    # align --model: one translator call, whose own count is the total
    tgt = tmp_path / "long.en.txt"
    tgt.write_text("This is the first sentence. This is the second.\nThe third.\n", "utf-8")
    args = ["align", str(src), str(tgt), "-o", str(tmp_path / "a.jsonl"), "--beam", "1"]
    code, _, err = run_cli(args + ["--model", str(tiny_nllb), "--batch-tokens", "1"], capsys)
    assert code == 0, err
    assert "translating: 1/3 sentences" in err and "translating: 3/3 sentences" in err
