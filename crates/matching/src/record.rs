//! A record about a person, as the engine compares it: every field optional but the id,
//! every field parsed once.

use crate::dates::{Birth, NotADate, PartialDate};
use crate::names::Name;
use crate::text::{self, fold};

/// The fields a record may carry, by their column names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Column {
    Id,
    FirstName,
    MiddleName,
    LastName,
    Aliases,
    Dob,
    Age,
    Sex,
    Street,
    Zip,
    IdNumber,
    HeightCm,
    Hair,
    Place,
}

impl Column {
    pub const ALL: [Column; 14] = [
        Column::Id,
        Column::FirstName,
        Column::MiddleName,
        Column::LastName,
        Column::Aliases,
        Column::Dob,
        Column::Age,
        Column::Sex,
        Column::Street,
        Column::Zip,
        Column::IdNumber,
        Column::HeightCm,
        Column::Hair,
        Column::Place,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Column::Id => "id",
            Column::FirstName => "first_name",
            Column::MiddleName => "middle_name",
            Column::LastName => "last_name",
            Column::Aliases => "aliases",
            Column::Dob => "dob",
            Column::Age => "age",
            Column::Sex => "sex",
            Column::Street => "street",
            Column::Zip => "zip",
            Column::IdNumber => "id_number",
            Column::HeightCm => "height_cm",
            Column::Hair => "hair",
            Column::Place => "place",
        }
    }

    pub fn from_name(name: &str) -> Option<Column> {
        Column::ALL.into_iter().find(|c| c.name() == name)
    }
}

/// A field that could not be read, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FieldError {
    #[error("is empty; every record needs an id")]
    MissingId,
    #[error("is longer than {max} characters")]
    TooLong { max: usize },
    #[error("{0}")]
    Date(#[from] NotADate),
    #[error("is not an age in years (a whole number from 0 to 120)")]
    Age,
    #[error("is not a sex this reads (m, f or x; male, female, man, woman, nonbinary…)")]
    Sex,
    #[error("is not a height in centimetres (a number from 50 to 250)")]
    Height,
}

/// Longest field accepted, in characters: far beyond any name or address.
pub const MAX_FIELD: usize = 1_000;

/// Sex as recorded or as someone described it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Sex {
    Female,
    Male,
    /// Non-binary, another gender, or described as neither.
    Other,
}

impl Sex {
    pub fn parse(raw: &str) -> Result<Sex, FieldError> {
        match fold(raw).as_str() {
            "f" | "female" | "woman" | "girl" | "w" | "mujer" | "femenino" | "trans woman" => {
                Ok(Sex::Female)
            }
            "m" | "male" | "man" | "boy" | "hombre" | "masculino" | "trans man" => Ok(Sex::Male),
            "x" | "o" | "other" | "nonbinary" | "non binary" | "nb" | "two spirit" => {
                Ok(Sex::Other)
            }
            _ => Err(FieldError::Sex),
        }
    }
}

/// Words that say nothing about which place or street is meant.
const PLACE_NOISE: &[&str] = &[
    "and",
    "at",
    "the",
    "by",
    "near",
    "of",
    "on",
    "in",
    "street",
    "st",
    "avenue",
    "ave",
    "av",
    "road",
    "rd",
    "boulevard",
    "blvd",
    "drive",
    "dr",
    "lane",
    "ln",
    "place",
    "pl",
    "court",
    "ct",
    "north",
    "south",
    "east",
    "west",
    "n",
    "s",
    "e",
    "w",
    "se",
    "sw",
    "ne",
    "nw",
];

/// A street address or a place someone was seen: folded, with its meaningful words.
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    pub folded: Box<str>,
    /// Words other than numbers and [`PLACE_NOISE`], sorted and unique.
    words: Box<[Box<str>]>,
    /// The numbers in it (a house number), sorted.
    numbers: Box<[Box<str>]>,
}

