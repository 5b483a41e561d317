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
import xml.etree.ElementTree as ET
from dataclasses import asdict
from pathlib import Path
from xml.parsers import expat

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


class _PrologEnd(Exception):
    pass


def parse_xml(path: Path) -> ET.Element:
    """Parse an XML file we did not write, refusing any entity declaration.

    The document type declaration is read first with expat alone and parsing
    stops at the first element: a DOCTYPE that declares entities (the billion
    laughs, external entities such as ``file:///etc/passwd``) is refused before
    anything is expanded. External DTDs are never fetched. A document without
    entity declarations is then parsed by ElementTree.

    Raises:
        ValueError: an entity declaration (``line N: ...``).
        ET.ParseError: not well-formed XML (an undefined entity included).
    """
    data = path.read_bytes()
    prolog = expat.ParserCreate()

    def entity(name, is_parameter, *_):
        what = "parameter entity" if is_parameter else "entity"
        raise ValueError(
            f"line {prolog.CurrentLineNumber}: the DOCTYPE declares the XML {what} {name!r}; "
            "entities are never expanded"
        )

    def element(*_):
        raise _PrologEnd

    prolog.EntityDeclHandler = entity
    prolog.UnparsedEntityDeclHandler = entity
    prolog.StartElementHandler = element
    try:
        for i in range(0, len(data), 1 << 16):
            prolog.Parse(data[i : i + (1 << 16)], False)
        prolog.Parse(b"", True)
    except _PrologEnd:
        pass
    except expat.ExpatError:
        pass  # ElementTree reports it, with its position
    return ET.fromstring(data)
