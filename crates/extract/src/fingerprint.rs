//! The fingerprint of a reply's text: the same reply published twice — as a web page and as
//! its PDF, or crawled again next month — has the same fingerprint, whatever its layout.
//!
//! Only the characters that carry content count: letters, digits and Chinese characters, with
//! full-width forms read as their ASCII counterparts and Latin letters in lower case. White
//! space, line breaks, punctuation and symbols (which formats render differently: a PDF's
//! wrapped lines, a page's non-breaking spaces, 〔〕 typed as [], “” as "") are left out. The
//! reply's title is left out too, wherever it stands: an article page shows it above the body,
//! the document itself below the letterhead.

use xxhash_rust::xxh3::Xxh3;

use crate::normalize::is_separator;

/// The content characters of `text`, as the fingerprint reads them.
fn content(text: &str) -> Vec<char> {
    text.chars()
        .map(|c| match c {
            // Full-width ASCII forms (Ｆ, ５) are their ASCII letters and digits.
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        // `is_separator` is `!char::is_alphanumeric` with fast paths for Chinese text.
        .filter(|&c| !is_separator(c))
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// [`fingerprint`] of a reply whose title is `title`: the title's first occurrence is left
/// out, so a copy that prints the title elsewhere has the same fingerprint.
///
/// ```
/// use dafu_extract::fingerprint::fingerprint_of_reply;
/// let title = "关于第58号建议的答复";
/// let document = "湖州市交通运输局\n关于第58号建议的答复\n沈代表：我局将完成改造。";
/// let page = "关于第58号建议的答复\n湖州市交通运输局\n沈代表：我局将完成改造。";
/// assert_eq!(fingerprint_of_reply(document, Some(title)), fingerprint_of_reply(page, Some(title)));
/// ```
pub fn fingerprint_of_reply(text: &str, title: Option<&str>) -> String {
    let mut chars = content(text);
    if let Some(title) = title.map(content).filter(|t| t.len() >= 4)
        && let Some(at) = chars
            .windows(title.len())
            .position(|w| w == title.as_slice())
    {
        chars.drain(at..at + title.len());
    }
    digest(&chars)
}

fn digest(chars: &[char]) -> String {
    let mut hasher = Xxh3::new();
    let mut buf = [0u8; 4];
    for c in chars {
        hasher.update(c.encode_utf8(&mut buf).as_bytes());
    }
    format!("{:032x}", hasher.digest128())
}

/// A reply text's fingerprint, as 32 hexadecimal digits (XXH3-128 of its content characters).
///
/// ```
/// use dafu_extract::fingerprint::fingerprint;
/// let html = "关于第58号建议的答复\n我局将于2024年底前完成改造。";
/// let pdf = "关于第５８号建议的答复\n\n我局将于 2024 年底前完成\n改造．";
/// assert_eq!(fingerprint(html), fingerprint(pdf));
/// assert_ne!(fingerprint(html), fingerprint("关于第59号建议的答复\n我局将于2024年底前完成改造。"));
/// ```
pub fn fingerprint(text: &str) -> String {
    digest(&content(text))
}
