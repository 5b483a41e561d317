"""Bead costs: :func:`bead_cost` and :func:`orphans` define them for one cell;
:class:`CellCosts` computes the same numbers for a :class:`Block` of cells of
a search band at once, with numpy, in the same order of floating-point
operations, so that the search finds the same alignment to the last bit.

A bead's cost is its length cost, its evidence (shared and missing keys, hard
keys), chrF with a model, and a paragraph term; the second pass adds the
orphan and weak-pair terms. Length costs come from a table over the
documents' run lengths (:class:`LengthCosts`). Shared keys are counted from
the target side's postings (where each key occurs: :class:`Hits`), not set by
set; a run of several target sentences counts a key once.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from translate.align.evidence import evidence_llr
from translate.align.features import DocFeatures, Sets
from translate.align.length import length_cost

BEADS = ((1, 1), (1, 0), (0, 1), (2, 1), (1, 2), (2, 2), (3, 1), (1, 3))
PAIRS = tuple(k for k, (di, dj) in enumerate(BEADS) if di and dj)
SQRT2 = math.sqrt(2)


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


class LengthCosts:
    """Length costs of every (source run, target run) length pair met so far,
    for one length ratio and variance: a table over the documents' distinct run
    lengths, filled by :func:`length_cost` as cells ask for them."""

    def __init__(self, doc: DocFeatures, table: int = 1 << 23):
        """``table``: at most this many entries (64 MB); beyond, a dictionary."""
        self.ratio, self.variance = doc.ratio, doc.variance
        cs, ct = np.array(doc.cs), np.array(doc.ct)
        src = [cs[w:] - cs[:-w] for w in (1, 2, 3)]  # by the run's first sentence
        tgt = [ct[w:] - ct[:-w] for w in (1, 2, 3)]
        self.src_lengths = np.unique(np.concatenate(src))
        self.tgt_lengths = np.unique(np.concatenate(tgt))
        self.src = [np.searchsorted(self.src_lengths, x) for x in src]
        self.tgt = [np.searchsorted(self.tgt_lengths, x) for x in tgt]
        size = len(self.src_lengths) * len(self.tgt_lengths)
        self.table = np.full(size, np.nan) if size <= table else None
        self.known: dict[int, float] = {}

    def _costs(self, codes: np.ndarray) -> np.ndarray:
        """:func:`length_cost` of each code, its arithmetic done by numpy in the
        same order (so to the same bits) and ``erfc``/``log`` by :mod:`math`."""
        ls, lt = np.divmod(codes, len(self.tgt_lengths))
        ls, lt = self.src_lengths[ls], self.tgt_lengths[lt]
        ratio = self.ratio
        mean = (ls + lt / ratio) / 2
        delta = (lt - ls * ratio) / np.sqrt(np.maximum(mean, 1.0) * self.variance * ratio)
        tail = np.fromiter(map(math.erfc, (np.abs(delta) / SQRT2).tolist()), float, len(codes))
        out = -np.fromiter(map(math.log, np.maximum(tail, 1e-12).tolist()), float, len(codes))
        out[(ls == 0) & (lt == 0)] = 0.0
        return out

    def get(self, codes: np.ndarray, out: np.ndarray) -> np.ndarray:
        """Costs of ``src_index * len(tgt_lengths) + tgt_index`` codes, into ``out``."""
        if self.table is not None:
            np.take(self.table, codes, out=out)
            missing = np.isnan(out)
            if missing.any():
                new = np.unique(codes[missing])
                self.table[new] = self._costs(new)
                np.take(self.table, codes, out=out)
            return out
        unique, where = np.unique(codes, return_inverse=True)
        new = [c for c in unique.tolist() if c not in self.known]
        if new:
            self.known.update(zip(new, self._costs(np.array(new, dtype=np.int64)).tolist()))
        out[...] = np.array([self.known[c] for c in unique.tolist()])[where].reshape(codes.shape)
        return out


@dataclass
class Block:
    """Cells of a band costed together: row ``first + r`` holds cells ``lo[r] ..
    lo[r] + width[r] - 1``; ``i``, ``j`` list them in the order the search takes
    them, and ``where[start[r] + j - lo[r]]`` is a cell's place in that order."""

    first: int
    lo: np.ndarray
    width: np.ndarray
    start: np.ndarray
    i: np.ndarray
    j: np.ndarray
    where: np.ndarray

    @classmethod
    def diagonals(cls, lo: np.ndarray, width: np.ndarray, d0: int, d1: int) -> Block | None:
        """The cells of a band (row ``i``: ``lo[i] .. lo[i] + width[i] - 1``) on the
        anti-diagonals ``d0 <= i + j < d1``, by anti-diagonal, then row (None: no cell)."""
        rows = np.arange(len(lo))
        seg_lo = np.maximum(lo, d0 - rows)
        seg_hi = np.minimum(lo + width - 1, d1 - 1 - rows)
        live = np.flatnonzero(seg_lo <= seg_hi)
        if not len(live):
            return None
        first, last = int(live[0]), int(live[-1]) + 1
        seg_lo = seg_lo[first:last]
        seg_width = np.maximum(seg_hi[first:last] - seg_lo + 1, 0)
        start = np.cumsum(seg_width) - seg_width
        r = np.repeat(np.arange(last - first), seg_width)
        c = np.arange(len(r)) - start[r]
        order = np.argsort(r + seg_lo[r] + c, kind="stable")
        where = np.empty(len(r), dtype=np.int64)
        where[order] = np.arange(len(r))
        r = r[order]
        return cls(first, seg_lo, seg_width, start, first + r, seg_lo[r] + c[order], where)


