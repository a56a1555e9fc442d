"""Damage real PDFs in many ways and see what extraction makes of each: a seeded fuzzer.

    python benchmarks/fuzz_faults.py ../shared/corpus/ofsted --mutations 500 --seed 1

Each mutated file is read in a child process of its own, with a time limit, and counted as:
crash (an exception other than DocumentError, or the process died), hang (over the time
limit), rejected (a DocumentError: one line with what to do), kept (read, but so much worse
than the original that a build keeps the stored rows: `evidence.build.reads_worse`),
accepted (read as well as the original: every row's text as before), altered (as many rows
or more, but the text of some changed: the damage hit the text itself), or lost (read, with
fewer rows than the original and not enough fewer to be kept: good rows a build would lose). Prints one row per kind of
damage and the peak memory of the children.
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import resource
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from evidence.build import reads_worse  # noqa: E402
from extract.errors import DocumentError  # noqa: E402
from extract.pipeline import extract_file  # noqa: E402
from extract.records import Record  # noqa: E402

OUTCOMES = ("crash", "hang", "rejected", "kept", "accepted", "altered", "lost")


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


def build_kinds(others: list[bytes]) -> dict[str, Callable[[bytes, random.Random], bytes]]:
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
    }


def read_one(path: str, conn) -> None:  # type: ignore[no-untyped-def]
    try:
        extraction = extract_file(path)
    except DocumentError as exc:
        conn.send(("rejected", exc.reason))
    except Exception as exc:  # noqa: BLE001 - a crash is what is counted here
        conn.send(("crash", f"{type(exc).__name__}: {exc}"))
    else:
        conn.send(("read", texts(extraction.records)))
    conn.close()


def texts(records: tuple[Record, ...]) -> Counter[str]:
    """What a user reads of each row: its text (a judgement's area and grade)."""
    return Counter(
        str(getattr(r, "text", None) or f"{getattr(r, 'area', '')} {getattr(r, 'grade', '')}")
        for r in records
    )


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


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("folder", nargs="?", default="../shared/corpus/ofsted")
    parser.add_argument("--mutations", type=int, default=500)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds before a file counts as a hang")
    args = parser.parse_args()

    originals: dict[Path, tuple[bytes, Counter[str]]] = {}
    for path in sorted(Path(args.folder).glob("*.pdf")):
        try:
            originals[path] = (path.read_bytes(), texts(extract_file(path).records))
        except DocumentError:
            continue  # a bad original (an HTML page named .pdf) tells nothing about damage
    if not originals:
        raise SystemExit(f"no readable PDFs in {args.folder}")
    rng = random.Random(args.seed)
    datas = [data for data, _ in originals.values()]
    kinds = build_kinds(datas)
    names = list(kinds)
    table: dict[str, Counter[str]] = {name: Counter() for name in names}
    examples: dict[str, str] = {}
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as tmp:
        for n in range(args.mutations):
            kind = names[n % len(names)]
            source = rng.choice(sorted(originals))
            data, before = originals[source]
            target = Path(tmp) / f"{n}-{source.name}"
            target.write_bytes(kinds[kind](data, rng))
            outcome, detail = attempt(str(target), args.timeout)
            if outcome == "read":
                after: Counter[str] = detail  # type: ignore[assignment]
                items, now = sum(before.values()), sum(after.values())
                outcome = (
                    "kept"
                    if reads_worse(items, now)
                    else "lost"
                    if now < items
                    else "altered"
                    if before - after
                    else "accepted"
                )
                detail = f"{now} rows against {items}"
            table[kind][outcome] += 1
            if outcome in ("crash", "hang", "lost", "altered"):
                examples.setdefault(f"{kind}: {outcome}", f"{source.name} seed {args.seed} #{n}: {detail}")
            target.unlink()
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(
        f"{args.mutations} mutations of {len(originals)} PDFs from {args.folder}, seed {args.seed}, "
        f"{time.monotonic() - started:.0f} s, peak memory of a reader {peak:.0f} MB"
    )
    print(f"{'damage':<18}" + "".join(f"{o:>10}" for o in OUTCOMES))
    for kind in names:
        print(f"{kind:<18}" + "".join(f"{table[kind][o]:>10}" for o in OUTCOMES))
    total = sum(table.values(), Counter())
    print(f"{'all':<18}" + "".join(f"{total[o]:>10}" for o in OUTCOMES))
    for key, example in examples.items():
        print(f"  {key}: {example}")


if __name__ == "__main__":
    main()
