//! One struct per page, handed whole to its template, plus the small views
//! they are made of. Everything a template prints is decided here: URLs,
//! dates in the site's language and time zone, reading time.
//!
//! Invariant: only `body_html` (sanitized by `manset_text::markdown`) is
//! printed unescaped; every other field is plain text the template escapes.

use std::collections::{BTreeMap, HashMap, HashSet};

use jiff::Timestamp;
use manset_core::{Article, ArticleSummary, AuthorRef, CategoryRef, Page, PublicComment, SourceCredit, TagRef};
use manset_text::{dates, percent, reading};
use serde::Serialize;

use crate::config::SiteConfig;
use crate::seo::Social;

/// The URL of an article.
pub fn article_path(slug: &str) -> String {
    format!("/haber/{slug}")
}

/// The URL of a category page.
pub fn category_path(slug: &str) -> String {
    format!("/kategori/{slug}")
}

/// The URL of a tag page.
pub fn tag_path(slug: &str) -> String {
    format!("/etiket/{slug}")
}

/// The URL of a static page.
pub fn static_page_path(slug: &str) -> String {
    format!("/sayfa/{slug}")
}

/// The URL of an author page.
pub fn author_path(slug: &str) -> String {
    format!("/yazar/{slug}")
}

/// What every page has besides its content: its title, description,
/// canonical address and the menu.
#[derive(Debug, Serialize)]
pub struct Chrome {
    /// The `<title>`, without the site name.
    pub title: String,
    /// The meta description.
    pub description: String,
    /// The absolute canonical URL, if the page has one.
    pub canonical: Option<String>,
    /// The menu: one link per category.
    pub nav: Vec<Link>,
    /// The current path's category slug, to mark it in the menu.
    pub active: Option<String>,
    /// The year, for the footer.
    pub year: i16,
    /// Feeds of this page, for `<link rel="alternate">`.
    pub feeds: Vec<FeedLink>,
    /// Static pages in the footer menu (Künye, İletişim, …).
    pub pages: Vec<Link>,
    /// Open Graph and Twitter card tags (none on error pages).
    pub social: Option<Social>,
    /// JSON-LD blocks, already made safe for a `<script>` by `seo::script_json`.
    pub json_ld: Vec<String>,
    /// "Son dakika": the breaking-news ticker.
    pub breaking: Vec<Link>,
    /// When something this chrome shows last changed (menus, ticker).
    #[serde(skip)]
    pub changed_at: Option<Timestamp>,
    /// Keep search engines from indexing this page (search results).
    pub noindex: bool,
    /// A preview of a story readers cannot see yet: the note shown above
    /// it (no comment form, no share buttons).
    pub preview: Option<String>,
}

/// A feed a page offers.
#[derive(Debug, Clone, Serialize)]
pub struct FeedLink {
    pub title: String,
    pub href: String,
    /// `application/rss+xml` or `application/atom+xml`.
    pub kind: &'static str,
}

impl FeedLink {
    /// The RSS and Atom feeds under `base` (`""` for the site, `/kategori/x`).
    pub fn pair(base: &str, title: &str) -> Vec<FeedLink> {
        vec![
            FeedLink { title: format!("{title} (RSS)"), href: format!("{base}/rss"), kind: "application/rss+xml" },
            FeedLink { title: format!("{title} (Atom)"), href: format!("{base}/atom"), kind: "application/atom+xml" },
        ]
    }
}

/// A page: its chrome and its content, as templates see them
/// (`chrome.title`, `page.headline`).
#[derive(Debug, Serialize)]
pub struct Document<P: Serialize> {
    pub chrome: Chrome,
    pub page: P,
}

/// A named link.
#[derive(Debug, Clone, Serialize)]
pub struct Link {
    pub name: String,
    pub url: String,
    pub slug: String,
}

