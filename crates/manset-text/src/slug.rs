//! Slugs: the readable, stable, ASCII part of a URL made from a title.
//!
//! Apostrophes are dropped *before* anything else, so a Turkish suffix stays
//! glued to its noun (`O’Brien’ın` → `obrienin`, `İstanbul'da` → `istanbulda`)
//! instead of becoming a word of its own. Letters of any script are folded to
//! ASCII (`ş` → `s`, `İ`/`ı` → `i`, Cyrillic and Greek transliterated).

/// Longest slug we produce, in bytes. Long headlines are cut at a word boundary.
pub const MAX_LEN: usize = 80;

/// Characters that join a suffix to a proper noun in Turkish: ASCII apostrophe,
/// typographic right and left single quotes, modifier letter apostrophe, prime.
pub(crate) fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | '‘' | 'ʼ' | '′' | '`' | '´')
}

/// Turns a title into a slug: lowercase ASCII letters and digits separated by
/// single hyphens. Returns an empty string when nothing usable is left
/// (a title of only punctuation or emoji); callers choose a fallback.
pub fn slugify(title: &str) -> String {
    truncate_at_word(ascii_words(title, '-', |c| is_apostrophe(c) || is_combining_mark(c)), MAX_LEN)
}

/// `text` as lowercase ASCII words joined by `separator`, uncut: the
/// characters `skip` names are dropped without splitting a word, every other
/// letter of any script is folded to ASCII, and anything that is not a
/// letter or digit separates words. Slugs and `case::name_key` share it.
pub(crate) fn ascii_words(text: &str, separator: char, skip: impl Fn(char) -> bool) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_separator = false;
    for c in text.chars() {
        if skip(c) {
            continue;
        }
        let mut ascii = [0u8; 4];
        // `deunicode_char` folds one character to ASCII: `ş` → "s", `İ` → "I",
        // `ж` → "zh"; unknown characters give `None` and act as separators.
        let folded = match c {
            c if c.is_ascii() => c.encode_utf8(&mut ascii),
            // Azerbaijani schwa: Əliyev is Aliyev in every Latin-script press
            // (deunicode gives `@`, which would split the word).
            'Ə' | 'ə' => "a",
            c => deunicode::deunicode_char(c).unwrap_or(" "),
        };
        for b in folded.bytes() {
            if b.is_ascii_alphanumeric() {
                if pending_separator && !out.is_empty() {
                    out.push(separator);
                }
                pending_separator = false;
                out.push(b.to_ascii_lowercase() as char);
            } else {
                pending_separator = true;
            }
        }
    }
    out
}

/// Combining marks (the dot of a decomposed `i̇`) belong to the letter before
/// them and must not split a word.
pub(crate) fn is_combining_mark(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}

fn truncate_at_word(mut slug: String, max: usize) -> String {
    if slug.len() <= max {
        return slug;
    }
    // The slug is ASCII, so any byte index is a char boundary.
    let cut = slug[..=max].rfind('-').unwrap_or(max);
    slug.truncate(cut);
    slug.trim_end_matches('-').to_owned()
}

/// The `n`-th candidate for a slug that is already taken: `base`, `base-2`,
/// `base-3`, … (`n` starts at 1).
pub fn with_suffix(base: &str, n: u32) -> String {
    if n <= 1 { base.to_owned() } else { format!("{base}-{n}") }
}

/// Whether `s` is a slug as [`slugify`] makes them; used to validate slugs
/// given by hand (front matter, URLs) before they reach the database.
pub fn is_valid(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= MAX_LEN + 12
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
        && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

#[cfg(test)]
mod tests {
    #[test]
    fn azerbaijani_schwa_folds_to_a() {
        assert_eq!(super::slugify("Aynur Əliyeva"), "aynur-aliyeva");
        assert_eq!(super::slugify("Heydər Əliyev"), "heydar-aliyev");
    }

    use super::*;

    #[test]
    fn seed_headline_becomes_the_expected_slug() {
        assert_eq!(
            slugify("Aliyev, O’Brien ile görüştü: Barışın görüşüldüğü bildirildi"),
            "aliyev-obrien-ile-gorustu-barisin-gorusuldugu-bildirildi"
        );
    }

    #[test]
    fn apostrophes_keep_suffixes_on_their_noun() {
        assert_eq!(slugify("İstanbul'da yağmur"), "istanbulda-yagmur");
        assert_eq!(slugify("ABD’nin tutumu"), "abdnin-tutumu");
        assert_eq!(slugify("O‘Brien ʼin"), "obrien-in");
    }

    #[test]
    fn turkish_letters_fold_to_ascii_in_both_cases() {
        assert_eq!(slugify("IŞIK ılık İĞNE Çöğüş"), "isik-ilik-igne-cogus");
        // A decomposed dotted capital I (I + U+0307) is one letter, not two words.
        assert_eq!(slugify("I\u{307}stanbul"), "istanbul");
    }

    #[test]
    fn other_scripts_are_transliterated() {
        assert_eq!(slugify("Москва сегодня"), "moskva-segodnia");
        assert_eq!(slugify("Ελλάδα"), "ellada");
        assert_eq!(slugify("Crème brûlée à Paris"), "creme-brulee-a-paris");
    }

    #[test]
    fn punctuation_and_spaces_collapse_into_single_hyphens() {
        assert_eq!(slugify("  “Turan”.  bilgi -- 2024!  "), "turan-bilgi-2024");
        assert_eq!(slugify("COP29'un başarısı"), "cop29un-basarisi");
    }

    #[test]
    fn nothing_usable_gives_an_empty_slug() {
        assert_eq!(slugify("!!! ’’ ..."), "");
        assert_eq!(slugify(""), "");
    }

    #[test]
    fn long_titles_are_cut_at_a_word_boundary() {
        let title = "Çok uzun bir başlık ".repeat(10);
        let slug = slugify(&title);
        assert!(slug.len() <= MAX_LEN, "{slug}");
        assert!(!slug.ends_with('-'));
        assert!(title.to_lowercase().starts_with("çok"));
        assert!(slug.ends_with("baslik") || slug.ends_with("uzun") || slug.ends_with("bir") || slug.ends_with("cok"));
    }

    #[test]
    fn suffixes_count_from_two() {
        assert_eq!(with_suffix("haber", 1), "haber");
        assert_eq!(with_suffix("haber", 2), "haber-2");
    }

    #[test]
    fn validates_hand_written_slugs() {
        assert!(is_valid("aliyev-obrien"));
        assert!(!is_valid("Aliyev"));
        assert!(!is_valid("-a"));
        assert!(!is_valid("a--b"));
        assert!(!is_valid("a/b"));
        assert!(!is_valid(""));
    }
}
