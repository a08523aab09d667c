//! Synthetic people and records with ground truth, for tests and benchmarks: names drawn
//! from the corridor's communities, then duplicate records with what real records show —
//! nicknames and transliterations, typos, names in the other order, missing, partial and
//! mistyped dates, ages instead of dates, moved addresses, street names, and records that
//! only describe the person. The same seed gives the same file.

use std::io::Write;

use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};

/// The year ages in generated records are given in.
pub const AGES_AS_OF: u16 = 2026;

struct Community {
    share: f64,
    female: &'static [&'static str],
    male: &'static [&'static str],
    family: &'static [&'static str],
    /// Somali names carry the father's name as a middle name.
    patronymic: bool,
}

const COMMUNITIES: &[Community] = &[
    Community {
        share: 0.25,
        female: &[
            "Fadumo", "Khadija", "Asha", "Halima", "Maryan", "Sahra", "Amina", "Hawa", "Sadia",
            "Nimco", "Safiya", "Zeynab", "Ubah", "Ayaan", "Hodan", "Ifrah", "Ladan", "Idil",
            "Sagal", "Hibo",
        ],
        male: &[
            "Mohamed",
            "Abdi",
            "Ahmed",
            "Ali",
            "Omar",
            "Hassan",
            "Hussein",
            "Abdullahi",
            "Abdirahman",
            "Ibrahim",
            "Yusuf",
            "Ismail",
            "Osman",
            "Farah",
            "Jama",
            "Guled",
            "Dahir",
            "Said",
            "Bashir",
            "Mustafa",
            "Mahad",
            "Liban",
            "Warsame",
            "Abdikadir",
        ],
        family: &[
            "Mohamed",
            "Ali",
            "Hassan",
            "Abdi",
            "Ahmed",
            "Omar",
            "Hussein",
            "Farah",
            "Jama",
            "Warsame",
            "Osman",
            "Yusuf",
            "Ibrahim",
            "Abdullahi",
            "Adan",
            "Nur",
            "Dahir",
            "Guled",
            "Isse",
            "Mohamud",
            "Egal",
            "Samatar",
            "Duale",
            "Hirsi",
            "Aden",
            "Elmi",
            "Jibril",
            "Shire",
        ],
        patronymic: true,
    },
    Community {
        share: 0.25,
        female: &[
            "Maria",
            "Guadalupe",
            "Rosa",
            "Ana",
            "Juana",
            "Veronica",
            "Patricia",
            "Elena",
            "Dolores",
            "Graciela",
            "Yesenia",
            "Alejandra",
            "Margarita",
            "Isabel",
            "Lucia",
            "Carmen",
            "Teresa",
            "Josefina",
        ],
        male: &[
            "Jose",
            "Juan",
            "Luis",
            "Carlos",
            "Jesus",
            "Francisco",
            "Miguel",
            "Antonio",
            "Manuel",
            "Alejandro",
            "Roberto",
            "Eduardo",
            "Ricardo",
            "Jorge",
            "Pedro",
            "Fernando",
            "Ignacio",
            "Guillermo",
            "Rafael",
            "Enrique",
        ],
        family: &[
            "Garcia",
            "Hernandez",
            "Martinez",
            "Lopez",
            "Gonzalez",
            "Rodriguez",
            "Perez",
            "Sanchez",
            "Ramirez",
            "Cruz",
            "Flores",
            "Gomez",
            "Morales",
            "Vazquez",
            "Reyes",
            "Jimenez",
            "Gutierrez",
            "Ruiz",
            "Mendoza",
            "Aguilar",
            "Ortiz",
            "Castillo",
            "Chavez",
            "Ramos",
            "Dominguez",
            "Herrera",
        ],
        patronymic: false,
    },
    Community {
        share: 0.15,
        female: &[
            "Mai", "Pa", "Nou", "Blia", "Shoua", "Houa", "Chue", "Kia", "Youa", "Xee", "Mee", "Ka",
            "Zoua", "Bao", "Pang", "Lee",
        ],
        male: &[
            "Pao", "Tou", "Neng", "Kou", "Chong", "Nhia", "Yeng", "Cher", "Xeng", "Tong", "Koua",
            "Seng", "Fue", "Vang", "Lue", "Meng",
        ],
        family: &[
            "Vang", "Xiong", "Yang", "Thao", "Lee", "Moua", "Her", "Lor", "Vue", "Khang", "Chang",
            "Cha", "Hang", "Kue", "Pha", "Fang",
        ],
        patronymic: false,
    },
    Community {
        share: 0.1,
        female: &[
            "Dawn", "Crystal", "Tanya", "Brandy", "Misty", "Rose", "Winona", "Cheryl", "Bonnie",
            "Star",
        ],
        male: &[
            "Clyde", "Dennis", "Vernon", "Leonard", "Raymond", "Gerald", "Wayne", "Duane", "Lyle",
            "Travis",
        ],
        family: &[
            "Beaulieu",
            "Fairbanks",
            "Bellecourt",
            "Thunder",
            "Whitebird",
            "Morrison",
            "Jourdain",
            "Kingbird",
            "Robinson",
            "Bruce",
            "Goodsky",
            "Stately",
            "Littlewolf",
            "Cloud",
            "Martin",
        ],
        patronymic: false,
    },
    Community {
        share: 0.25,
        female: &[
            "Jennifer",
            "Jessica",
            "Ashley",
            "Tiffany",
            "Latoya",
            "Keisha",
            "Shirley",
            "Deborah",
            "Patricia",
            "Elizabeth",
            "Margaret",
            "Katherine",
            "Christine",
            "Rebecca",
            "Susan",
            "Angela",
            "Tamika",
            "Samantha",
        ],
        male: &[
            "James",
            "Robert",
            "Michael",
            "William",
            "David",
            "Richard",
            "Joseph",
            "Thomas",
            "Charles",
            "Anthony",
            "Christopher",
            "Daniel",
            "Terrence",
            "Darnell",
            "Marcus",
            "Andre",
            "Jerome",
            "Kenneth",
            "Ronald",
            "Edward",
        ],
        family: &[
            "Johnson",
            "Williams",
            "Brown",
            "Jones",
            "Miller",
            "Davis",
            "Wilson",
            "Anderson",
            "Taylor",
            "Thomas",
            "Jackson",
            "White",
            "Harris",
            "Thompson",
            "Moore",
            "Nelson",
            "Olson",
            "Peterson",
            "Larson",
            "Washington",
            "Carter",
            "Mitchell",
        ],
        patronymic: false,
    },
];

