//! Rendering results as text for people or JSON for scripts, into any `Write`.
//!
//! The JSON wire format (every field is kept; new ones may be added):
//! - search: `{"query", "total", "offset", "limit", "sort", "hits": [{"rank", "score", "id",
//!   "path", "date", "title", "snippet", "highlights": [[start, end]], "entities": [{"name", "type"}]}]}`
//!   (`highlights` are byte ranges into `snippet`);
//! - stats: `{"documents", "first_date", "last_date", "months": [{"month", "count"}],
//!   "top_entities": [{"name", "type", "count"}]}`;
//! - timeline: `{"query", "interval", "total", "buckets": [{"start", "count"}]}`;
//! - entities: `{"query", "documents", "entities": [{"name", "type", "count"}]}`;
//! - show and each export line: `{"id", "path", "date", "title", "body", "entities", "url", "source"}`;
//! - ingest: `{"indexed", "replaced", "unchanged", "duplicates", "rejected": [{"path", "line", "reason"}],
//!   "duplicate_articles": [{"path", "line", "duplicate_of"}], "elapsed_ms", "articles_per_second", "documents",
//!   "interrupted"}`.
//!
//! Dates are `YYYY-MM-DD` everywhere.

use std::io::{self, Write};

use anstyle::{AnsiColor, Style};
use chrono::NaiveDate;
use serde::Serialize;

use crate::entities::{Entity, EntityKind};
use crate::ingest::{IngestReport, RemoveReport};
use crate::query::SearchRequest;
use crate::schema::StoredArticle;
use crate::search::{EntityCount, Hit, Interval, SearchResults, Stats};

const BOLD: Style = Style::new().bold();
const DIM: Style = Style::new().dimmed();
const DATE: Style = AnsiColor::Cyan.on_default();
const MATCH: Style = AnsiColor::Red.on_default().bold();
const PATH: Style = AnsiColor::Magenta.on_default();
/// Widest bar in a chart, in cells.
const BAR_WIDTH: usize = 50;

fn day(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

#[derive(Serialize)]
struct EntityJson<'a> {
    name: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
}

fn entity_list(entities: &[Entity]) -> Vec<EntityJson<'_>> {
    entities
        .iter()
        .map(|entity| EntityJson {
            name: &entity.name,
            kind: entity.kind.as_str(),
        })
        .collect()
}

#[derive(Serialize)]
struct CountedEntityJson<'a> {
    name: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
    count: u64,
}

fn counted_json(counts: &[EntityCount]) -> Vec<CountedEntityJson<'_>> {
    counts
        .iter()
        .map(|c| CountedEntityJson {
            name: &c.entity.name,
            kind: c.entity.kind.as_str(),
            count: c.count,
        })
        .collect()
}

fn write_json(out: &mut impl Write, value: &impl Serialize) -> io::Result<()> {
    // `From` gives back the writer's own error (a closed pipe stays a closed pipe).
    serde_json::to_writer(&mut *out, value).map_err(io::Error::from)?;
    writeln!(out)
}

#[derive(Serialize)]
struct HitJson<'a> {
    rank: usize,
    score: f32,
    id: &'a str,
    path: &'a str,
    date: String,
    title: &'a str,
    snippet: &'a str,
    highlights: Vec<[usize; 2]>,
    entities: Vec<EntityJson<'a>>,
}

pub fn search_json(
    out: &mut impl Write,
    request: &SearchRequest,
    results: &SearchResults,
) -> io::Result<()> {
    #[derive(Serialize)]
    struct SearchJson<'a> {
        query: &'a str,
        total: usize,
        offset: usize,
        limit: usize,
        sort: &'static str,
        hits: Vec<HitJson<'a>>,
    }
    let hits = results
        .hits
        .iter()
        .map(|hit| HitJson {
            rank: hit.rank,
            score: hit.score,
            id: &hit.article.id,
            path: &hit.article.path,
            date: day(hit.article.date),
            title: &hit.article.title,
            snippet: &hit.snippet.text,
            highlights: hit
                .snippet
                .highlights
                .iter()
                .map(|r| [r.start, r.end])
                .collect(),
            entities: entity_list(&hit.article.entities),
        })
        .collect();
    write_json(
        out,
        &SearchJson {
            query: &request.filter.text,
            total: results.total,
            offset: request.offset,
            limit: request.limit,
            sort: request.sort.as_str(),
            hits,
        },
    )
}

