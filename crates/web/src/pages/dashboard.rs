//! The staff side of Data & Results (`/staff/results`): the figures the program is run by,
//! for a stretch of months and a door, and publishing a quarter of the public figures.
//!
//! Everything here is an aggregate. Whoever may not assign work (the community lead, the
//! evaluator) sees counts of people under 11 as "fewer than 11" and caseloads without names.

use std::collections::BTreeMap;

use askama::Template;
use axum::body::Bytes;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use jiff::civil::Date;
use leadhub_domain::access::{Action, allowed};
use leadhub_domain::referral::Door;
use leadhub_domain::results::{
    Cell, DEFINITIONS_VERSION, Figures, MIN_CELL, Period, Quarter, QuarterError, median,
    publish_share, publishable_quarter,
};
use leadhub_domain::snapshot::Month;
use leadhub_store::{Change, Dashboard, Publish};
use serde::Deserialize;

use super::chrome::render;
use super::staff::Frame;
use crate::auth::StaffUser;
use crate::forms::FormFields;
use crate::{AppError, AppState};

#[derive(Debug, Default, Deserialize)]
pub struct DashboardQuery {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    door: String,
    /// The quarter shown to roles that see counts held back (`YYYY-Qn`).
    #[serde(default)]
    period: String,
    #[serde(default)]
    saved: String,
}

struct Line {
    label: String,
    value: String,
}

struct PublishedRow {
    quarter: String,
    on: String,
    version: i64,
}

#[derive(Template)]
#[template(path = "staff/results.html")]
struct ResultsPage {
    frame: Frame,
    csrf: String,
    /// Exact counts, any months and a door; otherwise whole quarters, counts held back.
    exact: bool,
    periods: Vec<String>,
    period: String,
    from: String,
    to: String,
    door: String,
    doors: Vec<(&'static str, &'static str)>,
    errors: BTreeMap<&'static str, String>,
    referrals: Vec<Line>,
    outcomes: Vec<(String, String, String)>,
    contacts: Vec<(String, String, String, String)>,
    caseloads: Vec<(String, String)>,
    can_publish: bool,
    quarters: Vec<String>,
    quarter: String,
    published: Vec<PublishedRow>,
}

impl ResultsPage {
    fn error(&self, field: &str) -> String {
        self.errors.get(field).cloned().unwrap_or_default()
    }
}

fn door_label(door: Door) -> &'static str {
    match door {
        Door::Community => "Community",
        Door::SocialContact => "Police, social contact",
        Door::ArrestDiversion => "Police, arrest diversion",
        Door::SelfReferral => "Self-referral",
        Door::Provider => "Service provider",
    }
}

/// The months asked for: `from` and `to` as YYYY-MM (default: the last twelve months up to
/// this one), within the program's life.
fn months_asked(
    query: &DashboardQuery,
    start: Date,
    today: Date,
    errors: &mut BTreeMap<&'static str, String>,
) -> Period {
    let this_month = Month::of(today);
    let default_from = (0..11).fold(this_month, |m, _| m.previous());
    let mut month = |field: &'static str, raw: &str, default: Month| -> Month {
        if raw.trim().is_empty() {
            return default;
        }
        match raw.trim().parse::<Month>() {
            Ok(m) if m.months_until(this_month) >= 0 => m,
            Ok(_) => {
                errors.insert(field, "That month has not started yet.".into());
                default
            }
            Err(_) => {
                errors.insert(
                    field,
                    "Write the month as YYYY-MM, for example 2024-03.".into(),
                );
                default
            }
        }
    };
    let from = month("from", &query.from, default_from);
    let to = month("to", &query.to, this_month);
    let (from, to) = if to.months_until(from) > 0 {
        errors.insert("to", "The last month comes before the first.".into());
        (default_from, this_month)
    } else {
        (from, to)
    };
    let last_day = to
        .next()
        .first_day()
        .yesterday()
        .unwrap_or(today)
        .min(today);
    Period {
        start: from.first_day().max(start),
        as_of: last_day.max(start),
    }
}

