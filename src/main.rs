fn main() {
    std::process::exit(qualify::cli::run());
}
