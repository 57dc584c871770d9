//! The analyzer as tantivy tokenizers, one per [`Form`]: every word becomes
//! one token (two for a name with an apostrophe: `o'brien` and `obrien`, at
//! the same position), with offsets into the original text for highlighting.

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

use crate::analyzer::{Analyzer, Form};

/// A tokenizer for one form of the words.
#[derive(Clone, Debug)]
pub struct FormTokenizer {
    analyzer: Analyzer,
    form: Form,
}

impl FormTokenizer {
    pub fn new(analyzer: Analyzer, form: Form) -> FormTokenizer {
        FormTokenizer { analyzer, form }
    }

    /// The tokens of `text` in this form.
    pub fn tokens(&self, text: &str) -> Vec<Token> {
        let mut tokens = Vec::new();
        for (position, word) in self.analyzer.words(text).into_iter().enumerate() {
            for variant in std::iter::once(&word.text).chain(word.joined.as_ref()) {
                let text = self.analyzer.form(variant, self.form);
                if text.is_empty() || tokens.last().is_some_and(|t: &Token| t.position == position && t.text == text) {
                    continue;
                }
                tokens.push(Token { offset_from: word.from, offset_to: word.to, position, text, position_length: 1 });
            }
        }
        tokens
    }
}

/// Tokens computed up front.
pub struct VecTokenStream {
    tokens: Vec<Token>,
    next: usize,
}

impl TokenStream for VecTokenStream {
    fn advance(&mut self) -> bool {
        if self.next < self.tokens.len() {
            self.next += 1;
            true
        } else {
            false
        }
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

impl Tokenizer for FormTokenizer {
    type TokenStream<'a> = VecTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecTokenStream {
        VecTokenStream { tokens: self.tokens(text), next: 0 }
    }
}
