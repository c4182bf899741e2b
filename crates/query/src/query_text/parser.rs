//! From tokens to a [`Node`] tree, by recursive descent:
//!
//! ```text
//! query   = and EOF
//! and     = or*                      (implicit AND)
//! or      = unary ("OR" unary)*
//! unary   = "-" primary | primary
//! primary = scope? (word | phrase | 文号 | "(" and ")")
//! ```
//!
//! A scope applies to every leaf of its term or group; scopes do not nest.

use super::lexer::{Spanned, Token};
use super::{Leaf, MAX_DEPTH, Node, Scope, Term};
use crate::error::QueryError;

pub(super) struct Parser {
    tokens: Vec<Spanned>,
    next: usize,
    /// The scope of the group being read, if any.
    scope: Option<Scope>,
    /// Groups open around the token being read.
    depth: usize,
}

fn error(message: impl Into<String>, position: usize) -> QueryError {
    QueryError::InvalidQuery {
        message: message.into(),
        position,
    }
}

impl Parser {
    pub(super) fn new(tokens: Vec<Spanned>) -> Self {
        Parser {
            tokens,
            next: 0,
            scope: None,
            depth: 0,
        }
    }

    fn peek(&self) -> Option<&Spanned> {
        self.tokens.get(self.next)
    }

    fn advance(&mut self) -> Option<Spanned> {
        let t = self.tokens.get(self.next).cloned();
        self.next += 1;
        t
    }

    /// The whole query.
    pub(super) fn parse(mut self) -> Result<Node, QueryError> {
        let root = self.and()?;
        match self.peek() {
            None => Ok(root),
            Some(t) => Err(error(
                "this `)` closes no `(`; remove it or add the `(` it closes",
                t.position,
            )),
        }
    }

    /// A sequence of terms up to `)` or the end, ANDed.
    fn and(&mut self) -> Result<Node, QueryError> {
        let mut items = Vec::new();
        while let Some(t) = self.peek() {
            match t.token {
                Token::Close => break,
                Token::Or => return Err(dangling_or(t.position)),
                _ => items.push(self.or()?),
            }
        }
        Ok(if items.len() == 1 {
            items.remove(0)
        } else {
            Node::And(items)
        })
    }

    fn or(&mut self) -> Result<Node, QueryError> {
        let mut items = vec![self.unary()?];
        while let Some(Spanned {
            token: Token::Or,
            position,
        }) = self.peek().cloned()
        {
            self.advance();
            match self.peek().map(|t| &t.token) {
                None | Some(Token::Close) | Some(Token::Or) => return Err(dangling_or(position)),
                Some(_) => items.push(self.unary()?),
            }
        }
        Ok(if items.len() == 1 {
            items.remove(0)
        } else {
            Node::Or(items)
        })
    }

    fn unary(&mut self) -> Result<Node, QueryError> {
        match self.peek() {
            Some(Spanned {
                token: Token::Not,
                position,
            }) => {
                let position = *position;
                self.advance();
                match self.peek().map(|t| &t.token) {
                    Some(Token::Not | Token::Or | Token::Close) | None => Err(error(
                        "`-` must be directly followed by the word, \"phrase\" or (group) to \
                         exclude",
                        position,
                    )),
                    Some(_) => Ok(Node::Not(Box::new(self.primary()?))),
                }
            }
            _ => self.primary(),
        }
    }

    fn primary(&mut self) -> Result<Node, QueryError> {
        let Some(Spanned { token, position }) = self.advance() else {
            // Callers only come here with a token ahead.
            return Err(error("the query ends where a term was expected", 0));
        };
        let leaf = |term, scope| {
            Ok(Node::Leaf(Leaf {
                term,
                scope,
                position,
            }))
        };
        match token {
            Token::Word(w) => leaf(Term::Words(w), self.scope),
            Token::Phrase(p) => leaf(Term::Phrase(p), self.scope),
            Token::DocNumber(n) => leaf(Term::DocNumber(n), self.scope),
            Token::Scope(scope) => {
                if let Some(outer) = self.scope {
                    return Err(error(
                        format!(
                            "`{}:` inside `{}:(…)`: field scopes do not nest",
                            scope.name(),
                            outer.name()
                        ),
                        position,
                    ));
                }
                self.scope = Some(scope);
                let node = self.primary();
                self.scope = None;
                node
            }
            Token::Open => {
                if matches!(self.peek().map(|t| &t.token), Some(Token::Close)) {
                    return Err(error(
                        "the group `()` is empty; put words in it or remove it",
                        position,
                    ));
                }
                if self.depth == MAX_DEPTH {
                    return Err(error(
                        format!("groups nest more than {MAX_DEPTH} deep; flatten the query"),
                        position,
                    ));
                }
                self.depth += 1;
                let inner = self.and();
                self.depth -= 1;
                let inner = inner?;
                match self.advance() {
                    Some(Spanned {
                        token: Token::Close,
                        ..
                    }) => Ok(inner),
                    _ => Err(error(
                        "this `(` is never closed; add the `)` that closes it",
                        position,
                    )),
                }
            }
            Token::Close => Err(error(
                "this `)` closes no `(`; remove it or add the `(` it closes",
                position,
            )),
            Token::Or => Err(dangling_or(position)),
            Token::Not => Err(error(
                "`-` must be directly followed by the word, \"phrase\" or (group) to exclude",
                position,
            )),
        }
    }
}

fn dangling_or(position: usize) -> QueryError {
    error("`OR` needs a term on each side (`培训 OR 教育`)", position)
}
