//! How many people share each name and place, for the term frequencies of lookups (issue 5):
//! at this site, an exact agreement on a common value (a Hmong clan name, "Mohamed") is
//! weaker evidence that two records are one person than an agreement on a rare one.
//!
//! The counts are a cache of the people table, rebuilt whole by `count_names` (the name
//! counter of `serve` does so once a day), so no write of a person has to keep them. A lookup reads the
//! counts of its own names and places only. Values shared by one person are not kept: a
//! value not found counts as one person's, so no row points at anyone.

use leadhub_matching::compare::Field;
use leadhub_matching::model::Frequencies;
use leadhub_matching::record::Record;
use sqlx::AssertSqlSafe;
use time::{Duration, OffsetDateTime};

use crate::audit::{Actor, Entry};
use crate::{Db, Result, Stamp, Tx, on_tx};

/// The fields counted: those people's records have whose exact agreement names a value.
const COUNTED: [Field; 3] = [Field::GivenName, Field::FamilyName, Field::Place];
/// How old the counts may grow before the worker counts again.
pub const NAME_COUNTS_KEPT_FOR: Duration = Duration::hours(24);
/// People read per page while counting.
const PAGE: i64 = 2_000;
/// Rows per insert statement (three values each).
const INSERT_ROWS: usize = 300;

/// What a count found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NameCount {
    pub people: usize,
    /// Values shared by two or more people, kept.
    pub kept: usize,
}

impl Db {
    /// Counts every known person's names and places afresh, replacing the last count. The
    /// people are read first, a page at a time, and the counts then written in one short
    /// transaction, so the count never holds up the writing of a referral. Audited as the
    /// system's.
    pub async fn count_names(&self, now: OffsetDateTime) -> Result<NameCount> {
        let now = crate::truncate_to_micros(now);
        let mut frequencies = Frequencies::default();
        let mut people = 0;
        let mut after = String::new();
        loop {
            let mut tx = self.begin_read().await?;
            let page = crate::matching::people_after(&mut tx, &after, PAGE).await?;
            tx.commit().await?;
            let Some((last, _)) = page.last() else {
                break;
            };
            after = last.clone();
            people += page.len();
            for (_, record) in &page {
                frequencies.add(record);
            }
        }
        frequencies.finish();
        let mut tx = self.begin().await?;
        let kept = write_counts(&mut tx, &frequencies, now).await?;
        let outcome = format!("ok: {people} people, {kept} values shared");
        let entry = Entry::new(
            &Actor::System,
            "names.count",
            ("person", None),
            &outcome,
            now,
        );
        tx.commit_with(entry).await?;
        Ok(NameCount { people, kept })
    }

    /// Counts again when there is no count yet or it is older than
    /// [`NAME_COUNTS_KEPT_FOR`]; what was counted, if it did.
    pub async fn count_names_if_stale(&self, now: OffsetDateTime) -> Result<Option<NameCount>> {
        let counted_at: Option<OffsetDateTime> = crate::on_pool!(self, pool => sqlx::query_scalar(
            "SELECT counted_at FROM name_count_fields ORDER BY counted_at LIMIT 1",
        )
        .fetch_optional(pool)
        .await?);
        if counted_at.is_some_and(|at| now - at < NAME_COUNTS_KEPT_FOR) {
            return Ok(None);
        }
        Ok(Some(self.count_names(now).await?))
    }
}

/// Replaces the counts. Upserts, so that two servers counting at once both succeed: on
/// PostgreSQL the second's DELETE does not see the first's new rows, which its inserts then
/// meet (both counted the same people within moments).
async fn write_counts(
    tx: &mut Tx,
    frequencies: &Frequencies,
    now: OffsetDateTime,
) -> Result<usize> {
    on_tx!(tx, c => sqlx::query("DELETE FROM name_counts").execute(c).await?.rows_affected());
    on_tx!(tx, c => sqlx::query("DELETE FROM name_count_fields").execute(c).await?.rows_affected());
    let mut kept = 0;
    for field in COUNTED {
        let (counted, agreement) = frequencies.summary(field).unwrap_or((0, 0.0));
        on_tx!(tx, c => sqlx::query(
            "INSERT INTO name_count_fields (field, counted, agreement, counted_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (field) DO UPDATE SET counted = excluded.counted, agreement = excluded.agreement, \
             counted_at = excluded.counted_at",
        )
        .bind(field.code())
        .bind(i64::try_from(counted).unwrap_or(i64::MAX))
        .bind(agreement)
        .bind(Stamp(now))
        .execute(c)
        .await?
        .rows_affected());
        let mut shared: Vec<(&str, u32)> =
            frequencies.values(field).filter(|&(_, n)| n >= 2).collect();
        shared.sort_unstable();
        kept += shared.len();
        for chunk in shared.chunks(INSERT_ROWS) {
            let rows: Vec<String> = (0..chunk.len())
                .map(|i| format!("($1, ${}, ${})", 2 * i + 2, 2 * i + 3))
                .collect();
            let sql = format!(
                "INSERT INTO name_counts (field, value, people) VALUES {} \
                 ON CONFLICT (field, value) DO UPDATE SET people = excluded.people",
                rows.join(", ")
            );
            on_tx!(tx, c => {
                let mut query = sqlx::query(AssertSqlSafe(sql.clone())).bind(field.code());
                for &(value, people) in chunk {
                    query = query.bind(value).bind(i64::from(people));
                }
                query.execute(c).await?.rows_affected()
            });
        }
    }
    Ok(kept)
}

/// The frequencies scoring `records` against others needs: every field's summary and the
/// counts of the records' own names (under either name field, as names may be swapped)
/// and places. Without a count yet, none: no value counts for more or less than another.
pub(crate) async fn frequencies_for(tx: &mut Tx, records: &[&Record]) -> Result<Frequencies> {
    let summaries: Vec<(String, i64, f64)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT field, counted, agreement FROM name_count_fields",
    )
    .fetch_all(c)
    .await?);
    let mut wanted: Vec<(Field, &str)> = Vec::new();
    for record in records {
        for name in record.first_name.iter().chain(&record.last_name) {
            wanted.push((Field::GivenName, &name.folded));
            wanted.push((Field::FamilyName, &name.folded));
        }
        for place in &record.places {
            wanted.push((Field::Place, &place.folded));
        }
    }
    wanted.sort_unstable_by_key(|&(f, v)| (f.index(), v));
    wanted.dedup();
    let mut counts: Vec<(String, String, i64)> = Vec::new();
    for chunk in wanted.chunks(200) {
        let terms: Vec<String> = (0..chunk.len())
            .map(|i| format!("(field = ${} AND value = ${})", 2 * i + 1, 2 * i + 2))
            .collect();
        let sql = format!(
            "SELECT field, value, people FROM name_counts WHERE {}",
            terms.join(" OR ")
        );
        let part: Vec<(String, String, i64)> = on_tx!(tx, c => {
            let mut query = sqlx::query_as(AssertSqlSafe(sql.clone()));
            for &(field, value) in chunk {
                query = query.bind(field.code()).bind(value);
            }
            query.fetch_all(c).await?
        });
        counts.extend(part);
    }
    let summaries = summaries
        .into_iter()
        .filter_map(|(field, counted, agreement)| {
            Some((
                Field::from_code(&field)?,
                u64::try_from(counted).ok()?,
                agreement,
            ))
        });
    let counts = counts.iter().filter_map(|(field, value, people)| {
        Some((
            Field::from_code(field)?,
            value.as_str(),
            u32::try_from(*people).ok()?,
        ))
    });
    Ok(Frequencies::from_kept(summaries, counts))
}
