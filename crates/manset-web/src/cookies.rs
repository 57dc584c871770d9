//! The few cookies the reading site uses, all set only after a reader acts:
//! `manset_pending` (signed ids of the reader's comments awaiting moderation,
//! so only they see them), `manset_own` (signed ids of every comment this
//! browser wrote: the proof that an earlier approved comment is the
//! reader's, which no typed address gives) and `manset_commenter` (name,
//! e-mail and website, only when "remember me" is ticked). All HttpOnly;
//! `manset_own` is also SameSite=Strict and sent only under `/haber/`, where
//! comments are posted, so it never makes a page personal (the page cache
//! ignores it), the others SameSite=Lax.

use axum::http::HeaderMap;
use axum::http::header::COOKIE;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::signing::Signer;

pub const PENDING: &str = "manset_pending";
pub const OWN: &str = "manset_own";
pub const COMMENTER: &str = "manset_commenter";
/// How long the reader's own pending comments stay visible to them.
const PENDING_MAX_AGE: u32 = 7 * 24 * 3600;
/// How long a browser can prove what it wrote: a reader who comes back
/// within a year publishes without waiting.
const OWN_MAX_AGE: u32 = 365 * 24 * 3600;
/// At most this many of the reader's comments are remembered as theirs,
/// the newest kept.
const MAX_OWN: usize = 50;
/// Comments are posted to `/haber/{slug}/yorum`.
const OWN_PATH: &str = "/haber";
/// How long "remember me" remembers.
const COMMENTER_MAX_AGE: u32 = 365 * 24 * 3600;
/// At most this many pending ids are remembered.
const MAX_PENDING: usize = 20;

/// The value of cookie `name` in the request.
pub fn get<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// A `Set-Cookie` value.
pub fn set(name: &str, value: &str, max_age: u32, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{name}={value}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Lax{secure}")
}

/// Tells the reading site's script that this browser belongs to a newsroom
/// member, so it can offer "Düzenle" beside an article. It holds no secret
/// (the session cookie proves who someone is); scripts may read it, and
/// the page cache ignores it, so pages stay cached for members too.
pub const STAFF: &str = "manset_staff";

/// The `Set-Cookie` value of the [`STAFF`] marker (`max_age` 0: removed).
pub fn staff_marker(max_age: u32, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{STAFF}=1; Path=/; Max-Age={max_age}; SameSite=Lax{secure}")
}

/// Marks every cookie of a response `Secure` that is not already.
pub fn make_secure(headers: &mut axum::http::HeaderMap) {
    let cookies: Vec<axum::http::HeaderValue> =
        headers.get_all(axum::http::header::SET_COOKIE).iter().cloned().collect();
    if cookies.is_empty() {
        return;
    }
    headers.remove(axum::http::header::SET_COOKIE);
    for cookie in cookies {
        let secured = match cookie.to_str() {
            Ok(text) if !text.split(';').any(|part| part.trim().eq_ignore_ascii_case("secure")) => {
                axum::http::HeaderValue::from_str(&format!("{text}; Secure")).unwrap_or(cookie)
            }
            _ => cookie,
        };
        headers.append(axum::http::header::SET_COOKIE, secured);
    }
}

/// A `Set-Cookie` value sent back only to the comment form's address and
/// only from this site's own pages.
fn set_for_posting(name: &str, value: &str, max_age: u32, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{name}={value}; Path={OWN_PATH}; Max-Age={max_age}; HttpOnly; SameSite=Strict{secure}")
}

/// A `Set-Cookie` value that removes the cookie.
pub fn clear(name: &str, secure: bool) -> String {
    set(name, "", 0, secure)
}

/// The ids in signed cookie `name` whose payload starts with `prefix`, if
/// the cookie is genuine. Each cookie has its own prefix, so one cannot
/// stand in for another.
fn signed_ids(headers: &HeaderMap, signer: &Signer, name: &str, prefix: &str) -> Vec<i64> {
    get(headers, name)
        .and_then(|v| signer.verify(v))
        .and_then(|payload| payload.strip_prefix(prefix))
        .map(|ids| ids.split('-').filter_map(|id| id.parse().ok()).collect())
        .unwrap_or_default()
}

/// The signed payload of the ids in cookie `name` with `id` added, the
/// newest `max` kept.
fn signed_with(headers: &HeaderMap, signer: &Signer, name: &str, prefix: &str, id: i64, max: usize) -> String {
    let mut ids = signed_ids(headers, signer, name, prefix);
    ids.retain(|i| *i != id);
    ids.push(id);
    let keep = ids.len().saturating_sub(max);
    let list: Vec<String> = ids[keep..].iter().map(i64::to_string).collect();
    signer.sign(&format!("{prefix}{}", list.join("-")))
}

