//! Opening a participant's record under the permission matrix and the participant's consent.
//!
//! `open_participant` is the one read path for a participant's record: it decides what the
//! reader may see (their own caseload, a record opened by breaking the glass, what a release
//! of information covers, or everything), reads only that, and writes the audit entry (with
//! the release that allowed a disclosure) in the same transaction. Substance-use (Part 2)
//! notes never leave it for a legal-system reader, whatever the release says.
//!
//! Enrolment, releases and notes are written here too, as the use cases later issues' pages
//! will call; for now demo data and tests call them.

use std::collections::BTreeSet;
use std::time::Duration;

use leadhub_domain::access::{Action, Role, Scope, allowed};
use leadhub_domain::consent::{Category, Release, Sensitivity, note_disclosable};
use leadhub_domain::ids::{BreakGlassId, NoteId, ParticipantId, PersonId, ReleaseId, UserId};
use leadhub_domain::participant::{ContactKind, Service};
use leadhub_domain::snapshot::{
    Answer, Coverage, Employment, IncomeSource, LivingSituation, Month, parse_one_code,
    parse_set_code,
};
use time::OffsetDateTime;

use crate::audit::{Actor, Entry};
use crate::{Db, Result, Stamp, StoreError, Tx, on_pool, on_tx};

/// How long a record opened by breaking the glass stays open to that person.
pub const BREAK_GLASS_LASTS: Duration = Duration::from_secs(4 * 3600);

/// Who is reading, as the gate needs them.
#[derive(Debug, Clone)]
pub struct Reader {
    pub id: UserId,
    pub role: Role,
    pub organization: Option<String>,
}

impl Reader {
    pub(crate) fn actor(&self) -> Actor {
        Actor::User {
            id: self.id,
            role: self.role,
        }
    }
}

/// One note as shown.
#[derive(Debug, Clone)]
pub struct NoteView {
    pub written_at: OffsetDateTime,
    pub sensitivity: Sensitivity,
    pub body: String,
}

/// One contact as shown on the record.
#[derive(Debug, Clone)]
pub struct ContactView {
    pub at: OffsetDateTime,
    pub kind: ContactKind,
    pub minutes: i64,
    pub place: Option<String>,
    pub place_other: Option<String>,
    /// `Some(false)` when logged outside the corridor.
    pub in_corridor: Option<bool>,
    pub services: Vec<Service>,
    pub note: Option<String>,
    pub logged_by: Option<String>,
}

/// One monthly status snapshot as stored.
#[derive(Debug, Clone)]
pub struct SnapshotView {
    pub month: Month,
    pub living: Answer<LivingSituation>,
    pub employment: Answer<Employment>,
    pub income: Answer<BTreeSet<IncomeSource>>,
    pub coverage: Answer<BTreeSet<Coverage>>,
    pub recorded_at: OffsetDateTime,
    pub recorded_by: Option<String>,
}

/// One release of information, for the participant's own team.
#[derive(Debug, Clone)]
pub struct ReleaseView {
    pub id: ReleaseId,
    pub release: Release,
}

/// A participant's record as the reader may see it. Everything optional or empty here is
/// left out (and never read) when the reader's access does not reach it.
#[derive(Debug, Clone)]
pub struct ParticipantView {
    pub id: ParticipantId,
    pub person_id: PersonId,
    pub version: i64,
    pub name: String,
    pub aliases: Vec<String>,
    pub birth_year: Option<i64>,
    pub enrolled_at: Option<OffsetDateTime>,
    /// When the participant's record begins for status snapshots (the referral, or
    /// enrolment).
    pub referred_at: Option<OffsetDateTime>,
    /// The latest contact, or enrolment before any (participation: active or inactive is
    /// derived from it).
    pub last_seen_at: Option<OffsetDateTime>,
    pub case_manager: Option<String>,
    pub case_manager_id: Option<UserId>,
    pub contacts_90_days: Option<i64>,
    pub last_contact: Option<OffsetDateTime>,
    /// Every contact's time, for the status periods (progress).
    pub contact_times: Vec<OffsetDateTime>,
    /// The latest contacts, newest first (the participant's own team; breaking the glass
    /// shows them without notes or substance-use services).
    pub recent_contacts: Vec<ContactView>,
    /// The latest snapshots, newest first (own team only).
    pub snapshots: Vec<SnapshotView>,
    /// All releases, newest first (own team only).
    pub releases: Vec<ReleaseView>,
    /// The plan and referrals out as they stand (own team, and breaking the glass without
    /// labelled goals and referrals; never under a release).
    pub plan: crate::plans::Plan,
    /// Open legal matters, when the reader's permission for legal coordination reaches the
    /// record (own team, or a release covering legal matters); `None` when it does not.
    pub legal: Option<Vec<crate::legal::MatterLine>>,
    pub notes: Vec<NoteView>,
    /// Notes left out because of their label (the page says how many, never what).
    pub withheld_notes: usize,
    /// Set when the record was disclosed under a release: its id, what it covers, and the
    /// notice the disclosure carries.
    pub release: Option<(ReleaseId, BTreeSet<Category>)>,
    /// Set when the record is open because the reader broke the glass.
    pub break_glass: bool,
}

