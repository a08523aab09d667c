//! What proves a person is who they say: passwords, one-time codes from an authenticator app,
//! recovery codes, and the random tokens behind sessions and enrolment links.
//!
//! Everything here is computation; storing and comparing with stored values is the store's
//! job. Secrets that must be looked up (session and enrolment tokens, recovery codes) are kept
//! only as SHA-256 hashes: they are long and random, so a fast hash is enough. Passwords are
//! chosen by people and get argon2id.

use std::fmt;
use std::sync::LazyLock;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use totp_rs::{Secret, TOTP};

/// Shortest password accepted. Roles that see personal data also need a second factor; twelve
/// characters is what NIST SP 800-63B asks of a password used with one, with room to spare.
pub const MIN_PASSWORD_CHARS: usize = 12;
/// Longest password accepted: long passphrases are welcome, megabytes are not.
pub const MAX_PASSWORD_CHARS: usize = 256;

/// A new password must be estimated to need at least 10^10 guesses (zxcvbn).
const MIN_GUESSES_LOG10: f64 = 10.0;

/// argon2id memory cost in KiB (19 MiB) and passes: OWASP's recommended pair. The hash takes
/// tens of milliseconds on this machine (see the closing note for the measurement), which a
/// person signing in does not notice and an offline guesser pays for every guess.
const ARGON2_MEMORY_KIB: u32 = 19 * 1024;
const ARGON2_PASSES: u32 = 2;
const ARGON2_LANES: u32 = 1;

fn argon2() -> Argon2<'static> {
    // The numbers above are inside argon2's limits, so `Params::new` cannot fail; the default
    // (also argon2id) is only a fallback that never runs.
    let params =
        Params::new(ARGON2_MEMORY_KIB, ARGON2_PASSES, ARGON2_LANES, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Why a new password was refused. No composition rules: length, and not being guessable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PasswordProblem {
    #[error("use at least {MIN_PASSWORD_CHARS} characters")]
    TooShort,
    #[error("use at most {MAX_PASSWORD_CHARS} characters")]
    TooLong,
    #[error("this password is common or easy to guess")]
    Guessable,
    #[error("the two passwords differ")]
    Mismatch,
}

/// A password someone chose, accepted as strong enough.
pub struct NewPassword(String);

impl fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NewPassword(…)")
    }
}

impl NewPassword {
    /// Checks length and guessability. `about_person` are words an attacker would try first
    /// (their name and email): a password built from them is refused. The guessability check
    /// (zxcvbn) covers lists of common passwords, words, names, dates, keyboard patterns and
    /// repeats; it must estimate at least 10^10 guesses.
    pub fn parse(
        password: &str,
        repeated: &str,
        about_person: &[&str],
    ) -> Result<Self, PasswordProblem> {
        let chars = password.chars().count();
        if chars < MIN_PASSWORD_CHARS {
            return Err(PasswordProblem::TooShort);
        }
        if chars > MAX_PASSWORD_CHARS {
            return Err(PasswordProblem::TooLong);
        }
        if password != repeated {
            return Err(PasswordProblem::Mismatch);
        }
        // Whole strings and their words: "Dana Reyes" should also rule out "reyes2026".
        let words = about_person
            .iter()
            .flat_map(|text| text.split(|c: char| !c.is_alphanumeric()))
            .filter(|word| word.chars().count() >= 3);
        let mut context = vec!["leadhub", "lead", "minneapolis"];
        context.extend(about_person.iter().copied().chain(words));
        if zxcvbn::zxcvbn(password, &context).guesses_log10() < MIN_GUESSES_LOG10 {
            return Err(PasswordProblem::Guessable);
        }
        Ok(Self(password.to_owned()))
    }

