//! Document-level check of `Extractor::extract` on Reuters-21578: for the editors' people,
//! organisation and place tags, how many of those whose name appears in the article are found
//! with the right type.
//!
//! cargo run --release --example ner_reuters_eval -- /work/shared [--misses N] [--miss-type people|orgs|places] [--model MODEL.bin]
//!
//! Evaluation data (not part of the product): `ALIASES` below maps each Reuters tag code to the
//! surface names an article may use for it.
//!
//! Rule for "the name appears in the text": some surface of the tag occurs in title or body as a
//! whole word (neighbouring characters are not letters or digits). Surfaces that are short
//! acronyms (at most 5 letters once dots are removed, no lower-case letter, e.g. `US`, `U.S.`,
//! `EC`, `IMF`) must match case-sensitively; all other surfaces match ignoring case.
//! Rule for "found with the right type": an extracted entity of the tag's kind whose canonical
//! name (`canonical_alias`) equals, ignoring case, the canonical name of one of the tag's
//! surfaces; for people it is enough that the extracted name ends with the surname as whole
//! words ("James Baker" matches `baker`).
//! The row `places+adj` counts place tags whose name appears in the text, or whose country a
//! nationality adjective or demonym of the text names (`country_of_demonym`: "Japanese" names
//! Japan), as a place named in the text.

use dateline::article::{decode_text, parse_dated_text};
use dateline::entities::{
    canonical_alias, country_of_demonym, token_count, Entity, EntityKind, Extractor,
};
use std::collections::HashMap;
use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// Tag code -> surfaces. Codes not listed use their own words, title-cased
/// (`new-zealand` -> "New Zealand", `reagan` -> "Reagan").
const ALIASES: &[(&str, &[&str])] = &[
    // places
    ("usa", &["United States", "U.S.", "US", "USA", "U.S.A."]),
    (
        "uk",
        &["United Kingdom", "Britain", "Great Britain", "U.K.", "UK"],
    ),
    ("ussr", &["Soviet Union", "USSR", "U.S.S.R."]),
    ("west-germany", &["West Germany", "W. Germany"]),
    ("east-germany", &["East Germany", "E. Germany"]),
    ("uae", &["United Arab Emirates", "UAE", "U.A.E."]),
    ("south-korea", &["South Korea", "S. Korea"]),
    ("north-korea", &["North Korea", "N. Korea"]),
    ("netherlands", &["Netherlands", "Holland"]),
    ("ivory-coast", &["Ivory Coast", "Cote d'Ivoire"]),
    ("trinidad-tobago", &["Trinidad and Tobago", "Trinidad"]),
    (
        "yemen-arab-republic",
        &["North Yemen", "Yemen Arab Republic", "Yemen"],
    ),
    ("yemen-demo-republic", &["South Yemen", "Yemen"]),
    (
        "us-virgin-islands",
        &["U.S. Virgin Islands", "Virgin Islands"],
    ),
    ("kampuchea", &["Kampuchea", "Cambodia"]),
    ("china", &["China", "PRC"]),
    // organisations
    (
        "ec",
        &[
            "European Community",
            "European Communities",
            "European Economic Community",
            "EC",
            "E.C.",
            "EEC",
        ],
    ),
    ("imf", &["International Monetary Fund", "IMF"]),
    (
        "opec",
        &[
            "OPEC",
            "Organization of Petroleum Exporting Countries",
            "Organisation of Petroleum Exporting Countries",
        ],
    ),
    ("worldbank", &["World Bank"]),
    ("gatt", &["GATT", "General Agreement on Tariffs and Trade"]),
    (
        "ico-coffee",
        &[
            "International Coffee Organization",
            "International Coffee Organisation",
            "ICO",
        ],
    ),
    (
        "oecd",
        &[
            "OECD",
            "Organisation for Economic Co-operation and Development",
            "Organization for Economic Cooperation and Development",
        ],
    ),
    (
        "icco",
        &[
            "International Cocoa Organization",
            "International Cocoa Organisation",
            "ICCO",
        ],
    ),
    ("adb-asia", &["Asian Development Bank", "ADB"]),
    ("adb-africa", &["African Development Bank", "ADB", "AFDB"]),
    ("itc", &["International Tin Council", "ITC"]),
    ("un", &["United Nations", "UN", "U.N."]),
    (
        "unctad",
        &[
            "UNCTAD",
            "United Nations Conference on Trade and Development",
        ],
    ),
    (
        "fao",
        &[
            "Food and Agriculture Organization",
            "Food and Agriculture Organisation",
            "FAO",
        ],
    ),
    (
        "inro",
        &[
            "International Natural Rubber Organization",
            "International Natural Rubber Organisation",
            "INRO",
        ],
    ),
    ("eib", &["European Investment Bank", "EIB"]),
    ("iea", &["International Energy Agency", "IEA"]),
    ("ida", &["International Development Association", "IDA"]),
    ("iwc-wheat", &["International Wheat Council", "IWC"]),
    ("atpc", &["Association of Tin Producing Countries", "ATPC"]),
    (
        "gcc",
        &[
            "Gulf Cooperation Council",
            "Gulf Co-operation Council",
            "GCC",
        ],
    ),
    (
        "isa",
        &[
            "International Sugar Organization",
            "International Sugar Organisation",
            "International Sugar Agreement",
            "ISA",
            "ISO",
        ],
    ),
    ("bis", &["Bank for International Settlements", "BIS"]),
    (
        "oapec",
        &[
            "OAPEC",
            "Organization of Arab Petroleum Exporting Countries",
        ],
    ),
    (
        "asean",
        &[
            "ASEAN",
            "Association of South East Asian Nations",
            "Association of Southeast Asian Nations",
        ],
    ),
    (
        "escap",
        &[
            "ESCAP",
            "Economic and Social Commission for Asia and the Pacific",
        ],
    ),
    ("eca", &["Economic Commission for Africa", "ECA"]),
    (
        "imco",
        &[
            "IMCO",
            "Inter-Governmental Maritime Consultative Organization",
        ],
    ),
    ("euratom", &["Euratom"]),
    ("iwcc", &["International Wrought Copper Council", "IWCC"]),
    (
        "comecon",
        &["Comecon", "CMEA", "Council for Mutual Economic Assistance"],
    ),
    ("efta", &["European Free Trade Association", "EFTA"]),
    // people (surnames as written in the articles)
    ("james-baker", &["Baker"]),
    ("howard-baker", &["Baker"]),
    ("james-miller", &["Miller"]),
    ("bresser-pereira", &["Bresser Pereira", "Bresser-Pereira"]),
    ("cavaco-silva", &["Cavaco Silva"]),
    ("de-clercq", &["De Clercq", "Clercq"]),
    ("de-kock", &["De Kock"]),
    ("de-la-madrid", &["De la Madrid"]),
    ("de-larosiere", &["De Larosiere", "Larosiere"]),
    ("del-mazo", &["Del Mazo"]),
    ("deng-xiaoping", &["Deng Xiaoping", "Deng"]),
    ("du-plessis", &["Du Plessis"]),
    ("hisham-nazer", &["Nazer"]),
    ("king-fahd", &["Fahd"]),
    ("leigh-pemberton", &["Leigh-Pemberton"]),
    ("mancera-aguayo", &["Mancera Aguayo", "Mancera"]),
    ("mohammed-ali-abal-khail", &["Abal-Khail", "Abal Khail"]),
    ("perez-de-cuellar", &["Perez de Cuellar"]),
    ("von-weizsaecker", &["Von Weizsaecker", "Weizsaecker"]),
    ("wang-bingqian", &["Wang Bingqian"]),
    ("zhao-ziyang", &["Zhao Ziyang", "Zhao"]),
    ("poehl", &["Poehl", "Pöhl"]),
];

