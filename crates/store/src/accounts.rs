//! Staff accounts: invitations and enrolment, sign-in with a password and a second factor,
//! sessions, and the administrator's changes. Every attempt and every change leaves an audit
//! entry, written in the same transaction.
//!
//! Password checks (argon2, tens of milliseconds) run outside any transaction, on the blocking
//! pool and at most a few at a time; the account's throttle is then stored with a conditional
//! UPDATE (only if it is still the state that was read), so parallel guesses cannot all pass
//! one open gate.

use std::sync::LazyLock;
use std::time::Duration;

use leadhub_domain::Email;
use leadhub_domain::access::Role;
use leadhub_domain::calendar::{from_offset_date_time, to_offset_date_time};
use leadhub_domain::credentials::{
    NewPassword, RECOVERY_CODES, RecoveryCode, StoredPassword, Token, TotpSecret, verify_nothing,
};
use leadhub_domain::ids::{SessionId, UserId};
use leadhub_domain::throttle::{Attempt, Throttle};
use time::OffsetDateTime;
use tokio::sync::Semaphore;

use crate::audit::{Actor, Entry};
use crate::{Db, Result, Stamp, StoreError, Tx, on_pool, on_tx};

/// How long an enrolment link works.
pub const ENROLMENT_LIFETIME: Duration = Duration::from_secs(72 * 3600);
/// How long someone has, after the password, to type the code from their app.
pub const SECOND_FACTOR_WINDOW: Duration = Duration::from_secs(5 * 60);

/// Password checks running at once: each takes 19 MiB and a core for tens of milliseconds, so
/// a flood of sign-ins queues here instead of exhausting memory.
static PASSWORD_CHECKS: LazyLock<Semaphore> = LazyLock::new(|| {
    Semaphore::new(std::thread::available_parallelism().map_or(2, std::num::NonZero::get))
});

/// Where a request came from, for sessions and audit entries.
#[derive(Debug, Clone, Copy)]
pub struct Client<'a> {
    pub address: &'a str,
    pub agent: &'a str,
}

/// How long sessions live.
#[derive(Debug, Clone, Copy)]
pub struct SessionPolicy {
    /// A session unused this long ends.
    pub idle: Duration,
    /// A session ends this long after sign-in, however busy.
    pub lifetime: Duration,
    /// Demo accounts may sign in (only when the server runs with `--demo`).
    pub demo: bool,
}

impl Default for SessionPolicy {
    fn default() -> Self {
        Self {
            idle: Duration::from_secs(15 * 60),
            lifetime: Duration::from_secs(12 * 3600),
            demo: false,
        }
    }
}

/// A new account as an administrator (or the operator) describes it.
#[derive(Debug, Clone)]
pub struct NewAccount {
    pub email: Email,
    pub name: String,
    pub role: Role,
    /// The organisation the person works for (what releases of information name), if any.
    pub organization: Option<String>,
}

/// A one-time enrolment link's secret and when it stops working.
#[derive(Debug, Clone)]
pub struct Invitation {
    pub user_id: UserId,
    pub token: Token,
    pub expires_at: OffsetDateTime,
}

/// An account as the administrator sees it.
#[derive(Debug, Clone)]
pub struct Account {
    pub id: UserId,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub organization: Option<String>,
    pub disabled: bool,
    pub demo: bool,
    pub enrolled: bool,
    pub created_at: OffsetDateTime,
}

/// An unused, unexpired enrolment link, with the account it is for.
#[derive(Debug, Clone)]
pub struct PendingEnrolment {
    pub user_id: UserId,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub totp_secret: TotpSecret,
    pub expires_at: OffsetDateTime,
}

/// Where a session is in signing in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// The password was right; the code from the app is still needed.
    SecondFactor,
    Active,
}

impl Stage {
    fn code(self) -> &'static str {
        match self {
            Stage::SecondFactor => "second_factor",
            Stage::Active => "active",
        }
    }
}

/// A live session and whose it is, read fresh on every request (so a role change or a
/// disabled account takes effect on the next one).
#[derive(Debug, Clone)]
pub struct SessionUser {
    pub session_id: SessionId,
    pub user_id: UserId,
    pub name: String,
    pub email: String,
    pub role: Role,
    pub organization: Option<String>,
    pub stage: Stage,
    pub signed_in_at: OffsetDateTime,
    pub reauthenticated_at: Option<OffsetDateTime>,
}

impl SessionUser {
    pub fn actor(&self) -> Actor {
        Actor::User {
            id: self.user_id,
            role: self.role,
        }
    }
}

/// One of a person's sessions, for their list.
#[derive(Debug, Clone)]
pub struct SessionSummary {
    pub id: SessionId,
    pub created_at: OffsetDateTime,
    pub last_seen: OffsetDateTime,
    pub address: String,
    pub agent: String,
    pub active: bool,
}

/// What became of a password sign-in. `Wrong` covers unknown emails, disabled accounts and
/// wrong passwords alike, so the answer never tells whether an email has an account.
#[derive(Debug)]
pub enum SignIn {
    /// Too many failures lately: try again after this long (the password was not checked).
    Wait(Duration),
    Wrong,
    /// Password right; a code from the app (or a recovery code) is needed next.
    SecondFactor(Token),
    SignedIn(Token),
}

/// What became of a second-factor attempt.
#[derive(Debug)]
pub enum SecondFactor {
    Wait(Duration),
    Wrong,
    /// The pending sign-in is unknown, used or older than `SECOND_FACTOR_WINDOW`.
    Expired,
    /// Signed in; the session's token is replaced (the old one no longer works).
    SignedIn(Token),
}

/// What became of a role change.
#[derive(Debug)]
pub enum RoleChange {
    NotFound,
    Changed,
    /// Changed to a role that needs an authenticator app the account does not have yet: it
    /// must set up again through this link.
    NeedsEnrolment(Invitation),
}

