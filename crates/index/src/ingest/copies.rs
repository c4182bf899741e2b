//! Copies of one reply (同一答复的多个副本): the same reply read twice in a run — as a page
//! and as its PDF, or under two file names — or read again after an earlier run indexed it, is
//! indexed once, recognised by the fingerprint of its text
//! ([`dafu_extract::fingerprint`]), with every copy listed in its `sources`.
//!
//! The first copy read names the reply (its id); a later copy merges into it: the reply is
//! written from the later copy (its text and fields, the first copy's id, every source), over
//! the batch's document or after deleting the one an earlier batch wrote, so the indexed text
//! is that of the copy read last, and `origin` says which one it is. (The text of an earlier
//! copy is not kept once its batch is written: memory holds one batch whatever the run.)

use std::collections::HashMap;
use std::path::PathBuf;

use tantivy::collector::TopDocs;
use tantivy::query::TermQuery;
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{Searcher, TantivyDocument, Term};

use super::InputFormat;
use crate::document::{ReplySource, StoredFields};
use crate::error::IndexError;
use crate::schema::ReplySchema;

/// The reply a fingerprint belongs to in the last commit, with its copies.
pub(crate) fn committed_copy(
    searcher: &Searcher,
    schema: &ReplySchema,
    fingerprint: &str,
) -> Result<Option<(String, Vec<ReplySource>)>, IndexError> {
    let term = Term::from_field_text(schema.fingerprint, fingerprint);
    if searcher.doc_freq(&term)? == 0 {
        return Ok(None);
    }
    let query = TermQuery::new(term, IndexRecordOption::Basic);
    let top = searcher.search(&query, &TopDocs::with_limit(1).order_by_score())?;
    let Some(&(_, addr)) = top.first() else {
        return Ok(None);
    };
    let doc: TantivyDocument = searcher.doc(addr)?;
    let id = doc
        .get_first(schema.id)
        .and_then(|v| v.as_str())
        .unwrap_or_default()
        .to_string();
    let stored: Option<StoredFields> = doc
        .get_first(schema.fields)
        .and_then(|v| v.as_str())
        .and_then(|json| serde_json::from_str(json).ok());
    Ok(Some((id, stored.map(|s| s.copies()).unwrap_or_default())))
}

/// Adds `more` to `sources`, leaving out copies already listed.
pub(crate) fn add_sources(sources: &mut Vec<ReplySource>, more: Vec<ReplySource>) {
    for s in more {
        if !sources.iter().any(|known| known.same_copy(&s)) {
            sources.push(s);
        }
    }
}

/// What a run remembers of each reply it read: enough to recognise a later copy and to list
/// the first copy among the sources (a path is the file's number, a label an interned number:
/// at a million replies, every byte here is a megabyte).
struct FirstCopy {
    fingerprint: Fingerprint,
    file: u32,
    line: Option<u32>,
    /// Index in [`NAMES`] (0: none).
    encoding: u8,
    format: u8,
    label: Option<u32>,
    /// Address, publish date and page title, for the few replies that have them.
    page: Option<Box<[Option<String>; 3]>>,
}

/// Where a reply read in this run stands.
pub(crate) enum Seen {
    /// Not read before in this run.
    New,
    /// A copy of the reply of this id (the same text, under this name or another).
    CopyOf(String),
    /// The id was read before with other text: a different reply under the same name.
    OtherText { first: String },
}

/// A fingerprint as two words (a `u128` would align every map entry to 16 bytes).
type Fingerprint = [u64; 2];

/// The replies of one run, by id and by fingerprint.
pub(crate) struct RunCopies<'a> {
    by_id: HashMap<Box<str>, FirstCopy>,
    by_fingerprint: HashMap<Fingerprint, Box<str>>,
    labels: HashMap<String, u32>,
    label_names: Vec<String>,
    /// Every source of the replies read more than once.
    multiple: HashMap<Box<str>, Vec<ReplySource>>,
    /// The run's files, by number.
    files: &'a [(PathBuf, InputFormat)],
}

fn value(fingerprint: &str) -> Fingerprint {
    let n = u128::from_str_radix(fingerprint, 16).unwrap_or(0);
    [(n >> 64) as u64, n as u64]
}

impl<'a> RunCopies<'a> {
    pub(crate) fn new(files: &'a [(PathBuf, InputFormat)]) -> Self {
        RunCopies {
            by_id: HashMap::new(),
            by_fingerprint: HashMap::new(),
            labels: HashMap::new(),
            label_names: Vec::new(),
            multiple: HashMap::new(),
            files,
        }
    }

