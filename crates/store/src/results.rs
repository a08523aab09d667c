//! Data & Results: the true counts behind the public figures, read in one snapshot.
//!
//! Every figure is an indexed range count per month (referrals by `received_at`, enrolments
//! by `enrolled_at`, contacts by `at`), so the work grows with the rows inside the period and
//! the number of months, never with free text. Only aggregates leave this module; no
//! personal data is returned, so these reads are not audited as reads of personal data.

use leadhub_domain::BusinessCalendar;
use leadhub_domain::referral::{Door, ReferrerType};
use leadhub_domain::results::{
    COMMUNITY_SOURCES, Counts, EquityGroup, MonthCounts, Period, RaceAnswer, Source,
};
use leadhub_domain::snapshot::{Housing, LivingSituation, Month, parse_one_code};
use time::OffsetDateTime;

use crate::{Db, Result, Stamp, Tx, on_tx};

impl Db {
    /// The true counts for `period`, months cut on the site's clock.
    pub async fn result_counts(
        &self,
        period: Period,
        calendar: &BusinessCalendar,
    ) -> Result<Counts> {
        let (start, end) = period.instants(calendar);
        let mut tx = self.begin_read().await?;
        let mut months = Vec::new();
        for (month, from, to) in period.month_instants(calendar) {
            months.push(month_counts(&mut tx, month, from, to).await?);
        }
        let counts = Counts {
            months,
            community_sources: community_sources(&mut tx, start, end).await?,
            waits: waits(&mut tx, start, end, calendar).await?,
            referrals_by_group: referrals_by_group(&mut tx, start, end).await?,
            enrolled_by_group: enrolled_by_group(&mut tx, start, end).await?,
            housed_by_group: housed_by_group(&mut tx, end, Month::of(period.as_of)).await?,
        };
        // Read-only: committing ends the snapshot.
        tx.commit().await?;
        Ok(counts)
    }
}

async fn month_counts(
    tx: &mut Tx,
    month: Month,
    from: OffsetDateTime,
    to: OffsetDateTime,
) -> Result<MonthCounts> {
    let by_door: Vec<(String, i64)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT door, COUNT(*) FROM referrals WHERE received_at >= $1 AND received_at < $2 GROUP BY door",
    )
    .bind(Stamp(from))
    .bind(Stamp(to))
    .fetch_all(&mut *c)
    .await?);
    let mut referrals_by_door = vec![0_u64; Door::ALL.len()];
    for (code, n) in by_door {
        if let Some(i) = code
            .parse::<Door>()
            .ok()
            .and_then(|d| Door::ALL.iter().position(|x| *x == d))
        {
            referrals_by_door[i] += count(n);
        }
    }
    let (enrolments, contacts): (i64, i64) = on_tx!(tx, c => sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM participants WHERE enrolled_at >= $1 AND enrolled_at < $2), \
         (SELECT COUNT(*) FROM contacts WHERE at >= $1 AND at < $2)",
    )
    .bind(Stamp(from))
    .bind(Stamp(to))
    .fetch_one(&mut *c)
    .await?);
    Ok(MonthCounts {
        month,
        referrals_by_door,
        enrolments: count(enrolments),
        contacts: count(contacts),
    })
}

async fn community_sources(
    tx: &mut Tx,
    start: OffsetDateTime,
    end: OffsetDateTime,
) -> Result<Vec<u64>> {
    let rows: Vec<(Option<String>, i64)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT referrer_type, COUNT(*) FROM referrals WHERE received_at >= $1 AND received_at < $2 \
         AND door = 'community' GROUP BY referrer_type",
    )
    .bind(Stamp(start))
    .bind(Stamp(end))
    .fetch_all(&mut *c)
    .await?);
    let mut sources = vec![0_u64; COMMUNITY_SOURCES.len()];
    for (referrer, n) in rows {
        let referrer = referrer.and_then(|r| r.parse::<ReferrerType>().ok());
        let source = Source::of(Door::Community, referrer);
        if let Some(i) = COMMUNITY_SOURCES.iter().position(|s| *s == source) {
            sources[i] += count(n);
        }
    }
    Ok(sources)
}

