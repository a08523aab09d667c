-- Identity resolution (issue 5): every person's blocking keys, the review queue of likely
-- duplicates, and merges that can be undone. Keep in step with the other backend's
-- 0010_matching.sql.

-- The matching engine's blocking keys (u64, stored as the i64 with the same bits), written in
-- the transaction that writes the person: candidates for a new record are one indexed query.
CREATE TABLE person_keys (
    key       BIGINT NOT NULL,
    person_id TEXT NOT NULL REFERENCES people (id),
    PRIMARY KEY (key, person_id)
);
CREATE INDEX person_keys_person ON person_keys (person_id);

-- Pairs of people the engine finds likely to be one person, waiting for a decision.
-- person_a < person_b. decided: NULL while waiting, 'merged' or 'different'.
CREATE TABLE duplicate_candidates (
    person_a    TEXT NOT NULL REFERENCES people (id),
    person_b    TEXT NOT NULL REFERENCES people (id),
    probability DOUBLE PRECISION NOT NULL,
    found_at    TEXT NOT NULL,
    decided     TEXT,
    decided_by  TEXT REFERENCES users (id),
    decided_at  TEXT,
    PRIMARY KEY (person_a, person_b)
);
CREATE INDEX duplicate_candidates_waiting ON duplicate_candidates (decided, probability);

-- A merge: the absorbed participant's records now belong to the survivor. Undone when
-- undone_at is set; the rows moved are listed in person_merge_moves so an unmerge puts each
-- back, and the absorbed participant row waits in merged_participants.
CREATE TABLE person_merges (
    id             TEXT PRIMARY KEY,
    survivor_id    TEXT NOT NULL REFERENCES participants (id),
    absorbed_id    TEXT NOT NULL,
    absorbed_person TEXT NOT NULL REFERENCES people (id),
    reason         TEXT NOT NULL,
    merged_by      TEXT REFERENCES users (id),
    merged_at      TEXT NOT NULL,
    undone_by      TEXT REFERENCES users (id),
    undone_at      TEXT
);
CREATE INDEX person_merges_survivor ON person_merges (survivor_id, merged_at);

CREATE TABLE person_merge_moves (
    merge_id   TEXT NOT NULL REFERENCES person_merges (id),
    table_name TEXT NOT NULL,
    row_id     TEXT NOT NULL,
    PRIMARY KEY (merge_id, table_name, row_id)
);

-- The participants table's columns, as they are at this migration (a test holds the two to
-- the same columns; a migration that adds one to participants adds it here too).
CREATE TABLE merged_participants (
    merge_id            TEXT PRIMARY KEY REFERENCES person_merges (id),
    id                  TEXT NOT NULL,
    person_id           TEXT NOT NULL,
    referral_id         TEXT,
    enrolled_at         TEXT NOT NULL,
    case_manager_id     TEXT,
    consent_recorded_at TEXT,
    consent_recorded_by TEXT,
    last_seen_at        TEXT,
    version             INTEGER NOT NULL
);
