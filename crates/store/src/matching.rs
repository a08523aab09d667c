//! Identity resolution against the people leadhub knows (issue 5): possible matches for a
//! new referral or enrolment, the review queue of likely duplicates, and merges of two
//! participants' records that an unmerge undoes exactly.
//!
//! Every person's blocking keys live in `person_keys`, written in the transaction that
//! writes the person, so candidates are found with indexed queries; the engine
//! (`leadhub-matching`) scores them and explains each score.

use std::collections::HashMap;

use leadhub_domain::access::Scope;
use leadhub_domain::consent::Category;
use leadhub_domain::ids::{ParticipantId, PersonId, ReferralId};
use leadhub_domain::person::DateOfBirth;
use leadhub_matching::compare::compare;
use leadhub_matching::dates::Birth;
use leadhub_matching::model::QueryScorer;
use leadhub_matching::record::{RawRecord, Record};
use leadhub_matching::{blocking, lookup_model};
use sqlx::AssertSqlSafe;
use time::OffsetDateTime;

use crate::audit::{Actor, Entry};
use crate::referrals::StoredReferral;
use crate::{Db, Result, Stamp, Tx, on_tx};

/// Most people one blocking key may bring in: a key shared by more says little.
const MAX_PER_KEY: i64 = 500;
/// Most people one lookup scores (see `candidate_ids`).
const MAX_CANDIDATES: i64 = 1_000;
/// Pairs at or above this probability wait in the review queue.
pub const REVIEW_THRESHOLD: f64 = 0.5;

/// The tables whose rows belong to a participant, moved by a merge and back by an unmerge.
const PARTICIPANT_TABLES: [&str; 13] = [
    "contacts",
    "notes",
    "releases",
    "break_glass",
    "status_snapshots",
    "plan_goals",
    "referrals_out",
    "referrals",
    "legal_matters",
    "bookings",
    "booking_candidates",
    "owg_items",
    "owg_actions",
];

/// How likely someone must be the person a reader of the legal lookup named before anything
/// about them is told: a wrong match would tell a prosecutor about someone else.
pub const DISCLOSURE_THRESHOLD: f64 = 0.9;
/// The lookup checks exactly this many people's reach (padding with no one), so its work
/// does not depend on whether the person named is known.
const LOOKUP_CHECKS: usize = 3;

/// What staff know of someone they are looking for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Lookup {
    /// Any names, in any order ("Mo Abdi", "Red").
    pub name: String,
    /// The years they may have been born in.
    pub born: Option<(u16, u16)>,
    /// As the referral described them ("man", "woman"…), if at all.
    pub sex: String,
    /// Build, hair, marks as described.
    pub looks: String,
    /// Site place keys where they are seen.
    pub places: Vec<String>,
}

/// One field's part in a match, for the case manager.
#[derive(Debug, Clone, PartialEq)]
pub struct Why {
    pub field: &'static str,
    pub label: &'static str,
    /// Bits of evidence: positive for, negative against.
    pub weight: f64,
    /// The part of `weight` that comes from how many people here share the value.
    pub frequency: f64,
}

/// A known person who may be the one looked for.
#[derive(Debug, Clone, PartialEq)]
pub struct PersonMatch {
    pub person_id: PersonId,
    pub participant_id: Option<ParticipantId>,
    pub name: String,
    pub aliases: Option<String>,
    pub birth_year: Option<i64>,
    pub probability: f64,
    pub why: Vec<Why>,
}

/// How many possible matches to give at most, and how likely each must be.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Offered {
    pub at_most: usize,
    pub from_probability: f64,
}

/// A referral's possible matches and the version of the referral they were found for.
#[derive(Debug, Clone, PartialEq)]
pub struct ReferralMatches {
    pub version: i64,
    pub matches: Vec<PersonMatch>,
}

/// Two people the engine finds likely to be one.
#[derive(Debug, Clone, PartialEq)]
pub struct DuplicatePair {
    /// The two people (their own `why` empty: the pair's is below).
    pub a: PersonMatch,
    pub b: PersonMatch,
    /// What counted for and against their being one person.
    pub why: Vec<Why>,
    pub probability: f64,
    pub found_at: OffsetDateTime,
}

/// A merge as the review page lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct MergeLine {
    pub id: String,
    pub survivor: ParticipantId,
    pub survivor_name: String,
    pub absorbed: ParticipantId,
    pub reason: String,
    pub merged_at: OffsetDateTime,
    pub undone_at: Option<OffsetDateTime>,
}

/// Why a merge or unmerge was not done.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MergeRefusal {
    /// A participant to merge does not exist (or was already merged into someone).
    NoSuchParticipant,
    /// A participant cannot be merged with themself.
    Same,
    /// No such merge, or it was already undone.
    NoSuchMerge,
}

impl MergeRefusal {
    fn code(self) -> &'static str {
        match self {
            MergeRefusal::NoSuchParticipant => "refused: no such participant",
            MergeRefusal::Same => "refused: same participant",
            MergeRefusal::NoSuchMerge => "refused: no such merge",
        }
    }
}

