"""Write `sample.csv`, the illustrative sample price book (the CSV that core.price_book reads).

The prices are modelled on public list prices of 2025-2026 (see README.md beside this
file) but are NOT Atlassian's prices: they only make the app and its tests realistic.
Everything is derived from a few base rates with `Decimal` arithmetic, so the output is
the same on every run:

    python app/quotedesk/resources/pricebooks/make_sample.py          # rewrites sample.csv
    python app/quotedesk/resources/pricebooks/make_sample.py --check  # exit 1 if it is stale
"""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "sample.csv"

COLUMNS = (
    "product", "name", "deployment", "edition", "billing", "unit", "tier_max",
    "price_kind", "currency", "price", "effective_from",
)  # fmt: skip

Row = tuple[str, ...]
D = Decimal

# --- Cloud ---------------------------------------------------------------------------------
CLOUD_FROM = "2025-10-01"
JIRA_CLOUD_PREVIOUS = ("2024-10-01", D("0.95"))  # an older Jira Cloud version, ~5% lower

# Annual tiers: 10 ... 1000, every 500 to 5000, then larger steps to 50,000.
ANNUAL_LADDER = (
    10, 15, 20, 25, 30, 35, 40, 45, 50, 75, 100, 125, 150, 200, 250, 300, 400, 500, 600, 800,
    *range(1000, 5001, 500),
    7500, 10000, 15000, 20000, 25000, 30000, 35000, 40000, 45000, 50000,
)  # fmt: skip
# Monthly bands 1-10, 11-100, 101-250, 251-1000, 1001-unlimited, and how the per-unit rate
# falls from band to band (Jira Standard: 7.91, 7.53, 7.16, 6.80, 6.46).
BAND_TOPS: tuple[int | None, ...] = (10, 100, 250, 1000, None)
BAND_FACTORS = (D("1"), D("0.952"), D("0.905"), D("0.86"), D("0.817"))
ANNUAL_MONTHS = D(10)  # an annual tier costs about 10 x the monthly price for that count


@dataclass(frozen=True)
class CloudProduct:
    key: str
    name: str
    unit: str
    rates: dict[str, Decimal]  # edition -> first-band monthly rate per unit
    free_max: int | None = None  # units the Free edition allows (None: no Free edition)
    annual_only: frozenset[str] = frozenset({"enterprise"})
    max_units: int = 50000


CLOUD = (
    CloudProduct(
        "jira", "Jira", "users",
        {"standard": D("7.91"), "premium": D("14.54"), "enterprise": D("26.00")}, free_max=10,
    ),
    CloudProduct(
        "confluence", "Confluence", "users",
        {"standard": D("6.05"), "premium": D("11.55"), "enterprise": D("21.00")}, free_max=10,
    ),
    CloudProduct(
        "jsm", "Jira Service Management", "agents",
        {"standard": D("20.00"), "premium": D("45.00"), "enterprise": D("80.00")},
        free_max=3, max_units=10000,
    ),
    CloudProduct("jpd", "Jira Product Discovery", "creators", {"standard": D("10.00")}, free_max=3),
    CloudProduct(
        "bitbucket", "Bitbucket", "users", {"standard": D("3.65"), "premium": D("7.25")}, free_max=5
    ),
    CloudProduct(
        "compass", "Compass", "users", {"standard": D("8.00"), "premium": D("25.00")}, free_max=3
    ),
    CloudProduct("guard", "Atlassian Guard", "users", {"standard": D("4.00")}),
    CloudProduct(
        "loom", "Loom", "creators", {"standard": D("18.00"), "premium": D("24.00")}, free_max=50
    ),
    CloudProduct(
        "trello", "Trello", "users",
        {"standard": D("5.00"), "premium": D("10.00"), "enterprise": D("17.50")}, free_max=10,
    ),
)  # fmt: skip

# Statuspage is priced per page plan, not per user: one flat amount per month (any count of
# pages up to the plan) and, billed annually, ten times that.
STATUSPAGE_PLANS = {"free": D("0"), "standard": D("99.00"), "premium": D("399.00")}


@dataclass(frozen=True)
class CloudApp:
    key: str
    name: str
    flat_first_band: Decimal  # "up to 10 users: 10.00"
    rates: tuple[Decimal, ...]  # per user per month in bands 11-100, 101-250, 251-1000, 1001-


APPS_CLOUD = (
    CloudApp(
        "app:com.example.timesheets", "Timesheets (example app)",
        D("10.00"), (D("1.65"), D("0.77"), D("0.40"), D("0.20")),
    ),
    CloudApp(
        "app:com.example.diagrams", "Diagrams (example app)",
        D("10.00"), (D("1.20"), D("0.60"), D("0.30"), D("0.15")),
    ),
    CloudApp(
        "app:com.example.checklists", "Checklists (example app)",
        D("5.00"), (D("0.80"), D("0.45"), D("0.25"), D("0.10")),
    ),
)  # fmt: skip