/// The outcome of opening a record.
#[derive(Debug, Clone)]
pub enum Opened {
    NotFound,
    /// Outside the reader's caseload; `can_break_glass` if their role may state a reason and
    /// open it anyway.
    OutOfScope {
        can_break_glass: bool,
    },
    /// A legal-system reader with no active release to their organisation.
    NoRelease,
    Shown(Box<ParticipantView>),
}

/// A break-the-glass opening, for the project manager's review.
#[derive(Debug, Clone)]
pub struct BreakGlassEvent {
    pub id: BreakGlassId,
    pub user_name: String,
    pub participant_id: ParticipantId,
    pub reason: String,
    pub opened_at: OffsetDateTime,
    pub reviewed: bool,
}

#[derive(sqlx::FromRow)]
struct Row {
    person_id: String,
    given_name: Option<String>,
    family_name: Option<String>,
    aliases: Option<String>,
    birth_year: Option<i64>,
    enrolled_at: OffsetDateTime,
    last_seen_at: OffsetDateTime,
    referred_at: Option<OffsetDateTime>,
    version: i64,
    case_manager_id: Option<String>,
    case_manager: Option<String>,
}

#[derive(sqlx::FromRow)]
struct ReleaseRow {
    id: String,
    discloser: String,
    recipient: String,
    covers: String,
    purpose: String,
    signed_at: OffsetDateTime,
    expires_at: OffsetDateTime,
    revoked_at: Option<OffsetDateTime>,
}

impl ReleaseRow {
    fn release(&self) -> Release {
        Release {
            discloser: self.discloser.clone(),
            recipient: self.recipient.clone(),
            covers: self
                .covers
                .split_whitespace()
                .filter_map(|c| c.parse().ok())
                .collect(),
            purpose: self.purpose.clone(),
            signed_at: self.signed_at,
            expires_at: self.expires_at,
            revoked_at: self.revoked_at,
        }
    }
}

fn parse_id<T: std::str::FromStr>(text: &str) -> Result<T> {
    text.parse()
        .map_err(|_| StoreError::Corrupt(format!("id {text:?}")))
}

const SELECT_PARTICIPANT: &str = "SELECT p.person_id, pe.given_name, pe.family_name, pe.aliases, \
     CAST(pe.birth_year AS BIGINT) AS birth_year, p.enrolled_at, \
     COALESCE(p.last_seen_at, p.enrolled_at) AS last_seen_at, r.received_at AS referred_at, \
     CAST(p.version AS BIGINT) AS version, p.case_manager_id, u.name AS case_manager \
     FROM participants p JOIN people pe ON pe.id = p.person_id \
     LEFT JOIN referrals r ON r.id = p.referral_id \
     LEFT JOIN users u ON u.id = p.case_manager_id WHERE p.id = $1";

/// How many contacts and snapshots the record shows.
const RECENT_CONTACTS: i64 = 10;
const RECENT_SNAPSHOTS: i64 = 12;

/// How the reader reaches this record, before reading any of it.
enum Access {
    Everything,
    BreakGlass,
    Release(ReleaseId, BTreeSet<Category>),
}

async fn open_break_glass(
    tx: &mut Tx,
    reader: &Reader,
    participant: ParticipantId,
    now: OffsetDateTime,
) -> Result<bool> {
    let open: Option<String> = on_tx!(tx, c => sqlx::query_scalar(
        "SELECT id FROM break_glass WHERE user_id = $1 AND participant_id = $2 AND expires_at > $3 LIMIT 1",
    )
    .bind(reader.id.to_string())
    .bind(participant.to_string())
    .bind(Stamp(now))
    .fetch_optional(c)
    .await?);
    Ok(open.is_some())
}

/// The first active release to the reader's organisation, if any.
pub(crate) async fn active_release(
    tx: &mut Tx,
    reader: &Reader,
    participant: ParticipantId,
    now: OffsetDateTime,
) -> Result<Option<(ReleaseId, Release)>> {
    let Some(organization) = reader.organization.as_deref() else {
        return Ok(None);
    };
    let rows: Vec<ReleaseRow> = on_tx!(tx, c => sqlx::query_as(
        "SELECT id, discloser, recipient, covers, purpose, signed_at, expires_at, revoked_at \
         FROM releases WHERE participant_id = $1 ORDER BY signed_at DESC",
    )
    .bind(participant.to_string())
    .fetch_all(c)
    .await?);
    for row in rows {
        let release = row.release();
        if release.is_active(now) && release.is_to(organization) {
            return Ok(Some((parse_id(&row.id)?, release)));
        }
    }
    Ok(None)
}

