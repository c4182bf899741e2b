//! A table of reply header and signature variants: the specification of what extraction must
//! read from the head and foot of a government reply (答复).
//!
//! Every case is a short reply written in one of the real forms (red-header issuer line, 文号,
//! title, addressee, body, signature, date, 联系人/抄送), with invented deputies, numbers and
//! dates but real places and departments. Each case lists JSON pointers into
//! `serde_json::to_value(extractor.extract(text))` and the value a careful reader of the reply
//! would give. The cases live in `variants/cases_*.rs`, grouped by what they vary:
//!
//! - `cases_titles`: title forms, 文号 placement, proposal numbers, sessions, national bodies;
//! - `cases_regions`: where the replying body sits (吉林 province vs city, 自治区/自治州/旗,
//!   municipalities and their districts, ambiguous 鼓楼区/市中区, places named in the body);
//! - `cases_departments`: short department names (省人社厅, 市住建局) expanded with the place
//!   and the alias table, joint signatures, red-header issuers;
//! - `cases_kinds`: handling classes (办理结果：A), addressees, dates as written.
//!
//! One run reports every failing case with a readable diff, then fails once with the count.
//!
//! Conventions of the `expect!` table:
//! - `"/pointer" => value`: `got.pointer("/pointer")` equals `value`. An expected `null` also
//!   accepts a missing pointer (`/session/term` when the whole `session` is null).
//! - `"session" => [term, meeting, "text"]` (or `null`): `/session/term`, `/session/meeting`,
//!   `/session/text`.
//! - `"region" => [province, province_code, city, city_code, county, county_code]` (or `null`
//!   for all six): the six `/region/*` fields.
//! - `"warning" => "prefix"`: some item of `/warnings` starts with `prefix`;
//!   `"no_warning" => "prefix"`: none does (a missing `/warnings` counts as none).

use dafu_extract::Extractor;
use serde_json::Value;

/// One expectation on the extracted JSON.
#[derive(Debug)]
enum Check {
    Is(String, Value),
    Warning(String),
    NoWarning(String),
}

/// One reply and what must be read from it.
struct Case {
    name: &'static str,
    lines: &'static [&'static str],
    expect: Vec<Check>,
}

