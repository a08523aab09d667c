//! Legal matters and the coordination log, under the permission matrix and consent.
//!
//! Who reaches a participant's legal matters: the case manager (their caseload), the project
//! manager (everyone), and a legal-system role only while an active release of information to
//! their organisation covers legal matters. What such a reader is shown is a disclosure: its
//! audit entry names the release, and the page carries the 42 CFR 2.32 notice. Plan goals
//! linked to a request are shown to them only when labelled general; health and
//! substance-use goals are counted, never shown.
//!
//! Every read and write is one transaction with its audit entry (a refusal records only
//! itself). Matters are versioned: a change names the version its page showed, a stale one is
//! refused, and every version, with its charges, stays readable. A request is answered once;
//! the answer records who decided, on which day, and who wrote it down.

use std::collections::BTreeMap;

use leadhub_domain::access::{Role, Scope};
use leadhub_domain::consent::{Category, Sensitivity};
use leadhub_domain::ids::{GoalId, LegalRequestId, MatterId, ParticipantId, ReleaseId, UserId};
use leadhub_domain::legal::{
    Answer, CaseNumber, Charge, ChargeLevel, Matter, MatterStatus, NewRequest, RequestAnswer,
    RequestKind, WarrantStatus,
};
use leadhub_domain::plan::GoalDomain;
use time::OffsetDateTime;

use crate::casework::{Casework, Caseworker, Step, StepFuture, Target, take_target, target};
use crate::plans::role_sees;
use crate::triage::parse_code;
use crate::{Db, Result, Stamp, Tx, on_tx};

/// How a reader reaches a participant's legal matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LegalAccess {
    /// Their own caseload, or the whole site's.
    Team,
    /// An active release of information to their organisation that covers legal matters.
    Release(ReleaseId),
}

/// One version of a matter, as written.
#[derive(Debug, Clone)]
pub struct MatterChange {
    pub version: i64,
    pub matter: Matter,
    pub changed_at: OffsetDateTime,
    pub changed_by: Option<String>,
}

/// A request's answer as recorded.
#[derive(Debug, Clone)]
pub struct AnswerView {
    pub answer: Answer,
    pub answered_at: OffsetDateTime,
    pub answered_by: Option<String>,
}

/// One request of the coordination log.
#[derive(Debug, Clone)]
pub struct RequestView {
    pub id: LegalRequestId,
    pub kind: RequestKind,
    pub words: String,
    pub asked_at: OffsetDateTime,
    /// Who asked: their name and role.
    pub asked_by: Option<(String, Role)>,
    /// The linked goals the reader may see: (domain, words).
    pub goals: Vec<(GoalDomain, String)>,
    /// Linked goals left out because of their label.
    pub withheld_goals: usize,
    pub answer: Option<AnswerView>,
}

/// A legal matter as it stands, with every version (oldest first) and its requests (oldest
/// first).
#[derive(Debug, Clone)]
pub struct MatterView {
    pub id: MatterId,
    pub matter: Matter,
    pub version: i64,
    pub created_at: OffsetDateTime,
    pub changed_at: OffsetDateTime,
    pub history: Vec<MatterChange>,
    pub requests: Vec<RequestView>,
}

/// An open matter as the record page lists it.
#[derive(Debug, Clone)]
pub struct MatterLine {
    pub jurisdiction: String,
    pub case_number: Option<String>,
    pub status: MatterStatus,
    pub divertible: bool,
    pub next_court_at: Option<OffsetDateTime>,
    pub warrant: WarrantStatus,
}

