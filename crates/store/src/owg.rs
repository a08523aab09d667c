//! Operational Workgroup case conferencing: meetings, the agenda built from flags, minutes
//! and action items, and what each attendee may see of them.
//!
//! The agenda is built when a meeting is planned and may be rebuilt until it starts: an
//! item per participant (or per overdue referral) with every reason found and the facts
//! behind each, as they stood when it was built. Rebuilding adds what is new and refreshes
//! the facts; it never drops an item, its minutes or whether it was taken off.
//!
//! Who sees an item: the project manager every one; a case manager those about their own
//! caseload and the overdue referrals (the queue is the team's); a legal liaison only items
//! with a legal reason (a booking, a court date, a warrant) about a participant whose
//! active release to their organisation covers legal matters, and then only those reasons.
//! Each participant shown is an audited read (under a release, a logged disclosure).

use std::collections::BTreeMap;

use jiff::civil::Date;
use leadhub_domain::access::{Action, Scope, allowed};
use leadhub_domain::consent::Category;
use leadhub_domain::ids::{ActionItemId, AgendaItemId, MeetingId, ParticipantId, ReleaseId};
use leadhub_domain::legal::MatterStatus;
use leadhub_domain::owg::{
    CADENCE_DAYS, COURT_WINDOW_DAYS, Flag, NOT_SEEN_DAYS, NewAction, NewMeeting,
};
use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime};

use crate::audit::{Actor, Entry};
use crate::casework::{Caseworker, target};
use crate::triage::parse_code;
use crate::{Db, Result, Stamp, StoreError, Tx, on_pool, on_tx};

/// A meeting as the list shows it.
#[derive(Debug, Clone)]
pub struct MeetingLine {
    pub id: MeetingId,
    pub starts_at: OffsetDateTime,
    pub place: String,
    pub items: i64,
}

/// What one flag found, as it stood when the agenda was built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgendaFact {
    pub flag: Flag,
    /// When: the booking, the hearing, the last contact, the referral's due time.
    pub at: Option<OffsetDateTime>,
    pub words: String,
}

/// An action item.
#[derive(Debug, Clone)]
pub struct ActionView {
    pub id: ActionItemId,
    pub words: String,
    pub owner: String,
    pub agency: String,
    pub due_on: Date,
    pub done_at: Option<OffsetDateTime>,
}

/// Whom an item is about.
#[derive(Debug, Clone)]
pub enum ItemAbout {
    Participant {
        id: ParticipantId,
        name: String,
        case_manager: Option<String>,
        /// The release it is seen under, for a legal-system reader.
        release: Option<ReleaseId>,
    },
    /// A referral past its answer: its reference code.
    Referral { code: String },
}

/// An agenda item as the reader may see it.
#[derive(Debug, Clone)]
pub struct ItemView {
    pub id: AgendaItemId,
    pub about: ItemAbout,
    pub flags: Vec<Flag>,
    pub facts: Vec<AgendaFact>,
    pub minutes: Option<String>,
    /// Taken off the agenda (kept, with its minutes).
    pub removed: bool,
    pub actions: Vec<ActionView>,
}

/// A meeting with the items the reader may see, in agenda order.
#[derive(Debug, Clone)]
pub struct MeetingView {
    pub id: MeetingId,
    pub starts_at: OffsetDateTime,
    pub place: String,
    pub agenda_built_at: OffsetDateTime,
    pub items: Vec<ItemView>,
    /// Items the reader may not see.
    pub withheld: usize,
}

/// What the minutes form of an item says.
#[derive(Debug, Clone)]
pub struct ItemEdit {
    pub item: AgendaItemId,
    pub minutes: Option<String>,
    /// Take it off the agenda (it is kept, with its minutes).
    pub removed: bool,
}

/// How a change to a meeting ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MeetingChange {
    Done,
    /// No such meeting, item or action (or it is not that meeting's).
    NotFound,
    /// The meeting has started: its agenda is no longer rebuilt.
    Started,
    /// No meeting is planned to put someone on.
    NoMeeting,
}

#[derive(Serialize, Deserialize)]
struct StoredFact {
    flag: String,
    at: Option<OffsetDateTime>,
    words: String,
}

/// What an item is about, as stored.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Subject {
    Participant(String),
    Referral(String),
}

