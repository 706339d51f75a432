//! Completion: the names and words that fit where the cursor is.
//!
//! In: a file's text, the byte offset of the cursor, and the [`Names`] of the
//! definition (from the last text that parsed, so half-typed text still
//! completes). Out: completion items, each with the exact edit to make.
//!
//! What fits is read from the tokens before the cursor ([`crate::syntax::trivia`],
//! the scanner the grammar's helpers use): criterion names inside
//! `matched "…"`, `at least N of (…)` and `expect matched`; stage and reason
//! names after `expect stage` / `expect disqualified` / `expect route` and
//! `stage =` in a route; a `one of` field's
//! values after `=`, `!=`, `in [` and in an example's `field:`; list names
//! after `in`; otherwise fields, `let`s, groups, keywords and, at the start of
//! a line, snippets for a criterion, a stage, an example and the rest.

use super::position::{Encoding, Lines};
use crate::ast::{Definition, FieldType, Item, LetValue};
use crate::syntax::trivia::{self, Kind, Piece};
use lsp_types as lsp;

/// The names a definition declares, as completion offers them.
#[derive(Debug, Clone, Default)]
pub struct Names {
    /// Each field, its type in words, and its values when it is `one of`.
    pub fields: Vec<(String, String, Vec<String>)>,
    pub lists: Vec<String>,
    pub lets: Vec<String>,
    pub groups: Vec<String>,
    pub criteria: Vec<String>,
    pub stages: Vec<String>,
    pub reasons: Vec<String>,
    pub routes: Vec<String>,
}

impl Names {
    pub fn of(def: &Definition) -> Names {
        let mut names = Names::default();
        for item in &def.items {
            match item {
                Item::Fields(block) => {
                    for f in &block.fields {
                        let values = match &f.ty.value {
                            FieldType::OneOf(v) => v.iter().map(|v| v.value.clone()).collect(),
                            _ => Vec::new(),
                        };
                        let ty = f.ty.value.describe().to_string();
                        names.fields.push((f.name.value.clone(), ty, values));
                    }
                }
                Item::Let(l) => match &l.value {
                    LetValue::List(_) => names.lists.push(l.name.value.clone()),
                    LetValue::Condition(_) => names.lets.push(l.name.value.clone()),
                },
                Item::Disqualify(d) => names.reasons.push(d.reason.value.clone()),
                Item::Stage(s) => names.stages.push(s.name.value.clone()),
                Item::Route(r) => names.routes.push(r.name.value.clone()),
                Item::Group(g) => names.groups.push(g.name.value.clone()),
                _ => {}
            }
        }
        names.criteria = def.criteria().map(|(c, _)| c.name.value.clone()).collect();
        names
    }

    fn one_of(&self, field: &str) -> Option<&[String]> {
        self.fields
            .iter()
            .find(|(name, _, values)| name == field && !values.is_empty())
            .map(|(_, _, values)| values.as_slice())
    }
}

/// Words offered anywhere a condition goes on.
const KEYWORDS: [&str; 31] = [
    "when",
    "and",
    "or",
    "not",
    "in",
    "is missing",
    "is present",
    "between",
    "contains",
    "starts with",
    "ends with",
    "matches",
    "matched",
    "at least",
    "of",
    "days since",
    "business days since",
    "score",
    "otherwise",
    "per",
    "at most",
    "halving every",
    "yes",
    "no",
    // Aggregates of events (docs/language.md#events).
    "count of",
    "first",
    "last",
    "where",
    "since",
    "in the last",
    // Points per event, each fading from its own date.
    "each halving every",
];

/// Snippets offered at the start of a line.
const SNIPPETS: [(&str, &str); 11] = [
    ("criterion", "criterion \"${1:name}\" +${2:10} when ${3:condition}"),
    ("stage", "stage \"${1:name}\" when ${2:score >= 60}"),
    ("stage otherwise", "stage \"${1:nurture}\" otherwise"),
    ("route", "route \"${1:owner}\" when ${2:stage = \"sales ready\"}"),
    ("route otherwise", "route \"${1:inside sales}\" otherwise"),
    (
        "example",
        "example \"${1:what it shows}\" {\n  ${2:field}: ${3:value}\n  expect stage \"${4:stage}\"\n}",
    ),
    ("disqualify", "disqualify \"${1:reason}\" when ${2:condition}"),
    ("let", "let ${1:name} = ${2:value}"),
    ("group", "group ${1:name}, at most ${2:40} {\n  $0\n}"),
    ("expect", "expect stage \"${1:stage}\""),
    (
        "events",
        "events ${1:activity} {\n  lead  from \"${2:Lead ID}\"\n  at    date  from \"${3:Timestamp}\"\n  $0\n}",
    ),
];

