//! Content files: Markdown with front matter, TOML between `+++` lines or
//! YAML between `---` lines.
//!
//! ```text
//! +++
//! title = "Aliyev, O’Brien ile görüştü"
//! category = "Azerbaycan"
//! tags = ["ABD", "Diplomasi"]
//! published = 2024-06-28T10:00:00+03:00
//! [source]
//! name = "Meydan.tv"
//! +++
//! Body in Markdown…
//! ```

use jiff::Timestamp;
use manset_core::{ArticleInput, LeadImage, SourceCredit, Status};
use serde::Deserialize;

/// Why a content file was refused. Messages name the field and the fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ContentError {
    #[error(
        "no front matter: start the file with a `+++` (TOML) or `---` (YAML) line, then at least `title` and `category`"
    )]
    NoFrontMatter,
    #[error("the front matter opened with `{0}` is never closed: end it with a `{0}` line of its own")]
    Unclosed(&'static str),
    #[error("front matter is not valid TOML: {0}")]
    Toml(String),
    #[error("front matter is not valid YAML: {0}")]
    Yaml(String),
    #[error("`{field}` = `{value}` is not an RFC 3339 date-time: write it like 2024-06-28T10:00:00+03:00")]
    BadDate { field: &'static str, value: String },
}

/// The fields a content file may have.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FrontMatter {
    title: String,
    #[serde(default)]
    standfirst: Option<String>,
    category: String,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    author: Option<Names>,
    #[serde(default)]
    authors: Option<Names>,
    #[serde(default)]
    published: Option<String>,
    #[serde(default)]
    updated: Option<String>,
    #[serde(default)]
    slug: Option<String>,
    #[serde(default)]
    draft: bool,
    #[serde(default)]
    source: Option<Sources>,
    #[serde(default)]
    image: Option<Image>,
    /// The language of the text when not the site's: `tr`, `en`.
    #[serde(default)]
    lang: Option<manset_core::Lang>,
}

/// `image = "https://…"`, or `[image]` with `url`, `alt`, `caption`,
/// `credit`, `width`, `height`.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Image {
    Url(String),
    Full(LeadImage),
}

/// One name, or a list of names.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Names {
    One(String),
    Many(Vec<String>),
}

impl Names {
    fn into_vec(self) -> Vec<String> {
        match self {
            Names::One(one) => vec![one],
            Names::Many(many) => many,
        }
    }
}

/// `[source]` once, or `[[source]]` several times.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Sources {
    One(SourceFields),
    Many(Vec<SourceFields>),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SourceFields {
    name: String,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    note: Option<String>,
}

enum Format {
    Toml,
    Yaml,
}

/// Splits a content file into its front matter and its Markdown body.
fn split(text: &str) -> Result<(Format, &str, &str), ContentError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let (format, delimiter) = match first_line(text) {
        "+++" => (Format::Toml, "+++"),
        "---" => (Format::Yaml, "---"),
        _ => return Err(ContentError::NoFrontMatter),
    };
    let after_open = &text[text.find('\n').map_or(text.len(), |i| i + 1)..];
    let mut offset = 0;
    for line in after_open.split_inclusive('\n') {
        if line.trim_end() == delimiter {
            let front = &after_open[..offset];
            let body = &after_open[offset + line.len()..];
            return Ok((format, front, body));
        }
        offset += line.len();
    }
    Err(ContentError::Unclosed(delimiter))
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or("").trim_end()
}

