//! Filters over the synthetic sample corpus: every filter keeps exactly the replies (and the
//! commitments) whose own fields pass it, and a filtered dimension's facet counts the hits that
//! pass the other filters. The expected hits are worked out here from every exported reply and
//! commitment, not by the engine: filters of coded facets are tested on the facet codes, the
//! others on the index's columns, and both must agree with the documents.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;
use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use serde_json::Value;

use dafu_query::SearchEngine;

use crate::support::{build, encode, facet, get, send, write_sample};

const REPLIES: usize = 1200;

/// Replies written for these tests from two districts of one name (鼓楼区) in two cities: a
/// selection by division code keeps one of them.
const GULOU: &[(&str, &str)] = &[
    ("福州市", "福建省"),
    ("南京市", "江苏省"),
    ("福州市", "福建省"),
];

/// The sample replies and [`GULOU`]'s, indexed in `dir/index`.
fn sample_engine(dir: &Path) -> Arc<SearchEngine> {
    let corpus = write_sample(dir, REPLIES);
    let gulou = dir.join("gulou");
    std::fs::create_dir_all(&gulou).unwrap();
    for (i, (city, _)) in GULOU.iter().enumerate() {
        let text = format!(
            "关于区人大一次会议第{n}号建议的答复\n\n刘某某代表：\n\n您提出的《关于社区养老服务的建议》收悉。我们将在2022年底前建成三个社区养老服务中心，落实专项资金。\n\n{city}鼓楼区民政局\n2021年5月{day}日\n",
            n = 10 + i,
            day = 10 + i,
        );
        std::fs::write(gulou.join(format!("gulou-{i}.txt")), text).unwrap();
    }
    let (engine, summary) = build(&dir.join("index"), &[corpus, gulou]);
    assert_eq!(
        summary.indexed,
        REPLIES + GULOU.len(),
        "{:?}",
        summary.skipped.first()
    );
    engine
}

/// Every row of an NDJSON export of `path` with `params`.
async fn export(engine: &Arc<SearchEngine>, path: &str, params: &[(&str, &str)]) -> Vec<Value> {
    let mut query: Vec<String> = params
        .iter()
        .map(|(k, v)| format!("{k}={}", encode(v)))
        .collect();
    query.push("format=ndjson".into());
    let uri = format!("{path}?{}", query.join("&"));
    let (status, _, body) = send(engine, Request::get(uri).body(Body::empty()).unwrap()).await;
    let text = std::str::from_utf8(&body).unwrap();
    assert_eq!(status, StatusCode::OK, "{path} {params:?}: {text}");
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn str_of<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key].as_str().unwrap_or("")
}

/// A reply as the filters see it: its exported row.
struct Reply(Value);