/// What became of completing an enrolment.
#[derive(Debug)]
pub enum Enrolled {
    /// Done; the recovery codes are shown once and stored only as hashes.
    Done(Vec<RecoveryCode>),
    /// The code from the app did not match the secret shown.
    WrongCode,
    /// The link is unknown, used or expired.
    Expired,
}

#[derive(sqlx::FromRow)]
struct AccountRow {
    id: String,
    email: String,
    name: String,
    role: String,
    organization: Option<String>,
    disabled: bool,
    demo: bool,
    enrolled: bool,
    created_at: OffsetDateTime,
}

impl AccountRow {
    fn account(self) -> Result<Account> {
        Ok(Account {
            id: parse_id(&self.id)?,
            role: parse_role(&self.role)?,
            email: self.email,
            name: self.name,
            organization: self.organization,
            disabled: self.disabled,
            demo: self.demo,
            enrolled: self.enrolled,
            created_at: self.created_at,
        })
    }
}

#[derive(sqlx::FromRow)]
struct Credentials {
    id: String,
    role: String,
    password_hash: Option<String>,
    totp_secret: Option<String>,
    totp_last_step: Option<i64>,
    email: String,
    disabled: bool,
    demo: bool,
}

impl Credentials {
    fn user_id(&self) -> Result<UserId> {
        self.id
            .parse()
            .map_err(|_| StoreError::Corrupt(format!("user id {:?}", self.id)))
    }

    fn role(&self) -> Result<Role> {
        parse_role(&self.role)
    }

    fn totp(&self) -> Option<TotpSecret> {
        self.totp_secret
            .as_deref()
            .and_then(|s| TotpSecret::from_base32(s).ok())
    }
}

fn parse_role(code: &str) -> Result<Role> {
    code.parse()
        .map_err(|_| StoreError::Corrupt(format!("role {code:?}")))
}

fn parse_id<T: std::str::FromStr>(text: &str) -> Result<T> {
    text.parse()
        .map_err(|_| StoreError::Corrupt(format!("id {text:?}")))
}

fn after(at: OffsetDateTime, wait: Duration) -> OffsetDateTime {
    at + time::Duration::try_from(wait).unwrap_or(time::Duration::ZERO)
}

fn unix_seconds(at: OffsetDateTime) -> u64 {
    u64::try_from(at.unix_timestamp()).unwrap_or(0)
}

const CREDENTIALS: &str = "SELECT id, role, password_hash, totp_secret, totp_last_step, email, \
     disabled, demo FROM users WHERE ";

/// The sign-in slow-down of one typed email, as read: kept by a hash of the email whether or
/// not an account has it, so slowing down says nothing about which emails exist.
#[derive(Debug, Clone)]
struct Gate {
    key: String,
    throttle: Throttle,
    /// Checked attempts so far: the version a conditional write compares.
    attempts: i64,
}

fn gate_key(email: &str) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(format!(
        "leadhub-sign-in\x1f{}",
        email.trim().to_lowercase()
    ));
    leadhub_domain::credentials::hex(&digest)
}

const READ_GATE: &str =
    "SELECT failures, last_failure, attempts FROM sign_in_throttle WHERE email_hash = $1";

fn gate_from(key: String, row: Option<(i32, Option<OffsetDateTime>, i64)>) -> Gate {
    let (failures, last_failure, attempts) = row.unwrap_or_default();
    Gate {
        key,
        throttle: Throttle {
            failures: u32::try_from(failures).unwrap_or(0),
            last_failure: last_failure.map(from_offset_date_time),
        },
        attempts,
    }
}

/// Stores the state after a checked attempt, if no other checked attempt was stored since
/// the gate was read; false if one was (this attempt then does not count, whatever its
/// result), so parallel guesses cannot all pass one open gate.
async fn store_gate(tx: &mut Tx, gate: &Gate, new: Throttle) -> Result<bool> {
    let failures = i32::try_from(new.failures).unwrap_or(i32::MAX);
    let last = new.last_failure.map(|t| Stamp(to_offset_date_time(t)));
    let changed = on_tx!(tx, c => sqlx::query(
        "INSERT INTO sign_in_throttle (email_hash, failures, last_failure, attempts) \
         VALUES ($1, $2, $3, $5) \
         ON CONFLICT (email_hash) DO UPDATE SET failures = $2, last_failure = $3, attempts = $5 \
         WHERE sign_in_throttle.attempts = $4",
    )
    .bind(&gate.key)
    .bind(failures)
    .bind(last)
    .bind(gate.attempts)
    .bind(gate.attempts.saturating_add(1))
    .execute(c)
    .await?
    .rows_affected());
    Ok(changed == 1)
}

async fn end_sessions_of(tx: &mut Tx, user_id: &str, now: OffsetDateTime) -> Result<u64> {
    Ok(on_tx!(tx, c => sqlx::query(
        "UPDATE sessions SET ended_at = $1 WHERE user_id = $2 AND ended_at IS NULL",
    )
    .bind(Stamp(now))
    .bind(user_id)
    .execute(c)
    .await?
    .rows_affected()))
}

async fn insert_enrolment(tx: &mut Tx, user_id: UserId, now: OffsetDateTime) -> Result<Invitation> {
    let invitation = Invitation {
        user_id,
        token: Token::generate(),
        expires_at: after(now, ENROLMENT_LIFETIME),
    };
    // An older link for the same account stops working: only the newest counts.
    on_tx!(tx, c => sqlx::query(
        "UPDATE enrolments SET used_at = $1 WHERE user_id = $2 AND used_at IS NULL",
    )
    .bind(Stamp(now))
    .bind(user_id.to_string())
    .execute(c)
    .await?
    .rows_affected());
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO enrolments (token_hash, user_id, totp_secret, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(invitation.token.hash())
    .bind(user_id.to_string())
    .bind(TotpSecret::generate().base32())
    .bind(Stamp(now))
    .bind(Stamp(invitation.expires_at))
    .execute(c)
    .await?
    .rows_affected());
    Ok(invitation)
}

