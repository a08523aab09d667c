//! Case management after enrolment: logging contacts (one at a time, or "seen today" for a
//! whole outreach round), monthly status snapshots, caseload views and changing who a
//! participant's case manager is.
//!
//! Every write checks, inside its transaction, that the participant is in the writer's reach
//! (their own caseload unless their permission covers the whole site), and writes its audit
//! entry with the person as subject. Contacts and snapshots are only ever added; the one edit
//! (the case manager) is versioned, so a stale page is refused, not applied.

use leadhub_domain::BusinessCalendar;
use leadhub_domain::access::{Role, Scope};
use leadhub_domain::consent::{Release, Sensitivity};
use leadhub_domain::ids::{ContactId, NoteId, ParticipantId, ReleaseId, SnapshotId, UserId};
use leadhub_domain::participant::NewContact;
use leadhub_domain::snapshot::{Month, NewSnapshot, one_code, set_code};
use time::OffsetDateTime;

use crate::audit::{self, Actor, Entry};
use crate::{Db, Result, Stamp, StoreError, Tx, on_tx};

/// Who is doing casework, and how far their permission for it reaches.
#[derive(Debug, Clone)]
pub struct Caseworker<'a> {
    pub user: UserId,
    pub role: Role,
    pub scope: Scope,
    /// The organisation they work for (what releases of information name), if any: a
    /// consented scope reaches only people with an active release to it.
    pub organization: Option<&'a str>,
    pub address: &'a str,
    pub now: OffsetDateTime,
}

impl Caseworker<'_> {
    fn actor(&self) -> Actor {
        Actor::User {
            id: self.user,
            role: self.role,
        }
    }

    /// The worker as the participant gate sees a reader.
    pub(crate) fn reader(&self) -> crate::Reader {
        crate::Reader {
            id: self.user,
            role: self.role,
            organization: self.organization.map(str::to_owned),
        }
    }

    pub(crate) fn entry(
        &self,
        action: &'static str,
        record: (&'static str, Option<String>),
        outcome: String,
        subject: Option<String>,
    ) -> OwnedEntry {
        OwnedEntry {
            actor: self.actor(),
            action,
            record,
            outcome,
            subject,
            address: self.address.to_owned(),
            at: crate::truncate_to_micros(self.now),
        }
    }
}

/// An audit entry that owns its parts, so a use case can build several before writing them.
pub(crate) struct OwnedEntry {
    actor: Actor,
    action: &'static str,
    record: (&'static str, Option<String>),
    outcome: String,
    subject: Option<String>,
    address: String,
    at: OffsetDateTime,
}

impl OwnedEntry {
    pub(crate) fn entry(&self) -> Entry<'_> {
        let mut entry = Entry::new(
            &self.actor,
            self.action,
            (self.record.0, self.record.1.clone()),
            &self.outcome,
            self.at,
        )
        .with_address(Some(&self.address));
        entry.subject = self.subject.clone();
        entry
    }
}

/// How a casework write ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Casework<T> {
    Done(T),
    NotFound,
    /// Not in the writer's caseload (nothing was written but the refusal's audit entry).
    OutOfReach,
    /// The contact or snapshot is dated before the participant's record begins.
    BeforeStart,
    /// The page showed an older version of the record.
    Stale,
    /// The person chosen cannot hold a caseload.
    NotAssignable,
}

