//! Articles: what the newsroom writes (`ArticleInput`) and what readers see
//! (`Article`, `ArticleSummary`).

use std::fmt;
use std::str::FromStr;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::image::{InvalidImage, LeadImage};
use crate::lang::Lang;
use crate::source::{InvalidSource, SourceCredit};

/// Longest headline we accept, in characters. Longer text is a body, not a title.
pub const MAX_HEADLINE_CHARS: usize = 300;
/// Longest standfirst we accept, in characters.
pub const MAX_STANDFIRST_CHARS: usize = 1_000;

/// Where an article stands in the publishing workflow:
/// draft → review → published (scheduled while its publish time is ahead,
/// which is also its embargo) → unpublished; from any of them to the trash,
/// and from the trash back to a draft.
///
/// Only `Published` articles whose publish time has come are visible to
/// readers; an `Unpublished` one answers 410 Gone, a trashed one 404.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Being written; never shown to readers.
    Draft,
    /// Submitted for an editor's review.
    Review,
    /// Shown to readers from its publish time on.
    Published,
    /// Withdrawn: gone for readers (410), kept for the newsroom.
    Unpublished,
    /// Thrown away: out of the newsroom's lists (but its trash) and of
    /// readers' sight; kept, and brought back as a draft.
    Trash,
}

impl Status {
    /// The stable name stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Review => "review",
            Status::Published => "published",
            Status::Unpublished => "unpublished",
            Status::Trash => "trash",
        }
    }

    /// The name of where an article with this status and publish time
    /// stands at `now`, as the newsroom shows it (and its translation keys
    /// end): the stored names, except that a published article whose time
    /// has not come is `scheduled`.
    pub fn name_at(self, published_at: Timestamp, now: Timestamp) -> &'static str {
        match self {
            Status::Published if published_at > now => "scheduled",
            status => status.as_str(),
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Status {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "draft" => Ok(Status::Draft),
            "review" => Ok(Status::Review),
            "published" => Ok(Status::Published),
            "unpublished" => Ok(Status::Unpublished),
            "trash" => Ok(Status::Trash),
            other => Err(format!("unknown article status `{other}`")),
        }
    }
}

/// An article as the newsroom hands it in: from a content file or the
/// editor. Names (category, tags, author) are resolved by the store. Also the
/// content of a revision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArticleInput {
    /// The headline, the page's only `<h1>`.
    pub headline: String,
    /// The standfirst (spot), one or two sentences under the headline.
    pub standfirst: String,
    /// The body in Markdown.
    pub body: String,
    /// A slug chosen by hand; `None` makes one from the headline.
    pub slug: Option<String>,
    /// The category's display name ("Azerbaycan").
    pub category: String,
    /// Tag display names, in the order given.
    pub tags: Vec<String>,
    /// The byline: one or more names, in order.
    #[serde(default, alias = "author", deserialize_with = "one_or_many")]
    pub authors: Vec<String>,
    /// When the article is (or was) published.
    pub published_at: Timestamp,
    /// When it was last meaningfully updated, if ever.
    pub updated_at: Option<Timestamp>,
    /// Draft or published.
    pub status: Status,
    /// Source credits, in order.
    pub sources: Vec<SourceCredit>,
    /// Title for search engines and social cards, if not the headline.
    #[serde(default)]
    pub seo_title: Option<String>,
    /// Description for search engines, if not the standfirst.
    #[serde(default)]
    pub seo_description: Option<String>,
    /// A dated correction note shown on the article.
    #[serde(default)]
    pub correction: Option<String>,
    /// The lead image, above the body and on social cards.
    #[serde(default)]
    pub image: Option<LeadImage>,
    /// The language of the text, when not the site's (`lang: en` in front matter).
    #[serde(default)]
    pub lang: Option<Lang>,
}

/// Why an article input was refused; the message tells the writer what to fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InvalidArticle {
    #[error("the headline is empty: give a `title`")]
    EmptyHeadline,
    #[error("the headline has {0} characters; shorten it to at most {MAX_HEADLINE_CHARS}")]
    HeadlineTooLong(usize),
    #[error("the standfirst has {0} characters; shorten it to at most {MAX_STANDFIRST_CHARS}")]
    StandfirstTooLong(usize),
    #[error("the category is empty: give a `category`")]
    EmptyCategory,
    #[error("the slug `{0}` is not usable: use lowercase ASCII letters, digits and single hyphens")]
    BadSlug(String),
    #[error("the update time is before the publish time")]
    UpdatedBeforePublished,
    #[error("source credit {index}: {source}")]
    Source { index: usize, source: InvalidSource },
    #[error("lead image: {0}")]
    Image(#[from] InvalidImage),
}

