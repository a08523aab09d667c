//! The job queue: reminders before a referral or inquiry is due, escalations when it is
//! overdue, and acknowledgement emails to referrers.
//!
//! Jobs live in the `jobs` table, keyed by what they are for (`referral.remind:<id>`), so the
//! same work is never queued twice. A worker claims one with a conditional `UPDATE … RETURNING`
//! that sets a lease (no advisory locks, no LISTEN/NOTIFY); the job's effect and its "done"
//! mark commit in one transaction, so a job that crashed half-way runs again from the start
//! and one that finished never runs again. Notifications and outbox messages carry unique keys
//! as a second guard.

use std::future::Future;
use std::pin::Pin;

use leadhub_domain::access::Role;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use crate::audit::{Actor, Entry};
use crate::triage::parse_code;
use crate::{Db, Result, Stamp, Tx, on_pool, on_tx};

/// How long a claimed job is its worker's before another may take it over.
pub const JOB_LEASE: Duration = Duration::minutes(2);

/// A reminder goes to the assignee this long before the answer is due.
pub const REMIND_BEFORE: Duration = Duration::hours(2);

/// What a job does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobKind {
    /// Before a referral is due: remind whoever has it (the project managers if no one).
    ReferralRemind,
    /// When a referral is due and unanswered: tell the project managers.
    ReferralEscalate,
    InquiryRemind,
    InquiryEscalate,
    /// Write the acknowledgement email to a referrer into the outbox.
    AcknowledgementEmail,
    /// Hand an outbox message to the mail server.
    SendEmail,
}

impl JobKind {
    pub const ALL: [JobKind; 6] = [
        JobKind::ReferralRemind,
        JobKind::ReferralEscalate,
        JobKind::InquiryRemind,
        JobKind::InquiryEscalate,
        JobKind::AcknowledgementEmail,
        JobKind::SendEmail,
    ];

    pub fn code(self) -> &'static str {
        match self {
            JobKind::ReferralRemind => "referral.remind",
            JobKind::ReferralEscalate => "referral.escalate",
            JobKind::InquiryRemind => "inquiry.remind",
            JobKind::InquiryEscalate => "inquiry.escalate",
            JobKind::AcknowledgementEmail => "email.acknowledge",
            JobKind::SendEmail => "email.send",
        }
    }

    fn parse(code: &str) -> Option<JobKind> {
        JobKind::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// A claimed job.
#[derive(Debug, Clone)]
pub struct Job {
    pub key: String,
    pub kind: JobKind,
    pub record_id: String,
    /// How many times it has been claimed, this time included.
    pub attempts: i64,
    /// The lease this worker holds; the job is finished only under it.
    lease: OffsetDateTime,
}

/// An email as leadhub writes it, in the recipient's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email {
    pub subject: String,
    pub body: String,
}

/// What jobs need from outside the store: the acknowledgement email's text (given only the
/// referral's language tag and reference code, the only facts it may carry) and, when a mail
/// server is set up, a way to send.
pub trait JobServices: Sync {
    fn acknowledgement(&self, language: &str, code: &str) -> Email;

    /// The mail server, if one is set up; without one, emails stay held in the outbox.
    fn mailer(&self) -> Option<&dyn Mailer> {
        None
    }
}

/// Hands an email to a mail server. The error text stays in the outbox row (it may name the
/// recipient), never in logs.
pub trait Mailer: Sync {
    fn send<'a>(
        &'a self,
        to: &'a str,
        email: &'a Email,
    ) -> Pin<Box<dyn Future<Output = std::result::Result<(), String>> + Send + 'a>>;
}

/// A message the mail server refused this many times is given up on (it stays in the outbox
/// with the last error, for an administrator).
pub const SEND_ATTEMPTS: i64 = 8;

/// A message in the outbox.
#[derive(Debug, Clone)]
pub struct OutboxMessage {
    pub created_at: OffsetDateTime,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub sent_at: Option<OffsetDateTime>,
    /// Why the mail server last refused it, if it did.
    pub last_error: Option<String>,
}

