//! Community feedback on referrals: received from the public form, read and shared (or kept)
//! by the project manager, and counted for the Community Leadership Team. Comments may name or
//! describe someone, so reading them as written is audited; the team sees only the counts and
//! the words the project manager chose to share.

use leadhub_domain::feedback::{Answered, Decision, NewFeedback, Rating, Response, Review};
use leadhub_domain::ids::{FeedbackId, ReferralId};
use leadhub_domain::referral::ReferrerType;
use time::OffsetDateTime;

use crate::audit::{Actor, Entry};
use crate::triage::parse_code;
use crate::{Db, Result, Stamp, on_pool, on_tx};

/// How sending feedback ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeedbackSent {
    Received(FeedbackId),
    /// The code given is no referral's: nothing was stored.
    UnknownCode,
}

/// A comment waiting for the project manager, as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaitingComment {
    pub id: FeedbackId,
    pub received_at: OffsetDateTime,
    pub language: String,
    pub respondent: Option<ReferrerType>,
    pub answered: Answered,
    pub rating: Rating,
    pub comment: String,
    /// The referral the sender's code named, with that code.
    pub referral: Option<(ReferralId, String)>,
}

/// How a review ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeedbackReviewed {
    Done,
    /// Someone decided about it already (or it has no comment to decide about).
    AlreadyReviewed,
    NotFound,
}

/// What the team sees of a period: every response's month-able facts, and the shared comments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommunityFeedback {
    /// (received at, rating, answered) of every response in the period.
    pub responses: Vec<(OffsetDateTime, Rating, Answered)>,
    /// The words the project manager shared, newest first. Nothing else about them: with
    /// their month or rating beside the suppressed counts, ten comments could pin a cell
    /// shown as "fewer than 11".
    pub shared: Vec<String>,
}

/// Comments shown to the project manager at once, oldest first.
const WAITING_PAGE: i64 = 50;

