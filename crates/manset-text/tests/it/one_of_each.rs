//! One of each: the workspace has one HTML escaper (`manset_text::html`,
//! and the XML one beside it, `manset_text::xml`), one table of month and
//! weekday names (`manset_text::dates`) and one percent-encoder
//! (`manset_text::percent`). Copies grew in four crates before; this test
//! reads every `crates/*/src/**/*.rs` and fails on a new one, naming the
//! file and line and the module to call instead.
//!
//! The checks read lines, not syntax: an escaper is a line that turns `&`
//! into `&amp;` (a `match` arm, a `replace`), a name table is two or more
//! month or weekday names as whole string literals in one file, an encoder
//! is a `%XX` format or a `'%'` pushed before hex digits, or a function
//! named like one. Comment lines are skipped, and so is what `#[cfg(test)]`
//! marks (test modules), where expected output is spelled out.

use std::path::{Path, PathBuf};

/// Where each helper lives, relative to the workspace; the only files
/// allowed to do what the checks look for.
const HTML_HOME: &[&str] = &["crates/manset-text/src/html.rs", "crates/manset-text/src/xml.rs"];
const DATES_HOME: &str = "crates/manset-text/src/dates.rs";
const PERCENT_HOME: &str = "crates/manset-text/src/percent.rs";

const MONTHS: [&str; 36] = [
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "May",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Oct",
    "Nov",
    "Dec",
    "January",
    "February",
    "March",
    "April",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Ocak",
    "Şubat",
    "Mart",
    "Nisan",
    "Mayıs",
    "Haziran",
    "Temmuz",
    "Ağustos",
    "Eylül",
    "Ekim",
    "Kasım",
    "Aralık",
    "Sept",
];
const WEEKDAYS: [&str; 21] = [
    "Mon",
    "Tue",
    "Wed",
    "Thu",
    "Fri",
    "Sat",
    "Sun",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "Pazartesi",
    "Salı",
    "Çarşamba",
    "Perşembe",
    "Cuma",
    "Cumartesi",
    "Pazar",
];

/// What a check found: where, and what to do about it.
#[derive(Debug, PartialEq, Eq)]
struct Finding {
    path: String,
    line: usize,
    what: &'static str,
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {}", self.path, self.line, self.what)
    }
}

const ESCAPER: &str = "a second HTML escaper: call manset_text::html::{escape, escape_text, write_escaped} \
                       (or manset_text::xml::escape for XML)";
const NAMES: &str = "a second table of month or weekday names: format dates with manset_text::dates";
const ENCODER: &str = "a second percent-encoder: call manset_text::percent::{encode, encode_keeping}";

/// The lines of `source` the checks read, numbered from 1: no comment
/// lines, and nothing of what `#[cfg(test)]` marks (a test module, to its
/// closing brace, counted naively: braces in strings there must balance).
fn code_lines(source: &str) -> Vec<(usize, &str)> {
    let mut lines = Vec::new();
    let (mut in_test, mut depth, mut opened) = (false, 0i64, false);
    for (i, line) in source.lines().enumerate() {
        let trimmed = line.trim();
        if !in_test && trimmed == "#[cfg(test)]" {
            (in_test, depth, opened) = (true, 0, false);
            continue;
        }
        if in_test {
            for c in line.chars() {
                match c {
                    '{' => (depth, opened) = (depth + 1, true),
                    '}' => depth -= 1,
                    _ => {}
                }
            }
            // The item ends at its closing brace, or at `;` if it has none.
            in_test = if opened { depth > 0 } else { !trimmed.ends_with(';') };
            continue;
        }
        if !trimmed.starts_with("//") {
            lines.push((i + 1, line));
        }
    }
    lines
}

