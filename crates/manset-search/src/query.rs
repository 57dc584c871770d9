//! What a reader typed, read plainly: words, and phrases in quotes. Nothing a
//! reader types is an error: operators and stray quotes are just separators,
//! and overlong input is cut.

/// Longest query read, in characters.
pub const MAX_QUERY_CHARS: usize = 200;

/// A part of a query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    /// Free words.
    Words(String),
    /// Words in quotes, to be found together and in order.
    Phrase(String),
}

/// A query as parts, and whether its last word was still being typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed {
    pub parts: Vec<Part>,
    /// The query ends inside a word: match that word as a prefix.
    pub last_is_prefix: bool,
}

fn is_quote(c: char) -> bool {
    matches!(c, '"' | '“' | '”' | '„' | '«' | '»')
}

/// Reads a query. Quotes pair up; an unpaired one is ignored.
pub fn parse(input: &str) -> Parsed {
    let cut: String = input.chars().take(MAX_QUERY_CHARS).filter(|c| !c.is_control() || *c == ' ').collect();
    let text = cut.trim();
    let quotes = text.chars().filter(|c| is_quote(*c)).count();
    // With an odd number of quotes the last one pairs with nothing.
    let last_quote =
        if quotes % 2 == 1 { text.char_indices().rfind(|(_, c)| is_quote(*c)).map(|(i, _)| i) } else { None };
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut in_phrase = false;
    for (i, c) in text.char_indices() {
        if is_quote(c) && Some(i) != last_quote {
            let part = std::mem::take(&mut current);
            if !part.trim().is_empty() {
                parts.push(if in_phrase {
                    Part::Phrase(part.trim().to_owned())
                } else {
                    Part::Words(part.trim().to_owned())
                });
            }
            in_phrase = !in_phrase;
        } else if is_quote(c)
            || matches!(
                c,
                '+' | '('
                    | ')'
                    | '['
                    | ']'
                    | '{'
                    | '}'
                    | ':'
                    | '^'
                    | '~'
                    | '*'
                    | '\\'
                    | '|'
                    | '&'
                    | '!'
                    | '<'
                    | '>'
                    | '='
            )
        {
            current.push(' ');
        } else if c == '-' && (current.is_empty() || current.ends_with(char::is_whitespace)) {
            // A leading minus would be an operator elsewhere; here it is nothing.
            current.push(' ');
        } else {
            current.push(c);
        }
    }
    let rest = current.trim().to_owned();
    let last_is_prefix = !rest.is_empty()
        && !in_phrase
        && cut.chars().last().is_some_and(char::is_alphanumeric)
        && rest.split_whitespace().last().is_some_and(|w| w.chars().count() >= 2);
    if !rest.is_empty() {
        parts.push(if in_phrase { Part::Phrase(rest) } else { Part::Words(rest) });
    }
    Parsed { parts, last_is_prefix }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_and_phrases() {
        let p = parse("Aliyev \"Orta Koridor\" enerji");
        assert_eq!(
            p.parts,
            [Part::Words("Aliyev".into()), Part::Phrase("Orta Koridor".into()), Part::Words("enerji".into())]
        );
        assert!(p.last_is_prefix);
        assert!(!parse("enerji ").last_is_prefix);
    }

    #[test]
    fn stray_quotes_and_operators_are_plain_separators() {
        assert_eq!(parse("\"Orta Koridor").parts, [Part::Words("Orta Koridor".into())]);
        assert_eq!(parse("title:bakü AND -enerji)(").parts, [Part::Words("title bakü AND  enerji".into())]);
        assert_eq!(parse("   ").parts, []);
        assert_eq!(parse("\"\"").parts, []);
        assert_eq!(parse(&"a".repeat(5000)).parts, [Part::Words("a".repeat(MAX_QUERY_CHARS))]);
    }
}
