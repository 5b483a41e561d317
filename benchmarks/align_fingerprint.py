"""A fingerprint of every alignment of a file: change the aligner's speed, not its output.

Usage:
    python benchmarks/align_fingerprint.py --data ../shared/data/parallel/align_eval_dev.jsonl

Prints the SHA-256 of the beads (indexes, and scores rounded to 9 digits) of
every document aligned three ways: its gold sentence lists; its raw texts
segmented and read as ``translate align`` reads them, with their paragraphs;
and, for every seventh document, the gold lists with a model similarity (chrF
of the English against itself). Run it before and after a change that should
not change alignments: the two hashes must be the same. (The second way goes
through the segmenter, so a change there changes the hash too.) On the dev
file, the aligner of 2026-12-06 prints
``857401c07de30cc6eaa7f90ceaf3e8e0f54f3cf7963e3709c8be72b7bcb43706``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from translate.align import align_sentences, chrf_similarity, evidence_texts  # noqa: E402
from translate.pipeline import segment_document  # noqa: E402
from translate.records import Document  # noqa: E402


def fingerprint(path: str) -> str:
    h = hashlib.sha256()

    def add(beads) -> None:
        h.update(repr([(b.src, b.tgt, round(b.score, 9)) for b in beads]).encode())

    for n, line in enumerate(open(path, encoding="utf-8")):
        r = json.loads(line)
        kk, en = r["kk_sents"], r["en_sents"]
        add(align_sentences(kk, en, "kk", "en"))
        ss = segment_document(Document(id=r["id"], text=r["kk_text"]), "kk")
        ts = segment_document(Document(id=r["id"], text=r["en_text"]), "en")
        add(
            align_sentences(
                evidence_texts(r["kk_text"], [s.text for s in ss], "kk"),
                evidence_texts(r["en_text"], [t.text for t in ts], "en"),
                "kk",
                "en",
                src_paragraphs=[s.paragraph for s in ss],
                tgt_paragraphs=[t.paragraph for t in ts],
            )
        )
        if n % 7 == 0:
            sim = chrf_similarity(en, en)  # identity "translations"
            add(align_sentences(kk, en, "kk", "en", similarity=sim))
    return h.hexdigest()


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--data", required=True, help="align_eval_dev.jsonl (or another such file)")
    print(fingerprint(ap.parse_args().data))


if __name__ == "__main__":
    main()
