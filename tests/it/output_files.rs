//! Results files written by `score -o`: their permissions, symbolic links,
//! write errors and interrupted runs (src/output/file.rs).
#![cfg(unix)]

use crate::support::{qualify, root, stderr};
use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const DEFINITION: &str = "rules/northwind.lead";
const INQUIRIES: &str = "examples/northwind-inquiries.csv";

fn score_to(out: &Path) -> std::process::Output {
    qualify(&[
        "score",
        DEFINITION,
        INQUIRIES,
        "--as-of",
        "2026-11-23",
        "-o",
        out.to_str().unwrap(),
    ])
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o7777
}

fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_new_file_gets_the_mode_the_umask_allows() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.csv");
    // The umask is set in a shell so the test does not depend on the one it
    // inherited; 002 tells 0664 (a plain create) from 0600 (tempfile's).
    let status = Command::new("sh")
        .arg("-c")
        .arg("umask 002 && exec \"$@\"")
        .arg("sh")
        .arg(env!("CARGO_BIN_EXE_qualify"))
        .args(["score", DEFINITION, INQUIRIES, "-o"])
        .arg(&out)
        .current_dir(root())
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    assert_eq!(mode(&out), 0o664);
}

#[test]
fn a_replaced_file_keeps_its_mode() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.csv");
    std::fs::write(&out, "old").unwrap();
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o640)).unwrap();
    let o = score_to(&out);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_ne!(std::fs::read_to_string(&out).unwrap(), "old");
    assert_eq!(mode(&out), 0o640);
}

#[test]
fn a_link_to_a_file_not_there_yet_is_written_through() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    let link = dir.path().join("out.csv");
    // Relative: resolved against the link's folder, not the working one.
    std::os::unix::fs::symlink("sub/real.csv", &link).unwrap();
    let o = score_to(&link);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    let written = std::fs::read_to_string(dir.path().join("sub/real.csv")).unwrap();
    assert!(written.lines().count() > 1000, "{written}");
    assert_eq!(names_in(&dir.path().join("sub")), ["real.csv"]);
}

#[test]
fn a_link_into_a_missing_folder_names_that_folder() {
    let dir = tempfile::tempdir().unwrap();
    let link = dir.path().join("out.csv");
    let missing = dir.path().join("gone");
    std::os::unix::fs::symlink(missing.join("real.csv"), &link).unwrap();
    let o = score_to(&link);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(
        err.contains(&format!("there is no folder `{}`", missing.display())),
        "{err}"
    );
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(names_in(dir.path()), ["out.csv"]);
}

#[test]
fn a_full_device_is_named_in_the_error() {
    if !Path::new("/dev/full").exists() {
        return; // not Linux
    }
    let o = score_to(Path::new("/dev/full"));
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(
        err.contains("cannot write `/dev/full`: no space left on device"),
        "{err}"
    );
}

/// Start a run reading stdin into `dir/out.csv`, feed it part of the
/// inquiries and keep stdin open, so it waits with its temporary file
/// written; then send `signal` and return the exit code.
fn interrupted(dir: &Path, signal: &str) -> Option<i32> {
    let out = dir.join("out.csv");
    let mut child = Command::new(env!("CARGO_BIN_EXE_qualify"))
        .args(["score", DEFINITION, "-", "--threads", "1", "-o"])
        .arg(&out)
        .current_dir(root())
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let inquiries = std::fs::read(root().join(INQUIRIES)).unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(&inquiries).unwrap();
    stdin.flush().unwrap();
    let start = Instant::now();
    while names_in(dir).is_empty() {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "no temporary file"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let killed = Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = child.wait().unwrap();
    drop(stdin);
    status.code()
}

#[test]
fn ctrl_c_removes_the_temporary_file_and_exits_130() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(interrupted(dir.path(), "-INT"), Some(130));
    assert_eq!(names_in(dir.path()), Vec::<String>::new());
}

#[test]
fn sigterm_removes_the_temporary_file_and_exits_143() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(interrupted(dir.path(), "-TERM"), Some(143));
    assert_eq!(names_in(dir.path()), Vec::<String>::new());
}
