//! Random valid definitions and inquiries for them, built from fuzz bytes
//! (the `engines` target).
//!
//! In: an [`Unstructured`] over libFuzzer's bytes. Out: a [`Case`]: the text
//! of a definition that checks, inquiries of values for its fields and an
//! as-of date. Every definition declares [`FIELDS_BLOCK`] and varies what
//! `tests/it/arbitrary.rs` varies (every operator, three-valued logic,
//! arithmetic, dates, regexes, per-unit points with caps, decay, groups with
//! caps, `matched` and `at least`, stages on `score` and a group's score),
//! with numbers, texts and dates drawn from the bytes rather than from short
//! lists, and `let`s.

use arbitrary::{Arbitrary, Result, Unstructured};
use qualify::model::{days_from_date, Value};

/// The fields block every generated definition starts with.
pub const FIELDS_BLOCK: &str = r#"fields {
  t1 text
  t2 text optional
  e1 one of "a", "b", "c d"
  n1 number
  n2 number optional
  b1 yes/no optional
  d1 date
  d2 date optional format "%d/%m/%Y"
}
let short = ["a", "b"]
"#;

/// A definition, inquiries for it and the date they are scored at.
#[derive(Debug)]
pub struct Case {
    pub text: String,
    pub rows: Vec<Vec<Value>>,
    pub as_of: i32,
}

impl<'a> Arbitrary<'a> for Case {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        let text = definition(u)?;
        let count = u.int_in_range(1..=8)?;
        let rows = (0..count).map(|_| inquiry(u)).collect::<Result<_>>()?;
        Ok(Case {
            text,
            rows,
            as_of: date(u)?,
        })
    }
}

fn pick<'s>(u: &mut Unstructured, options: &[&'s str]) -> Result<&'s str> {
    Ok(*u.choose(options)?)
}

/// A number literal: small, fractional, grouped or huge.
fn number_literal(u: &mut Unstructured) -> Result<String> {
    Ok(match u.int_in_range(0..=3)? {
        0 => pick(
            u,
            &[
                "0",
                "1",
                "2",
                "3",
                "2.5",
                "0.1",
                "100",
                "10_000",
                "4294967297",
                "1e3",
            ],
        )?
        .replace("1e3", "1000"),
        1 => u.int_in_range(0..=1000u32)?.to_string(),
        2 => format!(
            "{}.{}",
            u.int_in_range(0..=99u32)?,
            u.int_in_range(0..=99u32)?
        ),
        _ => u.arbitrary::<u64>()?.to_string(),
    })
}

fn number_leaf(u: &mut Unstructured) -> Result<String> {
    Ok(match u.int_in_range(0..=6)? {
        0 => "n1".into(),
        1 => "n2".into(),
        2 => "days since d1".into(),
        3 => "business days since d2".into(),
        4 => format!("days since {}", date_literal(u)?),
        5 => "business days since (d1)".into(),
        _ => number_literal(u)?,
    })
}

fn number_expr(u: &mut Unstructured, depth: u32) -> Result<String> {
    if depth == 0 || u.ratio(2, 3)? {
        return number_leaf(u);
    }
    Ok(match u.int_in_range(0..=1)? {
        0 => {
            let a = number_expr(u, depth - 1)?;
            let op = pick(u, &["+", "-", "*", "/"])?;
            let b = number_expr(u, depth - 1)?;
            format!("({a} {op} {b})")
        }
        _ => format!("-{}", number_expr(u, depth - 1)?),
    })
}

/// Text as it may appear in a definition's string or an inquiry: letters
/// that fold in unusual ways, spaces at either end.
fn text(u: &mut Unstructured) -> Result<String> {
    const PIECES: &[&str] = &[
        "a", "b", "A", "B", "c d", " ", "x", "é", "É", "Σ", "ς", "σ", "ß", "İ", "ﬃ", "1", "ab",
        "\t",
    ];
    let n = u.int_in_range(0..=4)?;
    let mut out = String::new();
    for _ in 0..n {
        out.push_str(pick(u, PIECES)?);
    }
    Ok(out)
}

