"""Binary file formats told by their first bytes (magic numbers), so that a
PDF, an old Word file, an archive or an image is refused with what to do
instead of being read as text."""

from __future__ import annotations

import io
import zipfile

# (prefix, what it is, what to do); FILE stands for the file's name
_MAGIC: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "a PDF file", "extract its text first (e.g. pdftotext FILE out.txt) and translate that"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Word (.doc) or other Office 97-2003 file",
     "save it as .docx or text (e.g. soffice --headless --convert-to docx FILE) and translate that"),
    (b"{\\rtf", "an RTF file",
     "save it as .docx or text (e.g. soffice --headless --convert-to docx FILE) and translate that"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image", "recognise its text first (e.g. tesseract FILE out -l kaz) and translate out.txt"),
    (b"\xff\xd8\xff", "a JPEG image", "recognise its text first (e.g. tesseract FILE out -l kaz) and translate out.txt"),
    (b"GIF87a", "a GIF image", "recognise its text first (e.g. tesseract FILE out -l kaz) and translate out.txt"),
    (b"GIF89a", "a GIF image", "recognise its text first (e.g. tesseract FILE out -l kaz) and translate out.txt"),
    (b"II*\x00", "a TIFF image", "recognise its text first (e.g. tesseract FILE out -l kaz) and translate out.txt"),
    (b"MM\x00*", "a TIFF image", "recognise its text first (e.g. tesseract FILE out -l kaz) and translate out.txt"),
    (b"\x1f\x8b", "a gzip archive", "unpack it first (gunzip FILE) and translate what it holds"),
    (b"BZh", "a bzip2 archive", "unpack it first (bunzip2 FILE) and translate what it holds"),
    (b"\xfd7zXZ\x00", "an xz archive", "unpack it first (unxz FILE) and translate what it holds"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive", "unpack it first and translate what it holds"),
    (b"Rar!\x1a\x07", "a RAR archive", "unpack it first and translate what it holds"),
)  # fmt: skip

_ZIP = (b"PK\x03\x04", b"PK\x05\x06")
_OCR = "recognise its text first (e.g. tesseract FILE out -l kaz) and translate out.txt"
_SAVE_AS = (
    "save it as .docx or text (e.g. soffice --headless --convert-to docx FILE) and translate that"
)


def is_docx(data: bytes) -> bool:
    """Whether ``data`` is a Word (OOXML) document: a ZIP holding word/document.xml."""
    return data.startswith(_ZIP) and _zip_kind(data) == "docx"


def binary_format(data: bytes) -> tuple[str, str] | None:
    """What a binary file is and what to do with it, or None for anything
    else (text, or a binary file we cannot name). A Word (.docx) document is
    ``("a Word (.docx) document", ...)``: callers that read documents check
    :func:`is_docx` first."""
    if data.startswith(b"BZh") and not data[3:4].isdigit():
        return None  # "BZh" is also how a text can start
    for prefix, what, todo in _MAGIC:
        if data.startswith(prefix):
            return what, todo
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "a WebP image", _OCR
    if data[4:8] == b"ftyp" and data[8:12] in (b"heic", b"heix", b"mif1", b"avif"):
        return "a HEIC/AVIF image", _OCR
    if data.startswith(_ZIP):
        kind = _zip_kind(data)
        return {
            "docx": ("a Word (.docx) document", "translate it with 'translate run' (pip install 'translate-kazakh[documents]')"),
            "odt": ("an OpenDocument text (.odt) file", _SAVE_AS),
            "xlsx": ("an Excel spreadsheet", "save the cells to translate as text and translate that"),
            "pptx": ("a PowerPoint presentation", "save it as .docx or text and translate that"),
            "epub": ("an EPUB e-book", "convert it to HTML or text first (e.g. ebook-convert FILE out.txt) and translate that"),
        }.get(kind, ("a ZIP archive", "unpack it (unzip FILE -d DIR) and translate its files (translate batch DIR)"))  # fmt: skip
    return None


def _zip_kind(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            names = set(z.namelist())
            mimetype = z.read("mimetype")[:100] if "mimetype" in names else b""
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError, ValueError, EOFError):
        return "zip"
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "ppt/presentation.xml" in names:
        return "pptx"
    if mimetype.startswith(b"application/vnd.oasis.opendocument"):
        return "odt"
    if mimetype.startswith(b"application/epub"):
        return "epub"
    return "zip"


def refusal(name: str, data: bytes) -> str | None:
    """The one-line message for a binary format we do not read, or None."""
    found = binary_format(data)
    if found is None:
        return None
    what, todo = found
    return f"{name}: {what}; {todo.replace('FILE', name)}"
