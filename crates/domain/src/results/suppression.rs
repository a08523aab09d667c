//! Small-number suppression: no published figure may let anyone count fewer than 11 people.
//!
//! A count of 1 to 10 is shown as "fewer than 11" (primary suppression). Zero is shown: it
//! names no one. Hiding one cell is not enough when a total is published beside it, since
//! the total minus the other cells gives it back; so other cells are hidden too
//! (complementary suppression) until no hidden value can be worked out from what is shown.
//!
//! The audit reasons as a reader who knows these rules: a "fewer than 11" cell lies in 1..=10,
//! a hidden cell is never 1..=10 and never zero (zeros are never picked to hide), so it lies in
//! 11 and up. A line (cells and their total) is safe when, for every suppressed entry, the
//! values the rest of the line allows span more than one number. Tables with rows and
//! columns are audited line by line, over and over, until every line is safe.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The smallest count of people that may be published.
pub const MIN_CELL: u64 = 11;

/// One published number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cell {
    /// Shown as it is.
    Count(u64),
    /// 1 to 10 people: shown as "fewer than 11".
    FewerThan11,
    /// Hidden so that a small number beside it cannot be worked out by subtraction.
    Hidden,
}

impl Cell {
    /// A count with primary suppression applied.
    pub fn of(value: u64) -> Self {
        if (1..MIN_CELL).contains(&value) {
            Cell::FewerThan11
        } else {
            Cell::Count(value)
        }
    }

    pub fn value(self) -> Option<u64> {
        match self {
            Cell::Count(v) => Some(v),
            _ => None,
        }
    }

    pub fn is_suppressed(self) -> bool {
        !matches!(self, Cell::Count(_))
    }

    /// What a reader who knows the rules can tell about the true value.
    fn bounds(self) -> (i128, i128) {
        match self {
            Cell::Count(v) => (i128::from(v), i128::from(v)),
            Cell::FewerThan11 => (1, i128::from(MIN_CELL) - 1),
            Cell::Hidden => (i128::from(MIN_CELL), UNBOUNDED),
        }
    }
}

/// Larger than any count; sums of millions of these still fit in `i128`.
const UNBOUNDED: i128 = i64::MAX as i128;

/// In JSON a cell is its number, or the string `"<11"`, or `"suppressed"`.
impl Serialize for Cell {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Cell::Count(v) => serializer.serialize_u64(*v),
            Cell::FewerThan11 => serializer.serialize_str("<11"),
            Cell::Hidden => serializer.serialize_str("suppressed"),
        }
    }
}

/// Reads what [`Cell`]'s `Serialize` wrote (published figures are stored as JSON).
impl<'de> Deserialize<'de> for Cell {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Stored {
            Count(u64),
            Marker(String),
        }
        match Stored::deserialize(deserializer)? {
            Stored::Count(v) => Ok(Cell::Count(v)),
            Stored::Marker(m) if m == "<11" => Ok(Cell::FewerThan11),
            Stored::Marker(m) if m == "suppressed" => Ok(Cell::Hidden),
            Stored::Marker(m) => Err(serde::de::Error::custom(format!("not a cell: {m}"))),
        }
    }
}

/// Cells that add up to a total, with the line's index of each.
#[derive(Debug)]
struct Line {
    members: Vec<usize>,
    /// The total's index, when the total is published.
    total: Option<usize>,
}

/// Whether no suppressed entry of `line` can be narrowed to one value.
fn line_is_safe(cells: &[Cell], line: &Line) -> bool {
    let member = |i: usize| cells.get(i).copied().unwrap_or(Cell::Hidden);
    let shown: i128 = line
        .members
        .iter()
        .filter_map(|&i| member(i).value())
        .map(i128::from)
        .sum();
    let suppressed: Vec<(i128, i128)> = line
        .members
        .iter()
        .map(|&i| member(i))
        .filter(|c| c.is_suppressed())
        .map(Cell::bounds)
        .collect();
    let (low_sum, high_sum) = suppressed
        .iter()
        .fold((0_i128, 0_i128), |(l, h), (lo, hi)| (l + lo, h + hi));
    let (total_low, total_high) = line.total.map_or((0, UNBOUNDED), |t| member(t).bounds());
    // What the suppressed cells add up to, as far as the reader can tell.
    let rest_low = (total_low - shown).max(low_sum);
    let rest_high = (total_high - shown).min(high_sum);
    let cells_safe = suppressed.iter().all(|&(lo, hi)| {
        let others_low = low_sum - lo;
        let others_high = high_sum - hi;
        let low = lo.max(rest_low - others_high);
        let high = hi.min(rest_high - others_low);
        low < high
    });
    let total_safe = match line.total.map(member) {
        Some(total) if total.is_suppressed() => {
            let low = total_low.max(shown + low_sum);
            let high = total_high.min(shown + high_sum);
            low < high
        }
        _ => true,
    };
    cells_safe && total_safe
}

