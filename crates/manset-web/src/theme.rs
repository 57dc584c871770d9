//! The theme: templates and static files. The default theme is embedded in
//! the binary; a theme folder (`--theme DIR`) overrides any template
//! (`DIR/templates/<name>`) or static file (`DIR/static/<name>`) and may add
//! new ones.
//!
//! Invariants: templates autoescape HTML and treat undefined values as errors,
//! so a typo in a template fails loudly in tests instead of printing nothing.
//! Static files are served from memory under a content-hashed URL.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use minijinja::syntax::SyntaxConfig;
use minijinja::value::{Kwargs, Serde};
use minijinja::{AutoEscape, Environment, ErrorKind, Output, State, UndefinedBehavior, Value, escape_formatter};
use serde::Serialize;

use crate::config::SiteConfig;
use crate::i18n;

macro_rules! embedded {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../../../themes/default/", $name)))),*]
    };
}

/// The default theme's templates, by name relative to `templates/`.
const TEMPLATES: &[(&str, &str)] = embedded![
    "templates/base.html",
    "templates/home.html",
    "templates/article.html",
    "templates/category.html",
    "templates/tag.html",
    "templates/author.html",
    "templates/page.html",
    "templates/search.html",
    "templates/not_found.html",
    "templates/error.html",
    "templates/partials/card.html",
    "templates/partials/pagination.html",
    "templates/partials/comment_form.html",
    "templates/partials/comment.html",
    "templates/partials/share.html",
    "templates/admin/base.html",
    "templates/admin/login.html",
    "templates/admin/login_code.html",
    "templates/admin/dashboard.html",
    "templates/admin/password.html",
    "templates/admin/users.html",
    "templates/admin/editor.html",
    "templates/admin/revisions.html",
    "templates/admin/conflict.html",
    "templates/admin/confirm.html",
    "templates/admin/comments.html",
    "templates/admin/audit.html",
    "templates/admin/pages.html",
    "templates/admin/page_editor.html",
    "templates/admin/front.html",
    "templates/admin/media.html",
    "templates/admin/media_item.html",
    "templates/admin/preview.html",
    "templates/admin/settings.html",
    "templates/admin/taxonomy.html",
    "templates/admin/two_factor.html",
];

/// The default theme's static files, by name relative to `static/`.
const STATIC: &[(&str, &str)] = embedded![
    "static/style.css",
    "static/admin.css",
    "static/favicon.svg",
    "static/comments.js",
    "static/editor.js",
    "static/desk.js"
];

/// The default theme's binary static files.
const BINARY: &[(&str, &[u8])] = &[("logo.png", include_bytes!("../../../themes/default/static/logo.png"))];

/// Why a theme could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum ThemeError {
    #[error("cannot read theme file {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("template {name} has an error: {source}")]
    Template { name: String, source: minijinja::Error },
    #[error("the interface strings do not parse: {0}")]
    Strings(#[from] toml::de::Error),
}

/// A static file held in memory.
#[derive(Debug)]
pub struct Asset {
    pub bytes: Vec<u8>,
    pub content_type: &'static str,
    /// A hash of the content, in the URL so browsers may cache it for a year.
    pub version: String,
}

/// Loaded templates and static files, ready to render.
pub struct Theme {
    env: Environment<'static>,
    assets: HashMap<String, Asset>,
    asset_urls: HashMap<String, String>,
    strings: BTreeMap<String, String>,
}

impl std::fmt::Debug for Theme {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Theme").field("assets", &self.assets.keys().collect::<Vec<_>>()).finish()
    }
}

