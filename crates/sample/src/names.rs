//! The long tail of a reply's vocabulary: the villages, enterprises, schools, communities and
//! projects that real replies name once and never again (示范村, 某某科技有限公司, 安置小区).
//!
//! A generator that only composes topic vocabulary has a vocabulary that stops growing: at the
//! same number of words, its distinct words were half those of real official text
//! (`corpus_stats`, BENCHMARKS.md), so term dictionaries, document frequencies and posting
//! lengths would not look like a real collection's. These sentences add proper names made of
//! two name characters and a kind (兴华村, 鑫源环保科技有限公司), which jieba cuts into new
//! words, at the rate real replies cite examples.
//!
//! They draw from their own random stream (seeded from the reply's), so the rest of the reply
//! is the same as without them, and a name that contains a place name of the region table is
//! never used (it would read as a place).

use std::cell::RefCell;
use std::fmt::Write as _;

use rand::Rng as _;
use rand::SeedableRng;

use dafu_extract::region::RegionTable;

use crate::compose::{Rng, put};

/// Characters that names are made of (common in place, shop and school names).
const NAME_CHARS: &[char] = &[
    '兴', '华', '新', '安', '宏', '泰', '盛', '福', '和', '丰', '金', '银', '山', '水', '林', '河',
    '湖', '石', '桥', '岭', '坪', '塘', '湾', '溪', '源', '泉', '春', '秋', '阳', '明', '光', '辉',
    '荣', '昌', '隆', '顺', '利', '康', '乐', '宁', '平', '永', '长', '青', '松', '柏', '梅', '兰',
    '竹', '菊', '凤', '龙', '鹏', '云', '星', '德', '仁', '义', '信', '诚', '智', '博', '文', '胜',
    '嘉', '禾', '瑞', '祥', '鑫', '茂', '晟', '航', '达', '通', '远', '恒', '基', '实', '裕', '富',
    '庆', '祺', '珠', '玉', '宝', '锦', '绣', '秀', '美', '佳', '欣', '悦', '怡', '雅', '正', '中',
    '宇', '翔', '飞', '腾', '跃', '峰', '川', '田', '园', '庄', '岗', '沟', '坝', '埠', '渡', '口',
    '台', '湘', '枫', '柳', '杨', '桃', '李', '杏', '榆', '槐', '樟', '桂', '荷', '莲', '芙', '蓉',
    '旺', '发', '鸿', '运', '亨', '聚', '汇', '联', '合', '创', '立', '卓', '越', '精', '锐', '捷',
];

const INDUSTRIES: &[&str] = &[
    "科技",
    "农业发展",
    "食品",
    "物流",
    "建设",
    "环保科技",
    "医疗器械",
    "文化传媒",
    "电子商务",
    "新能源",
    "生物科技",
    "智能装备",
    "纺织",
    "新材料",
    "旅游开发",
    "供应链管理",
    "信息技术",
    "水产养殖",
    "茶业",
    "果蔬专业合作社",
];

const VILLAGE_DEEDS: &[&str] = &[
    "被评为省级美丽乡村示范村",
    "建成村级综合服务中心",
    "村集体经济收入突破百万元",
    "率先完成农村生活污水治理",
    "探索“党支部+合作社+农户”发展模式",
    "建成标准化村卫生室",
    "打造了特色民宿集群",
    "实现了自来水户户通",
];

const ENTERPRISE_DEEDS: &[&str] = &[
    "获评国家级高新技术企业",
    "新增就业岗位",
    "完成智能化技术改造",
    "建成省级企业技术中心",
    "带动周边农户增收",
    "入选省级专精特新企业名单",
    "产值同比增长",
    "获得首笔“科技贷”支持",
];

const FACILITIES: &[&str] = &[
    "小学",
    "中学",
    "幼儿园",
    "社区卫生服务中心",
    "养老服务中心",
    "社区",
    "文化礼堂",
    "农贸市场",
    "安置小区",
    "产业园",
    "污水处理厂",
    "便民服务中心",
];

const FACILITY_DEEDS: &[&str] = &[
    "已投入使用",
    "列入今年民生实事项目",
    "完成提升改造",
    "作为试点单位先行先试",
    "获评全省示范单位",
    "的做法被多家媒体报道",
];

/// The reply's own stream of names.
pub(crate) struct Names {
    rng: RefCell<Rng>,
}

impl Names {
    /// The stream of reply `index` of the corpus generated from `seed`.
    pub(crate) fn new(seed: u64, index: usize) -> Self {
        let mut rng = Rng::seed_from_u64(seed ^ 0x6e61_6d65_735f_7374);
        rng.set_stream(index as u64);
        Names {
            rng: RefCell::new(rng),
        }
    }

    /// Two name characters that do not contain a place name.
    fn name(rng: &mut Rng) -> String {
        loop {
            let a = NAME_CHARS[rng.random_range(0..NAME_CHARS.len())];
            let b = NAME_CHARS[rng.random_range(0..NAME_CHARS.len())];
            if a == b {
                continue;
            }
            let name: String = [a, b].into_iter().collect();
            if RegionTable::embedded().find_in(&name).is_empty() {
                return name;
            }
        }
    }

    fn pick(rng: &mut Rng, xs: &[&'static str]) -> &'static str {
        xs[rng.random_range(0..xs.len())]
    }

    /// With probability `p`, writes one sentence that names a village, enterprise or facility
    /// in one of `places` (the divisions below the reply's locale); returns the bytes written,
    /// which the caller leaves out of its length budget so the rest of the reply is unchanged.
    pub(crate) fn maybe_example(&self, p: f64, places: &[String], out: &mut String) -> usize {
        let before = out.len();
        let Ok(mut rng) = self.rng.try_borrow_mut() else {
            return 0;
        };
        let rng = &mut *rng;
        if rng.random::<f64>() >= p {
            return 0;
        }
        let place = if places.is_empty() {
            ""
        } else {
            places[rng.random_range(0..places.len())].as_str()
        };
        let lead = Self::pick(rng, &["其中，", "如", "例如，", ""]);
        match rng.random_range(0..4) {
            0 => {
                let (v, d) = (Self::name(rng), Self::pick(rng, VILLAGE_DEEDS));
                put!(out, "{lead}{place}{v}村{d}。");
            }
            1 => {
                let (e, i) = (Self::name(rng), Self::pick(rng, INDUSTRIES));
                let d = Self::pick(rng, ENTERPRISE_DEEDS);
                let suffix = if i.ends_with("合作社") {
                    ""
                } else {
                    "有限公司"
                };
                put!(out, "{lead}{e}{i}{suffix}{d}。");
            }
            2 => {
                let (f, kind) = (Self::name(rng), Self::pick(rng, FACILITIES));
                let d = Self::pick(rng, FACILITY_DEEDS);
                put!(out, "{lead}{place}{f}{kind}{d}。");
            }
            _ => {
                let (a, b) = (Self::name(rng), Self::name(rng));
                let n = rng.random_range(3..=40);
                put!(
                    out,
                    "{place}{a}村、{b}村等{n}个村（社区）已完成整村推进，群众满意度明显提升。"
                );
            }
        }
        out.len() - before
    }
}
