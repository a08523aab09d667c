//! Reading records from CSV with a header, as data teams have them: columns named as in
//! [`Column`] or renamed with a map (`given_name=first_name`, or `state=` to leave a
//! column out). Every problem is an [`InputError`] naming the line and the column.

use std::collections::HashMap;
use std::io::{self, Read};

use crate::record::{Column, FieldError, RawRecord, Record};

/// Longest line read, in bytes; a longer one is refused before it fills memory.
pub const MAX_LINE: usize = 1 << 20;
/// Most records one file may hold.
pub const MAX_RECORDS: usize = 50_000_000;

#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error("the file is empty: it needs a header line naming its columns")]
    Empty,
    #[error("the file has a header but no records")]
    NoRecords,
    #[error("there is no id column (rename one with --map, e.g. --map rec_id=id)")]
    MissingIdColumn,
    #[error(
        "line 1, column {position}: \"{name}\" is not a column this reads; rename it with --map {name}=first_name (or another of: {known}), or leave it out with --map {name}="
    )]
    UnknownColumn {
        name: String,
        position: usize,
        known: String,
    },
    #[error("line 1: more than one column is {0}")]
    DuplicateColumn(&'static str),
    #[error("--map: \"{0}\" is not source=target (targets: {1})")]
    BadMap(String, String),
    #[error("line {line}: the id \"{id}\" is already used on line {first_line}")]
    DuplicateId {
        id: String,
        line: u64,
        first_line: u64,
    },
    #[error("line {line}, column {column}: \"{value}\" {error}")]
    Field {
        line: u64,
        column: &'static str,
        value: String,
        error: FieldError,
    },
    #[error("line {line}, column {column}: the text is not UTF-8")]
    NotUtf8 { line: u64, column: String },
    #[error("line {line} is longer than {MAX_LINE} bytes")]
    LineTooLong { line: u64 },
    #[error("line {line}: {message}")]
    Malformed { line: u64, message: String },
    #[error("more than {MAX_RECORDS} records")]
    TooManyRecords,
    #[error("could not read: {0}")]
    Io(String),
}

/// Header renames: source header → target column, or `None` to leave the column out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ColumnMap(HashMap<String, Option<Column>>);

impl ColumnMap {
    /// `source=target,…`; an empty target leaves the column out.
    pub fn parse(spec: &str) -> Result<ColumnMap, InputError> {
        let mut map = HashMap::new();
        for part in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let bad = || InputError::BadMap(part.to_owned(), known_columns());
            let (source, target) = part.split_once('=').ok_or_else(bad)?;
            let target = target.trim();
            let column = if target.is_empty() {
                None
            } else {
                Some(Column::from_name(target).ok_or_else(bad)?)
            };
            map.insert(source.trim().to_owned(), column);
        }
        Ok(ColumnMap(map))
    }

    fn resolve(&self, header: &str) -> Result<Option<Column>, ()> {
        if let Some(target) = self.0.get(header) {
            return Ok(*target);
        }
        Column::from_name(header).map(Some).ok_or(())
    }
}

fn known_columns() -> String {
    Column::ALL.map(Column::name).join(", ")
}

/// Counts lines and refuses one longer than [`MAX_LINE`] before the CSV reader buffers it.
struct LineLimit<R> {
    inner: R,
    line: u64,
    current: usize,
}

impl<R: Read> Read for LineLimit<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        for &b in &buf[..n] {
            if b == b'\n' {
                self.line += 1;
                self.current = 0;
            } else {
                self.current += 1;
                if self.current > MAX_LINE {
                    return Err(io::Error::new(
                        io::ErrorKind::InvalidData,
                        LongLine(self.line + 1),
                    ));
                }
            }
        }
        Ok(n)
    }
}

#[derive(Debug)]
struct LongLine(u64);

impl std::fmt::Display for LongLine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {} is too long", self.0)
    }
}

impl std::error::Error for LongLine {}

