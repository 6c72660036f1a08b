//! Training of the tagging model: a structured averaged perceptron over the hashed features,
//! decoded with the same Viterbi as tagging. Built only with the `train` feature.

use super::features::{FeatureBuilder, NUM_FEATURES};
use super::lexicon::{LexCounts, Lexicon};
use super::model::{Model, WEIGHT_SHIFT};
use super::rng::SplitMix;
use super::span::{collect_spans, Span};
use super::tags::{Tag, TagType, NUM_LABELS};
use super::viterbi::viterbi;
use super::words::is_caps_sentence;

/// A training or evaluation sentence: tokens and gold IOB2 tags.
#[derive(Debug, Clone)]
pub struct Sentence {
    pub tokens: Vec<String>,
    pub tags: Vec<Tag>,
}

/// Training settings.
#[derive(Debug, Clone)]
pub struct TrainConfig {
    /// log2 of the number of hashed feature rows.
    pub bits: u32,
    /// Maximum number of passes over the training data.
    pub epochs: usize,
    /// Seed for the shuffling order.
    pub seed: u64,
    /// Share of training sentences also added in an upper-cased copy (teaches headline reading).
    pub caps_fraction: f64,
    /// Independent runs (seeds `seed`, `seed + 1`, ...) whose weights are averaged.
    pub runs: usize,
    /// Choose the epoch on the mean of validation F1 and upper-cased validation F1.
    pub select_on_caps: bool,
}

impl Default for TrainConfig {
    fn default() -> Self {
        TrainConfig {
            bits: 17,
            epochs: 10,
            seed: 42,
            caps_fraction: 1.0,
            runs: 3,
            select_on_caps: false,
        }
    }
}

/// Per-epoch progress reported during training.
#[derive(Debug, Clone)]
pub struct EpochReport {
    pub run: u64,
    pub epoch: usize,
    pub mistakes: usize,
    pub valid_f1: f64,
    /// F1 on the upper-cased validation set, when epochs are also selected on it.
    pub valid_caps_f1: Option<f64>,
}

struct Encoded {
    feats: Vec<u32>,
    gold: Vec<u8>,
    offsets: Vec<(usize, usize)>,
}

/// Number of folds for the leave-one-fold-out training lexicons.
const LEX_FOLDS: usize = 5;

/// Fold of sentence `i` of `n` (contiguous blocks, so documents mostly stay together).
fn fold_of(i: usize, n: usize) -> usize {
    (i * LEX_FOLDS / n.max(1)).min(LEX_FOLDS - 1)
}

/// Lexicon of all of `train`, plus one per fold built from the other folds (so training
/// sentences see lexicon profiles the way unseen text will).
fn lexicons(train: &[Sentence]) -> (Lexicon, Vec<Lexicon>) {
    let mut per_fold = vec![LexCounts::default(); LEX_FOLDS];
    let mut all = LexCounts::default();
    for (i, s) in train.iter().enumerate() {
        per_fold[fold_of(i, train.len())].add(&s.tokens, &s.tags);
        all.add(&s.tokens, &s.tags);
    }
    let folds = per_fold.iter().map(|f| all.minus(f).lexicon()).collect();
    (all.lexicon(), folds)
}

/// Encodes sentences; sentence `i` uses `folds[fold_of(i)]` when folds are given, else `full`.
fn encode(
    sents: &[Sentence],
    bits: u32,
    caps_copies: &[bool],
    full: &Lexicon,
    folds: Option<&[Lexicon]>,
) -> Encoded {
    let mut fb = FeatureBuilder::default();
    let mut enc = Encoded {
        feats: Vec::new(),
        gold: Vec::new(),
        offsets: Vec::new(),
    };
    let mut buf = Vec::new();
    let mut add = |tokens: &[String], tags: &[Tag], lex: &Lexicon, enc: &mut Encoded| {
        let caps = is_caps_sentence(tokens);
        fb.build(tokens, bits, caps, lex, &mut buf);
        let start = enc.gold.len();
        enc.feats.extend_from_slice(&buf);
        enc.gold.extend(tags.iter().map(|t| t.index() as u8));
        enc.offsets.push((start, enc.gold.len()));
    };
    for (i, s) in sents.iter().enumerate() {
        if s.tokens.is_empty() {
            continue;
        }
        let lex = match folds {
            Some(f) => f.get(fold_of(i, sents.len())).unwrap_or(full),
            None => full,
        };
        add(&s.tokens, &s.tags, lex, &mut enc);
        if caps_copies.get(i).copied().unwrap_or(false) {
            let up: Vec<String> = s.tokens.iter().map(|t| t.to_uppercase()).collect();
            if is_caps_sentence(&up) && !is_caps_sentence(&s.tokens) {
                add(&up, &s.tags, lex, &mut enc);
            }
        }
    }
    enc
}

