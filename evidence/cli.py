"""The command line: options in, one library call, output formatted."""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import click

from extract.errors import EvidenceError

from .build.cluster import EXECUTORS
from .build.result import BuildResult
from .export import SITE_URL, TrackerOptions
from .options import as_of_option, as_record, authority_option, db_option, existing_db, json_option
from .site import TEMPLATE_DIR
from .site.process import metadata_for, run_until_stopped
from .store import Store

F = TypeVar("F", bound=Callable[..., Any])

BUNDLED_CORPUS = Path(__file__).resolve().parent.parent / "corpus"


class Group(click.Group):
    """Library errors become one-line messages; the traceback is for bugs only."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except EvidenceError as exc:
            raise click.ClickException(str(exc)) from None


@click.group(cls=Group)
@click.version_option(package_name="evidence")
def cli() -> None:
    """Trace children's-services inspection recommendations from inspection to closure."""


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
@db_option
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=min(4, os.cpu_count() or 1),
    show_default=True,
    help="Worker processes for extraction (with --executor dask and no --scheduler: of the local cluster).",
)
@click.option(
    "--accept-worse", is_flag=True, help="Store changed files even when they give fewer rows than before."
)
@click.option(
    "--executor",
    type=click.Choice(list(EXECUTORS)),
    default="process",
    show_default=True,
    help="Where files are extracted: this machine's worker processes, or a Dask cluster.",
)
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    help="With --executor dask: the scheduler of a running cluster (tcp://host:8786); "
    "without it a cluster is started on this machine.",
)
def build(
    paths: tuple[str, ...], db: str, workers: int, accept_worse: bool, executor: str, scheduler: str | None
) -> None:
    """Ingest every document under PATHS (default: the bundled corpus) into the store.

    Unchanged files are skipped, changed ones replace their old rows, files that are gone
    lose theirs. Files that cannot be used are listed with the reason.

    Example: evidence build ~/ofsted-reports --db region.db --workers 2
    """
    if scheduler and executor != "dask":
        raise click.UsageError("--scheduler goes with --executor dask")
    from .build import BuildOptions, find_files
    from .build import build as run_build

    roots = list(paths) or [str(BUNDLED_CORPUS)]
    if not paths:  # said, so that a build run elsewhere knows which folder it read
        click.echo(f"Reading the bundled corpus, {BUNDLED_CORPUS} (give folders to read others)", err=True)
    files = list(dict.fromkeys(find_files(roots, db)))
    show = sys.stderr.isatty()
    with click.progressbar(length=len(files), label="Extracting", file=sys.stderr, hidden=not show) as bar:
        options = BuildOptions(
            workers,
            lambda _path: bar.update(1),
            files,
            accept_worse,
            executor,
            scheduler,
            notice=lambda line: click.echo(line, err=True),
        )
        result = run_build(roots, db, options)
    echo_summary(db, result)


def nothing_usable(db: str, result: BuildResult) -> str:
    """Why a build stored nothing, and what to do: no files at all, or every file rejected."""
    if result.found == 0:
        return (
            "no documents were found there: a build reads .pdf, .txt, .md and .html files (README, SOURCES and "
            "LICENCE files and hidden files are skipped); give the folder that holds the papers"
            + ("" if Path(db).exists() else f"; {db} was not written")
        )
    return (
        f"nothing usable was found: {'the file was' if result.found == 1 else f'all {result.found} files were'} "
        "rejected (reasons above); fix or replace them, or build a folder of PDF, text or HTML documents"
    )


