"""Reading a file into a `Document`: the one entry point for PDFs and text exports."""

from __future__ import annotations

import hashlib
from pathlib import Path

from .document import Document
from .errors import DocumentError
from .furniture import remove_furniture
from .pdf import load_pdf
from .textfile import load_text

PDF_SUFFIXES = (".pdf",)
TEXT_SUFFIXES = (".txt", ".text", ".md", ".markdown", ".html", ".htm")
SUPPORTED_SUFFIXES = PDF_SUFFIXES + TEXT_SUFFIXES
UNSUPPORTED_HINTS = {
    ".doc": "Word documents are not read: save it as PDF",
    ".docx": "Word documents are not read: save it as PDF",
    ".odt": "word-processor files are not read: save it as PDF",
    ".xls": "spreadsheets are not read: save the sheet as PDF",
    ".xlsx": "spreadsheets are not read: save the sheet as PDF",
    ".csv": "spreadsheets are not read: save the sheet as PDF",
    ".png": "images are not read: run OCR to make a PDF with a text layer",
    ".jpg": "images are not read: run OCR to make a PDF with a text layer",
    ".jpeg": "images are not read: run OCR to make a PDF with a text layer",
    ".tif": "images are not read: run OCR to make a PDF with a text layer",
    ".tiff": "images are not read: run OCR to make a PDF with a text layer",
}


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def load(path: str | Path) -> Document:
    """Load a file as a clean document: text in reading order, furniture removed.

    Raises DocumentError with a one-line reason for anything that cannot be used."""
    path = str(path)
    suffix = Path(path).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        hint = UNSUPPORTED_HINTS.get(suffix, "only PDF, text, markdown and HTML files are read")
        raise DocumentError(path, f"unsupported file type {suffix or '(none)'}: {hint}")
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise DocumentError(
            path, f"cannot be read ({exc.strerror}): check that it exists and that you may read it"
        ) from None
    if not data:
        raise DocumentError(path, "the file is empty (0 bytes): re-download or re-export it")
    digest = sha256_of(data)
    doc = load_pdf(path, data, digest) if suffix in PDF_SUFFIXES else load_text(path, data, digest)
    return remove_furniture(doc)