struct Params {
    w: Vec<f32>,
    start: [f32; NUM_LABELS],
    trans: [f32; NUM_LABELS * NUM_LABELS],
}

impl Params {
    fn zeros(rows: usize) -> Params {
        Params {
            w: vec![0.0; rows * NUM_LABELS],
            start: [0.0; NUM_LABELS],
            trans: [0.0; NUM_LABELS * NUM_LABELS],
        }
    }
}

fn decode_f32(
    p: &Params,
    feats: &[u32],
    n: usize,
    scores: &mut Vec<f32>,
    back: &mut Vec<u8>,
    path: &mut Vec<u8>,
) {
    scores.clear();
    scores.resize(n * NUM_LABELS, 0.0);
    for (fs, sc) in feats
        .chunks_exact(NUM_FEATURES)
        .zip(scores.chunks_exact_mut(NUM_LABELS))
    {
        for &f in fs {
            let base = f as usize * NUM_LABELS;
            for (a, &w) in sc.iter_mut().zip(&p.w[base..base + NUM_LABELS]) {
                *a += w;
            }
        }
    }
    viterbi(scores, n, &p.start, &p.trans, back, path);
}

/// Span F1 over PER, ORG and LOC of `pred` against `gold` label-index sequences.
fn f1_plo(enc: &Encoded, preds: &[Vec<u8>]) -> f64 {
    let (mut g, mut p, mut c) = (0usize, 0usize, 0usize);
    for (&(a, b), pred) in enc.offsets.iter().zip(preds) {
        let labels = |l: &[u8]| {
            l.iter()
                .map(|&x| Tag::from_index(x as usize))
                .collect::<Vec<_>>()
        };
        let (mut gs, mut ps): (Vec<Span>, Vec<Span>) = (Vec::new(), Vec::new());
        collect_spans(labels(&enc.gold[a..b]), &mut gs);
        collect_spans(labels(pred), &mut ps);
        gs.retain(|s| s.kind != TagType::Misc);
        ps.retain(|s| s.kind != TagType::Misc);
        g += gs.len();
        p += ps.len();
        c += ps.iter().filter(|s| gs.contains(s)).count();
    }
    let prec = if p > 0 { c as f64 / p as f64 } else { 0.0 };
    let rec = if g > 0 { c as f64 / g as f64 } else { 0.0 };
    if prec + rec > 0.0 {
        2.0 * prec * rec / (prec + rec)
    } else {
        0.0
    }
}

fn averaged(w: &Params, u: &Params, c: f32) -> Params {
    let avg = |a: f32, b: f32| a - b / c;
    let mut out = Params::zeros(0);
    out.w = w.w.iter().zip(&u.w).map(|(&a, &b)| avg(a, b)).collect();
    for i in 0..NUM_LABELS {
        out.start[i] = avg(w.start[i], u.start[i]);
    }
    for i in 0..NUM_LABELS * NUM_LABELS {
        out.trans[i] = avg(w.trans[i], u.trans[i]);
    }
    out
}

