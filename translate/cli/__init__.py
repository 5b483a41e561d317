"""The ``translate`` command line: a thin layer over the library.

Exit codes: 0 success, 1 a runtime error (input, model, output), 2 a usage
error, 130 interrupted (Ctrl-C).
"""

from __future__ import annotations

import logging
import signal
import sys
from collections.abc import Sequence
from importlib import import_module

from translate.cli.parser import build_parser
from translate.errors import TranslateError

logger = logging.getLogger("translate")


def _setup_logging(quiet: bool, verbose: bool) -> None:
    level = logging.ERROR if quiet else logging.DEBUG if verbose else logging.INFO
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("translate: %(message)s"))
    logger.handlers[:] = [handler]
    logger.setLevel(level)
    logger.propagate = False


def main(argv: Sequence[str] | None = None) -> int:
    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # `translate ... | head` ends quietly
    parser = build_parser()
    args = parser.parse_args(argv)
    _setup_logging(args.quiet, args.verbose)
    handlers = {  # command -> "module:function", imported on use
        "run": "run:cmd_run",
        "segment": "segment:cmd_segment",
        "models": "models:cmd_models",
        "review": "results:cmd_review",
        "align": "align:cmd_align",
        "batch": "batch:cmd_batch",
        "convert": "results:cmd_convert",
        "serve": "serve:cmd_serve",
    }
    if args.command is None:
        parser.print_help()
        return 2
    try:
        module, func = handlers[args.command].split(":")
        handler = getattr(import_module(f"translate.cli.{module}"), func)
        return handler(args)
    except TranslateError as exc:
        print(f"translate: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        from translate.formats import abort_all

        abort_all()  # no half-written output left behind, wherever the interrupt landed
        print("translate: interrupted", file=sys.stderr)
        return 130