/// A reminder or escalation for one member of staff.
#[derive(Debug, Clone)]
pub struct Notification {
    pub created_at: OffsetDateTime,
    pub kind: String,
    pub record_type: String,
    pub record_id: String,
    pub body: String,
}

/// Queues a job unless one with the same key exists.
pub(crate) async fn enqueue(
    tx: &mut Tx,
    kind: JobKind,
    record_id: &str,
    run_at: OffsetDateTime,
) -> Result<()> {
    let key = format!("{}:{record_id}", kind.code());
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO jobs (job_key, kind, record_id, run_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (job_key) DO NOTHING",
    )
    .bind(&key)
    .bind(kind.code())
    .bind(record_id)
    .bind(Stamp(crate::truncate_to_micros(run_at)))
    .execute(c)
    .await?
    .rows_affected());
    Ok(())
}

/// Queues the reminder and the escalation of something received at `received` and due at
/// `due`.
pub(crate) async fn enqueue_clock(
    tx: &mut Tx,
    (remind, escalate): (JobKind, JobKind),
    record_id: &str,
    received: OffsetDateTime,
    due: OffsetDateTime,
) -> Result<()> {
    enqueue(tx, remind, record_id, (due - REMIND_BEFORE).max(received)).await?;
    enqueue(tx, escalate, record_id, due).await
}

/// Marks a job done under its lease and commits its effect with its audit entry; false (and
/// nothing committed) when the lease was lost to another worker.
async fn finish(mut tx: Tx, job: &Job, outcome: &str, now: OffsetDateTime) -> Result<bool> {
    let finished = on_tx!(&mut tx, c => sqlx::query(
        "UPDATE jobs SET done_at = $1, outcome = $2 WHERE job_key = $3 AND claimed_until = $4 AND done_at IS NULL",
    )
    .bind(Stamp(now))
    .bind(outcome)
    .bind(&job.key)
    .bind(Stamp(job.lease))
    .execute(c)
    .await?
    .rows_affected());
    if finished != 1 {
        // Dropping the transaction undoes the effect: the new holder does it.
        return Ok(false);
    }
    let entry = Entry::new(
        &Actor::System,
        job.kind.code(),
        ("job", Some(job.key.clone())),
        outcome,
        now,
    );
    tx.commit_with(entry).await?;
    Ok(true)
}

/// What a job's effect found, recorded as its outcome.
enum Effect {
    /// Nothing to do any more (answered meanwhile, say).
    Moot(&'static str),
    Notified(usize),
    Written,
}

impl Db {
    /// Claims the job that has waited longest among those due at `now`, if any.
    pub async fn claim_job(&self, now: OffsetDateTime) -> Result<Option<Job>> {
        let now = crate::truncate_to_micros(now);
        let lease = now + JOB_LEASE;
        self.retrying(|| async {
            let mut tx = self.begin().await?;
            // The outer condition is checked again on the row itself, so of two workers that
            // picked the same job only one gets it.
            let row: Option<(String, String, String, i64)> = on_tx!(&mut tx, c => sqlx::query_as(
                "UPDATE jobs SET claimed_until = $2, attempts = attempts + 1 \
                 WHERE job_key = (SELECT job_key FROM jobs WHERE done_at IS NULL AND run_at <= $1 \
                     AND (claimed_until IS NULL OR claimed_until < $1) ORDER BY run_at, job_key LIMIT 1) \
                 AND done_at IS NULL AND (claimed_until IS NULL OR claimed_until < $1) \
                 RETURNING job_key, kind, record_id, CAST(attempts AS BIGINT)",
            )
            .bind(Stamp(now))
            .bind(Stamp(lease))
            .fetch_optional(c)
            .await?);
            tx.commit().await?;
            Ok(row)
        })
        .await?
        .map(|(key, kind, record_id, attempts)| {
            let kind = JobKind::parse(&kind)
                .ok_or_else(|| crate::StoreError::Corrupt(format!("job kind {kind:?}")))?;
            Ok(Job {
                key,
                kind,
                record_id,
                attempts,
                lease,
            })
        })
        .transpose()
    }

