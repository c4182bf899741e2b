//! One reply: who answers (department, place, assembly, session), its head (文号, title,
//! addressee, opening), its body, and its foot (signature, date, contact, 抄送, 附件).

use std::fmt::Write as _;

use rand::{Rng as _, SeedableRng};

use crate::body::{Style, body, target_chars};
use crate::compose::{Ctx, Mode, Rng, chance, cn_num, paragraph, pick, pick_ref, put, thanks};
use std::rc::Rc;

use crate::names::Names;
use crate::place::{Level, Locale, Places};
use crate::vocab::{Dept, Topic, vocab};
use crate::{SampleReply, SampleTruth};

const SURNAMES: &str = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤";
const GIVEN: &str = "建华国强志明秀英丽娟海燕晓伟敏军勇杰涛斌磊静婷芳红霞平刚玉兰文俊宇飞鹏浩然欣怡佳琪子涵思远博雅";
const PARTIES: [&str; 8] = [
    "民革",
    "民盟",
    "民建",
    "民进",
    "农工党",
    "致公党",
    "九三学社",
    "台盟",
];
const DAYS: [u32; 12] = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

fn pick_char(rng: &mut Rng, s: &str) -> char {
    let n = s.chars().count();
    s.chars().nth(rng.random_range(0..n)).unwrap_or('王')
}

/// A masked or invented personal name (张某某, 李**, 王建华).
fn person(rng: &mut Rng) -> String {
    let mut s = String::with_capacity(12);
    s.push(pick_char(rng, SURNAMES));
    match rng.random_range(0..20) {
        0..=6 => s.push_str("某某"),
        7..=13 => s.push_str("**"),
        14 | 15 => s.push('某'),
        16 => s.push('*'),
        _ => {
            for _ in 0..rng.random_range(1..=2) {
                s.push(pick_char(rng, GIVEN));
            }
        }
    }
    s
}

/// 我厅 / 我委 / 我局 / 我办 from a department's name.
fn self_ref(name: &str) -> &'static str {
    if name.ends_with('厅') {
        "我厅"
    } else if name.ends_with("委员会") {
        "我委"
    } else if name.ends_with("办公室") {
        "我办"
    } else {
        "我局"
    }
}

/// A date as (year, month, day).
#[derive(Debug, Clone, Copy)]
struct Date(i32, u32, u32);

impl Date {
    fn written(self) -> String {
        format!("{}年{}月{}日", self.0, self.1, self.2)
    }

    fn iso(self) -> String {
        format!("{:04}-{:02}-{:02}", self.0, self.1, self.2)
    }

    fn minus_days(self, days: u32) -> Date {
        let Date(y, mut m, mut d) = self;
        let mut left = days;
        while left >= d {
            left -= d;
            m -= 1;
            d = DAYS[m as usize - 1];
        }
        Date(y, m, d - left)
    }
}

/// What the reply answers and who answers it.
struct Case<'t> {
    loc: Locale<'t>,
    topic: &'static Topic,
    cppcc: bool,
    year: i32,
    term: i32,
    session: i32,
    number: String,
    department: String,
    dept: &'static Dept,
    /// Co-handling departments: (name as in running text, full name).
    codepts: Vec<(String, String)>,
}

