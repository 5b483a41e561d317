"""Sentence alignment of two documents that translate each other.

A Gale–Church style dynamic programme over sentence lengths (in characters),
strengthened with evidence that crosses the language barrier:

* anchors: numbers and dates, Latin tokens (names, acronyms), capitalised
  Kazakh names transliterated to Latin, question marks and quotes;
* shared words: every longer word reduced to a spelling skeleton (Kazakh
  transliterated, ``Комиссия`` and ``Commission`` both ``komi``), which finds
  loanwords and names, and a hand-written Kazakh–English list of about 1,300
  everyday news words (``data/align/kk_en.txt``: ``жыл`` ~ ``year``); a word
  pair found through the list shares the English form it matched, so synonyms
  (``облыс``, ``өңір`` ~ ``region``) count once;
* keys a translation keeps: a number, or a Latin name inside Cyrillic text,
  missing from the other side makes a pair costlier;
* paragraphs: passing paragraph ends on both sides at once is rewarded, and a
  pair joining sentences across a paragraph end is penalised;
* with a model (:func:`chrf_similarity`), the chrF of the machine translation
  of the source side against the target side, as Bleualign does.

Beads are 1–1, 1–0, 0–1, 2–1, 1–2, 2–2, 3–1 and 1–3; an unaligned sentence
costs a constant, a little less when it follows one of the same side (a passage
missing from one version is one event). The first pass's length ratio is the
documents' own, kept near the language pair's usual one. The search is limited
to a band around the diagonal (widened while the best path runs along its
edge), so time grows linearly with document length. A second pass, in a
corridor around the first, uses bead-type priors re-estimated from the first
pass's beads (a document whose English joins sentences gets cheaper 2–1 beads,
one with deletions cheaper unaligned sentences). When the first pass finds more
unaligned sentences than merges, it also makes costlier a merged sentence that
brings no evidence of its own, and a 1–1 pair whose shared evidence speaks
against it: in such documents these are more likely sentences whose partners
were deleted. Parameters were chosen on the dev file of
``benchmarks/alignment.py`` (the paragraph and model weights by reasoning: the
gold sentence lists carry no paragraphs, and no trained model is available).
"""

from __future__ import annotations

import itertools
import logging
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

from translate.quality import _numbers

BEADS = ((1, 1), (1, 0), (0, 1), (2, 1), (1, 2), (2, 2), (3, 1), (1, 3))
# -log prior of each bead type; unaligned sentences cost a constant (SKIP).
PRIOR = {(1, 1): 0.0, (2, 1): 2.3, (1, 2): 2.3, (2, 2): 8.0, (3, 1): 4.6, (1, 3): 4.6}
SKIP = 1.5
# Characters of the target per character of the source, by language pair: the
# median of the dev file's documents (0.83 to 1.14 for kk-en); the first pass
# keeps the documents' own ratio within RATIO_SPREAD of it.
LENGTH_RATIO = {("kk", "en"): 0.95}
RATIO_SPREAD = 1.25
# Variance of the length model (Gale-Church's s2); the second pass refits it
# to the first pass's pairs, with VAR_WEIGHT pseudo-pairs at VARIANCE.
VARIANCE = 6.8
VAR_WEIGHT = 20.0
# Evidence: each key (anchor or word) that a bead's two sides share lowers its
# cost by BONUS; each key of the smaller side left unmatched raises it by MISS,
# so long sentences that share nothing are not paired for their lengths alone.
BONUS = 1.5
MISS = 0.1
# A number, or a Latin name in Cyrillic text, that the other side lacks: a
# translation keeps these, so each costs HARD_MISS.
HARD_MISS = 2.0
# Second pass (see align_sentences): a sentence of a multi-sentence bead whose
# own keys (those the bead's other sentences lack) share nothing with the other
# side, or too little to speak for it (evidence log ratio below ORPHAN_LLR),
# costs ORPHAN x log(deletions / merges found by the first pass) plus
# ORPHAN_PER_KEY for each of its keys.
ORPHAN = 2.0
ORPHAN_SMOOTH = 0.02
ORPHAN_PER_KEY = 0.2
ORPHAN_LLR = -0.5
# In documents where that applies (more deletions than merges), a 1-1 pair
# whose shared evidence speaks against it (two unrelated sentences facing each
# other after both partners were deleted) costs WEAK per unit of log ratio
# beyond WEAK_MARGIN (see _weakness).
WEAK = 0.4
WEAK_MARGIN = 1.5
MODEL_BONUS = 8.0
# pseudo-beads of the default priors added to a document's own bead counts
PRIOR_WEIGHT = 10.0
# An unaligned sentence next to one of the same side costs this much less than
# the first of the run, but at least RUN_FLOOR (see _search).
RUN_DISCOUNT = 0.3
RUN_FLOOR = 0.3
# When both documents have paragraphs, an alignment gains PARAGRAPH each time
# it passes paragraph ends on both sides at once, and a pair that joins
# sentences across a paragraph end costs PARAGRAPH.
PARAGRAPH = 1.5
METHOD = "length+anchors+words"
MODEL_METHOD = "length+anchors+words+chrF"

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
            # and its consonants, which survive English spelling: Трамп ~ Trump
            cons = _NON_CONSONANT.sub("", _skeleton(w))
            if len(cons) >= 3:
                keys.add("n" + cons[:5])
        if w.isascii() and len(w) >= 2 and (w.isupper() or i > 0 and w[0].isupper()):
            keys.add("@" + _name_key(w))
    for q in ("?", "!", "«", "“", '"'):
        if q in text:
            keys.add("q" if q in '«“"' else q)
    return keys


