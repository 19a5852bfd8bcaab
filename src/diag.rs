//! Diagnostics located in the files the user wrote, and the one place that prints them.

use std::fmt;
use std::io::IsTerminal;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label};
use codespan_reporting::files::{Error as FilesError, SimpleFile};
use codespan_reporting::term::{self, termcolor};

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// The build cannot go on.
    Error,
    /// Worth a look; the build goes on.
    Warning,
}

/// A place in a file the user wrote: its path, its text and a byte range in it.
#[derive(Debug, Clone)]
pub struct Location {
    /// The file's path on disk.
    pub path: PathBuf,
    /// The file's text, kept so the diagnostic can quote it.
    pub text: Arc<str>,
    /// Byte range of the offending part.
    pub range: Range<usize>,
}

/// One message for the user, with an optional location and hints.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// One line, lowercase, no trailing period.
    pub message: String,
    /// Where in the user's files the problem is.
    pub location: Option<Box<Location>>,
    /// The file the problem is in, when there is no place in it to point at (a file too
    /// large, not text, not a file): for machine-readable output.
    pub file: Option<PathBuf>,
    /// Advice, each printed as a `hint:` line.
    pub hints: Vec<String>,
    /// Whether the problem is a value on the command line (or in the environment) that only
    /// the project could check (`--brand nobody`, `--root nowhere`): the run exits with 2,
    /// as for anything clap rejects.
    pub usage: bool,
}

impl Diagnostic {
    /// An error without a location.
    pub fn error(message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            message: one_line(message.into()),
            location: None,
            file: None,
            hints: vec![],
            usage: false,
        }
    }

    /// A warning without a location.
    pub fn warning(message: impl Into<String>) -> Self {
        Self { severity: Severity::Warning, ..Self::error(message) }
    }

    /// A diagnostic of the given severity.
    pub fn new(severity: Severity, message: impl Into<String>) -> Self {
        Self { severity, ..Self::error(message) }
    }

    /// Attaches a location in `path`, whose contents are `text`, at byte `range`.
    pub fn at(mut self, path: &Path, text: &Arc<str>, range: Range<usize>) -> Self {
        // Snap to character boundaries: the quoted line is sliced by this range.
        let mut end = range.end.min(text.len());
        while !text.is_char_boundary(end) {
            end += 1;
        }
        let mut start = range.start.min(end);
        while !text.is_char_boundary(start) {
            start -= 1;
        }
        self.location =
            Some(Box::new(Location { path: path.to_owned(), text: text.clone(), range: start..end }));
        self
    }

    /// Names the file the problem is in, without a place in it.
    pub fn in_file(mut self, path: &Path) -> Self {
        self.file = Some(path.to_owned());
        self
    }

    /// Adds a hint line.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hints.push(one_line(hint.into()));
        self
    }

    /// Marks the problem as one with the command line (exit code 2).
    pub fn usage(mut self) -> Self {
        self.usage = true;
        self
    }
}

/// A non-empty list of diagnostics that stopped an operation.
#[derive(Debug, Clone)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// Whether the command line is at fault: some error is a [usage](Diagnostic::usage) error.
    pub fn is_usage(&self) -> bool {
        self.0.iter().any(|d| d.usage && d.severity == Severity::Error)
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(d: Diagnostic) -> Self {
        Self(vec![d])
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.0 {
            writeln!(f, "{}", d.message)?;
        }
        Ok(())
    }
}

/// The result of a step that can fail with located diagnostics.
pub type Result<T> = std::result::Result<T, Diagnostics>;

/// Collects diagnostics from several independent checks, so the user sees them all at once.
#[derive(Debug, Default)]
pub struct Sink {
    diagnostics: Vec<Diagnostic>,
}

impl Sink {
    /// Records a diagnostic.
    pub fn push(&mut self, d: Diagnostic) {
        self.diagnostics.push(d);
    }

    /// Records every diagnostic of a failed step.
    pub fn extend(&mut self, ds: Diagnostics) {
        self.diagnostics.extend(ds.0);
    }

    /// Keeps the value of a step, or records why it failed.
    pub fn take<T>(&mut self, result: Result<T>) -> Option<T> {
        result.map_err(|e| self.extend(e)).ok()
    }

