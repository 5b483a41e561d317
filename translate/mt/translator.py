"""The translator interface, its options, and the logic every backend shares.

A backend only implements two primitives (count tokens, generate a batch);
this module does the rest: splitting inputs that exceed the model's limit at
clause boundaries, token-budget batching sorted by length with the order
restored by index, scaling output limits with the input, retrying outputs
that hit their limit, and flagging what still did.
"""

from __future__ import annotations

import logging
import math
import re
import threading
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace

from translate.errors import TranslateError, UsageError
from translate.mt.batching import plan_batches
from translate.mt.options import (  # noqa: F401 - re-exported: the interface's options
    COMPUTE_TYPES,
    DEFAULT_BATCH_TOKENS,
    DEFAULT_MAX_BATCH,
    DEVICES,
    GPU_BATCH_TOKENS,
    GPU_MAX_BATCH,
    LANGUAGES,
    TranslationOptions,
)
from translate.quality import repetition_loop
from translate.records import Flag, Translation

logger = logging.getLogger("translate")


@dataclass(frozen=True)
class Generated:
    """A backend's output for one model input."""

    text: str
    score: float | None
    length: int  # generated tokens, end-of-sentence excluded
    hit_limit: bool
    #: the output repeats itself (see translate.quality.repetition_loop): it hit
    #: its first limit looping, and decoding it again to the hard limit would
    #: only repeat more
    looped: bool = False


class TruncatedError(TranslateError):
    """Raised in strict mode when a translation hit its output limit."""


def check_languages(src: str, tgt: str, extra_sources: Sequence[str] = ()) -> None:
    """Kazakh and English each way; ``extra_sources`` (a model's, such as
    ``ru``) may also be translated from, never given as an option."""
    for code, allowed in ((src, (*LANGUAGES, *extra_sources)), (tgt, LANGUAGES)):
        if code not in allowed:
            from translate.errors import UnsupportedLanguageError

            raise UnsupportedLanguageError(code, LANGUAGES)
    if src == tgt:
        raise UsageError(f"source and target language are both {src!r}")


class Translator(ABC):
    """Translates sentences; one record out per sentence in, in order."""

    backend: str = "?"

    @abstractmethod
    def translate(self, texts: Sequence[str], src: str, tgt: str) -> list[Translation]:
        """Translate ``texts`` from ``src`` to ``tgt`` (``kk``/``en``)."""

    @abstractmethod
    def describe(self) -> dict[str, object]:
        """What went into the results: model id, revision, backend, limits."""

    def extra_sources(self) -> tuple[str, ...]:
        """Source languages besides ``kk`` and ``en`` it translates (``ru``)."""
        return ()


class WrappingTranslator(Translator):
    """A translator in front of another (a memory, a cache): describes itself
    as the one it wraps and passes progress reports through to it."""

    def __init__(self, inner: Translator):
        self.inner = inner
        self.backend = inner.backend

    def describe(self) -> dict[str, object]:
        return self.inner.describe()

    def extra_sources(self) -> tuple[str, ...]:
        return self.inner.extra_sources()

    @property
    def on_progress(self):
        """The wrapped translator's progress report (for what reaches it)."""
        return getattr(self.inner, "on_progress", None)

    @on_progress.setter
    def on_progress(self, report) -> None:
        if hasattr(self.inner, "on_progress"):
            self.inner.on_progress = report


