//! Referrals: the doors they come through, what a referrer tells us, and the states a referral
//! moves through until it is answered.

use crate::contact::{Email, PhoneNumber};
use crate::language::Language;
use crate::site::SiteProfile;
use crate::text::{self, FieldError, FormErrors, limits};

/// An enum whose variants are stored and sent as short, stable codes.
macro_rules! code_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$variant_doc:meta])* $variant:ident => $code:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($(#[$variant_doc])* $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }
        }

        impl std::str::FromStr for $name {
            type Err = FieldError;
            fn from_str(s: &str) -> Result<Self, FieldError> {
                match s { $($code => Ok($name::$variant),)+ _ => Err(FieldError::Choice) }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.code())
            }
        }
    };
}
pub(crate) use code_enum;

code_enum!(
    /// How a referral reached LEAD.
    Door {
        Community => "community",
        SocialContact => "social_contact",
        ArrestDiversion => "arrest_diversion",
        SelfReferral => "self",
        Provider => "provider",
    }
);

code_enum!(
    /// Who is making a community referral.
    ReferrerType {
        Resident => "resident",
        Business => "business",
        Visitor => "visitor",
        Provider => "provider",
        Other => "other",
    }
);

code_enum!(
    /// The person's age as a referrer guesses it.
    AgeRange {
        Unknown => "unknown",
        Under18 => "under-18",
        From18To25 => "18-25",
        From26To35 => "26-35",
        From36To50 => "36-50",
        From51To65 => "51-65",
        Over65 => "over-65",
    }
);

impl AgeRange {
    /// The birth years the range allows in `this_year`, if it says anything: someone 36 to
    /// 50 may have been born in the year before their 51st birthday too.
    pub fn birth_years(self, this_year: i16) -> Option<(u16, u16)> {
        let (youngest, oldest): (i16, i16) = match self {
            AgeRange::Unknown => return None,
            AgeRange::Under18 => (0, 17),
            AgeRange::From18To25 => (18, 25),
            AgeRange::From26To35 => (26, 35),
            AgeRange::From36To50 => (36, 50),
            AgeRange::From51To65 => (51, 65),
            AgeRange::Over65 => (66, 100),
        };
        let year = |age: i16| u16::try_from(this_year - age).ok();
        Some((year(oldest + 1)?, year(youngest)?))
    }
}

code_enum!(
    /// When in the day the person is usually seen.
    TimeOfDay {
        Morning => "morning",
        Midday => "midday",
        Afternoon => "afternoon",
        Evening => "evening",
        Night => "night",
    }
);

code_enum!(
    /// What the referrer has seen.
    ConcernKind {
        Shoplifting => "shoplifting",
        DrugUseInBathroom => "bathroom",
        LoiteringAtTransit => "transit",
        Other => "other",
    }
);

code_enum!(
    /// Where a referral stands. Every change is recorded with who made it and why.
    ReferralState {
        Received => "received",
        Acknowledged => "acknowledged",
        Screening => "screening",
        Outreach => "outreach",
        Enrolled => "enrolled",
        NotEligible => "not_eligible",
        UnableToLocate => "unable_to_locate",
        Declined => "declined",
        Linked => "linked",
        Closed => "closed",
    }
);

impl ReferralState {
    /// The states this one may move to. Someone who could not be found or said no may be
    /// looked for again; enrolment, linking and closing end the referral (the person's story
    /// goes on in their participant record).
    pub fn next_states(self) -> &'static [ReferralState] {
        use ReferralState::*;
        match self {
            Received => &[Acknowledged, Screening, Linked, Closed],
            Acknowledged => &[Screening, Linked, Closed],
            Screening => &[Outreach, NotEligible, Linked, Closed],
            Outreach => &[Enrolled, UnableToLocate, Declined, Linked, Closed],
            UnableToLocate => &[Outreach, Closed],
            Declined => &[Outreach, Closed],
            NotEligible => &[Closed],
            Enrolled | Linked | Closed => &[],
        }
    }

    pub fn can_move_to(self, next: ReferralState) -> bool {
        self.next_states().contains(&next)
    }

    pub fn is_final(self) -> bool {
        self.next_states().is_empty()
    }
}

/// The referral form exactly as typed: kept whole so a refused form comes back unchanged.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReferralInput {
    pub referrer_type: String,
    pub referrer_name: String,
    pub referrer_phone: String,
    pub referrer_email: String,
    pub follow_up: String,
    pub person_name: String,
    pub age_range: String,
    pub gender: String,
    pub build: String,
    pub hair: String,
    pub features: String,
    pub places: Vec<String>,
    pub places_other: String,
    pub times: Vec<String>,
    pub times_other: String,
    pub concerns: Vec<String>,
    pub concern_text: String,
    pub safety_notes: String,
}

