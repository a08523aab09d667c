//! Inquiry (contact form) use cases.

use leadhub_domain::inquiry::NewInquiry;
use leadhub_domain::{InquiryId, ReferenceCode};
use time::OffsetDateTime;

use crate::audit::{Actor, Entry};
use crate::{Db, Result, Stamp, on_pool, on_tx};

/// What the inquirer is told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceivedInquiry {
    pub id: InquiryId,
    pub code: ReferenceCode,
    pub received_at: OffsetDateTime,
    pub due_at: OffsetDateTime,
}

const INSERT_INQUIRY: &str = "INSERT INTO inquiries (id, reference_code, state, language, received_at, \
     due_at, name, reach, message, preferred_language) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";
const SELECT_INQUIRY: &str =
    "SELECT id, name, reach, message, preferred_language FROM inquiries WHERE reference_code = $1";

/// An inquiry as stored: (name, reach, message, preferred language).
pub type StoredInquiry = (Option<String>, String, String, String);

impl Db {
    /// Stores a message from the contact form with its audit entry.
    pub async fn submit_inquiry(
        &self,
        inquiry: &NewInquiry,
        received_at: OffsetDateTime,
        due_at: OffsetDateTime,
    ) -> Result<ReceivedInquiry> {
        let received_at = crate::truncate_to_micros(received_at);
        let due_at = crate::truncate_to_micros(due_at);
        self.retrying(|| async {
            let mut tx = self.begin().await?;
            let received = ReceivedInquiry {
                id: InquiryId::new(),
                code: ReferenceCode::random(),
                received_at,
                due_at,
            };
            on_tx!(&mut tx, c => sqlx::query(INSERT_INQUIRY)
            .bind(received.id.to_string())
            .bind(received.code.as_str())
            .bind("received")
            .bind(inquiry.language.tag())
            .bind(Stamp(received_at))
            .bind(Stamp(due_at))
            .bind(inquiry.name.as_deref())
            .bind(inquiry.reach.to_string())
            .bind(&inquiry.message)
            .bind(inquiry.preferred_language.code())
            .execute(c)
            .await?.rows_affected());
            tx.commit_with(Entry {
                actor: &Actor::Public,
                action: "inquiry.submit",
                record_type: "inquiry",
                record_id: Some(received.id.to_string()),
                outcome: "ok",
                at: received_at,
                address: None,
                subject: None,
            })
            .await?;
            Ok(received)
        })
        .await
    }

    /// When an inquiry is due, for its confirmation page (nothing personal).
    pub async fn inquiry_due(&self, code: &ReferenceCode) -> Result<Option<OffsetDateTime>> {
        Ok(
            on_pool!(self, pool => sqlx::query_scalar("SELECT due_at FROM inquiries WHERE reference_code = $1")
            .bind(code.as_str())
            .fetch_optional(pool)
            .await?),
        )
    }

    /// The stored inquiry with `code`, read by `actor` and audited.
    pub async fn read_inquiry(
        &self,
        code: &ReferenceCode,
        actor: &Actor,
    ) -> Result<Option<StoredInquiry>> {
        self.retrying(|| self.read_inquiry_once(code, actor)).await
    }

    async fn read_inquiry_once(
        &self,
        code: &ReferenceCode,
        actor: &Actor,
    ) -> Result<Option<StoredInquiry>> {
        let mut tx = self.begin().await?;
        let row: Option<(String, Option<String>, String, String, String)> = on_tx!(&mut tx, c => sqlx::query_as(SELECT_INQUIRY).bind(code.as_str()).fetch_optional(c).await?);
        let entry = Entry {
            actor,
            action: "inquiry.read",
            record_type: "inquiry",
            record_id: row.as_ref().map(|r| r.0.clone()),
            outcome: if row.is_some() { "ok" } else { "not_found" },
            at: crate::now(),
            address: None,
            subject: None,
        };
        tx.commit_with(entry).await?;
        Ok(row.map(|(_, name, reach, message, lang)| (name, reach, message, lang)))
    }
}
