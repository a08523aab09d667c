//! The GEE fit against statsmodels' own results (stored by `scripts/check-stats.sh fixtures`),
//! its invariances, and its answers to data it cannot fit.

// Tests state their expectations with unwrap/panic: a failure is the point.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;

use leadhub_stats::{
    Correlation, Estimate, Family, Observations, Options, Spec, StatsError, fit, read_csv,
};
use proptest::prelude::*;
use serde::Deserialize;

const PANEL: &str = include_str!("data/panel.csv");
const EXPECTED: &str = include_str!("data/expected.json");

#[derive(Debug, Deserialize)]
struct Expected {
    n_obs: usize,
    n_clusters: usize,
    iterations: usize,
    alpha: Option<f64>,
    params: Vec<leadhub_stats::Param>,
}

/// The models of scripts/check_stats.py.
fn model(name: &str) -> Spec {
    let (family, outcome, predictors, correlation, offset, weights): (_, _, &[&str], _, _, _) =
        match name {
            "binomial_exchangeable" => (
                Family::Binomial,
                "housed",
                &["followup", "contacts"],
                Correlation::Exchangeable,
                None,
                None,
            ),
            "binomial_independence_weights" => (
                Family::Binomial,
                "employed",
                &["followup", "contacts"],
                Correlation::Independence,
                None,
                Some("weight"),
            ),
            "poisson_offset" => (
                Family::Poisson,
                "arrests",
                &["followup", "contacts"],
                Correlation::Exchangeable,
                Some("log_days"),
                None,
            ),
            "poisson_offset_independence" => (
                Family::Poisson,
                "arrests",
                &["followup"],
                Correlation::Independence,
                Some("log_days"),
                None,
            ),
            other => panic!("no model {other}"),
        };
    Spec {
        outcome: outcome.into(),
        predictors: predictors.iter().map(|p| (*p).to_owned()).collect(),
        cluster: "participant".into(),
        family,
        offset: offset.map(Into::into),
        weights: weights.map(Into::into),
        correlation,
    }
}

fn fit_panel(spec: &Spec) -> Estimate {
    let obs = read_csv(PANEL.as_bytes(), spec).unwrap();
    fit(&obs, spec, &Options::default()).unwrap()
}

fn close(a: f64, b: f64, tolerance: f64) -> bool {
    (a - b).abs() <= tolerance * a.abs().max(1.0)
}

#[test]
fn agrees_with_statsmodels_on_every_stored_model() {
    let expected: BTreeMap<String, Expected> = serde_json::from_str(EXPECTED).unwrap();
    assert_eq!(expected.len(), 4);
    for (name, want) in &expected {
        let got = fit_panel(&model(name));
        assert_eq!(
            (got.n_obs, got.n_clusters),
            (want.n_obs, want.n_clusters),
            "{name}"
        );
        assert_eq!(got.iterations, want.iterations, "{name}: iterations");
        match (got.alpha, want.alpha) {
            (Some(a), Some(b)) => assert!(close(a, b, 1e-6), "{name}: alpha {a} vs {b}"),
            (None, None) => {}
            other => panic!("{name}: alpha {other:?}"),
        }
        assert_eq!(got.params.len(), want.params.len());
        for (g, w) in got.params.iter().zip(&want.params) {
            assert_eq!(g.name, w.name);
            for (what, a, b) in [
                ("coef", g.coef, w.coef),
                ("se", g.se, w.se),
                ("z", g.z, w.z),
                ("p", g.p, w.p),
                ("exp", g.exp, w.exp),
                ("ci_low", g.ci_low, w.ci_low),
                ("ci_high", g.ci_high, w.ci_high),
            ] {
                assert!(
                    close(a, b, 1e-6),
                    "{name} {}.{what}: {a} vs statsmodels {b}",
                    g.name
                );
            }
        }
    }
}

#[test]
fn blank_cells_leave_their_rows_out() {
    let spec = model("binomial_exchangeable");
    let obs = read_csv(PANEL.as_bytes(), &spec).unwrap();
    let rows = PANEL.lines().count() - 1;
    assert!(obs.dropped > 0);
    assert_eq!(obs.outcome.len() + obs.dropped, rows);
    assert_eq!(fit_panel(&spec).rows_dropped, obs.dropped);
}

