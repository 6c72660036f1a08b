//! Gazetteer of countries, world regions, large cities, US states, international
//! organisations, and well-known companies, platforms and news organisations (the alias table plus plain place names). `extract` uses it to complete the
//! model's spans: a gazetteer name that the model split or missed becomes one entity, a
//! country or organisation named inside a longer organisation ("EC Commission", "Bank of
//! Japan") or leading a longer place name ("U.S. Midwest") is reported as well, and a name
//! listed here always gets the gazetteer's type.

use super::aliases::TABLE;
use super::tags::TagType;
use super::tokenize::{tokenize, Token};
use super::words::{alias_key, FastMap, WordFilter};
use std::sync::OnceLock;

/// Countries, territories and regions (canonical spelling; kind place).
const PLACES: &[&str] = &[
    "Afghanistan",
    "Albania",
    "Algeria",
    "Andorra",
    "Angola",
    "Antigua",
    "Antigua and Barbuda",
    "Argentina",
    "Armenia",
    "Aruba",
    "Australia",
    "Austria",
    "Azerbaijan",
    "Bahamas",
    "Bahrain",
    "Bangladesh",
    "Barbados",
    "Belarus",
    "Belgium",
    "Belize",
    "Benin",
    "Bermuda",
    "Bhutan",
    "Bolivia",
    "Bosnia",
    "Bosnia and Herzegovina",
    "Bosnia-Herzegovina",
    "Botswana",
    "Brazil",
    "Brunei",
    "Bulgaria",
    "Burkina Faso",
    "Burma",
    "Burundi",
    "Cambodia",
    "Cameroon",
    "Canada",
    "Cape Verde",
    "Cayman Islands",
    "Central African Republic",
    "Chad",
    "Chile",
    "Colombia",
    "Comoros",
    "Congo",
    "Costa Rica",
    "Croatia",
    "Cuba",
    "Cyprus",
    "Czechoslovakia",
    "Denmark",
    "Djibouti",
    "Dominica",
    "Dominican Republic",
    "East Timor",
    "Ecuador",
    "Egypt",
    "El Salvador",
    "Equatorial Guinea",
    "Eritrea",
    "Estonia",
    "Ethiopia",
    "Fiji",
    "Finland",
    "France",
    "Gabon",
    "Gambia",
    "Georgia",
    "Germany",
    "Ghana",
    "Gibraltar",
    "Greece",
    "Greenland",
    "Grenada",
    "Guam",
    "Guatemala",
    "Guinea",
    "Guinea-Bissau",
    "Guyana",
    "Haiti",
    "Honduras",
    "Hong Kong",
    "Hungary",
    "Iceland",
    "India",
    "Indonesia",
    "Iran",
    "Iraq",
    "Ireland",
    "Israel",
    "Italy",
    "Jamaica",
    "Japan",
    "Jordan",
    "Kampuchea",
    "Kazakhstan",
    "Kenya",
    "Kiribati",
    "Kosovo",
    "Kuwait",
    "Kyrgyzstan",
    "Laos",
    "Latvia",
    "Lebanon",
    "Lesotho",
    "Liberia",
    "Libya",
    "Liechtenstein",
    "Lithuania",
    "Luxembourg",
    "Macau",
    "Macedonia",
    "Madagascar",
    "Malawi",
    "Malaysia",
    "Maldives",
    "Mali",
    "Malta",
    "Mauritania",
    "Mauritius",
    "Mexico",
    "Moldova",
    "Monaco",
    "Mongolia",
    "Montenegro",
    "Morocco",
    "Mozambique",
    "Myanmar",
    "Namibia",
    "Nauru",
    "Nepal",
    "Nicaragua",
    "Niger",
    "Nigeria",
    "North Yemen",
    "Northern Ireland",
    "Norway",
    "Oman",
    "Pakistan",
    "Palestine",
    "Panama",
    "Papua New Guinea",
    "Paraguay",
    "Peru",
    "Philippines",
    "Poland",
    "Portugal",
    "Puerto Rico",
    "Qatar",
    "Romania",
    "Rwanda",
    "Samoa",
    "San Marino",
    "Saudi Arabia",
    "Scotland",
    "Senegal",
    "Serbia",
    "Seychelles",
    "Sierra Leone",
    "Singapore",
    "Slovakia",
    "Slovenia",
    "Solomon Islands",
    "Somalia",
    "South Africa",
    "South Sudan",
    "South Yemen",
    "Spain",
    "Sri Lanka",
    "Sudan",
    "Suriname",
    "Swaziland",
    "Sweden",
    "Switzerland",
    "Syria",
    "Taiwan",
    "Tajikistan",
    "Tanzania",
    "Thailand",
    "Togo",
    "Tonga",
    "Trinidad",
    "Trinidad and Tobago",
    "Tunisia",
    "Turkey",
    "Turkmenistan",
    "Uganda",
    "Ukraine",
    "Uruguay",
    "Uzbekistan",
    "Vanuatu",
    "Vatican",
    "Venezuela",
    "Vietnam",
    "Virgin Islands",
    "Wales",
    "England",
    "Yemen",
    "Yugoslavia",
    "Zaire",
    "Zambia",
    "Zimbabwe",
    "Africa",
    "Asia",
    "Europe",
    "North America",
    "South America",
    "Latin America",
    "Central America",
    "Middle East",
    "Far East",
    "Caribbean",
    "Antarctica",
    "Oceania",
    "Scandinavia",
];

