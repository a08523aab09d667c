//! Two records from arbitrary fields: parsing and the whole comparison (descriptors,
//! places, codes) never panic, and the levels are symmetric.
#![no_main]

use leadhub_matching::compare::compare;
use leadhub_matching::{Column, RawRecord, Record};
use libfuzzer_sys::fuzz_target;

fn raw(fields: &[&str]) -> RawRecord {
    let mut raw = RawRecord::default();
    for (column, value) in Column::ALL.iter().zip(fields) {
        raw.field_mut(*column).push_str(value);
    }
    raw
}

fuzz_target!(|data: [[&str; 14]; 2]| {
    let [a, b] = data;
    if let (Ok(x), Ok(y)) = (Record::parse(&raw(&a), 2026), Record::parse(&raw(&b), 2026)) {
        assert_eq!(compare(&x, &y).levels, compare(&y, &x).levels);
    }
});
