//! Quality of the story grouping: pairwise precision and recall on synthetic rewrites.
//!
//! ```text
//! cargo run --release --example story_bench -- [--shared DIR] [--seed N] [--originals N]
//! ```
//!
//! The corpora are read in place from `--shared` (default `$DATELINE_SHARED`, else `../shared`
//! beside the repository): `corpus/reuters21578` and `corpus/wikinews`. Where they are missing
//! the example says so and exits 0.
//!
//! - **Originals**: every k-th article of both corpora with at least 60 words of body, in file
//!   order (`--originals`, default 800).
//! - **Rewrites**: each original gets 1 to 4 rewrites, made with a fixed seed (`--seed`,
//!   default 16), each by 1 to 3 of: headline changed; a paragraph added (from another
//!   article), removed, or two swapped; agency boilerplate before or after; typos in 3% of the
//!   words; every number changed. A rewrite is dated 0 to 3 days after its original.
//! - **Topic neighbours**: every other article of the corpora dated within the originals' days
//!   (Reuters runs many items on one company, market or commodity a day) goes in too, unchanged.
//!
//! The articles are grouped as `dateline ingest` groups them (`Table::nearest` in a shuffled
//! order, ±7 days: an article joins the story of its nearest near-copy and merges the stories
//! of its other near-copies into it; a new story where nothing is near), and every pair of articles is judged
//! against the exact Jaccard similarity of their three-word shingle sets:
//!
//! - a **copy** pair shares at least 70% of its shingles (J ≥ 0.7), dated within 7 days: among
//!   the rewrites, and natural ones among the neighbours, found by an exact inverted index of
//!   the shingles (those of at most 64 articles), and any pair put in one story that is one;
//! - **recall** = copy pairs put in one story / copy pairs;
//! - **precision** = pairs put in one story that are a copy pair or an original with its own
//!   rewrite (J below 0.7 after heavy edits) / pairs put in one story; the strict precision
//!   counts only copy pairs as right.
//!
//! With `STORY_BENCH_DEBUG=1` the wrongly grouped pairs are counted by their J and a sample of
//! them printed.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use dateline::article::{decode_text, parse_dated_text};
use dateline::stories::{founded_by, sketch, Table, DEFAULT_WINDOW_DAYS};

/// A copy shares at least this share of its shingles.
const COPY: f64 = 0.7;

struct Doc {
    day: i64,
    title: String,
    body: String,
    /// The original this is a rewrite of (itself for an original); `None` for a neighbour.
    family: Option<usize>,
}

/// xorshift64*: the rewrites depend on the seed only.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn chance(&mut self, p: f64) -> bool {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("story_bench: {message}");
            ExitCode::from(2)
        }
    }
}

