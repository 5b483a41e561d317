"""Every tuned constant of the aligner, in one typed and documented object.

Values were chosen on the dev file of ``benchmarks/alignment.py`` (the
paragraph and model weights by reasoning: the gold sentence lists carry no
paragraphs, and no trained model is available). Costs are in nats (negative
log probabilities); :data:`DEFAULT` is what ``translate align`` uses, and
``dataclasses.replace(DEFAULT, ...)`` gives a variant to compare.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

Bead = tuple[int, int]


def _frozen(mapping: dict) -> Mapping:
    return MappingProxyType(mapping)


@dataclass(frozen=True)
class AlignParams:
    """Parameters of the length model, the evidence, the two passes and the flags."""

    # -log prior of each bead type (sentences on each side); unaligned
    # sentences (1-0, 0-1) cost `skip`.
    prior: Mapping[Bead, float] = field(
        default_factory=lambda: _frozen(
            {(1, 1): 0.0, (2, 1): 2.3, (1, 2): 2.3, (2, 2): 8.0, (3, 1): 4.6, (1, 3): 4.6}
        )
    )
    skip: float = 1.5
    # Characters of the target per character of the source, by language pair:
    # the median of the dev file's documents (0.83 to 1.14 for kk-en); the
    # first pass keeps the documents' own ratio within `ratio_spread` of it.
    length_ratio: Mapping[tuple[str, str], float] = field(
        default_factory=lambda: _frozen({("kk", "en"): 0.95})
    )
    ratio_spread: float = 1.25
    # Variance of the length model (Gale-Church's s2); the second pass refits
    # it to the first pass's pairs, with `var_weight` pseudo-pairs at `variance`.
    variance: float = 6.8
    var_weight: float = 20.0
    # Evidence: each key (anchor or word) that a bead's two sides share lowers
    # its cost by `bonus`; each key of the smaller side left unmatched raises it
    # by `miss`, so long sentences that share nothing are not paired for their
    # lengths alone.
    bonus: float = 1.5
    miss: float = 0.1
    # A number, or a Latin name in Cyrillic text, that the other side lacks: a
    # translation keeps these, so each costs `hard_miss`.
    hard_miss: float = 2.0
    # Second pass: a sentence of a multi-sentence bead whose own keys (those
    # the bead's other sentences lack) share nothing with the other side, or
    # too little to speak for it (evidence log ratio below `orphan_llr`), costs
    # `orphan` x log(deletions / merges found by the first pass, each smoothed
    # by `orphan_smooth`) plus `orphan_per_key` for each of its keys.
    orphan: float = 2.0
    orphan_smooth: float = 0.02
    orphan_per_key: float = 0.2
    orphan_llr: float = -0.5
    # In documents where that applies (more deletions than merges), a 1-1 pair
    # whose shared evidence speaks against it (two unrelated sentences facing
    # each other after both partners were deleted) costs `weak` per unit of
    # log ratio beyond `weak_margin`.
    weak: float = 0.4
    weak_margin: float = 1.5
    # With a model: a bead's cost falls by `model_bonus` x its chrF similarity
    # (chrF minus `chrf_floor`, the chrF of unrelated sentences, scaled to 0..1).
    model_bonus: float = 8.0
    chrf_floor: float = 0.15
    # chrF scores kept between the two passes (about 100 bytes each)
    similarity_memo: int = 200_000
    # Pseudo-beads of the default priors added to a document's own bead counts
    # when the second pass re-estimates the priors.
    prior_weight: float = 10.0
    # An unaligned sentence next to one of the same side costs `run_discount`
    # less than the first of the run, but at least `run_floor`.
    run_discount: float = 0.3
    run_floor: float = 0.3
    # When both documents have paragraphs, an alignment gains `paragraph` each
    # time it passes paragraph ends on both sides at once, and a pair that joins
    # sentences across a paragraph end costs `paragraph`.
    paragraph: float = 1.5
    # How much more often true pairs than neighbouring non-pairs share s keys
    # (columns, 0..8+) when the smaller side has n keys (rows: n < 3, < 6,
    # < 10, < 16, more), as a log ratio, measured on the dev file's clean
    # documents and made non-decreasing in s. It turns shared evidence into a
    # confidence.
    evidence_llr: tuple[tuple[float, ...], ...] = (
        (-0.6, 2.3, 2.3, 2.3, 2.3, 2.3, 2.3, 2.3, 2.3),
        (-1.7, 0.8, 2.6, 2.6, 2.6, 2.6, 2.6, 2.6, 2.6),
        (-2.8, 0.0, 1.9, 2.2, 3.4, 3.4, 3.4, 3.4, 3.4),
        (-4.3, -1.4, 0.7, 1.5, 2.8, 2.9, 5.0, 5.0, 5.0),
        (-6.1, -3.0, -1.8, -1.2, 0.1, 1.5, 2.1, 2.7, 4.2),
    )
    # Documents of at least `unrelated_min` sentences a side whose first pass
    # has no stretch of `unrelated_window` source sentences with a share of
    # `unrelated_share` in pairs that their shared evidence speaks for are
    # unrelated: every sentence is left unaligned, and the band is not widened
    # (on shuffled documents the best stretch reaches 0.3-0.43, on documents
    # that translate each other 0.9-1.0, also where one has hundreds of
    # sentences more at its start).
    unrelated_min: int = 100
    unrelated_window: int = 30
    unrelated_share: float = 0.5
    # Pairs below this confidence are flagged low_alignment. On the dev file's
    # deletion and mixed documents it flags 6% of pairs and 5 of the 21 wrong ones.
    low_score: float = 0.3


DEFAULT = AlignParams()
