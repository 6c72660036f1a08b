//! IOB2 tag set (O plus B-/I- over PER, ORG, LOC, MISC) and the transition rules between tags.

use std::fmt;

/// Number of IOB2 labels: `O` plus begin/inside for each of the four CoNLL types.
pub const NUM_LABELS: usize = 9;

/// Entity type of the CoNLL-2003 tag set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TagType {
    Per,
    Org,
    Loc,
    Misc,
}

impl TagType {
    /// All four types in label order.
    pub const ALL: [TagType; 4] = [TagType::Per, TagType::Org, TagType::Loc, TagType::Misc];

    /// CoNLL spelling: "PER", "ORG", "LOC", "MISC".
    pub fn as_str(self) -> &'static str {
        match self {
            TagType::Per => "PER",
            TagType::Org => "ORG",
            TagType::Loc => "LOC",
            TagType::Misc => "MISC",
        }
    }

    fn index(self) -> usize {
        match self {
            TagType::Per => 0,
            TagType::Org => 1,
            TagType::Loc => 2,
            TagType::Misc => 3,
        }
    }
}

/// One IOB2 label. `Display` prints the CoNLL spelling (`O`, `B-PER`, `I-LOC`, ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tag {
    O,
    B(TagType),
    I(TagType),
}

impl Tag {
    /// Label index used by the model (0 = O, then B/I pairs in PER, ORG, LOC, MISC order).
    pub fn index(self) -> usize {
        match self {
            Tag::O => 0,
            Tag::B(t) => 1 + 2 * t.index(),
            Tag::I(t) => 2 + 2 * t.index(),
        }
    }

    /// Inverse of [`Tag::index`]; indices out of range map to `O`.
    pub fn from_index(i: usize) -> Tag {
        if i == 0 || i >= NUM_LABELS {
            return Tag::O;
        }
        let t = TagType::ALL[(i - 1) / 2];
        if i % 2 == 1 {
            Tag::B(t)
        } else {
            Tag::I(t)
        }
    }

    /// Parses a CoNLL tag (`O`, `B-PER`, `I-ORG`, ...). IOB1-style bare types are not accepted.
    pub fn parse(s: &str) -> Option<Tag> {
        let s = s.trim();
        if s == "O" {
            return Some(Tag::O);
        }
        let (prefix, ty) = s.split_once('-')?;
        let ty = match ty {
            "PER" => TagType::Per,
            "ORG" => TagType::Org,
            "LOC" => TagType::Loc,
            "MISC" => TagType::Misc,
            _ => return None,
        };
        match prefix {
            "B" => Some(Tag::B(ty)),
            "I" => Some(Tag::I(ty)),
            _ => None,
        }
    }

    /// Entity type of a B-/I- tag.
    pub fn entity_type(self) -> Option<TagType> {
        match self {
            Tag::O => None,
            Tag::B(t) | Tag::I(t) => Some(t),
        }
    }
}

impl fmt::Display for Tag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Tag::O => f.write_str("O"),
            Tag::B(t) => write!(f, "B-{}", t.as_str()),
            Tag::I(t) => write!(f, "I-{}", t.as_str()),
        }
    }
}

/// IOB2 validity of label `cur` following label `prev` (`None` = sentence start):
/// an `I-X` may only follow `B-X` or `I-X`.
pub fn allowed(prev: Option<usize>, cur: usize) -> bool {
    match Tag::from_index(cur) {
        Tag::I(t) => match prev.map(Tag::from_index) {
            Some(Tag::B(p)) | Some(Tag::I(p)) => p == t,
            _ => false,
        },
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_roundtrip_and_display() {
        for i in 0..NUM_LABELS {
            let t = Tag::from_index(i);
            assert_eq!(t.index(), i);
            assert_eq!(Tag::parse(&t.to_string()), Some(t));
        }
        assert_eq!(Tag::parse("B-XYZ"), None);
        assert_eq!(Tag::from_index(99), Tag::O);
    }

    #[test]
    fn transitions() {
        let b_per = Tag::B(TagType::Per).index();
        let i_per = Tag::I(TagType::Per).index();
        let i_org = Tag::I(TagType::Org).index();
        assert!(allowed(Some(b_per), i_per));
        assert!(!allowed(Some(b_per), i_org));
        assert!(!allowed(None, i_per));
        assert!(!allowed(Some(0), i_per));
    }
}
