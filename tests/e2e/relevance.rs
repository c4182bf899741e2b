//! The relevance yardstick: queries a journalist or analyst would type over the synthetic
//! sample corpus, each with the replies that must rank in the top 5 (or first).
//!
//! The queries are fixed strings in [`table`]; what they must find is chosen from the
//! generator's truth (文号, proposal title, department, region, year) or from the reply texts,
//! never from what today's ranking returns. Every failing query is printed with the actual top 5;
//! the test fails once at the end with the count. A case marked `known_gap` is printed but does
//! not fail, until it passes: then the mark must be removed, so the table stays honest.

use std::fmt::Write as _;

use dafu_extract::region::RegionTable;
use dafu_sample::{SampleOptions, SampleReply, generate};
use serde_json::Value;

use crate::support::{build, get};

/// The first replies of the default sample (seed 2020): the whole embedded default corpus.
const CORPUS: usize = 1200;
/// Hits a case is judged on.
const TOP: usize = 5;

/// Which replies of the corpus a case is about, said in words for the report.
struct Pick {
    what: String,
    test: Box<dyn Fn(&SampleReply) -> bool>,
}

impl Pick {
    fn new(what: String, test: impl Fn(&SampleReply) -> bool + 'static) -> Pick {
        Pick {
            what,
            test: Box::new(test),
        }
    }

    /// Both this and `other`.
    fn and(self, other: Pick) -> Pick {
        let (a, b) = (self.test, other.test);
        Pick::new(format!("{} and {}", self.what, other.what), move |r| {
            a(r) && b(r)
        })
    }

    /// Answered by a government of `place` (province, city or county, full name).
    fn in_region(self, place: &'static str) -> Pick {
        self.and(Pick::new(format!("in {place}"), move |r| {
            let t = &r.truth;
            t.province == place
                || t.city.as_deref() == Some(place)
                || t.county.as_deref() == Some(place)
        }))
    }

    fn assembly(self, assembly: &'static str) -> Pick {
        self.and(Pick::new(format!("assembly {assembly}"), move |r| {
            r.truth.assembly == assembly
        }))
    }

    fn years(self, from: i32, to: i32) -> Pick {
        self.and(Pick::new(format!("year {from}..{to}"), move |r| {
            (from..=to).contains(&r.truth.year)
        }))
    }

    fn department(self, name: &'static str) -> Pick {
        self.and(Pick::new(format!("department {name}"), move |r| {
            r.truth.department == name
        }))
    }
}

/// The reply whose 文号, as written in it, is `number`.
fn doc(number: &'static str) -> Pick {
    Pick::new(format!("文号 {number}"), move |r| {
        r.truth.doc_number == number
    })
}

/// The replies answering the proposal titled exactly `title`.
fn proposal(title: &'static str) -> Pick {
    Pick::new(format!("proposal 《{title}》"), move |r| {
        r.truth.proposal_title == title
    })
}

/// The replies whose proposal title contains every one of `words`.
fn proposal_has(words: &'static [&'static str]) -> Pick {
    Pick::new(format!("proposal title with {words:?}"), move |r| {
        words.iter().all(|w| r.truth.proposal_title.contains(w))
    })
}

/// The replies *about* `word`: it is in the reply's title or its proposal's title.
fn about(word: &'static str) -> Pick {
    Pick::new(format!("about {word}"), move |r| {
        r.truth.title.contains(word) || r.truth.proposal_title.contains(word)
    })
}

/// The replies whose text contains `s` literally.
fn text_has(s: &'static str) -> Pick {
    Pick::new(format!("text with {s:?}"), move |r| r.text.contains(s))
}

/// The replies signed by a department whose name contains `s` (宿迁 → 宿迁市民政局).
fn signed_in(s: &'static str) -> Pick {
    Pick::new(format!("signed by a {s} department"), move |r| {
        r.truth.department.contains(s)
    })
}

