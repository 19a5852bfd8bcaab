//! `build --timings`: where a build's time goes. Each stage of each document (load, check,
//! prepare, compile, export, arrange, previews, post-process, write, and the memo cache's
//! trims) is timed on the thread that runs it; at the end a table goes to stderr and a Chrome
//! trace (`out/timings.json`, for chrome://tracing or Perfetto) beside the PDFs. Off unless asked for: then recording is
//! a single relaxed load per stage.
//!
//! A thread that waits inside a stage (Typst's parallel layout, krilla's deferred image and
//! font work) runs other queued work meanwhile, often a whole other document. Such a stage
//! holds the stolen stages inside it on the same thread, so the table counts each stage's own
//! time only (its wall time less the stages nested in it); the trace shows the nesting.
//!
//! Inside compile and export, Typst's own scopes are recorded too (`scopes`): the table
//! names the template lines and layout steps that cost the most, and the trace holds them all.

pub mod scopes;

use std::cell::RefCell;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use serde_json::json;

/// A stage of the pipeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stage {
    /// Reading leafpress.toml, brands, content and bibliographies; planning the matrix.
    Load,
    /// The checks that need the fonts (preflight).
    Check,
    /// A document's data for its template, as JSON.
    Prepare,
    /// Typst: evaluation and layout.
    Compile,
    /// Typst: the tagged PDF.
    Export,
    /// Sheet sides of the imposed booklet and the trifold.
    Arrange,
    /// Page images for `--preview`.
    Previews,
    /// Fit reports and presenter notes.
    Post,
    /// Writing the files (and the manifest).
    Write,
    /// Trimming Typst's memo cache as memory grows (`crate::trim`), a stage of the run's own.
    Trim,
}

impl Stage {
    /// Every stage, in pipeline order.
    pub const ALL: [Stage; 10] = [
        Stage::Load,
        Stage::Check,
        Stage::Prepare,
        Stage::Compile,
        Stage::Export,
        Stage::Arrange,
        Stage::Previews,
        Stage::Post,
        Stage::Write,
        Stage::Trim,
    ];

    /// Its name in the table and the trace.
    pub fn name(self) -> &'static str {
        match self {
            Stage::Load => "load",
            Stage::Check => "check",
            Stage::Prepare => "prepare",
            Stage::Compile => "compile",
            Stage::Export => "export",
            Stage::Arrange => "arrange",
            Stage::Previews => "previews",
            Stage::Post => "post-process",
            Stage::Write => "write",
            Stage::Trim => "trim",
        }
    }
}

/// One timed stage.
#[derive(Debug, Clone)]
struct Span {
    stage: Stage,
    /// The document (its output key), or none for the run's own stages.
    doc: Option<String>,
    /// 0 for the main thread, else the worker's number from 1.
    thread: usize,
    /// From the run's start.
    start: Duration,
    /// Wall time from start to end, with any stages nested in it.
    duration: Duration,
    /// `duration` less the stages that ran nested in it on the same thread.
    own: Duration,
}

static ENABLED: AtomicBool = AtomicBool::new(false);
static START: OnceLock<Instant> = OnceLock::new();
static SPANS: Mutex<Vec<Span>> = Mutex::new(Vec::new());
/// How many layout iterations each compiled document took, by its output key.
static ITERATIONS: Mutex<Vec<(String, usize)>> = Mutex::new(Vec::new());

/// Starts recording the stages, from now (`scopes::enable` starts Typst's).
pub fn enable() {
    START.get_or_init(Instant::now);
    ENABLED.store(true, Ordering::Relaxed);
}

/// Whether stages are being recorded.
pub fn enabled() -> bool {
    ENABLED.load(Ordering::Relaxed)
}

/// Runs `f` as `stage` of `doc` (none: the run's own), recording how long it took.
pub fn time<T>(stage: Stage, doc: Option<&str>, f: impl FnOnce() -> T) -> T {
    let _timer = begin(stage, doc);
    f()
}

thread_local! {
    /// For each stage open on this thread, innermost last: the time of the stages nested in it.
    static OPEN: RefCell<Vec<Duration>> = const { RefCell::new(Vec::new()) };
}