/// The participant's open matters (not yet charged, filing held, or charged), oldest first.
pub(crate) async fn open_matters(
    tx: &mut Tx,
    participant: ParticipantId,
) -> Result<Vec<MatterLine>> {
    type Row = (
        String,
        Option<String>,
        String,
        bool,
        Option<OffsetDateTime>,
        String,
    );
    let rows: Vec<Row> = on_tx!(tx, c => sqlx::query_as(
        "SELECT jurisdiction, case_number, status, divertible, next_court_at, warrant FROM legal_matters \
         WHERE participant_id = $1 ORDER BY created_at, id",
    )
    .bind(participant.to_string())
    .fetch_all(c)
    .await?);
    let mut open = Vec::new();
    for (jurisdiction, case_number, status, divertible, next_court_at, warrant) in rows {
        let status: MatterStatus = parse_code(&status, "matter status")?;
        // A participant has a handful of matters: which are open is decided here, by the
        // domain's rule, not repeated in SQL.
        if status.is_open() {
            open.push(MatterLine {
                jurisdiction,
                case_number,
                status,
                divertible,
                next_court_at,
                warrant: parse_code(&warrant, "warrant")?,
            });
        }
    }
    Ok(open)
}

/// A court date for the calendar export.
#[derive(Debug, Clone)]
pub struct CourtDate {
    pub matter: MatterId,
    pub version: i64,
    pub participant: ParticipantId,
    pub name: String,
    pub jurisdiction: String,
    pub case_number: Option<String>,
    pub status: MatterStatus,
    pub at: OffsetDateTime,
    pub access: LegalAccess,
}

/// Court dates this long past stay in the calendar (a hearing that ran late, yesterday's).
const COURT_DATES_KEPT: time::Duration = time::Duration::days(7);

/// A participant's legal matters as the reader may see them.
#[derive(Debug, Clone)]
pub struct LegalFile {
    pub name: String,
    pub access: LegalAccess,
    /// Oldest first.
    pub matters: Vec<MatterView>,
    /// The plan goals a request may be linked to: (id, domain, words).
    pub goals: Vec<(GoalId, GoalDomain, String)>,
    /// Bookings and new charges from the feeds, newest first.
    pub bookings: Vec<crate::bookings::BookingLine>,
}

/// Which goal labels the reader sees on the legal page: a legal-system reader only general
/// ones, whatever their release says.
fn goal_sees(role: Role, access: LegalAccess) -> impl Fn(Sensitivity) -> bool {
    let role = role_sees(role);
    move |label| match access {
        LegalAccess::Team => role(label),
        LegalAccess::Release(_) => label == Sensitivity::General,
    }
}

/// How the worker reaches `target`'s legal matters, if at all.
async fn legal_access(
    tx: &mut Tx,
    worker: &Caseworker<'_>,
    participant: ParticipantId,
    target: &Target,
) -> Result<Option<LegalAccess>> {
    Ok(match worker.scope {
        Scope::All | Scope::Own => target.in_reach(worker).then_some(LegalAccess::Team),
        Scope::Consented => {
            crate::participants::active_release(tx, &worker.reader(), participant, worker.now)
                .await?
                .filter(|(_, release)| release.covers.contains(&Category::Legal))
                .map(|(id, _)| LegalAccess::Release(id))
        }
    })
}

/// What the audit entry of a step taken under `access` says.
fn outcome(access: LegalAccess, what: &str) -> String {
    match access {
        LegalAccess::Team => format!("ok: {what}"),
        LegalAccess::Release(id) => format!("disclosed under release {id}: {what}"),
    }
}

fn refusal(scope: Scope) -> &'static str {
    match scope {
        Scope::Consented => "refused: no_release",
        Scope::Own | Scope::All => "refused: out_of_reach",
    }
}

fn stale(page: i64, record: i64) -> String {
    format!("refused: stale (page {page}, record {record})")
}

impl Db {
    /// The participant's name and legal matters with their history and coordination log,
    /// for a worker who reaches them (an audited read; under a release, a logged disclosure).
    pub async fn legal_file(
        &self,
        worker: &Caseworker<'_>,
        participant: ParticipantId,
    ) -> Result<Casework<LegalFile>> {
        let mut tx = self.begin_read().await?;
        let Some(target) = target(&mut tx, participant).await? else {
            return Ok(Casework::NotFound);
        };
        let access = legal_access(&mut tx, worker, participant, &target).await?;
        let file = match access {
            Some(access) => Some(read_file(&mut tx, worker, participant, &target, access).await?),
            None => None,
        };
        tx.commit().await?;
        let words = match access {
            Some(access) => outcome(access, "legal"),
            None => refusal(worker.scope).to_owned(),
        };
        let entry = worker.entry(
            "participant.read",
            ("participant", Some(participant.to_string())),
            words,
            Some(target.person_id.clone()),
        );
        self.audit_read(entry.entry()).await?;
        Ok(file.map_or(Casework::OutOfReach, Casework::Done))
    }

