//! A command's definition loaded, or the reason printed: the one place that
//! says how a definition that cannot be read, or does not check, is reported.
//!
//! In: a path from the command line (`-` is stdin) or a loaded definition.
//! Out: the bytes, the suite or the checked model; or, with the problem
//! already on stderr (`error: …`, each error as people read it), `Err` with
//! what the caller does next (its exit status, or nothing when it moves on to
//! the next file).

use super::common::{load_suite, stderr_is_terminal, usage_error};
use super::EXIT_FAILED;
use crate::diagnostic::{Diagnostic, Located};
use crate::input::io_reason;
use crate::load::{example_failures, Loaded};
use crate::model::Model;
use crate::report::diagnostics::render_human;
use crate::source::SourceFile;
use crate::suite::{companion_path, load_examples, Suite};
use std::io::Read;

/// The name and bytes of the definition at `path`; `-` reads stdin, named
/// `<stdin>`. `Err` is an I/O problem, already phrased for the user.
pub fn read_definition(path: &str) -> Result<(String, Vec<u8>), String> {
    if path == "-" {
        let mut buf = Vec::new();
        std::io::stdin()
            .read_to_end(&mut buf)
            .map_err(|e| format!("cannot read the definition from stdin: {e}"))?;
        return Ok(("<stdin>".into(), buf));
    }
    let bytes =
        std::fs::read(path).map_err(|e| format!("cannot read `{path}`: {}", io_reason(&e)))?;
    Ok((path.to_string(), bytes))
}

/// The definition at `path`, read and checked; when it cannot be read, the
/// reason is printed and `Err` is the usage exit status.
pub fn load_or_usage(path: &str) -> Result<Loaded, i32> {
    super::common::load_path(path).map_err(|message| usage_error(&message))
}

/// The definition (and its examples file) at `path`; when either cannot be
/// read, `error: REASON` is printed and `Err` says to move on to the next file.
pub fn suite_or_report(path: &str) -> Result<Suite, ()> {
    load_suite(path).map_err(|message| eprintln!("error: {message}"))
}

/// Print diagnostics to stderr as people read them (colours on a terminal).
pub fn print_diagnostics<'a>(located: impl IntoIterator<Item = &'a Located>) {
    let color = stderr_is_terminal();
    for d in located {
        eprint!("{}", render_human(d, color, 100));
    }
}

/// `loaded`'s checked model; when it did not check, its errors and then
/// `error: ` + `then()` (what the command will not do) are printed to stderr
/// and `Err` is the failure exit status.
pub fn model_or_report(loaded: &Loaded, then: impl FnOnce() -> String) -> Result<&Model, i32> {
    if let Some(model) = &loaded.model {
        return Ok(model);
    }
    let located = loaded.located();
    print_diagnostics(located.iter().filter(|d| d.diagnostic.is_error()));
    eprintln!("error: {}", then());
    Err(EXIT_FAILED)
}

/// Run the examples of the definition `loaded` (its own, and those of its
/// `NAME.examples.lead` file when there is one) at `as_of` before a command
/// runs it over inquiries. Failing examples mean the file no longer says what
/// its authors agreed, so each one is named on stderr: as a warning, and the
/// command goes on; or, with `deny` (`--deny failing-examples`), as an error,
/// and `Err` is the failure exit status.
pub fn examples_or_report(
    loaded: &Loaded,
    model: &Model,
    as_of: i32,
    deny: bool,
) -> Result<(), i32> {
    let name = &loaded.source.name;
    let mut failures: Vec<String> = example_failures(model, &model.examples, as_of)
        .iter()
        .map(|d| failure_line(&loaded.source, d))
        .collect();
    let mut total = model.examples.len();
    // An examples file that does not check cannot be run; that is said too.
    let mut unreadable = None;
    if let Some(path) = companion_path(name).filter(|p| std::path::Path::new(p).exists()) {
        let companion = match std::fs::read(&path) {
            Ok(bytes) => load_examples(model, &path, bytes),
            Err(e) => {
                eprintln!(
                    "warning: cannot read `{path}`: {}; its examples were not run",
                    io_reason(&e)
                );
                return Ok(());
            }
        };
        if companion.error_count() > 0 {
            unreadable = Some(format!(
                "`{path}` has {}, so its examples were not run; `qualify check {name}` shows them",
                crate::plural::count(companion.error_count(), "error", "errors")
            ));
        }
        total += companion.examples.len();
        failures.extend(
            example_failures(model, &companion.examples, as_of)
                .iter()
                .map(|d| failure_line(&companion.source, d)),
        );
    }
    if failures.is_empty() && unreadable.is_none() {
        return Ok(());
    }
    let level = if deny { "error" } else { "warning" };
    for line in failures.iter().chain(&unreadable) {
        eprintln!("{level}: {line}");
    }
    let verb = if failures.len() == 1 { "fails" } else { "fail" };
    let failing = format!(
        "{} of {} {verb}",
        failures.len(),
        crate::plural::count(total, "example", "examples")
    );
    if deny {
        eprintln!(
            "error: the examples of `{name}` do not hold ({failing}); nothing was run \
             (`--deny failing-examples`)"
        );
        return Err(EXIT_FAILED);
    }
    eprintln!(
        "warning: the examples of `{name}` do not hold ({failing}); running it anyway \
         (`qualify check {name}` shows why; `--deny failing-examples` makes this an error)"
    );
    Ok(())
}

/// `FILE:LINE: example "…" does not hold: expected …, got …`.
fn failure_line(source: &SourceFile, d: &Diagnostic) -> String {
    let (line, _) = source.line_col(d.span.start);
    format!("{}:{line}: {}: {}", source.name, d.message, d.label)
}
