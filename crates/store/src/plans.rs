//! Intervention plans (goals and their steps), referrals out to partner organisations, and
//! the partner directory.
//!
//! Plan and referral writes go through casework's `in_reach_write`: the participant must be
//! in the writer's reach, the write and its audit entry share one transaction, and a refusal
//! records only itself. Goals, steps and referrals out are versioned: a change names the
//! version its page showed, and a stale one is refused, never applied. Every version is also
//! written to a history table that is only ever added to.
//!
//! Goals about health or substance use, and referrals to health or treatment partners, carry
//! that label (`GoalDomain::sensitivity`, `PartnerKind::sensitivity`): whoever may not read
//! notes with the label does not see them, and the page says how many were left out.

use leadhub_domain::access::{Role, allowed};
use leadhub_domain::consent::Sensitivity;
use leadhub_domain::ids::{GoalId, ParticipantId, PartnerId, PartnerReferralId, StepId, UserId};
use leadhub_domain::plan::{
    DeclineReason, Goal, GoalDomain, GoalStatus, NewReferralOut, Partner, PartnerKind,
    ReferralOutAnswer, ReferralOutStatus, Step as PlanStep, StepOwner, StepStatus,
};
use time::OffsetDateTime;

use crate::casework::{Casework, Caseworker, Step};
use crate::{Db, Result, Stamp, StoreError, Tx, on_pool, on_tx};

/// One step of a goal, as it stands.
#[derive(Debug, Clone)]
pub struct StepView {
    pub id: StepId,
    pub step: PlanStep,
    pub version: i64,
    pub changed_at: OffsetDateTime,
}

/// One goal, as it stands, with its steps (oldest first) and, on the plan page, every
/// version of it and of its steps (oldest first).
#[derive(Debug, Clone)]
pub struct GoalView {
    pub id: GoalId,
    pub goal: Goal,
    pub version: i64,
    pub created_at: OffsetDateTime,
    pub changed_at: OffsetDateTime,
    pub steps: Vec<StepView>,
    pub history: Vec<PlanChange>,
}

/// One version of a goal or step, as written.
#[derive(Debug, Clone)]
pub struct PlanChange {
    /// `None` for a version of the goal itself.
    pub step: Option<StepId>,
    pub version: i64,
    /// What a goal's version was about (`None` for a step's).
    pub domain: Option<GoalDomain>,
    pub words: String,
    pub state: ChangedState,
    /// A step's due day in that version.
    pub due_on: Option<jiff::civil::Date>,
    pub changed_at: OffsetDateTime,
    pub changed_by: Option<String>,
}

/// What a version said of where the goal or step stood.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangedState {
    Goal(GoalStatus),
    Step(StepStatus, StepOwner),
}

/// A referral out, as it stands, with its changes on the plan page (oldest first).
#[derive(Debug, Clone)]
pub struct ReferralOutView {
    pub id: PartnerReferralId,
    pub partner: String,
    pub partner_kind: PartnerKind,
    pub partner_phone: Option<String>,
    pub goal: Option<GoalId>,
    pub need: String,
    pub status: ReferralOutStatus,
    pub reason: Option<DeclineReason>,
    pub version: i64,
    pub sent_at: OffsetDateTime,
    pub changed_at: OffsetDateTime,
    pub sent_by: Option<String>,
    pub history: Vec<ReferralOutChange>,
}

/// One status a referral out had.
#[derive(Debug, Clone)]
pub struct ReferralOutChange {
    pub status: ReferralOutStatus,
    pub reason: Option<DeclineReason>,
    pub words: Option<String>,
    pub changed_at: OffsetDateTime,
    pub changed_by: Option<String>,
}

/// A participant's plan and referrals out, as the reader may see them.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    pub goals: Vec<GoalView>,
    pub referrals_out: Vec<ReferralOutView>,
    /// Goals and referrals left out because of their label (the page says how many).
    pub withheld: usize,
}

/// A partner in the directory.
#[derive(Debug, Clone)]
pub struct PartnerLine {
    pub id: PartnerId,
    pub partner: Partner,
    pub active: bool,
    pub version: i64,
    /// Referrals out to them still waiting for an answer or the service.
    pub open_referrals: i64,
}

/// How much of a plan to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Depth {
    /// Goals, steps and referrals as they stand (the record page).
    Current,
    /// And every version before (the plan page).
    WithHistory,
}

/// Which labels a reader sees, for the plan's labelled goals and referrals.
pub(crate) fn role_sees(role: Role) -> impl Fn(Sensitivity) -> bool {
    move |label| {
        label
            .read_permission()
            .is_none_or(|action| allowed(role, action).is_some())
    }
}

fn corrupt(what: &str, value: &str) -> StoreError {
    StoreError::Corrupt(format!("{what} {value:?}"))
}

