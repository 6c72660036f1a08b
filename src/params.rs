//! The parameters of the read commands, under the one set of names, parsers, defaults and
//! limits that the command line (`--limit 5`) and the HTTP API (`limit=5`) both use.
//!
//! Each front end only finds the values: clap calls the `parse_*` functions below as its value
//! parsers, the server calls [`Params::set`] for each pair of a query string. Either way the
//! result is a [`Params`], and only its methods turn it into the requests the library runs.

use chrono::NaiveDate;

use crate::dates::{AgoUnit, DateRange, Span};
use crate::entities::EntityKind;
use crate::error::{Error, Result};
use crate::query::{Filter, SearchRequest, SortOrder};
use crate::related::RelatedRequest;
use crate::search::Interval;
use crate::trends::{Period, TrendsRequest};

/// Hits of a search page when no limit is given.
pub const DEFAULT_SEARCH_LIMIT: usize = 10;
/// Entities listed by `entities` when no limit is given.
pub const DEFAULT_ENTITIES_LIMIT: usize = 20;
/// Top entities listed by `stats` when no number is given.
pub const DEFAULT_STATS_TOP: usize = 10;
/// Most hits or entities one answer may list.
pub const MAX_LIMIT: usize = 100_000;
/// Most hits a search may skip: deeper pages cost a sort of this many hits.
pub const MAX_OFFSET: usize = 10_000_000;
/// Longest query text, in bytes: far beyond any typed query, short of costly parser work.
pub const MAX_QUERY_BYTES: usize = 2048;
/// The days of a `trends` window without a start.
pub const DEFAULT_TRENDS_DAYS: u64 = 7;
/// The window of `related` when none is given: a week either side of the article.
pub const DEFAULT_WITHIN: Span = Span {
    count: 7,
    unit: AgoUnit::Days,
};
/// Most entity filters in one request.
pub const MAX_ENTITY_FILTERS: usize = 16;
/// Longest entity name in a filter, in bytes.
pub const MAX_ENTITY_BYTES: usize = 200;

/// What the query text is called in messages (a positional argument on the command line, `q`
/// in the API).
const QUERY: &str = "the query";

/// The parameters of `search`, `timeline`, `entities`, `stats`, `related` and `trends`, as
/// given; each command reads the ones it takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Params {
    /// Query text; `*` matches every article.
    pub q: String,
    pub from: Option<String>,
    pub to: Option<String>,
    pub on: Option<String>,
    /// Entity names that must all appear.
    pub entity: Vec<String>,
    /// `type`: the entity type of the filters, or of the entities counted.
    pub kind: Option<EntityKind>,
    pub sort: SortOrder,
    /// Hits or entities listed; each command has its own default.
    pub limit: Option<usize>,
    pub offset: usize,
    pub interval: Interval,
    /// Top entities in `stats`.
    pub top: Option<usize>,
    /// `related`: the window around the article's date.
    pub within: Option<Within>,
    /// `entities`: list the entities that come with this one instead of the most frequent.
    pub with: Option<String>,
    /// `trends`: the period to compare with, as typed (`C..D`).
    pub baseline: Option<String>,
    /// `search`: one hit per story.
    pub collapse: bool,
    /// `timeline` and `entities`: count stories instead of articles.
    pub unique: bool,
}

impl Default for Params {
    fn default() -> Params {
        Params {
            q: "*".to_string(),
            from: None,
            to: None,
            on: None,
            entity: Vec::new(),
            kind: None,
            sort: SortOrder::Relevance,
            limit: None,
            offset: 0,
            interval: Interval::Month,
            top: None,
            within: None,
            with: None,
            baseline: None,
            collapse: false,
            unique: false,
        }
    }
}

/// Every parameter name, as the API spells it (the command line adds `--`).
pub const NAMES: [&str; 16] = [
    "q", "from", "to", "on", "entity", "type", "sort", "limit", "offset", "interval", "top",
    "within", "with", "baseline", "collapse", "unique",
];

