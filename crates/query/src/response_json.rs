//! The JSON the API sends for a search or commitment search, with its region tree written
//! without serde.
//!
//! The full region tree of a broad search (the default, `region_tree` unset) has about 3,000
//! divisions, 200 KB of JSON at 100,000 replies. Serde's derived `Serialize`, writing into
//! axum's buffer, spent some 650 instructions a division on it (four keys and two strings
//! escaped, a dozen small writes, each checking the buffer's room): ~2 M a response, 7.6% of
//! the instructions of the end-to-end benchmark's mix, its export aside (BENCHMARKS.md).
//! [`write_region_tree`] writes the same bytes straight into a `Vec` with a third of the
//! instructions: a name or code is copied as it is unless it holds a character JSON must
//! escape (never, for the region table's names; serde escapes any that does).
//!
//! The responses' other fields stay with serde. The region tree is their last field, so
//! [`to_json`] serializes a response with the tree taken out (`"region_tree":[]}` at the end)
//! and writes the tree in the place of `[]`; the bytes are what serde writes for the whole
//! response (unit-tested against it).

use serde::Serialize;

use crate::response::{CommitmentResponse, SearchResponse};
use crate::shaped_facets::RegionNode;

/// A response whose last field is the region tree.
pub trait WithRegionTree: Serialize {
    /// The response's tree, for it to be taken out and put back.
    fn region_tree_mut(&mut self) -> &mut Vec<RegionNode>;
}

impl WithRegionTree for SearchResponse {
    fn region_tree_mut(&mut self) -> &mut Vec<RegionNode> {
        &mut self.region_tree
    }
}

impl WithRegionTree for CommitmentResponse {
    fn region_tree_mut(&mut self) -> &mut Vec<RegionNode> {
        &mut self.region_tree
    }
}

/// How a response serialized with an empty region tree ends (the tree is its last field).
const EMPTY_TREE_END: &[u8] = br#""region_tree":[]}"#;

/// The bytes JSON gives a division, besides its name, code and count, at most (for the room
/// to reserve).
const NODE_BYTES: usize = 64;

/// `response` as compact JSON: the bytes `serde_json::to_vec` gives, the region tree written
/// by [`write_region_tree`].
pub fn to_json<R: WithRegionTree>(mut response: R) -> Result<Vec<u8>, serde_json::Error> {
    let tree = std::mem::take(response.region_tree_mut());
    match with_tree_written(&response, &tree)? {
        Some(bytes) => Ok(bytes),
        None => {
            // Not the last field (a change of the response's fields): serde writes it all.
            *response.region_tree_mut() = tree;
            serde_json::to_vec(&response)
        }
    }
}

/// `response`, whose region tree was taken out, serialized with `tree` written in the tree's
/// place; `None` when the tree is not its last field.
fn with_tree_written<R: Serialize>(
    response: &R,
    tree: &[RegionNode],
) -> Result<Option<Vec<u8>>, serde_json::Error> {
    let mut out = Vec::with_capacity(8 << 10);
    serde_json::to_writer(&mut out, response)?;
    if !out.ends_with(EMPTY_TREE_END) {
        return Ok(None);
    }
    out.truncate(out.len() - "[]}".len());
    out.reserve(tree_bytes(tree));
    write_region_tree(tree, &mut out);
    out.push(b'}');
    Ok(Some(out))
}

/// About how many bytes the tree's JSON takes (names and codes are a few dozen bytes).
fn tree_bytes(nodes: &[RegionNode]) -> usize {
    nodes
        .iter()
        .map(|n| NODE_BYTES + n.value.len() + tree_bytes(&n.children))
        .sum()
}