#[derive(sqlx::FromRow)]
struct WaitRow {
    received_at: OffsetDateTime,
    enrolled_at: OffsetDateTime,
    found_at: Option<OffsetDateTime>,
}

/// For each referral received in the period that led to an enrolment by its end: whole days on
/// the site's clock from the referral to the first time staff met the person: an outreach
/// attempt that found them, or the enrolment (contacts cannot be logged before enrolment, so
/// they are never earlier).
async fn waits(
    tx: &mut Tx,
    start: OffsetDateTime,
    end: OffsetDateTime,
    calendar: &BusinessCalendar,
) -> Result<Vec<i64>> {
    let rows: Vec<WaitRow> = on_tx!(tx, c => sqlx::query_as(
        "SELECT r.received_at, p.enrolled_at, \
         (SELECT MIN(o.at) FROM outreach_attempts o WHERE o.referral_id = r.id AND o.found AND o.at < $2) AS found_at \
         FROM participants p JOIN referrals r ON r.id = p.referral_id \
         WHERE r.received_at >= $1 AND r.received_at < $2 AND p.enrolled_at < $2",
    )
    .bind(Stamp(start))
    .bind(Stamp(end))
    .fetch_all(&mut *c)
    .await?);
    Ok(rows
        .into_iter()
        .map(|r| {
            let met = r.found_at.map_or(r.enrolled_at, |f| f.min(r.enrolled_at));
            let days = calendar.day_of(r.received_at).until(calendar.day_of(met));
            days.map_or(0, |span| i64::from(span.get_days())).max(0)
        })
        .collect())
}

/// Adds stored race answers with their counts into groups.
fn into_groups(rows: Vec<(Option<String>, i64)>) -> Vec<u64> {
    let mut groups = vec![0_u64; EquityGroup::ALL.len()];
    for (stored, n) in rows {
        let group = EquityGroup::of(&RaceAnswer::from_stored(stored.as_deref()));
        groups[group.index()] += count(n);
    }
    groups
}

async fn referrals_by_group(
    tx: &mut Tx,
    start: OffsetDateTime,
    end: OffsetDateTime,
) -> Result<Vec<u64>> {
    let rows: Vec<(Option<String>, i64)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT pe.race_ethnicity, COUNT(*) FROM referrals r \
         LEFT JOIN participants p ON p.id = r.participant_id AND p.enrolled_at < $2 \
         LEFT JOIN people pe ON pe.id = p.person_id \
         WHERE r.received_at >= $1 AND r.received_at < $2 GROUP BY pe.race_ethnicity",
    )
    .bind(Stamp(start))
    .bind(Stamp(end))
    .fetch_all(&mut *c)
    .await?);
    Ok(into_groups(rows))
}

async fn enrolled_by_group(
    tx: &mut Tx,
    start: OffsetDateTime,
    end: OffsetDateTime,
) -> Result<Vec<u64>> {
    let rows: Vec<(Option<String>, i64)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT pe.race_ethnicity, COUNT(*) FROM participants p JOIN people pe ON pe.id = p.person_id \
         WHERE p.enrolled_at >= $1 AND p.enrolled_at < $2 GROUP BY pe.race_ethnicity",
    )
    .bind(Stamp(start))
    .bind(Stamp(end))
    .fetch_all(&mut *c)
    .await?);
    Ok(into_groups(rows))
}

