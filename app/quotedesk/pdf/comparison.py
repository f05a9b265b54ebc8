"""A comparison page after the quote (optional): the alternatives that
`core.scenarios.compare` priced, each with its total, total per user per month, the rules
it warns about, and tier headroom. For the customer's information only: the quote, its
attachments and its fingerprint stay the quote as given."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Spacer, Table, TableStyle

from quotedesk.core.messages import text
from quotedesk.pdf.document import QuoteDocument

if TYPE_CHECKING:
    from reportlab.platypus import Flowable

    from quotedesk.pdf.styles import Styles
    from quotedesk.pdf.texts import Texts

UNITS = ("users", "agents", "creators", "remote_agents")
# Said once on the quote's first page (the illustrative-prices banner), not on every row.
SAID_ON_THE_QUOTE = frozenset({"R-SAMPLE"})


def comparison_page(doc: QuoteDocument, t: Texts, styles: Styles, width: float) -> list[Flowable]:
    """The page, or nothing when the document carries no scenarios."""
    if not doc.scenarios:
        return []
    lang = t.lang
    widths = [w * width for w in (0.22, 0.17, 0.15, 0.46)]
    header = [text(f"compare.{key}", lang) for key in ("scenario", "total", "per_user_month")]
    rows: list[list[Any]] = [[*header, text("compare.notes", lang)]]
    for scenario in doc.scenarios:
        currency = scenario["currency"]
        per_user = scenario.get("per_user_month")
        rows.append(
            [
                styles.para(_label(scenario, lang), styles.cell, widths[0] - 6),
                t.money(scenario["total"], currency),
                "—" if per_user is None else t.money(per_user, currency),
                styles.para(_notes(scenario, t), styles.cell, widths[3] - 6),
            ]
        )
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), styles.regular),
                ("FONTNAME", (0, 0), (-1, 0), styles.bold),
                ("FONTSIZE", (0, 0), (-1, -1), 7.5),
                ("LEADING", (0, 0), (-1, -1), 9.5),
                ("BACKGROUND", (0, 0), (-1, 0), "#eef2f7"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, "#c9d1db"),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ALIGN", (1, 0), (2, -1), "RIGHT"),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return [
        PageBreak(),
        styles.para(text("compare.heading", lang), styles.title, width),
        styles.para(text("compare.for_information", lang), styles.body, width),
        Spacer(1, 3 * mm),
        table,
    ]


def _label(scenario: Mapping[str, Any], lang: str) -> str:
    return text(f"compare.{scenario['key']}", lang)


def _notes(scenario: Mapping[str, Any], t: Texts) -> str:
    """The rules an alternative warns or errs about, then its tier headroom per line."""
    problems = (*scenario.get("errors", ()), *scenario.get("warnings", ()))
    codes = [p["code"] for p in problems if p["code"] not in SAID_ON_THE_QUOTE]
    notes = [", ".join(dict.fromkeys(codes))] if codes else []
    for room in scenario.get("headroom", ()):
        unit = room["unit"] if room["unit"] in UNITS else "users"
        more = room["tier"] - room["units"]
        notes.append(
            text(
                "compare.headroom",
                t.lang,
                line=room["line"] + 1,
                tier=t.number(room["tier"]),
                more=t.number(more),
                unit=t.plural(f"compare.unit.{unit}", more),
            )
        )
    return "\n".join(notes) or "—"