/// Hashes a new password, one of `PASSWORD_CHECKS` at a time. It runs on the calling runtime
/// thread: new passwords are rare (enrolment, demo start-up), and moving the hash to the
/// blocking pool raised `serve --demo`'s idle memory from 42 to 99 MB (each blocking thread's
/// allocator arena kept its 19 MiB).
async fn hash_new_password(password: &NewPassword) -> StoredPassword {
    let _permit = PASSWORD_CHECKS.acquire().await;
    password.hash()
}

/// Runs the password check on the blocking pool (the caller holds a `PASSWORD_CHECKS`
/// permit). Without a stored password the same work is done and the attempt is wrong.
async fn check_password(
    throttle: Throttle,
    stored: Option<StoredPassword>,
    password: String,
    now: OffsetDateTime,
) -> (Attempt, Throttle) {
    let now = from_offset_date_time(now);
    let checked = tokio::task::spawn_blocking(move || {
        throttle.attempt(now, || match &stored {
            Some(stored) => stored.verify(&password),
            None => {
                verify_nothing(&password);
                false
            }
        })
    })
    .await;
    // The closure cannot panic (argon2 reports errors as values); if the task were lost
    // anyway, the attempt counts as wrong and nothing changes.
    checked.unwrap_or((Attempt::Wrong, throttle))
}

