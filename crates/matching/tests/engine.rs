//! The engine's properties: comparators are symmetric, scores are probabilities, batches are
//! deterministic and independent of row order, EM recovers a known mixture, and the CSV
//! reader refuses bad files with the line and column.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::needless_range_loop
)]

use std::collections::HashMap;

use leadhub_matching::compare::{Field, compare};
use leadhub_matching::input::{self, ColumnMap, InputError};
use leadhub_matching::model::{Frequencies, Limits, Model, probability};
use leadhub_matching::{Options, RawRecord, Record, dedupe, link, synth};
use proptest::prelude::*;

fn synthetic(count: usize, seed: u64) -> Vec<Record> {
    let mut csv = Vec::new();
    synth::generate(count, seed, &mut csv).unwrap();
    let map = ColumnMap::parse("true_id=").unwrap();
    input::read(&csv[..], &map, synth::AGES_AS_OF).unwrap()
}

fn truth(count: usize, seed: u64) -> HashMap<String, String> {
    let mut csv = Vec::new();
    synth::generate(count, seed, &mut csv).unwrap();
    let mut reader = csv::Reader::from_reader(&csv[..]);
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            (r[0].to_owned(), r[14].to_owned())
        })
        .collect()
}

fn raw(fields: &[(&str, &str)]) -> RawRecord {
    let mut raw = RawRecord::default();
    for (column, value) in fields {
        let column = leadhub_matching::Column::from_name(column).unwrap();
        raw.field_mut(column).push_str(value);
    }
    raw
}

fn record(fields: &[(&str, &str)]) -> Record {
    Record::parse(&raw(fields), 2026).unwrap()
}

const NAMES: &[&str] = &[
    "Maxamed",
    "Mohamed",
    "Cabdi",
    "Abdi",
    "Xyooj",
    "Xiong",
    "Vang",
    "José",
    "Pepe",
    "García López",
    "Garcia",
    "Beaulieu",
    "Nguyen",
    "",
    "Bill",
    "William",
    "Fadumo",
    "Faadumo",
    "Abdi Hassan",
];

fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        proptest::sample::select(NAMES).prop_map(str::to_owned),
        "[A-Za-zÀ-ÿ' -]{0,14}",
    ]
}

fn date() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        (1950u16..2006, 1u8..=12, 1u8..=28).prop_map(|(y, m, d)| format!("{y}-{m:02}-{d:02}")),
        (1950u16..2006, 1u8..=12).prop_map(|(y, m)| format!("{y}-{m:02}")),
        (1950u16..2006).prop_map(|y| y.to_string()),
    ]
}

fn any_record() -> impl Strategy<Value = Record> {
    (
        (name(), name(), name(), name()),
        (date(), proptest::option::of(15u16..90)),
        proptest::sample::select(&["", "m", "f", "x"][..]),
        (
            "[0-9]{0,4}",
            "[0-9]{0,9}",
            proptest::option::of(150u16..200),
        ),
        proptest::sample::select(&["", "grey", "black hair", "gray"][..]),
        proptest::sample::select(
            &[
                "",
                "Lake & Chicago",
                "Lake and Chicago bus shelter",
                "Powderhorn Park",
            ][..],
        ),
    )
        .prop_map(
            |((first, middle, last, alias), (dob, age), sex, (zip, id, height), hair, place)| {
                let age = if dob.is_empty() {
                    age.map(|a| a.to_string()).unwrap_or_default()
                } else {
                    String::new()
                };
                let height = height.map(|h| h.to_string()).unwrap_or_default();
                record(&[
                    ("id", "x"),
                    ("first_name", &first),
                    ("middle_name", &middle),
                    ("last_name", &last),
                    ("aliases", &alias),
                    ("dob", &dob),
                    ("age", &age),
                    ("sex", sex),
                    ("zip", &zip),
                    ("id_number", &id),
                    ("height_cm", &height),
                    ("hair", hair),
                    ("place", place),
                    ("street", &zip),
                ])
            },
        )
}

proptest! {
    #[test]
    fn comparison_is_symmetric(a in any_record(), b in any_record()) {
        prop_assert_eq!(compare(&a, &b).levels, compare(&b, &a).levels);
    }

    #[test]
    fn a_record_is_its_own_best_match(a in any_record()) {
        let c = compare(&a, &a);
        for (field, &level) in Field::ALL.iter().zip(&c.levels) {
            // A date known to the month or year is "the same as far as both go" (3), an
            // age guess only "within a year" (4) of itself.
            // Known only by aliases, a record's given name is "a known variant" (2).
            let best = match field {
                Field::Birth => 4,
                Field::GivenName => 2,
                _ => 1,
            };
            prop_assert!(level <= best, "{} level {level}", field.name());
        }
    }

    #[test]
    fn scores_are_probabilities_explained_by_their_contributions(a in any_record(), b in any_record()) {
        let records = [a, b];
        let frequencies = Frequencies::of(&records);
        let model = Model::starting(leadhub_matching::model::population_u(Vec::new(), &frequencies));
        let score = model.score(&compare(&records[0], &records[1]), &frequencies);
        prop_assert!((0.0..=1.0).contains(&score.probability));
        let total: f64 = score.prior_weight + score.contributions.iter().map(|c| c.weight).sum::<f64>();
        prop_assert!((total - score.weight).abs() < 1e-9);
        prop_assert!((probability(score.weight) - score.probability).abs() < 1e-12);
    }
}

