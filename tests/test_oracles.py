"""Oracle tests for the model path: every record's translation is the translation of
that record's own model input, translated alone.

For each source sentence the expected translation is computed independently of the
pipeline's batching, pooling, grouping, caching and output writing: the sentence's
model input (``prepare_input``: look-alike letters repaired, Latin-script Kazakh in
Cyrillic, invisible characters dropped; Russian sentences go to the model as Russian
where it can) is given to the translator in a one-sentence call. Any translation lost,
emptied, swapped, shifted between sentences or documents, or taken from the raw source
instead of the model input, breaks the equality. The tiny models give different outputs
for different inputs, which each test checks, so a swap cannot go unnoticed.
"""

import json
import shutil
import subprocess
import sys
from dataclasses import asdict

import pytest
from conftest import ROOT, SEED

import translate
import translate.align.document as align_document
import translate.mt.backends as backends
from translate.align import align_documents
from translate.cli import main
from translate.formats import read_results
from translate.mt.backends import load_translator
from translate.mt.backends.convert import convert
from translate.mt.registry import resolve
from translate.mt.translator import TranslationOptions, Translator
from translate.pipeline import prepare_input, segment_document, translate_documents
from translate.records import Document
from translate.text.language import language_name
from translate.text.normalize import DocumentWords
from translate.text.reader import read_article

# What the CLI runs below ask for: greedy, short outputs (fast, and the output limit
# does not depend on the batch), one thread (the test machines have few cores, shared).
FAST = ["--beam", "1", "--max-output-tokens", "8", "--threads", "1", "-q"]
OPTIONS = TranslationOptions(beam=1, max_output_tokens=8, threads=1)
# CTranslate2 with 2 threads decodes 2 batches at once, in worker threads
CT2_ARGS = ["--compute-type", "float32", "--no-shortlist", "--threads", "2"]
CT2_OPTIONS = TranslationOptions(
    beam=1, max_output_tokens=8, compute_type="float32", shortlist=False, threads=2
)

# Sentences whose model input is not their text, and one Russian sentence (sent to
# the model as Russian by NLLB and MADLAD, in a group of its own).
MESSY = (
    "Aқмoла облысының әкімі елшімен кездесті. Тараптар саудa мәселелерін талқылады.\n"
    "Министр заявил, что переговоры продолжатся завтра.\n"
    "Бұл\u200b жаңалық облыс тұрғындарын қуантты. Өңірде 1300-ге жуық кәсіпорын жұмыс істейді.\n"
)
LATIN = (
    "Aqmola oblysynyń ákimi elshimen kezdesti. Taraptar saýda máselelerin talqylady.\n"
    "Kezdesý qorytyndysy boıynsha taraptar baılanystardy qoldaýǵa daıyn.\n"
)
SHORT = (
    "date 2026-02-24 ЕЛШІ КЕЛДІ\n"
    "Облыс әкімі инвестициялық жобаларды атап өтті.\n"
    "«Арқа ажарының» өз ақпараты.\n"  # also the seed's last sentence: a cache hit
)
ENGLISH = (
    "The governor of Akmola region met the ambassador of Iran.\n"
    "The parties discussed trade, agriculture and education. About 1300 industrial "
    "enterprises operate in the region.\n"
    "Both sides confirmed that they are ready to keep in touch.\n"
)


# ----------------------------------------------------------------------------- oracle


_ALONE: dict[Translator, dict[tuple[str, str, str], str]] = {}  # keeps translators alive


def alone(tr: Translator, text: str, src: str, tgt: str) -> str:
    """The translation of one model input in a call of its own (remembered per
    translator object: the same call always gives the same output)."""
    memo = _ALONE.setdefault(tr, {})
    if (text, src, tgt) not in memo:
        [t] = tr.translate([text], src, tgt)
        memo[text, src, tgt] = t.text
    return memo[text, src, tgt]


def model_inputs(doc: Document, src: str, tr: Translator | None = None) -> list[tuple[str, str]]:
    """Each sentence's model input and the language it goes to the model as, computed
    as :func:`translate.pipeline.translate_documents` does (context: the whole document)."""
    context = DocumentWords(doc.text) if src == "kk" else None
    extra = tr.extra_sources() if tr is not None and src == "kk" else ()
    # a sentence flagged as Russian, Kyrgyz or Tatar goes to the model in its language
    names = {f"looks like {language_name(code)}": code for code in extra}
    out = []
    for s in segment_document(doc, src):
        text, flags = prepare_input(s.text, src, "auto", context)
        own = [names[r] for f in flags if (r := f.reason.split(",")[0]) in names]
        out.append((text, own[0] if own else src))
    return out


