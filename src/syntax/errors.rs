//! pest's syntax errors, said in words: grammar rules become "a condition",
//! "a field type", "`when`", and the message names the word the error follows.

mod keywords;

// The language server checks a new name with the grammar's own keyword rule.
pub(crate) use keywords::is_keyword;

use super::trivia::{self, Kind};
use super::Rule;
use crate::ast::Span;
use crate::diagnostic::{Code, Diagnostic};
use std::collections::BTreeSet;

/// What a user should read for an expected rule; None hides it.
fn rule_words(rule: Rule) -> Option<&'static str> {
    use Rule::*;
    Some(match rule {
        EOI => "the end of the file",
        header | header_kind | kw_definition | kw_version | kw_agreed_by | fields_block
        | kw_fields | holidays | kw_holidays | missing_values | kw_missing_values | let_decl | kw_let | disqualify | kw_disqualify
        | group_block | kw_group | criterion | kw_criterion | stage | kw_stage | route | kw_route | example
        | kw_example => "a declaration (`fields`, `let`, `disqualify`, `criterion`, `group`, `stage`, `example`, ...)",
        field_decl => "a field declaration (`name type`)",
        field_type | type_one_of | type_yes_no | type_text | type_number | type_date | kw_text
        | kw_number | kw_date | kw_one_of => {
            "a field type (`text`, `number`, `yes/no`, `date` or `one of \"a\", \"b\"`)"
        }
        opt_optional | kw_optional | opt_from | kw_from | opt_format | kw_format | opt_missing
        | kw_missing_when => {
            "a field option (`optional`, `from \"Column\"`, `format \"...\"`, `missing when \"...\"`)"
        }
        expr | and_expr | not_expr | comparison | sum | product | unary | paren | at_least
        | matched_ref | days_since | business_days_since | kw_at_least | kw_matched
        | kw_business | kw_days | score_ref | stage_ref | kw_score | yes_lit | no_lit | neg => "a condition",
        comparison_tail | cmp_op | compare_op | cmp_between | cmp_in | cmp_not_in
        | cmp_contains | cmp_starts | cmp_ends | cmp_matches | cmp_is_missing
        | cmp_is_present | kw_between | kw_in | kw_contains | kw_starts | kw_ends
        | kw_matches | kw_is => "a comparison (`=`, `>=`, `in`, `contains`, `is missing`, ...)",
        add_op | mul_op => "an arithmetic operator",
        kw_and => "`and`",
        kw_or => "`or`",
        kw_not => "`not`",
        kw_when => "`when`",
        kw_otherwise => "`otherwise`",
        kw_per => "`per`",
        kw_with => "`with`",
        kw_of => "`of`",
        kw_since => "`since`",
        kw_halving | decay => "`, halving every N days since field`",
        kw_each => "`each halving every N days`",
        per_events => "`where` or `in the last N days`",
        kw_every => "`every`",
        kw_missing | kw_present => "`missing` or `present`",
        kw_at_most | group_cap | per_cap => "`at most N`",
        group_floor => "`at least N`",
        kw_expect | expectation => "`expect ...`",
        exp_stage | exp_route | exp_disqualified | exp_not_disqualified | exp_score | exp_score_between
        | exp_matched | exp_not_matched | kw_disqualified => {
            "an expectation (`stage`, `score`, `matched`, `disqualified`, ...)"
        }
        assignment => "a field and its value (`field: value`)",
        example_as_of | kw_as_of => "`as of DATE`",
        points => "points (`+20` or `-15`)",
        per_unit => "`per field`",
        by_value | kw_points_by => "`points by field { ... }`",
        value_entry => "an entry (`\"value\": points` or `otherwise points`)",
        entry_points => "points (`25`, `-5` or the name of a number)",
        signed_number | number | number_lit => "a number",
        amount | signed_amount => "a number or the name of one",
        string | string_inner => "text in double quotes",
        regex_lit | regex_inner => "a regular expression between slashes (`/owner|ceo/`)",
        date_lit => "a date (`2026-11-05`)",
        list_lit => "a list (`[\"a\", \"b\"]`)",
        missing_lit => "`missing`",
        ident => "a name",
        call | call_name => "a function call (`min(a, b)`)",
        _ => return None,
    })
}

/// The last word (or symbol) before `pos`, to say "after `when`". Comments
/// are skipped: their words are not tokens.
fn previous_token(text: &str, pos: usize) -> Option<&str> {
    let end = trivia::pieces(text)
        .take_while(|p| p.end <= pos)
        .filter(|p| p.kind != Kind::Comment)
        .last()?
        .end;
    let before = &text[..end];
    let last = before.chars().last()?;
    if last.is_alphanumeric() || last == '_' {
        let start = before
            .rfind(|c: char| !(c.is_alphanumeric() || c == '_' || c == '/'))
            .map(|i| i + before[i..].chars().next().map_or(1, char::len_utf8))
            .unwrap_or(0);
        Some(&before[start..])
    } else if last == '"' {
        None
    } else {
        Some(&before[before.len() - last.len_utf8()..])
    }
}

