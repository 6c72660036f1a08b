//! The run's threads: a walker hands out jobs in sorted order, workers prepare them side by
//! side, and their results are applied to the consumer in the walker's order.
//!
//! Applying in input order makes which copy of a duplicate is kept, and the order of the
//! report, independent of thread timing.

use std::collections::{BTreeMap, VecDeque};
use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use super::consumer::Consumer;
use super::flow::{Flow, StopOnDrop};
use super::options::{IngestOptions, Progress};
use super::prepared::{Batch, Item};
use super::worker::{Preparer, Worker};
use crate::error::{Error, Result};
use crate::sources::{walk, Format, Found, StampReader};

/// Dated files handed to a worker at a time.
const FILES_PER_JOB: usize = 256;
/// How far (in jobs) workers may run ahead of the writer; bounds memory.
const WINDOW: u64 = 4;
/// How often progress is reported.
const TICK: Duration = Duration::from_millis(100);

/// Batches that arrived ahead of their turn, and the job whose turn it is.
#[derive(Default)]
struct InOrder {
    pending: BTreeMap<u64, VecDeque<Batch>>,
    next: u64,
}

impl InOrder {
    /// Applies every item whose turn has come, in order; returns how many jobs are done.
    fn apply_ready(&mut self, mut apply: impl FnMut(Item) -> Result<()>) -> Result<u64> {
        while let Some(queue) = self.pending.get_mut(&self.next) {
            let Some(batch) = queue.pop_front() else {
                break;
            };
            for item in batch.items {
                apply(item)?;
            }
            if batch.last {
                self.pending.remove(&self.next);
                self.next += 1;
            }
        }
        Ok(self.next)
    }
}

/// Walks the inputs and applies every article to `consumer`, in input order. Returns false
/// when the run was cancelled before all input was read.
pub(super) fn run(
    options: &IngestOptions,
    threads: usize,
    preparer: Preparer<'_>,
    consumer: &mut Consumer<'_>,
    on_progress: &(dyn Fn(Progress) + Sync),
) -> Result<bool> {
    let flow = Flow::default();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .thread_name(|n| format!("prepare-{n}"))
        .build()
        .map_err(|err| Error::Threads(err.to_string()))?;
    std::thread::scope(|scope| -> Result<bool> {
        let (job_tx, job_rx) = crossbeam_channel::bounded::<(u64, Vec<Found>)>(threads * 4);
        let (batch_tx, batch_rx) = crossbeam_channel::bounded::<Batch>(threads * 4);
        let flow = &flow;
        let mut handles = Vec::with_capacity(threads + 1);
        handles.push(
            scope.spawn(move || hand_out_jobs(&options.inputs, &options.index_dir, flow, job_tx)),
        );
        for _ in 0..threads {
            let job_rx = job_rx.clone();
            let batch_tx = batch_tx.clone();
            let mut worker = Worker {
                preparer,
                pool: &pool,
                flow,
                stamps: StampReader::default(),
                identity: PathBuf::new(),
            };
            handles.push(scope.spawn(move || {
                for (seq, job) in job_rx {
                    if !flow.wait_until_within(seq, WINDOW) || !worker.process(seq, job, &batch_tx)
                    {
                        break;
                    }
                }
            }));
        }
        drop(job_rx);
        drop(batch_tx);
        let applied = {
            // However the loop ends, waiting workers must not wait forever.
            let _stop_workers = StopOnDrop(flow);
            apply_in_order(options, consumer, flow, &batch_rx, on_progress)
        };
        drop(batch_rx);
        // A thread that panicked ends the run with its message: its inputs were not all
        // applied, so the run must not count as complete.
        join_all(handles)?;
        applied
    })
}

/// The consumer's loop: applies batches in input order as they arrive. Returns false when
/// the run was cancelled.
fn apply_in_order(
    options: &IngestOptions,
    consumer: &mut Consumer<'_>,
    flow: &Flow,
    batches: &crossbeam_channel::Receiver<Batch>,
    on_progress: &(dyn Fn(Progress) + Sync),
) -> Result<bool> {
    let started = Instant::now();
    let mut in_order = InOrder::default();
    let mut applied = 0;
    let mut last_tick = Instant::now();
    loop {
        if options
            .cancel
            .as_ref()
            .is_some_and(|cancel| cancel.load(Ordering::Relaxed))
        {
            return Ok(false);
        }
        match batches.recv_timeout(TICK) {
            Ok(batch) => in_order
                .pending
                .entry(batch.seq)
                .or_default()
                .push_back(batch),
            Err(crossbeam_channel::RecvTimeoutError::Timeout) => {}
            Err(crossbeam_channel::RecvTimeoutError::Disconnected) => return Ok(true),
        }
        let done = in_order.apply_ready(|item| consumer.apply(item))?;
        if done != applied {
            applied = done;
            flow.set_applied(done);
        }
        consumer.maybe_commit()?;
        if last_tick.elapsed() >= TICK {
            last_tick = Instant::now();
            on_progress(Progress {
                articles: consumer.articles_seen(),
                elapsed: started.elapsed(),
            });
        }
    }
}

/// Joins the threads; the first that panicked gives the error, with its message.
fn join_all(handles: Vec<std::thread::ScopedJoinHandle<'_, ()>>) -> Result<()> {
    let mut failure = None;
    for handle in handles {
        if let Err(payload) = handle.join() {
            failure.get_or_insert_with(|| panic_message(payload.as_ref()));
        }
    }
    match failure {
        Some(message) => Err(Error::ThreadPanicked(message)),
        None => Ok(()),
    }
}

/// The text a panic was raised with.
fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(text) = payload.downcast_ref::<&str>() {
        (*text).to_string()
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text.clone()
    } else {
        "a panic without a message".to_string()
    }
}

/// The walker: dated files travel in runs of `FILES_PER_JOB`, so channel hand-offs stay few;
/// a JSON Lines file is a job of its own, since it is streamed.
fn hand_out_jobs(
    inputs: &[PathBuf],
    index_dir: &std::path::Path,
    flow: &Flow,
    jobs: crossbeam_channel::Sender<(u64, Vec<Found>)>,
) {
    let mut seq = 0u64;
    let mut job = Vec::with_capacity(FILES_PER_JOB);
    let mut send = |job: Vec<Found>| {
        let sent = !flow.stopped() && jobs.send((seq, job)).is_ok();
        seq += 1;
        sent
    };
    for found in walk(inputs, Some(index_dir)) {
        let streamed = matches!(&found, Found::File(file) if file.format == Format::JsonLines);
        if streamed && !job.is_empty() && !send(std::mem::take(&mut job)) {
            return;
        }
        job.push(found);
        if (streamed || job.len() >= FILES_PER_JOB) && !send(std::mem::take(&mut job)) {
            return;
        }
    }
    if !job.is_empty() {
        send(job);
    }
}

#[cfg(test)]
mod tests {
    use super::join_all;

    #[test]
    fn a_panicking_thread_gives_an_error_with_its_message() {
        let result = std::thread::scope(|scope| {
            let handles = vec![
                scope.spawn(|| {}),
                scope.spawn(|| panic!("column 7 is out of range")),
            ];
            join_all(handles)
        });
        let err = result.unwrap_err().to_string();
        assert!(err.contains("column 7 is out of range"), "{err}");
        let fine = std::thread::scope(|scope| join_all(vec![scope.spawn(|| {})]));
        assert!(fine.is_ok());
    }
}
