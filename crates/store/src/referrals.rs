//! Referral use cases.

use leadhub_domain::door::InsideReferral;
use leadhub_domain::ids::EventId;
use leadhub_domain::ids::UserId;
use leadhub_domain::referral::{Door, NewReferral, ReferralState};
use leadhub_domain::{ReferenceCode, ReferralId};
use time::OffsetDateTime;

use crate::audit::{Actor, Entry};
use crate::jobs::JobKind;
use crate::{Db, Result, Stamp, Tx, json_list, on_pool, on_tx, parse_json_list};

/// What the referrer is told: their code and when to expect an answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceivedReferral {
    pub id: ReferralId,
    pub code: ReferenceCode,
    pub received_at: OffsetDateTime,
    pub due_at: OffsetDateTime,
}

/// The non-personal facts behind a confirmation page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferralReceipt {
    pub received_at: OffsetDateTime,
    pub due_at: OffsetDateTime,
    pub wants_follow_up: bool,
    /// Only ever shown as a status that reveals nothing personal (`PublicStatus`).
    pub state: ReferralState,
    pub door: Door,
}

/// A referral as stored (text fields as typed, lists as codes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredReferral {
    pub id: String,
    pub code: String,
    pub door: String,
    pub state: String,
    pub language: String,
    pub received_at: OffsetDateTime,
    pub due_at: OffsetDateTime,
    pub referrer_type: Option<String>,
    pub referrer_name: Option<String>,
    pub referrer_phone: Option<String>,
    pub referrer_email: Option<String>,
    pub wants_follow_up: bool,
    pub person_name: Option<String>,
    pub age_range: String,
    pub gender: Option<String>,
    pub build: Option<String>,
    pub hair: Option<String>,
    pub features: Option<String>,
    pub places: Vec<String>,
    pub places_other: Option<String>,
    pub times: Vec<String>,
    pub times_other: Option<String>,
    pub concerns: Vec<String>,
    pub concern_text: Option<String>,
    pub safety_notes: Option<String>,
}

const INSERT_REFERRAL: &str = "INSERT INTO referrals (id, reference_code, door, state, language, received_at, due_at, \
     referrer_type, referrer_name, referrer_phone, referrer_email, wants_follow_up, person_name, age_range, gender, \
     build, hair, features, places, places_other, times, times_other, concerns, concern_text, safety_notes) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25)";

const SELECT_REFERRAL: &str = "SELECT id, reference_code, door, state, language, received_at, due_at, \
     referrer_type, referrer_name, referrer_phone, referrer_email, wants_follow_up, person_name, age_range, gender, \
     build, hair, features, places, places_other, times, times_other, concerns, concern_text, safety_notes \
     FROM referrals WHERE reference_code = $1";

const INSERT_EVENT: &str = "INSERT INTO referral_events (id, referral_id, at, from_state, to_state, actor, reason) \
     VALUES ($1, $2, $3, $4, $5, $6, $7)";

