//! The booking feed: bookings and new charges from the jail or an agency, matched to
//! participants with the identity-resolution engine.
//!
//! A feed row the engine is sure of (`LINK_THRESHOLD`, the recorded birth year the row's,
//! and no second participant at all likely) becomes a booking on that participant's legal
//! page, and their case manager is notified. A row that may be a participant waits for
//! review with its candidates, and is never linked until someone says so. Every other row
//! is counted in the import and dropped: nothing about people LEAD does not know is kept.
//!
//! The uploader is told only the counts. Matching reads every participant once, in a read
//! transaction, and scores the rows in memory on every core; the import is then one write
//! transaction, refused whole if a participant it would link has since been merged away.

use std::collections::BTreeSet;

use leadhub_domain::booking::{Booking, EventKind};
use leadhub_domain::ids::{BookingImportId, BookingReviewId, ParticipantId, UserId};
use leadhub_matching::record::{RawRecord, Record};
use leadhub_matching::{Candidate, Index, lookup_model};
use sqlx::AssertSqlSafe;
use time::OffsetDateTime;

use crate::audit::{Actor, Entry};
use crate::jobs::{Notice, notify};
use crate::matching::{DISCLOSURE_THRESHOLD, KnownParticipant, REVIEW_THRESHOLD};
use crate::{Db, Result, Stamp, Tx, on_pool, on_tx};

/// How likely a participant must be a row's person for the engine alone to link them: the
/// bar the legal lookup sets before it tells anything.
pub const LINK_THRESHOLD: f64 = DISCLOSURE_THRESHOLD;
/// Most candidates kept with a row waiting for review.
const REVIEW_CANDIDATES: usize = 3;

/// What became of an upload's rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImportCounts {
    pub rows: usize,
    /// Linked to a participant by the engine.
    pub linked: usize,
    /// Waiting for someone to say whose they are.
    pub to_review: usize,
    /// Matched no participant: counted, not kept.
    pub discarded: usize,
}

/// The result of an upload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Imported {
    Done(BookingImportId, ImportCounts),
    /// A participant a row would be linked to was merged or removed while the file was being
    /// matched; nothing was imported.
    PeopleChanged,
}

/// An upload as the feed page lists it (no one's name but the uploader's).
#[derive(Debug, Clone)]
pub struct ImportLine {
    pub id: BookingImportId,
    pub uploaded_at: OffsetDateTime,
    pub uploaded_by: String,
    pub counts: ImportCounts,
}

/// A booking on a participant's legal page, newest first.
#[derive(Debug, Clone)]
pub struct BookingLine {
    pub booked_at: OffsetDateTime,
    pub released_at: Option<OffsetDateTime>,
    pub charges: String,
    pub agency: String,
    pub booking_number: Option<String>,
    pub kind: EventKind,
    /// Linked on review rather than by the engine alone.
    pub reviewed: bool,
}

/// A participant a waiting row may be.
#[derive(Debug, Clone)]
pub struct ReviewCandidate {
    pub participant: ParticipantId,
    pub name: String,
    pub birth_year: Option<i64>,
    pub case_manager: Option<String>,
    pub probability: f64,
}

/// A feed row waiting for review.
#[derive(Debug, Clone)]
pub struct BookingReview {
    pub id: BookingReviewId,
    pub given_name: String,
    pub family_name: String,
    /// YYYY-MM-DD.
    pub born_on: String,
    pub booked_at: OffsetDateTime,
    pub charges: String,
    pub agency: String,
    pub booking_number: Option<String>,
    pub kind: EventKind,
    pub created_at: OffsetDateTime,
    /// Best first.
    pub candidates: Vec<ReviewCandidate>,
}

/// The reviewer's answer for one row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewChoice {
    /// It is this candidate's booking.
    Participant(ParticipantId),
    /// It is none of theirs: the row is deleted.
    NoOne,
}

/// What became of a review.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reviewed {
    Linked(ParticipantId),
    Discarded,
    /// Someone else decided it first.
    AlreadyDecided,
    /// The participant chosen was not one of the row's candidates.
    NotACandidate,
}

/// What the engine says of one row.
#[derive(Debug, Clone, PartialEq)]
enum Fate {
    Link(ParticipantId, f64),
    Review(Vec<(ParticipantId, f64)>),
    Discard,
}

