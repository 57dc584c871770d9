//! Previews of a story as readers will see it, before they can: the
//! newsroom's own (framed at phone and desktop width in the editor's
//! preview screen) and `/onizleme/{token}`, a signed link that expires, for
//! someone without an account (a source checking a quote, a lawyer).
//!
//! A preview is the article page itself, in the site's theme, with a note
//! above it saying what it is, and without what belongs to a published page
//! (the comment form, share buttons, the canonical address and social
//! cards). It is never cached, never indexed, and sends no referrer, so the
//! link's token does not leave with a click on a link in the story.

use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{Html, IntoResponse, Response};
use jiff::{SignedDuration, Timestamp};
use manset_core::{Article, ArticleInput, AuthorRef, CategoryRef, Status, TagRef};

use crate::Snapshot;
use crate::error::WebError;
use crate::input::Path;
use crate::pages::article::{FormState, document};

/// How long a share link may live at most: a week.
pub const MAX_SHARE: SignedDuration = SignedDuration::from_hours(7 * 24);

/// The address of a share link for article `id`, valid until `expires`.
pub fn share_path(state: &Snapshot, id: i64, expires: Timestamp) -> String {
    format!("/onizleme/{}", state.signer().sign(&format!("preview:{id}:{}", expires.as_second())))
}

/// The article and expiry a share link's token names, if this site signed it.
fn read_token(state: &Snapshot, token: &str) -> Option<(i64, Timestamp)> {
    let payload = state.signer().verify(token)?;
    let mut parts = payload.strip_prefix("preview:")?.split(':');
    let id = parts.next()?.parse().ok()?;
    let expires = Timestamp::from_second(parts.next()?.parse().ok()?).ok()?;
    parts.next().is_none().then_some((id, expires))
}

/// `saved` as `typed` would make it: the text, image, sources, filing and
/// byline typed over what is stored. Names not stored yet get no page of
/// their own (id 0), as in the editor.
pub fn typed_over(saved: &Article, typed: &ArticleInput) -> Article {
    let mut article = saved.clone();
    article.headline.clone_from(&typed.headline);
    article.standfirst.clone_from(&typed.standfirst);
    article.body.clone_from(&typed.body);
    article.body_html = manset_text::markdown::to_safe_html(&typed.body);
    article.image.clone_from(&typed.image);
    article.sources.clone_from(&typed.sources);
    article.seo_title.clone_from(&typed.seo_title);
    article.seo_description.clone_from(&typed.seo_description);
    article.lang = typed.lang;
    if typed.category.trim() != saved.category.name {
        let name = typed.category.trim().to_owned();
        article.category = CategoryRef { id: 0, slug: manset_text::slug::slugify(&name), name };
    }
    article.tags = typed
        .tags
        .iter()
        .map(|name| {
            saved.tags.iter().find(|t| t.name == *name).cloned().unwrap_or_else(|| TagRef {
                id: 0,
                slug: manset_text::slug::slugify(name),
                name: name.clone(),
            })
        })
        .collect();
    article.authors = typed
        .authors
        .iter()
        .map(|name| {
            saved.authors.iter().find(|a| a.name == *name).cloned().unwrap_or_else(|| AuthorRef {
                id: 0,
                slug: manset_text::slug::slugify(name),
                name: name.clone(),
            })
        })
        .collect();
    article
}

/// The article page of `article` as a preview, with `note` above it.
pub async fn render(state: &Snapshot, article: &Article, note: String) -> Result<Response, WebError> {
    let now = state.now();
    let (mut doc, _, _) = document(state, article, now, FormState::default(), &HeaderMap::new()).await?;
    doc.chrome.preview = Some(note);
    doc.chrome.noindex = true;
    doc.chrome.canonical = None;
    doc.chrome.social = None;
    doc.chrome.json_ld.clear();
    let html = Html(state.theme().render("article.html", &doc)?);
    let mut response = html.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert("x-robots-tag", HeaderValue::from_static("noindex, nofollow"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    Ok(response)
}

/// `GET /onizleme/{token}`: the story as it is saved now, for whoever holds
/// the link until it expires (410 after; 404 for a link this site did not
/// sign, or a story since thrown away).
pub async fn shared(state: Snapshot, Path(token): Path<String>) -> Result<Response, WebError> {
    let (id, expires) = read_token(&state, &token).ok_or(WebError::NotFound)?;
    if expires <= state.now() {
        return Err(WebError::PreviewExpired);
    }
    let article = state.store().article_by_id(id).await?.filter(|a| a.status != Status::Trash);
    let article = article.ok_or(WebError::NotFound)?;
    let until = crate::views::DateView::new(expires, state.site());
    let note = state.theme().text("preview_shared_note").replace("{until}", &until.long_time);
    render(&state, &article, note).await
}
