//! `qualify man [COMMAND]`: the man page of qualify, or of one of its
//! commands (`qualify-score(1)`), in roff on stdout, generated from the
//! command line's own definition. The main page adds the exit statuses and
//! where the documentation is.

use super::common::{emit, usage_error};
use super::{EXIT_OK, EXIT_STATUSES};
use roff::{bold, roman, Roff};

/// The commands that have a page of their own (every command but `help`).
const COMMANDS: &[&str] = &[
    "check",
    "explain",
    "test",
    "backtest",
    "diff",
    "doc",
    "fmt",
    "score",
    "compile",
    "lsp",
    "completions",
    "man",
];

#[derive(Debug, clap::Args)]
pub struct ManArgs {
    /// A command whose own page to print (default: the page of qualify).
    #[arg(value_parser = clap::builder::PossibleValuesParser::new(COMMANDS))]
    pub command: Option<String>,
}

pub fn run(args: &ManArgs) -> i32 {
    match page(args.command.as_deref()) {
        Ok(text) => {
            emit(&text);
            EXIT_OK
        }
        Err(message) => usage_error(&message),
    }
}

/// The roff text of qualify's page (`None`) or of one command's page.
pub fn page(command: Option<&str>) -> Result<String, String> {
    // `--help`'s closing text is the exit statuses and the documents, which
    // the main page gives as sections of their own.
    let mut cmd = super::command()
        .disable_help_subcommand(true)
        .after_help(None::<&str>);
    cmd.build();
    let source = format!("qualify {}", env!("CARGO_PKG_VERSION"));
    let (man, ours) = match command {
        None => (clap_mangen::Man::new(cmd), main_sections()),
        Some(name) => {
            let sub = cmd
                .find_subcommand(name)
                .ok_or_else(|| format!("qualify has no command `{name}`"))?
                .clone();
            let mut see_also = Roff::default();
            see_also.control("SH", ["SEE ALSO"]);
            see_also.text([roman(
                "qualify(1), for the exit statuses and the documentation",
            )]);
            (clap_mangen::Man::new(sub), see_also)
        }
    };
    let mut out = Vec::new();
    man.source(source)
        .render(&mut out)
        .map_err(|e| format!("cannot render the man page: {e}"))?;
    let mut text = String::from_utf8_lossy(&out).into_owned();
    // Each rendered roff starts with the same two-line preamble; ours joins
    // the page, so it goes. Standard pages end with SEE ALSO, so our
    // sections go before clap_mangen's closing VERSION section.
    let preamble = Roff::default().render();
    let rendered = ours.render();
    let ours = rendered.strip_prefix(&preamble).unwrap_or(&rendered);
    match text.find(".SH VERSION") {
        Some(at) => text.insert_str(at, ours),
        None => text.push_str(ours),
    }
    Ok(text)
}

/// EXIT STATUS and SEE ALSO of the main page.
fn main_sections() -> Roff {
    let mut roff = Roff::default();
    roff.control("SH", ["EXIT STATUS"]);
    for (code, meaning) in EXIT_STATUSES {
        roff.control("TP", []);
        roff.text([bold(*code)]);
        roff.text([roman(*meaning)]);
    }
    roff.control("SH", ["SEE ALSO"]);
    let pages: Vec<String> = COMMANDS.iter().map(|c| format!("qualify-{c}(1)")).collect();
    roff.text([roman(pages.join(", "))]);
    roff.control("PP", []);
    roff.text([roman("In the qualify repository:")]);
    for (path, what) in super::DOCS {
        roff.control("TP", []);
        roff.text([bold(*path)]);
        roff.text([roman(*what)]);
    }
    roff
}
