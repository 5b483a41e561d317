"""Bad states, odd files and the operating system: one-line errors, nothing lost.

A regression test per class of failure found by trying the tool as an
attacker would: output paths, signals, closed pipes, encodings, dates,
manifests, pickle weights.
"""

import os
import signal
import subprocess
import sys
import time

import pytest
from conftest import ROOT, SEED

from translate.cli import main
from translate.errors import InputError, UsageError
from translate.text.encoding import decode_article
from translate.text.reader import parse_article

KK = "Ақмола облысының әкімі Иран елшісімен кездесті. Бұл маңызды кездесу болды."
FAST = ["--beam", "1", "--max-output-tokens", "4", "-q"]


def cli(args, capsys):
    code = main(args)
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return code, err


# --- output paths: checked before the model loads ------------------------------

NO_MODEL = ["--model", "/nonexistent/model"]  # a check after loading would report this


@pytest.mark.parametrize(
    "extra, code, message",
    [
        (["--to", "moses"], 2, "--to moses writes two files"),
        (["-o", "{tmp}"], 1, "is a directory"),
        (["-o", "{tmp}/" + "a" * 300 + ".jsonl"], 1, "too long"),
        (["-o", "/proc/no/such/dir/out.jsonl"], 1, "cannot make the output folder"),
        (["-o", "{tmp}/exists.jsonl"], 1, "exists; pass --overwrite"),
    ],
)
def test_output_problems_are_found_before_the_model_loads(extra, code, message, tmp_path, capsys):
    (tmp_path / "exists.jsonl").write_text("keep me\n")
    extra = [x.replace("{tmp}", str(tmp_path)) for x in extra]
    got, err = cli(["run", str(SEED), *NO_MODEL, *extra], capsys)
    assert got == code and message in err and "/nonexistent/model" not in err
    assert (tmp_path / "exists.jsonl").read_text() == "keep me\n"


def test_a_full_disk_is_one_line_naming_the_path(tiny_nllb, capsys):
    code, err = cli(["run", str(SEED), "--model", str(tiny_nllb), *FAST, "-o", "/dev/full"], capsys)
    assert (
        code == 1 and err.strip() == "translate: error: /dev/full: cannot write (the disk is full)"
    )


def test_a_symlink_is_written_through_and_a_fifo_written_to(tiny_nllb, tmp_path, capsys):
    target = tmp_path / "target.jsonl"
    target.write_text("old\n")
    link = tmp_path / "link.jsonl"
    link.symlink_to(target)
    args = ["run", str(SEED), "--model", str(tiny_nllb), *FAST]
    assert cli([*args, "-o", str(link), "--overwrite"], capsys)[0] == 0
    assert link.is_symlink() and target.read_text().startswith('{"type": "header"')

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE)
    assert cli([*args, "-o", str(fifo)], capsys)[0] == 0  # no --overwrite needed: not replaced
    out = reader.communicate(timeout=30)[0].decode()
    assert out.startswith('{"type": "header"') and out.count('"type": "sentence"') == 16
    assert fifo.exists() and not fifo.is_file()


def test_run_removes_the_temporary_files_a_killed_run_left(tiny_nllb, tmp_path, capsys):
    stale = tmp_path / ".out.jsonl.0a1b2c3d.part"
    stale.write_text("half")
    other = tmp_path / ".notes.txt.part"  # not ours: kept
    other.write_text("x")
    out = tmp_path / "out.jsonl"
    assert cli(["run", str(SEED), "--model", str(tiny_nllb), *FAST, "-o", str(out)], capsys)[0] == 0
    assert out.is_file() and not stale.exists() and other.exists()


# --- signals and pipes -----------------------------------------------------------


def _many_sentences(path, n=3000):
    words = "Ақмола облысы әкім елші кездесу сауда экономика өңір кәсіпорын жұмыс".split()
    lines = [" ".join(words[(i + k) % len(words)] for k in range(9)) + "." for i in range(n)]
    path.write_text("\n".join(lines) + "\n", "utf-8")


