"""Pages per second for reading an improvement plan's action tables from a PDF, beside plain
pdfplumber text extraction and the loader (`extract.load.load`) on the same PDF.

    python benchmarks/table_speed.py [--copies 4] [--layout ruled|unruled|landscape] [--rounds 3]

The PDF is the bundled Plymouth plan printed with reportlab (tests/pdfs.py), `--copies`
times over to make a longer document. A script that prints figures, not a test: speed goals
are read here, never asserted.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from pdfs import Layout, render_plan  # noqa: E402

from extract.load import load  # noqa: E402
from extract.parsers.plan import lines_to_sections, parse_plan  # noqa: E402
from extract.records import Action, DocumentInfo  # noqa: E402
from extract.tables import lines_to_regions, pdf_to_tables  # noqa: E402

PLAN = ROOT / "corpus" / "plymouth_2015-01-06_draft-improvement-plan.txt"
LAYOUTS = {"ruled": Layout(), "unruled": Layout(ruled=False), "landscape": Layout(landscape=True)}


def render(folder: Path, copies: int, layout: Layout) -> Path:
    source = folder / "plan.txt"
    source.write_text("\n".join([PLAN.read_text(encoding="utf-8")] * copies), encoding="utf-8")
    return render_plan(source, folder / "plan.pdf", layout)


def best_of(rounds: int, run: Callable[[], object]) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def pdfplumber_text(path: Path) -> None:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_text()


def main() -> None:
    options = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    options.add_argument("--copies", type=int, default=4, help="print the plan this many times over")
    options.add_argument("--layout", choices=list(LAYOUTS), default="ruled")
    options.add_argument(
        "--rounds", type=int, default=3, help="time each reader this many times, keep the best"
    )
    args = options.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        path = render(Path(folder), args.copies, LAYOUTS[args.layout])
        doc = load(path)
        pages = doc.page_count
        _, zones = lines_to_sections(doc.lines)
        regions = [lines_to_regions(doc, lines) for _, lines in zones]
        laid_out = len({number for zone in regions for number, _ in zone})
        info = DocumentInfo(
            id="bench",
            path=str(path),
            sha256=doc.sha256,
            doc_type="improvement_plan",
            pages=pages,
            extractor_version="bench",
        )
        timings = [
            ("pdfplumber extract_text, every page", best_of(args.rounds, lambda: pdfplumber_text(path))),
            (
                "action tables (extract.tables)",
                best_of(args.rounds, lambda: pdf_to_tables(str(path), regions)),
            ),
            ("plan parser, tables included", best_of(args.rounds, lambda: parse_plan(doc, info))),
            ("loader (extract.load.load)", best_of(args.rounds, lambda: load(path))),
        ]
        tables = sum(len(found) for found in pdf_to_tables(str(path), regions))
        found = sum(isinstance(r, Action) for r in parse_plan(doc, info))

    print(
        f"{args.layout} plan x{args.copies}: {pages} pages, {len(zones)} action tables ({tables} after stitching)"
    )
    print(f"actions read: {found} (the text export has {48 * args.copies})")
    print(f"pages laid out by pdfplumber for tables: {laid_out} of {pages}")
    for name, seconds in timings:
        print(f"  {name:<38} {pages / seconds:8.1f} pages/s  ({seconds:.2f}s)")


if __name__ == "__main__":
    main()
