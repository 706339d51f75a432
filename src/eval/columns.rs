//! One node over a batch of rows: operand columns in, the node's column out.
//!
//! A node's type is known before any row is read (the checker typed every
//! expression), so each node owns one typed column for the batch:
//! - yes/no as one byte per row, a [`Truth`] in Kleene order, `F` < `U`
//!   (unknown) < `T`, so `and` is a minimum, `or` a maximum and `not` is `T - x`;
//! - numbers as `f64`, missing as NaN (a present number is always finite:
//!   cells must be finite and arithmetic that is not finite is missing);
//! - dates as day numbers, missing as [`NO_DATE`];
//! - text has no column: it is read from the row's cell, or is a constant.
//!
//! The kernels here are the common cases, written as plain loops the compiler
//! can unroll and vectorise. Anything else is computed row by row by
//! [`super::row_ops`], with the same results. The loops keep their own
//! arithmetic for speed; the tests at the end hold every kernel to
//! [`crate::semantics`] over every combination of operand values, unknown
//! and missing included.

use super::row_ops::Val;
use crate::ast::{ArithOp, CompareOp};
use crate::model::{Function, Type, Value};
use crate::program::{Node, NodeId, Program};
use crate::semantics::Truth;

/// A yes/no column's bytes are [`Truth`]'s own, in Kleene order.
pub(super) const F: u8 = Truth::No as u8;
pub(super) const U: u8 = Truth::Unknown as u8;
pub(super) const T: u8 = Truth::Yes as u8;
/// A missing date.
pub(super) const NO_DATE: i32 = i32::MIN;

/// Where a text node's value comes from.
#[derive(Debug, Clone, Copy)]
pub(super) enum TextFrom {
    Field(usize),
    Const(u32),
}

/// A node's values over a batch.
#[derive(Debug, Clone)]
pub(super) enum Column {
    Bool(Vec<u8>),
    Num(Vec<f64>),
    Date(Vec<i32>),
    /// Read in place from the row or the program.
    Text(TextFrom),
    /// Always missing (a missing constant).
    Missing,
}

impl Column {
    /// The column for `node`, `rows` long; constants are filled in now and
    /// never change.
    pub(super) fn for_node(p: &Program, node: Node, rows: usize) -> Column {
        let from_value = |v: &Value| match v {
            Value::Missing => Column::Missing,
            Value::Bool(b) => Column::Bool(vec![if *b { T } else { F }; rows]),
            Value::Number(n) => Column::Num(vec![*n; rows]),
            Value::Date(d) => Column::Date(vec![*d; rows]),
            Value::Text(_) => Column::Missing,
        };
        match node {
            Node::Const(k) => match &p.consts[k as usize].value {
                Value::Text(_) => Column::Text(TextFrom::Const(k)),
                v => from_value(v),
            },
            Node::Field(f) => match p.model.fields[f].ty {
                Type::Text => Column::Text(TextFrom::Field(f)),
                Type::Number => Column::Num(vec![f64::NAN; rows]),
                Type::Date => Column::Date(vec![NO_DATE; rows]),
                Type::YesNo => Column::Bool(vec![U; rows]),
            },
            Node::Score
            | Node::GroupScore(_)
            | Node::DaysSince(_)
            | Node::BusinessDaysSince(_)
            | Node::Neg(_)
            | Node::Arith(..) => Column::Num(vec![f64::NAN; rows]),
            Node::Call(_, _, ty) => match ty {
                Type::Number => Column::Num(vec![f64::NAN; rows]),
                Type::Date => Column::Date(vec![NO_DATE; rows]),
                // Text calls are refused by check; yes/no is `default(c, no)`.
                Type::YesNo | Type::Text => Column::Bool(vec![U; rows]),
            },
            _ => Column::Bool(vec![U; rows]),
        }
    }

