//! `qualify doc DEFINITION [--html PAGE | --markdown]`: the definition as a
//! plain-language page for sales and marketing, built from the checked model
//! so the published page says what scores.

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
}

pub fn run(args: &DocArgs) -> i32 {
    if let Some(html) = &args.html {
        let mut files = Files::new();
        files.read("the definition", &args.definition);
        if let Some(examples) = crate::suite::companion_path(&args.definition) {
            files.read_if_present("the definition's examples file", &examples);
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
    match &args.html {
        Some(path) => {
            if let Err(message) = write_page(path, &crate::doc::html::render(&page)) {
                return super::common::usage_error(&message);
            }
        }
        None => super::common::emit(&crate::doc::markdown::render(&page)),
    }
    EXIT_OK
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
