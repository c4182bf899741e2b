//! The query language and the request validation that every search parameter goes through.
//!
//! The input is read as UTF-8, lossily (so arbitrary bytes become the replacement characters a
//! browser or proxy would send), and then used:
//!
//! * as the `q` text: parsing never panics, errors point inside the query, and a parsed tree has
//!   the shape the parser promises (leaves in query order, at most `MAX_CLAUSES` of them, no
//!   one-child `AND`/`OR`, words that are the query's own text);
//! * as the value of each search parameter in turn, for both searches: validation answers `Ok`
//!   or a user error that names that parameter, never an internal error;
//! * as a whole URL query string and as a JSON body, parsed the way the HTTP layer parses them;
//! * as the needles and the text of the highlighter: marks are ordered, disjoint and inside the
//!   text;
//! * and a cursor made for a validated request decodes back to the position it was made from.

use std::sync::OnceLock;

use dafu_extract::region::RegionTable;
use dafu_extract::topics::TopicRules;
use dafu_query::cursor::{self, Position};
use dafu_query::highlight::Highlighter;
use dafu_query::query_text::{MAX_CLAUSES, Node, ParsedQuery, Term, parse};
use dafu_query::request::{Flag, NumberOrText, OneOrMany, SearchRequest, Target};
use dafu_query::stats::parse_group_by;
use dafu_query::{QueryError, SearchParams};

fn topics() -> &'static TopicRules {
    static TOPICS: OnceLock<TopicRules> = OnceLock::new();
    TOPICS.get_or_init(|| match TopicRules::embedded() {
        Ok(t) => t,
        Err(e) => panic!("embedded topic rules: {e}"),
    })
}

/// Every leaf of the tree, in tree order, with whether it sits under an exclusion.
fn leaves(node: &Node, out: &mut Vec<(usize, Term)>, depth: usize) {
    match node {
        Node::Leaf(l) => out.push((l.position, l.term.clone())),
        Node::And(c) => {
            assert!(
                depth == 0 || c.len() != 1,
                "a one-child AND below the root: {node}"
            );
            c.iter().for_each(|n| leaves(n, out, depth + 1));
        }
        Node::Or(c) => {
            assert!(c.len() >= 2, "an OR of {} terms: {node}", c.len());
            c.iter().for_each(|n| leaves(n, out, depth + 1));
        }
        Node::Not(n) => {
            assert!(!matches!(**n, Node::Not(_)), "a double negation: {node}");
            leaves(n, out, depth + 1);
        }
    }
}

/// Parses `q` and checks what a parse result promises.
fn check_parse(q: &str) -> Option<ParsedQuery> {
    let chars: Vec<char> = q.chars().collect();
    let result = parse(q);
    match (&result, &parse(q)) {
        (Ok(a), Ok(b)) => assert_eq!(a, b, "parse is not deterministic"),
        (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string(), "errors differ"),
        _ => panic!("parse is not deterministic"),
    }
    match result {
        Err(QueryError::InvalidQuery { message, position }) => {
            assert!(
                position < chars.len(),
                "error at character {position} of a {}-character query: {message}",
                chars.len()
            );
            assert!(!message.is_empty());
            None
        }
        Err(other) => panic!("parse gave a non-query error: {other:?}"),
        Ok(query) => {
            let mut found = Vec::new();
            leaves(&query.root, &mut found, 0);
            assert!(found.len() <= MAX_CLAUSES, "{} leaves", found.len());
            assert_eq!(query.is_empty(), found.is_empty());
            for pair in found.windows(2) {
                assert!(
                    pair[0].0 < pair[1].0,
                    "leaves out of query order: {}",
                    query.root
                );
            }
            for (position, term) in &found {
                assert!(*position < chars.len(), "leaf at {position}");
                if let Term::Words(w) = term {
                    assert!(
                        !w.is_empty() && !w.chars().any(char::is_whitespace),
                        "word {w:?}"
                    );
                    let at: String = chars[*position..].iter().take(w.chars().count()).collect();
                    assert_eq!(&at, w, "a word that is not the query's text");
                }
            }
            // The compact rendering never panics.
            let _ = query.root.to_string();
            Some(query)
        }
    }
}

/// Validates `params` for both searches; errors must be the caller's, naming `field` when one
/// field was set.
fn check_validate(params: &SearchParams, field: Option<&str>) -> Option<SearchRequest> {
    let regions = RegionTable::embedded();
    let mut ok = None;
    for target in [Target::Replies, Target::Commitments] {
        match params.validate_for(target, regions, topics()) {
            Ok(request) => {
                if target == Target::Replies {
                    ok = Some(request);
                }
            }
            Err(e) => {
                assert!(
                    e.is_user_error(),
                    "validation gave an internal error: {e:?}"
                );
                let _ = e.to_string();
                match (&e, field) {
                    (QueryError::InvalidParameter { parameter, .. }, Some(f)) => {
                        assert_eq!(parameter, f, "the error names another parameter: {e}")
                    }
                    (QueryError::InvalidQuery { .. }, Some(f)) => assert_eq!(f, "q", "{e}"),
                    _ => {}
                }
            }
        }
    }
    ok
}