#[derive(sqlx::FromRow)]
struct PersonRow {
    id: String,
    given_name: Option<String>,
    family_name: Option<String>,
    aliases: Option<String>,
    birth_year: Option<i64>,
    gender: Option<String>,
    descriptors: Option<String>,
    usual_places: Option<String>,
    participant_id: Option<String>,
}

const PERSON_COLUMNS: &str = "pe.id, pe.given_name, pe.family_name, pe.aliases, pe.birth_year, pe.gender, \
     pe.descriptors, pe.usual_places, p.id AS participant_id \
     FROM people pe LEFT JOIN participants p ON p.person_id = pe.id";

/// Place keys stored as a JSON array of strings (as referrals keep them).
fn place_keys(stored: Option<&str>) -> Vec<String> {
    stored
        .and_then(|s| serde_json::from_str::<Vec<String>>(s).ok())
        .unwrap_or_default()
}

impl PersonRow {
    fn record(&self) -> Record {
        let raw = RawRecord {
            id: self.id.clone(),
            first_name: self.given_name.clone().unwrap_or_default(),
            last_name: self.family_name.clone().unwrap_or_default(),
            aliases: self.aliases.clone().unwrap_or_default(),
            dob: self
                .birth_year
                .map(|y| format!("{y:04}"))
                .unwrap_or_default(),
            sex: self.gender.clone().unwrap_or_default(),
            hair: self.descriptors.clone().unwrap_or_default(),
            place: place_keys(self.usual_places.as_deref()).join(";"),
            ..RawRecord::default()
        };
        // Ages are never stored (a birth year is), so the year ages are read in is moot.
        Record::parse_lenient(&raw, 2000)
    }

    fn to_match(&self, probability: f64, why: Vec<Why>) -> Result<PersonMatch> {
        let name = [self.given_name.as_deref(), self.family_name.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        Ok(PersonMatch {
            person_id: crate::triage::parse_code(&self.id, "person id")?,
            participant_id: self
                .participant_id
                .as_deref()
                .map(|p| crate::triage::parse_code(p, "participant id"))
                .transpose()?,
            name: if name.is_empty() {
                "(no name)".into()
            } else {
                name
            },
            aliases: self.aliases.clone(),
            birth_year: self.birth_year,
            probability,
            why,
        })
    }
}

impl Lookup {
    fn record(&self) -> Record {
        let tokens: Vec<&str> = self.name.split_whitespace().collect();
        let mut raw = RawRecord {
            id: "lookup".into(),
            sex: self.sex.clone(),
            hair: self.looks.clone(),
            place: self.places.join(";"),
            ..RawRecord::default()
        };
        match tokens.as_slice() {
            [] => {}
            [only] => {
                raw.first_name = (*only).to_owned();
                raw.aliases = (*only).to_owned();
            }
            [first, middle @ .., last] => {
                raw.first_name = (*first).to_owned();
                raw.middle_name = middle.join(" ");
                raw.last_name = (*last).to_owned();
            }
        }
        // A lookup never carries an age (the range is set below), so the year is moot.
        let mut record = Record::parse_lenient(&raw, 2000);
        if let Some((earliest, latest)) = self.born {
            record.birth = Some(Birth::Around { earliest, latest });
        }
        record
    }
}

/// The key as stored: the i64 with the same bits.
fn stored_key(key: u64) -> i64 {
    i64::from_ne_bytes(key.to_ne_bytes())
}

fn why_of(scorer: &QueryScorer<'_>, query: &Record, known: &Record) -> (f64, Vec<Why>) {
    let score = scorer.score(&compare(query, known));
    let why = score
        .contributions
        .iter()
        .map(|c| Why {
            field: c.field.name(),
            label: c.label,
            weight: c.weight,
            frequency: c.frequency_weight,
        })
        .collect();
    (score.probability, why)
}

/// How many people a lookup is among: every person is enrolled (a merged one no longer is).
async fn known_people(tx: &mut Tx) -> Result<usize> {
    let count: i64 = on_tx!(tx, c => sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM participants")
        .fetch_one(c)
        .await?);
    Ok(usize::try_from(count).unwrap_or(0).max(1))
}

async fn load_people(tx: &mut Tx, ids: &[String]) -> Result<Vec<PersonRow>> {
    let mut rows = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        let sql = format!(
            "SELECT {PERSON_COLUMNS} WHERE pe.id IN ({})",
            crate::placeholders(chunk.len())
        );
        let part: Vec<PersonRow> = on_tx!(tx, c => {
            let mut query = sqlx::query_as(AssertSqlSafe(sql.clone()));
            for id in chunk {
                query = query.bind(id);
            }
            query.fetch_all(c).await?
        });
        rows.extend(part);
    }
    Ok(rows)
}

