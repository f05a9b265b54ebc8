r"""The team server's schema as numbered migrations, applied by `quotedesk team init`.

Everything lives in the `quotedesk` schema of the team's database. A migration is never
edited once released; `_quotedesk_migrations` records which ones a database has had, and
init applies the missing ones in one transaction.

Who sees and changes what is the server's to enforce, whatever client connects: psql
with a rep's password gets no further than Quote Desk does.

- Two group roles: `quotedesk_rep` and `quotedesk_manager` (a member of the rep group,
  so a manager has every grant a rep has, and more). A person is a LOGIN role in one.
- Grants: reps read the price books, the reseller profile and the licence register;
  managers also write them. Row-level security on quotes, revisions, approvals and
  devices: a rep's rows are those whose `owner` is their login (`session_user`, which a
  session cannot change); a manager's are all. When the profile's `quote_visibility` is
  `team`, reps also read (never change) their colleagues' quotes.
- Triggers: a signed-off revision cannot be changed or deleted, by any role (the owner
  of the tables included, short of dropping the triggers); a quote keeps its number; a
  number comes from a block its login reserved; sign-off needs a number and, for a manual
  discount above the approval threshold, a manager's approval of that very content.
  Approvals record the deciding manager's login and time; a request cannot carry a
  decision, and nobody decides on their own quote.
- Sync seams: every shared row carries `change_id` (a server-wide sequence: the order of
  changes) and `change_xid`, the transaction that last wrote it. A pull reads the rows
  with `since <= change_xid < pull_horizon()` in one REPEATABLE READ snapshot and keeps
  the horizon as its next `since`: every transaction below the horizon has ended, so no
  row can later appear below it (a row numbered by a transaction that commits late is
  not skipped). `applied_changes` holds the idempotency keys of the changes each device
  pushed, written in the same transaction as the change itself.
"""

from __future__ import annotations

from typing import LiteralString

GROUPS = ("quotedesk_rep", "quotedesk_manager")

# Run by every init, before the migrations: the group roles belong to the whole server
# (a database restored with pg_restore needs them back), and only the team connects.
ROLES: LiteralString = """
DO $roles$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'quotedesk_rep') THEN
        CREATE ROLE quotedesk_rep NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'quotedesk_manager') THEN
        CREATE ROLE quotedesk_manager NOLOGIN;
    END IF;
    IF NOT pg_has_role('quotedesk_manager', 'quotedesk_rep', 'MEMBER') THEN
        GRANT quotedesk_rep TO quotedesk_manager;
    END IF;
    EXECUTE format('REVOKE CONNECT, TEMPORARY ON DATABASE %I FROM PUBLIC', current_database());
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO quotedesk_rep', current_database());
END
$roles$;
CREATE SCHEMA IF NOT EXISTS quotedesk;
CREATE TABLE IF NOT EXISTS quotedesk._quotedesk_migrations (
    name text PRIMARY KEY,
    applied_at timestamptz NOT NULL DEFAULT now(),
    applied_by text NOT NULL DEFAULT session_user
);
"""