/// Where the cursor is, in tokens.
struct Context<'t> {
    text: &'t str,
    /// Tokens before the cursor, comments left out, the one being typed too.
    before: Vec<Piece>,
    /// The byte range a chosen item replaces.
    replace: (usize, usize),
    /// Inside an unclosed text: the offset just after its opening quote.
    in_text: Option<usize>,
    /// Whether a closing quote follows the cursor.
    quote_follows: bool,
}

impl Context<'_> {
    fn word(&self, back: usize) -> Option<&str> {
        let piece = self.before.len().checked_sub(back + 1)?;
        let p = self.before[piece];
        Some(&self.text[p.start..p.end])
    }

    /// Inside `at least N of (` whose parenthesis is still open.
    fn in_at_least(&self) -> bool {
        let mut depth = 0i32;
        for (i, p) in self.before.iter().enumerate().rev() {
            match &self.text[p.start..p.end] {
                ")" => depth += 1,
                "(" if depth > 0 => depth -= 1,
                "(" => return i > 0 && self.word_at(i - 1) == "of",
                _ => {}
            }
        }
        false
    }

    fn word_at(&self, i: usize) -> &str {
        let p = self.before[i];
        &self.text[p.start..p.end]
    }

    /// The field a value is being given to: `FIELD =`, `FIELD !=`,
    /// `FIELD in [ …`, `FIELD not in [ …`, or an example's `FIELD:`.
    fn valued_field(&self) -> Option<&str> {
        let mut i = self.before.len();
        // Skip the values already in a list: `"a", "b",`.
        while i > 0 && (self.word_at(i - 1) == "," || self.before[i - 1].kind == Kind::Text) {
            i -= 1;
        }
        let op = self.word_at(i.checked_sub(1)?);
        let field_at = match op {
            "=" | ":" => {
                if i >= 2 && self.word_at(i - 2) == "!" {
                    i.checked_sub(3)?
                } else {
                    i - 2
                }
            }
            "[" => {
                let mut j = i.checked_sub(2)?;
                if self.word_at(j) != "in" {
                    return None;
                }
                j = j.checked_sub(1)?;
                if self.word_at(j) == "not" {
                    j = j.checked_sub(1)?;
                }
                j
            }
            _ => return None,
        };
        let field = self.before.get(field_at)?;
        (field.kind == Kind::Word).then(|| &self.text[field.start..field.end])
    }

    /// Inside `points by FIELD { …`, where a key goes (after `{` or `,`): the
    /// field, so its `one of` values are offered as keys.
    fn by_value_field(&self) -> Option<&str> {
        if !matches!(self.word(0)?, "{" | ",") {
            return None;
        }
        let open = self
            .before
            .iter()
            .rposition(|p| matches!(&self.text[p.start..p.end], "{" | "}"))?;
        let (by, points) = (open.checked_sub(2)?, open.checked_sub(3)?);
        let opened = self.word_at(open) == "{";
        (opened && self.word_at(by) == "by" && self.word_at(points) == "points")
            .then(|| self.word_at(open - 1))
    }

    /// Whether nothing but the word being typed is on the cursor's line.
    fn line_start(&self) -> bool {
        let line_start = self.text[..self.replace.0].rfind('\n').map_or(0, |i| i + 1);
        self.text[line_start..self.replace.0].trim().is_empty()
    }
}

fn context(text: &str, offset: usize) -> Option<Context<'_>> {
    let before_text = &text[..offset];
    let all: Vec<Piece> = trivia::pieces(before_text).collect();
    let last = all.last().copied();
    if last.is_some_and(|p| p.kind == Kind::Comment && p.end == offset) {
        return None;
    }
    let mut before: Vec<Piece> = all
        .into_iter()
        .filter(|p| p.kind != Kind::Comment)
        .collect();
    let quote_follows = text[offset..].starts_with('"');
    let mut ctx = Context {
        text,
        before: Vec::new(),
        replace: (offset, offset),
        in_text: None,
        quote_follows,
    };
    match last {
        Some(p) if p.kind == Kind::Text && p.end == offset && !closed(&text[p.start..p.end]) => {
            before.pop();
            ctx.in_text = Some(p.start + 1);
            ctx.replace = (p.start + 1, offset);
        }
        Some(p) if p.kind == Kind::Word && p.end == offset => {
            before.pop();
            ctx.replace = (p.start, offset);
        }
        Some(p) if p.kind == Kind::Pattern && p.end == offset => return None,
        _ => {}
    }
    ctx.before = before;
    Some(ctx)
}

/// Whether a text token is closed by its own quote.
fn closed(token: &str) -> bool {
    token.len() >= 2 && token.ends_with('"') && {
        let inner = &token[1..token.len() - 1];
        inner.chars().rev().take_while(|&c| c == '\\').count() % 2 == 0
    }
}

