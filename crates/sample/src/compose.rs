//! What sentences are made of: the random helpers, the reply context ([`Ctx`]) whose places,
//! years, departments and numbers fill the templates of `sentences.rs`, and paragraphs.

use std::fmt::Write as _;
use std::rc::Rc;

use rand::Rng as _;
use rand_chacha::ChaCha8Rng;

use crate::names::Names;
use crate::place::Level;
use crate::sentences::{forward, past, problem};
use crate::vocab::{Common, Metric, Topic, vocab};

pub(crate) type Rng = ChaCha8Rng;

/// Appends formatted text to a `String` (writing to a `String` cannot fail).
macro_rules! put {
    ($out:expr, $($arg:tt)*) => {{
        let _ = write!($out, $($arg)*);
    }};
}
pub(crate) use put;

/// A uniformly chosen element (copied).
pub(crate) fn pick<T: Copy>(rng: &mut Rng, xs: &[T]) -> T {
    xs[rng.random_range(0..xs.len())]
}

/// A uniformly chosen element (borrowed).
pub(crate) fn pick_ref<'a, T>(rng: &mut Rng, xs: &'a [T]) -> &'a T {
    &xs[rng.random_range(0..xs.len())]
}

pub(crate) fn chance(rng: &mut Rng, p: f64) -> bool {
    rng.random_bool(p.clamp(0.0, 1.0))
}

const DIGITS: [&str; 10] = ["〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"];

/// 1..=99 in Chinese numerals (十二, 二十一).
pub(crate) fn cn_num(n: i32) -> String {
    let n = n.clamp(0, 99) as usize;
    match n {
        0..=9 => DIGITS[n].to_string(),
        10 => "十".into(),
        11..=19 => format!("十{}", DIGITS[n - 10]),
        _ if n.is_multiple_of(10) => format!("{}十", DIGITS[n / 10]),
        _ => format!("{}十{}", DIGITS[n / 10], DIGITS[n % 10]),
    }
}

/// What a paragraph talks about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    Past,
    Problem,
    Forward,
    /// Commitments that continue a paragraph (no 下一步 lead).
    Ahead,
    Mixed,
}

/// Everything a sentence may refer to.
pub(crate) struct Ctx {
    pub year: i32,
    pub level: Level,
    pub scale: f64,
    /// 省 (全省, 我省).
    pub area: &'static str,
    /// 省 / 自治区 / 市 … (省政府).
    pub org: &'static str,
    /// 我厅 / 我局 / 我委.
    pub me: &'static str,
    /// 省教育厅.
    pub dept_ref: String,
    pub region_name: String,
    pub region_short: String,
    /// Divisions below the locale (or townships).
    pub places: Vec<String>,
    /// Co-handling departments as written in running text (市财政局).
    pub codepts: Vec<String>,
    pub primary: &'static Topic,
    /// Objects of the primary topic this reply keeps returning to.
    pub focus: Vec<&'static str>,
    /// What the reply answers: 建议 or 提案.
    pub kind: &'static str,
    /// The villages, enterprises and facilities it cites as examples (its own random stream).
    pub names: Rc<Names>,
}

pub(crate) fn c() -> &'static Common {
    &vocab().common
}

impl Ctx {
    pub fn obj(&self, rng: &mut Rng, t: &'static Topic) -> &'static str {
        if std::ptr::eq(t, self.primary) && chance(rng, 0.55) {
            pick(rng, &self.focus)
        } else {
            pick(rng, &t.objects)
        }
    }

    pub fn subj(&self, rng: &mut Rng) -> String {
        match rng.random_range(0..8) {
            0 | 1 => self.me.to_string(),
            2 => self.dept_ref.clone(),
            3 => format!("{}政府", self.org),
            4 => format!("全{}各地", self.area),
            5 => "各地各部门".into(),
            6 => "我们".into(),
            _ => format!("{}会同{}", self.me, pick_ref(rng, &self.codepts)),
        }
    }

    /// Where rankings are made: a province ranks in 全国, anything smaller in 全省.
    pub fn rank_scope(&self) -> &'static str {
        if self.level == Level::Province {
            "全国"
        } else {
            "全省"
        }
    }