/// The first `people` participants of the stored panel, for quick fits.
fn small_panel(spec: &Spec, people: usize) -> Observations {
    let all = read_csv(PANEL.as_bytes(), spec).unwrap();
    let keep: Vec<usize> = (0..all.outcome.len())
        .filter(|&i| all.cluster[i][1..].parse::<usize>().unwrap() < people)
        .collect();
    select(&all, &keep)
}

fn select(obs: &Observations, rows: &[usize]) -> Observations {
    let pick = |column: &Vec<f64>| rows.iter().map(|&i| column[i]).collect::<Vec<_>>();
    Observations {
        outcome: pick(&obs.outcome),
        predictors: obs.predictors.iter().map(pick).collect(),
        cluster: rows.iter().map(|&i| obs.cluster[i].clone()).collect(),
        offset: obs.offset.as_ref().map(pick),
        weights: obs.weights.as_ref().map(pick),
        lines: rows.iter().map(|&i| obs.lines[i]).collect(),
        dropped: 0,
    }
}

fn assert_same_estimates(a: &Estimate, b: &Estimate) {
    assert_eq!((a.n_obs, a.n_clusters), (b.n_obs, b.n_clusters));
    if let (Some(x), Some(y)) = (a.alpha, b.alpha) {
        assert!(close(x, y, 1e-9), "alpha {x} vs {y}");
    }
    for (p, q) in a.params.iter().zip(&b.params) {
        assert!(
            close(p.coef, q.coef, 1e-9),
            "{}: {} vs {}",
            p.name,
            p.coef,
            q.coef
        );
        assert!(
            close(p.se, q.se, 1e-9),
            "{}: se {} vs {}",
            p.name,
            p.se,
            q.se
        );
    }
}

const MODELS: [&str; 4] = [
    "binomial_exchangeable",
    "binomial_independence_weights",
    "poisson_offset",
    "poisson_offset_independence",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn estimates_do_not_depend_on_row_order(which in 0..MODELS.len(), order in Just((0..800).collect::<Vec<usize>>()).prop_shuffle()) {
        let spec = model(MODELS[which]);
        let obs = small_panel(&spec, 40);
        let before = fit(&obs, &spec, &Options::default()).unwrap();
        let rows: Vec<usize> = order.into_iter().filter(|&i| i < obs.outcome.len()).collect();
        prop_assert_eq!(rows.len(), obs.outcome.len());
        let after = fit(&select(&obs, &rows), &spec, &Options::default()).unwrap();
        assert_same_estimates(&before, &after);
    }

    #[test]
    fn estimates_do_not_depend_on_cluster_labels(which in 0..MODELS.len(), salt in any::<u64>()) {
        let spec = model(MODELS[which]);
        let obs = small_panel(&spec, 40);
        let before = fit(&obs, &spec, &Options::default()).unwrap();
        let mut relabelled = obs.clone();
        for label in &mut relabelled.cluster {
            // A different name (and so a different order of clusters) for each participant.
            let number: u64 = label[1..].parse().unwrap();
            *label = format!("{:x}", number.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ salt);
        }
        let after = fit(&relabelled, &spec, &Options::default()).unwrap();
        assert_same_estimates(&before, &after);
    }

    #[test]
    fn every_ratio_lies_inside_its_interval(which in 0..MODELS.len(), people in 25usize..120) {
        let spec = model(MODELS[which]);
        let estimate = fit(&small_panel(&spec, people), &spec, &Options::default()).unwrap();
        for p in &estimate.params {
            prop_assert!(p.ci_low < p.exp && p.exp < p.ci_high, "{:?}", p);
            prop_assert!(p.se > 0.0 && (0.0..=1.0).contains(&p.p), "{:?}", p);
            prop_assert!([p.coef, p.z].iter().all(|v| v.is_finite()));
        }
    }
}

/// A small hand-made data set: `clusters` clusters of `size` rows, x alternating.
fn tiny(
    clusters: usize,
    size: usize,
    y: impl Fn(usize, usize) -> f64,
    x: impl Fn(usize, usize) -> f64,
) -> Observations {
    let mut obs = Observations {
        predictors: vec![Vec::new()],
        ..Observations::default()
    };
    for c in 0..clusters {
        for r in 0..size {
            obs.outcome.push(y(c, r));
            obs.predictors[0].push(x(c, r));
            obs.cluster.push(format!("c{c}"));
        }
    }
    obs
}

