//! Cross-article alias map: the canonical spelling the index uses for common country and
//! organisation names, whatever variant an article or a user writes.
//!
//! Choices: countries use their usual short English name ("United States", "United Kingdom",
//! "Soviet Union", "West Germany"); organisations use the form news writes most: the acronym
//! where that is how the body is known (NATO, OPEC, IMF, GATT, OECD), the full name otherwise
//! ("European Union", "European Community", "United Nations", "World Bank"). The European
//! Community (EC, before 1993) and the European Union (EU) are kept apart.
//! Lookup ignores case, dots, extra spaces and a leading "the", so "U.S.", "us", "USA" and
//! "the United States" all map to "United States".

use super::tags::TagType;
use super::words::{alias_key, FastMap};
use std::sync::OnceLock;

/// (canonical name, variants). The canonical name is also a variant of itself.
pub(crate) const TABLE: &[(&str, TagType, &[&str])] = &[
    (
        "United States",
        TagType::Loc,
        &[
            "US",
            "U.S.",
            "USA",
            "U.S.A.",
            "United States of America",
            "United States",
        ],
    ),
    (
        "United Kingdom",
        TagType::Loc,
        &[
            "UK",
            "U.K.",
            "Britain",
            "Great Britain",
            "United Kingdom",
            "United Kingdom of Great Britain and Northern Ireland",
        ],
    ),
    (
        "European Union",
        TagType::Org,
        &["EU", "E.U.", "European Union"],
    ),
    (
        "European Community",
        TagType::Org,
        &[
            "EC",
            "E.C.",
            "EEC",
            "E.E.C.",
            "European Community",
            "European Communities",
            "European Economic Community",
        ],
    ),
    (
        "United Nations",
        TagType::Org,
        &[
            "UN",
            "U.N.",
            "United Nations",
            "United Nations Organization",
        ],
    ),
    (
        "Soviet Union",
        TagType::Loc,
        &[
            "USSR",
            "U.S.S.R.",
            "Soviet Union",
            "Union of Soviet Socialist Republics",
        ],
    ),
    (
        "United Arab Emirates",
        TagType::Loc,
        &["UAE", "U.A.E.", "United Arab Emirates", "Emirates"],
    ),
    (
        "West Germany",
        TagType::Loc,
        &[
            "W. Germany",
            "West Germany",
            "Federal Republic of Germany",
            "FRG",
        ],
    ),
    (
        "East Germany",
        TagType::Loc,
        &[
            "E. Germany",
            "East Germany",
            "German Democratic Republic",
            "GDR",
        ],
    ),
    (
        "South Korea",
        TagType::Loc,
        &["S. Korea", "South Korea", "Republic of Korea", "ROK"],
    ),
    (
        "North Korea",
        TagType::Loc,
        &[
            "N. Korea",
            "North Korea",
            "DPRK",
            "Democratic People's Republic of Korea",
        ],
    ),
    (
        "China",
        TagType::Loc,
        &["China", "PRC", "People's Republic of China"],
    ),
    ("New Zealand", TagType::Loc, &["NZ", "N.Z.", "New Zealand"]),
    ("Netherlands", TagType::Loc, &["Netherlands", "Holland"]),
    (
        "Ivory Coast",
        TagType::Loc,
        &["Ivory Coast", "Cote d'Ivoire", "C\u{f4}te d'Ivoire"],
    ),
    ("Russia", TagType::Loc, &["Russia", "Russian Federation"]),
    (
        "Czech Republic",
        TagType::Loc,
        &["Czech Republic", "Czechia"],
    ),
    (
        "NATO",
        TagType::Org,
        &[
            "NATO",
            "N.A.T.O.",
            "North Atlantic Treaty Organization",
            "North Atlantic Treaty Organisation",
        ],
    ),
    (
        "OPEC",
        TagType::Org,
        &[
            "OPEC",
            "Organization of Petroleum Exporting Countries",
            "Organisation of Petroleum Exporting Countries",
        ],
    ),
    (
        "OAPEC",
        TagType::Org,
        &[
            "OAPEC",
            "Organization of Arab Petroleum Exporting Countries",
            "Organisation of Arab Petroleum Exporting Countries",
        ],
    ),
    (
        "IMF",
        TagType::Org,
        &["IMF", "I.M.F.", "International Monetary Fund"],
    ),
    (
        "GATT",
        TagType::Org,
        &["GATT", "General Agreement on Tariffs and Trade"],
    ),
    (
        "OECD",
        TagType::Org,
        &[
            "OECD",
            "Organisation for Economic Co-operation and Development",
            "Organization for Economic Cooperation and Development",
            "Organisation for Economic Cooperation and Development",
            "Organization for Economic Co-operation and Development",
            "Organisation of Economic Co-operation and Development",
            "Organisation of Economic Cooperation and Development",
            "Organization of Economic Cooperation and Development",
        ],
    ),
    (
        "WTO",
        TagType::Org,
        &[
            "WTO",
            "World Trade Organization",
            "World Trade Organisation",
        ],
    ),
    (
        "World Bank",
        TagType::Org,
        &[
            "World Bank",
            "International Bank for Reconstruction and Development",
            "IBRD",
        ],
    ),
    (
        "UNCTAD",
        TagType::Org,
        &[
            "UNCTAD",
            "United Nations Conference on Trade and Development",
            "U.N. Conference on Trade and Development",
            "UN Conference on Trade and Development",
        ],
    ),
    (
        "ASEAN",
        TagType::Org,
        &[
            "ASEAN",
            "Association of South East Asian Nations",
            "Association of Southeast Asian Nations",
        ],
    ),
    (
        "Federal Reserve",
        TagType::Org,
        &[
            "Fed",
            "Federal Reserve",
            "Federal Reserve Board",
            "Federal Reserve System",
            "U.S. Federal Reserve",
        ],
    ),
    (
        "European Investment Bank",
        TagType::Org,
        &["EIB", "European Investment Bank"],
    ),
    (
        "Bank for International Settlements",
        TagType::Org,
        &["BIS", "Bank for International Settlements"],
    ),
    (
        "International Energy Agency",
        TagType::Org,
        &["IEA", "International Energy Agency"],
    ),
    (
        "Food and Agriculture Organization",
        TagType::Org,
        &[
            "FAO",
            "Food and Agriculture Organization",
            "Food and Agriculture Organisation",
            "Food and Agricultural Organization",
            "Food and Agricultural Organisation",
        ],
    ),
    (
        "International Coffee Organization",
        TagType::Org,
        &[
            "ICO",
            "International Coffee Organization",
            "International Coffee Organisation",
        ],
    ),
    (
        "International Cocoa Organization",
        TagType::Org,
        &[
            "ICCO",
            "International Cocoa Organization",
            "International Cocoa Organisation",
        ],
    ),
    (
        "European Free Trade Association",
        TagType::Org,
        &["EFTA", "European Free Trade Association"],
    ),
    (
        "Gulf Cooperation Council",
        TagType::Org,
        &[
            "GCC",
            "Gulf Cooperation Council",
            "Gulf Co-operation Council",
        ],
    ),
    (
        "Comecon",
        TagType::Org,
        &["Comecon", "CMEA", "Council for Mutual Economic Assistance"],
    ),
];

