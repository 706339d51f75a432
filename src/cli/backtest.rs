//! `qualify backtest DEFINITION INPUT --outcome COLUMN`: how well the
//! definition separates converted inquiries from the rest, as a report; with
//! `--suggest`, revised points and thresholds as a diff.

use super::args::{InputArgs, OutcomeArgs, ReportFormatArg};
use super::common::{parse_rejects_path, swapped_arguments};
use super::{EXIT_FAILED, EXIT_OK, EXIT_REJECTS};
use crate::backtest::input::{read_rows, RowsFrom};
use crate::backtest::suggest::{suggest, SuggestOptions, TargetPrecision, TimeSplit};
use crate::backtest::timing::{time_to_conversion, Converted};
use crate::backtest::{BandSpec, Tally};
use crate::eval::engine::evaluate_many;
use crate::model::Type;
use crate::output::file::AtomicFile;
use crate::output::run_files::{finish, RejectsFile, RejectsPlan, RunEnd};
use crate::output::same_file::Files;
use crate::report::backtest::{
    html::render_html, render, BacktestReport, JoinInfo, RejectNote, RunInfo,
};
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct BacktestArgs {
    /// The definition file.
    pub definition: String,
    /// Past inquiries (CSV or JSONL; `-` reads stdin).
    pub input: String,
    #[command(flatten)]
    pub outcomes: OutcomeArgs,
    /// Report format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: ReportFormatArg,
    /// Also write a self-contained HTML page with charts to this path (never
    /// a file read).
    #[arg(long, value_name = "PATH")]
    pub html: Option<PathBuf>,
    /// Cut the score into this many equal-sized bands by rank (10: deciles).
    #[arg(long, value_name = "N", default_value_t = 10, conflicts_with = "band_edges",
          value_parser = clap::value_parser!(u16).range(1..=100))]
    pub bands: u16,
    /// Cut the score at these lower bounds instead, e.g. `25,50,75`.
    #[arg(long, value_name = "SCORE,...", value_delimiter = ',', value_parser = parse_edge)]
    pub band_edges: Vec<f64>,
    /// Propose revised points and stage thresholds from the outcomes.
    #[arg(long)]
    pub suggest: bool,
    /// With `--suggest`: the precision a stage (and those before it) should
    /// reach, `0.8`, `80%` or `"sales ready=0.8"`; a bare value means the first
    /// stage with a score threshold. Repeatable.
    #[arg(long, value_name = "[STAGE=]P", requires = "suggest", value_parser = parse_target)]
    pub target_precision: Vec<TargetPrecision>,
    /// With `--suggest`: seed of the training / held-out split.
    #[arg(long, default_value_t = 42, requires = "suggest")]
    pub seed: u64,
    /// With `--suggest` and `--by`: learn on the inquiries dated up to DATE
    /// (YYYY-MM-DD) and judge on the later ones, instead of a seeded split.
    #[arg(long, value_name = "DATE", requires_all = ["suggest", "by"], conflicts_with_all = ["held_out", "seed"],
          value_parser = crate::input::parse_date_arg)]
    pub held_out_after: Option<chrono::NaiveDate>,
    /// The date field of the definition `--held-out-after` splits on.
    #[arg(long, value_name = "FIELD", requires = "held_out_after")]
    pub by: Option<String>,
    /// When the outcome is a date (a won date): report the days to
    /// conversion per stage, counted from this date field of the definition.
    #[arg(long, value_name = "FIELD")]
    pub from: Option<String>,
    /// With `--suggest`: share of rows held out to judge the proposal.
    #[arg(long, default_value_t = 0.3, requires = "suggest", value_parser = parse_share)]
    pub held_out: f64,
    /// With `--suggest`: write the proposal into the definition file, unless
    /// checking it fails (its examples no longer hold).
    #[arg(long, requires = "suggest")]
    pub write: bool,
    /// Also write every rejected row to this file (CSV: line, row, column,
    /// value, reason, raw); without it, only the first five are shown in the
    /// report. Never a file read, nor the HTML page.
    #[arg(long, value_name = "PATH", value_parser = parse_rejects_path)]
    pub rejects: Option<PathBuf>,
    /// Stop after N rejected rows; the report then covers the rows read
    /// before the stop, and `--write` writes nothing.
    #[arg(long, value_name = "N")]
    pub max_rejects: Option<u64>,
    /// With `--write`: write the proposal even when checking it fails.
    #[arg(long, requires = "write")]
    pub force: bool,
    /// The activity export (CSV or JSONL, one row per event) a definition
    /// with an `events` block reads, with the same input options as the
    /// input: each inquiry is judged with its aggregates as of `--as-of`.
    #[arg(long, value_name = "FILE")]
    pub events: Option<String>,
    /// Judge each inquiry as of its own date in this date field of the
    /// definition (the day it was handed to sales, say) rather than one
    /// `--as-of` date: `days since`, windows and the events it sees all stop
    /// there, so the backtest cannot learn from the future. An inquiry
    /// without the date is rejected.
    #[arg(long, value_name = "FIELD", conflicts_with_all = ["as_of", "suggest"])]
    pub as_of_field: Option<String>,
    #[command(flatten)]
    pub input_options: InputArgs,
    #[command(flatten)]
    pub examples: super::args::ExamplesArgs,
}

