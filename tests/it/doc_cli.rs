//! `qualify doc` as a user runs it: the Markdown of every shipped definition
//! (snapshots, read before accepting), the HTML page's promises (one file,
//! nothing fetched, every text escaped), and the page as Chromium renders it.

use crate::browser;
use crate::support::{qualify, root, rules_files, stderr, stdout};

#[test]
fn markdown_of_every_shipped_definition() {
    for file in rules_files() {
        let out = qualify(&["doc", &file]);
        assert_eq!(out.status.code(), Some(0), "{file}: {}", stderr(&out));
        let name = file.trim_start_matches("rules/").trim_end_matches(".lead");
        insta::assert_snapshot!(format!("doc_{name}"), stdout(&out));
    }
}

#[test]
fn same_definition_same_bytes() {
    let a = qualify(&["doc", "rules/northwind-full.lead"]);
    let b = qualify(&["doc", "rules/northwind-full.lead"]);
    assert_eq!(a.stdout, b.stdout);
}

const HOSTILE: &str = r#"definition "<script>alert(1)</script> & co"
version "1 | 2"
agreed by "O'Brien \"sales\""
fields {
  title text optional
}
disqualify "<b>bot</b>" when title contains "<img src=x>"
criterion "a|b *c* <i>" +5 when title matches /a|b/
criterion "x" +1 when title matches /^<tag>$/
stage "<hot>" when score >= 5
stage "cold" otherwise
"#;

