//! `qualify compile --listing`: the program a definition compiles to, as a
//! reviewer reads it.

use crate::support::{qualify, stderr, stdout};

#[test]
fn listing_of_the_northwind_definition() {
    let out = qualify(&["compile", "rules/northwind.lead", "--listing"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    insta::assert_snapshot!(stdout(&out));
}

#[test]
fn regexes_over_one_field_share_a_set_and_constants_fold() {
    let dir = tempfile::tempdir().unwrap();
    let def = dir.path().join("d.lead");
    std::fs::write(
        &def,
        r#"fields {
  title text
  size number
}
criterion "boss" +10 when title matches /owner|chief/ and 2 * 5 > 3
criterion "tech" +5 when title matches /engineer/ or size > 10 * 10
criterion "both" when matched "boss" and title matches /owner|chief/
stage "hot" when score >= 10
stage "cold" otherwise
"#,
    )
    .unwrap();
    let out = qualify(&["compile", def.to_str().unwrap(), "--listing"]);
    let text = stdout(&out);
    assert!(text.contains("2 regexes (2 run as sets)"), "{text}");
    assert!(
        text.contains("regex set 0 over title: /owner|chief/ /engineer/"),
        "{text}"
    );
    assert!(text.contains("const 100"), "{text}");
    assert!(!text.contains("const 5\n"), "{text}");
    assert!(text.contains("matches /owner|chief/   (used 2×)"), "{text}");
    let plain = stdout(&qualify(&[
        "compile",
        def.to_str().unwrap(),
        "--listing",
        "--no-optimize",
    ]));
    assert!(plain.contains("0 run as sets"), "{plain}");
    assert!(plain.contains("const 5"), "{plain}");
}

#[test]
fn a_definition_with_errors_is_not_compiled() {
    let dir = tempfile::tempdir().unwrap();
    let def = dir.path().join("bad.lead");
    std::fs::write(&def, "fields {\n  x number\n}\nstage \"s\" when y > 1\n").unwrap();
    let out = qualify(&["compile", def.to_str().unwrap(), "--listing"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).is_empty());
    assert!(stderr(&out).contains("nothing was compiled"));
}
