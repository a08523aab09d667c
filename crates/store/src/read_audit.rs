//! Audit entries for reads of personal data, written in groups on SQLite.
//!
//! A read must leave a durable audit entry before the data leaves the server. On SQLite every
//! commit waits for the disk (synchronous=FULL) and commits happen one at a time, so a page that
//! writes one entry per view is bound by the disk (measured: about 1,350 views/s, p99 69 ms at
//! 64 connections). Here concurrent readers hand their entries to one task, which appends all
//! that are waiting in one transaction (one wait for the disk for all of them) and answers each
//! reader only after the commit; a reader whose entry could not be written gets an error, and
//! no data. PostgreSQL already groups concurrent commits; there each entry is its own
//! transaction.

use sqlx::SqlitePool;
use time::OffsetDateTime;
use tokio::sync::{mpsc, oneshot};

use crate::audit::{self, Actor, Entry};
use crate::{Result, StoreError, Tx};

/// Entries written together at most (so one transaction stays short).
const MAX_GROUP: usize = 256;

/// An audit entry that owns its text, to travel to the writing task.
#[derive(Debug)]
struct Owned {
    actor: Actor,
    action: String,
    record_type: String,
    record_id: Option<String>,
    outcome: String,
    at: OffsetDateTime,
    address: Option<String>,
    subject: Option<String>,
}

impl Owned {
    fn from_entry(entry: Entry<'_>) -> Self {
        Self {
            actor: entry.actor.clone(),
            action: entry.action.to_owned(),
            record_type: entry.record_type.to_owned(),
            record_id: entry.record_id,
            outcome: entry.outcome.to_owned(),
            at: entry.at,
            address: entry.address.map(str::to_owned),
            subject: entry.subject,
        }
    }

    fn entry(&self) -> Entry<'_> {
        let mut entry = Entry::new(
            &self.actor,
            &self.action,
            (&self.record_type, self.record_id.clone()),
            &self.outcome,
            self.at,
        )
        .with_address(self.address.as_deref());
        entry.subject = self.subject.clone();
        entry
    }
}

type Reply = oneshot::Sender<Result<(), String>>;

/// The handle readers use; the task ends when the last handle is dropped.
#[derive(Debug, Clone)]
pub(crate) struct ReadAudit {
    queue: mpsc::Sender<(Owned, Reply)>,
}

impl ReadAudit {
    /// Starts the writing task on the current runtime.
    pub(crate) fn start(write: SqlitePool) -> Self {
        let (queue, waiting) = mpsc::channel(4 * MAX_GROUP);
        tokio::spawn(write_groups(write, waiting));
        Self { queue }
    }

    /// Appends `entry` and returns once it is durable. `Ok(false)`: the writing task is gone
    /// (it never should be) and the entry was not written; the caller writes it alone.
    pub(crate) async fn append(&self, entry: Entry<'_>) -> Result<bool> {
        let (reply, written) = oneshot::channel();
        if self
            .queue
            .send((Owned::from_entry(entry), reply))
            .await
            .is_err()
        {
            return Ok(false);
        }
        match written.await {
            Ok(result) => result.map(|()| true).map_err(StoreError::AuditQueue),
            Err(_) => Ok(false),
        }
    }
}

async fn write_groups(write: SqlitePool, mut waiting: mpsc::Receiver<(Owned, Reply)>) {
    while let Some(first) = waiting.recv().await {
        let mut group = vec![first];
        while group.len() < MAX_GROUP {
            match waiting.try_recv() {
                Ok(next) => group.push(next),
                Err(_) => break,
            }
        }
        let result = write_group(&write, &group).await.map_err(|e| e.to_string());
        for (_, reply) in group {
            // A reader that gave up (its request timed out) no longer listens; nothing to do.
            let _ = reply.send(result.clone());
        }
    }
}

/// Tries a group a few times when the file is busy (another process, such as a CLI command,
/// holding SQLite's lock), as `Db::retrying` does for other writes.
async fn write_group(write: &SqlitePool, group: &[(Owned, Reply)]) -> Result<()> {
    let mut tries = 0;
    loop {
        tries += 1;
        match write_group_once(write, group).await {
            Err(e) if tries < 4 && crate::is_conflict(&e) => {
                tokio::time::sleep(std::time::Duration::from_millis(20 << tries)).await;
            }
            result => return result,
        }
    }
}

async fn write_group_once(write: &SqlitePool, group: &[(Owned, Reply)]) -> Result<()> {
    let mut tx = Tx::Sqlite(write.begin_with("BEGIN IMMEDIATE").await?);
    for (entry, _) in group {
        audit::append(&mut tx, entry.entry()).await?;
    }
    tx.commit().await
}
