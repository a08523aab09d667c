//! The Policy Coordinating Group's policy: which charges may be diverted, and the
//! eligibility rules, as versions, each approved by someone on a day. Until a site records
//! one, its profile's divertible list is the policy (version 0).

use crate::consent::parse_day;
use crate::site::Charge;
use crate::text::{self, FieldError, FormErrors, limits};

/// Most charges one policy lists.
pub const MAX_CHARGES: usize = 100;
/// Longest key of a charge.
const KEY_MAX: usize = 40;

/// The form that records a new version, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PolicyInput {
    /// One charge per line: `key: label` (`trespass: Trespass (Minn. Stat. 609.605)`).
    pub charges: String,
    pub eligibility: String,
    /// Who approved it for the group, as they sign.
    pub approved_by: String,
    /// `YYYY-MM-DD`.
    pub approved_on: String,
}

/// A version of the policy, as approved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    pub charges: Vec<Charge>,
    pub eligibility: String,
    pub approved_by: String,
    pub approved_on: jiff::civil::Date,
}

impl PolicyInput {
    /// `today` is the site's day now: an approval cannot be dated later.
    pub fn parse(&self, today: jiff::civil::Date) -> Result<Policy, FormErrors> {
        let mut errors = FormErrors::default();
        let charges = errors.take("charges", parse_charges(&self.charges));
        let eligibility = errors.take(
            "eligibility",
            text::required(&self.eligibility, limits::LONG),
        );
        let approved_by = errors.take(
            "approved_by",
            text::required(&self.approved_by, limits::SHORT),
        );
        let approved_on = errors.take(
            "approved_on",
            parse_day(&self.approved_on).and_then(|day| {
                if day > today {
                    Err(FieldError::Future)
                } else {
                    Ok(day)
                }
            }),
        );
        match (charges, eligibility, approved_by, approved_on) {
            (Some(charges), Some(eligibility), Some(approved_by), Some(approved_on)) => {
                Ok(Policy {
                    charges,
                    eligibility,
                    approved_by,
                    approved_on,
                })
            }
            _ => Err(errors),
        }
    }
}

/// The list as the form shows it: one `key: label` per line.
pub fn charges_text(charges: &[Charge]) -> String {
    charges
        .iter()
        .map(|c| format!("{}: {}", c.key, c.label))
        .collect::<Vec<_>>()
        .join("\n")
}

/// `key: label` lines; keys are lower-case letters, digits, `-` and `_` (they are stored with
/// matters and referrals, so a label can be reworded without changing what was recorded),
/// each once.
fn parse_charges(raw: &str) -> Result<Vec<Charge>, FieldError> {
    let mut charges: Vec<Charge> = Vec::new();
    for line in raw.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let (key, label) = line.split_once(':').ok_or(FieldError::ChargeList)?;
        let (key, label) = (key.trim(), label.trim());
        let key_ok = !key.is_empty()
            && key.len() <= KEY_MAX
            && key
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-');
        if !key_ok || label.is_empty() || charges.iter().any(|c| c.key == key) {
            return Err(FieldError::ChargeList);
        }
        let label = text::required(label, limits::SHORT)?;
        charges.push(Charge {
            key: key.to_owned(),
            label,
        });
        if charges.len() > MAX_CHARGES {
            return Err(FieldError::TooMany { max: MAX_CHARGES });
        }
    }
    if charges.is_empty() {
        return Err(FieldError::Required);
    }
    Ok(charges)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(charges: &str) -> PolicyInput {
        PolicyInput {
            charges: charges.into(),
            eligibility:
                "Adults whose conduct stems from substance use, mental illness or poverty.".into(),
            approved_by: "Chair, Policy Coordinating Group".into(),
            approved_on: "2026-11-30".into(),
        }
    }

    #[test]
    fn a_policy_lists_keyed_charges_and_who_approved_it_when() {
        let today = jiff::civil::date(2026, 12, 3);
        let policy = input("trespass: Trespass\n\n  theft-small: Theft under $500 \n")
            .parse(today)
            .unwrap();
        assert_eq!(
            policy.charges,
            vec![
                Charge {
                    key: "trespass".into(),
                    label: "Trespass".into()
                },
                Charge {
                    key: "theft-small".into(),
                    label: "Theft under $500".into()
                },
            ]
        );
        assert_eq!(
            charges_text(&policy.charges),
            "trespass: Trespass\ntheft-small: Theft under $500"
        );
        assert_eq!(policy.approved_on.to_string(), "2026-11-30");
    }

    #[test]
    fn a_bad_list_or_a_future_approval_is_refused() {
        let today = jiff::civil::date(2026, 12, 3);
        for bad in [
            "Trespass",
            "Trespass: Trespass",
            "trespass: Trespass\ntrespass: Again",
            "trespass:",
            "tres pass: Trespass",
        ] {
            assert_eq!(
                input(bad).parse(today).unwrap_err().get("charges"),
                Some(&FieldError::ChargeList),
                "{bad}"
            );
        }
        assert_eq!(
            input(" ").parse(today).unwrap_err().get("charges"),
            Some(&FieldError::Required)
        );
        let late = PolicyInput {
            approved_on: "2026-12-04".into(),
            ..input("trespass: Trespass")
        };
        assert_eq!(
            late.parse(today).unwrap_err().get("approved_on"),
            Some(&FieldError::Future)
        );
    }
}
