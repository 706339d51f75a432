//! Conditions and values: names resolved, `let`s inlined, types checked.
//!
//! In: an `ast::Expr` and what it may refer to ([`Scope`]). Out: a typed
//! `model::Expr`, or `None` after recording why in the diagnostics.

use super::inlining::{MAX_COPIED_PARTS, MAX_LET_PARTS};
use super::stage_refs;
use super::Scope;
use crate::ast::{self, CompareOp, LetValue, ListItem, ListRef, Span};
use crate::diagnostic::{did_you_mean, did_you_mean_quoted, Code, Diagnostic};
use crate::model::{self, CritId, Expr, ExprKind, Function, Type, Value, ValueSet};
use crate::semantics::text::fold as fold_text;
use std::sync::Arc;

/// Deepest expression after inlining `let`s; bounds every later recursion.
const MAX_DEPTH: usize = 200;

/// Where a condition appears: decides whether `score` and sub-scores may be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    Criterion,
    Disqualifier,
    Stage,
    /// A route's condition (and a `let` where it is declared): scores and
    /// the final `stage` may be used.
    Route,
}

pub struct Resolver<'a> {
    pub scope: &'a Scope<'a>,
    pub diags: &'a mut Vec<Diagnostic>,
    pub place: Place,
    /// Criteria referred to (for the dependency order).
    pub deps: Vec<CritId>,
    let_stack: Vec<String>,
    depth: usize,
}

type R = Option<Expr>;

fn mk(kind: ExprKind, ty: Type, span: Span) -> Expr {
    Expr { kind, ty, span }
}

impl<'a> Resolver<'a> {
    pub fn new(scope: &'a Scope<'a>, diags: &'a mut Vec<Diagnostic>, place: Place) -> Self {
        Resolver {
            scope,
            diags,
            place,
            deps: Vec::new(),
            let_stack: Vec::new(),
            depth: 0,
        }
    }

    fn text(&self, span: Span) -> String {
        let s = self.scope.source.get(span.start..span.end).unwrap_or("");
        let short: String = s.chars().take(60).collect();
        if short.len() < s.len() {
            format!("{short}…")
        } else {
            short
        }
    }

    fn err(&mut self, d: Diagnostic) -> R {
        self.diags.push(d);
        None
    }

    /// A condition: an expression that must be yes/no.
    pub fn condition(&mut self, e: &ast::Expr) -> R {
        let r = self.resolve(e)?;
        if r.ty != Type::YesNo {
            let what = self.text(e.span);
            return self.err(
                Diagnostic::error(
                    Code::TypeMismatch,
                    e.span,
                    format!("a condition must be yes or no, but `{what}` is {}", r.ty.article()),
                )
                .label(format!("this is {}", r.ty.article()))
                .help("compare it with something, e.g. `budget >= 10000` or `job_title contains \"owner\"`"),
            );
        }
        Some(r)
    }

    /// A value of type number (for `per` amounts and arithmetic).
    pub fn number(&mut self, e: &ast::Expr, code: Code, why: &str) -> R {
        let r = self.resolve(e)?;
        if r.ty != Type::Number {
            let what = self.text(e.span);
            return self.err(
                Diagnostic::error(
                    code,
                    e.span,
                    format!("{why}, but `{what}` is {}", r.ty.article()),
                )
                .label(format!("this is {}", r.ty.article()))
                .help("points per unit multiply a number field, e.g. `+2 per pages_viewed`"),
            );
        }
        Some(r)
    }

    pub fn resolve(&mut self, e: &ast::Expr) -> R {
        self.depth += 1;
        let r = if self.depth > MAX_DEPTH {
            self.err(
                Diagnostic::error(Code::TooDeep, e.span, "this condition is nested too deeply")
                    .label("too deep")
                    .help("simplify the condition or the `let`s it uses"),
            )
        } else {
            self.resolve_inner(e)
        };
        self.depth -= 1;
        r
    }

