//! `leadhub stats gee`: fit a GEE to a CSV file and write RESULT.json.

use std::path::PathBuf;

use anyhow::Context;
use clap::Args;
use leadhub_stats::{Correlation, Estimate, Family, Options, Spec};

#[derive(Debug, Args)]
pub struct GeeArgs {
    /// CSV file with a header line.
    #[arg(long, value_name = "FILE")]
    csv: PathBuf,
    /// The outcome column (0/1 for binomial, a count for poisson).
    #[arg(long, value_name = "COL")]
    outcome: String,
    /// Predictor columns, separated by commas. An intercept named `Intercept` is always added.
    #[arg(
        long,
        value_name = "COL[,COL…]",
        value_delimiter = ',',
        required = true
    )]
    predictors: Vec<String>,
    /// The column naming each row's cluster (for leadhub's panel, the participant).
    #[arg(long, value_name = "COL")]
    cluster: String,
    #[arg(long, default_value = "binomial", value_name = "binomial|poisson")]
    family: Family,
    /// A column added to the linear predictor with coefficient 1 (log of the exposure).
    #[arg(long, value_name = "COL")]
    offset: Option<String>,
    /// A column of prior weights (independence only).
    #[arg(long, value_name = "COL")]
    weights: Option<String>,
    #[arg(
        long,
        default_value = "independence",
        value_name = "independence|exchangeable"
    )]
    corr: Correlation,
    /// Where to write the result as JSON.
    #[arg(long, value_name = "RESULT.json")]
    out: PathBuf,
}

pub fn gee(args: GeeArgs) -> anyhow::Result<()> {
    let spec = Spec {
        outcome: args.outcome,
        predictors: args.predictors,
        cluster: args.cluster,
        family: args.family,
        offset: args.offset,
        weights: args.weights,
        correlation: args.corr,
    };
    let file = std::fs::File::open(&args.csv)
        .with_context(|| format!("cannot open {}", args.csv.display()))?;
    let observations = leadhub_stats::read_csv(std::io::BufReader::new(file), &spec)
        .with_context(|| format!("cannot read {}", args.csv.display()))?;
    let estimate = leadhub_stats::fit(&observations, &spec, &Options::default())
        .with_context(|| format!("cannot fit the model to {}", args.csv.display()))?;
    let json = serde_json::to_string_pretty(&estimate)?;
    std::fs::write(&args.out, json + "\n")
        .with_context(|| format!("cannot write {}", args.out.display()))?;
    print!("{}", summary(&estimate));
    for warning in &estimate.warnings {
        eprintln!("warning: {warning}");
    }
    Ok(())
}

/// A table for the terminal.
fn summary(estimate: &Estimate) -> String {
    let mut out = format!(
        "GEE {} ({}), {} rows in {} clusters ({} left out for a blank), {} iterations",
        estimate.family,
        estimate.correlation,
        estimate.n_obs,
        estimate.n_clusters,
        estimate.rows_dropped,
        estimate.iterations
    );
    if let Some(alpha) = estimate.alpha {
        out += &format!(", alpha {alpha:.4}");
    }
    out += &format!(
        "\n{:<24} {:>10} {:>10} {:>8} {:>10} {:>10}  95% interval of the {}\n",
        "",
        "coef",
        "se",
        "z",
        "p",
        "exp",
        estimate.family.ratio_name()
    );
    for p in &estimate.params {
        out += &format!(
            "{:<24} {:>10.4} {:>10.4} {:>8.3} {:>10.3e} {:>10.4}  {:.4} – {:.4}\n",
            p.name, p.coef, p.se, p.z, p.p, p.exp, p.ci_low, p.ci_high
        );
    }
    out
}
