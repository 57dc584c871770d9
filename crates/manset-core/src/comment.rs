//! Reader comments: what a reader submits, the rules it must meet, and the
//! moderation policy that decides whether it shows at once or waits.
//!
//! Words: a comment's *status* is set by moderation (pending, approved, spam,
//! trash); the reader never deletes, the moderator trashes.

use std::fmt;
use std::str::FromStr;

use jiff::Timestamp;
use serde::Serialize;

/// Longest comment, in characters.
pub const MAX_BODY_CHARS: usize = 5_000;
/// Longest name, in characters.
pub const MAX_NAME_CHARS: usize = 100;
/// Longest website address.
pub const MAX_URL_LEN: usize = 200;
/// A comment with more links than this waits for a moderator.
pub const MAX_LINKS_BEFORE_HOLD: usize = 2;

/// Where a comment stands in moderation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CommentStatus {
    /// Waiting for a moderator; shown only to its author.
    Pending,
    /// Public.
    Approved,
    /// Judged spam; kept for review, never shown.
    Spam,
    /// Removed by a moderator; kept, never shown.
    Trash,
}

impl CommentStatus {
    pub const ALL: [CommentStatus; 4] =
        [CommentStatus::Pending, CommentStatus::Approved, CommentStatus::Spam, CommentStatus::Trash];

    /// The stable name stored in the database and used on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            CommentStatus::Pending => "pending",
            CommentStatus::Approved => "approved",
            CommentStatus::Spam => "spam",
            CommentStatus::Trash => "trash",
        }
    }
}

impl fmt::Display for CommentStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for CommentStatus {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        CommentStatus::ALL
            .into_iter()
            .find(|st| st.as_str() == s)
            .ok_or_else(|| format!("unknown comment status `{s}`: use pending, approved, spam or trash"))
    }
}

/// A comment as a reader submits it, before validation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CommentForm {
    pub body: String,
    pub name: String,
    pub email: String,
    pub url: String,
}

/// A form field, to attach an error to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Field {
    Body,
    Name,
    Email,
    Url,
}

/// What is wrong with one field. Turned into words by the web layer's
/// translations (`comment_error_<code>`), never shown as English here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Problem {
    Missing,
    TooLong,
    InvalidEmail,
    InvalidUrl,
}

impl Problem {
    /// The key suffix of its message in the translation files.
    pub fn code(self) -> &'static str {
        match self {
            Problem::Missing => "missing",
            Problem::TooLong => "too_long",
            Problem::InvalidEmail => "invalid_email",
            Problem::InvalidUrl => "invalid_url",
        }
    }
}

/// A comment that passed validation: trimmed, within limits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidComment {
    pub body: String,
    pub name: String,
    /// Lowercased, for matching an author's earlier comments.
    pub email: String,
    pub url: Option<String>,
}

impl CommentForm {
    /// Checks every field; returns all problems at once so the reader can fix
    /// them in one go.
    pub fn validate(&self) -> Result<ValidComment, Vec<(Field, Problem)>> {
        let mut problems = Vec::new();
        // Keep the reader's line breaks, drop trailing spaces and \r.
        let body = self.body.replace("\r\n", "\n").trim().to_owned();
        let name = self.name.split_whitespace().collect::<Vec<_>>().join(" ");
        let email = crate::email::normalize(&self.email);
        let url = self.url.trim().to_owned();

        match body.chars().count() {
            0 => problems.push((Field::Body, Problem::Missing)),
            n if n > MAX_BODY_CHARS => problems.push((Field::Body, Problem::TooLong)),
            _ => {}
        }
        match name.chars().count() {
            0 => problems.push((Field::Name, Problem::Missing)),
            n if n > MAX_NAME_CHARS => problems.push((Field::Name, Problem::TooLong)),
            _ => {}
        }
        if email.is_empty() {
            problems.push((Field::Email, Problem::Missing));
        } else if !crate::email::is_valid(&email) {
            problems.push((Field::Email, Problem::InvalidEmail));
        }
        if url.len() > MAX_URL_LEN {
            problems.push((Field::Url, Problem::TooLong));
        } else if !url.is_empty() && !crate::source::is_http_url(&url) {
            problems.push((Field::Url, Problem::InvalidUrl));
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(ValidComment { body, name, email, url: (!url.is_empty()).then_some(url) })
    }
}

/// How many links a comment holds: `http://`, `https://` and `www.` starts.
pub fn count_links(text: &str) -> usize {
    let lower = text.to_lowercase();
    lower.matches("http://").count() + lower.matches("https://").count() + lower.matches("www.").count()
        - lower.matches("://www.").count()
}

/// What the server knows about a submission besides its fields.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Signals {
    /// The hidden field humans never see was filled in.
    pub honeypot_filled: bool,
    /// Sent sooner after the form was shown than a person can type.
    pub too_fast: bool,
    /// Links in the text.
    pub links: usize,
    /// The text contains a word the site holds for review.
    pub held_word: bool,
    /// The site holds every comment for review.
    pub hold_all: bool,
    /// The poster proved they wrote an earlier approved comment under the
    /// same address. Typing an address proves nothing: today the proof is
    /// the signed cookie of the comments this browser wrote; a confirmed
    /// e-mail address (a link mailed to it) is the other proof to come, and
    /// sets this the same way.
    pub author_proven: bool,
    /// The address is a newsroom member's ([`Reserved`]).
    pub staff_email: bool,
    /// The name passes for a newsroom member's or the site's ([`Reserved`]).
    pub staff_name: bool,
}

