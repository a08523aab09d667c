//! What to fit (`Spec`) and the rows to fit it on (`Observations`), read from CSV or built in
//! code.

use std::collections::HashMap;
use std::io::Read;

use crate::StatsError;
use crate::family::{Correlation, Family};

/// The model: which columns play which part.
#[derive(Debug, Clone, PartialEq)]
pub struct Spec {
    pub outcome: String,
    pub predictors: Vec<String>,
    pub cluster: String,
    pub family: Family,
    /// A column added to the linear predictor with coefficient 1 (for Poisson, the log of the
    /// exposure, such as days at risk).
    pub offset: Option<String>,
    /// Prior (case) weights.
    pub weights: Option<String>,
    pub correlation: Correlation,
}

impl Spec {
    /// Every column the model reads, outcome first.
    fn columns(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.outcome.as_str())
            .chain(self.predictors.iter().map(String::as_str))
            .chain(std::iter::once(self.cluster.as_str()))
            .chain(self.offset.as_deref())
            .chain(self.weights.as_deref())
    }

    /// A column may play one part only: an outcome among its own predictors would "explain"
    /// itself perfectly.
    pub(crate) fn check(&self) -> Result<(), StatsError> {
        let mut seen = std::collections::HashSet::new();
        for column in self.columns() {
            if !seen.insert(column) {
                return Err(StatsError::ColumnUsedTwice {
                    column: column.to_owned(),
                });
            }
        }
        if self.weights.is_some() && self.correlation == Correlation::Exchangeable {
            return Err(StatsError::WeightsWithExchangeable);
        }
        Ok(())
    }
}

/// The rows of a model: one value per used column, in the order of the spec's predictors.
/// Rows with a blank have already been left out (and counted in `dropped`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Observations {
    pub outcome: Vec<f64>,
    /// One column per predictor of the spec, each as long as `outcome`.
    pub predictors: Vec<Vec<f64>>,
    pub cluster: Vec<String>,
    pub offset: Option<Vec<f64>>,
    pub weights: Option<Vec<f64>>,
    /// The line of the file each row came from, for messages; empty means rows are numbered
    /// from 1.
    pub lines: Vec<u64>,
    /// Rows left out because a used column was blank.
    pub dropped: usize,
}

impl Observations {
    /// The line (or row number) of row `i`, for messages.
    pub(crate) fn line(&self, i: usize) -> u64 {
        self.lines.get(i).copied().unwrap_or(i as u64 + 1)
    }
}

/// Reads the columns `spec` uses from CSV with a header line. Other columns are ignored. A row
/// with an empty cell in any used column is left out; any other value that is not a finite
/// number is an error naming its line and column.
pub fn read_csv<R: Read>(reader: R, spec: &Spec) -> Result<Observations, StatsError> {
    spec.check()?;
    let mut csv = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(reader);
    let header = csv.byte_headers().map_err(csv_error)?.clone();
    if header.is_empty() || (header.len() == 1 && header[0].is_empty()) {
        return Err(StatsError::EmptyFile);
    }
    let index = header_index(&header)?;
    let position = |column: &str| -> Result<usize, StatsError> {
        match index.get(column) {
            Some(Some(i)) => Ok(*i),
            Some(None) => Err(StatsError::DuplicateHeader {
                column: column.to_owned(),
            }),
            None => Err(StatsError::MissingColumn {
                column: column.to_owned(),
                available: available(&header),
            }),
        }
    };
    let outcome = position(&spec.outcome)?;
    let predictors = spec
        .predictors
        .iter()
        .map(|p| position(p))
        .collect::<Result<Vec<_>, _>>()?;
    let cluster = position(&spec.cluster)?;
    let offset = spec.offset.as_deref().map(position).transpose()?;
    let weights = spec.weights.as_deref().map(position).transpose()?;

    let mut obs = Observations {
        predictors: vec![Vec::new(); predictors.len()],
        offset: offset.map(|_| Vec::new()),
        weights: weights.map(|_| Vec::new()),
        ..Observations::default()
    };
    let mut record = csv::ByteRecord::new();
    let mut row = Vec::with_capacity(predictors.len() + 3);
    while csv.read_byte_record(&mut record).map_err(csv_error)? {
        let line = record.position().map_or(0, csv::Position::line);
        let cell = |i: usize| trim(record.get(i).unwrap_or_default());
        let cluster_cell = cell(cluster);
        let numeric = std::iter::once((&spec.outcome, outcome))
            .chain(spec.predictors.iter().zip(predictors.iter().copied()))
            .chain(spec.offset.iter().zip(offset))
            .chain(spec.weights.iter().zip(weights));
        row.clear();
        let mut blank = cluster_cell.is_empty();
        for (name, i) in numeric {
            match number(cell(i), line, name)? {
                Some(value) => row.push(value),
                None => blank = true,
            }
        }
        if blank {
            obs.dropped += 1;
            continue;
        }
        let label = std::str::from_utf8(cluster_cell).map_err(|_| StatsError::NotUtf8 {
            line,
            column: spec.cluster.clone(),
        })?;
        let mut values = row.iter().copied();
        let mut next = || values.next().unwrap_or(f64::NAN);
        obs.outcome.push(next());
        for column in &mut obs.predictors {
            column.push(next());
        }
        if let Some(column) = &mut obs.offset {
            column.push(next());
        }
        if let Some(column) = &mut obs.weights {
            column.push(next());
        }
        obs.cluster.push(label.to_owned());
        obs.lines.push(line);
    }
    Ok(obs)
}

