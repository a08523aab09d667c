//! Free text from the public: cleaned, bounded, and the errors a form can show.

use std::collections::BTreeMap;

/// Why one form field was refused. The web layer turns each into a sentence in the reader's
/// language, shown next to the field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FieldError {
    #[error("required")]
    Required,
    #[error("longer than {max} characters")]
    TooLong { max: usize },
    #[error("not one of the choices")]
    Choice,
    #[error("not a US phone number")]
    Phone,
    #[error("not an email address")]
    Email,
    #[error("neither a phone number nor an email address")]
    Reach,
    #[error("follow-up asked for without a way to reach the referrer")]
    FollowUpContact,
    #[error("nothing that identifies or describes the person")]
    Person,
    #[error("nowhere to look for the person")]
    Where,
    #[error("not a birth year")]
    Year,
    #[error("the person has not agreed to take part")]
    Consent,
    #[error("no name or alias")]
    Name,
    #[error("more than {max} entries")]
    TooMany { max: usize },
    #[error("in the future")]
    Future,
    #[error("more than {days} days ago")]
    TooLongAgo { days: u16 },
    #[error("before the record begins")]
    BeforeStart,
    #[error("ends before it starts, or has already ended")]
    EndsTooSoon,
    #[error("not a case number")]
    CaseNumber,
    #[error("not a list of charges, one `key: label` per line")]
    ChargeList,
    #[error("a day already past")]
    Past,
    #[error("not a whole number from {min} to {max}")]
    OutOfRange { min: i64, max: i64 },
    #[error("no referral has this reference code")]
    UnknownCode,
}

/// Field name → what is wrong with it. Empty means the form is valid.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FormErrors(BTreeMap<&'static str, FieldError>);

impl FormErrors {
    pub fn add(&mut self, field: &'static str, error: FieldError) {
        self.0.entry(field).or_insert(error);
    }

    pub fn get(&self, field: &str) -> Option<&FieldError> {
        self.0.get(field)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &FieldError)> {
        self.0.iter().map(|(k, v)| (*k, v))
    }

    /// Records the error of `result`, if any, under `field`, and gives back its value.
    pub fn take<T>(&mut self, field: &'static str, result: Result<T, FieldError>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(error) => {
                self.add(field, error);
                None
            }
        }
    }
}

/// Text as it will be stored: control characters other than line breaks and tabs removed,
/// line breaks normalised, surrounding space trimmed. Right-to-left text, emoji and markup are
/// kept as typed: escaping is the job of whatever shows the text.
pub fn clean(raw: &str) -> String {
    let unified = raw.replace("\r\n", "\n").replace('\r', "\n");
    unified
        .chars()
        .filter(|c| !c.is_control() || matches!(c, '\n' | '\t'))
        .collect::<String>()
        .trim()
        .to_owned()
}

/// Optional text of at most `max` characters (Unicode scalar values, as people count them).
pub fn optional(raw: &str, max: usize) -> Result<Option<String>, FieldError> {
    let text = clean(raw);
    if text.chars().count() > max {
        Err(FieldError::TooLong { max })
    } else if text.is_empty() {
        Ok(None)
    } else {
        Ok(Some(text))
    }
}

/// Required text of at most `max` characters.
pub fn required(raw: &str, max: usize) -> Result<String, FieldError> {
    optional(raw, max)?.ok_or(FieldError::Required)
}

/// A required choice from a code list: nothing chosen is "required", anything but one of
/// the codes is "not one of the choices".
pub(crate) fn required_code<T: std::str::FromStr<Err = FieldError>>(
    raw: &str,
) -> Result<T, FieldError> {
    match raw.trim() {
        "" => Err(FieldError::Required),
        code => code.parse(),
    }
}

/// Field size limits, in characters. One place, so forms, templates (`maxlength`) and checks agree.
pub mod limits {
    pub const NAME: usize = 120;
    pub const PHONE: usize = 40;
    pub const EMAIL: usize = 254;
    pub const SHORT: usize = 200;
    pub const DESCRIPTION: usize = 1000;
    pub const LONG: usize = 4000;
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn cleaning_keeps_what_people_typed() {
        assert_eq!(
            clean("  <b>hi</b> 🙂 مرحبا \r\nnext\u{0}"),
            "<b>hi</b> 🙂 مرحبا \nnext"
        );
    }

    #[test]
    fn limits_count_characters_not_bytes() {
        assert_eq!(optional("ééé", 3), Ok(Some("ééé".into())));
        assert_eq!(optional("éééé", 3), Err(FieldError::TooLong { max: 3 }));
        assert_eq!(optional("   ", 3), Ok(None));
        assert_eq!(required("\n\t", 3), Err(FieldError::Required));
    }

    proptest! {
        #[test]
        fn cleaned_text_has_no_control_characters_but_line_breaks(s in any::<String>()) {
            let c = clean(&s);
            prop_assert!(c.chars().all(|ch| !ch.is_control() || ch == '\n' || ch == '\t'));
            prop_assert_eq!(clean(&c), c.clone());
        }
    }
}
