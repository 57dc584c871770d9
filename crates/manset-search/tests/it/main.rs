//! The analyzer and the index against real Turkish: the Snowball word list
//! and the news sentences of the UD Turkish BOUN treebank (from `../shared`).

mod desk;
mod languages;
mod sentences;
mod snowball;