impl Link {
    pub fn category(c: &CategoryRef) -> Link {
        Link { name: c.name.clone(), url: category_path(&c.slug), slug: c.slug.clone() }
    }

    pub fn tag(t: &TagRef) -> Link {
        Link { name: t.name.clone(), url: tag_path(&t.slug), slug: t.slug.clone() }
    }

    pub fn author(a: &AuthorRef) -> Link {
        Link { name: a.name.clone(), url: author_path(&a.slug), slug: a.slug.clone() }
    }
}

/// A moment in three forms: for machines, in full words, and short.
#[derive(Debug, Serialize)]
pub struct DateView {
    /// RFC 3339 with the site's offset, for `<time datetime>`.
    pub iso: String,
    /// `28 Haziran 2024 Cuma`.
    pub long: String,
    /// `28 Haziran 2024 Cuma 12:30`.
    pub long_time: String,
    /// `28.06.2024`.
    pub short: String,
}

impl DateView {
    pub fn new(at: Timestamp, site: &SiteConfig) -> DateView {
        let tz = &site.time_zone;
        DateView {
            iso: dates::rfc3339(at, tz),
            long_time: dates::long_date_time(at, tz, site.lang),
            long: dates::long_date(at, tz, site.lang),
            short: dates::short_date(at, tz, site.lang),
        }
    }
}

/// An article in a list.
#[derive(Debug, Serialize)]
pub struct Card {
    pub url: String,
    pub headline: String,
    pub standfirst: String,
    pub category: Link,
    pub author: Option<String>,
    pub published: DateView,
    pub comment_count: u64,
    pub image: Option<CardImage>,
}

/// A card's picture: the article's lead image.
#[derive(Debug, Serialize)]
pub struct CardImage {
    pub url: String,
    pub alt: String,
    /// Renditions, for an image from the media library.
    pub srcset: Option<String>,
    pub width: Option<u32>,
    pub height: Option<u32>,
}

impl Card {
    pub fn new(a: &ArticleSummary, site: &SiteConfig) -> Card {
        Card {
            url: article_path(&a.slug),
            headline: a.headline.clone(),
            standfirst: a.standfirst.clone(),
            category: Link::category(&a.category),
            author: a.author.as_ref().map(|au| au.name.clone()),
            published: DateView::new(a.published_at, site),
            comment_count: a.comment_count,
            image: a.image.as_ref().map(|i| CardImage {
                url: i.url.clone(),
                alt: i.alt.clone(),
                srcset: None,
                width: i.width,
                height: i.height,
            }),
        }
    }

    pub fn list(items: &[ArticleSummary], site: &SiteConfig) -> Vec<Card> {
        items.iter().map(|a| Card::new(a, site)).collect()
    }
}

/// A source credit as printed under the body.
#[derive(Debug, Serialize)]
pub struct SourceView {
    pub name: String,
    pub url: Option<String>,
    pub note: Option<String>,
}

impl From<&SourceCredit> for SourceView {
    fn from(s: &SourceCredit) -> SourceView {
        SourceView { name: s.name.clone(), url: s.url.clone(), note: s.note.clone() }
    }
}

/// The lead image as the article page shows it.
#[derive(Debug, Serialize)]
pub struct ImageView {
    pub url: String,
    pub alt: String,
    pub caption: Option<String>,
    pub credit: Option<String>,
    pub width: Option<u32>,
    pub height: Option<u32>,
    /// Renditions, for an image from the media library.
    pub srcset: Option<String>,
    pub sizes: Option<&'static str>,
}

impl From<&manset_core::LeadImage> for ImageView {
    fn from(i: &manset_core::LeadImage) -> ImageView {
        ImageView {
            url: i.url.clone(),
            alt: i.alt.clone(),
            caption: i.caption.clone(),
            credit: i.credit.clone(),
            width: i.width,
            height: i.height,
            srcset: None,
            sizes: None,
        }
    }
}

