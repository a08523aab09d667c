-- Community feedback on referrals (issue 8, the Community Leadership Team's view). Keep in
-- step with the other backend's 0016_feedback.sql. Anonymous: nothing about who sent it but
-- the kind of referrer they said they were. referral_id: the referral whose code they gave.
-- answered, rating, respondent, review: codes of domain::feedback. A comment is shown to the
-- team only as shared_text, the words the project manager chose (review = 'shared');
-- review is 'none' when no comment came, 'waiting' until the project manager decides.
CREATE TABLE community_feedback (
    id           TEXT PRIMARY KEY,
    received_at  TEXT NOT NULL,
    language     TEXT NOT NULL,
    referral_id  TEXT REFERENCES referrals (id),
    respondent   TEXT,
    answered     TEXT NOT NULL,
    rating       TEXT NOT NULL,
    comment      TEXT,
    review       TEXT NOT NULL,
    shared_text  TEXT,
    reviewed_by  TEXT REFERENCES users (id),
    reviewed_at  TEXT
);
CREATE INDEX community_feedback_received ON community_feedback (received_at);
CREATE INDEX community_feedback_review ON community_feedback (review, received_at);
