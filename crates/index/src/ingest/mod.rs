//! The ingestion pipeline: files in, a committed index out.
//!
//! Files are discovered and read in order on the calling thread (a `.jsonl` file streamed, so
//! memory holds one batch of replies whatever the files' sizes), extraction runs on all cores
//! (rayon) one batch at a time, and the tantivy writer's own threads segment and index. A reply
//! whose id the last commit holds is added after deleting that reply and its commitments, so
//! re-indexing a file replaces it; a new id is added without a delete. Nothing is visible until
//! the single commit at the end: an interrupted run leaves the previous commit intact.

mod copies;
mod input;
mod json_lines;
mod live;
mod overrides;

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use rayon::prelude::*;
use tantivy::Term;

use dafu_extract::Extractor;
use dafu_extract::fingerprint::fingerprint_of_reply;

use copies::{RunCopies, Seen, add_sources, committed_copy};

use crate::commit::commit_stamped;
use crate::document::{ReplyDocument, ReplySource};
use crate::error::IndexError;
use crate::merge_policy::BoundedMergePolicy;
use crate::reply_index::ReplyIndex;

pub use input::{
    DEFAULT_MAX_REPLY_BYTES, Discovered, InputFormat, MAX_ID_LEN, Overrides, RawReply, Skip,
    discover, read_file, read_posted,
};
pub use live::{DuplicateCopy, LiveWriter, WriteError, WriteOutcome};

/// How an ingestion run uses the machine.
#[derive(Debug, Clone)]
pub struct IngestOptions {
    /// Indexing threads of the tantivy writer (default: available cores).
    pub threads: usize,
    /// Writer memory budget in bytes, shared by its threads (default 512 MB).
    pub memory_budget: usize,
    /// Replies extracted in parallel before being handed to the writer (default 512).
    pub batch_size: usize,
    /// How segments are merged during the run (default: at most a million documents each).
    pub merge_policy: BoundedMergePolicy,
    /// The largest reply read, in bytes: a larger `.txt` file or `.jsonl` line is reported and
    /// skipped without being held in memory (default [`DEFAULT_MAX_REPLY_BYTES`], 8 MiB).
    pub max_reply_bytes: u64,
}

impl Default for IngestOptions {
    fn default() -> Self {
        IngestOptions {
            threads: std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(2),
            memory_budget: 512 << 20,
            batch_size: 512,
            merge_policy: BoundedMergePolicy::default(),
            max_reply_bytes: DEFAULT_MAX_REPLY_BYTES,
        }
    }
}

/// Observes an ingestion run (the command line draws a progress bar with it).
pub trait Progress: Sync {
    /// Called once the inputs are known, with the total size of the files to read.
    fn start(&self, _total_bytes: u64) {}
    /// Called as files are read and replies indexed.
    fn advance(&self, _bytes: u64, _replies: usize) {}
}

/// A [`Progress`] that reports nothing.
pub struct Silent;
impl Progress for Silent {}

/// What an ingestion run did.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct IngestSummary {
    /// Replies added (or replaced) and committed.
    pub indexed: usize,
    /// Files and lines that could not be indexed, with the reason for each.
    pub skipped: Vec<Skip>,
    /// Copies of replies read earlier (in this run or an earlier one) under another name or
    /// in another format: listed among the reply's sources, not indexed again.
    pub duplicates: usize,
    /// Files in the input folders that are not reply formats.
    pub ignored_files: usize,
    /// Reply files read.
    pub files: usize,
    /// Bytes read from reply files.
    pub bytes: u64,
    #[serde(serialize_with = "as_secs")]
    pub elapsed: Duration,
}

fn as_secs<S: serde::Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64(d.as_secs_f64())
}

impl IngestSummary {
    /// Throughput in MB/s (10^6 bytes) of input read.
    pub fn mb_per_sec(&self) -> f64 {
        let secs = self.elapsed.as_secs_f64();
        if secs > 0.0 {
            self.bytes as f64 / 1e6 / secs
        } else {
            0.0
        }
    }
}

