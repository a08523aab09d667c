//! leadhub's domain: types and rules with no I/O.
//!
//! Everything that comes from outside (a form, a file, a database row) is parsed into these
//! types once, at the edge; code that holds a `PhoneNumber` or a `ReferenceCode` never checks
//! it again.

pub mod access;
pub mod booking;
pub mod calendar;
pub mod consent;
pub mod contact;
pub mod credentials;
pub mod door;
pub mod feedback;
pub mod geo;
pub mod ids;
pub mod inquiry;
pub mod language;
pub mod legal;
pub mod outcomes;
pub mod owg;
pub mod participant;
pub mod person;
pub mod plan;
pub mod policy;
pub mod referral;
pub mod results;
pub mod site;
pub mod snapshot;
pub mod text;
pub mod throttle;
pub mod triage;

pub use calendar::BusinessCalendar;
pub use contact::{Email, PhoneNumber, Reach};
pub use ids::{InquiryId, ReferenceCode, ReferralId};
pub use language::Language;
pub use site::SiteProfile;
pub use text::{FieldError, FormErrors};
