//! Synthetic demo data: a believable first year of a LEAD site, or a large data set for
//! benchmarks (`leadhub demo --people 100000 --contacts 1000000`).
//!
//! Every name, description and event here is invented. Rows are written in batches of
//! multi-row INSERTs, so a million contacts take seconds and memory stays flat. The whole run
//! is one transaction, with its audit entry: an interrupted run leaves nothing behind.

use leadhub_domain::BusinessCalendar;
use leadhub_domain::ReferenceCode;
use leadhub_domain::calendar::{from_offset_date_time, to_offset_date_time};
use leadhub_domain::participant::{ContactKind, Service};
use leadhub_domain::plan::{GoalDomain, GoalStatus, StepOwner, StepStatus};
use leadhub_domain::referral::{
    AgeRange, ConcernKind, Door, ReferralState, ReferrerType, TimeOfDay,
};
use leadhub_domain::results::{RaceAnswer, RaceEthnicity};
use leadhub_domain::snapshot::Month;
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use crate::audit::{Actor, Entry};
use crate::{Db, Result, Tx, json_list, on_tx};

/// How much to seed, and over which stretch of time.
#[derive(Debug, Clone)]
pub struct DemoSpec {
    pub seed: u64,
    /// When the history begins; none means a year before now.
    pub start: Option<OffsetDateTime>,
    /// Consecutive stretches of history, each with exactly its own counts.
    pub periods: Vec<DemoPeriod>,
}

/// One stretch of demo history: everything counted here happens inside it.
#[derive(Debug, Clone)]
pub struct DemoPeriod {
    /// When the stretch ends (exclusive); none means now.
    pub until: Option<OffsetDateTime>,
    /// People first referred in the stretch (one referral each).
    pub people: usize,
    /// Of them, how many are enrolled in the stretch.
    pub participants: usize,
    /// Further referrals of those participants, linked to them, in the stretch.
    pub re_referrals: usize,
    /// Client contacts in the stretch, with anyone enrolled by then.
    pub contacts: usize,
}

/// The day LEAD Minneapolis' published figures were counted to, and the figures.
pub const FIRST_SITE_AS_OF: jiff::civil::Date = jiff::civil::date(2024, 3, 25);
pub const FIRST_SITE_REFERRALS: usize = 106;
pub const FIRST_SITE_ENROLLED: usize = 60;
pub const FIRST_SITE_CONTACTS: usize = 606;

impl DemoSpec {
    /// `people` referred over the year before now: two in three enrolled, one in five of those
    /// referred again, and `contacts` spread over everyone enrolled (the benchmark data set).
    pub fn sized(people: usize, contacts: usize, seed: u64) -> Self {
        let participants = people * 2 / 3;
        Self {
            seed,
            start: None,
            periods: vec![DemoPeriod {
                until: None,
                people,
                participants,
                re_referrals: participants / 5,
                contacts,
            }],
        }
    }

    /// The first site as it published itself: from `program_start` to the end of
    /// [`FIRST_SITE_AS_OF`], exactly 106 referrals, 60 enrolled clients and 606 client
    /// contacts; then on to now at about the same pace.
    pub fn first_site(calendar: &BusinessCalendar, program_start: jiff::civil::Date) -> Self {
        let published_end = FIRST_SITE_AS_OF.tomorrow().unwrap_or(FIRST_SITE_AS_OF);
        Self {
            seed: 2022,
            start: Some(calendar.start_of(program_start)),
            periods: vec![
                DemoPeriod {
                    until: Some(calendar.start_of(published_end)),
                    people: 90,
                    participants: FIRST_SITE_ENROLLED,
                    re_referrals: FIRST_SITE_REFERRALS - 90,
                    contacts: FIRST_SITE_CONTACTS,
                },
                DemoPeriod {
                    until: None,
                    people: 190,
                    participants: 125,
                    re_referrals: 30,
                    contacts: 2_400,
                },
            ],
        }
    }
}

/// What was written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DemoSummary {
    pub people: usize,
    pub referrals: usize,
    pub participants: usize,
    pub contacts: usize,
    pub snapshots: usize,
}

/// A value bound into a batched INSERT; lets one batch writer serve every table on both backends.
#[derive(Debug, Clone)]
enum Value {
    Text(Option<String>),
    Int(i64),
    Bool(bool),
    Time(OffsetDateTime),
    MaybeTime(Option<OffsetDateTime>),
}

fn text(s: impl Into<String>) -> Value {
    Value::Text(Some(s.into()))
}

fn maybe(s: Option<impl Into<String>>) -> Value {
    Value::Text(s.map(Into::into))
}

/// Rows per INSERT: stays under SQLite's 32,766 bound parameters for the widest table.
const BATCH_ROWS: usize = 1_000;

