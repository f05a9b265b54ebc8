"""Periods: a line's term (R-TERM-1), renewals from the old end (R-TERM-2), co-termination
with a core line (R-TERM-3/4), an upgrade's period (R-UPG-1/2) and one monthly cycle."""

from datetime import date

from quotedesk.core.dates import add_months
from quotedesk.core.lines import Period, ResolvedLine
from quotedesk.core.pricing.resolve import Resolver
from quotedesk.core.pricing.upgrades import upgrade_mode
from quotedesk.core.quote import ProductLine

TERM_MONTHS = range(12, 25)  # R-TERM-1: any whole number of months from 12 to 24
COTERM_MAX_MONTHS = 24  # R-TERM-3: a co-termed period ends at most this far ahead


class Periods:
    """Finds each line's period once; a co-term target's period is found first."""

    def __init__(self, resolver: Resolver) -> None:
        self.resolver = resolver
        self.ctx = resolver.ctx
        self.log = resolver.log
        self._periods: dict[int, Period | None] = {}
        self._in_progress: set[int] = set()

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
        return self._term(r, start)

    def _term(self, r: ResolvedLine, start: date) -> Period | None:
        months = r.months or 12
        if months not in TERM_MONTHS:
            self.log.error("R-TERM-1", f"a term runs 12 to 24 months, not {months}", r.index)
            return None
        return Period(start, add_months(start, months), months)

    def _upgrade_period(self, r: ResolvedLine) -> Period | None:
        log, i = self.log, r.index
        assert r.current_end is not None
        if r.start >= r.current_end:
            log.error("R-UPG-1", f"the licence ended on {r.current_end}: renew it instead", i)
            return None
        mode = upgrade_mode(r)
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
        if months < TERM_MONTHS[0]:
            log.error(
                "R-UPG-2",
                f"an upgrade that extends the licence must run at least 12 "
                f"months from the upgrade date, not {months}",
                i,
            )
            return None
        return self._term(r, r.start)

    def coterm_end(self, r: ResolvedLine, start: date) -> date | None:
        """R-TERM-3/4: the end date of the core line `r` co-terms with, if allowed."""
        log, i, t = self.log, r.index, r.coterm_with
        lines = self.ctx.quote.lines
        assert t is not None
        if t == i or t >= len(lines) or not isinstance(lines[t], ProductLine):
            log.error("R-INPUT", f"coterm_with {t} is not another product line", i)
            return None
        target = self.resolver.resolve(t)
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
        if period.end > add_months(start, COTERM_MAX_MONTHS):
            log.error("R-TERM-3", f"line {t} ends on {period.end}, more than 24 months ahead", i)
            return None
        return period.end
