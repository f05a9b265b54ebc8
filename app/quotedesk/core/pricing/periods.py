"""Periods: a line's term (R-TERM-1), renewals from the old end (R-TERM-2), co-termination
with a core line (R-TERM-3/4), an upgrade's period (R-UPG-1/2) and one monthly cycle."""

from datetime import date

from quotedesk.core.dates import add_months
from quotedesk.core.policies import Policies
from quotedesk.core.pricing.lines import Period, ResolvedLine
from quotedesk.core.pricing.resolve import Resolver
from quotedesk.core.pricing.upgrades import upgrade_mode
from quotedesk.core.quotes.model import ProductLine


def term_months(policies: Policies) -> range:
    """R-TERM-1: the whole numbers of months a term may run."""
    return range(policies.term_min_months, policies.term_max_months + 1)


class Periods:
    """Finds each line's period once; a co-term target's period is found first."""

    def __init__(self, resolver: Resolver) -> None:
        self.resolver = resolver
        self.ctx = resolver.ctx
        self.log = resolver.log
        self._periods: dict[int, Period | None] = {}
        self._in_progress: set[int] = set()
        self.policies = resolver.ctx.rules.policies

    def period(self, r: ResolvedLine) -> Period | None:
        if r.index in self._periods:
            return self._periods[r.index]
        if r.index in self._in_progress:
            self.log.error("R-TERM-3", "R-TERM-3.loop", r.index)
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
            if not self._end_date_unreadable(r):  # said once, as not a date
                log.error(
                    "R-INPUT",
                    "R-INPUT.needs_end_date",
                    i,
                    action=r.action,
                    field="current_end_date",
                )
            return None
        if r.is_monthly:
            if r.months not in (None, 1):
                log.error("R-INPUT", "R-INPUT.monthly_months", i, field="months")
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
                    "R-TERM-3.new_purchase",
                    i,
                    min=self.policies.term_min_months,
                    max=self.policies.term_max_months,
                )
                return None
            end = self.coterm_end(r, start)
            return None if end is None else Period(start, end, None)
        return self._term(r, start)

    def _end_date_unreadable(self, r: ResolvedLine) -> bool:
        """The line (or the parent line it takes its term from) gave a current_end_date
        that is not a date: reading the quote already said so (R-INPUT.line_field)."""
        lines = {r.index} if r.parent is None else {r.index, r.parent.index}
        return any(
            p.line in lines and p.params.get("field") == "current_end_date"
            for p in self.ctx.quote.problems
        )

    def _term(self, r: ResolvedLine, start: date) -> Period | None:
        months = r.months or 12
        policies = self.policies
        if months not in term_months(policies):
            self.log.error(
                "R-TERM-1",
                "R-TERM-1.months",
                r.index,
                min=policies.term_min_months,
                max=policies.term_max_months,
                months=months,
            )
            return None
        return Period(start, add_months(start, months), months)

    def _upgrade_period(self, r: ResolvedLine) -> Period | None:
        log, i = self.log, r.index
        assert r.current_end is not None
        if r.start >= r.current_end:
            log.error("R-UPG-1", "R-UPG-1.ended", i, date=r.current_end)
            return None
        mode = upgrade_mode(r)
        if mode == "prorate":
            if r.line.months is not None and not r.users_inherited:
                log.warn("R-UPG-1", "R-UPG-1.months_ignored", i, date=r.current_end)
            return Period(r.start, r.current_end, None)
        if mode == "coterm":
            if r.coterm_with is None:
                log.error("R-UPG-2", "R-UPG-2.coterm_needs_target", i)
                return None
            end = self.coterm_end(r, r.start)
            return None if end is None else Period(r.start, end, None)
        months = r.months or 12
        if months < self.policies.term_min_months:
            log.error(
                "R-UPG-2", "R-UPG-2.too_short", i, min=self.policies.term_min_months, months=months
            )
            return None
        return self._term(r, r.start)

    def coterm_end(self, r: ResolvedLine, start: date) -> date | None:
        """R-TERM-3/4: the end date of the core line `r` co-terms with, if allowed."""
        log, i, t = self.log, r.index, r.coterm_with
        lines = self.ctx.quote.lines
        assert t is not None
        if t == i or t >= len(lines) or not isinstance(lines[t], ProductLine):
            log.error("R-INPUT", "R-INPUT.coterm_not_product", i, target_line=t)
            return None
        target = self.resolver.resolve(t)
        if target is None:
            log.error("R-INPUT", "R-INPUT.coterm_unpriced", i, target_line=t)
            return None
        if target.deployment != r.deployment:
            log.error("R-TERM-4", "R-TERM-4.mixed", i)
            return None
        if target.product not in self.ctx.rules.core_products or target.is_app:
            log.error("R-TERM-3", "R-TERM-3.not_core", i, target_line=t, name=target.name)
            return None
        if (
            target.action not in ("new", "renew")
            or target.coterm_with is not None
            or target.is_monthly
            or (target.months or 12) < self.policies.term_min_months
        ):
            log.error(
                "R-TERM-3", "R-TERM-3.not_term", i, target_line=t, min=self.policies.term_min_months
            )
            return None
        period = self.period(target)
        if period is None:
            return None
        if period.end <= start:
            log.error("R-TERM-3", "R-TERM-3.ends_before", i, target_line=t, end=period.end)
            return None
        if period.end > add_months(start, self.policies.coterm_max_months):
            log.error(
                "R-TERM-3", "R-TERM-3.too_far", i, target_line=t, end=period.end,
                max=self.policies.coterm_max_months,
            )  # fmt: skip
            return None
        return period.end
