//! A reader's comment form as it arrives (URL-encoded): decoded, checked,
//! and its text turned into the HTML of the comment, never a panic, and
//! nothing in that HTML but paragraphs, breaks and links.
#![no_main]

use libfuzzer_sys::fuzz_target;

/// The fields `POST /haber/{slug}/yorum` reads.
#[derive(serde::Deserialize)]
struct Raw {
    #[serde(default)]
    comment: String,
    #[serde(default)]
    author: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    url: String,
}

fuzz_target!(|data: &[u8]| {
    let Ok(raw) = serde_urlencoded::from_bytes::<Raw>(data) else { return };
    let form = manset_core::CommentForm { body: raw.comment, name: raw.author, email: raw.email, url: raw.url };
    if let Ok(valid) = form.validate() {
        let _ = valid;
    }
    let html = manset_text::comment::to_html(&form.body);
    // Text `<` is escaped, so every `<` opens a tag of ours: paragraphs,
    // breaks and links whose only attributes are `href` and `rel`.
    for (at, _) in html.match_indices('<') {
        let tag = &html[at..at + html[at..].find('>').expect("a tag ends")];
        let allowed = matches!(tag, "<p" | "</p" | "<br" | "</a")
            || (tag.starts_with("<a href=\"")
                && tag.split('"').skip(2).step_by(2).all(|a| matches!(a.trim(), "rel=" | "")));
        assert!(allowed, "a tag the comment may not have: {tag:?} in {html:?}");
    }
});
