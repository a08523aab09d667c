//! Ways to reach a person: phone numbers and email addresses, parsed once.

use std::fmt;
use std::str::FromStr;

use crate::text::FieldError;

/// A North American (NANP) phone number, stored as its ten digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PhoneNumber(String);

impl PhoneNumber {
    pub fn digits(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}-{}", &self.0[..3], &self.0[3..6], &self.0[6..])
    }
}

impl FromStr for PhoneNumber {
    type Err = FieldError;

    /// Accepts the ways people write US numbers: `612-208-7460`, `(612) 208 7460`,
    /// `+1 612.208.7460`. Area code and exchange cannot start with 0 or 1.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.chars()
            .any(|c| !(c.is_ascii_digit() || " ()-.+".contains(c)))
        {
            return Err(FieldError::Phone);
        }
        let mut digits: String = s.chars().filter(char::is_ascii_digit).collect();
        if digits.len() == 11 && digits.starts_with('1') {
            digits.remove(0);
        }
        let valid = digits.len() == 10
            && !matches!(digits.as_bytes()[0], b'0' | b'1')
            && !matches!(digits.as_bytes()[3], b'0' | b'1');
        if valid {
            Ok(Self(digits))
        } else {
            Err(FieldError::Phone)
        }
    }
}

/// An email address: one `@`, a non-empty local part, a dotted domain, no spaces, at most
/// 254 characters. Deliverability is only known by writing to it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

impl Email {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for Email {
    type Err = FieldError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        let Some((local, domain)) = s.split_once('@') else {
            return Err(FieldError::Email);
        };
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && !domain.contains('@');
        let ok = s.len() <= 254
            && !local.is_empty()
            && local.len() <= 64
            && domain_ok
            && !s
                .chars()
                .any(|c| c.is_whitespace() || c.is_control() || "<>,;\"".contains(c));
        if ok {
            Ok(Self(s.to_owned()))
        } else {
            Err(FieldError::Email)
        }
    }
}

/// One way to reach someone who gave a single "phone or email" field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reach {
    Phone(PhoneNumber),
    Email(Email),
}

impl FromStr for Reach {
    type Err = FieldError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.contains('@') {
            s.parse().map(Reach::Email)
        } else {
            s.parse().map(Reach::Phone).map_err(|_| FieldError::Reach)
        }
    }
}

impl fmt::Display for Reach {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reach::Phone(p) => p.fmt(f),
            Reach::Email(e) => e.fmt(f),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn phone_formats_people_use() {
        for ok in [
            "612-208-7460",
            "(612) 208 7460",
            "+1 612.208.7460",
            "16122087460",
        ] {
            assert_eq!(
                ok.parse::<PhoneNumber>().unwrap().to_string(),
                "612-208-7460",
                "{ok}"
            );
        }
        for bad in [
            "208-7460",
            "012-208-7460",
            "612-108-7460",
            "612-208-74601",
            "call me",
            "612 208 746O",
        ] {
            assert_eq!(bad.parse::<PhoneNumber>(), Err(FieldError::Phone), "{bad}");
        }
    }

    #[test]
    fn email_shapes() {
        assert!("ana.garcia@example.org".parse::<Email>().is_ok());
        for bad in [
            "ana",
            "@example.org",
            "ana@example",
            "ana@.org",
            "ana @x.org",
            "a@b..org",
            "a@b@c.org",
        ] {
            assert_eq!(bad.parse::<Email>(), Err(FieldError::Email), "{bad}");
        }
    }

    #[test]
    fn reach_is_phone_or_email() {
        assert!(matches!(
            "612 555 0123".parse::<Reach>(),
            Ok(Reach::Phone(_))
        ));
        assert!(matches!("x@y.org".parse::<Reach>(), Ok(Reach::Email(_))));
        assert_eq!("tomorrow".parse::<Reach>(), Err(FieldError::Reach));
        assert_eq!("x@y".parse::<Reach>(), Err(FieldError::Email));
    }

    proptest! {
        #[test]
        fn parsed_phones_print_and_parse_back(s in "[0-9 ()+.-]{0,20}") {
            if let Ok(p) = s.parse::<PhoneNumber>() {
                prop_assert_eq!(p.to_string().parse::<PhoneNumber>(), Ok(p));
            }
        }
    }
}