# --- Data Center ---------------------------------------------------------------------------
DC_VERSIONS = ("2025-02-01", "2026-02-17")
# Data Center list prices in AUD and JPY are their own price lists; here they are derived
# from USD with a fixed factor so the sample stays consistent. Marketplace apps are never
# sold in AUD (R-CUR-3), so they get USD and JPY only.
DC_CURRENCIES = {"USD": D("1"), "AUD": D("1.55"), "JPY": D("150")}
APP_DC_CURRENCIES = ("USD", "JPY")

UNLIMITED = None
# Jira Data Center, USD per year, 2025-02-01 version.
JIRA_DC = {
    500: 42000, 1000: 72000, 2000: 120000, 3000: 165000, 4000: 208000, 5000: 250000,
    10000: 480000, 15000: 612000, 20000: 720000, 25000: 810000, 30000: 888000,
    35000: 960000, 40000: 1020000, 45000: 1074000, 50000: 1122000, UNLIMITED: 1250000,
}  # fmt: skip
JSM_DC = {  # per agent tier
    50: 17800, 100: 31500, 250: 64000, 500: 106000, 750: 147000, 1000: 183000,
    2000: 302000, 3000: 415000, 4000: 520000, 5000: 615000, 10000: 980000, UNLIMITED: 1150000,
}  # fmt: skip
BAMBOO_DC: dict[int | None, int] = {  # per remote-agent tier
    5: 1500, 10: 2800, 25: 6300, 50: 11800, 100: 21500, 250: 48000, 500: 86000,
    1000: 155000, 2000: 279000,
}  # fmt: skip
APP_DC = {  # a typical Marketplace app for Data Center, on the Jira ladder
    500: 3400, 1000: 5600, 2000: 8200, 3000: 9800, 4000: 11000, 5000: 12000, 10000: 13600,
    15000: 14400, 20000: 15100, 25000: 15700, 30000: 16200, 35000: 16700, 40000: 17100,
    45000: 17500, 50000: 18000, UNLIMITED: 19500,
}  # fmt: skip


@dataclass(frozen=True)
class DataCenterProduct:
    key: str
    name: str
    unit: str
    tiers: Mapping[int | None, int]  # tier_max -> USD price of the 2025 version
    scale: Decimal  # x the ladder above
    rise_2026: Decimal  # the February 2026 price rise
    currencies: Sequence[str] = tuple(DC_CURRENCIES)


def _up_to(ladder: dict[int | None, int], last: int) -> dict[int | None, int]:
    kept: dict[int | None, int] = {
        tier: price for tier, price in ladder.items() if tier is not None and tier <= last
    }
    return kept


DATA_CENTER = (
    DataCenterProduct("jira", "Jira", "users", JIRA_DC, D("1"), D("1.08")),
    DataCenterProduct("confluence", "Confluence", "users", JIRA_DC, D("0.8"), D("1.07")),
    DataCenterProduct("jsm", "Jira Service Management", "agents", JSM_DC, D("1"), D("1.09")),
    # Bitbucket Data Center stops at 30,000 users (R-LIM-3): no unlimited tier.
    DataCenterProduct("bitbucket", "Bitbucket", "users", _up_to(JIRA_DC, 30000), D("0.55"), D("1.06")),  # noqa: E501
    DataCenterProduct("crowd", "Crowd", "users", JIRA_DC, D("0.13"), D("1.05")),
    DataCenterProduct("bamboo", "Bamboo", "remote_agents", BAMBOO_DC, D("1"), D("1.06")),
    DataCenterProduct("app:com.example.timesheets", "Timesheets (example app)", "users", APP_DC, D("1"), D("1.05"), APP_DC_CURRENCIES),  # noqa: E501
    DataCenterProduct("app:com.example.diagrams", "Diagrams (example app)", "users", APP_DC, D("0.8"), D("1.05"), APP_DC_CURRENCIES),  # noqa: E501
    DataCenterProduct("app:com.example.checklists", "Checklists (example app)", "users", APP_DC, D("0.6"), D("1.05"), APP_DC_CURRENCIES),  # noqa: E501
)  # fmt: skip


# --- Arithmetic ----------------------------------------------------------------------------
def cents(amount: Decimal) -> Decimal:
    return amount.quantize(D("0.01"), rounding=ROUND_HALF_UP)


def whole(amount: Decimal) -> Decimal:
    return amount.quantize(D("1"), rounding=ROUND_HALF_UP)


