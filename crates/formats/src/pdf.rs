//! PDF files: the text layer, page by page in the order the content streams draw it, with
//! page numbers dropped and the lines a paragraph was wrapped onto joined again.
//!
//! Text comes from `lopdf`, which maps character codes through the fonts' `ToUnicode` tables
//! (what office suites and typesetting systems write) and reads the `UniGB-UCS2-H` and
//! `UniGB-UTF16-H` encodings. Fonts with a predefined GB CMap and no `ToUnicode` (`GBK-EUC-H`,
//! `GB-EUC-H`, … — what Chinese official-document typesetting writes for its system fonts) draw
//! GBK character codes, decoded here. A PDF without a text layer is a scan and is reported as
//! one; text drawn in fonts without any Unicode mapping is reported as unreadable rather than
//! indexed as garbage.

use std::panic::{AssertUnwindSafe, catch_unwind};

use std::collections::BTreeMap;

use lopdf::content::{Content, Operation};
use lopdf::{Document, Encoding, Object};

use crate::Published;
use crate::error::FormatError;
use crate::layout::{is_cjk, join_wrapped};

pub fn read(bytes: &[u8], max_text_bytes: usize) -> Result<Published, FormatError> {
    // lopdf reports malformed files as errors, but a parser of hostile binary input is
    // guarded anyway: a panic inside it costs this file, not the indexing run.
    let pages = catch_unwind(AssertUnwindSafe(|| page_lines(bytes, max_text_bytes)))
        .map_err(|_| FormatError::NotPdf("the PDF parser failed on this file".into()))??;
    let page_count = pages.len();
    let (mut shown, mut unmapped) = (0usize, 0usize);
    for c in pages.iter().flatten().flat_map(|l| l.chars()) {
        if c.is_whitespace() {
            continue;
        }
        shown += 1;
        if c == '\u{fffd}' || ('\u{e000}'..='\u{f8ff}').contains(&c) || c.is_control() {
            unmapped += 1;
        }
    }
    if shown == 0 {
        return Err(FormatError::NoTextLayer { pages: page_count });
    }
    if unmapped * 10 > shown {
        return Err(FormatError::UnreadableTextLayer(format!(
            "{unmapped} of {shown} characters have no Unicode mapping"
        )));
    }
    let text = join_wrapped(pages);
    if text.len() > max_text_bytes {
        return Err(FormatError::TooLarge {
            limit_mib: (max_text_bytes >> 20) as u64,
        });
    }
    // A text layer of Latin letters only, on a Chinese reply, is a font without a mapping
    // that lopdf read through a one-byte encoding.
    if !text.chars().any(is_cjk) && text.chars().filter(|c| c.is_alphabetic()).count() > 200 {
        return Err(FormatError::UnreadableTextLayer(
            "no Chinese characters: fonts without a Unicode mapping".into(),
        ));
    }
    Ok(Published {
        text,
        encoding: "pdf",
        ..Published::default()
    })
}

