//! Calendar-day value types: the date specs users type (`2025-04`, `30d`) and the inclusive ranges they make.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, Days, Months, NaiveDate};

use crate::error::{Error, Result};

/// Earliest and latest dates dateline accepts anywhere (article headers and filters).
pub const MIN_YEAR: i32 = 1;
pub const MAX_YEAR: i32 = 9999;

/// A date as a user types it on the command line.
///
/// Absolute specs cover a whole day, month or year; relative specs (`30d`, `2w`, `6m`, `1y`)
/// name the single day that many units before "today", which is always passed in, never read
/// from the clock here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateSpec {
    Day(NaiveDate),
    Month { year: i32, month: u32 },
    Year(i32),
    Ago { count: u32, unit: AgoUnit },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgoUnit {
    Days,
    Weeks,
    Months,
    Years,
}

impl AgoUnit {
    fn suffix(self) -> char {
        match self {
            AgoUnit::Days => 'd',
            AgoUnit::Weeks => 'w',
            AgoUnit::Months => 'm',
            AgoUnit::Years => 'y',
        }
    }
}

fn bad(value: &str, reason: impl Into<String>) -> Error {
    Error::BadDate {
        value: value.to_string(),
        reason: reason.into(),
    }
}

const EXPECTED: &str =
    "expected YYYY-MM-DD, YYYY-MM, YYYY, or Nd/Nw/Nm/Ny (days/weeks/months/years ago)";

/// Parses exactly `YYYY-MM-DD` (four-digit year, two-digit month and day) into a real calendar day.
///
/// Shared by article headers and command-line dates so both accept the same days.
pub fn parse_day(text: &str) -> std::result::Result<NaiveDate, String> {
    let bytes = text.as_bytes();
    let shape_ok = bytes.len() == 10
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && bytes
            .iter()
            .enumerate()
            .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
    if !shape_ok {
        return Err("expected a date as YYYY-MM-DD".to_string());
    }
    let year: i32 = text[0..4].parse().map_err(|_| "bad year".to_string())?;
    let month: u32 = text[5..7].parse().map_err(|_| "bad month".to_string())?;
    let day: u32 = text[8..10].parse().map_err(|_| "bad day".to_string())?;
    if year < MIN_YEAR {
        return Err(format!(
            "year {year:04} is out of range ({MIN_YEAR:04}-{MAX_YEAR})"
        ));
    }
    NaiveDate::from_ymd_opt(year, month, day)
        .ok_or_else(|| format!("{text} is not a calendar date"))
}

impl FromStr for DateSpec {
    type Err = Error;

    fn from_str(value: &str) -> Result<Self> {
        let text = value.trim();
        if text.is_empty() {
            return Err(bad(value, EXPECTED));
        }
        if let Some(last) = text.chars().last().filter(|c| c.is_ascii_alphabetic()) {
            let unit = match last.to_ascii_lowercase() {
                'd' => AgoUnit::Days,
                'w' => AgoUnit::Weeks,
                'm' => AgoUnit::Months,
                'y' => AgoUnit::Years,
                _ => return Err(bad(value, EXPECTED)),
            };
            let digits = &text[..text.len() - 1];
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad(value, EXPECTED));
            }
            let count: u32 = digits
                .parse()
                .map_err(|_| bad(value, "the number is too large"))?;
            return Ok(DateSpec::Ago { count, unit });
        }
        let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        // Every valid form is ASCII; checking first makes the byte slicing below safe.
        if !text.is_ascii() {
            return Err(bad(value, EXPECTED));
        }
        match text.len() {
            4 if all_digits(text) => {
                let year: i32 = text.parse().map_err(|_| bad(value, EXPECTED))?;
                if year < MIN_YEAR {
                    return Err(bad(value, "year 0000 does not exist"));
                }
                Ok(DateSpec::Year(year))
            }
            7 if all_digits(&text[0..4]) && &text[4..5] == "-" && all_digits(&text[5..7]) => {
                let year: i32 = text[0..4].parse().map_err(|_| bad(value, EXPECTED))?;
                let month: u32 = text[5..7].parse().map_err(|_| bad(value, EXPECTED))?;
                if year < MIN_YEAR {
                    return Err(bad(value, "year 0000 does not exist"));
                }
                if !(1..=12).contains(&month) {
                    return Err(bad(value, "month must be 01 to 12"));
                }
                Ok(DateSpec::Month { year, month })
            }
            10 => parse_day(text)
                .map(DateSpec::Day)
                .map_err(|reason| bad(value, reason)),
            _ => Err(bad(value, EXPECTED)),
        }
    }
}

