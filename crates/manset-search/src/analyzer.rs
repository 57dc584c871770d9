//! Our Turkish analyzer: words, apostrophe suffixes, Turkish lowercasing,
//! Snowball stemming and ASCII folding, as four forms of every word.
//!
//! `Aliyev'in` → `aliyev` (the suffix after an apostrophe goes when it is
//! lowercase), `O’Brien’ın` → `o'brien` and also `obrien` (an apostrophe
//! followed by a capital is part of the name), `İSTANBUL` → `istanbul` (ICU
//! Turkish lowercasing: never `i̇` with a combining dot), `görüştü` →
//! `görüş` (stemmed) → `gorus` (folded).

use std::borrow::Cow;

use icu_casemap::CaseMapper;
use icu_locale_core::{LanguageIdentifier, langid};
use manset_text::Lang;
use rust_stemmers::{Algorithm, Stemmer};

/// The four forms a word is indexed and searched in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Form {
    /// Lowercased, Turkish letters kept: what the reader typed, exactly.
    Exact,
    /// Stemmed, Turkish letters kept.
    Stem,
    /// Lowercased and folded to ASCII: for readers typing without Turkish letters.
    Fold,
    /// Stemmed, then folded.
    StemFold,
}

impl Form {
    pub const ALL: [Form; 4] = [Form::Exact, Form::Stem, Form::Fold, Form::StemFold];

    /// The tokenizer's name in the index.
    pub fn tokenizer(self) -> &'static str {
        match self {
            Form::Exact => "manset_exact",
            Form::Stem => "manset_stem",
            Form::Fold => "manset_fold",
            Form::StemFold => "manset_stem_fold",
        }
    }
}

/// A word of a text: where it is, and its lowercased, suffix-cut form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// Lowercased; an apostrophe inside a name is kept as `'`.
    pub text: String,
    /// The same without its apostrophes (`obrien` for `o'brien`), if it had any.
    pub joined: Option<String>,
    /// Byte offsets in the original text.
    pub from: usize,
    pub to: usize,
}

/// Apostrophes Turkish writes before a suffix: ASCII, typographic and modifier.
pub fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | '‘' | 'ʼ' | '`' | '´')
}

/// The analyzer of one language.
pub struct Analyzer {
    lang: Lang,
    locale: LanguageIdentifier,
    stemmer: Stemmer,
}

impl std::fmt::Debug for Analyzer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Analyzer").field("lang", &self.lang).finish()
    }
}

impl Clone for Analyzer {
    fn clone(&self) -> Analyzer {
        Analyzer::new(self.lang)
    }
}

