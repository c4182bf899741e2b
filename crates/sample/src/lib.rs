//! # dafu-sample: a synthetic corpus of government replies
//!
//! This crate generates deterministic, invented replies (答复) of Chinese government
//! departments to NPC deputies' suggestions (人大代表建议) and CPPCC members' proposals
//! (政协委员提案), for demos, tests and benchmarks of dafu. Each reply imitates the form of the
//! genre — 文号, title naming the session, masked addressee, opening that quotes the
//! proposal, numbered body on past work and commitments, signing department, date, contact —
//! with sentences composed from per-topic vocabularies (`vocab.txt`), real places from the
//! administrative-division table of `dafu-extract`, and mutually consistent years, terms and
//! sessions. Every reply carries a [`SampleTruth`]: the fields a correct extractor should find.
//!
//! It owns the generator and the on-disk sample format (JSON Lines shards, see
//! [`write_corpus`]). It does **not** contain or copy any real document, does not extract
//! anything (that is `dafu-extract`), and knows nothing about indexing or search.
//!
//! ```
//! use dafu_extract::region::RegionTable;
//! use dafu_sample::{SampleOptions, generate};
//! let opts = SampleOptions { count: 2, seed: 1 };
//! let replies: Vec<_> = generate(RegionTable::embedded(), &opts).collect();
//! assert_eq!(replies[0].id, "sample-000001");
//! assert!(replies[1].text.contains(&replies[1].truth.doc_number));
//! ```

mod body;
mod compose;
mod corpus;
mod names;
mod place;
mod reply;
mod sentences;
mod vocab;

use dafu_extract::region::RegionTable;
use serde::Serialize;

pub use corpus::{CorpusSummary, SHARD_SIZE, SampleError, write_corpus};

/// How many replies to generate, and from which seed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SampleOptions {
    pub count: usize,
    pub seed: u64,
}

impl Default for SampleOptions {
    fn default() -> Self {
        SampleOptions {
            count: 1200,
            seed: 2020,
        }
    }
}

/// One generated reply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SampleReply {
    /// `sample-000001` for the first reply; stable for (seed, index).
    pub id: String,
    /// The full reply text.
    pub text: String,
    /// What a correct extractor should find in `text`.
    pub truth: SampleTruth,
}

/// The metadata a reply was generated from, as written in its text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SampleTruth {
    /// The title line (对省政协十二届三次会议第196号委员提案的答复).
    pub title: String,
    /// The document number as written, brackets included (浙教函〔2021〕37号).
    pub doc_number: String,
    /// The signing department's full name (嘉兴市民政局).
    pub department: String,
    /// `"npc"` (人大建议) or `"cppcc"` (政协提案).
    pub assembly: &'static str,
    /// `"province"`, `"city"` or `"county"`: the tier of the answering government.
    pub level: &'static str,
    pub province: String,
    pub province_code: u32,
    /// The prefecture-level city, if the locale lies in one.
    pub city: Option<String>,
    pub city_code: Option<u32>,
    pub county: Option<String>,
    pub county_code: Option<u32>,
    /// Signing date, `YYYY-MM-DD` (written 2021年7月12日 in the text).
    pub date: String,
    pub year: i32,
    /// Topic slug (`education`, `civil_affairs` …), see [`topics`].
    pub primary_topic: &'static str,
    /// The proposal's title, quoted in 《》 in the opening paragraph.
    pub proposal_title: String,
}

/// The topics a reply can have: (slug, Chinese label).
pub fn topics() -> Vec<(&'static str, &'static str)> {
    vocab::vocab()
        .topics
        .iter()
        .map(|t| (t.slug, t.label))
        .collect()
}

/// Generates `opts.count` replies. Reply `i` depends only on `opts.seed` and `i`, never on
/// `opts.count`, so a longer corpus extends a shorter one.
pub fn generate<'t>(
    table: &'t RegionTable,
    opts: &SampleOptions,
) -> impl Iterator<Item = SampleReply> + 't {
    let places = place::Places::new(table);
    let seed = opts.seed;
    (0..opts.count).map(move |i| reply::build(&places, seed, i))
}

#[cfg(test)]
mod tests {
    use super::*;
    use dafu_extract::region::RegionLevel;
    use std::collections::{BTreeSet, HashSet};

    fn thousand() -> Vec<SampleReply> {
        generate(
            RegionTable::embedded(),
            &SampleOptions {
                count: 1000,
                seed: 2020,
            },
        )
        .collect()
    }

