//! The word lists of `vocab.txt` (topics, shared phrases, departments, province
//! abbreviations), parsed once on first use.

use std::collections::HashMap;
use std::sync::LazyLock;

static TEXT: &str = include_str!("vocab.txt");

static VOCAB: LazyLock<Vocab> =
    // The file is compiled in and checked by the tests below; a failure is a build defect.
    LazyLock::new(|| Vocab::parse(TEXT).unwrap_or_else(|e| panic!("vocab.txt: {e}")));

pub(crate) type Words = Vec<&'static str>;

/// A measurable quantity: `phrase` + number + `unit`, numbers drawn from `lo..hi` (the
/// province-level range; smaller regions scale `hi` down).
#[derive(Debug)]
pub(crate) struct Metric {
    pub phrase: &'static str,
    pub unit: &'static str,
    pub lo: f64,
    pub hi: f64,
}

/// The vocabulary of one topic.
#[derive(Debug)]
pub(crate) struct Topic {
    pub slug: &'static str,
    pub label: &'static str,
    /// Short form used in running text (对我省{short}工作的关心).
    pub short: &'static str,
    /// Keys of the departments that answer this topic, and of those that co-handle it.
    pub depts: Words,
    pub codepts: Words,
    pub objects: Words,
    /// What an object should become (推动X**提档升级**).
    pub outcomes: Words,
    /// Levels reached (达到…); works done (累计新建…).
    pub stocks: Vec<Metric>,
    pub works: Vec<Metric>,
    pub programmes: Words,
    pub mechanisms: Words,
    pub groups: Words,
    pub problems: Words,
    pub activities: Words,
    pub laws: Words,
}

/// Phrases shared by every topic.
#[derive(Debug)]
pub(crate) struct Common {
    pub verbs: Words,
    pub fverbs: Words,
    /// Verbs for mechanisms and systems (探索建立…机制).
    pub mechverbs: Words,
    pub purposes: Words,
    pub results: Words,
    pub funds: Words,
    pub issued: Words,
    pub dockinds: Words,
    pub meetings: Words,
    pub brands: Words,
    pub principles: Words,
    pub honors: Words,
    pub connectors: Words,
    pub thanks: Words,
    pub praise: Words,
    pub studied: Words,
    pub closings: Words,
    pub honorific: Words,
}

/// Which naming column of a department applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tier {
    Province = 0,
    City = 1,
    County = 2,
    Municipality = 3,
}

#[derive(Debug, Clone, Copy)]
enum OldName {
    Same,
    Name(&'static str),
    Missing,
}

/// A government department type (教育 → 教育厅 / 教育局 / 教育委员会).
#[derive(Debug)]
pub(crate) struct Dept {
    pub key: &'static str,
    new: [&'static str; 4],
    old: [OldName; 4],
    abbr: &'static str,
    old_abbr: &'static str,
    since: i32,
}

impl Dept {
    /// The department's name (without region) in `year`, `None` if it did not exist then.
    pub fn name(&self, tier: Tier, year: i32) -> Option<&'static str> {
        let t = tier as usize;
        if year >= self.since {
            return Some(self.new[t]);
        }
        match self.old[t] {
            OldName::Same => Some(self.new[t]),
            OldName::Name(n) => Some(n),
            OldName::Missing => None,
        }
    }

    /// The abbreviation used in document numbers (浙**教**函).
    pub fn abbr(&self, year: i32) -> &'static str {
        if year >= self.since {
            self.abbr
        } else {
            self.old_abbr
        }
    }
}

#[derive(Debug)]
pub(crate) struct Vocab {
    pub common: Common,
    pub topics: Vec<Topic>,
    pub depts: Vec<Dept>,
    /// Province code → one-character abbreviation (浙, 吉 …).
    pub provinces: Vec<(u32, &'static str)>,
}

/// The parsed vocabulary.
pub(crate) fn vocab() -> &'static Vocab {
    &VOCAB
}

impl Vocab {
    pub fn dept(&self, key: &str) -> Option<&Dept> {
        self.depts.iter().find(|d| d.key == key)
    }

