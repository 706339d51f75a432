//! Syntax errors caused by a keyword, said plainly: a keyword used as a name
//! (`score number` in `fields`), and a comment between the two words of a
//! two-word keyword (`at # note` / `least`).
//!
//! In: the text, the position pest stopped at (the start of a token) and what
//! it expected there, in words. Out: a diagnostic when one of these is the
//! cause, else None (the generic syntax error stands).

use crate::ast::Span;
use crate::diagnostic::{Code, Diagnostic};
use crate::syntax::trivia::{self, Kind, Piece};
use crate::syntax::{LeadParser, Rule};
use pest::Parser as _;
use std::collections::BTreeSet;

/// The keywords written as two words, as the grammar names them.
const TWO_WORD_KEYWORDS: [Rule; 5] = [
    Rule::kw_at_least,
    Rule::kw_at_most,
    Rule::kw_one_of,
    Rule::kw_as_of,
    Rule::kw_agreed_by,
];

/// Whether the grammar's rule `rule` takes all of `text`.
fn parses_whole(rule: Rule, text: &str) -> bool {
    LeadParser::parse(rule, text)
        .ok()
        .and_then(|mut pairs| pairs.next())
        .is_some_and(|pair| pair.as_span().end() == text.len())
}

/// Whether `word` is one of the grammar's reserved words (rule `keyword`).
pub fn is_keyword(word: &str) -> bool {
    parses_whole(Rule::keyword, word)
}

/// The token at `pos`, if it is a word.
fn word_at(text: &str, pos: usize) -> Option<(&str, Span)> {
    let piece = trivia::pieces(text.get(pos..)?).next()?;
    (piece.kind == Kind::Word && piece.start == 0)
        .then(|| (&text[pos..pos + piece.end], Span::new(pos, pos + piece.end)))
}

/// `at # note` then `least`: a two-word keyword cannot have a comment inside.
pub fn split_keyword(text: &str, pos: usize) -> Option<Diagnostic> {
    let rest = text.get(pos..)?;
    let mut pieces = trivia::pieces(rest);
    let first = pieces.next().filter(|p| p.kind == Kind::Word)?;
    pieces.next().filter(|p| p.kind == Kind::Comment)?;
    let second = pieces
        .find(|p| p.kind != Kind::Comment)
        .filter(|p| p.kind == Kind::Word)?;
    let (a, b) = (piece_text(rest, first), piece_text(rest, second));
    let keyword = format!("{a} {b}");
    if !TWO_WORD_KEYWORDS.iter().any(|&r| parses_whole(r, &keyword)) {
        return None;
    }
    Some(
        Diagnostic::error(
            Code::Syntax,
            Span::new(pos + first.start, pos + second.end),
            format!("a comment splits `{keyword}`"),
        )
        .label(format!("`{a}` and `{b}` belong together"))
        .help(format!(
            "`{keyword}` is one keyword: write `{a}` and `{b}` with only spaces or line \
             breaks between them, and move the comment to the end of the line"
        )),
    )
}

fn piece_text(text: &str, piece: Piece) -> &str {
    &text[piece.start..piece.end]
}

/// A keyword where a name is expected: say it is reserved, and how to rename.
pub fn reserved_word(text: &str, pos: usize, expected: &BTreeSet<&str>) -> Option<Diagnostic> {
    let around = declaration_around(text, pos);
    // In `fields`, only a keyword followed by a type was meant as a name:
    // `criterion` there more likely says that the block's `}` is missing.
    let (word, span) = match around {
        Some(("fields", true)) => field_named_like_a_keyword(text, pos),
        _ => {
            let (word, span) = word_at(text, pos)?;
            let wants_name = expected.iter().any(|e| {
                *e == "a name"
                    || e.starts_with("a field declaration")
                    || e.starts_with("a field and")
            });
            let sets_a_field = rest_of_line(text, span.end).starts_with(':');
            (is_keyword(word) && (wants_name || sets_a_field)).then_some((word, span))
        }
    }?;
    let line_rest = rest_of_line(text, span.end);
    let (what, help) = match around {
        Some(("fields", _)) => (Some("a field"), field_help(word, line_rest)),
        Some(("example", true)) => (
            Some("a field"),
            "rename the field where it is declared (`from \"Column\"` keeps its column), \
             and set it by its new name here"
                .to_string(),
        ),
        Some(("let", false)) => (
            Some("a `let`"),
            format!("give it another name, e.g. `{word}_rule`"),
        ),
        Some(("group", false)) => (
            Some("a group"),
            format!("give it another name, e.g. `{word}_points`"),
        ),
        _ => (None, format!("use another name, e.g. `{word}_value`")),
    };
    let message = match what {
        Some(what) => format!("`{word}` is a reserved word and cannot name {what}"),
        None => format!("`{word}` is a reserved word and cannot be used as a name"),
    };
    Some(
        Diagnostic::error(Code::ReservedName, span, message)
            .label("reserved word")
            .help(help),
    )
}

