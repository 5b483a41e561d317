"""translate: Kazakh-English translation into sentence-aligned bilingual files.

Stages: :func:`segment` (sentences with offsets), a :class:`Translator`
(``load_translator``), :func:`align` into :class:`Record` objects, and the
writers. :func:`translate_documents` joins them lazily. Importing this package
does not import torch; backends load it when a model is loaded.
"""

from translate._version import __version__
from translate.errors import (  # noqa: E402
    InputError,
    ModelError,
    ModelNotAvailableError,
    TranslateError,
    UnsafeModelError,
    UnsupportedLanguageError,
    UsageError,
)
from translate.records import (  # noqa: E402
    Document,
    DocumentResult,
    Flag,
    Record,
    Sentence,
    Signature,
    Translation,
)
from translate.text.segment import SUPPORTED_LANGUAGES, segment  # noqa: E402

__all__ = [
    "Document",
    "DocumentResult",
    "Flag",
    "InputError",
    "ModelError",
    "ModelNotAvailableError",
    "Record",
    "Sentence",
    "Signature",
    "SUPPORTED_LANGUAGES",
    "Translation",
    "TranslateError",
    "UnsafeModelError",
    "UnsupportedLanguageError",
    "UsageError",
    "align",
    "load_translator",
    "open_writer",
    "read_article",
    "resolve_model",
    "segment",
    "translate_documents",
    "TranslationOptions",
]


def __getattr__(name: str):  # lazy access to the heavier stages
    if name in ("align", "translate_documents"):
        from translate import pipeline

        return getattr(pipeline, name)
    if name == "load_translator":
        from translate.mt.backends import load_translator

        return load_translator
    if name == "TranslationOptions":
        from translate.mt.translator import TranslationOptions

        return TranslationOptions
    if name == "open_writer":
        from translate.formats import open_writer

        return open_writer
    if name == "read_article":
        from translate.text.reader import read_article

        return read_article
    if name == "resolve_model":
        from translate.mt.registry import resolve

        return resolve
    raise AttributeError(f"module 'translate' has no attribute {name!r}")
