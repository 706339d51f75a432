//! A definition's pattern in SQL: the pattern as written (Rust's syntax,
//! case-insensitive unless it says `(?-i)`) in, a pattern that matches the
//! same texts in the dialect's regex engine out, or why there is none.
//!
//! The pattern is parsed by `regex-syntax`, the parser the scorer's own
//! `regex` uses, and written back from its meaning: every literal and class
//! as explicit code points (case-insensitivity already expanded by the
//! parser, with Unicode's simple case folding, as Rust applies it), groups
//! without captures, `^`/`$` as the start and end of the text. What some
//! engine would read differently (word boundaries, line anchors, byte
//! classes, repetition beyond the engine's limit) is refused by name.

use super::dialect::Dialect;
use regex_syntax::hir::{Class, ClassUnicode, Hir, HirKind, Look};

/// Longest pattern written; a larger one is refused (`\w` and friends
/// expand into thousands of ranges).
const MAX_PATTERN: usize = 200_000;

/// `pattern` (as a definition writes it) for `dialect`, or why it cannot be.
pub fn translate(dialect: Dialect, pattern: &str) -> Result<String, String> {
    let hir = regex_syntax::ParserBuilder::new()
        .case_insensitive(true)
        .build()
        .parse(pattern)
        .map_err(|e| format!("regex-syntax cannot read it: {e}"))?;
    let mut out = String::new();
    write(dialect, &hir, &mut out)?;
    if out.len() > MAX_PATTERN {
        return Err(format!(
            "it expands to {} bytes of explicit characters (at most {MAX_PATTERN}); \
             name the characters instead of a Unicode class such as \\w",
            out.len()
        ));
    }
    Ok(out)
}

fn write(dialect: Dialect, hir: &Hir, out: &mut String) -> Result<(), String> {
    match hir.kind() {
        HirKind::Empty => out.push_str("(?:)"),
        HirKind::Literal(lit) => {
            let text = std::str::from_utf8(&lit.0)
                .map_err(|_| "it matches bytes that are not UTF-8".to_string())?;
            for c in text.chars() {
                out.push_str(&char_in_pattern(dialect, c));
            }
        }
        HirKind::Class(Class::Unicode(class)) => {
            if class.ranges().is_empty() {
                return Err("it has a class that matches nothing".into());
            }
            out.push_str(&self::class(dialect, class));
        }
        HirKind::Class(Class::Bytes(_)) => {
            return Err("it matches bytes rather than characters ((?-u))".into())
        }
        HirKind::Look(look) => {
            let (start, end) = dialect.regex_anchors();
            match look {
                Look::Start => out.push_str(start),
                Look::End => out.push_str(end),
                other => {
                    return Err(format!(
                        "{} is read differently by {}'s regexes",
                        look_name(*other),
                        dialect.name()
                    ))
                }
            }
        }
        HirKind::Repetition(rep) => {
            let limit = dialect.max_repeat();
            if rep.min > limit || rep.max.is_some_and(|m| m > limit) {
                return Err(format!(
                    "it repeats more than {limit} times, more than {}'s regexes allow",
                    dialect.name()
                ));
            }
            out.push_str("(?:");
            write(dialect, &rep.sub, out)?;
            out.push(')');
            match (rep.min, rep.max) {
                (0, None) => out.push('*'),
                (1, None) => out.push('+'),
                (0, Some(1)) => out.push('?'),
                (n, None) => out.push_str(&format!("{{{n},}}")),
                (n, Some(m)) if n == m => out.push_str(&format!("{{{n}}}")),
                (n, Some(m)) => out.push_str(&format!("{{{n},{m}}}")),
            }
        }
        HirKind::Capture(cap) => {
            out.push_str("(?:");
            write(dialect, &cap.sub, out)?;
            out.push(')');
        }
        HirKind::Concat(parts) => {
            for p in parts {
                write(dialect, p, out)?;
            }
        }
        HirKind::Alternation(parts) => {
            out.push_str("(?:");
            for (i, p) in parts.iter().enumerate() {
                if i > 0 {
                    out.push('|');
                }
                write(dialect, p, out)?;
            }
            out.push(')');
        }
    }
    Ok(())
}

fn look_name(look: Look) -> &'static str {
    match look {
        Look::StartLF | Look::EndLF | Look::StartCRLF | Look::EndCRLF => {
            "a line anchor ((?m)^ or $)"
        }
        _ => "a word boundary (\\b, \\B, \\<, \\>)",
    }
}

/// One character outside brackets: as itself when it means itself in every
/// engine, else escaped (punctuation, white space, control characters).
fn char_in_pattern(dialect: Dialect, c: char) -> String {
    if c.is_alphanumeric() && !c.is_ascii() || c.is_ascii_alphanumeric() {
        c.to_string()
    } else {
        dialect.regex_char(c as u32)
    }
}

/// One character inside brackets: as itself unless it is special there
/// (`]`, `\`, `^`, `-`, `[`), white space or a control character, so that
/// large classes stay short.
fn char_in_class(dialect: Dialect, c: u32) -> String {
    match char::from_u32(c) {
        Some(ch)
            if !ch.is_whitespace()
                && !ch.is_control()
                && !matches!(ch, ']' | '\\' | '^' | '-' | '[' | '\'' | '`')
                && c != 0xFEFF =>
        {
            ch.to_string()
        }
        _ => dialect.regex_char(c),
    }
}

/// A bracketed class of `class`'s ranges. PostgreSQL text cannot hold NUL,
/// and its regexes cannot name it, so a range from NUL starts at 1 there.
pub fn class(dialect: Dialect, class: &ClassUnicode) -> String {
    let mut out = String::from("[");
    for r in class.ranges() {
        out.push_str(&range(dialect, r.start() as u32, r.end() as u32));
    }
    out.push(']');
    out
}

/// One range of a bracketed class.
pub fn range(dialect: Dialect, start: u32, end: u32) -> String {
    let start = if dialect == Dialect::Postgres {
        start.max(1)
    } else {
        start
    };
    if start >= end {
        char_in_class(dialect, end)
    } else {
        format!(
            "{}-{}",
            char_in_class(dialect, start),
            char_in_class(dialect, end)
        )
    }
}