impl Db {
    /// Records that `reader` opened (or was refused) a participant's record; returns once
    /// the entry is durable.
    async fn record_open(
        &self,
        reader: &Reader,
        participant: ParticipantId,
        subject: Option<String>,
        outcome: &str,
        address: &str,
        now: OffsetDateTime,
    ) -> Result<()> {
        let actor = reader.actor();
        let mut entry = Entry::new(
            &actor,
            "participant.read",
            ("participant", Some(participant.to_string())),
            outcome,
            now,
        )
        .with_address(Some(address));
        entry.subject = subject;
        self.audit_read(entry).await
    }

    /// Opens a participant's record for `reader`, whose permission for viewing participants
    /// reaches `scope`. See the module's description. The reads share one snapshot; the
    /// record is handed out only after its audit entry is durable.
    pub async fn open_participant(
        &self,
        reader: &Reader,
        scope: Scope,
        participant: ParticipantId,
        address: &str,
        now: OffsetDateTime,
    ) -> Result<Opened> {
        let now = crate::truncate_to_micros(now);
        let (opened, subject, outcome) = self
            .read_participant(reader, scope, participant, now)
            .await?;
        self.record_open(reader, participant, subject, &outcome, address, now)
            .await?;
        Ok(opened)
    }

    /// What `open_participant` shows, with the person and the outcome its entry records.
    async fn read_participant(
        &self,
        reader: &Reader,
        scope: Scope,
        participant: ParticipantId,
        now: OffsetDateTime,
    ) -> Result<(Opened, Option<String>, String)> {
        let mut tx = self.begin_read().await?;
        let row: Option<Row> = on_tx!(&mut tx, c => sqlx::query_as(SELECT_PARTICIPANT)
            .bind(participant.to_string())
            .fetch_optional(c)
            .await?);
        let Some(row) = row else {
            return Ok((Opened::NotFound, None, "not_found".into()));
        };
        let subject = Some(row.person_id.clone());
        let own = row.case_manager_id.as_deref() == Some(reader.id.to_string().as_str());
        let access = match scope {
            Scope::All => Some(Access::Everything),
            Scope::Own if own => Some(Access::Everything),
            Scope::Own => open_break_glass(&mut tx, reader, participant, now)
                .await?
                .then_some(Access::BreakGlass),
            Scope::Consented => active_release(&mut tx, reader, participant, now)
                .await?
                .map(|(id, release)| Access::Release(id, release.covers)),
        };
        let Some(access) = access else {
            return Ok(if scope == Scope::Consented {
                (Opened::NoRelease, subject, "no_release".into())
            } else {
                let can_break_glass = allowed(reader.role, Action::BreakGlass).is_some();
                (
                    Opened::OutOfScope { can_break_glass },
                    subject,
                    "out_of_scope".into(),
                )
            });
        };
        let view = read_view(&mut tx, reader, participant, row, &access, own, now).await?;
        tx.commit().await?;
        let outcome = match &access {
            Access::Everything => "ok".to_owned(),
            Access::BreakGlass => "ok: break_glass".to_owned(),
            Access::Release(id, covers) => {
                let covers: Vec<&str> = covers.iter().map(|c| c.code()).collect();
                format!("disclosed under release {id}: {}", covers.join(" "))
            }
        };
        Ok((Opened::Shown(Box::new(view)), subject, outcome))
    }