/// A page of everyone known (not merged into someone), by id after `after`, as the engine
/// compares them.
pub(crate) async fn people_after(
    tx: &mut Tx,
    after: &str,
    limit: i64,
) -> Result<Vec<(String, Record)>> {
    let sql = format!(
        "SELECT {PERSON_COLUMNS} WHERE pe.id > $1 \
         AND NOT EXISTS (SELECT 1 FROM person_merges m WHERE m.absorbed_person = pe.id AND m.undone_at IS NULL) \
         ORDER BY pe.id LIMIT $2"
    );
    let rows: Vec<PersonRow> = on_tx!(tx, c => sqlx::query_as(AssertSqlSafe(sql.clone()))
        .bind(after)
        .bind(limit)
        .fetch_all(c)
        .await?);
    Ok(rows
        .into_iter()
        .map(|row| (row.id.clone(), row.record()))
        .collect())
}

/// The people who may be the one `lookup` describes, best first, as `offered` says; none
/// for a lookup with nothing to go on.
async fn best_matches(tx: &mut Tx, lookup: &Lookup, offered: Offered) -> Result<Vec<PersonMatch>> {
    let record = lookup.record();
    let mut found = Vec::new();
    if record.has_name() || record.birth.is_some() || !record.places.is_empty() {
        for (p, why, row) in candidates(tx, &record, None, Weighing::Lookup).await? {
            if p < offered.from_probability || found.len() == offered.at_most {
                break;
            }
            found.push(row.to_match(p, why)?);
        }
    }
    Ok(found)
}

/// Someone enrolled, as the engine compares them.
pub(crate) struct KnownParticipant {
    pub participant: ParticipantId,
    pub birth_year: Option<i64>,
    pub record: Record,
}

/// Every participant (not people only referred), for matching a whole feed at once.
pub(crate) async fn participant_records(tx: &mut Tx) -> Result<Vec<KnownParticipant>> {
    let sql = format!("SELECT {PERSON_COLUMNS} WHERE p.id IS NOT NULL ORDER BY p.id");
    let rows: Vec<PersonRow> =
        on_tx!(tx, c => sqlx::query_as(AssertSqlSafe(sql.clone())).fetch_all(c).await?);
    rows.into_iter()
        .map(|row| {
            let participant = row.participant_id.as_deref().unwrap_or_default();
            Ok(KnownParticipant {
                participant: crate::triage::parse_code(participant, "participant id")?,
                birth_year: row.birth_year,
                record: row.record(),
            })
        })
        .collect()
}

/// The people sharing a blocking key with `record`, sorted: the keys are taken from the
/// most selective while their people number at most `MAX_CANDIDATES` together, as the
/// engine's in-memory lookup does, so a record that says little (a common name and an age
/// range of sixteen birth years) does not load thousands of people at every keystroke. When
/// even the most selective key is bigger, its first `MAX_PER_KEY` people by id.
async fn candidate_ids(tx: &mut Tx, record: &Record) -> Result<Vec<String>> {
    let mut keys = Vec::new();
    blocking::keys(record, &mut keys);
    let keys: Vec<i64> = keys.into_iter().map(stored_key).collect();
    let mut sizes: Vec<(i64, i64)> = Vec::new();
    for chunk in keys.chunks(500) {
        let sql = format!(
            "SELECT key, CAST(COUNT(*) AS BIGINT) FROM person_keys WHERE key IN ({}) GROUP BY key",
            crate::placeholders(chunk.len())
        );
        let part: Vec<(i64, i64)> = on_tx!(tx, c => {
            let mut query = sqlx::query_as(AssertSqlSafe(sql.clone()));
            for key in chunk {
                query = query.bind(key);
            }
            query.fetch_all(c).await?
        });
        sizes.extend(part);
    }
    let (taken, over) = selective_keys(sizes, MAX_CANDIDATES);
    if taken.is_empty() {
        return Ok(Vec::new());
    }
    let (sql, limit) = if over {
        (
            "SELECT person_id FROM person_keys WHERE key = $1 ORDER BY person_id LIMIT $2"
                .to_owned(),
            Some(MAX_PER_KEY),
        )
    } else {
        (
            format!(
                "SELECT DISTINCT person_id FROM person_keys WHERE key IN ({}) ORDER BY person_id",
                crate::placeholders(taken.len())
            ),
            None,
        )
    };
    Ok(on_tx!(tx, c => {
        let mut query = sqlx::query_scalar(AssertSqlSafe(sql.clone()));
        for key in &taken {
            query = query.bind(key);
        }
        if let Some(limit) = limit {
            query = query.bind(limit);
        }
        query.fetch_all(c).await?
    }))
}

/// The keys to take, given how many people each brings: the smallest first while together
/// they bring at most `most`; if even the smallest brings more, it alone, and `true` (its
/// people are then cut to `MAX_PER_KEY`).
fn selective_keys(mut sizes: Vec<(i64, i64)>, most: i64) -> (Vec<i64>, bool) {
    sizes.sort_unstable_by_key(|&(key, people)| (people, key));
    let mut taken = Vec::new();
    let mut people = 0;
    for (key, size) in sizes {
        if people + size > most && !taken.is_empty() {
            break;
        }
        taken.push(key);
        people += size;
    }
    (taken, people > most)
}

/// How the site's name counts weigh in a lookup.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Weighing {
    /// Common names count for less, rare ones for more.
    Lookup,
    /// Common names count for less, rare ones for no more than any name: before telling
    /// someone outside the program who a person is.
    Disclosure,
}

