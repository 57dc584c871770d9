//! Reading time, shown under the headline ("3 dk okuma").

/// Words an average adult reads per minute in running news text.
const WORDS_PER_MINUTE: usize = 200;

/// Minutes needed to read `text` (Markdown or plain), at least one.
pub fn reading_minutes(text: &str) -> u32 {
    let words = text.split_whitespace().filter(|w| w.chars().any(char::is_alphanumeric)).count();
    words.div_ceil(WORDS_PER_MINUTE).max(1) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_texts_take_a_minute_and_long_ones_more() {
        assert_eq!(reading_minutes(""), 1);
        assert_eq!(reading_minutes("Kısa bir haber."), 1);
        assert_eq!(reading_minutes(&"kelime ".repeat(401)), 3);
        // Markdown punctuation is not a word.
        assert_eq!(reading_minutes(&"- * # > ".repeat(1000)), 1);
    }
}
