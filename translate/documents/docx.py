"""Word (.docx) in and out (python-docx).

Blocks are the paragraphs with text, in reading order: the body's paragraphs
(headings and list items are paragraphs with a style), the cells of tables
(nested tables too), content controls, then each section's headers and
footers. Locators: ``p[3]`` (as ``document.paragraphs[3]``),
``table[0]/row[1]/cell[2]`` (``/p[1]`` added when a cell has several
paragraphs), ``section[0]/header/p[0]``.

Writing keeps every paragraph, its style and properties: the translation goes
into the first run that carries text (outside a hyperlink when there is one),
keeping that run's formatting, and the other runs' text is emptied (their
pictures, page breaks and fields stay). A run whose formatting differed, or
a hyperlink whose text went, is flagged ``markup``. Fields (page numbers,
tables of contents) and deleted text of tracked changes are left alone.
Text boxes, footnotes and comments are not translated.
"""

from __future__ import annotations

import io
import zipfile

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.text.run import Run
from lxml import etree

from translate.documents.base import Block, Plan, Source, TextBuilder, short
from translate.errors import InputError

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
MAX_EXPANDED = 512 * 2**20  # bytes a .docx may hold once unpacked
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
# run children that hold text (a page or column break is not text: it stays)
_TEXT = {W + t for t in ("t", "tab", "br", "cr", "noBreakHyphen", "softHyphen", "sym", "ptab")}
_SKIPPED = (W + "del", W + "moveFrom", W + "fldSimple")
# run properties that do not change how text looks
_INVISIBLE = {"lang", "noProof", "webHidden", "snapToGrid", "rtl", "cs", "specVanish"}
_NAMES = {"b": "bold", "i": "italic", "u": "underline", "strike": "strikethrough",
          "color": "colour", "highlight": "highlight", "sz": "size", "rFonts": "font",
          "vertAlign": "superscript/subscript", "rStyle": "character style",
          "caps": "capitals", "smallCaps": "small capitals", "shd": "shading"}  # fmt: skip


def read_docx(data: bytes, name: str, doc_id: str, encoding: str | None = None) -> DocxSource:
    return DocxSource(data, name, doc_id)


class DocxSource(Source):
    format = "docx"
    binary = True

    def __init__(self, data: bytes, name: str, doc_id: str) -> None:
        self.data = data
        self.name = name
        blocks = self._collect(self._open())
        super().__init__(name, blocks, doc_id, encoding="utf-8", suffix=".docx")

    def _open(self):
        try:
            with zipfile.ZipFile(io.BytesIO(self.data)) as z:
                size = sum(i.file_size for i in z.infolist())
            if size > MAX_EXPANDED:  # a zip bomb, or a document no one translates whole
                raise InputError(
                    f"{self.name}: expands to {size // 2**20} MB (over "
                    f"{MAX_EXPANDED // 2**20} MB); split it first"
                )
            return docx.Document(io.BytesIO(self.data))
        except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError,
                etree.XMLSyntaxError) as exc:  # fmt: skip
            raise InputError(
                f"{self.name}: not a readable Word (.docx) document ({exc or type(exc).__name__})"
            ) from None

    # reading ---------------------------------------------------------------
    def _collect(self, document) -> list[Block]:
        blocks: list[Block] = []
        body = document.element.body
        self._story(body, "", blocks, document.part)
        seen: set[int] = set()
        for k, sect in enumerate(body.iter(W + "sectPr")):
            for ref in sect:
                if ref.tag not in (W + "headerReference", W + "footerReference"):
                    continue
                part = document.part.related_parts.get(ref.get(R_ID))
                if part is None or id(part) in seen or not hasattr(part, "element"):
                    continue
                seen.add(id(part))
                what = "header" if ref.tag == W + "headerReference" else "footer"
                kind = ref.get(W + "type") or "default"
                where = what if kind == "default" else f"{kind}_page_{what}"
                self._story(part.element, f"section[{k}]/{where}/", blocks, part)
        return blocks

    def _story(self, container, prefix: str, blocks: list[Block], part) -> None:
        counts = {"p": 0, "tbl": 0, "sdt": 0}
        for child in container:
            if child.tag == W + "p":
                self._paragraph(child, f"{prefix}p[{counts['p']}]", blocks, part)
                counts["p"] += 1
            elif child.tag == W + "tbl":
                self._table(child, f"{prefix}table[{counts['tbl']}]", blocks, part)
                counts["tbl"] += 1
            elif child.tag == W + "sdt":
                content = child.find(W + "sdtContent")
                if content is not None:
                    self._story(content, f"{prefix}sdt[{counts['sdt']}]/", blocks, part)
                counts["sdt"] += 1

    def _table(self, tbl, where: str, blocks: list[Block], part) -> None:
        for r, tr in enumerate(tbl.findall(W + "tr")):
            for c, tc in enumerate(tr.findall(W + "tc")):
                cell = f"{where}/row[{r}]/cell[{c}]"
                found: list[Block] = []
                self._story(tc, cell + "/", found, part)
                if len(found) == 1 and found[0].locator == cell + "/p[0]":
                    found[0].locator = cell
                blocks += found

    def _paragraph(self, p, where: str, blocks: list[Block], part) -> None:
        b = TextBuilder()
        offsets = []
        for _run, text, _link in runs_of(p):
            offsets.append(b.open())
            b.add(text)
            b.depth -= 1
        if b.text:
            blocks.append(Block(b.text, where, [], (p, part, offsets)))

    # writing ---------------------------------------------------------------
    def render(self, plans: list[Plan | None]) -> tuple[bytes, list[tuple[int, int, str]]]:
        document = self._open()
        blocks = self._collect(document)
        issues: list[tuple[int, int, str]] = []
        for k, (block, plan) in enumerate(zip(blocks, plans)):
            if plan is not None:
                p, part, offsets = block.handle
                issues += [(k, at, msg) for at, msg in _write(p, part, offsets, plan.text)]
        out = io.BytesIO()
        document.save(out)
        return out.getvalue(), issues


