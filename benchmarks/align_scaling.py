"""How the aligner's time grows with document length, against the search it replaced.

Usage:
    python benchmarks/align_scaling.py --data ../shared/data/parallel/align_eval_dev.jsonl
    python benchmarks/align_scaling.py --data ... --sizes 1000 5000 20000 --reference-max 5000

Documents are synthetic: the gold sentence lists of the file's documents
(``kk_sents``/``en_sents``, all variants) concatenated in file order, and again
from the start, until the Kazakh side has at least N sentences; the English
side is the same documents' English (a related pair, about 10% fewer
sentences, with the file's deletions and merges), or that English shuffled
(seeded): the same sentences in no usable order.

Each pair is aligned by ``align_sentences`` (the bulk search: costs of a block
of cells at once with numpy, one anti-diagonal at a time) and, up to
``--reference-max`` sentences, by the reference: the per-cell search of
translate 0.1.0 (kept below, ``reference_search``) run through the same two
passes without unrelated-document detection, as ``align_sentences`` ran
before. Both read the same features (the evidence keys, memoised per word
since, the memo emptied before each run; the old extraction was slower still). "cells" counts the cells the
searches evaluated (the work unit of the tests). ``same`` compares the beads
(indexes and scores) of the reference with those of the bulk search, also run
without the detection, so that shuffled pairs compare too.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from translate.align import evidence, sentences  # noqa: E402
from translate.align.cells import BEADS, bead_cost, orphans  # noqa: E402
from translate.align.evidence import evidence_confidence, weakness  # noqa: E402
from translate.align.params import DEFAULT  # noqa: E402
from translate.align.search import Bead, default_prior  # noqa: E402


def documents(path: str, n: int, shuffled: bool, seed: int = 0) -> tuple[list[str], list[str]]:
    """The file's documents, concatenated and repeated until N Kazakh sentences."""
    records = [json.loads(line) for line in open(path, encoding="utf-8")]
    kk: list[str] = []
    en: list[str] = []
    k = 0
    while len(kk) < n:
        r = records[k % len(records)]
        kk += r["kk_sents"]
        en += r["en_sents"]
        k += 1
    if shuffled:
        random.Random(seed).shuffle(en)
    return kk, en


def reference_search(doc, rows, orphan, prior=None, lengths=None) -> list[Bead]:
    """The search of translate 0.1.0: bead costs cell by cell, in Python lists."""
    p = doc.p
    prior = prior or default_prior(p)
    n, m = len(doc.ls), len(doc.lt)
    se, te = doc.se, doc.te
    inf = float("inf")
    doc.cells += sum(hi - lo + 1 for lo, hi in rows)
    run_cost = {side: max(p.run_floor, prior[side] - p.run_discount) for side in ((1, 0), (0, 1))}
    cost: list[list[float]] = []
    back: list[list[int]] = []
    run: tuple[list[list[float]], list[list[float]]] = ([], [])
    extended: tuple[list[list[bool]], list[list[bool]]] = ([], [])
    for i in range(n + 1):
        lo, hi = rows[i]
        width = hi - lo + 1
        row_cost, row_back = [inf] * width, [-1] * width
        row_run = ([inf] * width, [inf] * width)
        row_ext = ([False] * width, [False] * width)
        cost.append(row_cost)
        back.append(row_back)
        for side in (0, 1):
            run[side].append(row_run[side])
            extended[side].append(row_ext[side])
        if i == 0 and lo == 0:
            row_cost[0] = 0.0
        for j in range(lo, hi + 1):
            if i == 0 and j == 0:
                continue
            best, arg = inf, -1
            for k, (di, dj) in enumerate(BEADS):
                pi, pj = i - di, j - dj
                if pi < 0 or pj < 0:
                    continue
                plo, phi = rows[pi]
                if not plo <= pj <= phi:
                    continue
                prev = cost[pi][pj - plo]
                if prev == inf:
                    continue
                if di == 0 or dj == 0:
                    side = 0 if di else 1
                    c = prev + prior[(di, dj)]
                    longer = run[side][pi][pj - plo] + run_cost[(di, dj)]
                    if longer < c:
                        c = longer
                        row_ext[side][j - lo] = True
                    row_run[side][j - lo] = c
                else:
                    c = prev + prior[(di, dj)] + bead_cost(doc, pi, i, pj, j)
                    if orphan and (di > 1 or dj > 1):
                        count, keys = orphans(doc, pi, i, pj, j)
                        c += orphan * count + p.orphan_per_key * keys
                    elif orphan:
                        c += p.weak * weakness(doc.sk[0][pi], doc.tk[0][pj], p)
                if doc.paragraphs and 0 < i < n and 0 < j < m and se[i - 1] and te[j - 1]:
                    c -= p.paragraph
                    if di == 0 or dj == 0:
                        row_run[side][j - lo] = c
                if c < best:
                    best, arg = c, k
            row_cost[j - lo] = best
            row_back[j - lo] = arg

    def at(table, i, j):
        return table[i][j - rows[i][0]]

    if not rows[n][0] <= m <= rows[n][1] or at(back, n, m) < 0:
        return reference_search(doc, [(0, m)] * (n + 1), orphan, prior)
    beads: list[Bead] = []
    i, j, in_run = n, m, -1
    while i or j:
        if in_run >= 0:
            di, dj = (1, 0) if in_run == 0 else (0, 1)
            step = at(run[in_run], i, j)
        else:
            di, dj = BEADS[at(back, i, j)]
            step = at(cost, i, j)
        side = 0 if dj == 0 else 1 if di == 0 else -1
        if side >= 0 and at(extended[side], i, j):
            in_run = side
            step -= at(run[side], i - di, j - dj)
        else:
            in_run = -1
            step -= at(cost, i - di, j - dj)
        score = 0.0
        if di and dj:
            a, b = doc.sk[di - 1][i - di], doc.tk[dj - 1][j - dj]
            gain = (di + dj) * p.skip - step
            evidence = evidence_confidence(len(a & b), min(len(a), len(b)), p)
            score = min(1 / (1 + math.exp(-gain)), evidence)
        beads.append(Bead(tuple(range(i - di, i)), tuple(range(j - dj, j)), score))
        i, j = i - di, j - dj
    beads.reverse()
    return beads


