"""Knowing what came in: ``--src auto``, other languages named in flags and
warnings, mojibake (UTF-8 read as CP1251) repaired for the model and segmented
with offsets into the text as read."""

from __future__ import annotations

import json
import logging

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from translate.align.document import evidence_texts
from translate.cli import main
from translate.intake import prepare_input
from translate.mt.translator import Translator
from translate.pipeline import translate_documents
from translate.records import Document, Translation
from translate.text.language import detect_language, guess_language
from translate.text.mojibake import REASON, MojibakeMap, has_mojibake, repair_mojibake
from translate.text.normalize import DocumentWords
from translate.text.segment import segment
from translate.text.translit import to_latin

FAST = ["--beam", "1", "--max-output-tokens", "8", "-q"]

KAZAKH = (
    "Ақмола облысының әкімі Марат Ахметжанов Иран елшісімен кездесті. Тараптар сауда, "
    "ауыл шаруашылығы және білім беру салаларындағы ынтымақтастықты талқылады.\n"
    "Өңірде мыңға жуық кәсіпорын жұмыс істейді. Биыл облыста жаңа зауыт салынады деп "
    "күтілуде."
)
RUSSIFIED = KAZAKH.translate(str.maketrans("әғқңөұүһіӘҒҚҢӨҰҮҺІ", "агкноуухиАГКНОУУХИ"))
ENGLISH = (
    "The governor of Akmola region met the ambassador of Iran on Monday. They discussed "
    "trade, agriculture and education.\nAbout a thousand companies work in the region, "
    "and a new plant will be built this year."
)
KYRGYZ = "Кыргызстандын президенти Бишкекте чет элдик инвесторлор менен жолукту."
TATAR = "Татарстан Республикасы Президенты Казанда киңәшмә үткәрде һәм чыгыш ясады."
UZBEK = "Ўзбекистон Республикаси Президенти Тошкентда хорижий инвесторлар билан учрашди."
RUSSIAN = "Президент России провёл совещание с членами правительства в Кремле."


def mojibake(text: str) -> str:
    """``text`` as UTF-8 read as CP1251 (0x98, undefined there, kept as U+0098)."""
    return "".join("\x98" if b == 0x98 else bytes([b]).decode("cp1251") for b in text.encode())


class Recorder(Translator):
    """Records what the model would get; translates each sentence to a marker."""

    backend = "recorder"

    def __init__(self, extra: tuple[str, ...] = ()):
        self.calls: list[tuple[str, str, list[str]]] = []
        self.extra = extra

    def translate(self, texts, src, tgt):
        self.calls.append((src, tgt, list(texts)))
        return [Translation(f"<{src}-{tgt}>", -0.1) for _ in texts]

    def describe(self):
        return {"model": "recorder", "backend": self.backend}

    def extra_sources(self):
        return self.extra

    def inputs(self) -> list[str]:
        return [t for _, _, texts in self.calls for t in texts]


# ---------------------------------------------------------------------------
# Sentences and documents
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, lang",
    [(KYRGYZ, "ky"), (TATAR, "tt"), (UZBEK, "uz"), (RUSSIAN, "ru"), (KAZAKH, "kk")],
)
def test_sentences_name_their_language(text, lang):
    assert guess_language(text) == lang


@pytest.mark.parametrize(
    "text",
    [
        "Кыргыз тили мамлекеттик тил болуп саналат.",  # ң ө ү of Kazakh's, no ә ғ қ ұ і
        "Бүгүн шаарда аба ырайы жылуу болот деп күтүлүүдө.",
        "Казанда яңа хастаханә ачылды.",  # ә ң without қ ғ і ұ
        "Халқ таълими вазирлиги ўқув йилининг бошланиши ҳақида маълумот берди.",  # қ ғ + ў ҳ
    ],
)
def test_neighbours_sharing_kazakh_letters_are_not_kazakh(text):
    assert guess_language(text) not in ("kk", None)


@pytest.mark.parametrize(
    "text", [KAZAKH, to_latin(KAZAKH), "Жедел жәрдем минут сайын адамдарды әкелуде."]
)
def test_kazakh_in_any_script_is_kazakh(text):
    assert guess_language(text) == "kk"


@pytest.mark.parametrize(
    "text",
    [
        # no Kazakh letter at all: Kyrgyz endings and spellings say it
        "Балдар мектепте футбол ойношот.",  # 3rd person plural -шот
        "Балдар театрга барышты.",  # -ышты (Kazakh -ысты)
        "Бишкекте эл аралык конференция ачылды.",  # a name with an ending
        "Ал журналисттерге маек куруп берди.",  # the converb in -уп (Kazakh -ып)
        "Биз бул маселени жумада талкуулайбыз.",  # биз, бул: Kyrgyz words too
    ],
)
def test_kyrgyz_without_kazakh_letters_is_kyrgyz(text):
    assert guess_language(text) == "ky"