    /// Where a reply with this id and fingerprint stands.
    pub(crate) fn seen(&self, id: &str, fingerprint: &str) -> Seen {
        let fp = value(fingerprint);
        if let Some(first) = self.by_id.get(id) {
            if first.fingerprint == fp {
                let canonical = self.by_fingerprint.get(&fp).map_or(id, |c| c);
                return Seen::CopyOf(canonical.to_string());
            }
            let path = self.path_of(first.file);
            let at = match first.line {
                Some(l) => format!("{path}:{l}"),
                None => path,
            };
            return Seen::OtherText { first: at };
        }
        match self.by_fingerprint.get(&fp) {
            Some(canonical) => Seen::CopyOf(canonical.to_string()),
            None => Seen::New,
        }
    }

    /// Remembers the first copy of a reply, read from file number `file` under `id`, and that
    /// its text is the reply `canonical` (`id` itself, or a reply of an earlier commit).
    pub(crate) fn remember(
        &mut self,
        id: &str,
        canonical: &str,
        fingerprint: &str,
        file: usize,
        source: &ReplySource,
    ) {
        let fp = value(fingerprint);
        let label = source.source.as_ref().map(|l| match self.labels.get(l) {
            Some(&n) => n,
            None => {
                let n = self.label_names.len() as u32;
                self.labels.insert(l.clone(), n);
                self.label_names.push(l.clone());
                n
            }
        });
        let page = [&source.source_url, &source.published, &source.title];
        let page = page
            .iter()
            .any(|p| p.is_some())
            .then(|| Box::new(page.map(Clone::clone)));
        let first = FirstCopy {
            fingerprint: fp,
            file: file as u32,
            line: source.line.map(|l| l as u32),
            encoding: intern(source.encoding.as_deref()),
            format: intern(source.format.as_deref()),
            label,
            page,
        };
        self.by_id.insert(id.into(), first);
        self.by_fingerprint.insert(fp, canonical.into());
    }

    fn path_of(&self, file: u32) -> String {
        self.files
            .get(file as usize)
            .map(|(p, _)| p.display().to_string())
            .unwrap_or_default()
    }

    /// Every source of reply `id` read so far in this run, and `more`: the list a copy of it
    /// is written with.
    pub(crate) fn sources_with(&mut self, id: &str, more: Vec<ReplySource>) -> Vec<ReplySource> {
        let mut sources = match self.multiple.remove(id) {
            Some(s) => s,
            None => self.first_source(id).into_iter().collect(),
        };
        add_sources(&mut sources, more);
        self.multiple.insert(id.into(), sources.clone());
        sources
    }

    /// Records that reply `id` is listed with `sources` (merged with an earlier commit's).
    pub(crate) fn set_sources(&mut self, id: &str, sources: Vec<ReplySource>) {
        // A reply read under its own id with its one source is rebuilt from `by_id`.
        if sources.len() > 1 || !self.by_id.contains_key(id) {
            self.multiple.insert(id.into(), sources);
        }
    }

    fn first_source(&self, id: &str) -> Option<ReplySource> {
        let first = self.by_id.get(id)?;
        let [source_url, published, title] = first.page.as_deref().cloned().unwrap_or_default();
        let text = |n: u8| {
            NAMES
                .get(usize::from(n))
                .filter(|s| !s.is_empty())
                .map(|s| s.to_string())
        };
        Some(ReplySource {
            path: Some(self.path_of(first.file)),
            line: first.line.map(|l| l as usize),
            source_url,
            source: first
                .label
                .and_then(|n| self.label_names.get(n as usize).cloned()),
            encoding: text(first.encoding),
            format: text(first.format),
            published,
            title,
        })
    }
}

/// The encoding and format names a source gives (they come from fixed lists, so the run keeps
/// a number for each, not a copy). Index 0 is "none".
const NAMES: &[&str] = &[
    "", "UTF-8", "UTF-16LE", "UTF-16BE", "gb18030", "GBK", "Big5", "utf-8", "docx", "pdf", "txt",
    "jsonl", "html", "api",
];

/// The number of an encoding or format name in [`NAMES`] (0 for none or an unknown one).
fn intern(name: Option<&str>) -> u8 {
    name.and_then(|n| NAMES.iter().position(|k| *k == n))
        .and_then(|i| u8::try_from(i).ok())
        .unwrap_or(0)
}