impl fmt::Display for DateSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DateSpec::Day(day) => write!(f, "{}", day.format("%Y-%m-%d")),
            DateSpec::Month { year, month } => write!(f, "{year:04}-{month:02}"),
            DateSpec::Year(year) => write!(f, "{year:04}"),
            DateSpec::Ago { count, unit } => write!(f, "{count}{}", unit.suffix()),
        }
    }
}

impl DateSpec {
    /// The first and last day (inclusive) this spec covers, with `today` as the anchor of relative specs.
    pub fn days(&self, today: NaiveDate) -> Result<(NaiveDate, NaiveDate)> {
        let out_of_range = || bad(&self.to_string(), "the date is out of range");
        match *self {
            DateSpec::Day(day) => Ok((day, day)),
            DateSpec::Month { year, month } => {
                let first = NaiveDate::from_ymd_opt(year, month, 1).ok_or_else(out_of_range)?;
                let last = first
                    .checked_add_months(Months::new(1))
                    .and_then(|next| next.pred_opt())
                    .ok_or_else(out_of_range)?;
                Ok((first, last))
            }
            DateSpec::Year(year) => {
                let first = NaiveDate::from_ymd_opt(year, 1, 1).ok_or_else(out_of_range)?;
                let last = NaiveDate::from_ymd_opt(year, 12, 31).ok_or_else(out_of_range)?;
                Ok((first, last))
            }
            DateSpec::Ago { count, unit } => {
                let day = match unit {
                    AgoUnit::Days => today.checked_sub_days(Days::new(u64::from(count))),
                    AgoUnit::Weeks => today.checked_sub_days(Days::new(u64::from(count) * 7)),
                    AgoUnit::Months => today.checked_sub_months(Months::new(count)),
                    AgoUnit::Years => count
                        .checked_mul(12)
                        .and_then(|months| today.checked_sub_months(Months::new(months))),
                }
                .filter(|day| day.year() >= MIN_YEAR)
                .ok_or_else(out_of_range)?;
                Ok((day, day))
            }
        }
    }
}

/// An inclusive range of whole days; either end may be open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DateRange {
    pub first: Option<NaiveDate>,
    pub last: Option<NaiveDate>,
}

impl DateRange {
    /// Builds the range from `--from`, `--to` and `--on` as typed.
    ///
    /// `--from` takes the first day of its spec and `--to` the last (`--to 2025-04` includes
    /// April 30); `--on D` means `--from D --to D` and cannot be combined with them.
    pub fn from_specs(
        from: Option<&str>,
        to: Option<&str>,
        on: Option<&str>,
        today: NaiveDate,
    ) -> Result<Self> {
        if let Some(on) = on {
            if from.is_some() || to.is_some() {
                return Err(Error::BadArgument {
                    what: "`on`",
                    value: on.to_string(),
                    reason: "a single day or period cannot be combined with `from` or `to`"
                        .to_string(),
                });
            }
            let (first, last) = on.parse::<DateSpec>()?.days(today)?;
            return Ok(DateRange {
                first: Some(first),
                last: Some(last),
            });
        }
        let first = match from {
            Some(spec) => Some(spec.parse::<DateSpec>()?.days(today)?.0),
            None => None,
        };
        let last = match to {
            Some(spec) => Some(spec.parse::<DateSpec>()?.days(today)?.1),
            None => None,
        };
        if let (Some(first_day), Some(last_day)) = (first, last) {
            if first_day > last_day {
                return Err(Error::EmptyDateRange {
                    from: format!("{} ({first_day})", from.unwrap_or_default()),
                    to: format!("{} ({last_day})", to.unwrap_or_default()),
                });
            }
        }
        Ok(DateRange { first, last })
    }

    pub fn is_all(&self) -> bool {
        self.first.is_none() && self.last.is_none()
    }
}

/// A length of time on either side of a day (`7d`, `2w`, `1m`, `1y`): the window of `related`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub count: u32,
    pub unit: AgoUnit,
}

const SPAN_EXPECTED: &str = "expected Nd, Nw, Nm or Ny (days, weeks, months or years), or `all`";

impl Span {
    /// Parses `Nd`, `Nw`, `Nm` or `Ny`; `all` (no window at all) is `None`.
    pub fn parse_window(value: &str) -> Result<Option<Span>> {
        let text = value.trim();
        if text.eq_ignore_ascii_case("all") {
            return Ok(None);
        }
        match text.parse::<DateSpec>() {
            Ok(DateSpec::Ago { count, unit }) => Ok(Some(Span { count, unit })),
            _ => Err(bad(value, SPAN_EXPECTED)),
        }
    }

