//! Random VALID definitions, written as text, and random inquiries for them.
//!
//! Reusable by any test that needs definitions the checker accepts (the
//! two-engines agreement test here; the formatter's round trip): use
//! [`definition`] for the text and [`inquiry`] for values of [`FIELDS`].
//! Every definition declares the same fields ([`FIELDS_BLOCK`], with
//! placeholders that generated cells sometimes are: `xab` everywhere, `7` in
//! `n2`) and varies
//! criteria (fixed points, per unit with a cap, decay on both, points by value,
//! groups with floors and caps,
//! `matched` and `at least` over earlier criteria), disqualifiers and stages
//! (using `score`, a group's sub-score and `matched`), routes (those and
//! the final `stage`, some ending in `otherwise`), and a hand-off brief.
//! Conditions cover every operator, three-valued logic, arithmetic, the
//! functions (`min`, `max`, `round`, `floor`, `default`, on numbers, dates
//! and yes/no), dates, regexes and constants that fold. Points and values
//! reach past half the largest number, so products,
//! sub-scores and scores overflow (and are missing), and `at least` counts
//! go past what 32 and 64 bits hold.

use proptest::prelude::*;
use qualify::model::{days_from_date, Value};

/// The fields block every generated definition starts with.
pub const FIELDS_BLOCK: &str = r#"missing values ["xab"]
fields {
  t1 text
  t2 text optional
  e1 one of "a", "b", "c d"
  n1 number
  n2 number optional missing when "7"
  b1 yes/no optional
  d1 date
  d2 date optional format "%d/%m/%Y"
}
holidays [2026-01-01, 2025-12-25]
let short = ["a", "b"]
"#;

/// Field kinds, in declaration order (for generating inquiries).
pub const FIELDS: [&str; 8] = [
    "text", "text", "oneof", "number", "number", "yesno", "date", "date",
];

fn number_leaf() -> BoxedStrategy<String> {
    prop_oneof![
        Just("n1".to_string()),
        Just("n2".to_string()),
        Just("3".to_string()),
        Just("0".to_string()),
        Just("2.5".to_string()),
        Just("days since d1".to_string()),
        Just("business days since d2".to_string()),
        Just("days since 2025-12-31".to_string()),
        Just("days since max(d1, d2)".to_string()),
        Just("business days since min(d2, 2026-01-03)".to_string()),
        Just("default(n2, 0)".to_string()),
    ]
    .boxed()
}

fn number_expr() -> BoxedStrategy<String> {
    number_leaf()
        .prop_recursive(2, 8, 2, |inner| {
            prop_oneof![
                (
                    inner.clone(),
                    prop::sample::select(vec!["+", "-", "*", "/"]),
                    inner.clone()
                )
                    .prop_map(|(a, op, b)| format!("({a} {op} {b})")),
                inner.clone().prop_map(|a| format!("-{a}")),
                (
                    prop::sample::select(vec!["min", "max", "default"]),
                    inner.clone(),
                    inner.clone()
                )
                    .prop_map(|(f, a, b)| format!("{f}({a}, {b})")),
                (
                    prop::sample::select(vec!["round(", "floor(", "round("]),
                    inner,
                    prop::sample::select(vec!["", ", 0", ", 1", ", 2", ", 9"]),
                )
                    .prop_map(|(f, a, places)| if f == "floor(" {
                        format!("floor({a})")
                    } else {
                        format!("{f}{a}{places})")
                    }),
            ]
        })
        .boxed()
}

fn text_value() -> BoxedStrategy<String> {
    prop::sample::select(vec![
        "\"abc\"", "\"AB\"", "\" x \"", "\"\"", "\"é\"", "\"c d\"", "\"Σ\"",
    ])
    .prop_map(str::to_string)
    .boxed()
}