const GIVEN: &[&str] = &[
    "Abdi",
    "Hodan",
    "Mohamed",
    "Faadumo",
    "Ayaan",
    "Ahmed",
    "Hassan",
    "Ifrah",
    "Yusuf",
    "Sahra",
    "José",
    "María",
    "Guadalupe",
    "Luis",
    "Rosa",
    "Miguel",
    "Carmen",
    "Alejandro",
    "Pa Nhia",
    "Tou",
    "Mai",
    "Chue",
    "Kou",
    "Yer",
    "Xee",
    "Nou",
    "Darnell",
    "Keisha",
    "Marcus",
    "Tanya",
    "DeShawn",
    "Latoya",
    "Winona",
    "Dale",
    "Raymond",
    "Charlene",
    "Erik",
    "Jennifer",
    "Kyle",
    "Amanda",
    "Terrence",
    "Shanice",
    "Ricardo",
    "Lupe",
    "Bao",
    "Fue",
];
const FAMILY: &[&str] = &[
    "Warsame",
    "Farah",
    "Mohamud",
    "Hussein",
    "Ali",
    "Jama",
    "Abdullahi",
    "Osman",
    "García",
    "Hernández",
    "López",
    "Martínez",
    "Ramírez",
    "Flores",
    "Morales",
    "Cruz",
    "Vang",
    "Xiong",
    "Yang",
    "Lee",
    "Thao",
    "Her",
    "Moua",
    "Lor",
    "Johnson",
    "Washington",
    "Jackson",
    "Brown",
    "Jourdain",
    "Kingbird",
    "Stately",
    "Graves",
    "Olson",
    "Anderson",
    "Peterson",
    "Nguyen",
    "Williams",
    "Robinson",
];
const NICKNAMES: &[&str] = &[
    "Red", "Smiley", "Big Mike", "Tiny", "Doc", "Sunshine", "Preacher", "Lucky", "Junior", "Mama T",
];
const GENDERS: &[&str] = &[
    "man",
    "woman",
    "man",
    "woman",
    "man",
    "transgender woman",
    "nonbinary",
];
const BUILDS: &[&str] = &[
    "tall and thin",
    "short, stocky",
    "medium height",
    "very tall, heavy set",
    "slight build",
];
const HAIR: &[&str] = &[
    "grey beard",
    "long black braids",
    "shaved head",
    "curly brown hair",
    "dreadlocks",
    "bald, white stubble",
];
const FEATURES: &[&str] = &[
    "green army jacket",
    "red backpack",
    "walks with a cane",
    "tattoo on left hand",
    "usually with a bicycle",
    "pushes a shopping cart",
    "wears a Twins cap",
    "hijab and long coat",
    "carries a radio",
    "limps slightly",
];
const TIMES_OTHER: &[&str] = &[
    "most weekday mornings",
    "weekends",
    "around 3 PM",
    "after the shelter closes",
    "early, before stores open",
];

impl Db {
    /// Whether the database holds no referrals and no people yet (demo data goes only there).
    pub async fn is_empty(&self) -> Result<bool> {
        let count: i64 = crate::on_pool!(self, pool => sqlx::query_scalar(
            "SELECT (SELECT COUNT(*) FROM referrals) + (SELECT COUNT(*) FROM people)",
        )
        .fetch_one(pool)
        .await?);
        Ok(count == 0)
    }

    /// Seeds synthetic data as `spec` describes, up to `now`, with due times from `calendar`
    /// and places from `place_keys`.
    pub async fn seed_demo(
        &self,
        spec: &DemoSpec,
        calendar: &BusinessCalendar,
        place_keys: &[String],
        now: OffsetDateTime,
    ) -> Result<DemoSummary> {
        let mut rng = StdRng::seed_from_u64(spec.seed);
        // Legal matters draw from their own stream, so adding them changed nothing else the
        // demo writes.
        let mut legal_rng = StdRng::seed_from_u64(spec.seed ^ 0x1e9a_1ca5e);
        let mut writer = BatchWriter::new(self);
        let mut summary = DemoSummary::default();
        let mut enrolled: Vec<Enrolled> = Vec::new();
        let mut from = spec.start.unwrap_or(now - Duration::days(365));
        for period in &spec.periods {
            let until = period.until.unwrap_or(now).min(now);
            let first_new = enrolled.len();
            for i in 0..period.people {
                let is_participant = i < period.participants;
                let person = seed_person(
                    &mut writer,
                    &mut rng,
                    calendar,
                    place_keys,
                    (from, until),
                    is_participant,
                    now,
                )
                .await?;
                summary.people += 1;
                summary.referrals += 1;
                if let Some(p) = person {
                    demo_plan(&mut writer, &mut rng, &p.participant_id, p.enrolled_at).await?;
                    demo_legal(
                        &mut writer,
                        &mut legal_rng,
                        &p.participant_id,
                        p.enrolled_at,
                        now,
                    )
                    .await?;
                    summary.snapshots +=
                        demo_snapshots(&mut writer, &mut rng, calendar, &p, now).await?;
                    enrolled.push(p);
                    summary.participants += 1;
                }
            }
            // Tables are written in dependency order: people and referrals before participants.
            writer.flush_all().await?;
            let newly_enrolled = enrolled.get(first_new..).unwrap_or_default();
            for _ in 0..period.re_referrals {
                let Some(p) = newly_enrolled.choose(&mut rng) else {
                    break;
                };
                let span = (until - p.referred_at).whole_seconds().max(2);
                let again = p.referred_at + Duration::seconds(rng.random_range(1..span));
                let due = to_offset_date_time(calendar.due(from_offset_date_time(again), 1));
                let id = Uuid::now_v7().to_string();
                let mut row = referral_row(
                    &mut rng,
                    &id,
                    &p.person,
                    again,
                    due,
                    ReferralState::Linked,
                    place_keys,
                );
                row.push(text(&p.participant_id));
                writer.add(Table::LinkedReferrals, row).await?;
                summary.referrals += 1;
            }
            let reachable: Vec<&Enrolled> =
                enrolled.iter().filter(|p| p.enrolled_at < until).collect();
            if !reachable.is_empty() {
                for _ in 0..period.contacts {
                    let Some(p) = reachable.choose(&mut rng) else {
                        break;
                    };
                    let since = p.enrolled_at.max(from);
                    let span = (until - since).whole_seconds().max(1);
                    let at = since + Duration::seconds(rng.random_range(0..span));
                    writer
                        .add(
                            Table::Contacts,
                            contact_row(&mut rng, &p.participant_id, at, place_keys),
                        )
                        .await?;
                    summary.contacts += 1;
                }
            }
            from = until;
        }
        writer.flush_all().await?;
        writer
            .execute(
                "UPDATE participants SET last_seen_at = COALESCE((SELECT MAX(c.at) FROM contacts c \
                 WHERE c.participant_id = participants.id), enrolled_at)",
            )
            .await?;
        // An enrolment names its participant on the referral, as enrolling does.
        writer
            .execute(
                "UPDATE referrals SET participant_id = (SELECT p.id FROM participants p \
                 WHERE p.referral_id = referrals.id) WHERE state = 'enrolled' AND participant_id IS NULL",
            )
            .await?;
        let entry = Entry {
            actor: &Actor::System,
            action: "demo.seed",
            record_type: "database",
            record_id: None,
            outcome: "ok",
            at: crate::now(),
            address: None,
            subject: None,
        };
        writer.commit_with(entry).await?;
        // The demo's people become findable; for a site-sized demo, its likely duplicates
        // wait in the review queue as a real site's would (a large one would take minutes).
        self.index_people(summary.people <= 5_000, now).await?;
        Ok(summary)
    }
}

