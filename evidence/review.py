"""`evidence review`: people confirm, reject or add links."""

from __future__ import annotations

import click


@click.command()
def review() -> None:
    """List links by ascending score to confirm or reject (not written yet)."""
    raise click.ClickException("evidence review is not written yet")
