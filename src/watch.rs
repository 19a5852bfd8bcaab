//! `leafpress watch`: build, then rebuild the documents each edit affects.
//!
//! One engine lives for the whole session, so fonts, the standard library and Typst's
//! memoised work carry over from one rebuild to the next; only the files that changed are
//! read again. Which documents an edit affects comes from the inputs each document was
//! planned from (the manifest's `inputs`): the content file, leafpress.toml, the brand file,
//! labels, images, the bibliography, fonts and template overrides.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use notify::{EventKind, RecursiveMode, Watcher};
use serde_json::json;

use crate::build::{self, BuildConfig, Outcome, Planned};
use crate::diag::{Diagnostic, Result, display_path};
use crate::engine::Engine;
use crate::manifest::{self, Entry};
use crate::report;

/// Quiet time after the last file event before a rebuild starts: editors save in several
/// steps (temporary file, rename, attributes), and some save twice in quick succession.
const QUIET: Duration = Duration::from_millis(200);

/// The longest a stream of events can delay a rebuild.
const MAX_DELAY: Duration = Duration::from_secs(3);

/// Project folders whose files documents are built from, watched recursively.
const WATCHED: [&str; 7] = ["leaflets", "decks", "brands", "labels", "images", "fonts", "templates"];

/// What the session remembers between rebuilds.
#[derive(Default)]
struct Session {
    /// The engine, kept while the fonts stay the same.
    engine: Option<Engine>,
    /// The manifest entry of every document written so far, by key.
    entries: BTreeMap<String, Entry>,
    /// Documents whose last build failed; retried on every rebuild.
    failed: BTreeSet<String>,
    /// Files changed since the project last loaded without errors.
    pending: BTreeSet<String>,
}

/// Runs watch mode until the process is interrupted (or the watcher fails).
pub fn run(config: &BuildConfig) -> Result<Outcome> {
    let root = config.root.canonicalize().map_err(|e| {
        Diagnostic::error(format!("failed to open project folder {} ({e})", display_path(&config.root)))
    })?;
    let (tx, rx) = channel();
    let mut watcher = notify::recommended_watcher(move |event| {
        // The receiver lives as long as the loop below.
        let _ = tx.send(event);
    })
    .map_err(|e| Diagnostic::error(format!("failed to watch files ({e})")))?;
    let mut session = Session::default();
    report::quiet_repeated_warnings();
    session.rebuild(config, None);
    // Writes to the output folder must never look like edits (it may be given relative to
    // the working directory, and exists once the first build wrote to it).
    let out = config.out_root(&root);
    let out = std::path::absolute(&out).unwrap_or(out);
    let out = out.canonicalize().unwrap_or(out);
    let mut watched = BTreeSet::new();
    watch_folders(&mut watcher, &root, &session, &mut watched);
    let shown = match display_path(&root) {
        p if p.is_empty() => ".".to_owned(),
        p => p,
    };
    report::status(&format!("watching {shown} for changes (Ctrl-C to stop)"));
    report::event("watching", json!({ "root": shown }));
    loop {
        let events = next_change(&rx, &root, &out)?;
        // Watch any input folder that appeared (templates/, say) before looking inside it:
        // a file written into it after this is an event, one written before is found here.
        let appeared = watch_folders(&mut watcher, &root, &session, &mut watched);
        let mut changed: BTreeSet<String> = events
            .into_iter()
            .chain(appeared.iter().map(|d| manifest::relative(&root, d)))
            .flat_map(|c| files_under(&root, &root.join(&c)).unwrap_or_else(|| vec![c]))
            .collect();
        // Files that came and went (an editor's or sed's temporary file) are no edit; a
        // removed file (or folder: `mv images ../x`) matters only if a document was built
        // from it or from a file in it.
        changed.retain(|c| {
            root.join(c).exists()
                || session.entries.values().any(|e| e.inputs.iter().any(|i| is_within(i, c)))
        });
        if changed.is_empty() {
            continue;
        }
        session.rebuild(config, Some(changed));
        watch_folders(&mut watcher, &root, &session, &mut watched);
    }
}