/// A demo participant, as later rows need it.
#[derive(Clone)]
struct Enrolled {
    participant_id: String,
    person: Person,
    referred_at: OffsetDateTime,
    enrolled_at: OffsetDateTime,
}

/// One person and their first referral inside `window`; a participant is enrolled 1 to 21
/// days later, still inside it.
async fn seed_person(
    writer: &mut BatchWriter<'_>,
    rng: &mut StdRng,
    calendar: &BusinessCalendar,
    place_keys: &[String],
    (from, until): (OffsetDateTime, OffsetDateTime),
    is_participant: bool,
    now: OffsetDateTime,
) -> Result<Option<Enrolled>> {
    let person_id = Uuid::now_v7().to_string();
    let window = (until - from).whole_seconds().max(2);
    // Leave a participant room to be enrolled before the window ends.
    let room = if is_participant {
        (window - 22 * 86_400).max(window / 2)
    } else {
        window
    };
    let referred_at = from + Duration::seconds(rng.random_range(0..room.max(1)));
    let person = Person::random(rng, place_keys);
    writer
        .add(Table::People, person.row(&person_id, referred_at))
        .await?;
    let referral_id = Uuid::now_v7().to_string();
    let state = if is_participant {
        ReferralState::Enrolled
    } else {
        random_open_or_closed(rng, referred_at, now)
    };
    let due = to_offset_date_time(calendar.due(from_offset_date_time(referred_at), 1));
    writer
        .add(
            Table::Referrals,
            referral_row(
                rng,
                &referral_id,
                &person,
                referred_at,
                due,
                state,
                place_keys,
            ),
        )
        .await?;
    if !is_participant {
        return Ok(None);
    }
    let participant_id = Uuid::now_v7().to_string();
    let latest = (until - referred_at).whole_seconds() - 1;
    let after = rng.random_range(86_400..=21 * 86_400).min(latest.max(1));
    let enrolled_at = crate::truncate_to_micros(referred_at + Duration::seconds(after));
    writer
        .add(
            Table::Participants,
            vec![
                text(&participant_id),
                text(&person_id),
                text(&referral_id),
                Value::Time(enrolled_at),
                // Moved to the latest contact once contacts are written.
                Value::Time(enrolled_at),
            ],
        )
        .await?;
    Ok(Some(Enrolled {
        participant_id,
        person,
        referred_at,
        enrolled_at,
    }))
}

fn contact_row(
    rng: &mut StdRng,
    participant_id: &str,
    at: OffsetDateTime,
    place_keys: &[String],
) -> Vec<Value> {
    let place = if rng.random_ratio(3, 4) {
        place_keys.choose(rng).cloned()
    } else {
        None
    };
    vec![
        text(Uuid::now_v7().to_string()),
        text(participant_id),
        Value::Time(crate::truncate_to_micros(at)),
        text(
            ContactKind::ALL
                .choose(rng)
                .unwrap_or(&ContactKind::StreetOutreach)
                .code(),
        ),
        maybe(place),
        Value::Int(*[5, 10, 15, 20, 30, 45, 60, 90].choose(rng).unwrap_or(&15)),
        text(random_services(rng)),
    ]
}

/// Where demo participants start out living, as HUD codes: outside, shelter, a friend's
/// couch, jail, and a few in a rented room they are about to lose.
const STARTING_LIVING: [&str; 9] = [
    "116", "116", "116", "101", "101", "101", "336", "207", "410",
];
/// Where some of them move: renting with or without a subsidy, a residential program.
const LATER_LIVING: [&str; 3] = ["435", "435", "410"];

/// A status for the month before referral (the baseline) and then for about one month in
/// three up to now: some people find housing, work or benefits over time, as in the
/// evaluations; some answers stay unknown. Returns how many were written.
async fn demo_snapshots(
    writer: &mut BatchWriter<'_>,
    rng: &mut StdRng,
    calendar: &BusinessCalendar,
    p: &Enrolled,
    now: OffsetDateTime,
) -> Result<usize> {
    let last = Month::of(calendar.day_of(now));
    let mut month = Month::of(calendar.day_of(p.referred_at)).previous();
    let mut living = pick(rng, &STARTING_LIVING);
    // A few have day labour when they are referred.
    let mut employment = pick(
        rng,
        &[
            "not_working",
            "looking",
            "unable",
            "not_working",
            "looking",
            "unable",
            "informal",
        ],
    );
    let mut income = pick(rng, &["none", "none", "snap", "ga"]);
    let mut written = 0;
    let mut first = true;
    while month.months_until(last) >= 0 {
        if first || rng.random_ratio(1, 3) {
            if !first {
                if rng.random_ratio(1, 6) {
                    living = pick(rng, &LATER_LIVING);
                }
                if rng.random_ratio(1, 10) {
                    employment = pick(rng, &["informal", "part_time", "training"]);
                }
                if rng.random_ratio(1, 6) {
                    income = pick(rng, &["snap ssi", "ssi", "earned snap", "ga snap"]);
                }
            }
            let recorded_at = if first {
                p.enrolled_at
            } else {
                calendar.start_of(month.first_day()) + Duration::days(rng.random_range(0..28))
            };
            if recorded_at > now {
                break;
            }
            let unknown = rng.random_ratio(1, 12);
            writer
                .add(
                    Table::Snapshots,
                    vec![
                        text(Uuid::now_v7().to_string()),
                        text(&p.participant_id),
                        text(month.to_string()),
                        text(if unknown { "not_asked" } else { living }),
                        text(employment),
                        text(income),
                        text("medicaid"),
                        Value::Time(crate::truncate_to_micros(recorded_at)),
                    ],
                )
                .await?;
            written += 1;
            first = false;
        }
        month = month.next();
    }
    Ok(written)
}