fn flags_text(flags: &[Flag]) -> String {
    flags.iter().map(|f| f.code()).collect::<Vec<_>>().join(" ")
}

fn read_flags(text: &str) -> Result<Vec<Flag>> {
    text.split_whitespace()
        .map(|code| parse_code(code, "agenda flag"))
        .collect()
}

fn facts_json(facts: &[AgendaFact]) -> Result<String> {
    let stored: Vec<StoredFact> = facts
        .iter()
        .map(|f| StoredFact {
            flag: f.flag.code().to_owned(),
            at: f.at,
            words: f.words.clone(),
        })
        .collect();
    serde_json::to_string(&stored).map_err(|e| StoreError::Corrupt(e.to_string()))
}

fn read_facts(json: &str) -> Result<Vec<AgendaFact>> {
    let stored: Vec<StoredFact> = serde_json::from_str(json)
        .map_err(|_| StoreError::Corrupt(format!("agenda facts {json:?}")))?;
    stored
        .into_iter()
        .map(|f| {
            Ok(AgendaFact {
                flag: parse_code(&f.flag, "agenda flag")?,
                at: f.at,
                words: f.words,
            })
        })
        .collect()
}

/// When a meeting starts, and its day on the site's clock.
#[derive(Debug, Clone, Copy)]
struct When {
    starts: OffsetDateTime,
    day: Date,
}

/// Everything the flags find for a meeting, by whom it is about, in the order found
/// (bookings, warrants, court dates, actions, not seen, referrals).
async fn find_flags(
    tx: &mut Tx,
    meeting: &str,
    when: When,
    now: OffsetDateTime,
) -> Result<Vec<(Subject, AgendaFact)>> {
    let starts = when.starts;
    let previous: Option<OffsetDateTime> = on_tx!(tx, c => sqlx::query_scalar(
        "SELECT MAX(starts_at) FROM owg_meetings WHERE starts_at < $1 AND id <> $2",
    )
    .bind(Stamp(starts))
    .bind(meeting)
    .fetch_one(c)
    .await?);
    // Before the first meeting, "since the last one" is the two weeks up to now.
    let since = previous.unwrap_or(now.min(starts) - Duration::days(CADENCE_DAYS));
    let mut found = Vec::new();

    type BookingRow = (String, OffsetDateTime, String, String);
    let bookings: Vec<BookingRow> = on_tx!(tx, c => sqlx::query_as(
        "SELECT participant_id, booked_at, agency, charges FROM bookings \
         WHERE linked_at > $1 AND linked_at <= $2 ORDER BY booked_at, id",
    )
    .bind(Stamp(since))
    .bind(Stamp(now.max(since)))
    .fetch_all(c)
    .await?);
    for (participant, at, agency, charges) in bookings {
        let fact = AgendaFact {
            flag: Flag::NewBooking,
            at: Some(at),
            words: format!("{agency}: {charges}"),
        };
        found.push((Subject::Participant(participant), fact));
    }

    type MatterRow = (
        String,
        String,
        Option<String>,
        String,
        Option<OffsetDateTime>,
    );
    let warrants: Vec<MatterRow> = on_tx!(tx, c => sqlx::query_as(
        "SELECT participant_id, jurisdiction, case_number, status, next_court_at FROM legal_matters \
         WHERE warrant = 'active' ORDER BY created_at, id",
    )
    .fetch_all(c)
    .await?);
    let court: Vec<MatterRow> = on_tx!(tx, c => sqlx::query_as(
        "SELECT participant_id, jurisdiction, case_number, status, next_court_at FROM legal_matters \
         WHERE next_court_at >= $1 AND next_court_at < $2 ORDER BY next_court_at, id",
    )
    .bind(Stamp(starts))
    .bind(Stamp(starts + Duration::days(COURT_WINDOW_DAYS)))
    .fetch_all(c)
    .await?);
    for (flag, rows) in [(Flag::Warrant, warrants), (Flag::CourtSoon, court)] {
        for (participant, jurisdiction, case_number, status, next_court_at) in rows {
            // Which matters are open is the domain's rule, not repeated in SQL.
            if !parse_code::<MatterStatus>(&status, "matter status")?.is_open() {
                continue;
            }
            let case = case_number.map_or_else(String::new, |n| format!(" {n}"));
            let fact = AgendaFact {
                flag,
                at: if flag == Flag::CourtSoon {
                    next_court_at
                } else {
                    None
                },
                words: format!("{jurisdiction}{case}"),
            };
            found.push((Subject::Participant(participant), fact));
        }
    }

    type ActionRow = (
        Option<String>,
        Option<String>,
        String,
        String,
        String,
        String,
    );
    let actions: Vec<ActionRow> = on_tx!(tx, c => sqlx::query_as(
        "SELECT a.participant_id, a.referral_id, a.words, a.owner, a.agency, a.due_on FROM owg_actions a \
         JOIN owg_items i ON i.id = a.item_id JOIN owg_meetings m ON m.id = i.meeting_id \
         WHERE a.done_at IS NULL AND m.starts_at < $1 ORDER BY a.due_on, a.id",
    )
    .bind(Stamp(starts))
    .fetch_all(c)
    .await?);
    for (participant, referral, words, owner, agency, due_on) in actions {
        let due: Date = parse_code(&due_on, "due day")?;
        let flag = if due < when.day {
            Flag::ActionOverdue
        } else {
            Flag::FollowUp
        };
        let subject = match (participant, referral) {
            (Some(p), _) => Subject::Participant(p),
            (None, Some(r)) => Subject::Referral(r),
            (None, None) => continue,
        };
        let fact = AgendaFact {
            flag,
            at: None,
            words: format!("{words} ({owner}, {agency}; due {due})"),
        };
        found.push((subject, fact));
    }

    // Those who crossed the not-seen line since the last meeting: each lapse comes to the
    // group once (an action agreed on it then follows up), not at every meeting for ever.
    let not_seen: Vec<(String, OffsetDateTime)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT id, last_seen_at FROM participants WHERE last_seen_at < $1 AND last_seen_at >= $2 \
         ORDER BY last_seen_at, id",
    )
    .bind(Stamp(starts - Duration::days(NOT_SEEN_DAYS)))
    .bind(Stamp(since - Duration::days(NOT_SEEN_DAYS)))
    .fetch_all(c)
    .await?);
    for (participant, last_seen) in not_seen {
        let fact = AgendaFact {
            flag: Flag::NotSeen,
            at: Some(last_seen),
            words: String::new(),
        };
        found.push((Subject::Participant(participant), fact));
    }

    let referrals: Vec<(String, String, OffsetDateTime)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT id, reference_code, due_at FROM referrals WHERE state = 'received' AND answered_at IS NULL \
         AND due_at < $1 ORDER BY due_at, id",
    )
    .bind(Stamp(starts))
    .fetch_all(c)
    .await?);
    for (referral, code, due_at) in referrals {
        let code = code
            .parse::<leadhub_domain::ReferenceCode>()
            .map_or(code, |c| c.to_string());
        let fact = AgendaFact {
            flag: Flag::ReferralOverdue,
            at: Some(due_at),
            words: code,
        };
        found.push((Subject::Referral(referral), fact));
    }
    Ok(found)
}