fn spec(family: Family, correlation: Correlation) -> Spec {
    Spec {
        outcome: "y".into(),
        predictors: vec!["x".into()],
        cluster: "id".into(),
        family,
        offset: None,
        weights: None,
        correlation,
    }
}

fn fit_tiny(
    obs: &Observations,
    family: Family,
    correlation: Correlation,
) -> Result<Estimate, StatsError> {
    fit(obs, &spec(family, correlation), &Options::default())
}

/// Outcome with some noise that x does not decide.
fn noisy(c: usize, r: usize) -> f64 {
    f64::from(u8::from((c * 7 + r * 3) % 5 < 2))
}

#[test]
fn a_constant_or_collinear_predictor_is_named() {
    let obs = tiny(30, 4, noisy, |_, _| 2.0);
    assert_eq!(
        fit_tiny(&obs, Family::Binomial, Correlation::Exchangeable),
        Err(StatsError::ConstantPredictor {
            column: "x".into(),
            value: 2.0
        })
    );
    let mut obs = tiny(30, 4, noisy, |c, r| (c + r) as f64);
    let double: Vec<f64> = obs.predictors[0].iter().map(|x| 2.0 * x - 1.0).collect();
    obs.predictors.push(double);
    let mut two = spec(Family::Binomial, Correlation::Independence);
    two.predictors.push("x2".into());
    assert_eq!(
        fit(&obs, &two, &Options::default()),
        Err(StatsError::Collinear {
            column: "x2".into()
        })
    );
}

#[test]
fn perfect_separation_and_no_variation_are_errors_not_infinities() {
    let separated = tiny(30, 4, |_, r| f64::from(u8::from(r >= 2)), |_, r| r as f64);
    assert_eq!(
        fit_tiny(&separated, Family::Binomial, Correlation::Exchangeable),
        Err(StatsError::PerfectSeparation)
    );
    let none = tiny(30, 4, |_, _| 0.0, |c, r| (c + r) as f64);
    assert!(matches!(
        fit_tiny(&none, Family::Binomial, Correlation::Independence),
        Err(StatsError::NoVariation { column, value }) if column == "y" && value == 0.0
    ));
    assert!(matches!(
        fit_tiny(&none, Family::Poisson, Correlation::Independence),
        Err(StatsError::NoVariation { .. })
    ));
}

#[test]
fn quasi_separation_is_an_error_not_a_huge_ratio() {
    // Rows with x = 0 are always 0; the others vary: the odds ratio of x is infinite.
    let obs = tiny(
        30,
        4,
        |c, r| if r == 0 { 0.0 } else { noisy(c, r) },
        |_, r| f64::from(u8::from(r != 0)),
    );
    for corr in [Correlation::Independence, Correlation::Exchangeable] {
        assert_eq!(
            fit_tiny(&obs, Family::Binomial, corr),
            Err(StatsError::QuasiSeparation { rows: 30 })
        );
    }
    // The same for counts is a warning: a group without events is ordinary.
    let counts = tiny(
        30,
        4,
        |c, r| if r == 0 { 0.0 } else { noisy(c, r) + 1.0 },
        |_, r| f64::from(u8::from(r != 0)),
    );
    if let Ok(estimate) = fit_tiny(&counts, Family::Poisson, Correlation::Independence) {
        assert!(
            estimate
                .warnings
                .iter()
                .any(|w| w.contains("practically 0")),
            "{:?}",
            estimate.warnings
        );
    }
}

#[test]
fn clusters_of_one_row_are_warned_about_or_refused() {
    // Half the clusters have one row.
    let mut obs = tiny(30, 3, noisy, |c, r| ((c + 2 * r) % 4) as f64);
    let one = tiny(30, 1, |c, _| noisy(c + 1, 1), |c, _| (c % 3) as f64);
    obs.outcome.extend(one.outcome);
    obs.predictors[0].extend(&one.predictors[0]);
    obs.cluster
        .extend(one.cluster.iter().map(|c| format!("single-{c}")));
    let estimate = fit_tiny(&obs, Family::Binomial, Correlation::Exchangeable).unwrap();
    assert!(
        estimate
            .warnings
            .iter()
            .any(|w| w.starts_with("30 clusters have one row")),
        "{:?}",
        estimate.warnings
    );

    let singles = tiny(60, 1, noisy, |c, _| (c % 3) as f64);
    assert!(matches!(
        fit_tiny(&singles, Family::Binomial, Correlation::Exchangeable),
        Err(StatsError::TooFewPairs { .. })
    ));
    let independent = fit_tiny(&singles, Family::Binomial, Correlation::Independence).unwrap();
    assert_eq!(independent.n_clusters, 60);
    assert!(
        independent.warnings.is_empty(),
        "{:?}",
        independent.warnings
    );
}