fn text_literal(u: &mut Unstructured) -> Result<String> {
    Ok(format!("\"{}\"", text(u)?.replace('\t', " ")))
}

/// A value of `e1`'s list, in any case and spacing (a definition may only
/// compare `e1` with those).
fn one_of_literal(u: &mut Unstructured) -> Result<String> {
    Ok(format!(
        "\"{}\"",
        pick(u, &["a", "b", "c d", "C D", " A ", "B"])?
    ))
}

fn date_literal(u: &mut Unstructured) -> Result<String> {
    let days = u.int_in_range(-60..=60)?;
    let base = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).expect("a date");
    Ok((base + chrono::Duration::days(days))
        .format("%Y-%m-%d")
        .to_string())
}

fn regex(u: &mut Unstructured) -> Result<&'static str> {
    pick(
        u,
        &[
            "/ab|x/",
            "/^A/",
            "/c d$/",
            "/(?-i)AB/",
            "/é|σ/",
            "/[0-9]+/",
            "/^$/",
            "/ß/",
            "/\\s/",
            "/^.{2,}$/",
        ],
    )
}

/// Where a condition stands: what it may refer to.
#[derive(Clone, Copy)]
struct Place {
    /// Criteria before this one (`matched "c0"` ...).
    earlier: usize,
    /// In a stage: `score` and `fit` may be used.
    in_stage: bool,
    /// After the `let`s: `named` and `kinds` may be used.
    lets: bool,
}

fn leaf_condition(u: &mut Unstructured, at: Place) -> Result<String> {
    let cmp = ["=", "!=", "<", "<=", ">", ">="];
    let texts = ["t1", "t2"];
    let Place {
        earlier,
        in_stage,
        lets,
    } = at;
    let choices = 18 + usize::from(earlier > 0) + 2 * usize::from(in_stage);
    Ok(match u.choose_index(choices)? {
        0 => {
            let a = number_expr(u, 2)?;
            let op = pick(u, &cmp)?;
            format!("{a} {op} {}", number_expr(u, 2)?)
        }
        1 => {
            let a = number_expr(u, 2)?;
            let lo = number_leaf(u)?;
            format!("{a} between {lo} and {}", number_leaf(u)?)
        }
        2 => {
            let f = pick(u, &texts)?;
            let op = pick(u, &["=", "!="])?;
            format!("{f} {op} {}", text_literal(u)?)
        }
        3 => {
            let f = pick(u, &texts)?;
            let op = pick(u, &["contains", "starts with", "ends with"])?;
            format!("{f} {op} {}", text_literal(u)?)
        }
        4 => pick(u, &["t1 contains t2", "t1 = t2", "t2 starts with t1"])?.into(),
        5 => format!("{} matches {}", pick(u, &texts)?, regex(u)?),
        6 => {
            let f = pick(u, &["e1", "t1", "t2"])?;
            let op = pick(u, &["in", "not in"])?;
            let mut items = Vec::new();
            for _ in 0..u.int_in_range(0..=4)? {
                items.push(if f == "e1" {
                    one_of_literal(u)?
                } else {
                    text_literal(u)?
                });
            }
            let list = if u.ratio(1, 4)? {
                "short".to_string()
            } else {
                format!("[{}]", items.join(", "))
            };
            format!("{f} {op} {list}")
        }
        7 => {
            let f = pick(u, &["n1", "n2"])?;
            let op = pick(u, &["in", "not in"])?;
            let mut items = Vec::new();
            for _ in 0..u.int_in_range(1..=5)? {
                items.push(number_literal(u)?);
            }
            format!("{f} {op} [{}]", items.join(", "))
        }
        8 => format!(
            "{} in [{}, {}]",
            pick(u, &["d1", "d2"])?,
            date_literal(u)?,
            date_literal(u)?
        ),
        9 => format!("e1 = {}", one_of_literal(u)?),
        10 => pick(u, &["b1", "b1 = no", "b1 = yes", "not b1"])?.into(),
        11 => {
            let d = pick(u, &["d1", "d2"])?;
            format!("{d} {} {}", pick(u, &cmp)?, date_literal(u)?)
        }
        12 => pick(u, &["d1 < d2", "d1 = d2", "d2 >= d1"])?.into(),
        13 => {
            let f = pick(u, &["t2", "n2", "b1", "d2", "t1", "e1"])?;
            format!("{f} {}", pick(u, &["is missing", "is present"])?)
        }
        14 => pick(
            u,
            &[
                "3 > 2",
                "\"A\" = \"a \"",
                "(1 + 2) * 3 = 9 and not (2 < 1)",
                "1 / 0 > 1",
            ],
        )?
        .into(),
        15 if lets => pick(u, &["named", "not named"])?.into(),
        16 if lets => format!("{} kinds", pick(u, &["t1 in", "t2 not in"])?),
        15 | 16 => "n1 > 0".into(),
        17 => format!("t1 = {}", text_literal(u)?),
        18 if earlier > 0 => format!("matched \"c{}\"", u.choose_index(earlier)?),
        k if in_stage && k == choices - 2 => {
            let op = pick(u, &cmp)?;
            format!("score {op} {}", u.int_in_range(-20..=60)?)
        }
        _ => {
            let op = pick(u, &cmp)?;
            format!("fit {op} {}", u.int_in_range(0..=30)?)
        }
    })
}

