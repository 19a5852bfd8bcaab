//! The one place that talks to the user while work runs: status lines and diagnostics on
//! stderr for people (with a progress bar on a terminal), or JSON lines on stdout for
//! programs (`--message-format json`).
//!
//! Like cargo's shell, this is process-wide state: the mode is chosen once by the command
//! line, and every part of the pipeline reports through here so that a progress bar is never
//! torn by a line printed beside it.

use std::io::{IsTerminal, Write};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde_json::{Value, json};

use crate::diag::{self, Diagnostic, Severity};

/// How messages are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum MessageFormat {
    /// Text for people on stderr: one line per document, a progress bar on a terminal.
    #[default]
    Human,
    /// One JSON object per line on stdout: progress, documents, diagnostics, a summary.
    Json,
}

/// Process-wide reporting state.
struct State {
    /// The chosen format.
    format: MessageFormat,
    /// The progress bar being drawn, if any.
    bar: Option<ProgressBar>,
    /// Every warning reported so far, in one line each (`file:line:col: message`), for the
    /// count in the summary and the list after the per-document lines.
    warnings: Vec<String>,
    /// Every message reported so far, warnings and errors, in one line each (with its
    /// file), for the review page.
    messages: Vec<(Severity, String)>,
    /// In watch mode, the warnings of the last round: printed again only when they change.
    last_round: Option<std::collections::BTreeSet<String>>,
}

static STATE: Mutex<State> = Mutex::new(State {
    format: MessageFormat::Human,
    bar: None,
    warnings: Vec::new(),
    messages: Vec::new(),
    last_round: None,
});

/// Watch mode: from now on a warning that the last round reported too is counted but not
/// printed again.
pub fn quiet_repeated_warnings() {
    with_state(|s| s.last_round = Some(Default::default()));
}

/// Runs `f` with the state locked; a poisoned lock (a panic elsewhere) still reports.
fn with_state<T>(f: impl FnOnce(&mut State) -> T) -> T {
    let mut state = STATE.lock().unwrap_or_else(|e| e.into_inner());
    f(&mut state)
}

/// Chooses how messages are written, for the rest of the process.
pub fn set_format(format: MessageFormat) {
    with_state(|s| s.format = format);
}

/// Whether messages go out as JSON lines.
pub fn is_json() -> bool {
    with_state(|s| s.format == MessageFormat::Json)
}

/// Writes one JSON event line to stdout (JSON mode only). Every event has an `event` field.
pub fn event(kind: &str, mut fields: Value) {
    if !is_json() {
        return;
    }
    if let Value::Object(map) = &mut fields {
        map.insert("event".into(), Value::String(kind.into()));
    }
    let mut out = std::io::stdout().lock();
    if let Err(e) = writeln!(out, "{fields}").and_then(|()| out.flush()) {
        stdout_failed(&e);
    }
}

/// Writes `bytes` to stdout as they are (a script, a page, a table), recording a failure.
pub fn stdout_bytes(bytes: &[u8]) {
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_all(bytes).and_then(|()| out.flush()) {
        stdout_failed(&e);
    }
}

/// Set once a write to stdout failed: the run's machine output is incomplete.
static STDOUT_FAILED: AtomicBool = AtomicBool::new(false);

/// Records that writing to stdout failed (closed pipe, full disk), and says so on stderr once.
pub fn stdout_failed(e: &std::io::Error) {
    if !STDOUT_FAILED.swap(true, Ordering::Relaxed) {
        let d = Diagnostic::error(format!("failed to write to standard output ({e})"))
            .hint("the output on standard output is incomplete; the exit code is 1");
        diag::render_stderr(&[d]);
    }
}

/// Whether a write to stdout failed during the run.
pub fn stdout_has_failed() -> bool {
    STDOUT_FAILED.load(Ordering::Relaxed)
}

/// Prints a status line for people on stderr (human mode only), above any progress bar.
pub fn status(line: &str) {
    with_state(|s| {
        if s.format == MessageFormat::Json {
            return;
        }
        match &s.bar {
            Some(bar) => bar.println(line),
            None => eprintln!("{line}"),
        }
    });
}

/// Reports diagnostics: rendered on stderr for people, or one JSON event each on stdout.
pub fn diagnostics(list: &[Diagnostic]) {
    if list.is_empty() {
        return;
    }
    // In watch mode, what the last round said already is left out.
    let list: Vec<Diagnostic> = with_state(|s| {
        let mut shown = Vec::new();
        s.messages.extend(list.iter().map(|d| (d.severity, one_line(d))));
        for d in list {
            if d.severity == Severity::Warning {
                let line = one_line(d);
                let repeated = s.last_round.as_ref().is_some_and(|last| last.contains(&line));
                s.warnings.push(line);
                if repeated {
                    continue;
                }
            }
            shown.push(d.clone());
        }
        shown
    });
    let list = list.as_slice();
    if list.is_empty() {
        return;
    }
    if is_json() {
        for d in list {
            event("diagnostic", diagnostic_json(d));
        }
        return;
    }
    with_state(|s| match &s.bar {
        Some(bar) => bar.suspend(|| diag::render_stderr(list)),
        None => diag::render_stderr(list),
    });
}

