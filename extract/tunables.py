"""One rule for the values of a settings record (`QualitySettings`, `ServingLimits`, the
linker's candidate `Settings`), checked when it is made: a share lies between 0 and 1, a count
is at least 1 (or 0, where none is a choice). Every tunable is listed in docs/tunables.md."""

from __future__ import annotations

from collections.abc import Iterable


def check_shares(settings: object, names: Iterable[str], zero_allowed: bool = False) -> None:
    """Each of `names` is a share: more than 0 (or 0 itself, when `zero_allowed`) and at most 1."""
    for name in names:
        value = getattr(settings, name)
        if not (0 <= value <= 1 if zero_allowed else 0 < value <= 1):
            raise ValueError(f"{name} is a share: give it between 0 and 1, not {value}")


def check_counts(settings: object, names: Iterable[str], least: int = 1) -> None:
    """Each of `names` is a count of at least `least`."""
    for name in names:
        value = getattr(settings, name)
        if value < least:
            raise ValueError(f"{name} is a count: give it as {least} or more, not {value}")