impl ArticleInput {
    /// Trims text fields, drops empty tags and duplicate tags, normalizes
    /// source credits, and checks every rule an article must satisfy.
    /// `is_valid_slug` is the slug rule of the text crate, passed in so this
    /// crate keeps no language code.
    pub fn normalized(mut self, is_valid_slug: impl Fn(&str) -> bool) -> Result<Self, InvalidArticle> {
        self.headline = collapse_spaces(&self.headline);
        if self.headline.is_empty() {
            return Err(InvalidArticle::EmptyHeadline);
        }
        let n = self.headline.chars().count();
        if n > MAX_HEADLINE_CHARS {
            return Err(InvalidArticle::HeadlineTooLong(n));
        }
        self.standfirst = collapse_spaces(&self.standfirst);
        let n = self.standfirst.chars().count();
        if n > MAX_STANDFIRST_CHARS {
            return Err(InvalidArticle::StandfirstTooLong(n));
        }
        self.category = collapse_spaces(&self.category);
        if self.category.is_empty() {
            return Err(InvalidArticle::EmptyCategory);
        }
        if let Some(slug) = &self.slug {
            let slug = slug.trim();
            if slug.is_empty() {
                self.slug = None;
            } else if !is_valid_slug(slug) {
                return Err(InvalidArticle::BadSlug(slug.to_owned()));
            } else {
                self.slug = Some(slug.to_owned());
            }
        }
        let mut tags: Vec<String> = Vec::with_capacity(self.tags.len());
        for tag in self.tags.iter().map(|t| collapse_spaces(t)) {
            if !tag.is_empty() && !tags.contains(&tag) {
                tags.push(tag);
            }
        }
        self.tags = tags;
        let mut authors: Vec<String> = Vec::with_capacity(self.authors.len());
        for name in self.authors.iter().map(|a| collapse_spaces(a)) {
            if !name.is_empty() && !authors.contains(&name) {
                authors.push(name);
            }
        }
        self.authors = authors;
        self.seo_title = self.seo_title.map(|a| collapse_spaces(&a)).filter(|a| !a.is_empty());
        self.seo_description = self.seo_description.map(|a| collapse_spaces(&a)).filter(|a| !a.is_empty());
        self.body = without_controls(&self.body);
        self.correction = self.correction.map(|a| without_controls(a.trim())).filter(|a| !a.is_empty());
        if self.updated_at.is_some_and(|updated| updated < self.published_at) {
            return Err(InvalidArticle::UpdatedBeforePublished);
        }
        self.sources = std::mem::take(&mut self.sources)
            .into_iter()
            .enumerate()
            .map(|(i, s)| s.normalized().map_err(|source| InvalidArticle::Source { index: i + 1, source }))
            .collect::<Result<_, _>>()?;
        self.image = match self.image.take() {
            Some(image) => image.normalized()?,
            None => None,
        };
        Ok(self)
    }
}

/// Reads a byline written as one name or a list of names (older revisions
/// stored a single `author`).
fn one_or_many<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(Option<String>),
        Many(Vec<String>),
    }
    Ok(match OneOrMany::deserialize(d)? {
        OneOrMany::One(one) => one.into_iter().collect(),
        OneOrMany::Many(many) => many,
    })
}

/// One line of text: runs of white space as one space, control
/// characters (which no page may show, `\x01` from a feed) gone.
fn collapse_spaces(s: &str) -> String {
    without_controls(s).split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `s` without control characters but line breaks and tabs: this is the
/// one door every article's text passes (editor, imports, feeds), so none
/// reaches a page, a feed or the search index.
fn without_controls(s: &str) -> String {
    s.chars().filter(|c| !c.is_control() || matches!(c, '\n' | '\t' | '\r')).collect()
}

/// A category as pages link to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CategoryRef {
    pub id: i64,
    pub name: String,
    pub slug: String,
}

/// A tag as pages link to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TagRef {
    pub id: i64,
    pub name: String,
    pub slug: String,
}

/// A byline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuthorRef {
    pub id: i64,
    pub name: String,
    pub slug: String,
}

/// A whole article as the reading site shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Article {
    pub id: i64,
    pub slug: String,
    pub headline: String,
    pub standfirst: String,
    /// The body in Markdown, the source of truth.
    pub body: String,
    /// The body as sanitized HTML, derived from `body`.
    pub body_html: String,
    pub status: Status,
    pub published_at: Timestamp,
    pub updated_at: Option<Timestamp>,
    pub category: CategoryRef,
    /// The byline, in order (empty for none).
    pub authors: Vec<AuthorRef>,
    pub tags: Vec<TagRef>,
    pub sources: Vec<SourceCredit>,
    /// Approved comments.
    pub comment_count: u64,
    /// The correction note, if the article was corrected.
    pub correction: Option<String>,
    /// When the correction note was last changed.
    pub corrected_at: Option<Timestamp>,
    pub seo_title: Option<String>,
    pub seo_description: Option<String>,
    pub image: Option<LeadImage>,
    /// The language of the text; `None` for the site's.
    pub lang: Option<Lang>,
    /// When the article or what its page shows (its public comments) last changed.
    pub modified_at: Timestamp,
}

/// An article in a list: home page, category page, related articles.
#[derive(Debug, Clone, PartialEq)]
pub struct ArticleSummary {
    pub id: i64,
    pub slug: String,
    pub headline: String,
    pub standfirst: String,
    pub published_at: Timestamp,
    pub category: CategoryRef,
    pub author: Option<AuthorRef>,
    /// Approved comments.
    pub comment_count: u64,
    /// The lead image, for the card's picture.
    pub image: Option<LeadImage>,
}

