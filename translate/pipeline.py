"""The pipeline: segment documents, translate their sentences, align records.

``translate_documents`` is lazy: it yields one :class:`DocumentResult` at a
time, translating sentences from several documents together (one model load
per run, shared batches). ``RunStats`` fills in as the results are consumed.
"""

from __future__ import annotations

import logging
import time
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace

from translate._version import __version__
from translate.errors import UsageError
from translate.intake import (
    AUTO,
    as_kazakh,
    document_direction,
    prepare_input,
    translated_from,
    warn_document,
    warn_language,
)
from translate.mt.translator import Translator, check_languages
from translate.quality import QualityThresholds, check_pair
from translate.records import (
    Document,
    DocumentResult,
    Flag,
    Record,
    Sentence,
    Signature,
    Translation,
)
from translate.text.normalize import SCRIPTS, DocumentWords
from translate.text.segment import SEGMENTER_VERSION, segment
from translate.text.translit import to_latin

logger = logging.getLogger("translate")

# Decimals of a record's score (mean token log-probability). Batch composition
# (padding) moves a score by about 1e-6, so a resumed batch job writes the
# same bytes as an uninterrupted one only when scores are rounded.
SCORE_DECIMALS = 4


@dataclass
class RunStats:
    """Counts of a run, updated while its results stream."""

    documents: int = 0
    sentences: int = 0
    flagged: int = 0
    flags: Counter[str] = field(default_factory=Counter)
    started: float = field(default_factory=time.monotonic)

    @property
    def seconds(self) -> float:
        return time.monotonic() - self.started

    def summary(self) -> str:
        reasons = ", ".join(f"{k} {v}" for k, v in sorted(self.flags.items()))
        return (
            f"{self.documents} document(s), {self.sentences} sentence(s), "
            f"{self.flagged} flagged{f' ({reasons})' if reasons else ''}, {self.seconds:.1f}s"
        )


def segment_document(document: Document, lang: str) -> list[Sentence]:
    """Sentences of a document's body (the date marker is skipped)."""
    return segment(document.text, lang, doc_id=document.id, start=document.body_start)


def pair_records(
    sentences: list[Sentence],
    translations: list[Translation],
    src: str,
    tgt: str,
    thresholds: QualityThresholds | None = None,
) -> tuple[Record, ...]:
    """Pair each sentence with its translation: one record per sentence, in order.

    The translator's flags (``split``, ``truncated``) are kept and the quality
    checks of :mod:`translate.quality` add theirs.
    """
    if len(sentences) != len(translations):
        raise ValueError(
            f"{len(sentences)} sentences but {len(translations)} translations: refusing to misalign"
        )
    records = []
    for s, t in zip(sentences, translations):
        # rounded before the checks, so a flag cannot depend on the last digits
        score = None if t.score is None else round(t.score, SCORE_DECIMALS)
        records.append(
            Record(
                doc_id=s.doc_id,
                paragraph=s.paragraph,
                index=s.index,
                start=s.start,
                end=s.end,
                source=s.text,
                translation=t.text,
                score=score,
                flags=_merge(t.flags, check_pair(s.text, t.text, src, tgt, score, thresholds)),
                src_lang=src,
                tgt_lang=tgt,
            )
        )
    return tuple(records)


def _merge(first: tuple[Flag, ...], more: tuple[Flag, ...]) -> tuple[Flag, ...]:
    """Flags of both, one per code (the first reason wins)."""
    seen = {f.code for f in first}
    return first + tuple(f for f in more if f.code not in seen)