/// How a write step ended: it wrote (the record its audit entry names, and its result), or
/// it refused (the outcome, and the words its audit entry records); a refusal rolls back.
pub(crate) enum Step<T> {
    Wrote((&'static str, String), T),
    Refused(Casework<T>, String),
}

pub(crate) type ReadFuture<'t, T> =
    std::pin::Pin<Box<dyn std::future::Future<Output = Result<T>> + Send + 't>>;

pub(crate) type StepFuture<'t, T> =
    std::pin::Pin<Box<dyn std::future::Future<Output = Result<Step<T>>> + Send + 't>>;

/// What a write needs to know about the participant, read under the write lock.
pub(crate) struct Target {
    pub(crate) person_id: String,
    case_manager_id: Option<String>,
    enrolled_at: OffsetDateTime,
    referred_at: Option<OffsetDateTime>,
    version: i64,
}

/// `target` for a write: first takes the participant's row (a row lock on PostgreSQL; SQLite's
/// one writer already excludes others), so a change of case manager cannot slip between the
/// reach check and the write.
pub(crate) async fn take_target(tx: &mut Tx, participant: ParticipantId) -> Result<Option<Target>> {
    on_tx!(tx, c => sqlx::query("UPDATE participants SET version = version WHERE id = $1")
        .bind(participant.to_string())
        .execute(c)
        .await?
        .rows_affected());
    target(tx, participant).await
}

pub(crate) async fn target(tx: &mut Tx, participant: ParticipantId) -> Result<Option<Target>> {
    type Row = (
        String,
        Option<String>,
        OffsetDateTime,
        Option<OffsetDateTime>,
        i64,
    );
    let row: Option<Row> = on_tx!(tx, c => sqlx::query_as(
        "SELECT p.person_id, p.case_manager_id, p.enrolled_at, r.received_at, CAST(p.version AS BIGINT) \
         FROM participants p LEFT JOIN referrals r ON r.id = p.referral_id WHERE p.id = $1",
    )
    .bind(participant.to_string())
    .fetch_optional(c)
    .await?);
    Ok(row.map(
        |(person_id, case_manager_id, enrolled_at, referred_at, version)| Target {
            person_id,
            case_manager_id,
            enrolled_at,
            referred_at,
            version,
        },
    ))
}

impl Target {
    pub(crate) fn in_reach(&self, worker: &Caseworker<'_>) -> bool {
        self.in_scope(worker.scope, worker.user)
    }

    /// Whether `user`'s permission reaching `scope` covers this participant without a
    /// release: the whole site, or their own caseload.
    pub(crate) fn in_scope(&self, scope: Scope, user: UserId) -> bool {
        match scope {
            Scope::All => true,
            Scope::Own => self.case_manager_id.as_deref() == Some(&user.to_string()),
            Scope::Consented => false,
        }
    }

    /// The first month a snapshot may describe: the month before the referral (the
    /// baseline evaluations compare with), or before enrolment when there was no referral.
    fn first_month(&self, calendar: &BusinessCalendar) -> Month {
        let started = self.referred_at.unwrap_or(self.enrolled_at);
        Month::of(calendar.day_of(started)).previous()
    }
}

/// Keeps `last_seen_at` the latest of what it was and `at`.
async fn seen(tx: &mut Tx, participant: ParticipantId, at: OffsetDateTime) -> Result<()> {
    on_tx!(tx, c => sqlx::query(
        "UPDATE participants SET last_seen_at = CASE WHEN last_seen_at IS NULL OR last_seen_at < $2 \
         THEN $2 ELSE last_seen_at END WHERE id = $1",
    )
    .bind(participant.to_string())
    .bind(Stamp(at))
    .execute(c)
    .await?
    .rows_affected());
    Ok(())
}

async fn insert_contact(
    tx: &mut Tx,
    participant: ParticipantId,
    contact: &NewContact,
    logged_by: UserId,
    logged_at: OffsetDateTime,
) -> Result<ContactId> {
    let id = ContactId::new();
    let services: Vec<&str> = contact.services.iter().map(|s| s.code()).collect();
    let w = &contact.whereabouts;
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO contacts (id, participant_id, at, kind, place, minutes, services, note, place_other, \
         lat, lon, in_corridor, logged_by, logged_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
    )
    .bind(id.to_string())
    .bind(participant.to_string())
    .bind(Stamp(crate::truncate_to_micros(contact.at)))
    .bind(contact.kind.code())
    .bind(w.place.as_deref())
    .bind(i64::from(contact.minutes.get()))
    .bind(services.join(" "))
    .bind(contact.note.as_deref())
    .bind(w.other.as_deref())
    .bind(w.point.map(|p| p.lat))
    .bind(w.point.map(|p| p.lon))
    .bind(w.in_corridor)
    .bind(logged_by.to_string())
    .bind(Stamp(crate::truncate_to_micros(logged_at)))
    .execute(c)
    .await?
    .rows_affected());
    seen(tx, participant, crate::truncate_to_micros(contact.at)).await?;
    Ok(id)
}

/// Which participants a caseload view lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Whose {
    Mine,
    Team,
}

