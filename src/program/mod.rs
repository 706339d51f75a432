//! The compiled program: a flat table of nodes addressed by id, built by
//! [`crate::compile`] from a checked model and run by [`crate::eval::program`].
//!
//! Every operand of a node has a smaller id, so the table is in dependency
//! order. Identical sub-expressions are one node, shared by every criterion,
//! disqualifier and stage that uses them (`uses` counts them); constants are
//! folded; `in` sets are hashed; text constants are folded at compile time; each
//! regex is compiled once and several regexes testing one field run as one set.

use crate::ast::{ArithOp, CompareOp, TextOp};
use crate::model::{Decay, FieldId, Function, Model, Type, Value, ValueEntry};
use std::collections::HashSet;
use std::sync::Arc;

pub type NodeId = u32;
pub type ConstId = u32;
pub type SetId = u32;
pub type RegexId = u32;

/// A run of operands in [`Program::args`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Args {
    pub start: u32,
    pub len: u32,
}

/// One node; the syntax it comes from is in brackets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Node {
    /// A literal, or a sub-expression folded at compile time.
    Const(ConstId),
    /// A field's value (`budget`).
    Field(FieldId),
    /// `score` (stages only).
    Score,
    /// A group's sub-score (`fit`, stages only).
    GroupScore(usize),
    /// `matched "X"`.
    Matched(usize),
    /// `stage = "S"` (routes only): an index into the model's stage names.
    StageIs(usize),
    /// `at least N of (...)`.
    AtLeast(u32, Args),
    /// `a and b and ...`.
    And(Args),
    /// `a or b or ...`.
    Or(Args),
    /// `days since x`.
    DaysSince(NodeId),
    /// `business days since x`.
    BusinessDaysSince(NodeId),
    /// `-x`.
    Neg(NodeId),
    /// `not x`.
    Not(NodeId),
    /// `a + b`, `a - b`, `a * b`, `a / b`.
    Arith(ArithOp, NodeId, NodeId),
    /// `a = b`, `a < b`, ...
    Compare(CompareOp, NodeId, NodeId),
    /// `x between lo and hi`.
    Between(NodeId, NodeId, NodeId),
    /// `x in [...]`, `x not in [...]`.
    In(NodeId, SetId, bool),
    /// `x contains y`, `x starts with y`, `x ends with y`.
    TextTest(TextOp, NodeId, NodeId),
    /// `x matches /re/`.
    Matches(NodeId, RegexId),
    /// `x is missing`.
    IsMissing(NodeId),
    /// `x is present`.
    IsPresent(NodeId),
    /// `min(a, b)`, `round(x, 2)`, ...; the type is the call's (its column's).
    Call(Function, Args, Type),
}

/// A constant; text is kept as written and folded.
#[derive(Debug, Clone, PartialEq)]
pub struct Constant {
    pub value: Value,
    pub folded: Option<String>,
}

/// The members of an `in` list, ready to test.
#[derive(Debug, Clone)]
pub enum Set {
    /// Folded text; scanned when small, hashed when larger.
    Texts(Vec<String>, HashSet<String>),
    /// Numbers (as bits, `-0` as `0`) and dates.
    Numbers(Vec<f64>, HashSet<u64>),
    Dates(Vec<i32>, HashSet<i32>),
}

/// Sets with more members than this are hashed; smaller ones are scanned.
pub const HASH_ABOVE: usize = 4;

/// Bits of a number as a hash key: `-0` and `0` are the same member.
pub fn number_key(n: f64) -> u64 {
    if n == 0.0 {
        0
    } else {
        n.to_bits()
    }
}

/// One compiled regex; when several test the same field they share a set.
#[derive(Debug, Clone)]
pub struct RegexCode {
    pub pattern: String,
    pub regex: Arc<regex::Regex>,
    /// (set index, pattern index in it) when run as part of a set.
    pub in_set: Option<(usize, usize)>,
}

/// Several regexes over one field, run in one pass.
#[derive(Debug, Clone)]
pub struct RegexSetCode {
    pub field: FieldId,
    pub set: Arc<regex_automata::meta::Regex>,
    pub members: Vec<RegexId>,
}

/// How a criterion earns its points.
#[derive(Debug, Clone)]
pub enum Earn {
    Fixed {
        condition: NodeId,
        decay: Option<Decay>,
    },
    PerUnit {
        amount: NodeId,
        cap: Option<f64>,
        condition: Option<NodeId>,
        decay: Option<Decay>,
    },
    /// Points by the value of `field`, read from the row as decoded
    /// (`semantics::outcome::by_value`).
    ByValue {
        field: FieldId,
        entries: Vec<ValueEntry>,
        otherwise: f64,
    },
}

#[derive(Debug, Clone)]
pub struct CriterionCode {
    /// Index into the model's criteria (definition order).
    pub criterion: usize,
    pub points: f64,
    pub earn: Earn,
}

/// The compiled program.
#[derive(Debug, Clone)]
pub struct Program {
    pub nodes: Vec<Node>,
    /// How many places refer to each node (operands, criteria, stages...).
    pub uses: Vec<u32>,
    pub args: Vec<NodeId>,
    pub consts: Vec<Constant>,
    pub sets: Vec<Set>,
    pub regexes: Vec<RegexCode>,
    pub regex_sets: Vec<RegexSetCode>,
    /// In dependency order: each after the criteria it refers to.
    pub criteria: Vec<CriterionCode>,
    pub disqualifiers: Vec<NodeId>,
    /// `None` is `otherwise`.
    pub stages: Vec<Option<NodeId>>,
    /// The routes' conditions, in order; `None` is `otherwise`.
    pub routes: Vec<Option<NodeId>>,
    /// Fields some node or decay reads.
    pub used_fields: Vec<bool>,
    /// Fields whose folded text some node needs.
    pub folded_fields: Vec<bool>,
    /// Holidays on weekdays, for business days.
    pub holidays: Vec<i32>,
    /// The model, for names and the shared score arithmetic.
    pub model: Arc<Model>,
}

impl Program {
    pub fn operands(&self, args: Args) -> &[NodeId] {
        &self.args[args.start as usize..(args.start + args.len) as usize]
    }

    /// The operands of `node`, in order (none for a leaf), for the walks
    /// that only need to visit them.
    pub fn children(&self, node: Node) -> impl Iterator<Item = NodeId> + '_ {
        let (list, parts): (&[NodeId], [Option<NodeId>; 3]) = match node {
            Node::Const(_)
            | Node::Field(_)
            | Node::Score
            | Node::GroupScore(_)
            | Node::StageIs(_)
            | Node::Matched(_) => (&[], [None; 3]),
            Node::AtLeast(_, a) | Node::And(a) | Node::Or(a) | Node::Call(_, a, _) => {
                (self.operands(a), [None; 3])
            }
            Node::DaysSince(x)
            | Node::BusinessDaysSince(x)
            | Node::Neg(x)
            | Node::Not(x)
            | Node::In(x, _, _)
            | Node::Matches(x, _)
            | Node::IsMissing(x)
            | Node::IsPresent(x) => (&[], [Some(x), None, None]),
            Node::Arith(_, a, b) | Node::Compare(_, a, b) | Node::TextTest(_, a, b) => {
                (&[], [Some(a), Some(b), None])
            }
            Node::Between(a, b, c) => (&[], [Some(a), Some(b), Some(c)]),
        };
        list.iter().copied().chain(parts.into_iter().flatten())
    }
}

mod listing;
