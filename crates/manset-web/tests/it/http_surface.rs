//! The whole HTTP surface under hostile values, generated from the router
//! itself: every route the router has (`manset_web::route_paths`), every
//! path parameter in its pattern, and every query and form field any
//! handler reads (found in the web crate's source: the fields of its
//! `Deserialize` structs and the names its form readers look up), given
//! 0, −1, 2^63, 10^30, bad percent escapes, 100 KB strings, repeated keys,
//! empty values and NUL; as a reader and as an admin whose forms come from
//! this site. No answer may be a 5xx or a panic, and every refusal is a
//! themed page that carries the security headers. A route or a field
//! added later is covered without anyone remembering to add it here.

use std::collections::BTreeSet;
use std::sync::Arc;

use axum::body::Body;
use axum::http::Request;
use jiff::Timestamp;

use crate::TestApp;
use crate::app::{PASSWORD, article, encode};

/// Values that broke, or could break, a parser somewhere. `%FF%FE` and
/// `%00` go into the address as they are (not UTF-8, a NUL).
fn hostile_values() -> Vec<String> {
    vec![
        "0".into(),
        "-1".into(),
        "9223372036854775808".into(),
        "9223372036854775807".into(),
        "-9223372036854775809".into(),
        "1000000000000000000000000000000".into(),
        "1e30".into(),
        "NaN".into(),
        String::new(),
        "\0".into(),
        "%FF%FE".into(),
        "../../../../etc/passwd".into(),
        "<script>alert(1)</script>".into(),
        "İIıi\u{202e}".into(),
        "a".repeat(100_000),
    ]
}

/// Every name a handler of the web crate reads from a query or a form:
/// fields of its `Deserialize` structs (or their `rename`), and the string
/// literals given to its form readers (`get("…")`, `all("…")`,
/// `field("…")`, `value("…")`).
fn parameter_names() -> BTreeSet<String> {
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut names = BTreeSet::new();
    let mut files = vec![src];
    while let Some(path) = files.pop() {
        if path.is_dir() {
            files.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
        } else if path.extension().is_some_and(|e| e == "rs") {
            names.extend(names_in(&std::fs::read_to_string(&path).unwrap()));
        }
    }
    assert!(names.len() > 30, "the scan found the handlers' fields: {names:?}");
    names
}

fn names_in(source: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let mut lines = source.lines().peekable();
    let mut deserialize = false;
    while let Some(line) = lines.next() {
        let trimmed = line.trim();
        if trimmed.starts_with("#[derive(") && trimmed.contains("Deserialize") {
            deserialize = true;
            continue;
        }
        if deserialize && trimmed.contains("struct ") && trimmed.ends_with('{') {
            deserialize = false;
            let mut rename: Option<String> = None;
            for field in lines.by_ref() {
                let field = field.trim();
                if field == "}" {
                    break;
                }
                if let Some(at) = field.find("rename = \"") {
                    let rest = &field[at + 10..];
                    rename = rest.find('"').map(|end| rest[..end].to_owned());
                    continue;
                }
                let field = field.strip_prefix("pub(crate) ").or_else(|| field.strip_prefix("pub ")).unwrap_or(field);
                if let Some((name, _)) = field.split_once(':')
                    && !name.is_empty()
                    && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
                {
                    names.insert(rename.take().unwrap_or_else(|| name.to_owned()));
                }
            }
            continue;
        }
        if !trimmed.starts_with("#[") {
            deserialize &= trimmed.is_empty() || trimmed.starts_with("//");
        }
        for reader in ["get(\"", "all(\"", "field(\"", "value(\""] {
            let mut rest = line;
            while let Some(at) = rest.find(reader) {
                rest = &rest[at + reader.len()..];
                if let Some(end) = rest.find('"') {
                    let name = &rest[..end];
                    if !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c)) {
                        names.insert(name.to_owned());
                    }
                }
            }
        }
    }
    names
}

/// The longest address the `http` crate takes is 64 KB: long values are cut
/// to share that room among the `slots` they fill in one address (a body
/// takes the whole 100 KB).
fn in_address(value: &str, slots: usize) -> &str {
    let room = 60_000 / slots.max(1) / 3;
    if value.len() > room { &value[..room] } else { value }
}

