//! Entity spans of a sentence: token ranges with an entity type, as read from the tagger's
//! IOB2 labels and then repaired.

use super::tags::{Tag, TagType};

/// A span of a sentence: a token range and its type, and for gazetteer names found inside
/// another span or inside a hyphenated word, the canonical name to use instead of the tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Span {
    pub(crate) start: usize,
    /// Exclusive.
    pub(crate) end: usize,
    pub(crate) kind: TagType,
    pub(crate) canonical: Option<&'static str>,
}

impl Span {
    /// Tokens `start..end`, named by their own words.
    pub(crate) fn new(start: usize, end: usize, kind: TagType) -> Span {
        Span {
            start,
            end,
            kind,
            canonical: None,
        }
    }

    /// True when the span has no token left.
    pub(crate) fn is_empty(&self) -> bool {
        self.start >= self.end
    }

    /// True when token `i` is in the span.
    pub(crate) fn contains(&self, i: usize) -> bool {
        self.start <= i && i < self.end
    }

    /// True when the span holds all of tokens `from..to`.
    pub(crate) fn covers(&self, from: usize, to: usize) -> bool {
        self.start <= from && to <= self.end
    }

    /// True when the span shares a token with `from..to`.
    pub(crate) fn overlaps(&self, from: usize, to: usize) -> bool {
        from < self.end && self.start < to
    }
}

/// Appends the entity spans of an IOB2 label sequence to `out`. A stray `I-X` (after `O` or
/// another type) opens a new span, as in the conlleval script.
pub(crate) fn collect_spans(tags: impl IntoIterator<Item = Tag>, out: &mut Vec<Span>) {
    let mut open: Option<(usize, TagType)> = None;
    let mut len = 0;
    for (i, tag) in tags.into_iter().enumerate() {
        len = i + 1;
        let (begins, kind) = match tag {
            Tag::O => (true, None),
            Tag::B(t) => (true, Some(t)),
            Tag::I(t) => (open.is_none_or(|(_, p)| p != t), Some(t)),
        };
        if begins {
            if let Some((start, t)) = open.take() {
                out.push(Span::new(start, i, t));
            }
            open = kind.map(|t| (i, t));
        }
    }
    if let Some((start, t)) = open {
        out.push(Span::new(start, len, t));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_of_labels() {
        let tags = [
            Tag::B(TagType::Per),
            Tag::I(TagType::Per),
            Tag::O,
            Tag::I(TagType::Loc),
            Tag::B(TagType::Org),
            Tag::I(TagType::Misc),
        ];
        let mut spans = Vec::new();
        collect_spans(tags, &mut spans);
        assert_eq!(
            spans,
            [
                Span::new(0, 2, TagType::Per),
                Span::new(3, 4, TagType::Loc),
                Span::new(4, 5, TagType::Org),
                Span::new(5, 6, TagType::Misc),
            ]
        );
        let s = spans[0];
        assert!(s.contains(1) && !s.contains(2));
        assert!(s.covers(0, 2) && !s.covers(1, 3));
        assert!(s.overlaps(1, 3) && !s.overlaps(2, 3));
        assert!(!s.is_empty() && Span::new(2, 2, TagType::Per).is_empty());
    }
}
