//! `leafpress build`: load and validate everything, then compile the matrix in parallel and
//! write each PDF whole.
//!
//! The stages: [`config`] (command line) → [`plan`] (the matrix, content loaded and checked)
//! → [`compile`] (one document) → the manifest, previews page and summary here.

pub mod compile;
pub mod config;
pub mod decks;
pub mod html;
pub mod plan;
pub mod policy;
pub mod preflight;
pub mod reading;

use std::collections::{BTreeSet, HashMap};
use std::path::Path;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde_json::json;

use crate::diag::{Diagnostic, Diagnostics, Result, display_path};
use crate::engine::Engine;
use crate::format::Format;
use crate::project::{self, Project};
use crate::report::{self, Progress};
use crate::{eject, manifest, preview};
pub use config::BuildConfig;
pub use plan::{Plan, Planned};

/// What a build did.
#[derive(Debug, Default)]
pub struct Outcome {
    /// The manifest entries of the documents written, in matrix order.
    pub written: Vec<manifest::Entry>,
    /// The documents that failed (their keys); their errors were reported as they happened.
    pub failed: Vec<String>,
    /// Standalone Typst folders written (`--emit typst`).
    pub ejected: usize,
    /// Translations not built because of parity errors (`topic/lang`).
    pub withheld: Vec<String>,
}

impl Outcome {
    /// Whether every document of the matrix was built.
    pub fn succeeded(&self) -> bool {
        self.failed.is_empty() && self.withheld.is_empty()
    }
}

/// Opens the project and plans the (sharded) matrix; reports warnings.
pub fn load(config: &BuildConfig) -> Result<(Project, Plan)> {
    let project = project::open(&config.root)?;
    if config.out.is_none() && (config.emit_pdf || config.emit_typst) {
        // `--out` was checked with the command line; the default `out/` is the project's.
        let out = config.out_root(&project.root);
        config::check_out(&out).map_err(|_| {
            Diagnostic::error(format!("{} is not a folder", display_path(&out)))
                .in_file(&out)
                .hint("the documents are written to out/ in the project folder: move that file away, or pass --out DIR")
        })?;
    }
    let mut plan = plan::plan(config, &project)?;
    let (k, n) = config.shard;
    if n > 1 {
        // A deterministic slice: every n-th document of the matrix, starting at the k-th.
        plan.docs =
            plan.docs.into_iter().enumerate().filter(|(i, _)| i % n == k - 1).map(|(_, d)| d).collect();
    }
    Ok((project, plan))
}

/// Fails with the [usage](Diagnostic::usage) errors only the project can find: a `--root`
/// that is no folder, a `--topic`, `--brand` or `--lang` it does not have. Any other problem
/// with the project is left for the build to report. (`build` and `check` find these as they
/// load; watch mode, which reports a broken project and waits for the fix, asks first.)
pub fn check_usage(config: &BuildConfig) -> Result<()> {
    let project = match project::open(&config.root) {
        Ok(project) => project,
        Err(e) if e.is_usage() => return Err(e),
        Err(_) => return Ok(()),
    };
    plan::check_filters(config, &project)
}

/// Runs a build: everything is checked first (no output if the input is wrong), then each
/// document is compiled; a document that fails is reported and the others are still written.
pub fn run(config: &BuildConfig) -> Result<Outcome> {
    let start = Instant::now();
    if config.timings {
        crate::timings::enable();
        crate::timings::scopes::enable();
    }
    use crate::timings::{Stage, time};
    let (project, plan) = time(Stage::Load, None, || load(config))?;
    let engine = Engine::new(&project.root, config.system_fonts);
    time(Stage::Check, None, || preflight::run(config, &project, &engine, &plan.docs))?;
    let docs: Vec<&Planned> = plan.docs.iter().collect();
    let mut outcome = build(config, &project, &engine, &docs)?;
    outcome.withheld = plan.withheld.iter().map(plan::Withheld::key).collect();
    // An empty slice of a sharded build still writes its (empty) manifest, so a CI matrix
    // with more runners than documents merges without a gap.
    if !outcome.written.is_empty() || (docs.is_empty() && config.emit_pdf && config.shard.1 > 1) {
        let review = preview::Review {
            source_lang: project.config.source_language.as_deref(),
            withheld: plan.withheld.iter().map(|w| (w.topic.as_str(), w.lang.as_str(), w.reason)).collect(),
            failed: outcome.failed.clone(),
            messages: report::take_messages()
                .into_iter()
                .map(|(s, m)| (s == crate::diag::Severity::Error, m))
                .collect(),
        };
        time(Stage::Write, None, || finish_release(config, &project, outcome.written.clone(), &review))?;
    }
    let trace = config.out_root(&project.root).join("timings.json");
    crate::timings::finish(&trace, start.elapsed(), |span| engine.locate(span))
        .map_err(|e| Diagnostic::error(format!("failed to write {} ({e})", display_path(&trace))))?;
    summary(&outcome, start.elapsed());
    Ok(outcome)
}