/// The ids in the reader's pending-comments cookie, if it is genuine.
pub fn pending_ids(headers: &HeaderMap, signer: &Signer) -> Vec<i64> {
    signed_ids(headers, signer, PENDING, "p:")
}

/// The pending-comments cookie with `id` added to those already there.
pub fn pending_with(headers: &HeaderMap, signer: &Signer, id: i64, secure: bool) -> String {
    set(PENDING, &signed_with(headers, signer, PENDING, "p:", id, MAX_PENDING), PENDING_MAX_AGE, secure)
}

/// The ids of the comments this browser wrote, if its cookie is genuine:
/// what the reader can prove is theirs.
pub fn own_ids(headers: &HeaderMap, signer: &Signer) -> Vec<i64> {
    signed_ids(headers, signer, OWN, "o:")
}

/// The authorship cookie with `id` added to the comments already there.
pub fn own_with(headers: &HeaderMap, signer: &Signer, id: i64, secure: bool) -> String {
    set_for_posting(OWN, &signed_with(headers, signer, OWN, "o:", id, MAX_OWN), OWN_MAX_AGE, secure)
}

/// What "remember me" stored: name, e-mail, website.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Commenter {
    pub name: String,
    pub email: String,
    pub url: String,
}

const SEP: char = '\u{1f}';

pub fn commenter(headers: &HeaderMap) -> Option<Commenter> {
    let bytes = URL_SAFE_NO_PAD.decode(get(headers, COMMENTER)?).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let mut parts = text.split(SEP);
    Some(Commenter {
        name: parts.next()?.to_owned(),
        email: parts.next()?.to_owned(),
        url: parts.next().unwrap_or("").to_owned(),
    })
}

pub fn remember(who: &Commenter, secure: bool) -> String {
    let text = format!("{}{SEP}{}{SEP}{}", who.name, who.email, who.url);
    set(COMMENTER, &URL_SAFE_NO_PAD.encode(text), COMMENTER_MAX_AGE, secure)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(cookie: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(COOKIE, HeaderValue::from_str(cookie).unwrap());
        h
    }

    #[test]
    fn pending_ids_survive_a_round_trip_and_forgeries_do_not() {
        let signer = Signer::new(b"k");
        let first = pending_with(&HeaderMap::new(), &signer, 7, false);
        let value = first.split(';').next().unwrap().split_once('=').unwrap().1.to_owned();
        let h = headers(&format!("a=b; {PENDING}={value}"));
        assert_eq!(pending_ids(&h, &signer), vec![7]);
        let second = pending_with(&h, &signer, 9, false);
        let value2 = second.split(';').next().unwrap().split_once('=').unwrap().1;
        assert_eq!(pending_ids(&headers(&format!("{PENDING}={value2}")), &signer), vec![7, 9]);
        assert!(pending_ids(&headers(&format!("{PENDING}=p:1-2-3.AAAA")), &signer).is_empty());
    }

    #[test]
    fn the_authorship_cookie_keeps_the_newest_ids_and_only_for_posting() {
        let signer = Signer::new(b"k");
        let mut cookie = String::new();
        for id in 1..=60 {
            let h = if cookie.is_empty() { HeaderMap::new() } else { headers(&cookie) };
            cookie = own_with(&h, &signer, id, true).split(';').next().unwrap().to_owned();
        }
        let ids = own_ids(&headers(&cookie), &signer);
        assert_eq!(ids, (11..=60).collect::<Vec<_>>());
        let set = own_with(&HeaderMap::new(), &signer, 1, true);
        assert!(set.ends_with("; Path=/haber; Max-Age=31536000; HttpOnly; SameSite=Strict; Secure"), "{set}");
        // A pending-comments cookie is not a proof of authorship, nor the reverse.
        let pending = pending_with(&HeaderMap::new(), &signer, 7, false);
        let value = pending.split(';').next().unwrap().split_once('=').unwrap().1;
        assert!(own_ids(&headers(&format!("{OWN}={value}")), &signer).is_empty());
        let own_value = cookie.split_once('=').unwrap().1;
        assert!(pending_ids(&headers(&format!("{PENDING}={own_value}")), &signer).is_empty());
        assert!(own_ids(&headers(&format!("{OWN}=o:1-2.AAAA")), &Signer::new(b"k")).is_empty());
    }

    #[test]
    fn remembered_commenter_round_trips_turkish_text() {
        let who = Commenter { name: "Ayşe Yılmaz".into(), email: "ayse@example.com".into(), url: String::new() };
        let cookie = remember(&who, true);
        assert!(cookie.ends_with("HttpOnly; SameSite=Lax; Secure"));
        let value = cookie.split(';').next().unwrap().split_once('=').unwrap().1;
        assert_eq!(commenter(&headers(&format!("{COMMENTER}={value}"))), Some(who));
    }
}
