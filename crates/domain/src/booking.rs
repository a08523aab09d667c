//! A booking feed: the jail's or a police agency's export of bookings and new charges, as CSV
//! with a header. The whole file is read and checked before anything is imported, so a file
//! with one bad row imports nothing; the problems name the line and the column.
//!
//! Headers are matched without regard to case; other names are renamed with a map in the
//! matching CLI's syntax (`inmate_dob=dob`, or `cell=` to leave a column out).

use std::fmt;

use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;
use time::OffsetDateTime;

use crate::calendar::{from_offset_date_time, to_offset_date_time};
use crate::person::DateOfBirth;

/// Most rows one file may hold (a county jail books a few hundred people a day).
pub const MAX_ROWS: usize = 20_000;
/// Longest cell read, in characters.
pub const MAX_CELL: usize = 1_000;
/// Most problems listed for one file; the rest are counted.
const MAX_PROBLEMS: usize = 20;
/// How far ahead of the clock a booking time may be (a feed's clock a little fast).
const CLOCK_SLACK_HOURS: i64 = 24;

/// A column the feed reader understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BookingColumn {
    /// The whole name: "LAST, FIRST MIDDLE" (as jails write it) or "First Middle Last".
    Name,
    FirstName,
    LastName,
    Dob,
    BookedAt,
    ReleasedAt,
    Charges,
    Agency,
    BookingNumber,
    /// What the row records: `booking` (the default), `citation` or `charge`.
    Kind,
}

impl BookingColumn {
    pub const ALL: [BookingColumn; 10] = [
        BookingColumn::Name,
        BookingColumn::FirstName,
        BookingColumn::LastName,
        BookingColumn::Dob,
        BookingColumn::BookedAt,
        BookingColumn::ReleasedAt,
        BookingColumn::Charges,
        BookingColumn::Agency,
        BookingColumn::BookingNumber,
        BookingColumn::Kind,
    ];

    pub fn name(self) -> &'static str {
        match self {
            BookingColumn::Name => "name",
            BookingColumn::FirstName => "first_name",
            BookingColumn::LastName => "last_name",
            BookingColumn::Dob => "dob",
            BookingColumn::BookedAt => "booked_at",
            BookingColumn::ReleasedAt => "released_at",
            BookingColumn::Charges => "charges",
            BookingColumn::Agency => "agency",
            BookingColumn::BookingNumber => "booking_number",
            BookingColumn::Kind => "kind",
        }
    }

    fn from_name(name: &str) -> Option<BookingColumn> {
        let name = name.trim().to_ascii_lowercase();
        BookingColumn::ALL.into_iter().find(|c| c.name() == name)
    }

    fn position(self) -> usize {
        // ALL lists every variant once, so the search always finds it.
        BookingColumn::ALL
            .iter()
            .position(|c| *c == self)
            .unwrap_or(0)
    }
}

/// The columns one can name, for messages.
pub fn known_columns() -> String {
    BookingColumn::ALL.map(BookingColumn::name).join(", ")
}

/// Header renames: source header (any case) → column, or `None` to leave it out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ColumnMap(Vec<(String, Option<BookingColumn>)>);

impl ColumnMap {
    /// `source=target,…` (commas or new lines between); an empty target leaves the column out.
    pub fn parse(spec: &str) -> Result<ColumnMap, FileProblem> {
        let mut map = Vec::new();
        for part in spec
            .split([',', '\n'])
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            let bad = || FileProblem::BadMap(part.chars().take(80).collect());
            let (source, target) = part.split_once('=').ok_or_else(bad)?;
            let target = target.trim();
            let column = if target.is_empty() {
                None
            } else {
                Some(BookingColumn::from_name(target).ok_or_else(bad)?)
            };
            map.push((source.trim().to_ascii_lowercase(), column));
        }
        Ok(ColumnMap(map))
    }

    fn resolve(&self, header: &str) -> Result<Option<BookingColumn>, ()> {
        let header = header.trim().to_ascii_lowercase();
        if let Some((_, target)) = self.0.iter().find(|(source, _)| *source == header) {
            return Ok(*target);
        }
        BookingColumn::from_name(&header).map(Some).ok_or(())
    }
}

