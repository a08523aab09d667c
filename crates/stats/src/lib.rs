//! Generalized estimating equations (GEE) for clustered outcomes, as leadhub's outcome
//! evaluation uses them: a participant's months are one cluster.
//!
//! Binomial (logit link) and Poisson (log link) families, an optional offset and prior
//! weights, working correlation independence or exchangeable, and robust (sandwich)
//! standard errors with Wald tests. The conventions are statsmodels' `GEE`, which is what an
//! evaluator will compare with:
//! - the scale is fixed at 1 for both families;
//! - the exchangeable correlation is the mean within-cluster product of Pearson residuals over
//!   all pairs, with the residual variance estimated as Σr²/(N−p) and the pair count reduced
//!   by p;
//! - the sandwich has no small-sample correction and intervals use z = 1.959963984540054;
//! - fitting stops when the norm of the score vector is below 1e-10, after at least one update
//!   of the correlation.
//!
//! `scripts/check-stats.sh` fits the same models with statsmodels and compares.

mod error;
mod family;
mod gee;
mod input;
mod normal;
mod report;

pub use error::StatsError;
pub use family::{Correlation, Family};
pub use gee::{Options, fit};
pub use input::{Observations, Spec, read_csv};
pub use report::{Estimate, Param, Z_95};