/// Which of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseloadFilter {
    Everyone,
    /// Not seen for at least this many days.
    NotSeen(u16),
    /// With an active release that expires within 30 days.
    ConsentsExpiring,
    /// Active, with no status snapshot for the current month.
    StatusDue,
}

/// Days ahead in which an expiring release becomes a task.
pub const CONSENT_EXPIRY_WARNING_DAYS: i64 = 30;
/// A caseload view lists at most this many people.
pub const CASELOAD_LIMIT: i64 = 300;

/// One line of a caseload view.
#[derive(Debug, Clone)]
pub struct CaseloadLine {
    pub id: ParticipantId,
    pub name: String,
    pub case_manager: Option<String>,
    pub case_manager_id: Option<UserId>,
    pub enrolled_at: OffsetDateTime,
    pub last_seen_at: OffsetDateTime,
    /// The earliest expiry of an active release, when within the warning window.
    pub consent_expires: Option<OffsetDateTime>,
    pub status_recorded_this_month: bool,
}

/// Caseload sizes for the project manager: (case manager, participants, active ones).
#[derive(Debug, Clone)]
pub struct CaseloadSize {
    pub user_id: Option<UserId>,
    pub name: Option<String>,
    pub participants: i64,
    pub active: i64,
}

/// The caseload SQL: the same columns, one `WHERE` per view (each view is its own SQL text,
/// so each gets its own plan and index: "mine" walks the case manager's index).
/// `last_seen_at` is set at enrolment and by every contact (migration 0006 filled it for
/// older rows), so it is read bare and its indexes serve the "not seen" views.
macro_rules! caseload_select {
    ($whose:literal, $filter:literal, $order:literal, $outer_order:literal) => {
        // The page is chosen first on narrow rows, walking an index in the view's order
        // (people_by_name, participants_seen); only its rows pay for the two subqueries.
        concat!(
            "SELECT c.id, c.given_name, c.family_name, u.name, c.case_manager_id, c.enrolled_at, ",
            "COALESCE(c.last_seen_at, c.enrolled_at), ",
            "(SELECT MIN(r.expires_at) FROM releases r WHERE r.participant_id = c.id AND r.revoked_at IS NULL ",
            "AND r.signed_at <= $2 AND r.expires_at > $2 AND r.expires_at <= $3) AS expiring, ",
            "EXISTS (SELECT 1 FROM status_snapshots s WHERE s.participant_id = c.id AND s.month = $4) AS recorded ",
            "FROM (SELECT p.id, pe.id AS person_id, pe.given_name, pe.family_name, p.case_manager_id, p.enrolled_at, p.last_seen_at ",
            "FROM participants p JOIN people pe ON pe.id = p.person_id ",
            "WHERE ",
            $whose,
            " AND ",
            $filter,
            " ORDER BY ",
            $order,
            " LIMIT $6) c ",
            "LEFT JOIN users u ON u.id = c.case_manager_id ",
            "ORDER BY ",
            $outer_order
        )
    };
}

