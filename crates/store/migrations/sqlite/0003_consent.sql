-- Caseloads, labelled notes, releases of information (42 CFR 2.31 elements) and "break the
-- glass" openings (issue 3).
ALTER TABLE users ADD COLUMN organization TEXT;
ALTER TABLE participants ADD COLUMN case_manager_id TEXT REFERENCES users (id);
CREATE INDEX participants_case_manager ON participants (case_manager_id);

-- sensitivity: general, health or substance_use (42 CFR Part 2).
CREATE TABLE notes (
    id             TEXT PRIMARY KEY,
    participant_id TEXT NOT NULL REFERENCES participants (id),
    written_at     TEXT NOT NULL,
    author_id      TEXT REFERENCES users (id),
    sensitivity    TEXT NOT NULL,
    body           TEXT NOT NULL
);
CREATE INDEX notes_participant ON notes (participant_id, written_at);

-- covers: space-separated categories (participation case_manager progress barriers).
CREATE TABLE releases (
    id             TEXT PRIMARY KEY,
    participant_id TEXT NOT NULL REFERENCES participants (id),
    discloser      TEXT NOT NULL,
    recipient      TEXT NOT NULL,
    covers         TEXT NOT NULL,
    purpose        TEXT NOT NULL,
    signed_at      TEXT NOT NULL,
    expires_at     TEXT NOT NULL,
    revoked_at     TEXT,
    recorded_by    TEXT,
    recorded_at    TEXT NOT NULL
);
CREATE INDEX releases_participant ON releases (participant_id);

CREATE TABLE break_glass (
    id             TEXT PRIMARY KEY,
    user_id        TEXT NOT NULL REFERENCES users (id),
    participant_id TEXT NOT NULL REFERENCES participants (id),
    reason         TEXT NOT NULL,
    opened_at      TEXT NOT NULL,
    expires_at     TEXT NOT NULL,
    reviewed_by    TEXT REFERENCES users (id),
    reviewed_at    TEXT
);
CREATE INDEX break_glass_user ON break_glass (user_id, participant_id);
