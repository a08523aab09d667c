//! The Fellegi–Sunter model: for each field and level, the probability of that level
//! among pairs that are the same person (m) and among pairs that are not (u). A pair's
//! match weight is the prior log-odds plus, per field, log2(m/u), adjusted for how common
//! an agreed value is; its probability follows from the weight.
//!
//! Everything is estimated from the data themselves, without labels, as for the whole
//! population of pairs (not only the candidates blocking found, whose non-matches agree
//! far more often than random pairs do):
//! - u from random pairs, and for exact agreement on a value exactly: Σ p² over values;
//! - m by expectation maximisation with u fixed, in training sessions that each take the
//!   pairs sharing one blocking key (the same date of birth, the same names…) and leave
//!   out the fields that key involves, whose agreement the session forced;
//! - the prior by the fixed point of the expected number of matches among all candidates,
//!   divided by the number of all pairs (blocking keeps nearly every match).

use std::collections::HashMap;

use crate::compare::{Comparison, FIELD_COUNT, Field, unpack};

/// Levels per field at most (level 0, "no data", is not estimated).
pub const MAX_LEVELS: usize = 5;

/// Smallest probability a parameter may take, so no level is proof either way.
const FLOOR: f64 = 1e-8;

/// Per field and level (index level − 1), a probability.
pub type Table = [[f64; MAX_LEVELS]; FIELD_COUNT];

/// An estimated model.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    /// Probability that a candidate pair is the same person.
    pub prior: f64,
    pub m: Table,
    pub u: Table,
    /// How many EM iterations it took (0 for a model not trained).
    pub iterations: usize,
}

/// How often each value of each term-frequency field occurs among the records.
#[derive(Debug, Clone, Default)]
pub struct Frequencies {
    counts: [HashMap<Box<str>, u32>; FIELD_COUNT],
    totals: [u64; FIELD_COUNT],
    /// Σ p² over values: the chance two random records agree exactly.
    agreement: [f64; FIELD_COUNT],
}

impl Frequencies {
    /// Counts the values of `records`.
    pub fn of<'a>(records: impl IntoIterator<Item = &'a crate::Record>) -> Frequencies {
        let mut out = Frequencies::default();
        for record in records {
            out.add(record);
        }
        out.finish();
        out
    }

    pub fn add(&mut self, record: &crate::Record) {
        let mut count = |field: Field, value: &str| {
            let i = field.index();
            *self.counts[i].entry(value.into()).or_insert(0) += 1;
            self.totals[i] += 1;
        };
        if let Some(n) = &record.first_name {
            count(Field::GivenName, &n.folded);
        }
        if let Some(n) = &record.last_name {
            count(Field::FamilyName, &n.folded);
        }
        if let Some(s) = &record.street {
            count(Field::Street, &s.folded);
        }
        if let Some(z) = &record.zip {
            count(Field::Zip, z);
        }
        if let Some(id) = &record.id_number {
            count(Field::IdNumber, id);
        }
        if let Some(crate::dates::Birth::Date(d)) = record.birth
            && d.full().is_some()
        {
            count(Field::Birth, &d.to_string());
        }
        for p in &record.places {
            count(Field::Place, &p.folded);
        }
    }

    /// Computes the agreement chances once all records are added.
    pub fn finish(&mut self) {
        for i in 0..FIELD_COUNT {
            let total = self.totals[i] as f64;
            self.agreement[i] = if total > 0.0 {
                self.counts[i]
                    .values()
                    .map(|&c| (f64::from(c) / total).powi(2))
                    .sum()
            } else {
                0.0
            };
        }
    }

    /// How many values of `field` were counted and the chance two random records agree on
    /// it exactly, if any record has it: what a store keeps beside the counts.
    pub fn summary(&self, field: Field) -> Option<(u64, f64)> {
        let i = field.index();
        (self.totals[i] > 0).then_some((self.totals[i], self.agreement[i]))
    }

    /// Each value of `field` with how many records have it, in no particular order.
    pub fn values(&self, field: Field) -> impl Iterator<Item = (&str, u32)> {
        self.counts[field.index()].iter().map(|(v, &n)| (&**v, n))
    }

    /// Frequencies as a store kept them: each field's summary, and the counts of the values
    /// it kept (a value left out counts as one record's, the least any value has).
    pub fn from_kept<'v>(
        summaries: impl IntoIterator<Item = (Field, u64, f64)>,
        counts: impl IntoIterator<Item = (Field, &'v str, u32)>,
    ) -> Frequencies {
        let mut out = Frequencies::default();
        for (field, counted, agreement) in summaries {
            out.totals[field.index()] = counted;
            out.agreement[field.index()] = agreement;
        }
        for (field, value, count) in counts {
            out.counts[field.index()].insert(value.into(), count);
        }
        out
    }

    /// The chance that two random records that both have `field` agree on it exactly
    /// (for the fields whose exact level is equal values), if any record has it.
    pub fn exact_agreement(&self, field: Field) -> Option<f64> {
        let i = field.index();
        (self.totals[i] > 0 && self.agreement[i] > 0.0).then_some(self.agreement[i])
    }

    /// The weight added to an exact agreement on `value`: log2 of how much rarer the value
    /// is than the typical agreement. Positive for rare values, negative for common ones.
    pub fn adjustment(&self, field: Field, value: &str) -> f64 {
        let i = field.index();
        let total = self.totals[i] as f64;
        if total == 0.0 || self.agreement[i] <= 0.0 {
            return 0.0;
        }
        let count = self.counts[i].get(value).copied().unwrap_or(1).max(1);
        let p = f64::from(count) / total;
        (self.agreement[i] / p).log2()
    }
}