/// `pattern` with every `{param}` (and `{*rest}`) replaced by `value`.
fn fill(pattern: &str, value: &str) -> String {
    let value = in_address(value, 2);
    let encoded = if value.starts_with('%') { value.to_owned() } else { encode(value) };
    let mut out = String::new();
    let mut rest = pattern;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let end = rest[start..].find('}').expect("a closed parameter") + start;
        out.push_str(&encoded);
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    if out.is_empty() { "/".into() } else { out }
}

/// `name=value&…`, values percent-encoded unless they are raw escapes.
fn form(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| {
            let v = if v.starts_with('%') { (*v).to_owned() } else { encode(v) };
            format!("{}={v}", encode(k))
        })
        .collect::<Vec<_>>()
        .join("&")
}

struct Probe {
    method: &'static str,
    uri: String,
    body: Option<String>,
    as_admin: bool,
}

async fn send(app: &Arc<TestApp>, probe: &Probe, session: &str) -> Result<(), String> {
    let mut request = Request::builder().method(probe.method).uri(&probe.uri);
    if probe.as_admin {
        request = request.header("cookie", format!("manset_session={session}"));
    }
    if probe.body.is_some() {
        request = request
            .header("origin", "https://haber.example")
            .header("content-type", "application/x-www-form-urlencoded");
    }
    let request = request
        .body(probe.body.clone().map(Body::from).unwrap_or_else(Body::empty))
        .map_err(|e| format!("the probe itself is not a request: {e}"))?;
    let app = Arc::clone(app);
    let page = tokio::spawn(async move { app.request(request).await }).await.map_err(|e| {
        if e.is_panic() { "the server panicked".to_owned() } else { format!("the request did not finish: {e}") }
    })?;
    let status = page.status.as_u16();
    if status >= 500 {
        return Err(format!("{status}: {}", page.body.chars().take(300).collect::<String>()));
    }
    if status == 400 {
        return Err("400: a refusal must be a themed 404, 413 or 422".into());
    }
    if page.headers.get("x-content-type-options").is_none() {
        return Err(format!("{status} without the security headers"));
    }
    if status >= 400 {
        let html = page.headers.get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("");
        if !html.starts_with("text/html") || !page.body.to_ascii_lowercase().starts_with("<!doctype html") {
            return Err(format!(
                "{status} is not a themed page ({html}): {}",
                page.body.chars().take(200).collect::<String>()
            ));
        }
    }
    Ok(())
}

/// A new admin session, made in the store: the probes fail logins by the
/// hundred, and the throttle must not keep the admin out of this test.
async fn admin_session(app: &TestApp, user_id: i64) -> String {
    let (token, hash) = manset_service::accounts::new_session_token().unwrap();
    let now = Timestamp::now();
    let until = now.checked_add(jiff::SignedDuration::from_hours(1)).unwrap();
    app.store.create_session(&hash, user_id, now, until).await.unwrap();
    token
}