impl Db {
    /// Creates an account with no password yet, and the one-time link to set one up.
    /// `None` if the email already has an account.
    pub async fn add_account(
        &self,
        account: &NewAccount,
        actor: &Actor,
        address: Option<&str>,
        now: OffsetDateTime,
    ) -> Result<Option<Invitation>> {
        let now = crate::truncate_to_micros(now);
        let email = account.email.as_str().to_lowercase();
        self.retrying(|| async {
            let mut tx = self.begin().await?;
            let taken: Option<String> = on_tx!(&mut tx, c => sqlx::query_scalar(
                "SELECT id FROM users WHERE email = $1",
            )
            .bind(&email)
            .fetch_optional(c)
            .await?);
            if taken.is_some() {
                tx.commit_with(
                    Entry::new(actor, "user.create", ("user", taken), "email_taken", now)
                        .with_address(address),
                )
                .await?;
                return Ok(None);
            }
            let id = UserId::new();
            on_tx!(&mut tx, c => sqlx::query(
                "INSERT INTO users (id, email, name, role, organization, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(id.to_string())
            .bind(&email)
            .bind(&account.name)
            .bind(account.role.code())
            .bind(&account.organization)
            .bind(Stamp(now))
            .execute(c)
            .await?
            .rows_affected());
            let invitation = insert_enrolment(&mut tx, id, now).await?;
            let outcome = format!("ok: {}", account.role);
            tx.commit_with(
                Entry::new(
                    actor,
                    "user.create",
                    ("user", Some(id.to_string())),
                    &outcome,
                    now,
                )
                .with_address(address),
            )
            .await?;
            Ok(Some(invitation))
        })
        .await
    }

    /// An account ready to sign in with the given password and app secret, made (or remade,
    /// for the same email) without an enrolment link. `serve --demo` makes its demo accounts
    /// this way (`demo`: they sign in only while the server runs in demo mode); tests and
    /// benchmarks make theirs.
    pub async fn add_enrolled_account(
        &self,
        account: &NewAccount,
        password: &NewPassword,
        totp: &TotpSecret,
        demo: bool,
    ) -> Result<UserId> {
        let now = crate::now();
        let email = account.email.as_str().to_lowercase();
        let hash = hash_new_password(password).await;
        self.retrying(|| async {
            let mut tx = self.begin().await?;
            let existing: Option<String> = on_tx!(&mut tx, c => sqlx::query_scalar(
                "SELECT id FROM users WHERE email = $1",
            )
            .bind(&email)
            .fetch_optional(c)
            .await?);
            let id = match existing {
                Some(id) => parse_id(&id)?,
                None => UserId::new(),
            };
            on_tx!(&mut tx, c => sqlx::query(
                "INSERT INTO users (id, email, name, role, password_hash, totp_secret, demo, created_at, organization) \
                 VALUES ($1, $2, $3, $4, $5, $6, $9, $7, $8) \
                 ON CONFLICT (email) DO UPDATE SET name = $3, role = $4, password_hash = $5, \
                 totp_secret = $6, totp_last_step = NULL, \
                 disabled = FALSE, demo = $9, organization = $8",
            )
            .bind(id.to_string())
            .bind(&email)
            .bind(&account.name)
            .bind(account.role.code())
            .bind(hash.as_str())
            .bind(totp.base32())
            .bind(Stamp(now))
            .bind(&account.organization)
            .bind(demo)
            .execute(c)
            .await?
            .rows_affected());
            tx.commit_with(Entry::new(&Actor::System, "user.create_enrolled", ("user", Some(id.to_string())), if demo { "ok: demo" } else { "ok" }, now)).await?;
            Ok(id)
        })
        .await
    }

    /// The enrolment a link is for, if the link is unused and unexpired.
    pub async fn pending_enrolment(
        &self,
        token: &Token,
        now: OffsetDateTime,
    ) -> Result<Option<PendingEnrolment>> {
        type Row = (String, String, String, String, String, OffsetDateTime);
        let row: Option<Row> = on_pool!(self, pool => sqlx::query_as(
            "SELECT u.id, u.email, u.name, u.role, e.totp_secret, e.expires_at \
             FROM enrolments e JOIN users u ON u.id = e.user_id \
             WHERE e.token_hash = $1 AND e.used_at IS NULL AND e.expires_at > $2 AND NOT u.disabled",
        )
        .bind(token.hash())
        .bind(Stamp(now))
        .fetch_optional(pool)
        .await?);
        let Some((id, email, name, role, secret, expires_at)) = row else {
            return Ok(None);
        };
        Ok(Some(PendingEnrolment {
            user_id: parse_id(&id)?,
            email,
            name,
            role: parse_role(&role)?,
            totp_secret: TotpSecret::from_base32(&secret)
                .map_err(|_| StoreError::Corrupt("enrolment secret".into()))?,
            expires_at,
        }))
    }

    /// Sets the password and (for roles that need one) the second factor from an enrolment
    /// link, and uses the link up. `code` must come from the app holding the link's secret.
    pub async fn complete_enrolment(
        &self,
        token: &Token,
        password: &NewPassword,
        code: &str,
        client: Client<'_>,
        now: OffsetDateTime,
    ) -> Result<Enrolled> {
        let now = crate::truncate_to_micros(now);
        let Some(pending) = self.pending_enrolment(token, now).await? else {
            return Ok(Enrolled::Expired);
        };
        let needs_code = pending.role.sees_personal_data();
        let step = pending.totp_secret.check(code, unix_seconds(now), None);
        let actor = Actor::User {
            id: pending.user_id,
            role: pending.role,
        };
        let record = || ("user", Some(pending.user_id.to_string()));
        if needs_code && step.is_none() {
            self.record_alone(
                Entry::new(&actor, "user.enrol", record(), "wrong_code", now)
                    .with_address(Some(client.address)),
            )
            .await?;
            return Ok(Enrolled::WrongCode);
        }
        let hash = hash_new_password(password).await;
        let codes: Vec<RecoveryCode> = if needs_code {
            (0..RECOVERY_CODES)
                .map(|_| RecoveryCode::generate())
                .collect()
        } else {
            Vec::new()
        };
        self.retrying(|| async {
            let mut tx = self.begin().await?;
            let used = on_tx!(&mut tx, c => sqlx::query(
                "UPDATE enrolments SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL",
            )
            .bind(Stamp(now))
            .bind(token.hash())
            .execute(c)
            .await?
            .rows_affected());
            if used != 1 {
                return Ok(Enrolled::Expired);
            }
            let user = pending.user_id.to_string();
            let secret = needs_code.then(|| pending.totp_secret.base32());
            let step = step.and_then(|s| i64::try_from(s).ok());
            on_tx!(&mut tx, c => sqlx::query(
                "UPDATE users SET password_hash = $1, totp_secret = $2, totp_last_step = $3 \
                 WHERE id = $4",
            )
            .bind(hash.as_str())
            .bind(&secret)
            .bind(step)
            .bind(&user)
            .execute(c)
            .await?
            .rows_affected());
            on_tx!(&mut tx, c => sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1")
                .bind(&user)
                .execute(c)
                .await?
                .rows_affected());
            for code in &codes {
                on_tx!(&mut tx, c => sqlx::query(
                    "INSERT INTO recovery_codes (user_id, code_hash) VALUES ($1, $2)",
                )
                .bind(&user)
                .bind(code.hash())
                .execute(c)
                .await?
                .rows_affected());
            }
            end_sessions_of(&mut tx, &user, now).await?;
            tx.commit_with(
                Entry::new(&actor, "user.enrol", record(), "ok", now)
                    .with_address(Some(client.address)),
            )
            .await?;
            Ok(Enrolled::Done(codes.clone()))
        })
        .await
    }

    /// Checks an email and password. Unknown emails, disabled accounts and accounts without
    /// a password take the same time and get the same answer as a wrong password.
    pub async fn sign_in(
        &self,
        email: &str,
        password: &str,
        client: Client<'_>,
        now: OffsetDateTime,
        policy: SessionPolicy,
    ) -> Result<SignIn> {
        let now = crate::truncate_to_micros(now);
        let email = email.trim().to_lowercase();
        let permit = PASSWORD_CHECKS.acquire().await;
        // Read after taking the permit: an attempt queued behind others sees their results.
        let gate = self.read_gate(&email).await?;
        let sql = format!("{CREDENTIALS}email = $1");
        let user: Option<Credentials> = on_pool!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .bind(&email)
            .fetch_optional(pool)
            .await?);
        let usable = user
            .as_ref()
            .filter(|u| !u.disabled && u.password_hash.is_some() && (policy.demo || !u.demo));
        let stored = usable
            .and_then(|u| u.password_hash.clone())
            .map(StoredPassword::from_stored);
        let (attempt, mut throttle) =
            check_password(gate.throttle, stored, password.to_owned(), now).await;
        drop(permit);
        let account = match &user {
            Some(u) => Some((u.user_id()?, u.role()?)),
            None => None,
        };
        let needs_code = account.is_some_and(|(_, role)| role.sees_personal_data());
        if matches!(attempt, Attempt::Right) && needs_code {
            // Failures are forgotten only when the whole sign-in succeeds: otherwise a known
            // password would reset the count between rounds of guessed codes.
            throttle = gate.throttle;
        }
        let actor = match account {
            Some((id, role)) => Actor::User { id, role },
            None => Actor::Public,
        };
        let record = ("user", account.map(|(id, _)| id.to_string()));
        self.retrying(|| async {
            let mut tx = self.begin().await?;
            let counted = match attempt {
                Attempt::Refused(_) => true,
                Attempt::Wrong | Attempt::Right => store_gate(&mut tx, &gate, throttle).await?,
            };
            let (outcome, answer) = match (attempt, counted, account) {
                (Attempt::Refused(wait), _, _) => ("throttled", SignIn::Wait(wait.unsigned_abs())),
                // Another attempt for this email was counted meanwhile: this one is not.
                (_, false, _) => ("concurrent_attempt", SignIn::Wait(Duration::from_secs(1))),
                (Attempt::Right, true, Some((user_id, role))) => {
                    let stage = if role.sees_personal_data() {
                        Stage::SecondFactor
                    } else {
                        Stage::Active
                    };
                    let lasts = match stage {
                        Stage::SecondFactor => SECOND_FACTOR_WINDOW,
                        Stage::Active => policy.lifetime,
                    };
                    let token = insert_session(&mut tx, user_id, stage, client, now, lasts).await?;
                    match stage {
                        Stage::SecondFactor => ("password_ok", SignIn::SecondFactor(token)),
                        Stage::Active => ("ok", SignIn::SignedIn(token)),
                    }
                }
                (_, true, None) => ("no_such_account", SignIn::Wrong),
                (_, true, Some(_)) if usable.is_none() => ("account_not_usable", SignIn::Wrong),
                (_, true, Some(_)) => ("wrong_password", SignIn::Wrong),
            };
            // The typed email is not recorded for unknown accounts: it may be someone's
            // password typed in the wrong box.
            tx.commit_with(
                Entry::new(&actor, "sign_in.password", record.clone(), outcome, now)
                    .with_address(Some(client.address)),
            )
            .await?;
            Ok(answer)
        })
        .await
    }

