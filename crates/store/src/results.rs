//! Data & Results: the true counts behind the public figures, read in one snapshot.
//!
//! Every figure is an indexed range count per month (referrals by `received_at`, enrolments
//! by `enrolled_at`, contacts by `at`), so the work grows with the rows inside the period and
//! the number of months, never with free text. Only aggregates leave this module; no
//! personal data is returned, so these reads are not audited as reads of personal data.

use std::collections::HashMap;

use leadhub_domain::BusinessCalendar;
use leadhub_domain::referral::{Door, ReferrerType};
use leadhub_domain::results::{
    COMMUNITY_SOURCES, Counts, EquityGroup, MonthCounts, Period, RaceAnswer, Source,
};
use leadhub_domain::snapshot::{LivingSituation, Month, parse_one_code};
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
    first_contact_at: Option<OffsetDateTime>,
}

/// For each referral received in the period that led to an enrolment by its end: whole days on
/// the site's clock from the referral to the first time staff met the person.
async fn waits(
    tx: &mut Tx,
    start: OffsetDateTime,
    end: OffsetDateTime,
    calendar: &BusinessCalendar,
) -> Result<Vec<i64>> {
    let rows: Vec<WaitRow> = on_tx!(tx, c => sqlx::query_as(
        "SELECT r.received_at, p.enrolled_at, \
         (SELECT MIN(o.at) FROM outreach_attempts o WHERE o.referral_id = r.id AND o.found AND o.at < $2) AS found_at, \
         (SELECT MIN(x.at) FROM contacts x WHERE x.participant_id = p.id AND x.at < $2) AS first_contact_at \
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
            let met = [Some(r.enrolled_at), r.found_at, r.first_contact_at]
                .into_iter()
                .flatten()
                .min()
                .unwrap_or(r.enrolled_at);
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

#[derive(sqlx::FromRow)]
struct LatestRow {
    participant_id: String,
    race_ethnicity: Option<String>,
    month: String,
    recorded_at: OffsetDateTime,
    living: String,
}

/// By group: participants permanently housed at their latest status up to `as_of_month`, and
/// participants whose latest living situation is known.
async fn housed_by_group(
    tx: &mut Tx,
    end: OffsetDateTime,
    as_of_month: Month,
) -> Result<Vec<(u64, u64)>> {
    let rows: Vec<LatestRow> = on_tx!(tx, c => sqlx::query_as(
        "SELECT s.participant_id, pe.race_ethnicity, s.month, s.recorded_at, s.living \
         FROM status_snapshots s JOIN participants p ON p.id = s.participant_id \
         JOIN people pe ON pe.id = p.person_id \
         WHERE s.month <= $1 AND p.enrolled_at < $2 AND s.recorded_at < $2",
    )
    .bind(as_of_month.to_string())
    .bind(Stamp(end))
    .fetch_all(&mut *c)
    .await?);
    // The latest snapshot per participant: the latest month, and its latest correction.
    let mut latest: HashMap<String, LatestRow> = HashMap::new();
    for row in rows {
        let newer = latest
            .get(&row.participant_id)
            .is_none_or(|l| (&row.month, row.recorded_at) > (&l.month, l.recorded_at));
        if newer {
            latest.insert(row.participant_id.clone(), row);
        }
    }
    let mut groups = vec![(0_u64, 0_u64); EquityGroup::ALL.len()];
    for row in latest.values() {
        let Ok(living) = parse_one_code::<LivingSituation>(&row.living) else {
            continue;
        };
        let Some(living) = living.known() else {
            continue;
        };
        let group = EquityGroup::of(&RaceAnswer::from_stored(row.race_ethnicity.as_deref()));
        let entry = &mut groups[group.index()];
        entry.1 += 1;
        if living.housing() == leadhub_domain::snapshot::Housing::Permanent {
            entry.0 += 1;
        }
    }
    Ok(groups)
}

/// A COUNT(*) as an unsigned count (never negative).
fn count(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}