    fn resolve_inner(&mut self, e: &ast::Expr) -> R {
        use ast::ExprKind as A;
        let span = e.span;
        match &e.kind {
            A::Number(n) => Some(mk(ExprKind::Const(Value::Number(*n)), Type::Number, span)),
            A::Text(t) => Some(mk(
                ExprKind::Const(Value::Text(t.clone())),
                Type::Text,
                span,
            )),
            A::Bool(b) => Some(mk(ExprKind::Const(Value::Bool(*b)), Type::YesNo, span)),
            A::Date(d) => {
                let days = self.date_literal(d, span)?;
                Some(mk(ExprKind::Const(Value::Date(days)), Type::Date, span))
            }
            A::Name(name) => self.name(name, span),
            A::Score => {
                self.only_in_stages("score", span)?;
                Some(mk(ExprKind::Score, Type::Number, span))
            }
            A::Stage => self.stage_alone(span),
            A::Compare(op, l, r) if stage_refs::is_stage(l) => {
                self.stage_compare(*op, l.span, r, span)
            }
            A::Compare(op, l, r) if stage_refs::is_stage(r) => {
                self.stage_compare(*op, r.span, l, span)
            }
            A::In {
                value,
                list,
                negated,
            } if stage_refs::is_stage(value) => self.stage_in(value.span, list, *negated, span),
            A::Matched(name) => {
                let id = self.criterion_ref(name)?;
                Some(mk(ExprKind::Matched(id), Type::YesNo, span))
            }
            A::AtLeast(n, items) => self.at_least(n, items, span),
            A::DaysSince(inner) | A::BusinessDaysSince(inner) => {
                let v = self.resolve(inner)?;
                if v.ty != Type::Date {
                    let what = self.text(inner.span);
                    return self.err(
                        Diagnostic::error(
                            Code::TypeMismatch,
                            inner.span,
                            format!(
                                "`days since` needs a date, but `{what}` is {}",
                                v.ty.article()
                            ),
                        )
                        .label(format!("this is {}", v.ty.article()))
                        .help(self.fields_of_type(Type::Date)),
                    );
                }
                let kind = if matches!(e.kind, A::DaysSince(_)) {
                    ExprKind::DaysSince(Box::new(v))
                } else {
                    ExprKind::BusinessDaysSince(Box::new(v))
                };
                Some(mk(kind, Type::Number, span))
            }
            A::Paren(inner) => {
                let mut r = self.resolve(inner)?;
                r.span = span;
                Some(r)
            }
            A::Neg(inner) => {
                let v = self.operand(inner, Type::Number, "`-`")?;
                Some(mk(ExprKind::Neg(Box::new(v)), Type::Number, span))
            }
            A::Not(inner) => {
                let v = self.condition(inner)?;
                Some(mk(ExprKind::Not(Box::new(v)), Type::YesNo, span))
            }
            A::And(parts) | A::Or(parts) => {
                let resolved: Vec<R> = parts.iter().map(|p| self.condition(p)).collect();
                let parts: Vec<Expr> = resolved.into_iter().collect::<Option<_>>()?;
                let kind = if matches!(e.kind, A::And(_)) {
                    ExprKind::And(parts)
                } else {
                    ExprKind::Or(parts)
                };
                Some(mk(kind, Type::YesNo, span))
            }
            A::Arith(op, l, r) => {
                let what = format!("`{}`", op.symbol());
                let l = self.operand(l, Type::Number, &what);
                let r = self.operand(r, Type::Number, &what);
                Some(mk(
                    ExprKind::Arith(*op, Box::new(l?), Box::new(r?)),
                    Type::Number,
                    span,
                ))
            }
            A::Compare(op, l, r) => self.compare(*op, l, r, span),
            A::Between(v, lo, hi) => {
                let v = self.resolve(v)?;
                if !matches!(v.ty, Type::Number | Type::Date) {
                    let what = self.text(v.span);
                    return self.err(
                        Diagnostic::error(
                            Code::TypeMismatch,
                            v.span,
                            format!(
                                "`between` compares numbers or dates, but `{what}` is {}",
                                v.ty.article()
                            ),
                        )
                        .label(format!("this is {}", v.ty.article()))
                        .help("for text, use `in [\"a\", \"b\"]`"),
                    );
                }
                let lo = self.same_type(&v, lo, "between");
                let hi = self.same_type(&v, hi, "between");
                Some(mk(
                    ExprKind::Between(Box::new(v), Box::new(lo?), Box::new(hi?)),
                    Type::YesNo,
                    span,
                ))
            }
            A::In {
                value,
                list,
                negated,
            } => self.in_list(value, list, *negated, span),
            A::TextTest(op, l, r) => {
                let what = format!("`{}`", op.words());
                let l = self.operand(l, Type::Text, &what);
                let r = self.operand(r, Type::Text, &what);
                Some(mk(
                    ExprKind::TextTest(*op, Box::new(l?), Box::new(r?)),
                    Type::YesNo,
                    span,
                ))
            }
            A::Matches(v, re) => {
                let v = self.operand(v, Type::Text, "`matches`");
                let regex = self.regex(re)?;
                Some(mk(
                    ExprKind::Matches(Box::new(v?), regex),
                    Type::YesNo,
                    span,
                ))
            }
            A::Call(name, args) => self.call(name, args, span),
            A::Aggregate(agg) => super::events::aggregate(self, agg, span),
            A::IsMissing(v) => {
                let v = self.resolve(v)?;
                Some(mk(ExprKind::IsMissing(Box::new(v)), Type::YesNo, span))
            }
            A::IsPresent(v) => {
                let v = self.resolve(v)?;
                Some(mk(ExprKind::IsPresent(Box::new(v)), Type::YesNo, span))
            }
        }
    }

