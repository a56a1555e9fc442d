"""What a build did, for its summary."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class BuildResult:
    found: int = 0
    extracted: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    failures: list[tuple[str, str]] = field(default_factory=list)
    disagreements: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    # files whose stored rows were kept because their new version reads worse
    kept: list[str] = field(default_factory=list)
    # when each earlier build that was stopped before it finished had started
    interrupted: list[str] = field(default_factory=list)
    # what was mended in the store before building (a hand edit, an older version)
    repaired: list[str] = field(default_factory=list)
    # stored files with a known section read as empty (listed in problems by every build,
    # whether or not the file was read again: see `documents.unread`)
    unread: list[tuple[str, str]] = field(default_factory=list)
    # (path, what a person should know) of stored files with notes: damage, pages that read
    # badly, an inspection report with no recommendations (listed in problems by every build, whether or not the file was read again: see
    # `documents.notes`)
    noted: list[tuple[str, str]] = field(default_factory=list)

    @property
    def usable(self) -> bool:
        """Something could be done: a document stored now or before."""
        return self.counts.get("documents", 0) > 0

    def notes(self) -> list[str]:
        """What the build found to say about the store before its own work."""
        lines = [
            f"The build started {started} did not finish (it was stopped): nothing of it was kept, "
            "and this build did its work."
            for started in self.interrupted
        ]
        return lines + [f"Repaired the store: {done}." for done in self.repaired]

    def summary(self) -> str:
        return (
            f"{self.found} file{'' if self.found == 1 else 's'}: {len(self.extracted)} extracted, "
            f"{len(self.unchanged)} unchanged, {len(self.failures)} rejected"
            + (f", {len(self.removed)} removed" if self.removed else "")
            + (f", {len(self.noted)} stored with something to check (see problems)" if self.noted else "")
            + (f", {len(self.unread)} with a section read as empty (see problems)" if self.unread else "")
        )
