"""Boundaries an audit found unpinned: every field of the translation-memory key,
resuming from crafted manifests, the exact input and output limits of the
translator, and hostile text through every result format."""

import fnmatch
import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from lxml import etree

from translate.cli import main
from translate.formats import open_writer, read_results
from translate.formats.base import AtomicFile
from translate.jobs.batch import run_batch
from translate.jobs.manifest import MANIFEST, read_manifest
from translate.mt import translator as translator_module
from translate.mt.backends import load_translator
from translate.mt.cache import CachedTranslator, TranslationCache
from translate.mt.registry import resolve
from translate.mt.translator import (
    Generated,
    ModelTranslator,
    TranslationOptions,
    Translator,
    split_to_fit,
)
from translate.pipeline import make_signature
from translate.records import Document, DocumentResult, Flag, Record, Signature, Translation

# --------------------------------------------------------------------------------------------
# 1. The translation-memory key
# --------------------------------------------------------------------------------------------

TEXTS = ["Бір.", "Екі сөз.", "Бір."]

# What a CTranslate2 translator reports (translate/mt/backends/ct2.py describe()).
BASE_DESCRIPTION = {
    "model": "facebook/nllb-200-distilled-600M",
    "revision": "main",
    "backend": "ctranslate2",
    "device": "cpu",
    "dtype": "int8",
    "family": "nllb",
    "shortlist": "on",
    "threads": 2,
    "beam": 4,
    "max_input_tokens": 512,
    "max_output_tokens": 512,
}

# One change per field of the key; each changes what the model would write.
KEY_CHANGES = [
    ("model", "facebook/nllb-200-distilled-1.3B"),
    ("revision", "f8d333a"),
    ("backend", "transformers"),
    ("dtype", "float16"),
    ("shortlist", None),
    ("shortlist", "on-except-ru"),
    ("beam", 1),
    ("max_input_tokens", 256),
    ("max_output_tokens", 64),
    ("no_repeat_ngram_size", 3),
    ("repetition_penalty", 1.2),
]


class FakeTranslator(Translator):
    """Counts its calls; its translations name its whole configuration, so a
    translation stored under another configuration is told apart."""

    def __init__(self, **changes):
        self.description = {**BASE_DESCRIPTION, **changes}
        self.backend = str(self.description["backend"])
        self.calls: list[tuple[list[str], str, str]] = []

    def translate(self, texts, src, tgt):
        self.calls.append((list(texts), src, tgt))
        return self.expected(texts, src, tgt)

    def expected(self, texts, src, tgt):
        tag = json.dumps(self.description, sort_keys=True)
        return [Translation(f"{tag}|{src}>{tgt}|{t}", -0.25) for t in texts]

    def describe(self):
        return dict(self.description)


def fill_cache(path: Path, src: str = "kk", tgt: str = "en", **changes) -> list[Translation]:
    cache = TranslationCache(path)
    try:
        return CachedTranslator(FakeTranslator(**changes), cache).translate(TEXTS, src, tgt)
    finally:
        cache.close()


def test_cache_hits_when_nothing_changes(tmp_path):
    """Same configuration, same direction, the memory reopened from its file:
    every sentence is a hit and comes back exactly as stored."""
    stored = fill_cache(tmp_path / "tm.sqlite")
    cache = TranslationCache(tmp_path / "tm.sqlite")
    inner = FakeTranslator()
    tr = CachedTranslator(inner, cache)
    again = tr.translate(TEXTS, "kk", "en")
    cache.close()
    assert inner.calls == []
    assert again == stored
    assert tr.hit_rate == 1.0


@pytest.mark.parametrize(("field", "value"), KEY_CHANGES, ids=[f"{f}={v}" for f, v in KEY_CHANGES])
def test_cache_misses_when_one_key_field_changes(tmp_path, field, value):
    """A memory filled under one configuration is not used when only ``field``
    differs: the model is asked again and its own translation is returned."""
    assert BASE_DESCRIPTION.get(field) != value
    stored = fill_cache(tmp_path / "tm.sqlite")
    cache = TranslationCache(tmp_path / "tm.sqlite")
    inner = FakeTranslator(**{field: value})
    tr = CachedTranslator(inner, cache)
    out = tr.translate(TEXTS, "kk", "en")
    cache.close()
    assert inner.calls == [(["Бір.", "Екі сөз."], "kk", "en")]  # the repeat is still shared
    assert out == inner.expected(TEXTS, "kk", "en")
    assert not {t.text for t in out} & {t.text for t in stored}
    assert tr.hits == 1  # only the repeat within the batch


