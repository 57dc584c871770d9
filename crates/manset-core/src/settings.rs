//! Site settings the newsroom can change without a restart, with their
//! defaults and the rules for their values. Stored as text by the store;
//! read and checked here.

/// One known setting.
#[derive(Debug, Clone, Copy)]
pub struct SettingSpec {
    pub key: &'static str,
    pub default: &'static str,
    pub help: &'static str,
    check: fn(&str) -> Result<(), String>,
}

impl SettingSpec {
    /// Checks a value for this setting; the error says what is accepted.
    pub fn check(&self, value: &str) -> Result<(), String> {
        (self.check)(value)
    }
}

fn boolean(v: &str) -> Result<(), String> {
    parse_bool(v).map(|_| ()).ok_or_else(|| format!("`{v}` is not true or false"))
}

fn number(min: u32, max: u32) -> impl Fn(&str) -> Result<(), String> {
    move |v| match v.trim().parse::<u32>() {
        Ok(n) if (min..=max).contains(&n) => Ok(()),
        _ => Err(format!("`{v}` is not a whole number from {min} to {max}")),
    }
}

fn any_text(_: &str) -> Result<(), String> {
    Ok(())
}

fn site_name(v: &str) -> Result<(), String> {
    match v.trim().chars().count() {
        0 => Err("the site needs a name".to_owned()),
        n if n > 100 => Err(format!("the name has {n} characters; at most 100")),
        _ => Ok(()),
    }
}

fn short_text(max: usize) -> impl Fn(&str) -> Result<(), String> {
    move |v| match v.trim().chars().count() {
        n if n > max => Err(format!("the text has {n} characters; at most {max}")),
        _ => Ok(()),
    }
}

fn language(v: &str) -> Result<(), String> {
    match v.trim() {
        "tr" | "en" => Ok(()),
        other => Err(format!("`{other}` is not a language the site speaks: use tr or en")),
    }
}

fn time_zone_name(v: &str) -> Result<(), String> {
    // The names themselves are checked against the time-zone database by the
    // web layer, which has it; here only their shape.
    let v = v.trim();
    let plain = !v.is_empty() && v.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '_' | '-' | '+'));
    if plain { Ok(()) } else { Err(format!("`{v}` is not an IANA time-zone name such as Europe/Istanbul")) }
}

fn media_path(v: &str) -> Result<(), String> {
    let v = v.trim();
    if v.is_empty() || (v.starts_with("/medya/") && !v.contains("..")) {
        Ok(())
    } else {
        Err(format!("`{v}` is not an image of the media library (an address starting with /medya/)"))
    }
}

fn frame_ancestors(v: &str) -> Result<(), String> {
    let v = v.trim();
    let origin = |o: &str| {
        o.strip_prefix("https://").is_some_and(|host| {
            !host.is_empty() && host.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '*'))
        })
    };
    if v.is_empty() || v == "none" || v == "self" || v.split_whitespace().all(origin) {
        Ok(())
    } else {
        Err(format!("`{v}` is not `none`, `self` or https:// origins separated by spaces"))
    }
}

fn security_contact(v: &str) -> Result<(), String> {
    let v = v.trim();
    let ok = v.is_empty()
        || (v.starts_with("mailto:") && v.contains('@') && !v.contains(char::is_whitespace))
        || (v.starts_with("https://") && !v.contains(char::is_whitespace));
    if ok { Ok(()) } else { Err(format!("`{v}` is not a mailto: or https:// address")) }
}

fn role_list(v: &str) -> Result<(), String> {
    match v.split(',').map(str::trim).filter(|r| !r.is_empty()).find(|r| r.parse::<crate::Role>().is_err()) {
        None => Ok(()),
        Some(bad) => {
            Err(format!("`{bad}` is not a role: use contributor, author, editor or admin, separated by commas"))
        }
    }
}

/// The roles whose members must sign in with a second factor, from the
/// `security.two_factor_roles` value (unknown names are left out).
pub fn two_factor_roles(value: &str) -> Vec<crate::Role> {
    value.split(',').filter_map(|r| r.trim().parse().ok()).collect()
}

