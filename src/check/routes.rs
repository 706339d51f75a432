//! Routes: `route "East" when state in east`, `route "Inside sales" otherwise`.
//!
//! In: the definition's `route` items and the checked scope (stages known).
//! Out: [`Model::routes`] in order, with a duplicate name reported. A route
//! after `otherwise`, or a definition whose routes can all fail, is legal
//! (the cell is empty): the lints say so, not the check.

use super::expr::{Place, Resolver};
use super::Scope;
use crate::ast::{self, Item, Span, StageRule};
use crate::diagnostic::Diagnostic;
use crate::model::{self, Model};
use std::collections::HashMap;

pub(super) fn routes(
    def: &ast::Definition,
    scope: &Scope<'_>,
    model: &mut Model,
    diags: &mut Vec<Diagnostic>,
) {
    let mut seen: HashMap<&str, Span> = HashMap::new();
    for item in &def.items {
        let Item::Route(r) = item else { continue };
        if let Some(prev) = seen.get(r.name.value.as_str()) {
            diags.push(
                super::declared_twice(r.name.span, format!("route \"{}\" is declared twice", r.name.value), *prev, "routes are tried in order and the first that holds wins; join the conditions with `or`"),
            );
            continue;
        }
        seen.insert(&r.name.value, r.name.span);
        let condition = match &r.rule {
            StageRule::Otherwise(_) => None,
            StageRule::When(e) => match Resolver::new(scope, diags, Place::Route).condition(e) {
                Some(c) => Some(c),
                None => continue,
            },
        };
        model.routes.push(model::Stage {
            name: r.name.value.clone(),
            condition,
            span: r.span,
        });
    }
}

/// Stage names as the model will hold them: in order, without a reserved
/// `disqualified` or a second of one name (both errors of their own).
pub(super) fn stage_names(def: &ast::Definition) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for item in &def.items {
        let Item::Stage(s) = item else { continue };
        let name = &s.name.value;
        let reserved = name.trim().eq_ignore_ascii_case(model::DISQUALIFIED_STAGE);
        if !reserved && !names.contains(name) {
            names.push(name.clone());
        }
    }
    names
}
