//! A content file (front matter + Markdown): parsed or refused with an
//! error, and its body rendered and reduced to text, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let now = jiff::Timestamp::from_second(1_700_000_000).unwrap();
    if let Ok(input) = manset_import::parse_content_file(text, now) {
        let _ = input.normalized(manset_text::slug::is_valid);
    }
    let _ = manset_text::markdown::to_safe_html(text);
    let _ = manset_text::markdown::to_plain_text(text);
    let _ = manset_text::html::to_text(text);
});
