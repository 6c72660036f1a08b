//! Article-level entity resolution: joins the mentions of one article into entities with one
//! canonical name each (surname to full name, acronym to long form, alias map), picks the
//! type by majority vote, and keeps the order of first appearance.

use super::aliases::canonical_for_key;
use super::gazetteer::gazetteer;
use super::tags::TagType;
use super::word_lists::is_common_surname;
use super::words::{alias_key, alias_key_of_words, ci_hash, eq_ignore_case, FastMap as HashMap};

/// One tagged span in an article.
#[derive(Debug, Clone)]
pub struct Mention {
    /// Words of the span, already true-cased when the span came from an ALL-CAPS sentence.
    pub words: Vec<String>,
    pub kind: TagType,
    /// Read in an ALL-CAPS sentence (a wire headline), so true-cased.
    pub from_caps: bool,
}

/// A resolved entity: canonical display name and type (never MISC).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    pub name: String,
    pub kind: TagType,
}

/// Last words that make a multi-word "person" span a place ("Easter Island").
pub(crate) const PLACE_HEADS: &[&str] = &[
    "island",
    "islands",
    "river",
    "lake",
    "sea",
    "ocean",
    "bay",
    "gulf",
    "mountains",
    "mount",
    "valley",
    "coast",
    "peninsula",
    "strait",
    "canal",
    "desert",
    "province",
    "county",
    "city",
    "street",
    "avenue",
    "square",
    "airport",
    "harbour",
    "harbor",
    "park",
    "boulevard",
    "road",
    "oblast",
    "krai",
    "prefecture",
    "governorate",
    "township",
];

/// Last words that make a multi-word organisation span a place ("Middlesex County").
const PLACE_ONLY_HEADS: &[&str] = &[
    "county",
    "province",
    "island",
    "islands",
    "river",
    "lake",
    "valley",
    "peninsula",
    "strait",
    "desert",
    "mountains",
    "falls",
    "heights",
    "estuary",
    "oblast",
    "krai",
    "prefecture",
    "governorate",
    "township",
];

/// Last words of buildings, prizes and the like, which may carry a family's name ("Trump
/// Tower", "Nobel Prize") without being a person.
const FACILITY_HEADS: &[&str] = &[
    "tower",
    "towers",
    "hotel",
    "building",
    "hall",
    "house",
    "center",
    "centre",
    "stadium",
    "arena",
    "plaza",
    "bridge",
    "tunnel",
    "station",
    "castle",
    "palace",
    "church",
    "cathedral",
    "mosque",
    "temple",
    "museum",
    "library",
    "school",
    "prize",
    "award",
    "cup",
    "trust",
    "estate",
    "farm",
    "mall",
];

/// Last words that make a multi-word "person" span an organisation ("Fox News").
pub(crate) const ORG_HEADS: &[&str] = &[
    "news",
    "times",
    "post",
    "journal",
    "university",
    "college",
    "bank",
    "corp",
    "corp.",
    "inc",
    "inc.",
    "ltd",
    "ltd.",
    "co.",
    "plc",
    "group",
    "party",
    "council",
    "ministry",
    "agency",
    "association",
    "commission",
    "committee",
    "company",
    "institute",
    "foundation",
    "airlines",
    "airways",
    "federation",
    "union",
    "department",
    "office",
    "organisation",
    "organization",
    "court",
    "fund",
    "exchange",
    "press",
    "presse",
    "magazine",
    "network",
    "radio",
    "television",
    "broadcasting",
    "hospital",
    "pharmaceuticals",
    "pharma",
    "police",
    "laboratory",
    "laboratories",
    "clinic",
    "society",
    "authority",
    "administration",
    "bureau",
    "academy",
    "school",
    "trust",
    "service",
    "services",
    "corporation",
];

/// Last words that make a multi-word place or MISC span an organisation: words that end
/// organisation names and never place names ("Bank", "Union" and "Court" can end places:
/// "West Bank", "Soviet Union", "Earls Court").
pub(crate) const ORG_ONLY_HEADS: &[&str] = &[
    "hospital",
    "university",
    "college",
    "institute",
    "ministry",
    "department",
    "party",
    "news",
    "pharmaceuticals",
    "pharma",
    "inc",
    "inc.",
    "corp",
    "corp.",
    "ltd",
    "ltd.",
    "plc",
    "llc",
    "foundation",
    "association",
    "commission",
    "committee",
    "council",
    "agency",
    "police",
    "laboratory",
    "laboratories",
    "clinic",
    "airlines",
    "airways",
    "times",
    "journal",
    "magazine",
    "press",
    "radio",
    "television",
    "network",
    "society",
    "authority",
    "bureau",
    "federation",
    "organisation",
    "organization",
    "institution",
    "corporation",
    "group",
    // Companies named by their trade: "Massey Energy", "Abu Dhabi Media".
    "construction",
    "energy",
    "holdings",
    "industries",
    "media",
    "motors",
    "technologies",
];

/// Last words that make a multi-word span a document, law or event (MISC, not reported):
/// "Alabama Human Life Protection Act", "US Constitution".
pub(crate) const MISC_HEADS: &[&str] = &[
    "act",
    "acts",
    "constitution",
    "treaty",
    "accord",
    "accords",
    "amendment",
    "bill",
    "doctrine",
    "election",
    "elections",
    "referendum",
    "war",
    "olympics",
    "pandemic",
    // Agreements and laws: "the Paris Agreement", "the Green New Deal", "Texas Election Law".
    "agreement",
    "deal",
    "law",
    // Diseases: "Multiple Sclerosis", "Lyme Disease".
    "disease",
    "fever",
    "sclerosis",
    "syndrome",
    // Events: "the Chicago Marathon", "the California Primary", "the Iran Hostage Crisis".
    "championship",
    "championships",
    "crisis",
    "fellowship",
    "marathon",
    "primaries",
    "primary",
    // Products named by their kind: "CentOS Linux", "the James Webb Telescope".
    "linux",
    "telescope",
];

/// Last words that make a "person" an organisation, beside [`ORG_HEADS`]; unlike those, they do
/// not cut a run of capitalised words (`rules.rs`): "Northern Arapaho Tribe", "Lok Sabha",
/// "Marvel Studios", "Samoa Observer", "William Lloyd Garrison Center", "Mahan Air".
const MORE_ORG_HEADS: &[&str] = &[
    "air", "center", "centre", "observer", "sabha", "studios", "tribe", "tribes",
];

/// First words of a place's name before "of" ("Strait of Hormuz").
const PLACES_OF: &[&str] = &[
    "Bay", "Cape", "Gulf", "Isle", "Kingdom", "Lake", "Republic", "Sea", "State", "Strait",
];

/// Words of an award's name after its first ("Nobel Prize", "Medal of Freedom"); an
/// organisation head at the end makes it the body that gives it ("Pulitzer Prize Board").
const AWARD_WORDS: &[&str] = &["Award", "Awards", "Medal", "Medals", "Prize", "Prizes"];

/// First words of a storm's name: a storm is no person ("Hurricane Barry", "Typhoon Haiyan").
const STORM_WORDS: &[&str] = &["Cyclone", "Hurricane", "Storm", "Typhoon"];

/// True for a storm's name of two or more words ("Hurricane Barry", "Tropical Storm Barry").
fn is_storm(words: &[String]) -> bool {
    match words {
        [first, second, ..] => {
            STORM_WORDS.contains(&first.as_str())
                || (first == "Tropical" && matches!(second.as_str(), "Storm" | "Depression"))
        }
        _ => false,
    }
}

/// Last words of places built or run by people that never end a person's name: a "person"
/// ending in one is a place ("Cielo Vista Mall"). Words that are also surnames (Hall, House,
/// Church, Temple, Bridge) are left out.
const BUILDING_HEADS: &[&str] = &[
    "mall",
    "tower",
    "towers",
    "hotel",
    "stadium",
    "arena",
    "plaza",
    "tunnel",
    "cathedral",
    "mosque",
    "museum",
    "airport",
    "palace",
    "castle",
];

/// Legal-form suffixes left out of organisation names ("Chrysler Corp" is "Chrysler").
pub(crate) const ORG_SUFFIXES: &[&str] = &[
    "inc",
    "inc.",
    "corp",
    "corp.",
    "co",
    "co.",
    "cos",
    "cos.",
    "ltd",
    "ltd.",
    "plc",
    "llc",
    "ag",
    "sa",
    "s.a.",
    "nv",
    "n.v.",
    "b.v.",
    "gmbh",
    "s.p.a.",
    "oyj",
    "corporation",
    "incorporated",
    "limited",
];

