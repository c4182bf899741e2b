//! Properties of what user input reaches in the query crate, over generated input:
//!
//! * the query parser never panics, on any string or on strings made of the query language's
//!   own pieces; it answers a tree or an [`QueryError::InvalidQuery`] whose position lies in the
//!   query, and the same answer twice;
//! * a query tree written out in any of the syntax's equivalent spellings (ASCII or full-width
//!   brackets, `OR` or `|`, any quote style, any word separator, redundant parentheses, scopes
//!   on leaves or on groups) parses back to that tree;
//! * the highlighter's marks are ordered, disjoint character ranges inside the text; a needle
//!   taken from the text is always found; fragments hold their marks, and their HTML escapes
//!   everything but the `<mark>` tags;
//! * request validation answers a value or a user error, never a panic or an internal error.

use dafu_extract::normalize::is_separator;
use dafu_extract::region::RegionTable;
use dafu_extract::topics::TopicRules;
use dafu_query::QueryError;
use dafu_query::highlight::Highlighter;
use dafu_query::query_text::{
    Leaf, MAX_CLAUSES, MAX_DEPTH, MAX_QUERY_CHARS, Node, ParsedQuery, Scope, Term, parse,
};
use dafu_query::request::{NumberOrText, OneOrMany, SearchParams, Target};
use proptest::prelude::*;

/// Pieces of the query language: operators in both widths, quotes, scopes known and unknown,
/// 文号 in several spellings, separators and words.
const PIECES: &[&str] = &[
    " ",
    "  ",
    "\u{3000}",
    "\n",
    "\t",
    ",",
    "，",
    "、",
    ";",
    "；",
    "(",
    ")",
    "（",
    "）",
    "|",
    "｜",
    "-",
    "－",
    "\"",
    "＂",
    "“",
    "”",
    "「",
    "」",
    "『",
    "』",
    "OR",
    "or",
    "AND",
    "NOT",
    ":",
    "：",
    "title:",
    "TITLE：",
    "department:",
    "proposer:",
    "doc:",
    "foo:",
    "http://",
    "培训",
    "农村",
    "养老服务",
    "课后服务",
    "答复：",
    "COVID-19",
    "5G",
    "吉民议字",
    "〔2020〕",
    "[2020]",
    "(2020)",
    "第",
    "4号",
    "号",
    "吉民议字(2020)4号",
    "ＡＢＣ",
    "\u{0}",
    "\u{FFFD}",
    "🙂",
];

/// A string of query-language pieces, with a stray arbitrary character now and then.
fn query_like() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            6 => prop::sample::select(PIECES).prop_map(str::to_string),
            1 => any::<char>().prop_map(String::from),
        ],
        0..40,
    )
    .prop_map(|pieces| pieces.concat())
}

/// Parses `q` twice and checks what any answer must satisfy.
fn check_parse(q: &str) -> Result<Option<ParsedQuery>, TestCaseError> {
    let chars = q.chars().count();
    let first = parse(q);
    let second = parse(q);
    match (&first, &second) {
        (Ok(a), Ok(b)) => prop_assert_eq!(a, b, "parse is not deterministic"),
        (Err(a), Err(b)) => prop_assert_eq!(a.to_string(), b.to_string()),
        _ => prop_assert!(false, "parse is not deterministic on {:?}", q),
    }
    match first {
        Ok(query) => {
            let leaves = all_leaves(&query.root);
            prop_assert!(leaves.len() <= MAX_CLAUSES);
            for pair in leaves.windows(2) {
                prop_assert!(pair[0].position < pair[1].position, "leaves out of order");
            }
            for leaf in &leaves {
                prop_assert!(leaf.position < chars);
            }
            Ok(Some(query))
        }
        Err(QueryError::InvalidQuery { message, position }) => {
            prop_assert!(
                position < chars,
                "error at {} in a query of {} characters: {}",
                position,
                chars,
                message
            );
            prop_assert!(!message.is_empty());
            Ok(None)
        }
        Err(other) => Err(TestCaseError::fail(format!(
            "parse of {q:?} gave a non-query error: {other:?}"
        ))),
    }
}

