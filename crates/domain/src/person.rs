//! A person as staff record them at enrolment: names (often only a street name), aliases and
//! an approximate birth year. Nothing here is required to be "official": LEAD serves people
//! who may have no ID.

use crate::referral::AgeRange;
use crate::results::RaceAnswer;
use crate::text::{self, FieldError, FormErrors, limits};

/// Earliest birth year accepted; anything before is a typing slip.
pub const EARLIEST_BIRTH_YEAR: i32 = 1900;

/// A birth year someone gave or staff estimated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct BirthYear(i32);

impl BirthYear {
    /// A year from `EARLIEST_BIRTH_YEAR` up to `this_year`.
    pub fn parse(raw: &str, this_year: i32) -> Result<BirthYear, FieldError> {
        let year: i32 = raw.trim().parse().map_err(|_| FieldError::Year)?;
        if (EARLIEST_BIRTH_YEAR..=this_year).contains(&year) {
            Ok(BirthYear(year))
        } else {
            Err(FieldError::Year)
        }
    }

    pub fn get(self) -> i32 {
        self.0
    }
}

/// The staff "find a person" form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchInput {
    pub name: String,
    pub birth_year: String,
    pub age_range: String,
    pub place: String,
}

/// What to look a person up by: any name forms, and what else is known. At least one of
/// them is given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonSearch {
    /// Names in any order and spelling; may be empty.
    pub name: String,
    pub birth_year: Option<BirthYear>,
    pub age_range: Option<AgeRange>,
    /// A site place key.
    pub place: Option<String>,
}

impl SearchInput {
    /// `places` are the site's place keys.
    pub fn parse(&self, this_year: i32, places: &[String]) -> Result<PersonSearch, FormErrors> {
        let mut errors = FormErrors::default();
        let name = errors.take("name", text::optional(&self.name, limits::NAME));
        let birth_year = match self.birth_year.trim() {
            "" => Some(None),
            raw => errors.take("birth_year", BirthYear::parse(raw, this_year).map(Some)),
        };
        let age_range = match self.age_range.trim() {
            "" | "unknown" => Some(None),
            raw => errors.take("age_range", raw.parse::<AgeRange>().map(Some)),
        };
        let place = match self.place.trim() {
            "" => Some(None),
            key if places.iter().any(|p| p == key) => Some(Some(key.to_owned())),
            _ => {
                errors.add("place", FieldError::Choice);
                None
            }
        };
        let (Some(name), Some(birth_year), Some(age_range), Some(place)) =
            (name, birth_year, age_range, place)
        else {
            return Err(errors);
        };
        if name.is_none() && birth_year.is_none() && age_range.is_none() && place.is_none() {
            errors.add("name", FieldError::Person);
            return Err(errors);
        }
        Ok(PersonSearch {
            name: name.unwrap_or_default(),
            birth_year,
            age_range,
            place,
        })
    }
}

/// A full date of birth as a document or a court record gives it (`1984-03-07`), from
/// `EARLIEST_BIRTH_YEAR` up to `today`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct DateOfBirth(jiff::civil::Date);

impl DateOfBirth {
    pub fn parse(raw: &str, today: jiff::civil::Date) -> Result<DateOfBirth, FieldError> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Err(FieldError::Required);
        }
        let date: jiff::civil::Date = raw.parse().map_err(|_| FieldError::Choice)?;
        if date > today {
            Err(FieldError::Future)
        } else if i32::from(date.year()) < EARLIEST_BIRTH_YEAR {
            Err(FieldError::Year)
        } else {
            Ok(DateOfBirth(date))
        }
    }

    pub fn date(self) -> jiff::civil::Date {
        self.0
    }

    pub fn year(self) -> u16 {
        // Within EARLIEST_BIRTH_YEAR..=today's year, so positive and small.
        u16::try_from(self.0.year()).unwrap_or(0)
    }
}

/// The enrolment form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EnrolmentInput {
    pub given_name: String,
    pub family_name: String,
    /// Other names, one per line or separated by `;`.
    pub aliases: String,
    pub birth_year: String,
    /// "yes" when the person agreed to take part.
    pub consent: String,
    /// The race and ethnicity categories the person chose, as HUD codes.
    pub race: Vec<String>,
    /// Why none was chosen: `dont_know`, `prefers_not`, or empty for not asked.
    pub race_reason: String,
}

/// A valid enrolment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPerson {
    pub given_name: Option<String>,
    pub family_name: Option<String>,
    pub aliases: Vec<String>,
    pub birth_year: Option<BirthYear>,
    pub race: RaceAnswer,
}

impl NewPerson {
    /// Aliases as stored: separated by "; ".
    pub fn aliases_text(&self) -> Option<String> {
        (!self.aliases.is_empty()).then(|| self.aliases.join("; "))
    }
}

/// Most aliases one person may carry.
const MAX_ALIASES: usize = 20;

