"""Every tunable is documented: a module-level number in UPPER_CASE is a setting someone may
want to change, so the table of tunables (docs/tunables.md) names it (as Datasette's tests do for its
settings). A constant of the system (a flag of an OS call) is named with a leading underscore."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("extract", "link", "evidence")


def tunables() -> list[tuple[str, str]]:
    found = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            for node in ast.parse(path.read_text()).body:
                if not isinstance(node, ast.Assign) or not isinstance(node.value, ast.Constant):
                    continue
                value = node.value.value
                if isinstance(value, bool) or not isinstance(value, (int, float)):
                    continue
                for target in node.targets:
                    # a leading underscore marks a constant of the system, not a setting
                    if isinstance(target, ast.Name) and target.id.isupper() and not target.id.startswith("_"):
                        found.append((str(path.relative_to(ROOT)), target.id))
    return found


@pytest.mark.parametrize(("module", "name"), tunables())
def test_tunable_is_in_the_readme(module: str, name: str) -> None:
    table = (ROOT / "docs" / "tunables.md").read_text()
    assert f"`{name}`" in table, f"{name} ({module}) is missing from docs/tunables.md"
