"""XLIFF 2.1 (a ``file`` per document, a ``unit``/``segment`` per pair) and
XLIFF 1.2 (a ``trans-unit`` per pair), written and read back.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from translate._version import __version__
from translate.formats import checks, suggestions
from translate.formats.base import Writer
from translate.formats.review import (
    least_reviewed,
    review_from_xliff2,
    review_from_xliff12,
    xliff2_state,
    xliff12_state,
)
from translate.formats.xml import (
    X2,
    X12,
    lang_tag,
    run_json,
    short_lang,
    xml_attr,
    xml_text,
)
from translate.records import Document, DocumentResult, Record, Signature


class Xliff21Writer(Writer):
    """XLIFF 2.1: a ``file`` per document, a ``unit``/``segment`` per pair."""

    def __init__(self, signature: Signature, out, overwrite: bool = True):
        super().__init__(signature, out, overwrite)
        self.stream = self._open(self.out)
        self.stream.write(
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.1" '
            f'srcLang="{lang_tag(signature.src_lang)}" trgLang="{lang_tag(signature.tgt_lang)}">\n'
        )
        self.n = 0

    def write(self, result: DocumentResult) -> None:
        w = self.stream.write
        doc = result.document
        self.n += 1
        w(f'  <file id="f{self.n}" original="{xml_attr(doc.id)}">\n    <notes>\n')
        w(f'      <note category="translate:signature">{xml_text(str(self.signature))}</note>\n')
        w(f'      <note category="translate:run">{xml_text(run_json(self.signature))}</note>\n')
        if doc.date:
            w(f'      <note category="translate:date">{xml_text(doc.date)}</note>\n')
        w("    </notes>\n")
        for r in result.records:
            w(f'    <unit id="u{r.index}" name="{xml_attr(r.doc_id)}:{r.index}">\n')
            w(suggestions.xliff2(r) + "      <notes>\n")
            w(
                f'        <note category="translate:position">{r.paragraph} {r.index} {r.start} {r.end}</note>\n'
            )
            if r.score is not None:
                w(f'        <note category="translate:score">{r.score:.4f}</note>\n')
            for f in r.flags:
                w(
                    f'        <note category="translate:flag" id="{xml_attr(f.code)}-{r.index}">'
                    f"{xml_text(f.code)}: {xml_text(f.reason)}</note>\n"
                )
            for category, value in (("mt", r.mt), ("comment", r.comment)):
                if value is not None:
                    w(f'        <note category="translate:{category}">{xml_text(value)}</note>\n')
            w("      </notes>\n")
            state, sub_state = xliff2_state(r)
            sub = f' subState="{sub_state}"' if sub_state else ""
            w(f'      <segment id="s{r.index}" state="{state}"{sub}>\n')
            w(f'        <source xml:space="preserve">{xml_text(r.source)}</source>\n')
            w(f'        <target xml:space="preserve">{xml_text(r.translation)}</target>\n')
            w("      </segment>\n    </unit>\n")
        w("  </file>\n")

    def close(self) -> None:
        self.stream.write("</xliff>\n")
        super().close()


class Xliff12Writer(Writer):
    """XLIFF 1.2: a ``file`` per document, a ``trans-unit`` per pair."""

    def __init__(self, signature: Signature, out, overwrite: bool = True):
        super().__init__(signature, out, overwrite)
        self.stream = self._open(self.out)
        self.stream.write(
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">\n'
        )

    def write(self, result: DocumentResult) -> None:
        w = self.stream.write
        doc = result.document
        s = self.signature
        w(
            f'  <file original="{xml_attr(doc.id)}" source-language="{lang_tag(s.src_lang)}" '
            f'target-language="{lang_tag(s.tgt_lang)}" datatype="plaintext" tool-id="translate">\n'
            "    <header>\n"
            f'      <tool tool-id="translate" tool-name="translate" tool-version="{__version__}"/>\n'
            f'      <note from="translate:signature">{xml_text(str(s))}</note>\n'
            f'      <note from="translate:run">{xml_text(run_json(s))}</note>\n'
        )
        if doc.date:
            w(f'      <note from="translate:date">{xml_text(doc.date)}</note>\n')
        w("    </header>\n    <body>\n")
        for r in result.records:
            w(
                f'      <trans-unit id="{r.index}" resname="{xml_attr(r.doc_id)}:{r.index}" xml:space="preserve">\n'
            )
            w(f"        <source>{xml_text(r.source)}</source>\n")
            state, qualifier = xliff12_state(r, machine=not s.backend.startswith("align:"))
            qualified = f' state-qualifier="{qualifier}"' if qualifier else ""
            w(f'        <target state="{state}"{qualified}>{xml_text(r.translation)}</target>\n')
            w(
                f'        <note from="translate:position">{r.paragraph} {r.index} {r.start} {r.end}</note>\n'
            )
            if r.score is not None:
                w(f'        <note from="translate:score">{r.score:.4f}</note>\n')
            for f in r.flags:
                w(
                    f'        <note from="translate:flag">{xml_text(f.code)}: {xml_text(f.reason)}</note>\n'
                )
            for source, value in (("mt", r.mt), ("comment", r.comment)):
                if value is not None:
                    w(f'        <note from="translate:{source}">{xml_text(value)}</note>\n')
            w(suggestions.xliff12(r))
            w("      </trans-unit>\n")
        w("    </body>\n  </file>\n")

    def close(self) -> None:
        self.stream.write("</xliff>\n")
        super().close()


def _notes(parent: ET.Element | None, ns: str, attr: str) -> list[tuple[str, str]]:
    if parent is None:
        return []
    return [(n.get(attr, ""), n.text or "") for n in parent.iter(ns + "note")]


def _content(element: ET.Element | None) -> str:
    return "" if element is None else "".join(element.itertext())


def read_xliff2(root: ET.Element) -> tuple[Signature | None, list[DocumentResult]]:
    """XLIFF 2: one record per ``unit``. A unit of several segments (a CAT tool
    split or joined sentences) is one record: the sources of its segments and
    ``ignorable``s joined in order, and their targets likewise (an ignorable
    without a target gives its source; a space where a tool trimmed it, see
    :func:`_join`); its review state is its least reviewed segment's.

    Raises:
        BadResult: a unit without a segment, a segment without a source, or
            one of our notes of the wrong kind (``unit N: ...``, counted from 1
            over the whole file).
    """
    src_lang, tgt_lang = (
        short_lang(root.get("srcLang", "kk")),
        short_lang(root.get("trgLang", "en")),
    )
    signature = None
    results = []
    n = 0
    for f in root.findall(X2 + "file"):
        doc_id = f.get("original", f.get("id", "doc"))
        fnotes = dict(_notes(f.find(X2 + "notes"), X2, "category"))
        if "translate:run" in fnotes:
            signature = checks.run_json(f"file {doc_id!r}", fnotes["translate:run"])
        records = []
        for i, unit in enumerate(f.iter(X2 + "unit")):
            n += 1
            where = f"unit {n}"
            notes = _notes(unit.find(X2 + "notes"), X2, "category")
            parts = [c for c in unit if c.tag in (X2 + "segment", X2 + "ignorable")]
            if not any(c.tag == X2 + "segment" for c in parts):
                raise checks.BadResult(f"{where}: no segment")
            sources, targets, translated, states = [], [], False, []
            for part in parts:
                source = part.find(X2 + "source")
                if source is None:
                    raise checks.BadResult(f"{where}: a {part.tag[len(X2) :]} without source")
                target = part.find(X2 + "target")
                sources.append(_content(source))
                if part.tag == X2 + "ignorable":
                    targets.append(_content(source if target is None else target))
                else:
                    translated |= target is not None
                    targets.append(_content(target))
                    states.append(review_from_xliff2(part.get("state"), part.get("subState")))
            records.append(
                _unit_record(
                    where,
                    notes,
                    i,
                    doc_id,
                    sources,
                    targets if translated else None,
                    src_lang,
                    tgt_lang,
                    least_reviewed(states),
                )
            )
        results.append(
            DocumentResult(Document(doc_id, "", date=fnotes.get("translate:date")), tuple(records))
        )
    return signature, results


def read_xliff12(root: ET.Element) -> tuple[Signature | None, list[DocumentResult]]:
    """XLIFF 1.2: one record per ``trans-unit``.

    Raises:
        BadResult: a trans-unit without a source, or one of our notes of the
            wrong kind (``trans-unit N: ...``, counted from 1 over the whole file).
    """
    signature = None
    results = []
    n = 0
    for f in root.findall(X12 + "file"):
        doc_id = f.get("original", "doc")
        src_lang = short_lang(f.get("source-language", "kk"))
        tgt_lang = short_lang(f.get("target-language", "en"))
        hnotes = dict(_notes(f.find(X12 + "header"), X12, "from"))
        if "translate:run" in hnotes:
            signature = checks.run_json(f"file {doc_id!r}", hnotes["translate:run"])
        records = []
        for i, tu in enumerate(f.iter(X12 + "trans-unit")):
            n += 1
            where = f"trans-unit {n}"
            notes = [(x.get("from", ""), x.text or "") for x in tu.findall(X12 + "note")]
            source = tu.find(X12 + "source")
            if source is None:
                raise checks.BadResult(f"{where}: no source")
            target = tu.find(X12 + "target")
            review = None
            if target is not None:
                review = review_from_xliff12(target.get("state"), target.get("state-qualifier"))
            records.append(
                _unit_record(
                    where,
                    notes,
                    i,
                    doc_id,
                    [_content(source)],
                    [_content(target)],
                    src_lang,
                    tgt_lang,
                    review,
                )
            )
        results.append(
            DocumentResult(Document(doc_id, "", date=hnotes.get("translate:date")), tuple(records))
        )
    return signature, results


def _unit_record(
    where: str,
    notes: list[tuple[str, str]],
    i: int,
    doc_id: str,
    sources: list[str],
    targets: list[str] | None,
    src_lang: str,
    tgt_lang: str,
    review: str | None,
) -> Record:
    """A record from an XLIFF unit: its texts (``targets`` None: untranslated)
    and review state, the rest from our notes; notes that are not ours are
    the reviewer's comment."""
    pos = next((t for c, t in notes if c == "translate:position"), None)
    if pos is None:
        para, index, start, end = "0", str(i), "0", "0"
    else:
        numbers = pos.split()
        if len(numbers) != 4:
            raise checks.BadResult(
                f"{where}: position note {pos[:40]!r} is not 'PARAGRAPH INDEX START END'"
            )
        para, index, start, end = numbers
    length = int(end) - int(start) if end.isdigit() and start.isdigit() and pos else None
    source, translation = _join(sources, targets, length)
    score = next((t for c, t in notes if c == "translate:score"), None)
    mt = next((t for c, t in notes if c == "translate:mt"), None)
    comments = [t for c, t in notes if c == "translate:comment" or not c.startswith("translate:")]
    flags = tuple(
        checks.flag(where, *(t.split(": ", 1) if ": " in t else (t, "")))
        for c, t in notes
        if c == "translate:flag"
    )
    return checks.record(
        where,
        doc_id,
        para,
        index,
        start,
        end,
        source,
        translation,
        score,
        flags,
        src_lang,
        tgt_lang,
        review=review,
        mt=mt,
        comment="\n".join(comments) if comments else None,
    )


def _join(sources: list[str], targets: list[str] | None, length: int | None) -> tuple[str, str]:
    """A unit's source and translation from its segments and ignorables.

    Joined as they are where that gives the source its length (XLIFF 2 keeps
    the spaces between segments inside them or in ignorables); a CAT tool that
    trimmed them gets a space back at each junction with no space on either
    side. Targets always get that space back."""
    exact, spaced = "".join(sources), _spaced(sources)
    trimmed = exact != spaced and (length is None or len(spaced) == length != len(exact))
    return spaced if trimmed else exact, "" if targets is None else _spaced(targets)


def _spaced(pieces: list[str]) -> str:
    out = ""
    for piece in pieces:
        if out and piece and not out[-1].isspace() and not piece[0].isspace():
            out += " "
        out += piece
    return out