/// People sharing a blocking key with `record`, scored, best first (ties by id).
async fn candidates(
    tx: &mut Tx,
    record: &Record,
    exclude: Option<&str>,
    weighing: Weighing,
) -> Result<Vec<(f64, Vec<Why>, PersonRow)>> {
    let mut ids = candidate_ids(tx, record).await?;
    ids.retain(|id| Some(id.as_str()) != exclude);
    let model = lookup_model(known_people(tx).await?);
    let frequencies = crate::name_counts::frequencies_for(tx, &[record]).await?;
    let scorer = match weighing {
        Weighing::Lookup => QueryScorer::new(&model, &frequencies),
        Weighing::Disclosure => QueryScorer::cautious(&model, &frequencies),
    };
    let mut scored: Vec<(f64, Vec<Why>, PersonRow)> = load_people(tx, &ids)
        .await?
        .into_iter()
        .map(|row| {
            let (p, why) = why_of(&scorer, record, &row.record());
            (p, why, row)
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.2.id.cmp(&b.2.id)));
    Ok(scored)
}

/// After `person` is written: their blocking keys (replacing any) from the row as it is
/// now, and with `queue` their likely duplicates in the review queue (a pair already
/// decided stays decided). The row is read once for both.
pub(crate) async fn person_written(
    tx: &mut Tx,
    person: &str,
    queue: bool,
    now: OffsetDateTime,
) -> Result<()> {
    on_tx!(tx, c => sqlx::query("DELETE FROM person_keys WHERE person_id = $1")
        .bind(person)
        .execute(c)
        .await?
        .rows_affected());
    let Some(record) = load_people(tx, &[person.to_owned()])
        .await?
        .first()
        .map(PersonRow::record)
    else {
        return Ok(());
    };
    let mut keys = Vec::new();
    blocking::keys(&record, &mut keys);
    // One statement for all of a person's keys (they are unique: `keys` sorts and dedups).
    for chunk in keys.chunks(100) {
        let values: Vec<String> = (0..chunk.len())
            .map(|i| format!("(${}, $1)", i + 2))
            .collect();
        let sql = format!(
            "INSERT INTO person_keys (key, person_id) VALUES {}",
            values.join(", ")
        );
        on_tx!(tx, c => {
            let mut query = sqlx::query(AssertSqlSafe(sql.clone())).bind(person);
            for &key in chunk {
                query = query.bind(stored_key(key));
            }
            query.execute(c).await?.rows_affected()
        });
    }
    if queue {
        queue_duplicates(tx, person, &record, now).await?;
    }
    Ok(())
}

async fn queue_duplicates(
    tx: &mut Tx,
    person: &str,
    record: &Record,
    now: OffsetDateTime,
) -> Result<()> {
    for (p, _, other) in candidates(tx, record, Some(person), Weighing::Lookup).await? {
        if p < REVIEW_THRESHOLD {
            break;
        }
        let (a, b) = if person < other.id.as_str() {
            (person, other.id.as_str())
        } else {
            (other.id.as_str(), person)
        };
        on_tx!(tx, c => sqlx::query(
            "INSERT INTO duplicate_candidates (person_a, person_b, probability, found_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (person_a, person_b) DO UPDATE SET probability = excluded.probability \
             WHERE duplicate_candidates.decided IS NULL",
        )
        .bind(a)
        .bind(b)
        .bind(p)
        .bind(Stamp(now))
        .execute(c)
        .await?
        .rows_affected());
    }
    Ok(())
}

/// Whether the lookup may tell `reader` of `participant`.
async fn in_lookup_reach(
    tx: &mut Tx,
    reader: &crate::Reader,
    scope: Scope,
    participant: ParticipantId,
    now: OffsetDateTime,
) -> Result<bool> {
    match scope {
        Scope::Consented => Ok(
            crate::participants::active_release(tx, reader, participant, now)
                .await?
                .is_some_and(|(_, release)| release.covers.contains(&Category::Participation)),
        ),
        Scope::Own | Scope::All => Ok(crate::casework::target(tx, participant)
            .await?
            .is_some_and(|target| target.in_scope(scope, reader.id))),
    }
}

async fn participant_person(tx: &mut Tx, participant: ParticipantId) -> Result<Option<String>> {
    Ok(
        on_tx!(tx, c => sqlx::query_scalar("SELECT person_id FROM participants WHERE id = $1")
        .bind(participant.to_string())
        .fetch_optional(c)
        .await?),
    )
}