# The key of "Бір." kk>en under BASE_DESCRIPTION, as translate 0.1.0 computes it.
PINNED_KEY = "1137ec69541bf632b2d379046acbb5194c41bc45a475b5018795bdd91e4f0f86"


def test_cache_keys_of_earlier_versions_still_match(tmp_path):
    """A configuration without repetition controls keys sentences as the memory
    files written before those options existed did (pinned digest)."""
    cache = TranslationCache(tmp_path / "tm.sqlite")
    key = CachedTranslator(FakeTranslator(), cache).key("Бір.", "kk", "en")
    cache.close()
    assert key == PINNED_KEY


@pytest.mark.parametrize(
    ("field", "value"), [("no_repeat_ngram_size", 3), ("repetition_penalty", 1.2)]
)
def test_run_signature_names_repetition_controls(field, value):
    """A resume or a results file made with other repetition controls is told apart."""
    base = make_signature(FakeTranslator(), "kk", "en")
    changed = make_signature(FakeTranslator(**{field: value}), "kk", "en")
    assert base != changed and (field, str(value)) in changed.extra
    assert field not in dict(base.extra)
    assert f"{field}:{value}" in str(changed)


# Each pair differs in exactly one of source and target language (or both).
DIRECTIONS = [
    (("kk", "en"), ("ru", "en")),  # the source alone (ru is an extra source of NLLB)
    (("ru", "en"), ("ru", "kk")),  # the target alone
    (("kk", "en"), ("en", "kk")),  # both
]


@pytest.mark.parametrize(("first", "second"), DIRECTIONS, ids=["src", "tgt", "src+tgt"])
def test_cache_misses_when_the_direction_changes(tmp_path, first, second):
    """The direction is part of the key: the same text in another direction
    (even with only the source, or only the target, language changed) is a miss."""
    fill_cache(tmp_path / "tm.sqlite", *first)
    cache = TranslationCache(tmp_path / "tm.sqlite")
    inner = FakeTranslator()
    out = CachedTranslator(inner, cache).translate(TEXTS, *second)
    cache.close()
    assert inner.calls == [(["Бір.", "Екі сөз."], *second)]
    assert out == inner.expected(TEXTS, *second)


@pytest.mark.parametrize(
    "change",
    [{"beam": 2}, {"max_input_tokens": 16}, {"max_output_tokens": 5}],
    ids=["beam", "max_input_tokens", "max_output_tokens"],
)
def test_real_translator_fills_the_key(tiny_nllb, tmp_path, change):
    """With a real (tiny) model, options that change a translation reach the
    key through the backend's description: changed, a miss; unchanged, a hit."""
    base = {"beam": 1, "max_input_tokens": 32, "max_output_tokens": 6}

    def cached(opts):
        inner = load_translator(resolve(str(tiny_nllb)), TranslationOptions(**opts))
        calls = []
        real = inner.translate
        inner.translate = lambda texts, s, t: calls.append(list(texts)) or real(texts, s, t)
        return CachedTranslator(inner, cache), calls

    cache = TranslationCache(tmp_path / "tm.sqlite")
    first, first_calls = cached(base)
    first.translate(TEXTS, "kk", "en")
    assert first_calls == [["Бір.", "Екі сөз."]]
    same, same_calls = cached(base)
    same.translate(TEXTS, "kk", "en")
    assert same_calls == []
    same.translate(TEXTS, "en", "kk")
    assert same_calls == [["Бір.", "Екі сөз."]]
    other, other_calls = cached({**base, **change})
    other.translate(TEXTS, "kk", "en")
    assert other_calls == [["Бір.", "Екі сөз."]]
    cache.close()


# --------------------------------------------------------------------------------------------
# 2. Resuming from crafted manifests
# --------------------------------------------------------------------------------------------

ARTICLES = {
    "a": "Ақмола облысының әкімі Иран елшісімен кездесті. Біз дайынбыз.\n",
    "b": "Өңірде 1300-ге жуық кәсіпорын жұмыс істейді.\nАуа райы жылы болады.\n",
    "c": "Иран компаниялары өз қызметін кеңейтуге мүдделі. Сауда өсті.\n",
}
FORMATS = ["jsonl", "tsv"]


def batch(src: Path, out: Path, model: Path, *extra: str) -> int:
    return main(
        [
            "batch",
            str(src),
            "-o",
            str(out),
            "--model",
            str(model),
            "--beam",
            "1",
            "--max-output-tokens",
            "6",
            "-q",
            "--to",
            ",".join(FORMATS),
            *extra,
        ]
    )