def test_sigterm_cleans_up_like_ctrl_c(tiny_nllb, tmp_path):
    article = tmp_path / "big.txt"
    _many_sentences(article)
    out = tmp_path / "out.jsonl"
    cmd = [sys.executable, "-m", "translate", "run", str(article), "--model", str(tiny_nllb)]
    p = subprocess.Popen(
        [*cmd, *FAST[:-1], "-o", str(out)], cwd=ROOT, stderr=subprocess.PIPE, text=True
    )
    deadline = time.monotonic() + 60
    while not list(tmp_path.glob(".out.jsonl.*.part")) and time.monotonic() < deadline:
        time.sleep(0.05)  # the output's temporary file exists: work is under way
    p.send_signal(signal.SIGTERM)
    err = p.communicate(timeout=60)[1]
    assert p.returncode == 130, err
    assert "translate: interrupted" in err and "Traceback" not in err
    assert not out.exists() and not list(tmp_path.glob(".*.part"))


def test_a_closed_stderr_does_not_stop_the_work(tiny_nllb, tmp_path):
    out = tmp_path / "out.jsonl"
    cmd = [sys.executable, "-m", "translate", "run", str(SEED), "--model", str(tiny_nllb)]
    r, w = os.pipe()
    os.close(r)  # nobody reads stderr
    p = subprocess.run([*cmd, *FAST[:-1], "-v", "-o", str(out)], cwd=ROOT, stderr=w, timeout=120)
    os.close(w)
    assert p.returncode == 0
    assert out.read_text("utf-8").count('"type": "sentence"') == 16