/// In the `fields` block, a line that starts with a keyword followed by a
/// field type (`score number`, `from text optional`): the keyword was meant
/// as the field's name, even where pest took it for the option of the field
/// above (`from`, `optional`, `format`) and stopped further on.
fn field_named_like_a_keyword(text: &str, pos: usize) -> Option<(&str, Span)> {
    let line_start = text[..pos].rfind('\n').map_or(0, |i| i + 1);
    let (word, span) = word_at(text, next_word_start(text, line_start)?)?;
    if span.start > pos || !is_keyword(word) {
        return None;
    }
    let after = rest_of_line(text, span.end);
    LeadParser::parse(Rule::field_type, after)
        .is_ok()
        .then_some((word, span))
}

/// The start of the first piece at or after `from`.
fn next_word_start(text: &str, from: usize) -> Option<usize> {
    trivia::pieces(&text[from..]).next().map(|p| from + p.start)
}

/// A field declaration that keeps reading the same column under a new name.
fn field_help(word: &str, line_rest: &str) -> String {
    let rest = if line_rest.is_empty() {
        "TYPE"
    } else {
        line_rest
    };
    let renamed = if line_rest.contains("from") {
        format!("{word}_field {rest}")
    } else {
        format!("{word}_field {rest} from \"{word}\"")
    };
    format!("rename the field and keep reading the column `{word}` with `from`: `{renamed}`")
}

/// The rest of the line after `from`, without its comment, trimmed.
fn rest_of_line(text: &str, from: usize) -> &str {
    let line = &text[from..];
    let line = &line[..line.find('\n').unwrap_or(line.len())];
    trivia::without_trailing_trivia(line.trim_start())
}

/// The keyword of the top-level declaration `pos` is in, and whether `pos`
/// is inside its braces.
fn declaration_around(text: &str, pos: usize) -> Option<(&str, bool)> {
    let mut depth = 0usize;
    let mut found: Option<&str> = None;
    let mut inside = false;
    for piece in trivia::pieces(text).take_while(|p| p.start < pos) {
        let token = &text[piece.start..piece.end];
        match (piece.kind, token) {
            (Kind::Symbol, "{") => {
                depth += 1;
                inside = depth == 1;
            }
            (Kind::Symbol, "}") => {
                depth = depth.saturating_sub(1);
                inside = depth > 0;
            }
            (Kind::Word, word) if depth == 0 && is_declaration(word) => {
                found = Some(word);
                inside = false;
            }
            _ => {}
        }
    }
    found.map(|word| (word, inside))
}

fn is_declaration(word: &str) -> bool {
    matches!(
        word,
        "fields"
            | "let"
            | "group"
            | "example"
            | "criterion"
            | "disqualify"
            | "stage"
            | "route"
            | "holidays"
            | "definition"
            | "version"
            | "agreed"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_grammar_decides_what_is_a_keyword() {
        assert!(is_keyword("score"));
        assert!(is_keyword("when"));
        assert!(!is_keyword("scores"));
        assert!(!is_keyword("Score"));
    }

    #[test]
    fn a_field_named_like_a_keyword_is_told_how_to_rename() {
        let text = "fields {\n  x number\n  score number optional # the CRM score\n}";
        let pos = text.find("score").unwrap_or_default();
        let diag = reserved_word(text, pos, &BTreeSet::from(["a name"])).expect("reserved");
        assert_eq!(diag.code, Code::ReservedName);
        assert_eq!(
            diag.message,
            "`score` is a reserved word and cannot name a field"
        );
        let help = diag.help.unwrap_or_default();
        assert!(
            help.contains("`score_field number optional from \"score\"`"),
            "{help}"
        );
    }

    #[test]
    fn a_comment_inside_at_least_is_named() {
        let text = "when at # see the BANT note\n  least 1 of (x > 0)";
        let pos = text.find("at").unwrap_or_default();
        let diag = split_keyword(text, pos).expect("split");
        assert_eq!(diag.message, "a comment splits `at least`");
        assert!(split_keyword("when at # c\n  lest 1", pos).is_none());
    }
}
