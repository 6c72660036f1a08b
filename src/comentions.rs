//! Who appears with whom: the entities that articles mentioning a name mention more often than
//! the other matching articles do.
//!
//! For each entity E co-mentioned with NAME among the matching articles, the table is: articles
//! with NAME that mention E, against articles without NAME that mention E, scored by the signed
//! G² of [`crate::significance`]. Positive is a real association (E comes with NAME more than
//! it comes alone), near 0 an entity that is everywhere anyway, negative one that NAME's
//! articles mention less than others. Unlike pointwise mutual information, G² does not put a
//! name seen once together first, so no minimum count is needed.

use crate::entities::{canonical_alias, Entity, EntityKind};
use crate::error::Result;
use crate::query::Filter;
use crate::search::Archive;
use crate::significance::signed_g2;

/// An entity mentioned in the same articles as the name asked about.
#[derive(Debug, Clone, PartialEq)]
pub struct CoMention {
    pub entity: Entity,
    /// Matching articles that mention both.
    pub count: u64,
    pub score: f64,
}

/// The answer of [`Archive::co_mentions`].
#[derive(Debug, Clone, PartialEq)]
pub struct CoMentions {
    /// Matching articles that mention the name.
    pub documents: usize,
    /// Their stories, when stories are counted instead of articles.
    pub stories: Option<usize>,
    pub found: Vec<CoMention>,
}

impl Archive {
    /// Among the articles of `filter`, those mentioning `name` (as `--entity` matches it), and
    /// the entities of `kind` they mention, strongest association first (ties by count, then
    /// name), at most `limit`. Also the number of articles mentioning `name`, and with
    /// `unique` the number of their stories: every count is then of stories, not articles.
    pub fn co_mentions(
        &self,
        filter: &Filter,
        name: &str,
        kind: Option<EntityKind>,
        limit: usize,
        unique: bool,
    ) -> Result<CoMentions> {
        let (matching, stories, everywhere) = self.entity_counts(filter, unique)?;
        let matching = stories.unwrap_or(matching);
        let mut with_name = filter.clone();
        with_name.entities.push(name.to_string());
        let (documents, stories, co_counts) = self.entity_counts(&with_name, unique)?;
        let together = stories.unwrap_or(documents);
        let key = canonical_alias(name.trim()).to_lowercase();
        let apart = matching.saturating_sub(together) as u64;
        let mut found: Vec<CoMention> = co_counts
            .into_iter()
            .filter(|(entity, _)| kind.is_none_or(|kind| entity.kind == kind))
            .filter(|(entity, _)| entity.name.to_lowercase() != key)
            .map(|(entity, count)| {
                let alone = everywhere
                    .get(&entity)
                    .copied()
                    .unwrap_or(count)
                    .saturating_sub(count);
                CoMention {
                    score: signed_g2(count, together as u64, alone, apart),
                    entity,
                    count,
                }
            })
            .collect();
        found.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then_with(|| b.count.cmp(&a.count))
                .then_with(|| a.entity.name.cmp(&b.entity.name))
                .then_with(|| a.entity.kind.cmp(&b.entity.kind))
        });
        found.truncate(limit);
        Ok(CoMentions {
            documents,
            stories,
            found,
        })
    }
}