fn parse<T: std::str::FromStr>(what: &str, value: &str) -> Result<T> {
    value.parse().map_err(|_| corrupt(what, value))
}

fn parse_day(value: Option<String>) -> Result<Option<jiff::civil::Date>> {
    value.map(|d| parse("due day", &d)).transpose()
}

/// Reads a participant's plan; `sees` decides, per label, what is shown.
pub(crate) async fn read_plan(
    tx: &mut Tx,
    participant: ParticipantId,
    depth: Depth,
    sees: impl Fn(Sensitivity) -> bool,
) -> Result<Plan> {
    type GoalRow = (
        String,
        String,
        String,
        String,
        i64,
        OffsetDateTime,
        OffsetDateTime,
    );
    let goal_rows: Vec<GoalRow> = on_tx!(tx, c => sqlx::query_as(
        "SELECT id, domain, words, status, CAST(version AS BIGINT), created_at, changed_at \
         FROM plan_goals WHERE participant_id = $1 ORDER BY created_at, id",
    )
    .bind(participant.to_string())
    .fetch_all(c)
    .await?);
    let mut withheld = 0;
    let mut goals = Vec::new();
    for (id, domain, words, status, version, created_at, changed_at) in goal_rows {
        let domain: GoalDomain = parse("goal domain", &domain)?;
        if !sees(domain.sensitivity()) {
            withheld += 1;
            continue;
        }
        goals.push(GoalView {
            id: parse("goal id", &id)?,
            goal: Goal {
                domain,
                words,
                status: parse("goal status", &status)?,
            },
            version,
            created_at,
            changed_at,
            steps: Vec::new(),
            history: Vec::new(),
        });
    }
    // A record without goals asks for no steps or history.
    if !goals.is_empty() {
        attach_steps(tx, participant, &mut goals).await?;
        if depth == Depth::WithHistory {
            attach_history(tx, participant, &mut goals, &sees).await?;
        }
    }
    let (referrals_out, withheld_referrals) =
        read_referrals_out(tx, participant, depth, &sees).await?;
    Ok(Plan {
        goals,
        referrals_out,
        withheld: withheld + withheld_referrals,
    })
}

async fn attach_steps(
    tx: &mut Tx,
    participant: ParticipantId,
    goals: &mut [GoalView],
) -> Result<()> {
    type StepRow = (
        String,
        String,
        String,
        String,
        Option<String>,
        String,
        i64,
        OffsetDateTime,
    );
    let rows: Vec<StepRow> = on_tx!(tx, c => sqlx::query_as(
        "SELECT s.id, s.goal_id, s.words, s.owner, s.due_on, s.status, CAST(s.version AS BIGINT), s.changed_at \
         FROM plan_steps s JOIN plan_goals g ON g.id = s.goal_id WHERE g.participant_id = $1 \
         ORDER BY s.created_at, s.id",
    )
    .bind(participant.to_string())
    .fetch_all(c)
    .await?);
    for (id, goal_id, words, owner, due_on, status, version, changed_at) in rows {
        let goal_id: GoalId = parse("goal id", &goal_id)?;
        // Steps of a goal left out are left out with it.
        if let Some(goal) = goals.iter_mut().find(|g| g.id == goal_id) {
            goal.steps.push(StepView {
                id: parse("step id", &id)?,
                step: PlanStep {
                    words,
                    owner: parse("step owner", &owner)?,
                    due_on: parse_day(due_on)?,
                    status: parse("step status", &status)?,
                },
                version,
                changed_at,
            });
        }
    }
    Ok(())
}

async fn attach_history(
    tx: &mut Tx,
    participant: ParticipantId,
    goals: &mut [GoalView],
    sees: &impl Fn(Sensitivity) -> bool,
) -> Result<()> {
    type HistoryRow = (
        String,
        Option<String>,
        i64,
        String,
        Option<String>,
        String,
        String,
        Option<String>,
        Option<String>,
        OffsetDateTime,
        Option<String>,
    );
    let rows: Vec<HistoryRow> = on_tx!(tx, c => sqlx::query_as(
        "SELECT h.goal_id, h.step_id, CAST(h.version AS BIGINT), h.sensitivity, h.domain, h.words, h.status, \
         h.owner, h.due_on, h.changed_at, u.name \
         FROM plan_history h JOIN plan_goals g ON g.id = h.goal_id LEFT JOIN users u ON u.id = h.changed_by \
         WHERE g.participant_id = $1 ORDER BY h.changed_at, h.id",
    )
    .bind(participant.to_string())
    .fetch_all(c)
    .await?);
    for row in rows {
        let (
            goal_id,
            step_id,
            version,
            label,
            domain,
            words,
            status,
            owner,
            due_on,
            changed_at,
            changed_by,
        ) = row;
        let goal_id: GoalId = parse("goal id", &goal_id)?;
        let Some(goal) = goals.iter_mut().find(|g| g.id == goal_id) else {
            continue;
        };
        // A version written under a label the reader may not see stays out, whatever the
        // goal is about now.
        if !sees(parse("history label", &label)?) {
            continue;
        }
        let step = step_id.map(|s| parse("step id", &s)).transpose()?;
        let state = match (&step, owner) {
            (None, _) => ChangedState::Goal(parse("goal status", &status)?),
            (Some(_), Some(owner)) => {
                ChangedState::Step(parse("step status", &status)?, parse("step owner", &owner)?)
            }
            (Some(_), None) => return Err(corrupt("step history without owner", &status)),
        };
        goal.history.push(PlanChange {
            step,
            version,
            domain: domain.map(|d| parse("goal domain", &d)).transpose()?,
            words,
            state,
            due_on: parse_day(due_on)?,
            changed_at,
            changed_by,
        });
    }
    Ok(())
}