/// Share links: plain links, no scripts, no trackers.
#[derive(Debug, Serialize)]
pub struct ShareLinks {
    pub whatsapp: String,
    pub x: String,
    pub facebook: String,
    pub telegram: String,
    pub email: String,
}

impl ShareLinks {
    fn new(url: &str, headline: &str) -> ShareLinks {
        let u = percent::encode(url);
        let text = percent::encode(headline);
        ShareLinks {
            whatsapp: format!("https://wa.me/?text={text}%20{u}"),
            x: format!("https://x.com/intent/post?url={u}&text={text}"),
            facebook: format!("https://www.facebook.com/sharer/sharer.php?u={u}"),
            telegram: format!("https://t.me/share/url?url={u}&text={text}"),
            email: format!("mailto:?subject={text}&body={u}"),
        }
    }
}

/// The article page.
#[derive(Debug, Serialize)]
pub struct ArticlePage {
    /// Where a newsroom member edits it (`/yonetim/haber/{id}`): the page's
    /// script shows the link only in a member's browser.
    pub edit_url: String,
    pub url: String,
    pub headline: String,
    pub standfirst: String,
    pub body_html: String,
    /// The language of the headline, standfirst and body when it is not the
    /// site's (whose language the page declares): for screen readers,
    /// hyphenation and translation tools.
    pub text_lang: Option<&'static str>,
    pub category: Link,
    /// The byline, in order, linked to the author pages.
    pub authors: Vec<Link>,
    /// The lead image above the body.
    pub image: Option<ImageView>,
    pub published: DateView,
    pub updated: Option<DateView>,
    pub reading_minutes: u32,
    pub tags: Vec<Link>,
    pub sources: Vec<SourceView>,
    pub related: Vec<Card>,
    pub share: ShareLinks,
    /// Approved comments.
    pub comment_count: u64,
    /// The correction note and when it was made.
    pub correction: Option<String>,
    pub corrected: Option<DateView>,
    /// The comment threads, with the reader's own pending comments in place.
    pub comments: Vec<CommentView>,
    pub form: CommentFormView,
}

impl ArticlePage {
    pub fn new(
        article: &Article,
        related: &[ArticleSummary],
        comments: Vec<CommentView>,
        form: CommentFormView,
        site: &SiteConfig,
    ) -> ArticlePage {
        let url = article_path(&article.slug);
        ArticlePage {
            edit_url: format!("/yonetim/haber/{}", article.id),
            comment_count: article.comment_count,
            correction: article.correction.clone(),
            corrected: article.corrected_at.map(|t| DateView::new(t, site)),
            comments,
            form,
            share: ShareLinks::new(&site.absolute(&url), &article.headline),
            url,
            headline: article.headline.clone(),
            standfirst: article.standfirst.clone(),
            body_html: article.body_html.clone(),
            text_lang: article.lang.filter(|l| *l != site.lang).map(manset_core::Lang::tag),
            category: Link::category(&article.category),
            authors: article.authors.iter().map(Link::author).collect(),
            image: article.image.as_ref().map(ImageView::from),
            published: DateView::new(article.published_at, site),
            // An "update" in the same minute as publication is not news.
            updated: article
                .updated_at
                .filter(|u| u.as_second() - article.published_at.as_second() >= 60)
                .map(|u| DateView::new(u, site)),
            reading_minutes: reading::reading_minutes(&article.body),
            tags: article.tags.iter().map(Link::tag).collect(),
            sources: article.sources.iter().map(SourceView::from).collect(),
            related: Card::list(related, site),
        }
    }
}

