"""Coverage-guided fuzzing (atheris) of the input-facing stages, for a bounded time.

Usage (atheris: pip install atheris):
    python tests/fuzz/fuzz.py segment -atheris_runs=200000
    python tests/fuzz/fuzz.py decode -max_total_time=60
    python tests/fuzz/fuzz.py results -max_total_time=60
    python tests/fuzz/fuzz.py writers -max_total_time=60

Each target feeds arbitrary bytes to one stage. A crash is any exception other
than the project's own documented errors (TranslateError subclasses), or a
broken invariant: segmentation not lossless, an XML output that does not parse.
"""

from __future__ import annotations

import io
import sys
import tempfile
from pathlib import Path

import atheris

with atheris.instrument_imports():
    from translate.errors import TranslateError
    from translate.formats import open_writer, read_results
    from translate.records import Document, DocumentResult, Record, Signature
    from translate.text.encoding import decode_article
    from translate.text.normalize import normalize_for_model
    from translate.text.segment import segment

TMP = Path(tempfile.mkdtemp(prefix="translate-fuzz-"))
SIG = Signature("0", "0", "m", None, "b", 1, 1, 1, "kk", "en")


def _text(data: bytes) -> str:
    return atheris.FuzzedDataProvider(data).ConsumeUnicodeNoSurrogates(len(data))


def fuzz_segment(data: bytes) -> None:
    text = _text(data)
    for lang in ("kk", "en"):
        pos = 0
        for s in segment(text, lang):
            if s.start < pos or text[s.start : s.end] != s.text or text[pos : s.start].strip():
                raise AssertionError("segmentation is not lossless")
            pos = s.end
        if text[pos:].strip():
            raise AssertionError("text after the last sentence")
        normalize_for_model(text, lang)


def fuzz_decode(data: bytes) -> None:
    try:
        decode_article(data, "x")
    except TranslateError:
        pass


def fuzz_results(data: bytes) -> None:
    for suffix in (".jsonl", ".tmx"):
        p = TMP / f"r{suffix}"
        p.write_bytes(data)
        try:
            read_results(p)
        except TranslateError:
            pass


def fuzz_writers(data: bytes) -> None:
    from xml.etree import ElementTree as ET

    fdp = atheris.FuzzedDataProvider(data)
    src = fdp.ConsumeUnicodeNoSurrogates(60)
    tgt = fdp.ConsumeUnicodeNoSurrogates(60)
    rec = Record(fdp.ConsumeUnicodeNoSurrogates(10) or "d", 0, 0, 0, len(src), src, tgt, -0.5)
    res = DocumentResult(Document(rec.doc_id, ""), (rec,))
    for fmt in ("tmx", "xliff", "xliff12", "html", "jsonl", "tsv"):
        p = TMP / f"o.{fmt}"
        with open_writer(fmt, SIG, p) as w:
            w.write(res)
        if fmt in ("tmx", "xliff", "xliff12"):
            ET.parse(io.BytesIO(p.read_bytes()))


TARGETS = {
    "segment": fuzz_segment,
    "decode": fuzz_decode,
    "results": fuzz_results,
    "writers": fuzz_writers,
}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in TARGETS:
        sys.exit(f"usage: fuzz.py {'|'.join(TARGETS)} [libFuzzer options]")
    target = TARGETS[sys.argv.pop(1)]
    atheris.Setup(sys.argv, target)
    atheris.Fuzz()
