//! Site-wide values the application generates once and keeps (e.g. signing keys).

use rand::RngCore;

use crate::{Db, Result, on_pool};

impl Db {
    /// The value of setting `key`, creating it with 32 random bytes (hex) on first use.
    /// Concurrent first uses agree: the first insert wins and everyone reads it back.
    pub async fn secret(&self, key: &str) -> Result<String> {
        let mut bytes = [0u8; 32];
        rand::rng().fill_bytes(&mut bytes);
        let fresh: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        on_pool!(self, pool => {
            sqlx::query("INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING")
                .bind(key)
                .bind(&fresh)
                .execute(pool)
                .await?;
            let value: String = sqlx::query_scalar("SELECT value FROM settings WHERE key = $1")
                .bind(key)
                .fetch_one(pool)
                .await?;
            Ok(value)
        })
    }
}
