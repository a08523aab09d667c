//! Inquiry (contact form) use cases.

use leadhub_domain::inquiry::{InquiryError, InquiryState, NewInquiry};
use leadhub_domain::triage::{ClosureReason, ContactMethod};
use leadhub_domain::{InquiryId, ReferenceCode};
use time::OffsetDateTime;

use crate::audit::{Actor, Entry};
use crate::jobs::JobKind;
use crate::triage::{Edit, Refusal, Taken, Triaged, Versioned, parse_code, take};
use crate::{Db, Result, Stamp, on_pool, on_tx};

/// What the inquirer is told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceivedInquiry {
    pub id: InquiryId,
    pub code: ReferenceCode,
    pub received_at: OffsetDateTime,
    pub due_at: OffsetDateTime,
}

const INSERT_INQUIRY: &str = "INSERT INTO inquiries (id, reference_code, state, language, received_at, \
     due_at, name, reach, message, preferred_language) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";
const SELECT_INQUIRY: &str =
    "SELECT id, name, reach, message, preferred_language FROM inquiries WHERE reference_code = $1";

/// An inquiry as stored: (name, reach, message, preferred language).
pub type StoredInquiry = (Option<String>, String, String, String);

impl Db {
    /// Stores a message from the contact form with its audit entry.
    pub async fn submit_inquiry(
        &self,
        inquiry: &NewInquiry,
        received_at: OffsetDateTime,
        due_at: OffsetDateTime,
    ) -> Result<ReceivedInquiry> {
        let received_at = crate::truncate_to_micros(received_at);
        let due_at = crate::truncate_to_micros(due_at);
        self.retrying(|| async {
            let mut tx = self.begin().await?;
            let received = ReceivedInquiry {
                id: InquiryId::new(),
                code: ReferenceCode::random(),
                received_at,
                due_at,
            };
            on_tx!(&mut tx, c => sqlx::query(INSERT_INQUIRY)
            .bind(received.id.to_string())
            .bind(received.code.as_str())
            .bind("received")
            .bind(inquiry.language.tag())
            .bind(Stamp(received_at))
            .bind(Stamp(due_at))
            .bind(inquiry.name.as_deref())
            .bind(inquiry.reach.to_string())
            .bind(&inquiry.message)
            .bind(inquiry.preferred_language.code())
            .execute(c)
            .await?.rows_affected());
            crate::jobs::enqueue_clock(
                &mut tx,
                (JobKind::InquiryRemind, JobKind::InquiryEscalate),
                &received.id.to_string(),
                received_at,
                due_at,
            )
            .await?;
            tx.commit_with(Entry {
                actor: &Actor::Public,
                action: "inquiry.submit",
                record_type: "inquiry",
                record_id: Some(received.id.to_string()),
                outcome: "ok",
                at: received_at,
                address: None,
                subject: None,
            })
            .await?;
            Ok(received)
        })
        .await
    }

    /// When an inquiry is due, for its confirmation page (nothing personal).
    pub async fn inquiry_due(&self, code: &ReferenceCode) -> Result<Option<OffsetDateTime>> {
        Ok(
            on_pool!(self, pool => sqlx::query_scalar("SELECT due_at FROM inquiries WHERE reference_code = $1")
            .bind(code.as_str())
            .fetch_optional(pool)
            .await?),
        )
    }

    /// The stored inquiry with `code`, read by `actor` and audited.
    pub async fn read_inquiry(
        &self,
        code: &ReferenceCode,
        actor: &Actor,
    ) -> Result<Option<StoredInquiry>> {
        self.retrying(|| self.read_inquiry_once(code, actor)).await
    }

    async fn read_inquiry_once(
        &self,
        code: &ReferenceCode,
        actor: &Actor,
    ) -> Result<Option<StoredInquiry>> {
        let mut tx = self.begin().await?;
        let row: Option<(String, Option<String>, String, String, String)> = on_tx!(&mut tx, c => sqlx::query_as(SELECT_INQUIRY).bind(code.as_str()).fetch_optional(c).await?);
        let entry = Entry {
            actor,
            action: "inquiry.read",
            record_type: "inquiry",
            record_id: row.as_ref().map(|r| r.0.clone()),
            outcome: if row.is_some() { "ok" } else { "not_found" },
            at: crate::now(),
            address: None,
            subject: None,
        };
        tx.commit_with(entry).await?;
        Ok(row.map(|(_, name, reach, message, lang)| (name, reach, message, lang)))
    }
}