/// A synthetic person.
#[derive(Clone)]
struct Person {
    given: String,
    family: String,
    nickname: Option<&'static str>,
    birth_year: i64,
    gender: &'static str,
    build: &'static str,
    hair: &'static str,
    feature: &'static str,
    place: Option<String>,
    race: RaceAnswer,
}

/// What a demo contact gave: nothing most of the time, one or two services otherwise.
/// Goals as participants put them (invented), with a first step towards each.
const DEMO_GOALS: [(GoalDomain, &str, &str); 6] = [
    (
        GoalDomain::Housing,
        "A room with a door that locks",
        "Fill in the coordinated entry assessment",
    ),
    (
        GoalDomain::Documents,
        "Get my state ID back",
        "Order the birth certificate",
    ),
    (
        GoalDomain::IncomeBenefits,
        "Get my SSI back",
        "Find the denial letter",
    ),
    (
        GoalDomain::Legal,
        "Deal with the old warrant",
        "Ask the liaison about the court date",
    ),
    (
        GoalDomain::Health,
        "Get my feet looked at",
        "Walk-in clinic on Thursday",
    ),
    (
        GoalDomain::SubstanceUse,
        "Use less, on my own terms",
        "Talk about what helped last time",
    ),
];

/// Up to two goals for two participants in three, each with its first step, written as
/// the plan use cases write them (version 1, with its history row).
async fn demo_plan(
    writer: &mut BatchWriter<'_>,
    rng: &mut StdRng,
    participant_id: &str,
    enrolled_at: OffsetDateTime,
) -> Result<()> {
    if !rng.random_ratio(2, 3) {
        return Ok(());
    }
    let at = crate::truncate_to_micros(enrolled_at);
    let count = rng.random_range(1..=2);
    for (domain, words, first_step) in DEMO_GOALS.choose_multiple(rng, count) {
        let (goal_id, step_id) = (Uuid::now_v7().to_string(), Uuid::now_v7().to_string());
        let (working, to_do) = (GoalStatus::Working.code(), StepStatus::ToDo.code());
        writer
            .add(
                Table::Goals,
                vec![
                    text(&goal_id),
                    text(participant_id),
                    text(domain.code()),
                    text(*words),
                    text(working),
                    Value::Int(1),
                    Value::Time(at),
                    Value::Time(at),
                ],
            )
            .await?;
        let together = StepOwner::Together.code();
        writer
            .add(
                Table::Steps,
                vec![
                    text(&step_id),
                    text(&goal_id),
                    text(*first_step),
                    text(together),
                    maybe(None::<String>),
                    text(to_do),
                    Value::Int(1),
                    Value::Time(at),
                    Value::Time(at),
                ],
            )
            .await?;
        let label = domain.sensitivity().code();
        for (step, domain, words, status, owner) in [
            (None, Some(domain.code()), *words, working, None),
            (
                Some(step_id.as_str()),
                None,
                *first_step,
                to_do,
                Some(together),
            ),
        ] {
            writer
                .add(
                    Table::PlanHistory,
                    vec![
                        text(Uuid::now_v7().to_string()),
                        text(label),
                        text(&goal_id),
                        maybe(step),
                        Value::Int(1),
                        maybe(domain),
                        text(words),
                        text(status),
                        maybe(owner),
                        maybe(None::<String>),
                        Value::Time(at),
                        maybe(None::<String>),
                    ],
                )
                .await?;
        }
    }
    Ok(())
}

/// Demo charges: (key on the Minneapolis divertible list, or none; words; level).
const DEMO_CHARGES: [(Option<&str>, &str, &str); 6] = [
    (Some("trespass"), "Trespass", "misdemeanor"),
    (
        Some("theft-misdemeanor"),
        "Theft, misdemeanour",
        "misdemeanor",
    ),
    (
        Some("drug-possession-small"),
        "Possession of a small amount of a controlled substance",
        "gross_misdemeanor",
    ),
    (None, "Assault in the fifth degree", "misdemeanor"),
    (None, "Violation of a no-contact order", "gross_misdemeanor"),
    (None, "Theft over $1,000", "felony"),
];

