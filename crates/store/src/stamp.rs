//! How timestamps are written, so that SQL compares and sorts them the same on both backends.
//!
//! PostgreSQL stores `TIMESTAMPTZ`. SQLite has no time type: sqlx writes RFC 3339 text whose
//! fraction has as many digits as needed (`…:05Z`, `…:05.25Z`), and as text `…:05Z` sorts
//! after `…:05.25Z`. `Stamp` writes every SQLite timestamp in one fixed-width UTC form
//! (`2026-11-27T16:24:40.123456Z`), whose text order is time order. Reading needs nothing
//! special: `OffsetDateTime` decodes that form on both backends.

use sqlx::encode::IsNull;
use sqlx::error::BoxDynError;
use sqlx::postgres::{PgArgumentBuffer, PgTypeInfo};
use sqlx::sqlite::{SqliteArgumentsBuffer, SqliteTypeInfo};
use sqlx::{Encode, Postgres, Sqlite, Type};
use time::OffsetDateTime;
use time::macros::format_description;

/// A timestamp to bind into a query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp(pub OffsetDateTime);

const FIXED: &[time::format_description::BorrowedFormatItem<'_>] =
    format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:6]Z");

impl Stamp {
    /// The SQLite text form.
    pub fn sqlite_text(&self) -> Result<String, time::error::Format> {
        self.0.to_offset(time::UtcOffset::UTC).format(FIXED)
    }
}

impl Type<Sqlite> for Stamp {
    fn type_info() -> SqliteTypeInfo {
        <OffsetDateTime as Type<Sqlite>>::type_info()
    }
}

impl Encode<'_, Sqlite> for Stamp {
    fn encode_by_ref(&self, buf: &mut SqliteArgumentsBuffer) -> Result<IsNull, BoxDynError> {
        Encode::<Sqlite>::encode(self.sqlite_text()?, buf)
    }
}

impl Type<Postgres> for Stamp {
    fn type_info() -> PgTypeInfo {
        <OffsetDateTime as Type<Postgres>>::type_info()
    }
}

impl Encode<'_, Postgres> for Stamp {
    fn encode_by_ref(&self, buf: &mut PgArgumentBuffer) -> Result<IsNull, BoxDynError> {
        Encode::<Postgres>::encode_by_ref(&self.0, buf)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn sqlite_text_has_one_width_so_text_order_is_time_order() {
        let whole = Stamp(datetime!(2026-11-27 16:24:05 UTC));
        let quarter = Stamp(datetime!(2026-11-27 16:24:05.25 UTC));
        let central = Stamp(datetime!(2026-11-27 10:24:05.5 -6));
        assert_eq!(whole.sqlite_text().unwrap(), "2026-11-27T16:24:05.000000Z");
        assert_eq!(
            quarter.sqlite_text().unwrap(),
            "2026-11-27T16:24:05.250000Z"
        );
        assert_eq!(
            central.sqlite_text().unwrap(),
            "2026-11-27T16:24:05.500000Z"
        );
        assert!(whole.sqlite_text().unwrap() < quarter.sqlite_text().unwrap());
    }
}
