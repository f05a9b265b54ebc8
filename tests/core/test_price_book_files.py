"""Price-book CSVs as Excel writes them: semicolon-separated with
decimal commas (pt-BR, de) is read as the comma-separated book; Latin-1 and UTF-16 are
refused with what to do; a duplicate row names the row it repeats."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from quotedesk.core import PriceBookError, load_price_book
from quotedesk.core.price_book import COLUMNS

COMMA = (
    ",".join(COLUMNS) + "\n"
    "jira,Jira Serviço,cloud,standard,annual,users,10,flat,USD,1000.00,2025-01-01\n"
    "jira,Jira Serviço,cloud,standard,annual,users,100,flat,USD,8000.50,2025-01-01\n"
    "jira,Jira Serviço,cloud,standard,monthly,users,,per_unit,USD,7.75,2025-01-01\n"
)


def write(tmp_path, text: str, encoding: str = "utf-8", name: str = "book.csv"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def prices(book):
    return [(row.name, row.tier_max, row.price) for row in book.rows]


def test_a_semicolon_book_with_decimal_commas_reads_as_the_comma_book(tmp_path):
    """Excel in pt-BR saves "CSV UTF-8" with a BOM, semicolons and decimal commas."""
    semicolon = (
        "\ufeff" + ";".join(COLUMNS) + "\r\n"
        "jira;Jira Serviço;cloud;standard;annual;users;10;flat;USD;1.000,00;2025-01-01\r\n"
        "jira;Jira Serviço;cloud;standard;annual;users;100;flat;USD;8000,50;2025-01-01\r\n"
        "jira;Jira Serviço;cloud;standard;monthly;users;;per_unit;USD;7.75;2025-01-01\r\n"
    )
    book = load_price_book(write(tmp_path, semicolon))
    assert prices(book) == prices(load_price_book(write(tmp_path, COMMA, name="comma.csv")))
    assert prices(book) == [
        ("Jira Serviço", 10, D("1000.00")),
        ("Jira Serviço", 100, D("8000.50")),
        ("Jira Serviço", None, D("7.75")),
    ]


def test_a_semicolon_price_that_may_be_thousands_or_decimals_is_refused(tmp_path):
    text = (
        ";".join(COLUMNS) + "\njira;Jira;cloud;standard;annual;users;10;flat;USD;8.000;2025-01-01\n"
    )
    with pytest.raises(PriceBookError) as caught:
        load_price_book(write(tmp_path, text))
    assert str(caught.value).endswith(
        "book.csv: line 2: price '8.000' could be thousands or decimals: write 8000 or 8,000"
    )


def test_a_latin_1_book_says_to_save_it_as_csv_utf_8(tmp_path):
    path = write(tmp_path, COMMA, encoding="latin-1")
    with pytest.raises(PriceBookError) as caught:
        load_price_book(path)
    assert str(caught.value) == (
        "book.csv: line 2: not UTF-8 text, probably Latin-1 / Windows-1252 (Excel's plain "
        "“CSV” in Portuguese, German and other languages): in Excel, use File → Save As → "
        "“CSV UTF-8 (Comma delimited)” and import that file"
    ).replace("book.csv", str(path))


def test_a_duplicate_row_names_the_row_it_repeats(tmp_path):
    text = COMMA + "jira,Jira,cloud,standard,annual,users,100,flat,USD,9000.00,2025-01-01\n"
    with pytest.raises(PriceBookError) as caught:
        load_price_book(write(tmp_path, text))
    assert str(caught.value).endswith(
        "line 5: duplicate of line 3 (same product, deployment, edition, billing, currency, "
        "tier_max and effective_from)"
    )
