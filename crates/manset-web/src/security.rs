//! What every response says to browsers about trusting it (Content Security
//! Policy, framing, features, HTTPS), and `/.well-known/security.txt`
//! (RFC 9116): the newsroom's `security.*` settings, in force at once.

use axum::http::{HeaderName, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use jiff::SignedDuration;

use crate::Snapshot;

/// Browser features no page of ours uses: nobody may ask for them.
const PERMISSIONS: &str = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), \
                           bluetooth=(), magnetometer=(), gyroscope=(), accelerometer=(), browsing-topics=()";

/// The security settings as they apply to responses; the header values are
/// made once, when the settings are read, not for every response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    csp: HeaderValue,
    /// The same policy with `frame-ancestors 'none'`: the newsroom's, which no
    /// setting loosens (a framed newsroom invites clickjacking of publish buttons).
    newsroom_csp: HeaderValue,
    /// The newsroom's policy with `frame-ancestors 'self'`, for the one
    /// answer the newsroom frames itself (a story's preview, see [`FramedBySelf`]).
    newsroom_framed_csp: HeaderValue,
    /// `X-Frame-Options`, when it can say what `frame-ancestors` says.
    frame_options: Option<HeaderValue>,
    hsts: bool,
    contact: Option<String>,
    /// Roles whose members must sign in with a TOTP code too.
    two_factor_roles: Vec<manset_core::Role>,
}

impl Policy {
    /// The policy of the stored settings; values the settings screen would
    /// refuse fall back to the defaults.
    pub fn from_settings(settings: &[(String, String)]) -> Policy {
        let value = |key: &str| {
            settings
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.trim().to_owned())
                .filter(|v| manset_core::settings::spec(key).is_some_and(|s| s.check(v).is_ok()))
        };
        let frame_ancestors = match value("security.frame_ancestors").as_deref() {
            None | Some("") | Some("none") => "'none'".to_owned(),
            Some("self") => "'self'".to_owned(),
            Some(origins) => origins.to_owned(),
        };
        // Scripts and styles only from this site, never inline; images from
        // this site and https; no plugins; forms post here only.
        let csp = |frame_ancestors: &str| {
            format!(
                "default-src 'self'; img-src 'self' https: data:; style-src 'self'; script-src 'self'; \
                 object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors {frame_ancestors}"
            )
        };
        let frame_options = match frame_ancestors.as_str() {
            "'none'" => Some(HeaderValue::from_static("DENY")),
            "'self'" => Some(HeaderValue::from_static("SAMEORIGIN")),
            _ => None,
        };
        Policy {
            // The checked setting holds only header-safe characters.
            csp: HeaderValue::from_str(&csp(&frame_ancestors))
                .unwrap_or_else(|_| HeaderValue::from_static("default-src 'self'")),
            newsroom_csp: HeaderValue::from_str(&csp("'none'"))
                .unwrap_or_else(|_| HeaderValue::from_static("default-src 'self'")),
            newsroom_framed_csp: HeaderValue::from_str(&csp("'self'"))
                .unwrap_or_else(|_| HeaderValue::from_static("default-src 'self'")),
            frame_options,
            hsts: value("security.hsts").and_then(|v| manset_core::settings::parse_bool(&v)).unwrap_or(false),
            contact: value("security.contact").filter(|v| !v.is_empty()),
            two_factor_roles: manset_core::settings::two_factor_roles(
                &value("security.two_factor_roles").unwrap_or_default(),
            ),
        }
    }

    /// Whether members of `role` must sign in with a TOTP code too.
    pub fn requires_two_factor(&self, role: manset_core::Role) -> bool {
        self.two_factor_roles.contains(&role)
    }
}

/// Marks a newsroom answer that newsroom pages of this site frame (the
/// preview of a story at phone and desktop width): `frame-ancestors 'self'`
/// for it alone; every other newsroom answer refuses any frame.
#[derive(Debug, Clone, Copy)]
pub struct FramedBySelf;

/// Puts the headers of the policy on a response; `newsroom` for answers
/// under `/yonetim`, which are never framed but by the newsroom itself
/// where marked [`FramedBySelf`]. A referrer policy the handler chose (a
/// preview link sends none) is kept.
pub fn apply(policy: &Policy, newsroom: bool, response: &mut Response) {
    let framed_by_self = response.extensions().get::<FramedBySelf>().is_some();
    let headers = response.headers_mut();
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.entry(header::REFERRER_POLICY).or_insert(HeaderValue::from_static("strict-origin-when-cross-origin"));
    // For browsers that know no CSP: as close to frame-ancestors as it can say.
    if newsroom && framed_by_self {
        headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("SAMEORIGIN"));
        headers.insert(HeaderName::from_static("content-security-policy"), policy.newsroom_framed_csp.clone());
    } else if newsroom {
        headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
        headers.insert(HeaderName::from_static("content-security-policy"), policy.newsroom_csp.clone());
    } else {
        if let Some(frame) = &policy.frame_options {
            headers.insert(header::X_FRAME_OPTIONS, frame.clone());
        }
        headers.insert(HeaderName::from_static("content-security-policy"), policy.csp.clone());
    }
    headers.insert(HeaderName::from_static("permissions-policy"), HeaderValue::from_static(PERMISSIONS));
    headers.insert(HeaderName::from_static("cross-origin-opener-policy"), HeaderValue::from_static("same-origin"));
    if policy.hsts {
        headers
            .insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000; includeSubDomains"));
    }
}

/// `/.well-known/security.txt`: whom to tell about a hole (404 until the
/// newsroom names someone).
pub async fn security_txt(state: Snapshot) -> Result<Response, crate::WebError> {
    let policy = state.security();
    let Some(contact) = &policy.contact else { return Err(crate::WebError::NotFound) };
    let site = state.site();
    // RFC 9116 asks for an expiry under a year away; ours moves with every request.
    let expires = state.now() + SignedDuration::from_hours(24 * 180);
    let body = format!(
        "Contact: {contact}\nExpires: {}\nPreferred-Languages: tr, en\nCanonical: {}\n",
        expires.strftime("%Y-%m-%dT%H:%M:%SZ"),
        site.absolute("/.well-known/security.txt")
    );
    let mut response = body.into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"));
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=3600"));
    Ok(response)
}
