//! The generated fixtures in `tests/fixtures/formats` (see its `make.sh`): every format of the
//! same reply gives back the reply's text.

use std::path::PathBuf;

use dafu_formats::{FormatError, PublishedFormat, read};

fn fixture(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/formats")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The reply's lines as the plain-text file has them.
fn reply_lines() -> Vec<String> {
    String::from_utf8(fixture("reply.txt"))
        .expect("UTF-8")
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn html_page_gives_the_reply_and_the_page_metadata() {
    for name in ["reply.html", "reply-gbk.html"] {
        let got = read(PublishedFormat::Html, &fixture(name), 1 << 20).expect(name);
        let want = reply_lines();
        // The page shows the title above the article; it is put back where the reply prints
        // it, before the salutation.
        assert_eq!(got.text.lines().collect::<Vec<_>>(), want, "{name}");
        assert_eq!(got.title.as_deref(), Some(want[2].as_str()));
        assert_eq!(got.published.as_deref(), Some("2023-06-15"));
        assert_eq!(
            got.source_url.as_deref(),
            Some("https://jtj.example.gov.cn/art/2023/6/15/art_1229_58.html")
        );
    }
    let gbk = read(PublishedFormat::Html, &fixture("reply-gbk.html"), 1 << 20).expect("gbk");
    assert_eq!(gbk.encoding, "gb18030");
}

#[test]
fn docx_gives_the_paragraphs_in_order() {
    let got = read(PublishedFormat::Docx, &fixture("reply.docx"), 1 << 20).expect("docx");
    assert_eq!(got.text.lines().collect::<Vec<_>>(), reply_lines());
}

#[test]
fn pdf_gives_the_text_layer_with_wrapped_lines_joined() {
    let got = read(PublishedFormat::Pdf, &fixture("reply.pdf"), 1 << 20).expect("pdf");
    assert_eq!(
        got.text.lines().collect::<Vec<_>>(),
        reply_lines(),
        "{}",
        got.text
    );
}

#[test]
fn a_scan_and_a_legacy_word_file_are_reported() {
    assert_eq!(
        read(PublishedFormat::Pdf, &fixture("scan.pdf"), 1 << 20),
        Err(FormatError::NoTextLayer { pages: 1 })
    );
    assert_eq!(
        read(PublishedFormat::LegacyDoc, &fixture("reply.doc"), 1 << 20),
        Err(FormatError::LegacyWord)
    );
    // A .doc renamed .docx is recognised by its signature.
    assert_eq!(
        read(PublishedFormat::Docx, &fixture("reply.doc"), 1 << 20),
        Err(FormatError::LegacyWord)
    );
    assert!(matches!(
        read(PublishedFormat::Pdf, &fixture("reply.docx"), 1 << 20),
        Err(FormatError::NotPdf(_))
    ));
}

#[test]
fn damaged_files_are_errors_never_panics() {
    // Every cut of each file: an error or text, never a panic, never blank text.
    for (format, name) in [
        (PublishedFormat::Pdf, "reply.pdf"),
        (PublishedFormat::Docx, "reply.docx"),
        (PublishedFormat::Html, "reply.html"),
    ] {
        let bytes = fixture(name);
        for cut in (0..bytes.len()).step_by(bytes.len() / 40 + 1) {
            if let Ok(p) = read(format, &bytes[..cut], 1 << 20) {
                assert!(!p.text.trim().is_empty(), "{name} cut at {cut}");
            }
        }
        // A byte flipped every few hundred bytes.
        let mut flipped = bytes.clone();
        for i in (100..flipped.len()).step_by(397) {
            flipped[i] ^= 0x5A;
        }
        if let Ok(p) = read(format, &flipped, 1 << 20) {
            assert!(!p.text.trim().is_empty(), "{name} flipped");
        }
    }
    // Truncated to its first half, the Word file is no longer a zip archive.
    let docx = fixture("reply.docx");
    assert!(matches!(
        read(PublishedFormat::Docx, &docx[..docx.len() / 2], 1 << 20),
        Err(FormatError::NotDocx(_))
    ));
}