    /// `name(args)`: a known function, with its number and types of arguments.
    fn call(&mut self, name: &ast::Spanned<String>, args: &[ast::Expr], span: Span) -> R {
        let f = match name.value.as_str() {
            "min" => Function::Min,
            "max" => Function::Max,
            "round" => Function::Round(0),
            "floor" => Function::Floor,
            "default" => Function::Default,
            other => {
                let list = Function::NAMES.map(|n| format!("`{n}`")).join(", ");
                // Names this short are too short for Jaro-Winkler alone: `mni`
                // is one swap from `min`, `rnd` two letters from `round`.
                let swapped = || {
                    let lower = other.to_lowercase();
                    Function::NAMES
                        .into_iter()
                        .map(|n| (strsim::osa_distance(&lower, n), n))
                        .filter(|&(d, _)| d <= 2 && d < lower.chars().count())
                        .min_by_key(|&(d, _)| d)
                        .map(|(_, n)| format!("did you mean `{n}`?"))
                };
                let help = match did_you_mean(other, Function::NAMES).or_else(swapped) {
                    Some(close) => format!("{close} the functions are {list}"),
                    None => format!("the functions are {list}"),
                };
                return self.err(
                    Diagnostic::error(
                        Code::UnknownFunction,
                        name.span,
                        format!("there is no function `{other}`"),
                    )
                    .label("not a function")
                    .help(help),
                );
            }
        };
        let fname = f.name();
        let takes = match f {
            Function::Round(_) => "one or two arguments: `round(x)` or `round(x, 2)`",
            Function::Floor => "one argument: `floor(x)`",
            Function::Min | Function::Max => "two arguments, e.g. `min(a, b)`",
            Function::Default => "two arguments: `default(x, 0)`",
        };
        let count_ok = match f {
            Function::Round(_) => matches!(args.len(), 1 | 2),
            Function::Floor => args.len() == 1,
            _ => args.len() == 2,
        };
        if !count_ok {
            return self.err(
                Diagnostic::error(
                    Code::WrongArguments,
                    span,
                    format!(
                        "`{fname}` takes {takes}, but this call has {}",
                        crate::plural::count(args.len(), "argument", "arguments")
                    ),
                )
                .label("wrong number of arguments"),
            );
        }
        let what = format!("`{fname}`");
        match f {
            Function::Round(_) | Function::Floor => {
                // Both arguments are checked, so both errors are told at once.
                let x = self.operand(&args[0], Type::Number, &what);
                let places = args.get(1).map(|n| self.decimal_places(n));
                let x = x?;
                let f = match places {
                    Some(places) => Function::Round(places?),
                    None => f,
                };
                Some(mk(ExprKind::Call(f, vec![x]), Type::Number, span))
            }
            Function::Min | Function::Max => {
                let a = self.resolve(&args[0])?;
                if !matches!(a.ty, Type::Number | Type::Date) {
                    return self.wrong_argument(fname, 1, &args[0], a.ty, "numbers or dates");
                }
                let b = self.same_type(&a, &args[1], fname)?;
                let ty = a.ty;
                Some(mk(ExprKind::Call(f, vec![a, b]), ty, span))
            }
            Function::Default => {
                let x = self.resolve(&args[0])?;
                if x.ty == Type::Text {
                    return self.wrong_argument(
                        fname,
                        1,
                        &args[0],
                        x.ty,
                        "a number, a date or a yes/no value (not text)",
                    );
                }
                let v = self.same_type(&x, &args[1], fname)?;
                let ty = x.ty;
                Some(mk(ExprKind::Call(f, vec![x, v]), ty, span))
            }
        }
    }

