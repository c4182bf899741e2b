//! Extraction of the fields of a reply, over any text: it never panics, gives the same answer
//! twice, and every commitment's character offsets slice exactly its text (what the reply view
//! and citations rely on). The input is read as UTF-8, lossily, and also through
//! `decode::decode` (GBK and UTF-16 bytes included), the way the indexer reads files.

use std::sync::OnceLock;

use dafu_extract::Extractor;
use dafu_extract::decode::decode;

fn extractor() -> &'static Extractor {
    static EXTRACTOR: OnceLock<Extractor> = OnceLock::new();
    EXTRACTOR.get_or_init(|| match Extractor::embedded() {
        Ok(e) => e,
        Err(e) => panic!("embedded extraction data: {e}"),
    })
}

fn check_text(text: &str) {
    let fields = extractor().extract(text);
    assert_eq!(
        fields,
        extractor().extract(text),
        "extraction is not deterministic"
    );
    let chars: Vec<char> = text.chars().collect();
    for c in &fields.commitments {
        assert!(
            c.start <= c.end && c.end <= chars.len(),
            "commitment {}..{} in a text of {} characters",
            c.start,
            c.end,
            chars.len()
        );
        let slice: String = chars[c.start..c.end].iter().collect();
        assert_eq!(slice, c.text, "commitment offsets do not slice its text");
    }
    if let Some(y) = fields.year {
        assert!((1900..=2100).contains(&y), "year {y}");
    }
}

/// Checks one input; panics on a broken promise.
pub fn check(data: &[u8]) {
    let lossy = String::from_utf8_lossy(data);
    check_text(&lossy);
    if let Ok(decoded) = decode(data)
        && decoded.text != lossy
    {
        check_text(&decoded.text);
    }
}