impl Place {
    pub fn parse(raw: &str) -> Option<Place> {
        let folded = fold(raw);
        if folded.is_empty() {
            return None;
        }
        let mut words: Vec<Box<str>> = Vec::new();
        let mut numbers: Vec<Box<str>> = Vec::new();
        for token in text::tokens(&folded) {
            if token.bytes().all(|b| b.is_ascii_digit()) {
                numbers.push(token.into());
            } else if !PLACE_NOISE.contains(&token) {
                words.push(token.into());
            }
        }
        words.sort();
        words.dedup();
        numbers.sort();
        Some(Place {
            folded: folded.into(),
            words: words.into(),
            numbers: numbers.into(),
        })
    }

    pub fn words(&self) -> &[Box<str>] {
        &self.words
    }

    pub fn same_words(&self, other: &Place) -> bool {
        !self.words.is_empty() && self.words == other.words
    }

    pub fn same_numbers(&self, other: &Place) -> bool {
        self.numbers == other.numbers
    }

    /// The share of the smaller set of words found in the other.
    pub fn overlap(&self, other: &Place) -> f64 {
        let (small, large) = if self.words.len() <= other.words.len() {
            (&self.words, &other.words)
        } else {
            (&other.words, &self.words)
        };
        if small.is_empty() {
            return 0.0;
        }
        let shared = small
            .iter()
            .filter(|w| large.binary_search(w).is_ok())
            .count();
        shared as f64 / small.len() as f64
    }
}

/// A record's fields as read, before parsing: what a CSV row or a form gives.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawRecord {
    pub id: String,
    pub first_name: String,
    pub middle_name: String,
    pub last_name: String,
    /// Other names, separated by `;`.
    pub aliases: String,
    pub dob: String,
    pub age: String,
    pub sex: String,
    pub street: String,
    pub zip: String,
    pub id_number: String,
    pub height_cm: String,
    pub hair: String,
    /// Places seen, separated by `;`.
    pub place: String,
}

impl RawRecord {
    pub fn field_mut(&mut self, column: Column) -> &mut String {
        match column {
            Column::Id => &mut self.id,
            Column::FirstName => &mut self.first_name,
            Column::MiddleName => &mut self.middle_name,
            Column::LastName => &mut self.last_name,
            Column::Aliases => &mut self.aliases,
            Column::Dob => &mut self.dob,
            Column::Age => &mut self.age,
            Column::Sex => &mut self.sex,
            Column::Street => &mut self.street,
            Column::Zip => &mut self.zip,
            Column::IdNumber => &mut self.id_number,
            Column::HeightCm => &mut self.height_cm,
            Column::Hair => &mut self.hair,
            Column::Place => &mut self.place,
        }
    }

    fn field(&self, column: Column) -> &str {
        match column {
            Column::Id => &self.id,
            Column::FirstName => &self.first_name,
            Column::MiddleName => &self.middle_name,
            Column::LastName => &self.last_name,
            Column::Aliases => &self.aliases,
            Column::Dob => &self.dob,
            Column::Age => &self.age,
            Column::Sex => &self.sex,
            Column::Street => &self.street,
            Column::Zip => &self.zip,
            Column::IdNumber => &self.id_number,
            Column::HeightCm => &self.height_cm,
            Column::Hair => &self.hair,
            Column::Place => &self.place,
        }
    }
}

/// A record ready to compare.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    pub id: Box<str>,
    pub first_name: Option<Name>,
    pub middle_name: Option<Name>,
    pub last_name: Option<Name>,
    pub aliases: Vec<Name>,
    pub birth: Option<Birth>,
    pub sex: Option<Sex>,
    pub street: Option<Place>,
    /// Folded, letters and digits only.
    pub zip: Option<Box<str>>,
    /// Letters and digits only, upper case kept out: "123-45-6789" is "123456789".
    pub id_number: Option<Box<str>>,
    pub height_cm: Option<u16>,
    /// Folded colour words, "gray" spelled "grey" and "blonde" "blond".
    pub hair: Option<Box<str>>,
    pub places: Vec<Place>,
}