    /// Opens a record outside the reader's caseload for `BREAK_GLASS_LASTS`, with the reason
    /// they gave; the opening waits for the project manager's review.
    pub async fn break_glass(
        &self,
        reader: &Reader,
        participant: ParticipantId,
        reason: &str,
        address: &str,
        now: OffsetDateTime,
    ) -> Result<bool> {
        let now = crate::truncate_to_micros(now);
        let expires =
            now + time::Duration::try_from(BREAK_GLASS_LASTS).unwrap_or(time::Duration::ZERO);
        self.retrying(|| async {
            let mut tx = self.begin().await?;
            let person: Option<String> = on_tx!(&mut tx, c => sqlx::query_scalar(
                "SELECT person_id FROM participants WHERE id = $1",
            )
            .bind(participant.to_string())
            .fetch_optional(c)
            .await?);
            let Some(person) = person else {
                return Ok(false);
            };
            let id = BreakGlassId::new();
            on_tx!(&mut tx, c => sqlx::query(
                "INSERT INTO break_glass (id, user_id, participant_id, reason, opened_at, expires_at) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(id.to_string())
            .bind(reader.id.to_string())
            .bind(participant.to_string())
            .bind(reason)
            .bind(Stamp(now))
            .bind(Stamp(expires))
            .execute(c)
            .await?
            .rows_affected());
            let actor = reader.actor();
            let mut entry = Entry::new(&actor, "participant.break_glass", ("break_glass", Some(id.to_string())), "ok", now)
                .with_address(Some(address));
            entry.subject = Some(person);
            tx.commit_with(entry).await?;
            Ok(true)
        })
        .await
    }

    /// Break-the-glass openings, unreviewed first, newest first (the last 200).
    pub async fn break_glass_events(
        &self,
        reader: &Reader,
        address: &str,
    ) -> Result<Vec<BreakGlassEvent>> {
        type Row = (
            String,
            String,
            String,
            String,
            OffsetDateTime,
            Option<OffsetDateTime>,
        );
        let mut tx = self.begin_read().await?;
        let rows: Vec<Row> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT b.id, u.name, b.participant_id, b.reason, b.opened_at, b.reviewed_at \
             FROM break_glass b JOIN users u ON u.id = b.user_id \
             ORDER BY (b.reviewed_at IS NULL) DESC, b.opened_at DESC LIMIT 200",
        )
        .fetch_all(c)
        .await?);
        tx.commit().await?;
        // Reasons often name what happened to the person: reading them is recorded.
        let actor = reader.actor();
        let entry = Entry::new(
            &actor,
            "break_glass.list",
            ("break_glass", None),
            "ok",
            crate::now(),
        )
        .with_address(Some(address));
        self.audit_read(entry).await?;
        rows.into_iter()
            .map(
                |(id, user_name, participant, reason, opened_at, reviewed)| {
                    Ok(BreakGlassEvent {
                        id: parse_id(&id)?,
                        user_name,
                        participant_id: parse_id(&participant)?,
                        reason,
                        opened_at,
                        reviewed: reviewed.is_some(),
                    })
                },
            )
            .collect()
    }

    /// Marks a break-the-glass opening as reviewed by `reviewer`.
    pub async fn review_break_glass(
        &self,
        id: BreakGlassId,
        reviewer: &Reader,
        address: &str,
        now: OffsetDateTime,
    ) -> Result<bool> {
        let now = crate::truncate_to_micros(now);
        self.retrying(|| async {
            let mut tx = self.begin().await?;
            let changed = on_tx!(&mut tx, c => sqlx::query(
                "UPDATE break_glass SET reviewed_by = $1, reviewed_at = $2 WHERE id = $3 AND reviewed_at IS NULL",
            )
            .bind(reviewer.id.to_string())
            .bind(Stamp(now))
            .bind(id.to_string())
            .execute(c)
            .await?
            .rows_affected());
            let outcome = if changed == 1 { "ok" } else { "not_found_or_done" };
            tx.commit_with(Entry::new(&reviewer.actor(), "break_glass.review", ("break_glass", Some(id.to_string())), outcome, now).with_address(Some(address))).await?;
            Ok(changed == 1)
        })
        .await
    }

    /// Enrols a person as a participant with a case manager (a minimal enrolment: name and
    /// caseload; the full intake arrives with case management).
    pub async fn enrol_participant(
        &self,
        given_name: &str,
        family_name: &str,
        case_manager: Option<UserId>,
        actor: &Actor,
        now: OffsetDateTime,
    ) -> Result<ParticipantId> {
        let now = crate::truncate_to_micros(now);
        self.retrying(|| async {
            let mut tx = self.begin().await?;
            let person = PersonId::new();
            let participant = ParticipantId::new();
            on_tx!(&mut tx, c => sqlx::query(
                "INSERT INTO people (id, given_name, family_name, created_at) VALUES ($1, $2, $3, $4)",
            )
            .bind(person.to_string())
            .bind(given_name)
            .bind(family_name)
            .bind(Stamp(now))
            .execute(c)
            .await?
            .rows_affected());
            on_tx!(&mut tx, c => sqlx::query(
                "INSERT INTO participants (id, person_id, enrolled_at, last_seen_at, case_manager_id) \
                 VALUES ($1, $2, $3, $3, $4)",
            )
            .bind(participant.to_string())
            .bind(person.to_string())
            .bind(Stamp(now))
            .bind(case_manager.map(|u| u.to_string()))
            .execute(c)
            .await?
            .rows_affected());
            crate::matching::person_written(&mut tx, &person.to_string(), true, now).await?;
            let mut entry = Entry::new(actor, "participant.enrol", ("participant", Some(participant.to_string())), "ok", now);
            entry.subject = Some(person.to_string());
            tx.commit_with(entry).await?;
            Ok(participant)
        })
        .await
    }

    /// Records a signed release of information for a participant.
    pub async fn record_release(
        &self,
        participant: ParticipantId,
        release: &Release,
        actor: &Actor,
        now: OffsetDateTime,
    ) -> Result<ReleaseId> {
        let now = crate::truncate_to_micros(now);
        let covers: Vec<&str> = release.covers.iter().map(|c| c.code()).collect();
        let covers = covers.join(" ");
        self.retrying(|| async {
            let mut tx = self.begin().await?;
            let id = ReleaseId::new();
            on_tx!(&mut tx, c => sqlx::query(
                "INSERT INTO releases (id, participant_id, discloser, recipient, covers, purpose, \
                 signed_at, expires_at, revoked_at, recorded_by, recorded_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
            )
            .bind(id.to_string())
            .bind(participant.to_string())
            .bind(&release.discloser)
            .bind(&release.recipient)
            .bind(&covers)
            .bind(&release.purpose)
            .bind(Stamp(crate::truncate_to_micros(release.signed_at)))
            .bind(Stamp(crate::truncate_to_micros(release.expires_at)))
            .bind(release.revoked_at.map(|r| Stamp(crate::truncate_to_micros(r))))
            .bind(actor.as_str().into_owned())
            .bind(Stamp(now))
            .execute(c)
            .await?
            .rows_affected());
            tx.commit_with(Entry::new(
                actor,
                "release.record",
                ("release", Some(id.to_string())),
                "ok",
                now,
            ))
            .await?;
            Ok(id)
        })
        .await
    }

    /// Revokes a release from `at` on.
    pub async fn revoke_release(
        &self,
        id: ReleaseId,
        actor: &Actor,
        at: OffsetDateTime,
    ) -> Result<bool> {
        let at = crate::truncate_to_micros(at);
        self.retrying(|| async {
            let mut tx = self.begin().await?;
            let changed = on_tx!(&mut tx, c => sqlx::query(
                "UPDATE releases SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL",
            )
            .bind(Stamp(at))
            .bind(id.to_string())
            .execute(c)
            .await?
            .rows_affected());
            let outcome = if changed == 1 {
                "ok"
            } else {
                "not_found_or_done"
            };
            tx.commit_with(Entry::new(
                actor,
                "release.revoke",
                ("release", Some(id.to_string())),
                outcome,
                at,
            ))
            .await?;
            Ok(changed == 1)
        })
        .await
    }

    /// Adds a labelled note to a participant's record.
    pub async fn add_note(
        &self,
        participant: ParticipantId,
        sensitivity: Sensitivity,
        body: &str,
        actor: &Actor,
        now: OffsetDateTime,
    ) -> Result<NoteId> {
        let now = crate::truncate_to_micros(now);
        let author = match actor {
            Actor::User { id, .. } => Some(id.to_string()),
            Actor::Public | Actor::System | Actor::Operator => None,
        };
        self.retrying(|| async {
            let mut tx = self.begin().await?;
            let id = NoteId::new();
            on_tx!(&mut tx, c => sqlx::query(
                "INSERT INTO notes (id, participant_id, written_at, author_id, sensitivity, body) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(id.to_string())
            .bind(participant.to_string())
            .bind(Stamp(now))
            .bind(&author)
            .bind(sensitivity.code())
            .bind(body)
            .execute(c)
            .await?
            .rows_affected());
            tx.commit_with(Entry::new(
                actor,
                "note.write",
                ("note", Some(id.to_string())),
                "ok",
                now,
            ))
            .await?;
            Ok(id)
        })
        .await
    }

    /// The participants a reader's list shows: their caseload (own scope), those with an
    /// active release to their organisation (consented), or everyone (all), by name, at
    /// most 500. The list is itself an audited read.
    pub async fn participants_for(
        &self,
        reader: &Reader,
        scope: Scope,
        address: &str,
        now: OffsetDateTime,
    ) -> Result<Vec<(ParticipantId, String)>> {
        let now = crate::truncate_to_micros(now);
        let mut tx = self.begin_read().await?;
        type Line = (String, Option<String>, Option<String>, Option<String>);
        let rows: Vec<Line> = on_tx!(&mut tx, c => sqlx::query_as(
                "SELECT p.id, pe.given_name, pe.family_name, p.case_manager_id \
                 FROM participants p JOIN people pe ON pe.id = p.person_id \
                 WHERE $1 = 'all' OR ($1 = 'own' AND p.case_manager_id = $2) \
                 OR ($1 = 'consented' AND EXISTS (SELECT 1 FROM releases r WHERE r.participant_id = p.id \
                     AND r.revoked_at IS NULL AND r.signed_at <= $3 AND r.expires_at > $3)) \
                 ORDER BY COALESCE(pe.family_name, ''), COALESCE(pe.given_name, ''), p.id \
                 LIMIT $4",
            )
            .bind(scope.code())
            .bind(reader.id.to_string())
            .bind(Stamp(now))
            // Releases are matched to the organisation below, so that scope is not cut short
            // here (a liaison's people are few).
            .bind(if scope == Scope::Consented { i64::MAX } else { 500 })
            .fetch_all(c)
            .await?);
        let mut shown = Vec::new();
        for (id, given, family, _) in rows {
            let id: ParticipantId = parse_id(&id)?;
            // Consented: the SQL found an active release; the organisation (compared
            // loosely, in Rust) must match too, and it must cover their participation
            // (being listed tells that much).
            if scope == Scope::Consented {
                let release = active_release(&mut tx, reader, id, now).await?;
                if !release.is_some_and(|(_, r)| r.covers.contains(&Category::Participation)) {
                    continue;
                }
            }
            shown.push((id, full_name(given.as_deref(), family.as_deref())));
        }
        tx.commit().await?;
        let actor = reader.actor();
        let outcome = format!("ok: {} shown", shown.len());
        let entry = Entry::new(
            &actor,
            "participant.list",
            ("participant", None),
            &outcome,
            now,
        )
        .with_address(Some(address));
        self.audit_read(entry).await?;
        Ok(shown)
    }
}

