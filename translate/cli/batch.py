"""``translate batch``: many articles, one model load, resumable."""

from __future__ import annotations

import argparse
import logging

from translate.cli.common import languages, quiet_libraries, thresholds, translation_options
from translate.errors import UsageError

logger = logging.getLogger("translate")


def cmd_batch(args: argparse.Namespace) -> int:
    from pathlib import Path

    from translate.jobs.batch import EXTENSIONS, list_articles, run_batch
    from translate.mt.backends import load_translator
    from translate.mt.cache import CachedTranslator, TranslationCache
    from translate.mt.registry import resolve
    from translate.pipeline import make_signature

    src, tgt = languages(args.src, args.tgt)  # --src auto: each article its own direction
    formats = [f.strip() for f in args.to.split(",") if f.strip()]
    if not formats:
        raise UsageError(f"--to {args.to!r} names no format (available: {', '.join(EXTENSIONS)})")
    for f in formats:
        if f not in EXTENSIONS:
            raise UsageError(f"unknown format {f!r} (available: {', '.join(EXTENSIONS)})")
    options = translation_options(args)
    list_articles(args.input)  # fail on a bad INPUT before loading the model
    run_opts = {
        "src": src,
        "tgt": tgt,
        "script": args.script,
        "tgt_script": args.tgt_script,
        "min_score": args.min_score,
        "length_ratio": args.length_ratio,
    }
    from translate.cli.tm import assist_from_args, assist_options, report_assist

    assist = assist_from_args(args, src, tgt)  # a bad memory or glossary: before the model
    run_opts |= assist_options(args)  # only those given: earlier manifests stay valid
    common = dict(
        src=src,
        tgt=tgt,
        resume=args.resume,
        overwrite=args.overwrite,
        force=args.force,
        encoding=args.encoding,
        options=run_opts,
    )
    cache_path = None if args.no_cache else str(args.cache or Path(args.output) / "cache.sqlite")
    if cache_path:  # a bad cache is reported before the model loads
        TranslationCache(cache_path).close()
    quiet_libraries()
    if args.engine == "ray":
        from translate.jobs.ray_engine import ModelSpec, describe, ray_engine

        model_arg = args.model
        if model_arg and Path(model_arg).exists():
            model_arg = str(Path(model_arg).resolve())  # workers may run elsewhere
        spec = ModelSpec(
            model_arg,
            options,
            args.backend,
            src,
            tgt,
            args.script,
            args.tgt_script,
            thresholds(args),
            cache_path,
            assist_options(args, absolute=True) or None,
        )
        signature = describe(spec, args.address)
        stats = run_batch(
            args.input,
            args.output,
            None,
            signature,
            formats,
            engine=ray_engine(spec, args.address, args.workers),
            **common,
        )
        hit = ""
    else:
        model = resolve(args.model)
        from translate.mt.firstuse import convert_on_first_use
        from translate.text import langid

        langid.preload()  # while the model loads
        convert_on_first_use(model, options, args.backend)
        translator = load_translator(model, options, args.backend)
        signature = make_signature(translator, src, tgt)
        cache = None
        if cache_path:
            cache = TranslationCache(cache_path)
            translator = CachedTranslator(translator, cache)
        if assist is not None:
            translator = assist.wrap(translator)
        try:
            stats = run_batch(
                args.input,
                args.output,
                translator,
                signature,
                formats,
                thresholds=thresholds(args),
                script=args.script,
                tgt_script=args.tgt_script,
                annotate=assist.annotate if assist is not None else None,
                **common,
            )
        finally:
            if cache is not None:
                cache.close()
            report_assist(assist)
        hit = f", cache hits {translator.hit_rate:.0%}" if cache is not None else ""
    logger.info(
        "done: %d article(s) translated, %d already done, %d failed; %s%s",
        stats.done,
        stats.skipped,
        stats.failed,
        stats.run.summary(),
        hit,
    )
    if stats.failed:
        logger.error("%d article(s) failed: see %s/manifest.jsonl", stats.failed, args.output)
    return 1 if stats.failed else 0
