//! Test cases as data: definitions under `tests/cases/DIR/`, each file holding
//! its own expectations, found by listing the directory (no table to keep in
//! step with the files).
//!
//! In: a directory under `tests/cases/`. Out: each `.lead` file in it, in name
//! order, split into the definition (what is loaded) and its expectations: the
//! `# expect: …` comment lines that end the file. They are comments, so the
//! file stays a definition the command line reads as it is; they come last, so
//! no line or column before them moves. The runner that reads a directory
//! says what its expectations mean.

use std::path::Path;

const MARK: &[u8] = b"# expect: ";

/// One case file.
pub struct Case {
    /// The file name without `.lead`.
    pub name: String,
    /// The file without its expectation lines: the definition under test.
    pub body: Vec<u8>,
    /// The text after `# expect: ` on each expectation line, in file order.
    pub expect: Vec<String>,
}

impl Case {
    /// The file name, as diagnostics show it.
    pub fn file_name(&self) -> String {
        format!("{}.lead", self.name)
    }
}

/// Every `.lead` file in `tests/cases/DIR`, in name order. A case without an
/// expectation fails here: a file that asserts nothing is a mistake.
pub fn cases(dir: &str) -> Vec<Case> {
    let path = crate::support::root().join("tests/cases").join(dir);
    let mut files: Vec<_> = std::fs::read_dir(&path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "lead"))
        .collect();
    files.sort();
    let cases: Vec<Case> = files.iter().map(|p| read(p)).collect();
    assert!(!cases.is_empty(), "no cases in {}", path.display());
    cases
}

fn read(path: &Path) -> Case {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let name = path
        .file_stem()
        .and_then(|s| s.to_str())
        .expect("a UTF-8 file name")
        .to_string();
    let (body, expect) = split(&bytes);
    assert!(
        !expect.is_empty(),
        "{name}.lead: no `# expect: ` line at its end"
    );
    Case { name, body, expect }
}

/// The bytes before the trailing run of expectation lines, and those lines.
fn split(bytes: &[u8]) -> (Vec<u8>, Vec<String>) {
    let mut end = bytes.len();
    let mut expect = Vec::new();
    // The line that ends at `end` (each expectation line ends in LF).
    while let Some(without_lf) = end.checked_sub(1).filter(|&i| bytes[i] == b'\n') {
        let start = bytes[..without_lf]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        let Some(text) = bytes[start..without_lf].strip_prefix(MARK) else {
            break;
        };
        expect.push(String::from_utf8_lossy(text).trim().to_string());
        end = start;
    }
    expect.reverse();
    (bytes[..end].to_vec(), expect)
}

#[test]
fn expectation_lines_are_cut_from_the_end_only() {
    let (body, expect) = split(b"a\n# expect: x\nb\n# expect: y at 1:1-1:2\n# expect: z\n");
    assert_eq!(body, b"a\n# expect: x\nb\n");
    assert_eq!(expect, ["y at 1:1-1:2", "z"]);
    let (body, expect) = split(b"# expect: only\n");
    assert_eq!(
        (body.as_slice(), expect.as_slice()),
        (&b""[..], &["only".to_string()][..])
    );
    let (body, expect) = split(b"no expectation\n");
    assert_eq!((body.len(), expect.len()), (15, 0));
}
