pub mod analyzer;
pub mod index;
pub mod query;
pub mod tokenizer;

pub use analyzer::{Analyzer, Form};
pub use index::{DeskRequest, Fragment, Hit, IndexDoc, Results, SearchError, SearchIndex, SearchRequest};