    /// An honour; provinces only receive national ones.
    pub fn honor(&self, rng: &mut Rng) -> &'static str {
        loop {
            let h = pick(rng, &c().honors);
            if self.level != Level::Province || !h.contains('省') {
                return h;
            }
        }
    }

    /// A verb that takes an object (加快推进…).
    pub fn verb(&self, rng: &mut Rng) -> &'static str {
        pick(rng, &c().verbs)
    }

    /// A verb for a commitment (持续推进…).
    pub fn fverb(&self, rng: &mut Rng) -> &'static str {
        pick(rng, &c().fverbs)
    }

    /// 推动农村公路提档升级.
    pub fn push(&self, rng: &mut Rng, t: &'static Topic) -> String {
        let (o, r) = (self.obj(rng, t), pick(rng, &t.outcomes));
        format!("{}{o}{r}", pick(rng, &["推动", "促进", "推进", "实现"]))
    }

    pub fn place(&self, rng: &mut Rng) -> String {
        pick_ref(rng, &self.places).clone()
    }

    pub fn places(&self, rng: &mut Rng) -> String {
        let n = rng.random_range(2..=3).min(self.places.len());
        let start = rng.random_range(0..self.places.len());
        (0..n)
            .map(|i| self.places[(start + i) % self.places.len()].as_str())
            .collect::<Vec<_>>()
            .join("、")
    }

    pub fn past_year(&self, rng: &mut Rng) -> i32 {
        self.year - rng.random_range(0..=3)
    }

    pub fn future_year(&self, rng: &mut Rng) -> i32 {
        self.year + rng.random_range(1..=5)
    }

    /// 2019年以来 / 近年来 / “十三五”期间 …
    pub fn since(&self, rng: &mut Rng) -> String {
        let y = self.year;
        match rng.random_range(0..7) {
            0 | 1 => format!("{}年以来", y - rng.random_range(2..=6)),
            2 => "近年来".into(),
            3 if y <= 2020 => "“十三五”以来".into(),
            3 => "“十三五”期间".into(),
            4 if y >= 2022 => "“十四五”以来".into(),
            4 => "去年以来".into(),
            5 => "今年以来".into(),
            _ => format!("自{}年起", y - rng.random_range(1..=4)),
        }
    }

    /// A number with its unit, scaled to the locale; `approx` may add 余 / 多 (reports only).
    pub fn qty(&self, rng: &mut Rng, m: &Metric, approx: bool) -> String {
        let pct = m.unit == "%";
        let hi = if !pct && m.hi > 50.0 {
            (m.hi * self.scale).max(m.lo * 1.6)
        } else {
            m.hi
        };
        let r: f64 = rng.random();
        let v = m.lo + (hi - m.lo) * r * r;
        let mut s = if pct || m.hi <= 20.0 {
            format!("{v:.1}")
        } else {
            let n = v.round() as u64;
            if n >= 1000 && chance(rng, 0.35) {
                let k = 10u64.pow((n as f64).log10() as u32 - 1);
                format!("{}", n / k * k)
            } else {
                n.to_string()
            }
        };
        if approx && !pct && m.hi > 20.0 && v >= 20.0 && chance(rng, 0.15) {
            s.push_str(if chance(rng, 0.5) { "余" } else { "多" });
        }
        s.push_str(m.unit);
        s
    }

    pub fn money(&self, rng: &mut Rng) -> String {
        let (lo, hi) = match self.level {
            Level::Province => (2000.0, 600000.0),
            Level::City => (300.0, 90000.0),
            Level::County => (50.0, 15000.0),
        };
        let r: f64 = rng.random();
        let v: f64 = lo + (hi - lo) * r * r * r;
        if v >= 10000.0 && chance(rng, 0.6) {
            format!("{:.2}亿元", v / 10000.0)
        } else {
            format!("{}万元", v.round() as u64)
        }
    }

    pub fn pct(&self, rng: &mut Rng) -> String {
        format!("{:.1}%", rng.random_range(1.0..36.0))
    }

    /// 《浙江省农村公路养护管理办法》, dated to `issue_year`.
    pub fn doc(&self, rng: &mut Rng, t: &'static Topic, issue_year: i32) -> String {
        let prog = pick(rng, &t.programmes);
        let region = if chance(rng, 0.5) {
            self.region_name.as_str()
        } else {
            ""
        };
        match rng.random_range(0..6) {
            0 => format!("《关于{}{}的实施意见》", pick(rng, &c().verbs), prog),
            1 => {
                let a = issue_year + rng.random_range(0..=1);
                format!("《{region}{prog}三年行动计划（{a}—{}年）》", a + 2)
            }
            2 => {
                let plan = if issue_year <= 2020 {
                    "十三五"
                } else {
                    "十四五"
                };
                format!("《{region}{prog}“{plan}”规划》")
            }
            _ => format!("《{region}{prog}{}》", pick(rng, &c().dockinds)),
        }
    }

    pub fn brand(&self, rng: &mut Rng, t: &'static Topic) -> String {
        let head = if self.places.is_empty() || chance(rng, 0.5) {
            self.region_short.clone()
        } else {
            let p = self.place(rng);
            p.chars().take(2).collect()
        };
        let tail = if chance(rng, 0.3) {
            t.short.chars().take(2).collect()
        } else {
            String::new()
        };
        format!("“{head}{tail}{}”", pick(rng, &c().brands))
    }
}

