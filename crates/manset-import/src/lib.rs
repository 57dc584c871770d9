//! Importers into Manşet: Markdown content files with front matter;
//! WordPress exports (`wxr` reads an export as a stream of records,
//! `wp_content` turns a post's WordPress HTML into our body, `wordpress`
//! writes them in one transaction); agency feeds (`ingest`); and the whole
//! site as one file and back (`dump`).
//!
//! Invariants: a file that cannot be read or parsed writes nothing; a file
//! that fails never stops the others; importing the same file again updates
//! its article in place; a WordPress file is imported whole or not at all.
//! Parsing (`front_matter`, `wxr`, `wp_content`) is pure; the other modules
//! talk to the store.

pub mod demo;
pub mod dump;
pub mod encoding;
pub mod front_matter;
pub mod ingest;
pub mod markdown;
pub mod wordpress;
pub mod wp_content;
pub mod wxr;

pub use front_matter::{ContentError, parse_content_file};
pub use markdown::{FileOutcome, ImportError, ImportReport, import_paths};