fn leaf_condition(earlier: usize, in_stage: bool) -> BoxedStrategy<String> {
    let cmp = prop::sample::select(vec!["=", "!=", "<", "<=", ">", ">="]);
    let mut options: Vec<BoxedStrategy<String>> = vec![
        (number_expr(), cmp.clone(), number_expr())
            .prop_map(|(a, op, b)| format!("{a} {op} {b}"))
            .boxed(),
        (number_expr(), number_leaf(), number_leaf())
            .prop_map(|(a, lo, hi)| format!("{a} between {lo} and {hi}"))
            .boxed(),
        (
            prop::sample::select(vec!["t1", "t2"]),
            prop::sample::select(vec!["=", "!="]),
            text_value(),
        )
            .prop_map(|(f, op, v)| format!("{f} {op} {v}"))
            .boxed(),
        (
            prop::sample::select(vec!["t1", "t2"]),
            prop::sample::select(vec!["contains", "starts with", "ends with"]),
            text_value(),
        )
            .prop_map(|(f, op, v)| format!("{f} {op} {v}"))
            .boxed(),
        Just("t1 contains t2".to_string()).boxed(),
        Just("t1 = t2".to_string()).boxed(),
        (
            prop::sample::select(vec!["t1", "t2"]),
            prop::sample::select(vec![
                "/ab|x/",
                "/^A/",
                "/c d$/",
                "/(?-i)AB/",
                "/é|σ/",
                "/[0-9]+/",
            ]),
        )
            .prop_map(|(f, re)| format!("{f} matches {re}"))
            .boxed(),
        (
            prop::sample::select(vec!["e1", "t1", "t2"]),
            prop::sample::select(vec!["in", "not in"]),
            prop::sample::select(vec!["[\"a\", \"c d\"]", "short"]),
        )
            .prop_map(|(f, op, set)| format!("{f} {op} {set}"))
            .boxed(),
        (
            prop::sample::select(vec!["t1", "t2"]),
            prop::sample::select(vec!["in", "not in"]),
            Just("[\"a\", \"b\", \"c d\", \"x\", \"abc\", \"é\"]"),
        )
            .prop_map(|(f, op, set)| format!("{f} {op} {set}"))
            .boxed(),
        (
            prop::sample::select(vec!["n1", "n2"]),
            prop::sample::select(vec!["in", "not in"]),
            prop::sample::select(vec!["[0, 3, 2.5]", "[1, 2, 3, 4, 5, 6, 0]"]),
        )
            .prop_map(|(f, op, set)| format!("{f} {op} {set}"))
            .boxed(),
        Just("d1 in [2026-01-05, 2025-12-31]".to_string()).boxed(),
        Just("e1 = \"C D\"".to_string()).boxed(),
        Just("b1".to_string()).boxed(),
        Just("b1 = no".to_string()).boxed(),
        (prop::sample::select(vec!["d1", "d2"]), cmp.clone())
            .prop_map(|(d, op)| format!("{d} {op} 2026-01-02"))
            .boxed(),
        Just("d1 < d2".to_string()).boxed(),
        Just("default(b1, no)".to_string()).boxed(),
        Just("not default(n2 > 3, yes)".to_string()).boxed(),
        (
            prop::sample::select(vec![
                "max(d1, d2)",
                "default(d2, d1)",
                "min(d2, 2026-01-01)",
            ]),
            cmp.clone(),
        )
            .prop_map(|(d, op)| format!("{d} {op} 2026-01-02"))
            .boxed(),
        (
            prop::sample::select(vec!["t2", "n2", "b1", "d2", "t1"]),
            prop::sample::select(vec!["is missing", "is present"]),
        )
            .prop_map(|(f, t)| format!("{f} {t}"))
            .boxed(),
        Just("3 > 2".to_string()).boxed(),
        Just("\"A\" = \"a \"".to_string()).boxed(),
        Just("(1 + 2) * 3 = 9 and not (2 < 1)".to_string()).boxed(),
    ];
    if earlier > 0 {
        options.push(
            (0..earlier)
                .prop_map(|k| format!("matched \"c{k}\""))
                .boxed(),
        );
    }
    if in_stage {
        options.push(
            (cmp.clone(), -20i32..60)
                .prop_map(|(op, n)| format!("score {op} {n}"))
                .boxed(),
        );
        options.push(
            (cmp.clone(), 0i32..30)
                .prop_map(|(op, n)| format!("fit {op} {n}"))
                .boxed(),
        );
        options.push(
            (
                prop::sample::select(vec!["round(score, 1)", "floor(fit)", "max(score, fit)"]),
                cmp,
                -5i32..30,
            )
                .prop_map(|(v, op, n)| format!("{v} {op} {n}"))
                .boxed(),
        );
    }
    prop::strategy::Union::new(options).boxed()
}

pub fn condition(earlier: usize, in_stage: bool) -> BoxedStrategy<String> {
    leaf_condition(earlier, in_stage)
        .prop_recursive(3, 12, 3, |inner| {
            prop_oneof![
                (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a} and {b})")),
                (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a} or {b})")),
                inner.clone().prop_map(|a| format!("not ({a})")),
                (at_least_count(), prop::collection::vec(inner, 2..4))
                    .prop_map(|(n, items)| { format!("at least {n} of ({})", items.join(", ")) }),
            ]
        })
        .boxed()
}