impl Case<'_> {
    /// 省十三届人大三次会议 / 市政协七届四次会议.
    fn session_name(&self) -> String {
        let (t, s) = (cn_num(self.term), cn_num(self.session));
        if self.cppcc {
            format!("{}政协{t}届{s}次会议", self.loc.org())
        } else {
            format!("{}{t}届人大{s}次会议", self.loc.org())
        }
    }

    fn kind(&self) -> &'static str {
        if self.cppcc { "提案" } else { "建议" }
    }

    fn title(&self, rng: &mut Rng) -> String {
        let (t, s, n) = (cn_num(self.term), cn_num(self.session), &self.number);
        let (org, full) = (self.loc.org(), &self.loc.unit().name);
        if chance(rng, 0.08) {
            return if self.cppcc {
                format!(
                    "{}关于{org}政协{t}届{s}次会议第{n}号提案的协办意见的函",
                    self.department
                )
            } else {
                format!(
                    "{}关于{org}人大{t}届{s}次会议第{n}号代表建议的会办意见",
                    self.department
                )
            };
        }
        let mut title = match (self.cppcc, rng.random_range(0..5)) {
            (true, 0) => format!("对{org}政协{t}届{s}次会议第{n}号委员提案的答复"),
            (true, 1) => format!("关于政协{full}{t}届{s}次会议第{n}号提案的答复"),
            (true, 2) => format!("关于{org}政协{t}届{s}次会议第{n}号提案的答复"),
            (true, 3) => format!("对政协{full}第{t}届委员会第{s}次会议第{n}号提案的答复"),
            (true, _) => format!("对{full}政协{t}届{s}次会议第{n}号提案的答复"),
            (false, 0) => format!("对{org}{t}届人大{s}次会议第{n}号建议的答复"),
            (false, 1) => format!("关于{org}{t}届人大{s}次会议第{n}号建议的答复"),
            (false, 2) => format!("对{org}人大{t}届{s}次会议第{n}号代表建议的答复"),
            (false, 3) => format!("关于{full}第{t}届人民代表大会第{s}次会议第{n}号建议的答复"),
            (false, _) => format!("对{full}{t}届人大{s}次会议第{n}号建议的答复"),
        };
        if chance(rng, 0.22) {
            title.push('函');
        }
        title
    }

    fn doc_number(&self, rng: &mut Rng) -> String {
        let kinds: &[&str] = if self.cppcc {
            &["函", "提", "提字", "议字", "复", "提复", "函"]
        } else {
            &["函", "建", "建字", "复", "建复", "函"]
        };
        let (open, close) = pick(
            rng,
            &[
                ("〔", "〕"),
                ("〔", "〕"),
                ("〔", "〕"),
                ("〔", "〕"),
                ("〔", "〕"),
                ("〔", "〕"),
                ("【", "】"),
                ("[", "]"),
                ("（", "）"),
                ("［", "］"),
            ],
        );
        format!(
            "{}{}{}{}{open}{}{close}{}号",
            self.loc.doc_prefix(rng),
            self.dept.abbr(self.year),
            if chance(rng, 0.12) { "办" } else { "" },
            pick(rng, kinds),
            self.year,
            rng.random_range(1..=400)
        )
    }

    fn addressee(&self, rng: &mut Rng) -> String {
        let name = person(rng);
        if self.cppcc {
            match rng.random_range(0..20) {
                0..=13 => format!("{name}委员："),
                14..=16 => format!("{name}等委员："),
                _ if self.loc.level == Level::County => format!("{}工商联：", self.loc.unit().name),
                _ => format!("{}{}委员会：", pick(rng, &PARTIES), self.loc.unit().name),
            }
        } else {
            match rng.random_range(0..20) {
                0..=15 => format!("{name}代表："),
                16..=17 => format!("{name}等{}位代表：", rng.random_range(2..=12)),
                _ => format!("{name}、{}代表：", person(rng)),
            }
        }
    }
}

fn proposal_title(rng: &mut Rng, x: &Ctx, case: &Case<'_>, obj: &str) -> String {
    let cm = &vocab().common;
    let tail = if case.cppcc && chance(rng, 0.6) {
        "的提案"
    } else {
        "的建议"
    };
    let t = case.topic;
    match rng.random_range(0..6) {
        0 => format!("关于推动{obj}{}{tail}", pick(rng, &t.outcomes)),
        1 => format!("关于解决{}问题{tail}", pick(rng, &t.problems)),
        2 => format!(
            "关于在{}{}{obj}{tail}",
            x.region_short,
            pick(rng, &cm.verbs)
        ),
        3 => format!("关于{obj}工作{tail}"),
        _ => format!("关于{}{obj}{tail}", pick(rng, &cm.verbs)),
    }
}

