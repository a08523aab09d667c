-- Published Data & Results quarters (issue 7). Keep in step with the other backend's
-- 0009_published.sql. A row is frozen: the figures as they were counted when the project
-- manager published them, with the definitions' version they were counted under. Nothing
-- updates or deletes a row.
CREATE TABLE published_quarters (
    quarter             TEXT PRIMARY KEY,
    definitions_version BIGINT NOT NULL,
    figures             TEXT NOT NULL,
    published_at        TIMESTAMPTZ NOT NULL,
    published_by        TEXT NOT NULL REFERENCES users (id)
);

CREATE FUNCTION published_quarters_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'published figures are frozen';
END;
$$;

CREATE TRIGGER published_quarters_frozen BEFORE UPDATE OR DELETE ON published_quarters
    FOR EACH ROW EXECUTE FUNCTION published_quarters_frozen();
CREATE TRIGGER published_quarters_no_truncate BEFORE TRUNCATE ON published_quarters
    FOR EACH STATEMENT EXECUTE FUNCTION published_quarters_frozen();
