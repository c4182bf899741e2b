//! The contacts a reply gives (联系人 and their 电话): the [`Contact`] type and its reader.

use std::sync::LazyLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

use super::common::{char_count, clean, is_han, looks_like_body, re};

/// A person to contact about the reply (联系人) and the telephone numbers given for them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Contact {
    /// The contact's name as written (masked names such as `田**` are kept); empty when the
    /// text gives numbers under a 联系人 label without a name.
    pub name: String,
    /// The numbers given for the contact, in order: landlines with or without 区号
    /// (`0571-87654321`, `83958966`), mobiles (`13800000000`), extensions (`87654321转8001`).
    /// Full-width digits and dashes are written in ASCII; fax numbers (传真) are not included.
    pub phones: Vec<String>,
}

/// How many characters after a 联系人 label are read: a contact line is short, and the bound
/// keeps the work linear on a pathological line.
const CONTACT_SEGMENT_MAX_CHARS: usize = 200;
/// At most this many contacts, and numbers per contact, are kept; real replies stay far below,
/// and the bounds keep merging linear on pathological input.
const MAX_CONTACTS: usize = 16;
const MAX_PHONES: usize = 8;

static CONTACT_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"联系人员?(?:及(?:其)?(?:联系)?(?:电话|方式))?(?:姓名)?(?:\s*[：:]|\s+)",
        "contact label",
    )
});
static CONTACT_TOKEN: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?x)
        (?P<phone_label>联系电话|办公电话|联系方式|手机号码|手机号|手机|移动电话|电话|座机|固话|(?i:tel|phone|mobile)\.?)
        |(?P<skip_label>传真|电子邮箱|电子邮件|邮箱|邮政编码|邮编|通讯地址|地址|(?i:fax|e-?mail|qq))
        |(?P<phone>[0-9](?:[0-9-]|转|分机)*[0-9])
        |(?P<name>[\p{Han}*＊×·]+)
        |(?P<sep>[；;，,])
        ",
        "contact token",
    )
});
static PHONE_LABEL_INSIDE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"联系电话|办公电话|联系方式|手机|移动电话|电话|座机|固话|传真|电子邮箱|电子邮件|邮箱|邮政编码|邮编|通讯地址|地址",
        "label inside a name",
    )
});
static PHONE_LINE_START: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^[（(]?\s*(?:联系电话|办公电话|联系方式|手机号码|手机号|手机|移动电话|电话|座机|固话|(?i:tel|phone|mobile))",
        "phone line",
    )
});
static PHONE_VALID: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^(?:(?:0[0-9]{2,3}-?)?[0-9]{7,8}|1[3-9][0-9]{9}|[48]00-?[0-9]{3}-?[0-9]{4})(?:(?:-|转|分机)[0-9]{1,6})?$",
        "phone",
    )
});
static AREA_CODE_IN_BRACKETS: LazyLock<Regex> =
    LazyLock::new(|| re(r"[（(]\s*(0[0-9]{2,3})\s*[）)]\s*", "area code"));

/// Full-width digits and dashes to ASCII, `(0571)87654321` to `0571-87654321`.
fn fold_phone_text(s: &str) -> String {
    let folded: String = s
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '－' | '—' | '–' | '‐' | '‑' | '−' => '-',
            _ => c,
        })
        .collect();
    AREA_CODE_IN_BRACKETS
        .replace_all(&folded, "$1-")
        .into_owned()
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum ContactMode {
    /// Names and numbers are read.
    Reading,
    /// After 传真/邮箱/地址: everything up to the next separator is skipped.
    Skipping,
}

/// Reads the contacts given in one or more segments of text that follow a 联系人 label.
struct ContactReader {
    contacts: Vec<Contact>,
    /// The contact the next number belongs to (an index into `contacts`).
    current: Option<usize>,
}

impl ContactReader {
    fn new() -> Self {
        Self {
            contacts: Vec::new(),
            current: None,
        }
    }

    fn start_segment(&mut self) {
        self.current = None;
    }

    fn add_phone(&mut self, phone: &str) {
        let index = match self.current {
            Some(i) => i,
            None => {
                if self.contacts.len() >= MAX_CONTACTS {
                    return;
                }
                self.contacts.push(Contact {
                    name: String::new(),
                    phones: Vec::new(),
                });
                let i = self.contacts.len() - 1;
                self.current = Some(i);
                i
            }
        };
        if let Some(contact) = self.contacts.get_mut(index)
            && contact.phones.len() < MAX_PHONES
            && !contact.phones.iter().any(|p| p == phone)
        {
            contact.phones.push(phone.to_string());
        }
    }

