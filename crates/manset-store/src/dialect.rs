//! One SQL text for both engines.
//!
//! Queries are written once, in the SQL both SQLite and PostgreSQL speak,
//! with SQLite's numbered parameters (`?1`). [`postgres`] rewrites the few
//! spellings that differ, once per statement text:
//!
//! | written (SQLite)            | PostgreSQL                     |
//! |-----------------------------|--------------------------------|
//! | `?1`, `?`                   | `$1`, `$n`                     |
//! | `MAX(a, b)`, `MIN(a, b)`    | `GREATEST(a, b)`, `LEAST(a, b)`|
//! | `json_array(…)`             | `json_build_array(…)`          |
//! | `json_object(…)`            | `json_build_object(…)`         |
//! | `x LIKE p`                  | `x ILIKE p` (SQLite's LIKE ignores case) |
//! | `CAST(x AS INTEGER)`        | `CAST(x AS BIGINT)`            |
//! | `INDEXED BY i`, `NOT INDEXED` | (dropped: planner hints)     |
//!
//! `json_group_array` and `json_each` exist on PostgreSQL as functions of
//! our schema (`migrations/postgres`), so they need no rewriting. Everything
//! else is kept as written: text inside quotes is never touched.

use std::collections::HashMap;
use std::sync::{LazyLock, RwLock};

