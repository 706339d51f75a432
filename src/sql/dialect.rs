//! What differs between the SQL engines: a dialect in, the spelling of one
//! construct out (quoting, literals, casts, regex and text functions).
//!
//! Everything else the compiler writes is plain SQL that DuckDB, PostgreSQL
//! and Spark read alike.

/// An SQL engine the compiler writes for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dialect {
    DuckDb,
    Postgres,
    Spark,
}

impl Dialect {
    /// The name users write (`--dialect duckdb`).
    pub fn name(self) -> &'static str {
        match self {
            Dialect::DuckDb => "duckdb",
            Dialect::Postgres => "postgres",
            Dialect::Spark => "spark",
        }
    }

    /// A quoted identifier.
    pub fn ident(self, name: &str) -> String {
        match self {
            Dialect::Spark => format!("`{}`", name.replace('`', "``")),
            _ => format!("\"{}\"", name.replace('"', "\"\"")),
        }
    }

    /// A string literal. Spark reads backslash escapes inside quotes.
    pub fn text(self, s: &str) -> String {
        match self {
            Dialect::Spark => format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'")),
            _ => format!("'{}'", s.replace('\'', "''")),
        }
    }

    fn double_type(self) -> &'static str {
        match self {
            Dialect::Postgres => "DOUBLE PRECISION",
            _ => "DOUBLE",
        }
    }

    pub fn text_type(self) -> &'static str {
        match self {
            Dialect::DuckDb => "VARCHAR",
            Dialect::Postgres => "TEXT",
            Dialect::Spark => "STRING",
        }
    }

    /// A 64-bit float literal, exactly `n` (Rust's shortest exact digits,
    /// read back by the engine's correctly rounded parser).
    pub fn double(self, n: f64) -> String {
        format!("CAST('{n:e}' AS {})", self.double_type())
    }

    pub fn to_double(self, sql: &str) -> String {
        format!("CAST({sql} AS {})", self.double_type())
    }

    /// A float's shortest text that reads back exactly, in the engine's
    /// own notation (`1500000000000000.0`, `2.5e-07`, `1e+300`), for
    /// [`super::number`]. `None` where the engine has none: PostgreSQL 15
    /// and Spark on Java 17 print some floats with more digits than needed
    /// (`2e23` as `1.9999999999999998e+23`), where the shortest digits sit
    /// exactly between two floats.
    pub fn shortest_double_text(self, sql: &str) -> Option<String> {
        match self {
            Dialect::DuckDb => Some(self.to_text(sql)),
            Dialect::Postgres | Dialect::Spark => None,
        }
    }

    pub fn to_text(self, sql: &str) -> String {
        format!("CAST({sql} AS {})", self.text_type())
    }

    pub fn null_of(self, ty: crate::model::Type) -> String {
        use crate::model::Type;
        match ty {
            Type::Number => format!("CAST(NULL AS {})", self.double_type()),
            Type::Text => format!("CAST(NULL AS {})", self.text_type()),
            Type::YesNo => "CAST(NULL AS BOOLEAN)".into(),
            Type::Date => "CAST(NULL AS INTEGER)".into(),
        }
    }

    /// Integer division of non-negative integers.
    pub fn int_div(self, a: &str, b: &str) -> String {
        match self {
            Dialect::DuckDb => format!("({a} // {b})"),
            Dialect::Postgres => format!("({a} / {b})"),
            Dialect::Spark => format!("({a} div {b})"),
        }
    }

    /// `sql` matches the regex `pattern` somewhere (search, not whole match).
    pub fn regex_search(self, sql: &str, pattern: &str) -> String {
        let p = self.text(pattern);
        match self {
            Dialect::DuckDb => format!("regexp_matches({sql}, {p})"),
            Dialect::Postgres => format!("({sql} ~ {p})"),
            Dialect::Spark => format!("({sql} RLIKE {p})"),
        }
    }

    /// The text of capture group `group` (1-based) of `pattern` in `sql`.
    pub fn regex_group(self, sql: &str, pattern: &str, group: usize) -> String {
        let p = self.text(pattern);
        match self {
            Dialect::Postgres => format!("(regexp_match({sql}, {p}))[{group}]"),
            _ => format!("regexp_extract({sql}, {p}, {group})"),
        }
    }

    /// Every match of `pattern` in `sql` replaced by `replacement`, which
    /// names groups `\1`, `\2` (written here; each engine's form is made).
    pub fn regex_replace_all(self, sql: &str, pattern: &str, groups: &[&str]) -> String {
        let p = self.text(pattern);
        let r = match self {
            Dialect::Spark => groups
                .iter()
                .map(|g| g.replace("\\1", "$1").replace("\\2", "$2"))
                .collect::<String>(),
            _ => groups.concat(),
        };
        let r = self.text(&r);
        match self {
            Dialect::DuckDb => format!("regexp_replace({sql}, {p}, {r}, 'g')"),
            Dialect::Postgres => format!("regexp_replace({sql}, {p}, {r}, 'g')"),
            Dialect::Spark => format!("regexp_replace({sql}, {p}, {r})"),
        }
    }

    /// A code point inside a regex: `\x{3a3}` (RE2, Java) or `\u03a3` (PostgreSQL).
    pub fn regex_char(self, c: u32) -> String {
        match self {
            Dialect::Postgres if c <= 0xFFFF => format!("\\u{c:04x}"),
            Dialect::Postgres => format!("\\U{c:08x}"),
            _ => format!("\\x{{{c:x}}}"),
        }
    }

    /// The day number (days since 1970-01-01) of text that is exactly
    /// `YYYY-MM-DD`, by the engine's own date cast, NULL for a day that does
    /// not exist; `None` where no cast is known to read every such text as
    /// chrono does. DuckDB's proleptic Gregorian calendar, year 0 included,
    /// is chrono's; PostgreSQL's cast raises on a bad day rather than
    /// returning NULL, and Spark's is not checked against chrono.
    pub fn iso_day_number(self, sql: &str) -> Option<String> {
        match self {
            Dialect::DuckDb => Some(format!("(TRY_CAST({sql} AS DATE) - DATE '1970-01-01')")),
            Dialect::Postgres | Dialect::Spark => None,
        }
    }

    /// Start and end of the text in a regex (never of a line).
    pub fn regex_anchors(self) -> (&'static str, &'static str) {
        match self {
            Dialect::Postgres => ("\\A", "\\Z"),
            _ => ("\\A", "\\z"),
        }
    }

    /// The largest bounded repetition count the engine's regexes accept.
    pub fn max_repeat(self) -> u32 {
        match self {
            Dialect::Postgres => 255,
            Dialect::DuckDb => 1000,
            Dialect::Spark => 100_000,
        }
    }

    /// Both ends of `sql` cut of every character in `chars`.
    pub fn trim_chars(self, sql: &str, chars: &str) -> String {
        let c = self.text(chars);
        match self {
            Dialect::DuckDb => format!("trim({sql}, {c})"),
            Dialect::Postgres => format!("btrim({sql}, {c})"),
            Dialect::Spark => format!("trim(BOTH {c} FROM {sql})"),
        }
    }

    /// `hay contains needle` and friends, on folded text.
    pub fn contains(self, hay: &str, needle: &str) -> String {
        match self {
            Dialect::Postgres => format!("(strpos({hay}, {needle}) > 0)"),
            _ => format!("contains({hay}, {needle})"),
        }
    }

    pub fn starts_with(self, hay: &str, needle: &str) -> String {
        match self {
            Dialect::Spark => format!("startswith({hay}, {needle})"),
            _ => format!("starts_with({hay}, {needle})"),
        }
    }

    pub fn ends_with(self, hay: &str, needle: &str) -> String {
        match self {
            Dialect::DuckDb => format!("ends_with({hay}, {needle})"),
            Dialect::Postgres => format!("(right({hay}, length({needle})) = {needle})"),
            Dialect::Spark => format!("endswith({hay}, {needle})"),
        }
    }

    /// Ordering of folded text by code point (UTF-8 byte order).
    pub fn byte_order(self, sql: &str) -> String {
        match self {
            Dialect::Postgres => format!("({sql} COLLATE \"C\")"),
            _ => sql.to_string(),
        }
    }

    /// The row number, in the order the engine reads the rows. Spark wants
    /// an order: the order rows are read in.
    pub fn row_number(self) -> &'static str {
        match self {
            Dialect::Spark => "row_number() OVER (ORDER BY monotonically_increasing_id())",
            _ => "row_number() OVER ()",
        }
    }

    /// The code point of the first character of `sql` (an empty text gives
    /// a number outside 33..=126, or NULL), where the engine has a function
    /// that gives it for every character.
    pub fn first_code_point(self, sql: &str) -> Option<String> {
        match self {
            Dialect::DuckDb => Some(format!("unicode({sql})")),
            // In a UTF-8 database `ascii` is the code point, 0 for ''.
            Dialect::Postgres => Some(format!("ascii({sql})")),
            Dialect::Spark => None,
        }
    }

    /// Whether `sql` is ASCII only (as many bytes as characters).
    pub fn is_ascii(self, sql: &str) -> String {
        match self {
            Dialect::DuckDb => format!("(strlen({sql}) = length({sql}))"),
            _ => format!("(octet_length({sql}) = char_length({sql}))"),
        }
    }

    /// ASCII text lowercased (A-Z only, whatever the locale).
    pub fn ascii_lower(self, sql: &str) -> String {
        match self {
            Dialect::Postgres => format!("lower({sql} COLLATE \"C\")"),
            _ => format!("lower({sql})"),
        }
    }

    /// The newest Unicode version (as regex-syntax names its `Age`) for
    /// whose characters the engine's own `lower` is known to lowercase every
    /// character exactly as Rust's `to_lowercase` does, one character to one;
    /// `None` when its `lower` depends on a locale or does full mappings.
    /// DuckDB's `lower` is utf8proc's simple mapping (Unicode 13 and later in
    /// every DuckDB 1.x); `tests/it/sql_engines.rs` compares it with Rust on
    /// every such character. PostgreSQL's follows the database's locale and
    /// Spark's is Java's, which knows final sigma.
    pub fn lower_exact_up_to(self) -> Option<&'static str> {
        match self {
            Dialect::DuckDb => Some("V13_0"),
            _ => None,
        }
    }

    /// What ends each layer of the query so the planner computes its columns
    /// once per row rather than copying their expressions into every use
    /// (PostgreSQL folds subqueries into one another unless they have an
    /// `OFFSET`, and the copies grow with every layer). Spark merges
    /// adjacent projections likewise; a generator of one row between them
    /// keeps them apart (its column, `q_keepN`, is not read).
    pub fn keep_layer(self, layer: usize) -> String {
        match self {
            Dialect::Postgres => " OFFSET 0".into(),
            Dialect::Spark => {
                format!(" LATERAL VIEW explode(array(0)) q_keep{layer} AS q_keep{layer}")
            }
            Dialect::DuckDb => String::new(),
        }
    }

    /// Today as days since 1970-01-01.
    pub fn today_days(self) -> &'static str {
        match self {
            Dialect::Spark => "datediff(current_date(), DATE '1970-01-01')",
            _ => "CAST(current_date - DATE '1970-01-01' AS INTEGER)",
        }
    }

    /// Whether a column holds the engine's date type (a typed column needs
    /// no declared format).
    pub fn is_date_column(self, sql: &str) -> String {
        match self {
            Dialect::DuckDb => format!("(typeof({sql}) = 'DATE')"),
            Dialect::Postgres => format!("(pg_typeof({sql}) = 'date'::regtype)"),
            Dialect::Spark => format!("(typeof({sql}) = 'date')"),
        }
    }

    /// A double text (already checked to be a decimal number) → its value,
    /// NULL when too large to represent.
    pub fn parse_double(self, sql: &str) -> String {
        match self {
            Dialect::DuckDb => format!(
                "(CASE WHEN isfinite(TRY_CAST({sql} AS DOUBLE)) THEN TRY_CAST({sql} AS DOUBLE) END)"
            ),
            Dialect::Spark => format!(
                "(CASE WHEN abs(CAST({sql} AS DOUBLE)) <= {max} THEN CAST({sql} AS DOUBLE) END)",
                max = self.double(f64::MAX)
            ),
            // float8in refuses what it cannot hold (1e400 and, when it would
            // round to zero, 1e-400): decide those on the exact decimal.
            Dialect::Postgres => {
                let n = format!("CAST({sql} AS NUMERIC)");
                format!(
                    "(CASE WHEN {sql} ~ '[eE]\\+?0*[0-9]{{5,}}$' THEN \
                     (CASE WHEN {sql} ~ '^[+-]?0*\\.?0*[eE]' THEN CAST('0' AS DOUBLE PRECISION) END) \
                     WHEN {sql} ~ '[eE]-0*[0-9]{{5,}}$' THEN CAST('0' AS DOUBLE PRECISION) \
                     WHEN abs({n}) >= {huge} THEN NULL \
                     WHEN abs({n}) < CAST('2.4703282292062328e-324' AS NUMERIC) THEN CAST('0' AS DOUBLE PRECISION) \
                     ELSE CAST({n} AS DOUBLE PRECISION) END)",
                    huge = "CAST('179769313486231580793728971405303415079934132710037826936173778980444968292764750946649017977587207096330286416692887910946555547851940402630657488671505820681908902000708383676273854845817711531764475730270069855571366959622842914819860834936475292719074168444365510704342711559699508093042880177904174497792' AS NUMERIC)"
                )
            }
        }
    }
}
