//! Fitting: a GLM start (iteratively reweighted least squares, which is GEE with independence),
//! then statsmodels' GEE loop, then the sandwich.

use std::collections::HashMap;
use std::ops::Range;

use nalgebra::{DMatrix, DVector, DVectorView};

use crate::StatsError;
use crate::family::{Correlation, Family};
use crate::input::{Observations, Spec};
use crate::report::{Estimate, Param};

/// How long to iterate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Options {
    pub max_iterations: usize,
    /// Stop when the norm of the score vector is below this.
    pub tolerance: f64,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            max_iterations: 100,
            tolerance: 1e-10,
        }
    }
}

/// Fewer clusters than this and robust standard errors are known to be too small.
const FEW_CLUSTERS: usize = 20;
/// A fitted probability (or rate) this close to its bound means (quasi-)separation.
const BOUNDARY: f64 = 1e-8;
/// Relative eigenvalue below which the scaled cross-product of the predictors is singular.
const COLLINEAR: f64 = 1e-10;

/// Fits `spec` to `obs`.
pub fn fit(obs: &Observations, spec: &Spec, options: &Options) -> Result<Estimate, StatsError> {
    spec.check()?;
    let design = Design::new(obs, spec)?;
    let mut warnings = Vec::new();

    let mut beta = design.glm_start()?;
    let start = design.iterate(&mut beta, Correlation::Independence, options);
    let fitted = start.and_then(|_| design.iterate(&mut beta, spec.correlation, options));
    // A diverging fit is most often separation: say so when it is.
    let at_bound = design.rows_at_bound(&beta);
    if at_bound == design.n && spec.family == Family::Binomial {
        return Err(StatsError::PerfectSeparation);
    }
    // A binomial fit with fitted probabilities at 0 or 1 has (at least) one infinite
    // coefficient, whether or not the iterations stopped: its "estimate" is only where they
    // stopped. A Poisson rate at 0 is possible in real data (a group with no events), so it
    // gets a warning.
    if at_bound > 0 && spec.family == Family::Binomial {
        return Err(StatsError::QuasiSeparation { rows: at_bound });
    }
    let (iterations, alpha) = fitted?;
    if at_bound > 0 {
        warnings.push(format!(
            "{at_bound} rows have a fitted rate of practically 0: a group without any events makes its rate ratio unreliable"
        ));
    }

    let cov = design.robust_covariance(&beta, alpha)?;
    let mut params = Vec::with_capacity(design.p);
    for (j, name) in design.names.iter().enumerate() {
        let variance = cov[(j, j)];
        if !(variance.is_finite() && variance > 0.0 && beta[j].is_finite()) {
            return Err(StatsError::NotFinite {
                what: format!("standard error of \"{name}\""),
            });
        }
        params.push(Param::new(name.clone(), beta[j], variance.sqrt()));
    }

    let n_clusters = design.clusters.len();
    if n_clusters < FEW_CLUSTERS {
        warnings.push(format!(
            "only {n_clusters} clusters: robust standard errors are too small with fewer than {FEW_CLUSTERS}, so the intervals are too narrow"
        ));
    }
    if spec.correlation == Correlation::Exchangeable {
        let singletons = design.clusters.iter().filter(|c| c.len() == 1).count();
        if singletons > 0 {
            warnings.push(format!(
                "{singletons} clusters have one row: they say nothing about the within-cluster correlation"
            ));
        }
    }
    Ok(Estimate {
        family: spec.family,
        correlation: spec.correlation,
        n_obs: design.n,
        n_clusters,
        rows_dropped: obs.dropped,
        iterations,
        alpha: (spec.correlation == Correlation::Exchangeable).then_some(alpha),
        params,
        warnings,
    })
}

/// The data arranged for fitting: rows grouped by cluster, the intercept first.
struct Design {
    family: Family,
    n: usize,
    p: usize,
    names: Vec<String>,
    y: Vec<f64>,
    /// Row-major n × p, column 0 the intercept.
    x: Vec<f64>,
    offset: Vec<f64>,
    weights: Option<Vec<f64>>,
    /// Consecutive rows of one cluster, clusters in the order of their labels.
    clusters: Vec<Range<usize>>,
}

