"""Problems by code: the core emits a rule id, a message key and params; the
catalog holds every key's text in every language, and a rule id finds its code, its data
and its texts in one grep."""

from __future__ import annotations

import json
import re
import shutil
import string
from datetime import date
from pathlib import Path

import jsonschema
import pytest

import quotedesk.core
from quotedesk.core import messages, parse_quote, price
from quotedesk.core.io.resources import resources_dir
from quotedesk.core.messages import LANGUAGES
from quotedesk.core.problems import Message, message_of
from quotedesk.core.quotes.signoff import sign_off_refusals
from quotedesk.core.rules import load_rules
from tests.core.conftest import JIRA_CLOUD, JIRA_DC, TODAY, codes

CORE = Path(quotedesk.core.__file__).parent
RULES = resources_dir() / "rules"
SCHEMAS = Path(__file__).parents[1] / "schemas"
# A message key as the core writes it: a rule id or the sign-off family, a dot, a name.
KEY = re.compile(r'"((?:R-[A-Z0-9-]+|signoff)\.[a-z0-9_.]+)"')


def placeholders(text: str) -> list[str]:
    return sorted(name for _, name, _, _ in string.Formatter().parse(text) if name is not None)


def test_every_code_has_a_text_in_every_language_with_the_same_placeholders():
    for code, texts in messages.catalog().items():
        assert sorted(texts) == sorted(LANGUAGES), code
        for language in LANGUAGES:
            assert texts[language].strip(), (code, language)
            assert placeholders(texts[language]) == placeholders(texts["en"]), (code, language)


def emitted_keys() -> set[str]:
    """Every key in the core's source and in the rule tables that hold message keys."""
    keys = set()
    for path in CORE.rglob("*.py"):
        keys |= set(KEY.findall(path.read_text(encoding="utf-8")))
    for name in ("products.json", "discounts.json"):
        keys |= set(KEY.findall((RULES / name).read_text(encoding="utf-8")))
    rules = load_rules(RULES)
    keys |= {limit.message for limit in rules.limits}
    keys |= {p.not_eligible for p in rules.programs.values() if p.grants}
    return keys


def test_every_key_the_core_emits_is_in_the_catalog():
    keys = emitted_keys()
    assert len(keys) > 100  # the scan finds the keys (a broken pattern finds none)
    assert sorted(keys - messages.catalog().keys()) == []


def test_a_rule_id_greps_to_its_code_its_data_and_its_texts():
    modules = (*CORE.glob("*.py"), *(CORE / "pricing").glob("*.py"))
    source = "".join(p.read_text(encoding="utf-8") for p in modules)
    # Each log call names its rule, then a key under that rule.
    for rule, key in re.findall(r'log\.(?:error|warn)\(\s*"([^"]+)",\s*"([^"]+)"', source):
        assert key.startswith(f"{rule}."), (rule, key)
    policies = json.loads((RULES / "policies.json").read_text(encoding="utf-8"))
    for rule in (r for r in policies if r.startswith("R-")):
        assert any(key.startswith(f"{rule}.") for key in messages.catalog()), rule
        assert f'"{rule}.' in source
    assert "R-TIER-1.additions_above" in messages.catalog()
    assert '"R-TIER-1.additions_above"' in source


def test_R_UPG_4_downgrade_window_comes_from_the_policies_table(tmp_path, book):
    folder = tmp_path / "rules"
    shutil.copytree(RULES, folder)
    table = json.loads((folder / "policies.json").read_text(encoding="utf-8"))
    table["R-UPG-4"]["window_days"] = 120
    (folder / "policies.json").write_text(json.dumps(table), encoding="utf-8")
    down = {**JIRA_DC, "users": 500, "action": "downgrade", "from_users": 1000,
            "current_end_date": "2027-03-13"}  # fmt: skip  # 110 days after TODAY
    quote = parse_quote({"lines": [down], "quote_date": TODAY.isoformat()})
    shipped = price(quote, book, load_rules(RULES), TODAY)
    (refused,) = [e for e in shipped.errors if e.code == "R-UPG-4"]
    assert refused.message == (
        "a downgrade is only possible with the renewal, within 90 days before 2027-03-13 "
        "(110 days left); no mid-term credit"
    )
    assert "R-UPG-4" not in codes(price(quote, book, load_rules(folder), TODAY).errors)


def test_R_UPG_4_window_reads_in_each_language_with_its_values(priced):
    down = {**JIRA_DC, "users": 500, "action": "downgrade", "from_users": 1000,
            "current_end_date": "2027-03-13"}  # fmt: skip
    (refused,) = [e for e in priced([down]).errors if e.code == "R-UPG-4"]
    assert (refused.key, refused.params["days_left"]) == ("R-UPG-4.window", 113)
    assert refused.text("pt-BR") == (
        "um downgrade só é possível com a renovação, até 90 dias antes de 2027-03-13 "
        "(faltam 113 dias); sem crédito no meio do prazo"
    )
    assert "113" in refused.text("ja") and "ダウングレード" in refused.text("ja")