_TEAM_SCHEMA: LiteralString = r"""
REVOKE ALL ON SCHEMA quotedesk FROM PUBLIC;
GRANT USAGE ON SCHEMA quotedesk TO quotedesk_rep;
GRANT SELECT ON quotedesk._quotedesk_migrations TO quotedesk_rep;

-- Which team this is, whatever address reaches it: a laptop joins one team.
CREATE TABLE quotedesk.team (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    only_row boolean NOT NULL UNIQUE DEFAULT true CHECK (only_row),
    created_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO quotedesk.team DEFAULT VALUES;
GRANT SELECT ON quotedesk.team TO quotedesk_rep;

CREATE FUNCTION quotedesk.is_manager() RETURNS boolean LANGUAGE sql STABLE
AS $$ SELECT pg_has_role(session_user, 'quotedesk_manager', 'MEMBER') $$;

CREATE SEQUENCE quotedesk.change_seq;
GRANT USAGE ON SEQUENCE quotedesk.change_seq TO quotedesk_rep;

CREATE FUNCTION quotedesk.stamp_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.change_id := nextval('quotedesk.change_seq');
    NEW.change_xid := pg_current_xact_id();
    RETURN NEW;
END $$;

CREATE FUNCTION quotedesk.pull_horizon() RETURNS xid8 LANGUAGE sql STABLE
AS $$ SELECT pg_snapshot_xmin(pg_current_snapshot()) $$;

-- The reseller profile as key/value rows, as the laptops keep it.
CREATE TABLE quotedesk.profile (
    key text PRIMARY KEY,
    value text NOT NULL,
    changed_by text NOT NULL DEFAULT session_user,
    changed_at timestamptz NOT NULL DEFAULT now(),
    change_id bigint NOT NULL,
    change_xid xid8 NOT NULL,
    CHECK (key <> 'approval_threshold_pct' OR value ~ '^[0-9]{1,3}(\.[0-9]+)?$'),
    CHECK (key <> 'quote_visibility' OR value IN ('own', 'team'))
);
GRANT SELECT ON quotedesk.profile TO quotedesk_rep;
GRANT INSERT, UPDATE, DELETE ON quotedesk.profile TO quotedesk_manager;

CREATE FUNCTION quotedesk.reads_team_quotes() RETURNS boolean LANGUAGE sql STABLE
AS $$ SELECT EXISTS (
    SELECT FROM quotedesk.profile WHERE key = 'quote_visibility' AND value = 'team') $$;

-- 15: ResellerProfile's default threshold, until a manager sets the team's.
CREATE FUNCTION quotedesk.approval_threshold() RETURNS numeric LANGUAGE sql STABLE
AS $$ SELECT coalesce(
    (SELECT value::numeric FROM quotedesk.profile WHERE key = 'approval_threshold_pct'), 15) $$;

CREATE TABLE quotedesk.devices (
    id uuid PRIMARY KEY,
    login text NOT NULL DEFAULT session_user,
    label text NOT NULL DEFAULT '',
    joined_at timestamptz NOT NULL DEFAULT now(),
    last_seen timestamptz
);
ALTER TABLE quotedesk.devices ENABLE ROW LEVEL SECURITY;
CREATE POLICY devices_read ON quotedesk.devices FOR SELECT
    USING (login = session_user OR quotedesk.is_manager());
CREATE POLICY devices_add ON quotedesk.devices FOR INSERT WITH CHECK (login = session_user);
CREATE POLICY devices_update ON quotedesk.devices FOR UPDATE
    USING (login = session_user) WITH CHECK (login = session_user);
GRANT SELECT, INSERT ON quotedesk.devices TO quotedesk_rep;
GRANT UPDATE (label, last_seen) ON quotedesk.devices TO quotedesk_rep;

-- R-TEAM-2: one counter; a block is a range of it handed to one device for good.
CREATE TABLE quotedesk.numbering (
    only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    next_number bigint NOT NULL CHECK (next_number >= 1)
);
INSERT INTO quotedesk.numbering (next_number) VALUES (1);
CREATE TABLE quotedesk.number_blocks (
    first_number bigint PRIMARY KEY,
    last_number bigint NOT NULL,
    device_id uuid NOT NULL REFERENCES quotedesk.devices (id),
    login text NOT NULL,
    reserved_at timestamptz NOT NULL DEFAULT now(),
    CHECK (last_number >= first_number)
);
GRANT SELECT ON quotedesk.number_blocks TO quotedesk_rep;

CREATE FUNCTION quotedesk.reserve_numbers(device uuid, how_many integer)
RETURNS TABLE (block_first bigint, block_last bigint)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    first bigint;
BEGIN
    IF how_many IS NULL OR how_many NOT BETWEEN 1 AND 1000 THEN
        RAISE EXCEPTION 'R-TEAM-2: a block holds 1 to 1000 numbers, not %', how_many;
    END IF;
    IF NOT EXISTS (
        SELECT FROM quotedesk.devices d WHERE d.id = device AND d.login = session_user
    ) THEN
        RAISE EXCEPTION 'R-TEAM-2: device % has not joined the team as %', device, session_user;
    END IF;
    UPDATE quotedesk.numbering SET next_number = next_number + how_many
        RETURNING next_number - how_many INTO first;
    INSERT INTO quotedesk.number_blocks (first_number, last_number, device_id, login)
        VALUES (first, first + how_many - 1, device, session_user);
    RETURN QUERY SELECT first, first + how_many - 1;
END $$;
REVOKE EXECUTE ON FUNCTION quotedesk.reserve_numbers(uuid, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION quotedesk.reserve_numbers(uuid, integer) TO quotedesk_rep;

-- One row per quote; `seq` and `number` are NULL while it is provisional (R-TEAM-2).
CREATE TABLE quotedesk.quotes (
    id uuid PRIMARY KEY,
    owner text NOT NULL DEFAULT session_user,
    device_id uuid REFERENCES quotedesk.devices (id),
    seq bigint UNIQUE CHECK (seq >= 1),
    number text UNIQUE,
    customer text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    change_id bigint NOT NULL,
    change_xid xid8 NOT NULL,
    CHECK ((seq IS NULL) = (number IS NULL)),
    CHECK (number ~ ('^.+-[0-9]{4}-0*' || seq::text || '$'))
);
CREATE INDEX quotes_by_owner ON quotedesk.quotes (owner);
ALTER TABLE quotedesk.quotes ENABLE ROW LEVEL SECURITY;
CREATE POLICY quotes_read ON quotedesk.quotes FOR SELECT
    USING (owner = session_user OR quotedesk.is_manager() OR quotedesk.reads_team_quotes());
CREATE POLICY quotes_add ON quotedesk.quotes FOR INSERT
    WITH CHECK (owner = session_user OR quotedesk.is_manager());
CREATE POLICY quotes_change ON quotedesk.quotes FOR UPDATE
    USING (owner = session_user OR quotedesk.is_manager())
    WITH CHECK (owner = session_user OR quotedesk.is_manager());
CREATE POLICY quotes_delete ON quotedesk.quotes FOR DELETE
    USING (owner = session_user OR quotedesk.is_manager());
GRANT SELECT, INSERT, UPDATE, DELETE ON quotedesk.quotes TO quotedesk_rep;

-- Whether this login may change the quote: its owner, or a manager.
CREATE FUNCTION quotedesk.may_change(quote uuid) RETURNS boolean LANGUAGE sql STABLE
AS $$ SELECT EXISTS (SELECT FROM quotedesk.quotes q
    WHERE q.id = quote AND (q.owner = session_user OR quotedesk.is_manager())) $$;

CREATE TABLE quotedesk.revisions (
    quote_id uuid NOT NULL REFERENCES quotedesk.quotes (id) ON DELETE CASCADE,
    revision integer NOT NULL CHECK (revision >= 1),
    status text NOT NULL CHECK (status IN ('draft', 'signed_off', 'sent', 'accepted')),
    -- the laptop's text, kept byte for byte (json would do, but has no equality)
    quote_file text NOT NULL CHECK (quote_file::jsonb IS NOT NULL),
    priced text NOT NULL CHECK (priced::jsonb IS NOT NULL),
    price_book text NOT NULL,
    price_book_sha256 text NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    signed_off_by text,
    signed_off_at timestamptz,
    signed_off_login text,
    approver text,
    -- R-TEAM-6: where a conflicting copy came from (NULL: not a conflict)
    conflict jsonb,
    change_id bigint NOT NULL,
    change_xid xid8 NOT NULL,
    PRIMARY KEY (quote_id, revision),
    CHECK ((status = 'draft') = (signed_off_by IS NULL)),
    CHECK ((signed_off_by IS NULL) = (signed_off_at IS NULL))
);
ALTER TABLE quotedesk.revisions ENABLE ROW LEVEL SECURITY;
CREATE POLICY revisions_read ON quotedesk.revisions FOR SELECT
    USING (quote_id IN (SELECT id FROM quotedesk.quotes));
CREATE POLICY revisions_add ON quotedesk.revisions FOR INSERT
    WITH CHECK (quotedesk.may_change(quote_id));
CREATE POLICY revisions_change ON quotedesk.revisions FOR UPDATE
    USING (quotedesk.may_change(quote_id)) WITH CHECK (quotedesk.may_change(quote_id));
CREATE POLICY revisions_delete ON quotedesk.revisions FOR DELETE
    USING (quotedesk.may_change(quote_id));
GRANT SELECT, INSERT, UPDATE, DELETE ON quotedesk.revisions TO quotedesk_rep;

CREATE TABLE quotedesk.approvals (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    quote_id uuid NOT NULL,
    revision integer NOT NULL,
    -- what was asked about: a draft changed after its approval needs a new one
    content_sha256 text NOT NULL,
    requested_by text NOT NULL,
    requested_at timestamptz NOT NULL,
    request_comment text NOT NULL DEFAULT '',
    decision text CHECK (decision IN ('approved', 'rejected')),
    decided_by text,
    decided_at timestamptz,
    decision_comment text,
    change_id bigint NOT NULL,
    change_xid xid8 NOT NULL,
    FOREIGN KEY (quote_id, revision) REFERENCES quotedesk.revisions ON DELETE CASCADE,
    CHECK ((decision IS NULL) = (decided_by IS NULL)),
    CHECK ((decided_by IS NULL) = (decided_at IS NULL)),
    -- a rejection says why
    CHECK (decision IS DISTINCT FROM 'rejected'
           OR coalesce(btrim(decision_comment), '') <> '')
);
CREATE INDEX approvals_of_revision ON quotedesk.approvals (quote_id, revision);
ALTER TABLE quotedesk.approvals ENABLE ROW LEVEL SECURITY;
CREATE POLICY approvals_read ON quotedesk.approvals FOR SELECT
    USING (quote_id IN (SELECT id FROM quotedesk.quotes));
CREATE POLICY approvals_request ON quotedesk.approvals FOR INSERT
    WITH CHECK (quotedesk.may_change(quote_id));
CREATE POLICY approvals_decide ON quotedesk.approvals FOR UPDATE
    USING (quotedesk.is_manager()) WITH CHECK (quotedesk.is_manager());
GRANT SELECT ON quotedesk.approvals TO quotedesk_rep;
GRANT INSERT (quote_id, revision, request_comment) ON quotedesk.approvals TO quotedesk_rep;
GRANT UPDATE (decision, decision_comment) ON quotedesk.approvals TO quotedesk_manager;

CREATE FUNCTION quotedesk.content_sha256(content text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$ SELECT encode(sha256(convert_to(content, 'UTF8')), 'hex') $$;

-- The manager who approved this very content of the revision, if one did.
CREATE FUNCTION quotedesk.approved_by(quote uuid, rev integer, content text) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT decided_by FROM quotedesk.approvals
    WHERE quote_id = quote AND revision = rev AND decision = 'approved'
        AND content_sha256 = quotedesk.content_sha256(content)
    ORDER BY decided_at DESC LIMIT 1 $$;

-- R-DISC-MANUAL as the laptops apply it: a line's manual discount above the threshold.
CREATE FUNCTION quotedesk.needs_approval(quote_file text) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT EXISTS (
        SELECT FROM jsonb_array_elements(CASE
            WHEN jsonb_typeof(quote_file::jsonb -> 'lines') = 'array'
            THEN quote_file::jsonb -> 'lines' ELSE '[]' END) AS line
        WHERE jsonb_typeof(line) = 'object'
            AND line ->> 'discount_pct'
                ~ '^\s*[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]{1,3})?\s*$'
            AND (line ->> 'discount_pct')::numeric > quotedesk.approval_threshold()) $$;

CREATE FUNCTION quotedesk.quotes_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF EXISTS (SELECT FROM quotedesk.revisions
                   WHERE quote_id = OLD.id AND status <> 'draft') THEN
            RAISE EXCEPTION 'R-TEAM-3: quote % has a signed-off revision and cannot be deleted',
                OLD.number;
        END IF;
        RETURN OLD;
    END IF;
    IF TG_OP = 'UPDATE' THEN
        IF NEW.id IS DISTINCT FROM OLD.id THEN
            RAISE EXCEPTION 'R-TEAM-2: a quote keeps its id';
        END IF;
        IF OLD.seq IS NOT NULL AND (NEW.seq IS DISTINCT FROM OLD.seq
                                    OR NEW.number IS DISTINCT FROM OLD.number) THEN
            RAISE EXCEPTION 'R-TEAM-2: quote % keeps its number', OLD.number;
        END IF;
    END IF;
    IF NEW.seq IS NOT NULL AND (TG_OP = 'INSERT' OR OLD.seq IS NULL) AND NOT EXISTS (
        SELECT FROM quotedesk.number_blocks
        WHERE NEW.seq BETWEEN first_number AND last_number AND login = session_user
    ) THEN
        RAISE EXCEPTION 'R-TEAM-2: number % is not in a block reserved by %',
            NEW.seq, session_user;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER quotes_guard BEFORE INSERT OR UPDATE OR DELETE ON quotedesk.quotes
    FOR EACH ROW EXECUTE FUNCTION quotedesk.quotes_guard();

CREATE FUNCTION quotedesk.revisions_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    approved text;
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.status <> 'draft' THEN
            RAISE EXCEPTION 'R-TEAM-3: a signed-off revision cannot be deleted';
        END IF;
        RETURN OLD;
    END IF;
    IF TG_OP = 'UPDATE' THEN
        IF NEW.quote_id IS DISTINCT FROM OLD.quote_id
                OR NEW.revision IS DISTINCT FROM OLD.revision THEN
            RAISE EXCEPTION 'R-TEAM-3: a revision keeps its quote and number';
        END IF;
        IF OLD.status <> 'draft' AND (
                NEW.quote_file, NEW.priced, NEW.price_book, NEW.price_book_sha256,
                NEW.created_at, NEW.updated_at, NEW.signed_off_by, NEW.signed_off_at,
                NEW.signed_off_login, NEW.approver, NEW.conflict::text)
            IS DISTINCT FROM (
                OLD.quote_file, OLD.priced, OLD.price_book, OLD.price_book_sha256,
                OLD.created_at, OLD.updated_at, OLD.signed_off_by, OLD.signed_off_at,
                OLD.signed_off_login, OLD.approver, OLD.conflict::text) THEN
            RAISE EXCEPTION 'R-TEAM-3: a signed-off revision cannot be changed; revise it';
        END IF;
        IF NEW.status IS DISTINCT FROM OLD.status AND NOT (
                (OLD.status = 'draft' AND NEW.status = 'signed_off')
                OR (OLD.status = 'signed_off' AND NEW.status IN ('sent', 'accepted'))
                OR (OLD.status = 'sent' AND NEW.status = 'accepted')) THEN
            RAISE EXCEPTION
                'R-TEAM-3: a status only moves forward: draft, signed_off, sent, accepted';
        END IF;
    END IF;
    IF NEW.status <> 'draft' AND (TG_OP = 'INSERT' OR OLD.status = 'draft') THEN
        IF NOT EXISTS (SELECT FROM quotedesk.quotes
                       WHERE id = NEW.quote_id AND seq IS NOT NULL) THEN
            RAISE EXCEPTION 'R-TEAM-2: a quote is signed off only once it has a number';
        END IF;
        approved := quotedesk.approved_by(NEW.quote_id, NEW.revision, NEW.quote_file);
        IF approved IS NULL AND quotedesk.needs_approval(NEW.quote_file) THEN
            RAISE EXCEPTION 'R-TEAM-5: a manual discount above the approval threshold '
                'needs a manager''s approval of this revision as it is';
        END IF;
        IF NEW.approver IS NOT NULL AND NEW.approver IS DISTINCT FROM approved THEN
            RAISE EXCEPTION 'R-TEAM-5: the approver is the manager who approved the revision '
                '(%), not %', coalesce(approved, 'nobody'), NEW.approver;
        END IF;
        NEW.approver := approved;
        NEW.signed_off_login := session_user;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER revisions_guard BEFORE INSERT OR UPDATE OR DELETE ON quotedesk.revisions
    FOR EACH ROW EXECUTE FUNCTION quotedesk.revisions_guard();

CREATE FUNCTION quotedesk.approvals_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    quote_owner text;
    revision_status text;
    revision_file text;
BEGIN
    SELECT q.owner, r.status, r.quote_file INTO quote_owner, revision_status, revision_file
    FROM quotedesk.quotes q JOIN quotedesk.revisions r ON r.quote_id = q.id
    WHERE q.id = NEW.quote_id AND r.revision = NEW.revision;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'R-TEAM-5: no such quote revision';
    END IF;
    IF TG_OP = 'INSERT' THEN
        IF NEW.decision IS NOT NULL OR NEW.decided_by IS NOT NULL
                OR NEW.decided_at IS NOT NULL OR NEW.decision_comment IS NOT NULL THEN
            RAISE EXCEPTION 'R-TEAM-5: an approval is requested; only a manager decides it';
        END IF;
        IF revision_status <> 'draft' THEN
            RAISE EXCEPTION 'R-TEAM-5: approval is asked for a draft, not a signed-off revision';
        END IF;
        NEW.requested_by := session_user;
        NEW.requested_at := now();
        NEW.content_sha256 := quotedesk.content_sha256(revision_file);
        RETURN NEW;
    END IF;
    IF (NEW.id, NEW.quote_id, NEW.revision, NEW.content_sha256, NEW.requested_by,
            NEW.requested_at, NEW.request_comment)
        IS DISTINCT FROM (OLD.id, OLD.quote_id, OLD.revision, OLD.content_sha256,
            OLD.requested_by, OLD.requested_at, OLD.request_comment) THEN
        RAISE EXCEPTION 'R-TEAM-5: a request stays as it was made';
    END IF;
    IF OLD.decision IS NOT NULL THEN
        RAISE EXCEPTION 'R-TEAM-5: this request was already %', OLD.decision;
    END IF;
    IF NEW.decision IS NULL THEN
        RAISE EXCEPTION 'R-TEAM-5: a decision approves or rejects';
    END IF;
    IF NOT quotedesk.is_manager() THEN
        RAISE EXCEPTION 'R-TEAM-5: only a manager approves or rejects';
    END IF;
    IF session_user IN (quote_owner, OLD.requested_by) THEN
        RAISE EXCEPTION 'R-TEAM-5: % cannot decide on their own quote', session_user;
    END IF;
    NEW.decided_by := session_user;
    NEW.decided_at := now();
    RETURN NEW;
END $$;
CREATE TRIGGER approvals_guard BEFORE INSERT OR UPDATE ON quotedesk.approvals
    FOR EACH ROW EXECUTE FUNCTION quotedesk.approvals_guard();

-- TRUNCATE fires no row trigger: refused while anything signed off would go with it.
CREATE FUNCTION quotedesk.truncate_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT FROM quotedesk.revisions WHERE status <> 'draft') THEN
        RAISE EXCEPTION 'R-TEAM-3: signed-off revisions cannot be deleted';
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER quotes_truncate_guard BEFORE TRUNCATE ON quotedesk.quotes
    FOR EACH STATEMENT EXECUTE FUNCTION quotedesk.truncate_guard();
CREATE TRIGGER revisions_truncate_guard BEFORE TRUNCATE ON quotedesk.revisions
    FOR EACH STATEMENT EXECUTE FUNCTION quotedesk.truncate_guard();

-- Price-book versions as imported; a manager publishes, the newest published is the team's.
CREATE TABLE quotedesk.price_books (
    sha256 text PRIMARY KEY,
    source text NOT NULL,
    label text NOT NULL,
    imported_at timestamptz NOT NULL,
    row_count integer NOT NULL,
    csv bytea NOT NULL,
    published_by text NOT NULL DEFAULT session_user,
    published_at timestamptz NOT NULL DEFAULT now(),
    change_id bigint NOT NULL,
    change_xid xid8 NOT NULL,
    CHECK (encode(sha256(csv), 'hex') = sha256)
);
GRANT SELECT ON quotedesk.price_books TO quotedesk_rep;
GRANT INSERT ON quotedesk.price_books TO quotedesk_manager;

CREATE TABLE quotedesk.licences (
    id uuid PRIMARY KEY,
    licence text NOT NULL,
    product text NOT NULL,
    deployment text NOT NULL CHECK (deployment IN ('cloud', 'datacenter')),
    edition text NOT NULL,
    billing text NOT NULL CHECK (billing IN ('annual', 'monthly')),
    users integer NOT NULL CHECK (users >= 0),
    end_date date NOT NULL,
    customer text NOT NULL,
    country text NOT NULL,
    subdivision text NOT NULL,
    source text NOT NULL,
    updated_at timestamptz NOT NULL,
    changed_by text NOT NULL DEFAULT session_user,
    change_id bigint NOT NULL,
    change_xid xid8 NOT NULL
);
CREATE UNIQUE INDEX licences_key ON quotedesk.licences (licence, product) WHERE licence <> '';
GRANT SELECT ON quotedesk.licences TO quotedesk_rep;
GRANT INSERT, UPDATE, DELETE ON quotedesk.licences TO quotedesk_manager;

-- The language each customer's PDFs were last made in, shared by the team.
CREATE TABLE quotedesk.customer_languages (
    customer text PRIMARY KEY,
    language text NOT NULL CHECK (language ~ '^[a-z]{2}(-[A-Z]{2})?$'),
    changed_by text NOT NULL DEFAULT session_user,
    changed_at timestamptz NOT NULL DEFAULT now(),
    change_id bigint NOT NULL,
    change_xid xid8 NOT NULL
);
GRANT SELECT, INSERT, UPDATE ON quotedesk.customer_languages TO quotedesk_rep;

-- Who changed shared data is the login that did, not what the client says.
CREATE FUNCTION quotedesk.stamp_author() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'price_books' THEN
        NEW.published_by := session_user;
        NEW.published_at := now();
    ELSIF TG_TABLE_NAME = 'licences' THEN
        NEW.changed_by := session_user;
    ELSE
        NEW.changed_by := session_user;
        NEW.changed_at := now();
    END IF;
    RETURN NEW;
END $$;

-- The idempotency keys of the changes each device pushed (its outbox entries).
CREATE TABLE quotedesk.applied_changes (
    device_id uuid NOT NULL REFERENCES quotedesk.devices (id),
    key text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (device_id, key)
);
ALTER TABLE quotedesk.applied_changes ENABLE ROW LEVEL SECURITY;
CREATE POLICY applied_changes_own ON quotedesk.applied_changes
    USING (device_id IN (SELECT id FROM quotedesk.devices WHERE login = session_user))
    WITH CHECK (device_id IN (SELECT id FROM quotedesk.devices WHERE login = session_user));
GRANT SELECT, INSERT ON quotedesk.applied_changes TO quotedesk_rep;

DO $stamps$
DECLARE
    shared text;
BEGIN
    FOREACH shared IN ARRAY ARRAY['profile', 'quotes', 'revisions', 'approvals',
                                  'price_books', 'licences', 'customer_languages'] LOOP
        EXECUTE format('CREATE TRIGGER %I BEFORE INSERT OR UPDATE ON quotedesk.%I '
                       'FOR EACH ROW EXECUTE FUNCTION quotedesk.stamp_change()',
                       shared || '_stamp', shared);
        EXECUTE format('CREATE INDEX %I ON quotedesk.%I (change_xid)',
                       shared || '_by_change', shared);
    END LOOP;
    FOREACH shared IN ARRAY ARRAY['profile', 'price_books', 'licences',
                                  'customer_languages'] LOOP
        EXECUTE format('CREATE TRIGGER %I BEFORE INSERT OR UPDATE ON quotedesk.%I '
                       'FOR EACH ROW EXECUTE FUNCTION quotedesk.stamp_author()',
                       shared || '_author', shared);
    END LOOP;
END
$stamps$;
"""

