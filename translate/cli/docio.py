"""Documents on the command line: ``--from``, ``--to document`` and the
records of structured documents (locators, ``markup`` flags)."""

from __future__ import annotations

import argparse

from translate.errors import UsageError

FROM_HELP = "input format: text, html, docx or md (default: from the extension and the content)"
TO_HELP = (
    "output format (default: from the -o name's extension, else jsonl; .txt gives text, "
    ".docx and .md the translated document; .html stays the review page: the translated "
    "HTML needs --to document). text: the translation, one paragraph per line; document: "
    "the translated document in the input's own format"
)


def add_from(p: argparse.ArgumentParser) -> None:
    from translate.documents import FORMATS

    p.add_argument("--from", dest="from_format", choices=FORMATS, help=FROM_HELP)


def output_kind(args: argparse.Namespace) -> str:
    """The output format of ``run``/``align``: ``--to document`` goes with any
    document name (``-o x.html`` included), else as the formats decide."""
    from translate.formats import output_format

    if args.to == "document":
        return "document"
    return output_format(args.to, args.output)


def read_source(path: str, args: argparse.Namespace, doc_id: str | None = None):
    from translate.documents import read_document

    return read_document(
        path, getattr(args, "from_format", None), doc_id=doc_id, encoding=args.encoding
    )


def check_document_output(fmt: str, sources: list, output: str | None) -> None:
    """``--to document`` writes one document, under a name of its own kind.

    Raises:
        UsageError: several inputs, or ``-o x.docx`` for an HTML input.
    """
    from translate.documents.writer import check_suffix
    from translate.errors import OutputError

    if fmt != "document":
        return
    if len(sources) != 1:
        raise UsageError(
            "--to document writes one translated document: give one input "
            "(translate batch translates a folder of documents)"
        )
    try:
        check_suffix(output, sources[0].suffix, sources[0].name)
    except OutputError as exc:
        raise UsageError(str(exc)) from None


def finish_result(result, stats=None):
    """A translated document's records with their locators and ``markup``
    flags (:func:`translate.documents.finish`), counted in ``stats``."""
    from translate.documents import MARKUP, finish

    done = finish(result)
    if stats is not None and done is not result:
        for before, after in zip(result.records, done.records):
            if MARKUP in after.flag_codes and MARKUP not in before.flag_codes:
                stats.flags.update([MARKUP])
                stats.flagged += not before.flags
    return done
