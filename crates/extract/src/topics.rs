//! Topic classification (议题分类) from the weighted keyword rules in `index-data/topics.toml`.

use std::collections::BTreeMap;

use aho_corasick::{AhoCorasick, AhoCorasickKind};
use serde::{Deserialize, Serialize};

use crate::error::ExtractError;

/// The text of `index-data/topics.toml` compiled into this build.
pub static EMBEDDED_RULES: &str = include_str!("../../../index-data/topics.toml");

/// One topic of the taxonomy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Topic {
    /// Stable identifier used in URLs and the API (`talent`, `emergencies` …).
    pub slug: String,
    /// Chinese label shown to people (科技与人才 …).
    pub label: String,
    /// Term -> weight.
    pub terms: BTreeMap<String, f32>,
}

#[derive(Debug, Deserialize)]
struct RulesFile {
    title_boost: f32,
    #[serde(default = "default_heading_boost")]
    heading_boost: f32,
    min_score: f32,
    min_share: f32,
    topic: Vec<Topic>,
}

fn default_heading_boost() -> f32 {
    2.0
}

/// A topic's score for one reply.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TopicScore {
    pub slug: String,
    pub score: f32,
}

/// The compiled topic rules.
#[derive(Debug, Clone)]
pub struct TopicRules {
    topics: Vec<Topic>,
    title_boost: f32,
    heading_boost: f32,
    min_score: f32,
    min_share: f32,
    matcher: AhoCorasick,
    /// Pattern index -> (topic index, weight) for every topic that lists the term.
    targets: Vec<Vec<(usize, f32)>>,
}

impl TopicRules {
    /// The rules compiled into this build (a copy of `index-data/topics.toml`).
    pub fn embedded() -> Result<Self, ExtractError> {
        Self::parse(EMBEDDED_RULES)
    }

    /// Parses rules in the `topics.toml` format.
    pub fn parse(toml_text: &str) -> Result<Self, ExtractError> {
        let file: RulesFile =
            toml::from_str(toml_text).map_err(|e| ExtractError::TopicRules(e.to_string()))?;
        let mut seen = std::collections::HashSet::new();
        let mut terms: BTreeMap<&str, Vec<(usize, f32)>> = BTreeMap::new();
        for (i, t) in file.topic.iter().enumerate() {
            if t.slug.is_empty() || !t.slug.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
                return Err(ExtractError::TopicRules(format!(
                    "slug {:?} must be lower-case ASCII letters and _",
                    t.slug
                )));
            }
            if !seen.insert(t.slug.as_str()) {
                return Err(ExtractError::TopicRules(format!(
                    "duplicate slug {:?}",
                    t.slug
                )));
            }
            for (term, &w) in &t.terms {
                if term.is_empty() {
                    return Err(ExtractError::TopicRules(format!(
                        "empty term in {:?}",
                        t.slug
                    )));
                }
                terms.entry(term.as_str()).or_default().push((i, w));
            }
        }
        // A DFA (0.7 MB for the embedded rules): every reply's whole text is searched
        // (overlapping); with the commitment lexicon's, 6% fewer of extraction's instructions.
        // Rules too many for a DFA (a --data-dir of its own) get the automaton the crate picks.
        let matcher = AhoCorasick::builder()
            .kind(Some(AhoCorasickKind::DFA))
            .build(terms.keys())
            .or_else(|_| AhoCorasick::new(terms.keys()))
            .map_err(|e| ExtractError::TopicRules(e.to_string()))?;
        let targets = terms.into_values().collect();
        Ok(TopicRules {
            topics: file.topic,
            title_boost: file.title_boost,
            heading_boost: file.heading_boost,
            min_score: file.min_score,
            min_share: file.min_share,
            matcher,
            targets,
        })
    }

    pub fn topics(&self) -> &[Topic] {
        &self.topics
    }

    pub fn get(&self, slug: &str) -> Option<&Topic> {
        self.topics.iter().find(|t| t.slug == slug)
    }

    /// Scores every topic: each occurrence in `titles` (the reply title, the quoted proposal
    /// title) counts `title_boost` times a term's weight, in `headings` (一、…, （二）…)
    /// `heading_boost` times; in `body` a term found `n` times counts `weight × (1 + ln n)`.
    /// Returns the topics that pass the thresholds, best first.
    pub fn classify(&self, titles: &[&str], headings: &[&str], body: &str) -> Vec<TopicScore> {
        let mut scores = vec![0f32; self.topics.len()];
        for (texts, boost) in [(titles, self.title_boost), (headings, self.heading_boost)] {
            for t in texts {
                for m in self.matcher.find_overlapping_iter(t) {
                    for &(topic, weight) in &self.targets[m.pattern().as_usize()] {
                        scores[topic] += weight * boost;
                    }
                }
            }
        }
        // In the body a term's evidence saturates: the 50th 社会组织 says little more than the
        // 10th, so a reply's subject is not decided by its most repeated word alone.
        let mut counts = vec![0u32; self.targets.len()];
        for m in self.matcher.find_overlapping_iter(body) {
            counts[m.pattern().as_usize()] += 1;
        }
        for (pattern, &n) in counts.iter().enumerate() {
            if n == 0 {
                continue;
            }
            let evidence = 1.0 + (n as f32).ln();
            for &(topic, weight) in &self.targets[pattern] {
                scores[topic] += weight * evidence;
            }
        }
        let best = scores.iter().copied().fold(0f32, f32::max);
        let mut out: Vec<TopicScore> = scores
            .iter()
            .enumerate()
            .filter(|&(_, &s)| s >= self.min_score && s >= best * self.min_share)
            .map(|(i, &s)| TopicScore {
                slug: self.topics[i].slug.clone(),
                score: s,
            })
            .collect();
        out.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.slug.cmp(&b.slug)));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_rules_cover_the_taxonomy() {
        let rules = TopicRules::embedded().map_err(|e| e.to_string());
        let rules = rules.as_ref().map(|r| r.topics().len());
        assert!(matches!(rules, Ok(n) if n >= 15), "{rules:?}");
    }

    #[test]
    fn title_terms_outweigh_passing_mentions() {
        let rules = TopicRules::embedded().ok();
        let rules = rules.as_ref().map(|r| {
            r.classify(
                &["关于加强社区应急救援队伍建设应对突发事件的建议"],
                &[],
                "我市人才工作取得进展。应急救援队伍不断壮大。",
            )
        });
        let primary = rules
            .as_ref()
            .and_then(|s| s.first())
            .map(|s| s.slug.as_str());
        assert_eq!(primary, Some("emergencies"));
    }

    #[test]
    fn nothing_is_tagged_without_evidence() {
        let rules = TopicRules::embedded().ok();
        let scores = rules.map(|r| r.classify(&["答复"], &[], "您好，来信收悉。"));
        assert_eq!(scores, Some(vec![]));
    }

    #[test]
    fn bad_rules_are_reported() {
        let e = TopicRules::parse(
            "title_boost = 1.0\nmin_score = 1.0\nmin_share = 0.1\n[[topic]]\nslug = \"Bad Slug\"\nlabel = \"x\"\nterms = {}\n",
        );
        assert!(matches!(e, Err(ExtractError::TopicRules(m)) if m.contains("Bad Slug")));
    }
}
