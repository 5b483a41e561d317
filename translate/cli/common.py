"""Helpers shared by the command handlers: model options, quality thresholds,
progress of a long run, quiet third-party libraries."""

from __future__ import annotations

import argparse
import logging
import sys
import time

from translate.errors import UsageError

logger = logging.getLogger("translate")


def quiet_libraries() -> None:
    """Keep transformers' own warnings and progress bars (loading shards) off the
    user's terminal, but keep the hub's download progress: a first download of
    a model is gigabytes, and a silent one looks hung."""
    try:
        import transformers

        transformers.logging.set_verbosity_error()
        logging.getLogger("huggingface_hub").setLevel(logging.ERROR)
        transformers.logging.disable_progress_bar()
    except ImportError:
        pass
    try:
        from huggingface_hub.utils import enable_progress_bars

        enable_progress_bars()  # transformers' switch turns these off too
    except ImportError:
        pass


class SentenceProgress:
    """Progress of a long run: after the first few seconds, a line on a
    terminal (redrawn) or a log line every 10 seconds elsewhere. Counts the
    translator's sentences (a long one split into pieces counts once)."""

    def __init__(self, sentences: int, delay: float = 3.0, every: float = 10.0):
        self.sentences = sentences
        self.stream = sys.stderr
        self.tty = self.stream.isatty()
        self.delay, self.every = delay, every
        self.t0 = time.monotonic()
        self.last = 0.0
        self.shown = False
        self.base = 0  # sentences of the translator's earlier calls
        self.call = (0, 0)  # sentences done and in all in its current call
        from translate.jobs.progress import Heartbeat

        # a line every `every` seconds also while one long batch decodes
        self.heartbeat = Heartbeat(1.0 if self.tty else every, self.tick)

    def advance(self, done: int, total: int) -> None:
        if done == 0:  # the translator's next call
            self.base += self.call[1]
        self.call = (done, total)
        self.tick()

    def tick(self) -> None:
        done, total = self.call
        now = time.monotonic()
        if not logger.isEnabledFor(logging.INFO) or now - self.t0 < self.delay:
            return
        if now - self.last < (0.5 if self.tty else self.every):
            return
        self.last = now
        finished = self.base + done
        everything = max(self.sentences, self.base + total)
        rate = finished / (now - self.t0)
        eta = (
            f"{int(e // 60)}m{int(e % 60):02d}s"
            if (e := _eta(everything - finished, rate))
            else "?"
        )
        msg = (
            f"translating: {finished}/{everything} sentences, {rate:.1f} sent/s, "
            f"{int(now - self.t0)}s elapsed, ETA {eta}"
        )
        if self.tty:
            self.shown = _write(self.stream, f"\rtranslate: {msg}\x1b[K")
        else:
            logger.info("%s", msg)

    def close(self) -> None:
        self.heartbeat.stop()
        self.clear()

    def clear(self) -> None:
        if self.shown:
            _write(self.stream, "\r\x1b[K")
            self.shown = False


def _eta(left: int, rate: float) -> float | None:
    return left / rate if rate else None


def _write(stream, text: str) -> bool:
    """Write progress; a closed stderr (a pipe whose reader went away) must not
    stop the work. Returns whether it was written."""
    try:
        stream.write(text)
        stream.flush()
        return True
    except (OSError, ValueError):
        return False


def thresholds(args: argparse.Namespace):
    from translate.quality import QualityThresholds

    try:
        lo, hi = (float(x) for x in args.length_ratio.split(","))
    except ValueError:
        raise UsageError(f"--length-ratio needs MIN,MAX (got {args.length_ratio!r})") from None
    return QualityThresholds(min_score=args.min_score, min_length_ratio=lo, max_length_ratio=hi)