# The same rules, checked at a cost that does not grow with the team. 0001's read rule for
# revisions and approvals (`quote_id IN (SELECT id FROM quotes)`) built the set of every
# quote the login sees, and the quotes rule asked for each row whether the login is a
# manager or the team reads every quote. Now a row's quote is looked up by its key (the
# planner may still hash when a statement reads most of the table), and the manager and
# team questions are scalar subqueries, asked once per statement.
_PER_ROW_RULES: LiteralString = """
ALTER POLICY quotes_read ON quotedesk.quotes
    USING (owner = session_user
           OR (SELECT quotedesk.is_manager() OR quotedesk.reads_team_quotes()));
ALTER POLICY quotes_add ON quotedesk.quotes
    WITH CHECK (owner = session_user OR (SELECT quotedesk.is_manager()));
ALTER POLICY quotes_change ON quotedesk.quotes
    USING (owner = session_user OR (SELECT quotedesk.is_manager()))
    WITH CHECK (owner = session_user OR (SELECT quotedesk.is_manager()));
ALTER POLICY quotes_delete ON quotedesk.quotes
    USING (owner = session_user OR (SELECT quotedesk.is_manager()));
ALTER POLICY revisions_read ON quotedesk.revisions
    USING (EXISTS (SELECT FROM quotedesk.quotes q WHERE q.id = quote_id));
ALTER POLICY approvals_read ON quotedesk.approvals
    USING (EXISTS (SELECT FROM quotedesk.quotes q WHERE q.id = quote_id));
CREATE OR REPLACE FUNCTION quotedesk.may_change(quote uuid) RETURNS boolean LANGUAGE sql STABLE
AS $$ SELECT EXISTS (SELECT FROM quotedesk.quotes q
    WHERE q.id = quote AND (q.owner = session_user OR (SELECT quotedesk.is_manager()))) $$;
"""

# (name, SQL); init applies those a database lacks, in order.
MIGRATIONS: tuple[tuple[str, LiteralString], ...] = (
    ("0001_team_schema", _TEAM_SCHEMA),
    ("0002_per_row_rules", _PER_ROW_RULES),
)
