//! Finding reply files and reading them into raw replies: `.txt` (one reply per file, UTF-8,
//! UTF-16 or GB18030/GBK, at most a size limit), `.jsonl` (one reply per line, streamed by
//! `json_lines`, each line at most that limit), and the formats governments publish in —
//! `.html` pages, `.docx` and `.pdf` files (one reply per file, read by `dafu-formats`; a legacy
//! `.doc` is reported).

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use walkdir::WalkDir;

use dafu_extract::decode::decode;
use dafu_formats::PublishedFormat;

/// Input formats the ingester reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputFormat {
    Text,
    JsonLines,
    /// A page or document as published: HTML, Word, PDF (and legacy Word, to report).
    Published(PublishedFormat),
}

impl InputFormat {
    pub fn of(path: &Path) -> Option<InputFormat> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "txt" => Some(InputFormat::Text),
            "jsonl" | "ndjson" => Some(InputFormat::JsonLines),
            other => PublishedFormat::of_extension(other).map(InputFormat::Published),
        }
    }

    /// The short name a reply's sources give: `txt`, `jsonl`, `html`, `docx`, `pdf`.
    pub fn as_str(self) -> &'static str {
        match self {
            InputFormat::Text => "txt",
            InputFormat::JsonLines => "jsonl",
            InputFormat::Published(f) => f.as_str(),
        }
    }
}

/// What `discover` says of a file named on the command line in a format it does not read.
const FORMATS: &str = "expected .txt, .jsonl, .html, .docx or .pdf";

/// A file to read, or a reason it cannot be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Discovered {
    File(PathBuf, InputFormat),
    /// Named explicitly on the command line but not readable as a reply file.
    Rejected(PathBuf, String),
    /// Found while walking a folder and not a reply format (counted, not an error).
    Ignored(PathBuf),
}

/// Every reply file under `inputs`, recursively, sorted by path within each input.
pub fn discover(inputs: &[PathBuf]) -> Vec<Discovered> {
    let mut out = Vec::new();
    for input in inputs {
        if input.is_file() {
            match InputFormat::of(input) {
                Some(f) => out.push(Discovered::File(input.clone(), f)),
                None => out.push(Discovered::Rejected(
                    input.clone(),
                    format!("unsupported format ({FORMATS})"),
                )),
            }
            continue;
        }
        if !input.exists() {
            out.push(Discovered::Rejected(
                input.clone(),
                "no such file or folder".into(),
            ));
            continue;
        }
        for entry in WalkDir::new(input).sort_by_file_name().follow_links(true) {
            match entry {
                Err(e) => {
                    let path = e
                        .path()
                        .map(Path::to_path_buf)
                        .unwrap_or_else(|| input.clone());
                    out.push(Discovered::Rejected(path, format!("cannot read: {e}")));
                }
                Ok(e) if e.file_type().is_file() => {
                    let path = e.into_path();
                    match InputFormat::of(&path) {
                        Some(f) => out.push(Discovered::File(path, f)),
                        None => out.push(Discovered::Ignored(path)),
                    }
                }
                Ok(_) => {}
            }
        }
    }
    out
}

/// Field overrides a JSON Lines record may carry next to its text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Overrides {
    pub title: Option<String>,
    pub doc_number: Option<String>,
    pub department: Option<String>,
    pub date: Option<String>,
    pub year: Option<i32>,
    pub assembly: Option<String>,
    pub level: Option<String>,
    pub province: Option<String>,
    pub city: Option<String>,
    pub county: Option<String>,
    pub topics: Option<Vec<String>>,
}

impl Overrides {
    /// The overrides as one string, for the fingerprint of a record: two records with the same
    /// text that state different metadata (another department, date or place) are different
    /// replies. Empty when there are none.
    pub fn identity(&self) -> String {
        if *self == Overrides::default() {
            return String::new();
        }
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        [
            text(&self.title),
            text(&self.doc_number),
            text(&self.department),
            text(&self.date),
            self.year.map(|y| y.to_string()).unwrap_or_default(),
            text(&self.assembly),
            text(&self.level),
            text(&self.province),
            text(&self.city),
            text(&self.county),
            self.topics
                .as_ref()
                .map(|t| t.join(","))
                .unwrap_or_default(),
        ]
        .join("\u{1f}")
    }
}

/// One line of a `.jsonl` input.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct JsonLine {
    text: String,
    id: Option<String>,
    source_url: Option<String>,
    source: Option<String>,
    title: Option<String>,
    doc_number: Option<String>,
    department: Option<String>,
    date: Option<String>,
    year: Option<i32>,
    assembly: Option<String>,
    level: Option<String>,
    province: Option<String>,
    city: Option<String>,
    county: Option<String>,
    topics: Option<Vec<String>>,
}

