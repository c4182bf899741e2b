//! The signing-date filter: `date_from` and `date_to` (`YYYY-MM-DD`, inclusive) checked and
//! turned into a [`DateRange`] over the `date` fast field (`YYYYMMDD`, 0 when unknown).

use dafu_extract::date::Date;

use crate::error::QueryError;

/// An inclusive span of signing dates, as `YYYYMMDD` numbers (the `date` fast field).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateRange {
    pub from: u64,
    pub to: u64,
}

impl DateRange {
    /// Whether a `date` column value falls in the span; 0 (unknown date) never does.
    pub fn contains(&self, date: u64) -> bool {
        date != 0 && (self.from..=self.to).contains(&date)
    }
}

/// Parses a `YYYY-MM-DD` date parameter into its `YYYYMMDD` key.
pub fn parse_date(name: &str, text: &str) -> Result<u64, QueryError> {
    let text = text.trim();
    let shaped = text.len() == 10
        && text.bytes().enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            _ => b.is_ascii_digit(),
        });
    shaped
        .then(|| Date::parse_iso(text))
        .flatten()
        .map(|d| d.key())
        .ok_or_else(|| {
            QueryError::invalid(
                name,
                format!("{text:?} is not a calendar date written YYYY-MM-DD (2020-08-18)"),
            )
        })
}

/// The date span of `date_from` and `date_to` (inclusive; either may be missing or empty).
pub(crate) fn date_range(
    from: &Option<String>,
    to: &Option<String>,
) -> Result<Option<DateRange>, QueryError> {
    fn given(v: &Option<String>) -> Option<&str> {
        v.as_deref().map(str::trim).filter(|t| !t.is_empty())
    }
    let from_key = given(from)
        .map(|t| parse_date("date_from", t))
        .transpose()?;
    let to_key = given(to).map(|t| parse_date("date_to", t)).transpose()?;
    if let (Some(f), Some(t)) = (from_key, to_key)
        && f > t
    {
        return Err(QueryError::invalid(
            "date_from",
            format!(
                "{} is after date_to {}",
                given(from).unwrap_or_default(),
                given(to).unwrap_or_default()
            ),
        ));
    }
    if from_key.is_none() && to_key.is_none() {
        return Ok(None);
    }
    Ok(Some(DateRange {
        from: from_key.unwrap_or(0),
        to: to_key.unwrap_or(u64::MAX),
    }))
}

#[cfg(test)]
mod tests {
    use dafu_extract::region::RegionTable;
    use dafu_extract::topics::TopicRules;

    use super::*;
    use crate::request::{SearchParams, SearchRequest};

    fn validate(p: &SearchParams) -> Result<SearchRequest, QueryError> {
        let topics = TopicRules::embedded().map_err(|e| QueryError::Corrupt(e.to_string()))?;
        p.validate(RegionTable::embedded(), &topics)
    }

    #[test]
    fn dates() {
        assert_eq!(parse_date("date_from", " 2020-08-18 ").ok(), Some(20200818));
        assert_eq!(parse_date("date_to", "2020-02-29").ok(), Some(20200229));
        for bad in [
            "2019-02-29",
            "2020-13-01",
            "2020-8-18",
            "20200818",
            "2020/08/18",
            "",
        ] {
            assert!(parse_date("date_from", bad).is_err(), "{bad}");
        }
        let range = |from: &str, to: &str| {
            validate(&SearchParams {
                date_from: Some(from.into()),
                date_to: Some(to.into()),
                ..Default::default()
            })
            .map(|r| r.date)
        };
        assert_eq!(
            range("2020-01-01", "2020-12-31").ok(),
            Some(Some(DateRange {
                from: 20200101,
                to: 20201231
            }))
        );
        let only_to = range("", "2020-12-31").ok().flatten();
        assert_eq!(only_to.map(|r| r.from), Some(0));
        assert!(only_to.is_some_and(|r| !r.contains(0) && r.contains(20000101)));
        assert_eq!(range("", "").ok(), Some(None));
        for (from, to, name) in [
            ("2021-01-01", "2020-12-31", "date_from"),
            ("2020-02-30", "", "date_from"),
            ("", "yesterday", "date_to"),
        ] {
            match range(from, to) {
                Err(QueryError::InvalidParameter { parameter, .. }) => assert_eq!(parameter, name),
                other => panic!("{from}..{to}: {other:?}"),
            }
        }
    }
}
