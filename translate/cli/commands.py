"""Command handlers of the ``translate`` CLI: each turns parsed arguments into
library calls. The parser and the entry point are in :mod:`translate.cli`."""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time

from translate.errors import UsageError

logger = logging.getLogger("translate")


def _quiet_libraries() -> None:
    """Keep transformers' own progress bars and warnings off the user's terminal."""
    try:
        import transformers

        transformers.logging.set_verbosity_error()
        logging.getLogger("huggingface_hub").setLevel(logging.ERROR)
        transformers.logging.disable_progress_bar()
    except ImportError:
        pass


def cmd_run(args: argparse.Namespace) -> int:
    from translate.formats import open_writer, output_format
    from translate.mt.backends import load_translator
    from translate.mt.registry import resolve
    from translate.mt.translator import check_languages
    from translate.pipeline import RunStats, make_signature, translate_documents
    from translate.text.reader import read_article

    src = args.src
    tgt = args.tgt or ("en" if src == "kk" else "kk")
    check_languages(src, tgt)
    fmt = output_format(args.to, args.output)
    options = _options(args)
    thresholds = _thresholds(args)
    if args.tgt_script == "latn" and tgt != "kk":
        raise UsageError("--tgt-script latn is for Kazakh output (--src en)")
    inputs = args.inputs or ["-"]
    if inputs.count("-") > 1:
        raise UsageError("stdin ('-') can be read only once")
    # Read every input first: a bad file is reported before the model loads.
    documents = []
    seen: dict[str, int] = {}
    for path in inputs:
        doc = read_article(path, encoding=args.encoding)
        if doc.id in seen:
            seen[doc.id] += 1
            from dataclasses import replace

            doc = replace(doc, id=f"{doc.id}-{seen[doc.id]}")
        else:
            seen[doc.id] = 1
        documents.append(doc)

    model = resolve(args.model)
    _quiet_libraries()
    logger.info("loading %s (%s)", model.location, "local" if model.local else "hub")
    translator = load_translator(model, options, args.backend)
    signature = make_signature(translator, src, tgt)
    info = translator.describe()
    threads, workers = info.get("threads"), info.get("parallel_batches")
    logger.info(
        "model loaded: backend %s, device %s%s%s",
        signature.backend,
        signature.device,
        f", {threads} threads" if threads else "",
        f", {workers} batches at once" if workers else "",
    )
    stats = RunStats()
    from translate.pipeline import segment_document

    segmented = [segment_document(d, src) for d in documents]  # once: also the progress total
    progress = _SentenceProgress(sum(map(len, segmented)))
    if hasattr(translator, "on_progress"):
        translator.on_progress = progress.advance
    with open_writer(
        fmt, signature, args.output, overwrite=args.overwrite or args.output is None
    ) as w:
        for result in translate_documents(
            documents,
            translator,
            src,
            tgt,
            stats=stats,
            thresholds=thresholds,
            script=args.script,
            tgt_script=args.tgt_script,
            segmented=segmented,
        ):
            progress.clear()
            w.write(result)
            logger.info("%s: %d sentence(s)", result.document.id, len(result.records))
        if hasattr(w, "summary"):
            w.summary = stats.summary()
    progress.clear()
    logger.info("done: %s", stats.summary())
    return 0


class _SentenceProgress:
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

    def advance(self, done: int, total: int) -> None:
        if done == 0:  # the translator's next call
            self.base += self.call[1]
        self.call = (done, total)
        now = time.monotonic()
        if not logger.isEnabledFor(logging.INFO) or now - self.t0 < self.delay:
            return
        if now - self.last < (0.5 if self.tty else self.every):
            return
        self.last = now
        finished = self.base + done
        everything = max(self.sentences, self.base + total)
        rate = finished / (now - self.t0)
        eta = (everything - finished) / rate if rate else 0.0
        msg = (
            f"translating: {finished}/{everything} sentences, {rate:.1f} sent/s, "
            f"ETA {int(eta // 60)}m{int(eta % 60):02d}s"
        )
        if self.tty:
            self.stream.write(f"\rtranslate: {msg}\x1b[K")
            self.stream.flush()
            self.shown = True
        else:
            logger.info("%s", msg)

    def clear(self) -> None:
        if self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.shown = False