impl Db {
    /// Stores a referral from the public, with its first state event and audit entry, durably,
    /// before anyone is told it was received.
    pub async fn submit_referral(
        &self,
        referral: &NewReferral,
        received_at: OffsetDateTime,
        due_at: OffsetDateTime,
    ) -> Result<ReceivedReferral> {
        let received_at = crate::truncate_to_micros(received_at);
        let due_at = crate::truncate_to_micros(due_at);
        self.retrying(|| async {
            let mut tx = self.begin().await?;
            let received = insert_new(&mut tx, referral, received_at, due_at).await?;
            tx.commit_with(Entry {
                actor: &Actor::Public,
                action: "referral.submit",
                record_type: "referral",
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

    /// Stores a referral made from inside (a police door, a provider, a walk-in) by `by`,
    /// with what the door adds: the charge, whether it is divertible, the hand-off time.
    pub async fn submit_inside_referral(
        &self,
        inside: &InsideReferral,
        by: UserId,
        actor: &Actor,
        address: &str,
        received_at: OffsetDateTime,
        due_at: OffsetDateTime,
    ) -> Result<ReceivedReferral> {
        let received_at = crate::truncate_to_micros(received_at);
        let due_at = crate::truncate_to_micros(due_at);
        self.retrying(|| async {
            let mut tx = self.begin().await?;
            let received = insert_new(&mut tx, &inside.referral, received_at, due_at).await?;
            on_tx!(&mut tx, c => sqlx::query(
                "UPDATE referrals SET charge = $2, charge_divertible = $3, handoff_at = $4, referred_by = $5 WHERE id = $1",
            )
            .bind(received.id.to_string())
            .bind(inside.charge.as_ref().map(|c| c.text.as_str()))
            .bind(inside.charge.as_ref().map(|c| c.divertible))
            .bind(inside.handoff_at.map(|at| Stamp(crate::truncate_to_micros(at))))
            .bind(by.to_string())
            .execute(c)
            .await?
            .rows_affected());
            let entry = Entry::new(actor, "referral.submit", ("referral", Some(received.id.to_string())), "ok", received_at)
                .with_address(Some(address));
            tx.commit_with(entry).await?;
            Ok(received)
        })
        .await
    }

    /// When a referral was received and is due, for its confirmation page. Holds nothing
    /// about the person, so it is not an audited read.
    pub async fn referral_receipt(&self, code: &ReferenceCode) -> Result<Option<ReferralReceipt>> {
        let row: Option<(OffsetDateTime, OffsetDateTime, bool, String, String)> = on_pool!(self, pool => sqlx::query_as(
            "SELECT received_at, due_at, wants_follow_up, state, door FROM referrals WHERE reference_code = $1",
        )
        .bind(code.as_str())
        .fetch_optional(pool)
        .await?);
        row.map(|(received_at, due_at, wants_follow_up, state, door)| {
            Ok(ReferralReceipt {
                received_at,
                due_at,
                wants_follow_up,
                state: crate::triage::parse_code(&state, "referral state")?,
                door: crate::triage::parse_code(&door, "door")?,
            })
        })
        .transpose()
    }

    /// A whole referral, read by `actor`; the read is audited in the same transaction.
    pub async fn read_referral(
        &self,
        code: &ReferenceCode,
        actor: &Actor,
    ) -> Result<Option<StoredReferral>> {
        self.retrying(|| self.read_referral_once(code, actor)).await
    }

    async fn read_referral_once(
        &self,
        code: &ReferenceCode,
        actor: &Actor,
    ) -> Result<Option<StoredReferral>> {
        let mut tx = self.begin().await?;
        let row = on_tx!(&mut tx, c => sqlx::query_as::<_, ReferralRow>(SELECT_REFERRAL)
            .bind(code.as_str())
            .fetch_optional(c)
            .await?);
        let referral = row.map(StoredReferral::try_from).transpose()?;
        tx.commit_with(Entry {
            actor,
            action: "referral.read",
            record_type: "referral",
            record_id: referral.as_ref().map(|r| r.id.clone()),
            outcome: if referral.is_some() {
                "ok"
            } else {
                "not_found"
            },
            at: crate::now(),
            address: None,
            subject: None,
        })
        .await?;
        Ok(referral)
    }

    /// How many referrals there are.
    pub async fn referral_count(&self) -> Result<i64> {
        Ok(
            on_pool!(self, pool => sqlx::query_scalar("SELECT COUNT(*) FROM referrals").fetch_one(pool).await?),
        )
    }
}

/// Inserts a new referral with a fresh code, its first event and its clock's jobs.
async fn insert_new(
    tx: &mut Tx,
    referral: &NewReferral,
    received_at: OffsetDateTime,
    due_at: OffsetDateTime,
) -> Result<ReceivedReferral> {
    let received = ReceivedReferral {
        id: ReferralId::new(),
        code: ReferenceCode::random(),
        received_at,
        due_at,
    };
    insert_referral(tx, referral, &received).await?;
    crate::jobs::enqueue_clock(
        tx,
        (JobKind::ReferralRemind, JobKind::ReferralEscalate),
        &received.id.to_string(),
        received_at,
        due_at,
    )
    .await?;
    Ok(received)
}

async fn insert_referral(tx: &mut Tx, r: &NewReferral, received: &ReceivedReferral) -> Result<()> {
    let id = received.id.to_string();
    let places = json_list(r.whereabouts.places.iter().map(String::as_str));
    let times = json_list(r.whereabouts.times.iter().map(|t| t.code()));
    let concerns = json_list(r.concerns.iter().map(|c| c.code()));
    on_tx!(tx, c => sqlx::query(INSERT_REFERRAL)
        .bind(&id)
        .bind(received.code.as_str())
        .bind(r.door.code())
        .bind(ReferralState::Received.code())
        .bind(r.language.tag())
        .bind(Stamp(received.received_at))
        .bind(Stamp(received.due_at))
        .bind(r.referrer.kind.map(|k| k.code()))
        .bind(r.referrer.name.as_deref())
        .bind(r.referrer.phone.as_ref().map(|p| p.to_string()))
        .bind(r.referrer.email.as_ref().map(|e| e.to_string()))
        .bind(r.referrer.wants_follow_up)
        .bind(r.person.name.as_deref())
        .bind(r.person.age.code())
        .bind(r.person.gender.as_deref())
        .bind(r.person.build.as_deref())
        .bind(r.person.hair.as_deref())
        .bind(r.person.features.as_deref())
        .bind(&places)
        .bind(r.whereabouts.places_other.as_deref())
        .bind(&times)
        .bind(r.whereabouts.times_other.as_deref())
        .bind(&concerns)
        .bind(r.concern_text.as_deref())
        .bind(r.safety_notes.as_deref())
        .execute(c)
        .await?.rows_affected());
    on_tx!(tx, c => sqlx::query(INSERT_EVENT)
        .bind(EventId::new().to_string())
        .bind(&id)
        .bind(Stamp(received.received_at))
        .bind(None::<String>)
        .bind(ReferralState::Received.code())
        .bind(Actor::Public.as_str())
        .bind(None::<String>)
        .execute(c)
        .await?.rows_affected());
    Ok(())
}

#[derive(sqlx::FromRow)]
pub(crate) struct ReferralRow {
    id: String,
    reference_code: String,
    pub(crate) door: String,
    pub(crate) state: String,
    language: String,
    received_at: OffsetDateTime,
    due_at: OffsetDateTime,
    referrer_type: Option<String>,
    referrer_name: Option<String>,
    referrer_phone: Option<String>,
    referrer_email: Option<String>,
    wants_follow_up: bool,
    person_name: Option<String>,
    age_range: String,
    gender: Option<String>,
    build: Option<String>,
    hair: Option<String>,
    features: Option<String>,
    places: String,
    places_other: Option<String>,
    times: String,
    times_other: Option<String>,
    concerns: String,
    concern_text: Option<String>,
    safety_notes: Option<String>,
}

impl TryFrom<ReferralRow> for StoredReferral {
    type Error = crate::StoreError;
    fn try_from(r: ReferralRow) -> Result<Self> {
        Ok(StoredReferral {
            id: r.id,
            code: r.reference_code,
            door: r.door,
            state: r.state,
            language: r.language,
            received_at: r.received_at,
            due_at: r.due_at,
            referrer_type: r.referrer_type,
            referrer_name: r.referrer_name,
            referrer_phone: r.referrer_phone,
            referrer_email: r.referrer_email,
            wants_follow_up: r.wants_follow_up,
            person_name: r.person_name,
            age_range: r.age_range,
            gender: r.gender,
            build: r.build,
            hair: r.hair,
            features: r.features,
            places: parse_json_list(&r.places)?,
            places_other: r.places_other,
            times: parse_json_list(&r.times)?,
            times_other: r.times_other,
            concerns: parse_json_list(&r.concerns)?,
            concern_text: r.concern_text,
            safety_notes: r.safety_notes,
        })
    }
}
