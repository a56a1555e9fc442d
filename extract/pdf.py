"""PDF loading: lines with their boxes through pypdfium2.

pdfium gives the text in reading order with the box of every character at ~450 pages/s,
against ~10 for pdfplumber's layout analysis, so lines and boxes come from pdfium. pdfplumber
earns its cost on tables (ruled and unruled cells): see `extract.tables`, which parsers call
only on the pages that hold one.
"""

from __future__ import annotations

import ctypes
import re
from typing import Any

from .document import Document, Line, Page
from .errors import DocumentError
from .integrity import damage_note
from .quality import page_note

# A report runs to 80 pages, a committee pack to a few hundred; beyond this it is not one document.
MAX_PAGES = 2000
# The biggest committee pack seen is ~30 MB; the file is held in memory while pdfium reads it.
MAX_PDF_BYTES = 200_000_000


def load_pdf(path: str, data: bytes, sha256: str) -> Document:
    import pypdfium2 as pdfium

    check_header(path, data)
    check_joined(path, data)
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise DocumentError(path, describe_pdfium_error(str(exc))) from None
    try:
        if len(pdf) == 0:
            raise DocumentError(path, "the PDF has no pages: re-save or re-download it")
        if len(pdf) > MAX_PAGES:
            raise DocumentError(
                path,
                f"the PDF has {len(pdf)} pages, more than the {MAX_PAGES} one document may have: "
                "split it into its documents first",
            )
        pages, notes = read_pages(path, pdf)
        metadata = metadata_of(pdf)
    finally:
        pdf.close()
    if not any(page.lines for page in pages):
        raise DocumentError(
            path,
            "the PDF has no text layer (a scan?): run OCR on it first, e.g. `ocrmypdf in.pdf out.pdf`",
        )
    damaged = damage_note(data)  # a damaged part of the file: its pages may read short, in silence
    notes = ([damaged] if damaged else []) + notes
    return Document(path, sha256, tuple(pages), is_pdf=True, metadata=metadata, notes=tuple(notes))


def metadata_of(pdf) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """The document information fields that are set. They are optional: a field that does not
    decode (a lone UTF-16 surrogate left by an editor) is read as far as it goes, never a
    reason to refuse an intact report."""
    import pypdfium2.raw as pdfium_raw

    found = {}
    for key in pdf.METADATA_KEYS:
        name = (key + "\0").encode("ascii")
        size = pdfium_raw.FPDF_GetMetaText(pdf.raw, name, None, 0)
        if size <= 2:
            continue
        buffer = ctypes.create_string_buffer(size)
        pdfium_raw.FPDF_GetMetaText(pdf.raw, name, buffer, size)
        value = buffer.raw[: size - 2].decode("utf-16-le", errors="replace").strip()
        if value:
            found[key] = value
    return found


def read_pages(path: str, pdf: Any) -> tuple[list[Page], list[str]]:
    """Every page's lines, numbered through the document, and a note for each page whose text
    reads badly (see `extract.quality.page_note`)."""
    import pypdfium2 as pdfium

    pages = []
    notes: list[str] = []
    number = 0
    for index in range(len(pdf)):
        try:
            page = pdf[index]
            width, height = page.get_size()
            found, chars = page_lines(page, height)
        except pdfium.PdfiumError as exc:
            # a damaged file, not a bug: the rows read before from a good copy are kept
            raise DocumentError(
                path,
                f"the PDF is damaged: page {index + 1} of {len(pdf)} cannot be read ({exc}); "
                "re-download it or re-save it from a PDF viewer",
            ) from None
        lines = []
        for text, bbox in found:
            number += 1
            lines.append(Line(text, index + 1, number, bbox))
        pages.append(Page(index + 1, tuple(lines), round(width, 1), round(height, 1)))
        note = page_note(index + 1, "\n".join(line.text for line in lines), chars)
        if note:
            notes.append(note)
    return pages, notes