/// Every search parameter, by the name its errors give.
const FIELDS: &[&str] = &[
    "q",
    "region",
    "year",
    "topic",
    "department",
    "assembly",
    "level",
    "reply_kind",
    "result_class",
    "proposal_number",
    "session",
    "has_commitments",
    "strength",
    "has_quantity",
    "date_from",
    "date_to",
    "group_by",
    "sort",
    "limit",
    "offset",
    "cursor",
    "explain",
    "facets",
    "highlight",
];

/// The parameters with `field` alone set to `text`.
fn with_field(field: &str, text: &str) -> SearchParams {
    let s = Some(text.to_string());
    let many = Some(OneOrMany::One(text.to_string()));
    let num = Some(NumberOrText::Text(text.to_string()));
    let flag = Some(Flag::Text(text.to_string()));
    let mut p = SearchParams::default();
    match field {
        "q" => p.q = s,
        "region" => p.region = many,
        "year" => p.year = num,
        "topic" => p.topic = many,
        "department" => p.department = many,
        "assembly" => p.assembly = many,
        "level" => p.level = many,
        "reply_kind" => p.reply_kind = many,
        "result_class" => p.result_class = many,
        "proposal_number" => p.proposal_number = many,
        "session" => p.session = many,
        "has_commitments" => p.has_commitments = flag,
        "strength" => p.strength = many,
        "has_quantity" => p.has_quantity = flag,
        "date_from" => p.date_from = s,
        "date_to" => p.date_to = s,
        "group_by" => p.group_by = many,
        "sort" => p.sort = s,
        "limit" => p.limit = num,
        "offset" => p.offset = num,
        "cursor" => p.cursor = s,
        "explain" => p.explain = flag,
        "facets" => p.facets = flag,
        "highlight" => p.highlight = flag,
        other => unreachable!("no parameter {other}"),
    }
    p
}

/// Marks of `needles` in `text` are ordered, disjoint, non-empty and inside the text, and
/// each fragment holds its marks.
fn check_highlight(needles: &[&str], text: &str) {
    let n = text.chars().count();
    let h = Highlighter::new(needles);
    let marks = h.marks(text);
    let mut after = 0;
    for m in &marks {
        assert!(
            after <= m.start && m.start < m.end && m.end <= n,
            "{m:?} in {n} chars"
        );
        after = m.end;
    }
    for f in h.fragments(text) {
        assert!(
            f.start <= f.end && f.end <= n,
            "fragment {}..{} of {n}",
            f.start,
            f.end
        );
        for m in &f.marks {
            assert!(
                f.start <= m.start && m.end <= f.end,
                "{m:?} outside its fragment"
            );
        }
    }
}

/// A cursor made for `request` resumes at the position it was made from.
fn check_cursor(request: &SearchRequest, data: &[u8], text: &str) {
    let mut id = String::new();
    for c in text.chars() {
        if id.len() + c.len_utf8() > 1024 {
            break;
        }
        id.push(c);
    }
    let word = |at: usize| {
        let mut b = [0u8; 8];
        for (i, x) in data.iter().skip(at).take(8).enumerate() {
            b[i] = *x;
        }
        u64::from_le_bytes(b)
    };
    let position = Position {
        primary: word(0),
        secondary: word(8),
        id,
    };
    let text = cursor::encode(request, &position);
    match cursor::decode(&text, request) {
        Ok(back) => assert_eq!(back, position, "a cursor decodes to another position"),
        Err(e) => panic!("our own cursor {text:?} is refused: {e}"),
    }
}

/// Checks one input; panics on a broken promise.
pub fn check(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let text: &str = &text;

    let parsed = check_parse(text);
    let needles: Vec<&str> = match &parsed {
        Some(q) => q
            .root
            .positive_leaves()
            .iter()
            .map(|l| l.term.text())
            .collect(),
        None => text.split_whitespace().take(8).collect(),
    };
    check_highlight(&needles, text);

    for field in FIELDS {
        check_validate(&with_field(field, text), Some(field));
    }
    let values: Vec<String> = text.split([',', '，']).map(str::to_string).collect();
    let _ = parse_group_by(&values);

    // The whole input as the HTTP layer's two ways in: a query string and a JSON body.
    let mut requests = Vec::new();
    if let Ok(params) = serde_urlencoded::from_str::<SearchParams>(text) {
        requests.extend(check_validate(&params, None));
    }
    if let Ok(params) = serde_json::from_slice::<SearchParams>(data) {
        requests.extend(check_validate(&params, None));
    }
    if let Some(query) = parsed {
        requests.push(SearchRequest {
            query,
            limit: 10,
            ..SearchRequest::default()
        });
    }
    for request in &requests {
        check_cursor(request, data, text);
    }
}
