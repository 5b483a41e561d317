"""The model path, on tiny random models of the real architectures."""

import weakref

import pytest

from translate.errors import ModelError, UnsafeModelError, UsageError
from translate.mt.backends import load_translator
from translate.mt.registry import resolve
from translate.mt.translator import TranslationOptions, TruncatedError, split_to_fit

SOURCES = [
    "Ақмола облысының әкімі Иран елшісімен кездесті.",
    "Біз дайынбыз.",
    "Өңірде 1300-ге жуық өнеркәсіптік кәсіпорын жұмыс істейді.",
    "Ауа райы бүгін жылы болады деп күтілуде.",
    "Иран компаниялары Қазақстанда өз қызметін кеңейтуге мүдделі.",
]


def load(path, **kw):
    kw.setdefault("max_output_tokens", 24)
    return load_translator(resolve(str(path)), TranslationOptions(**kw))


@pytest.mark.parametrize("family", ["tiny_nllb", "tiny_marian", "tiny_t5"])
@pytest.mark.parametrize("beam", [1, 3])
def test_batched_equals_one_by_one(family, beam, request):
    tr = load(request.getfixturevalue(family), beam=beam)
    batched = tr.translate(SOURCES, "kk", "en")
    single = [tr.translate([s], "kk", "en")[0] for s in SOURCES]
    assert [t.text for t in batched] == [t.text for t in single]
    assert len({t.text for t in batched}) > 1, "random model should give different outputs"
    for a, b in zip(batched, single):
        assert a.score == pytest.approx(b.score, abs=1e-4)
        assert a.score < 0


def test_order_survives_length_sorting(tiny_nllb):
    # A budget that forces several batches of different lengths.
    tr = load(tiny_nllb, beam=1, batch_tokens=40, max_batch_size=2)
    reversed_in = list(reversed(SOURCES))
    out = tr.translate(SOURCES, "kk", "en")
    out_rev = tr.translate(reversed_in, "kk", "en")
    assert [t.text for t in out] == [t.text for t in reversed(out_rev)]


def test_long_sentence_is_split_not_cut(tiny_nllb):
    long = ", ".join(SOURCES * 3)
    tr = load(tiny_nllb, beam=1, max_input_tokens=24)
    pieces = split_to_fit(long, 24, lambda xs: tr.count_tokens(xs, "kk", "en"))
    assert len(pieces) > 1
    assert all(n <= 24 for n in tr.count_tokens(pieces, "kk", "en"))
    assert "".join("".join(pieces).split()) == "".join(long.split())  # nothing lost
    [t] = tr.translate([long], "kk", "en")
    assert "split" in [f.code for f in t.flags]
    assert t.pieces == len(pieces)
    expected = " ".join(x.text for x in tr.translate(pieces, "kk", "en") if x.text)
    assert t.text == expected


def test_split_inside_a_word_when_nothing_else_fits(tiny_nllb):
    tr = load(tiny_nllb, beam=1)
    word = "ынтымақтастықтыңынтымақтастықтыңынтымақтастықтың"
    pieces = split_to_fit(word, 6, lambda xs: tr.count_tokens(xs, "kk", "en"))
    assert "".join(pieces) == word and len(pieces) > 1


def test_truncation_is_flagged_and_strict_fails(tiny_nllb):
    tr = load(tiny_nllb, beam=1, max_output_tokens=3)
    out = tr.translate(SOURCES[:2], "kk", "en")
    for t in out:
        # random weights rarely stop by themselves within 3 tokens
        if "truncated" in [f.code for f in t.flags]:
            break
    else:
        pytest.fail("no output hit a 3-token limit")
    with pytest.raises(TruncatedError, match="limit"):
        load(tiny_nllb, beam=1, max_output_tokens=3, strict=True).translate(SOURCES[:2], "kk", "en")


def test_first_output_limit_scales_with_input(tiny_nllb):
    tr = load(tiny_nllb, beam=1, max_output_tokens=None, output_ratio=1.0, output_margin=2)
    assert tr._first_limit(5) == 7
    assert tr._first_limit(1000) == tr.max_output_tokens


