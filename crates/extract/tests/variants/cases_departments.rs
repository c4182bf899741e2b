//! The issuing department: short forms with a generic prefix (省人社厅, 市住建局) expanded with
//! the place (from the 文号 abbreviation or the title) and the alias table; full names kept as
//! written; joint signatures on one line; a red-header issuer with no signature.

use crate::{Case, case};

pub fn cases() -> Vec<Case> {
    vec![
        case(
            "dept_short_province_via_doc_number_jilin",
            &[
                "吉人社函〔2021〕33号",
                "对省十三届人大四次会议第0123号建议的答复",
                "孟**代表：",
                "　　您提出的《关于完善高校毕业生就业扶持政策的建议》收悉，现答复如下：我厅将扩大就业见习岗位募集规模。",
                "省人社厅",
                "2021年6月30日",
            ],
            expect! {
                "/doc_number" => "吉人社函〔2021〕33号",
                "/assembly" => "npc", "/level" => "province",
                "/department" => "吉林省人力资源和社会保障厅",
                "region" => ["吉林省", "220000", null, null, null, null],
                "/date" => "2021-06-30",
            },
        ),
        case(
            "dept_short_city_via_doc_number_shaoxing_housing",
            &[
                "绍建函〔2022〕17号",
                "对市九届人大一次会议第77号建议的答复",
                "蒋**代表：",
                "　　您提出的《关于加快城镇老旧小区改造的建议》收悉，现答复如下：今年全市计划改造老旧小区60个。",
                "市住建局",
                "2022年6月14日",
            ],
            expect! {
                "/level" => "city",
                "/department" => "绍兴市住房和城乡建设局",
                "region" => ["浙江省", "330000", "绍兴市", "330600", null, null],
                "/date" => "2022-06-14",
            },
        ),
        case(
            "dept_short_city_via_title_ningbo_health",
            &[
                "关于政协宁波市十六届一次会议第88号提案的答复",
                "应**委员：",
                "　　您提出的《关于加强基层医疗卫生人才队伍建设的提案》收悉，现答复如下：我委将实施基层卫生人才定向培养计划。",
                "市卫健委",
                "2022年6月24日",
            ],
            expect! {
                "/doc_number" => null,
                "/assembly" => "cppcc", "/level" => "city",
                "session" => [16, 1, "十六届一次会议"],
                "/department" => "宁波市卫生健康委员会",
                "region" => ["浙江省", "330000", "宁波市", "330200", null, null],
                "/date" => "2022-06-24",
            },
        ),
        case(
            "dept_short_province_via_title_guangdong_drc",
            &[
                "关于政协广东省十二届五次会议第0301号提案的答复",
                "梁**委员：",
                "　　您提出的《关于推动粤东西北地区产业转移的提案》收悉，现答复如下：我委将完善产业有序转移协作机制。",
                "省发改委",
                "2022年6月29日",
            ],
            expect! {
                "/assembly" => "cppcc", "/level" => "province",
                "session" => [12, 5, "十二届五次会议"],
                "/department" => "广东省发展和改革委员会",
                "region" => ["广东省", "440000", null, null, null, null],
                "/date" => "2022-06-29",
            },
        ),
        case(
            "dept_short_market_regulation_wenzhou",
            &[
                "温市监函〔2022〕9号",
                "对市十四届人大一次会议第142号建议的答复",
                "潘**代表：",
                "　　您提出的《关于加强校园周边食品安全监管的建议》收悉，现答复如下：我局将开展校园周边食品安全专项整治。",
                "市市场监管局",
                "2022年6月9日",
            ],
            expect! {
                "/doc_number" => "温市监函〔2022〕9号",
                "/level" => "city",
                "/department" => "温州市市场监督管理局",
                "region" => ["浙江省", "330000", "温州市", "330300", null, null],
                "/date" => "2022-06-09",
            },
        ),
        case(
            "dept_short_transport_jiangsu",
            &[
                "苏交函〔2021〕67号",
                "对省十三届人大四次会议第0612号建议的答复",
                "陆**代表：",
                "　　您提出的《关于加快苏北地区高速公路建设的建议》收悉，现答复如下：我厅将加快推进沿海高速扩容工程。",
                "省交通厅",
                "2021年7月2日",
            ],
            expect! {
                "/level" => "province",
                "/department" => "江苏省交通运输厅",
                "region" => ["江苏省", "320000", null, null, null, null],
                "/date" => "2021-07-02",
            },
        ),
        case(
            "dept_short_culture_tourism_zhejiang",
            &[
                "浙文旅函〔2022〕40号",
                "对省政协十二届五次会议第185号提案的答复",
                "叶**委员：",
                "　　您提出的《关于推动乡村旅游高质量发展的提案》收悉，现答复如下：我厅将培育一批乡村旅游重点村。",
                "省文旅厅",
                "2022年6月23日",
            ],
            expect! {
                "/assembly" => "cppcc", "/level" => "province",
                "/department" => "浙江省文化和旅游厅",
                "region" => ["浙江省", "330000", null, null, null, null],
                "/date" => "2022-06-23",
            },
        ),
        case(
            "dept_short_medical_security_zhejiang",
            &[
                "浙医保函〔2022〕21号",
                "对省十三届人大五次会议第0733号建议的答复",
                "方**代表：",
                "　　您提出的《关于扩大门诊慢特病保障范围的建议》收悉，现答复如下：我局将研究调整门诊慢特病病种目录。",
                "省医保局",
                "2022年6月16日",
            ],
            expect! {
                "/department" => "浙江省医疗保障局",
                "region" => ["浙江省", "330000", null, null, null, null],
                "/date" => "2022-06-16",
            },
        ),
        case(
            "dept_short_industry_guangdong",
            &[
                "粤工信函〔2021〕102号",
                "对省十三届人大四次会议第1105号建议的答复",
                "黎**代表：",
                "　　您提出的《关于支持中小企业数字化转型的建议》收悉，现答复如下：我厅将开展中小企业数字化转型试点。",
                "省工信厅",
                "2021年6月18日",
            ],
            expect! {
                "/level" => "province",
                "/department" => "广东省工业和信息化厅",
                "region" => ["广东省", "440000", null, null, null, null],
                "/date" => "2021-06-18",
            },
        ),
        case(
            "dept_short_science_zhejiang",
            &[
                "浙科函〔2022〕55号",
                "对省政协十二届五次会议第204号提案的答复",
                "韩**委员：",
                "　　您提出的《关于加强科技型中小企业培育的提案》收悉，现答复如下：我厅将实施科技企业“双倍增”行动。",
                "省科技厅",
                "2022年6月21日",
            ],
            expect! {
                "/department" => "浙江省科学技术厅",
                "region" => ["浙江省", "330000", null, null, null, null],
                "/date" => "2022-06-21",
            },
        ),
        case(
            "dept_short_municipality_beijing_drc",
            &[
                "京发改函〔2023〕12号",
                "对市十六届人大一次会议第0412号建议的答复",
                "高**代表：",
                "　　您提出的《关于优化营商环境的建议》收悉，现答复如下：我委将持续深化“放管服”改革。",
                "市发改委",
                "2023年6月21日",
            ],
            expect! {
                "/level" => "province",
                "/department" => "北京市发展和改革委员会",
                "region" => ["北京市", "110000", null, null, null, null],
                "/date" => "2023-06-21",
            },
        ),
        case(
            "dept_joint_short_signature_first_expanded",
            &[
                "绍教函〔2021〕14号",
                "对市八届人大五次会议第39号建议的答复",
                "董**代表：",
                "　　您提出的《关于加强中小学心理健康教育的建议》收悉，现答复如下：全市中小学将于年内实现专职心理教师全覆盖。",
                "市教育局　　市财政局",
                "2021年6月11日",
            ],
            expect! {
                "/level" => "city",
                "/department" => "绍兴市教育局",
                "region" => ["浙江省", "330000", "绍兴市", "330600", null, null],
                "/date" => "2021-06-11",
            },
        ),
        case(
            "dept_joint_full_names_one_line",
            &[
                "嘉政民函〔2022〕22号",
                "关于市九届人大一次会议第160号建议的答复",
                "屠**代表：",
                "　　您提出的《关于提高困难残疾人生活补贴标准的建议》收悉，现答复如下：我市将建立残疾人两项补贴标准动态调整机制。",
                "嘉兴市民政局　　嘉兴市财政局",
                "2022年6月29日",
            ],
            expect! {
                "/proposal_number" => "160",
                "/department" => "嘉兴市民政局",
                "region" => ["浙江省", "330000", "嘉兴市", "330400", null, null],
                "/date" => "2022-06-29",
            },
        ),
        case(
            "dept_red_header_without_signature",
            &[
                "浙江省交通运输厅文件",
                "",
                "浙交函〔2022〕58号",
                "",
                "对省十三届人大五次会议第0418号建议的答复",
                "邵**代表：",
                "　　您提出的《关于加快海岛交通基础设施建设的建议》收悉，现答复如下：我厅将加快推进舟山海岛公路联网工程。",
                "",
                "2022年6月15日",
                "（此件公开发布）",
            ],
            expect! {
                "/doc_number" => "浙交函〔2022〕58号",
                "/level" => "province",
                "/department" => "浙江省交通运输厅",
                "region" => ["浙江省", "330000", null, null, null, null],
                "/date" => "2022-06-15",
            },
        ),
    ]
}