def _hard(text: str, lang: str, anchors: set[str]) -> set[str]:
    """Keys a translation keeps: numbers, and Latin-script names inside Cyrillic text."""
    keys = {k for k in anchors if k[0] == "#"}
    if lang in ("kk", "ru"):
        for w in _CAP_WORD.findall(text):
            if w.isascii() and len(w) >= 2 and (w.isupper() or w[0].isupper()):
                keys.add("@" + _name_key(w))
    return keys


# English words too frequent to tell sentences apart (their skeletons would
# also match unrelated Kazakh words).
_STOP = frozenset(
    "this that with from have which were been their there they them than then what when "
    "where will would could should about after before other into also more most some such "
    "only over under your said says just very being does those these while because through "
    "between against during without within among around again still even much many make "
    "made like back down here upon each both well".split()
)
_SKELETON = (
    ("dzh", "j"),
    ("ph", "f"),
    ("th", "t"),
    ("ck", "k"),
    ("c", "k"),
    ("q", "k"),
    ("x", "ks"),
    ("w", "v"),
    ("y", "i"),
    ("zh", "j"),
    ("kh", "h"),
    ("h", ""),
)
_WORD = re.compile(r"[^\W\d_]+")
_NON_CONSONANT = re.compile(r"[aeiouy']")
_SOFT_C = re.compile(r"c(?=[eiy])")
_DOUBLE = re.compile(r"(.)\1+")


def _skeleton(word: str) -> str:
    """A spelling skeleton shared by a word and its transliteration: Комиссия/Commission -> komisia."""
    w = re.sub(r"[^a-z]", "", word.lower().translate(_TRANSLIT))
    # soft c and ц are both s (center, центр); qu is кв (quota, квота)
    w = _SOFT_C.sub("s", w).replace("ts", "s").replace("qu", "kv")
    for a, b in _SKELETON:
        w = w.replace(a, b)
    w = w.replace("z", "s")  # президент, president
    return _DOUBLE.sub(r"\1", w)


@dataclass(frozen=True)
class _Lexicon:
    kk: dict[str, tuple[str, ...]]  # Kazakh stem -> English forms of its entries
    en: frozenset[str]  # English forms
    en_prefix: frozenset[str]  # English prefixes (forms ending in *)


_VOICED = {"к": "г", "қ": "ғ", "п": "б"}


