"""The linker against links a careful reader drew by hand, and its rules on small hand-built rows.

tests/data/link_rows.json holds store rows built by hand from the gold of the seeds, the
expected output of the 2018-2025 reports and the recommendations of the Cheshire East 2015,
Plymouth 2015 and Cambridgeshire 2014 reports as printed; tests/data/links_expected.json the
links drawn by hand between them. The same expectations are checked on a store built from
the real documents once the parsers for them are in.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from link.evaluate import measure, per_relation, resolve
from link.linker import Link, link_report, link_rows
from link.text import normalise

DATA = Path(__file__).resolve().parent / "data"
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
Row = dict[str, Any]
TABLES = ("recommendations", "actions", "findings", "area_links")
# The goal the issue sets for precision and recall against hand-drawn links (per relation,
# GOAL for both where the rules reach it; overall, issue 9's 0.95 precision and 0.9 recall).
GOAL = 0.95
GOAL_RECALL = 0.9
# Where each relation stands on the hand-built rows: a later inspection's repeats are scored
# by the model learned from hand-drawn recurrences (these rows among them; its fair measure,
# leave-one-authority-out, is benchmarks/link_speed.py --quality) and fall short of the goal
# (the links it asserts, at probability 0.75 or more, measured 0.93 precision, 0.69 recall,
# with the five repeats of the 2013 peer review's areas for consideration; the rest are
# suggestions for a person, see test_links_and_suggestions_hold_every_repeat); a progress report's statements that report on a
# recommendation are scored by the same model (measured 0.67, 0.86 on 7 links: an award won by
# the CSE service is not progress on CSE practice); every other relation reaches it.
RELATION_FLOOR = {
    "restates": GOAL,
    "responds_to": GOAL,
    "addresses": GOAL,
    "recurs_in": 0.65,
    "reports_status_of": 0.6,
}


def load_rows() -> tuple[list[Row], dict[str, list[Row]]]:
    data = json.loads((DATA / "link_rows.json").read_text(encoding="utf-8"))
    return data["documents"], {t: data[t] for t in TABLES}


def expected() -> dict[str, Any]:
    """The hand-checked links, and the reports (with the seeds) they are about."""
    data: dict[str, Any] = json.loads((DATA / "links_expected.json").read_text(encoding="utf-8"))
    return data


def expected_links() -> list[Row]:
    return expected()["links"]


# -- against the hand-drawn links --------------------------------------------------------


@pytest.fixture(scope="module")
def rows() -> tuple[list[Row], dict[str, list[Row]]]:
    return load_rows()


@pytest.fixture(scope="module")
def links(rows: tuple[list[Row], dict[str, list[Row]]]) -> list[Link]:
    documents, tables = rows
    return link_rows(documents, tables)


def test_every_expected_link_names_rows_that_exist(rows: tuple[list[Row], dict[str, list[Row]]]) -> None:
    documents, tables = rows
    for item in expected_links():
        assert resolve(item["source"], documents, tables), item["source"]
        assert resolve(item["target"], documents, tables), item["target"]


def test_precision_and_recall_against_hand_drawn_links(
    rows: tuple[list[Row], dict[str, list[Row]]], links: list[Link]
) -> None:
    result = measure(links, expected_links(), *rows)
    assert result["recall"] >= GOAL_RECALL, [m["why"] for m in result["missed"]]
    assert result["precision"] >= GOAL, result["extra"]


def test_precision_and_recall_per_relation(
    rows: tuple[list[Row], dict[str, list[Row]]], links: list[Link]
) -> None:
    measured = per_relation(links, expected_links(), *rows)
    assert set(measured) == set(RELATION_FLOOR)
    low = {r: pr for r, pr in measured.items() if min(pr) < RELATION_FLOOR[r]}
    assert not low, low


def test_links_and_suggestions_hold_every_repeat(rows: tuple[list[Row], dict[str, list[Row]]]) -> None:
    """What the linker asserts about repeats is right nine times in ten, and what it does not
    assert is put to a person: the links and suggestions together hold every hand-drawn
    repeat, at a few suggestions per later item."""
    documents, tables = rows
    report = link_report(documents, tables)
    expected = [e for e in expected_links() if e["relation"] == "recurs_in"]
    asserted = [link for link in report.links if link.relation == "recurs_in"]
    assert measure(asserted, expected_links(), *rows)["precision"] >= 0.9
    both = measure([*asserted, *report.suggestions], expected, *rows)
    assert both["recall"] == 1.0, both["missed"]
    suggested = [s for s in report.suggestions if s.relation == "recurs_in"]
    assert all(s.method == "suggested" for s in report.suggestions)
    assert all(re.search(r"; candidate \d of \d for the later item$", s.evidence) for s in suggested)
    assert len(suggested) <= 5 * len({s.source_id for s in suggested})


def test_recurs_in_errors_share_a_subject_and_say_so(
    rows: tuple[list[Row], dict[str, list[Row]]], links: list[Link]
) -> None:
    """Lexically these read as repeats and only the documents tell (Plymouth 2019 'Sufficiency
    of local placements ... older children' is not 2015 rec 10, adopters for children who need
    adoption): the few wrong links each name in their evidence the subject they share, so a
    reviewer sees why, and every recurs_in link gives its probability."""
    documents, tables = rows
    ours = [link for link in links if link.relation == "recurs_in"]
    extra = measure(ours, expected_links(), *rows)["extra"]
    assert len(extra) <= 4
    by_ends = {(link.source_id, link.target_id): link for link in ours}
    for source, target, _ in extra:
        assert "; both: " in by_ends[source, target].evidence
    assert all(
        re.search(r"probability [01]\.\d\d that a reader accepts it: ", link.evidence) for link in ours
    )


# -- the rules, on rows built by hand ----------------------------------------------------

SUPERVISION = "Ensure that supervision is reflective, challenging and focuses on professional development."
RECORDING = "Improve the quality of recording so that key decisions about children are clearly recorded."
MISSING = "Improve return home interviews for children who go missing so that risks are understood."


def document(ident: str, doc_type: str, date: str, authority: str = "Northshire", **more: Any) -> Row:
    return {
        "id": ident,
        "doc_type": doc_type,
        "date": date,
        "authority": authority,
        "title": ident,
        "path": f"{ident}.pdf",
    } | more


def recommendation(
    doc: str, n: int, text: str, kind: str = "recommendation", label: Any = "", **more: Any
) -> Row:
    label = str(n) if label == "" else label
    number = int(label) if label and str(label).isdigit() else None
    return {
        "id": f"{doc}-r{n}",
        "document_id": doc,
        "position": n,
        "text": text,
        "kind": kind,
        "label": label,
        "number": number,
    } | more


def inspection(
    ident: str = "insp", date: str = "2015-06-01", authority: str = "Northshire"
) -> tuple[Row, list[Row]]:
    texts = [SUPERVISION, RECORDING, MISSING]
    return document(ident, "inspection_report", date, authority), [
        recommendation(ident, n, t) for n, t in enumerate(texts, 1)
    ]


def linked(documents: list[Row], recs: list[Row], **tables: list[Row]) -> list[tuple[str, str, str, str]]:
    links = link_rows(documents, {"recommendations": recs, **tables})
    return sorted((link.source_id, link.target_id, link.relation, link.method) for link in links)


def test_by_number_when_the_texts_agree() -> None:
    insp, recs = inspection()
    report = document("report", "progress_report", "2016-01-01")
    restated = recommendation(
        "report", 1, "Ensure that supervision is reflective and challenging.", "restatement", status="met"
    )
    assert linked([insp, report], [*recs, restated]) == [
        ("report-r1", "insp-r1", "restates", "number+similarity")
    ]


def test_a_renumbered_list_is_linked_by_meaning_and_reported() -> None:
    insp, recs = inspection()
    report = document("report", "progress_report", "2016-01-01")
    restated = recommendation("report", 1, RECORDING, "restatement", label="1")  # rec 2's text under label 1
    result = link_report([insp, report], {"recommendations": [*recs, restated]})
    assert [(link.target_id, link.method) for link in result.links] == [("insp-r2", "similarity")]
    assert result.disagreements == [
        "report-r1: its label 1 names recommendation 1, but its text agrees with recommendation 2 (1.00)"
    ]


def test_a_number_alone_is_never_enough() -> None:
    insp, recs = inspection()
    report = document("report", "progress_report", "2016-01-01")
    other = recommendation("report", 1, "Implementation of the new case management system.", "restatement")
    result = link_report([insp, report], {"recommendations": [*recs, other]})
    assert result.links == []
    assert "the texts disagree" in result.disagreements[0]


def test_never_across_authorities() -> None:
    north, north_recs = inspection()
    south, south_recs = inspection("south", authority="Southshire")
    plan = document("plan", "improvement_plan", "2016-01-01", authority="Southshire")
    area = recommendation("plan", 1, SUPERVISION, "plan_area")
    assert {t for _, t, _, _ in linked([north, south, plan], [*north_recs, *south_recs, area])} == {
        "south-r1"
    }
    themes = link_rows([north, south], {"recommendations": [*north_recs, *south_recs]}, same_theme=True)
    assert {(link.relation, link.source_id, link.target_id) for link in themes} >= {
        ("same_theme", "south-r1", "insp-r1")
    }
    assert link_rows([north, south], {"recommendations": [*north_recs, *south_recs]}) == []  # off by default


@pytest.mark.parametrize(
    ("date", "title", "answers"),
    [
        ("2016-03-01", "Improvement plan", "first"),  # the most recent inspection on or before its date
        ("2019-09-01", "Improvement plan", "second"),
        ("2019-09-01", "Progress against the 2015 inspection", "first"),  # it names another
        ("2015-01-01", "Improvement plan", None),  # before any stored inspection: a stand-in, not a link
    ],
)
def test_which_inspection_a_document_answers(date: str, title: str, answers: str | None) -> None:
    first, first_recs = inspection("first", "2015-06-01")
    second, second_recs = inspection("second", "2019-06-01")
    plan = document("plan", "improvement_plan", date, title=title)
    area = recommendation("plan", 1, SUPERVISION, "plan_area")
    links = linked([first, second, plan], [*first_recs, *second_recs, area])
    assert [t for s, t, _, _ in links if s == "plan-r1"] == ([f"{answers}-r1"] if answers else [])


def test_a_report_stored_twice_is_linked_one_to_one_and_counted_once() -> None:
    own, recs = inspection("own")
    pack = document("pack", "committee_pack", "2015-07-01")
    copy = document("copy", "inspection_report", "2015-06-01", parent_id="pack")
    copies = [recommendation("copy", n, r["text"]) for n, r in enumerate(recs, 1)]
    later, later_recs = inspection("later", "2019-06-01")
    links = linked([own, pack, copy, later], [*recs, *copies, *later_recs])
    assert [(s, t) for s, t, r, _ in links if s.startswith("copy")] == [
        ("copy-r1", "own-r1"),
        ("copy-r2", "own-r2"),
        ("copy-r3", "own-r3"),
    ]
    assert {t for _, t, r, _ in links if r == "recurs_in"} == {"own-r1", "own-r2", "own-r3"}  # never the copy


def test_actions_address_the_recommendation_their_area_answers() -> None:
    insp, recs = inspection()
    plan = document("plan", "improvement_plan", "2015-07-01")
    area = recommendation("plan", 3, MISSING, "plan_area")
    actions = [
        {
            "id": f"plan-a{n}",
            "document_id": "plan",
            "area_label": "3",
            "label": f"3.{n}",
            "text": "Audit interviews",
        }
        for n in (1, 2)
    ]
    assert linked([insp, plan], [*recs, area], actions=actions) == [
        ("plan-a1", "insp-r3", "addresses", "number+similarity"),
        ("plan-a2", "insp-r3", "addresses", "number+similarity"),
        ("plan-r3", "insp-r3", "responds_to", "number+similarity"),
    ]


def test_a_link_to_recommendation_table_is_explicit() -> None:
    insp, recs = inspection()
    report = document("report", "progress_report", "2016-01-01")
    rows = [
        {
            "id": "report-l1",
            "document_id": "report",
            "area": "Quality of practice",
            "labels": '["1", "2b", "9"]',
        }
    ]
    result = link_report([insp, report], {"recommendations": recs, "area_links": rows})
    assert sorted((link.target_id, link.method, link.score) for link in result.links) == [
        ("insp-r1", "explicit", 1.0),
        ("insp-r2", "explicit", 1.0),
    ]
    assert "recommendation 9, not in the inspection of 2015-06-01" in result.disagreements[0]


def test_a_later_inspection_repeats_a_bullet_of_an_earlier_recommendation() -> None:
    first = document("first", "inspection_report", "2015-06-01")
    bullets = [
        "complex cases where there is drift and delay",
        "private fostering arrangements",
        "care leavers who are homeless",
    ]
    rec = recommendation(
        "first",
        1,
        "Strengthen senior managers' oversight of: " + " ".join(bullets),
        sub_items=json.dumps(bullets),
    )
    later = document("later", "inspection_report", "2019-06-01")
    item = recommendation("later", 1, "The response to care leavers who are homeless.", label=None)
    other = recommendation("later", 2, "The quality of written plans.", label=None)
    links = link_report([first, later], {"recommendations": [rec, item, other]}).links
    assert [(link.source_id, link.target_id, link.relation) for link in links] == [
        ("later-r1", "first-r1", "recurs_in")
    ]
    assert "its bullet 'care leavers who are homeless'" in links[0].evidence


def repeats(earlier: list[str | list[str]], later: list[str]) -> set[tuple[int, int]]:
    """(later item, earlier recommendation) pairs, 1-based, that the linker says recur; an
    earlier recommendation given as a list is a lead-in and its bullets."""
    first = document("first", "inspection_report", "2015-06-01")
    recs = []
    for n, item in enumerate(earlier, 1):
        if isinstance(item, list):
            recs.append(recommendation("first", n, " ".join(item), sub_items=json.dumps(item[1:])))
        else:
            recs.append(recommendation("first", n, item))
    second = document("second", "inspection_report", "2019-06-01")
    recs += [recommendation("second", n, text, label=None) for n, text in enumerate(later, 1)]
    links = link_rows([first, second], {"recommendations": recs})
    number = {row["id"]: row["position"] for row in recs}
    return {
        (number[link.source_id], number[link.target_id]) for link in links if link.relation == "recurs_in"
    }


RECORDING_OVERSIGHT = (
    "Improve the quality of recording so that all key discussions and decisions about children and their "
    "families, including management oversight, are clearly recorded."
)
SENIOR_OVERSIGHT = [
    "Strengthen senior managers' oversight and monitoring of:",
    "complex cases where there are historic drift and delay",
    "private fostering arrangements",
    "care leavers who are homeless",
]
PLANS = (
    "Ensure that plans to help children in need of help and protection, looked after children and care "
    "leavers are specific, clear, outcome-focused and include timescales and contingencies so that "
    "families and professionals understand what needs to happen to improve circumstances for children."
)
CHALLENGE = "Ensure the challenge provided by child protection chairs addresses drift and improves planning."


@pytest.mark.parametrize(
    ("earlier", "later", "expected"),
    [
        # What must improve is recording; management oversight is only among what to record.
        # The model learned from 33 authorities gives the two a probability below the bar it
        # asserts at (0.75): a suggestion for a person, not a link.
        ([RECORDING_OVERSIGHT, SUPERVISION], ["Consistent management oversight and supervision."], {(1, 2)}),
        # The same subject, management oversight, asked more widely: a partial repeat as the
        # hand-drawn recurrences count them (../shared/gold/README.md).
        (
            ["Management oversight of cases in pre-proceedings."],
            ["Management oversight and supervision."],
            {(1, 1)},
        ),
        # The lead-in alone is shared: no bullet is repeated; a bullet is.
        ([SENIOR_OVERSIGHT], ["The quality of management oversight and supervision."], set()),
        ([SENIOR_OVERSIGHT], ["Management oversight of cases, to avoid drift and delay."], {(1, 1)}),
        # The same subject, plans, in few shared words; planning in passing is not the subject.
        (
            [PLANS, CHALLENGE],
            ["The quality of plans for children to ensure they are child-focused."],
            {(1, 1)},
        ),
        # Planning for a transition is about transitions, which a pathway plan is.
        (
            ["Ensure that children's plans are outcome-focused, specific and include timescales.", "x"],
            ["The arrangements to plan for and support children to transition to adulthood."],
            set(),
        ),
        (
            ["Ensure that care leavers have detailed pathway plans that are up to date."],
            ["Transition planning for care leavers."],
            {(1, 1)},
        ),
        # Words in their sense: oversight of the LADO is not oversight of casework, a service
        # plan is not a child's plan, permanent staff is not permanence.
        (
            ["Ensure that management oversight of casework is consistent and recorded."],
            [
                "Strengthen management oversight of the local authority designated officer (LADO) arrangements."
            ],
            set(),
        ),
        (
            ["Ensure plans are in place to improve the sufficiency of placements."],
            ["Ensure that children in need have plans that are specific and timely."],
            set(),
        ),
        (
            ["Improve the recruitment of permanent staff to reduce reliance on agency workers."],
            ["Ensure permanence is achieved for children without delay."],
            set(),
        ),
        # The same ask in other words: exploitation is CSE; quality assurance information is
        # performance monitoring.
        (
            ["Improve the response to children at risk of child sexual exploitation."],
            ["Strengthen the response to children at risk of exploitation."],
            {(1, 1)},
        ),
        (
            ["Improve performance monitoring so that senior leaders understand practice."],
            ["Ensure quality assurance information is used by senior leaders to understand practice."],
            {(1, 1)},
        ),
        # A near-verbatim repeat needs no word of the vocabulary.
        (
            [
                "Ensure that the local offer for disabled young people is published and kept up to date.",
                "Improve the timeliness of initial health assessments.",
            ],
            [
                "Ensure that the local offer for disabled young people is published and kept up to date across the area."
            ],
            {(1, 1)},
        ),
        # One bullet of a long themed recommendation, repeated: the bullet is scored, not the whole.
        (
            [
                [
                    "Strengthen commissioning arrangements by:",
                    "reviewing the use of bed and breakfast accommodation for young people",
                    "ensuring sufficient health provision for older children",
                    "improving the use of family group conferences",
                    "increasing the capacity of advocacy services",
                ]
            ],
            ["The capacity of advocacy services for children in need."],
            {(1, 1)},
        ),
        # The same children (care leavers) are not the same subject.
        (
            ["Improve work experience and apprenticeship opportunities for care leavers."],
            ["The range and impact of participation opportunities for care leavers."],
            set(),
        ),
    ],
)
def test_a_repeat_asks_to_improve_the_same_thing(
    earlier: list[str | list[str]], later: list[str], expected: set[tuple[int, int]]
) -> None:
    assert repeats(earlier, later) == expected


def test_evidence_says_why_in_words_a_reviewer_can_check() -> None:
    insp, recs = inspection()
    report = document("report", "progress_report", "2016-01-01")
    restated = recommendation("report", 1, SUPERVISION, "restatement")
    (link,) = link_rows([insp, report], {"recommendations": [*recs, restated]})
    assert link.evidence == (
        "same authority; answers the inspection of 2015-06-01; label 1 = recommendation 1; text agreement 1.00; "
        "both: supervision, challenge, development, focus, professional"
    )


def test_keys_are_stable_whatever_the_order_of_the_rows() -> None:
    documents, tables = load_rows()
    shuffled = {name: list(reversed(rows)) for name, rows in tables.items()}
    assert {link.ends for link in link_rows(documents, tables)} == {
        link.ends for link in link_rows(list(reversed(documents)), shuffled)
    }


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("children looked after", "cared for children"),
        ("cared for children", "children in care"),
        ("independent reviewing officers", "IROs"),
        ("Local Safeguarding Children Board", "the safeguarding partnership"),
        ("education, employment and training", "EET"),
        ("the voice of the child", "children's views"),
    ],
)
def test_the_vocabulary_reads_the_field_s_words_as_one(a: str, b: str) -> None:
    assert normalise(a) == normalise(b) != ""


def test_paragraph_references_and_stop_words_are_not_the_subject() -> None:
    assert (
        normalise("Ensure that supervision is reflective (paragraphs 33, 130).") == "supervision reflective"
    )


# -- on a store built from the real documents ----------------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Row], dict[str, list[Row]]]:
    from evidence.build import build
    from evidence.store import Store

    if not SHARED.exists():
        pytest.skip("../shared (the Ofsted reports) is not here")
    path = tmp_path_factory.mktemp("linker") / "built.db"
    corpus = Path(__file__).resolve().parents[1] / "corpus"
    build([corpus, *(SHARED / "corpus" / "ofsted" / name for name in expected()["reports"])], path)
    store = Store(path)
    documents, tables = store.rows("documents"), {t: store.rows(t) for t in TABLES}
    store.close()
    return documents, tables


@pytest.mark.slow  # reads ../shared/corpus/ofsted (its fixture skips by itself, unseen by conftest)
def test_precision_and_recall_on_the_real_documents(built: tuple[list[Row], dict[str, list[Row]]]) -> None:
    documents, tables = built
    result = measure(link_rows(documents, tables), expected_links(), documents, tables)
    assert not result["unresolved"], result["unresolved"]
    assert result["recall"] >= GOAL_RECALL, [m["why"] for m in result["missed"]]
    assert result["precision"] >= GOAL, result["extra"]


def test_the_hard_paraphrase_shares_its_subject() -> None:
    # "Embed the voice of the child" against "Improve the recording of parents' and children's views"
    first = document("first", "inspection_report", "2012-09-01")
    earlier = recommendation("first", 1, "Improve the recording of parents' and children's views.")
    later = document("later", "inspection_report", "2014-08-01")
    item = recommendation("later", 1, "Embed the voice of the child.")
    (link,) = link_rows([first, later], {"recommendations": [earlier, item]})
    assert (link.source_id, link.target_id, link.relation) == ("later-r1", "first-r1", "recurs_in")
    assert link.evidence.endswith("both: voice child")


# -- the recurrence model, on authorities it did not learn from ---------------------------

# Measured leave-one-authority-out on ../shared/gold/recurrence_dev.json,
# tests/data/recurrence_labelled_*.json and the recurs_in links of tests/data/links_expected.json
# (33 authorities, 270 links, 408 later items; every later item against the asks of every
# earlier inspection): the asserted links (probability >= the model's threshold, 0.75) are
# right 0.92 of the time (86/93); with the suggestions kept (the 5 most probable of the rest
# at >= 0.05) they hold 0.87 of the hand-drawn repeats at 2.6 suggestions per later item.
# Floors a hair under (0.925, 0.867, 2.58); the goal (0.95 at no more than 3) is not reached.
LOAO_PRECISION, LOAO_RECALL, LOAO_DECISIONS = 0.92, 0.86, 2.6


@pytest.mark.skipif(not (SHARED / "gold" / "recurrence_dev.json").exists(), reason="needs ../shared/gold")
def test_candidates_on_authorities_the_model_did_not_learn_from() -> None:
    from link import candidates, train
    from link.learn import stored_models

    weights = stored_models()["recurs_in"]
    found = candidates.lists(train.training_golds())
    chances = candidates.leave_one_authority_out(found)
    figures = candidates.measure(found, chances, weights.threshold, weights.suggest, weights.keep)
    assert figures.precision >= LOAO_PRECISION, figures
    assert figures.recall >= LOAO_RECALL and figures.decisions <= LOAO_DECISIONS, figures
    # the shipped threshold, suggestion bar and number kept are the ones measurement chooses
    assert candidates.choose(train.training_golds()) == (weights.threshold, weights.suggest, weights.keep)


@pytest.mark.skipif(not (SHARED / "gold" / "recurrence_dev.json").exists(), reason="needs ../shared/gold")
def test_the_figures_to_tune_on_leave_the_held_out_sets_unread(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from link import candidates

    def unread(path: Path) -> dict[str, object]:
        raise AssertionError(f"{path} read")

    monkeypatch.setattr(candidates, "load_gold", unread)
    candidates.main(["--loao"])
    out = capsys.readouterr().out
    assert "leave-one-authority-out" in out and "(33 authorities, 408 later items" in out, out
    assert "holdout" not in out and "held-out" not in out, out


@pytest.mark.skipif(not (SHARED / "gold" / "recurrence_dev.json").exists(), reason="needs ../shared/gold")
def test_recurrence_scores_are_calibrated_leave_one_authority_out() -> None:
    from link import train

    found = train.examples(train.training_golds())
    chances = train.leave_one_authority_out(found)
    # Calibrated: of the pairs scored above 0.8 most are accepted, of those below 0.2 few.
    bands = train.reliability(chances, found.y)
    assert bands[-1][3] >= 0.75 and bands[0][3] <= 0.1, bands


def test_a_later_items_candidates_are_split_into_links_and_the_best_few_suggestions() -> None:
    from link.candidates import keep_candidates

    ranked = [(0.02, "too unlikely"), (0.9, "sure"), (0.3, "second"), (0.76, "also sure"), (0.5, "first")]
    links, suggestions = keep_candidates(ranked, threshold=0.75, suggest=0.05, keep=2)
    assert [name for _, name in links] == ["sure", "also sure"]
    assert [name for _, name in suggestions] == ["first", "second"]
    assert keep_candidates(ranked, 0.75, 0.05, 0)[1] == []


def test_the_earlier_inspections_of_a_later_one_include_those_it_skips() -> None:
    from link.candidates import earlier_files

    pairs = [{"earlier_file": "a14", "later_file": "a18"}, {"earlier_file": "a18", "later_file": "a22"}]
    assert earlier_files(pairs) == {"a18": {"a14"}, "a22": {"a14", "a18"}}


def test_a_gold_file_that_is_not_one_says_what_to_give(tmp_path: Path) -> None:
    from extract.errors import EvidenceError
    from link import train

    path = tmp_path / "gold.json"
    path.write_text('{"items": {}}', encoding="utf-8")
    with pytest.raises(EvidenceError, match="no pairs, links in it; give a file shaped like"):
        train.load_gold(path)


# Measured on recurrences drawn blind by other hands for authorities the model never learned
# from (tests/data/recurrence_holdout_*.json), every later item against the asks of every
# earlier inspection, once, after the threshold and the suggestions kept were chosen on the
# labelled authorities: (share of the hand-drawn repeats the links and suggestions hold,
# suggestions per later item, precision of the asserted links):
# e (Bradford, Essex, Hounslow; 21 links) 0.90, 1.9, 0.83 (5/6); f (Brent, Calderdale,
# Oxfordshire; 8) 0.88, 2.0, 1.00 (6/6); the second reader of e and f (28) 0.89, 2.0, 0.91
# (10/11); k (Lincolnshire, Barking and Dagenham, Durham; 20) 0.70, 2.1, 0.64 (7/11);
# l (Warrington, Brighton and Hove, Peterborough; 19) 0.95, 2.4, 0.90 (9/10); m
# (Nottinghamshire, West Sussex, Wokingham; 22) 0.73, 1.6, 1.00 (10/10); n (Stockton-on-Tees,
# Hackney, Suffolk; 15) 0.73, 2.3, 0.60 (3/5); o (Tameside, Barnet, Cornwall; 10) 0.90, 2.6,
# 1.00 (4/4); p (Croydon, Havering, South Gloucestershire; 23) 1.00, 2.9, 0.82 (9/11). All 24
# together (138 links, 239 later items): 0.84 at 2.2 suggestions a later item, asserted
# precision 0.84 (52/62) -- short of the goals (0.95 at no more than 3; 0.9). Floors a little
# under (recall, precision); decisions a little over.
HOLDOUT_FLOORS = {
    "recurrence_holdout_e.json": (0.85, 0.8, 2.1),
    "recurrence_holdout_f.json": (0.85, 0.95, 2.2),
    "recurrence_second_reader_ef.json": (0.85, 0.85, 2.2),
    "recurrence_holdout_k.json": (0.65, 0.6, 2.3),
    "recurrence_holdout_l.json": (0.9, 0.85, 2.6),
    "recurrence_holdout_m.json": (0.7, 0.95, 1.8),
    "recurrence_holdout_n.json": (0.7, 0.55, 2.5),
    "recurrence_holdout_o.json": (0.85, 0.95, 2.8),
    "recurrence_holdout_p.json": (0.95, 0.8, 3.1),
}


@pytest.mark.parametrize("name", sorted(HOLDOUT_FLOORS))
def test_candidates_held_out(name: str) -> None:
    from link import candidates, train
    from link.learn import stored_models

    if not (DATA / name).exists():
        pytest.skip(f"{name} is not in tests/data")
    weights = stored_models()["recurs_in"]
    found = candidates.lists([train.load_gold(DATA / name)])
    chances = weights.probability(found.x)
    figures = candidates.measure(found, chances, weights.threshold, weights.suggest, weights.keep)
    recall, precision, decisions = HOLDOUT_FLOORS[name]
    assert figures.recall >= recall and figures.precision >= precision, figures
    assert figures.decisions <= decisions, figures


def test_scores_are_probabilities_on_links_the_model_never_learned_from() -> None:
    """Of the held-out pairs scored in each band, about that share are a reader's links (all
    held-out sets together: 554 pairs; measured 0.05, 0.29, 0.36, 0.62, 0.84)."""
    from link import train
    from link.learn import stored_models

    found = train.examples(
        [train.load_gold(DATA / name) for name in sorted(HOLDOUT_FLOORS) if "holdout" in name]
    )
    bands = train.reliability(stored_models()["recurs_in"].probability(found.x), found.y)
    for lo, hi, pairs, share in bands:
        assert pairs >= 20 and abs(share - (lo + hi) / 2) <= 0.15, bands


def test_two_readers_agree_on_the_links_both_drew_of_the_pairs_both_read() -> None:
    from link import train

    def gold(pairs: list[tuple[str, str]], links: list[tuple[str, str, str, str]]) -> dict[str, object]:
        return {
            "pairs": [{"earlier_file": a, "later_file": b} for a, b in pairs],
            "links": [
                {"earlier_file": a, "earlier_ref": r, "later_file": b, "later_ref": q} for a, r, b, q in links
            ],
        }

    first = gold(
        [("x14", "x18"), ("y15", "y19")],
        [
            ("x14", "label 1", "x18", "position 1"),
            ("x14", "label 2", "x18", "position 2"),
            ("y15", "label 3", "y19", "position 1"),
        ],
    )
    # reads x only: y's link is no miss; one of its two links is the first reader's
    second = gold(
        [("x14", "x18")], [("x14", "label 1", "x18", "position 1"), ("x14", "label 4", "x18", "position 3")]
    )
    assert train.readers_agreement([first], second) == (0.5, 0.5)
    assert train.readers_agreement([first], first) == (1.0, 1.0)


def test_the_next_inspection_repeats_a_peer_review_s_area_sentence_by_sentence(
    rows: tuple[list[Row], dict[str, list[Row]]], links: list[Link]
) -> None:
    """The 2013 peer review found the vision for early help and the front door not understood,
    and partners not committed to the Early Help offer; the 2015 inspection asks again for
    timely early help (rec 4). A review's area is a paragraph: its best sentence counts."""
    documents, tables = rows
    ours = [link for link in links if link.relation == "recurs_in" and link.target_id.startswith("ce-2013")]
    assert {(link.source_id, link.target_id) for link in ours} >= {
        ("ce-2015-r4", "ce-2013-r6"),
        ("ce-2015-r4", "ce-2013-r7"),
    }
    assert all(link.source_id.startswith("ce-2015") for link in ours)  # the next inspection only
    assert (
        "(its sentence 'This particularly applies to the Early Help offer.') of the peer review letter"
        in next(link.evidence for link in ours if link.target_id == "ce-2013-r7")
    )


