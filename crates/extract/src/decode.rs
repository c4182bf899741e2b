//! Raw bytes to text: UTF-8 (with or without BOM), UTF-16 with BOM, and GB18030/GBK, which is
//! how many government sites still export plain text.

use encoding_rs::{Encoding, GB18030, UTF_8};

use crate::error::ExtractError;

/// The text of a document and the encoding it was read as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    /// The WHATWG name of the encoding, e.g. `UTF-8` or `gb18030`.
    pub encoding: &'static str,
}

/// Decodes a document's bytes, refusing empty input and binary data.
///
/// ```
/// use dafu_extract::decode::decode;
/// let (gbk, _, _) = encoding_rs::GBK.encode("对市八届人大五次会议第124号建议的答复");
/// let d = decode(&gbk).unwrap();
/// assert_eq!(d.text, "对市八届人大五次会议第124号建议的答复");
/// assert_eq!(d.encoding, "gb18030");
/// ```
pub fn decode(bytes: &[u8]) -> Result<Decoded, ExtractError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ExtractError::Empty);
    }
    let (text, encoding) = if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let (text, had_errors) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        if had_errors {
            return Err(ExtractError::NotText(format!(
                "invalid {} after a byte-order mark",
                enc.name()
            )));
        }
        (text.into_owned(), enc)
    } else if let Ok(text) = std::str::from_utf8(bytes) {
        (text.to_string(), UTF_8)
    } else {
        let mut detector = chardetng::EncodingDetector::new();
        detector.feed(bytes, true);
        let guess = detector.guess(None, false);
        // Chinese government text that is not UTF-8 is GB2312/GBK/GB18030 in practice; the
        // detector's other answers on such bytes are mis-detections of short inputs.
        let enc = if guess.name() == "Big5" {
            guess
        } else {
            GB18030
        };
        let (text, had_errors) = enc.decode_without_bom_handling(bytes);
        if had_errors {
            return Err(ExtractError::NotText(format!(
                "not UTF-8 and not valid {}",
                enc.name()
            )));
        }
        (text.into_owned(), enc)
    };
    let controls = text
        .chars()
        .filter(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}'))
        .count();
    if controls * 100 > text.chars().count().max(1) {
        return Err(ExtractError::NotText(
            "binary data (control characters)".into(),
        ));
    }
    if text.trim().is_empty() {
        return Err(ExtractError::Empty);
    }
    Ok(Decoded {
        text,
        encoding: encoding.name(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "嘉兴市民政局\n2020年8月18日\n";

    #[test]
    fn utf8_with_and_without_bom() {
        assert_eq!(
            decode(SAMPLE.as_bytes()).map(|d| d.text).ok().as_deref(),
            Some(SAMPLE)
        );
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice(SAMPLE.as_bytes());
        assert_eq!(decode(&bom).map(|d| d.text).ok().as_deref(), Some(SAMPLE));
    }

    #[test]
    fn utf16_with_bom() {
        let mut bytes = vec![0xFF, 0xFE];
        for unit in SAMPLE.encode_utf16() {
            bytes.extend_from_slice(&unit.to_le_bytes());
        }
        let d = decode(&bytes).ok();
        assert_eq!(d.as_ref().map(|d| d.text.as_str()), Some(SAMPLE));
        assert_eq!(d.map(|d| d.encoding), Some("UTF-16LE"));
    }

    #[test]
    fn gbk() {
        let (bytes, _, _) = encoding_rs::GBK.encode(SAMPLE);
        let d = decode(&bytes).ok();
        assert_eq!(d.as_ref().map(|d| d.text.as_str()), Some(SAMPLE));
        assert_eq!(d.map(|d| d.encoding), Some("gb18030"));
    }

    #[test]
    fn empty_and_binary_are_refused() {
        assert!(matches!(decode(b""), Err(ExtractError::Empty)));
        assert!(matches!(decode(b" \n\t "), Err(ExtractError::Empty)));
        let binary: Vec<u8> = (0..4096u32).map(|i| (i * 7 % 256) as u8).collect();
        assert!(matches!(decode(&binary), Err(ExtractError::NotText(_))));
        assert!(matches!(
            decode(b"\x00\x01\x02\x03abc\x00\x00"),
            Err(ExtractError::NotText(_))
        ));
    }
}
