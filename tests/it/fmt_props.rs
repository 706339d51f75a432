//! Property: for random definitions written in random layouts (spaces, line
//! breaks, blank lines, comments anywhere a comment may go), `fmt` keeps the
//! syntax tree and every comment, and formatting twice changes nothing.
//! Also for every definition in the repository with its layout scrambled.

use crate::fmt::{assert_safe, corpus};
use proptest::prelude::*;

/// A small deterministic generator (the seed comes from proptest).
struct Gen(u64);

impl Gen {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len())]
    }
}

/// Tokens of a condition.
fn condition(g: &mut Gen, depth: usize, out: &mut Vec<String>) {
    let parts = if depth < 3 { 1 + g.below(3) } else { 1 };
    let op = g.pick(&["and", "or"]);
    for i in 0..parts {
        if i > 0 {
            out.push(op.into());
        }
        if g.chance(15) {
            out.push("not".into());
        }
        if depth < 3 && g.chance(25) {
            out.push("(".into());
            condition(g, depth + 1, out);
            out.push(")".into());
            continue;
        }
        let atom: &[&str] = match g.below(14) {
            0 => &["n", ">", "5"],
            1 => &["n", "between", "1", "and", "10_000"],
            2 => &["t", "contains", "\"x#y\""],
            3 => &["t", "matches", "/a|b#c/"],
            4 => &["k", "in", "[", "\"a\"", ",", "\"b\"", "]"],
            5 => &["k", "not", "in", "kinds"],
            6 => &["d", "is", "missing"],
            7 => &["days", "since", "d", ">", "30"],
            8 => &["business", "days", "since", "d", ">=", "3"],
            9 => &["yn"],
            10 => &["n", "*", "2", "+", "1", ">=", "-", "3"],
            11 => &["t", "starts", "with", "\"a\""],
            12 => &["d", "<", "2026-01-01"],
            _ => &["big"],
        };
        out.extend(atom.iter().map(|s| s.to_string()));
    }
}

fn criterion(g: &mut Gen, i: usize, out: &mut Vec<String>) {
    out.push("criterion".into());
    out.push(format!("\"c{i}{}\"", "x".repeat(g.below(12))));
    if g.chance(80) {
        out.push(format!("{}{}", g.pick(&["+", "-"]), 1 + g.below(40)));
    }
    if g.chance(15) {
        out.extend(["per", "n", ","].map(String::from));
        out.push("at most".into());
        out.push("10".into());
        if g.chance(50) {
            out.push("when".into());
            condition(g, 0, out);
        }
    } else {
        out.push("when".into());
        if i > 0 && g.chance(15) {
            out.push("at least".into());
            out.extend(["1", "of", "(", "\"c0\"", ",", "n", ">", "1", ")"].map(String::from));
        } else {
            condition(g, 0, out);
        }
        if g.chance(10) {
            out.extend([",", "halving", "every", "30", "days", "since", "d"].map(String::from));
        }
    }
}

/// Tokens of a whole definition.
fn definition(g: &mut Gen) -> Vec<String> {
    let mut t: Vec<String> = Vec::new();
    let push = |t: &mut Vec<String>, s: &str| t.extend(s.split(' ').map(String::from));
    push(&mut t, "definition \"random\"");
    if g.chance(50) {
        t.push("agreed by".into());
        t.push("\"sales\"".into());
    }
    push(&mut t, "fields { id text n number");
    t.push("optional".into());
    push(&mut t, "t text optional from \"T-col\" k");
    t.push("one of".into());
    push(
        &mut t,
        "\"a\" , \"b\" , \"c\" d date optional format \"%d/%m/%Y\" yn yes/no }",
    );
    if g.chance(50) {
        push(&mut t, "holidays [ 2026-12-24 , 2026-12-25 , ]");
    }
    push(&mut t, "let kinds = [ \"a\" , \"b\" ] let big = n > 100");
    for i in 0..g.below(3) {
        t.push("disqualify".into());
        t.push(format!("\"d{i}\""));
        t.push("when".into());
        condition(g, 0, &mut t);
    }
    let count = 1 + g.below(6);
    let grouped = g.below(count + 1);
    for i in 0..count {
        if i == grouped && g.chance(50) {
            push(&mut t, "group fit");
            if g.chance(50) {
                t.push(",".into());
                t.push("at most".into());
                t.push("50".into());
            }
            t.push("{".into());
            criterion(g, i, &mut t);
            t.push("}".into());
        } else {
            criterion(g, i, &mut t);
        }
    }
    for i in 0..g.below(3) {
        t.push("stage".into());
        t.push(format!("\"s{i}\""));
        t.push("when".into());
        if g.chance(30) {
            push(&mut t, "score >= 10 and");
        }
        condition(g, 0, &mut t);
    }
    push(&mut t, "stage \"rest\" otherwise");
    if g.chance(60) {
        push(&mut t, "example \"e\" {");
        if g.chance(50) {
            t.push("as of".into());
            t.push("2026-11-23".into());
        }
        push(
            &mut t,
            "n : 10_000 , t : \"x\" k : \"a\" yn : yes d : missing",
        );
        push(
            &mut t,
            "expect stage \"rest\" expect matched \"c0\" , \"c0\"",
        );
        push(
            &mut t,
            "expect score between -5 and 10.5 expect not disqualified }",
        );
    }
    t
}

