"""`evidence review`: people confirm, reject or add links.

The weakest links come first. A verdict is kept under the link's stable key, so it survives
every rebuild; a rejected link is stored as rejected and never counts again. After verdicts the
store's journeys are worked out again, so the pages show what people decided.
"""

from __future__ import annotations

import json
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
from .store.verdicts import (
    authorities_judged,
    candidate_keys,
    replace_journeys_of,
    settle_item_none,
)

SOURCE_TABLES = ("recommendations", "actions", "area_links", "findings")
DEFAULT_LIMIT = 20
# A review shows more of each text than a status table: a reviewer decides on it.
REVIEW_TEXT = 110

TO_REVIEW = """
select i.key, i.relation, i.method, i.score, i.evidence, i.confirmed, v.verdict, i.source_table,
       i.source_id, i.target_id, i.source_text, i.source_label, i.source_type, i.source_date, i.target_text,
       i.target_label, i.target_position, i.authority, i.target_date
from link_items i
left join link_verdicts v on v.key = i.key
where (:everything or i.confirmed is null)
  and (:authority is null or lower(i.authority) = lower(:authority))
  and (:relation is null or i.relation = :relation)
order by i.score, i.key
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
    partly_keys: tuple[str, ...] = (),
) -> None:
    """The verdicts and the link given on the command line. The journeys are worked out
    again after them, also when one is a mistake: the verdicts before it are kept."""
    try:
        for key in confirm_keys:
            store.set_verdict(key, "yes", note)
        for key in partly_keys:
            store.set_verdict(key, "partly", note)
        for key in reject_keys:
            store.set_verdict(key, "no", note)
        if added:
            if added[1] not in RELATIONS:
                raise EvidenceError(f"relation {added[1]!r} is not one of {', '.join(RELATIONS)}")
            row = add_link(store, added[0], added[1], added[2], note)
            ends = f"{row['source_table']}:{row['source_id']}>{row['relation']}>{row['target_table']}:{row['target_id']}"
            click.echo(f"Added {ends} (key {row['key']})")
    finally:
        refresh_journeys(store)


def settle(
    db: str, verdict: str, key: str | None = None, item: str | None = None, note: str | None = None
) -> None:
    """One verdict from the review page: yes / partly / no on the link with `key`, or, with
    `item` (a recommendation id) and verdict `none`, no on each of its candidates. The journeys
    are worked out again in the same transaction, so a page never shows the one without the other."""
    store = Store(db)
    try:
        with store.transaction(immediate=True):
            if item is not None and verdict == "none":
                settle_item_none(store, "recommendations", item, note)
                keys = candidate_keys(store, "recommendations", item)
            elif key is not None:
                store.set_verdict(key, verdict, note)
                keys = [key]
            else:
                raise EvidenceError("a verdict needs a candidate's key, or an item and 'none'")
            for authority in authorities_judged(store, keys):
                refresh_authority(store, authority)
    finally:
        store.close()


def refresh_authority(store: Store, authority: str) -> None:
    """Work out one authority's journeys again, as `refresh_journeys` works out every one (an
    authority's journeys depend on its documents and the links to them alone): after a verdict
    on the site, the store's other authorities need not wait (tests/test_review.py checks that
    both store the same rows)."""
    from link.inspections import rows_to_docs

    from .journeys.journey import journey_rows

    docs = rows_to_docs(store.rows("documents"))
    within = [ident for ident, doc in docs.items() if (doc.authority or "") == authority]
    rows, events = journey_rows(store, docs, within)
    replace_journeys_of(store, within, rows, events)


def export_verdicts_to(store: Store, out: Path) -> int:
    """Write every verdict of the store to a JSON file; returns how many."""
    from .store.verdicts import export_verdicts

    verdicts = export_verdicts(store)
    try:
        out.write_text(json.dumps(verdicts, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    except OSError as exc:
        raise EvidenceError(f"cannot write {out} ({exc.strerror}): pass another --export FILE") from None
    return len(verdicts)


def import_verdicts_from(store: Store, path: Path) -> str:
    """Take the verdicts of a file `--export` wrote; returns what was done, in a line."""
    from .store.verdicts import import_verdicts

    try:
        entries = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise EvidenceError(f"cannot read {path} ({exc.strerror}): check the path") from None
    except ValueError as exc:
        raise EvidenceError(
            f"{path} is not JSON ({exc}): pass a file `evidence review --export` wrote"
        ) from None
    if not isinstance(entries, list):
        raise EvidenceError(f"{path} is not a list of verdicts: pass a file `evidence review --export` wrote")
    with store.transaction(immediate=True):
        done = import_verdicts(store, entries)
        refresh_journeys(store)
    return done.summary()


def split_ref(ref: str) -> tuple[str, str]:
    table, sep, ident = ref.partition(":")
    if not sep:
        return "recommendations", ref
    return table, ident


def describe(row: Row, number: int) -> str:
    target = row["target_label"] or f"item {row['target_position']}"
    source = f"{row['source_table'].rstrip('s').replace('_', ' ')} {row['source_label'] or ''}".strip()
    verdict = {None: "", 1: " [confirmed]", 0: " [rejected]"}[row["confirmed"]]
    if row["verdict"] == "partly":
        verdict = " [confirmed: partly]"
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
            store.set_verdict(row["key"], "yes" if answer == "c" else "no", note)
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
    partly_keys: tuple[str, ...] = ()
    reject_keys: tuple[str, ...] = ()
    added: tuple[str, str, str] | None = None
    note: str | None = None
    export_to: Path | None = None
    import_from: Path | None = None


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
@click.option(
    "--partly",
    "partly_keys",
    multiple=True,
    metavar="KEY",
    help="Confirm the link with this key as a partial repeat (a yes, with the word kept).",
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
@click.option(
    "--export",
    "export_to",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write every verdict to this JSON file (keyed by what the two items say, not their ids).",
)
@click.option(
    "--import",
    "import_from",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Take the verdicts of a file --export wrote (from this store or a build of the same documents).",
)
@as_record(ReviewOptions)
def review(options: ReviewOptions) -> None:
    """List links by ascending score to confirm or reject them, or add one the linker missed.

    Verdicts are kept under the link's key and survive every rebuild; a rejected link never
    counts again.

    Verdicts travel: --export FILE writes them all, --import FILE takes them into a store
    built from the same documents (here or elsewhere). The site settles them too:
    `evidence serve --review`, then /review?authority=NAME.

    Example: evidence review --authority "Cheshire East" --relation recurs_in
    """
    if not Path(options.db).exists():
        raise click.ClickException(f"{options.db} does not exist: run `evidence build` first (or pass --db).")
    store = Store(options.db)
    try:
        o = options
        if o.import_from or o.export_to:
            if o.import_from:
                click.echo(import_verdicts_from(store, o.import_from))
            if o.export_to:
                click.echo(f"Wrote {export_verdicts_to(store, o.export_to)} verdicts to {o.export_to}")
        elif o.confirm_keys or o.partly_keys or o.reject_keys or o.added:
            give_verdicts(store, o.confirm_keys, o.reject_keys, o.added, o.note, o.partly_keys)
            partly = f" ({len(o.partly_keys)} partly)" if o.partly_keys else ""
            click.echo(
                f"{len(o.confirm_keys) + len(o.partly_keys)} confirmed{partly}, {len(o.reject_keys)} rejected"
            )
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
