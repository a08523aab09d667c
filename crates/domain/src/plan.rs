//! Intervention plans, and referrals out to partner organisations.
//!
//! The plan is the participant's: each goal is written in their own words, in one of the
//! domains below, and is never failed. It is being worked on, reached, or set aside (their
//! choice, and it can be taken up again). Steps say who does what, and by when. Every change to
//! a goal or a step is kept as a new version, so the plan's history can always be read back.
//!
//! A referral out to a partner closes its loop: sent, then accepted or declined (with the
//! reason), then completed.

use crate::PhoneNumber;
use crate::consent::{Sensitivity, parse_day};
use crate::ids::{GoalId, PartnerId};
use crate::referral::code_enum;
use crate::text::{self, FieldError, FormErrors, limits, required_code};

code_enum!(
    /// What a goal is about.
    GoalDomain {
        Housing => "housing",
        Health => "health",
        SubstanceUse => "substance_use",
        Legal => "legal",
        IncomeBenefits => "income_benefits",
        Documents => "documents",
        Relationships => "relationships",
        Safety => "safety",
    }
);

impl GoalDomain {
    /// Goals about health or substance use are health information: they follow the rules of
    /// notes with the same label (Part 2 for substance use) on every path.
    pub fn sensitivity(self) -> Sensitivity {
        match self {
            GoalDomain::Health => Sensitivity::Health,
            GoalDomain::SubstanceUse => Sensitivity::SubstanceUse,
            GoalDomain::Housing
            | GoalDomain::Legal
            | GoalDomain::IncomeBenefits
            | GoalDomain::Documents
            | GoalDomain::Relationships
            | GoalDomain::Safety => Sensitivity::General,
        }
    }
}

code_enum!(
    /// Where a goal stands. There is no "failed": a goal the participant puts down is set
    /// aside, and can be taken up again.
    GoalStatus {
        Working => "working",
        Reached => "reached",
        SetAside => "set_aside",
    }
);

code_enum!(
    /// Who takes a step.
    StepOwner {
        Participant => "participant",
        CaseManager => "case_manager",
        Together => "together",
        Partner => "partner",
        Someone => "someone_else",
    }
);

code_enum!(
    /// Where a step stands.
    StepStatus {
        ToDo => "to_do",
        Done => "done",
        Dropped => "dropped",
    }
);

/// A goal's words: what the participant said they want, as they said it.
pub const GOAL_WORDS: usize = 500;
/// A step's words.
pub const STEP_WORDS: usize = 300;

/// A goal as typed (new, or changed: then `status` is given too).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GoalInput {
    pub domain: String,
    pub words: String,
    pub status: String,
}

/// A goal as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Goal {
    pub domain: GoalDomain,
    pub words: String,
    pub status: GoalStatus,
}

impl GoalInput {
    /// A new goal is being worked on unless the form says otherwise.
    pub fn parse(&self) -> Result<Goal, FormErrors> {
        let mut errors = FormErrors::default();
        let domain = errors.take("domain", required_code(&self.domain));
        let words = errors.take("words", text::required(&self.words, GOAL_WORDS));
        let status = errors.take("status", code_or(&self.status, GoalStatus::Working));
        match (domain, words, status) {
            (Some(domain), Some(words), Some(status)) => Ok(Goal {
                domain,
                words,
                status,
            }),
            _ => Err(errors),
        }
    }
}

/// A step as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StepInput {
    pub words: String,
    pub owner: String,
    pub due_on: String,
    pub status: String,
}

/// A step as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub words: String,
    pub owner: StepOwner,
    pub due_on: Option<jiff::civil::Date>,
    pub status: StepStatus,
}

impl StepInput {
    pub fn parse(&self) -> Result<Step, FormErrors> {
        let mut errors = FormErrors::default();
        let words = errors.take("words", text::required(&self.words, STEP_WORDS));
        let owner = errors.take("owner", required_code(&self.owner));
        let due_on = errors.take(
            "due_on",
            if self.due_on.trim().is_empty() {
                Ok(None)
            } else {
                parse_day(&self.due_on).map(Some)
            },
        );
        let status = errors.take("status", code_or(&self.status, StepStatus::ToDo));
        match (words, owner, due_on, status) {
            (Some(words), Some(owner), Some(due_on), Some(status)) => Ok(Step {
                words,
                owner,
                due_on,
                status,
            }),
            _ => Err(errors),
        }
    }
}

