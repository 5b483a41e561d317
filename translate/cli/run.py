"""``translate run``: articles in, one bilingual result out."""

from __future__ import annotations

import argparse
import logging

from translate.cli.common import (
    SentenceProgress,
    check_output_args,
    languages,
    one_direction,
    quiet_libraries,
    thresholds,
    translation_options,
)
from translate.cli.docio import check_document_output, finish_result, output_kind, read_source
from translate.errors import UsageError

logger = logging.getLogger("translate")


def cmd_run(args: argparse.Namespace) -> int:
    from translate.formats import open_writer
    from translate.mt.backends import load_translator
    from translate.mt.registry import resolve
    from translate.pipeline import RunStats, make_signature, translate_documents

    src, tgt = languages(args.src, args.tgt)  # --src auto: decided once the inputs are read
    fmt = output_kind(args)  # --to document: the input's own format
    check_output_args(fmt, args.output, args.overwrite, (src, tgt))
    options = translation_options(args)
    limits = thresholds(args)
    if args.tgt_script == "latn" and tgt != "kk":
        raise UsageError("--tgt-script latn is for Kazakh output (--src en)")
    inputs = args.inputs or ["-"]
    if inputs.count("-") > 1:
        raise UsageError("stdin ('-') can be read only once")
    # Read every input first: a bad file is reported before the model loads.
    documents = []
    seen: dict[str, int] = {}
    sources = [read_source(path, args) for path in inputs]  # text, HTML, Word, Markdown
    check_document_output(fmt, sources, args.output)
    for doc in (s.document for s in sources):
        if doc.id in seen:
            seen[doc.id] += 1
            from dataclasses import replace

            doc = replace(doc, id=f"{doc.id}-{seen[doc.id]}")
        else:
            seen[doc.id] = 1
        documents.append(doc)
    if src == "auto":
        src, tgt = one_direction(documents)

    from translate.cli.tm import assist_from_args, report_assist

    assist = assist_from_args(args, src, tgt)  # a bad memory or glossary: before the model
    model = resolve(args.model)
    quiet_libraries()
    logger.info("loading %s (%s)", model.location, "local" if model.local else "hub")
    from translate.mt.firstuse import convert_on_first_use
    from translate.text import langid

    langid.preload()  # while the model loads
    convert_on_first_use(model, options, args.backend)
    translator = load_translator(model, options, args.backend)
    signature = make_signature(translator, src, tgt)
    if assist is not None:
        translator = assist.wrap(translator)
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
    progress = SentenceProgress(sum(map(len, segmented)))
    if hasattr(translator, "on_progress"):
        translator.on_progress = progress.advance
    try:
        with open_writer(
            fmt, signature, args.output, overwrite=args.overwrite or args.output is None
        ) as w:
            for result in translate_documents(
                documents,
                translator,
                src,
                tgt,
                stats=stats,
                thresholds=limits,
                script=args.script,
                tgt_script=args.tgt_script,
                segmented=segmented,
                annotate=assist.annotate if assist is not None else None,
            ):
                progress.clear()
                result = finish_result(result, stats)  # documents: locators, markup flags
                w.write(result)
                logger.info("%s: %d sentence(s)", result.document.id, len(result.records))
            if hasattr(w, "summary"):
                w.summary = stats.summary()
    finally:
        progress.close()
        report_assist(assist)
    logger.info("done: %s", stats.summary())
    return 0
