//! Case mapping that respects Turkish: `I` → `ı`, `İ` → `i`.
//!
//! Rust's `to_lowercase` maps `İ` to `i` + U+0307 and `I` to `i`, which
//! breaks matching of Turkish words. Full ICU case mapping arrives with
//! search; comparisons of short user text need only this.
//!
//! [`name_key`] goes further, for telling whether two names would look the
//! same to a reader: case, accents, scripts, spacing and invisible
//! characters all fold away.

use crate::Lang;

/// Lowercases `text` by the rules of `lang`.
pub fn lower(text: &str, lang: Lang) -> String {
    match lang {
        Lang::Tr => {
            let mut out = String::with_capacity(text.len());
            for c in text.chars() {
                match c {
                    'I' => out.push('ı'),
                    'İ' => out.push('i'),
                    c => out.extend(c.to_lowercase()),
                }
            }
            out
        }
        Lang::En => text.to_lowercase(),
    }
}

/// A name as a reader would recognise it, for telling whether two names
/// pass for the same person (a commenter posing as a newsroom member):
/// lowercase ASCII words separated by single spaces. Letters of any script
/// fold to ASCII, so case, Turkish dotted and dotless `i`, accents and
/// look-alike letters of other scripts (Cyrillic `а`) all compare equal;
/// apostrophes, combining marks and invisible characters (zero-width
/// spaces and joiners, soft hyphens, direction marks) vanish without
/// splitting a word; every run of anything else (spaces, hyphens, dots,
/// brackets) is one space. "NERMİN  AKSOY", "Nermın-Aksoy" and
/// "nermin\u{200b} aksoy" all give `nermin aksoy`. Never cut short.
pub fn name_key(name: &str) -> String {
    crate::slug::ascii_words(name, ' ', |c| {
        crate::slug::is_apostrophe(c) || crate::slug::is_combining_mark(c) || is_invisible(c)
    })
}

/// Characters that show nothing (Unicode's default-ignorable code points
/// that a name could hide between its letters).
fn is_invisible(c: char) -> bool {
    matches!(
        c as u32,
        0x00AD
            | 0x034F
            | 0x061C
            | 0x115F..=0x1160
            | 0x17B4..=0x17B5
            | 0x180B..=0x180F
            | 0x200B..=0x200F
            | 0x202A..=0x202E
            | 0x2060..=0x206F
            | 0x3164
            | 0xFE00..=0xFE0F
            | 0xFEFF
            | 0xFFA0
            | 0xE0000..=0xE0FFF
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn turkish_dotted_and_dotless_i() {
        assert_eq!(lower("IŞIK İSTANBUL", Lang::Tr), "ışık istanbul");
        assert_eq!(lower("ISTANBUL", Lang::En), "istanbul");
    }

    #[test]
    fn names_that_look_alike_have_one_key() {
        for name in [
            "Nermin Aksoy",
            "NERMİN  AKSOY",
            " nermin aksoy ",
            "Nermın Aksoy",
            "Nermin-Aksoy",
            "Nermin\u{200b} Aksoy",
            "Ner\u{ad}min\u{200d} Ak\u{202e}soy",
            "Nermi\u{307}n Aksoy",
            "Nеrmin Аksoy",
            "N\u{e9}rmin Aksoy",
        ] {
            assert_eq!(name_key(name), "nermin aksoy", "{name:?}");
        }
        assert_eq!(name_key("İLKER IŞIK"), name_key("ilker isik"));
        assert_eq!(name_key("O’Brien"), "obrien");
        assert_eq!(name_key("Ayşe Yılmaz (Editör)"), "ayse yilmaz editor");
        assert_eq!(name_key("…"), "");
    }

    #[test]
    fn a_long_name_is_never_cut() {
        let long = format!("{} Nermin Aksoy", "uzun ".repeat(40));
        assert!(name_key(&long).ends_with(" nermin aksoy"));
    }
}
