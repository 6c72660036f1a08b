//! What extraction returns: an entity of an article and its kind.

use super::tags::TagType;

/// Kind of entity returned by `Extractor::extract`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EntityKind {
    Person,
    Org,
    Place,
}

impl EntityKind {
    /// "person", "org" or "place".
    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Person => "person",
            EntityKind::Org => "org",
            EntityKind::Place => "place",
        }
    }

    /// Parses "person", "org" or "place" (any case, surrounding spaces ignored).
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        [EntityKind::Person, EntityKind::Org, EntityKind::Place]
            .into_iter()
            .find(|k| k.as_str().eq_ignore_ascii_case(s))
    }

    /// The kind of a tag type; MISC is no kind of entity that extraction returns.
    pub(crate) fn from_tag_type(t: TagType) -> Option<Self> {
        match t {
            TagType::Per => Some(EntityKind::Person),
            TagType::Org => Some(EntityKind::Org),
            TagType::Loc => Some(EntityKind::Place),
            TagType::Misc => None,
        }
    }
}

/// An entity of one article, under its canonical name.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Entity {
    pub name: String,
    pub kind: EntityKind,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_parse() {
        assert_eq!(EntityKind::parse(" PERSON "), Some(EntityKind::Person));
        assert_eq!(EntityKind::parse("Org"), Some(EntityKind::Org));
        assert_eq!(EntityKind::parse("place"), Some(EntityKind::Place));
        assert_eq!(EntityKind::parse("misc"), None);
        assert_eq!(EntityKind::Place.as_str(), "place");
        assert_eq!(EntityKind::from_tag_type(TagType::Misc), None);
    }
}