macro_rules! caseload_views {
    ($whose:literal) => {
        [
            caseload_select!(
                $whose,
                "$5 = $5",
                "COALESCE(pe.family_name, ''), COALESCE(pe.given_name, ''), pe.id",
                "COALESCE(c.family_name, ''), COALESCE(c.given_name, ''), c.person_id"
            ),
            caseload_select!(
                $whose,
                "p.last_seen_at < $5",
                "p.last_seen_at, p.id",
                "c.last_seen_at, c.id"
            ),
            caseload_select!(
                $whose,
                "$5 = $5 AND EXISTS (SELECT 1 FROM releases r WHERE r.participant_id = p.id AND r.revoked_at IS NULL \
                 AND r.signed_at <= $2 AND r.expires_at > $2 AND r.expires_at <= $3)",
                "COALESCE(pe.family_name, ''), COALESCE(pe.given_name, ''), pe.id",
                "COALESCE(c.family_name, ''), COALESCE(c.given_name, ''), c.person_id"
            ),
            caseload_select!(
                $whose,
                "p.last_seen_at > $5 AND NOT EXISTS \
                 (SELECT 1 FROM status_snapshots s WHERE s.participant_id = p.id AND s.month = $4)",
                "COALESCE(pe.family_name, ''), COALESCE(pe.given_name, ''), pe.id",
                "COALESCE(c.family_name, ''), COALESCE(c.given_name, ''), c.person_id"
            ),
        ]
    };
}

/// Mine: `$1` is the case manager. Team: `$1` is bound but unused.
const MINE: [&str; 4] = caseload_views!("p.case_manager_id = $1");
const TEAM: [&str; 4] = caseload_views!("$1 = $1");

/// What a casework form shows about the person it is for.
#[derive(Debug, Clone)]
pub struct Brief {
    pub name: String,
    pub version: i64,
    /// Where the latest contact was (a site place key): the contact form starts there.
    pub last_place: Option<String>,
    /// The first month a status snapshot may describe.
    pub first_month: Month,
    pub enrolled_at: OffsetDateTime,
}

impl Db {
    /// The person a casework form is for, if in the worker's reach (an audited read: it
    /// shows their name).
    pub async fn participant_brief(
        &self,
        worker: &Caseworker<'_>,
        participant: ParticipantId,
        calendar: &BusinessCalendar,
    ) -> Result<Casework<Brief>> {
        self.in_reach_read(worker, participant, "form", |tx, target| {
            let (version, enrolled_at) = (target.version, target.enrolled_at);
            let first_month = target.first_month(calendar);
            Box::pin(async move {
                type Names = (Option<String>, Option<String>, Option<String>);
                let (given, family, last_place): Names = on_tx!(tx, c => sqlx::query_as(
                    "SELECT pe.given_name, pe.family_name, \
                     (SELECT c.place FROM contacts c WHERE c.participant_id = p.id ORDER BY c.at DESC, c.id DESC LIMIT 1) \
                     FROM participants p JOIN people pe ON pe.id = p.person_id WHERE p.id = $1",
                )
                .bind(participant.to_string())
                .fetch_one(c)
                .await?);
                Ok(Brief {
                    name: crate::participants::full_name(given.as_deref(), family.as_deref()),
                    version,
                    last_place,
                    first_month,
                    enrolled_at,
                })
            })
        })
        .await
    }

    /// Runs `read` for a participant in the worker's reach, in one read snapshot, and hands
    /// its result out only once the audited read ("ok: {what}", or the refusal of someone
    /// out of reach) is recorded: the read counterpart of `in_reach_write`.
    pub(crate) async fn in_reach_read<T, R>(
        &self,
        worker: &Caseworker<'_>,
        participant: ParticipantId,
        what: &'static str,
        read: R,
    ) -> Result<Casework<T>>
    where
        R: for<'t> FnOnce(&'t mut Tx, &'t Target) -> ReadFuture<'t, T>,
    {
        let mut tx = self.begin_read().await?;
        let Some(target) = target(&mut tx, participant).await? else {
            return Ok(Casework::NotFound);
        };
        let value = if target.in_reach(worker) {
            Some(read(&mut tx, &target).await?)
        } else {
            None
        };
        tx.commit().await?;
        let outcome = if value.is_some() {
            format!("ok: {what}")
        } else {
            "refused: out_of_reach".to_owned()
        };
        let entry = worker.entry(
            "participant.read",
            ("participant", Some(participant.to_string())),
            outcome,
            Some(target.person_id),
        );
        self.audit_read(entry.entry()).await?;
        Ok(value.map_or(Casework::OutOfReach, Casework::Done))
    }

