//! The library's layering, read from its `use crate::…` lines: a module may
//! import modules of its own stage or of stages below it, never above, and no
//! two modules import each other, directly or round a circle. The stages are
//! the ones ARCHITECTURE.md names; a new module must be placed in one here.
//! Only code is read: comment lines and the `#[cfg(test)]` part at the end of
//! a file (unit tests may use anything) are skipped.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Stages from the bottom up. Within a stage a module may import another of
/// the same stage, as long as no circle forms.
const STAGES: &[(&str, &[&str])] = &[
    ("words", &["plural", "number"]),
    ("front: source", &["ast", "source", "diagnostic"]),
    ("front: model and its meaning", &["model", "semantics"]),
    ("front: syntax and check", &["syntax", "check"]),
    ("engine: program", &["program"]),
    ("engine: compile and eval", &["compile", "eval"]),
    ("front door: lint, examples, load", &["lint", "load"]),
    ("files", &["input", "driver", "output"]),
    (
        "tools",
        &[
            "explain", "suite", "testing", "fmt", "diff", "backtest", "sample", "doc", "sql", "lsp",
        ],
    ),
    ("reports", &["report"]),
    ("command line", &["cli"]),
];

fn stage_of(module: &str) -> Option<usize> {
    STAGES
        .iter()
        .position(|(_, modules)| modules.contains(&module))
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src/ is readable") {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level module a file under `src/` belongs to (`src/eval/program.rs`
/// is in `eval`), or `None` for the crate roots.
fn module_of(src: &Path, file: &Path) -> Option<String> {
    let relative = file.strip_prefix(src).ok()?;
    let first = relative.components().next()?.as_os_str().to_str()?;
    let name = first.strip_suffix(".rs").unwrap_or(first);
    (!matches!(name, "lib" | "main")).then(|| name.to_string())
}

/// The code of a file without comment lines and without its test module.
fn code_of(text: &str) -> String {
    let mut code = String::new();
    for line in text.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("#[cfg(test)]") {
            break;
        }
        if !trimmed.starts_with("//") {
            code.push_str(line);
            code.push('\n');
        }
    }
    code
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Every top-level module named after `crate::`, including each first name
/// inside `crate::{a::x, b}`.
fn imported_modules(code: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for (at, _) in code.match_indices("crate::") {
        let preceded_by_ident = code[..at].chars().next_back().is_some_and(is_ident);
        if preceded_by_ident {
            continue; // `qualify_crate::` and the like
        }
        let rest = &code[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 0usize;
            let mut expecting_name = true;
            let mut name = String::new();
            for c in group.chars() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => expecting_name = true,
                    c if expecting_name && is_ident(c) => name.push(c),
                    _ if expecting_name && !name.is_empty() => {
                        names.insert(std::mem::take(&mut name));
                        expecting_name = false;
                    }
                    _ => {}
                }
            }
            if !name.is_empty() {
                names.insert(name);
            }
        } else {
            let name: String = rest.chars().take_while(|&c| is_ident(c)).collect();
            if !name.is_empty() {
                names.insert(name);
            }
        }
    }
    names
}

/// module → the modules its code imports (other than itself), from `src/`.
fn import_graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in files {
        let Some(module) = module_of(&src, &file) else {
            continue;
        };
        let text = std::fs::read_to_string(&file).expect("source is UTF-8");
        let imports = graph.entry(module.clone()).or_default();
        for name in imported_modules(&code_of(&text)) {
            if name != module {
                imports.insert(name);
            }
        }
    }
    graph
}

/// One circle of imports, if any: a path that comes back to where it began.
fn find_circle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        Open,
        Done,
    }
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        marks: &mut BTreeMap<String, Mark>,
        path: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        match marks.get(node) {
            Some(Mark::Done) => return None,
            Some(Mark::Open) => {
                let start = path.iter().position(|n| n == node).unwrap_or(0);
                let mut circle = path[start..].to_vec();
                circle.push(node.to_string());
                return Some(circle);
            }
            None => {}
        }
        marks.insert(node.to_string(), Mark::Open);
        path.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(circle) = visit(next, graph, marks, path) {
                return Some(circle);
            }
        }
        path.pop();
        marks.insert(node.to_string(), Mark::Done);
        None
    }
    let mut marks = BTreeMap::new();
    graph
        .keys()
        .find_map(|node| visit(node, graph, &mut marks, &mut Vec::new()))
}

