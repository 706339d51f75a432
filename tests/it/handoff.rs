//! The hand-off brief: `check` (placeholder names and types, did-you-mean,
//! unreadable templates, one block), `score --handoff` (the last column, lines
//! dropped when a value is missing, never "missing"), `explain`, `fmt`.

use crate::support::{qualify, stderr, stdout};
use qualify::diagnostic::Code;
use qualify::load::load_str;

const DEFINITION: &str = r#"fields {
  id         text
  job_title  text    optional
  employees  number  optional
  state      text    optional
  demo       yes/no  optional
  demo_date  date    optional
}
criterion "big" +50 when employees > 1000
criterion "asked" +10 when demo
stage "sales ready" when score >= 50
stage "nurture" otherwise
route "East" when state in ["NY", "MA"]
route "Inside" otherwise
"#;

fn diagnostics(handoff: &str) -> Vec<(Code, String, Option<String>)> {
    load_str("t.lead", &format!("{DEFINITION}{handoff}"))
        .diagnostics
        .into_iter()
        .map(|d| (d.code, d.message, d.help))
        .collect()
}

#[test]
fn check_reads_every_placeholder_and_names_the_closest_field() {
    let found = diagnostics("handoff { \"{job_titel} at {employees}\" }\n");
    assert!(
        found.iter().any(|(c, m, h)| *c == Code::UnknownField
            && m.contains("job_titel")
            && h.as_deref() == Some("did you mean `job_title`?")),
        "{found:?}"
    );
    let found = diagnostics("handoff { \"{days since state}\" }\n");
    assert!(
        found.iter().any(|(c, ..)| *c == Code::TypeMismatch),
        "{found:?}"
    );
    for bad in ["\"{job_title\"", "\"{}\""] {
        let found = diagnostics(&format!("handoff {{ {bad} }}\n"));
        assert!(
            found.iter().any(|(c, ..)| *c == Code::InvalidTemplate),
            "{bad}: {found:?}"
        );
    }
    let twice = diagnostics("handoff { matched }\nhandoff { matched }\n");
    assert!(
        twice.iter().any(|(c, ..)| *c == Code::Duplicate),
        "{twice:?}"
    );
    let fine = diagnostics(
        "handoff when stage = \"sales ready\" {\n  \"{job_title}, {days since demo_date} days, {score}, {stage}, {route}\" when demo\n  matched\n}\n",
    );
    // Fields read only by the brief are used.
    assert!(
        fine.iter()
            .all(|(c, ..)| *c != Code::Unused && *c != Code::UnknownField),
        "{fine:?}"
    );
    assert!(load_str(
        "t.lead",
        &format!("{DEFINITION}handoff {{ \"{{job_title}}\" }}\n")
    )
    .model
    .is_some());
    // `handoff` is not reserved: a field may be called so.
    let field = "fields {\n  handoff text\n}\ncriterion \"c\" +1 when handoff = \"x\"\nstage \"s\" otherwise\n";
    assert!(load_str("t.lead", field).model.is_some());
}

#[test]
fn score_writes_the_brief_dropping_lines_whose_values_are_missing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let def = dir.path().join("d.lead");
    std::fs::write(
        &def,
        format!(
            "{DEFINITION}handoff when stage = \"sales ready\" {{\n  \"{{job_title}} at a {{employees}}-person company in {{state}}\"\n  \"asked for a demo {{days since demo_date}} days ago\" when demo\n  \"goes to {{route}}, score {{score}}\"\n  matched\n}}\n"
        ),
    )
    .expect("write");
    let input = dir.path().join("in.csv");
    std::fs::write(
        &input,
        "id,job_title,employees,state,demo,demo_date\n\
         a,CTO,5000,NY,yes,2026-11-21\n\
         b,,5000.5,TX,no,\n\
         c,Intern,3,NY,yes,2026-11-30\n",
    )
    .expect("write");
    let (def, input) = (def.to_string_lossy(), input.to_string_lossy());
    let out = qualify(&["score", &def, &input, "--as-of", "2026-12-01", "--handoff"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].ends_with(",route,handoff"), "{text}");
    assert!(
        lines[1].ends_with(
            ",\"CTO at a 5000-person company in NY | asked for a demo 10 days ago | goes to East, score 60 | big, asked\""
        ),
        "{text}"
    );
    // No job title: the first line goes, and nothing says "missing".
    assert!(
        lines[2].ends_with(",\"goes to Inside, score 50 | big\""),
        "{text}"
    );
    assert!(!text.contains("missing"), "{text}");
    // Not sales ready: no brief at all.
    assert!(lines[3].ends_with(",East,"), "{text}");
    // Without the option, no column; without a block, the option is refused.
    let out = qualify(&["score", &def, &input, "--as-of", "2026-12-01"]);
    assert!(!stdout(&out).contains("handoff"));
    let out = qualify(&[
        "score",
        "rules/northwind.lead",
        "examples/northwind-inquiries.csv",
        "--handoff",
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("handoff"), "{}", stderr(&out));
}

#[test]
fn explain_and_fmt_show_the_brief() {
    let out = qualify(&[
        "explain",
        "rules/x-education-2026.lead",
        "tests/data/x-education-sample.csv",
        "--row",
        "5",
        "--as-of",
        "2026-12-01",
    ]);
    let text = stdout(&out);
    let brief = text
        .split("\nhand-off\n")
        .nth(1)
        .unwrap_or_else(|| panic!("{text}"));
    assert!(
        brief.starts_with("  Working Professional in Other Cities, came to us through Reference\n"),
        "{brief}"
    );
    let messy = format!(
        "{DEFINITION}handoff   when stage=\"sales ready\"{{ # who\n\"{{job_title}}\"   when demo\nmatched }}\n"
    );
    let formatted = qualify::fmt::format_text("t.lead", &messy).expect("formats");
    assert!(
        formatted.ends_with("handoff when stage = \"sales ready\" {  # who\n  \"{job_title}\" when demo\n  matched\n}\n")
            || formatted.contains("# who"),
        "{formatted}"
    );
    let clean = format!(
        "{DEFINITION}handoff   when stage=\"sales ready\"{{\n\"{{job_title}}\"   when demo\nmatched }}\n"
    );
    let formatted = qualify::fmt::format_text("t.lead", &clean).expect("formats");
    assert!(
        formatted.ends_with(
            "handoff when stage = \"sales ready\" {\n  \"{job_title}\" when demo\n  matched\n}\n"
        ),
        "{formatted}"
    );
    assert_eq!(
        qualify::fmt::format_text("t.lead", &formatted).expect("again"),
        formatted
    );
}