    /// The court dates of open matters (from a week ago on) of everyone whose legal matters
    /// the worker reaches, soonest first. Each participant's dates are an audited read (under
    /// a release, a logged disclosure).
    pub async fn court_dates(&self, worker: &Caseworker<'_>) -> Result<Vec<CourtDate>> {
        type Row = (
            String,
            i64,
            String,
            Option<String>,
            String,
            OffsetDateTime,
            String,
            String,
            Option<String>,
            Option<String>,
        );
        let mut tx = self.begin_read().await?;
        let rows: Vec<Row> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT m.id, CAST(m.version AS BIGINT), m.jurisdiction, m.case_number, m.status, m.next_court_at, \
             p.id, p.person_id, pe.given_name, pe.family_name \
             FROM legal_matters m JOIN participants p ON p.id = m.participant_id JOIN people pe ON pe.id = p.person_id \
             WHERE m.next_court_at >= $1 ORDER BY m.next_court_at, m.id",
        )
        .bind(Stamp(crate::truncate_to_micros(worker.now - COURT_DATES_KEPT)))
        .fetch_all(c)
        .await?);
        let mut dates = Vec::new();
        let mut reach: BTreeMap<String, (Option<LegalAccess>, String)> = BTreeMap::new();
        for (
            matter,
            version,
            jurisdiction,
            case_number,
            status,
            at,
            participant,
            person,
            given,
            family,
        ) in rows
        {
            let status: MatterStatus = parse_code(&status, "matter status")?;
            if !status.is_open() {
                continue;
            }
            let participant_id: ParticipantId = parse_code(&participant, "participant id")?;
            let access = match reach.get(&participant) {
                Some((access, _)) => *access,
                None => {
                    let access = match target(&mut tx, participant_id).await? {
                        Some(target) => {
                            legal_access(&mut tx, worker, participant_id, &target).await?
                        }
                        None => None,
                    };
                    reach.insert(participant.clone(), (access, person));
                    access
                }
            };
            let Some(access) = access else {
                continue;
            };
            dates.push(CourtDate {
                matter: parse_code(&matter, "matter id")?,
                version,
                participant: participant_id,
                name: crate::participants::full_name(given.as_deref(), family.as_deref()),
                jurisdiction,
                case_number,
                status,
                at,
                access,
            });
        }
        tx.commit().await?;
        for (participant, (access, person)) in reach {
            let Some(access) = access else {
                continue;
            };
            let entry = worker.entry(
                "participant.read",
                ("participant", Some(participant)),
                outcome(access, "court dates"),
                Some(person),
            );
            self.audit_read(entry.entry()).await?;
        }
        Ok(dates)
    }

    /// Adds a legal matter (version 1) to a participant's record.
    pub async fn add_matter(
        &self,
        worker: &Caseworker<'_>,
        participant: ParticipantId,
        matter: &Matter,
    ) -> Result<Casework<MatterId>> {
        self.legal_write(worker, participant, "legal.matter.add", |tx, _, _| {
            let matter = matter.clone();
            let (by, at) = (worker.user, Stamp(crate::truncate_to_micros(worker.now)));
            Box::pin(async move {
                let id = MatterId::new();
                on_tx!(tx, c => sqlx::query(
                    "INSERT INTO legal_matters (id, participant_id, jurisdiction, case_number, status, divertible, \
                     next_court_at, warrant, prosecutor, defender, version, created_at, changed_at, policy_version) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1, $11, $11, \
                     (SELECT CAST(COALESCE(MAX(version), 0) AS BIGINT) FROM pcg_policies))",
                )
                .bind(id.to_string())
                .bind(participant.to_string())
                .bind(&matter.jurisdiction)
                .bind(matter.case_number.as_ref().map(CaseNumber::as_str))
                .bind(matter.status.code())
                .bind(matter.divertible())
                .bind(court_stamp(&matter))
                .bind(matter.warrant.code())
                .bind(matter.prosecutor.as_deref())
                .bind(matter.defender.as_deref())
                .bind(at)
                .execute(c)
                .await?
                .rows_affected());
                write_version(tx, id, 1, &matter.charges, by).await?;
                Ok(Step::Wrote(("legal_matter", id.to_string()), id))
            })
        })
        .await
    }

    /// Changes a matter (its status, court date, warrant, charges…), if the page showed
    /// `version`.
    pub async fn change_matter(
        &self,
        worker: &Caseworker<'_>,
        participant: ParticipantId,
        id: MatterId,
        version: i64,
        matter: &Matter,
    ) -> Result<Casework<()>> {
        self.legal_write(worker, participant, "legal.matter.change", |tx, _, _| {
            let matter = matter.clone();
            let (by, at) = (worker.user, Stamp(crate::truncate_to_micros(worker.now)));
            Box::pin(async move {
                let current: Option<i64> = on_tx!(tx, c => sqlx::query_scalar(
                    "SELECT CAST(version AS BIGINT) FROM legal_matters WHERE id = $1 AND participant_id = $2",
                )
                .bind(id.to_string())
                .bind(participant.to_string())
                .fetch_optional(c)
                .await?);
                let Some(current) = current else {
                    return Ok(Step::Refused(Casework::NotFound, "refused: no such matter".into()));
                };
                if current != version {
                    return Ok(Step::Refused(Casework::Stale, stale(version, current)));
                }
                on_tx!(tx, c => sqlx::query(
                    "UPDATE legal_matters SET jurisdiction = $1, case_number = $2, status = $3, divertible = $4, \
                     next_court_at = $5, warrant = $6, prosecutor = $7, defender = $8, version = version + 1, \
                     changed_at = $9, policy_version = (SELECT CAST(COALESCE(MAX(version), 0) AS BIGINT) FROM pcg_policies) \
                     WHERE id = $10",
                )
                .bind(&matter.jurisdiction)
                .bind(matter.case_number.as_ref().map(CaseNumber::as_str))
                .bind(matter.status.code())
                .bind(matter.divertible())
                .bind(court_stamp(&matter))
                .bind(matter.warrant.code())
                .bind(matter.prosecutor.as_deref())
                .bind(matter.defender.as_deref())
                .bind(at)
                .bind(id.to_string())
                .execute(c)
                .await?
                .rows_affected());
                write_version(tx, id, version + 1, &matter.charges, by).await?;
                Ok(Step::Wrote(("legal_matter", id.to_string()), ()))
            })
        })
        .await
    }

    /// Adds a request to a matter's coordination log, linked to plan goals the asker may see.
    pub async fn ask(
        &self,
        worker: &Caseworker<'_>,
        participant: ParticipantId,
        matter: MatterId,
        request: &NewRequest,
    ) -> Result<Casework<LegalRequestId>> {
        self.legal_write(worker, participant, "legal.request.add", |tx, _, access| {
            let request = request.clone();
            let sees = goal_sees(worker.role, access);
            let (by, at) = (worker.user, Stamp(crate::truncate_to_micros(worker.now)));
            Box::pin(async move {
                if !matter_of(tx, matter, participant).await? {
                    return Ok(Step::Refused(
                        Casework::NotFound,
                        "refused: no such matter".into(),
                    ));
                }
                for goal in &request.goals {
                    let domain: Option<String> = on_tx!(tx, c => sqlx::query_scalar(
                        "SELECT domain FROM plan_goals WHERE id = $1 AND participant_id = $2",
                    )
                    .bind(goal.to_string())
                    .bind(participant.to_string())
                    .fetch_optional(c)
                    .await?);
                    let Some(domain) = domain else {
                        return Ok(Step::Refused(
                            Casework::Stale,
                            "refused: no such goal".into(),
                        ));
                    };
                    let domain: GoalDomain = parse_code(&domain, "goal domain")?;
                    if !sees(domain.sensitivity()) {
                        return Ok(Step::Refused(Casework::OutOfReach, "refused: label".into()));
                    }
                }
                let id = LegalRequestId::new();
                on_tx!(tx, c => sqlx::query(
                    "INSERT INTO legal_requests (id, matter_id, kind, words, asked_at, asked_by) \
                     VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(id.to_string())
                .bind(matter.to_string())
                .bind(request.kind.code())
                .bind(&request.words)
                .bind(at)
                .bind(by.to_string())
                .execute(c)
                .await?
                .rows_affected());
                for goal in &request.goals {
                    on_tx!(tx, c => sqlx::query(
                        "INSERT INTO legal_request_goals (request_id, goal_id) VALUES ($1, $2)",
                    )
                    .bind(id.to_string())
                    .bind(goal.to_string())
                    .execute(c)
                    .await?
                    .rows_affected());
                }
                Ok(Step::Wrote(("legal_request", id.to_string()), id))
            })
        })
        .await
    }

    /// Records how a request was settled. A request is answered once: a second answer is
    /// refused as stale (the page it came from did not show the first).
    pub async fn answer_request(
        &self,
        worker: &Caseworker<'_>,
        participant: ParticipantId,
        request: LegalRequestId,
        answer: &Answer,
    ) -> Result<Casework<()>> {
        self.legal_write(worker, participant, "legal.request.answer", |tx, _, _| {
            let answer = answer.clone();
            let (by, at) = (worker.user, Stamp(crate::truncate_to_micros(worker.now)));
            Box::pin(async move {
                let answered: Option<Option<String>> = on_tx!(tx, c => sqlx::query_scalar(
                    "SELECT r.answer FROM legal_requests r JOIN legal_matters m ON m.id = r.matter_id \
                     WHERE r.id = $1 AND m.participant_id = $2",
                )
                .bind(request.to_string())
                .bind(participant.to_string())
                .fetch_optional(c)
                .await?);
                match answered {
                    None => {
                        return Ok(Step::Refused(Casework::NotFound, "refused: no such request".into()));
                    }
                    Some(Some(_)) => {
                        return Ok(Step::Refused(Casework::Stale, "refused: already answered".into()));
                    }
                    Some(None) => {}
                }
                on_tx!(tx, c => sqlx::query(
                    "UPDATE legal_requests SET answer = $1, answer_words = $2, decided_by = $3, decided_on = $4, \
                     answered_at = $5, answered_by = $6 WHERE id = $7 AND answer IS NULL",
                )
                .bind(answer.answer.code())
                .bind(answer.words.as_deref())
                .bind(&answer.decided_by)
                .bind(answer.decided_on.to_string())
                .bind(at)
                .bind(by.to_string())
                .bind(request.to_string())
                .execute(c)
                .await?
                .rows_affected());
                Ok(Step::Wrote(("legal_request", request.to_string()), ()))
            })
        })
        .await
    }

    /// Runs `write` for a participant whose legal matters the worker reaches, in one
    /// transaction with its audit entry; otherwise only the refusal is recorded.
    async fn legal_write<T, W>(
        &self,
        worker: &Caseworker<'_>,
        participant: ParticipantId,
        action: &'static str,
        write: W,
    ) -> Result<Casework<T>>
    where
        W: for<'t> Fn(&'t mut Tx, &'t Target, LegalAccess) -> StepFuture<'t, T>,
    {
        self.retrying(|| async {
            let mut tx = self.begin().await?;
            let Some(target) = take_target(&mut tx, participant).await? else {
                return Ok(Casework::NotFound);
            };
            let access = legal_access(&mut tx, worker, participant, &target).await?;
            let step = match access {
                Some(access) => write(&mut tx, &target, access).await?,
                None => Step::Refused(Casework::OutOfReach, refusal(worker.scope).into()),
            };
            let ok_words = match access {
                Some(LegalAccess::Release(id)) => format!("ok: under release {id}"),
                Some(LegalAccess::Team) | None => "ok".to_owned(),
            };
            let done = (action, participant, target.person_id);
            self.finish_step(tx, worker, done, step, ok_words).await
        })
        .await
    }
}