/// Every route, every parameter, hostile values; as a reader and as an admin.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_route_survives_hostile_values_in_every_parameter() {
    let app = Arc::new(TestApp::new().await);
    app.import("a.md", &article("Bakü’de enerji zirvesi", "Ekonomi", "2026-01-05T09:00:00+03:00")).await;
    let hash = manset_service::accounts::hash_password(PASSWORD).unwrap();
    let admin = app
        .store
        .create_user("fuzz@haber.example", "Fuzz", manset_core::Role::Admin, &hash, Timestamp::now())
        .await
        .unwrap()
        .unwrap()
        .id;
    let mut session = admin_session(&app, admin).await;

    let routes = manset_web::route_paths();
    assert!(routes.contains(&"/ara") && routes.contains(&"/yonetim/medya/{id}"), "{routes:?}");
    let names: Vec<String> = parameter_names().into_iter().collect();
    for expected in ["sayfa", "q", "headline", "email", "alt"] {
        assert!(names.iter().any(|n| n == expected), "{expected} is among the scanned names: {names:?}");
    }
    let values = hostile_values();
    let mut failures = Vec::new();
    let mut sent = 0usize;
    for route in &routes {
        let mut probes = Vec::new();
        for (i, value) in values.iter().enumerate() {
            let path = fill(route, value);
            // Every name at once, as a query and as a form.
            let all: Vec<(&str, &str)> = names.iter().map(|n| (n.as_str(), value.as_str())).collect();
            let as_body = form(&all);
            let short = in_address(value, names.len() + 2);
            let as_query = form(&names.iter().map(|n| (n.as_str(), short)).collect::<Vec<_>>());
            for as_admin in [false, true] {
                probes.push(Probe { method: "GET", uri: format!("{path}?{as_query}"), body: None, as_admin });
                probes.push(Probe { method: "POST", uri: path.clone(), body: Some(as_body.clone()), as_admin });
            }
            // Repeated keys: each name twice, with two different values.
            if i == 0 {
                let other = &values[2];
                let twice: Vec<(&str, &str)> =
                    names.iter().flat_map(|n| [(n.as_str(), value.as_str()), (n.as_str(), other.as_str())]).collect();
                // (values[0] is short: the repeated keys fit in an address)
                let twice = form(&twice);
                probes.push(Probe { method: "GET", uri: format!("{path}?{twice}"), body: None, as_admin: true });
                probes.push(Probe { method: "POST", uri: path.clone(), body: Some(twice), as_admin: true });
            }
        }
        // Each name alone (a handler may stop at the first bad field), with
        // the values in turn, on a path filled with an ordinary value.
        let path = fill(route, "1");
        for (i, name) in names.iter().enumerate() {
            let value = &values[i % values.len()];
            let one = form(&[(name.as_str(), in_address(value, 2))]);
            probes.push(Probe { method: "GET", uri: format!("{path}?{one}"), body: None, as_admin: true });
            let one = form(&[(name.as_str(), value.as_str())]);
            probes.push(Probe { method: "POST", uri: path.clone(), body: Some(one), as_admin: true });
        }
        for probe in &probes {
            sent += 1;
            if let Err(why) = send(&app, probe, &session).await {
                let body = probe.body.as_deref().map(|b| b.chars().take(120).collect::<String>()).unwrap_or_default();
                let uri: String = probe.uri.chars().take(160).collect();
                failures.push(format!("{} {uri} [{body}] admin={}: {why}", probe.method, probe.as_admin));
            }
        }
        // A probe may have logged the admin out (`/yonetim/cikis`).
        let desk = app
            .request(
                Request::get("/yonetim")
                    .header("cookie", format!("manset_session={session}"))
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
        if desk.status != 200 {
            session = admin_session(&app, admin).await;
        }
    }
    assert!(sent > routes.len() * values.len() * 4, "{sent} requests");
    assert!(failures.is_empty(), "{} of {sent} requests failed:\n{}", failures.len(), failures.join("\n"));
    // The site still serves its pages afterwards.
    assert_eq!(app.get("/").await.status, 200);
}

/// The CSRF defence is a layer of the router, not a call each handler must
/// remember: every route that takes a POST, today's and tomorrow's, refuses
/// one sent by another site's page (or by no page at all) before its
/// handler runs, before even the session is looked at. (A route without a
/// POST answers 405 whoever asks: nothing to defend.)
#[tokio::test]
async fn every_post_route_refuses_another_origin() {
    let app = TestApp::new().await;
    app.import("a.md", &article("Bakü’de enerji zirvesi", "Ekonomi", "2026-01-05T09:00:00+03:00")).await;
    let post = |path: String, origin: Option<&'static str>| {
        let mut request = Request::post(path.as_str()).header("content-type", "application/x-www-form-urlencoded");
        if let Some(origin) = origin {
            request = request.header("origin", origin);
        }
        request.body(Body::from("action=save&headline=x&comment=x")).unwrap()
    };
    let mut guarded = Vec::new();
    for route in manset_web::route_paths() {
        let path = fill(route, "1");
        let own = app.request(post(path.clone(), Some("https://haber.example"))).await.status;
        for origin in [Some("https://kotu.example"), Some("null"), None] {
            let status = app.request(post(path.clone(), origin)).await.status;
            if own == 405 {
                assert_eq!(status, 405, "POST {path} from {origin:?}: no POST here");
            } else {
                assert_eq!(status, 403, "POST {path} from {origin:?}");
            }
        }
        if own != 405 {
            guarded.push(route);
        }
    }
    for route in ["/haber/{slug}/yorum", "/yonetim/giris", "/yonetim/haber/{id}", "/yonetim/ayarlar", "/yonetim/medya"]
    {
        assert!(guarded.contains(&route), "{route} takes a POST and is guarded: {guarded:?}");
    }
    assert!(guarded.len() >= 25, "{} POST routes: {guarded:?}", guarded.len());
}
