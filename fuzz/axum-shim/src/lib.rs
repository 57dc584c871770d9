pub use http;
