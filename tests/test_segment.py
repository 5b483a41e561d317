"""Segmentation: golden Kazakh cases, the seed, and losslessness on any input."""

from pathlib import Path

import pytest
from conftest import SEED_LAYOUT
from hypothesis import given, settings
from hypothesis import strategies as st

from translate.errors import UnsupportedLanguageError
from translate.text.reader import parse_article
from translate.text.segment import segment

GOLDEN = Path(__file__).parent / "golden"


def load_golden(name):
    cases = []
    for block in (GOLDEN / name).read_text("utf-8").split("\n===\n")[1:]:
        lines = block.strip("\n").split("\n")
        title = next((x[1:].strip() for x in lines if x.startswith("#")), "case")
        body = [x for x in lines if not x.startswith("#")]
        sep = body.index("---")
        cases.append(pytest.param("\n".join(body[:sep]), body[sep + 1 :], id=title))
    return cases


@pytest.mark.parametrize("text, expected", load_golden("kk.txt"))
def test_golden_kk(text, expected):
    got = [" ".join(s.text.split()) for s in segment(text, "kk")]
    assert got == expected


@pytest.mark.parametrize("text, expected", load_golden("en.txt"))
def test_golden_en(text, expected):
    got = [" ".join(s.text.split()) for s in segment(text, "en")]
    assert got == expected


def test_seed_has_16_segments(seed_text):
    doc = parse_article(seed_text, "seed")
    assert doc.date == "2026-02-23"
    sents = segment(doc.text, "kk", doc_id="seed", start=doc.body_start)
    assert len(sents) == 16
    counts = [sum(1 for s in sents if s.paragraph == p) for p in range(len(SEED_LAYOUT))]
    assert counts == SEED_LAYOUT
    assert sents[8].text.endswith("– деді М.Ахметжанов.")


def test_unknown_language_lists_supported():
    with pytest.raises(UnsupportedLanguageError, match="supported: kk, en"):
        segment("Сәлем.", "ru")


def check_lossless(text, sentences):
    pos = 0
    covered = []
    for s in sentences:
        assert s.start >= pos, "overlap or out of order"
        assert s.text == text[s.start : s.end]
        assert s.text == s.text.strip() and s.text
        assert text[pos : s.start].strip() == "", "non-space text skipped"
        covered.append(s.text)
        pos = s.end
    assert text[pos:].strip() == ""
    assert [s.index for s in sentences] == list(range(len(sentences)))
    paras = [s.paragraph for s in sentences]
    assert paras == sorted(paras)


ALPHABET = st.sampled_from(
    list("абвгдеёжзийклмнопрстуфхцчшщъыьэюяәғқңөұүһі АБӘҒҚҢӨҰҮҺІ abcXYZ0123456789")
    + list(".!?…,;:«»\"“”„'()-–— \n\t\r\u00a0\u2028\x0b\x00\x1f\u200b")
    + ["...", "?!", "ж.", "т.б.", "М."]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(ALPHABET, max_size=200).map("".join), st.sampled_from(["kk", "en"]))
def test_lossless_on_kazakh_like_text(text, lang):
    check_lossless(text, segment(text, lang))


@settings(max_examples=200, deadline=None)
@given(st.lists(ALPHABET, max_size=150).map("".join))
def test_lossless_on_text_with_lost_letters(text):
    # "а?а" twice makes the segmenter read "?" next to Cyrillic letters as lost letters
    text = "а?а б?б " + text
    check_lossless(text, segment(text, "kk"))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300), st.sampled_from(["kk", "en"]))
def test_lossless_on_any_unicode(text, lang):
    check_lossless(text, segment(text, lang))


def test_lossless_on_a_very_long_line():
    text = ("Бұл өте ұзын сөйлем, " * 5000) + "бітті. " + "Ж." * 1000 + " ...!?" * 500
    check_lossless(text, segment(text, "kk"))


def test_start_offset_skips_prefix():
    text = "date 2026-01-01 Тақырып\nМәтін."
    sents = segment(text, start=16)
    assert [s.text for s in sents] == ["Тақырып", "Мәтін."]
    assert sents[0].start == 16


