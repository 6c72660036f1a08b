//! Named-entity extraction for news articles: the public API (entity kinds, the shared
//! extractor, the alias map) used by ingest and by `--entity` filters.
//!
//! The tagger is an averaged structured perceptron over hashed features with Viterbi decoding
//! (see `NER.md`), trained on CoNLL-2003 and embedded in the binary. Training and the CoNLL
//! reader are built only with the `train` feature.
//!
//! Files, from the bottom up (each uses only files listed before it): `words` (word keys,
//! hashes, the word pre-check), `tags`, `span`, `entity`, `rng`, `tokenize`, `lexicon`,
//! `features`, `word_cache`, `viterbi`, `model`, `aliases`, `gazetteer`, `word_lists` (given
//! names, surnames, ordinary words), `truecase`, `canonical`, `demonyms`, `rules`,
//! `institutions`, `growth`, `extractor`, then `perceptron` and `conll` (training).

mod aliases;
mod canonical;
#[cfg(feature = "train")]
pub mod conll;
mod demonyms;
mod entity;
mod extractor;
mod features;
mod gazetteer;
mod growth;
mod institutions;
mod lexicon;
mod model;
#[cfg(feature = "train")]
pub mod perceptron;
#[cfg(any(test, feature = "train"))]
mod rng;
mod rules;
mod span;
mod tags;
mod tokenize;
mod truecase;
mod viterbi;
mod word_cache;
mod word_lists;
mod words;

pub use aliases::canonical_alias;
pub use demonyms::country_of_demonym;
pub use entity::{Entity, EntityKind};
pub use extractor::{token_count, Extractor};
pub use model::{Model, ModelError};
pub use tags::{Tag, TagType};
