//! Identity resolution in the product: the possible-matches panel (on the enrolment page
//! of a referral, updating as the case manager types), the review queue of likely
//! duplicate people, and merges of two participants' records with their undo.

use askama::Template;
use axum::body::Bytes;
use axum::extract::State;
use std::collections::BTreeMap;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use leadhub_domain::FormErrors;
use leadhub_domain::ids::{ParticipantId, PersonId};
use leadhub_domain::person::SearchInput;
use leadhub_domain::referral::AgeRange;
use leadhub_store::{DuplicatePair, Lookup, MergeLine, MergeRefusal, Offered, PersonMatch, Why};

use super::chrome::render;
use super::staff::{Frame, moment};
use crate::auth::StaffUser;
use crate::forms::FormFields;
use crate::{AppError, AppState};

/// Possible matches on the enrolment page and the find page: at most 8, none under 1%
/// likely (below that a known person is not offered at all).
pub const OFFERED: Offered = Offered {
    at_most: 8,
    from_probability: 0.01,
};
/// Longest reason accepted for a merge.
const MAX_REASON: usize = 500;

/// One field's part in a match, as the page shows it.
pub struct WhyView {
    pub field: &'static str,
    pub label: &'static str,
    /// "+5.1" or "−2.3": bits of evidence.
    pub weight: String,
    /// "for", "against" or "neutral", for the reader and the style.
    pub direction: &'static str,
    /// Whether the value's being common or rare here moved the weight by a bit or more.
    pub note: &'static str,
}

/// A possible match as the page shows it.
pub struct MatchView {
    pub person: String,
    pub name: String,
    pub aliases: String,
    pub birth_year: String,
    /// "83%".
    pub likely: String,
    pub why: Vec<WhyView>,
    pub participant: Option<ParticipantId>,
}

fn weight_text(weight: f64) -> (String, &'static str) {
    if weight.abs() < 0.05 {
        ("0".into(), "neutral")
    } else if weight > 0.0 {
        (format!("+{weight:.1}"), "for")
    } else {
        (format!("−{:.1}", -weight), "against")
    }
}

/// "83%", "under 1%" or "over 99%": a probability as a case manager reads it.
pub(super) fn likely_text(p: f64) -> String {
    if p < 0.01 {
        "under 1%".into()
    } else if p > 0.99 {
        "over 99%".into()
    } else {
        format!("{:.0}%", p * 100.0)
    }
}

fn why_view(w: Why) -> WhyView {
    let (weight, direction) = weight_text(w.weight);
    WhyView {
        field: w.field,
        label: w.label,
        weight,
        direction,
        note: frequency_note(w.frequency),
    }
}

/// What a case manager reads of the frequency part of a field's weight, if it is a bit or
/// more: a shared clan name is weaker evidence than a rare name.
fn frequency_note(bits: f64) -> &'static str {
    if bits <= -1.0 {
        "common here, so it counts for less"
    } else if bits >= 1.0 {
        "rare here, so it counts for more"
    } else {
        ""
    }
}

pub fn match_view(m: PersonMatch) -> MatchView {
    MatchView {
        person: m.person_id.to_string(),
        name: m.name,
        aliases: m.aliases.unwrap_or_default(),
        birth_year: m.birth_year.map(|y| y.to_string()).unwrap_or_default(),
        likely: likely_text(m.probability),
        why: m.why.into_iter().map(why_view).collect(),
        participant: m.participant_id,
    }
}

/// Possible matches for what a referral says, with `name` as typed (or the referral's).
pub async fn possible_matches(
    state: &AppState,
    user: &StaffUser,
    lookup: &Lookup,
) -> Result<Vec<MatchView>, AppError> {
    let now = leadhub_store::now();
    let found = state
        .db
        .possible_matches(lookup, OFFERED, &user.session.actor(), &user.address, now)
        .await?;
    Ok(found.into_iter().map(match_view).collect())
}

/// The panel alone, for the page's script to swap in as the case manager types.
#[derive(Template)]
#[template(path = "staff/matches.html")]
pub struct MatchesFragment {
    pub id: String,
    pub csrf: String,
    pub version: i64,
    pub query: String,
    pub candidates: Vec<MatchView>,
}

#[derive(Template)]
#[template(path = "staff/find.html")]
struct FindPage {
    frame: Frame,
    csrf: String,
    input: SearchInput,
    errors: BTreeMap<&'static str, String>,
    ages: Vec<(String, String)>,
    places: Vec<(String, String)>,
    /// None before a search.
    found: Option<Vec<MatchView>>,
}

impl FindPage {
    fn error(&self, field: &str) -> String {
        self.errors.get(field).cloned().unwrap_or_default()
    }
}

