"""Bilingual XML for CAT tools: TMX 1.4b, XLIFF 2.1 and XLIFF 1.2.

Everything written is escaped, and characters that XML 1.0 forbids (control
characters such as ``\\x0b`` from word processors) are dropped, so the files
always parse. Flagged pairs are marked for review in the way each format
knows: XLIFF 1.2 ``state="needs-review-translation"``; XLIFF 2.1
``state="initial"`` with ``subState="translate:needs-review"``; TMX props.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict

from translate.records import Record, Signature

_FORBIDDEN = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
LANG_TAGS = {"kk": "kk-KZ", "en": "en-US"}


def xml_clean(text: str) -> str:
    """Drop characters XML 1.0 forbids."""
    return _FORBIDDEN.sub("", text)


def xml_text(text: str) -> str:
    """Text content, escaped: ``\r`` as a character reference, since XML parsers
    turn a raw carriage return into a newline (and offsets would no longer match)."""
    return (
        xml_clean(text)
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\r", "&#13;")
    )


def xml_attr(text: str) -> str:
    return xml_text(text).replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;")


def lang_tag(code: str) -> str:
    return LANG_TAGS.get(code, code)


def run_json(signature: Signature) -> str:
    return json.dumps(asdict(signature), ensure_ascii=False)


def reasons(r: Record) -> str:
    return "; ".join(f"{f.code}: {f.reason}" for f in r.flags)


XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


X2 = "{urn:oasis:names:tc:xliff:document:2.0}"


X12 = "{urn:oasis:names:tc:xliff:document:1.2}"


def short_lang(tag: str) -> str:
    return tag.split("-")[0].lower() if tag else tag