fn arg(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

fn run() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let shared = arg(&args, "--shared")
        .or_else(|| std::env::var("DATELINE_SHARED").ok())
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"));
    let seed: u64 = arg(&args, "--seed").map_or(Ok(16), |s| s.parse().map_err(|_| "bad --seed"))?;
    let wanted: usize =
        arg(&args, "--originals").map_or(Ok(800), |s| s.parse().map_err(|_| "bad --originals"))?;
    let mut corpus = Vec::new();
    for name in ["reuters21578", "wikinews"] {
        let dir = shared.join("corpus").join(name);
        if !dir.is_dir() {
            println!("skipped: {} is missing", dir.display());
            return Ok(());
        }
        corpus.extend(read_corpus(&dir)?);
    }
    let long: Vec<usize> = (0..corpus.len())
        .filter(|&i| corpus[i].body.split_whitespace().count() >= 60)
        .collect();
    let step = (long.len() / wanted.max(1)).max(1);
    let originals: Vec<usize> = long.iter().step_by(step).take(wanted).copied().collect();
    let chosen: HashSet<usize> = originals.iter().copied().collect();
    let days: HashSet<i64> = originals.iter().map(|&i| corpus[i].day).collect();
    let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
    let mut docs: Vec<Doc> = Vec::new();
    for (family, &i) in originals.iter().enumerate() {
        let (title, body, day) = (&corpus[i].title, &corpus[i].body, corpus[i].day);
        docs.push(Doc {
            day,
            title: title.clone(),
            body: body.clone(),
            family: Some(family),
        });
        for _ in 0..1 + rng.below(4) {
            let filler = &corpus[rng.below(corpus.len())].body;
            let (title, body) = rewrite(&mut rng, title, body, filler);
            docs.push(Doc {
                day: day + rng.below(4) as i64,
                title,
                body,
                family: Some(family),
            });
        }
    }
    let rewrites = docs.len() - originals.len();
    for (i, article) in corpus.iter().enumerate() {
        if !chosen.contains(&i) && days.contains(&article.day) {
            docs.push(Doc {
                day: article.day,
                title: article.title.clone(),
                body: article.body.clone(),
                family: None,
            });
        }
    }
    // Stories as the ingest makes them, in an order unrelated to the families.
    let mut order: Vec<usize> = (0..docs.len()).collect();
    for i in (1..order.len()).rev() {
        order.swap(i, rng.below(i + 1));
    }
    let mut table = Table::new(DEFAULT_WINDOW_DAYS);
    let mut story = vec![0u64; docs.len()];
    for (position, &i) in order.iter().enumerate() {
        let own = founded_by(u128::from(position as u64) << 64 | 1);
        story[i] = match sketch(&docs[i].body) {
            Some(signature) => {
                let found = match table.nearest(docs[i].day, &signature) {
                    Some(near) => {
                        for other in near.others {
                            table.merge(other, near.story);
                        }
                        near.story
                    }
                    None => own,
                };
                table.insert(i as u64, docs[i].day, found, signature);
                found
            }
            None => own,
        };
    }
    let story: Vec<u64> = story.iter().map(|&s| table.resolve(s)).collect();
    // Pairs to judge: those in one story, and those of one family (the only places copies can
    // be, besides natural ones among the neighbours, which are found through the stories).
    let shingles: Vec<HashSet<u64>> = docs.iter().map(|d| shingle_set(&d.body)).collect();
    let mut by_story: HashMap<u64, Vec<usize>> = HashMap::new();
    let mut by_family: HashMap<u64, Vec<usize>> = HashMap::new();
    for (i, doc) in docs.iter().enumerate() {
        by_story.entry(story[i]).or_default().push(i);
        if let Some(family) = doc.family {
            by_family.entry(family as u64).or_default().push(i);
        }
    }
    let pairs = |groups: &HashMap<_, Vec<usize>>| -> HashSet<(usize, usize)> {
        let mut out = HashSet::new();
        for members in groups.values() {
            for (k, &a) in members.iter().enumerate() {
                for &b in &members[k + 1..] {
                    out.insert((a.min(b), a.max(b)));
                }
            }
        }
        out
    };
    let predicted = pairs(&by_story);
    let family_pairs = pairs(&by_family);
    let jaccard = |(a, b): (usize, usize)| -> f64 {
        let (x, y) = (&shingles[a], &shingles[b]);
        let both = x.intersection(y).count();
        let either = x.len() + y.len() - both;
        if either == 0 {
            0.0
        } else {
            both as f64 / either as f64
        }
    };
    // Copies anywhere, found without the sketches: pairs dated within the window that share
    // shingles other than the commonest, judged by their exact Jaccard similarity.
    let mut postings: HashMap<u64, Vec<usize>> = HashMap::new();
    for (i, set) in shingles.iter().enumerate() {
        for &shingle in set {
            postings.entry(shingle).or_default().push(i);
        }
    }
    let mut shared: HashMap<(usize, usize), u32> = HashMap::new();
    for docs_with in postings.values().filter(|list| list.len() <= 64) {
        for (k, &a) in docs_with.iter().enumerate() {
            for &b in &docs_with[k + 1..] {
                if (docs[a].day - docs[b].day).abs() <= i64::from(DEFAULT_WINDOW_DAYS) {
                    *shared.entry((a.min(b), a.max(b))).or_default() += 1;
                }
            }
        }
    }
    let copies: HashSet<(usize, usize)> = shared
        .keys()
        .chain(&family_pairs)
        .chain(&predicted)
        .copied()
        .filter(|&pair| jaccard(pair) >= COPY)
        .collect();
    let right = predicted
        .iter()
        .filter(|pair| copies.contains(pair) || family_pairs.contains(pair))
        .count();
    let strict = predicted
        .iter()
        .filter(|pair| copies.contains(pair))
        .count();
    let found = copies
        .iter()
        .filter(|pair| predicted.contains(pair))
        .count();
    let natural = copies
        .iter()
        .filter(|pair| !family_pairs.contains(pair))
        .count();
    if std::env::var("STORY_BENCH_DEBUG").is_ok() {
        let mut hist = [0usize; 10];
        for pair in predicted
            .iter()
            .filter(|p| !copies.contains(p) && !family_pairs.contains(p))
        {
            hist[((jaccard(*pair) * 10.0) as usize).min(9)] += 1;
            if rng.chance(0.01) {
                eprintln!(
                    "--- J {:.2}\n{}\n{}\n===\n{}\n{}",
                    jaccard(*pair),
                    docs[pair.0].title,
                    &docs[pair.0].body.chars().take(400).collect::<String>(),
                    docs[pair.1].title,
                    &docs[pair.1].body.chars().take(400).collect::<String>()
                );
            }
        }
        eprintln!("wrong pairs by J decile: {hist:?}");
    }
    let ratio = |a: usize, b: usize| if b == 0 { 1.0 } else { a as f64 / b as f64 };
    let stories: HashSet<u64> = story.iter().copied().collect();
    println!(
        "articles {} (originals {}, rewrites {}, neighbours {}), seed {seed}",
        docs.len(),
        originals.len(),
        rewrites,
        docs.len() - originals.len() - rewrites
    );
    println!(
        "copy pairs (J >= {COPY}) {} (of which natural, among neighbours: {natural}); \
         pairs of a family {}; pairs in one story {}; stories {}",
        copies.len(),
        family_pairs.len(),
        predicted.len(),
        stories.len()
    );
    println!(
        "precision {:.4} (strict {:.4})  recall {:.4}",
        ratio(right, predicted.len()),
        ratio(strict, predicted.len()),
        ratio(found, copies.len())
    );
    Ok(())
}

