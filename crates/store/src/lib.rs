//! leadhub's database: one API over SQLite and PostgreSQL.
//!
//! Every public method is a use case that owns its transaction: it writes its rows, the audit
//! entry that records them, and commits, or changes nothing. The same SQL text runs on both
//! backends (`$1` placeholders, portable types); only the migrations differ, in type names.
//! Concurrent writers queue on row locks (PostgreSQL, READ COMMITTED) or on the single writer
//! connection (SQLite); the few conflicts left (serialization failures, a reference code drawn
//! twice) are retried a bounded number of times. No advisory locks or LISTEN/NOTIFY, so the
//! same code can run on distributed PostgreSQL-compatible engines.

mod accounts;
mod audit;
mod bookings;
mod casework;
mod demo;
mod feedback;
mod inquiries;
mod jobs;
mod legal;
mod matching;
mod migrations;
mod name_counts;
mod outcomes;
mod owg;
mod participants;
mod plans;
mod policy;
mod read_audit;
mod referrals;
mod results;
mod settings;
mod stamp;
mod triage;

use std::future::Future;
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use time::OffsetDateTime;

pub use accounts::{
    Account, Client, ENROLMENT_LIFETIME, Enrolled, Invitation, NewAccount, PendingEnrolment,
    RoleChange, SECOND_FACTOR_WINDOW, SecondFactor, SessionPolicy, SessionSummary, SessionUser,
    SignIn, Stage,
};
pub use audit::{Actor, AuditFilter, AuditRow, AuditVerification};
pub use bookings::{
    BookingLine, BookingReview, ImportCounts, ImportLine, Imported, LINK_THRESHOLD,
    ReviewCandidate, ReviewChoice, Reviewed,
};
pub use casework::{
    Brief, CASELOAD_LIMIT, CONSENT_EXPIRY_WARNING_DAYS, CaseloadFilter, CaseloadLine, CaseloadSize,
    Casework, Caseworker, Whose,
};
pub use demo::{
    DemoPeriod, DemoSpec, DemoSummary, FIRST_SITE_AS_OF, FIRST_SITE_CONTACTS, FIRST_SITE_ENROLLED,
    FIRST_SITE_REFERRALS,
};
pub use feedback::{CommunityFeedback, FeedbackReviewed, FeedbackSent, WaitingComment};
pub use inquiries::{InquiryDetail, InquiryLine, ReceivedInquiry, StoredInquiry};
pub use jobs::{
    Email, JOB_LEASE, Job, JobKind, JobServices, Mailer, Notification, OutboxMessage,
    REMIND_BEFORE, SEND_ATTEMPTS,
};
pub use legal::{
    AnswerView, CourtDate, LegalAccess, LegalFile, MatterChange, MatterLine, MatterView,
    RequestView,
};
pub use matching::{
    DuplicatePair, Lookup, MergeLine, MergeRefusal, Offered, PersonMatch, REVIEW_THRESHOLD,
    ReferralMatches, Why,
};
pub use migrations::{MIGRATION_VERSIONS, Migration};
pub use name_counts::{NAME_COUNTS_KEPT_FOR, NameCount};
pub use outcomes::{PanelUse, ParticipantMonths};
pub use owg::{
    ActionView, AgendaFact, ItemAbout, ItemEdit, ItemView, MeetingChange, MeetingLine, MeetingView,
};
pub use participants::{
    BREAK_GLASS_LASTS, BreakGlassEvent, ContactView, NoteView, Opened, ParticipantView, Reader,
    ReleaseView, SnapshotView,
};
pub use plans::{
    ChangedState, GoalView, PartnerChange, PartnerLine, Plan, PlanChange, ReferralOutChange,
    ReferralOutView, StepView,
};
pub use policy::{PolicyRecorded, PolicyVersion};
pub use referrals::{ReceivedReferral, ReferralReceipt, StoredReferral};
pub use results::{Change, Dashboard, Publish, PublishedQuarter};
pub use stamp::Stamp;
pub use triage::{
    AttemptLine, Edit, EventLine, NewAttempt, QUEUE_PAGE_SIZE, QueueFilter, QueueLine, QueuePage,
    QueueSort, QueueView, ReferralDetail, ReferrerContactLine, Refusal, ScreeningLine, Triaged,
};

