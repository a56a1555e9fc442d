"""/search as an officer reads it (evidence/site/search.py): recommendations first, each once with
its copies folded under it, named in words, with its state."""

from __future__ import annotations

import re

import pytest
from test_pages import db, fetch, query, text_of  # noqa: F401  (db is the module's store fixture)

pytest.importorskip("datasette.app")


def hits(page: str) -> list[str]:
    """The names of the results, as links read."""
    return [text_of(h) for h in re.findall(r'class="ev-hit"><strong>(.*?)</strong>', page)]


def test_recommendations_come_first(db):  # noqa: F811
    seen = text_of(fetch(db, "/search?q=supervision").text)
    headings = [h for h in ("Recommendations (", "Actions of improvement plans (", "Findings (") if h in seen]
    assert len(headings) == 3
    assert sorted(headings, key=seen.index) == headings


def test_kinds_are_in_words_and_an_unnumbered_recommendation_is_named(db):  # noqa: F811
    page = fetch(db, "/search?q=supervision").text
    assert "area_for" not in text_of(page)
    names = hits(page)
    assert names and all(not n.endswith(("Plymouth", "East", " ")) for n in names)
    assert "Plymouth 2019, the 4th recommendation (unnumbered)" in names
    assert "Cheshire East 2013 area for consideration" in names


def test_a_recommendation_is_listed_once_with_its_copies_under_it(db):  # noqa: F811
    page = fetch(db, "/search?q=supervision").text
    copies = query(
        db,
        "select r.id from recommendations r where r.text like 'Consistent management oversight and supervision%'",
    )
    assert len(copies) == 2  # the 2020 report, and the same report bound in the committee pack
    linked = [c["id"] for c in copies if f'href="/trace/{c["id"]}" class="ev-hit"' in page]
    assert len(linked) == 1
    assert "the same report, also in" in text_of(page)
    plan = query(db, "select id from recommendations where kind = 'plan_area' and label = '2'")[0]["id"]
    assert f'href="/trace/{plan}" class="ev-hit"' not in page  # answered in the plan: under it


def test_each_recommendation_shows_its_state(db):  # noqa: F811
    page = fetch(db, "/search?q=supervision").text
    firsts = re.findall(r'<a href="/trace/[^"]+" class="ev-hit">(.*?)<br>', page, re.S)
    assert len(firsts) >= 4
    assert all("ev-badge ev-state-" in first for first in firsts)
