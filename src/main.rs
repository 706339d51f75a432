//! The `qualify` binary: the command line's arguments in, an exit status out.
//! Everything it does is in the library; [`qualify::cli::run`] reads the
//! arguments and runs one command.

fn main() {
    std::process::exit(qualify::cli::run());
}
