//! Semantic tokens: what each word of the text is, so any LSP editor
//! highlights the language correctly.
//!
//! In: a file's text and its name [`Occurrence`]s. Out: LSP's delta-encoded
//! tokens. The text is cut by [`crate::syntax::trivia`] (the scanner the
//! grammar's helpers use): comments, texts and patterns; words are keywords
//! (the grammar's own rule), numbers and dates, or names, typed by what the
//! syntax tree says they name (field, `let`, group, criterion, stage or
//! reason; declarations marked). A text that does not parse still gets its
//! comments, texts, keywords and numbers.

use super::position::{Encoding, Lines};
use super::symbols::{Occurrence, SymbolKind};
use crate::syntax::trivia::{self, Kind};
use lsp_types as lsp;
use std::collections::HashMap;

/// The token types, in legend order.
const TYPES: [lsp::SemanticTokenType; 11] = [
    lsp::SemanticTokenType::KEYWORD,
    lsp::SemanticTokenType::STRING,
    lsp::SemanticTokenType::NUMBER,
    lsp::SemanticTokenType::COMMENT,
    lsp::SemanticTokenType::REGEXP,
    lsp::SemanticTokenType::OPERATOR,
    lsp::SemanticTokenType::PROPERTY,
    lsp::SemanticTokenType::VARIABLE,
    lsp::SemanticTokenType::NAMESPACE,
    lsp::SemanticTokenType::FUNCTION,
    lsp::SemanticTokenType::ENUM_MEMBER,
];

const KEYWORD: u32 = 0;
const STRING: u32 = 1;
const NUMBER: u32 = 2;
const COMMENT: u32 = 3;
const REGEXP: u32 = 4;
const OPERATOR: u32 = 5;
/// A function of the language (`min`, `round`); criteria share the type.
const FUNCTION: u32 = 9;
/// The one modifier: the name is declared here.
const DECLARATION: u32 = 1;

pub fn legend() -> lsp::SemanticTokensLegend {
    lsp::SemanticTokensLegend {
        token_types: TYPES.to_vec(),
        token_modifiers: vec![lsp::SemanticTokenModifier::DECLARATION],
    }
}

fn symbol_type(kind: SymbolKind) -> u32 {
    match kind {
        SymbolKind::Field | SymbolKind::EventField => 6,
        SymbolKind::Let => 7,
        SymbolKind::Group | SymbolKind::Events => 8,
        SymbolKind::Criterion => 9,
        SymbolKind::Stage | SymbolKind::Reason | SymbolKind::Route => 10,
    }
}

/// Words that are keywords in one place of the grammar only (`agreed by`,
/// `points by`); a field named like one is a name, found first.
const HEADER_WORDS: [&str; 3] = ["agreed", "by", "points"];

pub fn tokens(text: &str, occurrences: &[Occurrence], encoding: Encoding) -> lsp::SemanticTokens {
    let names: HashMap<usize, &Occurrence> =
        occurrences.iter().map(|o| (o.span.start, o)).collect();
    let lines = Lines::new(text, encoding);
    let mut out = Encoder::default();
    let mut skip_to = 0;
    for p in trivia::pieces(text) {
        if p.start < skip_to {
            continue;
        }
        let piece = &text[p.start..p.end];
        let name = names.get(&p.start).filter(|o| o.span.end == p.end);
        let (end, kind, modifiers) = match (p.kind, name) {
            (Kind::Word | Kind::Text, Some(o)) => (
                p.end,
                symbol_type(o.kind),
                if o.declaration { DECLARATION } else { 0 },
            ),
            (Kind::Comment, _) => (p.end, COMMENT, 0),
            (Kind::Text, _) => (p.end, STRING, 0),
            (Kind::Pattern, _) => (p.end, REGEXP, 0),
            (Kind::Word, _) if piece.starts_with(|c: char| c.is_ascii_digit()) => {
                (p.start + number_len(&text[p.start..]), NUMBER, 0)
            }
            // `min(`: a function's name, right before its `(` as the grammar wants.
            (Kind::Word, _)
                if text[p.end..].starts_with('(')
                    && crate::model::Function::NAMES.contains(&piece) =>
            {
                (p.end, FUNCTION, 0)
            }
            (Kind::Word, _)
                if HEADER_WORDS.contains(&piece) || crate::syntax::is_keyword(piece) =>
            {
                (p.end, KEYWORD, 0)
            }
            (Kind::Symbol, _) if "=!<>+-*/".contains(piece) => (p.end, OPERATOR, 0),
            _ => continue,
        };
        skip_to = end;
        out.push(&lines, text, p.start, end, kind, modifiers);
    }
    lsp::SemanticTokens {
        result_id: None,
        data: out.data,
    }
}

/// The length of the number or date at the start of `text`: `2026-11-05`,
/// `10_000`, `2.5`.
fn number_len(text: &str) -> usize {
    let b = text.as_bytes();
    let digits = |from: usize| {
        b[from.min(b.len())..]
            .iter()
            .take_while(|c| c.is_ascii_digit() || **c == b'_')
            .count()
    };
    let whole = digits(0);
    let is_date = whole == 4
        && b.get(4) == Some(&b'-')
        && digits(5) == 2
        && b.get(7) == Some(&b'-')
        && digits(8) == 2;
    if is_date {
        return 10;
    }
    if b.get(whole) == Some(&b'.') && digits(whole + 1) > 0 {
        return whole + 1 + digits(whole + 1);
    }
    whole
}

#[derive(Default)]
struct Encoder {
    data: Vec<lsp::SemanticToken>,
    line: u32,
    start: u32,
}

impl Encoder {
    fn push(
        &mut self,
        lines: &Lines<'_>,
        text: &str,
        start: usize,
        end: usize,
        kind: u32,
        mods: u32,
    ) {
        let at = lines.position(start);
        let length = lines.width(&text[start..end]) as u32;
        let delta_line = at.line - self.line;
        let delta_start = if delta_line == 0 {
            at.character - self.start
        } else {
            at.character
        };
        self.data.push(lsp::SemanticToken {
            delta_line,
            delta_start,
            length,
            token_type: kind,
            token_modifiers_bitset: mods,
        });
        self.line = at.line;
        self.start = at.character;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_dates_are_one_token_each() {
        assert_eq!(number_len("2026-11-05 x"), 10);
        assert_eq!(number_len("10_000 "), 6);
        assert_eq!(number_len("2.5)"), 3);
        assert_eq!(number_len("3."), 1);
    }

    #[test]
    fn a_function_name_before_its_parenthesis_is_a_function() {
        let text = "round(round)";
        let t = tokens(text, &[], Encoding::Utf16);
        let kinds: Vec<(u32, u32)> = t.data.iter().map(|t| (t.length, t.token_type)).collect();
        // The second `round` is a name (a field, given by the syntax tree).
        assert_eq!(kinds, [(5, FUNCTION)]);
    }

    #[test]
    fn tokens_follow_each_other_by_line_and_column() {
        let text = "# hi\nlet é = \"x\" # c";
        let t = tokens(text, &[], Encoding::Utf16);
        let kinds: Vec<(u32, u32, u32, u32)> = t
            .data
            .iter()
            .map(|t| (t.delta_line, t.delta_start, t.length, t.token_type))
            .collect();
        // `é` is not a word of the scanner (ASCII names only): no token.
        assert_eq!(
            kinds,
            [
                (0, 0, 4, COMMENT),
                (1, 0, 3, KEYWORD),
                (0, 6, 1, OPERATOR),
                (0, 2, 3, STRING),
                (0, 4, 3, COMMENT)
            ]
        );
    }
}
