"""`evidence review`: verdicts by stable key that survive rebuilds; links people add."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_journey import make_store

from evidence.build.linking import link_store
from evidence.cli import cli
from evidence.journeys.journey import journey
from evidence.review import review
from evidence.store import Store
from extract.errors import EvidenceError


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


def test_a_persons_later_word_on_a_link_they_drew_survives_a_rebuild(db: str) -> None:
    # A link drawn, then judged partly, then no: every rebuild made it again as a plain yes.
    run(db, "--add", "recommendations:ce-2020-r4", "recurs_in", "recommendations:ce-2015-r11")
    key = link_between(db, "ce-2020-r4", "ce-2015-r11")["key"]
    run(db, "--partly", key)
    rebuild(db).close()
    assert (link_between(db, "ce-2020-r4", "ce-2015-r11")["verdict"], stored_state(db, "ce-2015-r11")) == (
        "partly",
        "recurred",
    )
    run(db, "--reject", key)
    rebuild(db).close()
    assert link_between(db, "ce-2020-r4", "ce-2015-r11")["confirmed"] == 0
    assert stored_state(db, "ce-2015-r11") == "closed"


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
    store.set_verdict(link["key"], "no", "not this one")
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


# -- verdicts in words: yes, partly, no, and "repeats none of these" -------------------------


def link_between(db: str, source: str, target: str) -> dict:
    store = Store(db)
    try:
        return store.rows(
            "links", "relation = 'recurs_in' and source_id = ? and target_id = ?", [source, target]
        )[0]
    finally:
        store.close()


def verdicts_of(db: str) -> dict[str, tuple[int, str | None, str | None]]:
    store = Store(db)
    try:
        return {r["key"]: (r["confirmed"], r["verdict"], r["note"]) for r in store.rows("link_verdicts")}
    finally:
        store.close()


def test_partly_is_a_persons_yes_that_keeps_its_word_through_a_rebuild(db: str) -> None:
    # The 2019 Plymouth item 6 is only a suggestion for 2015 recommendation 8: it counts once a
    # person says it repeats part of it.
    link = link_between(db, "pl-2019-r6", "pl-2015-r8")
    assert link["method"] == "suggested" and stored_state(db, "pl-2015-r8") != "recurred"
    # a candidate nobody has settled is not told as a repeat
    before = CliRunner().invoke(cli, ["trace", "pl-2015-r8", "--db", db]).output
    assert (
        "maybe repeated by a later inspection (a candidate nobody has settled): recommendation item 6"
        in before
    )
    assert f"settle it: evidence review --confirm {link['key']}" in before  # no SQL to find the key
    assert run(db, "--partly", link["key"]).endswith("1 confirmed (1 partly), 0 rejected\n")
    rebuild(db).close()
    again = link_between(db, "pl-2019-r6", "pl-2015-r8")
    assert (again["confirmed"], again["relation"]) == (1, "recurs_in")
    assert verdicts_of(db)[link["key"]][:2] == (1, "partly")
    assert journey(db, "pl-2015-r8").state == "recurred"
    assert "[confirmed: partly]" in run(db, "--all", "--relation", "recurs_in", "--limit", "500")
    # the trace says the person's word, not a plain "confirmed"
    trace = CliRunner().invoke(cli, ["trace", "pl-2015-r8", "--db", db]).output
    assert "(confirmed in part by a person)" in trace
    assert "(repeated in part; " in trace
    from evidence.export import tracker

    sheet = tracker(db)["links"]
    assert [r["verdict"] for r in sheet if r["key"] == link["key"]] == ["partly"]
    journeys = {r["id"]: r for r in tracker(db)["journeys"]}
    assert journeys["pl-2015-r8"]["recurred_in_part"] == "yes"


def test_a_yes_with_other_candidates_left_is_partly_reviewed(db: str) -> None:
    # "recurred · not yet reviewed · decided by a person" read as a contradiction
    store = Store(db)
    try:
        target, key = store.query(
            "select target_id, min(key) as key from links where relation = 'recurs_in'"
            " and method = 'suggested' and confirmed is null"
            " group by target_id having count(*) >= 2 order by target_id limit 1"
        )[0].values()
    finally:
        store.close()
    run(db, "--confirm", key)
    trace = CliRunner().invoke(cli, ["trace", target, "--db", db]).output
    assert re.search(
        r"partly reviewed by a person; decided by a person; \d+ candidate repeats? to settle", trace
    )
    from evidence.export import tracker

    rows = {r["id"]: r for r in tracker(db)["journeys"]}
    assert rows[target]["reviewed"] == "partly reviewed by a person"


def test_repeats_none_of_these_says_no_to_every_candidate_of_the_item(db: str) -> None:
    from evidence.review import settle

    store = Store(db)
    candidates = store.rows("links", "relation = 'recurs_in' and source_id = 'ce-2024-r3'")
    store.close()
    assert len(candidates) > 1
    settle(db, "none", item="ce-2024-r3")
    rebuild(db).close()
    verdicts = verdicts_of(db)
    assert {verdicts[c["key"]] for c in candidates} == {(0, "no", "repeats none of these")}
    store = Store(db)
    try:
        assert {r["confirmed"] for r in store.rows("links", "source_id = 'ce-2024-r3'")} == {0}
    finally:
        store.close()


def test_a_verdict_word_the_page_does_not_send_is_refused(db: str) -> None:
    key = link_between(db, "pl-2019-r6", "pl-2015-r8")["key"]
    store = Store(db)
    try:
        with pytest.raises(EvidenceError, match="verdict 'maybe' is not one of yes, partly, no"):
            store.set_verdict(key, "maybe")
    finally:
        store.close()


# -- verdicts that travel ------------------------------------------------------------------


def given_verdicts(db: str) -> None:
    """A yes, a partly, a no, "none of these" and a link a person drew."""
    from evidence.review import settle

    store = Store(db)
    recurs = {
        (r["source_id"], r["target_id"]): r["key"]
        for r in store.rows("links", "relation = 'recurs_in' and source_id like 'ce-%'")
    }
    store.close()
    settle(db, "yes", key=recurs[("ce-2024-r1", "ce-2015-r14")])
    settle(db, "partly", key=recurs[("ce-2024-r6", "ce-2015-r16")], note="the supervision half")
    settle(db, "no", key=recurs[("ce-2020-r2", "ce-2015-r6")])
    settle(db, "none", item="ce-2024-r3")
    run(db, "--add", "recommendations:ce-2020-r4", "recurs_in", "recommendations:ce-2015-r11")


def settled_links(db: str) -> set[tuple[str, str, str, int]]:
    store = Store(db)
    try:
        return {
            (r["source_id"], r["target_id"], r["method"], r["confirmed"])
            for r in store.rows("links", "confirmed is not null")
        }
    finally:
        store.close()


def states(db: str) -> dict[str, str]:
    store = Store(db)
    try:
        return {r["id"]: r["state"] for r in store.rows("journeys")}
    finally:
        store.close()


def test_verdicts_exported_and_imported_into_a_fresh_build_of_the_same_documents_are_all_back(
    tmp_path: Path, built_corpus: Path
) -> None:
    import shutil

    from conftest import CORPUS, store_copy

    from evidence.build import build

    # the documents in two places, as two offices would hold them: the bundled folder (its
    # store built once for the session) and a copy elsewhere, built afresh
    there = tmp_path / "elsewhere" / "reports"
    shutil.copytree(CORPUS, there)
    mine, theirs = str(store_copy(built_corpus, tmp_path / "mine.db")), str(tmp_path / "theirs.db")
    store = Store(mine)
    keys = [r["key"] for r in store.rows("links", "relation = 'recurs_in'")][:6]
    store.close()
    for n, key in enumerate(keys):
        run(mine, f"--{('confirm', 'partly', 'reject')[n % 3]}", key)
    exported = tmp_path / "verdicts.json"
    assert run(mine, "--export", str(exported)) == f"Wrote 6 verdicts to {exported}\n"

    build([there], theirs)
    assert settled_links(theirs) == set()
    output = run(theirs, "--import", str(exported))
    assert output == (
        "6 verdicts: 6 matched a link in this store, 0 not found in this store "
        "(kept: a build that finds both items applies them)\n"
    )
    assert {k: v[:2] for k, v in verdicts_of(theirs).items()} == {
        k: v[:2] for k, v in verdicts_of(mine).items()
    }
    assert settled_links(theirs) == settled_links(mine)
    assert states(theirs) == states(mine)


def test_an_export_names_both_items_so_a_reader_sees_what_was_decided(db: str, tmp_path: Path) -> None:
    import json

    given_verdicts(db)
    exported = tmp_path / "verdicts.json"
    run(db, "--export", str(exported))
    verdicts = json.loads(exported.read_text())
    partly = next(v for v in verdicts if v["verdict"] == "partly")
    assert partly["note"] == "the supervision half"
    assert partly["source"]["authority"] == partly["target"]["authority"] == "Cheshire East"
    assert (partly["source"]["date"], partly["target"]["date"]) == ("2024-05-16", "2015-09-15")
    assert partly["target"]["text"].startswith("Strengthen commissioning arrangements")
    assert {v["verdict"] for v in verdicts} == {"yes", "partly", "no"}
    assert all(v["source"]["fingerprint"] and v["target"]["fingerprint"] for v in verdicts)


def test_an_import_restores_every_verdict_and_says_what_it_could_not_find(tmp_path: Path) -> None:
    import json

    mine, theirs = str(tmp_path / "mine.db"), str(tmp_path / "theirs.db")
    make_store(Path(mine)).close()
    make_store(Path(theirs)).close()
    given_verdicts(mine)
    exported = tmp_path / "verdicts.json"
    run(mine, "--export", str(exported))
    verdicts = json.loads(exported.read_text())
    stranger = verdicts[0] | {
        "source": {"fingerprint": "0" * 16, "table": "recommendations"},
        "target": {"fingerprint": "1" * 16, "table": "recommendations"},
    }
    exported.write_text(json.dumps([*verdicts, stranger]))
    output = run(theirs, "--import", str(exported))
    assert f"{len(verdicts)} matched a link in this store, 1 not found in this store" in output
    assert settled_links(theirs) == settled_links(mine)
    assert stored_state(theirs, "ce-2015-r11") == stored_state(mine, "ce-2015-r11") == "recurred"
    # a verdict that found nothing waits for a build that holds both items
    assert len(verdicts_of(theirs)) == len(verdicts_of(mine)) + 1


def test_a_newer_verdict_of_this_store_is_kept_over_an_imported_one(tmp_path: Path) -> None:
    import json

    db = str(tmp_path / "review.db")
    make_store(Path(db)).close()
    key = link_between(db, "pl-2019-r6", "pl-2015-r8")["key"]
    run(db, "--reject", key)
    exported = tmp_path / "verdicts.json"
    run(db, "--export", str(exported))
    older = [
        v | {"verdict": "yes", "at": "2020-01-01T00:00:00+00:00"} for v in json.loads(exported.read_text())
    ]
    exported.write_text(json.dumps(older))
    assert "1 left as this store has them (its own verdict is newer)" in run(db, "--import", str(exported))
    assert verdicts_of(db)[key][0] == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json", "is not JSON"),
        ('{"verdict": "yes"}', "is not a list of verdicts"),
        ('[{"verdict": "yes"}]', "verdict 1 of the file is not one `evidence review --export` writes"),
        (
            '[{"verdict": "maybe", "relation": "recurs_in", "method": "suggested", "source": {}, "target": {}}]',
            "verdict 1 of the file says 'maybe'",
        ),
    ],
)
def test_a_file_that_is_not_an_export_is_explained(
    db: str, tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "verdicts.json"
    path.write_text(content)
    result = CliRunner().invoke(review, ["--db", db, "--import", str(path)])
    assert result.exit_code != 0
    assert message in result.output
    assert verdicts_of(db) == {}


# -- the review page -----------------------------------------------------------------------


def site(db: str, for_review: bool):
    """Datasette on the store as `evidence serve [--review]` starts it."""
    datasette_app = pytest.importorskip("datasette.app")
    pytest.importorskip("datasette_template_sql", reason="pip install datasette-template-sql")
    from evidence.site import TEMPLATE_DIR
    from evidence.site.process import metadata_for

    return datasette_app.Datasette(
        [db], metadata=metadata_for(db, review=for_review), template_dir=str(TEMPLATE_DIR)
    )


def get(app, path: str):
    import asyncio

    return asyncio.run(app.client.get(path))


def post(app, page, fields: dict[str, str], token: bool = True):
    """A form of the page sent back, with its CSRF cookie and (unless not) its token."""
    import asyncio

    data = dict(fields)
    if token:
        data["csrftoken"] = re.search(r'name="csrftoken" value="([^"]+)"', page.text).group(1)
    return asyncio.run(app.client.post("/review", data=data, cookies=dict(page.cookies)))


def page_text(page: str) -> str:
    import html

    page = re.sub(r"<(script|style)>.*?</\1>", "", page, flags=re.S)
    inline = re.sub(r"</?(?:a|span|code|strong|em|small|mark|kbd)\b[^>]*>", "", page)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", inline)).split())


def unsettled(db: str, authority: str) -> int:
    """The candidate repeats of the authority's later inspections nobody has settled."""
    store = Store(db)
    try:
        return store.query(
            "select count(*) as n from links l join recommendations s on s.id = l.source_id "
            "join documents d on d.id = s.document_id "
            "where l.relation = 'recurs_in' and l.confirmed is null and d.authority = ?",
            [authority],
        )[0]["n"]
    finally:
        store.close()