    /// Logs one contact. The participant must be in reach; the contact may not be dated
    /// before enrolment.
    pub async fn log_contact(
        &self,
        worker: &Caseworker<'_>,
        participant: ParticipantId,
        contact: &NewContact,
    ) -> Result<Casework<ContactId>> {
        self.in_reach_write(worker, participant, "contact.log", |tx, target| {
            let contact = contact.clone();
            let (user, now) = (worker.user, worker.now);
            Box::pin(async move {
                if contact.at < target.enrolled_at {
                    return Ok(Step::Refused(
                        Casework::BeforeStart,
                        "refused: before_enrolment".into(),
                    ));
                }
                let id = insert_contact(tx, participant, &contact, user, now).await?;
                Ok(Step::Wrote(("contact", id.to_string()), id))
            })
        })
        .await
    }

    /// "Seen today": the same contact for each of `participants`, in one transaction: all of
    /// them are logged, or (if any is out of reach or unknown) none.
    pub async fn log_seen(
        &self,
        worker: &Caseworker<'_>,
        participants: &[ParticipantId],
        contact: &NewContact,
    ) -> Result<Casework<usize>> {
        self.retrying(|| async {
            let mut tx = self.begin().await?;
            let mut entries = Vec::with_capacity(participants.len());
            for participant in participants {
                let Some(target) = take_target(&mut tx, *participant).await? else {
                    return Ok(Casework::NotFound);
                };
                if !target.in_reach(worker) || contact.at < target.enrolled_at {
                    drop(tx);
                    let outcome = if target.in_reach(worker) {
                        Casework::BeforeStart
                    } else {
                        Casework::OutOfReach
                    };
                    let entry = worker.entry(
                        "contact.log_seen",
                        ("participant", Some(participant.to_string())),
                        if target.in_reach(worker) {
                            "refused: before_enrolment".into()
                        } else {
                            "refused: out_of_reach".into()
                        },
                        Some(target.person_id),
                    );
                    self.record_alone(entry.entry()).await?;
                    return Ok(outcome);
                }
                let id =
                    insert_contact(&mut tx, *participant, contact, worker.user, worker.now).await?;
                entries.push(worker.entry(
                    "contact.log_seen",
                    ("contact", Some(id.to_string())),
                    "ok".into(),
                    Some(target.person_id),
                ));
            }
            let Some((last, rest)) = entries.split_last() else {
                return Ok(Casework::Done(0));
            };
            for entry in rest {
                audit::append(&mut tx, entry.entry()).await?;
            }
            tx.commit_with(last.entry()).await?;
            Ok(Casework::Done(participants.len()))
        })
        .await
    }