def money(amount: Decimal, currency: str) -> str:
    """Whole yen for JPY, cents for everything else."""
    return str(whole(amount)) if currency == "JPY" else str(cents(amount))


def band_rates(first: Decimal) -> list[Decimal]:
    return [cents(first * factor) for factor in BAND_FACTORS]


def monthly_amount(count: int, bands: Sequence[tuple[int | None, str, Decimal]]) -> Decimal:
    """The graduated monthly price of `count` units (same rule as the core's)."""
    total, below = D(0), 0
    for top, kind, price in bands:
        if count <= below:
            break
        upper = count if top is None else min(count, top)
        total += price if kind == "flat" else price * (upper - below)
        if top is None:
            break
        below = top
    return total


def _tier(top: int | None) -> str:
    return "" if top is None else str(top)


# --- Rows ----------------------------------------------------------------------------------
def cloud_rows(product: CloudProduct, effective_from: str, factor: Decimal) -> Iterator[Row]:
    base = (product.key, product.name, "cloud")
    if product.free_max is not None:
        for billing, kind in (("monthly", "per_unit"), ("annual", "flat")):
            yield (*base, "free", billing, product.unit, str(product.free_max), kind, "USD",
                   "0.00", effective_from)  # fmt: skip
    ladder = [t for t in ANNUAL_LADDER if t <= product.max_units]
    for edition, first in product.rates.items():
        rates = band_rates(first * factor)
        bands = [(top, "per_unit", rate) for top, rate in zip(BAND_TOPS, rates, strict=True)]
        if edition not in product.annual_only:
            for top, _kind, rate in bands:
                yield (*base, edition, "monthly", product.unit, _tier(top), "per_unit", "USD",
                       str(rate), effective_from)  # fmt: skip
        for top in ladder:
            price = whole(monthly_amount(top, bands) * ANNUAL_MONTHS)
            yield (*base, edition, "annual", product.unit, str(top), "flat", "USD",
                   money(price, "USD"), effective_from)  # fmt: skip


def statuspage_rows() -> Iterator[Row]:
    base = ("statuspage", "Statuspage", "cloud")
    for edition, monthly in STATUSPAGE_PLANS.items():
        yield (*base, edition, "monthly", "pages", "", "flat", "USD", money(monthly, "USD"),
               CLOUD_FROM)  # fmt: skip
        yield (*base, edition, "annual", "pages", "", "flat", "USD",
               money(monthly * ANNUAL_MONTHS, "USD"), CLOUD_FROM)  # fmt: skip


def app_cloud_rows(app: CloudApp) -> Iterator[Row]:
    base = (app.key, app.name, "cloud", "standard")
    bands = [(BAND_TOPS[0], "flat", app.flat_first_band)]
    bands += [(top, "per_unit", rate) for top, rate in zip(BAND_TOPS[1:], app.rates, strict=True)]
    for top, kind, price in bands:
        yield (*base, "monthly", "users", _tier(top), kind, "USD", money(price, "USD"),
               CLOUD_FROM)  # fmt: skip
    for top in ANNUAL_LADDER:
        price = whole(monthly_amount(top, bands) * ANNUAL_MONTHS)
        yield (*base, "annual", "users", str(top), "flat", "USD", money(price, "USD"),
               CLOUD_FROM)  # fmt: skip


def data_center_rows(product: DataCenterProduct) -> Iterator[Row]:
    base = (product.key, product.name, "datacenter", "", "annual", product.unit)
    for version, effective_from in enumerate(DC_VERSIONS):
        rise = product.rise_2026 if version else D(1)
        for currency in product.currencies:
            for top, usd in product.tiers.items():
                # Whole dollars first, so each currency is a fixed multiple of the USD list.
                price = whole(D(usd) * product.scale * rise) * DC_CURRENCIES[currency]
                yield (*base, _tier(top), "flat", currency, money(price, currency),
                       effective_from)  # fmt: skip


def sample_rows() -> list[Row]:
    rows: list[Row] = []
    for product in CLOUD:
        if product.key == "jira":
            rows += cloud_rows(product, *JIRA_CLOUD_PREVIOUS)
        rows += cloud_rows(product, CLOUD_FROM, D(1))
    rows += statuspage_rows()
    for app in APPS_CLOUD:
        rows += app_cloud_rows(app)
    for dc in DATA_CENTER:
        rows += data_center_rows(dc)
    return rows


def render() -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(sample_rows())
    return buffer.getvalue()


def main(argv: Sequence[str]) -> int:
    text = render()
    if "--check" in argv:
        if OUT.read_text(encoding="utf-8") != text:
            print(f"{OUT} is stale: run {Path(__file__).name} to regenerate it", file=sys.stderr)
            return 1
        return 0
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT} ({text.count(chr(10)) - 1} rows)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
