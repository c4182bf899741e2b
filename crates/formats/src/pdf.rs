//! PDF files: the text layer, page by page in the order the content streams draw it, with
//! page numbers dropped and the lines a paragraph was wrapped onto joined again.
//!
//! Text comes from `lopdf`, which maps character codes through the fonts' `ToUnicode` tables
//! (what office suites and typesetting systems write) and reads the `UniGB-UCS2-H` and
//! `UniGB-UTF16-H` encodings. A PDF without a text layer is a scan and is reported as one; text
//! drawn in fonts without a Unicode mapping (`GBK-EUC-H` with no `ToUnicode`) is reported as
//! unreadable rather than indexed as garbage.

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
        let fonts: BTreeMap<Vec<u8>, Encoding> = doc
            .get_page_fonts(page_id)
            .unwrap_or_default()
            .into_iter()
            .filter_map(|(name, font)| {
                Some((name, font.get_font_encoding_with_limit(&doc, limit).ok()?))
            })
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
    fonts: &'a BTreeMap<Vec<u8>, Encoding<'a>>,
    ctm: Matrix,
    saved: Vec<Matrix>,
    tm: Matrix,
    tlm: Matrix,
    leading: f64,
    font: Option<&'a Encoding<'a>>,
    size: f64,
    /// The baseline (device y) and text height of the last run shown.
    last: Option<(f64, f64)>,
    lines: Vec<String>,
    current: String,
    undecoded: usize,
}

impl<'a> Pen<'a> {
    fn new(fonts: &'a BTreeMap<Vec<u8>, Encoding<'a>>) -> Self {
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

    fn decode(&mut self, encoding: &Encoding, bytes: &[u8]) {
        match Document::decode_text(encoding, bytes) {
            Ok(text) => self.current.push_str(&text),
            Err(_) => self.undecoded += 1,
        }
    }

    fn finish(mut self) -> Vec<String> {
        self.lines.push(self.current);
        self.lines
    }
}