/// The rule: link only when one participant is at least `LINK_THRESHOLD` likely, their
/// recorded birth year is the row's, and no other is even `REVIEW_THRESHOLD` likely; review
/// when anyone is `REVIEW_THRESHOLD` likely; otherwise drop the row.
fn fate(candidates: &[Candidate], known: &[KnownParticipant], row_year: u16) -> Fate {
    let scored: Vec<(&KnownParticipant, f64)> = candidates
        .iter()
        .filter(|c| c.score.probability >= REVIEW_THRESHOLD)
        .filter_map(|c| {
            known
                .get(c.index as usize)
                .map(|k| (k, c.score.probability))
        })
        .collect();
    match scored.as_slice() {
        [] => Fate::Discard,
        [(only, p)] if *p >= LINK_THRESHOLD && only.birth_year == Some(i64::from(row_year)) => {
            Fate::Link(only.participant, *p)
        }
        more => Fate::Review(
            more.iter()
                .take(REVIEW_CANDIDATES)
                .map(|(k, p)| (k.participant, *p))
                .collect(),
        ),
    }
}

/// A feed row as the engine compares it: given names split into first and middle.
fn record_of(booking: &Booking) -> Record {
    let mut given = booking.given_name.split_whitespace();
    let raw = RawRecord {
        id: booking.line.to_string(),
        first_name: given.next().unwrap_or_default().to_owned(),
        middle_name: given.collect::<Vec<_>>().join(" "),
        last_name: booking.family_name.clone(),
        dob: booking.born.date().to_string(),
        ..RawRecord::default()
    };
    Record::parse_lenient(&raw, booking.born.year())
}

/// Scores every row against every participant, on every core.
async fn fates(known: Vec<KnownParticipant>, bookings: &[Booking]) -> Result<Vec<Fate>> {
    let queries: Vec<Record> = bookings.iter().map(record_of).collect();
    let years: Vec<u16> = bookings.iter().map(|b| b.born.year()).collect();
    tokio::task::spawn_blocking(move || {
        let model = lookup_model(known.len());
        let records = known.iter().map(|k| k.record.clone()).collect();
        let index = Index::new(records, model);
        index
            .lookup_many(&queries, REVIEW_CANDIDATES + 1, REVIEW_THRESHOLD)
            .iter()
            .zip(years)
            .map(|(candidates, year)| fate(candidates, &known, year))
            .collect()
    })
    .await
    .map_err(|e| crate::StoreError::Corrupt(format!("matching the feed stopped: {e}")))
}

impl Db {
    /// Imports a feed that has been read whole: matches every row, links the sure ones
    /// (notifying each participant's case manager), keeps the uncertain ones for review and
    /// drops the rest. One write transaction with an audit entry per booking linked and one
    /// for the import, which says only the counts.
    pub async fn import_bookings(
        &self,
        actor: &Actor,
        bookings: &[Booking],
        address: &str,
        now: OffsetDateTime,
    ) -> Result<Imported> {
        let now = crate::truncate_to_micros(now);
        let known = {
            let mut tx = self.begin_read().await?;
            let known = crate::matching::participant_records(&mut tx).await?;
            tx.commit().await?;
            known
        };
        let fates = fates(known, bookings).await?;
        let id = BookingImportId::new();
        let counts = ImportCounts {
            rows: bookings.len(),
            linked: fates.iter().filter(|f| matches!(f, Fate::Link(..))).count(),
            to_review: fates
                .iter()
                .filter(|f| matches!(f, Fate::Review(_)))
                .count(),
            discarded: fates.iter().filter(|f| matches!(f, Fate::Discard)).count(),
        };
        self.retrying(|| async {
            let mut tx = self.begin().await?;
            if !all_still_enrolled(&mut tx, &fates).await? {
                return Ok(Imported::PeopleChanged);
            }
            write_import(&mut tx, id, actor, counts, now).await?;
            for (booking, fate) in bookings.iter().zip(&fates) {
                match fate {
                    Fate::Link(participant, p) => {
                        let linked = Linked {
                            import: id,
                            participant: *participant,
                            probability: *p,
                            reviewer: None,
                        };
                        link(
                            &mut tx,
                            booking_fields(booking),
                            linked,
                            actor,
                            address,
                            now,
                        )
                        .await?;
                    }
                    Fate::Review(candidates) => {
                        hold_for_review(&mut tx, id, booking, candidates, now).await?;
                    }
                    Fate::Discard => {}
                }
            }
            let outcome = format!(
                "ok: {} rows, {} linked, {} to review, {} discarded",
                counts.rows, counts.linked, counts.to_review, counts.discarded
            );
            let entry = Entry::new(
                actor,
                "booking.import",
                ("booking_import", Some(id.to_string())),
                &outcome,
                now,
            )
            .with_address(Some(address));
            tx.commit_with(entry).await?;
            Ok(Imported::Done(id, counts))
        })
        .await
    }

