//! What an ingest or a removal did: counts, rejections and duplicates.

/// One input that was not indexed, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    pub path: String,
    pub line: Option<u64>,
    pub reason: String,
}

/// An article not stored because the same date and text are already indexed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Duplicate {
    pub path: String,
    pub line: Option<u64>,
    pub duplicate_of: String,
}

/// The outcome of an ingest run.
#[derive(Debug, Clone, Default)]
pub struct IngestReport {
    /// New articles added.
    pub indexed: u64,
    /// Articles whose id was indexed with other content, now replaced.
    pub replaced: u64,
    pub unchanged: u64,
    pub duplicates: u64,
    /// Articles whose source (a file under a root, or a line of a JSON Lines file read again)
    /// is gone, removed from the index.
    pub removed: u64,
    /// Articles found under a new name (a moved or renamed file): stored once, under the new one.
    pub moved: u64,
    pub rejected: Vec<Rejection>,
    pub duplicate_articles: Vec<Duplicate>,
    pub elapsed_ms: u64,
    /// Articles read (indexed, replaced, unchanged, duplicate or moved) per second of the run.
    pub articles_per_second: f64,
    /// Articles in the index after the run.
    pub documents: u64,
    /// The run was cancelled before all input was read; what was read is committed.
    pub interrupted: bool,
}

impl IngestReport {
    /// Articles read so far: indexed, replaced, unchanged, duplicate or moved.
    pub fn articles_read(&self) -> u64 {
        self.indexed + self.replaced + self.unchanged + self.duplicates + self.moved
    }
}

/// The outcome of removing paths from an index.
#[derive(Debug, Clone, Default)]
pub struct RemoveReport {
    /// Articles removed.
    pub removed: u64,
    /// Articles in the index after the removal.
    pub documents: u64,
}

/// The outcome of compacting an index.
#[derive(Debug, Clone, Default)]
pub struct CompactReport {
    /// Segments before the run.
    pub segments_before: u64,
    /// Segments after it.
    pub segments: u64,
    /// Articles in the index.
    pub documents: u64,
}