/// One line of the inquiry queue.
#[derive(Debug, Clone)]
pub struct InquiryLine {
    pub id: InquiryId,
    pub code: String,
    pub state: InquiryState,
    pub received_at: OffsetDateTime,
    pub due_at: OffsetDateTime,
    pub answered_at: Option<OffsetDateTime>,
    /// The start of the message.
    pub preview: String,
}

/// An inquiry and its story, for staff.
#[derive(Debug, Clone)]
pub struct InquiryDetail {
    pub id: InquiryId,
    pub code: String,
    pub state: InquiryState,
    pub version: i64,
    pub language: String,
    pub received_at: OffsetDateTime,
    pub due_at: OffsetDateTime,
    pub answered_at: Option<OffsetDateTime>,
    pub name: Option<String>,
    pub reach: String,
    pub message: String,
    pub preferred_language: String,
    pub closure: Option<ClosureReason>,
    /// (when, what, who).
    pub events: Vec<(OffsetDateTime, String, String)>,
}

#[derive(sqlx::FromRow)]
struct InquiryRow {
    reference_code: String,
    state: String,
    version: i64,
    language: String,
    received_at: OffsetDateTime,
    due_at: OffsetDateTime,
    answered_at: Option<OffsetDateTime>,
    name: Option<String>,
    reach: String,
    message: String,
    preferred_language: String,
    closure: Option<String>,
}

const PREVIEW_CHARS: usize = 140;