impl Db {
    /// Demo only: gives `case_manager` a caseload of up to 12 participants who have none,
    /// with a release to `organization` for every other one and a note of each label.
    pub async fn seed_demo_caseload(&self, case_manager: UserId, organization: &str) -> Result<()> {
        let now = crate::now();
        let existing: i64 = on_pool!(self, pool => sqlx::query_scalar(
            "SELECT COUNT(*) FROM participants WHERE case_manager_id = $1",
        )
        .bind(case_manager.to_string())
        .fetch_one(pool)
        .await?);
        if existing > 0 {
            return Ok(());
        }
        let ids: Vec<String> = on_pool!(self, pool => sqlx::query_scalar(
            "SELECT id FROM participants WHERE case_manager_id IS NULL ORDER BY id LIMIT 12",
        )
        .fetch_all(pool)
        .await?);
        let actor = Actor::System;
        for (n, id) in ids.iter().enumerate() {
            let participant: ParticipantId = parse_id(id)?;
            self.retrying(|| async {
                let mut tx = self.begin().await?;
                on_tx!(&mut tx, c => sqlx::query("UPDATE participants SET case_manager_id = $1 WHERE id = $2")
                    .bind(case_manager.to_string())
                    .bind(id)
                    .execute(c)
                    .await?
                    .rows_affected());
                tx.commit_with(Entry::new(&actor, "participant.assign", ("participant", Some(id.clone())), "ok", now)).await
            })
            .await?;
            for (label, body) in [
                (
                    Sensitivity::General,
                    "Met at the usual corner; wants help getting an ID card.",
                ),
                (
                    Sensitivity::Health,
                    "Mentioned a painful foot wound; offered a clinic visit.",
                ),
                (
                    Sensitivity::SubstanceUse,
                    "Talked about cutting down; interested in a treatment bed.",
                ),
            ] {
                self.add_note(participant, label, body, &actor, now).await?;
            }
            if n % 2 == 0 {
                let release = Release {
                    discloser: "LEAD case management".into(),
                    recipient: organization.into(),
                    covers: Category::ALL.into(),
                    purpose: "coordinate a pending case (demo)".into(),
                    signed_at: now - time::Duration::days(30),
                    expires_at: now + time::Duration::days(335),
                    revoked_at: None,
                };
                self.record_release(participant, &release, &actor, now)
                    .await?;
                self.demo_matter(case_manager, participant, n, now).await?;
            }
        }
        Ok(())
    }

