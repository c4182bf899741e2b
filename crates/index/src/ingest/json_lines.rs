//! Streaming a `.jsonl` input: one reply per line, each line decoded and parsed on its own,
//! a line over the size limit read past without being held, the whole file UTF-16 when its
//! byte-order mark says so.

use std::fs::File;
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::Path;

use encoding_rs_io::DecodeReaderBytesBuilder;

use dafu_extract::ExtractError;
use dafu_extract::decode::decode;

use super::input::{JsonLine, RawReply, Skip, file_id, skip_in, too_large};

/// Streams a `.jsonl` file: a UTF-16 file (by its byte-order mark) is transcoded as it is read,
/// a UTF-8 byte-order mark is dropped, and each line is decoded on its own (UTF-8, or GB18030
/// for the odd legacy export), so one bad line costs that line only.
pub(super) fn read_json_lines<E>(
    path: &Path,
    mut file: File,
    max_line_bytes: u64,
    on_reply: &mut dyn FnMut(RawReply) -> Result<(), E>,
    skips: &mut Vec<Skip>,
) -> Result<u64, E> {
    let skip = skip_in(path);
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    let utf16 = match utf16_label(&mut file) {
        Ok(label) => label,
        Err(e) => {
            skips.push(skip(None, format!("cannot read: {e}")));
            return Ok(0);
        }
    };
    let transcoder = DecodeReaderBytesBuilder::new()
        .bom_sniffing(true)
        .strip_bom(true)
        .utf8_passthru(true)
        .build(file);
    let mut reader = BufReader::with_capacity(1 << 20, transcoder);
    let stem = file_id(path);
    let skips_before = skips.len();
    let mut line = Vec::new();
    let (mut line_no, mut read, mut failed) = (0, 0, 0);
    loop {
        line_no += 1;
        let text = match read_capped_line(&mut reader, &mut line, max_line_bytes) {
            Ok(Line::End) => break,
            Ok(Line::TooLong(len)) => {
                failed += 1;
                skips.push(skip(Some(line_no), too_large(len, max_line_bytes, "line")));
                continue;
            }
            Ok(Line::Read) => &line,
            Err(e) => {
                skips.push(skip(Some(line_no), format!("cannot read: {e}")));
                break;
            }
        };
        if text.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        if read == 0 && failed >= GIVE_UP_AFTER {
            // Nothing readable so far: a binary or foreign file named .jsonl, not a file with
            // a few bad lines; one reason for the file instead of one per line.
            skips.truncate(skips_before);
            skips.push(skip(
                None,
                format!("not JSON Lines: its first {GIVE_UP_AFTER} lines are unreadable"),
            ));
            return Ok(size);
        }
        let result = decode(text).map_err(|e| e.to_string()).and_then(|decoded| {
            let record: JsonLine = serde_json::from_str(&decoded.text)
                .map_err(|e| format!("invalid JSON line: {e}"))?;
            let default_id = format!("{stem}-{line_no}");
            let encoding = utf16.unwrap_or(decoded.encoding);
            record.into_raw(Some(default_id), path, Some(line_no), encoding)
        });
        match result {
            Ok(raw) => {
                read += 1;
                on_reply(raw)?;
            }
            Err(reason) => {
                failed += 1;
                skips.push(skip(Some(line_no), reason));
            }
        }
    }
    if read == 0 && skips.len() == skips_before {
        skips.push(skip(None, ExtractError::Empty.to_string()));
    }
    Ok(size)
}

/// Unreadable lines at the start of a `.jsonl` file after which the file is given up.
const GIVE_UP_AFTER: usize = 20;

/// The encoding of a file that begins with a UTF-16 byte-order mark (the file is left at its
/// start).
fn utf16_label(file: &mut File) -> std::io::Result<Option<&'static str>> {
    let mut head = [0u8; 2];
    let n = file.read(&mut head)?;
    file.seek(SeekFrom::Start(0))?;
    Ok(match &head[..n] {
        [0xFF, 0xFE] => Some("UTF-16LE"),
        [0xFE, 0xFF] => Some("UTF-16BE"),
        _ => None,
    })
}

/// What [`read_capped_line`] found.
#[derive(Debug, PartialEq, Eq)]
enum Line {
    /// A line (without its `\n`) is in the buffer.
    Read,
    /// The line had this many bytes, over the cap; it was read past, not kept.
    TooLong(u64),
    /// The input is exhausted.
    End,
}

/// Reads one line into `line` (cleared first, without the newline), keeping at most `cap`
/// bytes: a longer line is consumed to its end and reported with its length.
fn read_capped_line(
    reader: &mut impl BufRead,
    line: &mut Vec<u8>,
    cap: u64,
) -> std::io::Result<Line> {
    line.clear();
    let (mut len, mut any) = (0u64, false);
    loop {
        let buf = match reader.fill_buf() {
            Ok(buf) => buf,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if buf.is_empty() {
            break;
        }
        any = true;
        let (chunk, done) = match buf.iter().position(|&b| b == b'\n') {
            Some(i) => (&buf[..i], Some(i + 1)),
            None => (buf, None),
        };
        len += chunk.len() as u64;
        if len <= cap {
            line.extend_from_slice(chunk);
        } else if !line.is_empty() {
            line.clear();
            line.shrink_to(64 << 10);
        }
        let used = done.unwrap_or(buf.len());
        reader.consume(used);
        if done.is_some() {
            break;
        }
    }
    if line.last() == Some(&b'\r') {
        line.pop();
    }
    Ok(match (any, len > cap) {
        (false, _) => Line::End,
        (true, true) => Line::TooLong(len),
        (true, false) => Line::Read,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(input: &[u8], cap: u64) -> Vec<(Line, String)> {
        let mut reader = BufReader::with_capacity(4, input);
        let mut line = Vec::new();
        let mut out = Vec::new();
        loop {
            let got = read_capped_line(&mut reader, &mut line, cap).expect("read");
            if got == Line::End {
                return out;
            }
            out.push((got, String::from_utf8_lossy(&line).into_owned()));
        }
    }

    #[test]
    fn capped_lines_are_read_whole_or_skipped_whole() {
        let got = lines(b"ab\r\n0123456789\n\nxyz", 5);
        assert_eq!(
            got,
            [
                (Line::Read, "ab".to_string()),
                (Line::TooLong(10), String::new()),
                (Line::Read, String::new()),
                (Line::Read, "xyz".to_string()),
            ]
        );
        assert!(lines(b"", 5).is_empty());
    }
}
