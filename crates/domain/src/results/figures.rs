//! From true counts to the figures the public sees: every count of people goes through one
//! suppression sheet, so a number hidden in one table cannot be read off another.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::suppression::{Cell, PublishedLine, PublishedTable, Sheet, publish_share};
use super::{DEFINITIONS_VERSION, EquityGroup, MIN_CELL, Period, Source, Wait};
use crate::referral::Door;
use crate::site::Population;
use crate::snapshot::Month;

/// One month's true counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthCounts {
    pub month: Month,
    /// In [`Door::ALL`] order.
    pub referrals_by_door: Vec<u64>,
    pub enrolments: u64,
    pub contacts: u64,
}

/// True counts for a period, as the store reads them: nothing suppressed yet.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Counts {
    pub months: Vec<MonthCounts>,
    /// Community referrals by referrer, in the order of [`COMMUNITY_SOURCES`].
    pub community_sources: Vec<u64>,
    /// Whole days from referral to first meeting, one per referral that led to an enrolment.
    pub waits: Vec<i64>,
    /// In [`EquityGroup::ALL`] order.
    pub referrals_by_group: Vec<u64>,
    pub enrolled_by_group: Vec<u64>,
    /// Participants housed at their latest known status, and participants whose latest status
    /// is known at all, by group.
    pub housed_by_group: Vec<(u64, u64)>,
}

/// The sources a community referral is split into; other doors are their own source.
pub const COMMUNITY_SOURCES: [Source; 5] = [
    Source::Resident,
    Source::Business,
    Source::Visitor,
    Source::CommunityProvider,
    Source::OtherCommunity,
];

impl Counts {
    pub fn referrals_received(&self) -> u64 {
        self.months.iter().flat_map(|m| &m.referrals_by_door).sum()
    }

    pub fn enrolled_clients(&self) -> u64 {
        self.months.iter().map(|m| m.enrolments).sum()
    }

    pub fn client_contacts(&self) -> u64 {
        self.months.iter().map(|m| m.contacts).sum()
    }
}

/// The population share of one group, beside the program's figures.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Baseline {
    pub area: String,
    pub source: String,
    pub reviewed: bool,
    /// Percent by group, in [`EquityGroup::ALL`] order; none where the source has no figure.
    pub percent: Vec<Option<f64>>,
}

/// Race and ethnicity beside the population.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Equity {
    pub groups: Vec<String>,
    pub referrals: PublishedLine,
    pub enrolled: PublishedLine,
    /// Housed at the latest status, out of those whose latest status is known: both shown
    /// only when the housed and the not housed each number 11 or more.
    pub housed: Vec<Cell>,
    pub housed_known: Vec<Cell>,
    pub population: Option<Baseline>,
}

/// Everything `/data` and `/data.json` publish for one period.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Figures {
    pub as_of: Date,
    pub period_start: Date,
    pub definitions_version: u32,
    pub referrals_received: Cell,
    pub enrolled_clients: Cell,
    pub client_contacts: Cell,
    /// `YYYY-MM`, first to last; the series below follow this order.
    pub months: Vec<String>,
    pub doors: Vec<String>,
    /// Rows are months, columns doors.
    pub referrals_by_month: PublishedTable,
    pub enrolments_by_month: PublishedLine,
    /// Events, not people: shown as they are.
    pub contacts_by_month: Vec<u64>,
    /// Community referrals by referrer kind; the total is the community door's.
    pub community_sources: Vec<String>,
    pub referrals_by_community_source: PublishedLine,
    pub waits: Vec<String>,
    pub time_to_first_contact: PublishedLine,
    /// Shown only when at least 11 referrals are behind it.
    pub median_days_to_first_contact: Option<i64>,
    pub equity: Equity,
}

