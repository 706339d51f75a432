//! One node on one row: a node, its operands' values and the row's field
//! values in, the node's value out.
//!
//! The batch evaluator ([`super::program`]) runs the common node kinds (logic,
//! number and date comparisons, arithmetic) as tight loops over columns; every
//! other case comes here, row by row: text tests, `in` lists, regexes,
//! business days, and any unusual mix of operand types. The logic and
//! comparisons are [`crate::semantics`]' own; the shortcuts (ASCII cells
//! compared in place, shared regex-set results) never change a result, and
//! tests hold them to the semantics.

use crate::ast::{CompareOp, TextOp};
use crate::model::Value;
use crate::program::{number_key, Node, NodeId, Program, Set, HASH_ABOVE};
use crate::semantics::compare::{arith, holds};
use crate::semantics::function;
use crate::semantics::logic::{self, Truth};
use crate::semantics::text::trim;
use crate::semantics::time;
use std::cmp::Ordering;

/// A value while evaluating: text is a reference to a cell or a constant.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Val {
    Missing,
    Bool(bool),
    Num(f64),
    Date(i32),
    FieldText(u32),
    ConstText(u32),
}

/// Folded (trimmed, lowercased) text cells of the row being computed, each
/// folded at most once per row.
pub(super) struct Folds {
    bufs: Vec<String>,
    stamp: Vec<u64>,
    row: u64,
}

impl Folds {
    pub(super) fn new(fields: usize) -> Self {
        Folds {
            bufs: vec![String::new(); fields],
            stamp: vec![0; fields],
            row: 1,
        }
    }

    /// Forget the folds of the previous row.
    pub(super) fn next_row(&mut self) {
        self.row += 1;
    }
}

/// One row being computed.
pub(super) struct Row<'a> {
    pub p: &'a Program,
    pub values: &'a [Value],
    pub as_of: i32,
}

/// Regex-set results for the row's text, when a caller has run the sets:
/// indexed by set, one bit per member.
pub(super) type SetBits<'a> = Option<&'a [u64]>;

pub(super) fn known(b: Option<bool>) -> Val {
    b.map_or(Val::Missing, Val::Bool)
}

/// A value's truth: anything but a yes/no value is unknown.
#[inline]
pub(super) fn truth(v: Val) -> Truth {
    match v {
        Val::Bool(b) => Truth::from(b),
        _ => Truth::Unknown,
    }
}

/// A function's argument as the semantics takes it; a call never has text
/// arguments (check refuses them).
fn value_of(v: Val) -> Value {
    match v {
        Val::Num(n) => Value::Number(n),
        Val::Date(d) => Value::Date(d),
        Val::Bool(b) => Value::Bool(b),
        Val::Missing | Val::FieldText(_) | Val::ConstText(_) => Value::Missing,
    }
}

/// A truth as a value: unknown is missing.
#[inline]
pub(super) fn of_truth(t: Truth) -> Val {
    known(t.to_option())
}

