//! Extraction never panics, whatever it is given, and gives the same answer twice: proptest
//! over arbitrary strings, over strings built from the characters replies are made of, and
//! over replies mangled by deleting, repeating and cutting their lines.

use dafu_extract::{Extractor, ReplyFields};
use proptest::prelude::*;

/// A reply of our own in the real form: red header, 文号, title, addressee, body with a
/// commitment, signature, date, contacts, 抄送.
const REPLY: &str = "嘉兴市民政局文件\n\n嘉政民函〔2021〕12号\n\n对市九届人大一次会议第0087号建议的答复\n\n\
张**代表：\n\n　　您提出的《关于加强社区养老服务的建议》收悉，综合会办单位意见，现答复如下：\n\n\
\u{3000}\u{3000}一、工作开展情况\n　　2020年全市新建社区养老服务中心12家，累计服务老年人3万余人次。\n\n\
\u{3000}\u{3000}二、下一步工作打算\n　　1、我局将进一步加大资金投入，2021年底前新建居家养老服务站不少于20家。\n\
\u{3000}\u{3000}2、探索建立养老服务人才培训机制，每年培训护理员不少于500人次。\n\n\
\u{3000}\u{3000}附件：《嘉兴市财政局关于市九届人大一次会议第0087号建议的会办意见》\n\n\
嘉兴市民政局\n2021年6月18日\n（联系人：李**，联系电话：0573-82345678）\n\n抄送：市人大常委会办公室、市政府办公室。\n";

fn extractor() -> &'static Extractor {
    static E: std::sync::OnceLock<Extractor> = std::sync::OnceLock::new();
    E.get_or_init(|| match Extractor::embedded() {
        Ok(e) => e,
        Err(e) => panic!("embedded extraction data: {e}"),
    })
}

/// Checks that must hold for any input.
fn check(text: &str) -> Result<ReplyFields, TestCaseError> {
    let fields = extractor().extract(text);
    prop_assert_eq!(
        &fields,
        &extractor().extract(text),
        "extraction is not deterministic"
    );
    let chars: Vec<char> = text.chars().collect();
    for c in &fields.commitments {
        prop_assert!(
            c.start <= c.end && c.end <= chars.len(),
            "commitment offsets out of range"
        );
        let slice: String = chars[c.start..c.end].iter().collect();
        prop_assert_eq!(&slice, &c.text, "commitment offsets do not slice its text");
    }
    if let Some(y) = fields.year {
        prop_assert!((1900..=2100).contains(&y), "year {}", y);
    }
    Ok(fields)
}

/// Characters replies are made of, weighted towards the ones the extractor looks for.
fn reply_char() -> impl Strategy<Value = char> {
    prop_oneof![
        4 => prop::sample::select("对关于省市县区政协人大届次会议第号建议提案的答复函会办协办意见厅局委代表委员：:，。、；（）()〔〕[]【】《》〈〉年月日0123456789０１２３４５６７８９一二三四五六七八九十〇附件抄送联系人电话将拟不少于吉林嘉兴鼓楼 \n\u{3000}".chars().collect::<Vec<_>>()),
        1 => any::<char>(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_never_panics(text in any::<String>()) {
        check(&text)?;
    }

    #[test]
    fn reply_like_text_never_panics(chars in prop::collection::vec(reply_char(), 0..600)) {
        check(&chars.into_iter().collect::<String>())?;
    }

    #[test]
    fn mangled_replies_never_panic(
        ops in prop::collection::vec((0usize..64, 0usize..64, 0u8..4), 0..12),
        cut in 0usize..2000,
    ) {
        let mut lines: Vec<String> = REPLY.lines().map(str::to_string).collect();
        for (a, b, op) in ops {
            if lines.is_empty() {
                break;
            }
            let (a, b) = (a % lines.len(), b % lines.len());
            match op {
                0 => { lines.remove(a); }
                1 => { let l = lines[a].clone(); lines.insert(b, l); }
                2 => lines.swap(a, b),
                // Cut a line in the middle of a character sequence.
                _ => {
                    let keep = lines[a].chars().count() / 2;
                    lines[a] = lines[a].chars().take(keep).collect();
                }
            }
        }
        let text: String = lines.join("\n").chars().take(cut).collect();
        check(&text)?;
    }
}

#[test]
fn our_reply_reads_whole() {
    let f = extractor().extract(REPLY);
    assert_eq!(f.proposal_number.as_deref(), Some("0087"));
    assert_eq!(
        f.session.as_ref().and_then(|s| s.key()).as_deref(),
        Some("9-1")
    );
    assert_eq!(f.region.province.as_deref(), Some("浙江省"));
    assert_eq!(f.proposer.as_deref(), Some("张**"));
    assert_eq!(f.co_departments, vec!["嘉兴市财政局".to_string()]);
    assert_eq!(f.cc, vec!["市人大常委会办公室", "市政府办公室"]);
    assert!(f.warnings.is_empty(), "{:?}", f.warnings);
}

#[test]
fn real_replies_mangled_never_panic() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus/seeds");
    let Ok(entries) = std::fs::read_dir(dir) else {
        eprintln!("note: ../shared/corpus/seeds is absent; skipping");
        return;
    };
    for entry in entries.flatten() {
        let Ok(bytes) = std::fs::read(entry.path()) else {
            continue;
        };
        let Ok(decoded) = dafu_extract::decode::decode(&bytes) else {
            continue;
        };
        let chars: Vec<char> = decoded.text.chars().collect();
        // Every prefix and suffix cut at 97-character steps, and the text without each line.
        for cut in (0..chars.len()).step_by(97) {
            let head: String = chars[..cut].iter().collect();
            let tail: String = chars[cut..].iter().collect();
            extractor().extract(&head);
            extractor().extract(&tail);
        }
        let lines: Vec<&str> = decoded.text.lines().collect();
        for skip in 0..lines.len() {
            let text: Vec<&str> = lines
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != skip)
                .map(|(_, l)| *l)
                .collect();
            let text = text.join("\n");
            assert_eq!(extractor().extract(&text), extractor().extract(&text));
        }
    }
}
