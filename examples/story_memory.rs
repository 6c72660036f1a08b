//! Memory of the stories' table: the bytes an ingest holds per article of its run.
//!
//! ```text
//! cargo run --release --example story_memory -- [--articles N]
//! ```
//!
//! Inserts N articles (default 215770, the x10 benchmark's count) into a `Table`, as the
//! ingest does for each article written, with MinHash signatures of generated texts (distinct
//! articles, as most of an archive is) dated over a year, and reports the heap bytes the table
//! holds, counted by the allocator, at its peak and at the end, per article.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use dateline::stories::{sketch, Table, DEFAULT_WINDOW_DAYS};

/// The system allocator, counting the bytes in use and their peak.
struct Counting;

static IN_USE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let now = IN_USE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
        PEAK.fetch_max(now, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        IN_USE.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let articles: usize = args
        .iter()
        .position(|a| a == "--articles")
        .and_then(|at| args.get(at + 1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(215_770);
    // Signatures first, so that only the table is counted.
    let mut state: u64 = 16;
    let mut next = move || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        state >> 33
    };
    let signatures: Vec<_> = (0..articles)
        .filter_map(|_| {
            let text: Vec<String> = (0..60).map(|_| format!("w{}", next() % 20_000)).collect();
            sketch(&text.join(" "))
        })
        .collect();
    let days: Vec<i64> = (0..signatures.len())
        .map(|_| 6_300 + (next() % 365) as i64)
        .collect();
    let before = IN_USE.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let mut table = Table::new(DEFAULT_WINDOW_DAYS);
    let mut joined = 0;
    for (key, (signature, day)) in signatures.iter().zip(&days).enumerate() {
        let story = match table.nearest(*day, signature) {
            Some(near) => {
                joined += 1;
                near.story
            }
            None => key as u64,
        };
        table.insert(key as u64, *day, story, *signature);
    }
    let end = IN_USE.load(Ordering::Relaxed) - before;
    let peak = PEAK.load(Ordering::Relaxed) - before;
    let n = signatures.len();
    println!(
        "{n} articles ({joined} joined a story): table {:.1} MB at the end, {:.1} MB at its peak; \
         {:.0} bytes an article at the end, {:.0} at the peak",
        end as f64 / 1e6,
        peak as f64 / 1e6,
        end as f64 / n as f64,
        peak as f64 / n as f64
    );
    drop(table);
}
