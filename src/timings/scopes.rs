//! Inside the compile and export stages under `build --timings`: Typst's own timing scopes
//! (evaluating a template line, laying out a paragraph, a page run, writing the PDF), each
//! named by the template file and line it stands for. They are summed per scope into the
//! table and go into the Chrome trace beside the stages, as a second process.
//!
//! Typst records a scope only when its work runs: a memoised layout that hits its cache
//! records nothing, so a scope's calls count the times it was computed, not asked for.
//! Recording adds about a tenth to a build, and summing the scopes at its end about a second
//! for the demo's 900,000; it is on only under `--timings`.

use std::collections::HashMap;
use std::num::NonZeroU64;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde::Deserialize;
use serde_json::json;

/// The scope that marks where our clock starts, so that Typst's times line up with ours.
const ORIGIN: &str = "leafpress start";

/// Prefix of the scope that wraps a document's compile and export.
const DOCUMENT: &str = "document ";

/// Typst's scopes are recorded for the first this many documents a build compiles (the
/// stages for all): the demo's 60 record about 900,000 scopes, 15,000 a document on average
/// and 50,000 for a trifold, some 48 bytes each while the build runs and 0.2 KB while they are
/// summed at the end, so the limit keeps that near 300 MB at most.
pub const DOCUMENT_LIMIT: usize = 100;

/// Scopes shorter than this (in microseconds) are in the table but not in the trace: in the
/// demo they are 92 % of the scopes and the trace would be 180 MB with them, 10 MB without.
pub const TRACE_SHORTEST: f64 = 100.0;

static DOCUMENTS: AtomicUsize = AtomicUsize::new(0);

/// Starts recording Typst's scopes, from now (call right after the stages' clock starts).
pub fn enable() {
    typst_timing::clear();
    DOCUMENTS.store(0, Ordering::Relaxed);
    typst_timing::enable();
    drop(typst_timing::TimingScope::new(ORIGIN));
}

/// A scope around `doc`'s compile and export, so the trace shows whose work a scope is;
/// none unless recording. Past `DOCUMENT_LIMIT` documents, recording stops. Its name lives
/// as long as the process (one short string per document, at most `DOCUMENT_LIMIT`).
pub fn document(doc: &str) -> Option<typst_timing::TimingScope> {
    if !typst_timing::is_enabled() {
        return None;
    }
    if DOCUMENTS.fetch_add(1, Ordering::Relaxed) >= DOCUMENT_LIMIT {
        typst_timing::disable();
        return None;
    }
    typst_timing::TimingScope::new(Box::leak(format!("{DOCUMENT}{doc}").into_boxed_str()))
}

/// One of Typst's events as `typst_timing::export_json` writes it.
#[derive(Debug, Deserialize)]
struct Event {
    name: String,
    ph: String,
    ts: f64,
    tid: u64,
    args: Option<Where>,
}

/// The template file and line a scope stands for.
#[derive(Debug, Deserialize)]
struct Where {
    file: String,
    line: u32,
}

/// What one scope (a name at a place) cost over the run.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Row {
    pub name: String,
    /// `file:line`, or empty for a scope with no place (layout of a paragraph, say).
    pub place: String,
    pub calls: u64,
    /// Time in the scope less the scopes nested in it, in milliseconds.
    pub own: f64,
    /// Time in the scope with what is nested in it, in milliseconds; a scope nested in
    /// itself (a recursive call) counts once, at its outermost.
    pub incl: f64,
}

/// Typst's scopes of the run: summed per scope, and the longer ones as trace events.
#[derive(Debug, Default)]
pub struct Scopes {
    /// By own time, most first.
    pub rows: Vec<Row>,
    /// Number of scopes recorded.
    pub count: usize,
    /// Threads that recorded any.
    pub threads: usize,
    /// Documents whose scopes were recorded, and whether some were not.
    pub documents: usize,
    pub limited: bool,
    /// Trace events (process 2): the scopes of `TRACE_SHORTEST` or longer, then the names of
    /// the process and its threads.
    pub events: Vec<serde_json::Value>,
    /// How many of `events` are scopes.
    pub traced: usize,
}

