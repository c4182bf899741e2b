//! Reading one segment's facet columns into codes, a batch of documents at a time.

use std::hash::Hash;

use rustc_hash::FxHashMap;
use tantivy::columnar::{BytesColumn, Column, StrColumn};
use tantivy::{DocId, SegmentReader};

use dafu_index::schema::names;

use super::segment::CodedFacet;
use super::{Dictionary, RegionPath, Value};

/// A segment's facet read from its columns, before its values get global ids.
pub(super) struct Read<K> {
    pub(super) codes: Vec<u32>,
    pub(super) offsets: Option<Vec<u32>>,
    /// The value of each code from 1 (code `c` is `values[c - 1]`).
    pub(super) values: Vec<K>,
}

/// The code of the last key looked up: a reply's commitments follow it in the segment with
/// its values, so most documents repeat the key before them and need no lookup in a map
/// (hashing a key for each of a segment's million documents was 7.5% of a start-up's CPU).
struct RunCache<K> {
    last: Option<(K, u32)>,
}

impl<K> Default for RunCache<K> {
    fn default() -> Self {
        RunCache { last: None }
    }
}

impl<K: Copy + PartialEq> RunCache<K> {
    /// The code of `key`: the last one's if it is the same key, else `lookup`'s.
    fn code(&mut self, key: K, lookup: impl FnOnce(K) -> u32) -> u32 {
        match self.last {
            Some((last, code)) if last == key => code,
            _ => {
                let code = lookup(key);
                self.last = Some((key, code));
                code
            }
        }
    }
}

/// Documents read per batch of column lookups.
const BATCH: usize = 1024;

/// Calls `f` with each batch of documents (`start`, up to [`BATCH`] documents) and the first
/// value of each in every one of `columns` (`None` for no value, or no column).
fn first_values<const N: usize>(
    columns: [Option<&Column<u64>>; N],
    max_doc: DocId,
    mut f: impl FnMut(&[[Option<u64>; N]]),
) {
    let mut out: [Vec<Option<u64>>; N] = std::array::from_fn(|_| vec![None; BATCH]);
    let mut rows = Vec::with_capacity(BATCH);
    let mut docs = Vec::with_capacity(BATCH);
    let mut start = 0;
    while start < max_doc {
        let end = max_doc.min(start.saturating_add(BATCH as DocId));
        docs.clear();
        docs.extend(start..end);
        for (column, out) in columns.iter().zip(out.iter_mut()) {
            out[..docs.len()].fill(None);
            if let Some(column) = column {
                column.first_vals(&docs, &mut out[..docs.len()]);
            }
        }
        rows.clear();
        rows.extend((0..docs.len()).map(|i| std::array::from_fn(|c| out[c][i])));
        f(&rows);
        start = end;
    }
}

/// The values of a string column by ordinal.
fn column_values(column: &StrColumn) -> std::io::Result<Vec<Value>> {
    let dictionary = column.dictionary();
    let mut values = Vec::with_capacity(dictionary.num_terms());
    let mut stream = dictionary.stream()?;
    while stream.advance() {
        values.push(Value::from(String::from_utf8_lossy(stream.key())));
    }
    Ok(values)
}

/// A string column: each document's ordinals plus one (0 for none).
pub(super) fn read_str(
    column: &StrColumn,
    max_doc: DocId,
    multi: bool,
) -> std::io::Result<Read<Value>> {
    let values = column_values(column)?;
    if !multi {
        let mut codes = Vec::with_capacity(max_doc as usize);
        first_values([Some(column.ords())], max_doc, |rows| {
            codes.extend(rows.iter().map(|[ord]| ord.map_or(0, |o| o as u32 + 1)));
        });
        return Ok(Read {
            codes,
            offsets: None,
            values,
        });
    }
    let mut codes = Vec::new();
    let mut offsets = Vec::with_capacity(max_doc as usize + 1);
    offsets.push(0);
    for doc in 0..max_doc {
        codes.extend(column.term_ords(doc).map(|o| o as u32 + 1));
        offsets.push(u32::try_from(codes.len()).unwrap_or(u32::MAX));
    }
    Ok(Read {
        codes,
        offsets: Some(offsets),
        values,
    })
}

/// The year column, each year a code (unknown years, stored as 0, have none).
pub(super) fn read_years(column: &Column<u64>, max_doc: DocId) -> Read<Value> {
    let mut local: FxHashMap<u64, u32> = FxHashMap::default();
    let mut values = Vec::new();
    let mut codes = Vec::with_capacity(max_doc as usize);
    let mut last = RunCache::default();
    first_values([Some(column)], max_doc, |rows| {
        codes.extend(rows.iter().map(|[year]| match year {
            None | Some(0) => 0,
            Some(y) => last.code(*y, |y| {
                *local.entry(y).or_insert_with(|| {
                    values.push(Value::from(y.to_string()));
                    values.len() as u32
                })
            }),
        }));
    });
    Read {
        codes,
        offsets: None,
        values,
    }
}

