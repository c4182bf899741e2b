//! The body of a reply: how its paragraphs are arranged (numbered sections, numbered
//! commitments, plain prose, one answer per suggestion) and how long it runs.

use rand::Rng as _;

use crate::compose::{Ctx, Mode, Rng, chance, cn_num, heading, paragraph, pick, put, quoted};
use crate::vocab::Topic;
use std::fmt::Write as _;

/// Layout shared by a whole reply.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Style {
    /// Written at the start of every paragraph (　　, two spaces or nothing).
    pub indent: &'static str,
    /// Written after every paragraph ("\n" or "\n\n").
    pub end: &'static str,
}

/// Draws the body length in characters: log-normal around 1,700 with a long tail.
pub(crate) fn target_chars(rng: &mut Rng) -> usize {
    if chance(rng, 0.04) {
        return rng.random_range(8000..18000);
    }
    let u1: f64 = 1.0 - rng.random::<f64>();
    let u2: f64 = rng.random();
    let z = (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos();
    (1700.0 * (0.65 * z).exp()).clamp(250.0, 7500.0) as usize
}

struct Writer<'a> {
    x: &'a Ctx,
    second: Option<&'static Topic>,
    /// Index of the paragraph that talks about the second topic.
    second_at: usize,
    style: Style,
    per: usize,
    n: usize,
    done: usize,
}

impl Writer<'_> {
    /// The second topic, if the current paragraph is the one that mentions it.
    fn aside(&self) -> Option<&'static Topic> {
        self.second.filter(|_| self.done == self.second_at)
    }

    fn target(&self, rng: &mut Rng) -> usize {
        (self.per as f64 * rng.random_range(0.5..1.5)) as usize
    }

    /// One paragraph, optionally led by `lead` (a numbered subheading).
    fn para(&mut self, rng: &mut Rng, mode: Mode, lead: Option<String>, out: &mut String) {
        let t = self.x.primary;
        let target = self.target(rng);
        let enumerate = chance(rng, 0.2);
        out.push_str(self.style.indent);
        if let Some(lead) = lead {
            if chance(rng, 0.3) {
                put!(out, "{lead}\n{}", self.style.indent);
            } else {
                put!(out, "{lead}。");
            }
        }
        match self.aside() {
            // A paragraph that touches on the second topic: mostly the primary one, then a
            // few sentences on the other.
            Some(other) => {
                paragraph(rng, self.x, t, mode, target * 3 / 5, enumerate, out);
                let bridge = match rng.random_range(0..4) {
                    0 => format!("此外，您的{}还涉及{}工作。", self.x.kind, other.short),
                    1 => format!("您提出的问题也与{}工作密切相关。", other.short),
                    2 => format!("在{}方面，", other.short),
                    _ => format!("关于{}工作，", other.short),
                };
                out.push_str(&bridge);
                let aside = match mode {
                    Mode::Forward | Mode::Ahead => Mode::Ahead,
                    _ => Mode::Past,
                };
                paragraph(rng, self.x, other, aside, target * 2 / 5, false, out);
            }
            None => paragraph(rng, self.x, t, mode, target, enumerate, out),
        }
        out.push_str(self.style.end);
        self.done += 1;
    }

    fn line(&self, s: &str, out: &mut String) {
        put!(out, "{}{s}{}", self.style.indent, self.style.end);
    }

    fn remaining(&self) -> usize {
        self.n.saturating_sub(self.done)
    }
}

/// Writes the body: between 3 and 12 paragraphs of about `chars` characters in all.
pub(crate) fn body(
    rng: &mut Rng,
    x: &Ctx,
    second: Option<&'static Topic>,
    chars: usize,
    style: Style,
    out: &mut String,
) {
    let n = (chars / rng.random_range(300..700)).clamp(3, 12);
    let mut w = Writer {
        x,
        second,
        second_at: rng.random_range(1..n),
        style,
        per: chars * 3 / n,
        n,
        done: 0,
    };
    match rng.random_range(0..20) {
        0..=7 => sections(rng, &mut w, out),
        8..=12 => numbered_commitments(rng, &mut w, out),
        13..=16 => plain(rng, &mut w, out),
        _ => per_suggestion(rng, &mut w, out),
    }
}