/// Takes what Typst recorded; `locate` names a span's file and line. Typst hands its events
/// over only as JSON: it is summed as it is written, through a pipe to a second thread, so
/// the JSON (about 200 bytes a scope) is never held whole.
pub fn take(mut locate: impl FnMut(NonZeroU64) -> (String, u32)) -> std::io::Result<Scopes> {
    if DOCUMENTS.load(Ordering::Relaxed) == 0 && !typst_timing::is_enabled() {
        return Ok(Scopes::default());
    }
    typst_timing::disable();
    let (reader, writer) = std::io::pipe()?;
    let mut scopes = std::thread::scope(|s| {
        let summing = s.spawn(move || {
            let mut de =
                serde_json::Deserializer::from_reader(std::io::BufReader::with_capacity(1 << 16, reader));
            serde::Deserializer::deserialize_seq(&mut de, Summary::default()).map_err(std::io::Error::other)
        });
        // Typst asks once per event; a span's place is found once.
        let mut places: HashMap<NonZeroU64, (String, u32)> = HashMap::new();
        let written = typst_timing::export_json(std::io::BufWriter::with_capacity(1 << 16, writer), |span| {
            places.entry(span).or_insert_with(|| locate(span)).clone()
        });
        let summed = summing.join().map_err(|_| std::io::Error::other("summing Typst's scopes failed"))?;
        written.map_err(std::io::Error::other)?;
        summed
    })?;
    let recorded = DOCUMENTS.load(Ordering::Relaxed);
    scopes.documents = recorded.min(DOCUMENT_LIMIT);
    scopes.limited = recorded > DOCUMENT_LIMIT;
    Ok(scopes)
}

/// Sums events (start and end of each scope, per thread, in time order) per scope.
#[derive(Default)]
struct Summary {
    /// Typst's time of the origin: our clock's zero.
    zero: f64,
    /// Each scope's name and place: its row.
    index: HashMap<(String, String, u32), usize>,
    rows: Vec<Row>,
    /// Per thread, the open scopes: row, start, time of the scopes nested in it.
    open: HashMap<u64, Vec<(usize, f64, f64)>>,
    count: usize,
    trace: Vec<serde_json::Value>,
}

impl Summary {
    fn push(&mut self, e: Event) {
        if e.name == ORIGIN {
            if e.ph == "B" {
                self.zero = e.ts;
            }
            return;
        }
        let (file, line) = e.args.map_or((String::new(), 0), |w| (w.file, w.line));
        let key = (e.name, file, line);
        let row = match self.index.get(&key) {
            Some(row) => *row,
            None => {
                let (name, file, line) = &key;
                self.rows.push(Row {
                    name: name.clone(),
                    place: if file.is_empty() { String::new() } else { format!("{file}:{line}") },
                    ..Row::default()
                });
                self.index.insert(key.clone(), self.rows.len() - 1);
                self.rows.len() - 1
            }
        };
        let stack = self.open.entry(e.tid).or_default();
        if e.ph == "B" {
            stack.push((row, e.ts, 0.0));
            return;
        }
        // An end without its start (none are expected) is skipped rather than mismatched.
        let Some(pos) = stack.iter().rposition(|(r, _, _)| *r == row) else { return };
        let (_, start, nested) = stack.remove(pos);
        self.count += 1;
        let took = (e.ts - start).max(0.0);
        if let Some(outer) = stack.last_mut() {
            outer.2 += took;
        }
        let recursive = stack.iter().any(|(r, _, _)| *r == row);
        if took >= TRACE_SHORTEST {
            let mut v = json!({
                "name": key.0,
                "cat": "typst",
                "ph": "X",
                "ts": ((start - self.zero) * 1000.0).round() / 1000.0,
                "dur": (took * 1000.0).round() / 1000.0,
                "pid": 2,
                "tid": e.tid,
            });
            if !key.1.is_empty() {
                v["args"] = json!({ "file": key.1, "line": key.2 });
            }
            self.trace.push(v);
        }
        let row = &mut self.rows[row];
        row.calls += 1;
        row.own += (took - nested).max(0.0) / 1000.0;
        if !recursive {
            row.incl += took / 1000.0;
        }
    }

    fn finish(self) -> Scopes {
        let mut rows = self.rows;
        rows.retain(|r| r.calls > 0 && !r.name.starts_with(DOCUMENT));
        rows.sort_by(|a, b| {
            b.own.total_cmp(&a.own).then_with(|| (&a.name, &a.place).cmp(&(&b.name, &b.place)))
        });
        let mut threads: Vec<u64> = self.open.keys().copied().collect();
        threads.sort_unstable();
        let mut trace = self.trace;
        let traced = trace.len();
        trace.extend(threads.iter().map(|t| {
            json!({ "name": "thread_name", "ph": "M", "pid": 2, "tid": t, "args": { "name": format!("Typst thread {t}") } })
        }));
        trace
            .push(json!({ "name": "process_name", "ph": "M", "pid": 2, "args": { "name": "Typst scopes" } }));
        Scopes {
            rows,
            count: self.count,
            traced,
            threads: threads.len(),
            documents: 0,
            limited: false,
            events: trace,
        }
    }
}

impl<'de> serde::de::Visitor<'de> for Summary {
    type Value = Scopes;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("Typst's timing events")
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(mut self, mut seq: A) -> Result<Scopes, A::Error> {
        while let Some(e) = seq.next_element::<Event>()? {
            self.push(e);
        }
        Ok(self.finish())
    }
}

/// Sums `events` per scope (the same as `take`, from events in hand).
#[cfg(test)]
fn summarise(events: Vec<Event>) -> Scopes {
    let mut summary = Summary::default();
    for e in events {
        summary.push(e);
    }
    summary.finish()
}