/// The meeting's existing items by subject: (id, flags).
async fn existing_items(
    tx: &mut Tx,
    meeting: &str,
) -> Result<BTreeMap<Subject, (String, Vec<Flag>)>> {
    type Row = (String, Option<String>, Option<String>, String);
    let rows: Vec<Row> = on_tx!(tx, c => sqlx::query_as(
        "SELECT id, participant_id, referral_id, flags FROM owg_items WHERE meeting_id = $1",
    )
    .bind(meeting)
    .fetch_all(c)
    .await?);
    let mut items = BTreeMap::new();
    for (id, participant, referral, flags) in rows {
        let subject = match (participant, referral) {
            (Some(p), _) => Subject::Participant(p),
            (None, Some(r)) => Subject::Referral(r),
            (None, None) => continue,
        };
        items.insert(subject, (id, read_flags(&flags)?));
    }
    Ok(items)
}

/// Builds (or rebuilds) the agenda of `meeting`; returns how many items it has.
async fn build_agenda(
    tx: &mut Tx,
    meeting: &str,
    when: When,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<usize> {
    let found = find_flags(tx, meeting, when, now).await?;
    let mut order: Vec<Subject> = Vec::new();
    let mut facts: BTreeMap<Subject, Vec<AgendaFact>> = BTreeMap::new();
    for (subject, fact) in found {
        let list = facts.entry(subject.clone()).or_default();
        if list.is_empty() {
            order.push(subject);
        }
        list.push(fact);
    }
    let mut existing = existing_items(tx, meeting).await?;
    let mut position: i64 = on_tx!(tx, c => sqlx::query_scalar(
        "SELECT CAST(COALESCE(MAX(position), 0) AS BIGINT) FROM owg_items WHERE meeting_id = $1",
    )
    .bind(meeting)
    .fetch_one(c)
    .await?);
    let changed_by = actor.user_id().map(|u| u.to_string());
    for subject in order {
        let these = facts.remove(&subject).unwrap_or_default();
        let mut flags: Vec<Flag> = Vec::new();
        for fact in &these {
            if !flags.contains(&fact.flag) {
                flags.push(fact.flag);
            }
        }
        match existing.remove(&subject) {
            Some((id, old)) => {
                if old.contains(&Flag::Added) {
                    flags.push(Flag::Added);
                }
                on_tx!(tx, c => sqlx::query(
                    "UPDATE owg_items SET flags = $1, facts = $2, changed_at = $3, changed_by = $4 WHERE id = $5",
                )
                .bind(flags_text(&flags))
                .bind(facts_json(&these)?)
                .bind(Stamp(now))
                .bind(&changed_by)
                .bind(&id)
                .execute(c)
                .await?
                .rows_affected());
            }
            None => {
                position += 1;
                let item = NewItem {
                    meeting,
                    subject: &subject,
                    position,
                    flags: &flags,
                    facts: &these,
                };
                insert_item(tx, item, &changed_by, now).await?;
            }
        }
    }
    on_tx!(tx, c => sqlx::query("UPDATE owg_meetings SET agenda_built_at = $1 WHERE id = $2")
        .bind(Stamp(now))
        .bind(meeting)
        .execute(c)
        .await?
        .rows_affected());
    let total: i64 = on_tx!(tx, c => sqlx::query_scalar(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM owg_items WHERE meeting_id = $1",
    )
    .bind(meeting)
    .fetch_one(c)
    .await?);
    Ok(usize::try_from(total).unwrap_or(0))
}

/// A new agenda item.
struct NewItem<'a> {
    meeting: &'a str,
    subject: &'a Subject,
    position: i64,
    flags: &'a [Flag],
    facts: &'a [AgendaFact],
}