/// Tokens joined with random whitespace and comments.
fn layout(g: &mut Gen, tokens: &[String]) -> String {
    let mut out = String::new();
    for (i, tok) in tokens.iter().enumerate() {
        if i > 0 {
            // Comments are rare: one inside a rule makes fmt keep that rule as written.
            out.push_str(match g.below(100) {
                0..=79 => " ",
                80..=87 => "\n",
                88 | 89 => "\n\n\n",
                90 | 91 => "    ",
                92 | 93 => "\n      ",
                94 | 95 => " # note\n",
                96 => "\n# own line\n",
                97 => "\n\n# after a blank\n\n",
                _ => "  ",
            });
        }
        // Multi-word keywords may take any whitespace, never a comment.
        let tok = if tok.contains(' ') && g.chance(20) {
            tok.replace(' ', "\n  ")
        } else {
            tok.clone()
        };
        out.push_str(&tok);
    }
    out.push('\n');
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn random_definitions_format_safely(seed in 1u64..u64::MAX) {
        let mut g = Gen(seed);
        let tokens = definition(&mut g);
        let text = layout(&mut g, &tokens);
        let parsed = qualify::syntax::parse(&qualify::source::SourceFile::new("r.lead", text.as_str()));
        prop_assert!(parsed.is_ok(), "the generator wrote something that does not parse:\n{text}\n{:?}", parsed.err());
        assert_safe("random.lead", &text);
    }

}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn repository_definitions_with_scrambled_layout_format_safely(seed in 1u64..u64::MAX) {
        let mut g = Gen(seed);
        for path in corpus() {
            let Ok(text) = std::fs::read_to_string(&path) else { continue };
            assert_safe(&path.display().to_string(), &scramble(&mut g, &text));
        }
    }
}

/// The same definition with its spaces changed: runs of spaces become other
/// runs, some become line breaks. Comments, strings and patterns are kept.
fn scramble(g: &mut Gen, text: &str) -> String {
    let mut out = String::new();
    let mut in_comment = false;
    let mut in_literal: Option<char> = None;
    let mut prev_word = String::new();
    for ch in text.chars() {
        if in_comment {
            in_comment = ch != '\n';
            out.push(ch);
            continue;
        }
        if let Some(q) = in_literal {
            if ch == q {
                in_literal = None;
            }
            out.push(ch);
            continue;
        }
        match ch {
            '#' => in_comment = true,
            '"' => in_literal = Some('"'),
            '/' if prev_word == "matches" => in_literal = Some('/'),
            _ => {}
        }
        if ch.is_alphanumeric() || ch == '_' {
            prev_word.push(ch);
        } else if !ch.is_whitespace() {
            prev_word.clear();
        } else if !prev_word.is_empty() && ch == ' ' {
            // keep `prev_word` across spaces so `matches /x/` is still seen
        }
        if ch == ' ' && !prev_word.is_empty() && g.chance(10) {
            out.push_str(g.pick(&["\n  ", "   ", "\n\n"]));
            continue;
        }
        if ch.is_whitespace() && prev_word.is_empty() && g.chance(5) {
            out.push(ch);
            out.push(' ');
            continue;
        }
        out.push(ch);
    }
    out
}