def article_lines(out: Path) -> list[dict]:
    lines = [json.loads(x) for x in (out / MANIFEST).read_text("utf-8").splitlines()]
    return [x for x in lines if x["type"] == "article"]


def output_files(out: Path, art_id: str) -> list[Path]:
    return [out / f"{art_id}.{fmt}" for fmt in FORMATS]


def stamps(out: Path, ids) -> dict[str, tuple[int, int, bytes]]:
    """Inode, modification time and bytes of the outputs of ``ids``."""
    found = {}
    for art_id in ids:
        for p in output_files(out, art_id):
            st = p.stat()
            found[p.name] = (st.st_ino, st.st_mtime_ns, p.read_bytes())
    return found


@pytest.fixture(scope="module")
def finished_job(tiny_nllb, tmp_path_factory):
    """A job of three articles, run to the end once: its inputs and OUT_DIR."""
    root = tmp_path_factory.mktemp("job")
    src = root / "in"
    src.mkdir()
    for name, text in ARTICLES.items():
        (src / f"{name}.txt").write_text(text, "utf-8")
    out = root / "out"
    assert batch(src, out, tiny_nllb) == 0
    return src, out


@pytest.fixture
def job(finished_job, tmp_path):
    """The finished job's inputs (shared: do not change them; outputs name
    their source path) and a private copy of its OUT_DIR, with the bytes of
    every output."""
    src, out = finished_job
    shutil.copytree(out, tmp_path / "out")
    out = tmp_path / "out"
    before = {art_id: [p.read_bytes() for p in output_files(out, art_id)] for art_id in ARTICLES}
    return src, out, before


def private_inputs(src: Path, tmp_path: Path) -> Path:
    """A copy of the inputs that a test may add articles to."""
    return Path(shutil.copytree(src, tmp_path / "in"))


def translations(path: Path) -> list[tuple[str, str]]:
    _, docs = read_results(path)
    return [(r.source, r.translation) for d in docs for r in d.records]


def rewrite_entry(out: Path, art_id: str, entry: dict | None) -> None:
    """Replace the manifest line of ``art_id`` (``None``: drop it)."""
    lines = (out / MANIFEST).read_text("utf-8").splitlines()
    kept = []
    for line in lines:
        obj = json.loads(line)
        if obj.get("id") == art_id:
            if entry is not None:
                kept.append(json.dumps(entry, ensure_ascii=False))
        else:
            kept.append(line)
    (out / MANIFEST).write_text("\n".join(kept) + "\n", "utf-8")


def test_the_finished_job_has_one_ok_entry_per_article(finished_job):
    """The starting point of the resume tests: one ``ok`` line per article,
    naming outputs that exist."""
    _, out = finished_job
    lines = article_lines(out)
    assert sorted(x["id"] for x in lines) == sorted(ARTICLES)
    for x in lines:
        assert x["status"] == "ok"
        assert sorted(x["outputs"]) == sorted(p.name for p in output_files(out, x["id"]))
        assert all((out / f).is_file() for f in x["outputs"])


def test_resume_retries_an_article_recorded_as_failed(job, tiny_nllb):
    """A ``failed`` manifest line is not "done": --resume translates that
    article again, writes the outputs an uninterrupted run writes, and records
    it ``ok`` once; the other articles are left alone."""
    src, out, before = job
    rewrite_entry(
        out,
        "b",
        {"type": "article", "id": "b", "status": "failed", "error": "crafted", "outputs": []},
    )
    for p in output_files(out, "b"):
        p.unlink()
    untouched = stamps(out, ["a", "c"])
    lines_before = article_lines(out)

    assert batch(src, out, tiny_nllb, "--resume") == 0

    assert [p.read_bytes() for p in output_files(out, "b")] == before["b"]
    new = article_lines(out)[len(lines_before) :]
    assert [(x["id"], x["status"]) for x in new] == [("b", "ok")]
    _, entries = read_manifest(out / MANIFEST)
    assert sorted(entries) == sorted(ARTICLES)
    assert {x["status"] for x in entries.values()} == {"ok"}
    assert stamps(out, ["a", "c"]) == untouched

    # The later ok line wins over the earlier failed one: a second resume does nothing.
    everything = stamps(out, ARTICLES)
    assert batch(src, out, tiny_nllb, "--resume") == 0
    assert stamps(out, ARTICLES) == everything


