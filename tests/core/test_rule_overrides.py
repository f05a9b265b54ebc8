"""A user's rule tables: a file in the user's rules folder replaces the shipped
table of the same name, and the tables say when their figures were last reviewed."""

from __future__ import annotations

import json
import os
from datetime import date, datetime
from decimal import Decimal

import pytest

from quotedesk.core.io.resources import resources_dir
from quotedesk.core.rules import RulesError, load_rules

SHIPPED = resources_dir() / "rules"


def _us_table_with(folder, **changes):
    table = json.loads((SHIPPED / "us_sales_tax.json").read_text(encoding="utf-8"))
    table.update(changes)
    (folder / "us_sales_tax.json").write_text(json.dumps(table), encoding="utf-8")
    return table


def _rates(rules, component_id):
    return next(c.rates for c in rules.taxes.components if c.id == component_id)


def test_a_user_table_replaces_the_shipped_table_of_the_same_name_only(user_rules):
    shipped = load_rules(SHIPPED)
    table = _us_table_with(user_rules)
    texas = next(c for c in table["groups"][0]["components"] if c["id"] == "US-TX")
    texas["rates"] = [["2020-01-01", "8.25"]]  # the adviser's rate with local add-on
    (user_rules / "us_sales_tax.json").write_text(json.dumps(table), encoding="utf-8")

    rules = load_rules()
    assert _rates(rules, "US-TX") == ((date(2020, 1, 1), Decimal("8.25")),)
    assert _rates(shipped, "US-TX") != _rates(rules, "US-TX")
    assert _rates(rules, "US-PR") == _rates(shipped, "US-PR")  # rest of the user's file
    assert _rates(rules, "DE-VAT") == _rates(shipped, "DE-VAT")  # taxes.json is the shipped one
    assert rules.overridden == (user_rules / "us_sales_tax.json",)


def test_without_user_files_the_shipped_tables_apply_reviewed_on_their_date(user_rules):
    rules = load_rules()
    assert rules.overridden == ()
    assert rules.reviewed == date(2026, 11, 23)


def test_reviewed_is_the_oldest_date_of_the_tables_read(user_rules):
    _us_table_with(user_rules, _reviewed="2024-03-01")
    assert load_rules().reviewed == date(2024, 3, 1)


def test_a_user_table_without_a_reviewed_date_counts_from_when_it_was_written(user_rules):
    table = json.loads((SHIPPED / "fees.json").read_text(encoding="utf-8"))
    del table["_reviewed"]
    path = user_rules / "fees.json"
    path.write_text(json.dumps(table), encoding="utf-8")
    written = datetime(2023, 6, 15, 12, 0).timestamp()
    os.utime(path, (written, written))
    assert load_rules().reviewed == date(2023, 6, 15)


def test_a_user_table_with_a_bad_reviewed_date_is_refused_with_its_path(user_rules):
    _us_table_with(user_rules, _reviewed="last spring")
    with pytest.raises(RulesError, match=r"us_sales_tax.json: _reviewed is not a YYYY-MM-DD"):
        load_rules()
