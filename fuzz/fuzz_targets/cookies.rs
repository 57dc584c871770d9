//! What a browser sends back: any Cookie header is read without a panic;
//! a signed value (the pending-comments and authorship cookies, the comment
//! form's token) is
//! accepted only if we signed exactly it — no input forges a signature.
//! `manset-web`'s cookie and signing modules are compiled here from their
//! source files, so the fuzzer does not build the whole web crate.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../crates/manset-web/src/signing.rs"]
#[allow(dead_code)]
mod signing;

#[path = "../../crates/manset-web/src/cookies.rs"]
#[allow(dead_code)]
mod cookies;

fuzz_target!(|text: &str| {
    let signer = signing::Signer::new(b"a fixed key for fuzzing");
    if let Some(payload) = signer.verify(text) {
        assert_eq!(signer.sign(payload), text, "a value we did not sign was accepted");
    }
    let Ok(value) = http::HeaderValue::from_str(text) else { return };
    let mut headers = http::HeaderMap::new();
    headers.insert(http::header::COOKIE, value);
    let _ = cookies::get(&headers, "manset_session");
    let ids = cookies::pending_ids(&headers, &signer);
    assert!(ids.len() <= 64, "{} pending ids from one cookie", ids.len());
    let own = cookies::own_ids(&headers, &signer);
    assert!(own.len() <= 64, "{} own ids from one cookie", own.len());
    if let Some(who) = cookies::commenter(&headers) {
        let _ = cookies::remember(&who, true);
    }
});