/// Each page's lines of text.
fn page_lines(bytes: &[u8], max_text_bytes: usize) -> Result<Vec<Vec<String>>, FormatError> {
    let head = &bytes[..bytes.len().min(1024)];
    if !head.windows(5).any(|w| w == b"%PDF-") {
        return Err(FormatError::NotPdf("no %PDF header".into()));
    }
    let doc = Document::load_mem(bytes).map_err(|e| match e {
        lopdf::Error::Decryption(_) | lopdf::Error::InvalidPassword => FormatError::EncryptedPdf,
        e => FormatError::NotPdf(e.to_string()),
    })?;
    if doc.is_encrypted() {
        return Err(FormatError::EncryptedPdf);
    }
    // A page's content may inflate to a few times the text it shows, not more.
    let limit = max_text_bytes.max(1 << 20).saturating_mul(8);
    let (mut pages, mut failures) = (Vec::new(), Vec::new());
    let mut total = 0usize;
    for (number, page_id) in doc.get_pages() {
        let content = doc
            .get_page_content_with_limit(page_id, limit)
            .and_then(|data| Content::decode(&data));
        let content = match content {
            Ok(c) => c,
            Err(e) => {
                failures.push(format!("page {number}: {e}"));
                pages.push(Vec::new());
                continue;
            }
        };
        let fonts: BTreeMap<Vec<u8>, FontText> = doc
            .get_page_fonts(page_id)
            .unwrap_or_default()
            .into_iter()
            .filter_map(|(name, font)| Some((name, FontText::of(&doc, font, limit)?)))
            .collect();
        let mut pen = Pen::new(&fonts);
        for op in &content.operations {
            pen.apply(op);
        }
        if pen.undecoded > 0 {
            failures.push(format!(
                "page {number}: {} text runs in fonts without a Unicode mapping",
                pen.undecoded
            ));
        }
        let lines = pen.finish();
        total += lines.iter().map(String::len).sum::<usize>();
        if total > max_text_bytes.saturating_mul(2) {
            return Err(FormatError::TooLarge {
                limit_mib: (max_text_bytes >> 20) as u64,
            });
        }
        pages.push(lines);
    }
    if pages.is_empty() {
        return Err(FormatError::NotPdf("no pages".into()));
    }
    let empty = pages
        .iter()
        .all(|p: &Vec<String>| p.iter().all(|l| l.trim().is_empty()));
    if empty && let Some(first) = failures.first() {
        return Err(FormatError::UnreadableTextLayer(first.clone()));
    }
    Ok(pages)
}

/// How a font's character codes become text.
enum FontText<'a> {
    /// Through lopdf: the `ToUnicode` table, a simple encoding, `UniGB-UCS2-H`.
    Mapped(Encoding<'a>),
    /// A predefined GB CMap without `ToUnicode`: the codes are GBK (GB18030) bytes.
    Gb,
}

/// The predefined CMaps of the Adobe-GB1 collection whose codes are EUC-CN/GBK bytes.
const GB_CMAPS: &[&[u8]] = &[
    b"GB-EUC-H",
    b"GB-EUC-V",
    b"GBpc-EUC-H",
    b"GBpc-EUC-V",
    b"GBK-EUC-H",
    b"GBK-EUC-V",
    b"GBKp-EUC-H",
    b"GBKp-EUC-V",
    b"GBK2K-H",
    b"GBK2K-V",
];

impl<'a> FontText<'a> {
    fn of(doc: &'a Document, font: &'a lopdf::Dictionary, limit: usize) -> Option<Self> {
        let gb = font
            .get(b"Encoding")
            .and_then(Object::as_name)
            .is_ok_and(|name| GB_CMAPS.contains(&name));
        if gb && font.get(b"ToUnicode").is_err() {
            return Some(FontText::Gb);
        }
        font.get_font_encoding_with_limit(doc, limit)
            .ok()
            .map(FontText::Mapped)
    }

    fn decode(&self, bytes: &[u8]) -> Option<String> {
        match self {
            FontText::Mapped(encoding) => Document::decode_text(encoding, bytes).ok(),
            FontText::Gb => {
                let (text, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
                (!had_errors).then(|| text.into_owned())
            }
        }
    }
}

/// A 2-D affine matrix `[a b c d e f]` as PDF writes them.
type Matrix = [f64; 6];

const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

/// `m × n`: apply `m`, then `n`.
fn multiply(m: &Matrix, n: &Matrix) -> Matrix {
    [
        m[0] * n[0] + m[1] * n[2],
        m[0] * n[1] + m[1] * n[3],
        m[2] * n[0] + m[3] * n[2],
        m[2] * n[1] + m[3] * n[3],
        m[4] * n[0] + m[5] * n[2] + n[4],
        m[4] * n[1] + m[5] * n[3] + n[5],
    ]
}

/// Follows a page's content stream far enough to know where each run of text is drawn: the
/// graphics and text matrices, the font and its size. Runs drawn on the same baseline make
/// one line, whatever text objects (`BT`…`ET`) they sit in; a run on another baseline starts
/// a new line.
struct Pen<'a> {
    fonts: &'a BTreeMap<Vec<u8>, FontText<'a>>,
    ctm: Matrix,
    saved: Vec<Matrix>,
    tm: Matrix,
    tlm: Matrix,
    leading: f64,
    font: Option<&'a FontText<'a>>,
    size: f64,
    /// The baseline (device y) and text height of the last run shown.
    last: Option<(f64, f64)>,
    lines: Vec<String>,
    current: String,
    undecoded: usize,
}