/// One comment and its replies.
#[derive(Debug, Serialize)]
pub struct CommentView {
    pub id: i64,
    /// The fragment that links to it (`yorum-12`).
    pub anchor: String,
    pub name: String,
    /// The commenter's website, linked with `rel="nofollow ugc noopener"`.
    pub url: Option<String>,
    /// Escaped plain text with line breaks and links (`manset_text::comment`).
    pub body_html: String,
    pub date: DateView,
    /// Awaiting moderation: shown only to its author.
    pub pending: bool,
    /// Written by the newsroom in this role (`editor`): the badge beside the
    /// name, from the stored reply alone, never from what a reader typed.
    pub staff_role: Option<&'static str>,
    /// Where the reply link goes without JavaScript.
    pub reply_url: String,
    pub children: Vec<CommentView>,
}

impl CommentView {
    pub fn new(c: &PublicComment, article_url: &str, site: &SiteConfig) -> CommentView {
        CommentView {
            id: c.id,
            anchor: format!("yorum-{}", c.id),
            name: c.name.clone(),
            url: c.url.clone(),
            body_html: manset_text::comment::to_html(&c.body),
            date: DateView::new(c.created_at, site),
            pending: c.status == manset_core::CommentStatus::Pending,
            staff_role: c.staff_role.map(manset_core::Role::as_str),
            reply_url: format!("{article_url}?yanit={}#yorum-yaz", c.id),
            children: Vec::new(),
        }
    }

    /// Threads of `comments` (oldest first at every level). A reply whose
    /// parent is not shown is shown at the top level.
    pub fn threads(comments: &[PublicComment], article_url: &str, site: &SiteConfig) -> Vec<CommentView> {
        let mut sorted: Vec<&PublicComment> = comments.iter().collect();
        sorted.sort_by_key(|c| (c.created_at, c.id));
        let ids: HashSet<i64> = sorted.iter().map(|c| c.id).collect();
        let mut by_parent: HashMap<Option<i64>, Vec<&PublicComment>> = HashMap::new();
        for c in sorted {
            let parent = c.parent_id.filter(|p| ids.contains(p) && *p != c.id);
            by_parent.entry(parent).or_default().push(c);
        }
        fn build(
            parent: Option<i64>,
            by_parent: &HashMap<Option<i64>, Vec<&PublicComment>>,
            article_url: &str,
            site: &SiteConfig,
            depth: usize,
        ) -> Vec<CommentView> {
            // Parents come before children in time, so there are no cycles;
            // the depth guard is for corrupted data.
            if depth > 64 {
                return Vec::new();
            }
            by_parent
                .get(&parent)
                .map(|list| {
                    list.iter()
                        .map(|c| {
                            let mut view = CommentView::new(c, article_url, site);
                            view.children = build(Some(c.id), by_parent, article_url, site, depth + 1);
                            view
                        })
                        .collect()
                })
                .unwrap_or_default()
        }
        build(None, &by_parent, article_url, site, 0)
    }
}

/// What the reader typed (or what "remember me" filled in).
#[derive(Debug, Clone, Default, Serialize)]
pub struct FormValues {
    pub body: String,
    pub name: String,
    pub email: String,
    pub url: String,
    pub remember: bool,
}

/// A message above the form.
#[derive(Debug, Clone, Serialize)]
pub struct Notice {
    /// `error`, `success` or `info`.
    pub kind: &'static str,
    pub text: String,
}

/// The comment form as it is shown: fresh, or back with the reader's text
/// and what to fix.
#[derive(Debug, Serialize)]
pub struct CommentFormView {
    pub action: String,
    /// Signed: the article and when the form was shown.
    pub token: String,
    /// The comment being replied to, if any.
    pub parent_id: Option<i64>,
    pub replying_to: Option<String>,
    /// Where "cancel reply" goes without JavaScript.
    pub cancel_url: String,
    pub values: FormValues,
    /// Field name (`comment`, `author`, `email`, `url`) → message.
    pub errors: BTreeMap<&'static str, String>,
    pub notice: Option<Notice>,
}

/// A block of the home page: a category and its newest articles.
#[derive(Debug, Serialize)]
pub struct Section {
    pub category: Link,
    pub items: Vec<Card>,
}

