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
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace

from translate._version import __version__
from translate.errors import UsageError
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
from translate.text.language import LANGUAGE_NAMES, guess_language
from translate.text.normalize import SCRIPTS, DocumentWords, normalize_for_model
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
) -> Iterator[DocumentResult]:
    """Translate documents lazily, in order.

    Sentences of consecutive documents are pooled (up to ``chunk_sentences``)
    so the translator batches across documents. The model sees normalised
    sentences (:func:`translate.text.normalize.normalize_for_model`; ``script``
    controls Latin-script Kazakh); records keep the source as given.
    ``tgt_script="latn"`` writes Kazakh output in the 2021 Latin alphabet.
    ``segmented``: the documents' sentences (:func:`segment_document`, one
    list per document, in order), when the caller has them already.
    """
    check_languages(src, tgt)
    if script not in SCRIPTS or tgt_script not in ("cyrl", "latn"):
        raise UsageError(f"script must be one of {', '.join(SCRIPTS)}; tgt_script cyrl or latn")
    if tgt_script == "latn" and tgt != "kk":
        raise UsageError("a Latin target script is only available for Kazakh output (--tgt kk)")
    stats = stats if stats is not None else RunStats()
    pending: list[tuple[Document, list[Sentence]]] = []
    pooled = 0

    def flush() -> Iterator[DocumentResult]:
        inputs = []
        for doc, sents in pending:
            context = DocumentWords(doc.text) if src == "kk" else None  # once per article
            if context is not None and context.lost_letters:
                logger.warning(
                    "%s: Kazakh letters look replaced by '?' (the text went through a code "
                    "page without them, such as CP1251); the model gets guesses (about 9 in "
                    "10 right on news text) and the output keeps the '?'. Ask for the "
                    "original file (UTF-8 or KZ-1048) if you can",
                    doc.id,
                )
            if context is not None and context.russian_letters:
                logger.warning(
                    "%s: no Kazakh letters (ә ғ қ ң ө ұ ү һ) in this Kazakh text: it looks "
                    "typed with Russian letters in their place (а for ә, к for қ); the model "
                    "gets the Kazakh letters guessed (about 9 in 10 of the letters that could "
                    "be either, on news text), the output keeps the text as given. Use a "
                    "version with Kazakh letters if there is one",
                    doc.id,
                )
            inputs += [prepare_input(s.text, src, script, context) for s in sents]
        # Russian sentences of a Kazakh article go to the model as Russian when
        # it translates Russian (NLLB, M2M100, MADLAD-400), else as Kazakh
        russian = src == "kk" and "ru" in translator.extra_sources()
        groups: dict[str, list[int]] = {}
        for i, (_, flags) in enumerate(inputs):
            lang = (
                "ru"
                if russian
                and any(f.code == "language" and f.reason == _AS_KAZAKH_RU for f in flags)
                else src
            )
            groups.setdefault(lang, []).append(i)
        translations: list[Translation | None] = [None] * len(inputs)
        for lang, members in groups.items():
            out = translator.translate([inputs[i][0] for i in members], lang, tgt)
            for i, t in zip(members, out):
                flags = inputs[i][1]
                if lang != src:
                    flags = tuple(
                        Flag("language", _FROM_RUSSIAN) if f.reason == _AS_KAZAKH_RU else f
                        for f in flags
                    )
                translations[i] = replace(t, flags=flags + t.flags)
        assert all(t is not None for t in translations)  # each input in exactly one group
        pos = 0
        for doc, sents in pending:
            records = pair_records(
                sents, translations[pos : pos + len(sents)], src, tgt, thresholds
            )
            if tgt_script == "latn":
                records = tuple(replace(r, translation=to_latin(r.translation)) for r in records)
            _warn_language(doc, records, src)
            pos += len(sents)
            stats.documents += 1
            stats.sentences += len(records)
            for r in records:
                stats.flags.update(r.flag_codes)
                stats.flagged += bool(r.flags)
            yield DocumentResult(doc, records)

    for k, doc in enumerate(documents):
        sents = segmented[k] if segmented is not None else segment_document(doc, src)
        pending.append((doc, sents))
        pooled += len(sents)
        if pooled >= chunk_sentences:
            yield from flush()
            pending, pooled = [], 0
    if pending:
        yield from flush()


_AS_KAZAKH_RU = "looks like Russian, translated as Kazakh"
_FROM_RUSSIAN = "looks like Russian, translated from Russian"


def prepare_input(
    text: str, src: str, script: str = "auto", context: DocumentWords | None = None
) -> tuple[str, tuple[Flag, ...]]:
    """The model input for a source sentence and the flags saying how it differs.

    ``context`` holds the words of the sentence's document, which settle the
    reading of look-alike letters (о/ө, у/ү) a rule cannot.

    ``normalized``: invisible characters, Unicode composition or look-alike
    letters were repaired; ``transliterated``: Latin-script Kazakh was given to
    the model in Cyrillic; ``language``: the sentence looks like another language.
    """
    norm = normalize_for_model(text, src, script, context)
    flags: list[Flag] = []
    if "transliterated" in norm.changes:
        flags.append(Flag("transliterated", "Latin-script Kazakh given to the model in Cyrillic"))
    other = [c for c in norm.changes if c != "transliterated"]
    if other:
        flags.append(Flag("normalized", "model input repaired: " + ", ".join(other)))
    guess = guess_language(text)
    if guess and guess != src and not (guess == "kk" and src == "kk"):
        flags.append(
            Flag(
                "language",
                f"looks like {LANGUAGE_NAMES[guess]}, translated as {LANGUAGE_NAMES[src]}",
            )
        )
    return norm.text, tuple(flags)


def _warn_language(doc: Document, records: tuple[Record, ...], src: str) -> None:
    other = Counter(
        f.reason.split(",")[0] for r in records for f in r.flags if f.code == "language"
    )
    if records and other and sum(other.values()) > len(records) / 2:
        what, _ = other.most_common(1)[0]
        hint = " (use --src en)" if "English" in what and src == "kk" else ""
        hint = " (use --src kk)" if "Kazakh" in what and src == "en" else hint
        if "Russian" in what:
            from_russian = any(f.reason == _FROM_RUSSIAN for r in records for f in r.flags)
            hint = (
                " (this tool is for Kazakh and English: the model translates these sentences "
                "from Russian, flagged 'language')"
                if from_russian
                else " (this tool translates Kazakh and English only: these sentences are flagged"
                f" 'language' and translated as {LANGUAGE_NAMES[src]}, which will be poor)"
            )
        what = what.replace("looks like", "look like", 1)
        logger.warning("%s: most sentences %s%s", doc.id, what, hint)


def make_signature(translator: Translator, src: str, tgt: str) -> Signature:
    d = translator.describe()
    extra = tuple((k, str(v)) for k, v in d.items() if k in ("dtype", "family", "shortlist") and v)
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
