//! The languages the public site speaks.

use std::fmt;
use std::str::FromStr;

/// A language of the public site. The corridor's city languages: English, Spanish, Somali, Hmong.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Language {
    En,
    Es,
    So,
    Hmn,
}

impl Language {
    pub const ALL: [Language; 4] = [Language::En, Language::Es, Language::So, Language::Hmn];

    /// The BCP 47 tag, also used in URLs, cookies and the database.
    pub fn tag(self) -> &'static str {
        match self {
            Language::En => "en",
            Language::Es => "es",
            Language::So => "so",
            Language::Hmn => "hmn",
        }
    }

    /// Picks the best supported language from an `Accept-Language` header, honouring q-values;
    /// `None` when nothing offered is supported.
    pub fn from_accept_language(header: &str) -> Option<Language> {
        let mut best: Option<(Language, f32)> = None;
        for item in header.split(',').take(32) {
            let mut parts = item.split(';');
            let tag = parts.next().unwrap_or_default().trim();
            let quality = parts
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            let primary = tag.split('-').next().unwrap_or_default();
            if let Ok(lang) = primary.parse::<Language>()
                && quality > 0.0
                && best.is_none_or(|(_, q)| quality > q)
            {
                best = Some((lang, quality));
            }
        }
        best.map(|(lang, _)| lang)
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.tag())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unsupported language")]
pub struct UnsupportedLanguage;

impl FromStr for Language {
    type Err = UnsupportedLanguage;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Language::ALL
            .into_iter()
            .find(|l| l.tag().eq_ignore_ascii_case(s.trim()))
            .ok_or(UnsupportedLanguage)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_respects_quality() {
        assert_eq!(Language::from_accept_language("so"), Some(Language::So));
        assert_eq!(
            Language::from_accept_language("fr-FR, es-MX;q=0.8, en;q=0.5"),
            Some(Language::Es)
        );
        assert_eq!(
            Language::from_accept_language("en;q=0.2, hmn;q=0.9"),
            Some(Language::Hmn)
        );
        assert_eq!(Language::from_accept_language("fr, de"), None);
        assert_eq!(Language::from_accept_language("es;q=0"), None);
        assert_eq!(Language::from_accept_language(""), None);
    }
}
