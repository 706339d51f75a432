//! `qualify test` results in, text out: `human` (a line per example, then each
//! failure with its example, the failed expectations and the explanation),
//! `json`, and `github` workflow annotations.

use super::github::{escape_data, escape_property};
use crate::eval::examples::Failure;
use crate::explain::{explain, json, text};
use crate::model::{date_from_days, Model};
use crate::source::SourceFile;
use crate::testing::coverage::Coverage;
use crate::testing::{ExampleResult, SuiteRun};
use serde_json::{json, Value as Json};
use std::fmt::Write;

/// `rules/x.examples.lead:12`
fn place(r: &ExampleResult) -> String {
    let (line, _) = r.file.line_col(r.span.start);
    format!("{}:{line}", r.file.name)
}

/// One line per example.
pub fn summary(run: &SuiteRun) -> String {
    let mut out = String::new();
    for r in &run.results {
        let mark = if r.passed() { "ok  " } else { "FAIL" };
        let _ = writeln!(out, "  {mark}  {}   ({})", r.name, place(r));
    }
    out
}

/// The example's text with line numbers, each failed expectation underlined
/// and followed by what was expected and what happened.
pub fn listing(file: &SourceFile, span: crate::ast::Span, failures: &[Failure]) -> String {
    let (first, _) = file.line_col(span.start);
    let (last, _) = file.line_col(span.end.saturating_sub(1).max(span.start));
    let width = last.to_string().len();
    let lines: Vec<&str> = file.text.lines().collect();
    let mut out = String::new();
    for n in first..=last {
        let line = lines.get(n - 1).copied().unwrap_or("");
        let _ = writeln!(out, "  {n:>width$} | {line}");
        for f in failures
            .iter()
            .filter(|f| file.line_col(f.span.start).0 == n)
        {
            let (_, col) = file.line_col(f.span.start);
            let (end_line, end_col) = file.line_col(f.span.end);
            let len = if end_line == n {
                end_col.saturating_sub(col).max(1)
            } else {
                line.chars().count().saturating_sub(col - 1).max(1)
            };
            let _ = writeln!(
                out,
                "  {:width$} | {}{} expected {}, got {}",
                "",
                " ".repeat(col - 1),
                "^".repeat(len),
                f.expected,
                f.actual
            );
        }
    }
    out
}

