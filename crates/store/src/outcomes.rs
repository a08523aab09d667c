//! The participant-month panel for outcome evaluation (issue 9): read in one snapshot of the
//! database, built by `domain::outcomes::panel`.

use std::collections::HashMap;

use jiff::civil::Date;
use leadhub_domain::BusinessCalendar;
use leadhub_domain::booking::EventKind;
use leadhub_domain::ids::ParticipantId;
use leadhub_domain::outcomes::{History, PanelRow, Status, Stay, panel};
use leadhub_domain::snapshot::{Month, parse_one_code, parse_set_code};
use time::OffsetDateTime;

use crate::audit::{Actor, Entry};
use crate::{Db, Result, Stamp, on_tx};

/// One participant's months.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParticipantMonths {
    pub participant: ParticipantId,
    pub rows: Vec<PanelRow>,
}

/// Why the panel is read, as the audit log records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PanelUse {
    /// The Outcomes page's models (`outcomes.analyse`).
    Analysis,
    /// The de-identified evaluator export (`outcomes.export`).
    Export,
}

impl PanelUse {
    fn action(self) -> &'static str {
        match self {
            PanelUse::Analysis => "outcomes.analyse",
            PanelUse::Export => "outcomes.export",
        }
    }
}

type StatusRecord = (String, String, String, String, String);

impl Db {
    /// The panel as of the end of `as_of` (on the site's clock) for every participant enrolled
    /// by then, ordered by participant id. Reading it is a read of personal data and is
    /// audited with `purpose`'s action.
    pub async fn outcome_panel(
        &self,
        calendar: &BusinessCalendar,
        as_of: Date,
        reader: &Actor,
        purpose: PanelUse,
    ) -> Result<Vec<ParticipantMonths>> {
        let end = calendar.start_of(as_of.tomorrow().unwrap_or(as_of));
        let mut tx = self.begin_read().await?;
        let enrolled: Vec<(String, OffsetDateTime, Option<OffsetDateTime>)> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT p.id, p.enrolled_at, r.received_at FROM participants p \
             LEFT JOIN referrals r ON r.id = p.referral_id WHERE p.enrolled_at < $1",
        )
        .bind(Stamp(end))
        .fetch_all(c)
        .await?);
        // Oldest first, so that a later answer for the same month is its correction.
        let statuses: Vec<StatusRecord> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT participant_id, month, living, employment, income FROM status_snapshots \
             WHERE month <= $1 ORDER BY recorded_at, id",
        )
        .bind(Month::of(as_of).to_string())
        .fetch_all(c)
        .await?);
        // Every contact, filtered by time below: without a condition on `at`, SQLite reads
        // them from the covering index on (participant_id, at) instead of looking up each
        // row found through the index on `at` (0.2 s instead of 2 s for 1M contacts).
        let contacts: Vec<(String, OffsetDateTime)> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT participant_id, at FROM contacts",
        )
        .fetch_all(c)
        .await?);
        let bookings: Vec<(String, OffsetDateTime, Option<OffsetDateTime>, String)> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT participant_id, booked_at, released_at, kind FROM bookings",
        )
        .fetch_all(c)
        .await?);
        tx.commit().await?;

        let mut histories: HashMap<String, History> = enrolled
            .into_iter()
            .map(|(id, enrolled_at, referred_at)| {
                let history = History {
                    referred: referred_at.map(|at| calendar.day_of(at)),
                    enrolled: Some(calendar.day_of(enrolled_at)),
                    ..History::default()
                };
                (id, history)
            })
            .collect();
        for (id, month, living, employment, income) in statuses {
            let Some(history) = histories.get_mut(&id) else {
                continue;
            };
            let parsed = (
                month.parse::<Month>(),
                parse_one_code(&living),
                parse_one_code(&employment),
                parse_set_code(&income),
            );
            // A row the application did not write is left out (the month stays unknown)
            // rather than guessed at.
            if let (Ok(month), Ok(living), Ok(employment), Ok(income)) = parsed {
                history.statuses.push(Status {
                    month,
                    living,
                    employment,
                    income,
                });
            } else {
                tracing::warn!("a status snapshot with unreadable codes was left out of the panel");
            }
        }
        for (id, at) in contacts.into_iter().filter(|(_, at)| *at < end) {
            if let Some(history) = histories.get_mut(&id) {
                history.contacts.push(calendar.day_of(at));
            }
        }
        for (id, booked, released, kind) in bookings.into_iter().filter(|(_, at, _, _)| *at < end) {
            let Some(history) = histories.get_mut(&id) else {
                continue;
            };
            match kind.parse::<EventKind>() {
                Ok(EventKind::Booking) => history.bookings.push(Stay {
                    booked: calendar.day_of(booked),
                    // A release after the as-of day is not known yet at the as-of day.
                    released: released.filter(|r| *r < end).map(|r| calendar.day_of(r)),
                }),
                Ok(EventKind::Citation) => history.citations.push(calendar.day_of(booked)),
                // A new charge without an arrest is neither.
                Ok(EventKind::Charge) => {}
                Err(()) => tracing::warn!("a booking of an unknown kind was left out of the panel"),
            }
        }
        let mut participants: Vec<ParticipantMonths> = histories
            .into_iter()
            .filter_map(|(id, history)| {
                let participant = id.parse().ok()?;
                Some(ParticipantMonths {
                    participant,
                    rows: panel(&history, as_of),
                })
            })
            .filter(|p| !p.rows.is_empty())
            .collect();
        participants.sort_by_key(|p| p.participant.to_string());

        let months: usize = participants.iter().map(|p| p.rows.len()).sum();
        let outcome = format!(
            "ok: {} participants, {months} months, as of {as_of}",
            participants.len()
        );
        let entry = Entry::new(
            reader,
            purpose.action(),
            ("participants", None),
            &outcome,
            crate::now(),
        );
        self.audit_read(entry).await?;
        Ok(participants)
    }
}
