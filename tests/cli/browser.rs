//! The page in a real headless Chromium, driven over WebDriver (chromedriver): type a query,
//! drag a date range on the chart, click an entity facet, open an article and go Back,
//! checking what the page shows at each step against the API. Screenshots go to
//! `target/serve-e2e/`. Without chromium and chromedriver the test says so and passes.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::actions::{InputSource, MouseActions, PointerAction, MOUSE_BUTTON_LEFT};
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};

use crate::contract;
use crate::server::Server;
use crate::util::Fixture;

/// The first of `names` found on PATH.
fn on_path(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    names.iter().find_map(|name| {
        std::env::split_paths(&path)
            .map(|dir| dir.join(name))
            .find(|candidate| candidate.is_file())
    })
}

/// chromedriver on a free port, stopped when dropped.
struct Driver {
    child: Child,
    port: u16,
}

impl Driver {
    fn start(binary: &Path) -> Driver {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let child = Command::new(binary)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let start = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "chromedriver never listened"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Driver { child, port }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An archive with a year of budget news, so the chart has months to drag across.
fn year_of_news() -> Fixture {
    let fx = Fixture::new();
    let stories = [
        (
            "01-09",
            "Budget talks open",
            "Finance ministers met in Paris to discuss the budget with NATO.",
        ),
        (
            "02-14",
            "Budget row deepens",
            "Pete Hegseth told NATO allies in Brussels the budget must grow.",
        ),
        (
            "03-03",
            "Oil lifts budget",
            "OPEC said higher oil prices would help the budget in Saudi Arabia.",
        ),
        (
            "04-22",
            "Hegseth in Brussels",
            "Pete Hegseth met NATO officials in Brussels about the defence budget.",
        ),
        (
            "05-30",
            "Paris budget vote",
            "The French parliament in Paris approved the budget after NATO talks.",
        ),
        (
            "06-18",
            "NATO summit budget",
            "NATO leaders met in The Hague and agreed a budget for defence.",
        ),
        (
            "07-07",
            "Budget in Berlin",
            "Germany set its budget in Berlin with more money for NATO.",
        ),
        (
            "08-25",
            "OPEC budget warning",
            "OPEC warned that budget plans in Saudi Arabia depend on oil.",
        ),
        (
            "09-12",
            "Budget cuts in Rome",
            "Italy cut its budget in Rome while NATO asked for more.",
        ),
        (
            "10-01",
            "Hegseth budget plan",
            "Pete Hegseth presented a budget plan to NATO in Brussels.",
        ),
        (
            "11-19",
            "Budget passes in Madrid",
            "Spain passed its budget in Madrid, citing NATO targets.",
        ),
        (
            "12-15",
            "Year-end budget",
            "NATO closed the year with a budget review in Brussels.",
        ),
    ];
    for (day, title, body) in stories {
        fx.article(
            &format!("news/2025-{day}.txt"),
            &format!("2025-{day}"),
            &format!("{title}.\n\n{body}\n\nOfficials said the budget would be reviewed again."),
        );
    }
    fx.ingest(&["news"]).expect(0);
    fx
}

async fn js(client: &Client, script: &str) -> Value {
    client
        .execute(script, vec![])
        .await
        .unwrap_or_else(|err| panic!("{script}: {err}"))
}

/// Waits until `script` returns true, or fails with what the page shows.
async fn wait_for(client: &Client, what: &str, script: &str) {
    let start = Instant::now();
    loop {
        if js(client, script).await == json!(true) {
            return;
        }
        if start.elapsed() > Duration::from_secs(15) {
            let status = js(
                client,
                "return document.getElementById('status').textContent",
            )
            .await;
            let url = client
                .current_url()
                .await
                .map(|u| u.to_string())
                .unwrap_or_default();
            panic!("timed out waiting for {what} at {url}; status: {status}");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The page has shown the answer for its current URL.
const SETTLED: &str = "return !document.getElementById('status').classList.contains('loading') \
    && document.querySelectorAll('#facets li').length > 0 \
    && document.getElementById('chart').querySelectorAll('rect.bar').length > 0";

async fn screenshot(client: &Client, name: &str) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/serve-e2e");
    std::fs::create_dir_all(&dir).expect("screenshot folder");
    let png = client.screenshot().await.expect("screenshot");
    std::fs::write(dir.join(format!("{name}.png")), png).expect("write screenshot");
}

/// What the page lists: (total shown in the status line, hit dates, hit titles).
async fn shown(client: &Client) -> (u64, Vec<String>, Vec<String>) {
    let status = js(
        client,
        "return document.getElementById('status').textContent",
    )
    .await;
    let total = status
        .as_str()
        .unwrap_or_default()
        .split_whitespace()
        .next()
        .and_then(|n| n.replace(',', "").parse().ok())
        .unwrap_or_else(|| panic!("no count in the status {status}"));
    let dates = js(
        client,
        "return [...document.querySelectorAll('.hit time')].map(t => t.getAttribute('datetime'))",
    )
    .await;
    let titles = js(
        client,
        "return [...document.querySelectorAll('.hit h3 a')].map(a => a.textContent)",
    )
    .await;
    let strings = |value: Value| -> Vec<String> {
        value
            .as_array()
            .expect("a list")
            .iter()
            .map(|v| v.as_str().unwrap_or_default().to_string())
            .collect()
    };
    (total, strings(dates), strings(titles))
}

/// What the API says for the page's current URL (the page's query string is the API's).
async fn api_for_page(client: &Client, server: &Api) -> contract::Search {
    let url = client.current_url().await.expect("url");
    let query: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(name, _)| name != "id")
        .map(|(n, v)| (n.into_owned(), v.into_owned()))
        .collect();
    let encoded = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(query)
        .finish();
    server.get(&format!("/api/search?{encoded}")).json()
}

#[test]
fn the_page_searches_narrows_reads_and_goes_back_in_a_real_browser() {
    let Some(chromium) = on_path(&["chromium", "chromium-browser", "google-chrome"]) else {
        eprintln!("skipping the browser test: no chromium on PATH (apt-get install chromium chromium-driver)");
        return;
    };
    let Some(chromedriver) = on_path(&["chromedriver"]) else {
        eprintln!(
            "skipping the browser test: no chromedriver on PATH (apt-get install chromium-driver)"
        );
        return;
    };
    let fx = year_of_news();
    let server = Server::start(&fx);
    let driver = Driver::start(&chromedriver);
    let profile = tempfile::tempdir().expect("profile folder");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let mut capabilities = serde_json::Map::new();
        capabilities.insert(
            "goog:chromeOptions".to_string(),
            json!({
                "binary": chromium,
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                    "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync",
                    "--disable-dev-shm-usage", "--window-size=1280,1000",
                    format!("--user-data-dir={}", profile.path().display()),
                ],
            }),
        );
        let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(capabilities)
            .connect(&format!("http://127.0.0.1:{}", driver.port))
            .await
            .expect("a WebDriver session");
        // The walk runs as a task so that a failed assertion still closes the browser (a
        // browser left open would outlive the test).
        let api = Api { addr: server.addr };
        let outcome = tokio::spawn(walk_through(client.clone(), api)).await;
        let _ = client.close().await;
        if let Err(err) = outcome {
            match err.try_into_panic() {
                Ok(panic) => std::panic::resume_unwind(panic),
                Err(err) => panic!("the browser walk stopped: {err}"),
            }
        }
    });
    drop(driver);
}

