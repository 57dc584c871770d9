//! The demo site: our own short Turkish articles, embedded in the binary and
//! loaded by `manset serve --demo` into an empty database.

use jiff::Timestamp;
use manset_store::Store;

use crate::front_matter::parse_content_file;
use crate::markdown::{FileOutcome, ImportError, ImportReport};

include!(concat!(env!("OUT_DIR"), "/demo_files.rs"));

/// Loads every demo article. Loading again updates them in place.
pub async fn load(store: &Store, now: Timestamp) -> ImportReport {
    let mut report = ImportReport::default();
    for (name, text) in FILES {
        let result = match parse_content_file(text, now) {
            Ok(input) => store.save_article(input, Some(&format!("demo:{name}")), now).await.map_err(ImportError::from),
            Err(e) => Err(ImportError::from(e)),
        };
        report.files.push(FileOutcome { path: name.into(), result });
    }
    report
}