    /// The newest uploads, with their counts.
    pub async fn recent_imports(&self, limit: i64) -> Result<Vec<ImportLine>> {
        type Row = (String, OffsetDateTime, String, i64, i64, i64, i64);
        let rows: Vec<Row> = on_pool!(self, pool => sqlx::query_as(
            "SELECT i.id, i.uploaded_at, u.name, i.file_rows, i.linked, i.to_review, i.discarded \
             FROM booking_imports i JOIN users u ON u.id = i.uploaded_by \
             ORDER BY i.uploaded_at DESC, i.id DESC LIMIT $1",
        )
        .bind(limit)
        .fetch_all(pool)
        .await?);
        rows.into_iter()
            .map(
                |(id, uploaded_at, uploaded_by, rows, linked, to_review, discarded)| {
                    let count = |n: i64| usize::try_from(n).unwrap_or(0);
                    Ok(ImportLine {
                        id: crate::triage::parse_code(&id, "booking import id")?,
                        uploaded_at,
                        uploaded_by,
                        counts: ImportCounts {
                            rows: count(rows),
                            linked: count(linked),
                            to_review: count(to_review),
                            discarded: count(discarded),
                        },
                    })
                },
            )
            .collect()
    }

    /// How many rows wait for review (no one's name: a count for the feed page).
    pub async fn bookings_waiting(&self) -> Result<i64> {
        Ok(on_pool!(self, pool => sqlx::query_scalar(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM booking_reviews",
        )
        .fetch_one(pool)
        .await?))
    }

    /// The rows waiting for review, oldest first (at most 100), each with its candidates.
    /// An audited read: it names people.
    pub async fn booking_reviews(
        &self,
        actor: &Actor,
        address: &str,
        now: OffsetDateTime,
    ) -> Result<Vec<BookingReview>> {
        let mut tx = self.begin_read().await?;
        let reviews = read_reviews(&mut tx).await?;
        tx.commit().await?;
        let outcome = format!("ok: {} shown", reviews.len());
        let entry = Entry::new(
            actor,
            "booking.review.read",
            ("booking_review", None),
            &outcome,
            now,
        )
        .with_address(Some(address));
        self.audit_read(entry).await?;
        Ok(reviews)
    }

    /// Settles a waiting row: links it to the candidate chosen (notifying their case manager)
    /// or deletes it. One transaction with its audit entry.
    pub async fn decide_booking(
        &self,
        actor: &Actor,
        review: BookingReviewId,
        choice: ReviewChoice,
        address: &str,
        now: OffsetDateTime,
    ) -> Result<Reviewed> {
        let now = crate::truncate_to_micros(now);
        self.retrying(|| async {
            let mut tx = self.begin().await?;
            let Some((import, fields)) = waiting(&mut tx, review).await? else {
                return Ok(Reviewed::AlreadyDecided);
            };
            let outcome = match choice {
                ReviewChoice::Participant(participant) => {
                    let Some(probability) = candidate(&mut tx, review, participant).await? else {
                        return Ok(Reviewed::NotACandidate);
                    };
                    let linked = Linked {
                        import,
                        participant,
                        probability,
                        reviewer: actor.user_id(),
                    };
                    link(&mut tx, fields, linked, actor, address, now).await?;
                    Reviewed::Linked(participant)
                }
                ReviewChoice::NoOne => Reviewed::Discarded,
            };
            forget_review(&mut tx, review).await?;
            let words = match outcome {
                Reviewed::Linked(p) => format!("ok: linked to participant {p}"),
                _ => "ok: no one's, discarded".to_owned(),
            };
            let entry = Entry::new(
                actor,
                "booking.review",
                ("booking_review", Some(review.to_string())),
                &words,
                now,
            )
            .with_address(Some(address));
            tx.commit_with(entry).await?;
            Ok(outcome)
        })
        .await
    }
}

