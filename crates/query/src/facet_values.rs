//! The facet counts a search gathered, as the API shows them: each facet's values most
//! frequent first (ties by value), at most [`FACET_VALUES`]; years newest first, all of them.

use std::collections::BTreeMap;

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
            // Ranked before the strings are copied: a column may hold thousands of values, of
            // which the best FACET_VALUES are picked first and only those sorted. The count of
            // the last one is found among the counts alone (integers); values below it go
            // without a string comparison, and only its ties are told apart by their strings.
            let order = |a: &(&str, u64), b: &(&str, u64)| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0));
            if values.len() > FACET_VALUES {
                let mut counts: Vec<u64> = values.iter().map(|&(_, n)| n).collect();
                let (_, &mut bar, _) =
                    counts.select_nth_unstable_by(FACET_VALUES - 1, |a, b| b.cmp(a));
                values.retain(|&(_, n)| n >= bar);
                if values.len() > FACET_VALUES {
                    values.select_nth_unstable_by(FACET_VALUES, order);
                    values.truncate(FACET_VALUES);
                }
            }
            values.sort_by(order);
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
