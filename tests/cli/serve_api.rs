//! `dateline serve`'s API over HTTP on loopback, against the real binary: every endpoint, the
//! same bytes as `--json`, every error status, the bounds, and hostile requests.

use std::time::Duration;

use serde_json::Value;

use crate::contract;
use crate::server::{Server, TODAY};
use crate::util::Fixture;

/// Four articles with known entities, one from JSON Lines with a slash in its id.
pub fn archive() -> Fixture {
    let fx = Fixture::new();
    fx.article(
        "news/a.txt",
        "2025-04-03",
        "Hegseth skips meeting.\n\nPete Hegseth met NATO officials in Brussels about the budget.",
    );
    fx.article(
        "news/b.txt",
        "2025-01-15",
        "Budget talks open.\n\nFinance ministers met in Paris to discuss the budget with NATO.",
    );
    fx.article(
        "news/c.txt",
        "1987-03-02",
        "Oil prices rise.\n\nOPEC said oil prices rose in Saudi Arabia.",
    );
    fx.write(
        "news/wire.jsonl",
        "{\"id\":\"wire/7\",\"date\":\"2025-06-01\",\"title\":\"Budget deal\",\"body\":\"Ministers reached a budget deal in Brussels.\"}\n",
    );
    fx.ingest(&["news"]).expect(0);
    fx
}

/// stdout of `dateline --index <index> ARGS` with the server's "today".
fn cli(fx: &Fixture, args: &[&str]) -> Vec<u8> {
    let mut all = vec!["--index".to_string(), fx.index().display().to_string()];
    all.extend(args.iter().map(|a| a.to_string()));
    let run = fx.run_raw(&all, &[("DATELINE_TODAY", TODAY)]);
    assert!(run.code() == 0 || run.code() == 1, "{}", run.describe());
    run.output.stdout
}

#[test]
fn api_answers_are_the_command_lines_json_byte_for_byte() {
    let fx = archive();
    let server = Server::start(&fx);
    let cases: &[(&str, &[&str])] = &[
        ("/api/search?q=budget", &["search", "budget", "--json"]),
        (
            "/api/search?q=budget&sort=oldest&limit=2&offset=1",
            &[
                "search", "budget", "--sort", "oldest", "--limit", "2", "--offset", "1", "--json",
            ],
        ),
        (
            "/api/search?q=budget&from=2025-01&to=2025-04",
            &[
                "search", "budget", "--from", "2025-01", "--to", "2025-04", "--json",
            ],
        ),
        (
            "/api/search?q=%2A&entity=nato&type=org",
            &["search", "*", "--entity", "nato", "--type", "org", "--json"],
        ),
        (
            "/api/search?q=%22budget+deal%22&on=60d",
            &["search", "\"budget deal\"", "--on", "60d", "--json"],
        ),
        (
            "/api/search?q=nothingmatches",
            &["search", "nothingmatches", "--json"],
        ),
        (
            "/api/timeline?q=budget&interval=week",
            &["timeline", "budget", "--interval", "week", "--json"],
        ),
        ("/api/timeline", &["timeline", "--json"]),
        (
            "/api/entities?type=place&limit=2",
            &["entities", "--type", "place", "--limit", "2", "--json"],
        ),
        (
            "/api/entities?q=budget&entity=Brussels",
            &["entities", "budget", "--entity", "Brussels", "--json"],
        ),
        (
            "/api/entities?with=NATO&type=place",
            &["entities", "--with", "NATO", "--type", "place", "--json"],
        ),
        (
            "/api/trends?from=2025-04&to=2025-06&limit=5",
            &[
                "trends", "--from", "2025-04", "--to", "2025-06", "--limit", "5", "--json",
            ],
        ),
        (
            "/api/trends?on=2025-04&baseline=2025-01..2025-02&type=org",
            &[
                "trends",
                "--on",
                "2025-04",
                "--baseline",
                "2025-01..2025-02",
                "--type",
                "org",
                "--json",
            ],
        ),
        ("/api/trends", &["trends", "--json"]),
        (
            "/api/related/wire%2F7?within=all&limit=2",
            &[
                "related", "wire/7", "--within", "all", "--limit", "2", "--json",
            ],
        ),
        ("/api/related/wire/7", &["related", "wire/7", "--json"]),
        (
            "/api/search?q=budget&collapse=true",
            &["search", "budget", "--collapse", "--json"],
        ),
        (
            "/api/timeline?unique=true&interval=year",
            &["timeline", "--unique", "--interval", "year", "--json"],
        ),
        (
            "/api/entities?unique=true",
            &["entities", "--unique", "--json"],
        ),
        ("/api/stats?top=3", &["stats", "--top", "3", "--json"]),
        ("/api/stats", &["stats", "--json"]),
        ("/api/articles/wire%2F7", &["show", "wire/7", "--json"]),
        ("/api/articles/wire/7", &["show", "wire/7", "--json"]),
    ];
    for (target, args) in cases {
        let answer = server.get(target);
        assert_eq!(answer.status, 200, "{target}: {}", answer.text());
        assert_eq!(answer.header("content-type"), Some("application/json"));
        let expected = cli(&fx, args);
        assert_eq!(
            answer.text(),
            String::from_utf8_lossy(&expected),
            "{target}"
        );
    }
}

