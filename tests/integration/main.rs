//! leadhub's integration tests: one binary, driving the router in process.
//!
//! Every test runs on the backend named by `TEST_DATABASE_URL`: unset means a fresh SQLite file
//! per test; `postgres://…` means a fresh PostgreSQL database per test, created through that
//! URL's role (which needs CREATEDB). `scripts/test.sh` runs the suite once for each.

// Tests state their expectations with unwrap/expect/panic: a failure is the point.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

mod accounts;
mod audit;
mod authorization;
mod bookings;
mod casework;
mod cli;
mod consent;
mod demo;
mod durability;
mod feedback;
mod forms;
mod health;
mod i18n;
mod inquiry;
mod jobs;
mod legal;
mod logs;
mod match_cli;
mod matching;
mod outcomes;
mod owg;
mod plans;
mod policy;
mod properties;
mod record_snapshots;
mod referral;
mod results;
mod security;
mod stats_cli;
mod triage;
