"""The length model: Gale and Church's, over characters.

A translation's length is about the source's times a ratio; the difference,
scaled by the square root of the mean length and a variance, is normally
distributed. A bead's length cost is the negative log of the two-sided tail.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from translate.align.params import AlignParams

_SQRT2 = math.sqrt(2)


def length_cost(ls: int, lt: int, ratio: float, variance: float) -> float:
    if ls == 0 and lt == 0:
        return 0.0
    mean = (ls + lt / ratio) / 2
    delta = (lt - ls * ratio) / math.sqrt(max(mean, 1.0) * variance * ratio)
    p = math.erfc(abs(delta) / _SQRT2)  # two-sided tail of a standard normal
    return -math.log(max(p, 1e-12))


def first_ratio(
    src: Sequence[str], tgt: Sequence[str], src_lang: str, tgt_lang: str, p: AlignParams
) -> float:
    """The length ratio (target characters per source character) of the first
    pass: the documents' totals, kept within ``p.ratio_spread`` of the usual ratio
    of the language pair. A passage missing from one version skews the totals
    (a Kazakh article with half its English deleted reads 0.5 instead of about
    0.95), and a length model that far off pairs everything wrongly."""
    ratio = max(sum(map(len, tgt)), 1) / max(sum(map(len, src)), 1)
    usual = p.length_ratio.get((src_lang, tgt_lang))
    if usual is None and (tgt_lang, src_lang) in p.length_ratio:
        usual = 1 / p.length_ratio[(tgt_lang, src_lang)]
    if usual is None:
        return ratio
    return min(max(ratio, usual / p.ratio_spread), usual * p.ratio_spread)
