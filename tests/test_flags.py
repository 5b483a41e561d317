"""Every flag raised and not raised, glued abbreviations kept whole, every alignment cost decisive.

Three kinds of regression passed the other tests: a quality check that stopped
firing in one direction (numbers only in the translation), a segmenter rule
that stopped holding (``проф.Ахметов`` split), and aligner cost terms switched
off (run discount, paragraph terms, per-document priors). Each test here pairs
a case where the behaviour shows with a close case where it must not, at the
exact threshold where there is one, so that turning a check off, flipping a
comparison or dropping a rule fails a test.
"""

from __future__ import annotations

import dataclasses

import pytest

from translate import segment
from translate.align import align_sentences
from translate.align.params import DEFAULT
from translate.mt.translator import (
    Generated,
    ModelTranslator,
    TranslationOptions,
    Translator,
)
from translate.pipeline import translate_documents
from translate.quality import QualityThresholds, check_pair
from translate.records import Document, Translation

# ---------------------------------------------------------------------------
# Quality flags of check_pair
# ---------------------------------------------------------------------------


def flags(src, tgt, src_lang="kk", tgt_lang="en", score=-0.2, **th):
    """The flags of one pair, as ``{code: reason}``."""
    found = check_pair(src, tgt, src_lang, tgt_lang, score, QualityThresholds(**th))
    return {f.code: f.reason for f in found}


def test_a_clean_pair_raises_nothing():
    """The baseline every close case below is compared with."""
    assert (
        flags("Ақмола өңірі 90 елмен жұмыс істейді.", "Akmola region works with 90 countries.")
        == {}
    )


def test_a_number_missing_from_the_translation_is_flagged():
    got = flags("Ақмола өңірі 90 елмен жұмыс істейді.", "Akmola region works with many countries.")
    assert got == {"numbers": "numbers differ (not in the translation: 90)"}


def test_a_number_only_in_the_translation_is_flagged():
    """A hallucinated number: the source has none, the translation has one."""
    got = flags("Ақмола өңірі көп елмен жұмыс істейді.", "Akmola region works with 90 countries.")
    assert got == {"numbers": "numbers differ (not in the source: 90)"}


def test_numbers_are_counted_not_just_collected():
    """Two 5s in the source and one in the translation: one 5 is missing."""
    got = flags("5 ауданда 5 мектеп салынды.", "5 schools were built in the districts.")
    assert got == {"numbers": "numbers differ (not in the translation: 5)"}
    got = flags("5 мектеп салынды.", "5 schools were built in 5 districts.")
    assert got == {"numbers": "numbers differ (not in the source: 5)"}


def test_numbers_differing_both_ways_name_both():
    got = flags("2026-02-23 күні кездесу өтті.", "The meeting took place on February 23, 2025.")
    assert got == {
        "numbers": "numbers differ (not in the translation: 2026; not in the source: 2025)"
    }


@pytest.mark.parametrize(
    "src, tgt",
    [
        ("Өсім 1,5 есе болды.", "Growth was 1.5 times."),
        ("Өңірде 1 300 кәсіпорын бар.", "There are 1,300 enterprises in the region."),
        ("Өңірде 1\u00a0300 кәсіпорын бар.", "There are 1300 enterprises in the region."),
        ("2026-02-23 күні кездесу өтті.", "The meeting took place on February 23, 2026."),
        ("Жиын 23 ақпанда өтті.", "The meeting was held on February 23."),
        ("Инфляция 8,40 пайыз.", "Inflation is 8.4 percent."),
    ],
)
def test_documented_number_equivalences_are_not_flagged(src, tgt):
    assert "numbers" not in flags(src, tgt)


@pytest.mark.parametrize(
    "src, tgt",
    [
        ("Өсім 1,5 есе болды.", "Growth was 15 times."),
        ("Өңірде 1 300 кәсіпорын бар.", "There are 1,3 enterprises in the region."),
        ("2026-02-23 күні кездесу өтті.", "The meeting took place on March 23, 2026."),
    ],
)
def test_the_closest_non_equivalent_numbers_are_flagged(src, tgt):
    assert "numbers" in flags(src, tgt)