def test_en_to_kk_marian_uses_target_token(tiny_marian_en_trk):
    tr = load(tiny_marian_en_trk, beam=1)
    n_plain = len(tr.tokenizer("The governor").input_ids)
    assert tr.count_tokens(["The governor"], "en", "kk")[0] == n_plain + 1
    out = tr.translate(["The governor met the ambassador.", "We are ready."], "en", "kk")
    assert len(out) == 2


def test_multitarget_marian_without_token_is_refused(tiny_marian_en_trk):
    tr = load(tiny_marian_en_trk, beam=1)
    with pytest.raises(ModelError, match="no token"):
        tr.translate(["Сәлем"], "kk", "en")


def test_nllb_both_directions(tiny_nllb):
    tr = load(tiny_nllb, beam=1)
    assert len(tr.translate(["The governor met the ambassador."], "en", "kk")) == 1
    assert tr.describe()["family"] == "nllb"


def test_pickle_weights_refused_unless_allowed(tiny_marian, tmp_path):
    import shutil

    import torch
    from safetensors.torch import load_file

    d = tmp_path / "pickled"
    shutil.copytree(tiny_marian, d)
    state = load_file(d / "model.safetensors")
    (d / "model.safetensors").unlink()
    torch.save(state, d / "pytorch_model.bin")
    with pytest.raises(UnsafeModelError, match="--allow-pickle"):
        load(d)
    assert len(load(d, allow_pickle=True).translate(["Сәлем"], "kk", "en")) == 1


def test_corrupt_model_dir_gives_clear_error(tiny_marian, tmp_path):
    import shutil

    d = tmp_path / "broken"
    shutil.copytree(tiny_marian, d)
    (d / "config.json").write_text("{not json")
    with pytest.raises(ModelError, match="not valid JSON"):
        load(d)
    (d / "config.json").write_text((tiny_marian / "config.json").read_text())
    (d / "model.safetensors").write_bytes(b"garbage")
    with pytest.raises(ModelError, match="cannot load"):
        load(d)
    (d / "model.safetensors").unlink()
    with pytest.raises(ModelError, match="no weights"):
        load(d)


@pytest.mark.parametrize(
    "kw",
    [
        {"beam": 0},
        {"device": "tpu"},
        {"max_input_tokens": 1},
        {"batch_tokens": -1},
        {"parallel_batches": -1},
    ],
)
def test_bad_options_are_refused(kw):
    with pytest.raises(UsageError):
        TranslationOptions(**kw)


def test_unknown_language(tiny_nllb):
    from translate.errors import UnsupportedLanguageError

    with pytest.raises(UnsupportedLanguageError, match="supported: kk, en"):
        load(tiny_nllb).translate(["x"], "kk", "de")


def test_out_of_memory_halves_the_batch_and_loses_nothing(tiny_nllb):
    tr = load(tiny_nllb, beam=1)
    expected = [t.text for t in tr.translate(SOURCES, "kk", "en")]
    real_generate = tr.generate
    sizes = []
    failed: list[weakref.ref] = []  # what each failed attempt held (a GPU's KV cache)
    held_at_retry = []

    class FakeOOM(Exception):
        pass

    class Tensors:
        pass

    def generate(texts, src, tgt, n):
        sizes.append(len(texts))
        held_at_retry.append(sum(r() is not None for r in failed))
        cache = Tensors()
        if len(texts) > 2:
            failed.append(weakref.ref(cache))
            raise FakeOOM("CUDA out of memory")
        return real_generate(texts, src, tgt, n)

    tr.generate = generate
    tr.is_out_of_memory = lambda exc: isinstance(exc, FakeOOM)
    assert [t.text for t in tr.translate(SOURCES, "kk", "en")] == expected
    assert sizes == [5, 2, 3, 1, 2]  # 5 fails, halves: 2 ok, 3 fails, halves: 1 and 2
    # A retry starts with the failed attempt's memory freed, not kept alive by
    # the error's traceback (on a real GPU the halves ran out of memory too).
    assert held_at_retry == [0, 0, 0, 0, 0]


