//! A site profile: who the site is, its hours and promise, its area and places.

use std::path::Path;

use jiff::civil::{Date, Time, Weekday};
use jiff::tz::TimeZone;
use serde::Deserialize;

use crate::calendar::to_offset_date_time;
use crate::calendar::{BusinessCalendar, CalendarError};
use crate::geo::{GeoError, Point, Polygon};
use crate::language::Language;
use crate::results::EquityGroup;
use crate::text::{self, FieldError, FormErrors, limits};
use crate::triage::{OutreachRules, ScreeningRules};
use time::OffsetDateTime;

const MINNEAPOLIS_TOML: &str = include_str!("../../../site/minneapolis.toml");
const MINNEAPOLIS_CORRIDOR: &str = include_str!("../../../site/minneapolis-corridor.geojson");

#[derive(Debug, thiserror::Error)]
pub enum SiteError {
    #[error("site profile {path}: {message}")]
    Read { path: String, message: String },
    #[error("site profile: {0}")]
    Toml(#[from] toml::de::Error),
    #[error("site profile: unknown time zone {0}")]
    TimeZone(String),
    #[error("site profile: unsupported language {0}")]
    Language(String),
    #[error("site profile: {0}")]
    Calendar(#[from] CalendarError),
    #[error("site corridor: {0}")]
    Geo(#[from] GeoError),
    #[error("site profile: unknown weekday {0} (write monday … sunday)")]
    Weekday(String),
    #[error("site profile: place {0} lies outside the corridor")]
    PlaceOutside(String),
    #[error("site profile: place key {0} is used twice")]
    DuplicatePlace(String),
    #[error("site profile: place key {0:?} must be lowercase letters, digits and dashes")]
    PlaceKey(String),
    #[error(
        "site profile: population group {0:?} is not an equity group, or its percent is not 0 to 100"
    )]
    Population(String),
}

/// A charge on the site's divertible list (set by the Policy Coordinating Group).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Charge {
    pub key: String,
    pub label: String,
}

/// A place offered in the referral form's picker.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Place {
    /// Stable key stored with referrals; the name may be reworded later.
    pub key: String,
    pub name: String,
    pub lon: f64,
    pub lat: f64,
}

#[derive(Debug, Deserialize)]
struct ProfileFile {
    name: String,
    area: String,
    time_zone: String,
    phone: String,
    languages: Vec<String>,
    response_business_days: u8,
    corridor: String,
    hours: HoursFile,
    #[serde(default)]
    places: Vec<Place>,
    #[serde(default)]
    screening: ScreeningRules,
    #[serde(default)]
    outreach: OutreachRules,
    #[serde(default)]
    divertible_charges: Vec<Charge>,
    #[serde(default)]
    participants: ActivityRules,
    program_start: Date,
    population: Option<Population>,
}

#[derive(Debug, Deserialize)]
struct HoursFile {
    opens: Time,
    closes: Time,
    days: Vec<String>,
    #[serde(default)]
    holidays: Vec<Date>,
}

/// Everything leadhub knows about the site it serves.
#[derive(Debug, Clone)]
pub struct SiteProfile {
    pub name: String,
    pub area: String,
    pub phone: String,
    pub languages: Vec<Language>,
    pub response_business_days: u8,
    pub calendar: BusinessCalendar,
    pub corridor: Polygon,
    pub places: Vec<Place>,
    /// What a referral must show to fit the program.
    pub screening: ScreeningRules,
    /// When outreach has gone on long enough to suggest "unable to locate".
    pub outreach: OutreachRules,
    /// Charges an officer may divert instead of booking.
    pub divertible_charges: Vec<Charge>,
    /// When a participant counts as inactive.
    pub activity: ActivityRules,
    /// The first day the program took referrals: where every published period starts.
    pub program_start: Date,
    /// The area's population by race and ethnicity, for the equity figures.
    pub population: Option<Population>,
}

/// The population the equity figures are set beside: shares by group, with their source.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct Population {
    /// The area the figures describe (which may be larger than the corridor).
    pub area: String,
    /// Where the figures come from, as it should be cited.
    pub source: String,
    /// Whether someone has checked every figure against the source; until then the page says so.
    #[serde(default)]
    pub reviewed: bool,
    /// Percent of residents by equity group code; a group the source does not count is absent.
    pub percent: std::collections::BTreeMap<String, f64>,
}

impl Population {
    /// The share of `group`, when the source counts it.
    pub fn percent_of(&self, group: EquityGroup) -> Option<f64> {
        self.percent.get(group.code()).copied()
    }

    fn check(&self) -> Result<(), SiteError> {
        for (code, percent) in &self.percent {
            if code.parse::<EquityGroup>().is_err() || !(0.0..=100.0).contains(percent) {
                return Err(SiteError::Population(code.clone()));
            }
        }
        Ok(())
    }
}

impl SiteProfile {
    /// LEAD Minneapolis, compiled in.
    pub fn minneapolis() -> Result<Self, SiteError> {
        Self::parse(MINNEAPOLIS_TOML, MINNEAPOLIS_CORRIDOR)
    }