/// Header name → its position, or None when the name appears more than once.
fn header_index(header: &csv::ByteRecord) -> Result<HashMap<String, Option<usize>>, StatsError> {
    let mut index = HashMap::new();
    for (i, raw) in header.iter().enumerate() {
        let raw = if i == 0 {
            raw.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(raw)
        } else {
            raw
        };
        let name = std::str::from_utf8(trim(raw)).map_err(|_| StatsError::NotUtf8 {
            line: 1,
            column: format!("header field {}", i + 1),
        })?;
        index
            .entry(name.to_owned())
            .and_modify(|slot| *slot = None)
            .or_insert(Some(i));
    }
    Ok(index)
}

/// The header's names for an error message, shortened when there are many.
fn available(header: &csv::ByteRecord) -> String {
    const SHOWN: usize = 20;
    let mut names: Vec<String> = header
        .iter()
        .take(SHOWN)
        .map(|raw| String::from_utf8_lossy(trim(raw)).into_owned())
        .collect();
    if header.len() > SHOWN {
        names.push(format!("and {} more", header.len() - SHOWN));
    }
    names.join(", ")
}

/// A cell as a finite number, None when it is blank.
fn number(cell: &[u8], line: u64, column: &str) -> Result<Option<f64>, StatsError> {
    if cell.is_empty() {
        return Ok(None);
    }
    let text = std::str::from_utf8(cell).map_err(|_| StatsError::NotUtf8 {
        line,
        column: column.to_owned(),
    })?;
    match text.parse::<f64>() {
        Ok(value) if value.is_finite() => Ok(Some(value)),
        _ => Err(StatsError::NotANumber {
            line,
            column: column.to_owned(),
            value: shorten(text),
        }),
    }
}

/// A value quoted in a message is cut to 40 characters.
fn shorten(text: &str) -> String {
    const MAX: usize = 40;
    match text.char_indices().nth(MAX) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_owned(),
    }
}

fn trim(bytes: &[u8]) -> &[u8] {
    bytes.trim_ascii()
}

fn csv_error(error: csv::Error) -> StatsError {
    let line = error.position().map_or(0, csv::Position::line);
    let message = match error.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("the row has {len} fields but the header has {expected_len}"),
        csv::ErrorKind::Io(e) => format!("the file could not be read: {e}"),
        _ => error.to_string(),
    };
    StatsError::Csv { line, message }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> Spec {
        Spec {
            outcome: "y".into(),
            predictors: vec!["x".into()],
            cluster: "id".into(),
            family: Family::Binomial,
            offset: None,
            weights: None,
            correlation: Correlation::Independence,
        }
    }

    fn read(text: &[u8]) -> Result<Observations, StatsError> {
        read_csv(text, &spec())
    }

    #[test]
    fn reads_used_columns_and_drops_rows_with_a_blank() {
        let obs = read(b"\xEF\xBB\xBFid,other,y,x\na,zz,1,0.5\na,,0, 2\nb,q,,3\n,q,1,3\n").unwrap();
        assert_eq!(obs.outcome, vec![1.0, 0.0]);
        assert_eq!(obs.predictors, vec![vec![0.5, 2.0]]);
        assert_eq!(obs.cluster, vec!["a", "a"]);
        assert_eq!(obs.lines, vec![2, 3]);
        assert_eq!(obs.dropped, 2);
    }

    #[test]
    fn bad_input_names_line_and_column() {
        assert_eq!(read(b""), Err(StatsError::EmptyFile));
        assert!(matches!(
            read(b"id,y\na,1\n"),
            Err(StatsError::MissingColumn { column, available }) if column == "x" && available == "id, y"
        ));
        assert_eq!(
            read(b"id,y,x,x\na,1,2,3\n"),
            Err(StatsError::DuplicateHeader { column: "x".into() })
        );
        assert_eq!(
            read(b"id,y,x\na,1,2\nb,1,=HYPERLINK(1)\n"),
            Err(StatsError::NotANumber {
                line: 3,
                column: "x".into(),
                value: "=HYPERLINK(1)".into()
            })
        );
        assert!(matches!(
            read(b"id,y,x\na,1,inf\n"),
            Err(StatsError::NotANumber { line: 2, .. })
        ));
        assert_eq!(
            read(b"id,y,x\na,1,\xff\n"),
            Err(StatsError::NotUtf8 {
                line: 2,
                column: "x".into()
            })
        );
        assert!(matches!(
            read(b"id,y,x\na,1,2\nb,1\n"),
            Err(StatsError::Csv { line: 3, message }) if message.contains("2 fields")
        ));
        let long = format!("id,y,x\na,1,{}\n", "9z".repeat(100));
        let Err(StatsError::NotANumber { value, .. }) = read(long.as_bytes()) else {
            panic!("a long bad value is refused");
        };
        assert_eq!(value.chars().count(), 41);
    }

    #[test]
    fn a_column_plays_one_part() {
        let mut twice = spec();
        twice.predictors.push("y".into());
        assert_eq!(
            read_csv(&b"id,y,x\n"[..], &twice),
            Err(StatsError::ColumnUsedTwice { column: "y".into() })
        );
        let mut weighted = spec();
        weighted.weights = Some("w".into());
        weighted.correlation = Correlation::Exchangeable;
        assert_eq!(
            read_csv(&b"id,y,x,w\n"[..], &weighted),
            Err(StatsError::WeightsWithExchangeable)
        );
    }
}