    /// The argon2id hash to store, in PHC string form (it carries its own salt and parameters,
    /// so the parameters can change later without breaking stored hashes).
    pub fn hash(&self) -> StoredPassword {
        let salt: [u8; 16] = rand::random();
        let hashed = SaltString::encode_b64(&salt).ok().and_then(|salt| {
            argon2()
                .hash_password(self.0.as_bytes(), &salt)
                .ok()
                .map(|h| h.to_string())
        });
        // Hashing only fails for out-of-range salts or parameters, and these are fixed and in
        // range; an empty stored hash would simply never verify.
        StoredPassword(hashed.unwrap_or_default())
    }
}

/// A stored password hash (PHC string).
#[derive(Clone, PartialEq, Eq)]
pub struct StoredPassword(String);

impl fmt::Debug for StoredPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("StoredPassword(…)")
    }
}

impl StoredPassword {
    pub fn from_stored(phc: String) -> Self {
        Self(phc)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether `candidate` is the password. Takes the full argon2 time.
    pub fn verify(&self, candidate: &str) -> bool {
        PasswordHash::new(&self.0)
            .is_ok_and(|h| argon2().verify_password(candidate.as_bytes(), &h).is_ok())
    }
}

/// Spends the same time as checking a real password, for a sign-in with an unknown email or
/// an account without a password, so timing does not tell whether an account exists.
pub fn verify_nothing(candidate: &str) {
    static DECOY: LazyLock<StoredPassword> =
        LazyLock::new(|| NewPassword("decoy password that matches nothing".to_owned()).hash());
    let _ = DECOY.verify(candidate);
}

/// Seconds in one TOTP step (RFC 6238's default, what every authenticator app uses).
pub const TOTP_STEP_SECONDS: u64 = 30;

/// The shared secret of an authenticator app: 20 random bytes (160 bits, RFC 4226's advice).
#[derive(Clone, PartialEq, Eq)]
pub struct TotpSecret(Vec<u8>);

impl fmt::Debug for TotpSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TotpSecret(…)")
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a base32 TOTP secret of at least 128 bits")]
pub struct InvalidTotpSecret;

impl TotpSecret {
    pub fn generate() -> Self {
        let bytes: [u8; 20] = rand::random();
        Self(bytes.to_vec())
    }

    /// Reads the base32 form, as stored and as typed into an app by hand.
    pub fn from_base32(text: &str) -> Result<Self, InvalidTotpSecret> {
        let cleaned: String = text
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_uppercase();
        let bytes = Secret::Encoded(cleaned)
            .to_bytes()
            .map_err(|_| InvalidTotpSecret)?;
        if bytes.len() < 16 {
            return Err(InvalidTotpSecret);
        }
        Ok(Self(bytes))
    }

    /// Base32 without padding: what is stored, and what a person types into an app.
    pub fn base32(&self) -> String {
        match Secret::Raw(self.0.clone()).to_encoded() {
            Secret::Encoded(text) => text,
            Secret::Raw(_) => String::new(),
        }
    }

    /// The `otpauth://` address an app reads from the QR code.
    pub fn otpauth_uri(&self, issuer: &str, account: &str) -> String {
        let issuer = percent_encode(issuer);
        format!(
            "otpauth://totp/{issuer}:{}?secret={}&issuer={issuer}&algorithm=SHA1&digits=6&period={TOTP_STEP_SECONDS}",
            percent_encode(account),
            self.base32()
        )
    }

    fn totp(&self) -> Option<TOTP> {
        TOTP::new(
            totp_rs::Algorithm::SHA1,
            6,
            0,
            TOTP_STEP_SECONDS,
            self.0.clone(),
        )
        .ok()
    }

    /// The code for the step containing `unix_seconds` (for tests and the demo).
    pub fn code_at(&self, unix_seconds: u64) -> String {
        self.totp()
            .map(|t| t.generate(unix_seconds))
            .unwrap_or_default()
    }

