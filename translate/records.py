"""Typed records that flow between the pipeline stages.

Every stage hands the next one frozen dataclasses: a :class:`Document` is
segmented into :class:`Sentence` spans, a translator turns sentence texts into
:class:`Translation` objects, and the aligner pairs both into one
:class:`Record` per source sentence. ``dataclasses.asdict`` gives JSON.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Flag:
    """A reason to look at a pair: a short machine code and a human sentence."""

    code: str
    reason: str


@dataclass(frozen=True)
class Document:
    """One article.

    Attributes:
        id: Document id (file stem, JSONL ``id``, or ``stdin``).
        text: The text exactly as read (after decoding); offsets point into it.
        body_start: Offset where translatable text starts. A leading
            ``date YYYY-MM-DD`` marker is metadata, not a sentence.
        date: Publication date from the ``date YYYY-MM-DD`` marker, if any.
        source: Where the text came from (a path, ``-`` for stdin).
        encoding: The encoding the file was decoded from.
    """

    id: str
    text: str
    body_start: int = 0
    date: str | None = None
    source: str | None = None
    encoding: str = "utf-8"


@dataclass(frozen=True)
class Sentence:
    """A sentence as a span of its document: ``text == document.text[start:end]``."""

    doc_id: str
    paragraph: int
    index: int
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Translation:
    """What a translator returns for one source sentence.

    Attributes:
        text: The translation (pieces joined when the source was split).
        score: Mean token log-probability of the output, ``None`` if unknown.
        flags: ``split`` when the source was cut into pieces for the model,
            ``truncated`` when an output still hit its length limit.
        pieces: How many model inputs the sentence became.
    """

    text: str
    score: float | None = None
    flags: tuple[Flag, ...] = ()
    pieces: int = 1


@dataclass(frozen=True)
class Suggestion:
    """Help for a reviewer beside a translation.

    Attributes:
        kind: ``tm``, a fuzzy translation-memory match (a human translation of
            a similar sentence), or ``term``, a glossary term in the source.
        source: tm: the memory's source sentence; term: the glossary term.
        translation: tm: its human translation; term: the glossary's target.
        similarity: tm: rapidfuzz ratio of the normalised sources, 0..1; term: 1.
        origin: Where it comes from (file, date, reviewer; the glossary line).
        start, end: term: where the term is in the record's source (-1: unknown).
    """

    kind: str
    source: str
    translation: str
    similarity: float = 1.0
    origin: str = ""
    start: int = -1
    end: int = -1


# Review states of a pair, in the order a reviewer moves through them; a
# record's ``review`` is None for "new" (nobody has looked at it yet).
REVIEW_STATES = ("new", "reviewed", "approved", "rejected")


@dataclass(frozen=True)
class Record:
    """One output row: a source sentence and its translation.

    There is exactly one record per source sentence, in document order.
    ``start``/``end`` are offsets of the source sentence in its document text.
    ``locator`` says where the sentence stood in a structured original
    (``p[3]``, ``table[0]/row[1]/cell[2]``, ``html/body/div[2]/p[1]``,
    ``md:line 12``); None for a plain-text article.
    """

    doc_id: str
    paragraph: int
    index: int
    start: int
    end: int
    source: str
    translation: str
    score: float | None
    flags: tuple[Flag, ...] = ()
    src_lang: str = "kk"
    tgt_lang: str = "en"
    # The reviewer's loop (docs/review.md): the review state (None: not yet
    # reviewed, "new"), the machine translation kept when a person edited
    # ``translation``, and the reviewer's comment.
    review: str | None = None
    mt: str | None = None
    comment: str | None = None
    # Help for the reviewer (docs/tm.md): fuzzy translation-memory matches
    # and the glossary terms found in the source.
    suggestions: tuple[Suggestion, ...] = ()
    # Where the sentence stood in a structured document (translate.documents).
    locator: str | None = None

    @property
    def flag_codes(self) -> tuple[str, ...]:
        return tuple(f.code for f in self.flags)


@dataclass(frozen=True)
class DocumentResult:
    """A document and its records, as the pipeline streams them."""

    document: Document
    records: tuple[Record, ...]


@dataclass(frozen=True)
class Signature:
    """How a result was made (in the spirit of sacrebleu's signatures)."""

    package_version: str
    segmenter_version: str
    model: str
    revision: str | None
    backend: str
    beam: int
    max_input_tokens: int
    max_output_tokens: int
    src_lang: str
    tgt_lang: str
    device: str = "cpu"
    extra: tuple[tuple[str, str], ...] = field(default_factory=tuple)

    def __str__(self) -> str:
        rev = f"@{self.revision}" if self.revision else ""
        parts = [
            f"translate:{self.package_version}",
            f"model:{self.model}{rev}",
            f"backend:{self.backend}",
            f"beam:{self.beam}",
            f"maxin:{self.max_input_tokens}",
            f"maxout:{self.max_output_tokens}",
            f"seg:{self.segmenter_version}",
            f"{self.src_lang}-{self.tgt_lang}",
            f"device:{self.device}",
        ]
        parts += [f"{k}:{v}" for k, v in self.extra]
        return "|".join(parts)
