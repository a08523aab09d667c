//! Any bytes as a CSV file: an error or records, never a panic.
#![no_main]

use leadhub_matching::input::{self, ColumnMap};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let map = ColumnMap::parse("given_name=first_name,skip=").unwrap_or_default();
    let _ = input::read(data, &map, 2026);
});
