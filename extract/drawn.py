"""The lines and boxes a PDF page draws, read through pdfium in pdfplumber's terms.

pdfplumber finds a ruled table from a page's edges (`page.edges`: its lines, the sides of its
boxes, the straight runs of its curves), but to reach them pdfminer interprets every operator
of the page, text included, at ~5 pages/s. pdfium reads the same paths in a few milliseconds.
`page_drawing` gives them as pdfplumber would (same shapes, same coordinates: from the top of
the page), so that pdfplumber's own table finder runs on them unchanged (`find_tables`).

A page whose coordinates pdfplumber shifts (a rotated page, a media box not at the origin) is
left to pdfplumber: `page_drawing` gives None.
"""

from __future__ import annotations

import ctypes
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

Matrix = tuple[float, float, float, float, float, float]
Point = tuple[float, float]
Edge = dict[str, Any]

IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
# A form drawn inside itself (a damaged file) must not send the reader round for ever; no
# report nests its forms this deep.
MAX_FORM_DEPTH = 15
# Single precision holds about seven digits: three decimals of a page's coordinates.
DECIMALS = 3


@dataclass(frozen=True)
class Drawing:
    """What pdfplumber's table finder asks of a page: its edges and its box."""

    edges: list[Edge]
    bbox: tuple[float, float, float, float]


def page_drawing(page: Any) -> Drawing | None:
    """The edges a pdfium page draws, as pdfplumber's `page.edges` gives them; None for a
    page whose coordinates pdfplumber shifts."""
    import pypdfium2.raw as raw

    left, bottom, right, top = page.get_mediabox()
    if page.get_rotation() % 360 or left or bottom:
        return None
    height = top - bottom
    # pdfplumber lists lines, then boxes, then curves
    kinds: dict[str, list[Edge]] = {"line": [], "rect_edge": [], "curve_edge": []}
    for obj, matrix in path_objects(page.raw, raw.FPDFPage_CountObjects, raw.FPDFPage_GetObject, IDENTITY, 0):
        for shape, points in subpaths(path_segments(obj, matrix)):
            for edge in shape_edges(shape, [(x, height - y) for x, y in points], height):
                kinds[edge["object_type"]].append(edge)
    return Drawing([edge for edges in kinds.values() for edge in edges], (0.0, 0.0, right - left, height))


def find_tables(drawing: Drawing, settings: dict[str, Any]) -> list[Any]:
    """pdfplumber's tables of a drawing, as `page.find_tables(settings)` finds them (the lines
    strategies only: the text strategies need the characters)."""
    from pdfplumber.table import TableFinder, TableSettings

    return TableFinder(drawing, TableSettings.resolve(settings)).tables  # type: ignore[arg-type]


def path_objects(
    container: Any, count: Any, get: Any, outer: Matrix, depth: int
) -> Iterator[tuple[Any, Matrix]]:
    """Each path object of a page or form with the matrix that takes it to the page."""
    import pypdfium2.raw as raw

    for index in range(count(container)):
        obj = get(container, index)
        kind = raw.FPDFPageObj_GetType(obj)
        matrix = compose(matrix_of(obj), outer)
        if kind == raw.FPDF_PAGEOBJ_PATH:
            yield obj, matrix
        elif kind == raw.FPDF_PAGEOBJ_FORM and depth < MAX_FORM_DEPTH:
            yield from path_objects(
                obj, raw.FPDFFormObj_CountObjects, raw.FPDFFormObj_GetObject, matrix, depth + 1
            )


def matrix_of(obj: Any) -> Matrix:
    import pypdfium2.raw as raw

    m = raw.FS_MATRIX()
    if not raw.FPDFPageObj_GetMatrix(obj, m):
        return IDENTITY
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def compose(inner: Matrix, outer: Matrix) -> Matrix:
    """The matrix that applies `inner`, then `outer`."""
    a, b, c, d, e, f = inner
    oa, ob, oc, od, oe, of = outer
    return (
        a * oa + b * oc,
        a * ob + b * od,
        c * oa + d * oc,
        c * ob + d * od,
        e * oa + f * oc + oe,
        e * ob + f * od + of,
    )


def path_segments(obj: Any, matrix: Matrix) -> list[tuple[str, Point | None]]:
    """A path as pdfminer writes it: "m", "l", "c" (a curve, by its end point) and "h" (close),
    each with its point on the page (None for "h")."""
    import pypdfium2.raw as raw

    a, b, c, d, e, f = matrix
    x, y = ctypes.c_float(), ctypes.c_float()
    out: list[tuple[str, Point | None]] = []
    controls = 0
    for index in range(raw.FPDFPath_CountSegments(obj)):
        segment = raw.FPDFPath_GetPathSegment(obj, index)
        if not raw.FPDFPathSegment_GetPoint(segment, x, y):
            continue
        kind = raw.FPDFPathSegment_GetType(segment)
        # pdfium keeps single precision: rounded, a point is the decimal the PDF wrote, as
        # pdfminer reads it, so that rules meeting at a tolerance's edge meet in both
        point = (
            round(a * x.value + c * y.value + e, DECIMALS),
            round(b * x.value + d * y.value + f, DECIMALS),
        )
        if kind == raw.FPDF_SEGMENT_MOVETO:
            out.append(("m", point))
            controls = 0
        elif kind == raw.FPDF_SEGMENT_LINETO:
            out.append(("l", point))
        elif kind == raw.FPDF_SEGMENT_BEZIERTO:
            # pdfium gives a curve as its two control points and its end, pdfminer by its end
            controls += 1
            if controls == 3:
                out.append(("c", point))
                controls = 0
        if raw.FPDFPathSegment_GetClose(segment):
            out.append(("h", None))
    return out


def subpaths(path: Sequence[tuple[str, Point | None]]) -> Iterator[tuple[str, list[Point]]]:
    """Each subpath as (shape, points), as pdfminer's `paint_path` splits and reads them: "h"
    returns to the subpath's start, and a closing "l" back to the start is dropped."""
    shape = "".join(op for op, _ in path)
    if shape[:1] != "m":
        return
    for found in re.finditer(r"m[^m]*", shape):
        part = path[found.start() : found.end()]
        start = part[0][1]
        assert start is not None
        points = [start if point is None else point for _, point in part]
        kind = found.group()
        if len(kind) > 3 and kind[-2:] == "lh" and points[-2] == points[0]:
            kind = kind[:-2] + "h"
            points.pop()
        yield kind, points


def shape_edges(shape: str, points: list[Point], height: float) -> list[Edge]:
    """pdfplumber's edges of one subpath (points from the top of a page `height` high), made
    by pdfplumber itself from the object pdfminer would make of it: a line, a box (its four
    sides) or a curve (its runs between points)."""
    from pdfplumber.utils import obj_to_edges

    if len(points) < 2:
        return []
    kind = "curve"
    if shape in ("mlh", "ml"):
        kind, points = "line", points[:2]
    elif shape in ("mlllh", "mllll"):
        (x0, y0), (x1, y1), (x2, y2), (x3, y3), last = points
        square = (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (
            y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0
        )
        if last == points[0] and square:
            kind, points = "rect", [points[0], points[2]]
    xs, tops = [x for x, _ in points], [top for _, top in points]
    left, right, top, bottom = min(xs), max(xs), min(tops), max(tops)
    return obj_to_edges(
        {
            "object_type": kind,
            "x0": left,
            "x1": right,
            "top": top,
            "bottom": bottom,
            "doctop": top,
            "y0": height - bottom,
            "y1": height - top,
            "width": right - left,
            "height": bottom - top,
            "pts": points,
        }
    )
