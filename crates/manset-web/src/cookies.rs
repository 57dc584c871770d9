//! The few cookies the reading site uses, all set only after a reader acts:
//! `manset_pending` (signed ids of the reader's comments awaiting moderation,
//! so only they see them) and `manset_commenter` (name, e-mail and website,
//! only when "remember me" is ticked). Both HttpOnly and SameSite=Lax.

use axum::http::HeaderMap;
use axum::http::header::COOKIE;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::signing::Signer;

pub const PENDING: &str = "manset_pending";
pub const COMMENTER: &str = "manset_commenter";
/// How long the reader's own pending comments stay visible to them.
const PENDING_MAX_AGE: u32 = 7 * 24 * 3600;
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

/// A `Set-Cookie` value that removes the cookie.
pub fn clear(name: &str, secure: bool) -> String {
    set(name, "", 0, secure)
}

/// The ids in the reader's pending-comments cookie, if it is genuine.
pub fn pending_ids(headers: &HeaderMap, signer: &Signer) -> Vec<i64> {
    get(headers, PENDING)
        .and_then(|v| signer.verify(v))
        .and_then(|payload| payload.strip_prefix("p:"))
        .map(|ids| ids.split('-').filter_map(|id| id.parse().ok()).collect())
        .unwrap_or_default()
}

/// The pending-comments cookie with `id` added to those already there.
pub fn pending_with(headers: &HeaderMap, signer: &Signer, id: i64, secure: bool) -> String {
    let mut ids = pending_ids(headers, signer);
    ids.retain(|i| *i != id);
    ids.push(id);
    let keep = ids.len().saturating_sub(MAX_PENDING);
    let list: Vec<String> = ids[keep..].iter().map(i64::to_string).collect();
    set(PENDING, &signer.sign(&format!("p:{}", list.join("-"))), PENDING_MAX_AGE, secure)
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
    fn remembered_commenter_round_trips_turkish_text() {
        let who = Commenter { name: "Ayşe Yılmaz".into(), email: "ayse@example.com".into(), url: String::new() };
        let cookie = remember(&who, true);
        assert!(cookie.ends_with("HttpOnly; SameSite=Lax; Secure"));
        let value = cookie.split(';').next().unwrap().split_once('=').unwrap().1;
        assert_eq!(commenter(&headers(&format!("{COMMENTER}={value}"))), Some(who));
    }
}