#[test]
fn every_module_is_placed_in_a_stage() {
    let unplaced: Vec<_> = import_graph()
        .into_keys()
        .filter(|m| stage_of(m).is_none())
        .collect();
    assert!(
        unplaced.is_empty(),
        "modules in no stage (place them in tests/it/layering.rs and ARCHITECTURE.md): {unplaced:?}"
    );
}

#[test]
fn no_module_imports_a_stage_above_its_own() {
    let mut upward = Vec::new();
    for (module, imports) in import_graph() {
        let Some(own) = stage_of(&module) else {
            continue;
        };
        for imported in imports {
            if stage_of(&imported).is_some_and(|stage| stage > own) {
                upward.push(format!(
                    "{module} ({}) imports {imported} ({})",
                    STAGES[own].0,
                    STAGES[stage_of(&imported).unwrap_or(own)].0
                ));
            }
        }
    }
    assert!(upward.is_empty(), "upward imports:\n{}", upward.join("\n"));
}

#[test]
fn no_import_circles() {
    let circle = find_circle(&import_graph());
    assert!(
        circle.is_none(),
        "import circle: {}",
        circle.unwrap_or_default().join(" → ")
    );
}

#[test]
fn only_the_command_line_uses_clap() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let offenders: Vec<_> = files
        .iter()
        .filter(|f| !f.starts_with(src.join("cli")) && !f.ends_with("main.rs"))
        .filter(|f| {
            let code = code_of(&std::fs::read_to_string(f).unwrap_or_default());
            code.contains("clap::") || code.contains("use clap")
        })
        .collect();
    assert!(offenders.is_empty(), "clap outside src/cli: {offenders:?}");
}

/// The reader itself: grouped imports, paths inside code, comments and test
/// modules, so a change to it cannot quietly stop seeing imports.
#[test]
fn the_import_reader_sees_grouped_and_inline_paths() {
    let code = code_of(
        "use crate::{model::{Model, Value}, ast::Span};\n\
         // use crate::cli::common;\n\
         fn f() { crate::eval::reference::evaluate(); }\n\
         #[cfg(test)]\nmod tests { use crate::load::load_str; }\n",
    );
    let names: Vec<_> = imported_modules(&code).into_iter().collect();
    assert_eq!(names, ["ast", "eval", "model"]);

    let mut graph = BTreeMap::new();
    graph.insert("a".to_string(), BTreeSet::from(["b".to_string()]));
    graph.insert("b".to_string(), BTreeSet::from(["c".to_string()]));
    graph.insert("c".to_string(), BTreeSet::from(["a".to_string()]));
    assert_eq!(find_circle(&graph).map(|c| c.len()), Some(4));
    graph.insert("c".to_string(), BTreeSet::new());
    assert_eq!(find_circle(&graph), None);
}

/// ARCHITECTURE.md's code map names every module: a top-level file by its
/// path (`src/load.rs`), a file in a directory by its name in that
/// directory's row (`src/eval/` … `columns.rs`), a nested directory by its
/// name (`suggest/`).
#[test]
fn the_code_map_names_every_module() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let map = std::fs::read_to_string(root.join("ARCHITECTURE.md")).expect("ARCHITECTURE.md");
    let src = root.join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut unnamed = Vec::new();
    for file in files {
        let relative = file.strip_prefix(&src).expect("under src");
        let parts: Vec<&str> = relative.iter().filter_map(|p| p.to_str()).collect();
        let named = match parts.as_slice() {
            [single] => map.contains(&format!("`src/{single}`")),
            [dir, rest @ ..] => {
                let row = map
                    .lines()
                    .find(|line| line.starts_with(&format!("| `src/{dir}/`")));
                let token = match rest {
                    [.., parent, "mod.rs"] => format!("{parent}/"),
                    ["mod.rs"] => String::new(),
                    [.., name] => format!("{name}`"),
                    [] => String::new(),
                };
                row.is_some_and(|row| row.contains(&token))
            }
            [] => true,
        };
        if !named {
            unnamed.push(relative.display().to_string());
        }
    }
    assert!(
        unnamed.is_empty(),
        "modules ARCHITECTURE.md's code map does not name: {unnamed:?}"
    );
}