    async fn read_gate(&self, email: &str) -> Result<Gate> {
        let key = gate_key(email);
        let row = on_pool!(self, pool => sqlx::query_as(READ_GATE).bind(&key).fetch_optional(pool).await?);
        Ok(gate_from(key, row))
    }

    /// Records an attempt that changed nothing (it lost a race with another attempt).
    async fn record_attempt(
        &self,
        actor: &Actor,
        action: &str,
        outcome: &str,
        address: &str,
        now: OffsetDateTime,
    ) -> Result<()> {
        let record = match actor {
            Actor::User { id, .. } => Some(id.to_string()),
            Actor::Public | Actor::System | Actor::Operator => None,
        };
        self.record_alone(
            Entry::new(actor, action, ("user", record), outcome, now).with_address(Some(address)),
        )
        .await
    }

    /// Checks the code from the app (or a recovery code) for a session waiting for it.
    /// Each app code works once; recovery codes are used up.
    pub async fn second_factor(
        &self,
        token: &Token,
        code: &str,
        client: Client<'_>,
        now: OffsetDateTime,
        policy: SessionPolicy,
    ) -> Result<SecondFactor> {
        let now = crate::truncate_to_micros(now);
        self.retrying(|| async {
            let mut tx = self.begin().await?;
            let sql = format!(
                "{CREDENTIALS}id = (SELECT user_id FROM sessions WHERE token_hash = $1 \
                 AND stage = 'second_factor' AND ended_at IS NULL AND expires_at > $2)"
            );
            let user: Option<Credentials> = on_tx!(&mut tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(token.hash())
                .bind(Stamp(now))
                .fetch_optional(c)
                .await?);
            let Some(user) = user.filter(|u| !u.disabled) else {
                tx.commit_with(Entry::new(&Actor::Public, "sign_in.second_factor", ("session", None), "expired", now)
                        .with_address(Some(client.address))).await?;
                return Ok(SecondFactor::Expired);
            };
            let user_id = user.user_id()?;
            let actor = Actor::User { id: user_id, role: user.role()? };
            let gate = gate_from(
                gate_key(&user.email),
                on_tx!(&mut tx, c => sqlx::query_as(READ_GATE).bind(gate_key(&user.email)).fetch_optional(c).await?),
            );
            let mut how = "totp";
            let mut matched_step = None;
            let (attempt, _) = gate.throttle.attempt(from_offset_date_time(now), || {
                matched_step = user.totp().and_then(|secret| {
                    let last = user.totp_last_step.and_then(|s| u64::try_from(s).ok());
                    secret.check(code, unix_seconds(now), last)
                });
                matched_step.is_some() || RecoveryCode::parse(code).is_some()
            });
            // A recovery code is only known to be right once it is used up, below.
            let mut right = matches!(attempt, Attempt::Right);
            if right {
                right = match matched_step {
                    Some(step) => use_totp_step(&mut tx, &user.id, step).await?,
                    None => {
                        how = "recovery_code";
                        use_recovery_code(&mut tx, &user.id, code, now).await?
                    }
                };
            }
            if let Attempt::Refused(wait) = attempt {
                tx.commit_with(Entry::new(&actor, "sign_in.second_factor", ("user", Some(user_id.to_string())), "throttled", now)
                        .with_address(Some(client.address))).await?;
                return Ok(SecondFactor::Wait(wait.unsigned_abs()));
            }
            // Right: the whole sign-in succeeded, failures are forgotten. Wrong: one more,
            // whatever the closure guessed.
            let throttle = if right {
                Throttle::default()
            } else {
                gate.throttle.attempt(from_offset_date_time(now), || false).1
            };
            if !store_gate(&mut tx, &gate, throttle).await? {
                // Another attempt was counted meanwhile: undo this one's use of a code.
                drop(tx);
                self.record_attempt(&actor, "sign_in.second_factor", "concurrent_attempt", client.address, now)
                    .await?;
                return Ok(SecondFactor::Wait(Duration::from_secs(1)));
            }
            let (outcome, answer) = match right {
                true => {
                    let fresh = Token::generate();
                    on_tx!(&mut tx, c => sqlx::query(
                        "UPDATE sessions SET token_hash = $1, stage = 'active', last_seen = $2, \
                         expires_at = $3 WHERE token_hash = $4",
                    )
                    .bind(fresh.hash())
                    .bind(Stamp(now))
                    .bind(Stamp(after(now, policy.lifetime)))
                    .bind(token.hash())
                    .execute(c)
                    .await?
                    .rows_affected());
                    (if how == "totp" { "ok" } else { "ok_recovery_code" }, SecondFactor::SignedIn(fresh))
                }
                false => ("wrong_code", SecondFactor::Wrong),
            };
            tx.commit_with(Entry::new(&actor, "sign_in.second_factor", ("user", Some(user_id.to_string())), outcome, now)
                    .with_address(Some(client.address))).await?;
            Ok(answer)
        })
        .await
    }

