//! What was typed into one of a page's forms, and what was wrong with it: a page with many
//! forms (the record, the plan, the directory) gives each a key, and only the form that
//! came back shows its typing and errors; every other form shows its defaults.

use std::collections::BTreeMap;

use axum::body::Bytes;
use leadhub_domain::FormErrors;
use serde::Deserialize;

use super::referrals::field_message;
use crate::forms::FormFields;

/// The typing of the form `form` ("" for none), e.g. the plan page's "goal-new", "goal-{id}",
/// "step-new-{goal}", "step-{id}", "referral-new", "answer-{id}", or the record's "note".
#[derive(Debug, Default)]
pub(super) struct Typed {
    pub form: String,
    pub fields: FormFields,
    pub errors: BTreeMap<&'static str, String>,
}

impl Typed {
    pub fn new(form: String, fields: FormFields, errors: &FormErrors) -> Self {
        Self {
            form,
            fields,
            errors: errors
                .iter()
                .map(|(field, e)| (field, field_message(e)))
                .collect(),
        }
    }

    pub fn is(&self, form: &str) -> bool {
        self.form == form
    }

    /// What was typed into `field` of `form`, or `default` when another form came back.
    pub fn value(&self, form: &str, field: &str, default: &str) -> String {
        if self.is(form) {
            self.fields.get(field)
        } else {
            default.to_owned()
        }
    }

    /// Every value typed into `field` of `form` (checkboxes), or none.
    pub fn values(&self, form: &str, field: &str) -> Vec<String> {
        if self.is(form) {
            self.fields.all(field)
        } else {
            Vec::new()
        }
    }

    /// Whether `option` is the choice shown for `field` of `form`.
    pub fn chosen(&self, form: &str, field: &str, default: &str, option: &str) -> bool {
        self.value(form, field, default) == option
    }

    pub fn error(&self, form: &str, field: &str) -> String {
        if self.is(form) {
            self.errors.get(field).cloned().unwrap_or_default()
        } else {
            String::new()
        }
    }
}

impl Typed {
    /// The page's error line: `error` when the page has its own (a conflict), else the
    /// pointer to the form that came back with errors, else none.
    pub fn page_error(&self, error: &str) -> String {
        if !error.is_empty() {
            error.to_owned()
        } else if !self.errors.is_empty() {
            "Not saved yet: see below.".into()
        } else {
            String::new()
        }
    }
}

/// `?saved=…`: what the form before the redirect saved, for the page's notice.
#[derive(Debug, Default, Deserialize)]
pub struct SavedQuery {
    #[serde(default)]
    pub saved: String,
}

/// A form of a many-form page as it came back: its key (only that form shows its typing
/// again) and its fields.
pub(super) struct Sent {
    pub key: String,
    pub fields: FormFields,
}

impl Sent {
    pub fn new(body: &Bytes, key: impl FnOnce(&FormFields) -> String) -> Self {
        let fields = FormFields::parse(body);
        Self {
            key: key(&fields),
            fields,
        }
    }

    /// The key of a form that names one of the page's records in `field`.
    pub fn naming(body: &Bytes, prefix: &str, field: &str) -> Self {
        Self::new(body, |fields| {
            format!("{prefix}{}", fields.get(field).trim())
        })
    }
}

/// (code, label) choices of a code list.
pub(super) fn choices<T: Copy>(
    all: &[T],
    code: fn(T) -> &'static str,
    label: fn(T) -> &'static str,
) -> Vec<(&'static str, &'static str)> {
    all.iter().map(|v| (code(*v), label(*v))).collect()
}