async fn read_referrals_out(
    tx: &mut Tx,
    participant: ParticipantId,
    depth: Depth,
    sees: &impl Fn(Sensitivity) -> bool,
) -> Result<(Vec<ReferralOutView>, usize)> {
    type Row = (
        String,
        String,
        String,
        String,
        Option<String>,
        Option<String>,
        String,
        String,
        Option<String>,
        i64,
        OffsetDateTime,
        OffsetDateTime,
        Option<String>,
    );
    let rows: Vec<Row> = on_tx!(tx, c => sqlx::query_as(
        "SELECT r.id, r.sensitivity, pa.name, pa.kind, pa.phone, r.goal_id, r.need, r.status, r.reason, \
         CAST(r.version AS BIGINT), r.sent_at, r.changed_at, u.name \
         FROM referrals_out r JOIN partners pa ON pa.id = r.partner_id LEFT JOIN users u ON u.id = r.sent_by \
         WHERE r.participant_id = $1 ORDER BY r.sent_at DESC, r.id DESC",
    )
    .bind(participant.to_string())
    .fetch_all(c)
    .await?);
    let mut shown = Vec::new();
    let mut withheld = 0;
    for row in rows {
        let (
            id,
            label,
            partner,
            kind,
            phone,
            goal,
            need,
            status,
            reason,
            version,
            sent_at,
            changed_at,
            by,
        ) = row;
        let partner_kind: PartnerKind = parse("partner kind", &kind)?;
        // The label fixed when it was sent, not the partner's kind today.
        if !sees(parse("referral label", &label)?) {
            withheld += 1;
            continue;
        }
        shown.push(ReferralOutView {
            id: parse("referral out id", &id)?,
            partner,
            partner_kind,
            partner_phone: phone,
            goal: goal.map(|g| parse("goal id", &g)).transpose()?,
            need,
            status: parse("referral out status", &status)?,
            reason: reason.map(|r| parse("decline reason", &r)).transpose()?,
            version,
            sent_at,
            changed_at,
            sent_by: by,
            history: Vec::new(),
        });
    }
    if depth == Depth::WithHistory && !shown.is_empty() {
        type ChangeRow = (
            String,
            String,
            Option<String>,
            Option<String>,
            OffsetDateTime,
            Option<String>,
        );
        let changes: Vec<ChangeRow> = on_tx!(tx, c => sqlx::query_as(
            "SELECT h.referral_id, h.status, h.reason, h.words, h.changed_at, u.name \
             FROM referral_out_history h JOIN referrals_out r ON r.id = h.referral_id \
             LEFT JOIN users u ON u.id = h.changed_by WHERE r.participant_id = $1 ORDER BY h.changed_at, h.id",
        )
        .bind(participant.to_string())
        .fetch_all(c)
        .await?);
        for (referral, status, reason, words, changed_at, changed_by) in changes {
            let referral: PartnerReferralId = parse("referral out id", &referral)?;
            if let Some(view) = shown.iter_mut().find(|r| r.id == referral) {
                view.history.push(ReferralOutChange {
                    status: parse("referral out status", &status)?,
                    reason: reason.map(|r| parse("decline reason", &r)).transpose()?,
                    words,
                    changed_at,
                    changed_by,
                });
            }
        }
    }
    Ok((shown, withheld))
}

/// Who wrote a version, and when (copied out of the worker, so a write step owns it).
#[derive(Debug, Clone, Copy)]
struct By {
    user: UserId,
    at: OffsetDateTime,
}

impl By {
    fn of(worker: &Caseworker<'_>) -> Self {
        Self {
            user: worker.user,
            at: crate::truncate_to_micros(worker.now),
        }
    }
}

/// Writes one version of a goal (step `None`) or a step to the history.
struct Version<'a> {
    /// The goal's label when this version is written.
    sensitivity: Sensitivity,
    goal: GoalId,
    step: Option<StepId>,
    version: i64,
    domain: Option<GoalDomain>,
    words: &'a str,
    status: &'static str,
    owner: Option<StepOwner>,
    due_on: Option<jiff::civil::Date>,
}

