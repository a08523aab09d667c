//! The audit log: append-only and hash-chained.
//!
//! Each entry's hash covers its own fields and the previous entry's hash, so editing, deleting
//! or reordering any entry breaks every hash after it. Entries are numbered without gaps;
//! two transactions appending at once collide on the number and one of them is retried.

use sha2::{Digest, Sha256};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::{Db, Result, StoreError, Tx, on_pool, on_tx};

/// The hash that comes "before" the first entry.
const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Who did something.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    /// Someone using a public form, unauthenticated.
    Public,
    /// leadhub itself (migrations, demo data, scheduled jobs).
    System,
}

impl Actor {
    pub fn as_str(&self) -> &str {
        match self {
            Actor::Public => "public",
            Actor::System => "system",
        }
    }
}

/// One thing to record.
#[derive(Debug, Clone)]
pub(crate) struct Entry<'a> {
    pub actor: &'a Actor,
    pub action: &'a str,
    pub record_type: &'a str,
    pub record_id: Option<String>,
    pub outcome: &'a str,
    pub at: OffsetDateTime,
}

/// The result of checking the whole chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuditVerification {
    Intact {
        entries: u64,
    },
    /// The first entry whose number, link or hash is wrong.
    Broken {
        seq: i64,
        reason: String,
    },
}

type Row = (
    i64,
    OffsetDateTime,
    String,
    String,
    String,
    Option<String>,
    String,
    String,
    String,
);

/// The chained hash of one entry: its number, time and text fields (actor, action, record
/// type, record id, outcome, previous hash), each followed by a separator.
fn hash(seq: i64, at: OffsetDateTime, fields: [&str; 6]) -> String {
    let at = at.format(&Rfc3339).unwrap_or_default();
    let mut h = Sha256::new();
    for field in [seq.to_string().as_str(), at.as_str()]
        .into_iter()
        .chain(fields)
    {
        h.update(field.as_bytes());
        // 0x1f cannot be typed into any field, so fields cannot shift into each other.
        h.update([0x1f]);
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Appends an entry inside the caller's transaction.
pub(crate) async fn append(tx: &mut Tx, entry: Entry<'_>) -> Result<()> {
    let last: Option<(i64, String)> = on_tx!(tx, c => sqlx::query_as("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")
        .fetch_optional(c)
        .await?);
    let (seq, prev) = match last {
        Some((seq, hash)) => (seq + 1, hash),
        None => (1, GENESIS.to_owned()),
    };
    let at = crate::truncate_to_micros(entry.at);
    let record_id = entry.record_id.unwrap_or_default();
    let digest = hash(
        seq,
        at,
        [
            entry.actor.as_str(),
            entry.action,
            entry.record_type,
            &record_id,
            entry.outcome,
            &prev,
        ],
    );
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO audit_log (seq, at, actor, action, record_type, record_id, outcome, prev_hash, hash) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(seq)
    .bind(at)
    .bind(entry.actor.as_str())
    .bind(entry.action)
    .bind(entry.record_type)
    .bind(Some(record_id).filter(|r| !r.is_empty()))
    .bind(entry.outcome)
    .bind(&prev)
    .bind(&digest)
    .execute(c)
    .await?.rows_affected());
    Ok(())
}

impl Db {
    /// Walks the whole audit log in order and checks every number, link and hash.
    pub async fn verify_audit_chain(&self) -> Result<AuditVerification> {
        const PAGE: i64 = 10_000;
        let mut expected_seq = 1;
        let mut prev = GENESIS.to_owned();
        loop {
            let rows: Vec<Row> = on_pool!(self, pool => sqlx::query_as(
                "SELECT seq, at, actor, action, record_type, record_id, outcome, prev_hash, hash \
                 FROM audit_log WHERE seq >= $1 ORDER BY seq LIMIT $2",
            )
            .bind(expected_seq)
            .bind(PAGE)
            .fetch_all(pool)
            .await?);
            let count = rows.len();
            for (seq, at, actor, action, record_type, record_id, outcome, prev_hash, stored) in rows
            {
                let broken = |reason: &str| {
                    Ok(AuditVerification::Broken {
                        seq,
                        reason: reason.to_owned(),
                    })
                };
                if seq != expected_seq {
                    return Ok(AuditVerification::Broken {
                        seq: expected_seq,
                        reason: format!("entry {expected_seq} is missing (next is {seq})"),
                    });
                }
                if prev_hash != prev {
                    return broken("does not link to the entry before it");
                }
                let record_id = record_id.unwrap_or_default();
                if hash(
                    seq,
                    at,
                    [
                        &actor,
                        &action,
                        &record_type,
                        &record_id,
                        &outcome,
                        &prev_hash,
                    ],
                ) != stored
                {
                    return broken("its content does not match its hash");
                }
                prev = stored;
                expected_seq += 1;
            }
            if count < usize::try_from(PAGE).map_err(|e| StoreError::Corrupt(e.to_string()))? {
                return Ok(AuditVerification::Intact {
                    entries: u64::try_from(expected_seq - 1).unwrap_or(0),
                });
            }
        }
    }

    /// How many audit entries there are (for tests and the admin overview).
    pub async fn audit_len(&self) -> Result<i64> {
        Ok(
            on_pool!(self, pool => sqlx::query_scalar("SELECT COUNT(*) FROM audit_log").fetch_one(pool).await?),
        )
    }

    /// The last `n` entries as (seq, actor, action, record type, record id), newest first.
    pub async fn recent_audit(
        &self,
        n: i64,
    ) -> Result<Vec<(i64, String, String, String, Option<String>)>> {
        Ok(on_pool!(self, pool => sqlx::query_as(
            "SELECT seq, actor, action, record_type, record_id FROM audit_log ORDER BY seq DESC LIMIT $1",
        )
        .bind(n)
        .fetch_all(pool)
        .await?))
    }
}
