//! What a reader types into search: read into words and phrases, never a
//! panic, never more than the allowed length. The parser's own source file
//! is compiled here, so the fuzzer does not build the whole search engine.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../crates/manset-search/src/query.rs"]
#[allow(dead_code)]
mod query;

fuzz_target!(|text: &str| {
    let parsed = query::parse(text);
    let chars: usize = parsed
        .parts
        .iter()
        .map(|p| match p {
            query::Part::Words(w) | query::Part::Phrase(w) => w.chars().count(),
        })
        .sum();
    assert!(chars <= query::MAX_QUERY_CHARS, "{chars} characters kept");
});