/// The completions at `offset` in `text`.
pub fn complete(
    text: &str,
    names: &Names,
    offset: usize,
    encoding: Encoding,
) -> Option<lsp::CompletionResponse> {
    let ctx = context(text, offset)?;
    let lines = Lines::new(text, encoding);
    let range = lines.range(crate::ast::Span::new(ctx.replace.0, ctx.replace.1));
    let mut items = Vec::new();
    let mut add = |label: &str, new_text: String, kind, detail: &str| {
        items.push(lsp::CompletionItem {
            label: label.to_string(),
            kind: Some(kind),
            detail: (!detail.is_empty()).then(|| detail.to_string()),
            filter_text: Some(new_text.trim_matches('"').to_string()),
            text_edit: Some(lsp::CompletionTextEdit::Edit(lsp::TextEdit::new(
                range, new_text,
            ))),
            ..Default::default()
        });
    };
    let quoted = |name: &str| format!("\"{}\"", escape(name));
    let last = ctx.word(0).unwrap_or("");
    let before_last = ctx.word(1).unwrap_or("");
    let criteria_here = last == "matched"
        || (last == "," && expects_matched(&ctx))
        || (ctx.in_at_least() && matches!(last, "(" | ","));
    let values: Option<&[String]> = ctx
        .valued_field()
        .or_else(|| ctx.by_value_field())
        .and_then(|f| names.one_of(f));
    let stages_and_disqualified: Vec<String> = names
        .stages
        .iter()
        .cloned()
        .chain([crate::model::DISQUALIFIED_STAGE.to_string()])
        .collect();
    if let Some(_quote) = ctx.in_text {
        let close = if ctx.quote_follows { "" } else { "\"" };
        let escaped = |n: &str| format!("{}{close}", escape(n));
        let (list, kind, detail): (&[String], _, _) = if criteria_here {
            (
                &names.criteria,
                lsp::CompletionItemKind::FUNCTION,
                "criterion",
            )
        } else if last == "stage" && before_last == "expect" {
            (&names.stages, lsp::CompletionItemKind::ENUM_MEMBER, "stage")
        } else if last == "route" && before_last == "expect" {
            (&names.routes, lsp::CompletionItemKind::ENUM_MEMBER, "route")
        } else if matches!(last, "=" | "!=") && before_last == "stage" {
            // `stage = "…"` in a route: the stages, and `disqualified`.
            (
                &stages_and_disqualified,
                lsp::CompletionItemKind::ENUM_MEMBER,
                "stage",
            )
        } else if last == "disqualified" && before_last == "expect" {
            (
                &names.reasons,
                lsp::CompletionItemKind::ENUM_MEMBER,
                "disqualifier",
            )
        } else if let Some(values) = values {
            (values, lsp::CompletionItemKind::VALUE, "one of its values")
        } else {
            return None;
        };
        for name in list {
            add(name, escaped(name), kind, detail);
        }
    } else if criteria_here {
        for name in &names.criteria {
            add(
                name,
                quoted(name),
                lsp::CompletionItemKind::FUNCTION,
                "criterion",
            );
        }
        if ctx.in_at_least() {
            fields(&mut add, names);
        }
    } else if let Some(values) = values {
        for v in values {
            add(
                v,
                quoted(v),
                lsp::CompletionItemKind::VALUE,
                "one of its values",
            );
        }
    } else if last == "in" {
        for list in &names.lists {
            add(
                list,
                list.clone(),
                lsp::CompletionItemKind::VARIABLE,
                "list",
            );
        }
    } else {
        fields(&mut add, names);
        for l in &names.lets {
            add(l, l.clone(), lsp::CompletionItemKind::VARIABLE, "let");
        }
        for g in &names.groups {
            add(
                g,
                g.clone(),
                lsp::CompletionItemKind::MODULE,
                "group's sub-score",
            );
        }
        for k in KEYWORDS {
            add(k, k.to_string(), lsp::CompletionItemKind::KEYWORD, "");
        }
        for f in crate::model::Function::NAMES {
            add(
                f,
                format!("{f}("),
                lsp::CompletionItemKind::FUNCTION,
                "function",
            );
        }
        if ctx.line_start() {
            for (label, body) in SNIPPETS {
                items.push(lsp::CompletionItem {
                    label: label.to_string(),
                    kind: Some(lsp::CompletionItemKind::SNIPPET),
                    insert_text_format: Some(lsp::InsertTextFormat::SNIPPET),
                    text_edit: Some(lsp::CompletionTextEdit::Edit(lsp::TextEdit::new(
                        range,
                        body.to_string(),
                    ))),
                    ..Default::default()
                });
            }
        }
    }
    Some(lsp::CompletionResponse::Array(items))
}

