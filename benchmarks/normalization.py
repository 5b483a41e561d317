"""Kazakh text repair benchmarks: homoglyphs, Latin-script round trip, encodings.

Usage:
    python benchmarks/normalization.py --data ../shared/data/segmentation/kk_heldout.jsonl

1. Homoglyph repair: Cyrillic words are corrupted with the look-alike Latin
   letters people type on Russian keyboards (i for і, h for һ, ə for ә, o/ɵ for
   ө, Y for Ү, and a c e o p x y k ...) at a given rate, then repaired; prints
   the share of corrupted words restored exactly and how many clean words changed.
2. Transliteration: Cyrillic → Latin → Cyrillic, sentence by sentence, for the
   2021 alphabet (the library's writer) and the 2017 and 2018 ones (written
   here from their letter tables: ц as ts, я and ю as й + а and й + у, ь ъ
   dropped, э as e). Each sentence is read alone, and as ``translate run``
   reads it: with the conventions (alphabet, informal i) of its whole
   document. Character accuracy and the most frequent confusions (2021).
3. Encoding detection: each text, each sentence alone and each word with ә or
   ғ alone (the letters KZ-1048 and PTCP154 swap), written in UTF-8, UTF-16,
   KZ-1048, PTCP154 (and CP1251 when it can hold the text), decoded without a
   hint; also every word in capitals alone (short legacy text can be valid
   UTF-8 by chance), and the time to decode all texts as one large file.
4. Letters lost to "?": each text saved as CP1251 with replacement (ә ө ү ұ ғ
   қ ң һ become "?"), read back and given to the model's normaliser: documents
   detected, lost letters guessed exactly, other characters changed, and clean
   texts wrongly taken for damaged ones.
5. Kazakh typed with Russian letters: ә ө ү ұ қ ғ ң і һ replaced by а о у у к г
   н и х, then given to the normaliser: documents detected, and how many of
   the letters that could be either (а о у к г н и х) are right, against
   leaving the text as it is.
"""

from __future__ import annotations

import argparse
import difflib
import json
import random
import re
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from translate.text.encoding import decode_article  # noqa: E402
from translate.text.letters import has_lost_letters  # noqa: E402
from translate.text.normalize import DocumentWords, normalize_for_model  # noqa: E402
from translate.text.translit import to_cyrillic, to_latin  # noqa: E402

LOOKALIKE = {
    "а": "a",
    "с": "c",
    "е": "e",
    "о": "o",
    "р": "p",
    "х": "x",
    "у": "y",
    "к": "k",
    "і": "i",
    "һ": "h",
    "ә": "ə",
    "ө": "oɵ",
    "ү": "y",
    "А": "A",
    "В": "B",
    "С": "C",
    "Е": "E",
    "Н": "H",
    "К": "K",
    "М": "M",
    "О": "O",
    "Р": "P",
    "Т": "T",
    "Х": "X",
    "І": "I",
    "Ү": "Y",
    "Ә": "Ə",
    "Ө": "Ɵ",
}
WORD = re.compile(r"[^\W\d_]+")

# The 2017 (apostrophes) and 2018 (acute accents) alphabets, letter by letter.
# Neither has ц, щ, ъ, ь, э, ю, я or ё: loans are written as they sound.
_COMMON = dict(zip("абвгдежзкқлмнопрстфхһыэ", "abvgdejzkqlmnoprstfhhye"))
_ABSENT = {"ъ": "", "ь": ""}
LATIN_2017 = {
    **_COMMON,
    **_ABSENT,
    **dict(zip("әғңөүуұіий", ["a'", "g'", "n'", "o'", "u'", "y'", "u", "i", "i'", "i'"])),
    **{"ш": "s'", "ч": "c'", "щ": "s's'", "ц": "ts", "ю": "i'y'", "я": "i'a", "ё": "i'o"},
}
LATIN_2018 = {
    **_COMMON,
    **_ABSENT,
    **dict(zip("әғңөүуұіий", "áǵńóúýuiıı")),
    **{"ш": "sh", "ч": "ch", "щ": "shsh", "ц": "ts", "ю": "ıý", "я": "ıa", "ё": "ıo"},
}


def write_latin(text: str, table: dict[str, str]) -> str:
    """Cyrillic Kazakh in an older Latin alphabet; all-capital words stay all capital."""

    def word(m: re.Match) -> str:
        w = m.group()
        out = "".join(
            (table[c.lower()][:1].upper() + table[c.lower()][1:] if c != c.lower() else table[c])
            if c.lower() in table
            else c
            for c in w
        )
        return out.upper() if len(w) > 1 and w.isupper() else out

    return WORD.sub(word, text)


