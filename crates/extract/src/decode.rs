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

/// Decodes a document's bytes, refusing empty input, binary data, damaged or truncated UTF-8
/// and text whose declared or detected encoding yields mojibake.
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
        check_plausible(&text, enc)?;
        (text.into_owned(), enc)
    } else if let Ok(text) = std::str::from_utf8(bytes) {
        (text.to_string(), UTF_8)
    } else {
        check_not_damaged_utf8(bytes)?;
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
        check_plausible(&text, enc)?;
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

/// Refuses bytes that are UTF-8 but for a few bad sequences: a file cut inside a character, or
/// damaged in transit. Read as GB18030 instead, they would decode without an error (GB18030
/// accepts almost any pair of high bytes) into mojibake such as 鍢夊叴甯.
fn check_not_damaged_utf8(bytes: &[u8]) -> Result<(), ExtractError> {
    let (mut multibyte, mut invalid, mut first_invalid) = (0usize, 0usize, None);
    let mut at = 0;
    for chunk in bytes.utf8_chunks() {
        multibyte += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        at += chunk.valid().len();
        if !chunk.invalid().is_empty() {
            invalid += 1;
            first_invalid.get_or_insert(at);
            at += chunk.invalid().len();
        }
    }
    let Some(first) = first_invalid else {
        return Ok(());
    };
    // GBK text forms a valid two-byte UTF-8 sequence now and then (about one character in
    // seven), so it has more invalid sequences than valid ones; damaged UTF-8 has a few bad
    // sequences (a broken character makes up to three) among many good characters.
    let truncated = invalid == 1
        && first + 4 > bytes.len()
        && std::str::from_utf8(bytes).is_err_and(|e| e.error_len().is_none());
    if truncated && multibyte > 0 {
        return Err(ExtractError::NotText(format!(
            "truncated UTF-8: the file ends inside a character (byte {first} of {})",
            bytes.len()
        )));
    }
    if multibyte >= 8 && invalid * 10 <= multibyte {
        return Err(ExtractError::NotText(format!(
            "damaged UTF-8: {invalid} invalid sequence(s) among {multibyte} valid \
             characters, the first at byte {first}"
        )));
    }
    Ok(())
}

/// Refuses text that decoded without an error but cannot be a Chinese reply: bytes of one
/// encoding read as another (a UTF-16 byte-order mark before UTF-8 bytes decodes to Hangul and
/// private-use characters; UTF-8 or Big5 read as GB18030 gives characters outside GB2312).
fn check_plausible(text: &str, encoding: &'static Encoding) -> Result<(), ExtractError> {
    let odd = odd_share(text);
    if odd > 0.05 {
        return Err(ExtractError::NotText(format!(
            "mislabelled encoding: read as {}, {:.0}% of the characters are ones no reply \
             is written in (Hangul, private-use, replacement or Latin letters)",
            encoding.name(),
            odd * 100.0
        )));
    }
    if encoding == GB18030 {
        let (common, ideographs) = gb2312_share(text);
        if ideographs >= 20 && common * 10 < ideographs * 7 {
            return Err(ExtractError::NotText(format!(
                "mislabelled encoding: read as gb18030, only {common} of {ideographs} \
                 ideographs are common (GB2312) characters"
            )));
        }
    }
    Ok(())
}

/// Characters sampled by the plausibility checks (the start of a document is enough).
const SAMPLE_CHARS: usize = 20_000;

/// The share of non-space characters that no Chinese reply is written in.
fn odd_share(text: &str) -> f64 {
    let (mut odd, mut all) = (0usize, 0usize);
    for c in text
        .chars()
        .filter(|c| !c.is_whitespace())
        .take(SAMPLE_CHARS)
    {
        all += 1;
        let odd_char = matches!(c,
            '\u{80}'..='\u{9f}'            // C1 controls
            | '\u{c0}'..='\u{d6}' | '\u{d8}'..='\u{f6}' | '\u{f8}'..='\u{24f}' // Latin letters
            | '\u{1100}'..='\u{11ff}' | '\u{3130}'..='\u{318f}' | '\u{ac00}'..='\u{d7af}' // Hangul
            | '\u{e000}'..='\u{f8ff}'      // private use
            | '\u{fff0}'..='\u{ffff}'      // specials, replacement character
            | '\u{f0000}'..)               // supplementary private use
            // beyond the BMP, only the CJK extension planes are text a reply uses
            || (c > '\u{ffff}' && !matches!(c, '\u{20000}'..='\u{3134f}'));
        odd += usize::from(odd_char);
    }
    if all == 0 {
        0.0
    } else {
        odd as f64 / all as f64
    }
}

/// (ideographs in GB2312, all CJK ideographs) over the sample: replies in GBK are written in
/// GB2312's 6,763 characters almost entirely; mojibake scatters over all of GBK.
fn gb2312_share(text: &str) -> (usize, usize) {
    let (mut common, mut all) = (0usize, 0usize);
    let mut buf = [0u8; 4];
    for c in text
        .chars()
        .filter(|c| matches!(c, '\u{3400}'..='\u{9fff}'))
        .take(SAMPLE_CHARS)
    {
        all += 1;
        let (bytes, _, unmappable) = encoding_rs::GBK.encode(c.encode_utf8(&mut buf));
        // GB2312's ideographs are GBK's rows 0xB0–0xF7 with a trail byte 0xA1–0xFE.
        if !unmappable && bytes.len() == 2 && (0xB0..=0xF7).contains(&bytes[0]) && bytes[1] >= 0xA1
        {
            common += 1;
        }
    }
    (common, all)
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

    /// A reply long enough for the checks that look at proportions.
    const REPLY: &str = "对市八届人大五次会议第124号建议的答复\n\n张代表：\n\n您提出的《关于加强社区养老服务的建议》收悉，现答复如下：\n一、全市已建成居家养老服务中心二十家，下一步我局将继续加大投入。\n\n嘉兴市民政局\n2020年8月18日\n";

    #[test]
    fn truncated_utf8_is_refused_not_read_as_gbk() {
        let bytes = REPLY.as_bytes();
        // Cut inside the last character of 嘉兴市民政局 …: every cut that is not a boundary.
        let cut = REPLY.find("局").map(|i| i + 2).unwrap_or(0);
        match decode(&bytes[..cut]) {
            Err(ExtractError::NotText(m)) => assert!(m.contains("truncated UTF-8"), "{m}"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn damaged_utf8_is_refused() {
        let mut bytes = REPLY.as_bytes().to_vec();
        bytes.insert(40, 0xFF);
        match decode(&bytes) {
            Err(ExtractError::NotText(m)) => assert!(m.contains("damaged UTF-8"), "{m}"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn utf16_bom_before_utf8_bytes_is_mislabelled() {
        for bom in [[0xFF, 0xFE], [0xFE, 0xFF]] {
            let mut bytes = bom.to_vec();
            bytes.extend_from_slice(REPLY.as_bytes());
            // An odd length would be a decoding error: make it even either way.
            if bytes.len() % 2 == 1 {
                bytes.push(b'\n');
            }
            match decode(&bytes) {
                Err(ExtractError::NotText(m)) => {
                    assert!(
                        m.contains("byte-order mark") || m.contains("mislabelled"),
                        "{m}"
                    )
                }
                other => panic!("{other:?}"),
            }
        }
    }

    #[test]
    fn other_legacy_encodings_are_not_read_as_gbk() {
        let japanese = "政府の回答について、市民の意見を聞きました。地域の発展と環境保護を両立させる計画です。来年度から予算を増やし、高齢者の介護施設を整備します。";
        let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode(japanese);
        assert!(matches!(decode(&sjis), Err(ExtractError::NotText(_))));
    }

    #[test]
    fn long_gbk_reply_is_accepted() {
        let (bytes, _, _) = encoding_rs::GBK.encode(REPLY);
        let d = decode(&bytes).ok();
        assert_eq!(d.as_ref().map(|d| d.text.as_str()), Some(REPLY));
        let mut bom = vec![0xFF, 0xFE];
        for unit in REPLY.encode_utf16() {
            bom.extend_from_slice(&unit.to_le_bytes());
        }
        assert_eq!(decode(&bom).ok().map(|d| d.text), Some(REPLY.to_string()));
    }
}
