"""Glossaries and do-not-translate lists: terms found in a source sentence in
their inflected forms (:mod:`translate.tm.morphology`), and checked in its
translation.

Files:

- TSV (``SOURCE<TAB>TARGET[<TAB>NOTE]``) or CSV (``.csv``, the same three
  columns); ``#`` starts a comment line; an optional header row names the
  columns (``source<TAB>target`` or the languages, ``kk<TAB>en``); without
  one, the column whose terms are in Cyrillic is the Kazakh one. A line whose
  target is its source is a do-not-translate term.
- TBX (``martif`` of TBX 2 or ``tbx`` of TBX 3): every Kazakh and English term
  of a concept entry; any of the entry's target terms counts as its translation.
- A do-not-translate list (``--dnt``): one term per line, kept as written.

A glossary serves both directions: a kk→en glossary used for en→kk looks
its English terms up and expects their Kazakh ones.
"""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from translate.errors import InputError
from translate.tm.files import decode_text, read_bytes
from translate.tm.morphology import TermPattern, tokens

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_LANG_ALIASES = {"kk": "kk", "kaz": "kk", "kazakh": "kk", "en": "en", "eng": "en", "english": "en"}


@dataclass(frozen=True)
class Term:
    """A glossary entry.

    Attributes:
        source: The term in the glossary's source language.
        targets: Its accepted translations, the preferred first (a TBX entry
            may have several); for a do-not-translate term, the term itself.
        note: The glossary's note, if any.
        origin: Where it comes from (``FILE:LINE`` or ``FILE: entry N``).
        dnt: A do-not-translate term: kept as written.
    """

    source: str
    targets: tuple[str, ...]
    note: str = ""
    origin: str = ""
    dnt: bool = False


@dataclass(frozen=True)
class Hit:
    """A term found in a text: ``text[start:end]`` is ``matched``."""

    term: Term
    start: int
    end: int
    matched: str


@dataclass(frozen=True)
class TermFile:
    """A glossary file as read: its languages when it says them, and its terms."""

    path: str
    src_lang: str | None
    tgt_lang: str | None
    terms: tuple[Term, ...]


def lang_code(tag: str | None) -> str | None:
    """``kk`` or ``en`` for a language tag (``kk-KZ``, ``EN``, ``kaz``), else None."""
    if not tag:
        return None
    return _LANG_ALIASES.get(tag.strip().lower().replace("_", "-").split("-")[0])


def _cyrillic(text: str) -> bool:
    return any("\u0400" <= ch <= "\u04ff" for ch in text)


def _check_term(path: str, where: str, what: str, value: str) -> str:
    value = " ".join(value.split())
    if not value:
        raise InputError(f"{path}: {where}: empty {what}")
    if not tokens(value):
        raise InputError(f"{path}: {where}: {what} {value[:40]!r} has no word in it")
    return value


