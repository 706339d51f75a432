//! The server's settings, from `initializationOptions` or
//! `workspace/didChangeConfiguration`.
//!
//! In: the JSON the editor sends: `{"sample": "inquiries.csv"}`, or the same
//! inside `{"qualify": {…}}` (what VS Code sends for its `qualify.*`
//! settings). Out: [`Settings`]. A relative sample path is taken from the
//! workspace root. Anything else in the JSON is ignored.

use serde_json::Value;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Settings {
    /// An inquiry file whose first rows hover counts are computed on.
    pub sample: Option<PathBuf>,
}

impl Settings {
    /// Settings read from `json`, relative paths from `root`; None when the
    /// JSON says nothing about them (the old settings stand).
    pub fn from_json(json: &Value, root: Option<&Path>) -> Option<Settings> {
        let section = json.get("qualify").unwrap_or(json);
        let sample = section.get("sample")?;
        let sample = sample
            .as_str()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| match root {
                Some(root) if Path::new(s).is_relative() => root.join(s),
                _ => PathBuf::from(s),
            });
        Some(Settings { sample })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn sample_is_read_plain_or_in_a_qualify_section_and_relative_to_the_root() {
        let root = Path::new("/w");
        let plain = Settings::from_json(&json!({"sample": "s.csv"}), Some(root));
        assert_eq!(
            plain.and_then(|s| s.sample),
            Some(PathBuf::from("/w/s.csv"))
        );
        let nested = Settings::from_json(&json!({"qualify": {"sample": "/d/s.csv"}}), Some(root));
        assert_eq!(
            nested.and_then(|s| s.sample),
            Some(PathBuf::from("/d/s.csv"))
        );
        let cleared = Settings::from_json(&json!({"qualify": {"sample": ""}}), None);
        assert_eq!(cleared, Some(Settings { sample: None }));
        assert_eq!(Settings::from_json(&json!({"other": 1}), None), None);
    }
}