/// Each sample's outcome as of its own date (`as_of_of` of its values), on
/// both cores: what [`evaluate_many`] does for one date.
fn evaluate_each_as_of(
    program: &crate::program::Program,
    samples: &[crate::backtest::suggest::Sample],
    as_of_of: impl Fn(&[crate::model::Value]) -> i32 + Sync,
) -> Vec<crate::semantics::Outcome> {
    use crate::eval::engine::Engine;
    use rayon::prelude::*;
    samples
        .par_iter()
        .map(|s| {
            let engine = crate::eval::program::Fast {
                program,
                as_of: as_of_of(&s.values),
            };
            let mut scratch = engine.scratch();
            engine.evaluate(&s.values, &mut scratch).clone()
        })
        .collect()
}

/// One `--band-edges` score: a finite number (`NaN` or `1e400` cut nothing).
fn parse_edge(s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        Ok(_) => Err(format!(
            "`{s}` is not a score a band can start at; band edges are finite numbers, e.g. 25,50,75"
        )),
        Err(_) => Err(format!(
            "`{s}` is not a number; band edges are scores, e.g. 25,50,75"
        )),
    }
}

fn parse_share(s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(v) if v > 0.0 && v < 1.0 => Ok(v),
        _ => Err(format!("`{s}` is not a share between 0 and 1, e.g. 0.3")),
    }
}

/// `0.8`, `80%`, `sales ready=0.8`.
pub fn parse_target(s: &str) -> Result<TargetPrecision, String> {
    let (stage, value) = match s.rsplit_once('=') {
        Some((stage, value)) => (Some(stage.trim().to_string()), value.trim()),
        None => (None, s.trim()),
    };
    let precision = match value.strip_suffix('%') {
        Some(p) => p.trim().parse::<f64>().map(|p| p / 100.0),
        None => value.parse::<f64>(),
    }
    .ok()
    .filter(|p| *p > 0.0 && *p <= 1.0)
    .ok_or_else(|| {
        format!(
            "`{value}` is not a precision; write a share such as 0.8 or a percentage such as 80%"
        )
    })?;
    Ok(TargetPrecision { stage, precision })
}

