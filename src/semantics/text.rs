//! Text as every comparison sees it: one text in, its folded form out.
//!
//! Text compares case-insensitively and ignores surrounding spaces
//! (docs/language.md, "Text"). [`fold`] is the one definition of that:
//! literals, `in` lists, `one of` values, cells and examples are all
//! compared through it, and the compiled program's shortcuts (ASCII text
//! compared in place) are tested against it.

/// Case-insensitive, space-insensitive form used by every text comparison:
/// trimmed, then lowercased as Unicode lowercases whole strings (so a final
/// `Σ` becomes `ς`, which a character-by-character fold would get wrong).
pub fn fold(s: &str) -> String {
    s.trim().to_lowercase()
}

/// `str::trim`, with a shortcut for the usual cell: when its first and last
/// bytes are printable ASCII there is no whitespace to cut (every Unicode
/// space starts and ends with a byte outside that range), so no characters
/// are decoded.
#[inline]
pub fn trim(text: &str) -> &str {
    match (text.as_bytes().first(), text.as_bytes().last()) {
        (Some(a), Some(b)) if a.is_ascii_graphic() && b.is_ascii_graphic() => text,
        _ => text.trim(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_is_whole_string_unicode_lowercasing_after_trimming() {
        assert_eq!(fold("  ΟΔΟΣ "), "οδος");
        assert_eq!(fold("ΣΑΣ"), "σας");
        assert_eq!(fold("İstanbul"), "i\u{307}stanbul");
        assert_eq!(fold("\u{3000}ＡＢＣ\u{3000}"), "ａｂｃ");
        assert_eq!(fold("Straße"), "straße");
    }

    #[test]
    fn trim_agrees_with_str_trim() {
        for t in [
            "",
            " ",
            "a",
            " a",
            "a ",
            "\u{a0}a\u{a0}",
            "\u{3000}x",
            "ab",
            "a\t",
        ] {
            assert_eq!(trim(t), t.trim(), "{t:?}");
        }
    }
}
