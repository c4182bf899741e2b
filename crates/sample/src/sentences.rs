//! Sentence templates: reports of past work, acknowledged problems and commitments. Each
//! template draws its words from the topic's vocabulary and the reply's [`Ctx`], so that the
//! same template seldom yields the same sentence twice.

use std::fmt::Write as _;

use rand::Rng as _;

use crate::compose::{Ctx, Rng, c, chance, cn_num, pick, pick_ref, put, quoted};
use crate::vocab::Topic;

/// A report of past work.
pub(crate) fn past(rng: &mut Rng, x: &Ctx, t: &'static Topic, out: &mut String) {
    let cm = c();
    if chance(rng, 0.1) {
        out.push_str(pick(rng, &cm.connectors));
    }
    match rng.random_range(0..19) {
        0 => {
            let (since, s, f, m) = (
                x.since(rng),
                x.subj(rng),
                pick(rng, &cm.funds),
                x.money(rng),
            );
            let (u, o, w) = (
                pick(rng, &["用于", "重点支持", "支持"]),
                x.obj(rng, t),
                pick(rng, &["项目", "工作", "方面"]),
            );
            put!(out, "{since}，{s}累计投入{f}{m}，{u}{o}等{w}。");
        }
        1 => {
            let m = pick_ref(rng, &t.stocks);
            let (v, q) = (pick(rng, &["达到", "已达", "为"]), x.qty(rng, m, true));
            put!(
                out,
                "截至{}年底，全{}{}{v}{q}，",
                x.year - 1,
                x.area,
                m.phrase
            );
            match rng.random_range(0..4) {
                0 => put!(
                    out,
                    "较{}年提高{}。",
                    x.year - rng.random_range(2..=5),
                    x.pct(rng)
                ),
                1 => put!(out, "{}。", pick(rng, &cm.results)),
                2 => put!(out, "居{}第{}位。", x.rank_scope(), rng.random_range(1..=9)),
                _ => put!(out, "提前完成年度目标任务。"),
            }
        }
        2 => {
            let y = x.past_year(rng);
            let (s, i, d) = (x.subj(rng), pick(rng, &cm.issued), x.doc(rng, t, y));
            let (v, o) = (pick(rng, &["明确", "提出", "细化"]), x.obj(rng, t));
            let w = pick(
                rng,
                &["目标任务", "支持政策", "责任分工", "具体举措", "保障措施"],
            );
            put!(out, "{y}年，{s}{i}{d}，{v}了{o}的{w}。");
        }
        3 => {
            let (o1, s, v, o2, r) = (
                x.obj(rng, t),
                x.subj(rng),
                x.verb(rng),
                x.obj(rng, t),
                pick(rng, &cm.results),
            );
            put!(out, "在{o1}方面，{s}{v}{o2}，{r}。");
        }
        4 if !x.places.is_empty() => {
            let (ps, v, o) = (
                x.places(rng),
                pick(rng, &["积极探索", "先行先试", "率先开展", "创新推进"]),
                x.obj(rng, t),
            );
            let (f, b) = (pick(rng, &["形成了", "打造了", "涌现出"]), x.brand(rng, t));
            let k = pick(rng, &["可复制可推广的经验做法", "特色工作品牌", "典型案例"]);
            put!(out, "{ps}等地{v}{o}，{f}{b}等一批{k}。");
        }
        5 => {
            let m = pick_ref(rng, &t.works);
            let (y, q) = (x.past_year(rng), x.qty(rng, m, true));
            let (v, p) = (pick(rng, &["增长", "提高", "增加"]), x.pct(rng));
            put!(
                out,
                "据统计，{y}年全{}{}{q}，同比{v}{p}。",
                x.area,
                m.phrase
            );
        }
        6 => {
            let (s, h, v, a) = (
                x.subj(rng),
                pick(rng, &["先后", "累计", "年均"]),
                pick(rng, &["组织", "开展", "举办"]),
                pick(rng, &t.activities),
            );
            let (n, u) = (
                rng.random_range(2..=180),
                pick(rng, &["场", "次", "期", "场次"]),
            );
            let (c2, g) = (pick(rng, &["覆盖", "惠及", "服务"]), pick(rng, &t.groups));
            let (n2, u2) = (
                rng.random_range(30..=60000),
                pick(rng, &["人次", "余人", "人"]),
            );
            put!(out, "{s}{h}{v}{a}{n}{u}，{c2}{g}{n2}{u2}。");
        }
        7 => {
            let (d, v, m) = (
                pick_ref(rng, &x.codepts),
                pick(rng, &["建立", "完善", "健全"]),
                pick(rng, &t.mechanisms),
            );
            let (f, a, o) = (
                pick(rng, &["定期", "每季度", "每半年", "按月"]),
                pick(rng, &["研究解决", "协调推进", "会商解决"]),
                x.obj(rng, t),
            );
            let w = pick(rng, &["困难和问题", "重点难点问题", "堵点难点"]);
            put!(out, "{}会同{d}{v}{m}，{f}{a}{o}中的{w}。", x.me);
        }
        8 => {
            let (y, mo, s) = (x.past_year(rng), rng.random_range(1..=12), x.subj(rng));
            let (v, o1, m) = (
                pick(rng, &["召开", "组织召开", "专题召开"]),
                x.obj(rng, t),
                pick(rng, &cm.meetings),
            );
            let (o2, r) = (
                x.obj(rng, t),
                pick(
                    rng,
                    &["作出部署", "进行再部署", "进行专题研究", "提出明确要求"],
                ),
            );
            put!(out, "{y}年{mo}月，{s}{v}全{}{o1}{m}，就{o2}{r}。", x.area);
        }
        9 => {
            let (s, o, v) = (x.subj(rng), x.obj(rng, t), pick(rng, &["纳入", "列入"]));
            let w = pick(
                rng,
                &[
                    "年度民生实事项目",
                    "政府工作报告重点任务",
                    "部门目标责任制考核",
                    "年度工作要点",
                    "重点督查事项",
                ],
            );
            let r = pick(
                rng,
                &[
                    "层层压实责任",
                    "实行清单化管理",
                    "定期通报工作进展",
                    "挂图作战、按月推进",
                ],
            );
            put!(out, "{s}将{o}{v}{w}，{r}。");
        }
        10 => {
            let (v, o, g) = (x.verb(rng), x.obj(rng, t), pick(rng, &t.groups));
            let (k, r, y) = (
                pick(rng, &["获得感", "满意度", "认可度"]),
                pick(rng, &["明显提升", "持续增强", "稳步提高"]),
                x.past_year(rng),
            );
            let (w, p) = (
                pick(rng, &["满意率", "群众满意度", "知晓率"]),
                rng.random_range(85.0..99.9),
            );
            put!(out, "通过{v}{o}，{g}的{k}{r}，{y}年{w}达到{p:.1}%。");
        }
        11 => {
            let a = pick_ref(rng, &t.works);
            let mut b = pick_ref(rng, &t.works);
            while std::ptr::eq(a, b) {
                b = pick_ref(rng, &t.works);
            }
            let (since, qa, qb) = (x.since(rng), x.qty(rng, a, true), x.qty(rng, b, true));
            put!(
                out,
                "{since}，全{}累计{}{qa}，{}{qb}。",
                x.area,
                a.phrase,
                b.phrase
            );
        }
        12 => {
            let (s, p, v, o, r) = (
                x.subj(rng),
                pick(rng, &cm.principles),
                x.verb(rng),
                x.obj(rng, t),
                pick(rng, &cm.results),
            );
            put!(out, "{s}坚持{p}，{v}{o}，{r}。");
        }
        13 => {
            let (y, o, v, h) = (
                x.past_year(rng),
                x.obj(rng, t),
                pick(rng, &["入选", "被列为", "获评"]),
                x.honor(rng),
            );
            put!(out, "{y}年，{}{o}工作{v}{h}。", x.region_name);
        }
        14 => {
            let (s, v, f, m) = (
                x.subj(rng),
                pick(rng, &["投入", "安排", "统筹"]),
                pick(rng, &cm.funds),
                x.money(rng),
            );
            let (a, o, n) = (
                pick(rng, &["实施", "建设", "完成"]),
                x.obj(rng, t),
                rng.random_range(3..=260),
            );
            put!(out, "{s}{v}{f}{m}，{a}{o}项目{n}个。");
        }
        15 if !x.places.is_empty() => {
            let (p, v, o, m) = (x.place(rng), x.verb(rng), x.obj(rng, t), x.money(rng));
            let w = pick_ref(rng, &t.works);
            let (q, r) = (x.qty(rng, w, true), pick(rng, &cm.results));
            put!(
                out,
                "{p}{v}{o}，{}{m}，{}{q}，{r}。",
                pick(rng, &["争取资金", "投入"]),
                w.phrase
            );
        }
        16 => {
            let (y, mo, s) = (x.past_year(rng), rng.random_range(3..=11), x.subj(rng));
            let (o, k) = (
                x.obj(rng, t),
                pick(rng, &["专项督查", "调研评估", "绩效评价", "“回头看”"]),
            );
            let (n, u) = (rng.random_range(3..=120), pick(rng, &["个", "条", "项"]));
            let r = pick(rng, &["发现并整改问题", "梳理形成问题清单", "提出改进意见"]);
            put!(out, "{y}年{mo}月，{s}组织开展{o}{k}，{r}{n}{u}。");
        }
        17 => {
            let (o1, a, s, v, o2) = (
                x.obj(rng, t),
                pick(rng, &["抓手", "切入点", "突破口"]),
                x.subj(rng),
                x.verb(rng),
                x.obj(rng, t),
            );
            let r = pick(rng, &cm.results);
            put!(out, "以{o1}为{a}，{s}{v}{o2}，{r}。");
        }
        _ => {
            let (s, l, o1) = (
                x.subj(rng),
                pick(rng, &["分管领导", "主要领导", "党组书记"]),
                x.obj(rng, t),
            );
            let (v, o2) = (
                pick(rng, &["统筹协调", "研究部署", "督促推进"]),
                x.obj(rng, t),
            );
            put!(out, "{s}成立由{l}任组长的{o1}工作专班，{v}{o2}等重点任务。");
        }
    }
}

