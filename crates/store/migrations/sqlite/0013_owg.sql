-- Operational Workgroup case conferencing (issue 8). Keep in step with the other backend's
-- 0013_owg.sql.

-- A meeting. held_on: its day on the site's clock (YYYY-MM-DD); agenda_built_at: when the
-- agenda was last built from the flags.
CREATE TABLE owg_meetings (
    id              TEXT PRIMARY KEY,
    held_on         TEXT NOT NULL,
    starts_at       TEXT NOT NULL,
    place           TEXT NOT NULL,
    created_by      TEXT REFERENCES users (id),
    created_at      TEXT NOT NULL,
    agenda_built_at TEXT NOT NULL
);
CREATE INDEX owg_meetings_starts ON owg_meetings (starts_at);

-- An agenda item: about a participant, or about a referral past its answer (never both).
-- flags: the reasons, as codes separated by spaces. facts: what the flags found when the
-- agenda was built, as JSON. One item per participant or referral per meeting, kept by the
-- store (not by an index, so that a merge can move items).
CREATE TABLE owg_items (
    id             TEXT PRIMARY KEY,
    meeting_id     TEXT NOT NULL REFERENCES owg_meetings (id),
    participant_id TEXT REFERENCES participants (id),
    referral_id    TEXT REFERENCES referrals (id),
    position       INTEGER NOT NULL,
    flags          TEXT NOT NULL,
    facts          TEXT NOT NULL,
    minutes        TEXT,
    removed        INTEGER NOT NULL,
    created_at     TEXT NOT NULL,
    changed_at     TEXT NOT NULL,
    changed_by     TEXT REFERENCES users (id)
);
CREATE INDEX owg_items_meeting ON owg_items (meeting_id, position);
CREATE INDEX owg_items_participant ON owg_items (participant_id);

-- An action item agreed at a meeting: who (a person and their agency) does what by when.
-- due_on: YYYY-MM-DD on the site's clock.
CREATE TABLE owg_actions (
    id             TEXT PRIMARY KEY,
    item_id        TEXT NOT NULL REFERENCES owg_items (id),
    participant_id TEXT REFERENCES participants (id),
    referral_id    TEXT REFERENCES referrals (id),
    words          TEXT NOT NULL,
    owner          TEXT NOT NULL,
    agency         TEXT NOT NULL,
    due_on         TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    created_by     TEXT REFERENCES users (id),
    done_at        TEXT,
    done_by        TEXT REFERENCES users (id)
);
CREATE INDEX owg_actions_item ON owg_actions (item_id);
CREATE INDEX owg_actions_open ON owg_actions (done_at, due_on);
