"""``translate review`` and ``translate convert``: result files read back and written again."""

from __future__ import annotations

import argparse
import logging

logger = logging.getLogger("translate")


def _placeholder_signature():
    from translate.records import Signature

    return Signature("?", "?", "unknown", None, "?", 0, 0, 0, "kk", "en")


def cmd_review(args: argparse.Namespace) -> int:
    from pathlib import Path

    from translate.cli.common import check_output_args
    from translate.formats import open_writer, read_results

    if Path(args.result).is_dir():
        from translate.cli.review_dir import review_dir

        return review_dir(Path(args.result), args.output, args.overwrite)
    check_output_args("html", args.output, args.overwrite)
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

    from translate.cli.common import check_output_args
    from translate.formats import open_writer, output_format, read_results

    # --to document: the original document (named in the result) translated
    fmt = "document" if args.to == "document" else output_format(args.to, args.output, None)
    check_output_args(fmt, args.output, args.overwrite)
    signature, results = read_results(args.result)
    sig = signature or _placeholder_signature()
    if results and results[0].records:
        first = results[0].records[0]
        sig = replace(sig, src_lang=first.src_lang, tgt_lang=first.tgt_lang)
    with open_writer(fmt, sig, args.output, overwrite=args.overwrite or args.output is None) as w:
        for r in results:
            w.write(r)
    return 0
