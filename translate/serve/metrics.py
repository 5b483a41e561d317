"""Prometheus metrics in the text exposition format, without a dependency.

Counters of requests (by endpoint, method and status) and their latency, of
sentences translated and of the inference worker's batches (a histogram of
their sizes), plus gauges read when scraped (queued sentences, cache hits).
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Callable

BATCH_BUCKETS = (1, 2, 4, 8, 16, 32, 64, 128, 256)
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


def _labels(**kv: str) -> str:
    def esc(v: str) -> str:
        return v.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')

    return "{" + ",".join(f'{k}="{esc(str(v))}"' for k, v in kv.items()) + "}"


def _num(x: float) -> str:
    return repr(float(x)) if isinstance(x, float) else str(x)


class Histogram:
    """Cumulative buckets, sum and count."""

    def __init__(self, buckets: tuple[float, ...]):
        self.buckets = buckets
        self.counts = [0] * len(buckets)
        self.sum = 0.0
        self.count = 0

    def observe(self, value: float) -> None:
        for i, b in enumerate(self.buckets):
            if value <= b:
                self.counts[i] += 1
        self.sum += value
        self.count += 1

    def lines(self, name: str, labels: dict[str, str] | None = None) -> list[str]:
        labels = labels or {}
        out = [
            f"{name}_bucket{_labels(**labels, le=_num(b))} {c}"
            for b, c in zip(self.buckets, self.counts)
        ]
        out.append(f"{name}_bucket{_labels(**labels, le='+Inf')} {self.count}")
        suffix = _labels(**labels) if labels else ""
        out.append(f"{name}_sum{suffix} {_num(self.sum)}")
        out.append(f"{name}_count{suffix} {self.count}")
        return out


class Metrics:
    """The server's counters; thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.requests: dict[tuple[str, str, str], int] = defaultdict(int)
        self.latency: dict[str, Histogram] = {}
        self.sentences = 0
        self.batches = Histogram(BATCH_BUCKETS)
        self.batch_seconds = 0.0
        #: name -> (help, type, callable giving the value), read when scraped
        self.gauges: dict[str, tuple[str, str, Callable[[], float]]] = {}

    def request(self, endpoint: str, method: str, status: int, seconds: float) -> None:
        with self._lock:
            self.requests[(endpoint, method, str(status))] += 1
            h = self.latency.get(endpoint)
            if h is None:
                h = self.latency[endpoint] = Histogram(LATENCY_BUCKETS)
            h.observe(seconds)

    def batch(self, sentences: int, seconds: float) -> None:
        with self._lock:
            self.sentences += sentences
            self.batches.observe(sentences)
            self.batch_seconds += seconds

    def render(self) -> str:
        with self._lock:
            out = [
                "# HELP translate_http_requests_total HTTP requests by endpoint, method and status.",
                "# TYPE translate_http_requests_total counter",
            ]
            for (endpoint, method, status), n in sorted(self.requests.items()):
                labels = _labels(endpoint=endpoint, method=method, status=status)
                out.append(f"translate_http_requests_total{labels} {n}")
            out += [
                "# HELP translate_http_request_duration_seconds Request latency by endpoint.",
                "# TYPE translate_http_request_duration_seconds histogram",
            ]
            for endpoint, h in sorted(self.latency.items()):
                out += h.lines("translate_http_request_duration_seconds", {"endpoint": endpoint})
            out += [
                "# HELP translate_sentences_translated_total Sentences translated (by the model or "
                "the translation memory).",
                "# TYPE translate_sentences_translated_total counter",
                f"translate_sentences_translated_total {self.sentences}",
                "# HELP translate_batch_sentences Sentences per model call of the "
                "inference worker (requests merged).",
                "# TYPE translate_batch_sentences histogram",
                *self.batches.lines("translate_batch_sentences"),
                "# HELP translate_batch_seconds_total Seconds the inference worker spent "
                "translating.",
                "# TYPE translate_batch_seconds_total counter",
                f"translate_batch_seconds_total {_num(self.batch_seconds)}",
            ]
        for name, (text, kind, read) in sorted(self.gauges.items()):
            out += [f"# HELP {name} {text}", f"# TYPE {name} {kind}", f"{name} {_num(read())}"]
        return "\n".join(out) + "\n"
