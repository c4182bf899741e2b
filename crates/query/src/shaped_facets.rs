//! The facets that are more than a list of values: the region tree (provinces → cities →
//! counties, with division codes) and the year histogram (every year in the span, zeros
//! included), as `/api/search` returns them beside the flat facets.
//!
//! The collector counts (province, city, county) paths (the region facet of
//! [`crate::facet_codes`]); a [`RegionShape`] places each path in the tree once, with the
//! region table's codes, and adds a search's path counts up into the tree.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;
use serde::Serialize;

use dafu_extract::region::{RegionLevel, RegionTable};

use crate::facet_codes::{RegionPath, Value};
use crate::region_filter::RegionSelection;

/// One division of the region tree with the replies placed in it (its own and its children's).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct RegionNode {
    /// The division's full name (浙江省, 嘉兴市, 嘉善县).
    #[schema(value_type = String)]
    pub value: &'static str,
    /// Its six-digit division code (330000), when the region table knows the name there.
    #[schema(value_type = Option<String>)]
    pub code: Option<&'static str>,
    pub count: u64,
    /// Cities of a province (and counties placed directly under it, such as a municipality's
    /// districts); counties of a city. Most replies first. Empty for a node of a folded tree
    /// that is not open (then `folded` is true).
    #[schema(no_recursion)]
    pub children: Vec<RegionNode>,
    /// Whether the node has children with replies that are not listed (`region_tree=folded`
    /// lists the children of open nodes only). Absent when false.
    #[serde(skip_serializing_if = "is_false")]
    pub folded: bool,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// How much of the region tree a search writes (`region_tree`, `region_open`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum RegionTreeView {
    /// Every division with a count, down to the counties (the default).
    #[default]
    Full,
    /// The provinces; below them only the children of the open nodes: those `open` names
    /// (a division code, such as 330400, or a full name, such as 嘉兴市), the places the region
    /// filter selects and the nodes above them. About 10 KB instead of 200 KB for a broad search
    /// at 100,000 replies: a page that shows the tree folded asks for what it shows.
    Folded { open: Vec<String> },
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

/// No node, no city.
const NONE: u32 = u32::MAX;

/// A node's name or code, kept for the life of the process: a shape's nodes are never removed
/// (at most one per division ever counted: a few thousand, ~100 KB at 1,000,000 replies). The
/// trees of concurrent searches borrow them; as `Arc<str>` each written node updated two
/// reference counts shared by every search, which bounced between the cores (11% of the
/// server's CPU under load for the full tree, for 1% of its instructions).
fn kept(text: &str) -> &'static str {
    Box::leak(text.into())
}

/// A division of the [`RegionShape`].
struct ShapeNode {
    value: &'static str,
    code: Option<u32>,
    /// The code as the response writes it.
    code_text: Option<&'static str>,
    /// Its parent node, or [`NONE`] for a province.
    parent: u32,
    children: Vec<u32>,
}

/// The region tree of every (province, city, county) path the region facet has numbered, with
/// each division's code looked up once, when its first path is numbered.
///
/// Built per search, the tree cost about 15% of a search at 100,000 replies (BENCHMARKS.md): the
/// index's ~3,000 paths hashed into nested maps by name and every node's code looked up in the
/// region table by name. With the shape a search adds each counted path's count to the nodes
/// it passes (at most three) and writes out the nodes with a count.
///
/// A path without a province is not in the tree; a county with no city hangs under its
/// province; a node is its name under its parent, so the nodes a search writes are those the
/// paths counted, each once.
#[derive(Default)]
pub(crate) struct RegionShape {
    nodes: Vec<ShapeNode>,
    /// Provinces.
    roots: Vec<u32>,
    /// (parent, or [`NONE`] for a province; name) → node.
    lookup: FxHashMap<(u32, Value), u32>,
    /// By global path id: the nodes the path counts in, outermost first, [`NONE`]-padded.
    path_nodes: Vec<[u32; 3]>,
    /// By global path id: its city in `cities`, or [`NONE`].
    path_city: Vec<u32>,
    /// The cities' names (the flat `city` facet counts by name, whatever the province).
    cities: Vec<Value>,
    city_ids: FxHashMap<Value, u32>,
}