/// The PostgreSQL text of a statement, rewritten once and kept: statement
/// texts are a fixed set, so the kept copies are bounded.
pub(crate) fn postgres_static(sql: &'static str) -> &'static str {
    // By address and length: a literal may be a prefix of another one at
    // the same address.
    static KEPT: LazyLock<RwLock<HashMap<(usize, usize), &'static str>>> = LazyLock::new(Default::default);
    let key = (sql.as_ptr() as usize, sql.len());
    if let Some(done) = KEPT.read().unwrap_or_else(std::sync::PoisonError::into_inner).get(&key) {
        return done;
    }
    let done: &'static str = Box::leak(postgres(sql).into_boxed_str());
    KEPT.write().unwrap_or_else(std::sync::PoisonError::into_inner).insert(key, done);
    done
}

/// `sql` (written for SQLite) as PostgreSQL reads it.
pub(crate) fn postgres(sql: &str) -> String {
    let bytes = sql.as_bytes();
    let mut out = String::with_capacity(sql.len() + 16);
    let mut bare = 0;
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if c == b'\'' || c == b'"' {
            // A quoted string or identifier, kept whole ('' and "" escape themselves).
            let end = sql[i + 1..].find(c as char).map_or(sql.len(), |n| i + 1 + n + 1);
            out.push_str(&sql[i..end]);
            i = end;
            continue;
        }
        if c == b'?' {
            let digits = bytes[i + 1..].iter().take_while(|b| b.is_ascii_digit()).count();
            out.push('$');
            if digits == 0 {
                bare += 1;
                out.push_str(&bare.to_string());
            } else {
                out.push_str(&sql[i + 1..i + 1 + digits]);
            }
            i += 1 + digits;
            continue;
        }
        if c.is_ascii_alphabetic() || c == b'_' {
            let len = bytes[i..].iter().take_while(|b| b.is_ascii_alphanumeric() || **b == b'_').count();
            let word = &sql[i..i + len];
            let after = &sql[i + len..];
            let preceded =
                i > 0 && (bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_' || bytes[i - 1] == b'.');
            if preceded {
                out.push_str(word);
                i += len;
                continue;
            }
            match word.to_ascii_uppercase().as_str() {
                "MAX" | "MIN" if after.starts_with('(') && has_top_level_comma(&after[1..]) => {
                    out.push_str(if word.eq_ignore_ascii_case("MAX") { "GREATEST" } else { "LEAST" });
                }
                "JSON_ARRAY" if after.starts_with('(') => out.push_str("json_build_array"),
                "JSON_OBJECT" if after.starts_with('(') => out.push_str("json_build_object"),
                "LIKE" => out.push_str("ILIKE"),
                "INTEGER" if out.trim_end().to_ascii_uppercase().ends_with(" AS") => out.push_str("BIGINT"),
                "INDEXED" if after.trim_start().to_ascii_uppercase().starts_with("BY ") => {
                    // `INDEXED BY name`: skip the three words.
                    let rest = after.trim_start()[3..].trim_start();
                    let name = rest.bytes().take_while(|b| b.is_ascii_alphanumeric() || *b == b'_').count();
                    i = sql.len() - rest.len() + name;
                    continue;
                }
                "NOT"
                    if after.trim_start().to_ascii_uppercase().starts_with("INDEXED")
                        && !after.trim_start().to_ascii_uppercase().starts_with("INDEXED BY") =>
                {
                    i = sql.len() - after.trim_start().len() + "INDEXED".len();
                    continue;
                }
                _ => out.push_str(word),
            }
            i += len;
            continue;
        }
        if !c.is_ascii() {
            let ch = sql[i..].chars().next().unwrap_or(' ');
            out.push(ch);
            i += ch.len_utf8();
            continue;
        }
        out.push(c as char);
        i += 1;
    }
    out
}

/// Whether the parenthesized text that `rest` continues (after its `(`) has
/// a comma outside nested parentheses and quotes before it closes.
fn has_top_level_comma(rest: &str) -> bool {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    for ch in rest.chars() {
        match (quote, ch) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(ch),
            (None, '(') => depth += 1,
            (None, ')') if depth == 0 => return false,
            (None, ')') => depth -= 1,
            (None, ',') if depth == 0 => return true,
            _ => {}
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::postgres;

    #[test]
    fn numbered_and_bare_parameters_become_dollars() {
        assert_eq!(postgres("SELECT a FROM t WHERE a = ?1 AND b = ?12"), "SELECT a FROM t WHERE a = $1 AND b = $12");
        assert_eq!(postgres("VALUES (?, ?)"), "VALUES ($1, $2)");
    }

    #[test]
    fn quoted_text_is_never_rewritten() {
        assert_eq!(postgres("SELECT 'what? MAX(a, b) LIKE' FROM t"), "SELECT 'what? MAX(a, b) LIKE' FROM t");
        assert_eq!(postgres("SELECT 'it''s ?1' , ?1"), "SELECT 'it''s ?1' , $1");
        assert_eq!(postgres("SELECT \"json_array\"(x)"), "SELECT \"json_array\"(x)");
    }

    #[test]
    fn scalar_max_and_min_become_greatest_and_least_but_aggregates_stay() {
        assert_eq!(
            postgres("SET m = MAX(modified_at, ?1), n = MIN(COALESCE(a, 0), f(b, c))"),
            "SET m = GREATEST(modified_at, $1), n = LEAST(COALESCE(a, 0), f(b, c))"
        );
        assert_eq!(
            postgres("SELECT MAX(seq), min(f(a, b)) FROM changes"),
            "SELECT MAX(seq), min(f(a, b)) FROM changes"
        );
    }

    #[test]
    fn json_builders_like_casts_and_planner_hints() {
        assert_eq!(
            postgres("json_array(a.id, json_object('k', 1))"),
            "json_build_array(a.id, json_build_object('k', 1))"
        );
        assert_eq!(postgres("WHERE x LIKE ?1 AND y NOT LIKE 'a%'"), "WHERE x ILIKE $1 AND y NOT ILIKE 'a%'");
        assert_eq!(postgres("SELECT CAST(value AS INTEGER)"), "SELECT CAST(value AS BIGINT)");
        assert_eq!(postgres("FROM articles a INDEXED BY articles_breaking WHERE"), "FROM articles a  WHERE");
        assert_eq!(postgres("FROM articles a NOT INDEXED WHERE"), "FROM articles a  WHERE");
        assert_eq!(postgres("WHERE x IS NOT NULL"), "WHERE x IS NOT NULL");
    }

    #[test]
    fn names_that_merely_contain_a_keyword_are_kept() {
        assert_eq!(
            postgres("SELECT t.max, likes, my_json_array(x) FROM t"),
            "SELECT t.max, likes, my_json_array(x) FROM t"
        );
        assert_eq!(postgres("SELECT 'İstanbul' || ?1"), "SELECT 'İstanbul' || $1");
        assert_eq!(postgres("SELECT ğ, ?1"), "SELECT ğ, $1");
    }
}
