"""Translation throughput: the naive loop a user would write vs our pipeline.

Usage:
    python benchmarks/throughput.py --quick
    python benchmarks/throughput.py --quick --pairs 3   # + paired runs, 2 vs 1 batch at once
    python benchmarks/throughput.py --data ../shared/data/parallel/ntrex128_dev.kk --sentences 32
    python benchmarks/throughput.py --device cuda          # on a GPU machine (+ batch-size sweep)
    python benchmarks/throughput.py --quick --device cuda --sweep-only   # sweep + OOM check only

Builds (once, in --workdir) a randomly initialised model with exactly the
NLLB-200 distilled 600M architecture (d_model 1024, 12+12 layers, 16 heads,
FFN 4096, 256,206-token vocabulary) and a sentencepiece tokenizer trained on
the --data text, so no download is needed. Outputs are forced to about 1.1x
the source length (random weights never stop by themselves): every sentence
gets ceil(1.1 x its source length) tokens, in every variant. Batched variants
decode as their backend would if each sentence stopped there (see
``force_lengths``): CTranslate2 drops finished sentences from the batch, which
is reproduced by decoding the batch in segments between consecutive lengths;
transformers keeps them until the longest ends. A row shows the default path
under the earlier, more pessimistic emulation (groups of similar lengths, each
decoded to its longest member).

NLLB conversions carry a target-language shortlist (``vmap.txt``: for English
output only tokens whose letters are ASCII). Its size depends on the real
tokenizer, which cannot be downloaded here, so the benchmark gives the random
model shortlists of assumed sizes: 40% of the vocabulary for the pipeline
default (our estimate of NLLB-200's ASCII-letter tokens: 126 of its 202
languages are written in Latin script) and 12.5% (32k tokens, about what
English text uses) as a variant. Which tokens are listed does not matter to
the cost with random weights, only how many.

The default path is what ``translate run --model nllb-200-distilled-600M``
does: the random model is put into a model store (``--workdir``/store, as
``translate models fetch`` leaves it), the first use converts it to
CTranslate2 int8 with the command's own code (timed, with its peak memory,
and reported apart: it happens once), and the default row loads the model by
its registry name with the default options, so the automatic backend picks
the store's conversion. The one deviation: the conversion's shortlist is
replaced by one of the assumed size (above).

Every variant runs in its own process on the same sentences and reports
sentences/s, generated tokens/s and its peak RSS. The last line reads
``speedup_vs_naive: X.X``: the pipeline's default CPU path over the naive
loop, both at beam 4.
"""

from __future__ import annotations

import argparse
import json
import math
import multiprocessing as mp
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

NLLB_600M = dict(
    vocab_size=256206,
    d_model=1024,
    encoder_layers=12,
    decoder_layers=12,
    encoder_attention_heads=16,
    decoder_attention_heads=16,
    encoder_ffn_dim=4096,
    decoder_ffn_dim=4096,
    max_position_embeddings=1024,
    scale_embedding=True,
    activation_function="relu",
    dropout=0.1,
    init_std=0.02,
)
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "parallel" / "ntrex128_dev.kk"


def build_model(workdir: Path, data: Path) -> Path:
    """Tokenizer trained on ``data`` + random NLLB-600M weights, in the HF layout."""
    import json as _json

    import sentencepiece as spm
    import torch
    from transformers import AutoTokenizer, M2M100Config, M2M100ForConditionalGeneration
    from transformers.models.nllb.tokenization_nllb import FAIRSEQ_LANGUAGE_CODES

    out = workdir / "nllb-600m-random"
    if (out / "model.safetensors").is_file():
        return out
    out.mkdir(parents=True, exist_ok=True)
    with open(os.devnull, "w") as devnull:
        spm.SentencePieceTrainer.train(
            input=str(data),
            model_prefix=str(out / "sp"),
            vocab_size=8000,
            model_type="bpe",
            character_coverage=1.0,
            bos_id=0,
            pad_id=1,
            eos_id=2,
            unk_id=3,
            logstream=devnull,
        )
    (out / "sp.model").rename(out / "sentencepiece.bpe.model")
    (out / "tokenizer_config.json").write_text(
        _json.dumps(
            {
                "tokenizer_class": "NllbTokenizer",
                "model_max_length": 1024,
                "additional_special_tokens": list(FAIRSEQ_LANGUAGE_CODES),
            }
        )
    )
    tok = AutoTokenizer.from_pretrained(out)
    torch.manual_seed(0)
    cfg = M2M100Config(
        pad_token_id=1, bos_token_id=0, eos_token_id=2, decoder_start_token_id=2, **NLLB_600M
    )
    M2M100ForConditionalGeneration(cfg).save_pretrained(out)
    tok.save_pretrained(out)
    return out


