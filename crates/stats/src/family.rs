//! The two families and their canonical links, and the working correlations.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// The distribution of the outcome, each with its canonical link.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Family {
    /// A yes/no outcome (or a proportion in [0, 1]) with the logit link: exp(coef) is an
    /// odds ratio.
    Binomial,
    /// A count with the log link: exp(coef) is a rate ratio.
    Poisson,
}

/// statsmodels clips binomial means to [ε, 1 − ε] in the variance (`varfuncs.Binomial`).
const CLIP: f64 = f64::EPSILON;

impl Family {
    /// The mean for a linear predictor (the inverse link).
    pub fn mean(self, eta: f64) -> f64 {
        match self {
            Self::Binomial => 1.0 / (1.0 + (-eta).exp()),
            Self::Poisson => eta.exp(),
        }
    }

    /// d mean / d eta at `eta` (whose mean is `mu`).
    pub fn mean_derivative(self, eta: f64, mu: f64) -> f64 {
        match self {
            // e^-|η| / (1 + e^-|η|)² is μ(1 − μ) without overflow for large |η|.
            Self::Binomial => {
                let t = (-eta.abs()).exp();
                t / ((1.0 + t) * (1.0 + t))
            }
            Self::Poisson => mu,
        }
    }

    /// The variance function.
    pub fn variance(self, mu: f64) -> f64 {
        match self {
            Self::Binomial => {
                let p = mu.clamp(CLIP, 1.0 - CLIP);
                p * (1.0 - p)
            }
            Self::Poisson => mu,
        }
    }

    /// The link: the linear predictor for a mean.
    pub(crate) fn link(self, mu: f64) -> f64 {
        match self {
            Self::Binomial => (mu / (1.0 - mu)).ln(),
            Self::Poisson => mu.ln(),
        }
    }

    /// Where iteratively reweighted least squares starts, as statsmodels' GLM does.
    pub(crate) fn starting_mean(self, y: f64, mean_y: f64) -> f64 {
        match self {
            Self::Binomial => (y + 0.5) / 2.0,
            Self::Poisson => (y + mean_y) / 2.0,
        }
    }

    /// What exp(coef) is called.
    pub fn ratio_name(self) -> &'static str {
        match self {
            Self::Binomial => "odds ratio",
            Self::Poisson => "rate ratio",
        }
    }

    /// The range an outcome must be in, as a sentence for an error, or None when it is.
    pub(crate) fn outcome_problem(self, y: f64) -> Option<&'static str> {
        match self {
            Self::Binomial if !(0.0..=1.0).contains(&y) => {
                Some("a binomial outcome must be between 0 and 1")
            }
            Self::Poisson if y < 0.0 => Some("a Poisson outcome is a count and cannot be negative"),
            _ => None,
        }
    }
}

impl FromStr for Family {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "binomial" => Ok(Self::Binomial),
            "poisson" => Ok(Self::Poisson),
            other => Err(format!(
                "unknown family \"{other}\": use binomial or poisson"
            )),
        }
    }
}

impl fmt::Display for Family {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Binomial => "binomial",
            Self::Poisson => "poisson",
        })
    }
}

/// The working correlation of rows within a cluster.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Correlation {
    Independence,
    /// Every pair of rows in a cluster shares one correlation, alpha.
    Exchangeable,
}

impl FromStr for Correlation {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "independence" => Ok(Self::Independence),
            "exchangeable" => Ok(Self::Exchangeable),
            other => Err(format!(
                "unknown working correlation \"{other}\": use independence or exchangeable"
            )),
        }
    }
}

impl fmt::Display for Correlation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Independence => "independence",
            Self::Exchangeable => "exchangeable",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_binomial_mean_and_its_derivative_stay_finite_far_out() {
        for eta in [-800.0, -40.0, 0.0, 40.0, 800.0] {
            let mu = Family::Binomial.mean(eta);
            let d = Family::Binomial.mean_derivative(eta, mu);
            assert!(mu.is_finite() && (0.0..=1.0).contains(&mu), "{eta}: {mu}");
            assert!(d.is_finite() && d >= 0.0, "{eta}: {d}");
        }
        assert!((Family::Binomial.mean_derivative(0.0, 0.5) - 0.25).abs() < 1e-15);
        assert!(Family::Binomial.variance(1.0) > 0.0);
    }

    #[test]
    fn links_invert_the_means() {
        for family in [Family::Binomial, Family::Poisson] {
            for eta in [-3.0, -0.5, 0.0, 1.25, 4.0] {
                let back = family.link(family.mean(eta));
                assert!((back - eta).abs() < 1e-12, "{family} {eta} -> {back}");
            }
        }
    }

    #[test]
    fn names_parse_and_print_back() {
        for family in [Family::Binomial, Family::Poisson] {
            assert_eq!(family.to_string().parse::<Family>(), Ok(family));
        }
        for corr in [Correlation::Independence, Correlation::Exchangeable] {
            assert_eq!(corr.to_string().parse::<Correlation>(), Ok(corr));
        }
        assert!("gaussian".parse::<Family>().is_err());
        assert!("ar1".parse::<Correlation>().is_err());
    }
}
