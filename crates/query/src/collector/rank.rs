//! Ranking the hits kept by each segment into one list (the page), and the position of its
//! last hit (the cursor).

use std::cmp::Reverse;
use std::collections::HashMap;

use tantivy::columnar::StrColumn;
use tantivy::{DocAddress, Score};

use super::{Key, NO_ID};
use crate::cursor::Position;

/// Where the last hit of a page sits in the result order, without its id: the caller reads the
/// id with the hit's stored values (a dictionary read for it cost a zstd block decompression,
/// its context allocated anew, on every search: ~1.5% of a search's CPU).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LastHit {
    pub primary: u64,
    pub secondary: u64,
}

impl LastHit {
    /// The cursor position of the last hit, whose id is `id`.
    pub fn position(self, id: String) -> Position {
        Position {
            primary: self.primary,
            secondary: self.secondary,
            id,
        }
    }
}

/// The hits of a page, best first, with their scores, and where its last hit sits (`None` when
/// it has no id: commitments, which have no cursor).
pub(super) type Page = (Vec<(DocAddress, Score)>, Option<LastHit>);

/// A kept hit ranked across segments.
struct Ranked {
    primary: u64,
    secondary: u64,
    /// Which segment's hits it came from (an index into the parts ranked).
    part: usize,
    /// Its id's ordinal in that segment ([`NO_ID`] without an id).
    ord: u64,
    tie: Tie,
    addr: DocAddress,
    score: Score,
}

/// How hits with the same sort values are ordered: by id ordinal when they all come from one
/// segment, by the ids themselves (documents without one last) when they come from several.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Tie {
    Ord(u64),
    Id(bool, Option<Vec<u8>>),
}

/// The ids of `ords` (sorted, without [`NO_ID`]) in one pass over the segment's dictionary.
fn ids_of(column: &StrColumn, ords: &[u64]) -> tantivy::Result<HashMap<u64, Vec<u8>>> {
    let mut out = HashMap::with_capacity(ords.len());
    let mut next = ords.iter();
    column.dictionary().sorted_ords_to_term_cb(ords, |term| {
        if let Some(&ord) = next.next() {
            out.insert(ord, term.to_vec());
        }
    })?;
    Ok(out)
}

/// The best `keep` hits of all segments, best first, and the position of the last one.
///
/// Hits of one segment compare by their keys; across segments, ids are read only to break ties
/// between segments' hits.
pub(super) fn rank(mut parts: Vec<SegmentTop>, keep: usize) -> tantivy::Result<Page> {
    if parts.len() <= 1 {
        let Some((ids, mut top)) = parts.pop() else {
            return Ok((Vec::new(), None));
        };
        top.sort_by_key(|t| Reverse(t.0));
        top.truncate(keep);
        let last = match (top.last(), &ids) {
            (Some(&(key, _, _)), Some(_)) if (key.2).0 != NO_ID => Some(LastHit {
                primary: key.0,
                secondary: key.1,
            }),
            _ => None,
        };
        return Ok((top.into_iter().map(|(_, a, s)| (a, s)).collect(), last));
    }
    // Across segments the id breaks ties of the sort values, and an id costs a dictionary
    // block read (a zstd decompression) in its segment: ids are read only for hits tied with
    // a hit of another segment. Within a segment the id ordinals order like the ids.
    let mut ranked: Vec<Ranked> = Vec::new();
    for (part, (_, top)) in parts.iter().enumerate() {
        ranked.extend(top.iter().map(|&(key, addr, score)| Ranked {
            primary: key.0,
            secondary: key.1,
            part,
            ord: (key.2).0,
            tie: Tie::Ord((key.2).0),
            addr,
            score,
        }));
    }
    ranked.sort_by_key(|r| (Reverse(r.primary), Reverse(r.secondary)));
    let mut wanted: Vec<Vec<u64>> = vec![Vec::new(); parts.len()];
    let mut tied_across: Vec<std::ops::Range<usize>> = Vec::new();
    let mut start = 0;
    while start < ranked.len() {
        let values = (ranked[start].primary, ranked[start].secondary);
        let end = start
            + ranked[start..]
                .iter()
                .take_while(|r| (r.primary, r.secondary) == values)
                .count();
        let group = &ranked[start..end];
        if group.iter().any(|r| r.part != group[0].part) {
            for r in group.iter().filter(|r| r.ord != NO_ID) {
                wanted[r.part].push(r.ord);
            }
            tied_across.push(start..end);
        }
        start = end;
    }
    if !tied_across.is_empty() {
        let mut names = Vec::with_capacity(parts.len());
        for ((ids, _), ords) in parts.iter().zip(&mut wanted) {
            ords.sort_unstable();
            ords.dedup();
            names.push(match ids {
                Some(column) if !ords.is_empty() => ids_of(column, ords)?,
                _ => HashMap::new(),
            });
        }
        for range in tied_across {
            for r in &mut ranked[range] {
                let id = names[r.part].get(&r.ord).cloned();
                r.tie = Tie::Id(id.is_none(), id);
            }
        }
    }
    ranked.sort_by(|a, b| {
        (Reverse(a.primary), Reverse(a.secondary), &a.tie)
            .cmp(&(Reverse(b.primary), Reverse(b.secondary), &b.tie))
            .then_with(|| {
                (a.addr.segment_ord, a.addr.doc_id).cmp(&(b.addr.segment_ord, b.addr.doc_id))
            })
    });
    ranked.truncate(keep);
    let last = ranked
        .last()
        .filter(|r| r.ord != NO_ID && parts[r.part].0.is_some())
        .map(|r| LastHit {
            primary: r.primary,
            secondary: r.secondary,
        });
    Ok((
        ranked.into_iter().map(|r| (r.addr, r.score)).collect(),
        last,
    ))
}

/// One segment's id column and its kept hits.
pub(super) type SegmentTop = (Option<StrColumn>, Vec<(Key, DocAddress, Score)>);
