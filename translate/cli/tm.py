"""``translate tm import|export|stats``, and the ``--tm``/``--glossary``
options of ``run``, ``batch`` and ``align`` (docs/tm.md)."""

from __future__ import annotations

import argparse
import logging
from datetime import date

from translate.errors import InputError, UsageError

logger = logging.getLogger("translate")


def add_assist_options(p: argparse.ArgumentParser) -> None:
    """``--tm``, ``--tm-fuzzy``, ``--glossary``, ``--dnt``, ``--enforce-terms``."""
    g = p.add_argument_group("translation memory and glossaries (docs/tm.md)")
    g.add_argument(
        "--tm",
        metavar="PATH",
        help="translation memory of human translations ('translate tm import'; or a TMX, "
        "XLIFF, JSONL or TSV file read for this run): an exact match replaces the model's "
        "output (flag tm), a close one is a suggestion",
    )
    g.add_argument(
        "--tm-fuzzy",
        type=float,
        default=0.85,
        metavar="RATIO",
        help="lowest similarity (0..1) of a fuzzy suggestion (default 0.85)",
    )
    g.add_argument(
        "--glossary",
        action="append",
        default=[],
        metavar="FILE",
        help="TSV/CSV (SOURCE<TAB>TARGET[<TAB>NOTE]) or TBX glossary; terms found in the "
        "source (Kazakh in any case, possessive or plural form) whose target is missing "
        "from the translation are flagged term; repeatable",
    )
    g.add_argument(
        "--dnt",
        action="append",
        default=[],
        metavar="FILE",
        help="do-not-translate list, one term per line: flagged term when the "
        "translation does not keep them as written; repeatable",
    )
    g.add_argument(
        "--enforce-terms",
        action="store_true",
        help="put glossary targets (or placeholders) into the model input and restore "
        "them; a lost placeholder is flagged term",
    )


def add_tm_parser(sub, common: argparse.ArgumentParser) -> None:
    """The ``tm`` command group (nothing of translate.tm imported to build it)."""
    env = "TRANSLATE_TM"  # translate.tm.memory.ENV

    tm = sub.add_parser(
        "tm",
        parents=[common],
        help="translation memory of human translations: import, export, stats",
        description="A translation memory of human translations (SQLite), used by "
        f"'run --tm'. PATH defaults to ${env}, else ./translate-tm.sqlite.",
    )
    tsub = tm.add_subparsers(dest="tm_command", metavar="ACTION")
    imp = tsub.add_parser(
        "import",
        parents=[common],
        help="import TMX, XLIFF, JSONL/TSV results, parallel files",
        description="Import human translations: every tu of a TMX; reviewed/final segments "
        "of XLIFF 2, approved/final/signed-off units of XLIFF 1.2; reviewed or approved "
        "records of our JSONL/TSV results (the review page's export); our 'tm export' "
        "JSONL; line pairs of --parallel files. A unit whose source is in the memory "
        "replaces it. Nothing is stored when a file is broken.",
    )
    imp.add_argument("files", nargs="*", metavar="FILE")
    imp.add_argument(
        "--parallel",
        nargs=2,
        action="append",
        default=[],
        metavar=("SRC_FILE", "TGT_FILE"),
        help="two UTF-8 files, line N translating line N; repeatable",
    )
    imp.add_argument(
        "--all",
        dest="all_units",
        action="store_true",
        help="XLIFF and results: every unit with a target, reviewed or not (not rejected ones)",
    )
    imp.add_argument(
        "--src",
        choices=("kk", "en"),
        help="source language of --parallel files (default kk) and TMX units (default: "
        "the file's srclang, else kk)",
    )
    imp.add_argument("--reviewer", help="reviewer to record for units that name none")
    exp = tsub.add_parser("export", parents=[common], help="write the memory as TMX or JSONL")
    exp.add_argument("-o", "--output", required=True, help="output file ('-' for stdout)")
    exp.add_argument(
        "--to", choices=("tmx", "jsonl"), help="format (default: from -o's extension, else tmx)"
    )
    exp.add_argument("--overwrite", action="store_true")
    stats = tsub.add_parser("stats", parents=[common], help="units per language pair and file")
    for p in (imp, exp, stats):
        p.add_argument(
            "--tm", metavar="PATH", help=f"memory file (default ${env} or ./translate-tm.sqlite)"
        )


