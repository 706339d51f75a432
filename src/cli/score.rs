//! `qualify score DEFINITION INPUT`: every inquiry of a CSV/JSONL file scored,
//! staged and explained in one line, rejects set aside, a summary on stderr.

use super::args::{InputArgs, OutputFormatArg};
use super::common::{
    available_cores, parse_rejects_path, parse_threads, stderr_is_terminal, swapped_arguments,
    usage_error,
};
use super::load::{examples_or_report, load_or_usage, model_or_report};
use super::{EXIT_OK, EXIT_REJECTS, EXIT_USAGE};
use crate::driver::{score_all, BatchStats, DriverError, Sinks};
use crate::eval::engine::{Engine, Reference};
use crate::eval::events::{Folder, WithEvents};
use crate::eval::program::Fast;
use crate::input::{InquiryReader, Reject};
use crate::model::Model;
use crate::output::file::{is_written_in_place, AtomicFile};
use crate::output::rejects::default_rejects_path;
use crate::output::results::{Clash, ColumnPlan, ColumnSource, HandoffText, ResultLayout, WhyText};
use crate::output::run_files::{finish, RejectsFile, RejectsPlan, RunEnd};
use crate::output::same_file::Files;
use std::path::{Path, PathBuf};
use std::time::Instant;

#[derive(Debug, clap::Args)]
pub struct ScoreArgs {
    /// The definition file (`.lead`).
    pub definition: String,
    /// The inquiry list: CSV or JSONL, `-` reads stdin.
    pub input: String,
    /// Write results here (default stdout); written to a temporary file and
    /// renamed at the end, so an interrupted run leaves no partial file (a
    /// device or pipe such as /dev/null is written directly). Never one of
    /// the files read (the definition, its examples file, the input).
    #[arg(short, long, value_name = "PATH")]
    pub output: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "csv")]
    pub format: OutputFormatArg,
    /// Input columns to copy through to the output, comma-separated (the
    /// option may be repeated); a name with a comma goes in double quotes:
    /// --keep 'Notes,"City, State"'.
    #[arg(long, value_parser = crate::input::parse_column_list, value_name = "COLUMN,...")]
    pub keep: Vec<crate::input::ColumnList>,
    /// Add one `points: NAME` column per criterion with the points it earned.
    #[arg(long)]
    pub points: bool,
    /// Add a last `why` column: the disqualification, then each matched
    /// criterion with its points (`decision maker +20; gone quiet -15`).
    #[arg(long)]
    pub explain: bool,
    /// Add a last `handoff` column: the definition's hand-off brief for the
    /// inquiry, its lines joined with ` | ` (empty when it has none).
    #[arg(long)]
    pub handoff: bool,
    /// Worker threads, from 1 to 8 per core (default: one per core). The
    /// output is the same for any number.
    #[arg(long, value_name = "N", value_parser = parse_threads)]
    pub threads: Option<usize>,
    /// Which evaluator scores the rows: the compiled program (fast) or the
    /// reference tree walker (to cross-check).
    #[arg(long, value_enum, default_value = "program")]
    pub engine: EngineChoice,
    /// Where rejected rows go (default OUTPUT.rejects.csv beside the results,
    /// or qualify-rejects.csv when they go to stdout, a device or a pipe).
    /// Never a file read, the results file, or stdout when the results go
    /// there.
    #[arg(long, value_name = "PATH", value_parser = parse_rejects_path)]
    pub rejects: Option<PathBuf>,
    /// Stop after N rejected rows. With `-o FILE` nothing is replaced then:
    /// the results and rejects files stay as they were, and the rows rejected
    /// go to REJECTS.stopped.csv beside the rejects file.
    #[arg(long, value_name = "N")]
    pub max_rejects: Option<u64>,
    /// The activity export (CSV or JSONL, one row per event) a definition
    /// with an `events` block reads: folded per lead before the leads are
    /// scored. Read with the same input options as the input.
    #[arg(long, value_name = "FILE")]
    pub events: Option<String>,
    #[command(flatten)]
    pub input_options: InputArgs,
    #[command(flatten)]
    pub examples: super::args::ExamplesArgs,
}

impl ScoreArgs {
    /// The results file, if any: `-o -` is stdout, as `-` is stdin for the
    /// input.
    fn output(&self) -> Option<&Path> {
        self.output.as_deref().filter(|p| p.as_os_str() != "-")
    }

    /// Where the rejects go.
    fn rejects_path(&self) -> PathBuf {
        match &self.rejects {
            Some(path) => path.clone(),
            None => default_rejects_path(self.output()),
        }
    }

