//! The audit log: append-only and hash-chained.
//!
//! Each entry's hash covers its own fields and the previous entry's hash, so editing, deleting
//! or reordering any entry breaks every hash after it. Entries are numbered without gaps. The
//! one-row `audit_head` holds the last number and hash: appending locks it, so concurrent
//! appends queue, and verification compares the chain's end with it.

use std::borrow::Cow;

use leadhub_domain::access::Role;
use leadhub_domain::ids::UserId;
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
    /// Someone at the command line of the server (`leadhub user add`).
    Operator,
    /// A signed-in member of staff, with the role they held at that moment.
    User { id: UserId, role: Role },
}

impl Actor {
    /// The member of staff acting, if it is one.
    pub fn user_id(&self) -> Option<leadhub_domain::ids::UserId> {
        match self {
            Actor::User { id, .. } => Some(*id),
            _ => None,
        }
    }
}

impl Actor {
    /// How the actor is written in the log: `public`, `system`, `operator` or `user:<id>`.
    pub fn as_str(&self) -> Cow<'static, str> {
        match self {
            Actor::Public => Cow::Borrowed("public"),
            Actor::System => Cow::Borrowed("system"),
            Actor::Operator => Cow::Borrowed("operator"),
            Actor::User { id, .. } => Cow::Owned(format!("user:{id}")),
        }
    }

    pub fn role(&self) -> Option<Role> {
        match self {
            Actor::User { role, .. } => Some(*role),
            Actor::Public | Actor::System | Actor::Operator => None,
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
    /// The network address the request came from, if there was a request.
    pub address: Option<&'a str>,
    /// The person (or participant) the record is about, so the log can be searched by person.
    pub subject: Option<String>,
}

impl<'a> Entry<'a> {
    /// An entry with no address and no subject.
    pub fn new(
        actor: &'a Actor,
        action: &'a str,
        record: (&'a str, Option<String>),
        outcome: &'a str,
        at: OffsetDateTime,
    ) -> Self {
        Self {
            actor,
            action,
            record_type: record.0,
            record_id: record.1,
            outcome,
            at,
            address: None,
            subject: None,
        }
    }

    pub fn with_address(mut self, address: Option<&'a str>) -> Self {
        self.address = address;
        self
    }
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

#[derive(sqlx::FromRow)]
struct Row {
    seq: i64,
    at: OffsetDateTime,
    actor: String,
    action: String,
    record_type: String,
    record_id: Option<String>,
    outcome: String,
    role: Option<String>,
    address: Option<String>,
    subject: Option<String>,
    prev_hash: String,
    hash: String,
}

impl Row {
    fn digest(&self) -> String {
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        let base = [
            self.actor.clone(),
            self.action.clone(),
            self.record_type.clone(),
            text(&self.record_id),
            self.outcome.clone(),
            self.prev_hash.clone(),
        ];
        let context = [text(&self.role), text(&self.address), text(&self.subject)];
        hash(self.seq, self.at, &base, &context)
    }
}

/// The chained hash of one entry: its number, time and text fields (actor, action, record
/// type, record id, outcome, previous hash), each followed by a separator; then, if any is
/// set, role, address and subject. (Entries written before those columns existed have none,
/// and keep the hash they were written with.)
fn hash(seq: i64, at: OffsetDateTime, base: &[String; 6], context: &[String; 3]) -> String {
    let at = at.format(&Rfc3339).unwrap_or_default();
    let mut h = Sha256::new();
    let context: &[String] = if context.iter().any(|c| !c.is_empty()) {
        context
    } else {
        &[]
    };
    for field in [seq.to_string().as_str(), at.as_str()]
        .into_iter()
        .chain(base.iter().map(String::as_str))
        .chain(context.iter().map(String::as_str))
    {
        h.update(field.as_bytes());
        // 0x1f cannot be typed into any field, so fields cannot shift into each other.
        h.update([0x1f]);
    }
    leadhub_domain::credentials::hex(&h.finalize())
}

const TAKE_NEXT_NUMBER: &str =
    "UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash";
const MOVE_HEAD: &str = "UPDATE audit_head SET hash = $1 WHERE id = 1";
const READ_HEAD: &str = "SELECT seq, hash FROM audit_head WHERE id = 1";
const INSERT_ENTRY: &str = "INSERT INTO audit_log \
     (seq, at, actor, action, record_type, record_id, outcome, role, address, subject, prev_hash, hash) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)";
const READ_PAGE: &str = "SELECT seq, at, actor, action, record_type, record_id, outcome, \
     role, address, subject, prev_hash, hash FROM audit_log WHERE seq >= $1 ORDER BY seq LIMIT $2";

/// Appends an entry inside the caller's transaction.
///
/// Taking the next number updates the single `audit_head` row, which locks it until the
/// transaction ends: a concurrent append waits there and then sees the new head. No advisory
/// lock and no retry needed, on any engine with row locks.
pub(crate) async fn append(tx: &mut Tx, entry: Entry<'_>) -> Result<()> {
    let (seq, prev): (i64, String) =
        on_tx!(tx, c => sqlx::query_as(TAKE_NEXT_NUMBER).fetch_one(c).await?);
    let mut row = Row {
        seq,
        at: crate::truncate_to_micros(entry.at),
        actor: entry.actor.as_str().into_owned(),
        action: entry.action.to_owned(),
        record_type: entry.record_type.to_owned(),
        record_id: entry.record_id.filter(|r| !r.is_empty()),
        outcome: entry.outcome.to_owned(),
        role: entry.actor.role().map(|r| r.code().to_owned()),
        address: entry.address.map(str::to_owned),
        subject: entry.subject.filter(|s| !s.is_empty()),
        prev_hash: prev,
        hash: String::new(),
    };
    row.hash = row.digest();
    on_tx!(tx, c => sqlx::query(INSERT_ENTRY)
        .bind(row.seq)
        .bind(Stamp(row.at))
        .bind(&row.actor)
        .bind(&row.action)
        .bind(&row.record_type)
        .bind(&row.record_id)
        .bind(&row.outcome)
        .bind(&row.role)
        .bind(&row.address)
        .bind(&row.subject)
        .bind(&row.prev_hash)
        .bind(&row.hash)
        .execute(c)
        .await?
        .rows_affected());
    on_tx!(tx, c => sqlx::query(MOVE_HEAD).bind(&row.hash).execute(c).await?.rows_affected());
    Ok(())
}

impl Db {
    /// Records something that changed nothing else (a refused request, a failed attempt), in
    /// a transaction of its own.
    pub(crate) async fn record_alone(&self, entry: Entry<'_>) -> Result<()> {
        self.retrying(|| async {
            let mut tx = self.begin().await?;
            append(&mut tx, entry.clone()).await?;
            tx.commit().await
        })
        .await
    }

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
            for row in rows {
                let seq = row.seq;
                let broken = |reason: String| Ok(AuditVerification::Broken { seq, reason });
                if seq != expected_seq {
                    return Ok(AuditVerification::Broken {
                        seq: expected_seq,
                        reason: format!("entry {expected_seq} is missing (next is {seq})"),
                    });
                }
                if row.prev_hash != prev {
                    return broken("does not link to the entry before it".into());
                }
                if row.digest() != row.hash {
                    return broken("its content does not match its hash".into());
                }
                prev = row.hash;
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

/// What to look for in the audit log; empty texts and missing times match everything.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    /// `user:<id>`, `public`, `system` or `operator`.
    pub actor: String,
    pub record_id: String,
    /// The person the entry is about.
    pub subject: String,
    pub from: Option<OffsetDateTime>,
    pub until: Option<OffsetDateTime>,
    /// Only entries numbered below this (the next page).
    pub before_seq: Option<i64>,
}

/// One entry, as the audit page shows it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AuditRow {
    pub seq: i64,
    pub at: OffsetDateTime,
    pub actor: String,
    pub role: Option<String>,
    pub action: String,
    pub record_type: String,
    pub record_id: Option<String>,
    pub subject: Option<String>,
    pub address: Option<String>,
    pub outcome: String,
}

const FILTER_ENTRIES: &str = "SELECT seq, at, actor, role, action, record_type, record_id, \
     subject, address, outcome FROM audit_log \
     WHERE ($1 = '' OR actor = $1) AND ($2 = '' OR record_id = $2) AND ($3 = '' OR subject = $3) \
     AND at >= $4 AND at < $5 AND seq < $6 ORDER BY seq DESC LIMIT $7";

impl Db {
    /// Entries matching `filter`, newest first, at most `limit`. Reading the log is itself
    /// recorded in it (an audited read: the entries are returned once the record is durable).
    pub async fn audit_entries(
        &self,
        filter: &AuditFilter,
        limit: i64,
        reader: &Actor,
        address: &str,
    ) -> Result<Vec<AuditRow>> {
        let from = filter.from.unwrap_or(OffsetDateTime::UNIX_EPOCH);
        let until = filter
            .until
            .unwrap_or_else(|| crate::now() + time::Duration::days(1));
        let mut tx = self.begin_read().await?;
        let rows: Vec<AuditRow> = on_tx!(&mut tx, c => sqlx::query_as(FILTER_ENTRIES)
            .bind(&filter.actor)
            .bind(&filter.record_id)
            .bind(&filter.subject)
            .bind(Stamp(from))
            .bind(Stamp(until))
            .bind(filter.before_seq.unwrap_or(i64::MAX))
            .bind(limit)
            .fetch_all(c)
            .await?);
        tx.commit().await?;
        // What was looked for is part of what was seen.
        let outcome = format!(
            "ok: {} entries; actor={} record={} subject={} from={} until={} before={}",
            rows.len(),
            filter.actor,
            filter.record_id,
            filter.subject,
            filter.from.map(|t| t.to_string()).unwrap_or_default(),
            filter.until.map(|t| t.to_string()).unwrap_or_default(),
            filter.before_seq.map(|s| s.to_string()).unwrap_or_default(),
        );
        let entry = Entry::new(
            reader,
            "audit.view",
            ("audit_log", None),
            &outcome,
            crate::now(),
        )
        .with_address(Some(address));
        self.audit_read(entry).await?;
        Ok(rows)
    }
}

impl Db {
    /// Appends `n` chained entries (actor `system`, action `bench.entry`) in transactions of
    /// 10,000. For measuring `audit verify` on a long log (`benches/accounts.rs`); nothing
    /// in leadhub calls it.
    #[doc(hidden)]
    pub async fn append_bench_entries(&self, n: u64) -> Result<()> {
        let mut left = n;
        while left > 0 {
            let batch = left.min(10_000);
            let mut tx = self.begin().await?;
            for i in 0..batch {
                let entry = Entry::new(
                    &Actor::System,
                    "bench.entry",
                    ("bench", Some(i.to_string())),
                    "ok",
                    crate::now(),
                );
                append(&mut tx, entry).await?;
            }
            tx.commit().await?;
            left -= batch;
        }
        Ok(())
    }
}
