//! Two strings as dates of birth: parsing and the comparison never panic, and the
//! comparison is symmetric.
#![no_main]

use leadhub_matching::dates::{Birth, PartialDate, compare};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: (&str, &str, u8)| {
    let (a, b, age) = data;
    let age = Birth::from_age(u16::from(age % 121), 2026);
    if let (Ok(x), Ok(y)) = (PartialDate::parse(a), PartialDate::parse(b)) {
        let (x, y) = (Birth::Date(x), Birth::Date(y));
        assert_eq!(compare(x, y), compare(y, x));
        assert_eq!(compare(x, age), compare(age, x));
    }
});