/// The server's address, for the walk (which runs as a task of its own).
#[derive(Clone, Copy)]
struct Api {
    addr: std::net::SocketAddr,
}

impl Api {
    fn url(&self, target: &str) -> String {
        format!("http://{}{target}", self.addr)
    }

    fn get(&self, target: &str) -> crate::server::Response {
        crate::server::send_to(
            self.addr,
            format!("GET {target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                .as_bytes(),
        )
    }
}

async fn walk_through(client: Client, server: Api) {
    let client = &client;
    let server = &server;
    client.goto(&server.url("/")).await.expect("open the page");
    wait_for(client, "the first answer", SETTLED).await;
    let (total, _, _) = shown(client).await;
    assert_eq!(total, 12, "the whole archive is listed before any query");
    screenshot(client, "1-start").await;

    // `/` focuses the search box; typing a query and Enter searches.
    client
        .find(Locator::Css("body"))
        .await
        .expect("body")
        .send_keys("/")
        .await
        .expect("press /");
    assert_eq!(
        js(client, "return document.activeElement.id").await,
        json!("q")
    );
    client
        .find(Locator::Id("q"))
        .await
        .expect("search box")
        .send_keys("hegseth\u{E007}")
        .await
        .expect("type a query");
    wait_for(
        client,
        "the query in the URL",
        "return location.search.includes('q=hegseth')",
    )
    .await;
    wait_for(client, "the answer to the query", SETTLED).await;
    let expected = api_for_page(client, server).await;
    let (total, dates, titles) = shown(client).await;
    assert_eq!(total, expected.total as u64);
    assert_eq!(total, 3, "three articles name Hegseth");
    assert_eq!(
        titles,
        expected
            .hits
            .iter()
            .map(|h| h.title.clone())
            .collect::<Vec<_>>()
    );
    let marks = js(client, "return [...document.querySelectorAll('.snippet mark')].map(m => m.textContent.toLowerCase())").await;
    assert!(
        marks.as_array().unwrap().iter().any(|m| m == "hegseth"),
        "snippets highlight the word: {marks}"
    );
    assert_eq!(dates.len(), 3);
    screenshot(client, "2-query").await;

    // The chart shows a year of matches by week; drag across it from the first bar to the
    // middle: the dates follow, in the inputs, the URL and the hits.
    client.goto(&server.url("/?q=budget")).await.expect("open");
    wait_for(client, "the budget answer", SETTLED).await;
    let interval = js(
        client,
        "return document.getElementById('timeline').dataset.interval",
    )
    .await;
    assert_eq!(
        interval,
        json!("week"),
        "a year of matches is charted by week"
    );
    let chart = client.find(Locator::Id("chart")).await.expect("chart");
    let width = js(
        client,
        "return document.getElementById('chart').getBoundingClientRect().width",
    )
    .await
    .as_f64()
    .expect("width");
    let drag = MouseActions::new("mouse".to_string())
        .then(PointerAction::MoveToElement {
            element: chart.clone(),
            duration: None,
            x: -width / 2.0 + 3.0,
            y: 0.0,
        })
        .then(PointerAction::Down {
            button: MOUSE_BUTTON_LEFT,
        })
        .then(PointerAction::MoveToElement {
            element: chart.clone(),
            duration: Some(Duration::from_millis(200)),
            x: -width / 8.0,
            y: 0.0,
        })
        .then(PointerAction::MoveToElement {
            element: chart,
            duration: Some(Duration::from_millis(200)),
            x: 0.0,
            y: 0.0,
        })
        .then(PointerAction::Up {
            button: MOUSE_BUTTON_LEFT,
        });
    client
        .perform_actions(drag)
        .await
        .expect("drag on the chart");
    wait_for(
        client,
        "dates in the URL",
        "return location.search.includes('from=') && location.search.includes('to=')",
    )
    .await;
    wait_for(client, "the answer for the dates", SETTLED).await;
    let from = js(client, "return document.getElementById('from').value").await;
    let to = js(client, "return document.getElementById('to').value").await;
    let (from, to) = (
        from.as_str().unwrap().to_string(),
        to.as_str().unwrap().to_string(),
    );
    assert!(
        from.starts_with("2025-01"),
        "the drag starts at the first week: {from}"
    );
    assert!(
        to > from && to.as_str() < "2025-12",
        "the drag ends mid-year: {to}"
    );
    let expected = api_for_page(client, server).await;
    let (total, dates, _) = shown(client).await;
    assert_eq!(total, expected.total as u64);
    assert!(total > 0 && total < 12, "{total} of 12");
    assert!(
        dates.iter().all(|d| *d >= from && *d <= to),
        "every hit within {from}..{to}: {dates:?}"
    );
    let chip = js(
        client,
        "return document.querySelector('.chip[data-dates]') !== null",
    )
    .await;
    assert_eq!(chip, json!(true), "the dates show as a removable chip");
    screenshot(client, "3-dragged").await;

    // Click the top organisation among the matches: it becomes a filter chip.
    let facet = client
        .find(Locator::Css(
            "#facets section[data-type='org'] button.facet",
        ))
        .await
        .expect("an organisation facet");
    let name = facet
        .attr("data-name")
        .await
        .expect("attr")
        .expect("a name");
    facet.click().await.expect("click the facet");
    wait_for(
        client,
        "the entity in the URL",
        "return location.search.includes('entity=')",
    )
    .await;
    wait_for(client, "the answer for the entity", SETTLED).await;
    let chips = js(
        client,
        "return [...document.querySelectorAll('.chip[data-entity]')].map(c => c.dataset.entity)",
    )
    .await;
    assert_eq!(chips, json!([name]));
    let expected = api_for_page(client, server).await;
    let (total, _, titles) = shown(client).await;
    assert_eq!(total, expected.total as u64);
    assert!(total > 0);
    for hit in &expected.hits {
        assert!(
            hit.entities.iter().any(|e| e.name == name),
            "{} does not mention {name}",
            hit.title
        );
    }
    let results_url = client.current_url().await.expect("url").to_string();
    screenshot(client, "4-facet").await;

    // Open the first hit: its full text, date, path and entities; then Back.
    client
        .find(Locator::Css(".hit h3 a"))
        .await
        .expect("a hit")
        .click()
        .await
        .expect("open the article");
    wait_for(
        client,
        "the article",
        "return !document.getElementById('article').hidden \
         && document.getElementById('article-body').querySelector('p:not(.status)') !== null",
    )
    .await;
    let title = js(
        client,
        "return document.getElementById('article-title').textContent",
    )
    .await;
    assert_eq!(title, json!(titles[0]));
    let article: contract::Article = server
        .get(&format!("/api/articles/{}", expected.hits[0].id))
        .json();
    let body_text = js(
        client,
        "return document.getElementById('article-body').textContent",
    )
    .await;
    assert!(
        body_text
            .as_str()
            .unwrap()
            .contains("Officials said the budget would be reviewed again."),
        "the full text: {body_text}"
    );
    let path = js(
        client,
        "return document.getElementById('article-path').textContent",
    )
    .await;
    assert_eq!(path, json!(article.path));
    let marked = js(
        client,
        "return [...document.querySelectorAll('#article-body .ent')].map(e => e.textContent)",
    )
    .await;
    assert!(
        marked.as_array().unwrap().iter().any(|m| *m == json!(name)),
        "{name} is marked in the text: {marked}"
    );
    let links = js(client, "return [...document.querySelectorAll('#article-entities a')].map(a => a.getAttribute('href'))").await;
    assert_eq!(links.as_array().unwrap().len(), article.entities.len());
    assert!(links
        .as_array()
        .unwrap()
        .iter()
        .all(|h| h.as_str().unwrap().contains("entity=")));
    assert!(client.current_url().await.unwrap().as_str().contains("id="));
    screenshot(client, "5-article").await;

    client.back().await.expect("Back");
    wait_for(
        client,
        "the results again",
        "return document.getElementById('article').hidden && document.querySelectorAll('.hit').length > 0",
    )
    .await;
    wait_for(client, "the results settled", SETTLED).await;
    assert_eq!(client.current_url().await.unwrap().to_string(), results_url);
    let (total_again, _, titles_again) = shown(client).await;
    assert_eq!((total_again, titles_again), (total, titles));
    let chips_again = js(
        client,
        "return [...document.querySelectorAll('.chip[data-entity]')].map(c => c.dataset.entity)",
    )
    .await;
    assert_eq!(chips_again, json!([name]));
    screenshot(client, "6-back").await;

    // A bad date is an error message on the page, not a blank one.
    client
        .goto(&server.url("/?q=budget&from=2025-02-30"))
        .await
        .expect("open");
    wait_for(
        client,
        "the error",
        "return document.getElementById('status').classList.contains('error')",
    )
    .await;
    let status = js(
        client,
        "return document.getElementById('status').textContent",
    )
    .await;
    assert!(status.as_str().unwrap().contains("2025-02-30"), "{status}");

    // On a phone-sized screen the page still shows the results.
    client.set_window_size(390, 844).await.expect("resize");
    client.goto(&server.url("/?q=budget")).await.expect("open");
    wait_for(client, "the phone view", SETTLED).await;
    let wider = js(
        client,
        "const width = document.documentElement.clientWidth; \
         return [...document.querySelectorAll('body *')] \
           .filter(e => e.getClientRects().length && e.getBoundingClientRect().right > width + 1) \
           .map(e => `${e.tagName}#${e.id}.${e.className} ${Math.round(e.getBoundingClientRect().right)} > ${width}`)",
    )
    .await;
    assert_eq!(wider, json!([]), "nothing sticks out sideways on a phone");
    screenshot(client, "7-phone").await;
}
