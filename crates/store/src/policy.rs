//! The Policy Coordinating Group's policy as versions: the divertible charges and the
//! eligibility rules, who approved each version and when, and who recorded it. Versions are
//! never changed; a new one is recorded on top of the one its form showed (a stale form is
//! refused). Until one is recorded, the site profile's list is the policy, version 0.

use leadhub_domain::policy::Policy;
use leadhub_domain::site::Charge;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::audit::{Actor, Entry};
use crate::{Db, Result, Stamp, StoreError, on_pool, on_tx};

/// A version of the policy as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyVersion {
    /// 0 for the site profile's list, before any version was recorded.
    pub version: i64,
    pub charges: Vec<Charge>,
    /// None for version 0: the profile has no rules in words.
    pub eligibility: Option<String>,
    pub approved_by: Option<String>,
    pub approved_on: Option<jiff::civil::Date>,
    pub recorded_by: Option<String>,
    pub recorded_at: Option<OffsetDateTime>,
}

impl PolicyVersion {
    /// The policy before any version is recorded: the site profile's list.
    pub fn from_profile(charges: &[Charge]) -> Self {
        Self {
            version: 0,
            charges: charges.to_vec(),
            eligibility: None,
            approved_by: None,
            approved_on: None,
            recorded_by: None,
            recorded_at: None,
        }
    }
}

/// How recording a version ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicyRecorded {
    Recorded(i64),
    /// Someone recorded a version since the form was shown (the current one is this).
    Stale(i64),
}

#[derive(Serialize, Deserialize)]
struct StoredCharge {
    key: String,
    label: String,
}

type Row = (
    i64,
    String,
    String,
    String,
    String,
    Option<String>,
    OffsetDateTime,
);

const COLUMNS: &str = "p.version, p.charges, p.eligibility, p.approved_by, p.approved_on, u.name, p.recorded_at \
     FROM pcg_policies p LEFT JOIN users u ON u.id = p.recorded_by";

fn version_of(row: Row) -> Result<PolicyVersion> {
    let (version, charges, eligibility, approved_by, approved_on, recorded_by, recorded_at) = row;
    let stored: Vec<StoredCharge> = serde_json::from_str(&charges)
        .map_err(|_| StoreError::Corrupt(format!("policy {version} charges")))?;
    Ok(PolicyVersion {
        version,
        charges: stored
            .into_iter()
            .map(|c| Charge {
                key: c.key,
                label: c.label,
            })
            .collect(),
        eligibility: Some(eligibility),
        approved_by: Some(approved_by),
        approved_on: Some(
            approved_on
                .parse()
                .map_err(|_| StoreError::Corrupt(format!("policy {version} day")))?,
        ),
        recorded_by,
        recorded_at: Some(recorded_at),
    })
}

impl Db {
    /// Every recorded version, newest first, then version 0 (the profile's list).
    pub async fn policy_history(&self, profile: &[Charge]) -> Result<Vec<PolicyVersion>> {
        let sql = format!("SELECT {COLUMNS} ORDER BY p.version DESC");
        let rows: Vec<Row> = on_pool!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .fetch_all(pool)
            .await?);
        let mut versions = rows
            .into_iter()
            .map(version_of)
            .collect::<Result<Vec<_>>>()?;
        versions.push(PolicyVersion::from_profile(profile));
        Ok(versions)
    }

    /// The policy in force: the newest version, or the profile's list.
    pub async fn current_policy(&self, profile: &[Charge]) -> Result<PolicyVersion> {
        let sql = format!("SELECT {COLUMNS} ORDER BY p.version DESC LIMIT 1");
        let row: Option<Row> = on_pool!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .fetch_optional(pool)
            .await?);
        match row {
            Some(row) => version_of(row),
            None => Ok(PolicyVersion::from_profile(profile)),
        }
    }

    /// Records `policy` as the version after `shown` (the version the form showed), in one
    /// transaction with its audit entry.
    pub async fn record_policy(
        &self,
        actor: &Actor,
        policy: &Policy,
        shown: i64,
        address: &str,
        now: OffsetDateTime,
    ) -> Result<PolicyRecorded> {
        let now = crate::truncate_to_micros(now);
        let charges: Vec<StoredCharge> = policy
            .charges
            .iter()
            .map(|c| StoredCharge {
                key: c.key.clone(),
                label: c.label.clone(),
            })
            .collect();
        let charges =
            serde_json::to_string(&charges).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        self.retrying(|| async {
            let mut tx = self.begin().await?;
            let current: i64 = on_tx!(&mut tx, c => sqlx::query_scalar(
                "SELECT CAST(COALESCE(MAX(version), 0) AS BIGINT) FROM pcg_policies",
            )
            .fetch_one(c)
            .await?);
            if current != shown {
                return Ok(PolicyRecorded::Stale(current));
            }
            let version = current + 1;
            // Two recording at once: the second insert of the same version fails on the key
            // (PostgreSQL) or waits for the one writer (SQLite) and is then stale above.
            on_tx!(&mut tx, c => sqlx::query(
                "INSERT INTO pcg_policies (version, charges, eligibility, approved_by, approved_on, recorded_by, recorded_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(version)
            .bind(&charges)
            .bind(&policy.eligibility)
            .bind(&policy.approved_by)
            .bind(policy.approved_on.to_string())
            .bind(actor.user_id().map(|u| u.to_string()))
            .bind(Stamp(now))
            .execute(c)
            .await?
            .rows_affected());
            let outcome = format!("ok: version {version}, {} charges", policy.charges.len());
            let entry = Entry::new(actor, "policy.record", ("pcg_policy", Some(version.to_string())), &outcome, now)
                .with_address(Some(address));
            tx.commit_with(entry).await?;
            Ok(PolicyRecorded::Recorded(version))
        })
        .await
    }
}
