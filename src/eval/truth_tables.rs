//! Truth tables: the compiled column kernels ([`super::columns`]) and the
//! row-by-row operations ([`super::row_ops`]) against [`crate::semantics`],
//! over every combination of operand values, unknown and missing included.
//!
//! The kernels keep their own loops (bytes, NaN for missing) for speed; these
//! tests are what ties them to the one definition of the language.

use super::columns::{kernel, Column, F, NO_DATE, T, U};
use super::row_ops::{Folds, Row, Val};
use crate::ast::{ArithOp, CompareOp, TextOp};
use crate::model::{Model, Value, ValueSet};
use crate::program::{Args, Constant, Node, NodeId, Program, Set};
use crate::semantics::compare;
use crate::semantics::logic::{self, Truth};
use crate::semantics::text::fold;
use std::sync::Arc;

const TRUTHS: [Truth; 3] = [Truth::No, Truth::Unknown, Truth::Yes];
const OPS: [CompareOp; 6] = [
    CompareOp::Eq,
    CompareOp::Ne,
    CompareOp::Lt,
    CompareOp::Le,
    CompareOp::Gt,
    CompareOp::Ge,
];
/// Numbers that differ in sign, size and order, a zero of each sign, and
/// what overflows; `None` is missing.
const NUMBERS: [Option<f64>; 7] = [
    None,
    Some(-1.5),
    Some(-0.0),
    Some(0.0),
    Some(2.0),
    Some(f64::MAX),
    Some(-f64::MAX),
];
const DATES: [Option<i32>; 5] = [None, Some(-400), Some(0), Some(3), Some(20_000)];
const AS_OF: i32 = 7;

fn program(args: Vec<NodeId>) -> Program {
    Program {
        nodes: Vec::new(),
        uses: Vec::new(),
        args,
        consts: Vec::new(),
        sets: Vec::new(),
        regexes: Vec::new(),
        regex_sets: Vec::new(),
        criteria: Vec::new(),
        disqualifiers: Vec::new(),
        stages: Vec::new(),
        routes: Vec::new(),
        used_fields: Vec::new(),
        folded_fields: Vec::new(),
        holidays: Vec::new(),
        model: Arc::new(Model::default()),
    }
}

/// Every tuple of `k` items from `items`, as rows.
fn tuples<X: Copy>(items: &[X], k: usize) -> Vec<Vec<X>> {
    (0..k).fold(vec![Vec::new()], |rows, _| {
        rows.iter()
            .flat_map(|r| {
                items.iter().map(move |&x| {
                    let mut r = r.clone();
                    r.push(x);
                    r
                })
            })
            .collect()
    })
}

/// Operand `i`'s column over `rows`.
fn truth_column(rows: &[Vec<Truth>], i: usize) -> Column {
    Column::Bool(rows.iter().map(|r| r[i].byte()).collect())
}

fn number_column(rows: &[Vec<Option<f64>>], i: usize) -> Column {
    Column::Num(rows.iter().map(|r| r[i].unwrap_or(f64::NAN)).collect())
}

fn date_column(rows: &[Vec<Option<i32>>], i: usize) -> Column {
    Column::Date(rows.iter().map(|r| r[i].unwrap_or(NO_DATE)).collect())
}

fn number(n: Option<f64>) -> Value {
    n.map_or(Value::Missing, Value::Number)
}

fn date(d: Option<i32>) -> Value {
    d.map_or(Value::Missing, Value::Date)
}

/// Run `node` over `operands` (its operands are nodes 0, 1, ...) with a
/// kernel, which must take it; the result column.
fn run(p: &Program, node: Node, operands: Vec<Column>, out: Column, n: usize) -> Column {
    let mut cols = operands;
    cols.push(out);
    let last = cols.len() - 1;
    let (before, rest) = cols.split_at_mut(last);
    assert!(
        kernel(p, node, before, &mut rest[0], n, AS_OF),
        "{node:?} has a kernel"
    );
    cols.pop().expect("the output column")
}

fn bytes(c: &Column) -> &[u8] {
    match c {
        Column::Bool(v) => v,
        _ => panic!("a yes/no column"),
    }
}

fn floats(c: &Column) -> &[f64] {
    match c {
        Column::Num(v) => v,
        _ => panic!("a number column"),
    }
}

/// A number column's cell as a value (NaN is missing).
fn cell(x: f64) -> Value {
    if x.is_nan() {
        Value::Missing
    } else {
        Value::Number(x)
    }
}

fn same_number(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.to_bits() == y.to_bits(),
        _ => a == b,
    }
}