fn find_page(
    state: &AppState,
    user: &StaffUser,
    input: SearchInput,
    errors: &FormErrors,
    found: Option<Vec<MatchView>>,
) -> FindPage {
    let en = crate::Tr::new(state.i18n.clone(), leadhub_domain::Language::En);
    let mut frame = Frame::staff(state, user, "Find a person", "/staff/people/find");
    if !errors.is_empty() {
        frame.error = "Nothing to look for yet: see below.".into();
    }
    FindPage {
        frame,
        csrf: user.csrf.clone(),
        input,
        errors: errors
            .iter()
            .map(|(field, e)| (field, super::referrals::field_message(e)))
            .collect(),
        ages: AgeRange::ALL
            .iter()
            .filter(|a| **a != AgeRange::Unknown)
            .map(|a| (a.code().to_owned(), en.t(&format!("age-{}", a.code()))))
            .collect(),
        places: state
            .site
            .places
            .iter()
            .map(|p| (p.key.clone(), p.name.clone()))
            .collect(),
        found,
    }
}

/// GET /staff/people/find: the search form.
pub async fn find_form(
    State(state): State<AppState>,
    user: StaffUser,
) -> Result<Response, AppError> {
    let page = find_page(
        &state,
        &user,
        SearchInput::default(),
        &FormErrors::default(),
        None,
    );
    Ok(render(&page)?.into_response())
}

/// POST /staff/people/find: everyone known who may be the person, with why. A POST, so the
/// names looked for stay out of the browser's history and of any address bar.
pub async fn find(
    State(state): State<AppState>,
    user: StaffUser,
    body: Bytes,
) -> Result<Response, AppError> {
    let fields = FormFields::parse(&body);
    let input = SearchInput {
        name: fields.get("name"),
        birth_year: fields.get("birth_year"),
        age_range: fields.get("age_range"),
        place: fields.get("place"),
    };
    let keys: Vec<String> = state.site.places.iter().map(|p| p.key.clone()).collect();
    let this_year = state.site.calendar.day_of(leadhub_store::now()).year();
    let search = match input.parse(i32::from(this_year), &keys) {
        Ok(search) => search,
        Err(errors) => {
            let page = find_page(&state, &user, input, &errors, None);
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response());
        }
    };
    let born = match (search.birth_year, search.age_range) {
        (Some(year), _) => u16::try_from(year.get()).ok().map(|y| (y, y)),
        (None, Some(range)) => range.birth_years(this_year),
        (None, None) => None,
    };
    let lookup = Lookup {
        name: search.name,
        born,
        sex: String::new(),
        looks: String::new(),
        places: search.place.into_iter().collect(),
    };
    let found = possible_matches(&state, &user, &lookup).await?;
    let page = find_page(&state, &user, input, &FormErrors::default(), Some(found));
    Ok(render(&page)?.into_response())
}

struct PairView {
    a: MatchView,
    b: MatchView,
    why: Vec<WhyView>,
    likely: String,
    found: String,
    /// Both are enrolled, so either record can absorb the other.
    mergeable: bool,
}

struct MergeView {
    id: String,
    survivor: String,
    survivor_name: String,
    reason: String,
    when: String,
    undone: String,
}

#[derive(Template)]
#[template(path = "staff/duplicates.html")]
struct DuplicatesPage {
    frame: Frame,
    csrf: String,
    pairs: Vec<PairView>,
    merges: Vec<MergeView>,
    error: String,
}

/// How many pairs and merges the page lists.
const LISTED: usize = 50;

fn pair_view(state: &AppState, pair: DuplicatePair) -> PairView {
    let mergeable = pair.a.participant_id.is_some() && pair.b.participant_id.is_some();
    PairView {
        likely: likely_text(pair.probability),
        found: moment(state, pair.found_at),
        why: pair.why.into_iter().map(why_view).collect(),
        a: match_view(pair.a),
        b: match_view(pair.b),
        mergeable,
    }
}

fn merge_view(state: &AppState, line: MergeLine) -> MergeView {
    MergeView {
        id: line.id,
        survivor: line.survivor.to_string(),
        survivor_name: line.survivor_name,
        reason: line.reason,
        when: moment(state, line.merged_at),
        undone: line
            .undone_at
            .map(|at| moment(state, at))
            .unwrap_or_default(),
    }
}