    /// Demo only: a charged matter with a hearing next week for a released participant, so
    /// the demo liaison finds something under the release; every other one has a warrant.
    async fn demo_matter(
        &self,
        case_manager: UserId,
        participant: ParticipantId,
        n: usize,
        now: OffsetDateTime,
    ) -> Result<()> {
        use leadhub_domain::legal::{Charge, ChargeLevel, Matter, MatterStatus, WarrantStatus};
        let worker = crate::Caseworker {
            user: case_manager,
            role: Role::CaseManager,
            scope: Scope::Own,
            organization: None,
            address: "demo",
            now,
        };
        let day = i64::try_from(n).unwrap_or(0) + 3;
        let matter = Matter {
            jurisdiction: "Hennepin County District Court".into(),
            case_number: format!("27-CR-26-{:05}", 4_100 + n).parse().ok(),
            charges: vec![Charge {
                listed: Some("trespass".into()),
                words: "Trespass".into(),
                level: ChargeLevel::Misdemeanor,
            }],
            status: MatterStatus::Charged,
            next_court_at: Some(now + time::Duration::days(day)),
            warrant: if n.is_multiple_of(4) {
                WarrantStatus::Active
            } else {
                WarrantStatus::NoWarrant
            },
            prosecutor: Some("Minneapolis City Attorney's Office".into()),
            defender: None,
        };
        self.add_matter(&worker, participant, &matter).await?;
        Ok(())
    }
}

/// The name a person is shown by (`full_name` of what is recorded).
pub(crate) async fn person_name(tx: &mut Tx, person_id: &str) -> Result<String> {
    let (given, family): (Option<String>, Option<String>) = on_tx!(tx, c => sqlx::query_as(
        "SELECT given_name, family_name FROM people WHERE id = $1",
    )
    .bind(person_id)
    .fetch_one(c)
    .await?);
    Ok(full_name(given.as_deref(), family.as_deref()))
}

pub(crate) fn full_name(given: Option<&str>, family: Option<&str>) -> String {
    let name = [given.unwrap_or_default(), family.unwrap_or_default()]
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ");
    if name.is_empty() {
        "(no name recorded)".to_owned()
    } else {
        name
    }
}

