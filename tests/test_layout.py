"""The layout keeps its promises: no import circle among the project's modules, no module over
400 lines, no function over 40 lines or 6 parameters (STYLE.md: size is where a second idea
hides). The few that break them today are named here, each with the work it waits for."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("extract", "link", "evidence")
MOST_LINES = 400
MOST_FUNCTION_LINES = 40
MOST_PARAMETERS = 6
# Extraction modules being reworked beside this layout (the parsers and the classifier).
WAITING = {
    "extract/classify.py",
    "extract/tables.py",
    "extract/parsers/committee_lists.py:item_to_recommendation",
    "extract/parsers/inspection_judgements.py:grid_rows",
}


def modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def imported(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The project's modules that `name` imports, at its top or inside a function."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package
            for _ in range(node.level - 1):
                base = base.rpartition(".")[0]
            stem = ".".join(p for p in (base if node.level else "", node.module or "") if p)
            targets = [stem] + [f"{stem}.{a.name}" for a in node.names]
        else:
            continue
        out |= {t for t in targets if t in known and t != name}
    return out


def test_no_import_circle():
    known = modules()
    graph = {name: imported(name, path, known) for name, path in known.items()}
    # a package imports its own modules to re-export them: that is no circle back into it
    for name in graph:
        graph[name] = {t for t in graph[name] if not t.startswith(name + ".") or name.count(".") == 0}
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(name: str) -> None:
        state[name] = 1
        path.append(name)
        for target in sorted(graph[name]):
            if state.get(target) == 1:
                circle = path[path.index(target) :] + [target]
                pytest.fail("import circle: " + " -> ".join(circle))
            if target not in state:
                visit(target)
        path.pop()
        state[name] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name)


def sizes() -> list[tuple[str, int, int]]:
    """(where, lines, parameters) of every module and function."""
    found = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            rel = str(path.relative_to(ROOT))
            source = path.read_text()
            found.append((rel, len(source.splitlines()), 0))
            for node in ast.walk(ast.parse(source)):
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    a = node.args
                    named = [
                        x.arg for x in a.posonlyargs + a.args + a.kwonlyargs if x.arg not in ("self", "cls")
                    ]
                    count = len(named) + bool(a.vararg) + bool(a.kwarg)
                    found.append((f"{rel}:{node.name}", (node.end_lineno or 0) - node.lineno + 1, count))
    return found


def test_modules_and_functions_are_small():
    over = []
    for where, lines, params in sizes():
        if where in WAITING:
            continue
        if ":" not in where and lines > MOST_LINES:
            over.append(f"{where}: {lines} lines")
        if ":" in where and (lines > MOST_FUNCTION_LINES or params > MOST_PARAMETERS):
            over.append(f"{where}: {lines} lines, {params} parameters")
    assert not over, "split these: " + "; ".join(over)