def test_the_review_page_puts_each_item_beside_its_candidates_most_probable_first(db: str) -> None:
    app = site(db, for_review=False)
    page = get(app, "/review?authority=cheshire%20east")
    assert page.status_code == 200
    text = page_text(page.text)
    assert f"{unsettled(db, 'Cheshire East')} candidates left for Cheshire East" in text
    # the first later inspection with candidates left (2015: it repeats the 2013 peer review),
    # and the next one a step away
    assert "The inspection of 2015-09-15 (SIF)" in text
    assert "next inspection with candidates left (2020-01-09)" in text
    item = re.search(r'<section[^>]*id="item-ce-2015-r4".*?</section>', page.text, re.S).group(0)
    probabilities = [float(p) for p in re.findall(r"probability <strong>([\d.]+)</strong>", item)]
    store = Store(db)
    scores = [r["score"] for r in store.rows("links", "relation = 'recurs_in' and source_id = 'ce-2015-r4'")]
    store.close()
    assert len(probabilities) > 1 and probabilities == sorted((round(s, 2) for s in scores), reverse=True)
    assert "suggested: counts only on a yes" in page_text(item) and "the tool asserts it" in page_text(item)
    assert "<mark" in item  # the words the two texts share
    # read-only: the same content, buttons off, and how to start it for review
    assert "Read-only. To settle candidates on this page, start the site for review" in text
    assert re.search(r'<button type="submit" name="verdict" value="yes" disabled', item)


