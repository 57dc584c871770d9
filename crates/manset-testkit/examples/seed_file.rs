//! Prints the seed article as a content file: `cargo run -p manset-testkit --example seed_file > seed.md`.
fn main() {
    match manset_testkit::seed_article() {
        Some(seed) => print!("{}", seed.content_file("2024-06-28T12:30:00+03:00", "Aynur Əliyeva")),
        None => std::process::exit(2),
    }
}