    /// Does a claimed job: its effect, its "done" mark and its audit entry in one transaction.
    /// Returns false when the lease was lost (another worker has it now; nothing was done).
    pub async fn run_job(
        &self,
        job: &Job,
        services: &dyn JobServices,
        now: OffsetDateTime,
    ) -> Result<bool> {
        let now = crate::truncate_to_micros(now);
        if job.kind == JobKind::SendEmail {
            return self.send_email(job, services, now).await;
        }
        self.retrying(|| async {
            let mut tx = self.begin().await?;
            let effect = match job.kind {
                JobKind::ReferralRemind => {
                    remind(&mut tx, job, Clocked::Referral, false, now).await?
                }
                JobKind::ReferralEscalate => {
                    remind(&mut tx, job, Clocked::Referral, true, now).await?
                }
                JobKind::InquiryRemind => {
                    remind(&mut tx, job, Clocked::Inquiry, false, now).await?
                }
                JobKind::InquiryEscalate => {
                    remind(&mut tx, job, Clocked::Inquiry, true, now).await?
                }
                JobKind::AcknowledgementEmail => {
                    acknowledgement_email(&mut tx, job, services, now).await?
                }
                JobKind::SendEmail => Effect::Moot("sent elsewhere"),
            };
            let outcome = match effect {
                Effect::Moot(why) => format!("moot: {why}"),
                Effect::Notified(n) => format!("ok: {n} notified"),
                Effect::Written => "ok: written to the outbox".to_owned(),
            };
            finish(tx, job, &outcome, now).await
        })
        .await
    }

    /// Sends one outbox message. The network is never waited on inside a transaction (on
    /// SQLite that would hold the one writer): the message is read, sent, then marked. A crash
    /// between sending and marking sends it again (at least once, never lost).
    async fn send_email(
        &self,
        job: &Job,
        services: &dyn JobServices,
        now: OffsetDateTime,
    ) -> Result<bool> {
        type Row = (String, String, String, Option<OffsetDateTime>);
        let row: Option<Row> = on_pool!(self, pool => sqlx::query_as(
            "SELECT recipient, subject, body, sent_at FROM outbox WHERE id = $1",
        )
        .bind(&job.record_id)
        .fetch_optional(pool)
        .await?);
        let (Some((recipient, subject, body, None)), Some(mailer)) = (row, services.mailer())
        else {
            let tx = self.begin().await?;
            return finish(tx, job, "moot: sent already, gone, or no mail server", now).await;
        };
        // Still ours? A worker that stalled past its lease must not send a second copy.
        let held: Option<i64> = on_pool!(self, pool => sqlx::query_scalar(
            "SELECT CAST(1 AS BIGINT) FROM jobs WHERE job_key = $1 AND claimed_until = $2 AND done_at IS NULL",
        )
        .bind(&job.key)
        .bind(Stamp(job.lease))
        .fetch_optional(pool)
        .await?);
        if held.is_none() {
            return Ok(false);
        }
        let result = mailer.send(&recipient, &Email { subject, body }).await;
        self.retrying(|| async {
            let mut tx = self.begin().await?;
            match &result {
                Ok(()) => {
                    on_tx!(&mut tx, c => sqlx::query("UPDATE outbox SET sent_at = $2, last_error = NULL WHERE id = $1")
                        .bind(&job.record_id)
                        .bind(Stamp(now))
                        .execute(c)
                        .await?
                        .rows_affected());
                    finish(tx, job, "ok: sent", now).await
                }
                Err(error) => {
                    on_tx!(&mut tx, c => sqlx::query("UPDATE outbox SET last_error = $2 WHERE id = $1")
                        .bind(&job.record_id)
                        .bind(error.chars().take(500).collect::<String>())
                        .execute(c)
                        .await?
                        .rows_affected());
                    if job.attempts >= SEND_ATTEMPTS {
                        return finish(tx, job, "failed: the mail server refused it; see the outbox", now).await;
                    }
                    // Try again later: the lease is pushed out, doubling with each attempt.
                    let wait = Duration::minutes(1 << job.attempts.clamp(0, 10));
                    let held = on_tx!(&mut tx, c => sqlx::query(
                        "UPDATE jobs SET claimed_until = $1, outcome = 'retrying' WHERE job_key = $2 AND claimed_until = $3 AND done_at IS NULL",
                    )
                    .bind(Stamp(now + wait))
                    .bind(&job.key)
                    .bind(Stamp(job.lease))
                    .execute(c)
                    .await?
                    .rows_affected());
                    let entry = Entry::new(&Actor::System, job.kind.code(), ("job", Some(job.key.clone())), "retrying", now);
                    tx.commit_with(entry).await?;
                    Ok(held == 1)
                }
            }
        })
        .await
    }

