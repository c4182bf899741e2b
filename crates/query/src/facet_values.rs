//! The facet counts a search gathered, as the API shows them: each facet's values most
//! frequent first (ties by value), at most [`FACET_VALUES`]; years newest first, all of them.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap};

use crate::collector::Gathered;
use crate::response::FacetValue;
use crate::shaped_facets::{YearCount, year_histogram};

/// Most values returned per facet (years are always complete).
pub(crate) const FACET_VALUES: usize = 100;

/// The facet counts of `names` as the API shows them: most frequent first (years newest
/// first, all of them), at most [`FACET_VALUES`] values each.
pub(crate) fn facet_values(
    gathered: &Gathered,
    names: &[&str],
) -> BTreeMap<String, Vec<FacetValue>> {
    let mut facets = BTreeMap::new();
    for &name in names {
        let mut values: Vec<(&str, u64)> = gathered
            .facets
            .get(name)
            .map(|m| m.iter().map(|(v, n)| (&**v, *n)).collect())
            .unwrap_or_default();
        if name == "year" {
            values.sort_by(|a, b| b.0.cmp(a.0));
        } else {
            keep_best(&mut values, FACET_VALUES, |v| v.1, |v| v.0);
        }
        let values = values
            .into_iter()
            .map(|(value, count)| FacetValue {
                value: value.to_string(),
                count,
            })
            .collect();
        facets.insert(name.to_string(), values);
    }
    facets
}

/// Keeps the best `n` of `values` by `count` (ties by `name`), in that order.
///
/// A column may hold thousands of values: the count of the `n`-th is found among the counts
/// alone (integers), values below it go without a string comparison, and only its ties are
/// told apart by their names (most values of a broad search count 1 to 5).
pub(crate) fn keep_best<'s, T>(
    values: &mut Vec<T>,
    n: usize,
    count: impl Fn(&T) -> u64,
    name: impl Fn(&T) -> &'s str,
) {
    let order = |a: &T, b: &T| count(b).cmp(&count(a)).then_with(|| name(a).cmp(name(b)));
    if n == 0 {
        values.clear();
        return;
    }
    if values.len() > n {
        let mut counts: Vec<u64> = values.iter().map(&count).collect();
        let (_, &mut bar, _) = counts.select_nth_unstable_by(n - 1, |a, b| b.cmp(a));
        values.retain(|v| count(v) >= bar);
        if values.len() > n {
            values.select_nth_unstable_by(n, order);
            values.truncate(n);
        }
    }
    values.sort_by(order);
}

/// The ids (positions in `counts`) and counts of the values counted at least as often as the
/// `n`-th most counted (all counted ones when fewer): the `n` best and their ties. One pass
/// whose bar rises as better counts come, skipping 16 counts at a time below it (most of a
/// facet's tens of thousands of values, for all but the broadest searches).
pub(crate) fn counted_at_least_nth(counts: &[u32], n: usize) -> Vec<(usize, u64)> {
    const CHUNK: usize = 16;
    if n == 0 {
        return Vec::new();
    }
    let mut best: BinaryHeap<Reverse<u32>> = BinaryHeap::with_capacity(n + 1);
    let mut bar = 1;
    let mut gathered = Vec::new();
    let (whole, rest) = counts.as_chunks::<CHUNK>();
    let chunks = whole.iter().map(|c| c.as_slice()).chain([rest]);
    for (c, chunk) in chunks.enumerate() {
        // At least their largest (and one instruction a few counts, without SSE4.1's `max`):
        // below the bar, none reaches it.
        if chunk.iter().fold(0, |bits, &count| bits | count) < bar {
            continue;
        }
        for (i, &count) in chunk.iter().enumerate() {
            if count < bar {
                continue;
            }
            gathered.push((c * CHUNK + i, u64::from(count)));
            best.push(Reverse(count));
            if best.len() > n {
                best.pop();
            }
            if best.len() == n
                && let Some(&Reverse(least)) = best.peek()
            {
                bar = least;
            }
        }
    }
    gathered.retain(|&(_, count)| count >= u64::from(bar));
    gathered
}

/// The year histogram of what a search gathered.
pub(crate) fn gathered_years(gathered: &Gathered) -> Vec<YearCount> {
    gathered
        .facets
        .get("year")
        .map(|years| year_histogram(years))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facet_codes::Value;
    use proptest::prelude::*;

    proptest! {
        /// The values gathered for the best `n` are those counted at least as often as the
        /// `n`-th most counted (every counted one when fewer), in order.
        #[test]
        fn the_values_gathered_are_the_best_and_their_ties(
            counts in prop::collection::vec(prop_oneof![Just(0u32), 0u32..20], 0..200),
            n in 0usize..50,
        ) {
            let mut counted: Vec<u32> = counts.iter().copied().filter(|&c| c > 0).collect();
            counted.sort_unstable_by(|a, b| b.cmp(a));
            let bar = counted.get(n.saturating_sub(1)).or(counted.last()).copied().unwrap_or(1);
            let expected: Vec<(usize, u64)> = match n {
                0 => Vec::new(),
                _ => counts
                    .iter()
                    .enumerate()
                    .filter(|&(_, &c)| c > 0 && c >= bar)
                    .map(|(i, &c)| (i, u64::from(c)))
                    .collect(),
            };
            prop_assert_eq!(counted_at_least_nth(&counts, n), expected);
        }
    }

    /// The best values by count, ties by value, whatever the counts around the last place:
    /// against sorting every value.
    #[test]
    fn the_best_values_come_first_and_ties_by_value() {
        // 40 values counted 9, 150 counted 5 (the last place falls among them), 60 counted 1.
        let mut counted: Vec<(Value, u64)> = Vec::new();
        for (count, how_many) in [(9u64, 40), (5, 150), (1, 60)] {
            for i in 0..how_many {
                counted.push((
                    Value::from(format!("部门{count}-{:03}", (i * 37) % 1000)),
                    count,
                ));
            }
        }
        counted.push((Value::from("独一"), 30));
        counted.reverse();
        let gathered = Gathered {
            facets: [
                ("department", counted.clone()),
                (
                    "year",
                    vec![(Value::from("2019"), 3), (Value::from("2021"), 1)],
                ),
            ]
            .into_iter()
            .collect(),
            ..Gathered::default()
        };
        let shown = facet_values(&gathered, &["department", "year", "topic"]);
        let mut all: Vec<(String, u64)> =
            counted.iter().map(|(v, n)| (v.to_string(), *n)).collect();
        all.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        all.truncate(FACET_VALUES);
        let got: Vec<(String, u64)> = shown["department"]
            .iter()
            .map(|v| (v.value.clone(), v.count))
            .collect();
        assert_eq!(got, all);
        assert_eq!(got[0], ("独一".to_string(), 30));
        let years: Vec<&str> = shown["year"].iter().map(|v| v.value.as_str()).collect();
        assert_eq!(years, ["2021", "2019"]);
        assert!(shown["topic"].is_empty());
    }
}
