"""The ``translate`` command line: a thin layer over the library.

Exit codes: 0 success, 1 a runtime error (input, model, output), 2 a usage
error, 130 interrupted (Ctrl-C or SIGTERM). Errors are one line on stderr,
never a traceback (``--verbose`` logs one for an internal error).
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

HANDLERS = {  # command -> "module:function", imported on use
    "run": "run:cmd_run",
    "segment": "segment:cmd_segment",
    "models": "models:cmd_models",
    "review": "results:cmd_review",
    "align": "align:cmd_align",
    "batch": "batch:cmd_batch",
    "convert": "results:cmd_convert",
    "check": "check:cmd_check",
    "serve": "serve:cmd_serve",
    "tm": "tm:cmd_tm",
}


def _setup_logging(quiet: bool, verbose: bool) -> None:
    level = logging.ERROR if quiet else logging.DEBUG if verbose else logging.INFO
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("translate: %(message)s"))
    logger.handlers[:] = [handler]
    logger.setLevel(level)
    logger.propagate = False


def _say(message: str) -> None:
    """A line on stderr that never fails (stderr may be a closed pipe)."""
    try:
        print(message, file=sys.stderr, flush=True)
    except (OSError, ValueError):
        pass


def _terminated(signum: int, frame: object) -> None:
    """SIGTERM (docker stop, systemd, timeout) ends a command as Ctrl-C does:
    temporary files removed, a batch resumable."""
    raise KeyboardInterrupt


def _stdout_closed() -> None:
    """The reader of stdout went away (``translate ... | head``): stop quietly,
    and keep Python from complaining when it flushes stdout at exit."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``translate`` command; returns the exit code (see the module doc)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    _setup_logging(args.quiet, args.verbose)
    if args.command is None:
        parser.print_help()
        return 2
    module, func = HANDLERS[args.command].split(":")
    previous = signal.getsignal(signal.SIGTERM)
    if args.command != "serve":  # the server drains requests on SIGTERM itself
        signal.signal(signal.SIGTERM, _terminated)
    try:
        handler = getattr(import_module(f"translate.cli.{module}"), func)
        return handler(args)
    except TranslateError as exc:
        _say(f"translate: error: {printable(str(exc))}")
        return exc.exit_code
    except KeyboardInterrupt:
        from translate.formats import abort_all

        abort_all()  # no half-written output left behind, wherever the interrupt landed
        _say("translate: interrupted")
        return 130
    except BrokenPipeError:
        _stdout_closed()
        return 0
    except OSError as exc:  # one line naming the path, never a traceback
        from translate.formats import abort_all

        abort_all()
        where = f"{exc.filename}: " if exc.filename else ""
        _say(f"translate: error: {printable(where + (exc.strerror or str(exc)))}")
        return 1
    except MemoryError:
        from translate.formats import abort_all

        abort_all()
        _say("translate: error: out of memory (split the input, or use smaller batches)")
        return 1
    except Exception as exc:  # a bug: one line, the traceback with --verbose
        from translate.formats import abort_all

        abort_all()
        logger.debug("internal error", exc_info=True)
        _say(
            f"translate: internal error: {type(exc).__name__}: {printable(str(exc))} "
            "(run with --verbose for the traceback, and please report it)"
        )
        return 1
    finally:
        if args.command != "serve":
            signal.signal(signal.SIGTERM, previous)


def printable(text: str) -> str:
    """``text`` with control characters (terminal escape sequences in a file
    name, say) shown as escapes instead of acting on the terminal; the line
    breaks of a message that lists what to do are kept."""
    return "".join(
        c if c.isprintable() or c in " \n" else c.encode("unicode_escape").decode("ascii")
        for c in text
    )
