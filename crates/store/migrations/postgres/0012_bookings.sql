-- The booking feed (issue 8). Keep in step with the other backend's 0012_bookings.sql.
--
-- A row of an uploaded feed that matches no participant is counted in its import and never
-- stored. One that surely matches a participant becomes a booking; one that may match
-- waits in booking_reviews (with its candidates) until someone says whose it is, and is
-- deleted when it is no one's.

-- One upload: who sent it, when, and what became of its rows.
CREATE TABLE booking_imports (
    id          TEXT PRIMARY KEY,
    uploaded_by TEXT NOT NULL REFERENCES users (id),
    uploaded_at TIMESTAMPTZ NOT NULL,
    file_rows   BIGINT NOT NULL,
    linked      BIGINT NOT NULL,
    to_review   BIGINT NOT NULL,
    discarded   BIGINT NOT NULL
);
CREATE INDEX booking_imports_uploaded ON booking_imports (uploaded_at);

-- A booking or new charge of a participant. booked_at and released_at are instants (the
-- feed's wall-clock times read on the site's clock). probability: the engine's, for the
-- participant it was linked to; linked_by: who said so on review (NULL: the engine alone).
CREATE TABLE bookings (
    id             TEXT PRIMARY KEY,
    participant_id TEXT NOT NULL REFERENCES participants (id),
    import_id      TEXT NOT NULL REFERENCES booking_imports (id),
    booked_at      TIMESTAMPTZ NOT NULL,
    released_at    TIMESTAMPTZ,
    charges        TEXT NOT NULL,
    agency         TEXT NOT NULL,
    booking_number TEXT,
    probability    DOUBLE PRECISION NOT NULL,
    linked_by      TEXT REFERENCES users (id),
    linked_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX bookings_participant ON bookings (participant_id, booked_at);
-- The OWG agenda asks for bookings since the last meeting.
CREATE INDEX bookings_linked ON bookings (linked_at);

-- A row the engine was not sure of, as the feed gave it, until it is decided.
CREATE TABLE booking_reviews (
    id             TEXT PRIMARY KEY,
    import_id      TEXT NOT NULL REFERENCES booking_imports (id),
    given_name     TEXT NOT NULL,
    family_name    TEXT NOT NULL,
    born_on        TEXT NOT NULL,
    booked_at      TIMESTAMPTZ NOT NULL,
    released_at    TIMESTAMPTZ,
    charges        TEXT NOT NULL,
    agency         TEXT NOT NULL,
    booking_number TEXT,
    created_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX booking_reviews_created ON booking_reviews (created_at);

-- The participants a waiting row may be, best first.
CREATE TABLE booking_candidates (
    id             TEXT PRIMARY KEY,
    review_id      TEXT NOT NULL REFERENCES booking_reviews (id),
    participant_id TEXT NOT NULL REFERENCES participants (id),
    position       BIGINT NOT NULL,
    probability    DOUBLE PRECISION NOT NULL
);
CREATE UNIQUE INDEX booking_candidates_review ON booking_candidates (review_id, position);
CREATE INDEX booking_candidates_participant ON booking_candidates (participant_id);