const STREETS: &[&str] = &[
    "E Lake St",
    "Chicago Ave",
    "Bloomington Ave",
    "Cedar Ave",
    "Nicollet Ave",
    "Portland Ave",
    "Park Ave",
    "Minnehaha Ave",
    "Hiawatha Ave",
    "E 31st St",
    "E 28th St",
    "E 35th St",
    "Columbus Ave",
    "Elliot Ave",
    "Longfellow Ave",
    "16th Ave S",
    "18th Ave S",
    "Snelling Ave",
    "4th Ave S",
    "Clinton Ave",
    "Pleasant Ave",
    "Stevens Ave",
    "Oakland Ave",
    "10th Ave S",
];
const ZIPS: &[&str] = &[
    "55404", "55406", "55407", "55408", "55409", "55413", "55454", "55417",
];
const PLACES: &[&str] = &[
    "Lake & Chicago bus shelter",
    "Lake Street light rail station",
    "Midtown Global Market",
    "Chicago Ave & 29th",
    "Bloomington & Lake",
    "Cedar & Lake",
    "the library on Lake",
    "Powderhorn Park",
    "Hiawatha & Lake",
    "Target on Lake",
    "Lake & Nicollet",
    "Franklin station",
    "the laundromat on Bloomington",
    "Cub Foods parking lot",
    "Minnehaha & Lake",
    "the Greenway",
];
const HAIR: &[&str] = &["black", "brown", "grey", "blond", "red", "bald"];
const STREET_NAMES: &[&str] = &[
    "Red", "Slim", "Shorty", "Tank", "Smiley", "Pops", "Junior", "Bird", "Sunny", "Kid",
];

