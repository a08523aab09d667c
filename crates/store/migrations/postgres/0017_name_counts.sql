-- How many people share each name and place (issue 5, term frequencies in lookups): an
-- exact agreement on a common value (a Hmong clan name, "Mohamed") is weaker evidence than
-- on a rare one. Keep in step with the other backend's 0017_name_counts.sql. Rebuilt whole
-- by Db::count_names, never linked to a person: field is a code of the matching engine's
-- Field, value the folded name or place. Only values shared by two or more people are kept
-- (a value not here counts as one person's), so no row points at one person.
CREATE TABLE name_counts (
    field   TEXT NOT NULL,
    value   TEXT NOT NULL,
    people  BIGINT NOT NULL,
    PRIMARY KEY (field, value)
);
-- Per field: how many values were counted, and the chance two random people who both
-- have the field agree on it exactly (the sum of squared shares over every value).
CREATE TABLE name_count_fields (
    field       TEXT PRIMARY KEY,
    counted     BIGINT NOT NULL,
    agreement   DOUBLE PRECISION NOT NULL,
    counted_at  TIMESTAMPTZ NOT NULL
);