/// Turns a raw reply into a document: extraction, then the record's own overrides.
pub fn prepare(extractor: &Extractor, raw: RawReply) -> Result<ReplyDocument, Skip> {
    let mut fields = extractor.extract(&raw.text);
    overrides::apply(&mut fields, &raw.overrides, extractor.regions()).map_err(|reason| Skip {
        path: raw.path.clone(),
        line: raw.line,
        reason,
    })?;
    // A page's own title stands in for a title the text does not state.
    if fields.title.is_none() {
        fields.title = raw.page_title.clone();
    }
    // A record that states its own metadata is told apart by it too.
    let identity = raw.overrides.identity();
    let fingerprint = if identity.is_empty() {
        fingerprint_of_reply(&raw.text, fields.title.as_deref())
    } else {
        fingerprint_of_reply(
            &format!("{}\n{identity}", raw.text),
            fields.title.as_deref(),
        )
    };
    let origin = ReplySource {
        path: Some(raw.path.display().to_string()),
        line: raw.line,
        source_url: raw.source_url,
        source: raw.source,
        encoding: Some(raw.encoding.to_string()),
        format: Some(raw.format.to_string()),
        published: raw.published,
        title: raw.page_title,
    };
    Ok(ReplyDocument {
        id: raw.id,
        fingerprint,
        text: raw.text,
        fields,
        sources: vec![origin.clone()],
        origin,
    })
}