/// What one pass over the clusters gives at given coefficients and correlation.
struct Moments {
    /// Σ D' V⁻¹ W D (the "bread").
    bread: DMatrix<f64>,
    /// Σ D' V⁻¹ W r.
    score: DVector<f64>,
    /// Σ over clusters of the outer product of each cluster's score (the "meat").
    meat: DMatrix<f64>,
}

impl Design {
    fn new(obs: &Observations, spec: &Spec) -> Result<Self, StatsError> {
        let n = obs.outcome.len();
        let shape = |column: &str, length: usize| {
            if length == n {
                Ok(())
            } else {
                Err(StatsError::Shape {
                    outcome: n,
                    column: column.to_owned(),
                    length,
                })
            }
        };
        if obs.predictors.len() != spec.predictors.len() {
            return Err(StatsError::PredictorCount {
                named: spec.predictors.len(),
                given: obs.predictors.len(),
            });
        }
        for (name, column) in spec.predictors.iter().zip(&obs.predictors) {
            shape(name, column.len())?;
        }
        shape(&spec.cluster, obs.cluster.len())?;
        if let (Some(name), Some(column)) = (&spec.offset, &obs.offset) {
            shape(name, column.len())?;
        }
        if let (Some(name), Some(column)) = (&spec.weights, &obs.weights) {
            shape(name, column.len())?;
        }
        if n == 0 {
            return Err(StatsError::NoRows {
                dropped: obs.dropped,
            });
        }
        check_values(obs, spec)?;

        let (order, clusters) = group_by_cluster(&obs.cluster);

        let p = spec.predictors.len() + 1;
        if n <= p {
            return Err(StatsError::TooFewRows {
                n_obs: n,
                n_params: p,
            });
        }
        let mut x = Vec::with_capacity(n * p);
        for &i in &order {
            x.push(1.0);
            x.extend(obs.predictors.iter().map(|column| column[i]));
        }
        let pick = |column: &Vec<f64>| order.iter().map(|&i| column[i]).collect::<Vec<_>>();
        let design = Self {
            family: spec.family,
            n,
            p,
            names: std::iter::once("Intercept".to_owned())
                .chain(spec.predictors.iter().cloned())
                .collect(),
            y: pick(&obs.outcome),
            x,
            offset: obs.offset.as_ref().map_or_else(|| vec![0.0; n], pick),
            weights: obs.weights.as_ref().map(pick),
            clusters,
        };
        design.check_outcome_varies(&spec.outcome)?;
        design.check_predictors(spec)?;
        Ok(design)
    }

    fn row(&self, i: usize) -> &[f64] {
        &self.x[i * self.p..(i + 1) * self.p]
    }

    fn weight(&self, i: usize) -> f64 {
        self.weights.as_ref().map_or(1.0, |w| w[i])
    }

    fn eta(&self, beta: &DVector<f64>, i: usize) -> f64 {
        self.row(i)
            .iter()
            .zip(beta.iter())
            .map(|(x, b)| x * b)
            .sum::<f64>()
            + self.offset[i]
    }

    /// A binomial outcome that is always 0 (or always 1), or a count that is always 0, makes
    /// the intercept infinite.
    fn check_outcome_varies(&self, column: &str) -> Result<(), StatsError> {
        let first = self.y[0];
        let constant = self.y.iter().all(|&y| y == first);
        let at_bound = match self.family {
            Family::Binomial => first == 0.0 || first == 1.0,
            Family::Poisson => first == 0.0,
        };
        if constant && at_bound {
            return Err(StatsError::NoVariation {
                column: column.to_owned(),
                value: first,
            });
        }
        Ok(())
    }