/// The quarter asked for (default: this one), within the program's life, as a period that
/// ends today at the latest.
fn quarter_asked(
    raw: &str,
    start: Date,
    today: Date,
    errors: &mut BTreeMap<&'static str, String>,
) -> Period {
    let this_quarter = Quarter::of(today);
    let quarter = match raw.trim() {
        "" => this_quarter,
        raw => match raw.parse::<Quarter>() {
            Ok(q) if q <= this_quarter && q.last_day() >= start => q,
            _ => {
                errors.insert("period", "Choose one of the quarters.".into());
                this_quarter
            }
        },
    };
    Period {
        start: quarter.first_day().max(start),
        as_of: quarter.last_day().min(today).max(start),
    }
}

/// Every quarter of the program's life, newest first.
fn quarters_since(start: Date, today: Date) -> Vec<String> {
    let mut quarters = Vec::new();
    let mut q = Quarter::of(today);
    while q.last_day() >= start && quarters.len() < 80 {
        quarters.push(q.to_string());
        q = q.previous();
    }
    quarters
}

fn door_asked(raw: &str, errors: &mut BTreeMap<&'static str, String>) -> Option<Door> {
    if raw.trim().is_empty() {
        return None;
    }
    raw.trim().parse().ok().or_else(|| {
        errors.insert("door", "Choose one of the doors.".into());
        None
    })
}

pub async fn results(
    State(state): State<AppState>,
    user: StaffUser,
    query: Result<Query<DashboardQuery>, QueryRejection>,
) -> Result<Response, AppError> {
    let query = query.map(|Query(q)| q).unwrap_or_default();
    let notice = if query.saved == "published" {
        "Quarter published. Its figures are now frozen on the public Data & Results page."
    } else {
        ""
    };
    page(&state, &user, &query, "", BTreeMap::new(), notice, "").await
}

async fn page(
    state: &AppState,
    user: &StaffUser,
    query: &DashboardQuery,
    typed_quarter: &str,
    mut errors: BTreeMap<&'static str, String>,
    notice: &str,
    refused: &str,
) -> Result<Response, AppError> {
    let now = leadhub_store::now();
    let today = state.site.calendar.day_of(now);
    let start = state.site.program_start;
    // Names and exact small counts are for whoever runs the work. Anyone else chooses among
    // whole quarters and sees every door together: with any months and any door, two
    // overlapping choices would give a held-back count away by subtraction.
    let exact = allowed(user.session.role, Action::WorkAssign).is_some();
    let (period, door) = if exact {
        (
            months_asked(query, start, today, &mut errors),
            door_asked(&query.door, &mut errors),
        )
    } else {
        (
            quarter_asked(&query.period, start, today, &mut errors),
            None,
        )
    };
    let d = state
        .db
        .dashboard(period, door, &state.site.calendar, now)
        .await?;
    let can_publish = allowed(user.session.role, Action::ResultsPublish).is_some();
    let shown = Shown { exact };
    let published = state.db.published_quarters().await?;
    let quarters = unpublished_quarters(start, today, &published);
    let mut frame = Frame::staff(state, user, "Data & Results", "/staff/results");
    frame.notice = notice.to_owned();
    frame.error = if !refused.is_empty() {
        refused.to_owned()
    } else if errors.is_empty() {
        String::new()
    } else {
        "Some of the choices could not be used: see below.".to_owned()
    };
    let status = if !refused.is_empty() {
        StatusCode::CONFLICT
    } else if errors.contains_key("quarter") {
        StatusCode::UNPROCESSABLE_ENTITY
    } else if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    let page = ResultsPage {
        frame,
        csrf: user.csrf.clone(),
        exact,
        periods: quarters_since(start, today),
        period: Quarter::of(period.as_of).to_string(),
        from: if !exact || query.from.is_empty() {
            Month::of(period.start).to_string()
        } else {
            query.from.clone()
        },
        to: if !exact || query.to.is_empty() {
            Month::of(period.as_of).to_string()
        } else {
            query.to.clone()
        },
        door: query.door.clone(),
        doors: Door::ALL
            .iter()
            .map(|d| (d.code(), door_label(*d)))
            .collect(),
        referrals: referral_lines(&d, &shown),
        outcomes: outcome_rows(&d, &shown),
        contacts: d
            .contacts_by_month
            .iter()
            .map(|(m, contacts, seen)| {
                (
                    m.to_string(),
                    shown.events_beside(*contacts, *seen),
                    shown.people(*seen),
                    shown.per_person(*contacts, *seen),
                )
            })
            .collect(),
        // Caseloads add up to everyone enrolled, which the enrolments nearly are: a held-back
        // caseload could be worked out, and the team and the evaluator have no use for them.
        caseloads: d
            .caseloads
            .iter()
            .filter(|_| exact)
            .map(|(name, n)| {
                let who = if name.is_empty() {
                    "No case manager".to_owned()
                } else {
                    name.clone()
                };
                (who, shown.people(*n))
            })
            .collect(),
        errors,
        can_publish,
        quarter: if typed_quarter.is_empty() {
            quarters.first().cloned().unwrap_or_default()
        } else {
            typed_quarter.to_owned()
        },
        quarters,
        published: published
            .iter()
            .map(|p| PublishedRow {
                quarter: p.quarter.clone(),
                on: state.site.calendar.day_of(p.published_at).to_string(),
                version: p.definitions_version,
            })
            .collect(),
    };
    Ok((status, render(&page)?).into_response())
}

