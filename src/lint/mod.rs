//! Lints: legal but suspicious things in a definition, as warnings.
//!
//! In: a checked [`Model`], its syntax tree and source text (only run when the
//! check found no error). Out: warnings, each with a code, a span, a label and
//! a help line, minus those silenced by an `# allow: <code>` comment.
//!
//! The analyses never guess: where they cannot decide, they say nothing.
//! One file per family: [`conditions`] (never/always holds, shadowed by a
//! disqualifier, same condition), [`stages`] (unreachable stages, thresholds
//! out of range, criteria without effect; [`totals`] for the last), [`routes`]
//! (unreachable routes, no `otherwise` route), [`unused`],
//! [`placeholders`] (a placeholder that is a listed value, or blank), [`by_value`]
//! (a points-by-value entry with the points of `otherwise`). The reasoning they
//! share: [`logic`] (conditions → alternatives of facts), [`situation`] (facts
//! folded; can they hold together?), [`conjunction`] (one condition against
//! everything before it, for long lists).

mod by_value;
mod conditions;
mod conjunction;
pub mod logic;
mod placeholders;
mod routes;
mod situation;
mod stages;
mod totals;
mod unused;

pub use conditions::same_meaning;

use crate::ast::{Definition, Span};
use crate::diagnostic::{Code, Diagnostic};
use crate::model::Model;
use crate::syntax::comments::Layout;
use std::collections::BTreeMap;

/// A warning and the item it is about (whose lines an `# allow:` may be on).
pub(crate) struct Finding {
    pub diagnostic: Diagnostic,
    pub owner: Span,
}

/// Every lint over a checked definition, sorted by position.
pub fn lint(model: &Model, ast: &Definition, source: &str) -> Vec<Diagnostic> {
    let layout = Layout::new(source);
    let tight = |s: Span| Span::new(s.start, layout.tight(s.end).max(s.start));
    let mut findings = Vec::new();
    conditions::run(model, &tight, &mut findings);
    stages::run(model, source, &tight, &mut findings);
    routes::run(model, &tight, &mut findings);
    unused::run(model, ast, &tight, &mut findings);
    placeholders::run(ast, &tight, &mut findings);
    by_value::run(ast, &tight, &mut findings);
    let by_line = comments_by_line(&layout);
    let mut out: Vec<Diagnostic> = findings
        .into_iter()
        .filter(|f| !allowed(&layout, &by_line, f))
        .map(|f| f.diagnostic)
        .collect();
    out.sort_by_key(|d| (d.span.start, d.span.end, d.code));
    out
}

/// Comments indexed by line, so each finding looks only at its own lines
/// (a definition with many comments and many findings stays linear).
fn comments_by_line(layout: &Layout<'_>) -> BTreeMap<usize, Vec<usize>> {
    let mut map: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (i, c) in layout.comments.iter().enumerate() {
        map.entry(layout.line_of(c.start)).or_default().push(i);
    }
    map
}

/// Whether an `# allow:` comment naming the finding's code is on one of the
/// lines of the item it is about, or on the line just above it.
fn allowed(layout: &Layout<'_>, by_line: &BTreeMap<usize, Vec<usize>>, f: &Finding) -> bool {
    let first = layout.line_of(f.owner.start);
    let last = layout.line_of(layout.tight(f.owner.end).max(f.owner.start));
    by_line
        .range(first.saturating_sub(1)..=last)
        .flat_map(|(_, ids)| ids.iter().map(|&i| &layout.comments[i]))
        .any(|c| {
            let line = layout.line_of(c.start);
            let above = c.own_line && line + 1 == first;
            (above || (first..=last).contains(&line)) && allows(&c.text, f.diagnostic.code)
        })
}

/// `# allow: unreachable-stage, no-effect -- why` allows both codes.
pub fn allows(comment: &str, code: Code) -> bool {
    let Some(at) = comment.find("allow:") else {
        return false;
    };
    comment[at + "allow:".len()..]
        .split(|c: char| c == ',' || c.is_whitespace())
        .map(|w| w.trim_start_matches("qualify::"))
        .any(|w| w == code.short())
}

/// `"name"` as a user wrote it, for messages.
pub(crate) fn quoted(name: &str) -> String {
    format!("\"{name}\"")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allow_comments_name_codes_with_or_without_prefix() {
        assert!(allows("# allow: unreachable-stage", Code::UnreachableStage));
        assert!(allows(
            "# allow: no-effect, qualify::unused -- kept for Q3",
            Code::Unused
        ));
        assert!(!allows("# allow: unused", Code::NoEffect));
        assert!(!allows("# unused", Code::Unused));
    }
}