class Hits:
    """Where the ids of each row's source set occur among the target positions
    near the row's cells in a :class:`Block`: the set of row ``block.first + r``
    is set ``offset + r`` of ``src`` (none where that is negative), looked up in
    ``post`` (postings ``id * stride + u``) at positions ``u`` from
    ``lo[r] - before`` to ``lo[r] + width[r] - 1 - after``."""

    def __init__(self, src: Sets, offset: int, post, stride: int, block: Block, before, after):
        lo, width = block.lo, block.width
        ids, sets = src.by_id()  # by id, so that the searches below go in order
        inside = (sets >= offset) & (sets < offset + len(lo))
        which = sets[inside] - offset
        key = ids[inside] * stride
        left = np.searchsorted(post, key + np.maximum(lo[which] - before, 0))
        last = np.minimum(lo[which] + width[which] - 1 - after, stride - 1)
        right = np.searchsorted(post, key + last, side="right")
        hits = np.maximum(right - left, 0)
        self.group = np.repeat(np.arange(len(key)), hits)  # one per (row, id)
        at = np.repeat(left - np.cumsum(hits) + hits, hits) + np.arange(int(hits.sum()))
        self.u = post[at] - key[self.group]
        self.row = which[self.group]
        self.block = block
        # how far each position is from the one before it of the same (row, id)
        self.gap = np.full(len(self.u), stride)
        same = self.group[1:] == self.group[:-1]
        self.gap[1:][same] = (self.u[1:] - self.u[:-1])[same]
        self._cells: dict[tuple[int, int], tuple[np.ndarray, np.ndarray]] = {}

    def count(self, off: int, span: int) -> np.ndarray:
        """For each cell ``j`` of the block, how many ids its row's set shares with
        the union of the target sets at positions ``u`` with
        ``u + off <= j <= u + off + span - 1``."""
        cells = []
        for b in range(span):
            if (off, b) not in self._cells:  # the cells at u + off + b, where in the block
                j = self.u + off + b
                lo = self.block.lo[self.row]
                inside = (j >= lo) & (j < lo + self.block.width[self.row])
                at = self.block.start[self.row[inside]] + (j - lo)[inside]
                self._cells[off, b] = (inside, self.block.where[at])
            inside, where = self._cells[off, b]
            if b < span - 1:  # an id counts once in a run: at the first of its positions
                cells.append(where[self.gap[inside] >= span - b])
            else:
                cells.append(where)
        return np.bincount(np.concatenate(cells), minlength=len(self.block.i))