/// Every setting the site knows.
pub const SETTINGS: &[SettingSpec] = &[
    SettingSpec {
        key: "site.name",
        default: "",
        help: "the site's name, in the header, titles, feeds and structured data (unset: serve's --site-name)",
        check: site_name,
    },
    SettingSpec {
        key: "site.description",
        default: "",
        help: "one sentence about the site, for the home page's description (at most 300 characters)",
        check: |v| short_text(300)(v),
    },
    SettingSpec {
        key: "site.lang",
        default: "",
        help: "the interface language: tr or en (unset: serve's --lang)",
        check: language,
    },
    SettingSpec {
        key: "site.timezone",
        default: "",
        help: "the time zone of dates on pages, an IANA name (unset: serve's --timezone)",
        check: time_zone_name,
    },
    SettingSpec {
        key: "site.logo",
        default: "",
        help: "the logo for search engines and share cards: a media library image (/medya/…); empty = the theme's",
        check: media_path,
    },
    SettingSpec {
        key: "comments.hold_all",
        default: "false",
        help: "hold every new comment for a moderator (true/false)",
        check: boolean,
    },
    SettingSpec {
        key: "comments.max_depth",
        default: "3",
        help: "levels of threaded replies, 1 = no replies (1-10)",
        check: |v| number(1, 10)(v),
    },
    SettingSpec {
        key: "comments.rate_per_minute",
        default: "5",
        help: "comments one address may send per minute, 0 = no limit (0-10000)",
        check: |v| number(0, 10_000)(v),
    },
    SettingSpec {
        key: "comments.min_seconds",
        default: "3",
        help: "seconds a person needs at least between seeing the form and sending it (0-600)",
        check: |v| number(0, 600)(v),
    },
    SettingSpec {
        key: "feeds.full_text",
        default: "true",
        help: "feeds carry whole articles (true) or only their standfirst (false)",
        check: boolean,
    },
    SettingSpec {
        key: "media.max_megabytes",
        default: "20",
        help: "largest image upload in megabytes (1-100)",
        check: |v| number(1, 100)(v),
    },
    SettingSpec {
        key: "security.frame_ancestors",
        default: "none",
        help: "which sites may show pages in a frame: none, self, or https:// origins separated by spaces",
        check: frame_ancestors,
    },
    SettingSpec {
        key: "security.hsts",
        default: "false",
        help: "tell browsers to come back over HTTPS only, for a year (turn on only when the site is served over HTTPS)",
        check: boolean,
    },
    SettingSpec {
        key: "security.contact",
        default: "",
        help: "where to report a security problem (mailto: or https://), published at /.well-known/security.txt",
        check: security_contact,
    },
    SettingSpec {
        key: "security.two_factor_roles",
        default: "",
        help: "roles whose members must sign in with an authenticator app's code too, e.g. admin,editor \
               (members who have not set it up are sent to do so first)",
        check: role_list,
    },
    SettingSpec {
        key: "comments.held_words",
        default: "",
        help: "comma-separated words or phrases that hold a comment for a moderator",
        check: any_text,
    },
];

/// The spec of `key`, if it is a known setting.
pub fn spec(key: &str) -> Option<&'static SettingSpec> {
    SETTINGS.iter().find(|s| s.key == key)
}

/// Reads a boolean setting value (`true`/`false`, `evet`/`hayır`, …).
pub fn parse_bool(v: &str) -> Option<bool> {
    match v.trim().to_ascii_lowercase().as_str() {
        "true" | "yes" | "on" | "1" | "evet" => Some(true),
        "false" | "no" | "off" | "0" | "hayır" => Some(false),
        _ => None,
    }
}

/// The comment rules in force, read from the stored settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommentSettings {
    pub hold_all: bool,
    pub max_depth: u32,
    /// 0 means no limit.
    pub rate_per_minute: u32,
    pub min_seconds: u32,
    pub held_words: Vec<String>,
}

impl CommentSettings {
    /// Builds the settings from `(key, value)` pairs; absent or unreadable
    /// values fall back to their defaults.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> CommentSettings {
        let mut s = CommentSettings::default();
        for (key, value) in pairs {
            match key {
                "comments.hold_all" => s.hold_all = parse_bool(value).unwrap_or(s.hold_all),
                "comments.max_depth" => s.max_depth = value.trim().parse().unwrap_or(s.max_depth).clamp(1, 10),
                "comments.rate_per_minute" => s.rate_per_minute = value.trim().parse().unwrap_or(s.rate_per_minute),
                "comments.min_seconds" => s.min_seconds = value.trim().parse().unwrap_or(s.min_seconds),
                "comments.held_words" => {
                    s.held_words =
                        value.split([',', '\n']).map(str::trim).filter(|w| !w.is_empty()).map(str::to_owned).collect();
                }
                _ => {}
            }
        }
        s
    }
}

impl Default for CommentSettings {
    fn default() -> Self {
        CommentSettings { hold_all: false, max_depth: 3, rate_per_minute: 5, min_seconds: 3, held_words: Vec::new() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_match_the_specs() {
        let from_specs = CommentSettings::from_pairs(
            SETTINGS.iter().filter(|s| s.key.starts_with("comments.")).map(|s| (s.key, s.default)),
        );
        assert_eq!(from_specs, CommentSettings::default());
    }

    #[test]
    fn values_are_checked_and_read() {
        assert!(spec("comments.max_depth").unwrap().check("11").is_err());
        assert!(spec("comments.hold_all").unwrap().check("belki").is_err());
        assert!(spec("comments.hold_all").unwrap().check("evet").is_ok());
        assert!(spec("nope").is_none());
        let s = CommentSettings::from_pairs([
            ("comments.hold_all", "on"),
            ("comments.held_words", "kumar, bedava bahis ,"),
        ]);
        assert!(s.hold_all);
        assert_eq!(s.held_words, ["kumar", "bedava bahis"]);
    }

    #[test]
    fn two_factor_roles_are_a_list_of_role_names() {
        let spec = spec("security.two_factor_roles").unwrap();
        assert!(spec.check("admin, editor").is_ok());
        assert!(spec.check("").is_ok());
        assert!(spec.check("admin,yönetici").is_err());
        assert_eq!(two_factor_roles(" admin,editor ,"), [crate::Role::Admin, crate::Role::Editor]);
    }
}
