//! Identifiers. Record ids are UUIDv7 (time-ordered, generated here, portable as text);
//! reference codes are the short codes people read aloud on the phone.

use std::fmt;
use std::str::FromStr;

use rand::Rng;
use uuid::Uuid;

macro_rules! uuid_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(Uuid);

        impl $name {
            /// A new, time-ordered id.
            pub fn new() -> Self {
                Self(Uuid::now_v7())
            }

            pub fn as_uuid(&self) -> Uuid {
                self.0
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl From<Uuid> for $name {
            fn from(id: Uuid) -> Self {
                Self(id)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self)
            }
        }
    };
}

uuid_id!(
    /// A referral's database id.
    ReferralId
);
uuid_id!(
    /// An inquiry's (contact form message's) database id.
    InquiryId
);
uuid_id!(
    /// A piece of community feedback's database id.
    FeedbackId
);
uuid_id!(
    /// A recorded state change's database id.
    EventId
);
uuid_id!(
    /// A person's database id.
    PersonId
);
uuid_id!(
    /// A participant's (enrolled person's) database id.
    ParticipantId
);
uuid_id!(
    /// A release of information's database id.
    ReleaseId
);
uuid_id!(
    /// A note's database id.
    NoteId
);
uuid_id!(
    /// A "break the glass" opening's database id.
    BreakGlassId
);
uuid_id!(
    /// A staff account's database id.
    UserId
);
uuid_id!(
    /// A contact between a case manager and a participant.
    ContactId
);
uuid_id!(
    /// A monthly status snapshot.
    SnapshotId
);
uuid_id!(
    /// A goal of a participant's intervention plan.
    GoalId
);
uuid_id!(
    /// A step towards a plan goal.
    StepId
);
uuid_id!(
    /// A partner organisation in the directory.
    PartnerId
);
uuid_id!(
    /// A referral out to a partner organisation.
    PartnerReferralId
);
uuid_id!(
    /// A participant's legal matter (a case in a court or before a prosecutor).
    MatterId
);
uuid_id!(
    /// A request in a legal matter's coordination log.
    LegalRequestId
);
uuid_id!(
    /// An Operational Workgroup meeting.
    MeetingId
);
uuid_id!(
    /// An item of a meeting's agenda.
    AgendaItemId
);
uuid_id!(
    /// An action item agreed at a meeting.
    ActionItemId
);
uuid_id!(
    /// One upload of a booking feed.
    BookingImportId
);
uuid_id!(
    /// A booking linked to a participant.
    BookingId
);
uuid_id!(
    /// A booking row waiting for someone to say whose it is.
    BookingReviewId
);
uuid_id!(
    /// A sign-in session's public id (shown in the list of one's sessions; the secret that
    /// proves the session is a separate token, stored only as a hash).
    SessionId
);

/// Crockford's base-32 alphabet without I, L, O and U: nothing that reads as another character
/// over a bad phone line.
const CODE_ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const CODE_LEN: usize = 8;

/// A short code given to a referrer or an inquirer, e.g. `K7QM-4Z2P`: 40 random bits, so codes
/// cannot be guessed or enumerated, and they say nothing about volume or order.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ReferenceCode(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a reference code has 8 characters from 0-9 and A-Z without I, L, O, U (like K7QM-4Z2P)")]
pub struct InvalidReferenceCode;

impl ReferenceCode {
    pub fn generate(rng: &mut impl Rng) -> Self {
        let chars: String = (0..CODE_LEN)
            .map(|_| char::from(CODE_ALPHABET[rng.random_range(0..CODE_ALPHABET.len())]))
            .collect();
        Self(chars)
    }

    pub fn random() -> Self {
        Self::generate(&mut rand::rng())
    }

    /// The code as stored: eight characters, no dash.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ReferenceCode {
    /// The code as shown: two groups of four, easier to read aloud.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (a, b) = self.0.split_at(CODE_LEN / 2);
        write!(f, "{a}-{b}")
    }
}

impl FromStr for ReferenceCode {
    type Err = InvalidReferenceCode;

    /// Accepts what people type: any case, dashes or spaces, and the look-alikes
    /// O→0, I/L→1 that Crockford's encoding forgives.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut code = String::with_capacity(CODE_LEN);
        for c in s.chars().filter(|c| !matches!(c, '-' | ' ')) {
            let c = match c.to_ascii_uppercase() {
                'O' => '0',
                'I' | 'L' => '1',
                c => c,
            };
            if !c.is_ascii() || !CODE_ALPHABET.contains(&(c as u8)) || code.len() == CODE_LEN {
                return Err(InvalidReferenceCode);
            }
            code.push(c);
        }
        if code.len() == CODE_LEN {
            Ok(Self(code))
        } else {
            Err(InvalidReferenceCode)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn code_is_shown_in_two_groups_and_parsed_back() {
        let code: ReferenceCode = "k7qm-4z2p".parse().unwrap();
        assert_eq!(code.as_str(), "K7QM4Z2P");
        assert_eq!(code.to_string(), "K7QM-4Z2P");
    }

    #[test]
    fn look_alike_letters_are_forgiven() {
        let code: ReferenceCode = "OIL0 AAAA".parse().unwrap();
        assert_eq!(code.as_str(), "0110AAAA");
    }

    #[test]
    fn wrong_lengths_and_characters_are_refused() {
        for bad in [
            "",
            "ABC",
            "ABCDEFGHJ",
            "ABCD-EFGU",
            "ABCD-EFG!",
            "ÄBCD-EFGH",
        ] {
            assert_eq!(
                bad.parse::<ReferenceCode>(),
                Err(InvalidReferenceCode),
                "{bad}"
            );
        }
    }

    proptest! {
        #[test]
        fn generated_codes_round_trip(seed in any::<u64>()) {
            use rand::SeedableRng;
            let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
            let code = ReferenceCode::generate(&mut rng);
            prop_assert_eq!(code.to_string().parse::<ReferenceCode>(), Ok(code));
        }

        #[test]
        fn parsing_never_panics(s in ".{0,20}") {
            let _ = s.parse::<ReferenceCode>();
        }
    }
}
