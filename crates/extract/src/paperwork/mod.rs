//! The people and paperwork around a reply: the proposer it answers (提案人/代表), the contacts
//! it gives (联系人, 电话), its 抄送 list, its attachments (附件) and the co-handling bodies
//! (会办/协办单位) it names.
//!
//! A reply is laid out as an official document (公文), and these fields sit in fixed places:
//!
//! ```text
//! 对市八届人大五次会议第124号建议的答复          title
//! 嘉政民函〔2020〕8号                           文号
//! 张三代表：                                    addressee line  -> proposer
//!     您提出的《……》收悉，……现答复如下：         body (may say "由市财政局、市人社局会办")
//!     ……
//! 附件：1.市财政局关于……的会办意见               attachments (a co-handling reply names a body)
//! 嘉兴市某某局
//! 2020年8月18日
//! （联系人：李四，联系电话：0573-87654321）      contacts
//! 抄送：市委办公室、市政府办公室。               cc
//! 附件                                          an attached document follows: its title lines
//! 市财政局关于……的会办意见
//! ```
//!
//! The real texts vary in every detail: lines are indented with full-width (U+3000), ASCII or
//! no-break spaces; punctuation comes full-width or half-width (`：` `:`, `，` `,`, `（` `(`);
//! the addressee is written `魏**：`, `尊敬的张三委员：`, `李四、王五代表：` or `张三等5位代表：`,
//! masked names (`张*`, `魏**`) are kept as written; a contact may give several numbers separated
//! by `、`, `,`, `/` or `；`, with or without a 区号; long 抄送 lists wrap onto the next line.
//!
//! Every function here reads only what the text says: when a field is not written, the result is
//! empty (`None` / no items), never a guess. All of them run in time linear in the text and
//! accept any input without panicking.

mod attachments;
mod cc;
mod co_handling;
mod common;
mod contacts;
mod proposer;

pub use attachments::attachments;
pub use cc::cc;
pub use co_handling::co_handling_mentions;
pub use contacts::{Contact, contacts};
pub use proposer::{proposer, proposers};

#[cfg(test)]
mod tests {
    use super::*;
    use common::fixtures::contact;

    #[test]
    fn odd_inputs_do_not_panic() {
        let inputs = [
            "",
            "\n\n\n",
            "：",
            "附件",
            "附件：",
            "附件：1.",
            "附件：《",
            "附件：》《",
            "抄送：",
            "抄送：（（（",
            "联系人：",
            "联系人：电话：",
            "联系人 1",
            "由会办",
            "会办单位：",
            "\u{feff}张三代表：\r\n抄送：甲。\r\n",
            "魏**：\n附件\n\n\n",
            "👍代表：\n联系人：👍 电话：13800000000",
        ];
        for input in inputs {
            let _ = proposers(input);
            let _ = contacts(input);
            let _ = cc(input);
            let _ = attachments(input);
            let _ = co_handling_mentions(input);
        }
        assert_eq!(cc("\u{feff}张三代表：\r\n抄送：甲。\r\n"), ["甲"]);
        assert_eq!(proposer("\u{feff}张三代表：\r\n"), Some("张三".to_string()));
    }

    // --- the two real replies (read in place, never copied into the project) -------------

    fn seed(file: &str) -> Option<String> {
        let path = format!(
            "{}/../../../shared/corpus/seeds/{file}",
            env!("CARGO_MANIFEST_DIR")
        );
        match std::fs::read_to_string(&path) {
            Ok(text) => Some(text),
            Err(e) => {
                eprintln!("skipping seed {path}: {e}");
                None
            }
        }
    }

    #[test]
    fn real_replies_match_the_golden_fields() {
        if let Some(text) = seed("000_f816d77ca6acb2ac.txt") {
            assert_eq!(proposer(&text).as_deref(), Some("魏**"));
            assert_eq!(
                contacts(&text),
                [contact("田**", &["89152032", "13804460999"])]
            );
            assert!(cc(&text).is_empty());
            let found = attachments(&text);
            assert!(
                found
                    .iter()
                    .any(|a| a.contains("进一步加强协会商会等社会组织人才队伍建设提案")),
                "{found:?}"
            );
            assert_eq!(co_handling_mentions(&text), ["省人社厅"]);
        }
        if let Some(text) = seed("004_c8affcde4ae63ebc.txt") {
            assert_eq!(proposer(&text).as_deref(), Some("仇宇斐"));
            assert_eq!(contacts(&text), [contact("郑希羚", &["83958966"])]);
            assert_eq!(
                cc(&text),
                [
                    "市委办公室",
                    "市人大常委会办公室",
                    "市政府办公室",
                    "市委宣传部",
                    "市卫健委",
                    "市应急管理局",
                    "市财政局",
                    "市公安局",
                    "嘉善县人大"
                ]
            );
            assert!(attachments(&text).is_empty());
            assert!(co_handling_mentions(&text).is_empty());
        }
    }
}
