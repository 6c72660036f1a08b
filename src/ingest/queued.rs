//! A bound on the documents waiting for tantivy's indexing threads.
//!
//! tantivy queues up to 10,000 documents ahead of its indexing threads. Without entities the
//! indexing threads are the slower side and that queue is always full, whatever its length.
//! With entities, preparing a document costs about as much as indexing it, and the one
//! indexing thread of a first run gets no more than its share of the cores beside the
//! preparing threads: those filled the queue and finished early, and the indexing thread was
//! left to work through up to 10,000 documents alone, the other core idle (on Reuters-21578,
//! about half of the corpus). Counting the documents until the indexing thread drops them, and
//! holding the next one back while too many wait, keeps both sides busy to the end.

use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::time::Duration;

use tantivy::{Document, TantivyDocument};

/// Documents that may wait per indexing thread: a few batches of the preparing threads, so
/// the indexing threads never run dry while the next batch is prepared.
pub(super) const PER_INDEXING_THREAD: usize = 1024;

/// How long `admit` waits for a document to leave before it stops waiting. An indexing
/// thread that is writing a segment takes no document for a while (a few tenths of a second
/// when a large segment is written): then the queue may grow as long as tantivy's own allows,
/// so the preparing threads go on, until a document leaves again. An indexing thread that died
/// never frees its queue; the writer then refuses the next document with the thread's error.
const PATIENCE: Duration = Duration::from_millis(20);

/// How many documents are queued, and the signal that one left.
#[derive(Debug)]
pub(super) struct Gauge {
    counts: Mutex<Counts>,
    left: Condvar,
    limit: usize,
    patience: Duration,
}

#[derive(Debug, Default)]
struct Counts {
    queued: usize,
    /// Documents that ever left the queue.
    left: u64,
    /// `left` when waiting last timed out: while it stays the same, nothing waits.
    stalled_at: Option<u64>,
}

/// One queued document: it leaves the count when tantivy drops it, once indexed.
#[derive(Debug)]
struct Ticket(Arc<Gauge>);

impl Drop for Ticket {
    fn drop(&mut self) {
        let mut counts = self.0.counts.lock().unwrap_or_else(PoisonError::into_inner);
        counts.queued -= 1;
        counts.left += 1;
        if counts.queued + 1 == self.0.limit {
            self.0.left.notify_all();
        }
    }
}

impl Gauge {
    pub(super) fn new(limit: usize) -> Arc<Gauge> {
        Gauge::with_patience(limit, PATIENCE)
    }

    fn with_patience(limit: usize, patience: Duration) -> Arc<Gauge> {
        Arc::new(Gauge {
            counts: Mutex::new(Counts::default()),
            left: Condvar::new(),
            limit: limit.max(1),
            patience,
        })
    }

    /// `doc`, counted: waits first while `limit` documents are queued (see `PATIENCE`).
    pub(super) fn admit(self: &Arc<Self>, doc: TantivyDocument) -> Queued {
        let mut counts = self.counts.lock().unwrap_or_else(PoisonError::into_inner);
        while counts.queued >= self.limit && counts.stalled_at != Some(counts.left) {
            let left = counts.left;
            let (now, wait) = self
                .left
                .wait_timeout(counts, self.patience)
                .unwrap_or_else(PoisonError::into_inner);
            counts = now;
            if wait.timed_out() && counts.left == left {
                counts.stalled_at = Some(left);
            }
        }
        counts.queued += 1;
        Queued {
            doc,
            _ticket: Some(Ticket(Arc::clone(self))),
        }
    }

    /// Documents queued now.
    #[cfg(test)]
    fn queued(&self) -> usize {
        self.counts
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .queued
    }
}

/// A document for the index writer, counted by a `Gauge` or not (stories rewritten after the
/// run, removals: few documents, no preparing threads to hold back).
#[derive(Debug)]
pub struct Queued {
    doc: TantivyDocument,
    _ticket: Option<Ticket>,
}

impl From<TantivyDocument> for Queued {
    fn from(doc: TantivyDocument) -> Queued {
        Queued { doc, _ticket: None }
    }
}

impl Document for Queued {
    type Value<'a> = <TantivyDocument as Document>::Value<'a>;
    type FieldsValuesIter<'a> = <TantivyDocument as Document>::FieldsValuesIter<'a>;

    fn iter_fields_and_values(&self) -> Self::FieldsValuesIter<'_> {
        self.doc.iter_fields_and_values()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_leave_the_count_when_dropped_and_a_full_gauge_waits_for_one() {
        // Patience far beyond the test: the waiter is woken by the document that leaves.
        let gauge = Gauge::with_patience(2, Duration::from_secs(30));
        let first = gauge.admit(TantivyDocument::default());
        let second = gauge.admit(TantivyDocument::default());
        assert_eq!(gauge.queued(), 2);
        let waiter = {
            let gauge = Arc::clone(&gauge);
            std::thread::spawn(move || {
                let started = std::time::Instant::now();
                let third = gauge.admit(TantivyDocument::default());
                (started.elapsed(), third)
            })
        };
        std::thread::sleep(Duration::from_millis(30));
        drop(first);
        let (waited, third) = waiter.join().unwrap();
        assert!(waited >= Duration::from_millis(20), "{waited:?}");
        assert!(waited < Duration::from_secs(20), "{waited:?}");
        assert_eq!(gauge.queued(), 2);
        drop((second, third));
        assert_eq!(gauge.queued(), 0);
        // Uncounted documents leave the gauge alone.
        let _plain = Queued::from(TantivyDocument::default());
        assert_eq!(gauge.queued(), 0);
    }

    #[test]
    fn a_queue_that_stops_moving_takes_documents_until_one_leaves() {
        let gauge = Gauge::new(1);
        let stuck = gauge.admit(TantivyDocument::default());
        let started = std::time::Instant::now();
        let _second = gauge.admit(TantivyDocument::default());
        assert!(started.elapsed() >= PATIENCE);
        // Stalled: no more waiting while nothing leaves.
        let started = std::time::Instant::now();
        let _third = gauge.admit(TantivyDocument::default());
        assert!(started.elapsed() < PATIENCE, "{:?}", started.elapsed());
        assert_eq!(gauge.queued(), 3);
        // Once one leaves, a full queue is waited on again.
        drop(stuck);
        let started = std::time::Instant::now();
        let _fourth = gauge.admit(TantivyDocument::default());
        assert!(started.elapsed() >= PATIENCE);
        assert_eq!(gauge.queued(), 3);
    }
}
