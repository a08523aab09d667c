-- Published Data & Results quarters (issue 7). Keep in step with the other backend's
-- 0009_published.sql. A row is frozen: the figures as they were counted when the project
-- manager published them, with the definitions' version they were counted under. Nothing
-- updates or deletes a row.
CREATE TABLE published_quarters (
    quarter             TEXT PRIMARY KEY,
    definitions_version BIGINT NOT NULL,
    figures             TEXT NOT NULL,
    published_at        TEXT NOT NULL,
    published_by        TEXT NOT NULL REFERENCES users (id)
);

CREATE TRIGGER published_quarters_frozen BEFORE UPDATE ON published_quarters
BEGIN
    SELECT RAISE(ABORT, 'published figures are frozen');
END;

CREATE TRIGGER published_quarters_kept BEFORE DELETE ON published_quarters
BEGIN
    SELECT RAISE(ABORT, 'published figures are frozen');
END;
