-- Staff accounts, their second factors, enrolment links and sessions (issue 3), and the
-- audit log's context columns. Emails are stored lower-cased; secrets only as hashes, except
-- the TOTP secret, which the server needs in the clear to check codes.
CREATE TABLE users (
    id             TEXT PRIMARY KEY,
    email          TEXT NOT NULL UNIQUE,
    name           TEXT NOT NULL,
    role           TEXT NOT NULL,
    password_hash  TEXT,
    totp_secret    TEXT,
    totp_last_step BIGINT,
    disabled       BOOLEAN NOT NULL DEFAULT FALSE,
    demo           BOOLEAN NOT NULL DEFAULT FALSE,
    created_at     TEXT NOT NULL
);

-- Failed sign-ins, by a hash of the typed email, whether or not an account has it: the
-- slow-down then says nothing about which emails exist. attempts counts every checked attempt,
-- so parallel guesses cannot all pass one open gate (only the first to write counts).
CREATE TABLE sign_in_throttle (
    email_hash   TEXT PRIMARY KEY,
    failures     INTEGER NOT NULL DEFAULT 0,
    last_failure TEXT,
    attempts     BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE enrolments (
    token_hash  TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users (id),
    totp_secret TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    used_at     TEXT
);
CREATE INDEX enrolments_user ON enrolments (user_id);

CREATE TABLE recovery_codes (
    user_id   TEXT NOT NULL REFERENCES users (id),
    code_hash TEXT NOT NULL,
    used_at   TEXT,
    PRIMARY KEY (user_id, code_hash)
);

-- stage: 'second_factor' (password accepted, code not yet) or 'active'.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    id         TEXT NOT NULL UNIQUE,
    user_id    TEXT NOT NULL REFERENCES users (id),
    stage      TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_seen  TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    reauth_at  TEXT,
    ended_at   TEXT,
    address    TEXT NOT NULL,
    agent      TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

ALTER TABLE audit_log ADD COLUMN role TEXT;
ALTER TABLE audit_log ADD COLUMN address TEXT;
ALTER TABLE audit_log ADD COLUMN subject TEXT;
CREATE INDEX audit_log_actor ON audit_log (actor, seq);
CREATE INDEX audit_log_record ON audit_log (record_id, seq);
CREATE INDEX audit_log_subject ON audit_log (subject, seq);
