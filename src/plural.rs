//! Counts in words for messages: a number and a noun (or verb) in, the form
//! that agrees with it out, so every message says "1 rejected row" and
//! "2 rejected rows" the same way.
//!
//! ```
//! use qualify::plural::{count, pick};
//! assert_eq!(count(1, "regex", "regexes"), "1 regex");
//! assert_eq!(count(0, "error", "errors"), "0 errors");
//! assert_eq!(pick(1, "changes", "change"), "changes");
//! ```

/// A count: anything whose value is exactly one or not.
pub trait Count: Copy + std::fmt::Display {
    fn is_one(self) -> bool;
}

macro_rules! count_ints {
    ($($t:ty),*) => {$(
        impl Count for $t {
            fn is_one(self) -> bool {
                self == 1
            }
        }
    )*};
}
count_ints!(u8, u16, u32, u64, usize, i32, i64);

/// `one` when `n` is 1, else `many`: the noun after a count, or the verb
/// whose subject it is ("1 inquiry changes", "2 inquiries change").
pub fn pick<'a>(n: impl Count, one: &'a str, many: &'a str) -> &'a str {
    if n.is_one() {
        one
    } else {
        many
    }
}

/// `n` and the noun that agrees with it: `count(1, "row", "rows")` is
/// `1 row`, `count(3, "row", "rows")` is `3 rows`.
pub fn count(n: impl Count, one: &str, many: &str) -> String {
    format!("{n} {}", pick(n, one, many))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_is_singular_and_every_other_count_plural() {
        assert_eq!(count(1usize, "row", "rows"), "1 row");
        for n in [0u64, 2, 11, 21, 101] {
            assert_eq!(count(n, "row", "rows"), format!("{n} rows"));
        }
        assert_eq!(pick(1u32, "criterion", "criteria"), "criterion");
        assert_eq!(pick(4u32, "criterion", "criteria"), "criteria");
    }
}
