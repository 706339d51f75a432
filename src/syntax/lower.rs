//! pest pairs → syntax tree: one `lower_<rule>` function per grammar rule.
//!
//! The grammar guarantees the shape of each pair, but nothing here unwraps on
//! it: an unexpected shape becomes a diagnostic, never a panic.

use super::Rule;
use crate::ast::*;
use crate::diagnostic::{Code, Diagnostic};
use pest::iterators::{Pair, Pairs};

/// Longest run of `not` or unary `-` accepted in a row.
const MAX_REPEAT: usize = 8;
/// Most operands in one `+`/`-` or `*`/`/` chain (they nest as a tree).
const MAX_CHAIN: usize = 256;

struct Lowerer {
    diags: Vec<Diagnostic>,
}

type Result<T> = std::result::Result<T, ()>;

pub(super) fn lower_file(
    mut pairs: Pairs<'_, Rule>,
) -> std::result::Result<Definition, Vec<Diagnostic>> {
    let mut l = Lowerer { diags: Vec::new() };
    let mut def = Definition::default();
    if let Some(file) = pairs.next() {
        for pair in file.into_inner() {
            if pair.as_rule() == Rule::EOI {
                continue;
            }
            if let Ok(item) = l.lower_item(pair) {
                def.items.push(item);
            }
        }
    }
    if l.diags.is_empty() {
        Ok(def)
    } else {
        Err(l.diags)
    }
}

/// The pair's span without trailing whitespace and comments, which pest includes
/// when it tried an optional part after the last token (so a label never runs
/// on to the next line).
fn span_of(pair: &Pair<'_, Rule>) -> Span {
    let s = pair.as_span();
    // A pattern is one token (no trailing trivia), and read on its own it would
    // look like a division: only trim rules that can end in skipped trivia.
    if pair.as_rule() == Rule::regex_lit {
        return Span::new(s.start(), s.end());
    }
    Span::new(
        s.start(),
        s.start() + super::trivia::without_trailing_trivia(pair.as_str()).len(),
    )
}

impl Lowerer {
    fn bug(&mut self, pair: &Pair<'_, Rule>) {
        self.diags.push(
            Diagnostic::error(
                Code::Syntax,
                span_of(pair),
                format!(
                    "could not read `{}`",
                    pair.as_str().chars().take(40).collect::<String>()
                ),
            )
            .help("this is a bug in qualify's parser; please report it with the file"),
        );
    }