/// A legal matter for about one participant in five: one or two charges, and for an open
/// matter a court date in the coming weeks (15:00 UTC: mid-morning in Minneapolis) and
/// sometimes a warrant.
async fn demo_legal(
    writer: &mut BatchWriter<'_>,
    rng: &mut StdRng,
    participant_id: &str,
    enrolled_at: OffsetDateTime,
    now: OffsetDateTime,
) -> Result<()> {
    if !rng.random_ratio(1, 5) {
        return Ok(());
    }
    let at = crate::truncate_to_micros(enrolled_at);
    let id = Uuid::now_v7().to_string();
    let count = rng.random_range(1..=2);
    let charges: Vec<_> = DEMO_CHARGES.choose_multiple(rng, count).copied().collect();
    let divertible = charges.iter().all(|(listed, _, _)| listed.is_some());
    let status = *[
        "pre_charge",
        "filing_held",
        "charged",
        "charged",
        "dismissed",
        "resolved",
    ]
    .choose(rng)
    .unwrap_or(&"charged");
    let open = matches!(status, "pre_charge" | "filing_held" | "charged");
    let court = (open && status != "pre_charge").then(|| {
        let day = (now + Duration::days(rng.random_range(1..=40))).date();
        day.with_hms(15, 0, 0)
            .map(|t| t.assume_utc())
            .unwrap_or(now)
    });
    let warrant = if open && rng.random_ratio(1, 5) {
        "active"
    } else {
        "none"
    };
    let case_number = (status != "pre_charge").then(|| {
        format!(
            "27-CR-{:02}-{:05}",
            at.year() % 100,
            rng.random_range(1..99_999)
        )
    });
    let jurisdiction = "Hennepin County District Court";
    let prosecutor = "Minneapolis City Attorney's Office";
    writer
        .add(
            Table::LegalMatters,
            vec![
                text(&id),
                text(participant_id),
                text(jurisdiction),
                maybe(case_number.clone()),
                text(status),
                Value::Bool(divertible),
                Value::MaybeTime(court),
                text(warrant),
                text(prosecutor),
                maybe(None::<String>),
                Value::Int(1),
                Value::Time(at),
                Value::Time(at),
            ],
        )
        .await?;
    writer
        .add(
            Table::LegalHistory,
            vec![
                text(Uuid::now_v7().to_string()),
                text(&id),
                Value::Int(1),
                text(jurisdiction),
                maybe(case_number),
                text(status),
                Value::Bool(divertible),
                Value::MaybeTime(court),
                text(warrant),
                text(prosecutor),
                maybe(None::<String>),
                Value::Time(at),
                maybe(None::<String>),
            ],
        )
        .await?;
    for (position, (listed, words, level)) in (0_i64..).zip(charges) {
        writer
            .add(
                Table::LegalCharges,
                vec![
                    text(&id),
                    Value::Int(1),
                    Value::Int(position),
                    maybe(listed.map(str::to_owned)),
                    text(words),
                    text(level),
                ],
            )
            .await?;
    }
    Ok(())
}

fn random_services(rng: &mut StdRng) -> String {
    let codes: Vec<&str> = Service::ALL.iter().map(|s| s.code()).collect();
    match rng.random_range(0..10) {
        0..=5 => String::new(),
        6..=8 => pick(rng, &codes).to_owned(),
        _ => {
            let mut two = [pick(rng, &codes), pick(rng, &codes)];
            two.sort_unstable();
            if two[0] == two[1] {
                two[0].to_owned()
            } else {
                two.join(" ")
            }
        }
    }
}