    /// Where the rejects go if `--max-rejects` stops the run: apart from the
    /// rejects file, when the results go to a file that the run replaces
    /// (and the rejects too). Results on stdout or a device are written as
    /// they come, so a stop leaves nothing to keep apart from.
    fn stopped_rejects_path(&self) -> Option<PathBuf> {
        RejectsPlan::apart_for(self.output(), &self.rejects_path())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum EngineChoice {
    Program,
    Reference,
}

pub fn run(args: &ScoreArgs) -> i32 {
    let started = Instant::now();
    // Before anything is read: `>> INPUT` is refused before it grows.
    if let Err(message) = check_paths(args) {
        return usage_error(&message);
    }
    let loaded = match load_or_usage(&args.definition) {
        Ok(l) => l,
        Err(status) => return status,
    };
    if loaded.model.is_none() {
        if let Some(hint) = swapped_arguments("score", &args.definition, &args.input) {
            return usage_error(&hint);
        }
    }
    let model = match model_or_report(&loaded, || {
        format!(
            "`{}` has {}; nothing was scored",
            loaded.source.name,
            crate::plural::count(loaded.error_count(), "error", "errors")
        )
    }) {
        Ok(model) => model,
        Err(status) => return status,
    };
    let (_, examples_as_of) = args.input_options.options().as_of();
    if let Err(status) =
        examples_or_report(&loaded, model, examples_as_of, args.examples.deny_failing())
    {
        return status;
    }
    if let Err(message) = super::events::check_given(model, args.events.as_deref()) {
        return usage_error(&message);
    }
    if args.events.as_deref() == Some("-") && args.input == "-" {
        return usage_error(
            "the input and --events cannot both read stdin: give one of them as a file",
        );
    }
    let keep: Vec<String> = args
        .keep
        .iter()
        .flat_map(|list| list.0.iter().map(|k| k.trim().to_string()))
        .collect();
    let input_options = args.input_options.options();
    let reader = match InquiryReader::open(&args.input, &input_options, model, &keep) {
        Ok(r) => r,
        Err(e) => return input_error(&e),
    };
    let (as_of_date, as_of) = input_options.as_of();
    let mut layout = ResultLayout::new(model, args.format.into(), keep, args.points);
    if args.explain {
        let why = crate::explain::why::WhyColumn::new(model);
        layout = layout.with_why(WhyText::new(move |outcome, out| why.write(outcome, out)));
    }
    if args.handoff && model.handoff.is_none() {
        return usage_error(
            "--handoff needs a `handoff { ... }` block in the definition (docs/language.md#the-hand-off-brief)",
        );
    }
    // The events first, one streaming pass: only their accumulators stay
    // (shared with the hand-off brief, which reads the aggregates too).
    let events = match &args.events {
        Some(path) => {
            let keep_lists = args.engine == EngineChoice::Reference;
            // The leads file read first for the `since` dates, when it is a file.
            let leads = Some(args.input.as_str());
            match super::events::read_with_leads(
                model,
                path,
                &input_options,
                as_of,
                keep_lists,
                leads,
            ) {
                Ok(read) => Some((path.as_str(), std::sync::Arc::new(read))),
                Err(message) => {
                    eprintln!("error: {message}");
                    return EXIT_USAGE;
                }
            }
        }
        None => None,
    };
    if args.handoff {
        let brief = std::sync::Arc::new(model.clone());
        let read = events.as_ref().map(|(_, read)| std::sync::Arc::clone(read));
        layout = layout.with_handoff(HandoffText::new(move |outcome, values, out| {
            // The row's values, with its aggregates after them when the
            // definition reads events: what its conditions and pieces read.
            let widened = match (&read, brief.id_field()) {
                (Some(read), Some(id)) => {
                    let mut widened = values.to_vec();
                    let folder = Folder::new(&brief, as_of);
                    read.table.append_aggregates(&folder, id, &mut widened);
                    std::borrow::Cow::Owned(widened)
                }
                _ => std::borrow::Cow::Borrowed(values),
            };
            out.push_str(&crate::semantics::handoff::text(
                &brief, &widened, as_of, outcome,
            ));
        }));
    }
    if let Some(clash) = layout.plan().clashes().first() {
        return usage_error(&clash_message(&layout, clash));
    }
    // One per core by default, whatever RAYON_NUM_THREADS says: the count
    // is bounded by `--threads` alone.
    let pool = match rayon::ThreadPoolBuilder::new()
        .num_threads(args.threads.unwrap_or_else(available_cores))
        .build()
    {
        Ok(p) => p,
        Err(e) => return usage_error(&format!("cannot start worker threads: {e}")),
    };
    let with_events = |inner| -> Option<WithEvents<'_, _>> {
        let (_, read) = events.as_ref()?;
        Some(WithEvents {
            inner,
            table: &read.table,
            folder: Folder::new(model, as_of),
            id: model.id_field()?,
        })
    };
    let outcome = match args.engine {
        EngineChoice::Program => {
            let program = crate::compile::compile(model);
            let engine = Fast {
                program: &program,
                as_of,
            };
            match with_events(&engine) {
                Some(e) => pool.install(|| run_with(args, reader, &e, &layout)),
                None => pool.install(|| run_with(args, reader, &engine, &layout)),
            }
        }
        EngineChoice::Reference => {
            let engine = Reference { model, as_of };
            match (events.as_ref(), model.id_field()) {
                (Some((_, read)), Some(id)) => {
                    let e = WithEvents {
                        inner: &engine,
                        table: &read.table,
                        folder: Folder::new(model, as_of),
                        id,
                    };
                    pool.install(|| run_with(args, reader, &e, &layout))
                }
                _ => pool.install(|| run_with(args, reader, &engine, &layout)),
            }
        }
    };
    let (stats, rejects_path) = match outcome {
        Ok(Run::Done(stats, rejects)) => (stats, rejects),
        Ok(Run::OutputClosed(rejects)) => {
            eprintln!("qualify: the output was closed (for instance by `head`); stopped early");
            if let Some(path) = rejects {
                eprintln!("  rows rejected so far are in `{}`", path.display());
            }
            return EXIT_OK;
        }
        Err(message) => {
            eprintln!("error: {message}");
            return EXIT_USAGE;
        }
    };
    print_summary(
        args,
        model,
        &stats,
        &as_of_date.to_string(),
        rejects_path.as_deref(),
        started,
    );
    let mut events_rejected = 0;
    if let Some((path, read)) = &events {
        let counts = read.table.tally(super::events::LISTED_IDS);
        for line in super::events::summary(path, read, &counts) {
            eprintln!("{line}");
        }
        events_rejected = read.rejected;
    }
    if stats.rejected > 0 || events_rejected > 0 {
        EXIT_REJECTS
    } else {
        EXIT_OK
    }
}

/// How a run ended, with where the rejects went (if any were found).
enum Run {
    Done(BatchStats, Option<PathBuf>),
    /// The reader of stdout went away (`| head`): scoring stopped there.
    OutputClosed(Option<PathBuf>),
}

/// Score into the output and rejects files; returns the counts and where the
/// rejects went (if any). What is committed and what abandoned is the
/// library's rule ([`crate::output::run_files`]).
fn run_with<E: Engine>(
    args: &ScoreArgs,
    reader: InquiryReader,
    engine: &E,
    layout: &ResultLayout,
) -> Result<Run, String> {
    let progress = progress_bar(reader.size());
    let mut output = AtomicFile::create(args.output())?;
    let plan = RejectsPlan::new(
        args.output(),
        Some(args.rejects_path()),
        args.rejects.is_some(),
    );
    let mut rejects = RejectsFile::new(plan);
    let on_progress = |bytes: u64, _rows: u64| {
        if let Some(bar) = &progress {
            bar.set_position(bytes);
        }
    };
    let result = score_all(
        reader,
        engine,
        layout,
        args.max_rejects,
        Sinks {
            output: &mut output,
            reject: &mut |r: &Reject| rejects.write(r),
            progress: &on_progress,
        },
    );
    if let Some(bar) = &progress {
        bar.finish_and_clear();
    }
    let (stats, end) = match result {
        Ok(stats) if stats.stopped_early => (Some(stats), RunEnd::Stopped),
        Ok(stats) => (Some(stats), RunEnd::Finished),
        Err(DriverError::Input(e)) => return Err(e.to_string()),
        Err(DriverError::Output(m)) => {
            return Err(rejects.error().map_or(m, str::to_string));
        }
        // Like `head` closing a pipe: the reader has what it wanted. Nothing
        // more is written, but the rejects found so far are still kept.
        Err(DriverError::OutputClosed) => (None, RunEnd::ReaderGone),
    };
    let left = finish(Some(output), rejects, end)?;
    match stats {
        Some(stats) if !left.reader_gone => Ok(Run::Done(stats, left.rejects)),
        _ => Ok(Run::OutputClosed(left.rejects)),
    }
}

/// Why the results cannot be written, blaming what the user can change: a
/// `--keep` column, else the definition (`check` reports it too).
fn clash_message(layout: &ResultLayout, clash: &Clash) -> String {
    let [(first, a), (second, b)] = clash;
    let both = format!(
        "{} and {}",
        a.describe(&layout.plan(), first),
        b.describe(&layout.plan(), second)
    );
    let named = ColumnPlan::clash_words(first, second);
    if *a == ColumnSource::Keep || *b == ColumnSource::Keep {
        return format!(
            "the results would have {named}: {both}. `--keep` cannot copy a column under the \
             name of another output column (rename it in the input, or leave it out)"
        );
    }
    let option = [a, b].into_iter().find_map(|s| s.option());
    let or_option = option.map_or(String::new(), |o| format!(", or leave out `{o}`"));
    format!(
        "the results would have {named}: {both}. Rename one in the definition{or_option} \
         (`qualify check` reports this as qualify::output-column-clash)"
    )
}

/// Refuse an output that is a file read (the definition, its examples file,
/// the input) or another output (the results, the rejects, where a stopped
/// run's rejects go, stdout when the results go there): one would overwrite
/// the other. The null device may take several outputs.
fn check_paths(args: &ScoreArgs) -> Result<(), String> {
    let mut files = Files::new();
    files.read("the definition", &args.definition);
    if let Some(examples) = crate::suite::companion_path(&args.definition) {
        files.read_if_present("the definition's examples file", &examples);
    }
    files.read("the input file", &args.input);
    if let Some(events) = &args.events {
        files.read("the events file", events);
    }
    match args.output() {
        Some(out) => files.written("the results file", out, "give `-o` another path"),
        None => files.written_to_stdout("the results", "write them with `-o PATH` instead"),
    }
    files.written(
        "the rejects file",
        &args.rejects_path(),
        "give `--rejects` another path",
    );
    if let Some(apart) = args.stopped_rejects_path() {
        files.written(
            "the rejects file of a run `--max-rejects` stops",
            &apart,
            "give `--rejects` another path",
        );
    }
    files.check()
}

fn input_error(e: &crate::input::InputError) -> i32 {
    eprintln!("error: {e}");
    if let Some(help) = e.help() {
        eprintln!("  help: {help}");
    }
    EXIT_USAGE
}

fn progress_bar(size: Option<u64>) -> Option<indicatif::ProgressBar> {
    let size = size?;
    if !stderr_is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new(size);
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "scoring {bar:40} {bytes}/{total_bytes} ({bytes_per_sec}, {eta} left)",
    ) {
        bar.set_style(style);
    }
    Some(bar)
}