def test_an_empty_translation_is_flagged_and_nothing_else_is_checked():
    assert flags("Біз дайынбыз.", "  \n") == {"empty": "the translation is empty"}
    assert flags("Біз дайынбыз.", "") == {"empty": "the translation is empty"}


def test_a_translation_of_one_character_is_not_empty():
    assert "empty" not in flags("Иә.", "Y")


def test_a_source_of_invisible_characters_needs_no_translation():
    assert flags("\u200b\ufeff", "") == {}


def test_a_copy_of_the_source_is_flagged_up_to_whitespace():
    assert "copy" in flags("Біз  дайынбыз.", " Біз дайынбыз. ")
    assert "copy" not in flags("Біз дайынбыз.", "Біз дайынбыз!")  # one character differs
    assert "copy" not in flags("2026", "2026")  # nothing to translate in a number


@pytest.mark.parametrize(
    "tgt, flagged",
    [
        ("Akmola region жыл", False),  # 3 Cyrillic of 15 letters: exactly 20%
        ("Akmola region жылы", True),  # 4 of 16: over 20%
        ("Жыл", False),  # 3 letters: too few to judge
        ("Жыл.", False),
        ("Жылы", True),  # 4 letters, all Cyrillic
    ],
)
def test_cyrillic_left_in_english_output_over_a_fifth(tgt, flagged):
    got = flags("Жыл.", tgt, score=None)
    assert ("script" in got) is flagged
    if flagged:
        assert got["script"].startswith("Cyrillic letters left in English output")


def test_the_foreign_script_share_is_configurable():
    assert "script" in flags("Жыл.", "Akmola region жыл", max_foreign_script=0.19)
    assert "script" not in flags("Жыл.", "Akmola region жылы", max_foreign_script=0.25)


def test_latin_only_output_for_kazakh_is_flagged():
    got = flags("We are ready.", "Biz dayynbyz.", "en", "kk")
    assert got == {"script": "Latin-only output for Kazakh"}
    assert "script" not in flags("We are ready.", "Біз дайынбыз.", "en", "kk")
    assert "script" not in flags("We are ready.", "Біз Astana Hub-та дайынбыз.", "en", "kk")


def test_mostly_latin_kazakh_output_is_flagged():
    got = flags("We are at Astana Hub.", "Біз Astana Hub", "en", "kk")
    assert got == {"script": "mostly Latin letters in Kazakh output (9 of 12)"}


def test_mostly_latin_threshold_is_exactly_half():
    # five Latin and five Cyrillic letters: not over half
    assert "script" not in flags("x", "abcde абвгд", "en", "kk")
    assert flags("x", "abcdef абвгд", "en", "kk")["script"] == (
        "mostly Latin letters in Kazakh output (6 of 11)"
    )


@pytest.mark.parametrize(
    "tgt",
    [
        "We are are are are",  # a word 4 times, at the very end
        "ready the region the region the region the region",  # a bigram at the end
        "in the north of in the north of in the north of in the north of",  # n = 4
        "isisisis",  # a character pattern 4 times
    ],
)
def test_a_repetition_four_times_in_a_row_is_flagged(tgt):
    assert "repetition" in flags("Біз дайынбыз.", tgt, score=None)


@pytest.mark.parametrize(
    "tgt",
    [
        "We are are are ready",
        "ready the region the region the region",
        "in the north of in the north of in the north of",
        "isisis",
        "a b c d e a b c d e a b c d e a b c d e",  # a 5-gram: longer than n = 4
        "We had had a long day, very very long.",
    ],
)
def test_a_repetition_three_times_is_not_flagged(tgt):
    assert "repetition" not in flags("Біз дайынбыз.", tgt, score=None)


def test_repetition_count_is_configurable():
    assert "repetition" in flags("Біз дайынбыз.", "We are are are ready", repeat_times=3)
    assert "repetition" in flags("Біз дайынбыз.", "isisis", repeat_times=3)
    assert "repetition" not in flags("Біз дайынбыз.", "We are are are are", repeat_times=5)


