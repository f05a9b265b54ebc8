"""The line table shows read-only snapshots of the draft's lines; every edit made in the
table goes to the draft as one undo command."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

import quotedesk.gui
from quotedesk.gui.line_model import LIST, NET, PRODUCT, USERS
from quotedesk.gui.typed_fields import NumberField
from tests.gui.conftest import JIRA_ANNUAL
from tests.gui.test_quote_editing import open_cell_editor, totals_shown


def test_editing_users_in_the_table_is_one_undo_step_and_redo_restores_it(
    qtbot, window, model_tester
):
    model = window.editor.table.model()
    model_tester(model)
    window.draft.add_line(dict(JIRA_ANNUAL, users=10, months=12))
    steps = window.draft.undo_stack.count()

    field = open_cell_editor(window, 0, USERS, NumberField)
    field.selectAll()
    qtbot.keyClicks(field, "150")  # three keys, one edit
    qtbot.keyClick(field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.draft.data["lines"][0]["users"] == 150)
    assert window.draft.undo_stack.count() == steps + 1
    assert model.index(0, USERS).data() == "150"
    assert totals_shown(window)["Total"] == "$14,600.00"  # the 200-user tier

    window.menu.undo_action.trigger()
    assert window.draft.data["lines"][0]["users"] == 10
    assert model.index(0, USERS).data() == "10"
    assert totals_shown(window)["Total"] == "$1,000.00"  # the 10-user tier

    window.menu.redo_action.trigger()
    assert window.draft.data["lines"][0]["users"] == 150
    assert model.index(0, USERS).data() == "150"
    assert totals_shown(window)["Total"] == "$14,600.00"


def test_the_line_table_cannot_change_the_drafts_lines(window):
    window.draft.add_line(dict(JIRA_ANNUAL, users=100, months=12))
    model = window.editor.table.model()
    shown = model.line(0)
    with pytest.raises(TypeError):
        shown["users"] = 5  # type: ignore[index]
    assert shown is not window.draft.data["lines"][0]
    assert window.draft.data["lines"][0]["users"] == 100

    # The draft's own dict changing behind the table's back does not reach the table.
    window.draft.data["lines"][0]["users"] = 7
    assert model.line(0)["users"] == 100
    assert model.index(0, USERS).data() == "100"


def test_removing_a_middle_line_and_undoing_puts_it_back_in_its_row(window, model_tester):
    model = window.editor.table.model()
    model_tester(model)  # the rows removed and inserted are announced correctly
    for product in ("jira", "confluence", "jsm"):
        window.draft.add_line(dict(JIRA_ANNUAL, product=product, users=10, months=12))

    def names() -> list[str]:
        return [model.index(row, PRODUCT).data() for row in range(model.rowCount())]

    first = names()

    window.draft.remove_line(1)
    assert names() == [first[0], first[2]]
    window.menu.undo_action.trigger()
    assert names() == first
    assert [line["product"] for line in window.draft.data["lines"]] == [
        "jira", "confluence", "jsm",
    ]  # fmt: skip


def test_changing_a_lines_users_repaints_that_cell_and_its_amounts_only(window):
    window.draft.add_line(dict(JIRA_ANNUAL, users=10, months=12))
    window.draft.add_line(dict(JIRA_ANNUAL, product="confluence", users=10, months=12))
    model = window.editor.table.model()
    repainted = []
    model.dataChanged.connect(
        lambda first, last, _roles=(): repainted.append(
            ((first.row(), first.column()), (last.row(), last.column()))
        )
    )
    window.draft.set_line(0, "users", 150)
    # 10 -> 150 users moves the line from the 10-user tier to the 200-user tier.
    assert repainted == [((0, USERS), (0, USERS)), ((0, LIST), (0, NET))]


def test_line_model_and_draft_do_not_import_each_other():
    folder = Path(quotedesk.gui.__file__).parent

    def imported(module: str) -> set[str]:
        tree = ast.parse((folder / f"{module}.py").read_text(encoding="utf-8"))
        names = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                names.add(node.module)
            elif isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
        return names

    assert "quotedesk.gui.line_model" in imported("draft")
    assert "quotedesk.gui.draft" not in imported("line_model")
