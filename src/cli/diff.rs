//! `qualify diff OLD NEW [--against INPUT]`: what a revision changes in meaning,
//! and what it does to real inquiries, as text, markdown or JSON.

use super::args::{InputArgs, OutcomeArgs};
use super::common::{parse_rejects_path, stderr_is_terminal, stdout_is_terminal, usage_error};
use super::revision::{origin, read_revision, Origin};
use super::{EXIT_FAILED, EXIT_GATE, EXIT_OK, EXIT_REJECTS, EXIT_USAGE};
use crate::diagnostic::closest;
use crate::diff::impact::{measure, Impact, Revisions};
use crate::diff::review::Judgement;
use crate::diff::{diff, render, render_impact, DefinitionDiff};
use crate::driver::DriverError;
use crate::input::{InputError, InquiryReader, Reject};
use crate::load::{load, Loaded};
use crate::model::Model;
use crate::output::rejects::default_rejects_path;
use crate::output::run_files::{finish, RejectsFile, RejectsPlan, RunEnd};
use crate::output::same_file::Files;
use crate::plural::{count, pick};
use crate::report::diagnostics::render_human;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DiffFormat {
    /// For a terminal (coloured when stdout is one).
    Text,
    /// For a pull-request comment.
    Markdown,
    /// For programs: the same report as data.
    Json,
}

#[derive(Debug, clap::Args)]
pub struct DiffArgs {
    /// The old revision: a file, `-` for stdin, or `REV:path` read with git
    /// (e.g. `HEAD~1:rules/northwind.lead`).
    pub old: String,
    /// The new revision, given the same way.
    pub new: String,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: DiffFormat,
    /// Score the inquiries of this file (CSV or JSONL, `-` for stdin) under both
    /// revisions, in one pass, and report what moves.
    #[arg(long, value_name = "INPUT")]
    pub against: Option<String>,
    /// With `--against`: the activity export (CSV or JSONL, one row per
    /// event) a revision with an `events` block reads; both revisions read
    /// it, with the same input options as the inquiries.
    #[arg(long, value_name = "FILE", requires = "against")]
    pub events: Option<String>,
    /// How many moved inquiries to show, with what made the difference.
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub show: usize,
    /// Exit 4 when more than PCT percent of the inquiries change stage.
    #[arg(long, value_name = "PCT", requires = "against")]
    pub fail_if_moved: Option<f64>,
    /// Exit 4 when any inquiry enters or leaves STAGE (repeat for several).
    #[arg(long, value_name = "STAGE", requires = "against")]
    pub fail_if_stage_changes: Vec<String>,
    /// With `--against`: where rows either revision rejects go (default
    /// qualify-rejects.csv, written when a row is rejected, when named here,
    /// or when one is already there, as `score` writes it). Never a file
    /// read.
    #[arg(long, value_name = "PATH", requires = "against", value_parser = parse_rejects_path)]
    pub rejects: Option<std::path::PathBuf>,
    /// With `--against`: stop after N rejected rows; the impact then covers the
    /// rows read before the stop.
    #[arg(long, value_name = "N", requires = "against")]
    pub max_rejects: Option<u64>,
    /// With `--outcome`: exit 4 when the new revision ranks converted
    /// inquiries clearly worse (the verdict is `worse`).
    #[arg(long, requires = "outcome")]
    pub fail_if_worse: bool,
    #[command(flatten)]
    pub outcomes: OutcomeArgs,
    #[command(flatten)]
    pub input_options: InputArgs,
    #[command(flatten)]
    pub examples: super::args::ExamplesArgs,
}

/// The JSON document: the definition diff, and the impact when asked for.
#[derive(Serialize)]
struct Report<'a> {
    #[serde(flatten)]
    diff: &'a DefinitionDiff,
    #[serde(skip_serializing_if = "Option::is_none")]
    impact: Option<&'a Impact>,
}