/// Reads what `access` allows, and nothing more: under a release, fields outside its
/// categories are never read from the database.
async fn read_view(
    tx: &mut Tx,
    reader: &Reader,
    participant: ParticipantId,
    row: Row,
    access: &Access,
    own: bool,
    now: OffsetDateTime,
) -> Result<ParticipantView> {
    // A note permission reaches this record if it covers the whole site, or the reader's
    // own caseload and this record is in it.
    let reaches = |action: Action| match allowed(reader.role, action) {
        Some(Scope::All) => true,
        Some(Scope::Own) => own,
        Some(Scope::Consented) | None => false,
    };
    // Whether the reader sees what carries `label` (notes, goals, referrals out): the
    // permission for the label on the own team, general only after breaking the glass, and
    // under a release only what it covers, never health or substance use.
    let sees = |label: Sensitivity| match access {
        Access::Everything => label.read_permission().is_none_or(reaches),
        Access::BreakGlass => label == Sensitivity::General,
        Access::Release(_, covers) => note_disclosable(label, covers),
    };
    let covers = match access {
        Access::Release(_, covers) => Some(covers.clone()),
        Access::Everything | Access::BreakGlass => None,
    };
    let shows = |category: Category| covers.as_ref().is_none_or(|c| c.contains(&category));
    let (contacts, last_contact) = if shows(Category::Progress) {
        let since = now - time::Duration::days(90);
        let (count, last): (i64, Option<OffsetDateTime>) = on_tx!(tx, c => sqlx::query_as(
            "SELECT COUNT(*) FILTER (WHERE at >= $2), MAX(at) FROM contacts WHERE participant_id = $1",
        )
        .bind(participant.to_string())
        .bind(Stamp(since))
        .fetch_one(c)
        .await?);
        (Some(count), last)
    } else {
        (None, None)
    };
    type NoteRow = (OffsetDateTime, String, String);
    let notes: Vec<NoteRow> = on_tx!(tx, c => sqlx::query_as(
        "SELECT written_at, sensitivity, body FROM notes WHERE participant_id = $1 ORDER BY written_at DESC, id DESC LIMIT 100",
    )
    .bind(participant.to_string())
    .fetch_all(c)
    .await?);
    let mut shown = Vec::new();
    let mut withheld = 0;
    for (written_at, label, body) in notes {
        let sensitivity: Sensitivity = label
            .parse()
            .map_err(|_| StoreError::Corrupt(format!("note label {label:?}")))?;
        if sees(sensitivity) {
            shown.push(NoteView {
                written_at,
                sensitivity,
                body,
            });
        } else {
            withheld += 1;
        }
    }
    let own_team = matches!(access, Access::Everything);
    let contact_times: Vec<OffsetDateTime> = if shows(Category::Progress) {
        on_tx!(tx, c => sqlx::query_scalar(
            "SELECT at FROM contacts WHERE participant_id = $1 ORDER BY at",
        )
        .bind(participant.to_string())
        .fetch_all(c)
        .await?)
    } else {
        Vec::new()
    };
    let recent_contacts = match access {
        Access::Everything => recent_contacts(tx, participant, true).await?,
        Access::BreakGlass => recent_contacts(tx, participant, false).await?,
        Access::Release(..) => Vec::new(),
    };
    // A plan is for those who work with the person: never disclosed under a release.
    let plan = match access {
        Access::Everything | Access::BreakGlass => {
            crate::plans::read_plan(tx, participant, crate::plans::Depth::Current, &sees).await?
        }
        Access::Release(..) => crate::plans::Plan::default(),
    };
    let legal_shown = match access {
        Access::Everything => reaches(Action::LegalCoordinate),
        Access::BreakGlass => false,
        Access::Release(_, covers) => {
            covers.contains(&Category::Legal)
                && allowed(reader.role, Action::LegalCoordinate) == Some(Scope::Consented)
        }
    };
    let legal = if legal_shown {
        Some(crate::legal::open_matters(tx, participant).await?)
    } else {
        None
    };
    let (snapshots, releases) = if own_team {
        (
            snapshots(tx, participant).await?,
            releases(tx, participant).await?,
        )
    } else {
        (Vec::new(), Vec::new())
    };
    // Stored as typed at enrolment, separated by "; " (NewPerson::aliases_text). Street
    // names are for those who look for the person, not for a release's recipient.
    let aliases = if matches!(access, Access::Release(..)) {
        None
    } else {
        row.aliases.as_deref()
    };
    let aliases = aliases
        .unwrap_or_default()
        .split(';')
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .map(str::to_owned)
        .collect();
    let participation = shows(Category::Participation);
    let case_manager_shown = shows(Category::CaseManager);
    Ok(ParticipantView {
        id: participant,
        person_id: parse_id(&row.person_id)?,
        version: row.version,
        name: full_name(row.given_name.as_deref(), row.family_name.as_deref()),
        aliases,
        birth_year: if own_team { row.birth_year } else { None },
        enrolled_at: participation.then_some(row.enrolled_at),
        referred_at: if own_team {
            Some(row.referred_at.unwrap_or(row.enrolled_at))
        } else {
            None
        },
        // Active or inactive, and since when, tells how lately they were in contact.
        last_seen_at: shows(Category::Progress).then_some(row.last_seen_at),
        case_manager: if case_manager_shown {
            row.case_manager
        } else {
            None
        },
        case_manager_id: match row.case_manager_id.as_deref() {
            Some(id) if own_team => Some(parse_id(id)?),
            _ => None,
        },
        contacts_90_days: contacts,
        last_contact,
        contact_times,
        recent_contacts,
        snapshots,
        releases,
        plan,
        legal,
        notes: shown,
        // Under a release the count is not shown: it would tell how many health and
        // substance-use notes there are.
        withheld_notes: if covers.is_some() { 0 } else { withheld },
        release: match access {
            Access::Release(id, covers) => Some((*id, covers.clone())),
            Access::Everything | Access::BreakGlass => None,
        },
        break_glass: matches!(access, Access::BreakGlass),
    })
}

