//! The evaluator interface a batch run drives: one inquiry's values in, an
//! [`Outcome`] out, with per-worker scratch space so nothing is allocated per row.

use super::reference;
use crate::model::{Model, Value};
use crate::program::Program;
use crate::semantics::Outcome;

/// Something that scores inquiries: the reference evaluator or the compiled program.
pub trait Engine: Sync {
    /// Buffers one worker reuses from row to row.
    type Scratch: Send;
    fn scratch(&self) -> Self::Scratch;
    /// Score one inquiry (values in field order).
    fn evaluate<'s>(&self, values: &[Value], scratch: &'s mut Self::Scratch) -> &'s Outcome;
    /// Score several inquiries; `each` gets each one's index and outcome, in
    /// order. The compiled program overrides it to work a batch at a time.
    fn evaluate_each(
        &self,
        rows: &[&[Value]],
        scratch: &mut Self::Scratch,
        each: &mut dyn FnMut(usize, &Outcome),
    ) {
        for (i, values) in rows.iter().enumerate() {
            each(i, self.evaluate(values, scratch));
        }
    }
}

/// The reference evaluator as an [`Engine`] (it allocates per row; it is the oracle,
/// not the fast path).
pub struct Reference<'m> {
    pub model: &'m Model,
    pub as_of: i32,
}

impl Engine for Reference<'_> {
    type Scratch = Option<Outcome>;

    fn scratch(&self) -> Self::Scratch {
        None
    }

    fn evaluate<'s>(&self, values: &[Value], scratch: &'s mut Self::Scratch) -> &'s Outcome {
        scratch.insert(reference::evaluate(self.model, values, self.as_of))
    }
}

/// Score many decoded inquiries with a compiled `program`, on every worker
/// of the current rayon pool; outcomes come back in input order, so the
/// result does not depend on the number of threads. For commands that hold
/// their rows in memory (`backtest`). The caller compiles
/// ([`crate::compile::compile`]): evaluation runs programs, it does not make them.
pub fn evaluate_many<T: Sync>(
    program: &Program,
    items: &[T],
    values: impl Fn(&T) -> &[Value] + Sync,
    as_of: i32,
) -> Vec<Outcome> {
    use rayon::prelude::*;
    let engine = super::program::Fast { program, as_of };
    items
        .par_iter()
        .map_init(
            || engine.scratch(),
            |scratch, item| engine.evaluate(values(item), scratch).clone(),
        )
        .collect()
}