    /// Whether any error (not just warnings) was recorded.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(|d| d.severity == Severity::Error)
    }

    /// Fails with everything recorded if there is an error, else hands back the warnings.
    pub fn finish(self) -> std::result::Result<Vec<Diagnostic>, Diagnostics> {
        if self.has_errors() { Err(Diagnostics(self.diagnostics)) } else { Ok(self.diagnostics) }
    }
}

/// Decodes a user file as UTF-8, or points at its first invalid byte. `what` names the
/// file's role in the message ("content", "leafpress.toml", …).
pub fn decode_utf8(path: &Path, bytes: Vec<u8>, what: &str) -> Result<Arc<str>> {
    String::from_utf8(bytes).map(Arc::from).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let lossy: Arc<str> = String::from_utf8_lossy(e.as_bytes()).into();
        Diagnostic::error(format!("failed to read {what} (the file is not valid UTF-8)"))
            .at(path, &lossy, at..at + 1)
            .hint("save the file as UTF-8; the first invalid byte is marked")
            .into()
    })
}

/// Shows a path relative to the working directory when it lies below it.
pub fn display_path(path: &Path) -> String {
    let cwd = std::env::current_dir().and_then(|c| c.canonicalize()).ok();
    let shown = cwd.as_deref().and_then(|c| path.strip_prefix(c).ok()).unwrap_or(path);
    shown.display().to_string()
}

/// Reports diagnostics the way the user asked: rendered on stderr, or as JSON lines (see
/// [`crate::report`]).
pub fn emit(diagnostics: &[Diagnostic]) {
    crate::report::diagnostics(diagnostics);
}

/// Prints diagnostics to stderr, coloured only on a terminal.
pub fn render_stderr(diagnostics: &[Diagnostic]) {
    let choice = if std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none() {
        termcolor::ColorChoice::Auto
    } else {
        termcolor::ColorChoice::Never
    };
    let mut stream = termcolor::StandardStream::stderr(choice);
    for d in diagnostics {
        // A failure to write to stderr leaves nothing better to report to.
        let _ = write_one(&mut stream, d);
    }
}

/// Renders diagnostics as plain text, as `emit` prints them without colour.
pub fn render_plain(diagnostics: &[Diagnostic]) -> String {
    let mut buf = termcolor::NoColor::new(Vec::new());
    for d in diagnostics {
        let _ = write_one(&mut buf, d);
    }
    String::from_utf8_lossy(&buf.into_inner()).into_owned()
}

/// Writes one diagnostic in codespan's style, the same style typst-kit uses for Typst's own.
fn write_one(out: &mut dyn termcolor::WriteColor, d: &Diagnostic) -> std::io::Result<()> {
    let config = term::Config { tab_width: 2, ..Default::default() };
    let base = match d.severity {
        Severity::Error => CsDiagnostic::error(),
        Severity::Warning => CsDiagnostic::warning(),
    }
    .with_message(&d.message)
    .with_notes(d.hints.iter().map(|h| format!("hint: {h}")).collect());
    match &d.location {
        Some(loc) => {
            let (file, range) = Excerpt::new(loc);
            let diag = base.with_labels(vec![Label::primary((), range)]);
            term::emit(out, &config, &file, &diag).map_err(std::io::Error::other)
        }
        None => {
            let file = SimpleFile::new(String::new(), "");
            term::emit(out, &config, &file, &base).map_err(std::io::Error::other)
        }
    }
    .and_then(|()| out.flush())
}

/// A message or hint on one line, as they are documented: a quoted value's line breaks are
/// shown as `\n`.
fn one_line(s: String) -> String {
    if s.contains(['\n', '\r']) { s.replace('\r', "\\r").replace('\n', "\\n") } else { s }
}

/// Lines longer than this are cut to a window around the marked place when quoted.
const MAX_QUOTED_LINE: usize = 160;

