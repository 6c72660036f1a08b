//! The server follows the index: an ingest's commits show up without a restart, and requests
//! made meanwhile get answers, never errors.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::contract;
use crate::serve_api::archive;
use crate::server::Server;

#[test]
fn an_ingest_while_serving_is_seen_by_the_next_requests() {
    let fx = archive();
    let server = Server::start(&fx);
    let before: contract::Search = server.get("/api/search?q=zeppelin").json();
    assert_eq!(before.total, 0);
    fx.article(
        "news/d.txt",
        "2025-05-05",
        "Zeppelin lands.\n\nA zeppelin landed in Brussels.",
    );
    fx.ingest(&["news"]).expect(0);
    let start = Instant::now();
    loop {
        let now: contract::Search = server.get("/api/search?q=zeppelin").json();
        if now.total == 1 {
            assert_eq!(now.hits[0].title, "Zeppelin lands");
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(15),
            "the new article never showed up"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let health: serde_json::Value = server.get("/api/health").json();
    assert_eq!(health["documents"], 5);
}

#[test]
fn a_repeated_request_is_answered_again_from_the_cache_until_a_commit() {
    let fx = archive();
    let server = Server::start(&fx);
    for target in ["/api/search?q=zeppelin", "/api/timeline?q=budget"] {
        let first = server.get(target);
        let again = server.get(target);
        assert_eq!(first.header("x-cache"), Some("miss"), "{target}");
        assert_eq!(again.header("x-cache"), Some("hit"), "{target}");
        assert_eq!(first.body, again.body, "{target}");
    }
    // The same request in other words is another answer.
    let other = server.get("/api/search?q=zeppelin&limit=5");
    assert_eq!(other.header("x-cache"), Some("miss"));
    // Errors are given again, never kept.
    for _ in 0..2 {
        let error = server.get("/api/search?q=zeppelin&limit=nine");
        assert_eq!(error.status, 400);
        assert_eq!(error.header("x-cache"), None);
    }

    fx.article(
        "news/d.txt",
        "2025-05-05",
        "Zeppelin lands.\n\nA zeppelin landed in Brussels.",
    );
    fx.ingest(&["news"]).expect(0);
    let start = Instant::now();
    loop {
        let now = server.get("/api/search?q=zeppelin");
        let search: contract::Search = now.json();
        if search.total == 1 {
            // The first answer on the new commit is searched, then kept in its turn.
            assert_eq!(now.header("x-cache"), Some("miss"));
            let again = server.get("/api/search?q=zeppelin");
            assert_eq!(again.header("x-cache"), Some("hit"));
            assert_eq!(again.body, now.body);
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(15),
            "the new article never showed up"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn with_no_cache_every_request_is_searched() {
    let fx = archive();
    let server = Server::start_with(&fx, "127.0.0.1:0", &["--cache-mb", "0"], &[]);
    let first = server.get("/api/search?q=budget");
    let again = server.get("/api/search?q=budget");
    assert_eq!(first.status, 200);
    assert_eq!(first.body, again.body);
    assert_eq!(first.header("x-cache"), None);
    assert_eq!(again.header("x-cache"), None);
}

#[test]
fn requests_during_an_ingests_commits_and_merges_all_succeed() {
    let fx = archive();
    for i in 0..400 {
        fx.article(
            &format!("more/{i:03}.txt"),
            &format!("2024-{:02}-{:02}", i % 12 + 1, i % 28 + 1),
            &format!("Report {i}.\n\nThe budget report number {i} about Brussels and oil."),
        );
    }
    let server = Server::start(&fx);
    let stop = Arc::new(AtomicBool::new(false));
    let addr = server.addr;
    let hammer = {
        let stop = Arc::clone(&stop);
        std::thread::spawn(move || {
            let mut seen = Vec::new();
            while !stop.load(Ordering::SeqCst) {
                for target in [
                    "/api/search?q=budget&limit=5",
                    "/api/timeline?q=budget",
                    "/api/entities?q=budget",
                    "/api/stats",
                ] {
                    let answer = crate::server::send_to(
                        addr,
                        format!("GET {target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                            .as_bytes(),
                    );
                    assert_eq!(answer.status, 200, "{target}: {}", answer.text());
                    if target.starts_with("/api/search") {
                        let search: contract::Search = answer.json();
                        seen.push(search.total);
                    }
                }
            }
            seen
        })
    };
    // Many small commits, each a new segment for tantivy to merge.
    fx.run(&[
        "ingest",
        "--json",
        "--commit-every",
        "0.01",
        "--threads",
        "1",
        "more",
    ])
    .expect(0);
    std::thread::sleep(Duration::from_millis(1500));
    stop.store(true, Ordering::SeqCst);
    let seen = hammer.join().expect("no request failed");
    assert!(seen.len() > 5, "{seen:?}");
    assert!(
        seen.windows(2).all(|pair| pair[0] <= pair[1]),
        "matches only grow while articles are added: {seen:?}"
    );
    assert_eq!(seen.last(), Some(&403), "{seen:?}");
}