async fn duplicates_page(
    state: &AppState,
    user: &StaffUser,
    error: String,
) -> Result<Response, AppError> {
    let now = leadhub_store::now();
    let actor = user.session.actor();
    let pairs = state
        .db
        .duplicate_queue(LISTED, &actor, &user.address, now)
        .await?
        .into_iter()
        .map(|p| pair_view(state, p))
        .collect();
    let merges = state
        .db
        .recent_merges(LISTED)
        .await?
        .into_iter()
        .map(|m| merge_view(state, m))
        .collect();
    let mut frame = Frame::staff(
        state,
        user,
        "Possible duplicates",
        "/staff/people/duplicates",
    );
    if !error.is_empty() {
        frame.error = "Nothing was changed: see below.".into();
    }
    let page = DuplicatesPage {
        frame,
        csrf: user.csrf.clone(),
        pairs,
        merges,
        error,
    };
    let status = if page.error.is_empty() {
        axum::http::StatusCode::OK
    } else {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((status, render(&page)?).into_response())
}

/// GET /staff/people/duplicates: pairs of people likely to be one, and recent merges.
pub async fn duplicates(
    State(state): State<AppState>,
    user: StaffUser,
) -> Result<Response, AppError> {
    duplicates_page(&state, &user, String::new()).await
}

fn participant(fields: &FormFields, name: &str) -> Result<ParticipantId, AppError> {
    fields.get(name).parse().map_err(|_| AppError::BadRequest)
}

/// POST /staff/people/merge: of the `pair`, the record not chosen as `survivor` becomes
/// part of the one chosen.
pub async fn merge(
    State(state): State<AppState>,
    user: StaffUser,
    body: Bytes,
) -> Result<Response, AppError> {
    let fields = FormFields::parse(&body);
    let survivor = participant(&fields, "survivor")?;
    let pair = fields.get("pair");
    let mut pair = pair.split(' ').map(str::parse::<ParticipantId>);
    let (Some(Ok(first)), Some(Ok(second)), None) = (pair.next(), pair.next(), pair.next()) else {
        return Err(AppError::BadRequest);
    };
    let absorbed = match survivor {
        s if s == first => second,
        s if s == second => first,
        _ => return Err(AppError::BadRequest),
    };
    let reason = fields.get("reason");
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > MAX_REASON {
        let words = format!(
            "Say why these are one person (at most {MAX_REASON} characters): the reason stays with the merge."
        );
        return duplicates_page(&state, &user, words).await;
    }
    let now = leadhub_store::now();
    let result = state
        .db
        .merge_participants(survivor, absorbed, reason, &user.session.actor(), now)
        .await?;
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/staff/participants/{survivor}")).into_response()),
        Err(refusal) => duplicates_page(&state, &user, refusal_words(refusal).into()).await,
    }
}

/// POST /staff/people/different: the pair is two people; it leaves the queue.
pub async fn different(
    State(state): State<AppState>,
    user: StaffUser,
    body: Bytes,
) -> Result<Response, AppError> {
    let fields = FormFields::parse(&body);
    let (Ok(a), Ok(b)) = (
        fields.get("a").parse::<PersonId>(),
        fields.get("b").parse::<PersonId>(),
    ) else {
        return Err(AppError::BadRequest);
    };
    state
        .db
        .mark_different(a, b, &user.session.actor(), leadhub_store::now())
        .await?;
    Ok(Redirect::to("/staff/people/duplicates").into_response())
}

/// POST /staff/people/unmerge: the merge is undone; both records are as they were.
pub async fn unmerge(
    State(state): State<AppState>,
    user: StaffUser,
    body: Bytes,
) -> Result<Response, AppError> {
    let fields = FormFields::parse(&body);
    let merge = fields.get("merge");
    if merge.is_empty() || merge.len() > 64 {
        return Err(AppError::BadRequest);
    }
    let result = state
        .db
        .unmerge(&merge, &user.session.actor(), leadhub_store::now())
        .await?;
    match result {
        Ok(_) => Ok(Redirect::to("/staff/people/duplicates").into_response()),
        Err(refusal) => duplicates_page(&state, &user, refusal_words(refusal).into()).await,
    }
}

fn refusal_words(refusal: MergeRefusal) -> &'static str {
    match refusal {
        MergeRefusal::NoSuchParticipant => {
            "One of the two is no longer a participant (perhaps already merged); nothing was changed."
        }
        MergeRefusal::Same => "A record cannot be merged with itself.",
        MergeRefusal::NoSuchMerge => "That merge was already undone, or never was.",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_and_probabilities_read_plainly() {
        assert_eq!(weight_text(5.12), ("+5.1".into(), "for"));
        assert_eq!(weight_text(-2.34), ("−2.3".into(), "against"));
        assert_eq!(weight_text(0.01), ("0".into(), "neutral"));
        assert_eq!(likely_text(0.834), "83%");
        assert_eq!(likely_text(0.0001), "under 1%");
        assert_eq!(likely_text(0.9999), "over 99%");
    }
}