fn court_stamp(matter: &Matter) -> Option<Stamp> {
    matter
        .next_court_at
        .map(|t| Stamp(crate::truncate_to_micros(t)))
}

/// Whether `matter` is one of the participant's.
async fn matter_of(tx: &mut Tx, matter: MatterId, participant: ParticipantId) -> Result<bool> {
    let found: Option<String> = on_tx!(tx, c => sqlx::query_scalar(
        "SELECT id FROM legal_matters WHERE id = $1 AND participant_id = $2",
    )
    .bind(matter.to_string())
    .bind(participant.to_string())
    .fetch_optional(c)
    .await?);
    Ok(found.is_some())
}

/// Copies the matter's row, just written at `version`, into its history (so a version can
/// never differ from what the row said), with that version's charges.
async fn write_version(
    tx: &mut Tx,
    id: MatterId,
    version: i64,
    charges: &[Charge],
    by: UserId,
) -> Result<()> {
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO legal_matter_history (id, matter_id, version, jurisdiction, case_number, status, divertible, \
         next_court_at, warrant, prosecutor, defender, changed_at, changed_by) \
         SELECT $1, id, version, jurisdiction, case_number, status, divertible, next_court_at, warrant, \
         prosecutor, defender, changed_at, $2 FROM legal_matters WHERE id = $3",
    )
    .bind(uuid::Uuid::now_v7().to_string())
    .bind(by.to_string())
    .bind(id.to_string())
    .execute(c)
    .await?
    .rows_affected());
    for (position, charge) in (0_i64..).zip(charges) {
        on_tx!(tx, c => sqlx::query(
            "INSERT INTO legal_charges (matter_id, version, position, listed, words, level) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(id.to_string())
        .bind(version)
        .bind(position)
        .bind(charge.listed.as_deref())
        .bind(&charge.words)
        .bind(charge.level.code())
        .execute(c)
        .await?
        .rows_affected());
    }
    Ok(())
}

