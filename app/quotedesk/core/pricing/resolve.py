"""Resolution: which price-book schedule a quote line is priced from (product, deployment,
billing, edition, currency, effective date), and the term an app takes from its parent
line (R-LIM-4). Defaults are filled in here, so later rules see one complete line."""

from typing import Any

from quotedesk.core.deployment import DATACENTER_BILLING, DATACENTER_EDITION, fixed_terms
from quotedesk.core.price_book import Schedule
from quotedesk.core.pricing.context import PricingContext
from quotedesk.core.pricing.lines import ResolvedLine, display_name
from quotedesk.core.quotes.model import ProductLine

Entry = tuple[str, str, Schedule, str]  # billing, edition, schedule, display name


def _own_or(own: Any, inherited: Any) -> Any:
    return inherited if own is None else own


class Resolver:
    """Resolves each line once; a line's parent is resolved first, whatever its order."""

    def __init__(self, ctx: PricingContext) -> None:
        self.ctx = ctx
        self.log = ctx.log
        self._resolved: dict[int, ResolvedLine | None] = {}
        self._entries: dict[tuple[object, ...], Entry] = {}

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
            log.error("R-INPUT", "R-INPUT.unknown_product", i, product=line.product)
            return None
        parent = self._parent_of(line, i) if line.is_app else None
        if line.is_app and parent is None:
            return None
        if parent is not None and parent.deployment != line.deployment:
            log.error(
                "R-LIM-4",
                "R-LIM-4.app_deployment",
                i,
                parent_line=parent.index,
                deployment=parent.deployment,
            )
            return None
        entry = self._price_book_entry(line, parent, i)
        if entry is None:
            return None
        billing, edition, schedule, name = entry
        p = parent
        inherited = line.users is None and p is not None
        users = p.users if inherited and p else line.users
        if users is None:
            log.error("R-INPUT", "R-INPUT.users_missing", i, field="users")
            return None
        if users < 1:
            log.error("R-INPUT", "R-INPUT.users_min", i, field="users")
            return None
        own = ResolvedLine(
            index=i,
            line=line,
            product=line.product,
            deployment=line.deployment,
            billing=billing,
            edition=edition,
            users=users,
            users_inherited=False,
            months=line.months,
            start=line.start_date or ctx.start_date,
            action=line.action or "new",
            from_users=line.from_users,
            current_end=line.current_end_date,
            mode=line.mode,
            coterm_with=line.coterm_with,
            additions=line.additions,
            family=line.product,
            parent=None,
            schedule=schedule,
            name=name,
            is_app=False,
        )
        if p is None:
            return own
        # R-LIM-4: an app takes its parent's term, and its count when it gives none.
        return own._replace(
            users_inherited=inherited,
            months=_own_or(line.months, p.months),
            start=_own_or(line.start_date, p.start),
            action=_own_or(line.action, p.action),
            from_users=p.from_users if inherited else line.from_users,
            current_end=_own_or(line.current_end_date, p.current_end),
            mode=_own_or(line.mode, p.mode),
            coterm_with=_own_or(line.coterm_with, p.coterm_with),
            additions=p.additions if inherited else line.additions,
            family=p.product,
            parent=p,
            is_app=True,
        )

    def _price_book_entry(
        self, line: ProductLine, parent: ResolvedLine | None, i: int
    ) -> Entry | None:
        """Billing, edition, price schedule and display name of a line. Successful look-ups
        are shared by every line asking the same question (a 200-line quote asks a few)."""
        question = (line.product, line.deployment, line.billing, line.edition,
                    parent.billing if parent else None)  # fmt: skip
        if question in self._entries:
            return self._entries[question]
        ctx = self.ctx
        if not ctx.book.options(line.product, line.deployment):
            ctx.log.error("R-INPUT", "R-INPUT.no_deployment_prices", i,
                          product=line.product, deployment=line.deployment)  # fmt: skip
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
            self.log.error("R-LIM-4", "R-LIM-4.no_parent", i)
            return None
        target = lines[line.parent] if line.parent < len(lines) else None
        if not isinstance(target, ProductLine) or line.parent == i:
            self.log.error("R-INPUT", "R-INPUT.parent_not_product", i, parent_line=line.parent)
            return None
        if target.is_app:
            self.log.error("R-LIM-4", "R-LIM-4.parent_is_app", i, parent_line=line.parent)
            return None
        parent = self.resolve(line.parent)
        if parent is None:
            self.log.error("R-INPUT", "R-INPUT.parent_unpriced", i, parent_line=line.parent)
        return parent

    def _billing_of(self, line: ProductLine, parent: ResolvedLine | None, i: int) -> str | None:
        if fixed_terms(line.deployment):
            if line.billing not in (None, DATACENTER_BILLING):
                self.log.error("R-INPUT", "R-INPUT.dc_monthly", i)
                return None
            return DATACENTER_BILLING
        return line.billing or (parent.billing if parent else "annual")

    def _edition_of(self, line: ProductLine, billing: str, i: int) -> str | None:
        available = sorted(
            {k[2] for k in self.ctx.book.options(line.product, line.deployment, billing)}
        )
        if not available:
            self.log.error(
                "R-INPUT", "R-INPUT.no_billing_prices", i,
                product=line.product, deployment=line.deployment, billing=billing,
            )  # fmt: skip
            return None
        if fixed_terms(line.deployment):
            return DATACENTER_EDITION
        if line.edition in available:
            return line.edition
        if len(available) == 1 and (line.edition is None or available == [""]):
            return available[0]
        listed = ", ".join(e or "(none)" for e in available)
        if line.edition is None:
            self.log.error("R-INPUT", "R-INPUT.choose_edition", i, editions=listed)
        else:
            self.log.error(
                "R-INPUT", "R-INPUT.no_edition", i,
                product=line.product, edition=line.edition, billing=billing, editions=listed,
            )  # fmt: skip
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
                "R-CUR-5", "R-CUR-5.no_price", i,
                currency=ctx.currency, product=product, deployment=deployment,
                others=", ".join(others),
            )  # fmt: skip
            return None
        schedule = ctx.book.schedule(key, ctx.quote_date)
        if schedule is None:
            ctx.log.error(
                "R-INPUT", "R-INPUT.not_effective", i, product=product, date=ctx.quote_date
            )
        return schedule