/// What a feed row records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventKind {
    /// Arrested and booked into jail.
    Booking,
    /// Arrested and cited, then let go: an arrest without a booking.
    Citation,
    /// A new charge filed without an arrest (a summons, a complaint).
    Charge,
}

impl EventKind {
    pub const ALL: [EventKind; 3] = [EventKind::Booking, EventKind::Citation, EventKind::Charge];

    pub fn code(self) -> &'static str {
        match self {
            EventKind::Booking => "booking",
            EventKind::Citation => "citation",
            EventKind::Charge => "charge",
        }
    }

    /// Whether it was an arrest (a booking or a citation).
    pub fn is_arrest(self) -> bool {
        matches!(self, EventKind::Booking | EventKind::Citation)
    }
}

impl std::str::FromStr for EventKind {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        let s = s.trim().to_ascii_lowercase();
        EventKind::ALL.into_iter().find(|k| k.code() == s).ok_or(())
    }
}

/// One booking or new charge, as the feed gave it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Booking {
    /// The file's line the row began on.
    pub line: u64,
    pub given_name: String,
    pub family_name: String,
    pub born: DateOfBirth,
    /// The feed's wall-clock times, read on the site's clock.
    pub booked_at: OffsetDateTime,
    pub released_at: Option<OffsetDateTime>,
    pub charges: String,
    pub agency: String,
    pub booking_number: Option<String>,
    pub kind: EventKind,
}

/// What is wrong with a feed file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FileProblem {
    #[error("The file is empty: it needs a header line naming its columns.")]
    Empty,
    #[error("The file has a header but no rows.")]
    NoRows,
    #[error("The file has more than {MAX_ROWS} rows; split it and upload each part.")]
    TooManyRows,
    #[error("Column names: \"{0}\" is not header=column (columns: {cols}).", cols = known_columns())]
    BadMap(String),
    #[error(
        "Line 1, column {position}: \"{name}\" is not a column this reads. Rename it (for example {name}=dob) or leave it out ({name}=) under column names. Columns: {cols}.",
        cols = known_columns()
    )]
    UnknownColumn { name: String, position: usize },
    #[error("Line 1: more than one column is {0}.")]
    DuplicateColumn(&'static str),
    #[error("The file has no {0} column.")]
    MissingColumn(&'static str),
    #[error("The file has no name column: it needs name, or first_name and last_name.")]
    MissingName,
    #[error("Line {line}: {message}.")]
    Malformed { line: u64, message: String },
    #[error("Line {line}, column {column}: the text is not UTF-8 (save the file as CSV UTF-8).")]
    NotUtf8 { line: u64, column: &'static str },
    #[error(
        "Line {line}, column {column}: the cell starts with {first}, which a spreadsheet would run as a formula. Nothing was imported."
    )]
    Formula {
        line: u64,
        column: &'static str,
        first: char,
    },
    #[error("Line {line}, column {column}: {problem}.")]
    Field {
        line: u64,
        column: &'static str,
        problem: CellProblem,
    },
}

/// What is wrong with one cell. Dates are echoed (they say what was misread); names never.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CellProblem {
    Required,
    TooLong,
    NoName,
    /// Not a date of birth (the value as read, shortened).
    BirthDate(String),
    BirthFuture,
    BirthTooEarly,
    /// Not a date and time (the value as read, shortened).
    Moment(String),
    BookedFuture,
    ReleasedBeforeBooked,
    /// Not a kind of row (the value as read, shortened).
    Kind(String),
    /// A release given for a row that is not a booking.
    ReleaseWithoutBooking,
}