type MatterRow = (
    String,
    String,
    Option<String>,
    String,
    Option<OffsetDateTime>,
    String,
    Option<String>,
    Option<String>,
    i64,
    OffsetDateTime,
    OffsetDateTime,
);

type HistoryRow = (
    String,
    i64,
    String,
    Option<String>,
    String,
    Option<OffsetDateTime>,
    String,
    Option<String>,
    Option<String>,
    OffsetDateTime,
    Option<String>,
);

type RequestRow = (
    String,
    String,
    String,
    String,
    OffsetDateTime,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<OffsetDateTime>,
    Option<String>,
);

/// The parts of a matter version other than its charges, as read from a row.
struct MatterParts {
    jurisdiction: String,
    case_number: Option<String>,
    status: String,
    next_court_at: Option<OffsetDateTime>,
    warrant: String,
    prosecutor: Option<String>,
    defender: Option<String>,
}

impl MatterParts {
    fn matter(self, charges: Vec<Charge>) -> Result<Matter> {
        Ok(Matter {
            jurisdiction: self.jurisdiction,
            case_number: self
                .case_number
                .map(|n| parse_code(&n, "case number"))
                .transpose()?,
            charges,
            status: parse_code::<MatterStatus>(&self.status, "matter status")?,
            next_court_at: self.next_court_at,
            warrant: parse_code::<WarrantStatus>(&self.warrant, "warrant")?,
            prosecutor: self.prosecutor,
            defender: self.defender,
        })
    }
}