    /// Each predictor must vary and add something the ones before it do not have.
    fn check_predictors(&self, spec: &Spec) -> Result<(), StatsError> {
        for (j, name) in spec.predictors.iter().enumerate() {
            let first = self.x[j + 1];
            if (0..self.n).all(|i| self.row(i)[j + 1] == first) {
                return Err(StatsError::ConstantPredictor {
                    column: name.clone(),
                    value: first,
                });
            }
        }
        let mut cross = DMatrix::<f64>::zeros(self.p, self.p);
        for i in 0..self.n {
            let row = DVectorView::from_slice(self.row(i), self.p);
            cross.ger(1.0, &row, &row, 1.0);
        }
        let scale = DVector::from_iterator(self.p, cross.diagonal().iter().map(|d| d.sqrt()));
        for a in 0..self.p {
            for b in 0..self.p {
                cross[(a, b)] /= scale[a] * scale[b];
            }
        }
        for j in 1..self.p {
            let leading = cross.view((0, 0), (j + 1, j + 1)).into_owned();
            let eigen = leading.symmetric_eigenvalues();
            let (min, max) = eigen.iter().fold((f64::INFINITY, 0.0_f64), |(lo, hi), &e| {
                (lo.min(e), hi.max(e))
            });
            if min.is_nan() || min <= COLLINEAR * max {
                return Err(StatsError::Collinear {
                    column: spec.predictors[j - 1].clone(),
                });
            }
        }
        Ok(())
    }

    /// statsmodels starts GEE from a converged GLM; this is its first step: one weighted least
    /// squares fit from the family's starting means.
    fn glm_start(&self) -> Result<DVector<f64>, StatsError> {
        let mean_y = self.y.iter().sum::<f64>() / self.n as f64;
        let mut lhs = DMatrix::<f64>::zeros(self.p, self.p);
        let mut rhs = DVector::<f64>::zeros(self.p);
        for i in 0..self.n {
            let mu = self.family.starting_mean(self.y[i], mean_y);
            let eta = self.family.link(mu);
            let g = self.family.mean_derivative(eta, mu);
            let w = self.weight(i) * g * g / self.family.variance(mu);
            let z = eta - self.offset[i] + (self.y[i] - mu) / g;
            let row = DVectorView::from_slice(self.row(i), self.p);
            lhs.ger(w, &row, &row, 1.0);
            rhs.axpy(w * z, &row, 1.0);
        }
        lhs.lu().solve(&rhs).ok_or(StatsError::Singular {
            what: "starting least-squares fit",
        })
    }

    /// statsmodels' GEE loop: the score at the current coefficients gives the update; stop
    /// when its norm is below the tolerance, but not before the correlation has been updated
    /// once. Returns the number of updates and the final correlation.
    fn iterate(
        &self,
        beta: &mut DVector<f64>,
        correlation: Correlation,
        options: &Options,
    ) -> Result<(usize, f64), StatsError> {
        let mut alpha = 0.0;
        let mut updated_correlation = false;
        let mut score_norm = f64::INFINITY;
        for iteration in 1..=options.max_iterations {
            let moments = self.moments(beta, alpha, false)?;
            let step = moments
                .bread
                .lu()
                .solve(&moments.score)
                .ok_or(StatsError::Singular { what: "GEE update" })?;
            *beta += step;
            if beta.iter().any(|b| !b.is_finite()) {
                return Err(StatsError::NoConvergence {
                    iterations: iteration,
                    score_norm,
                });
            }
            score_norm = moments.score.norm();
            if score_norm < options.tolerance && updated_correlation {
                return Ok((iteration, alpha));
            }
            if correlation == Correlation::Exchangeable {
                alpha = self.exchangeable_alpha(beta)?;
            }
            updated_correlation = true;
        }
        Err(StatsError::NoConvergence {
            iterations: options.max_iterations,
            score_norm,
        })
    }