impl<'a> Version<'a> {
    fn of_goal(id: GoalId, version: i64, goal: &'a Goal) -> Self {
        Self {
            sensitivity: goal.domain.sensitivity(),
            goal: id,
            step: None,
            version,
            domain: Some(goal.domain),
            words: &goal.words,
            status: goal.status.code(),
            owner: None,
            due_on: None,
        }
    }

    /// A step's version carries its goal's label.
    fn of_step(
        goal: GoalId,
        id: StepId,
        version: i64,
        label: Sensitivity,
        step: &'a PlanStep,
    ) -> Self {
        Self {
            sensitivity: label,
            goal,
            step: Some(id),
            version,
            domain: None,
            words: &step.words,
            status: step.status.code(),
            owner: Some(step.owner),
            due_on: step.due_on,
        }
    }
}

async fn write_version(tx: &mut Tx, v: Version<'_>, by: By) -> Result<()> {
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO plan_history (id, sensitivity, goal_id, step_id, version, domain, words, status, owner, due_on, \
         changed_at, changed_by) VALUES ($1, $12, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(uuid::Uuid::now_v7().to_string())
    .bind(v.goal.to_string())
    .bind(v.step.map(|s| s.to_string()))
    .bind(v.version)
    .bind(v.domain.map(GoalDomain::code))
    .bind(v.words)
    .bind(v.status)
    .bind(v.owner.map(StepOwner::code))
    .bind(v.due_on.map(|d| d.to_string()))
    .bind(Stamp(by.at))
    .bind(by.user.to_string())
    .bind(v.sensitivity.code())
    .execute(c)
    .await?
    .rows_affected());
    Ok(())
}

/// What the goal is about, if it is this participant's.
async fn goal_domain(
    tx: &mut Tx,
    participant: ParticipantId,
    goal: GoalId,
) -> Result<Option<GoalDomain>> {
    let domain: Option<String> = on_tx!(tx, c => sqlx::query_scalar(
        "SELECT domain FROM plan_goals WHERE id = $1 AND participant_id = $2",
    )
    .bind(goal.to_string())
    .bind(participant.to_string())
    .fetch_optional(c)
    .await?);
    domain.map(|d| parse("goal domain", &d)).transpose()
}

async fn write_referral_change(
    tx: &mut Tx,
    referral: PartnerReferralId,
    version: i64,
    answer: (ReferralOutStatus, Option<DeclineReason>, Option<&str>),
    by: By,
) -> Result<()> {
    let (status, reason, words) = answer;
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO referral_out_history (id, referral_id, version, status, reason, words, changed_at, changed_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(uuid::Uuid::now_v7().to_string())
    .bind(referral.to_string())
    .bind(version)
    .bind(status.code())
    .bind(reason.map(DeclineReason::code))
    .bind(words)
    .bind(Stamp(by.at))
    .bind(by.user.to_string())
    .execute(c)
    .await?
    .rows_affected());
    Ok(())
}

fn stale(page: i64, record: i64) -> String {
    format!("refused: stale (page {page}, record {record})")
}

impl Db {
    /// The participant's name, plan and referrals out with their history, for a worker
    /// whose reach covers them (an audited read).
    pub async fn plan(
        &self,
        worker: &Caseworker<'_>,
        participant: ParticipantId,
    ) -> Result<Casework<(String, Plan)>> {
        let sees = role_sees(worker.role);
        self.in_reach_read(worker, participant, "plan", |tx, target| {
            Box::pin(async move {
                let name = crate::participants::person_name(tx, &target.person_id).await?;
                let plan = read_plan(tx, participant, Depth::WithHistory, sees).await?;
                Ok((name, plan))
            })
        })
        .await
    }

    /// Adds a goal to a participant's plan (version 1).
    pub async fn add_goal(
        &self,
        worker: &Caseworker<'_>,
        participant: ParticipantId,
        goal: &Goal,
    ) -> Result<Casework<GoalId>> {
        let may = role_sees(worker.role)(goal.domain.sensitivity());
        self.in_reach_write(worker, participant, "plan.goal.add", |tx, _| {
            let goal = goal.clone();
            let by = By::of(worker);
            let now = Stamp(by.at);
            Box::pin(async move {
                if !may {
                    return Ok(Step::Refused(Casework::OutOfReach, "refused: label".into()));
                }
                let id = GoalId::new();
                on_tx!(tx, c => sqlx::query(
                    "INSERT INTO plan_goals (id, participant_id, domain, words, status, version, created_at, changed_at) \
                     VALUES ($1, $2, $3, $4, $5, 1, $6, $6)",
                )
                .bind(id.to_string())
                .bind(participant.to_string())
                .bind(goal.domain.code())
                .bind(&goal.words)
                .bind(goal.status.code())
                .bind(now)
                .execute(c)
                .await?
                .rows_affected());
                write_version(tx, Version::of_goal(id, 1, &goal), by).await?;
                Ok(Step::Wrote(("plan_goal", id.to_string()), id))
            })
        })
        .await
    }