impl Db {
    /// The legal lookup: participants the engine finds at least `DISCLOSURE_THRESHOLD` likely
    /// to be the person with this name and date of birth, whose recorded birth year is that
    /// of the date (a participant with none is never found this way), and who are in the
    /// reader's reach: their caseload (`Own`), anyone (`All`), or with an active release to
    /// their organisation that covers participation (`Consented`). An audited read; what is
    /// then shown of each goes through `open_participant`.
    pub async fn reachable_matches(
        &self,
        reader: &crate::Reader,
        scope: Scope,
        name: &str,
        born: DateOfBirth,
        address: &str,
        now: OffsetDateTime,
    ) -> Result<Vec<ParticipantId>> {
        let year = born.year();
        let lookup = Lookup {
            name: name.to_owned(),
            born: Some((year, year)),
            ..Lookup::default()
        };
        let record = lookup.record();
        let mut tx = self.begin_read().await?;
        let mut checks: Vec<Option<ParticipantId>> = Vec::with_capacity(LOOKUP_CHECKS);
        if record.has_name() {
            for (p, _, row) in candidates(&mut tx, &record, None, Weighing::Disclosure).await? {
                if p < DISCLOSURE_THRESHOLD || checks.len() == LOOKUP_CHECKS {
                    break;
                }
                if row.birth_year == Some(i64::from(year))
                    && let Some(participant) = &row.participant_id
                {
                    checks.push(Some(crate::triage::parse_code(
                        participant,
                        "participant id",
                    )?));
                }
            }
        }
        checks.resize(LOOKUP_CHECKS, None);
        let mut found = Vec::new();
        for participant in checks {
            // No one is checked like someone: a fresh id that no row has.
            let id = participant.unwrap_or_else(ParticipantId::new);
            if in_lookup_reach(&mut tx, reader, scope, id, now).await? && participant.is_some() {
                found.push(id);
            }
        }
        tx.commit().await?;
        let actor = reader.actor();
        let outcome = format!("ok: {} in reach", found.len());
        let entry = Entry::new(&actor, "legal.lookup", ("person", None), &outcome, now)
            .with_address(Some(address));
        self.audit_read(entry).await?;
        Ok(found)
    }

    /// Known people who may be the one described, best first, as many and as likely as
    /// `offered` says, with why. An audited read.
    pub async fn possible_matches(
        &self,
        lookup: &Lookup,
        offered: Offered,
        actor: &Actor,
        address: &str,
        now: OffsetDateTime,
    ) -> Result<Vec<PersonMatch>> {
        let mut tx = self.begin_read().await?;
        let found = best_matches(&mut tx, lookup, offered).await?;
        tx.commit().await?;
        let outcome = format!("ok: {} shown", found.len());
        let entry = Entry::new(actor, "person.match", ("person", None), &outcome, now)
            .with_address(Some(address));
        self.audit_read(entry).await?;
        Ok(found)
    }

    /// The possible-matches panel of a referral: what the referral says of the person, made
    /// a lookup by `lookup_of` (with the name as typed), among known people, and the
    /// referral's version for the enrolment form. One read and one audit entry
    /// (`person.match` on the referral) however often it runs as a case manager types.
    pub async fn referral_matches(
        &self,
        id: ReferralId,
        lookup_of: impl FnOnce(&StoredReferral) -> Lookup,
        offered: Offered,
        actor: &Actor,
        address: &str,
        now: OffsetDateTime,
    ) -> Result<Option<ReferralMatches>> {
        let mut tx = self.begin_read().await?;
        let found = match crate::triage::referral_facts(&mut tx, id).await? {
            Some((referral, version)) => {
                let lookup = lookup_of(&referral);
                let matches = best_matches(&mut tx, &lookup, offered).await?;
                Some(ReferralMatches { version, matches })
            }
            None => None,
        };
        tx.commit().await?;
        let outcome = match &found {
            Some(found) => format!("ok: {} shown", found.matches.len()),
            None => "not_found".to_owned(),
        };
        let entry = Entry::new(
            actor,
            "person.match",
            ("referral", Some(id.to_string())),
            &outcome,
            now,
        )
        .with_address(Some(address));
        self.audit_read(entry).await?;
        Ok(found)
    }

    /// Writes the blocking keys of every person who has none (people written before
    /// matching arrived, or by the demo), and with `queue` their likely duplicates too.
    /// Returns how many were indexed.
    pub async fn index_people(&self, queue: bool, now: OffsetDateTime) -> Result<usize> {
        let now = crate::truncate_to_micros(now);
        let mut done = 0;
        // Keyset pages by id: a person whose record gives no keys at all (a family name
        // alone, say) is passed over, not picked again forever.
        let mut after = String::new();
        loop {
            let batch: Vec<String> = crate::on_pool!(self, pool => sqlx::query_scalar(
                "SELECT pe.id FROM people pe WHERE pe.id > $1 \
                 AND NOT EXISTS (SELECT 1 FROM person_keys k WHERE k.person_id = pe.id) \
                 AND NOT EXISTS (SELECT 1 FROM person_merges m WHERE m.absorbed_person = pe.id AND m.undone_at IS NULL) \
                 ORDER BY pe.id LIMIT 500",
            )
            .bind(&after)
            .fetch_all(pool)
            .await?);
            let Some(last) = batch.last() else {
                return Ok(done);
            };
            after = last.clone();
            let mut tx = self.begin().await?;
            for person in &batch {
                // Each pair is found when its second person is written.
                person_written(&mut tx, person, queue, now).await?;
            }
            let outcome = format!("ok: {} indexed", batch.len());
            tx.commit_with(Entry::new(
                &Actor::System,
                "people.index",
                ("person", None),
                &outcome,
                now,
            ))
            .await?;
            done += batch.len();
        }
    }