def read_term_table(path: str | Path) -> TermFile:
    """A TSV or CSV glossary (see the module doc).

    Raises:
        InputError: unreadable, not UTF-8, a line without a tab (TSV), a line of
            more than three fields, an empty or word-less term; each with the
            file and line.
    """
    name = str(path)
    text = decode_text(read_bytes(path, "glossary"), path)
    rows: Iterable[tuple[int, list[str]]]
    if name.lower().endswith(".csv"):
        reader = csv.reader(io.StringIO(text, newline=""), strict=True)
        try:
            rows = [(reader.line_num, row) for row in reader]
        except csv.Error as exc:
            raise InputError(f"{path}: line {reader.line_num}: not valid CSV ({exc})") from None
    else:
        rows = [(n, line.split("\t")) for n, line in enumerate(text.splitlines(), 1)]
    src_lang = tgt_lang = None
    terms: list[Term] = []
    first = True
    for n, row in rows:
        if not row or not "".join(row).strip() or row[0].lstrip().startswith("#"):
            continue
        where = f"line {n}"
        if first:
            first = False
            head = [c.strip().lower() for c in row[:2]]
            if len(head) == 2 and (lang_code(head[0]) and lang_code(head[1])):
                src_lang, tgt_lang = lang_code(head[0]), lang_code(head[1])
                continue
            if head == ["source", "target"] or head == ["term", "translation"]:
                continue
        if len(row) < 2:
            sep = "comma" if name.lower().endswith(".csv") else "tab"
            raise InputError(
                f"{path}: {where}: no {sep} between source and target; expected "
                "SOURCE<TAB>TARGET[<TAB>NOTE] (CSV: SOURCE,TARGET[,NOTE])"
            )
        if len(row) > 3:
            raise InputError(
                f"{path}: {where}: {len(row)} fields; expected SOURCE, TARGET and an optional NOTE"
            )
        source = _check_term(name, where, "source term", row[0])
        target = _check_term(name, where, "target term", row[1])
        note = row[2].strip() if len(row) > 2 else ""
        dnt = source == target
        terms.append(Term(source, (target,), note, f"{name}:{n}", dnt))
    if not terms:
        raise InputError(f"{path}: no terms in it (expected SOURCE<TAB>TARGET lines)")
    if src_lang is None:  # the Cyrillic column is the Kazakh one
        pairs = [t for t in terms if not t.dnt]
        first_cyr = sum(_cyrillic(t.source) for t in pairs)
        second_cyr = sum(_cyrillic(t.targets[0]) for t in pairs)
        if first_cyr > second_cyr:
            src_lang, tgt_lang = "kk", "en"
        elif second_cyr > first_cyr:
            src_lang, tgt_lang = "en", "kk"
    return TermFile(name, src_lang, tgt_lang, tuple(terms))


def read_dnt(path: str | Path) -> TermFile:
    """A do-not-translate list: one term per line, ``#`` comments."""
    name = str(path)
    text = decode_text(read_bytes(path, "do-not-translate list"), path)
    terms = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if "\t" in line.strip():
            raise InputError(
                f"{path}: line {n}: a tab: a do-not-translate list has one term per line "
                "(a glossary goes to --glossary)"
            )
        term = _check_term(name, f"line {n}", "term", line)
        terms.append(Term(term, (term,), "", f"{name}:{n}", True))
    if not terms:
        raise InputError(f"{path}: no terms in it (one term per line)")
    return TermFile(name, None, None, tuple(terms))


def read_tbx(path: str | Path) -> TermFile:
    """A TBX file: each concept entry's Kazakh and English terms.

    Raises:
        InputError: not well-formed XML, an entity declaration, not TBX, or no
            entry with both a Kazakh and an English term.
    """
    from translate.formats.xml import parse_xml

    name = str(path)
    read_bytes(path, "glossary")
    try:
        root = parse_xml(Path(path))
    except ET.ParseError as exc:
        raise InputError(f"{path}: not well-formed XML ({exc})") from None
    except ValueError as exc:
        raise InputError(f"{path}: {exc}") from None
    if root.tag.split("}")[-1] not in ("martif", "tbx"):
        raise InputError(f"{path}: not TBX (root element {root.tag!r}, not martif or tbx)")
    terms = []
    entries = [e for e in root.iter() if e.tag.split("}")[-1] in ("termEntry", "conceptEntry")]
    for k, entry in enumerate(entries, 1):
        by_lang: dict[str, list[str]] = {}
        for lang_set in entry.iter():
            if lang_set.tag.split("}")[-1] != "langSet":
                continue
            lang = lang_code(lang_set.get(_XML_LANG) or lang_set.get("lang"))
            if lang is None:
                continue
            for t in lang_set.iter():
                if t.tag.split("}")[-1] == "term":
                    value = " ".join("".join(t.itertext()).split())
                    if value and tokens(value):
                        by_lang.setdefault(lang, []).append(value)
        kk, en = by_lang.get("kk", []), by_lang.get("en", [])
        for term in kk:
            if en:
                terms.append(Term(term, tuple(en), "", f"{name}: entry {k}", en == [term]))
    if not terms:
        raise InputError(f"{path}: no entry with both a Kazakh (kk) and an English (en) term")
    return TermFile(name, "kk", "en", tuple(terms))