    /// The session a cookie names, if it is live: not ended, not past its lifetime, not idle
    /// too long, and its account not disabled. An idle session is ended here. `last_seen` is
    /// written at most once a minute, so a busy page does not write on every request.
    pub async fn session(
        &self,
        token: &Token,
        now: OffsetDateTime,
        policy: SessionPolicy,
    ) -> Result<Option<SessionUser>> {
        type Row = (
            String,
            String,
            String,
            OffsetDateTime,
            OffsetDateTime,
            OffsetDateTime,
            Option<OffsetDateTime>,
            String,
            String,
            String,
            bool,
            Option<String>,
            bool,
        );
        let row: Option<Row> = on_pool!(self, pool => sqlx::query_as(
            "SELECT s.id, s.user_id, s.stage, s.created_at, s.last_seen, s.expires_at, s.reauth_at, \
             u.name, u.email, u.role, u.disabled, u.organization, u.demo \
             FROM sessions s JOIN users u ON u.id = s.user_id \
             WHERE s.token_hash = $1 AND s.ended_at IS NULL",
        )
        .bind(token.hash())
        .fetch_optional(pool)
        .await?);
        let Some((
            id,
            user_id,
            stage,
            created,
            last_seen,
            expires,
            reauth,
            name,
            email,
            role,
            disabled,
            organization,
            demo,
        )) = row
        else {
            return Ok(None);
        };
        let stage = if stage == Stage::Active.code() {
            Stage::Active
        } else {
            Stage::SecondFactor
        };
        let idle_out = stage == Stage::Active && after(last_seen, policy.idle) <= now;
        let demo_outside_demo = demo && !policy.demo;
        if disabled || demo_outside_demo || expires <= now || idle_out {
            let reason = if disabled {
                "disabled"
            } else if demo_outside_demo {
                "demo_account_outside_demo"
            } else if idle_out {
                "idle"
            } else {
                "expired"
            };
            self.end_session_by_hash(&token.hash(), reason, None, now)
                .await?;
            return Ok(None);
        }
        let user_id: UserId = parse_id(&user_id)?;
        // Within a fifteenth of the idle timeout (a minute, by default) is close enough.
        let touch_every = (policy.idle / 15).min(Duration::from_secs(60));
        if stage == Stage::Active && after(last_seen, touch_every) <= now {
            self.retrying(|| async {
                let mut tx = self.begin().await?;
                on_tx!(&mut tx, c => sqlx::query(
                    "UPDATE sessions SET last_seen = $1 WHERE token_hash = $2 AND last_seen < $1",
                )
                .bind(Stamp(crate::truncate_to_micros(now)))
                .bind(token.hash())
                .execute(c)
                .await?
                .rows_affected());
                tx.commit().await
            })
            .await?;
        }
        Ok(Some(SessionUser {
            session_id: parse_id(&id)?,
            user_id,
            name,
            email,
            role: parse_role(&role)?,
            organization,
            stage,
            signed_in_at: created,
            reauthenticated_at: reauth,
        }))
    }

    async fn end_session_by_hash(
        &self,
        token_hash: &str,
        reason: &str,
        address: Option<&str>,
        now: OffsetDateTime,
    ) -> Result<()> {
        let now = crate::truncate_to_micros(now);
        self.retrying(|| async {
            let mut tx = self.begin().await?;
            let ended: Option<(String, String)> = on_tx!(&mut tx, c => sqlx::query_as(
                "UPDATE sessions SET ended_at = $1 WHERE token_hash = $2 AND ended_at IS NULL \
                 RETURNING id, user_id",
            )
            .bind(Stamp(now))
            .bind(token_hash)
            .fetch_optional(c)
            .await?);
            let Some((id, user_id)) = ended else {
                // Ended already: nothing changed, nothing to record.
                return tx.commit().await;
            };
            let role: String = on_tx!(&mut tx, c => sqlx::query_scalar(
                "SELECT role FROM users WHERE id = $1",
            )
            .bind(&user_id)
            .fetch_one(c)
            .await?);
            let actor = Actor::User {
                id: parse_id(&user_id)?,
                role: parse_role(&role)?,
            };
            tx.commit_with(
                Entry::new(&actor, "session.end", ("session", Some(id)), reason, now)
                    .with_address(address),
            )
            .await
        })
        .await
    }

    /// Signs out the session a cookie names.
    pub async fn sign_out(&self, token: &Token, address: &str, now: OffsetDateTime) -> Result<()> {
        self.end_session_by_hash(&token.hash(), "sign_out", Some(address), now)
            .await
    }

    /// Ends one of `user`'s own sessions (from their list of sessions).
    pub async fn end_own_session(
        &self,
        user: &SessionUser,
        session: SessionId,
        address: &str,
        now: OffsetDateTime,
    ) -> Result<bool> {
        let hash: Option<String> = on_pool!(self, pool => sqlx::query_scalar(
            "SELECT token_hash FROM sessions WHERE id = $1 AND user_id = $2 AND ended_at IS NULL",
        )
        .bind(session.to_string())
        .bind(user.user_id.to_string())
        .fetch_optional(pool)
        .await?);
        let Some(hash) = hash else { return Ok(false) };
        self.end_session_by_hash(&hash, "ended_by_owner", Some(address), now)
            .await?;
        Ok(true)
    }

    /// A person's sessions, newest first (the last 50).
    pub async fn sessions_of(
        &self,
        user: UserId,
        now: OffsetDateTime,
        policy: SessionPolicy,
    ) -> Result<Vec<SessionSummary>> {
        type Row = (
            String,
            OffsetDateTime,
            OffsetDateTime,
            OffsetDateTime,
            Option<OffsetDateTime>,
            String,
            String,
            String,
        );
        let rows: Vec<Row> = on_pool!(self, pool => sqlx::query_as(
            "SELECT id, created_at, last_seen, expires_at, ended_at, address, agent, stage \
             FROM sessions WHERE user_id = $1 ORDER BY created_at DESC LIMIT 50",
        )
        .bind(user.to_string())
        .fetch_all(pool)
        .await?);
        rows.into_iter()
            .map(
                |(id, created_at, last_seen, expires, ended, address, agent, stage)| {
                    Ok(SessionSummary {
                        id: parse_id(&id)?,
                        created_at,
                        last_seen,
                        address,
                        agent,
                        active: ended.is_none()
                            && expires > now
                            && stage == Stage::Active.code()
                            && after(last_seen, policy.idle) > now,
                    })
                },
            )
            .collect()
    }