def echo_summary(db: str, result: BuildResult) -> None:
    """What a build did, its rejected files and the numbers whose texts disagree."""
    c = result.counts
    for line in result.notes():
        click.echo(line)
    click.echo(result.summary())
    if result.usable:
        click.echo(
            f"Store {db}: {c['documents']} documents, {c['recommendations']} recommendations, "
            f"{c['actions']} actions, {c['findings']} findings, {c['judgements']} judgements, "
            f"{c['measures']} measures, {c['links']} links"
        )
    for path, reason in result.failures:
        click.echo(f"  rejected {path}: {reason}")
    for path, reason in result.noted:  # stored with notes (damage, pages, no recommendations)
        click.echo(f"  note on {path}: {reason}")
    noted = {path for path, _ in result.noted}
    for path, reason in result.unread:  # stored, but a known section read as empty
        if path not in noted:
            click.echo(f"  read as empty in {path}: {reason}")
    if result.disagreements:
        click.echo(
            f"{len(result.disagreements)} numbers and texts disagree, so they were not linked by number; "
            "check each item, and if a link is right add it with `evidence review --add SOURCE RELATION TARGET`:"
        )
        for line in result.disagreements:
            click.echo(f"  {line}")
    if not result.usable:
        raise click.ClickException(nothing_usable(db, result))
    command = Path(sys.argv[0]).name == "evidence" and sys.argv[0] or "evidence"
    click.echo(f"Browse it: {command} serve --db {db}  (Datasette with the project's pages and metadata)")


# Hosts that reach beyond this machine: anyone who can reach the port can read the store and
# run SQL on it (Datasette allows read-only SQL to every visitor).
OPEN_HOSTS = ("0.0.0.0", "::", "[::]")
# `serve --review` writes the store from the pages: this machine only.
REVIEW_HOST = "127.0.0.1"


@cli.command()
@db_option
@click.option("--port", default=8001, show_default=True, help="Port to serve on.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Host to bind.")
@click.option(
    "--review",
    "for_review",
    is_flag=True,
    help="Let /review settle candidate repeats (writes the store; serves on 127.0.0.1 only).",
)
def serve(db: str, port: int, host: str, for_review: bool) -> None:
    """Browse the store in Datasette, with the project's metadata, canned queries and pages:
    /journeys (every recommendation and its closure state), /trace/ID (one journey),
    /source/ID (an item on its page), /search, the dashboard and /about.

    With --review, /review?authority=NAME takes a person's yes / partly / no on each candidate
    repeat (otherwise it is read-only).

    Example: evidence serve --db evidence.db --port 8001
    """
    import signal

    from .site.process import start_datasette

    existing_db(db)
    with contextlib.suppress(
        EvidenceError
    ):  # a store made by an older version gains the columns the pages read
        Store(db).close()
    check_host(host, port, for_review)
    # Datasette ends with this process, even on kill -9, and leaves no files behind (see
    # evidence/site/process.py)
    code = run_until_stopped(
        start_datasette(db, port, host, metadata_for(db, review=for_review), TEMPLATE_DIR)
    )
    raise SystemExit(0 if code in (0, -signal.SIGTERM, -signal.SIGINT) else code)


def check_host(host: str, port: int, for_review: bool) -> None:
    """Refuse --review beyond this machine; warn when the store is served beyond it."""
    if for_review and host != REVIEW_HOST:
        raise click.ClickException(
            f"--review lets the pages write the store, so it serves on {REVIEW_HOST} only: "
            f"drop --host {host} (or serve without --review, read-only)"
        )
    if host in OPEN_HOSTS or not host.startswith(("127.", "localhost", "::1")):
        click.echo(
            f"Warning: --host {host} serves the store beyond this machine: anyone who can reach port {port} "
            "can read every table and run SQL on it. Use the default (127.0.0.1) unless that is what you want.",
            err=True,
        )


@cli.command(name="eval")
@click.argument("expected", type=click.Path(exists=True, dir_okay=False))
@db_option
@json_option
def eval_command(expected: str, db: str, as_json: bool) -> None:
    """Measure the store against hand-checked expectations (the shape of gold/seeds.json).

    Prints precision and recall per document and field.

    Example: evidence eval ../shared/gold/seeds.json --db evidence.db
    """
    from .evaluate import evaluate, format_scores

    scores = evaluate(expected, existing_db(db))
    click.echo(json.dumps(scores, indent=2) if as_json else format_scores(scores))