/// By group: participants permanently housed at their latest status up to `as_of_month`, and
/// participants whose latest living situation is known. The latest status (the latest month,
/// then its latest correction) is chosen in SQL, so only counts per answer come back.
async fn housed_by_group(
    tx: &mut Tx,
    end: OffsetDateTime,
    as_of_month: Month,
) -> Result<Vec<(u64, u64)>> {
    let rows: Vec<(Option<String>, String, i64)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT pe.race_ethnicity, s.living, COUNT(*) FROM status_snapshots s \
         JOIN participants p ON p.id = s.participant_id JOIN people pe ON pe.id = p.person_id \
         WHERE s.month <= $1 AND s.recorded_at < $2 AND p.enrolled_at < $2 \
         AND NOT EXISTS (SELECT 1 FROM status_snapshots n WHERE n.participant_id = s.participant_id \
         AND n.month <= $1 AND n.recorded_at < $2 \
         AND (n.month > s.month OR (n.month = s.month AND (n.recorded_at > s.recorded_at \
         OR (n.recorded_at = s.recorded_at AND n.id > s.id))))) \
         GROUP BY pe.race_ethnicity, s.living",
    )
    .bind(as_of_month.to_string())
    .bind(Stamp(end))
    .fetch_all(&mut *c)
    .await?);
    let mut groups = vec![(0_u64, 0_u64); EquityGroup::ALL.len()];
    for (race, living, n) in rows {
        let Ok(living) = parse_one_code::<LivingSituation>(&living) else {
            continue;
        };
        let Some(living) = living.known() else {
            continue;
        };
        let group = EquityGroup::of(&RaceAnswer::from_stored(race.as_deref()));
        let entry = &mut groups[group.index()];
        entry.1 += count(n);
        if living.housing() == Housing::Permanent {
            entry.0 += count(n);
        }
    }
    Ok(groups)
}

/// A COUNT(*) as an unsigned count (never negative).
fn count(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

/// A quarter as it was published.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct PublishedQuarter {
    pub quarter: String,
    pub definitions_version: i64,
    /// The published figures, as JSON.
    pub figures: String,
    pub published_at: OffsetDateTime,
    pub published_by: String,
}

/// How publishing a quarter ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Publish {
    Done,
    /// The quarter was published before: its figures stay as they were.
    AlreadyPublished,
}

impl Db {
    /// Freezes a quarter's figures (`figures`, JSON counted under `definitions_version`), once.
    pub async fn publish_quarter(
        &self,
        quarter: &str,
        definitions_version: u32,
        figures: &str,
        user: leadhub_domain::ids::UserId,
        actor: &crate::Actor,
        now: OffsetDateTime,
    ) -> Result<Publish> {
        let now = crate::truncate_to_micros(now);
        let written = self
            .retrying(|| async {
                let mut tx = self.begin().await?;
                let inserted = on_tx!(&mut tx, c => sqlx::query(
                    "INSERT INTO published_quarters (quarter, definitions_version, figures, published_at, published_by) \
                     VALUES ($1, $2, $3, $4, $5) ON CONFLICT (quarter) DO NOTHING",
                )
                .bind(quarter)
                .bind(i64::from(definitions_version))
                .bind(figures)
                .bind(Stamp(now))
                .bind(user.to_string())
                .execute(c)
                .await?
                .rows_affected());
                let outcome = if inserted == 1 { "ok" } else { "refused: already_published" };
                let entry = crate::audit::Entry::new(
                    actor,
                    "results.publish",
                    ("published_quarter", Some(quarter.to_owned())),
                    outcome,
                    now,
                );
                tx.commit_with(entry).await?;
                Ok(inserted == 1)
            })
            .await?;
        Ok(if written {
            Publish::Done
        } else {
            Publish::AlreadyPublished
        })
    }

    /// Every published quarter, newest first.
    pub async fn published_quarters(&self) -> Result<Vec<PublishedQuarter>> {
        Ok(crate::on_pool!(self, pool => sqlx::query_as(
            "SELECT quarter, definitions_version, figures, published_at, published_by \
             FROM published_quarters ORDER BY quarter DESC",
        )
        .fetch_all(pool)
        .await?))
    }