/// An acknowledged problem or the rule that governs it.
pub(crate) fn problem(rng: &mut Rng, x: &Ctx, t: &'static Topic, out: &mut String) {
    let (p1, p2) = (pick(rng, &t.problems), pick(rng, &t.problems));
    let o = x.obj(rng, t);
    match rng.random_range(0..5) {
        0 => {
            let both = if p1 == p2 {
                p1.to_string()
            } else {
                format!("{p1}、{p2}")
            };
            let r = pick(
                rng,
                &[
                    "与群众期盼相比还有一定差距",
                    "需要在今后工作中加以解决",
                    "这些问题还需要持续用力加以破解",
                ],
            );
            put!(
                out,
                "但也要看到，当前全{}{o}仍存在{both}等问题，{r}。",
                x.area
            );
        }
        1 => {
            let (k, a, b, w) = (
                x.kind,
                pick(rng, &["确实", "的确"]),
                pick(rng, &["当前", "目前"]),
                pick(rng, &["短板", "难点", "薄弱环节"]),
            );
            put!(out, "您在{k}中提到的{p1}问题，{a}是{b}{o}工作中的{w}。");
        }
        2 if !x.places.is_empty() => {
            let (f, p) = (
                pick(rng, &["财力", "用地指标", "专业人才", "地理条件"]),
                x.place(rng),
            );
            let r = pick(rng, &["进展相对缓慢", "还不够平衡", "仍处于起步阶段"]);
            put!(out, "受{f}等因素制约，{p}等地的{o}{r}。");
        }
        3 => {
            let law = pick(rng, &t.laws);
            let art = if chance(rng, 0.5) {
                format!("第{}条规定", cn_num(rng.random_range(5..=60)))
            } else {
                "有关规定".into()
            };
            let (k, who, v) = (
                pick(rng, &["工作", "相关事项"]),
                pick(rng, &["县级以上人民政府", "属地政府", "行业主管部门"]),
                pick(rng, &["统筹组织实施", "负责监督管理", "按职责分工负责"]),
            );
            put!(out, "根据{law}{art}，{o}{k}由{who}{v}。");
        }
        _ => {
            let (y, g) = (x.past_year(rng), pick(rng, &t.groups));
            let n = rng.random_range(3..=60);
            put!(
                out,
                "{y}年以来，{}共收到涉及{o}的{g}诉求{n}件，主要集中在{p1}等方面。",
                x.me
            );
        }
    }
}

