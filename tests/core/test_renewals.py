"""Building renewal quotes from register licences (core/renewals.py, no store): one quote
per customer, R-TERM-2/3/4 co-termination, R-LIM-4 app parents, R-RESELL-2 references."""

from __future__ import annotations

from datetime import date

from quotedesk.core.renewals import Licence, build_renewals

CORE = frozenset({"jira", "confluence"})
TODAY = date(2026, 12, 1)


def licence(ref: str, product: str, deployment: str, end: date, customer: str = "ACME") -> Licence:
    cloud = deployment == "cloud"
    return Licence(ref, product, deployment, "standard" if cloud else "", "annual", 100, end,
                   customer, "BR")  # fmt: skip


def test_R_TERM_3_a_licence_the_anchor_ends_over_24_months_after_renews_on_its_own():
    near = licence("SEN-100001", "jira", "datacenter", date(2026, 12, 10))
    far = licence("SEN-100002", "confluence", "datacenter", date(2028, 12, 20))
    (renewal,) = build_renewals([near, far], TODAY, CORE)
    # Confluence renews to 2029-12-20, 36 months after Jira's 2026-12-10 start.
    assert renewal.separate == (near,)
    assert renewal.coterm == {}
    assert [line.get("coterm_with") for line in renewal.quote["lines"]] == [None, None]


def test_R_TERM_4_cloud_and_data_center_co_term_separately_and_apps_get_a_parent():
    lines = [
        licence("https://a.atlassian.net", "jira", "cloud", date(2027, 1, 10)),
        licence("SEN-100003", "jira", "datacenter", date(2027, 3, 1)),
        licence("SEN-100004", "app:com.example.timesheets", "datacenter", date(2027, 2, 1)),
        licence("https://a.atlassian.net", "confluence", "cloud", date(2027, 2, 10)),
        licence("https://b.atlassian.net", "jira", "cloud", date(2027, 2, 10), customer="Beta"),
    ]
    acme, beta = build_renewals(lines, TODAY, CORE)
    assert (acme.customer, beta.customer) == ("ACME", "Beta")
    got = [
        (x["product"], x.get("months"), x.get("coterm_with"), x.get("parent"),
         x.get("sen") or x.get("site_url"))
        for x in acme.quote["lines"]
    ]  # fmt: skip
    assert got == [
        ("jira", None, 1, None, "https://a.atlassian.net"),
        ("confluence", 12, None, None, "https://a.atlassian.net"),
        ("app:com.example.timesheets", None, 3, 3, "SEN-100004"),
        ("jira", 12, None, None, "SEN-100003"),
    ]
    assert acme.coterm == {"cloud": date(2028, 2, 10), "datacenter": date(2028, 3, 1)}
    assert all(x["action"] == "renew" for x in acme.quote["lines"])
    assert acme.quote["lines"][0]["current_end_date"] == "2027-01-10"  # R-TERM-2