impl EnrolmentInput {
    pub fn parse(&self, this_year: i32) -> Result<NewPerson, FormErrors> {
        let mut errors = FormErrors::default();
        let given = errors.take("given_name", text::optional(&self.given_name, limits::NAME));
        let family = errors.take(
            "family_name",
            text::optional(&self.family_name, limits::NAME),
        );
        let aliases = errors.take("aliases", parse_aliases(&self.aliases));
        let birth_year = if self.birth_year.trim().is_empty() {
            Some(None)
        } else {
            errors.take(
                "birth_year",
                BirthYear::parse(&self.birth_year, this_year).map(Some),
            )
        };
        if self.consent != "yes" {
            errors.add("consent", FieldError::Consent);
        }
        let race = errors.take(
            "race",
            RaceAnswer::parse(&self.race, self.race_reason.trim()),
        );
        let (Some(given_name), Some(family_name), Some(aliases), Some(birth_year), Some(race)) =
            (given, family, aliases, birth_year, race)
        else {
            return Err(errors);
        };
        if given_name.is_none() && family_name.is_none() && aliases.is_empty() {
            errors.add("given_name", FieldError::Name);
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(NewPerson {
            given_name,
            family_name,
            aliases,
            birth_year,
            race,
        })
    }
}

fn parse_aliases(raw: &str) -> Result<Vec<String>, FieldError> {
    let mut aliases: Vec<String> = Vec::new();
    for part in raw.split([';', '\n']) {
        if let Some(alias) = text::optional(part, limits::NAME)?
            && !aliases.contains(&alias)
        {
            aliases.push(alias);
        }
    }
    if aliases.len() > MAX_ALIASES {
        return Err(FieldError::TooMany { max: MAX_ALIASES });
    }
    Ok(aliases)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_date_of_birth_is_a_real_day_not_in_the_future() {
        let today = jiff::civil::date(2026, 12, 3);
        let dob = DateOfBirth::parse(" 1984-03-07 ", today).unwrap();
        assert_eq!((dob.year(), dob.date().day()), (1984, 7));
        assert_eq!(DateOfBirth::parse("", today), Err(FieldError::Required));
        assert_eq!(
            DateOfBirth::parse("1984-02-30", today),
            Err(FieldError::Choice)
        );
        assert_eq!(
            DateOfBirth::parse("03/07/1984", today),
            Err(FieldError::Choice)
        );
        assert_eq!(
            DateOfBirth::parse("2026-12-04", today),
            Err(FieldError::Future)
        );
        assert_eq!(
            DateOfBirth::parse("1899-12-31", today),
            Err(FieldError::Year)
        );
    }

    #[test]
    fn a_street_name_and_consent_are_enough() {
        let input = EnrolmentInput {
            aliases: "Mo; Big Mo\nMo".into(),
            consent: "yes".into(),
            ..Default::default()
        };
        let person = input.parse(2026).unwrap();
        assert_eq!(person.aliases, vec!["Mo", "Big Mo"]);
        assert_eq!(person.aliases_text().as_deref(), Some("Mo; Big Mo"));
        assert_eq!(person.given_name, None);
    }

    #[test]
    fn no_name_no_consent_and_odd_years_are_explained() {
        let errors = EnrolmentInput {
            birth_year: "1850".into(),
            ..Default::default()
        }
        .parse(2026)
        .unwrap_err();
        assert_eq!(errors.get("birth_year"), Some(&FieldError::Year));
        assert_eq!(errors.get("consent"), Some(&FieldError::Consent));
        let errors = EnrolmentInput {
            consent: "yes".into(),
            ..Default::default()
        }
        .parse(2026)
        .unwrap_err();
        assert_eq!(errors.get("given_name"), Some(&FieldError::Name));
        assert_eq!(BirthYear::parse("2027", 2026), Err(FieldError::Year));
        assert_eq!(
            BirthYear::parse(" 1984 ", 2026).map(BirthYear::get),
            Ok(1984)
        );
    }

    #[test]
    fn a_search_needs_something_to_go_on_and_checks_what_it_gets() {
        let places = vec!["lake-chicago".to_owned()];
        let empty = SearchInput::default().parse(2026, &places).unwrap_err();
        assert_eq!(empty.get("name"), Some(&FieldError::Person));
        let unknown_age = SearchInput {
            age_range: "unknown".into(),
            ..SearchInput::default()
        };
        assert!(
            unknown_age.parse(2026, &places).is_err(),
            "an unknown age is no clue"
        );

        let search = SearchInput {
            name: "  Mo Abdi ".into(),
            birth_year: "1991".into(),
            age_range: "26-35".into(),
            place: "lake-chicago".into(),
        }
        .parse(2026, &places)
        .unwrap();
        assert_eq!(search.name, "Mo Abdi");
        assert_eq!(search.birth_year.map(BirthYear::get), Some(1991));
        assert_eq!(search.age_range, Some(AgeRange::From26To35));
        assert_eq!(search.place.as_deref(), Some("lake-chicago"));

        let bad = SearchInput {
            name: "x".repeat(limits::NAME + 1),
            birth_year: "1850".into(),
            age_range: "ancient".into(),
            place: "mars".into(),
        }
        .parse(2026, &places)
        .unwrap_err();
        assert!(matches!(bad.get("name"), Some(FieldError::TooLong { .. })));
        assert_eq!(bad.get("birth_year"), Some(&FieldError::Year));
        assert_eq!(bad.get("age_range"), Some(&FieldError::Choice));
        assert_eq!(bad.get("place"), Some(&FieldError::Choice));
        let place_only = SearchInput {
            place: "lake-chicago".into(),
            ..SearchInput::default()
        };
        assert_eq!(place_only.parse(2026, &places).unwrap().name, "");
    }
}