/// The (province, city, county) path of every document, each distinct path a code.
pub(super) fn read_regions(segment: &SegmentReader) -> tantivy::Result<Read<RegionPath>> {
    let ff = segment.fast_fields();
    let max_doc = segment.max_doc();
    let mut columns: Vec<Option<StrColumn>> = Vec::with_capacity(3);
    let mut names_by_ord: Vec<Vec<Value>> = Vec::with_capacity(3);
    for name in [names::PROVINCE, names::CITY, names::COUNTY] {
        let column = ff.str(name)?;
        names_by_ord.push(match &column {
            Some(c) => column_values(c)?,
            None => Vec::new(),
        });
        columns.push(column);
    }
    let ords = |l: usize| columns[l].as_deref().map(BytesColumn::ords);
    let mut local: FxHashMap<[Option<u64>; 3], u32> = FxHashMap::default();
    let mut values: Vec<RegionPath> = Vec::new();
    let mut codes = Vec::with_capacity(max_doc as usize);
    let mut last = RunCache::default();
    first_values([ords(0), ords(1), ords(2)], max_doc, |rows| {
        codes.extend(rows.iter().map(|key| {
            if *key == [None, None, None] {
                return 0;
            }
            last.code(*key, |key| {
                *local.entry(key).or_insert_with(|| {
                    values.push(std::array::from_fn(|l| {
                        key[l].and_then(|o| names_by_ord[l].get(o as usize).cloned())
                    }));
                    values.len() as u32
                })
            })
        }));
    });
    Ok(Read {
        codes,
        offsets: None,
        values,
    })
}

impl<K: Hash + Eq + Clone> Read<K> {
    /// Each value's code: its id in `dictionary` plus one (`[0]`, no value, stays 0).
    fn global_codes(&self, dictionary: &mut Dictionary<K>) -> Vec<u32> {
        let mut globals = Vec::with_capacity(self.values.len() + 1);
        globals.push(0);
        globals.extend(
            self.values
                .iter()
                .map(|v| dictionary.intern(v).saturating_add(1)),
        );
        globals
    }

    /// The coded facet of a single-valued column, its values given ids in `dictionary`.
    pub(super) fn coded(self, dictionary: &mut Dictionary<K>) -> CodedFacet {
        let globals = self.global_codes(dictionary);
        // In place: a segment's column of codes is megabytes, and a second one at once stayed
        // in the allocator's arenas after the warm-up (+20 MB of the server's idle memory).
        let mut codes = self.codes;
        for c in &mut codes {
            *c = globals.get(*c as usize).copied().unwrap_or(0);
        }
        CodedFacet::new(codes)
    }

    /// The coded facet of a multi-valued column: each document's *set* of values, its values
    /// given ids in `dictionary` and the set (of value ids, ascending) an id in `sets`.
    pub(super) fn coded_sets(
        self,
        dictionary: &mut Dictionary<K>,
        sets: &mut Dictionary<Box<[u32]>>,
    ) -> CodedFacet {
        let Some(offsets) = &self.offsets else {
            return self.coded(dictionary);
        };
        let globals = self.global_codes(dictionary);
        // A segment holds a few hundred distinct lists of codes: each is interned once.
        let mut seen: FxHashMap<&[u32], u32> = FxHashMap::default();
        let mut codes = Vec::with_capacity(offsets.len().saturating_sub(1));
        let mut last = RunCache::default();
        for w in offsets.windows(2) {
            let local = self.codes.get(w[0] as usize..w[1] as usize).unwrap_or(&[]);
            if local.is_empty() {
                codes.push(0);
                continue;
            }
            let code = last.code(local, |local| {
                *seen.entry(local).or_insert_with(|| {
                    let mut set: Vec<u32> = local
                        .iter()
                        .filter_map(|&c| globals.get(c as usize).map(|g| g.saturating_sub(1)))
                        .collect();
                    set.sort_unstable();
                    set.dedup();
                    sets.intern(&set.into_boxed_slice()).saturating_add(1)
                })
            });
            codes.push(code);
        }
        CodedFacet::new(codes)
    }
}

#[cfg(test)]
mod tests {
    use super::RunCache;

    #[test]
    fn a_key_is_looked_up_only_when_it_differs_from_the_last() {
        let mut cache = RunCache::default();
        let mut lookups = Vec::new();
        let codes: Vec<u32> = [7u64, 7, 7, 9, 9, 7, 7]
            .into_iter()
            .map(|key| {
                cache.code(key, |k| {
                    lookups.push(k);
                    k as u32 * 10
                })
            })
            .collect();
        assert_eq!(codes, [70, 70, 70, 90, 90, 70, 70]);
        assert_eq!(lookups, [7, 9, 7]);
    }
}