impl Row<'_> {
    /// A field's value in this row.
    #[inline]
    pub(super) fn field(&self, f: usize) -> Val {
        match self.values.get(f) {
            Some(Value::Bool(b)) => Val::Bool(*b),
            Some(Value::Number(n)) => Val::Num(*n),
            Some(Value::Date(d)) => Val::Date(*d),
            Some(Value::Text(_)) => Val::FieldText(f as u32),
            Some(Value::Missing) | None => Val::Missing,
        }
    }

    #[inline]
    pub(super) fn constant(&self, k: u32) -> Val {
        constant(self.p, k)
    }

    /// The value of `node`, given its operands' values.
    pub(super) fn compute(
        &self,
        node: Node,
        operand: &dyn Fn(NodeId) -> Val,
        folds: &mut Folds,
        sets: SetBits,
    ) -> Val {
        let p = self.p;
        match node {
            Node::Const(k) => self.constant(k),
            Node::Field(f) => self.field(f),
            // Read from the batch's columns by the caller; never computed here.
            Node::Score | Node::GroupScore(_) | Node::Matched(_) | Node::StageIs(_) => Val::Missing,
            Node::AtLeast(n, args) => {
                let (mut yes, mut unknown) = (0, 0);
                for &a in p.operands(args) {
                    match truth(operand(a)) {
                        Truth::Yes => yes += 1,
                        Truth::No => {}
                        Truth::Unknown => unknown += 1,
                    }
                }
                of_truth(logic::at_least(n as usize, yes, unknown))
            }
            Node::And(args) | Node::Or(args) => {
                let is_and = matches!(node, Node::And(_));
                let decisive = logic::decisive(is_and);
                let mut t = if is_and {
                    logic::AND_EMPTY
                } else {
                    logic::OR_EMPTY
                };
                for &a in p.operands(args) {
                    let part = truth(operand(a));
                    t = if is_and {
                        logic::and(t, part)
                    } else {
                        logic::or(t, part)
                    };
                    if t == decisive {
                        break;
                    }
                }
                of_truth(t)
            }
            Node::DaysSince(x) => match operand(x) {
                Val::Date(d) => Val::Num((self.as_of - d) as f64),
                _ => Val::Missing,
            },
            Node::BusinessDaysSince(x) => match operand(x) {
                Val::Date(d) => {
                    Val::Num(time::business_days_between(d, self.as_of, &p.holidays) as f64)
                }
                _ => Val::Missing,
            },
            Node::Neg(x) => match operand(x) {
                Val::Num(n) => Val::Num(-n),
                _ => Val::Missing,
            },
            Node::Not(x) => of_truth(logic::not(truth(operand(x)))),
            Node::Arith(op, a, b) => match (operand(a), operand(b)) {
                (Val::Num(a), Val::Num(b)) => match arith(op, a, b) {
                    Value::Number(n) => Val::Num(n),
                    _ => Val::Missing,
                },
                _ => Val::Missing,
            },
            Node::Compare(op, a, b) => {
                let (a, b) = (operand(a), operand(b));
                if matches!(op, CompareOp::Eq | CompareOp::Ne) {
                    if let Some(same) = self.ascii_equals(a, b) {
                        return Val::Bool(same == (op == CompareOp::Eq));
                    }
                }
                known(self.order(folds, a, b).map(|o| holds(op, o)))
            }
            Node::Between(x, lo, hi) => {
                let (x, lo, hi) = (operand(x), operand(lo), operand(hi));
                let above = self.order(folds, x, lo).map(|o| holds(CompareOp::Ge, o));
                let below = self.order(folds, x, hi).map(|o| holds(CompareOp::Le, o));
                of_truth(logic::between(Truth::known(above), Truth::known(below)))
            }
            Node::In(x, set, negated) => self.in_set(folds, operand(x), set, negated),
            Node::TextTest(op, a, b) => self.text_test(folds, op, operand(a), operand(b)),
            Node::Matches(x, r) => self.matches(operand(x), r, sets),
            Node::IsMissing(x) => Val::Bool(operand(x) == Val::Missing),
            Node::IsPresent(x) => Val::Bool(operand(x) != Val::Missing),
            Node::Call(f, args, _) => {
                // Every function takes one or two arguments: a list on the
                // stack, not one allocated per row.
                let ops = p.operands(args);
                if ops.len() > 2 {
                    return Val::Missing;
                }
                let mut values = [Value::Missing, Value::Missing];
                for (v, &a) in values.iter_mut().zip(ops) {
                    *v = value_of(operand(a));
                }
                match function::apply(f, &values[..ops.len()]) {
                    Value::Number(n) => Val::Num(n),
                    Value::Date(d) => Val::Date(d),
                    Value::Bool(b) => Val::Bool(b),
                    // Text is refused by check.
                    Value::Text(_) | Value::Missing => Val::Missing,
                }
            }
        }
    }

    fn in_set(&self, folds: &mut Folds, v: Val, set: u32, negated: bool) -> Val {
        let p = self.p;
        let found = match (v, &p.sets[set as usize], self.ascii_cell(v)) {
            (Val::Missing, _, _) => return Val::Missing,
            // A short list against an ASCII cell: compared in place, unfolded.
            (_, Set::Texts(list, _), Some(t)) if list.len() <= HASH_ABOVE => {
                list.iter().any(|m| t.eq_ignore_ascii_case(m))
            }
            (Val::FieldText(_) | Val::ConstText(_), Set::Texts(list, hashed), _) => {
                let t = self.folded(folds, v);
                if list.len() > HASH_ABOVE {
                    hashed.contains(t)
                } else {
                    list.iter().any(|m| m == t)
                }
            }
            (Val::Num(n), Set::Numbers(list, hashed), _) => {
                if list.len() > HASH_ABOVE {
                    hashed.contains(&number_key(n))
                } else {
                    list.contains(&n)
                }
            }
            (Val::Date(d), Set::Dates(list, hashed), _) => {
                if list.len() > HASH_ABOVE {
                    hashed.contains(&d)
                } else {
                    list.contains(&d)
                }
            }
            _ => false,
        };
        Val::Bool(found != negated)
    }

    fn text_test(&self, folds: &mut Folds, op: TextOp, a: Val, b: Val) -> Val {
        if !is_text(a) || !is_text(b) {
            return Val::Missing;
        }
        if let (Some(h), Val::ConstText(k), TextOp::StartsWith | TextOp::EndsWith) =
            (self.ascii_cell(a), b, op)
        {
            // An ASCII cell against a folded constant: compare its
            // ends in place, ignoring ASCII case, without folding it.
            let n = self.p.consts[k as usize].folded.as_deref().unwrap_or("");
            let (h, n) = (h.as_bytes(), n.as_bytes());
            let end = match op {
                TextOp::StartsWith => h.get(..n.len()),
                _ => h.len().checked_sub(n.len()).map(|i| &h[i..]),
            };
            return Val::Bool(end.is_some_and(|e| e.eq_ignore_ascii_case(n)));
        }
        self.fold_into(folds, a);
        self.fold_into(folds, b);
        let (h, n) = (self.folded_ref(folds, a), self.folded_ref(folds, b));
        Val::Bool(match op {
            TextOp::Contains => h.contains(n),
            TextOp::StartsWith => h.starts_with(n),
            TextOp::EndsWith => h.ends_with(n),
        })
    }

    fn matches(&self, v: Val, r: u32, sets: SetBits) -> Val {
        let p = self.p;
        let text = match v {
            Val::FieldText(f) => match &self.values[f as usize] {
                Value::Text(t) => t.as_str(),
                _ => return Val::Missing,
            },
            Val::ConstText(k) => match &p.consts[k as usize].value {
                Value::Text(t) => t.as_str(),
                _ => return Val::Missing,
            },
            _ => return Val::Missing,
        };
        let code = &p.regexes[r as usize];
        match (code.in_set, v, sets) {
            (Some((set, member)), Val::FieldText(f), Some(bits))
                if p.regex_sets[set].field == f as usize =>
            {
                Val::Bool(bits[set] >> member & 1 == 1)
            }
            _ => Val::Bool(code.regex.is_match(text)),
        }
    }

    /// Orders two present values of the same kind; text compares folded.
    fn order(&self, folds: &mut Folds, a: Val, b: Val) -> Option<Ordering> {
        match (a, b) {
            (Val::Num(x), Val::Num(y)) => x.partial_cmp(&y),
            (Val::Date(x), Val::Date(y)) => Some(x.cmp(&y)),
            (Val::Bool(x), Val::Bool(y)) => Some(x.cmp(&y)),
            (a, b) if is_text(a) && is_text(b) => {
                self.fold_into(folds, a);
                self.fold_into(folds, b);
                Some(self.folded_ref(folds, a).cmp(self.folded_ref(folds, b)))
            }
            _ => None,
        }
    }

    /// A text cell, trimmed, when it is all ASCII: then folding it is just
    /// ASCII lowercasing, and it can be compared with a folded constant in
    /// place (`eq_ignore_ascii_case`) instead of being copied and folded.
    #[inline]
    fn ascii_cell(&self, v: Val) -> Option<&str> {
        match v {
            Val::FieldText(f) => match &self.values[f as usize] {
                Value::Text(t) => Some(trim(t)).filter(|t| t.is_ascii()),
                _ => None,
            },
            _ => None,
        }
    }

    /// `cell = "constant"` (either way round) for an ASCII cell, without
    /// folding; `None` for every other pair of values.
    fn ascii_equals(&self, a: Val, b: Val) -> Option<bool> {
        let (cell, k) = match (a, b) {
            (Val::FieldText(_), Val::ConstText(k)) => (a, k),
            (Val::ConstText(k), Val::FieldText(_)) => (b, k),
            _ => return None,
        };
        let t = self.ascii_cell(cell)?;
        let folded = self.p.consts[k as usize].folded.as_deref().unwrap_or("");
        Some(t.eq_ignore_ascii_case(folded))
    }

    fn folded<'f>(&'f self, folds: &'f mut Folds, v: Val) -> &'f str {
        self.fold_into(folds, v);
        self.folded_ref(folds, v)
    }

    /// Fold a text cell once per row.
    fn fold_into(&self, folds: &mut Folds, v: Val) {
        if let Val::FieldText(f) = v {
            let f = f as usize;
            if folds.stamp[f] == folds.row {
                return;
            }
            let buf = &mut folds.bufs[f];
            buf.clear();
            if let Value::Text(t) = &self.values[f] {
                let t = trim(t);
                if t.is_ascii() {
                    // Copy then lowercase in place: a memcpy and a tight loop,
                    // not a push per char.
                    buf.push_str(t);
                    buf.make_ascii_lowercase();
                } else {
                    // Full Unicode lowercasing (final sigma and all), as the
                    // reference does; rare enough to allocate.
                    buf.push_str(&crate::semantics::text::fold(t));
                }
            }
            folds.stamp[f] = folds.row;
        }
    }

    fn folded_ref<'f>(&'f self, folds: &'f Folds, v: Val) -> &'f str {
        match v {
            Val::FieldText(f) => &folds.bufs[f as usize],
            Val::ConstText(k) => self.p.consts[k as usize].folded.as_deref().unwrap_or(""),
            _ => "",
        }
    }
}

/// A constant's value.
#[inline]
pub(super) fn constant(p: &Program, k: u32) -> Val {
    match &p.consts[k as usize].value {
        Value::Missing => Val::Missing,
        Value::Bool(b) => Val::Bool(*b),
        Value::Number(n) => Val::Num(*n),
        Value::Date(d) => Val::Date(*d),
        Value::Text(_) => Val::ConstText(k),
    }
}

fn is_text(v: Val) -> bool {
    matches!(v, Val::FieldText(_) | Val::ConstText(_))
}
