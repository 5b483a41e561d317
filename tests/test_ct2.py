"""The CTranslate2 path end to end: convert -> load -> translate, on tiny models."""

import json

import pytest
from conftest import SEED

from translate.cli import main
from translate.errors import ModelError, UsageError
from translate.mt.backends import load_translator
from translate.mt.backends.convert import convert
from translate.mt.registry import resolve
from translate.mt.translator import TranslationOptions
from translate.quality import repetition_loop

SOURCES = [
    "Ақмола облысының әкімі Иран елшісімен кездесті.",
    "Біз дайынбыз.",
    "Өңірде 1300-ге жуық өнеркәсіптік кәсіпорын жұмыс істейді.",
    "Иран компаниялары Қазақстанда өз қызметін кеңейтуге мүдделі.",
]


@pytest.fixture(scope="module")
def converted(tmp_path_factory, tiny_nllb, tiny_marian, tiny_t5):
    base = tmp_path_factory.mktemp("ct2")
    return {
        name: convert(resolve(str(src)), base / name, "float32")
        for name, src in [("nllb", tiny_nllb), ("marian", tiny_marian), ("t5", tiny_t5)]
    }


@pytest.mark.parametrize(
    "family, src", [("nllb", "tiny_nllb"), ("marian", "tiny_marian"), ("t5", "tiny_t5")]
)
@pytest.mark.parametrize("beam", [1, 3])
def test_same_outputs_as_transformers(family, src, beam, converted, request):
    # the shortlist is not exact (it removes candidates): off for this comparison
    opts = TranslationOptions(
        beam=beam, max_output_tokens=16, compute_type="float32", shortlist=False
    )
    hf = load_translator(resolve(str(request.getfixturevalue(src))), opts, "transformers")
    ct = load_translator(resolve(str(converted[family])), opts)
    assert ct.backend == "ctranslate2"
    a, b = hf.translate(SOURCES, "kk", "en"), ct.translate(SOURCES, "kk", "en")
    assert [x.text for x in a] == [x.text for x in b]
    assert [x.flags for x in a] == [x.flags for x in b]
    for x, y in zip(a, b):
        assert x.score == pytest.approx(y.score, abs=1e-3)


def test_batched_equals_one_by_one_int8(tiny_nllb, tmp_path):
    out = convert(resolve(str(tiny_nllb)), tmp_path / "int8", "int8")
    tr = load_translator(resolve(str(out)), TranslationOptions(beam=1, max_output_tokens=16))
    assert tr.describe()["dtype"] == "int8"
    batched = tr.translate(SOURCES, "kk", "en")
    single = [tr.translate([s], "kk", "en")[0] for s in SOURCES]
    assert [t.text for t in batched] == [t.text for t in single]


def test_long_input_is_split_not_cut_by_ctranslate2(converted):
    long = ", ".join(SOURCES * 10)
    tr = load_translator(
        resolve(str(converted["nllb"])),
        TranslationOptions(
            beam=1, max_input_tokens=32, max_output_tokens=8, compute_type="float32"
        ),
    )
    [t] = tr.translate([long], "kk", "en")
    assert "split" in [f.code for f in t.flags] and t.pieces > 1


def test_cli_convert_and_auto_backend(tiny_marian, tmp_path, capsys):
    out = tmp_path / "marian-ct2"
    assert main(["models", "convert", str(tiny_marian), "-o", str(out), "-q"]) == 0
    assert (out / "model.bin").is_file() and (out / "translate-ct2.json").is_file()
    assert main(["models", "convert", str(tiny_marian), "-o", str(out), "-q"]) == 2  # exists
    capsys.readouterr()
    assert (
        main(
            ["run", str(SEED), "--model", str(out), "--beam", "1", "--max-output-tokens", "8"]
            + ["--device", "cpu", "--threads", "2"]
        )
        == 0
    )
    captured = capsys.readouterr()
    lines = [json.loads(x) for x in captured.out.splitlines()]
    assert "backend:ctranslate2" in lines[0]["signature"]
    assert sum(x["type"] == "sentence" for x in lines) == 16
    assert "backend auto: ctranslate2" in captured.err
    assert "device cpu, 2 threads, 2 batches at once" in captured.err
    with pytest.raises(UsageError, match="CTranslate2 model"):
        load_translator(resolve(str(out)), TranslationOptions(), "transformers")