    fn next<'i>(
        &mut self,
        parent: &Pair<'i, Rule>,
        it: &mut impl Iterator<Item = Pair<'i, Rule>>,
    ) -> Result<Pair<'i, Rule>> {
        match it.next() {
            Some(p) => Ok(p),
            None => {
                self.bug(parent);
                Err(())
            }
        }
    }

    fn lower_item(&mut self, pair: Pair<'_, Rule>) -> Result<Item> {
        Ok(match pair.as_rule() {
            Rule::header => Item::Header(self.lower_header(pair)?),
            Rule::fields_block => Item::Fields(self.lower_fields_block(pair)?),
            Rule::events_block => Item::Events(self.lower_events_block(pair)?),
            Rule::holidays => Item::Holidays(self.lower_holidays(pair)),
            Rule::missing_values => Item::MissingValues(self.lower_missing_values(pair)),
            Rule::let_decl => Item::Let(self.lower_let_decl(pair)?),
            Rule::disqualify => Item::Disqualify(self.lower_disqualify(pair)?),
            Rule::group_block => Item::Group(self.lower_group_block(pair)?),
            Rule::criterion => Item::Criterion(self.lower_criterion(pair)?),
            Rule::stage => Item::Stage(self.lower_stage(pair)?),
            Rule::route => Item::Route(self.lower_stage(pair)?),
            Rule::handoff => Item::Handoff(self.lower_handoff(pair)?),
            Rule::example => Item::Example(self.lower_example(pair)?),
            _ => {
                self.bug(&pair);
                return Err(());
            }
        })
    }

    fn lower_header(&mut self, pair: Pair<'_, Rule>) -> Result<Header> {
        let span = span_of(&pair);
        let mut it = pair.clone().into_inner();
        let kind_pair = self.next(&pair, &mut it)?;
        let kind = match kind_pair.into_inner().next().map(|p| p.as_rule()) {
            Some(Rule::kw_definition) => HeaderKind::Definition,
            Some(Rule::kw_version) => HeaderKind::Version,
            _ => HeaderKind::AgreedBy,
        };
        let value_pair = self.next(&pair, &mut it)?;
        let value = self.lower_string(value_pair);
        Ok(Header { kind, value, span })
    }

    fn lower_string(&mut self, pair: Pair<'_, Rule>) -> Spanned<String> {
        let span = span_of(&pair);
        let raw = pair.into_inner().next().map(|p| p.as_str()).unwrap_or("");
        Spanned::new(unescape(raw), span)
    }

    fn lower_ident(&mut self, pair: Pair<'_, Rule>) -> Name {
        Spanned::new(pair.as_str().to_string(), span_of(&pair))
    }

    fn lower_number(&mut self, pair: Pair<'_, Rule>) -> Spanned<f64> {
        let span = span_of(&pair);
        let text: String = pair.as_str().chars().filter(|c| *c != '_').collect();
        match text.parse::<f64>() {
            Ok(v) if v.is_finite() => Spanned::new(v, span),
            _ => {
                self.diags.push(
                    Diagnostic::error(Code::InvalidNumber, span, "this number is too large")
                        .label("too large")
                        .help("numbers must fit in a double (about 1.8e308)"),
                );
                Spanned::new(0.0, span)
            }
        }
    }

    fn lower_fields_block(&mut self, pair: Pair<'_, Rule>) -> Result<FieldsBlock> {
        let span = span_of(&pair);
        let mut fields = Vec::new();
        for p in pair.into_inner() {
            if p.as_rule() == Rule::field_decl {
                if let Ok(f) = self.lower_field_decl(p) {
                    fields.push(f);
                }
            }
        }
        Ok(FieldsBlock { fields, span })
    }

    fn lower_events_block(&mut self, pair: Pair<'_, Rule>) -> Result<EventsBlock> {
        let span = span_of(&pair);
        let mut name = None;
        let mut fields = Vec::new();
        for p in pair.clone().into_inner() {
            match p.as_rule() {
                Rule::ident => name = Some(self.lower_ident(p)),
                Rule::event_field => {
                    let typed = p
                        .clone()
                        .into_inner()
                        .any(|q| q.as_rule() == Rule::field_type);
                    if let Ok(decl) = self.lower_field_decl(p) {
                        fields.push(EventField { decl, typed });
                    }
                }
                _ => {}
            }
        }
        let Some(name) = name else {
            self.bug(&pair);
            return Err(());
        };
        Ok(EventsBlock { name, fields, span })
    }

    fn lower_field_decl(&mut self, pair: Pair<'_, Rule>) -> Result<FieldDecl> {
        let span = span_of(&pair);
        let mut it = pair.clone().into_inner().peekable();
        let name_pair = self.next(&pair, &mut it)?;
        let name = self.lower_ident(name_pair);
        // An events block's field may leave its type out (`lead from "Lead ID"`).
        let ty = match it.peek().map(|p| p.as_rule()) {
            Some(Rule::field_type) => {
                let ty_pair = self.next(&pair, &mut it)?;
                self.lower_field_type(ty_pair)?
            }
            _ => Spanned::new(FieldType::Text, name.span),
        };
        let mut decl = FieldDecl {
            name,
            ty,
            optional: false,
            from: None,
            format: None,
            missing: Vec::new(),
            span,
        };
        for opt in it {
            match opt.as_rule() {
                Rule::opt_optional => decl.optional = true,
                Rule::opt_from => {
                    if let Some(s) = opt.into_inner().find(|p| p.as_rule() == Rule::string) {
                        decl.from = Some(self.lower_string(s));
                    }
                }
                Rule::opt_format => {
                    if let Some(s) = opt.into_inner().find(|p| p.as_rule() == Rule::string) {
                        decl.format = Some(self.lower_string(s));
                    }
                }
                Rule::opt_missing => {
                    let texts = opt.into_inner().filter(|p| p.as_rule() == Rule::string);
                    decl.missing.extend(texts.map(|s| self.lower_string(s)));
                }
                _ => self.bug(&opt),
            }
        }
        Ok(decl)
    }

    fn lower_field_type(&mut self, pair: Pair<'_, Rule>) -> Result<Spanned<FieldType>> {
        let span = span_of(&pair);
        let inner = self.next(&pair, &mut pair.clone().into_inner())?;
        let ty = match inner.as_rule() {
            Rule::type_text => FieldType::Text,
            Rule::type_number => FieldType::Number,
            Rule::type_yes_no => FieldType::YesNo,
            Rule::type_date => FieldType::Date,
            Rule::type_one_of => FieldType::OneOf(
                inner
                    .into_inner()
                    .filter(|p| p.as_rule() == Rule::string)
                    .map(|p| self.lower_string(p))
                    .collect(),
            ),
            _ => {
                self.bug(&inner);
                return Err(());
            }
        };
        Ok(Spanned::new(ty, span))
    }

    fn lower_holidays(&mut self, pair: Pair<'_, Rule>) -> Holidays {
        let span = span_of(&pair);
        let dates = pair
            .into_inner()
            .filter(|p| p.as_rule() == Rule::date_lit)
            .map(|p| Spanned::new(p.as_str().to_string(), span_of(&p)))
            .collect();
        Holidays { dates, span }
    }

    fn lower_missing_values(&mut self, pair: Pair<'_, Rule>) -> MissingValues {
        let span = span_of(&pair);
        let values = pair
            .into_inner()
            .filter(|p| p.as_rule() == Rule::string)
            .map(|s| self.lower_string(s))
            .collect();
        MissingValues { values, span }
    }

    fn lower_let_decl(&mut self, pair: Pair<'_, Rule>) -> Result<LetDecl> {
        let span = span_of(&pair);
        let mut it = pair
            .clone()
            .into_inner()
            .filter(|p| p.as_rule() != Rule::kw_let);
        let name = match it.next() {
            Some(p) => self.lower_ident(p),
            None => {
                self.bug(&pair);
                return Err(());
            }
        };
        let value_pair = match it.next() {
            Some(p) => p,
            None => {
                self.bug(&pair);
                return Err(());
            }
        };
        let value = match value_pair.as_rule() {
            Rule::list_lit => LetValue::List(self.lower_list_lit(value_pair)),
            _ => LetValue::Condition(self.lower_expr(value_pair)?),
        };
        Ok(LetDecl { name, value, span })
    }

    fn lower_list_lit(&mut self, pair: Pair<'_, Rule>) -> ListLit {
        let span = span_of(&pair);
        let mut items = Vec::new();
        for p in pair.into_inner() {
            let item_span = span_of(&p);
            let item = match p.as_rule() {
                Rule::string => ListItem::Text(self.lower_string(p).value),
                Rule::number_lit => ListItem::Number(self.lower_number(p).value),
                Rule::date_lit => ListItem::Date(p.as_str().to_string()),
                _ => continue,
            };
            items.push(Spanned::new(item, item_span));
        }
        ListLit { items, span }
    }

    fn lower_disqualify(&mut self, pair: Pair<'_, Rule>) -> Result<Disqualify> {
        let span = span_of(&pair);
        let mut reason = None;
        let mut condition = None;
        for p in pair.clone().into_inner() {
            match p.as_rule() {
                Rule::string => reason = Some(self.lower_string(p)),
                Rule::expr => condition = Some(self.lower_expr(p)?),
                _ => {}
            }
        }
        match (reason, condition) {
            (Some(reason), Some(condition)) => Ok(Disqualify {
                reason,
                condition,
                span,
            }),
            _ => {
                self.bug(&pair);
                Err(())
            }
        }
    }

    fn lower_group_block(&mut self, pair: Pair<'_, Rule>) -> Result<GroupBlock> {
        let span = span_of(&pair);
        let mut name = None;
        let mut cap = None;
        let mut floor = None;
        let mut criteria = Vec::new();
        for p in pair.clone().into_inner() {
            match p.as_rule() {
                Rule::ident => name = Some(self.lower_ident(p)),
                Rule::group_cap => {
                    if let Some(a) = p.into_inner().find(|p| p.as_rule() == Rule::amount) {
                        cap = self.lower_amount(a).ok();
                    }
                }
                Rule::group_floor => {
                    let bound = p.into_inner().find(|p| p.as_rule() == Rule::signed_amount);
                    if let Some(a) = bound {
                        floor = self.lower_amount(a).ok();
                    }
                }
                Rule::criterion => {
                    if let Ok(c) = self.lower_criterion(p) {
                        criteria.push(c);
                    }
                }
                _ => {}
            }
        }
        let Some(name) = name else {
            self.bug(&pair);
            return Err(());
        };
        Ok(GroupBlock {
            name,
            floor,
            cap,
            criteria,
            span,
        })
    }

    fn lower_criterion(&mut self, pair: Pair<'_, Rule>) -> Result<Criterion> {
        let span = span_of(&pair);
        let mut name = None;
        let mut points = None;
        let mut condition = None;
        let mut decay = None;
        let mut per_unit = None;
        let mut by_value = None;
        for p in pair.clone().into_inner() {
            match p.as_rule() {
                Rule::string => name = Some(self.lower_string(p)),
                Rule::points => points = Some(self.lower_points(p)),
                Rule::per_unit => {
                    let mut amount = None;
                    let mut cap = None;
                    for q in p.clone().into_inner() {
                        match q.as_rule() {
                            Rule::expr => amount = Some(self.lower_expr(q)?),
                            Rule::per_events => amount = Some(self.lower_per_events(q)?),
                            Rule::per_cap => {
                                if let Some(a) =
                                    q.into_inner().find(|p| p.as_rule() == Rule::amount)
                                {
                                    cap = Some(self.lower_amount(a)?);
                                }
                            }
                            _ => {}
                        }
                    }
                    match amount {
                        Some(a) => per_unit = Some((a, cap)),
                        None => {
                            self.bug(&p);
                            return Err(());
                        }
                    }
                }
                Rule::expr => condition = Some(self.lower_expr(p)?),
                Rule::decay => decay = Some(self.lower_decay(p)?),
                Rule::by_value => by_value = Some(self.lower_by_value(p)?),
                _ => {}
            }
        }
        let Some(name) = name else {
            self.bug(&pair);
            return Err(());
        };
        if let Some(body) = by_value {
            return Ok(Criterion {
                name,
                points: None,
                body,
                span,
            });
        }
        let body = match (per_unit, condition) {
            (Some((amount, cap)), condition) => CriterionBody::PerUnit {
                amount,
                cap,
                condition,
                decay,
            },
            (None, Some(condition)) => CriterionBody::When { condition, decay },
            (None, None) => {
                self.bug(&pair);
                return Err(());
            }
        };
        Ok(Criterion {
            name,
            points,
            body,
            span,
        })
    }

    /// `points by FIELD { KEY: POINTS, ..., otherwise POINTS }`.
    fn lower_by_value(&mut self, pair: Pair<'_, Rule>) -> Result<CriterionBody> {
        let mut field = None;
        let mut entries = Vec::new();
        for p in pair.clone().into_inner() {
            match p.as_rule() {
                Rule::ident => field = Some(self.lower_ident(p)),
                Rule::value_entry => entries.push(self.lower_value_entry(p)?),
                _ => {}
            }
        }
        let Some(field) = field else {
            self.bug(&pair);
            return Err(());
        };
        Ok(CriterionBody::ByValue { field, entries })
    }

    fn lower_value_entry(&mut self, pair: Pair<'_, Rule>) -> Result<ValueEntry> {
        let span = span_of(&pair);
        let mut key = None;
        let mut points = None;
        for p in pair.clone().into_inner() {
            let pspan = span_of(&p);
            let k = match p.as_rule() {
                Rule::string => ValueKey::Text(self.lower_string(p).value),
                Rule::signed_number => ValueKey::Number(self.lower_number(p).value),
                Rule::yes_lit => ValueKey::Yes,
                Rule::no_lit => ValueKey::No,
                Rule::entry_points => {
                    points = Some(self.lower_points(p));
                    continue;
                }
                _ => continue,
            };
            key = Some(Spanned::new(k, pspan));
        }
        let Some(points) = points else {
            self.bug(&pair);
            return Err(());
        };
        Ok(ValueEntry { key, points, span })
    }

    /// Points: `+20`, `-2.5`, `+strong` (a criterion's, sign first), or an
    /// entry's `25`, `-5` (sign optional).
    fn lower_points(&mut self, p: Pair<'_, Rule>) -> Spanned<Amount> {
        let pspan = span_of(&p);
        let text = p.as_str();
        let negative = text.starts_with('-');
        let rest = text.trim_start_matches(['+', '-']);
        if !rest.starts_with(|c: char| c.is_ascii_digit()) {
            let name = rest.to_string();
            return Spanned::new(Amount::Named { name, negative }, pspan);
        }
        let digits: String = rest.chars().filter(|c| *c != '_').collect();
        let v = digits.parse::<f64>().unwrap_or(f64::INFINITY);
        if !v.is_finite() {
            self.diags.push(
                Diagnostic::error(Code::InvalidNumber, pspan, "these points are too large")
                    .label("too large"),
            );
        }
        let v = if v.is_finite() { v } else { 0.0 };
        Spanned::new(Amount::Literal(if negative { -v } else { v }), pspan)
    }

    /// A cap or half-life: a number, or the name of a `let` value.
    fn lower_amount(&mut self, pair: Pair<'_, Rule>) -> Result<Spanned<Amount>> {
        let span = span_of(&pair);
        let Some(inner) = pair.clone().into_inner().next() else {
            self.bug(&pair);
            return Err(());
        };
        Ok(match inner.as_rule() {
            Rule::ident => Spanned::new(
                Amount::Named {
                    name: inner.as_str().to_string(),
                    negative: false,
                },
                span,
            ),
            _ => {
                let n = self.lower_number(inner);
                Spanned::new(Amount::Literal(n.value), span)
            }
        })
    }

    fn lower_decay(&mut self, pair: Pair<'_, Rule>) -> Result<Decay> {
        let span = span_of(&pair);
        let mut every = None;
        let mut since = None;
        for p in pair.clone().into_inner() {
            match p.as_rule() {
                Rule::amount => every = Some(self.lower_amount(p)?),
                Rule::ident => since = Some(self.lower_ident(p)),
                _ => {}
            }
        }
        match (every, since) {
            (Some(every_days), since) => Ok(Decay {
                every_days,
                since,
                span,
            }),
            _ => {
                self.bug(&pair);
                Err(())
            }
        }
    }

    fn lower_handoff(&mut self, pair: Pair<'_, Rule>) -> Result<Handoff> {
        let span = span_of(&pair);
        let mut condition = None;
        let mut lines = Vec::new();
        for p in pair.clone().into_inner() {
            match p.as_rule() {
                Rule::expr => condition = Some(self.lower_expr(p)?),
                Rule::handoff_line => {
                    let line_span = span_of(&p);
                    let mut text = None;
                    let mut when = None;
                    for q in p.clone().into_inner() {
                        match q.as_rule() {
                            Rule::kw_matched => {}
                            Rule::string => text = Some(self.lower_string(q)),
                            Rule::expr => when = Some(self.lower_expr(q)?),
                            _ => {}
                        }
                    }
                    lines.push(match text {
                        Some(text) => HandoffLine::Template {
                            text,
                            condition: when,
                            span: line_span,
                        },
                        None => HandoffLine::Matched(line_span),
                    });
                }
                _ => {}
            }
        }
        Ok(Handoff {
            condition,
            lines,
            span,
        })
    }

    fn lower_stage(&mut self, pair: Pair<'_, Rule>) -> Result<Stage> {
        let span = span_of(&pair);
        let mut name = None;
        let mut rule = None;
        for p in pair.clone().into_inner() {
            match p.as_rule() {
                Rule::string => name = Some(self.lower_string(p)),
                Rule::kw_otherwise => rule = Some(StageRule::Otherwise(span_of(&p))),
                Rule::expr => rule = Some(StageRule::When(self.lower_expr(p)?)),
                _ => {}
            }
        }
        match (name, rule) {
            (Some(name), Some(rule)) => Ok(Stage { name, rule, span }),
            _ => {
                self.bug(&pair);
                Err(())
            }
        }
    }

    fn lower_example(&mut self, pair: Pair<'_, Rule>) -> Result<Example> {
        let span = span_of(&pair);
        let mut name = None;
        let mut as_of = None;
        let mut assignments = Vec::new();
        let mut events = Vec::new();
        let mut events_at = Vec::new();
        let mut expectations = Vec::new();
        for p in pair.clone().into_inner() {
            match p.as_rule() {
                Rule::string => name = Some(self.lower_string(p)),
                Rule::example_as_of => {
                    if let Some(d) = p.into_inner().find(|q| q.as_rule() == Rule::date_lit) {
                        as_of = Some(Spanned::new(d.as_str().to_string(), span_of(&d)));
                    }
                }
                Rule::assignment => assignments.push(self.lower_assignment(p)?),
                Rule::example_events => {
                    events_at.push(span_of(&p));
                    for e in p
                        .into_inner()
                        .filter(|q| q.as_rule() == Rule::example_event)
                    {
                        events.push(self.lower_example_event(e)?);
                    }
                }
                Rule::expectation => expectations.push(self.lower_expectation(p)?),
                _ => {}
            }
        }
        let Some(name) = name else {
            self.bug(&pair);
            return Err(());
        };
        Ok(Example {
            name,
            as_of,
            assignments,
            events,
            events_at,
            expectations,
            span,
        })
    }

    fn lower_example_event(&mut self, pair: Pair<'_, Rule>) -> Result<ExampleEvent> {
        let span = span_of(&pair);
        let mut word = None;
        let mut at = None;
        let mut values = Vec::new();
        for p in pair.clone().into_inner() {
            match p.as_rule() {
                Rule::string => word = Some(self.lower_string(p)),
                Rule::ident => word = Some(self.lower_ident(p)),
                Rule::date_lit => at = Some(Spanned::new(p.as_str().to_string(), span_of(&p))),
                Rule::event_value => {
                    let mut it = p.clone().into_inner();
                    let name = self.next(&p, &mut it)?;
                    let field = self.lower_ident(name);
                    let v = self.next(&p, &mut it)?;
                    values.push((field, self.lower_example_value(v)?));
                }
                _ => {}
            }
        }
        let Some(at) = at else {
            self.bug(&pair);
            return Err(());
        };
        Ok(ExampleEvent {
            word,
            at,
            values,
            span,
        })
    }

    fn lower_assignment(&mut self, pair: Pair<'_, Rule>) -> Result<Assignment> {
        let span = span_of(&pair);
        let mut it = pair.clone().into_inner();
        let field_pair = self.next(&pair, &mut it)?;
        let field = self.lower_ident(field_pair);
        let v = self.next(&pair, &mut it)?;
        let value = self.lower_example_value(v)?;
        Ok(Assignment { field, value, span })
    }

    fn lower_example_value(&mut self, v: Pair<'_, Rule>) -> Result<Spanned<ExampleValue>> {
        let vspan = span_of(&v);
        let value = match v.as_rule() {
            Rule::date_lit => ExampleValue::Date(v.as_str().to_string()),
            Rule::number_lit | Rule::signed_number => {
                ExampleValue::Number(self.lower_number(v).value)
            }
            Rule::string => ExampleValue::Text(self.lower_string(v).value),
            Rule::yes_lit => ExampleValue::Yes,
            Rule::no_lit => ExampleValue::No,
            Rule::missing_lit => ExampleValue::Missing,
            _ => {
                self.bug(&v);
                return Err(());
            }
        };
        Ok(Spanned::new(value, vspan))
    }

    fn lower_expectation(&mut self, pair: Pair<'_, Rule>) -> Result<Spanned<Expectation>> {
        let span = span_of(&pair);
        let Some(inner) = pair
            .clone()
            .into_inner()
            .find(|p| p.as_rule() != Rule::kw_expect)
        else {
            self.bug(&pair);
            return Err(());
        };
        let strings = |l: &mut Self, p: Pair<'_, Rule>| -> Vec<Spanned<String>> {
            p.into_inner()
                .filter(|q| q.as_rule() == Rule::string)
                .map(|q| l.lower_string(q))
                .collect()
        };
        let numbers = |l: &mut Self, p: Pair<'_, Rule>| -> Vec<f64> {
            p.into_inner()
                .filter(|q| q.as_rule() == Rule::signed_number)
                .map(|q| {
                    let text: String = q.as_str().chars().filter(|c| *c != '_').collect();
                    match text.parse::<f64>() {
                        Ok(v) if v.is_finite() => v,
                        _ => {
                            l.diags.push(
                                Diagnostic::error(
                                    Code::InvalidNumber,
                                    span_of(&q),
                                    "this number is too large",
                                )
                                .label("too large"),
                            );
                            0.0
                        }
                    }
                })
                .collect()
        };
        let rule = inner.as_rule();
        let exp = match rule {
            Rule::exp_stage | Rule::exp_route | Rule::exp_disqualified => {
                let mut s = strings(self, inner);
                let Some(name) = s.pop() else {
                    self.bug(&pair);
                    return Err(());
                };
                if rule == Rule::exp_stage {
                    Expectation::Stage(name)
                } else if rule == Rule::exp_route {
                    Expectation::Route(name)
                } else {
                    Expectation::Disqualified(name)
                }
            }
            Rule::exp_not_disqualified => Expectation::NotDisqualified,
            Rule::exp_score => match numbers(self, inner).as_slice() {
                [n] => Expectation::Score(*n),
                _ => {
                    self.bug(&pair);
                    return Err(());
                }
            },
            Rule::exp_score_between => match numbers(self, inner).as_slice() {
                [a, b] => Expectation::ScoreBetween(*a, *b),
                _ => {
                    self.bug(&pair);
                    return Err(());
                }
            },
            Rule::exp_matched => Expectation::Matched(strings(self, inner)),
            Rule::exp_not_matched => Expectation::NotMatched(strings(self, inner)),
            _ => {
                self.bug(&inner);
                return Err(());
            }
        };
        Ok(Spanned::new(exp, span))
    }

    // ------------------------------------------------------------ conditions

    fn lower_expr(&mut self, pair: Pair<'_, Rule>) -> Result<Expr> {
        let span = span_of(&pair);
        match pair.as_rule() {
            Rule::expr | Rule::and_expr => {
                let is_or = pair.as_rule() == Rule::expr;
                let mut parts = Vec::new();
                for p in pair.into_inner() {
                    if matches!(p.as_rule(), Rule::kw_or | Rule::kw_and) {
                        continue;
                    }
                    parts.push(self.lower_expr(p)?);
                }
                if parts.len() == 1 {
                    return parts.pop().ok_or(());
                }
                let kind = if is_or {
                    ExprKind::Or(parts)
                } else {
                    ExprKind::And(parts)
                };
                Ok(Expr { kind, span })
            }
            Rule::not_expr => {
                let children: Vec<_> = pair.clone().into_inner().collect();
                let nots: Vec<_> = children
                    .iter()
                    .filter(|p| p.as_rule() == Rule::kw_not)
                    .collect();
                if nots.len() > MAX_REPEAT {
                    self.too_many(span_of(nots[0]), "`not`");
                    return Err(());
                }
                let Some(last) = children.last().cloned() else {
                    self.bug(&pair);
                    return Err(());
                };
                let mut e = self.lower_expr(last)?;
                for kw in nots.iter().rev() {
                    let s = Span::new(kw.as_span().start(), e.span.end);
                    e = Expr {
                        kind: ExprKind::Not(Box::new(e)),
                        span: s,
                    };
                }
                Ok(e)
            }
            Rule::comparison => self.lower_comparison(pair),
            Rule::sum | Rule::product => self.lower_chain(pair),
            Rule::unary => {
                let children: Vec<_> = pair.clone().into_inner().collect();
                let negs: Vec<_> = children
                    .iter()
                    .filter(|p| p.as_rule() == Rule::neg)
                    .collect();
                if negs.len() > MAX_REPEAT {
                    self.too_many(span_of(negs[0]), "`-`");
                    return Err(());
                }
                let Some(last) = children.last().cloned() else {
                    self.bug(&pair);
                    return Err(());
                };
                let mut e = self.lower_expr(last)?;
                for n in negs.iter().rev() {
                    let s = Span::new(n.as_span().start(), e.span.end);
                    e = Expr {
                        kind: ExprKind::Neg(Box::new(e)),
                        span: s,
                    };
                }
                Ok(e)
            }
            _ => self.lower_primary(pair),
        }
    }

    fn too_many(&mut self, span: Span, what: &str) {
        self.diags.push(
            Diagnostic::error(
                Code::TooDeep,
                span,
                format!("more than {MAX_REPEAT} {what} in a row"),
            )
            .label("too many in a row")
            .help("say it once; a double negative can be removed"),
        );
    }

    fn lower_chain(&mut self, pair: Pair<'_, Rule>) -> Result<Expr> {
        let mut it = pair.clone().into_inner();
        let first = self.next(&pair, &mut it)?;
        let mut acc = self.lower_expr(first)?;
        let mut count = 1;
        while let Some(op) = it.next() {
            let op = match op.as_str() {
                "+" => ArithOp::Add,
                "-" => ArithOp::Sub,
                "*" => ArithOp::Mul,
                _ => ArithOp::Div,
            };
            let rhs_pair = self.next(&pair, &mut it)?;
            let rhs = self.lower_expr(rhs_pair)?;
            count += 1;
            if count > MAX_CHAIN {
                self.diags.push(
                    Diagnostic::error(
                        Code::TooDeep,
                        span_of(&pair),
                        format!("this calculation has more than {MAX_CHAIN} terms"),
                    )
                    .label("too long")
                    .help("split it into named parts with `let name = ...`"),
                );
                return Err(());
            }
            let span = acc.span.to(rhs.span);
            acc = Expr {
                kind: ExprKind::Arith(op, Box::new(acc), Box::new(rhs)),
                span,
            };
        }
        Ok(acc)
    }

    fn lower_comparison(&mut self, pair: Pair<'_, Rule>) -> Result<Expr> {
        let span = span_of(&pair);
        let mut it = pair.clone().into_inner();
        let lhs_pair = self.next(&pair, &mut it)?;
        let lhs = self.lower_expr(lhs_pair)?;
        let Some(tail) = it.next() else {
            return Ok(lhs);
        };
        let lhs = Box::new(lhs);
        let rule = tail.as_rule();
        let operands: Vec<Pair<'_, Rule>> = tail
            .clone()
            .into_inner()
            .filter(|p| {
                matches!(
                    p.as_rule(),
                    Rule::sum | Rule::list_lit | Rule::ident | Rule::regex_lit | Rule::compare_op
                )
            })
            .collect();
        let kind = match rule {
            Rule::cmp_op => {
                let [op, rhs] = operands.as_slice() else {
                    self.bug(&tail);
                    return Err(());
                };
                let op = match op.as_str() {
                    "=" => CompareOp::Eq,
                    "!=" => CompareOp::Ne,
                    "<" => CompareOp::Lt,
                    "<=" => CompareOp::Le,
                    ">" => CompareOp::Gt,
                    _ => CompareOp::Ge,
                };
                ExprKind::Compare(op, lhs, Box::new(self.lower_expr(rhs.clone())?))
            }
            Rule::cmp_between => {
                let [lo, hi] = operands.as_slice() else {
                    self.bug(&tail);
                    return Err(());
                };
                let lo = self.lower_expr(lo.clone())?;
                let hi = self.lower_expr(hi.clone())?;
                ExprKind::Between(lhs, Box::new(lo), Box::new(hi))
            }
            Rule::cmp_in | Rule::cmp_not_in => {
                let [list] = operands.as_slice() else {
                    self.bug(&tail);
                    return Err(());
                };
                let list = if list.as_rule() == Rule::list_lit {
                    ListRef::Literal(self.lower_list_lit(list.clone()))
                } else {
                    ListRef::Named(self.lower_ident(list.clone()))
                };
                ExprKind::In {
                    value: lhs,
                    list,
                    negated: rule == Rule::cmp_not_in,
                }
            }
            Rule::cmp_contains | Rule::cmp_starts | Rule::cmp_ends => {
                let [rhs] = operands.as_slice() else {
                    self.bug(&tail);
                    return Err(());
                };
                let op = match rule {
                    Rule::cmp_contains => TextOp::Contains,
                    Rule::cmp_starts => TextOp::StartsWith,
                    _ => TextOp::EndsWith,
                };
                ExprKind::TextTest(op, lhs, Box::new(self.lower_expr(rhs.clone())?))
            }
            Rule::cmp_matches => {
                let [re] = operands.as_slice() else {
                    self.bug(&tail);
                    return Err(());
                };
                let inner = re
                    .clone()
                    .into_inner()
                    .next()
                    .map(|p| p.as_str())
                    .unwrap_or("");
                ExprKind::Matches(lhs, Spanned::new(inner.to_string(), span_of(re)))
            }
            Rule::cmp_is_missing => ExprKind::IsMissing(lhs),
            Rule::cmp_is_present => ExprKind::IsPresent(lhs),
            _ => {
                self.bug(&tail);
                return Err(());
            }
        };
        Ok(Expr { kind, span })
    }

    fn lower_primary(&mut self, pair: Pair<'_, Rule>) -> Result<Expr> {
        let span = span_of(&pair);
        let kind = match pair.as_rule() {
            Rule::paren => {
                let inner = self.next(&pair, &mut pair.clone().into_inner())?;
                ExprKind::Paren(Box::new(self.lower_expr(inner)?))
            }
            Rule::number_lit => ExprKind::Number(self.lower_number(pair).value),
            Rule::string => ExprKind::Text(self.lower_string(pair).value),
            Rule::date_lit => ExprKind::Date(pair.as_str().to_string()),
            Rule::yes_lit => ExprKind::Bool(true),
            Rule::no_lit => ExprKind::Bool(false),
            Rule::score_ref => ExprKind::Score,
            Rule::stage_ref => ExprKind::Stage,
            Rule::ident => ExprKind::Name(pair.as_str().to_string()),
            Rule::matched_ref => {
                let Some(s) = pair
                    .clone()
                    .into_inner()
                    .find(|p| p.as_rule() == Rule::string)
                else {
                    self.bug(&pair);
                    return Err(());
                };
                ExprKind::Matched(self.lower_string(s))
            }
            Rule::at_least => {
                let mut n = None;
                let mut items = Vec::new();
                for p in pair.clone().into_inner() {
                    match p.as_rule() {
                        Rule::number => n = Some(self.lower_number(p)),
                        Rule::expr => items.push(self.lower_expr(p)?),
                        _ => {}
                    }
                }
                let Some(n) = n else {
                    self.bug(&pair);
                    return Err(());
                };
                ExprKind::AtLeast(n, items)
            }
            Rule::call => {
                let mut parts = pair.clone().into_inner();
                let name = self.next(&pair, &mut parts)?;
                let name = Spanned::new(name.as_str().to_string(), span_of(&name));
                let args = parts.map(|p| self.lower_expr(p)).collect::<Result<_>>()?;
                ExprKind::Call(name, args)
            }
            Rule::aggregate => ExprKind::Aggregate(Box::new(self.lower_aggregate(pair)?)),
            Rule::days_since | Rule::business_days_since => {
                let business = pair.as_rule() == Rule::business_days_since;
                let Some(operand) = pair.clone().into_inner().last() else {
                    self.bug(&pair);
                    return Err(());
                };
                let e = Box::new(self.lower_expr(operand)?);
                if business {
                    ExprKind::BusinessDaysSince(e)
                } else {
                    ExprKind::DaysSince(e)
                }
            }
            _ => {
                self.bug(&pair);
                return Err(());
            }
        };
        Ok(Expr { kind, span })
    }
}