/// Parses a content file into an article. `now` is the publish time when
/// the file gives none. The result is not yet normalized: the store checks
/// the article rules when it saves.
pub fn parse_content_file(text: &str, now: Timestamp) -> Result<ArticleInput, ContentError> {
    let (format, front, body) = split(text)?;
    let fm: FrontMatter = match format {
        Format::Toml => {
            let mut table: toml::Table =
                toml::from_str(front).map_err(|e| ContentError::Toml(one_line(&e.to_string())))?;
            // TOML has its own date-time type; accept it as well as a string.
            for (_, value) in table.iter_mut() {
                if let toml::Value::Datetime(dt) = value {
                    *value = toml::Value::String(dt.to_string());
                }
            }
            toml::Value::Table(table)
                .try_into()
                .map_err(|e: toml::de::Error| ContentError::Toml(one_line(&e.to_string())))?
        }
        Format::Yaml => serde_yaml::from_str(front).map_err(|e| ContentError::Yaml(one_line(&e.to_string())))?,
    };
    let published = match &fm.published {
        Some(value) => parse_time("published", value)?,
        None => now,
    };
    let updated = fm.updated.as_deref().map(|v| parse_time("updated", v)).transpose()?;
    let sources = match fm.source {
        None => vec![],
        Some(Sources::One(s)) => vec![s],
        Some(Sources::Many(list)) => list,
    };
    Ok(ArticleInput {
        headline: fm.title,
        standfirst: fm.standfirst.unwrap_or_default(),
        body: body.trim_start_matches(['\n', '\r']).to_owned(),
        slug: fm.slug,
        category: fm.category,
        tags: fm.tags,
        authors: fm.author.into_iter().chain(fm.authors).flat_map(Names::into_vec).collect(),
        published_at: published,
        updated_at: updated,
        status: if fm.draft { Status::Draft } else { Status::Published },
        sources: sources.into_iter().map(|s| SourceCredit { name: s.name, url: s.url, note: s.note }).collect(),
        seo_title: None,
        seo_description: None,
        correction: None,
        image: fm.image.map(|image| match image {
            Image::Url(url) => {
                LeadImage { url, alt: String::new(), caption: None, credit: None, width: None, height: None }
            }
            Image::Full(image) => image,
        }),
        lang: fm.lang,
    })
}

fn parse_time(field: &'static str, value: &str) -> Result<Timestamp, ContentError> {
    value.trim().parse::<Timestamp>().map_err(|_| ContentError::BadDate { field, value: value.to_owned() })
}

