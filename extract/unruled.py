"""Unruled tables in PDFs: where their columns are and where they end, from the words.

A table printed without rules shows its columns only as gutters, strips no word crosses
(`words_to_gutters`); its column edges sit in their middles (`words_to_columns`). Its first
lines settle the gutters, and it ends at the first line that runs across one: prose after
the table (`lines_to_table_end`), where `crops_cut_at_table_end` cuts a zone's crops.
`extract.tables` reads the rows from the crops at these columns.

Words are pdfplumber's (`page.extract_words()`): mappings with x0, x1 and top.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

# A gutter is a strip no word crosses. Word spaces are ~2.5-3.5pt at body sizes and cell
# padding puts 10pt or more between columns, so 6pt tells them apart.
MIN_GUTTER = 6.0
# Words whose tops are this close are on one printed line.
SAME_LINE = 2.0
# The first lines of an unruled table settle its gutters; a later line that runs across one
# (prose after the table) ends it. Open by less than a word space (~3pt) is run across;
# cell padding keeps 10pt or more open.
SETTLING_LINES = 4
OPEN_GUTTER = 4.0


def words_to_gutters(
    words: Sequence[Mapping[str, Any]], min_gutter: float = MIN_GUTTER
) -> list[tuple[float, float]]:
    """The strips, at least `min_gutter` wide, that no word crosses, between the words."""
    spans = sorted((w["x0"], w["x1"]) for w in words)
    strips = []
    reach = spans[0][1] if spans else 0.0
    for x0, x1 in spans[1:]:
        if x0 - reach >= min_gutter:
            strips.append((reach, x0))
        reach = max(reach, x1)
    return strips


def words_to_columns(words: Sequence[Mapping[str, Any]], min_gutter: float = MIN_GUTTER) -> tuple[float, ...]:
    """Column edges of an unruled table: its left and right ends and the middle of every
    gutter, a strip at least `min_gutter` wide that no word crosses."""
    if not words:
        return ()
    middles = [(a + b) / 2 for a, b in words_to_gutters(words, min_gutter)]
    edges = [min(w["x0"] for w in words) - 1, *middles, max(w["x1"] for w in words) + 1]
    return tuple(round(e, 1) for e in edges)


def words_to_lines(words: Sequence[Mapping[str, Any]]) -> list[list[Mapping[str, Any]]]:
    """Words grouped into printed lines (across all columns), top to bottom."""
    lines: list[list[Mapping[str, Any]]] = []
    for word in sorted(words, key=lambda w: (w["top"], w["x0"])):
        if lines and word["top"] - lines[-1][0]["top"] <= SAME_LINE:
            lines[-1].append(word)
        else:
            lines.append([word])
    return lines


def closes(line: Sequence[Mapping[str, Any]], strip: tuple[float, float]) -> bool:
    """A line runs across a gutter, leaving no more of it open than a word space."""
    a, b = strip
    covered = sorted((max(a, w["x0"]), min(b, w["x1"])) for w in line if w["x1"] > a and w["x0"] < b)
    if not covered:
        return False
    gaps = [covered[0][0] - a, b - max(end for _, end in covered)]
    reach = covered[0][1]
    for x0, x1 in covered[1:]:
        gaps.append(x0 - reach)
        reach = max(reach, x1)
    return max(gaps) < OPEN_GUTTER


def lines_to_table_end(lines: Sequence[tuple[int, Sequence[Mapping[str, Any]]]]) -> tuple[int, float] | None:
    """Where an unruled table ends, (page, top of the first line after it): at the first
    line, once its first lines have settled the gutters, that runs across one of them
    (prose after the table). None when the table runs to the end."""
    settled = words_to_gutters([w for _, line in lines[:SETTLING_LINES] for w in line])
    for number, line in lines[SETTLING_LINES:]:
        if any(closes(line, strip) for strip in settled):
            return number, min(w["top"] for w in line)
    return None


def page_edges(words: Sequence[Mapping[str, Any]], columns: Sequence[float]) -> list[float]:
    """The column edges to give pdfplumber for one page: its text strategy draws each row's
    rules from the leftmost to the rightmost word, so the outer edges must sit on the words
    (within its 3pt tolerance), and an edge past the words would close no cell."""
    left = min(w["x0"] for w in words) - 1
    right = max(w["x1"] for w in words) + 1
    return [left] + [x for x in columns[1:-1] if left < x < right] + [right]


def crops_cut_at_table_end(crops: Sequence[tuple[int, Any]]) -> list[tuple[int, Any]]:
    """A zone's crops, (page, pdfplumber crop) in order, cut where the unruled table in
    them ends: the later crops dropped, the last one cut above the line that ends it."""
    lines = [(number, line) for number, crop in crops for line in words_to_lines(crop.extract_words())]
    end = lines_to_table_end(lines)
    if end is None:
        return list(crops)
    last, bottom = end
    cut = []
    for number, crop in crops:
        x0, top, x1, _ = crop.bbox
        if number < last:
            cut.append((number, crop))
        elif number == last and bottom - 1 > top:
            cut.append((number, crop.crop((x0, top, x1, bottom - 1))))
    return cut
