//! Live updates (在线更新) of a served index: replies added, replaced and deleted one request at
//! a time, each request one atomic commit.
//!
//! A [`LiveWriter`] takes tantivy's writer lock on its first write and keeps it, so that a
//! server which never writes never blocks `dafu index`, and one that does is the index's only
//! writer; its requests are applied one at a time. A reply is always replaced by id (its
//! earlier version and that version's commitments deleted in the same commit), which makes a
//! repeated request change nothing.

use std::sync::Mutex;

use tantivy::collector::Count;
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::{IndexReader, IndexWriter, Opstamp, ReloadPolicy, Searcher, TantivyDocument, Term};

use dafu_extract::Extractor;

use super::copies::{add_sources, committed_copy};
use super::{RawReply, Skip, prepare};
use crate::commit::commit_stamped;
use crate::error::IndexError;
use crate::merge_policy::BoundedMergePolicy;
use crate::reply_index::ReplyIndex;

/// Indexing threads of the live writer: requests are small, and searches need the cores.
const THREADS: usize = 1;
/// Memory budget of the live writer.
const MEMORY_BUDGET: usize = 64 << 20;

/// What a write request changed, once committed.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WriteOutcome {
    /// Replies that were not in the index before.
    pub created: Vec<String>,
    /// Replies that replaced one with the same id.
    pub replaced: Vec<String>,
    /// Replies deleted.
    pub deleted: Vec<String>,
    /// Records whose text is a reply the index already holds under another id: added to that
    /// reply's sources instead of being indexed again.
    pub duplicates: Vec<DuplicateCopy>,
    /// tantivy's operation stamp of the commit (grows with every commit).
    pub opstamp: Opstamp,
}

/// A record that is a copy of a reply indexed under another id.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DuplicateCopy {
    /// The record's id.
    pub id: String,
    /// The reply it is a copy of (same fingerprint), now listing it among its sources.
    pub reply: String,
}

/// Why a write request was not applied (nothing of it was).
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The request itself is wrong: every reason, with the line of the record.
    #[error("{} record(s) cannot be indexed", .0.len())]
    Invalid(Vec<Skip>),
    /// No reply has this id.
    #[error("no reply has the id {0:?}")]
    NotFound(String),
    /// Another process (a `dafu index` run, another server) holds the index's writer lock.
    #[error(
        "another process is writing this index (its writer lock is held); try again when it is done"
    )]
    Locked,
    #[error(transparent)]
    Index(IndexError),
}

impl From<IndexError> for WriteError {
    fn from(e: IndexError) -> Self {
        match e {
            IndexError::Tantivy(tantivy::TantivyError::LockFailure(..)) => WriteError::Locked,
            e => WriteError::Index(e),
        }
    }
}

impl From<tantivy::TantivyError> for WriteError {
    fn from(e: tantivy::TantivyError) -> Self {
        IndexError::Tantivy(e).into()
    }
}

/// The one writer of a served index.
pub struct LiveWriter {
    index: ReplyIndex,
    /// The writer's own view of the last commit (reloaded under the lock, so that it knows
    /// what the requests before this one did).
    reader: IndexReader,
    writer: Mutex<Option<IndexWriter<TantivyDocument>>>,
}

impl std::fmt::Debug for LiveWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LiveWriter")
            .field("index", &self.index)
            .finish()
    }
}

impl LiveWriter {
    /// A writer for `index`; the lock is taken on the first write.
    pub fn new(index: ReplyIndex) -> Result<Self, IndexError> {
        let reader = index
            .index()
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(LiveWriter {
            index,
            reader,
            writer: Mutex::new(None),
        })
    }

