//! The story work a commit leaves undone, recorded in that commit's payload (tantivy's
//! `meta.json`), so that a run killed before finishing it leaves it to the next run.
//!
//! Stories are merged and regrouped only once a run's articles are all committed (see
//! `storying`); until then, the index holds articles whose story is about to change. Each commit
//! records, atomically with the articles it makes visible, what is left to do to their stories;
//! the commit that does it clears the record.

use serde::{Deserialize, Serialize};
use tantivy::{Index, IndexWriter};

use crate::error::{Error, Result};

/// What a commit leaves to do to the stories of the articles it holds.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct StoryWork {
    /// The window the stories were grouped with, to regroup them with the same.
    pub(super) window: u32,
    /// Stories merged into others, as (merged story, story it is part of): their articles
    /// still carry the merged story's id.
    pub(super) merged: Vec<(u64, u64)>,
    /// Stories that lost members (as called after the merges), to split into their connected
    /// parts.
    pub(super) dirty: Vec<u64>,
}

impl StoryWork {
    pub(super) fn is_empty(&self) -> bool {
        self.merged.is_empty() && self.dirty.is_empty()
    }
}

/// The payload as written: one key of ours, so that the payload says whose it is.
#[derive(Serialize, Deserialize)]
struct Payload {
    dateline_story_work: StoryWork,
}

/// Commits what the writer holds, with the story work left to do (none: the payload is
/// cleared).
pub(super) fn commit(writer: &mut IndexWriter, work: &StoryWork) -> Result<()> {
    let mut prepared = writer.prepare_commit()?;
    if !work.is_empty() {
        let payload = Payload {
            dateline_story_work: work.clone(),
        };
        prepared.set_payload(&serde_json::to_string(&payload).expect("plain data serialises"));
    }
    prepared.commit()?;
    Ok(())
}

/// The story work the index's last commit left undone, if any.
pub(super) fn left_undone(index: &Index, dir: &std::path::Path) -> Result<Option<StoryWork>> {
    let Some(payload) = index.load_metas()?.payload else {
        return Ok(None);
    };
    // A payload that is not ours (another tool's commit) leaves nothing to do.
    let Ok(value) = serde_json::from_str::<serde_json::Value>(&payload) else {
        return Ok(None);
    };
    if value.get("dateline_story_work").is_none() {
        return Ok(None);
    }
    match serde_json::from_value::<Payload>(value) {
        Ok(payload) => Ok(Some(payload.dateline_story_work).filter(|work| !work.is_empty())),
        Err(err) => Err(Error::IndexDamaged {
            path: dir.to_path_buf(),
            detail: format!("the story work recorded in meta.json is unreadable ({err})"),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn work_recorded_with_a_commit_is_read_back_and_cleared_by_the_next() {
        let dir = tempfile::tempdir().unwrap();
        let store = crate::schema::create(dir.path()).unwrap();
        let mut writer: IndexWriter = store.index.writer_with_num_threads(1, 15_000_000).unwrap();
        assert_eq!(left_undone(&store.index, dir.path()).unwrap(), None);
        let work = StoryWork {
            window: 7,
            merged: vec![(u64::MAX, 1), (2, 3)],
            dirty: vec![3, u64::MAX - 1],
        };
        commit(&mut writer, &work).unwrap();
        assert_eq!(left_undone(&store.index, dir.path()).unwrap(), Some(work));
        commit(&mut writer, &StoryWork::default()).unwrap();
        assert_eq!(left_undone(&store.index, dir.path()).unwrap(), None);
    }

    #[test]
    fn a_payload_of_another_tool_leaves_nothing_to_do() {
        let dir = tempfile::tempdir().unwrap();
        let store = crate::schema::create(dir.path()).unwrap();
        let mut writer: IndexWriter = store.index.writer_with_num_threads(1, 15_000_000).unwrap();
        for foreign in ["first commit", "{\"note\": 1}"] {
            let mut prepared = writer.prepare_commit().unwrap();
            prepared.set_payload(foreign);
            prepared.commit().unwrap();
            assert_eq!(left_undone(&store.index, dir.path()).unwrap(), None);
        }
        let mut prepared = writer.prepare_commit().unwrap();
        prepared.set_payload("{\"dateline_story_work\": {\"window\": \"seven\"}}");
        prepared.commit().unwrap();
        assert!(matches!(
            left_undone(&store.index, dir.path()),
            Err(Error::IndexDamaged { .. })
        ));
    }
}
