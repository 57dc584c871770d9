//! Case mapping that respects Turkish: `I` → `ı`, `İ` → `i`.
//!
//! Rust's `to_lowercase` maps `İ` to `i` + U+0307 and `I` to `i`, which
//! breaks matching of Turkish words. Full ICU case mapping arrives with
//! search; comparisons of short user text need only this.

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn turkish_dotted_and_dotless_i() {
        assert_eq!(lower("IŞIK İSTANBUL", Lang::Tr), "ışık istanbul");
        assert_eq!(lower("ISTANBUL", Lang::En), "istanbul");
    }
}
