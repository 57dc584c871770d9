//! An agency feed in any format and encoding: entries or an error, and the
//! near-duplicate measure of what it says, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // As sent, and as if the HTTP answer had named a charset.
    for charset in [None, Some("iso-8859-1")] {
        if let Ok(entries) = manset_import::ingest::parse(data, Some("https://ajans.example/rss"), charset) {
            for e in entries {
                let words = manset_import::ingest::words(&format!("{} {}", e.title, e.summary));
                assert!(manset_import::ingest::same_story(&words, &words) || words.is_empty());
            }
        }
    }
});
