"""Quality flags: reasons for a reviewer to look at a pair.

Each check returns a :class:`Flag` with a short code and a sentence saying
why. Thresholds live in :class:`QualityThresholds` (documented in the README
and settable from the CLI).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, replace

from translate.errors import UsageError
from translate.records import Flag, Record

FLAG_CODES = (
    "empty",
    "copy",
    "script",
    "numbers",
    "repetition",
    "length_ratio",
    "low_confidence",
    "split",
    "truncated",
    "markup",  # documents: inline markup dropped or moved (translate.documents)
)


@dataclass(frozen=True)
class QualityThresholds:
    """Limits of the quality checks.

    Attributes:
        min_score: Mean token log-probability under which a pair is
            ``low_confidence``.
        min_length_ratio, max_length_ratio: Bounds of translation/source length
            in characters, checked when the source has ``min_chars`` or more.
        min_chars: Shortest source for the length-ratio check.
        max_foreign_script: Largest share of letters in the wrong script.
        repeat_times: A word n-gram (n ≤ 4) or a character pattern repeated
            this many times in a row is a ``repetition`` loop.
    """

    min_score: float = -1.5
    min_length_ratio: float = 0.4
    max_length_ratio: float = 2.5
    min_chars: int = 20
    max_foreign_script: float = 0.2
    repeat_times: int = 4

    def __post_init__(self) -> None:
        if not 0 < self.min_length_ratio < self.max_length_ratio:
            raise UsageError("length ratio bounds must satisfy 0 < min < max")
        if not 0 <= self.max_foreign_script <= 1:
            raise UsageError("max_foreign_script must be between 0 and 1")
        if self.repeat_times < 2:
            raise UsageError("repeat_times must be at least 2")


_MONTHS = {
    # English
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
    # Kazakh (stems: қаңтарда, ақпанның ...)
    "қаңтар": 1,
    "ақпан": 2,
    "наурыз": 3,
    "сәуір": 4,
    "мамыр": 5,
    "маусым": 6,
    "шілде": 7,
    "тамыз": 8,
    "қыркүйек": 9,
    "қазан": 10,
    "қараша": 11,
    "желтоқсан": 12,
}
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_DATE_ISO = re.compile(r"\b(\d{4})[-./](\d{1,2})[-./](\d{1,2})\b")


_TOKEN = re.compile(
    r"(?P<num>\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?!\d)|\d+(?:[.,]\d+)*)|(?P<word>[^\W\d_]+)"
)


def _numbers(text: str, lang: str) -> Counter[str]:
    """Numeric values in ``text``, normalised so that format differences vanish.

    ``1,5`` and ``1.5`` are equal; ``1 300``, ``1,300`` and ``1300`` are equal;
    an ISO date counts as its year, month and day, and a month name next to a
    number (``February 23``, ``15 наурызда``) as its month number. A month
    name alone (``may``, ``march``, ``Қазан`` the city) is not a number.
    """
    values: Counter[str] = Counter()
    for m in _DATE_ISO.finditer(text):
        y, mo, d = m.groups()
        values.update([str(int(y)), str(int(mo)), str(int(d))])
    tokens = [(m.lastgroup, m.group()) for m in _TOKEN.finditer(_DATE_ISO.sub(" ", text))]
    for i, (kind, tok) in enumerate(tokens):
        if kind == "num":
            values[_normalise_number(tok)] += 1
            continue
        # a month name counts next to a number (23 ақпан, February 23)
        if any(0 <= k < len(tokens) and tokens[k][0] == "num" for k in (i - 1, i + 1)):
            month = _month(tok.lower())
            if month:
                values[str(month)] += 1
    return values


def _month(word: str) -> int | None:
    for stem, month in _MONTHS.items():
        if word == stem or (len(stem) > 4 and word.startswith(stem)):
            return month
    return None


def _normalise_number(s: str) -> str:
    s = s.replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    parts = re.split(r"[.,]", s)
    if len(parts) > 1 and all(len(p) == 3 for p in parts[1:]) and len(parts[0]) <= 3:
        s = "".join(parts)  # 1,300 / 1.300 thousands separators
    else:
        s = s.replace(",", ".")
    if "." in s:
        s = s.rstrip("0").rstrip(".") or "0"
    return s.lstrip("0") or "0"


def _letters(text: str) -> tuple[int, int, int]:
    cyr = lat = 0
    for ch in text:
        if ch.isalpha():
            name = unicodedata.name(ch, "")
            if name.startswith("CYRILLIC"):
                cyr += 1
            elif name.startswith("LATIN"):
                lat += 1
    return cyr, lat, cyr + lat


def repetition_loop(text: str, times: int = 4) -> str | None:
    """The word n-gram (n <= 4) or character pattern repeated ``times`` times in a
    row in ``text`` (a model stuck in a loop), or None."""
    words = text.split()
    for n in range(1, 5):
        for i in range(0, max(0, len(words) - n * times + 1)):
            gram = words[i : i + n]
            if all(words[i + k * n : i + (k + 1) * n] == gram for k in range(1, times)):
                return " ".join(gram)
    m = re.search(r"(\S{2,}?)\1{" + str(times - 1) + ",}", text)
    if m:
        return m.group(1)
    return None


def check_pair(
    source: str,
    translation: str,
    src_lang: str,
    tgt_lang: str,
    score: float | None,
    thresholds: QualityThresholds | None = None,
) -> tuple[Flag, ...]:
    """Quality flags for one pair (``split``/``truncated`` come from the translator)."""
    th = thresholds or QualityThresholds()
    flags: list[Flag] = []
    src_has_words = bool(_WORD.search(source))
    tgt = translation.strip()
    if not tgt:
        if any(not c.isspace() and unicodedata.category(c) != "Cf" for c in source):
            flags.append(Flag("empty", "the translation is empty"))
        return tuple(flags)
    if src_has_words and " ".join(tgt.split()) == " ".join(source.split()):
        flags.append(Flag("copy", "the translation is a copy of the source"))
    cyr, lat, total = _letters(tgt)
    if total >= 4:
        if tgt_lang == "en" and cyr / total > th.max_foreign_script:
            flags.append(
                Flag("script", f"Cyrillic letters left in English output ({cyr} of {total})")
            )
        if tgt_lang == "kk" and lat / total > 1 - th.max_foreign_script and cyr == 0:
            flags.append(Flag("script", "Latin-only output for Kazakh"))
        elif tgt_lang == "kk" and lat / total > 0.5:
            flags.append(
                Flag("script", f"mostly Latin letters in Kazakh output ({lat} of {total})")
            )
    ns, nt = _numbers(source, src_lang), _numbers(tgt, tgt_lang)
    missing = sorted((ns - nt).elements())
    extra = sorted((nt - ns).elements())
    if missing or extra:
        parts = []
        if missing:
            parts.append("not in the translation: " + ", ".join(missing))
        if extra:
            parts.append("not in the source: " + ", ".join(extra))
        flags.append(Flag("numbers", "numbers differ (" + "; ".join(parts) + ")"))
    rep = repetition_loop(tgt, th.repeat_times)
    if rep is not None:
        flags.append(
            Flag("repetition", f"repetition loop: {rep[:30]!r} repeated {th.repeat_times}+ times")
        )
    if len(source.strip()) >= th.min_chars:
        ratio = len(tgt) / len(source.strip())
        if not th.min_length_ratio <= ratio <= th.max_length_ratio:
            flags.append(
                Flag(
                    "length_ratio",
                    f"length ratio {ratio:.2f} is outside {th.min_length_ratio}–{th.max_length_ratio}",
                )
            )
    if score is not None and score < th.min_score:
        flags.append(
            Flag("low_confidence", f"model confidence {score:.2f} is below {th.min_score}")
        )
    return tuple(flags)


# The flags check_pair gives, recomputed by recheck; the others (split,
# normalized, language, unaligned...) are about the source or the alignment.
RECHECKED = ("empty", "copy", "script", "numbers", "repetition", "length_ratio", "low_confidence")
# Flags about the machine's output: gone once a person edited or accepted it.
MACHINE_FLAGS = ("truncated", "low_confidence")


def recheck(
    r: Record, thresholds: QualityThresholds | None = None, aligned: bool = False
) -> Record:
    """``r`` with its quality flags computed again on its current translation
    (``translate check``): the flags of :data:`RECHECKED` replaced, the others
    kept in their order. A translation a person edited (``mt`` differs), or
    reviewed or approved, is not the model's output any more: its score and
    ``truncated`` no longer flag it. An alignment's score is a confidence, not
    a log-probability, and is not checked."""
    human = (r.mt is not None and r.mt != r.translation) or r.review in ("reviewed", "approved")
    score = None if aligned or human else r.score
    fresh = check_pair(r.source, r.translation, r.src_lang, r.tgt_lang, score, thresholds)
    kept = tuple(
        f for f in r.flags if f.code not in RECHECKED and not (human and f.code in MACHINE_FLAGS)
    )
    seen = {f.code for f in kept}
    return replace(r, flags=kept + tuple(f for f in fresh if f.code not in seen))
