"""How fast the site answers what should not be asked: a seeded list of hostile and ordinary URLs
against a real `evidence serve`, each timed from the request to the last byte.

    python benchmarks/serve_faults.py --db evidence.db

Goals (issue #24): a 404 in under 50 ms, any URL in under 2 s, and nothing but 404 for a file
that is not the one built. Builds the bundled corpus into a temporary store when --db is not
given. Prints one line per URL (status, milliseconds, bytes) and the worst of each group.
"""

from __future__ import annotations

import argparse
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from evidence.build import build  # noqa: E402

GOAL_404_MS = 50
GOAL_ANY_MS = 2000


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def get(port: int, path: str) -> tuple[int, float, int]:
    """(status, milliseconds, bytes) of one GET, sent as written (no client tidies it)."""
    started = time.perf_counter()
    with socket.create_connection(("127.0.0.1", port), timeout=120) as conn:
        conn.sendall(f"GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".encode("latin-1"))
        data = b""
        while chunk := conn.recv(1 << 16):
            data += chunk
    elapsed = (time.perf_counter() - started) * 1000
    status = int(data.split(b" ", 2)[1]) if data.startswith(b"HTTP/") else 0
    return status, elapsed, len(data)


def urls(db: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(db) as conn:
        item = conn.execute("select id from recommendations order by id limit 1").fetchone()[0]
        pdf = conn.execute("select id from documents where path like '%.pdf' limit 1").fetchone()[0]
    return [
        ("404", "/source/0000000000000000-r1"),
        ("404", "/-/file/0000000000000000"),
        ("404", "/no-such-page"),
        ("404", "/source/" + "a" * 30_000),
        ("404", "/source/" + "a" * 100_000),
        ("404", "/-/file/../../../etc/passwd"),
        ("404", "/../../etc/passwd"),
        ("any", f"/source/{item}"),
        ("any", f"/-/file/{pdf}"),
        ("any", f"/-/page/{pdf}/1.png"),
        ("any", f"/-/page/{pdf}/1.png?scale=4"),
        ("any", "/journeys"),
        ("any", "/search?q=supervision"),
        ("any", "/search?q=" + quote("a" * 100_000)),
        ("any", "/search?q=" + quote(" OR ".join(["care"] * 1_001))),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", help="a built store (default: the bundled corpus, built now)")
    parser.add_argument("--repeat", type=int, default=5, help="times each URL is asked")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(args.db) if args.db else Path(tmp) / "evidence.db"
        if not args.db:
            build([ROOT / "corpus"], db)
        port = free_port()
        code = "import sys; from evidence.cli import cli; cli(sys.argv[1:])"
        serve = subprocess.Popen(
            [sys.executable, "-c", code, "serve", "--db", str(db), "--port", str(port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                with socket.socket() as probe:
                    if probe.connect_ex(("127.0.0.1", port)) == 0:
                        break
                time.sleep(0.2)
            for warm_up in ("/", "/journeys", "/no-such-page"):  # templates compiled, caches filled
                get(port, warm_up)
            worst = {"404": 0.0, "any": 0.0}
            for group, path in urls(db):
                timings = [get(port, path) for _ in range(args.repeat)]
                status, _, size = timings[-1]
                slowest = max(t[1] for t in timings)
                worst[group] = max(worst[group], slowest)
                shown = path if len(path) <= 70 else f"{path[:60]}… ({len(path):,} chars)"
                print(f"{status:>4} {slowest:>8.1f} ms {size:>10,} B  {shown}")
            print(
                f"worst 404: {worst['404']:.1f} ms (goal {GOAL_404_MS}); "
                f"worst of all: {max(worst.values()):.1f} ms (goal {GOAL_ANY_MS})"
            )
        finally:
            serve.terminate()
            serve.wait(20)


if __name__ == "__main__":
    main()