/// Day number, title and body of every dated file in `dir`.
fn read_corpus(dir: &Path) -> Result<Vec<Doc>, String> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "txt"))
        .collect();
    paths.sort();
    let mut docs = Vec::new();
    for path in paths {
        let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let Ok(article) = decode_text(&bytes).and_then(|text| parse_dated_text(&text)) else {
            continue;
        };
        docs.push(Doc {
            day: dateline::dates::day_number(article.date),
            title: article.title,
            body: article.body,
            family: None,
        });
    }
    Ok(docs)
}

/// The three-word shingles of a text, as the sketch sees them (words of letters and digits,
/// ASCII lower-cased).
fn shingle_set(text: &str) -> HashSet<u64> {
    let words: Vec<String> = text
        .split(|c: char| !c.is_ascii_alphanumeric() && c.is_ascii())
        .filter(|w| !w.is_empty())
        .map(|w| w.to_ascii_lowercase())
        .collect();
    words
        .windows(3)
        .map(|w| {
            use std::hash::{Hash, Hasher};
            let mut h = std::collections::hash_map::DefaultHasher::new();
            w.hash(&mut h);
            h.finish()
        })
        .collect()
}

const BOILERPLATE: [&str; 4] = [
    "(Reporting by the Washington bureau; Editing by the desk)",
    "Copyright 1987 The News Agency. All rights reserved. This material may not be published, broadcast, rewritten or redistributed.",
    "UPDATE 2 - adds comment from officials, market reaction",
    "Follow our live coverage for more on this story as it develops.",
];

/// A rewrite of an article by one to three edits.
fn rewrite(rng: &mut Rng, title: &str, body: &str, filler: &str) -> (String, String) {
    let mut title = title.to_string();
    let mut paragraphs: Vec<String> = body
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect();
    for _ in 0..1 + rng.below(3) {
        match rng.below(8) {
            0 => title = format!("UPDATE 1-{}", title.to_lowercase()),
            1 => {
                let extra: Vec<&str> = filler
                    .split("\n\n")
                    .filter(|p| !p.trim().is_empty())
                    .collect();
                if !extra.is_empty() {
                    let at = rng.below(paragraphs.len() + 1);
                    paragraphs.insert(at, extra[rng.below(extra.len())].trim().to_string());
                }
            }
            2 if paragraphs.len() > 2 => {
                let at = rng.below(paragraphs.len());
                paragraphs.remove(at);
            }
            3 if paragraphs.len() > 1 => {
                let (a, b) = (rng.below(paragraphs.len()), rng.below(paragraphs.len()));
                paragraphs.swap(a, b);
            }
            4 => {
                let line = BOILERPLATE[rng.below(BOILERPLATE.len())].to_string();
                if rng.chance(0.5) {
                    paragraphs.insert(0, line);
                } else {
                    paragraphs.push(line);
                }
            }
            5 => {
                for paragraph in &mut paragraphs {
                    *paragraph = paragraph
                        .split(' ')
                        .map(|word| typo(rng, word))
                        .collect::<Vec<_>>()
                        .join(" ");
                }
            }
            6 => {
                for paragraph in &mut paragraphs {
                    *paragraph = paragraph
                        .chars()
                        .map(|c| match c.to_digit(10) {
                            Some(d) if rng.chance(0.5) => {
                                char::from_digit((d + 1 + rng.below(8) as u32) % 10, 10)
                                    .unwrap_or(c)
                            }
                            _ => c,
                        })
                        .collect();
                }
            }
            _ => title = format!("{} - sources", title.trim_end_matches('.')),
        }
    }
    (title, paragraphs.join("\n\n"))
}

/// A word with a typo (a letter dropped, doubled or two swapped) three times in a hundred.
fn typo(rng: &mut Rng, word: &str) -> String {
    let chars: Vec<char> = word.chars().collect();
    if chars.len() < 3 || !rng.chance(0.03) {
        return word.to_string();
    }
    let at = 1 + rng.below(chars.len() - 2);
    let mut out = chars.clone();
    match rng.below(3) {
        0 => {
            out.remove(at);
        }
        1 => out.insert(at, chars[at]),
        _ => out.swap(at, at - 1),
    }
    out.into_iter().collect()
}