impl Db {
    /// Open inquiries (received or answered, not closed), soonest due first; `overdue` keeps
    /// only unanswered ones past due. An audited read: messages are personal.
    pub async fn inquiry_queue(
        &self,
        overdue: bool,
        actor: &Actor,
        address: &str,
        now: OffsetDateTime,
    ) -> Result<Vec<InquiryLine>> {
        type Row = (
            String,
            String,
            String,
            OffsetDateTime,
            OffsetDateTime,
            Option<OffsetDateTime>,
            String,
        );
        let mut tx = self.begin_read().await?;
        let rows: Vec<Row> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT id, reference_code, state, received_at, due_at, answered_at, message FROM inquiries \
             WHERE state IN ('received', 'answered') \
             AND ($1 = 0 OR (state = 'received' AND answered_at IS NULL AND due_at < $2)) \
             ORDER BY due_at, id LIMIT 200",
        )
        .bind(i64::from(overdue))
        .bind(Stamp(now))
        .fetch_all(c)
        .await?);
        tx.commit().await?;
        let lines = rows
            .into_iter()
            .map(
                |(id, code, state, received_at, due_at, answered_at, message)| {
                    let mut preview: String = message.chars().take(PREVIEW_CHARS).collect();
                    if message.chars().count() > PREVIEW_CHARS {
                        preview.push('…');
                    }
                    Ok(InquiryLine {
                        id: parse_code(&id, "inquiry id")?,
                        code,
                        state: parse_code(&state, "inquiry state")?,
                        received_at,
                        due_at,
                        answered_at,
                        preview,
                    })
                },
            )
            .collect::<Result<Vec<_>>>()?;
        let outcome = format!("ok: {} shown", lines.len());
        let entry = Entry::new(actor, "inquiry.queue", ("inquiry", None), &outcome, now)
            .with_address(Some(address));
        self.audit_read(entry).await?;
        Ok(lines)
    }

    /// An inquiry and its story, in one snapshot; audited before it is handed out.
    pub async fn open_inquiry(
        &self,
        id: InquiryId,
        actor: &Actor,
        address: &str,
        now: OffsetDateTime,
    ) -> Result<Option<InquiryDetail>> {
        let mut tx = self.begin_read().await?;
        let row: Option<InquiryRow> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT reference_code, state, CAST(version AS BIGINT) AS version, language, received_at, due_at, \
             answered_at, name, reach, message, preferred_language, closure FROM inquiries WHERE id = $1",
        )
        .bind(id.to_string())
        .fetch_optional(c)
        .await?);
        type Event = (
            OffsetDateTime,
            String,
            Option<String>,
            Option<String>,
            String,
        );
        let events: Vec<Event> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT x.at, x.to_state, x.method, x.reason, COALESCE(u.name, x.actor) FROM inquiry_events x \
             LEFT JOIN users u ON 'user:' || u.id = x.actor WHERE x.inquiry_id = $1 ORDER BY x.at, x.id",
        )
        .bind(id.to_string())
        .fetch_all(c)
        .await?);
        tx.commit().await?;
        let outcome = if row.is_some() { "ok" } else { "not_found" };
        let entry = Entry::new(
            actor,
            "inquiry.read",
            ("inquiry", Some(id.to_string())),
            outcome,
            now,
        )
        .with_address(Some(address));
        self.audit_read(entry).await?;
        let Some(r) = row else {
            return Ok(None);
        };
        let events = events
            .into_iter()
            .map(|(at, to, method, reason, who)| {
                let what = [Some(to), method, reason]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" — ");
                (at, what, who)
            })
            .collect();
        Ok(Some(InquiryDetail {
            id,
            code: r.reference_code,
            state: parse_code(&r.state, "inquiry state")?,
            version: r.version,
            language: r.language,
            received_at: r.received_at,
            due_at: r.due_at,
            answered_at: r.answered_at,
            name: r.name,
            reach: r.reach,
            message: r.message,
            preferred_language: r.preferred_language,
            closure: r.closure.map(|c| parse_code(&c, "closure")).transpose()?,
            events,
        }))
    }

    /// Records an answer to the inquirer; the first stops the clock.
    pub async fn answer_inquiry(
        &self,
        edit: &Edit<'_, InquiryId>,
        method: ContactMethod,
        note: Option<&str>,
    ) -> Result<Triaged> {
        self.step_inquiry(
            edit,
            "inquiry.answer",
            |from| from.answer(),
            Some(method),
            note,
            None,
        )
        .await
    }

    /// Closes an inquiry (with a closure reason when it was never answered).
    pub async fn close_inquiry(
        &self,
        edit: &Edit<'_, InquiryId>,
        closure: Option<ClosureReason>,
        reason: Option<&str>,
    ) -> Result<Triaged> {
        self.step_inquiry(
            edit,
            "inquiry.close",
            |from| from.close(closure, reason),
            None,
            reason,
            closure,
        )
        .await
    }

    /// One versioned step on an inquiry, with its event and audit entry; stale, missing and
    /// refused steps write only their entry.
    async fn step_inquiry(
        &self,
        edit: &Edit<'_, InquiryId>,
        action: &str,
        next: impl Fn(InquiryState) -> std::result::Result<InquiryState, InquiryError>,
        method: Option<ContactMethod>,
        note: Option<&str>,
        closure: Option<ClosureReason>,
    ) -> Result<Triaged> {
        let now = edit.at();
        let entry = |outcome| edit.entry(action, "inquiry", outcome);
        let outcome = self
            .retrying(|| async {
                let mut tx = self.begin().await?;
                let from: InquiryState = match take(&mut tx, Versioned::Inquiry, &edit.id.to_string(), edit.version).await? {
                    Taken::Current(current) => current.state,
                    Taken::Stale => return Ok(Triaged::Stale),
                    Taken::NotFound => return Ok(Triaged::NotFound),
                };
                let to = match next(from) {
                    Ok(to) => to,
                    Err(e) => return Ok(Triaged::Refused(Refusal::Inquiry(e))),
                };
                on_tx!(&mut tx, c => sqlx::query(
                    "UPDATE inquiries SET state = $2, closure = COALESCE($3, closure), \
                     answered_at = CASE WHEN $4 = 1 THEN COALESCE(answered_at, $5) ELSE answered_at END WHERE id = $1",
                )
                .bind(edit.id.to_string())
                .bind(to.code())
                .bind(closure.map(|c| c.code()))
                .bind(i64::from(method.is_some()))
                .bind(Stamp(now))
                .execute(c)
                .await?
                .rows_affected());
                on_tx!(&mut tx, c => sqlx::query(
                    "INSERT INTO inquiry_events (id, inquiry_id, at, from_state, to_state, actor, method, reason) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                )
                .bind(uuid::Uuid::now_v7().to_string())
                .bind(edit.id.to_string())
                .bind(Stamp(now))
                .bind(from.code())
                .bind(to.code())
                .bind(edit.actor.as_str().into_owned())
                .bind(method.map(|m| m.code()))
                .bind(match (closure, note) {
                    (Some(c), Some(n)) => Some(format!("{}: {n}", c.code())),
                    (Some(c), None) => Some(c.code().to_owned()),
                    (None, n) => n.map(str::to_owned),
                })
                .execute(c)
                .await?
                .rows_affected());
                tx.commit_with(entry("ok")).await?;
                Ok(Triaged::Done(()))
            })
            .await?;
        if let Some(refused) = outcome.refusal_outcome() {
            self.record_alone(entry(&refused)).await?;
        }
        Ok(outcome)
    }
}
