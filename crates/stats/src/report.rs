//! A fitted model as it is reported: RESULT.json of `leadhub stats gee`, and what the
//! Outcomes page shows.

use serde::{Deserialize, Serialize};

use crate::family::{Correlation, Family};

/// The 97.5% quantile of the standard normal, as statsmodels uses for 95% intervals.
pub const Z_95: f64 = 1.959_963_984_540_054;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    pub family: Family,
    pub correlation: Correlation,
    /// Rows used.
    pub n_obs: usize,
    pub n_clusters: usize,
    /// Rows left out because a used column was blank.
    pub rows_dropped: usize,
    /// Updates of the coefficients after the starting (independence) fit, as statsmodels
    /// counts them.
    pub iterations: usize,
    /// The exchangeable correlation; None for independence.
    pub alpha: Option<f64>,
    pub params: Vec<Param>,
    /// Things a reader must know before trusting the figures.
    pub warnings: Vec<String>,
}

/// One coefficient with its robust standard error, Wald test and the 95% interval of
/// exp(coef) (an odds ratio for binomial, a rate ratio for Poisson).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Param {
    pub name: String,
    pub coef: f64,
    pub se: f64,
    pub z: f64,
    pub p: f64,
    pub exp: f64,
    pub ci_low: f64,
    pub ci_high: f64,
}

impl Param {
    pub(crate) fn new(name: String, coef: f64, se: f64) -> Self {
        let z = coef / se;
        Self {
            name,
            coef,
            se,
            z,
            p: crate::normal::two_sided_p(z),
            exp: coef.exp(),
            ci_low: (coef - Z_95 * se).exp(),
            ci_high: (coef + Z_95 * se).exp(),
        }
    }
}

impl Estimate {
    /// The coefficient called `name`.
    pub fn param(&self, name: &str) -> Option<&Param> {
        self.params.iter().find(|p| p.name == name)
    }
}