    /// `round(x, n)`'s `n`: a whole number 0..=9 written out.
    fn decimal_places(&mut self, n: &ast::Expr) -> Option<u8> {
        let max = crate::semantics::function::MAX_DIGITS;
        match &n.kind {
            ast::ExprKind::Number(v) if v.fract() == 0.0 && *v <= f64::from(max) => Some(*v as u8),
            _ => {
                let what = self.text(n.span);
                self.err(
                    Diagnostic::error(
                        Code::WrongArguments,
                        n.span,
                        format!(
                            "`round`'s second argument is the number of decimal places, a whole number from 0 to {max} written out, but it is `{what}`"
                        ),
                    )
                    .label("not 0 to 9")
                    .help("write e.g. `round(budget / 1000, 1)`"),
                );
                None
            }
        }
    }

    /// A call's argument `nth` (from 1) of type `got`, where `wants` was due.
    fn wrong_argument(
        &mut self,
        fname: &str,
        nth: usize,
        arg: &ast::Expr,
        got: Type,
        wants: &str,
    ) -> R {
        let what = self.text(arg.span);
        self.err(
            Diagnostic::error(
                Code::WrongArguments,
                arg.span,
                format!(
                    "`{fname}`'s argument {nth} must be {wants}, but `{what}` is {}",
                    got.article()
                ),
            )
            .label(format!("this is {}", got.article())),
        )
    }

    fn fields_of_type(&self, ty: Type) -> String {
        let names: Vec<String> = self
            .scope
            .fields
            .iter()
            .filter(|f| f.ty == ty)
            .map(|f| format!("`{}`", f.name))
            .collect();
        if names.is_empty() {
            format!("no field is {}; declare one in `fields`", ty.article())
        } else {
            format!("fields that are {}: {}", ty.article(), names.join(", "))
        }
    }

    fn only_in_stages(&mut self, what: &str, span: Span) -> Option<()> {
        if matches!(self.place, Place::Stage | Place::Route) {
            return Some(());
        }
        let place = match self.place {
            Place::Criterion => "a criterion",
            _ => "a disqualifier",
        };
        self.diags.push(
            Diagnostic::error(
                Code::ScoreOutsideStage,
                span,
                format!("`{what}` can only be used in a stage, not in {place}"),
            )
            .label("the score is not known yet here")
            .help("scores are added up from the criteria; use `matched \"criterion\"` to depend on another criterion"),
        );
        None
    }

