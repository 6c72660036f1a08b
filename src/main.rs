//! The `dateline` binary: parse arguments, run one command, print the error chain once, exit with its code.

mod allocator;
mod cli;

use std::io::{BufWriter, IsTerminal, Write};
use std::mem::ManuallyDrop;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use clap::Parser;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use cli::{Cli, Command};
use dateline::ingest::{ingest, Progress};
use dateline::output::{Format, Palette, Printer};
use dateline::search::Archive;
use dateline::wire;

#[global_allocator]
static ALLOCATOR: allocator::Allocator = allocator::Allocator;

/// Exit codes, as documented in `--help` and README.md.
const EXIT_NO_HITS: u8 = 1;
const EXIT_ERROR: u8 = 2;
const EXIT_REJECTED: u8 = 3;
/// 128 + SIGINT, as shells report a run stopped by Ctrl-C.
const EXIT_INTERRUPTED: u8 = 130;

/// The first Ctrl-C asks ingest to stop and commit what it has; a second one ends the process
/// at once (the index keeps its last commit).
fn interrupt_flag() -> Arc<AtomicBool> {
    let flag = Arc::new(AtomicBool::new(false));
    let handler_flag = Arc::clone(&flag);
    let installed = ctrlc::set_handler(move || {
        if handler_flag.swap(true, Ordering::SeqCst) {
            std::process::exit(i32::from(EXIT_INTERRUPTED));
        }
    });
    if let Err(err) = installed {
        // Without a handler Ctrl-C still stops the run, only without the final commit.
        let _ = writeln!(std::io::stderr(), "dateline: cannot catch Ctrl-C: {err}");
    }
    flag
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // The commands that run long and on several threads allocate from mimalloc; the others
    // are over before its fresh pages would pay off (see allocator.rs).
    if matches!(
        cli.command,
        Command::Ingest(_) | Command::Serve(_) | Command::Export(_) | Command::Compact(_)
    ) {
        allocator::use_mimalloc();
    }
    // A panic is a bug, but the user still gets one clean line and exit code 2, not a trace.
    std::panic::set_hook(Box::new(|info| {
        if let Ok(mut message) = PANIC_MESSAGE.lock() {
            *message = Some(info.to_string());
        }
    }));
    match std::panic::catch_unwind(|| run(cli)) {
        Ok(Ok(code)) => code,
        Ok(Err(err)) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Ok(Err(err)) => {
            match cli::hint(&err) {
                Some(hint) => eprintln!("dateline: {err:#}; {hint}"),
                None => eprintln!("dateline: {err:#}"),
            }
            ExitCode::from(EXIT_ERROR)
        }
        Err(_) => {
            let message = PANIC_MESSAGE
                .lock()
                .ok()
                .and_then(|m| m.clone())
                .unwrap_or_default();
            eprintln!(
                "dateline: internal error ({message}); if the index may be damaged, \
                 re-create it with `dateline ingest --rebuild`"
            );
            ExitCode::from(EXIT_ERROR)
        }
    }
}

static PANIC_MESSAGE: std::sync::Mutex<Option<String>> = std::sync::Mutex::new(None);

