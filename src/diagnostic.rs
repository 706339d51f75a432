//! Diagnostics: every error and warning about a definition, with a stable code,
//! the span it is about, a label, and a help line a sales manager can act on.
//!
//! In: produced by the parser, the checker, the lints and the example runner.
//! Out: rendered by [`crate::report::diagnostics`] as human (miette), JSON or
//! GitHub workflow annotations.

use crate::ast::Span;
use crate::source::SourceFile;
use std::fmt;
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// Every diagnostic code qualify emits. The string form (`qualify::…`) is stable:
/// CI scripts and `# allow:` comments depend on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Code {
    // reading the file
    InvalidUtf8,
    EmptyDefinition,
    Syntax,
    TooDeep,
    TooLarge,
    // names
    UnknownField,
    UnknownList,
    UnknownCriterion,
    UnknownName,
    UnknownGroup,
    UnknownFunction,
    UnknownStage,
    /// An aggregate naming an events block that is not declared.
    UnknownEvents,
    /// An events block that cannot be read or joined, or an aggregate that
    /// reads the wrong fields.
    InvalidEvents,
    Duplicate,
    ReservedName,
    MissingFields,
    Cycle,
    OutputColumnClash,
    // types and values
    TypeMismatch,
    NotInOneOf,
    InvalidRegex,
    InvalidDate,
    InvalidDateFormat,
    PerUnitNotNumber,
    ScoreOutsideStage,
    StageOutsideRoute,
    InvalidNumber,
    WrongArguments,
    InvalidTemplate,
    // targets
    SqlUnsupported,
    // stages
    MissingOtherwise,
    StageAfterOtherwise,
    // examples
    ExampleUnknownField,
    ExampleWrongType,
    ExampleFailed,
    NotAnExample,
    // lints (warnings)
    NeverHolds,
    AlwaysHolds,
    UnreachableStage,
    UnreachableRoute,
    NoRoute,
    ThresholdOutOfRange,
    NoEffect,
    ShadowedByDisqualifier,
    SameCondition,
    Unused,
    PlaceholderIsAValue,
}

impl Code {
    pub fn as_str(self) -> &'static str {
        match self {
            Code::InvalidUtf8 => "qualify::invalid-utf8",
            Code::EmptyDefinition => "qualify::empty-definition",
            Code::Syntax => "qualify::syntax",
            Code::TooDeep => "qualify::too-deep",
            Code::TooLarge => "qualify::too-large",
            Code::UnknownField => "qualify::unknown-field",
            Code::UnknownList => "qualify::unknown-list",
            Code::UnknownCriterion => "qualify::unknown-criterion",
            Code::UnknownName => "qualify::unknown-name",
            Code::UnknownGroup => "qualify::unknown-group",
            Code::UnknownFunction => "qualify::unknown-function",
            Code::UnknownStage => "qualify::unknown-stage",
            Code::UnknownEvents => "qualify::unknown-events",
            Code::InvalidEvents => "qualify::invalid-events",
            Code::Duplicate => "qualify::duplicate",
            Code::ReservedName => "qualify::reserved-name",
            Code::MissingFields => "qualify::missing-fields",
            Code::Cycle => "qualify::cycle",
            Code::OutputColumnClash => "qualify::output-column-clash",
            Code::TypeMismatch => "qualify::type-mismatch",
            Code::NotInOneOf => "qualify::not-in-one-of",
            Code::InvalidRegex => "qualify::invalid-regex",
            Code::InvalidDate => "qualify::invalid-date",
            Code::InvalidDateFormat => "qualify::invalid-date-format",
            Code::PerUnitNotNumber => "qualify::per-unit-not-number",
            Code::ScoreOutsideStage => "qualify::score-outside-stage",
            Code::StageOutsideRoute => "qualify::stage-outside-route",
            Code::InvalidNumber => "qualify::invalid-number",
            Code::WrongArguments => "qualify::wrong-arguments",
            Code::InvalidTemplate => "qualify::invalid-template",
            Code::SqlUnsupported => "qualify::sql-unsupported",
            Code::MissingOtherwise => "qualify::missing-otherwise",
            Code::StageAfterOtherwise => "qualify::stage-after-otherwise",
            Code::ExampleUnknownField => "qualify::example-unknown-field",
            Code::ExampleWrongType => "qualify::example-wrong-type",
            Code::ExampleFailed => "qualify::example-failed",
            Code::NotAnExample => "qualify::not-an-example",
            Code::NeverHolds => "qualify::never-holds",
            Code::AlwaysHolds => "qualify::always-holds",
            Code::UnreachableStage => "qualify::unreachable-stage",
            Code::UnreachableRoute => "qualify::unreachable-route",
            Code::NoRoute => "qualify::no-route",
            Code::ThresholdOutOfRange => "qualify::threshold-out-of-range",
            Code::NoEffect => "qualify::no-effect",
            Code::ShadowedByDisqualifier => "qualify::shadowed-by-disqualifier",
            Code::SameCondition => "qualify::same-condition",
            Code::Unused => "qualify::unused",
            Code::PlaceholderIsAValue => "qualify::placeholder-is-a-value",
        }
    }

    /// The code without the `qualify::` prefix, as written in `# allow:` comments.
    pub fn short(self) -> &'static str {
        &self.as_str()["qualify::".len()..]
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One finding about one place in one definition.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub code: Code,
    pub severity: Severity,
    pub message: String,
    pub span: Span,
    pub label: String,
    pub help: Option<String>,
    /// Further places worth showing (the other half of a duplicate, a cycle's members).
    pub related: Vec<(Span, String)>,
}