fn all_leaves(node: &Node) -> Vec<&Leaf> {
    fn walk<'a>(node: &'a Node, out: &mut Vec<&'a Leaf>) {
        match node {
            Node::Leaf(l) => out.push(l),
            Node::And(c) | Node::Or(c) => c.iter().for_each(|n| walk(n, out)),
            Node::Not(n) => walk(n, out),
        }
    }
    let mut out = Vec::new();
    walk(node, &mut out);
    out
}

/// The tree with every position set to 0, to compare shapes.
fn unplaced(node: &Node) -> Node {
    match node {
        Node::Leaf(l) => Node::Leaf(Leaf {
            position: 0,
            ..l.clone()
        }),
        Node::And(c) => Node::And(c.iter().map(unplaced).collect()),
        Node::Or(c) => Node::Or(c.iter().map(unplaced).collect()),
        Node::Not(n) => Node::Not(Box::new(unplaced(n))),
    }
}

// ---- Generated query trees, written out in random equivalent spellings ----

/// Words that lex as one plain word wherever they stand.
const WORDS: &[&str] = &[
    "培训",
    "农村",
    "养老服务",
    "课后服务",
    "人才队伍",
    "COVID-19",
    "5G",
    "abc",
    "ＡＢＣ",
    "or",
    "Or",
    "AND",
    "NOT",
    "答复：意见",
    "不少于500人次",
    "鼓楼区",
    "a-b",
];
/// Phrase contents (trimmed, not 文号).
const PHRASES: &[&str] = &[
    "课后服务",
    "不少于500人次",
    "社区 养老",
    "",
    "a OR b",
    "(括号)",
    "title:培训",
    "-排除",
    "答复：",
];
/// 文号: the canonical form and spellings a user types.
const DOC_NUMBERS: &[(&str, &[&str])] = &[
    (
        "吉民议字〔2020〕4号",
        &[
            "吉民议字〔2020〕4号",
            "吉民议字[2020]4号",
            "吉民议字(2020)4号",
            "吉民议字（2020）4号",
            "吉民议字 〔2020〕 第4号",
            "\"吉民议字[2020]4号\"",
        ],
    ),
    (
        "嘉政民函〔2021〕12号",
        &[
            "嘉政民函[2021]12号",
            "嘉政民函【2021】第12号",
            "「嘉政民函〔2021〕12号」",
        ],
    ),
];

#[derive(Debug, Clone)]
enum Gen {
    Word(usize, Option<Scope>),
    Phrase(usize, Option<Scope>),
    Doc(usize, Option<Scope>),
    And(Vec<Gen>),
    Or(Vec<Gen>),
    Not(Box<Gen>),
    /// A scope over a group: `title:(…)`.
    Scoped(Scope, Box<Gen>),
}

fn scope() -> impl Strategy<Value = Option<Scope>> {
    prop_oneof![3 => Just(None), 1 => prop::sample::select(Scope::ALL.to_vec()).prop_map(Some)]
}

fn gen_tree() -> impl Strategy<Value = Gen> {
    let leaf = prop_oneof![
        3 => (0..WORDS.len(), scope()).prop_map(|(i, s)| Gen::Word(i, s)),
        1 => (0..PHRASES.len(), scope()).prop_map(|(i, s)| Gen::Phrase(i, s)),
        1 => (0..DOC_NUMBERS.len(), scope()).prop_map(|(i, s)| Gen::Doc(i, s)),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 2..4).prop_map(Gen::And),
            prop::collection::vec(inner.clone(), 2..4).prop_map(Gen::Or),
            inner
                .clone()
                .prop_filter("no double negation", |g| !matches!(g, Gen::Not(_)))
                .prop_map(|g| Gen::Not(Box::new(g))),
            (prop::sample::select(Scope::ALL.to_vec()), inner)
                .prop_filter("a scope over a group", |(_, g)| {
                    !matches!(g, Gen::Not(_) | Gen::Scoped(..))
                })
                .prop_map(|(s, g)| Gen::Scoped(s, Box::new(g))),
        ]
    })
}

/// A tiny deterministic choice source for the spelling.
struct Choices(u64);

