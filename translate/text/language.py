"""Which language a sentence or a document is in.

Kazakh (in any script) and English are the tool's languages; Russian, Kyrgyz,
Tatar, Uzbek and others are recognised so that a sentence in one of them is
flagged with its name rather than taken for Kazakh.

:func:`guess_language` (one sentence) is rules first: Kazakh-only letters and
their combinations (ұ, і, ә with қ/ғ; Kyrgyz shares ң ө ү, Tatar ә ө ү ң һ,
Uzbek қ ғ), letters other languages have and Kazakh lacks (Tatar җ, Uzbek ў
ҳ, Bashkir ҙ ҫ, Ukrainian ї є ґ), frequent function words, Kyrgyz doubled
vowels and endings, Latin-script Kazakh. Where the rules cannot tell (Cyrillic text that
is not clearly Kazakh, Latin text that is neither English nor Kazakh), the
second opinion of :mod:`translate.text.langid` (py3langid) decides.
:func:`detect_language` reads a whole document: kk or en, a confidence, and
the other language it is mostly in, if any.
"""

from __future__ import annotations

import re

from translate.text import langid
from translate.text.letters import russified_common_words
from translate.text.mojibake import has_mojibake, repair_mojibake
from translate.text.translit import is_latin_kazakh

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def _is_cyr(ch: str) -> bool:
    return "\u0400" <= ch <= "\u04ff"


_RU_ONLY = set("ёъщЁЪЩ")  # (э is in Kyrgyz words and foreign names: Уэльс)
_KK_ONLY = set("әғқңөұүһіӘҒҚҢӨҰҮҺІ")

# (не and он are Kazakh words too: "what", "ten")
_RU_WORDS = frozenset(
    "и в на что с по это как она они мы вы я его её был была были будет также который "
    "которые для от из к о у за при года году".split()
)
_EN_WORDS = frozenset(
    "the and of to in is that for on with as was were are by it this from at be has have "
    "will said".split()
)
# Frequent words of Kazakh's neighbours that Kazakh spells otherwise (Kazakh in
# brackets): each says its language wherever letters do not.
_OTHER_WORDS = {
    "ky": frozenset(
        "менен үчүн боюнча жөнүндө тарабынан эмес дагы чейин ушул кийин азыр болуп "
        "болот болгон өлкө шаар мамлекеттик кыргыз кыргызстан бишкек бүгүн жыйын "
        "министрлиги президенти өкмөт айыл айылда чарба эки экен эле эмне эч элдин ошол "
        "ошондой мындай ушундай".split()
        # үчүн (үшін), боюнча (бойынша), жөнүндө (туралы), эмес (емес), айыл
        # (ауыл), эки (екі), мындай (мұндай); not жана ("and"), which is Kazakh
        # жаңа ("new") typed with Russian letters
    ),
    "tt": frozenset(
        "мин син һәм белән өчен шул дип иде булды булган буенча түгел генә инде әле тиеш безнең "
        "аның татарстан казан республикасы булып итеп икән".split()
        # һәм (және), белән (бен), өчен (үшін), дип (деп), булды (болды)
    ),
    "uz": frozenset(
        "ва билан учун ҳам эди бўлди йил қилди ҳақида бўйича керак эмас орқали ўзбекистон "
        "тошкент республикаси вазирлиги бўлиб этди айтди".split()
        # ва (және), билан (мен), учун (үшін), ҳақида (туралы), йил (жыл)
    ),
}
# Frequent Kazakh words its neighbours spell otherwise (мен, деп, бар, өз and
# керек are Kyrgyz too).
_KK_WORDS = frozenset(
    "және үшін бұл болды туралы бойынша оның осы еді емес кейін қазір қазақстан біз олар ол "
    "сол елімізде".split()
)
# Frequent Kazakh words that, typed with Russian letters, are Kyrgyz words
# too (бұл, біз, бірге: Kyrgyz бул, биз, бирге): no sign of Kazakh there.
_SHARED_WITH_KY = frozenset(
    "биз бул мен сиз бир бирге жана кайда кандай кайта карай катар кол кыз гана кай ар али "
    "тур".split()
)
# Letters other languages write and Kazakh does not.
_DISTINCT = {
    "җ": "tt",
    "ў": "uz",
    "ҳ": "uz",
    "ҙ": "ba",
    "ҫ": "ba",
    "ї": "uk",
    "є": "uk",
    "ґ": "uk",
    "ӣ": "tg",
    "ӯ": "tg",
    "ҷ": "tg",
}
_DOUBLED = re.compile(r"(?:аа|оо|уу|ээ|өө|үү|ыы)")  # Kyrgyz long vowels; Kazakh has none
# Kyrgyz word endings Kazakh (and Russian) do not have: suffixes whose vowel
# follows labial harmony (plural -лөр/-дөр/-төр/-лор, dative/locative/ablative
# in ө, genitive -нун/-нүн/-дүн/-түн), the converb in -уп/-үп (Kazakh -ып/-іп),
# the third person plural -шат/-шет/-шот/-шөт after a vowel and its past
# -ышты/-ишти/-ушту/-үштү (Kazakh -ысты/-істі), the first person plural
# -быз/-биз after a vowel (Kazakh -мыз/-міз).
_KY_ENDING = re.compile(
    r"\w\w(?:лөр|дөр|төр|лор|гө|кө|дө|тө|дөн|төн|нөн|нун|нүн|дүн|түн"
    r"|[^аеиоуыэюяөү][уү]п|[аеиоуыөү]ш[аеоө]т|[ыиуү]шт[ыиуү]|[аеиоуыйөү]б[ыиуү]з)$"
)
# Kyrgyz names that take endings (Бишкекте, кыргыздар)
_KY_STEMS = ("кыргыз", "бишкек", "кийин")

