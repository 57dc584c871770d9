//! manset-text's integration tests, one binary: the Markdown renderer
//! against known XSS vectors, and the workspace's one-of-each rule for the
//! helpers this crate owns.

mod one_of_each;
mod xss;
