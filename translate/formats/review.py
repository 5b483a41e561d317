"""Review states in the XML formats: XLIFF 2 ``state``/``subState`` and
XLIFF 1.2 ``state``/``state-qualifier``, both ways (the review page's script,
``page/review.js``, writes the same).

Written: *new* is XLIFF 2 ``translated`` (``initial`` with
``translate:needs-review`` when flagged), XLIFF 1.2 ``translated``
(``needs-review-translation`` when flagged, with ``leveraged-mt`` while the
target is the machine's); *reviewed* is ``reviewed``/``translate:reviewed``
and 1.2 ``signed-off``; *approved* is ``final``/``translate:approved`` and
1.2 ``final``; *rejected* is ``initial``/``translate:rejected`` and 1.2
``needs-translation`` with ``rejected-inaccurate``.

Read back, the state decides and a ``subState`` (or qualifier) only refines
it where they agree: a CAT tool that sets ``final`` and leaves our
``translate:needs-review`` gives *approved*; ``translated`` or ``initial``
from a CAT tool is *new* (a person may have translated it, nobody reviewed
it); XLIFF 1.2 ``signed-off`` is *reviewed*, ``final`` *approved*, any
``rejected-*`` qualifier *rejected*.
"""

from __future__ import annotations

from translate.records import REVIEW_STATES, Record

_X2_WRITE = {
    "reviewed": ("reviewed", "translate:reviewed"),
    "approved": ("final", "translate:approved"),
    "rejected": ("initial", "translate:rejected"),
}
_X12_WRITE = {
    "reviewed": ("signed-off", None),
    "approved": ("final", None),
    "rejected": ("needs-translation", "rejected-inaccurate"),
}


def xliff2_state(r: Record) -> tuple[str, str | None]:
    """XLIFF 2 ``state`` and ``subState`` of a pair."""
    if r.review in _X2_WRITE:
        return _X2_WRITE[r.review]
    return ("initial", "translate:needs-review") if r.flags else ("translated", None)


def xliff12_state(r: Record, machine: bool = True) -> tuple[str, str | None]:
    """XLIFF 1.2 ``state`` and ``state-qualifier`` of a pair; ``machine``: the
    translations are a model's (not an alignment's), so an unedited one is
    ``leveraged-mt``."""
    if r.review in _X12_WRITE:
        return _X12_WRITE[r.review]
    state = "needs-review-translation" if r.flags else "translated"
    return state, "leveraged-mt" if machine and r.mt is None else None


def review_from_xliff2(state: str | None, sub_state: str | None) -> str | None:
    """The review state of an XLIFF 2 segment (None: new)."""
    ours = (sub_state or "").removeprefix("translate:")
    if ours not in REVIEW_STATES:
        ours = ""
    if state == "final":
        return "approved"
    if state == "reviewed":
        return "rejected" if ours == "rejected" else "reviewed"
    if state == "initial" and ours == "rejected":
        return "rejected"
    return None


def review_from_xliff12(state: str | None, qualifier: str | None) -> str | None:
    """The review state of an XLIFF 1.2 target (None: new)."""
    if (qualifier or "").startswith("rejected-"):
        return "rejected"
    return {
        "final": "approved",
        "signed-off": "reviewed",
        "reviewed": "reviewed",
        "x-reviewed": "reviewed",
    }.get(state or "")


def least_reviewed(states: list[str | None]) -> str | None:
    """One state for a unit of several segments: a rejected segment rejects
    the unit, a new one leaves it new; else the least advanced of the others."""
    if "rejected" in states:
        return "rejected"
    if not states or None in states:
        return None
    return "reviewed" if "reviewed" in states else "approved"
