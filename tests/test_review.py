"""`evidence review`: verdicts by stable key that survive rebuilds; links people add."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_journey import make_store

from evidence.build.linking import link_store
from evidence.journeys.journey import journey
from evidence.review import review
from evidence.store import Store


@pytest.fixture()
def db(tmp_path: Path) -> str:
    make_store(tmp_path / "review.db").close()
    return str(tmp_path / "review.db")


def run(db: str, *args: str, answers: str | None = None) -> str:
    result = CliRunner().invoke(review, ["--db", db, *args], input=answers)
    assert result.exit_code == 0, result.output
    return result.output


def keys(output: str) -> list[str]:
    return re.findall(r"key: (\S+)", output)


def scores(output: str) -> list[float]:
    return [float(s) for s in re.findall(r"^\d+\. (\d\.\d\d)", output, re.M)]


def rebuild(db: str) -> Store:
    store = Store(db)
    link_store(store)
    return store


def test_lists_the_weakest_links_first(db: str) -> None:
    output = run(db, "--limit", "5")
    assert len(keys(output)) == 5
    assert scores(output) == sorted(scores(output))
    assert "why: same authority" in output


def test_a_rejected_link_stays_rejected_after_a_rebuild(db: str) -> None:
    key = keys(run(db, "--limit", "1"))[0]
    run(db, "--reject", key, "--note", "different subject")
    store = rebuild(db)
    assert store.rows("links", "key = ?", [key])[0]["confirmed"] == 0
    store.close()
    assert key not in keys(run(db, "--limit", "500"))  # no longer offered for review
    assert key in keys(run(db, "--all", "--limit", "500"))


def test_a_confirmed_link_stays_confirmed_and_shows_in_the_trace(db: str) -> None:
    store = Store(db)
    link = store.rows("links", "relation = 'restates' and target_id = 'ce-2015-r6'")[0]
    store.close()
    run(db, "--confirm", link["key"])
    rebuild(db).close()
    events = journey(db, "Cheshire East 2015 6").events
    assert [e["confirmed"] for e in events if e["id"] == link["source_id"]] == [1]


def test_a_link_people_add_survives_a_rebuild(db: str) -> None:
    # The 2019 item on foster carers and 2015 rec 11 (delegated authority for carers): the
    # linker leaves them apart; a reviewer decides they belong together.
    output = run(
        db,
        "--add",
        "recommendations:ce-2020-r4",
        "recurs_in",
        "recommendations:ce-2015-r11",
        "--note",
        "carers",
    )
    assert "Added recommendations:ce-2020-r4>recurs_in>recommendations:ce-2015-r11" in output
    rebuild(db).close()
    found = journey(db, "Cheshire East 2015 11")
    added = [e for e in found.events if e["id"] == "ce-2020-r4"]
    assert [(e["method"], e["evidence"]) for e in added] == [("manual", "added by a person: carers")]
    assert found.state == "recurred"


def stored_state(db: str, ident: str) -> str:
    store = Store(db)
    try:
        return store.rows("journeys", "id = ?", [ident])[0]["state"]
    finally:
        store.close()


def test_verdicts_refresh_the_journeys_the_pages_read(db: str) -> None:
    assert stored_state(db, "ce-2015-r11") == "closed"
    run(db, "--add", "recommendations:ce-2020-r4", "recurs_in", "recommendations:ce-2015-r11")
    assert stored_state(db, "ce-2015-r11") == "recurred"
    store = Store(db)
    recurs = store.rows("links", "relation = 'recurs_in' and target_id = 'ce-2015-r3'")
    store.close()
    assert stored_state(db, "ce-2015-r3") == "recurred"
    run(db, *[arg for link in recurs for arg in ("--reject", link["key"])])
    assert stored_state(db, "ce-2015-r3") == journey(db, "ce-2015-r3").state == "planned"


def test_a_link_a_person_draws_from_another_authority_counts_in_the_stored_journey(
    db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Journeys are stored a few authorities at a time; a person's link across two is kept."""
    import evidence.journeys.journey

    monkeypatch.setattr(evidence.journeys.journey, "JOURNEY_BATCH_DOCUMENTS", 1)  # each authority a batch
    assert stored_state(db, "ce-2015-r11") == "closed"
    run(db, "--add", "recommendations:pl-2019-r1", "recurs_in", "recommendations:ce-2015-r11")
    assert stored_state(db, "ce-2015-r11") == "recurred"
    store = Store(db)
    try:
        events = store.rows("journey_events", "original_id = 'ce-2015-r11'")
    finally:
        store.close()
    assert "pl-2019-r1" in [e["source_id"] for e in events]


def test_answers_in_turn_refresh_the_journeys(db: str) -> None:
    store = Store(db)
    recurs = {
        link["key"] for link in store.rows("links", "relation = 'recurs_in' and target_id = 'ce-2015-r3'")
    }
    store.close()
    listed = keys(run(db, "--relation", "recurs_in", "--limit", "500"))
    answers = "".join("r\n\n" if key in recurs else "s\n" for key in listed)
    run(db, "--relation", "recurs_in", "--limit", "500", "--ask", answers=answers)
    assert stored_state(db, "ce-2015-r3") == "planned"


def test_answers_one_link_at_a_time(db: str) -> None:
    first, second = keys(run(db, "--limit", "2"))
    output = run(db, "--limit", "2", "--ask", answers="r\nnot the same subject\nc\n\n")
    assert output.endswith("1 confirmed, 1 rejected\n")
    store = Store(db)
    verdicts = {row["key"]: row["confirmed"] for row in store.rows("link_verdicts")}
    assert verdicts == {first: 0, second: 1}
    assert store.rows("link_verdicts", "key = ?", [first])[0]["note"] == "not the same subject"
    store.close()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--reject", "no-such-key"], "no link with key 'no-such-key'"),
        (
            ["--add", "recommendations:nope", "restates", "recommendations:ce-2015-r1"],
            "no row 'nope' in recommendations",
        ),
        (
            ["--add", "recommendations:ce-2020-r4", "resembles", "recommendations:ce-2015-r1"],
            "relation 'resembles'",
        ),
    ],
)
def test_mistakes_are_explained(db: str, args: list[str], message: str) -> None:
    result = CliRunner().invoke(review, ["--db", db, *args])
    assert result.exit_code != 0
    assert message in result.output


def test_a_rejected_link_stays_rejected_when_its_file_changes(tmp_path) -> None:
    import shutil

    from conftest import CORPUS, PAPERS_ONLY

    from evidence.build import build

    folder = tmp_path / "docs"
    shutil.copytree(CORPUS, folder, ignore=PAPERS_ONLY)
    db = str(tmp_path / "e.db")
    build([folder], db)
    store = Store(db)
    link = store.rows("links")[0]
    path = store.query(
        "select coalesce(p.path, d.path) as path from recommendations r join documents d on d.id = r.document_id "
        "left join documents p on p.id = d.parent_id where r.id = ?",
        [link["target_id"]],
    )[0]["path"]
    store.set_verdict(link["key"], False, "not this one")
    store.close()
    changed = Path(path)
    changed.write_text(changed.read_text() + "\nA note added at the end.\n")
    build([folder], db)
    store = Store(db)
    try:
        again = store.rows("links", "key = ?", [link["key"]])
        assert [(r["confirmed"], r["target_id"] == link["target_id"]) for r in again] == [(0, False)]
    finally:
        store.close()