def assist_from_args(args: argparse.Namespace, src: str, tgt: str):
    """The run's :class:`translate.tm.Assist` from its options, or None."""
    from translate.tm.assist import load_assist

    return load_assist(
        src,
        tgt,
        tm=getattr(args, "tm", None),
        glossaries=getattr(args, "glossary", None) or (),
        dnt=getattr(args, "dnt", None) or (),
        fuzzy=getattr(args, "tm_fuzzy", 0.85),
        enforce_terms=getattr(args, "enforce_terms", False),
    )


def assist_options(args: argparse.Namespace, absolute: bool = False) -> dict[str, object]:
    """The memory and glossary options given (for a batch manifest, or for
    :func:`translate.tm.load_assist` on Ray workers with ``absolute`` paths)."""
    from pathlib import Path

    def path(p: str) -> str:
        return str(Path(p).resolve()) if absolute else p

    out: dict[str, object] = {}
    if getattr(args, "tm", None):
        out["tm"] = path(args.tm)
        out["fuzzy"] = args.tm_fuzzy
    if getattr(args, "glossary", None):
        out["glossaries"] = [path(g) for g in args.glossary]
    if getattr(args, "dnt", None):
        out["dnt"] = [path(d) for d in args.dnt]
    if getattr(args, "enforce_terms", False):
        out["enforce_terms"] = True
    return out


def report_assist(assist) -> None:
    if assist is None:
        return
    if assist.memory is not None:
        logger.info(
            "translation memory: %d sentence(s) from it, %d fuzzy suggestion(s)",
            assist.used,
            assist.suggested,
        )
    assist.close()


def cmd_tm(args: argparse.Namespace) -> int:
    from translate.tm.memory import TranslationMemory, default_path

    action = getattr(args, "tm_command", None)
    if action is None:
        raise UsageError("tm needs an action: import, export or stats")
    path = args.tm or default_path()
    if action == "import":
        return _import(args, path)
    with TranslationMemory(path) as memory:
        if action == "stats":
            s = memory.stats()
            print(f"{s['path']}: {s['units']} unit(s)")
            for pair, n in sorted(s["pairs"].items()):
                print(f"  {pair}: {n}")
            print(f"  with a reviewer: {s['with_reviewer']}; last import: {s['last_import']}")
            for origin, n in s["origins"].items():
                print(f"  from {origin}: {n}")
            return 0
        return _export(args, memory)


def _import(args: argparse.Namespace, path: str) -> int:
    from dataclasses import replace

    from translate.tm.importers import read_parallel, read_units
    from translate.tm.memory import TranslationMemory, keyed

    if not args.files and not args.parallel:
        raise UsageError("tm import needs FILE... or --parallel SRC_FILE TGT_FILE")
    read = [read_units(f, args.src, args.all_units) for f in args.files]
    read += [read_parallel(a, b, args.src or "kk") for a, b in args.parallel]
    units = []
    for f in read:
        skipped = ", ".join(f"{n} {why}" for why, n in f.skipped.items())
        logger.info(
            "%s: %d unit(s)%s", f.path, len(f.units), f"; skipped {skipped}" if skipped else ""
        )
        units += [
            keyed(u if u.reviewer or not args.reviewer else replace(u, reviewer=args.reviewer))
            for u in f.units
        ]
    units = [u for u in units if u.key]
    if not units:
        hint = " (--all imports units nobody reviewed)" if not args.all_units else ""
        raise InputError(f"nothing to import: no human translation in the file(s){hint}")
    today = date.today().isoformat()
    units = [u if u.date else replace(u, date=today) for u in units]
    with TranslationMemory(path, create=True) as memory:
        new, replaced, same = memory.add(units, today)
    logger.info("%s: %d new, %d replaced, %d unchanged", path, new, replaced, same)
    return 0


def _export(args: argparse.Namespace, memory) -> int:
    import sys
    from pathlib import Path

    from translate.formats.base import AtomicFile, check_output
    from translate.tm.importers import export_units

    out = args.output
    fmt = args.to or ("jsonl" if str(out).lower().endswith(".jsonl") else "tmx")
    if out == "-":
        n = export_units(memory.units(), fmt, sys.stdout)
    else:
        check_output(out, args.overwrite)
        f = AtomicFile(Path(out))
        try:
            n = export_units(memory.units(), fmt, f.stream)
        except BaseException:
            f.abort()
            raise
        f.commit()
    logger.info("%d unit(s) written to %s as %s", n, out, fmt)
    return 0