/// One field's part in a score.
#[derive(Debug, Clone, PartialEq)]
pub struct Contribution {
    pub field: Field,
    /// 1-based level, as in [`Field::levels`].
    pub level: u8,
    /// What the level means ("the same", "one slip apart"…).
    pub label: &'static str,
    /// Match weight in bits (log2 of the Bayes factor), with the term-frequency part.
    pub weight: f64,
    /// The part of `weight` that comes from how common a value is: an exact agreement's
    /// adjustment, or what a lookup's cap took from a near miss of a common value.
    pub frequency_weight: f64,
}

/// A scored pair: the probability, the total weight and where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Score {
    pub probability: f64,
    /// log2 of the posterior odds: the prior's weight plus every contribution.
    pub weight: f64,
    pub prior_weight: f64,
    /// Fields both records have, in field order.
    pub contributions: Vec<Contribution>,
    pub names_swapped: bool,
}

impl Model {
    /// A model before training: u from random pairs, m leaning towards agreement.
    pub fn starting(u: Table) -> Model {
        let mut m = [[0.0; MAX_LEVELS]; FIELD_COUNT];
        for field in Field::ALL {
            let levels = field.levels().len();
            let row = &mut m[field.index()];
            // Agreement is likely among matches, every weaker level less so.
            let mut remaining = 1.0;
            for (level, cell) in row.iter_mut().enumerate().take(levels) {
                let share = if level + 1 == levels {
                    remaining
                } else {
                    remaining * 0.8
                };
                *cell = share;
                remaining -= share;
            }
        }
        Model {
            prior: 0.05,
            m,
            u,
            iterations: 0,
        }
    }