code_enum!(
    /// What a partner organisation offers.
    PartnerKind {
        Housing => "housing",
        Treatment => "treatment",
        Health => "health",
        Benefits => "benefits",
        IdDocuments => "id_documents",
        LegalAid => "legal_aid",
        Employment => "employment",
        Food => "food",
        Other => "other",
    }
);

impl PartnerKind {
    /// A referral to a treatment program tells of substance use (Part 2), one to a clinic of
    /// health: such referrals follow the rules of notes with that label.
    pub fn sensitivity(self) -> Sensitivity {
        match self {
            PartnerKind::Treatment => Sensitivity::SubstanceUse,
            PartnerKind::Health => Sensitivity::Health,
            PartnerKind::Housing
            | PartnerKind::Benefits
            | PartnerKind::IdDocuments
            | PartnerKind::LegalAid
            | PartnerKind::Employment
            | PartnerKind::Food
            | PartnerKind::Other => Sensitivity::General,
        }
    }
}

/// A partner organisation as typed into the directory.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PartnerInput {
    pub name: String,
    pub kind: String,
    pub phone: String,
    pub address: String,
    pub how_to_refer: String,
}

/// A partner organisation as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Partner {
    pub name: String,
    pub kind: PartnerKind,
    pub phone: Option<PhoneNumber>,
    pub address: Option<String>,
    /// Who to call, what to send, what the partner needs to accept someone.
    pub how_to_refer: Option<String>,
}

impl PartnerInput {
    pub fn parse(&self) -> Result<Partner, FormErrors> {
        let mut errors = FormErrors::default();
        let name = errors.take("name", text::required(&self.name, limits::NAME));
        let kind = errors.take("kind", required_code(&self.kind));
        let phone = errors.take(
            "phone",
            if self.phone.trim().is_empty() {
                Ok(None)
            } else {
                self.phone.trim().parse().map(Some)
            },
        );
        let address = errors.take("address", text::optional(&self.address, limits::SHORT));
        let how_to_refer = errors.take(
            "how_to_refer",
            text::optional(&self.how_to_refer, limits::DESCRIPTION),
        );
        match (name, kind, phone, address, how_to_refer) {
            (Some(name), Some(kind), Some(phone), Some(address), Some(how_to_refer)) => {
                Ok(Partner {
                    name,
                    kind,
                    phone,
                    address,
                    how_to_refer,
                })
            }
            _ => Err(errors),
        }
    }
}

code_enum!(
    /// Where a referral out stands: the loop closes when the partner answers and, once
    /// accepted, when the service was given.
    ReferralOutStatus {
        Sent => "sent",
        Accepted => "accepted",
        Declined => "declined",
        Completed => "completed",
    }
);

impl ReferralOutStatus {
    /// Still waiting for the partner's answer or for the service.
    pub fn is_open(self) -> bool {
        matches!(self, ReferralOutStatus::Sent | ReferralOutStatus::Accepted)
    }

    /// The answers a referral in this state can still get. A declined or completed referral
    /// is closed; a new need is a new referral.
    pub fn next(self) -> &'static [ReferralOutStatus] {
        match self {
            ReferralOutStatus::Sent => &[
                ReferralOutStatus::Accepted,
                ReferralOutStatus::Declined,
                ReferralOutStatus::Completed,
            ],
            ReferralOutStatus::Accepted => {
                &[ReferralOutStatus::Completed, ReferralOutStatus::Declined]
            }
            ReferralOutStatus::Declined | ReferralOutStatus::Completed => &[],
        }
    }
}

code_enum!(
    /// Why a referral out was declined.
    DeclineReason {
        NoCapacity => "no_capacity",
        NotEligible => "not_eligible",
        PersonChoseNot => "person_chose_not",
        NoResponse => "no_response",
        Other => "other",
    }
);

/// A referral out as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReferralOutInput {
    pub partner: String,
    pub goal: String,
    pub need: String,
}

/// A referral out as sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewReferralOut {
    pub partner: PartnerId,
    /// The plan goal it serves, if any.
    pub goal: Option<GoalId>,
    /// What the participant needs from the partner.
    pub need: String,
}

impl ReferralOutInput {
    pub fn parse(&self) -> Result<NewReferralOut, FormErrors> {
        let mut errors = FormErrors::default();
        let partner = errors.take(
            "partner",
            match self.partner.trim() {
                "" => Err(FieldError::Required),
                raw => raw.parse().map_err(|_| FieldError::Choice),
            },
        );
        let goal = errors.take(
            "goal",
            match self.goal.trim() {
                "" => Ok(None),
                raw => raw.parse().map(Some).map_err(|_| FieldError::Choice),
            },
        );
        let need = errors.take("need", text::required(&self.need, limits::DESCRIPTION));
        match (partner, goal, need) {
            (Some(partner), Some(goal), Some(need)) => Ok(NewReferralOut {
                partner,
                goal,
                need,
            }),
            _ => Err(errors),
        }
    }
}