SRC_20 = "Олар кеше жиналмады."  # 20 characters: the shortest source checked
SRC_19 = "Олар бүгін жиналды."


@pytest.mark.parametrize(
    "tgt, flagged",
    [
        ("Not met", True),  # 7 / 20 = 0.35
        ("Not met.", False),  # 8 / 20 = 0.4: the bound itself is in range
        ("  Not met.  ", False),  # surrounding whitespace does not count
        ("They did not gather yesterday and nobody knows why", False),  # 50 / 20 = 2.5
        ("They did not gather yesterday and nobody knows why.", True),  # 51 / 20
    ],
)
def test_length_ratio_bounds_are_inclusive(tgt, flagged):
    assert len(SRC_20) == 20
    got = flags(SRC_20, tgt)
    assert ("length_ratio" in got) is flagged
    assert set(got) <= {"length_ratio"}


def test_length_ratio_is_not_checked_for_sources_under_20_characters():
    assert len(SRC_19) == 19
    assert flags(SRC_19, "Met.") == {}
    assert flags(SRC_19, "They met yesterday, and everyone in the town knew why.") == {}
    assert flags(SRC_20, "Met.") == {"length_ratio": "length ratio 0.20 is outside 0.4–2.5"}
    # the source is measured stripped, for the threshold and for the ratio
    assert flags("  " + SRC_19 + "  ", "Met.") == {}
    assert flags("  " + SRC_20 + "  ", "Not met.") == {}


def test_length_ratio_bounds_are_configurable():
    assert "length_ratio" in flags(SRC_20, "Not met.", min_length_ratio=0.45)
    assert "length_ratio" not in flags(SRC_20, "Not met", min_length_ratio=0.35)
    assert "length_ratio" not in flags(SRC_19 + "!!", "Met.", min_chars=22)


@pytest.mark.parametrize(
    "score, flagged",
    [(-1.6, True), (-1.5000001, True), (-1.5, False), (-1.4, False), (0.0, False), (None, False)],
)
def test_low_confidence_below_the_minimum_score(score, flagged):
    got = flags(
        "Ақмола өңірі 90 елмен жұмыс істейді.", "Akmola works with 90 countries.", score=score
    )
    assert ("low_confidence" in got) is flagged
    assert set(got) <= {"low_confidence"}


def test_low_confidence_threshold_is_configurable():
    src, tgt = "Біз дайынбыз.", "We are ready."
    assert "low_confidence" in flags(src, tgt, score=-1.0, min_score=-0.5)
    assert "low_confidence" not in flags(src, tgt, score=-2.0, min_score=-2.0)


# ---------------------------------------------------------------------------
# Flags from the translator and the pipeline
# ---------------------------------------------------------------------------


class EchoTranslator(Translator):
    """A deterministic translator that records what the model was given."""

    backend = "echo"

    def __init__(self):
        self.inputs: list[str] = []

    def translate(self, texts, src, tgt):
        self.inputs += list(texts)
        return [Translation("Translation.", score=-0.1) for _ in texts]

    def describe(self):
        return {"model": "echo", "backend": self.backend}


PIPELINE_CODES = {"normalized", "transliterated", "language"}

CLEAN_KK = "Ақмола облысының әкімі Иран елшісімен кездесті."


def pipeline_flags(text, src="kk", tgt="en"):
    """The pipeline's own flags (and their reasons) for a one-sentence document,
    and what the model was given."""
    translator = EchoTranslator()
    [result] = list(translate_documents([Document("d", text)], translator, src, tgt))
    [record] = result.records
    return {f.code: f.reason for f in record.flags if f.code in PIPELINE_CODES}, translator.inputs


def test_a_clean_kazakh_sentence_gets_no_pipeline_flag():
    got, inputs = pipeline_flags(CLEAN_KK)
    assert got == {} and inputs == [CLEAN_KK]