def test_auto_finds_the_conversion_beside_a_local_model(tiny_marian, tmp_path):
    """`models convert PATH` writes PATH-ct2-int8; `run --model PATH` then uses it,
    unless the weights changed after the conversion."""
    import logging
    import os
    import shutil

    src = tmp_path / "marian"
    shutil.copytree(tiny_marian, src)
    assert main(["models", "convert", str(src), "-q"]) == 0
    assert (tmp_path / "marian-ct2-int8" / "model.bin").is_file()
    said: list[str] = []
    handler = logging.Handler(logging.INFO)
    handler.emit = lambda record: said.append(record.getMessage())
    log = logging.getLogger("translate")
    log.addHandler(handler)
    level = log.level
    log.setLevel(logging.INFO)
    try:
        opts = TranslationOptions(beam=1, device="cpu")
        assert load_translator(resolve(str(src)), opts).backend == "ctranslate2"
        assert any("converted model in" in m for m in said)
        weights = next(src.glob("*.safetensors"))
        later = (tmp_path / "marian-ct2-int8" / "model.bin").stat().st_mtime + 60
        os.utime(weights, (later, later))  # the model was trained further
        said.clear()
        assert load_translator(resolve(str(src)), opts).backend == "transformers"
        assert any("older than the weights" in m for m in said)
    finally:
        log.removeHandler(handler)
        log.setLevel(level)


def test_bad_compute_type_is_refused(converted):
    with pytest.raises(UsageError, match="not supported on cpu"):
        load_translator(resolve(str(converted["nllb"])), TranslationOptions(compute_type="float16"))


def test_missing_cuda_library_says_what_to_install(converted):
    """CTranslate2's wheels load cuBLAS 12 at the first GPU call, not at load;
    a machine without it (CUDA 13 only, as on the lent H200) gets a clear error."""
    tr = load_translator(resolve(str(converted["nllb"])), TranslationOptions(beam=1))

    class NoCublas:
        def translate_batch(self, *args, **kwargs):
            raise RuntimeError("Library libcublas.so.12 is not found or cannot be loaded")

    tr.ct = NoCublas()
    with pytest.raises(ModelError, match="nvidia-cublas-cu12"):
        tr.translate(SOURCES[:1], "kk", "en")


def _scripts(text):
    letters = [c for c in text if c.isalpha()]
    return {
        "cyrillic" if "\u0400" <= c <= "\u04ff" else "ascii" if c.isascii() else "other"
        for c in letters
    }


def test_shortlist_keeps_output_in_the_target_script(converted):
    path = converted["nllb"]
    meta = json.loads((path / "translate-ct2.json").read_text("utf-8"))
    assert (path / "vmap.txt").is_file()
    assert 0 < meta["shortlist"]["en"] < meta["shortlist"]["vocabulary"]
    assert (
        0 < meta["shortlist"]["kk"] <= meta["shortlist"]["vocabulary"]
    )  # tiny vocab: no other script
    base = dict(beam=2, max_output_tokens=24, compute_type="float32")
    on = load_translator(resolve(str(path)), TranslationOptions(**base))
    off = load_translator(resolve(str(path)), TranslationOptions(**base, shortlist=False))
    assert on.describe()["shortlist"] == "on" and off.describe()["shortlist"] is None
    free = " ".join(t.text for t in off.translate(SOURCES, "kk", "en"))
    to_en = " ".join(t.text for t in on.translate(SOURCES, "kk", "en"))
    # the random model writes Cyrillic when it may; the shortlist leaves it English letters
    assert "cyrillic" in _scripts(free)
    assert _scripts(to_en) <= {"ascii"} and to_en.strip()
    to_kk = " ".join(t.text for t in on.translate(["The parties met in Astana."] * 2, "en", "kk"))
    assert _scripts(to_kk) <= {"cyrillic", "ascii"} and to_kk.strip()


