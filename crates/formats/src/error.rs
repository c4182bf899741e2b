//! Why a published file yields no reply text.

use thiserror::Error;

/// A file that cannot be read as a reply, with the reason a person can act on.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum FormatError {
    #[error(transparent)]
    Text(#[from] dafu_extract::ExtractError),
    #[error("no article text in the page (a list or navigation page?)")]
    NoArticle,
    #[error("the page nests its elements {depth} deep (at most {max} are read)")]
    TooDeep { depth: usize, max: usize },
    #[error("not a Word document: {0}")]
    NotDocx(String),
    #[error(
        "legacy Word 97-2003 (.doc/.wps) is not supported: save it as .docx \
         (soffice --headless --convert-to docx FILE)"
    )]
    LegacyWord,
    #[error("not a readable PDF: {0}")]
    NotPdf(String),
    #[error("the PDF is encrypted")]
    EncryptedPdf,
    #[error("a scan without a text layer ({pages} page(s) of images): run OCR on it first")]
    NoTextLayer { pages: usize },
    #[error("the PDF's text layer is unreadable: {0}")]
    UnreadableTextLayer(String),
    #[error("the text is over the {limit_mib} MiB limit for one reply")]
    TooLarge { limit_mib: u64 },
}
