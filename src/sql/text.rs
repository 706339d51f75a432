//! Text as the language compares it, in SQL: a text expression in, its
//! folded form ([`crate::semantics::text::fold`]) out, exactly.
//!
//! Rust trims Unicode white space and lowercases whole strings: every
//! character by its own lowercase, except `İ` (two characters) and a capital
//! sigma, which is `ς` at the end of a word (Unicode's `Final_Sigma`: a cased
//! letter before it and none after it, case-ignorable characters skipped).
//! The SQL writes the same steps out: trim by the list of white space
//! characters, the final-sigma rule as one regex replacement, `İ` replaced,
//! then `translate` by the table of every character whose lowercase differs.
//! No engine's own `lower` is used: they disagree with Rust and each other.

use super::dialect::Dialect;
use regex_syntax::hir::{Class, ClassUnicode, HirKind};
use std::sync::OnceLock;

const SIGMA: char = 'Σ';
const DOTTED_I: char = 'İ';

/// Every character Rust counts as white space (Unicode's `White_Space`),
/// for `trim`.
pub fn white_space() -> &'static str {
    static SPACE: OnceLock<String> = OnceLock::new();
    SPACE.get_or_init(|| {
        chars_of(&property("White_Space"))
            .filter(|c| c.is_whitespace())
            .collect()
    })
}

/// The characters of a class.
fn chars_of(class: &ClassUnicode) -> impl Iterator<Item = char> + '_ {
    class
        .ranges()
        .iter()
        .flat_map(|r| (r.start() as u32..=r.end() as u32).filter_map(char::from_u32))
}

/// The `translate` table: characters whose lowercase is one other character.
pub(super) fn lowercase_table() -> &'static (String, String) {
    static TABLE: OnceLock<(String, String)> = OnceLock::new();
    TABLE.get_or_init(|| {
        let (mut from, mut to) = (String::new(), String::new());
        // Every character, as Rust's own tables lowercase it (its Unicode
        // version, not regex-syntax's); lowercasing changes only letters and
        // the few cased symbols, which are alphabetic or uppercase.
        let all = (0..=0x10FFFFu32).filter_map(char::from_u32);
        for c in all.filter(|c| c.is_alphabetic() || c.is_uppercase()) {
            if c == SIGMA || c == DOTTED_I {
                continue;
            }
            let mut lower = c.to_lowercase();
            if let (Some(l), None) = (lower.next(), lower.next()) {
                if l != c {
                    from.push(c);
                    to.push(l);
                }
            }
        }
        // A capital sigma the final-sigma rule left is a `σ`.
        from.push(SIGMA);
        to.push('σ');
        (from, to)
    })
}

/// The code points of a Unicode property, as regex-syntax knows them.
fn property(name: &str) -> ClassUnicode {
    match regex_syntax::Parser::new().parse(&format!("\\p{{{name}}}")) {
        Ok(hir) => match hir.into_kind() {
            HirKind::Class(Class::Unicode(u)) => u,
            _ => ClassUnicode::empty(),
        },
        Err(_) => ClassUnicode::empty(),
    }
}

/// The classes the final-sigma rule needs: cased and not case-ignorable,
/// case-ignorable, and neither.
fn sigma_classes() -> &'static (ClassUnicode, ClassUnicode, ClassUnicode) {
    static CLASSES: OnceLock<(ClassUnicode, ClassUnicode, ClassUnicode)> = OnceLock::new();
    CLASSES.get_or_init(|| {
        let cased = property("Cased");
        let ignorable = property("Case_Ignorable");
        let mut cased_only = cased.clone();
        cased_only.difference(&ignorable);
        let mut neither = cased;
        neither.union(&ignorable);
        neither.negate();
        (cased_only, ignorable, neither)
    })
}

