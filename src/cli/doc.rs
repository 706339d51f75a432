//! `qualify doc DEFINITION [--html PAGE | --markdown]`: the definition as a
//! plain-language page for sales and marketing, built from the checked model
//! so the published page says what scores.

use super::args::InputArgs;
use super::common::load_suite;
use super::load::model_or_report;
use super::EXIT_OK;
use crate::output::file::AtomicFile;
use crate::output::same_file::Files;
use crate::plural::count;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct DocArgs {
    /// The definition file (its `NAME.examples.lead` adds example stories).
    pub definition: String,
    /// Write a self-contained HTML page to this path (never a file read).
    #[arg(long, value_name = "PAGE", conflicts_with = "markdown")]
    pub html: Option<PathBuf>,
    /// Print Markdown to stdout (the default).
    #[arg(long)]
    pub markdown: bool,
    /// Add "What changed since REV": the semantic diff against the
    /// definition as it was at git revision REV (`HEAD~1`, `main`, a tag).
    #[arg(long, value_name = "REV")]
    pub since: Option<String>,
    /// Add "How it lands": the stage counts and mix on this inquiry file
    /// (CSV or JSONL), scored at `--as-of`.
    #[arg(long, value_name = "FILE")]
    pub against: Option<String>,
    /// With `--against`: the activity export (CSV or JSONL, one row per
    /// event) a definition with an `events` block reads.
    #[arg(long, value_name = "EVENTS", requires = "against")]
    pub events: Option<String>,
    #[command(flatten)]
    pub input_options: InputArgs,
}

pub fn run(args: &DocArgs) -> i32 {
    if let Some(html) = &args.html {
        let mut files = Files::new();
        files.read("the definition", &args.definition);
        if let Some(examples) = crate::suite::companion_path(&args.definition) {
            files.read_if_present("the definition's examples file", &examples);
        }
        if let Some(input) = &args.against {
            files.read("the input file", input);
        }
        if let Some(events) = &args.events {
            files.read("the events file", events);
        }
        files.written("the HTML page", html, "give `--html` another path");
        if let Err(message) = files.check() {
            return super::common::usage_error(&message);
        }
    }
    let suite = match load_suite(&args.definition) {
        Ok(s) => s,
        Err(message) => return super::common::usage_error(&message),
    };
    let loaded = &suite.definition;
    let model = match model_or_report(loaded, || {
        format!(
            "`{}` has {}; no page was written",
            loaded.source.name,
            count(loaded.error_count(), "error", "errors")
        )
    }) {
        Ok(model) => model,
        Err(status) => return status,
    };
    let examples: Vec<_> = suite.examples().into_iter().map(|(e, _)| e).collect();
    let mut page = crate::doc::page(model, &examples);
    if let Some(rev) = &args.since {
        match since(rev, &args.definition, loaded, model) {
            Ok(changes) => page.changes = Some((rev.clone(), changes)),
            Err(status) => return status,
        }
    }
    let mut status = EXIT_OK;
    if let Some(input) = &args.against {
        if let Err(message) = super::events::check_given(model, args.events.as_deref()) {
            return super::common::usage_error(&message);
        }
        if args.events.as_deref() == Some("-") && input == "-" {
            return super::common::usage_error(
                "the input and --events cannot both read stdin: give one of them as a file",
            );
        }
        match landing(args, input, loaded, model) {
            Ok((l, events_rejected)) => {
                if l.rejected > 0 || events_rejected > 0 {
                    status = super::EXIT_REJECTS;
                }
                page.landing = Some(l);
            }
            Err(code) => return code,
        }
    }
    match &args.html {
        Some(path) => {
            if let Err(message) = write_page(path, &crate::doc::html::render(&page)) {
                return super::common::usage_error(&message);
            }
        }
        None => super::common::emit(&crate::doc::markdown::render(&page)),
    }
    status
}

