//! Newsroom accounts: roles and what each role may do.
//!
//! Invariant: every permission question in Manşet is answered here, by
//! `Role::may`, and asked on the server for every action.

use std::fmt;
use std::str::FromStr;

use serde::Serialize;

/// A newsroom role, from least to most trusted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Writes drafts and submits them for review.
    Contributor,
    /// Also publishes their own articles.
    Author,
    /// Everything editorial: any article, publishing, moderation.
    Editor,
    /// Also users and settings.
    Admin,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Contributor, Role::Author, Role::Editor, Role::Admin];

    /// The stable name stored in the database and used on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Contributor => "contributor",
            Role::Author => "author",
            Role::Editor => "editor",
            Role::Admin => "admin",
        }
    }

    /// Whether this role may do `action`.
    pub fn may(self, action: Action) -> bool {
        match action {
            Action::WriteDrafts | Action::SubmitForReview | Action::ChangeOwnPassword => true,
            Action::EditOwnArticles | Action::PublishOwnArticles => self >= Role::Author,
            Action::EditAnyArticle
            | Action::PublishAnyArticle
            | Action::ModerateComments
            | Action::ManagePages
            | Action::ArrangeFrontPage => self >= Role::Editor,
            Action::ManageUsers | Action::ManageSettings => self == Role::Admin,
        }
    }
}

/// Something a newsroom member may or may not do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    WriteDrafts,
    SubmitForReview,
    ChangeOwnPassword,
    EditOwnArticles,
    PublishOwnArticles,
    EditAnyArticle,
    PublishAnyArticle,
    ModerateComments,
    /// Static pages and their menu.
    ManagePages,
    /// The lead story, featured slots and breaking news.
    ArrangeFrontPage,
    ManageUsers,
    ManageSettings,
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s.trim().to_ascii_lowercase())
            .ok_or_else(|| format!("unknown role `{s}`: use contributor, author, editor or admin"))
    }
}

/// Shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 10;
/// Longest password accepted (argon2 takes any length; this bounds the work).
pub const MAX_PASSWORD_CHARS: usize = 1_000;

/// Why a password was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PasswordProblem {
    TooShort,
    TooLong,
}

impl PasswordProblem {
    /// The key suffix of its message in the translation files.
    pub fn code(self) -> &'static str {
        match self {
            PasswordProblem::TooShort => "too_short",
            PasswordProblem::TooLong => "too_long",
        }
    }
}

impl fmt::Display for PasswordProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PasswordProblem::TooShort => write!(f, "the password needs at least {MIN_PASSWORD_CHARS} characters"),
            PasswordProblem::TooLong => write!(f, "the password may have at most {MAX_PASSWORD_CHARS} characters"),
        }
    }
}

/// Checks a new password: long enough to resist guessing, not absurdly long.
pub fn check_password(password: &str) -> Result<(), PasswordProblem> {
    match password.chars().count() {
        n if n < MIN_PASSWORD_CHARS => Err(PasswordProblem::TooShort),
        n if n > MAX_PASSWORD_CHARS => Err(PasswordProblem::TooLong),
        _ => Ok(()),
    }
}

/// A newsroom member as the admin shows them. No password hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct User {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: Role,
}

#[cfg(test)]
mod tests {
    use super::*;
    use Action::*;

    #[test]
    fn each_role_may_do_exactly_its_share() {
        let table = [
            (Role::Contributor, vec![WriteDrafts, SubmitForReview, ChangeOwnPassword]),
            (Role::Author, vec![WriteDrafts, SubmitForReview, ChangeOwnPassword, EditOwnArticles, PublishOwnArticles]),
            (
                Role::Editor,
                vec![
                    WriteDrafts,
                    SubmitForReview,
                    ChangeOwnPassword,
                    EditOwnArticles,
                    PublishOwnArticles,
                    EditAnyArticle,
                    PublishAnyArticle,
                    ModerateComments,
                    ManagePages,
                    ArrangeFrontPage,
                ],
            ),
        ];
        let all = [
            WriteDrafts,
            SubmitForReview,
            ChangeOwnPassword,
            EditOwnArticles,
            PublishOwnArticles,
            EditAnyArticle,
            PublishAnyArticle,
            ModerateComments,
            ManagePages,
            ArrangeFrontPage,
            ManageUsers,
            ManageSettings,
        ];
        for (role, allowed) in table {
            for action in all {
                assert_eq!(role.may(action), allowed.contains(&action), "{role} {action:?}");
            }
        }
        assert!(all.iter().all(|a| Role::Admin.may(*a)));
    }

    #[test]
    fn roles_parse_and_passwords_are_checked() {
        assert_eq!(" Editor ".parse::<Role>().unwrap(), Role::Editor);
        assert!("root".parse::<Role>().is_err());
        assert_eq!(check_password("kısa"), Err(PasswordProblem::TooShort));
        assert_eq!(check_password("yeterince uzun bir parola"), Ok(()));
    }
}