@pytest.mark.parametrize(
    "text",
    [
        # doubled vowels of a compound and of an abbreviation, typed with Russian letters
        "Елимиз Еуроодак елдеримен сауда байланысын кенейтуде.",
        "БУУ окилдери ТМД елдеринин басшыларымен кездесуди жоспарлап отыр.",
        "Автоондирушилер жана зауыт салуды жоспарлап отыр.",
    ],
)
def test_russified_kazakh_with_doubled_vowels_is_not_kyrgyz(text):
    assert guess_language(text) in ("kk", None)


def test_kazakh_typed_with_russian_letters_is_named_nothing_else():
    for line in RUSSIFIED.split(". "):
        assert guess_language(line) in ("kk", None)


def test_english_contractions_are_no_latin_kazakh():
    assert guess_language("They're nippers, very inquisitive ... they aren't out to hurt you.") in (
        "en",
        None,
    )
    assert guess_language("Kovacic did a quick give-and-go at midfield.") != "kk"


@pytest.mark.parametrize(
    "text, expected",
    [
        (KAZAKH, ("kk", None)),
        (to_latin(KAZAKH), ("kk", None)),
        (RUSSIFIED, ("kk", None)),
        (ENGLISH, ("en", None)),
        (mojibake(KAZAKH), ("kk", None)),
        ("\n".join([KYRGYZ] * 3), ("kk", "ky")),
        ("\n".join([TATAR] * 3), ("kk", "tt")),
        ("\n".join([UZBEK] * 3), ("kk", "uz")),
        ("\n".join([RUSSIAN] * 3), ("kk", "ru")),
    ],
)
def test_detect_language_of_a_document(text, expected):
    lang, confidence, other = detect_language(text)
    assert (lang, other) == expected
    assert 0.5 <= confidence <= 1.0


def test_detect_language_of_nothing_much():
    assert detect_language("") == ("kk", 0.5, None)
    assert detect_language("We are ready.")[0] == "en"
    assert detect_language("Біз дайынбыз.")[0] == "kk"


# ---------------------------------------------------------------------------
# --src auto on the command line
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, src, tgt",
    [
        (KAZAKH, "kk", "en"),
        (to_latin(KAZAKH), "kk", "en"),
        (RUSSIFIED, "kk", "en"),
        (ENGLISH, "en", "kk"),
    ],
    ids=["cyrillic", "latin", "russian-letters", "english"],
)
def test_src_auto_picks_the_direction(text, src, tgt, tiny_nllb, tmp_path, capsys):
    path = tmp_path / "article.txt"
    path.write_text(text, encoding="utf-8")
    code = main(["run", str(path), "--src", "auto", "--model", str(tiny_nllb), *FAST])
    out, err = capsys.readouterr()
    assert code == 0, err
    lines = [json.loads(x) for x in out.splitlines()]
    header = lines[0]
    assert (header["run"]["src_lang"], header["run"]["tgt_lang"]) == (src, tgt)
    assert f"|{src}-{tgt}|" in header["signature"]
    sentences = [x for x in lines if x["type"] == "sentence"]
    assert sentences and all((s["src_lang"], s["tgt_lang"]) == (src, tgt) for s in sentences)


def test_src_auto_refuses_tgt_and_mixed_inputs(tiny_nllb, tmp_path, capsys):
    kk, en = tmp_path / "a.txt", tmp_path / "b.txt"
    kk.write_text(KAZAKH, encoding="utf-8")
    en.write_text(ENGLISH, encoding="utf-8")
    assert main(["run", str(kk), "--src", "auto", "--tgt", "en", "-q"]) == 2
    assert "leave out --tgt" in capsys.readouterr().err
    code = main(["run", str(kk), str(en), "--src", "auto", "--model", str(tiny_nllb), *FAST])
    assert code == 2
    assert "different languages" in capsys.readouterr().err


def test_batch_src_auto_gives_each_article_its_direction(tiny_nllb, tmp_path, capsys):
    src = tmp_path / "in"
    src.mkdir()
    (src / "kaz.txt").write_text(KAZAKH, encoding="utf-8")
    (src / "eng.txt").write_text(ENGLISH, encoding="utf-8")
    out = tmp_path / "out"
    code = main(
        ["batch", str(src), "-o", str(out), "--src", "auto", "--to", "jsonl,moses"]
        + ["--model", str(tiny_nllb), "--no-cache", *FAST]
    )
    assert code == 0, capsys.readouterr().err
    for name, pair in (("kaz", ("kk", "en")), ("eng", ("en", "kk"))):
        header = json.loads((out / f"{name}.jsonl").read_text("utf-8").splitlines()[0])
        assert (header["run"]["src_lang"], header["run"]["tgt_lang"]) == pair
        source = (out / f"{name}.{pair[0]}").read_text("utf-8")
        assert source.split("\n")[0] in (KAZAKH + ENGLISH)


