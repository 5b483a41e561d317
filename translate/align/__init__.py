"""Sentence alignment of documents that translate each other.

:func:`align_documents` segments two documents and aligns them into records;
:func:`align_sentences` aligns two sentence lists into beads. Tuned constants
are in :class:`AlignParams` (:data:`DEFAULT_PARAMS`).
"""

from translate.align.chrf import chrf, chrf_similarity
from translate.align.document import METHOD, MODEL_METHOD, align_documents, evidence_texts
from translate.align.params import DEFAULT as DEFAULT_PARAMS
from translate.align.params import AlignParams
from translate.align.search import Bead
from translate.align.sentences import align_sentences

__all__ = [
    "DEFAULT_PARAMS",
    "METHOD",
    "MODEL_METHOD",
    "AlignParams",
    "Bead",
    "align_documents",
    "align_sentences",
    "chrf",
    "chrf_similarity",
    "evidence_texts",
]
