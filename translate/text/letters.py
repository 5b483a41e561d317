"""Kazakh letters lost on the way, guessed back for the model.

Two kinds of damage leave Kazakh text without its own letters (ә ғ қ ң ө ұ ү
һ і): a code page that lacks them (CP1251, ASCII) writes "?" for each
(``А?мола облысыны? ?кімі``), and people typing on Russian keyboards put the
nearest Russian letter in their place (``Акмола облысынын акими``). The
letters cannot be read back exactly; these functions guess them from known
words and stems, the neighbouring letters and vowel harmony, for the model
only (records keep the text as given).
"""

from __future__ import annotations

import re
from functools import lru_cache

from translate.text.wordlists import VOICED, compounds, front_words, names

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def _is_cyr(ch: str) -> bool:
    return "\u0400" <= ch <= "\u04ff"


# Kazakh saved through a code page without its letters (CP1251, ASCII) has
# "?" for each of ә ө ү ұ ғ қ ң һ: "А?мола облысыны? ?кімі". The letters are
# lost; the model gets a guess from the neighbours and vowel harmony (see
# restore_lost_letters), the output keeps the "?".
_LOST_INSIDE = re.compile(r"[\u0400-\u04ff]\?+[\u0400-\u04ff]")
_LOST_WORD = re.compile(r"[\u0400-\u04ff?]*[\u0400-\u04ff][\u0400-\u04ff?]*")
_LOST_VOWELS = set("аәеиоөұүуыіэюяАӘЕИОӨҰҮУЫІЭЮЯ")
_LOST_FRONT = set("әеөүіэкгӘЕӨҮІЭКГ")
_LOST_BACK = set("аоұыяқғАОҰЫЯҚҒ")
_VOICED_BEFORE = set("лрнңмзжбгвдЛРНҢМЗЖБГВД")


# The front vowel a lost letter most often is, by the letter before it and the
# next vowel ("" before: any letter; "^": the word start; next "": none).
_FRONT_VOWEL = {
    ("^", "і"): "ө", ("^", "е"): "ә", ("^", ""): "ө",
    ("к", "е"): "ө", ("к", "і"): "ү", ("к", ""): "ө", ("к", "а"): "ө",
    ("т", "і"): "ү", ("т", "е"): "ү", ("т", ""): "ө",
    ("м", "і"): "ү", ("ж", "і"): "ү", ("ж", "е"): "ү",
    ("с", "і"): "ө", ("б", "е"): "ө", ("б", "і"): "ү", ("д", "е"): "ү",
    ("", "і"): "ү", ("", "е"): "ә", ("", ""): "ө", ("", "ә"): "ү",
}  # fmt: skip


def has_lost_letters(text: str) -> bool:
    """Whether ``text`` looks like Kazakh whose own letters became "?" (at
    least two "?" inside Cyrillic words, before a lower-case letter: not a
    question glued to the next sentence, ``Неге?Біз``)."""
    return sum(1 for m in _LOST_INSIDE.finditer(text) if m.group()[-1].islower()) >= 2


def _lost_letter(word: str, i: int, front: bool) -> str:
    """A guess for the Kazakh letter lost at ``word[i]`` (a "?")."""
    prev = word[i - 1] if i else ""
    nxt = word[i + 1] if i + 1 < len(word) else ""
    prev_v, next_v = prev in _LOST_VOWELS, nxt in _LOST_VOWELS
    if nxt == "?":
        vowel = bool(prev) and not prev_v  # a consonant, then two letters lost: ұ/ө
    elif not prev:
        vowel = bool(nxt) and not next_v
    else:
        vowel = not prev_v and not next_v and bool(nxt)
    if vowel:
        if not front:
            c = "ұ" if i else ("ө" if not any(ch in _LOST_BACK for ch in word) else "ұ")
        else:
            following = next((ch.lower() for ch in word[i + 1 :] if ch in _LOST_VOWELS), "")
            key = (prev.lower() or "^", following)
            c = _FRONT_VOWEL.get(key) or _FRONT_VOWEL.get(("", following), "ә")
    elif not prev:
        c = "қ"
    elif front:
        c = "ң"
    elif prev_v and next_v:
        c = "ғ"
    elif prev_v and not nxt:
        before = word[i - 2].lower() if i >= 2 else ""
        c = "ң" if prev.lower() in "ыі" and before in ("н", "д", "т", "с") else "қ"
    elif prev_v:
        c = "қ"
    else:
        c = "ғ" if prev in _VOICED_BEFORE and nxt else "қ"
    return c


@lru_cache(maxsize=1)
def _kazakh_stems() -> tuple[tuple[str, ...], frozenset[str]]:
    """Frequent Kazakh words (in the list's order), and the stems of the
    aligner's and the ө/ү lists."""
    from importlib import resources

    data = resources.files("translate").joinpath("data")
    common = data.joinpath("normalize/kk_common_words.txt").read_text("utf-8").splitlines()
    first = tuple(dict.fromkeys(x.strip() for x in common if x.strip() and not x.startswith("#")))
    stems = set(front_words()) | {c.replace(" ", "") for c in compounds()} | set(names())
    text = data.joinpath("align/kk_en.txt").read_text("utf-8")
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            stem = line.split("\t")[0].strip()
            stems.add(stem)
            if stem[-1:] in VOICED:  # нарық -> нарығы
                stems.add(stem[:-1] + VOICED[stem[-1]])
    return first, frozenset(x.lower() for x in stems)