impl fmt::Display for CellProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CellProblem::Required => f.write_str("this cell is empty"),
            CellProblem::TooLong => write!(f, "longer than {MAX_CELL} characters"),
            CellProblem::NoName => f.write_str("the row has no name"),
            CellProblem::BirthDate(v) => write!(
                f,
                "\"{v}\" is not a date of birth (write 1984-03-07 or 03/07/1984)"
            ),
            CellProblem::BirthFuture => f.write_str("the date of birth is in the future"),
            CellProblem::BirthTooEarly => f.write_str("the date of birth is before 1900"),
            CellProblem::Moment(v) => write!(
                f,
                "\"{v}\" is not a date and time (write 2026-12-01 14:05 or 12/01/2026 14:05)"
            ),
            CellProblem::BookedFuture => f.write_str("the booking time is in the future"),
            CellProblem::ReleasedBeforeBooked => f.write_str("the release is before the booking"),
            CellProblem::Kind(v) => write!(
                f,
                "\"{v}\" is not a kind of row (booking, citation or charge)"
            ),
            CellProblem::ReleaseWithoutBooking => {
                f.write_str("only a booking has a release (a citation or charge has none)")
            }
        }
    }
}

/// Every problem found (at most `MAX_PROBLEMS`), and how many more there were.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileErrors {
    pub problems: Vec<FileProblem>,
    pub more: usize,
}

impl FileErrors {
    fn one(problem: FileProblem) -> FileErrors {
        FileErrors {
            problems: vec![problem],
            more: 0,
        }
    }

    fn push(&mut self, problem: FileProblem) {
        if self.problems.len() < MAX_PROBLEMS {
            self.problems.push(problem);
        } else {
            self.more += 1;
        }
    }
}

/// Reads every row of `bytes`. Rows without an agency take `default_agency` (the form's);
/// the feed's times are read on the site's clock, `site`.
pub fn read(
    bytes: &[u8],
    map: &ColumnMap,
    default_agency: &str,
    site: &TimeZone,
    now: OffsetDateTime,
) -> Result<Vec<Booking>, FileErrors> {
    let clock = Clock {
        site,
        now: from_offset_date_time(now).to_zoned(site.clone()).datetime(),
    };
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut csv = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(false)
        .from_reader(bytes);
    let mut row = csv::ByteRecord::new();
    if !csv.read_byte_record(&mut row).map_err(malformed)? {
        return Err(FileErrors::one(FileProblem::Empty));
    }
    let columns = header(&row, map).map_err(FileErrors::one)?;
    let default_agency = default_agency.trim();
    if columns.at(BookingColumn::Agency).is_none() && default_agency.is_empty() {
        return Err(FileErrors::one(FileProblem::MissingColumn("agency")));
    }
    let mut bookings = Vec::new();
    let mut errors = FileErrors {
        problems: Vec::new(),
        more: 0,
    };
    let mut rows = 0usize;
    let mut lines = Lines {
        bytes,
        counted_to: 0,
        line: 1,
    };
    loop {
        match csv.read_byte_record(&mut row) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = lines.line_at(e.position().map_or(0, csv::Position::byte));
                errors.push(malformed_problem(e, line));
                break;
            }
        }
        if row.len() == 1 && row.get(0).is_some_and(<[u8]>::is_empty) {
            continue;
        }
        rows += 1;
        if rows > MAX_ROWS {
            return Err(FileErrors::one(FileProblem::TooManyRows));
        }
        let line = lines.line_at(row.position().map_or(0, csv::Position::byte));
        match booking(&row, &columns, line, default_agency, &clock) {
            Ok(b) => bookings.push(b),
            Err(problems) => problems.into_iter().for_each(|p| errors.push(p)),
        }
    }
    if !errors.problems.is_empty() {
        return Err(errors);
    }
    if bookings.is_empty() {
        return Err(FileErrors::one(FileProblem::NoRows));
    }
    Ok(bookings)
}

/// Line numbers from byte offsets, counted as the reader moves on. (The csv crate's own
/// line count misses lines ended by CR LF, as spreadsheets write them.)
struct Lines<'b> {
    bytes: &'b [u8],
    counted_to: usize,
    line: u64,
}

