//! `stage` in a route's condition: `stage = "sales ready"`, `stage != "nurture"`,
//! `stage in ["a", "b"]` (or a `let` list), `stage not in [...]`.
//!
//! In: the `ast` comparison whose one side is `stage`. Out: yes/no
//! [`ExprKind::StageIs`] leaves (an `or` of them for a list, under `not` when
//! negated), or `None` after a diagnostic: an unknown stage name (with "did
//! you mean"), `stage` outside a route, or `stage` used as anything but a
//! stage name to compare.

use super::expr::{Place, Resolver};
use crate::ast::{self, CompareOp, LetValue, ListItem, ListRef, Span};
use crate::diagnostic::{did_you_mean_quoted, Code, Diagnostic};
use crate::model::{Expr, ExprKind, Type, DISQUALIFIED_STAGE};

type R = Option<Expr>;

fn yes_no(kind: ExprKind, span: Span) -> Expr {
    Expr {
        kind,
        ty: Type::YesNo,
        span,
    }
}

/// `stage`, perhaps in parentheses.
pub(super) fn is_stage(e: &ast::Expr) -> bool {
    match &e.kind {
        ast::ExprKind::Stage => true,
        ast::ExprKind::Paren(inner) => is_stage(inner),
        _ => false,
    }
}

impl Resolver<'_> {
    /// `stage = "S"` or `stage != "S"` (either side); `other` is the side
    /// that is not `stage`.
    pub(super) fn stage_compare(
        &mut self,
        op: CompareOp,
        stage_at: Span,
        other: &ast::Expr,
        span: Span,
    ) -> R {
        self.only_in_routes(stage_at)?;
        let mut other = other;
        while let ast::ExprKind::Paren(inner) = &other.kind {
            other = inner;
        }
        let name = match (&op, &other.kind) {
            (CompareOp::Eq | CompareOp::Ne, ast::ExprKind::Text(t)) => t,
            _ => return self.stage_misused(span),
        };
        let is = yes_no(ExprKind::StageIs(self.stage_ref(name, other.span)?), span);
        Some(match op {
            CompareOp::Ne => yes_no(ExprKind::Not(Box::new(is)), span),
            _ => is,
        })
    }

    /// `stage in [...]`, `stage not in [...]`, the list written or a `let`.
    pub(super) fn stage_in(
        &mut self,
        stage_at: Span,
        list: &ListRef,
        negated: bool,
        span: Span,
    ) -> R {
        self.only_in_routes(stage_at)?;
        let lit = match list {
            ListRef::Literal(l) => l,
            ListRef::Named(n) => match self.scope.lets.get(&n.value).map(|d| &d.value) {
                Some(LetValue::List(l)) => l,
                // The usual `in` reports a condition or an unknown name.
                _ => return self.stage_misused(n.span),
            },
        };
        let mut parts = Vec::new();
        let mut ok = true;
        for item in &lit.items {
            let ListItem::Text(name) = &item.value else {
                self.stage_misused(item.span);
                ok = false;
                continue;
            };
            match self.stage_ref(name, item.span) {
                Some(s) => parts.push(yes_no(ExprKind::StageIs(s), item.span)),
                None => ok = false,
            }
        }
        if !ok {
            return None;
        }
        let any = match parts.len() {
            1 => parts.pop()?,
            _ => yes_no(ExprKind::Or(parts), span),
        };
        Some(if negated {
            yes_no(ExprKind::Not(Box::new(any)), span)
        } else {
            any
        })
    }

    /// `stage` anywhere else: said where it is, and how it is used.
    pub(super) fn stage_alone(&mut self, span: Span) -> R {
        self.only_in_routes(span)?;
        self.stage_misused(span)
    }

    fn stage_misused(&mut self, span: Span) -> R {
        self.diags.push(
            Diagnostic::error(
                Code::TypeMismatch,
                span,
                "`stage` is compared with a stage's name in quotes",
            )
            .label("not a stage name")
            .help("write `stage = \"sales ready\"`, `stage != \"nurture\"` or `stage in [\"sales ready\", \"marketing qualified\"]`"),
        );
        None
    }

    fn only_in_routes(&mut self, span: Span) -> Option<()> {
        if self.place == Place::Route {
            return Some(());
        }
        let place = match self.place {
            Place::Criterion => "a criterion",
            Place::Disqualifier => "a disqualifier",
            _ => "a stage",
        };
        self.diags.push(
            Diagnostic::error(
                Code::StageOutsideRoute,
                span,
                format!("`stage` can only be used in a route, not in {place}"),
            )
            .label("the stage is not known yet here")
            .help("the stage is decided after the criteria, disqualifiers and stages; use it in `route \"owner\" when stage = \"...\"`"),
        );
        None
    }

    /// The index of stage `name` in [`crate::model::Model::stage_names`]:
    /// a declared stage, or `disqualified` (the last).
    fn stage_ref(&mut self, name: &str, span: Span) -> Option<usize> {
        let stages = &self.scope.stages;
        if let Some(i) = stages.iter().position(|s| s == name) {
            return Some(i);
        }
        if name == DISQUALIFIED_STAGE {
            return Some(stages.len());
        }
        let all = stages
            .iter()
            .map(String::as_str)
            .chain([DISQUALIFIED_STAGE]);
        let help = did_you_mean_quoted(name, all.clone()).unwrap_or_else(|| {
            let names: Vec<String> = all.map(|n| format!("\"{n}\"")).collect();
            format!("the stages are {}", names.join(", "))
        });
        self.diags.push(
            Diagnostic::error(
                Code::UnknownStage,
                span,
                format!("unknown stage \"{name}\""),
            )
            .label("no stage has this name")
            .help(help),
        );
        None
    }
}