/// Reads `inputs` (files or folders, recursively), extracts and indexes every reply, and
/// commits once. Returns the summary; a run that indexed nothing commits nothing.
pub fn ingest(
    index: &ReplyIndex,
    extractor: &Extractor,
    inputs: &[PathBuf],
    options: &IngestOptions,
    progress: &dyn Progress,
) -> Result<IngestSummary, IndexError> {
    let started = Instant::now();
    let mut summary = IngestSummary::default();
    let mut files = Vec::new();
    for d in discover(inputs) {
        match d {
            Discovered::File(path, format) => files.push((path, format)),
            Discovered::Rejected(path, reason) => summary.skipped.push(Skip {
                path,
                line: None,
                reason,
            }),
            Discovered::Ignored(_) => summary.ignored_files += 1,
        }
    }
    let total: u64 = files
        .iter()
        .filter_map(|(p, _)| std::fs::metadata(p).ok())
        .map(|m| m.len())
        .sum();
    progress.start(total);

    let mut writer = index.writer(options.threads, options.memory_budget)?;
    writer.set_merge_policy(Box::new(options.merge_policy));
    let schema = index.schema();
    // The last commit, to tell new replies from replacements. A delete waits in tantivy's
    // queue until the commit and is checked against every segment written meanwhile: two per
    // reply were, at a million replies, two million queued deletes that matched nothing.
    let committed = index.reader()?.searcher();
    let fresh = committed.num_docs() == 0;
    let replaces = |id: &str| {
        // A dictionary that cannot be read counts as holding the id: a needless delete is
        // harmless, a missing one would leave a duplicate.
        !fresh
            && !matches!(
                committed.doc_freq(&Term::from_field_text(schema.id, id)),
                Ok(0)
            )
    };
    // Every reply read in this run, by id and by fingerprint (see `copies`).
    let mut copies = RunCopies::new(&files);
    let mut batch: Vec<(usize, RawReply)> = Vec::with_capacity(options.batch_size);

    let flush = |batch: &mut Vec<(usize, RawReply)>,
                 summary: &mut IngestSummary,
                 copies: &mut RunCopies|
     -> Result<(), IndexError> {
        let prepared: Vec<(usize, Result<ReplyDocument, Skip>)> = batch
            .par_drain(..)
            .map(|(file, raw)| (file, prepare(extractor, raw)))
            .collect();
        // The batch's replies in order, each id once, and the ids whose earlier documents
        // (this run's or the last commit's) they replace.
        let mut docs: Vec<ReplyDocument> = Vec::new();
        let mut at: HashMap<String, usize> = HashMap::new();
        let mut deletes: Vec<String> = Vec::new();
        let mut new = 0;
        for (file, doc) in prepared {
            let mut doc = match doc {
                Ok(doc) => doc,
                Err(skip) => {
                    summary.skipped.push(skip);
                    continue;
                }
            };
            match copies.seen(&doc.id, &doc.fingerprint) {
                Seen::OtherText { first } => summary.skipped.push(Skip {
                    path: PathBuf::from(doc.origin.path.take().unwrap_or_default()),
                    line: doc.origin.line,
                    reason: format!(
                        "duplicate id {:?} with other text (first seen in {first})",
                        doc.id
                    ),
                }),
                Seen::CopyOf(canonical) => {
                    summary.duplicates += 1;
                    // This copy is written in the reply's place, with every source: over
                    // the batch's document, or after deleting the one an earlier batch wrote.
                    doc.sources = copies.sources_with(&canonical, vec![doc.origin.clone()]);
                    doc.id = canonical.clone();
                    match at.get(&canonical) {
                        Some(&i) => docs[i] = doc,
                        None => {
                            deletes.push(canonical.clone());
                            at.insert(canonical, docs.len());
                            docs.push(doc);
                        }
                    }
                }
                Seen::New => {
                    new += 1;
                    let id = doc.id.clone();
                    if replaces(&id) {
                        deletes.push(id.clone());
                    }
                    let committed_as = if fresh {
                        None
                    } else {
                        committed_copy(&committed, schema, &doc.fingerprint)?
                    };
                    if let Some((canonical, mut sources)) = committed_as {
                        // Read before, by an earlier run: listed with the copies it has.
                        add_sources(&mut sources, vec![doc.origin.clone()]);
                        if canonical != id {
                            summary.duplicates += 1;
                            new -= 1;
                            deletes.push(canonical.clone());
                        }
                        copies.remember(&id, &canonical, &doc.fingerprint, file, &doc.origin);
                        copies.set_sources(&canonical, sources.clone());
                        doc.id = canonical;
                        doc.sources = sources;
                    } else {
                        copies.remember(&id, &id, &doc.fingerprint, file, &doc.origin);
                    }
                    at.insert(doc.id.clone(), docs.len());
                    docs.push(doc);
                }
            }
        }
        // Deletes first: a delete reaches the documents added before it, so the batch's own
        // documents, added next, stay.
        for id in &deletes {
            writer.delete_term(Term::from_field_text(schema.id, id));
            writer.delete_term(Term::from_field_text(schema.parent, id));
        }
        // The batch's replies go to the writer before all their commitments, so each segment
        // holds long runs of one kind: a reply search skips the commitment runs block by block
        // (its `kind` clause jumps over them) instead of walking 30 documents per reply, and a
        // commitment search skips the replies likewise.
        let mut commitments = Vec::new();
        for doc in &docs {
            let mut tantivy_docs = doc.to_tantivy(schema).into_iter();
            if let Some(reply) = tantivy_docs.next() {
                writer.add_document(reply)?;
            }
            commitments.extend(tantivy_docs);
        }
        for d in commitments {
            writer.add_document(d)?;
        }
        summary.indexed += new;
        progress.advance(0, new);
        Ok(())
    };

    for (file_no, (path, format)) in files.iter().enumerate() {
        let mut file_skips = Vec::new();
        // Each reply goes to the batch as it is read: a file of any size holds one batch.
        let mut take = |raw: RawReply| -> Result<(), IndexError> {
            batch.push((file_no, raw));
            if batch.len() >= options.batch_size {
                flush(&mut batch, &mut summary, &mut copies)?;
            }
            Ok(())
        };
        let bytes = read_file(
            path,
            *format,
            options.max_reply_bytes,
            &mut take,
            &mut file_skips,
        )?;
        summary.skipped.append(&mut file_skips);
        summary.files += 1;
        summary.bytes += bytes;
        progress.advance(bytes, 0);
    }
    flush(&mut batch, &mut summary, &mut copies)?;

    if summary.indexed == 0 && summary.duplicates == 0 {
        writer.rollback()?;
    } else {
        commit_stamped(&mut writer, "dafu index")?;
        writer.wait_merging_threads()?;
    }
    summary.elapsed = started.elapsed();
    Ok(summary)
}