def check_header(path: str, data: bytes) -> None:
    head = data[:1024]
    if b"%PDF-" in head:
        return
    sniff = head.lstrip().lower()
    if sniff.startswith((b"<!doctype html", b"<html")) or b"<html" in sniff[:200]:
        raise DocumentError(
            path,
            "this is an HTML web page saved with a .pdf name, not a PDF: download the report's PDF itself",
        )
    if sniff.startswith(b"pk"):
        raise DocumentError(path, "this is a zip or Office file named .pdf, not a PDF: save it as PDF")
    raise DocumentError(path, "this file is not a PDF (it has no PDF header): re-download or re-save it")


def check_joined(path: str, data: bytes) -> None:
    """Two PDFs joined byte by byte (`cat a.pdf b.pdf`) read as the last one alone: say so
    rather than lose the first without a word. A file updated in place also has a second
    %%EOF, but no new %PDF- header right after one."""
    joined = 1
    start = data.find(b"%PDF-", 1)
    while start != -1:
        end = data.rfind(b"%%EOF", 0, start)
        if end != -1 and not data[end + 5 : start].strip(b" \t\r\n\0"):
            joined += 1
        start = data.find(b"%PDF-", start + 1)
    if joined > 1:
        raise DocumentError(
            path,
            f"this file is {joined} PDFs joined end to end, and only the last would be read: "
            "keep them as separate files, or merge them with a PDF tool "
            "(e.g. `qpdf --empty --pages a.pdf b.pdf -- out.pdf`)",
        )


def describe_pdfium_error(message: str) -> str:
    lowered = message.lower()
    if "password" in lowered:
        return "the PDF is encrypted with a password: save an unprotected copy and build again"
    if "format" in lowered or "file" in lowered:
        return "the PDF is damaged or truncated and cannot be read: re-download it"
    return f"the PDF cannot be read ({message}): re-download or re-save it"


def page_lines(page, height: float) -> tuple[list[tuple[str, tuple[float, float, float, float] | None]], int]:  # type: ignore[no-untyped-def]
    """The page's lines in reading order, each with its box as (x0, top, x1, bottom), and the
    number of characters pdfium counts on the page."""
    textpage = page.get_textpage()
    try:
        text = textpage.get_text_range()
        chars = textpage.count_chars()
        aligned = pdfium_length(text) == chars
        edges = (ctypes.c_double(), ctypes.c_double(), ctypes.c_double(), ctypes.c_double())
        out = []
        offset = 0  # where the line starts, as pdfium counts characters
        for raw in text.split("\n"):
            content = raw[:-1] if raw.endswith("\r") else raw
            stripped = content.strip()
            if stripped:
                bbox = line_box(textpage, offset, pdfium_length(content), height, edges) if aligned else None
                # pdfium marks a hyphen at a line end as U+FFFE; it is printed as a hyphen
                out.append((" ".join(stripped.replace("\ufffe", "-").split()), bbox))
            offset += pdfium_length(raw) + 1
        return out, chars
    finally:
        textpage.close()


Edges = tuple[ctypes.c_double, ctypes.c_double, ctypes.c_double, ctypes.c_double]
ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def pdfium_length(text: str) -> int:
    """pdfium counts a character beyond U+FFFF (an emoji RAG mark) as two, Python as one."""
    return len(text) + len(ASTRAL.findall(text))


def line_box(
    textpage, start: int, length: int, height: float, edges: Edges
) -> tuple[float, float, float, float] | None:  # type: ignore[no-untyped-def]
    """The box of a line's characters; `edges`: where pdfium writes each rectangle's edges."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_raw

    if length <= 0:
        return None
    # pdfium's own calls, not the helper's: a report has ~150 rectangles a page, and the
    # helper's checks and new ctypes values for each were a tenth of the loader's time
    n = pdfium_raw.FPDFText_CountRects(textpage.raw, start, length)
    if n <= 0:
        return None
    left, top, right, bottom = edges
    xs0, ys0, xs1, ys1 = [], [], [], []
    for i in range(n):
        if not pdfium_raw.FPDFText_GetRect(textpage.raw, i, left, top, right, bottom):
            raise pdfium.PdfiumError(f"cannot get the box of the text at {start}")
        xs0.append(left.value)
        ys0.append(bottom.value)
        xs1.append(right.value)
        ys1.append(top.value)
    return (round(min(xs0), 1), round(height - max(ys1), 1), round(max(xs1), 1), round(height - min(ys0), 1))
