//! WordPress post HTML to our body: any text converts, and what it gives is
//! rendered by the Markdown pipeline without a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let converted = manset_import::wp_content::convert(text);
    let _ = manset_text::markdown::to_safe_html(&converted.body);
});
