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
    let mut program = lower::lower(Arc::new(model.clone()), passes);
    if passes.regex_sets {
        regexes::group_regexes(&mut program);
    }
    program
}