/// Quarters that have ended since the program started and are not published, newest first.
fn unpublished_quarters(
    start: Date,
    today: Date,
    published: &[leadhub_store::PublishedQuarter],
) -> Vec<String> {
    // Every quarter but the one under way, which is not over.
    quarters_since(start, today)
        .into_iter()
        .skip(1)
        .filter(|q| !published.iter().any(|p| p.quarter == *q))
        .collect()
}

/// How counts of people are shown: exactly to whoever runs the work, otherwise (the
/// Community Leadership Team, the evaluator) with small numbers held back, and with no
/// share or ratio that would let a held-back number be worked out.
struct Shown {
    exact: bool,
}

impl Shown {
    fn people(&self, n: u64) -> String {
        let cell = if self.exact {
            Cell::Count(n)
        } else {
            Cell::of(n)
        };
        match cell {
            Cell::Count(v) => v.to_string(),
            _ => "fewer than 11".to_owned(),
        }
    }

    /// `with` of `of` and its percentage. Held back, the count is shown only when both those
    /// with it and those without number 11 or more, since `of` is shown beside it.
    fn part(&self, with: u64, of: u64) -> String {
        let percent = (with * 100 + of / 2)
            .checked_div(of)
            .map_or_else(|| "–".to_owned(), |p| format!("{p}%"));
        if self.exact {
            return format!("{with} ({percent})");
        }
        match publish_share(with, of) {
            Cell::Count(v) if of > 0 => format!("{v} ({percent})"),
            Cell::Count(v) => v.to_string(),
            _ => "held back (fewer than 11 with or without)".to_owned(),
        }
    }

    /// A count of events beside the people they happened to: held back with the people
    /// (one contact means one person seen).
    fn events_beside(&self, events: u64, people: u64) -> String {
        if !self.exact && Cell::of(people).is_suppressed() {
            "held back".to_owned()
        } else {
            events.to_string()
        }
    }

    /// Events per person, with one decimal: held back where the people are, since the
    /// events are shown beside it.
    fn per_person(&self, events: u64, people: u64) -> String {
        if people == 0 || (!self.exact && Cell::of(people).is_suppressed()) {
            return "–".to_owned();
        }
        format!("{:.1}", events as f64 / people as f64)
    }
}

fn referral_lines(d: &Dashboard, shown: &Shown) -> Vec<Line> {
    // Held back, a median of fewer than 11 waits would describe a few people's own.
    let median = median(&d.days_to_enrolment)
        .filter(|_| shown.exact || d.days_to_enrolment.len() as u64 >= MIN_CELL)
        .map_or_else(|| "–".to_owned(), |m| format!("{m} days"));
    vec![
        Line {
            label: "Referrals received".into(),
            value: shown.people(d.received),
        },
        Line {
            label: "Answered within one business day".into(),
            value: shown.part(d.answered_in_time, d.received),
        },
        Line {
            label: "Open now".into(),
            value: shown.people(d.open_now),
        },
        // A part of those open, so shown as one: open less overdue is a count too.
        Line {
            label: "Open and overdue for an answer now".into(),
            value: shown.part(d.overdue_now, d.open_now),
        },
        Line {
            label: "Enrolments".into(),
            value: shown.people(d.days_to_enrolment.len() as u64),
        },
        Line {
            label: "Typical time from referral to enrolment (median)".into(),
            value: median,
        },
    ]
}

