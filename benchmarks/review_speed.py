"""How long the site takes to settle every candidate repeat of an authority on /review, one
verdict at a time, as a person does it: the page, a verdict posted (stored, journeys worked out
again), the page again. Prints the candidates and inspections, and the seconds per verdict.

    python benchmarks/review_speed.py [--db STORE] [--authority "Cheshire East"]

Without --db it builds the bundled corpus in a temporary folder. The store is copied first: the
verdicts given here (the most probable candidate of each item yes, the rest no) change it.
A script that prints figures, not a test: speed goals are read here, never asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def store_for(db: str | None, folder: Path) -> Path:
    copy = folder / "evidence.db"
    if db:
        shutil.copy(db, copy)
    else:
        from evidence.build import build

        build([ROOT / "corpus"], copy)
    return copy


async def settle_all(db: Path, authority: str) -> tuple[int, int, list[float], list[float]]:
    """(candidates, inspections, seconds per page, seconds per verdict and the page after it)."""
    from datasette.app import Datasette

    from evidence.site import TEMPLATE_DIR
    from evidence.site.process import metadata_for

    app = Datasette([str(db)], metadata=metadata_for(str(db), review=True), template_dir=str(TEMPLATE_DIR))
    url = f"/review?authority={authority}"
    pages: list[float] = []
    verdicts: list[float] = []
    start = time.perf_counter()
    page = await app.client.get(url)
    pages.append(time.perf_counter() - start)
    left = re.search(r"(\d+) candidates? left", page.text)
    candidates = int(left.group(1)) if left else 0
    inspections = len(re.findall(r'<a href="[^"]*inspection=', page.text.split("ev-inspections", 1)[-1]))
    while True:
        focus = re.search(r'class="ev-candidate[^"]*ev-focus[^"]*"\s+id="c-(\w+)"', page.text)
        if focus is None:
            break
        key = focus.group(1)
        first = re.search(
            r'<ol class="ev-candidates">\s*<li[^>]*id="c-(\w+)"', page.text[: focus.start() + 200]
        )
        token = re.search(r'name="csrftoken" value="([^"]+)"', page.text)
        assert token is not None
        verdict = "yes" if first and first.group(1) == key else "no"
        start = time.perf_counter()
        answer = await app.client.post(
            "/review",
            data={"csrftoken": token.group(1), "key": key, "verdict": verdict, "authority": authority},
            cookies=dict(page.cookies),
        )
        if answer.status_code != 302:
            sys.exit(f"the verdict was refused ({answer.status_code}): {answer.text[:300]}")
        page = await app.client.get(answer.headers["location"])
        verdicts.append(time.perf_counter() - start)
    return candidates, inspections, pages, verdicts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", help="A store to copy (default: the bundled corpus, built now).")
    parser.add_argument("--authority", default="Cheshire East")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = store_for(args.db, Path(tmp))
        candidates, inspections, pages, verdicts = asyncio.run(settle_all(db, args.authority))
    print(f"{args.authority}: {candidates} candidates on {inspections} later inspections")
    print(f"  first page: {pages[0]:.2f} s")
    if verdicts:
        print(
            f"  per verdict (posted, stored, journeys worked out, page again): median {statistics.median(verdicts):.2f} s,"
            f" slowest {max(verdicts):.2f} s; all {len(verdicts)} in {sum(verdicts):.1f} s of waiting"
        )


if __name__ == "__main__":
    main()