/// What a diagnostic quotes of its file: the lines the marked range spans, except that a line
/// longer than [`MAX_QUOTED_LINE`] characters (a paragraph on one line, a minified SVG) is cut
/// to the part around the mark, so one error never prints a whole file and rendering many
/// errors of one file costs no more than the lines they quote. Line and column in the header
/// stay those of the real file.
struct Excerpt {
    name: String,
    /// The quoted lines.
    source: String,
    /// Where each line of `source` starts.
    line_starts: Vec<usize>,
    /// The real file's index of the first quoted line.
    first_line: usize,
    /// What to add to a column counted in the first line (when it is cut).
    shift: usize,
}

thread_local! {
    /// The line starts of the last file quoted (keyed by its text's address and length):
    /// diagnostics come in runs for one file.
    static LINES: std::cell::RefCell<(usize, usize, Arc<[usize]>)> =
        std::cell::RefCell::new((0, 0, Arc::from(Vec::new())));
}

/// The byte offsets where the lines of `text` start, computed once per file.
fn cached_line_starts(text: &Arc<str>) -> Arc<[usize]> {
    let key = (text.as_ptr() as usize, text.len());
    LINES.with(|cell| {
        let mut cache = cell.borrow_mut();
        if (cache.0, cache.1) != key || cache.2.is_empty() {
            *cache = (key.0, key.1, Arc::from(line_starts(text)));
        }
        cache.2.clone()
    })
}

impl Excerpt {
    /// The excerpt of `loc`'s file and the range to mark in it.
    fn new(loc: &Location) -> (Self, Range<usize>) {
        let text: &str = &loc.text;
        let range = loc.range.clone();
        let starts = cached_line_starts(&loc.text);
        let line_index = starts.partition_point(|&s| s <= range.start).saturating_sub(1);
        let line_start = starts[line_index];
        let line_end = text[range.start..].find('\n').map_or(text.len(), |i| range.start + i);
        let line = &text[line_start..line_end];
        let long = line.chars().nth(MAX_QUOTED_LINE).is_some();
        let multi_line_long = text[range.clone()].contains('\n')
            && text[range.clone()].lines().any(|l| l.chars().nth(MAX_QUOTED_LINE).is_some());
        let name = display_path(&loc.path);
        if !long && !multi_line_long {
            // The lines the range spans (and the line break after them, as codespan expects).
            let last = range.end.max(range.start);
            let end = text[last..].find('\n').map_or(text.len(), |i| last + i + 1);
            let source = text[line_start..end].to_owned();
            let mark = range.start - line_start..range.end.max(range.start) - line_start;
            let line_starts = line_starts(&source);
            return (Self { name, source, line_starts, first_line: line_index, shift: 0 }, mark);
        }
        // Mark at most the rest of the line, and show about 60 characters on either side.
        let end = range.end.min(line_end).max(range.start);
        let before: Vec<(usize, char)> = text[line_start..range.start].char_indices().collect();
        let from = before.len().checked_sub(60).map_or(line_start, |k| line_start + before[k].0);
        let after_end = text[end..line_end].char_indices().nth(60).map_or(line_end, |(i, _)| end + i);
        let marked_end = text[range.start..end].char_indices().nth(80).map_or(end, |(i, _)| range.start + i);
        let (lead, trail) =
            (if from > line_start { "…" } else { "" }, if after_end < line_end { "…" } else { "" });
        let mut source = String::from(lead);
        let offset = source.len();
        source.push_str(&text[from..after_end.max(marked_end)]);
        source.push_str(trail);
        let mark = offset + (range.start - from)..offset + (marked_end - from);
        // A column in the cut line counts the "…" as one character; the real line has
        // `skipped` characters before the window.
        let skipped = text[line_start..from].chars().count();
        let shift = skipped - lead.chars().count();
        let line_starts = line_starts(&source);
        (Self { name, source, line_starts, first_line: line_index, shift }, mark)
    }
}

fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect()
}

