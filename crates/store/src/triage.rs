//! Triage use cases: the referral queue, one referral's whole story, and every change staff
//! make to it (claim, assign, acknowledge, screen, outreach, move, link, enrol).
//!
//! Every change names the version of the referral the person was looking at. The first
//! statement of each change is a conditional `UPDATE … WHERE version = $n`, which both takes
//! the row (PostgreSQL's row lock; SQLite's one writer) and refuses a stale page: a second
//! case manager working from an old page gets `Triaged::Stale`, never a silent overwrite.
//! Refused changes leave nothing but their audit entry.

use leadhub_domain::access::Role;
use leadhub_domain::ids::{EventId, ParticipantId, PersonId, ReferralId, UserId};
use leadhub_domain::inquiry::InquiryError;
use leadhub_domain::person::NewPerson;
use leadhub_domain::referral::{Door, ReferralState};
use leadhub_domain::triage::{ClosureReason, ContactMethod, Move, MoveError, Screening, by_hand};
use std::future::Future;
use std::pin::Pin;

use time::OffsetDateTime;
use uuid::Uuid;

use crate::audit::{Actor, Entry};
use crate::referrals::{ReferralRow, StoredReferral};
use crate::{Db, Result, Stamp, StoreError, Tx, json_list, on_tx, parse_json_list};

/// How many lines one page of the queue shows.
pub const QUEUE_PAGE_SIZE: i64 = 50;

/// Which part of the queue to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum QueueView {
    /// Every open referral.
    #[default]
    Open,
    /// Assigned to the reader.
    Mine,
    Unassigned,
    /// Not answered and past due.
    Overdue,
}

impl QueueView {
    pub const ALL: [QueueView; 4] = [
        QueueView::Open,
        QueueView::Mine,
        QueueView::Unassigned,
        QueueView::Overdue,
    ];

    pub fn code(self) -> &'static str {
        match self {
            QueueView::Open => "open",
            QueueView::Mine => "mine",
            QueueView::Unassigned => "unassigned",
            QueueView::Overdue => "overdue",
        }
    }
}

/// The orders the queue can be sorted in (an allow-list: nothing else reaches SQL).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum QueueSort {
    /// Soonest due first.
    #[default]
    Due,
    Newest,
    Oldest,
}

impl QueueSort {
    pub const ALL: [QueueSort; 3] = [QueueSort::Due, QueueSort::Newest, QueueSort::Oldest];

    pub fn code(self) -> &'static str {
        match self {
            QueueSort::Due => "due",
            QueueSort::Newest => "newest",
            QueueSort::Oldest => "oldest",
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueueFilter {
    pub view: QueueView,
    pub door: Option<Door>,
    pub state: Option<ReferralState>,
    pub sort: QueueSort,
    /// Zero-based.
    pub page: u32,
}

/// One line of the queue: enough to decide what to pick up, no referrer details.
#[derive(Debug, Clone)]
pub struct QueueLine {
    pub id: ReferralId,
    pub code: String,
    pub door: Door,
    pub state: ReferralState,
    pub received_at: OffsetDateTime,
    pub due_at: OffsetDateTime,
    pub answered_at: Option<OffsetDateTime>,
    pub assigned: Option<String>,
    /// The name given, or the description.
    pub person: String,
    pub places: Vec<String>,
    pub places_other: Option<String>,
}

#[derive(Debug, Clone)]
pub struct QueuePage {
    pub lines: Vec<QueueLine>,
    /// How many referrals match the filter, counted up to `QUEUE_COUNT_AHEAD` past this page.
    pub total: i64,
    /// False when there are more than `total` (the count stopped).
    pub total_is_exact: bool,
}

/// The queue counts matches at most this far past the page shown: "1–50 of 1,050+" says as
/// much as an exact figure, and counting every open referral was most of a page's cost.
pub const QUEUE_COUNT_AHEAD: i64 = 1_000;

/// A change in a referral's story.
#[derive(Debug, Clone)]
pub struct EventLine {
    pub at: OffsetDateTime,
    pub from: Option<ReferralState>,
    pub to: ReferralState,
    pub who: String,
    pub reason: Option<String>,
}

#[derive(Debug, Clone)]
pub struct ReferrerContactLine {
    pub at: OffsetDateTime,
    pub method: ContactMethod,
    pub note: Option<String>,
    pub who: String,
}

#[derive(Debug, Clone)]
pub struct ScreeningLine {
    pub at: OffsetDateTime,
    pub screening: Screening,
    pub who: String,
}

#[derive(Debug, Clone)]
pub struct AttemptLine {
    pub at: OffsetDateTime,
    pub place: Option<String>,
    pub place_other: Option<String>,
    pub point: Option<(f64, f64)>,
    pub in_corridor: Option<bool>,
    pub found: bool,
    pub note: Option<String>,
    pub who: String,
}

/// A referral with everything that happened to it, for the people working it.
#[derive(Debug, Clone)]
pub struct ReferralDetail {
    pub referral: StoredReferral,
    pub id: ReferralId,
    pub door: Door,
    pub state: ReferralState,
    pub version: i64,
    pub assigned_to: Option<UserId>,
    pub assigned_name: Option<String>,
    pub answered_at: Option<OffsetDateTime>,
    pub closure: Option<ClosureReason>,
    pub participant_id: Option<ParticipantId>,
    /// Police doors: the charge and whether it is on the divertible list.
    pub charge: Option<(String, bool)>,
    pub handoff_at: Option<OffsetDateTime>,
    /// The member of staff who made an inside referral.
    pub referred_by: Option<String>,
    pub events: Vec<EventLine>,
    pub contacts: Vec<ReferrerContactLine>,
    pub screenings: Vec<ScreeningLine>,
    pub attempts: Vec<AttemptLine>,
}

/// The outcome of a change to a referral.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Triaged<T = ()> {
    Done(T),
    NotFound,
    /// The referral changed since the page was shown; nothing was written.
    Stale,
    Refused(Refusal),
}

/// Why a change was refused (nothing was written but its audit entry).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    Move(MoveError),
    /// Someone already has it; only the project manager reassigns.
    AlreadyAssigned,
    /// The chosen person is not an active case manager or project manager.
    NotAssignable,
    /// This step does not fit the referral's state (outreach before screening, say).
    WrongState(ReferralState),
    /// The participant to link to does not exist.
    NoSuchParticipant,
    /// An email acknowledgement for a referrer who left no address or asked not to hear back.
    NoEmail,
    /// A step the inquiry's state does not allow.
    Inquiry(InquiryError),
}