/// Compiles (and ejects) `docs` in parallel, reporting each as it finishes.
pub fn build(config: &BuildConfig, project: &Project, engine: &Engine, docs: &[&Planned]) -> Result<Outcome> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(config.jobs.unwrap_or(0))
        .exit_handler(|_| crate::limits::settle())
        .build()
        .map_err(|e| Diagnostic::error(format!("failed to start worker threads ({e})")))?;
    let mut outcome = Outcome::default();
    if config.emit_typst {
        // The HTML edition is no Typst document: nothing to eject.
        for doc in docs.iter().filter(|d| d.format.is_pdf()) {
            eject::write(config, project, doc)?;
            outcome.ejected += 1;
        }
    }
    if !config.emit_pdf {
        return Ok(outcome);
    }
    crate::limits::set_memory_limit(config.memory_limit);
    crate::limits::watch_time(config.time_limit);
    let progress = Progress::start(docs.len());
    // Groups are taken in the plan's order by whichever thread is free: the next practice's
    // copy of a document comes a few documents later, when the first is done and its layouts
    // are in Typst's memo cache (split into halves, two threads would each lay out the same
    // leaflet for a different practice at the same time). The cache is trimmed as memory grows.
    let groups = twins(docs);
    let rounds: Vec<_> = groups.iter().map(|g| g.first().map(|d| (d.brand, d.source.as_path()))).collect();
    let ends = round_ends(&rounds);
    let trim = crate::trim::Trim::new();
    let next = AtomicUsize::new(0);
    let done: Vec<OnceLock<Vec<Result<manifest::Entry>>>> = groups.iter().map(|_| OnceLock::new()).collect();
    pool.scope(|s| {
        for _ in 0..pool.current_num_threads() {
            s.spawn(|_| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(group) = groups.get(i) else { break };
                    // One after the other: the second finds the first's layouts memoised.
                    let results = group
                        .iter()
                        .enumerate()
                        .map(|(n, doc)| {
                            let result = guarded(&doc.source, || {
                                compile::compile_and_write(config, project, engine, doc)
                            });
                            if let Err(e) = &result {
                                failed(doc, e);
                            }
                            progress.inc();
                            trim.after_document(ends[i] && n + 1 == group.len());
                            result
                        })
                        .collect();
                    // Each group is taken once, so its slot is empty.
                    let _ = done[i].set(results);
                }
            });
        }
    });
    for (group, results) in groups.iter().zip(done) {
        // Every slot is filled once the scope ends (a thread that panicked outside `guarded`
        // ends the build there); a group without results would count as failed, never vanish.
        let mut results = results.into_inner().unwrap_or_default().into_iter();
        for doc in group {
            match results.next() {
                Some(Ok(w)) => outcome.written.push(w),
                _ => outcome.failed.push(doc.key.clone()),
            }
        }
    }
    Ok(outcome)
}

