//! The fingerprint of a reply's text: the same reply published twice — as a web page and as
//! its PDF, or crawled again next month — has the same fingerprint, whatever its layout.
//!
//! Only the characters that carry content count: letters, digits and Chinese characters, with
//! full-width forms read as their ASCII counterparts and Latin letters in lower case. White
//! space, line breaks, punctuation and symbols (which formats render differently: a PDF's
//! wrapped lines, a page's non-breaking spaces, 〔〕 typed as [], “” as "") are left out. The
//! reply's title is left out too, wherever it stands: an article page shows it above the body,
//! the document itself below the letterhead.

use xxhash_rust::xxh3::xxh3_128;

use crate::normalize::is_separator;

/// The content characters of `text`, as the fingerprint reads them.
fn content(text: &str) -> String {
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
    // A match of UTF-8 bytes starts and ends on characters: the first one is the title's
    // first occurrence as characters.
    if let Some(title) = title.map(content).filter(|t| t.chars().count() >= 4)
        && let Some(at) = chars.find(&title)
    {
        chars.replace_range(at..at + title.len(), "");
    }
    digest(&chars)
}

/// XXH3-128 of the content characters' UTF-8, in one call (hashing them one at a time, as
/// fingerprints were first computed, gives the same value: the hash of the same bytes).
fn digest(content: &str) -> String {
    format!("{:032x}", xxh3_128(content.as_bytes()))
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Fingerprints are stored in indexes and compared with those of replies added later: a
    /// change of how they are computed must not change a value.
    #[test]
    fn fingerprints_are_pinned() {
        let text = "湖州市交通运输局\n关于第58号建议的答复\n沈代表：我局将于２０２４年底前完成改造，Ａ级。";
        assert_eq!(fingerprint(text), "97fa24cf4a18e12baa7588d040920b5c");
        assert_eq!(
            fingerprint_of_reply(text, Some("关于第58号建议的答复")),
            "6b529d95baabbc0ca7d5833a4ca0bfc5"
        );
        assert_eq!(fingerprint(""), "99aa06d3014798d86001c324468d497f");
    }
}
