//! Finding reply files and reading them into raw replies: `.txt` (one reply per file, UTF-8 or
//! GB18030/GBK) and `.jsonl` (one reply per line).

use std::path::{Path, PathBuf};

use serde::Deserialize;
use walkdir::WalkDir;

use dafu_extract::decode::decode;

/// Input formats the ingester reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputFormat {
    Text,
    JsonLines,
}

impl InputFormat {
    pub fn of(path: &Path) -> Option<InputFormat> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "txt" => Some(InputFormat::Text),
            "jsonl" | "ndjson" => Some(InputFormat::JsonLines),
            _ => None,
        }
    }
}

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
                    "unsupported format (expected .txt or .jsonl)".into(),
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

/// One line of a `.jsonl` input.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonLine {
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
    fn into_raw(
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

fn file_id(path: &Path) -> String {
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

/// Reads one file into raw replies, reporting what cannot be read.
pub fn read_file(
    path: &Path,
    format: InputFormat,
    replies: &mut Vec<RawReply>,
    skips: &mut Vec<Skip>,
) -> u64 {
    let skip = |line: Option<usize>, reason: String| Skip {
        path: path.to_path_buf(),
        line,
        reason,
    };
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            skips.push(skip(None, format!("cannot read: {e}")));
            return 0;
        }
    };
    let size = bytes.len() as u64;
    let decoded = match decode(&bytes) {
        Ok(d) => d,
        Err(e) => {
            skips.push(skip(None, e.to_string()));
            return size;
        }
    };
    match format {
        InputFormat::Text => {
            let id = file_id(path);
            if let Err(reason) = check_id(&id) {
                skips.push(skip(None, reason));
                return size;
            }
            replies.push(RawReply {
                id,
                text: decoded.text,
                path: path.to_path_buf(),
                line: None,
                source_url: None,
                source: None,
                encoding: decoded.encoding,
                overrides: Overrides::default(),
            });
        }
        InputFormat::JsonLines => {
            let stem = file_id(path);
            for (i, line) in decoded.text.lines().enumerate() {
                let line_no = i + 1;
                if line.trim().is_empty() {
                    continue;
                }
                let record: JsonLine = match serde_json::from_str(line) {
                    Ok(r) => r,
                    Err(e) => {
                        skips.push(skip(Some(line_no), format!("invalid JSON line: {e}")));
                        continue;
                    }
                };
                let default_id = format!("{stem}-{line_no}");
                match record.into_raw(Some(default_id), path, Some(line_no), decoded.encoding) {
                    Ok(raw) => replies.push(raw),
                    Err(reason) => skips.push(skip(Some(line_no), reason)),
                }
            }
        }
    }
    size
}