async fn insert_item(
    tx: &mut Tx,
    item: NewItem<'_>,
    changed_by: &Option<String>,
    now: OffsetDateTime,
) -> Result<()> {
    let NewItem {
        meeting,
        subject,
        position,
        flags,
        facts,
    } = item;
    let (participant, referral) = match subject {
        Subject::Participant(p) => (Some(p.as_str()), None),
        Subject::Referral(r) => (None, Some(r.as_str())),
    };
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO owg_items (id, meeting_id, participant_id, referral_id, position, flags, facts, minutes, \
         removed, created_at, changed_at, changed_by) VALUES ($1, $2, $3, $4, $5, $6, $7, NULL, FALSE, $8, $8, $9)",
    )
    .bind(AgendaItemId::new().to_string())
    .bind(meeting)
    .bind(participant)
    .bind(referral)
    .bind(position)
    .bind(flags_text(flags))
    .bind(facts_json(facts)?)
    .bind(Stamp(now))
    .bind(changed_by)
    .execute(c)
    .await?
    .rows_affected());
    Ok(())
}

/// When the meeting is, if it exists.
async fn meeting_when(tx: &mut Tx, meeting: MeetingId) -> Result<Option<When>> {
    let row: Option<(OffsetDateTime, String)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT starts_at, held_on FROM owg_meetings WHERE id = $1",
    )
    .bind(meeting.to_string())
    .fetch_optional(c)
    .await?);
    row.map(|(starts, day)| {
        Ok(When {
            starts,
            day: parse_code(&day, "meeting day")?,
        })
    })
    .transpose()
}

fn entry<'a>(
    actor: &'a Actor,
    action: &'a str,
    record: (&'a str, Option<String>),
    outcome: &'a str,
    address: &'a str,
    now: OffsetDateTime,
) -> Entry<'a> {
    Entry::new(actor, action, record, outcome, now).with_address(Some(address))
}