impl Refusal {
    pub(crate) fn code(&self) -> String {
        match self {
            Refusal::Move(e) => format!("refused: {e}"),
            Refusal::AlreadyAssigned => "refused: already assigned".into(),
            Refusal::NotAssignable => "refused: not assignable".into(),
            Refusal::WrongState(s) => format!("refused: state {s}"),
            Refusal::NoSuchParticipant => "refused: no such participant".into(),
            Refusal::NoEmail => "refused: no email to send".into(),
            Refusal::Inquiry(e) => format!("refused: {e}"),
        }
    }
}

/// Who changes which referral (or inquiry), from which version, when.
#[derive(Debug, Clone)]
pub struct Edit<'a, Id = ReferralId> {
    pub id: Id,
    /// The version of the referral the person was looking at.
    pub version: i64,
    /// The account doing it (recorded with contacts, screenings and attempts).
    pub user: UserId,
    pub actor: Actor,
    pub address: &'a str,
    pub now: OffsetDateTime,
}

impl<Id: std::fmt::Display> Edit<'_, Id> {
    /// When, to the microsecond both databases keep.
    pub fn at(&self) -> OffsetDateTime {
        crate::truncate_to_micros(self.now)
    }

    /// The audit entry of this change to a `record_type` record, with its outcome.
    pub(crate) fn entry<'e>(
        &'e self,
        action: &'e str,
        record_type: &'e str,
        outcome: &'e str,
    ) -> Entry<'e> {
        Entry::new(
            &self.actor,
            action,
            (record_type, Some(self.id.to_string())),
            outcome,
            self.at(),
        )
        .with_address(Some(self.address))
    }
}

/// One outreach attempt to record.
#[derive(Debug, Clone, PartialEq)]
pub struct NewAttempt {
    pub at: OffsetDateTime,
    /// A site place key.
    pub place: Option<String>,
    pub place_other: Option<String>,
    /// (latitude, longitude), when staff gave a point.
    pub point: Option<(f64, f64)>,
    /// Whether the place lies in the corridor; `None` when it cannot be told (free text).
    pub in_corridor: Option<bool>,
    pub found: bool,
    pub note: Option<String>,
}

/// The open states (those that still need someone's attention) are written out in the SQL;
/// a unit test holds them to the state machine's.
macro_rules! queue_where {
    () => {
        " FROM referrals r \
          WHERE r.state IN ('received', 'acknowledged', 'screening', 'outreach', 'not_eligible', 'unable_to_locate', 'declined') \
          AND ($1 <> 'mine' OR r.assigned_to = $2) \
          AND ($1 <> 'unassigned' OR r.assigned_to IS NULL) \
          AND ($1 <> 'overdue' OR (r.state = 'received' AND r.answered_at IS NULL AND r.due_at < $3)) \
          AND ($4 = '' OR r.door = $4) \
          AND ($5 = '' OR r.state = $5)"
    };
}

macro_rules! queue_select {
    ($order:literal) => {
        concat!(
            "SELECT r.id, r.reference_code, r.door, r.state, r.received_at, r.due_at, r.answered_at, \
             (SELECT u.name FROM users u WHERE u.id = r.assigned_to) AS assigned, r.person_name, r.gender, \
             r.build, r.hair, r.features, r.places, r.places_other",
            queue_where!(),
            " ORDER BY ",
            $order,
            " LIMIT $6 OFFSET $7"
        )
    };
}

const QUEUE_BY_DUE: &str = queue_select!("r.due_at, r.id");
const QUEUE_NEWEST: &str = queue_select!("r.received_at DESC, r.id DESC");
const QUEUE_OLDEST: &str = queue_select!("r.received_at, r.id");
const QUEUE_COUNT: &str = concat!(
    "SELECT COUNT(*) FROM (SELECT 1",
    queue_where!(),
    " LIMIT $6) AS matches"
);

