//! Outcomes (`/staff/outcomes`), for the project manager and evaluators: the Seattle LEAD
//! analyses run on leadhub's own participant-month panel, and the de-identified panel for an
//! evaluator to run their own (`/staff/outcomes/panel.csv`, with its data dictionary).
//!
//! Every model is a GEE with an exchangeable working correlation within participants and
//! robust standard errors (`leadhub_stats`, checked against statsmodels).

use askama::Template;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use hmac::{Hmac, Mac};
use leadhub_domain::outcomes::{PANEL_FIELDS, PanelRow};
use leadhub_stats::{Correlation, Estimate, Family, Observations, Options, Spec, StatsError};
use leadhub_store::{Actor, PanelUse, ParticipantMonths};
use sha2::Sha256;

use super::charts::{Interval, interval_chart};
use super::chrome::render;
use super::results::csv_lines;
use super::staff::Frame;
use crate::auth::StaffUser;
use crate::{AppError, AppState};

/// Fewer people than this behind a figure and the page says it cannot say much.
const FEW_PEOPLE: usize = 20;

/// Reads one yes/no outcome of a panel row.
type OutcomeOf = fn(&PanelRow) -> Option<bool>;

/// The outcomes the page models: panel column, label, and how to read it.
const OUTCOMES: [(&str, &str, OutcomeOf); 4] = [
    (
        "sheltered",
        "Sheltered (anywhere meant for living in)",
        |r| r.sheltered,
    ),
    ("permanent", "In permanent housing", |r| r.permanent),
    ("employed", "Any paid work", |r| r.employed),
    ("income_or_benefits", "Legitimate income or benefits", |r| {
        r.income_or_benefits
    }),
];

/// One outcome's line on the page.
struct OutcomeLine {
    label: &'static str,
    people: usize,
    months: usize,
    baseline: String,
    followup: String,
    versus_baseline: Figure,
    per_contact: Figure,
    warnings: Vec<String>,
}

/// A ratio with its interval, or why there is none (`missing` is then not empty).
#[derive(Default)]
struct Figure {
    ratio: String,
    interval: String,
    p: String,
    chart: Option<Interval>,
    missing: String,
}

impl Figure {
    fn missing(why: String) -> Self {
        Self {
            missing: why,
            ..Self::default()
        }
    }
}

/// Arrests (bookings and citations) before and after referral.
struct ArrestLine {
    people: usize,
    months: usize,
    before: String,
    after: String,
    ratio: Figure,
    warnings: Vec<String>,
}

#[derive(Template)]
#[template(path = "staff/outcomes.html")]
struct OutcomesPage {
    frame: Frame,
    as_of: String,
    people: usize,
    months: usize,
    lines: Vec<OutcomeLine>,
    arrests: ArrestLine,
    chart: String,
    fields: &'static [(&'static str, &'static str)],
}

fn actor(user: &StaffUser) -> Actor {
    Actor::User {
        id: user.session.user_id,
        role: user.session.role,
    }
}

pub async fn page(State(state): State<AppState>, user: StaffUser) -> Result<Response, AppError> {
    let today = state.site.calendar.day_of(leadhub_store::now());
    let panel = state
        .db
        .outcome_panel(
            &state.site.calendar,
            today,
            &actor(&user),
            PanelUse::Analysis,
        )
        .await?;
    let people = panel.len();
    let months = panel.iter().map(|p| p.rows.len()).sum();
    // Fitting is CPU work: off the async threads.
    let (lines, arrests) = tokio::task::spawn_blocking(move || analyse(&panel))
        .await
        .map_err(|_| AppError::Unavailable)?;
    let intervals: Vec<Interval> = lines
        .iter()
        .filter_map(|l| l.versus_baseline.chart.clone())
        .collect();
    let chart = interval_chart(
        "Odds of each outcome in a month after referral, against the month before",
        "Odds ratio with its 95% interval on a log scale; 1 means no change, right of 1 more likely than before referral.",
        &intervals,
    );
    let page = OutcomesPage {
        frame: Frame::staff(&state, &user, "Outcomes", "/staff/outcomes"),
        as_of: today.to_string(),
        people,
        months,
        lines,
        arrests,
        chart,
        fields: PANEL_FIELDS,
    };
    Ok(render(&page)?.into_response())
}