def test_R_INPUT_field_problem_nests_its_reason_in_the_same_language():
    quote = parse_quote({"lines": [{**JIRA_CLOUD, "users": "many"}]})
    (problem,) = quote.problems
    assert (problem.code, problem.key, problem.line) == ("R-INPUT", "R-INPUT.line_field", 0)
    assert problem.message == "line 0: users: 'many' is not a whole number ≥ 0"
    assert problem.text("zh-CN") == "行 0：users：'many' 不是 ≥ 0 的整数"


def test_R_TIER_1_additions_on_an_annual_line_is_an_error_in_japanese(priced):
    # 95 users are in the 100 tier; +10 would need the 200 tier.
    line = {**JIRA_CLOUD, "users": 95, "additions": [{"date": "2026-12-01", "users": 10}]}
    (error,) = priced([line]).errors
    assert error.key == "R-TIER-1.additions_above"
    assert error.text("ja").startswith("Jira Cloud Standard：additions は月額の行にのみ使えます")


def test_priced_json_keeps_english_messages_and_carries_key_and_params(priced):
    lines = [
        {**JIRA_CLOUD, "users": 60000},  # R-LIM-2
        {**JIRA_CLOUD, "users": 50, "months": 7},  # R-TERM-1
        {**JIRA_CLOUD, "users": 50, "list_price": "10.00"},  # R-INPUT, R-PRICE-OVERRIDE
    ]
    data = priced(lines).to_dict()
    jsonschema.validate(data, json.loads((SCHEMAS / "priced.schema.json").read_text()))
    by_code = {p["code"]: p for p in data["errors"] + data["warnings"]}
    assert by_code["R-LIM-2"]["message"] == (
        "Jira Cloud Standard allows at most 50,000 per site, not 60,000"
    )
    assert by_code["R-TERM-1"]["message"] == "a term runs 12 to 24 months, not 7"
    override = by_code["R-PRICE-OVERRIDE"]
    assert override["message"] == "list price 10.00 instead of 8000.00: no reason given"
    assert override["params"]["reason"] == {"key": "R-PRICE-OVERRIDE.no_reason", "params": {}}
    said = message_of(override)
    assert (
        isinstance(said, Message)
        and said.text("ja") == "定価 8000.00 ではなく 10.00：理由の記載なし"
    )
    for problem in data["errors"] + data["warnings"]:
        assert "{" not in problem["message"] and not KEY.fullmatch(f'"{problem["message"]}"')


def test_R_DISC_MANUAL_refusal_names_its_rule_and_reads_in_pt_BR():
    quote = {"customer": {"name": "ACME"}, "lines": [{**JIRA_CLOUD, "discount_pct": "20"}]}
    (refusal,) = sign_off_refusals(
        quote, {"errors": []}, seller="Atlas", threshold=15, by="Ana", approver=None
    )
    assert (refusal.code, refusal.field) == ("R-DISC-MANUAL", "approver")
    assert refusal.text("pt-BR") == (
        "a linha 1 tem desconto manual de 20%, acima do limite de aprovação de 15%; "
        "a aprovação final precisa de um aprovador"
    )


@pytest.mark.parametrize(
    ("count", "english"), [(2, "(and 1 more error)"), (3, "(and 2 more errors)")]
)
def test_R_Q_2_refusal_counts_the_other_errors_as_a_real_plural(count, english):
    errors = [{"code": "R-TERM-1", "message": "bad term"}] * count
    (refusal,) = sign_off_refusals(
        {"customer": {"name": "ACME"}, "lines": [JIRA_CLOUD]}, {"errors": errors},
        seller="Atlas", threshold=15, by="Ana", approver=None,
    )  # fmt: skip
    assert (refusal.code, refusal.message) == ("R-TERM-1", f"bad term {english}")


def test_an_expired_quote_warning_carries_its_date_for_the_reader(priced):
    expired = priced([{**JIRA_CLOUD, "users": 50}], today=date(2027, 1, 1), quote_date="2026-11-23")
    (warning,) = [w for w in expired.warnings if w.code == "R-Q-3"]
    assert warning.params == {"date": date(2026, 12, 23), "days": 30}
    assert warning.text("pt-BR") == "A cotação venceu em 2026-12-23 (validade de 30 dias)."


def test_R_Q_2_refusal_of_a_revision_priced_before_message_keys_shows_its_english_text():
    (refusal,) = sign_off_refusals(
        {"customer": {"name": "ACME"}, "lines": [JIRA_CLOUD]},
        {"errors": [{"code": "R-TERM-1", "message": "a term runs 12 to 24 months, not 7"}]},
        seller="Atlas", threshold=15, by="Ana", approver=None,
    )  # fmt: skip
    assert (refusal.code, refusal.text("ja")) == ("R-TERM-1", "a term runs 12 to 24 months, not 7")