fn pick(rng: &mut StdRng, list: &[&'static str]) -> &'static str {
    list.choose(rng).copied().unwrap_or_default()
}

impl Person {
    fn random(rng: &mut StdRng, place_keys: &[String]) -> Self {
        Self {
            given: pick(rng, GIVEN).to_owned(),
            family: pick(rng, FAMILY).to_owned(),
            nickname: rng.random_ratio(1, 4).then(|| pick(rng, NICKNAMES)),
            birth_year: rng.random_range(1956..=2006),
            gender: pick(rng, GENDERS),
            build: pick(rng, BUILDS),
            hair: pick(rng, HAIR),
            feature: pick(rng, FEATURES),
            place: place_keys.choose(rng).cloned(),
            race: random_race(rng),
        }
    }

    fn row(&self, id: &str, created_at: OffsetDateTime) -> Vec<Value> {
        vec![
            text(id),
            text(&self.given),
            text(&self.family),
            maybe(self.nickname),
            Value::Int(self.birth_year),
            text(self.gender),
            text(format!("{}, {}, {}", self.build, self.hair, self.feature)),
            maybe(self.place.clone()),
            Value::Time(crate::truncate_to_micros(created_at)),
            text(self.race.stored()),
        ]
    }

    fn age_range(&self, at: OffsetDateTime) -> AgeRange {
        match i64::from(at.year()) - self.birth_year {
            ..18 => AgeRange::Under18,
            18..=25 => AgeRange::From18To25,
            26..=35 => AgeRange::From26To35,
            36..=50 => AgeRange::From36To50,
            51..=65 => AgeRange::From51To65,
            _ => AgeRange::Over65,
        }
    }
}

fn random_open_or_closed(
    rng: &mut StdRng,
    referred_at: OffsetDateTime,
    now: OffsetDateTime,
) -> ReferralState {
    use ReferralState::*;
    if now - referred_at < Duration::days(3) {
        return *[Received, Acknowledged].choose(rng).unwrap_or(&Received);
    }
    *[
        Screening,
        Outreach,
        NotEligible,
        UnableToLocate,
        Declined,
        Closed,
        Closed,
    ]
    .choose(rng)
    .unwrap_or(&Closed)
}

fn referral_row(
    rng: &mut StdRng,
    id: &str,
    person: &Person,
    at: OffsetDateTime,
    due: OffsetDateTime,
    state: ReferralState,
    place_keys: &[String],
) -> Vec<Value> {
    let door = *[
        Door::Community,
        Door::Community,
        Door::Community,
        Door::Community,
        Door::SocialContact,
        Door::ArrestDiversion,
        Door::SelfReferral,
        Door::Provider,
    ]
    .choose(rng)
    .unwrap_or(&Door::Community);
    let referrer = *ReferrerType::ALL
        .choose(rng)
        .unwrap_or(&ReferrerType::Other);
    let named = rng.random_ratio(2, 5);
    let name = if named {
        Some(format!("{} {}", person.given, person.family))
    } else {
        person.nickname.map(str::to_owned)
    };
    let follow_up = rng.random_ratio(2, 3);
    let (place_count, time_count) = (rng.random_range(1..=2), rng.random_range(1..=2));
    let places: Vec<&str> = place_keys
        .choose_multiple(rng, place_count)
        .map(String::as_str)
        .collect();
    let times: Vec<&str> = TimeOfDay::ALL
        .choose_multiple(rng, time_count)
        .map(|t| t.code())
        .collect();
    let concerns: Vec<&str> = ConcernKind::ALL
        .choose_multiple(rng, 1)
        .map(|c| c.code())
        .collect();
    // Anything past "received" was answered, most of the time before it was due.
    let answered = if state == ReferralState::Received {
        Value::MaybeTime(None)
    } else {
        let span = (due - at).whole_seconds().max(60);
        let late = rng.random_ratio(1, 10);
        let after = rng.random_range(60..=span) + if late { span / 2 } else { 0 };
        Value::MaybeTime(Some(crate::truncate_to_micros(
            at + Duration::seconds(after),
        )))
    };
    let language = *["en", "en", "en", "es", "so", "hmn"]
        .choose(rng)
        .unwrap_or(&"en");
    vec![
        text(id),
        text(ReferenceCode::generate(rng).as_str()),
        text(door.code()),
        text(state.code()),
        text(language),
        Value::Time(crate::truncate_to_micros(at)),
        Value::Time(crate::truncate_to_micros(due)),
        text(referrer.code()),
        Value::Text(None),
        maybe(follow_up.then(|| format!("612-555-{:04}", rng.random_range(100..2000)))),
        Value::Text(None),
        Value::Bool(follow_up),
        maybe(name),
        text(person.age_range(at).code()),
        text(person.gender),
        text(person.build),
        text(person.hair),
        text(person.feature),
        text(json_list(places)),
        Value::Text(None),
        text(json_list(times)),
        maybe(rng.random_ratio(1, 3).then(|| pick(rng, TIMES_OTHER))),
        text(json_list(concerns)),
        Value::Text(None),
        Value::Text(None),
        answered,
    ]
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Table {
    People,
    Referrals,
    Participants,
    LinkedReferrals,
    Snapshots,
    Contacts,
    Goals,
    Steps,
    PlanHistory,
    LegalMatters,
    LegalHistory,
    LegalCharges,
}

impl Table {
    const ALL: [Table; 12] = [
        Table::People,
        Table::Referrals,
        Table::Participants,
        Table::LinkedReferrals,
        Table::Snapshots,
        Table::Contacts,
        Table::Goals,
        Table::Steps,
        Table::PlanHistory,
        Table::LegalMatters,
        Table::LegalHistory,
        Table::LegalCharges,
    ];

    fn insert_head(self) -> &'static str {
        match self {
            Table::People => {
                "INSERT INTO people (id, given_name, family_name, aliases, birth_year, gender, descriptors, usual_places, \
                 created_at, race_ethnicity) "
            }
            Table::Referrals => {
                "INSERT INTO referrals (id, reference_code, door, state, language, received_at, due_at, referrer_type, \
                 referrer_name, referrer_phone, referrer_email, wants_follow_up, person_name, age_range, gender, build, hair, \
                 features, places, places_other, times, times_other, concerns, concern_text, safety_notes, answered_at) "
            }
            Table::Participants => {
                "INSERT INTO participants (id, person_id, referral_id, enrolled_at, last_seen_at) "
            }
            Table::LinkedReferrals => {
                "INSERT INTO referrals (id, reference_code, door, state, language, received_at, due_at, referrer_type, \
                 referrer_name, referrer_phone, referrer_email, wants_follow_up, person_name, age_range, gender, build, hair, \
                 features, places, places_other, times, times_other, concerns, concern_text, safety_notes, answered_at, \
                 participant_id) "
            }
            Table::Snapshots => {
                "INSERT INTO status_snapshots (id, participant_id, month, living, employment, income, coverage, recorded_at) "
            }
            Table::Contacts => {
                "INSERT INTO contacts (id, participant_id, at, kind, place, minutes, services) "
            }
            Table::Goals => {
                "INSERT INTO plan_goals (id, participant_id, domain, words, status, version, created_at, changed_at) "
            }
            Table::Steps => {
                "INSERT INTO plan_steps (id, goal_id, words, owner, due_on, status, version, created_at, changed_at) "
            }
            Table::PlanHistory => {
                "INSERT INTO plan_history (id, sensitivity, goal_id, step_id, version, domain, words, status, owner, \
                 due_on, changed_at, changed_by) "
            }
            Table::LegalMatters => {
                "INSERT INTO legal_matters (id, participant_id, jurisdiction, case_number, status, divertible, \
                 next_court_at, warrant, prosecutor, defender, version, created_at, changed_at) "
            }
            Table::LegalHistory => {
                "INSERT INTO legal_matter_history (id, matter_id, version, jurisdiction, case_number, status, divertible, \
                 next_court_at, warrant, prosecutor, defender, changed_at, changed_by) "
            }
            Table::LegalCharges => {
                "INSERT INTO legal_charges (matter_id, version, position, listed, words, level) "
            }
        }
    }
}

/// Collects rows per table and writes them in multi-row INSERTs.
struct BatchWriter<'a> {
    db: &'a Db,
    pending: [Vec<Vec<Value>>; Table::ALL.len()],
    /// The one transaction of the run, opened by the first write.
    tx: Option<Tx>,
}

impl<'a> BatchWriter<'a> {
    fn new(db: &'a Db) -> Self {
        Self {
            db,
            pending: Default::default(),
            tx: None,
        }
    }

    async fn add(&mut self, table: Table, row: Vec<Value>) -> Result<()> {
        let index = table as usize;
        self.pending[index].push(row);
        if self.pending[index].len() >= BATCH_ROWS {
            // Parents first, so foreign keys always point at written rows.
            for t in Table::ALL.into_iter().take(index + 1) {
                self.write(t).await?;
            }
        }
        Ok(())
    }

    async fn flush_all(&mut self) -> Result<()> {
        for table in Table::ALL {
            self.write(table).await?;
        }
        Ok(())
    }

    /// Runs one statement in the run's transaction.
    async fn execute(&mut self, sql: &'static str) -> Result<()> {
        let tx = match &mut self.tx {
            Some(tx) => tx,
            None => self.tx.insert(self.db.begin().await?),
        };
        on_tx!(tx, c => sqlx::query(sql).execute(c).await?.rows_affected());
        Ok(())
    }

    /// Appends the run's audit entry and commits everything written.
    async fn commit_with(mut self, entry: Entry<'_>) -> Result<()> {
        let tx = match self.tx.take() {
            Some(tx) => tx,
            None => self.db.begin().await?,
        };
        tx.commit_with(entry).await
    }

    async fn write(&mut self, table: Table) -> Result<()> {
        let rows = std::mem::take(&mut self.pending[table as usize]);
        if rows.is_empty() {
            return Ok(());
        }
        let tx = match &mut self.tx {
            Some(tx) => tx,
            None => self.tx.insert(self.db.begin().await?),
        };
        on_tx!(tx, c => {
            let mut query = sqlx::QueryBuilder::new(table.insert_head());
            query.push_values(rows, |mut b, row| {
                for value in row {
                    match value {
                        Value::Text(v) => b.push_bind(v),
                        Value::Int(v) => b.push_bind(v),
                        Value::Bool(v) => b.push_bind(v),
                        Value::Time(v) => b.push_bind(crate::Stamp(v)),
                        Value::MaybeTime(v) => b.push_bind(v.map(crate::Stamp)),
                    };
                }
            });
            query.build().execute(c).await?;
        });
        Ok(())
    }
}

impl Db {
    /// Benchmarks only: `open` referrals in the states the queue shows and `closed` ones in
    /// final states, received over the year before `now`, without people, events or jobs.
    #[doc(hidden)]
    pub async fn seed_bench_referrals(
        &self,
        open: usize,
        closed: usize,
        calendar: &BusinessCalendar,
        place_keys: &[String],
        now: OffsetDateTime,
    ) -> Result<()> {
        use ReferralState::*;
        let mut rng = StdRng::seed_from_u64(7);
        let mut writer = BatchWriter::new(self);
        for i in 0..open + closed {
            let state = if i < open {
                *[
                    Received,
                    Acknowledged,
                    Screening,
                    Outreach,
                    Outreach,
                    UnableToLocate,
                    Declined,
                    NotEligible,
                ]
                .choose(&mut rng)
                .unwrap_or(&Outreach)
            } else {
                *[Enrolled, Linked, Closed, Closed]
                    .choose(&mut rng)
                    .unwrap_or(&Closed)
            };
            let days = if i < open { 60 } else { 365 };
            let at = now - Duration::seconds(rng.random_range(0..days * 86_400));
            let due = to_offset_date_time(calendar.due(from_offset_date_time(at), 1));
            let person = Person::random(&mut rng, place_keys);
            let id = Uuid::now_v7().to_string();
            let row = referral_row(&mut rng, &id, &person, at, due, state, place_keys);
            writer.add(Table::Referrals, row).await?;
        }
        writer.flush_all().await?;
        let entry = Entry::new(
            &Actor::System,
            "demo.bench_referrals",
            ("referral", None),
            "ok",
            now,
        );
        writer.commit_with(entry).await
    }

    /// (people, participants, contacts) as stored: a check that demo data landed whole.
    pub async fn demo_counts(&self) -> Result<(i64, i64, i64)> {
        Ok(crate::on_pool!(self, pool => sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM people), (SELECT COUNT(*) FROM participants), (SELECT COUNT(*) FROM contacts)",
        )
        .fetch_one(pool)
        .await?))
    }
}