/// The models for every outcome and for arrests, each on its own thread (nine fits on up
/// to a million participant-months take seconds on one core).
fn analyse(panel: &[ParticipantMonths]) -> (Vec<OutcomeLine>, ArrestLine) {
    std::thread::scope(|scope| {
        let arrests = scope.spawn(|| analyse_arrests(panel));
        let running: Vec<_> = OUTCOMES
            .iter()
            .map(|&(column, label, value)| {
                (
                    label,
                    scope.spawn(move || analyse_one(panel, column, label, value)),
                )
            })
            .collect();
        let lines = running
            .into_iter()
            .map(|(label, thread)| {
                // The fits return errors rather than panic; should a thread die anyway, the
                // page says so for that outcome instead of failing.
                thread.join().unwrap_or_else(|_| OutcomeLine::failed(label))
            })
            .collect();
        let arrests = arrests.join().unwrap_or_else(|_| ArrestLine {
            people: 0,
            months: 0,
            before: String::new(),
            after: String::new(),
            ratio: Figure::missing("Cannot be estimated: the analysis failed.".into()),
            warnings: Vec::new(),
        });
        (lines, arrests)
    })
}

const DAYS_PER_YEAR: f64 = 365.25;

/// A participant's months with a day at risk: a whole month in jail says nothing of the
/// rate and is left out.
fn at_risk(participant: &ParticipantMonths) -> impl Iterator<Item = &PanelRow> {
    participant.rows.iter().filter(|r| r.days_at_risk > 0)
}

/// Arrests per person-year in the months before referral and after, and the rate ratio
/// from a Poisson GEE with the log of days at risk as offset.
fn analyse_arrests(panel: &[ParticipantMonths]) -> ArrestLine {
    // Arrests and days at risk before referral ([0]) and after ([1]), counted before any
    // rows are copied for a model: with none on one side there is no model to fit.
    let mut totals = [(0u64, 0u64); 2];
    let mut people = 0;
    let mut months = 0;
    for participant in panel {
        let mut counted = false;
        for row in at_risk(participant) {
            let total = &mut totals[usize::from(row.followup)];
            total.0 += u64::from(row.arrests);
            total.1 += u64::from(row.days_at_risk);
            counted = true;
            months += 1;
        }
        people += usize::from(counted);
    }
    let rate = |(arrests, days): (u64, u64)| {
        if days == 0 {
            return "no days observed".to_owned();
        }
        let years = days as f64 / DAYS_PER_YEAR;
        format!(
            "{:.2} per person-year ({arrests} in {years:.1} person-years)",
            arrests as f64 / years
        )
    };
    let mut warnings = Vec::new();
    if people < FEW_PEOPLE {
        warnings.push(format!(
            "Only {people} people are behind these figures: too few to say anything with confidence."
        ));
    }
    // With none on one side the rate ratio is zero or infinite: no model can estimate it,
    // and the fit would only iterate towards it.
    let ratio = if totals[0].0 + totals[1].0 == 0 {
        Figure::missing("No arrests are recorded yet: there is nothing to compare.".into())
    } else if totals[0].0 == 0 || totals[1].0 == 0 {
        let side = if totals[0].0 == 0 { "before" } else { "after" };
        Figure::missing(format!(
            "Cannot be estimated: no arrests are recorded in the months {side} referral."
        ))
    } else {
        let mut obs = Observations {
            predictors: vec![Vec::new()],
            offset: Some(Vec::new()),
            ..Observations::default()
        };
        for participant in panel {
            let id = participant.participant.to_string();
            for row in at_risk(participant) {
                obs.outcome.push(f64::from(row.arrests));
                obs.predictors[0].push(f64::from(u8::from(row.followup)));
                if let Some(offset) = obs.offset.as_mut() {
                    offset.push(f64::from(row.days_at_risk).ln());
                }
                obs.cluster.push(id.clone());
            }
        }
        let spec = ("arrests", Family::Poisson, Some("log_days_at_risk"));
        figure(
            fit(&obs, spec, &["followup"]),
            "followup",
            "Arrests",
            &mut warnings,
        )
    };
    ArrestLine {
        people,
        months,
        before: rate(totals[0]),
        after: rate(totals[1]),
        ratio,
        warnings,
    }
}

impl OutcomeLine {
    fn failed(label: &'static str) -> Self {
        Self {
            label,
            people: 0,
            months: 0,
            baseline: String::new(),
            followup: String::new(),
            versus_baseline: Figure::missing("Cannot be estimated: the analysis failed.".into()),
            per_contact: Figure::missing("Cannot be estimated: the analysis failed.".into()),
            warnings: Vec::new(),
        }
    }
}

