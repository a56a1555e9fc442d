"""Test PDFs rendered with reportlab from a text export, so a PDF parse can be compared with
the text parse of the same document.

`render_plan` lays an improvement plan out as a council would print it: headings, bullet
lists, and action tables whose cells wrap, whose milestones are bullets, whose rows run over
page breaks (the header row repeated on the new page), ruled or not, portrait or landscape.
Page furniture (a running header and "Page N of M") is printed too, as the loader must strip it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from extract.document import Line
from extract.items import is_bullet, strip_bullet
from extract.load import load
from extract.pdf import load_pdf

# Inline list items in a text-export cell: the loader's " • "/" ▪ " bullets and " - " sub-items.
CELL_BULLET = re.compile(r"(?:^|\s)([•▪]|-)\s(?=\S)")
LIST_HEADING = re.compile(r"^(?:OBJECTIVES?|OUTCOMES?|MEASURED BY):?$")
RUNNING_HEADER = "Plymouth City Council - Children's Social Care Improvement Plan (draft)"
FURNITURE = re.compile(rf"^(?:{re.escape(RUNNING_HEADER)}|Page \d+)$")


@dataclass(frozen=True)
class Layout:
    """How one test PDF prints the plan."""

    landscape: bool = False
    ruled: bool = True
    repeat_header: bool = True
    split_rows: bool = True  # a tall row may break across a page, as Word prints it
    font_size: float = 9


BODY = ParagraphStyle("body", fontName="Helvetica", fontSize=10, leading=12, spaceAfter=3)
HEADING = ParagraphStyle("heading", parent=BODY, fontName="Helvetica-Bold", spaceBefore=6)
ITEM = ParagraphStyle("item", parent=BODY, leftIndent=14, bulletIndent=4)


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def cell_items(text: str) -> list[tuple[str | None, str]]:
    """A text-export cell as (bullet or None, text) items."""
    pieces = CELL_BULLET.split(text)
    items: list[tuple[str | None, str]] = []
    if pieces[0].strip():
        items.append((None, pieces[0].strip()))
    for glyph, body in zip(pieces[1::2], pieces[2::2], strict=True):
        items.append(("-" if glyph == "-" else "•", body.strip()))
    return items


def cell_flowables(text: str, size: float) -> list[Flowable]:
    style = ParagraphStyle("cell", fontName="Helvetica", fontSize=size, leading=size + 2)
    bulleted = ParagraphStyle("cellitem", parent=style, leftIndent=8, bulletIndent=0)
    out: list[Flowable] = []
    for glyph, body in cell_items(text):
        if glyph:
            out.append(Paragraph(escape(body), bulleted, bulletText=glyph))
        else:
            out.append(Paragraph(escape(body), style))
    return out


def column_widths(width: float) -> list[float]:
    # label, action, milestones, target date, lead: shares of the printable width
    shares = (0.07, 0.31, 0.30, 0.15, 0.17)
    return [width * s for s in shares]


def table_flowable(rows: list[Line], layout: Layout, width: float) -> Table:
    header_style = ParagraphStyle(
        "th", fontName="Helvetica-Bold", fontSize=layout.font_size, leading=layout.font_size + 2
    )
    data: list[list[object]] = []
    for index, row in enumerate(rows):
        cells = (row.cells + [""] * 5)[:5]
        if index == 0:
            data.append([Paragraph(escape(c), header_style) for c in cells])
        else:
            data.append([cell_flowables(c, layout.font_size) for c in cells])
    style: list[tuple[object, ...]] = [("VALIGN", (0, 0), (-1, -1), "TOP"), ("SPAN", (0, 0), (1, 0))]
    if layout.ruled:
        style += [("GRID", (0, 0), (-1, -1), 0.5, colors.black)]
    style += [("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dddddd"))]
    return Table(
        data,
        colWidths=column_widths(width),
        repeatRows=1 if layout.repeat_header else 0,
        splitInRow=1 if layout.split_rows else 0,
        style=TableStyle(style),
    )


def lines_to_flowables(lines: list[Line], layout: Layout, width: float) -> list[Flowable]:
    story: list[Flowable] = []
    table: list[Line] = []
    for line in lines + [Line("", 0, 0)]:
        if "\t" in line.text:
            table.append(line)
            continue
        if table:
            story += [Spacer(1, 4), table_flowable(table, layout, width), Spacer(1, 8)]
            table = []
        text = line.text
        if not text:
            continue
        if text.startswith("AREA FOR IMPROVEMENT") or LIST_HEADING.match(text):
            story.append(Paragraph(escape(text), HEADING))
        elif is_bullet(text):
            story.append(Paragraph(escape(strip_bullet(text)), ITEM, bulletText="•"))
        else:
            story.append(Paragraph(escape(text), BODY))
    return story


def furniture(canvas, doc) -> None:  # type: ignore[no-untyped-def]
    width, height = doc.pagesize
    canvas.saveState()
    canvas.setFont("Helvetica", 8)
    canvas.drawString(doc.leftMargin, height - 12 * mm, RUNNING_HEADER)
    canvas.drawRightString(width - doc.rightMargin, 10 * mm, f"Page {doc.page}")
    canvas.restoreState()


def render_plan(source: Path, out: Path, layout: Layout = Layout()) -> Path:
    """Print the plan exported as text at `source` as the PDF `out`."""
    pagesize = landscape(A4) if layout.landscape else A4
    doc = SimpleDocTemplate(
        str(out),
        pagesize=pagesize,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=20 * mm,
        bottomMargin=18 * mm,
        title="Draft improvement plan",
    )
    lines = load(source).lines
    story = lines_to_flowables(lines, layout, doc.width)
    doc.build(story, onFirstPage=furniture, onLaterPages=furniture)
    return out


PROSE = (
    "The progress and delivery of the action plan will be overseen by the Children and Young "
    "People's Partnership Board, which is accountable to the Health and Wellbeing Board."
)


def render_table(
    out: Path, rows: list[list[str]], layout: Layout = Layout(), before: int = 0, after: int = 0
) -> Path:
    """A PDF holding one five-column table between `before` filler paragraphs (to move it
    towards a page break) and `after` paragraphs of prose. Cells use the text-export forms:
    " ▪ " or " - " for bullets."""
    pagesize = landscape(A4) if layout.landscape else A4
    doc = SimpleDocTemplate(str(out), pagesize=pagesize, topMargin=20 * mm, bottomMargin=18 * mm)
    lines = [Line("\t".join(r), 1, i) for i, r in enumerate(rows)]
    filler: list[Flowable] = [Paragraph(f"Filler paragraph {i + 1}.", BODY) for i in range(before)]
    prose: list[Flowable] = [Paragraph(PROSE, BODY) for _ in range(after)]
    story = filler + lines_to_flowables(lines, layout, doc.width) + prose
    doc.build(story, onFirstPage=furniture, onLaterPages=furniture)
    return out


def body_regions(path: Path) -> list[tuple[int, tuple[float, float, float, float]]]:
    """Each page's body across the page's width, as a caller of
    `extract.tables.pdf_to_tables` would give it: the furniture these PDFs print is left
    out by what it says, not by the loader's guess, so table tests do not hang on that."""
    data = path.read_bytes()
    doc = load_pdf(str(path), data, "test")
    regions = []
    for page in doc.pages:
        boxes = [ln.bbox for ln in page.lines if ln.bbox and not FURNITURE.match(ln.text)]
        if boxes:
            top, bottom = min(b[1] for b in boxes), max(b[3] for b in boxes)
            regions.append((page.number, (0.0, top, page.width or 0.0, bottom)))
    return regions