/// A path as people read it: relative to the working folder when it lies below it.
pub fn display_path(path: &str) -> String {
    let Ok(cwd) = std::env::current_dir() else {
        return path.to_string();
    };
    match std::path::Path::new(path).strip_prefix(&cwd) {
        Ok(relative) => relative.to_string_lossy().into_owned(),
        Err(_) => path.to_string(),
    }
}

fn entity_line(entities: &[Entity]) -> String {
    let mut parts = Vec::new();
    for kind in [EntityKind::Person, EntityKind::Org, EntityKind::Place] {
        let names: Vec<&str> = entities
            .iter()
            .filter(|e| e.kind == kind)
            .map(|e| e.name.as_str())
            .collect();
        if !names.is_empty() {
            parts.push(format!("{}: {}", kind.as_str(), names.join(", ")));
        }
    }
    parts.join(" · ")
}

fn write_hit(out: &mut impl Write, hit: &Hit) -> io::Result<()> {
    let article = &hit.article;
    writeln!(
        out,
        "{BOLD}{:>3}.{BOLD:#} {DATE}{}{DATE:#}  {BOLD}{}{BOLD:#}  {DIM}score {:.2}{DIM:#}",
        hit.rank,
        day(article.date),
        article.title,
        hit.score
    )?;
    writeln!(
        out,
        "     {PATH}{}{PATH:#}  {DIM}id {}{DIM:#}",
        display_path(&article.path),
        article.id
    )?;
    let snippet = &hit.snippet;
    let mut text = String::new();
    let mut from = 0;
    for range in &snippet.highlights {
        if range.start < from || range.end > snippet.text.len() {
            continue;
        }
        text.push_str(&snippet.text[from..range.start]);
        text.push_str(&format!("{MATCH}{}{MATCH:#}", &snippet.text[range.clone()]));
        from = range.end;
    }
    text.push_str(&snippet.text[from..]);
    if !text.is_empty() {
        writeln!(out, "     {text}")?;
    }
    let entities = entity_line(&article.entities);
    if !entities.is_empty() {
        writeln!(out, "     {DIM}{entities}{DIM:#}")?;
    }
    writeln!(out)
}

pub fn search_text(
    out: &mut impl Write,
    request: &SearchRequest,
    results: &SearchResults,
) -> io::Result<()> {
    for hit in &results.hits {
        write_hit(out, hit)?;
    }
    let shown = results.hits.len();
    let noun = if results.total == 1 {
        "article matches"
    } else {
        "articles match"
    };
    if shown == 0 {
        if results.total > 0 {
            writeln!(
                out,
                "{} {noun}; none on this page (--offset {})",
                results.total, request.offset
            )?;
        } else {
            writeln!(out, "no articles match")?;
        }
        return Ok(());
    }
    let first = request.offset + 1;
    let last = request.offset + shown;
    write!(
        out,
        "{} {noun}; showing {first}-{last}, by {}",
        results.total,
        request.sort.as_str()
    )?;
    if last < results.total {
        write!(out, " (next page: --offset {last})")?;
    }
    writeln!(out)
}

fn bar(count: u64, max: u64) -> String {
    if max == 0 || count == 0 {
        return String::new();
    }
    // Eighths of a cell, so small counts stay visible and proportions stay honest.
    let eighths = ((count as f64 / max as f64) * (BAR_WIDTH * 8) as f64)
        .round()
        .max(1.0) as usize;
    let mut text = "█".repeat(eighths / 8);
    let partial = [' ', '▏', '▎', '▍', '▌', '▋', '▊', '▉'][eighths % 8];
    if partial != ' ' {
        text.push(partial);
    }
    text
}

fn bucket_label(start: NaiveDate, interval: Interval) -> String {
    match interval {
        Interval::Day | Interval::Week => day(start),
        Interval::Month => start.format("%Y-%m").to_string(),
        Interval::Year => start.format("%Y").to_string(),
    }
}

fn write_chart(out: &mut impl Write, rows: &[(String, u64)]) -> io::Result<()> {
    let max = rows.iter().map(|(_, count)| *count).max().unwrap_or(0);
    let count_width = max.to_string().len();
    for (label, count) in rows {
        writeln!(
            out,
            "{label}  {count:>count_width$}  {DATE}{}{DATE:#}",
            bar(*count, max)
        )?;
    }
    Ok(())
}

