"""The command line's shared options, written once, and `as_record`, which hands a command its
options as one typed record."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from .store import is_evidence_store

F = TypeVar("F", bound=Callable[..., Any])
R = TypeVar("R")

DEFAULT_DB = "evidence.db"


def db_option(func: F) -> F:
    return click.option(
        "--db",
        "db",
        default=DEFAULT_DB,
        show_default=True,
        type=click.Path(dir_okay=False),
        help="The evidence store (SQLite).",
    )(func)


def json_option(func: F) -> F:
    return click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")(func)


def as_of_option(func: F) -> F:
    return click.option(
        "--as-of",
        "as_of",
        help="Closure states and days overdue as of this date (YYYY-MM-DD). Default: today.",
    )(func)


def authority_option(func: F) -> F:
    return click.option(
        "--authority",
        help='Only this authority (or every one a word names: "Cheshire").',
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


def as_record(record: Callable[..., R]) -> Callable[[Callable[[R], None]], Callable[..., None]]:
    """A command whose options (and arguments) are the fields of `record` takes one `record`:

    @cli.command()
    @click.option("--limit", ...)
    @as_record(ReviewOptions)
    def review(options: ReviewOptions) -> None: ...
    """

    def decorate(func: Callable[[R], None]) -> Callable[..., None]:
        @functools.wraps(func)
        def command(**params: Any) -> None:
            func(record(**params))

        return command

    return decorate
