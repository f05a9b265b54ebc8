"""What the store refuses, and why, as exceptions the CLI and the GUI can tell apart."""

from __future__ import annotations


class StoreError(Exception):
    """The database cannot do what was asked: unreadable or foreign file, unknown quote,
    bad value. The message is meant for the user, in one line."""


class RuleRefused(StoreError):
    """A business rule refuses the change (R-Q-2 and sign-off rules); exit code 1."""

    def __init__(self, rule: str, message: str) -> None:
        super().__init__(f"{message} ({rule})")
        self.rule = rule


class NotFound(StoreError, KeyError):
    """No quote, revision or price book by that name; a KeyError too, like a dict lookup."""

    def __str__(self) -> str:  # KeyError would print the repr of its argument
        return str(self.args[0])


class DatabaseBusy(StoreError):
    """Another Quote Desk holds the write lock for longer than the busy timeout."""