# the two passes as they ran before: no unrelated-document detection
NO_DETECTION = dataclasses.replace(DEFAULT, unrelated_min=10**9)


def run(kk: list[str], en: list[str], reference: bool = False, detect: bool = True):
    """Align; (beads, seconds, cells). ``reference``: with the per-cell search and
    no detection of unrelated documents, as before."""
    for memo in (evidence._word_keys, evidence._name_keys, evidence._name_key):
        memo.cache_clear()  # each run reads its words afresh
    t0 = time.perf_counter()
    params = DEFAULT if detect and not reference else NO_DETECTION
    doc = sentences.document_features(kk, en, params=params)
    search = sentences.search
    if reference:
        sentences.search = reference_search
    try:
        beads = sentences.align_features(doc)
    finally:
        sentences.search = search
    return beads, time.perf_counter() - t0, doc.cells


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--data", required=True, help="align_eval_dev.jsonl (or another such file)")
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 20000])
    ap.add_argument(
        "--reference-max",
        type=int,
        default=5000,
        help="largest size also run with the reference search (20,000 takes 10-15 minutes)",
    )
    args = ap.parse_args()
    print(f"{'sentences':>17} {'pair':>9} {'seconds':>8} {'cells':>11} {'unaligned':>9}", end="")
    print(f" {'reference':>10} {'ref cells':>11} {'speed-up':>8} {'same':>5}")
    for n in args.sizes:
        for shuffled in (False, True):
            kk, en = documents(args.data, n, shuffled)
            beads, seconds, cells = run(kk, en)
            alone = sum(1 for b in beads if not b.src or not b.tgt) / len(beads)
            line = f"{len(kk):>8} x {len(en):<6} {'shuffled' if shuffled else 'related':>9}"
            line += f" {seconds:8.1f} {cells:11,d} {alone:9.0%}"
            if n <= args.reference_max:
                ref, ref_seconds, ref_cells = run(kk, en, reference=True)
                same = ref == (run(kk, en, detect=False)[0] if shuffled else beads)
                line += f" {ref_seconds:10.1f} {ref_cells:11,d} {ref_seconds / seconds:7.0f}x"
                line += f" {'yes' if same else 'NO':>5}"
            print(line, flush=True)


if __name__ == "__main__":
    main()