def test_align_src_auto(tmp_path, capsys):
    kk, en = tmp_path / "a.kk.txt", tmp_path / "a.en.txt"
    kk.write_text(KAZAKH, encoding="utf-8")
    en.write_text(ENGLISH, encoding="utf-8")
    assert main(["align", str(en), str(kk), "--src", "auto", "-q"]) == 0
    header = json.loads(capsys.readouterr().out.splitlines()[0])
    assert (header["run"]["src_lang"], header["run"]["tgt_lang"]) == ("en", "kk")


# ---------------------------------------------------------------------------
# Other languages in a Kazakh document: flags and warnings
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("sentence, name", [(KYRGYZ, "Kyrgyz"), (TATAR, "Tatar"), (UZBEK, "Uzbek")])
def test_neighbouring_languages_are_flagged_by_name(sentence, name):
    doc = Document("mixed", KAZAKH + "\n" + sentence)
    (result,) = translate_documents([doc], Recorder(), "kk", "en")
    last = result.records[-1]
    assert {f.code: f.reason for f in last.flags}["language"] == (
        f"looks like {name}, translated as Kazakh"
    )
    assert all("language" not in r.flag_codes for r in result.records[:-1])


def test_a_document_mostly_in_kyrgyz_gets_a_warning_naming_it(caplog):
    doc = Document("ky", "\n".join([KYRGYZ, "Бүгүн шаарда аба ырайы жылуу болот деп күтүлүүдө."]))
    with caplog.at_level(logging.WARNING, logger="translate"):
        list(translate_documents([doc], Recorder(), "kk", "en"))
    assert "most sentences look like Kyrgyz" in caplog.text
    assert "Kazakh and English only" in caplog.text


def test_a_mixed_document_is_not_said_to_be_mostly_one_language(caplog):
    """One Kazakh, one Kyrgyz and one Tatar sentence: flagged one by one, and
    no warning that most of it is Kyrgyz."""
    doc = Document("mix", "\n".join([ONE_LINE, KYRGYZ, TATAR]))
    with caplog.at_level(logging.WARNING, logger="translate"):
        (result,) = translate_documents([doc], Recorder(), "kk", "en")
    flagged = [r for r in result.records if "language" in r.flag_codes]
    assert len(flagged) == 2 and len(result.records) == 3
    assert "most sentences" not in caplog.text


# ---------------------------------------------------------------------------
# Mojibake
# ---------------------------------------------------------------------------


def test_mojibake_is_seen_and_clean_text_is_not():
    assert has_mojibake(mojibake(KAZAKH)) and has_mojibake(mojibake("Ақмола"))
    assert not has_mojibake(KAZAKH) and not has_mojibake(ENGLISH) and not has_mojibake(RUSSIAN)
    assert not has_mojibake("Сёмга и Рёрих: Тёмная ночь.")  # legitimate capital + ё
    assert repair_mojibake(mojibake(KAZAKH)) == KAZAKH
    assert repair_mojibake("Ақмола " + mojibake("Ақмола облысы")) == "Ақмола Ақмола облысы"


@pytest.mark.parametrize("lang, text", [("kk", KAZAKH), ("en", ENGLISH + " — “so”.")])
def test_mojibake_is_repaired_for_the_model_and_flagged(lang, text, caplog):
    clean, broken = Recorder(), Recorder()
    tgt = "en" if lang == "kk" else "kk"
    (ok,) = translate_documents([Document("clean", text)], clean, lang, tgt)
    with caplog.at_level(logging.WARNING, logger="translate"):
        (bad,) = translate_documents([Document("broken", mojibake(text))], broken, lang, tgt)
    assert broken.inputs() == clean.inputs()
    raw = mojibake(text)
    for r, c in zip(bad.records, ok.records, strict=True):
        assert r.source == raw[r.start : r.end] and r.source == mojibake(c.source)
        assert "normalized" not in c.flag_codes
        if r.source == c.source:  # ASCII reads the same
            assert "normalized" not in r.flag_codes
        else:
            assert REASON in {f.code: f.reason for f in r.flags}["normalized"]
    assert any(r.source != c.source for r, c in zip(bad.records, ok.records))
    assert "UTF-8 that was read as CP1251" in caplog.text