/// A closed pipe (`dateline export | head`) is a reader that has seen enough, not an error.
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    // Colours (a terminal, NO_COLOR, CLICOLOR_FORCE) are decided once, and the text form
    // writes no styles at all without them: stripping them again afterwards cost a search
    // more instructions than its snippets.
    let stdout = std::io::stdout();
    let palette = match anstream::AutoStream::choice(&stdout) {
        anstream::ColorChoice::Never => Palette::PLAIN,
        _ => Palette::COLOR,
    };
    let out = BufWriter::new(stdout.lock());
    let format = cli.command.format();
    let index_label = cli.index.display().to_string();
    let mut printer = Printer::new(format, index_label, out, anstream::stderr())
        .quiet(cli.command.quiet())
        .palette(palette);
    let code = match &cli.command {
        Command::Ingest(args) => {
            let cancel = interrupt_flag();
            let options = args.options(cli.index.clone(), cancel);
            let progress = progress_bar(!args.quiet && format == Format::Text);
            let report = ingest(&options, &|p: Progress| {
                progress.set_position(p.articles);
                let rate = p.articles as f64 / p.elapsed.as_secs_f64().max(1e-3);
                progress.set_message(format!("{rate:.0} articles/s"));
            })?;
            progress.finish_and_clear();
            let summary = wire::IngestSummary::from(report);
            printer.print(&summary)?;
            if summary.interrupted {
                printer.note(
                    "interrupted; what was read is committed, run the same ingest again to finish",
                )?;
                ExitCode::from(EXIT_INTERRUPTED)
            } else if summary.rejected.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(EXIT_REJECTED)
            }
        }
        Command::Search(args) => {
            let request = args.request()?;
            let archive = open_archive(&cli.index)?;
            let response = wire::SearchResponse::new(&request, archive.search(&request)?);
            printer.print(&response)?;
            if response.total == 0 {
                ExitCode::from(EXIT_NO_HITS)
            } else {
                ExitCode::SUCCESS
            }
        }
        Command::Stats(args) => {
            let archive = open_archive(&cli.index)?;
            printer.print(&wire::Stats::from(archive.stats(args.top)?))?;
            ExitCode::SUCCESS
        }
        Command::Timeline(args) => {
            let filter = args.filter()?;
            let archive = open_archive(&cli.index)?;
            let buckets = archive.timeline(&filter, args.interval, args.unique)?;
            printer.print(&wire::Timeline::new(
                &args.query,
                args.interval,
                buckets,
                args.unique,
            ))?;
            ExitCode::SUCCESS
        }
        Command::Entities(args) => {
            let filter = args.filter()?;
            let archive = open_archive(&cli.index)?;
            let answer = match &args.with {
                Some(name) => {
                    let found =
                        archive.co_mentions(&filter, name, args.kind, args.limit, args.unique)?;
                    wire::Entities::co_mentions(&args.query, found)
                }
                None => {
                    let tally =
                        archive.top_entities(&filter, args.kind, args.limit, args.unique)?;
                    wire::Entities::new(&args.query, tally)
                }
            };
            printer.print(&answer)?;
            ExitCode::SUCCESS
        }
        Command::Related(args) => {
            let request = args.request();
            let archive = open_archive(&cli.index)?;
            let response = wire::SearchResponse::related(&request, archive.related(&request)?);
            printer.print(&response)?;
            ExitCode::SUCCESS
        }
        Command::Trends(args) => {
            let request = args.request()?;
            let archive = open_archive(&cli.index)?;
            printer.print(&wire::Trends::from(archive.trends(&request)?))?;
            ExitCode::SUCCESS
        }
        Command::Show(args) => {
            let archive = open_archive(&cli.index)?;
            printer.print(&wire::Article::shown(archive.article_with_story(&args.id)?))?;
            ExitCode::SUCCESS
        }
        Command::Remove(args) => {
            let report = dateline::ingest::remove(&cli.index, &args.paths)?;
            printer.print(&wire::RemoveSummary::from(report))?;
            ExitCode::SUCCESS
        }
        Command::Compact(_) => {
            let report = dateline::ingest::compact(&cli.index)?;
            printer.print(&wire::CompactSummary::from(report))?;
            ExitCode::SUCCESS
        }
        Command::Serve(args) => {
            serve(args.options(cli.index.clone())?, args.open)?;
            ExitCode::SUCCESS
        }
        Command::Export(args) => {
            let target = args.target()?;
            let archive = ManuallyDrop::new(Archive::open_for_export(&cli.index)?);
            match target {
                None => {
                    for article in archive.export(args.dates.range()?)? {
                        printer.print(&wire::Article::from(article?))?;
                    }
                }
                Some(options) => {
                    let report = dateline::export::export_for_engine(&archive, &options)?;
                    printer.print(&wire::ExportSummary::from(report))?;
                }
            }
            ExitCode::SUCCESS
        }
    };
    printer.flush()?;
    Ok(code)
}

/// Opens the index for a read command. It is never dropped: the process exits right after the
/// command, and the kernel takes back the whole address space at once in less time than
/// unmapping the index's files one by one (a tenth of a search, measured).
fn open_archive(index: &std::path::Path) -> anyhow::Result<ManuallyDrop<Archive>> {
    Ok(ManuallyDrop::new(Archive::open(index)?))
}

/// Runs the server until Ctrl-C, saying where it listens (and, off loopback, that anyone who
/// can reach the address can read the archive).
fn serve(options: dateline::serve::ServeOptions, open: bool) -> anyhow::Result<()> {
    let server = dateline::serve::Server::bind(&options)?;
    let addr = server.local_addr();
    if !addr.ip().is_loopback() {
        eprintln!(
            "dateline: warning: listening on {addr}, which other machines may reach; \
             the server has no authentication: anyone who reaches it can read the archive"
        );
    }
    let url = format!("http://{addr}/");
    println!(
        "dateline: serving {} at {url} (Ctrl-C stops)",
        options.index_dir.display()
    );
    std::io::stdout().flush()?;
    if open {
        open_in_browser(&url);
    }
    server.run()?;
    eprintln!("dateline: stopped");
    Ok(())
}

/// Hands the URL to the browser `$BROWSER` names (the convention of xdg-open, git and
/// Python: the first of a colon-separated list), else to the desktop's opener. A missing one is
/// only a note: the server still runs.
fn open_in_browser(url: &str) {
    let named = std::env::var("BROWSER").ok().and_then(|list| {
        list.split(':')
            .map(str::trim)
            .find(|b| !b.is_empty())
            .map(String::from)
    });
    let opener = named.unwrap_or_else(|| {
        if cfg!(target_os = "macos") {
            "open"
        } else if cfg!(windows) {
            "explorer"
        } else {
            "xdg-open"
        }
        .to_string()
    });
    let spawned = std::process::Command::new(&opener)
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    match spawned {
        // Reaped on a thread of its own, so that it leaves no zombie behind.
        Ok(mut child) => {
            std::thread::spawn(move || child.wait());
        }
        Err(err) => {
            eprintln!("dateline: cannot open a browser ({opener}: {err}); open {url} yourself")
        }
    }
}

/// A spinner with count, rate and elapsed time, drawn only on a terminal.
fn progress_bar(wanted: bool) -> ProgressBar {
    if !wanted || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template("{spinner} {human_pos} articles, {msg}, {elapsed}")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    bar
}