/// The stage counts of `input`, read and scored through the one file driver
/// (by `diff --against`'s measurement of the definition against itself, so
/// rows are read and rejected as every command reads them); with the event
/// rows rejected (`--events`).
fn landing(
    args: &DocArgs,
    input: &str,
    loaded: &crate::load::Loaded,
    model: &crate::model::Model,
) -> Result<(crate::doc::Landing, u64), i32> {
    use crate::diff::impact::{measure, Revisions};
    let opts = args.input_options.options();
    let reader = crate::input::InquiryReader::open(input, &opts, model, &[])
        .map_err(|e| super::common::usage_error(&e.to_string()))?;
    let decoder = reader.decoder().clone();
    let (as_of_date, as_of) = opts.as_of();
    let events = super::events::read_for(model, args.events.as_deref(), &opts, as_of)
        .map_err(|m| super::common::usage_error(&m))?;
    let Some(ast) = &loaded.ast else {
        return Err(super::EXIT_FAILED);
    };
    let no_change = crate::diff::diff(ast, ast, input, input);
    let revisions = Revisions {
        old: model,
        new: model,
        diff: &no_change,
        as_of,
        as_of_label: as_of_date.to_string(),
        show: 0,
        max_rejects: None,
        old_events: events.as_ref().map(|e| &e.table),
        new_events: events.as_ref().map(|e| &e.table),
    };
    let mut shown = 0;
    let mut on_reject = |reject: &crate::input::Reject| {
        if shown < 3 {
            eprintln!("rejected: line {}: {}", reject.line, reject.reason);
            shown += 1;
        }
        Ok(())
    };
    let impact =
        measure(reader, &decoder, input, &revisions, None, &mut on_reject).map_err(|e| {
            eprintln!("error: {e}");
            super::EXIT_USAGE
        })?;
    let events_rejected = match (args.events.as_deref(), &events) {
        (Some(path), Some(read)) => super::events::report(path, read),
        _ => 0,
    };
    // Old and new are the same model: each row is on the diagonal.
    let stages = impact
        .new_stages
        .iter()
        .enumerate()
        .map(|(j, name)| (name.clone(), impact.matrix.iter().map(|row| row[j]).sum()))
        .collect();
    Ok((
        crate::doc::Landing {
            input: input.to_string(),
            as_of: as_of_date.to_string(),
            scored: impact.rows.compared,
            rejected: impact.rows.rejected,
            stages,
        },
        events_rejected,
    ))
}

/// What changed between the definition at git revision `rev` and now, read
/// as `diff REV:path` reads it.
fn since(
    rev: &str,
    path: &str,
    loaded: &crate::load::Loaded,
    model: &crate::model::Model,
) -> Result<Vec<String>, i32> {
    if rev.is_empty() || rev.starts_with('-') || path == "-" {
        return Err(super::common::usage_error(&format!(
            "`--since {rev}` needs a git revision (such as `HEAD~1` or `main`) and a definition read from a file"
        )));
    }
    let arg = format!("{rev}:{path}");
    let bytes = super::revision::read_revision(&arg)
        .map_err(|message| super::common::usage_error(&message))?;
    let old = crate::load::load(&arg, bytes);
    let (Some(old_ast), Some(old_model), Some(new_ast)) = (&old.ast, &old.model, &loaded.ast)
    else {
        eprintln!("error: `{arg}` has errors; check it with `qualify check`");
        return Err(super::EXIT_FAILED);
    };
    let d = crate::diff::diff(old_ast, new_ast, &arg, path);
    Ok(crate::doc::changes::sentences(&d, old_model, model))
}

/// Write the page whole or not at all (a temporary file renamed).
fn write_page(path: &std::path::Path, html: &str) -> Result<(), String> {
    use std::io::Write;
    let mut file = AtomicFile::create(Some(path))?;
    file.write_all(html.as_bytes()).map_err(|e| e.to_string())?;
    file.commit().map(|_| ())
}