# suffixes that make a common adjective of a name: қытайлық, қазақстандық
_ADJECTIVE = ("лық", "лік", "дық", "дік", "тық", "тік")


def _is_name(guess: str) -> bool:
    """Whether a guessed word is a listed name with case endings (Қытайдың),
    not an adjective made of it (қытайлық)."""
    low = guess.lower()
    for name in names():
        if low.startswith(name.lower()):
            return not low[len(name) :].startswith(_ADJECTIVE)
    return False


def _spelling_table(spell) -> dict[str, str]:
    """Known stems by a damaged spelling of theirs (``spell``), where it is
    unique or a frequent word has it."""
    first, stems = _kazakh_stems()
    table: dict[str, set[str]] = {}
    for stem in stems:
        key = spell(stem)
        if key != stem and len(stem) >= 2:
            table.setdefault(key, set()).add(stem)
    taken = set()
    for word in first:  # the frequent words win a spelling they share with a stem,
        key = spell(word)  # the first listed one among themselves
        if key not in taken:
            table[key] = {word}
            taken.add(key)
    return {k: next(iter(v)) for k, v in table.items() if len(v) == 1}


@lru_cache(maxsize=1)
def _lost_stems() -> dict[str, str]:
    """Stems by their spelling with lost letters as "?" (``?кім`` -> ``әкім``)."""
    return _spelling_table(_mask)


def _mask(word: str) -> str:
    return "".join("?" if ch in _LOST_LETTERS else ch for ch in word.lower())


_RUSSIFY = str.maketrans("әөүұқғңіһ", "аоуукгних")


@lru_cache(maxsize=1)
def russified_common_words() -> frozenset[str]:
    """The frequent-word list as typed with Russian letters (``жане``, ``бул``)."""
    first, _ = _kazakh_stems()
    return frozenset(w.lower().translate(_RUSSIFY) for w in first)


@lru_cache(maxsize=1)
def _russified_stems() -> dict[str, str]:
    """Stems by their spelling in Russian letters (``акім``... ``аким`` -> ``әкім``)."""
    return _spelling_table(lambda w: w.lower().translate(_RUSSIFY))


_LOST_LETTERS = set("әөүұғқңһ")


def _fill_from_stem(word: str, end: int) -> str:
    """Fill the "?"s of ``word[:end]`` that the longest known stem settles."""
    table = _lost_stems()
    low = word.lower()
    for n in range(min(end, len(word)), 1, -1):
        stem = table.get(low[:n])
        if stem is None or (n < 4 and n != len(word)):
            continue  # a short entry only as a whole word
        return "".join(stem[i] if ch == "?" and i < n else ch for i, ch in enumerate(word))
    return word


_RU_FRONT = set("еэәөүі")
_RU_BACK = set("ыяұқғ")
_RU_VOWELS = set("аәеиоөұүуыіэюя")


@lru_cache(maxsize=1)
def _loans() -> frozenset[str]:
    """Loans that keep Russian letters in Kazakh (``компания``, ``министр``)."""
    from importlib import resources

    text = resources.files("translate").joinpath("data/normalize/kk_loans.txt").read_text("utf-8")
    return frozenset(x.strip() for x in text.splitlines() if x.strip() and not x.startswith("#"))


def _loan_length(low: str) -> int:
    """Length of the longest listed loan that starts ``low`` (four letters or
    more, or the whole word), or 0."""
    loans = _loans()
    for n in range(len(low), 1, -1):
        if (n >= 4 or n == len(low)) and low[:n] in loans:
            return n
    return 0