    /// Row `r`'s value.
    #[inline]
    pub(super) fn val(&self, r: usize, row: &[Value]) -> Val {
        match self {
            Column::Bool(v) => match v[r] {
                T => Val::Bool(true),
                F => Val::Bool(false),
                _ => Val::Missing,
            },
            Column::Num(v) if v[r].is_nan() => Val::Missing,
            Column::Num(v) => Val::Num(v[r]),
            Column::Date(v) if v[r] == NO_DATE => Val::Missing,
            Column::Date(v) => Val::Date(v[r]),
            Column::Text(TextFrom::Field(f)) => match row.get(*f) {
                Some(Value::Text(_)) => Val::FieldText(*f as u32),
                _ => Val::Missing,
            },
            Column::Text(TextFrom::Const(k)) => Val::ConstText(*k),
            Column::Missing => Val::Missing,
        }
    }

    /// Store a value computed row by row.
    #[inline]
    pub(super) fn store(&mut self, r: usize, v: Val) {
        match (self, v) {
            (Column::Bool(c), Val::Bool(b)) => c[r] = if b { T } else { F },
            (Column::Bool(c), _) => c[r] = U,
            (Column::Num(c), Val::Num(n)) => c[r] = n,
            (Column::Num(c), _) => c[r] = f64::NAN,
            (Column::Date(c), Val::Date(d)) => c[r] = d,
            (Column::Date(c), _) => c[r] = NO_DATE,
            _ => {}
        }
    }

    /// Load a field's typed values; text fields have nothing to load.
    pub(super) fn load_field(&mut self, f: usize, rows: &[&[Value]]) {
        match self {
            Column::Num(c) => {
                for (out, row) in c.iter_mut().zip(rows) {
                    *out = match row.get(f) {
                        Some(Value::Number(n)) => *n,
                        _ => f64::NAN,
                    };
                }
            }
            Column::Date(c) => {
                for (out, row) in c.iter_mut().zip(rows) {
                    *out = match row.get(f) {
                        Some(Value::Date(d)) => *d,
                        _ => NO_DATE,
                    };
                }
            }
            Column::Bool(c) => {
                for (out, row) in c.iter_mut().zip(rows) {
                    *out = match row.get(f) {
                        Some(Value::Bool(b)) => {
                            if *b {
                                T
                            } else {
                                F
                            }
                        }
                        _ => U,
                    };
                }
            }
            _ => {}
        }
    }
}

fn bools(cols: &[Column], id: NodeId) -> Option<&[u8]> {
    match &cols[id as usize] {
        Column::Bool(v) => Some(v),
        _ => None,
    }
}

fn nums(cols: &[Column], id: NodeId) -> Option<&[f64]> {
    match &cols[id as usize] {
        Column::Num(v) => Some(v),
        _ => None,
    }
}

fn dates(cols: &[Column], id: NodeId) -> Option<&[i32]> {
    match &cols[id as usize] {
        Column::Date(v) => Some(v),
        _ => None,
    }
}

