//! Headless Chromium for the tests that look at an HTML page as a person
//! would: the DOM the browser built, and a screenshot.
//!
//! Without `chromium` on the PATH such a test skips with a printed note, but
//! only outside CI: with the `CI` variable set (as `.ci/run` and GitHub
//! Actions set it) a missing browser fails the test, so CI never passes by
//! not looking.

use std::path::Path;
use std::process::Command;

/// Whether `chromium` runs; `None` (after a note) when it is absent outside
/// CI; a panic when it is absent under CI.
pub fn available(test: &str) -> Option<()> {
    let runs = Command::new("chromium")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if runs {
        return Some(());
    }
    if std::env::var_os("CI").is_some() {
        panic!("{test}: `chromium` is not on the PATH, and CI is set; install it (`apt-get install -y chromium`, as .ci/run does)");
    }
    eprintln!("note: {test} skipped: `chromium` is not on the PATH (CI unset); `apt-get install -y chromium` to run it");
    None
}

/// Render `page` in headless Chromium at `width` pixels: the DOM as the
/// browser parsed it, and a screenshot written to `shot`.
pub fn render(page: &Path, shot: &Path, width: u32) -> String {
    let url = format!("file://{}", page.display());
    let dump = Command::new("chromium")
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--dump-dom"])
        .arg(&url)
        .output()
        .expect("chromium runs");
    assert!(
        dump.status.success(),
        "{}",
        String::from_utf8_lossy(&dump.stderr)
    );
    let screenshot = Command::new("chromium")
        .args(["--headless", "--no-sandbox", "--disable-gpu"])
        .arg(format!("--window-size={width},2000"))
        .arg(format!("--screenshot={}", shot.display()))
        .arg(&url)
        .output()
        .expect("chromium runs");
    assert!(screenshot.status.success());
    assert!(
        std::fs::metadata(shot).is_ok_and(|m| m.len() > 1000),
        "a screenshot of {url}"
    );
    String::from_utf8_lossy(&dump.stdout).into_owned()
}

/// The values of `attr="..."` in `dom`, in order.
pub fn attributes(dom: &str, attr: &str) -> Vec<String> {
    let needle = format!(" {attr}=\"");
    dom.match_indices(&needle)
        .filter_map(|(at, _)| {
            let rest = &dom[at + needle.len()..];
            rest.find('"').map(|end| rest[..end].to_string())
        })
        .collect()
}

/// Every `href="#x"` in `dom` names an `id="x"` that is there.
pub fn assert_anchors_resolve(dom: &str) {
    let ids = attributes(dom, "id");
    let links: Vec<String> = attributes(dom, "href")
        .into_iter()
        .filter_map(|h| h.strip_prefix('#').map(str::to_string))
        .collect();
    assert!(!links.is_empty(), "the page links within itself");
    for link in links {
        assert!(ids.contains(&link), "`#{link}` names no id on the page");
    }
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "ids are unique");
}