def with_shortlist(ct2_dir: Path, share: float) -> Path:
    """A view of a converted model (links to its files) with a shortlist of ``share``
    of the vocabulary for Kazakh sources (``kaz_Cyrl``, the key a real
    conversion's line for kk->en has: the translator uses a shortlist only for
    sources it has a line for)."""
    out = ct2_dir.parent / f"{ct2_dir.name}-shortlist{round(share * 1000):03d}"
    out.mkdir(exist_ok=True)
    for f in ct2_dir.iterdir():
        link = out / f.name
        if f.name != "vmap.txt" and not link.exists():
            link.symlink_to(f.resolve())
    vocab = json.loads((ct2_dir / "shared_vocabulary.json").read_text("utf-8"))
    keep = vocab[: int(share * len(vocab))]
    (out / "vmap.txt").write_text("kaz_Cyrl\t" + " ".join(keep) + "\n", "utf-8")
    return out


REGISTRY_NAME = "nllb-200-distilled-600M"


def model_store_with(hf_dir: Path, workdir: Path) -> Path:
    """A model store holding the random model under its registry name, as
    ``translate models fetch`` leaves it (files linked, a snapshot record)."""
    store = workdir / "store"
    target = store / REGISTRY_NAME
    target.mkdir(parents=True, exist_ok=True)
    for f in hf_dir.iterdir():
        link = target / f.name
        if f.is_file() and not link.exists():
            link.symlink_to(f.resolve())
    record = {"name": REGISTRY_NAME, "hub_id": "facebook/nllb-200-distilled-600M"}
    (target / ".translate-snapshot.json").write_text(json.dumps(record), "utf-8")
    return store


def first_use(name: str, beam: int, device: str) -> dict:
    """``translate run``'s first use of a registry model: the conversion, alone."""
    from translate.mt.backends.convert import converted_copy
    from translate.mt.firstuse import convert_on_first_use
    from translate.mt.registry import resolve
    from translate.mt.translator import TranslationOptions

    model = resolve(name)
    t0 = time.perf_counter()
    made = convert_on_first_use(model, TranslationOptions(beam=beam, device=device), "auto")
    seconds = time.perf_counter() - t0
    assert made, "the first use made no conversion (see the log above)"
    return {"seconds": seconds, "tokens": 0, "converted": str(converted_copy(model))}