fn condition(u: &mut Unstructured, depth: u32, at: Place) -> Result<String> {
    if depth == 0 || u.ratio(1, 2)? {
        return leaf_condition(u, at);
    }
    let sub = |u: &mut Unstructured| condition(u, depth - 1, at);
    Ok(match u.int_in_range(0..=3)? {
        0 => format!("({} and {})", sub(u)?, sub(u)?),
        1 => format!("({} or {})", sub(u)?, sub(u)?),
        2 => format!("not ({})", sub(u)?),
        _ => {
            let count = u.int_in_range(2..=4)?;
            let items = (0..count).map(|_| sub(u)).collect::<Result<Vec<_>>>()?;
            let n = match u.int_in_range(0..=5)? {
                // A count past u32: the program must not wrap it round
                // (known defect 03 until fixed).
                5 if !crate::known::skipped("03") => "4294967297".to_string(),
                k => k.to_string(),
            };
            format!("at least {n} of ({})", items.join(", "))
        }
    })
}

/// A rule's place, after `earlier` criteria.
fn rule(earlier: usize) -> Place {
    Place {
        earlier,
        in_stage: false,
        lets: true,
    }
}

fn points(u: &mut Unstructured) -> Result<String> {
    Ok(match u.int_in_range(0..=3)? {
        0 => String::new(),
        1 => pick(u, &["+10", "-5", "+2.5", "+30", "-0.25"])?.into(),
        _ => format!("{}{}", pick(u, &["+", "-"])?, number_literal(u)?),
    })
}

fn criterion(u: &mut Unstructured, i: usize) -> Result<String> {
    Ok(match u.int_in_range(0..=2)? {
        0 => format!(
            "criterion \"c{i}\" {} when {}",
            points(u)?,
            condition(u, 3, rule(i))?
        ),
        1 => {
            let per = number_expr(u, 2)?;
            let cap = if u.arbitrary()? {
                format!(", at most {}", number_literal(u)?)
            } else {
                String::new()
            };
            let when = if u.arbitrary()? {
                format!(" when {}", condition(u, 2, rule(i))?)
            } else {
                String::new()
            };
            let p = pick(u, &["+2", "-1", "+0.5", "+3"])?;
            format!("criterion \"c{i}\" {p} per {per}{cap}{when}")
        }
        _ => format!(
            "criterion \"c{i}\" {} when {}, halving every {} days since {}",
            points(u)?,
            condition(u, 2, rule(i))?,
            u.int_in_range(1..=400u32)?,
            pick(u, &["d1", "d2"])?
        ),
    })
}