def test_mojibake_sentences_are_those_of_the_clean_text():
    text = "date 2026-02-23 Тақырып\n" + KAZAKH + "\n«Тарих» — 2026 ж. шықты!\u00a0Хабар."
    raw = mojibake(text)
    clean, got = segment(text, start=16), segment(raw, start=16)
    assert [(s.paragraph, s.index) for s in got] == [(s.paragraph, s.index) for s in clean]
    assert [repair_mojibake(s.text).strip() for s in got] == [s.text for s in clean]
    assert all(s.text == raw[s.start : s.end] for s in got)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            list("абвгдеёжзийклмнопрстуфхцчшщъыьэюяәғқңөұүһі АӘҚЫІ.!?…«»—–-,\n")
            + [" ", "\u00a0", "\u2028", "ж.", "т.б.", "М.", "2026", "x"]
        ),
        max_size=120,
    ).map("".join)
)
def test_segmenting_mojibake_is_lossless(text):
    raw = mojibake("Ақмола облысы әкімі. " + text)
    m = MojibakeMap(raw)
    for i in range(len(m.fixed) + 1):
        assert m.to_fixed(m.to_raw(i)) == i
    pos = 0
    sentences = segment(raw, "kk")
    for s in sentences:
        assert s.start >= pos and s.text == raw[s.start : s.end] and s.text.strip() == s.text
        assert raw[pos : s.start].strip() == ""
        pos = s.end
    assert raw[pos:].strip() == ""


def test_clean_text_is_not_flagged():
    context = DocumentWords(KAZAKH)
    assert not context.mojibake
    for line in KAZAKH.split("\n"):
        _, flags = prepare_input(line, "kk", "auto", context)
        assert flags == ()


def test_align_reads_mojibake_repaired():
    sentences = [s.text for s in segment(KAZAKH)]
    broken = [s.text for s in segment(mojibake(KAZAKH))]
    assert evidence_texts(mojibake(KAZAKH), broken, "kk") == evidence_texts(KAZAKH, sentences, "kk")


def test_align_warns_about_mojibake_and_pairs_it_as_the_clean_text(caplog):
    from translate.align import align_documents

    clean = align_documents(Document("a", KAZAKH), Document("b", ENGLISH), "kk", "en")
    with caplog.at_level(logging.WARNING, logger="translate"):
        broken = align_documents(
            Document("a", mojibake(KAZAKH)), Document("b", ENGLISH), "kk", "en"
        )
    assert "a: the text looks like UTF-8 that was read as CP1251" in caplog.text
    assert [(r.translation, r.score) for r in broken.records] == [
        (r.translation, r.score) for r in clean.records
    ]


def test_preload_loads_the_second_opinion_in_the_background(monkeypatch):
    """The commands start loading py3langid while the model loads, so the
    first sentence that needs it does not wait."""
    import threading

    from translate.text import langid

    monkeypatch.setattr(langid, "_models", {})
    langid.preload()
    for thread in threading.enumerate():
        if thread.name == "translate-langid":
            thread.join(30)
    assert "cyrl" in langid._models


@pytest.mark.parametrize(
    "letters, clear",
    [
        ({"і", "ә"}, True),  # і with another Kazakh letter
        ({"і", "ң"}, True),
        ({"і"}, False),  # Ukrainian and Belarusian have і alone
        ({"ә", "қ"}, True),  # ә with қ or ғ: not Tatar, not Uzbek
        ({"ә", "ғ"}, True),
        ({"ә"}, False),  # Tatar
        ({"ә", "ң", "ө"}, False),  # Tatar too
        ({"қ", "ң"}, True),  # қ or ғ with ң ө ү: not Kyrgyz, not Uzbek
        ({"ғ", "ө"}, True),
        ({"ғ", "ү"}, True),
        ({"қ", "ғ"}, False),  # Uzbek
        ({"ң", "ө", "ү"}, False),  # Kyrgyz
    ],
)
def test_letter_combinations_no_neighbour_has(letters, clear):
    from translate.text.language import _clearly_kazakh

    assert _clearly_kazakh(set(letters)) is clear


def test_kyrgyz_votes_scale_with_the_text():
    """Two Kyrgyz words or forms in a short text, one in ten words in a long one."""
    from translate.text.language import _looks_kyrgyz

    plain = ["сөз"] * 8
    assert _looks_kyrgyz(["менен", "үчүн", *plain])  # 10 words, 2 votes
    assert not _looks_kyrgyz(["менен", *plain])
    assert _looks_kyrgyz(["Менен", "ҮЧҮН", *plain])  # case does not matter
    assert _looks_kyrgyz(["менен", "жыйноо", *plain])  # a word and a doubled vowel
    assert not _looks_kyrgyz(["менен", "үчүн", *(["сөз"] * 28)])  # 30 words: 3 needed
    assert _looks_kyrgyz(["менен", "үчүн", "боюнча", *(["сөз"] * 27)])
    assert _looks_kyrgyz(["шаар", "үчүн", *(["сөз"] * 28)])  # шаар: a word and a doubled vowel
    assert _looks_kyrgyz(["менен", "үчүн", "боюнча", *(["сөз"] * 32)])  # 35 words: 3 (not 3.5)


