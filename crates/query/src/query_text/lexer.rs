//! Cutting query text into tokens: words, quoted phrases, 文号, field scopes, `(`, `)`, `OR`
//! and `-`, each with the character position it starts at.
//!
//! Full-width forms are read like their ASCII ones (`（` is `(`, `：` is `:`, `｜` is `|`,
//! `－` is `-`), and `，` `、` `；` separate words like spaces do.

use dafu_extract::doc_number::canonical_doc_number;

use super::{MAX_CLAUSES, Scope};
use crate::error::QueryError;

/// Longest stretch of text tried as one 文号 (吉民议字 〔2020〕 第4号 is 16 characters).
const MAX_DOC_NUMBER_CHARS: usize = 40;

/// One token of a query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Token {
    /// Unquoted text up to the next separator, bracket or quote.
    Word(String),
    /// The text between quotes (possibly empty).
    Phrase(String),
    /// A document number, canonical.
    DocNumber(String),
    /// `title:` and the like, directly followed by the term or group it scopes.
    Scope(Scope),
    Open,
    Close,
    Or,
    Not,
}

/// A token and the character index where it starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Spanned {
    pub token: Token,
    pub position: usize,
}

/// Full-width ASCII and the ideographic space as their half-width forms (case kept).
fn half_width(c: char) -> char {
    match c {
        '\u{3000}' => ' ',
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

/// Characters between words (ANDed like spaces).
fn is_space(c: char) -> bool {
    c.is_whitespace() || matches!(c, ',' | '、' | ';' | '，' | '；')
}

/// The closing quote of an opening one.
fn closing_quote(open: char) -> Option<char> {
    match open {
        '"' => Some('"'),
        '“' => Some('”'),
        '「' => Some('」'),
        '『' => Some('』'),
        _ => None,
    }
}

/// Characters that end a word.
fn ends_word(c: char) -> bool {
    is_space(c) || matches!(c, '(' | ')' | '|') || closing_quote(c).is_some()
}

/// Whether a term or group can start with `c` (what must follow `title:` for it to be a scope).
fn starts_term(c: char) -> bool {
    c.is_alphanumeric() || c == '(' || closing_quote(c).is_some()
}

/// Cuts `q` into tokens. Fails on an unclosed quote, an unknown field scope, a `-` that
/// excludes nothing, and more than [`MAX_CLAUSES`] words and phrases.
pub(super) fn lex(q: &str) -> Result<Vec<Spanned>, QueryError> {
    let original: Vec<char> = q.chars().collect();
    let chars: Vec<char> = original.iter().map(|&c| half_width(c)).collect();
    let text = |from: usize, to: usize| -> String { original[from..to].iter().collect() };
    let mut tokens = Vec::new();
    let mut terms = 0;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let start = i;
        let token = match c {
            _ if is_space(c) => {
                i += 1;
                continue;
            }
            '(' => {
                i += 1;
                Token::Open
            }
            ')' => {
                i += 1;
                Token::Close
            }
            '|' => {
                i += 1;
                Token::Or
            }
            '-' => {
                i += 1;
                match chars.get(i) {
                    Some(&next) if !is_space(next) && next != ')' && next != '|' => Token::Not,
                    _ => {
                        return Err(QueryError::InvalidQuery {
                            message: "`-` must be directly followed by the word, \"phrase\" or \
                                      (group) to exclude"
                                .into(),
                            position: start,
                        });
                    }
                }
            }
            _ => {
                if let Some(close) = closing_quote(c) {
                    let end = (i + 1..chars.len())
                        .find(|&j| chars[j] == close || chars[j] == '"')
                        .ok_or_else(|| QueryError::InvalidQuery {
                            message: format!("the quote {} is never closed", original[start]),
                            position: start,
                        })?;
                    i = end + 1;
                    let phrase = text(start + 1, end);
                    let phrase = phrase.trim();
                    match canonical_doc_number(phrase) {
                        Some(n) => Token::DocNumber(n),
                        None => Token::Phrase(phrase.to_string()),
                    }
                } else if let Some((scope, after)) = scope_at(&chars, i)? {
                    i = after;
                    Token::Scope(scope)
                } else if let Some((number, after)) = doc_number_at(&original, &chars, i) {
                    i = after;
                    Token::DocNumber(number)
                } else {
                    let end = (i..chars.len())
                        .find(|&j| ends_word(chars[j]))
                        .unwrap_or(chars.len());
                    i = end;
                    let word = text(start, end);
                    if word == "OR" {
                        Token::Or
                    } else {
                        Token::Word(word)
                    }
                }
            }
        };
        if matches!(
            token,
            Token::Word(_) | Token::Phrase(_) | Token::DocNumber(_)
        ) {
            terms += 1;
            if terms > MAX_CLAUSES {
                return Err(QueryError::InvalidQuery {
                    message: format!(
                        "the query has more than {MAX_CLAUSES} words and phrases; the limit is \
                         {MAX_CLAUSES}"
                    ),
                    position: start,
                });
            }
        }
        tokens.push(Spanned {
            token,
            position: start,
        });
    }
    Ok(tokens)
}

/// A field scope at `i`: ASCII letters, a colon, and directly after it a term or group. Returns
/// the scope and where its term starts; `None` when the text at `i` is not shaped like a scope
/// (`答复：`, `http://`, `title: ` with a space). Shaped like one but unknown is an error.
fn scope_at(chars: &[char], i: usize) -> Result<Option<(Scope, usize)>, QueryError> {
    let letters = chars[i..]
        .iter()
        .take_while(|c| c.is_ascii_alphabetic())
        .count();
    let colon = i + letters;
    if letters == 0
        || chars.get(colon) != Some(&':')
        || !chars.get(colon + 1).is_some_and(|&c| starts_term(c))
    {
        return Ok(None);
    }
    let name: String = chars[i..colon].iter().collect();
    match Scope::parse(&name) {
        Some(scope) => Ok(Some((scope, colon + 1))),
        None => Err(QueryError::InvalidQuery {
            message: format!(
                "unknown field scope `{name}:`; the scopes are {}",
                Scope::ALL
                    .iter()
                    .map(|s| format!("`{}:`", s.name()))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            position: i,
        }),
    }
}

/// A 文号 starting at `i` (吉民议字(2020)4号, whose brackets would otherwise read as a group):
/// the shortest stretch ending in 号 that is one document number, and where it ends.
fn doc_number_at(original: &[char], chars: &[char], i: usize) -> Option<(String, usize)> {
    let limit = chars.len().min(i + MAX_DOC_NUMBER_CHARS);
    (i..limit)
        .take_while(|&j| chars[j] != '"' && chars[j] != '|' && closing_quote(chars[j]).is_none())
        .filter(|&j| chars[j] == '号')
        .find_map(|j| {
            let candidate: String = original[i..=j].iter().collect();
            canonical_doc_number(&candidate).map(|n| (n, j + 1))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(q: &str) -> Vec<Token> {
        lex(q)
            .map(|t| t.into_iter().map(|s| s.token).collect())
            .unwrap_or_default()
    }

    #[test]
    fn full_width_forms_read_as_ascii() {
        assert_eq!(
            kinds("（培训｜教育）－农村，title：课后"),
            vec![
                Token::Open,
                Token::Word("培训".into()),
                Token::Or,
                Token::Word("教育".into()),
                Token::Close,
                Token::Not,
                Token::Word("农村".into()),
                Token::Scope(Scope::Title),
                Token::Word("课后".into()),
            ]
        );
    }

    #[test]
    fn a_doc_number_keeps_its_brackets() {
        assert_eq!(
            kinds("(吉民议字(2020)4号 OR 培训)"),
            vec![
                Token::Open,
                Token::DocNumber("吉民议字〔2020〕4号".into()),
                Token::Or,
                Token::Word("培训".into()),
                Token::Close,
            ]
        );
        assert_eq!(
            kinds("吉民议字 〔2020〕 第4号"),
            vec![Token::DocNumber("吉民议字〔2020〕4号".into())]
        );
    }

    #[test]
    fn colons_in_text_are_not_scopes() {
        assert_eq!(kinds("答复：培训"), vec![Token::Word("答复：培训".into())]);
        assert_eq!(kinds("title: 培训").len(), 2);
        assert_eq!(kinds("http://x"), vec![Token::Word("http://x".into())]);
    }

    #[test]
    fn a_dash_inside_a_word_is_kept() {
        assert_eq!(kinds("COVID-19"), vec![Token::Word("COVID-19".into())]);
        assert_eq!(kinds("or"), vec![Token::Word("or".into())]);
    }
}
