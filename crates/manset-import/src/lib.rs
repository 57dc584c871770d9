//! Importers into Manşet. For now: Markdown content files with front matter.
//!
//! Invariants: a file that cannot be read or parsed writes nothing; a file
//! that fails never stops the others; importing the same file again updates
//! its article in place. Parsing (`front_matter`) is pure; only `markdown`
//! talks to the store.

pub mod demo;
pub mod front_matter;
pub mod markdown;

pub use front_matter::{ContentError, parse_content_file};
pub use markdown::{FileOutcome, ImportError, ImportReport, import_paths};