    /// The model as a table: the prior, then for every field and level m, u and the
    /// weight in bits.
    pub fn describe(&self) -> String {
        let mut out = format!(
            "prior {:.6} ({:+.2} bits), {} EM iterations\n{:<14} {:<40} {:>10} {:>10} {:>8}\n",
            self.prior,
            self.prior_weight(),
            self.iterations,
            "field",
            "level",
            "m",
            "u",
            "bits"
        );
        for field in Field::ALL {
            for (l, label) in field.levels().iter().enumerate() {
                // At most MAX_LEVELS levels, so the level fits a u8.
                let level = u8::try_from(l + 1).unwrap_or(u8::MAX);
                out += &format!(
                    "{:<14} {:<40} {:>10.6} {:>10.6} {:>+8.2}\n",
                    field.name(),
                    label,
                    self.m[field.index()][l],
                    self.u[field.index()][l],
                    self.level_weight(field, level)
                );
            }
        }
        out
    }

    /// Bits of evidence of `level` (1-based) of `field`.
    pub fn level_weight(&self, field: Field, level: u8) -> f64 {
        let l = usize::from(level).saturating_sub(1).min(MAX_LEVELS - 1);
        let i = field.index();
        (self.m[i][l].max(FLOOR) / self.u[i][l].max(FLOOR)).log2()
    }

    pub fn prior_weight(&self) -> f64 {
        (self.prior / (1.0 - self.prior)).log2()
    }

    /// The total weight of a comparison, without building the explanation.
    pub fn weight(&self, comparison: &Comparison<'_>, frequencies: &Frequencies) -> f64 {
        QueryScorer::uncapped(self, frequencies).weight(comparison)
    }

    /// The score of a comparison with every field's contribution.
    pub fn score(&self, comparison: &Comparison<'_>, frequencies: &Frequencies) -> Score {
        QueryScorer::uncapped(self, frequencies).score(comparison)
    }

    /// The model with no level of a field counting for more than a better level of it:
    /// EM on data with few distinct names can find a near miss rarer among strangers than
    /// exact agreement, and so worth more, which would rank a misspelling above the name
    /// itself. A weaker level is lowered to the better level's weight (its m set so, or its u
    /// raised where m would fall under the floor).
    pub fn monotone(mut self) -> Model {
        for field in Field::ALL {
            let i = field.index();
            let levels = field.levels().len();
            for l in 1..levels {
                // Levels are 1-based and at most MAX_LEVELS, so both fit a u8.
                let better = self.level_weight(field, l as u8);
                if self.level_weight(field, l as u8 + 1) > better {
                    let m = self.u[i][l].max(FLOOR) * better.exp2();
                    if m >= FLOOR {
                        self.m[i][l] = m;
                    } else {
                        // m would fall under the floor, where it no longer counts: raise u.
                        self.m[i][l] = FLOOR;
                        self.u[i][l] = FLOOR / better.exp2();
                    }
                }
            }
        }
        self
    }

    /// The posterior that a pair with these levels is a match, over the fields not left
    /// out (training uses levels only, no term frequencies).
    fn match_share(&self, prior: f64, levels: &[u8; FIELD_COUNT], left_out: &[Field]) -> f64 {
        let mut log_m = prior.ln();
        let mut log_u = (1.0 - prior).ln();
        for field in Field::ALL {
            let level = levels[field.index()];
            if level == 0 || left_out.contains(&field) {
                continue;
            }
            let (i, l) = (field.index(), usize::from(level) - 1);
            log_m += self.m[i][l].max(FLOOR).ln();
            log_u += self.u[i][l].max(FLOOR).ln();
        }
        1.0 / (1.0 + (log_u - log_m).exp())
    }

