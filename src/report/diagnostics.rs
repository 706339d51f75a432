//! Diagnostics in, text out: `human` (miette's snippets), `json` (one list for
//! tools), `github` (workflow annotations for CI).

use super::github::{escape_data, escape_property};
use crate::diagnostic::{Located, Severity};
use crate::plural::count;
use serde::Serialize;

/// How diagnostics are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiagnosticFormat {
    Human,
    Json,
    Github,
}

/// One diagnostic as JSON: positions are 1-based, columns count characters.
#[derive(Debug, Serialize)]
pub struct JsonDiagnostic {
    pub code: &'static str,
    pub severity: &'static str,
    pub message: String,
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub help: Option<String>,
}

fn severity_word(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

pub fn to_json(d: &Located) -> JsonDiagnostic {
    let diag = &d.diagnostic;
    let (line, column) = d.source.line_col(diag.span.start);
    let (end_line, end_column) = d.source.line_col(diag.span.end);
    JsonDiagnostic {
        code: diag.code.as_str(),
        severity: severity_word(diag.severity),
        message: diag.message.clone(),
        file: d.source.name.clone(),
        line,
        column,
        end_line,
        end_column,
        help: diag.help.clone(),
    }
}

/// Render one diagnostic with its snippet. `color` for a terminal.
pub fn render_human(d: &Located, color: bool, width: usize) -> String {
    let theme = if color {
        miette::GraphicalTheme::unicode()
    } else {
        miette::GraphicalTheme::unicode_nocolor()
    };
    let handler = miette::GraphicalReportHandler::new_themed(theme)
        .with_width(width)
        .with_links(false);
    let mut out = String::new();
    if handler.render_report(&mut out, d).is_err() {
        out = format!("{}: {}\n", d.diagnostic.code, d.diagnostic.message);
    }
    out
}

pub fn render_github(d: &Located) -> String {
    let j = to_json(d);
    let mut message = format!("{} [{}]", j.message, j.code);
    if let Some(h) = &j.help {
        message.push_str(&format!("\nhelp: {h}"));
    }
    format!(
        "::{} file={},line={},col={},endLine={},endColumn={},title={}::{}\n",
        j.severity,
        escape_property(&j.file),
        j.line,
        j.column,
        j.end_line,
        j.end_column,
        escape_property(j.code),
        escape_data(&message)
    )
}

/// `rules/x.lead: 0 errors, 2 warnings`
pub fn summary_line(file: &str, errors: usize, warnings: usize) -> String {
    format!(
        "{file}: {}, {}",
        count(errors, "error", "errors"),
        count(warnings, "warning", "warnings")
    )
}