/// Everything wrong with the file at `path` (relative to the workspace,
/// with `/`) holding `source`.
fn findings(path: &str, source: &str) -> Vec<Finding> {
    let mut found = Vec::new();
    let at = |line: usize, what: &'static str| Finding { path: path.to_owned(), line, what };

    if !HTML_HOME.contains(&path) {
        let mut previous = "";
        for (n, line) in code_lines(source) {
            let ampersand = |l: &str| l.contains("'&'") || l.contains("\"&\"");
            if line.contains("\"&amp;\"") && (ampersand(line) || ampersand(previous)) {
                found.push(at(n, ESCAPER));
            }
            previous = line;
        }
    }

    if path != DATES_HOME {
        let mut names: Vec<(usize, &str)> = Vec::new();
        for (n, line) in code_lines(source) {
            for name in MONTHS.iter().chain(WEEKDAYS.iter()) {
                if line.contains(&format!("\"{name}\"")) && !names.iter().any(|(_, seen)| seen == name) {
                    names.push((n, name));
                }
            }
        }
        if names.len() >= 2 {
            found.push(at(names[0].0, NAMES));
        }
    }

    if path != PERCENT_HOME {
        for (n, line) in code_lines(source) {
            let hex_format = line.match_indices("%{").any(|(i, _)| {
                let rest = &line[i + 2..];
                rest.find('}').is_some_and(|end| rest[..end].ends_with(":02X") || rest[..end].ends_with(":02x"))
            });
            let pushed = line.contains("push('%')") || line.contains("push_str(\"%\")") || line.contains("b'%' =>");
            let named = line.split("fn ").skip(1).any(|after| {
                let name: String = after.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                let name = name.to_ascii_lowercase();
                name.contains("percent_enc")
                    || name.contains("pct_enc")
                    || name.contains("url_encode")
                    || matches!(name.as_str(), "urlencode" | "encode_uri" | "encode_uri_component")
            });
            if hex_format || pushed || named {
                found.push(at(n, ENCODER));
            }
        }
    }
    found
}

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Every `.rs` file under `dir`, sorted.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn the_workspace_has_one_html_escaper_one_date_name_table_and_one_percent_encoder() {
    let root = workspace();
    let mut files = Vec::new();
    let crates = std::fs::read_dir(root.join("crates")).expect("the workspace's crates folder");
    for krate in crates.filter_map(Result::ok) {
        rust_files(&krate.path().join("src"), &mut files);
    }
    let relative = |p: &Path| p.strip_prefix(&root).unwrap_or(p).to_string_lossy().replace('\\', "/");
    let scanned: Vec<String> = files.iter().map(|p| relative(p)).collect();
    // A wrong root would find nothing and pass: the homes must be among what was read.
    for home in HTML_HOME.iter().chain([&DATES_HOME, &PERCENT_HOME]) {
        assert!(
            scanned.iter().any(|s| s == home),
            "{home} was not scanned; the walk is broken ({} files)",
            files.len()
        );
    }
    assert!(scanned.iter().any(|s| s.starts_with("crates/manset-web/src/")), "the web crate was scanned");

    let mut problems = Vec::new();
    for (path, name) in files.iter().zip(&scanned) {
        let source = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {name}: {e}"));
        problems.extend(findings(name, &source));
    }
    let list: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert!(problems.is_empty(), "{} copies of what manset-text owns:\n{}", problems.len(), list.join("\n"));
}

// The checks themselves, on the copies this rule replaced: each must be caught.

#[test]
fn an_escaping_match_is_caught() {
    let theme = r#"
fn write_escaped(out: &mut impl std::fmt::Write, text: &str) -> std::fmt::Result {
    for (i, b) in text.bytes().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            _ => continue,
        };
    }
}
"#;
    assert_eq!(
        findings("crates/manset-web/src/theme.rs", theme),
        vec![Finding { path: "crates/manset-web/src/theme.rs".into(), line: 5, what: ESCAPER }]
    );
    let chars = "        match c {\n            '&' => out.push_str(\"&amp;\"),\n";
    assert_eq!(findings("crates/x/src/a.rs", chars).len(), 1);
    let arm_on_two_lines = "            '&' =>\n                out.push_str(\"&amp;\"),\n";
    assert_eq!(findings("crates/x/src/a.rs", arm_on_two_lines).len(), 1);
}

