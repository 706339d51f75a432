//! Routes: one that can never be reached (after an `otherwise`, or covered by
//! the routes above it, as for stages), and routes that may leave an inquiry
//! with no route (none is `otherwise`).
//!
//! In: the checked model. Out: findings.

use super::stages::covered;
use super::{quoted, Finding};
use crate::ast::Span;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::Model;

pub(super) fn run(model: &Model, tight: &dyn Fn(Span) -> Span, out: &mut Vec<Finding>) {
    let routes = &model.routes;
    let Some(last) = routes.last() else {
        return;
    };
    let otherwise = routes.iter().position(|r| r.condition.is_none());
    // Routes up to the first `otherwise`: covered by earlier ones?
    let live = otherwise.map_or(routes.len(), |o| o + 1);
    for (k, cover) in covered(model, &routes[..live]) {
        let route = &routes[k];
        let mut diag = unreachable(route.span, &route.name, tight);
        diag = match cover.map(|j| &routes[j]) {
            Some(c) => diag
                .label(format!(
                    "every inquiry that meets this goes to {} first",
                    quoted(&c.name)
                ))
                .related(tight(c.span), "this route comes first"),
            None => diag.label("the routes above take every inquiry that meets this"),
        };
        out.push(Finding {
            diagnostic: diag,
            owner: route.span,
        });
    }
    // Everything after the first `otherwise`.
    if let Some(o) = otherwise {
        for route in &routes[o + 1..] {
            let diag = unreachable(route.span, &route.name, tight)
                .label("after `otherwise`, which takes every inquiry left")
                .related(tight(routes[o].span), "every inquiry left stops here");
            out.push(Finding {
                diagnostic: diag,
                owner: route.span,
            });
        }
        return;
    }
    out.push(Finding {
        diagnostic: Diagnostic::warning(
            Code::NoRoute,
            tight(last.span),
            "an inquiry no route takes gets no route (an empty `route` cell)",
        )
        .label("the last route: no `otherwise` after it")
        .help("end the routes with one that takes the rest, e.g. `route \"inside sales\" otherwise`, or say `# allow: no-route` if an empty route is meant"),
        owner: last.span,
    });
}

fn unreachable(span: Span, name: &str, tight: &dyn Fn(Span) -> Span) -> Diagnostic {
    Diagnostic::warning(
        Code::UnreachableRoute,
        tight(span),
        format!("route {} can never be reached", quoted(name)),
    )
    .help("the first route that holds wins; move this route above the one that covers it, or narrow the earlier routes")
}
