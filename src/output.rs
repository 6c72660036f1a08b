//! Showing answers: one [`Format`] chosen per run, text for people or the [`wire`] JSON for scripts.
//!
//! Every command's answer is a [`wire`] type. A [`Printer`] writes it in the chosen format:
//! the JSON is the type itself (its module documents the format); the text form is the
//! [`Render`] implementation here. Lines for standard error that go with the text (rejected
//! input) are written here too.

use std::fmt::Display;
use std::io::{self, Write};

use anstyle::{AnsiColor, Style};
use chrono::NaiveDate;
use serde::Serialize;

use crate::wire::{
    self, Article, Entities, Entity, EntityCount, EntityType, Hit, IngestSummary, Interval,
    SearchResponse, Stats, Timeline, Trends,
};

/// The styles of the text form. Without colours every style is plain and writes nothing, so
/// no escape codes are written and none has to be stripped again.
#[derive(Debug, Clone, Copy)]
pub struct Palette {
    pub bold: Style,
    pub dim: Style,
    pub date: Style,
    /// Query words in a snippet.
    pub mark: Style,
    pub path: Style,
}

impl Palette {
    pub const COLOR: Palette = Palette {
        bold: Style::new().bold(),
        dim: Style::new().dimmed(),
        date: AnsiColor::Cyan.on_default(),
        mark: AnsiColor::Red.on_default().bold(),
        path: AnsiColor::Magenta.on_default(),
    };
    pub const PLAIN: Palette = Palette {
        bold: Style::new(),
        dim: Style::new(),
        date: Style::new(),
        mark: Style::new(),
        path: Style::new(),
    };
}

/// Widest bar in a chart, in cells.
const BAR_WIDTH: usize = 50;

/// How answers are written, decided once per run (`--json`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    /// One JSON object per answer, on one line.
    Json,
}

/// What the text form may mention beyond the answer itself.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// The index folder, as the user named it.
    pub index: &'a str,
    pub palette: Palette,
}

/// The text form of an answer; its JSON form is its `Serialize`.
pub trait Render: Serialize {
    /// Writes the answer for people to standard output.
    fn text(&self, out: &mut dyn Write, context: &Context) -> io::Result<()>;

    /// Writes what goes with the text on standard error (the JSON carries it in itself).
    fn notes(&self, _err: &mut dyn Write) -> io::Result<()> {
        Ok(())
    }
}

/// Writes answers in one format: the answers to standard output, the notes to standard error.
pub struct Printer<O: Write, E: Write> {
    format: Format,
    quiet: bool,
    palette: Palette,
    index: String,
    out: O,
    err: E,
}

impl<O: Write, E: Write> Printer<O, E> {
    /// `index` is the index folder as the user named it, for the text form.
    pub fn new(format: Format, index: String, out: O, err: E) -> Self {
        Printer {
            format,
            quiet: false,
            palette: Palette::PLAIN,
            index,
            out,
            err,
        }
    }

    /// Leaves out the text on standard output but keeps the notes (`ingest --quiet`); JSON is
    /// still written, since it was asked for.
    pub fn quiet(mut self, quiet: bool) -> Self {
        self.quiet = quiet;
        self
    }

    /// The styles of the text form; plain unless set.
    pub fn palette(mut self, palette: Palette) -> Self {
        self.palette = palette;
        self
    }

    pub fn print(&mut self, answer: &impl Render) -> io::Result<()> {
        match self.format {
            Format::Json => write_json(&mut self.out, answer),
            Format::Text => {
                answer.notes(&mut self.err)?;
                if self.quiet {
                    return Ok(());
                }
                let context = Context {
                    index: &self.index,
                    palette: self.palette,
                };
                answer.text(&mut self.out, &context)
            }
        }
    }

    /// A message on standard error, in every format.
    pub fn note(&mut self, message: impl Display) -> io::Result<()> {
        writeln!(self.err, "dateline: {message}")
    }

    pub fn flush(&mut self) -> io::Result<()> {
        self.out.flush()?;
        self.err.flush()
    }
}

