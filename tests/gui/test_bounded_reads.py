"""The window reads a file a person chooses up to its kind's limit: /dev/zero (which
stat() calls empty) is refused after limit + 1 bytes, with a message naming the limit."""

from __future__ import annotations

from pathlib import Path

from quotedesk.gui.price_book_import import price_book_check
from quotedesk.gui.recovery import RecoveryFile
from quotedesk.gui.renewals_view import licence_import

ZERO = Path("/dev/zero")


def test_a_price_book_over_its_limit_is_refused_by_name(qapp):
    result = price_book_check(ZERO, lambda percent: None, lambda: False)
    assert result.fatal == "zero: too large for a price book (limit 20 MB)"


def test_a_licence_file_over_its_limit_is_refused_by_name(qapp, tmp_path, test_book):
    work = licence_import(tmp_path / "q.db", ZERO, test_book)
    result = work(lambda percent: None, lambda: False)
    assert str(result.error) == "zero: too large for a licence file (limit 50 MB)"
    assert not (tmp_path / "q.db").exists()


def test_a_recovery_file_over_the_quote_file_limit_counts_as_none():
    assert RecoveryFile(ZERO).read() is None