def test_concurrent_batches_keep_order_and_lose_nothing(tiny_nllb):
    """A backend that decodes several batches at once (CTranslate2's CPU
    workers) gets them from threads; every sentence comes back in its place."""
    import threading
    import time

    from translate.mt.translator import Generated

    tr = load(tiny_nllb, beam=1, max_batch_size=2)
    tr.concurrency = 3
    threads, sizes = set(), []

    def generate(texts, src, tgt, n):
        threads.add(threading.get_ident())
        sizes.append(len(texts))
        time.sleep(0.05)
        return [Generated(t.upper(), -0.5, len(t), False) for t in texts]

    tr.generate = generate
    sources = [f"{i}" + " сөз" * (i % 5) for i in range(11)]
    assert [t.text for t in tr.translate(sources, "kk", "en")] == [s.upper() for s in sources]
    assert sum(sizes) == 11 and max(sizes) <= 2
    assert len(threads) > 1


def test_a_failing_batch_stops_the_concurrent_job(tiny_nllb):
    """An error (or Ctrl-C) in one batch reaches the caller at once: batches
    not started yet are dropped, not decoded first."""
    import time

    tr = load(tiny_nllb, beam=1, max_batch_size=1)
    tr.concurrency = 2
    calls = []

    def generate(texts, src, tgt, n):
        calls.append(texts[0])
        time.sleep(0.02)
        raise RuntimeError("boom")

    tr.generate = generate
    with pytest.raises(RuntimeError, match="boom"):
        tr.translate([f"{i}" + " сөз" * (i % 3) for i in range(40)], "kk", "en")
    assert len(calls) <= 4


def test_small_jobs_are_split_so_every_worker_gets_a_batch(tiny_nllb):
    tr = load(tiny_nllb, beam=1, max_batch_size=32)
    assert tr._batch_cap(16) == 32
    tr.concurrency = 2
    assert tr._batch_cap(16) == 8 and tr._batch_cap(1) == 1 and tr._batch_cap(100) == 32


def test_batch_defaults_are_larger_on_a_gpu(tiny_nllb):
    """32 sentences and 4096 tokens a batch by default, 64 and 8192 on CUDA (the
    policy: a GPU translator cannot be built here); explicit values win."""
    tr = load(tiny_nllb, beam=1)
    assert (tr._batch_cap(500), tr.default_batch_tokens()) == (32, 4096)
    tr.device = "cuda"
    assert (tr._batch_cap(500), tr.default_batch_tokens()) == (64, 8192)
    assert load(tiny_nllb, beam=1, max_batch_size=8)._batch_cap(500) == 8


def test_an_empty_piece_of_a_split_sentence_is_flagged(tiny_nllb):
    from translate.mt.translator import Generated

    tr = load(tiny_nllb, beam=1)
    t = tr._join("a, b", [Generated("A", -0.1, 1, False), Generated(" ", -0.2, 0, False)])
    assert t.text == "A"
    assert {f.code for f in t.flags} == {"split", "empty"}


@pytest.mark.parametrize("beam", [1, 3])
def test_score_recorder_matches_full_scores(tiny_nllb, beam):
    """The transformers path keeps only the top few log-probs per step (not a
    vocabulary-sized tensor); the token scores it gives are the full ones."""
    import torch
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

    from translate.mt.backends.hf import _processor_list, _ScoreRecorder

    tok = AutoTokenizer.from_pretrained(tiny_nllb)
    net = AutoModelForSeq2SeqLM.from_pretrained(tiny_nllb).eval()
    enc = tok(["Ақмола облысының әкімі Иран елшісімен кездесті.", "Біз дайынбыз."],
              return_tensors="pt", padding=True)  # fmt: skip
    kw = dict(max_new_tokens=12, num_beams=beam, do_sample=False, return_dict_in_generate=True)
    full = net.generate(**enc, **kw, output_scores=True)
    ref = net.compute_transition_scores(
        full.sequences, full.scores, getattr(full, "beam_indices", None), normalize_logits=beam == 1
    )
    rec = _ScoreRecorder(torch, beam)
    lean = net.generate(**enc, **kw, logits_processor=_processor_list([rec]))
    got = rec.token_scores(lean.sequences, getattr(lean, "beam_indices", None))
    assert torch.equal(full.sequences, lean.sequences)
    finite = torch.isfinite(ref)
    assert finite.any()
    assert torch.allclose(ref[finite], got[:, : ref.shape[1]][finite], atol=1e-5)