impl Db {
    /// The meetings, newest first (at most `limit`), with how many items each has.
    pub async fn meetings(&self, limit: i64) -> Result<Vec<MeetingLine>> {
        type Row = (String, OffsetDateTime, String, i64);
        let rows: Vec<Row> = on_pool!(self, pool => sqlx::query_as(
            "SELECT m.id, m.starts_at, m.place, CAST((SELECT COUNT(*) FROM owg_items i WHERE i.meeting_id = m.id \
             AND NOT i.removed) AS BIGINT) FROM owg_meetings m ORDER BY m.starts_at DESC, m.id DESC LIMIT $1",
        )
        .bind(limit)
        .fetch_all(pool)
        .await?);
        rows.into_iter()
            .map(|(id, starts_at, place, items)| {
                Ok(MeetingLine {
                    id: parse_code(&id, "meeting id")?,
                    starts_at,
                    place,
                    items,
                })
            })
            .collect()
    }

    /// Plans a meeting and builds its agenda, in one transaction with its audit entry.
    pub async fn plan_meeting(
        &self,
        actor: &Actor,
        meeting: &NewMeeting,
        address: &str,
        now: OffsetDateTime,
    ) -> Result<MeetingId> {
        let now = crate::truncate_to_micros(now);
        let starts = crate::truncate_to_micros(meeting.starts_at);
        self.retrying(|| async {
            let mut tx = self.begin().await?;
            let id = MeetingId::new();
            on_tx!(&mut tx, c => sqlx::query(
                "INSERT INTO owg_meetings (id, held_on, starts_at, place, created_by, created_at, agenda_built_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $6)",
            )
            .bind(id.to_string())
            .bind(meeting.day.to_string())
            .bind(Stamp(starts))
            .bind(&meeting.place)
            .bind(actor.user_id().map(|u| u.to_string()))
            .bind(Stamp(now))
            .execute(c)
            .await?
            .rows_affected());
            let when = When {
                starts,
                day: meeting.day,
            };
            let items = build_agenda(&mut tx, &id.to_string(), when, actor, now).await?;
            let outcome = format!("ok: {items} items");
            let record = ("owg_meeting", Some(id.to_string()));
            tx.commit_with(entry(actor, "owg.plan", record, &outcome, address, now))
                .await?;
            Ok(id)
        })
        .await
    }

    /// Rebuilds a meeting's agenda from the flags as they are now, until it starts.
    pub async fn rebuild_agenda(
        &self,
        actor: &Actor,
        meeting: MeetingId,
        address: &str,
        now: OffsetDateTime,
    ) -> Result<MeetingChange> {
        let now = crate::truncate_to_micros(now);
        self.retrying(|| async {
            let mut tx = self.begin().await?;
            let Some(when) = meeting_when(&mut tx, meeting).await? else {
                return Ok(MeetingChange::NotFound);
            };
            if when.starts <= now {
                return Ok(MeetingChange::Started);
            }
            let items = build_agenda(&mut tx, &meeting.to_string(), when, actor, now).await?;
            let outcome = format!("ok: {items} items");
            let record = ("owg_meeting", Some(meeting.to_string()));
            tx.commit_with(entry(actor, "owg.rebuild", record, &outcome, address, now))
                .await?;
            Ok(MeetingChange::Done)
        })
        .await
    }