/// What the top of the ranking must be.
enum Expect {
    /// Exactly one reply is picked, and it ranks first.
    First(Pick),
    /// One to five replies are picked, and all are in the top 5.
    InTop5(Pick),
    /// At least one reply is picked; the first min(n, 5) hits are all picked ones: replies about
    /// the query rank above those that merely mention it.
    Lead(Pick),
}

use Expect::{First, InTop5, Lead};

struct Case {
    q: &'static str,
    filters: &'static [(&'static str, &'static str)],
    expect: Expect,
    /// Why a user would expect this.
    why: &'static str,
    /// Set when today's engine misses a right expectation: printed, not failing.
    known_gap: Option<&'static str>,
}

fn case(q: &'static str, expect: Expect, why: &'static str) -> Case {
    Case {
        q,
        filters: &[],
        expect,
        why,
        known_gap: None,
    }
}

impl Case {
    fn with(mut self, filters: &'static [(&'static str, &'static str)]) -> Case {
        self.filters = filters;
        self
    }

    fn known_gap(mut self, reason: &'static str) -> Case {
        self.known_gap = Some(reason);
        self
    }
}

/// Why today's engine misses a case (see `known_gap`).
const SIGNER: &str = "the signing department weighs no more than the body: a provincial reply \
     that names the place in passing outranks the place's own replies";
const PROXIMITY: &str = "words are matched anywhere in the reply (2024, 年底, 前 apart): a \
     deadline and its action in one sentence score no higher than scattered mentions";