    /// One training session: m by expectation maximisation over the pairs of one blocking
    /// rule, u fixed, the fields the rule involves left out. Deterministic: patterns are
    /// visited in sorted order.
    pub fn session(
        &self,
        patterns: &HashMap<u64, u64>,
        left_out: &[Field],
        limits: Limits,
    ) -> Session {
        let sorted = sorted_patterns(patterns);
        let total: f64 = sorted.iter().map(|(_, n)| n).sum();
        let mut model = self.clone();
        let mut prior = 0.5;
        let mut iterations = 0;
        let mut expected = 0.0;
        let mut m_sum = [[0.0; MAX_LEVELS]; FIELD_COUNT];
        for iteration in 1..=limits.max_iterations {
            iterations = iteration;
            m_sum = [[0.0; MAX_LEVELS]; FIELD_COUNT];
            expected = 0.0;
            for (levels, count) in &sorted {
                let g = model.match_share(prior, levels, left_out) * count;
                expected += g;
                for (i, &level) in levels.iter().enumerate() {
                    if level > 0 {
                        m_sum[i][usize::from(level) - 1] += g;
                    }
                }
            }
            let next_prior = (expected / total).clamp(FLOOR, 1.0 - FLOOR);
            let next_m = normalised(&m_sum, &model.m);
            let mut moved = (next_prior - prior).abs();
            for field in Field::ALL {
                if left_out.contains(&field) {
                    continue;
                }
                let i = field.index();
                for (next, old) in next_m[i].iter().zip(&model.m[i]) {
                    moved = moved.max((next - old).abs());
                }
                model.m[i] = next_m[i];
            }
            prior = next_prior;
            if moved < limits.tolerance {
                break;
            }
        }
        let mut estimated = [false; FIELD_COUNT];
        for field in Field::ALL {
            let i = field.index();
            estimated[i] = !left_out.contains(&field) && m_sum[i].iter().sum::<f64>() > 0.0;
        }
        Session {
            m: model.m,
            estimated,
            expected_matches: expected,
            iterations,
        }
    }

    /// m from several sessions: each field's m is the mean of the sessions that estimated
    /// it, weighted by their expected matches; a field no session estimated keeps its
    /// starting m.
    pub fn with_sessions(&self, sessions: &[Session]) -> Model {
        let mut out = self.clone();
        for field in Field::ALL {
            let i = field.index();
            let weight: f64 = sessions
                .iter()
                .filter(|s| s.estimated[i])
                .map(|s| s.expected_matches)
                .sum();
            if weight <= 0.0 {
                continue;
            }
            for l in 0..MAX_LEVELS {
                out.m[i][l] = sessions
                    .iter()
                    .filter(|s| s.estimated[i])
                    .map(|s| s.m[i][l] * s.expected_matches)
                    .sum::<f64>()
                    / weight;
            }
        }
        out.iterations = sessions.iter().map(|s| s.iterations).sum();
        out
    }

    /// The prior for the population of `all_pairs` pairs: the fixed point of the expected
    /// number of matches among the candidates (patterns and counts, each count standing for
    /// `scale` pairs when they are a sample) over `all_pairs`.
    pub fn with_prior(
        &self,
        candidates: &HashMap<u64, u64>,
        scale: f64,
        all_pairs: f64,
        limits: Limits,
    ) -> Model {
        let sorted = sorted_patterns(candidates);
        let total: f64 = sorted.iter().map(|(_, n)| n).sum();
        let mut out = self.clone();
        if total == 0.0 || all_pairs <= 0.0 {
            return out;
        }
        let mut prior = (0.5 * total * scale / all_pairs).clamp(FLOOR * FLOOR, 0.5);
        for _ in 0..limits.max_iterations {
            let expected: f64 = sorted
                .iter()
                .map(|(levels, n)| out.match_share(prior, levels, &[]) * n)
                .sum::<f64>()
                * scale;
            let next = (expected / all_pairs).clamp(FLOOR * FLOOR, 1.0 - FLOOR);
            let moved = ((next - prior) / prior).abs();
            prior = next;
            if moved < limits.tolerance {
                break;
            }
        }
        out.prior = prior;
        out
    }
}

