"""Aligning two sentence lists: a first pass in a widening band, a second in a
corridor around it with priors, length ratio and variance re-estimated from
the first pass's beads.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

from translate.align.cells import LengthCosts
from translate.align.chrf import Similarity
from translate.align.evidence import anchors, evidence_llr, hard_keys, words
from translate.align.length import first_ratio
from translate.align.params import DEFAULT, AlignParams
from translate.align.search import (
    Bead,
    DocFeatures,
    corridor,
    diagonal,
    document_prior,
    search,
    spans,
    touches_edge,
)


def align_sentences(
    src: Sequence[str],
    tgt: Sequence[str],
    src_lang: str = "kk",
    tgt_lang: str = "en",
    band: int | None = None,
    similarity: Similarity | None = None,
    src_paragraphs: Sequence[int] | None = None,
    tgt_paragraphs: Sequence[int] | None = None,
    params: AlignParams = DEFAULT,
) -> list[Bead]:
    """Align two sentence lists; every sentence ends up in exactly one bead, in order.

    ``similarity`` (for example :func:`chrf_similarity` over machine
    translations of ``src``) adds a score for each candidate bead.
    ``src_paragraphs``/``tgt_paragraphs`` give each sentence's paragraph
    number: a pair that ends a paragraph on one side only is less likely.
    """
    n, m = len(src), len(tgt)
    if n == 0 or m == 0:
        return [Bead((i,), (), 0.0) for i in range(n)] + [Bead((), (j,), 0.0) for j in range(m)]
    doc = document_features(
        src, tgt, src_lang, tgt_lang, similarity, src_paragraphs, tgt_paragraphs, params
    )
    return align_features(doc, band)


def document_features(
    src: Sequence[str],
    tgt: Sequence[str],
    src_lang: str = "kk",
    tgt_lang: str = "en",
    similarity: Similarity | None = None,
    src_paragraphs: Sequence[int] | None = None,
    tgt_paragraphs: Sequence[int] | None = None,
    params: AlignParams = DEFAULT,
) -> DocFeatures:
    """What the search reads of two (non-empty) sentence lists."""
    n, m = len(src), len(tgt)
    se = paragraph_ends(src_paragraphs, n)
    te = paragraph_ends(tgt_paragraphs, m)
    sa = [anchors(s, src_lang) for s in src]
    ta = [anchors(t, tgt_lang) for t in tgt]
    return DocFeatures(
        ls=[len(s) for s in src],
        lt=[len(t) for t in tgt],
        ratio=first_ratio(src, tgt, src_lang, tgt_lang, params),
        variance=params.variance,
        cs=list(itertools.accumulate(map(len, src), initial=0)),
        ct=list(itertools.accumulate(map(len, tgt), initial=0)),
        sk=spans([a | words(s, src_lang) for s, a in zip(src, sa)]),
        tk=spans([a | words(t, tgt_lang) for t, a in zip(tgt, ta)]),
        sh=spans([hard_keys(s, src_lang, a) for s, a in zip(src, sa)]),
        th=spans([hard_keys(t, tgt_lang, a) for t, a in zip(tgt, ta)]),
        se=se,
        te=te,
        paragraphs=any(se[:-1]) and any(te[:-1]),
        similarity=similarity,
        p=params,
    )


def align_features(doc: DocFeatures, band: int | None = None) -> list[Bead]:
    """The two passes over a document pair (see :func:`align_sentences`);
    ``doc.cells`` counts the cells they evaluate."""
    params = doc.p
    n, m = len(doc.ls), len(doc.lt)
    lengths = LengthCosts(doc)  # the widening searches share the length model
    if band:
        beads = search(doc, diagonal(n, m, band), 0.0, lengths=lengths)
        unrelated = looks_unrelated(doc, beads)
    else:
        # Start narrow and widen while the best path runs along the band's edge
        # (where the band, not the evidence, chose it), unless nothing in the
        # narrow band looks like a translation: widening would then search
        # most of the n x m cells to pair sentences by chance.
        band = 20 + abs(n - m) // 4
        rows = diagonal(n, m, band)
        beads = search(doc, rows, 0.0, lengths=lengths)
        unrelated = looks_unrelated(doc, beads)
        while not unrelated and band < max(n, m) and touches_edge(beads, rows, m):
            band *= 2
            rows = diagonal(n, m, band)
            beads = search(doc, rows, 0.0, lengths=lengths)
    if unrelated:  # every sentence unaligned, in the order of the first pass
        alone: list[Bead] = []
        for b in beads:
            alone += [Bead((i,), (), 0.0) for i in b.src] + [Bead((), (j,), 0.0) for j in b.tgt]
        return alone
    # Second pass, in a corridor around the first. Bead-type priors are
    # re-estimated from the first pass (smoothed towards the defaults): a
    # document whose English joins sentences makes 2-1 beads likelier, one with
    # deletions makes unaligned sentences likelier. And a sentence whose partner
    # was deleted tends to be absorbed into its neighbour's pair as a 2-1 bead;
    # how likely that is, against a real merge, depends on how many deletions
    # and merges the document has, so a merged sentence that brings no evidence
    # of its own costs more in proportion.
    skips = sum(1 for b in beads if not b.src or not b.tgt) / len(beads)
    merges = sum(1 for b in beads if len(b.src) + len(b.tgt) > 2) / len(beads)
    orphan = params.orphan * math.log(
        (skips + params.orphan_smooth) / (merges + params.orphan_smooth)
    )
    # The length ratio from the pairs the first pass found, not the totals:
    # sentences deleted from one side skew the totals.
    ps = sum(doc.ls[i] for b in beads if b.src and b.tgt for i in b.src)
    pt = sum(doc.lt[j] for b in beads if b.src and b.tgt for j in b.tgt)
    if ps and pt:
        doc.ratio = r = pt / ps
        sq, k = 0.0, 0
        for b in beads:
            if b.src and b.tgt:
                a = sum(doc.ls[i] for i in b.src)
                t = sum(doc.lt[j] for j in b.tgt)
                sq += (t - a * r) ** 2 / (max((a + t / r) / 2, 1.0) * r)
                k += 1
        doc.variance = (params.var_weight * params.variance + sq) / (params.var_weight + k)
    return search(
        doc, corridor(beads, n, m), orphan if orphan > 0.05 else 0.0, document_prior(beads, params)
    )


def looks_unrelated(doc: DocFeatures, beads: list[Bead]) -> bool:
    """Whether a first alignment of two long documents (``p.unrelated_min``
    sentences a side or more) has no stretch of ``p.unrelated_window`` source
    sentences of which ``p.unrelated_share`` are in pairs whose shared evidence
    speaks for them: the documents are not translations of each other (or not
    in the same order), and what pairs they have, chance made."""
    p = doc.p
    n = len(doc.ls)
    if min(n, len(doc.lt)) < p.unrelated_min:
        return False
    backed = [0] * n
    for b in beads:
        if b.src and b.tgt:
            a, t = doc.sk[len(b.src) - 1][b.src[0]], doc.tk[len(b.tgt) - 1][b.tgt[0]]
            if evidence_llr(len(a & t), min(len(a), len(t)), p) > 0:
                for i in b.src:
                    backed[i] = 1
    window = min(p.unrelated_window, n)
    total = list(itertools.accumulate(backed, initial=0))
    best = max(total[k + window] - total[k] for k in range(n - window + 1))
    return best < p.unrelated_share * window


def paragraph_ends(paragraphs: Sequence[int] | None, n: int) -> list[bool]:
    """For each sentence, whether it is the last of its paragraph."""
    if paragraphs is None or len(paragraphs) != n:
        return [False] * (n - 1) + [True] if n else []
    return [k == n - 1 or paragraphs[k] != paragraphs[k + 1] for k in range(n)]
