//! Identity resolution for leadhub: is this record someone we know?
//!
//! A probabilistic record-linkage engine in the Fellegi–Sunter tradition, in pure Rust
//! and with no database: records are [compared](compare) field by field into levels,
//! a [model] estimated from the data by expectation maximisation turns levels into
//! weights of evidence (adjusted for how common an agreed name or street is), and every
//! score comes with each field's contribution so that a case manager can see why.
//! [`linkage`] runs batches (deduplication and linking), [`cluster`] groups pairs into
//! people, and an [`Index`] answers "who might this be?" for one new record at a time.

pub mod blocking;
pub mod cluster;
pub mod compare;
pub mod dates;
pub mod index;
pub mod input;
pub mod linkage;
pub mod model;
pub mod names;
pub mod record;
pub mod similarity;
pub mod synth;
pub mod text;

pub use compare::{Comparison, Field};
pub use index::{Candidate, Index, lookup_model};
pub use linkage::{DEFAULT_THRESHOLD, Linkage, Options, Pair, dedupe, fit, link};
pub use model::{Contribution, Frequencies, Model, QueryScorer, Score};
pub use record::{Column, FieldError, RawRecord, Record};