pub fn timeline_text(
    out: &mut impl Write,
    buckets: &[(NaiveDate, u64)],
    interval: Interval,
) -> io::Result<()> {
    if buckets.is_empty() {
        return writeln!(out, "no articles match");
    }
    let rows: Vec<(String, u64)> = buckets
        .iter()
        .map(|(start, count)| (bucket_label(*start, interval), *count))
        .collect();
    write_chart(out, &rows)?;
    let total: u64 = buckets.iter().map(|(_, count)| count).sum();
    let label = if interval == Interval::Week {
        "weeks (starting Monday)"
    } else {
        ""
    };
    writeln!(
        out,
        "{total} articles in {} {}",
        buckets.len(),
        if label.is_empty() {
            format!("{}s", interval.as_str())
        } else {
            label.to_string()
        }
    )
}

pub fn timeline_json(
    out: &mut impl Write,
    query: &str,
    buckets: &[(NaiveDate, u64)],
    interval: Interval,
) -> io::Result<()> {
    #[derive(Serialize)]
    struct Bucket {
        start: String,
        count: u64,
    }
    #[derive(Serialize)]
    struct TimelineJson<'a> {
        query: &'a str,
        interval: &'static str,
        total: u64,
        buckets: Vec<Bucket>,
    }
    write_json(
        out,
        &TimelineJson {
            query,
            interval: interval.as_str(),
            total: buckets.iter().map(|(_, c)| c).sum(),
            buckets: buckets
                .iter()
                .map(|(start, count)| Bucket {
                    start: day(*start),
                    count: *count,
                })
                .collect(),
        },
    )
}

fn write_entity_table(out: &mut impl Write, counts: &[EntityCount]) -> io::Result<()> {
    let width = counts
        .iter()
        .map(|c| c.count.to_string().len())
        .max()
        .unwrap_or(1)
        .max(5);
    writeln!(
        out,
        "{BOLD}{:>width$}  {:<6}  name{BOLD:#}",
        "count", "type"
    )?;
    for c in counts {
        writeln!(
            out,
            "{:>width$}  {:<6}  {}",
            c.count,
            c.entity.kind.as_str(),
            c.entity.name
        )?;
    }
    Ok(())
}

pub fn entities_text(
    out: &mut impl Write,
    documents: usize,
    counts: &[EntityCount],
) -> io::Result<()> {
    if counts.is_empty() {
        return writeln!(out, "no entities in {documents} matching articles");
    }
    write_entity_table(out, counts)?;
    writeln!(
        out,
        "{} entities shown, from {documents} matching articles",
        counts.len()
    )
}

pub fn entities_json(
    out: &mut impl Write,
    query: &str,
    documents: usize,
    counts: &[EntityCount],
) -> io::Result<()> {
    #[derive(Serialize)]
    struct EntitiesJson<'a> {
        query: &'a str,
        documents: usize,
        entities: Vec<CountedEntityJson<'a>>,
    }
    write_json(
        out,
        &EntitiesJson {
            query,
            documents,
            entities: counted_json(counts),
        },
    )
}

pub fn stats_text(out: &mut impl Write, stats: &Stats, index: &str) -> io::Result<()> {
    writeln!(out, "{BOLD}index{BOLD:#}       {index}")?;
    writeln!(out, "{BOLD}documents{BOLD:#}   {}", stats.documents)?;
    let span = |d: Option<NaiveDate>| d.map_or_else(|| "-".to_string(), day);
    writeln!(out, "{BOLD}first date{BOLD:#}  {}", span(stats.first_date))?;
    writeln!(out, "{BOLD}last date{BOLD:#}   {}", span(stats.last_date))?;
    if !stats.months.is_empty() {
        writeln!(out, "\n{BOLD}articles per month{BOLD:#}")?;
        let rows: Vec<(String, u64)> = stats
            .months
            .iter()
            .map(|(month, count)| (month.format("%Y-%m").to_string(), *count))
            .collect();
        write_chart(out, &rows)?;
    }
    if !stats.top_entities.is_empty() {
        writeln!(out, "\n{BOLD}top entities{BOLD:#}")?;
        write_entity_table(out, &stats.top_entities)?;
    }
    Ok(())
}

