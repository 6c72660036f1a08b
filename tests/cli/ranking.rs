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
