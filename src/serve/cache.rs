//! Answers kept for repeated requests, as the bytes sent, until the index changes.
//!
//! A page view asks for a search, its timeline and its facets, and people page back and forth
//! and share links: the same requests come again and again. Every answer is a function of the
//! index as committed, the request's path and query string (as sent), and "today" (relative dates), so
//! an answer kept under those is exact. When a commit of an ingest is picked up, everything
//! kept is dropped: no request ever gets an answer from an older index than it would without
//! the cache. Only successful answers are kept; errors are cheap to give again.

use std::sync::atomic::{AtomicU64, Ordering};

use axum::body::Bytes;
use chrono::NaiveDate;
use quick_cache::sync::Cache;
use quick_cache::Weighter;

/// What an answer depends on besides the index.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Key {
    /// The request's path and query string, as sent.
    pub target: String,
    pub today: NaiveDate,
}

/// Weighs an answer by its bytes (and its key's), so the bound is on memory, not entries.
#[derive(Clone)]
struct ByBytes;

impl Weighter<(u64, Key), Bytes> for ByBytes {
    fn weight(&self, (_, key): &(u64, Key), body: &Bytes) -> u64 {
        const OVERHEAD: usize = 96;
        (body.len() + key.target.len() + OVERHEAD) as u64
    }
}

/// A bounded cache of answers for one generation of the index at a time.
pub struct ResponseCache {
    /// `None` when caching is off (a bound of 0 bytes).
    /// Keyed by generation too, so that an answer put while a commit is being picked up can
    /// never be taken for the newer index's.
    answers: Option<Cache<(u64, Key), Bytes, ByBytes>>,
    /// The index generation the kept answers were computed on.
    generation: AtomicU64,
}

/// An answer's usual size, for sizing the cache's table; the byte bound is what holds.
const TYPICAL_ANSWER_BYTES: u64 = 8 * 1024;

impl ResponseCache {
    /// A cache holding at most about `max_bytes` of answers (0: none).
    pub fn new(max_bytes: u64) -> ResponseCache {
        let answers = (max_bytes > 0).then(|| {
            let items = (max_bytes / TYPICAL_ANSWER_BYTES).clamp(16, 1 << 20) as usize;
            Cache::with_weighter(items, max_bytes, ByBytes)
        });
        ResponseCache {
            answers,
            generation: AtomicU64::new(u64::MAX),
        }
    }

    pub fn enabled(&self) -> bool {
        self.answers.is_some()
    }

    /// The answer kept for `key` on index generation `generation`. The first request that
    /// sees a new generation drops every answer of the older ones.
    pub fn get(&self, generation: u64, key: &Key) -> Option<Bytes> {
        let answers = self.answers.as_ref()?;
        let seen = self.generation.swap(generation, Ordering::AcqRel);
        if seen != generation {
            answers.clear();
            return None;
        }
        answers.get(&(generation, key.clone()))
    }

    /// Keeps `body` for `key`, if it was computed on the generation now current.
    pub fn put(&self, generation: u64, key: Key, body: Bytes) {
        let Some(answers) = self.answers.as_ref() else {
            return;
        };
        // An answer from a generation already replaced would only take room.
        if self.generation.load(Ordering::Acquire) == generation {
            answers.insert((generation, key), body);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(query: &str) -> Key {
        Key {
            target: format!("/api/search?{query}"),
            today: NaiveDate::from_ymd_opt(2020, 1, 1).unwrap(),
        }
    }

    #[test]
    fn an_answer_is_kept_for_its_generation_only() {
        let cache = ResponseCache::new(1 << 20);
        assert_eq!(cache.get(7, &key("q=oil")), None);
        cache.put(7, key("q=oil"), Bytes::from_static(b"{}"));
        assert_eq!(cache.get(7, &key("q=oil")).as_deref(), Some(&b"{}"[..]));
        assert_eq!(cache.get(7, &key("q=gold")), None);
        // A commit: the next generation sees nothing of the old one, and neither does the old.
        assert_eq!(cache.get(8, &key("q=oil")), None);
        assert_eq!(cache.get(8, &key("q=oil")), None);
    }

    #[test]
    fn an_answer_from_a_replaced_generation_is_not_kept() {
        let cache = ResponseCache::new(1 << 20);
        assert_eq!(cache.get(8, &key("q=oil")), None);
        cache.put(7, key("q=oil"), Bytes::from_static(b"old"));
        assert_eq!(cache.get(8, &key("q=oil")), None);
    }

    #[test]
    fn the_bound_is_on_bytes() {
        let cache = ResponseCache::new(64 * 1024);
        let big = Bytes::from(vec![b' '; 16 * 1024]);
        for n in 0..100 {
            let _ = cache.get(1, &key(&format!("q={n}")));
            cache.put(1, key(&format!("q={n}")), big.clone());
        }
        let kept = (0..100)
            .filter(|n| cache.get(1, &key(&format!("q={n}"))).is_some())
            .count();
        assert!(
            kept > 0 && kept <= 4,
            "{kept} answers of 16 KiB kept in 64 KiB"
        );
    }

    #[test]
    fn a_bound_of_zero_turns_it_off() {
        let cache = ResponseCache::new(0);
        assert!(!cache.enabled());
        cache.put(1, key("q=oil"), Bytes::from_static(b"{}"));
        assert_eq!(cache.get(1, &key("q=oil")), None);
    }
}