#[derive(sqlx::FromRow)]
struct QueueRow {
    id: String,
    reference_code: String,
    door: String,
    state: String,
    received_at: OffsetDateTime,
    due_at: OffsetDateTime,
    answered_at: Option<OffsetDateTime>,
    assigned: Option<String>,
    person_name: Option<String>,
    gender: Option<String>,
    build: Option<String>,
    hair: Option<String>,
    features: Option<String>,
    places: String,
    places_other: Option<String>,
}

#[derive(sqlx::FromRow)]
struct DetailRow {
    #[sqlx(flatten)]
    base: ReferralRow,
    version: i64,
    assigned_to: Option<String>,
    assigned_name: Option<String>,
    answered_at: Option<OffsetDateTime>,
    closure: Option<String>,
    participant_id: Option<String>,
    charge: Option<String>,
    charge_divertible: Option<bool>,
    handoff_at: Option<OffsetDateTime>,
    referred_by: Option<String>,
}

const SELECT_DETAIL: &str = "SELECT r.id, r.reference_code, r.door, r.state, r.language, r.received_at, r.due_at, \
     r.referrer_type, r.referrer_name, r.referrer_phone, r.referrer_email, r.wants_follow_up, r.person_name, r.age_range, \
     r.gender, r.build, r.hair, r.features, r.places, r.places_other, r.times, r.times_other, r.concerns, r.concern_text, \
     r.safety_notes, CAST(r.version AS BIGINT) AS version, r.assigned_to, u.name AS assigned_name, r.answered_at, \
     r.closure, r.participant_id, r.charge, r.charge_divertible, r.handoff_at, b.name AS referred_by \
     FROM referrals r LEFT JOIN users u ON u.id = r.assigned_to LEFT JOIN users b ON b.id = r.referred_by \
     WHERE r.id = $1";

/// What the possible-matches panel needs of a referral: what it says of the person and its
/// version, without the history the referral page shows (the panel runs as staff type).
pub(crate) async fn referral_facts(
    tx: &mut Tx,
    id: ReferralId,
) -> Result<Option<(StoredReferral, i64)>> {
    let row: Option<DetailRow> = on_tx!(tx, c => sqlx::query_as(SELECT_DETAIL)
        .bind(id.to_string())
        .fetch_optional(c)
        .await?);
    row.map(|row| Ok((StoredReferral::try_from(row.base)?, row.version)))
        .transpose()
}

pub(crate) fn parse_code<T: std::str::FromStr>(text: &str, what: &str) -> Result<T> {
    text.parse()
        .map_err(|_| StoreError::Corrupt(format!("{what} {text:?}")))
}

fn describe(row: &QueueRow) -> String {
    if let Some(name) = &row.person_name {
        return name.clone();
    }
    let parts: Vec<&str> = [&row.gender, &row.build, &row.hair, &row.features]
        .into_iter()
        .filter_map(|p| p.as_deref())
        .collect();
    let mut text = parts.join(", ");
    if text.chars().count() > 120 {
        text = text.chars().take(119).collect::<String>() + "…";
    }
    text
}

/// The row as it stood when a change took it (after bumping its version).
pub(crate) struct Current<S = ReferralState> {
    pub(crate) state: S,
    pub(crate) assigned_to: Option<String>,
}

pub(crate) enum Taken<S = ReferralState> {
    Current(Current<S>),
    Stale,
    NotFound,
}

/// The tables whose rows are changed under a version: referrals and inquiries.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Versioned {
    Referral,
    Inquiry,
}

impl Versioned {
    fn take_sql(self) -> &'static str {
        match self {
            Versioned::Referral => {
                "UPDATE referrals SET version = version + 1 WHERE id = $1 AND version = $2 RETURNING state, assigned_to"
            }
            Versioned::Inquiry => {
                "UPDATE inquiries SET version = version + 1 WHERE id = $1 AND version = $2 RETURNING state, assigned_to"
            }
        }
    }

    fn exists_sql(self) -> &'static str {
        match self {
            Versioned::Referral => "SELECT CAST(1 AS BIGINT) FROM referrals WHERE id = $1",
            Versioned::Inquiry => "SELECT CAST(1 AS BIGINT) FROM inquiries WHERE id = $1",
        }
    }
}

/// Takes a row for a change if it is still at `version`: bumps the version (which holds the
/// row until commit: PostgreSQL's row lock, SQLite's one writer) and returns its state. A row
/// at another version is `Stale`: the person was looking at an older page.
pub(crate) async fn take<S: std::str::FromStr>(
    tx: &mut Tx,
    table: Versioned,
    id: &str,
    version: i64,
) -> Result<Taken<S>> {
    let row: Option<(String, Option<String>)> = on_tx!(tx, c => sqlx::query_as(table.take_sql())
        .bind(id)
        .bind(version)
        .fetch_optional(c)
        .await?);
    if let Some((state, assigned_to)) = row {
        return Ok(Taken::Current(Current {
            state: parse_code(&state, "state")?,
            assigned_to,
        }));
    }
    let exists: Option<i64> = on_tx!(tx, c => sqlx::query_scalar(table.exists_sql())
        .bind(id)
        .fetch_optional(c)
        .await?);
    Ok(if exists.is_some() {
        Taken::Stale
    } else {
        Taken::NotFound
    })
}

impl<T> Triaged<T> {
    /// The audit outcome of a change that wrote nothing, or `None` if it was done.
    pub(crate) fn refusal_outcome(&self) -> Option<String> {
        match self {
            Triaged::Done(_) => None,
            Triaged::NotFound => Some("not_found".to_owned()),
            Triaged::Stale => Some("stale".to_owned()),
            Triaged::Refused(r) => Some(r.code()),
        }
    }
}

