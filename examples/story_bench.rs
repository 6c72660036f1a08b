//! Quality of the story grouping: pairwise precision and recall on synthetic rewrites.
//!
//! ```text
//! cargo run --release --example story_bench -- [--shared DIR] [--seed N] [--originals N]
//!     [--grouping ingest|founders|founder-merges|pairs] [--threshold J]
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
//! The pairs put in one story that are no copy pair are then counted by cause: near-copies by
//! their own sketches (estimated similarity at least the threshold) though their exact J is
//! below 0.7, or joined through third articles (a story is a connected group); each split into
//! pairs of one original (the original and its rewrites) and the others.
//!
//! Last, the copy pairs nearest the line (J 0.70 to 0.75): how many are put in one story, and
//! how many are near-copies by their own sketches.
//!
//! `--grouping` compares the ingest's grouping with alternatives: `founders` (an article joins
//! a story only if it is a near-copy of the story's first article, and two stories merge only
//! if their first articles are near-copies), `founder-merges` (as the ingest, but two stories
//! merge only if their first articles are near-copies), `pairs` (the connected groups of all
//! pairs within the window at least `--threshold` similar by their sketches, compared
//! directly, without LSH; at the ingest's threshold it must equal `ingest`).
//!
//! With `STORY_BENCH_DEBUG=1` the wrongly grouped pairs are counted by their J and a sample of
//! them printed, and the not copy pairs of each cause by their J.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use dateline::article::{decode_text, parse_dated_text};
use dateline::stories::{
    founded_by, similarity, sketch, Signature, Table, DEFAULT_WINDOW_DAYS, THRESHOLD,
};

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
    let grouping = match arg(&args, "--grouping").as_deref() {
        None | Some("ingest") => Grouping::Ingest,
        Some("founders") => Grouping::Founders,
        Some("founder-merges") => Grouping::FounderMerges,
        Some("pairs") => Grouping::Pairs,
        Some(other) => {
            return Err(format!(
                "bad --grouping {other}: ingest, founders, founder-merges or pairs"
            ))
        }
    };
    let threshold: f32 = match arg(&args, "--threshold") {
        None => THRESHOLD,
        Some(_) if grouping != Grouping::Pairs => {
            return Err("--threshold goes with --grouping pairs".into())
        }
        Some(t) => t
            .parse()
            .ok()
            .filter(|t: &f32| (0.0..=1.0).contains(t))
            .ok_or("bad --threshold: a number from 0 to 1")?,
    };
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
    let signatures: Vec<Option<Signature>> = docs.iter().map(|doc| sketch(&doc.body)).collect();
    let story = match grouping {
        Grouping::Pairs => all_pairs(&docs, &signatures, threshold),
        _ => arrivals(&docs, &order, &signatures, grouping),
    };
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
        "articles {} (originals {}, rewrites {}, neighbours {}), seed {seed}, grouping {}",
        docs.len(),
        originals.len(),
        rewrites,
        docs.len() - originals.len() - rewrites,
        grouping.name(threshold)
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
    // Why pairs put in one story are no copy pair: the pair itself is a near-copy by its
    // sketches (estimated J at least the threshold, within the window) though its exact J is
    // below 0.7, or it was joined through third articles (a story is a connected group); and
    // whether its two articles come from one original or not.
    let window = i64::from(DEFAULT_WINDOW_DAYS);
    let direct = |(a, b): (usize, usize)| match (&signatures[a], &signatures[b]) {
        (Some(x), Some(y)) => {
            (docs[a].day - docs[b].day).abs() <= window && similarity(x, y) >= threshold
        }
        _ => false,
    };
    let one_family =
        |(a, b): (usize, usize)| docs[a].family.is_some() && docs[a].family == docs[b].family;
    let mut causes = [0usize; 4];
    let mut deciles = [[0usize; 10]; 4];
    let mut chained_stories: HashSet<u64> = HashSet::new();
    for &pair in predicted.iter().filter(|pair| !copies.contains(pair)) {
        let cause = usize::from(!direct(pair)) * 2 + usize::from(!one_family(pair));
        causes[cause] += 1;
        deciles[cause][((jaccard(pair) * 10.0) as usize).min(9)] += 1;
        if cause == 3 {
            chained_stories.insert(story[pair.0]);
        }
    }
    let misses = predicted.len() - strict;
    let share = |n: usize| ratio(n, misses);
    println!(
        "not copy pairs in one story {misses}: near-copies by their sketches (J < {COPY}), one \
         original {} ({:.2}), others {} ({:.2}); joined through third articles, one original \
         {} ({:.2}), others {} ({:.2}, in {} stories)",
        causes[0],
        share(causes[0]),
        causes[1],
        share(causes[1]),
        causes[2],
        share(causes[2]),
        causes[3],
        share(causes[3]),
        chained_stories.len()
    );
    if std::env::var("STORY_BENCH_DEBUG").is_ok() {
        eprintln!("not copy pairs in one story by J decile, cause by cause: {deciles:?}");
    }
    // The copies nearest the line, where the threshold decides.
    let edge: Vec<(usize, usize)> = copies
        .iter()
        .copied()
        .filter(|&pair| jaccard(pair) < 0.75)
        .collect();
    let edge_found = edge.iter().filter(|pair| predicted.contains(pair)).count();
    let edge_direct = edge.iter().filter(|&&pair| direct(pair)).count();
    println!(
        "copy pairs at J {COPY} to 0.75: {}; in one story {edge_found} (recall {:.4}), \
         near-copies by their own sketches {edge_direct} ({:.4})",
        edge.len(),
        ratio(edge_found, edge.len()),
        ratio(edge_direct, edge.len())
    );
    Ok(())
}

