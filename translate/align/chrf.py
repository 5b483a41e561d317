"""chrF (Popović 2015), and a bead similarity from machine translations (Bleualign style)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from translate.align.params import DEFAULT, AlignParams

# similarity(src_from, src_to, tgt_from, tgt_to) -> 0..1 for a candidate bead
Similarity = Callable[[int, int, int, int], float]


def _profile(text: str, order: int = 6) -> list[dict[str, int]]:
    """Character n-gram counts of orders 1..``order`` (spaces removed, lower case)."""
    t = re.sub(r"\s+", "", text.lower())
    out = []
    for k in range(1, order + 1):
        grams: dict[str, int] = {}
        for x in range(len(t) - k + 1):
            g = t[x : x + k]
            grams[g] = grams.get(g, 0) + 1
        out.append(grams)
    return out


def _chrf_profiles(hyp: list[dict[str, int]], ref: list[dict[str, int]], beta: float) -> float:
    precisions, recalls = [], []
    for hg, rg in zip(hyp, ref):
        if not hg or not rg:
            continue
        if len(hg) > len(rg):
            common = sum(min(c, hg[g]) for g, c in rg.items() if g in hg)
        else:
            common = sum(min(c, rg[g]) for g, c in hg.items() if g in rg)
        precisions.append(common / sum(hg.values()))
        recalls.append(common / sum(rg.values()))
    if not precisions:
        return 0.0
    p = sum(precisions) / len(precisions)
    rc = sum(recalls) / len(recalls)
    if p == 0 and rc == 0:
        return 0.0
    b2 = beta * beta
    return (1 + b2) * p * rc / (b2 * p + rc)


def chrf(hypothesis: str, reference: str, order: int = 6, beta: float = 2.0) -> float:
    """chrF (Popović 2015) of one hypothesis against one reference, in 0..1.

    Character n-grams of orders 1..``order`` with spaces removed, averaged
    precision and recall combined with recall weighted ``beta`` times.
    """
    return _chrf_profiles(_profile(hypothesis, order), _profile(reference, order), beta)


def chrf_similarity(
    translations: Sequence[str], tgt: Sequence[str], params: AlignParams = DEFAULT
) -> Similarity:
    """Bead similarity from machine translations of the source sentences (Bleualign style).

    The chrF of the joined translations of the bead's source sentences against
    its joined target sentences, minus a floor (chrF of unrelated sentences of
    one language is far from zero), clipped to 0..1. N-gram counts are made
    once per run of sentences and reused across candidate beads.
    """
    # Profiles are kept (at most three runs per sentence on each side). Scores
    # are kept for the second pass, which asks again for the cells near the
    # first pass's path, but only up to ``params.similarity_memo`` of them: a memo of every
    # cell would grow with the band (hundreds of MB for long documents).
    memo: dict[tuple[int, int, int, int], float] = {}
    hyp_profiles: dict[tuple[int, int], list[dict[str, int]]] = {}
    ref_profiles: dict[tuple[int, int], list[dict[str, int]]] = {}

    def similarity(si: int, sj: int, ti: int, tj: int) -> float:
        key = (si, sj, ti, tj)
        if key in memo:
            return memo[key]
        if (si, sj) not in hyp_profiles:
            hyp_profiles[si, sj] = _profile(" ".join(translations[si:sj]))
        if (ti, tj) not in ref_profiles:
            ref_profiles[ti, tj] = _profile(" ".join(tgt[ti:tj]))
        value = _chrf_profiles(hyp_profiles[si, sj], ref_profiles[ti, tj], 2.0)
        if len(memo) >= params.similarity_memo:
            memo.clear()
        memo[key] = min(1.0, max(0.0, (value - params.chrf_floor) / (1 - params.chrf_floor)))
        return memo[key]

    return similarity
