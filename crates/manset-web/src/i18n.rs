//! Interface strings, one TOML table per language in `locales/`, embedded in
//! the binary. Templates read them as `t.key`; a missing key is an error when
//! the template renders (strict undefined), and a test checks that every
//! language has every key.

use std::collections::BTreeMap;

use manset_text::Lang;

const TR: &str = include_str!("../../../locales/tr.toml");
const EN: &str = include_str!("../../../locales/en.toml");

/// The interface strings of `lang`.
pub fn strings(lang: Lang) -> Result<BTreeMap<String, String>, toml::de::Error> {
    toml::from_str(match lang {
        Lang::Tr => TR,
        Lang::En => EN,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_every_key() {
        let tr = strings(Lang::Tr).expect("tr.toml parses");
        for lang in Lang::ALL {
            let other = strings(lang).expect("locale parses");
            let missing: Vec<_> = tr.keys().filter(|k| !other.contains_key(*k)).collect();
            let extra: Vec<_> = other.keys().filter(|k| !tr.contains_key(*k)).collect();
            assert!(missing.is_empty() && extra.is_empty(), "{lang}: missing {missing:?}, extra {extra:?}");
            assert!(other.values().all(|v| !v.trim().is_empty()), "{lang} has an empty string");
        }
    }

    #[test]
    fn turkish_strings_are_the_ones_the_seed_page_shows() {
        let tr = strings(Lang::Tr).unwrap();
        assert_eq!(tr["related"], "İlgili Makaleler");
        assert_eq!(tr["comment_heading"], "Bir yanıt yazın");
        assert_eq!(tr["comment_notice"], "E-posta adresiniz yayınlanmayacak. Gerekli alanlar * ile işaretlenmişlerdir");
        assert_eq!(tr["back_to_top"], "Başa dön");
    }
}
