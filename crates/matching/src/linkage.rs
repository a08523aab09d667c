//! Batch linkage: deduplicating one set of records or linking two, from blocking through
//! training to scored pairs and clusters.

use std::collections::HashMap;

use rayon::prelude::*;

use crate::blocking::{self, Rule};
use crate::compare::{FIELD_COUNT, Field, compare};
use crate::model::{Frequencies, Limits, Model, population_u, probability};
use crate::record::Record;

/// How a batch runs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Options {
    /// Pairs at or above this probability are reported.
    pub threshold: f64,
    /// Blocks with more records than this are not expanded into pairs (other keys still
    /// find those records); counted in [`Stats::skipped_blocks`].
    pub max_block: usize,
    /// Random pairs compared to start u.
    pub random_pairs: usize,
    pub max_iterations: usize,
    pub tolerance: f64,
    /// About how many candidate pairs are compared for training (a deterministic sample
    /// when there are more).
    pub training_pairs: usize,
}

/// The default threshold: a pair is reported when the model finds it more likely the same
/// person than not. With a calibrated model this is the threshold that makes the fewest
/// errors; the browser and the review queue show lower ones as possible, never as sure.
pub const DEFAULT_THRESHOLD: f64 = 0.5;

impl Default for Options {
    fn default() -> Options {
        Options {
            threshold: DEFAULT_THRESHOLD,
            max_block: 300,
            random_pairs: 200_000,
            max_iterations: 200,
            tolerance: 1e-6,
            training_pairs: 2_000_000,
        }
    }
}

/// A pair at or above the threshold, by index into the records (for `link`, `left`
/// indexes the left records and `right` the right ones).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pair {
    pub left: u32,
    pub right: u32,
    pub probability: f64,
}

/// Counts that tell how a batch went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Stats {
    pub records: usize,
    pub candidates: u64,
    /// Candidates by the blocking rule that found them (index: the rule's number).
    pub by_rule: [u64; 9],
    pub skipped_blocks: usize,
    pub largest_block: usize,
}

#[derive(Debug, Clone)]
pub struct Linkage {
    pub pairs: Vec<Pair>,
    pub model: Model,
    pub stats: Stats,
}

/// Pairs of `records` that are likely the same person.
pub fn dedupe(records: &[Record], options: &Options) -> Linkage {
    let all: Vec<&Record> = records.iter().collect();
    run(&all, None, options)
}

/// Pairs of a left and a right record that are likely the same person.
pub fn link(left: &[Record], right: &[Record], options: &Options) -> Linkage {
    let all: Vec<&Record> = left.iter().chain(right).collect();
    let mut linkage = run(&all, Some(left.len()), options);
    let offset = u32::try_from(left.len()).unwrap_or(u32::MAX);
    for pair in &mut linkage.pairs {
        pair.right -= offset;
    }
    linkage
}

/// The blocks: the records sharing each key that is not too common, and every record's
/// keys without the too-common ones.
struct Blocks {
    members: Vec<u32>,
    /// (key, start, end) into `members`.
    spans: Vec<(u64, usize, usize)>,
    keys: Vec<u64>,
    key_spans: Vec<(usize, usize)>,
    skipped: usize,
    largest: usize,
}