    pub fn province_abbr(&self, code: u32) -> Option<&'static str> {
        self.provinces
            .iter()
            .find(|(c, _)| *c == code)
            .map(|(_, a)| *a)
    }

    fn parse(text: &'static str) -> Result<Vocab, String> {
        let mut sections: Vec<(&'static str, Vec<&'static str>)> = Vec::new();
        for line in text.lines() {
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            if let Some(head) = line.strip_prefix("== ") {
                sections.push((head.trim(), Vec::new()));
            } else if let Some((_, lines)) = sections.last_mut() {
                lines.push(line);
            } else {
                return Err(format!("line outside a section: {line}"));
            }
        }
        let mut common = None;
        let mut topics = Vec::new();
        let mut depts = Vec::new();
        let mut provinces = Vec::new();
        for (head, lines) in sections {
            if head == "common" {
                common = Some(Common::from_keys(&mut Keys::parse(&lines)?)?);
            } else if head == "depts" {
                for l in lines {
                    depts.push(parse_dept(l)?);
                }
            } else if head == "provinces" {
                for l in lines {
                    let (code, abbr) = l.split_once(' ').ok_or(format!("bad province {l}"))?;
                    let code = code.parse().map_err(|_| format!("bad code {l}"))?;
                    provinces.push((code, abbr.trim()));
                }
            } else if let Some(rest) = head.strip_prefix("topic ") {
                let parts: Vec<&'static str> = rest.split('|').map(str::trim).collect();
                let [slug, label, short] = parts[..] else {
                    return Err(format!("bad topic header {head}"));
                };
                topics.push(Topic::from_keys(
                    slug,
                    label,
                    short,
                    &mut Keys::parse(&lines)?,
                )?);
            } else {
                return Err(format!("unknown section {head}"));
            }
        }
        let v = Vocab {
            common: common.ok_or("no common section")?,
            topics,
            depts,
            provinces,
        };
        for t in &v.topics {
            for k in t.depts.iter().chain(&t.codepts) {
                if v.dept(k).is_none() {
                    return Err(format!("topic {} names unknown department {k}", t.slug));
                }
            }
        }
        Ok(v)
    }
}