def _rss_mb() -> float:
    """Peak RSS of this process (VmHWM: unlike ru_maxrss, not inherited across exec)."""
    try:
        for line in open("/proc/self/status"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def naive(model_dir: str, sentences: list[str], beam: int, device: str) -> dict:
    """What a user writes from the model card: one sentence at a time."""
    import torch
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

    tok = AutoTokenizer.from_pretrained(model_dir, src_lang="kaz_Cyrl")
    model = AutoModelForSeq2SeqLM.from_pretrained(model_dir).to(device).eval()
    if device == "cuda":
        model = model.half()
    bos = tok.convert_tokens_to_ids("eng_Latn")
    tokens = 0
    t0 = time.perf_counter()
    for s in sentences:
        enc = tok(s, return_tensors="pt").to(device)
        n = math.ceil(1.1 * enc["input_ids"].shape[1])
        with torch.inference_mode():
            out = model.generate(
                **enc, forced_bos_token_id=bos, num_beams=beam, max_new_tokens=n, min_new_tokens=n
            )
        tok.batch_decode(out, skip_special_tokens=True)
        tokens += out.shape[1] - 1
    return {"seconds": time.perf_counter() - t0, "tokens": tokens}


def force_lengths(tr, emulation: str = "stop") -> dict:
    """Make a random-weight translator produce ~1.1x-source-length outputs; count tokens.

    Random weights never emit </s>, so each sentence gets a fixed length and a
    batch is decoded the way the backend would decode it if every sentence
    stopped at that length (``emulation="stop"``):

    * CTranslate2 drops a sentence from the batch as soon as it finishes (its
      beam search gathers the unfinished ones after each step). The batch is
      decoded in segments: all sentences up to the shortest length, then the
      remaining ones up to the next length, and so on. Each segment starts a new
      call, so the encoder runs again and the batch's shortlist is gathered
      again (extra work real decoding does not do); self-attention sees a
      shorter history (less work; small next to the feed-forward layers).
    * transformers keeps finished sentences in the batch until the longest one
      ends, so the batch is decoded to its longest member.

    ``emulation="groups"`` is the earlier, more pessimistic choice: sentences of
    a batch in groups whose lengths differ by less than 25%, each group decoded
    to its longest member.

    ``emulation="max"`` decodes every batch to its longest member in both
    backends: the same work for each, for like-for-like comparisons (the GPU
    batch-size sweep); CTranslate2 really does less.

    ``emulation="probe"`` measures what the segments add: only the calls after
    each batch's first are made, each for a single token (encoder, shortlist
    gather and one step), and nothing else is decoded; ``"probe2"`` the same
    for two tokens, so that the cost of the steps can be taken out.
    """
    from translate.mt.translator import Generated

    tr.force_length = True
    counted = {"tokens": 0}
    real = tr.generate

    def generate(texts, src, tgt, n):
        lengths = [math.ceil(1.1 * k) for k in tr.count_tokens(texts, src, tgt)]
        counted["tokens"] += sum(lengths)
        if emulation == "groups":
            out = [None] * len(texts)
            groups: dict[int, list[int]] = {}
            for i, k in enumerate(lengths):
                groups.setdefault(int(math.log(k) / math.log(1.25)), []).append(i)
            for idx in groups.values():
                m = max(lengths[i] for i in idx)
                for i, g in zip(idx, real([texts[i] for i in idx], src, tgt, m)):
                    out[i] = g
            return out
        if tr.backend != "ctranslate2" or emulation == "max":
            return real(texts, src, tgt, max(lengths))
        order = sorted(range(len(texts)), key=lambda i: lengths[i])
        parts: list[list[Generated]] = [[] for _ in texts]
        done = 0
        for k, i in enumerate(order):
            if lengths[i] > done:
                alive = order[k:]
                if emulation in ("probe", "probe2"):
                    if done:
                        real([texts[j] for j in alive], src, tgt, 2 if emulation == "probe2" else 1)
                    done = lengths[i]
                    continue
                out = real([texts[j] for j in alive], src, tgt, lengths[i] - done)
                for j, g in zip(alive, out):
                    parts[j].append(g)
                done = lengths[i]
        if emulation in ("probe", "probe2"):
            return [Generated(text="", score=0.0, length=n, hit_limit=False) for n in lengths]
        return [
            Generated(
                text=" ".join(g.text for g in p),
                score=p[-1].score,
                length=lengths[i],
                hit_limit=False,
            )
            for i, p in enumerate(parts)
        ]

    tr.generate = generate
    return counted


def pipeline(
    model_dir: str,
    sentences: list[str],
    beam: int,
    device: str,
    backend: str,
    compute_type: str,
    max_batch_size: int = 0,
    shortlist: bool = True,
    emulation: str = "stop",
    parallel_batches: int = 0,
) -> dict:
    """Our translator as ``translate run`` uses it (batching, order, flags);
    ``model_dir`` may be a registry name, loaded from the store as ``run`` does."""
    from translate.mt.backends import load_translator
    from translate.mt.registry import resolve
    from translate.mt.translator import TranslationOptions

    opts = TranslationOptions(
        beam=beam,
        device=device,
        compute_type=compute_type,
        output_ratio=1.1,
        output_margin=0,
        max_batch_size=max_batch_size,
        shortlist=shortlist,
        parallel_batches=parallel_batches,
    )
    tr = load_translator(resolve(model_dir), opts, backend)
    loaded = Path(getattr(getattr(tr, "model_ref", None), "location", model_dir))
    if shortlist and (loaded / "vmap.txt").is_file():
        # a shortlist that the translator silently passed over would make
        # every figure below a measurement of something else
        assert tr.use_vmap and "kaz_Cyrl" in tr.vmap_keys, "the shortlist is not used"
    counted = force_lengths(tr, emulation)
    t0 = time.perf_counter()
    out = tr.translate(sentences, "kk", "en")
    assert len(out) == len(sentences)
    d = tr.describe()
    return {
        "seconds": time.perf_counter() - t0,
        "tokens": counted["tokens"],
        "loaded": f"{d.get('backend')} {d.get('dtype')} from {loaded}",
    }


def sweep(
    model_dir: str,
    sentences: list[str],
    beam: int,
    device: str,
    backend: str,
    compute_type: str,
    sizes: list[int],
    shortlist: bool = False,
) -> dict:
    """Tokens/s at each batch size, the model loaded once (GPU comparison).

    Batch size ``bs`` translates the first ``max(16, 2 x bs)`` sentences (as
    many as there are), so every size gets at least two full batches and small
    sizes stay short; the token budget is set high enough that ``bs`` alone caps
    a batch. Every batch is decoded to its longest member (``emulation="max"``),
    in both backends, after a warm-up call (CUDA context, kernels, allocator).
    """
    import dataclasses

    from translate.mt.backends import load_translator
    from translate.mt.registry import resolve
    from translate.mt.translator import TranslationOptions

    opts = TranslationOptions(
        beam=beam,
        device=device,
        compute_type=compute_type,
        output_ratio=1.1,
        output_margin=0,
        max_batch_size=max(sizes),
        batch_tokens=max(sizes) * 1024,
        shortlist=shortlist,
    )
    tr = load_translator(resolve(model_dir), opts, backend)
    if shortlist:
        assert tr.use_vmap and "kaz_Cyrl" in tr.vmap_keys, "the shortlist is not used"
    counted = force_lengths(tr, "max")
    tr.translate(sentences[:8], "kk", "en")
    rows = {}
    for bs in sizes:
        part = sentences[: max(16, 2 * bs)]
        tr.options = dataclasses.replace(opts, max_batch_size=bs)
        counted["tokens"] = 0
        t0 = time.perf_counter()
        out = tr.translate(part, "kk", "en")
        seconds = time.perf_counter() - t0
        assert len(out) == len(part)
        rows[bs] = {"seconds": seconds, "tokens": counted["tokens"], "sentences": len(part)}
    d = tr.describe()
    return {"rows": rows, "seconds": 0.0, "tokens": 0, "dtype": str(d.get("dtype"))}


def oom_recovery(model_dir: str, sentences: list[str], beam: int) -> dict:
    """CUDA out-of-memory recovery, for real: transformers fp16 with the GPU's
    memory capped a little above the weights, one batch of 64 sentences; the
    translator must halve and retry until batches fit, losing nothing."""
    import logging

    import torch

    from translate.mt.backends import load_translator
    from translate.mt.registry import resolve
    from translate.mt.translator import TranslationOptions

    opts = TranslationOptions(
        beam=beam,
        device="cuda",
        compute_type="float16",
        output_ratio=1.1,
        output_margin=0,
        max_batch_size=64,
        batch_tokens=64 * 1024,
    )
    tr = load_translator(resolve(model_dir), opts, "transformers")
    force_lengths(tr, "max")
    part = sentences[:64]
    tr.translate(part[:4], "kk", "en")  # warm-up
    torch.cuda.empty_cache()
    total = torch.cuda.get_device_properties(0).total_memory
    cap = torch.cuda.memory_allocated() + (512 << 20)
    torch.cuda.set_per_process_memory_fraction(cap / total)
    warnings: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record):
            warnings.append(record.getMessage())

    logging.getLogger("translate").addHandler(Keep())
    out = tr.translate(part, "kk", "en")
    return {
        "seconds": 0.0,
        "tokens": 0,
        "cap_mb": cap / 2**20,
        "records": len(out),
        "inputs": len(part),
        "halvings": sum("out of memory" in w for w in warnings),
    }


