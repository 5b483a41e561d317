"""What the endpoints do, without the web framework: the service's state and
its operations on plain values (texts in, results out).

The functions run in a request's thread: the pipeline segments and checks
there, and the translator hands the sentences to the shared inference worker
(:mod:`translate.serve.batcher`).
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from translate.mt.translator import LANGUAGES, Translator
from translate.quality import QualityThresholds
from translate.records import Document, DocumentResult, Record, Signature
from translate.serve.batcher import Batcher
from translate.serve.jobs import JobManager
from translate.serve.limits import ApiError, Limits, RateLimiter
from translate.serve.metrics import Metrics

logger = logging.getLogger("translate")

LANGUAGE_LIST = [
    {"code": "kk", "name": "Kazakh", "targets": ["en"]},
    {"code": "en", "name": "English", "targets": ["kk"]},
]
NAMES = {"kk": "Kazakh", "en": "English", "ru": "Russian"}

# media type and file name extension of each output format of /v1/translate
MEDIA_TYPES = {
    "jsonl": ("application/x-ndjson; charset=utf-8", "jsonl"),
    "tsv": ("text/tab-separated-values; charset=utf-8", "tsv"),
    "tmx": ("application/x-tmx+xml; charset=utf-8", "tmx"),
    "xliff": ("application/xliff+xml; charset=utf-8", "xlf"),
    "xliff12": ("application/xliff+xml; charset=utf-8", "xlf"),
    "html": ("text/html; charset=utf-8", "html"),
    "text": ("text/plain; charset=utf-8", "txt"),
}


@dataclass
class Service:
    """Everything the endpoints share; one per process."""

    translator: Translator  # interactive requests' (a BatchingTranslator)
    model_name: str
    limits: Limits = field(default_factory=Limits)
    rate: RateLimiter = field(default_factory=lambda: RateLimiter(0))
    metrics: Metrics = field(default_factory=Metrics)
    batcher: Batcher | None = None
    jobs: JobManager | None = None
    downloads: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="translate-")))
    src: str = "kk"
    tgt: str = "en"
    thresholds: QualityThresholds | None = None
    script: str = "auto"
    tgt_script: str = "cyrl"
    # the memory's fuzzy suggestions and the glossary's term flags (--tm, --glossary)
    annotate: Callable[[tuple[Record, ...]], tuple[Record, ...]] | None = None

    def signature(self, src: str, tgt: str) -> Signature:
        from translate.pipeline import make_signature

        return make_signature(self.translator, src, tgt)

    def translate_items(
        self, items: Sequence[str], src: str, tgt: str, ids: Sequence[str] | None = None
    ) -> list[DocumentResult]:
        """One document per item, their sentences translated in shared batches."""
        docs = [Document(id=ids[i] if ids else f"q{i}", text=t) for i, t in enumerate(items)]
        return self._translate(docs, src, tgt)

    def translate_source(self, doc: Document, src: str, tgt: str) -> DocumentResult:
        """One document as read (an HTML, Word or Markdown one keeps its structure)."""
        (result,) = self._translate([doc], src, tgt)
        return result

    def _translate(self, docs: list[Document], src: str, tgt: str) -> list[DocumentResult]:
        from translate.pipeline import translate_documents

        return list(
            translate_documents(
                docs,
                self.translator,
                src,
                tgt,
                thresholds=self.thresholds,
                script=self.script,
                tgt_script=self.tgt_script if tgt == "kk" else "cyrl",
                annotate=self.annotate,
            )
        )

    def translate_plain(self, items: Sequence[str], src: str, tgt: str) -> list[str]:
        """The translation of each text, line for line."""
        from translate.pipeline import render_lines

        if src == tgt:
            return list(items)
        results = self.translate_items(items, src, tgt)
        return ["\n".join(render_lines(t, r.records)) for t, r in zip(items, results)]

    def translate_markup(self, items: Sequence[str], src: str, tgt: str) -> list[str]:
        """HTML texts with their text nodes translated (:mod:`translate.serve.markup`)."""
        from translate.serve.markup import translate_html

        if src == tgt:
            return list(items)

        def nodes(texts: list[str]) -> list[str]:
            return self.translate_plain(texts, src, tgt)

        return [translate_html(t, nodes) for t in items]

    def translate_document(
        self, text: str | list[str], src: str, tgt: str, doc_id: str = "text"
    ) -> tuple[DocumentResult, list[str]]:
        """A text (lines are paragraphs) or a list of paragraphs as one document:
        its result and its translated lines (as :func:`translate.translate_text`)."""
        from translate.pipeline import render_lines

        joined = text if isinstance(text, str) else "\n".join(x.replace("\n", " ") for x in text)
        (result,) = self.translate_items([joined], src, tgt, ids=[doc_id])
        return result, render_lines(joined, result.records)

    def align(
        self, source_text: str, target_text: str, src: str, tgt: str, use_model: bool
    ) -> tuple[DocumentResult, Signature]:
        from dataclasses import replace

        from translate._version import __version__
        from translate.align import METHOD, MODEL_METHOD, align_documents
        from translate.text.segment import SEGMENTER_VERSION

        result = align_documents(
            Document("source", source_text),
            Document("target", target_text),
            src,
            tgt,
            self.translator if use_model else None,
        )
        if use_model:
            sig = self.signature(src, tgt)
            sig = replace(sig, backend=f"align:{MODEL_METHOD}/{sig.backend}")
        else:
            sig = Signature(
                __version__, SEGMENTER_VERSION, "none", None, f"align:{METHOD}", 0, 0, 0, src, tgt
            )
        return result, sig


def detect(text: str) -> tuple[str, float]:
    """The language of ``text`` and a confidence (0-100), by
    :func:`translate.text.language.detect_language`: ``kk`` or ``en``, or the
    other language most of it is in (``ru``, ``ky``, ``tt``, ``uz``...)."""
    from translate.text.language import detect_language

    lang, confidence, other = detect_language(text)
    return other or lang, round(100.0 * confidence, 1)


def check_pair(source: object, target: object, auto: bool = False) -> tuple[str, str]:
    """Validated language codes (``auto`` allowed as the source when ``auto``).

    Raises:
        ApiError: 400 for a missing or unsupported language.
    """
    if not source:
        raise ApiError(400, "Invalid request: missing source parameter")
    if not target:
        raise ApiError(400, "Invalid request: missing target parameter")
    if not isinstance(source, str) or not isinstance(target, str):
        raise ApiError(400, "Invalid request: source and target must be strings")
    sources = (*LANGUAGES, "auto") if auto else LANGUAGES
    if source not in sources:
        raise ApiError(400, f"{source} is not supported (supported: {', '.join(sources)})")
    if target not in LANGUAGES:
        raise ApiError(400, f"{target} is not supported (supported: {', '.join(LANGUAGES)})")
    return source, target


def resolve_source(text: str, source: str) -> tuple[str, dict | None]:
    """The source language to use, and the ``detectedLanguage`` answer for ``auto``."""
    if source != "auto":
        return source, None
    lang, confidence = detect(text)
    if lang not in LANGUAGES:
        raise ApiError(
            400,
            f"detected language {lang} ({NAMES.get(lang, lang)}) is not supported "
            f"(supported: {', '.join(LANGUAGES)})",
        )
    return lang, {"confidence": confidence, "language": lang}


def as_texts(q: object, name: str = "q") -> list[str] | None:
    """A string or a list of strings as a list (None for a string); 400 otherwise."""
    if isinstance(q, str):
        if not q.strip() and name == "q":
            raise ApiError(400, f"Invalid request: missing {name} parameter")
        return None
    if isinstance(q, list) and q and all(isinstance(x, str) for x in q):
        return q
    if q is None or q == []:
        raise ApiError(400, f"Invalid request: missing {name} parameter")
    raise ApiError(400, f"Invalid request: {name} must be a string or a list of strings")
