"""Batch jobs on a Ray cluster (``translate batch --engine ray``).

Articles go into a Ray Dataset; ``map_batches`` runs them through actors that
each hold one model replica (one per worker, or per GPU), and the driver writes
the outputs and the manifest exactly as the local engine does, in input order.
Ray is an optional extra: ``pip install '.[ray]'``.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field, replace

from translate.errors import InputError, TranslateError, UsageError
from translate.jobs.batch import Article, Outcome, read_one
from translate.mt.translator import TranslationOptions
from translate.quality import QualityThresholds
from translate.records import Document, DocumentResult, Flag, Record, Signature, Suggestion

logger = logging.getLogger("translate")


@dataclass(frozen=True)
class ModelSpec:
    """Everything a worker needs to load its replica and translate like the driver asked."""

    model: str | None
    options: TranslationOptions
    backend: str = "auto"
    src: str = "kk"
    tgt: str = "en"
    script: str = "auto"
    tgt_script: str = "cyrl"
    thresholds: QualityThresholds = field(default_factory=QualityThresholds)
    cache: str | None = None
    assist: dict | None = None  # translate.tm.load_assist's options (paths absolute)


def _load(spec: ModelSpec):
    from translate.mt.backends import load_translator
    from translate.mt.registry import resolve

    tr = load_translator(resolve(spec.model), spec.options, spec.backend)
    if spec.cache:
        from translate.mt.cache import CachedTranslator, TranslationCache

        tr = CachedTranslator(tr, TranslationCache(spec.cache))
    return tr


def result_to_json(result: DocumentResult) -> str:
    return json.dumps(asdict(result), ensure_ascii=False)


def result_from_json(data: str) -> DocumentResult:
    obj = json.loads(data)
    doc = Document(**obj["document"])
    records = tuple(
        Record(
            **{
                **r,
                "flags": tuple(Flag(**f) for f in r["flags"]),
                "suggestions": tuple(Suggestion(**x) for x in r.get("suggestions", ())),
            }
        )
        for r in obj["records"]
    )
    return DocumentResult(doc, records)


class _Worker:
    """A Ray Data actor: one model replica, translating batches of articles."""

    def __init__(self, spec: ModelSpec, encoding: str | None, source: str):
        import transformers

        transformers.logging.set_verbosity_error()
        self.spec, self.encoding, self.source = spec, encoding, source
        self.translator = _load(spec)
        self.assist = None
        if spec.assist:
            from translate.tm.assist import load_assist

            self.assist = load_assist(spec.src, spec.tgt, **spec.assist)
            self.translator = self.assist.wrap(self.translator)

    def __call__(self, batch: dict) -> dict:
        from translate.pipeline import translate_documents

        ids = [str(x) for x in batch["id"]]
        out = {"id": ids, "result": [""] * len(ids), "error": [""] * len(ids)}
        docs = []
        for k, art_id in enumerate(ids):
            art = Article(
                id=art_id,
                path=__import__("pathlib").Path(batch["path"][k]) if batch["path"][k] else None,
                text=str(batch["text"][k]) if not batch["path"][k] else None,
                error=str(batch["error"][k]) or None,
            )
            try:
                docs.append(read_one(art, self.encoding, self.source))
            except InputError as exc:
                out["error"][k] = str(exc)
        pos = {art_id: k for k, art_id in enumerate(ids)}
        s = self.spec
        for res in translate_documents(
            docs,
            self.translator,
            s.src,
            s.tgt,
            thresholds=s.thresholds,
            script=s.script,
            tgt_script=s.tgt_script,
            annotate=self.assist.annotate if self.assist is not None else None,
        ):
            out["result"][pos[res.document.id]] = result_to_json(res)
        return out


def _init(address: str | None) -> None:
    try:
        import ray
    except ImportError as exc:
        raise UsageError("--engine ray needs Ray: pip install '.[ray]'") from exc
    if not ray.is_initialized():
        from pathlib import Path

        # A local instance's workers import this package from where the driver found it.
        package_root = str(Path(__file__).resolve().parents[2])
        runtime_env = None if address else {"env_vars": {"PYTHONPATH": package_root}}
        try:
            ray.init(
                address=address or None,
                include_dashboard=False,
                log_to_driver=False,
                configure_logging=False,
                runtime_env=runtime_env,
            )
        except (ConnectionError, RuntimeError, ValueError) as exc:
            raise UsageError(f"cannot reach the Ray cluster at {address!r}: {exc}") from exc


def describe(spec: ModelSpec, address: str | None) -> Signature:
    """The run signature, computed on a worker (the driver need not hold the model)."""
    import ray

    _init(address)

    @ray.remote(num_gpus=1 if spec.options.device == "cuda" else 0)
    def _sig(spec):
        from translate.pipeline import make_signature

        tr = _load(spec)
        return make_signature(tr, spec.src, spec.tgt)

    return ray.get(_sig.remote(spec))


def cpu_share(threads: int, workers: int, node_cpus: list[float]) -> int:
    """CPU threads for each of ``workers`` CPU replicas: ``threads`` when given,
    else an even share of the cluster's CPUs that fits on its largest node.

    Ray runs a worker with ``OMP_NUM_THREADS`` set to the CPUs it reserved (1 by
    default), so without a share a transformers replica would use one thread
    and a CTranslate2 replica every core of its node, whatever runs beside it.
    """
    if threads > 0:
        return threads
    total = sum(node_cpus)
    largest = max(node_cpus, default=1)
    return max(1, int(min(largest, total // max(1, workers))))


def ray_engine(
    spec: ModelSpec,
    address: str | None = None,
    workers: int | None = None,
    articles_per_batch: int = 16,
):
    """An engine for :func:`translate.jobs.batch.run_batch` that runs on Ray."""

    def engine(todo: list[Article], encoding: str | None, source: str) -> Iterator[Outcome]:
        if not todo:
            return
        import ray

        _init(address)
        ctx = ray.data.DataContext.get_current()
        ctx.execution_options.preserve_order = True  # same manifest order as the local engine
        gpus = 1 if spec.options.device == "cuda" else 0
        n = workers or (int(ray.cluster_resources().get("GPU", 1)) if gpus else 1)
        run_spec, cpus = spec, {}
        if not gpus:
            nodes = [x["Resources"].get("CPU", 0) for x in ray.nodes() if x.get("Alive")]
            share = cpu_share(spec.options.threads, n, nodes)
            run_spec = replace(spec, options=replace(spec.options, threads=share))
            cpus = {"num_cpus": share}
            logger.info("ray: %d CPU replica(s), %d threads each", n, share)
        rows = [
            {
                "id": a.id,
                "path": str(a.path.resolve()) if a.path else "",
                "text": a.text or "",
                "error": a.error or "",
            }
            for a in todo
        ]
        ds = ray.data.from_items(rows).map_batches(
            _Worker,
            fn_constructor_args=(run_spec, encoding, source),
            concurrency=n,
            batch_size=articles_per_batch,
            num_gpus=gpus,
            batch_format="numpy",
            **cpus,
        )
        try:
            for row in ds.iter_rows():
                if row["error"]:
                    yield str(row["id"]), str(row["error"])
                else:
                    yield str(row["id"]), result_from_json(str(row["result"]))
        except ray.exceptions.RayError as exc:
            cause = str(exc).strip().splitlines()
            detail = next((x for x in reversed(cause) if "Error" in x), cause[-1] if cause else "")
            raise TranslateError(
                f"the Ray job failed ({detail.strip()[:300]}); finished articles are in the "
                "manifest: rerun with --resume"
            ) from exc

    return engine
