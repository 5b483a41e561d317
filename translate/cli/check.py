"""``translate check``: the quality flags of a result computed again on its
current translations (after a review page, a CAT tool or a spreadsheet
changed them); review states, MT and comments kept; what changed on stderr."""

from __future__ import annotations

import argparse
import logging
from collections import Counter

logger = logging.getLogger("translate")

# Pairs listed one by one on stderr; past this, a count.
SHOWN = 50


def add_check_parser(sub, common: argparse.ArgumentParser) -> None:
    """``translate check`` in the command line's parser."""
    from translate.formats import FORMATS

    p = sub.add_parser(
        "check",
        parents=[common],
        help="compute the quality flags again after a review",
        description="Compute the quality flags again on a result's current translations "
        "(edited in the review page, a CAT tool or a spreadsheet); review states, MT and "
        "comments are kept; stderr says which flags changed on which pairs. Writes the "
        "result (format from --to or the -o name's extension, else JSONL; default stdout).",
    )
    p.add_argument("result", metavar="RESULT")
    p.add_argument(
        "--to", choices=FORMATS, help="output format (default: from -o's extension, else jsonl)"
    )
    p.add_argument("-o", "--output", help="output file (default stdout)")
    p.add_argument("--overwrite", action="store_true")
    p.add_argument(
        "--min-score",
        type=float,
        default=-1.5,
        help="flag pairs whose mean token log-probability is lower (default -1.5)",
    )
    p.add_argument(
        "--length-ratio",
        default="0.4,2.5",
        metavar="MIN,MAX",
        help="flag pairs whose translation/source length ratio is outside (default 0.4,2.5)",
    )


def cmd_check(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from translate.cli.common import check_output_args, thresholds
    from translate.cli.results import _placeholder_signature
    from translate.formats import open_writer, output_format, read_results
    from translate.quality import recheck

    fmt = output_format(args.to, args.output)
    check_output_args(fmt, args.output, args.overwrite)
    limits = thresholds(args)
    signature, results = read_results(args.result)
    sig = signature or _placeholder_signature()
    if results and results[0].records:
        first = results[0].records[0]
        sig = replace(sig, src_lang=first.src_lang, tgt_lang=first.tgt_lang)
    aligned = sig.backend.startswith("align:")
    added: Counter[str] = Counter()
    removed: Counter[str] = Counter()
    pairs = changed = 0
    lines: list[str] = []
    checked = []
    for res in results:
        records = []
        for r in res.records:
            new = recheck(r, limits, aligned)
            records.append(new)
            pairs += 1
            before, after = set(r.flag_codes), set(new.flag_codes)
            if before == after:
                continue
            changed += 1
            plus, minus = sorted(after - before), sorted(before - after)
            added.update(plus)
            removed.update(minus)
            if len(lines) < SHOWN:
                state = f" ({r.review})" if r.review else ""
                what = " ".join([f"+{c}" for c in plus] + [f"-{c}" for c in minus])
                lines.append(f"  {r.doc_id} #{r.index + 1}{state}: {what}")
        checked.append(replace(res, records=tuple(records)))
    with open_writer(fmt, sig, args.output, overwrite=args.overwrite or args.output is None) as w:
        for res in checked:
            w.write(res)
    logger.info("%s", report(pairs, changed, added, removed, lines))
    return 0


def report(
    pairs: int, changed: int, added: Counter[str], removed: Counter[str], lines: list[str]
) -> str:
    """``check: N pair(s), flags changed on M (numbers +1 -3, ...)`` and a line per pair."""
    if not changed:
        return f"check: {pairs} pair(s), no flag changed"
    parts = []
    for code in sorted(set(added) | set(removed)):
        delta = [f"+{added[code]}"] if added[code] else []
        delta += [f"-{removed[code]}"] if removed[code] else []
        parts.append(f"{code} {' '.join(delta)}")
    counts = ", ".join(parts)
    more = f"\n  ... and {changed - len(lines)} more" if changed > len(lines) else ""
    return (
        f"check: {pairs} pair(s), flags changed on {changed} "
        f"(added {sum(added.values())}, removed {sum(removed.values())}: {counts})\n"
        + "\n".join(lines)
        + more
    )