impl Model {
    /// u with the matches taken out: what was observed over all pairs is
    /// prior × m + (1 − prior) × u, and the observation (`observed`) includes the pairs that
    /// are the same person, which for a unique identifier are most of its agreements. No
    /// level goes below `floor`, the resolution of the sample u was observed on.
    pub fn with_matches_removed_from_u(&self, observed: &Table, floor: f64) -> Model {
        let mut out = self.clone();
        for field in Field::ALL {
            let i = field.index();
            let levels = field.levels().len();
            for ((u, seen), m) in out.u[i][..levels]
                .iter_mut()
                .zip(&observed[i][..levels])
                .zip(&self.m[i][..levels])
            {
                *u = ((seen - self.prior * m) / (1.0 - self.prior))
                    .max(floor.min(*seen))
                    .max(FLOOR);
            }
            let total: f64 = out.u[i][..levels].iter().sum();
            for cell in &mut out.u[i][..levels] {
                *cell /= total;
            }
        }
        out
    }
}

/// A model and term frequencies set up to score one query (the first record of each
/// comparison) against many known records.
///
/// An exact agreement on a value gains or loses weight by how common the value is; a weaker
/// level (a close spelling, a variant) is compared against other values and gets no such
/// part. So that a near miss never counts for more than the query's own value would, each
/// weaker level is capped at what exact agreement on the query's value is worth: with
/// "Vang" looked for, "Vangg" cannot outrank "Vang" because Vang is common.
#[derive(Debug, Clone)]
pub struct QueryScorer<'a> {
    model: &'a Model,
    frequencies: &'a Frequencies,
    /// Near misses capped by the query's value.
    capped: bool,
    /// Term frequencies may only lower a weight, never raise it.
    lowering_only: bool,
}

impl<'a> QueryScorer<'a> {
    /// Scores a query against others: term frequencies, near misses capped.
    pub fn new(model: &'a Model, frequencies: &'a Frequencies) -> QueryScorer<'a> {
        QueryScorer {
            model,
            frequencies,
            capped: true,
            lowering_only: false,
        }
    }

    /// As [`QueryScorer::new`], but a rare value never raises a weight, only a common one
    /// lowers it: for telling someone outside the program who a person is, where a wrong
    /// match costs far more than a missed one, and a value counted as rare may only be new
    /// since the last count.
    pub fn cautious(model: &'a Model, frequencies: &'a Frequencies) -> QueryScorer<'a> {
        QueryScorer {
            lowering_only: true,
            ..QueryScorer::new(model, frequencies)
        }
    }

    /// Scores with term frequencies and no caps: symmetric, for pairs with no query side
    /// (a batch).
    pub fn uncapped(model: &'a Model, frequencies: &'a Frequencies) -> QueryScorer<'a> {
        QueryScorer {
            capped: false,
            ..QueryScorer::new(model, frequencies)
        }
    }

    fn adjustment(&self, field: Field, value: &str) -> f64 {
        let bits = self.frequencies.adjustment(field, value);
        if self.lowering_only {
            bits.min(0.0)
        } else {
            bits
        }
    }

    /// A field's weight at `level` and the part of it that comes from how common the
    /// value is (the frequency adjustment, or the cap's cut).
    fn field_weight(&self, comparison: &Comparison<'_>, field: Field, level: u8) -> (f64, f64) {
        let i = field.index();
        let base = self.model.level_weight(field, level);
        let frequency = match (comparison.agreed(field), comparison.first_value[i]) {
            (Some(value), _) => self.adjustment(field, value),
            // Only evidence for a match is capped: "different" stays as it is.
            (None, Some(queried)) if self.capped && level > 1 && base > 0.0 => {
                let exact = self.model.level_weight(field, 1) + self.adjustment(field, queried);
                (exact - base).min(0.0)
            }
            (None, _) => 0.0,
        };
        (base + frequency, frequency)
    }

    /// The total weight of a comparison, without building the explanation.
    pub fn weight(&self, comparison: &Comparison<'_>) -> f64 {
        let mut weight = self.model.prior_weight();
        for field in Field::ALL {
            let level = comparison.levels[field.index()];
            if level != 0 {
                weight += self.field_weight(comparison, field, level).0;
            }
        }
        weight
    }

    /// The score of a comparison with every field's contribution.
    pub fn score(&self, comparison: &Comparison<'_>) -> Score {
        let prior_weight = self.model.prior_weight();
        let mut weight = prior_weight;
        let mut contributions = Vec::new();
        for field in Field::ALL {
            let level = comparison.levels[field.index()];
            if level == 0 {
                continue;
            }
            let (field_weight, frequency_weight) = self.field_weight(comparison, field, level);
            weight += field_weight;
            contributions.push(Contribution {
                field,
                level,
                label: field.levels()[usize::from(level) - 1],
                weight: field_weight,
                frequency_weight,
            });
        }
        Score {
            probability: probability(weight),
            weight,
            prior_weight,
            contributions,
            names_swapped: comparison.names_swapped,
        }
    }
}