async fn read_file(
    tx: &mut Tx,
    worker: &Caseworker<'_>,
    participant: ParticipantId,
    target: &Target,
    access: LegalAccess,
) -> Result<LegalFile> {
    let name = crate::participants::person_name(tx, &target.person_id).await?;
    let mut charges = read_charges(tx, participant).await?;
    let rows: Vec<MatterRow> = on_tx!(tx, c => sqlx::query_as(
        "SELECT id, jurisdiction, case_number, status, next_court_at, warrant, prosecutor, defender, \
         CAST(version AS BIGINT), created_at, changed_at \
         FROM legal_matters WHERE participant_id = $1 ORDER BY created_at, id",
    )
    .bind(participant.to_string())
    .fetch_all(c)
    .await?);
    let mut matters = Vec::with_capacity(rows.len());
    for row in rows {
        let (id, jurisdiction, case_number, status, next_court_at, warrant) =
            (row.0, row.1, row.2, row.3, row.4, row.5);
        let parts = MatterParts {
            jurisdiction,
            case_number,
            status,
            next_court_at,
            warrant,
            prosecutor: row.6,
            defender: row.7,
        };
        let version = row.8;
        let these = charges.remove(&(id.clone(), version)).unwrap_or_default();
        matters.push(MatterView {
            id: parse_code(&id, "matter id")?,
            matter: parts.matter(these)?,
            version,
            created_at: row.9,
            changed_at: row.10,
            history: Vec::new(),
            requests: Vec::new(),
        });
    }
    attach_history(tx, participant, &mut matters, &mut charges).await?;
    let sees = goal_sees(worker.role, access);
    let goals = read_goals(tx, participant, &sees).await?;
    attach_requests(tx, participant, &mut matters, &sees).await?;
    let bookings = crate::bookings::bookings_of(tx, participant).await?;
    Ok(LegalFile {
        name,
        access,
        matters,
        goals,
        bookings,
    })
}