def test_resume_retries_a_failed_article_whose_old_outputs_exist(job, tiny_nllb):
    """A ``failed`` line wins over output files lying around (say, from an earlier
    run): the article is translated again and recorded ``ok``."""
    src, out, before = job
    rewrite_entry(
        out,
        "b",
        {"type": "article", "id": "b", "status": "failed", "error": "crafted", "outputs": []},
    )
    for p in output_files(out, "b"):
        p.write_text("stale\n", "utf-8")

    assert batch(src, out, tiny_nllb, "--resume") == 0

    assert [p.read_bytes() for p in output_files(out, "b")] == before["b"]
    _, entries = read_manifest(out / MANIFEST)
    assert entries["b"]["status"] == "ok"


@pytest.mark.parametrize(
    ("lost", "memory"),
    [("jsonl", []), ("tsv", []), ("jsonl", ["--no-cache"])],
    ids=["jsonl", "tsv", "jsonl-no-cache"],
)
def test_resume_redoes_a_done_article_whose_output_was_deleted(job, tiny_nllb, lost, memory):
    """An ``ok`` line whose output file is gone is redone: the file comes back
    byte for byte (from the memory, or translated again without it), the
    article gets one new ``ok`` line, the others none."""
    src, out, before = job
    (out / f"b.{lost}").unlink()
    untouched = stamps(out, ["a", "c"])
    n_before = len(article_lines(out))

    assert batch(src, out, tiny_nllb, "--resume", *memory) == 0

    assert [p.read_bytes() for p in output_files(out, "b")] == before["b"]
    new = article_lines(out)[n_before:]
    assert [(x["id"], x["status"]) for x in new] == [("b", "ok")]
    assert stamps(out, ["a", "c"]) == untouched


def test_resume_records_failures_after_the_last_translated_article(job, tiny_nllb, tmp_path):
    """Articles that fail after the last one translated (here a binary and an
    empty file, listed last) are still recorded as failed, after the
    translated one, and the exit code says so."""
    src, out, before = job
    src = private_inputs(src, tmp_path)
    expected = translations(out / "b.jsonl")
    (out / "b.jsonl").unlink()  # b is redone, then d and e fail
    (src / "d_binary.txt").write_bytes(b"\x00\x01\x02\xff\xfe")
    (src / "e_empty.txt").write_text("  \n\n", "utf-8")
    n_before = len(article_lines(out))

    assert batch(src, out, tiny_nllb, "--resume") == 1

    new = article_lines(out)[n_before:]
    assert [(x["id"], x["status"]) for x in new] == [
        ("b", "ok"),
        ("d_binary", "failed"),
        ("e_empty", "failed"),
    ]
    assert all(x["error"] and x["outputs"] == [] for x in new[1:])
    assert translations(out / "b.jsonl") == expected
    assert (out / "b.tsv").read_bytes() == before["b"][1]  # TSV names no input path
    _, entries = read_manifest(out / MANIFEST)
    assert sorted(entries) == sorted([*ARTICLES, "d_binary", "e_empty"])


def test_resume_with_only_failing_articles_left_records_them(job, tiny_nllb, tmp_path):
    """When nothing is left to translate but failing articles, they are
    recorded (no translated article follows them to flush them out)."""
    src, out, _ = job
    src = private_inputs(src, tmp_path)
    (src / "z_empty.txt").write_text("\n", "utf-8")
    n_before = len(article_lines(out))

    assert batch(src, out, tiny_nllb, "--resume") == 1

    new = article_lines(out)[n_before:]
    assert [(x["id"], x["status"]) for x in new] == [("z_empty", "failed")]


def test_fresh_job_records_trailing_failures(tmp_path, tiny_nllb):
    """In a fresh job too, a failing article listed after every translated one
    gets its ``failed`` line."""
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(ARTICLES["a"], "utf-8")
    (src / "z.txt").write_bytes(b"\x00\x00binary\x00")
    out = tmp_path / "out"
    assert batch(src, out, tiny_nllb) == 1
    assert [(x["id"], x["status"]) for x in article_lines(out)] == [
        ("a", "ok"),
        ("z", "failed"),
    ]


