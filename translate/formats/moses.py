"""Moses line-aligned files: ``OUT.kk`` and ``OUT.en``, line N of one the
translation of line N of the other, and ``OUT.info.json`` with each line's place.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

from translate.errors import OutputError, UsageError
from translate.formats.base import Writer
from translate.records import DocumentResult, Signature


def one_line(s: str) -> str:
    return " ".join(s.split())


class MosesWriter(Writer):
    """``OUT.<src>`` and ``OUT.<tgt>``: line N of one is the translation of line N
    of the other. ``OUT.info.json`` holds the signature and each line's ids."""

    def __init__(self, signature: Signature, out: str | Path | None, overwrite: bool = True):
        super().__init__(signature, out, overwrite)
        if self.out is None:
            raise UsageError("--to moses writes two files: give their base name with -o OUT")
        base = str(self.out)
        paths = [Path(f"{base}.{x}") for x in (signature.src_lang, signature.tgt_lang, "info.json")]
        for p in paths:  # check all three before creating any temporary file
            if p.exists() and not overwrite:
                raise OutputError(f"{p} exists; pass --overwrite to replace it")
        self.src, self.tgt, self.info = (self._open(p) for p in paths)
        self.lines: list[list[object]] = []

    def write(self, result: DocumentResult) -> None:
        for r in result.records:
            self.src.write(one_line(r.source) + "\n")
            self.tgt.write(one_line(r.translation) + "\n")
            self.lines.append([r.doc_id, r.paragraph, r.index, list(r.flag_codes)])

    def close(self) -> None:
        json.dump(
            {
                "signature": str(self.signature),
                "run": asdict(self.signature),
                "columns": ["doc_id", "paragraph", "index", "flags"],
                "lines": self.lines,
            },
            self.info,
            ensure_ascii=False,
        )
        super().close()