/// Compute `node` over the first `n` rows with a column kernel, reading
/// operands from `before` (every operand has a smaller id). `false` when no
/// kernel fits the operand types: the caller then goes row by row.
pub(super) fn kernel(
    p: &Program,
    node: Node,
    before: &[Column],
    out: &mut Column,
    n: usize,
    as_of: i32,
) -> bool {
    match (node, out) {
        (Node::And(args) | Node::Or(args), Column::Bool(o)) => {
            let ops = p.operands(args);
            let cols: Option<Vec<&[u8]>> = ops.iter().map(|&a| bools(before, a)).collect();
            let Some(cols) = cols else { return false };
            let is_and = matches!(node, Node::And(_));
            o[..n].fill(if is_and { T } else { F });
            for c in cols {
                let o = &mut o[..n];
                let c = &c[..n];
                if is_and {
                    o.iter_mut().zip(c).for_each(|(o, &c)| *o = (*o).min(c));
                } else {
                    o.iter_mut().zip(c).for_each(|(o, &c)| *o = (*o).max(c));
                }
            }
            true
        }
        (Node::Not(x), Column::Bool(o)) => {
            let Some(x) = bools(before, x) else {
                return false;
            };
            o[..n]
                .iter_mut()
                .zip(&x[..n])
                .for_each(|(o, &x)| *o = T - x);
            true
        }
        (Node::AtLeast(k, args), Column::Bool(o)) => {
            let cols: Option<Vec<&[u8]>> =
                p.operands(args).iter().map(|&a| bools(before, a)).collect();
            let Some(cols) = cols else { return false };
            for (r, o) in o[..n].iter_mut().enumerate() {
                let (mut yes, mut unknown) = (0u32, 0u32);
                for c in &cols {
                    yes += u32::from(c[r] == T);
                    unknown += u32::from(c[r] == U);
                }
                *o = if yes >= k {
                    T
                } else if yes + unknown < k {
                    F
                } else {
                    U
                };
            }
            true
        }
        (Node::Compare(op, a, b), Column::Bool(o)) => {
            if let (Some(a), Some(b)) = (nums(before, a), nums(before, b)) {
                compare(op, &a[..n], &b[..n], &mut o[..n], |x: &f64| x.is_nan());
                true
            } else if let (Some(a), Some(b)) = (dates(before, a), dates(before, b)) {
                compare(op, &a[..n], &b[..n], &mut o[..n], |x: &i32| *x == NO_DATE);
                true
            } else {
                false
            }
        }
        (Node::Between(x, lo, hi), Column::Bool(o)) => {
            if let (Some(x), Some(lo), Some(hi)) =
                (nums(before, x), nums(before, lo), nums(before, hi))
            {
                between(&x[..n], &lo[..n], &hi[..n], &mut o[..n], |x: &f64| {
                    x.is_nan()
                });
                true
            } else if let (Some(x), Some(lo), Some(hi)) =
                (dates(before, x), dates(before, lo), dates(before, hi))
            {
                between(&x[..n], &lo[..n], &hi[..n], &mut o[..n], |x: &i32| {
                    *x == NO_DATE
                });
                true
            } else {
                false
            }
        }
        (Node::Arith(op, a, b), Column::Num(o)) => {
            let (Some(a), Some(b)) = (nums(before, a), nums(before, b)) else {
                return false;
            };
            let f = |x: f64, y: f64| match op {
                ArithOp::Add => x + y,
                ArithOp::Sub => x - y,
                ArithOp::Mul => x * y,
                // Division by zero gives an infinity or NaN: missing below.
                ArithOp::Div => x / y,
            };
            for ((o, &x), &y) in o[..n].iter_mut().zip(&a[..n]).zip(&b[..n]) {
                let r = f(x, y);
                // Not finite is missing; a missing operand is NaN already.
                *o = if r.is_finite() { r } else { f64::NAN };
            }
            true
        }
        (Node::Neg(x), Column::Num(o)) => {
            let Some(x) = nums(before, x) else {
                return false;
            };
            o[..n].iter_mut().zip(&x[..n]).for_each(|(o, &x)| *o = -x);
            true
        }
        (Node::DaysSince(x), Column::Num(o)) => {
            let Some(x) = dates(before, x) else {
                return false;
            };
            for (o, &d) in o[..n].iter_mut().zip(&x[..n]) {
                *o = if d == NO_DATE {
                    f64::NAN
                } else {
                    (as_of - d) as f64
                };
            }
            true
        }
        (Node::Call(f, args, _), out) => call(f, p.operands(args), before, out, n),
        (Node::IsMissing(x) | Node::IsPresent(x), Column::Bool(o)) => {
            let present = matches!(node, Node::IsPresent(_));
            let answer = |missing: bool| if missing != present { T } else { F };
            match &before[x as usize] {
                Column::Bool(c) => o[..n]
                    .iter_mut()
                    .zip(&c[..n])
                    .for_each(|(o, &c)| *o = answer(c == U)),
                Column::Num(c) => o[..n]
                    .iter_mut()
                    .zip(&c[..n])
                    .for_each(|(o, &c)| *o = answer(c.is_nan())),
                Column::Date(c) => o[..n]
                    .iter_mut()
                    .zip(&c[..n])
                    .for_each(|(o, &c)| *o = answer(c == NO_DATE)),
                _ => return false,
            }
            true
        }
        _ => false,
    }
}