def test_long_lines_are_read_sentence_by_sentence():
    from translate.text.language import _chunks

    line = "Бір сөйлем. " * 33 + "Соңы"  # 400 characters
    assert len(line) == 400 and list(_chunks(line)) == [line]
    longer = line + "."
    assert list(_chunks(longer))[:2] == ["Бір сөйлем.", "Бір сөйлем."]
    assert list(_chunks("a\nb")) == ["a", "b"]


class LatinStubs:
    """``_guess_latin`` with Latin-script Kazakh detection and the second
    opinion replaced by stubs that record their calls."""

    def __init__(self, monkeypatch, kazakh=False, opinion=("de", 0.995), available=True):
        import translate.text.language as language

        self.kazakh_texts: list[str] = []
        self.asked: list[tuple] = []

        def is_latin_kazakh(text):
            self.kazakh_texts.append(text)
            return kazakh

        def second_opinion(*args):
            self.asked.append(args)
            return opinion

        monkeypatch.setattr(language, "is_latin_kazakh", is_latin_kazakh)
        monkeypatch.setattr(language.langid, "second_opinion", second_opinion)
        monkeypatch.setattr(language.langid, "available", lambda: available)

    def guess(self, words: list[str], text: str | None = None, second_opinion: bool = True):
        from translate.text.language import _guess_latin

        return _guess_latin(text if text is not None else " ".join(words), words, second_opinion)


@pytest.mark.parametrize(
    "words, expected",
    [
        (["the", "and", *["x"] * 14], "en"),  # 2 strong words, 2 of 16 (16 // 8)
        (["the", "and", *["x"] * 15], "en"),  # 2 of 17: 17 // 8 = 2, not 2.125
        (["the", "x", *["x"] * 14], "kk"),  # one strong word: Latin Kazakh decides
        (["the", "and", *["x"] * 22], "kk"),  # 2 of 24: under one in eight
    ],
)
def test_english_function_words_come_before_latin_kazakh(monkeypatch, words, expected):
    stubs = LatinStubs(monkeypatch, kazakh=True)
    assert stubs.guess(words) == expected


def test_a_kazakh_latin_letter_keeps_english_words_from_deciding(monkeypatch):
    stubs = LatinStubs(monkeypatch, kazakh=True)
    words = ["the", "and", *["x"] * 14]
    assert stubs.guess(words, "the and äxx") == "kk"


def test_latin_kazakh_is_judged_without_english_contractions(monkeypatch):
    stubs = LatinStubs(monkeypatch)
    stubs.guess(["it's", "qazaq"], "it's Qazaq")
    stubs.guess(["sälem", "it's"], "sälem it's")
    assert stubs.kazakh_texts == ["it Qazaq", "sälem it's"]  # a Kazakh letter: as written


@pytest.mark.parametrize(
    "words, expected",
    [
        (["in", "to", *["x"] * 18], "en"),  # 2 of 20 ordinary English words
        (["in", "to", *["x"] * 19], "en"),  # 2 of 21: 21 // 10 = 2, not 2.1
        (["in", "to", "by", *["x"] * 27], "en"),
        (["in", "to", *["x"] * 28], None),  # 2 of 30: too few, and no second opinion
    ],
)
def test_english_by_its_ordinary_words(monkeypatch, words, expected):
    stubs = LatinStubs(monkeypatch)
    assert stubs.guess(words) == expected
    assert stubs.asked == []


def test_the_second_opinion_on_latin_text(monkeypatch):
    words = ["ein", "haus", "mit", "garten", "hier"]
    stubs = LatinStubs(monkeypatch, opinion=("de", 0.99))
    assert stubs.guess(words) == "de"
    assert stubs.asked == [(" ".join(words), "any")]
    assert LatinStubs(monkeypatch, opinion=("de", 0.98)).guess(words) is None
    assert LatinStubs(monkeypatch, opinion=("tr", 0.999)).guess(words) is None  # Turkic: no
    for stubs, kw in [
        (LatinStubs(monkeypatch), {"second_opinion": False}),
        (LatinStubs(monkeypatch, available=False), {}),
    ]:
        assert stubs.guess(words, **kw) is None and stubs.asked == []
    few = LatinStubs(monkeypatch)
    assert few.guess(words[:4]) is None and few.asked == []  # under five words


