"""Document alignment: every sentence kept once, in order; deletions and merges found."""

import json

from translate.align import Bead, align_sentences, chrf, chrf_similarity
from translate.align.evidence import words as _words
from translate.align.params import DEFAULT
from translate.align.search import document_prior
from translate.cli import main

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
    assert "align:length+anchors+words" in lines[0]["signature"]
    assert [r["source"] for r in recs if r["source"]] == KK
    assert [r["translation"] for r in recs if r["translation"]] == EN
    assert [f["code"] for r in recs for f in r["flags"]].count("unaligned") == 1


def test_align_writes_the_format_its_output_name_says(tmp_path, capsys):
    (tmp_path / "a.kk.txt").write_text(" ".join(KK), "utf-8")
    (tmp_path / "a.en.txt").write_text(" ".join(EN), "utf-8")
    out = tmp_path / "pairs.tmx"
    assert (
        main(["align", str(tmp_path / "a.kk.txt"), str(tmp_path / "a.en.txt"), "-o", str(out)]) == 0
    )
    assert "<tmx" in out.read_text("utf-8")


def test_swapped_files_are_warned_about_and_still_aligned(tmp_path, capsys):
    (tmp_path / "a.kk.txt").write_text(" ".join(KK), "utf-8")
    (tmp_path / "a.en.txt").write_text(" ".join(EN), "utf-8")
    assert main(["align", str(tmp_path / "a.en.txt"), str(tmp_path / "a.kk.txt")]) == 0
    captured = capsys.readouterr()
    assert "most sentences look English, but --src is kk" in captured.err
    assert "most sentences look Kazakh, but --tgt is en" in captured.err
    assert [x for x in captured.out.splitlines() if '"sentence"' in x]
    assert main(["align", str(tmp_path / "a.kk.txt"), str(tmp_path / "a.en.txt")]) == 0
    assert "most sentences look" not in capsys.readouterr().err


def test_words_cross_the_language_barrier():
    kk = _words(
        "Дүйсенбі күні Комиссия полиция өкілі екі миллион доллар табыс тапқанын айтты.", "kk"
    )
    en = _words("On Monday a police spokesman told the Commission of a two million profit.", "en")
    other = _words("Weather was sunny and warm across all of the lakes.", "en")
    assert len(kk & en) >= 6  # Monday, police, spokesman, Commission, two, million, told
    assert len(kk & other) <= 1


def test_word_list_takes_the_longest_stem_and_counts_synonyms_once():
    gold = _words("Алтын медаль", "kk")
    assert "dgold" in gold and "dsix" not in gold  # алтын, not алты
    assert "dseven" not in _words("Жетістік", "kk")  # жетістік, not жеті
    # облыс and өңір both mean region: a merged pair holding both shares one key
    shared = _words("Облыс пен өңір", "kk") & _words("the region", "en")
    assert {k for k in shared if k.startswith("d")} == {"dregion"}


def test_bead_priors_follow_the_document():
    def beads(shapes):
        out, i, j = [], 0, 0
        for a, b in shapes:
            out.append(Bead(tuple(range(i, i + a)), tuple(range(j, j + b)), 1.0))
            i, j = i + a, j + b
        return out

    default = document_prior([], DEFAULT)
    merged = document_prior(beads([(1, 1)] * 10 + [(2, 1)] * 5), DEFAULT)
    deleted = document_prior(beads([(1, 1)] * 10 + [(1, 0)] * 3 + [(0, 1)] * 3), DEFAULT)
    assert merged[(2, 1)] < default[(2, 1)] and merged[(1, 0)] > default[(1, 0)]
    assert deleted[(1, 0)] < default[(1, 0)] and deleted[(2, 1)] > default[(2, 1)]
    assert default[(1, 1)] == 0