def add_model_options(p: argparse.ArgumentParser) -> None:
    """How a model runs: shared by ``run``, ``batch`` and ``align --model``."""
    from translate.mt.backends import backend_names
    from translate.mt.translator import DEVICES

    p.add_argument(
        "--device", default="auto", choices=DEVICES, help="default auto: CUDA when available"
    )
    p.add_argument("--backend", default="auto", choices=backend_names())
    p.add_argument("--beam", type=int, default=4, help="beam size, 1 for greedy (default 4)")
    p.add_argument(
        "--batch-tokens",
        type=int,
        default=0,
        help="token budget per batch, longest input x sentences (default 0: 4096 and up "
        "to 32 sentences; on a GPU 8192 and up to 64; 1024 divided by the beam for "
        "CTranslate2 on CPU)",
    )
    p.add_argument(
        "--max-input-tokens",
        type=int,
        default=None,
        help="split sentences longer than this (default: the model's limit)",
    )
    p.add_argument(
        "--max-output-tokens",
        type=int,
        default=None,
        help="hard output limit (default: the model's limit)",
    )
    p.add_argument(
        "--strict", action="store_true", help="fail instead of flagging a truncated translation"
    )
    p.add_argument(
        "--allow-pickle",
        action="store_true",
        help="allow pickle weights (pytorch_model.bin); only for models you trust",
    )
    p.add_argument(
        "--trust-remote-code",
        action="store_true",
        help="allow code shipped with the model to run; only for models you trust",
    )
    p.add_argument(
        "--compute-type",
        default="auto",
        choices=("auto", "int8", "int8_float16", "int8_float32", "float16", "bfloat16", "float32"),
        help="CTranslate2 compute type (auto: int8 on CPU, int8_float16 on GPU); "
        "on CUDA with transformers: float16 or bfloat16",
    )
    p.add_argument(
        "--threads",
        type=int,
        default=0,
        help="CPU threads (default 0: all cores, or OMP_NUM_THREADS when set)",
    )
    p.add_argument(
        "--parallel-batches",
        type=int,
        default=0,
        metavar="N",
        help="CTranslate2 on CPU: batches decoded at once, sharing the threads "
        "(default 0: 2 for an even number of threads, else 1)",
    )
    p.add_argument(
        "--no-shortlist",
        dest="shortlist",
        action="store_false",
        help="CTranslate2: score every vocabulary token, not only the target "
        "language's shortlist that 'models convert' wrote",
    )
    p.add_argument(
        "--no-repeat-ngram-size",
        type=int,
        default=0,
        metavar="N",
        help="forbid repeating any N-token sequence in a translation (default 0: off)",
    )
    p.add_argument(
        "--repetition-penalty",
        type=float,
        default=1.0,
        metavar="X",
        help="discourage tokens already in the translation, above 1 (default 1.0: off)",
    )


def translation_options(args: argparse.Namespace):
    from translate.mt.translator import TranslationOptions

    return TranslationOptions(
        beam=args.beam,
        batch_tokens=args.batch_tokens,
        max_input_tokens=args.max_input_tokens,
        max_output_tokens=args.max_output_tokens,
        strict=args.strict,
        device=args.device,
        allow_pickle=args.allow_pickle,
        trust_remote_code=args.trust_remote_code,
        compute_type=args.compute_type,
        threads=args.threads,
        parallel_batches=args.parallel_batches,
        shortlist=args.shortlist,
        no_repeat_ngram_size=args.no_repeat_ngram_size,
        repetition_penalty=args.repetition_penalty,
    )


def check_output_args(fmt: str, output: str | None, overwrite: bool, langs=("kk", "en")) -> None:
    """Usage and output-path checks, done before any model loads or input is read.

    Raises:
        UsageError: ``--to moses`` without ``-o``.
        OutputError: the output cannot be written (see :func:`check_output`).
    """
    from translate.formats.base import check_output

    if "auto" in langs:  # --src auto: either direction
        langs = ("kk", "en")

    overwrite = overwrite or output is None
    if fmt == "moses":
        if output in (None, "-"):
            raise UsageError("--to moses writes two files: give their base name with -o OUT")
        for suffix in (*langs, "info.json"):
            check_output(f"{output}.{suffix}", overwrite)
        return
    check_output(output, overwrite)


def languages(src: str, tgt: str | None) -> tuple[str, str]:
    """``--src``/``--tgt`` checked: the target defaults to the other language;
    ``--src auto`` gives ``("auto", "auto")``, decided per document once read.

    Raises:
        UsageError: ``--tgt`` with ``--src auto``, or an unsupported pair.
    """
    from translate.mt.translator import check_languages

    if src == "auto":
        if tgt:
            raise UsageError(
                "--src auto decides each document's direction (Kazakh into English, English "
                "into Kazakh): leave out --tgt"
            )
        return "auto", "auto"
    tgt = tgt or ("en" if src == "kk" else "kk")
    check_languages(src, tgt)
    return src, tgt


def one_direction(documents) -> tuple[str, str]:
    """The direction of documents that go into one output (``--src auto``).

    Raises:
        UsageError: the documents are in different languages.
    """
    from translate.intake import document_direction

    found: dict[tuple[str, str], list[str]] = {}
    for doc in documents:
        found.setdefault(document_direction(doc), []).append(doc.id)
    if len(found) > 1:
        listed = "; ".join(f"{src}: {', '.join(ids)}" for (src, _), ids in sorted(found.items()))
        raise UsageError(
            f"--src auto: the inputs are in different languages ({listed}), and one output "
            "holds one direction: translate them separately, or with 'translate batch'"
        )
    return next(iter(found), ("kk", "en"))