    /// Pairs of people waiting for a decision, most likely first. An audited read.
    pub async fn duplicate_queue(
        &self,
        limit: usize,
        actor: &Actor,
        address: &str,
        now: OffsetDateTime,
    ) -> Result<Vec<DuplicatePair>> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let mut tx = self.begin_read().await?;
        let pairs: Vec<(String, String, f64, OffsetDateTime)> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT person_a, person_b, probability, found_at FROM duplicate_candidates WHERE decided IS NULL \
             ORDER BY probability DESC, person_a, person_b LIMIT $1",
        )
        .bind(limit)
        .fetch_all(c)
        .await?);
        let mut ids: Vec<String> = pairs
            .iter()
            .flat_map(|(a, b, _, _)| [a.clone(), b.clone()])
            .collect();
        ids.sort_unstable();
        ids.dedup();
        let people: HashMap<String, (PersonRow, Record)> = load_people(&mut tx, &ids)
            .await?
            .into_iter()
            .map(|row| {
                let record = row.record();
                (row.id.clone(), (row, record))
            })
            .collect();
        let model = lookup_model(known_people(&mut tx).await?);
        let all: Vec<&Record> = people.values().map(|(_, record)| record).collect();
        let frequencies = crate::name_counts::frequencies_for(&mut tx, &all).await?;
        let scorer = QueryScorer::new(&model, &frequencies);
        let mut out = Vec::new();
        for (a, b, probability, found_at) in pairs {
            let (Some((ra, record_a)), Some((rb, record_b))) = (people.get(&a), people.get(&b))
            else {
                continue;
            };
            let (_, why) = why_of(&scorer, record_a, record_b);
            out.push(DuplicatePair {
                a: ra.to_match(probability, Vec::new())?,
                b: rb.to_match(probability, Vec::new())?,
                why,
                probability,
                found_at,
            });
        }
        tx.commit().await?;
        let outcome = format!("ok: {} shown", out.len());
        let entry = Entry::new(actor, "person.duplicates", ("person", None), &outcome, now)
            .with_address(Some(address));
        self.audit_read(entry).await?;
        Ok(out)
    }

    /// Records that two people in the review queue are different people.
    pub async fn mark_different(
        &self,
        a: PersonId,
        b: PersonId,
        actor: &Actor,
        now: OffsetDateTime,
    ) -> Result<bool> {
        let now = crate::truncate_to_micros(now);
        let (a, b) = if a.to_string() < b.to_string() {
            (a, b)
        } else {
            (b, a)
        };
        self.retrying(|| async {
            let mut tx = self.begin().await?;
            let changed = on_tx!(&mut tx, c => sqlx::query(
                "UPDATE duplicate_candidates SET decided = 'different', decided_by = $3, decided_at = $4 \
                 WHERE person_a = $1 AND person_b = $2 AND decided IS NULL",
            )
            .bind(a.to_string())
            .bind(b.to_string())
            .bind(actor.user_id().map(|u| u.to_string()))
            .bind(Stamp(now))
            .execute(c)
            .await?
            .rows_affected());
            let outcome = if changed == 1 { "ok" } else { "not_found_or_done" };
            let mut entry = Entry::new(actor, "person.different", ("person", Some(a.to_string())), outcome, now);
            entry.subject = Some(b.to_string());
            tx.commit_with(entry).await?;
            Ok(changed == 1)
        })
        .await
    }

    /// Merges `absorbed` into `survivor`: every row of the absorbed participant (contacts,
    /// notes, releases, snapshots, plan, referrals) now belongs to the survivor, the absorbed
    /// participant waits in the merge record, and its person is no longer offered as a
    /// match. Nothing is deleted: [`Db::unmerge`] puts every moved row back.
    pub async fn merge_participants(
        &self,
        survivor: ParticipantId,
        absorbed: ParticipantId,
        reason: &str,
        actor: &Actor,
        now: OffsetDateTime,
    ) -> Result<std::result::Result<String, MergeRefusal>> {
        let now = crate::truncate_to_micros(now);
        self.retrying(|| async {
            let mut tx = self.begin().await?;
            let result = merge(&mut tx, survivor, absorbed, reason, actor, now).await?;
            let outcome = match &result {
                Ok(_) => "ok",
                Err(refusal) => refusal.code(),
            };
            let mut entry = Entry::new(
                actor,
                "participant.merge",
                ("participant", Some(survivor.to_string())),
                outcome,
                now,
            );
            entry.subject = Some(absorbed.to_string());
            tx.commit_with(entry).await?;
            Ok(result)
        })
        .await
    }

    /// Undoes a merge: the absorbed participant comes back with every row that was moved.
    /// Rows written for the survivor after the merge stay with the survivor.
    pub async fn unmerge(
        &self,
        merge_id: &str,
        actor: &Actor,
        now: OffsetDateTime,
    ) -> Result<std::result::Result<ParticipantId, MergeRefusal>> {
        let now = crate::truncate_to_micros(now);
        self.retrying(|| async {
            let mut tx = self.begin().await?;
            let result = unmerge(&mut tx, merge_id, actor, now).await?;
            let outcome = match &result {
                Ok(_) => "ok",
                Err(refusal) => refusal.code(),
            };
            let entry = Entry::new(
                actor,
                "participant.unmerge",
                ("merge", Some(merge_id.to_owned())),
                outcome,
                now,
            );
            tx.commit_with(entry).await?;
            Ok(result)
        })
        .await
    }

    /// The latest merges, newest first, undone ones included.
    pub async fn recent_merges(&self, limit: usize) -> Result<Vec<MergeLine>> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        type Row = (
            String,
            String,
            Option<String>,
            Option<String>,
            String,
            String,
            OffsetDateTime,
            Option<OffsetDateTime>,
        );
        let rows: Vec<Row> = crate::on_pool!(self, pool => sqlx::query_as(
            "SELECT m.id, m.survivor_id, pe.given_name, pe.family_name, m.absorbed_id, m.reason, m.merged_at, m.undone_at \
             FROM person_merges m LEFT JOIN participants p ON p.id = m.survivor_id LEFT JOIN people pe ON pe.id = p.person_id \
             ORDER BY m.merged_at DESC, m.id DESC LIMIT $1",
        )
        .bind(limit)
        .fetch_all(pool)
        .await?);
        rows.into_iter()
            .map(
                |(id, survivor, given, family, absorbed, reason, merged_at, undone_at)| {
                    let name = [given, family]
                        .into_iter()
                        .flatten()
                        .collect::<Vec<_>>()
                        .join(" ");
                    Ok(MergeLine {
                        id,
                        survivor: crate::triage::parse_code(&survivor, "participant id")?,
                        survivor_name: if name.is_empty() {
                            "(no name)".into()
                        } else {
                            name
                        },
                        absorbed: crate::triage::parse_code(&absorbed, "participant id")?,
                        reason,
                        merged_at,
                        undone_at,
                    })
                },
            )
            .collect()
    }
}

