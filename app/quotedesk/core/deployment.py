"""Edition and billing by deployment: Data Center has one edition and is always a term
subscription billed annually, so its lines and price-book rows carry no edition and
billing=annual. Cloud lines choose both."""

from __future__ import annotations

CLOUD, DATACENTER = "cloud", "datacenter"
DEPLOYMENTS = (CLOUD, DATACENTER)
# What a Data Center line or row always has: no edition, annual billing.
DATACENTER_EDITION, DATACENTER_BILLING = "", "annual"


def fixed_terms(deployment: object) -> bool:
    """True when the deployment fixes edition and billing (Data Center): nobody picks them."""
    return deployment == DATACENTER


def terms_fit(deployment: str, edition: str, billing: str) -> bool:
    """A price-book row's edition and billing agree with its deployment."""
    return not fixed_terms(deployment) or (edition, billing) == (
        DATACENTER_EDITION,
        DATACENTER_BILLING,
    )