@pytest.mark.parametrize(
    "text, what",
    [
        ("Ақмола облысының әкімі Иран ел\u200bшісімен кездесті.", "invisible"),
        ("Aқмола облысының әкімі Иран елшісімен кездесті.", "homoglyph"),  # Latin A
        ("Ақмола облысының әкiмi Иран елшiсiмен кездестi.", "homoglyph"),  # Latin i
    ],
)
def test_a_repaired_model_input_is_flagged_normalized(text, what):
    got, inputs = pipeline_flags(text)
    assert got == {"normalized": f"model input repaired: {what}"}
    assert inputs == [CLEAN_KK]  # the model saw the repaired sentence


def test_latin_script_kazakh_is_flagged_transliterated():
    got, inputs = pipeline_flags("Qazaqstan Respublikasynyń Prezidenti Astanada sóiledi.")
    assert set(got) == {"transliterated"}
    assert inputs[0].startswith("Қазақстан")


@pytest.mark.parametrize(
    "text, reason",
    [
        (
            "Президент встретился с послом Ирана в столице.",
            "looks like Russian, translated as Kazakh",
        ),
        (
            "The governor met the ambassador of Iran today.",
            "looks like English, translated as Kazakh",
        ),
    ],
)
def test_a_sentence_in_another_language_is_flagged(text, reason):
    got, _ = pipeline_flags(text)
    assert got == {"language": reason}


def test_english_given_as_english_is_not_flagged_language():
    got, _ = pipeline_flags("The governor met the ambassador of Iran today.", "en", "kk")
    assert got == {}


class WordModel(ModelTranslator):
    """A model whose tokens are words: input tokens are the words plus one, and
    each source needs as many output tokens as ``need`` says (default: its words)."""

    backend = "words"

    def __init__(self, max_input=8, max_output=12, need=None):
        options = TranslationOptions(output_ratio=1.0, output_margin=0)
        super().__init__(options, max_input, max_output)
        self.need = need or {}
        self.limits: list[int] = []

    def count_tokens(self, texts, src, tgt):
        return [len(t.split()) + 1 for t in texts]

    def generate(self, texts, src, tgt, max_new_tokens):
        self.limits.append(max_new_tokens)
        out = []
        for t in texts:
            need = self.need.get(t, len(t.split()))
            n = min(need, max_new_tokens)
            out.append(
                Generated(" ".join(f"w{k}" for k in range(n)), -0.1, n, need > max_new_tokens)
            )
        return out

    def describe(self):
        return {"model": "words", "backend": self.backend}


def codes_of(translation):
    return [f.code for f in translation.flags]


def test_a_source_over_the_input_limit_is_split_and_flagged():
    model = WordModel(max_input=8)
    seven = "бір екі үш, төрт бес алты жеті"  # 8 tokens: at the limit
    eight = "бір екі үш, төрт бес алты жеті сегіз"  # 9 tokens
    fits, split = model.translate([seven, eight], "kk", "en")
    assert codes_of(fits) == [] and fits.pieces == 1
    assert codes_of(split) == ["split"] and split.pieces == 2


def test_an_output_at_its_hard_limit_is_flagged_truncated():
    short, retried, cut = "бір екі", "үш төрт", "бес алты"
    model = WordModel(max_output=12, need={retried: 12, cut: 13})
    a, b, c = model.translate([short, retried, cut], "kk", "en")
    assert codes_of(a) == []
    assert codes_of(b) == []  # over the first limit (3), retried within the hard one
    assert codes_of(c) == ["truncated"]
    assert 12 in model.limits