/// A stage being timed; recorded when dropped. Timers on one thread end in the reverse order
/// of their start (they live on its stack).
pub struct Timer {
    open: Option<(Stage, Option<String>, Instant)>,
}

/// Starts timing `stage` of `doc` (none: the run's own) until the returned timer is dropped.
pub fn begin(stage: Stage, doc: Option<&str>) -> Timer {
    if !enabled() {
        return Timer { open: None };
    }
    OPEN.with(|open| open.borrow_mut().push(Duration::ZERO));
    Timer { open: Some((stage, doc.map(str::to_owned), Instant::now())) }
}

impl Drop for Timer {
    fn drop(&mut self) {
        let Some((stage, doc, begun)) = self.open.take() else { return };
        let duration = begun.elapsed();
        let nested = OPEN.with(|open| {
            let mut open = open.borrow_mut();
            let nested = open.pop().unwrap_or_default();
            if let Some(outer) = open.last_mut() {
                *outer += duration;
            }
            nested
        });
        record_span(stage, doc, begun, duration, duration.saturating_sub(nested));
    }
}

fn record_span(stage: Stage, doc: Option<String>, begun: Instant, duration: Duration, own: Duration) {
    let Some(start) = START.get() else { return };
    let span = Span {
        stage,
        doc,
        thread: rayon::current_thread_index().map_or(0, |i| i + 1),
        start: begun.saturating_duration_since(*start),
        duration,
        own,
    };
    if let Ok(mut spans) = SPANS.lock() {
        spans.push(span);
    }
}

/// Records that `doc` was laid out `n` times: Typst lays a document out again while anything
/// it introspected (page numbers, citations, measured text) changed, each time walking every
/// page, so the count says as much about a template's cost as its time.
pub fn iterations(doc: &str, n: usize) {
    if !enabled() {
        return;
    }
    if let Ok(mut all) = ITERATIONS.lock() {
        all.push((doc.to_owned(), n));
    }
}

/// The recorded spans, taken (recording stays on).
fn take() -> Vec<Span> {
    SPANS.lock().map(|mut s| std::mem::take(&mut *s)).unwrap_or_default()
}

/// The recorded layout iterations, taken.
fn take_iterations() -> Vec<(String, usize)> {
    ITERATIONS.lock().map(|mut s| std::mem::take(&mut *s)).unwrap_or_default()
}

/// One line on the layout iterations: the mean per document, how many documents took each
/// count, and the template (format) that took the most on average.
fn iterations_line(all: &[(String, usize)]) -> Option<String> {
    if all.is_empty() {
        return None;
    }
    let mut counts = std::collections::BTreeMap::new();
    let mut formats: std::collections::BTreeMap<&str, (usize, usize)> = std::collections::BTreeMap::new();
    for (doc, n) in all {
        *counts.entry(*n).or_insert(0usize) += 1;
        let format = doc.rsplit('/').next().unwrap_or(doc).trim_end_matches(".pdf");
        let entry = formats.entry(format).or_default();
        entry.0 += n;
        entry.1 += 1;
    }
    let total: usize = all.iter().map(|(_, n)| n).sum();
    let counts: Vec<String> = counts.iter().map(|(n, docs)| format!("{docs} in {n}")).collect();
    let mut by_format: Vec<(f64, &str)> =
        formats.iter().map(|(f, (sum, docs))| (*sum as f64 / *docs as f64, *f)).collect();
    by_format.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    let by_format: Vec<String> = by_format.iter().map(|(mean, f)| format!("{f} {mean:.1}")).collect();
    Some(format!(
        "  layout iterations: {:.2} a document ({}); by format: {}",
        total as f64 / all.len() as f64,
        counts.join(", "),
        by_format.join(", ")
    ))
}

