//! Reading published files (`dafu_formats::read`): any bytes, read as an HTML page, a Word
//! file or a PDF, give the reply's text or an error, never a panic, and text that comes back
//! is never blank. The first byte picks the format; the seeds are the generated fixtures of
//! tests/fixtures/formats with that byte in front.

use dafu_formats::{PublishedFormat, read};

/// Checks one input; panics on a broken promise.
pub fn check(data: &[u8]) {
    let Some((&pick, bytes)) = data.split_first() else {
        return;
    };
    let format = match pick % 3 {
        0 => PublishedFormat::Html,
        1 => PublishedFormat::Docx,
        _ => PublishedFormat::Pdf,
    };
    if let Ok(published) = read(format, bytes, 1 << 20) {
        assert!(!published.text.trim().is_empty(), "blank text read");
    }
}