def test_russian_source_uses_the_english_shortlist_or_none(converted, tmp_path):
    import shutil

    ru = ["Президент заявил, что переговоры продолжатся.", "Об этом сообщает пресс-служба."]
    opts = TranslationOptions(beam=2, max_output_tokens=24, compute_type="float32")
    path = converted["nllb"]
    rules = dict(
        line.split("\t", 1) for line in (path / "vmap.txt").read_text("utf-8").splitlines()
    )
    assert rules["rus_Cyrl"] == rules["kaz_Cyrl"]  # Russian in a Kazakh article: English out
    out = load_translator(resolve(str(path)), opts).translate(ru, "ru", "en")
    assert _scripts(" ".join(t.text for t in out)) <= {"ascii"}
    # a conversion made before Russian had a line: decoded without the shortlist
    # (before, CTranslate2 failed: no letter at all was allowed)
    old = tmp_path / "old"
    shutil.copytree(path, old)
    lines = (old / "vmap.txt").read_text("utf-8").splitlines()
    (old / "vmap.txt").write_text(
        "\n".join(x for x in lines if not x.startswith("rus_Cyrl")) + "\n", "utf-8"
    )
    before = load_translator(resolve(str(old)), opts)
    out = before.translate(ru, "ru", "en")
    assert len(out) == 2
    # and the run's signature says so
    assert before.describe()["shortlist"] == "on-except-rus_Cyrl"
    assert load_translator(resolve(str(path)), opts).describe()["shortlist"] == "on"


def test_shortlist_is_recorded_and_can_be_turned_off(converted, tmp_path, capsys):
    src = tmp_path / "a.txt"
    src.write_text(SOURCES[0], "utf-8")
    model = str(converted["nllb"])
    assert main(["run", str(src), "--model", model, "--beam", "1", "--max-output-tokens", "8"]) == 0
    assert "shortlist:on" in capsys.readouterr().out
    args = ["run", str(src), "--model", model, "--beam", "1", "--max-output-tokens", "8"]
    assert main(args + ["--no-shortlist"]) == 0
    assert "shortlist:" not in capsys.readouterr().out


def test_convert_without_shortlist(tiny_nllb, tmp_path):
    out = tmp_path / "plain"
    assert main(["models", "convert", str(tiny_nllb), "-o", str(out), "--no-shortlist"]) == 0
    assert not (out / "vmap.txt").exists()
    assert json.loads((out / "translate-ct2.json").read_text("utf-8"))["shortlist"] is None


def test_vmap_lists_each_target_script():
    from translate.mt.backends.convert import build_vmap

    vocab = ["</s>", "▁the", "▁сөз", "▁日本", ".", "12", "a b", "kaz_Cyrl", "eng_Latn"]
    text, sizes = build_vmap(vocab, {"kaz_Cyrl": "en", "eng_Latn": "kk"})
    rules = {line.split("\t")[0]: line.split("\t")[1].split() for line in text.splitlines()}
    assert rules[""] == [".", "12"]  # no letters: always allowed
    assert "▁the" in rules["kaz_Cyrl"] and "▁сөз" not in rules["kaz_Cyrl"]
    assert {"▁the", "▁сөз"} <= set(rules["eng_Latn"])
    assert all("▁日本" not in v and "a b" not in v for v in rules.values())
    assert sizes == {"en": 6, "kk": 7}


def test_translation_memory_keeps_shortlist_runs_apart(converted, tmp_path):
    from translate.mt.cache import CachedTranslator, TranslationCache

    cache = TranslationCache(tmp_path / "tm.sqlite")
    base = dict(beam=1, max_output_tokens=8, compute_type="float32")
    on = CachedTranslator(
        load_translator(resolve(str(converted["nllb"])), TranslationOptions(**base)), cache
    )
    off = CachedTranslator(
        load_translator(
            resolve(str(converted["nllb"])), TranslationOptions(**base, shortlist=False)
        ),
        cache,
    )
    assert on.key(SOURCES[0], "kk", "en") != off.key(SOURCES[0], "kk", "en")
    on.translate(SOURCES[:1], "kk", "en")
    off.translate(SOURCES[:1], "kk", "en")
    assert off.hits == 0
    cache.close()


