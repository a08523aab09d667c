//! Blocking: which pairs are worth comparing. A pair is a candidate when the two records
//! share at least one key. The keys are chosen so that a true match almost always shares
//! one even with a typo, a nickname, a missing date or a move: the ID number, the whole
//! date of birth, given and family names by sound or variant (in either order), a name by
//! sound with the birth year (or the years an age allows), the ZIP code with both
//! initials, the street, and for description-only records a place seen with sex and hair
//! (pairs of two named records are not made from that key: their names say more).

use crate::dates::Birth;
use crate::names::Name;
use crate::record::Record;

/// The rules keys come from; a key carries its rule in its top four bits, so the keys of
/// one rule are together in a sorted list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Rule {
    IdNumber = 1,
    DateOfBirth = 2,
    Names = 3,
    FamilyNameAndYear = 4,
    GivenNameAndYear = 5,
    ZipAndInitials = 6,
    Street = 7,
    PlaceAndLooks = 8,
}

impl Rule {
    pub const ALL: [Rule; 8] = [
        Rule::IdNumber,
        Rule::DateOfBirth,
        Rule::Names,
        Rule::FamilyNameAndYear,
        Rule::GivenNameAndYear,
        Rule::ZipAndInitials,
        Rule::Street,
        Rule::PlaceAndLooks,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Rule::IdNumber => "ID number",
            Rule::DateOfBirth => "date of birth",
            Rule::Names => "given and family name",
            Rule::FamilyNameAndYear => "family name and birth year",
            Rule::GivenNameAndYear => "given name and birth year",
            Rule::ZipAndInitials => "ZIP code and initials",
            Rule::Street => "street",
            Rule::PlaceAndLooks => "place, sex and hair",
        }
    }

    /// The largest block a key of this rule may make: the weak rules (ZIP code and
    /// initials, a place and looks) a fifth of `max_block`, since a big block of theirs
    /// holds mostly strangers.
    pub fn cap(key: u64, max_block: usize) -> usize {
        if key >> 60 == Rule::ZipAndInitials as u64 || key >> 60 == Rule::PlaceAndLooks as u64 {
            max_block / 5
        } else {
            max_block
        }
    }

    /// The rule a key comes from.
    pub fn of(key: u64) -> u64 {
        key >> 60
    }

    /// The range of keys of this rule.
    pub fn keys(self) -> std::ops::Range<u64> {
        let rule = self as u64;
        (rule << 60)..((rule + 1) << 60)
    }
}

/// FNV-1a, for keys that must be the same on every run and every machine.
#[derive(Debug, Clone, Copy)]
struct Key(u64, Rule);

impl Key {
    fn new(rule: Rule) -> Key {
        Key(0xcbf2_9ce4_8422_2325, rule).byte(rule as u8)
    }

    fn done(self) -> u64 {
        (self.0 >> 4) | ((self.1 as u64) << 60)
    }

    fn byte(self, b: u8) -> Key {
        Key(
            (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3),
            self.1,
        )
    }

    fn bytes(self, bytes: &[u8]) -> Key {
        // A separator keeps ("ab", "c") and ("a", "bc") apart.
        bytes.iter().fold(self, |k, &b| k.byte(b)).byte(0xff)
    }

    fn number(self, n: u64) -> Key {
        self.bytes(&n.to_le_bytes())
    }
}

/// Ids standing for a name token in blocking: its sound and its variant groups, so that
/// "Bill" and "William" share one.
fn token_ids(name: &Name, first_only: bool, out: &mut Vec<u64>) {
    let tokens = if first_only {
        &name.tokens[..name.tokens.len().min(1)]
    } else {
        &name.tokens[..name.tokens.len().min(3)]
    };
    for token in tokens {
        if token.sound() != 0 {
            out.push(u64::from(token.sound()));
        }
        out.extend(token.groups().iter().map(|&g| (1 << 40) | u64::from(g)));
    }
}

fn birth_years(birth: Option<Birth>) -> impl Iterator<Item = u16> {
    let (from, to) = match birth {
        Some(Birth::Date(d)) => (d.year(), d.year()),
        Some(Birth::Around { earliest, latest }) => (earliest, latest),
        None => (1, 0),
    };
    from..=to
}

/// Every blocking key of `record`, sorted and without repeats, appended to `out`.
pub fn keys(record: &Record, out: &mut Vec<u64>) {
    let start = out.len();
    if let Some(id) = &record.id_number {
        out.push(Key::new(Rule::IdNumber).bytes(id.as_bytes()).done());
    }
    if let Some(Birth::Date(d)) = record.birth
        && let Some((y, m, day)) = d.full()
    {
        out.push(
            Key::new(Rule::DateOfBirth)
                .number(u64::from(y))
                .byte(m)
                .byte(day)
                .done(),
        );
    }
    let mut given = Vec::new();
    for name in record.first_name.iter().chain(&record.aliases) {
        token_ids(name, true, &mut given);
    }
    let mut family = Vec::new();
    for name in record.last_name.iter().chain(&record.middle_name) {
        token_ids(name, false, &mut family);
    }
    for &g in &given {
        for &f in &family {
            out.push(
                Key::new(Rule::Names)
                    .number(g.min(f))
                    .number(g.max(f))
                    .done(),
            );
        }
    }
    for year in birth_years(record.birth) {
        for &f in &family {
            out.push(
                Key::new(Rule::FamilyNameAndYear)
                    .number(f)
                    .number(u64::from(year))
                    .done(),
            );
        }
        for &g in &given {
            out.push(
                Key::new(Rule::GivenNameAndYear)
                    .number(g)
                    .number(u64::from(year))
                    .done(),
            );
        }
    }
    if let (Some(zip), Some(first), Some(last)) =
        (&record.zip, &record.first_name, &record.last_name)
        && let (Some(g), Some(f)) = (first.folded.bytes().next(), last.folded.bytes().next())
    {
        out.push(
            Key::new(Rule::ZipAndInitials)
                .bytes(zip.as_bytes())
                .byte(g.min(f))
                .byte(g.max(f))
                .done(),
        );
    }
    if let Some(street) = &record.street {
        out.push(
            Key::new(Rule::Street)
                .bytes(street.folded.as_bytes())
                .done(),
        );
    }
    // Description-only records meet each other, and named records described the same
    // way, at a place seen.
    if !record.has_name() || record.hair.is_some() {
        let sex = record.sex.map_or(0, |s| s as u8 + 1);
        let hair = record.hair.as_deref().unwrap_or("");
        for place in &record.places {
            let words = place.words().join(" ");
            out.push(
                Key::new(Rule::PlaceAndLooks)
                    .bytes(words.as_bytes())
                    .byte(sex)
                    .bytes(hair.as_bytes())
                    .done(),
            );
        }
    }
    out[start..].sort_unstable();
    let mut unique = start;
    for i in start..out.len() {
        if unique == start || out[unique - 1] != out[i] {
            out[unique] = out[i];
            unique += 1;
        }
    }
    out.truncate(unique);
}

/// The rules of the keys two sorted key lists share, as bits (bit r for rule r).
pub fn shared_rules(a: &[u64], b: &[u64]) -> u32 {
    let (mut i, mut j, mut rules) = (0, 0, 0u32);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                rules |= 1 << Rule::of(a[i]);
                i += 1;
                j += 1;
            }
        }
    }
    rules
}

/// The smallest key two sorted key lists share.
pub fn first_shared(a: &[u64], b: &[u64]) -> Option<u64> {
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => return Some(a[i]),
        }
    }
    None
}