# ---------------------------------------------------------------------------
# Segmenter: abbreviations and initials, glued or spaced
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "Жиында проф.Ахметов сөйледі. Ол ғылым туралы айтты.",
            ["Жиында проф.Ахметов сөйледі.", "Ол ғылым туралы айтты."],
        ),
        (
            "Кеше акад.Сатпаев атындағы институтта доц.Әлиев баяндама жасады.",
            ["Кеше акад.Сатпаев атындағы институтта доц.Әлиев баяндама жасады."],
        ),
        (
            "Облыс әкімі М.Ахметжанов кездесуге қатысты. Ол сөз сөйледі.",
            ["Облыс әкімі М.Ахметжанов кездесуге қатысты.", "Ол сөз сөйледі."],
        ),
        (
            "Жиынға Ә.Н.Нұрмағамбетов пен Қ.-Ж.Тоқаев келді.",
            ["Жиынға Ә.Н.Нұрмағамбетов пен Қ.-Ж.Тоқаев келді."],
        ),
        (
            "Ақмола обл.Бурабай ауд.Щучинск қ.тұрғындары жиналды.",
            ["Ақмола обл.Бурабай ауд.Щучинск қ.тұрғындары жиналды."],
        ),
        ("Жиын мыс.Астанада өтті.", ["Жиын мыс.Астанада өтті."]),
        # a word of under three letters before a glued full stop: not a sentence end
        (
            "Оқиғаны көрген гр.Ахметов жауап берді. Ол бәрін айтты.",
            ["Оқиғаны көрген гр.Ахметов жауап берді.", "Ол бәрін айтты."],
        ),
        ("Жиынға Дж.Буш пен Dr.Smith келді.", ["Жиынға Дж.Буш пен Dr.Smith келді."]),
    ],
)
def test_glued_abbreviations_and_initials_stay_in_their_sentence(text, expected):
    assert_segments(text, expected)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Жиында проф. Ахметов сөйледі.", ["Жиында проф. Ахметов сөйледі."]),
        ("Жиынға М. Ахметжанов келді.", ["Жиынға М. Ахметжанов келді."]),
        ("Жиынға Ә. Н. Нұрмағамбетов келді.", ["Жиынға Ә. Н. Нұрмағамбетов келді."]),
        (
            "Ол 2024 ж. Астанада өткен көрмеге қатысты.",
            ["Ол 2024 ж. Астанада өткен көрмеге қатысты."],
        ),
        ("Қала XV ғ. Сырдария бойында салынған.", ["Қала XV ғ. Сырдария бойында салынған."]),
        (
            "Нарықта ет, сүт т.б. 2024 жылы қымбаттады.",
            ["Нарықта ет, сүт т.б. 2024 жылы қымбаттады."],
        ),
        (
            "Зауыт 1991 ж. салынған. Ол әлі жұмыс істейді.",
            ["Зауыт 1991 ж. салынған.", "Ол әлі жұмыс істейді."],
        ),
    ],
)
def test_abbreviations_mid_sentence_do_not_end_it(text, expected):
    assert_segments(text, expected)


@pytest.mark.parametrize(
    "text, expected",
    [
        # a missing space after a word is a sentence end, unlike проф.Ахметов
        ("Әкім сөйледі.Бүгін жиын өтті.", ["Әкім сөйледі.", "Бүгін жиын өтті."]),
        # ж. ends a sentence before a sentence starter only
        (
            "Зауыт 1991 ж. Бұл жылы Қазақстан тәуелсіздік алды.",
            ["Зауыт 1991 ж.", "Бұл жылы Қазақстан тәуелсіздік алды."],
        ),
        # т.б. ends a sentence before a capital
        ("Нарықта ет, сүт т.б. Бүгін баға өсті.", ["Нарықта ет, сүт т.б.", "Бүгін баға өсті."]),
        # a single capital before a sentence starter ends one (Plan B. The ...)
        ("Нұсқа В. Бұл нұсқа қымбатырақ.", ["Нұсқа В.", "Бұл нұсқа қымбатырақ."]),
    ],
)
def test_the_close_cases_that_do_end_a_sentence(text, expected):
    assert_segments(text, expected)


def assert_segments(text, expected):
    sentences = segment(text, "kk")
    assert [s.text for s in sentences] == expected
    for s in sentences:
        assert text[s.start : s.end] == s.text


# ---------------------------------------------------------------------------
# Alignment: each cost term decides a case
# ---------------------------------------------------------------------------

