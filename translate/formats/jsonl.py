"""JSONL, the default format: a header line with the run signature, then per
document a ``document`` line and one ``sentence`` line per source sentence.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

from translate.formats.base import Writer, signature_from_dict
from translate.records import Document, DocumentResult, Flag, Record, Signature


def record_dict(r: Record) -> dict[str, object]:
    d = asdict(r)
    d["flags"] = [{"code": f.code, "reason": f.reason} for f in r.flags]
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
    signature = None
    docs: list[tuple[Document, list[Record]]] = []
    for n, line in enumerate(p.read_text("utf-8").split("\n"), 1):
        if not line.strip():
            continue
        obj = json.loads(line)
        kind = obj.get("type")
        if kind == "header":
            signature = signature_from_dict(obj.get("run"))
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
