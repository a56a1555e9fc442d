"""Datasette as the child of `evidence serve`, ending with it.

`evidence serve` runs Datasette in a process of its own. When `evidence serve` is killed
(`kill -9`, the out-of-memory killer), Datasette must not be left listening on the port, nor
its files behind: the next `evidence serve` on that port would fail "address already in use".
So, as the build's workers do (evidence/build/workers.py): on Linux the system ends Datasette
with its parent (PR_SET_PDEATHSIG), and everywhere the plugin's `startup` hook watches the
parent and ends Datasette when it is gone. The metadata goes to Datasette on its standard
input, so there is no temporary folder to leave behind.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from . import METADATA_FILE

# The variable that tells Datasette's side (the plugin's startup hook) which process to watch.
PARENT_VARIABLE = "EVIDENCE_SERVE_PARENT"
# How often Datasette checks that `evidence serve` is still there, where the system cannot be
# asked to end it with its parent.
PARENT_CHECK_SECONDS = 1.0
_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>: a constant of the system, not a setting


def start_datasette(
    db: str, port: int, host: str, metadata: dict[str, Any], templates: Path
) -> subprocess.Popen:
    """Datasette serving `db` with the project's metadata and templates, as a child that ends
    with this process."""
    command = [sys.executable, "-m", "datasette", "serve", db, "--metadata", "-"]
    command += ["--template-dir", str(templates), "--port", str(port), "--host", host]
    parent = os.getpid()
    child = subprocess.Popen(
        command,
        stdin=subprocess.PIPE,
        env=os.environ | {PARENT_VARIABLE: str(parent)},
        preexec_fn=ended_with(parent) if sys.platform.startswith("linux") else None,  # noqa: PLW1509 - one thread here
    )
    assert child.stdin is not None
    with contextlib.suppress(BrokenPipeError):  # it died at once: its exit code says why
        child.stdin.write(json.dumps(metadata).encode("utf-8"))
    with contextlib.suppress(BrokenPipeError):
        child.stdin.close()
    return child


def ended_with(parent: int) -> Callable[[], None]:
    """Run in the child before Datasette starts: the system sends it SIGTERM when `parent` dies."""

    def prepare() -> None:
        with contextlib.suppress(OSError, AttributeError):  # the watcher in the plugin still ends it
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
        if os.getppid() != parent:  # the parent died before the line above took effect
            os._exit(1)

    return prepare


def watch_parent() -> None:
    """In Datasette (the plugin's startup hook): end when `evidence serve` is gone."""
    asked = os.environ.get(PARENT_VARIABLE, "")
    if not asked.isdigit():
        return
    parent = int(asked)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, daemon=True, name="evidence-serve-parent").start()


# Datasette finishes the requests it has open before it stops; one that takes longer is killed.
STOP_SECONDS = 10


class Stopped(Exception):
    """`evidence serve` was asked to stop (SIGTERM)."""


def run_until_stopped(child: subprocess.Popen[bytes]) -> int:
    """Wait for Datasette to end, or until this process is stopped (SIGTERM, Ctrl-C), which
    stops Datasette too (killed if it takes longer than STOP_SECONDS). Returns its exit code."""
    import signal

    def stop(signum: int, _frame: Any) -> None:
        # SIGTERM (a service manager, `kill`) stops Datasette too, instead of leaving it listening.
        raise Stopped

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        return child.wait()
    except (Stopped, KeyboardInterrupt):
        child.terminate()
        try:
            return child.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            child.kill()
            return child.wait()
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        signal.signal(signal.SIGTERM, previous)


def metadata_for(db: str, review: bool = False) -> dict[str, Any]:
    """The project's metadata, filed under the database's name (Datasette names it by file),
    with the dashboard's queries and links pointed at that name; `review` lets /review write."""
    import yaml

    name = Path(db).stem
    metadata: dict[str, Any] = yaml.safe_load(METADATA_FILE.read_text())
    metadata["databases"] = {name: metadata["databases"]["evidence"]}
    for dashboard in metadata.get("plugins", {}).get("datasette-dashboards", {}).values():
        for part in [*dashboard.get("charts", {}).values(), *dashboard.get("filters", {}).values()]:
            if part.get("db") == "evidence":
                part["db"] = name
            if "query" in part:
                part["query"] = part["query"].replace("'/evidence/", f"'/{name}/")
    if review:
        metadata.setdefault("plugins", {}).setdefault("evidence", {})["review"] = True
    return metadata