pub fn run(args: &DiffArgs) -> i32 {
    let stdin_users = [
        Some(&args.old),
        Some(&args.new),
        args.against.as_ref(),
        args.events.as_ref(),
    ]
    .iter()
    .filter(|a| a.is_some_and(|a| a == "-"))
    .count();
    if stdin_users > 1 {
        return usage_error(
            "only one of OLD, NEW, `--against` and `--events` can be read from stdin (`-`)",
        );
    }
    if let Err(message) = check_paths(args) {
        return usage_error(&message);
    }
    if args.outcomes.outcome.is_some() && args.against.is_none() {
        return usage_error(
            "`--outcome` reviews a revision on past inquiries; name them with `--against FILE`",
        );
    }
    if let Some(pct) = args.fail_if_moved {
        if !(0.0..=100.0).contains(&pct) {
            return usage_error(&format!(
                "`--fail-if-moved {pct}` is not a percentage; give a number from 0 to 100"
            ));
        }
    }
    let old = match load_revision(&args.old) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let new = match load_revision(&args.new) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let (Some(old_ast), Some(new_ast), Some(old_model), Some(new_model)) =
        (&old.ast, &new.ast, &old.model, &new.model)
    else {
        return EXIT_FAILED;
    };
    if let Some(code) = check_gate_stages(args, old_model, new_model) {
        return code;
    }
    // Both revisions' examples: a reviewer should hear that either no longer
    // holds. A revision read from git is run with its own examples only (its
    // examples file is not read from git).
    let (_, as_of) = args.input_options.options().as_of();
    for (loaded, model) in [(&old, old_model), (&new, new_model)] {
        let deny = args.examples.deny_failing();
        if let Err(code) = super::load::examples_or_report(loaded, model, as_of, deny) {
            return code;
        }
    }
    let label = |arg: &str| if arg == "-" { "<stdin>" } else { arg }.to_string();
    let d = diff(old_ast, new_ast, &label(&args.old), &label(&args.new));
    let impact = match &args.against {
        None => None,
        Some(_)
            if args.events.as_deref() == Some("-")
                && old_model.events.is_some()
                && new_model.events.is_some() =>
        {
            return usage_error(
                "both revisions read the events file, once each: give `--events` as a file, not stdin",
            );
        }
        Some(input) => {
            if let Err(message) =
                super::events::check_given_any(&[old_model, new_model], args.events.as_deref())
            {
                return usage_error(&message);
            }
            match impact(args, input, old_model, new_model, &d) {
                Ok(measured) => Some(measured),
                Err(code) => return code,
            }
        }
    };
    let color = stdout_is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let output = match args.format {
        DiffFormat::Text => {
            let mut out = render::text(&d, render::Paint(color));
            if let Some((i, _)) = &impact {
                out.push_str(&render_impact::text(i, render::Paint(color)));
            }
            out
        }
        DiffFormat::Markdown => {
            let mut out = render::markdown(&d);
            if let Some((i, _)) = &impact {
                out.push_str(&render_impact::markdown(i));
            }
            out
        }
        DiffFormat::Json => {
            let report = Report {
                diff: &d,
                impact: impact.as_ref().map(|(i, _)| i),
            };
            serde_json::to_string_pretty(&report).unwrap_or_else(|_| "{}".into()) + "\n"
        }
    };
    super::common::emit(&output);
    match &impact {
        Some((i, events_rejected)) => exit_status(args, i, *events_rejected),
        None => EXIT_OK,
    }
}

/// A gate's stage must exist in one of the revisions.
fn check_gate_stages(args: &DiffArgs, old: &Model, new: &Model) -> Option<i32> {
    for stage in &args.fail_if_stage_changes {
        let known: Vec<&str> = old.stage_names().chain(new.stage_names()).collect();
        if !known.contains(&stage.as_str()) {
            let mut message = format!(
                "`--fail-if-stage-changes {stage}`: neither revision has a stage `{stage}`"
            );
            if let Some(c) = closest(stage, known.iter().copied()) {
                message.push_str(&format!("\nhelp: did you mean `{c}`?"));
            }
            return Some(usage_error(&message));
        }
    }
    None
}

