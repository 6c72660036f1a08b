//! Named entities (people, organisations, places) found in article text.

use std::borrow::Cow;
use std::sync::OnceLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EntityKind {
    Person,
    Org,
    Place,
}

impl EntityKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Person => "person",
            EntityKind::Org => "org",
            EntityKind::Place => "place",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text.to_ascii_lowercase().as_str() {
            "person" => Some(EntityKind::Person),
            "org" => Some(EntityKind::Org),
            "place" => Some(EntityKind::Place),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Entity {
    pub name: String,
    pub kind: EntityKind,
}

pub struct Extractor;

const PLACES: &[&str] = &[
    "Brussels",
    "Ukraine",
    "Russia",
    "Germany",
    "London",
    "Washington",
    "Moscow",
    "Europe",
    "United States",
    "United Kingdom",
];

impl Extractor {
    pub fn shared() -> &'static Extractor {
        static SHARED: OnceLock<Extractor> = OnceLock::new();
        SHARED.get_or_init(|| Extractor)
    }

    pub fn extract(&self, title: &str, body: &str) -> Vec<Entity> {
        let mut found: Vec<Entity> = Vec::new();
        for sentence in title.split(". ").chain(body.split(['.', '\n'])) {
            let words: Vec<&str> = sentence.split_whitespace().collect();
            let mut i = 1;
            while i < words.len() {
                let is_cap = |w: &str| {
                    w.chars().next().is_some_and(char::is_uppercase)
                        && w.chars().any(char::is_lowercase)
                };
                if is_cap(words[i]) {
                    let start = i;
                    while i < words.len() && is_cap(words[i]) {
                        i += 1;
                    }
                    let name: String = words[start..i]
                        .join(" ")
                        .trim_matches(|c: char| !c.is_alphanumeric())
                        .to_string();
                    let kind = if PLACES.contains(&name.as_str()) {
                        EntityKind::Place
                    } else if i - start >= 2 {
                        EntityKind::Person
                    } else {
                        EntityKind::Org
                    };
                    let name = canonical_alias(&name).into_owned();
                    if !name.is_empty() && !found.iter().any(|e| e.name == name) {
                        found.push(Entity { name, kind });
                    }
                } else {
                    i += 1;
                }
            }
        }
        found
    }
}

pub fn canonical_alias(name: &str) -> Cow<'_, str> {
    match name.trim() {
        "US" | "U.S." | "USA" => Cow::Borrowed("United States"),
        "UK" | "U.K." => Cow::Borrowed("United Kingdom"),
        "EU" => Cow::Borrowed("European Union"),
        other => Cow::Borrowed(other),
    }
}