impl Lowerer {
    /// `activity where ...` after `per`: an aggregate counting each event.
    fn lower_per_events(&mut self, pair: Pair<'_, Rule>) -> Result<Expr> {
        let span = span_of(&pair);
        let aggregate = self.lower_aggregate_as(pair, Some(AggregateKind::Each))?;
        Ok(Expr {
            kind: ExprKind::Aggregate(Box::new(aggregate)),
            span,
        })
    }

    fn lower_aggregate(&mut self, pair: Pair<'_, Rule>) -> Result<Aggregate> {
        self.lower_aggregate_as(pair, None)
    }

    /// An aggregate's parts; `kind` when the words do not say it.
    fn lower_aggregate_as(
        &mut self,
        pair: Pair<'_, Rule>,
        kind: Option<AggregateKind>,
    ) -> Result<Aggregate> {
        let mut kind = kind;
        let mut events = None;
        let mut filter = None;
        let mut window = None;
        for p in pair.clone().into_inner() {
            match p.as_rule() {
                Rule::agg_kind => {
                    kind = p.into_inner().next().map(|k| match k.as_rule() {
                        Rule::kw_count_of => AggregateKind::Count,
                        Rule::kw_first => AggregateKind::First,
                        _ => AggregateKind::Last,
                    })
                }
                Rule::ident => events = Some(self.lower_ident(p)),
                Rule::agg_where => {
                    let inner = self.next(&p, &mut p.clone().into_inner().skip(1))?;
                    filter = Some(self.lower_expr(inner)?);
                }
                Rule::agg_window => {
                    let w = self.next(&p, &mut p.clone().into_inner())?;
                    window = Some(match w.as_rule() {
                        Rule::agg_since => {
                            let operand = self.next(&w, &mut w.clone().into_inner().skip(1))?;
                            Window::Since(self.lower_expr(operand)?)
                        }
                        _ => {
                            let business = w
                                .clone()
                                .into_inner()
                                .any(|q| q.as_rule() == Rule::kw_business);
                            let Some(n) =
                                w.clone().into_inner().find(|q| q.as_rule() == Rule::number)
                            else {
                                self.bug(&w);
                                return Err(());
                            };
                            Window::Last {
                                days: self.lower_number(n),
                                business,
                            }
                        }
                    });
                }
                _ => {}
            }
        }
        let (Some(kind), Some(events)) = (kind, events) else {
            self.bug(&pair);
            return Err(());
        };
        Ok(Aggregate {
            kind,
            events,
            filter,
            window,
        })
    }
}

fn unescape(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some(other) => out.push(other),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out
}