    /// Changes a goal's words, domain or status, if the page showed `version`.
    pub async fn change_goal(
        &self,
        worker: &Caseworker<'_>,
        participant: ParticipantId,
        id: GoalId,
        version: i64,
        goal: &Goal,
    ) -> Result<Casework<()>> {
        self.in_reach_write(worker, participant, "plan.goal.change", |tx, _| {
            let goal = goal.clone();
            let by = By::of(worker);
            let now = Stamp(by.at);
            let sees = role_sees(worker.role);
            Box::pin(async move {
                let current: Option<(String, i64)> = on_tx!(tx, c => sqlx::query_as(
                    "SELECT domain, CAST(version AS BIGINT) FROM plan_goals WHERE id = $1 AND participant_id = $2",
                )
                .bind(id.to_string())
                .bind(participant.to_string())
                .fetch_optional(c)
                .await?);
                let Some((domain, current)) = current else {
                    return Ok(Step::Refused(Casework::NotFound, "refused: no such goal".into()));
                };
                let domain: GoalDomain = parse("goal domain", &domain)?;
                if !sees(domain.sensitivity()) || !sees(goal.domain.sensitivity()) {
                    return Ok(Step::Refused(Casework::OutOfReach, "refused: label".into()));
                }
                if current != version {
                    return Ok(Step::Refused(Casework::Stale, stale(version, current)));
                }
                on_tx!(tx, c => sqlx::query(
                    "UPDATE plan_goals SET domain = $1, words = $2, status = $3, version = version + 1, changed_at = $4 \
                     WHERE id = $5",
                )
                .bind(goal.domain.code())
                .bind(&goal.words)
                .bind(goal.status.code())
                .bind(now)
                .bind(id.to_string())
                .execute(c)
                .await?
                .rows_affected());
                write_version(tx, Version::of_goal(id, version + 1, &goal), by).await?;
                Ok(Step::Wrote(("plan_goal", id.to_string()), ()))
            })
        })
        .await
    }

    /// Adds a step to one of the participant's goals.
    pub async fn add_step(
        &self,
        worker: &Caseworker<'_>,
        participant: ParticipantId,
        goal: GoalId,
        step: &PlanStep,
    ) -> Result<Casework<StepId>> {
        self.in_reach_write(worker, participant, "plan.step.add", |tx, _| {
            let step = step.clone();
            let by = By::of(worker);
            let now = Stamp(by.at);
            let sees = role_sees(worker.role);
            Box::pin(async move {
                let Some(domain) = goal_domain(tx, participant, goal).await? else {
                    return Ok(Step::Refused(Casework::NotFound, "refused: no such goal".into()));
                };
                let label = domain.sensitivity();
                if !sees(label) {
                    return Ok(Step::Refused(Casework::OutOfReach, "refused: label".into()));
                }
                let id = StepId::new();
                on_tx!(tx, c => sqlx::query(
                    "INSERT INTO plan_steps (id, goal_id, words, owner, due_on, status, version, created_at, changed_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $7)",
                )
                .bind(id.to_string())
                .bind(goal.to_string())
                .bind(&step.words)
                .bind(step.owner.code())
                .bind(step.due_on.map(|d| d.to_string()))
                .bind(step.status.code())
                .bind(now)
                .execute(c)
                .await?
                .rows_affected());
                write_version(tx, Version::of_step(goal, id, 1, label, &step), by).await?;
                Ok(Step::Wrote(("plan_step", id.to_string()), id))
            })
        })
        .await
    }

