"""Export and import of every quote as JSON."""

from __future__ import annotations

import json

import pytest

from quotedesk.store import StoreError, open_store


def test_export_then_import_into_a_new_store_gives_the_same_quotes(store, make_quote, tmp_path):
    number = store.add_quote(*make_quote("ACME Ltda")).number
    store.sign_off(number, by="Ana")
    store.revise(number)
    store.add_quote(*make_quote("Globex"))
    store.import_price_book(_book(), "b.csv")
    exported = json.loads(json.dumps(store.export_json()))  # survives a trip through a file

    with open_store(tmp_path / "other.db") as other:
        assert other.import_json(exported) == 2
        assert other.revisions(number) == store.revisions(number)
        assert [q.number for q in other.list_quotes(search="globex")] == [
            q.number for q in store.list_quotes(search="globex")
        ]
        assert [v.sha256 for v in other.price_books()] == [v.sha256 for v in store.price_books()]
        assert other.import_json(exported) == 0  # already there: nothing new


def test_import_refuses_a_number_that_exists_with_other_content_and_imports_nothing(
    store, make_quote, tmp_path
):
    store.add_quote(*make_quote("ACME Ltda"))
    store.add_quote(*make_quote("Globex"))
    exported = store.export_json()
    with open_store(tmp_path / "other.db") as other:
        other.add_quote(*make_quote("Initech"))  # takes QD-...-00001 there
        with pytest.raises(StoreError, match="already exists here with other content"):
            other.import_json(exported)
        assert [q.customer for q in other.list_quotes()] == ["Initech"]


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ([], "not a Quote Desk export"),
        ({"format": "quotedesk-quotes", "version": 9}, "version 9 is not supported"),
        ({"format": "quotedesk-quotes", "version": 1, "quotes": [{"number": "x"}]}, "invalid"),
        (
            {
                "format": "quotedesk-quotes",
                "version": 1,
                "quotes": [{"number": "QD-2026-00001", "created_at": "x", "revisions": []}],
            },
            "invalid",
        ),
    ],
)
def test_import_of_a_broken_document_is_refused(store, document, message):
    with pytest.raises(StoreError, match=message):
        store.import_json(document)
    assert store.count_quotes() == 0


def _book() -> bytes:
    return (
        b"product,name,deployment,edition,billing,unit,tier_max,price_kind,currency,price,"
        b"effective_from\njira,Jira,datacenter,,annual,users,500,flat,USD,100.00,2026-01-01\n"
    )