impl Params {
    /// Sets the parameter `name` from its text; `entity` adds one more filter each time.
    /// (Whoever reads the values refuses any other name given twice, as clap does.)
    pub fn set(&mut self, name: &str, value: &str) -> Result<()> {
        match name {
            "q" => self.q = parse_query(value)?,
            "from" => self.from = Some(value.to_string()),
            "to" => self.to = Some(value.to_string()),
            "on" => self.on = Some(value.to_string()),
            "entity" => {
                if self.entity.len() >= MAX_ENTITY_FILTERS {
                    return Err(argument(
                        "entity",
                        value,
                        &format!("at most {MAX_ENTITY_FILTERS} entity filters are allowed"),
                    ));
                }
                self.entity.push(parse_entity(value)?);
            }
            "type" => self.kind = Some(parse_kind(value)?),
            "sort" => self.sort = parse_sort(value)?,
            "limit" => self.limit = Some(parse_limit(value)?),
            "offset" => self.offset = parse_offset(value)?,
            "interval" => self.interval = parse_interval(value)?,
            "top" => self.top = Some(parse_limit(value)?),
            "within" => self.within = Some(parse_within(value)?),
            "with" => self.with = Some(parse_with(value)?),
            "baseline" => self.baseline = Some(parse_baseline(value)?),
            "collapse" => self.collapse = parse_switch(name, value)?,
            "unique" => self.unique = parse_switch(name, value)?,
            _ => return Err(argument(name, value, "no such parameter")),
        }
        Ok(())
    }

    /// The date range of `from`, `to` and `on`; relative dates count back from `today`.
    pub fn dates(&self, today: NaiveDate) -> Result<DateRange> {
        DateRange::from_specs(
            self.from.as_deref(),
            self.to.as_deref(),
            self.on.as_deref(),
            today,
        )
    }

    /// The articles `search` and `timeline` look at: text, dates, entities and their type.
    pub fn filter(&self, today: NaiveDate) -> Result<Filter> {
        Ok(Filter {
            text: self.q.clone(),
            dates: self.dates(today)?,
            entities: self.entity.clone(),
            kind: self.kind,
        })
    }

    /// The articles `entities` counts in: `type` picks which entities are counted instead.
    pub fn entities_filter(&self, today: NaiveDate) -> Result<Filter> {
        Ok(Filter {
            kind: None,
            ..self.filter(today)?
        })
    }

    pub fn search_request(&self, today: NaiveDate) -> Result<SearchRequest> {
        Ok(SearchRequest {
            filter: self.filter(today)?,
            sort: self.sort,
            limit: self.limit.unwrap_or(DEFAULT_SEARCH_LIMIT),
            offset: self.offset,
            collapse: self.collapse,
        })
    }

    /// The articles like `id`: within [`DEFAULT_WITHIN`] of its date unless told otherwise.
    pub fn related_request(&self, id: &str) -> RelatedRequest {
        RelatedRequest {
            id: id.to_string(),
            within: self.within.map_or(Some(DEFAULT_WITHIN), |within| within.0),
            limit: self.limit.unwrap_or(DEFAULT_SEARCH_LIMIT),
            offset: self.offset,
        }
    }

    /// The window of `from`/`to` (or `on`) and the baseline: `baseline` if given, else the
    /// period before the window, [`crate::trends::BASELINE_FACTOR`] times as long. Without
    /// `to` the window ends today; without `from` it is the [`DEFAULT_TRENDS_DAYS`] days up to
    /// its end.
    pub fn trends_request(&self, today: NaiveDate) -> Result<TrendsRequest> {
        let range = self.dates(today)?;
        let last = range.last.unwrap_or(today);
        let first = match range.first {
            Some(first) => first,
            None => last
                .checked_sub_days(chrono::Days::new(DEFAULT_TRENDS_DAYS - 1))
                .unwrap_or(last),
        };
        if first > last {
            return Err(Error::EmptyDateRange {
                from: format!("{} ({first})", self.from.as_deref().unwrap_or_default()),
                to: format!("today ({last})"),
            });
        }
        let window = Period { first, last };
        let baseline = match &self.baseline {
            Some(text) => baseline_period(text, today)?,
            None => window.preceding().ok_or_else(|| {
                argument(
                    "from",
                    self.from.as_deref().unwrap_or_default(),
                    "the period before the window is outside the calendar; give `baseline`",
                )
            })?,
        };
        if baseline.first <= window.last && window.first <= baseline.last {
            return Err(argument(
                "baseline",
                self.baseline.as_deref().unwrap_or_default(),
                "the baseline overlaps the window",
            ));
        }
        Ok(TrendsRequest {
            window,
            baseline,
            kind: self.kind,
            limit: self.entities_limit(),
        })
    }

