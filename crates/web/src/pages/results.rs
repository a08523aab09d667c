//! Data & Results: `/data` (the public page), `/data.json` and `/data/<table>.csv`.
//!
//! Figures are computed from the database by indexed range counts (see `store::results`),
//! suppressed in `domain::results`, and kept per as-of day: the page is public and cheap to
//! ask for, the counting is not. Figures older than a few minutes are still served while a
//! recount runs behind them. One count runs at a time, so a burst of requests (or of made-up
//! as-of days) costs one core at most.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use askama::Template;
use axum::Json;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use jiff::civil::Date;
use leadhub_domain::Language;
use leadhub_domain::results::{
    AsOfError, Cell, DEFINITIONS, Definition, Figures, Period, Quarter, parse_as_of,
};
use serde::Deserialize;
use tokio::sync::Semaphore;

use super::charts::{Bar, bar_chart};
use super::chrome::{Chrome, render};
use crate::locale::Locale;
use crate::{AppError, AppState, Tr};

/// How long computed figures are served before a recount starts behind them.
const FRESH_FOR: Duration = Duration::from_secs(300);
/// As-of days kept at once; the oldest computed is dropped first.
const KEPT_DAYS: usize = 32;

/// Figures by as-of day, with when they were counted.
type Counted = HashMap<Date, (Instant, Arc<Figures>)>;

/// A published quarter as the list on `/data` shows it.
#[derive(Debug, Clone)]
pub struct PublishedSummary {
    quarter: String,
    on: Date,
    /// Enrolled clients, client contacts, referrals received, as frozen.
    counters: [Cell; 3],
}

/// The published quarters, newest first, with when they were read.
type PublishedList = Option<(Instant, Arc<Vec<PublishedSummary>>)>;

/// Figures per as-of day, recently computed, and the list of published quarters.
#[derive(Debug, Clone)]
pub struct ResultsCache {
    entries: Arc<Mutex<Counted>>,
    counting: Arc<Semaphore>,
    published: Arc<Mutex<PublishedList>>,
}

impl Default for ResultsCache {
    fn default() -> Self {
        Self {
            entries: Arc::default(),
            counting: Arc::new(Semaphore::new(1)),
            published: Arc::default(),
        }
    }
}