@pytest.mark.parametrize(
    "letters, top, ky, tt, words, expected",
    [
        ({"ә"}, "kk", 0, 0, [], "tt"),
        ({"һ"}, "kk", 0, 0, [], "tt"),
        ({"ә", "ң"}, "ky", 3, 0, [], "tt"),
        ({"ң"}, "tt", 1, 0, [], "ky"),  # more Kyrgyz votes
        ({"ө"}, "kk", 0, 0, [], "ky"),
        ({"ү"}, "ba", 0, 0, [], "ba"),  # the second opinion's, when it is a neighbour
        ({"ң", "ө", "ү"}, "tt", 0, 0, [], "tt"),
        ({"ң", "ө", "ү"}, "mn", 0, 0, [], "mn"),
        ({"ң", "ө", "ү"}, "tt", 1, 1, [], "tt"),  # a tie is not Kyrgyz
        ({"ң", "ө", "ү"}, "tt", 0, 1, ["мен", "бардым"], "ky"),  # a Kyrgyz pronoun
        ({"қ", "ғ"}, "kk", 0, 0, [], "uz"),
        ({"қ"}, "tg", 0, 0, [], "tg"),
        ({"ғ"}, "ru", 0, 0, [], "uz"),
        ({"қ", "ң"}, "ky", 0, 0, [], "ky"),  # neither group: the second opinion
    ],
)
def test_neighbours_by_their_share_of_kazakh_letters(letters, top, ky, tt, words, expected):
    from translate.text.language import _by_letters

    assert _by_letters(set(letters), top, words, {"ky": ky, "tt": tt, "uz": 0}) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        (KAZAKH, "kk"),
        ("Жедел жәрдем минут сайын адамдарды әкелуде.", "kk"),
        (KYRGYZ, "ky"),
        (TATAR, "tt"),
        (UZBEK, "uz"),
        (RUSSIAN, "ru"),
        ("Гэта вельмі добры дзень у Мінску, і ўсе рады.", None),  # ў with і: not Uzbek
    ],
)
def test_the_rules_alone(text, expected):
    """Without the second opinion, what the letters and words say."""
    assert guess_language(text, second_opinion=False) == expected


def test_document_language_weighs_lines_by_their_letters():
    kazakh = "Ақмола облысының әкімі Иран елшісімен кездесті."  # 40 letters
    english = "The governor of the region met the ambassador of Iran today."
    lang, confidence, other = detect_language(f"{kazakh}\n{english}\n{english}")
    letters = [sum(c.isalpha() for c in s) for s in (kazakh, english)]
    assert (lang, other) == ("en", None)
    assert confidence == round(2 * letters[1] / (letters[0] + 2 * letters[1]), 3)


def test_document_language_reads_lines_of_twelve_letters_or_more():
    twelve = "Біз әлі бармыз."
    assert sum(c.isalpha() for c in twelve) == 12
    assert detect_language(twelve) == ("kk", 1.0, None)
    assert detect_language("Сәлем!\n" + KAZAKH)[1] == 1.0  # a short line is passed over
    assert detect_language("Сәлем!")[1] == 0.5  # nothing to judge


def test_document_language_reads_the_first_200_lines():
    english = "The governor of the region met the ambassador of Iran today to discuss trade."
    # read whole, the English lines would have more letters
    one = KAZAKH.splitlines()[0]
    assert detect_language("\n".join([one] * 200 + [english] * 1000))[0] == "kk"
    assert detect_language("\n".join([english] * 1000 + [one] * 200))[0] == "en"


def test_language_names():
    from translate.text.language import language_name

    assert language_name("ky") == "Kyrgyz" and language_name("xx") == "xx"


def test_one_strong_english_word_does_not_outvote_latin_kazakh(monkeypatch):
    stubs = LatinStubs(monkeypatch, kazakh=True)
    assert stubs.guess(["the", *["x"] * 6]) == "kk"


def rules_with_opinion(monkeypatch, text, ranked):
    """``guess_language`` with the second opinion's ranking stubbed."""
    import translate.text.language as language

    monkeypatch.setattr(language.langid, "ranked", lambda _: dict(ranked))
    monkeypatch.setattr(language.langid, "available", lambda: True)
    return guess_language(text)


UNSURE = {"bg": 0.5, "mk": 0.3}  # a second opinion that decides nothing


