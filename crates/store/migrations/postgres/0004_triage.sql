-- Triage and outreach (issue 4): who a referral is assigned to, when its clock stopped, how it
-- ended; contacts with the referrer, screenings and outreach attempts. Keep in step with the
-- other backend's 0004_triage.sql.
ALTER TABLE referrals ADD COLUMN assigned_to TEXT REFERENCES users (id);
-- When someone first answered (acknowledged the referrer or started work): the clock stops.
ALTER TABLE referrals ADD COLUMN answered_at TIMESTAMPTZ;
-- Why a closed referral was closed (a ClosureReason code).
ALTER TABLE referrals ADD COLUMN closure TEXT;
-- The participant a referral enrolled or was linked to.
ALTER TABLE referrals ADD COLUMN participant_id TEXT REFERENCES participants (id);
CREATE INDEX referrals_assigned ON referrals (assigned_to, state);
-- The queue walks open referrals in due or received order and stops at a page: partial
-- indexes over exactly the open states (the queue's SQL names the same list, so both engines
-- can prove it uses them). The first also holds every column the queue filters on, so its
-- count reads only the index. Without them every page sorted all open referrals (queue p50
-- 2.2 s at 64 requests in flight with 10,000 open); with the older (state, due_at) index
-- still there, SQLite without statistics kept choosing it and sorting, so it goes.
DROP INDEX referrals_state_due;
CREATE INDEX referrals_open_due ON referrals (due_at, id, state, assigned_to, door, answered_at)
    WHERE state IN ('received', 'acknowledged', 'screening', 'outreach', 'not_eligible', 'unable_to_locate', 'declined');
CREATE INDEX referrals_open_received ON referrals (received_at, id)
    WHERE state IN ('received', 'acknowledged', 'screening', 'outreach', 'not_eligible', 'unable_to_locate', 'declined');

-- The participant's own agreement to take part, recorded at enrolment.
ALTER TABLE participants ADD COLUMN consent_recorded_at TIMESTAMPTZ;
ALTER TABLE participants ADD COLUMN consent_recorded_by TEXT REFERENCES users (id);

-- method: a ContactMethod code (call, text, email, in_person, voicemail).
CREATE TABLE referrer_contacts (
    id          TEXT PRIMARY KEY,
    referral_id TEXT NOT NULL REFERENCES referrals (id),
    at          TIMESTAMPTZ NOT NULL,
    method      TEXT NOT NULL,
    note        TEXT,
    user_id     TEXT NOT NULL REFERENCES users (id)
);
CREATE INDEX referrer_contacts_referral ON referrer_contacts (referral_id, at);

-- nexus: JSON array of the site's nexus keys; unmet: space-separated criteria not met.
CREATE TABLE screenings (
    id          TEXT PRIMARY KEY,
    referral_id TEXT NOT NULL REFERENCES referrals (id),
    at          TIMESTAMPTZ NOT NULL,
    corridor    BOOLEAN NOT NULL,
    adult       BOOLEAN NOT NULL,
    nexus       TEXT NOT NULL,
    conflict    BOOLEAN NOT NULL,
    eligible    BOOLEAN NOT NULL,
    note        TEXT,
    user_id     TEXT NOT NULL REFERENCES users (id)
);
CREATE INDEX screenings_referral ON screenings (referral_id, at);

-- place: a site place key, or NULL with place_other as typed; in_corridor is NULL when the
-- place cannot be checked (free text).
CREATE TABLE outreach_attempts (
    id          TEXT PRIMARY KEY,
    referral_id TEXT NOT NULL REFERENCES referrals (id),
    at          TIMESTAMPTZ NOT NULL,
    place       TEXT,
    place_other TEXT,
    lat         DOUBLE PRECISION,
    lon         DOUBLE PRECISION,
    in_corridor BOOLEAN,
    found       BOOLEAN NOT NULL,
    note        TEXT,
    user_id     TEXT NOT NULL REFERENCES users (id)
);
CREATE INDEX outreach_attempts_referral ON outreach_attempts (referral_id, at);