impl Analyzer {
    pub fn new(lang: Lang) -> Analyzer {
        let (locale, algorithm) = match lang {
            Lang::Tr => (langid!("tr"), Algorithm::Turkish),
            Lang::En => (langid!("en"), Algorithm::English),
        };
        Analyzer { lang, locale, stemmer: Stemmer::create(algorithm) }
    }

    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// Lowercases by the language's rules (`I` → `ı` and `İ` → `i` in Turkish).
    pub fn lowercase<'a>(&self, text: &'a str) -> Cow<'a, str> {
        if text.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()) {
            return Cow::Borrowed(text);
        }
        Cow::Owned(CaseMapper::new().lowercase_to_string(text, &self.locale).into_owned())
    }

    /// The words of `text`, in order.
    pub fn words(&self, text: &str) -> Vec<Word> {
        let mut out = Vec::new();
        let mut chars = text.char_indices().peekable();
        while let Some(&(start, c)) = chars.peek() {
            if !c.is_alphanumeric() {
                chars.next();
                continue;
            }
            // A run of letters and digits, with apostrophes inside it.
            let mut end = start;
            while let Some(&(i, c)) = chars.peek() {
                if c.is_alphanumeric() || is_combining(c) {
                    end = i + c.len_utf8();
                    chars.next();
                } else if is_apostrophe(c) {
                    let mut ahead = chars.clone();
                    ahead.next();
                    match ahead.peek() {
                        Some(&(_, next)) if next.is_alphanumeric() => {
                            chars.next();
                        }
                        _ => break,
                    }
                } else {
                    break;
                }
            }
            if let Some(word) = self.word(&text[start..end], start, end) {
                out.push(word);
            }
        }
        out
    }

    /// One word. In Turkish the suffix after an apostrophe goes when it
    /// starts with a lowercase letter, and an apostrophe before a capital
    /// stays (`O’Brien`). In English only the possessive `'s` goes
    /// (`Reuters's`); `don't` stays one word, also found as `dont`.
    fn word(&self, raw: &str, from: usize, to: usize) -> Option<Word> {
        let mut kept = String::with_capacity(raw.len());
        // In capitals (`DENKTAŞ'IN`) a suffix is capitals too: known suffixes go.
        let shouting = raw.chars().any(char::is_uppercase) && !raw.chars().any(char::is_lowercase);
        for (i, part) in raw.split(is_apostrophe).enumerate() {
            if i > 0 {
                let cut = match self.lang {
                    Lang::Tr => {
                        let lowercase_suffix = part.chars().next().is_some_and(char::is_lowercase);
                        lowercase_suffix || (shouting && is_suffix(&self.lowercase(part)))
                    }
                    Lang::En => part == "s" || part == "S",
                };
                if cut {
                    break;
                }
                kept.push('\'');
            }
            kept.push_str(part);
        }
        if kept.is_empty() {
            return None;
        }
        let text = self.lowercase(&kept).into_owned();
        let joined = text.contains('\'').then(|| text.replace('\'', ""));
        Some(Word { text, joined, from, to })
    }

    /// A word (already lowercased by [`Analyzer::words`]) in one of its forms.
    pub fn form(&self, word: &str, form: Form) -> String {
        match form {
            Form::Exact => word.to_owned(),
            Form::Stem => self.stem(word),
            Form::Fold => fold(word),
            Form::StemFold => fold(&self.stem(word)),
        }
    }

    /// Snowball's stem of a word; a name with an apostrophe is not stemmed
    /// (its suffix is already gone, and stemming `o'brien` means nothing).
    pub fn stem(&self, word: &str) -> String {
        if word.contains('\'') || word.chars().any(|c| c.is_ascii_digit()) {
            return word.to_owned();
        }
        self.stemmer.stem(word).into_owned()
    }
}

/// Whether `s` is an inflection that follows an apostrophe in Turkish: case
/// endings, plural, possessive and `-ki`, alone or combined (`ların`, `sinde`).
fn is_suffix(s: &str) -> bool {
    const CASES: &[&str] = &[
        "", "in", "ın", "un", "ün", "nin", "nın", "nun", "nün", "e", "a", "ye", "ya", "ne", "na", "i", "ı", "u", "ü",
        "yi", "yı", "yu", "yü", "ni", "nı", "nu", "nü", "de", "da", "te", "ta", "nde", "nda", "den", "dan", "ten",
        "tan", "nden", "ndan", "le", "la", "yle", "yla", "ce", "ca", "çe", "ça", "li", "lı", "lu", "lü", "ki", "deki",
        "daki", "teki", "taki", "ndeki", "ndaki", "dir", "dır", "dur", "dür", "tir", "tır", "tur", "tür", "siz", "sız",
        "suz", "süz", "nki",
    ];
    const STEMS: &[&str] = &["", "ler", "lar", "si", "sı", "su", "sü", "leri", "ları"];
    // Compared folded: capitals typed without Turkish letters (`NDAKI`) too.
    let s = fold(s);
    !s.is_empty()
        && STEMS
            .iter()
            .any(|head| s.strip_prefix(&fold(head)).is_some_and(|rest| CASES.iter().any(|c| fold(c) == rest)))
}

