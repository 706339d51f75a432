//! GitHub Actions workflow commands (`::error file=…::message`): the escaping
//! GitHub asks for, shared by `check --format github` and `test --format github`.
//!
//! In: a message or a property value. Out: the same text escaped.

/// A message: `%`, CR and LF escaped (`%25`, `%0D`, `%0A`), `%` first so the
/// others are not escaped twice.
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A property (`file=`, `title=`): a message's escapes plus `:` and `,`, which
/// separate properties.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_is_escaped_once_and_separators_only_in_properties() {
        assert_eq!(escape_data("50%\r\nof a:b,c"), "50%25%0D%0Aof a:b,c");
        assert_eq!(escape_property("a%0A:b,c"), "a%250A%3Ab%2Cc");
    }
}