/// Whether every participant a row would be linked to or reviewed against is still enrolled.
async fn all_still_enrolled(tx: &mut Tx, fates: &[Fate]) -> Result<bool> {
    let wanted: BTreeSet<String> = fates
        .iter()
        .flat_map(|f| match f {
            Fate::Link(p, _) => vec![*p],
            Fate::Review(c) => c.iter().map(|(p, _)| *p).collect(),
            Fate::Discard => Vec::new(),
        })
        .map(|p| p.to_string())
        .collect();
    let wanted: Vec<String> = wanted.into_iter().collect();
    for chunk in wanted.chunks(100) {
        let sql = format!(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM participants WHERE id IN ({})",
            crate::placeholders(chunk.len())
        );
        let found: i64 = on_tx!(tx, c => {
            let mut query = sqlx::query_scalar(AssertSqlSafe(sql.clone()));
            for id in chunk {
                query = query.bind(id);
            }
            query.fetch_one(c).await?
        });
        if usize::try_from(found).ok() != Some(chunk.len()) {
            return Ok(false);
        }
    }
    Ok(true)
}

async fn write_import(
    tx: &mut Tx,
    id: BookingImportId,
    actor: &Actor,
    counts: ImportCounts,
    now: OffsetDateTime,
) -> Result<()> {
    let count = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO booking_imports (id, uploaded_by, uploaded_at, file_rows, linked, to_review, discarded) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(id.to_string())
    .bind(actor.user_id().map(|u| u.to_string()))
    .bind(Stamp(now))
    .bind(count(counts.rows))
    .bind(count(counts.linked))
    .bind(count(counts.to_review))
    .bind(count(counts.discarded))
    .execute(c)
    .await?
    .rows_affected());
    Ok(())
}

/// What a booking says, from the feed or from a waiting row.
struct BookingFields {
    booked_at: OffsetDateTime,
    released_at: Option<OffsetDateTime>,
    charges: String,
    agency: String,
    booking_number: Option<String>,
    kind: EventKind,
}

fn booking_fields(booking: &Booking) -> BookingFields {
    BookingFields {
        booked_at: booking.booked_at,
        released_at: booking.released_at,
        charges: booking.charges.clone(),
        agency: booking.agency.clone(),
        booking_number: booking.booking_number.clone(),
        kind: booking.kind,
    }
}

/// Whose a booking is and who said so.
struct Linked {
    import: BookingImportId,
    participant: ParticipantId,
    probability: f64,
    /// `None`: the engine alone.
    reviewer: Option<UserId>,
}

