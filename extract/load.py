"""Reading a file into a `Document`: the one entry point for PDFs and text exports.

Only regular files are read, opened without blocking, so a FIFO, a device or a socket named
like a document is refused instead of hanging the build; sizes are capped before reading.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import stat
from pathlib import Path

from .document import Document
from .errors import DocumentError
from .furniture import remove_furniture
from .pdf import MAX_PDF_BYTES, load_pdf
from .textfile import MAX_TEXT_BYTES, load_text

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
# What to do when the operating system refuses a file, by the reason it gives.
OS_ERROR_HINTS = {
    errno.EACCES: "you may not read it: change its permissions (chmod +r) or copy it where you may read it",
    errno.EPERM: "you may not read it: change its permissions (chmod +r) or copy it where you may read it",
    errno.ELOOP: "it is a link that leads round in a circle: point the link at the file itself, or remove it",
    errno.ENOENT: "it is gone, or a link whose file is gone: put the file back or remove the link",
    errno.EISDIR: "it is a folder: build the folder instead",
}


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def printable(path: str) -> str:
    """A path as it can be shown and stored: bytes of a file name that are not UTF-8 (kept by
    Python as surrogates) and control characters (a line break) become \\xNN, and a backslash
    is doubled, so one odd name never stops a build or a message, two names are never one,
    and `real_path` gives the file's own name back."""
    try:
        name = os.fsencode(path).decode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a surrogate that no byte stands for: shown as its code
        name = path.encode("utf-8", "backslashreplace").decode("utf-8")
    out = []
    for char in name:
        code = ord(char)
        if 0xDC80 <= code <= 0xDCFF:
            out.append(f"\\x{code - 0xDC00:02x}")
        elif char == "\\":
            out.append("\\\\")
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\x{code:02x}")
        else:
            out.append(char)
    return "".join(out)


STORED_ESCAPE = re.compile(r"\\(\\|x[0-9a-f]{2})")


def real_path(stored: str) -> str:
    """The file a stored path (`printable`) names, as the operating system names it. A stored
    path of an older version (a backslash not doubled) is read as it was written."""

    def unescape(found: re.Match[str]) -> str:
        escape = found.group(1)
        if escape == "\\":
            return "\\"
        code = int(escape[1:], 16)
        return chr(0xDC00 + code) if code >= 0x80 else chr(code)

    name = STORED_ESCAPE.sub(unescape, stored)
    return os.fsdecode(name.encode("utf-8", "surrogateescape"))


def cannot_read(path: str, exc: OSError) -> DocumentError:
    hint = OS_ERROR_HINTS.get(exc.errno or 0, "check that it exists and that you may read it")
    return DocumentError(path, f"cannot be read ({exc.strerror or exc}): {hint}")


def size_cap(path: str) -> int:
    return MAX_PDF_BYTES if Path(path).suffix.lower() in PDF_SUFFIXES else MAX_TEXT_BYTES


def open_regular(path: str, cap: int | None = None):  # type: ignore[no-untyped-def]
    """The file opened for reading in binary, only if it is a regular file of at most `cap`
    bytes. Opening does not block (a FIFO would wait for a writer for ever)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise cannot_read(path, exc) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise DocumentError(path, f"{special_kind(info.st_mode)}, not a file: remove it from the folder")
        if cap is not None and info.st_size > cap:
            raise DocumentError(
                path,
                f"the file is {info.st_size / 1e6:.0f} MB, more than the {cap / 1e6:.0f} MB one document "
                "may have: split it into its documents",
            )
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def special_kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "this is a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "this is a device"
    if stat.S_ISSOCK(mode):
        return "this is a socket"
    if stat.S_ISDIR(mode):
        return "this is a folder"
    return "this is a special file"


def read_regular(path: str) -> bytes:
    """The bytes of a regular file within its size cap, or a DocumentError saying why not."""
    with open_regular(path, size_cap(path)) as handle:
        try:
            return handle.read()
        except OSError as exc:
            raise cannot_read(path, exc) from None


def sha256_file(path: str) -> str:
    """The file's SHA-256, read in blocks; refused as `read_regular` refuses."""
    digest = hashlib.sha256()
    with open_regular(path, size_cap(path)) as handle:
        try:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        except OSError as exc:
            raise cannot_read(path, exc) from None
    return digest.hexdigest()


def load(path: str | Path) -> Document:
    """Load a file as a clean document: text in reading order, furniture removed.

    Raises DocumentError with a one-line reason for anything that cannot be used."""
    path = str(path)
    suffix = Path(path).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        hint = UNSUPPORTED_HINTS.get(suffix, "only PDF, text, markdown and HTML files are read")
        raise DocumentError(path, f"unsupported file type {suffix or '(none)'}: {hint}")
    data = read_regular(path)
    if not data:
        raise DocumentError(path, "the file is empty (0 bytes): re-download or re-export it")
    digest = sha256_of(data)
    doc = load_pdf(path, data, digest) if suffix in PDF_SUFFIXES else load_text(path, data, digest)
    return remove_furniture(doc)