struct Person {
    true_id: usize,
    community: &'static Community,
    female: bool,
    given: &'static str,
    middle: Option<&'static str>,
    family: &'static str,
    dob: (u16, u8, u8),
    id_number: Option<String>,
    street: String,
    zip: &'static str,
    height: u16,
    hair: &'static str,
    place: &'static str,
    street_name: Option<&'static str>,
}

fn pick<T: Copy>(rng: &mut StdRng, items: &[T]) -> T {
    // Every list here is a non-empty constant.
    *items.choose(rng).unwrap_or(&items[0])
}

fn person(rng: &mut StdRng, true_id: usize) -> Person {
    let mut roll = rng.random::<f64>();
    let community = COMMUNITIES
        .iter()
        .find(|c| {
            roll -= c.share;
            roll < 0.0
        })
        .unwrap_or(&COMMUNITIES[0]);
    let female = rng.random_bool(0.35);
    let given = pick(
        rng,
        if female {
            community.female
        } else {
            community.male
        },
    );
    let middle = community.patronymic.then(|| pick(rng, community.male));
    let month = rng.random_range(1..=12);
    let day = rng.random_range(1..=28);
    Person {
        true_id,
        community,
        female,
        given,
        middle,
        family: pick(rng, community.family),
        dob: (rng.random_range(1950..=2006), month, day),
        id_number: rng
            .random_bool(0.6)
            .then(|| format!("{:09}", rng.random_range(0..1_000_000_000u32))),
        street: format!("{} {}", rng.random_range(100..4000), pick(rng, STREETS)),
        zip: pick(rng, ZIPS),
        height: if female {
            rng.random_range(150..180)
        } else {
            rng.random_range(160..195)
        },
        hair: pick(rng, HAIR),
        place: pick(rng, PLACES),
        street_name: rng.random_bool(0.15).then(|| pick(rng, STREET_NAMES)),
    }
}

/// A variant of a name from the engine's table (a nickname, another spelling), if any.
fn variant(rng: &mut StdRng, name: &str) -> Option<String> {
    let folded = crate::text::fold(name);
    let groups = crate::names::groups_of(&folded);
    let group = groups.choose(rng)?;
    let others: Vec<&&str> = group.iter().filter(|n| **n != folded).collect();
    others.choose(rng).map(|n| capitalised(n))
}

fn capitalised(name: &str) -> String {
    let mut chars = name.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

fn typo(rng: &mut StdRng, text: &str) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    if chars.len() < 3 {
        return text.to_owned();
    }
    let at = rng.random_range(1..chars.len() - 1);
    match rng.random_range(0..4) {
        0 => {
            chars.remove(at);
        }
        1 => chars.insert(at, pick(rng, &['a', 'e', 'i', 'n', 'r', 's', 'h'])),
        2 => chars[at] = pick(rng, &['a', 'e', 'o', 'u', 'm', 'l', 't']),
        _ => chars.swap(at, at + 1),
    }
    chars.into_iter().collect()
}

fn corrupt_name(rng: &mut StdRng, name: &str) -> String {
    let roll = rng.random::<f64>();
    if roll < 0.2 {
        variant(rng, name).unwrap_or_else(|| typo(rng, name))
    } else if roll < 0.4 {
        typo(rng, name)
    } else if roll < 0.45 {
        name.to_uppercase()
    } else {
        name.to_owned()
    }
}