impl<'a> codespan_reporting::files::Files<'a> for Excerpt {
    type FileId = ();
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, (): ()) -> std::result::Result<&'a str, FilesError> {
        Ok(&self.name)
    }

    fn source(&'a self, (): ()) -> std::result::Result<&'a str, FilesError> {
        Ok(&self.source)
    }

    fn line_index(&'a self, (): (), byte_index: usize) -> std::result::Result<usize, FilesError> {
        Ok(self.first_line + self.line_starts.partition_point(|&s| s <= byte_index).saturating_sub(1))
    }

    fn line_range(&'a self, (): (), line_index: usize) -> std::result::Result<Range<usize>, FilesError> {
        // Lines outside the excerpt (codespan may ask for a neighbour) are empty.
        let Some(local) = line_index.checked_sub(self.first_line) else { return Ok(0..0) };
        let Some(&start) = self.line_starts.get(local) else {
            return Ok(self.source.len()..self.source.len());
        };
        let end = self.line_starts.get(local + 1).copied().unwrap_or(self.source.len());
        Ok(start..end)
    }

    fn column_number(
        &'a self,
        (): (),
        line_index: usize,
        byte_index: usize,
    ) -> std::result::Result<usize, FilesError> {
        let range = self.line_range((), line_index)?;
        let counted =
            self.source[range.start..byte_index.min(range.end).max(range.start)].chars().count() + 1;
        Ok(if line_index == self.first_line { counted + self.shift } else { counted })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_are_cut_around_the_mark_and_keep_their_place() {
        let line = format!("{}[@x {}", "a ".repeat(400), "b ".repeat(400));
        let text: Arc<str> = Arc::from(format!("first\n{line}\nlast\n"));
        let at = 6 + 800;
        let d = Diagnostic::error("unclosed citation").at(Path::new("t.md"), &text, at..at + 2);
        let out = render_plain(&[d]);
        assert!(out.contains("t.md:2:801"), "{out}");
        assert!(out.lines().all(|l| l.chars().count() < 200), "{out}");
        assert!(out.contains("│ …a a a") && out.contains("a a [@x b b") && out.contains("b b …"), "{out}");
        let marked = out.lines().find(|l| l.contains('^')).unwrap();
        let quoted = out.lines().find(|l| l.contains("[@x")).unwrap();
        let column = |l: &str, at: usize| l[..at].chars().count();
        assert_eq!(
            column(marked, marked.find('^').unwrap()),
            column(quoted, quoted.find("[@x").unwrap()),
            "{out}"
        );
    }

    #[test]
    fn renders_location_and_hint() {
        let text: Arc<str> = Arc::from("a = 1\nb = oops\n");
        let d = Diagnostic::error("failed to read `b` (not a number)")
            .at(Path::new("/nowhere/x.toml"), &text, 10..14)
            .hint("write a number");
        let out = render_plain(&[d]);
        assert!(out.starts_with("error: failed to read `b` (not a number)\n"), "{out}");
        assert!(out.contains("/nowhere/x.toml:2:5"), "{out}");
        assert!(out.contains("= hint: write a number"), "{out}");
    }

    #[test]
    fn ranges_snap_to_character_boundaries() {
        let text: Arc<str> = Arc::from("café\n");
        let d = Diagnostic::error("x").at(Path::new("a"), &text, 4..5);
        assert_eq!(d.location.unwrap().range, 3..5);
        assert!(render_plain(&[Diagnostic::error("y").at(Path::new("a"), &text, 4..4)]).contains("a:1:4"));
    }

    #[test]
    fn diagnostics_stay_small() {
        // clippy's result_large_err fires on a `Result<_, Diagnostic>` above 128 bytes.
        assert!(std::mem::size_of::<Diagnostic>() <= 128, "{}", std::mem::size_of::<Diagnostic>());
    }

    #[test]
    fn usage_errors_make_the_whole_list_a_usage_error() {
        let plain = Diagnostics(vec![Diagnostic::error("a")]);
        assert!(!plain.is_usage());
        let usage = Diagnostics(vec![Diagnostic::error("a"), Diagnostic::error("b").usage()]);
        assert!(usage.is_usage());
        assert!(!Diagnostics(vec![Diagnostic::warning("c").usage()]).is_usage());
    }

    #[test]
    fn sink_keeps_warnings_when_no_error() {
        let mut sink = Sink::default();
        sink.push(Diagnostic::warning("stale"));
        assert_eq!(sink.finish().unwrap().len(), 1);
    }
}