/// What the region facet's counts add up to.
#[derive(Debug, Default)]
pub(crate) struct RegionCounts {
    pub(crate) tree: Vec<RegionNode>,
    /// The flat `region` facet: provinces and their counts.
    pub(crate) provinces: Vec<(Value, u64)>,
    /// The flat `city` facet.
    pub(crate) cities: Vec<(Value, u64)>,
}

impl RegionShape {
    /// How many paths it has placed (the global path ids `0..len`).
    pub(crate) fn len(&self) -> usize {
        self.path_nodes.len()
    }

    /// Places the paths numbered next (global ids `len()..`), in id order.
    pub(crate) fn extend<'p>(
        &mut self,
        paths: impl IntoIterator<Item = &'p RegionPath>,
        table: &RegionTable,
    ) {
        for path in paths {
            let mut nodes = [NONE; 3];
            if path[0].is_some() {
                let mut parent = NONE;
                for (slot, name) in path.iter().flatten().enumerate() {
                    parent = self.node(parent, name, table);
                    nodes[slot] = parent;
                }
            }
            self.path_nodes.push(nodes);
            let city = match &path[1] {
                Some(name) => match self.city_ids.get(name) {
                    Some(&id) => id,
                    None => {
                        let id = u32::try_from(self.cities.len()).unwrap_or(NONE);
                        self.cities.push(name.clone());
                        self.city_ids.insert(name.clone(), id);
                        id
                    }
                },
                None => NONE,
            };
            self.path_city.push(city);
        }
    }

    /// The node called `name` under `parent`, made (with its code) if new.
    fn node(&mut self, parent: u32, name: &Value, table: &RegionTable) -> u32 {
        if let Some(&id) = self.lookup.get(&(parent, name.clone())) {
            return id;
        }
        let code = if parent == NONE {
            code_of(table, name, RegionLevel::Province, None)
        } else {
            self.nodes[parent as usize].code.and_then(|p| {
                code_of(table, name, RegionLevel::City, Some(p))
                    .or_else(|| code_of(table, name, RegionLevel::County, Some(p)))
            })
        };
        let id = u32::try_from(self.nodes.len()).unwrap_or(NONE);
        self.nodes.push(ShapeNode {
            value: kept(name),
            code,
            code_text: code.map(|c| kept(&c.to_string())),
            parent,
            children: Vec::new(),
        });
        match self.nodes.get_mut(parent as usize) {
            Some(p) => p.children.push(id),
            None => self.roots.push(id),
        }
        self.lookup.insert((parent, name.clone()), id);
        id
    }

    /// The tree (as much of it as `view` asks for; `selected` are the region filter's places)
    /// and the flat province and city facets of `totals` (counts by global path id).
    pub(crate) fn count(
        &self,
        totals: &[u32],
        view: &RegionTreeView,
        selected: &[RegionSelection],
    ) -> RegionCounts {
        let mut counts = vec![0u64; self.nodes.len()];
        let mut cities = vec![0u64; self.cities.len()];
        for (id, &n) in totals.iter().enumerate().filter(|&(_, &n)| n > 0) {
            let Some(nodes) = self.path_nodes.get(id) else {
                continue;
            };
            let n = u64::from(n);
            for &node in nodes.iter().take_while(|&&node| node != NONE) {
                counts[node as usize] += n;
            }
            if let Some(c) = cities.get_mut(self.path_city[id] as usize) {
                *c += n;
            }
        }
        let provinces = self
            .roots
            .iter()
            .filter(|&&r| counts[r as usize] > 0)
            .map(|&r| {
                (
                    Value::from(self.nodes[r as usize].value),
                    counts[r as usize],
                )
            })
            .collect();
        let cities = self
            .cities
            .iter()
            .zip(cities)
            .filter(|&(_, n)| n > 0)
            .map(|(name, n)| (name.clone(), n))
            .collect();
        let open = match view {
            RegionTreeView::Full => None,
            RegionTreeView::Folded { open } => Some(self.open_nodes(open, selected)),
        };
        RegionCounts {
            tree: self.write(&self.roots, &counts, open.as_deref()),
            provinces,
            cities,
        }
    }

    /// Which nodes a folded tree opens: those `open` names by code or full name, and each place
    /// of `selected` (by its name, under the places it must lie within) with the nodes above it.
    fn open_nodes(&self, open: &[String], selected: &[RegionSelection]) -> Vec<bool> {
        let mut flags = vec![false; self.nodes.len()];
        let ancestors = |mut id: u32| {
            std::iter::from_fn(move || {
                id = self.nodes.get(id as usize)?.parent;
                (id != NONE).then_some(id)
            })
        };
        for (id, node) in self.nodes.iter().enumerate() {
            let named = |v: &String| **v == *node.value || node.code_text == Some(v.as_str());
            if open.iter().any(named) {
                flags[id] = true;
            }
            let id = u32::try_from(id).unwrap_or(NONE);
            let chosen = selected.iter().any(|s| {
                *s.name == *node.value
                    && (s.level == RegionLevel::Province) == (node.parent == NONE)
                    && s.within.iter().all(|(_, name)| {
                        ancestors(id).any(|a| *self.nodes[a as usize].value == **name)
                    })
            });
            if chosen {
                // The place itself too: choosing a province shows its cities, as opening it
                // would (the page drew a chosen node open before the tree was folded).
                flags[id as usize] = true;
                for a in ancestors(id) {
                    flags[a as usize] = true;
                }
            }
        }
        flags
    }

    /// The nodes of `ids` with a count, most replies first (then by name), with their children
    /// (all of them, or with `open`, those of the open nodes).
    fn write(&self, ids: &[u32], counts: &[u64], open: Option<&[bool]>) -> Vec<RegionNode> {
        let mut out: Vec<RegionNode> = ids
            .iter()
            .filter(|&&id| counts[id as usize] > 0)
            .map(|&id| {
                let node = &self.nodes[id as usize];
                let listed = open.is_none_or(|open| open[id as usize]);
                RegionNode {
                    value: node.value,
                    code: node.code_text,
                    count: counts[id as usize],
                    children: if listed {
                        self.write(&node.children, counts, open)
                    } else {
                        Vec::new()
                    },
                    folded: !listed && node.children.iter().any(|&c| counts[c as usize] > 0),
                }
            })
            .collect();
        out.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(b.value)));
        out
    }
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
        let paths: Vec<RegionPath> = vec![
            path("浙江省", None, None),
            path("浙江省", Some("嘉兴市"), None),
            path("浙江省", Some("嘉兴市"), Some("嘉善县")),
            path("浙江省", Some("杭州市"), None),
            path("北京市", None, Some("海淀区")),
            [None, None, None],
            [None, Some(Value::from("嘉兴市")), None],
        ];
        let mut shape = RegionShape::default();
        // Paths are placed as they are numbered, a segment at a time.
        shape.extend(&paths[..2], RegionTable::embedded());
        shape.extend(&paths[2..], RegionTable::embedded());
        assert_eq!(shape.len(), 7);
        let counts = shape.count(&[2, 3, 4, 1, 5, 7, 6], &RegionTreeView::Full, &[]);
        let tree = counts.tree;
        assert_eq!(tree.len(), 2);
        let zj = &tree[0];
        assert_eq!((zj.value, zj.count), ("浙江省", 10));
        assert_eq!(zj.code, Some("330000"));
        assert_eq!(zj.children[0].value, "嘉兴市");
        assert_eq!(zj.children[0].count, 7);
        assert_eq!(zj.children[0].code, Some("330400"));
        assert_eq!(zj.children[0].children[0].value, "嘉善县");
        assert_eq!(zj.children[0].children[0].code, Some("330421"));
        assert_eq!(zj.children[1].count, 1);
        let bj = &tree[1];
        assert_eq!(bj.count, 5);
        assert_eq!(bj.children[0].value, "海淀区");
        assert_eq!(bj.children[0].code, Some("110108"));
        let mut provinces = counts.provinces;
        provinces.sort();
        assert_eq!(
            provinces,
            vec![(Value::from("北京市"), 5), (Value::from("浙江省"), 10)]
        );
        // The city facet counts by name, with or without a province.
        let mut cities = counts.cities;
        cities.sort();
        assert_eq!(
            cities,
            vec![(Value::from("嘉兴市"), 13), (Value::from("杭州市"), 1)]
        );
    }

    #[test]
    fn nodes_without_a_count_are_left_out() {
        let paths = vec![
            path("浙江省", Some("嘉兴市"), Some("嘉善县")),
            path("浙江省", Some("嘉兴市"), Some("海盐县")),
            path("江苏省", None, None),
        ];
        let mut shape = RegionShape::default();
        shape.extend(&paths, RegionTable::embedded());
        let counts = shape.count(&[0, 2], &RegionTreeView::Full, &[]);
        assert_eq!(counts.tree.len(), 1);
        let city = &counts.tree[0].children[0];
        assert_eq!((city.value, city.count), ("嘉兴市", 2));
        assert_eq!(city.children.len(), 1);
        assert_eq!(city.children[0].value, "海盐县");
        assert_eq!(counts.provinces, vec![(Value::from("浙江省"), 2)]);
    }

    #[test]
    fn a_folded_tree_lists_the_children_of_open_nodes_only() {
        let paths = vec![
            path("浙江省", Some("嘉兴市"), Some("嘉善县")),
            path("浙江省", Some("杭州市"), Some("西湖区")),
            path("江苏省", Some("南京市"), Some("鼓楼区")),
            path("江苏省", Some("徐州市"), Some("鼓楼区")),
            path("北京市", None, Some("海淀区")),
            path("福建省", None, None),
        ];
        let mut shape = RegionShape::default();
        shape.extend(&paths, RegionTable::embedded());
        let totals = [1, 2, 3, 4, 5, 6];
        let table = RegionTable::embedded();
        let tree = |open: &[&str], selected: &[&str]| {
            let view = RegionTreeView::Folded {
                open: open.iter().map(|s| s.to_string()).collect(),
            };
            let selected: Vec<RegionSelection> = selected
                .iter()
                .map(|s| crate::region_filter::region_selection(table, s).expect(s))
                .collect();
            shape.count(&totals, &view, &selected).tree
        };
        let shown = |nodes: &[RegionNode]| -> Vec<(String, bool, usize)> {
            nodes
                .iter()
                .map(|n| (n.value.to_string(), n.folded, n.children.len()))
                .collect()
        };

        // Nothing open: the provinces, each folded unless it has no children with replies.
        let folded = tree(&[], &[]);
        assert_eq!(
            shown(&folded),
            vec![
                ("江苏省".into(), true, 0),
                ("福建省".into(), false, 0),
                ("北京市".into(), true, 0),
                ("浙江省".into(), true, 0),
            ]
        );
        // The counts are the full tree's.
        let full = shape.count(&totals, &RegionTreeView::Full, &[]).tree;
        let counts = |t: &[RegionNode]| t.iter().map(|n| n.count).collect::<Vec<_>>();
        assert_eq!(counts(&folded), counts(&full));
        assert!(full.iter().all(|n| !n.folded));

        // A province opened by name, a city by code: their children, the rest folded.
        let opened = tree(&["浙江省", "320100"], &[]);
        let zj = opened.iter().find(|n| n.value == "浙江省").unwrap();
        assert_eq!(
            shown(&zj.children),
            vec![("杭州市".into(), true, 0), ("嘉兴市".into(), true, 0)]
        );
        // 320100 (南京市) is under a folded province: not listed.
        let js = opened.iter().find(|n| n.value == "江苏省").unwrap();
        assert!(js.folded && js.children.is_empty());

        // A selected county opens the way to it, and only to it (by code: the 鼓楼区 of 徐州市).
        let gulou_xuzhou = tree(&[], &["320302"]);
        let js = gulou_xuzhou.iter().find(|n| n.value == "江苏省").unwrap();
        assert_eq!(
            shown(&js.children),
            vec![("徐州市".into(), false, 1), ("南京市".into(), true, 0)]
        );
        assert_eq!(js.children[0].children[0].value, "鼓楼区");
        assert!(
            gulou_xuzhou
                .iter()
                .find(|n| n.value == "浙江省")
                .unwrap()
                .folded
        );
        // A selected province or city is open itself: its cities, or its places, are listed.
        let province = tree(&[], &["浙江省"]);
        let zj = province.iter().find(|n| n.value == "浙江省").unwrap();
        assert_eq!(
            shown(&zj.children),
            vec![("杭州市".into(), true, 0), ("嘉兴市".into(), true, 0)]
        );
        let city = tree(&[], &["嘉兴市"]);
        let zj = city.iter().find(|n| n.value == "浙江省").unwrap();
        assert_eq!(
            shown(&zj.children),
            vec![("杭州市".into(), true, 0), ("嘉兴市".into(), false, 1)]
        );
        // A municipality's district by name opens its province.
        let haidian = tree(&[], &["海淀区"]);
        let bj = haidian.iter().find(|n| n.value == "北京市").unwrap();
        assert_eq!(shown(&bj.children), vec![("海淀区".into(), false, 0)]);
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
