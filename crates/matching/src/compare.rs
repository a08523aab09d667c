//! Comparing two records field by field. Each field gives a level (exact, a slip, …,
//! different) or nothing when either record lacks it; the model turns levels into
//! weights of evidence.

use crate::dates::{self, BirthLevel};
use crate::names::{self, Name, NameLevel};
use crate::record::{Place, Record};

/// The fields compared, in the order of a comparison vector.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    GivenName,
    FamilyName,
    Birth,
    Sex,
    IdNumber,
    Street,
    Zip,
    Height,
    Hair,
    Place,
}

pub const FIELD_COUNT: usize = 10;

impl Field {
    pub const ALL: [Field; FIELD_COUNT] = [
        Field::GivenName,
        Field::FamilyName,
        Field::Birth,
        Field::Sex,
        Field::IdNumber,
        Field::Street,
        Field::Zip,
        Field::Height,
        Field::Hair,
        Field::Place,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Field::GivenName => "given name",
            Field::FamilyName => "family name",
            Field::Birth => "date of birth",
            Field::Sex => "sex",
            Field::IdNumber => "ID number",
            Field::Street => "street",
            Field::Zip => "ZIP code",
            Field::Height => "height",
            Field::Hair => "hair",
            Field::Place => "places seen",
        }
    }

    /// A stable name for storing (as the CSV columns spell the fields).
    pub fn code(self) -> &'static str {
        match self {
            Field::GivenName => "first_name",
            Field::FamilyName => "last_name",
            Field::Birth => "dob",
            Field::Sex => "sex",
            Field::IdNumber => "id_number",
            Field::Street => "street",
            Field::Zip => "zip",
            Field::Height => "height_cm",
            Field::Hair => "hair",
            Field::Place => "place",
        }
    }

    pub fn from_code(code: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.code() == code)
    }

    /// What each level means, best first: level 1 is `levels()[0]`.
    pub fn levels(self) -> &'static [&'static str] {
        match self {
            Field::GivenName | Field::FamilyName => &[
                "the same",
                "a known variant or other name",
                "spelled closely",
                "similar or sounds alike",
                "different",
            ],
            Field::Birth => &[
                "the same",
                "one slip apart (swapped or mistyped)",
                "the same as far as both go",
                "within a year",
                "different",
            ],
            Field::Sex | Field::Hair => &["the same", "different"],
            Field::IdNumber | Field::Zip => &["the same", "one character apart", "different"],
            Field::Street => &[
                "the same",
                "the same street",
                "spelled closely",
                "different",
            ],
            Field::Height => &["within 5 cm", "within 10 cm", "different"],
            Field::Place => &["a place in common", "places that overlap", "different"],
        }
    }

    /// Whether agreement on a rare value counts for more than on a common one.
    pub fn has_term_frequencies(self) -> bool {
        matches!(
            self,
            Field::GivenName | Field::FamilyName | Field::Street | Field::Zip | Field::Place
        )
    }

    pub fn index(self) -> usize {
        self as usize
    }
}

/// The levels of one pair, and for the fields with term frequencies the first record's
/// value that was compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Comparison<'a> {
    /// 0 when either record lacks the field, else 1 (best) to the field's level count.
    pub levels: [u8; FIELD_COUNT],
    /// For the fields with term frequencies, the first record's value that was compared,
    /// whatever the level: at level 1 the value agreed on, below it what a lookup caps a
    /// near miss by.
    pub first_value: [Option<&'a str>; FIELD_COUNT],
    /// Given and family names matched across (one record's given name is the other's
    /// family name).
    pub names_swapped: bool,
}

impl<'a> Comparison<'a> {
    /// The value both records have exactly in `field`, if it has term frequencies.
    pub fn agreed(&self, field: Field) -> Option<&'a str> {
        let i = field.index();
        self.first_value[i].filter(|_| self.levels[i] == 1)
    }

    /// The levels packed four bits a field, for counting patterns.
    pub fn pattern(&self) -> u64 {
        self.levels
            .iter()
            .enumerate()
            .fold(0u64, |acc, (i, &l)| acc | (u64::from(l) << (4 * i)))
    }
}

/// Unpacks [`Comparison::pattern`].
pub fn unpack(pattern: u64) -> [u8; FIELD_COUNT] {
    let mut levels = [0u8; FIELD_COUNT];
    for (i, level) in levels.iter_mut().enumerate() {
        // Masked to four bits, so it fits a u8.
        *level = ((pattern >> (4 * i)) & 0xf) as u8;
    }
    levels
}

/// Compares two records. Symmetric in its levels.
pub fn compare<'a>(a: &'a Record, b: &'a Record) -> Comparison<'a> {
    let mut out = Comparison {
        levels: [0; FIELD_COUNT],
        first_value: [None; FIELD_COUNT],
        names_swapped: false,
    };
    compare_names(a, b, &mut out);
    if let (Some(x), Some(y)) = (a.birth, b.birth) {
        out.levels[Field::Birth.index()] = birth_level(dates::compare(x, y));
    }
    if let (Some(x), Some(y)) = (a.sex, b.sex) {
        out.levels[Field::Sex.index()] = if x == y { 1 } else { 2 };
    }
    if let (Some(x), Some(y)) = (&a.id_number, &b.id_number) {
        out.levels[Field::IdNumber.index()] = code_level(x, y);
    }
    if let (Some(x), Some(y)) = (&a.street, &b.street) {
        let level = street_level(x, y);
        out.levels[Field::Street.index()] = level;
        out.first_value[Field::Street.index()] = Some(&x.folded);
    }
    if let (Some(x), Some(y)) = (&a.zip, &b.zip) {
        let level = code_level(x, y);
        out.levels[Field::Zip.index()] = level;
        out.first_value[Field::Zip.index()] = Some(x);
    }
    if let (Some(x), Some(y)) = (a.height_cm, b.height_cm) {
        out.levels[Field::Height.index()] = match x.abs_diff(y) {
            0..=5 => 1,
            6..=10 => 2,
            _ => 3,
        };
    }
    if let (Some(x), Some(y)) = (&a.hair, &b.hair) {
        let same = x == y || x.split(' ').any(|w| y.split(' ').any(|v| v == w));
        out.levels[Field::Hair.index()] = if same { 1 } else { 2 };
    }
    if !a.places.is_empty() && !b.places.is_empty() {
        let (level, place) = place_level(&a.places, &b.places);
        out.levels[Field::Place.index()] = level;
        out.first_value[Field::Place.index()] = place;
    }
    out
}