/// The relevance set. Queries are what a user types; expectations are picked from the truth.
/// One case a row: the query, what must rank where, then (indented) why a user expects it.
#[rustfmt::skip]
fn table() -> Vec<Case> {
    vec![
        // — 文号: exact, in any bracket style; one reply, first.
        case("吕建复[2019]194号", First(doc("吕建复[2019]194号")),
            "a 文号 typed as written names exactly one reply"),
        case("吕建复〔2019〕194号", First(doc("吕建复[2019]194号")),
            "the same 文号 in the official 〔〕 brackets is the same document"),
        case("川交建复(2021)247号", First(doc("川交建复（2021）247号")),
            "half-width parentheses for the full-width ones the reply prints"),
        case("冀数据函〔2019〕48号", First(doc("冀数据函［2019］48号")),
            "the same bureau's 225号 of that year is another document"),
        case("冀数据函[2019]225号", First(doc("冀数据函〔2019〕225号")),
            "and 48号 must not be confused with it"),
        case("果民复【2025】266号", First(doc("果民复［2025］266号")),
            "lenticular brackets for ［］; 果民复〔2025〕337号 is a sibling"),
        // — Quoted text: a unique phrase finds its reply first.
        case("\"吕梁市海绵城市建设实施细则\"", First(text_has("吕梁市海绵城市建设实施细则")),
            "a policy document cited by one reply only"),
        case("\"南京小分队\"", First(text_has("南京小分队")),
            "a named local practice cited by one reply only"),
        case("“帮助就业困难人员就业25000人”", First(text_has("帮助就业困难人员就业25000人")),
            "a commitment quoted in Chinese quotation marks, unique in the corpus"),
        case("\"投入4398万元新改建燃气管网574公里\"", First(text_has("投入4398万元，新改建燃气管网574公里")),
            "a quote typed without the comma the reply has: punctuation is ignored"),
        case("\"力争在2020年前完成新建城市排水管网\"", InTop5(text_has("力争在2020年前完成新建城市排水管网")),
            "a year-specific commitment made in two replies"),
        // — A proposal's title, pasted whole or by its key words.
        case("关于在江苏大力推进职业技能提升行动的建议", First(proposal("关于在江苏大力推进职业技能提升行动的建议")),
            "a proposal title pasted whole: the reply answering it, first"),
        case("关于推动科技特派员工作走深走实的提案", First(proposal("关于推动科技特派员工作走深走实的提案")),
            "pasted whole; five other proposals on 科技特派员 are worded differently"),
        case("吕梁 装配式建筑", First(proposal_has(&["吕梁", "装配式建筑"])),
            "the one proposal on 装配式建筑 in 吕梁"),
        case("莆田 挥发性有机物治理", First(proposal_has(&["莆田", "挥发性有机物治理"])),
            "the one proposal on VOC control in 莆田"),
        // Passes since BM25 counts replies only (issue 7): with the commitments counted, the
        // average length was a thirtieth of a reply's, and the body's length dwarfed the rest.
        case("数字人民币试点", InTop5(proposal_has(&["数字人民币试点"])),
            "the five proposals on the e-CNY pilot"),
        case("养老护理员 缺口", InTop5(proposal_has(&["养老护理员缺口"])),
            "the three proposals on the shortage of elderly carers"),
        case("臭氧污染", InTop5(proposal_has(&["臭氧污染"])),
            "the one proposal on ozone pollution, among 60 replies that mention it"),
        case("特殊教育", InTop5(proposal_has(&["特殊教育"])),
            "the one proposal on special education, among 45 replies that mention it"),
        case("城际铁路", InTop5(proposal_has(&["城际铁路"])),
            "the two proposals on intercity railways"),
        // — Topic words: replies about them (title, proposal title) above mere mentions.
        case("人才队伍", Lead(about("人才队伍")),
            "15 replies are about 人才队伍, 200 more mention it"),
        case("突发事件", Lead(about("突发事件")),
            "9 replies are about 突发事件, 120 more mention it"),
        // Passes since issue 7: the bigram backup of a word scores rarer terms than the
        // character one did, so the body's mentions weigh less against the proposal title.
        case("养老服务", InTop5(about("养老服务")),
            "4 replies are about 养老服务, 70 more mention it"),
        case("双随机", InTop5(about("双随机")),
            "5 replies are about 双随机 inspections, 100 more mention them"),
        case("公立医院改革", InTop5(about("公立医院改革")),
            "4 replies are about 公立医院改革, 50 more mention it"),
        case("装配式建筑", Lead(about("装配式建筑")),
            "6 replies are about 装配式建筑, 50 more mention it"),
        case("食品安全", Lead(about("食品安全")),
            "9 replies are about 食品安全, 80 more mention it"),
        case("社会组织", Lead(about("社会组织")),
            "28 replies are about 社会组织, 130 more mention it"),
        // — A place: its own government's replies above others that mention it.
        case("宿迁", Lead(signed_in("宿迁")),
            "5 replies are signed by 宿迁 departments; provincial ones mention 宿迁 in passing")
            .known_gap(SIGNER),
        // Passed by chance while BM25 counted commitments (every long reply was pushed
        // down, and 顺义's own replies are short); the signer carries no weight (SIGNER).
        case("顺义", Lead(signed_in("顺义")),
            "6 replies are signed by 顺义区 departments")
            .known_gap(SIGNER),
        case("固原", Lead(signed_in("固原")),
            "6 replies are signed by 固原市 departments"),
        // — Words plus filters (region, year, topic, department, assembly).
        case("养老服务", InTop5(about("养老服务").in_region("浙江省")),
            "the one 浙江 reply about 养老服务")
            .with(&[("region", "浙江省")]),
        case("人才队伍", Lead(about("人才队伍").in_region("甘肃省")),
            "the two 甘肃 replies about 人才队伍 above 甘肃 replies mentioning it")
            .with(&[("region", "甘肃省")]),
        case("社会组织", Lead(about("社会组织").in_region("江西省").years(2021, 2022)),
            "江西's replies on 社会组织 of 2021–2022")
            .with(&[("region", "江西省"), ("year", "2021..2022")]),
        case("应急救援队伍", Lead(about("应急救援队伍")),
            "the three replies about rescue teams, within the emergencies topic")
            .with(&[("topic", "emergencies")]),
        case("禁毒", Lead(about("禁毒").assembly("cppcc")),
            "five CPPCC proposals on drug control")
            .with(&[("assembly", "cppcc")]),
        case("就业困难人员", First(proposal_has(&["就业困难人员"]).department("江苏省人力资源和社会保障厅")),
            "of the bureau's two replies, the one answering a proposal on 就业困难人员")
            .with(&[("department", "江苏省人力资源和社会保障厅")]),
        case("城中村改造", Lead(proposal_has(&["城中村改造"]).department("辽宁省住房和城乡建设厅")),
            "two of the department's four replies answer proposals on 城中村改造")
            .with(&[("department", "辽宁省住房和城乡建设厅")]),
        case("第449号提案", First(text_has("第449号提案").in_region("吕梁市")),
            "a proposal number within a city names one reply")
            .with(&[("region", "吕梁市")]),
        // — The proposer, by name.
        case("韩飞红", First(text_has("韩飞红委员：")),
            "a member's full name, addressed in one reply only"),
        case("民革广东省委员会", First(text_has("民革广东省委员会：")),
            "a party committee as proposer, addressed in one reply only"),
        // — A year-specific commitment: the deadline and the action in one sentence.
        case("2023年底前 稳岗返还", Lead(text_has("2023年底前发放稳岗返还")),
            "four replies commit to paying 稳岗返还 by the end of 2023")
            .known_gap(PROXIMITY),
        case("2024年底前 养老护理员", Lead(text_has("2024年底前培训养老护理员")),
            "seven replies commit to training carers by the end of 2024")
            .known_gap(PROXIMITY),
    ]
}

