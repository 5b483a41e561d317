"""Translation memory and glossaries in a run: what ``run``, ``batch``,
``align --model`` and the HTTP service share.

- :meth:`Assist.wrap` wraps a translator: a sentence whose normalised source
  is in the memory gets its human translation, flagged ``tm`` with its
  provenance and scored ``None``, and the model never sees it; with
  ``enforce_terms``, glossary targets and do-not-translate terms are put in
  the model input in place of the source terms (a Latin target for English
  output as itself, anything else as a placeholder ``[N]``) and restored
  after; a lost placeholder is flagged ``term``.
- :meth:`Assist.annotate` adds to finished records what helps a reviewer: a
  fuzzy memory match at or above the threshold as a ``tm`` suggestion, the
  glossary terms of the source as ``term`` suggestions, and a ``term`` flag
  when a term's target is not in the translation.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from translate.errors import UsageError
from translate.mt.translator import Translator, WrappingTranslator
from translate.records import Flag, Record, Suggestion, Translation
from translate.text.normalize import normalize_for_model
from translate.tm.glossary import (
    Glossary,
    Hit,
    TermFile,
    describe,
    missing_reason,
    read_dnt,
    read_glossary,
)
from translate.tm.memory import TranslationMemory

DEFAULT_FUZZY = 0.85
LANGUAGES = ("kk", "en")
_LATIN = re.compile(r"[A-Za-z]")
_CYRILLIC = re.compile("[\u0400-\u04ff]")


def _key(text: str) -> str:
    return " ".join(text.split())


@dataclass
class Assist:
    """A memory and glossaries; see the module doc.

    Attributes:
        src, tgt: The run's direction; None (``--src auto``): each sentence's.
        memory: Human translations, or None.
        files: Glossaries and do-not-translate lists, as read.
        fuzzy: Lowest similarity (0..1) of a fuzzy suggestion.
        enforce_terms: Put glossary targets into the model input.
        used: Sentences answered from the memory so far.
        suggested: Fuzzy suggestions given so far.
    """

    src: str | None
    tgt: str | None
    memory: TranslationMemory | None = None
    files: list[TermFile] = field(default_factory=list)
    fuzzy: float = DEFAULT_FUZZY
    enforce_terms: bool = False
    used: int = 0
    suggested: int = 0
    _glossaries: dict[tuple[str, str], Glossary] = field(default_factory=dict, repr=False)

    def serves(self, src: str, tgt: str) -> bool:
        """Whether sentences from ``src`` into ``tgt`` are this assist's."""
        if src not in LANGUAGES or tgt not in LANGUAGES or src == tgt:
            return False
        return self.src is None or (src, tgt) == (self.src, self.tgt)

    def glossary(self, src: str, tgt: str) -> Glossary | None:
        """The terms for one direction (None without glossary files)."""
        if not self.files:
            return None
        if (src, tgt) not in self._glossaries:
            self._glossaries[(src, tgt)] = Glossary(self.files, src, tgt)
        return self._glossaries[(src, tgt)]

    def wrap(self, translator: Translator) -> Translator:
        """``translator`` behind the memory (and term enforcement), or itself
        when there is neither."""
        if self.memory is None and not (self.enforce_terms and self.files):
            return translator
        return AssistedTranslator(translator, self)

    def annotate(self, records: Sequence[Record]) -> tuple[Record, ...]:
        """``records`` with fuzzy matches, terms and ``term`` flags added."""
        return tuple(self.annotate_one(r) for r in records)

    def annotate_one(self, r: Record) -> Record:
        """One record with its suggestions and ``term`` flag (see :meth:`annotate`)."""
        if not self.serves(r.src_lang, r.tgt_lang):
            return r
        suggestions = list(r.suggestions)
        flags = list(r.flags)
        norm = normalize_for_model(r.source, r.src_lang).text
        if self.memory is not None and "tm" not in r.flag_codes and norm.strip():
            found = self.memory.fuzzy(_key(norm), r.src_lang, r.tgt_lang, self.fuzzy)
            if found is not None:
                unit, similarity = found
                self.suggested += 1
                suggestions.append(
                    Suggestion("tm", unit.source, unit.target, similarity, unit.provenance())
                )
        glossary = self.glossary(r.src_lang, r.tgt_lang)
        if glossary is not None and len(glossary):
            hits, missing = glossary.problems(norm, r.translation)
            same_length = len(norm) == len(r.source)  # offsets map back one to one
            for h in hits:
                suggestions.append(
                    Suggestion(
                        "term",
                        h.term.source,
                        h.term.targets[0],
                        1.0,
                        h.term.origin,
                        h.start if same_length else -1,
                        h.end if same_length else -1,
                    )
                )
            if missing:
                flags = _add_reasons(flags, missing)
        if suggestions == list(r.suggestions) and flags == list(r.flags):
            return r
        return replace(r, flags=tuple(flags), suggestions=tuple(suggestions))

    def close(self) -> None:
        if self.memory is not None:
            self.memory.close()


def _add_reasons(flags: list[Flag], missing: list[Hit]) -> list[Flag]:
    """One ``term`` flag: an existing one (a lost placeholder) keeps its
    reason, the terms it does not name yet are added."""
    for k, f in enumerate(flags):
        if f.code == "term":
            more = [missing_reason(h) for h in missing if describe(h) not in f.reason]
            if more:
                flags[k] = Flag("term", "; ".join([f.reason, *more]))
            return flags
    return [*flags, Flag("term", "; ".join(missing_reason(h) for h in missing))]