def overhead(model_dir: str, beam: int, device: str) -> dict:
    """Share of wall time outside the model on the seed article, end to end."""
    from translate.formats import open_writer
    from translate.mt.backends import load_translator
    from translate.mt.registry import resolve
    from translate.mt.translator import TranslationOptions
    from translate.pipeline import RunStats, make_signature, translate_documents
    from translate.text import langid
    from translate.text.reader import read_article

    opts = TranslationOptions(beam=beam, device=device, output_ratio=1.1, output_margin=0)
    langid.preload()  # as `translate run` does while its model loads
    tr = load_translator(resolve(model_dir), opts)
    force_lengths(tr)
    in_model = {"s": 0.0}
    real = tr.translate

    def translate(texts, src, tgt):
        t = time.perf_counter()
        out = real(texts, src, tgt)
        in_model["s"] += time.perf_counter() - t
        return out

    tr.translate = translate
    t0 = time.perf_counter()
    doc = read_article(ROOT / "seeds" / "akmola-iran-2026-02-23.kk.txt")
    with open_writer("jsonl", make_signature(tr, "kk", "en"), os.devnull) as w:
        for res in translate_documents([doc], tr, "kk", "en", stats=RunStats()):
            w.write(res)
    total = time.perf_counter() - t0
    return {"seconds": total, "tokens": 0, "model_seconds": in_model["s"]}