    fn date_literal(&mut self, text: &str, span: Span) -> Option<i32> {
        match chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d") {
            Ok(d) => Some(model::days_from_date(d)),
            Err(_) => {
                self.diags.push(
                    Diagnostic::error(Code::InvalidDate, span, format!("`{text}` is not a date"))
                        .label("no such day")
                        .help("dates are written year-month-day, e.g. `2026-11-05`"),
                );
                None
            }
        }
    }

    fn name(&mut self, name: &str, span: Span) -> R {
        if let Some(id) = self.scope.field_id(name) {
            let f = &self.scope.fields[id];
            return Some(mk(ExprKind::Field(id), f.ty, span));
        }
        if let Some(decl) = self.scope.lets.get(name).copied() {
            return match &decl.value {
                LetValue::Condition(body) => {
                    if self.let_stack.iter().any(|n| n == name) {
                        let chain = self.let_stack.join("` → `");
                        return self.err(
                            Diagnostic::error(
                                Code::Cycle,
                                span,
                                format!("`{name}` refers to itself: `{chain}` → `{name}`"),
                            )
                            .label("used inside its own definition")
                            .related(decl.name.span, "defined here"),
                        );
                    }
                    if !self.may_copy(name, span) {
                        return None;
                    }
                    self.let_stack.push(name.to_string());
                    let r = self.resolve(body);
                    self.let_stack.pop();
                    r.map(|mut e| {
                        e.span = span;
                        e
                    })
                }
                LetValue::List(_) => self.err(
                    Diagnostic::error(
                        Code::TypeMismatch,
                        span,
                        format!("`{name}` is a list, not a value"),
                    )
                    .label("a list")
                    .help(format!("use a list with `in`, e.g. `state in {name}`")),
                ),
            };
        }
        if let Some(gid) = self.scope.group_id(name) {
            self.only_in_stages(name, span)?;
            return Some(mk(ExprKind::GroupScore(gid), Type::Number, span));
        }
        if let Some(d) = super::events::lead_field_in_where(self.scope, name, span) {
            return self.err(d);
        }
        let candidates = self.scope.value_names();
        let help = did_you_mean(name, candidates.iter().map(String::as_str)).unwrap_or_else(|| {
            format!(
                "declare it in `fields`, or use one of: {}",
                self.scope
                    .fields
                    .iter()
                    .map(|f| format!("`{}`", f.name))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        });
        // A near miss of a sub-score is an unknown group, not an unknown field.
        let meant_group = crate::diagnostic::closest(name, candidates.iter().map(String::as_str))
            .is_some_and(|c| self.scope.group_id(c).is_some());
        let (code, what) = if meant_group {
            (Code::UnknownGroup, "sub-score")
        } else {
            (Code::UnknownField, "field")
        };
        self.err(
            Diagnostic::error(code, span, format!("unknown {what} `{name}`"))
                .label("not declared")
                .help(help),
        )
    }

    /// A `let` condition where it is declared: refused when it is too large
    /// written out (reported here, once, at the first `let` that is).
    pub fn declared_let(&mut self, name: &ast::Name, body: &ast::Expr) -> R {
        let scope = self.scope;
        if let Some(size) = scope.inlining.size(scope, &name.value) {
            if size.first_too_large {
                self.diags.push(
                    Diagnostic::error(
                        Code::TooLarge,
                        name.span,
                        format!(
                            "`{}` is too large: written out, it has {} parts (at most {MAX_LET_PARTS})",
                            name.value, size.parts
                        ),
                    )
                    .label("every use of a `let` is a copy of it")
                    .help("a `let` that uses another twice is twice as large, and each `let` built on it doubles again; use each `let` once in another, or make the shared part a criterion and refer to it with `matched`"),
                );
            }
            if size.too_large() {
                return None;
            }
        }
        self.resolve(body)
    }

    /// Whether the `let` condition `name` may be copied in here: not when it
    /// is too large (its declaration says so, or the one it is built on),
    /// nor when the copies in the definition add up past the limit (said
    /// once, at the copy that goes past it).
    fn may_copy(&mut self, name: &str, span: Span) -> bool {
        let scope = self.scope;
        let inlining = &scope.inlining;
        let Some(size) = inlining.size(scope, name) else {
            return true;
        };
        if size.too_large() {
            return false;
        }
        // A `let` inside another is part of the outer copy, counted already.
        if !self.let_stack.is_empty() || inlining.copy(size.parts) {
            return true;
        }
        if inlining.first_time_over() {
            self.diags.push(
                Diagnostic::error(
                    Code::TooLarge,
                    span,
                    format!(
                        "written out where they are used, the `let`s of this definition add up to more than {MAX_COPIED_PARTS} parts"
                    ),
                )
                .label(format!("this copy of `{name}` ({} parts) goes past the limit", size.parts))
                .help("every use of a `let` is a copy of it; use the large `let`s in fewer places, or make the shared part a criterion and refer to it with `matched`"),
            );
        }
        false
    }

    fn criterion_ref(&mut self, name: &ast::Spanned<String>) -> Option<CritId> {
        match self.scope.criterion_id(&name.value) {
            Some(id) => {
                self.deps.push(id);
                Some(id)
            }
            None => {
                let help = did_you_mean_quoted(
                    &name.value,
                    self.scope.criteria.iter().map(|c| c.0.as_str()),
                )
                .unwrap_or_else(|| "criteria are named in `criterion \"name\" ...`".into());
                self.diags.push(
                    Diagnostic::error(
                        Code::UnknownCriterion,
                        name.span,
                        format!("unknown criterion \"{}\"", name.value),
                    )
                    .label("no criterion has this name")
                    .help(help),
                );
                None
            }
        }
    }

    fn at_least(&mut self, n: &ast::Spanned<f64>, items: &[ast::Expr], span: Span) -> R {
        let mut parts = Vec::new();
        let mut ok = true;
        for item in items {
            // A bare name in quotes means the criterion of that name.
            let r = match &item.kind {
                ast::ExprKind::Text(t) => self
                    .criterion_ref(&ast::Spanned::new(t.clone(), item.span))
                    .map(|id| mk(ExprKind::Matched(id), Type::YesNo, item.span)),
                _ => self.condition(item),
            };
            match r {
                Some(r) => parts.push(r),
                None => ok = false,
            }
        }
        if n.value.fract() != 0.0 || n.value < 0.0 {
            return self.err(
                Diagnostic::error(
                    Code::InvalidNumber,
                    n.span,
                    "`at least` needs a whole number",
                )
                .label("not a whole number"),
            );
        }
        if !ok {
            return None;
        }
        Some(mk(
            ExprKind::AtLeast(n.value as usize, parts),
            Type::YesNo,
            span,
        ))
    }

    /// Resolve `e` and require type `ty`.
    fn operand(&mut self, e: &ast::Expr, ty: Type, op: &str) -> R {
        let r = self.resolve(e)?;
        if r.ty != ty {
            let what = self.text(e.span);
            return self.err(
                Diagnostic::error(
                    Code::TypeMismatch,
                    e.span,
                    format!(
                        "{op} needs {}, but `{what}` is {}",
                        ty.article(),
                        r.ty.article()
                    ),
                )
                .label(format!("this is {}", r.ty.article()))
                .help(self.fields_of_type(ty)),
            );
        }
        Some(r)
    }

    /// Resolve `e` and require the type of `like`; check `one of` values.
    fn same_type(&mut self, like: &Expr, e: &ast::Expr, op: &str) -> R {
        let r = self.resolve(e)?;
        if r.ty != like.ty {
            let a = self.text(like.span);
            let b = self.text(e.span);
            return self.err(
                Diagnostic::error(
                    Code::TypeMismatch,
                    e.span,
                    format!(
                        "cannot use `{op}` on `{a}` ({}) and `{b}` ({})",
                        like.ty.article(),
                        r.ty.article()
                    ),
                )
                .label(format!("this is {}", r.ty.article()))
                .related(like.span, format!("this is {}", like.ty.article()))
                .help(type_hint(like.ty, r.ty)),
            );
        }
        self.check_one_of(like, &r)?;
        self.check_one_of(&r, like)?;
        Some(r)
    }

    /// When `field` is a `one of` field and `value` a text constant, the constant
    /// must be one of its values.
    fn check_one_of(&mut self, field: &Expr, value: &Expr) -> Option<()> {
        let (ExprKind::Field(fid), ExprKind::Const(Value::Text(t))) = (&field.kind, &value.kind)
        else {
            return Some(());
        };
        self.one_of_value(*fid, t, value.span)
    }

    pub(super) fn one_of_value(&mut self, fid: usize, t: &str, span: Span) -> Option<()> {
        let f = &self.scope.fields[fid];
        let Some(allowed) = &f.one_of else {
            return Some(());
        };
        if allowed.iter().any(|a| fold_text(a) == fold_text(t)) {
            return Some(());
        }
        let list = allowed
            .iter()
            .map(|v| format!("\"{v}\""))
            .collect::<Vec<_>>()
            .join(", ");
        let close = did_you_mean_quoted(t, allowed.iter().map(String::as_str));
        self.diags.push(
            Diagnostic::error(
                Code::NotInOneOf,
                span,
                format!("\"{t}\" is not one of the values of `{}`", f.name),
            )
            .label("not an allowed value")
            .help(match close {
                Some(c) => format!("{c} `{}` is one of {list}", f.name),
                None => format!("`{}` is one of {list}", f.name),
            }),
        );
        None
    }

    fn compare(&mut self, op: CompareOp, l: &ast::Expr, r: &ast::Expr, span: Span) -> R {
        let l = self.resolve(l)?;
        let r = self.same_type(&l, r, op.symbol())?;
        let ordered = !matches!(op, CompareOp::Eq | CompareOp::Ne);
        if ordered && matches!(l.ty, Type::Text | Type::YesNo) {
            let what = self.text(l.span);
            return self.err(
                Diagnostic::error(
                    Code::TypeMismatch,
                    span,
                    format!(
                        "`{}` compares numbers or dates, but `{what}` is {}",
                        op.symbol(),
                        l.ty.article()
                    ),
                )
                .label("cannot be ordered")
                .help("for text, use `=`, `in`, `contains`, `starts with` or `matches`"),
            );
        }
        Some(mk(
            ExprKind::Compare(op, Box::new(l), Box::new(r)),
            Type::YesNo,
            span,
        ))
    }

    fn in_list(&mut self, value: &ast::Expr, list: &ListRef, negated: bool, span: Span) -> R {
        let v = self.resolve(value)?;
        let lit = match list {
            ListRef::Literal(l) => l,
            ListRef::Named(n) => match self.scope.lets.get(&n.value).map(|d| &d.value) {
                Some(LetValue::List(l)) => l,
                Some(LetValue::Condition(_)) => {
                    return self.err(
                        Diagnostic::error(
                            Code::TypeMismatch,
                            n.span,
                            format!("`{}` is a condition, not a list", n.value),
                        )
                        .label("not a list")
                        .help(format!(
                            "declare a list with `let {} = [\"a\", \"b\"]`",
                            n.value
                        )),
                    )
                }
                None => {
                    let lists = self.scope.list_names();
                    let help = did_you_mean(&n.value, lists.iter().map(String::as_str))
                        .unwrap_or_else(|| {
                            format!("declare it with `let {} = [\"a\", \"b\"]`", n.value)
                        });
                    return self.err(
                        Diagnostic::error(
                            Code::UnknownList,
                            n.span,
                            format!("unknown list `{}`", n.value),
                        )
                        .label("no list has this name")
                        .help(help),
                    );
                }
            },
        };
        let mut set = ValueSet {
            shown: Vec::new(),
            texts: Vec::new(),
            numbers: Vec::new(),
            dates: Vec::new(),
        };
        let mut ok = true;
        for item in &lit.items {
            let (ty, val) = match &item.value {
                ListItem::Text(t) => (Type::Text, Value::Text(t.clone())),
                ListItem::Number(n) => (Type::Number, Value::Number(*n)),
                ListItem::Date(d) => match self.date_literal(d, item.span) {
                    Some(days) => (Type::Date, Value::Date(days)),
                    None => {
                        ok = false;
                        continue;
                    }
                },
            };
            if ty != v.ty {
                let what = self.text(v.span);
                self.diags.push(
                    Diagnostic::error(
                        Code::TypeMismatch,
                        item.span,
                        format!(
                            "`{what}` is {}, but this list item is {}",
                            v.ty.article(),
                            ty.article()
                        ),
                    )
                    .label(format!("this is {}", ty.article()))
                    .related(v.span, format!("this is {}", v.ty.article()))
                    .help(type_hint(v.ty, ty)),
                );
                ok = false;
                continue;
            }
            if let (ExprKind::Field(fid), Value::Text(t)) = (&v.kind, &val) {
                if self.one_of_value(*fid, t, item.span).is_none() {
                    ok = false;
                    continue;
                }
            }
            match &val {
                Value::Text(t) => set.texts.push(fold_text(t)),
                Value::Number(n) => set.numbers.push(*n),
                Value::Date(d) => set.dates.push(*d),
                _ => {}
            }
            set.shown.push(val);
        }
        if !ok {
            return None;
        }
        let kind = ExprKind::In {
            value: Box::new(v),
            set: Arc::new(set),
            negated,
        };
        Some(mk(kind, Type::YesNo, span))
    }

    fn regex(&mut self, re: &ast::Spanned<String>) -> Option<Arc<regex::Regex>> {
        match regex::RegexBuilder::new(&re.value)
            .case_insensitive(true)
            .size_limit(1 << 20)
            .build()
        {
            Ok(r) => Some(Arc::new(r)),
            Err(err) => {
                let detail = match &err {
                    regex::Error::Syntax(s) => {
                        let last = s.lines().last().unwrap_or("").trim();
                        last.strip_prefix("error: ").unwrap_or(last).to_string()
                    }
                    regex::Error::CompiledTooBig(_) => "the pattern is too large".to_string(),
                    _ => err.to_string(),
                };
                self.diags.push(
                    Diagnostic::error(Code::InvalidRegex, re.span, format!("invalid regular expression: {detail}"))
                        .label("cannot be read as a pattern")
                        .help("a pattern is words separated by `|`, e.g. /owner|director/; escape ( ) [ ] . * + ? with a backslash"),
                );
                None
            }
        }
    }
}

fn type_hint(want: Type, got: Type) -> String {
    match (want, got) {
        (Type::Number, Type::Text) => "write numbers without quotes, e.g. `10000`".into(),
        (Type::Text, Type::Number) => "put text in double quotes, e.g. `\"500\"`".into(),
        (Type::Date, Type::Text) => "write dates without quotes, e.g. `2026-11-05`".into(),
        (Type::YesNo, _) => {
            "a yes/no field is compared with `yes` or `no`, or used alone as a condition".into()
        }
        (Type::Date, Type::Number) => {
            "to compare an age in days, use `days since field > 30`".into()
        }
        _ => "both sides of a comparison must be of the same type".into(),
    }
}
