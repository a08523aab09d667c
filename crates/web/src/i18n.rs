//! Translations of the public site (Fluent), compiled into the binary.

use std::collections::HashMap;
use std::sync::Arc;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource};
use leadhub_domain::Language;

const SOURCES: [(Language, &str); 4] = [
    (Language::En, include_str!("../locales/en/main.ftl")),
    (Language::Es, include_str!("../locales/es/main.ftl")),
    (Language::So, include_str!("../locales/so/main.ftl")),
    (Language::Hmn, include_str!("../locales/hmn/main.ftl")),
];

#[derive(Debug, thiserror::Error)]
pub enum I18nError {
    #[error("locale {lang}: Fluent syntax errors: {errors}")]
    Syntax { lang: &'static str, errors: String },
    #[error("locale {lang}: {message}")]
    Bundle { lang: &'static str, message: String },
}

/// Every language's messages.
pub struct I18n {
    bundles: HashMap<Language, FluentBundle<FluentResource>>,
}

impl std::fmt::Debug for I18n {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("I18n")
            .field("languages", &self.bundles.len())
            .finish()
    }
}

impl I18n {
    /// Parses the compiled-in locale files. Fails on any syntax error.
    pub fn load() -> Result<Self, I18nError> {
        let mut bundles = HashMap::new();
        for (lang, source) in SOURCES {
            let resource = FluentResource::try_new(source.to_owned()).map_err(|(_, errors)| {
                I18nError::Syntax {
                    lang: lang.tag(),
                    errors: errors
                        .iter()
                        .map(|e| e.to_string())
                        .collect::<Vec<_>>()
                        .join("; "),
                }
            })?;
            let langid =
                lang.tag()
                    .parse()
                    .map_err(
                        |e: unic_langid::LanguageIdentifierError| I18nError::Bundle {
                            lang: lang.tag(),
                            message: e.to_string(),
                        },
                    )?;
            let mut bundle = FluentBundle::new_concurrent(vec![langid]);
            // Isolation marks would show up as stray characters in form values and tests;
            // all our text runs in one direction per page.
            bundle.set_use_isolating(false);
            bundle
                .add_resource(resource)
                .map_err(|e| I18nError::Bundle {
                    lang: lang.tag(),
                    message: format!("{e:?}"),
                })?;
            bundles.insert(lang, bundle);
        }
        Ok(Self { bundles })
    }

    /// The message ids of one language, in file order.
    pub fn keys(lang: Language) -> Vec<String> {
        let source = SOURCES
            .iter()
            .find(|(l, _)| *l == lang)
            .map(|(_, s)| *s)
            .unwrap_or_default();
        source
            .lines()
            .filter(|l| !l.starts_with('#') && !l.starts_with(' ') && l.contains(" = "))
            .filter_map(|l| l.split(" = ").next().map(str::to_owned))
            .collect()
    }

    /// Whether `lang` itself (not the English fallback) has a message `key`.
    pub fn has(&self, lang: Language, key: &str) -> bool {
        self.bundles.get(&lang).is_some_and(|b| b.has_message(key))
    }

    pub fn message(&self, lang: Language, key: &str, args: Option<&FluentArgs>) -> String {
        let found = self
            .bundles
            .get(&lang)
            .and_then(|b| b.get_message(key).and_then(|m| m.value()).map(|p| (b, p)));
        match found {
            Some((bundle, pattern)) => {
                let mut errors = Vec::new();
                let text = bundle
                    .format_pattern(pattern, args, &mut errors)
                    .into_owned();
                if !errors.is_empty() {
                    tracing::warn!(key, lang = lang.tag(), "translation has formatting errors");
                }
                text
            }
            None if lang != Language::En => self.message(Language::En, key, args),
            None => {
                tracing::warn!(key, "missing translation key");
                key.to_owned()
            }
        }
    }
}

/// The translator for one request: `tr.t("key")` in templates.
#[derive(Debug, Clone)]
pub struct Tr {
    pub lang: Language,
    i18n: Arc<I18n>,
}

impl Tr {
    pub fn new(i18n: Arc<I18n>, lang: Language) -> Self {
        Self { lang, i18n }
    }

    pub fn t(&self, key: &str) -> String {
        self.i18n.message(self.lang, key, None)
    }

    /// A message with named arguments.
    pub fn with(&self, key: &str, args: &[(&str, String)]) -> String {
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            fluent_args.set(*name, value.clone());
        }
        self.i18n.message(self.lang, key, Some(&fluent_args))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_locale_has_exactly_the_english_keys() {
        let english = I18n::keys(Language::En);
        assert!(english.len() > 100);
        for lang in Language::ALL {
            let keys = I18n::keys(lang);
            let missing: Vec<_> = english.iter().filter(|k| !keys.contains(k)).collect();
            let extra: Vec<_> = keys.iter().filter(|k| !english.contains(k)).collect();
            assert!(missing.is_empty(), "{lang} lacks {missing:?}");
            assert!(
                extra.is_empty(),
                "{lang} has keys English does not: {extra:?}"
            );
        }
    }