def _thresholds(args: argparse.Namespace):
    from translate.quality import QualityThresholds

    try:
        lo, hi = (float(x) for x in args.length_ratio.split(","))
    except ValueError:
        raise UsageError(f"--length-ratio needs MIN,MAX (got {args.length_ratio!r})") from None
    return QualityThresholds(min_score=args.min_score, min_length_ratio=lo, max_length_ratio=hi)


def _placeholder_signature():
    from translate.records import Signature

    return Signature("?", "?", "unknown", None, "?", 0, 0, 0, "kk", "en")


def cmd_review(args: argparse.Namespace) -> int:
    from translate.formats import open_writer, read_results

    signature, results = read_results(args.result)
    sig = signature or _placeholder_signature()
    with open_writer(
        "html", sig, args.output, overwrite=args.overwrite or args.output is None
    ) as w:
        for r in results:
            w.write(r)
    return 0


def cmd_convert(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from translate.formats import open_writer, output_format, read_results

    fmt = output_format(args.to, args.output, default=None)
    signature, results = read_results(args.result)
    sig = signature or _placeholder_signature()
    if results and results[0].records:
        first = results[0].records[0]
        sig = replace(sig, src_lang=first.src_lang, tgt_lang=first.tgt_lang)
    with open_writer(fmt, sig, args.output, overwrite=args.overwrite or args.output is None) as w:
        for r in results:
            w.write(r)
    return 0


def _options(args: argparse.Namespace):
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
    )


def cmd_batch(args: argparse.Namespace) -> int:
    from pathlib import Path

    from translate.jobs.batch import EXTENSIONS, list_articles, run_batch
    from translate.mt.backends import load_translator
    from translate.mt.cache import CachedTranslator, TranslationCache
    from translate.mt.registry import resolve
    from translate.mt.translator import check_languages
    from translate.pipeline import make_signature

    src = args.src
    tgt = args.tgt or ("en" if src == "kk" else "kk")
    check_languages(src, tgt)
    formats = [f.strip() for f in args.to.split(",") if f.strip()]
    for f in formats:
        if f not in EXTENSIONS:
            raise UsageError(f"unknown format {f!r} (available: {', '.join(EXTENSIONS)})")
    options = _options(args)
    list_articles(args.input)  # fail on a bad INPUT before loading the model
    run_opts = {
        "src": src,
        "tgt": tgt,
        "script": args.script,
        "tgt_script": args.tgt_script,
        "min_score": args.min_score,
        "length_ratio": args.length_ratio,
    }
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
    _quiet_libraries()
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
            _thresholds(args),
            cache_path,
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
        translator = load_translator(model, options, args.backend)
        signature = make_signature(translator, src, tgt)
        cache = None
        if cache_path:
            cache = TranslationCache(cache_path)
            translator = CachedTranslator(translator, cache)
        try:
            stats = run_batch(
                args.input,
                args.output,
                translator,
                signature,
                formats,
                thresholds=_thresholds(args),
                script=args.script,
                tgt_script=args.tgt_script,
                **common,
            )
        finally:
            if cache is not None:
                cache.close()
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