/// The Chrome trace (Trace Event Format) of `spans` (process 1) and Typst's scopes (process
/// 2, already events), in microseconds.
/// A compile span's arguments hold the document's layout iterations.
fn trace(spans: &[Span], typst: Vec<serde_json::Value>, iterations: &[(String, usize)]) -> serde_json::Value {
    let micros = |d: Duration| u64::try_from(d.as_micros()).unwrap_or(u64::MAX);
    let laid: std::collections::HashMap<&str, usize> =
        iterations.iter().map(|(d, n)| (d.as_str(), *n)).collect();
    let mut events: Vec<serde_json::Value> = spans
        .iter()
        .map(|s| {
            let mut args = json!({ "document": s.doc });
            if let Some(n) = s.doc.as_deref().filter(|_| s.stage == Stage::Compile).and_then(|d| laid.get(d))
            {
                args["layout iterations"] = json!(n);
            }
            json!({
                "name": s.stage.name(),
                "cat": if s.doc.is_some() { "document" } else { "run" },
                "ph": "X",
                "ts": micros(s.start),
                "dur": micros(s.duration),
                "pid": 1,
                "tid": s.thread,
                "args": args,
            })
        })
        .collect();
    events.extend((0..=spans.iter().map(|s| s.thread).max().unwrap_or(0)).map(|t| {
        let name = if t == 0 { "main".to_owned() } else { format!("worker {t}") };
        json!({ "name": "thread_name", "ph": "M", "pid": 1, "tid": t, "args": { "name": name } })
    }));
    events
        .push(json!({ "name": "process_name", "ph": "M", "pid": 1, "args": { "name": "leafpress stages" } }));
    events.extend(typst);
    json!({ "traceEvents": events, "displayTimeUnit": "ms" })
}

/// The table: per stage its total time, share and per-document mean and maximum; then the
/// slowest documents.
fn table(spans: &[Span], wall: Duration) -> String {
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let total: Duration = spans.iter().map(|s| s.own).sum();
    let docs: std::collections::BTreeSet<&str> = spans.iter().filter_map(|s| s.doc.as_deref()).collect();
    let mut out = format!(
        "timings: {} documents, {:.0} ms wall, {:.0} ms in stages (each stage's own time on its thread, summed: work another document's stage ran while it waited counts there)\n",
        docs.len(),
        ms(wall),
        ms(total)
    );
    out.push_str(&format!(
        "  {:<13} {:>10} {:>6} {:>10} {:>10}  slowest\n",
        "stage", "total ms", "share", "mean ms", "max ms"
    ));
    for stage in Stage::ALL {
        let of: Vec<&Span> = spans.iter().filter(|s| s.stage == stage).collect();
        if of.is_empty() {
            continue;
        }
        let sum: Duration = of.iter().map(|s| s.own).sum();
        let slowest = of.iter().max_by_key(|s| s.own).copied();
        let share = if total.is_zero() { 0.0 } else { sum.as_secs_f64() / total.as_secs_f64() * 100.0 };
        out.push_str(&format!(
            "  {:<13} {:>10.1} {:>5.1}% {:>10.2} {:>10.2}  {}\n",
            stage.name(),
            ms(sum),
            share,
            ms(sum) / of.len() as f64,
            slowest.map_or(0.0, |s| ms(s.own)),
            slowest.and_then(|s| s.doc.as_deref()).unwrap_or("-"),
        ));
    }
    let mut per_doc: Vec<(&str, Duration)> = docs
        .iter()
        .map(|d| (*d, spans.iter().filter(|s| s.doc.as_deref() == Some(*d)).map(|s| s.own).sum()))
        .collect();
    per_doc.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    if !per_doc.is_empty() {
        out.push_str("  slowest documents:");
        for (d, t) in per_doc.iter().take(5) {
            out.push_str(&format!(" {d} {:.0} ms;", ms(*t)));
        }
        out.pop();
        out.push('\n');
    }
    out
}