@pytest.mark.skipif(not (SHARED / "gold" / "recurrence_dev.json").exists(), reason="needs ../shared/gold")
def test_the_shipped_model_is_what_training_on_the_labelled_links_makes(tmp_path: Path) -> None:
    from link import train

    out = tmp_path / "model.json"
    train.main(["--out", str(out)])
    shipped = json.loads((Path(train.__file__).parent / "data" / "model.json").read_text(encoding="utf-8"))
    assert json.loads(out.read_text(encoding="utf-8"))["models"] == shipped["models"]


# -- meanings learned from the reports' own prose (link/meaning.py) -------------------------


def test_paraphrases_agree_in_meaning_and_other_subjects_do_not() -> None:
    from link.meaning import meanings
    from link.text import normalise_many

    texts = [
        "Improve services for children at risk of exploitation.",
        "Strengthen the response to children at risk of CSE.",
        "Improve the educational attainment of children looked after.",
    ]
    words = [t.split() for t in normalise_many(texts)]
    agreement = meanings().agreement(words, words)
    assert agreement[0, 1] >= 0.8 > 0.3 >= agreement[0, 2]


@pytest.mark.slow  # starts processes of its own (the learner's two workers)
def test_meanings_are_learned_again_from_a_folder_of_reports(tmp_path: Path) -> None:
    from link import meaning

    out = tmp_path / "meanings.npz"
    meaning.main([str(DATA.parents[1] / "corpus"), "--out", str(out)])
    import numpy as np

    with np.load(out) as data:
        words = [str(w) for w in data["words"]]
        assert "supervision" in words and data["vectors"].shape[0] == len(words)


