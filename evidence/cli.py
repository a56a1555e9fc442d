"""The command line: options in, one library call, output formatted."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from extract.errors import EvidenceError

from .store import is_evidence_store

F = TypeVar("F", bound=Callable[..., Any])

DEFAULT_DB = "evidence.db"
BUNDLED_CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def db_option(func: F) -> F:
    return click.option(
        "--db",
        "db",
        default=DEFAULT_DB,
        show_default=True,
        type=click.Path(dir_okay=False),
        help="The evidence store (SQLite).",
    )(func)


def existing_db(db: str) -> str:
    """The path of an evidence store that exists, or a message saying what to do."""
    if not Path(db).exists():
        raise click.ClickException(f"{db} does not exist: run `evidence build` first (or pass --db).")
    if not is_evidence_store(db):
        raise click.ClickException(
            f"{db} is not an evidence store: build one with `evidence build --db {db}`."
        )
    return db


def json_option(func: F) -> F:
    return click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")(func)


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
    help="Worker processes for extraction.",
)
@click.option(
    "--accept-worse", is_flag=True, help="Store changed files even when they give fewer rows than before."
)
def build(paths: tuple[str, ...], db: str, workers: int, accept_worse: bool) -> None:
    """Ingest every document under PATHS (default: the bundled corpus) into the store.

    Unchanged files are skipped, changed ones replace their old rows, files that are gone
    lose theirs. Files that cannot be used are listed with the reason.

    Example: evidence build ~/ofsted-reports --db region.db --workers 2
    """
    from .build import build as run_build
    from .build import find_files

    roots = list(paths) or [str(BUNDLED_CORPUS)]
    files = list(dict.fromkeys(find_files(roots, db)))
    show = sys.stderr.isatty()
    with click.progressbar(length=len(files), label="Extracting", file=sys.stderr, hidden=not show) as bar:
        result = run_build(
            roots,
            db,
            workers=workers,
            progress=lambda _path: bar.update(1),
            files=files,
            accept_worse=accept_worse,
        )
    c = result.counts
    for line in result.notes():
        click.echo(line)
    click.echo(result.summary())
    click.echo(
        f"Store {db}: {c['documents']} documents, {c['recommendations']} recommendations, "
        f"{c['actions']} actions, {c['findings']} findings, {c['judgements']} judgements, "
        f"{c['measures']} measures, {c['links']} links"
    )
    for path, reason in result.failures:
        click.echo(f"  rejected {path}: {reason}")
    if result.disagreements:
        click.echo(
            f"{len(result.disagreements)} numbers and texts disagree, so they were not linked by number; "
            "check each item, and if a link is right add it with `evidence review --add SOURCE RELATION TARGET`:"
        )
        for line in result.disagreements:
            click.echo(f"  {line}")
    if not result.usable:
        raise click.ClickException(
            "nothing usable was found: every file was rejected (reasons above); fix or replace them, "
            "or build a folder of PDF, text or HTML documents"
        )
    command = Path(sys.argv[0]).name == "evidence" and sys.argv[0] or "evidence"
    click.echo(f"Browse it: {command} serve --db {db}  (Datasette with the project's pages and metadata)")


def metadata_path() -> str:
    return str(Path(__file__).resolve().parent / "metadata.yml")


@cli.command()
@db_option
@click.option("--port", default=8001, show_default=True, help="Port to serve on.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Host to bind.")
def serve(db: str, port: int, host: str) -> None:
    """Browse the store in Datasette, with the project's metadata, canned queries and pages:
    /journeys (every recommendation and its closure state), /trace/ID (one journey), /about.

    Example: evidence serve --db evidence.db --port 8001
    """
    import subprocess
    import tempfile

    existing_db(db)
    with tempfile.TemporaryDirectory() as tmp:
        metadata = Path(tmp) / "metadata.json"
        metadata.write_text(json.dumps(metadata_for(db)))
        command = [sys.executable, "-m", "datasette", "serve", db, "--metadata", str(metadata)]
        command += ["--template-dir", str(Path(__file__).resolve().parent / "templates")]
        raise SystemExit(subprocess.call(command + ["--port", str(port), "--host", host]))


def metadata_for(db: str) -> dict[str, Any]:
    """The project's metadata, filed under the database's name (Datasette names it by file)."""
    import yaml

    metadata: dict[str, Any] = yaml.safe_load(Path(metadata_path()).read_text())
    metadata["databases"] = {Path(db).stem: metadata["databases"]["evidence"]}
    return metadata


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
@click.option("--authority", help="Only this authority's recommendations.")
@click.option("--as-of", "as_of", help="Closure state as of this date (YYYY-MM-DD).")
@json_option
def status(db: str, authority: str | None, as_of: str | None, as_json: bool) -> None:
    """One row per original recommendation, with its closure state.

    Example: evidence status --authority "Cheshire East"
    """
    from .journey import format_status, status_rows

    rows = status_rows(existing_db(db), authority=authority, as_of=as_of)
    click.echo(json.dumps(rows, indent=2, ensure_ascii=False) if as_json else format_status(rows))


@cli.command()
@click.argument("ref")
@db_option
@click.option("--as-of", "as_of", help="Closure state as of this date (YYYY-MM-DD).")
@json_option
def trace(ref: str, db: str, as_of: str | None, as_json: bool) -> None:
    """The journey of one recommendation: REF is an id or "<authority> <year> <label>".

    Example: evidence trace "Cheshire East 2015 6"
    """
    from .journey import format_journey, journey

    found = journey(existing_db(db), ref, as_of=as_of)
    click.echo(json.dumps(found, indent=2, ensure_ascii=False) if as_json else format_journey(found))


@cli.command()
@db_option
@click.option(
    "--format", "fmt", type=click.Choice(["csv", "xlsx", "json"]), required=True, help="Output format."
)
@click.option(
    "--out", type=click.Path(), help="File (xlsx, json) or folder (csv). Default: tracker.<format>."
)
@click.option("--force", is_flag=True, help="Overwrite what is already at --out.")
def export(db: str, fmt: str, out: str | None, force: bool) -> None:
    """The tracker a council would keep: recommendations, actions, claims and links, flat.

    Example: evidence export --format xlsx --out tracker.xlsx
    """
    from .export import export as run_export

    written = run_export(existing_db(db), fmt, out, force=force)
    click.echo(f"Wrote {written}")


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