async fn insert_event(
    tx: &mut Tx,
    id: ReferralId,
    at: OffsetDateTime,
    from: ReferralState,
    to: ReferralState,
    actor: &Actor,
    reason: Option<&str>,
) -> Result<()> {
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO referral_events (id, referral_id, at, from_state, to_state, actor, reason) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(EventId::new().to_string())
    .bind(id.to_string())
    .bind(Stamp(at))
    .bind(from.code())
    .bind(to.code())
    .bind(actor.as_str().into_owned())
    .bind(reason)
    .execute(c)
    .await?
    .rows_affected());
    Ok(())
}

/// Moves the referral to `to` (already checked), stopping the clock if it was still running.
async fn set_state(
    tx: &mut Tx,
    id: ReferralId,
    from: ReferralState,
    to: ReferralState,
    actor: &Actor,
    reason: Option<&str>,
    now: OffsetDateTime,
) -> Result<()> {
    on_tx!(tx, c => sqlx::query(
        "UPDATE referrals SET state = $2, answered_at = COALESCE(answered_at, $3) WHERE id = $1",
    )
    .bind(id.to_string())
    .bind(to.code())
    .bind(Stamp(now))
    .execute(c)
    .await?
    .rows_affected());
    insert_event(tx, id, now, from, to, actor, reason).await
}