/// Writes the booking, notifies the participant's case manager (or, with none, the project
/// managers) and audits the write.
async fn link(
    tx: &mut Tx,
    fields: BookingFields,
    linked: Linked,
    actor: &Actor,
    address: &str,
    now: OffsetDateTime,
) -> Result<()> {
    let booking = leadhub_domain::ids::BookingId::new().to_string();
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO bookings (id, participant_id, import_id, booked_at, released_at, charges, agency, \
         booking_number, probability, linked_by, linked_at, kind) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(&booking)
    .bind(linked.participant.to_string())
    .bind(linked.import.to_string())
    .bind(Stamp(crate::truncate_to_micros(fields.booked_at)))
    .bind(fields.released_at.map(|r| Stamp(crate::truncate_to_micros(r))))
    .bind(&fields.charges)
    .bind(&fields.agency)
    .bind(&fields.booking_number)
    .bind(linked.probability)
    .bind(linked.reviewer.map(|u| u.to_string()))
    .bind(Stamp(now))
    .bind(fields.kind.code())
    .execute(c)
    .await?
    .rows_affected());
    let (person, case_manager): (String, Option<String>) = on_tx!(tx, c => sqlx::query_as(
        "SELECT person_id, case_manager_id FROM participants WHERE id = $1",
    )
    .bind(linked.participant.to_string())
    .fetch_one(c)
    .await?);
    let recipients = match case_manager {
        Some(user) => vec![user],
        None => on_tx!(tx, c => sqlx::query_scalar(
            "SELECT id FROM users WHERE role = $1 AND NOT disabled ORDER BY id",
        )
        .bind(leadhub_domain::access::Role::ProjectManager.code())
        .fetch_all(c)
        .await?),
    };
    let participant = linked.participant.to_string();
    for user in recipients {
        let note = Notice {
            kind: "booking",
            record: ("participant", &participant),
            body: "New booking for someone you work with: their legal page has it.",
            dedupe_key: &format!("booking:{booking}:{user}"),
        };
        notify(tx, &user, note, now).await?;
    }
    let outcome = match linked.reviewer {
        Some(_) => "ok: linked on review",
        None => "ok: linked by the engine",
    };
    let mut entry = Entry::new(
        actor,
        "booking.link",
        ("participant", Some(participant.clone())),
        outcome,
        now,
    )
    .with_address(Some(address));
    entry.subject = Some(person);
    crate::audit::append(tx, entry).await
}

async fn hold_for_review(
    tx: &mut Tx,
    import: BookingImportId,
    booking: &Booking,
    candidates: &[(ParticipantId, f64)],
    now: OffsetDateTime,
) -> Result<()> {
    let review = BookingReviewId::new().to_string();
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO booking_reviews (id, import_id, given_name, family_name, born_on, booked_at, released_at, \
         charges, agency, booking_number, created_at, kind) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(&review)
    .bind(import.to_string())
    .bind(&booking.given_name)
    .bind(&booking.family_name)
    .bind(booking.born.date().to_string())
    .bind(Stamp(crate::truncate_to_micros(booking.booked_at)))
    .bind(booking.released_at.map(|r| Stamp(crate::truncate_to_micros(r))))
    .bind(&booking.charges)
    .bind(&booking.agency)
    .bind(&booking.booking_number)
    .bind(Stamp(now))
    .bind(booking.kind.code())
    .execute(c)
    .await?
    .rows_affected());
    for (position, (participant, p)) in candidates.iter().enumerate() {
        on_tx!(tx, c => sqlx::query(
            "INSERT INTO booking_candidates (id, review_id, participant_id, position, probability) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(uuid::Uuid::now_v7().to_string())
        .bind(&review)
        .bind(participant.to_string())
        .bind(i64::try_from(position).unwrap_or(i64::MAX))
        .bind(*p)
        .execute(c)
        .await?
        .rows_affected());
    }
    Ok(())
}

type ReviewRow = (
    String,
    String,
    String,
    String,
    String,
    OffsetDateTime,
    Option<OffsetDateTime>,
    String,
    String,
    Option<String>,
    OffsetDateTime,
    String,
);

const REVIEW_COLUMNS: &str = "id, import_id, given_name, family_name, born_on, booked_at, released_at, \
     charges, agency, booking_number, created_at, kind FROM booking_reviews";

fn kind_of(code: &str) -> Result<EventKind> {
    crate::triage::parse_code(code, "booking kind")
}

/// A waiting row's import and booking, if it is still waiting.
async fn waiting(
    tx: &mut Tx,
    review: BookingReviewId,
) -> Result<Option<(BookingImportId, BookingFields)>> {
    let sql = format!("SELECT {REVIEW_COLUMNS} WHERE id = $1");
    let row: Option<ReviewRow> = on_tx!(tx, c => sqlx::query_as(AssertSqlSafe(sql.clone()))
        .bind(review.to_string())
        .fetch_optional(c)
        .await?);
    let Some((
        _,
        import,
        _,
        _,
        _,
        booked_at,
        released_at,
        charges,
        agency,
        booking_number,
        _,
        kind,
    )) = row
    else {
        return Ok(None);
    };
    Ok(Some((
        crate::triage::parse_code(&import, "booking import id")?,
        BookingFields {
            booked_at,
            released_at,
            charges,
            agency,
            booking_number,
            kind: kind_of(&kind)?,
        },
    )))
}