class ModelTranslator(Translator):
    """Shared logic over two backend primitives."""

    #: Benchmarks only: decode exactly ``max_new_tokens`` tokens (no early end),
    #: so random-weight models produce realistic output lengths.
    force_length: bool = False
    #: Where the model runs (backends set it before calling ``__init__``).
    device: str = "cpu"
    #: Batches the backend can decode at once (``generate`` called from that
    #: many threads); backends that can set it in their constructor.
    concurrency: int = 1
    #: Called when a :meth:`translate` call starts (0 done) and after each of
    #: its batches, with the sentences done so far and in all (a long sentence
    #: split into pieces counts once, when its last piece is done), for
    #: callers that show progress.
    on_progress: Callable[[int, int], None] | None = None

    def __init__(self, options: TranslationOptions, max_input: int, max_output: int):
        self.options = options
        self.batch_tokens = options.batch_tokens or self.default_batch_tokens()
        self.max_input_tokens = min(options.max_input_tokens or max_input, max_input)
        self.max_output_tokens = min(options.max_output_tokens or max_output, max_output)

    @abstractmethod
    def count_tokens(self, texts: Sequence[str], src: str, tgt: str) -> list[int]:
        """Model input length of each text, special tokens included."""

    @abstractmethod
    def generate(
        self, texts: Sequence[str], src: str, tgt: str, max_new_tokens: int
    ) -> list[Generated]:
        """Translate one batch with one output limit."""

    def translate(self, texts: Sequence[str], src: str, tgt: str) -> list[Translation]:
        check_languages(src, tgt, self.extra_sources())
        if not texts:
            return []
        keep = [i for i, t in enumerate(texts) if t.strip()]
        if len(keep) < len(texts):
            # Nothing to translate (an input that normalisation emptied, such as
            # a line of zero-width spaces): an empty translation, no model call.
            done = dict(zip(keep, self.translate([texts[i] for i in keep], src, tgt)))
            return [done.get(i) or Translation("") for i in range(len(texts))]
        lengths = self.count_tokens(texts, src, tgt)
        # Expand sentences into model inputs (pieces), remembering their owner.
        pieces: list[str] = []
        owner: list[int] = []
        piece_lengths: list[int] = []
        for i, (text, n) in enumerate(zip(texts, lengths)):
            if n <= self.max_input_tokens:
                parts, part_lengths = [text], [n]
            else:
                parts = split_to_fit(
                    text, self.max_input_tokens, lambda xs: self.count_tokens(xs, src, tgt)
                )
                part_lengths = self.count_tokens(parts, src, tgt)
            pieces += parts
            piece_lengths += part_lengths
            owner += [i] * len(parts)

        results: list[Generated | None] = [None] * len(pieces)
        batches = plan_batches(piece_lengths, self.batch_tokens, self._batch_cap(len(pieces)))
        finished = [0]
        left = Counter(owner)  # pieces still to do, per sentence
        lock = threading.Lock()
        if self.on_progress is not None:
            self.on_progress(0, len(texts))  # a new call

        def run(batch: list[int]) -> list[tuple[int, Generated]]:
            longest = max(piece_lengths[i] for i in batch)
            limit = self._first_limit(longest)
            out = dict(
                zip(batch, self._generate_resilient([pieces[i] for i in batch], src, tgt, limit))
            )
            retry = []
            for i, g in out.items():
                if not g.hit_limit or limit >= self.max_output_tokens or self.force_length:
                    continue
                if repetition_loop(g.text):  # a loop: more tokens would only repeat it
                    out[i] = replace(g, looped=True)
                else:
                    retry.append(i)
            if retry:
                again = self._generate_resilient(
                    [pieces[i] for i in retry], src, tgt, self.max_output_tokens
                )
                out.update(zip(retry, again))
            if self.on_progress is not None:
                with lock:
                    for i in batch:
                        left[owner[i]] -= 1
                        finished[0] += not left[owner[i]]
                    self.on_progress(finished[0], len(texts))
            return list(out.items())

        if self.concurrency > 1 and len(batches) > 1:
            # The backend decodes several batches at once (CTranslate2 workers
            # release the GIL); results land by index, so order is kept.
            pool = ThreadPoolExecutor(self.concurrency, thread_name_prefix="translate")
            try:
                done = list(pool.map(run, batches))
            except BaseException:
                # An error or Ctrl-C: drop the batches not started yet instead
                # of decoding the rest of the job before giving up.
                pool.shutdown(wait=True, cancel_futures=True)
                raise
            pool.shutdown()
        else:
            done = [run(batch) for batch in batches]
        for pairs in done:
            for i, g in pairs:
                results[i] = g

        merged: list[list[Generated]] = [[] for _ in texts]
        for i, g in zip(owner, results):
            assert g is not None  # every piece was in exactly one batch
            merged[i].append(g)
        return [self._join(texts[i], parts) for i, parts in enumerate(merged)]

    def default_batch_tokens(self) -> int:
        """Token budget of a batch when the user sets none (backends override)."""
        return GPU_BATCH_TOKENS if self.device == "cuda" else DEFAULT_BATCH_TOKENS

    def _batch_cap(self, pieces: int) -> int:
        """Sentences per batch: small jobs are split so every worker gets one."""
        cap = self.options.max_batch_size or (
            GPU_MAX_BATCH if self.device == "cuda" else DEFAULT_MAX_BATCH
        )
        if self.concurrency > 1:
            cap = min(cap, max(1, math.ceil(pieces / self.concurrency)))
        return cap

    def is_out_of_memory(self, exc: BaseException) -> bool:
        """Whether ``exc`` means the device ran out of memory (backends override)."""
        return False

    def _generate_resilient(
        self, texts: Sequence[str], src: str, tgt: str, max_new_tokens: int
    ) -> list[Generated]:
        """Generate; on out-of-memory, halve the batch and retry (nothing is dropped)."""
        try:
            return self.generate(texts, src, tgt, max_new_tokens)
        except Exception as exc:
            if not self.is_out_of_memory(exc) or len(texts) == 1:
                raise
        # Retried only once out of the except block: while it runs, the error's
        # traceback keeps the failed attempt's frames, and the device memory
        # their tensors hold, alive (on a GPU the halves then fail too).
        logger.warning("out of memory with a batch of %d: retrying in halves", len(texts))
        self.release_memory()
        half = len(texts) // 2
        return self._generate_resilient(
            texts[:half], src, tgt, max_new_tokens
        ) + self._generate_resilient(texts[half:], src, tgt, max_new_tokens)

    def release_memory(self) -> None:
        """Free cached device memory after an out-of-memory error (backends override)."""

    def _first_limit(self, input_tokens: int) -> int:
        o = self.options
        return max(
            1,
            min(self.max_output_tokens, math.ceil(o.output_ratio * input_tokens) + o.output_margin),
        )

    def _join(self, source: str, parts: list[Generated]) -> Translation:
        flags: list[Flag] = []
        if len(parts) > 1:
            flags.append(
                Flag(
                    "split",
                    f"longer than the model's input limit ({self.max_input_tokens} tokens): "
                    f"translated in {len(parts)} pieces",
                )
            )
        blank = sum(1 for p in parts if not p.text.strip())
        if len(parts) > 1 and blank:
            flags.append(Flag("empty", f"{blank} of {len(parts)} pieces translated to nothing"))
        cut = [p for p in parts if p.hit_limit]
        if cut:
            msg = (
                f"output reached the limit of {self.max_output_tokens} tokens and may be incomplete"
                if not all(p.looped for p in cut)
                else "output stopped at its first length limit while repeating itself "
                "(not decoded further)"
            )
            if self.options.strict:
                raise TruncatedError(f"{msg}: {source[:80]!r}")
            flags.append(Flag("truncated", msg))
        scores = [(p.score, p.length) for p in parts if p.score is not None]
        score = None
        if scores:
            total = sum(max(1, n) for _, n in scores)
            score = sum(s * max(1, n) for s, n in scores) / total
        text = " ".join(p.text.strip() for p in parts if p.text.strip())
        return Translation(text=text, score=score, flags=tuple(flags), pieces=len(parts))


