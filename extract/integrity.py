"""Damage seen in a PDF's bytes: compressed parts that do not decode whole, and words where
PDF syntax should be.

pdfium reads what it can of a damaged file and says nothing, so a damaged page comes out
shorter, with letters or spaces missing, or in another order, and a first build (with
nothing stored to compare with) would store it in silence. Two checks of the file itself
see most such damage:

- Nearly all of a report's content is Flate-compressed (page text, fonts and their maps to
  Unicode, object streams), and Flate carries a checksum: a flipped, zeroed, cut or repeated
  byte in such a part makes it fail to decode, or decode short (`damaged_streams`). A stream
  whose Flate data is written as text first (`[ /ASCII85Decode /FlateDecode ]`) is decoded
  through that chain; one with another filter before Flate is not judged.
- The rest (the objects' dictionaries and arrays: a font's glyph widths, a stream's length)
  is PDF syntax: numbers, names, strings, a few keywords. A flipped byte there leaves a
  token that is none of them ("7j1" in a list of widths, and pdfium spaces a font's text
  wrongly) (`bad_syntax`).
- A file's cross-reference table says at which byte each object starts. An object that is
  not there any more (zeroed, cut or overwritten: NULs read as white space, so the syntax
  check sees nothing) is a font or a page pdfium silently does without (`lost_objects`).

None finds anything in any of the 467 intact PDFs of the shared collections (ofsted,
ofsted-more, ofsted-2025-26, letters), so what they find is damage. Pure: bytes in, byte
offsets out; `damage_note` is what `extract.pdf.load_pdf` notes on the document.
"""

from __future__ import annotations

import base64
import binascii
import re
import zlib

# Where a stream's data starts: the end of its dictionary, the keyword, one end of line.
STREAM_START = re.compile(rb">>\s*stream(?:\r\n|\n|\r)")
# How far back a stream's dictionary is looked for (a font's is a few hundred bytes).
DICT_REACH = 600
# Bytes of decoded data held at once while a stream is checked.
INFLATE_PIECE = 1 << 20
# A stream's filters: one name, or an array of them applied in order ("[ /ASCII85Decode
# /FlateDecode ]", written by old Ghostscript, Distiller and reportlab's pageCompression).
FILTER = re.compile(rb"/Filter\s*(\[[^\]]*\]|/[^\s/\[\]<>()]+)")
FILTER_NAME = re.compile(rb"/([^\s/\[\]<>()]+)")
# The Flate filter, by its name and its abbreviation (an inline form some writers use).
FLATE = (b"FlateDecode", b"Fl")
# PDF syntax outside streams, skipped in runs (one match for a list of a thousand widths):
# white space, brackets, names, numbers and keywords. What stops a run is a string, a hex
# string, a comment, a stream, or a token that is none of these: damage.
REGULAR = rb"[^\s\x00()<>\[\]{}/%]"  # a NUL is white space in PDF
KEYWORDS = rb"obj|endobj|R|true|false|null|xref|trailer|startxref|f|n"
GOOD_RUN = re.compile(
    rb"(?:[\s\x00\[\]{}]+|<<|>>|/%s*|(?:[+-]?(?:\d+\.?\d*|\.\d+)|%s)(?!%s))*" % (REGULAR, KEYWORDS, REGULAR)
)
BAD_TOKEN = re.compile(rb"%s+|." % REGULAR, re.DOTALL)
LINE_END = re.compile(rb"[\r\n]")
# A classic cross-reference table and its subsections of 20-byte entries ("0000012282 00000 n").
XREF_TABLE = re.compile(rb"xref\s+((?:\d+\s+\d+\s+(?:\d{10}\s+\d{5}\s+[nf]\s*)+)+)")
XREF_SUBSECTION = re.compile(rb"(\d+)\s+(\d+)\s+((?:\d{10}\s+\d{5}\s+[nf]\s*)+)")
XREF_ENTRY = re.compile(rb"(\d{10})\s+(\d{5})\s+([nf])")
# What starts where an entry points: "6 0 obj" (one pattern, not one made for each entry).
OBJECT_HEAD = re.compile(rb"\s*(\d+)\s+(\d+)\s+obj")


def ascii85(data: bytes) -> bytes:
    """ASCII85Decode: a PDF's ASCII85 ends with "~>" and has no "<~"."""
    return base64.a85decode(data.rstrip(), adobe=True)


def ascii_hex(data: bytes) -> bytes:
    """ASCIIHexDecode: hex digits up to ">", white space ignored, an odd last digit
    followed by 0."""
    digits = bytes(data.split(b">", 1)[0].translate(None, b" \t\r\n\f\x00"))
    return bytes.fromhex((digits + b"0" * (len(digits) % 2)).decode("ascii"))


# The text encodings undone before a stream's Flate data is checked, by name and abbreviation.
TEXT_FILTERS = {b"ASCII85Decode": ascii85, b"A85": ascii85, b"ASCIIHexDecode": ascii_hex, b"AHx": ascii_hex}