/// The person making a referral.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Referrer {
    /// Who the referrer is, if they said: helpful, never required.
    pub kind: Option<ReferrerType>,
    pub name: Option<String>,
    pub phone: Option<PhoneNumber>,
    pub email: Option<Email>,
    pub wants_follow_up: bool,
}

/// The person referred, as the referrer described them: nothing here is a verified identity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DescribedPerson {
    pub name: Option<String>,
    pub age: AgeRange,
    pub gender: Option<String>,
    pub build: Option<String>,
    pub hair: Option<String>,
    pub features: Option<String>,
}

/// Where and when the person is usually seen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Whereabouts {
    /// Keys of the site's places.
    pub places: Vec<String>,
    pub places_other: Option<String>,
    pub times: Vec<TimeOfDay>,
    pub times_other: Option<String>,
}

/// A valid referral, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewReferral {
    pub door: Door,
    pub language: Language,
    pub referrer: Referrer,
    pub person: DescribedPerson,
    pub whereabouts: Whereabouts,
    pub concerns: Vec<ConcernKind>,
    pub concern_text: Option<String>,
    pub safety_notes: Option<String>,
}

impl ReferralInput {
    /// A community referral from the public form, or every reason it cannot be accepted.
    pub fn parse(&self, site: &SiteProfile, language: Language) -> Result<NewReferral, FormErrors> {
        let mut errors = FormErrors::default();
        let referrer = self.parse_referrer(&mut errors);
        let person = self.parse_person(&mut errors);
        let whereabouts = self.parse_whereabouts(site, &mut errors);
        let concerns = errors.take("concerns", choices(&self.concerns));
        let concern_text = errors.take(
            "concern_text",
            text::optional(&self.concern_text, limits::LONG),
        );
        let safety_notes = errors.take(
            "safety_notes",
            text::optional(&self.safety_notes, limits::DESCRIPTION),
        );
        match (
            referrer,
            person,
            whereabouts,
            concerns,
            concern_text,
            safety_notes,
        ) {
            (
                Some(referrer),
                Some(person),
                Some(whereabouts),
                Some(concerns),
                Some(concern_text),
                Some(safety_notes),
            ) if errors.is_empty() => Ok(NewReferral {
                door: Door::Community,
                language,
                referrer,
                person,
                whereabouts,
                concerns,
                concern_text,
                safety_notes,
            }),
            _ => Err(errors),
        }
    }

    fn parse_referrer(&self, errors: &mut FormErrors) -> Option<Referrer> {
        let kind = errors.take(
            "referrer_type",
            optional_choice::<ReferrerType>(&self.referrer_type),
        );
        let name = errors.take(
            "referrer_name",
            text::optional(&self.referrer_name, limits::NAME),
        );
        let phone = errors.take(
            "referrer_phone",
            optional_parsed::<PhoneNumber>(&self.referrer_phone, limits::PHONE),
        );
        let email = errors.take(
            "referrer_email",
            optional_parsed::<Email>(&self.referrer_email, limits::EMAIL),
        );
        // From the parsed values: text that cleans to nothing is no way to reach anyone.
        let has_contact = matches!(phone, Some(Some(_))) || matches!(email, Some(Some(_)));
        // Not answering the question means: contact me if I left a way to.
        let wants_follow_up = match self.follow_up.as_str() {
            "yes" => true,
            "no" => false,
            "" => has_contact,
            _ => {
                errors.add("follow_up", FieldError::Choice);
                false
            }
        };
        if wants_follow_up && !has_contact {
            errors.add("referrer_phone", FieldError::FollowUpContact);
        }
        Some(Referrer {
            kind: kind?,
            name: name?,
            phone: phone?,
            email: email?,
            wants_follow_up,
        })
    }

    fn parse_person(&self, errors: &mut FormErrors) -> Option<DescribedPerson> {
        let name = errors.take(
            "person_name",
            text::optional(&self.person_name, limits::NAME),
        );
        let age = if self.age_range.is_empty() {
            Some(AgeRange::Unknown)
        } else {
            errors.take("age_range", self.age_range.parse())
        };
        let gender = errors.take("gender", text::optional(&self.gender, limits::SHORT));
        let build = errors.take("build", text::optional(&self.build, limits::SHORT));
        let hair = errors.take("hair", text::optional(&self.hair, limits::SHORT));
        let features = errors.take(
            "features",
            text::optional(&self.features, limits::DESCRIPTION),
        );
        let person = DescribedPerson {
            name: name?,
            age: age?,
            gender: gender?,
            build: build?,
            hair: hair?,
            features: features?,
        };
        let described = [
            &person.name,
            &person.gender,
            &person.build,
            &person.hair,
            &person.features,
        ]
        .iter()
        .any(|f| f.is_some());
        if !described {
            errors.add("person_name", FieldError::Person);
            return None;
        }
        Some(person)
    }

