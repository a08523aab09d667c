//! Referrals made from inside: the police doors (social contact, arrest diversion) and
//! referrals staff take down for providers or for people who ask for themselves.
//!
//! The person and where to look are described as on the public form; an arrest diversion
//! also names the charge (on the site's divertible list or not) and when the officer handed
//! the person to a case manager.

use time::OffsetDateTime;

use crate::language::Language;
use crate::referral::{Door, NewReferral, ReferralInput, Referrer};
use crate::site::SiteProfile;
use crate::text::{self, FieldError, FormErrors, limits};

/// The doors the inside form offers (community referrals come through the public form).
pub const INSIDE_DOORS: [Door; 4] = [
    Door::SocialContact,
    Door::ArrestDiversion,
    Door::Provider,
    Door::SelfReferral,
];

/// A hand-off time this far ahead of the clock is a slip, not a plan.
const FUTURE_SLACK: time::Duration = time::Duration::minutes(5);
/// Hand-offs are recorded within this long; an older one is a typing slip (a year, say).
const HANDOFF_WITHIN_DAYS: u16 = 7;
const HANDOFF_WITHIN: time::Duration = time::Duration::days(HANDOFF_WITHIN_DAYS as i64);

/// The inside form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InsideReferralInput {
    pub door: String,
    /// A key of the site's divertible list, or "other".
    pub charge: String,
    /// The charge in words, when it is not on the list.
    pub charge_other: String,
    /// `YYYY-MM-DDTHH:MM` on the site's wall clock (what `<input type="datetime-local">` sends).
    pub handoff_at: String,
    /// The person and where to look, as on the public form (its referrer fields are unused).
    pub person: ReferralInput,
}

/// The charge an arrest diversion names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChargeGiven {
    pub text: String,
    /// On the site's divertible list.
    pub divertible: bool,
}

/// A valid inside referral.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InsideReferral {
    pub referral: NewReferral,
    pub charge: Option<ChargeGiven>,
    pub handoff_at: Option<OffsetDateTime>,
}

impl InsideReferralInput {
    /// Parses the form of `referrer` (the staff member's name) at `now`.
    pub fn parse(
        &self,
        site: &SiteProfile,
        referrer: &str,
        now: OffsetDateTime,
    ) -> Result<InsideReferral, FormErrors> {
        let mut errors = FormErrors::default();
        let door = match self.door.parse::<Door>() {
            Ok(d) if INSIDE_DOORS.contains(&d) => Some(d),
            Ok(_) | Err(_) if self.door.is_empty() => {
                errors.add("door", FieldError::Required);
                None
            }
            Ok(_) | Err(_) => {
                errors.add("door", FieldError::Choice);
                None
            }
        };
        let charge = self.parse_charge(site, door, &mut errors);
        let handoff_at = self.parse_handoff(site, door, now, &mut errors);
        // The person's description and whereabouts follow the public form's rules; nothing
        // about a referrer is asked (the referrer is the signed-in member of staff).
        let person = ReferralInput {
            referrer_type: String::new(),
            referrer_name: String::new(),
            referrer_phone: String::new(),
            referrer_email: String::new(),
            follow_up: "no".into(),
            ..self.person.clone()
        };
        let parsed = match person.parse(site, Language::En) {
            Ok(r) => Some(r),
            Err(e) => {
                for (field, error) in e.iter() {
                    errors.add(field, error.clone());
                }
                None
            }
        };
        match (door, charge, handoff_at, parsed) {
            (Some(door), Some(charge), Some(handoff_at), Some(mut referral))
                if errors.is_empty() =>
            {
                referral.door = door;
                referral.referrer = Referrer {
                    kind: None,
                    name: Some(referrer.chars().take(limits::NAME).collect()),
                    phone: None,
                    email: None,
                    wants_follow_up: false,
                };
                Ok(InsideReferral {
                    referral,
                    charge,
                    handoff_at,
                })
            }
            _ => Err(errors),
        }
    }

    fn parse_charge(
        &self,
        site: &SiteProfile,
        door: Option<Door>,
        errors: &mut FormErrors,
    ) -> Option<Option<ChargeGiven>> {
        let other = errors.take(
            "charge_other",
            text::optional(&self.charge_other, limits::SHORT),
        )?;
        let given = match (self.charge.as_str(), other) {
            ("", None) => None,
            ("other" | "", Some(text)) => Some(ChargeGiven {
                text,
                divertible: false,
            }),
            ("other", None) => {
                errors.add("charge_other", FieldError::Required);
                return None;
            }
            (key, _) => match site.divertible(key) {
                Some(c) => Some(ChargeGiven {
                    text: c.label.clone(),
                    divertible: true,
                }),
                None => {
                    errors.add("charge", FieldError::Choice);
                    return None;
                }
            },
        };
        if door == Some(Door::ArrestDiversion) && given.is_none() {
            errors.add("charge", FieldError::Required);
            return None;
        }
        Some(given)
    }