def damaged_streams(data: bytes) -> list[int]:
    """The byte offsets of the Flate streams of `data` that do not decode whole (a decoding
    error, a failed checksum, or data that ends before the stream does). An encrypted file's
    streams are not plain Flate data: they are not judged."""
    if b"/Encrypt" in data:
        return []
    found = []
    for start in STREAM_START.finditer(data):
        head = data[max(0, start.start() - DICT_REACH) : start.start()]
        before_flate = filters_before_flate(head[head.rfind(b" obj") + 4 :])
        if before_flate is None:
            continue
        end = data.find(b"endstream", start.end())
        if not chain_decodes_whole(data[start.end() : end if end != -1 else len(data)], before_flate):
            found.append(start.end())
    return found


def filters_before_flate(head: bytes) -> list[bytes] | None:
    """The text filters a stream's data goes through before its Flate filter, or None when the
    stream is not judged: no Flate filter, or one after a filter not undone here (its
    data is not Flate data as it stands)."""
    chain = FILTER.search(head)
    names = FILTER_NAME.findall(chain.group(1)) if chain else []
    for at, name in enumerate(names):
        if name in FLATE:
            return names[:at]
        if name not in TEXT_FILTERS:
            return None
    return None


def chain_decodes_whole(stream: bytes, before_flate: list[bytes]) -> bool:
    """Whether `stream` goes through its text filters and then inflates to its end; a stream
    of nothing but white space (a writer's empty page or form) holds nothing to damage."""
    if not stream.strip():
        return True
    try:
        for name in before_flate:
            stream = TEXT_FILTERS[name](stream)
    except (ValueError, binascii.Error):
        return False
    return decodes_whole(stream)


def decodes_whole(stream: bytes) -> bool:
    """Whether `stream` inflates to its end, checksum and all; decoded a piece at a time and
    thrown away, so a big image costs no memory."""
    inflate = zlib.decompressobj()
    rest = stream
    try:
        while rest and not inflate.eof:
            inflate.decompress(rest, INFLATE_PIECE)
            rest = inflate.unconsumed_tail
    except zlib.error:
        return False
    return inflate.eof


def bad_syntax(data: bytes) -> list[int]:
    """The byte offsets of the tokens of `data`, outside its streams, strings and comments,
    that are not PDF syntax (neither a number, a name nor a keyword)."""
    found: list[int] = []
    at, size = 0, len(data)
    while True:
        at = GOOD_RUN.match(data, at).end()  # type: ignore[union-attr] # matches the empty run
        if at >= size:
            return found
        head = data[at : at + 6]
        if head.startswith(b"("):
            at = string_end(data, at)
        elif head.startswith(b"<"):  # a hex string (a dictionary's "<<" is in the run)
            at = data.find(b">", at) + 1 or size
        elif head.startswith(b"%"):
            line_end = LINE_END.search(data, at)
            at = line_end.end() if line_end else size
        elif head == b"stream" and not re.match(REGULAR, data[at + 6 : at + 7]):
            end = data.find(b"endstream", at)
            at = end + len(b"endstream") if end != -1 else size
        else:
            found.append(at)
            at = BAD_TOKEN.match(data, at).end()  # type: ignore[union-attr] # any byte matches


def string_end(data: bytes, start: int) -> int:
    """Where the literal string opening at `start` ends (its parentheses nest; a backslash
    escapes the character after it)."""
    depth, at = 0, start
    while at < len(data):
        char = data[at]
        if char == 0x5C:  # backslash
            at += 2
            continue
        depth += (char == 0x28) - (char == 0x29)
        at += 1
        if depth == 0:
            return at
    return len(data)


def lost_objects(data: bytes) -> list[int]:
    """Where the cross-reference tables say an object in use starts, but it does not ("6 0 obj"
    is not there). A file with a cross-reference stream instead (PDF 1.5) is not judged."""
    lost = []
    for table in XREF_TABLE.finditer(data):
        for part in XREF_SUBSECTION.finditer(table.group(1)):
            for n, entry in enumerate(XREF_ENTRY.finditer(part.group(3)), int(part.group(1))):
                at = int(entry.group(1))
                if entry.group(3) != b"n":
                    continue
                head = OBJECT_HEAD.match(data, at)
                if head is None or (int(head.group(1)), int(head.group(2))) != (n, int(entry.group(2))):
                    lost.append(at)
    return lost


def damage_note(data: bytes) -> str | None:
    """What a person should know of a PDF whose bytes show damage, or None."""
    found = sorted(damaged_streams(data) + bad_syntax(data) + lost_objects(data))
    if not found:
        return None
    parts = "a part" if len(found) == 1 else f"{len(found)} parts"
    # where (found[0], a byte offset) means nothing to a reader: what it means is said once,
    # for every note, by `extract.quality.notes_reason`
    return f"the file is damaged ({parts} of it cannot be read)"
