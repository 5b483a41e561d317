"""JSONL, the default format: a header line with the run signature, then per
document a ``document`` line and one ``sentence`` line per source sentence.
"""

from __future__ import annotations

import json
from dataclasses import asdict, replace
from pathlib import Path

from translate.formats import checks, suggestions
from translate.formats.base import Writer
from translate.records import Document, DocumentResult, Record, Signature

# Review fields written only when set: a file nobody reviewed stays as it was.
OPTIONAL_FIELDS = ("review", "mt", "comment", "locator")


def record_dict(r: Record) -> dict[str, object]:
    d = asdict(r)
    d["flags"] = [{"code": f.code, "reason": f.reason} for f in r.flags]
    for name in OPTIONAL_FIELDS:
        if d.get(name) is None:
            d.pop(name, None)
    if not r.suggestions:  # written only when there are some (translate.tm)
        d.pop("suggestions", None)
    return {"type": "sentence", **d}


class JsonlWriter(Writer):
    """One JSON object per line: a header, then per document a ``document``
    line followed by one ``sentence`` line per source sentence."""

    def __init__(self, signature: Signature, out: str | Path | None, overwrite: bool = True):
        super().__init__(signature, out, overwrite)
        self.stream = self._open(self.out)
        self._line({"type": "header", "signature": str(signature), "run": asdict(signature)})

    def _line(self, obj: dict[str, object]) -> None:
        self.stream.write(json.dumps(obj, ensure_ascii=False) + "\n")

    def write(self, result: DocumentResult) -> None:
        doc = result.document
        self._line(
            {
                "type": "document",
                "doc_id": doc.id,
                "date": doc.date,
                "source": doc.source,
                "encoding": doc.encoding,
                "sentences": len(result.records),
            }
        )
        for r in result.records:
            self._line(record_dict(r))


def read_jsonl(p: Path) -> tuple[Signature | None, list[DocumentResult]]:
    """Our JSONL, every line checked.

    Raises:
        BadResult: a line that is not UTF-8, not JSON, not an object, of an
            unknown type, or a field of the wrong type or range (``line N: ...``);
            a document whose sentence count does not match the lines after it.
    """
    signature = None
    docs: list[tuple[Document, list[Record]]] = []
    announced: list[tuple[int, int | None]] = []  # per document: its line, its sentence count
    with open(p, "rb") as f:
        for n, raw in enumerate(f, 1):
            obj = _line_object(raw, n)
            if obj is None:
                continue
            where = f"line {n}"
            kind = obj.get("type")
            if kind == "header":
                signature = checks.signature(where, obj.get("run"))
            elif kind == "document":
                doc_id = checks.text(where, "doc_id", obj.get("doc_id"))
                date = checks.text(where, "date", obj.get("date"), optional=True)
                source = checks.text(where, "source", obj.get("source"), optional=True)
                sentences = obj.get("sentences")
                expected = (
                    None
                    if sentences is None
                    else checks.count(where, "sentences", sentences, typed=True)
                )
                docs.append((Document(doc_id or "", "", date=date, source=source), []))
                announced.append((n, expected))
            elif kind == "sentence":
                rec = _with_locator(_record(obj, where), obj, where)
                if obj.get("suggestions"):
                    rec = replace(rec, suggestions=suggestions.read(where, obj["suggestions"]))
                if not docs or docs[-1][0].id != rec.doc_id:
                    docs.append((Document(rec.doc_id, ""), []))
                    announced.append((n, None))
                docs[-1][1].append(rec)
            else:
                raise checks.BadResult(f"{where}: unknown record type {kind!r}")
    for (doc, recs), (n, expected) in zip(docs, announced):
        if expected is not None and expected != len(recs):
            raise checks.BadResult(
                f"line {n}: document {doc.id!r} announces {expected} sentence(s) but "
                f"{len(recs)} follow (a cut or edited file?)"
            )
    return signature, [DocumentResult(d, tuple(rs)) for d, rs in docs]


def _line_object(raw: bytes, n: int) -> dict | None:
    """Line ``n`` as a JSON object; None for a blank line."""
    if n == 1:
        raw = raw.removeprefix(b"\xef\xbb\xbf")
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise checks.BadResult(f"line {n}: not UTF-8 (byte {exc.start + 1})") from None
    if not line.strip():
        return None
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        raise checks.BadResult(f"line {n}: not JSON ({exc.msg}, column {exc.colno})") from None
    except RecursionError:
        raise checks.BadResult(f"line {n}: JSON nested too deeply") from None
    if not isinstance(obj, dict):
        raise checks.BadResult(f"line {n}: {checks.describe(obj)}, not a JSON object")
    return obj


def _record(obj: dict, where: str) -> Record:
    flags = obj.get("flags", [])
    if not isinstance(flags, list):
        raise checks.BadResult(f"{where}: flags is {checks.describe(flags)}, not a list")
    checked = []
    for f in flags:
        if not isinstance(f, dict):
            raise checks.BadResult(f"{where}: a flag is {checks.describe(f)}, not an object")
        checked.append(checks.flag(where, f.get("code"), f.get("reason", "")))
    return checks.record(
        where,
        obj.get("doc_id"),
        obj.get("paragraph"),
        obj.get("index"),
        obj.get("start"),
        obj.get("end"),
        obj.get("source"),
        obj.get("translation"),
        obj.get("score"),
        tuple(checked),
        obj.get("src_lang", "kk"),
        obj.get("tgt_lang", "en"),
        typed=True,
        review=obj.get("review"),
        mt=obj.get("mt"),
        comment=obj.get("comment"),
    )


def _with_locator(rec: Record, obj: dict, where: str) -> Record:
    """The record with its ``locator`` (a document's records: translate.documents)."""
    locator = checks.text(where, "locator", obj.get("locator"), optional=True)
    return replace(rec, locator=locator) if locator else rec
