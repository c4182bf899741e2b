//! Cursor paging: the opaque `cursor` that resumes a reply search right after the last hit of
//! a page, however deep, visiting every hit exactly once.
//!
//! Results are ordered by a sort key of two numbers (score and date, in the order the sort
//! asks) and, among equal keys, by the reply's id, which is unique. A cursor is the
//! [`Position`] of the last hit shown, plus:
//!
//! * a fingerprint of the query, filters and sort it was made for, so that it is refused
//!   rather than silently resuming another search;
//! * a checksum, so that an edited or truncated cursor is refused.
//!
//! On the wire it is URL-safe base64 without padding. Its layout is ours to change: callers
//! only pass back `next_cursor` unchanged.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::error::QueryError;
use crate::request::{RegionTreeView, SearchRequest, Sort};

/// Layout version written first in every cursor.
const VERSION: u8 = 1;
/// Version, sort, fingerprint, primary, secondary.
const HEADER: usize = 1 + 1 + 4 + 8 + 8;
/// Checksum at the end.
const CHECKSUM: usize = 4;
/// Longest id a cursor carries (ids are far shorter; this bounds what a caller can send).
const MAX_ID_BYTES: usize = 1024;

/// Where a hit sits in the result order: its sort key (larger first) and its id (smaller
/// first among equal keys).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Position {
    pub primary: u64,
    pub secondary: u64,
    pub id: String,
}

/// The fingerprint of what a cursor is valid for: the request without its paging (nor how
/// much of the region tree it shows, which only shapes the response).
pub fn fingerprint(request: &SearchRequest) -> u32 {
    let unpaged = SearchRequest {
        limit: 0,
        offset: 0,
        cursor: None,
        region_tree: RegionTreeView::Full,
        ..request.clone()
    };
    crc32fast::hash(format!("{unpaged:?}").as_bytes())
}

fn sort_code(sort: Sort) -> u8 {
    match sort {
        Sort::Relevance => 0,
        Sort::Date => 1,
        Sort::DateAsc => 2,
    }
}

fn sort_name(code: u8) -> &'static str {
    match code {
        0 => "relevance",
        1 => "date",
        2 => "date_asc",
        _ => "an unknown sort",
    }
}

/// The cursor that resumes `request` after `last`.
pub fn encode(request: &SearchRequest, last: &Position) -> String {
    let mut bytes = Vec::with_capacity(HEADER + last.id.len() + CHECKSUM);
    bytes.push(VERSION);
    bytes.push(sort_code(request.sort));
    bytes.extend_from_slice(&fingerprint(request).to_le_bytes());
    bytes.extend_from_slice(&last.primary.to_le_bytes());
    bytes.extend_from_slice(&last.secondary.to_le_bytes());
    bytes.extend_from_slice(last.id.as_bytes());
    let checksum = crc32fast::hash(&bytes);
    bytes.extend_from_slice(&checksum.to_le_bytes());
    URL_SAFE_NO_PAD.encode(bytes)
}

fn invalid(message: impl Into<String>) -> QueryError {
    QueryError::invalid("cursor", message)
}

fn u64_at(bytes: &[u8], at: usize) -> u64 {
    let mut b = [0u8; 8];
    b.copy_from_slice(&bytes[at..at + 8]);
    u64::from_le_bytes(b)
}

/// Reads a cursor sent with `request` (whose own `cursor` is ignored) and checks that it was
/// made for the same query, filters and sort.
pub fn decode(text: &str, request: &SearchRequest) -> Result<Position, QueryError> {
    let not_ours = || {
        invalid(
            "not a cursor from this server; pass back next_cursor of the previous page unchanged",
        )
    };
    let text = text.trim();
    if text.len() > (HEADER + MAX_ID_BYTES + CHECKSUM) * 4 / 3 + 4 {
        return Err(not_ours());
    }
    let bytes = URL_SAFE_NO_PAD.decode(text).map_err(|_| not_ours())?;
    if bytes.len() < HEADER + CHECKSUM {
        return Err(not_ours());
    }
    let (body, tail) = bytes.split_at(bytes.len() - CHECKSUM);
    let mut sum = [0u8; CHECKSUM];
    sum.copy_from_slice(tail);
    if crc32fast::hash(body) != u32::from_le_bytes(sum) {
        return Err(invalid(
            "the cursor is damaged or was edited; pass back next_cursor unchanged",
        ));
    }
    if body[0] != VERSION {
        return Err(invalid(
            "the cursor was made by another version of dafu; start again from the first page",
        ));
    }
    if body[1] != sort_code(request.sort) {
        return Err(invalid(format!(
            "the cursor was made for sort={}; pass the same sort or start again without a cursor",
            sort_name(body[1])
        )));
    }
    let mut fp = [0u8; 4];
    fp.copy_from_slice(&body[2..6]);
    if u32::from_le_bytes(fp) != fingerprint(request) {
        return Err(invalid(
            "the cursor was made for another query or other filters; pass the same q and \
             filters, or start again without a cursor",
        ));
    }
    let id = std::str::from_utf8(&body[HEADER..]).map_err(|_| not_ours())?;
    Ok(Position {
        primary: u64_at(body, 6),
        secondary: u64_at(body, 14),
        id: id.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(sort: Sort) -> SearchRequest {
        SearchRequest {
            sort,
            limit: 10,
            ..Default::default()
        }
    }

    fn position() -> Position {
        Position {
            primary: 0x8000_0000_3f80_0000,
            secondary: 20210618,
            id: "杭州-reply-0042".into(),
        }
    }

    fn parameter(e: QueryError) -> String {
        match e {
            QueryError::InvalidParameter { parameter, .. } => parameter,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_cursor_reads_back_for_the_same_request_whatever_its_page() {
        let r = request(Sort::Date);
        let text = encode(&r, &position());
        assert!(
            text.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'),
            "{text}"
        );
        let other_page = SearchRequest {
            limit: 50,
            ..r.clone()
        };
        assert_eq!(decode(&text, &other_page).unwrap(), position());
    }

    #[test]
    fn another_sort_query_or_filter_is_refused() {
        let r = request(Sort::Relevance);
        let text = encode(&r, &position());
        let date = request(Sort::Date);
        let filtered = SearchRequest {
            topic: vec!["talent".into()],
            ..r.clone()
        };
        for other in [date, filtered] {
            let e = decode(&text, &other).unwrap_err();
            assert!(e.to_string().contains("cursor"), "{e}");
            assert_eq!(parameter(e), "cursor");
        }
    }

    #[test]
    fn edited_truncated_or_foreign_cursors_are_refused() {
        let r = request(Sort::DateAsc);
        let text = encode(&r, &position());
        let mut edited = text.clone().into_bytes();
        let i = edited.len() / 2;
        edited[i] = if edited[i] == b'A' { b'B' } else { b'A' };
        let edited = String::from_utf8(edited).unwrap();
        for bad in [
            edited.as_str(),
            &text[..text.len() - 3],
            "",
            "abc",
            "!!!!",
            "null",
            &"A".repeat(5000),
        ] {
            assert_eq!(parameter(decode(bad, &r).unwrap_err()), "cursor", "{bad}");
        }
    }
}
