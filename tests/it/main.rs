//! One integration-test binary (faster to build than one per file); each module
//! tests one command or stage.

mod check_cli;
mod fmt;
mod fmt_props;
mod lints;
mod support;