async fn merge(
    tx: &mut Tx,
    survivor: ParticipantId,
    absorbed: ParticipantId,
    reason: &str,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<std::result::Result<String, MergeRefusal>> {
    if survivor == absorbed {
        return Ok(Err(MergeRefusal::Same));
    }
    let (Some(survivor_person), Some(absorbed_person)) = (
        participant_person(tx, survivor).await?,
        participant_person(tx, absorbed).await?,
    ) else {
        return Ok(Err(MergeRefusal::NoSuchParticipant));
    };
    let merge_id = uuid::Uuid::now_v7().to_string();
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO person_merges (id, survivor_id, absorbed_id, absorbed_person, reason, merged_by, merged_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&merge_id)
    .bind(survivor.to_string())
    .bind(absorbed.to_string())
    .bind(&absorbed_person)
    .bind(reason)
    .bind(actor.user_id().map(|u| u.to_string()))
    .bind(Stamp(now))
    .execute(c)
    .await?
    .rows_affected());
    for table in PARTICIPANT_TABLES {
        let record = format!(
            "INSERT INTO person_merge_moves (merge_id, table_name, row_id) SELECT $1, '{table}', id FROM {table} \
             WHERE participant_id = $2"
        );
        on_tx!(tx, c => sqlx::query(AssertSqlSafe(record)).bind(&merge_id).bind(absorbed.to_string()).execute(c).await?.rows_affected());
        let moved = format!("UPDATE {table} SET participant_id = $1 WHERE participant_id = $2");
        on_tx!(tx, c => sqlx::query(AssertSqlSafe(moved)).bind(survivor.to_string()).bind(absorbed.to_string()).execute(c).await?.rows_affected());
    }
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO merged_participants (merge_id, id, person_id, referral_id, enrolled_at, case_manager_id, \
         consent_recorded_at, consent_recorded_by, last_seen_at, version) \
         SELECT $1, id, person_id, referral_id, enrolled_at, case_manager_id, consent_recorded_at, consent_recorded_by, \
         last_seen_at, version FROM participants WHERE id = $2",
    )
    .bind(&merge_id)
    .bind(absorbed.to_string())
    .execute(c)
    .await?
    .rows_affected());
    on_tx!(tx, c => sqlx::query(
        "UPDATE participants SET last_seen_at = (SELECT MAX(m.last_seen_at) FROM (\
         SELECT last_seen_at FROM participants WHERE id IN ($1, $2)) m), version = version + 1 WHERE id = $1",
    )
    .bind(survivor.to_string())
    .bind(absorbed.to_string())
    .execute(c)
    .await?
    .rows_affected());
    on_tx!(tx, c => sqlx::query("DELETE FROM participants WHERE id = $1")
        .bind(absorbed.to_string())
        .execute(c)
        .await?
        .rows_affected());
    // The survivor is found by the absorbed person's names too; the absorbed person no more.
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO person_keys (key, person_id) SELECT key, $1 FROM person_keys WHERE person_id = $2 \
         ON CONFLICT DO NOTHING",
    )
    .bind(&survivor_person)
    .bind(&absorbed_person)
    .execute(c)
    .await?
    .rows_affected());
    on_tx!(tx, c => sqlx::query("DELETE FROM person_keys WHERE person_id = $1")
        .bind(&absorbed_person)
        .execute(c)
        .await?
        .rows_affected());
    decide(tx, &survivor_person, &absorbed_person, "merged", actor, now).await?;
    Ok(Ok(merge_id))
}