impl ResultsCache {
    /// The kept figures for `day` and whether they are still fresh.
    fn kept(&self, day: Date) -> Option<(Arc<Figures>, bool)> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries
            .get(&day)
            .map(|(at, f)| (f.clone(), at.elapsed() < FRESH_FOR))
    }

    fn keep(&self, day: Date, figures: Arc<Figures>) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if !entries.contains_key(&day)
            && entries.len() >= KEPT_DAYS
            && let Some(oldest) = entries
                .iter()
                .min_by_key(|(_, (at, _))| *at)
                .map(|(d, _)| *d)
        {
            entries.remove(&oldest);
        }
        entries.insert(day, (Instant::now(), figures));
    }

    /// The figures for `period`. Fresh ones are served as they are; older ones are served too
    /// while a recount runs in the background (so only the first visitor for a day ever waits
    /// for a count); a day never counted is counted now.
    pub async fn figures(
        &self,
        state: &AppState,
        period: Period,
    ) -> Result<Arc<Figures>, AppError> {
        match self.kept(period.as_of) {
            Some((figures, true)) => return Ok(figures),
            Some((figures, false)) => {
                // If a count is already running, it will refresh these soon enough.
                if let Ok(turn) = self.counting.clone().try_acquire_owned() {
                    let (cache, state) = (self.clone(), state.clone());
                    tokio::spawn(async move {
                        let _turn = turn;
                        if let Err(e) = cache.count(&state, period).await {
                            tracing::error!(error = %e, "recounting Data & Results");
                        }
                    });
                }
                return Ok(figures);
            }
            None => {}
        }
        let _turn = self
            .counting
            .acquire()
            .await
            .map_err(|_| AppError::Unavailable)?;
        // Whoever counted while this request waited has left the answer here.
        if let Some((figures, _)) = self.kept(period.as_of) {
            return Ok(figures);
        }
        self.count(&state.clone(), period).await
    }

    /// The published quarters, read again after a publication here or after a few minutes
    /// (another server may have published one).
    async fn published(&self, state: &AppState) -> Result<Arc<Vec<PublishedSummary>>, AppError> {
        let kept = self
            .published
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        if let Some((at, list)) = kept
            && at.elapsed() < FRESH_FOR
        {
            return Ok(list);
        }
        let list: Vec<PublishedSummary> = state
            .db
            .published_quarters()
            .await?
            .into_iter()
            .filter_map(|p| {
                // A row this version cannot read is left out rather than shown wrong.
                let f: Figures = serde_json::from_str(&p.figures).ok()?;
                Some(PublishedSummary {
                    on: state.site.calendar.day_of(p.published_at),
                    counters: [f.enrolled_clients, f.client_contacts, f.referrals_received],
                    quarter: p.quarter,
                })
            })
            .collect();
        let list = Arc::new(list);
        *self.published.lock().unwrap_or_else(|e| e.into_inner()) =
            Some((Instant::now(), list.clone()));
        Ok(list)
    }

    /// After a publication: the list is read again on the next visit.
    pub fn forget_published(&self) {
        *self.published.lock().unwrap_or_else(|e| e.into_inner()) = None;
    }

    async fn count(&self, state: &AppState, period: Period) -> Result<Arc<Figures>, AppError> {
        let counts = state.db.result_counts(period, &state.site.calendar).await?;
        let figures = Arc::new(Figures::publish(
            period,
            &counts,
            state.site.population.as_ref(),
        ));
        self.keep(period.as_of, figures.clone());
        Ok(figures)
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct AsOfQuery {
    as_of: Option<String>,
}

fn today(state: &AppState) -> Date {
    state.site.calendar.day_of(leadhub_store::now())
}

/// The period asked for, or why it cannot be given.
fn asked_period(state: &AppState, query: &AsOfQuery) -> Result<Period, AsOfError> {
    parse_as_of(
        query.as_of.as_deref(),
        state.site.program_start,
        today(state),
    )
}

fn query_or_default(query: Result<Query<AsOfQuery>, QueryRejection>) -> AsOfQuery {
    // An unreadable query string is treated as no question: today's figures.
    query.map(|Query(q)| q).unwrap_or_default()
}

// ---------------------------------------------------------------------------------------
// The page

struct Counter {
    label: String,
    value: String,
}

/// A table of figures with its chart (if any) and CSV download.
struct Section {
    id: &'static str,
    title: String,
    lead: String,
    chart: String,
    head: Vec<String>,
    rows: Vec<Vec<String>>,
    notes: Vec<String>,
    csv: String,
}

/// A published quarter in the list on `/data`.
struct PublishedView {
    quarter: String,
    href: String,
    on: String,
    counters: Vec<String>,
}

struct DefinitionView {
    name: &'static str,
    counts: &'static str,
    for_a_period: &'static str,
    as_of: &'static str,
}

#[derive(Template)]
#[template(path = "data.html")]
struct DataPage {
    chrome: Chrome,
    lead: String,
    as_of_heading: String,
    period: String,
    counters: Vec<Counter>,
    typed_as_of: String,
    as_of_error: String,
    as_of_hint: String,
    sections: Vec<Section>,
    json: String,
    definitions: Vec<DefinitionView>,
    definitions_version: String,
    published: Vec<PublishedView>,
    /// On a published quarter's page: what it is, and that it never changes.
    frozen: String,
}

pub async fn data_page(
    State(state): State<AppState>,
    Locale(lang): Locale,
    query: Result<Query<AsOfQuery>, QueryRejection>,
) -> Result<Response, AppError> {
    let query = query_or_default(query);
    let (period, status, error) = match asked_period(&state, &query) {
        Ok(p) => (p, StatusCode::OK, None),
        // The page still shows today's figures, with the date that was typed and what is wrong.
        Err(e) => (
            Period {
                start: state.site.program_start,
                as_of: today(&state),
            },
            StatusCode::BAD_REQUEST,
            Some(e),
        ),
    };
    let figures = state.results.figures(&state, period).await?;
    let mut page = data_view(&state, lang, &figures, &query, error.as_ref());
    page.published = published_list(&state, &page.chrome.tr).await?;
    Ok((status, render(&page)?).into_response())
}

/// The published quarters, newest first, with their three counters as frozen.
async fn published_list(state: &AppState, tr: &Tr) -> Result<Vec<PublishedView>, AppError> {
    let list = state.results.published(state).await?;
    Ok(list
        .iter()
        .map(|p| PublishedView {
            href: format!("/data/published/{}", p.quarter),
            on: p.on.to_string(),
            counters: p.counters.iter().map(|c| cell_text(tr, *c)).collect(),
            quarter: p.quarter.clone(),
        })
        .collect())
}

/// `/data/published/2024-Q1` (the page) and `/data/published/2024-Q1.json` (as stored).
pub async fn published(
    State(state): State<AppState>,
    Locale(lang): Locale,
    file: Result<Path<String>, PathRejection>,
) -> Result<Response, AppError> {
    let Ok(Path(file)) = file else {
        return Err(AppError::NotFound);
    };
    let (name, json) = match file.strip_suffix(".json") {
        Some(name) => (name, true),
        None => (file.as_str(), false),
    };
    let quarter: Quarter = name.parse().map_err(|_| AppError::NotFound)?;
    let stored = state
        .db
        .published_quarter(&quarter.to_string())
        .await?
        .ok_or(AppError::NotFound)?;
    if json {
        return Ok(([(header::CONTENT_TYPE, "application/json")], stored.figures).into_response());
    }
    let figures: Figures = serde_json::from_str(&stored.figures).map_err(|_| AppError::NotFound)?;
    let mut page = data_view(&state, lang, &figures, &AsOfQuery::default(), None);
    page.frozen = page.chrome.tr.with(
        "data-published-frozen",
        &[
            ("quarter", quarter.to_string()),
            (
                "date",
                state.site.calendar.day_of(stored.published_at).to_string(),
            ),
            ("version", stored.definitions_version.to_string()),
        ],
    );
    for section in &mut page.sections {
        // The CSV links count live figures; a published quarter offers its JSON instead.
        section.csv.clear();
    }
    page.json = format!("/data/published/{quarter}.json");
    Ok(render(&page)?.into_response())
}

fn data_view(
    state: &AppState,
    lang: Language,
    f: &Figures,
    query: &AsOfQuery,
    error: Option<&AsOfError>,
) -> DataPage {
    let chrome = Chrome::new(state, lang, "/data", "data-title");
    let tr = chrome.tr.clone();
    let start = f.period_start.to_string();
    let as_of = f.as_of.to_string();
    let as_of_error = error.map_or_else(String::new, |e| match e {
        AsOfError::Malformed => tr.t("data-error-malformed"),
        AsOfError::BeforeStart { start } => {
            tr.with("data-error-before-start", &[("start", start.to_string())])
        }
        AsOfError::Future { today } => {
            tr.with("data-error-future", &[("today", today.to_string())])
        }
    });
    let query_string = if error.is_none() && query.as_of.is_some() {
        format!("?as_of={as_of}")
    } else {
        String::new()
    };
    DataPage {
        lead: tr.with("data-lead", &[("start", start.clone())]),
        as_of_heading: tr.with("data-as-of", &[("date", as_of.clone())]),
        period: tr.with(
            "data-period",
            &[("start", start.clone()), ("date", as_of.clone())],
        ),
        counters: vec![
            Counter {
                label: tr.t("data-counter-enrolled"),
                value: cell_text(&tr, f.enrolled_clients),
            },
            Counter {
                label: tr.t("data-counter-contacts"),
                value: cell_text(&tr, f.client_contacts),
            },
            Counter {
                label: tr.t("data-counter-referrals"),
                value: cell_text(&tr, f.referrals_received),
            },
        ],
        typed_as_of: query.as_of.clone().unwrap_or_default(),
        as_of_error,
        as_of_hint: tr.with("data-as-of-hint", &[("start", start)]),
        sections: sections(&tr, f, &query_string),
        definitions: DEFINITIONS.iter().map(definition_view).collect(),
        definitions_version: tr.with(
            "data-definitions-version",
            &[("version", f.definitions_version.to_string())],
        ),
        json: format!("/data.json{query_string}"),
        published: Vec::new(),
        frozen: String::new(),
        chrome,
    }
}

fn definition_view(d: &Definition) -> DefinitionView {
    DefinitionView {
        name: d.name,
        counts: d.counts,
        for_a_period: d.for_a_period,
        as_of: d.as_of,
    }
}

pub(super) fn cell_text(tr: &Tr, cell: Cell) -> String {
    match cell {
        Cell::Count(v) => v.to_string(),
        Cell::FewerThan11 => tr.t("data-fewer"),
        Cell::Hidden => tr.t("data-hidden"),
    }
}

fn bars(tr: &Tr, labels: &[String], cells: &[Cell]) -> Vec<Bar> {
    labels
        .iter()
        .zip(cells)
        .map(|(label, cell)| Bar {
            label: label.clone(),
            value: cell.value().ok_or_else(|| cell_text(tr, *cell)),
        })
        .collect()
}

fn chart_description(tr: &Tr, cells: &[Cell]) -> String {
    let mut text = tr.t("data-chart-note");
    if cells.iter().any(|c| c.is_suppressed()) {
        text.push(' ');
        text.push_str(&tr.t("data-chart-suppressed"));
    }
    text
}

fn sections(tr: &Tr, f: &Figures, query: &str) -> Vec<Section> {
    let csv = |table: &str| format!("/data/{table}.csv{query}");
    let months = f.months.clone();
    let total = tr.t("data-col-total");

    let referral_totals = &f.referrals_by_month.row_totals;
    let doors: Vec<String> = f.doors.iter().map(|d| tr.t(&format!("door-{d}"))).collect();
    let mut referrals_head = vec![tr.t("data-col-month")];
    referrals_head.extend(doors.iter().cloned());
    referrals_head.push(total.clone());
    let mut referral_rows: Vec<Vec<String>> = months
        .iter()
        .zip(&f.referrals_by_month.rows)
        .zip(referral_totals)
        .map(|((m, row), t)| {
            let mut cells = vec![m.clone()];
            cells.extend(row.iter().map(|c| cell_text(tr, *c)));
            cells.push(cell_text(tr, *t));
            cells
        })
        .collect();
    let mut totals_row = vec![total.clone()];
    totals_row.extend(
        f.referrals_by_month
            .column_totals
            .iter()
            .map(|c| cell_text(tr, *c)),
    );
    totals_row.push(cell_text(tr, f.referrals_by_month.total));
    referral_rows.push(totals_row);

    let contacts: Vec<Cell> = f
        .contacts_by_month
        .iter()
        .map(|&c| Cell::Count(c))
        .collect();
    let monthly = |id: &'static str, title: &str, cells: &[Cell], all: Cell| {
        let title = tr.t(title);
        let mut rows: Vec<Vec<String>> = months
            .iter()
            .zip(cells)
            .map(|(m, c)| vec![m.clone(), cell_text(tr, *c)])
            .collect();
        rows.push(vec![total.clone(), cell_text(tr, all)]);
        Section {
            id,
            chart: bar_chart(
                id,
                &title,
                &chart_description(tr, cells),
                &bars(tr, &months, cells),
            ),
            title,
            lead: String::new(),
            head: vec![tr.t("data-col-month"), tr.t("data-col-count")],
            rows,
            notes: Vec::new(),
            csv: csv(id),
        }
    };

    let referrals_title = tr.t("data-referrals-title");
    let referrals = Section {
        id: "referrals-by-month",
        chart: bar_chart(
            "referrals-by-month",
            &referrals_title,
            &chart_description(tr, referral_totals),
            &bars(tr, &months, referral_totals),
        ),
        title: referrals_title,
        lead: tr.t("data-referrals-by-door"),
        head: referrals_head,
        rows: referral_rows,
        notes: Vec::new(),
        csv: csv("referrals-by-month"),
    };

    let line_section = |id: &'static str,
                        title: &str,
                        lead: String,
                        column: &str,
                        labels: Vec<String>,
                        line: &leadhub_domain::results::PublishedLine| {
        let title = tr.t(title);
        let mut rows: Vec<Vec<String>> = labels
            .iter()
            .zip(&line.cells)
            .map(|(l, c)| vec![l.clone(), cell_text(tr, *c)])
            .collect();
        rows.push(vec![total.clone(), cell_text(tr, line.total)]);
        Section {
            id,
            chart: bar_chart(
                id,
                &title,
                &chart_description(tr, &line.cells),
                &bars(tr, &labels, &line.cells),
            ),
            title,
            lead,
            head: vec![tr.t(column), tr.t("data-col-count")],
            rows,
            notes: Vec::new(),
            csv: csv(id),
        }
    };
    let sources = line_section(
        "community-sources",
        "data-sources-title",
        String::new(),
        "data-col-source",
        f.community_sources
            .iter()
            .map(|s| tr.t(&format!("source-{s}")))
            .collect(),
        &f.referrals_by_community_source,
    );
    let mut waits = line_section(
        "time-to-first-contact",
        "data-wait-title",
        tr.t("data-wait-lead"),
        "data-col-wait",
        f.waits.iter().map(|w| tr.t(&format!("wait-{w}"))).collect(),
        &f.time_to_first_contact,
    );
    waits.notes.push(match f.median_days_to_first_contact {
        Some(days) => tr.with("data-wait-median", &[("days", days.to_string())]),
        None => tr.t("data-wait-few"),
    });

    vec![
        referrals,
        monthly(
            "contacts-by-month",
            "data-contacts-title",
            &contacts,
            f.client_contacts,
        ),
        monthly(
            "enrolments-by-month",
            "data-enrolments-title",
            &f.enrolments_by_month.cells,
            f.enrolments_by_month.total,
        ),
        sources,
        waits,
        equity_section(tr, f, &csv("equity")),
    ]
}