/// Why the policy held a comment or judged it spam. Stored with the comment
/// and shown in the moderation queue, so a moderator sees at once what to
/// look at (a reader posing as the newsroom above all).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HoldReason {
    /// The honeypot field was filled in (spam).
    Honeypot,
    /// Sent faster than a person types (spam).
    TooFast,
    /// A newsroom member's e-mail address.
    StaffEmail,
    /// A newsroom member's name, or the site's.
    StaffName,
    /// The site holds every comment.
    HoldAll,
    /// More than [`MAX_LINKS_BEFORE_HOLD`] links.
    Links,
    /// A held word.
    HeldWord,
    /// No earlier approved comment proven: a first comment, or an address
    /// typed by someone who cannot show they wrote under it before.
    Unproven,
}

impl HoldReason {
    pub const ALL: [HoldReason; 8] = [
        HoldReason::Honeypot,
        HoldReason::TooFast,
        HoldReason::StaffEmail,
        HoldReason::StaffName,
        HoldReason::HoldAll,
        HoldReason::Links,
        HoldReason::HeldWord,
        HoldReason::Unproven,
    ];

    /// The stable name stored in the database; also the key suffix of its
    /// label in the translation files (`admin_comments_reason_<code>`).
    pub fn code(self) -> &'static str {
        match self {
            HoldReason::Honeypot => "honeypot",
            HoldReason::TooFast => "too_fast",
            HoldReason::StaffEmail => "staff_email",
            HoldReason::StaffName => "staff_name",
            HoldReason::HoldAll => "hold_all",
            HoldReason::Links => "links",
            HoldReason::HeldWord => "held_word",
            HoldReason::Unproven => "unproven",
        }
    }

    /// Whether the comment passes for the newsroom's.
    pub fn is_impersonation(self) -> bool {
        matches!(self, HoldReason::StaffEmail | HoldReason::StaffName)
    }

    /// The reasons in a stored list (`"staff_email links"`); unknown codes
    /// (from a later version) are left out.
    pub fn parse_list(codes: &str) -> Vec<HoldReason> {
        codes.split_whitespace().filter_map(|c| HoldReason::ALL.into_iter().find(|r| r.code() == c)).collect()
    }
}

/// What the policy decided for a comment: its status, and why unless published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub status: CommentStatus,
    /// Every reason that applied, in [`HoldReason`]'s order; empty when
    /// approved.
    pub reasons: Vec<HoldReason>,
}

impl Decision {
    /// Published at once: what the newsroom's own replies get.
    pub fn approved() -> Decision {
        Decision { status: CommentStatus::Approved, reasons: Vec::new() }
    }

    /// The reasons as stored (`"staff_email links"`), or `None` when there
    /// are none.
    pub fn reason_codes(&self) -> Option<String> {
        (!self.reasons.is_empty()).then(|| self.reasons.iter().map(|r| r.code()).collect::<Vec<_>>().join(" "))
    }
}

/// The moderation policy: bots are spam; a reader posing as the newsroom,
/// links, held words, a site-wide hold or an author who has not proven an
/// earlier approved comment wait for a moderator; the rest publish.
/// Posing as the newsroom holds whatever else is proven: an address or a
/// name the newsroom uses is never the reader's to publish under.
pub fn decide(signals: Signals) -> Decision {
    let reasons: Vec<HoldReason> = [
        (signals.honeypot_filled, HoldReason::Honeypot),
        (signals.too_fast, HoldReason::TooFast),
        (signals.staff_email, HoldReason::StaffEmail),
        (signals.staff_name, HoldReason::StaffName),
        (signals.hold_all, HoldReason::HoldAll),
        (signals.links > MAX_LINKS_BEFORE_HOLD, HoldReason::Links),
        (signals.held_word, HoldReason::HeldWord),
        (!signals.author_proven, HoldReason::Unproven),
    ]
    .into_iter()
    .filter_map(|(applies, reason)| applies.then_some(reason))
    .collect();
    let status = if signals.honeypot_filled || signals.too_fast {
        CommentStatus::Spam
    } else if reasons.is_empty() {
        CommentStatus::Approved
    } else {
        CommentStatus::Pending
    };
    Decision { status, reasons }
}