def test_a_closed_stdout_ends_quietly(tmp_path):
    p = subprocess.run(
        f"{sys.executable} -m translate segment {SEED} | head -1",
        shell=True,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert p.stdout.count("\n") == 1 and "Error" not in p.stderr and "Traceback" not in p.stderr


def test_control_characters_in_file_names_are_escaped(tmp_path, capsys):
    name = tmp_path / "evil\x1b[2Jname.txt"
    code, err = cli(["run", str(name), *NO_MODEL], capsys)
    assert code == 1 and "\x1b" not in err and "\\x1b[2J" in err


# --- encodings -----------------------------------------------------------------


def test_utf32_with_a_byte_order_mark_is_read():
    for enc in ("utf-32", "utf-32-le", "utf-32-be"):
        data = (b"" if enc == "utf-32" else "\ufeff".encode(enc)) + KK.encode(enc)
        text, used = decode_article(data, "x.txt")
        assert text.lstrip("\ufeff") == KK and used == "utf-32"


def test_a_nul_byte_anywhere_means_binary():
    data = (KK + "\n").encode() * 5000 + b"\x00tail"
    assert len(data) > 65536 * 10
    with pytest.raises(InputError, match="x.txt: looks like a binary file"):
        decode_article(data, "x.txt")


def test_chinese_is_refused_not_read_as_kazakh():
    data = "北京是中华人民共和国的首都，也是全国的政治文化中心。我们今天去学校学习中文。".encode(
        "gb18030"
    )
    with pytest.raises(InputError, match="x.txt: looks like Chinese text"):
        decode_article(data, "x.txt")
    # a Kazakh code page text is still Kazakh
    assert decode_article(KK.encode("kz1048"), "x.txt") == (KK, "kz1048")


@pytest.mark.parametrize("codec", ["base64", "rot13", "zlib_codec", "hex"])
def test_a_non_text_codec_is_a_usage_error(codec, capsys):
    with pytest.raises(UsageError, match="not a text encoding"):
        decode_article(b"abc", "x.txt", codec)
    code, err = cli(["segment", str(SEED), "--encoding", codec], capsys)
    assert code == 2 and "not a text encoding" in err


def test_an_impossible_date_is_not_metadata(caplog):
    doc = parse_article("date 2026-02-30 Тақырып\nМәтін.", "x")
    assert doc.date is None and doc.body_start == 0
    assert "not a date" in caplog.text
    ok = parse_article("date 2024-02-29 Тақырып\nМәтін.", "x")
    assert ok.date == "2024-02-29" and ok.body_start == len("date 2024-02-29 ")


# --- batch --------------------------------------------------------------------------


def test_batch_without_a_format_is_refused(tmp_path, capsys):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(KK)
    code, err = cli(["batch", str(tmp_path / "in"), "-o", str(tmp_path / "o"), "--to", ","], capsys)
    assert code == 2 and "names no format" in err


@pytest.mark.parametrize("header", ["", "{not json\n", '{"type": "article"}\n', "\x00\x01\n"])
def test_a_manifest_without_a_valid_header_is_not_resumed(header, tiny_nllb, tmp_path, capsys):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(KK + "\n")
    out = tmp_path / "out"
    args = ["batch", str(src), "-o", str(out), "--model", str(tiny_nllb), *FAST, "--to", "jsonl"]
    assert cli(args, capsys)[0] == 0
    manifest = out / "manifest.jsonl"
    lines = manifest.read_text().splitlines(keepends=True)
    manifest.write_text(header + "".join(lines[1:]))  # the header line replaced
    code, err = cli([*args, "--resume"], capsys)
    assert code == 2 and "header" in err and "--force" in err
    before = (out / "a.jsonl").read_bytes()
    assert cli([*args, "--resume", "--force"], capsys)[0] == 0
    assert (out / "a.jsonl").read_bytes() == before
    assert manifest.read_text().startswith('{"type": "header"')


# --- models -------------------------------------------------------------------------


def test_models_convert_refuses_pickle_only_weights(tiny_nllb, tmp_path, capsys):
    import shutil

    import torch
    from safetensors.torch import load_file

    model = tmp_path / "pickled"
    shutil.copytree(tiny_nllb, model)
    torch.save(load_file(model / "model.safetensors"), model / "pytorch_model.bin")
    (model / "model.safetensors").unlink()
    code, err = cli(["models", "convert", str(model), "-q"], capsys)
    assert code == 1 and "only pickle weights" in err and "--allow-pickle" in err
    assert not (tmp_path / "pickled-ct2-int8").exists()


def test_file_names_that_clean_up_alike_get_distinct_stable_ids(tiny_nllb, tmp_path, capsys):
    """`a b.txt`, `a:b.txt` and `a_b.txt` all clean up to `a_b`: each keeps its
    own output (none overwritten), and an article called `manifest` cannot
    replace the job's manifest."""
    from translate.jobs.inputs import list_articles

    src = tmp_path / "in"
    src.mkdir()
    texts = {
        "a b.txt": "Бір.",
        "a:b.txt": "Екі сөз.",
        "a_b.txt": "Үш сөз бар.",
        "manifest.txt": "Төрт.",
    }
    for name, text in texts.items():
        (src / name).write_text(text + "\n", "utf-8")
    ids = [a.id for a in list_articles(str(src))]
    assert ids == [a.id for a in list_articles(str(src))]  # stable
    assert sorted(ids) == ["a_b", "a_b-2", "a_b-3", "manifest-article"]
    out = tmp_path / "out"
    args = ["batch", str(src), "-o", str(out), "--model", str(tiny_nllb), *FAST, "--to", "jsonl"]
    code, err = cli(args, capsys)
    assert code == 0
    import json

    sources = set()
    for f in out.glob("*.jsonl"):
        if f.name == "manifest.jsonl":
            continue
        for line in f.read_text("utf-8").splitlines():
            obj = json.loads(line)
            if obj["type"] == "sentence":
                sources.add(obj["source"])
    assert sources == set(texts.values())
    lines = [json.loads(x) for x in (out / "manifest.jsonl").read_text().splitlines()]
    assert lines[0]["type"] == "header" and sum(x.get("status") == "ok" for x in lines) == 4
    assert cli([*args, "--resume"], capsys)[0] == 0  # the manifest is still the job's


def test_progress_lines_arrive_while_a_long_batch_decodes(caplog):
    """Off a terminal, a progress line every `every` seconds, also when the
    translator has nothing to report (one long batch), and none after close."""
    import logging

    from translate.cli.common import SentenceProgress

    caplog.set_level(logging.INFO, logger="translate")
    progress = SentenceProgress(100, delay=0.0, every=1.0)
    progress.advance(0, 100)  # the translator starts its call, then decodes silently
    time.sleep(3.4)
    lines = [r.message for r in caplog.records if r.message.startswith("translating:")]
    assert len(lines) >= 3 and "0/100 sentences" in lines[-1] and "s elapsed" in lines[-1]
    progress.close()
    count = len(caplog.records)
    time.sleep(1.5)
    assert len(caplog.records) == count


@pytest.mark.parametrize("total_bytes, eta", [(4000, "ETA 1m10s"), (0, "ETA ?")])
def test_batch_eta_before_the_first_article_is_done(caplog, total_bytes, eta):
    """A batch knows its ETA from the first seconds: the sentences of the
    articles read so far, scaled by the share of the input bytes they are;
    without sizes it can only wait for finished articles."""
    import logging

    from translate.jobs.progress import BatchStats, Progress

    caplog.set_level(logging.INFO, logger="translate")
    progress = Progress(4, BatchStats(articles=4), every=1000.0, total_bytes=total_bytes)
    progress.read(1000)  # the first of four articles of 1000 bytes: 10 sentences
    progress.advance(0, 10)
    progress.t0 -= 10.0  # ten seconds in, five of them translated
    progress.advance(5, 10)
    progress.update(force=True)
    progress.close()
    last = [r.message for r in caplog.records if "articles" in r.message][-1]
    # about 40 sentences in all, 35 left at 0.5 sentences/s
    assert last.startswith("0/4 articles, 5 sentences") and last.endswith(eta)


def test_a_message_that_lists_what_to_do_keeps_its_lines():
    from translate.cli import printable

    assert (
        printable("no model.\nTo proceed:\n  - fetch it") == "no model.\nTo proceed:\n  - fetch it"
    )
    assert printable("a\x1b[2Jb\rc") == "a\\x1b[2Jb\\rc"


def test_heartbeat_ticks_until_stopped_and_survives_nothing_else():
    from translate.jobs.progress import Heartbeat

    assert Heartbeat(0.5, lambda: None).thread is None  # under a second: no thread
    ticks = []
    beat = Heartbeat(1.0, lambda: ticks.append(time.monotonic()))
    time.sleep(2.5)
    beat.stop()
    beat.thread.join(2)
    assert 1 <= len(ticks) <= 3 and not beat.thread.is_alive()  # about one a second

    def boom():
        ticks.append(0)
        raise RuntimeError("a progress line failed")

    ticks.clear()
    failing = Heartbeat(1.0, boom)
    failing.thread.join(3)  # the first error ends the heartbeat, not the job
    assert ticks == [0] and not failing.thread.is_alive()


def test_batch_progress_lines_off_a_terminal(caplog):
    import logging

    from translate.jobs.progress import BatchStats, Progress

    caplog.set_level(logging.INFO, logger="translate")
    stats = BatchStats(articles=5)
    progress = Progress(5, stats, every=1000.0)
    progress.t0 -= 20.0
    stats.done, stats.failed, stats.skipped = 1, 1, 1
    stats.run.sentences = 40
    progress.update()
    progress.update()  # within `every`: no second line
    lines = [r.getMessage() for r in caplog.records]
    # 3 of 5 finished, 2 of them worked in 20 s: 2 left take 20 s
    assert lines == ["3/5 articles, 40 sentences, 2.0 sent/s, 1 failed, ETA 0m20s"]
    progress.close()  # a last line, forced
    assert len(caplog.records) == 2


def test_batch_progress_on_a_terminal(monkeypatch):
    import io

    from translate.jobs import progress as progress_module

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    term = Terminal()
    monkeypatch.setattr(progress_module.sys, "stderr", term)
    stats = progress_module.BatchStats(articles=4)
    progress = progress_module.Progress(4, stats)
    progress.heartbeat.stop()
    stats.done = 2
    progress.update(force=True)
    assert term.getvalue().startswith("\r[##########..........] 2/4 articles, 0 sentences")
    assert term.getvalue().endswith("\x1b[K")
    progress.close()
    assert term.getvalue().endswith("\n")


def test_progress_on_a_closed_stderr_does_not_stop_the_work(monkeypatch):
    import io

    from translate.jobs import progress as progress_module

    closed = io.StringIO()
    closed.close()
    monkeypatch.setattr(progress_module.sys, "stderr", closed)
    progress_module._write("line")  # no exception
