"""Document alignment: every sentence kept once, in order; deletions and merges found."""

import json

from translate.cli import main
from translate.docalign import align_sentences

KK = [
    "Ақмола облысының әкімі Марат Ахметжанов Иран елшісімен кездесті.",
    "Тараптар сауда-экономикалық саладағы ағымдағы жағдайды қарастырды.",
    "Өңірде 1300-ге жуық өнеркәсіптік кәсіпорын жұмыс істейді.",
    "Бұл ақпарат тек қазақ тіліндегі нұсқада ғана бар, ағылшын тілінде жоқ сөйлем.",
    "Айта кетейік, бүгінде Ақмола өңірі 90 елмен сыртқы экономикалық қызметті жүзеге асыруда.",
    "«Арқа ажарының» өз ақпараты.",
]
EN = [
    "Akmola region governor Marat Akhmetzhanov met the ambassador of Iran.",
    "The parties discussed the current situation in trade and economy.",
    "About 1300 industrial enterprises operate in the region.",
    "Today the Akmola region carries out foreign economic activity with 90 countries.",
    "Arka Azhary's own information.",
]


def check_cover(beads, n, m):
    src = [i for b in beads for i in b.src]
    tgt = [j for b in beads for j in b.tgt]
    assert src == list(range(n)) and tgt == list(range(m))


def test_deleted_sentence_is_kept_unaligned():
    beads = align_sentences(KK, EN)
    check_cover(beads, len(KK), len(EN))
    pairs = [(b.src, b.tgt) for b in beads]
    assert ((3,), ()) in pairs
    assert ((2,), (2,)) in pairs and ((4,), (3,)) in pairs
    assert all(0 <= b.score <= 1 for b in beads)


def test_merged_target_sentence():
    en = [EN[0] + " " + EN[1]] + EN[2:]
    beads = align_sentences(KK[:3] + KK[4:], en)
    check_cover(beads, 5, len(en))
    assert ((0, 1), (0,)) in [(b.src, b.tgt) for b in beads]


def test_long_documents_align():
    kk = KK * 100
    en = EN * 100
    beads = align_sentences(kk, en)
    check_cover(beads, len(kk), len(en))
    assert sum(1 for b in beads if b.src and not b.tgt) == 100  # every deleted sentence found


def test_align_command(tmp_path, capsys):
    (tmp_path / "a.kk.txt").write_text(" ".join(KK), "utf-8")
    (tmp_path / "a.en.txt").write_text(" ".join(EN), "utf-8")
    assert main(["align", str(tmp_path / "a.kk.txt"), str(tmp_path / "a.en.txt")]) == 0
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    recs = [x for x in lines if x["type"] == "sentence"]
    assert "align:length+anchors" in lines[0]["signature"]
    assert [r["source"] for r in recs if r["source"]] == KK
    assert [r["translation"] for r in recs if r["translation"]] == EN
    assert [f["code"] for r in recs for f in r["flags"]].count("unaligned") == 1