    fn parse_whereabouts(
        &self,
        site: &SiteProfile,
        errors: &mut FormErrors,
    ) -> Option<Whereabouts> {
        let mut places: Vec<String> = Vec::new();
        for key in &self.places {
            match site.place(key) {
                Some(place) if !places.contains(&place.key) => places.push(place.key.clone()),
                Some(_) => {}
                None => errors.add("places", FieldError::Choice),
            }
        }
        let places_other = errors.take(
            "places_other",
            text::optional(&self.places_other, limits::DESCRIPTION),
        );
        let times = errors.take("times", choices(&self.times));
        let times_other = errors.take(
            "times_other",
            text::optional(&self.times_other, limits::SHORT),
        );
        let whereabouts = Whereabouts {
            places,
            places_other: places_other?,
            times: times?,
            times_other: times_other?,
        };
        if whereabouts.places.is_empty() && whereabouts.places_other.is_none() {
            errors.add("places", FieldError::Where);
            return None;
        }
        Some(whereabouts)
    }
}

/// An optional single choice.
fn optional_choice<T: std::str::FromStr<Err = FieldError>>(
    raw: &str,
) -> Result<Option<T>, FieldError> {
    let raw = raw.trim();
    if raw.is_empty() {
        Ok(None)
    } else {
        raw.parse().map(Some)
    }
}

/// Any number of choices, each once, in the order given.
fn choices<T: std::str::FromStr<Err = FieldError> + PartialEq>(
    raw: &[String],
) -> Result<Vec<T>, FieldError> {
    let mut out = Vec::new();
    for item in raw {
        let value: T = item.parse()?;
        if !out.contains(&value) {
            out.push(value);
        }
    }
    Ok(out)
}

