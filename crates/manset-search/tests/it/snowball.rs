//! Our stems equal the current Snowball Turkish stemmer's for (almost) all of
//! its 96,325 test words, once the suffix after an apostrophe is cut the way
//! our analyzer cuts it.

use manset_search::Analyzer;
use manset_text::Lang;

/// `a'da` → `a`; Snowball's own output keeps the apostrophe (`a'`).
fn cut_apostrophe(word: &str) -> &str {
    word.split(manset_search::analyzer::is_apostrophe).next().unwrap_or(word)
}

#[test]
fn stems_match_snowball_for_at_least_999_in_1000_words() {
    let Some(dir) = manset_testkit::shared_dir() else { return };
    let dir = dir.join("testdata/turkish/snowball");
    let voc = std::fs::read_to_string(dir.join("voc.txt")).expect("voc.txt");
    let out = std::fs::read_to_string(dir.join("output.txt")).expect("output.txt");
    let analyzer = Analyzer::new(Lang::Tr);
    let mut total = 0;
    let mut exceptions = Vec::new();
    for (word, expected) in voc.lines().zip(out.lines()) {
        total += 1;
        let ours = match analyzer.words(word).first() {
            Some(w) => analyzer.stem(&w.text),
            None => String::new(),
        };
        let theirs = cut_apostrophe(expected);
        if ours != theirs {
            exceptions.push(format!("{word}: ours {ours}, Snowball {theirs}"));
        }
    }
    assert_eq!(total, 96_325, "the whole list is read");
    let share = 1.0 - exceptions.len() as f64 / f64::from(total);
    for e in &exceptions {
        eprintln!("exception: {e}");
    }
    assert!(
        share >= 0.999,
        "{:.4} agree; {} exceptions, first: {:?}",
        share,
        exceptions.len(),
        &exceptions[..exceptions.len().min(20)]
    );
}
