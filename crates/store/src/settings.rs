//! Site-wide values the application generates once and keeps (e.g. signing keys).

use rand::RngCore;

use crate::audit::{self, Actor, Entry};
use crate::{Db, Result, on_tx};

const CREATE: &str =
    "INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING";
const READ: &str = "SELECT value FROM settings WHERE key = $1";

impl Db {
    /// The value of setting `key`, creating it with 32 random bytes (hex) on first use.
    /// Concurrent first uses agree: the first insert wins and everyone reads it back.
    /// Creating one is audited; the value itself is never logged or audited.
    pub async fn secret(&self, key: &str) -> Result<String> {
        let mut bytes = [0u8; 32];
        rand::rng().fill_bytes(&mut bytes);
        let fresh = leadhub_domain::credentials::hex(&bytes);
        self.retrying(|| async {
            let mut tx = self.begin().await?;
            let created = on_tx!(&mut tx, c => sqlx::query(CREATE).bind(key).bind(&fresh).execute(c).await?.rows_affected());
            if created > 0 {
                let entry = Entry {
                    actor: &Actor::System,
                    action: "setting.create",
                    record_type: "setting",
                    record_id: Some(key.to_owned()),
                    outcome: "ok",
                    at: crate::now(),
                    address: None,
                    subject: None,
                };
                audit::append(&mut tx, entry).await?;
            }
            let value: String = on_tx!(&mut tx, c => sqlx::query_scalar(READ).bind(key).fetch_one(c).await?);
            tx.commit().await?;
            Ok(value)
        })
        .await
    }
}