impl Diagnostic {
    pub fn error(code: Code, span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: Severity::Error,
            message: message.into(),
            span,
            label: String::new(),
            help: None,
            related: Vec::new(),
        }
    }

    pub fn warning(code: Code, span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, span, message)
        }
    }

    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = label.into();
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn maybe_help(mut self, help: Option<String>) -> Self {
        if help.is_some() {
            self.help = help;
        }
        self
    }

    pub fn related(mut self, span: Span, label: impl Into<String>) -> Self {
        self.related.push((span, label.into()));
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Attach the source so miette can render the snippet.
    pub fn with_source(self, source: &Arc<SourceFile>) -> Located {
        Located {
            diagnostic: self,
            source: source.clone(),
        }
    }
}

/// A diagnostic together with the file it is about: what miette renders.
#[derive(Debug, Clone)]
pub struct Located {
    pub diagnostic: Diagnostic,
    pub source: Arc<SourceFile>,
}

impl fmt::Display for Located {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.diagnostic.message)
    }
}

impl std::error::Error for Located {}

impl miette::Diagnostic for Located {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.diagnostic.code.as_str()))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.diagnostic.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.diagnostic
            .help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&*self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        let d = &self.diagnostic;
        let main = miette::LabeledSpan::new_primary_with_span(
            (!d.label.is_empty()).then(|| d.label.clone()),
            d.span,
        );
        let rest = d
            .related
            .iter()
            .map(|(span, label)| miette::LabeledSpan::new_with_span(Some(label.clone()), *span));
        Some(Box::new(std::iter::once(main).chain(rest)))
    }
}

/// The closest of `candidates` to `name`, if it is close enough to be a likely typo.
pub fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let lower = name.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&lower, &c.to_lowercase()), c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, c)| c)
}

/// "did you mean `x`?" when some candidate is close, else None.
pub fn did_you_mean<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    closest(name, candidates).map(|c| format!("did you mean `{c}`?"))
}

/// `did you mean "x"?` for quoted names (criteria, stages, reasons, one-of values).
pub fn did_you_mean_quoted<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    closest(name, candidates).map(|c| format!("did you mean \"{c}\"?"))
}

/// Decoding a definition's bytes, here rather than in `source.rs` because its
/// failure is a diagnostic and source files sit below diagnostics.
impl SourceFile {
    /// Decode bytes as UTF-8. On failure the text keeps the valid prefix and the
    /// diagnostic points at the first bad byte.
    pub fn from_bytes(name: impl Into<String>, bytes: Vec<u8>) -> (Self, Option<Diagnostic>) {
        match String::from_utf8(bytes) {
            Ok(text) => (SourceFile::new(name, text), None),
            Err(err) => {
                let at = err.utf8_error().valid_up_to();
                let bytes = err.into_bytes();
                let lossy = String::from_utf8_lossy(&bytes).into_owned();
                let source = SourceFile::new(name, lossy);
                let (line, col) = source.line_col(at);
                let diag = Diagnostic::error(
                    Code::InvalidUtf8,
                    Span::new(at, at + 1),
                    format!("the file is not valid UTF-8 (line {line}, column {col})"),
                )
                .label("this byte is not UTF-8")
                .help("save the file as UTF-8 (in most editors: \"Save with encoding\" → UTF-8)");
                (source, Some(diag))
            }
        }
    }
}
