-- The job queue, staff notifications, the outbox, the inquiry clock and the police doors
-- (issue 4). Keep in step with the other backend's 0005_jobs.sql.

-- A job runs once: claimed with a lease by a conditional UPDATE, done in the same transaction
-- as its effect. Its key names what it is for (`referral.remind:<id>`), so enqueueing the
-- same work twice is a no-op (ON CONFLICT DO NOTHING).
CREATE TABLE jobs (
    job_key       TEXT PRIMARY KEY,
    kind          TEXT NOT NULL,
    record_id     TEXT NOT NULL,
    run_at        TEXT NOT NULL,
    attempts      BIGINT NOT NULL DEFAULT 0,
    claimed_until TEXT,
    done_at       TEXT,
    outcome       TEXT
);
CREATE INDEX jobs_due ON jobs (done_at, run_at);

-- Reminders and escalations for staff, shown on their home page.
CREATE TABLE notifications (
    id          TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users (id),
    created_at  TEXT NOT NULL,
    kind        TEXT NOT NULL,
    record_type TEXT NOT NULL,
    record_id   TEXT NOT NULL,
    body        TEXT NOT NULL,
    dedupe_key  TEXT NOT NULL UNIQUE
);
CREATE INDEX notifications_user ON notifications (user_id, created_at);

-- Messages to people outside (emails to referrers). Held here when no mail server is set up;
-- sent_at is set once a server took the message.
CREATE TABLE outbox (
    id          TEXT PRIMARY KEY,
    created_at  TEXT NOT NULL,
    recipient   TEXT NOT NULL,
    subject     TEXT NOT NULL,
    body        TEXT NOT NULL,
    record_type TEXT NOT NULL,
    record_id   TEXT NOT NULL,
    dedupe_key  TEXT NOT NULL UNIQUE,
    sent_at     TEXT,
    last_error  TEXT
);
CREATE INDEX outbox_created ON outbox (created_at);

ALTER TABLE inquiries ADD COLUMN answered_at TEXT;
ALTER TABLE inquiries ADD COLUMN closure TEXT;
ALTER TABLE inquiries ADD COLUMN assigned_to TEXT REFERENCES users (id);

CREATE TABLE inquiry_events (
    id         TEXT PRIMARY KEY,
    inquiry_id TEXT NOT NULL REFERENCES inquiries (id),
    at         TEXT NOT NULL,
    from_state TEXT,
    to_state   TEXT NOT NULL,
    actor      TEXT NOT NULL,
    method     TEXT,
    reason     TEXT
);
CREATE INDEX inquiry_events_inquiry ON inquiry_events (inquiry_id, at);

-- Police doors: the charge (arrest diversion), whether it is on the site's divertible list,
-- when the officer handed the person to a case manager, and the account that recorded it.
ALTER TABLE referrals ADD COLUMN charge TEXT;
ALTER TABLE referrals ADD COLUMN charge_divertible INTEGER;
ALTER TABLE referrals ADD COLUMN handoff_at TEXT;
ALTER TABLE referrals ADD COLUMN referred_by TEXT REFERENCES users (id);