impl Theme {
    /// Loads the default theme, with the files of `override_dir` taking
    /// precedence, for the site `site`. Every template is compiled now, so a
    /// broken theme stops the start, not a reader's request.
    pub fn load(override_dir: Option<&Path>, site: &SiteConfig) -> Result<Theme, ThemeError> {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        env.set_auto_escape_callback(|_| AutoEscape::Html);
        env.set_formatter(format_value);
        env.set_syntax(
            SyntaxConfig::builder()
                .trim_blocks(true)
                .lstrip_blocks(true)
                .build()
                .map_err(|source| ThemeError::Template { name: "(syntax)".into(), source })?,
        );

        let mut templates: BTreeMap<String, String> =
            TEMPLATES.iter().map(|(path, text)| (strip_dir(path, "templates/"), (*text).to_owned())).collect();
        let mut statics: BTreeMap<String, Vec<u8>> =
            STATIC.iter().map(|(path, text)| (strip_dir(path, "static/"), text.as_bytes().to_vec())).collect();
        statics.extend(BINARY.iter().map(|(name, bytes)| ((*name).to_owned(), bytes.to_vec())));
        if let Some(dir) = override_dir {
            read_tree(&dir.join("templates"), &dir.join("templates"), &mut |name, bytes| {
                templates.insert(name, String::from_utf8_lossy(&bytes).into_owned());
            })?;
            read_tree(&dir.join("static"), &dir.join("static"), &mut |name, bytes| {
                statics.insert(name, bytes);
            })?;
        }

        let assets: HashMap<String, Asset> = statics
            .into_iter()
            .map(|(name, bytes)| {
                let asset =
                    Asset { content_type: content_type(&name), version: format!("{:016x}", fnv1a(&bytes)), bytes };
                (name, asset)
            })
            .collect();
        let asset_urls: BTreeMap<&str, String> =
            assets.iter().map(|(name, a)| (name.as_str(), format!("/static/{name}?v={}", &a.version[..10]))).collect();

        let strings = i18n::strings(site.lang)?;
        env.add_global("t", Value::from(Serde(&strings)));
        env.add_global("site", Value::from(Serde(SiteGlobals { name: &site.name, lang: site.lang.tag() })));
        env.add_global("assets", Value::from(Serde(&asset_urls)));
        let asset_urls = asset_urls.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
        env.add_filter("fill", fill);

        for (name, source) in templates {
            env.add_template_owned(name.clone(), source)
                .map_err(|source| ThemeError::Template { name: name.clone(), source })?;
        }
        Ok(Theme { env, assets, asset_urls, strings })
    }

    /// Renders template `name` with `context`.
    pub fn render<S: Serialize>(&self, name: &str, context: &S) -> Result<String, minijinja::Error> {
        self.env.get_template(name)?.render(Serde(context))
    }

    /// The interface string `key` in the site's language, for the few texts
    /// set outside templates (page titles of error pages). An unknown key
    /// gives the key itself, which a test would notice.
    pub fn text<'a>(&'a self, key: &'a str) -> &'a str {
        self.strings.get(key).map_or(key, String::as_str)
    }

    /// The versioned URL path of static file `name` (`/static/logo.png?v=…`).
    pub fn asset_url(&self, name: &str) -> Option<&str> {
        self.asset_urls.get(name).map(String::as_str)
    }

    /// The static file `name`, if the theme has it.
    pub fn asset(&self, name: &str) -> Option<&Asset> {
        self.assets.get(name)
    }
}

impl Asset {
    /// Width and height of a PNG, read from its header; `None` for anything else.
    pub fn png_size(&self) -> Option<(u32, u32)> {
        let b = &self.bytes;
        if b.len() < 24 || &b[..8] != b"\x89PNG\r\n\x1a\n" || &b[12..16] != b"IHDR" {
            return None;
        }
        let be = |i: usize| u32::from_be_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]);
        Some((be(16), be(20)))
    }
}

#[derive(Serialize)]
struct SiteGlobals<'a> {
    name: &'a str,
    lang: &'a str,
}

/// Prints a value, HTML-escaping strings the way pages need it: `& < > " '`
/// become entities, and `/` stays as it is so URLs and dates read plainly in
/// the source (minijinja's default also escapes `/`, which HTML never needs).
fn format_value(out: &mut Output, state: &mut State, value: &Value) -> Result<(), minijinja::Error> {
    match value.as_str() {
        Some(text) if *state.auto_escape() == AutoEscape::Html && !value.is_safe() => {
            manset_text::html::write_escaped(out, text)
                .map_err(|e| minijinja::Error::new(ErrorKind::WriteFailure, e.to_string()))
        }
        _ => escape_formatter(out, state, value),
    }
}

