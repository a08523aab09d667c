-- The Policy Coordinating Group's policy (issue 8), as versions. Keep in step with the other
-- backend's 0014_policy.sql. charges: JSON [{"key", "label"}]; approved_by: who approved it
-- for the group, as typed; approved_on: YYYY-MM-DD on the site's clock; recorded_by: who
-- entered it. With no row, the site profile's divertible list is the policy (version 0).
CREATE TABLE pcg_policies (
    version     INTEGER PRIMARY KEY,
    charges     TEXT NOT NULL,
    eligibility TEXT NOT NULL,
    approved_by TEXT NOT NULL,
    approved_on TEXT NOT NULL,
    recorded_by TEXT REFERENCES users (id),
    recorded_at TEXT NOT NULL
);

-- The policy version in force when a matter was last written, which its divertible flag
-- was judged against (0: the site profile's list; NULL: written before versions).
ALTER TABLE legal_matters ADD COLUMN policy_version INTEGER;