def test_shortlist_from_text(tiny_nllb, tmp_path, capsys):
    english = tmp_path / "en.txt"
    english.write_text("The parties met in Astana.\nThe region has many enterprises.\n", "utf-8")
    out = tmp_path / "narrow"
    args = ["models", "convert", str(tiny_nllb), "-o", str(out)]
    assert main(args + ["--shortlist-text", f"en={english}"]) == 0
    assert "(from text)" in capsys.readouterr().err
    meta = json.loads((out / "translate-ct2.json").read_text("utf-8"))
    assert meta["shortlist"]["from_text"] == ["en"]
    rules = dict(line.split("\t", 1) for line in (out / "vmap.txt").read_text("utf-8").splitlines())
    narrow = set(rules["kaz_Cyrl"].split())
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(tiny_nllb)
    used = set(tok.tokenize("The parties met in Astana. The region has many enterprises."))
    single = {t for t in narrow if len(t.replace("\u2581", "")) == 1}
    assert narrow - single <= used  # only tokens the text used, and single letters
    assert used & narrow
    tr = load_translator(resolve(str(out)), TranslationOptions(beam=1, max_output_tokens=12))
    text = " ".join(t.text for t in tr.translate(SOURCES, "kk", "en"))
    assert _scripts(text) <= {"ascii"}
    # bad arguments are clear errors, before any conversion
    for bad in (["--shortlist-text", "en"], ["--shortlist-text", "fr=" + str(english)]):
        assert main(["models", "convert", str(tiny_nllb), "-o", str(tmp_path / "x")] + bad) != 0
        assert "Traceback" not in capsys.readouterr().err
    assert not (tmp_path / "x").exists()
    empty = tmp_path / "empty.txt"
    empty.write_text("\n", "utf-8")
    args = ["models", "convert", str(tiny_nllb), "-o", str(tmp_path / "y")]
    assert main(args + ["--shortlist-text", f"en={empty}"]) != 0
    assert "is empty" in capsys.readouterr().err and not (tmp_path / "y").exists()


def test_parallel_batches_give_the_same_results(converted):
    """Two CPU workers decode batches at once; outputs, scores and order match
    one worker's."""
    sources = SOURCES * 3 + ["Ол келді.", "Қазақстан мен Иран арасындағы сауда өсті."]
    results = {}
    for workers in (1, 2):
        tr = load_translator(
            resolve(str(converted["nllb"])),
            TranslationOptions(
                beam=2,
                max_output_tokens=12,
                compute_type="float32",
                threads=2,
                parallel_batches=workers,
                max_batch_size=3,
            ),
        )
        assert tr.concurrency == workers
        assert tr.describe().get("parallel_batches") == (workers if workers > 1 else None)
        results[workers] = tr.translate(sources, "kk", "en")
    assert [t.text for t in results[1]] == [t.text for t in results[2]]
    assert [t.score for t in results[1]] == pytest.approx([t.score for t in results[2]])


