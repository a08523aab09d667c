-- Legal matters and their coordination log (issue 8). Keep in step with the other backend's
-- 0011_legal.sql.

-- A participant's case in a court or before a prosecutor, as it stands. Every version, the
-- first included, is also in legal_matter_history (never updated), and each version's
-- charges are in legal_charges under that version. divertible: every charge of the current
-- version was on the site's divertible list when it was entered. next_court_at: an instant.
CREATE TABLE legal_matters (
    id             TEXT PRIMARY KEY,
    participant_id TEXT NOT NULL REFERENCES participants (id),
    jurisdiction   TEXT NOT NULL,
    case_number    TEXT,
    status         TEXT NOT NULL,
    divertible     BOOLEAN NOT NULL,
    next_court_at  TIMESTAMPTZ,
    warrant        TEXT NOT NULL,
    prosecutor     TEXT,
    defender       TEXT,
    version        BIGINT NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL,
    changed_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX legal_matters_participant ON legal_matters (participant_id, created_at);
-- The OWG agenda asks for court dates coming up and warrants out.
CREATE INDEX legal_matters_court ON legal_matters (next_court_at);

CREATE TABLE legal_matter_history (
    id            TEXT PRIMARY KEY,
    matter_id     TEXT NOT NULL REFERENCES legal_matters (id),
    version       BIGINT NOT NULL,
    jurisdiction  TEXT NOT NULL,
    case_number   TEXT,
    status        TEXT NOT NULL,
    divertible    BOOLEAN NOT NULL,
    next_court_at TIMESTAMPTZ,
    warrant       TEXT NOT NULL,
    prosecutor    TEXT,
    defender      TEXT,
    changed_at    TIMESTAMPTZ NOT NULL,
    changed_by    TEXT REFERENCES users (id)
);
CREATE UNIQUE INDEX legal_matter_history_version ON legal_matter_history (matter_id, version);

-- listed: the key of the divertible charge on the site's list, NULL for one not on it.
CREATE TABLE legal_charges (
    matter_id TEXT NOT NULL REFERENCES legal_matters (id),
    version   BIGINT NOT NULL,
    position  BIGINT NOT NULL,
    listed    TEXT,
    words     TEXT NOT NULL,
    level     TEXT NOT NULL,
    PRIMARY KEY (matter_id, version, position)
);

-- The coordination log: a request from one side to the other, and (once) how it was
-- settled, by whom (decided_by: a name and agency as typed; answered_by: who recorded it)
-- and on which day (decided_on: YYYY-MM-DD on the site's clock).
CREATE TABLE legal_requests (
    id           TEXT PRIMARY KEY,
    matter_id    TEXT NOT NULL REFERENCES legal_matters (id),
    kind         TEXT NOT NULL,
    words        TEXT NOT NULL,
    asked_at     TIMESTAMPTZ NOT NULL,
    asked_by     TEXT REFERENCES users (id),
    answer       TEXT,
    answer_words TEXT,
    decided_by   TEXT,
    decided_on   TEXT,
    answered_at  TIMESTAMPTZ,
    answered_by  TEXT REFERENCES users (id)
);
CREATE INDEX legal_requests_matter ON legal_requests (matter_id, asked_at);

-- The plan goals a request serves.
CREATE TABLE legal_request_goals (
    request_id TEXT NOT NULL REFERENCES legal_requests (id),
    goal_id    TEXT NOT NULL REFERENCES plan_goals (id),
    PRIMARY KEY (request_id, goal_id)
);
