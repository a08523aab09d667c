//! A binomial-exchangeable fit (the Outcomes page's model) on the stored 176-participant
//! panel (176 × 19 months, as statsmodels is compared on) and on that panel repeated to
//! 100,000 participants. Reading CSV is not included; `scripts/check-stats.sh bench` times
//! whole runs of both programs.

#![allow(clippy::unwrap_used, missing_debug_implementations)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use leadhub_stats::{Correlation, Family, Observations, Options, Spec, fit, read_csv};

const PANEL: &str = include_str!("../tests/data/panel.csv");

fn spec() -> Spec {
    Spec {
        outcome: "housed".into(),
        predictors: vec!["followup".into(), "contacts".into()],
        cluster: "participant".into(),
        family: Family::Binomial,
        offset: None,
        weights: None,
        correlation: Correlation::Exchangeable,
    }
}

/// The stored panel's participants copied under new names until there are `people`.
fn repeated(base: &Observations, people: usize) -> Observations {
    let per_copy = 176;
    let mut obs = Observations {
        predictors: vec![Vec::new(); base.predictors.len()],
        ..Observations::default()
    };
    for copy in 0..people.div_ceil(per_copy) {
        for i in 0..base.outcome.len() {
            let number: usize = base.cluster[i][1..].parse().unwrap();
            if copy * per_copy + number >= people {
                continue;
            }
            obs.outcome.push(base.outcome[i]);
            for (to, from) in obs.predictors.iter_mut().zip(&base.predictors) {
                to.push(from[i]);
            }
            obs.cluster.push(format!("{copy}-{number}"));
        }
    }
    obs
}

fn gee(c: &mut Criterion) {
    let spec = spec();
    let small = read_csv(PANEL.as_bytes(), &spec).unwrap();
    let large = repeated(&small, 100_000);
    let mut group = c.benchmark_group("gee binomial exchangeable");
    group.sample_size(10);
    group.bench_function("176 participants", |b| {
        b.iter(|| fit(black_box(&small), &spec, &Options::default()).unwrap())
    });
    group.bench_function("100,000 participants", |b| {
        b.iter(|| fit(black_box(&large), &spec, &Options::default()).unwrap())
    });
    group.finish();
}

criterion_group!(benches, gee);
criterion_main!(benches);