    /// The days from `count` units before `day` to as many after it; an end beyond the
    /// calendar is left open.
    pub fn around(&self, day: NaiveDate) -> DateRange {
        let count = u64::from(self.count);
        let (before, after) = match self.unit {
            AgoUnit::Days => (
                day.checked_sub_days(Days::new(count)),
                day.checked_add_days(Days::new(count)),
            ),
            AgoUnit::Weeks => (
                day.checked_sub_days(Days::new(count * 7)),
                day.checked_add_days(Days::new(count * 7)),
            ),
            AgoUnit::Months | AgoUnit::Years => {
                let months = match self.unit {
                    AgoUnit::Years => self.count.saturating_mul(12),
                    _ => self.count,
                };
                (
                    day.checked_sub_months(Months::new(months)),
                    day.checked_add_months(Months::new(months)),
                )
            }
        };
        DateRange {
            first: before,
            last: after,
        }
    }
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.count, self.unit.suffix())
    }
}

impl DateRange {
    /// The number of days from the first to the last, both included; `None` for an open range.
    pub fn days(&self) -> Option<i64> {
        Some(self.last?.signed_duration_since(self.first?).num_days() + 1)
    }
}

/// The first and last day an article may carry: the index stores dates as nanoseconds since
/// 1970 in an i64, which spans 1677-09-21 to 2262-04-11; whole years inside that are accepted.
pub fn indexable_days() -> (NaiveDate, NaiveDate) {
    (
        NaiveDate::from_ymd_opt(1678, 1, 1).unwrap_or_default(),
        NaiveDate::from_ymd_opt(2261, 12, 31).unwrap_or_default(),
    )
}

/// Days since 1970-01-01: the integer form of a calendar day used in the index.
pub fn day_number(day: NaiveDate) -> i64 {
    day.signed_duration_since(NaiveDate::default()).num_days()
}

