"""``translate align``: two versions of an article aligned sentence by sentence."""

from __future__ import annotations

import argparse
import logging

from translate.cli.common import (
    SentenceProgress,
    check_output_args,
    languages,
    one_direction,
    quiet_libraries,
    translation_options,
)

logger = logging.getLogger("translate")


def cmd_align(args: argparse.Namespace) -> int:
    from translate._version import __version__
    from translate.align import METHOD, MODEL_METHOD, align_documents
    from translate.cli.docio import finish_result, output_kind, read_source
    from translate.formats import open_writer
    from translate.records import Signature
    from translate.text.segment import SEGMENTER_VERSION

    args.src_lang, tgt_lang = languages(args.src_lang, args.tgt_lang)  # auto: after reading
    fmt = output_kind(args)  # a contradicting --to and -o: before any work
    check_output_args(fmt, args.output, args.overwrite, (args.src_lang, tgt_lang))
    src_doc = read_source(args.src, args).document  # text, HTML, Word, Markdown: their text
    tgt_doc = read_source(args.tgt, args).document
    if args.src_lang == "auto":
        args.src_lang, tgt_lang = one_direction([src_doc])
    from translate.cli.tm import assist_from_args, report_assist

    assist = assist_from_args(args, args.src_lang, tgt_lang)  # before the model loads
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
        quiet_libraries()
        logger.info("loading %s (%s)", model.location, "local" if model.local else "hub")
        from translate.mt.firstuse import convert_on_first_use
        from translate.text import langid

        langid.preload()  # while the model loads
        convert_on_first_use(model, translation_options(args), args.backend)
        translator = load_translator(model, translation_options(args), args.backend)
        method = MODEL_METHOD
        sig = make_signature(translator, args.src_lang, tgt_lang)
        if assist is not None:  # a human translation is the better evidence
            translator = assist.wrap(translator)
        sig = replace(sig, backend=f"align:{MODEL_METHOD}/{sig.backend}")
        # one translator call for the whole source: its own count is the total
        progress = SentenceProgress(0)
        if hasattr(translator, "on_progress"):
            translator.on_progress = progress.advance
    try:
        result = align_documents(src_doc, tgt_doc, args.src_lang, tgt_lang, translator)
        if assist is not None:  # the existing translation checked against the glossary
            from translate.records import DocumentResult

            result = DocumentResult(result.document, assist.annotate(result.records))
    finally:
        if translator is not None:
            progress.close()
        report_assist(assist)
    with open_writer(fmt, sig, args.output, overwrite=args.overwrite or args.output is None) as w:
        result = finish_result(result)  # documents: where each sentence stood
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