impl Record {
    /// Parses every field; an age is read against `as_of_year`. The error names the
    /// first column that could not be read.
    pub fn parse(raw: &RawRecord, as_of_year: u16) -> Result<Record, (Column, FieldError)> {
        for column in Column::ALL {
            if raw.field(column).chars().count() > MAX_FIELD {
                return Err((column, FieldError::TooLong { max: MAX_FIELD }));
            }
        }
        let id = raw.id.trim();
        if id.is_empty() {
            return Err((Column::Id, FieldError::MissingId));
        }
        let birth = parse_birth(raw, as_of_year)?;
        let sex = optional(&raw.sex)
            .map(Sex::parse)
            .transpose()
            .map_err(|e| (Column::Sex, e))?;
        let height_cm = optional(&raw.height_cm)
            .map(parse_height)
            .transpose()
            .map_err(|e| (Column::HeightCm, e))?;
        Ok(Record {
            id: id.into(),
            first_name: Name::parse(&raw.first_name),
            middle_name: Name::parse(&raw.middle_name),
            last_name: Name::parse(&raw.last_name),
            aliases: raw.aliases.split(';').filter_map(Name::parse).collect(),
            birth,
            sex,
            street: Place::parse(&raw.street),
            zip: compact(&raw.zip),
            id_number: compact(&raw.id_number),
            height_cm,
            hair: hair(&raw.hair),
            places: raw.place.split(';').filter_map(Place::parse).collect(),
        })
    }

    /// Like [`Record::parse`], but a field that cannot be read is left out instead of
    /// refusing the record (for records already stored, where a free-text gender or an old
    /// value must not hide the person). The id is taken as it is, even empty.
    pub fn parse_lenient(raw: &RawRecord, as_of_year: u16) -> Record {
        let mut raw = raw.clone();
        if raw.id.trim().is_empty() {
            raw.id = "-".into();
        }
        loop {
            match Record::parse(&raw, as_of_year) {
                Ok(record) => return record,
                // Only a field with text in it is refused, and each refusal empties one
                // (the id is not empty), so this ends.
                Err((column, _)) => raw.field_mut(column).clear(),
            }
        }
    }

    /// Whether the record names the person at all (or only describes them).
    pub fn has_name(&self) -> bool {
        self.first_name.is_some() || self.last_name.is_some() || !self.aliases.is_empty()
    }
}

fn optional(raw: &str) -> Option<&str> {
    let trimmed = raw.trim();
    (!trimmed.is_empty()).then_some(trimmed)
}

fn parse_birth(raw: &RawRecord, as_of_year: u16) -> Result<Option<Birth>, (Column, FieldError)> {
    if let Some(dob) = optional(&raw.dob) {
        let date = PartialDate::parse(dob).map_err(|e| (Column::Dob, e.into()))?;
        return Ok(Some(Birth::Date(date)));
    }
    let Some(age) = optional(&raw.age) else {
        return Ok(None);
    };
    let age: u16 = age.parse().map_err(|_| (Column::Age, FieldError::Age))?;
    if age > 120 {
        return Err((Column::Age, FieldError::Age));
    }
    Ok(Some(Birth::from_age(age, as_of_year)))
}

fn parse_height(raw: &str) -> Result<u16, FieldError> {
    let value: f64 = raw.parse().map_err(|_| FieldError::Height)?;
    if !(50.0..=250.0).contains(&value) {
        return Err(FieldError::Height);
    }
    // In 50..=250, so the rounded value fits a u16.
    Ok(value.round() as u16)
}

fn compact(raw: &str) -> Option<Box<str>> {
    let kept: String = fold(raw)
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect();
    (!kept.is_empty()).then(|| kept.into())
}

fn hair(raw: &str) -> Option<Box<str>> {
    let folded = fold(raw);
    let words: Vec<&str> = text::tokens(&folded)
        .filter(|w| !matches!(*w, "hair" | "and" | "with" | "colored" | "coloured"))
        .map(|w| match w {
            "gray" | "silver" | "white" => "grey",
            "blonde" | "fair" => "blond",
            "dark" => "black",
            "ginger" | "auburn" => "red",
            "brunette" => "brown",
            other => other,
        })
        .collect();
    (!words.is_empty()).then(|| words.join(" ").into())
}