/// The default database when none is configured.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://./data/leadhub.db";

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("unsupported database URL: use sqlite://PATH or postgres://…")]
    UnsupportedUrl,
    #[error(
        "an in-memory SQLite database cannot be shared by leadhub's connections: give a file path"
    )]
    InMemory,
    #[error("cannot create the database folder {path}: {message}")]
    CreateDir { path: String, message: String },
    #[error("stored data is not valid: {0}")]
    Corrupt(String),
    #[error("the audit entry of a read could not be written: {0}")]
    AuditQueue(String),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Which database engine a `Db` talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }

    pub fn from_url(url: &str) -> Result<Backend> {
        if url.starts_with("sqlite:") {
            Ok(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Backend::Postgres)
        } else {
            Err(StoreError::UnsupportedUrl)
        }
    }
}

/// A connection pool to one of the two supported databases.
#[derive(Debug, Clone)]
pub enum Db {
    Sqlite(SqlitePools),
    Postgres(PgPool),
}

/// SQLite allows one writer at a time. Writers share a single connection, so they queue in
/// order inside the process instead of polling SQLite's busy handler (whose back-off sleeps
/// made the slowest writes hundreds of milliseconds late under load); readers use the others,
/// which WAL lets run alongside the writer.
#[derive(Debug, Clone)]
pub struct SqlitePools {
    read: SqlitePool,
    write: SqlitePool,
    /// Writes reads' audit entries in groups, on `write`.
    read_audit: read_audit::ReadAudit,
}

