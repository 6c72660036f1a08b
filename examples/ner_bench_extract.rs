//! Times `Extractor::extract` over every article of a corpus directory (default: Reuters-21578
//! under /work/shared), one thread: each pass runs over all articles once; the median of the
//! passes is reported as articles/s and tokens/s, by wall-clock time and by the thread's own
//! CPU time (the machine may be shared). Title and body are split off as ingest splits them,
//! before the timed passes.
//!
//! cargo run --release --example ner_bench_extract -- [CORPUS_DIR] [--passes N]

use dateline::article::{decode_text, parse_dated_text};
use dateline::entities::{token_count, Extractor};
use std::time::{Duration, Instant};

/// Time this thread has spent on a CPU (Linux `/proc/thread-self/schedstat`).
fn thread_cpu_time() -> Option<Duration> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: u64 = s.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(ns))
}

/// Title and body of a corpus file as ingest reads them: `decode_text`, then
/// `parse_dated_text`, whose title is split off by `split_title`. `None` for a file ingest
/// would reject.
fn read_article(bytes: &[u8]) -> Option<(String, String)> {
    let article = decode_text(bytes)
        .and_then(|text| parse_dated_text(&text))
        .ok()?;
    Some((article.title, article.body))
}

fn main() {
    let mut dir = "/work/shared/corpus/reuters21578".to_string();
    let mut passes = 3usize;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        if a == "--passes" {
            passes = args.next().and_then(|v| v.parse().ok()).unwrap_or(3).max(1);
        } else {
            dir = a;
        }
    }
    let mut files: Vec<_> = match std::fs::read_dir(&dir) {
        Ok(rd) => rd.filter_map(|e| e.ok().map(|e| e.path())).collect(),
        Err(e) => {
            eprintln!("cannot read {dir}: {e}");
            return;
        }
    };
    files.sort();
    let texts: Vec<(String, String)> = files
        .iter()
        .filter_map(|p| std::fs::read(p).ok().and_then(|raw| read_article(&raw)))
        .collect();
    let tokens: usize = texts
        .iter()
        .map(|(title, body)| token_count(title) + token_count(body))
        .sum();
    let x = Extractor::shared().expect("the built-in entity model loads");
    let mut times = Vec::new();
    let mut cpu_times = Vec::new();
    for _ in 0..passes {
        let c0 = thread_cpu_time();
        let t0 = Instant::now();
        let mut n = 0usize;
        for (title, body) in &texts {
            n += x.extract(title, body).len();
        }
        std::hint::black_box(n);
        times.push(t0.elapsed().as_secs_f64());
        if let (Some(a), Some(b)) = (c0, thread_cpu_time()) {
            cpu_times.push((b - a).as_secs_f64());
        }
    }
    times.sort_by(f64::total_cmp);
    let med = times[times.len() / 2];
    println!(
        "{} articles, {} tokens: median of {} passes {:.3} s = {:.0} articles/s, {:.0} tokens/s (passes: {})",
        texts.len(),
        tokens,
        passes,
        med,
        texts.len() as f64 / med,
        tokens as f64 / med,
        times.iter().map(|t| format!("{t:.3}")).collect::<Vec<_>>().join(" ")
    );
    if cpu_times.len() == times.len() {
        cpu_times.sort_by(f64::total_cmp);
        let c = cpu_times[cpu_times.len() / 2].max(1e-9);
        println!(
            "on-CPU (thread CPU time, median pass {:.3} s): {:.0} articles/s, {:.0} tokens/s",
            c,
            texts.len() as f64 / c,
            tokens as f64 / c
        );
    }
}