#[test]
fn few_clusters_are_warned_about() {
    let obs = tiny(8, 6, noisy, |c, r| ((c + r) % 3) as f64);
    let estimate = fit_tiny(&obs, Family::Binomial, Correlation::Exchangeable).unwrap();
    assert!(
        estimate
            .warnings
            .iter()
            .any(|w| w.starts_with("only 8 clusters")),
        "{:?}",
        estimate.warnings
    );
}

#[test]
fn values_outside_the_family_are_refused_with_their_row() {
    let mut obs = tiny(20, 3, noisy, |c, r| (c + r) as f64);
    obs.outcome[5] = 2.0;
    assert!(matches!(
        fit_tiny(&obs, Family::Binomial, Correlation::Independence),
        Err(StatsError::OutOfRange { line: 6, column, .. }) if column == "y"
    ));
    obs.outcome[5] = f64::NAN;
    assert!(matches!(
        fit_tiny(&obs, Family::Poisson, Correlation::Independence),
        Err(StatsError::NotANumber { line: 6, .. })
    ));
    obs.outcome[5] = -1.0;
    assert!(matches!(
        fit_tiny(&obs, Family::Poisson, Correlation::Independence),
        Err(StatsError::OutOfRange { line: 6, .. })
    ));

    let mut weighted = tiny(20, 3, noisy, |c, r| (c + r) as f64);
    weighted.weights = Some(vec![1.0; 60]);
    let mut spec = spec(Family::Binomial, Correlation::Independence);
    spec.weights = Some("w".into());
    assert!(fit(&weighted, &spec, &Options::default()).is_ok());
    if let Some(w) = &mut weighted.weights {
        w[0] = -1.0;
    }
    assert!(
        matches!(fit(&weighted, &spec, &Options::default()), Err(StatsError::OutOfRange { line: 1, column, .. }) if column == "w")
    );
}

#[test]
fn too_little_data_is_an_error() {
    let empty = Observations {
        predictors: vec![Vec::new()],
        dropped: 4,
        ..Observations::default()
    };
    assert_eq!(
        fit_tiny(&empty, Family::Binomial, Correlation::Independence),
        Err(StatsError::NoRows { dropped: 4 })
    );
    let two = tiny(1, 2, |_, r| r as f64, |_, r| r as f64);
    assert_eq!(
        fit_tiny(&two, Family::Binomial, Correlation::Independence),
        Err(StatsError::TooFewRows {
            n_obs: 2,
            n_params: 2
        })
    );
    let short = Observations {
        outcome: vec![1.0, 0.0, 1.0],
        predictors: vec![vec![1.0, 2.0]],
        cluster: vec!["a".into(); 3],
        ..Observations::default()
    };
    assert!(matches!(
        fit_tiny(&short, Family::Binomial, Correlation::Independence),
        Err(StatsError::Shape { .. })
    ));
    let unnamed = Observations {
        predictors: Vec::new(),
        ..short
    };
    assert_eq!(
        fit_tiny(&unnamed, Family::Binomial, Correlation::Independence),
        Err(StatsError::PredictorCount { named: 1, given: 0 })
    );
}

#[test]
fn the_result_serializes_as_the_cli_documents() {
    let estimate = fit_panel(&model("binomial_independence_weights"));
    let json: serde_json::Value = serde_json::to_value(&estimate).unwrap();
    assert_eq!(json["alpha"], serde_json::Value::Null);
    assert_eq!(json["params"][0]["name"], "Intercept");
    for key in ["n_obs", "n_clusters", "iterations"] {
        assert!(json[key].is_u64(), "{key}");
    }
    for key in ["name", "coef", "se", "z", "p", "exp", "ci_low", "ci_high"] {
        assert!(json["params"][1].get(key).is_some(), "{key}");
    }
    let back: Estimate = serde_json::from_value(json).unwrap();
    assert_eq!(back, estimate);
}
