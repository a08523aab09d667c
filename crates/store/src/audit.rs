//! The audit log: append-only and hash-chained.
//!
//! Each entry's hash covers its own fields and the previous entry's hash, so editing, deleting
//! or reordering any entry breaks every hash after it. Entries are numbered without gaps. The
//! one-row `audit_head` holds the last number and hash: appending locks it, so concurrent
//! appends queue, and verification compares the chain's end with it.

use sha2::{Digest, Sha256};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::{Db, Result, Stamp, Tx, on_pool, on_tx};

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

const TAKE_NEXT_NUMBER: &str =
    "UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash";
const MOVE_HEAD: &str = "UPDATE audit_head SET hash = $1 WHERE id = 1";
const READ_HEAD: &str = "SELECT seq, hash FROM audit_head WHERE id = 1";
const INSERT_ENTRY: &str = "INSERT INTO audit_log \
     (seq, at, actor, action, record_type, record_id, outcome, prev_hash, hash) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
const READ_PAGE: &str = "SELECT seq, at, actor, action, record_type, record_id, outcome, prev_hash, hash \
     FROM audit_log WHERE seq >= $1 ORDER BY seq LIMIT $2";

/// Appends an entry inside the caller's transaction.
///
/// Taking the next number updates the single `audit_head` row, which locks it until the
/// transaction ends: a concurrent append waits there and then sees the new head. No advisory
/// lock and no retry needed, on any engine with row locks.
pub(crate) async fn append(tx: &mut Tx, entry: Entry<'_>) -> Result<()> {
    let (seq, prev): (i64, String) =
        on_tx!(tx, c => sqlx::query_as(TAKE_NEXT_NUMBER).fetch_one(c).await?);
    let at = crate::truncate_to_micros(entry.at);
    let record_id = entry.record_id.unwrap_or_default();
    let fields = [
        entry.actor.as_str(),
        entry.action,
        entry.record_type,
        &record_id,
        entry.outcome,
        &prev,
    ];
    let digest = hash(seq, at, fields);
    let record_id = Some(record_id.clone()).filter(|r| !r.is_empty());
    on_tx!(tx, c => sqlx::query(INSERT_ENTRY)
        .bind(seq)
        .bind(Stamp(at))
        .bind(entry.actor.as_str())
        .bind(entry.action)
        .bind(entry.record_type)
        .bind(&record_id)
        .bind(entry.outcome)
        .bind(&prev)
        .bind(&digest)
        .execute(c)
        .await?
        .rows_affected());
    on_tx!(tx, c => sqlx::query(MOVE_HEAD).bind(&digest).execute(c).await?.rows_affected());
    Ok(())
}

impl Db {
    /// Walks the whole audit log in order and checks every number, link and hash.
    pub async fn verify_audit_chain(&self) -> Result<AuditVerification> {
        const PAGE: i64 = 10_000;
        // The head first: entries appended while we walk come after it and are left for the
        // next run, instead of looking like a mismatch. An entry and the head that records it
        // commit together, so every entry up to the head is visible to the reads below.
        let head: Option<(i64, String)> =
            on_pool!(self, pool => sqlx::query_as(READ_HEAD).fetch_optional(pool).await?);
        let Some((head_seq, head_hash)) = head else {
            return Ok(AuditVerification::Broken {
                seq: 1,
                reason: "the audit head is missing".into(),
            });
        };
        let mut expected_seq = 1;
        let mut prev = GENESIS.to_owned();
        while expected_seq <= head_seq {
            let rows: Vec<Row> = on_pool!(self, pool => sqlx::query_as(READ_PAGE)
                .bind(expected_seq)
                .bind(PAGE.min(head_seq - expected_seq + 1))
                .fetch_all(pool)
                .await?);
            if rows.is_empty() {
                break;
            }
            for (seq, at, actor, action, record_type, record_id, outcome, prev_hash, stored) in rows
            {
                let broken = |reason: String| Ok(AuditVerification::Broken { seq, reason });
                if seq != expected_seq {
                    return Ok(AuditVerification::Broken {
                        seq: expected_seq,
                        reason: format!("entry {expected_seq} is missing (next is {seq})"),
                    });
                }
                if prev_hash != prev {
                    return broken("does not link to the entry before it".into());
                }
                let record_id = record_id.unwrap_or_default();
                let fields = [
                    &actor,
                    &action,
                    &record_type,
                    &record_id,
                    &outcome,
                    &prev_hash,
                ];
                if hash(seq, at, fields.map(String::as_str)) != stored {
                    return broken("its content does not match its hash".into());
                }
                prev = stored;
                expected_seq += 1;
            }
        }
        let last_seq = expected_seq - 1;
        if last_seq != head_seq {
            return Ok(AuditVerification::Broken {
                seq: last_seq + 1,
                reason: format!(
                    "the log ends at entry {last_seq} but its head records entry {head_seq}"
                ),
            });
        }
        if prev != head_hash {
            return Ok(AuditVerification::Broken {
                seq: last_seq,
                reason: "the last entry's hash differs from the one its head records".into(),
            });
        }
        Ok(AuditVerification::Intact {
            entries: u64::try_from(last_seq).unwrap_or(0),
        })
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