/// `min`, `max`, `round`, `floor` and `default` over columns, as
/// [`crate::semantics::function::apply`] gives them row by row (a call
/// there builds a list of values per row). `false` for operand columns of
/// other kinds (a missing constant, text): the caller goes row by row.
fn call(f: Function, args: &[NodeId], before: &[Column], out: &mut Column, n: usize) -> bool {
    use crate::semantics::function::{pick, round};
    match (f, args, out) {
        (Function::Round(digits), &[x], Column::Num(o)) => {
            let Some(x) = nums(before, x) else {
                return false;
            };
            // NaN (missing) stays NaN; a present number rounds to a finite one.
            for (o, &x) in o[..n].iter_mut().zip(&x[..n]) {
                *o = if x.is_nan() { x } else { round(x, digits) };
            }
            true
        }
        (Function::Floor, &[x], Column::Num(o)) => {
            let Some(x) = nums(before, x) else {
                return false;
            };
            o[..n]
                .iter_mut()
                .zip(&x[..n])
                .for_each(|(o, &x)| *o = x.floor());
            true
        }
        (Function::Min | Function::Max, &[a, b], Column::Num(o)) => {
            let (Some(a), Some(b)) = (nums(before, a), nums(before, b)) else {
                return false;
            };
            let smaller = f == Function::Min;
            for ((o, &x), &y) in o[..n].iter_mut().zip(&a[..n]).zip(&b[..n]) {
                *o = if x.is_nan() || y.is_nan() {
                    f64::NAN
                } else {
                    pick(x, y, smaller)
                };
            }
            true
        }
        (Function::Min | Function::Max, &[a, b], Column::Date(o)) => {
            let (Some(a), Some(b)) = (dates(before, a), dates(before, b)) else {
                return false;
            };
            let smaller = f == Function::Min;
            for ((o, &x), &y) in o[..n].iter_mut().zip(&a[..n]).zip(&b[..n]) {
                *o = if x == NO_DATE || y == NO_DATE {
                    NO_DATE
                } else {
                    pick(x, y, smaller)
                };
            }
            true
        }
        (Function::Default, &[x, v], Column::Num(o)) => {
            let (Some(x), Some(v)) = (nums(before, x), nums(before, v)) else {
                return false;
            };
            for ((o, &x), &v) in o[..n].iter_mut().zip(&x[..n]).zip(&v[..n]) {
                *o = if x.is_nan() { v } else { x };
            }
            true
        }
        (Function::Default, &[x, v], Column::Date(o)) => {
            let (Some(x), Some(v)) = (dates(before, x), dates(before, v)) else {
                return false;
            };
            for ((o, &x), &v) in o[..n].iter_mut().zip(&x[..n]).zip(&v[..n]) {
                *o = if x == NO_DATE { v } else { x };
            }
            true
        }
        (Function::Default, &[x, v], Column::Bool(o)) => {
            let (Some(x), Some(v)) = (bools(before, x), bools(before, v)) else {
                return false;
            };
            for ((o, &x), &v) in o[..n].iter_mut().zip(&x[..n]).zip(&v[..n]) {
                *o = if x == U { v } else { x };
            }
            true
        }
        _ => false,
    }
}

fn compare<X: PartialOrd>(
    op: CompareOp,
    a: &[X],
    b: &[X],
    out: &mut [u8],
    missing: impl Fn(&X) -> bool,
) {
    let test = |x: &X, y: &X| match op {
        CompareOp::Eq => x == y,
        CompareOp::Ne => x != y,
        CompareOp::Lt => x < y,
        CompareOp::Le => x <= y,
        CompareOp::Gt => x > y,
        CompareOp::Ge => x >= y,
    };
    for ((o, x), y) in out.iter_mut().zip(a).zip(b) {
        *o = if missing(x) || missing(y) {
            U
        } else if test(x, y) {
            T
        } else {
            F
        };
    }
}

/// `x between lo and hi`: `x >= lo` and `x <= hi`, each unknown when a side is
/// missing, combined as Kleene `and` (a minimum).
fn between<X: PartialOrd>(
    x: &[X],
    lo: &[X],
    hi: &[X],
    out: &mut [u8],
    missing: impl Fn(&X) -> bool,
) {
    let side = |known: bool, holds: bool| match (known, holds) {
        (false, _) => U,
        (true, true) => T,
        (true, false) => F,
    };
    for (((o, x), lo), hi) in out.iter_mut().zip(x).zip(lo).zip(hi) {
        let mx = missing(x);
        let above = side(!mx && !missing(lo), x >= lo);
        let below = side(!mx && !missing(hi), x <= hi);
        *o = above.min(below);
    }
}