def test_the_review_page_without_an_authority_lists_those_with_candidates(db: str) -> None:
    text = page_text(get(site(db, for_review=False), "/review").text)
    left = unsettled(db, "Cheshire East")
    assert f"Cheshire East: {left} of {left} candidates left" in text
    assert "Plymouth:" in text


def test_a_verdict_posted_to_a_site_not_started_for_review_is_refused(db: str) -> None:
    app = site(db, for_review=False)
    page = get(app, "/review?authority=Plymouth")
    key = link_between(db, "pl-2019-r6", "pl-2015-r8")["key"]
    answer = post(app, page, {"key": key, "verdict": "yes", "authority": "Plymouth"})
    assert answer.status_code == 403
    assert "evidence serve --review" in answer.text
    assert verdicts_of(db) == {}


def test_a_verdict_without_its_csrf_token_is_refused(db: str) -> None:
    app = site(db, for_review=True)
    page = get(app, "/review?authority=Plymouth")
    key = link_between(db, "pl-2019-r6", "pl-2015-r8")["key"]
    answer = post(app, page, {"key": key, "verdict": "yes", "authority": "Plymouth"}, token=False)
    assert answer.status_code == 403
    assert verdicts_of(db) == {}


def test_an_unknown_authority_or_inspection_on_the_review_page_is_said(db: str) -> None:
    app = site(db, for_review=False)
    nowhere = page_text(get(app, "/review?authority=Nowhere").text)
    assert "No documents of “Nowhere” in the store" in nowhere
    bogus = page_text(get(app, "/review?authority=Plymouth&inspection=bogus").text)
    assert "“bogus” is not a later inspection of Plymouth" in bogus