/// Drops legal-form suffixes (and punctuation left before them, as a word or against the word)
/// from an organisation name, keeping at least one word.
fn strip_org_suffix(words: &mut Vec<String>) {
    while words.len() > 1
        && words.last().is_some_and(|w| {
            ORG_SUFFIXES.iter().any(|s| s.eq_ignore_ascii_case(w))
                || !w.chars().any(char::is_alphanumeric)
        })
    {
        words.pop();
    }
    // A comma written against the word before a suffix ("Management, Inc.").
    if let Some(last) = words.last_mut().filter(|w| w.ends_with(',')) {
        last.pop();
    }
}

/// Forms of address written before a person's name ("Mr Tong", "Dr. Fauci", "Cde Mugabe");
/// not part of it.
const HONORIFICS: &[&str] = &[
    "mr", "mr.", "mrs", "mrs.", "ms", "ms.", "dr", "dr.", "mx", "mx.", "comrade", "cde", "cde.",
];

/// Drops a leading form of address from a person's name of two or more words.
fn strip_honorific(words: &mut Vec<String>) {
    if words.len() >= 2 && HONORIFICS.iter().any(|h| h.eq_ignore_ascii_case(&words[0])) {
        words.remove(0);
    }
}

/// Faiths, their followers and their gods, and peoples of no one country: names, but of no
/// person, organisation or place (MISC, as CoNLL-2003 tags "Moslem"), whatever type the
/// model gave them.
const GROUP_WORDS: &[&str] = &[
    "allah",
    "anglican",
    "anglicans",
    "arab",
    "arabs",
    "atheist",
    "atheists",
    "baptist",
    "baptists",
    "buddhist",
    "buddhists",
    "catholic",
    "catholics",
    "christendom",
    "christian",
    "christianity",
    "christians",
    "evangelical",
    "evangelicals",
    "god",
    "gods",
    "hindu",
    "hindus",
    "hispanic",
    "hispanics",
    "islam",
    "jew",
    "jewish",
    "jews",
    "latina",
    "latinas",
    "latino",
    "latinos",
    "latinx",
    "lutheran",
    "lutherans",
    "methodist",
    "methodists",
    "mormon",
    "mormons",
    "moslem",
    "moslems",
    "muslim",
    "muslims",
    "protestant",
    "protestants",
    "shia",
    "shiite",
    "shiites",
    "sikh",
    "sikhs",
    "sunni",
    "sunnis",
];

/// Names of things that are no person, organisation or place, though the model, trained on
/// wire copy of the 1990s, reads them as one: diseases and the viruses behind them ("Covid",
/// "Ebola"), initialisms of common nouns ("DNA", "CEO"), the network, and coinages of today's
/// news for a policy, a movement or an event ("Obamacare", "QAnon", "Brexit"), and holidays
/// ("Halloween", "Ramadan"). MISC, whatever type the model gave them. Plurals of initialisms
/// ("UFOs") are left to [`plural_initialism`]. Sorted: looked up by binary search, for every
/// one-word name.
const THING_WORDS: &[&str] = &[
    "adhd",
    "aids",
    "api",
    "atm",
    "brexit",
    "cbd",
    "ceo",
    "cfo",
    "christmas",
    "co2",
    "coo",
    "coronavirus",
    "covid",
    "covid-19",
    "cpu",
    "cto",
    "diwali",
    "diy",
    "dna",
    "dvd",
    "easter",
    "ebola",
    "eez",
    "eid",
    "faq",
    "fgm",
    "gdp",
    "gps",
    "gpu",
    "h1n1",
    "h5n1",
    "halloween",
    "hanukkah",
    "hiv",
    "html",
    "icu",
    "internet",
    "ipo",
    "ivf",
    "lgbt",
    "lgbtq",
    "lng",
    "mers",
    "monkeypox",
    "mpox",
    "mri",
    "mrna",
    "obamacare",
    "passover",
    "pdf",
    "ppe",
    "ptsd",
    "qanon",
    "ramadan",
    "rna",
    "sars",
    "sars-cov",
    "sars-cov-2",
    "sms",
    "suv",
    "thanksgiving",
    "ubi",
    "ufo",
    "url",
    "usb",
    "vpn",
    "zika",
];

/// Orders ASCII names as their lower-case forms.
fn cmp_ignore_ascii_case(a: &str, b: &str) -> std::cmp::Ordering {
    a.bytes()
        .map(|c| c.to_ascii_lowercase())
        .cmp(b.bytes().map(|c| c.to_ascii_lowercase()))
}

/// Heavenly bodies: no place, though the model may read "the Earth" or "the Sun" as one. Only
/// a place or organisation reading is dropped: "Moon" and "Sun" are also surnames ("Moon
/// Jae-in"), "Mars" and "Venus" people's names.
const HEAVENLY_BODIES: &[&str] = &[
    "earth", "jupiter", "mars", "mercury", "moon", "neptune", "pluto", "saturn", "sun", "uranus",
    "venus",
];

/// Latin genitives of the constellations, which end the names of stars ("51 Pegasi", "Alpha
/// Centauri", "AB Aurigae", "VY Canis Majoris"): a star is no person or organisation. Left out
/// are the short ones that are also names or words ("Indi", "Lupi", "Corvi", "Arae", "Caeli").
const STAR_GENITIVES: &[&str] = &[
    "andromedae",
    "antliae",
    "apodis",
    "aquarii",
    "aquilae",
    "arietis",
    "aurigae",
    "bootis",
    "camelopardalis",
    "cancri",
    "capricorni",
    "carinae",
    "cassiopeiae",
    "centauri",
    "cephei",
    "ceti",
    "chamaeleontis",
    "circini",
    "columbae",
    "crateris",
    "crucis",
    "cygni",
    "delphini",
    "doradus",
    "draconis",
    "equulei",
    "eridani",
    "fornacis",
    "geminorum",
    "gruis",
    "herculis",
    "horologii",
    "hydrae",
    "hydri",
    "lacertae",
    "leonis",
    "leporis",
    "librae",
    "lyncis",
    "lyrae",
    "majoris",
    "mensae",
    "microscopii",
    "minoris",
    "monocerotis",
    "muscae",
    "octantis",
    "ophiuchi",
    "orionis",
    "pavonis",
    "pegasi",
    "persei",
    "phoenicis",
    "pictoris",
    "piscium",
    "puppis",
    "pyxidis",
    "reticuli",
    "sagittae",
    "sagittarii",
    "scorpii",
    "sculptoris",
    "scuti",
    "serpentis",
    "sextantis",
    "tauri",
    "telescopii",
    "trianguli",
    "tucanae",
    "velorum",
    "venaticorum",
    "virginis",
    "volantis",
    "vulpeculae",
];

/// True for a capitalised constellation genitive ("Pegasi"), found by binary search as
/// [`THING_WORDS`] are, since every mention's last word is looked up.
fn star_genitive(w: &str) -> bool {
    w.starts_with(|c: char| c.is_ascii_uppercase())
        && STAR_GENITIVES
            .binary_search_by(|g| cmp_ignore_ascii_case(g, w))
            .is_ok()
}

/// First words of the names of mosques, churches and other buildings in languages other than
/// English ("Masjid al-Haram", "Hagia Sophia", "Notre Dame"): such a "person" is a place, and
/// the word alone names no entity.
const BUILDING_FIRST_WORDS: &[&str] = &["Hagia", "Haghia", "Masjid", "Notre"];

/// A one-word name of a faith, its followers or its god, of a people of no one country, or of
/// a doctrine or an attitude ("Marxism", "Zionism", "Islamophobia"): MISC. So are a lone
/// initial ("E."), which names no one, the things of [`THING_WORDS`], and a scandal named after Watergate
/// ("Pizzagate"; not a town such as Margate, nor a surname such as Applegate).
fn misc_word(w: &str) -> bool {
    let mut chars = w.chars();
    if chars.next().is_some_and(char::is_alphabetic) && chars.as_str() == "." {
        return true;
    }
    // Doctrines and attitudes: "Zionism", "Islamophobia".
    let ism = w.len() > 5
        && w.starts_with(|c: char| c.is_uppercase())
        && ["ism", "phobia"].iter().any(|end| {
            w.len() > end.len()
                && w.get(w.len() - end.len()..)
                    .is_some_and(|t| t.eq_ignore_ascii_case(end))
        });
    ism || GROUP_WORDS.iter().any(|b| b.eq_ignore_ascii_case(w))
        || THING_WORDS
            .binary_search_by(|b| cmp_ignore_ascii_case(b, w))
            .is_ok()
        || scandal(w)
        || plural_initialism(w)
}

