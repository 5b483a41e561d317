"""Translation memory and glossaries (issue #27): human translations reused
before the model is asked, fuzzy matches and glossary terms shown to the
reviewer, terms checked (and, on request, enforced) in translations.

- :mod:`~translate.tm.memory`: the SQLite memory of human translations;
- :mod:`~translate.tm.importers`: TMX, XLIFF, JSONL/TSV results, parallel
  files in; TMX and JSONL out;
- :mod:`~translate.tm.glossary`: TSV/CSV/TBX glossaries, do-not-translate lists;
- :mod:`~translate.tm.morphology`: Kazakh and English inflected forms of terms;
- :mod:`~translate.tm.assist`: what a run does with them (:func:`load_assist`).
"""

from translate.tm.assist import Assist, load_assist
from translate.tm.glossary import Glossary, Term
from translate.tm.memory import TranslationMemory, Unit, memory_key

__all__ = [
    "Assist",
    "Glossary",
    "Term",
    "TranslationMemory",
    "Unit",
    "load_assist",
    "memory_key",
]
