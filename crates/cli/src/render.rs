//! Search results for a person at a terminal: ranked hits (title, 文号, department, place,
//! date, score, highlight fragments), then the facet summaries.
//!
//! Marked words are bold when stdout takes colour (a terminal, and `NO_COLOR` unset; decided by
//! `anstream`), and put in 【…】 otherwise, so piped output still shows them.

use std::fmt::Write;

use anstyle::Style;

use dafu_query::collector::{COMMITMENT_FACETS, FACETS};
use dafu_query::highlight::Fragment;
use dafu_query::response::{CommitmentResponse, FacetValue, SearchResponse};
use dafu_query::shaped_facets::RegionNode;

/// Values shown per facet.
const FACET_VALUES: usize = 8;

/// How marks and headings look.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Look {
    /// Bold ANSI marks and titles.
    Ansi,
    /// Plain text, marks in 【…】.
    Plain,
}

impl Look {
    /// What standard output takes.
    pub fn of_stdout() -> Look {
        match anstream::AutoStream::choice(&std::io::stdout()) {
            anstream::ColorChoice::Never => Look::Plain,
            _ => Look::Ansi,
        }
    }

    fn bold(self, text: &str) -> String {
        match self {
            Look::Ansi => {
                let bold = Style::new().bold();
                format!("{bold}{text}{bold:#}")
            }
            Look::Plain => text.to_string(),
        }
    }

    fn dim(self, text: &str) -> String {
        match self {
            Look::Ansi => {
                let dim = Style::new().dimmed();
                format!("{dim}{text}{dim:#}")
            }
            Look::Plain => text.to_string(),
        }
    }
}

/// A fragment's HTML (escaped text with `<mark>…</mark>`) as terminal text.
pub fn fragment_text(html: &str, look: Look) -> String {
    let (open, close) = match look {
        Look::Ansi => {
            let bold = Style::new().bold();
            (bold.render().to_string(), bold.render_reset().to_string())
        }
        Look::Plain => ("【".to_string(), "】".to_string()),
    };
    html.replace("<mark>", &open)
        .replace("</mark>", &close)
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
        .replace(['\n', '\r'], " ")
}

/// `浙江省 嘉兴市 嘉善县`, or `None` when no part is known.
fn place(parts: [&Option<String>; 3]) -> Option<String> {
    let known: Vec<&str> = parts.into_iter().flatten().map(String::as_str).collect();
    (!known.is_empty()).then(|| known.join(" "))
}

/// The line under a title: the known facts, separated by ` · `.
fn facts(parts: impl IntoIterator<Item = Option<String>>, score: f32) -> String {
    let mut parts: Vec<String> = parts.into_iter().flatten().collect();
    parts.push(format!("score {score:.2}"));
    parts.join(" · ")
}

/// `3 replies match; showing 1–3.` (`what` is the noun, singular and plural).
fn heading(out: &mut String, total: u64, offset: usize, shown: usize, what: (&str, &str)) {
    let counted = if total == 1 {
        format!("1 {} matches", what.0)
    } else {
        format!("{total} {} match", what.1)
    };
    if shown == 0 {
        let _ = writeln!(out, "{counted}; none on this page.");
    } else {
        let _ = writeln!(out, "{counted}; showing {}–{}.", offset + 1, offset + shown);
    }
}

fn fragments(out: &mut String, highlights: &[Fragment], look: Look) {
    for f in highlights {
        let _ = writeln!(out, "     {}", fragment_text(&f.html, look));
    }
}

fn facet_summary(
    out: &mut String,
    facets: &std::collections::BTreeMap<String, Vec<FacetValue>>,
    names: &[&str],
    look: Look,
) {
    let lines: Vec<String> = names
        .iter()
        .filter_map(|&name| {
            let values = facets.get(name).filter(|v| !v.is_empty())?;
            let mut shown: Vec<String> = values
                .iter()
                .take(FACET_VALUES)
                .map(|v| format!("{} {}", v.value, v.count))
                .collect();
            if values.len() > FACET_VALUES {
                shown.push(format!("… {} more", values.len() - FACET_VALUES));
            }
            Some(format!("  {:<13}{}", name, shown.join(" · ")))
        })
        .collect();
    if !lines.is_empty() {
        let _ = writeln!(out, "\n{}", look.bold("Facets"));
        for l in lines {
            let _ = writeln!(out, "{l}");
        }
    }
}