#[test]
fn column_bytes_are_truths_in_kleene_order() {
    assert_eq!((F, U, T), (0, 1, 2));
    for t in TRUTHS {
        assert_eq!(Truth::from_byte(t.byte()), t);
    }
}

#[test]
fn and_or_kernels_match_kleene_logic_for_every_operand_combination() {
    for k in 1..=3 {
        let rows = tuples(&TRUTHS, k);
        let p = program((0..k as NodeId).collect());
        let args = Args {
            start: 0,
            len: k as u32,
        };
        for is_and in [true, false] {
            let node = if is_and {
                Node::And(args)
            } else {
                Node::Or(args)
            };
            let ops = (0..k).map(|i| truth_column(&rows, i)).collect();
            let out = run(&p, node, ops, Column::Bool(vec![U; rows.len()]), rows.len());
            for (r, row) in rows.iter().enumerate() {
                let want = row.iter().fold(
                    if is_and {
                        logic::AND_EMPTY
                    } else {
                        logic::OR_EMPTY
                    },
                    |a, &b| {
                        if is_and {
                            logic::and(a, b)
                        } else {
                            logic::or(a, b)
                        }
                    },
                );
                assert_eq!(bytes(&out)[r], want.byte(), "{node:?} {row:?}");
            }
        }
    }
}

#[test]
fn not_and_at_least_kernels_match_kleene_logic() {
    let rows = tuples(&TRUTHS, 1);
    let p = program(vec![0]);
    let out = run(
        &p,
        Node::Not(0),
        vec![truth_column(&rows, 0)],
        Column::Bool(vec![U; 3]),
        3,
    );
    for (r, row) in rows.iter().enumerate() {
        assert_eq!(bytes(&out)[r], logic::not(row[0]).byte(), "not {row:?}");
    }
    let rows = tuples(&TRUTHS, 3);
    let p = program(vec![0, 1, 2]);
    let args = Args { start: 0, len: 3 };
    for n in 0..=4u32 {
        let ops = (0..3).map(|i| truth_column(&rows, i)).collect();
        let out = run(
            &p,
            Node::AtLeast(n, args),
            ops,
            Column::Bool(vec![U; rows.len()]),
            rows.len(),
        );
        for (r, row) in rows.iter().enumerate() {
            let yes = row.iter().filter(|t| **t == Truth::Yes).count();
            let unknown = row.iter().filter(|t| **t == Truth::Unknown).count();
            let want = logic::at_least(n as usize, yes, unknown);
            assert_eq!(bytes(&out)[r], want.byte(), "at least {n} of {row:?}");
        }
    }
}

#[test]
fn compare_and_between_kernels_match_the_semantics_on_numbers_and_dates() {
    let p = program(Vec::new());
    let rows = tuples(&NUMBERS, 2);
    for op in OPS {
        let ops = vec![number_column(&rows, 0), number_column(&rows, 1)];
        let out = run(
            &p,
            Node::Compare(op, 0, 1),
            ops,
            Column::Bool(vec![U; rows.len()]),
            rows.len(),
        );
        for (r, row) in rows.iter().enumerate() {
            let want = compare::compare(op, &number(row[0]), &number(row[1]));
            assert_eq!(bytes(&out)[r], want.byte(), "{op:?} {row:?}");
        }
    }
    let rows = tuples(&DATES, 2);
    for op in OPS {
        let ops = vec![date_column(&rows, 0), date_column(&rows, 1)];
        let out = run(
            &p,
            Node::Compare(op, 0, 1),
            ops,
            Column::Bool(vec![U; rows.len()]),
            rows.len(),
        );
        for (r, row) in rows.iter().enumerate() {
            let want = compare::compare(op, &date(row[0]), &date(row[1]));
            assert_eq!(bytes(&out)[r], want.byte(), "{op:?} {row:?}");
        }
    }
    let rows = tuples(&NUMBERS, 3);
    let ops = (0..3).map(|i| number_column(&rows, i)).collect();
    let out = run(
        &p,
        Node::Between(0, 1, 2),
        ops,
        Column::Bool(vec![U; rows.len()]),
        rows.len(),
    );
    for (r, row) in rows.iter().enumerate() {
        let want = compare::between(&number(row[0]), &number(row[1]), &number(row[2]));
        assert_eq!(bytes(&out)[r], want.byte(), "between {row:?}");
    }
    let rows = tuples(&DATES, 3);
    let ops = (0..3).map(|i| date_column(&rows, i)).collect();
    let out = run(
        &p,
        Node::Between(0, 1, 2),
        ops,
        Column::Bool(vec![U; rows.len()]),
        rows.len(),
    );
    for (r, row) in rows.iter().enumerate() {
        let want = compare::between(&date(row[0]), &date(row[1]), &date(row[2]));
        assert_eq!(bytes(&out)[r], want.byte(), "between {row:?}");
    }
}