    fn add_name(&mut self, name: &str) {
        let name = name.strip_suffix("同志").unwrap_or(name);
        let n = char_count(name);
        let valid = (2..=6).contains(&n)
            && name.chars().any(is_han)
            && !(n >= 4 && looks_like_body(name))
            && !["办公室", "联系", "号码", "女士", "先生"].contains(&name);
        if !valid || self.contacts.len() >= MAX_CONTACTS {
            return;
        }
        self.contacts.push(Contact {
            name: name.to_string(),
            phones: Vec::new(),
        });
        self.current = Some(self.contacts.len() - 1);
    }

    /// Reads one segment (already cut at the next 联系人 label).
    fn read(&mut self, segment: &str) {
        let bounded = segment
            .char_indices()
            .nth(CONTACT_SEGMENT_MAX_CHARS)
            .map_or(segment, |(end, _)| segment.get(..end).unwrap_or(segment));
        let segment = fold_phone_text(bounded);
        let mut mode = ContactMode::Reading;
        let mut pos = 0;
        while let Some(caps) = CONTACT_TOKEN.captures_at(&segment, pos) {
            let Some(whole) = caps.get(0) else { break };
            if whole.end() <= pos {
                break;
            }
            pos = whole.end();
            if caps.name("phone_label").is_some() || caps.name("sep").is_some() {
                mode = ContactMode::Reading;
            } else if caps.name("skip_label").is_some() {
                mode = ContactMode::Skipping;
            } else if mode == ContactMode::Skipping {
                continue;
            } else if let Some(phone) = caps.name("phone") {
                if PHONE_VALID.is_match(phone.as_str()) {
                    self.add_phone(phone.as_str());
                }
            } else if let Some(name) = caps.name("name") {
                // "张三电话：…" comes as one run of ideographs: the name ends at the label.
                match PHONE_LABEL_INSIDE.find(name.as_str()) {
                    Some(label) if label.start() > 0 => {
                        self.add_name(&name.as_str()[..label.start()]);
                        pos = name.start() + label.start();
                    }
                    _ => self.add_name(name.as_str()),
                }
            }
        }
    }

    fn has_phones(&self) -> bool {
        self.contacts.iter().any(|c| !c.phones.is_empty())
    }

    fn finish(self) -> Vec<Contact> {
        let mut out: Vec<Contact> = Vec::new();
        for contact in self.contacts {
            if contact.phones.is_empty() && contact.name.is_empty() {
                continue;
            }
            match out
                .iter_mut()
                .find(|c| !contact.name.is_empty() && c.name == contact.name)
            {
                Some(existing) => {
                    for phone in contact.phones {
                        if !existing.phones.contains(&phone) {
                            existing.phones.push(phone);
                        }
                    }
                }
                None => out.push(contact),
            }
        }
        out
    }
}

