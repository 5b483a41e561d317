"""Counts of a batch job, and its progress line (a terminal) or log lines (elsewhere)."""

from __future__ import annotations

import logging
import sys
import threading
import time
from dataclasses import dataclass, field

from translate.pipeline import RunStats

logger = logging.getLogger("translate")


@dataclass
class BatchStats:
    articles: int = 0
    done: int = 0
    skipped: int = 0
    failed: int = 0
    run: RunStats = field(default_factory=RunStats)


class Heartbeat:
    """Calls ``tick`` every ``interval`` seconds from a daemon thread until
    :meth:`stop`: progress keeps arriving while a long batch decodes, when the
    translator has nothing to report."""

    def __init__(self, interval: float, tick) -> None:
        self.stopped = threading.Event()
        self.thread = None
        if interval >= 1.0:
            self.thread = threading.Thread(
                target=self._run, args=(interval, tick), name="translate-progress", daemon=True
            )
            self.thread.start()

    def _run(self, interval: float, tick) -> None:
        while not self.stopped.wait(interval):
            try:
                tick()
            except Exception:  # progress must never stop the work
                return

    def stop(self) -> None:
        self.stopped.set()


class Progress:
    """A progress line on a terminal; periodic log lines otherwise (every
    ``every`` seconds, also while a long batch decodes)."""

    def __init__(self, total: int, stats: BatchStats, every: float = 10.0, *, total_bytes: int = 0):
        self.total, self.stats, self.every = total, stats, every
        # Before an article is finished, the ETA extrapolates the sentences
        # seen so far by the input bytes read so far (``read``) over
        # ``total_bytes``, the size of all articles to translate.
        self.total_bytes = total_bytes
        self.bytes_read = 0
        self.tty = sys.stderr.isatty()
        self.t0 = time.monotonic()
        self.last = 0.0
        self.base = 0  # sentences of the translator's earlier calls
        self.call = (0, 0)  # sentences done and in all in its current call
        # the translator reports from its worker threads, the job from its own
        self.lock = threading.Lock()
        self.heartbeat = Heartbeat(1.0 if self.tty else every, self.update)

    def read(self, size: int) -> None:
        """An article of ``size`` bytes was read (its sentences go to the translator next)."""
        with self.lock:
            self.bytes_read += size

    def advance(self, done: int, total: int) -> None:
        """The translator's report after each batch: sentences move on a long
        article too, not only when an article is finished."""
        if done == 0:  # the translator's next call
            self.base += self.call[1]
        self.call = (done, total)
        self.update()

    def update(self, force: bool = False) -> None:
        with self.lock:
            self._update(force)

    def _update(self, force: bool) -> None:
        now = time.monotonic()
        if not force and now - self.last < (0.2 if self.tty else self.every):
            return
        self.last = now
        s = self.stats
        finished = s.done + s.failed + s.skipped
        elapsed = max(1e-9, now - self.t0)
        sentences = max(s.run.sentences, self.base + self.call[0])
        rate = sentences / elapsed
        worked = s.done + s.failed
        left = self.total - finished
        eta = (elapsed / worked * left) if worked else float("nan")
        submitted = self.base + self.call[1]  # sentences of the articles read so far
        if rate and submitted and 0 < self.bytes_read <= self.total_bytes:
            # the whole job's sentences, estimated from the share of its bytes read
            expected = submitted * self.total_bytes / self.bytes_read
            eta = max(0.0, expected - sentences) / rate
        elif not worked and rate and self.call[1] and left == 1:
            # one long article: the sentences it has left
            eta = (self.base + self.call[1] - sentences) / rate
        eta_s = "?" if eta != eta else f"{int(eta // 60)}m{int(eta % 60):02d}s"
        msg = (
            f"{finished}/{self.total} articles, {sentences} sentences, "
            f"{rate:.1f} sent/s, {s.failed} failed, ETA {eta_s}"
        )
        if self.tty:
            width = 20
            filled = int(width * finished / max(1, self.total))
            _write(f"\r[{'#' * filled}{'.' * (width - filled)}] {msg}\x1b[K")
        else:
            logger.info("%s", msg)

    def close(self) -> None:
        self.heartbeat.stop()
        self.update(force=True)
        if self.tty:
            _write("\n")


def _write(text: str) -> None:
    """Write to stderr; a closed stderr must not stop the job."""
    try:
        sys.stderr.write(text)
        sys.stderr.flush()
    except (OSError, ValueError):
        pass