/// Quantises weights to `i8` (largest weight = 127) and start/transition scores to `i32` in
/// units `2^WEIGHT_SHIFT` times finer.
fn quantise(p: &Params, bits: u32, lexicon: Lexicon) -> Model {
    let max = p.w.iter().fold(0f32, |m, &x| m.max(x.abs())).max(1e-6);
    let scale = 127.0 / max;
    let fine = scale * (1u32 << WEIGHT_SHIFT) as f32;
    let q = |x: f32| (x * fine).round() as i32;
    let mut start = [0i32; NUM_LABELS];
    let mut trans = [0i32; NUM_LABELS * NUM_LABELS];
    for (s, &x) in start.iter_mut().zip(&p.start) {
        *s = q(x);
    }
    for (t, &x) in trans.iter_mut().zip(&p.trans) {
        *t = q(x);
    }
    Model {
        generation: super::model::new_generation(),
        bits,
        scale,
        start,
        trans,
        weights: p
            .w
            .iter()
            .map(|&x| (x * scale).round().clamp(-127.0, 127.0) as i8)
            .collect(),
        lexicon,
    }
}

/// One training run (one shuffling seed): the averaged weights of its best epoch.
fn run(
    rows: usize,
    tr: &Encoded,
    va: &Encoded,
    vu: &Encoded,
    cfg: &TrainConfig,
    seed: u64,
    report: &mut dyn FnMut(&EpochReport),
) -> Option<(f64, Params)> {
    let mut rng = SplitMix::new(seed);
    let mut w = Params::zeros(rows);
    let mut u = Params::zeros(rows);
    let mut c: f32 = 1.0;
    let mut order: Vec<usize> = (0..tr.offsets.len()).collect();
    let (mut scores, mut back, mut path) = (Vec::new(), Vec::new(), Vec::new());
    let mut best: Option<(f64, Params)> = None;
    for epoch in 1..=cfg.epochs.max(1) {
        for i in (1..order.len()).rev() {
            let j = rng.below(i + 1);
            order.swap(i, j);
        }
        let mut mistakes = 0usize;
        for &si in &order {
            let (a, b) = tr.offsets[si];
            let n = b - a;
            let feats = &tr.feats[a * NUM_FEATURES..b * NUM_FEATURES];
            let gold = &tr.gold[a..b];
            decode_f32(&w, feats, n, &mut scores, &mut back, &mut path);
            if path.as_slice() != gold {
                mistakes += 1;
                for i in 0..n {
                    let (g, p) = (gold[i] as usize, path[i] as usize);
                    if g != p {
                        for &f in &feats[i * NUM_FEATURES..(i + 1) * NUM_FEATURES] {
                            let base = f as usize * NUM_LABELS;
                            w.w[base + g] += 1.0;
                            w.w[base + p] -= 1.0;
                            u.w[base + g] += c;
                            u.w[base + p] -= c;
                        }
                    }
                    let (gp, pp) = if i == 0 {
                        (None, None)
                    } else {
                        (Some(gold[i - 1] as usize), Some(path[i - 1] as usize))
                    };
                    if (gp, g) != (pp, p) {
                        match gp {
                            None => {
                                w.start[g] += 1.0;
                                u.start[g] += c;
                            }
                            Some(x) => {
                                w.trans[x * NUM_LABELS + g] += 1.0;
                                u.trans[x * NUM_LABELS + g] += c;
                            }
                        }
                        match pp {
                            None => {
                                w.start[p] -= 1.0;
                                u.start[p] -= c;
                            }
                            Some(x) => {
                                w.trans[x * NUM_LABELS + p] -= 1.0;
                                u.trans[x * NUM_LABELS + p] -= c;
                            }
                        }
                    }
                }
            }
            c += 1.0;
        }
        let avg = averaged(&w, &u, c);
        let mut score_set = |set: &Encoded| {
            let mut preds = Vec::with_capacity(set.offsets.len());
            for &(a, b) in &set.offsets {
                decode_f32(
                    &avg,
                    &set.feats[a * NUM_FEATURES..b * NUM_FEATURES],
                    b - a,
                    &mut scores,
                    &mut back,
                    &mut path,
                );
                preds.push(path.clone());
            }
            f1_plo(set, &preds)
        };
        let f1 = score_set(va);
        let caps_f1 = if vu.offsets.is_empty() {
            None
        } else {
            Some(score_set(vu))
        };
        let select = caps_f1.map_or(f1, |c| (f1 + c) / 2.0);
        report(&EpochReport {
            run: seed,
            epoch,
            mistakes,
            valid_f1: f1,
            valid_caps_f1: caps_f1,
        });
        if best.as_ref().is_none_or(|(b, _)| select > *b) {
            best = Some((select, avg));
        }
    }
    best
}