def _mixed(word: str) -> bool:
    return any("\u0400" <= c <= "\u04ff" for c in word) and any(c.isascii() for c in word)


def corrupt(word: str, rng: random.Random) -> str:
    spots = [i for i, c in enumerate(word) if c in LOOKALIKE]
    if not spots:
        return word
    chars = list(word)
    for i in rng.sample(spots, min(len(spots), rng.choice([1, 1, 2]))):
        chars[i] = rng.choice(LOOKALIKE[chars[i]])
    return "".join(chars)


HELD_OUT = "(held-out data: figures only, no per-item errors)"


def is_heldout(path: str) -> bool:
    return "heldout" in Path(path).name or "held-out" in Path(path).name


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--data", required=True, nargs="+")
    ap.add_argument(
        "--rate", type=float, default=0.1, help="share of words corrupted (default 0.1)"
    )
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    texts, sentences, records = [], [], []
    for path in args.data:
        for line in open(path, encoding="utf-8"):
            rec = json.loads(line)
            texts.append(rec["text"])
            sentences += rec["sentences"]
            records.append(rec)
    rng = random.Random(args.seed)
    # Per-item errors are printed for dev files only: held-out data is for
    # measuring, and reading its errors would tune the rules to it.
    dev = not any(is_heldout(p) for p in args.data)

    corrupted = restored = clean_changed = clean = already = already_fixed = 0
    misses: Counter[tuple[str, str]] = Counter()
    for t in texts:
        spans = [(m.start(), m.end()) for m in WORD.finditer(t)]
        chars = list(t)
        hit = set()
        for a, b in spans:
            w = t[a:b]
            if any("\u0400" <= c <= "\u04ff" for c in w) and rng.random() < args.rate:
                bad = corrupt(w, rng)
                if bad != w:
                    chars[a:b] = bad
                    hit.add(a)
        fixed = normalize_for_model("".join(chars), "kk", script="cyrl").text
        if len(fixed) != len(t):
            raise SystemExit("normalisation changed the text length; cannot compare words")
        for a, b in spans:
            if a in hit:
                corrupted += 1
                if fixed[a:b] == t[a:b]:
                    restored += 1
                else:
                    misses[(t[a:b], fixed[a:b])] += 1
            elif _mixed(t[a:b]):
                already += 1  # the source itself mixes scripts (a real typo)
                already_fixed += fixed[a:b] != t[a:b]
            else:
                clean += 1
                if fixed[a:b] != t[a:b]:
                    clean_changed += 1
                    misses[(t[a:b], fixed[a:b])] += 1
    print("== homoglyph repair ==")
    print(
        f"corrupted words: {corrupted}, restored exactly: {restored} ({restored / max(1, corrupted):.2%})"
    )
    print(f"clean words: {clean}, changed: {clean_changed}")
    print(f"words already mixing scripts in the source: {already}, repaired: {already_fixed}")
    for (w, f), n in misses.most_common(10) if dev else ():
        print(f"  miss x{n}: {w} -> {f}")

    writers = {
        "2021": to_latin,
        "2017": lambda t: write_latin(t, LATIN_2017),
        "2018": lambda t: write_latin(t, LATIN_2018),
    }
    totals: dict[tuple[str, str], list[int]] = {}
    confusions: Counter[tuple[str, str]] = Counter()
    for rec in records:
        for name, write in writers.items():
            conventions = DocumentWords(write(rec["text"])).latin
            for t in rec["sentences"]:
                lat = write(t)
                for how, back in (
                    ("alone", to_cyrillic(lat)),
                    ("in document", to_cyrillic(lat, conventions)),
                ):
                    sm = difflib.SequenceMatcher(a=t, b=back, autojunk=False)
                    cell = totals.setdefault((name, how), [0, 0])
                    cell[0] += len(t)
                    cell[1] += sum(b.size for b in sm.get_matching_blocks())
                    if name == "2021" and how == "in document":
                        for op, a1, a2, b1, b2 in sm.get_opcodes():
                            if op != "equal":
                                confusions[(t[a1:a2], back[b1:b2])] += 1
    print("\n== Cyrillic -> Latin -> Cyrillic ==")
    print(f"characters: {totals[('2021', 'alone')][0]}")
    print(f"{'alphabet':<9} {'sentence alone':>15} {'in its document':>16}")
    for name in writers:
        alone, doc = totals[(name, "alone")], totals[(name, "in document")]
        print(f"{name:<9} {alone[1] / alone[0]:>15.4%} {doc[1] / doc[0]:>16.4%}")
    print("most frequent confusions, 2021, in its document:" if dev else HELD_OUT)
    for (a, b), n in confusions.most_common(12) if dev else ():
        print(f"  {a!r} -> {b!r} x{n}")

    print("\n== encoding detection ==")
    # the hardest case: one word whose only letter KZ-1048 and PTCP154 read
    # differently is ә or ғ (they swap the two)
    swapped = sorted({w for t in texts for w in WORD.findall(t) if set(w) & set("әғӘҒ")})
    # one word in capitals (a short headline): most capitals are UTF-8 lead
    # bytes in the legacy code pages and the Kazakh letters continuation bytes,
    # so such a word can be valid UTF-8 by chance (ЕҢ reads Ž)
    capitals = sorted({w.upper() for t in texts for w in WORD.findall(t) if len(w) > 1})
    units = (("texts", texts), ("sentences", sentences), ("words", swapped), ("capitals", capitals))
    for unit, items in units:
        for enc in ("utf-8", "utf-16", "kz1048", "ptcp154", "cp1251"):
            n = right = 0
            for t in items:
                try:
                    data = t.encode(enc)
                except UnicodeEncodeError:
                    continue
                n += 1
                try:
                    right += decode_article(data, "x")[0] == t
                except Exception:  # counted as wrong
                    pass
            print(f"{enc:8} {unit:9} {n:5d}  decoded exactly {right:5d} ({right / max(1, n):.2%})")
    # speed: all texts as one file, repeated to about 2 million characters
    whole = "\n".join(texts)
    whole *= max(1, 2_000_000 // max(1, len(whole)))
    for enc in ("utf-8", "kz1048", "ptcp154"):
        data = whole.encode(enc, errors="replace")
        t0 = time.perf_counter()
        decode_article(data, "x")
        dt = time.perf_counter() - t0
        print(f"{enc:8} one file of {len(data) / 1e6:.1f} MB decoded in {dt:.2f} s")

    print("\n== letters lost to '?' (CP1251 with replacement) ==")
    lost = set("әөүұғқңһӘӨҮҰҒҚҢҺ")
    docs = found = false_alarms = letters = guessed = other = 0
    wrong: Counter[tuple[str, str]] = Counter()
    for t in texts:
        damaged = t.encode("cp1251", errors="replace").decode("cp1251")
        false_alarms += has_lost_letters(t)
        if damaged == t:
            continue
        docs += 1
        found += has_lost_letters(damaged)
        fixed = normalize_for_model(damaged, "kk", "cyrl", DocumentWords(damaged)).text
        if len(fixed) != len(t):
            raise SystemExit("normalisation changed the text length; cannot compare letters")
        for a, b, c in zip(t, damaged, fixed):
            if a in lost:
                letters += 1
                guessed += a == c
                if a != c:
                    wrong[(a, c)] += 1
            elif a != c and b == a:
                other += 1
    print(
        f"damaged texts: {docs}, detected: {found}; clean texts taken for damaged: {false_alarms}"
    )
    print(
        f"lost letters: {letters}, guessed exactly: {guessed} ({guessed / max(1, letters):.2%}); "
        f"other characters changed: {other}"
    )
    for (a, c), n in wrong.most_common(8) if dev else ():
        print(f"  {a!r} -> {c!r} x{n}")

    print("\n== Kazakh typed with Russian letters ==")
    russify = str.maketrans("әөүұқғңіһӘӨҮҰҚҒҢІҺ", "аоуукгнихАОУУКГНИХ")
    docs = found = false_alarms = ambiguous = right = before = 0
    wrong = Counter()
    for t in texts:
        false_alarms += DocumentWords(t).russian_letters
        typed = t.translate(russify)
        docs += 1
        found += DocumentWords(typed).russian_letters
        fixed = normalize_for_model(typed, "kk", "cyrl", DocumentWords(typed)).text
        if len(fixed) != len(t):
            raise SystemExit("normalisation changed the text length; cannot compare letters")
        for a, b, c in zip(t, typed, fixed):
            if b in "аоукгнихАОУКГНИХ":
                ambiguous += 1
                right += a == c
                before += a == b
                if a != c:
                    wrong[(a, c)] += 1
    print(f"texts: {docs}, detected: {found}; clean texts taken for such: {false_alarms}")
    print(
        f"letters that could be either: {ambiguous}, right: {right} "
        f"({right / max(1, ambiguous):.2%}; left as typed: {before / max(1, ambiguous):.2%})"
    )
    for (a, c), n in wrong.most_common(8) if dev else ():
        print(f"  {a!r} -> {c!r} x{n}")


if __name__ == "__main__":
    main()