impl Lines<'_> {
    fn line_at(&mut self, byte: u64) -> u64 {
        // A record after CR LF is placed at the LF, so the byte at `byte` is counted too.
        let to = usize::try_from(byte)
            .unwrap_or(usize::MAX)
            .saturating_add(1)
            .min(self.bytes.len());
        if to > self.counted_to {
            let newlines = self.bytes[self.counted_to..to]
                .iter()
                .filter(|b| **b == b'\n')
                .count();
            self.line += newlines as u64;
            self.counted_to = to;
        }
        self.line
    }
}

/// Where each column is in the file.
struct Columns([Option<usize>; BookingColumn::ALL.len()]);

impl Columns {
    fn at(&self, column: BookingColumn) -> Option<usize> {
        self.0[column.position()]
    }
}

fn header(row: &csv::ByteRecord, map: &ColumnMap) -> Result<Columns, FileProblem> {
    let mut columns = Columns([None; BookingColumn::ALL.len()]);
    for (i, raw) in row.iter().enumerate() {
        let name = std::str::from_utf8(raw).map_err(|_| FileProblem::NotUtf8 {
            line: 1,
            column: "header",
        })?;
        let Ok(column) = map.resolve(name) else {
            return Err(FileProblem::UnknownColumn {
                name: name.trim().chars().take(60).collect(),
                position: i + 1,
            });
        };
        if let Some(column) = column {
            let slot = &mut columns.0[column.position()];
            if slot.is_some() {
                return Err(FileProblem::DuplicateColumn(column.name()));
            }
            *slot = Some(i);
        }
    }
    let named = columns.at(BookingColumn::Name).is_some()
        || columns.at(BookingColumn::LastName).is_some()
        || columns.at(BookingColumn::FirstName).is_some();
    if !named {
        return Err(FileProblem::MissingName);
    }
    for required in [
        BookingColumn::Dob,
        BookingColumn::BookedAt,
        BookingColumn::Charges,
    ] {
        if columns.at(required).is_none() {
            return Err(FileProblem::MissingColumn(required.name()));
        }
    }
    Ok(columns)
}

/// A header the reader cannot follow (line 1).
fn malformed(error: csv::Error) -> FileErrors {
    FileErrors::one(malformed_problem(error, 1))
}

fn malformed_problem(error: csv::Error, line: u64) -> FileProblem {
    let message = match error.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("{len} cells where the header has {expected_len}"),
        _ => "this is not CSV the reader can follow".to_owned(),
    };
    FileProblem::Malformed { line, message }
}

/// The site's clock: its time zone, and the time now on it.
struct Clock<'a> {
    site: &'a TimeZone,
    now: DateTime,
}

impl Clock<'_> {
    fn instant(&self, local: DateTime) -> Option<OffsetDateTime> {
        local
            .to_zoned(self.site.clone())
            .ok()
            .map(|z| to_offset_date_time(z.timestamp()))
    }
}

/// One row's cells, trimmed, refused when a spreadsheet would read them as a formula.
struct Cells<'r> {
    row: &'r csv::ByteRecord,
    columns: &'r Columns,
    line: u64,
    problems: Vec<FileProblem>,
}

impl Cells<'_> {
    fn get(&mut self, column: BookingColumn) -> String {
        let Some(raw) = self.columns.at(column).and_then(|i| self.row.get(i)) else {
            return String::new();
        };
        let Ok(text) = std::str::from_utf8(raw) else {
            self.problems.push(FileProblem::NotUtf8 {
                line: self.line,
                column: column.name(),
            });
            return String::new();
        };
        let text = text.trim();
        if let Some(first) = text.chars().next().filter(|c| is_formula_start(*c)) {
            self.problems.push(FileProblem::Formula {
                line: self.line,
                column: column.name(),
                first,
            });
            return String::new();
        }
        if text.chars().count() > MAX_CELL {
            self.fail(column, CellProblem::TooLong);
            return String::new();
        }
        text.to_owned()
    }

    fn fail(&mut self, column: BookingColumn, problem: CellProblem) {
        self.problems.push(FileProblem::Field {
            line: self.line,
            column: column.name(),
            problem,
        });
    }
}