def read_glossary(path: str | Path) -> TermFile:
    """A glossary file by its name: ``.tbx`` (or XML content) as TBX, else TSV/CSV."""
    p = Path(path)
    if p.suffix.lower() in (".tbx", ".xml"):
        return read_tbx(p)
    return read_term_table(p)


class Glossary:
    """The terms of some glossary files, for one direction (``src`` → ``tgt``).

    Args:
        files: Glossaries and do-not-translate lists, as read.
        src, tgt: The direction of the run; a glossary of the other direction
            is turned round (its targets are looked up, its sources expected).
    """

    def __init__(self, files: Sequence[TermFile], src: str, tgt: str):
        self.src, self.tgt = src, tgt
        self.terms: list[Term] = []
        for f in files:
            reverse = f.src_lang == tgt and f.tgt_lang == src
            for t in f.terms:
                if t.dnt:
                    self.terms.append(t)
                elif reverse:
                    self.terms += [Term(x, (t.source,), t.note, t.origin) for x in t.targets]
                else:
                    self.terms.append(t)
        self._patterns: dict[str, TermPattern] = {}
        self._index: dict[str, list[tuple[Term, TermPattern]]] = {}
        for t in self.terms:
            pattern = TermPattern(t.source, src)
            for key in pattern.first_keys():
                self._index.setdefault(key, []).append((t, pattern))

    def __len__(self) -> int:
        return len(self.terms)

    def find(self, text: str) -> list[Hit]:
        """The terms in ``text`` (a source sentence), in order; where two
        overlap, the longer one (``Ақмола облысы`` over ``облыс``)."""
        toks = tokens(text)
        hits = []
        for i, (start, _, word) in enumerate(toks):
            for term, pattern in self._index.get(word, ()):
                end = pattern.match_at(text, toks, i)
                if end is not None:
                    hits.append(Hit(term, start, end, text[start:end]))
        hits.sort(key=lambda h: (h.start, -(h.end - h.start)))
        kept: list[Hit] = []
        for h in hits:
            if kept and h.start < kept[-1].end:
                continue
            kept.append(h)
        return kept

    def _target(self, target: str) -> TermPattern:
        if target not in self._patterns:
            self._patterns[target] = TermPattern(target, self.tgt)
        return self._patterns[target]

    def in_translation(self, term: Term, translation: str) -> bool:
        """Whether one of ``term``'s targets (inflected as the target language
        inflects) is in ``translation``."""
        return any(self._target(t).search(translation) for t in term.targets)

    def problems(self, source: str, translation: str) -> tuple[list[Hit], list[Hit]]:
        """The terms found in ``source``, and those of them (the first hit of
        each term) whose target is not in ``translation``."""
        hits = self.find(source)
        missing = []
        seen = set()
        for h in hits:
            if h.term in seen or self.in_translation(h.term, translation):
                continue
            seen.add(h.term)
            missing.append(h)
        return hits, missing


def describe(hit: Hit) -> str:
    """``'облысының' (glossary 'облыс' → 'region')``, ``do-not-translate 'X'``."""
    t = hit.term
    if t.dnt:
        return f"do-not-translate {t.source!r}"
    rule = f"glossary {t.source!r} → {t.targets[0]!r}"
    return rule if hit.matched.lower() == t.source.lower() else f"{hit.matched!r} ({rule})"


def missing_reason(hit: Hit) -> str:
    """Why a translation is flagged ``term`` for ``hit``."""
    if hit.term.dnt:
        return f"{describe(hit)}: not kept as written in the translation"
    return f"{describe(hit)}: {hit.term.targets[0]!r} not in the translation"
