"""Batch jobs: the gain of cross-article batching and of the translation memory.

Usage:
    python benchmarks/batch.py --docs 8
    python benchmarks/batch.py --model models/nllb-200-distilled-600M-ct2-int8 --docs 20

Articles are NTREX-128 news documents (``--data`` prefix: ``.kk`` and
``.docid`` files, one segment per line), one file per document. Three runs of
the same job, each timed in its own process after the model is loaded:
(1) articles translated one at a time (one model load, no pooling);
(2) sentences of all articles pooled into shared batches (the default);
(3) the same job again with the translation memory filled by (2).
Without ``--model`` it uses the random NLLB-600M CTranslate2 int8 model that
``benchmarks/throughput.py`` builds, with outputs forced to ~1.1x the source
(see that script).
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import sys
import tempfile
import time
from collections import OrderedDict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

DEFAULT_DATA = HERE.parent.parent / "shared" / "data" / "parallel" / "ntrex128_dev"


def job(model: str, src_dir: str, out_dir: str, chunk: int, cache_path: str | None, forced: bool):
    import transformers

    transformers.logging.set_verbosity_error()
    from translate.jobs import batch as batch_mod
    from translate.mt.backends import load_translator
    from translate.mt.cache import CachedTranslator, TranslationCache
    from translate.mt.registry import resolve
    from translate.mt.translator import TranslationOptions
    from translate.pipeline import make_signature, translate_documents

    opts = TranslationOptions(beam=4, output_ratio=1.1, output_margin=0)
    tr = load_translator(resolve(model), opts)
    if forced:
        from throughput import force_lengths

        force_lengths(tr)
    sig = make_signature(tr, "kk", "en")
    translator = tr
    cache = None
    if cache_path:
        cache = TranslationCache(cache_path)
        translator = CachedTranslator(tr, cache)
    original = batch_mod.translate_documents

    def pooled(*a, **kw):
        kw["chunk_sentences"] = chunk
        return original(*a, **kw)

    batch_mod.translate_documents = pooled
    t0 = time.perf_counter()
    stats = batch_mod.run_batch(src_dir, out_dir, translator, sig, ["jsonl"], overwrite=True)
    seconds = time.perf_counter() - t0
    batch_mod.translate_documents = translate_documents
    hit = translator.hit_rate if cache else None
    return {"seconds": seconds, "sentences": stats.run.sentences, "hit_rate": hit}


def _child(q, args):
    q.put(job(*args))


def isolated(*args):
    ctx = mp.get_context("spawn")
    q = ctx.Queue()
    p = ctx.Process(target=_child, args=(q, args))
    p.start()
    r = q.get()
    p.join()
    return r


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument(
        "--data", type=Path, default=DEFAULT_DATA, help="prefix of .kk and .docid files"
    )
    ap.add_argument("--docs", type=int, default=8)
    ap.add_argument("--model", help="model (default: throughput.py's random NLLB-600M ct2 int8)")
    ap.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "translate-bench")
    args = ap.parse_args()
    kk = Path(f"{args.data}.kk").read_text("utf-8").splitlines()
    ids = Path(f"{args.data}.docid").read_text("utf-8").splitlines()
    docs: OrderedDict[str, list[str]] = OrderedDict()
    for line, d in zip(kk, ids):
        docs.setdefault(d.split("\t")[0], []).append(line)
    chosen = list(docs.items())[: args.docs]
    forced = args.model is None
    model = args.model or str(args.workdir / "nllb-600m-random-ct2-int8")
    if forced and not (Path(model) / "model.bin").is_file():
        sys.exit(
            "run benchmarks/throughput.py --quick first (it builds the model), or give --model"
        )
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "articles"
        src.mkdir()
        for name, lines in chosen:
            # a headline line, then the body as one paragraph
            (src / f"{name}.txt").write_text(lines[0] + "\n" + " ".join(lines[1:]) + "\n", "utf-8")
        n_sent = sum(len(v) for _, v in chosen)
        print(f"{len(chosen)} articles, about {n_sent} segments, model {model}\n")
        cache = str(Path(tmp) / "tm.sqlite")
        rows = [
            ("one article at a time", isolated(model, str(src), f"{tmp}/o1", 1, None, forced)),
            (
                "articles pooled (default)",
                isolated(model, str(src), f"{tmp}/o2", 256, cache, forced),
            ),
            (
                "again, translation memory warm",
                isolated(model, str(src), f"{tmp}/o3", 256, cache, forced),
            ),
        ]
    base = rows[0][1]["sentences"] / rows[0][1]["seconds"]
    print(f"{'run':<34} {'sentences':>9} {'seconds':>8} {'sent/s':>8} {'x':>5} {'cache hits':>10}")
    for name, r in rows:
        sps = r["sentences"] / r["seconds"]
        hit = "-" if r["hit_rate"] is None else f"{r['hit_rate']:.0%}"
        print(
            f"{name:<34} {r['sentences']:9d} {r['seconds']:8.1f} {sps:8.2f} {sps / base:5.1f} {hit:>10}"
        )


if __name__ == "__main__":
    main()
