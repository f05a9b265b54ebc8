"""Problems found while reading or pricing a quote, each naming the rule it comes from.

A problem carries its rule id (`code`), a message key of the text catalog
(`quotedesk.core.messages`) and the key's parameters; each front end shows the text in its
own language, and `message` is the English one (the JSON output's `message`).
"""

from typing import Literal, NamedTuple

from quotedesk.core import messages

Severity = Literal["error", "warning"]


class Problem(NamedTuple):
    """One warning or error. `code` is a SPEC rule id (``R-LIM-1``) or ``R-INPUT``;
    `line` is the 0-based index of the quote line, or None for the whole quote."""

    code: str
    key: str
    params: dict[str, object]
    line: int | None = None
    severity: Severity = "error"

    @property
    def message(self) -> str:
        return self.text("en")

    def text(self, language: str) -> str:
        """The message in `language`. A key not in the catalog is English prose still
        waiting for its code (the callers are converted one module at a time)."""
        if self.key not in messages.catalog():
            return self.key
        return messages.text(self.key, language, **self.params)

    def to_dict(self) -> dict[str, object]:
        return {"code": self.code, "message": self.message, "line": self.line}


class ProblemLog:
    """Collects every problem instead of stopping at the first one."""

    def __init__(self) -> None:
        self.items: list[Problem] = []

    def error(self, rule: str, key: str, line: int | None = None, **params: object) -> None:
        self.items.append(Problem(rule, key, params, line, "error"))

    def warn(self, rule: str, key: str, line: int | None = None, **params: object) -> None:
        self.items.append(Problem(rule, key, params, line, "warning"))

    def extend(self, problems: tuple[Problem, ...] | list[Problem]) -> None:
        self.items.extend(problems)

    def line_has_error(self, line: int) -> bool:
        return any(p.line == line and p.severity == "error" for p in self.items)

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.items if p.severity == "error")

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.items if p.severity == "warning")


def shown(value: object, limit: int = 40) -> str:
    """A user's value as a message quotes it: its repr cut to `limit` characters, and a
    list or object by its kind only (its repr can be megabytes, or nested too deep)."""
    if isinstance(value, (list, dict)):
        return "a list" if isinstance(value, list) else "an object"
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
