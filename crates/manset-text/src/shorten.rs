//! Shortening text to a length limit without cutting a word in half.

/// `text` in at most `max` characters: unchanged if it fits, otherwise cut at
/// the last space that leaves room for an ellipsis, with `…` added. A single
/// word longer than the limit is cut inside the word.
pub fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    if max == 0 {
        return String::new();
    }
    // The byte index after the first `max - 1` characters.
    let end = text.char_indices().nth(max - 1).map_or(text.len(), |(i, _)| i);
    let head = &text[..end];
    let cut = match head.rfind(char::is_whitespace) {
        Some(space) if space > 0 => &head[..space],
        _ => head,
    };
    let cut = cut.trim_end_matches(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | ':' | '-' | '–'));
    format!("{cut}…")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_within_the_limit_is_unchanged() {
        assert_eq!(shorten("Kısa başlık", 11), "Kısa başlık");
    }

    #[test]
    fn long_text_is_cut_at_a_word_with_an_ellipsis() {
        let s = shorten("İstanbul’da yağmur, Ankara’da kar bekleniyor", 25);
        assert_eq!(s, "İstanbul’da yağmur…");
        assert!(s.chars().count() <= 25);
    }

    #[test]
    fn one_long_word_is_cut_inside_it() {
        let s = shorten("Çekoslovakyalılaştıramadıklarımızdanmışsınız", 10);
        assert_eq!(s.chars().count(), 10);
        assert!(s.ends_with('…'));
    }
}