    /// Adds a monthly status snapshot (never replacing an earlier one).
    pub async fn record_snapshot(
        &self,
        worker: &Caseworker<'_>,
        participant: ParticipantId,
        snapshot: &NewSnapshot,
        calendar: &BusinessCalendar,
    ) -> Result<Casework<SnapshotId>> {
        self.in_reach_write(worker, participant, "status.record", |tx, target| {
            let snapshot = snapshot.clone();
            let first_month = target.first_month(calendar);
            let (user, now) = (worker.user, crate::truncate_to_micros(worker.now));
            Box::pin(async move {
                if snapshot.month < first_month {
                    return Ok(Step::Refused(Casework::BeforeStart, "refused: before_start".into()));
                }
                let id = SnapshotId::new();
                on_tx!(tx, c => sqlx::query(
                    "INSERT INTO status_snapshots (id, participant_id, month, living, employment, income, coverage, \
                     recorded_at, recorded_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                )
                .bind(id.to_string())
                .bind(participant.to_string())
                .bind(snapshot.month.to_string())
                .bind(one_code(&snapshot.living))
                .bind(one_code(&snapshot.employment))
                .bind(set_code(&snapshot.income))
                .bind(set_code(&snapshot.coverage))
                .bind(Stamp(now))
                .bind(user.to_string())
                .execute(c)
                .await?
                .rows_affected());
                Ok(Step::Wrote(("status_snapshot", id.to_string()), id))
            })
        })
        .await
    }

    /// Adds a labelled note to a participant in reach.
    pub async fn write_note(
        &self,
        worker: &Caseworker<'_>,
        participant: ParticipantId,
        sensitivity: Sensitivity,
        body: &str,
    ) -> Result<Casework<NoteId>> {
        self.in_reach_write(worker, participant, "note.write", |tx, _| {
            let body = body.to_owned();
            let author = worker.user.to_string();
            let now = crate::truncate_to_micros(worker.now);
            Box::pin(async move {
                let id = NoteId::new();
                on_tx!(tx, c => sqlx::query(
                    "INSERT INTO notes (id, participant_id, written_at, author_id, sensitivity, body) \
                     VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(id.to_string())
                .bind(participant.to_string())
                .bind(Stamp(now))
                .bind(author)
                .bind(sensitivity.code())
                .bind(body)
                .execute(c)
                .await?
                .rows_affected());
                Ok(Step::Wrote(("note", id.to_string()), id))
            })
        })
        .await
    }

    /// Records a signed release of information for a participant in reach.
    pub async fn add_release(
        &self,
        worker: &Caseworker<'_>,
        participant: ParticipantId,
        release: &Release,
    ) -> Result<Casework<ReleaseId>> {
        self.in_reach_write(worker, participant, "release.record", |tx, _| {
            let release = release.clone();
            let by = worker.actor().as_str().into_owned();
            let now = crate::truncate_to_micros(worker.now);
            Box::pin(async move {
                let id = ReleaseId::new();
                let covers: Vec<&str> = release.covers.iter().map(|c| c.code()).collect();
                on_tx!(tx, c => sqlx::query(
                    "INSERT INTO releases (id, participant_id, discloser, recipient, covers, purpose, \
                     signed_at, expires_at, revoked_at, recorded_by, recorded_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULL, $9, $10)",
                )
                .bind(id.to_string())
                .bind(participant.to_string())
                .bind(&release.discloser)
                .bind(&release.recipient)
                .bind(covers.join(" "))
                .bind(&release.purpose)
                .bind(Stamp(crate::truncate_to_micros(release.signed_at)))
                .bind(Stamp(crate::truncate_to_micros(release.expires_at)))
                .bind(by)
                .bind(Stamp(now))
                .execute(c)
                .await?
                .rows_affected());
                Ok(Step::Wrote(("release", id.to_string()), id))
            })
        })
        .await
    }

    /// Revokes one of a participant's releases from now on. `Stale` when the release is
    /// not theirs or was revoked already.
    pub async fn revoke_participant_release(
        &self,
        worker: &Caseworker<'_>,
        participant: ParticipantId,
        release: ReleaseId,
    ) -> Result<Casework<()>> {
        self.in_reach_write(worker, participant, "release.revoke", |tx, _| {
            let now = crate::truncate_to_micros(worker.now);
            Box::pin(async move {
                let changed = on_tx!(tx, c => sqlx::query(
                    "UPDATE releases SET revoked_at = $1 WHERE id = $2 AND participant_id = $3 AND revoked_at IS NULL",
                )
                .bind(Stamp(now))
                .bind(release.to_string())
                .bind(participant.to_string())
                .execute(c)
                .await?
                .rows_affected());
                Ok(if changed == 1 {
                    Step::Wrote(("release", release.to_string()), ())
                } else {
                    // Revoked already, or not this participant's: the page was out of date.
                    Step::Refused(Casework::Stale, "refused: not_revocable".into())
                })
            })
        })
        .await
    }

    /// Runs `write` for a participant in the worker's reach, in one transaction with its
    /// audit entry (on the record `write` names); a participant out of reach is refused
    /// and only the refusal is recorded.
    pub(crate) async fn in_reach_write<T, W>(
        &self,
        worker: &Caseworker<'_>,
        participant: ParticipantId,
        action: &'static str,
        write: W,
    ) -> Result<Casework<T>>
    where
        W: for<'t> Fn(&'t mut Tx, &'t Target) -> StepFuture<'t, T>,
    {
        self.retrying(|| async {
            let mut tx = self.begin().await?;
            let Some(target) = take_target(&mut tx, participant).await? else {
                return Ok(Casework::NotFound);
            };
            let step = if target.in_reach(worker) {
                write(&mut tx, &target).await?
            } else {
                Step::Refused(Casework::OutOfReach, "refused: out_of_reach".into())
            };
            let done = (action, participant, target.person_id);
            self.finish_step(tx, worker, done, step, "ok".into()).await
        })
        .await
    }

    /// Ends a write step for the person `done` names: commits it with its audit entry
    /// (saying `ok_words`), or drops it (a rollback) and records the refusal alone.
    pub(crate) async fn finish_step<T>(
        &self,
        tx: Tx,
        worker: &Caseworker<'_>,
        (action, participant, person_id): (&'static str, ParticipantId, String),
        step: Step<T>,
        ok_words: String,
    ) -> Result<Casework<T>> {
        match step {
            Step::Wrote((record_type, record_id), value) => {
                let entry = worker.entry(
                    action,
                    (record_type, Some(record_id)),
                    ok_words,
                    Some(person_id),
                );
                tx.commit_with(entry.entry()).await?;
                Ok(Casework::Done(value))
            }
            Step::Refused(outcome, words) => {
                drop(tx);
                let entry = worker.entry(
                    action,
                    ("participant", Some(participant.to_string())),
                    words,
                    Some(person_id),
                );
                self.record_alone(entry.entry()).await?;
                Ok(outcome)
            }
        }
    }

    /// Makes `case_manager` the participant's case manager, if the page showed `version`.
    /// Only active case managers and project managers can hold a caseload.
    pub async fn change_case_manager(
        &self,
        worker: &Caseworker<'_>,
        participant: ParticipantId,
        version: i64,
        case_manager: UserId,
    ) -> Result<Casework<()>> {
        self.in_reach_write(worker, participant, "participant.case_manager", |tx, target| {
            let current = target.version;
            Box::pin(async move {
                if !crate::triage::assignable(tx, case_manager).await? {
                    return Ok(Step::Refused(Casework::NotAssignable, "refused: not_assignable".into()));
                }
                let changed = on_tx!(tx, c => sqlx::query(
                    "UPDATE participants SET case_manager_id = $1, version = version + 1 WHERE id = $2 AND version = $3",
                )
                .bind(case_manager.to_string())
                .bind(participant.to_string())
                .bind(version)
                .execute(c)
                .await?
                .rows_affected());
                Ok(if changed == 1 {
                    Step::Wrote(("participant", participant.to_string()), ())
                } else {
                    Step::Refused(
                        Casework::Stale,
                        format!("refused: stale (page {version}, record {current})"),
                    )
                })
            })
        })
        .await
    }

    /// A caseload view (at most `CASELOAD_LIMIT` people, and whether there are more), as an
    /// audited read. `inactive_after_days` is the site's rule (the
    /// "status due" view lists active participants only).
    pub async fn caseload(
        &self,
        worker: &Caseworker<'_>,
        whose: Whose,
        filter: CaseloadFilter,
        current_month: Month,
        inactive_after_days: u16,
    ) -> Result<(Vec<CaseloadLine>, bool)> {
        let now = crate::truncate_to_micros(worker.now);
        let views = match whose {
            Whose::Mine => &MINE,
            Whose::Team => &TEAM,
        };
        let days = |d: u16| now - time::Duration::days(i64::from(d));
        let (sql, cutoff) = match filter {
            CaseloadFilter::Everyone => (views[0], now),
            CaseloadFilter::NotSeen(d) => (views[1], days(d)),
            CaseloadFilter::ConsentsExpiring => (views[2], now),
            CaseloadFilter::StatusDue => (views[3], days(inactive_after_days)),
        };
        let warning = now + time::Duration::days(CONSENT_EXPIRY_WARNING_DAYS);
        type Row = (
            String,
            Option<String>,
            Option<String>,
            Option<String>,
            Option<String>,
            OffsetDateTime,
            OffsetDateTime,
            Option<OffsetDateTime>,
            bool,
        );
        let mut tx = self.begin_read().await?;
        let rows: Vec<Row> = on_tx!(&mut tx, c => sqlx::query_as(sql)
            .bind(worker.user.to_string())
            .bind(Stamp(now))
            .bind(Stamp(warning))
            .bind(current_month.to_string())
            .bind(Stamp(cutoff))
            // One more than a page tells whether there are more.
            .bind(CASELOAD_LIMIT + 1)
            .fetch_all(c)
            .await?);
        tx.commit().await?;
        let lines = rows
            .into_iter()
            .map(
                |(
                    id,
                    given,
                    family,
                    case_manager,
                    case_manager_id,
                    enrolled_at,
                    last_seen_at,
                    expiring,
                    recorded,
                )| {
                    Ok(CaseloadLine {
                        id: id
                            .parse()
                            .map_err(|_| StoreError::Corrupt(format!("participant id {id:?}")))?,
                        name: crate::participants::full_name(given.as_deref(), family.as_deref()),
                        case_manager,
                        case_manager_id: case_manager_id
                            .map(|id| {
                                id.parse()
                                    .map_err(|_| StoreError::Corrupt(format!("user id {id:?}")))
                            })
                            .transpose()?,
                        enrolled_at,
                        last_seen_at,
                        consent_expires: expiring,
                        status_recorded_this_month: recorded,
                    })
                },
            )
            .collect::<Result<Vec<_>>>()?;
        let mut lines = lines;
        let more = lines.len() > usize::try_from(CASELOAD_LIMIT).unwrap_or(usize::MAX);
        lines.truncate(usize::try_from(CASELOAD_LIMIT).unwrap_or(usize::MAX));
        let whose_code = match whose {
            Whose::Mine => "mine",
            Whose::Team => "team",
        };
        let entry = worker.entry(
            "caseload.list",
            ("participant", None),
            format!("ok: {whose_code}, {} shown", lines.len()),
            None,
        );
        self.audit_read(entry.entry()).await?;
        Ok((lines, more))
    }

    /// How many participants each case manager has, and how many of them are active; the
    /// line without a user counts those nobody holds. No names of participants: not audited.
    pub async fn caseload_sizes(
        &self,
        now: OffsetDateTime,
        inactive_after_days: u16,
    ) -> Result<Vec<CaseloadSize>> {
        let since = now - time::Duration::days(i64::from(inactive_after_days));
        type Row = (Option<String>, Option<String>, i64, i64);
        let rows: Vec<Row> = crate::on_pool!(self, pool => sqlx::query_as(
            // Counted on the case manager's covering index first, then named: joining users
            // row by row before grouping cost ten times as much.
            "SELECT g.case_manager_id, u.name, g.n, g.active FROM \
             (SELECT case_manager_id, COUNT(*) AS n, \
              CAST(SUM(CASE WHEN last_seen_at > $1 THEN 1 ELSE 0 END) AS BIGINT) AS active \
              FROM participants GROUP BY case_manager_id) g \
             LEFT JOIN users u ON u.id = g.case_manager_id ORDER BY u.name IS NULL, u.name",
        )
        .bind(Stamp(since))
        .fetch_all(pool)
        .await?);
        rows.into_iter()
            .map(|(id, name, participants, active)| {
                Ok(CaseloadSize {
                    user_id: id
                        .map(|id| {
                            id.parse()
                                .map_err(|_| StoreError::Corrupt(format!("user id {id:?}")))
                        })
                        .transpose()?,
                    name,
                    participants,
                    active,
                })
            })
            .collect()
    }
}