    /// One pass over the clusters. With exchangeable correlation alpha, a cluster of k rows has
    /// V = S R S with S the diagonal of standard deviations and R = (1 − α)I + α11', whose
    /// inverse is known in closed form: R⁻¹ = (I − c(1 − α)11') / (1 − α) with
    /// c = α / ((1 − α)(1 + α(k − 1))). That makes each cluster O(k·p²).
    fn moments(
        &self,
        beta: &DVector<f64>,
        alpha: f64,
        with_meat: bool,
    ) -> Result<Moments, StatsError> {
        let p = self.p;
        let mut bread = vec![0.0; p * p];
        let mut score = vec![0.0; p];
        let mut meat = vec![0.0; if with_meat { p * p } else { 0 }];
        let mut d = vec![0.0; p];
        let mut cluster_score = vec![0.0; p];
        let mut sum_d = vec![0.0; p]; // Σ d/s
        let mut sum_wd = vec![0.0; p]; // Σ w d/s
        let scale = 1.0 / (1.0 - alpha);
        for cluster in &self.clusters {
            let k = cluster.len() as f64;
            let c = alpha / (1.0 - alpha) / (1.0 + alpha * (k - 1.0));
            cluster_score.fill(0.0);
            sum_d.fill(0.0);
            sum_wd.fill(0.0);
            let mut sum_wr = 0.0; // Σ w r/s
            for i in cluster.clone() {
                let eta = self.eta(beta, i);
                let mu = self.family.mean(eta);
                let g = self.family.mean_derivative(eta, mu);
                let v = self.family.variance(mu);
                if !(v > 0.0 && v.is_finite() && g.is_finite()) {
                    return Err(StatsError::NotFinite {
                        what: "working variance (a fitted mean reached its bound)".into(),
                    });
                }
                let s = v.sqrt();
                let w = self.weight(i);
                let r = self.y[i] - mu;
                for (dj, xj) in d.iter_mut().zip(self.row(i)) {
                    *dj = xj * g;
                }
                let coef = scale * w / v;
                for a in 0..p {
                    let da = d[a] * coef;
                    let row = &mut bread[a * p..(a + 1) * p];
                    for (cell, db) in row.iter_mut().zip(&d) {
                        *cell += da * db;
                    }
                    cluster_score[a] += da * r;
                    sum_d[a] += d[a] / s;
                    sum_wd[a] += w * d[a] / s;
                }
                sum_wr += w * r / s;
            }
            if c != 0.0 {
                for a in 0..p {
                    let ca = c * sum_d[a];
                    let row = &mut bread[a * p..(a + 1) * p];
                    for (cell, wd) in row.iter_mut().zip(&sum_wd) {
                        *cell -= ca * wd;
                    }
                    cluster_score[a] -= ca * sum_wr;
                }
            }
            for a in 0..p {
                score[a] += cluster_score[a];
            }
            if with_meat {
                for a in 0..p {
                    let row = &mut meat[a * p..(a + 1) * p];
                    for (cell, ub) in row.iter_mut().zip(&cluster_score) {
                        *cell += cluster_score[a] * ub;
                    }
                }
            }
        }
        Ok(Moments {
            bread: DMatrix::from_row_slice(p, p, &bread),
            score: DVector::from_vec(score),
            meat: if with_meat {
                DMatrix::from_row_slice(p, p, &meat)
            } else {
                DMatrix::zeros(0, 0)
            },
        })
    }

    /// statsmodels' moment estimate: the sum over within-cluster pairs of products of Pearson
    /// residuals, divided by the residual variance Σr²/(N − p) and by the pair count less p.
    fn exchangeable_alpha(&self, beta: &DVector<f64>) -> Result<f64, StatsError> {
        let mut squares = 0.0;
        let mut products = 0.0;
        let mut pairs = 0.0;
        let mut largest = 0;
        for cluster in &self.clusters {
            let mut sum = 0.0;
            let mut sum_sq = 0.0;
            for i in cluster.clone() {
                let eta = self.eta(beta, i);
                let mu = self.family.mean(eta);
                let e = (self.y[i] - mu) / self.family.variance(mu).sqrt();
                sum += e;
                sum_sq += e * e;
            }
            squares += sum_sq;
            products += (sum * sum - sum_sq) / 2.0;
            let k = cluster.len() as f64;
            pairs += k * (k - 1.0) / 2.0;
            largest = largest.max(cluster.len());
        }
        let p = self.p as f64;
        if pairs <= p {
            return Err(StatsError::TooFewPairs {
                pairs,
                n_params: self.p,
            });
        }
        let variance = squares / (self.n as f64 - p);
        let alpha = products / variance / (pairs - p);
        let size = largest as f64;
        if !(alpha.is_finite() && alpha < 1.0 && 1.0 + alpha * (size - 1.0) > 0.0) {
            return Err(StatsError::InvalidCorrelation {
                alpha,
                size: largest,
            });
        }
        Ok(alpha)
    }