    /// Changes a step (its words, owner, day or status), if the page showed `version`.
    pub async fn change_step(
        &self,
        worker: &Caseworker<'_>,
        participant: ParticipantId,
        id: StepId,
        version: i64,
        step: &PlanStep,
    ) -> Result<Casework<()>> {
        self.in_reach_write(worker, participant, "plan.step.change", |tx, _| {
            let step = step.clone();
            let by = By::of(worker);
            let now = Stamp(by.at);
            let sees = role_sees(worker.role);
            Box::pin(async move {
                let current: Option<(String, String, i64)> = on_tx!(tx, c => sqlx::query_as(
                    "SELECT s.goal_id, g.domain, CAST(s.version AS BIGINT) FROM plan_steps s \
                     JOIN plan_goals g ON g.id = s.goal_id WHERE s.id = $1 AND g.participant_id = $2",
                )
                .bind(id.to_string())
                .bind(participant.to_string())
                .fetch_optional(c)
                .await?);
                let Some((goal, domain, current)) = current else {
                    return Ok(Step::Refused(Casework::NotFound, "refused: no such step".into()));
                };
                let label = parse::<GoalDomain>("goal domain", &domain)?.sensitivity();
                if !sees(label) {
                    return Ok(Step::Refused(Casework::OutOfReach, "refused: label".into()));
                }
                if current != version {
                    return Ok(Step::Refused(Casework::Stale, stale(version, current)));
                }
                on_tx!(tx, c => sqlx::query(
                    "UPDATE plan_steps SET words = $1, owner = $2, due_on = $3, status = $4, \
                     version = version + 1, changed_at = $5 WHERE id = $6",
                )
                .bind(&step.words)
                .bind(step.owner.code())
                .bind(step.due_on.map(|d| d.to_string()))
                .bind(step.status.code())
                .bind(now)
                .bind(id.to_string())
                .execute(c)
                .await?
                .rows_affected());
                let goal = parse("goal id", &goal)?;
                write_version(tx, Version::of_step(goal, id, version + 1, label, &step), by).await?;
                Ok(Step::Wrote(("plan_step", id.to_string()), ()))
            })
        })
        .await
    }

    /// Sends a referral out to an active partner, for one of the participant's goals or none.
    /// `Stale` when the partner left the directory or the goal is not theirs (an old page).
    pub async fn send_referral_out(
        &self,
        worker: &Caseworker<'_>,
        participant: ParticipantId,
        referral: &NewReferralOut,
    ) -> Result<Casework<PartnerReferralId>> {
        self.in_reach_write(worker, participant, "referral_out.send", |tx, _| {
            let referral = referral.clone();
            let by = By::of(worker);
            let now = Stamp(by.at);
            let sees = role_sees(worker.role);
            Box::pin(async move {
                let kind: Option<String> = on_tx!(tx, c => sqlx::query_scalar(
                    "SELECT kind FROM partners WHERE id = $1 AND active = $2",
                )
                .bind(referral.partner.to_string())
                .bind(true)
                .fetch_optional(c)
                .await?);
                let Some(kind) = kind else {
                    return Ok(Step::Refused(Casework::Stale, "refused: partner not active".into()));
                };
                let mut label = parse::<PartnerKind>("partner kind", &kind)?.sensitivity();
                if let Some(goal) = referral.goal {
                    let Some(domain) = goal_domain(tx, participant, goal).await? else {
                        return Ok(Step::Refused(Casework::Stale, "refused: no such goal".into()));
                    };
                    // A housing referral for a substance-use goal tells of substance use.
                    label = label.max(domain.sensitivity());
                }
                if !sees(label) {
                    return Ok(Step::Refused(Casework::OutOfReach, "refused: label".into()));
                }
                let id = PartnerReferralId::new();
                on_tx!(tx, c => sqlx::query(
                    "INSERT INTO referrals_out (id, sensitivity, participant_id, partner_id, goal_id, need, status, reason, \
                     version, sent_at, sent_by, changed_at) VALUES ($1, $9, $2, $3, $4, $5, $6, NULL, 1, $7, $8, $7)",
                )
                .bind(id.to_string())
                .bind(participant.to_string())
                .bind(referral.partner.to_string())
                .bind(referral.goal.map(|g| g.to_string()))
                .bind(&referral.need)
                .bind(ReferralOutStatus::Sent.code())
                .bind(now)
                .bind(by.user.to_string())
                .bind(label.code())
                .execute(c)
                .await?
                .rows_affected());
                write_referral_change(tx, id, 1, (ReferralOutStatus::Sent, None, None), by).await?;
                Ok(Step::Wrote(("referral_out", id.to_string()), id))
            })
        })
        .await
    }

    /// Records the partner's answer (or that the service was given), if the page showed
    /// `version` and the referral can still move that way.
    pub async fn answer_referral_out(
        &self,
        worker: &Caseworker<'_>,
        participant: ParticipantId,
        id: PartnerReferralId,
        version: i64,
        answer: &ReferralOutAnswer,
    ) -> Result<Casework<()>> {
        self.in_reach_write(worker, participant, "referral_out.answer", |tx, _| {
            let answer = answer.clone();
            let by = By::of(worker);
            let now = Stamp(by.at);
            let sees = role_sees(worker.role);
            Box::pin(async move {
                let current: Option<(String, String, i64)> = on_tx!(tx, c => sqlx::query_as(
                    "SELECT status, sensitivity, CAST(version AS BIGINT) FROM referrals_out \
                     WHERE id = $1 AND participant_id = $2",
                )
                .bind(id.to_string())
                .bind(participant.to_string())
                .fetch_optional(c)
                .await?);
                let Some((status, label, current)) = current else {
                    return Ok(Step::Refused(Casework::NotFound, "refused: no such referral".into()));
                };
                if !sees(parse("referral label", &label)?) {
                    return Ok(Step::Refused(Casework::OutOfReach, "refused: label".into()));
                }
                let status: ReferralOutStatus = parse("referral out status", &status)?;
                if current != version || !status.next().contains(&answer.status()) {
                    return Ok(Step::Refused(Casework::Stale, stale(version, current)));
                }
                on_tx!(tx, c => sqlx::query(
                    "UPDATE referrals_out SET status = $1, reason = $2, version = version + 1, changed_at = $3 WHERE id = $4",
                )
                .bind(answer.status().code())
                .bind(answer.reason().map(DeclineReason::code))
                .bind(now)
                .bind(id.to_string())
                .execute(c)
                .await?
                .rows_affected());
                let change = (answer.status(), answer.reason(), answer.words());
                write_referral_change(tx, id, version + 1, change, by).await?;
                Ok(Step::Wrote(("referral_out", id.to_string()), ()))
            })
        })
        .await
    }