    /// How many entities `entities` lists.
    pub fn entities_limit(&self) -> usize {
        self.limit.unwrap_or(DEFAULT_ENTITIES_LIMIT)
    }

    /// How many top entities `stats` lists.
    pub fn stats_top(&self) -> usize {
        self.top.unwrap_or(DEFAULT_STATS_TOP)
    }
}

/// The error for a parameter's value.
pub fn argument(name: &str, value: &str, reason: &str) -> Error {
    Error::BadArgument {
        what: parameter_label(name),
        value: shorten(value),
        reason: reason.to_string(),
    }
}

/// The label of a parameter in messages; names nobody defined are "a parameter".
fn parameter_label(name: &str) -> &'static str {
    match name {
        "q" => QUERY,
        "from" => "`from`",
        "to" => "`to`",
        "on" => "`on`",
        "entity" => "`entity`",
        "type" => "`type`",
        "sort" => "`sort`",
        "limit" => "`limit`",
        "offset" => "`offset`",
        "interval" => "`interval`",
        "top" => "`top`",
        "within" => "`within`",
        "with" => "`with`",
        "baseline" => "`baseline`",
        "collapse" => "`collapse`",
        "unique" => "`unique`",
        _ => "a parameter",
    }
}

/// A value quoted in a message, cut so an oversized one does not fill the answer.
fn shorten(value: &str) -> String {
    const SHOWN: usize = 80;
    match value.char_indices().nth(SHOWN) {
        Some((cut, _)) => format!("{}…", &value[..cut]),
        None => value.to_string(),
    }
}

/// Query text up to [`MAX_QUERY_BYTES`]; its syntax is checked when it runs.
pub fn parse_query(text: &str) -> Result<String> {
    if text.len() > MAX_QUERY_BYTES {
        return Err(argument(
            "q",
            text,
            &format!("longer than {MAX_QUERY_BYTES} bytes"),
        ));
    }
    Ok(text.to_string())
}

/// An entity name up to [`MAX_ENTITY_BYTES`].
pub fn parse_entity(text: &str) -> Result<String> {
    if text.len() > MAX_ENTITY_BYTES {
        return Err(argument(
            "entity",
            text,
            &format!("longer than {MAX_ENTITY_BYTES} bytes"),
        ));
    }
    Ok(text.to_string())
}

fn parse_count(name: &str, text: &str, max: usize) -> Result<usize> {
    let value: usize = text
        .trim()
        .parse()
        .map_err(|_| argument(name, text, "expected a whole number"))?;
    if value > max {
        return Err(argument(name, text, &format!("must be at most {max}")));
    }
    Ok(value)
}

/// A number of hits or entities, 0 to [`MAX_LIMIT`].
pub fn parse_limit(text: &str) -> Result<usize> {
    parse_count("limit", text, MAX_LIMIT)
}

/// Hits to skip, 0 to [`MAX_OFFSET`].
pub fn parse_offset(text: &str) -> Result<usize> {
    parse_count("offset", text, MAX_OFFSET)
}

/// How far from an article's date its related articles may be: a span either side, or no
/// limit (`all`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Within(pub Option<Span>);

/// `Nd`, `Nw`, `Nm`, `Ny` around the article's date, or `all`.
pub fn parse_within(text: &str) -> Result<Within> {
    Span::parse_window(text)
        .map(Within)
        .map_err(|err| match err {
            Error::BadDate { reason, .. } => argument("within", text, &reason),
            other => other,
        })
}

/// The entity name of `with`, bounded as an entity filter.
pub fn parse_with(text: &str) -> Result<String> {
    parse_entity(text).map_err(|_| {
        argument(
            "with",
            text,
            &format!("longer than {MAX_ENTITY_BYTES} bytes"),
        )
    })
}

/// `C..D`: two dates of the shared grammar; checked for shape here, for dates when used.
pub fn parse_baseline(text: &str) -> Result<String> {
    match text.split_once("..") {
        Some((first, last)) if !first.trim().is_empty() && !last.trim().is_empty() => {
            Ok(text.to_string())
        }
        _ => Err(argument(
            "baseline",
            text,
            "expected FROM..TO, two dates such as 1987-01..1987-02",
        )),
    }
}

