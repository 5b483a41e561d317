"""Batch jobs: resume after kill -9, cache, failure isolation, outputs stay inside OUT_DIR."""

import functools
import json
import random
import signal
import subprocess
import sys
import time

import pytest
from conftest import ROOT, interruptible

from translate.cli import main
from translate.errors import UsageError
from translate.jobs.batch import list_articles, run_batch, safe_relpath
from translate.mt.backends import load_translator
from translate.mt.cache import CachedTranslator, TranslationCache
from translate.mt.registry import resolve
from translate.mt.translator import TranslationOptions
from translate.pipeline import make_signature

WORDS = "Ақмола облысы әкім елші кездесу сауда экономика ынтымақтастық өңір кәсіпорын жұмыс".split()


def make_articles(d, n, seed=0):
    rng = random.Random(seed)
    d.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        sents = [
            " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 9))).capitalize() + "."
            for _ in range(rng.randint(2, 6))
        ]
        sents.append("«Арқа ажарының» өз ақпараты.")  # boilerplate shared by every article
        sub = d / ("part1" if i % 2 else "part2")
        sub.mkdir(exist_ok=True)
        (sub / f"a{i:03d}.txt").write_text(" ".join(sents) + "\n", "utf-8")


FAST = ["--beam", "1", "--max-output-tokens", "6", "-q", "--to", "jsonl,tsv"]


def outputs(d):
    return {
        p.relative_to(d).as_posix(): p.read_bytes()
        for p in sorted(d.rglob("*"))
        if p.is_file() and p.suffix in (".jsonl", ".tsv") and p.name != "manifest.jsonl"
    }


# Runs the CLI and dies (no cleanup, as under kill -9) right after the N-th
# article's manifest line is written: a fixed point, not a moment in time.
KILL_AFTER = """
import functools, os, sys
import translate.jobs.batch as batch
done = []
def stop(article_id, status):
    done.append(article_id)
    if len(done) == int(sys.argv[1]):
        os._exit(137)
batch.run_batch = functools.partial(batch.run_batch, on_article=stop)
from translate.cli import main
sys.exit(main(sys.argv[2:]))
"""