@pytest.mark.parametrize(
    "text, ranked, expected",
    [
        # Kazakh letters no neighbour has together: Kazakh, whatever the model says
        (KAZAKH, {"ru": 0.99}, "kk"),
        ("Ұлы дала туралы айтылады", {"ky": 0.9}, "kk"),  # ұ alone
        # a letter only one other language has: that language
        ("Татарстанда җыр бәйрәме узды", {"ru": 0.99}, "tt"),
        # ў with і: Belarusian, not Uzbek
        ("Гэта вельмі добры дзень у Мінску, і ўсе рады.", {"be": 0.95}, "be"),
        ("Гэта вельмі добры дзень у Мінску, і ўсе рады.", {"uz": 0.6, "be": 0.3}, None),
        # Russian function words: one is enough without Kazakh letters, two with them
        ("Завтра мы поедем домой вечером", UNSURE, "ru"),
        ("Мы жаңы үйдө жашайбыз", {"ky": 0.9}, "ky"),
        ("Мы и жаңы үйдө жашайбыз", {"ky": 0.9}, "ru"),
        # ... and one in eight words
        ("Мы и " + "сөзсөз " * 15, UNSURE, "ru"),  # 2 of 17: 17 // 8 = 2
        ("Мы и " + "барабар " * 22, UNSURE, None),  # 2 of 24: under one in eight
        # ё ъ щ: two make Russian text
        ("Объявлена щедрая награда победителям", UNSURE, "ru"),
        ("Объявлена большая награда победителям", UNSURE, None),
        # words of one language: two decide
        ("Мен дустим билан кинога бордим", UNSURE, None),  # one Uzbek word
        ("Студенттер менен бирге үчүн келди", {"tt": 0.9}, "ky"),
        ("Сол кезде мектепке бардым", UNSURE, None),  # one Kazakh word
        ("Сол кезде олар бизге барды", UNSURE, "kk"),  # two Kazakh words
        ("Бугин казир барамыз", UNSURE, "kk"),  # two, typed with Russian letters
        ("Бугин мектепке бардым", UNSURE, None),
        ("Менен эмес сол олар кетти", UNSURE, None),  # a tie decides nothing
        # Kazakh letters a neighbour shares: Kazakh when the model gives it 30%
        ("Жаңы үйдө жашайт", {"ky": 0.6, "kk": 0.3}, "kk"),
        ("Жаңы үйдө жашайт", {"kk": 0.25, "ky": 0.2}, "kk"),
        ("Жаңы үйдө жашайт", {"ky": 0.9}, "ky"),
    ],
)
def test_cyrillic_rules_with_a_given_second_opinion(monkeypatch, text, ranked, expected):
    assert rules_with_opinion(monkeypatch, text, ranked) == expected


ONE_LINE = "Ақмола облысының әкімі Марат Ахметжанов Иран елшісімен кездесті."


def _letters(s: str) -> int:
    return sum(c.isalpha() for c in s)


def test_document_language_counts_every_line_it_reads():
    english = "The governor of the region met the ambassador of Iran today."
    k, e = _letters(ONE_LINE), _letters(english)
    # 199 Kazakh lines and an English one: 200 lines read
    assert detect_language("\n".join([ONE_LINE] * 199 + [english] * 10)) == (
        "kk",
        round(199 * k / (199 * k + e), 3),
        None,
    )
    assert detect_language("\n".join([ONE_LINE] * 100 + [english] * 100))[1] == round(
        100 * k / (100 * k + 100 * e), 3
    )
    assert detect_language("\n".join([ONE_LINE] * 200 + [english] * 10)) == ("kk", 1.0, None)


def test_document_script_from_all_its_letters_when_no_line_is_judged():
    assert detect_language("Сәлем!\nСәлем!\nHi there")[0] == "kk"  # 10 Cyrillic, 7 Latin
    assert detect_language("Hello there\nHello\nСәлем")[0] == "en"  # 15 Latin, 5 Cyrillic
    assert detect_language("Сәлем\nHello")[0] == "kk"  # as many: Cyrillic


def test_a_document_mostly_in_another_language_names_it():
    k, y, r = _letters(ONE_LINE), _letters(KYRGYZ), _letters(RUSSIAN)
    lang, confidence, other = detect_language("\n".join([KYRGYZ] * 3 + [RUSSIAN]))
    assert (lang, other) == ("kk", "ky")
    assert confidence == round(3 * y / (3 * y + r), 3)
    # under half of the letters: not named
    two_of_five = "\n".join([KYRGYZ] * 2 + [ONE_LINE] * 3)
    assert 2 * y * 2 < 2 * y + 3 * k  # (under half)
    assert detect_language(two_of_five) == ("kk", round(3 * k / (2 * y + 3 * k), 3), None)