    /// Claims and runs due jobs one after another, at most `at_most`; returns how many ran.
    /// `clock` is read for every claim, so a slow job (an email) does not leave the leases
    /// of the jobs after it already expired.
    pub async fn run_due_jobs(
        &self,
        services: &dyn JobServices,
        clock: &(dyn Fn() -> OffsetDateTime + Sync),
        at_most: usize,
    ) -> Result<usize> {
        let mut ran = 0;
        while ran < at_most {
            let Some(job) = self.claim_job(clock()).await? else {
                break;
            };
            if self.run_job(&job, services, clock()).await? {
                ran += 1;
            }
        }
        Ok(ran)
    }

    /// Queues the sending of every outbox message not yet sent (when a mail server has been
    /// set up since they were written). Returns how many.
    pub async fn queue_unsent_emails(&self, now: OffsetDateTime) -> Result<usize> {
        let ids: Vec<String> = on_pool!(self, pool => sqlx::query_scalar(
            "SELECT o.id FROM outbox o WHERE o.sent_at IS NULL AND NOT EXISTS \
             (SELECT 1 FROM jobs j WHERE j.job_key = 'email.send:' || o.id AND j.done_at IS NULL)",
        )
        .fetch_all(pool)
        .await?);
        for chunk in ids.chunks(500) {
            self.retrying(|| async {
                let mut tx = self.begin().await?;
                for id in chunk {
                    // A finished send job of the same key (given up, or from before) is
                    // replaced by a fresh one.
                    on_tx!(&mut tx, c => sqlx::query("DELETE FROM jobs WHERE job_key = $1 AND done_at IS NOT NULL")
                        .bind(format!("{}:{id}", JobKind::SendEmail.code()))
                        .execute(c)
                        .await?
                        .rows_affected());
                    enqueue(&mut tx, JobKind::SendEmail, id, now).await?;
                }
                tx.commit().await
            })
            .await?;
        }
        Ok(ids.len())
    }

    /// Queues reminders and escalations for everything still unanswered that has none: for
    /// referrals and inquiries received before the job queue existed, or by the demo.
    pub async fn ensure_clock_jobs(&self) -> Result<usize> {
        let mut queued = 0;
        for clocked in [Clocked::Referral, Clocked::Inquiry] {
            let rows: Vec<(String, OffsetDateTime, OffsetDateTime)> = on_pool!(self, pool => sqlx::query_as(clocked.missing_jobs())
                .fetch_all(pool)
                .await?);
            for chunk in rows.chunks(500) {
                self.retrying(|| async {
                    let mut tx = self.begin().await?;
                    for (id, received, due) in chunk {
                        enqueue_clock(&mut tx, clocked.jobs(), id, *received, *due).await?;
                    }
                    tx.commit().await
                })
                .await?;
                queued += chunk.len();
            }
        }
        Ok(queued)
    }

    /// The newest notifications for one member of staff (at most 20, from the last 14 days).
    pub async fn notifications_for(
        &self,
        user: leadhub_domain::ids::UserId,
        now: OffsetDateTime,
    ) -> Result<Vec<Notification>> {
        type Row = (OffsetDateTime, String, String, String, String);
        let rows: Vec<Row> = on_pool!(self, pool => sqlx::query_as(
            "SELECT created_at, kind, record_type, record_id, body FROM notifications \
             WHERE user_id = $1 AND created_at > $2 ORDER BY created_at DESC, id DESC LIMIT 20",
        )
        .bind(user.to_string())
        .bind(Stamp(now - Duration::days(14)))
        .fetch_all(pool)
        .await?);
        Ok(rows
            .into_iter()
            .map(
                |(created_at, kind, record_type, record_id, body)| Notification {
                    created_at,
                    kind,
                    record_type,
                    record_id,
                    body,
                },
            )
            .collect())
    }

