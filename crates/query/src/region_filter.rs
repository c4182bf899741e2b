//! The region filter: each value a province, city or county by its full or short name
//! (浙江省, 浙江, 嘉兴市), or any division by its six-digit code (330421), resolved against the
//! region table into a [`RegionSelection`].

use dafu_extract::region::{RegionLevel, RegionTable};

use crate::error::QueryError;

/// A place a region filter selects, resolved against the region table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegionSelection {
    /// Full official name (浙江省, 嘉兴市, 嘉善县).
    pub name: String,
    pub level: RegionLevel,
    /// The places the selection must lie in (its province, and a county's city), when it
    /// was selected by its division code: a county name alone (鼓楼区) names districts of
    /// four cities, its code one. Empty for a selection by name.
    pub within: Vec<(RegionLevel, String)>,
}

/// Resolves one value of the region filter: a full or short name (浙江省, 浙江, 嘉兴市), or a
/// six-digit division code (330421), which also pins its city and province.
pub(crate) fn region_selection(
    regions: &RegionTable,
    name: &str,
) -> Result<RegionSelection, QueryError> {
    if name.len() == 6 && name.bytes().all(|b| b.is_ascii_digit()) {
        let place = name
            .parse::<u32>()
            .ok()
            .and_then(|code| regions.get(code))
            .ok_or_else(|| {
                QueryError::invalid(
                    "region",
                    format!("{name:?} is not a division code in the region table"),
                )
            })?;
        let mut within = Vec::new();
        let mut at = place;
        while let Some(parent) = at.parent.and_then(|p| regions.get(p)) {
            within.push((parent.level, parent.name.clone()));
            at = parent;
        }
        return Ok(RegionSelection {
            name: place.name.clone(),
            level: place.level,
            within,
        });
    }
    let found = regions.lookup(name);
    // 吉林 is both a province and a city: a bare name means the widest division.
    let best = found.iter().min_by_key(|r| (r.level as u8, r.code));
    match best {
        Some(r) if found.iter().filter(|o| o.level == r.level).count() == 1 => {
            Ok(RegionSelection {
                name: r.name.clone(),
                level: r.level,
                within: Vec::new(),
            })
        }
        Some(r) => {
            let codes: Vec<String> = found
                .iter()
                .filter(|o| o.level == r.level)
                .map(|o| o.code.to_string())
                .collect();
            Err(QueryError::invalid(
                "region",
                format!(
                    "{name:?} names several divisions; give its division code ({}) or its city or province instead",
                    codes.join(", ")
                ),
            ))
        }
        None => Err(QueryError::invalid(
            "region",
            format!(
                "{name:?} is not a province, city, county or division code in the region table"
            ),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use dafu_extract::topics::TopicRules;

    use crate::request::{OneOrMany, SearchParams, SearchRequest};

    fn validate(p: SearchParams) -> Result<SearchRequest, QueryError> {
        let topics = TopicRules::embedded().map_err(|e| QueryError::Corrupt(e.to_string()))?;
        p.validate(RegionTable::embedded(), &topics)
    }

    #[test]
    fn division_codes_pin_their_city_and_province() {
        let pick = |v: &str| {
            validate(SearchParams {
                region: Some(OneOrMany::One(v.into())),
                ..Default::default()
            })
            .map(|r| r.region)
        };
        // 鼓楼区 alone is ambiguous, and the message offers the codes.
        match pick("鼓楼区") {
            Err(QueryError::InvalidParameter { message, .. }) => {
                assert!(message.contains("350102"), "{message}")
            }
            other => panic!("{other:?}"),
        }
        let fuzhou = pick("350102").ok().unwrap_or_default();
        assert_eq!(fuzhou.len(), 1);
        assert_eq!(fuzhou[0].name, "鼓楼区");
        assert_eq!(fuzhou[0].level, RegionLevel::County);
        assert_eq!(
            fuzhou[0].within,
            vec![
                (RegionLevel::City, "福州市".to_string()),
                (RegionLevel::Province, "福建省".to_string())
            ]
        );
        let zhejiang = pick("330000").ok().unwrap_or_default();
        assert_eq!(zhejiang[0].name, "浙江省");
        assert!(zhejiang[0].within.is_empty());
        assert!(pick("999999").is_err());
    }

    #[test]
    fn regions_resolve_to_full_names() {
        let r = validate(SearchParams {
            region: Some(OneOrMany::One("浙江,嘉兴市".into())),
            ..Default::default()
        });
        let names: Option<Vec<String>> = r
            .ok()
            .map(|r| r.region.into_iter().map(|s| s.name).collect());
        assert_eq!(
            names,
            Some(vec!["浙江省".to_string(), "嘉兴市".to_string()])
        );
        let jilin = validate(SearchParams {
            region: Some(OneOrMany::One("吉林".into())),
            ..Default::default()
        });
        assert_eq!(
            jilin.ok().map(|r| r.region[0].level),
            Some(RegionLevel::Province)
        );
        assert!(
            validate(SearchParams {
                region: Some(OneOrMany::One("火星省".into())),
                ..Default::default()
            })
            .is_err()
        );
        assert!(
            validate(SearchParams {
                region: Some(OneOrMany::One("鼓楼区".into())),
                ..Default::default()
            })
            .is_err()
        );
    }
}
