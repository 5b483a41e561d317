"""Sentence segmentation benchmark: boundary precision/recall/F1 on raw text.

Usage:
    python benchmarks/segmentation.py --data ../shared/data/segmentation/kk_heldout.jsonl
    python benchmarks/segmentation.py --data ../shared/data/segmentation/en_dev.jsonl --errors 20

Each record holds ``text`` and its gold ``sentences``. Segmenters get the raw
text (newlines included); ``razdel/line`` is razdel given each line alone, the
input preparation ours uses (a newline ends a paragraph), so both rows compare
the same thing. Our errors are listed for dev files only. A boundary is the offset just after a sentence's last
non-space character; the end of the text is not scored. Prints, per segmenter:
P, R, F1, the share of texts segmented perfectly, and characters per second,
then the errors of ours with context.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from translate.text.segment import segment  # noqa: E402


def gold_boundaries(text: str, sentences: list[str]) -> set[int]:
    out, pos = set(), 0
    for s in sentences:
        i = text.index(s, pos)
        pos = i + len(s)
        out.add(pos)
    out.discard(len(text.rstrip()))
    return out


def spans_to_boundaries(text: str, ends: list[int]) -> set[int]:
    b = set(ends)
    b.discard(len(text.rstrip()))
    return b


def ours(lang):
    return lambda text: [s.end for s in segment(text, lang)]


def regex_baseline(text: str) -> list[int]:
    ends = [
        m.end()
        for m in re.finditer(r"[.!?…]+[»\"”)]*(?=\s+[«\"“(\-–—]*[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ0-9])|\n", text)
    ]
    return [e for e in ends] + [len(text.rstrip())]


def razdel_baseline(text: str) -> list[int]:
    from razdel import sentenize

    return [s.stop for s in sentenize(text)]


def by_line(func):
    """A segmenter given each line alone, as ours reads text (a newline ends a
    paragraph): the same input preparation for every segmenter compared."""

    def run(text: str) -> list[int]:
        ends, pos = [], 0
        for line in text.split("\n"):
            if line.strip():
                ends += [pos + e for e in func(line)]
            pos += len(line) + 1
        return ends

    return run


def is_heldout(path: str) -> bool:
    return "heldout" in Path(path).name or "held-out" in Path(path).name


def evaluate(records, func):
    tp = fp = fn = perfect = chars = 0
    errors = []
    t0 = time.perf_counter()
    predictions = [func(r["text"]) for r in records]
    seconds = time.perf_counter() - t0
    for r, pred in zip(records, predictions):
        text = r["text"]
        chars += len(text)
        gold = gold_boundaries(text, r["sentences"])
        got = spans_to_boundaries(text, [_rstrip_end(text, e) for e in pred])
        tp += len(gold & got)
        fp += len(got - gold)
        fn += len(gold - got)
        if gold == got:
            perfect += 1
        for b in sorted(got - gold):
            errors.append(("FP", r["id"], text, b))
        for b in sorted(gold - got):
            errors.append(("FN", r["id"], text, b))
    p = tp / (tp + fp) if tp + fp else 1.0
    rec = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * p * rec / (p + rec) if p + rec else 0.0
    return {
        "P": p,
        "R": rec,
        "F1": f1,
        "perfect": perfect / len(records),
        "chars/s": chars / seconds if seconds else float("inf"),
        "errors": errors,
    }


def _rstrip_end(text: str, e: int) -> int:
    while e > 0 and text[e - 1].isspace():
        e -= 1
    return e


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--data", required=True, nargs="+", help="segmentation JSONL file(s)")
    ap.add_argument("--errors", type=int, default=30, help="how many of our errors to list")
    ap.add_argument(
        "--join",
        choices=["raw", "space"],
        default="raw",
        help="raw text, or all sentences joined by single spaces",
    )
    args = ap.parse_args()
    for path in args.data:
        records = [json.loads(line) for line in open(path, encoding="utf-8")]
        if args.join == "space":
            for r in records:
                r["text"] = " ".join(r["sentences"])
        lang = records[0].get("lang", "kk")
        variants = {"translate": ours(lang), "regex": regex_baseline}
        try:
            import razdel  # noqa: F401

            variants["razdel"] = razdel_baseline
            variants["razdel/line"] = by_line(razdel_baseline)
        except ImportError:
            print("(razdel not installed: pip install razdel)")
        print(f"\n== {path} ({len(records)} texts, lang {lang}, {args.join}) ==")
        print(f"{'segmenter':<12} {'P':>7} {'R':>7} {'F1':>7} {'perfect':>8} {'chars/s':>12}")
        results = {}
        for name, func in variants.items():
            res = results[name] = evaluate(records, func)
            print(
                f"{name:<12} {res['P']:7.4f} {res['R']:7.4f} {res['F1']:7.4f} "
                f"{res['perfect']:8.3f} {res['chars/s']:12,.0f}"
            )
        if is_heldout(path):  # held-out data is for measuring: no per-item errors
            print("(held-out file: figures only, no per-item errors)")
            continue
        errs = results["translate"]["errors"]
        print(f"\nour errors: {len(errs)} (showing {min(len(errs), args.errors)})")
        for kind, rid, text, b in errs[: args.errors]:
            ctx = (text[max(0, b - 60) : b] + " ‖ " + text[b : b + 50]).replace("\n", "⏎")
            print(f"  {kind} {rid}: …{ctx}…")


if __name__ == "__main__":
    main()