/// A subheading such as 加快推进农村公路提档升级 (no numbering, no final punctuation).
pub(crate) fn heading(rng: &mut Rng, x: &Ctx, t: &'static Topic) -> String {
    let o = x.obj(rng, t);
    match rng.random_range(0..5) {
        0 => format!("{}{o}", x.verb(rng)),
        1 => {
            let (v, w) = (
                pick(rng, &["加强", "完善", "强化", "突出"]),
                pick(rng, &["工作", "保障", "建设", "管理"]),
            );
            format!("{v}{o}{w}")
        }
        2 => format!("{}{o}", x.fverb(rng)),
        3 => x.push(rng, t),
        _ => format!("关于{o}"),
    }
}

/// How often a report of past work is followed by a named example (see [`Names`]).
const EXAMPLE_RATE: f64 = 0.45;

/// Writes one paragraph of about `target` bytes (at least one sentence). With `enumerate`,
/// up to six points after the first sentence are led by 一是, 二是 ….
pub(crate) fn paragraph(
    rng: &mut Rng,
    x: &Ctx,
    t: &'static Topic,
    mode: Mode,
    target: usize,
    enumerate: bool,
    out: &mut String,
) {
    let start = out.len();
    // Named examples do not count against `target` (see [`Names`]).
    let mut examples = 0usize;
    let mut i = 0usize;
    while i == 0 || out.len() - start - examples < target {
        if enumerate && i > 0 {
            if i > 6 {
                break;
            }
            let (n, v, o) = (cn_num(i as i32), x.verb(rng), x.obj(rng, t));
            put!(out, "{n}是{v}{o}。");
        }
        let r: f64 = rng.random();
        let written = out.len() - start - examples;
        match mode {
            Mode::Past if r < 0.93 => {
                past(rng, x, t, out);
                examples += x.names.maybe_example(EXAMPLE_RATE, &x.places, out);
            }
            Mode::Past => problem(rng, x, t, out),
            Mode::Problem if i == 0 || (i == 1 && r < 0.6) => problem(rng, x, t, out),
            Mode::Problem => forward(rng, x, t, false, out),
            Mode::Forward => {
                let first = i == 0 && chance(rng, 0.6);
                forward(rng, x, t, first, out)
            }
            Mode::Ahead => forward(rng, x, t, false, out),
            Mode::Mixed if written * 2 < target => {
                past(rng, x, t, out);
                examples += x.names.maybe_example(EXAMPLE_RATE, &x.places, out);
            }
            Mode::Mixed => forward(rng, x, t, false, out),
        }
        i += 1;
    }
}

/// An object quoted inside “…”: inner double quotes become single ones.
pub(crate) fn quoted(s: &str) -> String {
    s.replace('“', "‘").replace('”', "’")
}

/// The thanks sentence (感谢您对我省教育工作的关心和支持), without final punctuation.
pub(crate) fn thanks(rng: &mut Rng, x: &Ctx, t: &Topic) -> String {
    let who = if chance(rng, 0.6) {
        format!("我{}{}", x.area, t.short)
    } else {
        t.short.to_string()
    };
    pick(rng, &c().thanks).replace("{x}", &who)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_numerals() {
        let got: Vec<String> = [1, 10, 12, 20, 47].iter().map(|&n| cn_num(n)).collect();
        assert_eq!(got, ["一", "十", "十二", "二十", "四十七"]);
    }
}