def _child(queue, func, args):
    import transformers

    transformers.logging.set_verbosity_error()
    transformers.logging.disable_progress_bar()
    try:
        res = func(*args)
    except BaseException as exc:  # the parent reports it instead of waiting forever
        queue.put({"error": f"{type(exc).__name__}: {exc}"})
        raise
    res["rss_mb"] = _rss_mb()
    queue.put(res)


def run_isolated(func, *args) -> dict:
    import queue

    ctx = mp.get_context("spawn")
    q = ctx.Queue()
    p = ctx.Process(target=_child, args=(q, func, args))
    p.start()
    while True:
        try:
            res = q.get(timeout=2)
            break
        except queue.Empty:
            if not p.is_alive():  # died without a word (a crash in native code)
                raise RuntimeError(f"{func.__name__} exited with code {p.exitcode}") from None
    p.join()
    if "error" in res:
        raise RuntimeError(f"{func.__name__}: {res['error']}")
    return res


SWEEP_SIZES = [1, 2, 4, 8, 16, 32, 64]


def gpu_sweep(args, lines: list[str], hf_dir: Path, ct2_dirs: dict, default_dir: str) -> dict:
    """transformers fp16 vs CTranslate2 fp16 (and the GPU default) at batch sizes 1-64."""
    sentences = lines[: 2 * max(SWEEP_SIZES)]
    runs = [
        ("transformers float16", (str(hf_dir), "transformers", "float16", False)),
        ("ctranslate2 float16", (ct2_dirs["float16"], "ctranslate2", "float16", False)),
        ("ctranslate2 int8_float16+shortlist", (default_dir, "auto", "int8_float16", True)),
    ]
    print(
        f"\nGPU batch-size sweep, beam {args.beam}, every batch decoded to its longest "
        f"member; generated tokens/s (sentences: max(16, 2 x batch size))"
    )
    print(f"{'batch size':<36}" + "".join(f"{bs:>8}" for bs in SWEEP_SIZES))
    out = {}
    for name, (model_dir, backend, compute_type, shortlist) in runs:
        try:
            r = run_isolated(
                sweep, model_dir, sentences, args.beam, "cuda", backend, compute_type,
                SWEEP_SIZES, shortlist,
            )  # fmt: skip
        except Exception as exc:  # report and go on: the other rows still count
            print(f"{name:<36} failed: {exc}", flush=True)
            continue
        out[name] = r
        cells = "".join(f"{row['tokens'] / row['seconds']:8.0f}" for row in r["rows"].values())
        print(f"{name:<36}{cells}", flush=True)
    if len(out) >= 2 and "transformers float16" in out and "ctranslate2 float16" in out:
        hf, ct = out["transformers float16"]["rows"], out["ctranslate2 float16"]["rows"]
        ratios = "".join(f"{hf[bs]['seconds'] / ct[bs]['seconds']:8.1f}" for bs in SWEEP_SIZES)
        print(f"{'ct2 fp16 over transformers fp16':<36}{ratios}")
    try:
        oom = run_isolated(oom_recovery, str(hf_dir), sentences, args.beam)
        print(
            f"\nout-of-memory recovery (transformers fp16, GPU memory capped at "
            f"{oom['cap_mb']:.0f} MB, one batch of {oom['inputs']}): {oom['halvings']} halvings, "
            f"{oom['records']} of {oom['inputs']} records"
        )
        out["oom_recovery"] = oom
    except Exception as exc:
        print(f"\nout-of-memory recovery check failed: {exc}")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument(
        "--data",
        type=Path,
        default=DEFAULT_DATA,
        help="Kazakh text, one sentence per line (tokenizer training and inputs)",
    )
    ap.add_argument("--sentences", type=int, default=32)
    ap.add_argument("--quick", action="store_true", help="16 sentences, fewer variants")
    ap.add_argument(
        "--pairs",
        type=int,
        default=0,
        metavar="N",
        help="also run the default path with two batches at once and with one, "
        "alternately, N times each, and print the median ratio (timings here are noisy)",
    )
    ap.add_argument("--beam", type=int, default=4)
    ap.add_argument("--device", choices=["cpu", "cuda"], default="cpu")
    ap.add_argument(
        "--sweep-only",
        action="store_true",
        help="with --device cuda: only the batch-size sweep and the out-of-memory check "
        "(for a short lease on a GPU machine)",
    )
    ap.add_argument(
        "--workdir", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "translate-bench"
    )
    args = ap.parse_args()
    if not args.data.is_file():
        sys.exit(f"--data {args.data} not found (Kazakh text, one sentence per line)")
    n = 16 if args.quick else args.sentences
    lines = [x.strip() for x in args.data.read_text("utf-8").splitlines() if x.strip()]
    sentences = lines[:n]

    from translate.mt.backends.convert import convert
    from translate.mt.registry import resolve

    t0 = time.perf_counter()
    hf_dir = build_model(args.workdir, args.data)
    ct2_dirs = {}
    for q in (["int8"] if args.quick else ["int8", "float32"]) + (
        ["float16"] if args.device == "cuda" else []
    ):
        d = args.workdir / f"nllb-600m-random-ct2-{q}"
        if not (d / "model.bin").is_file():
            convert(resolve(str(hf_dir)), d, q, force=True, shortlist=False)
        ct2_dirs[q] = str(d)
    small_dir = str(with_shortlist(Path(ct2_dirs["int8"]), 0.125))
    print(f"models ready in {time.perf_counter() - t0:.0f}s ({hf_dir})")

    # The first use, as `translate run --model NAME` makes it: a conversion
    # into the store, measured apart (it happens once).
    store = model_store_with(hf_dir, args.workdir)
    os.environ["TRANSLATE_MODELS_DIR"] = str(store)  # the children inherit it
    os.environ["HF_HUB_OFFLINE"] = "1"
    import shutil

    for old in store.glob(f"{REGISTRY_NAME}-ct2-*"):
        shutil.rmtree(old)
    fu = run_isolated(first_use, REGISTRY_NAME, args.beam, args.device)
    print(
        f"first use (once): conversion to CTranslate2 in {fu['seconds']:.0f}s, "
        f"peak RSS {fu['rss_mb']:.0f} MB, into {fu['converted']}"
    )
    # the one deviation from `run`: a shortlist of the assumed size (see above)
    vocab = json.loads((Path(fu["converted"]) / "shared_vocabulary.json").read_text("utf-8"))
    keep = vocab[: int(0.4 * len(vocab))]
    (Path(fu["converted"]) / "vmap.txt").write_text("kaz_Cyrl\t" + " ".join(keep) + "\n", "utf-8")
    default_dir = REGISTRY_NAME  # loaded by name from the store, as `run` does
    print(
        f"{len(sentences)} sentences, beam {args.beam}, device {args.device}, "
        f"{os.cpu_count()} cores\n"
    )

    dev = args.device
    variants = [
        ("(a) naive transformers loop", naive, (str(hf_dir), sentences, args.beam, dev)),
        (
            "(b) pipeline default (ct2 int8, shortlist, batched)",
            pipeline,
            (default_dir, sentences, args.beam, dev, "auto", "auto"),  # `run`'s options
        ),
        (
            "    ct2 int8 batched, no shortlist",
            pipeline,
            (ct2_dirs["int8"], sentences, args.beam, dev, "ctranslate2", "auto"),
        ),
        (
            "    ct2 int8 batched, 32k-token shortlist",
            pipeline,
            (small_dir, sentences, args.beam, dev, "ctranslate2", "auto"),
        ),
        (
            "    transformers batched fp32" if dev == "cpu" else "    transformers batched fp16",
            pipeline,
            (
                str(hf_dir),
                sentences,
                args.beam,
                dev,
                "transformers",
                "auto" if dev == "cpu" else "float16",
            ),
        ),
        (
            "    ct2 int8 greedy",
            pipeline,
            (default_dir, sentences, 1, dev, "auto", "auto"),
        ),
    ]
    if dev == "cuda":  # the batch-size sweep below compares the backends
        variants = [v for v in variants if not v[0].startswith("    ct2 int8")]
    else:
        variants[2:2] = [
            (
                "    (b) one batch at a time",
                pipeline,
                (default_dir, sentences, args.beam, dev, "auto", "auto", 0, True, "stop", 1),
            ),
            (
                "    (b) the emulation's extra calls alone",
                pipeline,
                (default_dir, sentences, args.beam, dev, "auto", "auto", 0, True, "probe"),
            ),
            (
                "    (b) the same, two tokens a call",
                pipeline,
                (default_dir, sentences, args.beam, dev, "auto", "auto", 0, True, "probe2"),
            ),
            (
                "    (b) under the earlier group emulation",
                pipeline,
                (default_dir, sentences, args.beam, dev, "auto", "auto", 0, True, "groups"),
            ),
        ]
    if not args.quick:
        variants.append(
            (
                "    ct2 float32 batched",
                pipeline,
                (ct2_dirs["float32"], sentences, args.beam, dev, "ctranslate2", "float32"),
            )
        )
    results = {"first_use": fu}
    if args.sweep_only and dev == "cuda":
        results["sweep"] = gpu_sweep(args, lines, hf_dir, ct2_dirs, default_dir)
        (args.workdir / "last-results.json").write_text(json.dumps(results, indent=2))
        return
    print(f"{'variant':<44} {'sent/s':>8} {'tok/s':>8} {'RSS MB':>8} {'x naive':>8}")
    for name, func, fargs in variants:
        r = run_isolated(func, *fargs)
        results[name] = r
        sps = len(sentences) / r["seconds"]
        base = len(sentences) / results["(a) naive transformers loop"]["seconds"]
        print(
            f"{name:<44} {sps:8.3f} {r['tokens'] / r['seconds']:8.1f} {r['rss_mb']:8.0f} "
            f"{sps / base:8.1f}",
            flush=True,
        )
    print(f"(b) loaded {results['(b) pipeline default (ct2 int8, shortlist, batched)']['loaded']}")
    if dev == "cpu":
        b = results["(b) pipeline default (ct2 int8, shortlist, batched)"]["seconds"]
        one = results["    (b) the emulation's extra calls alone"]["seconds"]
        two = results["    (b) the same, two tokens a call"]["seconds"]
        extra = max(0.0, 2 * one - two)  # the calls less the decoding step each made
        naive_s = results["(a) naive transformers loop"]["seconds"]
        print(
            f"\n(b) without the emulation's extra calls (an estimate of real decoding; "
            f"the calls, less their decoding step, took {extra / b:.0%} of its time): "
            f"{len(sentences) / (b - extra):.3f} sent/s, {naive_s / (b - extra):.1f}x naive"
        )
    else:
        results["sweep"] = gpu_sweep(args, lines, hf_dir, ct2_dirs, default_dir)
    ov = run_isolated(overhead, default_dir, args.beam, dev)
    share = 1 - ov["model_seconds"] / ov["seconds"]
    print(
        f"\nseed article end to end (ct2 int8): {ov['seconds']:.1f}s, "
        f"outside the translator: {share:.2%}"
    )
    results["overhead"] = ov
    out = args.workdir / "last-results.json"
    out.write_text(json.dumps(results, indent=2))
    if args.pairs and dev == "cpu":  # on CUDA one batch is decoded at a time
        print("\nparallel batches, paired runs (sentences/s, 2 at once vs 1 at a time):")
        ratios = []
        for k in range(args.pairs):
            two, one = (
                run_isolated(
                    pipeline, default_dir, sentences, args.beam, dev, "auto", "auto", 0, True,
                    "stop", workers,
                )
                for workers in (2, 1)
            )  # fmt: skip
            ratios.append(one["seconds"] / two["seconds"])
            print(
                f"  pair {k + 1}: {len(sentences) / two['seconds']:.3f} vs "
                f"{len(sentences) / one['seconds']:.3f} ({ratios[-1]:.2f}x)",
                flush=True,
            )
        ratios.sort()
        print(f"  median ratio: {ratios[len(ratios) // 2]:.2f}x")
        results["pairs"] = ratios
        out.write_text(json.dumps(results, indent=2))
    a = results["(a) naive transformers loop"]["seconds"]
    b = results["(b) pipeline default (ct2 int8, shortlist, batched)"]["seconds"]
    print(f"speedup_vs_naive: {a / b:.1f}")


if __name__ == "__main__":
    main()