/// One hit as the report shows it.
fn line(rank: usize, hit: &Value) -> String {
    format!(
        "    {rank}. {} {:.2} {} | 《{}》",
        hit["id"].as_str().unwrap_or("?"),
        hit["score"].as_f64().unwrap_or(f64::NAN),
        hit["title"].as_str().unwrap_or(""),
        hit["proposal_title"].as_str().unwrap_or(""),
    )
}

/// Judges one case against its hits (in rank order); `Err` says what is wrong.
fn judge(expect: &Expect, replies: &[SampleReply], hits: &[String]) -> Result<(), String> {
    let (pick, what) = match expect {
        First(p) => (p, "first"),
        InTop5(p) => (p, "all in the top 5"),
        Lead(p) => (p, "leading the top 5"),
    };
    let wanted: Vec<&str> = replies
        .iter()
        .filter(|r| (pick.test)(r))
        .map(|r| r.id.as_str())
        .collect();
    let n = wanted.len();
    let sane = match expect {
        First(_) => n == 1,
        InTop5(_) => (1..=TOP).contains(&n),
        Lead(_) => n >= 1,
    };
    if !sane {
        return Err(format!(
            "table is stale: {} picks {n} replies ({what})",
            pick.what
        ));
    }
    let rank = |id: &str| hits.iter().position(|h| h == id).map(|i| i + 1);
    let ok = match expect {
        First(_) => rank(wanted[0]) == Some(1),
        InTop5(_) => wanted.iter().all(|id| rank(id).is_some_and(|r| r <= TOP)),
        Lead(_) => {
            let k = n.min(TOP);
            hits.len() >= k && hits[..k].iter().all(|h| wanted.contains(&h.as_str()))
        }
    };
    if ok {
        return Ok(());
    }
    let mut ranked: Vec<(Option<usize>, &str)> = wanted.iter().map(|id| (rank(id), *id)).collect();
    ranked.sort_by_key(|(r, _)| r.unwrap_or(usize::MAX));
    let ranks: Vec<String> = ranked
        .iter()
        .take(12)
        .map(|(r, id)| match r {
            Some(r) => format!("{id}@{r}"),
            None => format!("{id}@-"),
        })
        .collect();
    Err(format!(
        "expected {} ({n}) {what}; their ranks: {}{}",
        pick.what,
        ranks.join(" "),
        if n > 12 { " …" } else { "" }
    ))
}