/// The characters a spreadsheet starts a formula (or a DDE command) with.
fn is_formula_start(c: char) -> bool {
    matches!(c, '=' | '+' | '-' | '@' | '\t' | '\r' | '|')
}

fn booking(
    row: &csv::ByteRecord,
    columns: &Columns,
    line: u64,
    default_agency: &str,
    clock: &Clock<'_>,
) -> Result<Booking, Vec<FileProblem>> {
    let now = clock.now;
    let mut cells = Cells {
        row,
        columns,
        line,
        problems: Vec::new(),
    };
    let (given_name, family_name) = names(&mut cells);
    let dob = cells.get(BookingColumn::Dob);
    let born = birth(&mut cells, &dob, now.date());
    let booked = cells.get(BookingColumn::BookedAt);
    let booked_at = moment(&mut cells, BookingColumn::BookedAt, &booked);
    if let Some(at) = booked_at
        && at > now + jiff::Span::new().hours(CLOCK_SLACK_HOURS)
    {
        cells.fail(BookingColumn::BookedAt, CellProblem::BookedFuture);
    }
    let released = cells.get(BookingColumn::ReleasedAt);
    let released_at = if released.is_empty() {
        None
    } else {
        moment(&mut cells, BookingColumn::ReleasedAt, &released)
    };
    if let (Some(b), Some(r)) = (booked_at, released_at)
        && r < b
    {
        cells.fail(BookingColumn::ReleasedAt, CellProblem::ReleasedBeforeBooked);
    }
    let charges = cells.get(BookingColumn::Charges);
    if charges.is_empty() && cells.problems.is_empty() {
        cells.fail(BookingColumn::Charges, CellProblem::Required);
    }
    let mut agency = cells.get(BookingColumn::Agency);
    if agency.is_empty() {
        agency = default_agency.to_owned();
    }
    let booking_number = Some(cells.get(BookingColumn::BookingNumber)).filter(|n| !n.is_empty());
    let kind_cell = cells.get(BookingColumn::Kind);
    let kind = if kind_cell.is_empty() {
        EventKind::Booking
    } else {
        kind_cell.parse().unwrap_or_else(|()| {
            cells.fail(
                BookingColumn::Kind,
                CellProblem::Kind(shortened(&kind_cell)),
            );
            EventKind::Booking
        })
    };
    if kind != EventKind::Booking && !released.is_empty() {
        cells.fail(
            BookingColumn::ReleasedAt,
            CellProblem::ReleaseWithoutBooking,
        );
    }
    let booked_at = booked_at.and_then(|at| clock.instant(at));
    let released_at = released_at.and_then(|at| clock.instant(at));
    if booked_at.is_none() && cells.problems.is_empty() {
        cells.fail(
            BookingColumn::BookedAt,
            CellProblem::Moment(shortened(&booked)),
        );
    }
    match (cells.problems.is_empty(), born, booked_at) {
        (true, Some(born), Some(booked_at)) => Ok(Booking {
            line,
            given_name,
            family_name,
            born,
            booked_at,
            released_at,
            charges,
            agency,
            booking_number,
            kind,
        }),
        _ => Err(cells.problems),
    }
}

/// (given, family) from `first_name`/`last_name`, or else from `name`.
fn names(cells: &mut Cells<'_>) -> (String, String) {
    let mut given = cells.get(BookingColumn::FirstName);
    let mut family = cells.get(BookingColumn::LastName);
    if given.is_empty() && family.is_empty() {
        let whole = cells.get(BookingColumn::Name);
        (given, family) = split_name(&whole);
    }
    if given.is_empty() && family.is_empty() && cells.problems.is_empty() {
        let column = if cells.columns.at(BookingColumn::Name).is_some() {
            BookingColumn::Name
        } else {
            BookingColumn::LastName
        };
        cells.fail(column, CellProblem::NoName);
    }
    (given, family)
}

