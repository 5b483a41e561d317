"""Shared batches for concurrent requests: one inference thread, one model.

Every request thread calls :meth:`BatchingTranslator.translate`, which queues
its sentences and waits. A single worker thread takes the queued sentences of
many requests (waiting a few milliseconds after the oldest arrived, or until a
sentence budget is full), translates those of one direction in one call of the
wrapped translator, and hands each request its own translations. A large
request (a batch job's chunk) is taken in slices, and interactive requests go
before background ones (``priority``), so a job does not hold up the page.

The worker does not wait when no other request is on its way: each HTTP
request takes a ticket (:meth:`Batcher.expect`) when it arrives and gives it up
with its first sentences or when it ends, so a lone request is translated at
once and concurrent ones are waited for (at most ``max_wait``).
"""

from __future__ import annotations

import contextvars
import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from translate.errors import TranslateError
from translate.mt.translator import Translator, check_languages
from translate.records import Translation

logger = logging.getLogger("translate")

INTERACTIVE, BACKGROUND = 0, 1


class Ticket:
    """A request on its way to the queue (open until it submits or ends)."""

    __slots__ = ("open",)

    def __init__(self) -> None:
        self.open = True


# the ticket of the request this code runs for (copied into its worker threads)
_TICKET: contextvars.ContextVar[Ticket | None] = contextvars.ContextVar("ticket", default=None)


class ShuttingDown(TranslateError):
    """The server is stopping: queued sentences are not translated."""


@dataclass
class _Item:
    """One ``translate`` call waiting for its translations."""

    texts: Sequence[str]
    src: str
    tgt: str
    priority: int
    seq: int
    arrived: float
    taken: int = 0  # texts handed to the worker so far
    done: int = 0  # texts translated so far
    results: list[Translation | None] = field(default_factory=list)
    error: BaseException | None = None
    finished: threading.Event = field(default_factory=threading.Event)