impl Reply {
    fn region(&self, level: &str) -> &str {
        str_of(&self.0["region"], level)
    }
    fn year(&self) -> u64 {
        self.0["year"].as_u64().unwrap_or(0)
    }
    fn topics(&self) -> Vec<&str> {
        self.0["topics"]
            .as_array()
            .map(|t| t.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default()
    }
}

/// Whether a document (a reply, or a commitment's own row) passes a case's filters.
type Passes<T> = Box<dyn Fn(&T) -> bool>;

/// One filter case: the request's parameters, and which replies (and commitments, by their
/// reply and their own row) pass.
struct Case {
    params: Vec<(&'static str, String)>,
    reply: Passes<Reply>,
    /// What a commitment's own row must pass: a filter of commitments only (a reply search
    /// refuses it). `None`: a filter of both.
    commitment: Option<Passes<Value>>,
}

fn case(params: &[(&'static str, &str)], reply: impl Fn(&Reply) -> bool + 'static) -> Case {
    Case {
        params: params.iter().map(|(k, v)| (*k, v.to_string())).collect(),
        reply: Box::new(reply),
        commitment: None,
    }
}

fn ids_of(rows: &[Value]) -> BTreeSet<String> {
    rows.iter().map(|r| str_of(r, "id").to_string()).collect()
}

/// Every reply and every commitment of the index, exported.
async fn everything(engine: &Arc<SearchEngine>) -> (Vec<Reply>, Vec<Value>) {
    let replies: Vec<Reply> = export(engine, "/api/export", &[])
        .await
        .into_iter()
        .map(Reply)
        .collect();
    assert_eq!(replies.len(), REPLIES + GULOU.len());
    let commitments = export(engine, "/api/export/commitments", &[]).await;
    assert!(commitments.len() > 10 * REPLIES, "{}", commitments.len());
    (replies, commitments)
}

#[tokio::test]
async fn every_filter_keeps_the_replies_and_commitments_whose_fields_pass_it() {
    let dir = tempfile::tempdir().unwrap();
    let engine = sample_engine(dir.path());
    let (replies, commitments) = everything(&engine).await;
    let reply_of: HashMap<&str, &Reply> = replies.iter().map(|r| (str_of(&r.0, "id"), r)).collect();

    // Values the corpus has: the most common department and city, a county, and a county
    // name that lies in two cities (a selection by its division code must keep one of them).
    let mut departments: BTreeMap<&str, usize> = BTreeMap::new();
    let mut cities: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    let mut counties: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for r in &replies {
        *departments.entry(str_of(&r.0, "department")).or_default() += 1;
        *cities
            .entry((r.region("province"), r.region("city")))
            .or_default() += 1;
        if !r.region("county").is_empty() {
            counties
                .entry(r.region("county"))
                .or_default()
                .insert(r.region("city"));
        }
    }
    let by_count = |m: &BTreeMap<&str, usize>| {
        let mut v: Vec<(&str, usize)> = m.iter().map(|(k, n)| (*k, *n)).collect();
        v.sort_by_key(|&(k, n)| (std::cmp::Reverse(n), k));
        v.into_iter()
            .map(|(k, _)| k.to_string())
            .collect::<Vec<_>>()
    };
    let departments = by_count(&departments);
    let (city_province, city) = cities
        .iter()
        .filter(|((_, c), _)| !c.is_empty())
        .max_by_key(|(k, n)| (**n, std::cmp::Reverse(**k)))
        .map(|((p, c), _)| (p.to_string(), c.to_string()))
        .unwrap();
    let other_province = replies
        .iter()
        .map(|r| r.region("province"))
        .find(|p| *p != city_province)
        .unwrap()
        .to_string();
    let county = counties
        .iter()
        .find(|(_, cities)| cities.len() > 1)
        .map(|(county, _)| county.to_string())
        .expect("a county name in two cities");
    // A county the region filter takes by name (a name several divisions share is refused).
    let mut named_county = None;
    for name in counties.keys() {
        let (status, _) = get(&engine, "/api/search", &[("region", name)]).await;
        if status == StatusCode::OK {
            named_county = Some(name.to_string());
            break;
        }
    }
    let named_county = named_county.expect("a county named by one division only");
    // The county's division code in one of its cities, from a commitment of a reply there.
    let (code, code_city) = commitments
        .iter()
        .map(|c| &c["reply"]["region"])
        .find(|r| str_of(r, "county") == county)
        .map(|r| {
            (
                str_of(r, "county_code").to_string(),
                str_of(r, "city").to_string(),
            )
        })
        .unwrap();
    assert!(!code.is_empty());

    let mut cases = {
        let (c1, c2, p) = (city.clone(), named_county.clone(), other_province.clone());
        let (d0, d1) = (departments[0].clone(), departments[1].clone());
        let (code_county, code_city2) = (county.clone(), code_city.clone());
        vec![
            case(&[("region", "浙江省")], |r| {
                r.region("province") == "浙江省"
            }),
            case(
                &[("region", &format!("{city},{other_province}"))],
                move |r| r.region("city") == c1 || r.region("province") == p,
            ),
            case(&[("region", &named_county)], move |r| {
                r.region("county") == c2
            }),
            case(&[("region", &code)], move |r| {
                r.region("county") == code_county && r.region("city") == code_city2
            }),
            case(
                &[(
                    "department",
                    &format!("{},{}", departments[0], departments[1]),
                )],
                move |r| {
                    let d = str_of(&r.0, "department");
                    d == d0 || d == d1
                },
            ),
            case(&[("topic", "education,housing")], |r| {
                r.topics()
                    .iter()
                    .any(|t| *t == "education" || *t == "housing")
            }),
            case(&[("year", "2019,2021..2022")], |r| {
                matches!(r.year(), 2019 | 2021 | 2022)
            }),
            case(&[("year", "2021"), ("date_from", "2021-03-01")], |r| {
                r.year() == 2021 && str_of(&r.0, "date") >= "2021-03-01"
            }),
            case(&[("assembly", "cppcc"), ("level", "city")], |r| {
                str_of(&r.0, "assembly") == "cppcc" && str_of(&r.0, "level") == "city"
            }),
            case(&[("reply_kind", "co_handling,assisting")], |r| {
                str_of(&r.0, "reply_kind") != "reply"
            }),
            case(&[("result_class", "A,C")], |r| {
                matches!(str_of(&r.0, "result_class"), "A" | "C")
            }),
            case(&[("region", "广东省"), ("topic", "education")], |r| {
                r.region("province") == "广东省" && r.topics().contains(&"education")
            }),
        ]
    };
    cases.extend([
        Case {
            params: vec![("strength", "firm".into())],
            reply: Box::new(|_| true),
            commitment: Some(Box::new(|c| str_of(c, "strength") == "firm")),
        },
        Case {
            params: vec![("has_quantity", "true".into()), ("year", "2020".into())],
            reply: Box::new(|r| r.year() == 2020),
            commitment: Some(Box::new(|c| {
                c["quantities"].as_array().is_some_and(|q| !q.is_empty())
            })),
        },
    ]);

    for case in &cases {
        let params: Vec<(&str, &str)> = case.params.iter().map(|(k, v)| (*k, v.as_str())).collect();
        if case.commitment.is_none() {
            let want = replies
                .iter()
                .filter(|r| (case.reply)(r))
                .map(|r| str_of(&r.0, "id").to_string());
            assert_kept(&engine, "/api/search", &params, want.collect()).await;
        }
        let want = commitments
            .iter()
            .filter(|c| {
                case.commitment.as_ref().is_none_or(|own| own(c))
                    && reply_of
                        .get(str_of(c, "reply_id"))
                        .is_some_and(|r| (case.reply)(r))
            })
            .map(|c| str_of(c, "id").to_string());
        assert_kept(&engine, "/api/commitments", &params, want.collect()).await;
    }
}

/// The hits of `path` (a search) with `params` are `want`: the export's ids and the search's
/// total; `want` is not empty.
async fn assert_kept(
    engine: &Arc<SearchEngine>,
    path: &str,
    params: &[(&str, &str)],
    want: BTreeSet<String>,
) {
    assert!(!want.is_empty(), "{path} {params:?} keeps no hits");
    let export_path = match path {
        "/api/search" => "/api/export",
        _ => "/api/export/commitments",
    };
    let got = ids_of(&export(engine, export_path, params).await);
    assert_eq!(got, want, "{export_path} {params:?}");
    let (_, body) = get(engine, path, params).await;
    let total = body["total"].as_u64();
    assert_eq!(total, Some(want.len() as u64), "{path} {params:?}");
}

/// A filtered dimension's facet counts the hits that pass every *other* filter (disjunctive
/// facets), over more hits failing one filter than a segment counts at a time.
#[tokio::test]
async fn a_filtered_dimension_counts_the_hits_of_the_other_filters() {
    let dir = tempfile::tempdir().unwrap();
    let engine = sample_engine(dir.path());
    let (replies, commitments) = everything(&engine).await;
    let reply_of: HashMap<&str, &Reply> = replies.iter().map(|r| (str_of(&r.0, "id"), r)).collect();
    let level = |r: &Reply| str_of(&r.0, "level") == "city";
    let year = |r: &Reply| r.year() == 2021;
    let params = [("level", "city"), ("year", "2021")];
    for path in ["/api/search", "/api/commitments"] {
        // Each hit (a reply, or a commitment's reply) once.
        let hits: Vec<&Reply> = if path == "/api/search" {
            replies.iter().collect()
        } else {
            commitments
                .iter()
                .filter_map(|c| reply_of.get(str_of(c, "reply_id")).copied())
                .collect()
        };
        let (_, body) = get(&engine, path, &params).await;
        let counted = |keep: &dyn Fn(&Reply) -> bool, value: &dyn Fn(&Reply) -> String| {
            let mut counts: BTreeMap<String, u64> = BTreeMap::new();
            for r in hits.iter().filter(|r| keep(r)) {
                *counts.entry(value(r)).or_default() += 1;
            }
            counts.retain(|k, _| !k.is_empty());
            counts
        };
        let failing_year_only = hits.iter().filter(|r| level(r) && !year(r)).count();
        assert!(failing_year_only > 256, "{path}: {failing_year_only}");
        let cases: [(&str, BTreeMap<String, u64>); 3] = [
            // The year facet: hits of the level filter, whatever their year.
            ("year", counted(&level, &|r| r.year().to_string())),
            // The level facet: hits of the year filter.
            (
                "level",
                counted(&year, &|r| str_of(&r.0, "level").to_string()),
            ),
            // Another facet: hits of both.
            (
                "region",
                counted(&|r| level(r) && year(r), &|r| {
                    r.region("province").to_string()
                }),
            ),
        ];
        for (name, want) in cases {
            let got: BTreeMap<String, u64> = facet(&body, name).into_iter().collect();
            assert_eq!(got, want, "{path} {name}");
        }
    }
}