/// "LAST, FIRST MIDDLE" or "First Middle Last" → (given names, family name).
fn split_name(whole: &str) -> (String, String) {
    if let Some((family, given)) = whole.split_once(',') {
        return (given.trim().to_owned(), family.trim().to_owned());
    }
    let words: Vec<&str> = whole.split_whitespace().collect();
    match words.as_slice() {
        [] => (String::new(), String::new()),
        [only] => ((*only).to_owned(), String::new()),
        [given @ .., family] => (given.join(" "), (*family).to_owned()),
    }
}

fn shortened(value: &str) -> String {
    value.chars().take(40).collect()
}

fn birth(cells: &mut Cells<'_>, raw: &str, today: Date) -> Option<DateOfBirth> {
    if raw.is_empty() {
        if cells.problems.is_empty() {
            cells.fail(BookingColumn::Dob, CellProblem::Required);
        }
        return None;
    }
    let Some(date) = date(raw) else {
        cells.fail(BookingColumn::Dob, CellProblem::BirthDate(shortened(raw)));
        return None;
    };
    match DateOfBirth::parse(&date.to_string(), today) {
        Ok(born) => Some(born),
        Err(crate::FieldError::Future) => {
            cells.fail(BookingColumn::Dob, CellProblem::BirthFuture);
            None
        }
        Err(_) => {
            cells.fail(BookingColumn::Dob, CellProblem::BirthTooEarly);
            None
        }
    }
}

/// 1984-03-07, or 03/07/1984 (month first, as US agencies write it).
fn date(raw: &str) -> Option<Date> {
    if let Ok(date) = raw.parse::<Date>() {
        return Some(date);
    }
    jiff::fmt::strtime::parse("%m/%d/%Y", raw)
        .and_then(|t| t.to_date())
        .ok()
}