/// Time this thread has spent running on a CPU (Linux `/proc/thread-self/schedstat`), so
/// that throughput can be measured even while other processes compete for the cores.
/// Countries named by a nationality adjective or demonym somewhere in `text` (one or two
/// words: "Japanese", "South Korean").
fn demonym_countries(text: &str) -> Vec<&'static str> {
    let words: Vec<&str> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let mut out: Vec<&'static str> = Vec::new();
    for (i, w) in words.iter().enumerate() {
        let pair = words.get(i + 1).map(|n| format!("{w} {n}"));
        // "Latin American", "Native American" name no country.
        let compound = w.starts_with("American")
            && i > 0
            && words[i - 1].starts_with(|c: char| c.is_uppercase());
        let found = pair
            .as_deref()
            .and_then(country_of_demonym)
            .or_else(|| country_of_demonym(w).filter(|_| !compound));
        if let Some(c) = found.filter(|c| !out.contains(c)) {
            out.push(c);
        }
    }
    out
}

fn thread_cpu_time() -> Option<Duration> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: u64 = s.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(ns))
}

fn title_case(code: &str) -> String {
    code.split('-')
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(f) => f.to_uppercase().chain(c).collect::<String>(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn surfaces(code: &str, table: &HashMap<&str, &[&str]>) -> Vec<String> {
    match table.get(code) {
        Some(s) => s.iter().map(|x| x.to_string()).collect(),
        None => vec![title_case(code)],
    }
}

fn is_acronym(s: &str) -> bool {
    let letters: Vec<char> = s.chars().filter(|c| c.is_alphanumeric()).collect();
    letters.len() <= 5 && !s.chars().any(char::is_lowercase)
}

fn whole_word_in(hay: &str, needle: &str) -> bool {
    if needle.is_empty() {
        return false;
    }
    let mut from = 0;
    while let Some(p) = hay[from..].find(needle) {
        let s = from + p;
        let e = s + needle.len();
        let before = hay[..s].chars().next_back();
        let after = hay[e..].chars().next();
        let edge_ok = |c: Option<char>, inner: Option<char>| {
            // A needle ending in '.' (U.S.) may be followed by anything.
            inner.is_some_and(|i| !i.is_alphanumeric()) || c.is_none_or(|c| !c.is_alphanumeric())
        };
        if edge_ok(before, needle.chars().next()) && edge_ok(after, needle.chars().next_back()) {
            return true;
        }
        from = s + hay[s..].chars().next().map_or(1, char::len_utf8);
    }
    false
}

fn appears(text: &str, lower: &str, surface: &str) -> bool {
    if is_acronym(surface) {
        whole_word_in(text, surface)
    } else {
        whole_word_in(lower, &surface.to_lowercase())
    }
}

fn matches(e: &Entity, kind: EntityKind, surfaces: &[String]) -> bool {
    if e.kind != kind {
        return false;
    }
    let name = canonical_alias(&e.name).to_lowercase();
    surfaces.iter().any(|s| {
        let canon = canonical_alias(s).to_lowercase();
        if name == canon {
            return true;
        }
        kind == EntityKind::Person && name.ends_with(&format!(" {}", s.to_lowercase()))
    })
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

fn field_list(line: &str, key: &str) -> Vec<String> {
    // Minimal reader for `"key": ["a", "b"]` in one JSON line (the tags file is flat).
    let pat = format!("\"{key}\": [");
    let Some(p) = line.find(&pat) else {
        return Vec::new();
    };
    let rest = &line[p + pat.len()..];
    let Some(end) = rest.find(']') else {
        return Vec::new();
    };
    rest[..end]
        .split(',')
        .map(|s| s.trim().trim_matches('"').to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

fn field_str(line: &str, key: &str) -> Option<String> {
    let pat = format!("\"{key}\": \"");
    let p = line.find(&pat)?;
    let rest = &line[p + pat.len()..];
    rest.find('"').map(|e| rest[..e].to_string())
}

#[derive(Default)]
struct Tally {
    total: usize,
    appear: usize,
    found: usize,
}

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let root = args.next().unwrap_or_else(|| "/work/shared".to_string());
    let mut show_misses = 0usize;
    let mut miss_kind: Option<String> = None;
    let mut model_path: Option<String> = None;
    while let Some(a) = args.next() {
        if a == "--misses" {
            show_misses = args.next().and_then(|v| v.parse().ok()).unwrap_or(20);
        } else if a == "--miss-type" {
            miss_kind = args.next();
        } else if a == "--model" {
            model_path = args.next();
        }
    }
    let root = Path::new(&root);
    let corpus = root.join("corpus/reuters21578");
    let tags_path = root.join("eval/reuters21578-tags.jsonl");
    if !corpus.is_dir() || !tags_path.is_file() {
        println!(
            "skipping Reuters evaluation: {} or {} not found",
            corpus.display(),
            tags_path.display()
        );
        return ExitCode::SUCCESS;
    }
    let tags = match std::fs::read_to_string(&tags_path) {
        Ok(t) => t,
        Err(e) => {
            println!(
                "skipping Reuters evaluation: cannot read {}: {e}",
                tags_path.display()
            );
            return ExitCode::SUCCESS;
        }
    };
    let table: HashMap<&str, &[&str]> = ALIASES.iter().copied().collect();
    let owned;
    let extractor: &Extractor = match &model_path {
        None => match Extractor::shared() {
            Ok(x) => x,
            Err(e) => {
                eprintln!("{e}");
                return ExitCode::FAILURE;
            }
        },
        Some(p) => {
            match std::fs::read(p)
                .map_err(|e| e.to_string())
                .and_then(|b| Extractor::from_bytes(&b).map_err(|e| e.to_string()))
            {
                Ok(x) => {
                    owned = x;
                    &owned
                }
                Err(e) => {
                    eprintln!("cannot load model {p}: {e}");
                    return ExitCode::FAILURE;
                }
            }
        }
    };
    let kinds = [
        ("people", EntityKind::Person),
        ("orgs", EntityKind::Org),
        ("places", EntityKind::Place),
    ];
    let mut tally: [Tally; 4] = Default::default();
    let mut articles = 0usize;
    let mut words = 0usize;
    let mut bytes = 0usize;
    let mut texts: Vec<(String, String)> = Vec::new();
    let mut misses: Vec<String> = Vec::new();
    for line in tags.lines() {
        let Some(file) = field_str(line, "file") else {
            continue;
        };
        let Some((title, body)) = std::fs::read(corpus.join(&file))
            .ok()
            .and_then(|raw| read_article(&raw))
        else {
            continue;
        };
        let ents = extractor.extract(&title, &body);
        articles += 1;
        words += token_count(&title) + token_count(&body);
        bytes += title.len() + body.len();
        let text = format!("{title}\n\n{body}");
        let lower = text.to_lowercase();
        let adjective_countries = demonym_countries(&text);
        for (k, (key, kind)) in kinds.iter().enumerate() {
            for code in field_list(line, key) {
                let surf = surfaces(&code, &table);
                tally[k].total += 1;
                let by_name = surf.iter().any(|s| appears(&text, &lower, s));
                // Places also count when only an adjective names them ("Japanese exports").
                let by_adjective = *kind == EntityKind::Place
                    && surf.iter().any(|s| {
                        let c = canonical_alias(s);
                        adjective_countries
                            .iter()
                            .any(|a| a.eq_ignore_ascii_case(c))
                    });
                let found = ents.iter().any(|e| matches(e, *kind, &surf));
                if *kind == EntityKind::Place && (by_name || by_adjective) {
                    tally[3].total += 1;
                    tally[3].appear += 1;
                    tally[3].found += usize::from(found);
                }
                if !by_name {
                    continue;
                }
                tally[k].appear += 1;
                if found {
                    tally[k].found += 1;
                } else if misses.len() < show_misses
                    && miss_kind.as_deref().is_none_or(|m| m == *key)
                {
                    let got: Vec<String> = ents
                        .iter()
                        .map(|e| format!("{}:{}", e.name, e.kind.as_str()))
                        .collect();
                    misses.push(format!("{file} {key}:{code} | {}", got.join(", ")));
                }
            }
        }
        texts.push((title, body));
    }
    println!("Reuters-21578: {articles} articles");
    println!(
        "{:<8} {:>8} {:>14} {:>12} {:>8}",
        "type", "tags", "name in text", "found+type", "recall"
    );
    let rows = kinds.iter().map(|(key, _)| *key).chain(["places+adj"]);
    for (k, key) in rows.enumerate() {
        let t = &tally[k];
        let r = if t.appear > 0 {
            t.found as f64 / t.appear as f64
        } else {
            0.0
        };
        println!(
            "{:<8} {:>8} {:>14} {:>12} {:>8.4}",
            key, t.total, t.appear, t.found, r
        );
    }
    // Throughput: the articles (held in memory) are timed in chunks of 500, five passes each;
    // the fastest pass of each chunk counts (the machine may be shared, and the fastest pass
    // is the least disturbed one). The thread's own CPU time over all passes is measured too.
    let mut best = Duration::ZERO;
    let cpu0 = thread_cpu_time();
    let mut passes_tokens = 0usize;
    for chunk in texts.chunks(500) {
        let mut fastest: Option<Duration> = None;
        for _ in 0..5 {
            let t0 = Instant::now();
            let mut found = 0usize;
            for (title, body) in chunk {
                found += extractor.extract(title, body).len();
            }
            let el = t0.elapsed();
            std::hint::black_box(found);
            fastest = Some(fastest.map_or(el, |f| f.min(el)));
        }
        best += fastest.unwrap_or_default();
    }
    passes_tokens += 5 * words;
    let cpu = match (cpu0, thread_cpu_time()) {
        (Some(a), Some(b)) if b > a => Some(b - a),
        _ => None,
    };
    let secs = best.as_secs_f64().max(1e-9);
    println!(
        "extract: {:.0} articles/s, {:.0} tokens/s, {:.1} MB/s (one thread, fastest of 5 passes per 500 articles)",
        articles as f64 / secs,
        words as f64 / secs,
        bytes as f64 / secs / 1e6
    );
    if let Some(cpu) = cpu {
        println!(
            "extract on-CPU: {:.0} tokens/s (thread CPU time over all timed passes)",
            passes_tokens as f64 / cpu.as_secs_f64().max(1e-9)
        );
    }
    for m in &misses {
        println!("miss: {m}");
    }
    ExitCode::SUCCESS
}