    #[test]
    fn every_locale_parses_and_formats_every_key_with_its_arguments() {
        let i18n = Arc::new(I18n::load().unwrap());
        for lang in Language::ALL {
            let tr = Tr::new(i18n.clone(), lang);
            for key in I18n::keys(Language::En) {
                let args = [
                    ("phone", "612-208-7460".to_owned()),
                    ("due", "DUE".to_owned()),
                    ("max", "99".to_owned()),
                    ("minutes", "7".to_owned()),
                    ("weekday", "W".to_owned()),
                    ("month", "M".to_owned()),
                    ("day", "D".to_owned()),
                    ("time", "T".to_owned()),
                    ("hour", "H".to_owned()),
                    ("minute", "MI".to_owned()),
                    ("code", "C".to_owned()),
                    ("site", "S".to_owned()),
                    ("area", "A".to_owned()),
                    ("start", "2023-01-01".to_owned()),
                    ("date", "2024-03-25".to_owned()),
                    ("today", "2026-12-02".to_owned()),
                    ("days", "3".to_owned()),
                    ("source", "SRC".to_owned()),
                    ("version", "1".to_owned()),
                    ("quarter", "2024-Q1".to_owned()),
                ];
                assert!(i18n.has(lang, &key), "{lang}: {key} is missing");
                let text = tr.with(&key, &args);
                assert!(!text.trim().is_empty(), "{lang}: {key} is empty");
                assert!(
                    !text.contains("{$") && !text.contains("{ $"),
                    "{lang}: {key} has an unresolved placeable: {text}"
                );
            }
        }
    }

    #[test]
    fn placeables_survive_translation() {
        let i18n = Arc::new(I18n::load().unwrap());
        for lang in Language::ALL {
            let tr = Tr::new(i18n.clone(), lang);
            assert!(
                tr.with("refer-done-followup", &[("due", "ZZDUE".into())])
                    .contains("ZZDUE"),
                "{lang}"
            );
            assert!(
                tr.with("error-too-long", &[("max", "4242".into())])
                    .contains("4242"),
                "{lang}"
            );
            assert!(
                tr.with("reach-phone-body", &[("phone", "612-208-7460".into())])
                    .contains("612-208-7460"),
                "{lang}"
            );
        }
    }

    /// Keys named literally in a source text: arguments of `t(…)`, `with(…)`, `with_phone(…)`,
    /// and, in Rust, literals with a message-key prefix that are passed around before use.
    fn keys_named_in(text: &str) -> Vec<String> {
        let mut keys = Vec::new();
        let mut take = |rest: &str| {
            let key: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
                .collect();
            if rest[key.len()..].starts_with('"') && !key.is_empty() {
                keys.push(key);
            }
        };
        for call in [".t(\"", ".with(\"", "with_phone(\""] {
            for (i, _) in text.match_indices(call) {
                take(&text[i + call.len()..]);
            }
        }
        for prefix in [
            "\"error-",
            "\"check-result-",
            "\"refer-done-",
            "\"time-am",
            "\"time-pm",
            "\"form-has",
        ] {
            for (i, _) in text.match_indices(prefix) {
                take(&text[i + 1..]);
            }
        }
        keys
    }

    /// Every literal key used by templates and page code, and every key built from a code.
    #[test]
    fn every_key_the_pages_use_exists_in_english() {
        use leadhub_domain::referral::{AgeRange, ConcernKind, ReferrerType, TimeOfDay};
        let i18n = I18n::load().unwrap();
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/");
        let mut used = Vec::new();
        for dir in ["templates", "src", "src/pages"] {
            for entry in std::fs::read_dir(format!("{root}{dir}")).unwrap() {
                let path = entry.unwrap().path();
                if path.is_file() && !path.ends_with("i18n.rs") {
                    used.extend(keys_named_in(&std::fs::read_to_string(path).unwrap()));
                }
            }
        }
        let built = ReferrerType::ALL
            .iter()
            .map(|c| format!("referrer-{c}"))
            .chain(AgeRange::ALL.iter().map(|c| format!("age-{c}")))
            .chain(TimeOfDay::ALL.iter().map(|c| format!("time-{c}")))
            .chain(ConcernKind::ALL.iter().map(|c| format!("concern-{c}")))
            .chain(Language::ALL.iter().map(|l| format!("lang-{l}")))
            .chain((1..=7).map(|d| format!("weekday-{d}")))
            .chain((1..=12).map(|m| format!("month-{m}")))
            .chain(
                ["age", "place", "need", "yes", "no", "unsure"]
                    .iter()
                    .map(|q| format!("check-{q}")),
            );
        used.extend(built);
        assert!(
            used.len() > 150,
            "the scan found too few keys: {}",
            used.len()
        );
        let missing: Vec<_> = used.iter().filter(|k| !i18n.has(Language::En, k)).collect();
        assert!(
            missing.is_empty(),
            "keys used but not in en/main.ftl: {missing:?}"
        );
    }
}