impl Choices {
    fn pick<'a>(&mut self, options: &[&'a str]) -> &'a str {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        let r = self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 33;
        options[r as usize % options.len()]
    }

    fn coin(&mut self) -> bool {
        self.pick(&["0", "1"]) == "1"
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Ctx {
    /// The whole query: groups need no parentheses.
    Root,
    AndChild,
    OrChild,
    /// After `-` or a scope: a group needs parentheses.
    Bracketed,
}

struct Writer {
    out: String,
    choices: Choices,
    depth: usize,
}

impl Writer {
    fn open(&mut self) {
        let p = self.choices.pick(&["(", "（"]);
        self.out.push_str(p);
        self.depth += 1;
    }

    fn close(&mut self) {
        let p = self.choices.pick(&[")", "）"]);
        self.out.push_str(p);
        self.depth -= 1;
    }

    fn scope(&mut self, s: Scope) {
        let name = match self.choices.pick(&["lower", "upper"]) {
            "upper" => s.name().to_ascii_uppercase(),
            _ => s.name().to_string(),
        };
        self.out.push_str(&name);
        let colon = self.choices.pick(&[":", "："]);
        self.out.push_str(colon);
    }

    fn leaf(&mut self, term: Term, text: String, own: Option<Scope>, outer: Option<Scope>) -> Node {
        // Sometimes redundant parentheses (`(培训)` is the word itself), within the depth limit.
        let wrap = outer.is_none()
            && self.depth < MAX_DEPTH
            && self.choices.pick(&["", "", "", "w"]) == "w";
        if wrap {
            self.open();
        }
        if outer.is_none()
            && let Some(s) = own
        {
            self.scope(s);
        }
        self.out.push_str(&text);
        if wrap {
            self.close();
        }
        Node::Leaf(Leaf {
            term,
            scope: outer.or(own),
            position: 0,
        })
    }

    /// Writes `g` and returns the tree it must parse to.
    fn write(&mut self, g: &Gen, ctx: Ctx, outer: Option<Scope>) -> Node {
        match g {
            Gen::Word(i, s) => {
                self.leaf(Term::Words(WORDS[*i].into()), WORDS[*i].into(), *s, outer)
            }
            Gen::Phrase(i, s) => {
                let (open, close) = match self
                    .choices
                    .pick(&["ascii", "wide", "curly", "corner", "white"])
                {
                    "wide" => ("＂", "＂"),
                    "curly" => ("“", "”"),
                    "corner" => ("「", "」"),
                    "white" => ("『", "』"),
                    _ => ("\"", "\""),
                };
                let pad = self.choices.pick(&["", "", " ", "\u{3000}"]);
                let text = format!("{open}{pad}{}{pad}{close}", PHRASES[*i]);
                self.leaf(Term::Phrase(PHRASES[*i].into()), text, *s, outer)
            }
            Gen::Doc(i, s) => {
                let (canonical, spellings) = DOC_NUMBERS[*i];
                let text = self.choices.pick(spellings).to_string();
                self.leaf(Term::DocNumber(canonical.into()), text, *s, outer)
            }
            Gen::And(children) | Gen::Or(children) => {
                let is_and = matches!(g, Gen::And(_));
                // An OR inside an AND needs no parentheses (OR binds tighter); an AND inside an
                // AND does, or it would merge into it; the whole query may have them or not.
                let parens = match ctx {
                    Ctx::Root => self.choices.coin(),
                    Ctx::AndChild if !is_and => self.choices.coin(),
                    Ctx::AndChild | Ctx::OrChild | Ctx::Bracketed => true,
                };
                if parens {
                    self.open();
                }
                let mut nodes = Vec::new();
                for (k, child) in children.iter().enumerate() {
                    if k > 0 {
                        let sep = if is_and {
                            self.choices.pick(&[
                                " ", "  ", "，", "、", "；", ",", ";", "\u{3000}", "\n", "\t",
                            ])
                        } else {
                            self.choices
                                .pick(&[" OR ", "|", " | ", "｜", " OR\n", "\u{3000}OR "])
                        };
                        self.out.push_str(sep);
                    }
                    let child_ctx = if is_and { Ctx::AndChild } else { Ctx::OrChild };
                    nodes.push(self.write(child, child_ctx, outer));
                }
                if parens {
                    self.close();
                }
                if is_and {
                    Node::And(nodes)
                } else {
                    Node::Or(nodes)
                }
            }
            Gen::Not(inner) => {
                let dash = self.choices.pick(&["-", "－"]);
                self.out.push_str(dash);
                Node::Not(Box::new(self.write(inner, Ctx::Bracketed, outer)))
            }
            Gen::Scoped(s, inner) => {
                if outer.is_some() {
                    // Scopes do not nest: inside a scoped group, write the group plainly.
                    return self.write(inner, ctx, outer);
                }
                self.scope(*s);
                match **inner {
                    Gen::And(_) | Gen::Or(_) => self.write(inner, Ctx::Bracketed, Some(*s)),
                    // A scope over one leaf: `title:(培训)`.
                    _ => {
                        self.open();
                        let node = self.write(inner, Ctx::Bracketed, Some(*s));
                        self.close();
                        node
                    }
                }
            }
        }
    }
}

/// Writes a query of `items` (0: the empty query) and returns it with the tree it must give.
fn written(items: &[Gen], seed: u64) -> (String, Node) {
    let mut w = Writer {
        out: String::new(),
        choices: Choices(seed | 1),
        depth: 0,
    };
    let lead = w.choices.pick(&["", "", " ", "\u{3000}", "\n"]);
    w.out.push_str(lead);
    let node = match items {
        [] => Node::And(Vec::new()),
        [one] => w.write(one, Ctx::Root, None),
        many => w.write(&Gen::And(many.to_vec()), Ctx::Root, None),
    };
    let trail = w.choices.pick(&["", "", " ", "，"]);
    w.out.push_str(trail);
    (w.out, node)
}

fn depth(node: &Node) -> usize {
    match node {
        Node::Leaf(_) => 0,
        Node::And(c) | Node::Or(c) => 1 + c.iter().map(depth).max().unwrap_or(0),
        Node::Not(n) => 1 + depth(n),
    }
}

// ---- Highlights ----

/// Characters replies are made of, with separators, full-width forms and line breaks.
fn text_char() -> impl Strategy<Value = char> {
    prop_oneof![
        6 => prop::sample::select(
            "培训农村养老服务课后人才队伍建设协会商会社会组织吉民议字号年月日一二三不少于人次\
             ABCabcＡＢＣ0123456789０１２３４５６７８９ \n\u{3000}，。、；：！？（）()〔〕[]【】《》“”\"'<>&-"
                .chars()
                .collect::<Vec<_>>()
        ),
        1 => any::<char>(),
    ]
}

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(text_char(), 0..400).prop_map(|c| c.into_iter().collect())
}

