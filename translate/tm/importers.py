"""Human translations into the memory: TMX, XLIFF, our JSONL and TSV results,
the memory's own JSONL export and plain parallel files; and out again as TMX
or JSONL.

What counts as a human translation:

- TMX: every ``tu`` with a Kazakh and an English segment (a TMX is a
  translation memory; one written by ``translate run --to tmx`` holds machine
  translations, and a warning says so).
- XLIFF 2: segments with ``state="reviewed"`` or ``"final"``; XLIFF 1.2:
  ``trans-unit approved="yes"`` or a target ``state="final"`` or
  ``"signed-off"`` (``translated``, which our own XLIFF writes for machine
  output, is not enough).
- JSONL and TSV results: records whose review state is ``reviewed`` or
  ``approved`` (the review page's exports).
- ``all_units`` (``--all``): every unit with a non-empty target, except those
  a reviewer rejected.
- Parallel files, and a TSV of ``SOURCE<TAB>TARGET`` lines: every pair.
"""

from __future__ import annotations

import json
import logging
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from translate.errors import InputError
from translate.tm.files import decode_text, read_bytes, text_lines
from translate.tm.glossary import lang_code
from translate.tm.memory import Unit

logger = logging.getLogger("translate")

X2 = "{urn:oasis:names:tc:xliff:document:2.0}"
X12 = "{urn:oasis:names:tc:xliff:document:1.2}"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# inline elements whose content is the original format's code, not text
_CODES = frozenset(("bpt", "ept", "ph", "it", "ut"))
XLIFF2_STATES = ("reviewed", "final")
XLIFF12_STATES = ("final", "signed-off")
REVIEW_STATES = ("reviewed", "approved")


@dataclass
class FileUnits:
    """The units read from one file, and what was left out and why."""

    path: str
    units: list[Unit] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)

    def skip(self, why: str) -> None:
        self.skipped[why] = self.skipped.get(why, 0) + 1