def oracle(doc: Document, tr: Translator, src: str = "kk", tgt: str = "en") -> list[str]:
    """The expected translation of each of ``doc``'s sentences, in order."""
    expected = [alone(tr, text, lang, tgt) for text, lang in model_inputs(doc, src, tr)]
    assert all(expected), "the oracle itself gave an empty translation: pick other sentences"
    return expected


def check_document(records, doc: Document, tr: Translator, src="kk", tgt="en") -> list[str]:
    """``records`` (Record objects or JSONL dicts) are ``doc``'s sentences, one each, in
    order, each with the translation of its own model input, non-empty."""
    rows = [r if isinstance(r, dict) else asdict(r) for r in records]
    sents = segment_document(doc, src)
    assert [(r["doc_id"], r["index"], r["start"], r["end"], r["source"]) for r in rows] == [
        (s.doc_id, s.index, s.start, s.end, s.text) for s in sents
    ]
    expected = oracle(doc, tr, src, tgt)
    got = [r["translation"] for r in rows]
    assert all(got), f"empty translation(s) in {doc.id}"
    assert got == expected
    return got


def jsonl_documents(path) -> dict[str, list[dict]]:
    """The ``sentence`` lines of a JSONL result, by document, in file order; checks that
    every document line announces its sentence count."""
    lines = [json.loads(x) for x in path.read_text("utf-8").splitlines()]
    assert lines[0]["type"] == "header"
    docs: dict[str, list[dict]] = {}
    counts: dict[str, int] = {}
    for x in lines[1:]:
        if x["type"] == "document":
            counts[x["doc_id"]] = x["sentences"]
            docs[x["doc_id"]] = []
        else:
            assert x["type"] == "sentence"
            docs[x["doc_id"]].append(x)
    assert {k: len(v) for k, v in docs.items()} == counts
    return docs


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    return path


@pytest.fixture(scope="module")
def nllb(tiny_nllb):
    """The tiny NLLB model loaded with the options of the CLI runs (``FAST``)."""
    return load_translator(resolve(str(tiny_nllb)), OPTIONS)


@pytest.fixture(scope="module")
def sanity(nllb):
    """The oracle is worth something: distinct sentences get distinct translations,
    and model inputs differ from the raw text where the pipeline repairs it."""
    seed = oracle(read_article(SEED), nllb)
    assert len(set(seed)) > 1
    assert len(set(seed)) == len(seed)  # any permutation of the seed's records is caught
    messy = Document("messy", MESSY)
    inputs = model_inputs(messy, "kk", nllb)
    raw = [s.text for s in segment_document(messy, "kk")]
    assert sum(i != r for (i, _), r in zip(inputs, raw)) >= 3
    assert [lang for _, lang in inputs].count("ru") == 1
    # the repaired input is not translated like the raw text: a pipeline that sent
    # the raw source to the model would be caught
    k = next(k for k, ((i, _), r) in enumerate(zip(inputs, raw)) if i != r)
    assert alone(nllb, inputs[k][0], "kk", "en") != alone(nllb, raw[k], "kk", "en")
    # nor is the Russian sentence translated as Kazakh: its routing is pinned too
    [ru] = [text for text, lang in inputs if lang == "ru"]
    assert alone(nllb, ru, "ru", "en") != alone(nllb, ru, "kk", "en")
    return True


# ----------------------------------------------------------------------------- run


@pytest.mark.parametrize("model", ["tiny_nllb", "tiny_marian", "tiny_t5"])
def test_run_jsonl_each_record_has_its_own_sentence_translated_alone(
    model, request, tmp_path, sanity
):
    """`translate run` over two articles into one JSONL (sentences of both pooled into
    shared batches): one sentence record per source sentence, in order, each with the
    translation of its own model input translated alone; for NLLB, Marian and T5."""
    path = request.getfixturevalue(model)
    tr = load_translator(resolve(str(path)), OPTIONS)
    messy = write(tmp_path / "messy.txt", MESSY)
    out = tmp_path / "out.jsonl"
    assert main(["run", str(SEED), str(messy), "-o", str(out), "--model", str(path), *FAST]) == 0
    docs = jsonl_documents(out)
    seed_doc, messy_doc = read_article(SEED), read_article(messy)
    assert list(docs) == [seed_doc.id, messy_doc.id]
    got = check_document(docs[seed_doc.id], seed_doc, tr)
    assert len(set(got)) > 1
    check_document(docs[messy_doc.id], messy_doc, tr)