pub fn run(args: &BacktestArgs) -> i32 {
    if let Err(message) = check_paths(args) {
        return super::common::usage_error(&message);
    }
    let loaded = match super::load::load_or_usage(&args.definition) {
        Ok(l) => l,
        Err(status) => return status,
    };
    if loaded.model.is_none() {
        if let Some(hint) = swapped_arguments("backtest", &args.definition, &args.input) {
            return super::common::usage_error(&hint);
        }
    }
    let model = match super::load::model_or_report(&loaded, || {
        format!(
            "`{}` has errors; fix them before backtesting it",
            loaded.source.name
        )
    }) {
        Ok(model) => model,
        Err(status) => return status,
    };
    let input_options = args.input_options.options();
    let (as_of_date, as_of) = input_options.as_of();
    let deny = args.examples.deny_failing();
    if let Err(status) = super::load::examples_or_report(&loaded, model, as_of, deny) {
        return status;
    }
    if let Err(message) = super::events::check_given(model, args.events.as_deref()) {
        return super::common::usage_error(&message);
    }
    if args.events.as_deref() == Some("-") && args.input == "-" {
        return super::common::usage_error(
            "the input and --events cannot both read stdin: give one of them as a file",
        );
    }
    let as_of_field = match &args.as_of_field {
        Some(name) => match date_field(model, "--as-of-field", name) {
            Ok(field) => Some(field),
            Err(message) => return super::common::usage_error(&message),
        },
        None => None,
    };
    // The events first, one streaming pass, as `score --events` reads them;
    // each inquiry's own as-of date needs its events listed instead of
    // folded for one date.
    let events = match (&args.events, as_of_field) {
        (Some(path), Some(_)) if model.events.is_some() => {
            super::events::read(model, path, &input_options, as_of, true).map(Some)
        }
        _ => super::events::read_for(model, args.events.as_deref(), &input_options, as_of),
    };
    let events = match events {
        Ok(events) => events,
        Err(message) => return super::common::usage_error(&message),
    };
    let delimiter = |path: &str| input_options.delimiter_for(path);
    let outcomes_path = args.outcomes.outcomes.as_deref().unwrap_or("");
    let mut source = match args.outcomes.source(delimiter(outcomes_path)) {
        Ok(Some(source)) => source,
        Ok(None) => {
            return super::common::usage_error(
                "`qualify backtest` needs `--outcome COLUMN`: the column holding each inquiry's outcome",
            )
        }
        Err(message) => return super::common::usage_error(&message),
    };
    // No file without `--rejects`: the report lists the first five.
    let mut rejects = RejectsFile::new(RejectsPlan::new(None, args.rejects.clone(), true));
    let from = RowsFrom {
        input: &args.input,
        opts: &input_options,
        max_rejects: args.max_rejects,
        as_of_field,
    };
    let mut rows = match read_rows(&from, model, &mut source, &mut |r| rejects.write(r)) {
        Ok(r) => r,
        Err(message) => {
            let message = rejects.error().map_or(message, str::to_string);
            return super::common::usage_error(&message);
        }
    };
    let end = if rows.stopped_early {
        RunEnd::Stopped
    } else {
        RunEnd::Finished
    };
    let rejects_file = match finish(None, rejects, end) {
        Ok(left) => left.rejects,
        Err(message) => return super::common::usage_error(&message),
    };
    if rows.stopped_early {
        eprintln!(
            "stopped after {} (`--max-rejects`); the report covers the first {}",
            crate::plural::count(rows.rejects.len() as u64, "rejected row", "rejected rows"),
            crate::plural::count(rows.read, "row", "rows")
        );
    }
    let bands = if args.band_edges.is_empty() {
        BandSpec::Quantiles(usize::from(args.bands))
    } else {
        let mut edges = args.band_edges.clone();
        edges.sort_by(f64::total_cmp);
        edges.dedup();
        BandSpec::Fixed(edges)
    };
    // Each inquiry's as-of date: its own with `--as-of-field`.
    let as_of_of = |values: &[crate::model::Value]| match as_of_field.and_then(|f| values.get(f)) {
        Some(crate::model::Value::Date(d)) => *d,
        _ => as_of,
    };
    // Each inquiry's aggregates after its fields, as the program reads them.
    let mut events_rejected = 0;
    if let (Some(read), Some(id), Some(path)) = (&events, model.id_field(), &args.events) {
        match as_of_field {
            None => {
                let folder = crate::eval::events::Folder::new(model, as_of);
                for sample in &mut rows.samples {
                    read.table
                        .append_aggregates(&folder, id, &mut sample.values);
                }
            }
            Some(_) => {
                let mut unseen = 0u64;
                for sample in &mut rows.samples {
                    let lead_as_of = as_of_of(&sample.values);
                    let lead_events = sample
                        .values
                        .get(id)
                        .map_or(&[][..], |lead| read.table.events_of(lead));
                    unseen += lead_events
                        .iter()
                        .filter(|e| {
                            crate::semantics::events::event_date(model, e)
                                .is_some_and(|at| at > lead_as_of)
                        })
                        .count() as u64;
                    sample.values = crate::semantics::events::with_aggregates(
                        model,
                        &sample.values,
                        lead_events,
                        lead_as_of,
                    );
                }
                eprintln!(
                    "`--as-of-field {}`: {} dated after their inquiry's own date, not seen",
                    args.as_of_field.as_deref().unwrap_or_default(),
                    crate::plural::count(unseen, "event", "events")
                );
            }
        }
        events_rejected = super::events::report(path, read);
    }
    let mut tally = Tally::new(model);
    let program = crate::compile::compile(model);
    let outcomes = match as_of_field {
        None => evaluate_many(&program, &rows.samples, |s| &s.values, as_of),
        Some(_) => evaluate_each_as_of(&program, &rows.samples, as_of_of),
    };
    for (s, outcome) in rows.samples.iter().zip(&outcomes) {
        tally.add(&s.values, outcome, s.converted);
    }
    let backtest = tally.finish(&bands);
    let time_to_conversion = match &args.from {
        None => None,
        Some(name) => match date_field(model, "--from", name) {
            Ok(field) => {
                let stages: Vec<&str> = model.stage_names().collect();
                let converted = rows
                    .samples
                    .iter()
                    .zip(&outcomes)
                    .filter(|(s, _)| s.converted)
                    .map(|(s, o)| Converted {
                        stage: o.stage,
                        from: &s.values[field],
                        on: s.converted_on,
                    });
                Some(time_to_conversion(name, &stages, converted))
            }
            Err(message) => return super::common::usage_error(&message),
        },
    };
    let suggestion = if args.suggest {
        let time_split = match time_split(args, model) {
            Ok(t) => t,
            Err(message) => return super::common::usage_error(&message),
        };
        let opts = SuggestOptions {
            seed: args.seed,
            time_split,
            held_out: args.held_out,
            lambda: 1.0,
            targets: args.target_precision.clone(),
            bands: bands.clone(),
            as_of,
        };
        match suggest(&loaded, &rows.samples, &opts) {
            Ok(s) => Some(s),
            Err(message) => return super::common::usage_error(&message),
        }
    } else {
        None
    };
    let report = BacktestReport {
        run: RunInfo {
            definition: loaded.source.name.clone(),
            definition_name: model.name.clone(),
            version: model.version.clone(),
            input: args.input.clone(),
            as_of: match &args.as_of_field {
                Some(field) => format!("each inquiry's {field}"),
                None => as_of_date.to_string(),
            },
            outcome_column: source.column.clone(),
            won: source.rule.won_values(),
            open: source.counts.open,
            absent_as_lost: source.counts.absent_as_lost,
            rows_read: rows.read,
            rejected: rows.rejects.len() as u64,
            rejects_file: rejects_file.map(|p| p.display().to_string()),
            first_rejects: rows
                .rejects
                .iter()
                .take(5)
                .map(|r| RejectNote {
                    line: r.line,
                    column: r.column.clone(),
                    value: r.value.clone(),
                    reason: r.reason.clone(),
                })
                .collect(),
            join: source.join.as_ref().map(|j| {
                let unmatched = j.unmatched();
                JoinInfo {
                    outcomes_file: j.path.clone(),
                    on: j.on.clone(),
                    outcome_rows: j.rows,
                    matched: j.ids() - unmatched.len() as u64,
                    unmatched: unmatched.len() as u64,
                    unmatched_ids: unmatched.iter().take(5).map(|s| s.to_string()).collect(),
                    inquiries_without_outcome: source.counts.without_outcome,
                }
            }),
        },
        backtest,
        time_to_conversion,
        suggestion,
    };
    super::common::emit(&render(&report, args.format.into()));
    if let Some(path) = &args.html {
        if let Err(message) = write_html(path, &render_html(&report)) {
            return super::common::usage_error(&message);
        }
    }
    if let (true, Some(_), true) = (args.write, &report.suggestion, rows.stopped_early) {
        eprintln!(
            "error: the proposal was not written into `{}`: `--max-rejects` stopped the run, \
             so it was learnt from part of the input",
            args.definition
        );
        return EXIT_REJECTS;
    }
    if let (true, Some(s)) = (args.write, &report.suggestion) {
        if args.definition == "-" {
            return super::common::usage_error("`--write` needs a definition file, not stdin");
        }
        if !s.broken_examples.is_empty() && !args.force {
            // Checked in memory first: a written proposal must pass `check`.
            eprintln!(
                "error: the proposal was not written into `{}`: checked, it fails",
                args.definition
            );
            for e in &s.broken_examples {
                eprintln!("  - {e}");
            }
            eprintln!(
                "  help: update those examples to the proposed points and write it yourself, or pass `--force` to write it as it is"
            );
            return EXIT_FAILED;
        }
        if let Err(e) = std::fs::write(&args.definition, &s.proposed_text) {
            return super::common::usage_error(&format!(
                "cannot write `{}`: {}",
                args.definition,
                crate::input::io_reason(&e)
            ));
        }
        eprintln!("wrote the proposal into `{}`", args.definition);
    }
    if rows.rejects.is_empty() && events_rejected == 0 {
        EXIT_OK
    } else {
        EXIT_REJECTS
    }
}