/// The addresses and names a reader may not comment under unmoderated: every
/// newsroom member's (disabled accounts too: a former editor's name still
/// reads as the newsroom's) and the site's own name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reserved {
    /// Lowercased e-mail addresses.
    pub emails: Vec<String>,
    /// Display names as written.
    pub names: Vec<String>,
}

/// Which of a commenter's name and address pass for the newsroom's.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Lookalike {
    pub email: bool,
    pub name: bool,
}

impl Reserved {
    /// Whether `email` is a reserved address (compared lowercased), and
    /// whether `name` passes for a reserved name. Names are compared by
    /// `key` (`manset_text::case::name_key`: case, accents, scripts and
    /// invisible characters folded): the same letters ignoring spaces and
    /// punctuation ("Nermin-Aksoy", "NERMİN AKSOY"), or a reserved name of
    /// two words or more among other words ("Nermin Aksoy (Editör)"). A
    /// shared first name alone ("Nermin") is not the member's.
    pub fn resembled_by(&self, name: &str, email: &str, key: impl Fn(&str) -> String) -> Lookalike {
        let email = crate::email::normalize(email);
        let name = key(name);
        let squeezed = |k: &str| k.replace(' ', "");
        let padded = format!(" {name} ");
        Lookalike {
            email: self.emails.iter().any(|e| crate::email::normalize(e) == email),
            name: !name.is_empty()
                && self.names.iter().map(|n| key(n)).filter(|k| !k.is_empty()).any(|k| {
                    squeezed(&k) == squeezed(&name) || (k.contains(' ') && padded.contains(&format!(" {k} ")))
                }),
        }
    }
}

/// Whether `body` contains one of `held_words`, compared case-insensitively
/// on whole words or phrases.
pub fn contains_held_word(body: &str, held_words: &[String], lower: impl Fn(&str) -> String) -> bool {
    if held_words.is_empty() {
        return false;
    }
    let text = format!(
        " {} ",
        lower(body).split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ")
    );
    held_words.iter().map(|w| lower(w.trim())).filter(|w| !w.is_empty()).any(|w| {
        let phrase = w.split(|c: char| !c.is_alphanumeric()).filter(|p| !p.is_empty()).collect::<Vec<_>>().join(" ");
        !phrase.is_empty() && text.contains(&format!(" {phrase} "))
    })
}

