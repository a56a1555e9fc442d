"""Damage real PDFs in many ways and see what extraction makes of each: a seeded fuzzer.

    python benchmarks/fuzz_faults.py ../shared/corpus/ofsted ../shared/corpus/ofsted-more \
        ../shared/corpus/ofsted-2025-26 --mutations 500 --seed 1 --jobs 4

Each mutated file is read in a child process of its own, with a time limit, and judged as a
build that had stored the original would judge it:

  crash     an exception other than DocumentError, or the process died
  hang      over the time limit
  rejected  a DocumentError: one line with what to do (`wrong advice` counts those whose
            advice is not the one for the damage done: see `ADVICE`)
  kept      read, but worse than the original in rows or in words (font codes where words
            were): a build keeps the stored rows and says so
  noted     read, with pages that read as garbled or lost their text: a build stores it and
            says so in `problems`
  accepted  read as well as the original: every row's text as before
  altered   as many rows or more, some text changed, and nothing said
  lost      fewer rows, not enough fewer to be kept, and nothing said
  first silent  kept on a rebuild, but on a first build (nothing stored to compare with)
            stored worse than the original with nothing said

Altered, lost and first silent are the silently degraded: what a build would store without
a word.
Prints one row per kind of damage, the peak memory of a reader, and an example of each
crash, hang, wrong advice, altered and lost (its source, seed and mutation number, which
`--only N` reads again alone).
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import resource
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

import damage  # noqa: E402

from evidence.build import reads_worse  # noqa: E402
from extract.errors import DocumentError  # noqa: E402
from extract.pipeline import extract_file  # noqa: E402
from extract.quality import reading_of_texts, reads_worse_in_words, vanished  # noqa: E402
from extract.records import Record  # noqa: E402

OUTCOMES = (
    "crash",
    "hang",
    "rejected",
    "wrong advice",
    "kept",
    "noted",
    "accepted",
    "altered",
    "lost",
    "first silent",
)
SILENT = ("altered", "lost", "first silent")
# What a rejection must say for each kind of damage: a damaged file is re-downloaded.
REDOWNLOAD = ("re-download",)
ADVICE: dict[str, tuple[str, ...]] = {"join two PDFs": ("joined end to end",)}
# Damage that leaves the report intact: never a reason to reject it.
INTACT = ("odd metadata",)

Mutation = Callable[[bytes, random.Random], bytes]


def flip(data: bytes, rng: random.Random, count: int) -> bytes:
    out = bytearray(data)
    for _ in range(count):
        out[rng.randrange(len(out))] = rng.randrange(256)
    return bytes(out)


def truncate(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.randrange(1, len(data))]


def cut_chunk(data: bytes, rng: random.Random) -> bytes:
    start = rng.randrange(len(data))
    return data[:start] + data[start + rng.randrange(1, 4096) :]


def repeat_chunk(data: bytes, rng: random.Random) -> bytes:
    start = rng.randrange(len(data))
    chunk = data[start : start + rng.randrange(1, 4096)]
    return data[:start] + chunk * rng.randrange(2, 50) + data[start:]


def zero_block(data: bytes, rng: random.Random) -> bytes:
    start = rng.randrange(len(data))
    size = rng.randrange(1, 8192)
    return data[:start] + b"\0" * size + data[start + size :]


def damage_tail(data: bytes, rng: random.Random) -> bytes:
    """The cross-reference table and trailer live at the end."""
    start = max(0, len(data) - rng.randrange(16, 2048))
    return data[:start] + flip(data[start:], rng, 8)


def join(data: bytes, rng: random.Random, others: list[bytes]) -> bytes:
    return data + rng.choice(others)


# Document information an editor may leave: a lone UTF-16 surrogate, bytes that are not
# UTF-16, a field thousands of characters long.
ODD_INFO = (
    b"/Creator <FEFFD8000041>",
    b"/Producer <FEFFDC00>",
    b"/Title <FEFF00>",
    b"/Author (" + b"\xff\xfe" * 2000 + b")",
    b"/Subject <FEFF" + b"D83D" * 50 + b">",
)


def odd_metadata(data: bytes, rng: random.Random) -> bytes:
    return damage.with_info(data, rng.choice(ODD_INFO))


def font_codes(data: bytes, rng: random.Random) -> bytes:
    return damage.font_codes(data, rng.randrange(1_000))


def first_page(data: bytes, rng: random.Random) -> bytes:
    return damage.first_page(data)


def build_kinds(others: list[bytes]) -> dict[str, Mutation]:
    return {
        "flip 1 byte": lambda d, r: flip(d, r, 1),
        "flip 20 bytes": lambda d, r: flip(d, r, 20),
        "flip 500 bytes": lambda d, r: flip(d, r, 500),
        "truncate": truncate,
        "cut a chunk": cut_chunk,
        "repeat a chunk": repeat_chunk,
        "zero a block": zero_block,
        "damage the tail": damage_tail,
        "join two PDFs": lambda d, r: join(d, r, others),
        "odd metadata": odd_metadata,
        "first page lost": first_page,
        "font codes": font_codes,
    }


@dataclass(frozen=True)
class Original:
    path: Path
    data: bytes
    texts: list[str]


def texts(records: tuple[Record, ...]) -> list[str]:
    """What a user reads of each row: its text (a judgement's area and grade)."""
    return [
        str(getattr(r, "text", None) or f"{getattr(r, 'area', '')} {getattr(r, 'grade', '')}")
        for r in records
    ]


def read_one(path: str, conn) -> None:  # type: ignore[no-untyped-def]
    try:
        extraction = extract_file(path)
    except DocumentError as exc:
        conn.send(("rejected", exc.reason))
    except Exception as exc:  # noqa: BLE001 - a crash is what is counted here
        conn.send(("crash", f"{type(exc).__name__}: {exc}"))
    else:
        conn.send(("read", (texts(extraction.records), list(extraction.notes))))
    conn.close()
    # forked from a thread of the parent's pool: leave without the parent's exit handlers,
    # which would wait for threads this process does not have
    os._exit(0)


def attempt(path: str, timeout: float) -> tuple[str, object]:
    context = multiprocessing.get_context("fork")
    parent, child = context.Pipe(duplex=False)
    process = context.Process(target=read_one, args=(path, child))
    process.start()
    child.close()
    if not parent.poll(timeout):
        process.kill()
        process.join()
        return ("hang", None) if process.exitcode in (None, -9) else ("crash", f"died ({process.exitcode})")
    try:
        outcome = parent.recv()
    except EOFError:
        outcome = ("crash", "the process died")
    process.join()
    if process.exitcode not in (0, None) and outcome[0] != "crash":
        outcome = ("crash", f"exit code {process.exitcode}")
    return outcome


def judge(kind: str, before: list[str], outcome: str, detail: object) -> tuple[str, str]:
    """The outcome's name in `OUTCOMES`, and what to print of it."""
    if outcome == "rejected":
        reason = str(detail)
        if kind in INTACT or not any(a in reason for a in ADVICE.get(kind, REDOWNLOAD)):
            return "wrong advice", reason
        return "rejected", reason
    if outcome != "read":
        return outcome, str(detail)
    after, notes = detail  # type: ignore[misc]
    items, now = len(before), len(after)
    said = f"{now} rows against {items}"
    worse_in_words = reads_worse_in_words(reading_of_texts(before), reading_of_texts(after))
    if reads_worse(items, now) or worse_in_words or vanished(before, after):
        # a rebuild keeps the stored rows; a first build has none to keep: said, or silent?
        return ("kept", said) if notes else ("first silent", said)
    if notes:
        return "noted", f"{said}; {notes[0]}"
    if Counter(after) == Counter(before):
        return "accepted", said
    if now < items:
        return "lost", said
    changed = next(iter(Counter(after) - Counter(before)), "")
    return "altered", f"{said}; now reads “{changed[:90]}”"


def mutations(
    originals: list[Original], kinds: dict[str, Mutation], count: int, seed: int
) -> Iterator[tuple[int, str, Original, bytes]]:
    """The seed's mutations in order: (number, kind, original, damaged bytes)."""
    rng = random.Random(seed)
    names = list(kinds)
    for n in range(count):
        kind = names[n % len(names)]
        source = rng.choice(originals)
        yield n, kind, source, kinds[kind](source.data, rng)


def read_originals(folders: list[str]) -> list[Original]:
    found = []
    for folder in folders:
        for path in sorted(Path(folder).glob("*.pdf")):
            try:
                found.append(Original(path, path.read_bytes(), texts(extract_file(path).records)))
            except DocumentError:
                continue  # a bad original (an HTML page named .pdf) tells nothing about damage
    return sorted(found, key=lambda o: o.path.name)


@dataclass
class Tally:
    table: dict[str, Counter[str]]
    examples: dict[str, str]
    # every crash, hang, wrong advice and silent case, one line each (`--every`)
    cases: list[str] = field(default_factory=list)

    @property
    def total(self) -> Counter[str]:
        return sum(self.table.values(), Counter())


def fuzz(
    folders: list[str],
    count: int,
    seed: int,
    timeout: float = 60.0,
    jobs: int = 1,
    only: int | None = None,
    keep: Path | None = None,
) -> tuple[Tally, int]:
    """Read `count` mutations of the PDFs in `folders`; returns the tally and how many PDFs.
    `keep`: a folder where each crash, hang, wrong advice and silent case's damaged file is
    written, as `<seed>-<number>-<name>`, to be looked at."""
    originals = read_originals(folders)
    if not originals:
        raise SystemExit(f"no readable PDFs in {', '.join(folders)}")
    kinds = build_kinds([o.data for o in originals])
    tally = Tally({name: Counter() for name in kinds}, {})
    with tempfile.TemporaryDirectory() as tmp:

        def run(item: tuple[int, str, Original, bytes]) -> tuple[int, str, Original, str, str]:
            n, kind, source, data = item
            target = Path(tmp) / f"{n}-{source.path.name}"
            target.write_bytes(data)
            try:
                outcome, detail = judge(kind, source.texts, *attempt(str(target), timeout))
                if keep and outcome in ("crash", "hang", "wrong advice", *SILENT):
                    keep.mkdir(parents=True, exist_ok=True)
                    target.replace(keep / f"{seed}-{target.name}")
            finally:
                target.unlink(missing_ok=True)
            return n, kind, source, outcome, detail

        todo = (m for m in mutations(originals, kinds, count, seed) if only is None or m[0] == only)
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            for n, kind, source, outcome, detail in pool.map(run, todo):
                tally.table[kind][outcome] += 1
                if outcome in ("crash", "hang", "wrong advice", *SILENT):
                    key = f"{kind}: {outcome}"
                    tally.examples.setdefault(key, f"{source.path.name} seed {seed} #{n}: {detail}")
                    tally.cases.append(f"{key}: {source.path.name} seed {seed} #{n}: {detail}")
    return tally, len(originals)


def report(tally: Tally, every: bool = False) -> list[str]:
    lines = [f"{'damage':<18}" + "".join(f"{o:>13}" for o in OUTCOMES)]
    for kind, counts in tally.table.items():
        lines.append(f"{kind:<18}" + "".join(f"{counts[o]:>13}" for o in OUTCOMES))
    total = tally.total
    lines.append(f"{'all':<18}" + "".join(f"{total[o]:>13}" for o in OUTCOMES))
    lines.append(
        f"crashes {total['crash']}, hangs {total['hang']}, wrong advice {total['wrong advice']}, silently "
        f"degraded {sum(total[o] for o in SILENT)} (altered {total['altered']}, lost {total['lost']}, worse and "
        f"said only on a rebuild {total['first silent']})"
    )
    if every:
        return lines + [f"  {case}" for case in tally.cases]
    return lines + [f"  {key}: {example}" for key, example in sorted(tally.examples.items())]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("folders", nargs="*", default=["../shared/corpus/ofsted"])
    parser.add_argument("--mutations", type=int, default=500)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds before a file counts as a hang")
    parser.add_argument("--jobs", type=int, default=1, help="files read at once, each in its own process")
    parser.add_argument("--only", type=int, help="read only this mutation number again")
    parser.add_argument("--every", action="store_true", help="print every case, not one example of each")
    parser.add_argument(
        "--keep", type=Path, help="write the damaged file of each case printed to this folder"
    )
    args = parser.parse_args()
    started = time.monotonic()
    tally, pdfs = fuzz(args.folders, args.mutations, args.seed, args.timeout, args.jobs, args.only, args.keep)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(
        f"{args.mutations} mutations of {pdfs} PDFs from {', '.join(args.folders)}, seed {args.seed}, "
        f"{time.monotonic() - started:.0f} s, peak memory of a reader {peak:.0f} MB"
    )
    print("\n".join(report(tally, args.every)))


if __name__ == "__main__":
    main()