/// The home page.
#[derive(Debug, Serialize)]
pub struct HomePage {
    /// The newest story, largest on the page.
    pub lead: Option<Card>,
    /// The next stories, under the lead.
    pub secondary: Vec<Card>,
    /// The rest of the latest stories, in the side column.
    pub latest: Vec<Card>,
    pub sections: Vec<Section>,
}

/// Links between the pages of a list.
#[derive(Debug, Serialize)]
pub struct Pagination {
    pub number: u32,
    pub count: u32,
    pub newer: Option<String>,
    pub older: Option<String>,
}

impl Pagination {
    /// Links for a list whose URL already has a query (`/yonetim/yorumlar?durum=spam`).
    pub fn with_query<T>(page: &Page<T>, base: &str) -> Pagination {
        let url = |n: u32| if n <= 1 { base.to_owned() } else { format!("{base}&sayfa={n}") };
        Pagination {
            number: page.number,
            count: page.page_count(),
            newer: (page.number > 1).then(|| url(page.number - 1)),
            older: page.has_next().then(|| url(page.number + 1)),
        }
    }

    pub fn new<T>(page: &Page<T>, base: &str) -> Pagination {
        let url = |n: u32| {
            if n <= 1 { base.to_owned() } else { format!("{base}?sayfa={n}") }
        };
        Pagination {
            number: page.number,
            count: page.page_count(),
            newer: (page.number > 1).then(|| url(page.number - 1)),
            older: page.has_next().then(|| url(page.number + 1)),
        }
    }
}

/// A category or tag page: a paginated list.
#[derive(Debug, Serialize)]
pub struct ListPage {
    /// The category's or tag's name.
    pub name: String,
    pub url: String,
    pub items: Vec<Card>,
    pub pagination: Pagination,
}

/// A static page.
#[derive(Debug, Serialize)]
pub struct StaticPageView {
    pub title: String,
    pub body_html: String,
    pub updated: DateView,
}

/// One search result.
#[derive(Debug, Serialize)]
pub struct SearchHit {
    pub card: Card,
    /// Escaped text with the matches in `<mark>`.
    pub snippet_html: String,
}

/// The search page.
#[derive(Debug, Serialize)]
pub struct SearchPage {
    pub query: String,
    /// The query was longer than we read.
    pub cut: bool,
    pub total: usize,
    pub hits: Vec<SearchHit>,
    pub categories: Vec<Link>,
    pub category: String,
    pub from: String,
    pub until: String,
    pub newest_first: bool,
    /// A date that could not be read was left out.
    pub bad_date: bool,
    pub pagination: Pagination,
    /// The same search without its filters, when it has some.
    pub without_filters: Option<String>,
    /// When nothing was found: what to read instead.
    pub latest: Vec<Card>,
}

/// The 404 page: what to read instead.
#[derive(Debug, Serialize)]
pub struct NotFoundPage {
    pub latest: Vec<Card>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn share_links_encode_turkish_headlines() {
        let links = ShareLinks::new("https://haber.example/haber/a", "Barış & ‘görüşme’");
        assert!(links.whatsapp.starts_with("https://wa.me/?text=Bar%C4%B1%C5%9F%20%26%20"), "{}", links.whatsapp);
        assert!(links.x.contains("url=https%3A%2F%2Fhaber.example%2Fhaber%2Fa"), "{}", links.x);
    }

    #[test]
    fn pagination_links_first_page_without_query() {
        let page = |number| Page::<()> { items: vec![], number, per_page: 10, total: 25 };
        let p = Pagination::new(&page(2), "/kategori/spor");
        assert_eq!(p.newer.as_deref(), Some("/kategori/spor"));
        assert_eq!(p.older.as_deref(), Some("/kategori/spor?sayfa=3"));
        assert_eq!(p.count, 3);
        let last = Pagination::new(&page(3), "/kategori/spor");
        assert_eq!(last.older, None);
    }
}