/// How long training may run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limits {
    pub max_iterations: usize,
    pub tolerance: f64,
}

/// What one training session found.
#[derive(Debug, Clone, PartialEq)]
pub struct Session {
    pub m: Table,
    /// The fields whose m this session estimated.
    pub estimated: [bool; FIELD_COUNT],
    pub expected_matches: f64,
    pub iterations: usize,
}

fn sorted_patterns(patterns: &HashMap<u64, u64>) -> Vec<([u8; FIELD_COUNT], f64)> {
    let mut sorted: Vec<(u64, u64)> = patterns
        .iter()
        .filter(|&(_, &n)| n > 0)
        .map(|(&p, &n)| (p, n))
        .collect();
    sorted.sort_unstable();
    sorted
        .into_iter()
        .map(|(p, n)| (unpack(p), n as f64))
        .collect()
}

/// Each field's sums as probabilities over its levels; a field no pair had keeps `old`.
fn normalised(sums: &Table, old: &Table) -> Table {
    let mut out = *old;
    for (field, row) in Field::ALL.iter().zip(sums) {
        let levels = field.levels().len();
        let total: f64 = row.iter().take(levels).sum();
        if total <= 0.0 {
            continue;
        }
        for l in 0..levels {
            out[field.index()][l] = (row[l] / total).max(FLOOR);
        }
    }
    out
}

/// The probability of a match weight (log2 odds).
pub fn probability(weight: f64) -> f64 {
    let odds = weight.exp2();
    if odds.is_infinite() {
        1.0
    } else {
        odds / (1.0 + odds)
    }
}

/// u for the population: each field's levels counted over pairs drawn at random (with
/// half a pair added to every level, so a level never seen is rare, not impossible), and
/// where the exact level means equal values, its chance computed from the frequencies
/// instead, the other levels sharing the rest in their sampled proportions.
pub fn population_u(
    sampled: impl IntoIterator<Item = [u8; FIELD_COUNT]>,
    frequencies: &Frequencies,
) -> Table {
    let mut counts = [[0.0; MAX_LEVELS]; FIELD_COUNT];
    for levels in sampled {
        for (i, &level) in levels.iter().enumerate() {
            if level > 0 {
                counts[i][usize::from(level) - 1] += 1.0;
            }
        }
    }
    let mut u = [[0.0; MAX_LEVELS]; FIELD_COUNT];
    for field in Field::ALL {
        let i = field.index();
        let levels = field.levels().len();
        for count in &mut counts[i][..levels] {
            *count += 0.5;
        }
        let exact = if field == Field::GivenName
            || field == Field::FamilyName
            || field == Field::Birth
            || field == Field::IdNumber
            || field == Field::Street
            || field == Field::Zip
        {
            frequencies.exact_agreement(field)
        } else {
            None
        };
        let (first, rest_share) = match exact {
            Some(p) => {
                u[i][0] = p;
                (1, 1.0 - p)
            }
            None => (0, 1.0),
        };
        let rest: f64 = counts[i][first..levels].iter().sum();
        for l in first..levels {
            u[i][l] = counts[i][l] / rest * rest_share;
        }
    }
    u
}