/// Every charge of every version of the participant's matters, by (matter, version).
async fn read_charges(
    tx: &mut Tx,
    participant: ParticipantId,
) -> Result<BTreeMap<(String, i64), Vec<Charge>>> {
    type Row = (String, i64, Option<String>, String, String);
    let rows: Vec<Row> = on_tx!(tx, c => sqlx::query_as(
        "SELECT c.matter_id, CAST(c.version AS BIGINT), c.listed, c.words, c.level \
         FROM legal_charges c JOIN legal_matters m ON m.id = c.matter_id WHERE m.participant_id = $1 \
         ORDER BY c.matter_id, c.version, c.position",
    )
    .bind(participant.to_string())
    .fetch_all(c)
    .await?);
    let mut charges: BTreeMap<(String, i64), Vec<Charge>> = BTreeMap::new();
    for (matter, version, listed, words, level) in rows {
        charges.entry((matter, version)).or_default().push(Charge {
            listed,
            words,
            level: parse_code::<ChargeLevel>(&level, "charge level")?,
        });
    }
    Ok(charges)
}

async fn attach_history(
    tx: &mut Tx,
    participant: ParticipantId,
    matters: &mut [MatterView],
    charges: &mut BTreeMap<(String, i64), Vec<Charge>>,
) -> Result<()> {
    let rows: Vec<HistoryRow> = on_tx!(tx, c => sqlx::query_as(
        "SELECT h.matter_id, CAST(h.version AS BIGINT), h.jurisdiction, h.case_number, h.status, h.next_court_at, \
         h.warrant, h.prosecutor, h.defender, h.changed_at, u.name \
         FROM legal_matter_history h JOIN legal_matters m ON m.id = h.matter_id \
         LEFT JOIN users u ON u.id = h.changed_by WHERE m.participant_id = $1 \
         ORDER BY h.matter_id, h.version",
    )
    .bind(participant.to_string())
    .fetch_all(c)
    .await?);
    for row in rows {
        let (matter_id, version) = (row.0, row.1);
        let parts = MatterParts {
            jurisdiction: row.2,
            case_number: row.3,
            status: row.4,
            next_court_at: row.5,
            warrant: row.6,
            prosecutor: row.7,
            defender: row.8,
        };
        let id: MatterId = parse_code(&matter_id, "matter id")?;
        let Some(view) = matters.iter_mut().find(|m| m.id == id) else {
            continue;
        };
        // The current version's charges were moved into the matter itself.
        let these = if version == view.version {
            view.matter.charges.clone()
        } else {
            charges.remove(&(matter_id, version)).unwrap_or_default()
        };
        view.history.push(MatterChange {
            version,
            matter: parts.matter(these)?,
            changed_at: row.9,
            changed_by: row.10,
        });
    }
    Ok(())
}