def test_a_folder_without_reports_says_what_to_give(tmp_path: Path) -> None:
    from link import meaning

    with pytest.raises(SystemExit, match="no PDF in .*: give the folders of reports to learn from"):
        meaning.main([str(tmp_path)])


def test_a_committee_report_s_paragraphs_respond_to_the_item_their_heading_restates(
    rows: tuple[list[Row], dict[str, list[Row]]], links: list[Link]
) -> None:
    """The 2020 committee report restates each ILACS item as a 5.10 heading and says under it
    what the council does: each paragraph there answers that item, and no 5.9 strength does."""
    found = {(link.source_id, link.target_id): link for link in links if link.source_table == "findings"}
    response = found[("ce-pack-508-f12", "ce-2020-r2")]
    assert response.relation == "responds_to"
    assert "under the heading 'Management oversight of cases in pre-proceedings" in response.evidence
    assert "restates item 2 of the inspection of 2020-01-09" in response.evidence
    _, tables = rows
    strengths = {f["id"] for f in tables["findings"] if f["kind"] == "area_of_strength"}
    assert strengths and not strengths & {source for source, _ in found}


@pytest.mark.slow  # starts processes of its own
def test_the_same_texts_get_the_same_scores_in_every_process() -> None:
    """Whatever order Python's string hashing gives a set of words, a text's meaning is summed
    in one order: the candidates a person is asked to settle (and their keys) do not change
    from one build to the next."""
    import subprocess
    import sys

    code = (
        "from link.meaning import meanings; from link.text import normalise; "
        "text = normalise('Improve the quality and timeliness of assessments, plans and management oversight "
        "for children in need of help and protection, care leavers and disabled children'); "
        "print(meanings().of([text.split()]).tobytes().hex())"
    )
    root = Path(__file__).resolve().parents[1]
    seen = {
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            cwd=root,
            env={"PYTHONHASHSEED": str(seed), "PATH": ""},
        ).stdout
        for seed in range(4)
    }
    assert len(seen) == 1


def test_a_later_item_that_shares_nothing_with_an_earlier_ask_is_not_its_closest() -> None:
    """Every pair is ranked now, however little it agrees: one that shares no word is nobody's
    closest match, even when nothing else agrees either."""
    from extract.records import Recommendation
    from link.recurrence import FEATURE_NAMES, Repeats
    from link.score import Encoder

    def ask(ident: str, text: str) -> Recommendation:
        return Recommendation(id=ident, document_id=ident[0], page=1, kind="recommendation", text=text)

    later = [ask("l1", "Improve the sufficiency of placements.")]
    earlier = [ask("e1", "Strengthen audit of practice.")]
    found = Repeats(Encoder([r.text for r in later + earlier]), later, earlier).candidates(0.0)
    x = dict(zip(FEATURE_NAMES, found[0].x, strict=True))
    assert x["agreement"] == 0 and x["best_for_later"] == 0 and x["best_for_earlier"] == 0