/// Gates first (exit 4), then rejected rows, inquiries or events (exit 3).
fn exit_status(args: &DiffArgs, i: &Impact, events_rejected: u64) -> i32 {
    let mut failed = false;
    if let Some(pct) = args.fail_if_moved {
        if i.moved_percent() > pct {
            eprintln!(
                "gate failed: {}% of the inquiries change stage ({} of {}), more than `--fail-if-moved {pct}`",
                crate::number::format_number(i.moved_percent()),
                i.moved,
                i.rows.compared
            );
            failed = true;
        }
    }
    for stage in &args.fail_if_stage_changes {
        let n = i.entering_or_leaving(stage);
        if n > 0 {
            eprintln!(
                "gate failed: {} {} stage `{stage}` (`--fail-if-stage-changes {stage}`)",
                count(n, "inquiry", "inquiries"),
                pick(n, "enters or leaves", "enter or leave")
            );
            failed = true;
        }
    }
    if let (true, Some(review)) = (args.fail_if_worse, &i.review) {
        if review.verdict.judgement == Judgement::Worse {
            eprintln!(
                "gate failed: the new revision ranks clearly worse (`--fail-if-worse`): {}",
                review.verdict.reason
            );
            failed = true;
        }
    }
    if failed {
        EXIT_GATE
    } else if i.rows.rejected > 0 || events_rejected > 0 {
        EXIT_REJECTS
    } else {
        EXIT_OK
    }
}

fn input_error(revision: &str, which: &str, e: &InputError) -> i32 {
    match e {
        InputError::MissingColumn { .. } | InputError::AmbiguousColumn { .. } => {
            eprintln!("error: the {which} revision (`{revision}`) cannot be scored: {e}")
        }
        _ => eprintln!("error: {e}"),
    }
    if let Some(help) = e.help() {
        eprintln!("help: {help}");
    }
    EXIT_USAGE
}

/// Score `input` under both revisions, reporting rejected rows on stderr and
/// in `--rejects` when given; with the events rows rejected (`--events`).
fn impact(
    args: &DiffArgs,
    input: &str,
    old: &Model,
    new: &Model,
    d: &DefinitionDiff,
) -> Result<(Impact, u64), i32> {
    let opts = args.input_options.options();
    let (_, as_of) = opts.as_of();
    // Each revision folds the one events file with its own aggregates.
    let fold = |model: &Model| {
        super::events::read_for(model, args.events.as_deref(), &opts, as_of).map_err(|m| {
            eprintln!("error: {m}");
            EXIT_USAGE
        })
    };
    let (old_events, new_events) = (fold(old)?, fold(new)?);
    let outcomes_path = args.outcomes.outcomes.as_deref().unwrap_or("");
    let mut outcomes = args
        .outcomes
        .source(opts.delimiter_for(outcomes_path))
        .map_err(|m| usage_error(&m))?;
    // With outcomes, the reader keeps the one column they are read by.
    let (keep, option) = match &outcomes {
        Some(source) => {
            let (column, option) = source.kept_column();
            (vec![column], option)
        }
        None => (Vec::new(), "--keep"),
    };
    let mut reader = InquiryReader::open_keeping(input, &opts, old, &keep, option)
        .map_err(|e| input_error(&args.old, "old", &e))?;
    let new_decoder = reader
        .decoder_for(new)
        .map_err(|e| input_error(&args.new, "new", &e))?;
    let (as_of_date, as_of) = opts.as_of();
    let revisions = Revisions {
        old,
        new,
        diff: d,
        as_of,
        as_of_label: as_of_date.to_string(),
        show: args.show,
        max_rejects: args.max_rejects,
        old_events: old_events.as_ref().map(|e| &e.table),
        new_events: new_events.as_ref().map(|e| &e.table),
    };
    // The report goes to stdout: no results file to keep the rejects apart
    // from, so a stop leaves them in the rejects file.
    let plan = RejectsPlan::new(None, Some(rejects_path(args)), args.rejects.is_some());
    let mut rejects = RejectsFile::new(plan);
    let mut shown = 0;
    let mut on_reject = |reject: &Reject| {
        if shown < 3 {
            let column = if reject.column.is_empty() {
                String::new()
            } else {
                format!(", column `{}`", reject.column)
            };
            eprintln!("rejected: line {}{column}: {}", reject.line, reject.reason);
            shown += 1;
        }
        rejects.write(reject)
    };
    let measured = measure(
        reader,
        &new_decoder,
        input,
        &revisions,
        outcomes.as_mut(),
        &mut on_reject,
    );
    let impact = match measured {
        Ok(impact) => impact,
        // The rejects file's errors name its path already.
        Err(DriverError::Output(m)) => {
            return Err(usage_error(rejects.error().unwrap_or(&m)));
        }
        Err(e) => {
            eprintln!("error: {e}");
            return Err(EXIT_USAGE);
        }
    };
    let end = if impact.rows.stopped_early {
        RunEnd::Stopped
    } else {
        RunEnd::Finished
    };
    let left = finish(None, rejects, end).map_err(|e| usage_error(&e))?;
    let rejects_path = left.rejects.unwrap_or_else(|| rejects_path(args));
    let rows = &impact.rows;
    if rows.rejected > 0 {
        let whereto = format!("; all are in `{}`", rejects_path.display());
        eprintln!(
            "{} of {} rejected ({} by the old revision only, {} by the new only){whereto}",
            rows.rejected,
            count(rows.read, "row", "rows"),
            rows.rejected_by_old_only,
            rows.rejected_by_new_only
        );
    }
    if rows.stopped_early {
        eprintln!(
            "stopped after {} (`--max-rejects`); the impact covers the first {}",
            count(rows.rejected, "rejected row", "rejected rows"),
            count(rows.read, "row", "rows")
        );
    }
    Ok((impact, events_report(args, old_events, new_events)))
}

