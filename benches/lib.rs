//! What the benches share: [`main!`], criterion's `criterion_main!` that first
//! moves into the repository root.
//!
//! In: the bench groups. Out: a `main` that runs them with paths such as
//! `rules/northwind.lead` read from the repository root, since cargo starts a
//! bench in its own package's directory (benches/), not where it was typed.

/// The repository root: this crate's parent directory.
pub fn at_repository_root() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    std::env::set_current_dir(root).unwrap_or_else(|e| panic!("{root}: {e}"));
}

/// `criterion_main!(groups…)`, run from the repository root.
#[macro_export]
macro_rules! main {
    ($($group:path),+ $(,)?) => {
        fn main() {
            $crate::at_repository_root();
            $($group();)+
            criterion::Criterion::default()
                .configure_from_args()
                .final_summary();
        }
    };
}