/// "NGOs", "PCs", "MPs": an initialism in the plural is a common noun's (organisations and
/// places are not counted in the plural), whatever it stands for.
fn plural_initialism(w: &str) -> bool {
    w.strip_suffix('s').is_some_and(|stem| {
        (2..=5).contains(&stem.len()) && stem.bytes().all(|b| b.is_ascii_uppercase())
    })
}

/// "Watergate", "Pizzagate": a capitalised word ending in "gate" that is no gazetteer place and
/// no common surname.
fn scandal(w: &str) -> bool {
    if w.len() < 7
        || !w.is_ascii()
        || !w.starts_with(|c: char| c.is_ascii_uppercase())
        || !w.ends_with("gate")
        || is_common_surname(w)
    {
        return false;
    }
    let key = alias_key(w);
    gazetteer().kind_of_key(&key).is_none() && !gazetteer().weak_place_key(&key)
}

/// Words that name a kind of institution, not one: written alone ("the Commission said",
/// "the University"), they refer to a name of the article that ends in them.
const BARE_HEADS: &[&str] = &[
    "agency",
    "association",
    "authority",
    "bureau",
    "clinic",
    "college",
    "commission",
    "committee",
    "company",
    "corporation",
    "council",
    "court",
    "department",
    "federal",
    "federation",
    "foundation",
    "hospital",
    "institute",
    "institution",
    "laboratory",
    "ministry",
    "organisation",
    "organization",
    "society",
    "university",
];

/// A one-word mention of a bare institution word ("Commission") becomes the one multi-word
/// name of the article that ends in it ("European Commission"), and is dropped when there is
/// none or more than one: it names no institution of its own.
fn bare_heads_join_their_name(mentions: &mut [Mention]) {
    for i in 0..mentions.len() {
        let [w] = mentions[i].words.as_slice() else {
            continue;
        };
        if !BARE_HEADS.iter().any(|h| h.eq_ignore_ascii_case(w)) {
            continue;
        }
        let mut full: Option<&Mention> = None;
        let mut several = false;
        for m in mentions.iter() {
            if m.words.len() >= 2
                && m.kind != TagType::Per
                && m.words.last().is_some_and(|l| l.eq_ignore_ascii_case(w))
            {
                match full {
                    Some(f) if !eq_words(&f.words, &m.words) => several = true,
                    _ => full = Some(m),
                }
            }
        }
        let joined = full.filter(|_| !several).map(|f| (f.words.clone(), f.kind));
        let m = &mut mentions[i];
        match joined {
            Some((words, kind)) => {
                m.words = words;
                m.kind = kind;
            }
            None => m.words.clear(),
        }
    }
}

/// Type implied by the last word of a multi-word span the model read as a person, or by a
/// one-word name of a faith or doctrine.
fn head_kind(m: &Mention) -> TagType {
    if m.words.last().is_some_and(|l| star_genitive(l)) {
        return TagType::Misc;
    }
    if let Some(first) = m.words.first() {
        if BUILDING_FIRST_WORDS.contains(&first.as_str()) {
            return match (m.words.len(), m.kind) {
                (1, _) => TagType::Misc,
                (_, TagType::Per) => TagType::Loc,
                (_, kind) => kind,
            };
        }
    }
    if let [w] = m.words.as_slice() {
        if misc_word(w)
            || (matches!(m.kind, TagType::Loc | TagType::Org)
                && HEAVENLY_BODIES.iter().any(|b| b.eq_ignore_ascii_case(w)))
        {
            return TagType::Misc;
        }
    }
    if m.words.len() >= 2 {
        let first = m.words[0].as_str();
        if is_storm(&m.words) {
            return TagType::Misc;
        }
        // "County Cork": an Irish county, whatever the model made of it.
        if first == "County"
            && m.words
                .last()
                .is_some_and(|l| !ends_in_org_or_place_head(l))
        {
            return TagType::Loc;
        }
    }
    // "University of Texas", "Bank of England": an organisation named by its kind first,
    // though the model read the place in it.
    if m.words.len() >= 3
        && m.kind != TagType::Org
        && m.words[1] == "of"
        && m.words[0].starts_with(|c: char| c.is_uppercase())
        && is_listed_head(ORG_ONLY_HEADS, &m.words[0])
    {
        return TagType::Org;
    }
    // "Strait of Hormuz", "Gulf of Mexico", "State of Palestine": a place named by its kind
    // first.
    if m.words.len() >= 3
        && m.kind != TagType::Loc
        && m.words[1] == "of"
        && PLACES_OF.contains(&m.words[0].as_str())
    {
        return TagType::Loc;
    }
    // An award: "the Presidential Medal of Freedom", "the Defender of Democracy Award".
    if m.words.len() >= 2
        && m.words[1..]
            .iter()
            .any(|w| AWARD_WORDS.contains(&w.as_str()))
        && m.words
            .last()
            .is_some_and(|l| !is_listed_head(ORG_ONLY_HEADS, l))
    {
        return TagType::Misc;
    }
    // "the U.S. House": the chamber, not a building.
    if let [country @ .., house] = m.words.as_slice() {
        if house == "House"
            && matches!(
                country.join(" ").as_str(),
                "U.S." | "US" | "United States" | "U.S"
            )
        {
            return TagType::Org;
        }
    }
    // Unless an organisation's head word comes before ("UCLA School of Law", "National
    // Institute of Allergy and Infectious Disease").
    if let [before @ .., last] = m.words.as_slice() {
        if !before.is_empty()
            && is_listed_head(MISC_HEADS, last)
            && !before
                .iter()
                .any(|w| is_listed_head(ORG_ONLY_HEADS, w) || w == "School")
        {
            return TagType::Misc;
        }
    }
    if m.words.len() < 2 {
        return m.kind;
    }
    let Some(last) = m.words.last() else {
        return m.kind;
    };
    // The last part of a hyphenated last word counts too ("Agence France-Presse").
    let tail = last.rsplit('-').next().unwrap_or(last);
    let is = |list: &[&str]| {
        list.iter()
            .any(|h| h.eq_ignore_ascii_case(last) || h.eq_ignore_ascii_case(tail))
    };
    // A place or MISC name ending in a word that only organisations end in ("Hartford
    // Hospital", "Regeneron Pharmaceuticals").
    let capital = last.starts_with(|c: char| c.is_uppercase());
    if matches!(m.kind, TagType::Loc | TagType::Misc) && capital && is(ORG_ONLY_HEADS) {
        return TagType::Org;
    }
    // An airline read as a product ("Mahan Air", "Air" after a name).
    if m.kind == TagType::Misc && last == "Air" {
        return TagType::Org;
    }
    if m.kind == TagType::Org && capital && is(PLACE_ONLY_HEADS) {
        return TagType::Loc;
    }
    if m.kind != TagType::Per {
        return m.kind;
    }
    if is(PLACE_HEADS) || is(PLACE_ONLY_HEADS) || is(BUILDING_HEADS) {
        TagType::Loc
    } else if is(ORG_HEADS) || is(MORE_ORG_HEADS) || is(ORG_SUFFIXES) {
        // A legal form ends only a company's name ("Sedio N.V.", "Porsche AG").
        TagType::Org
    } else {
        m.kind
    }
}

const SMALL_WORDS: &[&str] = &[
    "of", "the", "and", "for", "de", "du", "des", "la", "le", "on", "&",
];

fn eq_words(a: &[String], b: &[String]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| eq_ignore_case(x, y))
}

/// True when `short` ends `long` (ignoring case), also when `long` has middle initials that
/// `short` leaves out ("John R. Bolton" ends with "John Bolton" and with "Bolton").
fn ends_with_name(long: &[String], short: &[String]) -> bool {
    if long.len() < short.len() {
        return false;
    }
    if eq_words(&long[long.len() - short.len()..], short) {
        return true;
    }
    let not_initial = |w: &&String| {
        let mut cs = w.trim_end_matches('.').chars();
        !matches!((cs.next(), cs.next()), (Some(c), None) if c.is_uppercase())
    };
    let mut l = long.iter().rev().filter(not_initial);
    let mut matched = 0usize;
    for a in short.iter().rev().filter(not_initial) {
        match l.next() {
            Some(b) if eq_ignore_case(a, b) => matched += 1,
            _ => return false,
        }
    }
    matched > 0
}

