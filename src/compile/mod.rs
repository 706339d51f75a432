//! Checked model → flat program ([`crate::program::Program`]).
//!
//! In: a [`Model`]. Out: a [`Program`] whose nodes are in dependency order.
//! Passes, each of which can be switched off ([`Passes`]) so tests can check
//! that they change nothing: constant folding, sharing of identical
//! sub-expressions, and running several regexes over one field as one set.

mod lower;
mod regexes;

use crate::model::Model;
use crate::program::Program;
use std::sync::Arc;

/// Which optimisations run. All on by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Passes {
    pub fold_constants: bool,
    pub share: bool,
    pub regex_sets: bool,
}

impl Default for Passes {
    fn default() -> Self {
        Passes::ALL
    }
}

impl Passes {
    pub const ALL: Passes = Passes {
        fold_constants: true,
        share: true,
        regex_sets: true,
    };
    pub const NONE: Passes = Passes {
        fold_constants: false,
        share: false,
        regex_sets: false,
    };
}

/// Compile `model` with every pass on.
pub fn compile(model: &Model) -> Program {
    compile_with(model, Passes::ALL)
}

/// Compile `model` with the chosen passes.
pub fn compile_with(model: &Model, passes: Passes) -> Program {
    let mut program = lower::lower(Arc::new(with_aggregate_fields(model)), passes);
    if passes.regex_sets {
        regexes::group_regexes(&mut program);
    }
    program
}

/// The model as the program reads it: each aggregate of events is one more
/// field after the lead's own, in aggregate order, holding the value
/// computed before the lead is scored ([`crate::semantics::events`],
/// [`crate::eval::events`]), so the column kernels read it like any field.
/// `aggregates` stay, so an aggregate's field is at
/// `fields.len() - aggregates.len() + a`.
fn with_aggregate_fields(model: &Model) -> Model {
    let mut widened = model.clone();
    for agg in &model.aggregates {
        widened.fields.push(crate::model::Field {
            name: agg.text.clone(),
            ty: agg.ty(),
            one_of: None,
            optional: true,
            column: String::new(),
            format: None,
            placeholders: Vec::new(),
            span: agg.span,
        });
    }
    widened
}
