"""Document sentence-alignment benchmark: link precision, recall and F1 per variant.

Usage:
    python benchmarks/alignment.py --data ../shared/data/parallel/align_eval_dev.jsonl

Feeds the gold sentence lists (``kk_sents``/``en_sents``) to the aligner and
compares its links (all index pairs inside each bead) with the gold ``links``.

``--simulated-mt KEEP`` also runs the model-based scoring (``--model``) with a
stand-in for machine translation, since no trained model can be downloaded
here: each Kazakh sentence's "translation" is the English of its NTREX segment
(``ntrex128_kk_en.jsonl`` beside the data file) with each word kept with
probability KEEP and otherwise replaced by a random word of the document (a
rough model of imperfect MT; 0.5 gives a chrF near that of mediocre MT).

``--pipeline`` runs what ``translate align`` runs instead: the segmenter on
the raw texts (``kk_text``/``en_text``, file variants only), then the aligner
with the paragraphs; links between our sentences are mapped to the gold
sentences they overlap, so segmentation errors count as alignment errors.

Besides the file's own variants, ``--rates`` adds documents with another rate
of deletions, made from each ``clean`` record the way the file's ``deletion``
variant was made at 10%: every 1–1 bead but the headline loses its Kazakh or
its English side with probability rate/2 each (seeded), so ``del25`` has about
a quarter of the beads unaligned. ``--passages 5 10`` adds copies missing a
whole passage (5 or 10 consecutive beads) from one side, the way one version
of an article leaves out a paragraph or a section (``gap5``, ``gap10``).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from translate.align import align_sentences, chrf_similarity, evidence_texts  # noqa: E402
from translate.pipeline import segment_document  # noqa: E402
from translate.records import Document  # noqa: E402
from translate.text.translit import to_latin  # noqa: E402


def links(beads):
    return {(i, j) for b in beads for i in b.src for j in b.tgt}


def _dropped(r: dict, drop, variant: str) -> dict:
    """A copy of a clean record whose beads lose the sides ``drop(n, src, tgt)``
    names (a pair of booleans: lose the Kazakh side, lose the English side)."""
    kk, en, beads, kk_lines = [], [], [], []
    for n, (src, tgt) in enumerate(r["alignment"]):
        lose_kk, lose_en = drop(n, src, tgt)
        bk = [] if lose_kk else [len(kk) + k for k in range(len(src))]
        be = [] if lose_en else [len(en) + k for k in range(len(tgt))]
        if not lose_kk:
            kk += [r["kk_sents"][i] for i in src]
            kk_lines += [r["kk_orig_line"][i] for i in src] if "kk_orig_line" in r else []
        en += [] if lose_en else [r["en_sents"][j] for j in tgt]
        beads.append((bk, be))
    links = [[i, j] for bk, be in beads for i in bk for j in be]
    out = {"kk_sents": kk, "en_sents": en, "links": links, "variant": variant}
    if "kk_orig_line" in r:  # for --simulated-mt
        out["kk_orig_line"] = kk_lines
    return out


def with_deletions(r: dict, rate: float, seed: int, keep_headline: bool = True) -> dict:
    """A copy of a clean record with sentences deleted at ``rate`` (half on each side).

    Like the file's ``deletion`` variant, only plain 1-1 beads lose a side and
    the headline (the first bead) is kept, unless ``keep_headline`` is false.
    """
    rng = random.Random(seed)

    def drop(n: int, src: list, tgt: list) -> tuple[bool, bool]:
        # as in the file's deletion variant: plain 1-1 beads, never the headline
        if len(src) == 1 and len(tgt) == 1 and (n > 0 or not keep_headline):
            x = rng.random()
            return x < rate / 2, rate / 2 <= x < rate
        return False, False

    return _dropped(r, drop, f"del{round(rate * 100):02d}")


def with_passage_deleted(r: dict, size: int, side: str, seed: int) -> dict | None:
    """A copy of a clean record missing a passage of ``size`` consecutive beads
    on one side (``kk`` or ``en``), as when one version leaves out a paragraph
    or two; the passage starts after the headline and ends before the last
    bead. None for a document of fewer than ``size + 3`` beads."""
    n = len(r["alignment"])
    if n < size + 3:
        return None
    start = random.Random(seed).randrange(1, n - size)
    gone = range(start, start + size)
    return _dropped(
        r,
        lambda k, src, tgt: (k in gone and side == "kk", k in gone and side == "en"),
        f"gap{size}",
    )


def simulated_mt(r: dict, segments: dict[int, str], keep: float, seed: int) -> list[str]:
    """A noisy English stand-in for the machine translation of each Kazakh sentence."""
    rng = random.Random(seed)
    vocab = " ".join(r["en_sents"]).split() or ["the"]
    out = []
    for lines in r["kk_orig_line"]:
        words = " ".join(segments[x] for x in lines).split()
        out.append(" ".join(w if rng.random() < keep else rng.choice(vocab) for w in words))
    return out


def _spans(text: str, sentences: list[str]) -> list[tuple[int, int]]:
    out, pos = [], 0
    for sent in sentences:
        start = text.index(sent, pos)
        out.append((start, start + len(sent)))
        pos = start + len(sent)
    return out


def pipeline_links(r: dict) -> set[tuple[int, int]]:
    """Gold-sentence links from segmenting and aligning the raw texts, as
    ``translate align`` does."""
    sides = []
    for lang, text, gold in (
        ("kk", r["kk_text"], r["kk_sents"]),
        ("en", r["en_text"], r["en_sents"]),
    ):
        ours = segment_document(Document(id=r["id"], text=text), lang)
        spans = _spans(text, gold)
        overlap = [[g for g, (a, b) in enumerate(spans) if a < s.end and s.start < b] for s in ours]
        sides.append((ours, overlap))
    (ss, so), (ts, to) = sides
    beads = align_sentences(
        evidence_texts(r["kk_text"], [s.text for s in ss], "kk"),
        evidence_texts(r["en_text"], [t.text for t in ts], "en"),
        "kk",
        "en",
        src_paragraphs=[s.paragraph for s in ss],
        tgt_paragraphs=[t.paragraph for t in ts],
    )
    return {(g, h) for b in beads for i in b.src for j in b.tgt for g in so[i] for h in to[j]}


def records(path: str, rates: list[float], draws: int = 1, passages: tuple[int, ...] = ()):
    """The file's records, and for each clean one ``draws`` deletion copies per rate
    (the first draw of each is seeded as in earlier versions of this script) and,
    per passage size, one copy missing a passage on each side."""
    for n, line in enumerate(open(path, encoding="utf-8")):
        r = json.loads(line)
        yield r
        if r["variant"] == "clean":
            for rate in rates:
                for d in range(draws if rate else 1):
                    yield with_deletions(r, rate, seed=n + 1000 * d)
            for size in passages:
                for k, side in enumerate(("kk", "en")):
                    copy = with_passage_deleted(r, size, side, seed=n + 100 * size + k)
                    if copy is not None:
                        yield copy


DAMAGE = {
    "latin": to_latin,
    "lost": lambda t: t.encode("cp1251", errors="replace").decode("cp1251"),
    "russian": lambda t: t.translate(str.maketrans("әөүұқғңіһӘӨҮҰҚҒҢІҺ", "аоуукгнихАОУУКГНИХ")),
}


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--data", required=True, nargs="+")
    ap.add_argument(
        "--rates",
        type=float,
        nargs="*",
        default=[0.0, 0.25],
        help="extra deletion rates made from the clean documents (default: 0 and 0.25)",
    )
    ap.add_argument(
        "--draws",
        type=int,
        default=1,
        help="random deletion copies of each clean document per rate, pooled "
        "(one draw of ~770 links moves F1 by several tenths; use 5 to compare)",
    )
    ap.add_argument(
        "--passages",
        type=int,
        nargs="*",
        default=[],
        metavar="SIZE",
        help="also copies of each clean document missing a passage of SIZE consecutive "
        "sentences, once from the Kazakh side and once from the English (variant gapSIZE)",
    )
    ap.add_argument(
        "--pipeline",
        action="store_true",
        help="segment the raw texts and align those sentences, as translate align does",
    )
    ap.add_argument(
        "--simulated-mt",
        type=float,
        metavar="KEEP",
        help="also score with a simulated machine translation keeping this share of words",
    )
    ap.add_argument(
        "--damage",
        choices=sorted(DAMAGE),
        help="damage the Kazakh side first (Latin script, letters lost to '?', Russian "
        "letters) and align it both as it is and read as the model gets it",
    )
    args = ap.parse_args()
    for path in args.data:
        stats = defaultdict(lambda: [0, 0, 0, 0.0, 0])
        segments = {}
        if args.simulated_mt is not None:
            for line in open(Path(path).parent / "ntrex128_kk_en.jsonl", encoding="utf-8"):
                seg = json.loads(line)
                segments[seg["line"]] = seg["en"]
        passages = () if args.pipeline else tuple(args.passages)
        for r in records(path, [] if args.pipeline else args.rates, args.draws, passages):
            t0 = time.perf_counter()
            if args.pipeline:
                got = pipeline_links(r)
            else:
                sim = None
                if args.simulated_mt is not None and "kk_orig_line" in r:
                    machine = simulated_mt(r, segments, args.simulated_mt, seed=len(r["kk_sents"]))
                    sim = chrf_similarity(machine, r["en_sents"])
                kk = r["kk_sents"]
                if args.damage:
                    kk = [DAMAGE[args.damage](x) for x in kk]
                    raw = links(align_sentences(kk, r["en_sents"], "kk", "en"))
                    gold = {tuple(x) for x in r["links"]}
                    s = stats[r["variant"] + " (as damaged)"]
                    s[0] += len(raw & gold)
                    s[1] += len(raw - gold)
                    s[2] += len(gold - raw)
                    s[4] += 1
                kk = evidence_texts(" ".join(kk), kk, "kk")  # as translate align reads it
                en = evidence_texts(" ".join(r["en_sents"]), r["en_sents"], "en")
                got = links(align_sentences(kk, en, "kk", "en", similarity=sim))
            dt = time.perf_counter() - t0
            gold = {tuple(x) for x in r["links"]}
            s = stats[r["variant"]]
            s[0] += len(got & gold)
            s[1] += len(got - gold)
            s[2] += len(gold - got)
            s[3] += dt
            s[4] += 1
        method = "length+anchors+words" + (
            f"+chrF (simulated MT, keep {args.simulated_mt})"
            if args.simulated_mt is not None and not args.pipeline
            else ""
        )
        if args.pipeline:
            method += ", segmented from the raw texts"
        print(f"\n== {path} ({method}) ==")
        print(f"{'variant':<10} {'P':>7} {'R':>7} {'F1':>7} {'docs':>5} {'seconds':>8}")
        for v, (tp, fp, fn, dt, docs) in sorted(stats.items()):
            p = tp / (tp + fp) if tp + fp else 1.0
            rc = tp / (tp + fn) if tp + fn else 1.0
            f1 = 2 * p * rc / (p + rc) if p + rc else 0.0
            print(f"{v:<10} {p:7.4f} {rc:7.4f} {f1:7.4f} {docs:5d} {dt:8.2f}")


if __name__ == "__main__":
    main()
