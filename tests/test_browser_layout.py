"""Layouts checked by the boxes of their elements, not only by screenshots (issue #22): at a
phone's 420 px the date field stays clear of its button, the dashboard's legends keep every
label inside their card and its count axes keep whole-number ticks at every width."""

from __future__ import annotations

import re
import sqlite3

import pytest
from test_browser import WIDTHS, browser, shot, site, store  # noqa: F401  (fixtures)

from evidence.site.process import metadata_for

# It starts chromium and a Datasette: slow, like tests/test_browser.py.
pytestmark = pytest.mark.slow


def page_at(browser, width: str):  # noqa: F811
    context = browser.new_context(viewport=dict(zip(("width", "height"), WIDTHS[width], strict=True)))
    return context, context.new_page()


def overlap(a: dict, b: dict) -> bool:
    return not (
        a["x"] + a["width"] <= b["x"]
        or b["x"] + b["width"] <= a["x"]
        or a["y"] + a["height"] <= b["y"]
        or b["y"] + b["height"] <= a["y"]
    )


def some_journey(store) -> str:  # noqa: F811
    conn = sqlite3.connect(store)
    try:
        return conn.execute("select id from journeys order by links desc limit 1").fetchone()[0]
    finally:
        conn.close()


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("where", ["/journeys?authority=Plymouth", "/trace/"])
def test_the_date_field_is_clear_of_its_button_and_shown_whole(site, store, browser, where, width):  # noqa: F811
    context, page = page_at(browser, width)
    try:
        page.goto(site + (where + some_journey(store) if where == "/trace/" else where))
        label = page.locator(".ev-as-of label").bounding_box()
        field = page.locator(".ev-as-of input[type=date]").bounding_box()
        button = page.locator(".ev-as-of input[type=submit]").bounding_box()
        assert label and field and button
        assert not overlap(field, button), f"the Show button covers the date field at {width}"
        # the label holds its field: the field is not drawn beyond it, under what follows
        assert field["x"] + field["width"] <= label["x"] + label["width"] + 1
        shot(page, f"as-of-{where.strip('/').split('?')[0]}-{width}")
    finally:
        context.close()


def charts(page) -> list[dict]:
    page.goto(page.url)
    page.wait_for_function("document.querySelectorAll('.dashboard-card svg').length >= 4")
    page.wait_for_timeout(300)  # the charts draw after their data arrives
    return page.evaluate(
        """() => Array.from(document.querySelectorAll('.dashboard-card')).map(card => {
          const box = card.getBoundingClientRect();
          const texts = sel => Array.from(card.querySelectorAll(sel)).map(t => {
            const b = t.getBoundingClientRect();
            return {text: t.textContent, left: b.left, right: b.right};
          });
          return {title: card.querySelector('.dashboard-card-title, h2, h3, a')?.textContent || '',
                  left: box.left, right: box.right,
                  legend: texts('g.role-legend-label text'), axis: texts('g.role-axis-label text')};
        })"""
    )


@pytest.mark.parametrize("width", list(WIDTHS))
def test_the_dashboards_legends_and_axes_read_whole_at_every_width(site, store, browser, width):  # noqa: F811
    context, page = page_at(browser, width)
    try:
        page.goto(site + "/-/dashboards/overview")
        found = charts(page)
        # every chart of the dashboard's metadata is drawn
        assert len(found) == len(
            metadata_for(str(store))["plugins"]["datasette-dashboards"]["overview"]["charts"]
        )
        legends = [label["text"] for chart in found for label in chart["legend"]]
        assert {"possible recurrence", "recurred", "over 3 years", "Plymouth"} <= set(legends)
        for chart in found:
            for label in chart["legend"]:
                assert chart["left"] <= label["left"] and label["right"] <= chart["right"], (
                    f"{label['text']!r} is cut off at {width}"
                )
            numbers = [a["text"] for a in chart["axis"] if re.fullmatch(r"[\d.,]+", a["text"])]
            assert not [n for n in numbers if "." in n], f"a count axis shows fractions at {width}: {numbers}"
            if numbers and not any(len(n) == 4 and n.startswith("20") for n in numbers):  # a count axis
                assert len(numbers) >= 3, f"a count axis shrinks to {numbers} at {width}"
        shot(page, f"dashboard-layout-{width}")
    finally:
        context.close()


def test_a_tables_column_notes_are_folded_above_its_rows(site, store, browser):  # noqa: F811
    context, page = page_at(browser, "desktop")
    try:
        page.goto(f"{site}/{store.stem}/actions")
        notes = page.locator("dl.column-descriptions")
        assert notes.count() == 1 and not notes.is_visible()
        fold = page.locator("details.ev-column-notes summary")
        assert re.fullmatch(r"What the columns mean \(\d+\)", fold.inner_text())
        fold.click()
        assert notes.is_visible()
    finally:
        context.close()