fn case(name: &'static str, lines: &'static [&'static str], expect: Vec<Check>) -> Case {
    Case {
        name,
        lines,
        expect,
    }
}

const SESSION_FIELDS: [&str; 3] = ["/session/term", "/session/meeting", "/session/text"];
const REGION_FIELDS: [&str; 6] = [
    "/region/province",
    "/region/province_code",
    "/region/city",
    "/region/city_code",
    "/region/county",
    "/region/county_code",
];

/// Adds the checks one `key => value` entry of an `expect!` table stands for.
fn add_check(checks: &mut Vec<Check>, key: &str, value: Value) {
    let expand = |checks: &mut Vec<Check>, fields: &[&str], value: Value| match value {
        Value::Null => checks.extend(fields.iter().map(|f| Check::Is(f.to_string(), Value::Null))),
        Value::Array(values) if values.len() == fields.len() => checks.extend(
            fields
                .iter()
                .zip(values)
                .map(|(f, v)| Check::Is(f.to_string(), v)),
        ),
        other => panic!("{key} wants null or {} values, got {other}", fields.len()),
    };
    let text = |value: Value| match value {
        Value::String(s) => s,
        other => panic!("{key} wants a string, got {other}"),
    };
    match key {
        "session" => expand(checks, &SESSION_FIELDS, value),
        "region" => expand(checks, &REGION_FIELDS, value),
        "warning" => checks.push(Check::Warning(text(value))),
        "no_warning" => checks.push(Check::NoWarning(text(value))),
        pointer if pointer.starts_with('/') => checks.push(Check::Is(pointer.to_string(), value)),
        other => panic!("unknown expectation key {other:?}"),
    }
}

/// `expect! { "/title" => "…", "region" => [...], "warning" => "…" }`: a case's checks.
macro_rules! expect {
    ($($key:literal => $value:tt),* $(,)?) => {{
        let mut checks = Vec::new();
        $( crate::add_check(&mut checks, $key, serde_json::json!($value)); )*
        checks
    }};
}

#[path = "variants/cases_departments.rs"]
mod cases_departments;
#[path = "variants/cases_kinds.rs"]
mod cases_kinds;
#[path = "variants/cases_regions.rs"]
mod cases_regions;
#[path = "variants/cases_titles.rs"]
mod cases_titles;

fn all_cases() -> Vec<Case> {
    let mut cases = cases_titles::cases();
    cases.extend(cases_regions::cases());
    cases.extend(cases_departments::cases());
    cases.extend(cases_kinds::cases());
    cases
}

fn show(v: Option<&Value>) -> String {
    v.map_or_else(|| "(missing)".to_string(), Value::to_string)
}

fn warnings(got: &Value) -> Vec<&str> {
    got.pointer("/warnings")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

/// What differs between `got` and one check, if anything.
fn differs(check: &Check, got: &Value) -> Option<String> {
    match check {
        Check::Is(pointer, expected) => {
            let actual = got.pointer(pointer);
            let same = match expected {
                Value::Null => actual.is_none_or(Value::is_null),
                _ => actual == Some(expected),
            };
            (!same).then(|| format!("{pointer}: expected {expected}, got {}", show(actual)))
        }
        Check::Warning(prefix) => {
            let all = warnings(got);
            (!all.iter().any(|w| w.starts_with(prefix.as_str()))).then(|| {
                format!("/warnings: expected an item starting with {prefix:?}, got {all:?}")
            })
        }
        Check::NoWarning(prefix) => {
            let all = warnings(got);
            all.iter().any(|w| w.starts_with(prefix.as_str())).then(|| {
                format!("/warnings: expected no item starting with {prefix:?}, got {all:?}")
            })
        }
    }
}

#[test]
fn reply_header_and_signature_variants() {
    let extractor = Extractor::embedded().unwrap();
    let cases = all_cases();
    assert!(cases.len() >= 45, "only {} cases", cases.len());
    let mut names: Vec<&str> = cases.iter().map(|c| c.name).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), cases.len(), "case names must be unique");

    let mut failing = Vec::new();
    for case in &cases {
        assert!(!case.expect.is_empty(), "{}: no expectations", case.name);
        let text = case.lines.join("\n");
        let got = serde_json::to_value(extractor.extract(&text)).unwrap();
        let diffs: Vec<String> = case
            .expect
            .iter()
            .filter_map(|c| differs(c, &got))
            .collect();
        if !diffs.is_empty() {
            eprintln!(
                "FAIL {} ({} of {} checks differ)",
                case.name,
                diffs.len(),
                case.expect.len()
            );
            for line in case.lines.iter().filter(|l| !l.is_empty()).take(4) {
                eprintln!("    | {line}");
            }
            for d in &diffs {
                eprintln!("    - {d}");
            }
            failing.push(case.name);
        }
    }
    eprintln!(
        "{} of {} reply variants pass; failing: {failing:?}",
        cases.len() - failing.len(),
        cases.len()
    );
    assert!(
        failing.is_empty(),
        "{} of {} reply variants differ from the table (diffs above)",
        failing.len(),
        cases.len()
    );
}

/// Every field of the contract is serialised, as `null` when unknown, so that "absent" and
/// "not found" cannot be confused by consumers of `dafu extract`'s JSON.
#[test]
fn every_contract_field_is_serialised() {
    let extractor = Extractor::embedded().unwrap();
    let got = serde_json::to_value(extractor.extract("张伟代表：\n感谢您的关心。\n")).unwrap();
    let missing: Vec<&str> = [
        "title",
        "doc_number",
        "assembly",
        "level",
        "session",
        "proposal_number",
        "proposal_title",
        "proposer",
        "department",
        "reply_kind",
        "result_class",
        "region",
        "warnings",
        "date",
        "year",
    ]
    .into_iter()
    .filter(|k| got.get(k).is_none())
    .collect();
    assert!(missing.is_empty(), "fields not serialised: {missing:?}");
    assert!(got["warnings"].is_array(), "warnings: {}", got["warnings"]);
}