fn percent_of(part: Cell, whole: Cell) -> String {
    match (part, whole) {
        (Cell::Count(p), Cell::Count(w)) if w > 0 => format!("{}%", (p * 100 + w / 2) / w),
        _ => String::new(),
    }
}

fn equity_section(tr: &Tr, f: &Figures, csv: &str) -> Section {
    let e = &f.equity;
    let population = e.population.as_ref();
    let mut head = vec![
        tr.t("data-col-group"),
        tr.t("data-col-referrals"),
        tr.t("data-col-enrolled"),
        "%".to_owned(),
        tr.t("data-equity-housed"),
    ];
    if let Some(p) = population {
        head.push(tr.with("data-equity-population", &[("area", p.area.clone())]));
    }
    let rows = e
        .groups
        .iter()
        .enumerate()
        .map(|(i, g)| {
            let cell = |line: &[Cell]| line.get(i).copied().unwrap_or(Cell::Hidden);
            let enrolled = cell(&e.enrolled.cells);
            let housed = match (cell(&e.housed), cell(&e.housed_known)) {
                (Cell::Count(h), Cell::Count(k)) if k > 0 => format!("{h} / {k}"),
                (h, _) => cell_text(tr, h),
            };
            let mut row = vec![
                tr.t(&format!("group-{g}")),
                cell_text(tr, cell(&e.referrals.cells)),
                cell_text(tr, enrolled),
                percent_of(enrolled, e.enrolled.total),
                housed,
            ];
            if let Some(p) = population {
                row.push(
                    p.percent
                        .get(i)
                        .copied()
                        .flatten()
                        .map_or_else(|| tr.t("data-not-counted"), |v| format!("{v:.0}%")),
                );
            }
            row
        })
        .collect();
    let mut notes = vec![tr.t("data-equity-housed-note")];
    match population {
        Some(p) => {
            notes.push(tr.with("data-equity-source", &[("source", p.source.clone())]));
            if !p.reviewed {
                notes.push(tr.t("data-equity-draft"));
            }
        }
        None => notes.push(tr.t("data-equity-no-population")),
    }
    Section {
        id: "equity",
        title: tr.t("data-equity-title"),
        lead: tr.t("data-equity-lead"),
        chart: String::new(),
        head,
        rows,
        notes,
        csv: csv.to_owned(),
    }
}