/// The events summary on stderr, once when both revisions read the events
/// alike, else per revision; the event rows rejected.
fn events_report(
    args: &DiffArgs,
    old: Option<super::events::EventsRead>,
    new: Option<super::events::EventsRead>,
) -> u64 {
    let Some(path) = args.events.as_deref() else {
        return 0;
    };
    let lines = |read: &super::events::EventsRead| {
        let counts = read.table.tally(super::events::LISTED_IDS);
        super::events::summary(path, read, &counts)
    };
    match (&old, &new) {
        (Some(o), Some(n)) if lines(o) == lines(n) => super::events::report(path, n),
        _ => {
            let mut rejected = 0;
            for (which, read) in [("old", &old), ("new", &new)] {
                if let Some(read) = read {
                    eprintln!("the {which} revision's events:");
                    rejected = rejected.max(super::events::report(path, read));
                }
            }
            rejected
        }
    }
}

/// Where rejected rows go: `--rejects`, else `qualify-rejects.csv`.
fn rejects_path(args: &DiffArgs) -> std::path::PathBuf {
    args.rejects
        .clone()
        .unwrap_or_else(|| default_rejects_path(None))
}

/// Refuse a rejects file that is a file read (either revision, the
/// inquiries) or stdout, where the report goes.
fn check_paths(args: &DiffArgs) -> Result<(), String> {
    let Some(input) = &args.against else {
        return Ok(());
    };
    let mut files = Files::new();
    for (what, arg) in [
        ("the old revision", &args.old),
        ("the new revision", &args.new),
    ] {
        match origin(arg) {
            Origin::File(path) => files.read(what, path),
            Origin::Stdin => files.read(what, "-"),
            Origin::Git { .. } => {}
        }
    }
    files.read("the input file", input);
    if let Some(events) = &args.events {
        files.read("the events file", events);
    }
    if let Some(outcomes) = &args.outcomes.outcomes {
        files.read("the outcomes file", outcomes);
    }
    files.written_to_stdout("the report", "redirect it elsewhere");
    files.written(
        "the rejects file",
        &rejects_path(args),
        "give `--rejects` another path",
    );
    files.check()
}

/// Read and check one revision. A definition with errors cannot be compared by
/// meaning: its diagnostics go to stderr and the exit status is 1 (2 when it
/// looks like an inquiry list given in the wrong place).
fn load_revision(arg: &str) -> Result<Loaded, i32> {
    let bytes = read_revision(arg).map_err(|message| {
        eprintln!("error: {message}");
        EXIT_USAGE
    })?;
    let name = if arg == "-" { "<stdin>" } else { arg };
    let loaded = load(name, bytes);
    let errors = loaded.error_count();
    if loaded.model.is_none() && super::common::looks_like_inquiries(arg) {
        return Err(usage_error(&format!(
            "`{arg}` looks like an inquiries file, not a revision of a definition; \
             score inquiries under both revisions with `qualify diff OLD NEW --against {arg}`"
        )));
    }
    if errors > 0 || loaded.model.is_none() {
        let color = stderr_is_terminal() && std::env::var_os("NO_COLOR").is_none();
        for d in loaded.located().iter().filter(|d| d.diagnostic.is_error()) {
            eprint!("{}", render_human(d, color, 100));
        }
        eprintln!(
            "error: `{arg}` has {}; `qualify diff` compares definitions that check cleanly\n\
             help: run `qualify check` on it and fix what it reports",
            count(errors, "error", "errors")
        );
        return Err(EXIT_FAILED);
    }
    Ok(loaded)
}
