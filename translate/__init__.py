"""translate: Kazakh–English translation into sentence-aligned bilingual files.

The public API, stage by stage:

* :func:`segment` splits a text into :class:`Sentence` spans (offsets into the
  text, paragraph ids); :func:`read_article` reads a file into a
  :class:`Document` (encoding detected, a ``date`` line kept as metadata);
  :func:`read_document` reads HTML, Word and Markdown documents too.
* :func:`resolve_model` turns a registry name, hub id or path into a model
  location; :func:`load_translator` loads it with :class:`TranslationOptions`.
* :func:`translate_text` translates a string or a list of paragraphs;
  :func:`translate_documents` translates documents lazily into
  :class:`DocumentResult` objects (one :class:`Record` per source sentence).
* :func:`align_documents` aligns an existing translation sentence by sentence.
* :func:`open_writer` writes results (JSONL, TSV, Moses, TMX, XLIFF, HTML);
  :func:`read_results` reads them back.

Importing this package does not import torch: the heavier stages load on
first use, and a backend imports its framework when a model is loaded.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from translate._version import __version__
from translate.errors import (
    InputError,
    ModelError,
    ModelNotAvailableError,
    OutputError,
    TranslateError,
    UnsafeModelError,
    UnsupportedLanguageError,
    UsageError,
)
from translate.records import (
    Document,
    DocumentResult,
    Flag,
    Record,
    Sentence,
    Signature,
    Translation,
)
from translate.text.segment import SUPPORTED_LANGUAGES, segment

if TYPE_CHECKING:  # the names below load on first access (see __getattr__)
    from translate.align import align_documents
    from translate.documents import read_document
    from translate.formats import open_writer, read_results
    from translate.mt.backends import load_translator
    from translate.mt.registry import resolve as resolve_model
    from translate.mt.translator import TranslationOptions, Translator
    from translate.pipeline import TextResult, translate_documents, translate_text
    from translate.text.reader import read_article

__all__ = [
    "SUPPORTED_LANGUAGES",
    "Document",
    "DocumentResult",
    "Flag",
    "InputError",
    "ModelError",
    "ModelNotAvailableError",
    "OutputError",
    "Record",
    "Sentence",
    "Signature",
    "TextResult",
    "TranslateError",
    "Translation",
    "TranslationOptions",
    "Translator",
    "UnsafeModelError",
    "UnsupportedLanguageError",
    "UsageError",
    "__version__",
    "align_documents",
    "load_translator",
    "open_writer",
    "read_article",
    "read_document",
    "read_results",
    "resolve_model",
    "segment",
    "translate_documents",
    "translate_text",
]

# name -> (module, attribute): imported on first access, so that
# `import translate` stays light.
_LAZY = {
    "align_documents": ("translate.align", "align_documents"),
    "open_writer": ("translate.formats", "open_writer"),
    "read_results": ("translate.formats", "read_results"),
    "load_translator": ("translate.mt.backends", "load_translator"),
    "resolve_model": ("translate.mt.registry", "resolve"),
    "TranslationOptions": ("translate.mt.translator", "TranslationOptions"),
    "Translator": ("translate.mt.translator", "Translator"),
    "TextResult": ("translate.pipeline", "TextResult"),
    "translate_documents": ("translate.pipeline", "translate_documents"),
    "translate_text": ("translate.pipeline", "translate_text"),
    "read_article": ("translate.text.reader", "read_article"),
    "read_document": ("translate.documents", "read_document"),
}


def __getattr__(name: str) -> object:
    if name in _LAZY:
        from importlib import import_module

        module, attr = _LAZY[name]
        return getattr(import_module(module), attr)
    raise AttributeError(f"module 'translate' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