/// Other beginnings a word's inflected forms may have, for a reader who
/// typed its dictionary form: the final consonant softened before a vowel
/// (`kitap` → `kitab`ı, `mantık` → `mantığ`ı, `tehdit` → `tehdid`i), the last
/// vowel dropped (`kısım` → `kısm`ı, `ömür` → `ömr`ü), a final vowel left out
/// (`bilimadamı` → `bilimadam`ları).
pub fn alternate_roots(word: &str) -> Vec<String> {
    let chars: Vec<char> = word.chars().collect();
    let n = chars.len();
    let mut out = Vec::new();
    if n < 3 || !chars.iter().all(|c| c.is_alphabetic()) {
        return out;
    }
    let head: String = chars[..n - 1].iter().collect();
    match chars[n - 1] {
        'p' => out.push(format!("{head}b")),
        'ç' => out.push(format!("{head}c")),
        't' => out.push(format!("{head}d")),
        'k' if chars[n - 2] == 'n' => out.push(format!("{head}g")),
        'k' => out.push(format!("{head}ğ")),
        _ => {}
    }
    let vowel = |c: char| "aeıioöuüâîû".contains(c);
    if n >= 4 && !vowel(chars[n - 1]) && matches!(chars[n - 2], 'ı' | 'i' | 'u' | 'ü') && !vowel(chars[n - 3]) {
        let mut dropped: String = chars[..n - 2].iter().collect();
        // Both at once too: `kayıp` → `kayb`ı.
        let softened = match chars[n - 1] {
            'p' => Some('b'),
            'ç' => Some('c'),
            't' => Some('d'),
            'k' => Some('ğ'),
            _ => None,
        };
        if let Some(soft) = softened {
            out.push(format!("{dropped}{soft}"));
        }
        dropped.push(chars[n - 1]);
        out.push(dropped);
    }
    if n >= 5 && vowel(chars[n - 1]) {
        out.push(head);
    }
    out
}

/// Where the names in `text` start (byte offsets): words written with a
/// capital that do not begin a sentence (`Aliyev`, `Orta Koridor`, `BM`).
/// Which words are names says most about what an article is about.
pub fn names(text: &str) -> std::collections::HashSet<usize> {
    let mut out = std::collections::HashSet::new();
    let mut sentence_start = true;
    let mut in_word = false;
    for (i, c) in text.char_indices() {
        if c.is_alphanumeric() || (is_apostrophe(c) && in_word) {
            if !in_word && c.is_uppercase() && !sentence_start {
                out.insert(i);
            }
            if !in_word {
                sentence_start = false;
            }
            in_word = true;
        } else {
            in_word = false;
            if matches!(c, '.' | '!' | '?' | '\n' | ':' | '…' | '"' | '“' | '”') {
                sentence_start = true;
            }
        }
    }
    out
}

fn is_combining(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F)
}