/// Writes `nodes` as serde_json writes a `[RegionNode]` (compact, fields in order, `folded`
/// only when true).
fn write_region_tree(nodes: &[RegionNode], out: &mut Vec<u8>) {
    out.push(b'[');
    for (i, node) in nodes.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(br#"{"value":"#);
        write_str(node.value, out);
        out.extend_from_slice(br#","code":"#);
        match node.code {
            Some(code) => write_str(code, out),
            None => out.extend_from_slice(b"null"),
        }
        out.extend_from_slice(br#","count":"#);
        out.extend_from_slice(itoa::Buffer::new().format(node.count).as_bytes());
        out.extend_from_slice(br#","children":"#);
        write_region_tree(&node.children, out);
        if node.folded {
            out.extend_from_slice(br#","folded":true"#);
        }
        out.push(b'}');
    }
    out.push(b']');
}

/// Writes `text` as a JSON string: as it is between quotes when it holds nothing JSON escapes
/// (a quote, a backslash, a control character), else as serde_json escapes it.
fn write_str(text: &str, out: &mut Vec<u8>) {
    if text.bytes().any(|b| b == b'"' || b == b'\\' || b < 0x20) {
        // Writing into a Vec cannot fail, nor can serializing a str.
        let _ = serde_json::to_writer(&mut *out, text);
    } else {
        out.push(b'"');
        out.extend_from_slice(text.as_bytes());
        out.push(b'"');
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use proptest::prelude::*;

    use super::*;
    use crate::response::FacetValue;
    use crate::shaped_facets::YearCount;

    /// Names from the region table and names no table has: quotes, backslashes, control
    /// characters, emoji.
    fn name() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec![
            "浙江省",
            "嘉兴市",
            "嘉善县",
            "新疆维吾尔自治区",
            "a\"b",
            "back\\slash",
            "tab\there",
            "\u{1}\u{7f}",
            "unit\u{1f}",
            "😀区",
            "",
        ])
    }

    fn node(depth: u32) -> BoxedStrategy<RegionNode> {
        let children = if depth == 0 {
            Just(Vec::new()).boxed()
        } else {
            prop::collection::vec(node(depth - 1), 0..4).boxed()
        };
        (
            name(),
            prop::option::of(prop::sample::select(vec!["330000", "330421", "x\"y"])),
            any::<u64>(),
            children,
            any::<bool>(),
        )
            .prop_map(|(value, code, count, children, folded)| RegionNode {
                value,
                code,
                count,
                children,
                folded,
            })
            .boxed()
    }

    fn response(tree: Vec<RegionNode>) -> SearchResponse {
        let mut facets = BTreeMap::new();
        facets.insert(
            "region".to_string(),
            vec![FacetValue {
                value: "浙江省\"".into(),
                count: 3,
            }],
        );
        SearchResponse {
            total: 3,
            offset: 0,
            limit: 10,
            next_cursor: Some("c\\1".into()),
            hits: Vec::new(),
            facets,
            year_histogram: vec![YearCount {
                year: 2020,
                count: 3,
            }],
            took_ms: 1.25,
            region_tree: tree,
        }
    }

    /// `response`'s JSON as serde writes it, and as [`with_tree_written`] does (which must not
    /// fall back).
    fn both<R: WithRegionTree + Clone>(mut response: R) -> (String, String) {
        let expected = serde_json::to_string(&response).unwrap();
        let tree = std::mem::take(response.region_tree_mut());
        let ours = with_tree_written(&response, &tree)
            .unwrap()
            .expect("the region tree is the response's last field");
        (String::from_utf8(ours).unwrap(), expected)
    }

    proptest! {
        #[test]
        fn the_tree_is_written_as_serde_writes_it(tree in prop::collection::vec(node(2), 0..5)) {
            let mut ours = Vec::new();
            write_region_tree(&tree, &mut ours);
            prop_assert_eq!(String::from_utf8(ours).unwrap(), serde_json::to_string(&tree).unwrap());
        }

        #[test]
        fn a_response_is_written_as_serde_writes_it(tree in prop::collection::vec(node(2), 0..5)) {
            let search = response(tree);
            let (ours, expected) = both(search.clone());
            prop_assert_eq!(ours, expected);
            prop_assert_eq!(
                String::from_utf8(to_json(search.clone()).unwrap()).unwrap(),
                serde_json::to_string(&search).unwrap()
            );
            let commitments = CommitmentResponse {
                total: search.total,
                offset: search.offset,
                limit: search.limit,
                hits: Vec::new(),
                facets: search.facets,
                year_histogram: search.year_histogram,
                took_ms: search.took_ms,
                region_tree: search.region_tree,
            };
            let (ours, expected) = both(commitments);
            prop_assert_eq!(ours, expected);
        }
    }
}
