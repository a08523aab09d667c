//! Dates of birth as people give them: whole, a month and a year, a year, or only an age
//! someone guessed.

use std::fmt;

/// A date of birth known to a year, a month or a day. Parsed from `YYYY-MM-DD`, `YYYY-MM`
/// or `YYYY`; a day that does not exist in its month is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PartialDate {
    year: u16,
    month: Option<u8>,
    day: Option<u8>,
}

/// Earliest and latest years accepted in a date of birth.
pub const YEARS: std::ops::RangeInclusive<u16> = 1850..=2100;

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("is not a date (YYYY-MM-DD, YYYY-MM or YYYY, a year from 1850 to 2100)")]
pub struct NotADate;

impl PartialDate {
    pub fn parse(raw: &str) -> Result<PartialDate, NotADate> {
        let mut parts = raw.trim().split('-');
        let year = parts.next().map(|y| number(y, 4)).ok_or(NotADate)??;
        let year = u16::try_from(year).map_err(|_| NotADate)?;
        if !YEARS.contains(&year) {
            return Err(NotADate);
        }
        let month = parts.next().map(|m| number(m, 2)).transpose()?;
        let day = parts.next().map(|d| number(d, 2)).transpose()?;
        if parts.next().is_some() {
            return Err(NotADate);
        }
        let month = month
            .map(|m| u8::try_from(m).map_err(|_| NotADate))
            .transpose()?;
        let day = day
            .map(|d| u8::try_from(d).map_err(|_| NotADate))
            .transpose()?;
        if let Some(m) = month
            && !(1..=12).contains(&m)
        {
            return Err(NotADate);
        }
        if let (Some(m), Some(d)) = (month, day)
            && !(1..=days_in_month(year, m)).contains(&d)
        {
            return Err(NotADate);
        }
        Ok(PartialDate { year, month, day })
    }

    pub fn year(self) -> u16 {
        self.year
    }

    pub fn month(self) -> Option<u8> {
        self.month
    }

    pub fn day(self) -> Option<u8> {
        self.day
    }

    /// The whole date, when known to the day.
    pub fn full(self) -> Option<(u16, u8, u8)> {
        Some((self.year, self.month?, self.day?))
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
        }
        if let Some(d) = self.day {
            write!(f, "-{d:02}")?;
        }
        Ok(())
    }
}

fn number(digits: &str, width: usize) -> Result<u32, NotADate> {
    if digits.len() != width || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(NotADate);
    }
    digits.parse().map_err(|_| NotADate)
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        _ => 31,
    }
}

/// What a record says about when the person was born.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Birth {
    Date(PartialDate),
    /// Born in one of these years, from an age someone gave or guessed.
    Around {
        earliest: u16,
        latest: u16,
    },
}

/// How far an age guess may be from the truth, in years either way.
pub const AGE_SLACK: u16 = 3;

impl Birth {
    /// The years an age (in whole years on `as_of_year`) allows, widened by [`AGE_SLACK`].
    pub fn from_age(age: u16, as_of_year: u16) -> Birth {
        let year = as_of_year.saturating_sub(age);
        Birth::Around {
            earliest: year.saturating_sub(1 + AGE_SLACK),
            latest: year + AGE_SLACK,
        }
    }

    /// The birth year, or the middle of the years allowed, for blocking.
    pub fn year_hint(self) -> u16 {
        match self {
            Birth::Date(d) => d.year,
            Birth::Around { earliest, latest } => earliest / 2 + latest / 2,
        }
    }

    fn years(self) -> (u16, u16) {
        match self {
            Birth::Date(d) => (d.year, d.year),
            Birth::Around { earliest, latest } => (earliest, latest),
        }
    }
}

/// How alike two births are, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum BirthLevel {
    Different,
    /// Years within one of each other, or an age that fits.
    Near,
    /// Equal as far as the less precise of the two goes (1984-03 and 1984-03-12).
    Consistent,
    /// Whole dates one slip apart: day and month swapped, or one of day, month or year
    /// typed wrong (a digit, or the year one off).
    Slip,
    Exact,
}

/// Compares two births. Symmetric.
pub fn compare(a: Birth, b: Birth) -> BirthLevel {
    match (a, b) {
        (Birth::Date(x), Birth::Date(y)) => compare_dates(x, y),
        _ => {
            let ((a_lo, a_hi), (b_lo, b_hi)) = (a.years(), b.years());
            if a_lo <= b_hi && b_lo <= a_hi {
                BirthLevel::Near
            } else {
                BirthLevel::Different
            }
        }
    }
}

fn compare_dates(x: PartialDate, y: PartialDate) -> BirthLevel {
    if x == y && x.day.is_some() {
        return BirthLevel::Exact;
    }
    if let (Some(a), Some(b)) = (x.full(), y.full()) {
        return if is_slip(a, b) {
            BirthLevel::Slip
        } else if a.0.abs_diff(b.0) <= 1 {
            BirthLevel::Near
        } else {
            BirthLevel::Different
        };
    }
    let months_agree = match (x.month, y.month) {
        (Some(a), Some(b)) => a == b,
        _ => true,
    };
    let days_agree = match (x.day, y.day) {
        (Some(a), Some(b)) => a == b,
        _ => true,
    };
    if x.year == y.year && months_agree && days_agree {
        BirthLevel::Consistent
    } else if x.year.abs_diff(y.year) <= 1 {
        BirthLevel::Near
    } else {
        BirthLevel::Different
    }
}

