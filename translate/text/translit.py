"""Kazakh Latin script: detection and transliteration to and from Cyrillic.

Reading (Latin → Cyrillic) accepts the 2021 alphabet (ä ğ ı ñ ö ş ū ü, q,
j for ж), the 2017 apostrophe variant (a' g' n' o' u' y' s' c' i'; u for ұ)
and the 2018 acute variant (á ǵ ń ó ú ý, sh, ch; u for ұ, ı for и), chosen
by the letters that mark the most words, once for a document
(:func:`latin_conventions`) or for the text given. The older two have no я,
ю, ц: they are й + а, й + у and ts. Writing (Cyrillic → Latin) uses the
2021 alphabet. Ambiguities, documented in the README: ``i`` is и or й (й after
a vowel), ``h`` is х or һ (х), ``e`` is е or э (е), ``ь`` and ``ъ`` are not
written, ``c`` stands for ц and ``ç`` for ч.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

from translate.text import alphabets

# Reading tables per variant. Multi-letter sequences are tried first.
_SEQ_2021 = {"sh": "ш", "ch": "ч", "zh": "ж", "iu": "ю", "ia": "я"}  # "io" stays ио: ё is rare
_SEQ_2017 = {
    "a'": "ә",
    "g'": "ғ",
    "n'": "ң",
    "o'": "ө",
    "u'": "ү",
    "y'": "у",
    "i'": "и",
    "s'": "ш",
    "c'": "ч",
}
_SEQ_2018 = {"sh": "ш", "ch": "ч"}
# 2017 and 2018 write ұ as u and і as i; 2018 writes и/й as ı.
_ONE_2017 = {**alphabets.ONE, "u": "ұ", "i": "і"}
_ONE_2018 = {**alphabets.ONE, "u": "ұ", "i": "і", "ı": "и"}
_VOWELS_LAT = set("aäáeıioöóuūúüýy")
# after l, ia is я (Аляска, миля); after other consonants иа (материал)
_VOWELS_LAT_L = _VOWELS_LAT | {"l"}
_KAZ_LATIN_MARKS = set("äğıñöşūüçáǵńóúýq")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]*)*", re.UNICODE)


def to_latin(text: str) -> str:
    """Cyrillic Kazakh → 2021 Latin alphabet (other characters unchanged)."""
    out = []
    for ch in text:
        low = ch.lower()
        lat = alphabets.CYR_TO_LAT.get(low)
        if lat is None:
            out.append(ch)
        elif ch != low:
            out.append(lat[:1].upper() + lat[1:] if lat else "")
            if low in ("и", "й"):
                out[-1] = "İ"
            elif low in ("ё", "ю", "я"):
                out[-1] = "İ" + lat[1:]
        else:
            out.append(lat)
    return "".join(out)


def _vowel_before(low: str, k: int) -> bool:
    """Whether a vowel ends ``low[:k]`` (a' o' u' y' of 2017 included)."""
    if k > 1 and low[k - 1] == "'":
        return low[k - 2] in "aouy"
    return k > 0 and low[k - 1] in _VOWELS_LAT


def _older_alphabet(low: str, k: int, variant: str, res: list[str]) -> int:
    """Letters of the 2017 and 2018 alphabets that the tables cannot read one
    by one: и/й (i' or ı: й after a vowel, as in 2021), я and ю (й + а, й + у)
    and ц (ts, which they use for it: at a word start, before и, у, о, and
    before е in -цен-, -цер-, -цед-, -цес-, -цей-; elsewhere т + с, as in the
    verb forms айтса, кетсе, айтсын). Appends to ``res`` and returns how many
    characters were read, or 0."""
    ii, uu = alphabets.I_LETTER[variant], alphabets.U_LETTER[variant]
    if low.startswith(ii, k):
        rest = k + len(ii)
        after_consonant = k > 0 and low[k - 1].isalpha() and low[k - 1] not in _VOWELS_LAT_L
        if low.startswith(uu, rest):
            res.append("ю")
            return rest + len(uu) - k
        if low.startswith("a", rest) and not after_consonant:
            res.append("я")
            return rest + 1 - k
        res.append("й" if _vowel_before(low, k) else "и")
        return rest - k
    after = low[k + 2 :]
    if low.startswith("ts", k) and (
        k == 0
        or after.startswith((ii, uu, "o"))
        or (after[:1] == "e" and (after[1:2] in ("n", "r", "d", "s") or after[1:].startswith(ii)))
    ):
        res.append("ц")
        return 2
    return 0


@lru_cache(maxsize=1)
def _latin_loans() -> dict[str, str]:
    """The loans of ``kk_loans.txt`` that read back wrong from 2021 letters, by
    their 2021 spelling (``film``: фильм, ``milliard``: миллиард)."""
    from importlib import resources

    text = resources.files("translate").joinpath("data/normalize/kk_loans.txt").read_text("utf-8")
    loans = [x.strip() for x in text.splitlines() if x.strip() and not x.startswith("#")]
    found = {}
    for loan in loans:
        latin = to_latin(loan)
        if len(latin) >= 4 and _word_to_cyrillic(latin, "2021", False, loans=False) != loan:
            found[latin] = loan
    return found


def _latin_loan(low: str) -> tuple[str, int] | None:
    """The listed loan that starts ``low`` (its Cyrillic and its Latin length)."""
    table = _latin_loans()
    for n in range(len(low), 3, -1):
        if low[:n] in table:
            return table[low[:n]], n
    return None


def _capital_i_2018(low: str) -> str:
    """The 2018 alphabet writes both і (i) and и/й (ı) as a capital I. Before a
    vowel it is й (Ia: Я, Iý: Ю, Iá: Иә); a word with a back vowel or another
    и after it is a loan with и (Iran, Italıa, Inglısh), since native words
    with і keep to front vowels (Ile, Ishki)."""
    rest = low[1:]
    if rest[:1] in ("a", "á", "e", "o", "ó", "u", "ú", "ý") or re.search("[aouyı]", rest):
        return "ı" + rest
    return low


def _word_to_cyrillic(word: str, variant: str, i_is_i: bool, loans: bool = True) -> str:
    """One Latin word to Cyrillic.

    ``variant``: ``2021``, ``2017`` (apostrophes) or ``2018`` (acutes);
    ``i_is_i``: a 2021 text that writes і as ``i`` (it uses no ``ı``).
    """
    if variant == "2021" and ("'" in word or "’" in word):  # О'Хаган: each part its case
        parts = re.split("(['’])", word)
        return "".join(
            p if p in "'’" else _word_to_cyrillic(p, variant, i_is_i, loans) for p in parts
        )
    seq = {"2017": _SEQ_2017, "2018": _SEQ_2018}.get(variant, _SEQ_2021)
    one = {"2017": _ONE_2017, "2018": _ONE_2018}.get(variant, alphabets.ONE)
    low = "".join(
        "i"
        if c == "İ"
        else ("i" if i_is_i or variant != "2021" else "ı")
        if c == "I"
        else c.lower()
        for c in word.replace("’", "'")
    )
    if variant == "2018" and word[:1] == "I":
        low = _capital_i_2018(low)
    res: list[str] = []
    k = 0
    loan = loans and _latin_loan(
        low.replace("ı", "i").replace("ý", "u") if variant == "2018" else low
    )
    if loan and variant != "2017" and not i_is_i:
        # a listed loan whose letters the alphabet loses (ь, э, я after л):
        # фильм, премьер, миллиард; its suffixes are read as usual
        cyr_loan, k = loan
        if cyr_loan.endswith("ь") and k < len(low) and low[k] in _VOWELS_LAT:
            cyr_loan = cyr_loan[:-1]  # фестивалі, but медальді
        res.append(cyr_loan)
    while k < len(low):
        if variant in alphabets.I_LETTER:
            step = _older_alphabet(low, k, variant, res)
            if step:
                k += step
                continue
        two = low[k : k + 2]
        # after a consonant иа is common (материал, Олимпиада), except after л (миля, Аляска)
        after_consonant = k > 0 and low[k - 1].isalpha() and low[k - 1] not in _VOWELS_LAT_L
        if two in seq and not (
            two in ("iu", "ia") and (i_is_i or (two == "ia" and after_consonant))
        ):
            res.append(seq[two])
            k += 2
            continue
        ch = low[k]
        if variant == "2021" and ch == "i":
            prev_vowel = k > 0 and low[k - 1] in _VOWELS_LAT
            res.append("й" if prev_vowel else ("і" if i_is_i else "и"))
        elif ch == "'":
            res.append("")
        else:
            res.append(one.get(ch, ch))
        k += 1
    cyr = "".join(res)
    # the loan list is spelled in 2021 letters (и: i, у: u)
    plain = low.replace("i'", "i").replace("y'", "u").replace("ı", "i").replace("ý", "u")
    if cyr.startswith("е") and (low if variant == "2021" else plain).startswith(alphabets.E_LOANS):
        cyr = "э" + cyr[1:]
    # уэ in names (Уэльс, Агуэро, Роуэн); уе after a front vowel in Kazakh (тәуелсіз, әуе)
    cyr = re.sub(r"(?:^|(?<=[^әеіөүи]))уе", "уэ", cyr) if "уе" in cyr else cyr
    if word[:1].isupper():
        cyr = cyr[:1].upper() + cyr[1:]
        if word.isupper() and len(word) > 1:
            cyr = cyr.upper()
    return cyr


# Spellings that English (and other Western) words have and Kazakh Latin words
# do not: such words in a Latin-script Kazakh text are names and quotations to
# keep as they are (CNN, The, Sainsbury's), not Kazakh to transliterate.
_FOREIGN = re.compile(r"th|ck|ph|gh|wh|sch|tion|['’]s$|^mc")
_FOREIGN_NAME = re.compile(r"[wx]")  # w, x in a capitalised word: Washington, Xherdan
# a doubled o or e in a capitalised word: Google, Greenpeace. Kazakh doubles no
# vowel; the Russian loans that do begin with ко-, зоо- or ре- (кооператив,
# координатор, зоопарк, реестр). (o'o in the 2017 alphabet is өо.)
_DOUBLE_VOWEL = re.compile(r"(?<!^k)(?<!^z)(?<!^r)(?:oo|ee)(?!['’])")
# a capital inside a word: OpenAI, iPhone, YouTube, McDonald
_CAMEL = re.compile(r"[a-z][A-Z]")
_FOREIGN_ACRONYM = re.compile(r"[CWX]")


# Kazakh case endings that a back or front stem takes without a hyphen (an
# English word in Kazakh text takes them after one: Facebook-ta).
_KAZAKH_ENDING = re.compile(
    r"(?<=[a-z]{4})(?:(?<=[aouy][a-z])|(?<=[aouy][a-z]{2})|(?<=[aouy]))"
    r"(?:nan|dan|tan|da|ta|syn|nyñ|dyñ|tyñ|ğa|qa|ny|dy|ty)$"
)
_ROMAN = re.compile(r"[IVXLCDM]+")
# Web and e-mail addresses are copied, not transliterated.
_ADDRESS = re.compile(
    r"\S+@\S+\.\w+|(?:https?://|www\.)\S+|\b[\w-]+\.(?:com|org|net|kz|uk|ru)\b\S*"
)


# y (ы) never touches a vowel other than i/u in Kazakh: Toyota, Today, Yandhi.
_FOREIGN_Y = re.compile(r"[aeoäöü]y|y[aeoäöü]")
# c, which the 2021 text uses for ц, stands before e, i, y in loans (акция,
# цирк); before k, s, t, a, h, r, or at the end, it is an English c (Discs,
# Microsoft, Coffer).
_FOREIGN_C = re.compile(r"c(?=[kstahr]|$)|^co")


def looks_foreign(word: str, variant: str = "2021") -> bool:
    """A Latin word in a Kazakh Latin text that is better kept as it is."""
    if any(c >= "\u0400" for c in word) or any(c in _KAZ_LATIN_MARKS for c in word.lower()):
        return False
    if len(word) > 1 and _ROMAN.fullmatch(word):  # II, VIII: Roman numerals (M. is an initial)
        return True
    if len(word) > 1 and word.isupper():
        return bool(_FOREIGN_ACRONYM.search(word))
    if _CAMEL.search(word):
        return True
    low = word.lower().replace("’", "'")
    if word[:1].isupper() and _DOUBLE_VOWEL.search(low):
        return True
    if variant == "2017":  # y' is у there (sai'lay'g'a), and 's is a letter and с (Devi's)
        low = low.replace("y'", "u").replace("'", "")
    if _FOREIGN_Y.search(low) or (variant == "2021" and _FOREIGN_C.search(low)):
        return True
    if _FOREIGN.search(low) and _KAZAKH_ENDING.search(low):
        return False  # a Kazakh ending written on: zerthanada, Pheniannan
    return bool(_FOREIGN.search(low) or (word[:1].isupper() and _FOREIGN_NAME.search(low)))


# Marks of each alphabet, counted per word. An apostrophe before a final s is
# the English possessive (Sainsbury's), and O' before a capital an Irish name
# (O'Hagan); neither marks the 2017 alphabet.
_MARK_2017 = re.compile(r"[agnouyisc]['’](?!s\b)", re.IGNORECASE)
_IRISH = re.compile(r"\b[OD]['’](?=[A-Z])")
_MARK_2018 = re.compile("[áǵńóúýÁǴŃÓÚÝ]")
_MARK_2021 = re.compile("[äğñöşūüçÄĞÑÖŞŪÜÇ]")


def latin_variant(text: str) -> str:
    """Which Latin alphabet a text uses: ``2017`` (apostrophes), ``2018`` (acutes)
    or ``2021``: the one whose letters mark the most words (2021 when none do)."""
    words = _WORD.findall(_IRISH.sub("", text))
    counts = {
        "2017": sum(1 for w in words if _MARK_2017.search(w)),
        "2018": sum(1 for w in words if _MARK_2018.search(w)),
        "2021": sum(1 for w in words if _MARK_2021.search(w)),
    }
    best = max(counts, key=lambda v: (counts[v], v == "2021"))
    return best if counts[best] else "2021"


@dataclass(frozen=True)
class LatinConventions:
    """How a Latin-script Kazakh text is written: its alphabet (``2021``,
    ``2017`` or ``2018``) and, for 2021, whether it writes і as ``i``
    (``informal_i``). Decided once for a document, they also read its short
    sentences, which have too few letters to tell."""

    variant: str = "2021"
    informal_i: bool = False


def latin_conventions(text: str) -> LatinConventions:
    """The conventions of ``text`` (a sentence, or a whole document)."""
    variant = latin_variant(text)
    # A 2021 text without ı may write і as i (common in practice): і is far more
    # frequent than и, so many i's and no ı mean i is і.
    letters = sum(1 for c in text if c.isalpha())
    informal = (
        variant == "2021"
        and "ı" not in text
        and letters >= 30  # too little text to tell informal writing from the standard
        and text.lower().count("i") > 0.04 * letters
        and _front_i_words(text)
    )
    return LatinConventions(variant, informal)


_AFTER_CONSONANT_I = re.compile(r"[^aäeıioöuūüy\W\d]i")
_BACK_VOWEL = re.compile("[aouūy]")
_FRONT_VOWEL = re.compile("[äeöü]")


def _front_i_words(text: str) -> bool:
    """Whether the words with an ``i`` after a consonant are mostly front words.

    і is a front vowel, so a text writing і as ``i`` has it in front words
    (``bir``, ``keldi``); и, written ``i`` by the standard, also stands in back
    words (``jinalys``, ``qiyn``, ``policiia``).
    """
    words = [w for w in _WORD.findall(text.lower()) if _AFTER_CONSONANT_I.search(w)]
    back = sum(1 for w in words if _BACK_VOWEL.search(w) and not _FRONT_VOWEL.search(w))
    return back <= 0.3 * len(words)


def to_cyrillic(text: str, conventions: LatinConventions | None = None) -> str:
    """Latin-script Kazakh (2021, 2017 or 2018 alphabet) → Cyrillic.

    ``conventions``: those of the document the text comes from (see
    :func:`latin_conventions`); by default, read from ``text`` itself.
    """
    conv = conventions or latin_conventions(text)
    variant, i_is_i = conv.variant, conv.informal_i
    keep = _foreign_spans(text, variant)
    addresses = [(m.start(), m.end()) for m in _ADDRESS.finditer(text)]
    ends = [b for _, b in addresses]

    def word(m: re.Match) -> str:
        k = bisect.bisect_right(ends, m.start())  # the first address ending after it
        in_address = k < len(addresses) and addresses[k][0] < m.end()
        if m.start() in keep or in_address:
            return m.group()
        return _word_to_cyrillic(m.group(), variant, i_is_i)

    return _WORD.sub(word, text)


# Capitalised words in a row, joined by spaces or hyphens: titles and names.
_CAP_RUN = re.compile(r"[A-Z][^\W\d_]*(?:['’][^\W\d_]*)*(?:[ -]+[A-Z][^\W\d_]*(?:['’][^\W\d_]*)*)*")


def _foreign_spans(text: str, variant: str) -> set[int]:
    """Start offsets of the words to keep in Latin: those that look foreign,
    and the capitalised words around one in a run of capitalised words with no
    Kazakh letter (``Desert Island Discs``, ``Associated Press``); acronyms and
    Roman numerals keep only themselves."""
    starts = {m.start() for m in _WORD.finditer(text) if looks_foreign(m.group(), variant)}
    # English words spread to the capitalised words around them; acronyms and
    # Roman numerals do not (Kompaniia CBS, II Elizaveta)
    spreading = {
        m.start() for m in _WORD.finditer(text) if m.start() in starts and not m.group().isupper()
    }
    for run in _CAP_RUN.finditer(text):
        words = list(_WORD.finditer(run.group()))
        if len(words) < 2 or not any(run.start() + w.start() in spreading for w in words):
            continue
        for w in words:
            if not any(c in _KAZ_LATIN_MARKS for c in w.group().lower()):
                starts.add(run.start() + w.start())
    return starts


_LATIN_LETTER = re.compile("[a-zA-ZäğıñöşūüçáǵńóúýqÄĞİÑÖŞŪÜÇÁǴŃÓÚÝQ]+")
_CYRILLIC_LETTER = re.compile("[\u0400-\u0481\u048a-\u04ff]+")
_KAZ_MARK = re.compile("[äğıñöşūüçáǵńóúýqÄĞÑÖŞŪÜÇÁǴŃÓÚÝQ]")
_APOSTROPHE_LETTER = re.compile("[aginouyscAGINOUYSC]['’]")


def latin_share(text: str) -> float:
    """Share of letters that are Latin."""
    lat = sum(map(len, _LATIN_LETTER.findall(text)))
    cyr = sum(map(len, _CYRILLIC_LETTER.findall(text)))
    return lat / (lat + cyr) if lat + cyr else 0.0


def is_latin_kazakh(text: str) -> bool:
    """Latin-script Kazakh rather than English: mostly Latin letters, with Kazakh
    letters (ä ğ ñ ö ş ū ü ı q...) or apostrophe/acute forms in it."""
    if not (_KAZ_MARK.search(text) or _APOSTROPHE_LETTER.search(text)):
        return False  # no Kazakh letter at all (most Cyrillic or English text)
    if latin_share(text) < 0.8:
        return False
    letters = sum(1 for c in text if c.isalpha())
    if not letters:
        return False
    marks = len(_KAZ_MARK.findall(text))
    apos = len(_APOSTROPHE_LETTER.findall(text))
    return (marks + apos) / letters >= 0.02