class AssistedTranslator(WrappingTranslator):
    """Wraps a translator: memory hits are not translated; with enforcement,
    terms go to the model as their targets or placeholders."""

    def __init__(self, inner: Translator, assist: Assist):
        super().__init__(inner)
        self.assist = assist

    def translate(self, texts: Sequence[str], src: str, tgt: str) -> list[Translation]:
        a = self.assist
        out: list[Translation | None] = [None] * len(texts)
        if a.memory is not None and a.serves(src, tgt):
            keys = [_key(t) for t in texts]
            found = a.memory.exact(keys, src, tgt)
            for i, k in enumerate(keys):
                unit = found.get(k)
                if unit is not None and k:
                    a.used += 1
                    reason = f"human translation from the translation memory ({unit.provenance()})"
                    out[i] = Translation(unit.target, None, (Flag("tm", reason),))
        todo = [i for i, t in enumerate(out) if t is None]
        if todo:
            glossary = a.glossary(src, tgt) if a.enforce_terms and a.serves(src, tgt) else None
            inputs, slots = [], []
            for i in todo:
                text, s = protect(texts[i], glossary, tgt) if glossary else (texts[i], [])
                inputs.append(text)
                slots.append(s)
            for i, t, s in zip(todo, self.inner.translate(inputs, src, tgt), slots):
                out[i] = restore(t, s, glossary) if s else t
        return [t for t in out if t is not None]

    @property
    def hit_rate(self) -> float:
        return float(getattr(self.inner, "hit_rate", 0.0))


@dataclass(frozen=True)
class Slot:
    """A protected term: the placeholder put in its place (None: its target
    was put in as text), and the hit."""

    placeholder: str | None
    hit: Hit


def protect(text: str, glossary: Glossary | None, tgt: str) -> tuple[str, list[Slot]]:
    """``text`` with each glossary term replaced by its target (Latin target,
    English output) or by a placeholder ``[N]`` (N not in ``text``)."""
    if glossary is None:
        return text, []
    hits = glossary.find(text)
    slots: list[Slot] = []
    n = 0
    pieces, pos = [], 0
    for h in hits:
        target = h.term.targets[0]
        inline = (
            tgt == "en"
            and not h.term.dnt
            and _LATIN.search(target)
            and not _CYRILLIC.search(target)
        )
        if inline:
            slots.append(Slot(None, h))
            piece = target
        else:
            n += 1
            while f"[{n}]" in text:
                n += 1
            piece = f"[{n}]"
            slots.append(Slot(piece, h))
        pieces += [text[pos : h.start], piece]
        pos = h.end
    return "".join(pieces) + text[pos:], slots


def restore(t: Translation, slots: list[Slot], glossary: Glossary | None) -> Translation:
    """The translation with placeholders replaced by their targets; a
    placeholder the model lost, or a target put in as text that is not in the
    output, flagged ``term``."""
    text = t.text
    lost = []
    for s in slots:
        target = s.hit.term.targets[0]
        if s.placeholder is None:
            if glossary is not None and not glossary.in_translation(s.hit.term, text):
                lost.append(s)
            continue
        pattern = re.compile(r"\[\s*" + re.escape(s.placeholder[1:-1]) + r"\s*\]")
        text, k = pattern.subn(lambda _m, target=target: target, text)
        if not k:
            lost.append(s)
    flags = t.flags
    if lost:
        what = "; ".join(
            f"{describe(s.hit)}: could not be enforced ("
            + (
                "placeholder lost"
                if s.placeholder
                else "the target given to the model is not in its output"
            )
            + ")"
            for s in lost
        )
        flags = (*flags, Flag("term", what))
    return replace(t, text=text, flags=flags)


_FILE_SUFFIXES = (".tmx", ".xlf", ".xliff", ".sdlxliff", ".jsonl", ".tsv", ".csv")


def open_memory(path: str | Path, src: str | None = None) -> TranslationMemory:
    """The memory at ``path``, read-only; a TMX, XLIFF, JSONL or TSV file
    (by its name) is read as ``tm import`` reads it into a memory of this
    run only."""
    p = Path(path)
    if p.is_file() and p.suffix.lower() in _FILE_SUFFIXES:
        from datetime import date

        from translate.tm.importers import read_units

        units = read_units(str(p), src).units
        return TranslationMemory.in_memory(units, date.today().isoformat())
    return TranslationMemory(p)


def load_assist(
    src: str | None,
    tgt: str | None,
    tm: str | Path | None = None,
    glossaries: Sequence[str | Path] = (),
    dnt: Sequence[str | Path] = (),
    fuzzy: float = DEFAULT_FUZZY,
    enforce_terms: bool = False,
) -> Assist | None:
    """The memory and glossaries of a run, read and checked before any model
    loads; None when there is neither. ``src`` None or ``auto``: every
    sentence in its own direction.

    Raises:
        InputError: a missing or broken memory or glossary file.
        UsageError: ``fuzzy`` outside 0..1, ``enforce_terms`` without terms.
    """
    if not 0 < fuzzy <= 1:
        raise UsageError(f"--tm-fuzzy must be in (0, 1], not {fuzzy}")
    if enforce_terms and not (glossaries or dnt):
        raise UsageError("--enforce-terms needs --glossary or --dnt")
    if tm is None and not glossaries and not dnt:
        return None
    files = [read_glossary(g) for g in glossaries] + [read_dnt(d) for d in dnt]
    if src in LANGUAGES:
        for f in files:  # every term checked now, not at the first sentence that has it
            Glossary([f], src, tgt or ("en" if src == "kk" else "kk"))
    memory = open_memory(tm, src if src in LANGUAGES else None) if tm is not None else None
    fixed = src in LANGUAGES
    return Assist(
        src if fixed else None,
        (tgt or ("en" if src == "kk" else "kk")) if fixed else None,
        memory,
        files,
        fuzzy,
        enforce_terms,
    )