/// A diagnostic in one line: `file:line:col: message`, or the message alone.
fn one_line(d: &Diagnostic) -> String {
    match &d.location {
        Some(l) => {
            let (line, col) = line_column(&l.text, l.range.start);
            format!("{}:{line}:{col}: {}", diag::display_path(&l.path), d.message)
        }
        None => d.message.clone(),
    }
}

/// The warnings reported so far, one line each, and forgets them (watch mode counts each
/// rebuild on its own).
pub fn take_warnings() -> Vec<String> {
    with_state(|s| {
        let warnings = std::mem::take(&mut s.warnings);
        if let Some(last) = &mut s.last_round {
            *last = warnings.iter().cloned().collect();
        }
        warnings
    })
}

/// Every message reported so far (and forgets them): severity and one line with its file.
pub fn take_messages() -> Vec<(Severity, String)> {
    with_state(|s| std::mem::take(&mut s.messages))
}

/// Prints `warnings` again as a short list under their count (human output only): after a
/// build's per-document lines, where the full reports above have scrolled away.
pub fn repeat_warnings(warnings: &[String]) {
    if warnings.is_empty() || is_json() {
        return;
    }
    let n = warnings.len();
    let mut text = format!("{n} warning{} (shown in full above):\n", if n == 1 { "" } else { "s" });
    for w in warnings {
        text.push_str(&format!("  warning: {w}\n"));
    }
    status(text.trim_end());
}

/// ", 3 warnings" for a summary line; empty without warnings.
pub fn count_warnings(n: usize) -> String {
    match n {
        0 => String::new(),
        1 => ", 1 warning".to_owned(),
        n => format!(", {n} warnings"),
    }
}

/// A diagnostic as JSON: severity, message, file, 1-based line and column (of start and
/// end), hints, and the text people would see.
pub fn diagnostic_json(d: &Diagnostic) -> Value {
    let mut v = json!({
        "severity": match d.severity { Severity::Error => "error", Severity::Warning => "warning" },
        "message": d.message,
        "hints": d.hints,
        "rendered": diag::render_plain(std::slice::from_ref(d)),
    });
    if let Some(loc) = &d.location {
        let (line, column) = line_column(&loc.text, loc.range.start);
        let (end_line, end_column) = line_column(&loc.text, loc.range.end);
        v["file"] = json!(diag::display_path(&loc.path));
        v["line"] = json!(line);
        v["column"] = json!(column);
        v["end_line"] = json!(end_line);
        v["end_column"] = json!(end_column);
    } else if let Some(file) = &d.file {
        v["file"] = json!(diag::display_path(file));
    }
    v
}

/// 1-based line and column (in characters) of byte `at` in `text`.
fn line_column(text: &str, at: usize) -> (usize, usize) {
    let at = at.min(text.len());
    let before = text.get(..at).unwrap_or(text);
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (before.matches('\n').count() + 1, before[line_start..].chars().count() + 1)
}

/// Progress over a known number of documents: a bar on a terminal in human mode, nothing
/// otherwise (each finished document prints its own line or event).
pub struct Progress {
    bar: Option<ProgressBar>,
}

impl Progress {
    /// Starts progress over `total` documents.
    pub fn start(total: usize) -> Self {
        event("plan", json!({ "documents": total }));
        let bar = with_state(|s| {
            if s.format == MessageFormat::Json || !std::io::stderr().is_terminal() || total < 2 {
                return None;
            }
            let bar = ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr());
            let style =
                ProgressStyle::with_template("{spinner} [{bar:30}] {pos}/{len} documents  {elapsed} {msg}")
                    .unwrap_or_else(|_| ProgressStyle::default_bar())
                    .progress_chars("=> ");
            bar.set_style(style);
            bar.enable_steady_tick(Duration::from_millis(120));
            s.bar = Some(bar.clone());
            Some(bar)
        });
        Self { bar }
    }

    /// One more document is done.
    pub fn inc(&self) {
        if let Some(bar) = &self.bar {
            bar.inc(1);
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
            with_state(|s| s.bar = None);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;
    use std::sync::Arc;

    use super::*;

    #[test]
    fn json_diagnostics_carry_line_and_column() {
        let text: Arc<str> = Arc::from("a = 1\nbé = oops\n");
        let d = Diagnostic::error("bad").at(Path::new("x.toml"), &text, 12..16).hint("fix it");
        let v = diagnostic_json(&d);
        assert_eq!(v["severity"], "error");
        assert_eq!((v["line"].as_u64(), v["column"].as_u64()), (Some(2), Some(6)));
        assert_eq!((v["end_line"].as_u64(), v["end_column"].as_u64()), (Some(2), Some(10)));
        assert_eq!(v["hints"][0], "fix it");
        assert!(v["rendered"].as_str().unwrap().contains("x.toml:2:6"));
    }
}