def test_resume_removes_stale_temporary_files(job, tiny_nllb, tmp_path):
    """Temporary files a killed run left (AtomicFile's ``.NAME.HEX.part``), at
    the top of OUT_DIR or below it, are removed by the resumed run; finished
    outputs are not touched."""
    src, out, _ = job
    probe = AtomicFile(tmp_path / "probe" / "b.jsonl")  # the real temporary name
    assert fnmatch.fnmatch(probe.tmp.name, ".b.jsonl.*.part")
    probe.abort()
    stale = [
        out / ".b.jsonl.0badc0de.part",
        out / ".a.tsv.12345678.part",
        out / "sub" / ".x.jsonl.deadbeef.part",
    ]
    for p in stale:
        p.parent.mkdir(exist_ok=True)
        p.write_text('{"type": "sentence", "half', "utf-8")
    untouched = stamps(out, ARTICLES)
    manifest = (out / MANIFEST).read_bytes()

    assert batch(src, out, tiny_nllb, "--resume") == 0

    assert [p for p in stale if p.exists()] == []
    assert sorted(out.rglob("*.part")) == []
    assert stamps(out, ARTICLES) == untouched
    assert (out / MANIFEST).read_bytes() == manifest


def test_resume_of_a_finished_job_rewrites_nothing(job, tiny_nllb):
    """Done articles are not translated or written again: outputs keep their
    inode, time and bytes, and the manifest gets no line."""
    src, out, _ = job
    untouched = stamps(out, ARTICLES)
    manifest = (out / MANIFEST).read_bytes()
    assert batch(src, out, tiny_nllb, "--resume") == 0
    assert stamps(out, ARTICLES) == untouched
    assert (out / MANIFEST).read_bytes() == manifest


class CountingTranslator(Translator):
    """Wraps a translator and records every sentence it is asked for."""

    def __init__(self, inner: Translator):
        self.inner = inner
        self.backend = inner.backend
        self.asked: list[str] = []

    def translate(self, texts, src, tgt):
        self.asked += texts
        return self.inner.translate(texts, src, tgt)

    def describe(self):
        return self.inner.describe()


def test_resume_translates_only_the_articles_not_done(tiny_nllb, tmp_path):
    """Counted at the translator (no memory): a resumed job asks the model for
    the sentences of the redone article only, and for nothing once all are done."""
    src = tmp_path / "in"
    src.mkdir()
    for name, text in ARTICLES.items():
        (src / f"{name}.txt").write_text(text, "utf-8")
    out = tmp_path / "out"
    model = load_translator(
        resolve(str(tiny_nllb)), TranslationOptions(beam=1, max_output_tokens=6)
    )
    signature = make_signature(model, "kk", "en")

    def run(**kw):
        tr = CountingTranslator(model)
        stats = run_batch(str(src), out, tr, signature, FORMATS, **kw)
        return tr.asked, stats

    everything, stats = run()
    assert stats.done == 3 and len(everything) >= 6
    asked, stats = run(resume=True)
    assert asked == [] and stats.skipped == 3 and stats.done == 0
    (out / "c.tsv").unlink()
    asked, stats = run(resume=True)
    assert stats.done == 1 and stats.skipped == 2
    assert asked and all(s in ARTICLES["c"] for s in asked)


# --------------------------------------------------------------------------------------------
# 3. Input and output limits of the translator
# --------------------------------------------------------------------------------------------


def load(path, **kw):
    return load_translator(resolve(str(path)), TranslationOptions(**kw))


def spy_generate(tr):
    """Record (inputs, limit, outputs) of every generate call of ``tr``."""
    calls = []
    real = tr.generate

    def generate(texts, src, tgt, max_new_tokens):
        got = real(texts, src, tgt, max_new_tokens)
        calls.append((list(texts), max_new_tokens, got))
        return got

    tr.generate = generate
    return calls


def spy_splitter(monkeypatch):
    """Record (text, pieces) of every call of the translator's splitter."""
    calls = []

    def wrapped(text, max_tokens, count):
        pieces = split_to_fit(text, max_tokens, count)
        calls.append((text, pieces))
        return pieces

    monkeypatch.setattr(translator_module, "split_to_fit", wrapped)
    return calls


# A clause boundary followed by two spaces up front: a sentence that went
# through the splitter would reach the model changed ("Ақмола, облысының").
HEAD = "Ақмола,  облысының "
REST = "әкімі Иран елшісімен кездесті біз дайынбыз жұмыс өңір кәсіпорын экономика сауда"


def sentences_of_length(tr, n_tokens: int) -> tuple[str, str]:
    """A sentence of exactly ``n_tokens`` model tokens (special tokens included,
    as the translator counts them) and one of ``n_tokens + 1``: the head and
    a growing part of the rest, a character at a time."""
    by_length: dict[int, str] = {}
    for k in range(1, len(REST) + 1):
        text = HEAD + REST[:k]
        if not text.endswith(" "):
            by_length.setdefault(tr.count_tokens([text], "kk", "en")[0], text)
    assert n_tokens in by_length and n_tokens + 1 in by_length, sorted(by_length)
    return by_length[n_tokens], by_length[n_tokens + 1]