/// A route's condition: a stage's leaves, and the final stage by name
/// (`s0` .. among the `stages` written, `rest`, `disqualified`).
pub fn route_condition(earlier: usize, stages: usize) -> BoxedStrategy<String> {
    let mut names: Vec<String> = (0..stages).map(|i| format!("s{i}")).collect();
    names.extend(["rest".to_string(), "disqualified".to_string()]);
    let name = prop::sample::select(names);
    let stage_leaf = prop_oneof![
        name.clone().prop_map(|s| format!("stage = \"{s}\"")),
        name.clone().prop_map(|s| format!("\"{s}\" != stage")),
        (name.clone(), name, any::<bool>()).prop_map(|(a, b, not)| {
            let not = if not { "not " } else { "" };
            format!("stage {not}in [\"{a}\", \"{b}\"]")
        }),
    ];
    prop_oneof![1 => leaf_condition(earlier, true), 2 => stage_leaf.boxed()]
        .prop_recursive(2, 6, 2, |inner| {
            prop_oneof![
                (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a} and {b})")),
                (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a} or {b})")),
                inner.prop_map(|a| format!("not ({a})")),
            ]
        })
        .boxed()
}

/// A hand-off brief: templates naming every kind of value (some often
/// missing), with and without conditions, and `matched`.
fn handoff(earlier: usize, stages: usize) -> BoxedStrategy<String> {
    let template = prop::sample::select(vec![
        "{t1} and {t2}",
        "{e1}: {n1}, {n2}",
        "{b1} since {d1}, {days since d2} days",
        "{score} in {stage}, to {route}",
        "plain words",
    ]);
    let line = prop_oneof![
        (template, prop::option::of(route_condition(earlier, stages))).prop_map(|(t, c)| {
            // In parentheses: a condition ending in `stage` before a line
            // `"..." when` would read as a stage declaration (docs/language.md).
            let when = c.map(|c| format!(" when ({c})")).unwrap_or_default();
            format!("  \"{t}\"{when}\n")
        }),
        Just("  matched\n".to_string()),
    ];
    (
        prop::option::of(route_condition(earlier, stages)),
        prop::collection::vec(line, 0..4),
    )
        .prop_map(|(when, lines)| {
            let when = when.map(|c| format!(" when {c}")).unwrap_or_default();
            format!("handoff{when} {{\n{}}}\n", lines.concat())
        })
        .boxed()
}

/// The `N` of `at least N of (...)`: small ones, and ones beyond any count of
/// items, up to and past what 32 and 64 bits hold (2^32 + 1 once wrapped to 1
/// in the compiled program).
fn at_least_count() -> BoxedStrategy<&'static str> {
    prop_oneof![
        4 => prop::sample::select(vec!["1", "2"]),
        1 => prop::sample::select(vec![
            "0",
            "4294967296",
            "4294967297",
            "18446744073709551617",
        ]),
    ]
    .boxed()
}

/// 1e308 written out (the language has no exponent): two of them add up to
/// more than a number can hold.
fn huge() -> String {
    format!("1{}", "0".repeat(308))
}

fn criterion(i: usize) -> BoxedStrategy<String> {
    let (plus_huge, minus_huge) = (format!("+{}", huge()), format!("-{}", huge()));
    let points = prop_oneof![
        6 => prop::sample::select(vec!["+10", "-5", "+2.5", "+30", ""]).prop_map(str::to_string),
        1 => prop::sample::select(vec![plus_huge.clone(), minus_huge]),
    ];
    let per_unit = prop::sample::select(vec!["+2".to_string(), "-3".to_string(), plus_huge]);
    prop_oneof![
        (points.clone(), condition(i, false))
            .prop_map(move |(p, c)| format!("criterion \"c{i}\" {p} when {c}")),
        (
            per_unit,
            number_expr(),
            prop::option::of(1u32..20),
            prop::option::of(condition(i, false)),
            prop::option::of((prop::sample::select(vec!["d1", "d2"]), 1u32..60)),
        )
            .prop_map(move |(p, a, cap, when, decay)| {
                let cap = cap.map(|c| format!(", at most {c}")).unwrap_or_default();
                let when = when.map(|w| format!(" when {w}")).unwrap_or_default();
                let decay = decay
                    .map(|(d, h)| format!(", halving every {h} days since {d}"))
                    .unwrap_or_default();
                format!("criterion \"c{i}\" {p} per {a}{cap}{when}{decay}")
            }),
        (
            condition(i, false),
            prop::sample::select(vec!["d1", "d2"]),
            1u32..60
        )
            .prop_map(move |(c, d, h)| format!(
                "criterion \"c{i}\" +30 when {c}, halving every {h} days since {d}"
            )),
        by_value(i),
    ]
    .boxed()
}