#[test]
fn em_recovers_a_known_mixture() {
    // Three fields with known m, u and prior; the expected count of every pattern.
    let m: [[f64; 3]; 3] = [[0.9, 0.07, 0.03], [0.85, 0.1, 0.05], [0.8, 0.15, 0.05]];
    let u = [[0.01, 0.09, 0.9], [0.02, 0.08, 0.9], [0.05, 0.15, 0.8]];
    let prior: f64 = 0.1;
    let fields = [Field::GivenName, Field::IdNumber, Field::Zip];
    let levels_of = |f: usize, l: usize| -> u8 {
        // Map onto each field's own level numbers: best, middle, worst.
        let count = fields[f].levels().len();
        [1, 2, count][l] as u8
    };
    let mut patterns = HashMap::new();
    for a in 0..3 {
        for b in 0..3 {
            for c in 0..3 {
                let pm = prior * m[0][a] * m[1][b] * m[2][c];
                let pu = (1.0 - prior) * u[0][a] * u[1][b] * u[2][c];
                let mut pattern = 0u64;
                for (f, l) in [(0, a), (1, b), (2, c)] {
                    pattern |= u64::from(levels_of(f, l)) << (4 * fields[f].index());
                }
                patterns.insert(pattern, ((pm + pu) * 1e9).round() as u64);
            }
        }
    }
    let mut start_u = [[0.0; 5]; 10];
    for (f, field) in fields.iter().enumerate() {
        for l in 0..3 {
            start_u[field.index()][usize::from(levels_of(f, l)) - 1] = u[f][l];
        }
    }
    let session = Model::starting(start_u).session(
        &patterns,
        &[],
        Limits {
            max_iterations: 1000,
            tolerance: 1e-12,
        },
    );
    for (f, field) in fields.iter().enumerate() {
        for l in 0..3 {
            let got = session.m[field.index()][usize::from(levels_of(f, l)) - 1];
            assert!(
                (got - m[f][l]).abs() < 1e-4,
                "{} level {l}: m {got} not {}",
                field.name(),
                m[f][l]
            );
        }
    }
    assert!((session.expected_matches / 1e9 - prior).abs() < 1e-4);
}

#[test]
fn dedupe_is_deterministic_and_independent_of_row_order() {
    let records = synthetic(3000, 7);
    let options = Options {
        threshold: 0.2,
        ..Options::default()
    };
    let pairs = |records: &[Record]| -> Vec<(String, String, String)> {
        let linkage = dedupe(records, &options);
        linkage
            .pairs
            .iter()
            .map(|p| {
                (
                    records[p.left as usize].id.to_string(),
                    records[p.right as usize].id.to_string(),
                    format!("{:.9}", p.probability),
                )
            })
            .collect()
    };
    let first = pairs(&records);
    assert!(!first.is_empty());
    assert_eq!(first, pairs(&records));
    let mut reversed = records.clone();
    reversed.reverse();
    let mut again = pairs(&reversed);
    again.sort();
    let mut sorted = first.clone();
    sorted.sort();
    // The random pairs u is measured on depend on row order, so probabilities may move in
    // the last digits; which pairs are found must not.
    let ids = |v: &[(String, String, String)]| {
        v.iter()
            .map(|(a, b, _)| (a.clone(), b.clone()))
            .collect::<Vec<_>>()
    };
    let (a, b) = (ids(&sorted), ids(&again));
    let differing =
        a.iter().filter(|p| !b.contains(p)).count() + b.iter().filter(|p| !a.contains(p)).count();
    assert!(
        differing * 100 <= a.len(),
        "{differing} of {} pairs differ",
        a.len()
    );
}

#[test]
fn dedupe_finds_most_synthetic_duplicates_and_few_strangers() {
    let (count, seed) = (4000, 11);
    let records = synthetic(count, seed);
    let truth = truth(count, seed);
    let linkage = dedupe(&records, &Options::default());
    let found = linkage.pairs.len();
    let correct = linkage
        .pairs
        .iter()
        .filter(|p| truth[&*records[p.left as usize].id] == truth[&*records[p.right as usize].id])
        .count();
    let mut sizes: HashMap<&str, usize> = HashMap::new();
    for person in truth.values() {
        *sizes.entry(person).or_default() += 1;
    }
    let true_pairs: usize = sizes.values().map(|n| n * (n - 1) / 2).sum();
    let precision = correct as f64 / found as f64;
    let recall = correct as f64 / true_pairs as f64;
    assert!(precision > 0.9, "precision {precision}");
    assert!(recall > 0.75, "recall {recall}");
}