/// The HTML of a fragment with the `<mark>` tags taken out must have no markup left.
fn escaped(html: &str) -> bool {
    let plain = html.replace("<mark>", "").replace("</mark>", "");
    !plain.contains(['<', '>', '"', '\''])
}

fn check_highlight(h: &Highlighter, text: &str) -> Result<Vec<(usize, usize)>, TestCaseError> {
    let n = text.chars().count();
    let marks = h.marks(text);
    let mut after = 0;
    for m in &marks {
        prop_assert!(
            after <= m.start && m.start < m.end && m.end <= n,
            "mark {:?} after {} in a text of {} characters",
            m,
            after,
            n
        );
        after = m.end;
    }
    prop_assert_eq!(&marks, &h.marks(text), "marks are not deterministic");
    let fragments = h.fragments(text);
    prop_assert!(fragments.len() <= dafu_query::highlight::FRAGMENTS);
    let mut previous_end = 0;
    for f in &fragments {
        prop_assert!(
            f.start <= f.end && f.end <= n,
            "fragment {}..{} of {}",
            f.start,
            f.end,
            n
        );
        prop_assert!(
            previous_end <= f.start,
            "fragments overlap or are out of order"
        );
        previous_end = f.end;
        prop_assert!(escaped(&f.html), "unescaped HTML: {:?}", f.html);
        for m in &f.marks {
            prop_assert!(
                f.start <= m.start && m.end <= f.end,
                "{:?} outside its fragment",
                m
            );
            prop_assert!(marks.contains(m), "{:?} is not a mark of the text", m);
        }
    }
    Ok(marks.iter().map(|m| (m.start, m.end)).collect())
}

