//! `diff --against`'s "what made the difference" names a changed stage rule
//! only when that rule changed the inquiry's stage.

use crate::support::{qualify, stderr, stdout};

const OLD: &str = r#"definition "blame"
fields {
  id      text
  budget  number
  visits  yes/no
}
criterion "budget"  +70 when budget >= 1000
criterion "visits"  +55 when visits
stage "hot"  when score >= 60
stage "warm" when score >= 30
stage "cold" otherwise
"#;

/// Budget is worth less, and `hot` starts at 50 instead of 60.
const NEW: &str = r#"definition "blame"
fields {
  id      text
  budget  number
  visits  yes/no
}
criterion "budget"  +10 when budget >= 1000
criterion "visits"  +55 when visits
stage "hot"  when score >= 50
stage "warm" when score >= 30
stage "cold" otherwise
"#;

/// `a`: 70 → 10, hot → cold: below both thresholds of `hot`, so only the
/// budget's points moved it (the old code blamed `hot`'s rule too).
/// `b`: 55 → 55, warm → hot: only the threshold moved it.
/// `c`: 125 → 65, hot → hot: not moved.
const INQUIRIES: &str = "id,budget,visits\na,5000,no\nb,0,yes\nc,5000,yes\n";

fn reasons_by_id() -> Vec<(String, Vec<String>)> {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = |name: &str, text: &str| {
        let p = dir.path().join(name);
        std::fs::write(&p, text).expect("write");
        p.to_string_lossy().into_owned()
    };
    let (old, new, input) = (
        path("old.lead", OLD),
        path("new.lead", NEW),
        path("in.csv", INQUIRIES),
    );
    let out = qualify(&["diff", &old, &new, "--against", &input, "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("json");
    json["impact"]["sample"]
        .as_array()
        .expect("sample")
        .iter()
        .map(|m| {
            let reasons = m["reasons"].as_array().expect("reasons");
            (
                m["id"].as_str().expect("id").to_string(),
                reasons
                    .iter()
                    .map(|r| r.as_str().expect("text").to_string())
                    .collect(),
            )
        })
        .collect()
}

#[test]
fn a_stage_rule_is_named_only_when_it_changed_the_inquirys_stage() {
    let sample = reasons_by_id();
    assert_eq!(
        sample,
        vec![
            ("a".to_string(), vec!["\"budget\" +70 → +10".to_string()]),
            (
                "b".to_string(),
                vec!["the rule of stage \"hot\" changed".to_string()]
            ),
        ]
    );
}