def test_run_tsv_read_back_gives_each_sentence_its_own_translation(tiny_nllb, nllb, tmp_path):
    """The same oracle through `--to tsv`, read back with `read_results`."""
    messy = write(tmp_path / "messy.txt", MESSY)
    out = tmp_path / "out.tsv"
    args = ["run", str(SEED), str(messy), "--to", "tsv", "-o", str(out)]
    assert main([*args, "--model", str(tiny_nllb), *FAST]) == 0
    _, results = read_results(out)
    docs = [read_article(SEED), read_article(messy)]
    assert [r.document.id for r in results] == [d.id for d in docs]
    for res, doc in zip(results, docs):
        got = check_document(res.records, doc, nllb)
        assert len(set(got)) > 1


def test_run_en_to_kk_each_record_has_its_own_sentence_translated_alone(
    tiny_marian_en_trk, tmp_path
):
    """The other direction (`--src en`, OPUS-MT en-trk with its target token): the
    same oracle, English model inputs, Kazakh outputs."""
    tr = load_translator(resolve(str(tiny_marian_en_trk)), OPTIONS)
    article = write(tmp_path / "news.en.txt", ENGLISH)
    out = tmp_path / "out.jsonl"
    args = ["run", str(article), "--src", "en", "-o", str(out)]
    assert main([*args, "--model", str(tiny_marian_en_trk), *FAST]) == 0
    doc = read_article(article)
    records = jsonl_documents(out)[doc.id]
    assert all(r["src_lang"] == "en" and r["tgt_lang"] == "kk" for r in records)
    got = check_document(records, doc, tr, "en", "kk")
    assert len(records) == 4 and len(set(got)) > 1


# ----------------------------------------------------------------------------- batch


def make_batch_input(d):
    """Four articles (one in a subdirectory, one with a date line): the seed, messy
    Kazakh with a Russian sentence, Latin-script Kazakh, and a short one sharing a
    sentence with the seed."""
    d.mkdir(parents=True)
    shutil.copy(SEED, d / "akmola.txt")
    write(d / "messy.txt", MESSY)
    write(d / "latin.txt", LATIN)
    write(d / "sub" / "short.txt", SHORT)
    return {
        "akmola": d / "akmola.txt",
        "latin": d / "latin.txt",
        "messy": d / "messy.txt",
        "sub/short": d / "sub" / "short.txt",
    }


def check_batch_outputs(out, articles, tr, formats=("jsonl",)):
    """One output per article and format, nothing else; each with the oracle."""
    manifest = [json.loads(x) for x in (out / "manifest.jsonl").read_text().splitlines()]
    assert sorted(x["id"] for x in manifest[1:] if x["status"] == "ok") == sorted(articles)
    ext = {"jsonl": ".jsonl", "tsv": ".tsv"}
    written = sorted(
        p.relative_to(out).as_posix()
        for p in out.rglob("*")
        if p.suffix in (".jsonl", ".tsv") and p.name != "manifest.jsonl"
    )
    assert written == sorted(f"{a}{ext[f]}" for a in articles for f in formats)
    everything = []
    for art_id, path in articles.items():
        doc = read_article(path, doc_id=art_id)
        for fmt in formats:
            _, results = read_results(out / f"{art_id}{ext[fmt]}")
            assert [r.document.id for r in results] == [art_id]
            everything += check_document(results[0].records, doc, tr)
    assert len(set(everything)) > 1


def test_batch_local_each_article_gets_its_own_translations(tiny_nllb, nllb, tmp_path, sanity):
    """`translate batch` (local engine, sentences of all articles in shared batches):
    every article's JSONL and TSV hold its own sentences with their own translations;
    a second job answered from the first one's translation memory gives the same."""
    src = tmp_path / "in"
    articles = make_batch_input(src)
    out = tmp_path / "out"
    args = ["--model", str(tiny_nllb), *FAST, "--to", "jsonl,tsv"]
    assert main(["batch", str(src), "-o", str(out), *args]) == 0
    check_batch_outputs(out, articles, nllb, ("jsonl", "tsv"))
    again = tmp_path / "again"  # every sentence now comes from the cache
    cache = ["--cache", str(out / "cache.sqlite")]
    assert main(["batch", str(src), "-o", str(again), *args, *cache]) == 0
    check_batch_outputs(again, articles, nllb, ("jsonl", "tsv"))