/// Mean of the weights of several runs (a linear model, so the mean is again a model).
fn mean_params(runs: Vec<Params>) -> Option<Params> {
    let k = runs.len() as f32;
    let mut it = runs.into_iter();
    let mut acc = it.next()?;
    for p in it {
        for (a, b) in acc.w.iter_mut().zip(&p.w) {
            *a += b;
        }
        for (a, b) in acc.start.iter_mut().zip(&p.start) {
            *a += b;
        }
        for (a, b) in acc.trans.iter_mut().zip(&p.trans) {
            *a += b;
        }
    }
    for x in acc
        .w
        .iter_mut()
        .chain(acc.start.iter_mut())
        .chain(acc.trans.iter_mut())
    {
        *x /= k;
    }
    Some(acc)
}

/// Trains a model on `train`, choosing the epoch with the best PER/ORG/LOC span F1 on `valid`.
pub fn train(
    train: &[Sentence],
    valid: &[Sentence],
    cfg: &TrainConfig,
    mut report: impl FnMut(&EpochReport),
) -> Model {
    let bits = cfg.bits.clamp(10, 24);
    let rows = 1usize << bits;
    let mut rng = SplitMix::new(cfg.seed ^ 0xC0FF_EE00);
    let caps: Vec<bool> = train
        .iter()
        .map(|_| rng.unit() < cfg.caps_fraction)
        .collect();
    let (full_lex, fold_lex) = lexicons(train);
    let tr = encode(train, bits, &caps, &full_lex, Some(&fold_lex));
    let va = encode(valid, bits, &[], &full_lex, None);
    // Upper-cased copy of the validation set: epochs are chosen on both, so the chosen model
    // also reads ALL-CAPS headlines well.
    let valid_upper: Vec<Sentence> = if cfg.select_on_caps {
        valid
            .iter()
            .map(|s| Sentence {
                tokens: s.tokens.iter().map(|t| t.to_uppercase()).collect(),
                tags: s.tags.clone(),
            })
            .collect()
    } else {
        Vec::new()
    };
    let vu = encode(&valid_upper, bits, &[], &full_lex, None);
    let mut runs: Vec<Params> = Vec::new();
    for r in 0..cfg.runs.max(1) {
        let seed = cfg.seed.wrapping_add(r as u64);
        if let Some((_, p)) = run(rows, &tr, &va, &vu, cfg, seed, &mut report) {
            runs.push(p);
        }
    }
    let best = mean_params(runs);
    match best {
        Some(p) => quantise(&p, bits, full_lex),
        None => Model::empty(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn learns_toy_data() {
        let s = |t: &[&str], g: &[&str]| Sentence {
            tokens: t.iter().map(|x| x.to_string()).collect(),
            tags: g.iter().filter_map(|x| Tag::parse(x)).collect(),
        };
        let data = vec![
            s(
                &["John", "Smith", "went", "to", "Paris"],
                &["B-PER", "I-PER", "O", "O", "B-LOC"],
            ),
            s(
                &["Mary", "lives", "in", "London"],
                &["B-PER", "O", "O", "B-LOC"],
            ),
            s(&["IBM", "hired", "John"], &["B-ORG", "O", "B-PER"]),
        ];
        let cfg = TrainConfig {
            bits: 12,
            epochs: 10,
            seed: 1,
            caps_fraction: 0.0,
            runs: 1,
            select_on_caps: false,
        };
        let m = train(&data, &data, &cfg, |_| {});
        let mut sc = super::super::model::Scratch::default();
        m.decode(&["Mary", "went", "to", "London"], false, &mut sc);
        assert_eq!(sc.path, vec![1, 0, 0, 5]);
    }
}