/// Capitals, other large cities and US states (kind place). Unlike countries, these are not
/// reported when they only occur inside a longer name ("New York Times", "Texas Instruments").
const CITIES: &[&str] = &[
    "Abu Dhabi",
    "Abuja",
    "Accra",
    "Addis Ababa",
    "Algiers",
    "Amman",
    "Amsterdam",
    "Ankara",
    "Athens",
    "Baghdad",
    "Bangkok",
    "Beijing",
    "Beirut",
    "Belgrade",
    "Berlin",
    "Bogota",
    "Bonn",
    "Brasilia",
    "Bratislava",
    "Brussels",
    "Bucharest",
    "Budapest",
    "Buenos Aires",
    "Cairo",
    "Canberra",
    "Caracas",
    "Chicago",
    "Copenhagen",
    "Damascus",
    "Dhaka",
    "Doha",
    "Dubai",
    "Dublin",
    "Edinburgh",
    "Frankfurt",
    "Geneva",
    "Hanoi",
    "Havana",
    "Helsinki",
    "Islamabad",
    "Istanbul",
    "Jakarta",
    "Jerusalem",
    "Johannesburg",
    "Kabul",
    "Karachi",
    "Kathmandu",
    "Khartoum",
    "Kiev",
    "Kinshasa",
    "Kuala Lumpur",
    "Kyiv",
    "Lagos",
    "Lisbon",
    "Ljubljana",
    "London",
    "Los Angeles",
    "Luanda",
    "Madrid",
    "Manila",
    "Melbourne",
    "Mexico City",
    "Minsk",
    "Mogadishu",
    "Montreal",
    "Moscow",
    "Mumbai",
    "Munich",
    "Nairobi",
    "New Delhi",
    "New York",
    "Oslo",
    "Ottawa",
    "Prague",
    "Pretoria",
    "Pyongyang",
    "Quito",
    "Rabat",
    "Riga",
    "Riyadh",
    "Rome",
    "San Francisco",
    "Sao Paulo",
    "Seoul",
    "Shanghai",
    "Stockholm",
    "Taipei",
    "Tallinn",
    "Tashkent",
    "Tbilisi",
    "Tehran",
    "Tel Aviv",
    "Tokyo",
    "Toronto",
    "Tripoli",
    "Tunis",
    "Vienna",
    "Vilnius",
    "Warsaw",
    "Yerevan",
    "Zagreb",
    "Zurich",
    "Alabama",
    "Alaska",
    "Arizona",
    "Arkansas",
    "California",
    "Colorado",
    "Connecticut",
    "Delaware",
    "Hawaii",
    "Idaho",
    "Illinois",
    "Iowa",
    "Kansas",
    "Kentucky",
    "Louisiana",
    "Maryland",
    "Massachusetts",
    "Michigan",
    "Minnesota",
    "Mississippi",
    "Missouri",
    "Nebraska",
    "Nevada",
    "New Hampshire",
    "New Jersey",
    "New Mexico",
    "North Carolina",
    "North Dakota",
    "Ohio",
    "Oklahoma",
    "Oregon",
    "Pennsylvania",
    "Rhode Island",
    "South Carolina",
    "South Dakota",
    "Tennessee",
    "Texas",
    "Utah",
    "Vermont",
    "West Virginia",
    "Wisconsin",
    "Wyoming",
];