/// One record's fields, in [`HEADER`] order.
fn record(rng: &mut StdRng, person: &Person, id: usize, duplicate: bool) -> [String; 15] {
    let mut given = person.given.to_owned();
    let mut family = person.family.to_owned();
    let mut middle = person.middle.map(str::to_owned).unwrap_or_default();
    let (y, m, d) = person.dob;
    let mut dob = format!("{y:04}-{m:02}-{d:02}");
    let mut age = String::new();
    let mut id_number = person.id_number.clone().unwrap_or_default();
    let mut street = person.street.clone();
    let mut zip = person.zip.to_owned();
    let mut height = person.height;
    let mut aliases = person.street_name.map(str::to_owned).unwrap_or_default();
    let mut place = person.place.to_owned();
    let sex = if person.female { "F" } else { "M" };
    if duplicate {
        given = corrupt_name(rng, &given);
        family = corrupt_name(rng, &family);
        if rng.random_bool(0.05) {
            std::mem::swap(&mut given, &mut family);
        }
        if person.community.patronymic && rng.random_bool(0.3) {
            // The father's name recorded as the family name.
            family = std::mem::take(&mut middle);
        } else if rng.random_bool(0.5) {
            middle.clear();
        }
        let roll = rng.random::<f64>();
        if roll < 0.15 {
            dob.clear();
        } else if roll < 0.25 {
            dob = format!("{y:04}-{m:02}");
        } else if roll < 0.3 {
            dob = format!("{y:04}");
        } else if roll < 0.35 && d <= 12 {
            dob = format!("{y:04}-{d:02}-{m:02}");
        } else if roll < 0.4 {
            dob = format!("{:04}-{m:02}-{:02}", y, (d % 28) + 1);
        } else if roll < 0.5 {
            dob.clear();
            let guess = i32::from(AGES_AS_OF - y) + rng.random_range(-3..=3);
            age = guess.clamp(0, 120).to_string();
        }
        if rng.random_bool(0.4) {
            id_number.clear();
        } else if !id_number.is_empty() && rng.random_bool(0.1) {
            id_number = typo(rng, &id_number);
        }
        if rng.random_bool(0.3) {
            street = format!("{} {}", rng.random_range(100..4000), pick(rng, STREETS));
            zip = pick(rng, ZIPS).to_owned();
        } else if rng.random_bool(0.3) {
            street.clear();
        }
        if rng.random_bool(0.3) {
            place = pick(rng, PLACES).to_owned();
        }
        height = height.saturating_add_signed(rng.random_range(-4..=4));
        if rng.random_bool(0.3) {
            aliases.clear();
        }
        if rng.random_bool(0.08) {
            // Only a description: no name, no date, no address.
            given.clear();
            family.clear();
            middle.clear();
            dob.clear();
            age.clear();
            id_number.clear();
            street.clear();
            zip.clear();
            if rng.random_bool(0.5) {
                aliases.clear();
            }
        }
    }
    let described = duplicate || rng.random_bool(0.5);
    [
        format!("r{id}"),
        given,
        middle,
        family,
        aliases,
        dob,
        age,
        sex.to_owned(),
        street,
        zip,
        id_number,
        if described {
            height.to_string()
        } else {
            String::new()
        },
        if described {
            person.hair.to_owned()
        } else {
            String::new()
        },
        place,
        format!("p{}", person.true_id),
    ]
}

/// The generated file's header: the columns the reader knows, then `true_id` (leave it
/// out with `--map true_id=`).
pub const HEADER: [&str; 15] = [
    "id",
    "first_name",
    "middle_name",
    "last_name",
    "aliases",
    "dob",
    "age",
    "sex",
    "street",
    "zip",
    "id_number",
    "height_cm",
    "hair",
    "place",
    "true_id",
];

/// Writes `records` records (about two in five people have more than one) as CSV.
pub fn generate(records: usize, seed: u64, out: impl Write) -> csv::Result<()> {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(HEADER)?;
    let mut written = 0;
    let mut people = 0;
    while written < records {
        let p = person(&mut rng, people);
        people += 1;
        let copies = if rng.random_bool(0.4) {
            rng.random_range(2..=4)
        } else {
            1
        };
        for copy in 0..copies {
            if written == records {
                break;
            }
            writer.write_record(record(&mut rng, &p, written, copy > 0))?;
            written += 1;
        }
    }
    writer.flush()?;
    Ok(())
}
