"""The one exception family. Messages name the file, say what is wrong and what to do."""

from __future__ import annotations


class EvidenceError(Exception):
    """Base of every error this project raises on purpose."""


class DocumentError(EvidenceError):
    """A document that cannot be used: the message is one line a user understands."""

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason}")
