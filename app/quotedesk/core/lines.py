"""Pricing of product lines: tiers, terms, renewals, co-termination, upgrades,
downgrades, peak-user additions, migration credits, app parents and limits.

Each quote line is first *resolved* (an app line takes its parent's count and term,
R-LIM-4; defaults filled in; its price-book schedule found), then priced into one main
row plus its charge rows (credits, peak additions), all before discounts.
"""

from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple

from quotedesk.core.catalog import PriceRow, Schedule
from quotedesk.core.context import PricingContext
from quotedesk.core.dates import add_months, days_between, full_months_between
from quotedesk.core.money import format_amount
from quotedesk.core.quote import Addition, ProductLine

DAYS_PER_YEAR = Decimal(365)
TERM_MONTHS = range(12, 25)  # R-TERM-1: any whole number of months from 12 to 24


class ResolvedLine(NamedTuple):
    index: int  # type: ignore[assignment]  # the SPEC's name; shadows tuple.index
    line: ProductLine
    product: str
    deployment: str
    billing: str
    edition: str
    users: int
    users_inherited: bool
    months: int | None
    start: date
    action: str
    from_users: int | None
    current_end: date | None
    mode: str | None
    coterm_with: int | None
    additions: tuple[Addition, ...]
    family: str  # the product, or the parent line's product for an app (Confluence apps)
    parent: "ResolvedLine | None"
    schedule: Schedule
    name: str
    is_app: bool

    @property
    def is_monthly(self) -> bool:
        return self.billing == "monthly"


class Charge(NamedTuple):
    """A priced row before discounts."""

    kind: str  # product | upgrade_credit | migration_credit | peak_addition
    name: str
    tier: int | str | None
    units: int | None
    period_start: date
    period_end: date
    list_price: Decimal
    book_price: Decimal | None
    basis: str
    # Upgrade credits valued at list price get the program and partner discounts the
    # customer had; credits of what was actually paid get none.
    discountable: bool = True
    manual_discount: bool = True


class Period(NamedTuple):
    start: date
    end: date
    months: int | None  # None when priced by days (co-term)


def _own_or(own: Any, inherited: Any) -> Any:
    return inherited if own is None else own


def peak_count(users: int, additions: tuple[Addition, ...]) -> int:
    """The highest running count a line reaches through its additions."""
    count = peak = users
    for change in additions:
        count += change.users
        peak = max(peak, count)
    return peak


def tier_label(row: PriceRow) -> int | str:
    return "unlimited" if row.tier_max is None else row.tier_max


def display_name(book_name: str, deployment: str, edition: str) -> str:
    """The row's own name, with its deployment unless the name already says it ("Jira" →
    "Jira Cloud Standard"; a Data Center row named "Jira Data Center" stays as it is)."""
    where = "Cloud" if deployment == "cloud" else "Data Center"
    name = book_name if where in book_name else f"{book_name} {where}"
    return f"{name} {edition.capitalize()}" if edition else name