fn indent(text: &str, by: &str) -> String {
    text.lines()
        .map(|l| {
            if l.is_empty() {
                String::new()
            } else {
                format!("{by}{l}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

/// Every failure in full: where, the example, and the explanation.
pub fn failures(model: &Model, source: &str, run: &SuiteRun) -> String {
    let mut out = String::new();
    for r in run.results.iter().filter(|r| !r.passed()) {
        let _ = writeln!(
            out,
            "\nexample \"{}\" failed ({}, as of {})",
            r.name,
            place(r),
            date_from_days(r.as_of)
        );
        out.push_str(&listing(&r.file, r.span, &r.failures));
        out.push_str("\n  why:\n");
        let e = explain(model, source, &r.values, r.as_of);
        out.push_str(&indent(&text::render(&e), "    "));
    }
    out
}

/// `rules/x.lead: 11 passed, 1 failed`
pub fn totals(name: &str, run: &SuiteRun) -> String {
    if run.results.is_empty() {
        return format!(
            "{name}: no examples (write `example` blocks in it or in its .examples.lead file)"
        );
    }
    format!("{name}: {} passed, {} failed", run.passed(), run.failed())
}

fn names(run: &SuiteRun, indices: &[usize]) -> Vec<String> {
    indices
        .iter()
        .map(|&i| run.results[i].name.clone())
        .collect()
}

/// Every rule and the examples on each side; the untested ones named at the end.
pub fn coverage_text(name: &str, cov: &Coverage) -> String {
    let (seen, needed) = cov.counts();
    let mut out = format!(
        "coverage of {name}: {}% ({seen} of {} seen)\n",
        crate::number::format_number((cov.percent() * 10.0).floor() / 10.0),
        crate::plural::count(needed, "outcome", "outcomes")
    );
    let width = cov
        .items
        .iter()
        .map(|i| i.name.chars().count() + 2)
        .max()
        .unwrap_or(0);
    let count = |v: &[usize]| match v.len() {
        0 => "never".to_string(),
        n => crate::plural::count(n, "example", "examples"),
    };
    for item in &cov.items {
        let quoted = format!("\"{}\"", item.name);
        let falses = match &item.made_false {
            Some(f) => format!("false: {}", count(f)),
            None => "(otherwise)".to_string(),
        };
        let _ = writeln!(
            out,
            "  {:12} {quoted:width$}  true: {:12}  {falses}",
            item.kind.word(),
            count(&item.made_true),
        );
    }
    let gaps: Vec<String> = gaps(cov);
    if !gaps.is_empty() {
        let _ = writeln!(out, "not covered:");
        for g in gaps {
            let _ = writeln!(out, "  {g}");
        }
    }
    out
}

/// `criterion "right size" is never made false by an example`, one per gap.
pub fn gaps(cov: &Coverage) -> Vec<String> {
    let mut out = Vec::new();
    for item in &cov.items {
        let what = format!("{} \"{}\"", item.kind.word(), item.name);
        if item.made_true.is_empty() {
            out.push(format!("{what} is never made true by an example"));
        }
        if item.made_false.as_ref().is_some_and(|f| f.is_empty()) {
            out.push(format!("{what} is never made false by an example"));
        }
    }
    out
}

fn failure_json(r: &ExampleResult, f: &Failure) -> Json {
    let (line, column) = r.file.line_col(f.span.start);
    json!({
        "file": r.file.name,
        "line": line,
        "column": column,
        "expected": f.expected,
        "actual": f.actual,
    })
}

/// One definition's run (and coverage, when asked) as JSON.
pub fn to_json(model: &Model, source: &SourceFile, run: &SuiteRun, cov: Option<&Coverage>) -> Json {
    let examples: Vec<Json> = run
        .results
        .iter()
        .map(|r| {
            let (line, _) = r.file.line_col(r.span.start);
            let mut j = json!({
                "name": r.name,
                "file": r.file.name,
                "line": line,
                "as_of": date_from_days(r.as_of).to_string(),
                "passed": r.passed(),
                "failures": r.failures.iter().map(|f| failure_json(r, f)).collect::<Vec<_>>(),
            });
            if !r.passed() {
                j["explanation"] = json::to_json(&explain(model, &source.text, &r.values, r.as_of));
            }
            j
        })
        .collect();
    let mut j = json!({
        "definition": source.name,
        "passed": run.passed(),
        "failed": run.failed(),
        "examples": examples,
    });
    if let Some(cov) = cov {
        let (seen, needed) = cov.counts();
        j["coverage"] = json!({
            "percent": cov.percent(),
            "seen": seen,
            "needed": needed,
            "items": cov.items.iter().map(|i| json!({
                "kind": i.kind.word(),
                "name": i.name,
                "line": source.line_col(i.span.start).0,
                "made_true_by": names(run, &i.made_true),
                "made_false_by": i.made_false.as_ref().map(|f| names(run, f)),
                "covered": i.covered(),
            })).collect::<Vec<_>>(),
        });
    }
    j
}

/// One `::error` per failed expectation; with coverage, one `::warning` per gap.
pub fn github(source: &SourceFile, run: &SuiteRun, cov: Option<&Coverage>) -> String {
    let mut out = String::new();
    for r in &run.results {
        for f in &r.failures {
            let (line, col) = r.file.line_col(f.span.start);
            let _ = writeln!(
                out,
                "::error file={},line={line},col={col},title=example failed::{}",
                escape_property(&r.file.name),
                escape_data(&format!(
                    "example \"{}\": expected {}, got {}",
                    r.name, f.expected, f.actual
                ))
            );
        }
    }
    if let Some(cov) = cov {
        for item in &cov.items {
            for gap in gaps(&Coverage {
                items: vec![item.clone()],
            }) {
                let (line, col) = source.line_col(item.span.start);
                let _ = writeln!(
                    out,
                    "::warning file={},line={line},col={col},title=not covered::{}",
                    escape_property(&source.name),
                    escape_data(&gap)
                );
            }
        }
    }
    out
}