def _russified_word(word: str, keep_i: bool = False) -> str:
    """One word of Kazakh typed with Russian letters, its own letters guessed."""
    low = word.lower()
    out = list(low)
    table = _russified_stems()
    for n in range(len(low), 1, -1):
        stem = table.get(low[:n])
        if stem is not None and keep_i:
            stem = None if "і" in stem else stem  # і is typed where it stands
        if stem is not None and (n >= 4 or n == len(low)):
            out[:n] = stem
            break
    else:
        n = 0
    listed = _loan_length(low)
    loan = False
    if listed > n:  # a listed loan keeps its letters; its suffixes follow its last vowel
        out, n = list(low), listed
        vowels = [ch for ch in low[:n] if ch in _RU_VOWELS]
        is_front = bool(vowels) and vowels[-1] in "еиэю"
    else:
        loan = any(ch in "вфцчщэёю" for ch in low) or (
            len(low) > 1 and low[0] not in _RU_VOWELS and low[1] not in _RU_VOWELS
        )  # an unlisted Russian loan keeps all its letters: вагон, старт
        # -мен/-пен/-бен do not follow vowel harmony
        core = out[:-3] if low.endswith(("мен", "пен", "бен")) and len(low) > 5 else out
        front = sum(ch in _RU_FRONT for ch in core)
        back = sum(ch in _RU_BACK for ch in core)
        if front == back:
            front = int(low.endswith(("и", "ин", "иң")) and "ы" not in low)
        is_front = front > back
    if not loan:
        for i in range(n, len(out)):
            ch, prev = out[i], out[i - 1] if i else ""
            nxt = out[i + 1] if i + 1 < len(out) else ""
            if is_front:
                if ch == "а":
                    out[i] = "ә"
                elif ch == "о":
                    out[i] = "ө"
                elif ch == "у" and prev not in _RU_VOWELS and nxt:
                    out[i] = "ү"  # a final -у is the verbal noun: беру
                elif ch == "и" and nxt != "й" and not keep_i:
                    out[i] = "і"
            else:
                if ch == "к":
                    out[i] = "қ"
                elif ch == "г":
                    out[i] = "ғ"
                elif ch == "у" and prev and nxt and not {prev, nxt} & _RU_VOWELS:
                    out[i] = "ұ"
    i = len(out) - 1
    if (
        out[i] == "н"
        and i >= max(n, 2)
        and out[i - 1] in "ыиі"
        and (
            out[i - 2] in "нд"
            or (out[i - 2] == "т" and i >= 3 and out[i - 3] not in _RU_VOWELS | {"й"})
        )
    ):
        # the genitive -ның, -дың, and -тың after a consonant (Трамптың, loans
        # too); after a vowel or й, -тын is the participle (болатын, ойнайтын)
        out[i] = "ң"
    if loan and low.endswith("ык"):
        out[-1] = "қ"  # a loan with a Kazakh suffix: экономикалық
    return "".join(o.upper() if c.isupper() else o for c, o in zip(word, out))


def restore_kazakh_letters(text: str, keep_i: bool = False) -> str:
    """Kazakh typed with Russian letters (``Акмола облысынын акими``), its own
    letters guessed for the model: known words and stems first, then vowel
    harmony (front words take ә ө ү і, back words қ ғ ұ) and the genitive -ның.
    ``keep_i``: the text types і itself (a Ukrainian layout), so и stays и."""
    return _WORD.sub(
        lambda m: _russified_word(m.group(), keep_i) if all(map(_is_cyr, m.group())) else m.group(),
        text,
    )


_VISIBLE = re.compile(r"\s*(\S?)")


def _next_visible(text: str, pos: int) -> str:
    """The first character at or after ``pos`` that is not whitespace ("" if none)."""
    return _VISIBLE.match(text, pos).group(1)


# Question particles: "ме? деп сұрады" asks, it has no lost letter.
_QUESTION_PARTICLES = frozenset("ма ме ба бе па пе ше ші".split())


def restore_lost_letters(text: str) -> str:
    """``text`` with each "?" that stands for a lost Kazakh letter guessed.

    A "?" counts as a lost letter inside or at the start of a Cyrillic word,
    and at its end unless a real question mark is likelier there (the end of
    the text, or a capital letter next). The guess uses the letters around it
    (between two consonants a vowel, between vowels ғ, at a word start қ,
    after -ны/-ды/-ты ң) and the word's vowel harmony (ұ in back words; ә, ө
    or ү in front words, by the next vowel; front words have ң, not қ/ғ).
    On news text about nine lost letters in ten come back (benchmarks).
    """

    def fix(m: re.Match) -> str:
        word = m.group()
        if "?" not in word:
            return word
        end = len(word)
        if word.endswith("?"):
            after = _next_visible(text, m.end())
            suffix = word.rstrip("?")[-1:].lower() in ("ы", "і")  # -ның, -нің, -лық
            if (
                not after
                or after in '»"”)–—'
                or (after.isupper() and not suffix)
                or word.rstrip("?").lower() in _QUESTION_PARTICLES
            ):
                end = len(word.rstrip("?"))  # a question mark
        caps = len(word) > 2 and all(ch.isupper() for ch in word if ch.isalpha())  # Б??: БҰҰ
        filled = _fill_from_stem(word, end)
        known = [ch for ch in filled if ch != "?"]
        front = sum(ch in _LOST_FRONT for ch in known) > sum(ch in _LOST_BACK for ch in known)
        out = list(filled)
        for i in range(end):
            if out[i] == "?":
                if 0 < i < len(word) - 1 and word[i - 1].islower() and word[i + 1].isupper():
                    continue  # a question glued to the next sentence: Неге?Біз
                out[i] = _lost_letter("".join(out), i, front)
        j = m.start() - 1
        while j >= 0 and text[j].isspace():
            j -= 1
        start = j < 0 or text[j] in ".!" or (word[0] == "?" and _is_name("".join(out)))
        return "".join(
            ch.upper() if word[i] == "?" and (caps or (i == 0 and start)) else ch
            for i, ch in enumerate(out)
        )

    return _LOST_WORD.sub(fix, text)
