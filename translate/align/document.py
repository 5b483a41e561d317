"""Aligning two documents that translate each other: segment both, read them as
the model would, align their sentences, and turn the beads into records.

The method (see ``docs/alignment.md``): a Gale–Church length model
(:mod:`~translate.align.length`) strengthened with evidence that crosses the
language barrier (:mod:`~translate.align.evidence`), optionally the chrF of a
machine translation (:mod:`~translate.align.chrf`), searched by a dynamic
programme (:mod:`~translate.align.search`) in two passes
(:mod:`~translate.align.sentences`), with every tuned constant in
:class:`~translate.align.params.AlignParams`.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

from translate.align.chrf import chrf_similarity
from translate.align.params import DEFAULT, AlignParams
from translate.align.sentences import align_sentences
from translate.intake import warn_document
from translate.pipeline import segment_document
from translate.records import Document, DocumentResult, Flag, Record
from translate.text.language import guess_language, language_name
from translate.text.normalize import DocumentWords, normalize_for_model

if TYPE_CHECKING:
    from translate.mt.translator import Translator

METHOD = "length+anchors+words"
MODEL_METHOD = "length+anchors+words+chrF"


def _warn_language(doc_id: str, texts: list[str], lang: str, option: str) -> None:
    """Warn when most of a side's sentences look like another language (files
    given in the wrong order, or the wrong file); the alignment still runs."""
    guesses = Counter(g for g in map(guess_language, texts) if g and g != lang)
    if not guesses:
        return
    other, n = guesses.most_common(1)[0]
    if n > len(texts) / 2:
        logging.getLogger("translate").warning(
            "%s: most sentences look %s, but %s is %s (are the files in the right order?)",
            doc_id,
            language_name(other),
            option,
            lang,
        )


def evidence_texts(document: str, sentences: Sequence[str], lang: str) -> list[str]:
    """The sentences of ``document`` as the aligner (and the model, with
    ``--model``) read them: normalised as the model gets them (look-alike
    letters repaired, Latin-script Kazakh in Cyrillic, lost letters guessed),
    so Kazakh words meet the word list; the output keeps the text."""
    context = DocumentWords(document) if lang == "kk" else None
    return [normalize_for_model(s, lang, "auto", context).text for s in sentences]


def align_documents(
    src_doc: Document,
    tgt_doc: Document,
    src_lang: str = "kk",
    tgt_lang: str = "en",
    translator: Translator | None = None,
    params: AlignParams = DEFAULT,
) -> DocumentResult:
    """Segment two documents and align them into one :class:`DocumentResult`.

    Each bead becomes a record: ``source``/``translation`` hold the bead's
    sentences joined by spaces (one side empty for an unaligned sentence, which
    is kept and flagged ``unaligned``); ``score`` is the alignment score (0..1)
    and a low one is flagged ``low_alignment``. With a ``translator`` the source
    sentences are machine-translated and each candidate pair is also scored by
    the chrF of that translation against the target (:data:`MODEL_METHOD`).
    """
    ss = segment_document(src_doc, src_lang)
    ts = segment_document(tgt_doc, tgt_lang)
    logging.getLogger("translate").info(
        "aligning %d %s and %d %s sentences", len(ss), src_lang, len(ts), tgt_lang
    )
    src_texts = evidence_texts(src_doc.text, [s.text for s in ss], src_lang)
    tgt_texts = evidence_texts(tgt_doc.text, [t.text for t in ts], tgt_lang)
    for doc, lang in ((src_doc, src_lang), (tgt_doc, tgt_lang)):
        warn_document(doc, lang, None)  # mojibake
    # read as the aligner reads them (mojibake repaired, Latin-script Kazakh in Cyrillic)
    _warn_language(src_doc.id, src_texts, src_lang, "--src")
    _warn_language(tgt_doc.id, tgt_texts, tgt_lang, "--tgt")
    similarity = None
    if translator is not None and ss and ts:
        # the model gets the same normalised sentences the aligner reads
        machine = [t.text for t in translator.translate(src_texts, src_lang, tgt_lang)]
        similarity = chrf_similarity(machine, [t.text for t in ts], params)
    beads = align_sentences(
        src_texts,
        tgt_texts,
        src_lang,
        tgt_lang,
        similarity=similarity,
        src_paragraphs=[s.paragraph for s in ss],
        tgt_paragraphs=[t.paragraph for t in ts],
        params=params,
    )
    records = []
    last_para, last_end = 0, 0
    for k, b in enumerate(beads):
        src = [ss[i] for i in b.src]
        tgt = [ts[j] for j in b.tgt]
        flags = []
        if not src or not tgt:
            side = "target" if not src else "source"
            flags.append(Flag("unaligned", f"this {side} sentence has no counterpart"))
        elif b.score < params.low_score:
            flags.append(
                Flag("low_alignment", f"alignment score {b.score:.2f} is below {params.low_score}")
            )
        if src:
            last_para, last_end = src[0].paragraph, src[-1].end
        records.append(
            Record(
                doc_id=src_doc.id,
                paragraph=last_para,
                index=k,
                start=src[0].start if src else last_end,
                end=src[-1].end if src else last_end,
                source=" ".join(s.text for s in src),
                translation=" ".join(t.text for t in tgt),
                score=round(b.score, 4),
                flags=tuple(flags),
                src_lang=src_lang,
                tgt_lang=tgt_lang,
            )
        )
    return DocumentResult(src_doc, tuple(records))