class CellCosts:
    """The pair beads' costs (prior excluded) of the cells of a band (row ``i``
    holds cells ``lo[i] .. lo[i] + width[i] - 1``), a block of cells at a time."""

    def __init__(self, doc: DocFeatures, lo, width, orphan: float, lengths: LengthCosts):
        self.doc, self.lo, self.width, self.orphan = doc, lo, width, orphan
        self.lengths = lengths
        self.index = doc.index
        self.llr = np.array(doc.p.evidence_llr)
        self.se = np.array(doc.se, dtype=bool)
        self.te = np.array(doc.te, dtype=bool)

    def _llr(self, shared: np.ndarray, smaller: np.ndarray) -> np.ndarray:
        """:func:`evidence_llr` of arrays."""
        row = np.searchsorted(np.array([3, 6, 10, 16]), smaller, side="right")
        return self.llr[row, np.minimum(shared, 8)]

    def block(self, block: Block) -> tuple[np.ndarray, np.ndarray | None]:
        """Costs of a block's cells (as ``[bead, cell]``; zero for 1-0 and 0-1), and
        the second pass's orphan and weak-pair terms (None without them)."""
        doc, p, ix = self.doc, self.doc.p, self.index
        n, m = len(doc.ls), len(doc.lt)
        first, i, j = block.first, block.i, block.j
        costs = np.zeros((len(BEADS), len(i)))
        extra = np.zeros_like(costs) if self.orphan else None
        hits: dict[tuple, Hits] = {}

        def shared(sets: Sets, post, di: int, dj: int, tgt_parts: bool = False):
            """Ids shared by each cell's source run (of ``sets``) and target run."""
            if tgt_parts:  # sets by the target run's first sentence
                return Hits(sets, first - di, post, ix.stride, block, dj, dj).count(dj, 1)
            key = (id(sets), id(post), di)
            if key not in hits:  # one lookup serves target runs of 1, 2 and 3 sentences
                hits[key] = Hits(sets, first - di, post, ix.stride, block, 3, 1)
            return hits[key].count(1, dj)

        lengths = self.lengths
        src_runs: dict[int, tuple] = {}  # by width: what cells read of their source run
        tgt_runs: dict[int, tuple] = {}
        for k in PAIRS:
            di, dj = BEADS[k]
            if n < di or m < dj:
                continue
            # the source run src[s:i], the target run tgt[u:j] (clipped where none)
            if di not in src_runs:
                s = np.clip(i - di, 0, n - di)
                length = lengths.src[di - 1][s] * len(lengths.tgt_lengths)
                ha = ix.src_hard[di - 1].size[s]
                src_runs[di] = s, length, ix.src[di - 1].size[s], ha, ha.any()
            if dj not in tgt_runs:
                u = np.clip(j - dj, 0, m - dj)
                hb = ix.tgt_hard_size[dj - 1][u]
                tgt_runs[dj] = u, lengths.tgt[dj - 1][u], ix.tgt_size[dj - 1][u], hb, hb.any()
            s, length, a, ha, src_hard = src_runs[di]
            u, tgt_length, b, hb, tgt_hard = tgt_runs[dj]
            c = lengths.get(length + tgt_length, out=costs[k])
            together = shared(ix.src[di - 1], ix.tgt, di, dj)
            c += p.miss * (np.minimum(a, b) - together) - p.bonus * together
            if src_hard:  # numbers and names are in few sentences
                c += p.hard_miss * (ha - shared(ix.src_hard[di - 1], ix.tgt, di, dj))
            if tgt_hard:
                c += p.hard_miss * (hb - shared(ix.src[di - 1], ix.tgt_hard, di, dj))
            if doc.similarity is not None:
                c -= p.model_bonus * self._similarity(i, j, di, dj)
            if doc.paragraphs and (di > 1 or dj > 1):
                across = np.zeros(c.shape, dtype=bool)
                for x in range(di - 1):
                    across |= self.se[s + x]
                for x in range(dj - 1):
                    across |= self.te[u + x]
                c += np.where(across, p.paragraph, 0.0)
            if extra is None:
                continue
            if k == 0:  # a 1-1 pair whose evidence speaks against it
                weakness = np.maximum(0.0, -self._llr(together, np.minimum(a, b)) - p.weak_margin)
                extra[k] = p.weak * weakness
                continue
            count = np.zeros(c.shape, dtype=np.int64)
            keys = np.zeros(c.shape, dtype=np.int64)
            for x in range(di if di > 1 else dj):
                if di > 1:  # the source sentences are the parts
                    own = shared(ix.own("src", di, x), ix.tgt, di, dj)
                    part, other = ix.src[0].size[s + x], b
                else:
                    own = shared(ix.src[0], ix.own("tgt", dj, x), di, dj, tgt_parts=True)
                    part, other = ix.tgt_size[0][u + x], a
                weak = (own == 0) | (self._llr(own, np.minimum(part, other)) < p.orphan_llr)
                weak &= part > 0
                count += weak
                keys += np.where(weak, part, 0)
            extra[k] = self.orphan * count + p.orphan_per_key * keys
        return costs, extra

    def _similarity(self, i: np.ndarray, j: np.ndarray, di: int, dj: int) -> np.ndarray:
        """The model's similarity for the cells whose bead starts at a cell of the
        band (the others are never reached)."""
        pi, pj = i - di, j - dj
        row = np.maximum(pi, 0)
        inside = (pi >= 0) & (pj >= self.lo[row]) & (pj < self.lo[row] + self.width[row])
        out = np.zeros(len(i))
        for x in np.flatnonzero(inside).tolist():
            a, b = int(i[x]), int(j[x])
            out[x] = self.doc.similarity(a - di, a, b - dj, b)
        return out
