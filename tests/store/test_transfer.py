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


def test_export_carries_the_remembered_customer_language_to_the_new_store(
    store, make_quote, tmp_path
):
    remembered = store.add_quote(*make_quote("Yamada KK")).number
    plain = store.add_quote(*make_quote("Globex")).number
    store.set_customer_language(remembered, "ja")
    exported = json.loads(json.dumps(store.export_json()))
    assert [q.get("customer_language") for q in exported["quotes"]] == ["ja", None]

    with open_store(tmp_path / "other.db") as other:
        assert other.import_json(exported) == 2
        assert other.customer_language(remembered) == "ja"
        assert other.customer_language(plain) is None
        # Importing again adds nothing and keeps a language chosen here since.
        other.set_customer_language(remembered, "pt-BR")
        assert other.import_json(exported) == 0
        assert other.customer_language(remembered) == "pt-BR"


def test_import_refuses_an_unknown_customer_language(store, make_quote, tmp_path):
    store.add_quote(*make_quote("ACME Ltda"))
    exported = store.export_json()
    exported["quotes"][0]["customer_language"] = "klingon"
    with open_store(tmp_path / "other.db") as other:
        with pytest.raises(StoreError, match="customer_language 'klingon'"):
            other.import_json(exported)
        assert other.list_quotes() == []