def test_batch_ray_each_article_gets_its_own_translations(tiny_nllb, nllb, tmp_path):
    """`translate batch --engine ray` (articles through Ray Data actors, results
    back to the driver in input order): the same oracle, article by article."""
    src = tmp_path / "in"
    articles = make_batch_input(src)
    del articles["latin"]
    (src / "latin.txt").unlink()
    out = tmp_path / "ray"
    cmd = [sys.executable, "-m", "translate", "batch", str(src), "-o", str(out)]
    cmd += ["--model", str(tiny_nllb), *FAST, "--engine", "ray"]
    r = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    check_batch_outputs(out, articles, nllb)


# ----------------------------------------------------------------------------- align


class Recording(Translator):
    """A translator that passes calls on and remembers what it was asked."""

    def __init__(self, inner: Translator):
        self.inner = inner
        self.backend = inner.backend
        self.calls: list[tuple[list[str], str, str]] = []

    def translate(self, texts, src, tgt):
        self.calls.append((list(texts), src, tgt))
        return self.inner.translate(texts, src, tgt)

    def describe(self):
        return self.inner.describe()

    def extra_sources(self):
        return self.inner.extra_sources()


def assert_partition(parts: list[str], sentences: list[str]) -> None:
    """``parts`` (one side of the aligned records, in order) are the sentences joined
    by spaces, in runs: every sentence once, in order; empty parts are allowed."""
    k = 0
    for part in parts:
        if not part:
            continue
        n = 1
        while k + n <= len(sentences) and " ".join(sentences[k : k + n]) != part:
            n += 1
        assert k + n <= len(sentences), f"{part!r} is not the next sentences at {k}"
        k += n
    assert k == len(sentences)


ALIGN_KK = (
    "Aқмoла облысының әкімі Иран елшісімен кездесті.\n"
    "Тараптар саудa, ауыл шаруашылығы және білім беру мәселелерін талқылады. "
    "Өңірде 1300-ге жуық өнеркәсіптік кәсіпорын жұмыс істейді.\n"
    "Бұл\u200b сөйлем тек қазақ тіліндегі нұсқада бар.\n"
    "Тараптар байланыстарды қолдауға дайын екендіктерін растады.\n"
)


def test_align_library_translates_each_source_input_once_in_order(nllb, monkeypatch, sanity):
    """`align_documents(..., translator=tr)`: one model call with exactly the source
    sentences' model inputs, in order; the chrF scoring gets each one's translation
    (as translated alone) at its position; the records partition both sides in order."""
    src_doc, tgt_doc = Document("a.kk", ALIGN_KK), Document("a.en", ENGLISH)
    inputs = [text for text, _ in model_inputs(src_doc, "kk")]
    raw = [s.text for s in segment_document(src_doc, "kk")]
    assert inputs != raw  # the model gets the repaired text, not the raw one
    machine: list[list[str]] = []
    original = align_document.chrf_similarity

    def spy(hyps, refs, *args, **kwargs):
        machine.append(list(hyps))
        return original(hyps, refs, *args, **kwargs)

    monkeypatch.setattr(align_document, "chrf_similarity", spy)
    rec = Recording(nllb)
    result = align_documents(src_doc, tgt_doc, "kk", "en", translator=rec)
    assert rec.calls == [(inputs, "kk", "en")]
    expected = [alone(nllb, x, "kk", "en") for x in inputs]
    assert all(expected) and len(set(expected)) > 1
    assert machine == [expected]
    assert_partition([r.source for r in result.records], raw)
    targets = [s.text for s in segment_document(tgt_doc, "en")]
    assert_partition([r.translation for r in result.records], targets)