@pytest.mark.parametrize(
    "text, ranked, expected",
    [
        # letters of two other languages (җ, ў): the second opinion decides
        ("Бу җыр ўзбекча айтылган сўзлар", {"tt": 0.5, "ru": 0.3}, "tt"),
        ("Бу җыр ўзбекча айтылган сўзлар", {"ru": 0.9}, "ru"),
        ("Бу җыр ўзбекча айтылган сўзлар", {"ru": 0.85}, None),
        # Kazakh letters a neighbour shares, no votes: the neighbour the model names
        ("Жаңы үй сатып алдык", {"tt": 0.9}, "tt"),
        ("Мен жаңы үй алдым", {"tt": 0.9}, "ky"),  # a Kyrgyz pronoun
        # no Kazakh letter, no Russian word or letter
        ("Завтра поедем домой вечером", {"ru": 0.9}, "ru"),
        ("Завтра поедем домой вечером", {"ru": 0.89}, None),
        ("Балдар менен сол олар ойношот", {"ky": 0.9}, "ky"),  # 2 Kyrgyz, 2 Kazakh votes
        ("Мен эртага бувимникига бораман", {"uz": 0.95}, "uz"),
        ("Мен эртага бувимникига бораман", {"tt": 0.96}, "tt"),
        ("Мен эртага бувимникига бораман", {"uz": 0.94}, None),
        ("Сол эртага бувимникига бораман", {"uz": 0.96}, None),  # a Kazakh word
        ("Мен эртага бувимникига бораман", {"bg": 0.99}, "bg"),
        ("Мен эртага бувимникига бораман", {"bg": 0.98}, None),
        ("Мен эртага бувимникига бораман", {"ba": 0.995}, None),  # Turkic: not sure enough
        ("МЫ командасы финалга чыкты", UNSURE, None),  # МЫ in capitals: an abbreviation
    ],
)
def test_cyrillic_rules_when_the_letters_leave_it_open(monkeypatch, text, ranked, expected):
    assert rules_with_opinion(monkeypatch, text, ranked) == expected


def test_cyrillic_range():
    from translate.text.language import _is_cyr

    assert _is_cyr("\u0400") and _is_cyr("\u04ff") and not _is_cyr("\u03ff")
    assert not _is_cyr("\u0500")


def test_half_cyrillic_is_read_as_cyrillic_and_less_as_latin():
    assert guess_language("Сәлеметсіз Helloworld!") == "kk"  # 10 and 10 letters
    assert guess_language("Біз бүгін met the team") == "en"  # 8 of 18 Cyrillic


def test_one_english_word_in_a_short_latin_text(monkeypatch):
    stubs = LatinStubs(monkeypatch)
    assert stubs.guess(["in", "x", "x", "x"]) == "en"


def test_a_latin_sentence_gets_the_second_opinion(monkeypatch):
    stubs = LatinStubs(monkeypatch, opinion=("de", 0.995))
    assert guess_language("ein Haus mit Garten hier oben") == "de"
    assert stubs.asked


WORDS20 = (
    "Бугин мектепте жиналыс болды окушылар мугалимдер ата аналар келди директор созге "
    "шыкты жана жоспарлар туралы айтты сабак кестеси озгерди жазгы демалыс жакын калды"
).split()


def test_kazakh_typed_with_russian_letters_by_length_and_words():
    from translate.text.language import without_kazakh_letters

    assert len(WORDS20) == 23
    assert without_kazakh_letters(" ".join(WORDS20))
    assert without_kazakh_letters(" ".join(WORDS20) + " і")  # і typed on a Ukrainian layout
    assert not without_kazakh_letters(" ".join(WORDS20) + " әке")
    assert not without_kazakh_letters(" ".join(WORDS20[:-1]) + " Aкмола")  # a Latin A inside
    plain = "Мектепте жиналыс болды окушылар мугалимдер барды директор созге шыкты".split()
    twenty = plain * 2 + ["калды", "айтты"]
    assert len(twenty) == 20 and without_kazakh_letters(" ".join(twenty))  # long enough
    assert not without_kazakh_letters(" ".join(twenty[:19]))  # short, no common words
    assert without_kazakh_letters("Бугин казир мектепте жиналыс болды окушылар")  # 6, 2 common
    assert not without_kazakh_letters("Бугин казир мектепте жиналыс болды")  # 5 words


def test_kazakh_typed_with_russian_letters_is_not_russian():
    from translate.text.language import without_kazakh_letters

    plain = "мектепте жиналыс болды окушылар мугалимдер келди директор созге шыкты калды "
    base = (plain * 3).split()[:24]
    assert without_kazakh_letters(" ".join(["и", *base[1:]]))  # 1 Russian word in 24
    assert not without_kazakh_letters(" ".join(["и", "в", *base[2:]]))  # 2 in 24: 1 in 12
    assert without_kazakh_letters(" ".join(["и", "в", *base, "калды", "келди"][:26]))
    russian = (
        "Президент заявил что переговоры продолжатся в понедельник и это было "
        "сказано на встрече с журналистами в Москве которые были там также"
    )
    assert not without_kazakh_letters(russian)