/// `points by FIELD { ... }` over every field type it takes, with keys in
/// other case and spacing than the values, named and huge points, and
/// `otherwise` or not.
fn by_value(i: usize) -> BoxedStrategy<String> {
    let keys: Vec<(&str, Vec<&str>)> = vec![
        ("e1", vec!["\"a\"", "\"C D\"", "\" b \""]),
        (
            "t1",
            vec!["\"abc\"", "\"AB\"", "\"x\"", "\"é\"", "\"σας\"", "\"\""],
        ),
        ("t2", vec!["\"abc\"", "\"c d\"", "\"123\""]),
        ("n1", vec!["0", "3", "2.5", "-2.5", "100", "1e-9"]),
        ("n2", vec!["0", "3", "7", "-2.5"]),
        ("b1", vec!["yes", "no"]),
    ];
    let points = || {
        prop::sample::select(vec![
            "10".to_string(),
            "-5".to_string(),
            "+2.5".to_string(),
            "0".to_string(),
            "-0".to_string(),
            huge(),
        ])
    };
    (
        prop::sample::select(keys),
        prop::collection::vec(points(), 6),
        prop::option::of(points()),
    )
        .prop_flat_map(move |((field, keys), pts, otherwise)| {
            let n = keys.len();
            (
                Just((field, pts, otherwise)),
                prop::sample::subsequence(keys, 1..=n),
            )
        })
        .prop_map(move |((field, pts, otherwise), keys)| {
            let mut entries: Vec<String> = keys
                .iter()
                .zip(&pts)
                // `1e-9` stands for a key with many digits (the language has no exponent).
                .map(|(k, p)| format!("{}: {p}", k.replace("1e-9", "0.000000001")))
                .collect();
            entries.extend(otherwise.map(|p| format!("otherwise {p}")));
            format!(
                "criterion \"c{i}\" points by {field} {{ {} }}",
                entries.join(", ")
            )
        })
        .boxed()
}

/// A random valid definition, as text.
pub fn definition() -> impl Strategy<Value = String> {
    (1usize..7)
        .prop_flat_map(|n| {
            (
                (0..n).map(criterion).collect::<Vec<_>>(),
                0..=n,
                prop::option::of(5u32..40),
                prop::option::of(-40i32..=0),
                prop::collection::vec(condition(n, false), 0..2),
                prop::collection::vec(condition(n, true), 0..3),
                Just(n),
            )
        })
        .prop_flat_map(
            |(criteria, in_group, cap, floor, disqualifiers, stages, n)| {
                let routes = prop::collection::vec(route_condition(n, stages.len()), 0..3);
                let brief = prop::option::of(handoff(n, stages.len()));
                (
                    Just((criteria, in_group, cap, floor, disqualifiers, stages)),
                    routes,
                    any::<bool>(),
                    brief,
                )
            },
        )
        .prop_map(|(parts, routes, otherwise, brief)| {
            let (criteria, in_group, cap, floor, disqualifiers, stages) = parts;
            let mut text = String::from(FIELDS_BLOCK);
            let floor = floor.map(|f| format!(", at least {f}")).unwrap_or_default();
            let cap = cap.map(|c| format!(", at most {c}")).unwrap_or_default();
            text.push_str(&format!("group fit{floor}{cap} {{\n"));
            for c in &criteria[..in_group] {
                text.push_str(&format!("  {c}\n"));
            }
            text.push_str("}\n");
            for c in &criteria[in_group..] {
                text.push_str(&format!("{c}\n"));
            }
            for (i, d) in disqualifiers.iter().enumerate() {
                text.push_str(&format!("disqualify \"q{i}\" when {d}\n"));
            }
            for (i, s) in stages.iter().enumerate() {
                text.push_str(&format!("stage \"s{i}\" when {s}\n"));
            }
            text.push_str("stage \"rest\" otherwise\n");
            for (i, r) in routes.iter().enumerate() {
                text.push_str(&format!("route \"r{i}\" when {r}\n"));
            }
            if otherwise && !routes.is_empty() {
                text.push_str("route \"elsewhere\" otherwise\n");
            }
            text.push_str(&brief.unwrap_or_default());
            text
        })
}

