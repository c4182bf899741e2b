//! Every form of the query language and every error, with its position.

use super::*;

fn tree(q: &str) -> String {
    match parse(q) {
        Ok(p) => p.root.to_string(),
        Err(e) => format!("error: {e}"),
    }
}

/// The position and message of the error `q` gives.
fn failure(q: &str) -> (usize, String) {
    match parse(q) {
        Err(QueryError::InvalidQuery { message, position }) => (position, message),
        other => panic!("{q:?} should fail, got {other:?}"),
    }
}

#[test]
fn empty_queries_match_everything() {
    for q in ["", "   ", "\u{3000}", "，、"] {
        assert!(parse(q).is_ok_and(|p| p.is_empty()), "{q:?}");
    }
}

#[test]
fn words_are_anded() {
    assert_eq!(tree("人才队伍 培训"), "(and 人才队伍 培训)");
    assert_eq!(tree("人才队伍，培训、农村"), "(and 人才队伍 培训 农村)");
    assert_eq!(tree("培训"), "培训");
}

#[test]
fn or_binds_tighter_than_and() {
    assert_eq!(tree("培训 OR 教育"), "(or 培训 教育)");
    assert_eq!(tree("培训 | 教育 ｜ 就业"), "(or 培训 教育 就业)");
    assert_eq!(tree("农村 培训 OR 教育"), "(and 农村 (or 培训 教育))");
    // Only the upper-case word is the operator.
    assert_eq!(tree("培训 or 教育"), "(and 培训 or 教育)");
}

#[test]
fn exclusions() {
    assert_eq!(tree("培训 -农村"), "(and 培训 (not 农村))");
    assert_eq!(tree("培训 -\"课后服务\""), "(and 培训 (not \"课后服务\"))");
    assert_eq!(
        tree("培训 -(农村 OR 城市)"),
        "(and 培训 (not (or 农村 城市)))"
    );
    assert_eq!(tree("－农村"), "(not 农村)");
    assert_eq!(tree("-农村 -城市"), "(and (not 农村) (not 城市))");
    assert_eq!(tree("-title:农村"), "(not title:农村)");
}

#[test]
fn phrases_in_every_quote_style() {
    for q in [
        "\"课后服务\"",
        "“课后服务”",
        "「课后服务」",
        "『课后服务』",
        "“课后服务\"",
    ] {
        assert_eq!(tree(q), "\"课后服务\"", "{q}");
    }
    assert_eq!(tree("\"\""), "\"\"");
    assert_eq!(tree("培训“不少于500人次”"), "(and 培训 \"不少于500人次\")");
}

#[test]
fn groups_in_both_widths() {
    assert_eq!(tree("(培训 OR 教育) 农村"), "(and (or 培训 教育) 农村)");
    assert_eq!(tree("（培训 OR 教育）农村"), "(and (or 培训 教育) 农村)");
    assert_eq!(tree("((培训))"), "培训");
    assert_eq!(tree("(a b) OR c"), "(or (and a b) c)");
}

#[test]
fn field_scopes() {
    assert_eq!(tree("title:培训"), "title:培训");
    assert_eq!(tree("title：培训"), "title:培训");
    assert_eq!(tree("TITLE:培训"), "title:培训");
    assert_eq!(tree("department:民政厅"), "department:民政厅");
    assert_eq!(tree("proposer:\"张某某\""), "proposer:\"张某某\"");
    assert_eq!(tree("doc:吉民议字[2020]4号"), "doc:#吉民议字〔2020〕4号");
    assert_eq!(
        tree("title:(培训 OR 教育) 农村"),
        "(and (or title:培训 title:教育) 农村)"
    );
    assert_eq!(
        tree("department:（民政 -吉林）"),
        "(and department:民政 (not department:吉林))"
    );
}

#[test]
fn colons_in_ordinary_text_are_not_scopes() {
    assert_eq!(tree("答复：培训"), "答复：培训");
    assert_eq!(tree("关于:培训"), "关于:培训");
    assert_eq!(tree("title: 培训"), "(and title: 培训)");
    assert_eq!(tree("http://example.org"), "http://example.org");
}

#[test]
fn doc_numbers_are_one_term() {
    assert_eq!(tree("吉民议字[2020]4号"), "#吉民议字〔2020〕4号");
    assert_eq!(tree("吉民议字(2020)4号"), "#吉民议字〔2020〕4号");
    assert_eq!(tree(" 吉民议字 （2020） 第4号 "), "#吉民议字〔2020〕4号");
    assert_eq!(tree("\"吉民议字〔2020〕4号\""), "#吉民议字〔2020〕4号");
    assert_eq!(
        tree("培训 吉民议字(2020)4号"),
        "(and 培训 #吉民议字〔2020〕4号)"
    );
    assert_eq!(
        tree("(吉民议字(2020)4号 OR 嘉政民函〔2020〕8号)"),
        "(or #吉民议字〔2020〕4号 #嘉政民函〔2020〕8号)"
    );
}