LANGUAGE_NAMES = {
    "kk": "Kazakh",
    "en": "English",
    "ru": "Russian",
    "ky": "Kyrgyz",
    "tt": "Tatar",
    "uz": "Uzbek",
    "ba": "Bashkir",
    "tg": "Tajik",
    "mn": "Mongolian",
    "uk": "Ukrainian",
    "be": "Belarusian",
    "bg": "Bulgarian",
    "mk": "Macedonian",
    "sr": "Serbian",
    "tr": "Turkish",
    "az": "Azerbaijani",
    "de": "German",
    "fr": "French",
    "es": "Spanish",
    "it": "Italian",
    "pt": "Portuguese",
    "nl": "Dutch",
    "pl": "Polish",
    "cs": "Czech",
    "sv": "Swedish",
    "fi": "Finnish",
    "hu": "Hungarian",
    "ro": "Romanian",
    "id": "Indonesian",
    "vi": "Vietnamese",
}
# Second-opinion answers for Latin text that are taken as other languages: the
# Turkic ones are left out (Latin-script Kazakh the rules missed reads as them).
_LATIN_OTHERS = frozenset(LANGUAGE_NAMES) - {"kk", "en", "tr", "az", "uz"}


def language_name(code: str) -> str:
    """The English name of a language code (the code itself when unlisted)."""
    return LANGUAGE_NAMES.get(code, code)


def without_kazakh_letters(text: str) -> bool:
    """Whether ``text`` is Cyrillic, mostly not Russian, with no letter of its
    own (ә ғ қ ң ө ұ ү һ, or a Latin look-alike inside a Cyrillic word): Kazakh
    typed with Russian letters in their place (і may be there: Ukrainian
    keyboards have it). It takes 20 words, or 6 with two frequent Kazakh words
    among them (``жане``, ``туралы``)."""
    if any(c in _KK_ONLY and c not in "іІ" for c in text):
        return False  # (і may be typed on a Ukrainian layout)
    words = _WORD.findall(text)
    cyrillic = [w for w in words if any(map(_is_cyr, w))]
    if len(cyrillic) < 6 or any(not all(map(_is_cyr, w)) for w in cyrillic):
        return False
    if len(cyrillic) < 20:  # a short text: two frequent Kazakh words must say so
        known = russified_common_words()
        if sum(1 for w in cyrillic if w.lower() in known) < 2:
            return False
    if _looks_kyrgyz(words):
        return False
    # Russian function words (и, в, на, что) make a quarter of Russian text
    return sum(1 for w in words if w.lower() in _RU_WORDS) < len(words) / 12


# International prefixes ending in о: before a word in о or ө (Еуроодақ,
# автоөндіруші) they make a doubled vowel, in Kazakh typed with Russian letters.
_PREFIX_O = re.compile(
    r"^(?:авто|еуро|евро|радио|видео|гидро|электро|микро|макро|нейро|кино|фото|агро|био|гео"
    r"|моно|стерео|термо|аэро|мото|вело|орто)о"
)


def _kyrgyz_form(word: str) -> bool:
    """A doubled vowel, a Kyrgyz ending or a Kyrgyz name with an ending
    (lower-case ``word``)."""
    return bool(
        (_DOUBLED.search(word) and not _PREFIX_O.match(word))
        or _KY_ENDING.search(word)
        or (word.startswith(_KY_STEMS) and word not in _OTHER_WORDS["ky"])
    )


