"""The dynamic programme: the cheapest sequence of beads through two sentence lists.

Beads are 1–1, 1–0, 0–1, 2–1, 1–2, 2–2, 3–1 and 1–3. A bead's cost is its
prior (by type), its length cost, and its evidence (shared and missing keys,
hard keys, chrF with a model, paragraph ends); an unaligned sentence costs a
constant, a little less when it follows one of the same side (a passage
missing from one version is one event). The search runs over a band of cells
per row, so time grows with the band, not the square of the length.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from translate.align.chrf import Similarity
from translate.align.evidence import evidence_confidence, evidence_llr, weakness
from translate.align.length import length_cost
from translate.align.params import AlignParams

BEADS = ((1, 1), (1, 0), (0, 1), (2, 1), (1, 2), (2, 2), (3, 1), (1, 3))


@dataclass(frozen=True)
class Bead:
    """One aligned unit: indexes of source and target sentences, and a score in 0..1."""

    src: tuple[int, ...]
    tgt: tuple[int, ...]
    score: float


def spans(keys: list[set[str]]) -> list[list[frozenset[str]]]:
    """Keys of every run of 1, 2 and 3 sentences (the widest side of a bead):
    ``[w - 1][i]`` holds those of sentences ``i .. i + w - 1``."""
    one = [frozenset(k) for k in keys]
    two = [a | b for a, b in zip(one, one[1:])]
    three = [a | b for a, b in zip(two, one[2:])]
    return [one, two, three]


@dataclass
class DocFeatures:
    """Per-sentence features of a document pair, computed once for both passes."""

    ls: list[int]
    lt: list[int]
    ratio: float
    variance: float
    cs: list[int]  # cumulative lengths: src[a:b] has cs[b] - cs[a] characters
    ct: list[int]
    # evidence keys (anchors and words) of runs: sk[w - 1][i] for src[i:i + w]
    sk: list[list[frozenset[str]]]
    tk: list[list[frozenset[str]]]
    # keys a translation must keep (numbers, Latin names in Cyrillic text), by run
    sh: list[list[frozenset[str]]]
    th: list[list[frozenset[str]]]
    se: list[bool]  # paragraph ends
    te: list[bool]
    paragraphs: bool
    similarity: Similarity | None
    p: AlignParams


def bead_cost(doc: DocFeatures, pi: int, i: int, pj: int, j: int) -> float:
    """Cost of pairing src[pi:i] with tgt[pj:j] (both non-empty), prior excluded."""
    p = doc.p
    c = length_cost(doc.cs[i] - doc.cs[pi], doc.ct[j] - doc.ct[pj], doc.ratio, doc.variance)
    a = doc.sk[i - pi - 1][pi]
    b = doc.tk[j - pj - 1][pj]
    shared = 0 if a.isdisjoint(b) else len(a & b)  # most cells share nothing
    c += p.miss * (min(len(a), len(b)) - shared) - p.bonus * shared
    ha = doc.sh[i - pi - 1][pi]
    if ha:  # numbers and names are in few sentences
        c += p.hard_miss * len(ha - b)
    hb = doc.th[j - pj - 1][pj]
    if hb:
        c += p.hard_miss * len(hb - a)
    if doc.similarity is not None:
        c -= p.model_bonus * doc.similarity(pi, i, pj, j)
    if doc.paragraphs and (any(doc.se[pi : i - 1]) or any(doc.te[pj : j - 1])):
        c += p.paragraph  # the pair would join sentences across paragraphs
    return c


def orphans(doc: DocFeatures, pi: int, i: int, pj: int, j: int) -> tuple[int, int]:
    """Sentences of a multi-sentence bead whose own keys say too little for the
    other side (see ``AlignParams.orphan_llr``): how many, and how many keys they hold."""
    p = doc.p
    if i - pi > 1:
        parts, other = doc.sk[0][pi:i], doc.tk[j - pj - 1][pj]
    else:
        parts, other = doc.tk[0][pj:j], doc.sk[i - pi - 1][pi]
    count = keys = 0
    for x, part in enumerate(parts):
        rest = set().union(*(q for y, q in enumerate(parts) if y != x))
        own = len((part - rest) & other)
        if part and (not own or evidence_llr(own, min(len(part), len(other)), p) < p.orphan_llr):
            count += 1
            keys += len(part)
    return count, keys


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
) -> list[Bead]:
    """The dynamic programme over the cells ``rows[i]`` (a range of j) of each row.

    An unaligned sentence that follows one of the same side costs
    ``p.run_discount`` less than the first of a run (down to ``p.run_floor``): a whole passage missing
    from one version is one event, not a dozen independent ones.
    """
    p = doc.p
    prior = prior or default_prior(p)
    n, m = len(doc.ls), len(doc.lt)
    se, te = doc.se, doc.te
    inf = float("inf")
    run_cost = {side: max(p.run_floor, prior[side] - p.run_discount) for side in ((1, 0), (0, 1))}
    # Each row keeps the costs of its own cells (rows[i] = lo..hi) and, per cell,
    # the index into BEADS of the step that reached it (-1: not reached). Two more
    # tables keep the best cost of reaching a cell with an unaligned source
    # (run[0]) or target (run[1]) sentence, and whether that step extended a run.
    cost: list[list[float]] = []
    back: list[list[int]] = []
    run: tuple[list[list[float]], list[list[float]]] = ([], [])
    extended: tuple[list[list[bool]], list[list[bool]]] = ([], [])
    for i in range(n + 1):
        lo, hi = rows[i]
        width = hi - lo + 1
        row_cost = [inf] * width
        row_back = [-1] * width
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
                    elif orphan:  # a 1-1 pair in a document with many deletions
                        c += p.weak * weakness(doc.sk[0][pi], doc.tk[0][pj], p)
                if doc.paragraphs and 0 < i < n and 0 < j < m and se[i - 1] and te[j - 1]:
                    c -= p.paragraph  # both documents are at a paragraph end here
                    if di == 0 or dj == 0:
                        row_run[side][j - lo] = c
                if c < best:
                    best, arg = c, k
            row_cost[j - lo] = best
            row_back[j - lo] = arg

    def at(table: list[list], i: int, j: int):
        return table[i][j - rows[i][0]]

    if not rows[n][0] <= m <= rows[n][1] or at(back, n, m) < 0:  # band too narrow: widen
        return search(doc, [(0, m)] * (n + 1), orphan, prior)
    beads: list[Bead] = []
    i, j = n, m
    in_run = -1  # the side whose run of unaligned sentences the path is in
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
