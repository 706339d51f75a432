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
    let page = crate::doc::page(model, &examples);
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

/// Write the page whole or not at all (a temporary file renamed).
fn write_page(path: &std::path::Path, html: &str) -> Result<(), String> {
    use std::io::Write;
    let mut file = AtomicFile::create(Some(path))?;
    file.write_all(html.as_bytes()).map_err(|e| e.to_string())?;
    file.commit().map(|_| ())
}
