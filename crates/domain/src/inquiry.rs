//! Inquiries: messages sent with the contact form.

use crate::contact::Reach;
use crate::language::Language;
use crate::text::{self, FieldError, FormErrors, limits};

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
}