/// A partner's answer, or the news that the service was given, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AnswerInput {
    pub status: String,
    pub reason: String,
    pub words: String,
}

/// A partner's answer as recorded: a declined referral always says why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReferralOutAnswer {
    Accepted {
        words: Option<String>,
    },
    Completed {
        words: Option<String>,
    },
    Declined {
        reason: DeclineReason,
        words: Option<String>,
    },
}

impl ReferralOutAnswer {
    pub fn status(&self) -> ReferralOutStatus {
        match self {
            ReferralOutAnswer::Accepted { .. } => ReferralOutStatus::Accepted,
            ReferralOutAnswer::Completed { .. } => ReferralOutStatus::Completed,
            ReferralOutAnswer::Declined { .. } => ReferralOutStatus::Declined,
        }
    }

    pub fn reason(&self) -> Option<DeclineReason> {
        match self {
            ReferralOutAnswer::Declined { reason, .. } => Some(*reason),
            ReferralOutAnswer::Accepted { .. } | ReferralOutAnswer::Completed { .. } => None,
        }
    }

    pub fn words(&self) -> Option<&str> {
        match self {
            ReferralOutAnswer::Accepted { words }
            | ReferralOutAnswer::Completed { words }
            | ReferralOutAnswer::Declined { words, .. } => words.as_deref(),
        }
    }
}

impl AnswerInput {
    /// "Other" as the reason needs the words that say what it was.
    pub fn parse(&self) -> Result<ReferralOutAnswer, FormErrors> {
        let mut errors = FormErrors::default();
        let status = errors.take("status", required_code::<ReferralOutStatus>(&self.status));
        let words = errors.take("words", text::optional(&self.words, limits::SHORT));
        let answer = match (status, words) {
            (Some(ReferralOutStatus::Accepted), Some(words)) => {
                Some(ReferralOutAnswer::Accepted { words })
            }
            (Some(ReferralOutStatus::Completed), Some(words)) => {
                Some(ReferralOutAnswer::Completed { words })
            }
            (Some(ReferralOutStatus::Declined), Some(words)) => {
                match errors.take("reason", required_code::<DeclineReason>(&self.reason)) {
                    Some(DeclineReason::Other) if words.is_none() => {
                        errors.add("words", FieldError::Required);
                        None
                    }
                    Some(reason) => Some(ReferralOutAnswer::Declined { reason, words }),
                    None => None,
                }
            }
            // Nobody answers "sent": it is where a referral starts.
            (Some(ReferralOutStatus::Sent), _) => {
                errors.add("status", FieldError::Choice);
                None
            }
            (None, _) | (_, None) => None,
        };
        match answer {
            Some(answer) if errors.is_empty() => Ok(answer),
            _ => Err(errors),
        }
    }
}