fn build_blocks(records: &[&Record], max_block: usize) -> Blocks {
    let per_record: Vec<Vec<u64>> = records
        .par_iter()
        .map(|r| {
            let mut keys = Vec::new();
            blocking::keys(r, &mut keys);
            keys
        })
        .collect();
    let mut entries: Vec<(u64, u32)> = per_record
        .iter()
        .enumerate()
        .flat_map(|(i, keys)| {
            // Fewer than 2^32 records are read (the CSV reader refuses more).
            let i = u32::try_from(i).unwrap_or(u32::MAX);
            keys.iter().map(move |&k| (k, i))
        })
        .collect();
    entries.par_sort_unstable();
    let mut members = Vec::with_capacity(entries.len());
    let mut spans = Vec::new();
    let mut too_common = std::collections::HashSet::new();
    let (mut skipped, mut largest) = (0, 0);
    let mut start = 0;
    while start < entries.len() {
        let key = entries[start].0;
        let end = start + entries[start..].partition_point(|e| e.0 == key);
        let size = end - start;
        if size > Rule::cap(key, max_block) {
            skipped += 1;
            too_common.insert(key);
        } else if size > 1 {
            largest = largest.max(size);
            let first = members.len();
            members.extend(entries[start..end].iter().map(|e| e.1));
            spans.push((key, first, members.len()));
        }
        start = end;
    }
    let mut keys = Vec::new();
    let mut key_spans = Vec::with_capacity(records.len());
    for record_keys in per_record {
        let first = keys.len();
        keys.extend(record_keys.into_iter().filter(|k| !too_common.contains(k)));
        key_spans.push((first, keys.len()));
    }
    Blocks {
        members,
        spans,
        keys,
        key_spans,
        skipped,
        largest,
    }
}

impl Blocks {
    fn keys_of(&self, i: u32, rule: Option<Rule>) -> &[u64] {
        let (a, b) = self.key_spans[i as usize];
        let keys = &self.keys[a..b];
        match rule {
            None => keys,
            Some(rule) => {
                let range = rule.keys();
                let from = keys.partition_point(|&k| k < range.start);
                let to = keys.partition_point(|&k| k < range.end);
                &keys[from..to]
            }
        }
    }

    /// Calls `visit` once for every candidate pair (i < j) — of one rule's blocks, or of
    /// all — in parallel over blocks; each pair is visited in the block of the smallest key
    /// the two share, so only once.
    fn pairs<T: Send, I, F>(
        &self,
        records: &[&Record],
        rule: Option<Rule>,
        left_count: Option<usize>,
        init: I,
        visit: F,
    ) -> Vec<T>
    where
        I: Fn() -> T + Sync + Send,
        F: Fn(&mut T, u64, u32, u32) + Sync,
    {
        let spans = match rule {
            None => &self.spans[..],
            Some(rule) => {
                let range = rule.keys();
                let from = self.spans.partition_point(|s| s.0 < range.start);
                let to = self.spans.partition_point(|s| s.0 < range.end);
                &self.spans[from..to]
            }
        };
        spans
            .par_iter()
            .fold(&init, |mut acc, &(key, start, end)| {
                let block = &self.members[start..end];
                for (n, &i) in block.iter().enumerate() {
                    for &j in &block[n + 1..] {
                        if let Some(left) = left_count
                            && ((i as usize) < left) == ((j as usize) < left)
                        {
                            continue;
                        }
                        if Rule::of(key) == Rule::PlaceAndLooks as u64
                            && records[i as usize].has_name()
                            && records[j as usize].has_name()
                        {
                            continue;
                        }
                        let shared =
                            blocking::first_shared(self.keys_of(i, rule), self.keys_of(j, rule));
                        if shared == Some(key) {
                            visit(&mut acc, key, i, j);
                        }
                    }
                }
                acc
            })
            .collect()
    }
}

/// The training sessions: the pairs of one rule, and the fields that rule forces to
/// agree (left out of that session).
const SESSIONS: [(Rule, &[Field]); 4] = [
    (Rule::DateOfBirth, &[Field::Birth]),
    (Rule::Names, &[Field::GivenName, Field::FamilyName]),
    (Rule::IdNumber, &[Field::IdNumber]),
    (Rule::Street, &[Field::Street]),
];

/// Fewest pairs a session needs to say anything.
const MIN_SESSION_PAIRS: u64 = 30;

/// What one pass over the candidates counts for training.
struct Counted {
    /// Pattern counts of the candidate pairs compared (all, or a sample of them).
    candidates: HashMap<u64, u64>,
    /// The same for each session's pairs (those sharing a key of the session's rule).
    sessions: Vec<HashMap<u64, u64>>,
    /// Every candidate pair, compared or not.
    total: u64,
    compared: u64,
    /// Candidates by the rule whose block found them.
    by_rule: [u64; 9],
}