    /// B⁻¹ C B⁻¹, as statsmodels computes it (no small-sample correction).
    fn robust_covariance(
        &self,
        beta: &DVector<f64>,
        alpha: f64,
    ) -> Result<DMatrix<f64>, StatsError> {
        let moments = self.moments(beta, alpha, true)?;
        let inverse = moments.bread.try_inverse().ok_or(StatsError::Singular {
            what: "sandwich's bread",
        })?;
        Ok(&inverse * &moments.meat * &inverse)
    }

    /// Rows whose fitted probability (or rate) is at its bound: all of them means perfect
    /// separation, some of them quasi-separation.
    fn rows_at_bound(&self, beta: &DVector<f64>) -> usize {
        (0..self.n)
            .filter(|&i| {
                let mu = self.family.mean(self.eta(beta, i));
                match self.family {
                    Family::Binomial => !(BOUNDARY..=1.0 - BOUNDARY).contains(&mu),
                    Family::Poisson => mu.is_nan() || mu < BOUNDARY,
                }
            })
            .count()
    }
}

/// Row order with each cluster's rows together (in their original order), clusters in the
/// order of their labels, as statsmodels groups them. Labels are compared once per cluster,
/// not once per row: rows are placed by a counting sort on the cluster's rank.
fn group_by_cluster(labels: &[String]) -> (Vec<usize>, Vec<Range<usize>>) {
    let mut ids: HashMap<&str, usize> = HashMap::new();
    let mut distinct: Vec<&str> = Vec::new();
    let row_cluster: Vec<usize> = labels
        .iter()
        .map(|label| {
            *ids.entry(label.as_str()).or_insert_with(|| {
                distinct.push(label);
                distinct.len() - 1
            })
        })
        .collect();
    let mut by_label: Vec<usize> = (0..distinct.len()).collect();
    by_label.sort_unstable_by_key(|&c| distinct[c]);
    let mut rank = vec![0; distinct.len()];
    for (r, &c) in by_label.iter().enumerate() {
        rank[c] = r;
    }
    let mut starts = vec![0; distinct.len() + 1];
    for &c in &row_cluster {
        starts[rank[c] + 1] += 1;
    }
    for r in 0..distinct.len() {
        starts[r + 1] += starts[r];
    }
    let clusters = starts.windows(2).map(|w| w[0]..w[1]).collect();
    let mut next = starts;
    let mut order = vec![0; labels.len()];
    for (row, &c) in row_cluster.iter().enumerate() {
        order[next[rank[c]]] = row;
        next[rank[c]] += 1;
    }
    (order, clusters)
}

/// Finite numbers everywhere (observations built in code skip the CSV reader's checks),
/// outcomes in their family's range, non-negative weights that are not all zero.
fn check_values(obs: &Observations, spec: &Spec) -> Result<(), StatsError> {
    let columns = std::iter::once((&spec.outcome, &obs.outcome))
        .chain(spec.predictors.iter().zip(&obs.predictors))
        .chain(spec.offset.iter().zip(&obs.offset))
        .chain(spec.weights.iter().zip(&obs.weights));
    for (name, column) in columns {
        if let Some(i) = column.iter().position(|v| !v.is_finite()) {
            return Err(StatsError::NotANumber {
                line: obs.line(i),
                column: name.clone(),
                value: column[i].to_string(),
            });
        }
    }
    for (i, &y) in obs.outcome.iter().enumerate() {
        if let Some(problem) = spec.family.outcome_problem(y) {
            return Err(StatsError::OutOfRange {
                line: obs.line(i),
                column: spec.outcome.clone(),
                problem: format!("{y}: {problem}"),
            });
        }
    }
    if let (Some(name), Some(weights)) = (&spec.weights, &obs.weights) {
        if let Some(i) = weights.iter().position(|&w| w < 0.0) {
            return Err(StatsError::OutOfRange {
                line: obs.line(i),
                column: name.clone(),
                problem: format!("{}: a weight cannot be negative", weights[i]),
            });
        }
        if weights.iter().all(|&w| w == 0.0) {
            return Err(StatsError::OutOfRange {
                line: obs.line(0),
                column: name.clone(),
                problem: "every weight is 0".into(),
            });
        }
    }
    Ok(())
}