/// Organisations that today's news names and the 1996 training text does not teach (kind org;
/// not reported when inside a longer name): one name a line, `#` starts a comment.
static ORGS: &str = include_str!("data/organisations.txt");

/// The names of `ORGS`.
fn org_names() -> impl Iterator<Item = &'static str> {
    ORGS.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

/// Place names generated from GeoNames and ISO 3166 by `scripts/gen_gazetteer.py`:
/// `class<TAB>name` lines, `class` one of `country`, `region`, `city`.
static GENERATED_PLACES: &str = include_str!("data/places.tsv");

/// Names also used as given names: a model "person" reading of these is kept.
const PERSON_AMBIGUOUS: &[&str] = &[
    "Chad", "Jordan", "Georgia", "Israel", "Victoria", "Kenya", "Lima", "Montana", "Indiana",
    "Virginia", "Florida", "Maine",
];

/// A gazetteer name, as the tokeniser splits it.
struct Entry {
    words: Vec<String>,
    canonical: &'static str,
    kind: TagType,
    nest: bool,
    weak: bool,
}

/// Lookup structure built once from the tables.
pub struct Gazetteer {
    /// First word (exact case) -> entries, longest first.
    exact: FastMap<String, Vec<Entry>>,
    /// First word upper-cased -> entries, longest first (for ALL-CAPS text).
    upper: FastMap<String, Vec<Entry>>,
    /// alias key of a canonical name -> kind, and whether the name is only a weak one.
    kinds: FastMap<String, (TagType, bool)>,
    /// Upper-case word -> usual spelling (for true-casing headlines).
    spellings: FastMap<String, String>,
    /// Pre-check on first words (first letter and length), before the hash look-up.
    first_words: WordFilter,
}

/// A gazetteer match: `len` tokens from the start position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GazMatch {
    pub len: usize,
    pub canonical: &'static str,
    pub kind: TagType,
    /// Also reported when found inside a longer name (countries, organisations).
    pub nest: bool,
    /// A generated region or city name: it may also be a person's or an ordinary word
    /// ("Allen", "Mobile"), so it only completes names the model found, and types only
    /// names the model did not read as one person's.
    pub weak: bool,
}

/// True for a name of letters and single spaces, which the tokeniser splits at the spaces.
fn plain_words(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with(' ')
        && !name.ends_with(' ')
        && !name.contains("  ")
        && name.chars().all(|c| c == ' ' || c.is_alphabetic())
}

/// The tokens of `name` as words (`toks` and `sents` are the tokeniser's reusable buffers).
/// Most generated names are plain words, split without the tokeniser (it made most of the
/// build's cost).
fn words_of(name: &str, toks: &mut Vec<Token>, sents: &mut Vec<(usize, usize)>) -> Vec<String> {
    if plain_words(name) {
        return name.split(' ').map(str::to_string).collect();
    }
    tokenize(name, toks, sents);
    toks.iter()
        .map(|t| name[t.start..t.end].to_string())
        .collect()
}

/// Reusable buffers for building the gazetteer.
#[derive(Default)]
struct BuildScratch {
    toks: Vec<Token>,
    sents: Vec<(usize, usize)>,
}