/// The start of the first token at or after `pos`, past whitespace and
/// comments (or the end of the text).
fn next_token_start(text: &str, pos: usize) -> usize {
    trivia::pieces(text)
        .find(|p| p.start >= pos && p.kind != Kind::Comment)
        .map_or(text.len(), |p| p.start)
}

/// What is at `pos`: a word, a symbol, or the end of the file.
fn found_at(text: &str, pos: usize) -> (String, Span) {
    let rest = text.get(pos..).unwrap_or("");
    let Some(first) = rest.chars().next() else {
        return ("the end of the file".to_string(), Span::new(pos, pos));
    };
    let len = if first.is_alphanumeric() || first == '_' {
        rest.find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(rest.len())
    } else {
        first.len_utf8()
    };
    let shown: String = rest[..len].chars().take(40).collect();
    (format!("`{shown}`"), Span::new(pos, pos + len))
}

pub(super) fn syntax_error(text: &str, err: pest::error::Error<Rule>) -> Diagnostic {
    let pos = match err.location {
        pest::error::InputLocation::Pos(p) => p,
        pest::error::InputLocation::Span((s, _)) => s,
    };
    // pest may report the position before skipped whitespace and comments;
    // point at the next token.
    let pos = next_token_start(text, pos);
    let expected: BTreeSet<&str> = match &err.variant {
        pest::error::ErrorVariant::ParsingError { positives, .. } => {
            positives.iter().filter_map(|r| rule_words(*r)).collect()
        }
        pest::error::ErrorVariant::CustomError { .. } => BTreeSet::new(),
    };
    let (found, span) = found_at(text, pos);
    if let Some(diag) = unclosed_text(text, pos) {
        return diag;
    }
    if let Some(diag) = keywords::split_keyword(text, pos) {
        return diag;
    }
    if let Some(diag) = keywords::reserved_word(text, pos, &expected) {
        return diag;
    }
    let expected_words = join_alternatives(&expected);
    let after = previous_token(text, pos)
        .map(|t| format!(" after `{t}`"))
        .unwrap_or_default();
    let message = if expected_words.is_empty() {
        format!("unexpected {found}{after}")
    } else {
        format!("expected {expected_words}{after}, found {found}")
    };
    Diagnostic::error(Code::Syntax, span, message)
        .label(if expected_words.is_empty() {
            "not expected here".to_string()
        } else {
            format!("expected {expected_words}")
        })
        .help(hint(&expected, text, pos))
}

/// A `"` with no closing quote on its line: say that, not what pest expected.
fn unclosed_text(text: &str, pos: usize) -> Option<Diagnostic> {
    let rest = text.get(pos..)?;
    let line = rest.split('\n').next().unwrap_or("");
    if !line.starts_with('"') || line[1..].contains('"') {
        return None;
    }
    Some(
        Diagnostic::error(
            Code::Syntax,
            Span::new(pos, pos + 1),
            "this text has no closing `\"`",
        )
        .label("the text starts here and runs to the end of the line")
        .help("close the text with `\"` on the same line, e.g. \"has budget\""),
    )
}

fn join_alternatives(words: &BTreeSet<&str>) -> String {
    let words: Vec<&str> = words.iter().copied().collect();
    match words.as_slice() {
        [] => String::new(),
        [one] => one.to_string(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

fn hint(expected: &BTreeSet<&str>, text: &str, pos: usize) -> String {
    let rest = text.get(pos..).unwrap_or("");
    if rest.starts_with('\'') {
        return "text is written in double quotes: \"like this\"".into();
    }
    if rest.starts_with("==") {
        return "equality is a single `=`".into();
    }
    if rest.starts_with("&&") || rest.starts_with("||") {
        return "write `and` / `or` in words".into();
    }
    let before = text.get(..pos).unwrap_or("");
    if (rest.starts_with('>') || rest.starts_with('<')) && before.ends_with('=') {
        return format!("did you mean `{}=`?", &rest[..1]);
    }
    if expected.iter().any(|e| e.starts_with("a field option")) {
        return "the `fields { ... }` block lists one field per line and ends with `}`: is a `}` missing?".into();
    }
    if expected.contains("a condition") {
        return "a condition compares a field, e.g. `budget >= 10000` or `state in territory`"
            .into();
    }
    if expected.iter().any(|e| e.starts_with("a field type")) {
        return "each field is `name type`, e.g. `budget number optional`".into();
    }
    if expected.iter().any(|e| e.starts_with("a declaration")) {
        return "each declaration starts with a keyword; see docs/language.md for the list".into();
    }
    "see docs/language.md for how this part is written".into()
}