def test_threads_are_set_for_the_transformers_backend(tiny_nllb, monkeypatch):
    import torch

    from translate.mt.devices import cpu_threads

    before = torch.get_num_threads()
    try:
        tr = load(tiny_nllb, beam=1, device="cpu", threads=1)
        assert torch.get_num_threads() == 1 and tr.describe()["threads"] == 1
        assert len(tr.translate(SOURCES[:2], "kk", "en")) == 2
    finally:
        torch.set_num_threads(before)
    # 0 means OMP_NUM_THREADS when set (Ray sets it per worker), else every CPU
    monkeypatch.setenv("OMP_NUM_THREADS", "3")
    assert cpu_threads(0) == 3 and cpu_threads(5) == 5
    monkeypatch.setenv("OMP_NUM_THREADS", "junk")
    assert cpu_threads(0) >= 1


def test_ray_replicas_share_the_cpus():
    from translate.jobs.ray_engine import cpu_share

    assert cpu_share(0, 1, [2.0]) == 2
    assert cpu_share(0, 2, [2.0]) == 1
    assert cpu_share(0, 2, [16.0, 16.0]) == 16  # one replica per node
    assert cpu_share(0, 1, [8.0, 8.0]) == 8  # never more than a node holds
    assert cpu_share(0, 8, [2.0]) == 1
    assert cpu_share(4, 2, [2.0]) == 4  # --threads wins


def test_blank_inputs_skip_the_model(tiny_nllb):
    tr = load(tiny_nllb, beam=1)
    calls = []
    real = tr.generate
    tr.generate = lambda texts, *a: calls.append(list(texts)) or real(texts, *a)
    out = tr.translate(["", SOURCES[1], "  \n", SOURCES[2]], "kk", "en")
    assert [t.text == "" for t in out] == [True, False, True, False]
    assert out[0].flags == () and out[0].score is None
    assert out[1].text == tr.translate([SOURCES[1]], "kk", "en")[0].text
    assert all(x.strip() for batch in calls for x in batch)