#[test]
fn corridor_names_link_across_spellings() {
    let left = vec![
        record(&[
            ("id", "a1"),
            ("first_name", "Maxamed"),
            ("middle_name", "Cabdi"),
            ("last_name", "Xasan"),
            ("dob", "1988-04-02"),
            ("sex", "m"),
        ]),
        record(&[
            ("id", "a2"),
            ("first_name", "Pao"),
            ("last_name", "Xyooj"),
            ("dob", "1971"),
            ("sex", "m"),
        ]),
        record(&[
            ("id", "a3"),
            ("first_name", "Guadalupe"),
            ("last_name", "Hernández Cruz"),
            ("dob", "1990-11-23"),
            ("sex", "f"),
        ]),
    ];
    let right = vec![
        record(&[
            ("id", "b1"),
            ("first_name", "Mohamed"),
            ("last_name", "Hassan"),
            ("dob", "1988-02-04"),
            ("sex", "male"),
        ]),
        record(&[
            ("id", "b2"),
            ("first_name", "Xiong"),
            ("last_name", "Pao"),
            ("age", "55"),
            ("sex", "man"),
        ]),
        record(&[
            ("id", "b3"),
            ("first_name", "Lupe"),
            ("last_name", "Hernandez"),
            ("dob", "1990-11"),
            ("sex", "woman"),
        ]),
    ];
    for (a, b) in left.iter().zip(&right) {
        let c = compare(a, b);
        assert!(
            c.levels[Field::GivenName.index()] <= 2,
            "{} / {}: {:?}",
            a.id,
            b.id,
            c.levels
        );
        assert!(
            c.levels[Field::FamilyName.index()] <= 3,
            "{} / {}: {:?}",
            a.id,
            b.id,
            c.levels
        );
        assert!(
            c.levels[Field::Birth.index()] <= 4,
            "{} / {}: {:?}",
            a.id,
            b.id,
            c.levels
        );
    }
    assert!(compare(&left[1], &right[1]).names_swapped);
    let linkage = link(
        &left,
        &right,
        &Options {
            threshold: 0.0,
            ..Options::default()
        },
    );
    for i in 0..3u32 {
        assert!(
            linkage.pairs.iter().any(|p| p.left == i && p.right == i),
            "pair {i} not a candidate"
        );
    }
}

fn read(text: &[u8]) -> Result<Vec<Record>, InputError> {
    input::read(text, &ColumnMap::default(), 2026)
}

#[test]
fn bad_files_are_refused_with_the_line_and_column() {
    let message = |text: &[u8]| read(text).map(|_| ()).unwrap_err().to_string();
    assert!(message(b"").contains("empty"));
    assert!(message(b"id,first_name\n").contains("no records"));
    assert!(message(b"first_name\nAmina\n").contains("no id column"));
    let unknown = message(b"id,given_name\n1,Amina\n");
    assert!(
        unknown.contains("given_name") && unknown.contains("--map"),
        "{unknown}"
    );
    assert!(message(b"id,first_name,first_name\n1,a,b\n").contains("more than one column"));
    let duplicate = message(b"id\n7\n8\n7\n");
    assert!(
        duplicate.contains("line 4") && duplicate.contains("line 2"),
        "{duplicate}"
    );
    let date = message(b"id,dob\n1,1984-02-30\n");
    assert!(
        date.contains("line 2, column dob") && date.contains("1984-02-30"),
        "{date}"
    );
    assert!(message(b"id,age\n1,old\n").contains("column age"));
    assert!(message(b"id,sex\n1,tall\n").contains("column sex"));
    assert!(message(b"id,height_cm\n1,9000\n").contains("column height_cm"));
    let missing_id = message(b"id,first_name\n,Amina\n");
    assert!(missing_id.contains("line 2, column id"), "{missing_id}");
    let utf8 = message(b"id,first_name\n1,Am\xffina\n");
    assert!(
        utf8.contains("line 2, column first_name") && utf8.contains("UTF-8"),
        "{utf8}"
    );
    assert!(message(b"id,first_name\n1,a,b\n").contains("line 2"));
    let mut long = b"id,first_name\n1,".to_vec();
    long.extend(std::iter::repeat_n(b'a', input::MAX_LINE + 10));
    assert!(message(&long).contains("longer than"));
}

#[test]
fn maps_rename_and_leave_out_columns() {
    let map = ColumnMap::parse("rec_id=id, given_name=first_name,state=").unwrap();
    let records = input::read(&b"rec_id,given_name,state\nx1,Amina,mn\n"[..], &map, 2026).unwrap();
    assert_eq!(&*records[0].id, "x1");
    assert_eq!(
        records[0].first_name.as_ref().map(|n| &*n.folded),
        Some("amina")
    );
    assert!(ColumnMap::parse("given_name=nickname").is_err());
    assert!(ColumnMap::parse("given_name").is_err());
    // A byte-order mark from a spreadsheet does not hide the id column.
    assert!(read(b"\xef\xbb\xbfid\n1\n").is_ok());
}