/// Acronym of a multi-word name: initials of its words, skipping small words.
pub(crate) fn initials<S: AsRef<str>>(words: &[S]) -> String {
    let mut out = String::new();
    for w in words {
        let w = w.as_ref();
        if SMALL_WORDS.iter().any(|s| s.eq_ignore_ascii_case(w)) {
            continue;
        }
        for part in w.split('-') {
            if let Some(c) = part.chars().next() {
                out.extend(c.to_uppercase());
            }
        }
    }
    out
}

fn is_acronym(w: &str) -> Option<String> {
    let letters: String = w.chars().filter(|c| *c != '.').collect();
    let n = letters.chars().count();
    if (2..=6).contains(&n) && letters.chars().all(|c| c.is_uppercase()) {
        Some(letters)
    } else {
        None
    }
}

/// Case-insensitive hash of a name's words joined by spaces.
fn stem_key(words: &[String]) -> u64 {
    ci_hash(&words.join(" "))
}

/// True for a name that an organisation's head word starts ("University of Texas") or ends
/// ("Saha Airlines"): a town's name inside does not make it a place.
fn named_by_org_head(name: &str) -> bool {
    let mut words = name.split(' ');
    let first = words.next().unwrap_or("");
    let last = words.next_back().unwrap_or("");
    let of = words.next().is_some_and(|w| w == "of");
    (of && is_listed_head(ORG_ONLY_HEADS, first)) || is_listed_head(ORG_ONLY_HEADS, last)
}

/// A one-word mention that is the name of a storm the article names in full ("Barry" after
/// "Tropical Storm Barry"), or the acronym of a MISC name of the article ("RHEL" for "Red Hat
/// Enterprise Linux"), names that thing too: it is dropped.
fn short_forms_of_things_are_things(mentions: &mut [Mention]) {
    let mut storms: Vec<u64> = Vec::new();
    let mut acronyms: Vec<String> = Vec::new();
    for m in mentions.iter() {
        if m.kind != TagType::Misc || m.words.len() < 2 {
            continue;
        }
        if is_storm(&m.words) {
            storms.extend(m.words.last().map(|l| ci_hash(l)));
        }
        let acronym = initials(&m.words);
        if (2..=6).contains(&acronym.chars().count()) {
            acronyms.push(acronym);
        }
    }
    if storms.is_empty() && acronyms.is_empty() {
        return;
    }
    for m in mentions.iter_mut() {
        if let [w] = m.words.as_slice() {
            let acronym = is_acronym(w).is_some_and(|a| acronyms.contains(&a));
            if acronym || storms.contains(&ci_hash(w)) {
                // Dropped outright: as MISC, a town's name ("Barry") would be made a place.
                m.words.clear();
            }
        }
    }
}

/// Lookup tables over the mentions of one article, so resolution stays near-linear.
struct Index<'a> {
    /// Case-insensitive hash of the last word -> distinct multi-word person names ending in it
    /// (first mention index of each), capped.
    persons_by_last: HashMap<u64, Vec<usize>>,
    /// The same, by the first word.
    persons_by_first: HashMap<u64, Vec<usize>>,
    /// Acronym -> first multi-word organisation with those initials.
    orgs_by_initials: HashMap<String, usize>,
    /// Case-insensitive hash of an organisation's words without its head word -> that
    /// organisation (first mention), for names of two to five words ending in a head word.
    orgs_by_stem: HashMap<u64, usize>,
    /// What the extractor knows of single words.
    facts: &'a dyn WordFacts,
}

/// More distinct full names than this sharing a surname: the surname is left alone.
const MAX_CANDIDATES: usize = 8;

impl<'a> Index<'a> {
    fn new(mentions: &[Mention], facts: &'a dyn WordFacts) -> Index<'a> {
        let mut persons_by_last: HashMap<u64, Vec<usize>> = HashMap::default();
        let mut persons_by_first: HashMap<u64, Vec<usize>> = HashMap::default();
        let mut orgs_by_initials: HashMap<String, usize> = HashMap::default();
        let mut orgs_by_stem: HashMap<u64, usize> = HashMap::default();
        for (j, o) in mentions.iter().enumerate() {
            if o.words.len() < 2 {
                continue;
            }
            // Buildings too: "Hagia Sophia" after "Hagia Sophia Museum" is the museum,
            // whatever type the model gave the short form; and "Mahan" after "Mahan Air".
            let stem_head = |l: &String| {
                l.starts_with(|c: char| c.is_uppercase())
                    && (o.kind == TagType::Org
                        && (is_listed_head(ORG_ONLY_HEADS, l) || is_listed_head(MORE_ORG_HEADS, l))
                        || matches!(o.kind, TagType::Org | TagType::Loc)
                            && is_listed_head(BUILDING_HEADS, l))
            };
            if o.words.len() <= 5 && o.words.last().is_some_and(stem_head) {
                orgs_by_stem
                    .entry(stem_key(&o.words[..o.words.len() - 1]))
                    .or_insert(j);
            }
            match o.kind {
                TagType::Per => {
                    let (Some(first), Some(last)) = (o.words.first(), o.words.last()) else {
                        continue;
                    };
                    // A first name alone joins only a name read in mixed case: "Reagan" is
                    // the president, not the first word of "Reagan Vetoes", a true-cased
                    // headline ("REAGAN VETOES HIGHWAY BILL").
                    let by_first = (!o.from_caps).then_some((&mut persons_by_first, first));
                    for (map, word) in std::iter::once((&mut persons_by_last, last)).chain(by_first)
                    {
                        let list = map.entry(ci_hash(word)).or_default();
                        if list.len() <= MAX_CANDIDATES
                            && !list.iter().any(|&k| eq_words(&mentions[k].words, &o.words))
                        {
                            list.push(j);
                        }
                    }
                }
                TagType::Org => {
                    let acr = initials(&o.words);
                    if (2..=6).contains(&acr.chars().count()) {
                        orgs_by_initials.entry(acr).or_insert(j);
                    }
                }
                _ => {}
            }
        }
        Index {
            persons_by_last,
            persons_by_first,
            orgs_by_initials,
            orgs_by_stem,
            facts,
        }
    }

    /// True when `word` ends two or more different full person names of the article and is
    /// not a gazetteer name.
    fn surname_of_several(&self, word: &str) -> bool {
        self.persons_by_last
            .get(&ci_hash(word))
            .is_some_and(|c| c.len() >= 2)
            && !self.facts.known_place(word)
    }

    /// True for a two- or three-word place or organisation name that is no gazetteer name,
    /// has no head word, and ends with the surname of a different full person name of the
    /// article.
    fn family_member(&self, m: &Mention) -> bool {
        let Some(last) = short_place_or_org_last(m) else {
            return false;
        };
        if ends_in_org_or_place_head(last) {
            return false;
        }
        let name = m.words.join(" ");
        if gazetteer().kind_of(&name).is_some() || gazetteer().weak_place_key(&alias_key(&name)) {
            return false;
        }
        self.persons_by_last
            .get(&ci_hash(last))
            .is_some_and(|c| !c.is_empty())
            && m.words
                .iter()
                .all(|w| w.starts_with(|c: char| c.is_uppercase()))
    }

    /// Index of the mention whose name mention `i` should take (itself if none fits better).
    fn target(&self, i: usize, mentions: &[Mention]) -> usize {
        let m = &mentions[i];
        let Some(last) = m.words.last() else {
            return i;
        };
        // Surname (or shorter form) of a person named in full elsewhere in the article.
        // A one-word "place" that is not a known place name can be a surname too ("Navalny").
        let cands = self.persons_by_last.get(&ci_hash(last));
        let unlisted_place =
            || m.kind == TagType::Loc && m.words.len() == 1 && !self.facts.known_place(last);
        if cands.is_some()
            && m.words.len() <= 2
            && (matches!(m.kind, TagType::Per | TagType::Org | TagType::Misc) || unlisted_place())
        {
            if let Some(cands) = cands {
                let mut best: Option<usize> = None;
                let mut consistent = cands.len() <= MAX_CANDIDATES;
                for &j in cands {
                    let o = &mentions[j].words;
                    if o.len() <= m.words.len() || !ends_with_name(o, &m.words) {
                        continue;
                    }
                    match best {
                        None => best = Some(j),
                        Some(b) => {
                            let (long, short) = if o.len() >= mentions[b].words.len() {
                                (j, b)
                            } else {
                                (b, j)
                            };
                            let lw = &mentions[long].words;
                            let sw = &mentions[short].words;
                            if ends_with_name(lw, sw) {
                                best = Some(long);
                            } else {
                                consistent = false;
                            }
                        }
                    }
                }
                if let (Some(b), true) = (best, consistent) {
                    // Re-type a non-person mention only when it is exactly the surname.
                    if m.kind == TagType::Per || m.words.len() == 1 {
                        return b;
                    }
                }
            }
        }
        // A first name alone ("Melania" beside "Melania Trump"; "Xi" beside "Xi Jinping", the
        // family name first): the one full name of the article that starts with it.
        if cands.is_none() && m.words.len() == 1 && (m.kind == TagType::Per || unlisted_place()) {
            if let Some(&[j]) = self.persons_by_first.get(&ci_hash(last)).map(Vec::as_slice) {
                return j;
            }
        }
        // A title swallowed into an organisation span ("Defense Secretary Lloyd Austin")
        // that ends with a person named elsewhere in the article: that person.
        if matches!(m.kind, TagType::Org | TagType::Misc) && m.words.len() > 2 {
            if let Some(cands) = cands {
                for &j in cands {
                    let o = &mentions[j].words;
                    if o.len() < m.words.len() && eq_words(&m.words[m.words.len() - o.len()..], o) {
                        return j;
                    }
                }
            }
        }
        // An organisation's name without its head word ("Saint Francis" after "Saint Francis
        // Hospital"): that organisation, whatever type the model gave the short form.
        // Not when the short form is a place of its own ("New York" and "New York Times").
        let stem_target = (!self.orgs_by_stem.is_empty() && m.words.len() <= 4)
            .then(|| self.orgs_by_stem.get(&stem_key(&m.words)))
            .flatten();
        if let Some(&j) = stem_target {
            let name = m.words.join(" ");
            // A generated town's or region's name counts as a place of its own only when
            // the model read it as one ("Saha", a person to the model, joins "Saha Airlines").
            let place = gazetteer().kind_of(&name).is_some()
                || (gazetteer().weak_place_key(&alias_key(&name))
                    && (m.kind == TagType::Loc || m.words.len() > 1))
                || (m.words.len() == 1 && self.facts.known_place(last));
            if j != i && !place {
                return j;
            }
        }
        // Acronym of an organisation named in full elsewhere.
        if m.words.len() == 1 && matches!(m.kind, TagType::Org | TagType::Misc) {
            if let Some(acr) = is_acronym(last) {
                if let Some(&j) = self.orgs_by_initials.get(&acr) {
                    return j;
                }
            }
        }
        i
    }
}

fn kind_index(k: TagType) -> usize {
    match k {
        TagType::Per => 0,
        TagType::Org => 1,
        TagType::Loc => 2,
        TagType::Misc => 3,
    }
}

struct Group {
    name: String,
    /// Alias key shared by the group's names.
    key: String,
    name_rank: (bool, usize),
    votes: [u32; 4],
    first_kind: TagType,
}

/// What a word is worth as the first word of a person's name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FirstName {
    /// No common given name, or one that is also a place, a job title or an ordinary word.
    No,
    /// A common given name and nothing else.
    Given,
    /// A common given name that is also a town's or region's name ("Kanye", "Orlando"): a
    /// person's name only before a common surname.
    AlsoTown,
}