fn print_summary(
    args: &ScoreArgs,
    model: &Model,
    stats: &BatchStats,
    as_of: &str,
    rejects: Option<&Path>,
    started: Instant,
) {
    let input = if args.input == "-" {
        "stdin"
    } else {
        &args.input
    };
    let mut lines = Vec::new();
    if stats.stopped_early {
        // The stop falls inside a chunk, so counts per stage would be those
        // of the rows before the chunk: say only what is certain.
        lines.push(format!(
            "stopped reading `{input}` at row {} after {} (--max-rejects); as of {as_of}",
            stats.read,
            crate::plural::count(stats.rejected, "rejected row", "rejected rows")
        ));
        match (args.output(), args.stopped_rejects_path()) {
            (Some(out), Some(_)) => lines.push(format!(
                "  nothing was replaced: `{}` and `{}` are as they were before this run",
                out.display(),
                args.rejects_path().display()
            )),
            (Some(out), None) if !is_written_in_place(out) => lines.push(format!(
                "  no results were written (`{}` was left as it was)",
                out.display()
            )),
            _ => lines.push("  the results written before the stop are incomplete".into()),
        }
        if let Some(path) = rejects {
            lines.push(format!(
                "  the rows rejected before the stop are in `{}`",
                path.display()
            ));
        }
    } else {
        lines.push(format!(
            "scored `{input}` as of {as_of}: {} read, {} scored, {} rejected",
            crate::plural::count(stats.read, "row", "rows"),
            stats.scored,
            stats.rejected
        ));
        let stages: Vec<String> = model
            .stage_names()
            .zip(&stats.per_stage)
            .map(|(name, n)| format!("{name}: {n}"))
            .collect();
        lines.push(format!("  stages: {}", stages.join(", ")));
        if let Some(path) = rejects {
            lines.push(format!("  rejected rows are in `{}`", path.display()));
        }
        if let Some(out) = args.output() {
            lines.push(format!("  results are in `{}`", out.display()));
        }
    }
    let secs = started.elapsed().as_secs_f64();
    let rate = if secs > 0.0 {
        stats.read as f64 / secs
    } else {
        0.0
    };
    let mut timing = format!("  {secs:.2} s, {rate:.0} rows/s");
    if let Some(kib) = peak_memory_kib() {
        timing.push_str(&format!(", peak memory {:.1} MB", kib as f64 / 1024.0));
    }
    lines.push(timing);
    eprintln!("{}", lines.join("\n"));
}

/// The most memory the process has had resident (KiB), where the system says
/// (Linux: `VmHWM` in /proc/self/status). A run's memory is meant to stay flat
/// whatever the size of its input; this lets a user see that it did.
fn peak_memory_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.trim_start_matches("VmHWM:")
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()
}
