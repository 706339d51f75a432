//! The evaluator interface a batch run drives: one inquiry's values in, an
//! [`Outcome`] out, with per-worker scratch space so nothing is allocated per row.

use super::{reference, Outcome};
use crate::model::{Model, Value};

/// Something that scores inquiries: the reference evaluator or the compiled program.
pub trait Engine: Sync {
    /// Buffers one worker reuses from row to row.
    type Scratch: Send;
    fn scratch(&self) -> Self::Scratch;
    /// Score one inquiry (values in field order).
    fn evaluate<'s>(&self, values: &[Value], scratch: &'s mut Self::Scratch) -> &'s Outcome;
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