/// The calendar day of a day number.
pub fn day_from_number(days: i64) -> Option<NaiveDate> {
    NaiveDate::default().checked_add_signed(chrono::TimeDelta::try_days(days)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    fn today() -> NaiveDate {
        day("2025-03-31")
    }

    fn range(from: Option<&str>, to: Option<&str>, on: Option<&str>) -> Result<DateRange> {
        DateRange::from_specs(from, to, on, today())
    }

    #[test]
    fn spans_reach_both_ways_and_all_is_no_window() {
        let span = Span::parse_window("7d").unwrap().unwrap();
        assert_eq!(span.to_string(), "7d");
        let range = span.around(day("2025-03-01"));
        assert_eq!(range.first, Some(day("2025-02-22")));
        assert_eq!(range.last, Some(day("2025-03-08")));
        assert_eq!(range.days(), Some(15));
        let month = Span::parse_window("1m")
            .unwrap()
            .unwrap()
            .around(day("2025-03-31"));
        assert_eq!(
            (month.first, month.last),
            (Some(day("2025-02-28")), Some(day("2025-04-30")))
        );
        assert_eq!(Span::parse_window("ALL").unwrap(), None);
        for text in ["", "7", "2025-03", "week", "-1d"] {
            let err = Span::parse_window(text).unwrap_err();
            assert!(err.to_string().contains("Nd, Nw"), "{text}: {err}");
        }
    }

    #[test]
    fn parse_day_accepts_calendar_days_only() {
        assert_eq!(parse_day("2024-02-29"), Ok(day("2024-02-29")));
        assert!(parse_day("2025-02-29").is_err());
        assert!(parse_day("2025-02-30").is_err());
        assert!(parse_day("0000-00-00").is_err());
        assert!(parse_day("0000-01-01").is_err());
        assert!(parse_day("2025-13-01").is_err());
        assert!(parse_day("2025-1-01").is_err());
        assert!(parse_day("99999-01-01").is_err());
        assert!(parse_day("2025/01/01").is_err());
        assert!(parse_day("２０２５-01-01").is_err());
    }

    #[test]
    fn spec_parses_every_form_and_prints_it_back() {
        for text in [
            "2025-04-03",
            "2025-04",
            "2025",
            "30d",
            "2w",
            "6m",
            "1y",
            "0d",
        ] {
            let spec: DateSpec = text.parse().unwrap();
            assert_eq!(spec.to_string(), text);
        }
        assert_eq!("30D".parse::<DateSpec>().unwrap().to_string(), "30d");
    }

    #[test]
    fn spec_rejects_malformed_values_with_the_value_quoted() {
        for text in [
            "",
            "d",
            "-3d",
            "3x",
            "20250",
            "2025-4",
            "2025-00",
            "2025-13",
            "0000",
            "yesterday",
            "2025-é",
            "٣d",
            "3.5d",
            "99999999999d",
        ] {
            let err = text.parse::<DateSpec>().unwrap_err();
            assert!(err.to_string().contains(&format!("{text:?}")), "{err}");
        }
    }

    #[test]
    fn month_spec_covers_whole_month_with_real_lengths() {
        let cases = [
            ("2025-04", "2025-04-01", "2025-04-30"),
            ("2025-02", "2025-02-01", "2025-02-28"),
            ("2024-02", "2024-02-01", "2024-02-29"),
            ("1900-02", "1900-02-01", "1900-02-28"),
            ("2000-02", "2000-02-01", "2000-02-29"),
            ("2025-12", "2025-12-01", "2025-12-31"),
            ("9999-12", "9999-12-01", "9999-12-31"),
        ];
        for (spec, first, last) in cases {
            let days = spec.parse::<DateSpec>().unwrap().days(today()).unwrap();
            assert_eq!(days, (day(first), day(last)), "{spec}");
        }
    }

    #[test]
    fn year_spec_covers_whole_year() {
        let days = "2024".parse::<DateSpec>().unwrap().days(today()).unwrap();
        assert_eq!(days, (day("2024-01-01"), day("2024-12-31")));
    }

    #[test]
    fn relative_specs_count_back_from_injected_today() {
        let cases = [
            ("0d", "2025-03-31"),
            ("1d", "2025-03-30"),
            ("31d", "2025-02-28"),
            ("2w", "2025-03-17"),
            ("1m", "2025-02-28"),
            ("13m", "2024-02-29"),
            ("1y", "2024-03-31"),
        ];
        for (spec, expected) in cases {
            let days = spec.parse::<DateSpec>().unwrap().days(today()).unwrap();
            assert_eq!(days, (day(expected), day(expected)), "{spec}");
        }
    }

    #[test]
    fn relative_spec_before_year_one_is_an_error() {
        assert!("99999y".parse::<DateSpec>().unwrap().days(today()).is_err());
        assert!("4000000000d"
            .parse::<DateSpec>()
            .unwrap()
            .days(today())
            .is_err());
    }

    #[test]
    fn range_ends_are_inclusive_whole_periods() {
        let r = range(Some("2025-03"), Some("2025-04"), None).unwrap();
        assert_eq!(r.first, Some(day("2025-03-01")));
        assert_eq!(r.last, Some(day("2025-04-30")));
    }

    #[test]
    fn on_is_from_and_to_the_same_spec() {
        let r = range(None, None, Some("2024-02")).unwrap();
        assert_eq!(r, range(Some("2024-02"), Some("2024-02"), None).unwrap());
        assert_eq!(r.last, Some(day("2024-02-29")));
        let err = range(Some("2024"), None, Some("2024")).unwrap_err();
        assert!(!err.to_string().contains("--"), "{err}");
    }

    #[test]
    fn from_after_to_is_an_error() {
        let err = range(Some("2025-05"), Some("2025-04"), None).unwrap_err();
        assert!(matches!(err, Error::EmptyDateRange { .. }), "{err}");
        assert!(range(Some("2025-04-30"), Some("2025-04"), None).is_ok());
        assert!(range(Some("7d"), Some("30d"), None).is_err());
        assert!(range(Some("30d"), Some("7d"), None).is_ok());
    }

    #[test]
    fn open_ranges() {
        let r = range(Some("2025"), None, None).unwrap();
        assert_eq!(r.first, Some(day("2025-01-01")));
        assert_eq!(r.last, None);
        assert!(!r.is_all());
        assert!(range(None, None, None).unwrap().is_all());
    }

    #[test]
    fn day_numbers_round_trip() {
        for text in [
            "1970-01-01",
            "1987-02-26",
            "0001-01-01",
            "9999-12-31",
            "2024-02-29",
        ] {
            let d = day(text);
            assert_eq!(day_from_number(day_number(d)), Some(d));
        }
        assert_eq!(day_number(day("1970-01-02")), 1);
    }

    mod fuzz {
        use super::super::*;
        use proptest::prelude::*;

        fn today() -> NaiveDate {
            NaiveDate::from_ymd_opt(2025, 3, 31).unwrap()
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(2000))]

            #[test]
            fn spec_parser_never_panics_and_round_trips(text in "\\PC{0,16}") {
                if let Ok(spec) = text.parse::<DateSpec>() {
                    prop_assert_eq!(spec.to_string().parse::<DateSpec>().unwrap(), spec);
                    if let Ok((first, last)) = spec.days(today()) {
                        prop_assert!(first <= last);
                    }
                }
            }

            #[test]
            fn spec_like_values_never_panic(text in "[0-9]{0,12}[-dwmyDWMY]{0,2}[0-9]{0,3}") {
                if let Ok(spec) = text.parse::<DateSpec>() {
                    let _ = spec.days(today());
                }
            }

            #[test]
            fn ranges_are_empty_only_as_errors(from in "[0-9]{4}(-[0-9]{2}){0,2}", to in "[0-9]{4}(-[0-9]{2}){0,2}") {
                if let Ok(range) = DateRange::from_specs(Some(&from), Some(&to), None, today()) {
                    prop_assert!(range.first <= range.last);
                }
            }
        }
    }
}
