"""Damage to a PDF that keeps it a PDF, as the fault tests and benchmarks/fuzz_faults.py do
it: a broken font map (text in font codes), a first page whose content is lost, document
information that does not decode, a compressed stream or a font's widths with a byte changed.
Byte edits on the file, found with pdfminer's parser or by the file's own syntax."""

from __future__ import annotations

import io
import re


def font_codes(data: bytes, which: int = 0) -> bytes:
    """The `which`-th font (counted in the file, wrapping round) loses its map to Unicode:
    pdfium reads its text as font codes ("FKLOGUHQ" for "children")."""
    found = [m.start() for m in re.finditer(rb"/ToUnicode", data)]
    if not found:
        return data
    at = found[which % len(found)]
    return data[:at] + b"/ToUnicodX" + data[at + 10 :]


def in_stream(data: bytes, which: int = 0) -> bytes:
    """One byte flipped in the middle of the `which`-th compressed stream (counted in the file,
    wrapping round): pdfium reads what it can of it and says nothing."""
    found = [m.end() for m in re.finditer(rb"/FlateDecode[^>]*>>\s*stream\r?\n", data)]
    if not found:
        return data
    start = found[which % len(found)]
    at = (start + data.find(b"endstream", start)) // 2
    return data[:at] + bytes([data[at] ^ 0x55]) + data[at + 1 :]


def in_widths(data: bytes, which: int = 0) -> bytes:
    """A digit of the `which`-th font's glyph widths becomes a letter ("771" -> "7j1"), as a
    flipped byte left it in fuzzer seed 1 #456: pdfium spaces that font's text wrongly."""
    found = list(re.finditer(rb"/Widths\s*(?:\[|(\d+) 0 R)", data))
    if not found:
        return data
    widths = found[which % len(found)]
    start = widths.end()
    if widths.group(1):  # the list is an object of its own
        start = re.search(rb"(?<![0-9])%s 0 obj\s*\[" % widths.group(1), data).end()
    digits = re.compile(rb"\d\d\d").search(data, start)
    assert digits, "no width of three digits"
    at = digits.start() + 1
    return data[:at] + b"j" + data[at + 1 :]


def first_page(data: bytes) -> bytes:
    """The content stream of page 1 zeroed: pdfium opens the file and reads no text there."""
    return page_lost(data, 1)


def page_lost(data: bytes, number: int) -> bytes:
    """The content stream of page `number` zeroed: pdfium opens the file and reads no text there."""
    from itertools import islice

    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import PDFObjRef

    document = PDFDocument(PDFParser(io.BytesIO(data)))
    page = next(islice(PDFPage.create_pages(document), number - 1, None))
    contents = page.attrs.get("Contents")
    refs = contents if isinstance(contents, list) else [contents]
    out = bytearray(data)
    for ref in refs:
        if not isinstance(ref, PDFObjRef):
            continue
        header = re.search(rb"(?<![0-9])%d 0 obj" % ref.objid, data)
        if header is None:
            continue
        start = data.find(b"stream", header.end()) + len(b"stream")
        start += 2 if data[start : start + 2] == b"\r\n" else 1
        end = data.find(b"endstream", start)
        out[start:end] = b"\0" * (end - start)
    return bytes(out)


def with_info(data: bytes, info: bytes) -> bytes:
    """`data` with an incremental update whose document information is `info` (as an editor
    that saves in place writes it)."""
    trailer = data[data.rfind(b"trailer") :]
    size_found = re.search(rb"/Size (\d+)", trailer)
    root_found = re.search(rb"/Root (\d+ \d+ R)", trailer)
    if size_found is None or root_found is None:  # a cross-reference stream: no update made
        return data
    size = int(size_found.group(1))
    previous = int(data[data.rfind(b"startxref") :].split()[1])
    obj = b"%d 0 obj\n<< %s >>\nendobj\n" % (size, info)
    at = len(data) + 1
    update = b"xref\n%d 1\n%010d 00000 n \ntrailer\n<< /Size %d /Root %s /Info %d 0 R /Prev %d >>\n" % (
        size,
        at,
        size + 1,
        root_found.group(1),
        size,
        previous,
    )
    return data + b"\n" + obj + update + b"startxref\n%d\n%%%%EOF\n" % (at + len(obj))
