"""The database schema as numbered migrations (sqlite-utils `Migrations`).

A migration is never edited once released: a file made by any earlier Quote Desk is
upgraded in place by running the ones it lacks, each in its own transaction. Tables are
STRICT; money is exact TEXT inside the JSON documents or integer minor units, never REAL.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database
    from sqlite_utils.migrations import Migrations

# "QDSK": lets a Quote Desk file be told apart from any other SQLite file.
APPLICATION_ID = 0x5144534B

MIGRATION_SET = "quotedesk"
MIGRATION_NAMES = (
    "0001_quotes_revisions_price_books",
    "0002_search_and_settings",
    "0003_status_lists_newest_first",
    "0004_signed_off_numbers_fixed",
    "0005_substring_search_and_customer_language",
    "0006_licence_register",
    "0007_signed_off_quotes_refused_to_raw_sql",
    "0008_signed_exports",
    "0009_team_membership",
    "0010_team_sync",
    "0011_approvals",
)
# The number of the newest migration (a number may be taken by a branch not merged yet).
SCHEMA_VERSION = int(MIGRATION_NAMES[-1][:4])


def _run(db: Database, *statements: str) -> None:
    for sql in statements:
        db.execute(sql)


def _initial_schema(db: Database) -> None:
    _run(
        db,
        f"PRAGMA application_id = {APPLICATION_ID}",
        """CREATE TABLE price_books (
            id INTEGER PRIMARY KEY,
            sha256 TEXT NOT NULL UNIQUE,
            source TEXT NOT NULL,
            label TEXT NOT NULL,
            imported_at TEXT NOT NULL,
            row_count INTEGER NOT NULL,
            csv BLOB NOT NULL
        ) STRICT""",
        # One row per quote number, carrying a summary of its latest revision so that
        # listing and searching never parse JSON.
        """CREATE TABLE quotes (
            id INTEGER PRIMARY KEY,
            number TEXT NOT NULL UNIQUE,
            prefix TEXT NOT NULL,
            year INTEGER NOT NULL,
            seq INTEGER NOT NULL,
            created_at TEXT NOT NULL,
            revision INTEGER NOT NULL,
            status TEXT NOT NULL,
            customer TEXT NOT NULL,
            currency TEXT NOT NULL,
            total_minor INTEGER NOT NULL,
            minor_digits INTEGER NOT NULL,
            quote_date TEXT NOT NULL,
            valid_until TEXT NOT NULL,
            products TEXT NOT NULL,
            notes TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            UNIQUE (prefix, year, seq)
        ) STRICT""",
        """CREATE TABLE revisions (
            id INTEGER PRIMARY KEY,
            quote_id INTEGER NOT NULL REFERENCES quotes(id),
            revision INTEGER NOT NULL CHECK (revision >= 1),
            status TEXT NOT NULL CHECK (status IN ('draft', 'signed_off', 'sent', 'accepted')),
            quote_file TEXT NOT NULL CHECK (json_valid(quote_file)),
            priced TEXT NOT NULL CHECK (json_valid(priced)),
            price_book TEXT NOT NULL,
            price_book_sha256 TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            signed_off_by TEXT,
            signed_off_at TEXT,
            approver TEXT,
            UNIQUE (quote_id, revision),
            CHECK ((status = 'draft') = (signed_off_by IS NULL)),
            CHECK ((signed_off_by IS NULL) = (signed_off_at IS NULL))
        ) STRICT""",
        "CREATE INDEX quotes_by_updated ON quotes (updated_at)",
        "CREATE INDEX quotes_by_date ON quotes (quote_date)",
        "CREATE INDEX quotes_by_customer ON quotes (customer COLLATE NOCASE)",
        "CREATE INDEX quotes_by_status ON quotes (status, valid_until)",
        # R-Q-2 enforced by the database itself, so no code path (nor a raw SQL session)
        # can change what was signed off. Only the status may still advance.
        """CREATE TRIGGER revisions_signed_off_content_frozen BEFORE UPDATE ON revisions
        WHEN OLD.status <> 'draft' AND (
            NEW.quote_file IS NOT OLD.quote_file OR NEW.priced IS NOT OLD.priced
            OR NEW.price_book IS NOT OLD.price_book
            OR NEW.price_book_sha256 IS NOT OLD.price_book_sha256
            OR NEW.created_at IS NOT OLD.created_at OR NEW.updated_at IS NOT OLD.updated_at
            OR NEW.signed_off_by IS NOT OLD.signed_off_by
            OR NEW.signed_off_at IS NOT OLD.signed_off_at OR NEW.approver IS NOT OLD.approver)
        BEGIN
            SELECT RAISE(ABORT, 'R-Q-2: a signed-off revision cannot be changed; revise it');
        END""",
        """CREATE TRIGGER revisions_identity_fixed BEFORE UPDATE OF id, quote_id, revision
        ON revisions
        WHEN NEW.id IS NOT OLD.id OR NEW.quote_id IS NOT OLD.quote_id
            OR NEW.revision IS NOT OLD.revision
        BEGIN
            SELECT RAISE(ABORT, 'R-Q-2: a revision keeps its quote and number');
        END""",
        """CREATE TRIGGER revisions_status_moves_forward BEFORE UPDATE OF status ON revisions
        WHEN NEW.status IS NOT OLD.status AND NOT (
            (OLD.status = 'draft' AND NEW.status = 'signed_off')
            OR (OLD.status = 'signed_off' AND NEW.status IN ('sent', 'accepted'))
            OR (OLD.status = 'sent' AND NEW.status = 'accepted'))
        BEGIN
            SELECT RAISE(ABORT,
                'R-Q-2: a status only moves forward: draft, signed_off, sent, accepted');
        END""",
        """CREATE TRIGGER revisions_signed_off_undeletable BEFORE DELETE ON revisions
        WHEN OLD.status <> 'draft'
        BEGIN
            SELECT RAISE(ABORT, 'R-Q-2: a signed-off revision cannot be deleted');
        END""",
        # INSERT OR REPLACE deletes the row it collides with without firing DELETE
        # triggers (unless recursive_triggers is on), so refuse the collision itself.
        """CREATE TRIGGER revisions_signed_off_not_replaced BEFORE INSERT ON revisions
        WHEN EXISTS (
            SELECT 1 FROM revisions WHERE status <> 'draft'
            AND (id = NEW.id OR (quote_id = NEW.quote_id AND revision = NEW.revision)))
        BEGIN
            SELECT RAISE(ABORT, 'R-Q-2: a signed-off revision cannot be replaced');
        END""",
        """CREATE TRIGGER quotes_signed_off_undeletable BEFORE DELETE ON quotes
        WHEN EXISTS (SELECT 1 FROM revisions WHERE quote_id = OLD.id AND status <> 'draft')
        BEGIN
            SELECT RAISE(ABORT, 'R-Q-2: a quote with a signed-off revision cannot be deleted');
        END""",
        """CREATE TRIGGER price_books_never_overwritten BEFORE UPDATE ON price_books
        BEGIN
            SELECT RAISE(ABORT, 'a price-book version is never overwritten; import a new one');
        END""",
        "PRAGMA user_version = 1",
    )


def _search_and_settings(db: Database) -> None:
    # The reseller profile as key/value rows: a profile field added later needs no migration.
    _run(
        db,
        "CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT",
        "PRAGMA user_version = 2",
    )
    db["quotes"].enable_fts(  # type: ignore[union-attr]
        ["number", "customer", "products", "notes"],
        create_triggers=True,
        tokenize="unicode61 remove_diacritics 2",
    )


def _status_lists_newest_first(db: Database) -> None:
    # A status filter over (status, valid_until) sorts every quote of that status for
    # each page; walking (status, updated_at) reads only the page (bench/store.py).
    _run(
        db,
        "DROP INDEX quotes_by_status",
        "CREATE INDEX quotes_by_status ON quotes (status, updated_at)",
        "PRAGMA user_version = 3",
    )


def _signed_off_numbers_fixed(db: Database) -> None:
    # R-Q-2 for the quotes row too: once a revision is signed off, the number printed on
    # it names this quote for good. INSERT OR REPLACE would delete the row without firing
    # the DELETE trigger, so the collision itself is refused as well.
    _run(
        db,
        """CREATE TRIGGER quotes_signed_off_number_fixed
        BEFORE UPDATE OF id, number, prefix, year, seq, created_at ON quotes
        WHEN (NEW.id IS NOT OLD.id OR NEW.number IS NOT OLD.number
            OR NEW.prefix IS NOT OLD.prefix OR NEW.year IS NOT OLD.year
            OR NEW.seq IS NOT OLD.seq OR NEW.created_at IS NOT OLD.created_at)
            AND EXISTS (SELECT 1 FROM revisions WHERE quote_id = OLD.id AND status <> 'draft')
        BEGIN
            SELECT RAISE(ABORT, 'R-Q-2: a signed-off quote keeps its number');
        END""",
        """CREATE TRIGGER quotes_signed_off_not_replaced BEFORE INSERT ON quotes
        WHEN EXISTS (
            SELECT 1 FROM quotes q JOIN revisions r ON r.quote_id = q.id
            WHERE r.status <> 'draft' AND (q.id = NEW.id OR q.number = NEW.number
                OR (q.prefix = NEW.prefix AND q.year = NEW.year AND q.seq = NEW.seq)))
        BEGIN
            SELECT RAISE(ABORT, 'R-Q-2: a signed-off quote cannot be replaced');
        END""",
        "PRAGMA user_version = 4",
    )


def _substring_search_and_customer_language(db: Database) -> None:
    # A trigram index beside the word index: "ller" finds Müller. The word index stays for
    # what trigrams cannot do: words shorter than three letters, and accents folded
    # ("societe" finds Société; the trigram tokenizer folds them only from SQLite 3.45).
    columns = '"number", "customer", "products", "notes"'
    old = 'old.rowid, old."number", old."customer", old."products", old."notes"'
    new = old.replace("old.", "new.")
    _run(
        db,
        f"""CREATE VIRTUAL TABLE quotes_trigram USING fts5 (
            {columns}, tokenize='trigram', content='quotes', content_rowid='id')""",
        f"""CREATE TRIGGER quotes_trigram_ai AFTER INSERT ON quotes BEGIN
            INSERT INTO quotes_trigram (rowid, {columns}) VALUES ({new});
        END""",
        f"""CREATE TRIGGER quotes_trigram_ad AFTER DELETE ON quotes BEGIN
            INSERT INTO quotes_trigram (quotes_trigram, rowid, {columns})
            VALUES ('delete', {old});
        END""",
        f"""CREATE TRIGGER quotes_trigram_au AFTER UPDATE OF {columns} ON quotes BEGIN
            INSERT INTO quotes_trigram (quotes_trigram, rowid, {columns})
            VALUES ('delete', {old});
            INSERT INTO quotes_trigram (rowid, {columns}) VALUES ({new});
        END""",
        "INSERT INTO quotes_trigram (quotes_trigram) VALUES ('rebuild')",
        # The language the customer's PDFs were last made in, proposed for the next export.
        # Apart from the quote file, which has no field for it and is kept as given.
        """CREATE TABLE customer_languages (
            quote_id INTEGER PRIMARY KEY REFERENCES quotes(id) ON DELETE CASCADE,
            language TEXT NOT NULL
        ) STRICT""",
        "PRAGMA user_version = 5",
    )


def _licence_register(db: Database) -> None:
    # The customer's current licences. `licence` is the SEN or site URL,
    # "" for a licence sold on a quote that named neither yet (so not a key); `source`
    # says where the row came from (a CSV file or the quote that sold it).
    _run(
        db,
        """CREATE TABLE licences (
            id INTEGER PRIMARY KEY,
            licence TEXT NOT NULL,
            product TEXT NOT NULL,
            deployment TEXT NOT NULL CHECK (deployment IN ('cloud', 'datacenter')),
            edition TEXT NOT NULL,
            billing TEXT NOT NULL CHECK (billing IN ('annual', 'monthly')),
            users INTEGER NOT NULL CHECK (users >= 0),
            end_date TEXT NOT NULL,
            customer TEXT NOT NULL,
            country TEXT NOT NULL,
            subdivision TEXT NOT NULL,
            source TEXT NOT NULL,
            updated_at TEXT NOT NULL
        ) STRICT""",
        "CREATE UNIQUE INDEX licences_key ON licences (licence, product) WHERE licence <> ''",
        # The renewals view lists by end date within a window: bench/renewals.py.
        "CREATE INDEX licences_by_end ON licences (end_date)",
        "PRAGMA user_version = 6",
    )


def _signed_off_quotes_refused_to_raw_sql(db: Database) -> None:
    # R-Q-2 against any SQLite session, which runs without recursive_triggers: REPLACE then
    # deletes the row it collides with without firing DELETE triggers. No UPDATE may change
    # a unique key, so no UPDATE OR REPLACE can collide. The key triggers name no columns:
    # "UPDATE OF id" does not fire for "SET rowid = ...".
    summary = ("customer", "currency", "total_minor", "minor_digits", "quote_date",
               "valid_until", "products", "notes")  # fmt: skip
    summary_changed = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in summary)
    _run(
        db,
        "DROP TRIGGER quotes_signed_off_number_fixed",
        """CREATE TRIGGER quotes_number_fixed BEFORE UPDATE ON quotes
        WHEN NEW.id IS NOT OLD.id OR NEW.number IS NOT OLD.number
            OR NEW.prefix IS NOT OLD.prefix OR NEW.year IS NOT OLD.year
            OR NEW.seq IS NOT OLD.seq OR NEW.created_at IS NOT OLD.created_at
        BEGIN
            SELECT RAISE(ABORT, 'R-Q-2: a quote keeps its id and number');
        END""",
        "DROP TRIGGER revisions_identity_fixed",
        """CREATE TRIGGER revisions_identity_fixed BEFORE UPDATE ON revisions
        WHEN NEW.id IS NOT OLD.id OR NEW.quote_id IS NOT OLD.quote_id
            OR NEW.revision IS NOT OLD.revision
        BEGIN
            SELECT RAISE(ABORT, 'R-Q-2: a revision keeps its quote and number');
        END""",
        # The list shows a quote from these columns: while its latest revision is signed
        # off they are that revision's, as sign-off wrote them.
        f"""CREATE TRIGGER quotes_signed_off_summary_frozen BEFORE UPDATE ON quotes
        WHEN ({summary_changed}) AND EXISTS (
            SELECT 1 FROM revisions WHERE quote_id = OLD.id AND revision = OLD.revision
            AND status <> 'draft')
        BEGIN
            SELECT RAISE(ABORT, 'R-Q-2: a signed-off quote cannot be changed; revise it');
        END""",
        # Revising is the only move: on to the next revision, a new draft.
        """CREATE TRIGGER quotes_latest_revision_moves_to_a_new_draft
        BEFORE UPDATE OF revision ON quotes
        WHEN NEW.revision IS NOT OLD.revision AND NOT (
            NEW.revision = OLD.revision + 1 AND EXISTS (
                SELECT 1 FROM revisions WHERE quote_id = OLD.id AND revision = NEW.revision
                AND status = 'draft'))
        BEGIN
            SELECT RAISE(ABORT,
                'R-Q-2: a quote only moves on to its next revision, a new draft (revise)');
        END""",
        """CREATE TRIGGER quotes_status_is_its_revisions BEFORE UPDATE OF status, revision
        ON quotes
        WHEN NEW.status IS NOT (
            SELECT status FROM revisions WHERE quote_id = OLD.id AND revision = NEW.revision)
        BEGIN
            SELECT RAISE(ABORT, 'R-Q-2: a quote has the status of its latest revision');
        END""",
        # A signed-off revision names its price book by sha256: that copy stays as imported.
        """CREATE TRIGGER price_books_never_replaced BEFORE INSERT ON price_books
        WHEN EXISTS (SELECT 1 FROM price_books WHERE id = NEW.id OR sha256 = NEW.sha256)
        BEGIN
            SELECT RAISE(ABORT, 'a price-book version is never overwritten; import a new one');
        END""",
        """CREATE TRIGGER price_books_of_signed_off_revisions_kept BEFORE DELETE ON price_books
        WHEN EXISTS (
            SELECT 1 FROM revisions WHERE price_book_sha256 = OLD.sha256 AND status <> 'draft')
        BEGIN
            SELECT RAISE(ABORT,
                'R-Q-2: a price book a signed-off revision was priced with cannot be deleted');
        END""",
        "PRAGMA user_version = 7",
    )


def _signed_exports(db: Database) -> None:
    # Each signed PDF exported from a revision, by the path it was written to, with its
    # PAdES level: B-B until a timestamp authority was reached (the window lists those
    # waiting and extends them), up to B-LTA. Exporting to the same path again replaces it.
    _run(
        db,
        """CREATE TABLE signed_exports (
            id INTEGER PRIMARY KEY,
            revision_id INTEGER NOT NULL REFERENCES revisions(id),
            path TEXT NOT NULL UNIQUE,
            level TEXT NOT NULL CHECK (level IN ('B-B', 'B-T', 'B-LT', 'B-LTA')),
            exported_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        ) STRICT""",
        "CREATE INDEX signed_exports_by_revision ON signed_exports (revision_id)",
        "PRAGMA user_version = 8",
    )


def _team_membership(db: Database) -> None:
    # Team mode: the one team this laptop joined (no row: single-user). The server is kept
    # without a password: that is in the system keyring or a private libpq password file.
    # `team_id` is the team's own id on its server, whatever address reaches it; `role` is
    # what the server said at joining (rep or manager), which it decides anew on every
    # connection.
    _run(
        db,
        """CREATE TABLE team (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            team_id TEXT NOT NULL,
            server TEXT NOT NULL,
            login TEXT NOT NULL,
            role TEXT NOT NULL CHECK (role IN ('rep', 'manager')),
            device_id TEXT NOT NULL,
            password_in TEXT NOT NULL CHECK (password_in IN ('keyring', 'passfile')),
            joined_at TEXT NOT NULL
        ) STRICT""",
        "PRAGMA user_version = 9",
    )


# A new UUID, as SQLite can make one inside a trigger (PostgreSQL reads the same text).
_UUID = (
    "(SELECT lower(substr(h, 1, 8) || '-' || substr(h, 9, 4) || '-' || substr(h, 13, 4) || '-' "
    "|| substr(h, 17, 4) || '-' || substr(h, 21)) FROM (SELECT hex(randomblob(16)) AS h))"
)
_NOW = "strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')"
# Triggers record a change for the team only while this laptop is in one, and not while
# sync itself writes what came from the server (`applying`, set inside its transaction).
_TEAM_WRITE = "EXISTS (SELECT 1 FROM team) AND (SELECT applying FROM team_sync) = 0"


def _outbox_entry(kind: str, ref: str) -> str:
    """One pending change per (kind, ref): a newer change of the same thing replaces it,
    under a new key, at the end of the queue (the server gets the newest state, once)."""
    return f"""DELETE FROM team_outbox WHERE kind = '{kind}' AND ref = {ref};
            INSERT INTO team_outbox (key, kind, ref, made_at)
            VALUES ({_UUID}, '{kind}', {ref}, {_NOW});"""


def _team_sync(db: Database) -> None:
    # Team mode's working state: the outbox of changes the server has not acknowledged
    # (written by triggers in the very transaction of the change, whatever code made it),
    # each quote's id on the server, the number blocks this laptop holds (R-TEAM-2), the
    # pull cursors and when shared data was last fetched (R-TEAM-7). Single-user stores
    # keep these tables empty: every trigger first checks for a team membership.
    team_quote = "(SELECT uuid FROM team_quotes WHERE quote_id = NEW.quote_id)"
    is_team_quote = "EXISTS (SELECT 1 FROM team_quotes WHERE quote_id = NEW.quote_id)"
    is_manager = "(SELECT role FROM team) = 'manager'"
    _run(
        db,
        """CREATE TABLE team_quotes (
            quote_id INTEGER PRIMARY KEY REFERENCES quotes(id) ON DELETE CASCADE,
            uuid TEXT NOT NULL UNIQUE,
            owner TEXT NOT NULL
        ) STRICT""",
        # `server_change`: the server's change_id of this revision as this laptop last saw
        # it (NULL: never on the server); `conflict`: where a conflicting copy came from
        # (R-TEAM-6), until someone resolves it.
        """CREATE TABLE team_revisions (
            revision_id INTEGER PRIMARY KEY REFERENCES revisions(id) ON DELETE CASCADE,
            server_change INTEGER,
            conflict TEXT CHECK (conflict IS NULL OR json_valid(conflict))
        ) STRICT""",
        """CREATE TABLE team_outbox (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            key TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL,
            ref TEXT NOT NULL,
            made_at TEXT NOT NULL,
            refused TEXT,
            UNIQUE (kind, ref)
        ) STRICT""",
        """CREATE TABLE team_number_blocks (
            first INTEGER PRIMARY KEY,
            last INTEGER NOT NULL,
            next INTEGER NOT NULL,
            reserved_at TEXT NOT NULL,
            CHECK (first <= next AND next <= last + 1)
        ) STRICT""",
        """CREATE TABLE team_sync (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            cursors TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(cursors)),
            last_sync_at TEXT,
            applying INTEGER NOT NULL DEFAULT 0 CHECK (applying IN (0, 1))
        ) STRICT""",
        "INSERT INTO team_sync (id) VALUES (1)",
        """CREATE TABLE team_shared (
            what TEXT PRIMARY KEY,
            fetched_at TEXT NOT NULL
        ) STRICT""",
        # R-TEAM-2: a quote made with the block empty carries a provisional label (year 0)
        # until sync numbers it, once; any other number stays as it is.
        "DROP TRIGGER quotes_number_fixed",
        """CREATE TRIGGER quotes_number_fixed BEFORE UPDATE ON quotes
        WHEN (NEW.id IS NOT OLD.id OR NEW.number IS NOT OLD.number
            OR NEW.prefix IS NOT OLD.prefix OR NEW.year IS NOT OLD.year
            OR NEW.seq IS NOT OLD.seq OR NEW.created_at IS NOT OLD.created_at)
            AND NOT (OLD.year = 0 AND NEW.year <> 0 AND NEW.id IS OLD.id
                AND NEW.created_at IS OLD.created_at)
        BEGIN
            SELECT RAISE(ABORT, 'R-Q-2: a quote keeps its id and number');
        END""",
        """CREATE TRIGGER revisions_provisional_not_signed_off BEFORE UPDATE OF status
        ON revisions
        WHEN NEW.status <> 'draft'
            AND (SELECT year FROM quotes WHERE id = NEW.quote_id) = 0
        BEGIN
            SELECT RAISE(ABORT,
                'R-TEAM-2: a quote is signed off only once a sync has given it a number');
        END""",
        f"""CREATE TRIGGER team_quote_made AFTER INSERT ON quotes
        WHEN {_TEAM_WRITE} AND (NEW.year = 0 OR EXISTS (
            SELECT 1 FROM team_number_blocks WHERE NEW.seq BETWEEN first AND last))
        BEGIN
            INSERT INTO team_quotes (quote_id, uuid, owner)
            VALUES (NEW.id, {_UUID}, (SELECT login FROM team));
        END""",
        f"""CREATE TRIGGER team_revision_made AFTER INSERT ON revisions
        WHEN {_TEAM_WRITE} AND {is_team_quote}
        BEGIN
            INSERT INTO team_revisions (revision_id) VALUES (NEW.id);
            {_outbox_entry("quote", team_quote)}
        END""",
        f"""CREATE TRIGGER team_revision_changed AFTER UPDATE ON revisions
        WHEN {_TEAM_WRITE} AND {is_team_quote}
        BEGIN
            {_outbox_entry("quote", team_quote)}
        END""",
        f"""CREATE TRIGGER team_language_made AFTER INSERT ON customer_languages
        WHEN {_TEAM_WRITE} AND {is_team_quote}
        BEGIN
            {_outbox_entry("customer_language", team_quote)}
        END""",
        f"""CREATE TRIGGER team_language_changed AFTER UPDATE ON customer_languages
        WHEN {_TEAM_WRITE} AND {is_team_quote}
        BEGIN
            {_outbox_entry("customer_language", team_quote)}
        END""",
        # A manager's profile and price books are the team's; a rep's stay on their laptop
        # (the server would refuse them) until the team's replace them at the next sync.
        f"""CREATE TRIGGER team_profile_made AFTER INSERT ON settings
        WHEN {_TEAM_WRITE} AND {is_manager} AND NEW.key <> 'active_price_book'
        BEGIN
            {_outbox_entry("profile", "NEW.key")}
        END""",
        f"""CREATE TRIGGER team_profile_changed AFTER UPDATE ON settings
        WHEN {_TEAM_WRITE} AND {is_manager} AND NEW.key <> 'active_price_book'
        BEGIN
            {_outbox_entry("profile", "NEW.key")}
        END""",
        f"""CREATE TRIGGER team_price_book_made AFTER INSERT ON price_books
        WHEN {_TEAM_WRITE} AND {is_manager}
        BEGIN
            {_outbox_entry("price_book", "NEW.sha256")}
        END""",
        "PRAGMA user_version = 10",
    )


def _approvals(db: Database) -> None:
    # Team mode: the approval requests this laptop made or saw (R-TEAM-5), as the server
    # recorded them, so an approved draft is signed off offline. Keyed by the server's id
    # and by quote number and revision, not by local rows: a manager's laptop lists
    # requests on quotes it does not hold. `content_sha256` is the SHA-256 of the quote
    # file's text the request was about; another text (a later edit) is not approved.
    _run(
        db,
        """CREATE TABLE approvals (
            id INTEGER PRIMARY KEY,
            number TEXT NOT NULL,
            revision INTEGER NOT NULL,
            customer TEXT NOT NULL,
            owner TEXT NOT NULL,
            content_sha256 TEXT NOT NULL,
            requested_by TEXT NOT NULL,
            requested_at TEXT NOT NULL,
            request_comment TEXT NOT NULL,
            decision TEXT CHECK (decision IN ('approved', 'rejected')),
            decided_by TEXT,
            decided_at TEXT,
            decision_comment TEXT,
            -- what a manager decides on, from the revision as the server holds it
            currency TEXT NOT NULL,
            total TEXT NOT NULL,
            discount_pct TEXT NOT NULL,
            CHECK ((decision IS NULL) = (decided_by IS NULL)),
            CHECK ((decided_by IS NULL) = (decided_at IS NULL))
        ) STRICT""",
        "CREATE INDEX approvals_of_revision ON approvals (number, revision)",
        "PRAGMA user_version = 11",
    )


@functools.cache
def migrations() -> Migrations:
    """The migrations as a sqlite-utils set, built (and sqlite-utils imported) only when a
    file needs them: a new or older database."""
    from sqlite_utils.migrations import Migrations  # only for a new or older file

    steps = Migrations(MIGRATION_SET)
    for name, step in zip(
        MIGRATION_NAMES,
        (
            _initial_schema,
            _search_and_settings,
            _status_lists_newest_first,
            _signed_off_numbers_fixed,
            _substring_search_and_customer_language,
            _licence_register,
            _signed_off_quotes_refused_to_raw_sql,
            _signed_exports,
            _team_membership,
            _team_sync,
            _approvals,
        ),
        strict=True,
    ):
        steps(name=name)(step)
    return steps