    /// A profile from a TOML file; its `corridor` path is relative to that file.
    pub fn load(path: &Path) -> Result<Self, SiteError> {
        let read = |p: &Path| {
            std::fs::read_to_string(p).map_err(|e| SiteError::Read {
                path: p.display().to_string(),
                message: e.to_string(),
            })
        };
        let toml_text = read(path)?;
        let file: ProfileFile = toml::from_str(&toml_text)?;
        let corridor_path = path.parent().unwrap_or(Path::new(".")).join(&file.corridor);
        Self::build(file, &read(&corridor_path)?)
    }

    pub fn parse(toml_text: &str, corridor_geojson: &str) -> Result<Self, SiteError> {
        Self::build(toml::from_str(toml_text)?, corridor_geojson)
    }

    fn build(file: ProfileFile, corridor_geojson: &str) -> Result<Self, SiteError> {
        let tz = TimeZone::get(&file.time_zone)
            .map_err(|_| SiteError::TimeZone(file.time_zone.clone()))?;
        let languages = file
            .languages
            .iter()
            .map(|l| {
                l.parse::<Language>()
                    .map_err(|_| SiteError::Language(l.clone()))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let days = file
            .hours
            .days
            .iter()
            .map(|d| parse_weekday(d))
            .collect::<Result<Vec<_>, _>>()?;
        let calendar = BusinessCalendar::new(
            tz,
            file.hours.opens,
            file.hours.closes,
            days,
            file.hours.holidays,
        )?;
        let corridor = Polygon::from_geojson(corridor_geojson)?;
        if let Some(population) = &file.population {
            population.check()?;
        }
        let mut seen = std::collections::HashSet::new();
        for place in &file.places {
            // Keys become parts of HTML ids and URLs.
            let key_ok = !place.key.is_empty()
                && place.key.len() <= 40
                && place
                    .key
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                && !matches!(place.key.as_str(), "hint" | "error");
            if !key_ok {
                return Err(SiteError::PlaceKey(place.key.clone()));
            }
            if !seen.insert(place.key.as_str()) {
                return Err(SiteError::DuplicatePlace(place.key.clone()));
            }
            if !corridor.contains(Point {
                lon: place.lon,
                lat: place.lat,
            }) {
                return Err(SiteError::PlaceOutside(place.key.clone()));
            }
        }
        Ok(Self {
            name: file.name,
            area: file.area,
            phone: file.phone,
            languages,
            response_business_days: file.response_business_days,
            calendar,
            corridor,
            places: file.places,
            screening: file.screening,
            outreach: file.outreach,
            divertible_charges: file.divertible_charges,
            activity: file.participants,
            program_start: file.program_start,
            population: file.population,
        })
    }

    pub fn divertible(&self, key: &str) -> Option<&Charge> {
        self.divertible_charges.iter().find(|c| c.key == key)
    }

    pub fn place(&self, key: &str) -> Option<&Place> {
        self.places.iter().find(|p| p.key == key)
    }

    /// A date and time typed on a form (`2026-12-01T14:05`, as a `datetime-local` field
    /// sends it), read on the site's wall clock.
    pub fn local_time(&self, raw: &str) -> Result<OffsetDateTime, FieldError> {
        let local: jiff::civil::DateTime = raw.trim().parse().map_err(|_| FieldError::Choice)?;
        let zoned = local
            .to_zoned(self.calendar.time_zone().clone())
            .map_err(|_| FieldError::Choice)?;
        Ok(to_offset_date_time(zoned.timestamp()))
    }

    /// Where someone was seen, from the three fields every staff form uses: `place` (a
    /// picker key, or empty), `place_other` (free text) and `point` ("lat,lon", from the
    /// phone's location or typed). Errors go to `errors` under those names.
    pub fn whereabouts(
        &self,
        place: &str,
        place_other: &str,
        point: &str,
        errors: &mut FormErrors,
    ) -> Option<Whereabouts> {
        let place = match place.trim() {
            "" => Some(None),
            key => match self.place(key) {
                Some(p) => Some(Some(p.key.clone())),
                None => {
                    errors.add("place", FieldError::Choice);
                    None
                }
            },
        };
        let other = errors.take(
            "place_other",
            text::optional(place_other, limits::DESCRIPTION),
        );
        let point = errors.take("point", parse_point(point));
        let (place, other, point) = (place?, other?, point?);
        // The site's places all lie in the corridor; a point is checked; free text cannot
        // be. Outside is allowed (people move), and flagged.
        let in_corridor = match (&place, point) {
            (_, Some(point)) => Some(self.corridor.contains(point)),
            (Some(_), None) => Some(true),
            (None, None) => None,
        };
        Some(Whereabouts {
            place,
            other,
            point,
            in_corridor,
        })
    }
}

/// Where someone was seen or met.
#[derive(Debug, Clone, PartialEq)]
pub struct Whereabouts {
    /// A site place key.
    pub place: Option<String>,
    /// As typed.
    pub other: Option<String>,
    pub point: Option<Point>,
    /// Whether it lies in the corridor; `None` when that cannot be told (free text only, or
    /// nothing given).
    pub in_corridor: Option<bool>,
}

impl Whereabouts {
    pub fn is_empty(&self) -> bool {
        self.place.is_none() && self.other.is_none() && self.point.is_none()
    }
}

/// "44.9483,-93.2624" (latitude first, as phones and maps show it); empty is none.
fn parse_point(raw: &str) -> Result<Option<Point>, FieldError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    let (lat, lon) = raw.split_once(',').ok_or(FieldError::Choice)?;
    let lat: f64 = lat.trim().parse().map_err(|_| FieldError::Choice)?;
    let lon: f64 = lon.trim().parse().map_err(|_| FieldError::Choice)?;
    if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
        return Err(FieldError::Choice);
    }
    Ok(Some(Point { lon, lat }))
}

