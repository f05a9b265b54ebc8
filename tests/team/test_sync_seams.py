"""What sync will build on, proven against the real server: a pushed change applied
exactly once (its idempotency key commits with it), pulls by the change horizon that miss
no late commit, and number blocks that never overlap (R-TEAM-1, R-TEAM-2)."""

from __future__ import annotations

import threading
import uuid

import psycopg
import pytest

from quotedesk.team.server import (
    apply_once,
    changes_since,
    put_revision,
    register_device,
    reserve_numbers,
)

from .conftest import revision


def test_a_change_pushed_again_is_applied_once(team):
    quote, _ = team.new_quote("ana", "ACME Ltda")
    device = team.devices["ana"]
    with team.connect("ana") as conn:
        with conn.transaction():
            assert apply_once(conn, device, "outbox-1")
            put_revision(conn, revision(quote, "ACME Brasil"))
        # cut off before its commit: neither the change nor its key stays
        with pytest.raises(ZeroDivisionError), conn.transaction():
            assert apply_once(conn, device, "outbox-2")
            put_revision(conn, revision(quote, "lost"))
            _ = 1 / 0
        with conn.transaction():  # the same entry sent again after a lost reply
            assert not apply_once(conn, device, "outbox-1")
        with conn.transaction():
            assert apply_once(conn, device, "outbox-2")
            put_revision(conn, revision(quote, "ACME do Brasil"))
    assert team.psql("ana", "SELECT key FROM quotedesk.applied_changes ORDER BY key").stdout == (
        "outbox-1\noutbox-2\n"
    )
    name = "SELECT quote_file::jsonb -> 'customer' ->> 'name' FROM quotedesk.revisions"
    assert team.psql("ana", name).stdout == "ACME do Brasil\n"


def test_a_device_records_keys_only_for_itself(team):
    with team.connect("bea") as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
        apply_once(conn, team.devices["ana"], "outbox-1")


def test_a_pull_by_change_horizon_never_skips_a_change_that_commits_late(team):
    early, _ = team.new_quote("ana", "Early Ltda")
    late, _ = team.new_quote("ana", "Late Ltda")
    with team.connect("max") as puller:
        rows, cursor = changes_since(puller, "quotes", 0)
        assert sorted(r["customer"] for r in rows) == ["Early Ltda", "Late Ltda"]

        slow, quick = team.connect("ana"), team.connect("ana")
        slow.execute("UPDATE quotedesk.quotes SET customer = 'Late, changed' WHERE id = %s", [late])
        quick.execute(
            "UPDATE quotedesk.quotes SET customer = 'Early, changed' WHERE id = %s", [early]
        )
        quick.commit()  # numbered after the slow change, committed before it
        rows, cursor = changes_since(puller, "quotes", cursor)
        assert rows == []  # nothing below the horizon yet: the slow change may still commit
        slow.commit()
        rows, cursor = changes_since(puller, "quotes", cursor)
        slow.close()
        quick.close()
    assert [r["customer"] for r in rows] == ["Late, changed", "Early, changed"]
    # the order the server numbered them in is not the order they committed in: a cursor
    # on change_id alone would have moved past the slow change before it committed
    assert rows[0]["change_id"] < rows[1]["change_id"]


def test_a_rep_pulls_only_what_they_may_read(team):
    team.new_quote("ana", "Ana's")
    team.new_quote("bea", "Bea's")
    with team.connect("ana") as conn:
        quotes, _ = changes_since(conn, "quotes", 0)
        revisions, _ = changes_since(conn, "revisions", 0)
    assert [q["customer"] for q in quotes] == ["Ana's"]
    assert [r["quote_id"] for r in revisions] == [quotes[0]["id"]]


def test_number_blocks_reserved_at_once_by_many_devices_never_overlap_nor_leave_gaps(team):
    devices = [str(uuid.uuid4()) for _ in range(6)]
    with team.connect("ana") as conn:
        for device in devices:
            register_device(conn, device, "laptop")
    blocks: list[tuple[int, int]] = []
    errors: list[BaseException] = []

    def reserve(device: str) -> None:
        try:
            with team.connect("ana") as conn:
                for _ in range(5):
                    blocks.append(reserve_numbers(conn, device, 20))
                    conn.commit()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=reserve, args=(d,)) for d in devices]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    # 6 devices x 5 blocks of 20: 1-20, 21-40, ... 581-600, each once
    assert sorted(blocks) == [(n, n + 19) for n in range(1, 600, 20)]


def test_a_reservation_that_rolled_back_gave_nobody_its_numbers(team):
    with team.connect("ana") as conn:
        reserve_numbers(conn, team.devices["ana"], 20)
        conn.rollback()  # the laptop never heard of 1..20: nobody has them
        first = reserve_numbers(conn, team.devices["ana"], 20)
        conn.commit()
    with team.connect("bea") as conn:
        second = reserve_numbers(conn, team.devices["bea"], 20)
        conn.commit()
    assert (first, second) == ((1, 20), (21, 40))