fn analyse_one(
    panel: &[ParticipantMonths],
    column: &str,
    label: &'static str,
    value: OutcomeOf,
) -> OutcomeLine {
    let mut obs = observations(panel, value);
    let people = {
        let mut ids: Vec<&String> = obs.cluster.iter().collect();
        ids.dedup();
        ids.len()
    };
    let share = |followup: bool| {
        let (yes, known) = panel
            .iter()
            .flat_map(|p| &p.rows)
            .filter(|r| r.followup == followup)
            .filter_map(value)
            .fold((0usize, 0usize), |(y, k), v| (y + usize::from(v), k + 1));
        match (yes * 100).checked_div(known) {
            Some(percent) => format!("{percent}% of {known} months"),
            None => "no months known".to_owned(),
        }
    };
    let mut warnings = Vec::new();
    if people < FEW_PEOPLE {
        warnings.push(format!(
            "Only {people} people have this status recorded: too few to say anything with confidence."
        ));
    }
    let binomial = (column, Family::Binomial, None);
    let per_contact = figure(
        fit(&obs, binomial, &["followup", "contacts"]),
        "contacts",
        label,
        &mut warnings,
    );
    // The same rows without the contacts column: no copy of up to a million rows.
    obs.predictors.truncate(1);
    let versus_baseline = figure(
        fit(&obs, binomial, &["followup"]),
        "followup",
        label,
        &mut warnings,
    );
    OutcomeLine {
        label,
        people,
        months: obs.outcome.len(),
        baseline: share(false),
        followup: share(true),
        versus_baseline,
        per_contact,
        warnings,
    }
}

/// The rows whose outcome is known, with follow-up and contacts (in that order) as
/// predictors, clustered by
/// participant (rows of one participant are together: the panel comes grouped).
fn observations(panel: &[ParticipantMonths], value: OutcomeOf) -> Observations {
    let mut obs = Observations {
        predictors: vec![Vec::new(), Vec::new()],
        ..Observations::default()
    };
    for participant in panel {
        let id = participant.participant.to_string();
        for row in &participant.rows {
            if let Some(yes) = value(row) {
                obs.outcome.push(f64::from(u8::from(yes)));
                obs.predictors[0].push(f64::from(u8::from(row.followup)));
                obs.predictors[1].push(f64::from(row.contacts));
                obs.cluster.push(id.clone());
            }
        }
    }
    obs
}

/// The outcome column, the family and the offset column (if any) of a model.
type Model<'a> = (&'a str, Family, Option<&'a str>);

/// `predictors` names the columns of `obs`, in order.
fn fit(obs: &Observations, model: Model<'_>, predictors: &[&str]) -> Result<Estimate, StatsError> {
    let (outcome, family, offset) = model;
    let spec = Spec {
        outcome: outcome.to_owned(),
        predictors: predictors.iter().map(|p| (*p).to_owned()).collect(),
        cluster: "participant".to_owned(),
        family,
        offset: offset.map(str::to_owned),
        weights: None,
        correlation: Correlation::Exchangeable,
    };
    leadhub_stats::fit(obs, &spec, &Options::default())
}

fn figure(
    estimate: Result<Estimate, StatsError>,
    param: &str,
    label: &'static str,
    warnings: &mut Vec<String>,
) -> Figure {
    let estimate = match estimate {
        Ok(estimate) => estimate,
        Err(error) => return Figure::missing(format!("Cannot be estimated: {error}.")),
    };
    for warning in &estimate.warnings {
        let warning = sentence(warning);
        if !warnings.contains(&warning) {
            warnings.push(warning);
        }
    }
    match estimate.param(param) {
        Some(p) => Figure {
            ratio: format!("{:.2}", p.exp),
            interval: format!("{:.2} to {:.2}", p.ci_low, p.ci_high),
            p: if p.p < 0.001 {
                "< 0.001".to_owned()
            } else {
                format!("{:.3}", p.p)
            },
            chart: Some(Interval {
                label: label.to_owned(),
                estimate: p.exp,
                low: p.ci_low,
                high: p.ci_high,
            }),
            missing: String::new(),
        },
        None => Figure::missing("Cannot be estimated.".to_owned()),
    }
}

/// A warning of the stats crate ("only 8 clusters: …") as a sentence on the page.
fn sentence(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => format!("{}{}.", first.to_uppercase(), chars.as_str()),
        None => String::new(),
    }
}

/// The de-identified panel as CSV: pseudonyms for participants, months for dates, codes.
pub async fn panel_csv(
    State(state): State<AppState>,
    user: StaffUser,
) -> Result<Response, AppError> {
    let today = state.site.calendar.day_of(leadhub_store::now());
    let key = state.db.secret("evaluation_pseudonym_key").await?;
    let panel = state
        .db
        .outcome_panel(&state.site.calendar, today, &actor(&user), PanelUse::Export)
        .await?;
    let header: Vec<&str> = PANEL_FIELDS.iter().map(|(c, _)| *c).collect();
    // Participants in the order of their pseudonyms, so the order says nothing about when
    // people enrolled; each one's months are already in order.
    let mut people: Vec<(String, &ParticipantMonths)> = panel
        .iter()
        .map(|p| (pseudonym(&key, &p.participant.to_string()), p))
        .collect();
    people.sort_by(|a, b| a.0.cmp(&b.0));
    let rows: Vec<Vec<String>> = people
        .iter()
        .flat_map(|(pseudonym, p)| {
            p.rows.iter().map(move |r| {
                let mut line = vec![pseudonym.clone()];
                line.extend(r.cells());
                line
            })
        })
        .collect();
    let out = csv_lines(&header, rows);
    Ok(csv(out, &format!("leadhub-panel-{today}.csv")))
}