def translate_documents(
    documents: Iterable[Document],
    translator: Translator,
    src: str = "kk",
    tgt: str = "en",
    *,
    stats: RunStats | None = None,
    chunk_sentences: int = 256,
    thresholds: QualityThresholds | None = None,
    script: str = "auto",
    tgt_script: str = "cyrl",
    segmented: Sequence[list[Sentence]] | None = None,
    annotate: Callable[[tuple[Record, ...]], tuple[Record, ...]] | None = None,
) -> Iterator[DocumentResult]:
    """Translate documents lazily, in order.

    Sentences of consecutive documents are pooled (up to ``chunk_sentences``)
    so the translator batches across documents. The model sees normalised
    sentences (:func:`translate.text.normalize.normalize_for_model`; ``script``
    controls Latin-script Kazakh); records keep the source as given.
    ``tgt_script="latn"`` writes Kazakh output in the 2021 Latin alphabet.
    ``segmented``: the documents' sentences (:func:`segment_document`, one
    list per document, in order), when the caller has them already.
    ``src="auto"`` picks each document's direction (Kazakh into English,
    English into Kazakh: :func:`translate.intake.document_direction`); ``tgt``
    is then ignored.
    ``annotate``: applied to each document's records before they are
    counted (:meth:`translate.tm.Assist.annotate`: memory suggestions, terms).
    """
    if src != AUTO:
        check_languages(src, tgt)
    if script not in SCRIPTS or tgt_script not in ("cyrl", "latn"):
        raise UsageError(f"script must be one of {', '.join(SCRIPTS)}; tgt_script cyrl or latn")
    if tgt_script == "latn" and (tgt != "kk" or src == AUTO):
        raise UsageError("a Latin target script is only available for Kazakh output (--tgt kk)")
    stats = stats if stats is not None else RunStats()
    pending: list[tuple[Document, list[Sentence], str, str]] = []  # with src, tgt
    pooled = 0

    def flush() -> Iterator[DocumentResult]:
        inputs = []
        for doc, sents, d_src, _ in pending:
            context = DocumentWords(doc.text) if d_src == "kk" else None  # once per article
            warn_document(doc, d_src, context)
            inputs += [prepare_input(s.text, d_src, script, context) for s in sents]
        # Russian, Kyrgyz and Tatar sentences of a Kazakh article go to the model
        # in their own language when it translates it (NLLB, MADLAD-400; M2M100
        # Russian only), else as Kazakh
        extra = {as_kazakh(code): code for code in translator.extra_sources()}
        groups: dict[tuple[str, str, str], list[int]] = {}  # (model source, src, tgt)
        i = 0
        for _, sents, d_src, d_tgt in pending:
            for _ in sents:
                found = [extra[f.reason] for f in inputs[i][1] if f.reason in extra]
                lang = found[0] if found and d_src == "kk" else d_src
                groups.setdefault((lang, d_src, d_tgt), []).append(i)
                i += 1
        translations: list[Translation | None] = [None] * len(inputs)
        for (lang, d_src, d_tgt), members in groups.items():
            out = translator.translate([inputs[i][0] for i in members], lang, d_tgt)
            for i, t in zip(members, out):
                flags = inputs[i][1]
                if lang != d_src:
                    flags = tuple(
                        Flag("language", translated_from(lang))
                        if f.reason == as_kazakh(lang)
                        else f
                        for f in flags
                    )
                translations[i] = replace(t, flags=flags + t.flags)
        assert all(t is not None for t in translations)  # each input in exactly one group
        pos = 0
        for doc, sents, d_src, d_tgt in pending:
            records = pair_records(
                sents, translations[pos : pos + len(sents)], d_src, d_tgt, thresholds
            )
            if annotate is not None:
                records = annotate(records)
            if tgt_script == "latn":
                records = tuple(replace(r, translation=to_latin(r.translation)) for r in records)
            warn_language(doc, records, d_src)
            pos += len(sents)
            stats.documents += 1
            stats.sentences += len(records)
            for r in records:
                stats.flags.update(r.flag_codes)
                stats.flagged += bool(r.flags)
            yield DocumentResult(doc, records)

    for k, doc in enumerate(documents):
        d_src, d_tgt = document_direction(doc) if src == AUTO else (src, tgt)
        sents = segmented[k] if segmented is not None else segment_document(doc, d_src)
        pending.append((doc, sents, d_src, d_tgt))
        pooled += len(sents)
        if pooled >= chunk_sentences:
            yield from flush()
            pending, pooled = [], 0
    if pending:
        yield from flush()