fn day(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

/// The JSON form of an answer as `--json` prints it (one line and a line end), which the HTTP
/// API sends too, byte for byte.
pub fn write_json(out: &mut impl Write, value: &impl Serialize) -> io::Result<()> {
    // `From` gives back the writer's own error (a closed pipe stays a closed pipe).
    serde_json::to_writer(&mut *out, value).map_err(io::Error::from)?;
    writeln!(out)
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
    for kind in EntityType::ALL {
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

fn write_hit(out: &mut dyn Write, palette: Palette, hit: &Hit) -> io::Result<()> {
    let Palette {
        bold,
        dim,
        date,
        mark,
        path,
    } = palette;
    writeln!(
        out,
        "{bold}{:>3}.{bold:#} {date}{}{date:#}  {bold}{}{bold:#}  {dim}score {:.2}{dim:#}",
        hit.rank,
        day(hit.date),
        hit.title,
        hit.score
    )?;
    writeln!(
        out,
        "     {path}{}{path:#}  {dim}id {}{dim:#}",
        display_path(&hit.path),
        hit.id
    )?;
    let snippet = &hit.snippet;
    let mut text = String::new();
    let mut from = 0;
    for &[start, end] in &hit.highlights {
        if start < from || end > snippet.len() {
            continue;
        }
        text.push_str(&snippet[from..start]);
        text.push_str(&format!("{mark}{}{mark:#}", &snippet[start..end]));
        from = end;
    }
    text.push_str(&snippet[from..]);
    if !text.is_empty() {
        writeln!(out, "     {text}")?;
    }
    let entities = entity_line(&hit.entities);
    if !entities.is_empty() {
        writeln!(out, "     {dim}{entities}{dim:#}")?;
    }
    if let Some(similar) = hit.similar.as_ref().filter(|s| !s.is_empty()) {
        writeln!(
            out,
            "     {dim}+{} similar: {}{dim:#}",
            similar.len(),
            similar.join(" ")
        )?;
    }
    writeln!(out)
}

impl Render for SearchResponse {
    fn text(&self, out: &mut dyn Write, context: &Context) -> io::Result<()> {
        for hit in &self.hits {
            write_hit(out, context.palette, hit)?;
        }
        let shown = self.hits.len();
        let noun = if self.total == 1 {
            "article matches"
        } else {
            "articles match"
        };
        if shown == 0 {
            if self.total > 0 {
                writeln!(
                    out,
                    "{} {noun}; none on this page (--offset {})",
                    self.total, self.offset
                )?;
            } else {
                writeln!(out, "no articles match")?;
            }
            return Ok(());
        }
        let first = self.offset + 1;
        let last = self.offset + shown;
        write!(out, "{} {noun}", self.total)?;
        if let Some(stories) = self.stories {
            let noun = if stories == 1 { "story" } else { "stories" };
            write!(out, " in {stories} {noun}")?;
        }
        write!(out, "; showing {first}-{last}, by {}", self.sort.as_str())?;
        if last < self.stories.unwrap_or(self.total) {
            write!(out, " (next page: --offset {last})")?;
        }
        writeln!(out)
    }
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

fn write_chart(out: &mut dyn Write, palette: Palette, rows: &[(String, u64)]) -> io::Result<()> {
    let Palette { date, .. } = palette;
    let max = rows.iter().map(|(_, count)| *count).max().unwrap_or(0);
    let count_width = max.to_string().len();
    for (label, count) in rows {
        writeln!(
            out,
            "{label}  {count:>count_width$}  {date}{}{date:#}",
            bar(*count, max)
        )?;
    }
    Ok(())
}

impl Render for Timeline {
    fn text(&self, out: &mut dyn Write, context: &Context) -> io::Result<()> {
        if self.buckets.is_empty() {
            return writeln!(out, "no articles match");
        }
        let rows: Vec<(String, u64)> = self
            .buckets
            .iter()
            .map(|bucket| (bucket_label(bucket.start, self.interval), bucket.count))
            .collect();
        write_chart(out, context.palette, &rows)?;
        let buckets = if self.interval == Interval::Week {
            "weeks (starting Monday)".to_string()
        } else {
            format!("{}s", self.interval.as_str())
        };
        // With `--unique` the counts are stories, counted in each bucket they reach.
        let counted = if self.unique {
            "story counts"
        } else {
            "articles"
        };
        writeln!(
            out,
            "{} {counted} in {} {buckets}",
            self.total,
            self.buckets.len()
        )
    }
}

fn write_entity_table(
    out: &mut dyn Write,
    palette: Palette,
    counts: &[EntityCount],
) -> io::Result<()> {
    let Palette { bold, .. } = palette;
    let width = counts
        .iter()
        .map(|c| c.count.to_string().len())
        .max()
        .unwrap_or(1)
        .max(5);
    // `entities --with` scores every entity; then the score is a column too.
    let scored = counts.iter().all(|c| c.score.is_some()) && !counts.is_empty();
    if scored {
        writeln!(
            out,
            "{bold}{:>width$}  {:>8}  {:<6}  name{bold:#}",
            "count", "score", "type"
        )?;
    } else {
        writeln!(
            out,
            "{bold}{:>width$}  {:<6}  name{bold:#}",
            "count", "type"
        )?;
    }
    for c in counts {
        match c.score.filter(|_| scored) {
            Some(score) => writeln!(
                out,
                "{:>width$}  {:>8.1}  {:<6}  {}",
                c.count,
                score,
                c.kind.as_str(),
                c.name
            )?,
            None => writeln!(
                out,
                "{:>width$}  {:<6}  {}",
                c.count,
                c.kind.as_str(),
                c.name
            )?,
        }
    }
    Ok(())
}

impl Render for Trends {
    fn text(&self, out: &mut dyn Write, context: &Context) -> io::Result<()> {
        let Palette { bold, .. } = context.palette;
        writeln!(
            out,
            "{bold}{} to {}{bold:#} against {} to {}",
            day(self.from),
            day(self.to),
            day(self.baseline.from),
            day(self.baseline.to)
        )?;
        let count_width = |counts: &mut dyn Iterator<Item = u64>| {
            counts
                .map(|c| c.to_string().len())
                .max()
                .unwrap_or(1)
                .max(6)
        };
        writeln!(out, "\n{bold}entities{bold:#}")?;
        if self.entities.is_empty() {
            writeln!(out, "none significantly more frequent")?;
        } else {
            let width = count_width(
                &mut self
                    .entities
                    .iter()
                    .flat_map(|e| [e.count, e.baseline_count]),
            );
            writeln!(
                out,
                "{bold}{:>width$}  {:>width$}  {:>8}  {:<6}  name{bold:#}",
                "window", "before", "G²", "type"
            )?;
            for e in &self.entities {
                writeln!(
                    out,
                    "{:>width$}  {:>width$}  {:>8.1}  {:<6}  {}",
                    e.count,
                    e.baseline_count,
                    e.score,
                    e.kind.as_str(),
                    e.name
                )?;
            }
        }
        writeln!(out, "\n{bold}words{bold:#}")?;
        if self.terms.is_empty() {
            return writeln!(out, "none significantly more frequent");
        }
        let width = count_width(&mut self.terms.iter().flat_map(|t| [t.count, t.baseline_count]));
        writeln!(
            out,
            "{bold}{:>width$}  {:>width$}  {:>8}  word{bold:#}",
            "window", "before", "G²"
        )?;
        for t in &self.terms {
            writeln!(
                out,
                "{:>width$}  {:>width$}  {:>8.1}  {}",
                t.count, t.baseline_count, t.score, t.term
            )?;
        }
        Ok(())
    }
}

impl Render for Entities {
    fn text(&self, out: &mut dyn Write, context: &Context) -> io::Result<()> {
        let documents = self.documents;
        if self.entities.is_empty() {
            return writeln!(out, "no entities in {documents} matching articles");
        }
        write_entity_table(out, context.palette, &self.entities)?;
        write!(
            out,
            "{} entities shown, from {documents} matching articles",
            self.entities.len()
        )?;
        match self.stories {
            Some(stories) => writeln!(out, " in {stories} stories (counts are stories)"),
            None => writeln!(out),
        }
    }
}

impl Render for Stats {
    fn text(&self, out: &mut dyn Write, context: &Context) -> io::Result<()> {
        let Palette { bold, .. } = context.palette;
        writeln!(out, "{bold}index{bold:#}       {}", context.index)?;
        writeln!(out, "{bold}documents{bold:#}   {}", self.documents)?;
        let span = |d: Option<NaiveDate>| d.map_or_else(|| "-".to_string(), day);
        writeln!(out, "{bold}first date{bold:#}  {}", span(self.first_date))?;
        writeln!(out, "{bold}last date{bold:#}   {}", span(self.last_date))?;
        if !self.months.is_empty() {
            writeln!(out, "\n{bold}articles per month{bold:#}")?;
            let rows: Vec<(String, u64)> = self
                .months
                .iter()
                .map(|m| (m.month.format("%Y-%m").to_string(), m.count))
                .collect();
            write_chart(out, context.palette, &rows)?;
        }
        if !self.top_entities.is_empty() {
            writeln!(out, "\n{bold}top entities{bold:#}")?;
            write_entity_table(out, context.palette, &self.top_entities)?;
        }
        Ok(())
    }
}

impl Render for Article {
    fn text(&self, out: &mut dyn Write, context: &Context) -> io::Result<()> {
        let Palette {
            bold,
            dim,
            date,
            path,
            ..
        } = context.palette;
        writeln!(out, "{bold}{}{bold:#}", self.title)?;
        writeln!(
            out,
            "{dim}date{dim:#}      {date}{}{date:#}",
            day(self.date)
        )?;
        writeln!(out, "{dim}id{dim:#}        {}", self.id)?;
        writeln!(
            out,
            "{dim}path{dim:#}      {path}{}{path:#}",
            display_path(&self.path)
        )?;
        if let Some(url) = &self.url {
            writeln!(out, "{dim}url{dim:#}       {url}")?;
        }
        if let Some(source) = &self.source {
            writeln!(out, "{dim}source{dim:#}    {source}")?;
        }
        writeln!(out, "{dim}story{dim:#}     {}", self.story)?;
        for kind in EntityType::ALL {
            let names: Vec<&str> = self
                .entities
                .iter()
                .filter(|e| e.kind == kind)
                .map(|e| e.name.as_str())
                .collect();
            if !names.is_empty() {
                writeln!(out, "{dim}{:<10}{dim:#}{}", kind.as_str(), names.join(", "))?;
            }
        }
        if !self.body.is_empty() {
            writeln!(out)?;
            writeln!(out, "{}", self.body)?;
        }
        if let Some(similar) = self.similar.as_ref().filter(|s| !s.is_empty()) {
            writeln!(out)?;
            writeln!(out, "{bold}Same story ({} more){bold:#}", similar.len())?;
            for other in similar {
                writeln!(
                    out,
                    "  {date}{}{date:#}  {}  {dim}id {}{dim:#}",
                    day(other.date),
                    other.title,
                    other.id
                )?;
            }
        }
        Ok(())
    }
}

impl Render for IngestSummary {
    fn text(&self, out: &mut dyn Write, context: &Context) -> io::Result<()> {
        let Palette { bold, .. } = context.palette;
        writeln!(
            out,
            "{bold}{}{bold:#} indexed, {} replaced, {} unchanged, {} duplicates, {} moved, {} removed, {} rejected in {:.1} s ({:.0} articles/s)",
            self.indexed,
            self.replaced,
            self.unchanged,
            self.duplicates,
            self.moved,
            self.removed,
            self.rejected.len(),
            self.elapsed_ms as f64 / 1000.0,
            self.articles_per_second
        )?;
        writeln!(
            out,
            "{} now holds {} articles",
            context.index, self.documents
        )
    }

    /// One line per rejected input: `dateline: PATH[:LINE]: REASON`.
    fn notes(&self, err: &mut dyn Write) -> io::Result<()> {
        for wire::Rejection { path, line, reason } in &self.rejected {
            match line {
                Some(line) => writeln!(err, "dateline: {path}:{line}: {reason}")?,
                None => writeln!(err, "dateline: {path}: {reason}")?,
            }
        }
        Ok(())
    }
}

impl Render for wire::ExportSummary {
    fn text(&self, out: &mut dyn Write, context: &Context) -> io::Result<()> {
        let Palette { bold, path, .. } = context.palette;
        let bytes: u64 = self.files.iter().map(|file| file.bytes).sum();
        writeln!(
            out,
            "{bold}{}{bold:#} articles exported for {} into {path}{}{path:#}: {} and {} NDJSON files ({:.1} MB)",
            self.articles,
            self.format,
            self.out,
            display_path(&self.config),
            self.files.len(),
            bytes as f64 / 1e6
        )
    }

    /// Files over the size limit, which the engine may refuse as one request.
    fn notes(&self, err: &mut dyn Write) -> io::Result<()> {
        if self.oversized > 0 {
            writeln!(
                err,
                "dateline: {} articles are larger than {} bytes on their own; each is alone in a file over the limit",
                self.oversized, self.max_file_bytes
            )?;
        }
        Ok(())
    }
}

impl Render for wire::RemoveSummary {
    fn text(&self, out: &mut dyn Write, context: &Context) -> io::Result<()> {
        let Palette { bold, .. } = context.palette;
        writeln!(out, "{bold}{}{bold:#} removed", self.removed)?;
        writeln!(
            out,
            "{} now holds {} articles",
            context.index, self.documents
        )
    }
}

impl Render for wire::CompactSummary {
    fn text(&self, out: &mut dyn Write, context: &Context) -> io::Result<()> {
        let Palette { bold, .. } = context.palette;
        if self.segments_before > self.segments {
            writeln!(
                out,
                "merged {bold}{}{bold:#} segments into {}",
                self.segments_before, self.segments
            )?;
        } else {
            writeln!(out, "already compact: {} segment(s)", self.segments)?;
        }
        writeln!(
            out,
            "{} now holds {} articles",
            context.index, self.documents
        )
    }
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

    fn summary() -> IngestSummary {
        IngestSummary {
            indexed: 1,
            replaced: 0,
            unchanged: 0,
            duplicates: 0,
            removed: 0,
            moved: 0,
            rejected: vec![
                wire::Rejection {
                    path: "feed.jsonl".to_string(),
                    line: Some(3),
                    reason: "expected a JSON object".to_string(),
                },
                wire::Rejection {
                    path: "a.txt".to_string(),
                    line: None,
                    reason: "empty file".to_string(),
                },
            ],
            duplicate_articles: vec![],
            elapsed_ms: 1500,
            articles_per_second: 0.7,
            documents: 1,
            interrupted: false,
        }
    }

    /// Prints `answer` and gives back (standard output, standard error).
    fn printed(format: Format, quiet: bool, answer: &impl Render) -> (String, String) {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let mut printer = Printer::new(format, "idx".to_string(), &mut out, &mut err).quiet(quiet);
        printer.print(answer).unwrap();
        drop(printer);
        (
            String::from_utf8(out).unwrap(),
            String::from_utf8(err).unwrap(),
        )
    }

    #[test]
    fn text_puts_rejections_on_stderr_and_json_keeps_them_in_the_object() {
        let rejections =
            "dateline: feed.jsonl:3: expected a JSON object\ndateline: a.txt: empty file\n";
        let (out, err) = printed(Format::Text, false, &summary());
        assert_eq!(
            anstream::adapter::strip_str(&out).to_string(),
            "1 indexed, 0 replaced, 0 unchanged, 0 duplicates, 0 moved, 0 removed, 2 rejected in 1.5 s (1 articles/s)\nidx now holds 1 articles\n"
        );
        assert_eq!(err, rejections);
        let (out, err) = printed(Format::Text, true, &summary());
        assert_eq!((out.as_str(), err.as_str()), ("", rejections));
        let (out, err) = printed(Format::Json, true, &summary());
        assert_eq!(
            out,
            format!("{}\n", serde_json::to_string(&summary()).unwrap())
        );
        assert_eq!(err, "");
    }
}
