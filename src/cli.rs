//! Command-line definitions (clap) and their translation into the library's request types.

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Duration;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand};

use dateline::dates::DateRange;
use dateline::entities::EntityKind;
use dateline::export::{Engine, ExportOptions};
use dateline::ingest::IngestOptions;
use dateline::output::Format;
use dateline::params::{self, Params};
use dateline::query::{Filter, SearchRequest, SortOrder};
use dateline::related::RelatedRequest;
use dateline::search::Interval;
use dateline::serve::ServeOptions;
use dateline::trends::TrendsRequest;
use dateline::Error;

/// Search archives of dated news articles: who said what, about whom, and when.
#[derive(Debug, Parser)]
#[command(name = "dateline", version, about, max_term_width = 100)]
#[command(
    after_help = "Exit codes: 0 success (search: at least one hit), 1 search found nothing, \
2 error (bad arguments, bad query, unusable index), 3 ingest committed what it could but rejected some input, \
130 ingest interrupted (what it read is committed)."
)]
pub struct Cli {
    /// Index folder
    #[arg(
        long,
        global = true,
        value_name = "DIR",
        env = "DATELINE_INDEX",
        default_value = "index"
    )]
    pub index: PathBuf,

    #[command(subcommand)]
    pub command: Command,
}

// Each subcommand's arguments are built only when it runs (or its help is shown): building
// all of them took a fifth of a short search's start-up.
#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub enum Command {
    /// Index dated article files and JSON Lines (folders are walked recursively)
    Ingest(IngestArgs),
    /// Ranked full-text search with date and entity filters
    Search(SearchArgs),
    /// Documents, date span, articles per month and top entities
    Stats(StatsArgs),
    /// Matching articles per day, week, month or year, as a bar chart
    Timeline(TimelineArgs),
    /// The most frequent people, organisations and places among matching articles
    Entities(EntitiesArgs),
    /// One stored article in full
    Show(ShowArgs),
    /// The articles most like one article (its distinctive words and entities), near its date
    Related(RelatedArgs),
    /// Entities and words significantly more frequent in a window (--from/--to, --on; default
    /// the last 7 days) than in a baseline period
    Trends(TrendsArgs),
    /// Every stored article as JSON Lines (id, path, date, title, body, entities), or as files
    /// to load into Quickwit or OpenSearch
    Export(ExportArgs),
    /// Remove the articles of files or folders from the index (whether they still exist or not)
    Remove(RemoveArgs),
    /// Merge the index into one segment, so that searches open fewer files (after a large
    /// ingest, for an archive searched more than it is written)
    Compact(CompactArgs),
    /// Serve the archive over HTTP: a page for the browser and a JSON API (read-only)
    Serve(ServeArgs),
}

#[derive(Debug, Args)]
pub struct RemoveArgs {
    /// Files or folders whose articles to remove
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<PathBuf>,
    /// Print the summary as one JSON object
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct CompactArgs {
    /// Print the summary as one JSON object
    #[arg(long)]
    pub json: bool,
}

impl Command {
    /// How the answer is written: JSON with `--json`, and always for `export` to standard
    /// output (JSON Lines).
    pub fn format(&self) -> Format {
        let json = match self {
            Command::Ingest(args) => args.json,
            Command::Search(args) => args.json,
            Command::Stats(args) => args.json,
            Command::Timeline(args) => args.json,
            Command::Entities(args) => args.json,
            Command::Show(args) => args.json,
            Command::Related(args) => args.json,
            Command::Trends(args) => args.json,
            Command::Remove(args) => args.json,
            Command::Compact(args) => args.json,
            Command::Export(args) => args.format == ExportFormat::Jsonl || args.json,
            Command::Serve(_) => true,
        };
        if json {
            Format::Json
        } else {
            Format::Text
        }
    }

