//! `qualify fmt FILE...`: rewrite definitions in the canonical layout.
//! `--check` writes nothing and prints a unified diff per file that is not
//! formatted (exit 1); `-` formats stdin to stdout.

use super::load::{print_diagnostics, read_definition};
use super::{EXIT_FAILED, EXIT_OK, EXIT_USAGE};
use crate::diagnostic::Located;
use crate::fmt::{format_text, FmtError};
use crate::input::io_reason;
use crate::source::SourceFile;
use std::io::Write;
use std::sync::Arc;

#[derive(Debug, clap::Args)]
pub struct FmtArgs {
    /// Definition files to rewrite in place (`-` formats stdin to stdout).
    #[arg(required = true)]
    pub files: Vec<String>,
    /// Change nothing; print a diff and fail (exit 1) when a file is not formatted.
    #[arg(long)]
    pub check: bool,
}

/// What happened to one file.
enum Outcome {
    Unchanged,
    Changed,
    /// A syntax error or an internal refusal: reported, file left alone.
    Failed,
    /// Could not be read or written.
    Io,
}

pub fn run(args: &FmtArgs) -> i32 {
    let mut worst = EXIT_OK;
    let mut not_formatted = 0;
    for path in &args.files {
        match one(path, args.check) {
            Outcome::Unchanged => {}
            Outcome::Changed if args.check => {
                not_formatted += 1;
                worst = worst.max(EXIT_FAILED);
            }
            Outcome::Changed => {}
            Outcome::Failed => worst = worst.max(EXIT_FAILED),
            Outcome::Io => worst = EXIT_USAGE,
        }
    }
    if args.check && not_formatted > 0 {
        eprintln!(
            "{} {} not formatted; run `qualify fmt` on {}",
            crate::plural::count(not_formatted, "file", "files"),
            crate::plural::pick(not_formatted, "is", "are"),
            crate::plural::pick(not_formatted, "it", "them")
        );
    }
    worst
}

fn one(path: &str, check: bool) -> Outcome {
    let (name, bytes) = match read_definition(path) {
        Ok(b) => b,
        Err(message) => {
            eprintln!("error: {message}");
            return Outcome::Io;
        }
    };
    // Kept to see whether fmt changes the file: the source's text has its
    // lone CRs made LFs already, and fmt writes LF line ends.
    let written = bytes.clone();
    let (source, utf8_error) = SourceFile::from_bytes(name.clone(), bytes);
    if let Some(diag) = utf8_error {
        report(&source, vec![diag]);
        return Outcome::Failed;
    }
    let formatted = match format_text(&name, &source.text) {
        Ok(text) => text,
        Err(FmtError::Syntax(diags)) => {
            report(&source, diags);
            return Outcome::Failed;
        }
        Err(FmtError::Internal(why)) => {
            eprintln!(
                "error: internal error formatting `{name}`: {why}; the file was left as it is\n\
                 help: this is a bug in qualify fmt; please report it with the file"
            );
            return Outcome::Failed;
        }
    };
    let changed = formatted.as_bytes() != written.as_slice();
    if path == "-" && !check {
        let mut out = std::io::stdout().lock();
        if out.write_all(formatted.as_bytes()).is_err() {
            return Outcome::Io;
        }
        return if changed {
            Outcome::Changed
        } else {
            Outcome::Unchanged
        };
    }
    if !changed {
        return Outcome::Unchanged;
    }
    if check {
        if formatted == source.text {
            // Only the lone CRs differ, which a line-by-line diff cannot show.
            super::common::emit(&format!(
                "{name}: its lines end in CR alone; formatted, they end in LF\n"
            ));
        } else {
            super::common::emit(&unified_diff(&name, &source.text, &formatted));
        }
        return Outcome::Changed;
    }
    match std::fs::write(path, formatted) {
        Ok(()) => Outcome::Changed,
        Err(e) => {
            eprintln!("error: cannot write `{path}`: {}", io_reason(&e));
            Outcome::Io
        }
    }
}

fn report(source: &SourceFile, diags: Vec<crate::diagnostic::Diagnostic>) {
    let source = Arc::new(source.clone());
    let located: Vec<Located> = diags.into_iter().map(|d| d.with_source(&source)).collect();
    print_diagnostics(&located);
}

/// `--- a/FILE` / `+++ b/FILE` unified diff with three lines of context.
pub fn unified_diff(name: &str, old: &str, new: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(name, &format!("{name} (formatted)"))
        .to_string()
}