async fn read_goals(
    tx: &mut Tx,
    participant: ParticipantId,
    sees: &impl Fn(Sensitivity) -> bool,
) -> Result<Vec<(GoalId, GoalDomain, String)>> {
    let rows: Vec<(String, String, String)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT id, domain, words FROM plan_goals WHERE participant_id = $1 ORDER BY created_at, id",
    )
    .bind(participant.to_string())
    .fetch_all(c)
    .await?);
    let mut goals = Vec::new();
    for (id, domain, words) in rows {
        let domain: GoalDomain = parse_code(&domain, "goal domain")?;
        if sees(domain.sensitivity()) {
            goals.push((parse_code(&id, "goal id")?, domain, words));
        }
    }
    Ok(goals)
}

async fn attach_requests(
    tx: &mut Tx,
    participant: ParticipantId,
    matters: &mut [MatterView],
    sees: &impl Fn(Sensitivity) -> bool,
) -> Result<()> {
    if matters.is_empty() {
        return Ok(());
    }
    let rows: Vec<RequestRow> = on_tx!(tx, c => sqlx::query_as(
        "SELECT r.id, r.matter_id, r.kind, r.words, r.asked_at, ua.name, ua.role, \
         r.answer, r.answer_words, r.decided_by, r.decided_on, r.answered_at, ub.name \
         FROM legal_requests r JOIN legal_matters m ON m.id = r.matter_id \
         LEFT JOIN users ua ON ua.id = r.asked_by LEFT JOIN users ub ON ub.id = r.answered_by \
         WHERE m.participant_id = $1 ORDER BY r.asked_at, r.id",
    )
    .bind(participant.to_string())
    .fetch_all(c)
    .await?);
    let links: Vec<(String, String, String)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT rg.request_id, g.domain, g.words FROM legal_request_goals rg \
         JOIN plan_goals g ON g.id = rg.goal_id WHERE g.participant_id = $1 \
         ORDER BY g.created_at, g.id",
    )
    .bind(participant.to_string())
    .fetch_all(c)
    .await?);
    let mut goals: BTreeMap<String, (Vec<(GoalDomain, String)>, usize)> = BTreeMap::new();
    for (request, domain, words) in links {
        let domain: GoalDomain = parse_code(&domain, "goal domain")?;
        let linked = goals.entry(request).or_default();
        if sees(domain.sensitivity()) {
            linked.0.push((domain, words));
        } else {
            linked.1 += 1;
        }
    }
    for row in rows {
        let matter: MatterId = parse_code(&row.1, "matter id")?;
        let Some(view) = matters.iter_mut().find(|m| m.id == matter) else {
            continue;
        };
        let asked_by = match (row.5, row.6) {
            (Some(name), Some(role)) => Some((name, parse_code(&role, "role")?)),
            _ => None,
        };
        let answer = match (row.7, row.9, row.10, row.11) {
            (Some(answer), Some(decided_by), Some(decided_on), Some(answered_at)) => {
                Some(AnswerView {
                    answer: Answer {
                        answer: parse_code::<RequestAnswer>(&answer, "answer")?,
                        words: row.8,
                        decided_by,
                        decided_on: parse_code(&decided_on, "decision day")?,
                    },
                    answered_at,
                    answered_by: row.12,
                })
            }
            _ => None,
        };
        let (linked, withheld_goals) = goals.remove(&row.0).unwrap_or_default();
        view.requests.push(RequestView {
            id: parse_code(&row.0, "request id")?,
            kind: parse_code(&row.2, "request kind")?,
            words: row.3,
            asked_at: row.4,
            asked_by,
            goals: linked,
            withheld_goals,
            answer,
        });
    }
    Ok(())
}
