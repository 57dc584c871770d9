//! Language rules of Manşet: how Turkish (and every other language we serve)
//! becomes slugs, dates, reading times and safe HTML, and outside text
//! becomes safe to print on a terminal. The workspace's one HTML escaper
//! (`html`), XML escaper (`xml`), percent-encoder (`percent`) and date
//! formats (`dates`) live here; `tests/it/one_of_each.rs` keeps them single.
//!
//! Invariant: this crate does no I/O. Every function is pure and cheap to test.

pub mod case;
pub mod comment;
pub mod dates;
pub mod diff;
pub mod html;
pub mod markdown;
pub mod percent;
pub mod reading;
pub mod shorten;
pub mod slug;
pub mod terminal;
pub mod xml;

pub use manset_core::lang::{self, Lang};
