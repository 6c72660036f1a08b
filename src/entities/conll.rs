//! CoNLL-2003 file reading and span-level (exact match) scoring, used by training and evaluation.

use super::perceptron::Sentence;
use super::span::collect_spans;
use super::tags::{Tag, TagType};
use std::io;
use std::path::Path;

/// Parses CoNLL text: one `TOKEN ... TAG` line per token (first field is the token, last the
/// IOB2 tag), blank lines between sentences, `-DOCSTART-` lines ignored. Unknown tags read as `O`.
pub fn parse_conll(text: &str) -> Vec<Sentence> {
    let mut out = Vec::new();
    let mut cur = Sentence {
        tokens: Vec::new(),
        tags: Vec::new(),
    };
    let flush = |cur: &mut Sentence, out: &mut Vec<Sentence>| {
        if !cur.tokens.is_empty() {
            out.push(std::mem::replace(
                cur,
                Sentence {
                    tokens: Vec::new(),
                    tags: Vec::new(),
                },
            ));
        }
    };
    for line in text.lines() {
        let mut fields = line.split_whitespace();
        let Some(tok) = fields.next() else {
            flush(&mut cur, &mut out);
            continue;
        };
        if tok == "-DOCSTART-" {
            flush(&mut cur, &mut out);
            continue;
        }
        let tag = fields.last().and_then(Tag::parse).unwrap_or(Tag::O);
        cur.tokens.push(tok.to_string());
        cur.tags.push(tag);
    }
    flush(&mut cur, &mut out);
    out
}

/// Reads and parses a CoNLL file.
pub fn read_conll(path: &Path) -> io::Result<Vec<Sentence>> {
    Ok(parse_conll(&std::fs::read_to_string(path)?))
}

/// Span counts for one entity type (or a sum of types).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub gold: usize,
    pub predicted: usize,
    pub correct: usize,
}

impl Counts {
    pub fn precision(&self) -> f64 {
        ratio(self.correct, self.predicted)
    }
    pub fn recall(&self) -> f64 {
        ratio(self.correct, self.gold)
    }
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        }
    }
    pub fn add(&mut self, o: &Counts) {
        self.gold += o.gold;
        self.predicted += o.predicted;
        self.correct += o.correct;
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

fn type_index(t: TagType) -> usize {
    match t {
        TagType::Per => 0,
        TagType::Org => 1,
        TagType::Loc => 2,
        TagType::Misc => 3,
    }
}

/// Adds exact-match span counts of one sentence to `counts` (indexed PER, ORG, LOC, MISC).
pub fn score_sentence(gold: &[Tag], pred: &[Tag], counts: &mut [Counts; 4]) {
    let (mut g, mut p) = (Vec::new(), Vec::new());
    collect_spans(gold.iter().copied(), &mut g);
    collect_spans(pred.iter().copied(), &mut p);
    for s in &g {
        counts[type_index(s.kind)].gold += 1;
    }
    for s in &p {
        let c = &mut counts[type_index(s.kind)];
        c.predicted += 1;
        if g.contains(s) {
            c.correct += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_score() {
        let text =
            "-DOCSTART- O\n\nEU B-ORG \nrejects O\nGerman B-MISC\n\nPeter B-PER\nBlackburn I-PER\n";
        let s = parse_conll(text);
        assert_eq!(s.len(), 2);
        assert_eq!(s[1].tokens, ["Peter", "Blackburn"]);
        let mut c = [Counts::default(); 4];
        let pred = [Tag::B(TagType::Per), Tag::O];
        score_sentence(&s[1].tags, &pred, &mut c);
        assert_eq!(
            c[0],
            Counts {
                gold: 1,
                predicted: 1,
                correct: 0
            }
        );
        score_sentence(&s[1].tags, &s[1].tags, &mut c);
        assert_eq!(c[0].correct, 1);
        assert!((c[0].f1() - 0.5).abs() < 1e-9);
    }
}
