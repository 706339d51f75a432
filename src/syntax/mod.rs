//! Source text → syntax tree.
//!
//! In: a [`SourceFile`]. Out: an [`ast::Definition`] with a span on every node,
//! or diagnostics in words (never grammar rule names).
//!
//! Parsing never panics and never overflows the stack: parenthesis depth is
//! bounded before pest runs ([`MAX_NESTING`]), and repetition (`not not`, `- -`,
//! long `+` chains) is bounded while lowering.

pub mod comments;
mod errors;
mod lower;
pub mod trivia;

pub(crate) use errors::is_keyword;

use crate::ast::{self, Span};
use crate::diagnostic::{Code, Diagnostic};
use crate::source::SourceFile;
use pest::Parser as _;

#[derive(pest_derive::Parser)]
#[grammar = "grammar/lead.pest"]
pub(crate) struct LeadParser;

/// Deepest nesting of parentheses accepted. A readable definition needs a handful.
pub const MAX_NESTING: usize = 64;

/// Parse a definition. Errors are returned all together; a syntax error stops
/// at the first one (pest cannot recover), lowering errors are all collected.
pub fn parse(source: &SourceFile) -> Result<ast::Definition, Vec<Diagnostic>> {
    let text = source.text.as_str();
    if is_blank(text) {
        return Err(vec![Diagnostic::error(
            Code::EmptyDefinition,
            Span::new(0, 0),
            "the definition is empty",
        )
        .label("nothing here")
        .help(
            "start with `definition \"Name\"` and a `fields { ... }` block; see docs/language.md",
        )]);
    }
    if let Some(diag) = check_nesting(text) {
        return Err(vec![diag]);
    }
    let pairs = match LeadParser::parse(Rule::file, text) {
        Ok(pairs) => pairs,
        Err(err) => return Err(vec![errors::syntax_error(text, err)]),
    };
    lower::lower_file(pairs)
}

/// Nothing but whitespace and comments.
pub fn is_blank(text: &str) -> bool {
    text.lines()
        .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
}

/// Reject parentheses nested deeper than [`MAX_NESTING`] before pest recurses
/// into them. Parentheses are counted only where the grammar sees them: not
/// inside a text, a `matches /.../` pattern or a comment ([`trivia::pieces`]).
///
/// An aggregate's `where` condition may hold another aggregate, so pest
/// recurses there too: the `where`s of one declaration are counted as if
/// each opened a parenthesis, until the next declaration's first word.
fn check_nesting(text: &str) -> Option<Diagnostic> {
    let mut depth = 0usize;
    let mut wheres = 0usize;
    for piece in trivia::pieces(text) {
        if piece.kind == trivia::Kind::Word {
            match &text[piece.start..piece.end] {
                "where" => {
                    wheres += 1;
                    if wheres > MAX_NESTING {
                        return Some(
                            Diagnostic::error(
                                Code::TooDeep,
                                Span::new(piece.start, piece.end),
                                format!(
                                    "more than {MAX_NESTING} `where` conditions in one declaration"
                                ),
                            )
                            .label("too many from here")
                            .help("split the condition into named parts with `let name = ...`"),
                        );
                    }
                }
                "criterion" | "stage" | "disqualify" | "let" | "route" | "handoff" | "example"
                | "group" | "events" => wheres = 0,
                _ => {}
            }
            continue;
        }
        if piece.kind != trivia::Kind::Symbol {
            continue;
        }
        match &text[piece.start..piece.end] {
            "(" => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Some(
                        Diagnostic::error(
                            Code::TooDeep,
                            Span::new(piece.start, piece.end),
                            format!("parentheses are nested more than {MAX_NESTING} deep"),
                        )
                        .label("too deep from here")
                        .help("split the condition into named parts with `let name = ...`"),
                    );
                }
            }
            ")" => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nested(prefix: &str, depth: usize) -> String {
        format!("{prefix}{}x{}", "(".repeat(depth), ")".repeat(depth))
    }

    #[test]
    fn parentheses_after_a_pattern_with_a_hash_are_counted() {
        let text = nested("e matches /#/ or ", MAX_NESTING + 1);
        let diag = check_nesting(&text).expect("too deep");
        assert_eq!(diag.code, Code::TooDeep);
        assert!(check_nesting(&nested("e matches /#/ or ", MAX_NESTING)).is_none());
    }

    #[test]
    fn parentheses_in_texts_patterns_and_comments_are_not_counted() {
        let deep = "(".repeat(MAX_NESTING + 1);
        for text in [
            format!("\"{deep}\""),
            format!("e matches /{deep}/"),
            format!("e matches # c\n /{deep}/"),
            format!("# {deep}"),
        ] {
            assert!(check_nesting(&text).is_none(), "{text}");
        }
    }
}