impl<'a> Pen<'a> {
    fn new(fonts: &'a BTreeMap<Vec<u8>, FontText<'a>>) -> Self {
        Pen {
            fonts,
            ctm: IDENTITY,
            saved: Vec::new(),
            tm: IDENTITY,
            tlm: IDENTITY,
            leading: 0.0,
            font: None,
            size: 0.0,
            last: None,
            lines: Vec::new(),
            current: String::new(),
            undecoded: 0,
        }
    }

    fn apply(&mut self, op: &Operation) {
        let num = |i: usize| -> f64 {
            op.operands
                .get(i)
                .and_then(|o| o.as_float().ok())
                .map(f64::from)
                .unwrap_or(0.0)
        };
        let six = || [num(0), num(1), num(2), num(3), num(4), num(5)];
        match op.operator.as_str() {
            "q" => self.saved.push(self.ctm),
            "Q" => self.ctm = self.saved.pop().unwrap_or(IDENTITY),
            "cm" => self.ctm = multiply(&six(), &self.ctm),
            "BT" => (self.tm, self.tlm) = (IDENTITY, IDENTITY),
            "Tf" => {
                self.font = op
                    .operands
                    .first()
                    .and_then(|o| o.as_name().ok())
                    .and_then(|name| self.fonts.get(name));
                self.size = num(1);
            }
            "TL" => self.leading = num(0),
            "Td" => self.move_line(num(0), num(1)),
            "TD" => {
                self.leading = -num(1);
                self.move_line(num(0), num(1));
            }
            "Tm" => (self.tm, self.tlm) = (six(), six()),
            "T*" => self.move_line(0.0, -self.leading),
            "Tj" | "TJ" => self.show(&op.operands),
            "'" => {
                self.move_line(0.0, -self.leading);
                self.show(&op.operands);
            }
            "\"" => {
                self.move_line(0.0, -self.leading);
                self.show(op.operands.get(2..).unwrap_or_default());
            }
            _ => {}
        }
    }

    fn move_line(&mut self, tx: f64, ty: f64) {
        self.tlm = multiply(&[1.0, 0.0, 0.0, 1.0, tx, ty], &self.tlm);
        self.tm = self.tlm;
    }

    fn show(&mut self, operands: &[Object]) {
        let at = multiply(&self.tm, &self.ctm);
        let (y, height) = (at[5], (self.size * at[3]).abs().max(1e-3));
        if let Some((last_y, last_h)) = self.last
            && (y - last_y).abs() > 0.5 * height.min(last_h)
        {
            self.lines.push(std::mem::take(&mut self.current));
        }
        self.last = Some((y, height));
        let Some(encoding) = self.font else {
            self.undecoded += 1;
            return;
        };
        for operand in operands {
            match operand {
                Object::String(bytes, _) => self.decode(encoding, bytes),
                Object::Array(items) => {
                    for item in items {
                        match item {
                            Object::String(bytes, _) => self.decode(encoding, bytes),
                            // A gap wider than a fifth of the font's size separates words.
                            other => {
                                if other.as_float().is_ok_and(|g| g < -200.0) {
                                    self.current.push(' ');
                                }
                            }
                        }
                    }
                }
                _ => {}
            }
        }
    }

    fn decode(&mut self, font: &FontText, bytes: &[u8]) {
        match font.decode(bytes) {
            Some(text) => self.current.push_str(&text),
            None => self.undecoded += 1,
        }
    }

