//! `qualify compile DEFINITION --listing`: check a definition, compile it and
//! show the program the scorer runs. `--to sql --dialect D`: the one SQL
//! query that scores a table (or, for DuckDB, a CSV file) as `score` does.

use super::load::{load_or_usage, model_or_report, print_diagnostics};
use super::{EXIT_FAILED, EXIT_OK};
use crate::compile::{compile_with, Passes};
use crate::output::file::AtomicFile;
use crate::output::same_file::Files;
use crate::plural::count;
use crate::sql::{Dialect, Source, SqlOptions};
use chrono::NaiveDate;

#[derive(Debug, clap::Args)]
pub struct CompileArgs {
    /// The definition file (`-` reads stdin).
    pub definition: String,
    /// Print the compiled program in readable form.
    #[arg(long)]
    pub listing: bool,
    /// Compile without optimisations (no folding, sharing or regex sets), to
    /// compare listings.
    #[arg(long)]
    pub no_optimize: bool,
    /// Compile to another target: `sql`, one query that gives `score`'s
    /// results (docs/sql.md).
    #[arg(long, value_enum, value_name = "TARGET")]
    pub to: Option<Target>,
    /// The SQL engine the query is for (with `--to sql`).
    #[arg(long, value_enum, value_name = "ENGINE", requires = "to")]
    pub dialect: Option<DialectArg>,
    /// The table or view the query scores (as SQL names it).
    #[arg(long, value_name = "NAME", conflicts_with = "csv", requires = "to")]
    pub table: Option<String>,
    /// A CSV file the query reads, every column as text (DuckDB).
    #[arg(long, value_name = "PATH", requires = "to")]
    pub csv: Option<String>,
    /// The table or view of events (`events` block) the query joins, as SQL
    /// names it.
    #[arg(
        long,
        value_name = "NAME",
        conflicts_with = "events_csv",
        requires = "to"
    )]
    pub events_table: Option<String>,
    /// A CSV file of events the query reads, every column as text (DuckDB).
    #[arg(long, value_name = "PATH", requires = "to")]
    pub events_csv: Option<String>,
    /// Wrap the query in `CREATE OR REPLACE VIEW NAME`.
    #[arg(long, value_name = "NAME", requires = "to")]
    pub view: Option<String>,
    /// The as-of date for `days since` (YYYY-MM-DD); else the engine's current date.
    #[arg(long, value_parser = crate::input::parse_date_arg, value_name = "DATE", requires = "to")]
    pub as_of: Option<NaiveDate>,
    /// One `points: NAME` column per criterion, as `score --points`.
    #[arg(long, requires = "to")]
    pub points: bool,
    /// How result numbers are returned: `double`, the exact float `score`
    /// computes, or `text`, the text `score` writes (`40.8`, `2.5e-7`),
    /// byte for byte (DuckDB and PostgreSQL).
    #[arg(
        long,
        value_enum,
        value_name = "FORM",
        default_value = "double",
        requires = "to"
    )]
    pub numbers: NumbersArg,
    /// Write the query to FILE (never one of the inputs) instead of stdout.
    #[arg(short = 'o', long = "output", value_name = "FILE", requires = "to")]
    pub output: Option<std::path::PathBuf>,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Target {
    Sql,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum NumbersArg {
    Double,
    Text,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum DialectArg {
    Duckdb,
    Postgres,
    Spark,
}

pub fn run(args: &CompileArgs) -> i32 {
    if args.to.is_some() {
        return run_sql(args);
    }
    let loaded = match load_or_usage(&args.definition) {
        Ok(l) => l,
        Err(status) => return status,
    };
    let model = match model_or_report(&loaded, || {
        format!(
            "`{}` has {}; nothing was compiled",
            loaded.source.name,
            count(loaded.error_count(), "error", "errors")
        )
    }) {
        Ok(model) => model,
        Err(status) => return status,
    };
    let passes = if args.no_optimize {
        Passes::NONE
    } else {
        Passes::ALL
    };
    let program = compile_with(model, passes);
    if args.listing {
        super::common::emit(&program.listing());
    } else {
        eprintln!(
            "compiled `{}`: {} for {}, {}, {}",
            loaded.source.name,
            count(program.nodes.len(), "node", "nodes"),
            count(program.criteria.len(), "criterion", "criteria"),
            count(program.disqualifiers.len(), "disqualifier", "disqualifiers"),
            count(program.stages.len(), "stage", "stages")
        );
    }
    EXIT_OK
}

fn run_sql(args: &CompileArgs) -> i32 {
    use super::common::usage_error;
    let dialect = match args.dialect {
        Some(DialectArg::Duckdb) => Dialect::DuckDb,
        Some(DialectArg::Postgres) => Dialect::Postgres,
        Some(DialectArg::Spark) => Dialect::Spark,
        None => return usage_error("--to sql needs --dialect duckdb, postgres or spark"),
    };
    let source = match (&args.table, &args.csv) {
        (Some(table), _) => Source::Table(table.clone()),
        (None, Some(csv)) => Source::Csv(csv.clone()),
        (None, None) => {
            return usage_error("--to sql needs --table NAME (or, for DuckDB, --csv PATH)")
        }
    };
    if let Some(path) = &args.output {
        let mut files = Files::new();
        files.read("the definition", &args.definition);
        if let Some(csv) = &args.csv {
            files.read("the CSV file", csv);
        }
        if let Some(csv) = &args.events_csv {
            files.read("the events CSV file", csv);
        }
        files.written("the SQL file", path, "give `-o` another path");
        if let Err(message) = files.check() {
            return usage_error(&message);
        }
    }
    let loaded = match load_or_usage(&args.definition) {
        Ok(l) => l,
        Err(status) => return status,
    };
    let model = match model_or_report(&loaded, || {
        format!(
            "`{}` has {}; no SQL was written",
            loaded.source.name,
            count(loaded.error_count(), "error", "errors")
        )
    }) {
        Ok(model) => model,
        Err(status) => return status,
    };
    let options = SqlOptions {
        dialect,
        source,
        view: args.view.clone(),
        as_of: args.as_of,
        points: args.points,
        text_numbers: matches!(args.numbers, NumbersArg::Text),
        events: match (&args.events_table, &args.events_csv) {
            (Some(table), _) => Some(Source::Table(table.clone())),
            (None, Some(csv)) => Some(Source::Csv(csv.clone())),
            (None, None) => None,
        },
    };
    let query = match crate::sql::to_sql(model, &options) {
        Ok(q) => q,
        Err(refusals) => {
            let located: Vec<_> = refusals
                .iter()
                .map(|r| r.diagnostic().with_source(&loaded.source))
                .collect();
            print_diagnostics(located.iter());
            eprintln!(
                "error: `{}` cannot be written exactly in {}'s SQL ({}); no SQL was written",
                loaded.source.name,
                dialect.name(),
                count(refusals.len(), "construct", "constructs")
            );
            return EXIT_FAILED;
        }
    };
    match &args.output {
        None => {
            super::common::emit(&query);
            EXIT_OK
        }
        Some(path) => {
            use std::io::Write;
            let written = AtomicFile::create(Some(path)).and_then(|mut file| {
                file.write_all(query.as_bytes())
                    .map_err(|e| e.to_string())?;
                file.commit().map(|_| ())
            });
            match written {
                Ok(()) => EXIT_OK,
                Err(message) => usage_error(&message),
            }
        }
    }
}
