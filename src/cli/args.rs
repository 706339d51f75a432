//! The command-line face of library options: clap's derives live here, and
//! only here, so the library's types stay free of the argument parser. Each
//! type converts to the library's own with `From`.
//!
//! In: arguments as clap parses them. Out: [`InputOptions`], [`InputFormat`],
//! [`OutputFormat`], [`ReportFormat`] and [`DiagnosticFormat`].

use crate::backtest::outcomes::{OutcomeFile, OutcomeRule, OutcomeSource};
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

/// How each inquiry's outcome is read: one set of options for `backtest` and
/// `diff --against`, read by [`crate::backtest::outcomes::OutcomeSource`].
#[derive(Debug, Clone, Default, clap::Args)]
pub struct OutcomeArgs {
    /// The column holding each inquiry's outcome (in INPUT, or in `--outcomes`).
    #[arg(long, value_name = "COLUMN")]
    pub outcome: Option<String>,
    /// Outcome values that count as converted, comma-separated; every other
    /// value then counts as not converted (default: yes, true, y, 1, won,
    /// converted count as converted; no, false, n, 0, lost, not converted do not).
    #[arg(long, value_name = "VALUE,...", value_delimiter = ',', value_parser = parse_won,
          requires = "outcome")]
    pub won: Vec<String>,
    /// Any non-empty outcome (a won date, a deal id) counts as converted, an
    /// empty one as not converted.
    #[arg(long, requires = "outcome", conflicts_with = "won")]
    pub won_if_present: bool,
    /// Outcome values of inquiries still open, comma-separated: those rows are
    /// counted and left out, neither rejected nor counted as lost.
    #[arg(long, value_name = "VALUE,...", value_delimiter = ',', value_parser = parse_won,
          requires = "outcome")]
    pub open: Vec<String>,
    /// Read outcomes from this file instead, joined to INPUT on `--on`.
    #[arg(long, value_name = "FILE", requires = "on")]
    pub outcomes: Option<String>,
    /// The id column present in both INPUT and the outcomes file.
    #[arg(long, value_name = "COLUMN", requires = "outcomes")]
    pub on: Option<String>,
    /// With `--outcomes`: what an inquiry with no row there is: `reject` it
    /// (the default), or count it as not converted (`lost`: a wins-only export).
    #[arg(
        long,
        value_enum,
        value_name = "WHAT",
        default_value = "reject",
        requires = "outcomes"
    )]
    pub absent: AbsentArg,
}

/// An inquiry with no row in the outcomes file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum AbsentArg {
    /// Rejected, with the reason.
    #[default]
    Reject,
    /// Not converted, and counted as such in the report.
    Lost,
}

impl OutcomeArgs {
    /// The outcome source these options describe (reading `--outcomes` with
    /// `delimiter`), or why not; `None` without `--outcome`.
    pub fn source(&self, delimiter: u8) -> Result<Option<OutcomeSource>, String> {
        let Some(column) = &self.outcome else {
            return Ok(None);
        };
        let join = match (&self.outcomes, &self.on) {
            (Some(path), Some(on)) => Some(OutcomeFile::read(path, on, column, delimiter)?),
            _ => None,
        };
        Ok(Some(OutcomeSource {
            column: column.clone(),
            rule: OutcomeRule::new(&self.won)
                .won_if_present(self.won_if_present)
                .open(&self.open),
            join,
            absent_lost: self.absent == AbsentArg::Lost,
            counts: Default::default(),
            last_cell: String::new(),
        }))
    }
}

/// One `--won` or `--open` value: an empty one would silently count nothing
/// (or, alone, bring back the defaults), so it is refused.
pub fn parse_won(s: &str) -> Result<String, String> {
    if s.trim().is_empty() {
        Err("an outcome value cannot be empty; list the values that count as converted, e.g. `--won \"Closed Won\"`".into())
    } else {
        Ok(s.to_string())
    }
}
