//! The command-line face of library options: clap's derives live here, and
//! only here, so the library's types stay free of the argument parser. Each
//! type converts to the library's own with `From`.
//!
//! In: arguments as clap parses them. Out: [`InputOptions`], [`InputFormat`],
//! [`OutputFormat`], [`ReportFormat`] and [`DiagnosticFormat`].

use crate::input::{parse_date_arg, parse_delimiter, InputFormat, InputOptions};
use crate::output::results::OutputFormat;
use crate::report::backtest::ReportFormat;
use crate::report::diagnostics::DiagnosticFormat;
use chrono::NaiveDate;

/// How inquiry files are read: format, delimiter, as-of date. (Where rejected
/// rows go is each command's own option: what it means differs.)
///
/// Flattened into every command that reads an inquiry list.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct InputArgs {
    /// Input format (default: by extension; `.jsonl`/`.ndjson` are JSONL, the rest CSV).
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub input_format: Option<InputFormatArg>,
    /// Cell delimiter of CSV input, one character (default `,`; tab for `.tsv`).
    #[arg(long, value_parser = parse_delimiter, value_name = "CHAR")]
    pub delimiter: Option<u8>,
    /// Date `days since` counts from, YYYY-MM-DD (default today; always reported).
    #[arg(long, value_parser = parse_date_arg, value_name = "DATE")]
    pub as_of: Option<NaiveDate>,
}

/// What a command that runs a definition over inquiries does when the
/// definition's examples fail: by default it warns on stderr and goes on;
/// `--deny failing-examples` makes it an error, as `check` treats them.
///
/// Flattened into `score`, `backtest` and `diff`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct ExamplesArgs {
    /// `--deny failing-examples`: stop with exit 1 when the definition's
    /// examples (its own and its `.examples.lead` file's) fail, instead of warning.
    #[arg(long, value_name = "WHAT", value_parser = ["failing-examples"])]
    pub deny: Option<String>,
}

impl ExamplesArgs {
    /// Whether failing examples stop the command.
    pub fn deny_failing(&self) -> bool {
        self.deny.is_some()
    }
}

impl From<&InputArgs> for InputOptions {
    fn from(a: &InputArgs) -> Self {
        InputOptions {
            input_format: a.input_format.map(InputFormat::from),
            delimiter: a.delimiter,
            as_of: a.as_of,
        }
    }
}

impl InputArgs {
    /// The library's options.
    pub fn options(&self) -> InputOptions {
        self.into()
    }
}

/// The format of an inquiry file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum InputFormatArg {
    /// Comma-separated (or `--delimiter`) values with a header row.
    Csv,
    /// One JSON object per line; keys are column names.
    Jsonl,
}

impl From<InputFormatArg> for InputFormat {
    fn from(f: InputFormatArg) -> Self {
        match f {
            InputFormatArg::Csv => InputFormat::Csv,
            InputFormatArg::Jsonl => InputFormat::Jsonl,
        }
    }
}

/// Output format of scored rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormatArg {
    Csv,
    Jsonl,
}

impl From<OutputFormatArg> for OutputFormat {
    fn from(f: OutputFormatArg) -> Self {
        match f {
            OutputFormatArg::Csv => OutputFormat::Csv,
            OutputFormatArg::Jsonl => OutputFormat::Jsonl,
        }
    }
}

/// How a backtest report is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormatArg {
    Text,
    Markdown,
    Json,
}

impl From<ReportFormatArg> for ReportFormat {
    fn from(f: ReportFormatArg) -> Self {
        match f {
            ReportFormatArg::Text => ReportFormat::Text,
            ReportFormatArg::Markdown => ReportFormat::Markdown,
            ReportFormatArg::Json => ReportFormat::Json,
        }
    }
}

/// How diagnostics are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DiagnosticFormatArg {
    Human,
    Json,
    Github,
}

impl From<DiagnosticFormatArg> for DiagnosticFormat {
    fn from(f: DiagnosticFormatArg) -> Self {
        match f {
            DiagnosticFormatArg::Human => DiagnosticFormat::Human,
            DiagnosticFormatArg::Json => DiagnosticFormat::Json,
            DiagnosticFormatArg::Github => DiagnosticFormat::Github,
        }
    }
}