/// A suppression problem: counts, and the lines (cells with their total) a reader can add up.
/// Tables published side by side that share totals go into one sheet, so a cell hidden in
/// one is hidden in all.
#[derive(Debug, Default)]
pub struct Sheet {
    values: Vec<u64>,
    lines: Vec<Line>,
}

/// Where a count sits in a [`Sheet`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slot(usize);

impl Sheet {
    pub fn add(&mut self, value: u64) -> Slot {
        self.values.push(value);
        Slot(self.values.len() - 1)
    }

    /// Adds `values` and their sum; returns the cells' slots and the total's.
    pub fn add_line(&mut self, values: &[u64]) -> (Vec<Slot>, Slot) {
        let slots: Vec<Slot> = values.iter().map(|&v| self.add(v)).collect();
        let total = self.add(values.iter().sum());
        self.sum(&slots, total);
        (slots, total)
    }

    /// Declares that the counts at `members` add up to the count at `total`.
    pub fn sum(&mut self, members: &[Slot], total: Slot) {
        self.lines.push(Line {
            members: members.iter().map(|s| s.0).collect(),
            total: Some(total.0),
        });
    }

    pub fn value(&self, slot: Slot) -> u64 {
        self.values.get(slot.0).copied().unwrap_or(0)
    }

    /// Suppresses until every line is safe.
    pub fn solve(&self) -> Solved {
        Solved(suppress(&self.values, &self.lines))
    }
}

/// A solved sheet: the published cell of every slot.
#[derive(Debug, Clone)]
pub struct Solved(Vec<Cell>);

impl Solved {
    pub fn cell(&self, slot: Slot) -> Cell {
        self.0.get(slot.0).copied().unwrap_or(Cell::Hidden)
    }

    pub fn cells(&self, slots: &[Slot]) -> Vec<Cell> {
        slots.iter().map(|&s| self.cell(s)).collect()
    }
}

/// Suppresses `values` so that every line is safe.
fn suppress(values: &[u64], lines: &[Line]) -> Vec<Cell> {
    let mut cells: Vec<Cell> = values.iter().map(|&v| Cell::of(v)).collect();
    // Each round hides one more entry, so this ends after at most `values.len()` rounds.
    for _ in 0..=values.len() {
        let Some(line) = lines.iter().find(|l| !line_is_safe(&cells, l)) else {
            break;
        };
        let smallest_shown = line
            .members
            .iter()
            .copied()
            .filter(|&i| matches!(cells.get(i), Some(Cell::Count(v)) if *v > 0))
            .min_by_key(|&i| (cells.get(i).and_then(|c| c.value()), i));
        let hide = smallest_shown.or(line
            .total
            .filter(|&t| matches!(cells.get(t), Some(Cell::Count(v)) if *v > 0)));
        match hide.and_then(|i| cells.get_mut(i)) {
            Some(cell) => *cell = Cell::Hidden,
            // Nothing left to hide in this line: every entry is already suppressed or zero.
            None => break,
        }
    }
    cells
}

/// A published list of counts that add up to a published total.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublishedLine {
    pub cells: Vec<Cell>,
    pub total: Cell,
}

impl PublishedLine {
    pub fn from_slots(solved: &Solved, slots: &[Slot], total: Slot) -> Self {
        Self {
            cells: solved.cells(slots),
            total: solved.cell(total),
        }
    }
}

/// Publishes `values` with their sum.
pub fn publish_line(values: &[u64]) -> PublishedLine {
    let mut sheet = Sheet::default();
    let (slots, total) = sheet.add_line(values);
    PublishedLine::from_slots(&sheet.solve(), &slots, total)
}

/// A published table: rows of counts with row totals, column totals and a grand total.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublishedTable {
    pub rows: Vec<Vec<Cell>>,
    pub row_totals: Vec<Cell>,
    pub column_totals: Vec<Cell>,
    pub total: Cell,
}

/// The slots of a table in a [`Sheet`].
#[derive(Debug, Clone)]
pub struct TableSlots {
    pub rows: Vec<Vec<Slot>>,
    pub row_totals: Vec<Slot>,
    pub column_totals: Vec<Slot>,
    pub total: Slot,
}