impl Gazetteer {
    fn build() -> Gazetteer {
        // About 45,000 names: sized once rather than grown step by step.
        let names = GENERATED_PLACES.len() / 16 + 1024;
        let mut g = Gazetteer {
            exact: FastMap::with_capacity_and_hasher(names, Default::default()),
            upper: FastMap::with_capacity_and_hasher(names, Default::default()),
            kinds: FastMap::with_capacity_and_hasher(names, Default::default()),
            spellings: FastMap::default(),
            first_words: WordFilter::new([]),
        };
        let mut scratch = BuildScratch::default();
        // `canonical_key` is `alias_key(canonical)`, when the caller has it already.
        let mut add = |g: &mut Gazetteer,
                       variant: &str,
                       canonical: &'static str,
                       canonical_key: Option<String>,
                       kind: TagType,
                       nest: bool,
                       weak: bool| {
            let words = words_of(variant, &mut scratch.toks, &mut scratch.sents);
            if words.is_empty() {
                return;
            }
            for w in words.iter().filter(|_| !weak) {
                if w.chars().any(char::is_lowercase) {
                    g.spellings
                        .entry(w.to_uppercase())
                        .or_insert_with(|| w.clone());
                }
            }
            let upper_words: Vec<String> = words.iter().map(|w| w.to_uppercase()).collect();
            g.exact.entry(words[0].clone()).or_default().push(Entry {
                words,
                canonical,
                kind,
                nest,
                weak,
            });
            g.upper
                .entry(upper_words[0].clone())
                .or_default()
                .push(Entry {
                    words: upper_words,
                    canonical,
                    kind,
                    nest,
                    weak,
                });
            g.kinds.insert(
                canonical_key.unwrap_or_else(|| alias_key(canonical)),
                (kind, weak),
            );
            if variant != canonical {
                g.kinds.insert(alias_key(variant), (kind, weak));
            }
        };
        for (canon, kind, variants) in TABLE {
            add(&mut g, canon, canon, None, *kind, true, false);
            for v in *variants {
                add(&mut g, v, canon, None, *kind, true, false);
            }
        }
        for p in PLACES {
            add(&mut g, p, p, None, TagType::Loc, true, false);
        }
        for p in CITIES {
            add(&mut g, p, p, None, TagType::Loc, false, false);
        }
        for o in org_names() {
            add(&mut g, o, o, None, TagType::Org, false, false);
        }
        // The generated names come last: a name the tables above list keeps their entry.
        for line in GENERATED_PLACES.lines() {
            let Some((class, name)) = line.split_once('\t') else {
                continue;
            };
            let key = alias_key(name);
            if g.kinds.contains_key(&key) {
                continue;
            }
            let country = class == "country";
            add(
                &mut g,
                name,
                name,
                Some(key),
                TagType::Loc,
                country,
                !country,
            );
        }
        for list in g.exact.values_mut().chain(g.upper.values_mut()) {
            list.sort_by_key(|e| std::cmp::Reverse(e.words.len()));
        }
        g.first_words = WordFilter::new(g.exact.keys().map(String::as_str));
        g
    }

    /// Longest gazetteer name starting at `words[i]`. In ALL-CAPS sentences matching ignores
    /// case, except for short single-word names without dots (US, EC, FED read as words
    /// there) unless `in_name` says the word is already inside a tagged name.
    pub fn match_at(
        &self,
        words: &[&str],
        i: usize,
        caps: bool,
        in_name: bool,
    ) -> Option<GazMatch> {
        let first = words.get(i)?;
        // Every name starts with an upper-case letter: skip the lookup for other words.
        if !first.chars().next().is_some_and(char::is_uppercase) {
            return None;
        }
        if !self.first_words.admits(first) {
            return None;
        }
        let list = if caps {
            self.upper.get(*first)?
        } else {
            self.exact.get(*first)?
        };
        for e in list {
            let n = e.words.len();
            if i + n > words.len() {
                continue;
            }
            if caps && !in_name && n == 1 && first.chars().count() <= 3 && !first.contains('.') {
                continue;
            }
            if e.words.iter().zip(&words[i..i + n]).all(|(a, b)| a == b) {
                return Some(GazMatch {
                    len: n,
                    canonical: e.canonical,
                    kind: e.kind,
                    nest: e.nest,
                    weak: e.weak,
                });
            }
        }
        None
    }

    /// Gazetteer kind of a canonical name, if listed.
    pub fn kind_of(&self, canonical: &str) -> Option<TagType> {
        self.kind_of_key(&alias_key(canonical))
    }

    /// Gazetteer kind of a name given by its alias key (weak names not included).
    pub fn kind_of_key(&self, key: &str) -> Option<TagType> {
        self.kinds
            .get(key)
            .and_then(|&(kind, weak)| (!weak).then_some(kind))
    }

    /// True when a name, given by its alias key, is only a weak (generated region or city)
    /// place name.
    pub fn weak_place_key(&self, key: &str) -> bool {
        matches!(self.kinds.get(key), Some((TagType::Loc, true)))
    }

    /// Usual spelling of an upper-case word that occurs in a gazetteer name.
    pub fn spelling(&self, upper: &str) -> Option<&str> {
        self.spellings.get(upper).map(String::as_str)
    }

    /// True for names that are also common given names (keep a "person" reading).
    pub fn person_ambiguous(&self, name: &str) -> bool {
        PERSON_AMBIGUOUS
            .iter()
            .any(|p| p.eq_ignore_ascii_case(name))
    }
}