    /// `ingest --quiet`: no progress and no text summary.
    pub fn quiet(&self) -> bool {
        matches!(self, Command::Ingest(args) if args.quiet)
    }
}

/// What to do about a library error on the command line: the flag or command that fixes it.
/// (The library's own messages name no flags.)
pub fn hint(err: &anyhow::Error) -> Option<&'static str> {
    let err = err
        .chain()
        .find_map(|cause| cause.downcast_ref::<Error>())?;
    match err {
        Error::IndexMissing { .. } => Some("run `dateline ingest` first (or pass --index DIR)"),
        Error::IndexIncompatible { .. } | Error::IndexDamaged { .. } => {
            Some("re-create it with `dateline ingest --rebuild`")
        }
        Error::EmptyDateRange { .. } => Some("--from must not be later than --to"),
        Error::TooManyBuckets { .. } => Some("use a longer --interval or a narrower --from/--to"),
        Error::Listen { .. } => {
            Some("pick another address with --addr (port 0 takes any free one)")
        }
        Error::NothingIndexedFrom { .. } => {
            Some("`dateline export` lists the paths the index holds; nothing was removed")
        }
        _ => None,
    }
}

#[derive(Debug, Args)]
pub struct IngestArgs {
    /// Files or folders to index
    #[arg(value_name = "PATH", default_value = "corpus")]
    pub paths: Vec<PathBuf>,
    /// Start from an empty index (also replaces a damaged or incompatible one)
    #[arg(long)]
    pub rebuild: bool,
    /// Skip entity extraction
    #[arg(long)]
    pub no_entities: bool,
    /// Keep the articles of files that are gone from the given folders (for disks that come
    /// and go); by default they are removed
    #[arg(long)]
    pub keep_missing: bool,
    /// Worker threads [default: one per core]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=256))]
    pub threads: Option<u16>,
    /// Index writer memory budget in MB
    #[arg(long, value_name = "N", default_value_t = 96, value_parser = clap::value_parser!(u32).range(15..=65536))]
    pub memory_mb: u32,
    /// Commit at least this often, in seconds, so an interrupted run keeps its work
    #[arg(long, value_name = "SECONDS", default_value = "60", value_parser = parse_seconds)]
    pub commit_every: Duration,
    /// No progress and no summary (rejections are still reported)
    #[arg(long, short)]
    pub quiet: bool,
    /// Print the summary as one JSON object
    #[arg(long)]
    pub json: bool,
    /// Group near-copies dated within this many days of each other into stories
    #[arg(long, value_name = "DAYS", default_value_t = dateline::stories::DEFAULT_WINDOW_DAYS, value_parser = clap::value_parser!(u32).range(0..=3650))]
    pub story_window: u32,
    /// Do not group near-copies: every article is a story of its own
    #[arg(long, conflicts_with = "story_window")]
    pub no_stories: bool,
}

// Date filters shared by the commands that take them. (A plain comment: a doc comment here
// would become the about of the deferred subcommands that flatten it.)
#[derive(Debug, Args)]
pub struct DateArgs {
    /// First day: YYYY-MM-DD, YYYY-MM, YYYY, or Nd/Nw/Nm/Ny ago (inclusive)
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// Last day, inclusive: `--to 2025-04` includes April 30
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
    /// Only this day, month or year (same as --from D --to D)
    #[arg(long, value_name = "DATE", conflicts_with_all = ["from", "to"])]
    pub on: Option<String>,
}

// Date and entity filters of `search` and `timeline` (a plain comment, as above).
#[derive(Debug, Args)]
pub struct FilterArgs {
    #[command(flatten)]
    pub dates: DateArgs,
    /// Only articles mentioning this entity (repeatable: all must match)
    #[arg(long, value_name = "NAME", value_parser = params::parse_entity)]
    pub entity: Vec<String>,
    /// Entity type for --entity (person, org or place); alone, articles with any entity of this type
    #[arg(long = "type", value_name = "TYPE", value_parser = params::parse_kind)]
    pub kind: Option<EntityKind>,
}

impl FilterArgs {
    /// These filters as the shared parameters, with the query text `q`.
    fn params(&self, q: &str) -> Params {
        filter_params(q, &self.dates, &self.entity, self.kind)
    }
}