/// `key: items` lines of one section.
struct Keys(HashMap<&'static str, Words>);

impl Keys {
    fn parse(lines: &[&'static str]) -> Result<Keys, String> {
        let mut map: HashMap<&'static str, Words> = HashMap::new();
        let mut last: Option<&'static str> = None;
        for &line in lines {
            let (key, items) = if line.starts_with(char::is_whitespace) {
                (
                    last.ok_or(format!("continuation without a key: {line}"))?,
                    line,
                )
            } else {
                let (k, v) = line.split_once(':').ok_or(format!("no key in {line}"))?;
                (k.trim(), v)
            };
            map.entry(key).or_default().extend(items.split_whitespace());
            last = Some(key);
        }
        Ok(Keys(map))
    }

    fn take(&mut self, key: &str) -> Result<Words, String> {
        match self.0.remove(key) {
            Some(w) if !w.is_empty() => Ok(w),
            _ => Err(format!("missing or empty key {key}")),
        }
    }

    fn metrics(&mut self, key: &str) -> Result<Vec<Metric>, String> {
        self.take(key)?
            .into_iter()
            .map(|item| {
                let p: Vec<&'static str> = item.split('~').collect();
                let bad = || format!("bad metric {item}");
                let [phrase, unit, lo, hi] = p[..] else {
                    return Err(bad());
                };
                let lo: f64 = lo.parse().map_err(|_| bad())?;
                let hi: f64 = hi.parse().map_err(|_| bad())?;
                if lo >= hi {
                    return Err(bad());
                }
                Ok(Metric {
                    phrase,
                    unit,
                    lo,
                    hi,
                })
            })
            .collect()
    }
}

impl Common {
    fn from_keys(k: &mut Keys) -> Result<Common, String> {
        Ok(Common {
            verbs: k.take("verbs")?,
            fverbs: k.take("fverbs")?,
            mechverbs: k.take("mechverbs")?,
            purposes: k.take("purposes")?,
            results: k.take("results")?,
            funds: k.take("funds")?,
            issued: k.take("issued")?,
            dockinds: k.take("dockinds")?,
            meetings: k.take("meetings")?,
            brands: k.take("brands")?,
            principles: k.take("principles")?,
            honors: k.take("honors")?,
            connectors: k.take("connectors")?,
            thanks: k.take("thanks")?,
            praise: k.take("praise")?,
            studied: k.take("studied")?,
            closings: k.take("closings")?,
            honorific: k.take("honorific")?,
        })
    }
}

impl Topic {
    fn from_keys(
        slug: &'static str,
        label: &'static str,
        short: &'static str,
        k: &mut Keys,
    ) -> Result<Topic, String> {
        Ok(Topic {
            slug,
            label,
            short,
            depts: k.take("depts")?,
            codepts: k.take("codepts")?,
            objects: k.take("objects")?,
            outcomes: k.take("outcomes")?,
            stocks: k.metrics("stocks")?,
            works: k.metrics("works")?,
            programmes: k.take("programmes")?,
            mechanisms: k.take("mechanisms")?,
            groups: k.take("groups")?,
            problems: k.take("problems")?,
            activities: k.take("activities")?,
            laws: k.take("laws")?,
        })
    }
}

fn parse_dept(line: &'static str) -> Result<Dept, String> {
    let f: Vec<&'static str> = line.split('|').map(str::trim).collect();
    if f.len() != 12 {
        return Err(format!("department row needs 12 fields: {line}"));
    }
    let old = |s: &'static str| match s {
        "-" => OldName::Same,
        "!" => OldName::Missing,
        n => OldName::Name(n),
    };
    Ok(Dept {
        key: f[0],
        new: [f[1], f[2], f[3], f[4]],
        old: [old(f[5]), old(f[6]), old(f[7]), old(f[8])],
        abbr: f[9],
        old_abbr: if f[10] == "-" { f[9] } else { f[10] },
        since: f[11].parse().map_err(|_| format!("bad year in {line}"))?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SLUGS: [&str; 16] = [
        "economy",
        "finance",
        "agriculture",
        "housing",
        "transport",
        "environment",
        "education",
        "talent",
        "health",
        "employment",
        "civil_affairs",
        "culture",
        "emergencies",
        "public_security",
        "digital_gov",
        "market_regulation",
    ];

    #[test]
    fn vocabulary_parses_with_every_topic() {
        let v = vocab();
        let slugs: Vec<&str> = v.topics.iter().map(|t| t.slug).collect();
        assert_eq!(slugs, SLUGS);
        assert_eq!(v.provinces.len(), 31);
        for t in &v.topics {
            assert!(t.objects.len() >= 20, "{} has few objects", t.slug);
            assert!(t.stocks.len() >= 5 && t.works.len() >= 6, "{}", t.slug);
        }
    }

    #[test]
    fn departments_follow_the_2018_reform() {
        let v = vocab();
        let env = v.dept("环境").unwrap();
        assert_eq!(env.name(Tier::Province, 2017), Some("环境保护厅"));
        assert_eq!(env.name(Tier::Province, 2021), Some("生态环境厅"));
        assert_eq!(v.dept("医保").unwrap().name(Tier::City, 2017), None);
        assert_eq!(v.dept("应急").unwrap().abbr(2016), "安监");
        assert_eq!(
            v.dept("教育").unwrap().name(Tier::Municipality, 2020),
            Some("教育委员会")
        );
    }

    #[test]
    fn bad_rows_are_rejected() {
        assert!(Vocab::parse("== depts\n教育|教育厅\n").is_err());
        assert!(Vocab::parse("stray line\n").is_err());
        let mut k = Keys::parse(&["stocks: 里程~公里~9~3"]).unwrap();
        assert!(k.metrics("stocks").is_err());
    }
}