#[test]
fn number_kernels_match_the_semantics_bit_for_bit() {
    let p = program(Vec::new());
    let rows = tuples(&NUMBERS, 2);
    for op in [ArithOp::Add, ArithOp::Sub, ArithOp::Mul, ArithOp::Div] {
        let ops = vec![number_column(&rows, 0), number_column(&rows, 1)];
        let out = run(
            &p,
            Node::Arith(op, 0, 1),
            ops,
            Column::Num(vec![f64::NAN; rows.len()]),
            rows.len(),
        );
        for (r, row) in rows.iter().enumerate() {
            let want = match (row[0], row[1]) {
                (Some(a), Some(b)) => compare::arith(op, a, b),
                _ => Value::Missing,
            };
            let got = cell(floats(&out)[r]);
            assert!(
                same_number(&got, &want),
                "{op:?} {row:?}: {got:?} != {want:?}"
            );
        }
    }
    let rows = tuples(&NUMBERS, 1);
    let out = run(
        &p,
        Node::Neg(0),
        vec![number_column(&rows, 0)],
        Column::Num(vec![f64::NAN; rows.len()]),
        rows.len(),
    );
    for (r, row) in rows.iter().enumerate() {
        let want = number(row[0].map(|n| -n));
        assert!(same_number(&cell(floats(&out)[r]), &want), "-{row:?}");
    }
    let rows = tuples(&DATES, 1);
    let out = run(
        &p,
        Node::DaysSince(0),
        vec![date_column(&rows, 0)],
        Column::Num(vec![f64::NAN; rows.len()]),
        rows.len(),
    );
    for (r, row) in rows.iter().enumerate() {
        let want = number(row[0].map(|d| f64::from(AS_OF - d)));
        assert!(
            same_number(&cell(floats(&out)[r]), &want),
            "days since {row:?}"
        );
    }
}

#[test]
fn missing_tests_see_unknown_nan_and_no_date_as_missing() {
    let p = program(Vec::new());
    let truths = tuples(&TRUTHS, 1);
    let numbers = tuples(&NUMBERS, 1);
    let dates = tuples(&DATES, 1);
    let cases: Vec<(Column, Vec<Value>)> = vec![
        (
            truth_column(&truths, 0),
            truths.iter().map(|r| r[0].value()).collect(),
        ),
        (
            number_column(&numbers, 0),
            numbers.iter().map(|r| number(r[0])).collect(),
        ),
        (
            date_column(&dates, 0),
            dates.iter().map(|r| date(r[0])).collect(),
        ),
    ];
    for (col, values) in cases {
        for present in [false, true] {
            let node = if present {
                Node::IsPresent(0)
            } else {
                Node::IsMissing(0)
            };
            let n = values.len();
            let out = run(&p, node, vec![col.clone()], Column::Bool(vec![U; n]), n);
            for (r, v) in values.iter().enumerate() {
                let want = Truth::from(v.is_missing() != present);
                assert_eq!(bytes(&out)[r], want.byte(), "{node:?} {v:?}");
            }
        }
    }
}

/// Text that folding treats specially: a final sigma, dotted and dotless i,
/// ß, a combining mark against its precomposed form, full-width letters,
/// the Kelvin sign (which lowercases to an ASCII `k`), surrounding spaces.
const TEXTS: [&str; 14] = [
    "ΟΔΟΣ",
    "οδος",
    "οδοσ",
    "İstanbul",
    "istanbul",
    "ISTANBUL",
    "ıstanbul",
    "STRASSE",
    "Straße",
    "Cafe\u{301}",
    "Café",
    "ＡＢＣ",
    " \u{212a}elvin ",
    "kelvin",
];

/// A program with every text of [`TEXTS`] as a constant (folded as the
/// compiler folds them) and one `in` set of all of them.
fn text_program() -> Program {
    let mut p = program(Vec::new());
    p.consts = TEXTS
        .iter()
        .map(|t| Constant {
            value: Value::Text(t.to_string()),
            folded: Some(fold(t)),
        })
        .collect();
    // A short list (scanned) and a long one (hashed).
    p.sets = [3, TEXTS.len()]
        .into_iter()
        .map(|n| {
            let list: Vec<String> = TEXTS[..n].iter().map(|t| fold(t)).collect();
            Set::Texts(list.clone(), list.into_iter().collect())
        })
        .collect();
    p
}

