"""The thresholds and windows of the pricing rules (resources/rules/policies.json), each
read from the table under its rule id, so one grep for a rule id finds its number too."""

from typing import Any, NamedTuple


class Policies(NamedTuple):
    term_min_months: int  # R-TERM-1
    term_max_months: int  # R-TERM-1
    coterm_max_months: int  # R-TERM-3
    downgrade_window_days: int  # R-UPG-4
    dual_licensing_max_days: int  # R-DISC-DUAL
    validity_days: int  # R-Q-3
    migration_trial_months: int  # R-MIG-1
    migration_trial_users: int  # R-MIG-1


def read_policies(table: dict[str, Any]) -> Policies:
    return Policies(
        term_min_months=table["R-TERM-1"]["min_months"],
        term_max_months=table["R-TERM-1"]["max_months"],
        coterm_max_months=table["R-TERM-3"]["coterm_max_months"],
        downgrade_window_days=table["R-UPG-4"]["window_days"],
        dual_licensing_max_days=table["R-DISC-DUAL"]["max_days"],
        validity_days=table["R-Q-3"]["validity_days"],
        migration_trial_months=table["R-MIG-1"]["trial_months"],
        migration_trial_users=table["R-MIG-1"]["trial_users"],
    )
