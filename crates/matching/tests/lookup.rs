//! How well one record's lookup ranks its own person first, on seeded synthetic corridor
//! records the product's model was not fitted on: the first record of each person is known,
//! every later one (nicknames, typos, names swapped, partial dates, descriptions only) is
//! looked up among them. Compares scoring without term frequencies (the product before),
//! with them uncapped, and with them capped at the query's own value ([`QueryScorer`]).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;

use leadhub_matching::compare::{Comparison, Field, compare};
use leadhub_matching::input::{self, ColumnMap};
use leadhub_matching::{Frequencies, Index, QueryScorer, Record, lookup_model, synth};

/// Known records, indexed as a lookup finds them, and the lookups of people among them with
/// the index of each lookup's person among the known.
struct Corridor {
    index: Index,
    queries: Vec<(Record, u32)>,
}

fn corridor(count: usize, seed: u64) -> Corridor {
    let mut csv = Vec::new();
    synth::generate(count, seed, &mut csv).unwrap();
    let records = input::read(
        &csv[..],
        &ColumnMap::parse("true_id=").unwrap(),
        synth::AGES_AS_OF,
    )
    .unwrap();
    let mut people = csv::Reader::from_reader(&csv[..]);
    let truth: Vec<String> = people
        .records()
        .map(|r| r.unwrap()[14].to_owned())
        .collect();
    let mut first: HashMap<&str, u32> = HashMap::new();
    let mut known = Vec::new();
    let mut queries = Vec::new();
    for (record, person) in records.into_iter().zip(&truth) {
        match first.get(person.as_str()) {
            Some(&k) => queries.push((record, k)),
            None => {
                first.insert(person, u32::try_from(known.len()).unwrap());
                known.push(record);
            }
        }
    }
    let model = lookup_model(known.len());
    Corridor {
        index: Index::new(known, model),
        queries,
    }
}

impl Corridor {
    fn known(&self) -> &[Record] {
        self.index.records()
    }

    /// Of the lookups whose person the index's blocking finds, how many rank that person
    /// strictly first by `weight` (a tie with someone else is not first).
    fn first_ranked(&self, weight: impl Fn(&Comparison<'_>) -> f64) -> (usize, usize) {
        let (mut found, mut first) = (0, 0);
        for (query, person) in &self.queries {
            let ids = self.index.candidates(query);
            if !ids.contains(person) {
                continue;
            }
            found += 1;
            let compared = |i: u32| weight(&compare(query, &self.known()[i as usize]));
            let own = compared(*person);
            if !ids.iter().any(|&i| i != *person && compared(i) >= own) {
                first += 1;
            }
        }
        (first, found)
    }
}

fn share((first, found): (usize, usize)) -> f64 {
    first as f64 / found as f64
}

#[test]
fn capped_term_frequencies_rank_the_right_person_first_at_least_as_often() {
    let corridor = corridor(6_000, 77);
    let model = corridor.index.model();
    let frequencies = Frequencies::of(corridor.known());
    let none = Frequencies::default();
    let without = corridor.first_ranked(|c| model.weight(c, &none));
    let uncapped = corridor.first_ranked(|c| model.weight(c, &frequencies));
    let scorer = QueryScorer::new(model, &frequencies);
    let capped = corridor.first_ranked(|c| scorer.weight(c));
    eprintln!(
        "{} lookups found by blocking; ranked first: without term frequencies {:.4}, \
         uncapped {:.4}, capped {:.4}",
        without.1,
        share(without),
        share(uncapped),
        share(capped)
    );
    assert!(without.1 > 1_000, "the corridor has lookups: {without:?}");
    assert!(
        share(capped) >= share(without),
        "capped {capped:?} against without {without:?}"
    );
    assert!(share(capped) > 0.9, "{capped:?}");
}

#[test]
fn a_common_name_counts_for_less_than_a_rare_one_and_a_near_miss_never_beats_it() {
    let corridor = corridor(3_000, 78);
    let model = corridor.index.model();
    let mut known = corridor.known().to_vec();
    let person = |given: &str, family: &str| {
        let raw = leadhub_matching::RawRecord {
            id: format!("{given} {family}"),
            first_name: given.into(),
            last_name: family.into(),
            ..Default::default()
        };
        Record::parse(&raw, 2026).unwrap()
    };
    // Vang is shared by many, Thao by one.
    for _ in 0..200 {
        known.push(person("Pa", "Vang"));
    }
    known.push(person("Pa", "Thao"));
    let frequencies = Frequencies::of(&known);
    let scorer = QueryScorer::new(model, &frequencies);
    let uncapped = QueryScorer::uncapped(model, &frequencies);
    let family_part = |scorer: &QueryScorer<'_>, query: &Record, other: &Record| {
        let score = scorer.score(&compare(query, other));
        let part = score
            .contributions
            .into_iter()
            .find(|c| c.field == Field::FamilyName)
            .unwrap();
        (score.weight, part)
    };
    let (vang, thao, vangg) = (
        person("Pa", "Vang"),
        person("Pa", "Thao"),
        person("Pa", "Vangg"),
    );
    let (vang_weight, vang_part) = family_part(&scorer, &vang, &vang);
    let (thao_weight, _) = family_part(&scorer, &thao, &thao);
    assert!(thao_weight > vang_weight + 2.0);
    // The explanation says the name's commonness took weight away.
    assert!(vang_part.frequency_weight < -1.0, "{vang_part:?}");

    // Uncapped, a close spelling of the common name would count for more than the name
    // itself; capped, it counts for no more, and the cut is the frequency part.
    let (near_uncapped, _) = family_part(&uncapped, &vang, &vangg);
    let (near, near_part) = family_part(&scorer, &vang, &vangg);
    assert!(
        near_uncapped > vang_weight,
        "{near_uncapped} against {vang_weight}"
    );
    assert!(near <= vang_weight + 1e-9, "{near} against {vang_weight}");
    assert!(near_part.frequency_weight < 0.0, "{near_part:?}");

    // Names typed the other way round are capped by the name in the family name's place.
    let backwards = person("Vang", "Pa");
    let (exact_across, _) = family_part(&scorer, &backwards, &vang);
    let (near_across, part) = family_part(&scorer, &backwards, &vangg);
    assert!(
        near_across <= exact_across + 1e-9,
        "{near_across} against {exact_across}"
    );
    assert!(part.frequency_weight < 0.0, "{part:?}");

    // Cautious scoring lets the rare name count for no more than any name.
    let cautious = QueryScorer::cautious(model, &frequencies);
    let (_, thao_part) = family_part(&cautious, &thao, &thao);
    assert_eq!(thao_part.frequency_weight, 0.0);
    let (_, vang_part) = family_part(&cautious, &vang, &vang);
    assert!(vang_part.frequency_weight < -1.0);
}

#[test]
fn the_lookup_model_never_values_a_weaker_level_above_a_better_one() {
    let model = lookup_model(1_000);
    for field in Field::ALL {
        let weights: Vec<f64> = (1..=field.levels().len())
            .map(|l| model.level_weight(field, l as u8))
            .collect();
        assert!(
            weights.windows(2).all(|w| w[1] <= w[0] + 1e-9),
            "{}: {weights:?}",
            field.name()
        );
    }
}