AKMOLA = [
    (
        "Ақмола облысының әкімі Марат Ахметжанов Иран елшісімен кездесті.",
        "Akmola region governor Marat Akhmetzhanov met the ambassador of Iran.",
    ),
    (
        "Тараптар сауда-экономикалық саладағы ағымдағы жағдайды қарастырды.",
        "The parties discussed the current situation in trade and economy.",
    ),
    (
        "Өңірде 1300-ге жуық өнеркәсіптік кәсіпорын жұмыс істейді.",
        "About 1300 industrial enterprises operate in the region.",
    ),
    (
        "Елші Иран компаниялары облыстағы жобаларға қызығушылық танытып отырғанын айтты.",
        "The ambassador said Iranian companies are interested in projects in the region.",
    ),
    (
        "Кездесуде туризм мен білім беру саласындағы ынтымақтастық та талқыланды.",
        "Cooperation in tourism and education was also discussed at the meeting.",
    ),
    (
        "Айта кетейік, бүгінде Ақмола өңірі 90 елмен сыртқы экономикалық қызметті жүзеге асыруда.",
        "Today the Akmola region carries out foreign economic activity with 90 countries.",
    ),
    (
        "Өткен жылы облыс пен Иран арасындағы тауар айналымы екі есе өсті.",
        "Last year trade between the region and Iran doubled.",
    ),
    (
        "Әкім шетелдік инвесторларға қолайлы жағдай жасалатынын атап өтті.",
        "The governor stressed that favourable conditions will be created for foreign investors.",
    ),
]
SNOW = [
    ("Қарағанды облысында екі күн бойы қар жауды.", "Snow fell in Karaganda region for two days."),
    (
        "Облыстағы бірнеше республикалық жол уақытша жабылды.",
        "Several national roads in the region were temporarily closed.",
    ),
    (
        "Құтқарушылар қар құрсауында қалған 25 көлікті шығарды.",
        "Rescuers freed 25 cars stuck in the snow.",
    ),
    (
        "Көліктерде 70-ке жуық адам болған, оның ішінде 12 бала.",
        "There were about 70 people in the cars, including 12 children.",
    ),
    (
        "Зардап шеккендер жылыту пункттеріне жеткізілді.",
        "The victims were taken to heating points.",
    ),
    (
        "Синоптиктер аптаның соңына дейін боран болатынын ескертті.",
        "Forecasters warned that the blizzard would last until the end of the week.",
    ),
    (
        "Тұрғындарға қажетсіз сапарлардан бас тарту ұсынылады.",
        "Residents are advised to avoid unnecessary trips.",
    ),
    (
        "Жол жағдайы туралы ақпаратты 109 нөмірі арқылы білуге болады.",
        "Information about road conditions is available by calling 109.",
    ),
]
EXPO = [
    (
        "Астанада халықаралық өнеркәсіп көрмесі ашылды.",
        "An international industrial exhibition opened in Astana.",
    ),
    (
        "Көрмеге 30 елден 500-ден астам компания қатысуда.",
        "More than 500 companies from 30 countries are taking part in the exhibition.",
    ),
    (
        "Ең көп компания Қытай, Түркия және Германиядан келді.",
        "Most companies came from China, Turkey and Germany.",
    ),
    (
        "Павильондарда ауыл шаруашылығы техникасы мен құрылыс материалдары көрсетілген.",
        "The pavilions display agricultural machinery and building materials.",
    ),
    (
        "Көрменің алғашқы күні 15 келісімге қол қойылды.",
        "On the first day of the exhibition 15 agreements were signed.",
    ),
    (
        "Келісімдердің жалпы сомасы 200 миллион доллардан асады.",
        "The total value of the agreements exceeds 200 million dollars.",
    ),
    (
        "Ұйымдастырушылардың айтуынша, көрмені үш күнде 40 мың адам тамашалайды.",
        "According to the organisers, 40 thousand people will visit the exhibition in three days.",
    ),
    ("Көрме жұма күні жабылады.", "The exhibition closes on Friday."),
]


def kk(article, *rows):
    return [article[r][0] for r in rows]


def en(article, *rows):
    return [article[r][1] for r in rows]