/// Race and ethnicity roughly as the corridor's participants might answer: many Black
/// (African American and East African), Native, Latino, white and Hmong people, some with more
/// than one answer, some who would rather not say.
fn random_race(rng: &mut StdRng) -> RaceAnswer {
    use RaceEthnicity::*;
    let one = |r: RaceEthnicity| RaceAnswer::Chosen([r].into_iter().collect());
    match rng.random_range(0..100) {
        0..=37 => one(Black),
        38..=49 => one(AmericanIndian),
        50..=61 => one(Hispanic),
        62..=79 => one(White),
        80..=85 => one(Asian),
        86..=87 => one(MiddleEastern),
        88..=92 => RaceAnswer::Chosen([AmericanIndian, White].into_iter().collect()),
        93..=94 => RaceAnswer::Chosen([Black, White].into_iter().collect()),
        95..=96 => RaceAnswer::PrefersNot,
        _ => RaceAnswer::NotAsked,
    }
}

impl Db {
    /// Demo only, once: a booking feed from the jail through the real import (some of
    /// `case_manager`'s caseload as recorded, and strangers, who are dropped), and the next
    /// case conference five days from now, its agenda built from the flags.
    pub async fn seed_demo_conferencing(
        &self,
        project_manager: leadhub_domain::ids::UserId,
        case_manager: leadhub_domain::ids::UserId,
        calendar: &BusinessCalendar,
    ) -> Result<()> {
        let now = crate::now();
        let imports: i64 = crate::on_pool!(self, pool => sqlx::query_scalar(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM booking_imports",
        )
        .fetch_one(pool)
        .await?);
        if imports > 0 {
            return Ok(());
        }
        type Row = (Option<String>, Option<String>, Option<i64>);
        let caseload: Vec<Row> = crate::on_pool!(self, pool => sqlx::query_as(
            "SELECT pe.given_name, pe.family_name, pe.birth_year FROM participants p \
             JOIN people pe ON pe.id = p.person_id WHERE p.case_manager_id = $1 \
             AND pe.birth_year IS NOT NULL ORDER BY p.id LIMIT 3",
        )
        .bind(case_manager.to_string())
        .fetch_all(pool)
        .await?);
        let today = calendar.day_of(now);
        let mut feed = Vec::new();
        let people = caseload
            .into_iter()
            .map(|(given, family, year)| {
                (
                    given.unwrap_or_default(),
                    family.unwrap_or_default(),
                    year.unwrap_or(1980),
                )
            })
            .chain([
                ("Zebulon".to_owned(), "Quartermaine".to_owned(), 1961),
                ("Hyacinth".to_owned(), "Oyelaran".to_owned(), 1993),
            ]);
        for (n, (given, family, year)) in people.enumerate() {
            let Ok(born) =
                leadhub_domain::person::DateOfBirth::parse(&format!("{year}-06-15"), today)
            else {
                continue;
            };
            let hours = i64::try_from(n).unwrap_or(0) * 7 + 20;
            feed.push(leadhub_domain::booking::Booking {
                line: u64::try_from(n).unwrap_or(0) + 2,
                given_name: given,
                family_name: family,
                born,
                booked_at: now - Duration::hours(hours),
                released_at: (n % 2 == 0).then(|| now - Duration::hours(hours - 9)),
                charges: ["Trespass", "Theft", "Disorderly conduct"][n % 3].to_owned(),
                agency: "Hennepin County Sheriff".to_owned(),
                booking_number: Some(format!("2026-{:06}", 41_200 + n)),
                kind: leadhub_domain::booking::EventKind::Booking,
            });
        }
        let actor = Actor::User {
            id: project_manager,
            role: leadhub_domain::access::Role::ProjectManager,
        };
        self.import_bookings(&actor, &feed, "demo", now).await?;
        let day = today + jiff::Span::new().days(5);
        let meeting = leadhub_domain::owg::NewMeeting {
            starts_at: calendar.start_of(day) + Duration::hours(14),
            day,
            place: "LEAD office, East Lake Street".to_owned(),
        };
        self.plan_meeting(&actor, &meeting, "demo", now).await?;
        Ok(())
    }

