//! What can go wrong, each with enough said to fix it.

/// Why a model could not be fitted. Messages name the row (the line of the file, the header
/// being line 1) and the column where there is one.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum StatsError {
    #[error("the file is empty: it needs a header line naming the columns")]
    EmptyFile,
    #[error("line {line}: {message}")]
    Csv { line: u64, message: String },
    #[error("column \"{column}\" is not in the header (the header has: {available})")]
    MissingColumn { column: String, available: String },
    #[error("column \"{column}\" appears more than once in the header")]
    DuplicateHeader { column: String },
    #[error("column \"{column}\" is used twice in the model")]
    ColumnUsedTwice { column: String },
    #[error("line {line}, column \"{column}\": the bytes are not UTF-8 text")]
    NotUtf8 { line: u64, column: String },
    #[error("line {line}, column \"{column}\": \"{value}\" is not a number")]
    NotANumber {
        line: u64,
        column: String,
        value: String,
    },
    #[error("line {line}, column \"{column}\": {problem}")]
    OutOfRange {
        line: u64,
        column: String,
        problem: String,
    },
    #[error("the columns have different lengths (outcome {outcome}, \"{column}\" {length})")]
    Shape {
        outcome: usize,
        column: String,
        length: usize,
    },
    #[error("the model names {named} predictors but the data has {given} predictor columns")]
    PredictorCount { named: usize, given: usize },
    #[error("no row has a value in every column the model uses ({dropped} rows had a blank)")]
    NoRows { dropped: usize },
    #[error("only {n_obs} rows for {n_params} parameters: a model needs more rows than parameters")]
    TooFewRows { n_obs: usize, n_params: usize },
    #[error("the outcome \"{column}\" is {value} in every row, so there is nothing to explain")]
    NoVariation { column: String, value: f64 },
    #[error(
        "predictor \"{column}\" has the same value ({value}) in every row: it cannot be told apart from the intercept"
    )]
    ConstantPredictor { column: String, value: f64 },
    #[error(
        "predictor \"{column}\" is a linear combination of the intercept and the predictors before it: drop one of them"
    )]
    Collinear { column: String },
    #[error(
        "the predictors separate the outcome perfectly, so the estimates are infinite: drop or combine the predictor that decides it"
    )]
    PerfectSeparation,
    #[error(
        "the predictors separate the outcome for {rows} rows (for example, a group in which the outcome is always 0, or always 1), so some estimates are infinite"
    )]
    QuasiSeparation { rows: usize },
    #[error(
        "the fit did not converge after {iterations} iterations (the score norm is still {score_norm:.3e}); this usually means (quasi-)separation or a predictor on a very large scale"
    )]
    NoConvergence { iterations: usize, score_norm: f64 },
    #[error(
        "weights with an exchangeable working correlation are not supported (statsmodels' handling of that case is not well defined); use --corr independence with weights"
    )]
    WeightsWithExchangeable,
    #[error(
        "the exchangeable correlation needs more pairs of rows within clusters ({pairs}) than parameters ({n_params})"
    )]
    TooFewPairs { pairs: f64, n_params: usize },
    #[error(
        "the estimated exchangeable correlation ({alpha:.4}) makes the working covariance singular for a cluster of {size} rows"
    )]
    InvalidCorrelation { alpha: f64, size: usize },
    #[error("the matrix of the {what} is singular: the data cannot identify every parameter")]
    Singular { what: &'static str },
    #[error("the {what} is not a finite number; the data cannot support this model")]
    NotFinite { what: String },
}