def test_a_verdict_posted_by_another_site_is_refused(db: str) -> None:
    # Datasette's CSRF check is skipped for a request without cookies, which is what a form on
    # another site sends (the cookie is SameSite=Lax): such a post was stored.
    import asyncio

    app = site(db, for_review=True)
    key = link_between(db, "pl-2019-r6", "pl-2015-r8")["key"]
    fields = {"key": key, "verdict": "no", "authority": "Plymouth"}
    bare = asyncio.run(app.client.post("/review", data=fields))
    assert bare.status_code == 403 and "review page's own form" in bare.text
    page = get(app, "/review?authority=Plymouth")
    token = re.search(r'name="csrftoken" value="([^"]+)"', page.text).group(1)
    elsewhere = asyncio.run(
        app.client.post(
            "/review",
            data={**fields, "csrftoken": token},
            cookies=dict(page.cookies),
            headers={"Origin": "http://evil.example"},
        )
    )
    assert elsewhere.status_code == 403
    assert verdicts_of(db) == {}


def test_a_verdict_given_on_the_page_is_stored_and_changes_the_journey_at_once(db: str) -> None:
    app = site(db, for_review=True)
    assert ">possible recurrence<" in get(app, "/trace/pl-2015-r8").text
    page = get(app, "/review?authority=Plymouth")
    assert "Read-only" not in page.text
    left = int(re.search(r"(\d+) candidates? left for Plymouth", page.text).group(1))
    key = link_between(db, "pl-2019-r6", "pl-2015-r8")["key"]
    fields = {"key": key, "verdict": "partly", "authority": "Plymouth", "at": "pl-2019-r6"}
    answer = post(app, page, fields)
    assert answer.status_code == 302
    assert answer.headers["location"] == "/review?authority=Plymouth&at=pl-2019-r6"
    assert verdicts_of(db)[key][:2] == (1, "partly")
    trace = get(app, "/trace/pl-2015-r8").text
    assert re.search(r"<h1>.*recurred.*</h1>", trace)
    assert "confirmed in part ✓" in trace
    assert "repeated in part · " in get(app, "/journeys?authority=Plymouth").text
    settled = next(part for part in trace.split('<div class="ev-event') if "confirmed in part" in part)
    assert "ev-unsettled" not in settled and ">repeated by a later inspection<" in settled
    after = get(app, answer.headers["location"])
    assert f"{left - 1} candidate" in page_text(after.text)
    assert "a person said partly" in page_text(after.text)