impl Db {
    /// Stores feedback received at `at` from the public form, linked to the referral its code
    /// names (refused whole if the code is no referral's).
    pub async fn submit_feedback(
        &self,
        feedback: &NewFeedback,
        at: OffsetDateTime,
    ) -> Result<FeedbackSent> {
        let at = crate::truncate_to_micros(at);
        self.retrying(|| async {
            let mut tx = self.begin().await?;
            let referral: Option<String> = match &feedback.code {
                Some(code) => {
                    let found: Option<String> = on_tx!(&mut tx, c => sqlx::query_scalar(
                        "SELECT id FROM referrals WHERE reference_code = $1",
                    )
                    .bind(code.as_str())
                    .fetch_optional(c)
                    .await?);
                    if found.is_none() {
                        tx.commit().await?;
                        return Ok(FeedbackSent::UnknownCode);
                    }
                    found
                }
                None => None,
            };
            let id = FeedbackId::new();
            let review = if feedback.comment.is_some() {
                Review::Waiting
            } else {
                Review::NoComment
            };
            on_tx!(&mut tx, c => sqlx::query(
                "INSERT INTO community_feedback \
                 (id, received_at, language, referral_id, respondent, answered, rating, comment, review) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind(id.to_string())
            .bind(Stamp(at))
            .bind(feedback.language.tag())
            .bind(referral.as_deref())
            .bind(feedback.respondent.map(|r| r.code()))
            .bind(feedback.answered.code())
            .bind(feedback.rating.code())
            .bind(feedback.comment.as_deref())
            .bind(review.code())
            .execute(c)
            .await?
            .rows_affected());
            let outcome = if feedback.comment.is_some() {
                "ok: with a comment"
            } else {
                "ok"
            };
            tx.commit_with(Entry::new(
                &Actor::Public,
                "feedback.submit",
                ("community_feedback", Some(id.to_string())),
                outcome,
                at,
            ))
            .await?;
            Ok(FeedbackSent::Received(id))
        })
        .await
    }

    /// The comments waiting for a decision, oldest first (at most a page of them), and how
    /// many wait in all. Reading them as written is audited before they are handed out.
    pub async fn waiting_feedback(
        &self,
        reader: &Actor,
        address: &str,
        now: OffsetDateTime,
    ) -> Result<(Vec<WaitingComment>, i64)> {
        let mut tx = self.begin_read().await?;
        type Row = (
            String,
            OffsetDateTime,
            String,
            Option<String>,
            String,
            String,
            Option<String>,
            Option<String>,
            Option<String>,
        );
        let rows: Vec<Row> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT f.id, f.received_at, f.language, f.respondent, f.answered, f.rating, f.comment, \
                    r.id, r.reference_code \
             FROM community_feedback f LEFT JOIN referrals r ON r.id = f.referral_id \
             WHERE f.review = $1 ORDER BY f.received_at, f.id LIMIT $2",
        )
        .bind(Review::Waiting.code())
        .bind(WAITING_PAGE)
        .fetch_all(c)
        .await?);
        let waiting: i64 = on_tx!(&mut tx, c => sqlx::query_scalar(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM community_feedback WHERE review = $1",
        )
        .bind(Review::Waiting.code())
        .fetch_one(c)
        .await?);
        tx.commit().await?;
        let comments = rows
            .into_iter()
            .map(|row| {
                let (id, received_at, language, respondent, answered, rating, comment, rid, code) =
                    row;
                Ok(WaitingComment {
                    id: parse_code(&id, "feedback id")?,
                    received_at,
                    language,
                    respondent: respondent
                        .map(|r| parse_code(&r, "feedback respondent"))
                        .transpose()?,
                    answered: parse_code(&answered, "feedback answer")?,
                    rating: parse_code(&rating, "feedback rating")?,
                    comment: comment.unwrap_or_default(),
                    referral: match (rid, code) {
                        (Some(rid), Some(code)) => Some((parse_code(&rid, "referral id")?, code)),
                        _ => None,
                    },
                })
            })
            .collect::<Result<Vec<_>>>()?;
        // One entry per comment shown as written, so a comment's readers can be told later.
        let outcome = format!("ok: {waiting} waiting");
        for comment in &comments {
            self.audit_read(
                Entry::new(
                    reader,
                    "feedback.read",
                    ("community_feedback", Some(comment.id.to_string())),
                    &outcome,
                    now,
                )
                .with_address(Some(address)),
            )
            .await?;
        }
        Ok((comments, waiting))
    }

    /// Decides about a waiting comment: shared in the chosen words, or kept from the team.
    pub async fn review_feedback(
        &self,
        reviewer: &Actor,
        feedback: FeedbackId,
        decision: &Decision,
        address: &str,
        now: OffsetDateTime,
    ) -> Result<FeedbackReviewed> {
        let now = crate::truncate_to_micros(now);
        let (review, shared_text) = match decision {
            Decision::Share(text) => (Review::Shared, Some(text.as_str())),
            Decision::Keep => (Review::Kept, None),
        };
        self.retrying(|| async {
            let mut tx = self.begin().await?;
            let changed = on_tx!(&mut tx, c => sqlx::query(
                "UPDATE community_feedback SET review = $1, shared_text = $2, reviewed_by = $3, reviewed_at = $4 \
                 WHERE id = $5 AND review = $6",
            )
            .bind(review.code())
            .bind(shared_text)
            .bind(reviewer.user_id().map(|u| u.to_string()))
            .bind(Stamp(now))
            .bind(feedback.to_string())
            .bind(Review::Waiting.code())
            .execute(c)
            .await?
            .rows_affected());
            if changed == 0 {
                let exists: Option<String> = on_tx!(&mut tx, c => sqlx::query_scalar(
                    "SELECT id FROM community_feedback WHERE id = $1",
                )
                .bind(feedback.to_string())
                .fetch_optional(c)
                .await?);
                tx.commit().await?;
                return Ok(if exists.is_some() {
                    FeedbackReviewed::AlreadyReviewed
                } else {
                    FeedbackReviewed::NotFound
                });
            }
            let outcome = format!("ok: {}", review.code());
            let entry = Entry::new(
                reviewer,
                "feedback.review",
                ("community_feedback", Some(feedback.to_string())),
                &outcome,
                now,
            )
            .with_address(Some(address));
            tx.commit_with(entry).await?;
            Ok(FeedbackReviewed::Done)
        })
        .await
    }

    /// Every response received in `[from, to)` and the comments shared among them. Nothing
    /// here is about a person: the counts are suppressed by the caller, and shared words are
    /// the project manager's, so this read is not audited.
    pub async fn community_feedback(
        &self,
        from: OffsetDateTime,
        to: OffsetDateTime,
    ) -> Result<CommunityFeedback> {
        type Row = (OffsetDateTime, String, String, String, Option<String>);
        let rows: Vec<Row> = on_pool!(self, pool => sqlx::query_as(
            "SELECT received_at, rating, answered, review, shared_text FROM community_feedback \
             WHERE received_at >= $1 AND received_at < $2 ORDER BY received_at DESC, id DESC",
        )
        .bind(Stamp(from))
        .bind(Stamp(to))
        .fetch_all(pool)
        .await?);
        let mut view = CommunityFeedback {
            responses: Vec::with_capacity(rows.len()),
            shared: Vec::new(),
        };
        for (received_at, rating, answered, review, shared_text) in rows {
            let rating: Rating = parse_code(&rating, "feedback rating")?;
            let answered: Answered = parse_code(&answered, "feedback answer")?;
            view.responses.push((received_at, rating, answered));
            if let (Review::Shared, Some(text)) =
                (parse_code(&review, "feedback review")?, shared_text)
            {
                view.shared.push(text);
            }
        }
        Ok(view)
    }
}

impl CommunityFeedback {
    /// Each response with its month on the site's clock, for
    /// [`leadhub_domain::feedback::tally`].
    pub fn by_month(&self, calendar: &leadhub_domain::BusinessCalendar) -> Vec<Response> {
        self.responses
            .iter()
            .map(|&(at, rating, answered)| Response {
                month: leadhub_domain::snapshot::Month::of(calendar.day_of(at)),
                rating,
                answered,
            })
            .collect()
    }
}