fn date(y: i32, m: u32, d: u32) -> i32 {
    days_from_date(chrono::NaiveDate::from_ymd_opt(y, m, d).expect("a valid date"))
}

fn value_of(kind: &'static str) -> BoxedStrategy<Value> {
    let missing = Just(Value::Missing);
    match kind {
        "text" => prop_oneof![
            1 => missing,
            6 => prop::sample::select(vec![
                "abc", "ABC", " x ", "AB", "c d", "xab", "é", "É", "ΣΑΣ", "a.c", "123", "Ab x"
            ])
            .prop_map(|t| Value::Text(t.to_string())),
        ]
        .boxed(),
        "oneof" => prop::sample::select(vec!["a", "B", " c D "])
            .prop_map(|t| Value::Text(t.to_string()))
            .boxed(),
        "number" => prop_oneof![
            1 => missing,
            6 => prop::sample::select(vec![
                0.0, -0.0, 3.0, 2.5, -2.5, 1e-9, 1e15, 1e300, -1e300, 7.0, 100.0, 0.1
            ])
            .prop_map(Value::Number),
            // Where rounding could differ: halves, 2.345 (below the half in
            // binary), 2^52 + 1 (whole, and odd).
            1 => prop::sample::select(vec![
                0.5, -1.5, 2.345, 1.005, 0.49999999999999994, 4_503_599_627_370_497.0
            ])
            .prop_map(Value::Number),
            // Past half the largest number: doubled, summed or multiplied,
            // these overflow.
            1 => prop::sample::select(vec![1e308, -1e308, f64::MAX])
            .prop_map(Value::Number),
        ]
        .boxed(),
        "yesno" => prop_oneof![missing, any::<bool>().prop_map(Value::Bool)].boxed(),
        _ => prop_oneof![
            1 => missing,
            6 => (-40i32..40).prop_map(|d| Value::Date(date(2026, 1, 1) + d)),
        ]
        .boxed(),
    }
}

/// Random values for [`FIELDS`] (required fields may be missing too: the
/// evaluators must agree on whatever they are given).
pub fn inquiry() -> impl Strategy<Value = Vec<Value>> {
    FIELDS.iter().map(|k| value_of(k)).collect::<Vec<_>>()
}

/// An as-of date near the generated dates.
pub fn as_of() -> impl Strategy<Value = i32> {
    (-10i32..50).prop_map(|d| date(2026, 1, 1) + d)
}

/// The events block a [`definition_with_events`] reads, after an `id` field
/// added last to [`FIELDS_BLOCK`] (so [`inquiry`]'s values keep their places).
pub const EVENTS_BLOCK: &str = r#"events activity {
  lead  from "Lead ID"
  kind  one of "call", "email", "reply"  from "Type"
  at    date
  page  text  optional
  size  number  optional  missing when "-1"
}
"#;

/// An aggregate of the events: every kind, every window, filters over each
/// type of event field (three-valued: `page` and `size` may be missing).
fn aggregate() -> BoxedStrategy<(String, bool)> {
    let kind = prop::sample::select(vec!["count of", "first", "last"]);
    let filter = prop::sample::select(vec![
        "",
        " where kind = \"call\"",
        " where kind in [\"email\", \"reply\"]",
        " where page contains \"pricing\"",
        " where page contains \"pricing\" or size > 2",
        " where not (size <= 3)",
    ]);
    let window = prop::sample::select(vec![
        "",
        " since d1",
        " since d2",
        " since max(d1, 2026-01-05)",
        " in the last 7 days",
        " in the last 1 days",
        " in the last 3 business days",
        " in the last 12 business days",
    ]);
    (kind, filter, window)
        .prop_map(|(k, f, w)| (format!("{k} activity{f}{w}"), k == "count of"))
        .boxed()
}