/// Watches the project folder itself (leafpress.toml), the usual input folders and the folder
/// of every input file, each once; returns the folders newly watched.
fn watch_folders(
    watcher: &mut impl Watcher,
    root: &Path,
    session: &Session,
    watched: &mut BTreeSet<PathBuf>,
) -> Vec<PathBuf> {
    let mut wanted: Vec<(PathBuf, RecursiveMode)> = vec![(root.to_owned(), RecursiveMode::NonRecursive)];
    wanted.extend(WATCHED.iter().map(|d| (root.join(d), RecursiveMode::Recursive)));
    for entry in session.entries.values() {
        for input in &entry.inputs {
            if let Some(dir) = root.join(input).parent() {
                wanted.push((dir.to_owned(), RecursiveMode::NonRecursive));
            }
        }
    }
    // A folder moved or removed is watched again when it is back (as a new folder); its old
    // watch would report edits made where it went, outside the project.
    watched.retain(|d| {
        let there = d.is_dir();
        if !there {
            let _ = watcher.unwatch(d);
        }
        there
    });
    let mut added = Vec::new();
    for (dir, mode) in wanted {
        if dir.is_dir() && !watched.contains(&dir) && watcher.watch(&dir, mode).is_ok() {
            watched.insert(dir.clone());
            added.push(dir);
        }
    }
    added
}

/// Waits for the next edit and returns the project files it touched (relative to the root),
/// once the events have been quiet for a moment.
fn next_change(
    rx: &Receiver<notify::Result<notify::Event>>,
    root: &Path,
    out: &Path,
) -> Result<BTreeSet<String>> {
    let mut changed = BTreeSet::new();
    let mut first: Option<Instant> = None;
    loop {
        let event = match first {
            None => rx.recv().map_err(|_| RecvTimeoutError::Disconnected),
            Some(t) if t.elapsed() >= MAX_DELAY => return Ok(changed),
            Some(_) => rx.recv_timeout(QUIET),
        };
        match event {
            Ok(Ok(event)) => {
                if matches!(event.kind, EventKind::Access(_)) {
                    continue;
                }
                let relevant: Vec<String> =
                    event.paths.iter().filter_map(|p| project_file(root, out, p)).collect();
                if !relevant.is_empty() {
                    changed.extend(relevant);
                    first.get_or_insert_with(Instant::now);
                }
            }
            Ok(Err(e)) => report::diagnostics(&[Diagnostic::warning(format!("file watching hiccup ({e})"))]),
            Err(RecvTimeoutError::Timeout) => return Ok(changed),
            Err(RecvTimeoutError::Disconnected) => {
                return Err(Diagnostic::error("file watching stopped unexpectedly").into());
            }
        }
    }
}

/// Whether the project file `input` is `changed` or lies in it (both relative to the root).
fn is_within(input: &str, changed: &str) -> bool {
    input.strip_prefix(changed).is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// The files below `dir` relative to the root, if it is a folder (hidden ones left out).
fn files_under(root: &Path, dir: &Path) -> Option<Vec<String>> {
    if !dir.is_dir() {
        return None;
    }
    let mut found = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let path = entry.path();
            if entry.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            if path.is_dir() {
                stack.push(path);
            } else {
                found.push(manifest::relative(root, &path));
            }
        }
    }
    Some(found)
}

/// The path of a changed file relative to the root, unless it is output, version control or
/// an editor's temporary file.
fn project_file(root: &Path, out: &Path, path: &Path) -> Option<String> {
    if path.starts_with(out) {
        return None;
    }
    let rel = path.strip_prefix(root).ok()?;
    let name = rel.file_name()?.to_str()?;
    let temporary = name.ends_with('~')
        || (name.starts_with('#') && name.ends_with('#'))
        || name == "4913"
        || [".swp", ".swx", ".swo", ".tmp", ".bak", ".crswap", ".kate-swp"].iter().any(|s| name.ends_with(s));
    let hidden = rel.components().any(|c| c.as_os_str().to_str().is_some_and(|s| s.starts_with('.')));
    let first = rel.components().next()?.as_os_str().to_str()?;
    if temporary || hidden || first == "target" {
        return None;
    }
    Some(manifest::relative(root, path))
}