impl JsonLine {
    /// The raw reply this record describes; `default_id` names a record without an `id` (a
    /// record posted to the API must carry its own).
    pub(super) fn into_raw(
        mut self,
        default_id: Option<String>,
        path: &Path,
        line: Option<usize>,
        encoding: &'static str,
    ) -> Result<RawReply, String> {
        if self.text.trim().is_empty() {
            return Err("empty text".into());
        }
        let id = match (self.id.take(), default_id) {
            (Some(id), _) => id.trim().to_string(),
            (None, Some(id)) => id,
            (None, None) => return Err("no `id`: a reply sent to the API needs one".into()),
        };
        check_id(&id)?;
        let overrides = self.overrides();
        Ok(RawReply {
            id,
            text: self.text,
            path: path.to_path_buf(),
            line,
            source_url: self.source_url,
            source: self.source,
            encoding,
            format: if line.is_some() { "jsonl" } else { "api" },
            published: None,
            page_title: None,
            overrides,
        })
    }

    fn overrides(&mut self) -> Overrides {
        Overrides {
            title: self.title.take(),
            doc_number: self.doc_number.take(),
            department: self.department.take(),
            date: self.date.take(),
            year: self.year.take(),
            assembly: self.assembly.take(),
            level: self.level.take(),
            province: self.province.take(),
            city: self.city.take(),
            county: self.county.take(),
            topics: self.topics.take(),
        }
    }
}

/// A reply read from a file, before extraction.
#[derive(Debug, Clone, PartialEq)]
pub struct RawReply {
    pub id: String,
    pub text: String,
    pub path: PathBuf,
    pub line: Option<usize>,
    pub source_url: Option<String>,
    pub source: Option<String>,
    pub encoding: &'static str,
    /// The input format's short name ([`InputFormat::as_str`]), or `api`.
    pub format: &'static str,
    /// The publish date a page gives (`YYYY-MM-DD`).
    pub published: Option<String>,
    /// The title a page gives its article.
    pub page_title: Option<String>,
    pub overrides: Overrides,
}

/// A reply-sized failure: the file (and line) and why it was skipped.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Skip {
    pub path: PathBuf,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    pub reason: String,
}

pub(super) fn file_id(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().trim().to_string())
        .unwrap_or_default()
}

/// Longest id accepted (ids travel in URLs).
pub const MAX_ID_LEN: usize = 200;

fn check_id(id: &str) -> Result<(), String> {
    if id.is_empty() {
        Err("empty id".into())
    } else if id.len() > MAX_ID_LEN {
        Err(format!("id longer than {MAX_ID_LEN} bytes"))
    } else if id.chars().any(char::is_control) {
        Err("id contains control characters".into())
    } else {
        Ok(())
    }
}

/// Reads the body of a write request: one JSON record shaped like a `.jsonl` line (it may span
/// lines), or many of them one after another (NDJSON). Every record needs an `id`. Either every
/// record is read, or none is and the reasons are returned, each with the line the record
/// starts on, so that a request is applied whole or not at all.
pub fn read_posted(body: &str, label: &Path) -> Result<Vec<RawReply>, Vec<Skip>> {
    let mut replies = Vec::new();
    let mut skips = Vec::new();
    // Line numbers are counted from one record's start to the next, once over the body.
    let (mut counted_to, mut line) = (0, 1);
    let mut stream = serde_json::Deserializer::from_str(body).into_iter::<JsonLine>();
    loop {
        // Where the next record starts: after the whitespace that follows the previous one.
        let start = stream.byte_offset()
            + body[stream.byte_offset()..]
                .find(|c: char| !c.is_whitespace())
                .unwrap_or(0);
        let Some(next) = stream.next() else { break };
        line += body[counted_to..start].matches('\n').count();
        counted_to = start;
        match next {
            Ok(record) => match record.into_raw(None, label, Some(line), "utf-8") {
                Ok(raw) => replies.push(raw),
                Err(reason) => skips.push(Skip {
                    path: label.to_path_buf(),
                    line: Some(line),
                    reason,
                }),
            },
            Err(e) => {
                // A syntax error leaves the stream where it cannot resume: report and stop.
                skips.push(Skip {
                    path: label.to_path_buf(),
                    line: Some(e.line()),
                    reason: format!("invalid JSON: {e}"),
                });
                break;
            }
        }
    }
    if replies.is_empty() && skips.is_empty() {
        skips.push(Skip {
            path: label.to_path_buf(),
            line: None,
            reason: "the body holds no reply".into(),
        });
    }
    if skips.is_empty() {
        Ok(replies)
    } else {
        Err(skips)
    }
}

