//! Trains the NER model on a CoNLL-2003 training file, using a validation file only to pick
//! the number of epochs, and writes the model file that the library embeds.
//!
//! cargo run --release --example ner_train -- TRAIN.conll VALID.conll --out src/entities/model.bin \
//!     [--seed 42] [--epochs 10] [--bits 17] [--caps 1.0] [--runs 3] [--select-on-caps false]

use dateline::entities::conll::read_conll;
use dateline::entities::perceptron::{train, TrainConfig};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

fn usage() -> ExitCode {
    eprintln!(
        "usage: ner_train TRAIN.conll VALID.conll --out MODEL.bin [--seed N] [--epochs N] [--bits N] [--caps F] [--runs N] [--select-on-caps BOOL]"
    );
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut files = Vec::new();
    let mut out: Option<PathBuf> = None;
    let mut cfg = TrainConfig::default();
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        let val = args.get(i + 1);
        let ok = match a {
            "--out" => val.map(|v| out = Some(PathBuf::from(v))).is_some(),
            "--seed" => val
                .and_then(|v| v.parse().ok())
                .map(|v| cfg.seed = v)
                .is_some(),
            "--epochs" => val
                .and_then(|v| v.parse().ok())
                .map(|v| cfg.epochs = v)
                .is_some(),
            "--bits" => val
                .and_then(|v| v.parse().ok())
                .map(|v| cfg.bits = v)
                .is_some(),
            "--caps" => val
                .and_then(|v| v.parse().ok())
                .map(|v| cfg.caps_fraction = v)
                .is_some(),
            "--runs" => val
                .and_then(|v| v.parse().ok())
                .map(|v| cfg.runs = v)
                .is_some(),
            "--select-on-caps" => val
                .and_then(|v| v.parse().ok())
                .map(|v| cfg.select_on_caps = v)
                .is_some(),
            _ if a.starts_with("--") => false,
            _ => {
                files.push(PathBuf::from(a));
                i += 1;
                continue;
            }
        };
        if !ok {
            return usage();
        }
        i += 2;
    }
    let (Some(out), [train_path, valid_path]) = (out, files.as_slice()) else {
        return usage();
    };
    let t0 = Instant::now();
    let (train_set, valid_set) = match (read_conll(train_path), read_conll(valid_path)) {
        (Ok(t), Ok(v)) => (t, v),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("cannot read training data: {e}");
            return ExitCode::FAILURE;
        }
    };
    eprintln!(
        "train: {} sentences, valid: {} sentences; bits={} epochs={} seed={} caps={} runs={} select-on-caps={}",
        train_set.len(),
        valid_set.len(),
        cfg.bits,
        cfg.epochs,
        cfg.seed,
        cfg.caps_fraction,
        cfg.runs,
        cfg.select_on_caps
    );
    let model = train(&train_set, &valid_set, &cfg, |r| {
        let caps = r
            .valid_caps_f1
            .map(|c| format!(", upper-cased valid {c:.4}"))
            .unwrap_or_default();
        eprintln!(
            "seed {} epoch {:2}: {:5} sentences with mistakes, valid F1 (PER/ORG/LOC) {:.4}{caps}  [{:.1}s]",
            r.run,
            r.epoch,
            r.mistakes,
            r.valid_f1,
            t0.elapsed().as_secs_f64()
        );
    });
    let bytes = model.to_bytes();
    if let Err(e) = std::fs::write(&out, &bytes) {
        eprintln!("cannot write {}: {e}", out.display());
        return ExitCode::FAILURE;
    }
    eprintln!(
        "wrote {} ({} bytes) in {:.1}s",
        out.display(),
        bytes.len(),
        t0.elapsed().as_secs_f64()
    );
    ExitCode::SUCCESS
}