    /// Puts a participant on the next meeting's agenda by hand (flag `added`).
    pub async fn put_on_agenda(
        &self,
        actor: &Actor,
        participant: ParticipantId,
        address: &str,
        now: OffsetDateTime,
    ) -> Result<(MeetingChange, Option<MeetingId>)> {
        let now = crate::truncate_to_micros(now);
        self.retrying(|| async {
            let mut tx = self.begin().await?;
            let next: Option<String> = on_tx!(&mut tx, c => sqlx::query_scalar(
                "SELECT id FROM owg_meetings WHERE starts_at > $1 ORDER BY starts_at, id LIMIT 1",
            )
            .bind(Stamp(now))
            .fetch_optional(c)
            .await?);
            let Some(meeting) = next else {
                return Ok((MeetingChange::NoMeeting, None));
            };
            let Some(person) = target(&mut tx, participant).await?.map(|t| t.person_id) else {
                return Ok((MeetingChange::NotFound, None));
            };
            let subject = Subject::Participant(participant.to_string());
            let changed_by = actor.user_id().map(|u| u.to_string());
            match existing_items(&mut tx, &meeting).await?.remove(&subject) {
                Some((id, mut flags)) => {
                    if !flags.contains(&Flag::Added) {
                        flags.push(Flag::Added);
                    }
                    on_tx!(&mut tx, c => sqlx::query(
                        "UPDATE owg_items SET flags = $1, removed = FALSE, changed_at = $2, changed_by = $3 WHERE id = $4",
                    )
                    .bind(flags_text(&flags))
                    .bind(Stamp(now))
                    .bind(&changed_by)
                    .bind(&id)
                    .execute(c)
                    .await?
                    .rows_affected());
                }
                None => {
                    let position: i64 = on_tx!(&mut tx, c => sqlx::query_scalar(
                        "SELECT CAST(COALESCE(MAX(position), 0) + 1 AS BIGINT) FROM owg_items WHERE meeting_id = $1",
                    )
                    .bind(&meeting)
                    .fetch_one(c)
                    .await?);
                    let item = NewItem {
                        meeting: &meeting,
                        subject: &subject,
                        position,
                        flags: &[Flag::Added],
                        facts: &[],
                    };
                    insert_item(&mut tx, item, &changed_by, now).await?;
                }
            }
            let record = ("participant", Some(participant.to_string()));
            let mut e = entry(actor, "owg.add", record, "ok: on the next agenda", address, now);
            e.subject = Some(person);
            tx.commit_with(e).await?;
            Ok((MeetingChange::Done, Some(parse_code(&meeting, "meeting id")?)))
        })
        .await
    }

    /// Saves an item's minutes and whether it is off the agenda.
    pub async fn edit_item(
        &self,
        actor: &Actor,
        meeting: MeetingId,
        edit: &ItemEdit,
        address: &str,
        now: OffsetDateTime,
    ) -> Result<MeetingChange> {
        let (item, removed) = (edit.item, edit.removed);
        let now = crate::truncate_to_micros(now);
        self.retrying(|| async {
            let mut tx = self.begin().await?;
            let changed = on_tx!(&mut tx, c => sqlx::query(
                "UPDATE owg_items SET minutes = $1, removed = $2, changed_at = $3, changed_by = $4 \
                 WHERE id = $5 AND meeting_id = $6",
            )
            .bind(edit.minutes.as_deref())
            .bind(removed)
            .bind(Stamp(now))
            .bind(actor.user_id().map(|u| u.to_string()))
            .bind(item.to_string())
            .bind(meeting.to_string())
            .execute(c)
            .await?
            .rows_affected());
            if changed == 0 {
                return Ok(MeetingChange::NotFound);
            }
            let outcome = if removed { "ok: off the agenda" } else { "ok" };
            let record = ("owg_item", Some(item.to_string()));
            tx.commit_with(entry(actor, "owg.minutes", record, outcome, address, now))
                .await?;
            Ok(MeetingChange::Done)
        })
        .await
    }