#[test]
fn leaves_know_their_position_and_scope() {
    let q = parse("培训 OR title:“课后”").unwrap();
    let leaves = q.root.positive_leaves();
    assert_eq!(leaves.len(), 2);
    assert_eq!((leaves[0].position, leaves[0].scope), (0, None));
    assert_eq!(
        (leaves[1].position, leaves[1].scope),
        (12, Some(Scope::Title))
    );
    let q = parse("培训 -农村 (a OR -b)").unwrap();
    let texts: Vec<&str> = q
        .root
        .positive_leaves()
        .iter()
        .map(|l| l.term.text())
        .collect();
    assert_eq!(texts, ["培训", "a"]);
}

#[test]
fn an_unclosed_quote_is_an_error_at_the_quote() {
    let (position, message) = failure("培训 \"不少于");
    assert_eq!(position, 3);
    assert!(message.contains("never closed"), "{message}");
    assert_eq!(failure("a “不少于").0, 2);
    assert_eq!(failure("「不少于」 「x").0, 6);
}

#[test]
fn unbalanced_parentheses_are_errors_at_the_parenthesis() {
    let (position, message) = failure("培训 (农村 OR 城市");
    assert_eq!(position, 3);
    assert!(message.contains("never closed"), "{message}");
    let (position, message) = failure("培训 农村)");
    assert_eq!(position, 5);
    assert!(message.contains("closes no"), "{message}");
    assert_eq!(failure("（（a）").0, 0);
    assert_eq!(failure("(a))").0, 3);
}

#[test]
fn an_empty_group_is_an_error() {
    let (position, message) = failure("培训 ()");
    assert_eq!(position, 3);
    assert!(message.contains("empty"), "{message}");
    assert_eq!(failure("((()))").0, 2);
    assert_eq!(failure("a （ ）").0, 2);
}

#[test]
fn a_dangling_or_is_an_error_at_the_or() {
    for (q, position) in [
        ("OR 培训", 0),
        ("培训 OR", 3),
        ("培训 OR OR 教育", 3),
        ("(培训 OR) 教育", 4),
        ("(OR 教育)", 1),
        ("培训 |", 3),
        ("| 培训", 0),
    ] {
        let (at, message) = failure(q);
        assert_eq!(at, position, "{q}");
        assert!(message.contains("OR"), "{q}: {message}");
    }
}

#[test]
fn a_dash_with_nothing_after_it_is_an_error() {
    for (q, position) in [("培训 -", 3), ("培训 - 农村", 3), ("(a -)", 3), ("--a", 0)] {
        let (at, message) = failure(q);
        assert_eq!(at, position, "{q}");
        assert!(message.contains("exclude"), "{q}: {message}");
    }
}

#[test]
fn an_unknown_scope_is_an_error_naming_the_scopes() {
    let (position, message) = failure("培训 foo:农村");
    assert_eq!(position, 3);
    for name in ["foo:", "title:", "department:", "proposer:", "doc:"] {
        assert!(message.contains(name), "{message}");
    }
    assert_eq!(failure("a (author：\"张\")").0, 3);
}

#[test]
fn scopes_do_not_nest() {
    let (position, message) = failure("title:(a department:b)");
    assert_eq!(position, 9);
    assert!(message.contains("nest"), "{message}");
}

#[test]
fn limits() {
    let (position, message) = failure(&"人".repeat(MAX_QUERY_CHARS + 1));
    assert_eq!(position, MAX_QUERY_CHARS);
    assert!(message.contains("500"), "{message}");
    assert!(parse(&"人".repeat(MAX_QUERY_CHARS)).is_ok());
    // The 33rd term starts at character 64.
    let (position, message) = failure(&"人 ".repeat(MAX_CLAUSES + 1));
    assert_eq!(position, 2 * MAX_CLAUSES);
    assert!(message.contains("32"), "{message}");
    assert!(parse(&"人 ".repeat(MAX_CLAUSES)).is_ok());
    assert!(parse(&format!("{}人", "人 OR ".repeat(MAX_CLAUSES - 1))).is_ok());
}

#[test]
fn deep_nesting_is_refused_with_its_position() {
    let ok = format!("{}人才{}", "(".repeat(MAX_DEPTH), ")".repeat(MAX_DEPTH));
    assert!(parse(&ok).is_ok(), "{ok}");
    let deep = format!(
        "{}人才{}",
        "(".repeat(MAX_DEPTH + 1),
        ")".repeat(MAX_DEPTH + 1)
    );
    match parse(&deep) {
        Err(QueryError::InvalidQuery { message, position }) => {
            assert!(message.contains("nest"), "{message}");
            assert_eq!(position, MAX_DEPTH);
        }
        other => panic!("expected an invalid query, got {other:?}"),
    }
    // As deep as the length limit allows: an error, not a stack overflow.
    let n = MAX_QUERY_CHARS / 2 - 1;
    let deepest = format!("{}a{}", "(".repeat(n), ")".repeat(n));
    assert!(parse(&deepest).is_err());
}