    #[test]
    fn same_seed_same_text_and_prefix_stable() {
        let t = RegionTable::embedded();
        let a: Vec<_> = generate(
            t,
            &SampleOptions {
                count: 10,
                seed: 99,
            },
        )
        .collect();
        let b: Vec<_> = generate(
            t,
            &SampleOptions {
                count: 1000,
                seed: 99,
            },
        )
        .take(10)
        .collect();
        assert_eq!(a, b);
        let c: Vec<_> = generate(
            t,
            &SampleOptions {
                count: 10,
                seed: 100,
            },
        )
        .collect();
        assert!(a.iter().zip(&c).all(|(x, y)| x.text != y.text));
        let ids: Vec<&str> = a.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids[0], "sample-000001");
        assert_eq!(ids[9], "sample-000010");
    }

    #[test]
    fn first_thousand_cover_places_years_topics() {
        let all = thousand();
        let provinces: HashSet<u32> = all.iter().map(|r| r.truth.province_code).collect();
        assert!(provinces.len() >= 20, "{} provinces", provinces.len());
        let assemblies: BTreeSet<&str> = all.iter().map(|r| r.truth.assembly).collect();
        assert_eq!(assemblies, BTreeSet::from(["cppcc", "npc"]));
        let levels: BTreeSet<&str> = all.iter().map(|r| r.truth.level).collect();
        assert_eq!(levels, BTreeSet::from(["city", "county", "province"]));
        let years: BTreeSet<i32> = all.iter().map(|r| r.truth.year).collect();
        assert_eq!(years, (2016..=2025).collect());
        let topics_seen: BTreeSet<&str> = all.iter().map(|r| r.truth.primary_topic).collect();
        let slugs: BTreeSet<&str> = topics().iter().map(|(s, _)| *s).collect();
        assert_eq!(slugs.len(), 16);
        assert_eq!(topics_seen, slugs);
    }

    #[test]
    fn sentences_vary_and_lengths_spread() {
        let all = thousand();
        let mut total = 0usize;
        let mut distinct = HashSet::new();
        for r in &all {
            for s in r.text.split('。').map(str::trim).filter(|s| !s.is_empty()) {
                total += 1;
                distinct.insert(s);
            }
        }
        let ratio = distinct.len() as f64 / total as f64;
        assert!(total > 20_000, "only {total} sentences");
        assert!(
            ratio >= 0.8,
            "{} distinct of {total} ({ratio:.3})",
            distinct.len()
        );
        let lens: Vec<usize> = all.iter().map(|r| r.text.chars().count()).collect();
        let (min, max) = (lens.iter().min().unwrap(), lens.iter().max().unwrap());
        assert!(*min < 800, "shortest reply has {min} chars");
        assert!(*max > 6000, "longest reply has {max} chars");
        assert!(*max <= 25_000, "longest reply has {max} chars");
    }

    #[test]
    fn truth_is_written_in_the_text() {
        for r in thousand() {
            let t = &r.truth;
            let text = &r.text;
            for (what, s) in [
                ("title", &t.title),
                ("doc number", &t.doc_number),
                ("department", &t.department),
            ] {
                assert!(text.contains(s.as_str()), "{}: {what} {s:?} missing", r.id);
            }
            assert!(
                text.contains(&format!("《{}》", t.proposal_title)),
                "{}",
                r.id
            );
            let d: Vec<u32> = t.date.split('-').map(|p| p.parse().unwrap()).collect();
            assert_eq!(d[0] as i32, t.year);
            let written = format!("{}年{}月{}日", d[0], d[1], d[2]);
            assert!(text.contains(&written), "{}: date {written} missing", r.id);
            assert!((4..=12).contains(&d[1]), "{}: month {}", r.id, d[1]);
            assert!(t.doc_number.contains(&t.year.to_string()), "{}", r.id);
            assert!(t.department.contains(match t.level {
                "province" => &t.province,
                "city" => t.city.as_ref().unwrap(),
                _ => t.county.as_ref().unwrap(),
            }));
        }
    }

    #[test]
    fn places_agree_with_the_region_table() {
        let table = RegionTable::embedded();
        for r in thousand() {
            let t = &r.truth;
            let prov = table.get(t.province_code).unwrap();
            assert_eq!(
                (prov.name.as_str(), prov.level),
                (t.province.as_str(), RegionLevel::Province)
            );
            if let Some(code) = t.city_code {
                let city = table.get(code).unwrap();
                assert_eq!(Some(&city.name), t.city.as_ref());
                assert_eq!(city.level, RegionLevel::City);
                assert_eq!(city.parent, Some(t.province_code), "{}", r.id);
            }
            match t.level {
                "province" => assert!(t.city.is_none() && t.county.is_none()),
                "city" => assert!(t.city.is_some() && t.county.is_none()),
                _ => {
                    let county = table.get(t.county_code.unwrap()).unwrap();
                    assert_eq!(Some(&county.name), t.county.as_ref());
                    assert_eq!(county.level, RegionLevel::County);
                    assert_eq!(
                        county.parent,
                        Some(t.city_code.unwrap_or(t.province_code)),
                        "{}",
                        r.id
                    );
                }
            }
        }
    }

    #[test]
    fn terms_and_sessions_match_the_year() {
        // Provincial people's congresses: 十三届 spans 2018–2022, 十四届 2023–2027.
        for r in thousand() {
            let t = &r.truth;
            let municipal = [110000, 120000, 310000, 500000, 460000].contains(&t.province_code);
            if t.level != "province" || t.assembly != "npc" || municipal {
                continue;
            }
            let (term, session) = match t.year {
                2016 | 2017 => ("十二届", ["四次", "五次"][(t.year - 2016) as usize]),
                2018..=2022 => (
                    "十三届",
                    ["一次", "二次", "三次", "四次", "五次"][(t.year - 2018) as usize],
                ),
                _ => ("十四届", ["一次", "二次", "三次"][(t.year - 2023) as usize]),
            };
            let written = t.title.contains(&format!("{term}人大{session}"))
                || t.title.contains(&format!("人大{term}{session}"))
                || t.title
                    .contains(&format!("第{term}人民代表大会第{session}"));
            assert!(written, "{}: {} in {}", r.id, t.title, t.year);
        }
    }
}