def test_progress_is_reported_after_each_batch(tiny_nllb):
    tr = load(tiny_nllb, beam=1, max_batch_size=2)
    seen = []
    tr.on_progress = lambda done, total: seen.append((done, total))
    out = tr.translate(SOURCES, "kk", "en")
    assert len(out) == len(SOURCES)
    dones = [d for d, _ in seen]
    assert dones == sorted(dones) and seen[-1] == (len(SOURCES), len(SOURCES))
    assert seen[0] == (0, len(SOURCES))  # the call starts
    assert len(seen) == 1 + -(-len(SOURCES) // 2)  # then one report a batch


def test_progress_counts_a_split_sentence_once(tiny_nllb):
    """A sentence cut into pieces (over the input limit) is one sentence of
    progress, done when its last piece is."""
    tr = load(tiny_nllb, beam=1, max_batch_size=1, max_input_tokens=12)
    long = " ".join(SOURCES)
    texts = [SOURCES[0], long]
    seen = []
    tr.on_progress = lambda done, total: seen.append((done, total))
    out = tr.translate(texts, "kk", "en")
    assert any(f.code == "split" for f in out[1].flags)
    assert all(total == 2 for _, total in seen) and seen[-1] == (2, 2)
    assert len(seen) > 3  # several batches (pieces), never more than 2 sentences done


def test_russian_is_an_extra_source_only_where_the_model_has_it(tiny_nllb, tiny_marian):
    tr = load(tiny_nllb, beam=1)
    assert tr.extra_sources() == ("ru", "ky", "tt")
    assert load(tiny_marian, beam=1).extra_sources() == ()
    tr.vocab = tr.vocab - {"rus_Cyrl", "tat_Cyrl"}  # an NLLB cut down to fewer languages
    assert tr.extra_sources() == ("ky",)


def test_a_looping_output_is_not_decoded_again_to_the_hard_limit(tiny_nllb):
    """An output that hits its first length limit while repeating itself is
    kept (flagged truncated, saying why) instead of decoded again to the hard
    limit; one that hits it without looping is decoded again."""
    from translate.mt.translator import Generated

    tr = load(tiny_nllb, beam=1, max_output_tokens=200)
    limits = []

    def generate(texts, src, tgt, n):
        limits.append(n)
        out = []
        for t in texts:
            words = ["та"] * n if t.startswith("loop") else [f"w{k}" for k in range(n)]
            out.append(Generated(" ".join(words), -0.5, n, n < tr.max_output_tokens))
        return out

    tr.generate = generate
    [looped] = tr.translate(["loop сөз."], "kk", "en")
    assert limits == [tr._first_limit(tr.count_tokens(["loop сөз."], "kk", "en")[0])]
    assert limits[0] < tr.max_output_tokens
    assert [f.code for f in looped.flags] == ["truncated"]
    assert "repeating itself" in looped.flags[0].reason
    limits.clear()
    [plain] = tr.translate(["plain сөз."], "kk", "en")
    assert limits[1:] == [tr.max_output_tokens]  # decoded again with the hard limit
    assert not plain.flags


BAD_OPTIONS = [
    ({"compute_type": "int4"}, "compute type 'int4' is not one of auto, int8, int8_float16"),
    ({"threads": -1}, "threads must be 0 (all cores) or more (got -1)"),
    ({"parallel_batches": -1}, "parallel batches must be 0 (automatic) or more (got -1)"),
    ({"beam": 0}, "beam must be at least 1 (got 0)"),
    ({"batch_tokens": -1}, "batch_tokens and max_batch_size must be 0 (automatic) or more"),
    ({"max_batch_size": -1}, "batch_tokens and max_batch_size must be 0 (automatic) or more"),
    ({"max_input_tokens": 3}, "max_input_tokens must be at least 4 (got 3)"),
    ({"max_output_tokens": 0}, "max_output_tokens must be at least 1 (got 0)"),
    ({"output_ratio": 0.0}, "output_ratio must be positive and output_margin not negative"),
    ({"output_margin": -1}, "output_ratio must be positive and output_margin not negative"),
    ({"device": "tpu"}, "device 'tpu' is not one of auto, cpu, cuda"),
    ({"no_repeat_ngram_size": -1}, "no_repeat_ngram_size must be 0 (off) or more (got -1)"),
    ({"repetition_penalty": 0.0}, "repetition_penalty must be a positive finite number (got 0.0)"),
    (
        {"repetition_penalty": -1.0},
        "repetition_penalty must be a positive finite number (got -1.0)",
    ),
    ({"repetition_penalty": float("inf")}, "repetition_penalty must be a positive finite number"),
    ({"repetition_penalty": float("nan")}, "repetition_penalty must be a positive finite number"),
]


@pytest.mark.parametrize("kw, message", BAD_OPTIONS, ids=[str(k) for k, _ in BAD_OPTIONS])
def test_each_bad_option_says_what_is_wrong(kw, message):
    with pytest.raises(UsageError) as err:
        TranslationOptions(**kw)
    assert str(err.value).startswith(message)


def test_the_edges_of_the_options_are_allowed():
    TranslationOptions(
        beam=1,
        threads=0,
        parallel_batches=0,
        batch_tokens=0,
        max_batch_size=0,
        max_input_tokens=4,
        max_output_tokens=1,
        output_ratio=0.01,
        output_margin=0,
        no_repeat_ngram_size=0,
        repetition_penalty=0.01,
    )
    for compute_type in ("auto", "int8", "int8_float16", "float16", "bfloat16", "float32"):
        for device in ("auto", "cpu", "cuda"):
            TranslationOptions(compute_type=compute_type, device=device)


def test_repetition_settings_name_only_what_is_on():
    from translate.mt.options import repetition_settings

    assert repetition_settings(TranslationOptions()) == {}
    on = TranslationOptions(no_repeat_ngram_size=3, repetition_penalty=1.2)
    assert repetition_settings(on) == {"no_repeat_ngram_size": 3, "repetition_penalty": 1.2}
    assert repetition_settings(TranslationOptions(repetition_penalty=0.9)) == {
        "repetition_penalty": 0.9
    }