    /// Confirms the password (and the app code, for roles with one) of a signed-in person
    /// before a sensitive action; records the moment on the session.
    pub async fn reauthenticate(
        &self,
        user: &SessionUser,
        token: &Token,
        password: &str,
        code: &str,
        client: Client<'_>,
        now: OffsetDateTime,
    ) -> Result<SignIn> {
        let now = crate::truncate_to_micros(now);
        let sql = format!("{CREDENTIALS}id = $1");
        let creds: Option<Credentials> = on_pool!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .bind(user.user_id.to_string())
            .fetch_optional(pool)
            .await?);
        let Some(creds) = creds else {
            return Ok(SignIn::Wrong);
        };
        let permit = PASSWORD_CHECKS.acquire().await;
        let gate = self.read_gate(&creds.email).await?;
        let stored = creds.password_hash.clone().map(StoredPassword::from_stored);
        let (attempt, _) = check_password(gate.throttle, stored, password.to_owned(), now).await;
        drop(permit);
        let needs_code = user.role.sees_personal_data();
        let step = if needs_code {
            let last = creds.totp_last_step.and_then(|s| u64::try_from(s).ok());
            creds
                .totp()
                .and_then(|s| s.check(code, unix_seconds(now), last))
        } else {
            None
        };
        let actor = user.actor();
        self.retrying(|| async {
            let mut tx = self.begin().await?;
            let record = ("user", Some(user.user_id.to_string()));
            if let Attempt::Refused(wait) = attempt {
                tx.commit_with(Entry::new(&actor, "reauthenticate", record, "throttled", now).with_address(Some(client.address))).await?;
                return Ok(SignIn::Wait(wait.unsigned_abs()));
            }
            // The app code is used up only together with the right password.
            let password_right = matches!(attempt, Attempt::Right);
            let code_ok = match (password_right, step) {
                (false, _) => false,
                (true, Some(step)) => use_totp_step(&mut tx, &creds.id, step).await?,
                (true, None) => !needs_code,
            };
            let right = password_right && code_ok;
            let throttle = if right {
                Throttle::default()
            } else {
                gate.throttle.attempt(from_offset_date_time(now), || false).1
            };
            if !store_gate(&mut tx, &gate, throttle).await? {
                drop(tx);
                self.record_attempt(&actor, "reauthenticate", "concurrent_attempt", client.address, now)
                    .await?;
                return Ok(SignIn::Wait(Duration::from_secs(1)));
            }
            let (outcome, answer) = if right {
                on_tx!(&mut tx, c => sqlx::query("UPDATE sessions SET reauth_at = $1 WHERE token_hash = $2")
                    .bind(Stamp(now))
                    .bind(token.hash())
                    .execute(c)
                    .await?
                    .rows_affected());
                ("ok", SignIn::SignedIn(token.clone()))
            } else {
                ("wrong", SignIn::Wrong)
            };
            tx.commit_with(Entry::new(&actor, "reauthenticate", record, outcome, now)
                    .with_address(Some(client.address))).await?;
            Ok(answer)
        })
        .await
    }

    /// Records a refused staff request: no live session, a role without the permission, or a
    /// forged CSRF token. `route` is the route's template, never a concrete path.
    pub async fn record_refusal(
        &self,
        actor: Option<&Actor>,
        route: &str,
        outcome: &str,
        address: &str,
    ) -> Result<()> {
        let actor = actor.unwrap_or(&Actor::Public);
        let record = ("route", Some(route.to_owned()));
        self.record_alone(
            Entry::new(actor, "staff.access", record, outcome, crate::now())
                .with_address(Some(address)),
        )
        .await
    }

    /// Every account, by name.
    pub async fn accounts(&self) -> Result<Vec<Account>> {
        let rows: Vec<AccountRow> = on_pool!(self, pool => sqlx::query_as(
            "SELECT id, email, name, role, organization, disabled, demo, \
             password_hash IS NOT NULL AS enrolled, created_at FROM users ORDER BY lower(name), email",
        )
        .fetch_all(pool)
        .await?);
        rows.into_iter().map(AccountRow::account).collect()
    }

    /// One account, if it exists.
    pub async fn account(&self, id: UserId) -> Result<Option<Account>> {
        let row: Option<AccountRow> = on_pool!(self, pool => sqlx::query_as(
            "SELECT id, email, name, role, organization, disabled, demo, \
             password_hash IS NOT NULL AS enrolled, created_at FROM users WHERE id = $1",
        )
        .bind(id.to_string())
        .fetch_optional(pool)
        .await?);
        row.map(AccountRow::account).transpose()
    }

    /// The account with this email (compared as stored: lower-cased), if any.
    pub async fn account_by_email(&self, email: &str) -> Result<Option<Account>> {
        let row: Option<AccountRow> = on_pool!(self, pool => sqlx::query_as(
            "SELECT id, email, name, role, organization, disabled, demo, \
             password_hash IS NOT NULL AS enrolled, created_at FROM users WHERE email = $1",
        )
        .bind(email.trim().to_lowercase())
        .fetch_optional(pool)
        .await?);
        row.map(AccountRow::account).transpose()
    }

    /// Gives an account another role; it applies from that person's next request. When the
    /// new role sees personal data and the account has no authenticator app yet, its password
    /// is cleared, its sessions end and a new enrolment link comes back: such a role must not
    /// work (or be locked out later) without a second factor.
    pub async fn change_role(
        &self,
        id: UserId,
        role: Role,
        actor: &Actor,
        address: &str,
        now: OffsetDateTime,
    ) -> Result<RoleChange> {
        let now = crate::truncate_to_micros(now);
        self.retrying(|| async {
            let mut tx = self.begin().await?;
            let old: Option<(String, bool)> = on_tx!(&mut tx, c => sqlx::query_as(
                "SELECT role, totp_secret IS NOT NULL FROM users WHERE id = $1",
            )
            .bind(id.to_string())
            .fetch_optional(c)
            .await?);
            let Some((old, has_app)) = old else {
                tx.commit_with(Entry::new(actor, "user.change_role", ("user", Some(id.to_string())), "not_found", now).with_address(Some(address))).await?;
                return Ok(RoleChange::NotFound);
            };
            on_tx!(&mut tx, c => sqlx::query("UPDATE users SET role = $1 WHERE id = $2")
                .bind(role.code())
                .bind(id.to_string())
                .execute(c)
                .await?
                .rows_affected());
            let needs_enrolment = role.sees_personal_data() && !has_app;
            let outcome = if needs_enrolment {
                format!("ok: {old} -> {role}, second factor to set up")
            } else {
                format!("ok: {old} -> {role}")
            };
            let change = if needs_enrolment {
                on_tx!(&mut tx, c => sqlx::query("UPDATE users SET password_hash = NULL WHERE id = $1")
                    .bind(id.to_string())
                    .execute(c)
                    .await?
                    .rows_affected());
                end_sessions_of(&mut tx, &id.to_string(), now).await?;
                RoleChange::NeedsEnrolment(insert_enrolment(&mut tx, id, now).await?)
            } else {
                RoleChange::Changed
            };
            tx.commit_with(Entry::new(actor, "user.change_role", ("user", Some(id.to_string())), &outcome, now)
                    .with_address(Some(address))).await?;
            Ok(change)
        })
        .await
    }

    /// Disables (ending every session at once) or re-enables an account.
    pub async fn set_disabled(
        &self,
        id: UserId,
        disabled: bool,
        actor: &Actor,
        address: &str,
        now: OffsetDateTime,
    ) -> Result<bool> {
        let now = crate::truncate_to_micros(now);
        self.retrying(|| async {
            let mut tx = self.begin().await?;
            let found = on_tx!(&mut tx, c => sqlx::query("UPDATE users SET disabled = $1 WHERE id = $2")
                .bind(disabled)
                .bind(id.to_string())
                .execute(c)
                .await?
                .rows_affected());
            let ended = if disabled { end_sessions_of(&mut tx, &id.to_string(), now).await? } else { 0 };
            let action = if disabled { "user.disable" } else { "user.enable" };
            let outcome = match found {
                1 if disabled => format!("ok: {ended} sessions ended"),
                1 => "ok".to_owned(),
                _ => "not_found".to_owned(),
            };
            tx.commit_with(Entry::new(actor, action, ("user", Some(id.to_string())), &outcome, now)
                    .with_address(Some(address))).await?;
            Ok(found == 1)
        })
        .await
    }

    /// Clears an account's password, second factor and recovery codes, ends its sessions,
    /// and makes a new enrolment link (for a lost phone or a forgotten password).
    pub async fn reset_sign_in(
        &self,
        id: UserId,
        actor: &Actor,
        address: Option<&str>,
        now: OffsetDateTime,
    ) -> Result<Option<Invitation>> {
        let now = crate::truncate_to_micros(now);
        self.retrying(|| async {
            let mut tx = self.begin().await?;
            let user = id.to_string();
            let found = on_tx!(&mut tx, c => sqlx::query(
                "UPDATE users SET password_hash = NULL, totp_secret = NULL, totp_last_step = NULL \
                 WHERE id = $1",
            )
            .bind(&user)
            .execute(c)
            .await?
            .rows_affected());
            if found != 1 {
                tx.commit_with(
                    Entry::new(
                        actor,
                        "user.reset_sign_in",
                        ("user", Some(user)),
                        "not_found",
                        now,
                    )
                    .with_address(address),
                )
                .await?;
                return Ok(None);
            }
            on_tx!(&mut tx, c => sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1")
                .bind(&user)
                .execute(c)
                .await?
                .rows_affected());
            end_sessions_of(&mut tx, &user, now).await?;
            let invitation = insert_enrolment(&mut tx, id, now).await?;
            tx.commit_with(
                Entry::new(actor, "user.reset_sign_in", ("user", Some(user)), "ok", now)
                    .with_address(address),
            )
            .await?;
            Ok(Some(invitation))
        })
        .await
    }
}