/// The query text, dates, entities and type as the shared parameters.
fn filter_params(q: &str, dates: &DateArgs, entity: &[String], kind: Option<EntityKind>) -> Params {
    Params {
        q: q.to_string(),
        from: dates.from.clone(),
        to: dates.to.clone(),
        on: dates.on.clone(),
        entity: entity.to_vec(),
        kind,
        ..Params::default()
    }
}

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// Words, "phrases", AND/OR/NOT, +must -mustnot, field:term (title, body, entity); `*` for all
    #[arg(value_name = "QUERY", allow_hyphen_values = true, value_parser = params::parse_query)]
    pub query: String,
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Order of hits: relevance, newest or oldest; ties go by date (newest first), then id
    #[arg(long, value_name = "ORDER", default_value = "relevance", value_parser = params::parse_sort)]
    pub sort: SortOrder,
    /// Hits per page (at most 100000)
    #[arg(long, short = 'n', value_name = "N", default_value_t = params::DEFAULT_SEARCH_LIMIT, value_parser = params::parse_limit)]
    pub limit: usize,
    /// Hits to skip (at most 10000000)
    #[arg(long, value_name = "N", default_value_t = 0, value_parser = params::parse_offset)]
    pub offset: usize,
    /// One hit per story (near-copies): the best, with "+N similar" and their ids
    #[arg(long)]
    pub collapse: bool,
    /// Print one JSON object instead of text
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct StatsArgs {
    /// How many top entities to list
    #[arg(long, value_name = "N", default_value_t = params::DEFAULT_STATS_TOP, value_parser = params::parse_limit)]
    pub top: usize,
    /// Print one JSON object instead of text
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct TimelineArgs {
    /// Query as for search; omit or `*` for all articles
    #[arg(value_name = "QUERY", default_value = "*", allow_hyphen_values = true, value_parser = params::parse_query)]
    pub query: String,
    /// Bucket size: calendar days, ISO weeks (from Monday), months or years (day, week, month, year)
    #[arg(long, value_name = "INTERVAL", default_value = "month", value_parser = params::parse_interval)]
    pub interval: Interval,
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Count stories (near-copies once) instead of articles
    #[arg(long)]
    pub unique: bool,
    /// Print one JSON object instead of text
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct EntitiesArgs {
    /// Query as for search; omit or `*` for all articles
    #[arg(value_name = "QUERY", default_value = "*", allow_hyphen_values = true, value_parser = params::parse_query)]
    pub query: String,
    /// Only entities of this type: person, org or place
    #[arg(long = "type", value_name = "TYPE", value_parser = params::parse_kind)]
    pub kind: Option<EntityKind>,
    #[command(flatten)]
    pub dates: DateArgs,
    /// Only articles that also mention this entity (repeatable)
    #[arg(long, value_name = "NAME", value_parser = params::parse_entity)]
    pub entity: Vec<String>,
    /// List the entities that come with this one (in the same articles), strongest association
    /// first, instead of the most frequent
    #[arg(long, value_name = "NAME", value_parser = params::parse_with)]
    pub with: Option<String>,
    /// How many entities to list
    #[arg(long, value_name = "N", default_value_t = params::DEFAULT_ENTITIES_LIMIT, value_parser = params::parse_limit)]
    pub limit: usize,
    /// Count stories (near-copies once) instead of articles
    #[arg(long)]
    pub unique: bool,
    /// Print one JSON object instead of text
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct RelatedArgs {
    /// Article id, as printed by search
    pub id: String,
    /// Only articles within this long before or after the article: Nd, Nw, Nm, Ny, or `all`
    #[arg(long, value_name = "SPAN", default_value = "7d", value_parser = params::parse_within)]
    pub within: params::Within,
    /// How many articles to list (at most 100000)
    #[arg(long, short = 'n', value_name = "N", default_value_t = params::DEFAULT_SEARCH_LIMIT, value_parser = params::parse_limit)]
    pub limit: usize,
    /// Articles to skip (at most 10000000)
    #[arg(long, value_name = "N", default_value_t = 0, value_parser = params::parse_offset)]
    pub offset: usize,
    /// Print one JSON object instead of text
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct TrendsArgs {
    #[command(flatten)]
    pub dates: DateArgs,
    /// The period to compare with, FROM..TO [default: the period before the window, four times
    /// as long]
    #[arg(long, value_name = "FROM..TO", value_parser = params::parse_baseline)]
    pub baseline: Option<String>,
    /// Only entities of this type: person, org or place
    #[arg(long = "type", value_name = "TYPE", value_parser = params::parse_kind)]
    pub kind: Option<EntityKind>,
    /// How many entities, and how many words, to list
    #[arg(long, value_name = "N", default_value_t = params::DEFAULT_ENTITIES_LIMIT, value_parser = params::parse_limit)]
    pub limit: usize,
    /// Print one JSON object instead of text
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on; anything but loopback is reachable by others, without authentication
    #[arg(long, value_name = "IP:PORT", default_value = "127.0.0.1:7700")]
    pub addr: std::net::SocketAddr,
    /// Open the page once the server listens, in the browser $BROWSER names, else the default
    #[arg(long)]
    pub open: bool,
    /// Memory for answers kept for repeated requests until the index changes, in MiB (0: none)
    #[arg(long, value_name = "MIB", default_value_t = 64)]
    pub cache_mb: u64,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// Article id, as printed by search
    pub id: String,
    /// Print one JSON object instead of text
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    #[command(flatten)]
    pub dates: DateArgs,
    /// jsonl: JSON Lines on standard output; quickwit or opensearch (also Elasticsearch 8): an
    /// index configuration and NDJSON files in the --out folder
    #[arg(long, value_name = "FORMAT", default_value = "jsonl")]
    pub format: ExportFormat,
    /// Folder for the quickwit and opensearch formats (made if missing; must be empty)
    #[arg(long, value_name = "DIR", required_if_eq_any = [("format", "quickwit"), ("format", "opensearch")])]
    pub out: Option<PathBuf>,
    /// Largest NDJSON file: bytes, or with K or M (thousands, millions of bytes)
    #[arg(long, value_name = "SIZE", default_value = "10M", value_parser = parse_size)]
    pub max_file_size: u64,
    /// Print the summary of a quickwit or opensearch export as one JSON object
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    Jsonl,
    Quickwit,
    Opensearch,
}

/// A size in bytes: `5000`, `64K`, `10M` (decimal: K is 1000 bytes, M a million).
fn parse_size(text: &str) -> Result<u64, String> {
    let (digits, unit) = match text.char_indices().find(|(_, c)| !c.is_ascii_digit()) {
        Some((at, _)) => text.split_at(at),
        None => (text, ""),
    };
    let scale: u64 = match unit {
        "" => 1,
        "K" | "k" | "KB" | "kB" => 1_000,
        "M" | "MB" => 1_000_000,
        _ => {
            return Err(format!(
                "{text:?} is not a size (bytes, or a number with K or M)"
            ))
        }
    };
    let size = digits
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(scale))
        .ok_or_else(|| format!("{text:?} is not a size (bytes, or a number with K or M)"))?;
    if !(1_000..=1_000_000_000).contains(&size) {
        return Err("must be between 1K and 1000M".to_string());
    }
    Ok(size)
}

impl ExportArgs {
    /// Where the export goes: standard output, or a folder for an engine.
    pub fn target(&self) -> anyhow::Result<Option<ExportOptions>> {
        let engine = match self.format {
            ExportFormat::Jsonl => {
                if self.out.is_some() || self.json {
                    anyhow::bail!(
                        "--out and --json are for --format quickwit or opensearch; \
                         JSON Lines go to standard output"
                    );
                }
                return Ok(None);
            }
            ExportFormat::Quickwit => Engine::Quickwit,
            ExportFormat::Opensearch => Engine::OpenSearch,
        };
        let out = self
            .out
            .clone()
            .ok_or_else(|| anyhow::anyhow!("--format {} needs --out DIR", engine.as_str()))?;
        Ok(Some(ExportOptions {
            engine,
            out,
            dates: self.dates.range()?,
            max_file_bytes: self.max_file_size,
        }))
    }
}

/// A positive number of seconds, fractions allowed (`0.5`).
fn parse_seconds(text: &str) -> Result<Duration, String> {
    let seconds: f64 = text
        .parse()
        .map_err(|_| format!("{text:?} is not a number of seconds"))?;
    if !(0.001..=1e9).contains(&seconds) {
        return Err("must be between 0.001 and 1000000000 seconds".to_string());
    }
    Ok(Duration::from_secs_f64(seconds))
}

/// "Today" for relative dates: the local date, or `DATELINE_TODAY` (YYYY-MM-DD) for reproducible runs.
pub fn today() -> anyhow::Result<NaiveDate> {
    match std::env::var("DATELINE_TODAY") {
        Ok(text) => dateline::dates::parse_day(&text)
            .map_err(|reason| anyhow::anyhow!("invalid DATELINE_TODAY {text:?}: {reason}")),
        Err(_) => Ok(chrono::Local::now().date_naive()),
    }
}

impl DateArgs {
    pub fn range(&self) -> anyhow::Result<DateRange> {
        Ok(DateRange::from_specs(
            self.from.as_deref(),
            self.to.as_deref(),
            self.on.as_deref(),
            today()?,
        )?)
    }
}

impl IngestArgs {
    pub fn options(&self, index_dir: PathBuf, cancel: Arc<AtomicBool>) -> IngestOptions {
        IngestOptions {
            index_dir,
            inputs: self.paths.clone(),
            rebuild: self.rebuild,
            extract_entities: !self.no_entities,
            threads: self.threads.map_or(0, usize::from),
            memory_mb: self.memory_mb as usize,
            commit_interval: self.commit_every,
            cancel: Some(cancel),
            keep_missing: self.keep_missing,
            story_window: (!self.no_stories).then_some(self.story_window),
        }
    }
}

impl SearchArgs {
    pub fn request(&self) -> anyhow::Result<SearchRequest> {
        let params = Params {
            sort: self.sort,
            limit: Some(self.limit),
            offset: self.offset,
            collapse: self.collapse,
            ..self.filters.params(&self.query)
        };
        Ok(params.search_request(today()?)?)
    }
}

impl TimelineArgs {
    pub fn filter(&self) -> anyhow::Result<Filter> {
        Ok(self.filters.params(&self.query).filter(today()?)?)
    }
}

impl EntitiesArgs {
    /// Articles are selected by query, dates and `--entity`; `--type` picks which entities are counted.
    pub fn filter(&self) -> anyhow::Result<Filter> {
        let params = filter_params(&self.query, &self.dates, &self.entity, self.kind);
        Ok(params.entities_filter(today()?)?)
    }
}

impl RelatedArgs {
    pub fn request(&self) -> RelatedRequest {
        let params = Params {
            within: Some(self.within),
            limit: Some(self.limit),
            offset: self.offset,
            ..Params::default()
        };
        params.related_request(&self.id)
    }
}

impl TrendsArgs {
    pub fn request(&self) -> anyhow::Result<TrendsRequest> {
        let params = Params {
            baseline: self.baseline.clone(),
            limit: Some(self.limit),
            ..filter_params("*", &self.dates, &[], self.kind)
        };
        Ok(params.trends_request(today()?)?)
    }
}

impl ServeArgs {
    pub fn options(&self, index_dir: PathBuf) -> anyhow::Result<ServeOptions> {
        // A fixed "today" only when asked for (tests); otherwise each request reads the clock.
        let today = match std::env::var_os("DATELINE_TODAY") {
            Some(_) => Some(today()?),
            None => None,
        };
        Ok(ServeOptions {
            index_dir,
            addr: self.addr,
            today,
            cache_bytes: self.cache_mb.saturating_mul(1024 * 1024),
        })
    }
}