/// A name as written inside quotes: `\` and `"` escaped.
fn escape(name: &str) -> String {
    name.replace('\\', "\\\\").replace('"', "\\\"")
}

fn fields(add: &mut impl FnMut(&str, String, lsp::CompletionItemKind, &str), names: &Names) {
    for (name, ty, _) in &names.fields {
        add(name, name.clone(), lsp::CompletionItemKind::FIELD, ty);
    }
}

/// `expect matched "a", ` or `expect not matched "a", `: another criterion.
fn expects_matched(ctx: &Context<'_>) -> bool {
    let mut i = ctx.before.len();
    while i > 0 && (ctx.word_at(i - 1) == "," || ctx.before[i - 1].kind == Kind::Text) {
        i -= 1;
    }
    i > 0 && ctx.word_at(i - 1) == "matched"
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(text: &str) -> Vec<String> {
        let names = Names {
            fields: vec![
                (
                    "source".into(),
                    "one of".into(),
                    vec!["web".into(), "event".into()],
                ),
                ("budget".into(), "number".into(), Vec::new()),
            ],
            lists: vec!["territory".into()],
            criteria: vec!["has budget".into(), "BANT".into()],
            stages: vec!["hot".into()],
            ..Names::default()
        };
        match complete(text, &names, text.len(), Encoding::Utf16) {
            Some(lsp::CompletionResponse::Array(items)) => {
                items.into_iter().map(|i| i.label).collect()
            }
            _ => Vec::new(),
        }
    }

    /// Aggregates of events are offered where a condition goes on, and an
    /// events block at the start of a line.
    #[test]
    fn aggregates_and_the_events_block_are_offered() {
        let in_condition = labels("criterion \"x\" +1 when ");
        for word in [
            "count of",
            "first",
            "last",
            "where",
            "in the last",
            "each halving every",
        ] {
            assert!(
                in_condition.iter().any(|l| l == word),
                "{word}: {in_condition:?}"
            );
        }
        assert!(labels("ev").iter().any(|l| l == "events"));
    }

    #[test]
    fn what_fits_is_read_from_the_tokens_before_the_cursor() {
        assert_eq!(
            labels("stage \"a\" when matched \"ha"),
            ["has budget", "BANT"]
        );
        assert_eq!(labels("stage \"a\" when matched "), ["has budget", "BANT"]);
        let at_least = labels("criterion \"x\" when at least 2 of (\"BANT\", ");
        assert_eq!(at_least, ["has budget", "BANT", "source", "budget"]);
        assert_eq!(labels("when source = \"w"), ["web", "event"]);
        assert_eq!(labels("when source in [\"web\", "), ["web", "event"]);
        assert_eq!(labels("when state in "), ["territory"]);
        assert_eq!(labels("  expect stage \""), ["hot"]);
        assert_eq!(
            labels("route \"east\" when stage = \""),
            ["hot", "disqualified"]
        );
        assert_eq!(
            labels("  expect matched \"BANT\", \""),
            ["has budget", "BANT"]
        );
        assert!(labels("criterion \"x\" when bu").contains(&"budget".to_string()));
        assert!(labels("cri").contains(&"criterion".to_string()));
        assert!(labels("criterion \"x\" when ro").contains(&"round".to_string()));
        assert!(!labels("when bu").contains(&"criterion".to_string()));
        assert!(labels("when x # a comm").is_empty());
        // Keys of points by value: the field's values.
        assert_eq!(
            labels("criterion \"s\" points by source { "),
            ["web", "event"]
        );
        assert_eq!(
            labels("criterion \"s\" points by source { \"web\": 5, \"e"),
            ["web", "event"]
        );
        assert!(!labels("criterion \"s\" points by source { \"web\": 5 } ")
            .contains(&"web".to_string()));
    }

    #[test]
    fn names_with_quotes_are_escaped_and_the_text_closed_once() {
        let names = Names {
            criteria: vec!["say \"hi\" \\ bye".into()],
            ..Names::default()
        };
        let new_text = |text: &str| match complete(text, &names, text.len(), Encoding::Utf16) {
            Some(lsp::CompletionResponse::Array(items)) => items
                .first()
                .and_then(|i| match &i.text_edit {
                    Some(lsp::CompletionTextEdit::Edit(e)) => Some(e.new_text.clone()),
                    _ => None,
                })
                .unwrap_or_default(),
            _ => String::new(),
        };
        assert_eq!(new_text("when matched \"sa"), r#"say \"hi\" \\ bye""#);
        assert_eq!(new_text("when matched "), r#""say \"hi\" \\ bye""#);
    }
}