fn csv_error(error: csv::Error) -> InputError {
    let line = error.position().map_or(0, csv::Position::line);
    match error.into_kind() {
        csv::ErrorKind::Io(io) => match io.get_ref().and_then(|e| e.downcast_ref::<LongLine>()) {
            Some(LongLine(line)) => InputError::LineTooLong { line: *line },
            None => InputError::Io(io.to_string()),
        },
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => InputError::Malformed {
            line,
            message: format!("{len} fields where the header has {expected_len}"),
        },
        other => InputError::Malformed {
            line,
            message: format!("{other:?}"),
        },
    }
}

/// Reads every record; ages are read against `as_of_year`.
pub fn read(
    reader: impl Read,
    map: &ColumnMap,
    as_of_year: u16,
) -> Result<Vec<Record>, InputError> {
    let limited = LineLimit {
        inner: reader,
        line: 0,
        current: 0,
    };
    let mut csv = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(false)
        .from_reader(limited);
    let mut row = csv::ByteRecord::new();
    if !csv.read_byte_record(&mut row).map_err(csv_error)? {
        return Err(InputError::Empty);
    }
    let columns = header(&row, map)?;
    let mut records = Vec::new();
    let mut first_line: HashMap<Box<str>, u64> = HashMap::new();
    let mut raw = RawRecord::default();
    while csv.read_byte_record(&mut row).map_err(csv_error)? {
        let line = row.position().map_or(0, csv::Position::line);
        if row.len() == 1 && row.get(0).is_some_and(<[u8]>::is_empty) {
            continue;
        }
        if records.len() >= MAX_RECORDS {
            return Err(InputError::TooManyRecords);
        }
        fill(&mut raw, &row, &columns, line)?;
        let record =
            Record::parse(&raw, as_of_year).map_err(|(column, error)| InputError::Field {
                line,
                column: column.name(),
                value: shortened(raw.field_mut(column)),
                error,
            })?;
        if let Some(&first) = first_line.get(&record.id) {
            return Err(InputError::DuplicateId {
                id: record.id.to_string(),
                line,
                first_line: first,
            });
        }
        first_line.insert(record.id.clone(), line);
        records.push(record);
    }
    if records.is_empty() {
        return Err(InputError::NoRecords);
    }
    Ok(records)
}

fn header(row: &csv::ByteRecord, map: &ColumnMap) -> Result<Vec<(usize, Column)>, InputError> {
    let mut columns: Vec<(usize, Column)> = Vec::new();
    for (position, raw) in row.iter().enumerate() {
        let name = std::str::from_utf8(raw).map_err(|_| InputError::NotUtf8 {
            line: 1,
            column: format!("{}", position + 1),
        })?;
        // A byte-order mark from spreadsheet exports is not part of the first name.
        let name = name.trim_start_matches('\u{feff}').trim();
        let column = map.resolve(name).map_err(|()| InputError::UnknownColumn {
            name: name.to_owned(),
            position: position + 1,
            known: known_columns(),
        })?;
        if let Some(column) = column {
            if columns.iter().any(|(_, c)| *c == column) {
                return Err(InputError::DuplicateColumn(column.name()));
            }
            columns.push((position, column));
        }
    }
    if !columns.iter().any(|(_, c)| *c == Column::Id) {
        return Err(InputError::MissingIdColumn);
    }
    Ok(columns)
}

fn fill(
    raw: &mut RawRecord,
    row: &csv::ByteRecord,
    columns: &[(usize, Column)],
    line: u64,
) -> Result<(), InputError> {
    *raw = RawRecord::default();
    for &(position, column) in columns {
        let bytes = row.get(position).unwrap_or_default();
        let text = std::str::from_utf8(bytes).map_err(|_| InputError::NotUtf8 {
            line,
            column: column.name().to_owned(),
        })?;
        raw.field_mut(column).push_str(text);
    }
    Ok(())
}

/// A value as quoted in an error: at most 40 characters.
fn shortened(value: &str) -> String {
    let mut out: String = value.chars().take(40).collect();
    if value.chars().count() > 40 {
        out.push('…');
    }
    out
}
