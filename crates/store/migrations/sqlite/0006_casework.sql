-- Case management (issue 6): contacts as case managers log them, when each participant was
-- last seen, versions for edits, and monthly status snapshots. Keep in step with the other
-- backend's 0006_casework.sql.

-- services: space-separated Service codes; place/place_other/lat/lon/in_corridor as for
-- outreach attempts.
ALTER TABLE contacts ADD COLUMN services TEXT NOT NULL DEFAULT '';
ALTER TABLE contacts ADD COLUMN note TEXT;
ALTER TABLE contacts ADD COLUMN place_other TEXT;
ALTER TABLE contacts ADD COLUMN lat DOUBLE PRECISION;
ALTER TABLE contacts ADD COLUMN lon DOUBLE PRECISION;
ALTER TABLE contacts ADD COLUMN in_corridor INTEGER;
ALTER TABLE contacts ADD COLUMN logged_by TEXT REFERENCES users (id);
-- Kinds written before the contact form existed (demo data), in today's codes.
UPDATE contacts SET kind = 'office' WHERE kind = 'office_visit';
UPDATE contacts SET kind = 'accompaniment' WHERE kind = 'housing_appointment';
ALTER TABLE contacts ADD COLUMN logged_at TEXT;

-- When the participant was last seen: the latest contact, or enrolment (which happens in
-- person) before any. Every contact written keeps it, so caseload views ("not seen in 14
-- days") read one indexed column. Active or inactive is derived from it and the site's rule
-- at read time, never stored: the stored status column goes.
ALTER TABLE participants ADD COLUMN last_seen_at TEXT;
ALTER TABLE participants ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE participants DROP COLUMN status;
UPDATE participants SET last_seen_at = COALESCE((SELECT MAX(c.at) FROM contacts c WHERE c.participant_id = participants.id), enrolled_at);
DROP INDEX participants_case_manager;
CREATE INDEX participants_case_manager_seen ON participants (case_manager_id, last_seen_at, id);
-- In the order the "not seen" views list people, so a page stops after its rows.
CREATE INDEX participants_seen ON participants (last_seen_at, id);
CREATE INDEX releases_expiring ON releases (expires_at);
-- The caseload's order by name (the expressions match the caseload SQL exactly), so a page of
-- the whole team stops after its rows instead of sorting everyone.
CREATE INDEX people_by_name ON people (COALESCE(family_name, ''), COALESCE(given_name, ''), id);

-- One row per answer given, never updated: a correction is a new row for the same month.
-- living/employment: a code or an unknown code; income/coverage: space-separated codes,
-- 'none', or an unknown code (see domain::snapshot).
CREATE TABLE status_snapshots (
    id             TEXT PRIMARY KEY,
    participant_id TEXT NOT NULL REFERENCES participants (id),
    month          TEXT NOT NULL,
    living         TEXT NOT NULL,
    employment     TEXT NOT NULL,
    income         TEXT NOT NULL,
    coverage       TEXT NOT NULL,
    recorded_at    TEXT NOT NULL,
    recorded_by    TEXT REFERENCES users (id)
);
CREATE INDEX status_snapshots_participant ON status_snapshots (participant_id, month, recorded_at);
CREATE INDEX status_snapshots_month ON status_snapshots (month, participant_id);