/// Whether the pair is in the training sample: a fixed hash of the pair below `rate`.
fn sampled(i: u32, j: u32, rate: f64) -> bool {
    if rate >= 1.0 {
        return true;
    }
    let mut z = (u64::from(i) << 32 | u64::from(j)).wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^= z >> 31;
    let unit = (z >> 11) as f64 / (1u64 << 53) as f64;
    unit < rate
}

/// One pass over the candidate pairs: every pair counted by rule, and a deterministic
/// sample of at most about `options.training_pairs` compared for training (EM needs the
/// shape of the patterns, not every pair; the prior's fixed point scales the sample up).
fn count_patterns(
    blocks: &Blocks,
    records: &[&Record],
    left_count: Option<usize>,
    options: &Options,
) -> Counted {
    // An upper bound of the pairs (before each is kept in one block only) sets the rate.
    let bound: f64 = blocks
        .spans
        .iter()
        .map(|&(_, start, end)| {
            let n = (end - start) as f64;
            n * (n - 1.0) / 2.0
        })
        .sum();
    let rate = (options.training_pairs as f64 / bound.max(1.0)).min(1.0);
    type Acc = (Vec<HashMap<u64, u64>>, u64, u64, [u64; 9]);
    let parts = blocks.pairs(
        records,
        None,
        left_count,
        || -> Acc {
            (
                vec![HashMap::<u64, u64>::new(); SESSIONS.len() + 1],
                0,
                0,
                [0; 9],
            )
        },
        |acc: &mut Acc, key, i, j| {
            acc.1 += 1;
            if let Some(slot) = acc.3.get_mut(Rule::of(key) as usize) {
                *slot += 1;
            }
            if !sampled(i, j, rate) {
                return;
            }
            acc.2 += 1;
            let pattern = compare(records[i as usize], records[j as usize]).pattern();
            *acc.0[0].entry(pattern).or_insert(0) += 1;
            let shared = blocking::shared_rules(blocks.keys_of(i, None), blocks.keys_of(j, None));
            for (s, (rule, _)) in SESSIONS.iter().enumerate() {
                if shared & (1 << (*rule as u32)) != 0 {
                    *acc.0[s + 1].entry(pattern).or_insert(0) += 1;
                }
            }
        },
    );
    let mut maps = vec![HashMap::<u64, u64>::new(); SESSIONS.len() + 1];
    let (mut total, mut compared, mut by_rule) = (0, 0, [0u64; 9]);
    for (part, t, c, rules) in parts {
        total += t;
        compared += c;
        for (sum, n) in by_rule.iter_mut().zip(rules) {
            *sum += n;
        }
        for (sum, counts) in maps.iter_mut().zip(part) {
            for (p, n) in counts {
                *sum.entry(p).or_insert(0) += n;
            }
        }
    }
    let mut maps = maps.into_iter();
    Counted {
        candidates: maps.next().unwrap_or_default(),
        sessions: maps.collect(),
        total,
        compared,
        by_rule,
    }
}