def test_chrf_orders_similar_above_unrelated():
    ref = "The police detained three people on Monday."
    assert chrf(ref, ref) == 1.0
    close = chrf("Police detained three people on Monday.", ref)
    far = chrf("Apples grow on trees in the orchard.", ref)
    assert 0.0 <= far < 0.4 < close < 1.0


class OracleTranslator:
    """A fake translator that knows the right English for each Kazakh sentence."""

    def __init__(self, table):
        self.table = table

    def translate(self, texts, src, tgt):
        from translate.records import Translation

        return [Translation(self.table.get(t, ""), 0.0) for t in texts]


def test_model_similarity_breaks_ties():
    # Without shared words or numbers, a deleted pair of equal length cannot be
    # told apart; the translation's chrF against the target can.
    kk = ["Ол келді.", "Біз кеттік.", "Олар қалды."]
    en = ["He came.", "They stayed."]
    plain = [(b.src, b.tgt) for b in align_sentences(kk, en)]
    machine = ["He came.", "We left.", "They stayed."]
    sim = chrf_similarity(machine, en)
    pairs = [(b.src, b.tgt) for b in align_sentences(kk, en, similarity=sim)]
    assert pairs == [((0,), (0,)), ((1,), ()), ((2,), (1,))]
    assert plain != pairs or sim(1, 2, 1, 2) < sim(2, 3, 1, 2)


def test_align_command_with_model(tiny_nllb, tmp_path, capsys):
    (tmp_path / "a.kk.txt").write_text(" ".join(KK), "utf-8")
    (tmp_path / "a.en.txt").write_text(" ".join(EN), "utf-8")
    args = ["align", str(tmp_path / "a.kk.txt"), str(tmp_path / "a.en.txt")]
    assert main(args + ["--model", str(tiny_nllb), "--beam", "1"]) == 0
    out = capsys.readouterr()
    lines = [json.loads(x) for x in out.out.splitlines()]
    assert "align:length+anchors+words+chrF/transformers" in lines[0]["signature"]
    recs = [x for x in lines if x["type"] == "sentence"]
    # the tiny random model translates badly: every sentence is still kept once, in order
    assert [r["source"] for r in recs if r["source"]] == KK
    assert [r["translation"] for r in recs if r["translation"]] == EN
    assert "length+anchors+words+chrF" in out.err


def test_align_command_missing_model_is_a_clear_error(tmp_path, capsys):
    (tmp_path / "a.kk.txt").write_text(KK[0], "utf-8")
    (tmp_path / "a.en.txt").write_text(EN[0], "utf-8")
    missing = tmp_path / "no-such-model"
    args = ["align", str(tmp_path / "a.kk.txt"), str(tmp_path / "a.en.txt")]
    assert main(args + ["--model", str(missing)]) != 0
    err = capsys.readouterr().err
    assert "Traceback" not in err and "no-such-model" in err


def test_paragraph_ends_decide_which_sentence_is_unaligned():
    # Two identical Kazakh sentences, one translated: only the paragraphs say
    # which one (the untranslated one closes the first paragraph).
    same = "Ол сонда тұрған жоқ еді."
    kk = ["Біз бүгін жиналдық.", same, same]
    en = ["We gathered today.", "He was not there."]
    beads = align_sentences(kk, en, src_paragraphs=[0, 0, 1], tgt_paragraphs=[0, 1])
    assert [(b.src, b.tgt) for b in beads] == [((0,), (0,)), ((1,), ()), ((2,), (1,))]
    # without paragraphs nothing tells the two apart; every sentence is still kept
    check_cover(align_sentences(kk, en), 3, 2)


def test_confidence_separates_evidence_from_guesswork():
    LOW_SCORE = DEFAULT.low_score

    sure = align_sentences([KK[0]], [EN[0]])  # names, a number of shared words
    assert [(b.src, b.tgt) for b in sure] == [((0,), (0,))] and sure[0].score > 0.95
    kk = ["Тараптар сауда-экономикалық саладағы ағымдағы жағдайды қарастырды."]
    en = ["Heavy snow closed the mountain pass for the whole weekend."]
    guess = align_sentences(kk, en)
    # nothing in common: either left unaligned or paired with a low score
    assert all(not b.src or not b.tgt or b.score < LOW_SCORE for b in guess)