    /// One published quarter.
    pub async fn published_quarter(&self, quarter: &str) -> Result<Option<PublishedQuarter>> {
        Ok(crate::on_pool!(self, pool => sqlx::query_as(
            "SELECT quarter, definitions_version, figures, published_at, published_by \
             FROM published_quarters WHERE quarter = $1",
        )
        .bind(quarter)
        .fetch_optional(pool)
        .await?))
    }
}

/// The staff dashboard's figures for a stretch of months (and, where it applies, one door).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Dashboard {
    /// Referrals received in the period, and of them answered by their due time.
    pub received: u64,
    pub answered_in_time: u64,
    /// Open referrals now, and of them unanswered past their due time.
    pub open_now: u64,
    pub overdue_now: u64,
    /// Whole days from referral to enrolment, for enrolments in the period.
    pub days_to_enrolment: Vec<i64>,
    /// Participants per case manager (name), largest first; unassigned under "".
    pub caseloads: Vec<(String, u64)>,
    /// Per month: contacts, and participants with at least one contact.
    pub contacts_by_month: Vec<(Month, u64, u64)>,
    /// Participants enrolled in the period with a status at enrolment and a later one:
    /// (at enrolment, at the latest) for each outcome, counted over known answers.
    pub housed: Change,
    pub employed: Change,
    pub income: Change,
}

/// An outcome at enrolment and at the latest status: (with it, known) each time.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Change {
    pub before: (u64, u64),
    pub latest: (u64, u64),
}

const OPEN_STATES: &str = "('received', 'acknowledged', 'screening', 'outreach', 'not_eligible', 'unable_to_locate', 'declined')";

#[derive(sqlx::FromRow)]
struct StatusRow {
    participant_id: String,
    month: String,
    recorded_at: OffsetDateTime,
    living: String,
    employment: String,
    income: String,
}