def test_align_command_with_model_asks_for_the_source_inputs_in_order(
    tiny_nllb, tmp_path, monkeypatch, sanity
):
    """`translate align SRC TGT --model PATH`: the model is asked once, for exactly
    the source sentences' model inputs in order; the output's records partition the
    source and target sentences in order."""
    kk = write(tmp_path / "a.kk.txt", ALIGN_KK)
    en = write(tmp_path / "a.en.txt", ENGLISH)
    recorders: list[Recording] = []
    original = backends.load_translator

    def recording_loader(*args, **kwargs):
        recorders.append(Recording(original(*args, **kwargs)))
        return recorders[-1]

    monkeypatch.setattr(backends, "load_translator", recording_loader)
    out = tmp_path / "pairs.jsonl"
    args = ["align", str(kk), str(en), "-o", str(out), "--model", str(tiny_nllb), *FAST]
    assert main(args) == 0
    [rec] = recorders
    src_doc, tgt_doc = read_article(kk), read_article(en)
    inputs = [text for text, _ in model_inputs(src_doc, "kk")]
    assert rec.calls == [(inputs, "kk", "en")]
    [records] = jsonl_documents(out).values()
    assert_partition(
        [r["source"] for r in records], [s.text for s in segment_document(src_doc, "kk")]
    )
    targets = [s.text for s in segment_document(tgt_doc, "en")]
    assert_partition([r["translation"] for r in records], targets)


# ----------------------------------------------------------------------------- backends


def test_ctranslate2_run_equals_transformers_record_by_record(tiny_nllb, tmp_path, sanity):
    """A float32 conversion without shortlist is exact: `translate run --backend
    ctranslate2` (batches decoded in parallel workers) gives, record by record, the
    transformers backend's translations, and each is its own input translated alone."""
    ct2 = convert(resolve(str(tiny_nllb)), tmp_path / "nllb-ct2", "float32", shortlist=False)
    messy = write(tmp_path / "messy.txt", MESSY)
    docs = [read_article(SEED), read_article(messy)]
    outputs = {}
    for backend, model, extra in [
        ("transformers", tiny_nllb, []),
        ("ctranslate2", ct2, CT2_ARGS),
    ]:
        out = tmp_path / f"{backend}.jsonl"
        args = ["run", str(SEED), str(messy), "-o", str(out), "--model", str(model)]
        assert main([*args, "--backend", backend, *FAST, *extra]) == 0
        outputs[backend] = jsonl_documents(out)
    hf, ct = outputs["transformers"], outputs["ctranslate2"]
    assert list(hf) == list(ct) == [d.id for d in docs]
    for doc in docs:
        assert [(r["source"], r["translation"]) for r in ct[doc.id]] == [
            (r["source"], r["translation"]) for r in hf[doc.id]
        ]
    tr = load_translator(resolve(str(ct2)), CT2_OPTIONS)
    assert tr.backend == "ctranslate2" and tr.describe()["parallel_batches"] == 2
    for doc in docs:
        got = check_document(ct[doc.id], doc, tr)
        assert len(set(got)) > 1


# ----------------------------------------------------------------------------- library


def test_translate_text_puts_each_sentence_translation_at_its_position(nllb, sanity):
    """`translate.translate_text([a, b, c])`: the record and the paragraph at each
    position hold that item's own model input translated alone (a Russian item, sent
    to the model as Russian, and a repaired one included)."""
    items = [
        "Aқмoла облысының әкімі елшімен кездесті.",
        "Министр заявил, что переговоры продолжатся завтра.",
        "Өңірде 1300-ге жуық кәсіпорын жұмыс істейді.",
    ]
    result = translate.translate_text(items, nllb, src="kk", tgt="en")
    doc = Document("text", "\n".join(items))
    expected = oracle(doc, nllb)
    assert len(expected) == 3 and len(set(expected)) == 3
    assert [r.source for r in result.records] == items
    assert [r.translation for r in result.records] == expected
    assert list(result.paragraphs) == expected
    assert result.text == "\n".join(expected)
    # each position really is pinned: the items in another order translate the same way
    flipped = translate.translate_text(items[::-1], nllb, src="kk", tgt="en")
    assert list(flipped.paragraphs) == expected[::-1]


def test_translate_documents_pooling_keeps_each_document_its_own_translations(nllb, sanity):
    """`translate_documents` pools sentences of consecutive documents into chunks
    (here of 5, so chunks end inside documents and documents span chunks): every
    document still gets its own sentences' translations, in order."""
    docs = [
        read_article(SEED),
        Document("messy", MESSY),
        Document("latin", LATIN),
        Document("short", SHORT),
        Document("one", "Облыс әкімі инвестициялық жобаларды атап өтті."),
    ]
    results = list(translate_documents(docs, nllb, "kk", "en", chunk_sentences=5))
    assert [r.document.id for r in results] == [d.id for d in docs]
    for res, doc in zip(results, docs):
        check_document(res.records, doc, nllb)