/// The shared gazetteer (built on first use).
pub fn gazetteer() -> &'static Gazetteer {
    static G: OnceLock<Gazetteer> = OnceLock::new();
    G.get_or_init(Gazetteer::build)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_longest_and_caps() {
        let g = gazetteer();
        let w = [
            "the",
            "General",
            "Agreement",
            "on",
            "Tariffs",
            "and",
            "Trade",
            "said",
        ];
        let m = g.match_at(&w, 1, false, false).expect("GATT");
        assert_eq!((m.len, m.canonical, m.kind), (6, "GATT", TagType::Org));
        assert_eq!(g.match_at(&w, 0, false, false), None);
        // The generated ISO 3166 names include the territory itself.
        let w = ["U.S.", "Virgin", "Islands"];
        assert_eq!(
            g.match_at(&w, 0, false, false).map(|m| m.canonical),
            Some("U.S. Virgin Islands")
        );
        let w = ["U.S.", "Navy"];
        assert_eq!(
            g.match_at(&w, 0, false, false).map(|m| m.canonical),
            Some("United States")
        );
        // Generated city names are weak; countries are not.
        let w = ["El", "Paso", "Texas"];
        assert!(g.match_at(&w, 0, false, false).is_some_and(|m| m.weak));
        assert_eq!(g.kind_of("El Paso"), None);
        assert!(g.weak_place_key(&alias_key("El Paso")));
        assert_eq!(g.kind_of("Eswatini"), Some(TagType::Loc));
        let w = ["SAUDI", "ARABIA", "AND", "US"];
        assert_eq!(g.match_at(&w, 0, true, false).map(|m| m.len), Some(2));
        assert_eq!(g.match_at(&w, 3, true, false), None);
        assert_eq!(
            g.match_at(&w, 3, true, true).map(|m| m.canonical),
            Some("United States")
        );
        assert_eq!(g.kind_of("Qatar"), Some(TagType::Loc));
        assert_eq!(g.kind_of("E.C."), Some(TagType::Org));
        assert_eq!(g.spelling("ARABIA"), Some("Arabia"));
    }

    #[test]
    fn plain_names_split_as_the_tokeniser_splits_them() {
        let (mut toks, mut sents) = (Vec::new(), Vec::new());
        let mut plain = 0;
        let listed = TABLE
            .iter()
            .flat_map(|(c, _, v)| std::iter::once(*c).chain(v.iter().copied()))
            .chain(PLACES.iter().chain(CITIES).copied())
            .chain(org_names());
        let generated = GENERATED_PLACES
            .lines()
            .filter_map(|l| l.split_once('\t').map(|(_, n)| n));
        for name in listed.chain(generated) {
            if plain_words(name) {
                plain += 1;
                tokenize(name, &mut toks, &mut sents);
                let by_tokens: Vec<&str> = toks.iter().map(|t| &name[t.start..t.end]).collect();
                assert_eq!(name.split(' ').collect::<Vec<_>>(), by_tokens, "{name}");
            }
        }
        assert!(plain > 30_000, "{plain}");
        assert!(!plain_words("St. John's") && !plain_words("A  B") && !plain_words(""));
    }

    #[test]
    fn generated_names_come_folded_split_and_in_english() {
        let g = gazetteer();
        // Accents folded, bracketed and English names, Chinese names without "Sheng".
        for name in [
            "Karnataka",
            "Karnātaka",
            "Montréal",
            "Cymru",
            "Catalunya",
            "Catalonia",
            "Hubei",
            "Hubei Sheng",
            "Guangxi",
            "Bavaria",
        ] {
            assert!(g.weak_place_key(&alias_key(name)), "{name}");
        }
        // Listed by hand, not weak.
        assert_eq!(g.kind_of("Wales"), Some(TagType::Loc));
        assert_eq!(g.kind_of("Montreal"), Some(TagType::Loc));
        // Nicknames, ocean names, ordinary words and "X State" are not taken.
        for name in [
            "Atlantic",
            "Estuary",
            "New York State",
            "The Education State",
        ] {
            assert!(!g.weak_place_key(&alias_key(name)), "{name}");
        }
        let w = ["Tamil", "Nadu", "and", "Karnataka"];
        assert_eq!(g.match_at(&w, 0, false, false).map(|m| m.len), Some(2));
    }
}