/// `--held-out-after DATE --by FIELD`: FIELD must be a date field.
fn time_split(
    args: &BacktestArgs,
    model: &crate::model::Model,
) -> Result<Option<TimeSplit>, String> {
    let (Some(date), Some(by)) = (args.held_out_after, &args.by) else {
        return Ok(None);
    };
    Ok(Some(TimeSplit {
        field: date_field(model, "--by", by)?,
        after: crate::model::days_from_date(date),
        label: date.to_string(),
    }))
}

/// The index of date field `name` of `model`, named by `option`, or why not.
fn date_field(model: &crate::model::Model, option: &str, name: &str) -> Result<usize, String> {
    let Some(field) = model.fields.iter().position(|f| f.name == *name) else {
        let mut message = format!("`{option} {name}`: the definition has no field `{name}`");
        let dates = model.fields.iter().filter(|f| f.ty == Type::Date);
        if let Some(c) = crate::diagnostic::closest(name, dates.map(|f| f.name.as_str())) {
            message.push_str(&format!("; did you mean `{c}`?"));
        }
        return Err(message);
    };
    if model.fields[field].ty != Type::Date {
        return Err(format!(
            "`{option} {name}`: `{name}` is {}, not a date; count from a date field",
            model.fields[field].ty.article()
        ));
    }
    Ok(field)
}