/// The largest reply read by default: 8 MiB of text (a real reply is a few to a hundred KB; a
/// larger file is an export of many, a scan's garbage or an attack).
pub const DEFAULT_MAX_REPLY_BYTES: u64 = 8 << 20;

/// Reads one file, handing each raw reply to `on_reply` as soon as it is read and reporting
/// what cannot be read. A `.txt` file larger than `max_reply_bytes` (a page or document file
/// four times larger) is skipped without being read; a `.jsonl` file is streamed line by line (its size is not limited: only the reply being
/// read is held) and a line longer than `max_reply_bytes` is skipped without being held in
/// memory. Returns the bytes read, or the first error of `on_reply`, which stops the reading.
pub fn read_file<E>(
    path: &Path,
    format: InputFormat,
    max_reply_bytes: u64,
    on_reply: &mut dyn FnMut(RawReply) -> Result<(), E>,
    skips: &mut Vec<Skip>,
) -> Result<u64, E> {
    let skip = skip_in(path);
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) => {
            skips.push(skip(None, format!("cannot read: {e}")));
            return Ok(0);
        }
    };
    if format == InputFormat::JsonLines {
        return super::json_lines::read_json_lines(path, file, max_reply_bytes, on_reply, skips);
    }
    if format == InputFormat::Published(PublishedFormat::LegacyDoc) {
        skips.push(skip(
            None,
            dafu_formats::FormatError::LegacyWord.to_string(),
        ));
        return Ok(0);
    }
    // A page or a document holds its text in markup or a compressed container: the file may
    // be a few times larger than the text limit.
    let max_file_bytes = match format {
        InputFormat::Text => max_reply_bytes,
        _ => max_reply_bytes.saturating_mul(CONTAINER_FACTOR),
    };
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    if size > max_file_bytes {
        skips.push(skip(None, too_large(size, max_file_bytes, "file")));
        return Ok(0);
    }
    let mut bytes = Vec::with_capacity(size as usize);
    // `take` guards against a file that grew since its size was read.
    if let Err(e) = file.take(max_file_bytes + 1).read_to_end(&mut bytes) {
        skips.push(skip(None, format!("cannot read: {e}")));
        return Ok(bytes.len() as u64);
    }
    let read = bytes.len() as u64;
    if read > max_file_bytes {
        skips.push(skip(None, too_large(read, max_file_bytes, "file")));
        return Ok(read);
    }
    let published = match format {
        InputFormat::Published(f) => {
            let limit = usize::try_from(max_reply_bytes).unwrap_or(usize::MAX);
            dafu_formats::read(f, &bytes, limit).map_err(|e| e.to_string())
        }
        _ => decode(&bytes)
            .map(|d| dafu_formats::Published {
                text: d.text,
                encoding: d.encoding,
                ..Default::default()
            })
            .map_err(|e| e.to_string()),
    };
    let published = match published {
        Ok(p) => p,
        Err(reason) => {
            skips.push(skip(None, reason));
            return Ok(read);
        }
    };
    let id = file_id(path);
    if let Err(reason) = check_id(&id) {
        skips.push(skip(None, reason));
        return Ok(read);
    }
    on_reply(RawReply {
        id,
        text: published.text,
        path: path.to_path_buf(),
        line: None,
        source_url: published.source_url,
        source: None,
        encoding: published.encoding,
        format: format.as_str(),
        published: published.published,
        page_title: published.title,
        overrides: Overrides::default(),
    })?;
    Ok(read)
}

/// How many times the text limit a page or document file may be.
const CONTAINER_FACTOR: u64 = 4;

/// Makes the [`Skip`]s of one file: `skip(line, reason)`.
pub(super) fn skip_in(path: &Path) -> impl Fn(Option<usize>, String) -> Skip + '_ {
    move |line, reason| Skip {
        path: path.to_path_buf(),
        line,
        reason,
    }
}

