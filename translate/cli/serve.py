"""``translate serve``: the HTTP service (LibreTranslate-compatible and native API)."""

from __future__ import annotations

import argparse
import ipaddress
import logging
import shutil
import tempfile
from pathlib import Path

from translate.cli.common import quiet_libraries, thresholds, translation_options
from translate.errors import TranslateError, UsageError

logger = logging.getLogger("translate")


def _need_extra() -> None:
    missing = []
    for module in ("fastapi", "uvicorn", "multipart"):
        try:
            __import__(module)
        except ImportError:
            missing.append(module)
    if missing:
        raise TranslateError(
            f"translate serve needs {', '.join(missing)}: pip install 'translate-kazakh[serve]' "
            "(or pip install -e '.[serve]' in a checkout)"
        )


def _loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def _per_request_messages(record: logging.LogRecord) -> bool:
    """Drop the pipeline's and the aligner's messages about one text (a
    language warning, "aligning N sentences"): in a service they concern a
    request, whose records carry the flags, not the operator."""
    return record.module not in ("pipeline", "document") or record.levelno >= logging.ERROR


def cmd_serve(args: argparse.Namespace) -> int:
    _need_extra()
    if not args.verbose:
        logger.addFilter(_per_request_messages)
    from translate.mt.backends import load_translator
    from translate.mt.registry import resolve
    from translate.mt.translator import check_languages
    from translate.serve.batcher import Batcher
    from translate.serve.limits import Limits, read_api_keys
    from translate.serve.metrics import Metrics

    src = args.src
    tgt = args.tgt or ("en" if src == "kk" else "kk")
    check_languages(src, tgt)
    limits_ = thresholds(args)
    options = translation_options(args)
    if not 0 < args.port < 65536:
        raise UsageError(f"--port must be 1-65535 (got {args.port})")
    if args.max_body_mb <= 0 or args.batch_sentences < 1 or args.batch_wait_ms < 0:
        raise UsageError(
            "--max-body-mb and --batch-sentences must be positive, --batch-wait-ms >= 0"
        )
    keys = read_api_keys(args.api_keys) if args.api_keys else frozenset()
    limits = Limits(
        char_limit=args.char_limit, max_body=int(args.max_body_mb * 1024 * 1024), api_keys=keys
    )
    if not _loopback(args.host) and not keys:
        logger.warning(
            "listening on %s without API keys: anyone who can reach this port can use the "
            "model (see --api-keys and --req-limit)",
            args.host,
        )

    from translate.cli.tm import assist_from_args

    # memory and glossaries for every direction; a bad file is reported before the model loads
    assist = assist_from_args(args, "auto", None)
    model = resolve(args.model)  # no download at request time: the model loads here
    quiet_libraries()
    logger.info("loading %s (%s)", model.location, "local" if model.local else "hub")
    from translate.mt.firstuse import convert_on_first_use
    from translate.text import langid

    langid.preload()  # while the model loads
    convert_on_first_use(model, options, args.backend)
    inner = load_translator(model, options, args.backend)
    cache = None
    if args.cache:
        from translate.mt.cache import CachedTranslator, TranslationCache

        # only the inference worker thread calls the model, so the one SQLite
        # connection is never used by two threads at once
        cache = CachedTranslator(inner, TranslationCache(args.cache))
    metrics = Metrics()
    model_side = cache or inner
    if assist is not None:  # memory hits never reach the model
        model_side = assist.wrap(model_side)
    batcher = Batcher(
        model_side,
        max_wait=args.batch_wait_ms / 1000,
        max_sentences=args.batch_sentences,
        on_batch=metrics.batch,
    )
    metrics.gauges["translate_queued_sentences"] = (
        "Sentences waiting for the inference worker.",
        "gauge",
        lambda: batcher.queued_sentences,
    )
    if cache is not None:
        metrics.gauges["translate_cache_hits_total"] = (
            "Sentences found in the translation memory.",
            "counter",
            lambda: cache.hits,
        )
        metrics.gauges["translate_cache_lookups_total"] = (
            "Sentences looked up in the translation memory.",
            "counter",
            lambda: cache.lookups,
        )
    downloads = Path(tempfile.mkdtemp(prefix="translate-serve-"))
    try:
        return _serve(
            args, model, inner, batcher, metrics, limits, limits_, src, tgt, downloads, assist
        )
    finally:
        batcher.close()
        shutil.rmtree(downloads, ignore_errors=True)
        if cache is not None:
            cache.cache.close()
        if assist is not None:
            assist.close()


def _serve(
    args, model, inner, batcher, metrics, limits, thresholds_, src, tgt, downloads, assist
) -> int:
    from translate.cli.tm import assist_options
    from translate.serve.app import create_app
    from translate.serve.batcher import BACKGROUND, BatchingTranslator
    from translate.serve.jobs import JobManager, JobSettings
    from translate.serve.limits import RateLimiter
    from translate.serve.server import run_server
    from translate.serve.service import Service

    settings = JobSettings(
        thresholds=thresholds_,
        script=args.script,
        tgt_script=args.tgt_script,
        options={
            "script": args.script,
            "tgt_script": args.tgt_script,
            "min_score": args.min_score,
            "length_ratio": args.length_ratio,
            **assist_options(args),  # only those given: earlier jobs' manifests stay valid
        },
        annotate=assist.annotate if assist is not None else None,
    )
    jobs_dir = Path(args.jobs_dir).resolve()
    jobs = JobManager(jobs_dir, BatchingTranslator(batcher, BACKGROUND), settings)
    name = model.info.name if model.info else model.location
    svc = Service(
        translator=BatchingTranslator(batcher),
        model_name=name,
        limits=limits,
        rate=RateLimiter(args.req_limit),
        metrics=metrics,
        batcher=batcher,
        jobs=jobs,
        downloads=downloads,
        src=src,
        tgt=tgt,
        thresholds=thresholds_,
        script=args.script,
        tgt_script=args.tgt_script,
        annotate=assist.annotate if assist is not None else None,
    )
    info = inner.describe()
    logger.info(
        "model loaded: %s, backend %s, device %s; serving on http://%s:%d (docs at /docs)",
        name,
        info.get("backend"),
        info.get("device"),
        args.host,
        args.port,
    )
    return run_server(
        create_app(svc),
        args.host,
        args.port,
        access_log=args.access_log,
        shutdown_timeout=args.shutdown_timeout,
        log_level="debug" if args.verbose else "warning" if args.quiet else "info",
    )