_CLAUSE_END = re.compile(r"(?<=[,;:])\s+|\s+(?=[–—-]\s)|(?<=[.!?…»\"”)])\s+")


def split_to_fit(text: str, max_tokens: int, count: Callable[[list[str]], list[int]]) -> list[str]:
    """Split ``text`` into pieces of at most ``max_tokens`` each, losing nothing.

    Pieces break at clause boundaries (after ``,;:``, before a dash, after a
    sentence end) where possible, then between words, then inside a word. The
    pieces joined with single spaces give back every non-space character.
    """
    units = [u for u in _CLAUSE_END.split(text) if u and u.strip()]
    pieces: list[str] = []
    for unit in units:
        if count([unit])[0] <= max_tokens:
            pieces.append(unit.strip())
            continue
        for word in unit.split():
            if count([word])[0] <= max_tokens:
                pieces.append(word)
            else:
                pieces += _split_word(word, max_tokens, count)
    return _pack(pieces, max_tokens, count)


def _split_word(word: str, max_tokens: int, count: Callable[[list[str]], list[int]]) -> list[str]:
    out: list[str] = []
    rest = word
    while rest:
        lo, hi = 1, len(rest)
        while lo < hi:  # longest prefix that fits
            mid = (lo + hi + 1) // 2
            if count([rest[:mid]])[0] <= max_tokens:
                lo = mid
            else:
                hi = mid - 1
        out.append(rest[:lo])
        rest = rest[lo:]
    return out


def _pack(units: list[str], max_tokens: int, count: Callable[[list[str]], list[int]]) -> list[str]:
    """Greedily join consecutive units while the result still fits."""
    out: list[str] = []
    for u in units:
        if out:
            joined = out[-1] + " " + u
            if count([joined])[0] <= max_tokens:
                out[-1] = joined
                continue
        out.append(u)
    return out