@pytest.fixture(scope="module")
def nllb_counter(tiny_nllb):
    return load(tiny_nllb, beam=1, max_output_tokens=4)


@pytest.mark.parametrize("limit", [12, 20])
def test_input_of_exactly_the_limit_is_sent_whole(tiny_nllb, nllb_counter, monkeypatch, limit):
    """A sentence of exactly ``max_input_tokens`` tokens fits: it reaches the
    model as given, in one piece, never through the splitter, without ``split``."""
    fits, _ = sentences_of_length(nllb_counter, limit)
    assert "  " in fits and "," in fits  # the splitter would change it
    tr = load(tiny_nllb, beam=1, max_output_tokens=4, max_input_tokens=limit)
    assert tr.count_tokens([fits], "kk", "en") == [limit]
    calls = spy_generate(tr)
    splits = spy_splitter(monkeypatch)
    [t] = tr.translate([fits], "kk", "en")
    assert splits == []
    assert calls and all(inputs == [fits] for inputs, _, _ in calls)
    assert "split" not in [f.code for f in t.flags]
    assert t.pieces == 1


@pytest.mark.parametrize("limit", [12, 20])
def test_input_one_token_over_the_limit_is_split_and_flagged(
    tiny_nllb, nllb_counter, monkeypatch, limit
):
    """One token over ``max_input_tokens``: split into pieces that each fit,
    nothing lost, flagged ``split`` (the reason names the limit)."""
    _, over = sentences_of_length(nllb_counter, limit)
    tr = load(tiny_nllb, beam=1, max_output_tokens=4, max_input_tokens=limit)
    assert tr.count_tokens([over], "kk", "en") == [limit + 1]
    calls = spy_generate(tr)
    splits = spy_splitter(monkeypatch)
    [t] = tr.translate([over], "kk", "en")
    [(text, pieces)] = splits
    assert text == over
    assert t.pieces == len(pieces) > 1
    # the first limit is the hard one (4): no retries, each piece decoded once
    assert sorted(p for inputs, _, _ in calls for p in inputs) == sorted(pieces)
    assert all(n <= limit for n in tr.count_tokens(pieces, "kk", "en"))
    assert "".join("".join(pieces).split()) == "".join(over.split())  # nothing lost
    [flag] = [f for f in t.flags if f.code == "split"]
    assert f"({limit} tokens)" in flag.reason


def nonspace_count(texts):
    """A stand-in token count: one token per non-space character."""
    return [len("".join(t.split())) for t in texts]


@pytest.mark.parametrize(
    ("text", "limit", "pieces"),
    [
        # a clause of exactly the limit stays whole: the break is at its boundaries
        ("a, bc d, e", 4, ["a,", "bc d,", "e"]),
        # clauses are packed up to exactly the limit
        ("a, b, c, d", 4, ["a, b,", "c, d"]),
        # a word longer than the limit is cut into pieces of exactly the limit
        ("abcdefgh", 4, ["abcd", "efgh"]),
        # a text that fits is one piece, even with clause boundaries in it
        ("a, b c", 4, ["a, b c"]),
    ],
)
def test_splitter_fills_pieces_up_to_exactly_the_limit(text, limit, pieces):
    """``split_to_fit`` treats the limit as inclusive everywhere: a clause, a
    packed group or a word-cut of exactly ``limit`` tokens is one piece."""
    assert split_to_fit(text, limit, nonspace_count) == pieces


class ScriptedModel(ModelTranslator):
    """The shared translator logic over a scripted backend: a source needs
    ``needs[text]`` output tokens; a decode stops at its limit ("hit")."""

    backend = "scripted"

    def __init__(self, needs: dict[str, int], **options):
        self.needs = needs
        self.calls: list[tuple[list[str], int]] = []
        super().__init__(TranslationOptions(**options), max_input=64, max_output=64)

    def count_tokens(self, texts, src, tgt):
        return [len(t.split()) + 2 for t in texts]  # language code and </s>

    def generate(self, texts, src, tgt, max_new_tokens):
        self.calls.append((list(texts), max_new_tokens))
        out = []
        for t in texts:
            n = min(self.needs[t], max_new_tokens)
            hit = self.needs[t] > max_new_tokens
            out.append(Generated(" ".join(f"w{i}" for i in range(n)), -0.5, n, hit))
        return out

    def describe(self):
        return {"backend": self.backend}


