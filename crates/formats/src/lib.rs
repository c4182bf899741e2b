//! # dafu-formats: replies as governments publish them
//!
//! Governments publish replies (答复) as article pages on their portals, as attached Word files
//! and as PDF scans or exports. This crate turns one such file into the reply's text, in reading
//! order and without the page around it, plus what the publication itself says (the page's
//! title and publish date, its canonical address), so that every format then goes through the
//! same extraction as plain text.
//!
//! - [`html`]: a government article page → the article body, without navigation, header,
//!   footer, scripts or share buttons (a real HTML parser, html5ever through `scraper`);
//! - [`docx`]: Word 2007+ → paragraphs in order, tables as tab-separated rows;
//! - [`pdf`]: the text layer in reading order (`lopdf`), page numbers dropped and lines that a
//!   paragraph wrapped joined again; a scan without a text layer is an error, not empty text;
//! - legacy Word 97–2003 (`.doc`) is recognised and refused with a clear message.
//!
//! It knows nothing of extraction or search: [`Published`] is all it returns.

pub mod docx;
mod error;
pub mod html;
mod layout;
pub mod pdf;

pub use error::FormatError;

/// The published formats this crate reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PublishedFormat {
    /// An HTML page (`.html`, `.htm`, `.shtml`).
    Html,
    /// Word 2007+ (`.docx`).
    Docx,
    /// PDF with a text layer.
    Pdf,
    /// Legacy Word 97–2003 (`.doc`): recognised, not read.
    LegacyDoc,
}

impl PublishedFormat {
    /// The format a file name says, by its extension.
    pub fn of_extension(ext: &str) -> Option<PublishedFormat> {
        match ext.to_ascii_lowercase().as_str() {
            "html" | "htm" | "shtml" | "xhtml" => Some(PublishedFormat::Html),
            "docx" => Some(PublishedFormat::Docx),
            "pdf" => Some(PublishedFormat::Pdf),
            "doc" | "wps" => Some(PublishedFormat::LegacyDoc),
            _ => None,
        }
    }

    /// The short name used in a reply's sources (`html`, `docx`, `pdf`, `doc`).
    pub fn as_str(self) -> &'static str {
        match self {
            PublishedFormat::Html => "html",
            PublishedFormat::Docx => "docx",
            PublishedFormat::Pdf => "pdf",
            PublishedFormat::LegacyDoc => "doc",
        }
    }
}

/// What a published file holds: the reply's text and what the publication says about it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Published {
    /// The reply's text, one paragraph per line.
    pub text: String,
    /// The title the publication gives (the page's article title), when it gives one.
    pub title: Option<String>,
    /// The publish date (发布时间) as `YYYY-MM-DD`, when the page shows one.
    pub published: Option<String>,
    /// The page's canonical address, when it names one.
    pub source_url: Option<String>,
    /// The encoding the bytes were read as (HTML), or the container format (`docx`, `pdf`).
    pub encoding: &'static str,
}

/// The signature of an OLE2 compound file: Word 97–2003, WPS and old Excel files.
const OLE2_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Reads a published file's bytes as `format`. `max_text_bytes` bounds the text taken out of a
/// compressed container (a Word file's XML, a PDF page's content).
pub fn read(
    format: PublishedFormat,
    bytes: &[u8],
    max_text_bytes: usize,
) -> Result<Published, FormatError> {
    if format != PublishedFormat::LegacyDoc && bytes.starts_with(&OLE2_MAGIC) {
        return Err(FormatError::LegacyWord);
    }
    match format {
        PublishedFormat::Html => html::read(bytes),
        PublishedFormat::Docx => docx::read(bytes, max_text_bytes),
        PublishedFormat::Pdf => pdf::read(bytes, max_text_bytes),
        PublishedFormat::LegacyDoc => Err(FormatError::LegacyWord),
    }
}