    /// Adds or replaces `replies` (extracted here) in one commit. Nothing is written when a
    /// record is invalid or the commit fails.
    pub fn upsert(
        &self,
        extractor: &Extractor,
        replies: Vec<RawReply>,
    ) -> Result<WriteOutcome, WriteError> {
        let mut seen = std::collections::HashSet::new();
        let mut invalid = Vec::new();
        for raw in &replies {
            if !seen.insert(raw.id.clone()) {
                invalid.push(Skip {
                    path: raw.path.clone(),
                    line: raw.line,
                    reason: format!("the id {:?} is sent twice in one request", raw.id),
                });
            }
        }
        let mut documents = Vec::with_capacity(replies.len());
        for raw in replies {
            match prepare(extractor, raw) {
                Ok(mut doc) => {
                    // The request is not a file: the record is its own origin.
                    doc.origin.path = None;
                    doc.origin.line = None;
                    doc.origin.format = Some("api".into());
                    doc.sources = vec![doc.origin.clone()];
                    documents.push(doc);
                }
                Err(skip) => invalid.push(skip),
            }
        }
        if !invalid.is_empty() {
            invalid.sort_by_key(|s| s.line);
            return Err(WriteError::Invalid(invalid));
        }
        let schema = self.index.schema();
        let mut outcome = WriteOutcome {
            created: Vec::new(),
            replaced: Vec::new(),
            deleted: Vec::new(),
            duplicates: Vec::new(),
            opstamp: 0,
        };
        self.with_writer(|writer, searcher| {
            // Records of this request by fingerprint: a second copy in one request merges
            // into the first.
            let mut by_fingerprint: std::collections::HashMap<String, usize> = Default::default();
            let mut staged: Vec<crate::document::ReplyDocument> = Vec::new();
            for mut doc in documents {
                if let Some(&i) = by_fingerprint.get(&doc.fingerprint) {
                    let first: &mut crate::document::ReplyDocument = &mut staged[i];
                    add_sources(&mut first.sources, vec![doc.origin]);
                    outcome.duplicates.push(DuplicateCopy {
                        id: doc.id,
                        reply: first.id.clone(),
                    });
                    continue;
                }
                if let Some((canonical, mut sources)) =
                    committed_copy(searcher, schema, &doc.fingerprint)?
                {
                    add_sources(&mut sources, vec![doc.origin.clone()]);
                    doc.sources = sources;
                    if canonical != doc.id {
                        // The id now names a copy: an earlier reply under it is replaced by it.
                        if holds(searcher, schema.id, &doc.id)? {
                            outcome.deleted.push(doc.id.clone());
                            writer.delete_term(Term::from_field_text(schema.id, &doc.id));
                            writer.delete_term(Term::from_field_text(schema.parent, &doc.id));
                        }
                        outcome.duplicates.push(DuplicateCopy {
                            id: std::mem::replace(&mut doc.id, canonical),
                            reply: doc.id.clone(),
                        });
                    }
                }
                if holds(searcher, schema.id, &doc.id)? {
                    outcome.replaced.push(doc.id.clone());
                } else {
                    outcome.created.push(doc.id.clone());
                }
                by_fingerprint.insert(doc.fingerprint.clone(), staged.len());
                staged.push(doc);
            }
            for doc in &staged {
                // Deleted whether or not the last commit holds it: a write that failed to
                // commit may have left nothing, and a delete of nothing costs nothing here.
                writer.delete_term(Term::from_field_text(schema.id, &doc.id));
                writer.delete_term(Term::from_field_text(schema.parent, &doc.id));
            }
            for doc in &staged {
                for d in doc.to_tantivy(schema) {
                    writer.add_document(d)?;
                }
            }
            Ok(())
        })
        .map(|opstamp| {
            outcome.opstamp = opstamp;
            outcome
        })
    }

    /// Deletes the reply `id` and its commitments in one commit.
    pub fn delete(&self, id: &str) -> Result<WriteOutcome, WriteError> {
        let schema = self.index.schema();
        let opstamp = self.with_writer(|writer, searcher| {
            if !holds(searcher, schema.id, id)? {
                return Err(WriteError::NotFound(id.to_string()));
            }
            writer.delete_term(Term::from_field_text(schema.id, id));
            writer.delete_term(Term::from_field_text(schema.parent, id));
            Ok(())
        })?;
        Ok(WriteOutcome {
            created: Vec::new(),
            replaced: Vec::new(),
            deleted: vec![id.to_string()],
            duplicates: Vec::new(),
            opstamp,
        })
    }

    /// Whether the writer lock is taken (a write has happened since the server started).
    pub fn is_open(&self) -> bool {
        self.writer.lock().map(|w| w.is_some()).unwrap_or(false)
    }

    /// Runs `stage` on the writer (opened if need be) and a view of the last commit, and
    /// commits; on any failure the staged operations are rolled back, so the next request
    /// starts from the last commit.
    fn with_writer(
        &self,
        stage: impl FnOnce(&mut IndexWriter<TantivyDocument>, &Searcher) -> Result<(), WriteError>,
    ) -> Result<Opstamp, WriteError> {
        // A panic while holding the lock cannot leave staged documents behind: they are rolled
        // back below before the guard is released, so a poisoned lock is safe to take.
        let mut guard = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        let writer = match guard.take() {
            Some(writer) => writer,
            None => {
                let writer = self.index.writer(THREADS, MEMORY_BUDGET)?;
                writer.set_merge_policy(Box::new(BoundedMergePolicy::default()));
                writer
            }
        };
        let writer = guard.insert(writer);
        self.reader.reload()?;
        let searcher = self.reader.searcher();
        let staged =
            stage(writer, &searcher).and_then(|()| Ok(commit_stamped(writer, "live update")?));
        match staged {
            Ok(opstamp) => {
                // Committed: a failed reload only means the next request reloads again.
                if let Err(e) = self.reader.reload() {
                    tracing::warn!(error = %e, "reloading the live writer's reader");
                }
                Ok(opstamp)
            }
            Err(e) => {
                if let Err(rollback) = writer.rollback() {
                    tracing::error!(error = %rollback, "rolling back a failed write");
                    // The writer is in an unknown state: open a new one next time.
                    *guard = None;
                }
                Err(e)
            }
        }
    }

    /// Waits for the writer's merges and releases its lock (graceful shutdown). Every write was
    /// committed when its request was answered, so there is nothing else to flush.
    pub fn close(&self) -> Result<(), WriteError> {
        let mut guard = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(writer) = guard.take() {
            writer.wait_merging_threads()?;
        }
        Ok(())
    }
}

/// Whether the searcher's commit holds a live (not deleted) document with this id.
fn holds(searcher: &Searcher, field: tantivy::schema::Field, id: &str) -> Result<bool, WriteError> {
    let query = TermQuery::new(Term::from_field_text(field, id), IndexRecordOption::Basic);
    Ok(searcher.search(&query, &Count)? > 0)
}