/// `sql` trimmed of Unicode white space, as `str::trim`.
///
/// A cell that starts and ends with a visible ASCII character (the usual
/// cell) is its own trim: trimming by a list of characters costs the engines
/// a lookup in that list per character, 0.8 µs a cell in DuckDB.
pub fn trim(dialect: Dialect, sql: &str) -> String {
    let full = dialect.trim_chars(sql, white_space());
    match dialect.first_code_point(sql) {
        Some(first) => {
            let last = dialect
                .first_code_point(&format!("right({sql}, 1)"))
                .unwrap_or_default();
            format!("(CASE WHEN {first} BETWEEN 33 AND 126 AND {last} BETWEEN 33 AND 126 THEN {sql} ELSE {full} END)")
        }
        None => full,
    }
}

/// `sql` (already trimmed) folded as [`crate::semantics::text::fold`] folds it.
pub fn fold_trimmed(dialect: Dialect, sql: &str) -> String {
    let (from, to) = lowercase_table();
    let (cased_only, ignorable, neither) = sigma_classes();
    let class = |c: &ClassUnicode| super::regex::class(dialect, c);
    let sigma = dialect.regex_char(SIGMA as u32);
    // A cased character that is not case-ignorable, then case-ignorable
    // ones, then Σ, then case-ignorable ones, then the end or a character
    // that is neither: that Σ ends a word. (A character both cased and
    // case-ignorable is skipped, as Rust skips it.)
    let final_sigma = format!(
        "({}{}*){sigma}({}*(?:{}|{}))",
        class(cased_only),
        class(ignorable),
        class(ignorable),
        class(neither),
        dialect.regex_anchors().1
    );
    let sigma_fixed = dialect.regex_replace_all(sql, &final_sigma, &["\\1", "ς", "\\2"]);
    let with_sigma = format!(
        "(CASE WHEN {} THEN {sigma_fixed} ELSE {sql} END)",
        dialect.contains(sql, &dialect.text(&SIGMA.to_string()))
    );
    let dotted = format!(
        "replace({with_sigma}, {}, {})",
        dialect.text(&DOTTED_I.to_string()),
        dialect.text("i\u{307}")
    );
    // ASCII text (the usual cell) folds by lowercasing A-Z alone. Where the
    // engine's own `lower` agrees with Rust's on every character of a
    // Unicode version, text of those characters takes it: the engines'
    // `translate` looks each character up in its table afresh on every row,
    // about 0.1 ms a row with this table in DuckDB.
    let engine_lower = match dialect.lower_exact_up_to() {
        Some(age) => format!(
            " WHEN NOT {} THEN lower({dotted})",
            dialect.regex_search(sql, &newer_than(dialect, age))
        ),
        None => String::new(),
    };
    format!(
        "(CASE WHEN {} THEN {}{engine_lower} ELSE translate({dotted}, {}, {}) END)",
        dialect.is_ascii(sql),
        dialect.ascii_lower(sql),
        dialect.text(from),
        dialect.text(to)
    )
}

/// A regex class of every character not assigned by Unicode version `age`
/// (as regex-syntax names it, `V13_0`).
fn newer_than(dialect: Dialect, age: &str) -> String {
    let mut class = property(&format!("Age={age}"));
    class.negate();
    super::regex::class(dialect, &class)
}

/// Whether the engine's `lower` is trusted for `c` (for the test that
/// holds the engine to it).
pub fn engine_lower_trusted(dialect: Dialect, c: char) -> bool {
    static AGES: OnceLock<std::collections::HashMap<&'static str, ClassUnicode>> = OnceLock::new();
    let ages = AGES.get_or_init(|| {
        [Dialect::DuckDb, Dialect::Postgres, Dialect::Spark]
            .into_iter()
            .filter_map(Dialect::lower_exact_up_to)
            .map(|age| (age, property(&format!("Age={age}"))))
            .collect()
    });
    dialect
        .lower_exact_up_to()
        .and_then(|age| ages.get(age))
        .is_some_and(|class| {
            // The ranges are sorted and apart.
            let ranges = class.ranges();
            let after = ranges.partition_point(|r| r.end() < c);
            ranges.get(after).is_some_and(|r| r.start() <= c)
        })
}