def runs_of(p) -> list[tuple[object, str, object]]:
    """The runs of paragraph ``p`` that carry its text: ``(run, text,
    hyperlink or None)``, in order; runs of fields, deleted text and nested
    paragraphs (text boxes) left out."""
    out = []
    depth = 0  # inside a complex field (fldChar begin ... end)
    for r in p.iter(W + "r"):
        owner, link, skipped = r.getparent(), None, False
        while owner is not None and owner.tag != W + "p":
            if owner.tag in _SKIPPED:
                skipped = True
            if owner.tag == W + "hyperlink" and link is None:
                link = owner
            owner = owner.getparent()
        if owner is not p:
            continue
        field = depth > 0
        for fc in r.iter(W + "fldChar"):
            kind = fc.get(W + "fldCharType")
            field = True
            depth += 1 if kind == "begin" else -1 if kind == "end" else 0
            depth = max(depth, 0)
        if skipped or field:
            continue
        out.append((r, Run(r, None).text, link))
    return out


def _looks(r) -> dict[str, str]:
    """How a run's text looks: its visible run properties."""
    rpr = r.find(W + "rPr")
    if rpr is None:
        return {}
    return {
        etree.QName(c).localname: etree.tostring(c)
        for c in rpr
        if isinstance(c.tag, str) and etree.QName(c).localname not in _INVISIBLE
    }


def _write(p, part, offsets: list[int], translation: str) -> list[tuple[int, str]]:
    """Put ``translation`` into the paragraph's first text run and empty the
    others; what changed the look of the text, as ``(offset, message)``."""
    runs = [(r, text, link, at) for (r, text, link), at in zip(runs_of(p), offsets) if text]
    if not runs:
        return []
    carrier = next((x for x in runs if x[2] is None), runs[0])
    look = _looks(carrier[0])
    issues = []
    for r, text, link, at in runs:
        for c in list(r):
            if c.tag in _TEXT and not (
                c.tag == W + "br" and c.get(W + "type") in ("page", "column")
            ):
                r.remove(c)
        if r is carrier[0]:
            t = etree.SubElement(r, W + "t")
            t.text = translation
            t.set(XML_SPACE, "preserve")
            continue
        if link is not None and link is not carrier[2] and text.strip():
            target = link.get(W + "anchor")
            target = "#" + target if target else _target(part, link.get(R_ID))
            issues.append((at, f"dropped link to {target} around «{short(text)}»"))
            continue
        other = _looks(r)
        if other != look and text.strip():
            what = sorted({_NAMES.get(k, k) for k in set(other) ^ set(look)} | {
                _NAMES.get(k, k) for k in set(other) & set(look) if other[k] != look[k]
            })  # fmt: skip
            issues.append(
                (at, f"merged «{short(text)}» ({', '.join(what)}) into the first run's formatting")
            )
    return issues


def _target(part, rid: str | None) -> str:
    try:
        return part.rels[rid].target_ref
    except (KeyError, AttributeError):
        return "a target"