/// An optional field that, when filled, must parse as `T`.
fn optional_parsed<T: std::str::FromStr<Err = FieldError>>(
    raw: &str,
    max: usize,
) -> Result<Option<T>, FieldError> {
    text::optional(raw, max)?.map(|s| s.parse()).transpose()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn site() -> SiteProfile {
        SiteProfile::minneapolis().unwrap()
    }

    #[test]
    fn age_ranges_become_birth_years() {
        assert_eq!(AgeRange::From36To50.birth_years(2026), Some((1975, 1990)));
        assert_eq!(AgeRange::Under18.birth_years(2026), Some((2008, 2026)));
        assert_eq!(AgeRange::Unknown.birth_years(2026), None);
    }

    fn minimal() -> ReferralInput {
        ReferralInput {
            referrer_type: "business".into(),
            features: "tall, grey beard, green army jacket".into(),
            places: vec!["lake-chicago".into()],
            ..Default::default()
        }
    }

    #[test]
    fn a_description_and_a_place_are_enough() {
        let r = minimal().parse(&site(), Language::So).unwrap();
        assert_eq!(r.door, Door::Community);
        assert_eq!(r.language, Language::So);
        assert_eq!(r.person.name, None);
        assert_eq!(r.person.age, AgeRange::Unknown);
        assert!(!r.referrer.wants_follow_up);
        assert_eq!(r.whereabouts.places, vec!["lake-chicago"]);
    }

    #[test]
    fn the_referrer_need_not_say_who_they_are() {
        let input = ReferralInput {
            referrer_type: String::new(),
            ..minimal()
        };
        assert_eq!(
            input.parse(&site(), Language::En).unwrap().referrer.kind,
            None
        );
    }

    #[test]
    fn nothing_about_the_person_or_where_is_refused_with_reasons() {
        let input = ReferralInput {
            referrer_type: "resident".into(),
            ..Default::default()
        };
        let errors = input.parse(&site(), Language::En).unwrap_err();
        assert_eq!(errors.get("person_name"), Some(&FieldError::Person));
        assert_eq!(errors.get("places"), Some(&FieldError::Where));
        assert_eq!(errors.get("referrer_type"), None);
    }

    #[test]
    fn follow_up_needs_a_way_to_reach_the_referrer() {
        let input = ReferralInput {
            follow_up: "yes".into(),
            ..minimal()
        };
        let errors = input.parse(&site(), Language::En).unwrap_err();
        assert_eq!(
            errors.get("referrer_phone"),
            Some(&FieldError::FollowUpContact)
        );

        let input = ReferralInput {
            referrer_phone: "(612) 555-0199".into(),
            ..minimal()
        };
        let r = input.parse(&site(), Language::En).unwrap();
        assert!(
            r.referrer.wants_follow_up,
            "leaving a number without answering means yes"
        );
        assert_eq!(r.referrer.phone.unwrap().to_string(), "612-555-0199");
    }

    #[test]
    fn text_that_cleans_to_nothing_is_no_way_to_reach_the_referrer() {
        let input = ReferralInput {
            referrer_phone: "\u{1}".into(),
            ..minimal()
        };
        let r = input.parse(&site(), Language::En).unwrap();
        assert!(!r.referrer.wants_follow_up);
        let input = ReferralInput {
            referrer_phone: "\u{1}".into(),
            follow_up: "yes".into(),
            ..minimal()
        };
        let errors = input.parse(&site(), Language::En).unwrap_err();
        assert_eq!(
            errors.get("referrer_phone"),
            Some(&FieldError::FollowUpContact)
        );
    }

    #[test]
    fn every_field_is_checked() {
        let input = ReferralInput {
            referrer_type: "alien".into(),
            referrer_phone: "12".into(),
            referrer_email: "nope".into(),
            follow_up: "maybe".into(),
            age_range: "7".into(),
            hair: "x".repeat(limits::SHORT + 1),
            places: vec!["atlantis".into()],
            times: vec!["teatime".into()],
            concerns: vec!["jaywalking".into()],
            concern_text: "y".repeat(limits::LONG + 1),
            ..minimal()
        };
        let errors = input.parse(&site(), Language::En).unwrap_err();
        let fields: Vec<_> = errors.iter().map(|(k, _)| k).collect();
        for f in [
            "referrer_type",
            "referrer_phone",
            "referrer_email",
            "follow_up",
            "age_range",
            "hair",
            "places",
            "times",
            "concerns",
            "concern_text",
        ] {
            assert!(fields.contains(&f), "{f} not flagged in {fields:?}");
        }
        assert_eq!(
            errors.get("hair"),
            Some(&FieldError::TooLong { max: limits::SHORT })
        );
    }

    #[test]
    fn repeated_choices_are_kept_once() {
        let input = ReferralInput {
            places: vec![
                "lake-chicago".into(),
                "lake-chicago".into(),
                "lake-cedar".into(),
            ],
            concerns: vec!["bathroom".into(), "bathroom".into()],
            ..minimal()
        };
        let r = input.parse(&site(), Language::En).unwrap();
        assert_eq!(r.whereabouts.places, vec!["lake-chicago", "lake-cedar"]);
        assert_eq!(r.concerns, vec![ConcernKind::DrugUseInBathroom]);
    }

    #[test]
    fn codes_round_trip() {
        for s in ReferralState::ALL {
            assert_eq!(s.code().parse::<ReferralState>(), Ok(*s));
        }
        for d in Door::ALL {
            assert_eq!(d.code().parse::<Door>(), Ok(*d));
        }
    }

    #[test]
    fn every_state_is_reachable_and_every_open_state_can_close() {
        use std::collections::BTreeSet;
        let mut reached = BTreeSet::from([ReferralState::Received]);
        let mut frontier = vec![ReferralState::Received];
        while let Some(s) = frontier.pop() {
            for n in s.next_states() {
                if reached.insert(*n) {
                    frontier.push(*n);
                }
            }
        }
        assert_eq!(reached.len(), ReferralState::ALL.len());
        for s in ReferralState::ALL {
            assert!(
                s.is_final() || s.can_move_to(ReferralState::Closed),
                "{s} cannot close"
            );
        }
    }

    proptest! {
        #[test]
        fn transitions_are_exactly_the_agreed_table(from in 0usize..10, to in 0usize..10) {
            use ReferralState::*;
            let (from, to) = (ReferralState::ALL[from], ReferralState::ALL[to]);
            // The agreed table, written out independently of `next_states`.
            let allowed = matches!(
                (from, to),
                (Received, Acknowledged | Screening | Linked | Closed)
                    | (Acknowledged, Screening | Linked | Closed)
                    | (Screening, Outreach | NotEligible | Linked | Closed)
                    | (Outreach, Enrolled | UnableToLocate | Declined | Linked | Closed)
                    | (UnableToLocate | Declined, Outreach | Closed)
                    | (NotEligible, Closed)
            );
            prop_assert_eq!(from.can_move_to(to), allowed, "{} -> {}", from, to);
            prop_assert!(!to.can_move_to(Received), "nothing goes back to received");
        }

        #[test]
        fn any_input_parses_or_explains(
            referrer_type in ".{0,12}", phone in ".{0,30}", email in ".{0,30}", follow_up in "(yes|no|)",
            features in ".{0,50}", places in proptest::collection::vec("(lake-chicago|lake-cedar|.{0,8})", 0..3),
        ) {
            let input = ReferralInput {
                referrer_type, referrer_phone: phone, referrer_email: email, follow_up, features, places,
                ..Default::default()
            };
            match input.parse(&site(), Language::En) {
                Ok(r) => prop_assert!(!r.whereabouts.places.is_empty() || r.whereabouts.places_other.is_some()),
                Err(e) => prop_assert!(!e.is_empty()),
            }
        }
    }
}
