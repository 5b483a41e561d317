"""Checks on result files read back (``translate review``, ``translate convert``).

A result file may have been edited by hand, by a spreadsheet or a CAT tool,
or may not be ours at all. Every field read back gets its type and range
checked here, so an odd file stops with where and what is wrong
(:class:`BadResult`, which :func:`translate.formats.read_results` turns into
``InputError("PATH: not a valid result file (WHERE: WHAT)")``) instead of
failing later, in a writer, with a traceback, or being written out wrong.
"""

from __future__ import annotations

import json
import math
import re

from translate.formats.base import signature_from_dict
from translate.records import REVIEW_STATES, Flag, Record, Signature

# A score is a mean token log-probability (<= 0) or, for `translate align`, a
# confidence in 0..1: nothing we write is above 1.
SCORE_MAX = 1.0

_SURROGATE = re.compile("[\ud800-\udfff]")
_COUNT = re.compile(r"[0-9]{1,18}")


class BadResult(ValueError):
    """A result file that parses but holds something no result can hold."""


def text(where: str, name: str, value: object, *, optional: bool = False) -> str | None:
    """A string field: a ``str`` that UTF-8 can hold (no lone surrogate)."""
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise BadResult(f"{where}: {name} is {describe(value)}, not a string")
    m = _SURROGATE.search(value)
    if m:
        raise BadResult(
            f"{where}: {name} holds a lone surrogate (\\u{ord(m.group()):04x}), "
            "which is not a character and cannot be written as UTF-8"
        )
    return value


def count(where: str, name: str, value: object, *, typed: bool = False) -> int:
    """A whole number >= 0: an integer, or (not ``typed``: a text format) digits."""
    if not typed and isinstance(value, str) and _COUNT.fullmatch(value.strip()):
        return int(value)
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 10**18:
        return value
    raise BadResult(f"{where}: {name} is {describe(value)}, not a whole number >= 0")


def score(where: str, value: object, *, typed: bool = False) -> float | None:
    """A score: none (null, or empty in a text format), or a finite number <= 1;
    ``typed`` (JSON): a number, not a string."""
    if value is None or (not typed and isinstance(value, str) and not value.strip()):
        return None
    number: float | None = None
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
    elif isinstance(value, str) and not typed:
        try:
            number = float(value)
        except ValueError:
            number = None
    if number is None or not math.isfinite(number):
        raise BadResult(f"{where}: score is {describe(value)}, not a number")
    if number > SCORE_MAX:
        raise BadResult(
            f"{where}: score {value!r} is out of range (a log-probability is <= 0, "
            "an alignment confidence 0..1)"
        )
    return number


def flag(where: str, code: object, reason: object) -> Flag:
    c = text(where, "a flag code", code)
    if not c or "," in c or c != c.strip():
        raise BadResult(f"{where}: flag code {c!r} is not a code")
    return Flag(c, text(where, f"the reason of flag {c!r}", reason) or "")


def record(
    where: str,
    doc_id: object,
    paragraph: object,
    index: object,
    start: object,
    end: object,
    source: object,
    translation: object,
    score_: object,
    flags: tuple[Flag, ...],
    src_lang: object,
    tgt_lang: object,
    *,
    typed: bool = False,
    review: object = None,
    mt: object = None,
    comment: object = None,
) -> Record:
    """A :class:`Record` from fields read back, each checked; ``typed`` (JSON):
    numbers must be numbers, not digits in a string. ``review`` is a review
    state (``new`` or empty: None), ``mt`` and ``comment`` texts or None."""
    s, e = count(where, "start", start, typed=typed), count(where, "end", end, typed=typed)
    if s > e:
        raise BadResult(f"{where}: start {s} is after end {e}")
    return Record(
        text(where, "doc_id", doc_id) or "",
        count(where, "paragraph", paragraph, typed=typed),
        count(where, "index", index, typed=typed),
        s,
        e,
        text(where, "source", source) or "",
        text(where, "translation", translation) or "",
        score(where, score_, typed=typed),
        flags,
        lang(where, "src_lang", src_lang),
        lang(where, "tgt_lang", tgt_lang),
        review=review_state(where, review),
        mt=text(where, "mt", mt, optional=True),
        comment=text(where, "comment", comment, optional=True),
    )


def review_state(where: str, value: object) -> str | None:
    """A review state: ``reviewed``, ``approved`` or ``rejected``; None for
    ``new``, none or empty."""
    state = text(where, "review", value, optional=True)
    if state is None or state.strip() in ("", "new"):
        return None
    if state.strip() not in REVIEW_STATES:
        raise BadResult(f"{where}: review {state[:30]!r} is not one of {', '.join(REVIEW_STATES)}")
    return state.strip()


def lang(where: str, name: str, value: object) -> str:
    code = text(where, name, value) or ""
    if not code.strip() or len(code) > 35:  # BCP 47 tags are short
        raise BadResult(f"{where}: {name} {code[:40]!r} is not a language code")
    return code


def signature(where: str, run: object) -> Signature | None:
    """The run signature from its JSON object (a header's ``run``).

    ``None`` when there is none, or when it has fields this version does not
    know (a newer version's file: the output then gets a placeholder
    signature); wrong types are refused.
    """
    if run is None or run == {}:
        return None
    if not isinstance(run, dict):
        raise BadResult(f"{where}: the run signature is {describe(run)}, not a JSON object")
    extra = run.get("extra", [])
    if not isinstance(extra, list | tuple) or not all(
        isinstance(x, list | tuple) and len(x) == 2 for x in extra
    ):
        raise BadResult(f"{where}: the run signature's extra is not a list of pairs")
    sig = signature_from_dict(run)
    if sig is None:
        return None
    for name, value in run.items():
        if name == "extra":
            for k, v in extra:
                text(where, "a run signature extra", k)
                text(where, "a run signature extra", v)
        elif name in ("beam", "max_input_tokens", "max_output_tokens"):
            count(where, f"the run signature's {name}", value, typed=True)
        else:
            text(where, f"the run signature's {name}", value, optional=name == "revision")
    return sig


def run_json(where: str, data: str | None) -> Signature | None:
    """The run signature from its JSON text (TMX and XLIFF headers)."""
    try:
        run = json.loads(data or "{}")
    except json.JSONDecodeError as exc:
        raise BadResult(f"{where}: the run signature is not JSON ({exc.msg})") from None
    except RecursionError:
        raise BadResult(f"{where}: the run signature is JSON nested too deeply") from None
    return signature(where, run)


def describe(value: object) -> str:
    """A short description of a value for a message."""
    if value is None:
        return "missing"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, str):
        return repr(value if len(value) <= 30 else value[:27] + "...")  # repr escapes surrogates
    if isinstance(value, int | float):
        return repr(value)
    return {dict: "an object", list: "a list", tuple: "a list"}.get(
        type(value), type(value).__name__
    )