/// The contacts a reply gives (联系人 with 电话/联系电话/手机/Tel), usually in parentheses
/// under the signature: `（联系人：田**   电话：89152032,13804460999）`,
/// `（联系人：郑希羚，联系电话：83958966）`, `联系人及电话：张三 13800000000`.
///
/// Several people on one line or on several lines each become a [`Contact`]; numbers on the
/// line after a bare `联系人：张三` belong to 张三. Numbers without a 联系人 label (hotlines in
/// the body) are not contacts.
///
/// ```
/// use dafu_extract::paperwork::contacts;
/// let found = contacts("某某局\n（联系人：王五，联系电话：0571-87654321、13800000000）");
/// assert_eq!(found.len(), 1);
/// assert_eq!(found[0].name, "王五");
/// assert_eq!(found[0].phones, ["0571-87654321", "13800000000"]);
/// ```
pub fn contacts(text: &str) -> Vec<Contact> {
    let lines: Vec<&str> = text.lines().map(clean).collect();
    let mut reader = ContactReader::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        i += 1;
        let labels: Vec<(usize, usize)> = CONTACT_LABEL
            .find_iter(line)
            .map(|m| (m.start(), m.end()))
            .collect();
        if labels.is_empty() {
            continue;
        }
        let before = reader.contacts.len();
        for (k, &(_, end)) in labels.iter().enumerate() {
            let stop = labels.get(k + 1).map_or(line.len(), |&(start, _)| start);
            reader.start_segment();
            reader.read(line.get(end..stop).unwrap_or(""));
        }
        // "联系人：张三" with the numbers on the following line(s).
        let new_ones = reader.contacts.get(before..).unwrap_or(&[]);
        if !new_ones.is_empty() && new_ones.iter().all(|c| c.phones.is_empty()) {
            while let Some(next) = lines.get(i).copied() {
                if next.is_empty() {
                    i += 1;
                    continue;
                }
                if !PHONE_LINE_START.is_match(next) {
                    break;
                }
                reader.read(next);
                i += 1;
            }
        }
    }
    if !reader.has_phones() && reader.contacts.iter().all(|c| c.name.is_empty()) {
        return Vec::new();
    }
    reader.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::paperwork::common::fixtures::{contact, reply};

    #[test]
    fn contact_in_parentheses_with_two_numbers() {
        let text = reply(
            "张三代表：",
            "（联系人：李**\u{a0}\u{a0} 电话：87650001,13912345678）",
        );
        assert_eq!(
            contacts(&text),
            [contact("李**", &["87650001", "13912345678"])]
        );
    }

    #[test]
    fn contact_with_area_code_and_comma_label() {
        let text = "联系人：张三，联系电话：0571-87654321";
        assert_eq!(contacts(text), [contact("张三", &["0571-87654321"])]);
        let text = "（联系人：张三；联系电话：（0571）87654321）";
        assert_eq!(contacts(text), [contact("张三", &["0571-87654321"])]);
        let text = "联系人：张三  电话：０５７１－８７６５４３２１";
        assert_eq!(contacts(text), [contact("张三", &["0571-87654321"])]);
    }

    #[test]
    fn contact_numbers_with_every_separator() {
        let text =
            "联系人：王五 电话：87650001、13800000001，0571-87650002/13800000002；87650003 转 12";
        let found = contacts(text);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].name, "王五");
        assert_eq!(
            found[0].phones,
            [
                "87650001",
                "13800000001",
                "0571-87650002",
                "13800000002",
                "87650003"
            ]
        );
        let text = "联系人：王五，电话：87650003转8001";
        assert_eq!(contacts(text), [contact("王五", &["87650003转8001"])]);
    }

    #[test]
    fn contact_and_phone_label_together() {
        assert_eq!(
            contacts("联系人及电话：张三 13800000000"),
            [contact("张三", &["13800000000"])]
        );
        assert_eq!(
            contacts("联系人及联系方式：张三，13800000000"),
            [contact("张三", &["13800000000"])]
        );
        assert_eq!(
            contacts("联系人：张三手机：13800000000"),
            [contact("张三", &["13800000000"])]
        );
    }

    #[test]
    fn two_contacts() {
        let one_line = "（联系人：张三，电话：87650001；李四，电话：87650002）";
        let expected = [
            contact("张三", &["87650001"]),
            contact("李四", &["87650002"]),
        ];
        assert_eq!(contacts(one_line), expected);
        let two_lines = "联系人：张三 87650001\n联系人：李四 87650002";
        assert_eq!(contacts(two_lines), expected);
        let spaced = "联系人：张三 87650001、李四 87650002";
        assert_eq!(contacts(spaced), expected);
    }

    #[test]
    fn contact_not_in_parentheses_with_numbers_on_next_line() {
        let text = "某某局\n联系人：赵六\n联系电话：0573-82220000\n传真：0573-82220001\n";
        assert_eq!(contacts(text), [contact("赵六", &["0573-82220000"])]);
        let text = "联系人：赵六\nTel: 0573-82220000";
        assert_eq!(contacts(text), [contact("赵六", &["0573-82220000"])]);
    }

    #[test]
    fn contact_with_tel_fax_and_department() {
        let text = "联系人：社会组织管理处 赵六  Tel:0573-82220000  Fax:0573-82220001";
        assert_eq!(contacts(text), [contact("赵六", &["0573-82220000"])]);
        let text = "联系人：赵六，电话：82220000，地址：某市某路100号，邮编：314000";
        assert_eq!(contacts(text), [contact("赵六", &["82220000"])]);
    }

    #[test]
    fn no_contacts_without_a_label() {
        assert!(contacts("").is_empty());
        assert!(contacts("请拨打服务热线电话：12345或87650000咨询。").is_empty());
        assert!(contacts("各单位要明确一名联系人，负责日常联络。").is_empty());
    }

    #[test]
    fn contact_serializes_with_field_names() {
        let json = serde_json::to_string(&contact("张三", &["87650001"]))
            .unwrap_or_else(|e| panic!("serialize: {e}"));
        assert_eq!(json, r#"{"name":"张三","phones":["87650001"]}"#);
    }
}