# describe() keys kept in a run's signature when set (a resume must match them)
SIGNATURE_EXTRAS = ("dtype", "family", "shortlist", "no_repeat_ngram_size", "repetition_penalty")


def make_signature(translator: Translator, src: str, tgt: str) -> Signature:
    d = translator.describe()
    extra = tuple((k, str(v)) for k, v in d.items() if k in SIGNATURE_EXTRAS and v)
    return Signature(
        package_version=__version__,
        segmenter_version=SEGMENTER_VERSION,
        model=str(d.get("model")),
        revision=d.get("revision") and str(d.get("revision")),
        backend=str(d.get("backend")),
        beam=int(d.get("beam", 0)),
        max_input_tokens=int(d.get("max_input_tokens", 0)),
        max_output_tokens=int(d.get("max_output_tokens", 0)),
        src_lang=src,
        tgt_lang=tgt,
        device=str(d.get("device", "cpu")),
        extra=extra,
    )


@dataclass(frozen=True)
class TextResult:
    """The translation of a text: the translated text, its paragraphs, and the records.

    Attributes:
        text: The translation, one line per line of the input (a list input:
            one line per item); lines without text stay empty.
        paragraphs: The translated lines, in order (``text`` split at newlines).
        records: One record per source sentence, in order.
    """

    text: str
    paragraphs: tuple[str, ...]
    records: tuple[Record, ...]


def render_lines(text: str, records: Sequence[Record]) -> list[str]:
    """The translation of ``text`` line by line: each line's sentences' translations
    joined by spaces, in order; a line without sentences gives an empty line."""
    starts = [0]
    for k, ch in enumerate(text):
        if ch == "\n":
            starts.append(k + 1)
    lines: list[list[str]] = [[] for _ in starts]
    for r in records:
        if r.translation:
            lines[bisect_right(starts, r.start) - 1].append(r.translation)
    return [" ".join(parts) for parts in lines]


def translate_text(
    text: str | Sequence[str],
    translator: Translator,
    src: str = "kk",
    tgt: str = "en",
    *,
    thresholds: QualityThresholds | None = None,
    script: str = "auto",
) -> TextResult:
    """Translate a string, or a list of paragraphs, and keep the records.

    The simplest entry point: no files, no date marker (the text is taken as
    it is). Sentences are segmented, translated in shared batches and checked
    as by :func:`translate_documents`.

    Args:
        text: A string (lines are paragraphs) or a list of paragraphs (an item
            keeps one line of the result; newlines inside it are read as spaces).
        translator: From :func:`translate.load_translator`.
        src, tgt: ``kk`` or ``en``.
        thresholds: Quality-flag thresholds (defaults when ``None``).
        script: How Latin-script Kazakh is read (``auto``, ``cyrl``, ``latn``).

    Returns:
        A :class:`TextResult`; ``paragraphs`` has one item per line of a
        string, or per item of a list.

    Raises:
        UsageError: ``text`` is neither a string nor a list of strings, or an
            unsupported language pair.
    """
    items = [text] if isinstance(text, str) else list(text)
    if not all(isinstance(x, str) for x in items):
        raise UsageError("translate_text takes a string or a list of strings")
    # a list's items keep their own newlines: they are joined by a newline and
    # the records are mapped back to items by offset
    joined = "\n".join(x.replace("\n", " ") if not isinstance(text, str) else x for x in items)
    doc = Document(id="text", text=joined)
    (result,) = translate_documents(
        [doc], translator, src, tgt, thresholds=thresholds, script=script
    )
    lines = render_lines(joined, result.records)
    return TextResult("\n".join(lines), tuple(lines), result.records)
