"""`evidence review`: people confirm, reject or add links.

The weakest links come first. A verdict is kept under the link's stable key, so it survives
every rebuild; a rejected link is stored as rejected and never counts again. After verdicts the
store's journeys are worked out again, so the pages show what people decided.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import click

from extract.errors import EvidenceError
from extract.vocab import RELATIONS, shorten
from link.model import Link, Row

from .journeys import refresh_journeys
from .options import as_record, db_option
from .store import Store

SOURCE_TABLES = ("recommendations", "actions", "area_links", "findings")
DEFAULT_LIMIT = 20
# A review shows more of each text than a status table: a reviewer decides on it.
REVIEW_TEXT = 110

TO_REVIEW = """
select key, relation, method, score, evidence, confirmed, source_table, source_id, target_id,
       source_text, source_label, source_type, source_date, target_text, target_label, target_position,
       authority, target_date
from link_items
where (:everything or confirmed is null)
  and (:authority is null or lower(authority) = lower(:authority))
  and (:relation is null or relation = :relation)
order by score, key
limit :limit
"""


def links_to_review(
    store: Store,
    authority: str | None = None,
    relation: str | None = None,
    limit: int = DEFAULT_LIMIT,
    everything: bool = False,
) -> list[Row]:
    """Links no one has judged yet (or all of them), weakest first."""
    params = {"authority": authority, "relation": relation, "limit": limit, "everything": int(everything)}
    return store.query(TO_REVIEW, params)


def judge(store: Store, key: str, confirmed: bool, note: str | None = None) -> None:
    store.set_verdict(key, confirmed, note)


def add_link(store: Store, source: str, relation: str, target: str, note: str | None = None) -> Row:
    """A link the linker missed, from "table:id" to "recommendations:id"."""
    source_table, source_id = split_ref(source)
    target_table, target_id = split_ref(target)
    if source_table not in SOURCE_TABLES or target_table != "recommendations":
        raise EvidenceError(
            f"a link goes from one of {', '.join(SOURCE_TABLES)} to recommendations, not {source_table} to {target_table}"
        )
    for table, ident in ((source_table, source_id), (target_table, target_id)):
        if not store.query(f"select 1 from {table} where id = ?", [ident]):  # noqa: S608 - table from a fixed list
            raise EvidenceError(f"no row {ident!r} in {table}: check the id (evidence trace shows them)")
    evidence = f"added by a person: {note}" if note else "added by a person"
    link = Link(source_table, source_id, target_table, target_id, relation, "manual", 1.0, evidence)
    return store.add_manual_link(link.to_row(), note)


def give_verdicts(
    store: Store,
    confirm_keys: tuple[str, ...],
    reject_keys: tuple[str, ...],
    added: tuple[str, str, str] | None,
    note: str | None,
) -> None:
    """The verdicts and the link given on the command line. The journeys are worked out
    again after them, also when one is a mistake: the verdicts before it are kept."""
    try:
        for key in confirm_keys:
            judge(store, key, True, note)
        for key in reject_keys:
            judge(store, key, False, note)
        if added:
            if added[1] not in RELATIONS:
                raise EvidenceError(f"relation {added[1]!r} is not one of {', '.join(RELATIONS)}")
            row = add_link(store, added[0], added[1], added[2], note)
            ends = f"{row['source_table']}:{row['source_id']}>{row['relation']}>{row['target_table']}:{row['target_id']}"
            click.echo(f"Added {ends} (key {row['key']})")
    finally:
        refresh_journeys(store)


def split_ref(ref: str) -> tuple[str, str]:
    table, sep, ident = ref.partition(":")
    if not sep:
        return "recommendations", ref
    return table, ident


def describe(row: Row, number: int) -> str:
    target = row["target_label"] or f"item {row['target_position']}"
    source = f"{row['source_table'].rstrip('s').replace('_', ' ')} {row['source_label'] or ''}".strip()
    verdict = {None: "", 1: " [confirmed]", 0: " [rejected]"}[row["confirmed"]]
    return "\n".join(
        [
            f"{number}. {row['score']:.2f}  {row['relation']} ({row['method']}){verdict}",
            f"   {source} in the {(row['source_type'] or 'document').replace('_', ' ')} of {row['source_date']}: "
            f"{shorten(row['source_text'], REVIEW_TEXT)}",
            f"   -> {row['authority']} {row['target_date']} recommendation {target}: {shorten(row['target_text'], REVIEW_TEXT)}",
            f"   why: {row['evidence']}",
            f"   key: {row['key']}",
        ]
    )


def ask(store: Store, rows: list[Row]) -> tuple[int, int]:
    """One link at a time: confirm, reject, skip or quit. Returns (confirmed, rejected)."""
    counts = [0, 0]
    for number, row in enumerate(rows, 1):
        click.echo(describe(row, number))
        answer = click.prompt(
            "   [c]onfirm, [r]eject, [s]kip, [q]uit",
            default="s",
            show_default=False,
            type=click.Choice(["c", "r", "s", "q"]),
        )
        if answer == "q":
            break
        if answer in "cr":
            note = click.prompt("   note (optional)", default="", show_default=False) or None
            judge(store, row["key"], answer == "c", note)
            counts[answer == "r"] += 1
        click.echo("")
    return counts[0], counts[1]


@dataclass(frozen=True)
class ReviewOptions:
    """The options of `evidence review`."""

    db: str
    authority: str | None = None
    relation: str | None = None
    limit: int = DEFAULT_LIMIT
    everything: bool = False
    list_only: bool = False
    ask_always: bool = False
    confirm_keys: tuple[str, ...] = ()
    reject_keys: tuple[str, ...] = ()
    added: tuple[str, str, str] | None = None
    note: str | None = None


@click.command()
@db_option
@click.option("--authority", help="Only links to this authority's recommendations.")
@click.option("--relation", type=click.Choice(RELATIONS), help="Only links of this relation.")
@click.option(
    "--limit", type=click.IntRange(1), default=DEFAULT_LIMIT, show_default=True, help="How many links."
)
@click.option("--all", "everything", is_flag=True, help="Also links already confirmed or rejected.")
@click.option("--list", "list_only", is_flag=True, help="Only list them; do not ask.")
@click.option(
    "--ask", "ask_always", is_flag=True, help="Ask even when input is not a terminal (answers piped in)."
)
@click.option(
    "--confirm", "confirm_keys", multiple=True, metavar="KEY", help="Confirm the link with this key."
)
@click.option("--reject", "reject_keys", multiple=True, metavar="KEY", help="Reject the link with this key.")
@click.option(
    "--add",
    "added",
    nargs=3,
    metavar="SOURCE RELATION TARGET",
    help="Add a link the linker missed, e.g. --add actions:ID addresses recommendations:ID.",
)
@click.option("--note", help="Why: kept with the verdict or the added link.")
@as_record(ReviewOptions)
def review(options: ReviewOptions) -> None:
    """List links by ascending score to confirm or reject them, or add one the linker missed.

    Verdicts are kept under the link's key and survive every rebuild; a rejected link never
    counts again.

    Example: evidence review --authority "Cheshire East" --relation recurs_in
    """
    if not Path(options.db).exists():
        raise click.ClickException(f"{options.db} does not exist: run `evidence build` first (or pass --db).")
    store = Store(options.db)
    try:
        if options.confirm_keys or options.reject_keys or options.added:
            o = options
            give_verdicts(store, o.confirm_keys, o.reject_keys, o.added, o.note)
            click.echo(f"{len(o.confirm_keys)} confirmed, {len(o.reject_keys)} rejected")
        else:
            review_links(store, options)
    except EvidenceError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        store.close()


def review_links(store: Store, options: ReviewOptions) -> None:
    """List the links, or ask about each on a terminal (or with --ask)."""
    o = options
    rows = links_to_review(store, o.authority, o.relation, o.limit, o.everything)
    if not rows:
        click.echo("No links to review." if not o.everything else "No links.")
        return
    if o.list_only or not (o.ask_always or sys.stdin.isatty()):
        click.echo("\n\n".join(describe(row, n) for n, row in enumerate(rows, 1)))
        return
    try:
        confirmed, rejected = ask(store, rows)
    finally:  # also after a quit half way: the answers given are kept
        refresh_journeys(store)
    click.echo(f"{confirmed} confirmed, {rejected} rejected")
