"""Document sentence-alignment benchmark: link precision, recall and F1 per variant.

Usage:
    python benchmarks/alignment.py --data ../shared/data/parallel/align_eval_dev.jsonl

Feeds the gold sentence lists (``kk_sents``/``en_sents``) to the aligner and
compares its links (all index pairs inside each bead) with the gold ``links``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from translate.docalign import align_sentences  # noqa: E402


def links(beads):
    return {(i, j) for b in beads for i in b.src for j in b.tgt}


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--data", required=True, nargs="+")
    args = ap.parse_args()
    for path in args.data:
        stats = defaultdict(lambda: [0, 0, 0, 0.0, 0])
        for line in open(path, encoding="utf-8"):
            r = json.loads(line)
            t0 = time.perf_counter()
            beads = align_sentences(r["kk_sents"], r["en_sents"], "kk", "en")
            dt = time.perf_counter() - t0
            got = links(beads)
            gold = {tuple(x) for x in r["links"]}
            s = stats[r["variant"]]
            s[0] += len(got & gold)
            s[1] += len(got - gold)
            s[2] += len(gold - got)
            s[3] += dt
            s[4] += 1
        print(f"\n== {path} ==")
        print(f"{'variant':<10} {'P':>7} {'R':>7} {'F1':>7} {'docs':>5} {'seconds':>8}")
        for v, (tp, fp, fn, dt, docs) in sorted(stats.items()):
            p = tp / (tp + fp) if tp + fp else 1.0
            rc = tp / (tp + fn) if tp + fn else 1.0
            f1 = 2 * p * rc / (p + rc) if p + rc else 0.0
            print(f"{v:<10} {p:7.4f} {rc:7.4f} {f1:7.4f} {docs:5d} {dt:8.2f}")


if __name__ == "__main__":
    main()