def _looks_kyrgyz(words: list[str]) -> bool:
    low = [w.lower() for w in words]
    votes = sum(1 for w in low if w in _OTHER_WORDS["ky"]) + sum(map(_kyrgyz_form, low))
    return votes >= max(2, len(low) // 10)


def guess_language(text: str, second_opinion: bool = True) -> str | None:
    """The language of one sentence: ``kk``, ``en``, ``ru``, ``ky``, ``tt``,
    ``uz`` or another code of :data:`LANGUAGE_NAMES`, or ``None`` (too little to
    tell). ``second_opinion=False`` uses the rules alone."""
    letters = [c for c in text if c.isalpha()]
    if len(letters) < 12:
        return None
    found = _WORD.findall(text)
    if any(c.islower() for c in letters):  # abbreviations (БҰҰ, ЕО) say nothing
        found = [w for w in found if len(w) < 2 or not w.isupper()]
    words = [w.lower() for w in found]
    cyr = sum(1 for c in letters if _is_cyr(c))
    if cyr / len(letters) < 0.5:
        return _guess_latin(text, words, second_opinion)
    return _guess_cyrillic(text, letters, words, second_opinion)


_STRONG_EN = frozenset("the and of that for with was were are this from have has will said".split())
_KK_LATIN_MARK = re.compile("[äğıñöşūüáǵńóúýÄĞÑÖŞŪÜÁǴŃÓÚÝ]")
# English spellings that read as Latin-script Kazakh marks (an apostrophe after
# a, n, s, y...; q): contractions, possessives and qu, in text without
# Kazakh letters.
_ENGLISH = re.compile(r"['’](?:s|t|re|m|ll|ve|d)\b|(?<=[sS])['’](?!\w)|[qQ](?=u)", re.UNICODE)


def _guess_latin(text: str, words: list[str], second_opinion: bool) -> str | None:
    en = sum(1 for w in words if w in _EN_WORDS)
    strong = sum(1 for w in words if w in _STRONG_EN)
    if strong >= 2 and en >= len(words) // 8 and not _KK_LATIN_MARK.search(text):
        return "en"  # q (headquarters) and 's, n't are no Kazakh letters here
    if is_latin_kazakh(text if _KK_LATIN_MARK.search(text) else _ENGLISH.sub("", text)):
        return "kk"
    if en >= max(1, len(words) // 10):
        return "en"
    if en or not second_opinion or len(words) < 5 or not langid.available():
        return None
    lang, prob = langid.second_opinion(text, "any")
    return lang if lang in _LATIN_OTHERS and prob >= 0.99 else None


def _guess_cyrillic(
    text: str, letters: list[str], words: list[str], second_opinion: bool
) -> str | None:
    low = {c.lower() for c in letters}
    distinct = {_DISTINCT[c] for c in low if c in _DISTINCT}
    if "uz" in distinct and "і" in low:
        distinct.discard("uz")  # ў with і: Belarusian (the second opinion says so)
        distinct.add("be")
    kk = low & _KK_LOWER
    if not distinct and ("ұ" in kk or _clearly_kazakh(kk)):
        return "kk"
    if len(distinct) == 1 and distinct != {"be"}:
        return distinct.pop()
    doubled = sum(1 for w in words if _kyrgyz_form(w))
    if not distinct:
        ru_words = sum(1 for w in words if w in _RU_WORDS)
        ru_letters = sum(1 for c in letters if c in _RU_ONLY)
        if ru_words >= max(2 if kk else 1, len(words) // 8):
            return "ru"  # Russian, perhaps with a Kazakh name (Қарағанды)
        if not kk and ru_letters >= 2:
            return "ru"  # ё ъ щ
    votes = {lang: sum(1 for w in words if w in ws) for lang, ws in _OTHER_WORDS.items()}
    votes["ky"] += doubled
    votes["kk"] = sum(1 for w in words if w in _KK_WORDS)
    if not kk:
        known = russified_common_words()
        votes["kk"] += sum(1 for w in words if w in known and w not in _SHARED_WITH_KY)
    best = max(votes, key=lambda k: votes[k])
    if votes[best] >= 2 and all(v < votes[best] for k, v in votes.items() if k != best):
        return best
    if not second_opinion or not langid.available():
        return "kk" if kk and not distinct else None
    ranked = langid.ranked(text)
    top = max(ranked, key=lambda k: ranked[k])
    if distinct:  # і with ў, or two languages' letters: the model decides
        return top if top in distinct or ranked[top] >= 0.9 else None
    if kk:  # Kazakh letters that neighbours share (ә, ң ө ү, қ ғ, і)
        if top == "kk" or ranked.get("kk", 0.0) >= 0.3:
            return "kk"
        return _by_letters(kk, top, words, votes)
    # no Kazakh letter: Russian, Kyrgyz, or Kazakh typed with Russian letters
    if top == "ru" and ranked[top] >= 0.9:
        return "ru"
    if top == "ky" and (votes["ky"] >= 2 or votes["ky"] and not votes["kk"]):
        return "ky"  # (py3langid alone takes Kazakh typed with Russian letters for Kyrgyz)
    if top in ("uz", "tt") and ranked[top] >= 0.95 and not votes["kk"]:
        return top  # Мен эртага бувимникига бораман.
    if top not in _TURKIC and ranked[top] >= 0.99:
        return top
    return None


_KK_LOWER = frozenset("әғқңөұүһі")
_TURKIC = frozenset("kk ky tt ba uz".split())


_KY_PRONOUNS = frozenset("мен сен ал алар бул биз силер".split())  # Tatar: мин син ул


def _by_letters(kk: set[str], top: str, words: list[str], votes: dict[str, int]) -> str:
    """Cyrillic text with only the Kazakh letters a neighbour shares, which the
    second opinion says is not Kazakh: the neighbour whose letters they are."""
    if kk & {"ә", "һ"}:
        return "tt"  # ә, һ without қ ғ і ұ (Bashkir has ҙ ҫ too)
    if kk <= {"ң", "ө", "ү"}:  # Kyrgyz, or Tatar without ә (short sentences)
        if votes["ky"] > votes["tt"] or _KY_PRONOUNS.intersection(words):
            return "ky"
        return top if top in ("tt", "ba", "mn") else "ky"
    if kk <= {"қ", "ғ"}:
        return top if top in ("uz", "tg") else "uz"
    return top


def _clearly_kazakh(kk: set[str]) -> bool:
    """Kazakh letters no neighbour has together: і with another Kazakh letter
    (Ukrainian and Belarusian have і alone), ә with қ or ғ (Tatar has ә, Uzbek
    қ ғ), қ or ғ with ң ө ү (Kyrgyz has ң ө ү)."""
    if "і" in kk and len(kk) > 1:
        return True
    if "ә" in kk and kk & {"қ", "ғ"}:
        return True
    return bool(kk & {"қ", "ғ"} and kk & {"ң", "ө", "ү"})


def detect_language(text: str) -> tuple[str, float, str | None]:
    """The language of a document: ``(lang, confidence, other)``.

    ``lang`` is ``kk`` or ``en``, the source language to translate it from:
    ``en`` for English, ``kk`` for Kazakh in any script (Cyrillic, Latin,
    typed with Russian letters) and for other Cyrillic text (Russian, Kyrgyz:
    the Kazakh pipeline flags its sentences). ``other`` is the code of another
    language most of the document is in (``ru``, ``ky``, ``tt``, ``uz``...),
    else ``None``. ``confidence`` (0..1) is the share of the sentences read
    that say ``other`` (when given) or ``lang``; 0.5 when none says anything
    (too short: Cyrillic is taken as Kazakh, Latin as English unless it has
    Kazakh letters, no letters as Kazakh).

    Reads at most the first 200 lines of 12 letters or more; mojibake (UTF-8
    read as CP1251) is repaired first.
    """
    sample = text[:200_000]
    if has_mojibake(sample):
        sample = repair_mojibake(sample)
    weights: dict[str, int] = {}
    cyrillic = latin = 0
    lines = 0
    for line in _chunks(sample):
        n = sum(1 for c in line if c.isalpha())
        cyr = sum(1 for c in line if _is_cyr(c))
        cyrillic += cyr
        latin += n - cyr
        if n < 12:
            continue
        guess = guess_language(line)
        if guess is not None:
            weights[guess] = weights.get(guess, 0) + n
        lines += 1
        if lines >= 200:
            break
    judged = sum(weights.values())
    if cyrillic >= latin and cyrillic:
        lang = "kk"
    elif judged:
        lang = "kk" if weights.get("kk", 0) > weights.get("en", 0) else "en"
    else:  # a few words in Latin letters, or no letters
        lang = "kk" if not latin or is_latin_kazakh(sample) else "en"
    if not judged:
        return lang, 0.5, None
    others = {k: v for k, v in weights.items() if k not in ("kk", "en")}
    other = max(others, key=lambda k: others[k]) if others else None
    if other is not None and others[other] * 2 > judged:
        return lang, round(others[other] / judged, 3), other
    return lang, round(weights.get(lang, 0) / judged, 3), None


_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")


def _chunks(text: str):
    """Lines, and sentences of long lines (a cheap split at terminal punctuation)."""
    for line in text.splitlines():
        if len(line) <= 400:
            yield line
        else:
            yield from _SENTENCE_END.split(line)