impl Db {
    /// The dashboard for the months of `period` (and `door`, where a figure has one), at `now`.
    pub async fn dashboard(
        &self,
        period: Period,
        door: Option<Door>,
        calendar: &BusinessCalendar,
        now: OffsetDateTime,
    ) -> Result<Dashboard> {
        use leadhub_domain::snapshot::{Employment, IncomeSource, parse_set_code};
        let (start, end) = period.instants(calendar);
        let door = door.map(|d| d.code().to_owned());
        let mut tx = self.begin_read().await?;
        let (received, answered_in_time): (i64, i64) = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT COUNT(*), CAST(COALESCE(SUM(CASE WHEN answered_at IS NOT NULL AND answered_at <= due_at THEN 1 ELSE 0 END), 0) AS BIGINT) \
             FROM referrals WHERE received_at >= $1 AND received_at < $2 AND ($3 IS NULL OR door = $3)",
        )
        .bind(Stamp(start))
        .bind(Stamp(end))
        .bind(door.as_deref())
        .fetch_one(&mut *c)
        .await?);
        let open_sql = format!(
            "SELECT COUNT(*), CAST(COALESCE(SUM(CASE WHEN answered_at IS NULL AND due_at < $1 THEN 1 ELSE 0 END), 0) AS BIGINT) \
             FROM referrals WHERE state IN {OPEN_STATES} AND ($2 IS NULL OR door = $2)"
        );
        let (open_now, overdue_now): (i64, i64) = on_tx!(&mut tx, c => sqlx::query_as(sqlx::AssertSqlSafe(open_sql))
            .bind(Stamp(now))
            .bind(door.as_deref())
            .fetch_one(&mut *c)
            .await?);
        let enrolments: Vec<(OffsetDateTime, OffsetDateTime)> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT r.received_at, p.enrolled_at FROM participants p JOIN referrals r ON r.id = p.referral_id \
             WHERE p.enrolled_at >= $1 AND p.enrolled_at < $2 AND ($3 IS NULL OR r.door = $3)",
        )
        .bind(Stamp(start))
        .bind(Stamp(end))
        .bind(door.as_deref())
        .fetch_all(&mut *c)
        .await?);
        let days_to_enrolment = enrolments
            .into_iter()
            .map(|(received, enrolled)| {
                let days = calendar.day_of(received).until(calendar.day_of(enrolled));
                days.map_or(0, |span| i64::from(span.get_days())).max(0)
            })
            .collect();
        let caseloads: Vec<(Option<String>, i64)> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT u.name, COUNT(*) FROM participants p LEFT JOIN users u ON u.id = p.case_manager_id \
             GROUP BY u.name ORDER BY COUNT(*) DESC, u.name",
        )
        .fetch_all(&mut *c)
        .await?);
        let mut contacts_by_month = Vec::new();
        for (month, from, to) in period.month_instants(calendar) {
            let (contacts, people): (i64, i64) = on_tx!(&mut tx, c => sqlx::query_as(
                "SELECT COUNT(*), COUNT(DISTINCT participant_id) FROM contacts WHERE at >= $1 AND at < $2",
            )
            .bind(Stamp(from))
            .bind(Stamp(to))
            .fetch_one(&mut *c)
            .await?);
            contacts_by_month.push((month, count(contacts), count(people)));
        }
        let statuses: Vec<StatusRow> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT s.participant_id, s.month, s.recorded_at, s.living, s.employment, s.income \
             FROM status_snapshots s JOIN participants p ON p.id = s.participant_id \
             WHERE p.enrolled_at >= $1 AND p.enrolled_at < $2 AND s.month <= $3 \
             ORDER BY s.participant_id, s.month, s.recorded_at, s.id",
        )
        .bind(Stamp(start))
        .bind(Stamp(end))
        .bind(Month::of(period.as_of).to_string())
        .fetch_all(&mut *c)
        .await?);
        tx.commit().await?;

        // Per participant: the first status (the one at enrolment, or the baseline month) and
        // the latest (latest month, latest correction): rows come in that order.
        let mut firsts_and_lasts: Vec<(&StatusRow, &StatusRow)> = Vec::new();
        for row in &statuses {
            match firsts_and_lasts.last_mut() {
                Some((first, last)) if first.participant_id == row.participant_id => *last = row,
                _ => firsts_and_lasts.push((row, row)),
            }
        }
        let mut dashboard = Dashboard {
            received: count(received),
            answered_in_time: count(answered_in_time),
            open_now: count(open_now),
            overdue_now: count(overdue_now),
            days_to_enrolment,
            caseloads: caseloads
                .into_iter()
                .map(|(name, n)| (name.unwrap_or_default(), count(n)))
                .collect(),
            contacts_by_month,
            ..Dashboard::default()
        };
        let tally = |side: &mut (u64, u64), answer: Option<bool>| {
            if let Some(with) = answer {
                side.1 += 1;
                side.0 += u64::from(with);
            }
        };
        for (first, last) in firsts_and_lasts {
            if first.month == last.month && first.recorded_at == last.recorded_at {
                continue;
            }
            let housed = |r: &StatusRow| {
                parse_one_code::<LivingSituation>(&r.living)
                    .ok()
                    .and_then(|a| a.known().map(|l| l.housing() == Housing::Permanent))
            };
            let employed = |r: &StatusRow| {
                parse_one_code::<Employment>(&r.employment)
                    .ok()
                    .and_then(|a| a.known().map(|e| e.is_employed()))
            };
            let income = |r: &StatusRow| {
                parse_set_code::<IncomeSource>(&r.income)
                    .ok()
                    .and_then(|a| a.known().map(|set| !set.is_empty()))
            };
            tally(&mut dashboard.housed.before, housed(first));
            tally(&mut dashboard.housed.latest, housed(last));
            tally(&mut dashboard.employed.before, employed(first));
            tally(&mut dashboard.employed.latest, employed(last));
            tally(&mut dashboard.income.before, income(first));
            tally(&mut dashboard.income.latest, income(last));
        }
        Ok(dashboard)
    }
}
