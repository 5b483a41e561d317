"""Language identification benchmark: our rules, the second opinion
(py3langid alone) and the combination (``guess_language``), per language.

Usage:
    python benchmarks/language.py
    python benchmarks/language.py --kk ../shared/data/segmentation/kk_dev.jsonl \\
        --en ../shared/data/segmentation/en_dev.jsonl --errors 10

Sentences and their sources:

- Kazakh in Cyrillic: the gold sentences of ``--kk`` (default the dev file of
  ``../shared/data/segmentation``: UD Kazakh-KTB and NTREX-128, CC BY-SA 4.0).
- Kazakh in the 2021 Latin alphabet: the same sentences through the library's
  writer (``translate.text.translit.to_latin``).
- Kazakh typed with Russian letters: the same sentences with ә ғ қ ң ө ұ ү һ і
  replaced by а г к н о у у х и.
- English: the gold sentences of ``--en`` (default the dev file: NTREX-128).
- Russian, Kyrgyz, Tatar, Uzbek (Cyrillic): 25 sentences each, written for this
  benchmark (news-style sentences on everyday topics; no corpus text). Then
  38 more Kyrgyz sentences, written while the rules for Kyrgyz word endings
  were developed (their errors were looked at), and 20 Kyrgyz, 20 Tatar and
  20 Uzbek sentences written after those rules and measured once.

Only sentences of 12 letters or more are scored (below that the detector
says nothing by design). Accuracy is the share labelled with the right
language; "wrong" is the share labelled with another language (a ``language``
flag where there should be none); the rest got no answer. Speed is sentences
a second over all scored sentences, each system on its own, after a warm-up
(the second opinion's model loads once, about 0.3 s). Errors are printed for
the written sentences and for dev files only.

Then mojibake: every text of ``--kk`` and ``--en`` written as UTF-8 read as
CP1251 (0x98 kept as U+0098), segmented and normalised as ``translate run``
does; counts the texts whose sentences are those of the clean text (offsets
mapped back) and whose model inputs equal the clean text's, clean texts taken
for mojibake, and the speed of the check on clean text and of the repair.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from translate.text import langid  # noqa: E402
from translate.text.language import guess_language  # noqa: E402
from translate.text.mojibake import has_mojibake, repair_mojibake  # noqa: E402
from translate.text.normalize import DocumentWords, normalize_for_model  # noqa: E402
from translate.text.segment import segment  # noqa: E402
from translate.text.translit import to_latin  # noqa: E402

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "segmentation"
RUSSIFY = str.maketrans("әғқңөұүһіӘҒҚҢӨҰҮҺІ", "агкноуухиАГКНОУУХИ")

# Written for this benchmark.
RUSSIAN = """Президент России провёл совещание с членами правительства в Кремле.
В Москве открылась международная выставка современного искусства.
Министерство финансов сообщило о росте доходов федерального бюджета.
Сегодня в городе ожидается сильный дождь и порывистый ветер.
Школьники вернулись к занятиям после зимних каникул.
Депутаты Государственной думы обсудили новый законопроект о налогах.
По словам эксперта, цены на жильё продолжат расти в этом году.
Вчера вечером на центральной улице произошла крупная авария.
Футбольный клуб подписал контракт с молодым нападающим из Бразилии.
Врачи рекомендуют больше гулять на свежем воздухе и пить воду.
Строительство нового моста через реку завершится к осени.
Учёные обнаружили в Сибири останки древнего животного.
Жители района жалуются на плохое состояние дорог.
Компания планирует открыть ещё три магазина в регионе.
Мы встретились с ним на вокзале рано утром.
Она рассказала, что работает в этой больнице уже десять лет.
Губернатор области поручил проверить готовность котельных к зиме.
Концерт знаменитого пианиста прошёл при полном зале.
Центральный банк сохранил ключевую ставку на прежнем уровне.
Полиция задержала подозреваемого в краже автомобиля.
Туристы всё чаще выбирают отдых на побережье Каспийского моря.
Новый учебный год начнётся первого сентября, как обычно.
Я не знаю, почему он так долго не отвечает на письма.
В библиотеке появились новые книги для детей и подростков.
Спортсмены завоевали три золотые медали на чемпионате Азии."""

KYRGYZ = """Кыргызстандын президенти Бишкекте чет элдик инвесторлор менен жолукту.
Бүгүн шаарда аба ырайы жылуу болот деп күтүлүүдө.
Өкмөт жаңы мектептерди куруу боюнча программаны бекитти.
Жогорку Кеңештин депутаттары мыйзам долбоорун талкуулашты.
Ош шаарында жаңы оорукана ачылды.
Билим берүү министрлиги окуу жылынын башталышы жөнүндө маалымат берди.
Мен эртең таякеме барам.
Балдар мектептен кийин футбол ойношот.
Айыл чарба тармагында эгин жыйноо иштери аяктады.
Ысык-Көлгө быйыл миңдеген туристтер келди.
Бул маселе боюнча жыйын кийинки аптада өтөт.
Шайлоо комиссиясы добуштарды эсептөөнү аяктады.
Кыргыз тили мамлекеттик тил болуп саналат.
Элдин көпчүлүгү бул чечимди колдоду.
Анын айтымында, долбоор үч жылда ишке ашырылат.
Тоолуу аймактарда кар көп түштү.
Алар жаңы үйгө көчүп кетишти.
Бишкек менен Ош ортосундагы жол оңдолуп жатат.
Саламаттыкты сактоо министри дарыгерлердин айлыгын көтөрүүнү сунуштады.
Мамлекет башчысы жаштар менен жолугушуу өткөрдү.
Кечээ кечинде шаарда катуу шамал болду.
Бул китепти мен китепканадан алдым.
Ата-энелер балдарынын келечеги үчүн тынчсызданышат.
Жаңы жылдын алдында базарларда баалар көтөрүлдү.
Спортчулар Азия оюндарында үч алтын медаль жеңип алышты."""

TATAR = """Татарстан Республикасы Президенты Казанда киңәшмә үткәрде.
Бүген шәһәрдә һава торышы җылы булачак.
Мин иртәгә әбием янына барам.
Балалар мәктәптән соң футбол уйныйлар.
Хөкүмәт яңа мәктәпләр төзү программасын раслады.
Дәүләт Советы депутатлары закон проектын тикшерделәр.
Казанда яңа хастаханә ачылды.
Мәгариф министрлыгы уку елы башлану турында хәбәр итте.
Авыл хуҗалыгында игеннәрне җыю эшләре тәмамланды.
Быел Казанга меңләгән турист килде.
Бу мәсьәлә буенча җыелыш киләсе атнада узачак.
Татар теле дәүләт теле булып санала.
Халыкның күпчелеге бу карарны хуплады.
Аның сүзләренчә, проект өч ел эчендә тормышка ашырылачак.
Алар яңа йортка күчеп киттеләр.
Кичә кич белән шәһәрдә көчле җил булды.
Бу китапны мин китапханәдән алдым.
Әти-әниләр балаларының киләчәге өчен борчылалар.
Яңа ел алдыннан базарларда бәяләр күтәрелде.
Спортчылар өч алтын медаль яулады.
Ул безнең белән бергә эшләде һәм күп нәрсәгә өйрәтте.
Шагыйрьнең яңа китабы басылып чыкты.
Идел буенда яңа күпер төзелә.
Укучылар имтиханнарны уңышлы тапшырдылар.
Театрда яңа спектакль куелды, тамашачылар бик канәгать калды."""

UZBEK = """Ўзбекистон Республикаси Президенти Тошкентда хорижий инвесторлар билан учрашди.
Бугун шаҳарда ҳаво илиқ бўлиши кутилмоқда.
Ҳукумат янги мактаблар қуриш дастурини тасдиқлади.
Олий Мажлис депутатлари қонун лойиҳасини муҳокама қилишди.
Самарқандда янги шифохона очилди.
Халқ таълими вазирлиги ўқув йилининг бошланиши ҳақида маълумот берди.
Мен эртага бувимникига бораман.
Болалар мактабдан кейин футбол ўйнашади.
Қишлоқ хўжалигида ҳосил йиғим-терими якунланди.
Бу йил Бухорога минглаб сайёҳлар келди.
Ушбу масала бўйича йиғилиш келаси ҳафтада бўлиб ўтади.
Сайлов комиссияси овозларни санашни якунлади.
Ўзбек тили давлат тили ҳисобланади.
Аҳолининг кўпчилиги бу қарорни қўллаб-қувватлади.
Унинг сўзларига кўра, лойиҳа уч йил ичида амалга оширилади.
Тоғли ҳудудларда кўп қор ёғди.
Улар янги уйга кўчиб ўтишди.
Тошкент ва Самарқанд ўртасидаги йўл таъмирланмоқда.
Соғлиқни сақлаш вазири шифокорларнинг маошини оширишни таклиф қилди.
Давлат раҳбари ёшлар билан учрашув ўтказди.
Кеча кечқурун шаҳарда кучли шамол бўлди.
Бу китобни мен кутубхонадан олдим.
Ота-оналар фарзандларининг келажаги учун қайғуришади.
Янги йил арафасида бозорларда нархлар кўтарилди.
Спортчилар Осиё ўйинларида учта олтин медални қўлга киритишди."""


# Written for this benchmark while the Kyrgyz rules (word endings, чы) were
# developed: errors in them were looked at.
KYRGYZ_DEV = """Кыргызстандын президенти жаңы мыйзамга кол койду.
Бишкекте эл аралык конференция ачылды.
Өкмөт айыл чарбасын колдоо боюнча жаңы программаны бекитти.
Мектеп окуучулары жайкы эс алууга чыгышты.
Эртең тоолуу аймактарда кар жаашы күтүлөт.
Шаардын борборунда жаңы парк курулуп жатат.
Биз бул маселени кийинки жумада талкуулайбыз.
Ош шаарында жаштар фестивалы өтөт.
Дарыгерлер калкты эмдөөгө чакырышты.
Быйыл түшүм мурдагы жылга караганда көбүрөөк болду.
Министрликтин маалыматы боюнча, жумушсуздук азайган.
Балдар ата-энелери менен бирге музейге барышты.
Жолдо кырсык болуп, эки адам жаракат алды.
Бул китеп кыргыз тилинде биринчи жолу басылып чыкты.
Ысык-Көлдө туристтердин саны жыл сайын өсүүдө.
Ал университетти бүтүргөндөн кийин мугалим болуп иштеди.
Депутаттар бюджеттин долбоорун кароону улантышты.
Кечээ кечинде шаарда катуу шамал болду.
Жалал-Абад облусунда жаңы оорукана курулду.
Спортчуларыбыз Азия оюндарында үч алтын медаль жеңип алышты.
Быйыл кышында электр энергиясынын тартыштыгы сезилиши мүмкүн.
Мэрия шаардагы жолдорду оңдоо иштерин баштады.
Бул долбоор эки жылдын ичинде ишке ашырылат.
Ал журналисттерге маек куруп берди.
Кыргыз эли байыркы маданиятын сактап келет.
Айылдагы мектепке жаңы компьютерлер берилди.
Жаан-чачындын көптүгүнөн дарыялардын суусу көтөрүлдү.
Соода борборунда өрт чыгып, адамдар эвакуацияланды.
Жыйында мугалимдердин айлык акысы талкууланды.
Биздин команда финалга чейин жетти.
Тарыхчылар бул табылганы өтө баалуу деп эсептешет.
Нарын шаарында малчылар үчүн семинар өттү.
Эл аралык уюмдар Кыргызстанга гуманитардык жардам жөнөтүштү.
Жаштар арасында китеп окуу кызыгуусу өсүп жатат.
Министр бул маселе боюнча кошумча маалымат берерин айтты.
Талас өрөөнүндө түшүм жыйноо аяктады.
Шайлоо комиссиясы добуштарды эсептөөнү бүтүрдү.
Ата-энелер балдарынын коопсуздугу үчүн тынчсызданышат."""

# Written afterwards and measured once, with the rules as they are.
KYRGYZ_LATER = """Бүгүн Бишкекте аба ырайы ачык болот.
Президент эл менен жолугушуу өткөрдү.
Ооруканага жаңы медициналык жабдуулар келди.
Кыргыз улуттук курама командасы жолдоштук оюнда жеңишке жетишти.
Базарда эт менен нандын баасы кымбаттады.
Студенттер жайкы практикага жөнөштү.
Мамлекеттик тил боюнча жаңы мыйзам кабыл алынды.
Балдар бакчасында орун жетишсиз.
Чүй облусунда жер титирөө катталды.
Бул жаңылыкты бардыгы кубаныч менен тосуп алышты.
Акын жаңы ырлар жыйнагын элге тартуулады.
Мектепте англис тилин окутуу күчөтүлөт.
Кышкы мезгилде тоо жолдорунда абайлоо керек.
Өлкөдө туризм тармагы тез өнүгүүдө.
Аялдар кеңешинин жыйыны кечээ болуп өттү.
Анын айтымында, реформа үч жылга созулат.
Дыйкандар сугат суусунун жетишсиздигине нааразы.
Көчөлөрдө жаңы жарыктар орнотулду.
Таластагы Манас күмбөзүнө туристтер көп келишет.
Окуучулар олимпиадада жакшы натыйжа көрсөтүштү."""
TATAR_LATER = """Казан университетында яңа фәнни үзәк ачылды.
Быел көз бик җылы булды.
Татар теле дәресләре мәктәпләрдә кыскартылмаячак.
Авыл хуҗалыгы министрлыгы игенчеләргә ярдәм күрсәтә.
Театрда яңа спектакль куелды.
Бу китапны мин китапханәдән алдым.
Шәһәрдә яңа мәчет төзелә башлады.
Кичә Казанда зур концерт булды.
Укытучылар хезмәт хакын арттыруны сорыйлар.
Спортчылар ярышта беренче урынны яулады.
Казанда яңа метро станциясы ачылачак.
Бүген һава торышы җылы булачак.
Татарстанда яшьләр форумы узды.
Галимнәр яңа ачыш турында сөйләделәр.
Шагыйрьнең юбилее зурлап билгеләп үтелде.
Авылда яңа мәктәп бинасы төзелде.
Безнең команда җиңүгә ирешә алмады.
Бу мәсьәлә буенча киңәшмә үткәрелде.
Хастаханәгә яңа җиһазлар кайтарылды.
Кибетләрдә ипи бәясе күтәрелде."""
UZBEK_LATER = """Самарқандда янги меҳмонхона очилди.
Фермерлар пахта ҳосилини йиғиштиришни бошлашди.
Бу йил қиш жуда совуқ келди.
Талабалар имтиҳонларни муваффақиятли топширишди.
Вазир ушбу масала бўйича маълумот берди.
Шаҳарда янги кўприк қурилмоқда.
Бизнинг жамоамиз финалга чиқди.
Болалар мактабга бориш учун тайёрланишмоқда.
Ёшлар орасида спортга қизиқиш ортиб бормоқда.
Бухорода халқаро фестиваль бўлиб ўтди.
Бугун Тошкентда ҳаво очиқ бўлади.
Президент халқ билан учрашув ўтказди.
Касалхонага янги тиббий асбоб-ускуналар келтирилди.
Бозорда гўшт нархи ошди.
Мактабда инглиз тилини ўқитиш кучайтирилади.
Деҳқонлар сув танқислигидан норози.
Кўчаларда янги чироқлар ўрнатилди.
Ўқувчилар олимпиадада яхши натижа кўрсатишди.
Ёзувчи янги китобини тақдим этди.
Футбол бўйича терма жамоамиз ғалаба қозонди."""


def gold_sentences(path: Path) -> list[str]:
    return [s for line in path.open(encoding="utf-8") for s in json.loads(line)["sentences"]]


def letters(text: str) -> int:
    return sum(1 for c in text if c.isalpha())


def test_sets(kk_path: Path, en_path: Path) -> dict[str, tuple[str, list[str]]]:
    kk = gold_sentences(kk_path)
    sets = {
        "Kazakh (Cyrillic)": ("kk", kk),
        "Kazakh (Latin 2021)": ("kk", [to_latin(s) for s in kk]),
        "Kazakh (Russian letters)": ("kk", [s.translate(RUSSIFY) for s in kk]),
        "English": ("en", gold_sentences(en_path)),
        "Russian": ("ru", RUSSIAN.splitlines()),
        "Kyrgyz": ("ky", KYRGYZ.splitlines()),
        "Tatar": ("tt", TATAR.splitlines()),
        "Uzbek (Cyrillic)": ("uz", UZBEK.splitlines()),
        "Kyrgyz, rules' dev set": ("ky", KYRGYZ_DEV.splitlines()),
        "Kyrgyz, written later": ("ky", KYRGYZ_LATER.splitlines()),
        "Tatar, written later": ("tt", TATAR_LATER.splitlines()),
        "Uzbek, written later": ("uz", UZBEK_LATER.splitlines()),
    }
    return {k: (lang, [s for s in ss if letters(s) >= 12]) for k, (lang, ss) in sets.items()}


def mojibake(text: str) -> str:
    return "".join("\x98" if b == 0x98 else bytes([b]).decode("cp1251") for b in text.encode())


def model_inputs(text: str, lang: str) -> list[str]:
    context = DocumentWords(text) if lang == "kk" else None
    return [normalize_for_model(s.text, lang, "auto", context).text for s in segment(text, lang)]


def mojibake_check(paths: dict[str, Path]) -> None:
    print()
    print(f"{'mojibake':10} {'texts':>6} {'sentences':>10} {'inputs':>8} {'clean hit':>10}")
    clean_chars = broken_chars = 0
    t_check = t_repair = 0.0
    for lang, path in paths.items():
        texts = [json.loads(line)["text"] for line in path.open(encoding="utf-8")]
        same_sents = same_inputs = false_hits = 0
        for text in texts:
            broken = mojibake(text)
            t0 = time.perf_counter()
            false_hits += has_mojibake(text)
            t_check += time.perf_counter() - t0
            clean_chars += len(text)
            t0 = time.perf_counter()
            got = segment(broken, lang)
            inputs = model_inputs(broken, lang)
            t_repair += time.perf_counter() - t0
            broken_chars += len(broken)
            want = segment(text, lang)
            same_sents += [repair_mojibake(s.text).strip() for s in got] == [s.text for s in want]
            same_inputs += inputs == model_inputs(text, lang)
        n = len(texts)
        print(f"{lang:10} {n:6} {same_sents / n:10.3f} {same_inputs / n:8.3f} {false_hits:10}")
    print(
        f"check on clean text {clean_chars / t_check:,.0f} chars/s; segmenting and repairing "
        f"mojibake {broken_chars / t_repair:,.0f} chars/s"
    )


def systems():
    return {
        "rules": lambda s: guess_language(s, second_opinion=False),
        "py3langid": lambda s: langid.second_opinion(s, "any")[0],
        "combined": guess_language,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--kk", type=Path, default=DATA / "kk_dev.jsonl")
    ap.add_argument("--en", type=Path, default=DATA / "en_dev.jsonl")
    ap.add_argument("--errors", type=int, default=0, help="errors to show per set (combined)")
    args = ap.parse_args(argv)
    heldout = any("heldout" in p.name for p in (args.kk, args.en))
    sets = test_sets(args.kk, args.en)
    funcs = systems()
    for f in funcs.values():
        f("Бұл жылы Қазақстанда сайлау өтеді.")  # warm-up: the model loads
    print(f"{'set':26} {'n':>5}  " + "  ".join(f"{name:>17}" for name in funcs))
    print(f"{'':26} {'':>5}  " + "  ".join(f"{'acc   wrong':>17}" for _ in funcs))
    shown: dict[str, list[tuple[str | None, str]]] = {}
    for name, (lang, sentences) in sets.items():
        cells = []
        for sysname, f in funcs.items():
            got = [f(s) for s in sentences]
            acc = sum(g == lang for g in got) / len(sentences)
            wrong = sum(g is not None and g != lang for g in got) / len(sentences)
            cells.append(f"{acc:8.3f} {wrong:7.3f}")
            if sysname == "combined":
                shown[name] = [(g, s) for g, s in zip(got, sentences) if g != lang]
        print(f"{name:26} {len(sentences):5}  " + "  ".join(f"{c:>17}" for c in cells))
    everything = [s for _, ss in sets.values() for s in ss]
    speeds = []
    for f in funcs.values():
        t0 = time.perf_counter()
        for s in everything:
            f(s)
        speeds.append(len(everything) / (time.perf_counter() - t0))
    print(f"{'sentences/s':26} {len(everything):5}  " + "  ".join(f"{v:17,.0f}" for v in speeds))
    if args.errors and not heldout:
        for name, errors in shown.items():
            for g, s in errors[: args.errors]:
                print(f"  {name}: {g}: {s}")
    mojibake_check({"kk": args.kk, "en": args.en})
    return 0


if __name__ == "__main__":
    sys.exit(main())
