"""What the search knows of a document pair, computed once for both passes:
sentence lengths, the evidence keys of every run of 1–3 sentences, and the
same keys as integer arrays for :mod:`~translate.align.cells`, which costs a
whole band of cells at once.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from translate.align.chrf import Similarity
from translate.align.params import AlignParams


def spans(keys: list[set[str]]) -> list[list[frozenset[str]]]:
    """Keys of every run of 1, 2 and 3 sentences (the widest side of a bead):
    ``[w - 1][i]`` holds those of sentences ``i .. i + w - 1``."""
    one = [frozenset(k) for k in keys]
    two = [a | b for a, b in zip(one, one[1:])]
    three = [a | b for a, b in zip(two, one[2:])]
    return [one, two, three]


class Sets:
    """A list of sets of integer ids in two arrays: set ``k`` holds
    ``ids[ptr[k]:ptr[k + 1]]``. ``size[k]`` is the size of the set it stands
    for, which may hold more (keys that cannot match are left out)."""

    def __init__(self, sets: Sequence[Iterable[int]], size: Sequence[int] | None = None):
        counts = [len(s) for s in sets]  # type: ignore[arg-type]
        self.size = np.array(counts if size is None else size, dtype=np.int64)
        self.ptr = np.zeros(len(sets) + 1, dtype=np.int64)
        np.cumsum(counts, out=self.ptr[1:])
        self.ids = np.fromiter(itertools.chain.from_iterable(sets), np.int64, int(self.ptr[-1]))
        self._by_id: tuple[np.ndarray, np.ndarray] | None = None

    def postings(self, stride: int) -> np.ndarray:
        """Every (id, set) pair as ``id * stride + set``, sorted: where each id occurs."""
        where = np.repeat(np.arange(len(self.ptr) - 1, dtype=np.int64), np.diff(self.ptr))
        return np.sort(self.ids * stride + where)

    def by_id(self) -> tuple[np.ndarray, np.ndarray]:
        """Every (id, set) pair as two arrays, sorted by id, then set."""
        if self._by_id is None:
            stride = len(self.ptr)
            pairs = self.postings(stride)
            self._by_id = pairs // stride, pairs % stride
        return self._by_id


class KeyIndex:
    """The evidence keys of a document pair as integer ids, in the shapes the
    bulk costs read: the source side's runs of 1–3 sentences as :class:`Sets`,
    the target side's sentences as sorted postings (``id * stride + sentence``)
    and the sizes of its runs."""

    def __init__(self, doc: DocFeatures):
        ids: dict[str, int] = {}
        for run in (doc.tk[0], doc.th[0]):  # target keys first: source keys beyond cannot match
            for keys in run:
                for k in keys:
                    ids.setdefault(k, len(ids))
        self.ids = ids
        self.stride = len(doc.lt) + 1
        # source runs: evidence keys and hard keys, by width (index 0: one sentence)
        self.src = [self._sets(run) for run in doc.sk]
        self.src_hard = [self._sets(run) for run in doc.sh]
        self.tgt = self._sets(doc.tk[0]).postings(self.stride)
        self.tgt_hard = self._sets(doc.th[0]).postings(self.stride)
        self.tgt_size = [np.array([len(s) for s in run], dtype=np.int64) for run in doc.tk]
        self.tgt_hard_size = [np.array([len(s) for s in run], dtype=np.int64) for run in doc.th]
        self._sentences = {"src": doc.sk[0], "tgt": doc.tk[0]}
        self._own: dict[tuple[str, int, int], Sets | np.ndarray] = {}

    def _sets(self, sets: Sequence[frozenset[str]]) -> Sets:
        """The sets as ids, without the keys the target side lacks (their sizes kept)."""
        numbered = [[x for x in map(self.ids.get, s) if x is not None] for s in sets]
        return Sets(numbered, [len(s) for s in sets])

    def own(self, side: str, width: int, part: int) -> Sets | np.ndarray:
        """Keys of sentence ``part`` of each run of ``width`` sentences that the
        run's other sentences lack, by the run's first sentence: :class:`Sets`
        for the source, postings for the target."""
        key = (side, width, part)
        if key not in self._own:
            one = self._sentences[side]
            parts = []
            for start in range(len(one) - width + 1):
                rest = frozenset().union(*(one[start + y] for y in range(width) if y != part))
                parts.append(one[start + part] - rest)
            made = self._sets(parts)
            self._own[key] = made if side == "src" else made.postings(self.stride)
        return self._own[key]


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
    cells: int = 0  # cells the searches evaluated (a measure of work)
    _index: KeyIndex | None = field(default=None, repr=False)

    @property
    def index(self) -> KeyIndex:
        """The keys as integer arrays, made on first use."""
        if self._index is None:
            self._index = KeyIndex(self)
        return self._index