fn moment(cells: &mut Cells<'_>, column: BookingColumn, raw: &str) -> Option<DateTime> {
    if raw.is_empty() {
        if cells.problems.is_empty() {
            cells.fail(column, CellProblem::Required);
        }
        return None;
    }
    let parsed = raw.parse::<DateTime>().ok().or_else(|| {
        ["%m/%d/%Y %H:%M:%S", "%m/%d/%Y %H:%M", "%m/%d/%Y %I:%M %p"]
            .iter()
            .find_map(|f| {
                jiff::fmt::strtime::parse(f, raw)
                    .and_then(|t| t.to_datetime())
                    .ok()
            })
    });
    if parsed.is_none() {
        cells.fail(column, CellProblem::Moment(shortened(raw)));
    }
    parsed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> TimeZone {
        TimeZone::get("America/Chicago").unwrap()
    }

    fn now() -> OffsetDateTime {
        time::macros::datetime!(2026-12-03 15:00 UTC)
    }

    fn read_text(text: &str) -> Result<Vec<Booking>, FileErrors> {
        read(text.as_bytes(), &ColumnMap::default(), "", &site(), now())
    }

    fn problems(text: &str) -> Vec<String> {
        read_text(text)
            .unwrap_err()
            .problems
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn a_jail_export_reads_with_its_name_order_and_us_dates() {
        let text = "\u{feff}Name,DOB,Booked_At,Released_At,Charges,Agency,Booking_Number\r\n\
                    \"HASSAN, MOHAMED A\",03/07/1984,12/02/2026 23:15,,Trespass; Theft,Hennepin County Sheriff,2026-041234\r\n\
                    Pao Xiong,1990-01-31,2026-12-01 08:00,2026-12-02 10:30,Loitering,Minneapolis Police,\r\n";
        let rows = read_text(text).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(
            (rows[0].given_name.as_str(), rows[0].family_name.as_str()),
            ("MOHAMED A", "HASSAN")
        );
        assert_eq!(rows[0].born.date().to_string(), "1984-03-07");
        // 23:15 in Minneapolis is 05:15 the next morning in UTC.
        assert_eq!(
            rows[0].booked_at,
            time::macros::datetime!(2026-12-03 05:15 UTC)
        );
        assert_eq!(rows[0].booking_number.as_deref(), Some("2026-041234"));
        assert_eq!(rows[0].line, 2);
        assert_eq!(
            (rows[1].given_name.as_str(), rows[1].family_name.as_str()),
            ("Pao", "Xiong")
        );
        assert_eq!(
            rows[1].released_at,
            Some(time::macros::datetime!(2026-12-02 16:30 UTC))
        );
        assert_eq!(rows[1].booking_number, None);
        assert_eq!(
            rows[0].kind,
            EventKind::Booking,
            "a booking unless said otherwise"
        );
    }

    #[test]
    fn a_row_may_be_a_citation_or_a_charge_without_a_booking() {
        let text = "name,dob,booked_at,released_at,charges,agency,kind\n\
                    A B,1980-01-01,2026-12-01 10:00,,Trespass,MPD,Citation\n\
                    C D,1980-01-01,2026-12-01 10:00,,Theft,Hennepin County Attorney,charge\n";
        let rows = read_text(text).unwrap();
        assert_eq!(
            rows.iter().map(|r| r.kind).collect::<Vec<_>>(),
            [EventKind::Citation, EventKind::Charge]
        );
        assert!(rows[0].kind.is_arrest() && !rows[1].kind.is_arrest());
        let bad = "name,dob,booked_at,released_at,charges,agency,kind\n\
                   A B,1980-01-01,2026-12-01 10:00,,Trespass,MPD,warning\n\
                   C D,1980-01-01,2026-12-01 10:00,2026-12-01 12:00,Theft,MPD,citation\n";
        assert_eq!(
            problems(bad),
            vec![
                "Line 2, column kind: \"warning\" is not a kind of row (booking, citation or charge).",
                "Line 3, column released_at: only a booking has a release (a citation or charge has none).",
            ]
        );
    }

    #[test]
    fn headers_are_renamed_or_left_out_and_the_form_names_the_agency() {
        let text = "inmate_last,inmate_first,birth,in,offense,cell\nCruz,Lupe,1979-05-05,2026-11-30T22:00,DUI,4B\n";
        let map = ColumnMap::parse(
            "inmate_last=last_name, inmate_first=first_name\nbirth=dob,in=booked_at,offense=charges,cell=",
        )
        .unwrap();
        let rows = read(
            text.as_bytes(),
            &map,
            "Metro Transit Police",
            &site(),
            now(),
        )
        .unwrap();
        assert_eq!(rows[0].agency, "Metro Transit Police");
        assert_eq!(rows[0].family_name, "Cruz");
        assert!(matches!(
            ColumnMap::parse("birth=birthday"),
            Err(FileProblem::BadMap(_))
        ));
    }

    #[test]
    fn a_file_missing_what_matching_needs_says_which_column() {
        assert_eq!(
            read_text("").unwrap_err().problems,
            vec![FileProblem::Empty]
        );
        assert_eq!(
            read_text("name,dob,booked_at,charges,agency\n")
                .unwrap_err()
                .problems,
            vec![FileProblem::NoRows]
        );
        assert_eq!(
            read_text("dob,booked_at,charges,agency\n")
                .unwrap_err()
                .problems,
            vec![FileProblem::MissingName]
        );
        assert_eq!(
            read_text("name,booked_at,charges,agency\n")
                .unwrap_err()
                .problems,
            vec![FileProblem::MissingColumn("dob")]
        );
        assert_eq!(
            read_text("name,dob,booked_at,charges\nA B,1980-01-01,2026-12-01 10:00,x\n")
                .unwrap_err()
                .problems,
            vec![FileProblem::MissingColumn("agency")]
        );
        assert_eq!(
            read_text("name,dob,shoe_size\n").unwrap_err().problems,
            vec![FileProblem::UnknownColumn {
                name: "shoe_size".into(),
                position: 3
            }]
        );
        assert_eq!(
            read_text("name,NAME\n").unwrap_err().problems,
            vec![FileProblem::DuplicateColumn("name")]
        );
    }

    #[test]
    fn every_bad_row_is_named_and_nothing_is_returned() {
        let text = "name,dob,booked_at,released_at,charges,agency\n\
                    Ok Person,1980-01-01,2026-12-01 10:00,,Theft,MPD\n\
                    Bad Date,1980-02-30,2026-12-01 10:00,,Theft,MPD\n\
                    Late Clock,1980-01-01,2026-12-09 10:00,,Theft,MPD\n\
                    Back Wards,1980-01-01,2026-12-01 10:00,2026-11-30 10:00,Theft,MPD\n\
                    No Charges,1980-01-01,2026-12-01 10:00,,,MPD\n\
                    ,1980-01-01,2026-12-01 10:00,,Theft,MPD\n\
                    Unborn,2027-01-01,yesterday,,Theft,MPD\n";
        assert_eq!(
            problems(text),
            vec![
                "Line 3, column dob: \"1980-02-30\" is not a date of birth (write 1984-03-07 or 03/07/1984).",
                "Line 4, column booked_at: the booking time is in the future.",
                "Line 5, column released_at: the release is before the booking.",
                "Line 6, column charges: this cell is empty.",
                "Line 7, column name: the row has no name.",
                "Line 8, column dob: the date of birth is in the future.",
                "Line 8, column booked_at: \"yesterday\" is not a date and time (write 2026-12-01 14:05 or 12/01/2026 14:05).",
            ]
        );
    }

    #[test]
    fn formula_cells_are_refused_without_repeating_them() {
        for cell in [
            "=HYPERLINK(\"http://x\",\"y\")",
            "+1",
            "-2+3",
            "@SUM(A1)",
            " =1",
        ] {
            let text = format!(
                "name,dob,booked_at,charges,agency\nA B,1980-01-01,2026-12-01 10:00,\"{}\",MPD\n",
                cell.replace('"', "\"\"")
            );
            let found = problems(&text);
            assert_eq!(found.len(), 1, "{cell}");
            assert!(found[0].starts_with("Line 2, column charges: the cell starts with"));
            assert!(!found[0].contains("HYPERLINK"));
        }
    }

    #[test]
    fn broken_csv_and_foreign_bytes_are_named_by_line() {
        assert_eq!(
            problems("name,dob,booked_at,charges,agency\r\nA B,1980-01-01\r\n"),
            vec!["Line 2: 2 cells where the header has 5."]
        );
        let mut latin1 = b"name,dob,booked_at,charges,agency\n".to_vec();
        latin1.extend_from_slice(b"Jos\xe9 Cruz,1980-01-01,2026-12-01 10:00,Theft,MPD\n");
        let found = read(&latin1, &ColumnMap::default(), "", &site(), now()).unwrap_err();
        assert_eq!(
            found.problems,
            vec![FileProblem::NotUtf8 {
                line: 2,
                column: "name"
            }]
        );
    }

    #[test]
    fn too_many_rows_or_problems_are_cut_short() {
        let mut text = String::from("name,dob,booked_at,charges,agency\n");
        for _ in 0..30 {
            text.push_str("A B,1980-13-01,2026-12-01 10:00,Theft,MPD\n");
        }
        let found = read_text(&text).unwrap_err();
        assert_eq!((found.problems.len(), found.more), (20, 10));
        let mut text = String::from("name,dob,booked_at,charges,agency\n");
        for _ in 0..=MAX_ROWS {
            text.push_str("A B,1980-01-01,2026-12-01 10:00,Theft,MPD\n");
        }
        assert_eq!(
            read_text(&text).unwrap_err().problems,
            vec![FileProblem::TooManyRows]
        );
    }
}
