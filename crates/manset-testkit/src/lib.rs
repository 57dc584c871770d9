//! Helpers for Manşet's tests, never linked into the binary.
//!
//! Test material from outside the project (the seed article, WordPress
//! exports, feeds) lives in `../shared` beside the repository, never in it.
//! [`shared_dir`] is the one place that finds it: env `MANSET_TESTDATA`, or
//! `../shared` relative to the workspace. In a user's clone it is absent and
//! tests that need it skip with a message; with `CI=true` its absence fails.

use std::path::PathBuf;

/// The folder holding `seed/` and `testdata/`, or `None` (after saying so)
/// when it is absent outside CI. Panics in CI when absent.
pub fn shared_dir() -> Option<PathBuf> {
    let dir = match std::env::var_os("MANSET_TESTDATA") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared"),
    };
    if dir.join("seed").is_dir() {
        return Some(dir);
    }
    let ci = std::env::var("CI").is_ok_and(|v| v == "true" || v == "1");
    assert!(
        !ci,
        "CI=true but the shared test data is missing at {}: set MANSET_TESTDATA to the folder holding seed/ and testdata/",
        dir.display()
    );
    eprintln!("skipped: shared test data not found at {} (set MANSET_TESTDATA)", dir.display());
    None
}

/// The text of the seed article page (`seed/000_c669be6180575091.txt`).
pub fn seed_text() -> Option<String> {
    let path = shared_dir()?.join("seed/000_c669be6180575091.txt");
    Some(std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display())))
}

/// The seed page taken apart the way a newsroom would type it in.
#[derive(Debug, Clone)]
pub struct SeedArticle {
    pub category: String,
    pub headline: String,
    pub standfirst: String,
    /// Body paragraphs, in order.
    pub paragraphs: Vec<String>,
    /// The attribution line at the end of the body.
    pub source_note: String,
}

/// Parses the seed page: kicker, headline, standfirst, body paragraphs up to
/// the attribution line, which comes right before "İlgili Makaleler".
pub fn seed_article() -> Option<SeedArticle> {
    let text = seed_text()?;
    let blocks: Vec<&str> = text.split("\n\n").map(str::trim).filter(|b| !b.is_empty()).collect();
    let end =
        blocks.iter().position(|b| *b == "İlgili Makaleler").expect("the seed page has an 'İlgili Makaleler' block");
    assert!(end >= 5, "the seed page is shorter than expected");
    Some(SeedArticle {
        category: blocks[0].to_owned(),
        headline: blocks[1].to_owned(),
        standfirst: blocks[2].to_owned(),
        paragraphs: blocks[3..end - 1].iter().map(|s| (*s).to_owned()).collect(),
        source_note: blocks[end - 1].to_owned(),
    })
}

impl SeedArticle {
    /// The seed as a content file (TOML front matter), credited to Meydan.tv
    /// with its attribution line as the note, published at `published`
    /// (RFC 3339), written by `author`.
    pub fn content_file(&self, published: &str, author: &str) -> String {
        format!(
            "+++\ntitle = {}\nstandfirst = {}\ncategory = {}\ntags = [\"ABD\", \"Diplomasi\", \"COP29\"]\n\
             author = {}\npublished = {published}\n\n[source]\nname = \"Meydan.tv\"\nurl = \"https://www.meydan.tv/\"\nnote = {}\n+++\n\n{}\n",
            toml_string(&self.headline),
            toml_string(&self.standfirst),
            toml_string(&self.category),
            toml_string(author),
            toml_string(&self.source_note),
            self.paragraphs.join("\n\n"),
        )
    }
}

/// A TOML basic string.
pub fn toml_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A short filler article as a content file.
pub fn filler_file(title: &str, category: &str, published: &str, tags: &[&str]) -> String {
    let tags: Vec<String> = tags.iter().map(|t| toml_string(t)).collect();
    format!(
        "+++\ntitle = {}\nstandfirst = \"Kısa bir spot.\"\ncategory = {}\ntags = [{}]\npublished = {published}\n+++\n\nBirinci paragraf.\n\nİkinci paragraf.\n",
        toml_string(title),
        toml_string(category),
        tags.join(", ")
    )
}