/// An open transaction on either backend.
pub(crate) enum Tx {
    Sqlite(sqlx::Transaction<'static, sqlx::Sqlite>),
    Postgres(sqlx::Transaction<'static, sqlx::Postgres>),
}

/// Runs the same code, usually one query, on whichever backend a transaction is on:
/// `on_tx!(tx, conn => sqlx::query(SQL).bind(x).execute(conn).await)`.
macro_rules! on_tx {
    ($tx:expr, $conn:ident => $body:expr) => {
        match $tx {
            $crate::Tx::Sqlite(t) => {
                let $conn = &mut **t;
                $body
            }
            $crate::Tx::Postgres(t) => {
                let $conn = &mut **t;
                $body
            }
        }
    };
}
pub(crate) use on_tx;

/// Like `on_tx!`, on the pool (for reads that need no transaction).
macro_rules! on_pool {
    ($db:expr, $pool:ident => $body:expr) => {
        match $db {
            $crate::Db::Sqlite($crate::SqlitePools { read: $pool, .. }) => $body,
            $crate::Db::Postgres($pool) => $body,
        }
    };
}
pub(crate) use on_pool;

impl Tx {
    /// Appends the use case's audit entry and commits: the change and the entry that records
    /// it land together or not at all.
    pub(crate) async fn commit_with(mut self, entry: audit::Entry<'_>) -> Result<()> {
        audit::append(&mut self, entry).await?;
        self.commit().await
    }

    pub(crate) async fn commit(self) -> Result<()> {
        match self {
            Tx::Sqlite(t) => t.commit().await?,
            Tx::Postgres(t) => t.commit().await?,
        }
        Ok(())
    }
}

/// How many times a use case is tried when it collides with a concurrent one.
const ATTEMPTS: u32 = 8;
/// No retry starts after this long, so a failure reaches the caller well within a request's
/// time limit (and a person's form comes back to them instead of timing out).
const RETRY_DEADLINE: Duration = Duration::from_secs(12);

impl Db {
    /// Connects to the database named by `url`, creating a SQLite file (and its folder) if needed.
    pub async fn connect(url: &str) -> Result<Db> {
        match Backend::from_url(url)? {
            Backend::Sqlite => {
                if url.contains(":memory:") || url.contains("mode=memory") {
                    // Each pooled connection would get its own empty in-memory database.
                    return Err(StoreError::InMemory);
                }
                create_parent_dir(url)?;
                let options = SqliteConnectOptions::from_str(url)?
                    .create_if_missing(true)
                    .journal_mode(SqliteJournalMode::Wal)
                    // FULL: an acknowledged write survives power loss, not only a crash.
                    .synchronous(SqliteSynchronous::Full)
                    .foreign_keys(true)
                    .busy_timeout(Duration::from_secs(10));
                // The writer connects first: it creates the file and switches it to WAL.
                let write = SqlitePoolOptions::new()
                    .max_connections(1)
                    .acquire_timeout(Duration::from_secs(10))
                    .connect_with(options.clone())
                    .await?;
                let read = SqlitePoolOptions::new()
                    .max_connections(8)
                    .connect_with(options)
                    .await?;
                let read_audit = read_audit::ReadAudit::start(write.clone());
                Ok(Db::Sqlite(SqlitePools {
                    read,
                    write,
                    read_audit,
                }))
            }
            Backend::Postgres => {
                let pool = PgPoolOptions::new()
                    .max_connections(16)
                    .acquire_timeout(Duration::from_secs(10))
                    .connect(url)
                    .await?;
                Ok(Db::Postgres(pool))
            }
        }
    }

    pub fn backend(&self) -> Backend {
        match self {
            Db::Sqlite(_) => Backend::Sqlite,
            Db::Postgres(_) => Backend::Postgres,
        }
    }

    /// Applies every migration not yet applied.
    pub async fn migrate(&self) -> Result<()> {
        let migrator = migrations::migrator(self.backend());
        match self {
            Db::Sqlite(pools) => migrator.run(&pools.write).await?,
            Db::Postgres(pool) => migrator.run(pool).await?,
        }
        Ok(())
    }

    /// SQLite's durability settings on every connection kind as (journal mode, synchronous
    /// level) pairs; `None` on PostgreSQL, where every commit is durable.
    pub async fn sqlite_durability(&self) -> Result<Option<Vec<(String, i64)>>> {
        let Db::Sqlite(pools) = self else {
            return Ok(None);
        };
        let mut settings = Vec::new();
        for pool in [&pools.write, &pools.read] {
            let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
                .fetch_one(pool)
                .await?;
            let sync: i64 = sqlx::query_scalar("PRAGMA synchronous")
                .fetch_one(pool)
                .await?;
            settings.push((mode, sync));
        }
        Ok(Some(settings))
    }

    /// The versions of the migrations applied to this database, oldest first.
    pub async fn applied_migrations(&self) -> Result<Vec<i64>> {
        Ok(
            on_pool!(self, pool => sqlx::query_scalar("SELECT version FROM _sqlx_migrations ORDER BY version")
            .fetch_all(pool)
            .await?),
        )
    }

    /// Whether the database answers.
    pub async fn ping(&self) -> Result<()> {
        on_pool!(self, pool => sqlx::query("SELECT 1").execute(pool).await?.rows_affected());
        Ok(())
    }

    pub async fn close(&self) {
        match self {
            Db::Sqlite(pools) => {
                pools.write.close().await;
                pools.read.close().await;
            }
            Db::Postgres(pool) => pool.close().await,
        }
    }

    /// Starts a write transaction. On SQLite it takes the write lock at once (`BEGIN IMMEDIATE`),
    /// so a writer waits for another instead of failing when it upgrades from reading.
    pub(crate) async fn begin(&self) -> Result<Tx> {
        Ok(match self {
            Db::Sqlite(pools) => Tx::Sqlite(pools.write.begin_with("BEGIN IMMEDIATE").await?),
            // Explicit, whatever the server's default: the audit head's row lock makes
            // concurrent appends wait at this level, where stricter ones would fail them.
            Db::Postgres(pool) => Tx::Postgres(
                pool.begin_with("BEGIN ISOLATION LEVEL READ COMMITTED")
                    .await?,
            ),
        })
    }

    /// Starts a read-only transaction: one consistent snapshot for the several reads of a
    /// page, on SQLite's readers (never waiting for the writer).
    pub(crate) async fn begin_read(&self) -> Result<Tx> {
        Ok(match self {
            Db::Sqlite(pools) => Tx::Sqlite(pools.read.begin().await?),
            Db::Postgres(pool) => Tx::Postgres(
                pool.begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                    .await?,
            ),
        })
    }

    /// Records a read of personal data and returns once the entry is durable; call it before
    /// the data is handed out, and never while holding a write transaction (on SQLite the
    /// grouping task needs the one write connection). On SQLite entries of concurrent reads
    /// share one commit; should the grouping task be gone, each is written alone.
    pub(crate) async fn audit_read(&self, entry: audit::Entry<'_>) -> Result<()> {
        if let Db::Sqlite(pools) = self
            && pools.read_audit.append(entry.clone()).await?
        {
            return Ok(());
        }
        self.record_alone(entry).await
    }

    /// Runs `attempt` until it succeeds, fails for a reason other than a conflict with a
    /// concurrent writer, or has been tried `ATTEMPTS` times. Waits grow and are jittered, so
    /// writers that collided do not collide again in step.
    pub(crate) async fn retrying<T, F, Fut>(&self, mut attempt: F) -> Result<T>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T>>,
    {
        let started = std::time::Instant::now();
        let mut tries = 0;
        loop {
            tries += 1;
            match attempt().await {
                Err(e)
                    if tries < ATTEMPTS
                        && started.elapsed() < RETRY_DEADLINE
                        && is_conflict(&e) =>
                {
                    tracing::debug!(tries, "write conflict, retrying");
                    let ceiling = 5u64 << tries.min(6);
                    let wait = rand::Rng::random_range(&mut rand::rng(), 1..=ceiling);
                    tokio::time::sleep(Duration::from_millis(wait)).await;
                }
                result => return result,
            }
        }
    }
}

/// Errors that mean "another transaction got there first; the same work may succeed now":
/// serialization failures and deadlocks, a busy SQLite file, and a newly generated reference
/// code that happens to exist already (each attempt draws a new one). Other constraint
/// violations are real errors and are not retried.
pub(crate) fn is_conflict(error: &StoreError) -> bool {
    let StoreError::Database(sqlx::Error::Database(db)) = error else {
        return false;
    };
    if db.is_unique_violation() {
        let names_code = |s: &str| s.contains("reference_code");
        return db.constraint().is_some_and(names_code) || names_code(db.message());
    }
    matches!(
        db.code().as_deref(),
        Some("40001" | "40P01" | "5" | "6" | "517" | "261" | "262")
    )
}

fn create_parent_dir(url: &str) -> Result<()> {
    let path = url
        .trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:");
    let path = path.split('?').next().unwrap_or_default();
    if path.is_empty() {
        return Ok(());
    }
    if let Some(parent) = Path::new(path)
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
    {
        std::fs::create_dir_all(parent).map_err(|e| StoreError::CreateDir {
            path: parent.display().to_string(),
            message: e.to_string(),
        })?;
    }
    Ok(())
}

/// `$1, $2, …, $count`: the placeholders of an `IN (…)` list, the same on both databases.
pub(crate) fn placeholders(count: usize) -> String {
    (1..=count)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Now, to the microsecond: both databases keep microseconds, so a timestamp read back equals
/// the one written (the audit chain's hashes depend on it).
pub fn now() -> OffsetDateTime {
    truncate_to_micros(OffsetDateTime::now_utc())
}

pub fn truncate_to_micros(at: OffsetDateTime) -> OffsetDateTime {
    let at = at.to_offset(time::UtcOffset::UTC);
    at.replace_nanosecond(at.nanosecond() / 1_000 * 1_000)
        .unwrap_or(at)
}

/// A list of codes stored as a JSON array of strings.
pub(crate) fn json_list<'a>(items: impl IntoIterator<Item = &'a str>) -> String {
    serde_json::Value::Array(
        items
            .into_iter()
            .map(|s| serde_json::Value::String(s.to_owned()))
            .collect(),
    )
    .to_string()
}

pub(crate) fn parse_json_list(text: &str) -> Result<Vec<String>> {
    serde_json::from_str(text).map_err(|e| StoreError::Corrupt(format!("list column: {e}")))
}