/// True for a two- or three-word "place" or "organisation" that reads as a person's name: its
/// first word is a common given name (`WordFacts::first_name`; one that is also a town's only
/// before a common surname), every word is capitalised, the last is no head word, and the name
/// is no gazetteer name ("Rayshard Brooks", "Kanye West"; not "Washington Post", "Orlando Magic",
/// "Morgan Stanley" where the training text knows Morgan as an organisation's word, nor
/// "Grace Hospital").
fn given_name_first(m: &Mention, facts: &dyn WordFacts) -> bool {
    let Some(last) = short_place_or_org_last(m) else {
        return false;
    };
    if !m
        .words
        .iter()
        .all(|w| w.starts_with(|c: char| c.is_uppercase()) && w.chars().any(char::is_lowercase))
        || ends_in_org_or_place_head(last)
        || is_listed_head(BUILDING_HEADS, last)
        || is_listed_head(MISC_HEADS, last)
    {
        return false;
    }
    let given = match facts.first_name(&m.words[0]) {
        FirstName::No => false,
        FirstName::Given => true,
        FirstName::AlsoTown => is_common_surname(last),
    };
    if !given {
        return false;
    }
    let g = gazetteer();
    let listed = |words: &[String]| {
        let key = alias_key(&words.join(" "));
        g.kind_of_key(&key).is_some() || g.weak_place_key(&key)
    };
    // Neither the name nor its first two words ("Abu Dhabi Media") may be a gazetteer name,
    // nor may a later word be a country or organisation ("Grace Jordan" is left alone: a
    // country inside is more likely a place or a team than a surname).
    !(2..=m.words.len()).any(|k| listed(&m.words[..k]))
        && m.words[1..].iter().all(|w| g.kind_of(w).is_none())
}

/// The last word of a two- or three-word "place" or "organisation": the mentions that may
/// turn out to be a person's name.
fn short_place_or_org_last(m: &Mention) -> Option<&str> {
    if !matches!(m.kind, TagType::Loc | TagType::Org) || !(2..=3).contains(&m.words.len()) {
        return None;
    }
    m.words.last().map(String::as_str)
}

fn is_listed_head(list: &[&str], last: &str) -> bool {
    list.iter().any(|h| h.eq_ignore_ascii_case(last))
}

/// True for a last word that makes a name an organisation's, a place's or a facility's.
pub(crate) fn ends_in_org_or_place_head(last: &str) -> bool {
    [
        ORG_HEADS,
        ORG_ONLY_HEADS,
        PLACE_HEADS,
        PLACE_ONLY_HEADS,
        FACILITY_HEADS,
    ]
    .iter()
    .any(|list| is_listed_head(list, last))
}

/// What resolution needs to know of single words, from the gazetteer, the training lexicon
/// and the word lists.
pub trait WordFacts {
    /// True for a one-word name known as a place, which a "place" mention of a surname
    /// ("Navalny") must not be to join the person.
    fn known_place(&self, w: &str) -> bool;
    /// What `w` is worth as the first word of a person's name.
    fn first_name(&self, w: &str) -> FirstName;
    /// True for a word that hardly names anyone: no common given name or surname, and unknown
    /// to the training text or known there as a place's ("Kenosha").
    fn no_persons_name(&self, w: &str) -> bool;
    /// True for an ordinary word, which alone names no person or place: one written in lower
    /// case, that is no gazetteer name, given name or surname ("Bribery", "Republic").
    fn ordinary_word(&self, w: &str) -> bool;
}