    /// Demo only, once: two months of community feedback, the two that ended last, through
    /// the real form's store (ratings, three comments the project manager shared in other
    /// words, two waiting), so the team's view, which shows ended months only, has figures.
    pub async fn seed_demo_feedback(
        &self,
        project_manager: leadhub_domain::ids::UserId,
        calendar: &BusinessCalendar,
    ) -> Result<()> {
        use leadhub_domain::feedback::{Answered, Decision, NewFeedback, Rating};
        let sent: i64 = crate::on_pool!(self, pool => sqlx::query_scalar(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM community_feedback",
        )
        .fetch_one(pool)
        .await?);
        if sent > 0 {
            return Ok(());
        }
        let now = crate::now();
        // (written, shared as): None shared leaves it waiting for the project manager.
        let comments: [(&str, Option<&str>); 5] = [
            (
                "The outreach worker found the man at the laundromat the next morning. Thank you.",
                Some("The outreach worker found the person the next morning. Thank you."),
            ),
            (
                "Nobody called me back for three days; Sahra at the shop had to call again.",
                Some("Nobody called back for three days, and the shop had to call again."),
            ),
            (
                "It helps to know there is someone to call who is not the police.",
                Some("It helps to know there is someone to call who is not the police."),
            ),
            (
                "The woman who sleeps behind our store on 27th is still there most nights.",
                None,
            ),
            (
                "Very kind people. They explained what LEAD can and cannot do.",
                None,
            ),
        ];
        let ratings = [
            Rating::VeryWell,
            Rating::Well,
            Rating::VeryWell,
            Rating::NotWell,
            Rating::Well,
            Rating::Poorly,
        ];
        let answers = [
            Answered::InTime,
            Answered::InTime,
            Answered::Later,
            Answered::InTime,
            Answered::NotAsked,
            Answered::NotYet,
        ];
        let actor = Actor::User {
            id: project_manager,
            role: leadhub_domain::access::Role::ProjectManager,
        };
        for n in 0..90usize {
            let comment = comments.get(n / 18).filter(|_| n % 18 == 0);
            let feedback = NewFeedback {
                code: None,
                respondent: [
                    None,
                    Some(ReferrerType::Business),
                    Some(ReferrerType::Resident),
                ][n % 3],
                answered: answers[n % answers.len()],
                rating: ratings[(n * 7) % ratings.len()],
                comment: comment.map(|(written, _)| (*written).to_owned()),
                language: leadhub_domain::Language::En,
            };
            // 45 in each of the two months, on their first 28 days: enough for some counts
            // to show.
            let last_month = Month::of(calendar.day_of(now)).previous();
            let month = if n < 45 {
                last_month
            } else {
                last_month.previous()
            };
            let day =
                month.first_day() + jiff::Span::new().days(i64::try_from(n % 28).unwrap_or(0));
            let at = calendar.start_of(day) + Duration::hours(10);
            let crate::FeedbackSent::Received(id) = self.submit_feedback(&feedback, at).await?
            else {
                continue;
            };
            if let Some((_, Some(shared))) = comment {
                let decision = Decision::Share((*shared).to_owned());
                self.review_feedback(&actor, id, &decision, "demo", now)
                    .await?;
            }
        }
        Ok(())
    }
}