/// Text from the definition never becomes markup, in either rendering.
#[test]
fn text_from_the_definition_is_escaped() {
    let dir = tempfile::tempdir().expect("temp dir");
    let def = dir.path().join("hostile.lead");
    std::fs::write(&def, HOSTILE).expect("write");
    let def = def.to_string_lossy().to_string();
    let page = dir.path().join("page.html");
    let out = qualify(&["doc", &def, "--html", &page.to_string_lossy()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let html = std::fs::read_to_string(&page).expect("the page");
    for raw in ["<script", "<b>", "<img", "<i>", "<hot>", "<tag>"] {
        assert!(!html.contains(raw), "{raw} unescaped in\n{html}");
    }
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; co"));
    assert!(html.contains("<code>/^&lt;tag&gt;$/</code>"), "{html}");
    // One file: no script, nothing fetched.
    assert!(!html.contains("<script"));
    assert!(!html.contains("http"), "{html}");
    assert!(!html.contains("src=\""));

    let out = qualify(&["doc", &def]);
    let md = stdout(&out);
    // Markdown escapes with a backslash: `\<b>` shows as text.
    let unescaped = md.replace("\\<", "");
    for raw in ["<script", "<b>", "<img", "<i>", "<hot>"] {
        assert!(!unescaped.contains(raw), "{raw} unescaped in\n{md}");
    }
    assert!(md.contains(r"a\|b \*c\* \<i\>"), "{md}");
}

#[test]
fn the_page_is_never_written_over_an_input() {
    let out = qualify(&[
        "doc",
        "rules/northwind.lead",
        "--html",
        "rules/northwind.lead",
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let text = std::fs::read_to_string(root().join("rules/northwind.lead")).expect("read");
    assert!(text.starts_with("# The universal lead definition"));
}

#[test]
fn a_definition_with_errors_gets_no_page() {
    let dir = tempfile::tempdir().expect("temp dir");
    let def = dir.path().join("bad.lead");
    std::fs::write(&def, "definition \"x\"\ncriterion \"c\" +1 when nope\n").expect("write");
    let page = dir.path().join("page.html");
    let out = qualify(&[
        "doc",
        &def.to_string_lossy(),
        "--html",
        &page.to_string_lossy(),
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(!page.exists());
}

/// Every shipped definition's page, rendered by Chromium: every criterion and
/// stage is there with its anchor, and every in-page link lands.
#[test]
fn html_page_renders_in_chromium() {
    if browser::available("html_page_renders_in_chromium").is_none() {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    for file in rules_files() {
        let name = file.trim_start_matches("rules/").trim_end_matches(".lead");
        let page = dir.path().join(format!("{name}.html"));
        let out = qualify(&["doc", &file, "--html", &page.to_string_lossy()]);
        assert_eq!(out.status.code(), Some(0), "{file}: {}", stderr(&out));
        for (width, what) in [(1000, "desk"), (390, "phone")] {
            let shot = dir.path().join(format!("{name}-{what}.png"));
            let dom = browser::render(&page, &shot, width);
            browser::assert_anchors_resolve(&dom);
            let loaded =
                qualify::load::load(&file, std::fs::read(root().join(&file)).expect("read"));
            let model = loaded.model.expect("shipped definitions check");
            let ids = browser::attributes(&dom, "id");
            let slug = |kind: &str, name: &str| {
                let words: Vec<String> = name
                    .to_lowercase()
                    .split(|c: char| !c.is_alphanumeric())
                    .filter(|w| !w.is_empty())
                    .map(str::to_string)
                    .collect();
                format!("{kind}-{}", words.join("-"))
            };
            for c in &model.criteria {
                assert!(
                    ids.contains(&slug("criterion", &c.name)),
                    "{file}: criterion {}",
                    c.name
                );
                assert!(
                    dom.contains(&format!(">{}</a>", c.name.replace('&', "&amp;"))),
                    "{file}: {}",
                    c.name
                );
            }
            for s in &model.stages {
                assert!(
                    ids.contains(&slug("stage", &s.name)),
                    "{file}: stage {}",
                    s.name
                );
            }
            assert!(dom.contains("<meta name=\"viewport\""));
        }
        // Kept for a person to look at: QUALIFY_SCREENSHOTS=DIR.
        if let Some(keep) = std::env::var_os("QUALIFY_SCREENSHOTS") {
            for what in ["desk", "phone"] {
                let shot = format!("{name}-{what}.png");
                let _ = std::fs::copy(
                    dir.path().join(&shot),
                    std::path::Path::new(&keep).join(&shot),
                );
            }
        }
    }
}

/// `--since REV`: the changes the semantic diff finds, in the page's words,
/// read from git as `diff REV:path` reads it.
#[test]
fn since_a_revision_says_what_changed_in_words() {
    let dir = tempfile::tempdir().expect("temp dir");
    let git = |args: &[&str]| {
        let out = std::process::Command::new("git")
            .args(["-c", "user.email=t@example.com", "-c", "user.name=t"])
            .args(args)
            .current_dir(dir.path())
            .output()
            .expect("git runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    git(&["init", "-q"]);
    let def = dir.path().join("n.lead");
    std::fs::copy(root().join("rules/northwind.lead"), &def).expect("copy");
    git(&["add", "n.lead"]);
    git(&["commit", "-qm", "agreed"]);
    std::fs::copy(root().join("rules/revisions/northwind-next.lead"), &def).expect("copy");
    let bin = env!("CARGO_BIN_EXE_qualify");
    let out = std::process::Command::new(bin)
        .args(["doc", "n.lead", "--since", "HEAD"])
        .current_dir(dir.path())
        .output()
        .expect("qualify runs");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let md = stdout(&out);
    let from = md.find("## What changed since HEAD").expect("the section");
    let to = md.find("## What makes").expect("the next section");
    insta::assert_snapshot!(&md[from..to]);

    let out = std::process::Command::new(bin)
        .args(["doc", "n.lead", "--since", "no-such-rev"])
        .current_dir(dir.path())
        .output()
        .expect("qualify runs");
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
}

/// `--against FILE`: the stage counts on the file (the snapshot, read against
/// `qualify score` of the same file), and the bar of the stage mix in HTML.
#[test]
fn against_a_file_counts_the_stages() {
    let out = qualify(&[
        "doc",
        "rules/northwind.lead",
        "--against",
        "examples/northwind-inquiries.csv",
        "--as-of",
        "2026-11-23",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let md = stdout(&out);
    let from = md.find("## How it lands").expect("the section");
    let to = md[from..]
        .find("## Examples")
        .map_or(md.len(), |t| from + t);
    insta::assert_snapshot!(&md[from..to]);

    let dir = tempfile::tempdir().expect("temp dir");
    let page = dir.path().join("page.html");
    let out = qualify(&[
        "doc",
        "rules/northwind.lead",
        "--against",
        "examples/northwind-inquiries.csv",
        "--as-of",
        "2026-11-23",
        "--html",
        &page.to_string_lossy(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let html = std::fs::read_to_string(&page).expect("the page");
    assert_eq!(html.matches("<svg").count(), 1);
    assert!(html.contains("id=\"landing\""));
}