/// Resolves the mentions of one article (in text order) into entities, in order of first
/// appearance. Groups whose majority type is MISC are dropped, and so are people and places
/// named only by one ordinary word. `facts` tells what single words are.
pub fn resolve(mut mentions: Vec<Mention>, facts: &dyn WordFacts) -> Vec<Resolved> {
    // A "person" ending in a place or organisation head noun is re-typed first, and
    // organisation names lose their legal-form suffix.
    for m in mentions.iter_mut() {
        m.kind = head_kind(m);
        if m.kind == TagType::Per {
            strip_honorific(&mut m.words);
        }
        if m.kind == TagType::Org {
            strip_org_suffix(&mut m.words);
            // A lone legal form ("Ltd" split off a bracketed name) names nothing.
            if m.words.len() == 1
                && ORG_SUFFIXES
                    .iter()
                    .any(|s| s.eq_ignore_ascii_case(&m.words[0]))
            {
                m.words.clear();
            }
        }
    }
    bare_heads_join_their_name(&mut mentions);
    short_forms_of_things_are_things(&mut mentions);
    // A "place" or "organisation" that starts with a given name is a person, unless it ends
    // with the surname of a full person name of the article: that one is left to the family
    // rule below, so that the surname alone still joins the one full name ("Trump" joins
    // "Donald Trump" though "Melania Trump" is named too).
    let surnames: Vec<u64> = mentions
        .iter()
        .filter(|m| m.kind == TagType::Per && m.words.len() >= 2)
        .filter_map(|m| m.words.last().map(|l| ci_hash(l)))
        .collect();
    for m in mentions.iter_mut() {
        if given_name_first(m, facts)
            && m.words
                .last()
                .is_some_and(|l| !surnames.contains(&ci_hash(l)))
        {
            m.kind = TagType::Per;
        }
    }
    let mentions = mentions.as_slice();
    let index = Index::new(mentions, facts);
    let mut groups: Vec<Group> = Vec::new();
    let mut by_key: HashMap<String, usize> = HashMap::default();
    let mut key = String::new();
    for (i, m) in mentions.iter().enumerate() {
        if m.words.is_empty() {
            continue;
        }
        let t = index.target(i, mentions);
        let words = &mentions[t].words;
        alias_key_of_words(words, &mut key);
        // An alias-map name other than the words themselves ("U.S." -> "United States").
        let alias =
            canonical_for_key(&key).filter(|c| !c.split(' ').eq(words.iter().map(String::as_str)));
        if let Some(c) = alias {
            key.clear();
            key.push_str(&alias_key(c));
        }
        // The group's display name: an alias-map name if any, else the longest name.
        let rank = (alias.is_some(), words.len());
        let display = || alias.map_or_else(|| words.join(" "), str::to_string);
        let kind = if t != i
            && mentions[t].kind == TagType::Per
            && (m.kind != TagType::Loc || m.words.len() == 1)
        {
            // Joined to a person (surname, or title + name): counts as a person mention.
            TagType::Per
        } else if t != i
            && matches!(mentions[t].kind, TagType::Org | TagType::Loc)
            && mentions[t].words.len() > m.words.len()
        {
            // A short form of an organisation or a building named in full ("Hagia Sophia"
            // after "Hagia Sophia Museum", an acronym): the full name's type.
            mentions[t].kind
        } else if t == i && index.family_member(m) {
            // Another of the family: a two- or three-word "place" or "organisation" with the
            // surname of a person of the article ("Melania Trump" beside "Donald Trump").
            TagType::Per
        } else if t == i && m.words.len() == 1 && index.surname_of_several(&m.words[0]) {
            // The surname of several people of the article ("Shinawatra" after Thaksin and
            // Yingluck Shinawatra): a person, though which one is unknown.
            TagType::Per
        } else {
            m.kind
        };
        match by_key.get(key.as_str()).and_then(|&g| groups.get_mut(g)) {
            Some(g) => {
                g.votes[kind_index(kind)] += 1;
                if rank > g.name_rank {
                    g.name = display();
                    g.name_rank = rank;
                }
            }
            None => {
                let mut votes = [0u32; 4];
                votes[kind_index(kind)] += 1;
                by_key.insert(key.clone(), groups.len());
                groups.push(Group {
                    name: display(),
                    key: key.clone(),
                    name_rank: rank,
                    votes,
                    first_kind: kind,
                });
            }
        }
    }
    let mut out = Vec::with_capacity(groups.len());
    for g in groups {
        let max = g.votes.iter().copied().max().unwrap_or(0);
        let kind = if g.votes[kind_index(g.first_kind)] == max {
            g.first_kind
        } else {
            match g.votes.iter().position(|&v| v == max) {
                Some(0) => TagType::Per,
                Some(1) => TagType::Org,
                Some(2) => TagType::Loc,
                _ => TagType::Misc,
            }
        };
        // Names in the gazetteer (countries, international organisations) get its type,
        // except that a person reading of names that are also given names is kept.
        let kind = match gazetteer().kind_of_key(&g.key) {
            Some(k) if !(kind == TagType::Per && gazetteer().person_ambiguous(&g.name)) => k,
            _ => kind,
        };
        // A generated city or region name is a place, except that a one-word name the model
        // read as a person or organisation keeps that type ("Allen" may be Greg Allen,
        // "Gallup" the polling company; "El Paso" is no one's name) unless it hardly names
        // anyone ("Ontario", "Kenosha", a person to the model), and a faith or doctrine
        // stays MISC though a town bears its name ("God").
        let one_word_place = || {
            g.name.contains(' ')
                || kind == TagType::Misc
                || kind == TagType::Per && facts.no_persons_name(&g.name)
        };
        let kind = if kind != TagType::Loc
            && !(kind == TagType::Org && named_by_org_head(&g.name))
            && gazetteer().weak_place_key(&g.key)
            && one_word_place()
            && (g.name.contains(' ') || !misc_word(&g.name))
        {
            TagType::Loc
        } else {
            kind
        };
        if kind == TagType::Misc {
            continue;
        }
        // A person or place named only by one ordinary word, capitalised at the start of a
        // sentence or in a quoted heading ("Bribery", "Cows"), is no name the model knew;
        // nor is a "person" of ordinary words only ("Current Biology", "Clergy Abuse").
        let one_word = !g.name.contains(' ');
        if (kind == TagType::Per || kind == TagType::Loc && one_word)
            && !g.name_rank.0
            && g.name.split(' ').all(|w| facts.ordinary_word(w))
        {
            continue;
        }
        out.push(Resolved { name: g.name, kind });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(s: &str, kind: TagType) -> Mention {
        Mention {
            words: s.split_whitespace().map(String::from).collect(),
            kind,
            from_caps: false,
        }
    }

    /// Resolution with the gazetteer's places as the known places.
    /// The gazetteer's places, a few given names, and a few words of each other kind.
    struct TestFacts;

    impl WordFacts for TestFacts {
        fn known_place(&self, w: &str) -> bool {
            gazetteer().kind_of(w) == Some(TagType::Loc)
        }
        fn first_name(&self, w: &str) -> FirstName {
            match w {
                "Rayshard" | "Grace" | "Melania" | "Abu" => FirstName::Given,
                "Kanye" | "Orlando" => FirstName::AlsoTown,
                _ => FirstName::No,
            }
        }
        fn no_persons_name(&self, w: &str) -> bool {
            matches!(w, "Kenosha" | "Ontario")
        }
        fn ordinary_word(&self, w: &str) -> bool {
            matches!(w, "Bribery" | "Republic" | "Pence" | "Clergy" | "Abuse")
        }
    }

    fn resolve_in_gazetteer(mentions: Vec<Mention>) -> Vec<Resolved> {
        resolve(mentions, &TestFacts)
    }

    fn names(r: &[Resolved]) -> Vec<(&str, TagType)> {
        r.iter().map(|e| (e.name.as_str(), e.kind)).collect()
    }

    #[test]
    fn the_thing_words_are_sorted_for_binary_search() {
        assert!(THING_WORDS.windows(2).all(|p| p[0] < p[1]));
        assert!(THING_WORDS.iter().all(|w| *w == w.to_ascii_lowercase()));
        for w in ["COVID-19", "Dna", "brexit", "QAnon"] {
            assert!(misc_word(w), "{w}");
        }
    }

    #[test]
    fn things_heavenly_bodies_and_scandals_name_no_entity() {
        use TagType::*;
        let r = resolve_in_gazetteer(vec![
            m("Earth", Org),
            m("Sun", Loc),
            m("DNA", Org),
            m("Covid", Loc),
            m("Brexit", Org),
            m("Watergate", Org),
            m("Pizzagate", Per),
            m("NGOs", Org),
            m("PCs", Per),
            m("Halloween", Loc),
            m("Islamophobia", Loc),
            m("NASA", Org),
            m("ABS", Org),
        ]);
        assert_eq!(names(&r), [("NASA", Org), ("ABS", Org)]);
        // A heavenly body's name read as a person's is kept ("Moon" for Moon Jae-in), and so
        // are a town ending in "gate" and a surname that does.
        let r = resolve_in_gazetteer(vec![m("Moon", Per), m("Margate", Loc), m("Applegate", Per)]);
        assert_eq!(
            names(&r),
            [("Moon", Per), ("Margate", Loc), ("Applegate", Per)]
        );
    }

    #[test]
    fn stars_and_foreign_buildings_name_no_person() {
        use TagType::*;
        let r = resolve_in_gazetteer(vec![
            m("Pegasi", Per),
            m("AB Aurigae", Org),
            m("VY Canis Majoris", Per),
            m("Haghia Sophia", Per),
            m("Masjid", Per),
            m("Notre Dame", Per),
            m("Regina Ip", Per),
        ]);
        assert_eq!(
            names(&r),
            [
                ("Haghia Sophia", Loc),
                ("Notre Dame", Loc),
                ("Regina Ip", Per)
            ]
        );
        assert!(STAR_GENITIVES.windows(2).all(|p| p[0] < p[1]));
    }

    #[test]
    fn short_forms_take_the_type_of_the_full_name() {
        use TagType::*;
        // The model's readings of the short forms would outvote the one full name.
        let r = resolve_in_gazetteer(vec![
            m("Hagia Sophia Museum", Org),
            m("Hagia Sophia", Per),
            m("Hagia Sophia", Per),
            m("Republican Party", Org),
            m("Republican", Misc),
            m("Republican", Misc),
        ]);
        assert_eq!(
            names(&r),
            [("Hagia Sophia Museum", Org), ("Republican Party", Org)]
        );
    }

    #[test]
    fn storms_products_counties_and_tribes() {
        use TagType::*;
        let r = resolve_in_gazetteer(vec![
            m("Tropical Storm Barry", Per),
            m("Barry", Loc),
            m("Hurricane Maria", Loc),
            m("Red Hat Enterprise Linux", Org),
            m("RHEL", Loc),
            m("County Cork", Per),
            m("Northern Arapaho Tribe", Per),
            m("Samoa Observer", Per),
            m("Barry Manilow", Per),
        ]);
        assert_eq!(
            names(&r),
            [
                ("County Cork", Loc),
                ("Northern Arapaho Tribe", Org),
                ("Samoa Observer", Org),
                ("Barry Manilow", Per),
            ]
        );
    }

    #[test]
    fn organisations_named_by_their_kind_or_trade_and_events() {
        use TagType::*;
        let r = resolve_in_gazetteer(vec![
            m("University of Texas", Loc),
            m("Massey Energy", Loc),
            m("Chicago Marathon", Loc),
            m("Iran Hostage Crisis", Loc),
            m("Iran", Loc),
        ]);
        assert_eq!(
            names(&r),
            [
                ("University of Texas", Org),
                ("Massey Energy", Org),
                ("Iran", Loc)
            ]
        );
    }

    #[test]
    fn awards_agreements_and_places_named_by_their_kind() {
        use TagType::*;
        let r = resolve_in_gazetteer(vec![
            m("Presidential Medal of Freedom", Org),
            m("Paris Agreement", Org),
            m("Multiple Sclerosis", Org),
            m("UCLA School of Law", Org),
            m("National Institute of Allergy and Infectious Disease", Org),
            m("Strait of Hormuz", Org),
        ]);
        assert_eq!(
            names(&r),
            [
                ("UCLA School of Law", Org),
                ("National Institute of Allergy and Infectious Disease", Org),
                ("Strait of Hormuz", Loc),
            ]
        );
    }

    #[test]
    fn a_first_name_alone_joins_the_one_full_name_it_starts() {
        use TagType::*;
        let r = resolve_in_gazetteer(vec![
            m("Melania Trump", Per),
            m("Melania", Loc),
            m("Xi Jinping", Per),
            m("Xi", Per),
            m("Bill Clinton", Per),
            m("Bill Gates", Per),
            m("Bill", Per),
        ]);
        // "Bill" starts two full names: which one is unknown, so it is left alone.
        assert_eq!(
            names(&r),
            [
                ("Melania Trump", Per),
                ("Xi Jinping", Per),
                ("Bill Clinton", Per),
                ("Bill Gates", Per),
                ("Bill", Per),
            ]
        );
    }

    #[test]
    fn roads_and_oblasts_are_places() {
        use TagType::*;
        let r = resolve_in_gazetteer(vec![
            m("Tyumen Oblast", Per),
            m("Southbank Boulevard", Per),
            m("Tyumen Oblast", Org),
        ]);
        assert_eq!(
            names(&r),
            [("Tyumen Oblast", Loc), ("Southbank Boulevard", Loc)]
        );
    }

    #[test]
    fn a_first_name_joins_no_name_read_only_in_a_headline() {
        use TagType::*;
        // "REAGAN VETOES HIGHWAY BILL", true-cased, then "President Reagan vetoed ...".
        let headline = Mention {
            from_caps: true,
            ..m("Reagan Vetoes", Per)
        };
        let r = resolve_in_gazetteer(vec![
            headline,
            m("Reagan", Per),
            m("Reagan Administration", Per),
        ]);
        assert_eq!(
            names(&r),
            [
                ("Reagan Vetoes", Per),
                ("Reagan", Per),
                ("Reagan Administration", Org),
            ]
        );
    }

    #[test]
    fn the_us_house_is_the_chamber() {
        use TagType::*;
        let r = resolve_in_gazetteer(vec![m("U.S. House", Loc), m("White House", Loc)]);
        assert_eq!(names(&r), [("U.S. House", Org), ("White House", Loc)]);
    }

    #[test]
    fn surname_joins_full_name() {
        let r = resolve_in_gazetteer(vec![
            m("Hegseth", TagType::Per),
            m("Pete Hegseth", TagType::Per),
            m("NATO", TagType::Org),
            m("Hegseth", TagType::Org),
        ]);
        assert_eq!(
            names(&r),
            [("Pete Hegseth", TagType::Per), ("NATO", TagType::Org)]
        );
    }

    #[test]
    fn a_form_of_address_is_not_part_of_the_name() {
        let r = resolve_in_gazetteer(vec![
            m("Mr Tong", TagType::Per),
            m("Dr. Anthony Fauci", TagType::Per),
            m("Fauci", TagType::Per),
            m("Dr Pepper", TagType::Org),
        ]);
        assert_eq!(
            names(&r),
            [
                ("Tong", TagType::Per),
                ("Anthony Fauci", TagType::Per),
                ("Dr Pepper", TagType::Org)
            ]
        );
    }

    #[test]
    fn middle_initials_join() {
        let r = resolve_in_gazetteer(vec![
            m("John R. Bolton", TagType::Per),
            m("John Bolton", TagType::Per),
            m("Bolton", TagType::Per),
        ]);
        assert_eq!(names(&r), [("John R. Bolton", TagType::Per)]);
    }

    #[test]
    fn title_in_org_span_joins_person() {
        let r = resolve_in_gazetteer(vec![
            m("Secretary of Defense Lloyd Austin", TagType::Org),
            m("Lloyd Austin", TagType::Per),
        ]);
        assert_eq!(names(&r), [("Lloyd Austin", TagType::Per)]);
    }

    #[test]
    fn head_nouns_retype_persons() {
        let r = resolve_in_gazetteer(vec![
            m("Easter Island", TagType::Per),
            m("Fox News", TagType::Per),
            m("John Smith", TagType::Per),
            m("Agence France-Presse", TagType::Per),
        ]);
        assert_eq!(
            names(&r),
            [
                ("Easter Island", TagType::Loc),
                ("Fox News", TagType::Org),
                ("John Smith", TagType::Per),
                ("Agence France-Presse", TagType::Org)
            ]
        );
    }

    #[test]
    fn one_sense_per_discourse() {
        // The model's types differ from mention to mention; the article's name keeps one.
        let r = resolve_in_gazetteer(vec![
            m("Obama", TagType::Loc),
            m("Barack Obama", TagType::Per),
            m("Obama", TagType::Org),
            m("Gallup", TagType::Org),
            m("Gallup", TagType::Per),
            m("Gallup", TagType::Org),
        ]);
        assert_eq!(
            names(&r),
            [("Barack Obama", TagType::Per), ("Gallup", TagType::Org)]
        );
    }

    #[test]
    fn a_town_that_hardly_names_anyone_is_a_place() {
        // "Kenosha" and "Ontario" name no one (the test's `no_persons_name`); "Allen" may be
        // Greg Allen.
        let r = resolve_in_gazetteer(vec![
            m("Kenosha", TagType::Per),
            m("Allen", TagType::Per),
            m("Ontario", TagType::Per),
            m("Kenosha", TagType::Per),
        ]);
        assert_eq!(
            names(&r),
            [
                ("Kenosha", TagType::Loc),
                ("Allen", TagType::Per),
                ("Ontario", TagType::Loc)
            ]
        );
    }

    #[test]
    fn one_ordinary_word_names_no_person_or_place() {
        // The test's ordinary words: "Bribery", "Republic", "Pence", "Clergy", "Abuse". A
        // surname that is an ordinary word still joins its person; organisations are left
        // alone.
        let r = resolve_in_gazetteer(vec![
            m("Bribery", TagType::Per),
            m("Clergy Abuse", TagType::Per),
            m("Mike Pence", TagType::Per),
            m("Republic", TagType::Loc),
            m("Pence", TagType::Per),
            m("Republic", TagType::Org),
            m("Republic", TagType::Org),
        ]);
        assert_eq!(
            names(&r),
            [("Mike Pence", TagType::Per), ("Republic", TagType::Org)]
        );
        let r = resolve_in_gazetteer(vec![m("Republic", TagType::Loc)]);
        assert_eq!(names(&r), []);
    }

    #[test]
    fn names_starting_with_a_given_name_are_people() {
        let r = resolve_in_gazetteer(vec![
            m("Rayshard Brooks", TagType::Loc),
            m("Brooks", TagType::Loc),
            m("Grace Hospital", TagType::Loc),
            m("Morgan Stanley", TagType::Org),
            m("Abu Dhabi Media", TagType::Org),
            m("Grace Jordan", TagType::Loc),
            m("Grace of Monaco", TagType::Loc),
            m("Kanye West", TagType::Loc),
            m("Orlando Magic", TagType::Org),
        ]);
        assert_eq!(
            names(&r),
            [
                ("Rayshard Brooks", TagType::Per),
                ("Grace Hospital", TagType::Org),
                ("Morgan Stanley", TagType::Org),
                ("Abu Dhabi Media", TagType::Org),
                ("Grace Jordan", TagType::Loc),
                ("Grace of Monaco", TagType::Loc),
                ("Kanye West", TagType::Per),
                ("Orlando Magic", TagType::Org),
            ]
        );
        // A given name before the surname of a full name of the article is left to the
        // family rule, and the surname alone still joins the one full name.
        let r = resolve_in_gazetteer(vec![
            m("Donald Trump", TagType::Per),
            m("Melania Trump", TagType::Loc),
            m("Trump", TagType::Per),
        ]);
        assert_eq!(
            names(&r),
            [
                ("Donald Trump", TagType::Per),
                ("Melania Trump", TagType::Per)
            ]
        );
    }

    #[test]
    fn family_members_are_people() {
        let r = resolve_in_gazetteer(vec![
            m("Donald Trump", TagType::Per),
            m("Melania Trump", TagType::Loc),
            m("Gloria Vanderbilt", TagType::Org),
            m("Cornelius Vanderbilt", TagType::Per),
            m("Trump Tower", TagType::Loc),
        ]);
        assert_eq!(
            names(&r),
            [
                ("Donald Trump", TagType::Per),
                ("Melania Trump", TagType::Per),
                ("Gloria Vanderbilt", TagType::Per),
                ("Cornelius Vanderbilt", TagType::Per),
                ("Trump Tower", TagType::Loc),
            ]
        );
    }

    #[test]
    fn organisation_heads_retype_places_and_people() {
        let r = resolve_in_gazetteer(vec![
            m("Walter Reed Hospital", TagType::Per),
            m("Regeneron Pharmaceuticals", TagType::Loc),
            m("Labour Party", TagType::Misc),
            m("West Bank", TagType::Loc),
            m("Soviet Union", TagType::Loc),
        ]);
        assert_eq!(
            names(&r),
            [
                ("Walter Reed Hospital", TagType::Org),
                ("Regeneron Pharmaceuticals", TagType::Org),
                ("Labour Party", TagType::Org),
                ("West Bank", TagType::Loc),
                ("Soviet Union", TagType::Loc),
            ]
        );
    }

    #[test]
    fn organisation_without_head_word_joins() {
        let r = resolve_in_gazetteer(vec![
            m("Saint Francis Hospital", TagType::Org),
            m("Saint Francis", TagType::Per),
            m("Saint Francis", TagType::Loc),
        ]);
        assert_eq!(names(&r), [("Saint Francis Hospital", TagType::Org)]);
        // A place of its own does not join the organisation named after it.
        let r = resolve_in_gazetteer(vec![
            m("New York Times", TagType::Org),
            m("New York", TagType::Loc),
        ]);
        assert_eq!(
            names(&r),
            [("New York Times", TagType::Org), ("New York", TagType::Loc)]
        );
        // A generated town's name joins when the model did not read it as a place: Saha is
        // a Russian region, and here the airline.
        assert!(gazetteer().weak_place_key("saha"));
        let r = resolve_in_gazetteer(vec![
            m("Saha Airlines", TagType::Org),
            m("Saha", TagType::Per),
        ]);
        assert_eq!(names(&r), [("Saha Airlines", TagType::Org)]);
        let r = resolve_in_gazetteer(vec![
            m("Saha Airlines", TagType::Org),
            m("Saha", TagType::Loc),
        ]);
        assert_eq!(
            names(&r),
            [("Saha Airlines", TagType::Org), ("Saha", TagType::Loc)]
        );
    }

    #[test]
    fn company_suffixes_join() {
        let r = resolve_in_gazetteer(vec![
            m("Standard Oil Co", TagType::Org),
            m("Standard Oil", TagType::Org),
            m("Chrysler Corp.", TagType::Org),
            m("Chrysler ) Ltd", TagType::Org),
            m("Co", TagType::Org),
            m("Acme", TagType::Org),
        ]);
        assert_eq!(
            names(&r),
            [
                ("Standard Oil", TagType::Org),
                ("Chrysler", TagType::Org),
                ("Acme", TagType::Org)
            ]
        );
    }

    #[test]
    fn ambiguous_surname_stays() {
        let r = resolve_in_gazetteer(vec![
            m("James Baker", TagType::Per),
            m("Howard Baker", TagType::Per),
            m("Baker", TagType::Per),
        ]);
        assert_eq!(r.len(), 3);
    }

    #[test]
    fn aliases_and_acronyms_join() {
        let r = resolve_in_gazetteer(vec![
            m("U.S.", TagType::Loc),
            m("United States", TagType::Loc),
            m("US", TagType::Loc),
            m("EU", TagType::Org),
            m("European Union", TagType::Org),
            m("Securities and Exchange Commission", TagType::Org),
            m("SEC", TagType::Org),
        ]);
        assert_eq!(
            names(&r),
            [
                ("United States", TagType::Loc),
                ("European Union", TagType::Org),
                ("Securities and Exchange Commission", TagType::Org),
            ]
        );
    }

    #[test]
    fn faiths_and_doctrines_are_no_entities() {
        let r = resolve_in_gazetteer(vec![
            m("Islam", TagType::Loc),
            m("God", TagType::Per),
            m("Zionism", TagType::Org),
            m("Sunnis", TagType::Per),
            m("Ministry of Tourism", TagType::Org),
            m("Christian Lindner", TagType::Per),
        ]);
        assert_eq!(
            names(&r),
            [
                ("Ministry of Tourism", TagType::Org),
                ("Christian Lindner", TagType::Per)
            ]
        );
    }

    #[test]
    fn bare_institution_words_join_their_one_name_or_go() {
        let r = resolve_in_gazetteer(vec![
            m("European Commission", TagType::Org),
            m("Commission", TagType::Org),
            m("University", TagType::Per),
            m("E.", TagType::Per),
        ]);
        assert_eq!(names(&r), [("European Commission", TagType::Org)]);
        // Two names end in the word: which one is meant is unknown.
        let r = resolve_in_gazetteer(vec![
            m("Supreme Court", TagType::Org),
            m("Court of Appeals", TagType::Org),
            m("High Court", TagType::Org),
            m("Court", TagType::Org),
        ]);
        assert_eq!(
            names(&r),
            [
                ("Supreme Court", TagType::Org),
                ("Court of Appeals", TagType::Org),
                ("High Court", TagType::Org)
            ]
        );
    }

    #[test]
    fn majority_type_and_misc_dropped() {
        let r = resolve_in_gazetteer(vec![
            m("Reuters", TagType::Per),
            m("Reuters", TagType::Org),
            m("Reuters", TagType::Org),
            m("German", TagType::Misc),
        ]);
        assert_eq!(names(&r), [("Reuters", TagType::Org)]);
    }
}