    fn finish(mut self) -> Vec<String> {
        self.lines.push(self.current);
        self.lines
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::content::Operation;
    use lopdf::{StringFormat, dictionary};

    /// A one-page PDF drawing `lines` (one baseline each, two runs per line, as typesetting
    /// systems split them) in a `font` dictionary, codes made by `encode`.
    fn pdf_with(
        font: lopdf::Dictionary,
        lines: &[&str],
        encode: impl Fn(&str) -> Vec<u8>,
    ) -> Vec<u8> {
        let mut doc = Document::with_version("1.5");
        let pages_id = doc.new_object_id();
        let font_id = doc.add_object(font);
        let mut operations = Vec::new();
        for (i, line) in lines.iter().enumerate() {
            let half = line
                .char_indices()
                .nth(line.chars().count() / 2)
                .map_or(0, |(b, _)| b);
            for (run, x) in [(&line[..half], 72), (&line[half..], 300)] {
                operations.extend([
                    Operation::new("BT", vec![]),
                    Operation::new("Tf", vec!["F1".into(), 12.into()]),
                    Operation::new("Td", vec![x.into(), (700 - 20 * i as i64).into()]),
                    Operation::new(
                        "Tj",
                        vec![Object::String(encode(run), StringFormat::Hexadecimal)],
                    ),
                    Operation::new("ET", vec![]),
                ]);
            }
        }
        let content = Content { operations }.encode().expect("content");
        let content_id = doc.add_object(lopdf::Stream::new(dictionary! {}, content));
        let page_id = doc.add_object(dictionary! {
            "Type" => "Page",
            "Parent" => pages_id,
            "Contents" => content_id,
            "Resources" => dictionary! { "Font" => dictionary! { "F1" => font_id } },
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        });
        doc.objects.insert(
            pages_id,
            Object::Dictionary(dictionary! {
                "Type" => "Pages",
                "Kids" => vec![page_id.into()],
                "Count" => 1,
            }),
        );
        let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
        doc.trailer.set("Root", catalog_id);
        let mut out = Vec::new();
        doc.save_to(&mut out).expect("save");
        out
    }

    const LINES: [&str; 3] = [
        "关于市九届人大三次会议第58号建议的答复",
        "沈建华代表：",
        "我局将于2024年底前完成危桥改造。",
    ];

    fn type0(encoding: &str) -> lopdf::Dictionary {
        dictionary! {
            "Type" => "Font",
            "Subtype" => "Type0",
            "BaseFont" => "FangSong_GB2312",
            "Encoding" => encoding,
            "DescendantFonts" => vec![Object::Dictionary(dictionary! {
                "Type" => "Font",
                "Subtype" => "CIDFontType0",
                "BaseFont" => "FangSong_GB2312",
                "CIDSystemInfo" => dictionary! {
                    "Registry" => Object::string_literal("Adobe"),
                    "Ordering" => Object::string_literal("GB1"),
                    "Supplement" => 2,
                },
            })],
        }
    }

    #[test]
    fn gbk_coded_fonts_without_to_unicode_are_read() {
        let gbk = |s: &str| encoding_rs::GBK.encode(s).0.into_owned();
        let pdf = pdf_with(type0("GBK-EUC-H"), &LINES, gbk);
        let got = read(&pdf, 1 << 20).expect("text");
        assert_eq!(got.text, LINES.join("\n"));
    }

    #[test]
    fn ucs2_coded_fonts_are_read_and_unknown_cmaps_are_reported() {
        let ucs2 = |s: &str| {
            s.encode_utf16()
                .flat_map(u16::to_be_bytes)
                .collect::<Vec<u8>>()
        };
        let pdf = pdf_with(type0("UniGB-UCS2-H"), &LINES, ucs2);
        assert_eq!(read(&pdf, 1 << 20).map(|p| p.text), Ok(LINES.join("\n")));
        // A vendor CMap nobody maps: the text layer is reported, not indexed as garbage.
        let pdf = pdf_with(type0("Founder-PKU2-H"), &LINES, ucs2);
        assert!(
            matches!(
                read(&pdf, 1 << 20),
                Err(FormatError::UnreadableTextLayer(_))
            ),
            "{:?}",
            read(&pdf, 1 << 20)
        );
    }
}