    fn parse_handoff(
        &self,
        site: &SiteProfile,
        door: Option<Door>,
        now: OffsetDateTime,
        errors: &mut FormErrors,
    ) -> Option<Option<OffsetDateTime>> {
        let raw = self.handoff_at.trim();
        if raw.is_empty() {
            if door == Some(Door::ArrestDiversion) {
                errors.add("handoff_at", FieldError::Required);
                return None;
            }
            return Some(None);
        }
        let at = errors.take("handoff_at", site.local_time(raw))?;
        if at > now + FUTURE_SLACK {
            errors.add("handoff_at", FieldError::Future);
            return None;
        }
        if at < now - HANDOFF_WITHIN {
            errors.add(
                "handoff_at",
                FieldError::TooLongAgo {
                    days: HANDOFF_WITHIN_DAYS,
                },
            );
            return None;
        }
        Some(Some(at))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> SiteProfile {
        SiteProfile::minneapolis().unwrap()
    }

    fn person() -> ReferralInput {
        ReferralInput {
            features: "older man, walker, red scarf".into(),
            places: vec!["lake-midtown-station".into()],
            ..Default::default()
        }
    }

    fn now() -> OffsetDateTime {
        // 2026-12-01 12:00 in Minneapolis (UTC−6).
        OffsetDateTime::from_unix_timestamp(1_796_148_000).unwrap()
    }

    #[test]
    fn an_arrest_diversion_names_a_charge_and_a_hand_off() {
        let input = InsideReferralInput {
            door: "arrest_diversion".into(),
            person: person(),
            ..Default::default()
        };
        let errors = input.parse(&site(), "Officer Lee", now()).unwrap_err();
        assert_eq!(errors.get("charge"), Some(&FieldError::Required));
        assert_eq!(errors.get("handoff_at"), Some(&FieldError::Required));
        let input = InsideReferralInput {
            charge: "trespass".into(),
            handoff_at: "2026-12-01T11:40".into(),
            ..input
        };
        let r = input.parse(&site(), "Officer Lee", now()).unwrap();
        assert_eq!(r.referral.door, Door::ArrestDiversion);
        assert_eq!(r.referral.referrer.name.as_deref(), Some("Officer Lee"));
        assert!(r.charge.as_ref().unwrap().divertible);
        assert_eq!(r.handoff_at, Some(now() - time::Duration::minutes(20)));
    }

    #[test]
    fn a_charge_off_the_list_is_taken_and_marked() {
        let input = InsideReferralInput {
            door: "arrest_diversion".into(),
            charge: "other".into(),
            charge_other: "Criminal damage to property".into(),
            handoff_at: "2026-12-01T11:00".into(),
            person: person(),
        };
        let r = input.parse(&site(), "Officer Lee", now()).unwrap();
        assert_eq!(
            r.charge,
            Some(ChargeGiven {
                text: "Criminal damage to property".into(),
                divertible: false
            })
        );
    }

    #[test]
    fn bad_doors_times_and_people_are_explained() {
        let input = InsideReferralInput {
            door: "community".into(),
            handoff_at: "2026-12-01T18:00".into(),
            charge: "jaywalking".into(),
            ..Default::default()
        };
        let errors = input.parse(&site(), "x", now()).unwrap_err();
        assert_eq!(errors.get("door"), Some(&FieldError::Choice));
        assert_eq!(errors.get("handoff_at"), Some(&FieldError::Future));
        let old = InsideReferralInput {
            door: "social_contact".into(),
            handoff_at: "-0042-01-01T10:00".into(),
            person: person(),
            ..Default::default()
        };
        let too_old = old.parse(&site(), "x", now()).unwrap_err();
        assert!(too_old.get("handoff_at").is_some());
        let last_month = InsideReferralInput {
            handoff_at: "2026-11-01T10:00".into(),
            ..old
        };
        let too_old = last_month.parse(&site(), "x", now()).unwrap_err();
        assert_eq!(
            too_old.get("handoff_at"),
            Some(&FieldError::TooLongAgo { days: 7 })
        );
        assert_eq!(errors.get("charge"), Some(&FieldError::Choice));
        assert_eq!(errors.get("person_name"), Some(&FieldError::Person));
        let social = InsideReferralInput {
            door: "social_contact".into(),
            person: person(),
            ..Default::default()
        };
        let r = social.parse(&site(), "Officer Lee", now()).unwrap();
        assert_eq!((r.charge, r.handoff_at), (None, None));
    }
}