@pytest.mark.parametrize(
    "unit", ["a.", "Ж.", "a.b@", "https://x.kz/", "5. ", "Хат info@akmola.gov.kz. "]
)
def test_pathological_repetitions_stay_lossless(unit):
    # Regression: URL/e-mail matching and the URL lookup were quadratic on such runs.
    text = unit * 50_000
    check_lossless(text, segment(text, "kk"))


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Ол кездесті.\u200b Біз дайынбыз.", ["Ол кездесті.\u200b", "Біз дайынбыз."]),
        ("Ол кездесті.\u200bБіз дайынбыз.", ["Ол кездесті.\u200b", "Біз дайынбыз."]),
        ("Ол «кездесті.»\u200b Біз дайынбыз.", ["Ол «кездесті.»\u200b", "Біз дайынбыз."]),
        ("Ол кездесті.\u00ad Біз дайынбыз.", ["Ол кездесті.\u00ad", "Біз дайынбыз."]),
        ("Ол кездесті.\ufeff\u2060 Біз дайынбыз.", ["Ол кездесті.\ufeff\u2060", "Біз дайынбыз."]),
        ("Ол кездесті. \u200bБіз дайынбыз.", ["Ол кездесті.", "\u200bБіз дайынбыз."]),
        ("Ол кездесті.\u200b — деді ол.", ["Ол кездесті.\u200b — деді ол."]),
        ("Ол т.б.\u200b заттар алды.", ["Ол т.б.\u200b заттар алды."]),
        ("М.\u200bАхметжанов келді.", ["М.\u200bАхметжанов келді."]),
    ],
)
def test_invisible_characters_do_not_hide_a_boundary(text, expected):
    """Zero-width spaces, joiners, soft hyphens and BOMs pasted after a full stop
    (common in text copied from web pages) neither block nor invent a split."""
    assert [s.text for s in segment(text, "kk")] == expected


def test_question_marks_standing_for_lost_letters_do_not_split():
    """Kazakh saved as CP1251 has "?" for ә ө ү ұ ғ қ ң һ: they end no sentence."""
    clean = (
        "Ақмола облысының әкімі елшімен кездесті. Тараптар сауда саласындағы "
        "мәселелерді талқылады. Өңірде мыңға жуық кәсіпорын жұмыс істейді. Сіз "
        "қашан келесіз? Біз күтеміз."
    )
    damaged = clean.encode("cp1251", errors="replace").decode("cp1251")
    got = segment(damaged, "kk")
    assert [(s.start, s.end) for s in got] == [(s.start, s.end) for s in segment(clean, "kk")]
    assert len(got) == 5
    # without the damage, a question mark before a lower-case word still ends nothing,
    # and one before a capital still ends a sentence
    assert len(segment("Неге? Біз білмейміз. Сен қайда? Мен үйде.", "kk")) == 4


RULES = """# a comment line
[abbreviations]
Проф    noend    # a title, never at the end
ж.б     mayend
ғ       date
сағ     rarely

[starters]
Бұл
# the quotation joins the sentence of:
[embedding]
Деп
[notes]
anything here is ignored
"""


def test_rule_files_are_read_by_section_class_and_case():
    from translate.text.segment import LanguageRules, _parse_rules

    rules = _parse_rules("kk", RULES)
    assert rules == LanguageRules(
        "kk",
        noend=frozenset({"проф"}),
        mayend=frozenset({"ж.б"}),
        rarely=frozenset({"сағ", "ғ"}),  # date abbreviations are rarely ones too
        starters=frozenset({"бұл"}),
        date=frozenset({"ғ"}),
        embedding=frozenset({"деп"}),
    )


@pytest.mark.parametrize("line", ["проф", "проф noend extra", "проф sometimes"])
def test_a_malformed_abbreviation_line_names_itself(line):
    from translate.text.segment import _parse_rules

    with pytest.raises(ValueError) as err:
        _parse_rules("kk", f"[abbreviations]\n{line}\n")
    assert str(err.value) == f"bad abbreviation line in kk rules: {line!r}"


def test_shipped_rule_files_parse():
    from translate.text.segment import language_rules

    for lang in ("kk", "en"):
        rules = language_rules(lang)
        assert rules.lang == lang and rules.noend and rules.mayend and rules.rarely
    assert "ж" in language_rules("kk").date and "деп" in language_rules("kk").embedding
