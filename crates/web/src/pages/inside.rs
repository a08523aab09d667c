//! Referrals made from inside: police social contacts and arrest diversions, provider
//! referrals and walk-ins, recorded by a signed-in member of staff.

use std::collections::BTreeMap;

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use leadhub_domain::access::{Action, allowed};
use leadhub_domain::calendar::{from_offset_date_time, to_offset_date_time};
use leadhub_domain::door::{INSIDE_DOORS, InsideReferralInput};
use leadhub_domain::language::Language;
use leadhub_domain::referral::{AgeRange, ReferralInput};
use serde::Deserialize;

use super::chrome::render;
use super::form::Choice;
use super::referrals::{display_code, door_label, field_message};
use super::staff::Frame;
use crate::auth::StaffUser;
use crate::forms::FormFields;
use crate::i18n::Tr;
use crate::{AppError, AppState};

#[derive(Template)]
#[template(path = "staff/referral_new.html")]
struct NewPage {
    frame: Frame,
    csrf: String,
    sent: String,
    doors: Vec<Choice>,
    charges: Vec<(String, String, bool)>,
    charge_other: String,
    handoff_at: String,
    person_name: String,
    ages: Vec<Choice>,
    features: String,
    places: Vec<Choice>,
    places_other: String,
    concern_text: String,
    safety_notes: String,
    errors: BTreeMap<&'static str, String>,
}

impl NewPage {
    fn error(&self, field: &str) -> String {
        self.errors.get(field).cloned().unwrap_or_default()
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct SentQuery {
    #[serde(default)]
    sent: String,
}

/// The site's wall clock now, as `<input type="datetime-local">` wants it.
fn local_now(state: &AppState) -> String {
    let now = from_offset_date_time(leadhub_store::now());
    now.to_zoned(state.site.calendar.time_zone().clone())
        .strftime("%Y-%m-%dT%H:%M")
        .to_string()
}

fn page(
    state: &AppState,
    site: &leadhub_domain::SiteProfile,
    user: &StaffUser,
    fields: &FormFields,
    errors: BTreeMap<&'static str, String>,
    sent: String,
) -> NewPage {
    let en = Tr::new(state.i18n.clone(), Language::En);
    let door = fields.get("door");
    let charge = fields.get("charge");
    let age = fields.get("age_range");
    let picked = fields.all("places");
    let handoff = fields.get("handoff_at");
    let mut frame = Frame::staff(state, user, "Make a referral", "/staff/referrals/new");
    if !errors.is_empty() {
        frame.error = "The referral was not saved: see below.".into();
    }
    NewPage {
        frame,
        csrf: user.csrf.clone(),
        sent,
        doors: INSIDE_DOORS
            .iter()
            .map(|d| Choice {
                value: d.code().into(),
                label: door_label(*d).into(),
                checked: d.code() == door,
                lang: "",
            })
            .collect(),
        charges: site
            .divertible_charges
            .iter()
            .map(|c| (c.key.clone(), c.label.clone(), c.key == charge))
            .chain(std::iter::once((
                "other".to_owned(),
                "Another charge (not on the divertible list)".to_owned(),
                charge == "other",
            )))
            .collect(),
        charge_other: fields.get("charge_other"),
        handoff_at: if handoff.is_empty() {
            local_now(state)
        } else {
            handoff
        },
        person_name: fields.get("person_name"),
        ages: AgeRange::ALL
            .iter()
            .map(|a| Choice {
                value: a.code().into(),
                label: en.t(&format!("age-{}", a.code())),
                checked: a.code() == age,
                lang: "",
            })
            .collect(),
        features: fields.get("features"),
        places: state
            .site
            .places
            .iter()
            .map(|p| Choice {
                value: p.key.clone(),
                label: p.name.clone(),
                checked: picked.contains(&p.key),
                lang: "",
            })
            .collect(),
        places_other: fields.get("places_other"),
        concern_text: fields.get("concern_text"),
        safety_notes: fields.get("safety_notes"),
        errors,
    }
}

pub async fn form(
    State(state): State<AppState>,
    user: StaffUser,
    Query(query): Query<SentQuery>,
) -> Result<Response, AppError> {
    let sent = query
        .sent
        .parse::<leadhub_domain::ReferenceCode>()
        .map(|c| c.to_string())
        .unwrap_or_default();
    let site = state.site_now().await?;
    let page = page(
        &state,
        &site,
        &user,
        &FormFields::default(),
        BTreeMap::new(),
        sent,
    );
    Ok(render(&page)?.into_response())
}

pub async fn submit(
    State(state): State<AppState>,
    user: StaffUser,
    body: Bytes,
) -> Result<Response, AppError> {
    let fields = FormFields::parse(&body);
    let input = InsideReferralInput {
        door: fields.get("door"),
        charge: fields.get("charge"),
        charge_other: fields.get("charge_other"),
        handoff_at: fields.get("handoff_at"),
        person: ReferralInput {
            person_name: fields.get("person_name"),
            age_range: fields.get("age_range"),
            features: fields.get("features"),
            places: fields.all("places"),
            places_other: fields.get("places_other"),
            concern_text: fields.get("concern_text"),
            safety_notes: fields.get("safety_notes"),
            ..Default::default()
        },
    };
    let now = leadhub_store::now();
    let site = state.site_now().await?;
    let inside = match input.parse(&site, &user.session.name, now) {
        Ok(inside) => inside,
        Err(errors) => {
            let errors = errors.iter().map(|(f, e)| (f, field_message(e))).collect();
            let page = page(&state, &site, &user, &fields, errors, String::new());
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response());
        }
    };
    let calendar = &state.site.calendar;
    let due = to_offset_date_time(calendar.due(
        from_offset_date_time(now),
        state.site.response_business_days,
    ));
    let received = state
        .db
        .submit_inside_referral(
            &inside,
            user.session.user_id,
            &user.session.actor(),
            &user.address,
            now,
            due,
        )
        .await?;
    // Those who work the queue go to the referral; a liaison, who may not, gets its code.
    let to = if allowed(user.session.role, Action::ReferralView).is_some() {
        format!("/staff/referrals/{}", received.id)
    } else {
        format!(
            "/staff/referrals/new?sent={}",
            display_code(received.code.as_str())
        )
    };
    Ok(Redirect::to(&to).into_response())
}