/// Estimates the model for `records`: u, then m session by session, then the prior.
fn train(
    records: &[&Record],
    left_count: Option<usize>,
    blocks: &Blocks,
    frequencies: &Frequencies,
    options: &Options,
) -> (Model, u64, [u64; 9]) {
    let limits = Limits {
        max_iterations: options.max_iterations,
        tolerance: options.tolerance,
    };
    let observed = population_u(
        random_levels(records, left_count, options.random_pairs),
        frequencies,
    );
    let counted = count_patterns(blocks, records, left_count, options);
    let session_patterns: Vec<_> = counted
        .sessions
        .iter()
        .zip(SESSIONS)
        .map(|(patterns, (_, left_out))| (patterns, left_out))
        .filter(|(patterns, _)| patterns.values().sum::<u64>() >= MIN_SESSION_PAIRS)
        .collect();
    // Each pair compared stands for this many candidates.
    let scale = counted.total as f64 / counted.compared.max(1) as f64;
    let n = records.len() as f64;
    let all_pairs = match left_count {
        Some(left) => left as f64 * (n - left as f64),
        None => n * (n - 1.0) / 2.0,
    };
    let fit = |start: &Model| {
        let sessions: Vec<_> = session_patterns
            .iter()
            .map(|(patterns, left_out)| start.session(patterns, left_out, limits))
            .collect();
        start
            .with_sessions(&sessions)
            .with_prior(&counted.candidates, scale, all_pairs, limits)
    };
    // Once with u as observed, then again with the matches the first fit found taken out
    // of u.
    let first = fit(&Model::starting(observed));
    let resolution = 0.5 / options.random_pairs.max(1) as f64;
    let model = fit(&first.with_matches_removed_from_u(&observed, resolution));
    (model, counted.total, counted.by_rule)
}

/// A model fitted to `records` as for deduplication, without scoring every pair: for an
/// [`crate::Index`].
pub fn fit(records: &[Record], options: &Options) -> Model {
    let all: Vec<&Record> = records.iter().collect();
    let frequencies = Frequencies::of(all.iter().copied());
    let blocks = build_blocks(&all, options.max_block);
    train(&all, None, &blocks, &frequencies, options).0
}

fn run(records: &[&Record], left_count: Option<usize>, options: &Options) -> Linkage {
    let frequencies = Frequencies::of(records.iter().copied());
    let blocks = build_blocks(records, options.max_block);
    let (model, candidates, by_rule) = train(records, left_count, &blocks, &frequencies, options);
    let found = blocks.pairs(
        records,
        None,
        left_count,
        Vec::<Pair>::new,
        |acc: &mut Vec<Pair>, _, i, j| {
            let (a, b) = (records[i as usize], records[j as usize]);
            let p = probability(model.weight(&compare(a, b), &frequencies));
            if p >= options.threshold {
                acc.push(Pair {
                    left: i,
                    right: j,
                    probability: p,
                });
            }
        },
    );
    let mut pairs: Vec<Pair> = found.into_iter().flatten().collect();
    order_pairs(records, left_count, &mut pairs);
    Linkage {
        pairs,
        model,
        stats: Stats {
            records: records.len(),
            candidates,
            by_rule,
            skipped_blocks: blocks.skipped,
            largest_block: blocks.largest,
        },
    }
}

/// For dedupe the pair's smaller id goes left; pairs are sorted by the ids, so the output
/// is the same whatever the order of the threads.
fn order_pairs(records: &[&Record], left_count: Option<usize>, pairs: &mut [Pair]) {
    if left_count.is_none() {
        for pair in pairs.iter_mut() {
            if records[pair.left as usize].id > records[pair.right as usize].id {
                std::mem::swap(&mut pair.left, &mut pair.right);
            }
        }
    }
    pairs.par_sort_unstable_by(|a, b| {
        let key = |p: &Pair| (&records[p.left as usize].id, &records[p.right as usize].id);
        key(a).cmp(&key(b))
    });
}

/// The levels of pairs drawn at random (a fixed seed, so the same every run).
fn random_levels(
    records: &[&Record],
    left_count: Option<usize>,
    count: usize,
) -> Vec<[u8; FIELD_COUNT]> {
    let n = records.len() as u64;
    let mut state = 0x9e37_79b9_7f4a_7c15_u64;
    let mut next = move || {
        // splitmix64
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    };
    let mut levels: Vec<[u8; FIELD_COUNT]> = Vec::with_capacity(count);
    if n < 2 {
        return levels;
    }
    for _ in 0..count {
        let (i, j) = match left_count {
            Some(left) if left > 0 && (left as u64) < n => {
                let left = left as u64;
                (next() % left, left + next() % (n - left))
            }
            _ => (next() % n, next() % n),
        };
        if i != j {
            levels.push(compare(records[i as usize], records[j as usize]).levels);
        }
    }
    levels
}
