//! Commits that say when and by what they were made: the payload tantivy keeps in
//! `meta.json` with each commit, read back by the server's health report.

use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use tantivy::{IndexWriter, Opstamp, TantivyDocument};

use crate::error::IndexError;
use crate::reply_index::ReplyIndex;

/// What the last commit of an index records about itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommitStamp {
    /// Seconds since 1970-01-01 UTC at the commit.
    pub unix_seconds: u64,
    /// What committed: `dafu index` or `live update`.
    pub by: String,
}

/// Commits `writer`'s staged operations with a [`CommitStamp`] saying `by` made them now.
pub fn commit_stamped(
    writer: &mut IndexWriter<TantivyDocument>,
    by: &str,
) -> Result<Opstamp, IndexError> {
    let stamp = CommitStamp {
        unix_seconds: SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs()),
        by: by.to_string(),
    };
    let payload = serde_json::to_string(&stamp).unwrap_or_default();
    let mut prepared = writer.prepare_commit()?;
    prepared.set_payload(&payload);
    Ok(prepared.commit()?)
}

impl ReplyIndex {
    /// The stamp of the last commit; `None` for an index never committed, or committed by a
    /// version of dafu that did not stamp its commits.
    pub fn last_commit(&self) -> Result<Option<CommitStamp>, IndexError> {
        let metas = self.index().load_metas()?;
        Ok(metas
            .payload
            .as_deref()
            .and_then(|p| serde_json::from_str(p).ok()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::Analysis;

    #[test]
    fn the_last_commit_says_when_and_by_what() {
        let index = ReplyIndex::create_in_ram(Analysis::embedded().expect("analysis"));
        assert_eq!(index.last_commit().expect("metas"), None);
        let mut writer = index.writer(1, 20 << 20).expect("writer");
        let before = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .expect("clock")
            .as_secs();
        commit_stamped(&mut writer, "test").expect("commit");
        let stamp = index.last_commit().expect("metas").expect("a stamp");
        assert_eq!(stamp.by, "test");
        assert!(stamp.unix_seconds >= before, "{stamp:?}");
    }
}