impl Sheet {
    /// Adds a table whose rows all have `columns` cells (short rows count as zeros), with its
    /// row, column and grand totals and the lines that tie them together.
    pub fn add_table(&mut self, rows: &[Vec<u64>], columns: usize) -> TableSlots {
        let cells: Vec<Vec<Slot>> = rows
            .iter()
            .map(|row| {
                (0..columns)
                    .map(|c| self.add(row.get(c).copied().unwrap_or(0)))
                    .collect()
            })
            .collect();
        let row_totals: Vec<Slot> = cells
            .iter()
            .map(|row| {
                let total = self.add(row.iter().map(|&s| self.value(s)).sum());
                self.sum(row, total);
                total
            })
            .collect();
        let column_totals: Vec<Slot> = (0..columns)
            .map(|c| {
                let column: Vec<Slot> =
                    cells.iter().filter_map(|row| row.get(c).copied()).collect();
                let total = self.add(column.iter().map(|&s| self.value(s)).sum());
                self.sum(&column, total);
                total
            })
            .collect();
        let total = self.add(row_totals.iter().map(|&s| self.value(s)).sum());
        self.sum(&row_totals, total);
        self.sum(&column_totals, total);
        TableSlots {
            rows: cells,
            row_totals,
            column_totals,
            total,
        }
    }
}

impl PublishedTable {
    pub fn from_slots(solved: &Solved, slots: &TableSlots) -> Self {
        Self {
            rows: slots.rows.iter().map(|row| solved.cells(row)).collect(),
            row_totals: solved.cells(&slots.row_totals),
            column_totals: solved.cells(&slots.column_totals),
            total: solved.cell(slots.total),
        }
    }
}

/// Publishes a table whose rows all have `columns` cells (short rows count as zeros).
pub fn publish_table(rows: &[Vec<u64>], columns: usize) -> PublishedTable {
    let mut sheet = Sheet::default();
    let slots = sheet.add_table(rows, columns);
    PublishedTable::from_slots(&sheet.solve(), &slots)
}