/// A per-event criterion, each event's points decaying from its own date:
/// `+5 per activity where ..., at most 9, each halving every 7 days`, with
/// every filter and window of [`aggregate`], caps, gates and odd half-lives.
fn per_event() -> BoxedStrategy<String> {
    (
        aggregate().prop_filter("a count", |(_, count)| *count),
        prop::sample::select(vec!["+5", "-3", "+0.7", "+2"]),
        prop::option::of(prop::sample::select(vec!["9", "2.5", "0"])),
        prop::option::of(prop::sample::select(vec![0.5, 1.0, 7.0, 30.0, 2.5, 0.3])),
        prop::option::of(condition(0, false)),
    )
        .prop_map(|((count, _), points, cap, half_life, gate)| {
            let events = count.trim_start_matches("count of ");
            let cap = cap.map(|c| format!(", at most {c}")).unwrap_or_default();
            let decay = half_life
                .map(|h| format!(", each halving every {h} days"))
                .unwrap_or_default();
            let gate = gate.map(|g| format!(" when {g}")).unwrap_or_default();
            format!("criterion \"each event\" {points} per {events}{cap}{decay}{gate}\n")
        })
        .boxed()
}

/// A condition on an aggregate, as a criterion or a stage would have it.
fn aggregate_condition() -> BoxedStrategy<String> {
    let compared = (
        aggregate(),
        0i32..4,
        prop::sample::select(vec![">=", "=", "<"]),
    )
        .prop_map(|((agg, count), n, op)| {
            // In parentheses: a `where` runs to the end of its condition,
            // so `where not (size <= 3) < 2` would compare inside it.
            if count {
                format!("({agg}) {op} {n}")
            } else {
                let test = ["is present", "is missing", ">= 2026-01-03", "< d1"][n as usize];
                format!("({agg}) {test}")
            }
        })
        .boxed();
    let since = aggregate()
        .prop_filter("a date", |(_, count)| !count)
        .prop_map(|(agg, _)| format!("days since ({agg}) < 6"))
        .boxed();
    prop_oneof![3 => compared, 1 => since].boxed()
}

/// A random valid definition that also reads events: [`definition`]'s
/// text, an `id` field, [`EVENTS_BLOCK`], criteria on aggregates (points
/// per a count, and often points per event decaying from each event's
/// date) and a stage on one.
pub fn definition_with_events() -> impl Strategy<Value = String> {
    (
        definition(),
        prop::collection::vec((aggregate_condition(), -9i32..20), 1..4),
        prop::option::of(aggregate_condition()),
        aggregate().prop_filter("a count", |(_, count)| *count),
        prop::option::of(per_event()),
    )
        .prop_map(|(text, criteria, stage, (count, _), each)| {
            let mut text = text.replacen(
                "  d2 date optional format \"%d/%m/%Y\"\n}\n",
                "  d2 date optional format \"%d/%m/%Y\"\n  id text optional\n}\n",
                1,
            );
            text.push_str(EVENTS_BLOCK);
            for (i, (c, points)) in criteria.iter().enumerate() {
                let sign = if *points < 0 { "-" } else { "+" };
                text.push_str(&format!(
                    "criterion \"ev{i}\" {sign}{} when {c}\n",
                    points.abs()
                ));
            }
            text.push_str(&format!(
                "criterion \"per event\" +2 per ({count}), at most 9\n"
            ));
            if let Some(each) = each {
                text.push_str(&each);
            }
            if let Some(s) = stage {
                text = text.replacen(
                    "stage \"rest\" otherwise\n",
                    &format!("stage \"ev\" when {s}\nstage \"rest\" otherwise\n"),
                    1,
                );
            }
            text
        })
}

/// Random values for [`FIELDS`] and the `id` of [`definition_with_events`].
pub fn inquiry_with_id() -> impl Strategy<Value = Vec<Value>> {
    (
        inquiry(),
        prop::sample::select(vec!["L1", "l1 ", "L2", "L3"]),
    )
        .prop_map(|(mut v, id)| {
            v.push(Value::Text(id.to_string()));
            v
        })
}

/// Events for [`EVENTS_BLOCK`], in its field order (`lead` is left to the
/// caller), dated around the generated dates; duplicates happen.
pub fn events() -> impl Strategy<Value = Vec<Vec<Value>>> {
    let one = (
        prop::sample::select(vec!["call", "email", "reply"]),
        -20i32..50,
        prop::option::of(prop::sample::select(vec![
            "/pricing",
            "/blog",
            "/Pricing/team",
        ])),
        prop::option::of(prop::sample::select(vec![0.0, 2.5, 4.0])),
    )
        .prop_map(|(kind, d, page, size)| {
            vec![
                Value::Missing,
                Value::Text(kind.to_string()),
                Value::Date(date(2026, 1, 1) + d),
                page.map_or(Value::Missing, |p| Value::Text(p.to_string())),
                size.map_or(Value::Missing, Value::Number),
            ]
        });
    prop::collection::vec(one, 0..12)
}
