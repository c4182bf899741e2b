//! The facets that are more than a list of values: the region tree (provinces → cities →
//! counties, with division codes) and the year histogram (every year in the span, zeros
//! included), as `/api/search` returns them beside the flat facets.
//!
//! The collector counts (province, city, county) paths (the region facet of
//! [`crate::facet_codes`]); [`region_tree`] folds them into a tree and names each node's code from the region table.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;

use serde::Serialize;

use dafu_extract::region::{RegionLevel, RegionTable};

use crate::facet_codes::{RegionPath, Value};

/// One division of the region tree with the replies placed in it (its own and its children's).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct RegionNode {
    /// The division's full name (浙江省, 嘉兴市, 嘉善县).
    pub value: String,
    /// Its six-digit division code (330000), when the region table knows the name there.
    pub code: Option<String>,
    pub count: u64,
    /// Cities of a province (and counties placed directly under it, such as a municipality's
    /// districts); counties of a city. Most replies first.
    #[schema(no_recursion)]
    pub children: Vec<RegionNode>,
}

/// The division of `level` called `name` under `parent` (any parent for provinces).
fn code_of(
    table: &RegionTable,
    name: &str,
    level: RegionLevel,
    parent: Option<u32>,
) -> Option<u32> {
    table
        .named(name)
        .find(|r| r.level == level && (parent.is_none() || r.parent == parent))
        .map(|r| r.code)
}

/// A node being built: count and children by name.
#[derive(Default)]
struct Branch {
    count: u64,
    /// Hashed, not ordered: the nodes are sorted once built (by count, then name).
    children: FxHashMap<Value, Branch>,
}

impl Branch {
    fn add(&mut self, names: &[&Value], n: u64) {
        self.count += n;
        if let Some((first, rest)) = names.split_first() {
            self.children
                .entry(Value::clone(first))
                .or_default()
                .add(rest, n);
        }
    }
}

/// Builds the tree from path counts. Replies with no province are not in it; a county with
/// no city hangs under its province.
pub fn region_tree(paths: &[(RegionPath, u64)], table: &RegionTable) -> Vec<RegionNode> {
    let mut root = Branch::default();
    for (path, n) in paths {
        let names: Vec<&Value> = path.iter().flatten().collect();
        if path[0].is_some() {
            root.add(&names, *n);
        }
    }
    fn nodes(
        branch: Branch,
        table: &RegionTable,
        depth: usize,
        parent: Option<u32>,
    ) -> Vec<RegionNode> {
        let mut out: Vec<RegionNode> = branch
            .children
            .into_iter()
            .map(|(name, child)| {
                let code = match depth {
                    0 => code_of(table, &name, RegionLevel::Province, None),
                    _ => parent.and_then(|p| {
                        code_of(table, &name, RegionLevel::City, Some(p))
                            .or_else(|| code_of(table, &name, RegionLevel::County, Some(p)))
                    }),
                };
                RegionNode {
                    code: code.map(|c| c.to_string()),
                    count: child.count,
                    children: nodes(child, table, depth + 1, code),
                    value: name.to_string(),
                }
            })
            .collect();
        out.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
        out
    }
    nodes(root, table, 0, None)
}

/// One bar of the year histogram.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct YearCount {
    pub year: u64,
    pub count: u64,
}

/// Every year from the smallest to the largest with a count, oldest first, zeros filled in.
/// `years` is the `year` facet (year as text -> count); values that are not years are ignored.
pub fn year_histogram(years: &[(Value, u64)]) -> Vec<YearCount> {
    let counts: BTreeMap<u64, u64> = years
        .iter()
        .filter(|&(_, n)| *n > 0)
        .filter_map(|(y, n)| Some((y.parse().ok()?, *n)))
        .collect();
    let (Some((&first, _)), Some((&last, _))) = (counts.first_key_value(), counts.last_key_value())
    else {
        return Vec::new();
    };
    (first..=last)
        .map(|year| YearCount {
            year,
            count: counts.get(&year).copied().unwrap_or(0),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(p: &str, c: Option<&str>, k: Option<&str>) -> RegionPath {
        [Some(Value::from(p)), c.map(Value::from), k.map(Value::from)]
    }

    #[test]
    fn the_tree_adds_up_and_carries_codes() {
        let paths: Vec<(RegionPath, u64)> = vec![
            (path("浙江省", None, None), 2),
            (path("浙江省", Some("嘉兴市"), None), 3),
            (path("浙江省", Some("嘉兴市"), Some("嘉善县")), 4),
            (path("浙江省", Some("杭州市"), None), 1),
            (path("北京市", None, Some("海淀区")), 5),
            ([None, None, None], 7),
        ];
        let tree = region_tree(&paths, RegionTable::embedded());
        assert_eq!(tree.len(), 2);
        let zj = &tree[0];
        assert_eq!((zj.value.as_str(), zj.count), ("浙江省", 10));
        assert_eq!(zj.code.as_deref(), Some("330000"));
        assert_eq!(zj.children[0].value, "嘉兴市");
        assert_eq!(zj.children[0].count, 7);
        assert_eq!(zj.children[0].code.as_deref(), Some("330400"));
        assert_eq!(zj.children[0].children[0].value, "嘉善县");
        assert_eq!(zj.children[0].children[0].code.as_deref(), Some("330421"));
        assert_eq!(zj.children[1].count, 1);
        let bj = &tree[1];
        assert_eq!(bj.count, 5);
        assert_eq!(bj.children[0].value, "海淀区");
        assert_eq!(bj.children[0].code.as_deref(), Some("110108"));
    }

    #[test]
    fn the_histogram_fills_the_gaps() {
        let years: Vec<(Value, u64)> = [("2019", 2), ("2016", 1), ("2017", 0)]
            .into_iter()
            .map(|(y, n)| (Value::from(y), n))
            .collect();
        let h = year_histogram(&years);
        assert_eq!(
            h.iter().map(|y| (y.year, y.count)).collect::<Vec<_>>(),
            vec![(2016, 1), (2017, 0), (2018, 0), (2019, 2)]
        );
        assert!(year_histogram(&[]).is_empty());
    }
}