/// The days of a baseline `C..D`: from the first day of C to the last of D.
fn baseline_period(text: &str, today: NaiveDate) -> Result<Period> {
    let text = parse_baseline(text)?;
    let (first, last) = text.split_once("..").unwrap_or_default();
    let range = DateRange::from_specs(Some(first.trim()), Some(last.trim()), None, today)?;
    Period::closed(range).ok_or_else(|| argument("baseline", &text, "expected FROM..TO"))
}

/// A switch: `true` or `false` (a command-line flag given or not).
pub fn parse_switch(name: &str, text: &str) -> Result<bool> {
    match text {
        "true" | "1" => Ok(true),
        "false" | "0" => Ok(false),
        _ => Err(argument(name, text, "expected true or false")),
    }
}

/// `relevance`, `newest` or `oldest`.
pub fn parse_sort(text: &str) -> Result<SortOrder> {
    [SortOrder::Relevance, SortOrder::Newest, SortOrder::Oldest]
        .into_iter()
        .find(|order| order.as_str() == text)
        .ok_or_else(|| argument("sort", text, "expected relevance, newest or oldest"))
}

/// `person`, `org` or `place`.
pub fn parse_kind(text: &str) -> Result<EntityKind> {
    [EntityKind::Person, EntityKind::Org, EntityKind::Place]
        .into_iter()
        .find(|kind| kind.as_str() == text)
        .ok_or_else(|| argument("type", text, "expected person, org or place"))
}