async fn decide(
    tx: &mut Tx,
    a: &str,
    b: &str,
    decision: &str,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<()> {
    let (a, b) = if a < b { (a, b) } else { (b, a) };
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO duplicate_candidates (person_a, person_b, probability, found_at, decided, decided_by, decided_at) \
         VALUES ($1, $2, 1.0, $5, $3, $4, $5) \
         ON CONFLICT (person_a, person_b) DO UPDATE SET decided = excluded.decided, decided_by = excluded.decided_by, \
         decided_at = excluded.decided_at",
    )
    .bind(a)
    .bind(b)
    .bind(decision)
    .bind(actor.user_id().map(|u| u.to_string()))
    .bind(Stamp(now))
    .execute(c)
    .await?
    .rows_affected());
    Ok(())
}

async fn unmerge(
    tx: &mut Tx,
    merge_id: &str,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<std::result::Result<ParticipantId, MergeRefusal>> {
    let found: Option<(String, String, String)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT survivor_id, absorbed_id, absorbed_person FROM person_merges WHERE id = $1 AND undone_at IS NULL",
    )
    .bind(merge_id)
    .fetch_optional(c)
    .await?);
    let Some((survivor, absorbed, absorbed_person)) = found else {
        return Ok(Err(MergeRefusal::NoSuchMerge));
    };
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO participants (id, person_id, referral_id, enrolled_at, case_manager_id, consent_recorded_at, \
         consent_recorded_by, last_seen_at, version) \
         SELECT id, person_id, referral_id, enrolled_at, case_manager_id, consent_recorded_at, consent_recorded_by, \
         last_seen_at, version + 1 FROM merged_participants WHERE merge_id = $1",
    )
    .bind(merge_id)
    .execute(c)
    .await?
    .rows_affected());
    on_tx!(tx, c => sqlx::query("DELETE FROM merged_participants WHERE merge_id = $1")
        .bind(merge_id)
        .execute(c)
        .await?
        .rows_affected());
    for table in PARTICIPANT_TABLES {
        let back = format!(
            "UPDATE {table} SET participant_id = $1 WHERE id IN \
             (SELECT row_id FROM person_merge_moves WHERE merge_id = $2 AND table_name = '{table}')"
        );
        on_tx!(tx, c => sqlx::query(AssertSqlSafe(back)).bind(&absorbed).bind(merge_id).execute(c).await?.rows_affected());
    }
    on_tx!(tx, c => sqlx::query(
        "UPDATE participants SET last_seen_at = COALESCE((SELECT MAX(c.at) FROM contacts c WHERE c.participant_id = $1), \
         enrolled_at), version = version + 1 WHERE id = $1",
    )
    .bind(&survivor)
    .execute(c)
    .await?
    .rows_affected());
    on_tx!(tx, c => sqlx::query("UPDATE person_merges SET undone_at = $2, undone_by = $3 WHERE id = $1")
        .bind(merge_id)
        .bind(Stamp(now))
        .bind(actor.user_id().map(|u| u.to_string()))
        .execute(c)
        .await?
        .rows_affected());
    let survivor_id: ParticipantId = crate::triage::parse_code(&survivor, "participant id")?;
    if let Some(survivor_person) = participant_person(tx, survivor_id).await? {
        person_written(tx, &survivor_person, false, now).await?;
        decide(
            tx,
            &survivor_person,
            &absorbed_person,
            "different",
            actor,
            now,
        )
        .await?;
    }
    person_written(tx, &absorbed_person, false, now).await?;
    Ok(Ok(crate::triage::parse_code(&absorbed, "participant id")?))
}

#[cfg(test)]
mod tests {
    use super::selective_keys;

    #[test]
    fn the_most_selective_keys_are_taken_up_to_the_limit() {
        // Keys 7 and 3 bring 10 and 200 people; 5 would bring 900 more, over 1,000.
        let sizes = vec![(5, 900), (3, 200), (7, 10), (9, 5_000)];
        assert_eq!(selective_keys(sizes, 1_000), (vec![7, 3], false));
        // Exactly the limit is within it; ties go by key.
        assert_eq!(
            selective_keys(vec![(2, 500), (1, 500)], 1_000),
            (vec![1, 2], false)
        );
        // A lookup whose every key is big still gets its smallest, cut.
        assert_eq!(
            selective_keys(vec![(4, 3_000), (8, 2_000)], 1_000),
            (vec![8], true)
        );
        assert_eq!(selective_keys(Vec::new(), 1_000), (Vec::new(), false));
    }
}