fn section_title(rng: &mut Rng, x: &Ctx, kind: Mode) -> String {
    let t = x.primary;
    match kind {
        Mode::Past => match rng.random_range(0..4) {
            0 => format!(
                "{}工作{}",
                t.short,
                pick(rng, &["开展情况", "基本情况", "进展情况"])
            ),
            1 => pick(
                rng,
                &[
                    "主要做法和成效",
                    "工作开展情况",
                    "近年来的主要工作",
                    "办理情况",
                ],
            )
            .to_string(),
            _ => format!(
                "关于{}的{}",
                pick(rng, &x.focus),
                pick(rng, &["情况", "工作", "推进情况"])
            ),
        },
        Mode::Problem => {
            pick(rng, &["存在的问题", "存在的困难和问题", "需要说明的情况"]).to_string()
        }
        _ => pick(
            rng,
            &[
                "下一步工作打算",
                "下一步工作举措",
                "下步打算",
                "下一步工作计划",
                "下阶段工作重点",
            ],
        )
        .to_string(),
    }
}

/// 一、…情况 （一）… 二、下一步工作打算 （一）…
fn sections(rng: &mut Rng, w: &mut Writer<'_>, out: &mut String) {
    let three = w.n >= 5 && chance(rng, 0.4);
    let fwd = (w.n * 2 / 5).max(1);
    let past = w.n - fwd - usize::from(three);
    let mut plan = vec![(Mode::Past, past)];
    if three {
        plan.push((Mode::Problem, 1));
    }
    plan.push((Mode::Forward, fwd));
    for (si, (mode, count)) in plan.into_iter().enumerate() {
        let title = section_title(rng, w.x, mode);
        w.line(&format!("{}、{title}", cn_num(si as i32 + 1)), out);
        for pi in 0..count {
            let lead = (count > 1).then(|| {
                format!(
                    "（{}）{}",
                    cn_num(pi as i32 + 1),
                    heading(rng, w.x, w.x.primary)
                )
            });
            w.para(rng, mode, lead, out);
        }
    }
}

/// Plain paragraphs on past work, then 1、2、3、 commitments.
fn numbered_commitments(rng: &mut Rng, w: &mut Writer<'_>, out: &mut String) {
    let past = (w.n / 2).max(1);
    for i in 0..past {
        let mode = if past > 1 && i + 1 == past && chance(rng, 0.5) {
            Mode::Problem
        } else {
            Mode::Past
        };
        w.para(rng, mode, None, out);
    }
    let intro = pick(
        rng,
        &[
            "下一步，我们将重点做好以下几方面工作：",
            "下一步，我们将从以下几个方面持续发力：",
            "今后，我们将着力抓好以下工作：",
            "为进一步做好相关工作，下一步我们将：",
        ],
    );
    w.line(intro, out);
    let fmt = rng.random_range(0..3);
    let mut k = 1;
    while w.remaining() > 0 {
        let h = heading(rng, w.x, w.x.primary);
        let lead = match fmt {
            0 => format!("{k}、{h}"),
            1 => format!("{k}.{h}"),
            _ => format!("（{k}）{h}"),
        };
        w.para(rng, Mode::Forward, Some(lead), out);
        k += 1;
    }
}

/// Unnumbered prose: past work first, commitments last.
fn plain(rng: &mut Rng, w: &mut Writer<'_>, out: &mut String) {
    while w.remaining() > 0 {
        let mode = if w.done == 0 {
            Mode::Past
        } else if w.remaining() == 1 {
            Mode::Forward
        } else {
            pick(rng, &[Mode::Past, Mode::Past, Mode::Problem, Mode::Mixed])
        };
        w.para(rng, mode, None, out);
    }
}

/// 一、关于“…”的建议 — one answer for each point of the proposal.
fn per_suggestion(rng: &mut Rng, w: &mut Writer<'_>, out: &mut String) {
    let groups = (w.n / 2).clamp(2, 4);
    let mut left = w.n;
    for g in 0..groups {
        let count = if g + 1 == groups {
            left
        } else {
            (left / (groups - g)).max(1)
        };
        left -= count;
        let h = heading(rng, w.x, w.x.primary);
        let h = quoted(h.trim_start_matches("关于"));
        let what = pick(rng, &["建议", "问题", "意见"]);
        w.line(&format!("{}、关于“{h}”的{what}", cn_num(g as i32 + 1)), out);
        for _ in 0..count {
            w.para(rng, Mode::Mixed, None, out);
        }
    }
}