/// Prints the table and writes the trace to `path`, if recording; `wall` is the run's time,
/// `locate` names the template file and line of one of Typst's spans.
pub fn finish(
    path: &std::path::Path,
    wall: Duration,
    locate: impl FnMut(std::num::NonZeroU64) -> (String, u32),
) -> std::io::Result<()> {
    if !enabled() {
        return Ok(());
    }
    let spans = take();
    let iterations = take_iterations();
    let mut typst = scopes::take(locate)?;
    let events = std::mem::take(&mut typst.events);
    let text = serde_json::to_vec(&trace(&spans, events, &iterations)).map_err(std::io::Error::other)?;
    crate::output::write_atomic(path, &text)?;
    let table = table(&spans, wall);
    let lines = table.lines().map(str::to_owned).chain(iterations_line(&iterations));
    for line in lines.chain(scopes::table(&typst, 12).lines().map(str::to_owned)) {
        crate::report::status(&line);
    }
    crate::report::status(&format!(
        "wrote {} ({} spans; {} of Typst's scopes, those of {} ms or longer)",
        crate::diag::display_path(path),
        spans.len(),
        typst.traced,
        scopes::TRACE_SHORTEST / 1000.0
    ));
    crate::report::event(
        "timings",
        json!({ "path": crate::diag::display_path(path), "spans": spans.len(), "typst_scopes": typst.count }),
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(stage: Stage, doc: Option<&str>, ms: u64, thread: usize) -> Span {
        Span {
            stage,
            doc: doc.map(str::to_owned),
            thread,
            start: Duration::from_millis(1),
            duration: Duration::from_millis(ms),
            own: Duration::from_millis(ms),
        }
    }

    #[test]
    fn the_table_sums_stages_and_names_the_slowest() {
        let spans = [
            span(Stage::Load, None, 10, 0),
            span(Stage::Compile, Some("a/nl/handout.pdf"), 30, 1),
            span(Stage::Compile, Some("a/nl/poster.pdf"), 50, 2),
            span(Stage::Write, Some("a/nl/poster.pdf"), 10, 2),
        ];
        let t = table(&spans, Duration::from_millis(70));
        assert!(t.starts_with("timings: 2 documents, 70 ms wall, 100 ms in stages"), "{t}");
        let compile = t.lines().find(|l| l.trim_start().starts_with("compile")).unwrap();
        assert!(
            compile.contains("80.0") && compile.contains("80.0%") && compile.ends_with("a/nl/poster.pdf"),
            "{compile}"
        );
        assert!(t.contains("slowest documents: a/nl/poster.pdf 60 ms; a/nl/handout.pdf 30 ms"), "{t}");
        let v = trace(&spans, Vec::new(), &[("a/nl/handout.pdf".to_owned(), 3)]);
        let events = v["traceEvents"].as_array().unwrap();
        assert_eq!(events.iter().filter(|e| e["ph"] == "X").count(), 4);
        assert_eq!(events.iter().filter(|e| e["ph"] == "M").count(), 4, "thread and process names");
        assert_eq!(events[1]["dur"], 30_000);
        assert_eq!(events[1]["args"]["layout iterations"], 3);
        assert!(events[2]["args"].get("layout iterations").is_none(), "{}", events[2]);
    }

    #[test]
    fn the_iterations_line_counts_documents_and_formats() {
        let all = [
            ("a/nl/handout.pdf", 3),
            ("b/nl/handout.pdf", 2),
            ("a/nl/booklet.pdf", 4),
            ("a/nl/poster.pdf", 2),
        ];
        let all: Vec<(String, usize)> = all.iter().map(|(d, n)| (d.to_string(), *n)).collect();
        assert_eq!(
            iterations_line(&all).unwrap(),
            "  layout iterations: 2.75 a document (2 in 2, 1 in 3, 1 in 4); by format: booklet 4.0, handout 2.5, poster 2.0"
        );
        assert_eq!(iterations_line(&[]), None);
    }

    #[test]
    fn a_stage_run_inside_another_counts_only_once() {
        enable();
        time(Stage::Export, Some("nested/outer.pdf"), || {
            time(Stage::Compile, Some("nested/inner.pdf"), || std::thread::sleep(Duration::from_millis(20)));
        });
        let spans: Vec<Span> = take()
            .into_iter()
            .filter(|s| s.doc.as_deref().is_some_and(|d| d.starts_with("nested/")))
            .collect();
        let [inner, outer] = &spans[..] else { panic!("{spans:?}") };
        assert_eq!(inner.own, inner.duration);
        assert!(inner.duration >= Duration::from_millis(20));
        assert_eq!(
            outer.own + inner.duration,
            outer.duration,
            "the outer stage's own time excludes the inner"
        );
        let t = table(&spans, outer.duration);
        let export = t.lines().find(|l| l.trim_start().starts_with("export")).unwrap();
        let ms: f64 = export.split_whitespace().nth(1).unwrap().parse().unwrap();
        assert!(ms < 20.0, "{t}");
    }
}