    /// The partner directory, by name; `active_only` for the choices of a new referral.
    pub async fn partners(&self, active_only: bool) -> Result<Vec<PartnerLine>> {
        type Row = (
            String,
            String,
            String,
            Option<String>,
            Option<String>,
            Option<String>,
            bool,
            i64,
            i64,
        );
        let rows: Vec<Row> = on_pool!(self, pool => sqlx::query_as(
            "SELECT pa.id, pa.name, pa.kind, pa.phone, pa.address, pa.how_to_refer, pa.active, \
             CAST(pa.version AS BIGINT), \
             (SELECT COUNT(*) FROM referrals_out r WHERE r.partner_id = pa.id AND r.status IN ('sent', 'accepted')) \
             FROM partners pa WHERE pa.active = $1 OR $2",
        )
        .bind(true)
        .bind(!active_only)
        .fetch_all(pool)
        .await?);
        rows.into_iter()
            .map(
                |(id, name, kind, phone, address, how_to_refer, active, version, open)| {
                    Ok(PartnerLine {
                        id: parse("partner id", &id)?,
                        partner: Partner {
                            name,
                            kind: parse("partner kind", &kind)?,
                            phone: phone.map(|p| parse("partner phone", &p)).transpose()?,
                            address,
                            how_to_refer,
                        },
                        active,
                        version,
                        open_referrals: open,
                    })
                },
            )
            .collect::<Result<Vec<_>>>()
            .map(|mut lines| {
                // In Rust, so both backends list them in the same order.
                lines.sort_by(|a, b| {
                    name_key(&a.partner.name)
                        .cmp(&name_key(&b.partner.name))
                        .then(a.id.cmp(&b.id))
                });
                lines
            })
    }

    /// Adds a partner to the directory. `None` when one of that name (in any case) is there.
    pub async fn add_partner(
        &self,
        worker: &Caseworker<'_>,
        partner: &Partner,
    ) -> Result<Option<PartnerId>> {
        let added = self.retrying(|| async {
            let mut tx = self.begin().await?;
            if partner_named(&mut tx, &partner.name, None).await? {
                return Ok(None);
            }
            let id = PartnerId::new();
            on_tx!(&mut tx, c => sqlx::query(
                "INSERT INTO partners (id, name, name_key, kind, phone, address, how_to_refer, active, version, created_at) \
                 VALUES ($1, $2, $9, $3, $4, $5, $6, $7, 1, $8)",
            )
            .bind(id.to_string())
            .bind(&partner.name)
            .bind(partner.kind.code())
            .bind(partner.phone.as_ref().map(ToString::to_string))
            .bind(partner.address.as_deref())
            .bind(partner.how_to_refer.as_deref())
            .bind(true)
            .bind(Stamp(crate::truncate_to_micros(worker.now)))
            .bind(name_key(&partner.name))
            .execute(c)
            .await?
            .rows_affected());
            let entry = worker.entry("partner.add", ("partner", Some(id.to_string())), "ok".into(), None);
            tx.commit_with(entry.entry()).await?;
            Ok(Some(id))
        })
        .await;
        unless_name_taken(added, None)
    }