/// A commitment for the coming years; `first` opens with 下一步.
pub(crate) fn forward(rng: &mut Rng, x: &Ctx, t: &'static Topic, first: bool, out: &mut String) {
    let cm = c();
    if first {
        let (lead, v1, o1, v2, o2, p) = (
            pick(rng, &["下一步，", "今后，", "下阶段，", "接下来，"]),
            x.fverb(rng),
            x.obj(rng, t),
            x.fverb(rng),
            x.obj(rng, t),
            pick(rng, &cm.purposes),
        );
        put!(out, "{lead}{}将{v1}{o1}，{v2}{o2}，{p}。", x.me);
        return;
    }
    match rng.random_range(0..15) {
        0 => {
            let (w, v1, o1, v2, o2, p) = (
                pick(rng, &["我们", x.me]),
                x.fverb(rng),
                x.obj(rng, t),
                x.fverb(rng),
                x.obj(rng, t),
                pick(rng, &cm.purposes),
            );
            put!(out, "{w}将{v1}{o1}，{v2}{o2}，{p}。");
        }
        1 => {
            let m = pick_ref(rng, &t.stocks);
            let (y, v, q) = (
                x.future_year(rng),
                pick(rng, &["达到", "不少于", "超过", "稳定在"]),
                x.qty(rng, m, false),
            );
            put!(out, "力争到{y}年，全{}{}{v}{q}。", x.area, m.phrase);
        }
        2 => {
            let (v, m, p) = (
                pick(rng, &cm.mechverbs),
                pick(rng, &t.mechanisms),
                pick(rng, &cm.purposes),
            );
            put!(out, "{v}{m}，{p}。");
        }
        3 => {
            let (d, a, doc) = (
                pick_ref(rng, &x.codepts),
                pick(rng, &["研究出台", "加快制定", "修订完善"]),
                x.doc(rng, t, x.year + 1),
            );
            let (e, v) = (pick(rng, &["进一步", "切实"]), x.push(rng, t));
            put!(out, "{}将会同{d}，{a}{doc}，{e}{v}。", x.me);
        }
        4 => {
            let (v, o, k) = (
                pick(rng, &["加大", "强化"]),
                x.obj(rng, t),
                pick(rng, &["资金支持", "政策扶持", "督促指导"]),
            );
            let (h, a, m, tail) = (
                pick(rng, &["每年", "计划", "力争"]),
                pick(rng, &["安排", "统筹"]),
                x.money(rng),
                pick(rng, &["以上", "左右", ""]),
            );
            put!(out, "{v}对{o}的{k}力度，{h}{a}{m}{tail}。");
        }
        5 => {
            let (h, a, w) = (
                pick(rng, &["持续", "继续", "常态化"]),
                pick(rng, &t.activities),
                pick(rng, &["每年组织", "年内开展", "全年举办"]),
            );
            let (n, u, c2, g, n2) = (
                rng.random_range(2..=120),
                pick(rng, &["场", "次", "期"]),
                pick(rng, &["覆盖", "惠及"]),
                pick(rng, &t.groups),
                rng.random_range(100..=50000),
            );
            put!(out, "{h}开展{a}，{w}不少于{n}{u}，{c2}{g}{n2}人次以上。");
        }
        6 => {
            let (v, o) = (x.verb(rng), quoted(x.obj(rng, t)));
            let r = pick(
                rng,
                &[
                    "我们将认真吸纳",
                    "我们将在下一步工作中统筹考虑",
                    "我们将积极向上争取政策支持",
                    "已列入明年工作计划",
                    "我们将会同有关部门深入调研后稳妥推进",
                ],
            );
            put!(out, "对您提出的“{v}{o}”的建议，{r}。");
        }
        7 => {
            let (y, a, v, o) = (
                x.future_year(rng),
                pick(rng, &["计划", "拟"]),
                pick(rng, &["实施", "推进", "建设"]),
                x.obj(rng, t),
            );
            let (n, k, m) = (
                rng.random_range(2..=90),
                pick(rng, &["总投资", "计划投资"]),
                x.money(rng),
            );
            put!(out, "{y}年，{a}{v}{o}项目{n}个，{k}{m}。");
        }
        8 => {
            let (a, v, o, k, r) = (
                pick(rng, &["同时", "此外", "另外"]),
                pick(rng, &["注重", "加强"]),
                x.obj(rng, t),
                pick(rng, &["宣传引导", "典型示范", "经验总结"]),
                pick(rng, &["及时总结推广", "定期宣传报道"]),
            );
            let p = if x.places.is_empty() {
                x.region_short.clone()
            } else {
                x.place(rng)
            };
            put!(out, "{a}，{v}{o}{k}，{r}{p}等地的好经验好做法。");
        }
        9 => {
            let (e, d, k, f, v) = (
                pick(rng, &["进一步", "持续", "充分"]),
                pick_ref(rng, &x.codepts),
                pick(rng, &["职能作用", "协同作用"]),
                pick(rng, &["形成工作合力", "凝聚工作合力", "强化上下联动"]),
                x.push(rng, t),
            );
            put!(out, "{e}发挥{d}等部门的{k}，{f}，{v}。");
        }
        10 => {
            let m = pick_ref(rng, &t.works);
            let (a, y, v, q) = (
                pick(rng, &["争取", "力争"]),
                x.future_year(rng),
                pick(rng, &["实现", "完成"]),
                x.qty(rng, m, false),
            );
            put!(out, "{a}在{y}年前{v}{}{q}的目标。", m.phrase);
        }
        11 => {
            let (p, v, m, v2, o) = (
                pick(rng, &t.problems),
                pick(rng, &cm.mechverbs),
                pick(rng, &t.mechanisms),
                x.fverb(rng),
                x.obj(rng, t),
            );
            put!(out, "针对{p}的问题，{}将{v}{m}，{v2}{o}。", x.me);
        }
        12 => {
            let (o1, k, v, o2) = (
                x.obj(rng, t),
                pick(rng, &["重点", "抓手", "突破口"]),
                x.fverb(rng),
                x.obj(rng, t),
            );
            let m = pick_ref(rng, &t.works);
            let q = x.qty(rng, m, false);
            put!(
                out,
                "以{o1}为{k}，{v}{o2}，确保{}年底前{}{q}。",
                x.year + 1,
                m.phrase
            );
        }
        13 => {
            let (o, w, d, p) = (
                x.obj(rng, t),
                pick(
                    rng,
                    &[
                        "明年的重点工作",
                        "今后一个时期的重要任务",
                        "年度重点攻坚事项",
                    ],
                ),
                pick_ref(rng, &x.codepts),
                pick(rng, &t.problems),
            );
            put!(
                out,
                "{}将把{o}作为{w}，主动加强与{d}的沟通协作，合力研究解决{p}等问题。",
                x.me
            );
        }
        _ => {
            let issued = x.past_year(rng);
            let (doc, k, r, v) = (
                x.doc(rng, t, issued),
                pick(rng, &["年度任务", "工作清单", "责任清单"]),
                pick(rng, &["月调度、季通报", "挂图作战", "销号管理"]),
                x.push(rng, t),
            );
            put!(out, "对照{doc}明确的目标任务，细化{k}，实行{r}，{v}。");
        }
    }
}