fn outcome_rows(d: &Dashboard, shown: &Shown) -> Vec<(String, String, String)> {
    let row = |label: &str, c: Change| {
        let side = |(with, known): (u64, u64)| {
            format!(
                "{} of {} known",
                shown.part(with, known),
                shown.people(known)
            )
        };
        (label.to_owned(), side(c.before), side(c.latest))
    };
    vec![
        row("Permanently housed", d.housed),
        row("Working (any work, formal or not)", d.employed),
        row("With income or benefits", d.income),
    ]
}

/// Publishes a finished quarter: its figures as of its last day, counted now and frozen.
pub async fn publish(
    State(state): State<AppState>,
    user: StaffUser,
    body: Bytes,
) -> Result<Response, AppError> {
    let fields = FormFields::parse(&body);
    let raw = fields.get("quarter");
    let today = state.site.calendar.day_of(leadhub_store::now());
    let query = DashboardQuery::default();
    let (quarter, period) = match publishable_quarter(&raw, state.site.program_start, today) {
        Ok(ok) => ok,
        Err(e) => {
            let message = match e {
                QuarterError::Malformed => "Choose a quarter, written like 2024-Q1.".to_owned(),
                other => format!("{}.", capitalised(&other.to_string())),
            };
            let errors = BTreeMap::from([("quarter", message)]);
            return page(&state, &user, &query, &raw, errors, "", "").await;
        }
    };
    // Counted afresh (not from the public page's cache): these figures are kept for good.
    let counts = state.db.result_counts(period, &state.site.calendar).await?;
    let figures = Figures::publish(period, &counts, state.site.population.as_ref());
    let json = serde_json::to_string(&figures).map_err(|_| AppError::BadRequest)?;
    let actor = leadhub_store::Actor::User {
        id: user.session.user_id,
        role: user.session.role,
    };
    match state
        .db
        .publish_quarter(
            &quarter.to_string(),
            DEFINITIONS_VERSION,
            &json,
            user.session.user_id,
            &actor,
            leadhub_store::now(),
        )
        .await?
    {
        Publish::Done => {
            state.results.forget_published();
            Ok(Redirect::to("/staff/results?saved=published").into_response())
        }
        Publish::AlreadyPublished => {
            let refused = format!("{quarter} was published before; its figures stay as they were.");
            page(&state, &user, &query, &raw, BTreeMap::new(), "", &refused).await
        }
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    const HELD: Shown = Shown { exact: false };
    const EXACT: Shown = Shown { exact: true };

    #[test]
    fn a_share_is_shown_only_when_both_sides_are_11_or_more() {
        assert_eq!(HELD.part(11, 22), "11 (50%)");
        assert!(HELD.part(11, 21).starts_with("held back"), "10 without");
        assert!(HELD.part(10, 40).starts_with("held back"), "10 with");
        assert!(HELD.part(30, 30).starts_with("held back"), "all of them");
        assert_eq!(HELD.part(0, 0), "0");
        assert_eq!(EXACT.part(1, 3), "1 (33%)");
    }

    #[test]
    fn events_and_ratios_are_held_back_with_their_people() {
        assert_eq!(HELD.events_beside(3, 2), "held back");
        assert_eq!(HELD.events_beside(40, 11), "40");
        assert_eq!(HELD.events_beside(0, 0), "0");
        assert_eq!(HELD.per_person(30, 10), "–");
        assert_eq!(HELD.per_person(33, 11), "3.0");
        assert_eq!(EXACT.per_person(30, 10), "3.0");
        assert_eq!(EXACT.events_beside(3, 2), "3");
    }

    #[test]
    fn quarters_are_whole_and_within_the_program() {
        let start = jiff::civil::date(2024, 2, 15);
        let today = jiff::civil::date(2024, 8, 3);
        let mut errors = BTreeMap::new();
        let q = quarter_asked("2024-Q1", start, today, &mut errors);
        assert_eq!((q.start, q.as_of), (start, jiff::civil::date(2024, 3, 31)));
        let now = quarter_asked("", start, today, &mut errors);
        assert_eq!(
            (now.start, now.as_of),
            (jiff::civil::date(2024, 7, 1), today)
        );
        assert!(errors.is_empty());
        quarter_asked("2023-Q4", start, today, &mut errors);
        assert!(errors.contains_key("period"), "before the program");
        errors.clear();
        quarter_asked("2024-Q4", start, today, &mut errors);
        assert!(errors.contains_key("period"), "not begun");
        assert_eq!(
            quarters_since(start, today),
            ["2024-Q3", "2024-Q2", "2024-Q1"]
        );
    }
}
