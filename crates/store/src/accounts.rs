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

use crate::audit::{self, Actor, Entry};
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
}

impl Default for SessionPolicy {
    fn default() -> Self {
        Self {
            idle: Duration::from_secs(15 * 60),
            lifetime: Duration::from_secs(12 * 3600),
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
struct Credentials {
    id: String,
    role: String,
    password_hash: Option<String>,
    totp_secret: Option<String>,
    totp_last_step: Option<i64>,
    failures: i32,
    last_failure: Option<OffsetDateTime>,
    disabled: bool,
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

    fn throttle(&self) -> Throttle {
        Throttle {
            failures: u32::try_from(self.failures).unwrap_or(0),
            last_failure: self.last_failure.map(from_offset_date_time),
        }
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

const CREDENTIALS: &str = "SELECT id, role, password_hash, totp_secret, totp_last_step, failures, \
     last_failure, disabled FROM users WHERE ";

/// Stores a throttle's new state if nobody changed it since it was read; false if someone did.
async fn store_throttle(tx: &mut Tx, user: &Credentials, new: Throttle) -> Result<bool> {
    let old = user.throttle();
    if old == new {
        return Ok(true);
    }
    let failures = i32::try_from(new.failures).unwrap_or(i32::MAX);
    let last = new.last_failure.map(|t| Stamp(to_offset_date_time(t)));
    let old_last = old.last_failure.map(|t| Stamp(to_offset_date_time(t)));
    let changed = on_tx!(tx, c => sqlx::query(
        "UPDATE users SET failures = $1, last_failure = $2 \
         WHERE id = $3 AND failures = $4 AND last_failure IS NOT DISTINCT FROM $5",
    )
    .bind(failures)
    .bind(last)
    .bind(&user.id)
    .bind(user.failures)
    .bind(old_last)
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

/// Runs the password check on the blocking pool, a few at a time.
async fn check_password(
    throttle: Throttle,
    stored: Option<StoredPassword>,
    password: String,
    now: OffsetDateTime,
) -> (Attempt, Throttle) {
    let _permit = PASSWORD_CHECKS.acquire().await;
    let now = from_offset_date_time(now);
    let checked = tokio::task::spawn_blocking(move || match stored {
        Some(stored) => throttle.attempt(now, || stored.verify(&password)),
        None => {
            verify_nothing(&password);
            (Attempt::Wrong, throttle)
        }
    })
    .await;
    // The closure cannot panic (argon2 reports errors as values); if the task were lost
    // anyway, the attempt counts as wrong and nothing changes.
    checked.unwrap_or((Attempt::Wrong, throttle))
}

fn wait_of(attempt: Attempt) -> Option<Duration> {
    match attempt {
        Attempt::Refused(wait) => Some(wait.unsigned_abs()),
        Attempt::Wrong | Attempt::Right => None,
    }
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
                audit::append(
                    &mut tx,
                    Entry::new(actor, "user.create", ("user", taken), "email_taken", now)
                        .with_address(address),
                )
                .await?;
                tx.commit().await?;
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
            audit::append(
                &mut tx,
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
            tx.commit().await?;
            Ok(Some(invitation))
        })
        .await
    }

    /// A demo account, ready to sign in with the given password and app secret. Only
    /// `serve --demo` calls this; such accounts are marked and listed as demo accounts.
    pub async fn add_demo_account(
        &self,
        account: &NewAccount,
        password: &NewPassword,
        totp: &TotpSecret,
    ) -> Result<UserId> {
        let now = crate::now();
        let email = account.email.as_str().to_lowercase();
        let hash = password.hash();
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
                 VALUES ($1, $2, $3, $4, $5, $6, TRUE, $7, $8) \
                 ON CONFLICT (email) DO UPDATE SET name = $3, role = $4, password_hash = $5, \
                 totp_secret = $6, totp_last_step = NULL, failures = 0, last_failure = NULL, \
                 disabled = FALSE, demo = TRUE, organization = $8",
            )
            .bind(id.to_string())
            .bind(&email)
            .bind(&account.name)
            .bind(account.role.code())
            .bind(hash.as_str())
            .bind(totp.base32())
            .bind(Stamp(now))
            .bind(&account.organization)
            .execute(c)
            .await?
            .rows_affected());
            audit::append(
                &mut tx,
                Entry::new(&Actor::System, "user.create_demo", ("user", Some(id.to_string())), "ok", now),
            )
            .await?;
            tx.commit().await?;
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
            self.retrying(|| async {
                let mut tx = self.begin().await?;
                audit::append(
                    &mut tx,
                    Entry::new(&actor, "user.enrol", record(), "wrong_code", now)
                        .with_address(Some(client.address)),
                )
                .await?;
                tx.commit().await
            })
            .await?;
            return Ok(Enrolled::WrongCode);
        }
        let hash = {
            let _permit = PASSWORD_CHECKS.acquire().await;
            password.hash()
        };
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
                "UPDATE users SET password_hash = $1, totp_secret = $2, totp_last_step = $3, \
                 failures = 0, last_failure = NULL WHERE id = $4",
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
            audit::append(
                &mut tx,
                Entry::new(&actor, "user.enrol", record(), "ok", now)
                    .with_address(Some(client.address)),
            )
            .await?;
            tx.commit().await?;
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
        let sql = format!("{CREDENTIALS}email = $1");
        let user: Option<Credentials> = on_pool!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .bind(&email)
            .fetch_optional(pool)
            .await?);
        let usable = user.filter(|u| !u.disabled && u.password_hash.is_some());
        let Some(user) = usable else {
            check_password(Throttle::default(), None, password.to_owned(), now).await;
            self.record_anonymous_attempt(client, now).await?;
            return Ok(SignIn::Wrong);
        };
        let stored = user.password_hash.clone().map(StoredPassword::from_stored);
        let (attempt, throttle) =
            check_password(user.throttle(), stored, password.to_owned(), now).await;
        let user_id = user.user_id()?;
        let role = user.role()?;
        let actor = Actor::User { id: user_id, role };
        self.retrying(|| async {
            let mut tx = self.begin().await?;
            let stored = store_throttle(&mut tx, &user, throttle).await?;
            let (outcome, answer) = match (wait_of(attempt), attempt, stored) {
                (Some(wait), _, _) => ("throttled", SignIn::Wait(wait)),
                // Someone else's attempt changed the throttle meanwhile: this one does not count.
                (None, _, false) => ("concurrent_attempt", SignIn::Wait(Duration::from_secs(1))),
                (None, Attempt::Right, true) => {
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
                (None, _, true) => ("wrong_password", SignIn::Wrong),
            };
            audit::append(
                &mut tx,
                Entry::new(
                    &actor,
                    "sign_in.password",
                    ("user", Some(user_id.to_string())),
                    outcome,
                    now,
                )
                .with_address(Some(client.address)),
            )
            .await?;
            tx.commit().await?;
            Ok(answer)
        })
        .await
    }

    async fn record_anonymous_attempt(
        &self,
        client: Client<'_>,
        now: OffsetDateTime,
    ) -> Result<()> {
        self.retrying(|| async {
            let mut tx = self.begin().await?;
            // The typed email is not recorded: it may be someone's password typed in the
            // wrong box.
            audit::append(
                &mut tx,
                Entry::new(
                    &Actor::Public,
                    "sign_in.password",
                    ("user", None),
                    "no_such_account",
                    now,
                )
                .with_address(Some(client.address)),
            )
            .await?;
            tx.commit().await
        })
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
                audit::append(
                    &mut tx,
                    Entry::new(&Actor::Public, "sign_in.second_factor", ("session", None), "expired", now)
                        .with_address(Some(client.address)),
                )
                .await?;
                tx.commit().await?;
                return Ok(SecondFactor::Expired);
            };
            let user_id = user.user_id()?;
            let actor = Actor::User { id: user_id, role: user.role()? };
            let mut how = "totp";
            let mut matched_step = None;
            let (attempt, throttle) = user.throttle().attempt(from_offset_date_time(now), || {
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
            let throttle = if right || wait_of(attempt).is_some() {
                throttle
            } else {
                // Wrong: counted as one failure, whatever the closure guessed.
                user.throttle().attempt(from_offset_date_time(now), || false).1
            };
            let stored = store_throttle(&mut tx, &user, throttle).await?;
            let (outcome, answer) = match (wait_of(attempt), right && stored) {
                (Some(wait), _) => ("throttled", SecondFactor::Wait(wait)),
                (None, true) => {
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
                (None, false) => ("wrong_code", SecondFactor::Wrong),
            };
            audit::append(
                &mut tx,
                Entry::new(&actor, "sign_in.second_factor", ("user", Some(user_id.to_string())), outcome, now)
                    .with_address(Some(client.address)),
            )
            .await?;
            tx.commit().await?;
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
        );
        let row: Option<Row> = on_pool!(self, pool => sqlx::query_as(
            "SELECT s.id, s.user_id, s.stage, s.created_at, s.last_seen, s.expires_at, s.reauth_at, \
             u.name, u.email, u.role, u.disabled, u.organization \
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
        if disabled || expires <= now || idle_out {
            let reason = if disabled {
                "disabled"
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
            if let Some((id, user_id)) = ended {
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
                audit::append(
                    &mut tx,
                    Entry::new(&actor, "session.end", ("session", Some(id)), reason, now)
                        .with_address(address),
                )
                .await?;
            }
            tx.commit().await
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
        let stored = creds.password_hash.clone().map(StoredPassword::from_stored);
        let (attempt, throttle) =
            check_password(creds.throttle(), stored, password.to_owned(), now).await;
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
            let code_ok = match step {
                Some(step) => use_totp_step(&mut tx, &creds.id, step).await?,
                None => !needs_code,
            };
            let right = matches!(attempt, Attempt::Right) && code_ok;
            let throttle = if right || wait_of(attempt).is_some() {
                throttle
            } else {
                creds.throttle().attempt(from_offset_date_time(now), || false).1
            };
            let stored = store_throttle(&mut tx, &creds, throttle).await?;
            let (outcome, answer) = match (wait_of(attempt), right && stored) {
                (Some(wait), _) => ("throttled", SignIn::Wait(wait)),
                (None, true) => {
                    on_tx!(&mut tx, c => sqlx::query("UPDATE sessions SET reauth_at = $1 WHERE token_hash = $2")
                        .bind(Stamp(now))
                        .bind(token.hash())
                        .execute(c)
                        .await?
                        .rows_affected());
                    ("ok", SignIn::SignedIn(token.clone()))
                }
                (None, false) => ("wrong", SignIn::Wrong),
            };
            audit::append(
                &mut tx,
                Entry::new(&actor, "reauthenticate", ("user", Some(user.user_id.to_string())), outcome, now)
                    .with_address(Some(client.address)),
            )
            .await?;
            tx.commit().await?;
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
        self.retrying(|| async {
            let mut tx = self.begin().await?;
            audit::append(
                &mut tx,
                Entry::new(
                    actor,
                    "staff.access",
                    ("route", Some(route.to_owned())),
                    outcome,
                    crate::now(),
                )
                .with_address(Some(address)),
            )
            .await?;
            tx.commit().await
        })
        .await
    }

    /// Every account, by name.
    pub async fn accounts(&self) -> Result<Vec<Account>> {
        type Row = (
            String,
            String,
            String,
            String,
            Option<String>,
            bool,
            bool,
            bool,
            OffsetDateTime,
        );
        let rows: Vec<Row> = on_pool!(self, pool => sqlx::query_as(
            "SELECT id, email, name, role, organization, disabled, demo, password_hash IS NOT NULL, created_at \
             FROM users ORDER BY lower(name), email",
        )
        .fetch_all(pool)
        .await?);
        rows.into_iter()
            .map(
                |(id, email, name, role, organization, disabled, demo, enrolled, created_at)| {
                    Ok(Account {
                        id: parse_id(&id)?,
                        email,
                        name,
                        role: parse_role(&role)?,
                        organization,
                        disabled,
                        demo,
                        enrolled,
                        created_at,
                    })
                },
            )
            .collect()
    }

    /// One account, if it exists.
    pub async fn account(&self, id: UserId) -> Result<Option<Account>> {
        Ok(self.accounts().await?.into_iter().find(|a| a.id == id))
    }

    /// Gives an account another role; it applies from that person's next request.
    pub async fn change_role(
        &self,
        id: UserId,
        role: Role,
        actor: &Actor,
        address: &str,
        now: OffsetDateTime,
    ) -> Result<bool> {
        let now = crate::truncate_to_micros(now);
        self.retrying(|| async {
            let mut tx = self.begin().await?;
            let old: Option<String> = on_tx!(&mut tx, c => sqlx::query_scalar(
                "SELECT role FROM users WHERE id = $1",
            )
            .bind(id.to_string())
            .fetch_optional(c)
            .await?);
            on_tx!(&mut tx, c => sqlx::query("UPDATE users SET role = $1 WHERE id = $2")
                .bind(role.code())
                .bind(id.to_string())
                .execute(c)
                .await?
                .rows_affected());
            let outcome = match &old {
                Some(old) => format!("ok: {old} -> {role}"),
                None => "not_found".to_owned(),
            };
            audit::append(
                &mut tx,
                Entry::new(
                    actor,
                    "user.change_role",
                    ("user", Some(id.to_string())),
                    &outcome,
                    now,
                )
                .with_address(Some(address)),
            )
            .await?;
            tx.commit().await?;
            Ok(old.is_some())
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
            audit::append(
                &mut tx,
                Entry::new(actor, action, ("user", Some(id.to_string())), &outcome, now)
                    .with_address(Some(address)),
            )
            .await?;
            tx.commit().await?;
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
                "UPDATE users SET password_hash = NULL, totp_secret = NULL, totp_last_step = NULL, \
                 failures = 0, last_failure = NULL WHERE id = $1",
            )
            .bind(&user)
            .execute(c)
            .await?
            .rows_affected());
            if found != 1 {
                audit::append(
                    &mut tx,
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
                tx.commit().await?;
                return Ok(None);
            }
            on_tx!(&mut tx, c => sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1")
                .bind(&user)
                .execute(c)
                .await?
                .rows_affected());
            end_sessions_of(&mut tx, &user, now).await?;
            let invitation = insert_enrolment(&mut tx, id, now).await?;
            audit::append(
                &mut tx,
                Entry::new(actor, "user.reset_sign_in", ("user", Some(user)), "ok", now)
                    .with_address(address),
            )
            .await?;
            tx.commit().await?;
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
