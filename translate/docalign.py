"""Sentence alignment of two documents that translate each other.

A Gale–Church style dynamic programme over sentence lengths (in characters),
strengthened with anchors that cross the language barrier: numbers, Latin
tokens (names, acronyms) and Kazakh names transliterated to Latin. Beads
are 1–1, 1–0, 0–1, 2–1, 1–2, 2–2, 3–1 and 1–3; unaligned sentences get a
constant cost. The search is limited to a band around the diagonal, so time
grows linearly with document length.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from .quality import _numbers

BEADS = ((1, 1), (1, 0), (0, 1), (2, 1), (1, 2), (2, 2), (3, 1), (1, 3))
# -log prior of each bead type; unaligned sentences cost a constant (SKIP).
PRIOR = {(1, 1): 0.0, (2, 1): 2.3, (1, 2): 2.3, (2, 2): 8.0, (3, 1): 4.6, (1, 3): 4.6}
SKIP = 3.0
VARIANCE = 6.8
ANCHOR_BONUS = 2.0
ANCHOR_PENALTY = 0.0
METHOD = "length+anchors"

_TRANSLIT = str.maketrans(
    {
        "а": "a",
        "ә": "a",
        "б": "b",
        "в": "v",
        "г": "g",
        "ғ": "g",
        "д": "d",
        "е": "e",
        "ё": "e",
        "ж": "zh",
        "з": "z",
        "и": "i",
        "й": "i",
        "к": "k",
        "қ": "k",
        "л": "l",
        "м": "m",
        "н": "n",
        "ң": "n",
        "о": "o",
        "ө": "o",
        "п": "p",
        "р": "r",
        "с": "s",
        "т": "t",
        "у": "u",
        "ұ": "u",
        "ү": "u",
        "ф": "f",
        "х": "kh",
        "һ": "h",
        "ц": "ts",
        "ч": "ch",
        "ш": "sh",
        "щ": "sh",
        "ъ": "",
        "ы": "y",
        "і": "i",
        "ь": "",
        "э": "e",
        "ю": "yu",
        "я": "ya",
    }
)
_CAP_WORD = re.compile(r"\b[^\W\d_][\w'-]*", re.UNICODE)


@dataclass(frozen=True)
class Bead:
    """One aligned unit: indexes of source and target sentences, and a score in 0..1."""

    src: tuple[int, ...]
    tgt: tuple[int, ...]
    score: float


def _name_key(word: str) -> str:
    w = word.lower().translate(_TRANSLIT)
    w = re.sub(r"[^a-z]", "", w)
    w = w.replace("kh", "h").replace("zh", "j").replace("y", "i")
    return w[:5]


def _anchors(text: str, lang: str) -> set[str]:
    keys = {f"#{n}" for n in _numbers(text, lang)}
    words = _CAP_WORD.findall(text)
    for i, w in enumerate(words):
        if len(w) >= 3 and w[0].isupper() and i > 0:  # capitalised inside a sentence: a name
            keys.add("@" + _name_key(w))
        if w.isascii() and len(w) >= 2 and (w.isupper() or i > 0 and w[0].isupper()):
            keys.add("@" + _name_key(w))
    for q in ("?", "!", "«", "“", '"'):
        if q in text:
            keys.add("q" if q in '«“"' else q)
    return keys


def _length_cost(ls: int, lt: int, ratio: float) -> float:
    if ls == 0 and lt == 0:
        return 0.0
    mean = (ls + lt / ratio) / 2
    delta = (lt - ls * ratio) / math.sqrt(max(mean, 1.0) * VARIANCE * ratio)
    p = 2 * (1 - 0.5 * (1 + math.erf(abs(delta) / math.sqrt(2))))
    return -math.log(max(p, 1e-12))


def align_sentences(
    src: Sequence[str],
    tgt: Sequence[str],
    src_lang: str = "kk",
    tgt_lang: str = "en",
    band: int | None = None,
) -> list[Bead]:
    """Align two sentence lists; every sentence ends up in exactly one bead, in order."""
    n, m = len(src), len(tgt)
    if n == 0 or m == 0:
        return [Bead((i,), (), 0.0) for i in range(n)] + [Bead((), (j,), 0.0) for j in range(m)]
    ls = [len(s) for s in src]
    lt = [len(t) for t in tgt]
    ratio = max(sum(lt), 1) / max(sum(ls), 1)
    sa = [_anchors(s, src_lang) for s in src]
    ta = [_anchors(t, tgt_lang) for t in tgt]
    band = band or max(20, int(0.03 * max(n, m))) + abs(n - m)
    inf = float("inf")
    cost: dict[tuple[int, int], float] = {(0, 0): 0.0}
    back: dict[tuple[int, int], tuple[int, int]] = {}
    for i in range(n + 1):
        center = i * m / n
        lo, hi = max(0, int(center) - band), min(m, int(center) + band + 1)
        for j in range(lo, hi + 1):
            if i == 0 and j == 0:
                continue
            best, arg = inf, None
            for di, dj in BEADS:
                pi, pj = i - di, j - dj
                if pi < 0 or pj < 0:
                    continue
                prev = cost.get((pi, pj))
                if prev is None:
                    continue
                c = prev + _bead_cost(pi, i, pj, j, ls, lt, sa, ta, ratio)
                if c < best:
                    best, arg = c, (di, dj)
            if arg is not None:
                cost[(i, j)] = best
                back[(i, j)] = arg
    if (n, m) not in cost:  # band too narrow for this pair: widen once
        return align_sentences(src, tgt, src_lang, tgt_lang, band=max(n, m))
    beads: list[Bead] = []
    i, j = n, m
    while i or j:
        di, dj = back[(i, j)]
        step = cost[(i, j)] - cost[(i - di, j - dj)]
        score = math.exp(-max(0.0, step) / 4)
        beads.append(Bead(tuple(range(i - di, i)), tuple(range(j - dj, j)), score))
        i, j = i - di, j - dj
    beads.reverse()
    return beads


def _bead_cost(pi, i, pj, j, ls, lt, sa, ta, ratio) -> float:
    if i == pi or j == pj:
        return SKIP
    a = set().union(*sa[pi:i])
    b = set().union(*ta[pj:j])
    cost = PRIOR[(i - pi, j - pj)] + _length_cost(sum(ls[pi:i]), sum(lt[pj:j]), ratio)
    shared = len(a & b)
    differ = len(a ^ b)
    return cost - ANCHOR_BONUS * shared + ANCHOR_PENALTY * min(differ, 4) * 0.5


LOW_SCORE = 0.3


def align_documents(src_doc, tgt_doc, src_lang: str = "kk", tgt_lang: str = "en"):
    """Segment two documents and align them into one :class:`DocumentResult`.

    Each bead becomes a record: ``source``/``translation`` hold the bead's
    sentences joined by spaces (one side empty for an unaligned sentence, which
    is kept and flagged ``unaligned``); ``score`` is the alignment score (0..1)
    and a low one is flagged ``low_alignment``.
    """
    from .pipeline import segment_document
    from .records import DocumentResult, Flag, Record

    ss = segment_document(src_doc, src_lang)
    ts = segment_document(tgt_doc, tgt_lang)
    beads = align_sentences([s.text for s in ss], [t.text for t in ts], src_lang, tgt_lang)
    records = []
    last_para, last_end = 0, 0
    for k, b in enumerate(beads):
        src = [ss[i] for i in b.src]
        tgt = [ts[j] for j in b.tgt]
        flags = []
        if not src or not tgt:
            side = "target" if not src else "source"
            flags.append(Flag("unaligned", f"this {side} sentence has no counterpart"))
        elif b.score < LOW_SCORE:
            flags.append(
                Flag("low_alignment", f"alignment score {b.score:.2f} is below {LOW_SCORE}")
            )
        if src:
            last_para, last_end = src[0].paragraph, src[-1].end
        records.append(
            Record(
                doc_id=src_doc.id,
                paragraph=last_para,
                index=k,
                start=src[0].start if src else last_end,
                end=src[-1].end if src else last_end,
                source=" ".join(s.text for s in src),
                translation=" ".join(t.text for t in tgt),
                score=round(b.score, 4),
                flags=tuple(flags),
                src_lang=src_lang,
                tgt_lang=tgt_lang,
            )
        )
    return DocumentResult(src_doc, tuple(records))