def test_repeats_none_of_these_on_the_page_settles_the_item(db: str) -> None:
    app = site(db, for_review=True)
    page = get(app, "/review?authority=cheshire%20east")
    before = unsettled(db, "Cheshire East")
    store = Store(db)
    candidates = len(store.rows("links", "relation = 'recurs_in' and source_id = 'ce-2024-r3'"))
    store.close()
    answer = post(app, page, {"item": "ce-2024-r3", "verdict": "none", "authority": "Cheshire East"})
    assert answer.status_code == 302
    store = Store(db)
    try:
        assert {r["confirmed"] for r in store.rows("links", "source_id = 'ce-2024-r3'")} == {0}
    finally:
        store.close()
    after = page_text(get(app, answer.headers["location"]).text)
    assert f"{before - candidates} candidates left for Cheshire East" in after


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"key": "nope", "verdict": "yes"}, "no link with key 'nope'"),
        ({"key": "nope", "verdict": "maybe"}, "verdict 'maybe' is not one the page sends"),
        ({"item": "nope", "verdict": "none"}, "recommendations 'nope' has no candidate repeats"),
    ],
)
def test_a_form_the_page_does_not_send_is_refused_with_why(db: str, fields: dict, message: str) -> None:
    app = site(db, for_review=True)
    answer = post(app, get(app, "/review?authority=Plymouth"), fields)
    assert answer.status_code == 400
    assert message in answer.text


def test_serve_for_review_listens_on_this_machine_only(db: str) -> None:
    from evidence.cli import cli

    result = CliRunner().invoke(cli, ["serve", "--db", db, "--review", "--host", "0.0.0.0"])
    assert result.exit_code != 0
    assert "--review lets the pages write the store, so it serves on 127.0.0.1 only" in result.output


def test_a_verdict_sent_under_another_host_name_is_refused(db: str) -> None:
    """A page of another site whose name leads to 127.0.0.1 (DNS rebinding) cannot give verdicts."""
    import asyncio

    app = site(db, for_review=True)
    page = get(app, "/review?authority=Plymouth")
    token = re.search(r'name="csrftoken" value="([^"]+)"', page.text).group(1)
    key = link_between(db, "pl-2019-r6", "pl-2015-r8")["key"]
    answer = asyncio.run(
        app.client.post(
            "/review",
            data={"csrftoken": token, "key": key, "verdict": "yes"},
            cookies=dict(page.cookies),
            headers={"host": "evil.example:8001"},
        )
    )
    assert answer.status_code == 403
    assert "verdicts are taken only at 127.0.0.1, not at evil.example:8001" in answer.text
    assert verdicts_of(db) == {}


def stored_journeys(db: str) -> tuple[list[tuple], list[tuple]]:
    conn = sqlite3.connect(db)
    try:
        return (
            sorted(conn.execute("select * from journeys").fetchall()),
            sorted(conn.execute("select * from journey_events").fetchall(), key=repr),
        )
    finally:
        conn.close()


def test_a_verdict_on_the_site_stores_the_journeys_every_refresh_would(db: str) -> None:
    """The site works out only the judged authority's journeys again: the same as all of them."""
    from evidence.journeys import refresh_journeys
    from evidence.review import settle

    settle(db, "yes", key=link_between(db, "pl-2019-r6", "pl-2015-r8")["key"])
    settle(db, "none", item="ce-2024-r3")
    settle(db, "partly", key=link_between(db, "ce-2024-r1", "ce-2015-r14")["key"])
    after_site = stored_journeys(db)
    store = Store(db)
    try:
        refresh_journeys(store)
    finally:
        store.close()
    assert stored_journeys(db) == after_site
    assert stored_state(db, "pl-2015-r8") == stored_state(db, "ce-2015-r14") == "recurred"
