//! Three-valued (Kleene) logic: truth values in, truth values out.
//!
//! A condition that needs a missing value is unknown, not false, and it stays
//! unknown through `and`, `or`, `not`, `at least` and `between` unless the
//! known parts decide the result on their own (docs/language.md, "Missing
//! values"). Every evaluator uses [`Truth`] or is tested against it: the
//! reference evaluator and explanations directly, the compiled column kernels
//! by truth tables over every operand combination.

use crate::model::Value;

/// A truth value. Ordered `No < Unknown < Yes` (Kleene's order), so `and`
/// is a minimum and `or` a maximum; the discriminants are the bytes the
/// compiled columns store, so a column byte and a `Truth` are one thing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u8)]
pub enum Truth {
    No = 0,
    /// A value it needs is missing; it does not count.
    Unknown = 1,
    Yes = 2,
}

impl Truth {
    /// A yes/no value's truth: anything but a yes/no value is unknown.
    #[inline]
    pub fn of(v: &Value) -> Truth {
        match v {
            Value::Bool(b) => Truth::from(*b),
            _ => Truth::Unknown,
        }
    }

    /// `Some(b)` when known.
    #[inline]
    pub fn known(b: Option<bool>) -> Truth {
        b.map_or(Truth::Unknown, Truth::from)
    }

    /// `None` when unknown.
    #[inline]
    pub fn to_option(self) -> Option<bool> {
        match self {
            Truth::Yes => Some(true),
            Truth::No => Some(false),
            Truth::Unknown => None,
        }
    }

    /// As a value: unknown is missing.
    #[inline]
    pub fn value(self) -> Value {
        self.to_option().map_or(Value::Missing, Value::Bool)
    }

    /// Only `Yes` counts: a rule whose condition is unknown does not apply.
    #[inline]
    pub fn holds(self) -> bool {
        self == Truth::Yes
    }

    /// The column byte (see [`Truth`]).
    #[inline]
    pub fn byte(self) -> u8 {
        self as u8
    }

    /// The truth of a column byte; any byte but `No` and `Yes` is unknown.
    #[inline]
    pub fn from_byte(b: u8) -> Truth {
        match b {
            0 => Truth::No,
            2 => Truth::Yes,
            _ => Truth::Unknown,
        }
    }

    /// `yes`, `no`, `unknown`, as explanations say it.
    pub fn word(self) -> &'static str {
        match self {
            Truth::Yes => "yes",
            Truth::No => "no",
            Truth::Unknown => "unknown",
        }
    }
}

impl From<bool> for Truth {
    #[inline]
    fn from(b: bool) -> Truth {
        if b {
            Truth::Yes
        } else {
            Truth::No
        }
    }
}

/// `not x`: yes and no swap, unknown stays.
#[inline]
pub fn not(x: Truth) -> Truth {
    match x {
        Truth::Yes => Truth::No,
        Truth::No => Truth::Yes,
        Truth::Unknown => Truth::Unknown,
    }
}

/// `a and b`: no when either is no, else unknown when either is unknown.
#[inline]
pub fn and(a: Truth, b: Truth) -> Truth {
    a.min(b)
}

/// `a or b`: yes when either is yes, else unknown when either is unknown.
#[inline]
pub fn or(a: Truth, b: Truth) -> Truth {
    a.max(b)
}

/// What an `and` (`or`) of no parts is, and what every part is folded into.
pub const AND_EMPTY: Truth = Truth::Yes;
pub const OR_EMPTY: Truth = Truth::No;

/// The one value that decides an `and` (`no`) or an `or` (`yes`) alone.
#[inline]
pub fn decisive(is_and: bool) -> Truth {
    if is_and {
        Truth::No
    } else {
        Truth::Yes
    }
}

/// `at least n of (...)` from how many parts held and how many are unknown:
/// yes when enough held, no when even the unknown ones could not make it
/// enough, else unknown.
#[inline]
pub fn at_least(n: usize, yes: usize, unknown: usize) -> Truth {
    if yes >= n {
        Truth::Yes
    } else if yes + unknown < n {
        Truth::No
    } else {
        Truth::Unknown
    }
}

/// `x between lo and hi` from `x >= lo` and `x <= hi`: both must hold.
#[inline]
pub fn between(above: Truth, below: Truth) -> Truth {
    and(above, below)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [Truth; 3] = [Truth::No, Truth::Unknown, Truth::Yes];

    /// Kleene's tables, written out as the language documents them.
    #[test]
    fn and_or_not_follow_kleene_tables() {
        use Truth::*;
        for (a, b, and_ab, or_ab) in [
            (No, No, No, No),
            (No, Unknown, No, Unknown),
            (No, Yes, No, Yes),
            (Unknown, Unknown, Unknown, Unknown),
            (Unknown, Yes, Unknown, Yes),
            (Yes, Yes, Yes, Yes),
        ] {
            assert_eq!(and(a, b), and_ab, "{a:?} and {b:?}");
            assert_eq!(and(b, a), and_ab, "{b:?} and {a:?}");
            assert_eq!(or(a, b), or_ab, "{a:?} or {b:?}");
            assert_eq!(or(b, a), or_ab, "{b:?} or {a:?}");
        }
        assert_eq!(not(Yes), No);
        assert_eq!(not(No), Yes);
        assert_eq!(not(Unknown), Unknown);
    }

    /// `at least n` is `or` at n = 1 and `and` at n = all, for every pair.
    #[test]
    fn at_least_agrees_with_and_and_or() {
        for a in ALL {
            for b in ALL {
                let yes = [a, b].iter().filter(|t| **t == Truth::Yes).count();
                let unknown = [a, b].iter().filter(|t| **t == Truth::Unknown).count();
                assert_eq!(at_least(1, yes, unknown), or(a, b));
                assert_eq!(at_least(2, yes, unknown), and(a, b));
                assert_eq!(at_least(0, yes, unknown), Truth::Yes);
            }
        }
    }

    #[test]
    fn truth_round_trips_through_values_bytes_and_options() {
        for t in ALL {
            assert_eq!(Truth::of(&t.value()), t);
            assert_eq!(Truth::from_byte(t.byte()), t);
            assert_eq!(Truth::known(t.to_option()), t);
        }
        assert_eq!(Truth::of(&Value::Number(1.0)), Truth::Unknown);
        assert_eq!(Truth::from_byte(7), Truth::Unknown);
    }
}