def beads(src, tgt, params=DEFAULT, **kw):
    return [(b.src, b.tgt) for b in align_sentences(src, tgt, "kk", "en", params=params, **kw)]


def assert_decides(src, tgt, expected, term, **kw):
    """DEFAULT gives ``expected``; without the term (``term`` replaced in the
    parameters) the alignment differs, so the term is what decides this case."""
    assert beads(src, tgt, **kw) == expected
    assert beads(src, tgt, dataclasses.replace(DEFAULT, **term), **kw) != expected


def test_run_discount_keeps_a_missing_passage_unaligned_as_a_whole():
    """The Kazakh version has a four-sentence passage the English leaves out,
    where the English adds a sentence of its own: with the run discount every
    sentence of the passage stays unaligned, without it one is paired with the
    English sentence for its length."""
    passage = [
        "Спорт басқармасы балалар мен жасөспірімдерге арналған секциялардың санын көбейтті.",
        "Ішкі саясат басқармасы тұрғындармен кездесулер өткізіп, ұсыныстарды жинады.",
        "Мәдениет үйлерінде жаңа үйірмелер ашылып, халық шығармашылығы дамытылуда.",
        "Ауыл шаруашылығы басқармасы егіс науқанына дайындықты тексерді.",
    ]
    extra = "The weather service warned of strong winds in the north of the country."
    src = kk(AKMOLA, 0, 1, 2, 3) + passage + kk(AKMOLA, 4, 5, 6, 7)
    tgt = en(AKMOLA, 0, 1, 2, 3) + [extra] + en(AKMOLA, 4, 5, 6, 7)
    expected = [((k,), (k,)) for k in range(4)]
    expected += [((), (4,))] + [((4 + k,), ()) for k in range(4)]
    expected += [((8 + k,), (5 + k,)) for k in range(4)]
    assert_decides(src, tgt, expected, {"run_discount": 0.0})


def test_paragraph_ends_keep_a_pair_from_joining_across_them():
    """The English leaves out the first sentence of the second paragraph: without
    the paragraph terms it is joined to the last sentence of the first paragraph."""
    src = kk(EXPO, 1, 2, 3)
    tgt = en(EXPO, 1, 3)
    paragraphs = {"src_paragraphs": [0, 1, 1], "tgt_paragraphs": [0, 1]}
    expected = [((0,), (0,)), ((1,), ()), ((2,), (1,))]
    assert_decides(src, tgt, expected, {"paragraph": 0.0}, **paragraphs)
    # the same lists without paragraphs: nothing keeps the sentence out
    assert beads(src, tgt) == [((0, 1), (0,)), ((2,), (1,))]


def test_paragraph_ends_decide_which_of_two_equal_sentences_is_unaligned():
    """Two identical Kazakh sentences, one translated: the untranslated one
    closes the first paragraph, the translated one is in the second, as its English."""
    same = "Ол сонда тұрған жоқ еді."
    src = ["Біз бүгін жиналдық.", same, same]
    tgt = ["We gathered today.", "He was not there."]
    paragraphs = {"src_paragraphs": [0, 0, 1], "tgt_paragraphs": [0, 1]}
    expected = [((0,), (0,)), ((1,), ()), ((2,), (1,))]
    assert_decides(src, tgt, expected, {"paragraph": 0.0}, **paragraphs)


def test_document_priors_merge_a_short_sentence_where_the_english_joins_sentences():
    """The English joins three pairs of sentences with semicolons, and a short
    Kazakh sentence with a colon: the priors re-estimated from the first pass make
    2-1 beads cheap enough that the short sentence is merged, not left unaligned."""
    src = kk(SNOW, 0, 1, 2, 3, 4, 5, 6) + ["Сақ болыңыздар."] + kk(SNOW, 7)
    e = en(SNOW, *range(8))

    def join(a, b):
        return a.rstrip(".") + "; " + b[0].lower() + b[1:]

    tgt = [
        join(e[0], e[1]),
        join(e[2], e[3]),
        join(e[4], e[5]),
        e[6].rstrip(".") + ": be careful.",
        e[7],
    ]
    expected = [((0, 1), (0,)), ((2, 3), (1,)), ((4, 5), (2,)), ((6, 7), (3,)), ((8,), (4,))]
    assert_decides(src, tgt, expected, {"prior_weight": 1e9})  # priors stay at the defaults