@cli.command()
@db_option
@authority_option
@as_of_option
@json_option
def status(db: str, authority: str | None, as_of: str | None, as_json: bool) -> None:
    """One row per original recommendation, with its closure state as of today (or --as-of).

    Example: evidence status --authority "Cheshire East"
    """
    from .export import authorities_for
    from .journeys import status_rows
    from .journeys.formatting import format_status

    wanted = authorities_for(existing_db(db), authority)
    rows = status_rows(db, as_of=as_of or date.today().isoformat())
    rows = [r for r in rows if wanted is None or r.authority in wanted]
    shown = [r.to_row() for r in rows]
    click.echo(json.dumps(shown, indent=2, ensure_ascii=False) if as_json else format_status(rows))


@cli.command(name="yield")
@db_option
@json_option
def yield_command(db: str, as_json: bool) -> None:
    """What the build got out of each family of document, per year: documents stored and
    rejected, the known sections found and read (and each one read as empty), the items found.

    Example: evidence build ../shared/corpus/letters --db letters.db && evidence yield --db letters.db
    """
    from dataclasses import asdict

    from .build.yields import collection_yield, format_report
    from .store import Store

    store = Store(existing_db(db))
    try:
        report = collection_yield(store)
    finally:
        store.close()
    click.echo(json.dumps(asdict(report), indent=2, ensure_ascii=False) if as_json else format_report(report))


@cli.command()
@click.argument("ref")
@db_option
@as_of_option
@json_option
def trace(ref: str, db: str, as_of: str | None, as_json: bool) -> None:
    """The journey of one recommendation: REF is an id or "<authority> <year> <label>".

    Example: evidence trace "Cheshire East 2015 3"
    """
    from .journeys.formatting import format_journey
    from .journeys.journey import journey

    try:
        found = journey(existing_db(db), ref, as_of=as_of or date.today().isoformat())
    except EvidenceError as exc:
        raise click.ClickException(
            f"{exc}. `evidence status --db {db}` lists every recommendation with its inspection and label "
            "(--json adds its id)."
        ) from None
    click.echo(json.dumps(found.to_row(), indent=2, ensure_ascii=False) if as_json else format_journey(found))


@dataclass(frozen=True)
class ExportOptions:
    """The options of `evidence export`."""

    db: str
    fmt: str
    out: str | None = None
    authority: str | None = None
    as_of: str | None = None
    site_url: str = SITE_URL
    force: bool = False


@cli.command()
@db_option
@click.option(
    "--format", "fmt", type=click.Choice(["csv", "xlsx", "json"]), required=True, help="Output format."
)
@click.option(
    "--out", type=click.Path(), help="File (xlsx, json) or folder (csv). Default: tracker.<format>."
)
@authority_option
@as_of_option
@click.option(
    "--site-url",
    default=SITE_URL,
    show_default=True,
    help="Where colleagues reach `evidence serve`: each row links to its source page there "
    "(the default is this computer's own, which only works here).",
)
@click.option("--force", is_flag=True, help="Overwrite what is already at --out.")
@as_record(ExportOptions)
def export(options: ExportOptions) -> None:
    """The tracker a council would keep: each recommendation's lead, target date, days overdue
    and closure state as of today (or --as-of); actions, recommendations, claims and links; each
    row with a link to its source page.

    Example: evidence export --format xlsx --authority Plymouth --out plymouth.xlsx
    """
    from .export import export as run_export

    o = options
    tracker = TrackerOptions(o.authority, o.as_of, o.site_url)
    written = run_export(existing_db(o.db), o.fmt, o.out, tracker, o.force)
    click.echo(f"Wrote {written}")
    if o.site_url == SITE_URL:
        click.echo(
            f"Its 'source page' links point at {SITE_URL}, this computer's own `evidence serve`: to send it round, "
            "export again with --site-url set to where colleagues reach the site (the first sheet says so too)."
        )


@cli.command()
@db_option
def doctor(db: str) -> None:
    """Check the store and repair what a hand edit or a stopped build left: rows whose document
    is gone, links naming rows that are gone, search indexes, an unfinished build.

    Example: evidence doctor --db evidence.db
    """
    from .build import doctor as run_doctor

    for line in run_doctor(existing_db(db)):
        click.echo(line)


def register_commands() -> None:
    from .review import review

    cli.add_command(review)


register_commands()
