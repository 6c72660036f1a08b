//! How `search` orders what it finds: reports before near-empty items, all the words first.

use crate::contract;
use crate::util::Fixture;

fn search(fx: &Fixture, query: &str) -> contract::Search {
    let run = fx.run(&["search", "--json", query]);
    assert_eq!(run.code(), 0, "{}", run.describe());
    run.json()
}

/// A report about corn, long as reports are, and two wire tables whose headline is the word.
fn corn() -> Fixture {
    let fx = Fixture::new();
    let mut report = String::from(
        "Farmers expect a smaller corn crop.\n\nFarmers across the Midwest expect to harvest \
         less corn this autumn after a dry summer, the Agriculture Department said on Friday.",
    );
    for _ in 0..8 {
        report.push_str(
            " Analysts said prices could rise further if the weather stays dry through the \
             harvest, and exporters were watching the markets closely.",
        );
    }
    report.push_str(" Corn exports were expected to fall.");
    fx.article("wire/report.txt", "1987-06-05", &report);
    fx.article(
        "wire/table-1.txt",
        "1987-06-05",
        "Toledo corn stocks.\n\nCorn 1,204 1,199 1,187.",
    );
    fx.article(
        "wire/table-2.txt",
        "1987-06-06",
        "Chicago corn stocks.\n\nCorn 2,310 2,290.",
    );
    fx.ingest(&["wire"]).expect(0);
    fx
}

#[test]
fn a_report_outranks_near_empty_tables_whose_headline_is_the_word() {
    let fx = corn();
    let result = search(&fx, "corn");
    assert_eq!(result.total, 3);
    assert!(
        result.hits[0].path.ends_with("report.txt"),
        "the report first: {:?}",
        result.hits.iter().map(|h| &h.path).collect::<Vec<_>>()
    );
}

/// A wire price table is long in tokens and short in words: the prior counts its words.
#[test]
fn a_price_table_long_in_figures_counts_as_near_empty() {
    let fx = Fixture::new();
    let mut table = String::from("NY orange juice close.\n\nOPEN HIGH LOW CLOSE\n");
    for month in [
        "MAY7", "JUL7", "SEP7", "NOV7", "JAN8", "MAR8", "MAY8", "JUL8", "SEP8",
    ] {
        table.push_str(&format!(
            "{month} 13100L 13105H 13350 13100 13275L 13300H\n"
        ));
    }
    fx.article("wire/table.txt", "1987-04-07", &table);
    fx.article(
        "wire/report.txt",
        "1987-04-07",
        "U.S. sets duties on Brazilian imports.\n\nThe Commerce Department set duties on \
         frozen concentrated orange juice from Brazil on Monday, saying the imports were sold \
         below fair value and hurt growers in Florida, who had asked for the ruling last year.",
    );
    fx.ingest(&["wire"]).expect(0);
    let result = search(&fx, "\"orange juice\"");
    assert_eq!(result.total, 2);
    assert!(
        result.hits[0].path.ends_with("report.txt"),
        "the report first: {:?}",
        result.hits.iter().map(|h| &h.path).collect::<Vec<_>>()
    );
}

#[test]
fn the_word_as_typed_outranks_another_word_with_the_same_stem() {
    let fx = Fixture::new();
    // "Corning" stems to "corn". Two reports alike but for that word; the company's is said
    // once more, so on stems alone it would lead.
    fx.article(
        "wire/corning.txt",
        "1987-06-05",
        "Corning sales rise.\n\nCorning said its sales rose in the second quarter as demand \
         grew in Europe, and Corning expects the rise to continue through the year.",
    );
    fx.article(
        "wire/crop.txt",
        "1987-06-05",
        "Corn sales rise.\n\nDealers said corn sales rose in the second quarter as demand \
         grew in Europe, and they expect the rise to continue through the year.",
    );
    // Other news, so that words are as rare as in an archive.
    for (i, subject) in [
        "rates", "steel", "coffee", "shipping", "oil", "gold", "rubber", "tin",
    ]
    .iter()
    .enumerate()
    {
        fx.article(
            &format!("wire/other-{i}.txt"),
            "1987-06-04",
            &format!(
                "{subject} market steady.\n\nTraders said the {subject} market was steady \
                 on Thursday, with little business before the weekend."
            ),
        );
    }
    fx.ingest(&["wire"]).expect(0);
    let result = search(&fx, "corn");
    assert_eq!(result.total, 2, "the stem still matches both");
    assert!(
        result.hits[0].path.ends_with("crop.txt"),
        "corn as written first: {:?}",
        result.hits.iter().map(|h| &h.path).collect::<Vec<_>>()
    );
}

/// Reports on wheat purchases, an article sharing only the request's weaker words, a report on
/// the subject that has only its strongest, and unrelated articles.
fn wheat_purchases() -> Fixture {
    let fx = Fixture::new();
    for (n, (date, text)) in [
        (
            "1987-03-02",
            "Japan buys wheat at tender.\n\nThe Japanese food agency bought 120,000 tonnes of \
             durum wheat at its weekly tender for shipment in April, grain traders said.",
        ),
        (
            "1987-03-09",
            "Japan buys more wheat.\n\nJapan's food agency buys 90,000 tonnes of wheat from \
             Canada; traders said the grain tender covered durum for shipment in May.",
        ),
        (
            "1987-03-16",
            "Japan buys wheat from U.S.\n\nJapan bought 75,000 tonnes of U.S. wheat at a grain \
             tender on Thursday, with durum cargoes for shipment in June, traders said.",
        ),
    ]
    .into_iter()
    .enumerate()
    {
        fx.article(&format!("wire/japan-{n}.txt"), date, text);
    }
    fx.article(
        "wire/egypt.txt",
        "1987-03-20",
        "Egypt holds a tender.\n\nEgypt's grain authority took 200,000 tonnes of durum wheat \
         at a tender for shipment in July, grain traders in Cairo said.",
    );
    fx.article(
        "wire/stake.txt",
        "1987-03-21",
        "Tokyo carmaker sells shares.\n\nA Tokyo carmaker said a bank in Japan buys a small \
         stake in it, the first such sale this year.",
    );
    fx.article(
        "wire/tunisia.txt",
        "1987-03-22",
        "Tunisia holds a tender.\n\nThe Tunisian grain board took 50,000 tonnes of durum at a \
         tender for shipment in August, grain traders said.",
    );
    for n in 0..60 {
        fx.article(
            &format!("local/council-{n}.txt"),
            "1987-04-01",
            &format!(
                "Council meeting {n}.\n\nThe city council met on Tuesday to discuss parking \
                 rules, library hours and item {n} of its agenda, officials said."
            ),
        );
    }
    fx.ingest(&["wire", "local"]).expect(0);
    fx
}

#[test]
fn a_request_ranks_reports_like_its_best_matches_above_articles_sharing_its_weaker_words() {
    let fx = wheat_purchases();
    let result = search(&fx, "japan buys wheat");
    let paths: Vec<&str> = result.hits.iter().map(|h| h.path.as_str()).collect();
    // What matches stays the query's: the Tunisian report has none of its words.
    assert_eq!(result.total, 5, "{paths:?}");
    assert!(
        paths.iter().take(3).all(|p| p.contains("japan-")),
        "{paths:?}"
    );
    let place = |name: &str| paths.iter().position(|p| p.ends_with(name)).unwrap();
    // The Egyptian report shares the reports' words (tonnes, durum, tender, grain); the
    // carmaker's stake shares two of the request's three words and nothing else.
    assert!(place("egypt.txt") < place("stake.txt"), "{paths:?}");
}