/// A count of people with an outcome out of a group: shown only when both those with it and
/// those without it number at least 11, since the group's size is published too.
pub fn publish_share(with: u64, of: u64) -> Cell {
    let without = of.saturating_sub(with);
    if with == 0 || without == 0 {
        // "None of them" or "all of them" says something about each person in the group.
        if of == 0 {
            Cell::Count(0)
        } else {
            Cell::Hidden
        }
    } else if with < MIN_CELL || without < MIN_CELL {
        Cell::Hidden
    } else {
        Cell::Count(with)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::BTreeSet;

    fn line_of(cells: &[Cell], total: Cell) -> bool {
        let mut all = cells.to_vec();
        all.push(total);
        line_is_safe(
            &all,
            &Line {
                members: (0..cells.len()).collect(),
                total: Some(cells.len()),
            },
        )
    }

    #[test]
    fn large_counts_are_shown_as_they_are() {
        let p = publish_line(&[40, 0, 11, 300]);
        assert_eq!(
            p.cells,
            [
                Cell::Count(40),
                Cell::Count(0),
                Cell::Count(11),
                Cell::Count(300)
            ]
        );
        assert_eq!(p.total, Cell::Count(351));
    }

    #[test]
    fn a_lone_small_cell_takes_its_smallest_neighbour_with_it() {
        let p = publish_line(&[50, 5, 20]);
        assert_eq!(
            p.cells,
            [Cell::Count(50), Cell::FewerThan11, Cell::Hidden],
            "hiding 20 (not 50): the smallest cell that protects the 5"
        );
        assert_eq!(p.total, Cell::Count(75));
    }

    #[test]
    fn two_small_cells_at_their_limits_are_still_protected() {
        // 1 + 1 = 2 with both at least 1: each would be known to be 1.
        let p = publish_line(&[1, 1, 30]);
        assert!(line_of(&p.cells, p.total));
        assert_eq!(p.cells[2], Cell::Hidden);
        // 10 + 10 = 20 with both at most 10: each would be known to be 10.
        let p = publish_line(&[10, 10, 30, 40]);
        assert!(line_of(&p.cells, p.total));
        assert_eq!(p.cells[2], Cell::Hidden);
    }

    #[test]
    fn a_small_total_is_suppressed_too() {
        let p = publish_line(&[3, 0]);
        assert_eq!(p.cells, [Cell::FewerThan11, Cell::Count(0)]);
        assert_eq!(p.total, Cell::FewerThan11);
        assert_eq!(publish_line(&[]).total, Cell::Count(0));
    }

    #[test]
    fn a_share_needs_eleven_on_both_sides() {
        assert_eq!(publish_share(11, 22), Cell::Count(11));
        assert_eq!(publish_share(11, 21), Cell::Hidden);
        assert_eq!(publish_share(30, 30), Cell::Hidden);
        assert_eq!(publish_share(0, 30), Cell::Hidden);
        assert_eq!(publish_share(0, 0), Cell::Count(0));
    }

    #[test]
    fn cells_read_as_numbers_or_markers_in_json() {
        let json = serde_json::to_string(&[Cell::Count(4), Cell::FewerThan11, Cell::Hidden]);
        assert_eq!(json.ok().as_deref(), Some(r#"[4,"<11","suppressed"]"#));
    }

    /// Every value each cell could take, and every total, for a reader who sees `shown` and
    /// knows the rules: enumerates all tables consistent with what is shown.
    fn feasible(shown: &PublishedLine, max_hidden: u64) -> (Vec<BTreeSet<u64>>, BTreeSet<u64>) {
        let options: Vec<Vec<u64>> = shown
            .cells
            .iter()
            .map(|c| match c {
                Cell::Count(v) => vec![*v],
                Cell::FewerThan11 => (1..MIN_CELL).collect(),
                Cell::Hidden => (MIN_CELL..=max_hidden).collect(),
            })
            .collect();
        let total_fits = |sum: u64| match shown.total {
            Cell::Count(t) => sum == t,
            Cell::FewerThan11 => (1..MIN_CELL).contains(&sum),
            Cell::Hidden => sum >= MIN_CELL,
        };
        let mut cells: Vec<BTreeSet<u64>> = vec![BTreeSet::new(); options.len()];
        let mut sums = BTreeSet::new();
        let mut pick = vec![0_usize; options.len()];
        loop {
            let values: Vec<u64> = pick
                .iter()
                .zip(&options)
                .map(|(&k, o)| o.get(k).copied().unwrap_or(0))
                .collect();
            let sum = values.iter().sum();
            if total_fits(sum) {
                sums.insert(sum);
                for (s, v) in cells.iter_mut().zip(values) {
                    s.insert(v);
                }
            }
            // Next combination, odometer style.
            let mut i = 0;
            loop {
                if i == pick.len() {
                    return (cells, sums);
                }
                pick[i] += 1;
                if pick[i] < options[i].len() {
                    break;
                }
                pick[i] = 0;
                i += 1;
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        /// The claim the page makes: no suppressed value can be recovered from what is shown.
        #[test]
        fn no_suppressed_value_can_be_worked_out(values in prop::collection::vec(0_u64..16, 1..4)) {
            let shown = publish_line(&values);
            let max_hidden: u64 = values.iter().sum::<u64>().max(MIN_CELL) + 5;
            let (cells, sums) = feasible(&shown, max_hidden);
            for (i, cell) in shown.cells.iter().enumerate() {
                if cell.is_suppressed() {
                    prop_assert!(cells[i].len() >= 2, "cell {i} of {values:?} is known: {shown:?}");
                }
                // What is shown is the truth.
                if let Cell::Count(v) = cell { prop_assert_eq!(*v, values[i]); }
                prop_assert!(!matches!(cell, Cell::Count(1..=10)));
            }
            if shown.total.is_suppressed() {
                prop_assert!(sums.len() >= 2, "total of {values:?} is known: {shown:?}");
            }
        }

        /// Tables: every row, column and margin passes the audit, and shown cells are true.
        #[test]
        fn every_line_of_a_table_is_safe(
            rows in prop::collection::vec(prop::collection::vec(0_u64..30, 3), 1..6)
        ) {
            let t = publish_table(&rows, 3);
            for (r, row) in t.rows.iter().enumerate() {
                prop_assert!(line_of(row, t.row_totals[r]), "row {r}: {t:?}");
                for (c, cell) in row.iter().enumerate() {
                    if let Cell::Count(v) = cell { prop_assert_eq!(*v, rows[r][c]); }
                    prop_assert!(!matches!(cell, Cell::Count(1..=10)));
                }
            }
            for c in 0..3 {
                let column: Vec<Cell> = t.rows.iter().map(|row| row[c]).collect();
                prop_assert!(line_of(&column, t.column_totals[c]), "column {c}: {t:?}");
            }
            prop_assert!(line_of(&t.row_totals, t.total));
            prop_assert!(line_of(&t.column_totals, t.total));
        }
    }
}