class Batcher:
    """The queue and its worker thread around one translator.

    Args:
        inner: The model's translator; only the worker thread calls it.
        max_wait: Seconds to wait after the oldest queued request for others
            to join its batch.
        max_sentences: Sentences per worker call.
        max_chars: Characters per worker call (a rough token budget).
        on_batch: Called after each worker call with its sentence count and
            seconds (for metrics).
    """

    def __init__(
        self,
        inner: Translator,
        max_wait: float = 0.010,
        max_sentences: int = 64,
        max_chars: int = 20000,
        on_batch: Callable[[int, float], None] | None = None,
    ):
        self.inner = inner
        self.max_wait = max_wait
        self.max_sentences = max(1, max_sentences)
        self.max_chars = max(1, max_chars)
        self.on_batch = on_batch
        self._pending: list[_Item] = []
        self._cond = threading.Condition()
        self._seq = 0
        self._expecting = 0  # requests with an open ticket
        self._closed = False
        self._thread = threading.Thread(target=self._run, name="translate-batcher", daemon=True)
        self._thread.start()

    @property
    def queued_sentences(self) -> int:
        with self._cond:
            return sum(len(it.texts) - it.taken for it in self._pending)

    def expect(self) -> Ticket:
        """Announce a request that may submit sentences soon (in this context)."""
        ticket = Ticket()
        with self._cond:
            self._expecting += 1
        _TICKET.set(ticket)
        return ticket

    def settle(self, ticket: Ticket) -> None:
        """The request has ended: stop waiting for it if it never submitted."""
        with self._cond:
            if ticket.open:
                ticket.open = False
                self._expecting -= 1
                self._cond.notify_all()

    def submit(
        self, texts: Sequence[str], src: str, tgt: str, priority: int = INTERACTIVE
    ) -> list[Translation]:
        """Translate ``texts`` in the shared batches; blocks until they are done."""
        if not texts:
            return []
        with self._cond:
            if self._closed:
                raise ShuttingDown("the server is shutting down")
            self._seq += 1
            item = _Item(
                list(texts),
                src,
                tgt,
                priority,
                self._seq,
                time.monotonic(),
                results=[None] * len(texts),
            )
            self._pending.append(item)
            ticket = _TICKET.get()
            if ticket is not None and ticket.open:
                ticket.open = False
                self._expecting -= 1
            self._cond.notify_all()
        item.finished.wait()
        if item.error is not None:
            raise item.error
        return [r for r in item.results if r is not None]

    def close(self, timeout: float = 5.0) -> None:
        """Stop taking work: queued requests fail with :class:`ShuttingDown`."""
        with self._cond:
            self._closed = True
            left, self._pending = self._pending, []
            self._cond.notify_all()
        for it in left:
            it.error = ShuttingDown("the server is shutting down")
            it.finished.set()
        self._thread.join(timeout)

    # --- the worker -----------------------------------------------------------

    def _take(self) -> list[tuple[_Item, int, int]] | None:
        """The next slice: (item, first, end) parts of one direction, or None to stop."""
        with self._cond:
            while True:
                if self._closed:
                    return None
                if self._pending:
                    oldest = min(it.arrived for it in self._pending)
                    full = self._budget_full()
                    wait = oldest + self.max_wait - time.monotonic()
                    if full or wait <= 0 or self._expecting <= 0:
                        break
                    self._cond.wait(wait)
                else:
                    self._cond.wait()
            order = sorted(self._pending, key=lambda it: (it.priority, it.seq))
            first = order[0]
            parts: list[tuple[_Item, int, int]] = []
            sentences = chars = 0
            for it in order:
                if (it.src, it.tgt) != (first.src, first.tgt):
                    continue
                start = end = it.taken
                while end < len(it.texts) and sentences < self.max_sentences:
                    n = len(it.texts[end])
                    if sentences and chars + n > self.max_chars:
                        break
                    sentences += 1
                    chars += n
                    end += 1
                if end > start:
                    parts.append((it, start, end))
                    it.taken = end
                    if end == len(it.texts):
                        self._pending.remove(it)
                if sentences >= self.max_sentences or chars >= self.max_chars:
                    break
            return parts

    def _budget_full(self) -> bool:
        sentences = chars = 0
        for it in self._pending:
            for t in it.texts[it.taken :]:
                sentences += 1
                chars += len(t)
                if sentences >= self.max_sentences or chars >= self.max_chars:
                    return True
        return False

    def _run(self) -> None:
        while True:
            parts = self._take()
            if parts is None:
                return
            self._translate(parts)

    def _translate(self, parts: list[tuple[_Item, int, int]]) -> None:
        src, tgt = parts[0][0].src, parts[0][0].tgt
        texts = [t for it, a, b in parts for t in it.texts[a:b]]
        t0 = time.monotonic()
        try:
            out = self.inner.translate(texts, src, tgt)
        except Exception as exc:  # noqa: BLE001 - handed to the request that caused it
            if len(parts) == 1:
                self._fail(parts[0][0], exc)
            else:  # find the request that fails; the others get their translations
                for part in parts:
                    self._translate([part])
            return
        if self.on_batch is not None:
            self.on_batch(len(texts), time.monotonic() - t0)
        pos = 0
        for it, a, b in parts:
            it.results[a:b] = out[pos : pos + b - a]
            pos += b - a
            self._finish(it, b - a)

    def _finish(self, it: _Item, n: int) -> None:
        with self._cond:
            it.done += n
            if it.done >= len(it.texts) and not it.finished.is_set():
                it.finished.set()

    def _fail(self, it: _Item, exc: BaseException) -> None:
        with self._cond:
            it.error = exc
            if it in self._pending:
                self._pending.remove(it)
        it.finished.set()


class BatchingTranslator(Translator):
    """A :class:`Translator` whose calls go through a shared :class:`Batcher`.

    The pipeline (:func:`translate.pipeline.translate_documents`) runs in each
    request's thread with one of these; only the batcher's worker runs the model.
    """

    def __init__(self, batcher: Batcher, priority: int = INTERACTIVE):
        self.batcher = batcher
        self.priority = priority
        self.backend = batcher.inner.backend

    def translate(self, texts: Sequence[str], src: str, tgt: str) -> list[Translation]:
        check_languages(src, tgt, self.extra_sources())
        return self.batcher.submit(texts, src, tgt, self.priority)

    def describe(self) -> dict[str, object]:
        return self.batcher.inner.describe()

    def extra_sources(self) -> tuple[str, ...]:
        return self.batcher.inner.extra_sources()