/// The table's lines for Typst's scopes: the `top` with the most own time.
pub fn table(scopes: &Scopes, top: usize) -> String {
    if scopes.rows.is_empty() {
        return String::new();
    }
    let own: f64 = scopes.rows.iter().map(|r| r.own).sum();
    let of =
        if scopes.limited { format!(" of the first {} documents", scopes.documents) } else { String::new() };
    let mut out = format!(
        "inside Typst{of}: {} scopes on {} threads, {:.0} ms; the {} with the most own time (a memoised layout that was reused records nothing):\n",
        scopes.count,
        scopes.threads,
        own,
        top.min(scopes.rows.len())
    );
    let wide =
        scopes.rows.iter().take(top).map(|r| r.name.len() + r.place.len() + 1).max().unwrap_or(0).max(5);
    out.push_str(&format!("  {:<wide$} {:>8} {:>10} {:>10}\n", "scope", "calls", "own ms", "incl ms"));
    for r in scopes.rows.iter().take(top) {
        let label = if r.place.is_empty() { r.name.clone() } else { format!("{} {}", r.name, r.place) };
        out.push_str(&format!("  {label:<wide$} {:>8} {:>10.1} {:>10.1}\n", r.calls, r.own, r.incl));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(name: &str, ph: &str, ts: f64, tid: u64, line: Option<u32>) -> Event {
        Event {
            name: name.into(),
            ph: ph.into(),
            ts,
            tid,
            args: line.map(|line| Where { file: "built-in handout.typ".into(), line }),
        }
    }

    #[test]
    fn scopes_sum_own_and_inclusive_time_per_place() {
        let events = [
            ev(ORIGIN, "B", 0.0, 1, None),
            ev(ORIGIN, "E", 0.0, 1, None),
            ev("document a/nl/handout.pdf", "B", 0.0, 1, None),
            ev("call", "B", 1000.0, 1, Some(12)),
            ev("layout paragraph", "B", 2000.0, 1, None),
            ev("layout paragraph", "E", 5000.0, 1, None),
            // A recursive call: its time counts once in the inclusive total.
            ev("call", "B", 5000.0, 1, Some(12)),
            ev("call", "E", 6000.0, 1, Some(12)),
            ev("call", "E", 9000.0, 1, Some(12)),
            // Another thread, interleaved in time.
            ev("layout paragraph", "B", 3000.0, 2, None),
            ev("layout paragraph", "E", 4000.0, 2, None),
            ev("document a/nl/handout.pdf", "E", 10000.0, 1, None),
        ];
        let s = summarise(events.into());
        assert_eq!(s.count, 5, "the origin is not counted, the document scope is");
        assert_eq!(s.threads, 2);
        let call = s.rows.iter().find(|r| r.name == "call").unwrap();
        assert_eq!(call.place, "built-in handout.typ:12");
        assert_eq!((call.calls, call.own, call.incl), (2, 5.0, 8.0), "{call:?}");
        let par = s.rows.iter().find(|r| r.name == "layout paragraph").unwrap();
        assert_eq!((par.calls, par.own, par.incl, par.place.as_str()), (2, 4.0, 4.0, ""));
        assert_eq!(s.rows.len(), 2, "document scopes are not rows: {:?}", s.rows);
        assert_eq!(s.rows[0].name, "call", "most own time first");
        // Trace: a complete event for each scope of 0.1 ms or longer (all five), two thread
        // names and the process name; times in microseconds from the origin.
        assert_eq!(s.events.len(), 5 + 3);
        assert_eq!(s.traced, 5, "the scopes, not the names of the process and its threads");
        assert!(s.events.iter().all(|e| e["pid"] == 2));
        let outer = s.events.iter().find(|e| e["name"] == "call" && e["dur"] == 8000.0).unwrap();
        assert_eq!((outer["ts"].as_f64(), outer["args"]["line"].as_u64()), (Some(1000.0), Some(12)));
        let t = table(&s, 1);
        assert!(t.starts_with("inside Typst: 5 scopes on 2 threads, 9 ms; the 1 with"), "{t}");
        assert!(t.lines().nth(2).unwrap().contains("call built-in handout.typ:12"), "{t}");
        assert_eq!(t.lines().count(), 3, "{t}");
    }

    #[test]
    fn short_scopes_are_in_the_table_only() {
        let s = summarise(vec![
            ev("layout paragraph", "B", 0.0, 1, None),
            ev("layout paragraph", "E", 99.0, 1, None),
        ]);
        assert_eq!((s.count, s.rows.len()), (1, 1));
        assert!(s.events.iter().all(|e| e["ph"] == "M"), "{:?}", s.events);
    }

    #[test]
    fn an_end_without_a_start_is_skipped() {
        let s = summarise(vec![ev("call", "E", 1.0, 1, Some(3)), ev("call", "B", 2.0, 1, Some(3))]);
        assert_eq!((s.count, s.rows.len()), (0, 0));
    }
}
