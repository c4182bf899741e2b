//! Reading the `q` parameter: words (ANDed), `"quoted phrases"` (exact substrings), and input
//! that is a document number (文号).
//!
//! Chinese quotation marks (“…”, 「…」) are accepted like ASCII ones. The full query language
//! (OR, exclusions, field scopes) is a later step; this reader already refuses what it cannot
//! read, with the position of the problem.

use dafu_extract::doc_number::canonical_doc_number;

use crate::error::QueryError;

/// Longest query accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 500;
/// Most words and phrases in one query.
pub const MAX_CLAUSES: usize = 32;

/// One part of a query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Clause {
    /// Unquoted text, to be segmented into words that must all occur.
    Words(String),
    /// A quoted literal that must occur as written (ignoring punctuation and spacing).
    Phrase(String),
    /// A document number in canonical form.
    DocNumber(String),
}

/// A parsed query: the conjunction of its clauses; empty means "every reply".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedQuery {
    pub clauses: Vec<Clause>,
}

fn closing_quote(open: char) -> Option<char> {
    match open {
        '"' => Some('"'),
        '“' => Some('”'),
        '「' => Some('」'),
        '『' => Some('』'),
        _ => None,
    }
}

/// Parses the text of a query.
///
/// ```
/// use dafu_query::query_text::{parse, Clause};
/// let q = parse("培训 “不少于500人次” 吉民议字[2020]4号").unwrap();
/// assert_eq!(q.clauses, vec![
///     Clause::Words("培训".into()),
///     Clause::Phrase("不少于500人次".into()),
///     Clause::DocNumber("吉民议字〔2020〕4号".into()),
/// ]);
/// ```
pub fn parse(q: &str) -> Result<ParsedQuery, QueryError> {
    let count = q.chars().count();
    if count > MAX_QUERY_CHARS {
        return Err(QueryError::invalid(
            "q",
            format!("the query is {count} characters long; the limit is {MAX_QUERY_CHARS}"),
        ));
    }
    if let Some(n) = canonical_doc_number(q) {
        return Ok(ParsedQuery {
            clauses: vec![Clause::DocNumber(n)],
        });
    }
    let mut clauses = Vec::new();
    let mut words = String::new();
    let mut chars = q.char_indices().enumerate().peekable();
    let flush = |words: &mut String, clauses: &mut Vec<Clause>| {
        for piece in words.split_whitespace() {
            match canonical_doc_number(piece) {
                Some(n) => clauses.push(Clause::DocNumber(n)),
                None => clauses.push(Clause::Words(piece.to_string())),
            }
        }
        words.clear();
    };
    while let Some((position, (_, c))) = chars.next() {
        let Some(close) = closing_quote(c) else {
            words.push(c);
            continue;
        };
        flush(&mut words, &mut clauses);
        let mut phrase = String::new();
        let mut closed = false;
        for (_, (_, c)) in chars.by_ref() {
            if c == close || (close != '"' && c == '"') {
                closed = true;
                break;
            }
            phrase.push(c);
        }
        if !closed {
            return Err(QueryError::InvalidQuery {
                message: format!("the quote {c} is never closed"),
                position,
            });
        }
        let phrase = phrase.trim();
        if !phrase.is_empty() {
            clauses.push(match canonical_doc_number(phrase) {
                Some(n) => Clause::DocNumber(n),
                None => Clause::Phrase(phrase.to_string()),
            });
        }
    }
    flush(&mut words, &mut clauses);
    if clauses.len() > MAX_CLAUSES {
        return Err(QueryError::invalid(
            "q",
            format!(
                "the query has {} parts; the limit is {MAX_CLAUSES}",
                clauses.len()
            ),
        ));
    }
    Ok(ParsedQuery { clauses })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_phrases_and_numbers() {
        assert_eq!(parse("").map(|q| q.clauses.len()).ok(), Some(0));
        assert_eq!(parse("   ").map(|q| q.clauses.len()).ok(), Some(0));
        let q = parse("人才队伍 \"社会组织\"").ok();
        assert_eq!(
            q.map(|q| q.clauses),
            Some(vec![
                Clause::Words("人才队伍".into()),
                Clause::Phrase("社会组织".into())
            ])
        );
        let q = parse("\"吉民议字〔2020〕4号\"").ok();
        assert_eq!(
            q.map(|q| q.clauses),
            Some(vec![Clause::DocNumber("吉民议字〔2020〕4号".into())])
        );
    }

    #[test]
    fn an_unclosed_quote_is_an_error_with_its_position() {
        match parse("培训 \"不少于") {
            Err(QueryError::InvalidQuery { position, .. }) => assert_eq!(position, 3),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn limits() {
        assert!(parse(&"人".repeat(MAX_QUERY_CHARS + 1)).is_err());
        assert!(parse(&"人 ".repeat(MAX_CLAUSES + 1)).is_err());
        assert!(parse(&"人".repeat(MAX_QUERY_CHARS)).is_ok());
    }
}