    /// Checks a typed code at `unix_seconds`, allowing one step of clock drift either way.
    /// Returns the step the code belongs to; a step at or before `last_used_step` is refused,
    /// so a code (seen over a shoulder, or replayed) works once.
    pub fn check(
        &self,
        typed: &str,
        unix_seconds: u64,
        last_used_step: Option<u64>,
    ) -> Option<u64> {
        let typed: String = typed.chars().filter(|c| !c.is_whitespace()).collect();
        if typed.len() != 6 || !typed.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let now_step = unix_seconds / TOTP_STEP_SECONDS;
        let candidates = [now_step.saturating_sub(1), now_step, now_step + 1];
        let mut matched = None;
        // Every candidate is compared (in constant time) so timing does not tell which matched.
        for step in candidates {
            let expected = self.code_at(step * TOTP_STEP_SECONDS);
            if bool::from(expected.as_bytes().ct_eq(typed.as_bytes())) {
                matched = Some(step);
            }
        }
        matched.filter(|step| last_used_step.is_none_or(|last| *step > last))
    }
}

fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// How many recovery codes an account gets at enrolment.
pub const RECOVERY_CODES: usize = 10;
const RECOVERY_ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const RECOVERY_LEN: usize = 10;

/// A one-time code that stands in for the authenticator app when it is lost: 50 random bits,
/// shown once as `XXXXX-XXXXX`, stored as a hash.
#[derive(Clone, PartialEq, Eq)]
pub struct RecoveryCode(String);

impl fmt::Debug for RecoveryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RecoveryCode(…)")
    }
}

impl RecoveryCode {
    pub fn generate() -> Self {
        use rand::Rng as _;
        let mut rng = rand::rng();
        Self(
            (0..RECOVERY_LEN)
                .map(|_| {
                    char::from(RECOVERY_ALPHABET[rng.random_range(0..RECOVERY_ALPHABET.len())])
                })
                .collect(),
        )
    }

    /// Reads a typed code: any case, with or without the dash, O for 0 and I/L for 1.
    pub fn parse(typed: &str) -> Option<Self> {
        let mut code = String::with_capacity(RECOVERY_LEN);
        for c in typed.chars().filter(|c| !matches!(c, '-' | ' ')) {
            let c = match c.to_ascii_uppercase() {
                'O' => '0',
                'I' | 'L' => '1',
                c => c,
            };
            if !c.is_ascii()
                || !RECOVERY_ALPHABET.contains(&(c as u8))
                || code.len() == RECOVERY_LEN
            {
                return None;
            }
            code.push(c);
        }
        (code.len() == RECOVERY_LEN).then_some(Self(code))
    }

    pub fn hash(&self) -> String {
        sha256_hex(self.0.as_bytes())
    }
}

impl fmt::Display for RecoveryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (a, b) = self.0.split_at(RECOVERY_LEN / 2);
        write!(f, "{a}-{b}")
    }
}

/// A random bearer token (session cookie, enrolment link): 256 bits, URL-safe text; the
/// database keeps only its hash, so a copy of the database opens no session.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(…)")
    }
}

impl Token {
    pub fn generate() -> Self {
        let bytes: [u8; 32] = rand::random();
        Self(URL_SAFE_NO_PAD.encode(bytes))
    }