PAIRS = [
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


def test_number_on_one_side_only_keeps_sentences_apart():
    kk = [PAIRS[0][0], "Өткен жылы облыста 45 жаңа мектеп пен 12 аурухана салынды.", PAIRS[2][0]]
    en = [
        PAIRS[0][1],
        "The ambassador praised the hospitality of the people of the steppe.",
        PAIRS[2][1],
    ]
    pairs = [(b.src, b.tgt) for b in align_sentences(kk, en)]
    assert ((1,), ()) in pairs and ((), (1,)) in pairs  # not paired for their lengths


def test_many_deletions_are_not_absorbed_into_merges():
    # the English of pairs 2, 5 and 6 is missing: each Kazakh sentence stays unaligned
    kk = [k for k, _ in PAIRS]
    en = [e for n, (_, e) in enumerate(PAIRS) if n not in (2, 5, 6)]
    beads = align_sentences(kk, en)
    check_cover(beads, len(kk), len(en))
    assert [(b.src, b.tgt) for b in beads] == [
        ((0,), (0,)),
        ((1,), (1,)),
        ((2,), ()),
        ((3,), (2,)),
        ((4,), (3,)),
        ((5,), ()),
        ((6,), ()),
        ((7,), (4,)),
    ]


def test_band_widens_when_the_path_runs_along_its_edge():
    # 30 Kazakh sentences with no English, then 30 pairs, then 30 English
    # sentences with no Kazakh: the pairs lie 30 rows off the diagonal, beyond
    # the narrowest band, which must widen to find them
    pairs = [
        (
            f"Былтыр қалада {1000 + 37 * k} жаңа үй салынды.",
            f"Last year {1000 + 37 * k} new houses were built in the city.",
        )
        for k in range(30)
    ]
    kk = [f"Бұл {k}-ші бөлімнің ұзын тақырыбы, аудармасы жоқ сөйлем." for k in range(30)]
    en = [p[1] for p in pairs] + [
        f"An English sentence number {k} without any Kazakh." for k in range(30)
    ]
    kk += [p[0] for p in pairs]
    beads = align_sentences(kk, en)
    check_cover(beads, len(kk), len(en))
    got = {(i, j) for b in beads for i in b.src for j in b.tgt}
    assert {(30 + k, k) for k in range(30)} <= got


def test_unrelated_documents_are_warned_about(tmp_path, capsys):
    unrelated = [
        "The orchestra will tour three cities next spring.",
        "Tickets go on sale on Monday at the box office.",
        "The conductor said the programme would include new works.",
        "Rehearsals begin in the first week of March.",
    ]
    (tmp_path / "a.kk.txt").write_text(" ".join(KK), "utf-8")
    (tmp_path / "b.en.txt").write_text(" ".join(unrelated), "utf-8")
    assert main(["align", str(tmp_path / "a.kk.txt"), str(tmp_path / "b.en.txt")]) == 0
    captured = capsys.readouterr()
    assert "no counterpart or only a weak link: are" in captured.err
    recs = [json.loads(x) for x in captured.out.splitlines() if '"sentence"' in x]
    assert [r["source"] for r in recs if r["source"]] == KK  # still every sentence
    (tmp_path / "a.en.txt").write_text(" ".join(EN), "utf-8")
    assert main(["align", str(tmp_path / "a.kk.txt"), str(tmp_path / "a.en.txt")]) == 0
    assert "only a weak link: are" not in capsys.readouterr().err


def test_messy_kazakh_aligns_like_clean_kazakh(tmp_path, capsys):
    """The aligner reads Kazakh as the model gets it: Latin-script Kazakh meets
    the word list in Cyrillic (here only words place the deleted sentence)."""
    from translate.text.translit import to_latin

    kk = [
        "Үкімет жаңа заң жобасын мақұлдады.",
        "Мектептерде оқу жылы ерте басталады.",
        "Ауыл шаруашылығы өнімдерінің бағасы өсті.",
        "Ауа райы суық болады деп күтілуде.",
        "Денсаулық сақтау министрлігі ауруханаларды жөндейді.",
        "Полиция қылмыскерді ұстады.",
        "Спортшылар жарыста жеңіске жетті.",
    ]
    en = [
        "The government approved a new draft law.",
        "The school year will start early.",
        "The weather is expected to be cold.",
        "The health ministry will repair hospitals.",
        "The police detained the criminal.",
        "The athletes won the competition.",
    ]
    (tmp_path / "a.en.txt").write_text(" ".join(en), "utf-8")
    got = {}
    for name, text in {
        "clean": " ".join(kk),
        "latin": to_latin(" ".join(kk)),
        "lost": " ".join(kk).encode("cp1251", errors="replace").decode("cp1251"),
    }.items():
        (tmp_path / f"{name}.kk.txt").write_text(text, "utf-8")
        assert main(["align", str(tmp_path / f"{name}.kk.txt"), str(tmp_path / "a.en.txt")]) == 0
        recs = [json.loads(x) for x in capsys.readouterr().out.splitlines() if '"sentence"' in x]
        got[name] = [(bool(r["source"]), r["translation"]) for r in recs]
        assert text.startswith(recs[0]["source"])  # the output keeps the text as given
    assert got["clean"][2] == (True, "")  # the third Kazakh sentence has no English
    assert got["latin"] == got["clean"] and got["lost"] == got["clean"]


PASSAGE = [
    "Облыс орталығында биыл жаңа мектеп, аурухана және спорт кешені салынып, "
    "тұрғындардың әлеуметтік жағдайын жақсартуға бағытталған бірқатар жоба іске асырылды.",
    "Ауыл шаруашылығы саласында егін шаруашылығымен айналысатын серіктестіктерге "
    "жеңілдетілген несие беріліп, техника паркін жаңарту жұмыстары жалғасуда.",
    "Мәдениет басқармасының мәліметінше, өңірдегі театрлар мен кітапханаларға келушілер "
    "саны соңғы үш жылда едәуір артып, жастар арасында оқу мәдениеті дамып келеді.",
    "Жол құрылысы бағдарламасы аясында аудан орталықтарын облыс орталығымен байланыстыратын "
    "жолдарды жөндеу үшін республикалық бюджеттен қосымша қаржы бөлінді.",
    "Экология департаменті өзендер мен көлдердің тазалығын бақылау үшін жаңа зертханалық "
    "жабдықтар сатып алып, тұрғындармен түсіндіру жұмыстарын жүргізуді жоспарлап отыр.",
    "Денсаулық сақтау саласында ауылдық жерлердегі медициналық пункттер заманауи "
    "құрал-жабдықтармен қамтамасыз етіліп, жас дәрігерлерге тұрғын үй берілді.",
    "Білім басқармасы мұғалімдердің біліктілігін арттыру курстарын ұйымдастырып, "
    "мектептерді интернетке қосу жұмыстарын аяқтауды көздеп отыр.",
    "Кәсіпкерлерді қолдау орталығы шағын және орта бизнес өкілдеріне тегін кеңес беріп, "
    "жаңа кәсіп ашқысы келетіндерге оқыту семинарларын өткізді.",
    "Тұрғын үй-коммуналдық шаруашылық бөлімі жылу маусымына дайындық барысында "
    "қазандықтар мен жылу желілерін жөндеуді уақытында аяқтады.",
    "Жастар ресурстық орталығы еріктілер қозғалысын дамытып, студенттердің "
    "жазғы демалысын ұйымдастыруға арналған бірнеше бағдарлама әзірледі.",
    "Туризм басқармасы көл жағалауындағы демалыс орындарын абаттандыру үшін "
    "жеке инвесторлармен бірлесіп жұмыс жүргізіп жатыр.",
    "Әлеуметтік қорғау саласында мүмкіндігі шектеулі азаматтарға арналған "
    "оңалту орталығы ашылып, оған қажетті мамандар тартылды.",
    "Төтенше жағдайлар департаменті көктемгі су тасқынына дайындық аясында "
    "елді мекендердегі бөгеттер мен арықтарды тазалау жұмыстарын бастады.",
    "Спорт басқармасы балалар мен жасөспірімдерге арналған секциялардың санын "
    "көбейтіп, аулалардағы спорт алаңдарын жаңартты.",
    "Ішкі саясат басқармасы тұрғындармен кездесулер өткізіп, олардың ұсыныстары "
    "мен шағымдарын жинақтап, тиісті органдарға жолдады.",
]


def test_a_passage_missing_from_one_version_is_left_unaligned():
    # the English version leaves out a whole passage, longer than the rest of the
    # article: the documents' total lengths no longer say how long a translation is
    cut = 3
    kk = [k for k, _ in PAIRS[:cut]] + PASSAGE + [k for k, _ in PAIRS[cut:]]
    en = [e for _, e in PAIRS]
    beads = align_sentences(kk, en)
    check_cover(beads, len(kk), len(en))
    got = {(i, j) for b in beads for i in b.src for j in b.tgt}
    want = {(k, k) for k in range(cut)} | {(k + len(PASSAGE), k) for k in range(cut, len(PAIRS))}
    assert got == want
    # each sentence of the passage is a bead of its own, with no English
    assert [(b.src, b.tgt) for b in beads if not b.tgt] == [
        ((cut + k,), ()) for k in range(len(PASSAGE))
    ]


def test_every_sentence_once_in_order_whatever_the_documents():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    kk_words = "жыл әкім облыс 2024 Ахметжанов кездесу Иран елші сауда өңір 90 ел".split()
    en_words = "year governor region 2024 Akhmetzhanov meeting Iran ambassador trade 90".split()

    def sentences(words):
        return st.lists(
            st.lists(st.sampled_from(words), min_size=1, max_size=12).map(" ".join),
            max_size=20,
        )

    @settings(max_examples=60, deadline=None)
    @given(sentences(kk_words), sentences(en_words), st.sampled_from([None, 1, 3]))
    def check(kk, en, band):
        beads = align_sentences(kk, en, band=band)
        check_cover(beads, len(kk), len(en))
        assert all(0.0 <= b.score <= 1.0 for b in beads)
        assert all(b.src or b.tgt for b in beads)

    check()


def _lexicon_pairs(count: int, seed: int = 7) -> list[tuple[str, str]]:
    """Sentence pairs made of random entries of the aligner's word list, each
    with a number of its own: a translation that only the evidence can tell."""
    import random
    from importlib import resources

    lines = resources.files("translate").joinpath("data/align/kk_en.txt").read_text("utf-8")
    entries = [x.split("\t") for x in lines.splitlines() if x and not x.startswith("#")]
    rng = random.Random(seed)
    pairs = []
    for k in range(count):
        words = rng.sample(entries, 6)
        number = 1000 + 7 * k
        kk = " ".join(stem for stem, _ in words).capitalize() + f" {number}."
        en = " ".join(forms.split()[0].rstrip("*") for _, forms in words).capitalize()
        pairs.append((kk, en + f" {number}."))
    return pairs


def test_unrelated_documents_are_left_unaligned_without_searching_more():
    import dataclasses
    import random

    from translate.align.sentences import align_features, document_features

    pairs = _lexicon_pairs(300)
    kk = [k for k, _ in pairs]
    en = [e for n, (_, e) in enumerate(pairs) if n % 10 != 5]  # some deletions
    shuffled = en[:]
    random.Random(1).shuffle(shuffled)

    def align(src, tgt, params=DEFAULT):
        doc = document_features(src, tgt, params=params)
        return align_features(doc), doc.cells  # cells: the searches' work

    related, related_cells = align(kk, en)
    check_cover(related, len(kk), len(en))
    assert sum(1 for b in related if b.src and b.tgt) == len(en)
    unrelated, unrelated_cells = align(kk, shuffled)
    check_cover(unrelated, len(kk), len(en))
    assert all(not b.src or not b.tgt for b in unrelated)  # every sentence flagged unaligned
    assert unrelated_cells <= related_cells  # one narrow pass: no more work than a translation
    # without the detection, the band widens (and a second pass follows)
    searching = dataclasses.replace(DEFAULT, unrelated_min=10**6)
    assert align(kk, shuffled, searching)[1] > 2 * unrelated_cells
    assert align(kk, en, searching)[0] == related


def test_bulk_costs_are_the_cell_by_cell_costs_to_the_bit():
    """The search costs a block of cells at once with numpy; every cost term must
    be the same float as bead_cost and orphans give for one cell."""
    import numpy as np

    from translate.align.cells import BEADS, Block, CellCosts, LengthCosts, bead_cost, orphans
    from translate.align.evidence import weakness
    from translate.align.length import length_cost
    from translate.align.search import diagonal
    from translate.align.sentences import document_features

    pairs = PAIRS + _lexicon_pairs(12)
    kk = [k for k, _ in pairs] + PASSAGE[:4] + [KK[3], ""]
    en = [e for n, (_, e) in enumerate(pairs) if n != 4] + [EN[0] + " " + EN[1], ""]
    paragraphs = ([0] * 5 + [1] * 9 + [2] * 20)[: len(kk)], ([0] * 4 + [1] * 30)[: len(en)]
    for similarity in (None, chrf_similarity([en[x % len(en)] for x in range(len(kk))], en)):
        doc = document_features(
            kk,
            en,
            similarity=similarity,
            src_paragraphs=paragraphs[0],
            tgt_paragraphs=paragraphs[1],
        )
        doc.ratio, doc.variance = 1.07, 5.3
        assert doc.paragraphs and any(doc.sh[0]) and any(doc.th[0])
        n, m = len(kk), len(en)
        rows = diagonal(n, m, 6)
        lo = np.array([a for a, _ in rows])
        width = np.array([b - a + 1 for a, b in rows])
        block = Block.diagonals(lo, width, 1, n + m + 1)
        costs, extra = CellCosts(doc, lo, width, 1.7, LengthCosts(doc)).block(block)
        checked = 0
        for x, (i, j) in enumerate(zip(block.i.tolist(), block.j.tolist())):
            for k, (di, dj) in enumerate(BEADS):
                if not (di and dj and i >= di and j >= dj):
                    continue
                pi, pj = i - di, j - dj
                if not rows[pi][0] <= pj <= rows[pi][1]:
                    continue  # never read: the bead starts outside the band
                assert costs[k, x] == bead_cost(doc, pi, i, pj, j)
                if di > 1 or dj > 1:
                    count, keys = orphans(doc, pi, i, pj, j)
                    assert extra[k, x] == 1.7 * count + doc.p.orphan_per_key * keys
                else:
                    assert extra[k, x] == doc.p.weak * weakness(doc.sk[0][pi], doc.tk[0][pj])
                checked += 1
        assert checked > 500
    lengths = LengthCosts(doc)
    codes = np.arange(len(lengths.src_lengths) * len(lengths.tgt_lengths))
    want = [
        length_cost(int(a), int(b), doc.ratio, doc.variance)
        for a in lengths.src_lengths
        for b in lengths.tgt_lengths
    ]
    assert lengths.get(codes, np.empty(len(codes))).tolist() == want
    backwards = LengthCosts(doc, table=0).get(codes[::-1], np.empty(len(codes)))  # a dictionary
    assert backwards.tolist() == want[::-1]