#[test]
fn every_endpoint_answers_in_its_wire_shape() {
    let fx = archive();
    let server = Server::start(&fx);
    let search: contract::Search = server.get("/api/search?q=budget&limit=10").json();
    assert_eq!(search.total, 3);
    assert_eq!(search.hits.len(), 3);
    assert!(search.hits.iter().all(|hit| !hit.highlights.is_empty()));
    let id = &search.hits[0].id;
    let article: contract::Article = server.get(&format!("/api/articles/{id}")).json();
    assert_eq!(&article.id, id);
    let timeline: contract::Timeline = server.get("/api/timeline?interval=year").json();
    assert_eq!(timeline.total, 4);
    let entities: contract::Entities = server.get("/api/entities?type=org").json();
    assert!(entities
        .entities
        .iter()
        .any(|e| e.name == "NATO" && e.count == 2));
    let stats: contract::Stats = server.get("/api/stats").json();
    assert_eq!(stats.documents, 4);
    let health: Value = server.get("/api/health").json();
    assert_eq!(health, serde_json::json!({"status": "ok", "documents": 4}));
    let head = server.send("HEAD /api/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assert_eq!(head.status, 200);
}

#[test]
fn the_openapi_description_matches_what_the_server_does() {
    let fx = archive();
    let server = Server::start(&fx);
    let spec: Value = server.get("/api/openapi.json").json();
    let paths = spec["paths"].as_object().expect("paths");
    assert!(paths.len() >= 7, "{paths:?}");
    for (path, item) in paths {
        let operation = &item["get"];
        let concrete = path.replace("{id}", "wire%2F7");
        // Every documented parameter, alone, with its documented example, is accepted.
        let mut targets = vec![concrete.clone()];
        for parameter in operation["parameters"].as_array().into_iter().flatten() {
            let parameter = match parameter["$ref"].as_str() {
                Some(r) => &spec["components"]["parameters"][r.rsplit('/').next().unwrap()],
                None => parameter,
            };
            if parameter["in"] != "query" {
                continue;
            }
            let example = match &parameter["example"] {
                Value::Array(items) => items[0].clone(),
                other => other.clone(),
            };
            let value = match example {
                Value::String(text) => text,
                Value::Number(n) => n.to_string(),
                other => panic!("{path}: example {other}"),
            };
            let name = parameter["name"].as_str().unwrap();
            let encoded: String = form_urlencoded::byte_serialize(value.as_bytes()).collect();
            targets.push(format!("{concrete}?{name}={encoded}"));
        }
        let cached = operation["responses"]["200"]["headers"]
            .get("x-cache")
            .is_some();
        for target in targets {
            let answer = server.get(&target);
            assert_eq!(answer.status, 200, "{target}: {}", answer.text());
            // The cache header is sent where it is documented, and only there.
            assert_eq!(answer.header("x-cache").is_some(), cached, "{target}");
            // The answer has the documented fields, and only those.
            let schema = &operation["responses"]["200"]["content"]["application/json"]["schema"];
            let Some(reference) = schema["$ref"].as_str() else {
                continue;
            };
            let schema = &spec["components"]["schemas"][reference.rsplit('/').next().unwrap()];
            let body: Value = answer.json();
            let keys: Vec<&String> = body.as_object().unwrap().keys().collect();
            let described: Vec<&String> =
                schema["properties"].as_object().unwrap().keys().collect();
            assert_eq!(keys, described, "{target}");
        }
    }
}

/// (request target, status, error code).
const ERRORS: &[(&str, u16, &str)] = &[
    ("/api/search?q=a%20AND%20(", 400, "bad_query"),
    ("/api/search?q=zz:*", 400, "bad_query"),
    ("/api/search?from=2025-02-30", 400, "bad_date"),
    ("/api/search?from=2025-05&to=2025-04", 400, "bad_date"),
    ("/api/timeline?on=yesterday", 400, "bad_date"),
    ("/api/search?on=2025&from=2024", 400, "bad_parameter"),
    ("/api/search?limit=100001", 400, "bad_parameter"),
    ("/api/search?limit=-1", 400, "bad_parameter"),
    ("/api/search?offset=10000001", 400, "bad_parameter"),
    ("/api/search?sort=sideways", 400, "bad_parameter"),
    ("/api/search?sort=newest&sort=oldest", 400, "bad_parameter"),
    ("/api/entities?type=animal", 400, "bad_parameter"),
    ("/api/timeline?interval=fortnight", 400, "bad_parameter"),
    (
        "/api/timeline?interval=day&from=1700&to=2200",
        400,
        "bad_parameter",
    ),
    ("/api/search?nhits=10", 400, "bad_parameter"),
    ("/api/search?interval=day", 400, "bad_parameter"),
    ("/api/stats?q=oil", 400, "bad_parameter"),
    ("/api/health?verbose=1", 400, "bad_parameter"),
    ("/api/articles/nope", 404, "not_found"),
    ("/api/related/nope", 404, "not_found"),
    ("/api/related/wire%2F7?within=2025", 400, "bad_parameter"),
    ("/api/related/wire%2F7?q=oil", 400, "bad_parameter"),
    ("/api/trends?from=2025-05&to=2025-04", 400, "bad_date"),
    (
        "/api/trends?on=2025-04&baseline=2025-03..2025-05",
        400,
        "bad_parameter",
    ),
    ("/api/trends?baseline=2025", 400, "bad_parameter"),
    ("/api/search?with=NATO", 400, "bad_parameter"),
    ("/api/nope", 404, "not_found"),
    ("/api", 404, "not_found"),
    ("/api/articles/", 404, "not_found"),
    ("/nope.html", 404, "not_found"),
];

#[test]
fn errors_have_their_status_and_shape() {
    let fx = archive();
    let server = Server::start(&fx);
    for (target, status, code) in ERRORS {
        assert_eq!(server.get(target).error(*status), *code, "{target}");
    }
    for method in ["POST", "PUT", "DELETE", "PATCH"] {
        let answer = server.send(&format!(
            "{method} /api/search?q=x HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        ));
        assert_eq!(answer.error(405), "method_not_allowed", "{method}");
        assert_eq!(answer.header("allow"), Some("GET, HEAD"));
    }
    let with_body = server.send(
        "GET /api/search?q=x HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello",
    );
    assert_eq!(with_body.error(413), "body_not_accepted");
    let chunked = server.send(
        "GET /api/health HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
    );
    assert_eq!(chunked.error(413), "body_not_accepted");
}

#[test]
fn bounds_are_enforced_and_documented_values_pass() {
    let fx = archive();
    let server = Server::start(&fx);
    let at_limit = "a".repeat(2048);
    assert_eq!(server.get(&format!("/api/search?q={at_limit}")).status, 200);
    let over = "a".repeat(2049);
    assert_eq!(
        server.get(&format!("/api/search?q={over}")).error(400),
        "bad_parameter"
    );
    assert_eq!(server.get("/api/search?limit=100000").status, 200);
    let sixteen = "&entity=NATO".repeat(16);
    assert_eq!(server.get(&format!("/api/search?q=*{sixteen}")).status, 200);
    let seventeen = "&entity=NATO".repeat(17);
    assert_eq!(
        server
            .get(&format!("/api/search?q=*{seventeen}"))
            .error(400),
        "bad_parameter"
    );
    let long_name = "n".repeat(201);
    assert_eq!(
        server
            .get(&format!("/api/search?entity={long_name}"))
            .error(400),
        "bad_parameter"
    );
    // Over 16 KiB of request target: 414, in JSON.
    let target = format!("/api/search?q=x&pad={}", "p".repeat(17 * 1024));
    assert_eq!(server.get(&target).error(414), "uri_too_long");
    // Over 16 KiB of headers: 431, in JSON.
    let headers: String = (0..20)
        .map(|i| format!("X-Pad-{i}: {}\r\n", "h".repeat(1000)))
        .collect();
    let answer = server.send(&format!(
        "GET /api/health HTTP/1.1\r\nHost: x\r\n{headers}Connection: close\r\n\r\n"
    ));
    assert_eq!(answer.error(431), "headers_too_large");
    // Beyond hyper's 64 KiB buffer the HTTP layer itself refuses them.
    let headers: String = (0..80)
        .map(|i| format!("X-Pad-{i}: {}\r\n", "h".repeat(1000)))
        .collect();
    let answer = server.send(&format!(
        "GET /api/health HTTP/1.1\r\nHost: x\r\n{headers}Connection: close\r\n\r\n"
    ));
    assert_eq!(answer.status, 431);
    assert_eq!(server.get("/api/health").status, 200);
}

#[test]
fn path_traversal_and_malformed_requests_are_refused_and_the_server_goes_on() {
    let fx = archive();
    fx.write("secret.txt", "root:x:0:0 top secret");
    let server = Server::start(&fx);
    for target in [
        "/../../etc/passwd",
        "/../secret.txt",
        "/assets/../../secret.txt",
        "/assets/%2e%2e/%2e%2e/secret.txt",
        "/assets/..%2f..%2fsecret.txt",
        "/assets/..%5c..%5csecret.txt",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/api/articles/..%2F..%2Fetc%2Fpasswd",
        "/api/articles/../../secret.txt",
        "//etc/passwd",
        "/assets/app.js/../../secret.txt",
        "/api/articles/%00",
        "/api/search?q=%FF%FE%00",
    ] {
        let answer = server.get(target);
        assert!(
            matches!(answer.status, 200 | 400 | 404),
            "{target}: {} {}",
            answer.status,
            answer.text()
        );
        // Error messages may quote the path; no file's contents ever come back.
        assert!(
            !answer.text().contains("root:x"),
            "{target}: {}",
            answer.text()
        );
        assert!(!answer.text().contains("[package]"), "{target}");
    }
    for raw in [
        "GARBAGE\r\n\r\n",
        "GET\r\n\r\n",
        "GET /api/health HTTP/9.9\r\n\r\n",
        "GET /api/health HTTP/1.1\r\nHost: x\r\nBad Header Line\r\n\r\n",
        "GET /api/health HTTP/1.1\r\nContent-Length: -4\r\n\r\n",
        "GET /api/health HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
        "\u{0}\u{1}\u{2}\r\n\r\n",
    ] {
        let answer = crate::server::send_to(server.addr, raw.as_bytes());
        assert!(
            (400..500).contains(&answer.status) || answer.status == 505,
            "{raw:?}: {}",
            answer.status
        );
    }
    // A client that sends nothing, and one that never finishes its headers: both are dropped
    // after the header timeout, and meanwhile others are served.
    let idle = std::net::TcpStream::connect(server.addr).unwrap();
    let mut slow = std::net::TcpStream::connect(server.addr).unwrap();
    std::io::Write::write_all(&mut slow, b"GET /api/health HTTP/1.1\r\nHost: x\r\n").unwrap();
    assert_eq!(server.get("/api/health").status, 200);
    drop(idle);
    drop(slow);
    // Never a 500 for anything sent: a sweep of odd values on every parameter.
    let odd = [
        "",
        "%",
        "%%",
        "*",
        "\"",
        "(",
        ")",
        "-",
        "+",
        "0",
        "-0",
        "1e9",
        "99999999999999999999",
        "%C3%28",
        "a:b:c",
        "[",
        "{",
        "~",
        "^2",
    ];
    for name in [
        "q", "from", "to", "on", "entity", "type", "sort", "limit", "offset", "interval",
    ] {
        for value in odd {
            let answer = server.get(&format!("/api/search?{name}={value}"));
            assert!(answer.status < 500, "{name}={value}: {}", answer.text());
            let answer = server.get(&format!("/api/timeline?{name}={value}"));
            assert!(
                answer.status < 500,
                "timeline {name}={value}: {}",
                answer.text()
            );
        }
    }
    assert_eq!(server.get("/api/health").status, 200);
}

#[test]
fn the_page_and_its_assets_are_served_from_the_binary() {
    let fx = archive();
    let server = Server::start(&fx);
    let page = server.get("/?q=oil&from=1987-03&entity=OPEC");
    assert_eq!(page.status, 200);
    assert_eq!(
        page.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    let policy = page.header("content-security-policy").expect("a policy");
    assert!(policy.contains("default-src 'none'"), "{policy}");
    let html = page.text();
    assert!(html.contains("/assets/app.js") && html.contains("/assets/style.css"));
    for asset in ["/assets/app.js", "/assets/style.css"] {
        let answer = server.get(asset);
        assert_eq!(answer.status, 200, "{asset}");
        // Nothing is fetched from elsewhere: no absolute URL in any asset (SVG's namespace
        // name is a name, never fetched).
        for text in [answer.text(), html.clone()] {
            let text = text.replace("http://www.w3.org/2000/svg", "");
            assert!(
                !text.contains("http://") && !text.contains("https://"),
                "{asset}"
            );
            assert!(!text.contains("//cdn"), "{asset}");
        }
    }
}

#[test]
fn start_up_says_where_and_stops_cleanly_on_ctrl_c() {
    let fx = archive();
    let server = Server::start(&fx);
    assert!(
        server.banner.contains(&format!("http://{}/", server.addr)),
        "{}",
        server.banner
    );
    assert_eq!(server.get("/api/health").status, 200);
    let interrupted = std::process::Command::new("kill")
        .args(["-INT", &server.pid().to_string()])
        .status()
        .expect("kill");
    assert!(interrupted.success());
    let (status, stderr) = server
        .wait_exit(Duration::from_secs(10))
        .expect("the server stops on Ctrl-C");
    assert!(status.success(), "{status}: {stderr}");
    assert!(stderr.contains("stopped"), "{stderr}");
}

#[cfg(unix)]
#[test]
fn open_hands_the_url_to_the_browser_named_by_browser() {
    use std::os::unix::fs::PermissionsExt;

    let fx = archive();
    let opened = fx.dir.path().join("opened.txt");
    let browser = fx.dir.path().join("browser.sh");
    std::fs::write(
        &browser,
        format!("#!/bin/sh\nprintf '%s' \"$1\" > '{}'\n", opened.display()),
    )
    .unwrap();
    std::fs::set_permissions(&browser, std::fs::Permissions::from_mode(0o755)).unwrap();
    let server = Server::start_with(
        &fx,
        "127.0.0.1:0",
        &["--open"],
        &[("BROWSER", browser.as_os_str())],
    );
    let url = format!("http://{}/", server.addr);
    let start = std::time::Instant::now();
    while std::fs::read_to_string(&opened).unwrap_or_default() != url {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "the browser was not given {url}: {:?}",
            std::fs::read_to_string(&opened)
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    // The page it was given answers.
    assert_eq!(server.get("/").status, 200);
}

#[test]
fn open_without_a_browser_says_so_and_serves_anyway() {
    let fx = archive();
    let missing = fx.dir.path().join("no-such-browser");
    let server = Server::start_with(
        &fx,
        "127.0.0.1:0",
        &["--open"],
        &[("BROWSER", missing.as_os_str())],
    );
    assert_eq!(server.get("/api/health").status, 200);
    let _ = std::process::Command::new("kill")
        .args(["-TERM", &server.pid().to_string()])
        .status();
    let (status, stderr) = server.wait_exit(Duration::from_secs(10)).expect("stops");
    assert!(status.success(), "{status}: {stderr}");
    assert!(stderr.contains("cannot open a browser"), "{stderr}");
    assert!(stderr.contains("no-such-browser"), "{stderr}");
}

#[test]
fn a_non_loopback_address_warns_about_authentication() {
    let fx = archive();
    let server = Server::start_at(&fx, "0.0.0.0:0");
    let _ = std::process::Command::new("kill")
        .args(["-TERM", &server.pid().to_string()])
        .status();
    let (_, stderr) = server.wait_exit(Duration::from_secs(10)).expect("stops");
    assert!(stderr.contains("no authentication"), "{stderr}");
}

#[test]
fn start_up_errors_are_clear() {
    let fx = Fixture::new();
    let run = fx.run(&["serve", "--addr", "127.0.0.1:0"]).expect(2);
    assert!(run.stderr().contains("no index"), "{}", run.describe());
    let fx = archive();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let run = fx.run(&["serve", "--addr", &addr]).expect(2);
    assert!(run.stderr().contains("cannot listen"), "{}", run.describe());
    assert!(run.stderr().contains("--addr"), "{}", run.describe());
}