/// Services that tell of substance use: left out of what breaking the glass shows.
fn tells_of_substance_use(service: Service) -> bool {
    matches!(service, Service::HarmReduction | Service::TreatmentLinkage)
}

async fn recent_contacts(
    tx: &mut Tx,
    participant: ParticipantId,
    in_full: bool,
) -> Result<Vec<ContactView>> {
    type ContactRow = (
        OffsetDateTime,
        String,
        i64,
        Option<String>,
        Option<String>,
        Option<bool>,
        String,
        Option<String>,
        Option<String>,
    );
    let rows: Vec<ContactRow> = on_tx!(tx, c => sqlx::query_as(
        "SELECT c.at, c.kind, CAST(c.minutes AS BIGINT), c.place, c.place_other, c.in_corridor, c.services, \
         c.note, u.name FROM contacts c LEFT JOIN users u ON u.id = c.logged_by \
         WHERE c.participant_id = $1 ORDER BY c.at DESC, c.id DESC LIMIT $2",
    )
    .bind(participant.to_string())
    .bind(RECENT_CONTACTS)
    .fetch_all(c)
    .await?);
    rows.into_iter()
        .map(
            |(at, kind, minutes, place, place_other, in_corridor, services, note, logged_by)| {
                let services = services
                    .split_whitespace()
                    .map(|code| {
                        code.parse::<Service>()
                            .map_err(|_| StoreError::Corrupt(format!("service {code:?}")))
                    })
                    .filter(|s| in_full || s.as_ref().is_ok_and(|s| !tells_of_substance_use(*s)))
                    .collect::<Result<Vec<_>>>()?;
                Ok(ContactView {
                    at,
                    kind: kind
                        .parse()
                        .map_err(|_| StoreError::Corrupt(format!("contact kind {kind:?}")))?,
                    minutes,
                    place,
                    place_other: if in_full { place_other } else { None },
                    in_corridor,
                    services,
                    note: if in_full { note } else { None },
                    logged_by,
                })
            },
        )
        .collect()
}

async fn snapshots(tx: &mut Tx, participant: ParticipantId) -> Result<Vec<SnapshotView>> {
    type SnapshotRow = (
        String,
        String,
        String,
        String,
        String,
        OffsetDateTime,
        Option<String>,
    );
    let rows: Vec<SnapshotRow> = on_tx!(tx, c => sqlx::query_as(
        "SELECT s.month, s.living, s.employment, s.income, s.coverage, s.recorded_at, u.name \
         FROM status_snapshots s LEFT JOIN users u ON u.id = s.recorded_by \
         WHERE s.participant_id = $1 ORDER BY s.month DESC, s.recorded_at DESC, s.id DESC LIMIT $2",
    )
    .bind(participant.to_string())
    .bind(RECENT_SNAPSHOTS)
    .fetch_all(c)
    .await?);
    let corrupt = |what: &str, code: &str| StoreError::Corrupt(format!("snapshot {what} {code:?}"));
    rows.into_iter()
        .map(
            |(month, living, employment, income, coverage, recorded_at, recorded_by)| {
                Ok(SnapshotView {
                    month: month.parse().map_err(|_| corrupt("month", &month))?,
                    living: parse_one_code(&living).map_err(|_| corrupt("living", &living))?,
                    employment: parse_one_code(&employment)
                        .map_err(|_| corrupt("employment", &employment))?,
                    income: parse_set_code(&income).map_err(|_| corrupt("income", &income))?,
                    coverage: parse_set_code(&coverage)
                        .map_err(|_| corrupt("coverage", &coverage))?,
                    recorded_at,
                    recorded_by,
                })
            },
        )
        .collect()
}

async fn releases(tx: &mut Tx, participant: ParticipantId) -> Result<Vec<ReleaseView>> {
    let rows: Vec<ReleaseRow> = on_tx!(tx, c => sqlx::query_as(
        "SELECT id, discloser, recipient, covers, purpose, signed_at, expires_at, revoked_at \
         FROM releases WHERE participant_id = $1 ORDER BY signed_at DESC, id DESC",
    )
    .bind(participant.to_string())
    .fetch_all(c)
    .await?);
    rows.into_iter()
        .map(|row| {
            Ok(ReleaseView {
                id: parse_id(&row.id)?,
                release: row.release(),
            })
        })
        .collect()
}
