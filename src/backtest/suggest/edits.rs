//! Text edits to a definition: new points, caps and score thresholds written
//! into the source text in place, so comments and layout stay as they were.
//!
//! In: the syntax tree and checked model of the definition as written, and the
//! values to write. Out: the edited text (load it again to check it).

use crate::ast::{CompareOp, CriterionBody, Definition, Item, Span};
use crate::model::{format_literal, Expr, ExprKind, Value};

/// Replace `span` of the text with `text`.
#[derive(Debug, Clone, PartialEq)]
pub struct Edit {
    pub span: Span,
    pub text: String,
}

/// Where a criterion's points and cap are written.
#[derive(Debug, Clone, Copy)]
pub struct PointSpans {
    pub points: Span,
    pub cap: Option<Span>,
}

/// Per criterion name, where its points (and per-unit cap) are written.
pub fn point_spans(ast: &Definition) -> Vec<(String, PointSpans)> {
    let mut out = Vec::new();
    let mut add = |c: &crate::ast::Criterion| {
        if let Some(p) = &c.points {
            let cap = match &c.body {
                CriterionBody::PerUnit { cap, .. } => cap.as_ref().map(|c| c.span),
                CriterionBody::When { .. } | CriterionBody::ByValue { .. } => None,
            };
            out.push((
                c.name.value.clone(),
                PointSpans {
                    points: p.span,
                    cap,
                },
            ));
        }
    };
    for item in &ast.items {
        match item {
            Item::Criterion(c) => add(c),
            Item::Group(g) => g.criteria.iter().for_each(&mut add),
            _ => {}
        }
    }
    out
}

/// A lower bound on the score inside a stage condition: `score >= N`,
/// `score > N`, `N <= score`, `N < score`.
pub struct Threshold<'e> {
    /// `>`: the score must exceed the value (else reach it).
    pub strict: bool,
    pub value: &'e mut f64,
    pub span: Span,
}

/// Call `f` on every score threshold in `expr`, in a fixed (pre-order) order.
pub fn for_each_threshold(expr: &mut Expr, f: &mut dyn FnMut(Threshold)) {
    match &mut expr.kind {
        ExprKind::Compare(op, l, r) => {
            let op = *op;
            let (score_left, score_right) = (
                matches!(l.kind, ExprKind::Score),
                matches!(r.kind, ExprKind::Score),
            );
            let strict = match (op, score_left, score_right) {
                (CompareOp::Ge, true, _) | (CompareOp::Le, _, true) => Some(false),
                (CompareOp::Gt, true, _) | (CompareOp::Lt, _, true) => Some(true),
                _ => None,
            };
            if let (Some(strict), true) = (strict, score_left || score_right) {
                let constant = if score_left { &mut **r } else { &mut **l };
                let span = constant.span;
                if let ExprKind::Const(Value::Number(value)) = &mut constant.kind {
                    f(Threshold {
                        strict,
                        value,
                        span,
                    });
                    return;
                }
            }
            for_each_threshold(l, f);
            for_each_threshold(r, f);
        }
        ExprKind::AtLeast(_, items) | ExprKind::And(items) | ExprKind::Or(items) => {
            items.iter_mut().for_each(|e| for_each_threshold(e, f))
        }
        ExprKind::Not(x) | ExprKind::Neg(x) => for_each_threshold(x, f),
        _ => {}
    }
}

/// Signed points as the language writes them: `+20`, `-5`, `+0`, `+1.5`.
pub fn signed(points: f64) -> String {
    if points < 0.0 {
        format!("-{}", format_literal(-points))
    } else {
        format!("+{}", format_literal(points))
    }
}

/// `text` with `edits` applied (edits must not overlap).
pub fn apply(text: &str, edits: &[Edit]) -> String {
    let mut sorted: Vec<&Edit> = edits.iter().collect();
    sorted.sort_by_key(|e| e.span.start);
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for e in sorted {
        if e.span.start < at || e.span.end > text.len() {
            continue;
        }
        out.push_str(&text[at..e.span.start]);
        out.push_str(&e.text);
        at = e.span.end;
    }
    out.push_str(&text[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_replace_in_place_whatever_their_order() {
        let text = "criterion \"a\" +20 when x\nstage \"s\" when score >= 50\n";
        let edits = vec![
            Edit {
                span: Span::new(49, 51),
                text: "35".into(),
            },
            Edit {
                span: Span::new(14, 17),
                text: "-4".into(),
            },
        ];
        assert_eq!(
            apply(text, &edits),
            "criterion \"a\" -4 when x\nstage \"s\" when score >= 35\n"
        );
        assert_eq!(signed(0.0), "+0");
        assert_eq!(signed(-1.5), "-1.5");
    }
}