/// Refuse an output that is a file read (the definition, its examples file,
/// the inquiries, the outcomes) or another output (stdout with the report,
/// `--html`, `--rejects`); and a `--write` into a definition that is also
/// the inquiries or outcomes file.
fn check_paths(args: &BacktestArgs) -> Result<(), String> {
    let rows_from = |files: &mut Files| {
        if let Some(outcomes) = &args.outcomes.outcomes {
            files.read("the outcomes file", outcomes);
        }
        files.read("the input file", &args.input);
        if let Some(events) = &args.events {
            files.read("the events file", events);
        }
    };
    if args.write && args.definition != "-" {
        // Rewritten in place, as asked; but never over the rows it learns from.
        let mut files = Files::new();
        rows_from(&mut files);
        files.written(
            "the definition",
            std::path::Path::new(&args.definition),
            "`--write` would replace it; leave `--write` out",
        );
        files.check()?;
    }
    let mut files = Files::new();
    files.read("the definition", &args.definition);
    if let Some(examples) = crate::suite::companion_path(&args.definition) {
        files.read_if_present("the definition's examples file", &examples);
    }
    rows_from(&mut files);
    files.written_to_stdout("the report", "redirect it elsewhere");
    if let Some(html) = &args.html {
        files.written("the HTML page", html, "give `--html` another path");
    }
    if let Some(rejects) = &args.rejects {
        files.written("the rejects file", rejects, "give `--rejects` another path");
    }
    files.check()
}

/// Write the HTML page whole or not at all (a temporary file renamed).
fn write_html(path: &std::path::Path, html: &str) -> Result<(), String> {
    use std::io::Write;
    let mut file = AtomicFile::create(Some(path))?;
    // Write errors name the path already.
    file.write_all(html.as_bytes()).map_err(|e| e.to_string())?;
    file.commit().map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn band_edges_are_finite_numbers() {
        assert_eq!(parse_edge(" 25 "), Ok(25.0));
        assert_eq!(parse_edge("-2.5"), Ok(-2.5));
        for bad in ["NaN", "nan", "inf", "-inf", "1e400", "", "ten"] {
            assert!(parse_edge(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn won_values_cannot_be_empty() {
        use crate::cli::args::parse_won;
        assert_eq!(parse_won("Closed Won"), Ok("Closed Won".into()));
        assert!(parse_won("").is_err());
        assert!(parse_won("  ").is_err());
    }

    /// `--help` names every outcome word the reader knows, both ways, as the
    /// README does.
    #[test]
    fn won_help_lists_every_built_in_outcome_word() {
        use crate::backtest::input::{LOST_WORDS, WON_WORDS};
        use clap::CommandFactory;
        #[derive(clap::Parser)]
        struct Cli {
            #[command(flatten)]
            backtest: BacktestArgs,
        }
        let command = Cli::command();
        let won = command
            .get_arguments()
            .find(|a| a.get_id() == "won")
            .expect("a --won option");
        let help = won
            .get_long_help()
            .or(won.get_help())
            .map(|h| h.to_string())
            .unwrap_or_default();
        let defaults = help.split_once("(default:").expect("the defaults").1;
        let (converted, not) = defaults.split_once(';').expect("two lists");
        let listed = |list: &str, w: &str| {
            list.contains(&format!(" {w},")) || list.contains(&format!(" {w} "))
        };
        for w in WON_WORDS {
            assert!(listed(converted, w), "{w} in {help}");
        }
        for w in LOST_WORDS {
            assert!(listed(not, w), "{w} in {help}");
        }
    }

    #[test]
    fn targets_read_as_shares_percentages_or_per_stage() {
        assert_eq!(parse_target("0.8").map(|t| t.precision), Ok(0.8));
        assert_eq!(parse_target("75%").map(|t| t.precision), Ok(0.75));
        let t = parse_target("sales ready = 0.9").expect("valid");
        assert_eq!(
            (t.stage.as_deref(), t.precision),
            (Some("sales ready"), 0.9)
        );
        assert!(parse_target("1.5").is_err());
        assert!(parse_target("high").is_err());
    }
}