#[test]
fn an_escaping_replace_is_caught() {
    let search =
        "        let escaped = text\n            .replace('&', \"&amp;\")\n            .replace('<', \"&lt;\");\n";
    assert_eq!(findings("crates/manset-web/src/pages/search.rs", search).len(), 1);
    assert_eq!(findings("crates/x/src/a.rs", "s.replace(\"&\", \"&amp;\")").len(), 1);
}

#[test]
fn month_and_weekday_tables_are_caught() {
    let http_cache = r#"
pub fn http_date(at: Timestamp) -> String {
    const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
"#;
    assert_eq!(
        findings("crates/manset-web/src/http_cache.rs", http_cache),
        vec![Finding { path: "crates/manset-web/src/http_cache.rs".into(), line: 3, what: NAMES }]
    );
    let turkish = "const AYLAR: [&str; 2] = [\n    \"Ocak\",\n    \"Şubat\",\n];\n";
    assert_eq!(findings("crates/x/src/a.rs", turkish).len(), 1);
}

#[test]
fn percent_encoders_are_caught() {
    let views = r#"
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        out.push_str(&format!("%{b:02X}"));
    }
    out
}
"#;
    let lines: Vec<usize> = findings("crates/manset-web/src/views.rs", views).iter().map(|f| f.line).collect();
    assert_eq!(lines, vec![2, 5], "the function's name and its format");
    assert_eq!(findings("crates/x/src/a.rs", "let s = format!(\"%{:02x}\", b);").len(), 1);
    assert_eq!(findings("crates/x/src/a.rs", "out.push('%');").len(), 1);
    assert_eq!(findings("crates/x/src/a.rs", "fn url_encode(s: &str) -> String {").len(), 1);
}

#[test]
fn homes_comments_tests_and_look_alikes_are_not_copies() {
    let escaper = "            '&' => out.push_str(\"&amp;\"),\n";
    assert!(findings("crates/manset-text/src/html.rs", escaper).is_empty());
    assert!(findings("crates/manset-text/src/xml.rs", escaper).is_empty());
    let table = "const M: [&str; 2] = [\"Jan\", \"Feb\"];";
    assert!(findings("crates/manset-text/src/dates.rs", table).is_empty());
    assert!(findings("crates/manset-text/src/percent.rs", "out.push('%');").is_empty());
    let commented = "// '&' => out.push_str(\"&amp;\"),\n/// [\"Jan\", \"Feb\"] and format!(\"%{b:02X}\")\n";
    assert!(findings("crates/x/src/a.rs", commented).is_empty());
    let in_tests = "fn f() {}\n#[cfg(test)]\nmod tests {\n    const M: [&str; 2] = [\"Jan\", \"Feb\"];\n}\n";
    assert!(findings("crates/x/src/a.rs", in_tests).is_empty());
    // Hex for hashes and tokens is not percent-encoding; one name is not a table.
    let hex = "let token: String = bytes.iter().map(|b| format!(\"{b:02x}\")).collect();";
    assert!(findings("crates/x/src/a.rs", hex).is_empty());
    assert!(findings("crates/x/src/a.rs", "let when = \"May 2024\"; let m = \"Mart\";").is_empty());
    assert!(findings("crates/x/src/a.rs", "fn percentile(v: &[f64]) -> f64 {").is_empty());
    assert!(findings("crates/x/src/a.rs", "fn form_urlencoded_pairs(query: &str) {").is_empty(), "a decoder");
    // Turning entities back into text is not escaping.
    assert!(findings("crates/x/src/a.rs", "            \"amp\" => Some('&'),").is_empty());
}

#[test]
fn code_after_a_test_module_is_still_read() {
    let source = "#[cfg(test)]\nmod tests {\n    fn t() { let s = format!(\"{}\", 1); }\n}\n\n#[cfg(test)]\nuse std::fmt;\n\nfn encode(b: u8) -> String {\n    format!(\"%{b:02X}\")\n}\n";
    let lines: Vec<usize> = findings("crates/x/src/a.rs", source).iter().map(|f| f.line).collect();
    assert_eq!(lines, vec![10]);
}
