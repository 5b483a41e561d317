"""Segmentation and normalisation time against input size: both must grow
linearly, also on hostile input.

Usage:
    python benchmarks/scaling.py            # sizes 1, 2, 4, 8, 16 MB

For each kind of input (the seed article repeated, one line with no line break,
one sentence with no punctuation, 100k one-word paragraphs, runs of "a.b@",
the seed with its Kazakh letters lost to "?"), prints seconds per size and the
ratio to the smallest size (linear: ratio ≈ size ratio). Then the same for the
model's normaliser on one line of 1-8 MB (look-alike letters, letters lost to
"?", Kazakh typed with Russian letters).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from translate import segment  # noqa: E402
from translate.normalize import DocumentWords, normalize_for_model  # noqa: E402

SEED = (ROOT / "seeds" / "akmola-iran-2026-02-23.kk.txt").read_text("utf-8")
KINDS = {
    "seed article repeated": SEED,
    "one line, no breaks": SEED.replace("\n", " "),
    "no punctuation": " ".join(["сөз"] * 1000) + " ",
    "one-word paragraphs": "Сөз\n",
    "a.b@ runs": "a.b@",
    "letters lost to ?": SEED.encode("cp1251", errors="replace").decode("cp1251"),
}
ONE_LINE = SEED.replace("\n", " ")
NORMALISE = {
    "look-alike letters": ONE_LINE.replace("і", "i").replace("о", "o"),
    "letters lost to ?": ONE_LINE.encode("cp1251", errors="replace").decode("cp1251"),
    "Russian letters": ONE_LINE.translate(str.maketrans("әөүұқғңіһ", "аоуукгних")),
}


def main() -> None:
    sizes = [1, 2, 4, 8, 16]
    print(f"{'input':<24}" + "".join(f"{s:>7} MB" for s in sizes) + "   ratio 16/1")
    for name, unit in KINDS.items():
        times = []
        for mb in sizes:
            n = mb * 1_000_000
            text = (unit * (n // len(unit) + 1))[:n]
            t0 = time.perf_counter()
            segment(text)
            times.append(time.perf_counter() - t0)
        print(
            f"{name:<24}" + "".join(f"{t:9.2f}s" for t in times) + f"   {times[-1] / times[0]:8.1f}"
        )
    sizes = [1, 2, 4, 8]
    print(f"\n{'normalise one line':<24}" + "".join(f"{s:>7} MB" for s in sizes) + "    ratio 8/1")
    for name, unit in NORMALISE.items():
        times = []
        for mb in sizes:
            n = mb * 1_000_000
            text = (unit * (n // len(unit) + 1))[:n]
            t0 = time.perf_counter()
            normalize_for_model(text, "kk", "auto", DocumentWords(text))
            times.append(time.perf_counter() - t0)
        print(
            f"{name:<24}" + "".join(f"{t:9.2f}s" for t in times) + f"   {times[-1] / times[0]:8.1f}"
        )


if __name__ == "__main__":
    main()