def test_output_that_hits_the_first_limit_is_decoded_again():
    """The first output limit is ``ratio * input + margin``; an output that
    reaches it is decoded again with the hard limit and, complete there, is
    neither cut nor flagged ``truncated``."""
    src = "бір екі үш"  # 5 tokens: first limit 5 * 1.0 + 1 = 6
    tr = ScriptedModel({src: 10}, max_output_tokens=20, output_ratio=1.0, output_margin=1)
    [t] = tr.translate([src], "kk", "en")
    assert tr.calls == [([src], 6), ([src], 20)]
    assert len(t.text.split()) == 10
    assert t.flags == ()


def test_output_that_hits_the_hard_limit_too_is_flagged_truncated():
    """Still at the limit after the retry with the hard limit: kept as decoded
    (hard limit long) and flagged ``truncated`` naming that limit."""
    src = "бір екі үш"
    tr = ScriptedModel({src: 50}, max_output_tokens=20, output_ratio=1.0, output_margin=1)
    [t] = tr.translate([src], "kk", "en")
    assert tr.calls == [([src], 6), ([src], 20)]
    assert len(t.text.split()) == 20
    assert [f.code for f in t.flags] == ["truncated"]
    assert "20 tokens" in t.flags[0].reason


def test_only_outputs_at_the_first_limit_are_decoded_again():
    """Outputs that ended on their own under the first limit are not decoded
    again; when the first limit is already the hard one there is no retry."""
    short, long_ = "бір екі үш", "төрт бес алты"  # 5 tokens each: first limit 6
    tr = ScriptedModel(
        {short: 2, long_: 9}, max_output_tokens=20, output_ratio=1.0, output_margin=1
    )
    out = tr.translate([short, long_], "kk", "en")
    assert [(sorted(texts), n) for texts, n in tr.calls] == [
        (sorted([short, long_]), 6),
        ([long_], 20),
    ]
    assert [len(t.text.split()) for t in out] == [2, 9]
    capped = ScriptedModel({short: 9}, max_output_tokens=6, output_ratio=1.0, output_margin=1)
    [t] = capped.translate([short], "kk", "en")
    assert capped.calls == [([short], 6)]
    assert [f.code for f in t.flags] == ["truncated"]


def test_real_model_redecodes_with_the_hard_limit(tiny_nllb):
    """With a real (tiny) model: an output cut at the first limit is decoded
    again with the hard limit, and the result kept is the longer decode."""
    source = "Ақмола облысының әкімі Иран елшісімен кездесті."
    tr = load(tiny_nllb, beam=1, max_output_tokens=12, output_ratio=0.1, output_margin=1)
    first_limit = tr._first_limit(tr.count_tokens([source], "kk", "en")[0])
    assert first_limit < 12
    calls = spy_generate(tr)
    [t] = tr.translate([source], "kk", "en")
    assert [(inputs, n) for inputs, n, _ in calls] == [([source], first_limit), ([source], 12)]
    first, second = calls[0][2][0], calls[1][2][0]
    assert first.hit_limit
    assert second.length > first.length
    assert t.text == second.text.strip()
    assert ("truncated" in [f.code for f in t.flags]) == second.hit_limit


# --------------------------------------------------------------------------------------------
# 4. Hostile text through every format
# --------------------------------------------------------------------------------------------

SIGNATURE = Signature("0.1.0", "kkseg-2", "m", None, "transformers", 1, 128, 12, "kk", "en")
TEXT_TAGS = {"seg", "source", "target"}  # where TMX and XLIFF keep the texts
HOSTILE = (
    "tab\there\nnew line \\ back\\slash \\t \\n \\\\ ]]> <b>x</b> & &amp; "
    "\"double\" 'single' «ёлка» \u2028 end"
)
HOSTILE_CR = "carriage\rreturn \r\n windows \\r end\r"


def hostile_result(text: str) -> DocumentResult:
    doc_id = 'doc <&> "q" ]]>'
    doc = Document(doc_id, text + "\n" + text)
    recs = (
        Record(doc_id, 0, 0, 0, len(text), text, "EN " + text, -0.5, (Flag("copy", "r <&> ]]>"),)),
        Record(doc_id, 1, 1, len(text) + 1, 2 * len(text) + 1, "2 " + text, text + " 2", None),
    )
    return DocumentResult(doc, recs)


def write(fmt: str, path: Path, result: DocumentResult) -> Path:
    with open_writer(fmt, SIGNATURE, path) as w:
        w.write(result)
    return path


READABLE = [
    ("jsonl", "r.jsonl"),
    ("tsv", "r.tsv"),
    ("tmx", "r.tmx"),
    ("xliff", "r.xlf"),
    ("xliff12", "r.xliff12.xlf"),
]