@pytest.mark.parametrize("family", ["nllb", "marian", "t5"])
def test_ctranslate2_path_does_not_import_torch(converted, family):
    """torch is for the transformers backend: about 200 MB of memory and a
    second of start-up that a converted model never needs."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from translate.mt.backends import load_translator\n"
        "from translate.mt.registry import resolve\n"
        "from translate.mt.translator import TranslationOptions\n"
        f"tr = load_translator(resolve({str(converted[family])!r}), "
        "TranslationOptions(beam=1, max_output_tokens=4))\n"
        "assert tr.backend == 'ctranslate2'\n"
        "print(len(tr.translate(['Біз дайынбыз.'], 'kk', 'en')))\n"
        "print('torch' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert out.stdout.split() == ["1", "False"]


@pytest.mark.parametrize(
    "threads, asked, workers", [(1, 0, 1), (2, 0, 2), (3, 0, 1), (4, 0, 2), (2, 4, 2), (4, 1, 1)]
)
def test_cpu_workers_share_the_threads(converted, threads, asked, workers):
    opts = TranslationOptions(
        beam=1, compute_type="float32", device="cpu", threads=threads, parallel_batches=asked
    )
    tr = load_translator(resolve(str(converted["marian"])), opts)
    assert tr.concurrency == workers


def test_many_small_batches_from_two_threads(converted):
    """Tokenising from two threads at once must neither fail nor mix sentences
    up (the tokenizer is shared between the workers' threads)."""
    sources = [f"{SOURCES[i % 4]} {i}" for i in range(120)]
    opts = dict(beam=1, max_output_tokens=4, compute_type="float32", threads=2, max_batch_size=1)
    one = load_translator(
        resolve(str(converted["nllb"])), TranslationOptions(parallel_batches=1, **opts)
    )
    two = load_translator(
        resolve(str(converted["nllb"])), TranslationOptions(parallel_batches=2, **opts)
    )
    assert two.concurrency == 2
    expected = [t.text for t in one.translate(sources, "kk", "en")]
    assert [t.text for t in two.translate(sources, "kk", "en")] == expected


def test_cpu_batches_are_bounded_by_beam_expanded_tokens(converted, tiny_marian):
    """Memory grows with beam x batch x length: on CPU the automatic budget is
    one of beam-expanded tokens; a budget the user gives is kept."""
    from translate.mt.backends.ct2 import CPU_BATCH_ROW_TOKENS
    from translate.mt.translator import DEFAULT_BATCH_TOKENS

    def budget(backend_dir, **kw):
        opts = TranslationOptions(compute_type="float32", device="cpu", **kw)
        return load_translator(resolve(str(backend_dir)), opts).batch_tokens

    assert budget(converted["marian"], beam=4) == CPU_BATCH_ROW_TOKENS // 4
    assert budget(converted["marian"], beam=1) == CPU_BATCH_ROW_TOKENS
    assert budget(converted["marian"], beam=4, batch_tokens=900) == 900
    hf = load_translator(resolve(str(tiny_marian)), TranslationOptions(beam=4), "transformers")
    assert hf.batch_tokens == DEFAULT_BATCH_TOKENS


LOOPING = {"nllb": SOURCES[0], "marian": SOURCES[1]}  # what each random model repeats


@pytest.mark.parametrize("family, src", [("nllb", "tiny_nllb"), ("marian", "tiny_marian")])
@pytest.mark.parametrize(
    "setting", [{"no_repeat_ngram_size": 1}, {"repetition_penalty": 5.0}], ids=str
)
def test_repetition_controls_reach_both_backends(family, src, setting, converted, request):
    """Greedy, both backends apply the setting the same way; it changes what the
    model writes, ends the loop the default decoding falls into, and is recorded
    (so the translation memory and resumes tell the runs apart)."""
    base = dict(beam=1, max_output_tokens=16, compute_type="float32", shortlist=False)
    model = resolve(str(request.getfixturevalue(src)))
    plain = load_translator(model, TranslationOptions(**base), "transformers")
    hf = load_translator(model, TranslationOptions(**base, **setting), "transformers")
    ct = load_translator(resolve(str(converted[family])), TranslationOptions(**base, **setting))
    before = plain.translate([LOOPING[family]], "kk", "en")[0]
    a, b = hf.translate(SOURCES, "kk", "en"), ct.translate(SOURCES, "kk", "en")
    assert [x.text for x in a] == [x.text for x in b]
    after = a[SOURCES.index(LOOPING[family])]
    assert repetition_loop(before.text) and not repetition_loop(after.text)
    assert after.text != before.text
    for tr in (hf, ct):
        assert {k: tr.describe()[k] for k in setting} == setting
    assert not {"no_repeat_ngram_size", "repetition_penalty"} & set(plain.describe())


def test_repetition_controls_from_the_command_line(converted, tmp_path, capsys):
    src = tmp_path / "a.txt"
    src.write_text(SOURCES[1], "utf-8")
    out = tmp_path / "a.jsonl"
    args = ["run", str(src), "--model", str(converted["marian"]), "--beam", "1", "-o", str(out)]
    assert main(args + ["--max-output-tokens", "16", "--no-repeat-ngram-size", "1"]) == 0
    header, _, record = [json.loads(x) for x in out.read_text("utf-8").splitlines()]
    assert record["type"] == "sentence" and record["translation"]
    assert "repetition" not in [f["code"] for f in record["flags"]]
    assert ["no_repeat_ngram_size", "1"] in header["run"]["extra"]
    for bad in (["--no-repeat-ngram-size", "-1"], ["--repetition-penalty", "0"]):
        capsys.readouterr()
        assert main(args + ["--overwrite", *bad]) == 2
        err = capsys.readouterr().err
        assert "repe" in err and "Traceback" not in err and len(err.splitlines()) == 1