/// Parser messages span several lines with a source excerpt; a report line
/// per file reads better with them joined.
fn one_line(message: &str) -> String {
    message.split('\n').map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> Timestamp {
        "2026-01-01T00:00:00Z".parse().unwrap()
    }

    #[test]
    fn toml_front_matter_with_every_field() {
        let text = "+++\ntitle = \"Başlık\"\nstandfirst = \"Spot\"\ncategory = \"Azerbaycan\"\n\
            tags = [\"ABD\", \"COP29\"]\nauthor = \"Ayşe Yılmaz\"\npublished = 2024-06-28T10:00:00+03:00\n\
            updated = \"2024-06-28T12:00:00+03:00\"\nslug = \"ozel\"\ndraft = true\n\
            [source]\nname = \"Meydan.tv\"\nurl = \"https://www.meydan.tv/\"\nnote = \"Not\"\n+++\n\nGövde **kalın**.\n";
        let a = parse_content_file(text, now()).unwrap();
        assert_eq!(a.headline, "Başlık");
        assert_eq!(a.standfirst, "Spot");
        assert_eq!(a.category, "Azerbaycan");
        assert_eq!(a.tags, vec!["ABD", "COP29"]);
        assert_eq!(a.authors, vec!["Ayşe Yılmaz"]);
        assert_eq!(a.published_at, "2024-06-28T07:00:00Z".parse().unwrap());
        assert_eq!(a.updated_at, Some("2024-06-28T09:00:00Z".parse().unwrap()));
        assert_eq!(a.slug.as_deref(), Some("ozel"));
        assert_eq!(a.status, Status::Draft);
        assert_eq!(a.sources.len(), 1);
        assert_eq!(a.sources[0].url.as_deref(), Some("https://www.meydan.tv/"));
        assert_eq!(a.body, "Gövde **kalın**.\n");
    }

    #[test]
    fn yaml_front_matter_and_several_sources() {
        let text = "---\r\ntitle: \"Başlık: iki nokta\"\r\ncategory: Ekonomi\r\ntags:\r\n  - Enerji\r\n\
            published: '2024-06-28T10:00:00+03:00'\r\nsource:\r\n  - name: Turan\r\n  - name: APA\r\n    url: https://apa.az/\r\n---\r\nGövde\r\n";
        let a = parse_content_file(text, now()).unwrap();
        assert_eq!(a.headline, "Başlık: iki nokta");
        assert_eq!(a.tags, vec!["Enerji"]);
        assert_eq!(a.status, Status::Published);
        assert_eq!(a.sources.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(), ["Turan", "APA"]);
        assert_eq!(a.body, "Gövde\r\n");
    }

    #[test]
    fn an_image_is_a_link_or_a_table_with_its_size() {
        let short = parse_content_file("+++\ntitle = \"T\"\ncategory = \"C\"\nimage = \"/medya/a.jpg\"\n+++\n", now());
        assert_eq!(short.unwrap().image.unwrap().url, "/medya/a.jpg");
        let text = "---\ntitle: T\ncategory: C\nimage:\n  url: https://foto.example/liman.jpg\n  alt: Bakü limanı\n  \
                    credit: \"Fotoğraf: AA\"\n  width: 1600\n  height: 900\n---\n";
        let image = parse_content_file(text, now()).unwrap().image.unwrap();
        assert_eq!((image.alt.as_str(), image.width, image.height), ("Bakü limanı", Some(1600), Some(900)));
        assert_eq!(image.credit.as_deref(), Some("Fotoğraf: AA"));
    }

    #[test]
    fn the_text_may_name_its_language() {
        let en = parse_content_file("+++\ntitle = \"T\"\ncategory = \"C\"\nlang = \"en\"\n+++\n", now()).unwrap();
        assert_eq!(en.lang, Some(manset_core::Lang::En));
        let site = parse_content_file("---\ntitle: T\ncategory: C\n---\n", now()).unwrap();
        assert_eq!(site.lang, None, "the site's language");
        let unknown = parse_content_file("---\ntitle: T\ncategory: C\nlang: de\n---\n", now()).unwrap_err();
        assert!(unknown.to_string().contains("use `tr` or `en`"), "{unknown}");
    }

    #[test]
    fn published_defaults_to_now() {
        let a = parse_content_file("+++\ntitle = \"T\"\ncategory = \"C\"\n+++\n", now()).unwrap();
        assert_eq!(a.published_at, now());
        assert_eq!(a.body, "");
    }

    #[test]
    fn bad_front_matter_says_what_is_wrong() {
        let err = |t: &str| parse_content_file(t, now()).unwrap_err();
        assert_eq!(err("Just a body"), ContentError::NoFrontMatter);
        assert_eq!(err("+++\ntitle = \"T\"\n"), ContentError::Unclosed("+++"));
        assert!(matches!(err("+++\ntitle = \n+++\n"), ContentError::Toml(_)));
        assert!(matches!(err("---\ntitle: [unclosed\n---\n"), ContentError::Yaml(_)));
        let missing = err("+++\ncategory = \"C\"\n+++\n").to_string();
        assert!(missing.contains("title"), "{missing}");
        let typo = err("+++\ntitle = \"T\"\ncategory = \"C\"\ncategroy = \"x\"\n+++\n").to_string();
        assert!(typo.contains("categroy"), "{typo}");
        assert_eq!(
            err("+++\ntitle = \"T\"\ncategory = \"C\"\npublished = \"dün\"\n+++\n"),
            ContentError::BadDate { field: "published", value: "dün".into() }
        );
        let offsetless = err("+++\ntitle = \"T\"\ncategory = \"C\"\npublished = 2024-06-28T10:00:00\n+++\n");
        assert!(matches!(offsetless, ContentError::BadDate { .. }), "{offsetless}");
    }
}
