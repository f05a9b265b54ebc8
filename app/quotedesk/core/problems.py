"""Problems found while reading or pricing a quote, each naming the rule it comes from."""

from typing import Literal, NamedTuple

Severity = Literal["error", "warning"]


class Problem(NamedTuple):
    """One warning or error. `code` is a SPEC rule id (``R-LIM-1``) or ``R-INPUT``;
    `line` is the 0-based index of the quote line, or None for the whole quote."""

    code: str
    message: str
    line: int | None = None
    severity: Severity = "error"

    def to_dict(self) -> dict[str, object]:
        return {"code": self.code, "message": self.message, "line": self.line}


class ProblemLog:
    """Collects every problem instead of stopping at the first one."""

    def __init__(self) -> None:
        self.items: list[Problem] = []

    def error(self, code: str, message: str, line: int | None = None) -> None:
        self.items.append(Problem(code, message, line, "error"))

    def warn(self, code: str, message: str, line: int | None = None) -> None:
        self.items.append(Problem(code, message, line, "warning"))

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