    /// The outbox, newest first (at most 200). An audited read: it holds referrers' addresses.
    pub async fn outbox(
        &self,
        actor: &Actor,
        address: &str,
        now: OffsetDateTime,
    ) -> Result<Vec<OutboxMessage>> {
        type Row = (
            OffsetDateTime,
            String,
            String,
            String,
            Option<OffsetDateTime>,
            Option<String>,
        );
        let mut tx = self.begin_read().await?;
        let rows: Vec<Row> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT created_at, recipient, subject, body, sent_at, last_error FROM outbox \
             ORDER BY created_at DESC, id DESC LIMIT 200",
        )
        .fetch_all(c)
        .await?);
        tx.commit().await?;
        let outcome = format!("ok: {} shown", rows.len());
        let entry = Entry::new(actor, "outbox.read", ("outbox", None), &outcome, now)
            .with_address(Some(address));
        self.audit_read(entry).await?;
        Ok(rows
            .into_iter()
            .map(
                |(created_at, recipient, subject, body, sent_at, last_error)| OutboxMessage {
                    created_at,
                    recipient,
                    subject,
                    body,
                    sent_at,
                    last_error,
                },
            )
            .collect())
    }

    /// How many jobs are waiting, and how many are done (for tests and benchmarks).
    pub async fn job_counts(&self) -> Result<(i64, i64)> {
        Ok(on_pool!(self, pool => sqlx::query_as(
            "SELECT COUNT(*) FILTER (WHERE done_at IS NULL), COUNT(*) FILTER (WHERE done_at IS NOT NULL) FROM jobs",
        )
        .fetch_one(pool)
        .await?))
    }
}

/// The two things that run on the one-business-day clock.
#[derive(Debug, Clone, Copy)]
enum Clocked {
    Referral,
    Inquiry,
}

impl Clocked {
    fn jobs(self) -> (JobKind, JobKind) {
        match self {
            Clocked::Referral => (JobKind::ReferralRemind, JobKind::ReferralEscalate),
            Clocked::Inquiry => (JobKind::InquiryRemind, JobKind::InquiryEscalate),
        }
    }

    fn name(self) -> &'static str {
        match self {
            Clocked::Referral => "referral",
            Clocked::Inquiry => "inquiry",
        }
    }

    /// Whether it is still waiting for an answer, its code, and who has it.
    fn unanswered(self) -> &'static str {
        match self {
            Clocked::Referral => {
                "SELECT reference_code, assigned_to FROM referrals WHERE id = $1 AND state = 'received' AND answered_at IS NULL"
            }
            Clocked::Inquiry => {
                "SELECT reference_code, assigned_to FROM inquiries WHERE id = $1 AND state = 'received' AND answered_at IS NULL"
            }
        }
    }

    fn missing_jobs(self) -> &'static str {
        match self {
            Clocked::Referral => {
                "SELECT r.id, r.received_at, r.due_at FROM referrals r WHERE r.state = 'received' AND r.answered_at IS NULL \
                 AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.job_key = 'referral.escalate:' || r.id)"
            }
            Clocked::Inquiry => {
                "SELECT i.id, i.received_at, i.due_at FROM inquiries i WHERE i.state = 'received' AND i.answered_at IS NULL \
                 AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.job_key = 'inquiry.escalate:' || i.id)"
            }
        }
    }
}

