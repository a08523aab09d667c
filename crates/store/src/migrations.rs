//! The migrations of both backends, compiled in. The two lists must name the same versions
//! with the same descriptions; `tests::both_backends_have_the_same_versions` and the
//! integration tests hold them to it.

use std::borrow::Cow;

use sqlx::SqlSafeStr;
use sqlx::migrate::{Migration as SqlxMigration, MigrationType, Migrator};

use crate::Backend;

/// One migration: version, description, and the SQL for each backend.
#[derive(Debug, Clone, Copy)]
pub struct Migration {
    pub version: i64,
    pub description: &'static str,
    pub sqlite: &'static str,
    pub postgres: &'static str,
}

macro_rules! migration {
    ($version:literal, $file:literal, $description:literal) => {
        Migration {
            version: $version,
            description: $description,
            sqlite: include_str!(concat!("../migrations/sqlite/", $file)),
            postgres: include_str!(concat!("../migrations/postgres/", $file)),
        }
    };
}

/// Every migration, oldest first. Adding one: write `migrations/{sqlite,postgres}/NNNN_name.sql`
/// and add a line here.
pub const MIGRATION_VERSIONS: &[Migration] = &[
    migration!(1, "0001_initial.sql", "initial"),
    migration!(2, "0002_accounts.sql", "accounts"),
    migration!(3, "0003_consent.sql", "consent"),
    migration!(4, "0004_triage.sql", "triage"),
    migration!(5, "0005_jobs.sql", "jobs"),
    migration!(6, "0006_casework.sql", "casework"),
    migration!(7, "0007_plans.sql", "plans"),
    migration!(8, "0008_results.sql", "results"),
    migration!(9, "0009_published.sql", "published"),
    migration!(10, "0010_matching.sql", "matching"),
    migration!(11, "0011_legal.sql", "legal"),
    migration!(12, "0012_bookings.sql", "bookings"),
    migration!(13, "0013_owg.sql", "owg"),
    migration!(14, "0014_policy.sql", "policy"),
    migration!(15, "0015_booking_kind.sql", "booking kind"),
    migration!(16, "0016_feedback.sql", "feedback"),
    migration!(17, "0017_name_counts.sql", "name counts"),
];

pub(crate) fn migrator(backend: Backend) -> Migrator {
    let migrations = MIGRATION_VERSIONS
        .iter()
        .map(|m| {
            let sql = match backend {
                Backend::Sqlite => m.sqlite,
                Backend::Postgres => m.postgres,
            };
            SqlxMigration::new(
                m.version,
                Cow::Borrowed(m.description),
                MigrationType::Simple,
                sql.into_sql_str(),
                false,
            )
        })
        .collect();
    let mut migrator = Migrator::with_migrations(migrations);
    // No advisory locks: they do not exist on every PostgreSQL-compatible engine. Run
    // `leadhub migrate` from one place at a time.
    migrator.set_locking(false);
    migrator
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(backend: &str) -> Vec<String> {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/");
        let mut names: Vec<String> = std::fs::read_dir(format!("{dir}{backend}"))
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|n| n.ends_with(".sql"))
            .collect();
        names.sort();
        names
    }

    #[test]
    fn both_backends_have_the_same_versions() {
        let sqlite = files("sqlite");
        assert_eq!(
            sqlite,
            files("postgres"),
            "migrations/sqlite and migrations/postgres differ"
        );
        assert_eq!(
            sqlite.len(),
            MIGRATION_VERSIONS.len(),
            "a migration file is not listed in MIGRATION_VERSIONS"
        );
        for (file, m) in sqlite.iter().zip(MIGRATION_VERSIONS) {
            assert_eq!(file[..4].parse::<i64>().unwrap(), m.version, "{file}");
        }
    }

    #[test]
    fn versions_increase() {
        assert!(
            MIGRATION_VERSIONS
                .windows(2)
                .all(|w| w[0].version < w[1].version)
        );
    }
}
