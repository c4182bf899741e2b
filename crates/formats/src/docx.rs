//! Word 2007+ files (`.docx`): the main document's paragraphs in order, tables as rows of
//! tab-separated cells. Headers, footers, comments and deleted revisions are not the reply's
//! text and are left out.

use std::io::{Cursor, Read};

use quick_xml::Reader;
use quick_xml::events::Event;

use crate::Published;
use crate::error::FormatError;
use crate::layout::tidy_line;

pub fn read(bytes: &[u8], max_text_bytes: usize) -> Result<Published, FormatError> {
    let not_docx = |e: &dyn std::fmt::Display| FormatError::NotDocx(e.to_string());
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| not_docx(&e))?;
    let part = archive
        .by_name("word/document.xml")
        .map_err(|_| FormatError::NotDocx("no word/document.xml in the archive".into()))?;
    // The XML is several times the text; bound what is inflated (a zip bomb stops here).
    let limit = (max_text_bytes as u64).saturating_mul(8);
    let mut xml = String::new();
    part.take(limit + 1)
        .read_to_string(&mut xml)
        .map_err(|e| not_docx(&e))?;
    if xml.len() as u64 > limit {
        return Err(FormatError::TooLarge {
            limit_mib: (max_text_bytes >> 20) as u64,
        });
    }
    let text = paragraphs(&xml)?;
    if text.len() > max_text_bytes {
        return Err(FormatError::TooLarge {
            limit_mib: (max_text_bytes >> 20) as u64,
        });
    }
    if text.trim().is_empty() {
        return Err(dafu_extract::ExtractError::Empty.into());
    }
    Ok(Published {
        text,
        encoding: "docx",
        ..Published::default()
    })
}

/// The text of `word/document.xml`: a line per paragraph (`w:p`) and per table row (`w:tr`,
/// cells separated by tabs), `w:tab` as a space and `w:br` as a line break.
fn paragraphs(xml: &str) -> Result<String, FormatError> {
    let mut reader = Reader::from_str(xml);
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    // Inside `w:t` (text to keep) and inside parts that are not the document's text.
    let (mut in_text, mut hidden) = (false, 0usize);
    let mut cells: Vec<String> = Vec::new();
    let mut table_depth = 0usize;
    let flush = |current: &mut String, into: &mut Vec<String>| {
        let line = tidy_line(current);
        if !line.is_empty() {
            into.push(line);
        }
        current.clear();
    };
    loop {
        let event = reader
            .read_event()
            .map_err(|e| FormatError::NotDocx(format!("damaged document.xml: {e}")))?;
        match event {
            Event::Start(e) => match e.local_name().as_ref() {
                "t" if hidden == 0 => in_text = true,
                // Deleted revisions, field instructions and the text of drawings' alternate
                // content (shown twice otherwise).
                "del" | "instrText" | "Fallback" => hidden += 1,
                "tbl" => table_depth += 1,
                "tc" if table_depth == 1 => {
                    flush(&mut current, &mut lines);
                }
                _ => {}
            },
            Event::Empty(e) => match e.local_name().as_ref() {
                "tab" if hidden == 0 => current.push(' '),
                "br" | "cr" if hidden == 0 => {
                    if table_depth == 0 {
                        flush(&mut current, &mut lines);
                    } else {
                        current.push(' ');
                    }
                }
                _ => {}
            },
            Event::Text(t) if in_text => current.push_str(&t.xml10_content()),
            Event::GeneralRef(r) if in_text => {
                let c = match r.resolve_char_ref() {
                    Ok(Some(c)) => Some(c),
                    _ => match r.as_ref() {
                        "lt" => Some('<'),
                        "gt" => Some('>'),
                        "amp" => Some('&'),
                        "apos" => Some('\''),
                        "quot" => Some('"'),
                        _ => None,
                    },
                };
                current.extend(c);
            }
            Event::End(e) => match e.local_name().as_ref() {
                "t" => in_text = false,
                "del" | "instrText" | "Fallback" => hidden = hidden.saturating_sub(1),
                "p" => {
                    if table_depth == 0 {
                        flush(&mut current, &mut lines);
                    } else {
                        current.push(' ');
                    }
                }
                "tc" if table_depth == 1 => {
                    cells.push(tidy_line(&current));
                    current.clear();
                }
                "tr" if table_depth == 1 => {
                    let row: Vec<String> = cells.drain(..).filter(|c| !c.is_empty()).collect();
                    if !row.is_empty() {
                        lines.push(row.join("\t"));
                    }
                }
                "tbl" => table_depth = table_depth.saturating_sub(1),
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    flush(&mut current, &mut lines);
    Ok(lines.join("\n"))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::io::Write;

    /// A minimal Word file whose body is `body_xml` (the children of `w:body`).
    pub(crate) fn docx_with(body_xml: &str) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        let mut zip = zip::ZipWriter::new(&mut out);
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        let parts = [
            (
                "[Content_Types].xml",
                r#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#.to_string(),
            ),
            (
                "word/document.xml",
                format!(
                    r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body_xml}</w:body></w:document>"#
                ),
            ),
        ];
        for (name, content) in parts {
            zip.start_file(name, options).expect("zip entry");
            zip.write_all(content.as_bytes()).expect("zip write");
        }
        zip.finish().expect("zip finish");
        out.into_inner()
    }

    fn p(text: &str) -> String {
        format!("<w:p><w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p>")
    }

    #[test]
    fn paragraphs_and_tables_come_out_in_order() {
        let body = format!(
            "{}{}<w:tbl><w:tr><w:tc>{}</w:tc><w:tc>{}</w:tc></w:tr>\
             <w:tr><w:tc>{}</w:tc><w:tc>{}</w:tc></w:tr></w:tbl>{}",
            p("王芳委员："),
            "<w:p><w:r><w:t>您提出的提案</w:t></w:r><w:r><w:t>收悉&amp;</w:t></w:r>\
             <w:del><w:r><w:delText>删去的字</w:delText></w:r></w:del><w:r><w:tab/><w:t>现答复如下。</w:t></w:r></w:p>",
            p("项目"),
            p("数量"),
            p("养老服务站"),
            p("20"),
            p("某市民政局"),
        );
        let got = read(&docx_with(&body), 1 << 20).expect("docx");
        assert_eq!(
            got.text,
            "王芳委员：\n您提出的提案收悉&现答复如下。\n项目\t数量\n养老服务站\t20\n某市民政局"
        );
    }

    #[test]
    fn damaged_and_foreign_archives_are_refused() {
        assert!(matches!(
            read(b"PK\x03\x04 not really", 1 << 20),
            Err(FormatError::NotDocx(_))
        ));
        let mut zip_without_word = docx_with("");
        // Rename the part inside the archive's directory: no word/document.xml any more.
        let at = zip_without_word
            .windows(17)
            .rposition(|w| w == b"word/document.xml")
            .expect("name in central directory");
        zip_without_word[at..at + 4].copy_from_slice(b"WORD");
        assert!(matches!(
            read(&zip_without_word, 1 << 20),
            Err(FormatError::NotDocx(_))
        ));
        assert_eq!(
            read(&docx_with(&p(" ")), 1 << 20).map(|p| p.text),
            Err(FormatError::Text(dafu_extract::ExtractError::Empty))
        );
    }

    #[test]
    fn an_inflated_document_over_the_limit_is_refused() {
        let body = p(&"养老".repeat(20_000));
        assert!(matches!(
            read(&docx_with(&body), 10_000),
            Err(FormatError::TooLarge { .. })
        ));
    }
}