def _text(element: ET.Element | None) -> str:
    """The text of a segment, without the content of inline codes."""
    if element is None:
        return ""
    parts = [element.text or ""]
    for child in element:
        if child.tag.split("}")[-1] not in _CODES:
            parts.append(_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _date(stamp: str | None) -> str | None:
    """``YYYY-MM-DD`` of a TMX date (``20260223T101500Z``) or an ISO date."""
    if not stamp:
        return None
    s = stamp.strip().replace("-", "")
    if len(s) >= 8 and s[:8].isdigit():
        return f"{s[:4]}-{s[4:6]}-{s[6:8]}"
    return None


def _needs(path: str, where: str, lang: str, text: str) -> str:
    if not text.strip():
        raise InputError(f"{path}: {where}: empty {lang} text")
    return text


def _parse(path: str) -> ET.Element:
    from translate.formats.xml import parse_xml

    read_bytes(path, "translation file")
    try:
        return parse_xml(Path(path))
    except ET.ParseError as exc:
        hint = "; is it UTF-8?" if "invalid token" in str(exc) else ""
        raise InputError(f"{path}: not well-formed XML ({exc}){hint}") from None
    except ValueError as exc:
        raise InputError(f"{path}: {exc}") from None


def read_tmx(path: str, root: ET.Element, src: str | None) -> FileUnits:
    """Every ``tu`` with a Kazakh and an English segment."""
    out = FileUnits(path)
    header = root.find("header")
    if header is not None and header.get("creationtool") == "translate":
        logger.warning(
            "%s: written by 'translate run': its units are machine translations unless a "
            "person edited them; they are imported as human translations",
            path,
        )
    head_src = lang_code(header.get("srclang")) if header is not None else None
    for i, tu in enumerate(root.iter("tu"), 1):
        where = f"tu {i}"
        segs: dict[str, str] = {}
        for tuv in tu.findall("tuv"):
            lang = lang_code(tuv.get(_XML_LANG) or tuv.get("lang"))
            if lang is None or lang in segs:
                continue
            seg = tuv.find("seg")
            if seg is None:
                raise InputError(f"{path}: {where}: a tuv without seg")
            segs[lang] = _text(seg)
        if "kk" not in segs or "en" not in segs:
            out.skip("without both a Kazakh and an English segment")
            continue
        s = src or lang_code(tu.get("srclang")) or head_src or "kk"
        t = "en" if s == "kk" else "kk"
        props = {p.get("type"): p.text or "" for p in tu.findall("prop")}
        out.units.append(
            Unit(
                s,
                t,
                _needs(path, where, s, segs[s]),
                _needs(path, where, t, segs[t]),
                props.get("x-origin") or path,
                _date(tu.get("changedate") or tu.get("creationdate")),
                tu.get("changeid") or tu.get("creationid") or props.get("x-reviewer") or None,
            )
        )
    return out


def read_xliff(path: str, root: ET.Element, all_units: bool) -> FileUnits:
    """Reviewed or final segments of XLIFF 2, approved or final units of 1.2."""
    out = FileUnits(path)
    if root.tag == X2 + "xliff":
        s, t = lang_code(root.get("srcLang")), lang_code(root.get("trgLang"))
        if not s or not t or s == t:
            raise InputError(f"{path}: srcLang/trgLang are not Kazakh and English")
        for i, unit in enumerate(root.iter(X2 + "unit"), 1):
            for seg in unit.findall(X2 + "segment"):
                target = _text(seg.find(X2 + "target"))
                state = seg.get("state", "initial")
                if not target.strip():
                    out.skip("without a target")
                elif state not in XLIFF2_STATES and not all_units:
                    out.skip(f"in state {state!r} (not reviewed or final)")
                else:
                    source = _needs(path, f"unit {i}", s, _text(seg.find(X2 + "source")))
                    out.units.append(Unit(s, t, source, target, path))
        return out
    for f in root.iter(X12 + "file"):
        s, t = lang_code(f.get("source-language")), lang_code(f.get("target-language"))
        if not s or not t or s == t:
            raise InputError(f"{path}: source-language/target-language are not Kazakh and English")
        for i, tu in enumerate(f.iter(X12 + "trans-unit"), 1):
            target_el = tu.find(X12 + "target")
            target = _text(target_el)
            state = (target_el.get("state") if target_el is not None else None) or "none"
            approved = tu.get("approved") == "yes"
            if not target.strip():
                out.skip("without a target")
            elif not (approved or state in XLIFF12_STATES or all_units):
                out.skip(f"in state {state!r} (not approved, final or signed-off)")
            else:
                source = _needs(path, f"trans-unit {i}", s, _text(tu.find(X12 + "source")))
                out.units.append(Unit(s, t, source, target, path))
    return out


def _review_states(path: str) -> dict[tuple[str, int], object]:
    """The ``review`` field of each sentence line of a JSONL result."""
    states: dict[tuple[str, int], object] = {}
    for line in decode_text(read_bytes(path, "result file"), path).splitlines():
        if '"review"' in line:
            obj = json.loads(line)
            if obj.get("type") == "sentence":
                states[(obj.get("doc_id"), obj.get("index"))] = obj.get("review")
    return states


def read_result(path: str, all_units: bool) -> FileUnits:
    """Records of a JSONL or TSV result whose review state is reviewed or approved."""
    from translate.formats import read_results

    out = FileUnits(path)
    _, results = read_results(path)
    raw = _review_states(path) if path.lower().endswith(".jsonl") else {}
    for res in results:
        for r in res.records:
            state = getattr(r, "review", None) or raw.get((r.doc_id, r.index))
            if isinstance(state, dict):
                state = state.get("state")
            if not r.translation.strip():
                out.skip("without a translation")
            elif state == "rejected":
                out.skip("rejected by a reviewer")
            elif state not in REVIEW_STATES and not all_units:
                out.skip("not reviewed or approved (machine translations)")
            else:
                origin = f"{path} ({r.doc_id})"
                out.units.append(
                    Unit(r.src_lang, r.tgt_lang, r.source, r.translation, origin, res.document.date)
                )
    return out


def read_memory_jsonl(path: str) -> FileUnits:
    """The memory's own JSONL export (``tm export --to jsonl``)."""
    out = FileUnits(path)
    for n, line in enumerate(decode_text(read_bytes(path, "file"), path).splitlines(), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except (json.JSONDecodeError, RecursionError) as exc:
            raise InputError(f"{path}: line {n}: not JSON ({exc})") from None
        if not isinstance(obj, dict) or obj.get("type") != "tm":
            raise InputError(f"{path}: line {n}: not a translation memory line")
        fields = []
        for name in ("src_lang", "tgt_lang", "source", "target"):
            value = obj.get(name)
            if not isinstance(value, str) or not value.strip():
                raise InputError(f"{path}: line {n}: {name} is missing or empty")
            fields.append(value)
        if {lang_code(fields[0]), lang_code(fields[1])} != {"kk", "en"}:
            raise InputError(f"{path}: line {n}: languages are not Kazakh and English")
        extra = [obj.get(k) if isinstance(obj.get(k), str) else None for k in ("date", "reviewer")]
        origin = obj.get("origin") if isinstance(obj.get("origin"), str) else path
        out.units.append(Unit(*fields, origin or path, *extra))
    return out


def read_parallel(src_path: str, tgt_path: str, src: str) -> FileUnits:
    """Two files, line N of one translating line N of the other."""
    tgt = "en" if src == "kk" else "kk"
    a, b = text_lines(src_path, "source file"), text_lines(tgt_path, "target file")
    while a and not a[-1].strip():
        a.pop()
    while b and not b[-1].strip():
        b.pop()
    if len(a) != len(b):
        raise InputError(
            f"{src_path} has {len(a)} lines but {tgt_path} has {len(b)}: parallel files "
            "need one translation per line"
        )
    out = FileUnits(f"{src_path}+{tgt_path}")
    for n, (x, y) in enumerate(zip(a, b), 1):
        if not x.strip() and not y.strip():
            continue
        if not x.strip() or not y.strip():
            empty, other = (src_path, tgt_path) if not x.strip() else (tgt_path, src_path)
            raise InputError(f"{empty}: line {n}: empty, but line {n} of {other} is not")
        out.units.append(Unit(src, tgt, x.strip(), y.strip(), out.path))
    return out


def read_pairs(path: str, src: str | None) -> FileUnits:
    """A plain TSV of ``SOURCE<TAB>TARGET`` lines (``#`` comments, blank lines
    and a ``source<TAB>target`` or ``kk<TAB>en`` header skipped); the Kazakh
    column is the Cyrillic one unless ``src`` or the header says."""
    rows = []
    header = None
    for n, line in enumerate(text_lines(path, "translation file"), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        fields = line.split("\t")
        if not rows and header is None and len(fields) == 2:
            names = [f.strip().lower() for f in fields]
            if names == ["source", "target"] or all(lang_code(x) for x in names):
                header = [lang_code(x) for x in names]
                continue
        if len(fields) != 2:
            what = (
                "no tab between source and target" if len(fields) < 2 else f"{len(fields)} fields"
            )
            raise InputError(f"{path}: line {n}: {what}; expected SOURCE<TAB>TARGET")
        a, b = (
            _needs(path, f"line {n}", w, x.strip()) for w, x in zip(("source", "target"), fields)
        )
        rows.append((a, b))
    if not rows:
        raise InputError(f"{path}: no SOURCE<TAB>TARGET lines in it")
    s = src or (header[0] if header and header[0] else None)
    if s is None:
        cyr = sum(any("\u0400" <= c <= "\u04ff" for c in a) for a, _ in rows)
        s = "kk" if cyr * 2 >= len(rows) else "en"
    t = "en" if s == "kk" else "kk"
    out = FileUnits(path)
    out.units = [Unit(s, t, a, b, path) for a, b in rows]
    return out


def read_units(path: str, src: str | None = None, all_units: bool = False) -> FileUnits:
    """The human translations of a file, by its content (see the module doc).

    Raises:
        InputError: unreadable, not a format we know, or a unit that is
            broken (an empty segment, a tuv without seg), naming where.
    """
    data = read_bytes(path, "translation file")
    head = data[:4096].lstrip(b"\xef\xbb\xbf").lstrip()
    if head.startswith(b"<"):
        root = _parse(path)
        if root.tag == "tmx":
            return read_tmx(path, root, src)
        if root.tag in (X2 + "xliff", X12 + "xliff"):
            return read_xliff(path, root, all_units)
        raise InputError(f"{path}: XML that is neither TMX nor XLIFF (root {root.tag!r})")
    if head.startswith(b"{"):
        first = head.split(b"\n", 1)[0]
        try:
            kind = json.loads(first).get("type")
        except (ValueError, AttributeError):
            kind = None
        if kind == "tm":
            return read_memory_jsonl(path)
    if head.startswith(b"{") or head.startswith((b"#signature=", b"doc_id\t", b"doc_id,")):
        return read_result(path, all_units)
    return read_pairs(path, src)


def export_units(units: Iterator[Unit], fmt: str, stream) -> int:
    """Write ``units`` as TMX or JSONL to a text stream; returns how many."""
    from translate._version import __version__
    from translate.formats.xml import lang_tag, xml_attr, xml_text

    n = 0
    w = stream.write
    if fmt == "tmx":
        w('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4">\n')
        w(
            f'  <header creationtool="translate-tm" creationtoolversion="{__version__}" '
            'datatype="plaintext" segtype="sentence" adminlang="en-US" srclang="*all*" '
            'o-tmf="translate-tm"/>\n  <body>\n'
        )
    for u in units:
        n += 1
        if fmt == "jsonl":
            obj = {"type": "tm", "src_lang": u.src_lang, "tgt_lang": u.tgt_lang}
            obj |= {"source": u.source, "target": u.target, "origin": u.origin}
            obj |= {"date": u.date, "reviewer": u.reviewer}
            w(json.dumps(obj, ensure_ascii=False) + "\n")
            continue
        attrs = f' srclang="{lang_tag(u.src_lang)}"'
        if u.date:
            attrs += f' changedate="{u.date.replace("-", "")}T000000Z"'
        if u.reviewer:
            attrs += f' changeid="{xml_attr(u.reviewer)}"'
        w(f"    <tu{attrs}>\n")
        w(f'      <prop type="x-origin">{xml_text(u.origin)}</prop>\n')
        for lang, text in ((u.src_lang, u.source), (u.tgt_lang, u.target)):
            w(f'      <tuv xml:lang="{lang_tag(lang)}"><seg>{xml_text(text)}</seg></tuv>\n')
        w("    </tu>\n")
    if fmt == "tmx":
        w("  </body>\n</tmx>\n")
    return n