/// Runs `compile` (one document, from `source`), turning a panic inside it into an error on
/// that document: a bug in Typst or in leafpress that some content or template sets off fails
/// the one document, with the panic's message, and the build goes on with the others and ends
/// with exit code 1, as for any document that failed. Typst's memo cache stays sound: a result
/// enters it only when its call returns.
fn guarded<T>(source: &Path, compile: impl FnOnce() -> Result<T>) -> Result<T> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(compile)).unwrap_or_else(|payload| {
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "no message".to_owned());
        Err(Diagnostic::error(format!("internal error while compiling this document: {message}"))
            .in_file(source)
            .hint("this is a bug in Typst or leafpress, not a mistake in your files; please report it with the file")
            .into())
    })
}

/// `docs` in groups that Typst lays out from the same inputs (a booklet and its imposed print
/// file: same template, same data, same practice), in order of their first document. A group
/// is compiled on one thread, one document after the other, so that the second finds every
/// layout of the first in Typst's memo cache; side by side on two threads, both would lay
/// out.
fn twins<'a>(docs: &[&'a Planned]) -> Vec<Vec<&'a Planned>> {
    let mut groups: Vec<Vec<&Planned>> = Vec::new();
    let mut at: HashMap<(usize, &str, &Path, Option<&str>, Format), usize> = HashMap::new();
    for &doc in docs {
        let key = (
            doc.brand,
            doc.topic.as_str(),
            doc.source.as_path(),
            doc.format.template(),
            doc.format.layout_format(),
        );
        match at.get(&key) {
            Some(&i) => groups[i].push(doc),
            None => {
                at.insert(key, groups.len());
                groups.push(vec![doc]);
            }
        }
    }
    groups
}

/// For each group, whether it ends a round: the documents of one text (topic and language)
/// for one practice, in the plan's order, after which the next practice's copies of the same
/// documents begin (or the next text). Typst's memo cache is trimmed only there (`trim`): a
/// trim ages every memoised layout, so trims inside a round (while the first practice lays out
/// its seven formats in full, memory grows fastest) dropped the layouts of that round's first
/// documents before the next practice's copies could use them.
/// `rounds` holds each group's round (its practice and content file).
fn round_ends<T: PartialEq>(rounds: &[T]) -> Vec<bool> {
    (0..rounds.len()).map(|i| rounds.get(i + 1).is_none_or(|next| *next != rounds[i])).collect()
}

/// Reports a document that failed, with its errors.
fn failed(doc: &Planned, errors: &Diagnostics) {
    report::event("failed", json!({ "path": display_path(&doc.out), "key": doc.key }));
    report::diagnostics(&errors.0);
    report::status(&format!("failed {} (the previous file, if any, is unchanged)", display_path(&doc.out)));
}

/// Writes the manifest and, with previews, the review page, for `entries`.
pub fn finish_release(
    config: &BuildConfig,
    project: &Project,
    entries: Vec<manifest::Entry>,
    review: &preview::Review,
) -> Result<()> {
    let out = config.out_root(&project.root);
    if config.preview.is_some() {
        let page = preview::index_html(&project.config.brands, &entries, review);
        let path = out.join(preview::INDEX);
        crate::output::write_atomic(&path, page.as_bytes())
            .map_err(|e| Diagnostic::error(format!("failed to write {} ({e})", display_path(&path))))?;
        report::status(&format!("wrote {} (previews of {} documents)", display_path(&path), entries.len()));
    }
    let (k, n) = config.shard;
    let m = manifest::Manifest {
        generator: format!("leafpress {}", env!("CARGO_PKG_VERSION")),
        shard: format!("{k}/{n}"),
        documents: entries,
    };
    manifest::write(&out, &m)
}