/// One page of a longer list.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// 1-based page number.
    pub number: u32,
    pub per_page: u32,
    /// Items across all pages.
    pub total: u64,
}

impl<T> Page<T> {
    /// How many pages the whole list fills (at least one, even when empty).
    pub fn page_count(&self) -> u32 {
        let per = u64::from(self.per_page.max(1));
        u32::try_from(self.total.div_ceil(per).max(1)).unwrap_or(u32::MAX)
    }

    /// Whether a later page exists.
    pub fn has_next(&self) -> bool {
        self.number < self.page_count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_published_article_before_its_time_is_scheduled() {
        let now: Timestamp = "2024-06-28T09:30:00Z".parse().unwrap();
        let later = now + jiff::SignedDuration::from_secs(1);
        assert_eq!(Status::Published.name_at(later, now), "scheduled");
        assert_eq!(Status::Published.name_at(now, now), "published", "due at its second");
        assert_eq!(Status::Published.name_at(now, later), "published");
        for status in [Status::Draft, Status::Review, Status::Unpublished] {
            assert_eq!(status.name_at(later, now), status.as_str(), "only publication waits for time");
            assert_eq!(status.name_at(now, later), status.as_str());
        }
    }

    fn input() -> ArticleInput {
        ArticleInput {
            headline: "  Aliyev,   O’Brien ile görüştü ".into(),
            standfirst: "Spot".into(),
            body: "Gövde".into(),
            slug: None,
            category: " Azerbaycan ".into(),
            tags: vec!["ABD".into(), " ".into(), "ABD".into(), "COP29".into()],
            authors: vec!["  ".into(), "Ayşe".into(), "Ayşe ".into()],
            published_at: "2024-06-28T09:00:00Z".parse().unwrap(),
            updated_at: None,
            status: Status::Published,
            sources: vec![],
            seo_title: None,
            seo_description: None,
            correction: None,
            image: None,
            lang: None,
        }
    }

    fn any_slug(s: &str) -> bool {
        !s.contains(' ')
    }

    #[test]
    fn normalizing_trims_and_deduplicates() {
        let a = input().normalized(any_slug).unwrap();
        assert_eq!(a.headline, "Aliyev, O’Brien ile görüştü");
        assert_eq!(a.category, "Azerbaycan");
        assert_eq!(a.tags, vec!["ABD".to_owned(), "COP29".to_owned()]);
        assert_eq!(a.authors, vec!["Ayşe".to_owned()]);
    }

    #[test]
    fn control_characters_never_pass_the_door_but_line_breaks_do() {
        let mut a = input();
        a.headline = "Son\u{1}dakika\u{1b}[31m \u{85}haber".into();
        a.tags = vec!["Bak\u{7f}ü".into()];
        a.body = "Bir\u{0}\tiki\n\nüç\u{9b}".into();
        a.correction = Some("Düzeltme\u{8}".into());
        let a = a.normalized(any_slug).unwrap();
        assert_eq!(a.headline, "Sondakika[31m haber");
        assert_eq!(a.tags, ["Bakü"]);
        assert_eq!(a.body, "Bir\tiki\n\nüç");
        assert_eq!(a.correction.as_deref(), Some("Düzeltme"));
    }

    #[test]
    fn missing_headline_or_category_is_refused() {
        let mut a = input();
        a.headline = "   ".into();
        assert_eq!(a.normalized(any_slug), Err(InvalidArticle::EmptyHeadline));
        let mut a = input();
        a.category = String::new();
        assert_eq!(a.normalized(any_slug), Err(InvalidArticle::EmptyCategory));
    }

    #[test]
    fn overlong_headline_and_bad_slug_are_refused() {
        let mut a = input();
        a.headline = "ş".repeat(MAX_HEADLINE_CHARS + 1);
        assert_eq!(a.normalized(any_slug), Err(InvalidArticle::HeadlineTooLong(MAX_HEADLINE_CHARS + 1)));
        let mut a = input();
        a.slug = Some("bir slug".into());
        assert_eq!(a.normalized(any_slug), Err(InvalidArticle::BadSlug("bir slug".into())));
    }

    #[test]
    fn update_before_publication_is_refused() {
        let mut a = input();
        a.updated_at = Some("2024-06-27T09:00:00Z".parse().unwrap());
        assert_eq!(a.normalized(any_slug), Err(InvalidArticle::UpdatedBeforePublished));
    }

    #[test]
    fn page_count_rounds_up_and_is_never_zero() {
        let page = |total, number| Page::<()> { items: vec![], number, per_page: 10, total };
        assert_eq!(page(0, 1).page_count(), 1);
        assert_eq!(page(10, 1).page_count(), 1);
        assert_eq!(page(11, 1).page_count(), 2);
        assert!(page(11, 1).has_next());
        assert!(!page(11, 2).has_next());
    }
}