fn opening(rng: &mut Rng, x: &Ctx, case: &Case<'_>, pt: &str, cohandled: bool) -> String {
    let cm = &vocab().common;
    let studied = pick(rng, &cm.studied);
    if cohandled {
        let role = if case.cppcc { "协办" } else { "会办" };
        return format!("您提出的《{pt}》收悉。作为{role}单位，{studied}，现提出如下{role}意见：");
    }
    match rng.random_range(0..5) {
        0 => format!("您提出的《{pt}》收悉。{studied}，现答复如下："),
        1 => format!(
            "您在{}上提出的《{pt}》收悉，{studied}，现将有关情况答复如下：",
            case.session_name()
        ),
        2 => format!(
            "{}《{pt}》（第{}号{}）收悉，{}。{studied}，现答复如下：",
            pick(rng, &cm.honorific),
            case.number,
            case.kind(),
            thanks(rng, x, case.topic)
        ),
        3 => format!(
            "您领衔提出的《{pt}》已收悉，{}。{}高度重视，{}，{studied}，现答复如下：",
            thanks(rng, x, case.topic),
            x.me,
            pick(
                rng,
                &[
                    "主要领导亲自研究",
                    "分管领导专题研究",
                    "专门召开办理工作会议",
                    "第一时间落实专人办理"
                ]
            )
        ),
        _ => format!(
            "《{pt}》收悉。{}。{studied}，现将办理情况答复如下：",
            pick(rng, &cm.praise)
        ),
    }
}