/// The export's data dictionary.
pub async fn dictionary_csv(_user: StaffUser) -> Response {
    let mut out = String::from("column,meaning\n");
    for (column, meaning) in PANEL_FIELDS {
        out.push_str(&format!("{column},\"{}\"\n", meaning.replace('"', "\"\"")));
    }
    csv(out, "leadhub-panel-dictionary.csv")
}

fn csv(body: String, filename: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        body,
    )
        .into_response()
}

/// A participant's pseudonym: HMAC-SHA256 of their id under the site's key, cut to 64 bits.
/// The same person keeps the same pseudonym across exports; without the key (kept in the
/// database, never exported) it cannot be turned back into the id.
fn pseudonym(key: &str, participant: &str) -> String {
    // HMAC takes a key of any length, so `new_from_slice` cannot fail.
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(key.as_bytes()) else {
        return String::new();
    };
    mac.update(participant.as_bytes());
    leadhub_domain::credentials::hex(&mac.finalize().into_bytes()[..8])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn month(followup: bool, bookings: u32, days_at_risk: u32) -> PanelRow {
        PanelRow {
            month: "2026-03".parse().unwrap(),
            months_since_baseline: u32::from(followup),
            followup,
            sheltered: None,
            permanent: None,
            employment: None,
            employed: None,
            income_or_benefits: None,
            contacts: 0,
            arrests: bookings,
            bookings,
            jail_days: 30 - days_at_risk,
            days_at_risk,
        }
    }

    #[test]
    fn arrests_fall_after_referral_at_a_rate_ratio_below_one() {
        // Forty people, booked 0, 1 or 2 times in the month before referral (39 in all);
        // after it, one in four once in the first month and one in five once in the fourth
        // (18 in all). A whole month in jail is left out.
        let panel: Vec<ParticipantMonths> = (0..40u32)
            .map(|n| ParticipantMonths {
                participant: leadhub_domain::ids::ParticipantId::new(),
                rows: vec![
                    month(false, n % 3, 30),
                    month(true, u32::from(n % 4 == 0), 30),
                    month(true, 0, 30),
                    month(true, 0, 0),
                    month(true, u32::from(n % 5 == 0), 30),
                ],
            })
            .collect();
        let line = analyse_arrests(&panel);
        assert_eq!((line.people, line.months), (40, 160));
        // 39 in 1,200 days and 18 in 3,600.
        assert_eq!(
            line.before,
            "11.87 per person-year (39 in 3.3 person-years)"
        );
        assert_eq!(line.after, "1.83 per person-year (18 in 9.9 person-years)");
        assert!(line.ratio.missing.is_empty(), "{}", line.ratio.missing);
        let ratio: f64 = line.ratio.ratio.parse().unwrap();
        assert!((0.1..0.25).contains(&ratio), "{ratio}: crude 0.154");
        assert!(line.warnings.is_empty(), "{:?}", line.warnings);

        let none: Vec<ParticipantMonths> = panel
            .into_iter()
            .map(|mut p| {
                p.rows.iter_mut().for_each(|r| r.arrests = 0);
                p
            })
            .collect();
        assert!(
            analyse_arrests(&none)
                .ratio
                .missing
                .starts_with("No arrests are recorded yet")
        );
        let after_only: Vec<ParticipantMonths> = none
            .into_iter()
            .map(|mut p| {
                p.rows[1].arrests = 1;
                p
            })
            .collect();
        assert_eq!(
            analyse_arrests(&after_only).ratio.missing,
            "Cannot be estimated: no arrests are recorded in the months before referral."
        );
    }

    #[test]
    fn warnings_become_sentences_whatever_their_first_letter() {
        assert_eq!(sentence("only 8 clusters"), "Only 8 clusters.");
        assert_eq!(sentence("élan"), "Élan.");
        assert_eq!(sentence(""), "");
    }

    #[test]
    fn pseudonyms_are_stable_per_key_and_say_nothing_of_the_id() {
        let a = pseudonym("key one", "0190a1b2-0000-7000-8000-000000000001");
        assert_eq!(a.len(), 16);
        assert_eq!(
            a,
            pseudonym("key one", "0190a1b2-0000-7000-8000-000000000001")
        );
        assert_ne!(
            a,
            pseudonym("key two", "0190a1b2-0000-7000-8000-000000000001")
        );
        assert_ne!(
            a,
            pseudonym("key one", "0190a1b2-0000-7000-8000-000000000002")
        );
        assert!(!a.contains("0190"));
    }
}
