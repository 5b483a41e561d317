"""Batch jobs of the service: articles posted as JSON, translated in the
background by :func:`translate.jobs.batch.run_batch`, one job after another.

Each job is a folder of the jobs directory: ``job.json`` (its settings and
state), ``input.jsonl`` (the articles) and ``out/`` (the outputs and
run_batch's manifest). A job that was queued or running when the server
stopped is resumed when it starts again: run_batch skips the articles its
manifest records as finished.
"""

from __future__ import annotations

import json
import logging
import os
import queue
import re
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from translate.errors import TranslateError, UsageError
from translate.jobs.manifest import EXTENSIONS, MANIFEST, read_manifest
from translate.mt.translator import Translator, check_languages
from translate.quality import QualityThresholds
from translate.serve.batcher import ShuttingDown

logger = logging.getLogger("translate")

JOB_ID = re.compile(r"^[0-9a-f]{16}$")


@dataclass(frozen=True)
class JobSettings:
    """What every job of this server shares (the ``serve`` options)."""

    thresholds: QualityThresholds | None = None
    script: str = "auto"
    tgt_script: str = "cyrl"
    options: dict | None = None  # written to the manifest: a resumed job must match
    annotate: Callable | None = None  # the memory's suggestions and glossary flags


class JobManager:
    """Creates jobs, runs them one at a time in a background thread, reports them."""

    def __init__(self, root: str | Path, translator: Translator, settings: JobSettings):
        self.root = Path(root)  # created with the first job
        self.translator = translator
        self.settings = settings
        self._queue: queue.Queue[str | None] = queue.Queue()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, name="translate-jobs", daemon=True)
        self._thread.start()
        for info in sorted(self._all(), key=lambda i: i.get("created", 0)):
            if info.get("status") in ("queued", "running"):
                logger.info("job %s: resumed", info["id"])
                self._queue.put(info["id"])

    def _all(self) -> list[dict]:
        found: list[dict] = []
        if not self.root.is_dir():
            return found
        for d in self.root.iterdir():
            if JOB_ID.match(d.name) and (d / "job.json").is_file():
                try:
                    found.append(json.loads((d / "job.json").read_text("utf-8")))
                except (OSError, ValueError):
                    logger.warning("job %s: job.json is unreadable; skipped", d.name)
        return found

    def create(self, articles: list[dict], src: str, tgt: str, formats: list[str]) -> dict:
        """Write a new job's files and queue it; its description.

        Raises:
            UsageError: no articles, an article without a string id and text,
                an unknown format or language.
        """
        check_languages(src, tgt)
        if not isinstance(articles, list) or not articles:
            raise UsageError('"articles" must be a non-empty list of {"id", "text"} objects')
        lines = []
        for n, art in enumerate(articles, 1):
            if (
                not isinstance(art, dict)
                or not isinstance(art.get("text"), str)
                or not isinstance(art.get("id", str(n)), str | int)
            ):
                raise UsageError(f'article {n}: not an {{"id": str, "text": str}} object')
            lines.append(json.dumps({"id": str(art.get("id", n)), "text": art["text"]}))
        if not formats or any(f not in EXTENSIONS for f in formats):
            raise UsageError(f"formats must be a list of {', '.join(EXTENSIONS)}")
        job_id = secrets.token_hex(8)
        d = self.root / job_id
        (d / "out").mkdir(parents=True)
        (d / "input.jsonl").write_text("\n".join(lines) + "\n", "utf-8")
        info = {
            "id": job_id,
            "status": "queued",
            "source": src,
            "target": tgt,
            "formats": list(formats),
            "articles": len(lines),
            "created": time.time(),
        }
        self._save(info)
        self._queue.put(job_id)
        return info

    def _save(self, info: dict) -> None:
        path = self.root / info["id"] / "job.json"
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(info, ensure_ascii=False), "utf-8")
        os.replace(tmp, path)

    def _load(self, job_id: str) -> dict | None:
        if not JOB_ID.match(job_id):
            return None
        path = self.root / job_id / "job.json"
        try:
            return json.loads(path.read_text("utf-8"))
        except (OSError, ValueError):
            return None

    def status(self, job_id: str) -> dict | None:
        """A job's state, counts from its manifest and result files; None if unknown."""
        with self._lock:
            info = self._load(job_id)
        if info is None:
            return None
        out = self.root / job_id / "out"
        _, entries = read_manifest(out / MANIFEST)
        done = sum(1 for e in entries.values() if e.get("status") == "ok")
        failed = [
            {"id": e["id"], "error": e.get("error", "")}
            for e in entries.values()
            if e.get("status") == "failed"
        ]
        results = sorted(f for e in entries.values() for f in e.get("outputs", []))
        return {
            **{k: info.get(k) for k in ("id", "status", "source", "target", "formats")},
            "articles": info.get("articles", 0),
            "done": done,
            "failed": len(failed),
            "failures": failed,
            "results": results,
            **({"error": info["error"]} if info.get("error") else {}),
        }

    def result_path(self, job_id: str, name: str) -> Path | None:
        """The path of a job's result file ``name``, if it is one (never outside ``out/``)."""
        st = self.status(job_id)
        if st is None or name not in st["results"]:
            return None
        path = (self.root / job_id / "out" / name).resolve()
        base = (self.root / job_id / "out").resolve()
        return path if path.is_relative_to(base) and path.is_file() else None

    def _run(self) -> None:
        while True:
            job_id = self._queue.get()
            if job_id is None:
                return
            self._run_one(job_id)

    def _run_one(self, job_id: str) -> None:
        from translate.jobs.batch import run_batch
        from translate.pipeline import make_signature

        with self._lock:
            info = self._load(job_id)
            if info is None or info.get("status") not in ("queued", "running"):
                return
            info["status"] = "running"
            self._save(info)
        d = self.root / job_id
        src, tgt = info["source"], info["target"]
        s = self.settings
        logger.info("job %s: %d article(s), %s-%s", job_id, info["articles"], src, tgt)
        try:
            stats = run_batch(
                str(d / "input.jsonl"),
                d / "out",
                self.translator,
                make_signature(self.translator, src, tgt),
                info["formats"],
                src=src,
                tgt=tgt,
                resume=True,
                options={**(s.options or {}), "src": src, "tgt": tgt},
                thresholds=s.thresholds,
                script=s.script,
                tgt_script=s.tgt_script,
                annotate=s.annotate,
            )
        except ShuttingDown:
            return  # left "running": resumed at the next start
        except TranslateError as exc:
            info.update(status="failed", error=str(exc))
        except Exception as exc:  # noqa: BLE001 - recorded in the job, the server goes on
            logger.error("job %s failed: %s: %s", job_id, type(exc).__name__, exc)
            info.update(status="failed", error=f"internal error ({type(exc).__name__})")
        else:
            info.update(status="done", finished=time.time(), failed=stats.failed)
            logger.info("job %s: done (%d failed)", job_id, stats.failed)
        with self._lock:
            self._save(info)

    def close(self, timeout: float = 2.0) -> None:
        """Stop after the current job (which stops at once when the batcher is closed)."""
        self._queue.put(None)
        self._thread.join(timeout)


def parse_formats(value: object) -> list[str]:
    """A job's ``formats``: a list or a comma-separated string (default jsonl)."""
    if value is None:
        return ["jsonl"]
    if isinstance(value, str):
        return [f.strip() for f in value.split(",") if f.strip()]
    if isinstance(value, list) and all(isinstance(f, str) for f in value):
        return value
    raise UsageError("formats must be a list of format names")