// ---------------------------------------------------------------------------------------
// JSON and CSV

fn plain_error(status: StatusCode, message: String) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        message,
    )
        .into_response()
}

pub async fn data_json(
    State(state): State<AppState>,
    query: Result<Query<AsOfQuery>, QueryRejection>,
) -> Result<Response, AppError> {
    let query = query_or_default(query);
    let period = match asked_period(&state, &query) {
        Ok(p) => p,
        Err(e) => {
            let body =
                serde_json::json!({ "error": { "code": "bad_as_of", "message": e.to_string() } });
            return Ok((StatusCode::BAD_REQUEST, Json(body)).into_response());
        }
    };
    let figures = state.results.figures(&state, period).await?;
    Ok(Json(figures.as_ref()).into_response())
}

pub async fn data_csv(
    State(state): State<AppState>,
    file: Result<Path<String>, PathRejection>,
    query: Result<Query<AsOfQuery>, QueryRejection>,
) -> Result<Response, AppError> {
    let Ok(Path(file)) = file else {
        return Err(AppError::NotFound);
    };
    let table = file.strip_suffix(".csv").ok_or(AppError::NotFound)?;
    if !CSV_TABLES.contains(&table) {
        return Err(AppError::NotFound);
    }
    let query = query_or_default(query);
    let period = match asked_period(&state, &query) {
        Ok(p) => p,
        Err(e) => {
            return Ok(plain_error(
                StatusCode::BAD_REQUEST,
                format!("as_of: {e}\n"),
            ));
        }
    };
    let figures = state.results.figures(&state, period).await?;
    let body = csv_table(&figures, table);
    let disposition = format!("attachment; filename=\"{table}-{}.csv\"", figures.as_of);
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        body,
    )
        .into_response())
}