/// `day`, `week`, `month` or `year`.
pub fn parse_interval(text: &str) -> Result<Interval> {
    [
        Interval::Day,
        Interval::Week,
        Interval::Month,
        Interval::Year,
    ]
    .into_iter()
    .find(|interval| interval.as_str() == text)
    .ok_or_else(|| argument("interval", text, "expected day, week, month or year"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> Result<Params> {
        let mut params = Params::default();
        for (name, value) in pairs {
            params.set(name, value)?;
        }
        Ok(params)
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 4, 30).unwrap()
    }

    #[test]
    fn every_name_is_settable_and_unknown_names_are_errors() {
        let values = [
            "oil",
            "2025-01",
            "2025-02",
            "",
            "NATO",
            "org",
            "newest",
            "5",
            "7",
            "week",
            "3",
            "2w",
            "OPEC",
            "2024-01..2024-06",
            "true",
            "1",
        ];
        let mut all = Params::default();
        for (name, value) in NAMES.iter().zip(values) {
            if *name != "on" {
                all.set(name, value).unwrap();
            }
        }
        assert_eq!(all.q, "oil");
        assert_eq!(all.entity, ["NATO"]);
        assert_eq!(all.kind, Some(EntityKind::Org));
        assert_eq!((all.limit, all.offset, all.top), (Some(5), 7, Some(3)));
        assert_eq!(all.interval, Interval::Week);
        assert_eq!(all.within.unwrap().0.unwrap().to_string(), "2w");
        assert_eq!(all.with.as_deref(), Some("OPEC"));
        assert_eq!(all.baseline.as_deref(), Some("2024-01..2024-06"));
        assert!(all.collapse && all.unique);
        assert!(params(&[("unique", "yes")]).is_err());
        let err = params(&[("nhits", "10")]).unwrap_err().to_string();
        assert!(err.contains("no such parameter"), "{err}");
    }

    #[test]
    fn defaults_are_those_of_the_command_line() {
        let request = Params::default().search_request(today()).unwrap();
        assert_eq!(request.limit, DEFAULT_SEARCH_LIMIT);
        assert_eq!(request.offset, 0);
        assert_eq!(request.sort, SortOrder::Relevance);
        assert_eq!(request.filter.text, "*");
        assert_eq!(Params::default().entities_limit(), DEFAULT_ENTITIES_LIMIT);
    }

    #[test]
    fn bounds_are_errors_that_quote_a_short_value() {
        let limit = (MAX_LIMIT + 1).to_string();
        let offset = (MAX_OFFSET + 1).to_string();
        let long_query = "a".repeat(MAX_QUERY_BYTES + 1);
        let long_name = "n".repeat(MAX_ENTITY_BYTES + 1);
        for pairs in [
            vec![("limit", limit.as_str())],
            vec![("offset", offset.as_str())],
            vec![("limit", "-1")],
            vec![("limit", "ten")],
            vec![("q", long_query.as_str())],
            vec![("entity", long_name.as_str())],
            vec![("sort", "sideways")],
            vec![("type", "animal")],
            vec![("interval", "fortnight")],
            vec![("within", "2025-01")],
            vec![("baseline", "2025-01")],
            vec![("baseline", "..2025-01")],
            vec![("with", long_name.as_str())],
        ] {
            let err = params(&pairs).unwrap_err();
            assert!(matches!(err, Error::BadArgument { .. }), "{pairs:?}: {err}");
            assert!(err.to_string().len() < 300, "{err}");
        }
        assert!(params(&[("q", &"a".repeat(MAX_QUERY_BYTES))]).is_ok());
        let many: Vec<(&str, &str)> = vec![("entity", "x"); MAX_ENTITY_FILTERS + 1];
        assert!(params(&many[..MAX_ENTITY_FILTERS]).is_ok());
        assert!(params(&many).is_err());
    }

    #[test]
    fn dates_use_the_shared_grammar() {
        let filter = params(&[("to", "2025-02")])
            .unwrap()
            .filter(today())
            .unwrap();
        assert_eq!(
            filter.dates.last,
            NaiveDate::from_ymd_opt(2025, 2, 28),
            "a month includes its last day"
        );
        let err = params(&[("from", "2025-05"), ("to", "2025-04")])
            .unwrap()
            .filter(today())
            .unwrap_err();
        assert!(matches!(err, Error::EmptyDateRange { .. }), "{err}");
        let err = params(&[("on", "2025-02-30")])
            .unwrap()
            .filter(today())
            .unwrap_err();
        assert!(matches!(err, Error::BadDate { .. }), "{err}");
    }

    #[test]
    fn entities_count_by_type_without_filtering_by_it() {
        let params = params(&[("type", "person"), ("entity", "NATO")]).unwrap();
        assert_eq!(
            params.filter(today()).unwrap().kind,
            Some(EntityKind::Person)
        );
        assert_eq!(params.entities_filter(today()).unwrap().kind, None);
    }

    #[test]
    fn trends_windows_are_closed_and_baselines_precede_them_by_default() {
        let request = params(&[("from", "2025-03"), ("to", "2025-03")])
            .unwrap()
            .trends_request(today())
            .unwrap();
        let day = |text| crate::dates::parse_day(text).unwrap();
        assert_eq!(request.window.first, day("2025-03-01"));
        assert_eq!(request.baseline.last, day("2025-02-28"));
        assert_eq!(request.baseline.first, day("2024-10-28"));
        let given = params(&[("on", "2025-03"), ("baseline", "2024..2024")])
            .unwrap()
            .trends_request(today())
            .unwrap();
        assert_eq!(
            (given.baseline.first, given.baseline.last),
            (day("2024-01-01"), day("2024-12-31"))
        );
        let open_end = params(&[("from", "2025-04-20")])
            .unwrap()
            .trends_request(today())
            .unwrap();
        assert_eq!(open_end.window.last, today());
        let open_start = params(&[("to", "2025-03-10")])
            .unwrap()
            .trends_request(today())
            .unwrap();
        assert_eq!(open_start.window.first, day("2025-03-04"));
        for pairs in [
            vec![("from", "2025-05")],
            vec![("on", "2025-03"), ("baseline", "2025-01..2025-03")],
            vec![("on", "2025-03"), ("baseline", "2025-02..2025-01")],
        ] {
            let err = params(&pairs).unwrap().trends_request(today()).unwrap_err();
            assert!(
                matches!(
                    err,
                    Error::BadArgument { .. } | Error::EmptyDateRange { .. }
                ),
                "{pairs:?}: {err}"
            );
        }
    }

    #[test]
    fn related_defaults_to_a_week_either_side() {
        let request = Params::default().related_request("x");
        assert_eq!(request.within, Some(DEFAULT_WITHIN));
        assert_eq!(request.limit, DEFAULT_SEARCH_LIMIT);
        let all = params(&[("within", "all")]).unwrap().related_request("x");
        assert_eq!(all.within, None);
    }
}
