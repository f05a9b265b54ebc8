"""Problems found while reading or pricing a quote, each naming the rule it comes from.

A problem carries its rule id (`code`), a message key of the text catalog
(`quotedesk.core.messages`) and the key's parameters; each front end shows the text in its
own language, and `message` is the English one (the JSON output's `message`).
"""

from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any, Literal, NamedTuple

from quotedesk.core import messages

Severity = Literal["error", "warning"]


class Message(NamedTuple):
    """A text by code: a key of the catalog and its parameters. A parameter may itself be
    a Message (a reason inside a sentence); it is shown in the same language."""

    key: str
    params: dict[str, object]

    def text(
        self, language: str = "en", value: Callable[[str, object], object] | None = None
    ) -> str:
        return render(self.key, self.params, language, value)


def render(
    key: str,
    params: Mapping[str, object],
    language: str,
    value: Callable[[str, object], object] | None = None,
) -> str:
    """`key` in `language` with its parameters; `value(name, param)`, given by a front end,
    shows a parameter in that language (a date, an amount, a line counted from 1)."""
    shown = value or (_english if language == "en" else _as_given)
    shown_params = {
        name: param.text(language, value) if isinstance(param, Message) else shown(name, param)
        for name, param in params.items()
    }
    return messages.text(key, language, **shown_params)


def is_line(name: str) -> bool:
    """A parameter naming a line: its 0-based index (`line_no` is counted from 1)."""
    return name in ("line", "line_no") or name.endswith("_line")


def _english(name: str, param: object) -> object:
    # The English `message` of the JSON output groups counts as English does ("50,000"),
    # a user's own `value` as given; front ends pass `value` to write numbers in their
    # reader's language.
    if (
        isinstance(param, int)
        and not isinstance(param, bool)
        and name != "value"
        and not is_line(name)
    ):
        return f"{param:,}"
    return param


def _as_given(name: str, param: object) -> object:
    return param


def message_of(problem: Mapping[str, Any]) -> "Message | str":
    """The message of a problem as the JSON output has it (`Problem.to_dict`): by key when
    it has one, else its English text."""
    key = problem.get("key")
    return _decoded(problem) if isinstance(key, str) else str(problem.get("message", ""))


def _decoded(data: Mapping[str, Any]) -> Message:
    params = {
        name: _decoded(p) if isinstance(p, dict) else p
        for name, p in (data.get("params") or {}).items()
    }
    return Message(data["key"], params)


def _encoded(param: object) -> object:
    """A parameter as JSON holds it: dates as YYYY-MM-DD, amounts as plain decimals."""
    if isinstance(param, Message):
        return {"key": param.key, "params": {k: _encoded(v) for k, v in param.params.items()}}
    if isinstance(param, date):
        return param.isoformat()
    if isinstance(param, Decimal):
        return format(param, "f")
    return param


class Invalid(ValueError):
    """A value refused while reading a file; its reason is a catalog key and parameters."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.reason = Message(key, params)

    def __str__(self) -> str:
        return self.reason.text()


class Problem(NamedTuple):
    """One warning or error. `code` is a rule id (``R-LIM-1``) or ``R-INPUT``;
    `line` is the 0-based index of the quote line, or None for the whole quote."""

    code: str
    key: str
    params: dict[str, object]
    line: int | None = None
    severity: Severity = "error"
    # A problem saved before problems had keys (a stored revision, R-Q-5) has only its
    # English message; `key` is then "".
    saved_message: str = ""

    @property
    def message(self) -> str:
        return self.text("en") if self.key else self.saved_message

    def text(self, language: str, value: Callable[[str, object], object] | None = None) -> str:
        return render(self.key, self.params, language, value)

    def to_dict(self) -> dict[str, object]:
        """The rule id, English message and line, plus the message key and parameters a
        front end shows in its own language (`message_of`)."""
        return {
            "code": self.code,
            "message": self.message,
            "line": self.line,
            "key": self.key,
            "params": {name: _encoded(p) for name, p in self.params.items()},
        }


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


class Refused(Exception):
    """A rule refuses what was asked, in every layer (the store's checks and triggers,
    the operations): one line saying why, ending with the rule's id when a rule has one.
    The command line exits 1 on it."""

    def __init__(self, message: str, rule: str | None = None) -> None:
        super().__init__(f"{message} ({rule})" if rule else message)
        self.rule = rule