/// One slip apart: day and month swapped, or exactly one part different where that part
/// differs by one digit or (for the year) by one.
fn is_slip(a: (u16, u8, u8), b: (u16, u8, u8)) -> bool {
    if a.0 == b.0 && a.1 == b.2 && a.2 == b.1 {
        return true;
    }
    let year_slip = a.0.abs_diff(b.0) == 1 || one_digit_apart(u32::from(a.0), u32::from(b.0));
    match (a.0 == b.0, a.1 == b.1, a.2 == b.2) {
        (false, true, true) => year_slip,
        (true, false, true) => one_digit_apart(u32::from(a.1), u32::from(b.1)),
        (true, true, false) => one_digit_apart(u32::from(a.2), u32::from(b.2)),
        _ => false,
    }
}

/// Written in decimal with the same number of digits, the two differ in exactly one.
fn one_digit_apart(a: u32, b: u32) -> bool {
    let (mut a, mut b, mut differing) = (a, b, 0);
    while a > 0 || b > 0 {
        if a % 10 != b % 10 {
            differing += 1;
        }
        a /= 10;
        b /= 10;
    }
    differing == 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(raw: &str) -> Birth {
        match PartialDate::parse(raw) {
            Ok(d) => Birth::Date(d),
            Err(e) => panic!("{raw}: {e}"),
        }
    }

    #[test]
    fn parses_the_three_precisions_and_refuses_the_rest() {
        assert_eq!(
            PartialDate::parse("1984-03-12").map(|d| d.to_string()),
            Ok("1984-03-12".into())
        );
        assert_eq!(
            PartialDate::parse("1984-03").map(|d| d.to_string()),
            Ok("1984-03".into())
        );
        assert_eq!(
            PartialDate::parse(" 1984 ").map(|d| d.to_string()),
            Ok("1984".into())
        );
        assert_eq!(
            PartialDate::parse("2000-02-29").map(|d| d.day()),
            Ok(Some(29))
        );
        for bad in [
            "",
            "84",
            "1984-3-12",
            "1984-13-01",
            "1900-02-29",
            "1984-04-31",
            "1984/03/12",
            "1984-03-12-01",
            "1800",
            "19840312",
            "１９８４",
            "-1984",
            "1984-00",
        ] {
            assert_eq!(PartialDate::parse(bad), Err(NotADate), "{bad}");
        }
    }

    #[test]
    fn levels_of_whole_dates() {
        assert_eq!(
            compare(date("1984-03-12"), date("1984-03-12")),
            BirthLevel::Exact
        );
        assert_eq!(
            compare(date("1984-03-12"), date("1984-12-03")),
            BirthLevel::Slip
        );
        assert_eq!(
            compare(date("1984-03-12"), date("1984-03-13")),
            BirthLevel::Slip
        );
        assert_eq!(
            compare(date("1984-03-12"), date("1985-03-12")),
            BirthLevel::Slip
        );
        assert_eq!(
            compare(date("1984-03-12"), date("1994-03-12")),
            BirthLevel::Slip
        );
        assert_eq!(
            compare(date("1984-03-12"), date("1984-08-12")),
            BirthLevel::Slip
        );
        assert_eq!(
            compare(date("1984-03-12"), date("1984-07-30")),
            BirthLevel::Near
        );
        assert_eq!(
            compare(date("1984-03-12"), date("1985-07-30")),
            BirthLevel::Near
        );
        assert_eq!(
            compare(date("1984-03-12"), date("1990-03-12")),
            BirthLevel::Different
        );
        assert_eq!(
            compare(date("1984-03-12"), date("1991-07-12")),
            BirthLevel::Different
        );
    }

    #[test]
    fn partial_dates_are_consistent_or_not() {
        assert_eq!(
            compare(date("1984-03"), date("1984-03-12")),
            BirthLevel::Consistent
        );
        assert_eq!(
            compare(date("1984"), date("1984-03-12")),
            BirthLevel::Consistent
        );
        assert_eq!(compare(date("1984"), date("1984")), BirthLevel::Consistent);
        assert_eq!(
            compare(date("1984-04"), date("1984-03-12")),
            BirthLevel::Near
        );
        assert_eq!(compare(date("1985"), date("1984-03-12")), BirthLevel::Near);
        assert_eq!(
            compare(date("1987"), date("1984-03-12")),
            BirthLevel::Different
        );
    }

    #[test]
    fn an_age_guess_fits_a_date_within_its_slack() {
        let guess = Birth::from_age(40, 2026);
        assert_eq!(compare(guess, date("1986-05-01")), BirthLevel::Near);
        assert_eq!(compare(date("1983-05-01"), guess), BirthLevel::Near);
        assert_eq!(compare(guess, date("1975-05-01")), BirthLevel::Different);
        assert_eq!(compare(guess, Birth::from_age(45, 2026)), BirthLevel::Near);
        assert_eq!(
            compare(guess, Birth::from_age(60, 2026)),
            BirthLevel::Different
        );
    }
}
