//! Domain types and rules of Manşet: what an article is, which statuses it
//! can have, what a source credit holds, and what makes input valid.
//!
//! Invariant: no I/O and no knowledge of HTTP, SQL or templates. Everything
//! here can be tested with plain values.

pub mod article;
pub mod comment;
pub mod email;
pub mod image;
pub mod lang;
pub mod settings;
pub mod source;
pub mod throttle;
pub mod totp;
pub mod user;
pub mod workflow;

pub use article::{
    Article, ArticleInput, ArticleSummary, AuthorRef, CategoryRef, InvalidArticle, Page, Status, TagRef,
};
pub use comment::{CommentForm, CommentStatus, PublicComment};
pub use email::{Email, InvalidEmail};
pub use image::{InvalidImage, LeadImage};
pub use lang::{Lang, UnknownLang};
pub use source::{InvalidSource, SourceCredit};
pub use user::{Action, Role, User};
