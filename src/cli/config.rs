//! Configuration, layered: defaults, then `leadhub.toml`, then `LEADHUB_*` environment
//! variables (`LEADHUB_SERVER__BIND=0.0.0.0:8080`), then command-line flags.

use std::net::SocketAddr;
use std::num::NonZeroU32;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context;
use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use leadhub_domain::SiteProfile;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    pub server: ServerConfig,
    pub database: DatabaseConfig,
    pub site: SiteConfig,
    pub forms: FormsConfig,
    pub staff: StaffConfig,
    pub mail: MailConfig,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MailConfig {
    /// The mail server: `smtps://user:password@host` (TLS), `smtp://user:password@host:587?tls=required`
    /// (STARTTLS) or `smtp://127.0.0.1:25` (a relay on this machine). None: emails stay in the
    /// outbox, for administrators to read.
    pub smtp_url: Option<String>,
    /// Who emails come from.
    pub from: String,
}

impl Default for MailConfig {
    fn default() -> Self {
        Self {
            smtp_url: None,
            from: "LEAD <lead@localhost>".to_owned(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct StaffConfig {
    /// A staff session unused this long ends (minutes).
    pub idle_minutes: u64,
    /// A staff session ends this long after signing in, however busy (hours).
    pub session_hours: u64,
}

impl Default for StaffConfig {
    fn default() -> Self {
        Self {
            idle_minutes: 15,
            session_hours: 12,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ServerConfig {
    pub bind: SocketAddr,
    /// The site is reached over HTTPS (a proxy terminates TLS): Secure cookies and HSTS.
    pub https: bool,
    /// Read the client address from `X-Forwarded-For` (only behind a proxy that sets it).
    pub trust_forwarded_for: bool,
    /// The address people use to reach the site, for links leadhub gives out (set-up links);
    /// none means `http://` and the bind address.
    pub public_url: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DatabaseConfig {
    pub url: String,
    /// Apply migrations when `serve` starts (SQLite always does).
    pub migrate_on_start: bool,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SiteConfig {
    /// A site profile TOML; none means the compiled-in LEAD Minneapolis profile.
    pub profile: Option<PathBuf>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FormsConfig {
    pub min_fill_seconds: u64,
    pub max_age_hours: u64,
    pub rate_limit_burst: u32,
    pub rate_limit_per_hour: u32,
}

impl Default for ServerConfig {
    fn default() -> Self {
        Self {
            bind: SocketAddr::from(([127, 0, 0, 1], 8080)),
            https: false,
            trust_forwarded_for: false,
            public_url: None,
        }
    }
}

impl Default for DatabaseConfig {
    fn default() -> Self {
        Self {
            url: leadhub_store::DEFAULT_DATABASE_URL.to_owned(),
            migrate_on_start: false,
        }
    }
}

impl Default for FormsConfig {
    fn default() -> Self {
        Self {
            min_fill_seconds: 3,
            max_age_hours: 24,
            rate_limit_burst: 10,
            rate_limit_per_hour: 10,
        }
    }
}

impl Config {
    pub fn load(file: Option<&Path>, database_url: Option<String>) -> anyhow::Result<Self> {
        let mut figment = Figment::from(Serialized::defaults(Config::default()));
        match file {
            Some(path) => {
                anyhow::ensure!(
                    path.exists(),
                    "configuration file {} does not exist",
                    path.display()
                );
                figment = figment.merge(Toml::file(path));
            }
            None => figment = figment.merge(Toml::file("leadhub.toml")),
        }
        figment = figment.merge(Env::prefixed("LEADHUB_").split("__"));
        let mut config: Config = figment.extract().context("invalid configuration")?;
        if let Some(url) = database_url {
            config.database.url = url;
        }
        Ok(config)
    }

    pub fn site(&self) -> anyhow::Result<SiteProfile> {
        match &self.site.profile {
            Some(path) => {
                SiteProfile::load(path).with_context(|| format!("site profile {}", path.display()))
            }
            None => SiteProfile::minneapolis().context("the compiled-in site profile"),
        }
    }

    pub fn web(&self, demo: bool) -> anyhow::Result<leadhub_web::WebConfig> {
        let nonzero = |n: u32, name: &str| {
            NonZeroU32::new(n).with_context(|| format!("forms.{name} must be at least 1"))
        };
        Ok(leadhub_web::WebConfig {
            https: self.server.https,
            trust_forwarded_for: self.server.trust_forwarded_for,
            min_fill_time: Duration::from_secs(self.forms.min_fill_seconds),
            max_form_age: Duration::from_secs(self.forms.max_age_hours.saturating_mul(3600)),
            rate_limit: leadhub_web::RateLimit {
                burst: nonzero(self.forms.rate_limit_burst, "rate_limit_burst")?,
                per_hour: nonzero(self.forms.rate_limit_per_hour, "rate_limit_per_hour")?,
            },
            demo,
            session: leadhub_store::SessionPolicy {
                demo,
                ..self.session_policy()?
            },
            public_url: self.public_url(),
            mail: self
                .mail
                .smtp_url
                .as_ref()
                .map(|url| leadhub_web::MailSettings {
                    smtp_url: url.clone(),
                    from: self.mail.from.clone(),
                }),
        })
    }

    pub fn session_policy(&self) -> anyhow::Result<leadhub_store::SessionPolicy> {
        anyhow::ensure!(
            self.staff.idle_minutes >= 1,
            "staff.idle_minutes must be at least 1"
        );
        anyhow::ensure!(
            self.staff.session_hours >= 1,
            "staff.session_hours must be at least 1"
        );
        Ok(leadhub_store::SessionPolicy {
            idle: Duration::from_secs(self.staff.idle_minutes.saturating_mul(60)),
            lifetime: Duration::from_secs(self.staff.session_hours.saturating_mul(3600)),
            demo: false,
        })
    }

    /// Where people reach the site, without a trailing slash.
    pub fn public_url(&self) -> String {
        match &self.server.public_url {
            Some(url) => url.trim_end_matches('/').to_owned(),
            None => format!("http://{}", self.server.bind),
        }
    }

    /// The configuration with the database password replaced, for printing.
    pub fn redacted(&self) -> Config {
        let mut copy = self.clone();
        copy.database.url = redact_url(&self.database.url);
        copy.mail.smtp_url = self.mail.smtp_url.as_deref().map(redact_url);
        copy
    }
}

/// `postgres://user:secret@host/db` → `postgres://user:********@host/db`.
fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let Some((credentials, host)) = rest.rsplit_once('@') else {
        return url.to_owned();
    };
    match credentials.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:********@{host}"),
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_hidden() {
        assert_eq!(
            redact_url("postgres://app:s3cr3t@127.0.0.1:5432/app"),
            "postgres://app:********@127.0.0.1:5432/app"
        );
        assert_eq!(
            redact_url("postgres://a:b:c@h/d"),
            "postgres://a:********@h/d"
        );
        assert_eq!(
            redact_url("smtps://lead:hunter2@mail.example.org"),
            "smtps://lead:********@mail.example.org"
        );
        assert_eq!(
            redact_url("sqlite://./data/leadhub.db"),
            "sqlite://./data/leadhub.db"
        );
    }
}