    /// Accepts only what `generate` makes (43 URL-safe characters), so junk never reaches
    /// the database.
    pub fn parse(text: &str) -> Option<Self> {
        (text.len() == 43
            && text
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
        .then(|| Self(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn hash(&self) -> String {
        sha256_hex(self.0.as_bytes())
    }
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// Bytes as lowercase hexadecimal: how leadhub writes hashes, keys and pseudonyms.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_and_short_passwords_are_refused_and_passphrases_accepted() {
        let parse = |p: &str| NewPassword::parse(p, p, &["Dana Reyes", "dana@example.org"]);
        assert_eq!(parse("short").unwrap_err(), PasswordProblem::TooShort);
        assert_eq!(
            parse("password1234").unwrap_err(),
            PasswordProblem::Guessable
        );
        assert_eq!(
            parse("qwertyuiop123").unwrap_err(),
            PasswordProblem::Guessable
        );
        assert_eq!(
            parse("danareyes2026").unwrap_err(),
            PasswordProblem::Guessable
        );
        assert!(parse("lantern ferry cobalt meadow").is_ok());
        let long = "a sentence long enough to exceed sixty four characters, about rivers";
        assert!(long.chars().count() > 64);
        assert!(parse(long).is_ok());
        assert_eq!(
            parse(&"x".repeat(MAX_PASSWORD_CHARS + 1)).unwrap_err(),
            PasswordProblem::TooLong
        );
        assert_eq!(
            NewPassword::parse("lantern ferry cobalt meadow", "lantern ferry", &[]).unwrap_err(),
            PasswordProblem::Mismatch
        );
    }

    #[test]
    fn a_hash_verifies_its_password_only() {
        let p = NewPassword::parse(
            "lantern ferry cobalt meadow",
            "lantern ferry cobalt meadow",
            &[],
        )
        .unwrap();
        let stored = p.hash();
        assert!(
            stored
                .as_str()
                .starts_with("$argon2id$v=19$m=19456,t=2,p=1$")
        );
        assert!(stored.verify("lantern ferry cobalt meadow"));
        assert!(!stored.verify("lantern ferry cobalt meadoW"));
        assert!(!StoredPassword::from_stored("garbage".into()).verify("x"));
        // Salted: the same password hashes differently each time.
        assert_ne!(stored, p.hash());
    }

    #[test]
    fn totp_matches_rfc_6238_and_refuses_replay() {
        // RFC 6238 appendix B, SHA-1 secret "12345678901234567890", 8 digits 94287082 at 59 s;
        // six digits are its last six.
        let secret = TotpSecret(b"12345678901234567890".to_vec());
        assert_eq!(secret.code_at(59), "287082");
        assert_eq!(secret.code_at(1_111_111_109), "081804");
        let now = 1_111_111_109;
        let step = secret.check("081 804", now, None).unwrap();
        assert_eq!(step, now / 30);
        assert_eq!(secret.check("081804", now, Some(step)), None, "replay");
        // One step of drift either way is forgiven; two are not.
        assert!(secret.check(&secret.code_at(now - 30), now, None).is_some());
        assert!(secret.check(&secret.code_at(now + 30), now, None).is_some());
        assert!(secret.check(&secret.code_at(now - 60), now, None).is_none());
        assert!(secret.check("12345", now, None).is_none());
        assert!(secret.check("abcdef", now, None).is_none());
    }

    #[test]
    fn totp_secret_round_trips_through_base32_and_uri() {
        let secret = TotpSecret::generate();
        let text = secret.base32();
        assert_eq!(text.len(), 32);
        assert_eq!(
            TotpSecret::from_base32(&text.to_lowercase()).unwrap(),
            secret
        );
        assert!(TotpSecret::from_base32("AAAA").is_err());
        let uri = secret.otpauth_uri("leadhub Minneapolis", "dana@example.org");
        assert!(uri.starts_with("otpauth://totp/leadhub%20Minneapolis:dana%40example.org?secret="));
    }

    #[test]
    fn recovery_codes_read_back_as_typed() {
        let code = RecoveryCode::generate();
        let shown = code.to_string();
        assert_eq!(shown.len(), 11);
        assert_eq!(RecoveryCode::parse(&shown.to_lowercase()).unwrap(), code);
        assert_eq!(
            RecoveryCode::parse(&shown.replace('-', "")).unwrap().hash(),
            code.hash()
        );
        assert!(RecoveryCode::parse("12345").is_none());
        assert!(RecoveryCode::parse("ABCDE-FGHJK-M").is_none());
    }

    #[test]
    fn tokens_parse_only_their_own_shape() {
        let t = Token::generate();
        assert_eq!(Token::parse(t.as_str()).unwrap(), t);
        assert!(Token::parse("short").is_none());
        assert!(Token::parse(&format!("{}!", &t.as_str()[..42])).is_none());
        assert_eq!(t.hash().len(), 64);
    }
}
