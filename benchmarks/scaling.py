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

    python benchmarks/scaling.py --memory   # peak memory per input byte

Peak memory (resident set) of segmenting and preparing model input for a
200 KB "word" (a pasted base64 image), 20 MB of newlines and 16 MB of text
on one line, each in a fresh process, less that of an empty input: the
bytes of memory per byte of input, which must stay a small constant.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from translate.text.normalize import DocumentWords, normalize_for_model  # noqa: E402
from translate.text.segment import segment  # noqa: E402

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


def _table(title: str, kinds: dict[str, str], sizes: list[int], func) -> None:
    """Seconds of ``func`` on each kind of input repeated to each size (MB)."""
    ratio = f"ratio {sizes[-1]}/{sizes[0]}"
    print(f"{title:<24}" + "".join(f"{s:>7} MB" for s in sizes) + f"   {ratio}")
    for name, unit in kinds.items():
        times = []
        for mb in sizes:
            n = mb * 1_000_000
            text = (unit * (n // len(unit) + 1))[:n]
            t0 = time.perf_counter()
            func(text)
            times.append(time.perf_counter() - t0)
        print(
            f"{name:<24}" + "".join(f"{t:9.2f}s" for t in times) + f"   {times[-1] / times[0]:8.1f}"
        )


MEMORY_KINDS = {
    "a 200 KB word": lambda: "ақмола" * 16_700,
    "20 MB of newlines": lambda: "Сәлем.\n" + "\n" * 20_000_000 + "Сау бол.",
    "16 MB on one line": lambda: (ONE_LINE * (16_000_000 // len(ONE_LINE) + 1))[:16_000_000],
}
# Run in a fresh interpreter: what segmenting and preparing model input costs.
_MEASURE = """
import resource, sys
sys.path.insert(0, {root!r})
from benchmarks.scaling import MEMORY_KINDS
from translate.pipeline import prepare_input
from translate.records import Document
from translate.text.normalize import DocumentWords
from translate.text.segment import segment
name = sys.argv[1]
text = MEMORY_KINDS[name]() if name else ""
sentences = segment(text, "kk")
words = DocumentWords(text)
for s in sentences:
    prepare_input(s.text, "kk", "auto", words)
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024, len(text.encode()))
"""


def _peak(name: str) -> tuple[int, int]:
    import subprocess

    out = subprocess.run(
        [sys.executable, "-c", _MEASURE.format(root=str(ROOT)), name],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return int(out[0]), int(out[1])


def memory() -> None:
    base, _ = _peak("")
    print(f"{'input':<20} {'bytes':>12} {'peak MB':>9} {'extra MB':>9} {'per input byte':>15}")
    for name in MEMORY_KINDS:
        peak, size = _peak(name)
        extra = peak - base
        print(f"{name:<20} {size:12,d} {peak / 1e6:9.0f} {extra / 1e6:9.0f} {extra / size:15.1f}")


def main() -> None:
    if "--memory" in sys.argv[1:]:
        memory()
        return
    _table("input", KINDS, [1, 2, 4, 8, 16], segment)
    print()
    _table(
        "normalise one line",
        NORMALISE,
        [1, 2, 4, 8],
        lambda text: normalize_for_model(text, "kk", "auto", DocumentWords(text)),
    )


if __name__ == "__main__":
    main()