/// A random valid definition, as text.
pub fn definition(u: &mut Unstructured) -> Result<String> {
    let mut text = String::from(FIELDS_BLOCK);
    if u.arbitrary()? {
        let mut days = Vec::new();
        for _ in 0..u.int_in_range(0..=4)? {
            days.push(date_literal(u)?);
        }
        text.push_str(&format!("holidays [{}]\n", days.join(", ")));
    }
    let mut kinds = Vec::new();
    for _ in 0..u.int_in_range(0..=3)? {
        kinds.push(text_literal(u)?);
    }
    text.push_str(&format!("let kinds = [{}]\n", kinds.join(", ")));
    text.push_str(&format!(
        "let named = {}\n",
        condition(
            u,
            2,
            Place {
                earlier: 0,
                in_stage: false,
                lets: false
            }
        )?
    ));
    let n = u.int_in_range(1..=7)?;
    let grouped = u.int_in_range(0..=n)?;
    let cap = if u.arbitrary()? {
        format!(" at most {}", number_literal(u)?)
    } else {
        String::new()
    };
    text.push_str(&format!("group fit{cap} {{\n"));
    for i in 0..n {
        if i == grouped {
            text.push_str("}\n");
        }
        text.push_str(&criterion(u, i)?);
        text.push('\n');
    }
    if grouped == n {
        text.push_str("}\n");
    }
    for i in 0..u.int_in_range(0..=2)? {
        text.push_str(&format!(
            "disqualify \"q{i}\" when {}\n",
            condition(u, 2, rule(n))?
        ));
    }
    for i in 0..u.int_in_range(0..=3)? {
        text.push_str(&format!(
            "stage \"s{i}\" when {}\n",
            condition(
                u,
                2,
                Place {
                    in_stage: true,
                    ..rule(n)
                }
            )?
        ));
    }
    text.push_str("stage \"rest\" otherwise\n");
    Ok(text)
}

/// A date: mostly near the generated literals, sometimes anywhere a
/// date can be.
fn date(u: &mut Unstructured) -> Result<i32> {
    let base = days_from_date(chrono::NaiveDate::from_ymd_opt(2026, 1, 1).expect("a date"));
    if u.ratio(7, 8)? {
        return Ok(base + u.int_in_range(-400..=400)?);
    }
    let lo = days_from_date(chrono::NaiveDate::MIN);
    let hi = days_from_date(chrono::NaiveDate::MAX);
    u.int_in_range(lo..=hi)
}

fn number(u: &mut Unstructured) -> Result<f64> {
    Ok(match u.int_in_range(0..=2)? {
        0 => *u.choose(&[
            0.0,
            -0.0,
            3.0,
            2.5,
            -2.5,
            1e-9,
            1e15,
            1e300,
            -1e300,
            7.0,
            100.0,
            0.1,
            f64::MAX,
            f64::MIN_POSITIVE,
            4294967297.0,
        ])?,
        1 => f64::from(u.int_in_range(-1000..=1000)?) / 4.0,
        _ => {
            // Any finite number: a file's cells are never NaN or infinite.
            let n = f64::from_bits(u.arbitrary()?);
            if n.is_finite() {
                n
            } else {
                1.0
            }
        }
    })
}

/// Values for the fields of [`FIELDS_BLOCK`], as the decoder could give
/// them (required fields may be missing too: the evaluators must agree on
/// whatever they are given).
pub fn inquiry(u: &mut Unstructured) -> Result<Vec<Value>> {
    let missing = |u: &mut Unstructured| u.ratio(1, 6);
    let mut row = Vec::with_capacity(8);
    for _ in 0..2 {
        row.push(if missing(u)? {
            Value::Missing
        } else {
            Value::Text(text(u)?)
        });
    }
    row.push(Value::Text(
        pick(u, &["a", "B", " c D ", "A ", "b"])?.into(),
    ));
    for _ in 0..2 {
        row.push(if missing(u)? {
            Value::Missing
        } else {
            Value::Number(number(u)?)
        });
    }
    row.push(match u.int_in_range(0..=2)? {
        0 => Value::Missing,
        1 => Value::Bool(true),
        _ => Value::Bool(false),
    });
    for _ in 0..2 {
        row.push(if missing(u)? {
            Value::Missing
        } else {
            Value::Date(date(u)?)
        });
    }
    Ok(row)
}