    /// Adds an action item to an agenda item (about its participant or referral).
    pub async fn add_action(
        &self,
        actor: &Actor,
        meeting: MeetingId,
        item: AgendaItemId,
        action: &NewAction,
        address: &str,
        now: OffsetDateTime,
    ) -> Result<MeetingChange> {
        let now = crate::truncate_to_micros(now);
        self.retrying(|| async {
            let mut tx = self.begin().await?;
            let about: Option<(Option<String>, Option<String>)> = on_tx!(&mut tx, c => sqlx::query_as(
                "SELECT participant_id, referral_id FROM owg_items WHERE id = $1 AND meeting_id = $2",
            )
            .bind(item.to_string())
            .bind(meeting.to_string())
            .fetch_optional(c)
            .await?);
            let Some((participant, referral)) = about else {
                return Ok(MeetingChange::NotFound);
            };
            let id = ActionItemId::new();
            on_tx!(&mut tx, c => sqlx::query(
                "INSERT INTO owg_actions (id, item_id, participant_id, referral_id, words, owner, agency, due_on, \
                 created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            )
            .bind(id.to_string())
            .bind(item.to_string())
            .bind(&participant)
            .bind(&referral)
            .bind(&action.words)
            .bind(&action.owner)
            .bind(&action.agency)
            .bind(action.due_on.to_string())
            .bind(Stamp(now))
            .bind(actor.user_id().map(|u| u.to_string()))
            .execute(c)
            .await?
            .rows_affected());
            let record = ("owg_action", Some(id.to_string()));
            tx.commit_with(entry(actor, "owg.action", record, "ok: added", address, now))
                .await?;
            Ok(MeetingChange::Done)
        })
        .await
    }

    /// Marks an action item of this meeting's done.
    pub async fn complete_action(
        &self,
        actor: &Actor,
        meeting: MeetingId,
        action: ActionItemId,
        address: &str,
        now: OffsetDateTime,
    ) -> Result<MeetingChange> {
        let now = crate::truncate_to_micros(now);
        self.retrying(|| async {
            let mut tx = self.begin().await?;
            let changed = on_tx!(&mut tx, c => sqlx::query(
                "UPDATE owg_actions SET done_at = $1, done_by = $2 WHERE id = $3 AND done_at IS NULL \
                 AND item_id IN (SELECT id FROM owg_items WHERE meeting_id = $4)",
            )
            .bind(Stamp(now))
            .bind(actor.user_id().map(|u| u.to_string()))
            .bind(action.to_string())
            .bind(meeting.to_string())
            .execute(c)
            .await?
            .rows_affected());
            if changed == 0 {
                return Ok(MeetingChange::NotFound);
            }
            let record = ("owg_action", Some(action.to_string()));
            tx.commit_with(entry(actor, "owg.action", record, "ok: done", address, now))
                .await?;
            Ok(MeetingChange::Done)
        })
        .await
    }

    /// Upcoming meetings (from a week ago on), soonest first, for the calendar.
    pub async fn upcoming_meetings(&self, now: OffsetDateTime) -> Result<Vec<MeetingLine>> {
        type Row = (String, OffsetDateTime, String);
        let rows: Vec<Row> = on_pool!(self, pool => sqlx::query_as(
            "SELECT id, starts_at, place FROM owg_meetings WHERE starts_at >= $1 ORDER BY starts_at, id",
        )
        .bind(Stamp(crate::truncate_to_micros(now - Duration::days(7))))
        .fetch_all(pool)
        .await?);
        rows.into_iter()
            .map(|(id, starts_at, place)| {
                Ok(MeetingLine {
                    id: parse_code(&id, "meeting id")?,
                    starts_at,
                    place,
                    items: 0,
                })
            })
            .collect()
    }

    /// A meeting with the items the worker may see. Each participant shown is an audited
    /// read (under a release, a logged disclosure), and the meeting's read says how many
    /// items were shown and withheld.
    pub async fn meeting(
        &self,
        worker: &Caseworker<'_>,
        meeting: MeetingId,
    ) -> Result<Option<MeetingView>> {
        let mut tx = self.begin_read().await?;
        type MeetingRow = (OffsetDateTime, String, OffsetDateTime);
        let found: Option<MeetingRow> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT starts_at, place, agenda_built_at FROM owg_meetings WHERE id = $1",
        )
        .bind(meeting.to_string())
        .fetch_optional(c)
        .await?);
        let Some((starts_at, place, agenda_built_at)) = found else {
            tx.commit().await?;
            return Ok(None);
        };
        let (items, withheld, reads) = read_items(&mut tx, worker, meeting).await?;
        tx.commit().await?;
        for (participant, person, release) in reads {
            let words = match release {
                Some(id) => format!("disclosed under release {id}: owg"),
                None => "ok: owg".to_owned(),
            };
            let read = worker.entry(
                "participant.read",
                ("participant", Some(participant.to_string())),
                words,
                Some(person),
            );
            self.audit_read(read.entry()).await?;
        }
        let summary = worker.entry(
            "owg.read",
            ("owg_meeting", Some(meeting.to_string())),
            format!("ok: {} shown, {withheld} withheld", items.len()),
            None,
        );
        self.audit_read(summary.entry()).await?;
        Ok(Some(MeetingView {
            id: meeting,
            starts_at,
            place,
            agenda_built_at,
            items,
            withheld,
        }))
    }
}

/// (participant, person, release) for each participant shown.
type Reads = Vec<(ParticipantId, String, Option<ReleaseId>)>;

type ItemRow = (
    String,
    Option<String>,
    Option<String>,
    String,
    String,
    Option<String>,
    bool,
    Option<String>,
);

