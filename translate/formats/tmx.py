"""TMX 1.4b: one ``tu`` per pair, our fields as ``prop``s, reasons in a ``note``."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime

from translate._version import __version__
from translate.formats import checks
from translate.formats.base import Writer
from translate.formats.xml import (
    XML_LANG,
    lang_tag,
    reasons,
    run_json,
    short_lang,
    xml_attr,
    xml_text,
)
from translate.records import Document, DocumentResult, Record, Signature


class TmxWriter(Writer):
    """TMX 1.4b: one ``tu`` per pair, with props for document, index, score and flags."""

    def __init__(self, signature: Signature, out, overwrite: bool = True):
        super().__init__(signature, out, overwrite)
        self.stream = self._open(self.out)
        now = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        w = self.stream.write
        w('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n')
        w('<tmx version="1.4">\n')
        w(
            f'  <header creationtool="translate" creationtoolversion="{__version__}" '
            f'datatype="plaintext" segtype="sentence" adminlang="en-US" '
            f'srclang="{lang_tag(signature.src_lang)}" o-tmf="translate" creationdate="{now}">\n'
        )
        w(f'    <prop type="x-signature">{xml_text(str(signature))}</prop>\n')
        w(f'    <prop type="x-translate-run">{xml_text(run_json(signature))}</prop>\n')
        w("  </header>\n  <body>\n")

    def write(self, result: DocumentResult) -> None:
        w = self.stream.write
        for r in result.records:
            w(f'    <tu tuid="{xml_attr(r.doc_id)}:{r.index}">\n')
            if r.flags:
                w(f"      <note>{xml_text(reasons(r))}</note>\n")
            props = [
                ("x-doc-id", r.doc_id),
                ("x-paragraph", str(r.paragraph)),
                ("x-index", str(r.index)),
                ("x-start", str(r.start)),
                ("x-end", str(r.end)),
                ("x-score", "" if r.score is None else f"{r.score:.4f}"),
                ("x-flags", ",".join(r.flag_codes)),
            ]
            props += [
                (f"x-{k}", v)
                for k, v in (("review", r.review), ("mt", r.mt), ("comment", r.comment))
                if v is not None
            ]
            for k, v in props:
                w(f'      <prop type="{k}">{xml_text(v)}</prop>\n')
            if result.document.date and r.index == 0:
                w(f'      <prop type="x-doc-date">{xml_text(result.document.date)}</prop>\n')
            w(
                f'      <tuv xml:lang="{lang_tag(r.src_lang)}"><seg>{xml_text(r.source)}</seg></tuv>\n'
            )
            w(
                f'      <tuv xml:lang="{lang_tag(r.tgt_lang)}"><seg>{xml_text(r.translation)}</seg></tuv>\n'
            )
            w("    </tu>\n")

    def close(self) -> None:
        self.stream.write("  </body>\n</tmx>\n")
        super().close()


def read_tmx(root: ET.Element) -> tuple[Signature | None, list[DocumentResult]]:
    """Our TMX (or another tool's: one ``tu`` per pair, two ``tuv``s with a ``seg``).

    Raises:
        BadResult: a ``tu`` without exactly two ``tuv``s or a ``tuv`` without
            ``seg``, a prop of the wrong kind (``tu N: ...``, counted from 1).
    """
    header = root.find("header")
    signature = None
    src_tag = header.get("srclang", "kk") if header is not None else "kk"
    if header is not None:
        for prop in header.findall("prop"):
            if prop.get("type") == "x-translate-run":
                signature = checks.run_json("header", prop.text)
    docs: dict[str, list[Record]] = {}
    dates: dict[str, str] = {}
    for i, tu in enumerate(root.iter("tu")):
        where = f"tu {i + 1}"
        props = {x.get("type"): x.text or "" for x in tu.findall("prop")}
        tuvs = tu.findall("tuv")
        if len(tuvs) != 2:
            raise checks.BadResult(f"{where}: {len(tuvs)} tuv element(s), not a pair (2)")
        src = next((t for t in tuvs if t.get(XML_LANG) == src_tag), tuvs[0])
        tgt = tuvs[1] if src is tuvs[0] else tuvs[0]
        src_seg, tgt_seg = src.find("seg"), tgt.find("seg")
        if src_seg is None or tgt_seg is None:
            raise checks.BadResult(f"{where}: a tuv without seg")
        note = tu.findtext("note") or ""
        reasons = dict(x.split(": ", 1) for x in note.split("; ") if ": " in x)
        doc_id = props.get("x-doc-id", "doc")
        if "x-doc-date" in props:
            dates[doc_id] = props["x-doc-date"]
        codes = [c.strip() for c in props.get("x-flags", "").split(",") if c.strip()]
        docs.setdefault(doc_id, []).append(
            checks.record(
                where,
                doc_id,
                props.get("x-paragraph", "0"),
                props.get("x-index", str(i)),
                props.get("x-start", "0"),
                props.get("x-end", "0"),
                "".join(src_seg.itertext()),
                "".join(tgt_seg.itertext()),
                props.get("x-score"),
                tuple(checks.flag(where, c, reasons.get(c, "")) for c in codes),
                short_lang(src.get(XML_LANG, "kk")),
                short_lang(tgt.get(XML_LANG, "en")),
                review=props.get("x-review"),
                mt=props.get("x-mt"),
                comment=props.get("x-comment"),
            )
        )
    return signature, [
        DocumentResult(Document(d, "", date=dates.get(d)), tuple(rs)) for d, rs in docs.items()
    ]
