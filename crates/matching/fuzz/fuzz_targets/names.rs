//! Two strings as names: folding, spelling keys and the comparison never panic, and the
//! comparison is symmetric.
#![no_main]

use leadhub_matching::names::{Name, compare};
use leadhub_matching::text::{fold, spelling_key};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: (&str, &str)| {
    let (a, b) = data;
    let _ = spelling_key(&fold(a));
    if let (Some(x), Some(y)) = (Name::parse(a), Name::parse(b)) {
        assert_eq!(compare(&x, &y), compare(&y, &x));
    }
});