/// Records that an app code's step was used; false if it (or a later one) already was, which
/// makes a replayed code fail even when two attempts race.
async fn use_totp_step(tx: &mut Tx, user_id: &str, step: u64) -> Result<bool> {
    let step = i64::try_from(step).unwrap_or(i64::MAX);
    let changed = on_tx!(tx, c => sqlx::query(
        "UPDATE users SET totp_last_step = $1 WHERE id = $2 \
         AND (totp_last_step IS NULL OR totp_last_step < $1)",
    )
    .bind(step)
    .bind(user_id)
    .execute(c)
    .await?
    .rows_affected());
    Ok(changed == 1)
}

async fn use_recovery_code(
    tx: &mut Tx,
    user_id: &str,
    typed: &str,
    now: OffsetDateTime,
) -> Result<bool> {
    let Some(code) = RecoveryCode::parse(typed) else {
        return Ok(false);
    };
    let changed = on_tx!(tx, c => sqlx::query(
        "UPDATE recovery_codes SET used_at = $1 WHERE user_id = $2 AND code_hash = $3 AND used_at IS NULL",
    )
    .bind(Stamp(now))
    .bind(user_id)
    .bind(code.hash())
    .execute(c)
    .await?
    .rows_affected());
    Ok(changed == 1)
}

async fn insert_session(
    tx: &mut Tx,
    user: UserId,
    stage: Stage,
    client: Client<'_>,
    now: OffsetDateTime,
    lasts: Duration,
) -> Result<Token> {
    let token = Token::generate();
    let agent: String = client.agent.chars().take(200).collect();
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO sessions (token_hash, id, user_id, stage, created_at, last_seen, expires_at, address, agent) \
         VALUES ($1, $2, $3, $4, $5, $5, $6, $7, $8)",
    )
    .bind(token.hash())
    .bind(SessionId::new().to_string())
    .bind(user.to_string())
    .bind(stage.code())
    .bind(Stamp(now))
    .bind(Stamp(after(now, lasts)))
    .bind(client.address)
    .bind(agent)
    .execute(c)
    .await?
    .rows_affected());
    Ok(token)
}