#[test]
fn row_text_operations_fold_as_the_semantics_does() {
    let p = text_program();
    let values: Vec<Value> = TEXTS.iter().map(|t| Value::Text(t.to_string())).collect();
    let row = Row {
        p: &p,
        values: &values,
        as_of: AS_OF,
    };
    let mut folds = Folds::new(values.len());
    let set = |n: usize| ValueSet {
        shown: Vec::new(),
        texts: TEXTS[..n].iter().map(|t| fold(t)).collect(),
        numbers: Vec::new(),
        dates: Vec::new(),
    };
    // Each pair both ways round, cell against constant and cell against cell.
    for (a, ta) in TEXTS.iter().enumerate() {
        for (b, tb) in TEXTS.iter().enumerate() {
            let (va, vb) = (Value::Text(ta.to_string()), Value::Text(tb.to_string()));
            let pairs = [
                (Val::FieldText(a as u32), Val::ConstText(b as u32)),
                (Val::ConstText(a as u32), Val::FieldText(b as u32)),
                (Val::FieldText(a as u32), Val::FieldText(b as u32)),
            ];
            for (x, y) in pairs {
                let operand = |i: NodeId| if i == 0 { x } else { y };
                for op in OPS {
                    folds.next_row();
                    let got = row.compute(Node::Compare(op, 0, 1), &operand, &mut folds, None);
                    let want = compare::compare(op, &va, &vb);
                    assert_eq!(got, super::row_ops::of_truth(want), "{ta:?} {op:?} {tb:?}");
                }
                for op in [TextOp::Contains, TextOp::StartsWith, TextOp::EndsWith] {
                    folds.next_row();
                    let got = row.compute(Node::TextTest(op, 0, 1), &operand, &mut folds, None);
                    let want = compare::text_test(op, ta, tb);
                    assert_eq!(got, Val::Bool(want), "{ta:?} {op:?} {tb:?}");
                }
            }
        }
        for (s, n) in [(0, 3), (1, TEXTS.len())] {
            for negated in [false, true] {
                folds.next_row();
                let operand = |_: NodeId| Val::FieldText(a as u32);
                let got = row.compute(Node::In(0, s, negated), &operand, &mut folds, None);
                let want = compare::in_set(&Value::Text(ta.to_string()), &set(n), negated);
                assert_eq!(
                    got,
                    super::row_ops::of_truth(want),
                    "{ta:?} in {n} (negated: {negated})"
                );
            }
        }
    }
}

#[test]
fn row_logic_matches_kleene_logic() {
    let p = program(vec![0, 1, 2]);
    let row = Row {
        p: &p,
        values: &[],
        as_of: AS_OF,
    };
    let mut folds = Folds::new(0);
    let val = |t: Truth| super::row_ops::of_truth(t);
    let args = Args { start: 0, len: 3 };
    for t in tuples(&TRUTHS, 3) {
        let operand = |i: NodeId| val(t[i as usize]);
        let and = t.iter().fold(logic::AND_EMPTY, |a, &b| logic::and(a, b));
        let or = t.iter().fold(logic::OR_EMPTY, |a, &b| logic::or(a, b));
        assert_eq!(
            row.compute(Node::And(args), &operand, &mut folds, None),
            val(and)
        );
        assert_eq!(
            row.compute(Node::Or(args), &operand, &mut folds, None),
            val(or)
        );
        assert_eq!(
            row.compute(Node::Not(0), &operand, &mut folds, None),
            val(logic::not(t[0]))
        );
        for n in 0..=4u32 {
            let yes = t.iter().filter(|x| **x == Truth::Yes).count();
            let unknown = t.iter().filter(|x| **x == Truth::Unknown).count();
            let want = logic::at_least(n as usize, yes, unknown);
            assert_eq!(
                row.compute(Node::AtLeast(n, args), &operand, &mut folds, None),
                val(want)
            );
        }
    }
}

/// A date column's cell as a value.
fn date_cell(d: i32) -> Value {
    if d == NO_DATE {
        Value::Missing
    } else {
        Value::Date(d)
    }
}