impl Session {
    /// Reloads the project and rebuilds the documents `changed` affects (all when `None`),
    /// plus any that failed before; reports what happened and keeps going whatever fails.
    fn rebuild(&mut self, config: &BuildConfig, changed: Option<BTreeSet<String>>) {
        let start = Instant::now();
        let everything = changed.is_none();
        let mut changed = changed.unwrap_or_default();
        changed.append(&mut self.pending);
        let shown: Vec<String> = changed.iter().cloned().collect();
        if !everything {
            let list = shown.join(", ");
            report::status(&format!("changed: {list}"));
        }
        let result = self.try_rebuild(config, everything, &changed);
        let ms = (start.elapsed().as_secs_f64() * 1000.0).round();
        match result {
            Ok((outcome, of)) => {
                let n = outcome.written.len();
                let verb = if everything { "built" } else { "rebuilt" };
                let mut line = format!("{verb} {n} of {of} document{}", if of == 1 { "" } else { "s" });
                line += &report::count_warnings(report::take_warnings().len());
                if !outcome.failed.is_empty() {
                    line += &format!(", {} failed", outcome.failed.len());
                }
                if !outcome.withheld.is_empty() {
                    line += &format!(", withheld: {}", outcome.withheld.join(", "));
                }
                report::status(&format!("{line} in {ms} ms"));
                report::event(
                    "rebuild",
                    json!({ "ok": outcome.failed.is_empty(), "documents": n, "failed": outcome.failed,
                            "changed": shown, "ms": ms }),
                );
            }
            Err(errors) => {
                report::diagnostics(&errors.0);
                report::take_warnings();
                report::status("not rebuilt: fix the error above; still watching");
                report::event("rebuild", json!({ "ok": false, "documents": 0, "changed": shown, "ms": ms }));
                self.pending = changed;
            }
        }
        typst::comemo::evict(10);
    }

    /// The rebuild itself; returns what was built and of how many documents in the plan.
    fn try_rebuild(
        &mut self,
        config: &BuildConfig,
        everything: bool,
        changed: &BTreeSet<String>,
    ) -> Result<(Outcome, usize)> {
        let (project, plan) = build::load(config)?;
        let fonts_changed = changed.iter().any(|c| c.starts_with("fonts/"));
        let engine = match self.engine.take() {
            Some(mut engine) if !fonts_changed => {
                engine.reset_files();
                engine
            }
            _ => {
                let mut engine = Engine::new(&project.root, config.system_fonts);
                engine.seed_rebuilds();
                engine
            }
        };
        let engine = self.engine.insert(engine);
        build::preflight::run(config, &project, engine, &plan.docs)?;
        let affected: Vec<&Planned> = plan
            .docs
            .iter()
            .filter(|d| {
                everything
                    || !self.entries.contains_key(&d.key)
                    || self.failed.contains(&d.key)
                    || d.inputs.iter().any(|i| changed.iter().any(|c| is_within(i, c)))
                    // A removed input (a template override deleted) is only in the last build's.
                    || self.entries.get(&d.key).is_some_and(|e| {
                        e.inputs.iter().any(|i| changed.iter().any(|c| is_within(i, c)))
                    })
            })
            .collect();
        let mut outcome = build::build(config, &project, engine, &affected)?;
        outcome.withheld = plan.withheld.iter().map(build::plan::Withheld::key).collect();
        for entry in &outcome.written {
            self.failed.remove(&entry.path);
            self.entries.insert(entry.path.clone(), entry.clone());
        }
        self.failed.extend(outcome.failed.iter().cloned());
        // Documents no longer in the plan (a language or brand removed) leave the manifest.
        let keys: BTreeSet<&String> = plan.docs.iter().map(|d| &d.key).collect();
        self.entries.retain(|k, _| keys.contains(k));
        let entries = plan.docs.iter().filter_map(|d| self.entries.get(&d.key).cloned()).collect::<Vec<_>>();
        if !outcome.written.is_empty() {
            let review = crate::preview::Review {
                source_lang: project.config.source_language.as_deref(),
                withheld: plan
                    .withheld
                    .iter()
                    .map(|w| (w.topic.as_str(), w.lang.as_str(), w.reason))
                    .collect(),
                failed: self.failed.iter().cloned().collect(),
                messages: report::take_messages()
                    .into_iter()
                    .map(|(s, m)| (s == crate::diag::Severity::Error, m))
                    .collect(),
            };
            build::finish_release(config, &project, entries, &review)?;
        }
        Ok((outcome, plan.docs.len()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_temporaries_and_output_are_not_project_files() {
        let (root, out) = (Path::new("/p"), Path::new("/p/out"));
        let file = |p: &str| project_file(root, out, Path::new(p));
        assert_eq!(file("/p/leaflets/hernia/nl.md").as_deref(), Some("leaflets/hernia/nl.md"));
        assert_eq!(file("/p/leafpress.toml").as_deref(), Some("leafpress.toml"));
        for ignored in [
            "/p/out/hernia/nl/handout.pdf",
            "/p/leaflets/hernia/.nl.md.swp",
            "/p/leaflets/hernia/nl.md~",
            "/p/leaflets/hernia/4913",
            "/p/leaflets/hernia/#nl.md#",
            "/p/.git/index",
            "/p/target/debug/x",
            "/p/out/.handout.pdf.123.tmp",
            "/elsewhere/x.md",
        ] {
            assert_eq!(file(ignored), None, "{ignored}");
        }
    }
}