/// Prints the summary line (or event): documents, failures, wall time.
fn summary(outcome: &Outcome, elapsed: Duration) {
    let n = outcome.written.len();
    let f = outcome.failed.len();
    let warnings = report::take_warnings();
    if n + f > 0 {
        report::repeat_warnings(&warnings);
    }
    report::event(
        "summary",
        json!({
            "documents": n,
            "warnings": warnings.len(),
            "drafts": outcome.written.iter().filter(|e| e.draft.is_some()).count(),
            "withheld": outcome.withheld,
            "failed": f,
            "failures": outcome.failed,
            "ejected": outcome.ejected,
            "seconds": (elapsed.as_secs_f64() * 1000.0).round() / 1000.0,
        }),
    );
    let plural = |k: usize| if k == 1 { "" } else { "s" };
    let mut line = if n == 0 && f == 0 && outcome.ejected > 0 {
        let e = outcome.ejected;
        format!("ejected {e} document{} as Typst folders (no PDFs: add --emit pdf)", plural(e))
    } else {
        format!("built {n} document{}", plural(n))
    };
    line += &report::count_warnings(warnings.len());
    let drafts = outcome.written.iter().filter(|e| e.draft.is_some()).count();
    if drafts > 0 {
        line += &format!(", {drafts} draft{}", plural(drafts));
    }
    if f > 0 {
        line += &format!(", {f} failed ({})", outcome.failed.join(", "));
    }
    if !outcome.withheld.is_empty() {
        let w = outcome.withheld.len();
        line += &format!(", {w} content file{} withheld: {}", plural(w), outcome.withheld.join(", "));
    }
    report::status(&format!("{line} in {:.2} s", elapsed.as_secs_f64()));
}

/// `leafpress check`: validates what `build` would build, without compiling; prints a
/// summary and fails if anything is wrong. Content withheld by a policy (its errors reported
/// already) is in the outcome, which then does not succeed.
pub fn check(config: &BuildConfig) -> Result<Outcome> {
    let start = Instant::now();
    let (project, plan) = load(config)?;
    let engine = Engine::new(&project.root, config.system_fonts);
    preflight::run(config, &project, &engine, &plan.docs)?;
    let errors: usize = plan.withheld.iter().map(|w| w.errors).sum();
    // Readability is advice for whoever writes the text: check says it, a build does not,
    // and only once the content is otherwise sound (errors first).
    if errors == 0 {
        report::diagnostics(&reading::warnings(&project, &plan));
    }
    let docs: BTreeSet<(&str, &str)> =
        plan.docs.iter().map(|d| (d.topic.as_str(), d.content.front.lang.as_str())).collect();
    let files = docs.len() + plan.withheld.len();
    let warnings = report::take_warnings().len();
    report::event(
        "summary",
        json!({ "content_files": files, "documents": plan.docs.len(), "errors": errors, "warnings": warnings }),
    );
    let found = match errors {
        0 => "no errors".to_owned(),
        1 => "1 error".to_owned(),
        e => format!("{e} errors"),
    };
    report::status(&format!(
        "checked {files} content file{} ({} documents) in {:.2} s: {found}{}",
        if files == 1 { "" } else { "s" },
        plan.docs.len(),
        start.elapsed().as_secs_f64(),
        report::count_warnings(warnings),
    ));
    Ok(Outcome { withheld: plan.withheld.iter().map(plan::Withheld::key).collect(), ..Outcome::default() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_while_compiling_fails_that_document_only() {
        let source = Path::new("leaflets/hernia/nl.md");
        let err = guarded::<()>(source, || panic!("index out of bounds")).unwrap_err();
        let d = &err.0[0];
        assert!(
            d.message.contains("internal error while compiling this document: index out of bounds"),
            "{}",
            d.message
        );
        assert_eq!(d.file.as_deref(), Some(source));
        let ok = guarded(source, || Ok(7)).unwrap();
        assert_eq!(ok, 7);
    }

    #[test]
    fn rounds_end_where_the_practice_or_the_text_changes() {
        // Groups in plan order: practice 0 then 1 of the Dutch text (a booklet and its
        // imposed file are one group), then practice 0 of the English; the cache is trimmed
        // only after the last group of each.
        let (nl, en) = (Path::new("leaflets/hernia/nl.md"), Path::new("leaflets/hernia/en.md"));
        let groups = [(0, nl), (0, nl), (0, nl), (1, nl), (1, nl), (0, en), (0, en)];
        assert_eq!(round_ends(&groups), [false, false, true, false, true, false, true]);
        assert_eq!(round_ends::<(usize, &Path)>(&[]), Vec::<bool>::new());
    }
}
