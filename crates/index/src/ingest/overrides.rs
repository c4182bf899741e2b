//! Applying the metadata a JSON Lines record states over what extraction found.

use dafu_extract::date::Date;
use dafu_extract::doc_number::canonical_doc_number;
use dafu_extract::region::{RegionLevel, RegionTable};
use dafu_extract::{Assembly, Level, ReplyFields};

use super::input::Overrides;

/// Overwrites `fields` with the values `o` states; an invalid value is an error naming it.
pub fn apply(fields: &mut ReplyFields, o: &Overrides, regions: &RegionTable) -> Result<(), String> {
    if let Some(t) = &o.title {
        fields.title = Some(t.trim().to_string());
    }
    if let Some(n) = &o.doc_number {
        let canonical = canonical_doc_number(n).ok_or_else(|| {
            format!("doc_number {n:?} is not a document number like 吉民议字〔2020〕4号")
        })?;
        fields.doc_number = Some(canonical);
    }
    if let Some(d) = &o.department {
        fields.department = Some(d.trim().to_string());
    }
    if let Some(d) = &o.date {
        let date = Date::parse_iso(d).ok_or_else(|| format!("date {d:?} is not YYYY-MM-DD"))?;
        fields.date = Some(date.iso());
        fields.year = Some(date.year);
    }
    if let Some(y) = o.year {
        if !(1949..=2100).contains(&y) {
            return Err(format!("year {y} is out of range"));
        }
        fields.year = Some(y);
    }
    if let Some(a) = &o.assembly {
        fields.assembly =
            Some(Assembly::parse(a).ok_or_else(|| format!("assembly {a:?} is not npc or cppcc"))?);
    }
    if let Some(l) = &o.level {
        fields.level = Some(
            Level::parse(l)
                .ok_or_else(|| format!("level {l:?} is not national, province, city or county"))?,
        );
    }
    // The most specific place stated wins; its enclosing divisions come from the table.
    let place = [
        (&o.county, RegionLevel::County),
        (&o.city, RegionLevel::City),
        (&o.province, RegionLevel::Province),
    ]
    .into_iter()
    .find_map(|(name, level)| name.as_ref().map(|n| (n, level)));
    if let Some((name, level)) = place {
        let candidates: Vec<u32> = regions
            .lookup(name)
            .into_iter()
            .filter(|r| r.level == level)
            .filter(|r| {
                // A stated province or city must enclose the chosen division.
                [&o.province, &o.city].iter().all(|outer| match outer {
                    Some(outer) if outer != name => regions
                        .lookup(outer)
                        .iter()
                        .any(|p| regions.contains(p.code, r.code)),
                    _ => true,
                })
            })
            .map(|r| r.code)
            .collect();
        let code = match candidates.as_slice() {
            [one] => *one,
            [] => {
                return Err(
                    format!("{name:?} is not a {level:?} in the region table").to_lowercase()
                );
            }
            _ => {
                return Err(format!(
                    "{name:?} names several divisions; give its province or city too"
                ));
            }
        };
        let province = regions.province_of(code);
        let city = regions.city_of(code);
        let county = regions.get(code).filter(|r| r.level == RegionLevel::County);
        let r = &mut fields.region;
        r.province = province.map(|x| x.name.clone());
        r.province_code = province.map(|x| format!("{:06}", x.code));
        r.city = city.map(|x| x.name.clone());
        r.city_code = city.map(|x| format!("{:06}", x.code));
        r.county = county.map(|x| x.name.clone());
        r.county_code = county.map(|x| format!("{:06}", x.code));
    }
    if let Some(topics) = &o.topics {
        fields.topics = topics
            .iter()
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty())
            .collect();
        fields.primary_topic = fields.topics.first().cloned();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_city_fills_in_its_province() {
        let mut f = ReplyFields::default();
        let o = Overrides {
            city: Some("嘉兴市".into()),
            date: Some("2021-03-04".into()),
            ..Default::default()
        };
        assert_eq!(apply(&mut f, &o, RegionTable::embedded()), Ok(()));
        assert_eq!(f.region.province.as_deref(), Some("浙江省"));
        assert_eq!(f.region.city_code.as_deref(), Some("330400"));
        assert_eq!(f.year, Some(2021));
    }

    #[test]
    fn ambiguous_and_invalid_values_are_refused() {
        let regions = RegionTable::embedded();
        let mut f = ReplyFields::default();
        let county = Overrides {
            county: Some("鼓楼区".into()),
            ..Default::default()
        };
        assert!(apply(&mut f, &county, regions).is_err_and(|e| e.contains("several")));
        let county = Overrides {
            county: Some("鼓楼区".into()),
            city: Some("南京市".into()),
            ..Default::default()
        };
        assert_eq!(apply(&mut f, &county, regions), Ok(()));
        assert_eq!(f.region.province.as_deref(), Some("江苏省"));
        let bad = Overrides {
            date: Some("2021-02-30".into()),
            ..Default::default()
        };
        assert!(apply(&mut f, &bad, regions).is_err());
        let bad = Overrides {
            assembly: Some("senate".into()),
            ..Default::default()
        };
        assert!(apply(&mut f, &bad, regions).is_err());
    }
}