async fn read_items(
    tx: &mut Tx,
    worker: &Caseworker<'_>,
    meeting: MeetingId,
) -> Result<(Vec<ItemView>, usize, Reads)> {
    let rows: Vec<ItemRow> = on_tx!(tx, c => sqlx::query_as(
        "SELECT i.id, i.participant_id, i.referral_id, i.flags, i.facts, i.minutes, i.removed, r.reference_code \
         FROM owg_items i LEFT JOIN referrals r ON r.id = i.referral_id \
         WHERE i.meeting_id = $1 ORDER BY i.position, i.id",
    )
    .bind(meeting.to_string())
    .fetch_all(c)
    .await?);
    let sees_referrals = allowed(worker.role, Action::ReferralView).is_some();
    let mut items = Vec::new();
    let mut withheld = 0;
    let mut reads = Vec::new();
    for (id, participant, _, flags, facts, minutes, removed, code) in rows {
        let mut flags = read_flags(&flags)?;
        let mut facts = read_facts(&facts)?;
        let about = match (participant, code) {
            (Some(participant), _) => {
                let participant: ParticipantId = parse_code(&participant, "participant id")?;
                match participant_about(tx, worker, participant).await? {
                    Some((about, person, release)) => {
                        if release.is_some() {
                            // Under a release only the legal reasons are told.
                            flags.retain(|f| f.is_legal());
                            facts.retain(|f| f.flag.is_legal());
                            if flags.is_empty() {
                                withheld += 1;
                                continue;
                            }
                        }
                        reads.push((participant, person, release));
                        about
                    }
                    None => {
                        withheld += 1;
                        continue;
                    }
                }
            }
            (None, Some(code)) if sees_referrals => ItemAbout::Referral {
                code: code
                    .parse::<leadhub_domain::ReferenceCode>()
                    .map_or(code, |c| c.to_string()),
            },
            _ => {
                withheld += 1;
                continue;
            }
        };
        let id: AgendaItemId = parse_code(&id, "agenda item id")?;
        let actions = read_actions(tx, id).await?;
        items.push(ItemView {
            id,
            about,
            flags,
            facts,
            minutes,
            removed,
            actions,
        });
    }
    Ok((items, withheld, reads))
}

/// Who an item's participant is, if the worker may see them: (about, person, release).
async fn participant_about(
    tx: &mut Tx,
    worker: &Caseworker<'_>,
    participant: ParticipantId,
) -> Result<Option<(ItemAbout, String, Option<ReleaseId>)>> {
    let Some(found) = target(tx, participant).await? else {
        return Ok(None);
    };
    let release = match worker.scope {
        Scope::All | Scope::Own => {
            if !found.in_scope(worker.scope, worker.user) {
                return Ok(None);
            }
            None
        }
        Scope::Consented => {
            let covering =
                crate::participants::active_release(tx, &worker.reader(), participant, worker.now)
                    .await?
                    .filter(|(_, release)| release.covers.contains(&Category::Legal));
            match covering {
                Some((id, _)) => Some(id),
                None => return Ok(None),
            }
        }
    };
    type Row = (Option<String>, Option<String>, Option<String>);
    let (given, family, case_manager): Row = on_tx!(tx, c => sqlx::query_as(
        "SELECT pe.given_name, pe.family_name, u.name FROM participants p JOIN people pe ON pe.id = p.person_id \
         LEFT JOIN users u ON u.id = p.case_manager_id WHERE p.id = $1",
    )
    .bind(participant.to_string())
    .fetch_one(c)
    .await?);
    let about = ItemAbout::Participant {
        id: participant,
        name: crate::participants::full_name(given.as_deref(), family.as_deref()),
        case_manager,
        release,
    };
    Ok(Some((about, found.person_id, release)))
}

async fn read_actions(tx: &mut Tx, item: AgendaItemId) -> Result<Vec<ActionView>> {
    type Row = (
        String,
        String,
        String,
        String,
        String,
        Option<OffsetDateTime>,
    );
    let rows: Vec<Row> = on_tx!(tx, c => sqlx::query_as(
        "SELECT id, words, owner, agency, due_on, done_at FROM owg_actions WHERE item_id = $1 ORDER BY created_at, id",
    )
    .bind(item.to_string())
    .fetch_all(c)
    .await?);
    rows.into_iter()
        .map(|(id, words, owner, agency, due_on, done_at)| {
            Ok(ActionView {
                id: parse_code(&id, "action id")?,
                words,
                owner,
                agency,
                due_on: parse_code(&due_on, "due day")?,
                done_at,
            })
        })
        .collect()
}