/// Builds reply `index` of the corpus generated from `seed`.
pub(crate) fn build(places: &Places<'_>, seed: u64, index: usize) -> SampleReply {
    let mut rng = Rng::seed_from_u64(seed);
    rng.set_stream(index as u64);
    let rng = &mut rng;
    let v = vocab();
    let topic: &'static Topic = pick_ref(rng, &v.topics);
    let second =
        Some(pick_ref(rng, &v.topics)).filter(|s| chance(rng, 0.25) && !std::ptr::eq(*s, topic));
    let cppcc = chance(rng, 0.5);
    let loc = places.pick(rng);
    let year = rng.random_range(2016..=2025);
    let tier = loc.tier();

    let named = |k: &&str| v.dept(k).and_then(|d| Some((d, d.name(tier, year)?)));
    let answering: Vec<(&'static Dept, &'static str)> =
        topic.depts.iter().filter_map(named).collect();
    let (dept, dname) = pick(rng, &answering);
    let mut codepts: Vec<(String, String)> = Vec::new();
    let pool: Vec<(&'static Dept, &'static str)> = topic
        .codepts
        .iter()
        .chain(second.map_or(&[][..], |s| &s.depts[..]))
        .filter_map(named)
        .collect();
    for _ in 0..8 {
        let (_, n) = pick(rng, &pool);
        if n != dname && !codepts.iter().any(|(r, _)| r.ends_with(n)) && codepts.len() < 3 {
            codepts.push((format!("{}{n}", loc.org()), loc.dept_full(n)));
        }
    }
    if codepts.is_empty() {
        codepts.push((format!("{}财政局", loc.org()), loc.dept_full("财政局")));
    }
    let (term, session) = loc.term_session(cppcc, year);
    let number = match (loc.level, rng.random_range(0..10)) {
        (Level::Province, _) => rng.random_range(1..=900).to_string(),
        (Level::City, 0) => format!("{:03}", rng.random_range(1..=450)),
        (Level::City, _) => rng.random_range(1..=450).to_string(),
        (Level::County, 0..=3) => format!("{:04}", rng.random_range(1..=320)),
        (Level::County, _) => rng.random_range(1..=320).to_string(),
    };
    let session_month: u32 = if loc.level == Level::Province {
        rng.random_range(1..=2)
    } else {
        rng.random_range(1..=3)
    };
    let month = (session_month + rng.random_range(3..=9)).min(12);
    let date = Date(year, month, rng.random_range(1..=DAYS[month as usize - 1]));
    let case = Case {
        department: loc.dept_full(dname),
        loc,
        topic,
        cppcc,
        year,
        term,
        session,
        number,
        dept,
        codepts,
    };

    let region = case.loc.unit();
    let pobj: &'static str = pick(rng, &topic.objects);
    let mut focus = vec![pobj];
    for _ in 0..rng.random_range(4..=7) {
        focus.push(pick(rng, &topic.objects));
    }
    let x = Ctx {
        year,
        level: case.loc.level,
        scale: case.loc.scale(),
        area: case.loc.area(),
        org: case.loc.org(),
        me: self_ref(dname),
        dept_ref: format!("{}{dname}", case.loc.org()),
        region_name: region.name.clone(),
        region_short: case.loc.short(),
        places: places.below(&case.loc, rng, 6),
        codepts: case.codepts.iter().map(|(r, _)| r.clone()).collect(),
        primary: topic,
        focus,
        kind: case.kind(),
        names: Rc::new(Names::new(seed, index)),
    };
    let pt = proposal_title(rng, &x, &case, pobj);
    let style = Style {
        indent: pick(rng, &["　　", "　　", "", "", "  "]),
        end: pick(rng, &["\n", "\n\n"]),
    };
    let chars = target_chars(rng);
    let mut text = String::with_capacity(chars * 3 + 4096);

    // Head.
    if chance(rng, 0.3) {
        put!(text, "{}文件\n\n", case.department);
    }
    let title = case.title(rng);
    let cohandled = title.ends_with("意见") || title.ends_with("意见的函");
    let doc_number = case.doc_number(rng);
    if chance(rng, 0.15) {
        put!(text, "{title}\n{doc_number}\n\n");
    } else {
        put!(text, "{doc_number}\n\n{title}\n\n");
    }
    put!(text, "{}\n", case.addressee(rng));
    put!(
        text,
        "{}{}{}",
        style.indent,
        opening(rng, &x, &case, &pt, cohandled),
        style.end
    );
    if chance(rng, 0.25) {
        put!(
            text,
            "{}{}。{}！{}",
            style.indent,
            pick(rng, &v.common.praise),
            thanks(rng, &x, topic),
            style.end
        );
    }

    // Body.
    body(rng, &x, second, chars, style, &mut text);

    // Foot.
    if chance(rng, 0.6) {
        put!(
            text,
            "{}{}。{}",
            style.indent,
            pick(rng, &v.common.closings),
            style.end
        );
    }
    match rng.random_range(0..12) {
        0 | 1 => put!(text, "办理结果：{}类\n", pick(rng, &["A", "A", "B", "C"])),
        2 => put!(text, "答复类别：{}\n", pick(rng, &["A", "B", "B", "C"])),
        3 => put!(text, "（本件按{}类答复）\n", pick(rng, &["A", "B"])),
        _ => {}
    }
    let attach = chance(rng, if chars > 8000 { 0.5 } else { 0.08 });
    let (co_ref, co_full) = pick_ref(rng, &case.codepts);
    let annex = Annex {
        co_ref,
        co_full,
        title: format!(
            "{co_full}关于第{}号{}的{}意见",
            case.number,
            case.kind(),
            if case.cppcc { "协办" } else { "会办" }
        ),
        pt: &pt,
        date: date.minus_days(rng.random_range(5..=40)),
    };
    if attach {
        put!(text, "{}附件：{}\n", style.indent, annex.title);
    }
    let sign_indent = pick(rng, &["", style.indent, "　　　　　　　　　　　　"]);
    put!(
        text,
        "\n{sign_indent}{}\n{sign_indent}{}\n",
        case.department,
        date.written()
    );
    if chance(rng, 0.9) {
        put!(text, "\n{}\n", contact(rng, &case.loc));
    }
    if chance(rng, 0.3) {
        let org = case.loc.org();
        let office = if case.loc.level == Level::Province {
            "办公厅"
        } else {
            "办公室"
        };
        if case.cppcc {
            put!(text, "\n抄送：{org}政协提案委员会，{org}政府{office}。\n");
        } else {
            put!(
                text,
                "\n抄送：{org}人大常委会{}，{org}政府{office}，{}。\n",
                pick(
                    rng,
                    &[
                        "代表工作委员会",
                        "代表工委",
                        "人事代表选举工作委员会",
                        "办公室"
                    ]
                ),
                x.codepts.join("、")
            );
        }
    }
    if attach {
        attachment(rng, &x, &case, &annex, style, &mut text);
    }

    let text = localize(text, &case.loc);
    let truth = SampleTruth {
        title,
        doc_number,
        department: case.department.clone(),
        assembly: if cppcc { "cppcc" } else { "npc" },
        level: case.loc.level.slug(),
        province: case.loc.province.name.clone(),
        province_code: case.loc.province.code,
        city: case.loc.city.map(|c| c.name.clone()),
        city_code: case.loc.city.map(|c| c.code),
        county: case.loc.county.map(|c| c.name.clone()),
        county_code: case.loc.county.map(|c| c.code),
        date: date.iso(),
        year,
        primary_topic: topic.slug,
        proposal_title: pt,
    };
    SampleReply {
        id: format!("sample-{:06}", index + 1),
        text,
        truth,
    }
}