fn topics() -> &'static TopicRules {
    static TOPICS: std::sync::OnceLock<TopicRules> = std::sync::OnceLock::new();
    TOPICS.get_or_init(|| match TopicRules::embedded() {
        Ok(t) => t,
        Err(e) => panic!("embedded topic rules: {e}"),
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn parsing_any_string_never_panics(q in any::<String>()) {
        check_parse(&q)?;
    }

    #[test]
    fn parsing_query_language_pieces_never_panics(q in query_like()) {
        check_parse(&q)?;
    }

    #[test]
    fn long_and_deep_queries_are_refused_with_a_position(
        piece in prop::sample::select(PIECES),
        repeat in 1usize..300,
    ) {
        let q = piece.repeat(repeat);
        check_parse(&q)?;
        if q.chars().count() > MAX_QUERY_CHARS {
            prop_assert!(parse(&q).is_err(), "a query over the length limit parsed");
        }
    }

    #[test]
    fn a_written_tree_parses_back_to_itself(
        items in prop::collection::vec(gen_tree(), 0..4),
        seed in any::<u64>(),
    ) {
        let (q, expected) = written(&items, seed);
        prop_assume!(q.chars().count() <= MAX_QUERY_CHARS);
        prop_assume!(all_leaves(&expected).len() <= MAX_CLAUSES);
        prop_assume!(depth(&expected) <= MAX_DEPTH);
        let parsed = match parse(&q) {
            Ok(p) => p,
            Err(e) => return Err(TestCaseError::fail(format!("{q:?} was refused: {e}"))),
        };
        prop_assert_eq!(unplaced(&parsed.root), expected, "{:?}", q);
        check_parse(&q)?;
    }

    #[test]
    fn highlights_of_any_terms_lie_inside_the_text(
        text in text(),
        needles in prop::collection::vec(
            prop_oneof![
                3 => prop::collection::vec(text_char(), 1..6).prop_map(|c| c.into_iter().collect::<String>()),
                1 => any::<String>(),
            ],
            0..6,
        ),
    ) {
        check_highlight(&Highlighter::new(&needles), &text)?;
    }

    #[test]
    fn a_needle_cut_from_the_text_is_marked(
        text in text(),
        cut in (any::<prop::sample::Index>(), 1usize..12),
        others in prop::collection::vec("[培训农村ab ]{1,4}", 0..3),
    ) {
        let chars: Vec<char> = text.chars().collect();
        prop_assume!(!chars.is_empty());
        let start = cut.0.index(chars.len());
        let end = (start + cut.1).min(chars.len());
        let needle: String = chars[start..end].iter().collect();
        prop_assume!(needle.chars().any(|c| !is_separator(c)));
        let mut needles = others;
        needles.push(needle.clone());
        let marks = check_highlight(&Highlighter::new(&needles), &text)?;
        prop_assert!(!marks.is_empty(), "{:?} is in the text but not marked", needle);
    }

    #[test]
    fn validation_answers_a_request_or_a_user_error(
        q in query_like(),
        value in query_like(),
        field in 0usize..8,
    ) {
        let v = || Some(OneOrMany::One(value.clone()));
        let t = || Some(NumberOrText::Text(value.clone()));
        let mut params = SearchParams { q: Some(q), ..SearchParams::default() };
        match field {
            0 => params.region = v(),
            1 => params.year = t(),
            2 => params.session = v(),
            3 => params.proposal_number = v(),
            4 => params.limit = t(),
            5 => params.cursor = Some(value.clone()),
            6 => params.date_from = Some(value.clone()),
            _ => params.department = v(),
        }
        for target in [Target::Replies, Target::Commitments] {
            if let Err(e) = params.validate_for(target, RegionTable::embedded(), topics()) {
                prop_assert!(e.is_user_error(), "internal error: {:?}", e);
            }
        }
    }
}

#[test]
fn the_tree_writer_writes_what_the_docs_show() {
    let items = [
        Gen::Word(0, None),
        Gen::Or(vec![Gen::Phrase(1, None), Gen::Word(0, Some(Scope::Title))]),
        Gen::Not(Box::new(Gen::Word(1, None))),
    ];
    let (q, expected) = written(&items, 7);
    let parsed = parse(&q).map(|p| unplaced(&p.root));
    assert_eq!(parsed.ok(), Some(expected), "{q}");
}
