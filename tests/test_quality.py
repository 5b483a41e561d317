"""Each quality flag fires when it should and stays quiet when it should not."""

import pytest

from translate.errors import UsageError
from translate.quality import QualityThresholds, check_pair


def codes(src, tgt, src_lang="kk", tgt_lang="en", score=-0.2, **th):
    return {
        f.code for f in check_pair(src, tgt, src_lang, tgt_lang, score, QualityThresholds(**th))
    }


GOOD = (
    "Өңірде 1300-ге жуық кәсіпорын жұмыс істейді.",
    "About 1300 enterprises operate in the region.",
)


def test_clean_pair_has_no_flags():
    assert codes(*GOOD) == set()


@pytest.mark.parametrize(
    "src, tgt",
    [
        ("2026-02-23 күні кездесу өтті.", "The meeting took place on February 23, 2026."),
        ("Өсім 1,5 есе болды.", "Growth was 1.5 times."),
        ("1 300 кәсіпорын бар.", "There are 1,300 enterprises."),
        ("Жиын 15 наурызда өтті.", "The meeting was held on 15 March."),
        ("Жиын 15 наурызда өтті.", "The meeting was held on March 15."),
        ("Біз келуіміз мүмкін.", "We may come."),  # 'may' is not May without a number
        ("Қазан қаласында жиын өтті.", "A meeting was held in Kazan."),
    ],
)
def test_number_formats_are_not_mismatches(src, tgt):
    assert "numbers" not in codes(src, tgt)


@pytest.mark.parametrize(
    "src, tgt, missing",
    [
        ("Ақмола өңірі 90 елмен жұмыс істейді.", "Akmola works with 80 countries.", "90"),
        ("Өңірде 1300 кәсіпорын бар.", "There are 130 enterprises in the region.", "1300"),
        ("2026-02-23 күні кездесу өтті.", "The meeting took place on February 24, 2026.", "23"),
        ("Өсім 1,5 есе болды.", "Growth was 15 times.", "1.5"),
    ],
)
def test_number_mismatch_is_flagged(src, tgt, missing):
    [flag] = [f for f in check_pair(src, tgt, "kk", "en", -0.1) if f.code == "numbers"]
    assert missing in flag.reason


def test_empty_and_copy():
    assert "empty" in codes("Біз дайынбыз.", "  ")
    assert "copy" in codes("Біз дайынбыз.", "Біз дайынбыз.")
    assert "copy" not in codes("2026", "2026")  # nothing to translate in a bare number
    assert "empty" not in codes(*GOOD)


def test_wrong_script():
    assert "script" in codes("Біз дайынбыз.", "We are дайынбыз ready барлық бағытта.")
    assert "script" not in codes("Біз Astana Hub-та дайынбыз.", "We are ready at Astana Hub.")
    assert "script" in codes("We are ready.", "Biz daiynbyz barlyq.", "en", "kk")
    assert "script" not in codes("We are ready.", "Біз дайынбыз.", "en", "kk")


def test_repetition_loop():
    assert "repetition" in codes("Біз дайынбыз.", "We are are are are ready.")
    assert "repetition" in codes("Біз дайынбыз.", "the region the region the region the region")
    assert "repetition" in codes("Біз дайынбыз.", "isisisisisisis")
    assert "repetition" not in codes("Біз дайынбыз.", "We had had a long day, very very long.")


def test_length_ratio():
    src = "Ақмола облысының әкімі Иран елшісімен кездесті."
    assert "length_ratio" in codes(src, "Met.")
    assert "length_ratio" in codes(src, "The governor " * 20)
    assert "length_ratio" not in codes(
        src, "The governor of Akmola region met the ambassador of Iran."
    )
    assert "length_ratio" not in codes("Иә.", "Yes, indeed, certainly.")  # too short to judge


def test_low_confidence_threshold_is_configurable():
    assert "low_confidence" in codes(*GOOD, score=-2.0)
    assert "low_confidence" not in codes(*GOOD, score=-2.0, min_score=-3.0)
    assert "low_confidence" not in codes(*GOOD, score=None)


def test_bad_thresholds_refused():
    with pytest.raises(UsageError):
        QualityThresholds(min_length_ratio=3, max_length_ratio=2)


def test_invisible_only_source_needs_no_translation():
    from translate.quality import check_pair

    assert check_pair("\u200b\ufeff", "", "kk", "en", None) == ()
    assert [f.code for f in check_pair("Біз.", "", "kk", "en", None)] == ["empty"]