/// Folds to ASCII: `ı`→`i`, `ş`→`s`, `ğ`→`g`, `ç`→`c`, `ö`→`o`, `ü`→`u`,
/// `â`→`a`, `î`→`i`, `û`→`u`, other letters by their Latin transliteration.
pub fn fold(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    for c in word.chars() {
        match c {
            'ı' | 'î' | 'ì' | 'í' | 'ï' => out.push('i'),
            'ş' | 'ș' => out.push('s'),
            'ğ' => out.push('g'),
            'ç' => out.push('c'),
            'ö' | 'ô' | 'ò' | 'ó' => out.push('o'),
            'ü' | 'û' | 'ù' | 'ú' => out.push('u'),
            'â' | 'à' | 'á' | 'ä' | 'ə' => out.push('a'),
            'é' | 'è' | 'ê' | 'ë' => out.push('e'),
            c if c.is_ascii() => out.push(c),
            c if is_combining(c) => {}
            c => match deunicode::deunicode_char(c) {
                Some(s) if s.chars().all(|x| x.is_ascii_alphanumeric()) => out.push_str(&s.to_ascii_lowercase()),
                _ => out.push(c),
            },
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str) -> Vec<String> {
        Analyzer::new(Lang::Tr).words(text).into_iter().map(|w| w.text).collect()
    }

    #[test]
    fn a_lowercase_suffix_after_an_apostrophe_is_cut() {
        assert_eq!(texts("Aliyev'in ABD’nin Azerbaycan’ın CHP'li"), ["aliyev", "abd", "azerbaycan", "chp"]);
    }

    #[test]
    fn in_capitals_known_suffixes_are_cut_and_names_kept() {
        assert_eq!(texts("DENKTAŞ'IN ABD'NİN MAHKEMESİ'NİN"), ["denktaş", "abd", "mahkemesi"]);
        assert_eq!(texts("O'BRIEN"), ["o'brıen"]);
    }

    #[test]
    fn an_apostrophe_before_a_capital_belongs_to_the_name() {
        let words = Analyzer::new(Lang::Tr).words("O’Brien’ın açıklaması");
        assert_eq!(words[0].text, "o'brien");
        assert_eq!(words[0].joined.as_deref(), Some("obrien"));
        assert_eq!(words[1].text, "açıklaması");
    }

    #[test]
    fn turkish_capitals_lowercase_the_turkish_way() {
        assert_eq!(texts("İSTANBUL Istanbul ISPARTA"), ["istanbul", "ıstanbul", "ısparta"]);
        assert_eq!(fold("ıstanbul"), "istanbul");
    }

    #[test]
    fn every_form_of_a_word() {
        let a = Analyzer::new(Lang::Tr);
        assert_eq!(a.form("görüştü", Form::Exact), "görüştü");
        assert_eq!(a.form("görüştü", Form::Fold), "gorustu");
        let stem = a.form("görüştü", Form::Stem);
        assert!(stem.starts_with("görüş"), "{stem}");
        assert_eq!(a.form("görüştü", Form::StemFold), fold(&stem));
    }

    #[test]
    fn dictionary_forms_offer_the_roots_of_their_inflections() {
        assert_eq!(alternate_roots("kitap"), ["kitab"]);
        assert_eq!(alternate_roots("kısım"), ["kısm"]);
        assert_eq!(alternate_roots("kayıp"), ["kayıb", "kayb", "kayp"]);
        assert_eq!(alternate_roots("renk"), ["reng"]);
        assert_eq!(alternate_roots("bilimadamı"), ["bilimadam"]);
        assert!(alternate_roots("ev").is_empty());
    }

    #[test]
    fn names_are_capitalized_words_inside_a_sentence() {
        let text = "Bakan Aliyev, Orta Koridor için konuştu. Sonra BM'ye gitti.";
        let starts: Vec<&str> = {
            let mut v: Vec<usize> = names(text).into_iter().collect();
            v.sort();
            v.into_iter().map(|i| text[i..].split([' ', ',', '\'']).next().unwrap()).collect()
        };
        assert_eq!(starts, ["Aliyev", "Orta", "Koridor", "BM"]);
    }

    #[test]
    fn english_cuts_only_the_possessive() {
        let words = Analyzer::new(Lang::En).words("Reuters's report: don't panic, O'Brien's view");
        let texts: Vec<&str> = words.iter().map(|w| w.text.as_str()).collect();
        assert_eq!(texts, ["reuters", "report", "don't", "panic", "o'brien", "view"]);
        assert_eq!(words[2].joined.as_deref(), Some("dont"));
        assert_eq!(Analyzer::new(Lang::En).form("reports", Form::Stem), "report");
        assert_eq!(Analyzer::new(Lang::En).lowercase("ISTANBUL"), "istanbul");
    }

    #[test]
    fn offsets_point_into_the_original_text() {
        let text = "“Bakü’de” toplantı, 2024.";
        let words = Analyzer::new(Lang::Tr).words(text);
        assert_eq!(words.iter().map(|w| &text[w.from..w.to]).collect::<Vec<_>>(), ["Bakü’de", "toplantı", "2024"]);
        assert_eq!(words[0].text, "bakü");
    }
}
