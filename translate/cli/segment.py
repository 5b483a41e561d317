"""``translate segment``: sentences with offsets, no model."""

from __future__ import annotations

import argparse
import json
import logging
import sys

logger = logging.getLogger("translate")


def cmd_segment(args: argparse.Namespace) -> int:
    from translate.cli.docio import read_source
    from translate.text.segment import segment

    doc = read_source(args.input, args).document  # text, HTML, Word, Markdown
    sentences = segment(doc.text, args.lang, doc_id=doc.id, start=doc.body_start)
    out = sys.stdout
    for k, s in enumerate(sentences):
        if args.to == "text":
            if k and s.paragraph != sentences[k - 1].paragraph:
                out.write("\n")  # an empty line between paragraphs
            out.write(" ".join(s.text.split()) + "\n")
        else:
            out.write(
                json.dumps(
                    {
                        "doc_id": s.doc_id,
                        "paragraph": s.paragraph,
                        "index": s.index,
                        "start": s.start,
                        "end": s.end,
                        "text": s.text,
                    },
                    ensure_ascii=False,
                )
                + "\n"
            )
    return 0
