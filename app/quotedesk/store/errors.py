"""What the store cannot do, and why, as exceptions the CLI and the GUI can tell apart; a
rule's refusal (R-Q-2, sign-off's rules) is core.problems.Refused, as in every layer."""

from __future__ import annotations

from typing import Self

from quotedesk.core.problems import Message


class StoreError(Exception):
    """The database cannot do what was asked: unreadable or foreign file, unknown quote,
    bad value. The message is meant for the user, in one line, in English (the command
    line's). A refusal the window words in its own language (a busy or damaged database,
    a file that is not a quote database) also has its `reason` by catalog key
    (core.messages), whose English text is the message."""

    def __init__(self, message: str, reason: Message | None = None) -> None:
        super().__init__(message)
        self.reason = reason

    @classmethod
    def coded(cls, key: str, /, **params: object) -> Self:
        reason = Message(key, params)
        return cls(reason.text(), reason)


class NotFound(StoreError, KeyError):
    """No quote, revision or price book by that name; a KeyError too, like a dict lookup."""

    def __str__(self) -> str:  # KeyError would print the repr of its argument
        return str(self.args[0])


class DatabaseBusy(StoreError):
    """Another Quote Desk holds the write lock for longer than the busy timeout."""