type AliasMap = FastMap<String, &'static str>;

fn map() -> &'static AliasMap {
    static MAP: OnceLock<AliasMap> = OnceLock::new();
    MAP.get_or_init(|| {
        let mut m = AliasMap::default();
        for (canon, _, variants) in TABLE {
            m.insert(alias_key(canon), *canon);
            for v in *variants {
                m.insert(alias_key(v), *canon);
            }
        }
        m
    })
}

/// Canonical name for an alias key (see [`alias_key`]).
pub(crate) fn canonical_for_key(key: &str) -> Option<&'static str> {
    map().get(key).copied()
}

/// Canonical spelling of `name` in the index (see the module docs for the choices);
/// `name` trimmed when it has no alias.
pub fn canonical_alias(name: &str) -> &str {
    let trimmed = name.trim();
    if trimmed.is_empty() || trimmed.len() > 120 {
        return trimmed;
    }
    map().get(&alias_key(trimmed)).copied().unwrap_or(trimmed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn countries() {
        for v in [
            "U.S.",
            "US",
            "USA",
            "us",
            "United States of America",
            "the United States",
            " U.S.A. ",
        ] {
            assert_eq!(canonical_alias(v), "United States", "{v}");
        }
        for v in ["UK", "U.K.", "Britain", "Great Britain"] {
            assert_eq!(canonical_alias(v), "United Kingdom", "{v}");
        }
        assert_eq!(canonical_alias("W. Germany"), "West Germany");
        assert_eq!(canonical_alias("U.S.S.R."), "Soviet Union");
    }

    #[test]
    fn organisations() {
        assert_eq!(canonical_alias("EU"), "European Union");
        assert_eq!(canonical_alias("European Union"), "European Union");
        assert_eq!(canonical_alias("E.C."), "European Community");
        assert_eq!(canonical_alias("International Monetary Fund"), "IMF");
        assert_eq!(
            canonical_alias("North Atlantic Treaty Organization"),
            "NATO"
        );
    }

    #[test]
    fn unknown_names_are_trimmed() {
        assert_eq!(canonical_alias("  Pete Hegseth "), "Pete Hegseth");
        assert_eq!(canonical_alias(""), "");
        assert_eq!(canonical_alias("Brussels"), "Brussels");
    }
}