/// The chosen participant's probability, if they are one of the row's candidates.
async fn candidate(
    tx: &mut Tx,
    review: BookingReviewId,
    participant: ParticipantId,
) -> Result<Option<f64>> {
    Ok(on_tx!(tx, c => sqlx::query_scalar(
        "SELECT probability FROM booking_candidates WHERE review_id = $1 AND participant_id = $2 \
         ORDER BY position LIMIT 1",
    )
    .bind(review.to_string())
    .bind(participant.to_string())
    .fetch_optional(c)
    .await?))
}

async fn forget_review(tx: &mut Tx, review: BookingReviewId) -> Result<()> {
    on_tx!(tx, c => sqlx::query("DELETE FROM booking_candidates WHERE review_id = $1")
        .bind(review.to_string())
        .execute(c)
        .await?
        .rows_affected());
    on_tx!(tx, c => sqlx::query("DELETE FROM booking_reviews WHERE id = $1")
        .bind(review.to_string())
        .execute(c)
        .await?
        .rows_affected());
    Ok(())
}

async fn read_reviews(tx: &mut Tx) -> Result<Vec<BookingReview>> {
    let sql = format!("SELECT {REVIEW_COLUMNS} ORDER BY created_at, id LIMIT 100");
    let rows: Vec<ReviewRow> =
        on_tx!(tx, c => sqlx::query_as(AssertSqlSafe(sql.clone())).fetch_all(c).await?);
    let mut reviews = Vec::with_capacity(rows.len());
    for row in rows {
        let (
            id,
            _,
            given_name,
            family_name,
            born_on,
            booked_at,
            _,
            charges,
            agency,
            number,
            created,
            kind,
        ) = row;
        type CandidateRow = (
            String,
            f64,
            Option<String>,
            Option<String>,
            Option<i64>,
            Option<String>,
        );
        let found: Vec<CandidateRow> = on_tx!(tx, c => sqlx::query_as(
            "SELECT c.participant_id, c.probability, pe.given_name, pe.family_name, pe.birth_year, u.name \
             FROM booking_candidates c JOIN participants p ON p.id = c.participant_id \
             JOIN people pe ON pe.id = p.person_id LEFT JOIN users u ON u.id = p.case_manager_id \
             WHERE c.review_id = $1 ORDER BY c.position",
        )
        .bind(&id)
        .fetch_all(c)
        .await?);
        let candidates = found
            .into_iter()
            .map(
                |(participant, probability, given, family, birth_year, case_manager)| {
                    Ok(ReviewCandidate {
                        participant: crate::triage::parse_code(&participant, "participant id")?,
                        name: crate::participants::full_name(given.as_deref(), family.as_deref()),
                        birth_year,
                        case_manager,
                        probability,
                    })
                },
            )
            .collect::<Result<Vec<_>>>()?;
        reviews.push(BookingReview {
            id: crate::triage::parse_code(&id, "booking review id")?,
            given_name,
            family_name,
            born_on,
            booked_at,
            charges,
            agency,
            booking_number: number,
            kind: kind_of(&kind)?,
            created_at: created,
            candidates,
        });
    }
    Ok(reviews)
}

/// A participant's bookings, newest first, for their legal page.
pub(crate) async fn bookings_of(
    tx: &mut Tx,
    participant: ParticipantId,
) -> Result<Vec<BookingLine>> {
    type Row = (
        OffsetDateTime,
        Option<OffsetDateTime>,
        String,
        String,
        Option<String>,
        Option<String>,
        String,
    );
    let rows: Vec<Row> = on_tx!(tx, c => sqlx::query_as(
        "SELECT booked_at, released_at, charges, agency, booking_number, linked_by, kind FROM bookings \
         WHERE participant_id = $1 ORDER BY booked_at DESC, id DESC",
    )
    .bind(participant.to_string())
    .fetch_all(c)
    .await?);
    rows.into_iter()
        .map(
            |(booked_at, released_at, charges, agency, booking_number, linked_by, kind)| {
                Ok(BookingLine {
                    booked_at,
                    released_at,
                    charges,
                    agency,
                    booking_number,
                    kind: kind_of(&kind)?,
                    reviewed: linked_by.is_some(),
                })
            },
        )
        .collect()
}
