-- leadhub schema, version 1 (SQLite). Keep in step with ../postgres/0001_initial.sql:
-- the same tables, columns and meanings; only the type names differ.
-- Ids are UUIDv7 text; timestamps are UTC (TEXT here, TIMESTAMPTZ there); booleans INTEGER here.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE referrals (
    id              TEXT PRIMARY KEY,
    reference_code  TEXT NOT NULL UNIQUE,
    door            TEXT NOT NULL,
    state           TEXT NOT NULL,
    language        TEXT NOT NULL,
    received_at     TEXT NOT NULL,
    due_at          TEXT NOT NULL,
    referrer_type   TEXT,
    referrer_name   TEXT,
    referrer_phone  TEXT,
    referrer_email  TEXT,
    wants_follow_up INTEGER NOT NULL,
    person_name     TEXT,
    age_range       TEXT NOT NULL,
    gender          TEXT,
    build           TEXT,
    hair            TEXT,
    features        TEXT,
    places          TEXT NOT NULL,  -- JSON array of site place keys
    places_other    TEXT,
    times           TEXT NOT NULL,  -- JSON array of time-of-day codes
    times_other     TEXT,
    concerns        TEXT NOT NULL,  -- JSON array of concern codes
    concern_text    TEXT,
    safety_notes    TEXT,
    version         INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX referrals_state_due ON referrals (state, due_at);
CREATE INDEX referrals_received ON referrals (received_at);

CREATE TABLE referral_events (
    id          TEXT PRIMARY KEY,
    referral_id TEXT NOT NULL REFERENCES referrals (id),
    at          TEXT NOT NULL,
    from_state  TEXT,
    to_state    TEXT NOT NULL,
    actor       TEXT NOT NULL,
    reason      TEXT
);
CREATE INDEX referral_events_referral ON referral_events (referral_id, at);

CREATE TABLE inquiries (
    id                 TEXT PRIMARY KEY,
    reference_code     TEXT NOT NULL UNIQUE,
    state              TEXT NOT NULL,
    language           TEXT NOT NULL,
    received_at        TEXT NOT NULL,
    due_at             TEXT NOT NULL,
    name               TEXT,
    reach              TEXT NOT NULL,
    message            TEXT NOT NULL,
    preferred_language TEXT NOT NULL,
    version            INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX inquiries_state_due ON inquiries (state, due_at);

CREATE TABLE people (
    id           TEXT PRIMARY KEY,
    given_name   TEXT,
    family_name  TEXT,
    aliases      TEXT,
    birth_year   INTEGER,
    gender       TEXT,
    descriptors  TEXT,
    usual_places TEXT,
    created_at   TEXT NOT NULL
);

CREATE TABLE participants (
    id          TEXT PRIMARY KEY,
    person_id   TEXT NOT NULL UNIQUE REFERENCES people (id),
    referral_id TEXT REFERENCES referrals (id),
    enrolled_at TEXT NOT NULL,
    status      TEXT NOT NULL
);

CREATE TABLE contacts (
    id             TEXT PRIMARY KEY,
    participant_id TEXT NOT NULL REFERENCES participants (id),
    at             TEXT NOT NULL,
    kind           TEXT NOT NULL,
    place          TEXT,
    minutes        INTEGER NOT NULL
);
CREATE INDEX contacts_participant_at ON contacts (participant_id, at);
CREATE INDEX contacts_at ON contacts (at);

-- Append-only, hash-chained: each entry's hash covers the previous entry's hash.
CREATE TABLE audit_log (
    seq         INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL,
    record_type TEXT NOT NULL,
    record_id   TEXT,
    outcome     TEXT NOT NULL,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
);

-- The head of the chain: the last entry's number and hash. Appending takes this row's lock,
-- so concurrent writers queue instead of colliding, and verification can tell when entries
-- were cut off the end.
CREATE TABLE audit_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  INTEGER NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head
BEGIN
    SELECT RAISE(ABORT, 'audit_head cannot be deleted');
END;

CREATE TRIGGER audit_head_only_forward BEFORE UPDATE ON audit_head WHEN NEW.seq < OLD.seq
BEGIN
    SELECT RAISE(ABORT, 'audit_head only moves forward');
END;

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
