"""A text document's items carry the line of the file where they start (extract/lines.py): the
line the source page highlights, not "page 1" for everything."""

from __future__ import annotations

import pytest
from test_pages import db, query  # noqa: F401  (db is the module's store fixture)

from evidence.site.source import text_passage
from extract.lines import LineFinder
from extract.textfile import load_text


def test_every_item_of_a_text_document_has_the_line_its_source_page_highlights(db):  # noqa: F811
    items = query(
        db,
        "select r.id, r.text, r.line, r.page, d.path, d.first_line, d.last_line from "
        "(select id, document_id, text, line, page from recommendations union all "
        " select id, document_id, text, line, page from actions union all "
        " select id, document_id, text, line, page from findings) r "
        "join documents d on d.id = r.document_id where d.path not like '%.pdf'",
    )
    assert len(items) > 250
    assert all(item["line"] for item in items)
    for item in items:
        lines, located = text_passage(
            item["path"], item["text"], item["first_line"], item["last_line"], item["page"]
        )
        if located:
            assert next(ln.number for ln in lines if ln.marked) == item["line"], item["id"]


def test_plymouth_action_6_1_is_on_line_179(db):  # noqa: F811
    action = query(db, "select a.line from actions a where a.label = '6.1'")[0]
    assert action["line"] == 179
    assert not query(
        db,
        "select a.id from actions a join documents d on d.id = a.document_id where d.path like '%.pdf' and a.line is not null",
    )


def test_a_pdf_item_has_no_line(db):  # noqa: F811
    assert not query(
        db,
        "select r.id from recommendations r join documents d on d.id = r.document_id "
        "where d.path like '%.pdf' and r.line is not null",
    )


def test_lines_after_a_form_feed_keep_the_files_numbering():
    doc = load_text("x.txt", b"one\ntwo\fthree\nfour\n", "0" * 64)
    assert [(ln.text, ln.page, ln.number) for ln in doc.lines] == [
        ("one", 1, 1),
        ("two", 1, 2),
        ("three", 2, 2),
        ("four", 2, 3),
    ]


@pytest.mark.parametrize(
    ("text", "after", "line"),
    [
        ("Improve the quality of supervision", 0, 3),
        ("improve   the QUALITY of supervision across the service", 0, 3),
        ("nothing like it", 0, None),
        ("Improve the quality", 4, 5),
    ],
)
def test_an_items_first_line_is_found_however_it_was_wrapped(text, after, line):
    finder = LineFinder(
        [1, 2, 3, 4, 5],
        [
            "Heading",
            "",
            "Improve the",
            "quality of supervision across the service",
            "Improve the quality again",
        ],
    )
    assert finder.first_line(text, after) == line
