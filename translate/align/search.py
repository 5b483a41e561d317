"""The dynamic programme: the cheapest sequence of beads through two sentence lists.

Beads are 1–1, 1–0, 0–1, 2–1, 1–2, 2–2, 3–1 and 1–3. A bead's cost is its
prior (by type), its length cost, and its evidence (shared and missing keys,
hard keys, chrF with a model, paragraph ends; :mod:`~translate.align.cells`);
an unaligned sentence costs a constant, a little less when it follows one of
the same side (a passage missing from one version is one event). The search
runs over a band of cells per row, so time grows with the band, not the
square of the length; the cells of each anti-diagonal of the band are
computed together with numpy (:func:`_fill`), so that documents of tens of
thousands of sentences align in seconds.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from translate.align.cells import BEADS, Block, CellCosts, LengthCosts
from translate.align.evidence import evidence_confidence
from translate.align.features import DocFeatures, spans
from translate.align.params import AlignParams

__all__ = ["BEADS", "Bead", "DocFeatures", "search", "spans"]

BLOCK = 1 << 19  # cells whose costs are computed at once


@dataclass(frozen=True)
class Bead:
    """One aligned unit: indexes of source and target sentences, and a score in 0..1."""

    src: tuple[int, ...]
    tgt: tuple[int, ...]
    score: float


def diagonal(n: int, m: int, band: int) -> list[tuple[int, int]]:
    return [span(i * m / n, i * m / n, band, m) for i in range(n + 1)]


def touches_edge(beads: list[Bead], rows: list[tuple[int, int]], m: int, margin: int = 2) -> bool:
    """Whether an alignment passes within ``margin`` cells of a band edge that
    is not the end of the document."""
    i = j = 0
    for b in beads:
        i, j = i + len(b.src), j + len(b.tgt)
        lo, hi = rows[i]
        if (lo > 0 and j - lo < margin) or (hi < m and hi - j < margin):
            return True
    return False


def span(lo: float, hi: float, band: int, m: int) -> tuple[int, int]:
    return max(0, int(lo) - band), min(m, int(hi) + band + 1)


def corridor(beads: list[Bead], n: int, m: int, width: int = 8) -> list[tuple[int, int]]:
    """Rows of the search limited to ``width`` cells around a previous alignment."""
    lo, hi = [m] * (n + 1), [0] * (n + 1)
    i = j = 0
    lo[0] = hi[0] = 0
    for b in beads:
        for k in range(len(b.src)):  # rows inside a bead lie between its corners
            lo[i + k] = min(lo[i + k], j)
            hi[i + k] = max(hi[i + k], j + len(b.tgt))
        i, j = i + len(b.src), j + len(b.tgt)
        lo[i], hi[i] = min(lo[i], j), max(hi[i], j)
    return [span(a, b, width, m) for a, b in zip(lo, hi)]


def search(
    doc: DocFeatures,
    rows: list[tuple[int, int]],
    orphan: float,
    prior: dict[tuple[int, int], float] | None = None,
    lengths: LengthCosts | None = None,
) -> list[Bead]:
    """The dynamic programme over the cells ``rows[i]`` (a range of j) of each row.

    An unaligned sentence that follows one of the same side costs
    ``p.run_discount`` less than the first of a run (down to ``p.run_floor``): a whole passage missing
    from one version is one event, not a dozen independent ones. ``lengths``
    keeps length costs between searches with the same ratio and variance.
    """
    p = doc.p
    prior = prior or default_prior(p)
    n, m = len(doc.ls), len(doc.lt)
    lo = np.array([a for a, _ in rows], dtype=np.int64)
    width = np.array([b - a + 1 for a, b in rows], dtype=np.int64)
    doc.cells += int(width.sum())
    if lengths is None or (lengths.ratio, lengths.variance) != (doc.ratio, doc.variance):
        lengths = LengthCosts(doc)
    cost, back, start = _fill(doc, lo, width, orphan, prior, lengths)

    def at(table: np.ndarray, i: int, j: int):
        return table[start[i] + j - rows[i][0]].item()

    if not rows[n][0] <= m <= rows[n][1] or at(cost, n, m) == math.inf:  # too narrow: widen
        return search(doc, [(0, m)] * (n + 1), orphan, prior)
    skip = (prior[(1, 0)], prior[(0, 1)])
    run_cost = [max(p.run_floor, c - p.run_discount) for c in skip]
    runs: dict[tuple[int, int, int], float] = {}

    def run(side: int, i: int, j: int) -> float:
        """The best cost of reaching cell (i, j) by leaving a sentence of ``side``
        unaligned (0: source, 1: target), as the search computed it."""
        chain = [(i, j)]
        while (at(back, *chain[-1]) >> (3 + side)) & 1:  # the step extended a run
            ci, cj = chain[-1]
            before = (ci - 1, cj) if side == 0 else (ci, cj - 1)
            if (side, *before) in runs:
                break
            chain.append(before)
        for ci, cj in reversed(chain):
            pi, pj = (ci - 1, cj) if side == 0 else (ci, cj - 1)
            if (at(back, ci, cj) >> (3 + side)) & 1:
                value = runs[side, pi, pj] + run_cost[side]
            else:
                value = at(cost, pi, pj) + skip[side]
            if doc.paragraphs and 0 < ci < n and 0 < cj < m and doc.se[ci - 1] and doc.te[cj - 1]:
                value -= p.paragraph
            runs[side, ci, cj] = value
        return runs[side, i, j]

    beads: list[Bead] = []
    i, j = n, m
    in_run = -1  # the side whose run of unaligned sentences the path is in
    while i or j:
        if in_run >= 0:
            di, dj = (1, 0) if in_run == 0 else (0, 1)
            step = run(in_run, i, j)
        else:
            di, dj = BEADS[at(back, i, j) & 7]
            step = at(cost, i, j)
        side = 0 if dj == 0 else 1 if di == 0 else -1
        if side >= 0 and (at(back, i, j) >> (3 + side)) & 1:
            in_run = side
            step -= run(side, i - di, j - dj)
        else:
            in_run = -1
            step -= at(cost, i - di, j - dj)
        # confidence: how much cheaper the bead is than leaving its sentences
        # unaligned (a skip each), squashed to 0..1 (0.5: no better), and how
        # likely its shared evidence is for a true pair; the lower of the two
        score = 0.0
        if di and dj:
            a = doc.sk[di - 1][i - di]
            b = doc.tk[dj - 1][j - dj]
            gain = (di + dj) * p.skip - step
            evidence = evidence_confidence(len(a & b), min(len(a), len(b)), p)
            score = min(1 / (1 + math.exp(-gain)), evidence)
        beads.append(Bead(tuple(range(i - di, i)), tuple(range(j - dj, j)), score))
        i, j = i - di, j - dj
    beads.reverse()
    return beads


def _fill(doc: DocFeatures, lo, width, orphan: float, prior, lengths: LengthCosts):
    """The search's tables: row i's cells (j from lo[i]) at ``start[i] + j - lo[i]``
    of ``cost`` (the cheapest way there; inf: not reached) and ``back`` (the
    index into BEADS of the last step, plus 8 when that step left a source
    sentence unaligned after another, 16 a target sentence after another).

    The cells of an anti-diagonal (``i + j`` constant) depend only on earlier
    anti-diagonals, so each is computed at once with numpy, in blocks whose
    bead costs :class:`CellCosts` computes together. Unaligned sentences read
    the best cost of reaching the cell above (1-0) or to the left (0-1) with
    one of the same side, kept by column and by row for the anti-diagonal before.
    """
    p = doc.p
    n, m = len(doc.ls), len(doc.lt)
    hi = lo + width - 1
    start = np.concatenate(([0], np.cumsum(width)))
    size = int(start[-1])
    offset = start[:-1] - lo  # cell (i, j) is at offset[i] + j
    inf = math.inf
    cost = np.full(size + 1, inf)  # the last cell stands for those outside the band
    back = np.zeros(size, dtype=np.int8)
    if lo[0] == 0:
        cost[0] = 0.0
    # the run costs of the anti-diagonal before: 1-0 by column, 0-1 by row (m + 2 + i),
    # each with a last place that stays inf
    runs = np.full(m + 2 + n + 2, inf)
    steps = np.array([prior[b] for b in BEADS])[:, None]
    run_cost = np.array([[max(p.run_floor, prior[s] - p.run_discount)] for s in ((1, 0), (0, 1))])
    flags = np.array([8, 16], dtype=np.int8)
    # both documents at a paragraph end: every step into the cell gains p.paragraph
    se = np.array([0 < i < n and doc.se[i - 1] for i in range(n + 1)]) & doc.paragraphs
    te = np.array([0 < j < m and doc.te[j - 1] for j in range(m + 1)])
    costs = CellCosts(doc, lo, width, orphan, lengths)
    per_block = max(1, BLOCK * (n + m + 1) // size)
    for d0 in range(1, n + m + 1, per_block):
        d1 = min(n + m + 1, d0 + per_block)
        block = Block.diagonals(lo, width, d0, d1)
        if block is None:
            continue
        i, j = block.i, block.j
        bead_costs, extra = costs.block(block)
        bounds = np.searchsorted(i + j, np.arange(d0, d1 + 1)).tolist()
        # where each bead into a cell starts (size: outside the band)
        prev = np.empty((len(BEADS), len(i)), dtype=np.int64)
        for di in range(4):
            row = np.maximum(i - di, 0)
            row_lo, row_hi, row_at = lo[row], hi[row], offset[row]
            if di:
                row_hi = np.where(i >= di, row_hi, -1)  # no row before the first
            else:
                cell = row_at + j
            for k, (bi, dj) in enumerate(BEADS):
                if bi == di:
                    pj = j - dj
                    prev[k] = np.where((pj >= row_lo) & (pj <= row_hi), row_at + pj, size)
        before = np.array(
            [np.where(prev[1] < size, j, m + 1), m + 2 + np.where(prev[2] < size, i, n + 1)]
        )
        here_runs = np.array([j, m + 2 + i])
        para = np.where(se[i] & te[j], p.paragraph, 0.0) if se.any() else None
        for d in range(d1 - d0):
            a, b = bounds[d], bounds[d + 1]
            if a == b:
                continue
            cand = cost[prev[:, a:b]]
            cand += steps
            cand += bead_costs[:, a:b]
            if extra is not None:
                cand += extra[:, a:b]
            # an unaligned sentence after one of the same side
            longer = runs[before[:, a:b]]
            longer += run_cost
            ext = longer < cand[1:3]
            np.copyto(cand[1:3], longer, where=ext)
            if para is not None:
                cand -= para[a:b]
            here = cell[a:b]
            cost[here] = cand.min(axis=0)
            back[here] = cand.argmin(axis=0) + flags @ ext
            runs[here_runs[:, a:b]] = cand[1:3]
    return cost, back, start


def default_prior(p: AlignParams) -> dict[tuple[int, int], float]:
    return {**p.prior, (1, 0): p.skip, (0, 1): p.skip}


def document_prior(beads: list[Bead], p: AlignParams) -> dict[tuple[int, int], float]:
    """Bead-type costs from the counts of a first alignment, with ``p.prior_weight``
    pseudo-beads spread as the default priors are, relative to a 1-1 bead."""
    base = default_prior(p)
    p0 = {k: math.exp(-v) for k, v in base.items()}
    z = sum(p0.values())
    counts = dict.fromkeys(base, 0)
    for b in beads:
        counts[(len(b.src), len(b.tgt))] += 1
    q = {k: counts[k] + p.prior_weight * p0[k] / z for k in base}
    return {k: -math.log(q[k] / q[(1, 1)]) for k in base}