@cache
def _lexicon() -> _Lexicon:
    kk: dict[str, list[str]] = {}
    en: set[str] = set()
    pre: set[str] = set()
    text = resources.files("translate").joinpath("data/align/kk_en.txt").read_text("utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        stem, forms = line.split("\t")
        keys = [f.rstrip("*") for f in forms.split()]
        kk.setdefault(stem, []).extend(keys)
        if stem[-1] in _VOICED:  # нарық -> нарығы: к, қ, п voice before a vowel
            kk.setdefault(stem[:-1] + _VOICED[stem[-1]], []).extend(keys)
        for f in forms.split():
            (pre if f.endswith("*") else en).add(f.rstrip("*"))
    return _Lexicon(
        {k: tuple(dict.fromkeys(v)) for k, v in kk.items()}, frozenset(en), frozenset(pre)
    )


def _words(text: str, lang: str) -> set[str]:
    """Word evidence: skeleton prefixes of longer words, and the English forms
    a word matches in the lexicon (for a Kazakh word: all forms of the entry of
    the longest stem it starts with)."""
    keys: set[str] = set()
    lex = _lexicon()
    for w in _WORD.findall(text.lower()):
        if len(w) >= 4 and w not in _STOP:
            sk = _skeleton(w)
            if len(sk) >= 4:
                keys.add("w" + sk[:4])
        if lang == "kk":
            # the longest stem that starts the word: алтын (gold), not алты (six);
            # a short stem matches only short words: айт- (said) but not айтылған
            ids = []
            for n in range(len(w), 1, -1):
                if n > 3 or len(w) <= n + 3:
                    ids = list(lex.kk.get(w[:n], ()))
                    if ids:
                        break
        elif lang == "en":
            ids = [w] if w in lex.en else []
            ids += [w[:n] for n in range(2, len(w) + 1) if w[:n] in lex.en_prefix]
        else:
            ids = []
        keys.update(f"d{k}" for k in ids)
    return keys


_SQRT2 = math.sqrt(2)


def _length_cost(ls: int, lt: int, ratio: float, variance: float = VARIANCE) -> float:
    if ls == 0 and lt == 0:
        return 0.0
    mean = (ls + lt / ratio) / 2
    delta = (lt - ls * ratio) / math.sqrt(max(mean, 1.0) * variance * ratio)
    p = math.erfc(abs(delta) / _SQRT2)  # two-sided tail of a standard normal
    return -math.log(max(p, 1e-12))


# similarity(src_from, src_to, tgt_from, tgt_to) -> 0..1 for a candidate bead
Similarity = Callable[[int, int, int, int], float]


def align_sentences(
    src: Sequence[str],
    tgt: Sequence[str],
    src_lang: str = "kk",
    tgt_lang: str = "en",
    band: int | None = None,
    similarity: Similarity | None = None,
    src_paragraphs: Sequence[int] | None = None,
    tgt_paragraphs: Sequence[int] | None = None,
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
    se = _paragraph_ends(src_paragraphs, n)
    te = _paragraph_ends(tgt_paragraphs, m)
    sa = [_anchors(s, src_lang) for s in src]
    ta = [_anchors(t, tgt_lang) for t in tgt]
    doc = _Doc(
        ls=[len(s) for s in src],
        lt=[len(t) for t in tgt],
        ratio=_first_ratio(src, tgt, src_lang, tgt_lang),
        variance=VARIANCE,
        cs=list(itertools.accumulate(map(len, src), initial=0)),
        ct=list(itertools.accumulate(map(len, tgt), initial=0)),
        sk=_spans([a | _words(s, src_lang) for s, a in zip(src, sa)]),
        tk=_spans([a | _words(t, tgt_lang) for t, a in zip(tgt, ta)]),
        sh=_spans([_hard(s, src_lang, a) for s, a in zip(src, sa)]),
        th=_spans([_hard(t, tgt_lang, a) for t, a in zip(tgt, ta)]),
        se=se,
        te=te,
        paragraphs=any(se[:-1]) and any(te[:-1]),
        similarity=similarity,
    )
    if band:
        beads = _search(doc, _diagonal(n, m, band), 0.0)
    else:
        # Start narrow and widen while the best path runs along the band's edge
        # (where the band, not the evidence, chose it).
        band = 20 + abs(n - m) // 4
        while True:
            rows = _diagonal(n, m, band)
            beads = _search(doc, rows, 0.0)
            if band >= max(n, m) or not _touches_edge(beads, rows, m):
                break
            band *= 2
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
    orphan = ORPHAN * math.log((skips + ORPHAN_SMOOTH) / (merges + ORPHAN_SMOOTH))
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
        doc.variance = (VAR_WEIGHT * VARIANCE + sq) / (VAR_WEIGHT + k)
    return _search(doc, _corridor(beads, n, m), orphan if orphan > 0.05 else 0.0, _prior(beads))


def _first_ratio(src: Sequence[str], tgt: Sequence[str], src_lang: str, tgt_lang: str) -> float:
    """The length ratio (target characters per source character) of the first
    pass: the documents' totals, kept within RATIO_SPREAD of the usual ratio
    of the language pair. A passage missing from one version skews the totals
    (a Kazakh article with half its English deleted reads 0.5 instead of about
    0.95), and a length model that far off pairs everything wrongly."""
    ratio = max(sum(map(len, tgt)), 1) / max(sum(map(len, src)), 1)
    usual = LENGTH_RATIO.get((src_lang, tgt_lang))
    if usual is None and (tgt_lang, src_lang) in LENGTH_RATIO:
        usual = 1 / LENGTH_RATIO[(tgt_lang, src_lang)]
    if usual is None:
        return ratio
    return min(max(ratio, usual / RATIO_SPREAD), usual * RATIO_SPREAD)


def _default_prior() -> dict[tuple[int, int], float]:
    return {**PRIOR, (1, 0): SKIP, (0, 1): SKIP}


def _prior(beads: list[Bead]) -> dict[tuple[int, int], float]:
    """Bead-type costs from the counts of a first alignment, with PRIOR_WEIGHT
    pseudo-beads spread as the default priors are, relative to a 1-1 bead."""
    base = _default_prior()
    p0 = {k: math.exp(-v) for k, v in base.items()}
    z = sum(p0.values())
    counts = dict.fromkeys(base, 0)
    for b in beads:
        counts[(len(b.src), len(b.tgt))] += 1
    p = {k: counts[k] + PRIOR_WEIGHT * p0[k] / z for k in base}
    return {k: -math.log(p[k] / p[(1, 1)]) for k in base}


def _spans(keys: list[set[str]]) -> list[list[frozenset[str]]]:
    """Keys of every run of 1, 2 and 3 sentences (the widest side of a bead):
    ``[w - 1][i]`` holds those of sentences ``i .. i + w - 1``."""
    one = [frozenset(k) for k in keys]
    two = [a | b for a, b in zip(one, one[1:])]
    three = [a | b for a, b in zip(two, one[2:])]
    return [one, two, three]


@dataclass
class _Doc:
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


def _bead_cost(doc: _Doc, pi: int, i: int, pj: int, j: int) -> float:
    """Cost of pairing src[pi:i] with tgt[pj:j] (both non-empty), prior excluded."""
    c = _length_cost(doc.cs[i] - doc.cs[pi], doc.ct[j] - doc.ct[pj], doc.ratio, doc.variance)
    a = doc.sk[i - pi - 1][pi]
    b = doc.tk[j - pj - 1][pj]
    shared = 0 if a.isdisjoint(b) else len(a & b)  # most cells share nothing
    c += MISS * (min(len(a), len(b)) - shared) - BONUS * shared
    ha = doc.sh[i - pi - 1][pi]
    if ha:  # numbers and names are in few sentences
        c += HARD_MISS * len(ha - b)
    hb = doc.th[j - pj - 1][pj]
    if hb:
        c += HARD_MISS * len(hb - a)
    if doc.similarity is not None:
        c -= MODEL_BONUS * doc.similarity(pi, i, pj, j)
    if doc.paragraphs and (any(doc.se[pi : i - 1]) or any(doc.te[pj : j - 1])):
        c += PARAGRAPH  # the pair would join sentences across paragraphs
    return c


def _orphans(doc: _Doc, pi: int, i: int, pj: int, j: int) -> tuple[int, int]:
    """Sentences of a multi-sentence bead whose own keys say too little for the
    other side (see ORPHAN_LLR): how many, and how many keys they hold."""
    if i - pi > 1:
        parts, other = doc.sk[0][pi:i], doc.tk[j - pj - 1][pj]
    else:
        parts, other = doc.tk[0][pj:j], doc.sk[i - pi - 1][pi]
    count = keys = 0
    for x, part in enumerate(parts):
        rest = set().union(*(q for y, q in enumerate(parts) if y != x))
        own = len((part - rest) & other)
        if part and (not own or _evidence_llr(own, min(len(part), len(other))) < ORPHAN_LLR):
            count += 1
            keys += len(part)
    return count, keys


def _diagonal(n: int, m: int, band: int) -> list[tuple[int, int]]:
    return [_span(i * m / n, i * m / n, band, m) for i in range(n + 1)]


def _touches_edge(beads: list[Bead], rows: list[tuple[int, int]], m: int, margin: int = 2) -> bool:
    """Whether an alignment passes within ``margin`` cells of a band edge that
    is not the end of the document."""
    i = j = 0
    for b in beads:
        i, j = i + len(b.src), j + len(b.tgt)
        lo, hi = rows[i]
        if (lo > 0 and j - lo < margin) or (hi < m and hi - j < margin):
            return True
    return False


def _span(lo: float, hi: float, band: int, m: int) -> tuple[int, int]:
    return max(0, int(lo) - band), min(m, int(hi) + band + 1)


def _corridor(beads: list[Bead], n: int, m: int, width: int = 8) -> list[tuple[int, int]]:
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
    return [_span(a, b, width, m) for a, b in zip(lo, hi)]


def _search(
    doc: _Doc,
    rows: list[tuple[int, int]],
    orphan: float,
    prior: dict[tuple[int, int], float] | None = None,
) -> list[Bead]:
    """The dynamic programme over the cells ``rows[i]`` (a range of j) of each row.

    An unaligned sentence that follows one of the same side costs RUN_DISCOUNT
    less than the first of a run (down to RUN_FLOOR): a whole passage missing
    from one version is one event, not a dozen independent ones.
    """
    prior = prior or _default_prior()
    n, m = len(doc.ls), len(doc.lt)
    se, te = doc.se, doc.te
    inf = float("inf")
    run_cost = {side: max(RUN_FLOOR, prior[side] - RUN_DISCOUNT) for side in ((1, 0), (0, 1))}
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
                    c = prev + prior[(di, dj)] + _bead_cost(doc, pi, i, pj, j)
                    if orphan and (di > 1 or dj > 1):
                        count, keys = _orphans(doc, pi, i, pj, j)
                        c += orphan * count + ORPHAN_PER_KEY * keys
                    elif orphan:  # a 1-1 pair in a document with many deletions
                        c += WEAK * _weakness(doc.sk[0][pi], doc.tk[0][pj])
                if doc.paragraphs and 0 < i < n and 0 < j < m and se[i - 1] and te[j - 1]:
                    c -= PARAGRAPH  # both documents are at a paragraph end here
                    if di == 0 or dj == 0:
                        row_run[side][j - lo] = c
                if c < best:
                    best, arg = c, k
            row_cost[j - lo] = best
            row_back[j - lo] = arg

    def at(table: list[list], i: int, j: int):
        return table[i][j - rows[i][0]]

    if not rows[n][0] <= m <= rows[n][1] or at(back, n, m) < 0:  # band too narrow: widen
        return _search(doc, [(0, m)] * (n + 1), orphan, prior)
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
            gain = (di + dj) * SKIP - step
            evidence = _evidence_confidence(len(a & b), min(len(a), len(b)))
            score = min(1 / (1 + math.exp(-gain)), evidence)
        beads.append(Bead(tuple(range(i - di, i)), tuple(range(j - dj, j)), score))
        i, j = i - di, j - dj
    beads.reverse()
    return beads


def _paragraph_ends(paragraphs: Sequence[int] | None, n: int) -> list[bool]:
    """For each sentence, whether it is the last of its paragraph."""
    if paragraphs is None or len(paragraphs) != n:
        return [False] * (n - 1) + [True] if n else []
    return [k == n - 1 or paragraphs[k] != paragraphs[k + 1] for k in range(n)]


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


def chrf_similarity(translations: Sequence[str], tgt: Sequence[str]) -> Similarity:
    """Bead similarity from machine translations of the source sentences (Bleualign style).

    The chrF of the joined translations of the bead's source sentences against
    its joined target sentences, minus a floor (chrF of unrelated sentences of
    one language is far from zero), clipped to 0..1. N-gram counts are made
    once per run of sentences and reused across candidate beads.
    """
    # Profiles are kept (at most three runs per sentence on each side). Scores
    # are kept for the second pass, which asks again for the cells near the
    # first pass's path, but only up to SIMILARITY_MEMO of them: a memo of every
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
        if len(memo) >= SIMILARITY_MEMO:
            memo.clear()
        memo[key] = min(1.0, max(0.0, (value - CHRF_FLOOR) / (1 - CHRF_FLOOR)))
        return memo[key]

    return similarity


CHRF_FLOOR = 0.15
# chrF scores kept between the two passes (about 100 bytes each)
SIMILARITY_MEMO = 200_000

# How much more often true pairs than neighbouring non-pairs share s keys
# (columns, 0..8+) when the smaller side has n keys (rows: n < 3, < 6, < 10,
# < 16, more), as a log ratio, measured on the dev file's clean documents and
# made non-decreasing in s. It turns shared evidence into a confidence.
_EVIDENCE_LLR = (
    (-0.6, 2.3, 2.3, 2.3, 2.3, 2.3, 2.3, 2.3, 2.3),
    (-1.7, 0.8, 2.6, 2.6, 2.6, 2.6, 2.6, 2.6, 2.6),
    (-2.8, 0.0, 1.9, 2.2, 3.4, 3.4, 3.4, 3.4, 3.4),
    (-4.3, -1.4, 0.7, 1.5, 2.8, 2.9, 5.0, 5.0, 5.0),
    (-6.1, -3.0, -1.8, -1.2, 0.1, 1.5, 2.1, 2.7, 4.2),
)


def _evidence_llr(shared: int, smaller: int) -> float:
    row = (
        0 if smaller < 3 else 1 if smaller < 6 else 2 if smaller < 10 else 3 if smaller < 16 else 4
    )
    return _EVIDENCE_LLR[row][min(shared, 8)]


def _evidence_confidence(shared: int, smaller: int) -> float:
    return 1 / (1 + math.exp(-_evidence_llr(shared, smaller)))


def _weakness(a: frozenset[str], b: frozenset[str]) -> float:
    """How far the keys two sentences share fall below what a true pair of their
    size shares: 0 unless the evidence speaks against the pair by more than
    WEAK_MARGIN (log ratio)."""
    return max(0.0, -_evidence_llr(len(a & b), min(len(a), len(b))) - WEAK_MARGIN)


# Pairs below this confidence are flagged low_alignment. On the dev file's
# deletion and mixed documents it flags 6% of pairs and 5 of the 21 wrong ones.
LOW_SCORE = 0.3


def _warn_language(doc_id: str, texts: list[str], lang: str, option: str) -> None:
    """Warn when most of a side's sentences look like another language (files
    given in the wrong order, or the wrong file); the alignment still runs."""
    from collections import Counter

    from translate.text.language import LANGUAGE_NAMES, guess_language

    guesses = Counter(g for g in map(guess_language, texts) if g and g != lang)
    if not guesses:
        return
    other, n = guesses.most_common(1)[0]
    if n > len(texts) / 2:
        logging.getLogger("translate").warning(
            "%s: most sentences look %s, but %s is %s (are the files in the right order?)",
            doc_id,
            LANGUAGE_NAMES[other],
            option,
            lang,
        )


def evidence_texts(document: str, sentences: Sequence[str], lang: str) -> list[str]:
    """The sentences of ``document`` as the aligner (and the model, with
    ``--model``) read them: normalised as the model gets them (look-alike
    letters repaired, Latin-script Kazakh in Cyrillic, lost letters guessed),
    so Kazakh words meet the word list; the output keeps the text."""
    from translate.text.normalize import DocumentWords, normalize_for_model

    context = DocumentWords(document) if lang == "kk" else None
    return [normalize_for_model(s, lang, "auto", context).text for s in sentences]


def align_documents(src_doc, tgt_doc, src_lang: str = "kk", tgt_lang: str = "en", translator=None):
    """Segment two documents and align them into one :class:`DocumentResult`.

    Each bead becomes a record: ``source``/``translation`` hold the bead's
    sentences joined by spaces (one side empty for an unaligned sentence, which
    is kept and flagged ``unaligned``); ``score`` is the alignment score (0..1)
    and a low one is flagged ``low_alignment``. With a ``translator`` the source
    sentences are machine-translated and each candidate pair is also scored by
    the chrF of that translation against the target (:data:`MODEL_METHOD`).
    """
    from translate.pipeline import segment_document
    from translate.records import DocumentResult, Flag, Record

    ss = segment_document(src_doc, src_lang)
    ts = segment_document(tgt_doc, tgt_lang)
    logging.getLogger("translate").info(
        "aligning %d %s and %d %s sentences", len(ss), src_lang, len(ts), tgt_lang
    )
    _warn_language(src_doc.id, [s.text for s in ss], src_lang, "--src")
    _warn_language(tgt_doc.id, [t.text for t in ts], tgt_lang, "--tgt")
    src_texts = evidence_texts(src_doc.text, [s.text for s in ss], src_lang)
    tgt_texts = evidence_texts(tgt_doc.text, [t.text for t in ts], tgt_lang)
    similarity = None
    if translator is not None and ss and ts:
        # the model gets the same normalised sentences the aligner reads
        machine = [t.text for t in translator.translate(src_texts, src_lang, tgt_lang)]
        similarity = chrf_similarity(machine, [t.text for t in ts])
    beads = align_sentences(
        src_texts,
        tgt_texts,
        src_lang,
        tgt_lang,
        similarity=similarity,
        src_paragraphs=[s.paragraph for s in ss],
        tgt_paragraphs=[t.paragraph for t in ts],
    )
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
