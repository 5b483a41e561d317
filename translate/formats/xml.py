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
from datetime import UTC, datetime

from translate._version import __version__
from translate.formats.base import Writer
from translate.records import DocumentResult, Record, Signature

_FORBIDDEN = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
LANG_TAGS = {"kk": "kk-KZ", "en": "en-US"}


def xml_clean(text: str) -> str:
    """Drop characters XML 1.0 forbids."""
    return _FORBIDDEN.sub("", text)


def xml_text(text: str) -> str:
    return xml_clean(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def xml_attr(text: str) -> str:
    return (
        xml_text(text)
        .replace('"', "&quot;")
        .replace("\n", "&#10;")
        .replace("\r", "&#13;")
        .replace("\t", "&#9;")
    )


def lang_tag(code: str) -> str:
    return LANG_TAGS.get(code, code)


def run_json(signature: Signature) -> str:
    return json.dumps(asdict(signature), ensure_ascii=False)


def _reasons(r: Record) -> str:
    return "; ".join(f"{f.code}: {f.reason}" for f in r.flags)


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
                w(f"      <note>{xml_text(_reasons(r))}</note>\n")
            props = [
                ("x-doc-id", r.doc_id),
                ("x-paragraph", str(r.paragraph)),
                ("x-index", str(r.index)),
                ("x-start", str(r.start)),
                ("x-end", str(r.end)),
                ("x-score", "" if r.score is None else f"{r.score:.4f}"),
                ("x-flags", ",".join(r.flag_codes)),
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


class Xliff21Writer(Writer):
    """XLIFF 2.1: a ``file`` per document, a ``unit``/``segment`` per pair."""

    def __init__(self, signature: Signature, out, overwrite: bool = True):
        super().__init__(signature, out, overwrite)
        self.stream = self._open(self.out)
        self.stream.write(
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.1" '
            f'srcLang="{lang_tag(signature.src_lang)}" trgLang="{lang_tag(signature.tgt_lang)}">\n'
        )
        self.n = 0

    def write(self, result: DocumentResult) -> None:
        w = self.stream.write
        doc = result.document
        self.n += 1
        w(f'  <file id="f{self.n}" original="{xml_attr(doc.id)}">\n    <notes>\n')
        w(f'      <note category="translate:signature">{xml_text(str(self.signature))}</note>\n')
        w(f'      <note category="translate:run">{xml_text(run_json(self.signature))}</note>\n')
        if doc.date:
            w(f'      <note category="translate:date">{xml_text(doc.date)}</note>\n')
        w("    </notes>\n")
        for r in result.records:
            w(f'    <unit id="u{r.index}" name="{xml_attr(r.doc_id)}:{r.index}">\n      <notes>\n')
            w(
                f'        <note category="translate:position">{r.paragraph} {r.index} {r.start} {r.end}</note>\n'
            )
            if r.score is not None:
                w(f'        <note category="translate:score">{r.score:.4f}</note>\n')
            for f in r.flags:
                w(
                    f'        <note category="translate:flag" id="{xml_attr(f.code)}-{r.index}">'
                    f"{xml_text(f.code)}: {xml_text(f.reason)}</note>\n"
                )
            w("      </notes>\n")
            state = (
                'state="initial" subState="translate:needs-review"'
                if r.flags
                else 'state="translated"'
            )
            w(f'      <segment id="s{r.index}" {state}>\n')
            w(f'        <source xml:space="preserve">{xml_text(r.source)}</source>\n')
            w(f'        <target xml:space="preserve">{xml_text(r.translation)}</target>\n')
            w("      </segment>\n    </unit>\n")
        w("  </file>\n")

    def close(self) -> None:
        self.stream.write("</xliff>\n")
        super().close()


class Xliff12Writer(Writer):
    """XLIFF 1.2: a ``file`` per document, a ``trans-unit`` per pair."""

    def __init__(self, signature: Signature, out, overwrite: bool = True):
        super().__init__(signature, out, overwrite)
        self.stream = self._open(self.out)
        self.stream.write(
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">\n'
        )

    def write(self, result: DocumentResult) -> None:
        w = self.stream.write
        doc = result.document
        s = self.signature
        w(
            f'  <file original="{xml_attr(doc.id)}" source-language="{lang_tag(s.src_lang)}" '
            f'target-language="{lang_tag(s.tgt_lang)}" datatype="plaintext" tool-id="translate">\n'
            "    <header>\n"
            f'      <tool tool-id="translate" tool-name="translate" tool-version="{__version__}"/>\n'
            f'      <note from="translate:signature">{xml_text(str(s))}</note>\n'
            f'      <note from="translate:run">{xml_text(run_json(s))}</note>\n'
        )
        if doc.date:
            w(f'      <note from="translate:date">{xml_text(doc.date)}</note>\n')
        w("    </header>\n    <body>\n")
        for r in result.records:
            w(
                f'      <trans-unit id="{r.index}" resname="{xml_attr(r.doc_id)}:{r.index}" xml:space="preserve">\n'
            )
            w(f"        <source>{xml_text(r.source)}</source>\n")
            state = "needs-review-translation" if r.flags else "translated"
            w(f'        <target state="{state}">{xml_text(r.translation)}</target>\n')
            w(
                f'        <note from="translate:position">{r.paragraph} {r.index} {r.start} {r.end}</note>\n'
            )
            if r.score is not None:
                w(f'        <note from="translate:score">{r.score:.4f}</note>\n')
            for f in r.flags:
                w(
                    f'        <note from="translate:flag">{xml_text(f.code)}: {xml_text(f.reason)}</note>\n'
                )
            w("      </trans-unit>\n")
        w("    </body>\n  </file>\n")

    def close(self) -> None:
        self.stream.write("</xliff>\n")
        super().close()