@pytest.mark.parametrize(
    "src_rows, tgt_rows",
    [((4, 5), (3, 5)), ((3, 5), (4, 5))],
    ids=["numbers-only-in-english", "numbers-only-in-kazakh"],
)
def test_a_number_on_one_side_only_keeps_two_sentences_apart(src_rows, tgt_rows):
    """Each side lost a sentence; the two left over are of fitting lengths, but
    one of them has numbers (70, 12) the other lacks, on either side."""
    src = kk(SNOW, *src_rows)
    tgt = en(SNOW, *tgt_rows)
    assert_decides(src, tgt, [((), (0,)), ((0,), ()), ((1,), (1,))], {"hard_miss": 0.0})


def test_shared_words_find_the_sentences_an_english_sentence_joins():
    """The English joins two sentences and has one more of its own: only the
    shared words (victims, forecasters, blizzard ...) say which two."""
    src = kk(SNOW, 4, 5)
    tgt = [en(SNOW, 4)[0] + " " + en(SNOW, 5)[0]] + en(SNOW, 6)
    assert_decides(src, tgt, [((0, 1), (0,)), ((), (1,))], {"bonus": 0.0})


def test_sentences_that_share_nothing_are_not_paired_for_their_lengths():
    """Each side lost a different sentence: the two left at the end have fitting
    lengths but share no word, and stay unaligned."""
    src = kk(EXPO, 0, 1, 3)
    tgt = en(EXPO, 0, 1, 2)
    expected = [((0,), (0,)), ((1,), (1,)), ((), (2,)), ((2,), ())]
    assert_decides(src, tgt, expected, {"miss": 0.0})


def test_a_merged_sentence_that_brings_no_evidence_stays_unaligned():
    """The English has only the last of four sentences: in a document with more
    deletions than merges, the second pass does not absorb the sentence before
    it into a 2-1 bead that its own words do not support."""
    src = kk(AKMOLA, 4, 5, 6, 7)
    tgt = en(AKMOLA, 7)
    expected = [((0,), ()), ((1,), ()), ((2,), ()), ((3,), (0,))]
    assert_decides(src, tgt, expected, {"orphan": 0.0})
    assert_decides(src, tgt, expected, {"orphan_per_key": 0.0})


def test_a_merge_that_one_sentence_does_not_support_is_split_off():
    """The English joins two sentences and lacks the ones around them: the
    sentence before the two is not pulled into a 3-1 bead with them."""
    src = kk(EXPO, 2, 3, 4, 5, 6)
    tgt = [en(EXPO, 4)[0] + " " + en(EXPO, 5)[0]]
    expected = [((0,), ()), ((1,), ()), ((2, 3), (0,)), ((4,), ())]
    assert_decides(src, tgt, expected, {"orphan": 0.0})


def test_two_sentences_whose_partners_were_deleted_are_not_paired():
    """The Kazakh lacks the first sentence and the English the second: a 1-1
    pair of the two left over is weak evidence in a document with deletions."""
    src = kk(AKMOLA, 1, 2)
    tgt = en(AKMOLA, 0, 2, 3)
    expected = [((), (0,)), ((0,), ()), ((1,), (1,)), ((), (2,))]
    assert_decides(src, tgt, expected, {"weak": 0.0})


def test_the_length_model_keeps_a_short_sentence_from_absorbing_a_long_one():
    """An English sentence twice as long as its Kazakh one is not a 1-2 bead
    with the next English sentence (which has no Kazakh)."""
    src = kk(AKMOLA, 1, 2)
    tgt = en(AKMOLA, 2, 3)
    expected = [((0,), ()), ((1,), (0,)), ((), (1,))]
    assert_decides(src, tgt, expected, {"variance": 1e9})