/// A province compares itself with the nation; municipalities and autonomous regions say
/// 全市 / 全区 where a province says 全省.
fn localize(text: String, loc: &Locale<'_>) -> String {
    let text = if loc.level == Level::Province {
        text.replace("全省领先", "全国领先")
            .replace("走在全省前列", "走在全国前列")
    } else {
        text
    };
    let province = loc.province.name.as_str();
    let (area, tier) = if province.ends_with("自治区") {
        ("全区", "自治区级")
    } else if province.ends_with('市') {
        ("全市", "市级")
    } else {
        return text;
    };
    let strong = if area == "全区" { "强区" } else { "强市" };
    text.replace("全省", area)
        .replace("强省", strong)
        .replace("省级", tier)
}

fn contact(rng: &mut Rng, loc: &Locale<'_>) -> String {
    let name = person(rng);
    let tel = format!(
        "{}{:07}",
        rng.random_range(2..=8),
        rng.random_range(0..10_000_000)
    );
    let phone = match rng.random_range(0..6) {
        0 => tel,
        1 => format!(
            "1{}{:09}",
            rng.random_range(3..=9),
            rng.random_range(0..1_000_000_000)
        ),
        _ => format!("{}-{tel}", loc.area_code()),
    };
    match rng.random_range(0..4) {
        0 => format!("联系人：{name}    联系电话：{phone}"),
        1 => format!("（联系人：{name}；电话：{phone}）"),
        _ => format!("（联系人：{name}，联系电话：{phone}）"),
    }
}

/// A co-handling department's opinion (会办意见), attached after the reply.
struct Annex<'a> {
    /// As in running text (市财政局) and as signed (嘉兴市财政局).
    co_ref: &'a str,
    co_full: &'a str,
    title: String,
    /// The proposal's title.
    pt: &'a str,
    /// Written before the reply itself.
    date: Date,
}

fn attachment(
    rng: &mut Rng,
    x: &Ctx,
    case: &Case<'_>,
    annex: &Annex<'_>,
    style: Style,
    out: &mut String,
) {
    let topic = x.primary;
    let cx = Ctx {
        me: self_ref(annex.co_ref),
        dept_ref: annex.co_ref.to_string(),
        places: x.places.clone(),
        codepts: vec![x.dept_ref.clone()],
        focus: x.focus.clone(),
        region_name: x.region_name.clone(),
        region_short: x.region_short.clone(),
        names: x.names.clone(),
        ..*x
    };
    put!(
        out,
        "\n附件\n\n{}{}\n\n{}：\n",
        style.indent,
        annex.title,
        case.department
    );
    put!(
        out,
        "{}{}《{}》收悉。结合{}职责，现提出如下意见：{}",
        style.indent,
        case.session_name(),
        annex.pt,
        cx.me,
        style.end
    );
    for i in 0..rng.random_range(2..=4) {
        let mode = if i == 0 { Mode::Past } else { Mode::Forward };
        out.push_str(style.indent);
        let target = rng.random_range(300..1500);
        paragraph(rng, &cx, topic, mode, target, false, out);
        out.push_str(style.end);
    }
    put!(out, "\n{}\n{}\n", annex.co_full, annex.date.written());
}
