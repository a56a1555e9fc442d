"""Extraction on a Dask cluster, for collections one machine reads too slowly.

Extraction is pure (a file in, an Extraction out), so it maps over Dask distributed as it
does over the build's own worker processes: each file is a task; the store stays on the
machine that runs `evidence build`, which writes the rows as results come back. Every
worker must see the files at the same paths (a shared folder) and have this package
installed: `pip install 'evidence[dask]'`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from typing import Any

from extract.errors import EvidenceError

from ..store import Prepared

EXECUTORS = ("process", "dask")
# How long to try to reach a scheduler before saying it cannot be reached.
CONNECT_SECONDS = 30


def dask_client(stack: ExitStack, scheduler: str | None, workers: int) -> Any:
    """A client of the scheduler at `scheduler`, or of a cluster on this machine with
    `workers` processes; closed with `stack`."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise EvidenceError(
            "--executor dask needs Dask distributed, which is not installed: pip install 'evidence[dask]'"
        ) from None
    if scheduler:
        try:
            return stack.enter_context(Client(scheduler, timeout=f"{CONNECT_SECONDS}s"))
        except OSError as exc:
            raise EvidenceError(
                f"cannot reach the Dask scheduler at {scheduler} ({exc}): check the address, or leave "
                "--scheduler out to start a cluster on this machine"
            ) from None
    cluster = stack.enter_context(
        LocalCluster(n_workers=max(1, workers), threads_per_worker=1, processes=True, dashboard_address=None)
    )
    return stack.enter_context(Client(cluster))


def run_on_dask(
    paths: list[str], workers: int, scheduler: str | None = None
) -> Iterator[tuple[str, Prepared | str]]:
    """(path, its rows or the one-line reason it failed), as the cluster finishes them."""
    from distributed import as_completed

    from .workers import safe_prepare

    with ExitStack() as stack:
        client = dask_client(stack, scheduler, workers)
        futures = {client.submit(safe_prepare, path, pure=False): path for path in paths}
        for future in as_completed(futures):
            path = futures[future]
            try:
                outcome = future.result()
            except Exception as exc:  # noqa: BLE001 - a lost worker costs its file, not the build
                outcome = (
                    f"could not be read on the cluster ({type(exc).__name__}: {exc}): build it again, "
                    "or without --executor dask"
                )
            yield path, outcome
