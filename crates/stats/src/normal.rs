//! The standard normal distribution, for Wald p-values.

/// Two-sided p-value of a standard normal z: P(|Z| ≥ |z|) = erfc(|z| / √2), computed with
/// `libm`'s erfc so that very small p-values keep their precision.
pub(crate) fn two_sided_p(z: f64) -> f64 {
    libm::erfc(z.abs() / std::f64::consts::SQRT_2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_quantiles() {
        assert!((two_sided_p(0.0) - 1.0).abs() < 1e-15);
        assert!((two_sided_p(crate::Z_95) - 0.05).abs() < 1e-15);
        assert!((two_sided_p(-crate::Z_95) - 0.05).abs() < 1e-15);
        // scipy.stats.norm.sf(10) * 2
        assert!((two_sided_p(10.0) / 1.523_970_604_832_105e-23 - 1.0).abs() < 1e-12);
    }
}
