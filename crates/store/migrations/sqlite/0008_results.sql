-- Data & Results (issue 7). Keep in step with the other backend's 0008_results.sql.

-- Race and ethnicity as the person describes it, with HUD's categories: the chosen codes
-- separated by spaces, or why there are none (dont_know, prefers_not, not_asked). People
-- recorded before this column existed were never asked: NULL reads as not_asked.
ALTER TABLE people ADD COLUMN race_ethnicity TEXT;

-- The public figures count enrolments by month.
CREATE INDEX participants_enrolled ON participants (enrolled_at, id);

-- Enrolment names the referral it came from; the figures join on it.
CREATE INDEX participants_referral ON participants (referral_id);
