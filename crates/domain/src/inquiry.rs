//! Inquiries: messages sent with the contact form.

use crate::contact::Reach;
use crate::language::Language;
use crate::referral::code_enum;
use crate::text::{self, FieldError, FormErrors, limits};
use crate::triage::ClosureReason;

/// The contact form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InquiryInput {
    pub name: String,
    pub reach: String,
    pub message: String,
    pub preferred_language: String,
}

/// The language an inquirer would like the answer in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PreferredLanguage {
    Site(Language),
    Other,
}

impl PreferredLanguage {
    pub fn code(self) -> &'static str {
        match self {
            PreferredLanguage::Site(l) => l.tag(),
            PreferredLanguage::Other => "other",
        }
    }
}

/// A valid inquiry, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewInquiry {
    pub name: Option<String>,
    pub reach: Reach,
    pub message: String,
    pub preferred_language: PreferredLanguage,
    /// The language of the page the form was sent from.
    pub language: Language,
}

impl InquiryInput {
    pub fn parse(&self, language: Language) -> Result<NewInquiry, FormErrors> {
        let mut errors = FormErrors::default();
        let name = errors.take("name", text::optional(&self.name, limits::NAME));
        let reach = errors.take(
            "reach",
            text::required(&self.reach, limits::EMAIL).and_then(|r| r.parse::<Reach>()),
        );
        let message = errors.take("message", text::required(&self.message, limits::LONG));
        let preferred_language = match self.preferred_language.trim() {
            "" => Some(PreferredLanguage::Site(language)),
            "other" => Some(PreferredLanguage::Other),
            tag => errors.take(
                "preferred_language",
                tag.parse()
                    .map(PreferredLanguage::Site)
                    .map_err(|_| FieldError::Choice),
            ),
        };
        match (name, reach, message, preferred_language) {
            (Some(name), Some(reach), Some(message), Some(preferred_language)) => Ok(NewInquiry {
                name,
                reach,
                message,
                preferred_language,
                language,
            }),
            _ => Err(errors),
        }
    }
}

code_enum!(
    /// Where an inquiry stands: received, answered (the clock stopped), closed.
    InquiryState {
        Received => "received",
        Answered => "answered",
        Closed => "closed",
    }
);

/// Why a step on an inquiry was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum InquiryError {
    #[error("the inquiry is closed")]
    Closed,
    #[error("choose why it is closed")]
    ClosureRequired,
    #[error("say why it is closed")]
    ReasonRequired,
}

impl InquiryState {
    /// An answer to the inquirer: the first stops the clock; later ones are logged too.
    pub fn answer(self) -> Result<InquiryState, InquiryError> {
        match self {
            InquiryState::Received | InquiryState::Answered => Ok(InquiryState::Answered),
            InquiryState::Closed => Err(InquiryError::Closed),
        }
    }

    /// Closing: after an answer no reason is needed; closing an unanswered inquiry says why
    /// (duplicate, withdrawn, or in words).
    pub fn close(
        self,
        closure: Option<ClosureReason>,
        reason: Option<&str>,
    ) -> Result<InquiryState, InquiryError> {
        match (self, closure) {
            (InquiryState::Closed, _) => Err(InquiryError::Closed),
            (InquiryState::Received, None) => Err(InquiryError::ClosureRequired),
            (_, Some(ClosureReason::Other)) if reason.is_none() => {
                Err(InquiryError::ReasonRequired)
            }
            _ => Ok(InquiryState::Closed),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_way_to_answer_and_a_message_are_needed() {
        let errors = InquiryInput::default().parse(Language::En).unwrap_err();
        assert_eq!(errors.get("reach"), Some(&FieldError::Required));
        assert_eq!(errors.get("message"), Some(&FieldError::Required));
        let errors = InquiryInput {
            reach: "soon".into(),
            message: "hi".into(),
            ..Default::default()
        }
        .parse(Language::En)
        .unwrap_err();
        assert_eq!(errors.get("reach"), Some(&FieldError::Reach));
    }

    #[test]
    fn the_page_language_is_the_default_answer_language() {
        let ok = InquiryInput {
            reach: "hodan@example.org".into(),
            message: "Su'aal".into(),
            ..Default::default()
        }
        .parse(Language::So)
        .unwrap();
        assert_eq!(ok.preferred_language, PreferredLanguage::Site(Language::So));
        assert!(matches!(ok.reach, Reach::Email(_)));
    }

    #[test]
    fn an_inquiry_is_answered_then_closed_and_never_reopened() {
        use InquiryState::*;
        assert_eq!(Received.answer(), Ok(Answered));
        assert_eq!(Answered.answer(), Ok(Answered));
        assert_eq!(Closed.answer(), Err(InquiryError::Closed));
        assert_eq!(Answered.close(None, None), Ok(Closed));
        assert_eq!(
            Received.close(None, None),
            Err(InquiryError::ClosureRequired)
        );
        assert_eq!(
            Received.close(Some(ClosureReason::Other), None),
            Err(InquiryError::ReasonRequired)
        );
        assert_eq!(
            Received.close(Some(ClosureReason::Duplicate), None),
            Ok(Closed)
        );
        assert_eq!(
            Closed.close(Some(ClosureReason::Duplicate), None),
            Err(InquiryError::Closed)
        );
    }

    proptest::proptest! {
        #[test]
        fn closed_is_final(state in 0usize..3, closure in proptest::option::of(0usize..6), reason in proptest::option::of("[a-z]{1,8}")) {
            let state = InquiryState::ALL[state];
            let closure = closure.map(|c| ClosureReason::ALL[c]);
            if let Ok(next) = state.close(closure, reason.as_deref()) {
                proptest::prop_assert_eq!(next, InquiryState::Closed);
                proptest::prop_assert!(next.answer().is_err());
            }
            proptest::prop_assert_eq!(state.answer().is_ok(), state != InquiryState::Closed);
        }
    }
}