impl Figures {
    /// Publishes `counts` for `period`.
    pub fn publish(period: Period, counts: &Counts, population: Option<&Population>) -> Self {
        let mut sheet = Sheet::default();
        let doors = Door::ALL.len();
        let rows: Vec<Vec<u64>> = counts
            .months
            .iter()
            .map(|m| m.referrals_by_door.clone())
            .collect();
        let table = sheet.add_table(&rows, doors);
        let community = Door::ALL
            .iter()
            .position(|d| *d == Door::Community)
            .and_then(|i| table.column_totals.get(i).copied())
            .unwrap_or(table.total);
        let sources: Vec<_> = counts
            .community_sources
            .iter()
            .map(|&v| sheet.add(v))
            .collect();
        sheet.sum(&sources, community);

        let enrolments: Vec<_> = counts
            .months
            .iter()
            .map(|m| sheet.add(m.enrolments))
            .collect();
        let enrolled = sheet.add(counts.enrolled_clients());
        sheet.sum(&enrolments, enrolled);

        let by_group = |values: &[u64]| -> Vec<u64> {
            (0..EquityGroup::ALL.len())
                .map(|i| values.get(i).copied().unwrap_or(0))
                .collect()
        };
        let group_referrals: Vec<_> = by_group(&counts.referrals_by_group)
            .into_iter()
            .map(|v| sheet.add(v))
            .collect();
        sheet.sum(&group_referrals, table.total);
        let group_enrolled: Vec<_> = by_group(&counts.enrolled_by_group)
            .into_iter()
            .map(|v| sheet.add(v))
            .collect();
        sheet.sum(&group_enrolled, enrolled);

        let mut waits = vec![0_u64; Wait::ALL.len()];
        for &days in &counts.waits {
            if let Some(w) = waits.get_mut(Wait::of(days).index()) {
                *w += 1;
            }
        }
        let (wait_slots, reached) = sheet.add_line(&waits);

        let solved = sheet.solve();
        let housed: Vec<(u64, u64)> = (0..EquityGroup::ALL.len())
            .map(|i| counts.housed_by_group.get(i).copied().unwrap_or((0, 0)))
            .collect();
        let housed_cells: Vec<Cell> = housed.iter().map(|&(h, k)| publish_share(h, k)).collect();
        let housed_known = housed
            .iter()
            .zip(&housed_cells)
            .map(|(&(_, known), cell)| match cell {
                Cell::Count(_) => Cell::Count(known),
                _ => Cell::of(known),
            })
            .collect();
        Figures {
            as_of: period.as_of,
            period_start: period.start,
            definitions_version: DEFINITIONS_VERSION,
            referrals_received: solved.cell(table.total),
            enrolled_clients: solved.cell(enrolled),
            client_contacts: Cell::Count(counts.client_contacts()),
            months: counts.months.iter().map(|m| m.month.to_string()).collect(),
            doors: Door::ALL.iter().map(|d| d.code().to_owned()).collect(),
            referrals_by_month: PublishedTable::from_slots(&solved, &table),
            enrolments_by_month: PublishedLine::from_slots(&solved, &enrolments, enrolled),
            contacts_by_month: counts.months.iter().map(|m| m.contacts).collect(),
            community_sources: COMMUNITY_SOURCES
                .iter()
                .map(|s| s.code().to_owned())
                .collect(),
            referrals_by_community_source: PublishedLine::from_slots(&solved, &sources, community),
            waits: Wait::ALL.iter().map(|w| w.code().to_owned()).collect(),
            time_to_first_contact: PublishedLine::from_slots(&solved, &wait_slots, reached),
            median_days_to_first_contact: (counts.waits.len() as u64 >= MIN_CELL)
                .then(|| median(&counts.waits))
                .flatten(),
            equity: Equity {
                groups: EquityGroup::ALL
                    .iter()
                    .map(|g| g.code().to_owned())
                    .collect(),
                referrals: PublishedLine::from_slots(&solved, &group_referrals, table.total),
                enrolled: PublishedLine::from_slots(&solved, &group_enrolled, enrolled),
                housed: housed_cells,
                housed_known,
                population: population.map(|p| Baseline {
                    area: p.area.clone(),
                    source: p.source.clone(),
                    reviewed: p.reviewed,
                    percent: EquityGroup::ALL.iter().map(|g| p.percent_of(*g)).collect(),
                }),
            },
        }
    }
}