/// A reminder (to whoever has it, or the project managers) or an escalation (to the project
/// managers), if the referral or inquiry is still unanswered.
async fn remind(
    tx: &mut Tx,
    job: &Job,
    clocked: Clocked,
    escalate: bool,
    now: OffsetDateTime,
) -> Result<Effect> {
    let row: Option<(String, Option<String>)> = on_tx!(tx, c => sqlx::query_as(clocked.unanswered())
        .bind(&job.record_id)
        .fetch_optional(c)
        .await?);
    let Some((code, assigned)) = row else {
        return Ok(Effect::Moot("answered or closed"));
    };
    let code = code
        .parse::<leadhub_domain::ReferenceCode>()
        .map_or(code, |c| c.to_string());
    let recipients: Vec<String> = match (&assigned, escalate) {
        (Some(user), false) => vec![user.clone()],
        _ => on_tx!(tx, c => sqlx::query_scalar(
            "SELECT id FROM users WHERE role = $1 AND NOT disabled ORDER BY id",
        )
        .bind(Role::ProjectManager.code())
        .fetch_all(c)
        .await?),
    };
    let what = clocked.name();
    let body = match (escalate, &assigned) {
        (true, _) => format!("Overdue: {what} {code} was due and no one has answered yet."),
        (false, Some(_)) => format!("Due soon: your {what} {code} has not been answered yet."),
        (false, None) => format!("Due soon: {what} {code} has no one assigned and no answer yet."),
    };
    for user in &recipients {
        let note = Notice {
            kind: job.kind.code(),
            record: (what, &job.record_id),
            body: &body,
            dedupe_key: &format!("{}:{user}", job.key),
        };
        notify(tx, user, note, now).await?;
    }
    Ok(Effect::Notified(recipients.len()))
}

/// A notification on someone's staff home page.
pub(crate) struct Notice<'a> {
    pub kind: &'a str,
    /// What it is about: (record type, id). The home page links there.
    pub record: (&'a str, &'a str),
    /// Words without anyone's name: the page it links to is behind its own checks.
    pub body: &'a str,
    /// The same key twice is one notification.
    pub dedupe_key: &'a str,
}

pub(crate) async fn notify(
    tx: &mut Tx,
    user: &str,
    note: Notice<'_>,
    now: OffsetDateTime,
) -> Result<()> {
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO notifications (id, user_id, created_at, kind, record_type, record_id, body, dedupe_key) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (dedupe_key) DO NOTHING",
    )
    .bind(Uuid::now_v7().to_string())
    .bind(user)
    .bind(Stamp(now))
    .bind(note.kind)
    .bind(note.record.0)
    .bind(note.record.1)
    .bind(note.body)
    .bind(note.dedupe_key)
    .execute(c)
    .await?
    .rows_affected());
    Ok(())
}

/// Writes the acknowledgement email into the outbox, in the referrer's language.
async fn acknowledgement_email(
    tx: &mut Tx,
    job: &Job,
    services: &dyn JobServices,
    now: OffsetDateTime,
) -> Result<Effect> {
    let row: Option<(Option<String>, String, String)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT referrer_email, language, reference_code FROM referrals WHERE id = $1 AND wants_follow_up",
    )
    .bind(&job.record_id)
    .fetch_optional(c)
    .await?);
    let Some((Some(recipient), language, code)) = row else {
        return Ok(Effect::Moot("no email address, or no follow-up wanted"));
    };
    let code: String =
        parse_code::<leadhub_domain::ReferenceCode>(&code, "reference code")?.to_string();
    let email = services.acknowledgement(&language, &code);
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO outbox (id, created_at, recipient, subject, body, record_type, record_id, dedupe_key) \
         VALUES ($1, $2, $3, $4, $5, 'referral', $6, $7) ON CONFLICT (dedupe_key) DO NOTHING",
    )
    .bind(Uuid::now_v7().to_string())
    .bind(Stamp(now))
    .bind(&recipient)
    .bind(&email.subject)
    .bind(&email.body)
    .bind(&job.record_id)
    .bind(&job.key)
    .execute(c)
    .await?
    .rows_affected());
    if services.mailer().is_some() {
        let id: String = on_tx!(tx, c => sqlx::query_scalar("SELECT id FROM outbox WHERE dedupe_key = $1")
            .bind(&job.key)
            .fetch_one(c)
            .await?);
        enqueue(tx, JobKind::SendEmail, &id, now).await?;
    }
    Ok(Effect::Written)
}