    /// Changes a partner's entry, or takes it out of (or back into) the directory, if the
    /// page showed `version`. Referrals already sent to them keep their history.
    pub async fn change_partner(
        &self,
        worker: &Caseworker<'_>,
        id: PartnerId,
        version: i64,
        partner: &Partner,
        active: bool,
    ) -> Result<PartnerChange> {
        let changed = self.retrying(|| async {
            let mut tx = self.begin().await?;
            if partner_named(&mut tx, &partner.name, Some(id)).await? {
                return Ok(PartnerChange::NameTaken);
            }
            let changed = on_tx!(&mut tx, c => sqlx::query(
                "UPDATE partners SET name = $1, kind = $2, phone = $3, address = $4, how_to_refer = $5, \
                 active = $6, version = version + 1, name_key = $8 WHERE id = $7 AND version = $9",
            )
            .bind(&partner.name)
            .bind(partner.kind.code())
            .bind(partner.phone.as_ref().map(ToString::to_string))
            .bind(partner.address.as_deref())
            .bind(partner.how_to_refer.as_deref())
            .bind(active)
            .bind(id.to_string())
            .bind(name_key(&partner.name))
            .bind(version)
            .execute(c)
            .await?
            .rows_affected());
            if changed != 1 {
                // Not that version (someone saved first), or no such partner at all.
                let exists: Option<String> = on_tx!(&mut tx, c => sqlx::query_scalar(
                    "SELECT id FROM partners WHERE id = $1",
                )
                .bind(id.to_string())
                .fetch_optional(c)
                .await?);
                return Ok(if exists.is_some() {
                    PartnerChange::Stale
                } else {
                    PartnerChange::NotFound
                });
            }
            let entry = worker.entry(
                "partner.change",
                ("partner", Some(id.to_string())),
                if active { "ok" } else { "ok: inactive" }.into(),
                None,
            );
            tx.commit_with(entry.entry()).await?;
            Ok(PartnerChange::Done)
        })
        .await;
        unless_name_taken(changed, PartnerChange::NameTaken)
    }
}

/// How a change to a partner's entry ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartnerChange {
    Done,
    NotFound,
    /// The page showed an older version.
    Stale,
    /// Another partner has that name (in any case).
    NameTaken,
}

/// `taken` when the write ran into the unique name: the same name saved at the same moment
/// by someone else, which the check before the write could not see.
fn unless_name_taken<T>(result: Result<T>, taken: T) -> Result<T> {
    match result {
        Err(StoreError::Database(sqlx::Error::Database(e))) if e.is_unique_violation() => Ok(taken),
        other => other,
    }
}

/// Invented partners for the demo directory (none of them is a real organisation).
const DEMO_PARTNERS: [(&str, PartnerKind, &str); 5] = [
    (
        "Riverbend Housing Collective (demo)",
        PartnerKind::Housing,
        "Call the intake line; they need an ID or a letter from us.",
    ),
    (
        "Cedar Recovery Clinic (demo)",
        PartnerKind::Treatment,
        "Walk-in assessments on weekday mornings; we can come along.",
    ),
    (
        "Northside Benefits Desk (demo)",
        PartnerKind::Benefits,
        "SNAP and MA applications the same day.",
    ),
    (
        "Lake Street ID Project (demo)",
        PartnerKind::IdDocuments,
        "Birth certificates and state IDs; fees waived with our referral.",
    ),
    (
        "Corridor Legal Aid (demo)",
        PartnerKind::LegalAid,
        "Warrant and fines clinic on Thursdays.",
    ),
];

impl Db {
    /// Fills an empty partner directory with the demo's invented partners.
    pub async fn seed_demo_partners(&self) -> Result<()> {
        let now = crate::now();
        self.retrying(|| async {
            let mut tx = self.begin().await?;
            let existing: i64 = on_tx!(&mut tx, c => sqlx::query_scalar("SELECT COUNT(*) FROM partners")
                .fetch_one(c)
                .await?);
            if existing > 0 {
                return Ok(());
            }
            for (name, kind, how) in DEMO_PARTNERS {
                on_tx!(&mut tx, c => sqlx::query(
                    "INSERT INTO partners (id, name, name_key, kind, phone, address, how_to_refer, active, version, created_at) \
                     VALUES ($1, $2, $7, $3, NULL, NULL, $4, $5, 1, $6)",
                )
                .bind(PartnerId::new().to_string())
                .bind(name)
                .bind(kind.code())
                .bind(how)
                .bind(true)
                .bind(Stamp(now))
                .bind(name_key(name))
                .execute(c)
                .await?
                .rows_affected());
            }
            let actor = crate::audit::Actor::System;
            let entry = crate::audit::Entry::new(&actor, "partner.add", ("partner", None), "ok: demo directory", now);
            tx.commit_with(entry).await
        })
        .await
    }
}

/// A partner's name as compared: folded to lower case here, the same on both backends.
fn name_key(name: &str) -> String {
    name.to_lowercase()
}

/// Whether another partner (not `except`) already has this name, in any case.
async fn partner_named(tx: &mut Tx, name: &str, except: Option<PartnerId>) -> Result<bool> {
    let found: Option<String> = on_tx!(tx, c => sqlx::query_scalar(
        "SELECT id FROM partners WHERE name_key = $1 AND id <> $2 LIMIT 1",
    )
    .bind(name_key(name))
    .bind(except.map(|e| e.to_string()).unwrap_or_default())
    .fetch_optional(c)
    .await?);
    Ok(found.is_some())
}
