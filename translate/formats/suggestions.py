"""A record's suggestions (:class:`translate.records.Suggestion`: fuzzy
translation-memory matches, glossary terms) in the output formats: JSONL
(a ``suggestions`` list, read back), XLIFF 2 (the Translation Candidates
module, ``mtc:matches``, and the Glossary module, ``gls:glossary``), XLIFF 1.2
(``alt-trans``) and the review page (terms marked in the source, a memory
match under the translation)."""

from __future__ import annotations

import html

from translate.formats import checks
from translate.formats.xml import xml_attr, xml_clean, xml_text
from translate.records import Record, Suggestion

MTC = "urn:oasis:names:tc:xliff:matches:2.0"
GLS = "urn:oasis:names:tc:xliff:glossary:2.0"
KINDS = ("tm", "term")


def _esc(text: str) -> str:
    return html.escape(xml_clean(text), quote=True)


def xliff2(r: Record) -> str:
    """``mtc:matches`` and ``gls:glossary`` elements for a ``unit`` (before its notes)."""
    out = []
    tm = [s for s in r.suggestions if s.kind == "tm"]
    if tm:
        out.append(f'      <mtc:matches xmlns:mtc="{MTC}">\n')
        for k, s in enumerate(tm, 1):
            out.append(
                f'        <mtc:match id="tm{k}" ref="#s{r.index}" type="tm" '
                f'similarity="{s.similarity * 100:.2f}" origin="{xml_attr(s.origin)}">\n'
                f'          <source xml:space="preserve">{xml_text(s.source)}</source>\n'
                f'          <target xml:space="preserve">{xml_text(s.translation)}</target>\n'
                "        </mtc:match>\n"
            )
        out.append("      </mtc:matches>\n")
    terms = [s for s in r.suggestions if s.kind == "term"]
    if terms:
        out.append(f'      <gls:glossary xmlns:gls="{GLS}">\n')
        for s in terms:
            out.append(
                "        <gls:glossEntry>"
                f'<gls:term source="{xml_attr(s.origin)}">{xml_text(s.source)}</gls:term>'
                f"<gls:translation>{xml_text(s.translation)}</gls:translation></gls:glossEntry>\n"
            )
        out.append("      </gls:glossary>\n")
    return "".join(out)


def xliff12(r: Record) -> str:
    """``alt-trans`` elements for a ``trans-unit`` (after its notes)."""
    return "".join(
        f'        <alt-trans match-quality="{s.similarity * 100:.2f}" origin="{xml_attr(s.origin)}">'
        f"<source>{xml_text(s.source)}</source><target>{xml_text(s.translation)}</target>"
        "</alt-trans>\n"
        for s in r.suggestions
        if s.kind == "tm"
    )


def page_source(r: Record) -> str:
    """The source for the review page, escaped, glossary terms marked."""
    spans = sorted(
        (s.start, s.end, s)
        for s in r.suggestions
        if s.kind == "term" and 0 <= s.start < s.end <= len(r.source)
    )
    out, pos = [], 0
    for start, end, s in spans:
        if start < pos:
            continue
        title = f"glossary: {s.source} → {s.translation}"
        out += [_esc(r.source[pos:start]), f'<mark class="term" title="{_esc(title)}">']
        out += [_esc(r.source[start:end]), "</mark>"]
        pos = end
    return "".join(out) + _esc(r.source[pos:])


def page_matches(r: Record) -> str:
    """A line under the translation per translation-memory suggestion."""
    return "".join(
        f'<div class="tm-match" title="{_esc(s.origin)}"><b>TM {s.similarity:.0%}</b> '
        f"{_esc(s.translation)}</div>"
        for s in r.suggestions
        if s.kind == "tm"
    )


def read(where: str, value: object) -> tuple[Suggestion, ...]:
    """Suggestions read back from JSON (a list of objects), each field checked.

    Raises:
        BadResult: not a list of objects of the fields a suggestion has.
    """
    if value is None:
        return ()
    if not isinstance(value, list):
        raise checks.BadResult(f"{where}: suggestions is {checks.describe(value)}, not a list")
    out = []
    for item in value:
        if not isinstance(item, dict):
            raise checks.BadResult(
                f"{where}: a suggestion is {checks.describe(item)}, not an object"
            )
        kind = checks.text(where, "a suggestion's kind", item.get("kind"))
        if kind not in KINDS:
            raise checks.BadResult(f"{where}: suggestion kind {kind!r} is not tm or term")
        similarity = item.get("similarity", 1.0)
        if (
            not isinstance(similarity, int | float)
            or isinstance(similarity, bool)
            or not 0 <= similarity <= 1
        ):
            raise checks.BadResult(f"{where}: suggestion similarity {similarity!r} is not 0..1")
        start, end = item.get("start", -1), item.get("end", -1)
        if not all(isinstance(x, int) and not isinstance(x, bool) for x in (start, end)):
            raise checks.BadResult(f"{where}: suggestion start/end are not whole numbers")
        out.append(
            Suggestion(
                kind,
                checks.text(where, "a suggestion's source", item.get("source")) or "",
                checks.text(where, "a suggestion's translation", item.get("translation")) or "",
                float(similarity),
                checks.text(where, "a suggestion's origin", item.get("origin", "")) or "",
                start,
                end,
            )
        )
    return tuple(out)
