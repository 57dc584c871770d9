//! Text for an operator's terminal. Comments, names, feed errors and import
//! notes come from outside; printed raw, an escape sequence in them could
//! recolour the terminal, retitle its window, move the cursor over earlier
//! lines, or reorder what the operator reads (bidirectional overrides, the
//! "Trojan Source" trick).
//!
//! Invariant: what [`printable`] returns holds no control character but tab
//! (C0, DEL, C1) and no bidirectional embedding, override or isolate; each
//! is shown as its Rust escape (`\u{1b}`), so the operator still sees that
//! it was there.

use std::borrow::Cow;

/// Whether `c` must not reach a terminal as it is: C0 controls but tab
/// (line breaks too: one record, one line), DEL, C1 controls, and the
/// bidirectional embeddings, overrides (U+202A–U+202E) and isolates
/// (U+2066–U+2069).
fn is_unprintable(c: char) -> bool {
    matches!(c as u32, 0x00..=0x08 | 0x0A..=0x1F | 0x7F..=0x9F | 0x202A..=0x202E | 0x2066..=0x2069)
}

/// `text` with every character a terminal would act on instead of showing
/// written as its escape (`ESC` → `\u{1b}`, a line break → `\u{a}`); the
/// text itself, borrowed, when there is none.
pub fn printable(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unprintable) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if is_unprintable(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_are_shown_never_sent() {
        let colour = "\u{1b}[31mKIRMIZI\u{1b}[0m";
        assert_eq!(printable(colour), "\\u{1b}[31mKIRMIZI\\u{1b}[0m");
        let title = "\u{1b}]0;sahte başlık\u{7}yorum";
        assert_eq!(printable(title), "\\u{1b}]0;sahte başlık\\u{7}yorum");
        // The 8-bit CSI, DEL, a carriage return that would overwrite the line.
        assert_eq!(printable("a\u{9b}2Jb\u{7f}c\rd\ne"), "a\\u{9b}2Jb\\u{7f}c\\u{d}d\\u{a}e");
    }

    #[test]
    fn every_control_and_bidi_character_is_escaped_and_nothing_else() {
        for c in (0u32..=0x10FFFF).filter_map(char::from_u32) {
            let shown = printable(c.encode_utf8(&mut [0; 4])).into_owned();
            let control = c.is_control() && c != '\t';
            let bidi = matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}');
            if control || bidi {
                assert_eq!(shown, c.escape_unicode().to_string(), "{:?}", c);
                assert!(shown.chars().all(|s| s.is_ascii_graphic()), "{:?}", c);
            } else {
                assert_eq!(shown, c.to_string(), "{:?}", c);
            }
        }
    }

    #[test]
    fn ordinary_text_is_borrowed_as_it_is() {
        let text = "Ayşe Yılmaz\tİstanbul’da “yorum” ✓ ملاحظة";
        assert!(matches!(printable(text), Cow::Borrowed(t) if t == text));
    }
}
