//! The job worker: runs due jobs (reminders, escalations, acknowledgement emails) every few
//! seconds in the background of `serve`, and writes emails in the recipient's language; and
//! the name counter, which once a day counts how many people share each name (for
//! matching's term frequencies).

use std::time::Duration;

use leadhub_domain::language::Language;
use leadhub_store::{Email, JobServices, Mailer};

use crate::AppState;
use crate::i18n::Tr;

/// How often the worker looks for due jobs.
pub const JOB_INTERVAL: Duration = Duration::from_secs(10);

/// Most jobs one round runs, so a backlog never starves the rest of the server for long.
const ROUND: usize = 50;

/// Writes emails from the Fluent texts, with links to the public site.
#[derive(Debug, Clone)]
pub struct Writer {
    state: AppState,
}

impl Writer {
    pub fn new(state: AppState) -> Self {
        Self { state }
    }
}

impl JobServices for Writer {
    fn acknowledgement(&self, language: &str, code: &str) -> Email {
        let lang = language.parse().unwrap_or(Language::En);
        let tr = Tr::new(self.state.i18n.clone(), lang);
        let link = format!(
            "{}/refer/received/{code}",
            self.state.config.public_url.trim_end_matches('/')
        );
        Email {
            subject: tr.with("email-ack-subject", &[("code", code.to_owned())]),
            body: tr.with(
                "email-ack-body",
                &[("code", code.to_owned()), ("link", link)],
            ),
        }
    }

    fn mailer(&self) -> Option<&dyn Mailer> {
        self.state.mailer.as_deref().map(|m| m as &dyn Mailer)
    }
}

/// Runs due jobs now and then until the process ends. Errors are logged (without personal
/// data: store errors carry no bound values) and the next round tries again.
pub fn spawn_worker(state: AppState) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let writer = Writer::new(state.clone());
        let mut tick = tokio::time::interval(JOB_INTERVAL);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            match state
                .db
                .run_due_jobs(&writer, &leadhub_store::now, ROUND)
                .await
            {
                Ok(0) => {}
                Ok(ran) => tracing::debug!(ran, "jobs ran"),
                Err(error) => tracing::warn!(%error, "job round failed"),
            }
        }
    })
}

/// How often the name counter looks whether the counts are a day old.
pub const NAME_COUNT_INTERVAL: Duration = Duration::from_secs(600);
/// How long the name counter waits after a failed count before it tries again.
const NAME_COUNT_RETRY: Duration = Duration::from_secs(3_600);

/// Counts the names lookups weigh by how common they are here, at start and whenever the
/// count is a day old, on a task of its own so that reminders never wait for it. A failed
/// count is logged (without personal data) and tried again an hour later.
pub fn spawn_name_counter(state: AppState) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            let wait = match state.db.count_names_if_stale(leadhub_store::now()).await {
                Ok(Some(count)) => {
                    tracing::info!(count.people, count.kept, "names counted");
                    NAME_COUNT_INTERVAL
                }
                Ok(None) => NAME_COUNT_INTERVAL,
                Err(error) => {
                    tracing::warn!(%error, "counting names failed");
                    NAME_COUNT_RETRY
                }
            };
            tokio::time::sleep(wait).await;
        }
    })
}
