"""Documents in, documents out: plain text, HTML, Word (.docx) and Markdown.

:func:`read_document` reads a file into a :class:`~translate.documents.base.Source`
(the format from ``fmt``, else the extension and the content), whose
``document`` the pipeline translates like any article; :func:`finish` gives
each record its ``locator`` (where the sentence stood: ``p[3]``,
``table[0]/row[1]/cell[2]``, ``html/body/div[2]/p[1]``, ``md:line 12``) and
the ``markup`` flag where inline formatting could not be kept;
:func:`render` writes the translated document in its own format.

One module per format: :mod:`~translate.documents.text`,
:mod:`~translate.documents.html` (a web page's article is extracted with
trafilatura, :mod:`~translate.documents.page`), :mod:`~translate.documents.docx`,
:mod:`~translate.documents.markdown`; :mod:`~translate.documents.base` holds
what they share. Their libraries (lxml, trafilatura, python-docx,
markdown-it-py) come with the ``documents`` extra and load on first use.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import OrderedDict
from dataclasses import replace
from importlib import import_module
from pathlib import Path

from translate.documents.base import Plan, Source, place
from translate.errors import InputError, UsageError
from translate.records import Document, DocumentResult, Flag, Record

# format -> "module:class", imported on use
REGISTRY = {
    "text": "text:read_text",
    "html": "html:read_html",
    "docx": "docx:read_docx",
    "md": "markdown:read_markdown",
}
FORMATS = tuple(REGISTRY)
SUFFIXES = {
    ".txt": "text",
    ".text": "text",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".docx": "docx",
    ".md": "md",
    ".markdown": "md",
}
# the suffix a translated document gets, by format
OUTPUT_SUFFIX = {"text": ".txt", "html": ".html", "docx": ".docx", "md": ".md"}
MARKUP = "markup"
_NEEDS = {
    "html": "lxml and trafilatura",
    "docx": "python-docx",
    "md": "markdown-it-py",
}


def detect_format(name: str, data: bytes) -> str:
    """The format of a file from its extension, else its content: a ZIP with
    ``word/document.xml`` is Word, markup that starts like HTML is HTML,
    anything else text."""
    from translate.text.magic import is_docx

    by_name = SUFFIXES.get(Path(name).suffix.lower()) if name != "-" else None
    if by_name and by_name != "text":
        return by_name
    if is_docx(data):
        return "docx"
    if by_name is None and _looks_like_html(data):
        return "html"
    return "text"


def _looks_like_html(data: bytes) -> bool:
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<!doctype html", b"<html", b"<head", b"<body")) or (
        head.startswith(b"<") and any(t in head for t in (b"<p>", b"<p ", b"<div", b"<h1"))
    )


def read_document(
    path: str | Path,
    fmt: str | None = None,
    doc_id: str | None = None,
    encoding: str | None = None,
) -> Source:
    """Read a document; ``fmt`` (``text``, ``html``, ``docx``, ``md``) forces the format.

    A PDF, an old Word file, an archive or an image is refused with what to
    do instead, whatever ``fmt`` says.

    Raises:
        InputError: missing, unreadable, a binary format we do not read, not
            valid in its format, or without text; a library of the
            ``documents`` extra is missing.
        UsageError: an unknown ``fmt``.
    """
    from translate.text.magic import is_docx
    from translate.text.reader import read_bytes, refuse_binary

    if fmt is not None and fmt not in REGISTRY:
        raise UsageError(f"unknown input format {fmt!r} (available: {', '.join(FORMATS)})")
    name, data, default_id = read_bytes(path)
    found = fmt or detect_format(name, data)
    if not is_docx(data):
        if found == "docx" and data.startswith(b"PK"):
            raise InputError(f"{name}: not a readable Word (.docx) document (a damaged ZIP?)")
        refuse_binary(name, data)  # a PDF is not read as text, whatever --from says
    source = from_bytes(data, name, doc_id or default_id, found, encoding)
    _remember(source)
    return source


def from_bytes(
    data: bytes, name: str, doc_id: str, fmt: str, encoding: str | None = None
) -> Source:
    """A document of format ``fmt`` from its bytes (see :func:`read_document`)."""
    module, attr = REGISTRY[fmt].split(":")
    try:
        reader = getattr(import_module(f"translate.documents.{module}"), attr)
    except ImportError as exc:
        raise InputError(
            f"{name}: reading {fmt.upper() if fmt != 'md' else 'Markdown'} needs {_NEEDS[fmt]} "
            f"({exc.name} is not installed): pip install 'translate-kazakh[documents]'"
        ) from None
    source = reader(data, name, doc_id, encoding)
    if not source.document.text[source.document.body_start :].strip():
        raise InputError(f"{name}: is empty (no text to translate)")
    return source


# Sources read lately, by (file, document text): finish() and render() find
# the structure of a document the pipeline translated without reading it again.
_RECENT: OrderedDict[tuple[str | None, str], Source] = OrderedDict()
_KEEP = 32


def _remember(source: Source) -> None:
    key = (source.name, source.document.text)
    _RECENT[key] = source
    _RECENT.move_to_end(key)
    while len(_RECENT) > _KEEP:
        _RECENT.popitem(last=False)


def source_of(document: Document, records: tuple[Record, ...] = ()) -> Source | None:
    """The source of a translated document: the one read lately, else its
    file read again; None for a plain-text article (or a document whose
    file is gone, or stdin).

    Raises:
        InputError: the file no longer holds the text the records come from.
    """
    found = _RECENT.get((document.source, document.text))
    if found is not None:
        return found
    name = document.source
    if not name or name == "-":
        return None
    path = Path(name)
    if SUFFIXES.get(path.suffix.lower()) == "text" or not path.is_file():
        return None
    source = read_document(path, doc_id=document.id, encoding=_encoding(document))
    if source.format == "text":
        return None
    text = source.document.text
    for r in records:
        if text[r.start : r.end] != r.source:
            raise InputError(
                f"{name}: no longer holds the text that was translated (sentence {r.index}: "
                f"{r.source[:40]!r}); translate it again"
            )
    return source


def _encoding(document: Document) -> str | None:
    return None if document.encoding in ("utf-8", "docx") else document.encoding


def block_records(source: Source, records: tuple[Record, ...]) -> list[list[int]]:
    """The indexes of each block's records (a record belongs to the block its
    start falls in)."""
    starts = [s for s, _ in source.spans]
    out: list[list[int]] = [[] for _ in source.blocks]
    for k, r in enumerate(records):
        b = bisect_right(starts, r.start) - 1
        if b >= 0:
            out[b].append(k)
    return out


def _plans(source: Source, records: tuple[Record, ...]):
    members = block_records(source, records)
    plans: list[Plan | None] = []
    issues: list[tuple[int, int, str]] = []
    for b, block in enumerate(source.blocks):
        ks = members[b]
        if not ks:
            plans.append(None)
            continue
        base = source.spans[b][0]
        sents = [(records[k].start - base, records[k].end - base) for k in ks]
        plan = place(block.text, block.marks, sents, [records[k].translation for k in ks])
        if not plan.text.strip() and source.format != "text":
            plans.append(None)  # no translation at all (flagged empty): the block stays as it was
            continue
        plans.append(plan)
        issues += [(b, off, msg) for off, msg in plan.issues]
    return plans, issues, members


def _translate(source: Source, result: DocumentResult) -> tuple[bytes, DocumentResult]:
    records = result.records
    plans, issues, members = _plans(source, records)
    data, more = source.render(plans)
    found: dict[int, list[str]] = {}
    base_of = [s for s, _ in source.spans]
    for b, offset, message in issues + more:
        ks = members[b]
        if not ks:
            continue
        at = base_of[b] + offset
        k = next((k for k in reversed(ks) if records[k].start <= at), ks[0])
        found.setdefault(k, []).append(message)
    out = []
    for k, r in enumerate(records):
        b = bisect_right(base_of, r.start) - 1
        locator = source.blocks[b].locator if b >= 0 and source.format != "text" else None
        flags = r.flags
        if k in found and MARKUP not in r.flag_codes:
            flags = flags + (Flag(MARKUP, "; ".join(dict.fromkeys(found[k]))),)
        out.append(replace(r, locator=locator if locator else r.locator, flags=flags))
    return data, DocumentResult(result.document, tuple(out))


def finish(result: DocumentResult, source: Source | None = None) -> DocumentResult:
    """The records of a translated document with their ``locator`` and, where
    inline markup could not be kept in the translation, the ``markup`` flag.
    A plain-text article's records are returned as they are."""
    source = source or source_of(result.document, result.records)
    if source is None or source.format == "text":
        return result
    return _translate(source, result)[1]


def render(result: DocumentResult, source: Source | None = None) -> tuple[bytes, str]:
    """The translated document in its own format, and its file suffix
    (``.html``); a plain-text article (or a result whose document cannot be
    found) gives the translated text (:mod:`translate.formats.text`)."""
    source = source or source_of(result.document, result.records)
    named = Path(result.document.source or "").suffix.lower()
    if source is None and SUFFIXES.get(named, "text") != "text":
        raise InputError(
            f"{result.document.source}: the original document is not there; the translated "
            "document is made from it and the records (keep it where it was translated)"
        )
    if source is None or source.format == "text":
        from translate.formats.text import article_lines

        return ("\n".join(article_lines(result)) + "\n").encode("utf-8"), ".txt"
    data, _ = _translate(source, result)
    return data, source.suffix


__all__ = [
    "FORMATS",
    "MARKUP",
    "OUTPUT_SUFFIX",
    "SUFFIXES",
    "Source",
    "detect_format",
    "finish",
    "from_bytes",
    "read_document",
    "render",
    "source_of",
]