pub fn stats_json(out: &mut impl Write, stats: &Stats) -> io::Result<()> {
    #[derive(Serialize)]
    struct Month {
        month: String,
        count: u64,
    }
    #[derive(Serialize)]
    struct StatsJson<'a> {
        documents: u64,
        first_date: Option<String>,
        last_date: Option<String>,
        months: Vec<Month>,
        top_entities: Vec<CountedEntityJson<'a>>,
    }
    write_json(
        out,
        &StatsJson {
            documents: stats.documents,
            first_date: stats.first_date.map(day),
            last_date: stats.last_date.map(day),
            months: stats
                .months
                .iter()
                .map(|(month, count)| Month {
                    month: month.format("%Y-%m").to_string(),
                    count: *count,
                })
                .collect(),
            top_entities: counted_json(&stats.top_entities),
        },
    )
}

#[derive(Serialize)]
struct ArticleJson<'a> {
    id: &'a str,
    path: &'a str,
    date: String,
    title: &'a str,
    body: &'a str,
    entities: Vec<EntityJson<'a>>,
    url: Option<&'a str>,
    source: Option<&'a str>,
}

/// One article as a single JSON line (`show --json` and `export`).
pub fn article_json(out: &mut impl Write, article: &StoredArticle) -> io::Result<()> {
    write_json(
        out,
        &ArticleJson {
            id: &article.id,
            path: &article.path,
            date: day(article.date),
            title: &article.title,
            body: &article.body,
            entities: entity_list(&article.entities),
            url: article.url.as_deref(),
            source: article.source.as_deref(),
        },
    )
}

pub fn article_text(out: &mut impl Write, article: &StoredArticle) -> io::Result<()> {
    writeln!(out, "{BOLD}{}{BOLD:#}", article.title)?;
    writeln!(
        out,
        "{DIM}date{DIM:#}      {DATE}{}{DATE:#}",
        day(article.date)
    )?;
    writeln!(out, "{DIM}id{DIM:#}        {}", article.id)?;
    writeln!(
        out,
        "{DIM}path{DIM:#}      {PATH}{}{PATH:#}",
        display_path(&article.path)
    )?;
    if let Some(url) = &article.url {
        writeln!(out, "{DIM}url{DIM:#}       {url}")?;
    }
    if let Some(source) = &article.source {
        writeln!(out, "{DIM}source{DIM:#}    {source}")?;
    }
    for kind in [EntityKind::Person, EntityKind::Org, EntityKind::Place] {
        let names: Vec<&str> = article
            .entities
            .iter()
            .filter(|e| e.kind == kind)
            .map(|e| e.name.as_str())
            .collect();
        if !names.is_empty() {
            writeln!(out, "{DIM}{:<10}{DIM:#}{}", kind.as_str(), names.join(", "))?;
        }
    }
    if !article.body.is_empty() {
        writeln!(out)?;
        writeln!(out, "{}", article.body)?;
    }
    Ok(())
}

pub fn ingest_json(out: &mut impl Write, report: &IngestReport) -> io::Result<()> {
    write_json(out, report)
}

pub fn ingest_text(out: &mut impl Write, report: &IngestReport, index: &str) -> io::Result<()> {
    writeln!(
        out,
        "{BOLD}{}{BOLD:#} indexed, {} replaced, {} unchanged, {} duplicates, {} moved, {} removed, {} rejected in {:.1} s ({:.0} articles/s)",
        report.indexed,
        report.replaced,
        report.unchanged,
        report.duplicates,
        report.moved,
        report.removed,
        report.rejected.len(),
        report.elapsed_ms as f64 / 1000.0,
        report.articles_per_second
    )?;
    writeln!(out, "{} now holds {} articles", index, report.documents)
}

pub fn remove_json(out: &mut impl Write, report: &RemoveReport) -> io::Result<()> {
    #[derive(Serialize)]
    struct RemoveJson {
        removed: u64,
        documents: u64,
    }
    write_json(
        out,
        &RemoveJson {
            removed: report.removed,
            documents: report.documents,
        },
    )
}

pub fn remove_text(out: &mut impl Write, report: &RemoveReport, index: &str) -> io::Result<()> {
    writeln!(out, "{BOLD}{}{BOLD:#} removed", report.removed)?;
    writeln!(out, "{} now holds {} articles", index, report.documents)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_are_proportional_and_never_hide_a_count() {
        assert_eq!(bar(0, 10), "");
        assert_eq!(bar(10, 10).chars().count(), BAR_WIDTH);
        assert_eq!(bar(5, 10).chars().count(), BAR_WIDTH / 2);
        assert_eq!(bar(1, 1_000_000), "▏");
    }
}
