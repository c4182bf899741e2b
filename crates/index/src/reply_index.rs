//! Opening and creating a reply index on disk or in RAM.

use std::path::{Path, PathBuf};

use tantivy::directory::MmapDirectory;
use tantivy::indexer::IndexWriterOptions;
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument};

use crate::analysis::Analysis;
use crate::error::IndexError;
use crate::schema::ReplySchema;

/// Smallest writer memory budget per indexing thread that tantivy accepts.
const MIN_MEMORY_PER_THREAD: usize = 15_000_000;

/// Segment merges that may run at once. tantivy's default is four; each merge maps the
/// segments it reads (up to a million documents' worth, about 1 GB, with
/// [`crate::merge_policy::BoundedMergePolicy`]), so concurrent merges added up in a run's
/// resident memory (2.7 GB at a million replies, BENCHMARKS.md), and on a small server they
/// only take cores from the indexing threads.
const MERGE_THREADS: usize = 1;

/// A tantivy index with dafu's schema and analyzers registered.
#[derive(Clone)]
pub struct ReplyIndex {
    index: Index,
    schema: ReplySchema,
    analysis: Analysis,
    path: Option<PathBuf>,
}

impl std::fmt::Debug for ReplyIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReplyIndex")
            .field("path", &self.path)
            .finish()
    }
}

impl ReplyIndex {
    /// Opens the index in `dir`, creating an empty one (and the directory) if there is none.
    pub fn open_or_create(dir: &Path, analysis: Analysis) -> Result<Self, IndexError> {
        std::fs::create_dir_all(dir).map_err(|e| IndexError::io(dir, e))?;
        if dir.join("meta.json").exists() {
            return Self::open(dir, analysis);
        }
        let mmap =
            MmapDirectory::open(dir).map_err(|e| IndexError::io(dir, std::io::Error::other(e)))?;
        let schema = ReplySchema::build();
        let index = Index::create(mmap, schema.schema.clone(), Default::default())?;
        Ok(Self::wrap(index, schema, analysis, Some(dir)))
    }

    /// Opens an existing index; fails clearly when `dir` holds none or one of another schema.
    pub fn open(dir: &Path, analysis: Analysis) -> Result<Self, IndexError> {
        if !dir.join("meta.json").exists() {
            return Err(IndexError::NotAnIndex(dir.to_path_buf()));
        }
        let index = Index::open_in_dir(dir)?;
        let schema = ReplySchema::build();
        for (_, entry) in schema.schema.fields() {
            if index.schema().get_field(entry.name()).is_err() {
                return Err(IndexError::SchemaMismatch {
                    path: dir.to_path_buf(),
                    field: entry.name().to_string(),
                });
            }
        }
        if index.schema() != schema.schema {
            return Err(IndexError::SchemaMismatch {
                path: dir.to_path_buf(),
                field: "(field options differ)".into(),
            });
        }
        Ok(Self::wrap(index, schema, analysis, Some(dir)))
    }

    /// An empty index in memory (tests, benchmarks).
    pub fn create_in_ram(analysis: Analysis) -> Self {
        let schema = ReplySchema::build();
        let index = Index::create_in_ram(schema.schema.clone());
        Self::wrap(index, schema, analysis, None)
    }

    fn wrap(index: Index, schema: ReplySchema, analysis: Analysis, path: Option<&Path>) -> Self {
        analysis.register(&index);
        ReplyIndex {
            index,
            schema,
            analysis,
            path: path.map(Path::to_path_buf),
        }
    }

    pub fn index(&self) -> &Index {
        &self.index
    }

    pub fn schema(&self) -> &ReplySchema {
        &self.schema
    }

    pub fn analysis(&self) -> &Analysis {
        &self.analysis
    }

    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// A writer with `threads` indexing threads sharing `memory_budget` bytes, merging one
    /// group of segments at a time ([`MERGE_THREADS`]).
    pub fn writer(
        &self,
        threads: usize,
        memory_budget: usize,
    ) -> Result<IndexWriter<TantivyDocument>, IndexError> {
        let threads = threads.clamp(1, 8);
        let budget = memory_budget.max(threads * MIN_MEMORY_PER_THREAD);
        let options = IndexWriterOptions::builder()
            .num_worker_threads(threads)
            .memory_budget_per_thread(budget / threads)
            .num_merge_threads(MERGE_THREADS)
            .build();
        Ok(self.index.writer_with_options(options)?)
    }

    /// Searches go over the segments on `threads` threads at once (tantivy's multi-threaded
    /// executor) instead of one after the other on the searching thread; set it before a
    /// reader is made. `dafu serve` leaves it at one: it already runs a search per core.
    pub fn search_segments_in_parallel(&mut self, threads: usize) -> Result<(), IndexError> {
        Ok(self.index.set_multithread_executor(threads.max(1))?)
    }

    /// A reader that follows new commits.
    pub fn reader(&self) -> Result<IndexReader, IndexError> {
        Ok(self
            .index
            .reader_builder()
            .reload_policy(ReloadPolicy::OnCommitWithDelay)
            .try_into()?)
    }
}
