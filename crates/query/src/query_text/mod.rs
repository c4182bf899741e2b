//! Reading the `q` parameter: dafu's query language, parsed into a [`Node`] tree.
//!
//! | form | meaning |
//! |---|---|
//! | `培训 农村` | both words (AND is implicit) |
//! | `培训 OR 教育`, `培训 \| 教育` | either (OR binds tighter than AND: `a b OR c` is `a (b OR c)`) |
//! | `-培训`, `-"课后服务"`, `-(a OR b)` | excludes |
//! | `"课后服务"`, `“…”`, `「…」` | the exact text (ignoring punctuation and spacing) |
//! | `(培训 OR 教育) 农村`, `（…）` | a group |
//! | `title:培训`, `department:民政厅`, `proposer:张`, `doc:吉民议字〔2020〕4号` | a field scope, over a word, phrase or group |
//! | `吉民议字[2020]4号` | a document number (文号), with any bracket style |
//!
//! Full-width forms (`（）`, `：`, `｜`, `－`) are read like ASCII ones, and `，` `、` `；`
//! separate words like spaces. A scope is ASCII letters and a colon *directly followed* by its
//! term, so a colon in ordinary text (`答复：`) is just punctuation. The empty query is every
//! reply; a query of exclusions only is every reply but those.
//!
//! This is our own parser, not tantivy's QueryParser, which would turn unquoted Chinese into
//! phrase queries. Malformed input is an [`QueryError::InvalidQuery`] with the character
//! position of the problem.

mod lexer;
mod parser;
#[cfg(test)]
mod tests;

use std::fmt;

use crate::error::QueryError;

/// Longest query accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 500;
/// Most words and phrases in one query.
pub const MAX_CLAUSES: usize = 32;
/// Deepest nesting of groups `((…))` accepted.
pub const MAX_DEPTH: usize = 8;

/// A field a term is restricted to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// `title:` the reply's title.
    Title,
    /// `department:` the issuing department (any part of its name).
    Department,
    /// `proposer:` the deputy or member answered (any part of the name).
    Proposer,
    /// `doc:` the document number (文号).
    DocNumber,
}

impl Scope {
    /// Every scope, in the order error messages list them.
    pub const ALL: [Scope; 4] = [
        Scope::Title,
        Scope::Department,
        Scope::Proposer,
        Scope::DocNumber,
    ];

    /// The name typed before the colon.
    pub fn name(self) -> &'static str {
        match self {
            Scope::Title => "title",
            Scope::Department => "department",
            Scope::Proposer => "proposer",
            Scope::DocNumber => "doc",
        }
    }

    /// The scope named `name` (any case).
    pub fn parse(name: &str) -> Option<Scope> {
        Scope::ALL
            .into_iter()
            .find(|s| s.name().eq_ignore_ascii_case(name))
    }
}

/// What a leaf of the query looks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Term {
    /// Unquoted text, to be segmented into words that must all occur.
    Words(String),
    /// A quoted literal that must occur as written (ignoring punctuation and spacing); empty
    /// quotes constrain nothing.
    Phrase(String),
    /// A document number in canonical form.
    DocNumber(String),
}

impl Term {
    /// The text looked for.
    pub fn text(&self) -> &str {
        match self {
            Term::Words(t) | Term::Phrase(t) | Term::DocNumber(t) => t,
        }
    }
}

/// A word, phrase or 文号, in the field its scope names (all text fields without one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Leaf {
    pub term: Term,
    pub scope: Option<Scope>,
    /// Character index in the query where the term starts.
    pub position: usize,
}

/// A query tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    Leaf(Leaf),
    /// All of these; the empty conjunction matches everything.
    And(Vec<Node>),
    /// At least one of these.
    Or(Vec<Node>),
    /// Not this.
    Not(Box<Node>),
}

impl Default for Node {
    fn default() -> Self {
        Node::And(Vec::new())
    }
}

impl Node {
    /// The first leaf with a scope (`title:` and the others), exclusions included.
    pub fn first_scoped(&self) -> Option<&Leaf> {
        match self {
            Node::Leaf(l) => l.scope.is_some().then_some(l),
            Node::And(c) | Node::Or(c) => c.iter().find_map(Node::first_scoped),
            Node::Not(n) => n.first_scoped(),
        }
    }

    /// The leaves that must match (not under an exclusion), in query order.
    pub fn positive_leaves(&self) -> Vec<&Leaf> {
        fn walk<'a>(node: &'a Node, out: &mut Vec<&'a Leaf>) {
            match node {
                Node::Leaf(l) => out.push(l),
                Node::And(c) | Node::Or(c) => c.iter().for_each(|n| walk(n, out)),
                Node::Not(_) => {}
            }
        }
        let mut out = Vec::new();
        walk(self, &mut out);
        out
    }
}

/// A compact rendering for tests and logs: `(and 培训 (or a b) (not "x") title:课后)`.
impl fmt::Display for Node {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let list = |f: &mut fmt::Formatter<'_>, op: &str, nodes: &[Node]| {
            write!(f, "({op}")?;
            for n in nodes {
                write!(f, " {n}")?;
            }
            write!(f, ")")
        };
        match self {
            Node::Leaf(l) => {
                if let Some(s) = l.scope {
                    write!(f, "{}:", s.name())?;
                }
                match &l.term {
                    Term::Words(t) => write!(f, "{t}"),
                    Term::Phrase(t) => write!(f, "\"{t}\""),
                    Term::DocNumber(t) => write!(f, "#{t}"),
                }
            }
            Node::And(c) => list(f, "and", c),
            Node::Or(c) => list(f, "or", c),
            Node::Not(n) => write!(f, "(not {n})"),
        }
    }
}

/// A parsed query; the default (empty) query matches every reply.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedQuery {
    pub root: Node,
}

impl ParsedQuery {
    /// Whether the query constrains nothing (every reply matches).
    pub fn is_empty(&self) -> bool {
        matches!(&self.root, Node::And(c) if c.is_empty())
    }
}

/// Parses the text of a query.
///
/// ```
/// use dafu_query::query_text::parse;
/// let q = parse("培训 (“不少于500人次” OR title:课后) -农村 吉民议字[2020]4号").unwrap();
/// assert_eq!(
///     q.root.to_string(),
///     "(and 培训 (or \"不少于500人次\" title:课后) (not 农村) #吉民议字〔2020〕4号)"
/// );
/// ```
pub fn parse(q: &str) -> Result<ParsedQuery, QueryError> {
    let count = q.chars().count();
    if count > MAX_QUERY_CHARS {
        return Err(QueryError::InvalidQuery {
            message: format!(
                "the query is {count} characters long; the limit is {MAX_QUERY_CHARS}"
            ),
            position: MAX_QUERY_CHARS,
        });
    }
    let tokens = lexer::lex(q)?;
    Ok(ParsedQuery {
        root: parser::Parser::new(tokens).parse()?,
    })
}
