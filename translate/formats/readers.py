"""Reading results back: our JSONL, TSV, TMX and XLIFF (2.1 and 1.2).

So a file corrected in a CAT tool can be reviewed or exported again
(``translate review``, ``translate convert``).
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

from translate.errors import InputError
from translate.records import Document, DocumentResult, Flag, Record, Signature

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
X2 = "{urn:oasis:names:tc:xliff:document:2.0}"
X12 = "{urn:oasis:names:tc:xliff:document:1.2}"


def _short(tag: str) -> str:
    return tag.split("-")[0].lower() if tag else tag


def _signature(run: dict | None) -> Signature | None:
    if not run:
        return None
    try:
        run = dict(run)
        run["extra"] = tuple(tuple(x) for x in run.get("extra", ()))
        return Signature(**run)
    except TypeError:
        return None


def _flags(codes: str, reasons: dict[str, str]) -> tuple[Flag, ...]:
    return tuple(Flag(c, reasons.get(c, "")) for c in codes.split(",") if c)


def read_results(path: str | Path) -> tuple[Signature | None, list[DocumentResult]]:
    """Read a result file, choosing the reader by content.

    Raises:
        InputError: missing, unreadable, or not a result file we know.
    """
    p = Path(path)
    if not p.is_file():
        raise InputError(f"{path}: no such file")
    try:
        head = p.read_bytes()[:4096].lstrip(b"\xef\xbb\xbf").lstrip()
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror})") from exc
    if head[:15].lower().startswith((b"<!doctype html", b"<html")):
        raise InputError(
            f"{path}: an HTML review page, which is written from results but not read "
            "back; use the JSONL, TSV, TMX or XLIFF file it was made from"
        )
    try:
        if head.startswith(b"{"):
            return _read_jsonl(p)
        if head.startswith(b"<"):
            return _read_xml(p)
        if head.startswith((b"#signature=", b"doc_id\t")):
            return _read_tsv(p)
    except (ValueError, KeyError, TypeError, ET.ParseError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: not a valid result file ({exc})") from exc
    raise InputError(f"{path}: not a result file (expected translate JSONL, TSV, TMX or XLIFF)")


def parse_signature(text: str) -> Signature | None:
    """A signature from its one-line form (``translate:0.1.0|model:...|kk-en|...``)."""
    fields: dict[str, str] = {}
    langs = None
    extra = []
    for part in text.strip().split("|"):
        key, sep, value = part.partition(":")
        if not sep:
            langs = part.split("-")
        elif key in ("translate", "model", "backend", "beam", "maxin", "maxout", "seg", "device"):
            fields[key] = value
        else:
            extra.append((key, value))
    if not langs or len(langs) != 2 or "translate" not in fields:
        return None
    model, _, revision = fields.get("model", "").partition("@")
    try:
        return Signature(
            fields["translate"],
            fields.get("seg", "?"),
            model,
            revision or None,
            fields.get("backend", "?"),
            int(fields.get("beam", 0)),
            int(fields.get("maxin", 0)),
            int(fields.get("maxout", 0)),
            langs[0],
            langs[1],
            fields.get("device", "cpu"),
            tuple(extra),
        )
    except ValueError:
        return None


_UNESCAPE = {"t": "\t", "n": "\n", "r": "\r", "\\": "\\"}
_ESCAPED = re.compile(r"\\([tnr\\])")


def _tsv_unescape(s: str) -> str:
    return _ESCAPED.sub(lambda m: _UNESCAPE[m.group(1)], s)


def _read_tsv(p: Path) -> tuple[Signature | None, list[DocumentResult]]:
    """Our TSV: flags come back as codes (the file has no reasons)."""
    from translate.formats.base import TSV_COLUMNS

    signature = None
    docs: list[tuple[Document, list[Record]]] = []
    lines = p.read_text("utf-8").lstrip("\ufeff").split("\n")
    if lines and lines[0].startswith("#signature="):
        signature = parse_signature(lines.pop(0)[len("#signature=") :])
    if not lines or tuple(lines[0].rstrip("\r").split("\t")) != TSV_COLUMNS:
        raise ValueError("the header row is not " + " ".join(TSV_COLUMNS))
    src, tgt = (signature.src_lang, signature.tgt_lang) if signature else ("kk", "en")
    for n, line in enumerate(lines[1:], 2):
        if not line.strip():
            continue
        cells = line.rstrip("\r").split("\t")
        if len(cells) != len(TSV_COLUMNS):
            raise ValueError(f"row {n} has {len(cells)} cells, not {len(TSV_COLUMNS)}")
        doc_id, para, index, start, end, source, translation, score, flags = map(
            _tsv_unescape, cells
        )
        if not docs or docs[-1][0].id != doc_id:
            docs.append((Document(doc_id, ""), []))
        docs[-1][1].append(
            Record(
                doc_id,
                int(para),
                int(index),
                int(start),
                int(end),
                source,
                translation,
                float(score) if score else None,
                _flags(flags, {}),
                src,
                tgt,
            )
        )
    return signature, [DocumentResult(d, tuple(rs)) for d, rs in docs]


def _read_jsonl(p: Path) -> tuple[Signature | None, list[DocumentResult]]:
    signature = None
    docs: list[tuple[Document, list[Record]]] = []
    for n, line in enumerate(p.read_text("utf-8").split("\n"), 1):
        if not line.strip():
            continue
        obj = json.loads(line)
        kind = obj.get("type")
        if kind == "header":
            signature = _signature(obj.get("run"))
        elif kind == "document":
            docs.append(
                (Document(obj["doc_id"], "", date=obj.get("date"), source=obj.get("source")), [])
            )
        elif kind == "sentence":
            if not docs or docs[-1][0].id != obj["doc_id"]:
                docs.append((Document(obj["doc_id"], ""), []))
            docs[-1][1].append(
                Record(
                    obj["doc_id"],
                    int(obj["paragraph"]),
                    int(obj["index"]),
                    int(obj["start"]),
                    int(obj["end"]),
                    obj["source"],
                    obj["translation"],
                    obj.get("score"),
                    tuple(Flag(f["code"], f.get("reason", "")) for f in obj.get("flags", [])),
                    obj.get("src_lang", "kk"),
                    obj.get("tgt_lang", "en"),
                )
            )
        else:
            raise ValueError(f"line {n}: unknown record type {kind!r}")
    return signature, [DocumentResult(d, tuple(rs)) for d, rs in docs]


def _read_xml(p: Path) -> tuple[Signature | None, list[DocumentResult]]:
    root = ET.parse(p).getroot()
    if root.tag == "tmx":
        return _read_tmx(root)
    if root.tag == X2 + "xliff":
        return _read_xliff2(root)
    if root.tag == X12 + "xliff":
        return _read_xliff12(root)
    raise ValueError(f"root element {root.tag!r} is not tmx or xliff")


def _read_tmx(root: ET.Element) -> tuple[Signature | None, list[DocumentResult]]:
    header = root.find("header")
    signature = None
    src_tag = header.get("srclang", "kk") if header is not None else "kk"
    if header is not None:
        for prop in header.findall("prop"):
            if prop.get("type") == "x-translate-run":
                signature = _signature(json.loads(prop.text or "{}"))
    docs: dict[str, list[Record]] = {}
    dates: dict[str, str] = {}
    for i, tu in enumerate(root.iter("tu")):
        props = {x.get("type"): x.text or "" for x in tu.findall("prop")}
        tuvs = tu.findall("tuv")
        src = next((t for t in tuvs if t.get(XML_LANG) == src_tag), tuvs[0])
        tgt = next((t for t in tuvs if t is not src), None)
        note = tu.findtext("note") or ""
        reasons = dict(x.split(": ", 1) for x in note.split("; ") if ": " in x)
        doc_id = props.get("x-doc-id", "doc")
        if "x-doc-date" in props:
            dates[doc_id] = props["x-doc-date"]
        score = props.get("x-score")
        docs.setdefault(doc_id, []).append(
            Record(
                doc_id,
                int(props.get("x-paragraph", 0)),
                int(props.get("x-index", i)),
                int(props.get("x-start", 0)),
                int(props.get("x-end", 0)),
                "".join(src.find("seg").itertext()),
                "".join(tgt.find("seg").itertext()) if tgt is not None else "",
                float(score) if score else None,
                _flags(props.get("x-flags", ""), reasons),
                _short(src.get(XML_LANG, "kk")),
                _short(tgt.get(XML_LANG, "en")) if tgt is not None else "en",
            )
        )
    return signature, [
        DocumentResult(Document(d, "", date=dates.get(d)), tuple(rs)) for d, rs in docs.items()
    ]


def _notes(parent: ET.Element | None, ns: str, attr: str) -> list[tuple[str, str]]:
    if parent is None:
        return []
    return [(n.get(attr, ""), n.text or "") for n in parent.iter(ns + "note")]


def _read_xliff2(root: ET.Element) -> tuple[Signature | None, list[DocumentResult]]:
    src_lang, tgt_lang = _short(root.get("srcLang", "kk")), _short(root.get("trgLang", "en"))
    signature = None
    results = []
    for f in root.findall(X2 + "file"):
        doc_id = f.get("original", f.get("id", "doc"))
        fnotes = dict(_notes(f.find(X2 + "notes"), X2, "category"))
        if "translate:run" in fnotes:
            signature = _signature(json.loads(fnotes["translate:run"]))
        records = []
        for i, unit in enumerate(f.iter(X2 + "unit")):
            notes = _notes(unit.find(X2 + "notes"), X2, "category")
            seg = unit.find(X2 + "segment")
            records.append(
                _unit_record(
                    notes,
                    i,
                    doc_id,
                    seg.find(X2 + "source"),
                    seg.find(X2 + "target"),
                    src_lang,
                    tgt_lang,
                )
            )
        results.append(
            DocumentResult(Document(doc_id, "", date=fnotes.get("translate:date")), tuple(records))
        )
    return signature, results


def _read_xliff12(root: ET.Element) -> tuple[Signature | None, list[DocumentResult]]:
    signature = None
    results = []
    for f in root.findall(X12 + "file"):
        doc_id = f.get("original", "doc")
        src_lang = _short(f.get("source-language", "kk"))
        tgt_lang = _short(f.get("target-language", "en"))
        hnotes = dict(_notes(f.find(X12 + "header"), X12, "from"))
        if "translate:run" in hnotes:
            signature = _signature(json.loads(hnotes["translate:run"]))
        records = []
        for i, tu in enumerate(f.iter(X12 + "trans-unit")):
            notes = [(n.get("from", ""), n.text or "") for n in tu.findall(X12 + "note")]
            records.append(
                _unit_record(
                    notes,
                    i,
                    doc_id,
                    tu.find(X12 + "source"),
                    tu.find(X12 + "target"),
                    src_lang,
                    tgt_lang,
                )
            )
        results.append(
            DocumentResult(Document(doc_id, "", date=hnotes.get("translate:date")), tuple(records))
        )
    return signature, results


def _unit_record(
    notes: list[tuple[str, str]],
    i: int,
    doc_id: str,
    source: ET.Element,
    target: ET.Element | None,
    src_lang: str,
    tgt_lang: str,
) -> Record:
    """A record from an XLIFF unit: text from source/target, the rest from our notes."""
    pos = next((t for c, t in notes if c == "translate:position"), None)
    para, index, start, end = (int(x) for x in pos.split()) if pos else (0, i, 0, 0)
    score = next((float(t) for c, t in notes if c == "translate:score"), None)
    flags = tuple(
        Flag(*(t.split(": ", 1) if ": " in t else (t, "")))
        for c, t in notes
        if c == "translate:flag"
    )
    text = "".join(target.itertext()) if target is not None else ""
    return Record(
        doc_id,
        para,
        index,
        start,
        end,
        "".join(source.itertext()),
        text,
        score,
        flags,
        src_lang,
        tgt_lang,
    )