/// Applies `mv` from `from` if the machine allows it.
async fn apply_move(
    tx: &mut Tx,
    id: ReferralId,
    from: ReferralState,
    mv: &Move,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<Option<Refusal>> {
    if let Err(e) = mv.check(from) {
        return Ok(Some(Refusal::Move(e)));
    }
    let reason = match (mv.closure, mv.reason.as_deref()) {
        (Some(c), Some(r)) => Some(format!("{}: {r}", c.code())),
        (Some(c), None) => Some(c.code().to_owned()),
        (None, r) => r.map(str::to_owned),
    };
    set_state(tx, id, from, mv.to, actor, reason.as_deref(), now).await?;
    if let Some(closure) = mv.closure.filter(|_| mv.to == ReferralState::Closed) {
        on_tx!(tx, c => sqlx::query("UPDATE referrals SET closure = $2 WHERE id = $1")
            .bind(id.to_string())
            .bind(closure.code())
            .execute(c)
            .await?
            .rows_affected());
    }
    Ok(None)
}

/// What a change does once it holds the referral: its result, or why it refuses.
type Step<T> = Result<std::result::Result<T, Refusal>>;

/// A change's work inside its transaction. Boxed so the future is `Send` for every borrow of
/// the transaction (an `AsyncFn` bound cannot say so yet).
type StepFuture<'t, T> = Pin<Box<dyn Future<Output = Step<T>> + Send + 't>>;

impl Db {
    /// One page of the referral queue for `reader`, with the total that matches. An audited
    /// read: the lines describe people.
    pub async fn referral_queue(
        &self,
        filter: &QueueFilter,
        reader: UserId,
        actor: &Actor,
        address: &str,
        now: OffsetDateTime,
    ) -> Result<QueuePage> {
        let sql = match filter.sort {
            QueueSort::Due => QUEUE_BY_DUE,
            QueueSort::Newest => QUEUE_NEWEST,
            QueueSort::Oldest => QUEUE_OLDEST,
        };
        let door = filter.door.map_or("", |d| d.code());
        let state = filter.state.map_or("", |s| s.code());
        let mut tx = self.begin_read().await?;
        let rows: Vec<QueueRow> = on_tx!(&mut tx, c => sqlx::query_as(sql)
            .bind(filter.view.code())
            .bind(reader.to_string())
            .bind(Stamp(now))
            .bind(door)
            .bind(state)
            .bind(QUEUE_PAGE_SIZE)
            .bind(i64::from(filter.page).saturating_mul(QUEUE_PAGE_SIZE))
            .fetch_all(c)
            .await?);
        let offset = i64::from(filter.page) * QUEUE_PAGE_SIZE;
        let count_to = offset + QUEUE_PAGE_SIZE + QUEUE_COUNT_AHEAD;
        let counted: i64 = on_tx!(&mut tx, c => sqlx::query_scalar(QUEUE_COUNT)
            .bind(filter.view.code())
            .bind(reader.to_string())
            .bind(Stamp(now))
            .bind(door)
            .bind(state)
            .bind(count_to + 1)
            .fetch_one(c)
            .await?);
        tx.commit().await?;
        let lines = rows
            .into_iter()
            .map(|row| {
                Ok(QueueLine {
                    id: parse_code(&row.id, "referral id")?,
                    person: describe(&row),
                    code: row.reference_code,
                    door: parse_code(&row.door, "door")?,
                    state: parse_code(&row.state, "referral state")?,
                    received_at: row.received_at,
                    due_at: row.due_at,
                    answered_at: row.answered_at,
                    assigned: row.assigned,
                    places: parse_json_list(&row.places)?,
                    places_other: row.places_other,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let outcome = format!("ok: {} shown", lines.len());
        let entry = Entry::new(actor, "referral.queue", ("referral", None), &outcome, now)
            .with_address(Some(address));
        self.audit_read(entry).await?;
        Ok(QueuePage {
            lines,
            total: counted.min(count_to),
            total_is_exact: counted <= count_to,
        })
    }

    /// A referral and its whole story, read in one snapshot; the read is recorded before
    /// anything is handed out.
    pub async fn open_referral(
        &self,
        id: ReferralId,
        actor: &Actor,
        address: &str,
        now: OffsetDateTime,
    ) -> Result<Option<ReferralDetail>> {
        let detail = self.read_detail(id).await?;
        let outcome = if detail.is_some() { "ok" } else { "not_found" };
        let entry = Entry::new(
            actor,
            "referral.read",
            ("referral", Some(id.to_string())),
            outcome,
            now,
        )
        .with_address(Some(address));
        self.audit_read(entry).await?;
        Ok(detail)
    }

    async fn read_detail(&self, id: ReferralId) -> Result<Option<ReferralDetail>> {
        let mut tx = self.begin_read().await?;
        let row: Option<DetailRow> = on_tx!(&mut tx, c => sqlx::query_as(SELECT_DETAIL)
            .bind(id.to_string())
            .fetch_optional(c)
            .await?);
        let Some(row) = row else {
            return Ok(None);
        };
        let key = id.to_string();
        type Event = (
            OffsetDateTime,
            Option<String>,
            String,
            String,
            Option<String>,
        );
        let events: Vec<Event> = on_tx!(&mut tx, c => sqlx::query_as(concat!(
            "SELECT x.at, x.from_state, x.to_state, ",
            "COALESCE(u.name, CASE WHEN x.actor = 'public' THEN 'the referrer (public form)' ELSE x.actor END), ",
            "x.reason FROM referral_events x LEFT JOIN users u ON 'user:' || u.id = x.actor ",
            "WHERE x.referral_id = $1 ORDER BY x.at, x.id"
        ))
        .bind(&key)
        .fetch_all(c)
        .await?);
        type Contact = (OffsetDateTime, String, Option<String>, String);
        let contacts: Vec<Contact> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT x.at, x.method, x.note, u.name FROM referrer_contacts x JOIN users u ON u.id = x.user_id \
             WHERE x.referral_id = $1 ORDER BY x.at, x.id",
        )
        .bind(&key)
        .fetch_all(c)
        .await?);
        type ScreeningRow = (
            OffsetDateTime,
            bool,
            bool,
            String,
            bool,
            Option<String>,
            String,
        );
        let screenings: Vec<ScreeningRow> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT x.at, x.corridor, x.adult, x.nexus, x.conflict, x.note, u.name FROM screenings x \
             JOIN users u ON u.id = x.user_id WHERE x.referral_id = $1 ORDER BY x.at, x.id",
        )
        .bind(&key)
        .fetch_all(c)
        .await?);
        let attempts: Vec<AttemptRow> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT x.at, x.place, x.place_other, x.lat, x.lon, x.in_corridor, x.found, x.note, u.name AS who \
             FROM outreach_attempts x JOIN users u ON u.id = x.user_id WHERE x.referral_id = $1 ORDER BY x.at, x.id",
        )
        .bind(&key)
        .fetch_all(c)
        .await?);
        tx.commit().await?;
        let events = events
            .into_iter()
            .map(|(at, from, to, who, reason)| {
                Ok(EventLine {
                    at,
                    from: from.map(|f| parse_code(&f, "state")).transpose()?,
                    to: parse_code(&to, "state")?,
                    who,
                    reason,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let contacts = contacts
            .into_iter()
            .map(|(at, method, note, who)| {
                Ok(ReferrerContactLine {
                    at,
                    method: parse_code(&method, "contact method")?,
                    note,
                    who,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let screenings = screenings
            .into_iter()
            .map(|(at, corridor, adult, nexus, conflict, note, who)| {
                Ok(ScreeningLine {
                    at,
                    screening: Screening {
                        corridor,
                        adult,
                        nexus: parse_json_list(&nexus)?,
                        conflict,
                        note,
                    },
                    who,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let attempts = attempts.into_iter().map(AttemptRow::line).collect();
        Ok(Some(ReferralDetail {
            id,
            door: parse_code(&row.base.door, "door")?,
            state: parse_code(&row.base.state, "referral state")?,
            version: row.version,
            assigned_to: row
                .assigned_to
                .map(|u| parse_code(&u, "user id"))
                .transpose()?,
            assigned_name: row.assigned_name,
            answered_at: row.answered_at,
            closure: row.closure.map(|c| parse_code(&c, "closure")).transpose()?,
            participant_id: row
                .participant_id
                .map(|p| parse_code(&p, "participant id"))
                .transpose()?,
            charge: row
                .charge
                .map(|c| (c, row.charge_divertible.unwrap_or(false))),
            handoff_at: row.handoff_at,
            referred_by: row.referred_by,
            referral: StoredReferral::try_from(row.base)?,
            events,
            contacts,
            screenings,
            attempts,
        }))
    }

    /// Runs a change to one referral: takes it at the edit's version, runs `step`, and
    /// commits with its audit entry; stale, missing and refused changes write only their entry.
    async fn change_referral<T, F>(
        &self,
        edit: &Edit<'_>,
        action: &str,
        step: F,
    ) -> Result<Triaged<T>>
    where
        T: Clone,
        F: for<'t> Fn(&'t mut Tx, Current) -> StepFuture<'t, T>,
    {
        let entry = |outcome| edit.entry(action, "referral", outcome);
        let outcome = self
            .retrying(|| async {
                let mut tx = self.begin().await?;
                let current = match take(
                    &mut tx,
                    Versioned::Referral,
                    &edit.id.to_string(),
                    edit.version,
                )
                .await?
                {
                    Taken::Current(current) => current,
                    Taken::Stale => return Ok(Triaged::Stale),
                    Taken::NotFound => return Ok(Triaged::NotFound),
                };
                match step(&mut tx, current).await? {
                    Ok(value) => {
                        tx.commit_with(entry("ok")).await?;
                        Ok(Triaged::Done(value))
                    }
                    // Dropping the transaction rolls the version bump back.
                    Err(refusal) => Ok(Triaged::Refused(refusal)),
                }
            })
            .await?;
        if let Some(refused) = outcome.refusal_outcome() {
            self.record_alone(entry(&refused)).await?;
        }
        Ok(outcome)
    }

    /// A case manager takes an unassigned referral.
    pub async fn claim_referral(&self, edit: &Edit<'_>) -> Result<Triaged> {
        let (id, user, now) = (edit.id, edit.user, edit.at());
        self.change_referral(edit, "referral.claim", |tx, current| {
            // The work owns what it uses: its future may only borrow the transaction.
            let actor = edit.actor.clone();
            Box::pin(async move {
                if current.state.is_final() {
                    return Ok(Err(Refusal::WrongState(current.state)));
                }
                if current.assigned_to.is_some() {
                    return Ok(Err(Refusal::AlreadyAssigned));
                }
                assign(tx, id, current.state, Some(user), &actor, now).await
            })
        })
        .await
    }

    /// The project manager assigns (or, with `None`, unassigns) a referral.
    pub async fn assign_referral(
        &self,
        edit: &Edit<'_>,
        assignee: Option<UserId>,
    ) -> Result<Triaged> {
        let (id, now) = (edit.id, edit.at());
        self.change_referral(edit, "referral.assign", |tx, current| {
            let actor = edit.actor.clone();
            Box::pin(async move {
                if current.state.is_final() {
                    return Ok(Err(Refusal::WrongState(current.state)));
                }
                assign(tx, id, current.state, assignee, &actor, now).await
            })
        })
        .await
    }

    /// Records a contact with the referrer. The first one acknowledges a received referral
    /// and stops its clock.
    pub async fn acknowledge_referral(
        &self,
        edit: &Edit<'_>,
        method: ContactMethod,
        note: Option<&str>,
    ) -> Result<Triaged> {
        let (id, user, now) = (edit.id, edit.user, edit.at());
        self.change_referral(edit, "referral.acknowledge", |tx, current| {
            let (actor, note) = (edit.actor.clone(), note.map(str::to_owned));
            Box::pin(async move {
                if current.state.is_final() {
                    return Ok(Err(Refusal::WrongState(current.state)));
                }
                on_tx!(tx, c => sqlx::query(
                    "INSERT INTO referrer_contacts (id, referral_id, at, method, note, user_id) VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(Uuid::now_v7().to_string())
                .bind(id.to_string())
                .bind(Stamp(now))
                .bind(method.code())
                .bind(note.as_deref())
                .bind(user.to_string())
                .execute(c)
                .await?
                .rows_affected());
                if method == ContactMethod::Email {
                    let reachable: Option<i64> = on_tx!(tx, c => sqlx::query_scalar(
                        "SELECT CAST(1 AS BIGINT) FROM referrals WHERE id = $1 AND referrer_email IS NOT NULL AND wants_follow_up",
                    )
                    .bind(id.to_string())
                    .fetch_optional(c)
                    .await?);
                    if reachable.is_none() {
                        return Ok(Err(Refusal::NoEmail));
                    }
                    // leadhub writes the email; the job finds the address and language.
                    crate::jobs::enqueue(tx, crate::jobs::JobKind::AcknowledgementEmail, &id.to_string(), now).await?;
                }
                if current.state == ReferralState::Received {
                    let reason = format!("referrer contacted ({})", method.code());
                    set_state(tx, id, current.state, ReferralState::Acknowledged, &actor, Some(&reason), now).await?;
                }
                Ok(Ok(()))
            })
        })
        .await
    }

    /// Moves a referral along the machine (close, decline, unable to locate, outreach again…).
    pub async fn move_referral(&self, edit: &Edit<'_>, mv: &Move) -> Result<Triaged> {
        let (id, now) = (edit.id, edit.at());
        self.change_referral(edit, "referral.move", |tx, current| {
            let (actor, mv) = (edit.actor.clone(), mv.clone());
            Box::pin(async move {
                if current.state.can_move_to(mv.to) && !by_hand(current.state, mv.to) {
                    return Ok(Err(Refusal::Move(MoveError::OwnStep(mv.to))));
                }
                Ok(
                    match apply_move(tx, id, current.state, &mv, &actor, now).await? {
                        None => Ok(()),
                        Some(refusal) => Err(refusal),
                    },
                )
            })
        })
        .await
    }

    /// Records a screening; the referral moves to outreach when it fits, or to "not
    /// eligible" with the criteria it does not meet. Answers whether it fits.
    pub async fn screen_referral(
        &self,
        edit: &Edit<'_>,
        screening: &Screening,
    ) -> Result<Triaged<bool>> {
        let (id, user, now) = (edit.id, edit.user, edit.at());
        self.change_referral(edit, "referral.screen", |tx, current| {
            let (actor, screening) = (edit.actor.clone(), screening.clone());
            Box::pin(async move {
                use ReferralState::*;
                if !matches!(current.state, Received | Acknowledged | Screening) {
                    return Ok(Err(Refusal::WrongState(current.state)));
                }
                let eligible = screening.is_eligible();
                on_tx!(tx, c => sqlx::query(
                    "INSERT INTO screenings (id, referral_id, at, corridor, adult, nexus, conflict, eligible, note, user_id) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                )
                .bind(Uuid::now_v7().to_string())
                .bind(id.to_string())
                .bind(Stamp(now))
                .bind(screening.corridor)
                .bind(screening.adult)
                .bind(json_list(screening.nexus.iter().map(String::as_str)))
                .bind(screening.conflict)
                .bind(eligible)
                .bind(screening.note.as_deref())
                .bind(user.to_string())
                .execute(c)
                .await?
                .rows_affected());
                let mut from = current.state;
                if from != Screening {
                    set_state(tx, id, from, Screening, &actor, None, now).await?;
                    from = Screening;
                }
                if eligible {
                    set_state(tx, id, from, Outreach, &actor, Some("screened: eligible"), now).await?;
                } else {
                    let unmet: Vec<&str> = screening.unmet().iter().map(|u| u.describe()).collect();
                    let reason = format!("screened: {}", unmet.join("; "));
                    set_state(tx, id, from, NotEligible, &actor, Some(&reason), now).await?;
                }
                Ok(Ok(eligible))
            })
        })
        .await
    }

    /// Records an outreach attempt (only while the referral is in outreach).
    pub async fn log_outreach(&self, edit: &Edit<'_>, attempt: &NewAttempt) -> Result<Triaged> {
        let (id, user) = (edit.id, edit.user);
        self.change_referral(edit, "referral.outreach", |tx, current| {
            let attempt = attempt.clone();
            Box::pin(async move {
                if current.state != ReferralState::Outreach {
                    return Ok(Err(Refusal::WrongState(current.state)));
                }
                on_tx!(tx, c => sqlx::query(
                    "INSERT INTO outreach_attempts (id, referral_id, at, place, place_other, lat, lon, in_corridor, found, note, user_id) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
                )
                .bind(Uuid::now_v7().to_string())
                .bind(id.to_string())
                .bind(Stamp(crate::truncate_to_micros(attempt.at)))
                .bind(attempt.place.as_deref())
                .bind(attempt.place_other.as_deref())
                .bind(attempt.point.map(|p| p.0))
                .bind(attempt.point.map(|p| p.1))
                .bind(attempt.in_corridor)
                .bind(attempt.found)
                .bind(attempt.note.as_deref())
                .bind(user.to_string())
                .execute(c)
                .await?
                .rows_affected());
                Ok(Ok(()))
            })
        })
        .await
    }

    /// Says the referral is about someone already enrolled, and ends it there.
    pub async fn link_referral(
        &self,
        edit: &Edit<'_>,
        participant: ParticipantId,
    ) -> Result<Triaged> {
        let (id, now) = (edit.id, edit.at());
        self.change_referral(edit, "referral.link", |tx, current| {
            let actor = edit.actor.clone();
            Box::pin(async move {
                let exists: Option<i64> = on_tx!(tx, c => sqlx::query_scalar("SELECT CAST(1 AS BIGINT) FROM participants WHERE id = $1")
                    .bind(participant.to_string())
                    .fetch_optional(c)
                    .await?);
                if exists.is_none() {
                    return Ok(Err(Refusal::NoSuchParticipant));
                }
                let mv = Move { to: ReferralState::Linked, reason: Some(format!("participant {participant}")), closure: None };
                if let Some(refusal) = apply_move(tx, id, current.state, &mv, &actor, now).await? {
                    return Ok(Err(refusal));
                }
                set_participant(tx, id, participant).await?;
                Ok(Ok(()))
            })
        })
        .await
    }

    /// Enrols the person a referral is about: a new person and participant with their case
    /// manager and their agreement recorded; the referral ends as enrolled.
    pub async fn enrol_from_referral(
        &self,
        edit: &Edit<'_>,
        person: &NewPerson,
        case_manager: UserId,
    ) -> Result<Triaged<ParticipantId>> {
        let (id, user, now) = (edit.id, edit.user, edit.at());
        let person_id = PersonId::new();
        let participant = ParticipantId::new();
        self.change_referral(edit, "referral.enrol", |tx, current| {
            let (actor, person) = (edit.actor.clone(), person.clone());
            Box::pin(async move {
                if !assignable(tx, case_manager).await? {
                    return Ok(Err(Refusal::NotAssignable));
                }
                let mv = Move { to: ReferralState::Enrolled, reason: None, closure: None };
                if let Err(e) = mv.check(current.state) {
                    return Ok(Err(Refusal::Move(e)));
                }
                insert_person(tx, id, person_id, &person, now).await?;
                on_tx!(tx, c => sqlx::query(
                    "INSERT INTO participants (id, person_id, referral_id, enrolled_at, last_seen_at, case_manager_id, \
                     consent_recorded_at, consent_recorded_by) VALUES ($1, $2, $3, $4, $4, $5, $4, $6)",
                )
                .bind(participant.to_string())
                .bind(person_id.to_string())
                .bind(id.to_string())
                .bind(Stamp(now))
                .bind(case_manager.to_string())
                .bind(user.to_string())
                .execute(c)
                .await?
                .rows_affected());
                crate::matching::person_written(tx, &person_id.to_string(), true, now).await?;
                apply_move(tx, id, current.state, &mv, &actor, now).await?;
                set_participant(tx, id, participant).await?;
                Ok(Ok(participant))
            })
        })
        .await
    }

    /// Active case managers and project managers, by name: who referrals can go to.
    pub async fn assignable_staff(&self) -> Result<Vec<(UserId, String)>> {
        let rows: Vec<(String, String)> = crate::on_pool!(self, pool => sqlx::query_as(
            "SELECT id, name FROM users WHERE role IN ('case_manager', 'project_manager') AND NOT disabled \
             ORDER BY name, id",
        )
        .fetch_all(pool)
        .await?);
        rows.into_iter()
            .map(|(id, name)| Ok((parse_code(&id, "user id")?, name)))
            .collect()
    }
}

/// Whether `user` can hold referrals and a caseload: an active case manager or project manager.
pub(crate) async fn assignable(tx: &mut Tx, user: UserId) -> Result<bool> {
    let role: Option<String> = on_tx!(tx, c => sqlx::query_scalar(
        "SELECT role FROM users WHERE id = $1 AND NOT disabled",
    )
    .bind(user.to_string())
    .fetch_optional(c)
    .await?);
    Ok(role.is_some_and(|r| r == Role::CaseManager.code() || r == Role::ProjectManager.code()))
}

async fn assign(
    tx: &mut Tx,
    id: ReferralId,
    state: ReferralState,
    assignee: Option<UserId>,
    actor: &Actor,
    now: OffsetDateTime,
) -> Step<()> {
    let reason = match assignee {
        Some(user) => {
            if !assignable(tx, user).await? {
                return Ok(Err(Refusal::NotAssignable));
            }
            let name: String = on_tx!(tx, c => sqlx::query_scalar("SELECT name FROM users WHERE id = $1")
                .bind(user.to_string())
                .fetch_one(c)
                .await?);
            format!("Assigned to {name}")
        }
        None => "Unassigned".to_owned(),
    };
    on_tx!(tx, c => sqlx::query("UPDATE referrals SET assigned_to = $2 WHERE id = $1")
        .bind(id.to_string())
        .bind(assignee.map(|u| u.to_string()))
        .execute(c)
        .await?
        .rows_affected());
    // The state does not change; the event keeps the assignment in the referral's story.
    insert_event(tx, id, now, state, state, actor, Some(&reason)).await?;
    Ok(Ok(()))
}

async fn set_participant(tx: &mut Tx, id: ReferralId, participant: ParticipantId) -> Result<()> {
    on_tx!(tx, c => sqlx::query("UPDATE referrals SET participant_id = $2 WHERE id = $1")
        .bind(id.to_string())
        .bind(participant.to_string())
        .execute(c)
        .await?
        .rows_affected());
    Ok(())
}

/// Creates the person record, carrying over what the referral said about where they are.
async fn insert_person(
    tx: &mut Tx,
    referral: ReferralId,
    person_id: PersonId,
    person: &NewPerson,
    now: OffsetDateTime,
) -> Result<()> {
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO people (id, given_name, family_name, aliases, birth_year, gender, descriptors, usual_places, created_at, \
         race_ethnicity) \
         SELECT $1, $2, $3, $4, $5, r.gender, \
         NULLIF(TRIM(COALESCE(r.build, '') || ' ' || COALESCE(r.hair, '') || ' ' || COALESCE(r.features, '')), ''), \
         r.places, $6, $8 FROM referrals r WHERE r.id = $7",
    )
    .bind(person_id.to_string())
    .bind(person.given_name.as_deref())
    .bind(person.family_name.as_deref())
    .bind(person.aliases_text())
    .bind(person.birth_year.map(|y| i64::from(y.get())))
    .bind(Stamp(now))
    .bind(referral.to_string())
    .bind(person.race.stored())
    .execute(c)
    .await?
    .rows_affected());
    Ok(())
}

#[derive(sqlx::FromRow)]
struct AttemptRow {
    at: OffsetDateTime,
    place: Option<String>,
    place_other: Option<String>,
    lat: Option<f64>,
    lon: Option<f64>,
    in_corridor: Option<bool>,
    found: bool,
    note: Option<String>,
    who: String,
}

impl AttemptRow {
    fn line(self) -> AttemptLine {
        AttemptLine {
            at: self.at,
            place: self.place,
            place_other: self.place_other,
            point: self.lat.zip(self.lon),
            in_corridor: self.in_corridor,
            found: self.found,
            note: self.note,
            who: self.who,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_queue_knows_the_same_open_states_as_the_machine() {
        for state in ReferralState::ALL {
            let quoted = format!("'{}'", state.code());
            assert_eq!(QUEUE_COUNT.contains(&quoted), !state.is_final(), "{state}");
        }
    }
}
