-- Intervention plans and referrals out to partners (issue 6). Keep in step with the other
-- backend's 0007_plans.sql.

-- A goal in the participant's own words. The row is the current version; every version,
-- the first included, is also written to plan_history, which is never updated.
CREATE TABLE plan_goals (
    id             TEXT PRIMARY KEY,
    participant_id TEXT NOT NULL REFERENCES participants (id),
    domain         TEXT NOT NULL,
    words          TEXT NOT NULL,
    status         TEXT NOT NULL,
    version        BIGINT NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL,
    changed_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX plan_goals_participant ON plan_goals (participant_id, created_at);

-- due_on: a day on the site's clock, YYYY-MM-DD.
CREATE TABLE plan_steps (
    id         TEXT PRIMARY KEY,
    goal_id    TEXT NOT NULL REFERENCES plan_goals (id),
    words      TEXT NOT NULL,
    owner      TEXT NOT NULL,
    due_on     TEXT,
    status     TEXT NOT NULL,
    version    BIGINT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    changed_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX plan_steps_goal ON plan_steps (goal_id, created_at);

-- One row per version of a goal (step_id NULL) or of a step, as written, and by whom.
-- sensitivity: the label of the goal when the version was written (a goal moved out of
-- substance use keeps its earlier versions under the Part 2 label).
CREATE TABLE plan_history (
    id         TEXT PRIMARY KEY,
    sensitivity TEXT NOT NULL,
    goal_id    TEXT NOT NULL REFERENCES plan_goals (id),
    step_id    TEXT REFERENCES plan_steps (id),
    version    BIGINT NOT NULL,
    domain     TEXT,
    words      TEXT NOT NULL,
    status     TEXT NOT NULL,
    owner      TEXT,
    due_on     TEXT,
    changed_at TIMESTAMPTZ NOT NULL,
    changed_by TEXT REFERENCES users (id)
);
CREATE INDEX plan_history_goal ON plan_history (goal_id, changed_at);

-- The partner directory: not personal data. name_key: the name folded to lower case in Rust
-- (the same on both backends; SQL LOWER folds only ASCII on SQLite), unique.
CREATE TABLE partners (
    id           TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    name_key     TEXT NOT NULL,
    kind         TEXT NOT NULL,
    phone        TEXT,
    address      TEXT,
    how_to_refer TEXT,
    active       BOOLEAN NOT NULL,
    version      BIGINT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX partners_name ON partners (name_key);

-- A referral out; every change of status is also in referral_out_history. sensitivity:
-- the label fixed when it was sent, the stricter of the partner's kind and the goal's
-- domain (a later change to the partner does not relabel it).
CREATE TABLE referrals_out (
    id             TEXT PRIMARY KEY,
    sensitivity    TEXT NOT NULL,
    participant_id TEXT NOT NULL REFERENCES participants (id),
    partner_id     TEXT NOT NULL REFERENCES partners (id),
    goal_id        TEXT REFERENCES plan_goals (id),
    need           TEXT NOT NULL,
    status         TEXT NOT NULL,
    reason         TEXT,
    version        BIGINT NOT NULL,
    sent_at        TIMESTAMPTZ NOT NULL,
    sent_by        TEXT REFERENCES users (id),
    changed_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX referrals_out_participant ON referrals_out (participant_id, sent_at);
CREATE INDEX referrals_out_partner ON referrals_out (partner_id, status);

CREATE TABLE referral_out_history (
    id          TEXT PRIMARY KEY,
    referral_id TEXT NOT NULL REFERENCES referrals_out (id),
    version     BIGINT NOT NULL,
    status      TEXT NOT NULL,
    reason      TEXT,
    words       TEXT,
    changed_at  TIMESTAMPTZ NOT NULL,
    changed_by  TEXT REFERENCES users (id)
);
CREATE INDEX referral_out_history_referral ON referral_out_history (referral_id, changed_at);