/// A comment as pages show it. Carries no e-mail address, by construction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicComment {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub name: String,
    pub url: Option<String>,
    pub body: String,
    pub status: CommentStatus,
    pub created_at: Timestamp,
    /// The role of the newsroom member who wrote it, for the badge pages
    /// show; `None` for every reader's comment. Set only from the stored
    /// reply's own column, never from anything a reader typed.
    pub staff_role: Option<crate::Role>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> CommentForm {
        CommentForm {
            body: "  Güzel bir haber.\r\nTeşekkürler.  ".into(),
            name: "  Ayşe   Yılmaz ".into(),
            email: " Ayse@Example.COM ".into(),
            url: "".into(),
        }
    }

    #[test]
    fn a_good_form_is_trimmed_and_its_email_lowercased() {
        let valid = form().validate().unwrap();
        assert_eq!(valid.body, "Güzel bir haber.\nTeşekkürler.");
        assert_eq!(valid.name, "Ayşe Yılmaz");
        assert_eq!(valid.email, "ayse@example.com");
        assert_eq!(valid.url, None);
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let bad = CommentForm {
            body: " ".into(),
            name: "x".repeat(101),
            email: "yok".into(),
            url: "javascript:alert(1)".into(),
        };
        assert_eq!(
            bad.validate().unwrap_err(),
            vec![
                (Field::Body, Problem::Missing),
                (Field::Name, Problem::TooLong),
                (Field::Email, Problem::InvalidEmail),
                (Field::Url, Problem::InvalidUrl)
            ]
        );
        let long = CommentForm { body: "ş".repeat(MAX_BODY_CHARS + 1), ..form() };
        assert_eq!(long.validate().unwrap_err(), vec![(Field::Body, Problem::TooLong)]);
        let exact = CommentForm { body: "ş".repeat(MAX_BODY_CHARS), ..form() };
        assert!(exact.validate().is_ok());
    }

    #[test]
    fn links_are_counted_once_each() {
        assert_eq!(count_links("bak: https://www.a.com ve http://b.org ve www.c.net"), 3);
        assert_eq!(count_links("link yok"), 0);
    }

    #[test]
    fn policy_spam_then_hold_then_publish() {
        let proven = Signals { author_proven: true, ..Signals::default() };
        assert_eq!(decide(proven), Decision::approved());
        let first = decide(Signals::default());
        assert_eq!(first.status, CommentStatus::Pending, "first comment waits");
        assert_eq!(first.reasons, [HoldReason::Unproven]);
        assert_eq!(decide(Signals { links: 3, ..proven }).reasons, [HoldReason::Links]);
        assert_eq!(decide(Signals { links: 2, ..proven }).status, CommentStatus::Approved);
        assert_eq!(decide(Signals { held_word: true, ..proven }).reasons, [HoldReason::HeldWord]);
        assert_eq!(decide(Signals { hold_all: true, ..proven }).reasons, [HoldReason::HoldAll]);
        let bot = decide(Signals { honeypot_filled: true, ..proven });
        assert_eq!((bot.status, bot.reasons), (CommentStatus::Spam, vec![HoldReason::Honeypot]));
        assert_eq!(decide(Signals { too_fast: true, ..proven }).status, CommentStatus::Spam);
    }

    #[test]
    fn posing_as_the_newsroom_holds_whatever_is_proven() {
        let proven = Signals { author_proven: true, ..Signals::default() };
        let by_address = decide(Signals { staff_email: true, ..proven });
        assert_eq!((by_address.status, by_address.reasons), (CommentStatus::Pending, vec![HoldReason::StaffEmail]));
        let both = decide(Signals { staff_email: true, staff_name: true, links: 5, ..Signals::default() });
        assert_eq!(
            both.reasons,
            [HoldReason::StaffEmail, HoldReason::StaffName, HoldReason::Links, HoldReason::Unproven]
        );
        assert_eq!(both.reason_codes().as_deref(), Some("staff_email staff_name links unproven"));
        assert_eq!(HoldReason::parse_list("staff_email staff_name links unproven later_reason"), both.reasons);
        assert!(both.reasons.iter().take(2).all(|r| r.is_impersonation()));
    }

    #[test]
    fn reserved_names_and_addresses_are_recognised_through_disguises() {
        // What `manset_text::case::name_key` does, in short, for this test.
        let key = |s: &str| {
            s.to_lowercase()
                .replace('ı', "i")
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .collect::<Vec<_>>()
                .join(" ")
        };
        let reserved = Reserved {
            emails: vec!["nermin@example.com".into()],
            names: vec!["Nermin Aksoy".into(), "Kafkas Postası".into(), "Admin".into()],
        };
        let check = |name: &str, email: &str| reserved.resembled_by(name, email, key);
        assert_eq!(check("Okur", " NERMIN@example.com "), Lookalike { email: true, name: false });
        for name in ["Nermin Aksoy", "NERMIN AKSOY", "Nermın-Aksoy", "NerminAksoy", "Editör Nermin Aksoy", "admin"] {
            assert!(check(name, "okur@example.com").name, "{name}");
        }
        for name in ["Nermin", "Nermin Aksoyoğlu", "Administrator", "Kafkas", ""] {
            assert!(!check(name, "okur@example.com").name, "{name}");
        }
        assert_eq!(Reserved::default().resembled_by("Nermin Aksoy", "nermin@example.com", key), Lookalike::default());
    }

    #[test]
    fn held_words_match_whole_words_case_insensitively() {
        let words = vec!["kumar".to_owned(), "bedava bahis".to_owned()];
        let lower = |s: &str| s.to_lowercase();
        assert!(contains_held_word("KUMAR siteleri", &words, lower));
        assert!(contains_held_word("Bedava   bahis!", &words, lower));
        assert!(!contains_held_word("kumarhane değil", &words, lower));
        assert!(!contains_held_word("her şey yolunda", &[], lower));
    }

    #[test]
    fn statuses_round_trip_through_their_names() {
        for status in CommentStatus::ALL {
            assert_eq!(status.as_str().parse::<CommentStatus>().unwrap(), status);
        }
        assert!("deleted".parse::<CommentStatus>().is_err());
    }
}