/// How the articles are grouped: as the ingest does, or as one of the alternatives it was
/// compared with.
#[derive(Clone, Copy, PartialEq)]
enum Grouping {
    /// `Table::nearest` in arrival order, as `dateline ingest` does.
    Ingest,
    /// An article joins a story only if it is a near-copy of the story's first article (its
    /// founder), the most similar such founder; two stories merge only if their founders are
    /// near-copies.
    Founders,
    /// As the ingest, except that two stories merge only if their founders are near-copies.
    FounderMerges,
    /// The connected groups of every pair within the window whose sketches are at least
    /// `--threshold` similar, compared directly (no LSH, in no order).
    Pairs,
}

impl Grouping {
    fn name(self, threshold: f32) -> String {
        match self {
            Grouping::Ingest => "ingest".into(),
            Grouping::Founders => "founders".into(),
            Grouping::FounderMerges => "founder-merges".into(),
            Grouping::Pairs => format!("pairs at {threshold}"),
        }
    }
}

/// The story of every article, the articles arriving in `order`.
fn arrivals(
    docs: &[Doc],
    order: &[usize],
    signatures: &[Option<Signature>],
    grouping: Grouping,
) -> Vec<u64> {
    let mut table = Table::new(DEFAULT_WINDOW_DAYS);
    let mut founders: HashMap<u64, Signature> = HashMap::new();
    let mut story = vec![0u64; docs.len()];
    for (position, &i) in order.iter().enumerate() {
        let own = founded_by(u128::from(position as u64) << 64 | 1);
        let Some(signature) = signatures[i] else {
            story[i] = own;
            continue;
        };
        let near_copies = |a: &Signature, b: &Signature| similarity(a, b) >= THRESHOLD;
        let found = match table.nearest(docs[i].day, &signature) {
            None => own,
            Some(near) if grouping == Grouping::Founders => {
                let mut candidates: Vec<(f32, u64)> = std::iter::once(near.story)
                    .chain(near.others)
                    .map(|s| (similarity(&signature, &founders[&s]), s))
                    .filter(|&(score, _)| score >= THRESHOLD)
                    .collect();
                candidates.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
                match candidates.first() {
                    Some(&(_, best)) => {
                        for &(_, other) in &candidates[1..] {
                            if near_copies(&founders[&best], &founders[&other]) {
                                table.merge(other, best);
                            }
                        }
                        best
                    }
                    None => own,
                }
            }
            Some(near) => {
                for other in near.others {
                    if grouping == Grouping::Ingest
                        || near_copies(&founders[&near.story], &founders[&other])
                    {
                        table.merge(other, near.story);
                    }
                }
                near.story
            }
        };
        founders.entry(found).or_insert(signature);
        table.insert(i as u64, docs[i].day, found, signature);
        story[i] = found;
    }
    story.iter().map(|&s| table.resolve(s)).collect()
}

/// The story of every article: the connected groups of the pairs dated within the window
/// whose sketches are at least `threshold` similar.
fn all_pairs(docs: &[Doc], signatures: &[Option<Signature>], threshold: f32) -> Vec<u64> {
    let mut parent: Vec<usize> = (0..docs.len()).collect();
    fn root(parent: &mut [usize], mut at: usize) -> usize {
        while parent[at] != at {
            parent[at] = parent[parent[at]];
            at = parent[at];
        }
        at
    }
    let mut by_day: Vec<(i64, usize, &Signature)> = signatures
        .iter()
        .enumerate()
        .filter_map(|(i, signature)| Some((docs[i].day, i, signature.as_ref()?)))
        .collect();
    by_day.sort_by_key(|&(day, i, _)| (day, i));
    for (k, &(day, a, sa)) in by_day.iter().enumerate() {
        for &(other_day, b, sb) in &by_day[k + 1..] {
            if other_day - day > i64::from(DEFAULT_WINDOW_DAYS) {
                break;
            }
            if similarity(sa, sb) >= threshold {
                let (ra, rb) = (root(&mut parent, a), root(&mut parent, b));
                parent[ra.max(rb)] = ra.min(rb);
            }
        }
    }
    (0..docs.len())
        .map(|i| root(&mut parent, i) as u64)
        .collect()
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
