"""Evidence that two sentences translate each other, across the language barrier.

* anchors: numbers and dates, Latin tokens (names, acronyms), capitalised
  Kazakh names transliterated to Latin, question marks and quotes;
* shared words: every longer word reduced to a spelling skeleton (Kazakh
  transliterated, ``Комиссия`` and ``Commission`` both ``komi``), which finds
  loanwords and names, and a hand-written Kazakh–English list of about 1,300
  everyday news words (``data/align/kk_en.txt``: ``жыл`` ~ ``year``); a word
  pair found through the list shares the English form it matched, so synonyms
  (``облыс``, ``өңір`` ~ ``region``) count once;
* hard keys, which a translation keeps: numbers, and Latin names inside
  Cyrillic text.

Each sentence becomes a set of string keys; beads compare the sets.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

from translate.align.params import DEFAULT, AlignParams
from translate.quality import _numbers
from translate.text.wordlists import VOICED

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


_DIGIT = re.compile(r"\d")


_CAP_WORD = re.compile(r"\b[^\W\d_][\w'-]*", re.UNICODE)


@lru_cache(maxsize=1 << 16)
def _name_key(word: str) -> str:
    w = word.lower().translate(_TRANSLIT)
    w = re.sub(r"[^a-z]", "", w)
    w = w.replace("kh", "h").replace("zh", "j").replace("y", "i")
    return w[:5]


@lru_cache(maxsize=1 << 16)
def _name_keys(word: str) -> tuple[str, ...]:
    """Keys of a capitalised word inside a sentence: its name key and its
    consonants, which survive English spelling (Трамп ~ Trump)."""
    cons = _NON_CONSONANT.sub("", _skeleton(word))
    return ("@" + _name_key(word),) + (("n" + cons[:5],) if len(cons) >= 3 else ())


def anchors(text: str, lang: str) -> set[str]:
    # numbers need a digit (most sentences have none)
    keys = {f"#{n}" for n in _numbers(text, lang)} if _DIGIT.search(text) else set()
    words = _CAP_WORD.findall(text)
    for i, w in enumerate(words):
        if len(w) >= 3 and w[0].isupper() and i > 0:  # capitalised inside a sentence: a name
            keys.update(_name_keys(w))
        if w.isascii() and len(w) >= 2 and (w.isupper() or i > 0 and w[0].isupper()):
            keys.add("@" + _name_key(w))
    for q in ("?", "!", "«", "“", '"'):
        if q in text:
            keys.add("q" if q in '«“"' else q)
    return keys


def hard_keys(text: str, lang: str, anchors: set[str]) -> set[str]:
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
        if stem[-1] in VOICED:  # нарық -> нарығы: к, қ, п voice before a vowel
            kk.setdefault(stem[:-1] + VOICED[stem[-1]], []).extend(keys)
        for f in forms.split():
            (pre if f.endswith("*") else en).add(f.rstrip("*"))
    return _Lexicon(
        {k: tuple(dict.fromkeys(v)) for k, v in kk.items()}, frozenset(en), frozenset(pre)
    )


def words(text: str, lang: str) -> set[str]:
    """Word evidence: skeleton prefixes of longer words, and the English forms
    a word matches in the lexicon (for a Kazakh word: all forms of the entry of
    the longest stem it starts with)."""
    keys: set[str] = set()
    for w in _WORD.findall(text.lower()):
        keys.update(_word_keys(w, lang))
    return keys


@lru_cache(maxsize=1 << 17)  # words repeat: a book has far fewer words than tokens
def _word_keys(w: str, lang: str) -> tuple[str, ...]:
    """The keys of one lower-case word (see :func:`words`)."""
    keys = []
    if len(w) >= 4 and w not in _STOP:
        sk = _skeleton(w)
        if len(sk) >= 4:
            keys.append("w" + sk[:4])
    lex = _lexicon()
    if lang == "kk":
        # the longest stem that starts the word: алтын (gold), not алты (six);
        # a short stem matches only short words: айт- (said) but not айтылған
        ids: list[str] = []
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
    return tuple(keys + [f"d{k}" for k in ids])


def evidence_llr(shared: int, smaller: int, p: AlignParams = DEFAULT) -> float:
    """How much likelier ``shared`` shared keys are for a true pair than for a
    false one, when the smaller side has ``smaller`` keys (a log ratio)."""
    row = (
        0 if smaller < 3 else 1 if smaller < 6 else 2 if smaller < 10 else 3 if smaller < 16 else 4
    )
    return p.evidence_llr[row][min(shared, 8)]


def evidence_confidence(shared: int, smaller: int, p: AlignParams = DEFAULT) -> float:
    return 1 / (1 + math.exp(-evidence_llr(shared, smaller, p)))


def weakness(a: frozenset[str], b: frozenset[str], p: AlignParams = DEFAULT) -> float:
    """How far the keys two sentences share fall below what a true pair of their
    size shares: 0 unless the evidence speaks against the pair by more than
    ``p.weak_margin`` (log ratio)."""
    return max(0.0, -evidence_llr(len(a & b), min(len(a), len(b)), p) - p.weak_margin)