/// `{{ t.reading_time|fill(n=3) }}`: replaces `{n}` in a translated string.
fn fill(text: &str, kwargs: Kwargs) -> Result<String, minijinja::Error> {
    // One pass over the translation's text: a value is inserted as it is and
    // never scanned again, so a reader's name like `{n}` cannot break a page.
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            out.push_str(&rest[open..]);
            rest = "";
            break;
        };
        let key = &after[..close];
        let value: Value = kwargs.get(key).map_err(|_| {
            minijinja::Error::new(
                ErrorKind::MissingArgument,
                format!("`{text}` has a placeholder `{{{key}}}` left unfilled"),
            )
        })?;
        out.push_str(&value.to_string());
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    // A translation may leave out a value another language uses.
    for key in kwargs.args() {
        let _: Value = kwargs.get(key)?;
    }
    Ok(out)
}

fn strip_dir(path: &str, dir: &str) -> String {
    path.strip_prefix(dir).unwrap_or(path).to_owned()
}

/// Calls `found` with the name (relative to `root`, `/`-separated) and
/// content of every file under `dir`; a missing `dir` is no error.
fn read_tree(root: &Path, dir: &Path, found: &mut dyn FnMut(String, Vec<u8>)) -> Result<(), ThemeError> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(source) => {
            return Err(ThemeError::Read { path: dir.to_owned(), source });
        }
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            read_tree(root, &path, found)?;
        } else {
            let bytes = std::fs::read(&path).map_err(|source| ThemeError::Read { path: path.clone(), source })?;
            let name = path.strip_prefix(root).unwrap_or(&path).to_string_lossy().replace('\\', "/");
            found(name, bytes);
        }
    }
    Ok(())
}

fn content_type(name: &str) -> &'static str {
    match name.rsplit('.').next().unwrap_or("") {
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// FNV-1a: a tiny, stable content hash for cache-busting URLs (not security).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> SiteConfig {
        SiteConfig {
            name: "Test".into(),
            lang: manset_text::Lang::Tr,
            time_zone: jiff::tz::TimeZone::UTC,
            base_url: "http://localhost".into(),
            per_page: 10,
            sitemap_urls: crate::SiteConfig::MAX_SITEMAP_URLS,
            description: String::new(),
            logo: None,
        }
    }

    #[test]
    fn the_default_theme_compiles() {
        let theme = Theme::load(None, &site()).unwrap();
        assert!(theme.asset("style.css").is_some());
    }

    #[test]
    fn a_theme_folder_overrides_templates_and_static_files() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("templates/partials")).unwrap();
        std::fs::create_dir_all(dir.path().join("static")).unwrap();
        std::fs::write(dir.path().join("templates/error.html"), "özel {{ t.error_title }}").unwrap();
        std::fs::write(dir.path().join("static/style.css"), "body{}").unwrap();
        let theme = Theme::load(Some(dir.path()), &site()).unwrap();
        assert_eq!(theme.render("error.html", &()).unwrap(), "özel Bir sorun oluştu");
        assert_eq!(theme.asset("style.css").unwrap().bytes, b"body{}");
    }

    #[test]
    fn a_broken_template_stops_loading_with_its_name() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("templates")).unwrap();
        std::fs::write(dir.path().join("templates/home.html"), "{% if %}").unwrap();
        let err = Theme::load(Some(dir.path()), &site()).unwrap_err().to_string();
        assert!(err.contains("home.html"), "{err}");
    }

    #[test]
    fn escaping_keeps_slashes_and_neutralizes_markup() {
        let theme = Theme::load(None, &site()).unwrap();
        let mut env = theme.env.clone();
        env.add_template("x", "<a href=\"{{ u }}\">{{ s }}</a>").unwrap();
        let html = env
            .get_template("x")
            .unwrap()
            .render(minijinja::context! { u => "/haber/a", s => "<b>\"İstanbul'da\" & </b>" })
            .unwrap();
        assert_eq!(html, "<a href=\"/haber/a\">&lt;b&gt;&quot;İstanbul&#39;da&quot; &amp; &lt;/b&gt;</a>");
    }

    #[test]
    fn fill_replaces_placeholders_and_refuses_leftovers() {
        let env = Environment::new();
        let mut env = env;
        env.add_filter("fill", fill);
        assert_eq!(env.render_str("{{ '{n} dk'|fill(n=3) }}", ()).unwrap(), "3 dk");
        assert!(env.render_str("{{ '{n} dk'|fill(m=3) }}", ()).is_err());
        // A value is inserted once, never read as a placeholder itself.
        assert_eq!(env.render_str("{{ 'Yanıt: {name}'|fill(name='{n}') }}", ()).unwrap(), "Yanıt: {n}");
    }
}
