"""Throughput of ``translate serve`` under concurrent clients.

Usage:
    python benchmarks/serve.py                      # the tiny test model, built on the fly
    python benchmarks/serve.py --layers 6           # a deeper tiny model (costlier model calls)
    python benchmarks/serve.py --model PATH --server-args "--beam 4"

Starts the real server (a subprocess on a free port) and sends one-sentence
``POST /translate`` requests (LibreTranslate-style, distinct Kazakh
sentences) from 1, 4, 16 and 64 client threads, each on its own keep-alive
connection. One client is the sequential baseline: each request waits for the
previous answer. The server merges concurrent requests' sentences into shared
model calls; a control row runs 16 clients against a server started with
``--batch-sentences 1`` (no merging), so the gain is seen to come from the
batches and not from the clients alone. Each row is measured ``--repeat``
times, the rows taking turns (the machine's load drifts); it prints the median
sentences/s, its ratio to the sequential run and the latency p50/p95 of all
repeats; the last line reads ``speedup_16_vs_sequential: X.X``.

The model is tests/tiny_models.py's random NLLB (d_model 64, 2+2 layers by
default), outputs capped at 16 tokens (``--max-output-tokens 16``), beam 4,
one CPU thread: the model call is cheap, so the figures show the service's own
overhead and what merging saves per call.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shlex
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

CORPUS = ROOT / "tests" / "data" / "corpus.txt"


def build_model(workdir: Path, layers: int) -> Path:
    """tests/tiny_models.py's NLLB, with ``layers`` encoder and decoder layers."""
    import tiny_models

    out = workdir / f"tiny-nllb-{layers}"
    if (out / "config.json").is_file():
        return out
    if layers != tiny_models.SMALL["encoder_layers"]:
        tiny_models.SMALL = {
            **tiny_models.SMALL,
            "encoder_layers": layers,
            "decoder_layers": layers,
        }
    return tiny_models.build_nllb(out)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, model: Path, args: list[str], log: Path):
        self.port = free_port()
        env = {**os.environ, "OMP_NUM_THREADS": env_threads(args)}
        cmd = [sys.executable, "-m", "translate", "serve", "--model", str(model)]
        self.log = open(log, "wb")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            [*cmd, "--port", str(self.port), *args],
            stdout=self.log,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=log.parent,
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"server exited: see {log}")
            try:
                c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                c.request("GET", "/health")
                if c.getresponse().status == 200:
                    return
            except OSError:
                time.sleep(0.2)
        raise SystemExit(f"server did not start: see {log}")

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(30)
        self.log.close()


def env_threads(args: list[str]) -> str:
    if "--threads" in args:
        return args[args.index("--threads") + 1]
    return "1"


def sentences(n: int) -> list[str]:
    lines = [x.strip().rstrip(".") for x in CORPUS.read_text("utf-8").splitlines() if x.strip()]
    kazakh = [x for x in lines if any(c in "әғқңөұүі" for c in x)]
    return [f"{kazakh[i % len(kazakh)]} {1000 + i} жылы." for i in range(n)]


def run_clients(port: int, texts: list[str], clients: int) -> tuple[float, list[float]]:
    """Send every text once from ``clients`` threads; wall seconds and latencies."""
    todo = list(reversed(texts))
    lock = threading.Lock()
    latencies: list[float] = []
    errors: list[str] = []

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        while True:
            with lock:
                if not todo:
                    break
                text = todo.pop()
            body = json.dumps({"q": text, "source": "kk", "target": "en"})
            t0 = time.perf_counter()
            conn.request("POST", "/translate", body, {"Content-Type": "application/json"})
            r = conn.getresponse()
            data = r.read()
            dt = time.perf_counter() - t0
            if r.status != 200:
                errors.append(f"{r.status} {data[:200]!r}")
            with lock:
                latencies.append(dt)
        conn.close()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    if errors:
        raise SystemExit(f"{len(errors)} failed request(s), first: {errors[0]}")
    return wall, latencies


def pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * len(xs)))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--model", help="model directory (default: the tiny test model)")
    ap.add_argument("--layers", type=int, default=2, help="layers of the tiny model (default 2)")
    ap.add_argument("--workdir", default="/tmp/translate-bench-serve")
    ap.add_argument("--requests", type=int, default=256, help="requests per row (default 256)")
    ap.add_argument("--clients", default="1,4,16,64")
    ap.add_argument(
        "--server-args",
        default="--max-output-tokens 16 --threads 1",
        help="extra options of translate serve (default: %(default)s)",
    )
    ap.add_argument("--repeat", type=int, default=3, help="runs of each row (default 3)")
    ap.add_argument("--no-control", action="store_true", help="skip the unmerged control row")
    args = ap.parse_args()
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    model = Path(args.model) if args.model else build_model(workdir, args.layers)
    extra = shlex.split(args.server_args)
    texts = sentences(args.requests)
    clients = [int(c) for c in args.clients.split(",")]
    rows: dict[str, tuple[list[float], list[float]]] = {}  # label -> (rates, latencies)

    def measure(label: str, server_args: list[str], counts: list[int]) -> None:
        server = Server(model, server_args, workdir / "server.log")
        try:
            run_clients(server.port, sentences(32)[::-1], 4)  # warm-up
            for _ in range(args.repeat):
                for c in counts:
                    wall, lat = run_clients(server.port, texts, c)
                    name = f"{label}{c} client{'s' if c > 1 else ''}"
                    rates, lats = rows.setdefault(name, ([], []))
                    rates.append(len(texts) / wall)
                    lats += lat
                    print(f"  {name}: {rates[-1]:.1f} sentences/s", file=sys.stderr)
        finally:
            server.stop()

    print(f"model {model}, server options: {' '.join(extra)}", file=sys.stderr)
    measure("", extra, clients)
    if not args.no_control:
        measure("no merging (--batch-sentences 1), ", [*extra, "--batch-sentences", "1"], [16])

    medians = {name: statistics.median(rates) for name, (rates, _) in rows.items()}
    base = next(iter(medians.values()))
    print(
        f"\n{len(texts)} one-sentence requests per row, {args.repeat} runs; model {model.name}; "
        f"{' '.join(extra)}\n"
    )
    print("| clients | sentences/s (median) | x sequential | latency p50 (ms) | p95 (ms) |")
    print("|---|---|---|---|---|")
    for name, (_, lat) in rows.items():
        rate = medians[name]
        print(
            f"| {name} | {rate:.1f} | {rate / base:.2f} | {1000 * statistics.median(lat):.0f} "
            f"| {1000 * pct(lat, 0.95):.0f} |"
        )
    if "16 clients" in medians:
        print(f"\nspeedup_16_vs_sequential: {medians['16 clients'] / base:.1f}")


if __name__ == "__main__":
    main()