def cmd_align(args: argparse.Namespace) -> int:
    from translate._version import __version__
    from translate.align import METHOD, MODEL_METHOD, align_documents
    from translate.formats import open_writer, output_format
    from translate.mt.translator import check_languages
    from translate.records import Signature
    from translate.text.reader import read_article
    from translate.text.segment import SEGMENTER_VERSION

    tgt_lang = args.tgt_lang or ("en" if args.src_lang == "kk" else "kk")
    check_languages(args.src_lang, tgt_lang)
    fmt = output_format(args.to, args.output)  # a contradicting --to and -o: before any work
    src_doc = read_article(args.src, encoding=args.encoding)
    tgt_doc = read_article(args.tgt, encoding=args.encoding)
    translator = None
    method = METHOD
    sig = Signature(
        __version__, SEGMENTER_VERSION, "none", None, f"align:{METHOD}", 0, 0, 0,
        args.src_lang, tgt_lang,
    )  # fmt: skip
    if args.model:
        from dataclasses import replace

        from translate.mt.backends import load_translator
        from translate.mt.registry import resolve
        from translate.pipeline import make_signature

        model = resolve(args.model)
        _quiet_libraries()
        logger.info("loading %s (%s)", model.location, "local" if model.local else "hub")
        translator = load_translator(model, _options(args), args.backend)
        method = MODEL_METHOD
        sig = make_signature(translator, args.src_lang, tgt_lang)
        sig = replace(sig, backend=f"align:{MODEL_METHOD}/{sig.backend}")
        # one translator call for the whole source: its own count is the total
        progress = _SentenceProgress(0)
        if hasattr(translator, "on_progress"):
            translator.on_progress = progress.advance
    result = align_documents(src_doc, tgt_doc, args.src_lang, tgt_lang, translator)
    if translator is not None:
        progress.clear()
    with open_writer(fmt, sig, args.output, overwrite=args.overwrite or args.output is None) as w:
        w.write(result)
    unaligned = sum(1 for r in result.records if "unaligned" in r.flag_codes)
    weak = sum(1 for r in result.records if "low_alignment" in r.flag_codes)
    logger.info(
        "aligned %d pair(s) (%d unaligned, %d weak) by %s",
        len(result.records),
        unaligned,
        weak,
        method,
    )
    if (unaligned + weak) * 2 > len(result.records):
        # unrelated documents: sentences left alone, or paired on length with
        # nothing shared that speaks for the pair
        logger.warning(
            "%d of %d pairs have no counterpart or only a weak link: are %s and %s "
            "translations of the same article? The output keeps every sentence; check the "
            "pairing%s",
            unaligned + weak,
            len(result.records),
            args.src,
            args.tgt,
            "" if args.model else ", or give --model to compare by translation",
        )
    return 0


def cmd_segment(args: argparse.Namespace) -> int:
    from translate.text.reader import read_article
    from translate.text.segment import segment

    doc = read_article(args.input, encoding=args.encoding)
    sentences = segment(doc.text, args.lang, doc_id=doc.id, start=doc.body_start)
    out = sys.stdout
    for s in sentences:
        if args.to == "text":
            out.write(" ".join(s.text.split()) + "\n")
        else:
            out.write(
                json.dumps(
                    {
                        "doc_id": s.doc_id,
                        "paragraph": s.paragraph,
                        "index": s.index,
                        "start": s.start,
                        "end": s.end,
                        "text": s.text,
                    },
                    ensure_ascii=False,
                )
                + "\n"
            )
    return 0


def cmd_models(args: argparse.Namespace) -> int:
    from translate.mt.registry import fetch, list_models, model_store

    if args.models_command in (None, "list"):
        rows = [("NAME", "PARAMS", "DOWNLOAD", "LICENCE", "DIRECTIONS", "HUB ID")]
        for m in list_models():
            rows.append(
                (
                    m.name + (" (default)" if m.default else ""),
                    m.parameters,
                    f"{m.download_gb:g} GB",
                    m.license.split(" (")[0],
                    " ".join(m.directions),
                    m.hub_id,
                )
            )
        widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
        for r in rows:
            print("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip())
        print(f"\nstore: {model_store()}  (fetched models are used from there)")
        return 0
    if args.models_command == "convert":
        from pathlib import Path

        from translate.mt.backends.convert import convert, default_output_dir
        from translate.mt.registry import resolve

        model = resolve(args.model)
        _quiet_libraries()
        out = Path(args.output) if args.output else default_output_dir(model, args.quantization)
        logger.info("converting %s to CTranslate2 (%s)...", model.location, args.quantization)
        texts = {}
        for item in args.shortlist_text:
            lang, sep, file = item.partition("=")
            if not sep or not file:
                raise UsageError(f"--shortlist-text needs LANG=FILE (got {item!r})")
            texts[lang] = Path(file)
        path = convert(
            model,
            out,
            args.quantization,
            force=args.force,
            shortlist=args.shortlist,
            shortlist_texts=texts,
        )
        meta = json.loads((path / "translate-ct2.json").read_text("utf-8"))
        sizes = meta.get("shortlist") or {}
        for lang in ("en", "kk"):
            if lang in sizes:
                logger.info(
                    "shortlist for %s output: %d of %d tokens%s",
                    lang,
                    sizes[lang],
                    sizes["vocabulary"],
                    " (from text)" if lang in sizes.get("from_text", ()) else "",
                )
        print(path)
        return 0
    if args.models_command == "fetch":
        path = fetch(args.name, allow_pickle=args.allow_pickle)
        print(path)
        return 0
    raise UsageError(f"unknown models action {args.models_command!r}")