fn region_summary(out: &mut String, tree: &[RegionNode]) {
    if tree.is_empty() {
        return;
    }
    let provinces: Vec<String> = tree
        .iter()
        .take(FACET_VALUES)
        .map(|p| {
            let cities: Vec<String> = p
                .children
                .iter()
                .take(3)
                .map(|c| format!("{} {}", c.value, c.count))
                .collect();
            if cities.is_empty() {
                format!("{} {}", p.value, p.count)
            } else {
                format!("{} {} ({})", p.value, p.count, cities.join(", "))
            }
        })
        .collect();
    let _ = writeln!(out, "  {:<13}{}", "region_tree", provinces.join(" · "));
}

/// A reply search as text.
pub fn replies(response: &SearchResponse, look: Look) -> String {
    let mut out = String::new();
    heading(
        &mut out,
        response.total,
        response.offset,
        response.hits.len(),
        ("reply", "replies"),
    );
    for (i, hit) in response.hits.iter().enumerate() {
        let r = &hit.region;
        let facts = [
            hit.doc_number.clone(),
            hit.department.clone(),
            place([&r.province, &r.city, &r.county]),
            hit.date.clone().or(hit.year.map(|y| y.to_string())),
        ];
        HitText {
            number: response.offset + i + 1,
            title: hit.title.as_deref(),
            facts,
            score: hit.score,
            id: &hit.id,
            highlights: &hit.highlights,
        }
        .write(&mut out, look);
    }
    facet_summary(&mut out, &response.facets, FACETS, look);
    region_summary(&mut out, &response.region_tree);
    out
}

/// What one hit shows: its rank and title, then its 文号, department, place, date and score,
/// its id, and its highlight fragments.
struct HitText<'a> {
    number: usize,
    title: Option<&'a str>,
    facts: [Option<String>; 4],
    score: f32,
    id: &'a str,
    highlights: &'a [Fragment],
}

impl HitText<'_> {
    fn write(self, out: &mut String, look: Look) {
        let title = self.title.unwrap_or("(no title)");
        let _ = writeln!(out, "\n{:>3}. {}", self.number, look.bold(title));
        let _ = writeln!(out, "     {}", look.dim(&facts(self.facts, self.score)));
        let _ = writeln!(out, "     {}", look.dim(&format!("id {}", self.id)));
        fragments(out, self.highlights, look);
    }
}

/// A commitment search as text.
pub fn commitments(response: &CommitmentResponse, look: Look) -> String {
    let mut out = String::new();
    heading(
        &mut out,
        response.total,
        response.offset,
        response.hits.len(),
        ("commitment", "commitments"),
    );
    for (i, hit) in response.hits.iter().enumerate() {
        let reply = &hit.reply;
        let r = &reply.region;
        let facts = [
            reply.doc_number.clone(),
            reply.department.clone(),
            place([&r.province, &r.city, &r.county]),
            reply.date.clone().or(reply.year.map(|y| y.to_string())),
        ];
        HitText {
            number: response.offset + i + 1,
            title: reply.title.as_deref(),
            facts,
            score: hit.score,
            id: &hit.id,
            highlights: &hit.highlights,
        }
        .write(&mut out, look);
    }
    facet_summary(&mut out, &response.facets, COMMITMENT_FACETS, look);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_become_brackets_or_bold_and_entities_are_undone() {
        let html = "加强<mark>人才</mark>队伍 &lt;a&gt; &amp; &quot;x&quot;\n下一步";
        assert_eq!(
            fragment_text(html, Look::Plain),
            "加强【人才】队伍 <a> & \"x\" 下一步"
        );
        let ansi = fragment_text(html, Look::Ansi);
        assert!(ansi.contains("\u{1b}[1m人才\u{1b}[0m"), "{ansi:?}");
    }

    #[test]
    fn plain_text_has_no_escape_codes() {
        assert_eq!(Look::Plain.bold("标题"), "标题");
        assert!(Look::Ansi.bold("标题").starts_with('\u{1b}'));
    }
}
