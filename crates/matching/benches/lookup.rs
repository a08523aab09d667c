//! Online lookup: candidates for one new record among PEOPLE known records (default
//! 1,000,000 synthetic corridor records), with the model fitted on the first 100,000.
//! Criterion times single lookups over 1,000 held-out records (each a new record about a
//! known person or a stranger); the bench also prints p50, p99 and the largest of 10,000
//! lookups, timed one by one.
//!   cargo bench -p leadhub-matching --bench lookup
//!   PEOPLE=100000 cargo bench -p leadhub-matching --bench lookup

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use leadhub_matching::input::{self, ColumnMap};
use leadhub_matching::{Index, Options, Record, fit, synth};

const QUERIES: usize = 1_000;

fn records(count: usize) -> Vec<Record> {
    let mut csv = Vec::new();
    synth::generate(count, 2026, &mut csv).unwrap();
    input::read(
        &csv[..],
        &ColumnMap::parse("true_id=").unwrap(),
        synth::AGES_AS_OF,
    )
    .unwrap()
}

fn setup() -> (Index, Vec<Record>) {
    let people: usize = std::env::var("PEOPLE")
        .ok()
        .and_then(|p| p.parse().ok())
        .unwrap_or(1_000_000);
    let started = Instant::now();
    let mut all = records(people + QUERIES);
    // The last records are held out as lookups: new records, many about known people.
    let queries = all.split_off(people);
    let model = fit(&all[..all.len().min(100_000)], &Options::default());
    let read = started.elapsed();
    let index = Index::new(all, model);
    eprintln!(
        "{people} people: generated, read and fitted in {:.1} s, indexed in {:.1} s",
        read.as_secs_f64(),
        (started.elapsed() - read).as_secs_f64()
    );
    (index, queries)
}

fn percentiles(index: &Index, queries: &[Record]) {
    let mut times: Vec<Duration> = (0..10_000)
        .map(|i| {
            let query = &queries[i % queries.len()];
            let started = Instant::now();
            black_box(index.lookup(query, 10, 0.01));
            started.elapsed()
        })
        .collect();
    times.sort();
    let at = |q: f64| times[((times.len() as f64 * q) as usize).min(times.len() - 1)];
    eprintln!(
        "lookup of one record, 10,000 timed one by one: p50 {:?}, p99 {:?}, max {:?}",
        at(0.5),
        at(0.99),
        times[times.len() - 1]
    );
}

fn bench(c: &mut Criterion) {
    let (index, queries) = setup();
    percentiles(&index, &queries);
    let mut next = 0;
    c.bench_function("lookup one record", |b| {
        b.iter(|| {
            next = (next + 1) % queries.len();
            black_box(index.lookup(&queries[next], 10, 0.01))
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(50).measurement_time(Duration::from_secs(10));
    targets = bench
}
criterion_main!(benches);