/// When a participant counts as inactive (site profile `[participants]`). Inactive is a
/// description of contact, never an ending: the next contact makes them active again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub struct ActivityRules {
    /// Days without a contact after which a participant is inactive.
    pub inactive_after_days: u16,
}

impl Default for ActivityRules {
    fn default() -> Self {
        Self {
            inactive_after_days: 90,
        }
    }
}

fn parse_weekday(name: &str) -> Result<Weekday, SiteError> {
    Ok(match name.to_ascii_lowercase().as_str() {
        "monday" => Weekday::Monday,
        "tuesday" => Weekday::Tuesday,
        "wednesday" => Weekday::Wednesday,
        "thursday" => Weekday::Thursday,
        "friday" => Weekday::Friday,
        "saturday" => Weekday::Saturday,
        "sunday" => Weekday::Sunday,
        _ => return Err(SiteError::Weekday(name.to_owned())),
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn points_parse_or_explain() {
        assert_eq!(parse_point(""), Ok(None));
        assert_eq!(
            parse_point("44.9483, -93.2624"),
            Ok(Some(Point {
                lat: 44.9483,
                lon: -93.2624
            }))
        );
        assert_eq!(parse_point("east lake"), Err(FieldError::Choice));
        assert_eq!(parse_point("95, 10"), Err(FieldError::Choice));
    }

    use super::*;

    #[test]
    fn the_compiled_in_profile_is_valid() {
        let site = SiteProfile::minneapolis().unwrap();
        assert_eq!(site.name, "LEAD Minneapolis");
        assert_eq!(site.languages, Language::ALL.to_vec());
        assert_eq!(site.response_business_days, 1);
        assert!(site.places.len() >= 10);
        assert!(site.place("lake-chicago").is_some());
    }

    #[test]
    fn places_outside_the_corridor_are_refused() {
        let toml_text = MINNEAPOLIS_TOML.replace("lon = -93.2670", "lon = -93.3000");
        assert!(
            matches!(SiteProfile::parse(&toml_text, MINNEAPOLIS_CORRIDOR), Err(SiteError::PlaceOutside(k)) if k == "lake-4th")
        );
    }

    #[test]
    fn another_site_loads_from_its_own_files() {
        let dir = std::env::temp_dir().join(format!("leadhub-site-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let toml_text = MINNEAPOLIS_TOML
            .replace("name = \"LEAD Minneapolis\"", "name = \"LEAD Elsewhere\"")
            .replace(
                "corridor = \"minneapolis-corridor.geojson\"",
                "corridor = \"area.geojson\"",
            );
        std::fs::write(dir.join("elsewhere.toml"), toml_text).unwrap();
        std::fs::write(dir.join("area.geojson"), MINNEAPOLIS_CORRIDOR).unwrap();
        let site = SiteProfile::load(&dir.join("elsewhere.toml")).unwrap();
        assert_eq!(site.name, "LEAD Elsewhere");
        std::fs::remove_file(dir.join("area.geojson")).unwrap();
        let missing = SiteProfile::load(&dir.join("elsewhere.toml")).unwrap_err();
        assert!(missing.to_string().contains("area.geojson"), "{missing}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn place_keys_must_be_safe_in_ids() {
        for bad in ["Lake Chicago", "hint", "lake_chicago", ""] {
            let toml_text =
                MINNEAPOLIS_TOML.replace("key = \"lake-4th\"", &format!("key = \"{bad}\""));
            assert!(
                matches!(
                    SiteProfile::parse(&toml_text, MINNEAPOLIS_CORRIDOR),
                    Err(SiteError::PlaceKey(_))
                ),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn nicollet_is_west_of_the_corridor_and_lake_chicago_inside() {
        let site = SiteProfile::minneapolis().unwrap();
        assert!(!site.corridor.contains(Point {
            lon: -93.2780,
            lat: 44.9483
        }));
        assert!(site.corridor.contains(Point {
            lon: -93.2624,
            lat: 44.9483
        }));
    }
}