fn name_level(level: NameLevel) -> u8 {
    match level {
        NameLevel::Exact => 1,
        NameLevel::Variant => 2,
        NameLevel::Close => 3,
        NameLevel::Similar => 4,
        NameLevel::Different => 5,
    }
}

fn birth_level(level: BirthLevel) -> u8 {
    match level {
        BirthLevel::Exact => 1,
        BirthLevel::Slip => 2,
        BirthLevel::Consistent => 3,
        BirthLevel::Near => 4,
        BirthLevel::Different => 5,
    }
}

fn compare_optional(a: Option<&Name>, b: Option<&Name>) -> Option<NameLevel> {
    Some(names::compare(a?, b?))
}

/// Given and family names, straight or across (whichever agrees better; across, the
/// better-agreeing pair counts as the given name so that the comparison stays symmetric),
/// then raised to "a known variant" when a given name is one of the other record's middle
/// names or aliases (or the two share an alias), or a family name is the other's middle
/// name: a patronymic recorded in another position, a street name.
fn compare_names<'a>(a: &'a Record, b: &'a Record, out: &mut Comparison<'a>) {
    let (a_first, a_last) = (a.first_name.as_ref(), a.last_name.as_ref());
    let (b_first, b_last) = (b.first_name.as_ref(), b.last_name.as_ref());
    let straight = (
        compare_optional(a_first, b_first),
        compare_optional(a_last, b_last),
    );
    let across = (
        compare_optional(a_first, b_last),
        compare_optional(a_last, b_first),
    );
    let rank = |pair: (Option<NameLevel>, Option<NameLevel>)| -> u8 {
        pair.0.map_or(0, |l| 5 - name_level(l)) + pair.1.map_or(0, |l| 5 - name_level(l))
    };
    let swapped = across.0.is_some() && across.1.is_some() && rank(across) > rank(straight);
    out.names_swapped = swapped;
    let (mut given, mut family, given_value, family_value) = match (swapped, across) {
        (true, (Some(x), Some(y))) if y > x => (Some(y), Some(x), a_last, a_first),
        (true, (x, y)) => (x, y, a_first, a_last),
        (false, _) => (straight.0, straight.1, a_first, a_last),
    };
    if given.is_none_or(|l| l < NameLevel::Variant)
        && (given_in(a_first, b)
            || given_in(b_first, a)
            || a.aliases
                .iter()
                .any(|x| b.aliases.iter().any(|y| is_same_name(x, y))))
    {
        given = Some(NameLevel::Variant);
    }
    if family.is_some_and(|l| l < NameLevel::Variant)
        && (matches_middle(a_last, b) || matches_middle(b_last, a))
    {
        family = Some(NameLevel::Variant);
    }
    if let Some(level) = given {
        out.levels[Field::GivenName.index()] = name_level(level);
        out.first_value[Field::GivenName.index()] = given_value.map(|n| &*n.folded);
    }
    if let Some(level) = family {
        out.levels[Field::FamilyName.index()] = name_level(level);
        out.first_value[Field::FamilyName.index()] = family_value.map(|n| &*n.folded);
    }
}

fn is_same_name(a: &Name, b: &Name) -> bool {
    names::compare(a, b) >= NameLevel::Variant
}

/// `given` is an alias or the middle name of `other`.
fn given_in(given: Option<&Name>, other: &Record) -> bool {
    given.is_some_and(|g| {
        other
            .aliases
            .iter()
            .chain(other.middle_name.as_ref())
            .any(|o| is_same_name(g, o))
    })
}

fn matches_middle(family: Option<&Name>, other: &Record) -> bool {
    match (family, &other.middle_name) {
        (Some(f), Some(m)) => is_same_name(f, m),
        _ => false,
    }
}

/// Exact, one edit (a typo or two characters swapped), or different.
fn code_level(a: &str, b: &str) -> u8 {
    if a == b {
        1
    } else if crate::similarity::within_one_edit(a.as_bytes(), b.as_bytes()) {
        2
    } else {
        3
    }
}

fn street_level(a: &Place, b: &Place) -> u8 {
    if a.folded == b.folded {
        1
    } else if a.same_words(b) {
        2
    } else if a.same_numbers(b) && crate::similarity::jaro_winkler(&a.folded, &b.folded) >= 0.9 {
        3
    } else {
        4
    }
}

/// A place in common (the same words), places that share at least half their words, or
/// different; with the first record's place that agreed or overlapped.
fn place_level<'a>(a: &'a [Place], b: &'a [Place]) -> (u8, Option<&'a str>) {
    let mut best: (u8, Option<&'a str>) = (3, None);
    for x in a {
        for y in b {
            if x.folded == y.folded || x.same_words(y) {
                return (1, Some(&x.folded));
            }
            if best.0 == 3 && x.overlap(y) >= 0.5 {
                best = (2, Some(&x.folded));
            }
        }
    }
    best
}