class LinePricer:
    def __init__(self, ctx: PricingContext) -> None:
        self.ctx = ctx
        self.log = ctx.log
        self._resolved: dict[int, ResolvedLine | None] = {}
        self._periods: dict[int, Period | None] = {}
        self._in_progress: set[int] = set()
        self._entries: dict[tuple[object, ...], tuple[str, str, Schedule, str]] = {}

    # ---- resolution -------------------------------------------------------------------
    def resolve(self, index: int) -> ResolvedLine | None:
        if index not in self._resolved:
            self._resolved[index] = self._resolve(index)
        return self._resolved[index]

    def _resolve(self, i: int) -> ResolvedLine | None:
        ctx, log = self.ctx, self.log
        line = ctx.quote.lines[i]
        assert isinstance(line, ProductLine)
        if line.deployment == "server":
            log.error("R-DC-EOL", ctx.rules.server_message, i)
            return None
        if line.product in ctx.rules.not_sold:
            log.error("R-DC-EOL", ctx.rules.not_sold[line.product], i)
            return None
        if not ctx.book.options(line.product):
            log.error("R-INPUT", f"unknown product {line.product!r}: not in the price book", i)
            return None
        parent = self._parent_of(line, i) if line.is_app else None
        if line.is_app and parent is None:
            return None
        deployment = line.deployment
        if parent is not None and parent.deployment != deployment:
            log.error(
                "R-LIM-4",
                f"an app line must have the deployment of its parent line "
                f"{parent.index} ({parent.deployment})",
                i,
            )
            return None
        entry = self._catalog_entry(line, parent, i)
        if entry is None:
            return None
        billing, edition, schedule, name = entry
        p = parent
        inherited_users = line.users is None and p is not None
        users = p.users if inherited_users and p else line.users
        if users is None:
            log.error("R-INPUT", "the line needs a user count (users)", i)
            return None
        if users < 1:
            log.error("R-INPUT", "users must be at least 1", i)
            return None
        if p is None:
            return ResolvedLine(
                i, line, line.product, deployment, billing, edition, users, False,
                line.months, line.start_date or ctx.start_date, line.action or "new",
                line.from_users, line.current_end_date, line.mode, line.coterm_with,
                line.additions, line.product, None, schedule, name, False,
            )  # fmt: skip
        # R-LIM-4: an app takes its parent's term, and its count when it gives none.
        return ResolvedLine(
            i, line, line.product, deployment, billing, edition, users, inherited_users,
            _own_or(line.months, p.months), _own_or(line.start_date, p.start),
            _own_or(line.action, p.action), p.from_users if inherited_users else line.from_users,
            _own_or(line.current_end_date, p.current_end), _own_or(line.mode, p.mode),
            _own_or(line.coterm_with, p.coterm_with),
            p.additions if inherited_users else line.additions, p.product, p, schedule, name,
            True,
        )  # fmt: skip

    def _catalog_entry(
        self, line: ProductLine, parent: ResolvedLine | None, i: int
    ) -> tuple[str, str, Schedule, str] | None:
        """Billing, edition, price schedule and display name of a line. Successful look-ups
        are shared by every line asking the same question (a 200-line quote asks a few)."""
        question = (line.product, line.deployment, line.billing, line.edition,
                    parent.billing if parent else None)  # fmt: skip
        if question in self._entries:
            return self._entries[question]
        ctx = self.ctx
        if not ctx.book.options(line.product, line.deployment):
            ctx.log.error("R-INPUT", f"{line.product} has no {line.deployment} prices in the "
                          "price book", i)  # fmt: skip
            return None
        billing = self._billing_of(line, parent, i)
        edition = None if billing is None else self._edition_of(line, billing, i)
        if billing is None or edition is None:
            return None
        schedule = self._schedule_of(line.product, line.deployment, edition, billing, i)
        if schedule is None:
            return None
        name = display_name(schedule.rows[0].name, line.deployment, edition)
        self._entries[question] = (billing, edition, schedule, name)
        return self._entries[question]

    def _parent_of(self, line: ProductLine, i: int) -> ResolvedLine | None:
        lines = self.ctx.quote.lines
        if line.parent is None:
            self.log.error("R-LIM-4", "a Marketplace app line must name its parent line", i)
            return None
        target = lines[line.parent] if line.parent < len(lines) else None
        if not isinstance(target, ProductLine) or line.parent == i:
            self.log.error("R-INPUT", f"parent {line.parent} is not a product line", i)
            return None
        if target.is_app:
            self.log.error("R-LIM-4", f"parent {line.parent} is itself an app line", i)
            return None
        parent = self.resolve(line.parent)
        if parent is None:
            self.log.error("R-INPUT", f"parent line {line.parent} could not be priced", i)
        return parent

    def _billing_of(self, line: ProductLine, parent: ResolvedLine | None, i: int) -> str | None:
        if line.deployment == "datacenter":
            if line.billing == "monthly":
                self.log.error(
                    "R-INPUT", "Data Center is a term subscription: no monthly billing", i
                )
                return None
            return "annual"
        return line.billing or (parent.billing if parent else "annual")

    def _edition_of(self, line: ProductLine, billing: str, i: int) -> str | None:
        available = sorted(
            {k[2] for k in self.ctx.book.options(line.product, line.deployment, billing)}
        )
        if not available:
            self.log.error(
                "R-INPUT", f"{line.product} {line.deployment} has no {billing} prices", i
            )
            return None
        if line.deployment == "datacenter":
            return ""
        if line.edition in available:
            return line.edition
        if len(available) == 1 and (line.edition is None or available == [""]):
            return available[0]
        listed = ", ".join(e or "(none)" for e in available)
        if line.edition is None:
            self.log.error("R-INPUT", f"choose an edition: {listed}", i)
        else:
            self.log.error(
                "R-INPUT",
                f"{line.product} has no {line.edition} edition ({billing}); available: {listed}",
                i,
            )
        return None

    def _schedule_of(
        self, product: str, deployment: str, edition: str, billing: str, i: int
    ) -> Schedule | None:
        ctx = self.ctx
        key = (product, deployment, edition, billing, ctx.currency)
        if not ctx.book.has_key(key):
            others = sorted(
                {k[4] for k in ctx.book.options(product, deployment, billing) if k[2] == edition}
            )
            ctx.log.error(
                "R-CUR-5",
                f"no {ctx.currency} price for {product} {deployment}; "
                f"the price book has {', '.join(others)} (no silent conversion)",
                i,
            )
            return None
        schedule = ctx.book.schedule(key, ctx.quote_date)
        if schedule is None:
            ctx.log.error("R-INPUT", f"no {product} price is effective on {ctx.quote_date}", i)
        return schedule

    # ---- periods ----------------------------------------------------------------------
    def period(self, r: ResolvedLine) -> Period | None:
        if r.index in self._periods:
            return self._periods[r.index]
        if r.index in self._in_progress:
            self.log.error(
                "R-TERM-3", "co-termination lines refer to each other in a loop", r.index
            )
            return None
        self._in_progress.add(r.index)
        try:
            result = self._period(r)
        finally:
            self._in_progress.discard(r.index)
        self._periods[r.index] = result
        return result

    def _period(self, r: ResolvedLine) -> Period | None:
        log, i = self.log, r.index
        if r.action in ("renew", "downgrade", "upgrade") and r.current_end is None:
            log.error("R-INPUT", f"a {r.action} line needs current_end_date", i)
            return None
        if r.is_monthly:
            if r.months not in (None, 1):
                log.error(
                    "R-INPUT",
                    "a monthly line is priced one billing cycle at a time: "
                    "leave months out or set it to 1",
                    i,
                )
                return None
            cycle = r.current_end if r.action == "renew" and r.current_end else r.start
            return Period(cycle, add_months(cycle, 1), 1)
        if r.action == "upgrade":
            return self._upgrade_period(r)
        # R-TERM-2: a renewal (or a downgrade, which rides on one) starts at the old end.
        start = r.current_end if r.action in ("renew", "downgrade") else r.start
        assert start is not None
        if r.coterm_with is not None:
            if r.action == "new":
                log.error(
                    "R-TERM-3",
                    "a new purchase runs 12 to 24 months; only renewals co-term with another line",
                    i,
                )
                return None
            end = self.coterm_end(r, start)
            return None if end is None else Period(start, end, None)
        months = r.months or 12
        if months not in TERM_MONTHS:
            log.error("R-TERM-1", f"a term runs 12 to 24 months, not {months}", i)
            return None
        return Period(start, add_months(start, months), months)

    def _upgrade_period(self, r: ResolvedLine) -> Period | None:
        log, i = self.log, r.index
        assert r.current_end is not None
        if r.start >= r.current_end:
            log.error("R-UPG-1", f"the licence ended on {r.current_end}: renew it instead", i)
            return None
        mode = self.upgrade_mode(r)
        if mode == "prorate":
            if r.line.months is not None and not r.users_inherited:
                log.warn(
                    "R-UPG-1",
                    f"months ignored: a prorated upgrade keeps the current "
                    f"end date {r.current_end}",
                    i,
                )
            return Period(r.start, r.current_end, None)
        if mode == "coterm":
            if r.coterm_with is None:
                log.error("R-UPG-2", "an upgrade with mode coterm needs coterm_with", i)
                return None
            end = self.coterm_end(r, r.start)
            return None if end is None else Period(r.start, end, None)
        months = r.months or 12
        if months < 12:
            log.error(
                "R-UPG-2",
                f"an upgrade that extends the licence must run at least 12 "
                f"months from the upgrade date, not {months}",
                i,
            )
            return None
        if months not in TERM_MONTHS:
            log.error("R-TERM-1", f"a term runs 12 to 24 months, not {months}", i)
            return None
        return Period(r.start, add_months(r.start, months), months)

    def upgrade_mode(self, r: ResolvedLine) -> str:
        # R-UPG-1: cloud upgrades prorate by default, Data Center ones start a new term.
        return r.mode or ("prorate" if r.deployment == "cloud" else "new_term")

    def coterm_end(self, r: ResolvedLine, start: date) -> date | None:
        """R-TERM-3/4: the end date of the core line `r` co-terms with, if allowed."""
        log, i, t = self.log, r.index, r.coterm_with
        lines = self.ctx.quote.lines
        assert t is not None
        if t == i or t >= len(lines) or not isinstance(lines[t], ProductLine):
            log.error("R-INPUT", f"coterm_with {t} is not another product line", i)
            return None
        target = self.resolve(t)
        if target is None:
            log.error("R-INPUT", f"line {t} to co-term with could not be priced", i)
            return None
        if target.deployment != r.deployment:
            log.error("R-TERM-4", "cloud and Data Center periods cannot be co-termed", i)
            return None
        if target.product not in self.ctx.rules.core_products or target.is_app:
            log.error("R-TERM-3", f"line {t} ({target.name}) is not a core product", i)
            return None
        if (
            target.action not in ("new", "renew")
            or target.coterm_with is not None
            or target.is_monthly
            or (target.months or 12) < 12
        ):
            log.error("R-TERM-3", f"line {t} is not bought or renewed for 12 months or more", i)
            return None
        period = self.period(target)
        if period is None:
            return None
        if period.end <= start:
            log.error("R-TERM-3", f"line {t} ends on {period.end}, before this line starts", i)
            return None
        if period.end > add_months(start, 24):
            log.error("R-TERM-3", f"line {t} ends on {period.end}, more than 24 months ahead", i)
            return None
        return period.end

    # ---- prices -----------------------------------------------------------------------
    def tier(self, r: ResolvedLine, count: int) -> PriceRow | None:
        row = r.schedule.tier_for(count)
        if row is None:
            self.log.error(
                "R-TIER-1",
                f"{count} is above the largest tier ({r.schedule.max_count}) in the price book",
                r.index,
            )
        return row

    def charges(self, r: ResolvedLine) -> list[Charge]:
        """The rows of one resolved line, before discounts (empty on an error)."""
        period = self.period(r)
        if period is None:
            return []
        if r.is_monthly:
            return self._monthly_charges(r, period)
        row = self.tier(r, r.users)
        if row is None:
            return []
        if r.line.additions:
            self._refuse_additions(r, row)
        if r.action == "upgrade":
            return self._upgrade_charges(r, row, period)
        if r.action == "downgrade":
            self._check_downgrade(r)
        return [self._term_charge(r, row, period)]

    def _refuse_additions(self, r: ResolvedLine, row: PriceRow) -> None:
        """R-TIER-1: an annual or Data Center tier is bought whole; licences cannot be
        combined into a higher tier, so users added later need an upgrade line. Additions
        are for monthly lines (R-PEAK-2); the line is priced without them."""
        peak = peak_count(r.users, r.line.additions)
        if row.tier_max is not None and peak > row.tier_max:
            message = (
                f"{r.name}: additions apply to monthly lines only; {peak} users are above "
                f"the {row.tier_max} tier and licences cannot be combined into a higher "
                "tier: quote an upgrade"
            )
        else:
            message = (
                f"{r.name}: additions apply to monthly lines only; the "
                f"{tier_label(row)} tier already covers {peak} users: remove them"
            )
        self.log.error("R-TIER-1", message, r.index)

    def _term_charge(self, r: ResolvedLine, row: PriceRow, period: Period) -> Charge:
        annual = row.price
        if period.months is not None:
            amount = annual * period.months / 12
            basis = f"12-month price {format_amount(annual)} × {period.months}/12"
        else:
            days = days_between(period.start, period.end)
            amount = annual * days / DAYS_PER_YEAR
            basis = f"12-month price {format_amount(annual)} × {days}/365 days (co-term)"
        return self._tier_charge(r, row, period, amount, basis)

    def _tier_charge(
        self, r: ResolvedLine, row: PriceRow, period: Period, amount: Decimal, basis: str
    ) -> Charge:
        return Charge(
            "product",
            r.name,
            tier_label(row),
            r.users,
            period.start,
            period.end,
            self.ctx.round(amount),
            row.price,
            basis,
        )

    def _monthly_charges(self, r: ResolvedLine, period: Period) -> list[Charge]:
        ctx = self.ctx
        monthly = r.schedule.monthly_amount
        if r.action in ("upgrade", "downgrade"):
            rule = "R-UPG-1" if r.action == "upgrade" else "R-UPG-4"
            self.log.error(
                rule,
                "a monthly subscription is billed per user: change the count "
                "with additions (R-PEAK-2), not an upgrade or downgrade",
                r.index,
            )
            return []
        amount = monthly(r.users)
        out = [
            Charge(
                "product",
                r.name,
                r.users,
                r.users,
                period.start,
                period.end,
                ctx.round(amount),
                amount,
                f"monthly price for {r.users}",
            )
        ]
        if r.additions:
            out += self._peak_charges(r, period)
        return out

    def _peak_charges(self, r: ResolvedLine, period: Period) -> list[Charge]:
        """R-PEAK-2: increases above the cycle's peak, pro rata for the days left."""
        log, i, monthly = self.log, r.index, r.schedule.monthly_amount
        family = "app" if r.is_app else r.product
        if family not in self.ctx.rules.peak_billing_products:
            log.error("R-PEAK-1", f"peak-user billing does not apply to {r.name}", i)
            return []
        cycle_days = days_between(period.start, period.end)
        running = peak = r.users
        out: list[Charge] = []
        for change in r.additions:
            if not period.start <= change.date < period.end:
                log.error(
                    "R-PEAK-2",
                    f"the change on {change.date} is outside the first cycle "
                    f"({period.start} to {period.end})",
                    i,
                )
                continue
            running += change.users
            if running < 0:
                log.error("R-PEAK-2", f"on {change.date} the count would fall below 0", i)
                running = 0
            if running <= peak:
                continue  # removals free seats until the cycle ends; re-adding is free
            remaining = days_between(change.date, period.end)
            amount = (monthly(running) - monthly(peak)) * remaining / cycle_days
            out.append(
                Charge(
                    "peak_addition",
                    f"{r.name}: {peak} → {running} from {change.date}",
                    running,
                    running - peak,
                    change.date,
                    period.end,
                    self.ctx.round(amount),
                    None,
                    f"(monthly price at {running} − at {peak}) × {remaining}/{cycle_days} days",
                )
            )
            peak = running
        return out

    def _upgrade_charges(self, r: ResolvedLine, row: PriceRow, period: Period) -> list[Charge]:
        log, i = self.log, r.index
        if r.from_users is None:
            log.error("R-INPUT", "an upgrade line needs from_users", i)
            return []
        if r.from_users >= r.users:
            log.error("R-UPG-1", f"{r.from_users} → {r.users} users is not an upgrade", i)
            return []
        old = self.tier(r, r.from_users)
        if old is None:
            return []
        if old == row:
            log.warn(
                "R-UPG-1", f"{r.from_users} and {r.users} users are in the same tier: no charge", i
            )
        assert r.current_end is not None
        remaining = days_between(r.start, r.current_end)
        if self.upgrade_mode(r) == "prorate":
            amount = (row.price - old.price) * remaining / DAYS_PER_YEAR
            basis = (
                f"(12-month {tier_label(row)} {format_amount(row.price)} − "
                f"{tier_label(old)} {format_amount(old.price)}) × {remaining}/365 days"
            )
            return [self._tier_charge(r, row, period, amount, basis)]
        return [self._term_charge(r, row, period), *self._upgrade_credit(r, old, remaining)]

    def _upgrade_credit(self, r: ResolvedLine, old: PriceRow, remaining: int) -> list[Charge]:
        """Credit for the unused part of the licence being upgraded (R-UPG-3)."""
        line, ctx = r.line, self.ctx
        assert r.current_end is not None
        paid_months = line.paid_months or 12
        paid = line.paid_amount
        if r.deployment == "datacenter":
            months = full_months_between(r.start, r.current_end)
            if paid is not None:
                amount = paid * months / paid_months
                basis = f"{format_amount(paid)} × {months} remaining full months / {paid_months}"
            else:
                # The list price of the period paid (annual × paid_months / 12) stands in
                # for paid_amount: annual × paid_months / 12 × months / paid_months.
                amount = old.price * months / 12
                basis = f"12-month {format_amount(old.price)} × {months} remaining full months / 12"
        else:
            base = paid * 12 / paid_months if paid is not None else old.price
            amount = base * remaining / DAYS_PER_YEAR
            basis = f"12-month {format_amount(base)} × {remaining}/365 remaining days"
        if paid is None:
            self.log.warn(
                "R-UPG-3",
                f"credit valued at the {tier_label(old)} tier's list price "
                f"on {ctx.quote_date}: check it against what was paid (paid_amount)",
                r.index,
            )
        credit = ctx.round(amount)
        if credit == 0:
            return []
        return [
            Charge(
                "upgrade_credit",
                f"Credit: unused {r.name} {tier_label(old)}",
                tier_label(old),
                r.from_users,
                r.start,
                r.current_end,
                -credit,
                None,
                basis,
                discountable=paid is None,
                manual_discount=False,
            )
        ]

    def _check_downgrade(self, r: ResolvedLine) -> None:
        """R-UPG-4: only with a renewal, within 90 days before the licence expires."""
        log, i = self.log, r.index
        assert r.current_end is not None
        if r.from_users is None or r.from_users <= r.users:
            log.error("R-UPG-4", "a downgrade goes from from_users down to users", i)
            return
        days_left = days_between(self.ctx.quote_date, r.current_end)
        if not 0 <= days_left <= 90:
            log.error(
                "R-UPG-4",
                f"a downgrade is only possible with the renewal, within 90 days "
                f"before {r.current_end} ({days_left} days left); no mid-term credit",
                i,
            )

    def migration_credit(self, r: ResolvedLine, period: Period) -> Charge | None:
        """R-MIG-1: the unused part of the Data Center subscription being left."""
        source = r.line.migrating_from
        if source is None:
            return None
        if r.deployment != "cloud":
            self.log.error("R-MIG-1", "an acceleration credit applies to cloud lines only", r.index)
            return None
        self.log.warn(
            "R-MIG-1",
            "cloud migration trials are free for up to 12 months and a 10,000-user tier",
            r.index,
        )
        total_days = days_between(source.period_start, source.period_end)
        unused = days_between(max(period.start, source.period_start), source.period_end)
        if unused <= 0:
            return None
        credit = self.ctx.round(source.paid_amount * unused / total_days)
        return Charge(
            "migration_credit",
            f"Credit: unused Data Center to {source.period_end}",
            None,
            None,
            period.start,
            source.period_end,
            -credit,
            None,
            f"{format_amount(source.paid_amount)} × {unused}/{total_days} days",
            discountable=False,
            manual_discount=False,
        )