#[test]
fn function_kernels_match_apply_for_every_operand_combination() {
    use crate::model::{Function, Type};
    use crate::semantics::function::apply;
    let p = program(vec![0, 1]);
    let one = Args { start: 0, len: 1 };
    let two = Args { start: 0, len: 2 };
    let numbers = tuples(&NUMBERS, 2);
    let mut calls = vec![
        (Function::Floor, one),
        (Function::Min, two),
        (Function::Max, two),
        (Function::Default, two),
    ];
    calls.extend((0..=9).map(|d| (Function::Round(d), one)));
    for (f, args) in calls {
        let ops = vec![number_column(&numbers, 0), number_column(&numbers, 1)];
        let out = Column::Num(vec![0.5; numbers.len()]);
        let out = run(
            &p,
            Node::Call(f, args, Type::Number),
            ops,
            out,
            numbers.len(),
        );
        for (r, row) in numbers.iter().enumerate() {
            let values = [number(row[0]), number(row[1])];
            let want = apply(f, &values[..args.len as usize]);
            let got = cell(floats(&out)[r]);
            assert!(
                same_number(&got, &want),
                "{f:?} {row:?}: {got:?} != {want:?}"
            );
        }
    }
    let days = tuples(&DATES, 2);
    for f in [Function::Min, Function::Max, Function::Default] {
        let ops = vec![date_column(&days, 0), date_column(&days, 1)];
        let out = Column::Date(vec![1; days.len()]);
        let out = run(&p, Node::Call(f, two, Type::Date), ops, out, days.len());
        let Column::Date(got) = out else {
            panic!("a date column")
        };
        for (r, row) in days.iter().enumerate() {
            let want = apply(f, &[date(row[0]), date(row[1])]);
            assert_eq!(date_cell(got[r]), want, "{f:?} {row:?}");
        }
    }
    let truths = tuples(&TRUTHS, 2);
    let ops = vec![truth_column(&truths, 0), truth_column(&truths, 1)];
    let out = Column::Bool(vec![F; truths.len()]);
    let call = Node::Call(Function::Default, two, Type::YesNo);
    let out = run(&p, call, ops, out, truths.len());
    for (r, row) in truths.iter().enumerate() {
        let as_value = |t: Truth| match t {
            Truth::Yes => Value::Bool(true),
            Truth::No => Value::Bool(false),
            Truth::Unknown => Value::Missing,
        };
        let want = match apply(Function::Default, &[as_value(row[0]), as_value(row[1])]) {
            Value::Bool(true) => T,
            Value::Bool(false) => F,
            _ => U,
        };
        assert_eq!(bytes(&out)[r], want, "default {row:?}");
    }
}

#[test]
fn quick_text_tests_answer_as_the_semantics_does() {
    use super::text_groups::Quick;
    use crate::semantics::text::trim;
    let mut p = text_program();
    let mut cells: Vec<&str> = TEXTS.to_vec();
    cells.extend([
        "",
        "  Mixed CASE cell  ",
        "xx@Rival.Example",
        "a@rival.example.",
    ]);
    let mut constants: Vec<&str> = TEXTS.to_vec();
    constants.extend([
        "",
        "@RIVAL.example",
        "mixed case",
        "cell",
        "a@rival.example. ",
    ]);
    p.consts = constants
        .iter()
        .map(|t| Constant {
            value: Value::Text(t.to_string()),
            folded: Some(fold(t)),
        })
        .collect();
    let mut ascii_cells = 0;
    for (k, constant) in constants.iter().enumerate() {
        // Node 0 is the field, node 1 the constant.
        p.nodes = vec![Node::Field(0), Node::Const(k as u32)];
        let tests = [
            Node::TextTest(TextOp::Contains, 0, 1),
            Node::TextTest(TextOp::StartsWith, 0, 1),
            Node::TextTest(TextOp::EndsWith, 0, 1),
            Node::Compare(CompareOp::Eq, 0, 1),
            Node::Compare(CompareOp::Ne, 1, 0),
        ];
        for node in tests {
            let quick = Quick::of(&p, node, 0).expect("a test of the field against a constant");
            for cell in &cells {
                let trimmed = trim(cell);
                if !trimmed.is_ascii() {
                    continue; // only ASCII cells take the quick path
                }
                ascii_cells += 1;
                let (mut lower, mut made) = (String::new(), false);
                let got = quick.holds(trimmed, &mut lower, &mut made);
                let (cell_value, k_value) = (
                    Value::Text(cell.to_string()),
                    Value::Text(constant.to_string()),
                );
                let want = match node {
                    Node::TextTest(op, _, _) => compare::text_test(op, cell, constant),
                    Node::Compare(op, _, _) => {
                        compare::compare(op, &k_value, &cell_value) == Truth::Yes
                    }
                    _ => unreachable!(),
                };
                assert_eq!(got, want, "{cell:?} {node:?} {constant:?}");
            }
        }
    }
    assert!(ascii_cells > 100, "the table has ASCII cells to test");
    // A test of two fields, or of a field against a pattern, has no quick form.
    p.nodes = vec![Node::Field(0), Node::Field(1)];
    assert!(Quick::of(&p, Node::TextTest(TextOp::Contains, 0, 1), 0).is_none());
}