/// The middle value (the lower middle of an even count); none of nothing.
pub fn median(values: &[i64]) -> Option<i64> {
    if values.is_empty() {
        return None;
    }
    let mut sorted = values.to_vec();
    sorted.sort_unstable();
    sorted.get((sorted.len() - 1) / 2).copied()
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn month(s: &str) -> Month {
        s.parse().unwrap()
    }

    fn counts() -> Counts {
        Counts {
            months: vec![
                MonthCounts {
                    month: month("2024-01"),
                    referrals_by_door: vec![30, 12, 0, 0, 0],
                    enrolments: 12,
                    contacts: 3,
                },
                MonthCounts {
                    month: month("2024-02"),
                    referrals_by_door: vec![25, 3, 0, 0, 0],
                    enrolments: 15,
                    contacts: 200,
                },
            ],
            community_sources: vec![40, 15, 0, 0, 0],
            waits: vec![1; 27],
            referrals_by_group: vec![0, 0, 0, 40, 0, 0, 30, 0, 0],
            enrolled_by_group: vec![0, 0, 0, 20, 0, 0, 7, 0, 0],
            housed_by_group: vec![
                (0, 0),
                (0, 0),
                (0, 0),
                (11, 20),
                (0, 0),
                (0, 0),
                (2, 7),
                (0, 0),
                (0, 0),
            ],
        }
    }

    #[test]
    fn counters_agree_with_every_table_they_total() {
        let period = Period {
            start: date(2024, 1, 1),
            as_of: date(2024, 2, 29),
        };
        let f = Figures::publish(period, &counts(), None);
        assert_eq!(f.referrals_received, Cell::Count(70));
        assert_eq!(f.referrals_by_month.total, f.referrals_received);
        assert_eq!(f.equity.referrals.total, f.referrals_received);
        assert_eq!(f.enrolled_clients, Cell::Count(27));
        assert_eq!(f.enrolments_by_month.total, f.enrolled_clients);
        assert_eq!(f.client_contacts, Cell::Count(203));
        assert_eq!(f.contacts_by_month, [3, 200], "events are never suppressed");
        assert_eq!(f.referrals_by_month.rows[1][1], Cell::FewerThan11);
        assert_eq!(
            f.referrals_by_month.rows[1][0],
            Cell::Hidden,
            "else 28 − 25 gives the 3"
        );
        // Community: 55 = 40 + 15, shared with the door table's column.
        assert_eq!(f.referrals_by_month.column_totals[0], Cell::Count(55));
        assert_eq!(f.referrals_by_community_source.total, Cell::Count(55));
        assert_eq!(f.median_days_to_first_contact, Some(1));
        assert_eq!(f.equity.enrolled.cells[6], Cell::FewerThan11);
        assert!(
            f.equity.enrolled.cells[3].is_suppressed(),
            "else 27 − 20 gives the 7 back"
        );
        assert_eq!(
            f.equity.housed[3],
            Cell::Hidden,
            "9 not housed is fewer than 11"
        );
    }

    #[test]
    fn an_empty_period_is_zeros_not_an_error() {
        let period = Period {
            start: date(2024, 1, 1),
            as_of: date(2024, 1, 1),
        };
        let empty = Counts {
            months: vec![MonthCounts {
                month: month("2024-01"),
                referrals_by_door: vec![0; 5],
                enrolments: 0,
                contacts: 0,
            }],
            ..Counts::default()
        };
        let f = Figures::publish(period, &empty, None);
        assert_eq!(f.referrals_received, Cell::Count(0));
        assert_eq!(f.enrolled_clients, Cell::Count(0));
        assert_eq!(f.median_days_to_first_contact, None);
        assert!(f.equity.housed.iter().all(|c| *c == Cell::Count(0)));
    }
}