const CSV_TABLES: [&str; 6] = [
    "referrals-by-month",
    "contacts-by-month",
    "enrolments-by-month",
    "community-sources",
    "time-to-first-contact",
    "equity",
];

/// A cell in CSV: the number, `<11` or `suppressed`. Nothing here starts with `=`, `+`, `-`
/// or `@`, so no spreadsheet reads a formula.
fn csv_cell(cell: Cell) -> String {
    match cell {
        Cell::Count(v) => v.to_string(),
        Cell::FewerThan11 => "<11".to_owned(),
        Cell::Hidden => "suppressed".to_owned(),
    }
}

/// CSV from cells that need no quoting (codes and numbers).
pub(super) fn csv_lines(header: &[&str], rows: Vec<Vec<String>>) -> String {
    let mut out = header.join(",");
    out.push('\n');
    for row in rows {
        out.push_str(&row.join(","));
        out.push('\n');
    }
    out
}

/// One table as CSV, with codes (not translated labels) for rows and columns.
fn csv_table(f: &Figures, table: &str) -> String {
    let months = f.months.iter();
    match table {
        "referrals-by-month" => {
            let mut header = vec!["month"];
            header.extend(f.doors.iter().map(String::as_str));
            header.push("total");
            let mut rows: Vec<Vec<String>> = months
                .zip(&f.referrals_by_month.rows)
                .zip(&f.referrals_by_month.row_totals)
                .map(|((m, row), t)| {
                    let mut r = vec![m.clone()];
                    r.extend(row.iter().map(|c| csv_cell(*c)));
                    r.push(csv_cell(*t));
                    r
                })
                .collect();
            let mut last = vec!["total".to_owned()];
            last.extend(
                f.referrals_by_month
                    .column_totals
                    .iter()
                    .map(|c| csv_cell(*c)),
            );
            last.push(csv_cell(f.referrals_by_month.total));
            rows.push(last);
            csv_lines(&header, rows)
        }
        "contacts-by-month" => csv_lines(
            &["month", "client_contacts"],
            months
                .zip(&f.contacts_by_month)
                .map(|(m, c)| vec![m.clone(), c.to_string()])
                .collect(),
        ),
        "enrolments-by-month" => csv_lines(
            &["month", "enrolments"],
            months
                .zip(&f.enrolments_by_month.cells)
                .map(|(m, c)| vec![m.clone(), csv_cell(*c)])
                .collect(),
        ),
        "community-sources" => csv_lines(
            &["source", "referrals"],
            f.community_sources
                .iter()
                .zip(&f.referrals_by_community_source.cells)
                .map(|(s, c)| vec![(*s).to_owned(), csv_cell(*c)])
                .collect(),
        ),
        "time-to-first-contact" => csv_lines(
            &["days", "referrals"],
            f.waits
                .iter()
                .zip(&f.time_to_first_contact.cells)
                .map(|(w, c)| vec![(*w).to_owned(), csv_cell(*c)])
                .collect(),
        ),
        _ => {
            let e = &f.equity;
            csv_lines(
                &[
                    "group",
                    "referrals",
                    "enrolled",
                    "housed",
                    "housed_of_known",
                    "population_percent",
                ],
                e.groups
                    .iter()
                    .enumerate()
                    .map(|(i, g)| {
                        let at =
                            |line: &[Cell]| csv_cell(line.get(i).copied().unwrap_or(Cell::Hidden));
                        let population = e
                            .population
                            .as_ref()
                            .and_then(|p| p.percent.get(i).copied().flatten())
                            .map_or_else(String::new, |v| format!("{v}"));
                        vec![
                            (*g).to_owned(),
                            at(&e.referrals.cells),
                            at(&e.enrolled.cells),
                            at(&e.housed),
                            at(&e.housed_known),
                            population,
                        ]
                    })
                    .collect(),
            )
        }
    }
}