#[tokio::test]
async fn queries_find_what_a_journalist_expects() {
    let options = SampleOptions {
        count: CORPUS,
        ..SampleOptions::default()
    };
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("sample");
    dafu_sample::write_corpus(&corpus, RegionTable::embedded(), &options).unwrap();
    let replies: Vec<SampleReply> = generate(RegionTable::embedded(), &options).collect();
    let (engine, ingest) = build(&dir.path().join("index"), &[corpus]);
    assert_eq!(ingest.indexed, CORPUS, "{:?}", ingest.skipped);

    let cases = table();
    assert!(cases.len() >= 30);
    let (mut failed, mut gaps, mut closed) = (0, 0, 0);
    let mut report = String::new();
    for (i, c) in cases.iter().enumerate() {
        let mut params = vec![("q", c.q), ("limit", "100")];
        params.extend_from_slice(c.filters);
        let (status, body) = get(&engine, "/api/search", &params).await;
        assert_eq!(status, 200, "case {} {:?}: {body}", i + 1, c.q);
        let hits = body["hits"].as_array().cloned().unwrap_or_default();
        let ids: Vec<String> = hits
            .iter()
            .filter_map(|h| h["id"].as_str().map(String::from))
            .collect();
        let verdict = judge(&c.expect, &replies, &ids);
        let label = match (&verdict, c.known_gap) {
            (Ok(()), None) => continue,
            (Ok(()), Some(_)) => {
                closed += 1;
                "PASSES, remove its known_gap"
            }
            (Err(_), None) => {
                failed += 1;
                "FAIL"
            }
            (Err(_), Some(_)) => {
                gaps += 1;
                "known gap"
            }
        };
        let _ = writeln!(
            report,
            "\n[{label}] case {}: q={:?} {:?} (of {}) — {}",
            i + 1,
            c.q,
            c.filters,
            body["total"],
            c.why
        );
        if let Some(gap) = c.known_gap {
            let _ = writeln!(report, "  gap: {gap}");
        }
        if let Err(e) = verdict {
            let _ = writeln!(report, "  {e}");
        }
        for (rank, hit) in hits.iter().take(TOP).enumerate() {
            let _ = writeln!(report, "{}", line(rank + 1, hit));
        }
    }
    eprintln!(
        "relevance: {} cases, {} pass, {failed} fail, {gaps} known gaps, {closed} gaps closed{report}",
        cases.len(),
        cases.len() - failed - gaps - closed
    );
    assert!(
        failed + closed == 0,
        "{failed} relevance cases fail and {closed} known gaps now pass (see the report above)"
    );
}

/// The yardstick itself: each kind of expectation fails a ranking that misses it, and a table
/// row whose pick no longer fits the corpus is reported as stale rather than passed.
#[test]
fn judging_fails_wrong_rankings_and_stale_rows() {
    let options = SampleOptions {
        count: 12,
        ..SampleOptions::default()
    };
    let replies: Vec<SampleReply> = generate(RegionTable::embedded(), &options).collect();
    let ids: Vec<String> = replies.iter().map(|r| r.id.clone()).collect();
    let first = |n: usize| {
        let id = ids[n].clone();
        Pick::new(format!("reply {id}"), move |r| r.id == id)
    };
    let some = |from: usize, to: usize| {
        let wanted: Vec<String> = ids[from..to].to_vec();
        Pick::new("some".into(), move |r| wanted.contains(&r.id))
    };
    let ranking: Vec<String> = ids.iter().rev().cloned().collect(); // 12, 11, …, 1
    assert!(judge(&First(first(11)), &replies, &ranking).is_ok());
    assert!(judge(&First(first(10)), &replies, &ranking).is_err());
    assert!(judge(&InTop5(some(7, 12)), &replies, &ranking).is_ok());
    assert!(judge(&InTop5(some(6, 11)), &replies, &ranking).is_err());
    assert!(judge(&Lead(some(4, 12)), &replies, &ranking).is_ok());
    assert!(judge(&Lead(some(0, 8)), &replies, &ranking).is_err());
    // Stale rows: First needs exactly one reply, InTop5 one to five.
    let stale = judge(&First(some(0, 2)), &replies, &ranking).unwrap_err();
    assert!(stale.starts_with("table is stale"), "{stale}");
    assert!(judge(&InTop5(some(0, 6)), &replies, &ranking).is_err());
    assert!(judge(&Lead(some(0, 0)), &replies, &ranking).is_err());
}