fn code_or<T: std::str::FromStr<Err = FieldError>>(raw: &str, default: T) -> Result<T, FieldError> {
    match raw.trim() {
        "" => Ok(default),
        code => code.parse(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_goal_is_kept_in_the_participants_words_and_starts_as_worked_on() {
        let goal = GoalInput {
            domain: "housing".into(),
            words: "  A door that locks, near my sister  ".into(),
            status: String::new(),
        }
        .parse()
        .unwrap();
        assert_eq!(goal.domain, GoalDomain::Housing);
        assert_eq!(goal.words, "A door that locks, near my sister");
        assert_eq!(goal.status, GoalStatus::Working);
    }

    #[test]
    fn a_goal_without_words_or_domain_says_which_is_missing() {
        let errors = GoalInput {
            domain: "winning".into(),
            words: " ".into(),
            status: "failed".into(),
        }
        .parse()
        .unwrap_err();
        assert_eq!(errors.get("domain"), Some(&FieldError::Choice));
        assert_eq!(errors.get("words"), Some(&FieldError::Required));
        assert_eq!(
            errors.get("status"),
            Some(&FieldError::Choice),
            "no failing out"
        );
        let long = GoalInput {
            domain: "legal".into(),
            words: "x".repeat(GOAL_WORDS + 1),
            status: String::new(),
        };
        assert_eq!(
            long.parse().unwrap_err().get("words"),
            Some(&FieldError::TooLong { max: GOAL_WORDS })
        );
    }

    #[test]
    fn health_and_substance_use_goals_carry_their_label() {
        assert_eq!(
            GoalDomain::SubstanceUse.sensitivity(),
            Sensitivity::SubstanceUse
        );
        assert_eq!(GoalDomain::Health.sensitivity(), Sensitivity::Health);
        assert_eq!(GoalDomain::Documents.sensitivity(), Sensitivity::General);
        assert_eq!(
            PartnerKind::Treatment.sensitivity(),
            Sensitivity::SubstanceUse
        );
        assert_eq!(PartnerKind::LegalAid.sensitivity(), Sensitivity::General);
    }

    #[test]
    fn a_step_has_an_owner_and_maybe_a_due_day() {
        let step = StepInput {
            words: "Call the county about the birth certificate".into(),
            owner: "case_manager".into(),
            due_on: "2026-12-10".into(),
            status: String::new(),
        }
        .parse()
        .unwrap();
        assert_eq!(step.owner, StepOwner::CaseManager);
        assert_eq!(step.due_on, Some(jiff::civil::date(2026, 12, 10)));
        assert_eq!(step.status, StepStatus::ToDo);
        let errors = StepInput {
            words: "x".into(),
            owner: String::new(),
            due_on: "next week".into(),
            status: String::new(),
        }
        .parse()
        .unwrap_err();
        assert_eq!(errors.get("owner"), Some(&FieldError::Required));
        assert_eq!(errors.get("due_on"), Some(&FieldError::Choice));
    }

    #[test]
    fn a_partner_needs_a_name_and_kind_and_a_phone_that_is_one() {
        let partner = PartnerInput {
            name: "Avivo Village".into(),
            kind: "housing".into(),
            phone: "(612) 555 0100".into(),
            ..PartnerInput::default()
        }
        .parse()
        .unwrap();
        assert_eq!(partner.phone.unwrap().to_string(), "612-555-0100");
        let errors = PartnerInput {
            phone: "call them".into(),
            ..PartnerInput::default()
        }
        .parse()
        .unwrap_err();
        assert_eq!(errors.get("name"), Some(&FieldError::Required));
        assert_eq!(errors.get("kind"), Some(&FieldError::Required));
        assert_eq!(errors.get("phone"), Some(&FieldError::Phone));
    }

    #[test]
    fn the_loop_closes_and_stays_closed() {
        use ReferralOutStatus::*;
        assert_eq!(Sent.next(), &[Accepted, Declined, Completed]);
        assert_eq!(Accepted.next(), &[Completed, Declined]);
        assert!(Declined.next().is_empty() && Completed.next().is_empty());
        assert!(Sent.is_open() && Accepted.is_open());
        assert!(!Declined.is_open() && !Completed.is_open());
    }

    #[test]
    fn a_declined_referral_says_why() {
        let answer = |status: &str, reason: &str, words: &str| {
            AnswerInput {
                status: status.into(),
                reason: reason.into(),
                words: words.into(),
            }
            .parse()
        };
        assert_eq!(
            answer("declined", "", "").unwrap_err().get("reason"),
            Some(&FieldError::Required)
        );
        assert_eq!(
            answer("declined", "other", " ").unwrap_err().get("words"),
            Some(&FieldError::Required)
        );
        assert_eq!(
            answer("declined", "no_capacity", "waitlist till March").unwrap(),
            ReferralOutAnswer::Declined {
                reason: DeclineReason::NoCapacity,
                words: Some("waitlist till March".into())
            }
        );
        assert_eq!(
            answer("accepted", "no_capacity", "").unwrap(),
            ReferralOutAnswer::Accepted { words: None },
            "a reason only belongs to a refusal"
        );
        assert_eq!(
            answer("sent", "", "").unwrap_err().get("status"),
            Some(&FieldError::Choice)
        );
    }

    #[test]
    fn a_referral_out_names_a_partner_and_the_need() {
        let partner = PartnerId::new();
        let sent = ReferralOutInput {
            partner: partner.to_string(),
            goal: String::new(),
            need: "Detox bed this week".into(),
        }
        .parse()
        .unwrap();
        assert_eq!(sent.partner, partner);
        assert_eq!(sent.goal, None);
        let errors = ReferralOutInput {
            partner: "avivo".into(),
            goal: "first".into(),
            need: String::new(),
        }
        .parse()
        .unwrap_err();
        assert_eq!(errors.get("partner"), Some(&FieldError::Choice));
        assert_eq!(errors.get("goal"), Some(&FieldError::Choice));
        assert_eq!(errors.get("need"), Some(&FieldError::Required));
    }
}
