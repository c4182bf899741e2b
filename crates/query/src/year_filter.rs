//! The year filter: `year` as one year, a span or a list of both (`2018,2020..2022`), checked
//! and merged into ordered, disjoint [`YearRange`]s over the `year` fast field.

use crate::error::QueryError;
use crate::request::MAX_FILTER_VALUES;

/// An inclusive span of years.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct YearRange {
    pub from: u64,
    pub to: u64,
}

/// Parses a list of years and spans, `2018,2020..2022` (see [`parse_years`]); spans that
/// overlap or touch are merged, and the list comes back in order.
pub fn parse_year_list(text: &str) -> Result<Vec<YearRange>, QueryError> {
    let mut spans = text
        .split([',', '，', '、'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(parse_years)
        .collect::<Result<Vec<_>, _>>()?;
    if spans.len() > MAX_FILTER_VALUES {
        return Err(QueryError::invalid(
            "year",
            format!("at most {MAX_FILTER_VALUES} years or spans"),
        ));
    }
    spans.sort_by_key(|r| (r.from, r.to));
    let mut merged: Vec<YearRange> = Vec::with_capacity(spans.len());
    for span in spans {
        match merged.last_mut() {
            Some(last) if span.from <= last.to.saturating_add(1) => last.to = last.to.max(span.to),
            _ => merged.push(span),
        }
    }
    Ok(merged)
}

/// Parses `2020`, `2018..2020`, `2018-2020`, `2018..` or `..2020`.
pub fn parse_years(text: &str) -> Result<YearRange, QueryError> {
    let bad = || {
        QueryError::invalid(
            "year",
            format!(
                "{text:?} is not a year; use 2020, 2018..2020, 2018.., ..2020 or a list (2018,2020)"
            ),
        )
    };
    let year = |s: &str| -> Result<u64, QueryError> {
        let y: u64 = s.trim().parse().map_err(|_| bad())?;
        if (1949..=2100).contains(&y) {
            Ok(y)
        } else {
            Err(QueryError::invalid(
                "year",
                format!("{y} is outside 1949..2100"),
            ))
        }
    };
    let text = text.trim();
    let (from, to) = match text.split_once("..").or_else(|| text.split_once('-')) {
        None => {
            let y = year(text)?;
            (y, y)
        }
        Some((a, b)) if a.trim().is_empty() && b.trim().is_empty() => return Err(bad()),
        Some((a, b)) => (
            if a.trim().is_empty() { 1949 } else { year(a)? },
            if b.trim().is_empty() { 2100 } else { year(b)? },
        ),
    };
    if from > to {
        return Err(QueryError::invalid("year", format!("{from} is after {to}")));
    }
    Ok(YearRange { from, to })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years() {
        assert_eq!(
            parse_years("2020").ok(),
            Some(YearRange {
                from: 2020,
                to: 2020
            })
        );
        assert_eq!(
            parse_years("2018..2020").ok(),
            Some(YearRange {
                from: 2018,
                to: 2020
            })
        );
        assert_eq!(
            parse_years("2018-2020").ok(),
            Some(YearRange {
                from: 2018,
                to: 2020
            })
        );
        assert_eq!(
            parse_years("2018..").ok(),
            Some(YearRange {
                from: 2018,
                to: 2100
            })
        );
        for bad in ["20x0", "2020..2018", "1800", "..", "2020..2021..2022"] {
            assert!(parse_years(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn year_lists_merge_in_order() {
        let spans = |t: &str| {
            parse_year_list(t)
                .ok()
                .map(|v| v.iter().map(|r| (r.from, r.to)).collect::<Vec<_>>())
        };
        assert_eq!(spans("2020"), Some(vec![(2020, 2020)]));
        assert_eq!(spans("2022,2018"), Some(vec![(2018, 2018), (2022, 2022)]));
        assert_eq!(spans("2018,2019,2021..2023,2020"), Some(vec![(2018, 2023)]));
        assert_eq!(spans("2015..2017，2016..2019"), Some(vec![(2015, 2019)]));
        assert_eq!(spans(""), Some(vec![]));
        assert!(parse_year_list("2018,20x0").is_err());
    }
}
