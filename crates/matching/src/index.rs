//! Online lookup: the people most likely to be the person a new record describes, among
//! everyone already known, fast enough to run as a case manager types.

use std::collections::HashMap;

use crate::blocking;
use crate::compare::compare;
use crate::model::{Frequencies, Model, QueryScorer, Score};
use crate::record::Record;

/// Most candidates scored for one lookup. Keys are tried from the most selective, so this
/// only bites for records that say little (a description at a busy corner).
pub const MAX_CANDIDATES: usize = 4_000;

/// Known records with their blocking keys, the value frequencies and a fitted model.
#[derive(Debug)]
pub struct Index {
    records: Vec<Record>,
    postings: HashMap<u64, Vec<u32>>,
    frequencies: Frequencies,
    model: Model,
}

/// A known record that may be the person, with the explanation of its score.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// Index into the records the index was built from.
    pub index: u32,
    pub score: Score,
}

impl Index {
    /// Indexes `records` to be scored with `model`.
    pub fn new(records: Vec<Record>, model: Model) -> Index {
        let frequencies = Frequencies::of(&records);
        let mut postings: HashMap<u64, Vec<u32>> = HashMap::new();
        let mut keys = Vec::new();
        for (i, record) in records.iter().enumerate() {
            keys.clear();
            blocking::keys(record, &mut keys);
            // Fewer than 2^32 records are indexed (the readers refuse more).
            let i = u32::try_from(i).unwrap_or(u32::MAX);
            for &key in &keys {
                postings.entry(key).or_default().push(i);
            }
        }
        Index {
            records,
            postings,
            frequencies,
            model,
        }
    }

    pub fn records(&self) -> &[Record] {
        &self.records
    }

    pub fn model(&self) -> &Model {
        &self.model
    }

    /// The `limit` known records most likely to be `query`'s person, best first, with
    /// probability at least `min_probability`. Ties are broken by index, so the answer is
    /// the same every time.
    pub fn lookup(&self, query: &Record, limit: usize, min_probability: f64) -> Vec<Candidate> {
        let scorer = QueryScorer::new(&self.model, &self.frequencies);
        let mut scored: Vec<(f64, u32)> = self
            .candidates(query)
            .into_iter()
            .map(|i| {
                let c = compare(query, &self.records[i as usize]);
                (scorer.weight(&c), i)
            })
            .filter(|(w, _)| crate::model::probability(*w) >= min_probability)
            .collect();
        scored.sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        scored.truncate(limit);
        scored
            .into_iter()
            .map(|(_, i)| Candidate {
                index: i,
                score: scorer.score(&compare(query, &self.records[i as usize])),
            })
            .collect()
    }

    /// The known records `query` is compared with, sorted: those sharing a blocking key,
    /// keys taken from the most selective while they bring at most `MAX_CANDIDATES`.
    pub fn candidates(&self, query: &Record) -> Vec<u32> {
        let mut keys = Vec::new();
        blocking::keys(query, &mut keys);
        let mut lists: Vec<&[u32]> = keys
            .iter()
            .filter_map(|k| self.postings.get(k).map(Vec::as_slice))
            .collect();
        lists.sort_by_key(|l| l.len());
        let mut ids: Vec<u32> = Vec::new();
        for list in lists {
            if ids.len() + list.len() > MAX_CANDIDATES && !ids.is_empty() {
                break;
            }
            ids.extend(list.iter().take(MAX_CANDIDATES));
        }
        ids.sort_unstable();
        ids.dedup();
        ids
    }
}

impl Index {
    /// [`Index::lookup`] for each of `queries`, in order, spread over the machine's cores
    /// (a booking feed's thousands of rows at once).
    pub fn lookup_many(
        &self,
        queries: &[Record],
        limit: usize,
        min_probability: f64,
    ) -> Vec<Vec<Candidate>> {
        use rayon::prelude::*;
        queries
            .par_iter()
            .map(|q| self.lookup(q, limit, min_probability))
            .collect()
    }
}

/// A model for looking up one record among `people` known ones, before a site has records
/// enough of its own to fit one: m and u fitted by EM (no labels) on the engine's seeded
/// synthetic corridor records, fitted once per process, with no weaker level of a field
/// worth more than a better one ([`Model::monotone`]). The prior is that of one known
/// person being the one a new record describes, with half of new records about someone
/// known: 0.5 / `people`.
pub fn lookup_model(people: usize) -> Model {
    static FITTED: std::sync::LazyLock<Model> = std::sync::LazyLock::new(|| {
        let mut csv = Vec::new();
        // Writing to a Vec cannot fail, nor can reading what was just generated; a model
        // fitted on nothing (all starting values) would still rank candidates.
        let _ = crate::synth::generate(20_000, 5, &mut csv);
        let map = crate::input::ColumnMap::parse("true_id=").unwrap_or_default();
        let records =
            crate::input::read(&csv[..], &map, crate::synth::AGES_AS_OF).unwrap_or_default();
        crate::linkage::fit(&records, &crate::Options::default()).monotone()
    });
    let mut model = FITTED.clone();
    model.prior = 0.5 / people.max(1) as f64;
    model
}