def test_killed_and_resumed_equals_uninterrupted(tiny_nllb, tmp_path):
    """Killed after 4 articles, then after 11 more, then resumed to the end: the
    outputs are byte for byte those of an uninterrupted run (scores included,
    although the resumed runs batch other sentences together), and the manifest
    lists every article once as done."""
    src = tmp_path / "in"
    make_articles(src, 24)
    ref = tmp_path / "ref"
    assert main(["batch", str(src), "-o", str(ref), "--model", str(tiny_nllb), *FAST]) == 0

    out = tmp_path / "out"
    args = ["batch", str(src), "-o", str(out), "--model", str(tiny_nllb), *FAST, "--resume"]
    manifest = out / "manifest.jsonl"
    for n, expected in ((4, 4), (11, 15)):
        p = subprocess.run(
            [sys.executable, "-c", KILL_AFTER, str(n), *args],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert p.returncode == 137, p.stderr
        lines = [json.loads(x) for x in manifest.read_text().splitlines()]
        assert sum(x.get("status") == "ok" for x in lines) == expected
    p = subprocess.run(
        [sys.executable, "-m", "translate", *args], cwd=ROOT, capture_output=True, text=True
    )
    assert p.returncode == 0, p.stderr
    assert outputs(out) == outputs(ref)
    assert len(outputs(ref)) == 2 * 24
    assert not list(out.rglob("*.part"))
    lines = [json.loads(x) for x in manifest.read_text().splitlines()]
    ok = [x["id"] for x in lines if x.get("status") == "ok"]
    assert sorted(ok) == sorted(f"part{1 if i % 2 else 2}/a{i:03d}" for i in range(24))


def test_cache_hits_and_keys(tiny_nllb, tmp_path):
    cache = TranslationCache(tmp_path / "tm.sqlite")
    opts = TranslationOptions(beam=1, max_output_tokens=6)
    tr = CachedTranslator(load_translator(resolve(str(tiny_nllb)), opts), cache)
    calls = []
    real = tr.inner.translate
    tr.inner.translate = lambda texts, s, t: calls.append(list(texts)) or real(texts, s, t)
    first = tr.translate(["Бір.", "Екі.", "Бір."], "kk", "en")
    assert calls == [["Бір.", "Екі."]]  # a repeat is translated once
    again = tr.translate(["Екі.", "Бір."], "kk", "en")
    assert len(calls) == 1 and [a.text for a in again] == [first[1].text, first[0].text]
    beam2 = CachedTranslator(
        load_translator(resolve(str(tiny_nllb)), TranslationOptions(beam=2, max_output_tokens=6)),
        cache,
    )
    assert beam2.key("Бір.", "kk", "en") != tr.key("Бір.", "kk", "en")
    assert tr.key("Бір.", "kk", "en") != tr.key("Бір.", "en", "kk")


def test_bad_articles_are_reported_and_the_job_goes_on(tiny_nllb, tmp_path, capsys):
    src = tmp_path / "in"
    make_articles(src, 3)
    (src / "binary.txt").write_bytes(b"\x00\x01\x02")
    (src / "empty.txt").write_text("   \n")
    code = main(["batch", str(src), "-o", str(tmp_path / "out"), "--model", str(tiny_nllb), *FAST])
    assert code == 1
    lines = [json.loads(x) for x in (tmp_path / "out" / "manifest.jsonl").read_text().splitlines()]
    status = {x["id"]: x["status"] for x in lines if x["type"] == "article"}
    assert status["binary"] == "failed" and status["empty"] == "failed"
    assert sum(s == "ok" for s in status.values()) == 3
    assert "2 article(s) failed" in capsys.readouterr().err


def test_bad_jsonl_lines_say_what_is_wrong(tmp_path):
    src = tmp_path / "articles.jsonl"
    src.write_text(
        "\n".join(
            [
                '{"id": "a", "text": "Біз дайынбыз."}',
                "not json",
                '{"id": "b"}',
                '{"text": "Id жоқ."}',
                '["a", "list"]',
                '{"id": "c", "text": 5}',
            ]
        ),
        "utf-8",
    )
    errors = {a.id: a.error for a in list_articles(str(src))}
    assert errors["a"] is None
    assert "not an article (Expecting value" in errors["line-2"]
    assert errors["line-3"].endswith("not an article (no 'text' field)")
    assert errors["line-4"].endswith("not an article (no 'id' field)")
    assert errors["line-5"].endswith("not an article (not a JSON object)")
    assert errors["line-6"].endswith("not an article ('text' is not a string)")


def test_jsonl_input_with_hostile_ids(tiny_nllb, tmp_path):
    src = tmp_path / "articles.jsonl"
    src.write_text(
        "\n".join(
            [
                json.dumps({"id": "../../escape", "text": "Бірінші мақала."}),
                json.dumps({"id": "/etc/passwd", "text": "Екінші мақала."}),
                "{not json",
                json.dumps({"id": "ok", "text": "Үшінші мақала."}),
            ]
        ),
        "utf-8",
    )
    out = tmp_path / "out"
    assert main(["batch", str(src), "-o", str(out), "--model", str(tiny_nllb), *FAST]) == 1
    written = [
        p for p in tmp_path.rglob("*.jsonl") if p.name not in ("articles.jsonl", "manifest.jsonl")
    ]
    assert written and all(out in p.parents for p in written)
    assert safe_relpath("../../escape").as_posix() == "escape"
    assert safe_relpath("/etc/passwd").as_posix() == "etc/passwd"


def test_existing_outputs_and_changed_settings(tiny_nllb, tmp_path):
    src = tmp_path / "in"
    make_articles(src, 2)
    out = tmp_path / "out"
    (out / "part2").mkdir(parents=True)
    (out / "part2" / "a000.jsonl").write_text("mine")
    args = ["batch", str(src), "-o", str(out), "--model", str(tiny_nllb), *FAST]
    assert main(args) == 2  # would replace a file it did not write
    assert (out / "part2" / "a000.jsonl").read_text() == "mine"
    assert main(args + ["--overwrite"]) == 0
    assert main(args + ["--resume", "--beam", "2"]) == 2  # a different run
    assert main(args + ["--resume", "--beam", "2", "--force"]) == 0


def test_symlinked_articles_are_not_followed(tmp_path):
    src = tmp_path / "in"
    make_articles(src, 1)
    secret = tmp_path / "secret.txt"
    secret.write_text("Құпия.")
    (src / "link.txt").symlink_to(secret)
    assert [a.id for a in list_articles(str(src))] == ["part2/a000"]


def test_run_batch_api(tiny_nllb, tmp_path):
    src = tmp_path / "in"
    make_articles(src, 2)
    tr = load_translator(resolve(str(tiny_nllb)), TranslationOptions(beam=1, max_output_tokens=6))
    stats = run_batch(str(src), tmp_path / "out", tr, make_signature(tr, "kk", "en"), ["jsonl"])
    assert (stats.done, stats.failed, stats.skipped) == (2, 0, 0)
    with pytest.raises(UsageError, match="unknown format"):
        run_batch(str(src), tmp_path / "o2", tr, make_signature(tr, "kk", "en"), ["docx"])


def test_ray_engine_writes_the_same_outputs_and_manifest(tiny_nllb, tmp_path):
    pytest.importorskip("ray")
    src = tmp_path / "in"
    make_articles(src, 5)
    (src / "broken.txt").write_bytes(b"\x00\x01")
    args = ["--model", str(tiny_nllb), *FAST]
    assert main(["batch", str(src), "-o", str(tmp_path / "local"), *args]) == 1
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "translate",
            "batch",
            str(src),
            "-o",
            str(tmp_path / "ray"),
            *args,
            "--engine",
            "ray",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert r.returncode == 1, r.stderr  # the broken article
    assert "Traceback" not in r.stderr
    assert outputs(tmp_path / "ray") == outputs(tmp_path / "local")
    assert (tmp_path / "ray" / "manifest.jsonl").read_text() == (
        tmp_path / "local" / "manifest.jsonl"
    ).read_text()


def test_ctrl_c_during_batch_exits_cleanly_and_resumes(tiny_nllb, tmp_path):
    src = tmp_path / "in"
    make_articles(src, 60)
    out = tmp_path / "out"
    cmd = [
        sys.executable,
        "-m",
        "translate",
        "batch",
        str(src),
        "-o",
        str(out),
        "--model",
        str(tiny_nllb),
        *FAST,
        "--resume",
    ]
    p = subprocess.Popen(
        cmd,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=interruptible,  # noqa: PLW1509 - resets one signal, no threads involved
    )
    manifest = out / "manifest.jsonl"
    deadline = time.monotonic() + 120
    while p.poll() is None and time.monotonic() < deadline:
        if manifest.exists() and len(manifest.read_text().splitlines()) > 1:
            break
        time.sleep(0.05)
    p.send_signal(signal.SIGINT)
    _, err = p.communicate(timeout=120)
    if p.returncode != 0:  # interrupted (it may also have finished just before)
        assert p.returncode == 130 and "interrupted" in err and "Traceback" not in err
    assert not list(out.rglob("*.part"))
    assert subprocess.run(cmd, cwd=ROOT, capture_output=True, timeout=300).returncode == 0
    ok = [json.loads(x) for x in manifest.read_text().splitlines()]
    assert len({x["id"] for x in ok if x.get("status") == "ok"}) == 60


def test_progress_moves_inside_a_long_article(tiny_nllb, tmp_path, capsys, monkeypatch):
    from translate.jobs import batch

    monkeypatch.setattr(batch, "Progress", functools.partial(batch.Progress, every=0.0))
    src = tmp_path / "in"
    src.mkdir()
    (src / "long.txt").write_text("Бірінші сөйлем. Екінші сөйлем. Үшінші сөйлем.\n", "utf-8")
    args = ["--beam", "1", "--max-output-tokens", "6", "--batch-tokens", "1"]  # cache on
    code = main(["batch", str(src), "-o", str(tmp_path / "out"), "--model", str(tiny_nllb), *args])
    assert code == 0
    err = capsys.readouterr().err
    # reported after each batch, before the article is done
    assert "0/1 articles, 1 sentences" in err and "0/1 articles, 2 sentences" in err


def test_batch_eta_is_known_before_an_article_is_done(tiny_nllb, tmp_path, capsys, monkeypatch):
    from translate.jobs import batch

    monkeypatch.setattr(batch, "Progress", functools.partial(batch.Progress, every=0.0))
    src = tmp_path / "in"
    src.mkdir()
    for k in range(3):
        (src / f"a{k}.txt").write_text("Бірінші сөйлем. Екінші сөйлем.\n", "utf-8")
    args = ["--beam", "1", "--max-output-tokens", "6", "--batch-tokens", "1", "--no-cache"]
    code = main(["batch", str(src), "-o", str(tmp_path / "out"), "--model", str(tiny_nllb), *args])
    assert code == 0
    lines = [x for x in capsys.readouterr().err.splitlines() if "0/3 articles, 1 sentences" in x]
    assert lines and "ETA ?" not in lines[-1] and "ETA " in lines[-1]


def test_scores_are_written_at_a_fixed_precision():
    """Batch composition moves a score in its last digits; records keep 4
    decimals, so resumed and uninterrupted jobs write the same bytes."""
    from translate.pipeline import SCORE_DECIMALS, pair_records
    from translate.records import Sentence, Translation

    sents = [Sentence("d", 0, i, i * 10, i * 10 + 5, "Бір екі.") for i in range(3)]
    trs = [
        Translation("One two.", -0.123456789),
        Translation("x", -2.00004),
        Translation("y", None),
    ]
    records = pair_records(sents, trs, "kk", "en")
    assert SCORE_DECIMALS == 4
    assert [r.score for r in records] == [-0.1235, -2.0, None]
