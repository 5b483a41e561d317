"""``translate segment``: sentences with offsets, no model."""

from __future__ import annotations

import argparse
import json
import logging
import sys

logger = logging.getLogger("translate")


def cmd_segment(args: argparse.Namespace) -> int:
    from translate.text.reader import read_article
    from translate.text.segment import segment

    doc = read_article(args.input, encoding=args.encoding)
    sentences = segment(doc.text, args.lang, doc_id=doc.id, start=doc.body_start)
    out = sys.stdout
    for s in sentences:
        if args.to == "text":
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
