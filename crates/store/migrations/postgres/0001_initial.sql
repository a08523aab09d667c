-- leadhub schema, version 1 (PostgreSQL). Keep in step with ../sqlite/0001_initial.sql:
-- the same tables, columns and meanings; only the type names differ.

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
    received_at     TIMESTAMPTZ NOT NULL,
    due_at          TIMESTAMPTZ NOT NULL,
    referrer_type   TEXT,
    referrer_name   TEXT,
    referrer_phone  TEXT,
    referrer_email  TEXT,
    wants_follow_up BOOLEAN NOT NULL,
    person_name     TEXT,
    age_range       TEXT NOT NULL,
    gender          TEXT,
    build           TEXT,
    hair            TEXT,
    features        TEXT,
    places          TEXT NOT NULL,
    places_other    TEXT,
    times           TEXT NOT NULL,
    times_other     TEXT,
    concerns        TEXT NOT NULL,
    concern_text    TEXT,
    safety_notes    TEXT,
    version         BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX referrals_state_due ON referrals (state, due_at);
CREATE INDEX referrals_received ON referrals (received_at);

CREATE TABLE referral_events (
    id          TEXT PRIMARY KEY,
    referral_id TEXT NOT NULL REFERENCES referrals (id),
    at          TIMESTAMPTZ NOT NULL,
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
    received_at        TIMESTAMPTZ NOT NULL,
    due_at             TIMESTAMPTZ NOT NULL,
    name               TEXT,
    reach              TEXT NOT NULL,
    message            TEXT NOT NULL,
    preferred_language TEXT NOT NULL,
    version            BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX inquiries_state_due ON inquiries (state, due_at);

CREATE TABLE people (
    id           TEXT PRIMARY KEY,
    given_name   TEXT,
    family_name  TEXT,
    aliases      TEXT,
    birth_year   BIGINT,
    gender       TEXT,
    descriptors  TEXT,
    usual_places TEXT,
    created_at   TIMESTAMPTZ NOT NULL
);

CREATE TABLE participants (
    id          TEXT PRIMARY KEY,
    person_id   TEXT NOT NULL UNIQUE REFERENCES people (id),
    referral_id TEXT REFERENCES referrals (id),
    enrolled_at TIMESTAMPTZ NOT NULL,
    status      TEXT NOT NULL
);

CREATE TABLE contacts (
    id             TEXT PRIMARY KEY,
    participant_id TEXT NOT NULL REFERENCES participants (id),
    at             TIMESTAMPTZ NOT NULL,
    kind           TEXT NOT NULL,
    place          TEXT,
    minutes        BIGINT NOT NULL
);
CREATE INDEX contacts_participant_at ON contacts (participant_id, at);
CREATE INDEX contacts_at ON contacts (at);

CREATE TABLE audit_log (
    seq         BIGINT PRIMARY KEY,
    at          TIMESTAMPTZ NOT NULL,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL,
    record_type TEXT NOT NULL,
    record_id   TEXT,
    outcome     TEXT NOT NULL,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
);

-- The head of the chain: the last entry's number and hash (see the SQLite migration).
CREATE TABLE audit_head (
    id   BIGINT PRIMARY KEY CHECK (id = 1),
    seq  BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE FUNCTION audit_head_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'audit_head cannot be deleted';
    END IF;
    IF NEW.seq < OLD.seq THEN
        RAISE EXCEPTION 'audit_head only moves forward';
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER audit_head_guard BEFORE UPDATE OR DELETE ON audit_head
    FOR EACH ROW EXECUTE FUNCTION audit_head_guard();
CREATE FUNCTION audit_head_no_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_head cannot be truncated';
END;
$$;
CREATE TRIGGER audit_head_no_truncate BEFORE TRUNCATE ON audit_head
    FOR EACH STATEMENT EXECUTE FUNCTION audit_head_no_truncate();

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END;
$$;

CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