def assert_read_back(path: Path, result: DocumentResult) -> None:
    _, docs = read_results(path)
    assert len(docs) == 1
    got = docs[0].records
    assert [r.source for r in got] == [r.source for r in result.records]
    assert [r.translation for r in got] == [r.translation for r in result.records]
    assert [r.doc_id for r in got] == [r.doc_id for r in result.records]
    assert [r.flag_codes for r in got] == [r.flag_codes for r in result.records]
    assert [(r.paragraph, r.index, r.start, r.end) for r in got] == [
        (r.paragraph, r.index, r.start, r.end) for r in result.records
    ]


@pytest.mark.parametrize(("fmt", "name"), READABLE, ids=[f for f, _ in READABLE])
def test_hostile_text_reads_back_exactly(tmp_path, fmt, name):
    """Tabs, newlines, backslashes (also ones that look like escapes), ``]]>``,
    markup, ``&``, quotes and U+2028 come back exactly, in every format we read."""
    result = hostile_result(HOSTILE)
    assert_read_back(write(fmt, tmp_path / name, result), result)


@pytest.mark.parametrize(("fmt", "name"), READABLE[:2], ids=["jsonl", "tsv"])
def test_carriage_returns_read_back_exactly(tmp_path, fmt, name):
    """``\\r`` alone, in ``\\r\\n`` and next to a literal ``\\r`` survives JSONL and TSV."""
    result = hostile_result(HOSTILE + HOSTILE_CR)
    path = write(fmt, tmp_path / name, result)
    assert_read_back(path, result)
    if fmt == "tsv":  # one row per record: no raw tab, CR or LF inside a cell
        rows = path.read_bytes().split(b"\n")
        assert b"\r" not in path.read_bytes()
        assert len([r for r in rows if r]) == 2 + len(result.records)
        # the header and the rows: 12 cells; the last line is the signature
        assert all(r.count(b"\t") == 11 for r in rows[:-2])
        assert rows[-2].startswith(b"#signature=") and rows[-1] == b""


@pytest.mark.parametrize(("fmt", "name"), READABLE[2:], ids=["tmx", "xliff", "xliff12"])
def test_carriage_returns_read_back_exactly_from_xml(tmp_path, fmt, name):
    """``\\r`` should survive TMX and XLIFF too."""
    result = hostile_result(HOSTILE_CR)
    assert_read_back(write(fmt, tmp_path / name, result), result)


@pytest.mark.parametrize(("fmt", "name"), READABLE[2:], ids=["tmx", "xliff", "xliff12"])
def test_xml_outputs_are_well_formed_with_hostile_text(tmp_path, fmt, name):
    """TMX and XLIFF with ``]]>``, ``<``, ``&`` and quotes in texts, ids and
    reasons parse with ElementTree and with lxml, and the parsed segments hold
    the text itself (no stray markup)."""
    result = hostile_result(HOSTILE + HOSTILE_CR)
    path = write(fmt, tmp_path / name, result)
    ET.parse(path)
    root = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True))
    names = [etree.QName(e).localname for e in root.iter()]
    texts = ["".join(e.itertext()) for e in root.iter() if etree.QName(e).localname in TEXT_TAGS]
    assert len(texts) == 2 * len(result.records)
    assert all(HOSTILE in t for t in texts)
    assert "b" not in names  # the <b> of the text stayed text


def test_moses_files_stay_line_aligned_with_hostile_text(tmp_path):
    """Moses: one line per record in both files whatever the text holds
    (tabs, newlines, CR, U+2028 become spaces; every other character is kept),
    and info.json names each line's record."""
    result = hostile_result(HOSTILE + HOSTILE_CR)
    write("moses", tmp_path / "r", result)
    for lang, field in (("kk", "source"), ("en", "translation")):
        data = (tmp_path / f"r.{lang}").read_bytes()
        assert b"\r" not in data
        lines = data.decode("utf-8").split("\n")
        assert lines[-1] == "" and len(lines) - 1 == len(result.records)
        for line, r in zip(lines, result.records):
            assert line.splitlines() == [line]  # no CR, U+2028... for a reader to break at
            assert "".join(line.split()) == "".join(getattr(r, field).split())
    info = json.loads((tmp_path / "r.info.json").read_text("utf-8"))
    assert info["signature"] == str(SIGNATURE)
    assert info["lines"] == [
        [r.doc_id, r.paragraph, r.index, list(r.flag_codes)] for r in result.records
    ]