pub(super) fn too_large(size: u64, max: u64, what: &str) -> String {
    format!(
        "{what} is {:.1} MiB, over the {:.1} MiB limit for one reply",
        size as f64 / (1u64 << 20) as f64,
        max as f64 / (1u64 << 20) as f64
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_jsonl(name: &str, bytes: &[u8], cap: u64) -> (Vec<RawReply>, Vec<Skip>) {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).expect("write");
        let (mut replies, mut skips) = (Vec::new(), Vec::new());
        let read = read_file(
            &path,
            InputFormat::JsonLines,
            cap,
            &mut |raw| {
                replies.push(raw);
                Ok::<_, ()>(())
            },
            &mut skips,
        );
        assert_eq!(read, Ok(bytes.len() as u64));
        (replies, skips)
    }

    const LINE: &str = r#"{"id": "r1", "text": "关于加强社区养老服务的建议的答复：我局将于2021年底前新建养老服务站20家。"}"#;

    #[test]
    fn json_lines_in_utf16_gbk_and_with_a_bom_are_read() {
        let text = format!("{LINE}\n{}\n", LINE.replace("r1", "r2"));
        let mut utf16 = vec![0xFF, 0xFE];
        for unit in text.encode_utf16() {
            utf16.extend_from_slice(&unit.to_le_bytes());
        }
        let (replies, skips) = read_jsonl("u16.jsonl", &utf16, 1 << 20);
        assert!(skips.is_empty(), "{skips:?}");
        assert_eq!(replies.len(), 2);
        assert_eq!(replies[1].id, "r2");
        assert_eq!(replies[1].encoding, "UTF-16LE");
        assert!(replies[0].text.starts_with("关于加强社区养老服务"));

        let (gbk, _, _) = encoding_rs::GBK.encode(&text);
        let (replies, skips) = read_jsonl("gbk.jsonl", &gbk, 1 << 20);
        assert!(skips.is_empty(), "{skips:?}");
        assert_eq!(replies.len(), 2);
        assert_eq!(replies[0].encoding, "gb18030");

        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice(text.as_bytes());
        let (replies, skips) = read_jsonl("bom.jsonl", &bom, 1 << 20);
        assert!(skips.is_empty(), "{skips:?}");
        assert_eq!(
            replies.iter().map(|r| r.encoding).collect::<Vec<_>>(),
            ["UTF-8"; 2]
        );
    }

    #[test]
    fn a_line_over_the_limit_and_a_damaged_line_cost_only_themselves() {
        let long = format!(r#"{{"id": "big", "text": "{}"}}"#, "养老服务".repeat(100));
        let mut bytes = format!("{LINE}\n{long}\n").into_bytes();
        let damaged = LINE.replace("r1", "r3").into_bytes();
        bytes.extend_from_slice(&damaged[..damaged.len() - 5]);
        bytes.push(0xFF);
        bytes.extend_from_slice(&damaged[damaged.len() - 5..]);
        bytes.extend_from_slice(format!("\n{}\n", LINE.replace("r1", "r4")).as_bytes());
        let (replies, skips) = read_jsonl("mixed.jsonl", &bytes, 1000);
        assert_eq!(
            replies.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(),
            ["r1", "r4"]
        );
        assert_eq!(skips.len(), 2, "{skips:?}");
        assert_eq!(skips[0].line, Some(2));
        assert!(skips[0].reason.contains("limit"), "{}", skips[0].reason);
        assert_eq!(skips[1].line, Some(3));
        assert!(skips[1].reason.contains("UTF-8"), "{}", skips[1].reason);
    }

    #[test]
    fn binary_and_empty_json_lines_files_are_one_skip_each() {
        let binary: Vec<u8> = (0..200_000u32).map(|i| (i * 131 % 251) as u8).collect();
        let (replies, skips) = read_jsonl("binary.jsonl", &binary, 1 << 20);
        assert!(replies.is_empty());
        assert_eq!(skips.len(), 1, "{skips:?}");
        assert!(
            skips[0].reason.contains("not JSON Lines"),
            "{}",
            skips[0].reason
        );

        let (replies, skips) = read_jsonl("empty.jsonl", b"\n \n", 1 << 20);
        assert!(replies.is_empty());
        assert_eq!(skips.len(), 1);
        assert!(skips[0].reason.contains("empty"), "{}", skips[0].reason);
    }

    #[test]
    fn a_text_file_over_the_limit_is_not_read() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("big.txt");
        std::fs::write(&path, "养老服务答复".repeat(1000)).expect("write");
        let (mut replies, mut skips) = (Vec::new(), Vec::new());
        let read = read_file(
            &path,
            InputFormat::Text,
            1000,
            &mut |raw| {
                replies.push(raw);
                Ok::<_, ()>(())
            },
            &mut skips,
        );
        assert_eq!(read, Ok(0));
        assert!(replies.is_empty());
        assert!(skips[0].reason.contains("over the"), "{}", skips[0].reason);
    }
}
