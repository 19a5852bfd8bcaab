//! `leafpress manifest merge`: the manifests of the N slices of a sharded build (`build --shard
//! K/N`, one per CI job) combined into the manifest a full build writes.
//!
//! Slice K holds the documents at positions K−1, K−1+N, K−1+2N, … of the matrix, in matrix
//! order (see [`crate::build::load`]), so the matrix is the slices interleaved: position i is
//! document i / N of slice i mod N + 1. Before interleaving, the slices must be one build's:
//! the same generator, the same N, every slice once, no document in two of them, and sizes
//! that differ by at most one with the first slices holding more. After it, the matrix's
//! nesting is checked (topic, then language, then brand, each brand with the same formats in
//! the same order), which a slice that lost a document (its job failed) almost always breaks.
//!
//! Problems with which files were named (a file missing, a slice missing or given twice,
//! slices of different builds) are [usage](Diagnostic::usage) errors (exit 2); a file that is
//! not a manifest, or slices that do not fit together, are errors (exit 1).

use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::cli::MergeArgs;
use crate::diag::{Diagnostic, Diagnostics, Result, Sink, display_path};
use crate::manifest::{self, Entry, Manifest};
use crate::report;

/// The largest manifest read: a matrix of a hundred thousand documents is about 100 MB.
const MAX_BYTES: u64 = 256 * 1024 * 1024;

/// One slice's manifest as read.
struct Slice {
    /// The file, as named on the command line.
    path: PathBuf,
    /// K of `K/N`.
    k: usize,
    /// N of `K/N`.
    n: usize,
    /// The manifest.
    manifest: Manifest,
}

impl Slice {
    /// `path (K/N)`, for messages.
    fn named(&self) -> String {
        format!("{} ({}/{})", shown(&self.path), self.k, self.n)
    }
}

/// `leafpress manifest merge`: merges, then writes the result to `--out` or stdout.
pub fn run(args: &MergeArgs) -> Result<()> {
    if let Some(out) = &args.out {
        check_out(out)?;
    }
    let slices = read_all(&args.manifests)?;
    let merged = merge(slices)?;
    let json = manifest::to_json(&merged)?;
    let what = format!("{} documents", merged.documents.len());
    match &args.out {
        Some(out) => {
            crate::output::write_atomic(out, &json).map_err(|e| {
                Diagnostic::error(format!("failed to write {} ({e})", display_path(out))).in_file(out)
            })?;
            report::status(&format!(
                "merged {} slices ({what}) into {}",
                args.manifests.len(),
                display_path(out)
            ));
        }
        None => {
            let mut stdout = std::io::stdout().lock();
            if let Err(e) = stdout.write_all(&json).and_then(|()| stdout.flush()) {
                report::stdout_failed(&e);
                return Ok(());
            }
            report::status(&format!("merged {} slices ({what})", args.manifests.len()));
        }
    }
    Ok(())
}

/// Fails when `--out` cannot be a file: it is a folder, or lies under a file.
fn check_out(out: &Path) -> Result<()> {
    let hint = "--out names the file the merged manifest is written to, e.g. --out out/manifest.json";
    if out.is_dir() {
        return Err(Diagnostic::error(format!("--out {} is a folder, not a file", out.display()))
            .hint(hint)
            .usage()
            .into());
    }
    for at in out.ancestors().skip(1).filter(|a| !a.as_os_str().is_empty()) {
        match std::fs::metadata(at) {
            Ok(meta) if meta.is_dir() => break,
            Ok(_) => {
                return Err(Diagnostic::error(format!(
                    "--out {} lies under {}, which is a file, not a folder",
                    out.display(),
                    at.display()
                ))
                .hint(hint)
                .usage()
                .into());
            }
            Err(_) => continue,
        }
    }
    Ok(())
}

/// A path as the user named it.
fn shown(path: &Path) -> String {
    display_path(path)
}

/// Reads every manifest; reports every file that is missing or no manifest, at once.
fn read_all(paths: &[PathBuf]) -> Result<Vec<Slice>> {
    let mut sink = Sink::default();
    let mut slices = Vec::new();
    for path in paths {
        if let Some(slice) = sink.take(read(path)) {
            slices.push(slice);
        }
    }
    sink.finish()?;
    Ok(slices)
}

/// Reads one slice's manifest.
fn read(path: &Path) -> Result<Slice> {
    let usage = |what: &str| -> Diagnostics {
        Diagnostic::error(format!("{} {what}", shown(path)))
            .in_file(path)
            .hint("name the out/manifest.json of each `leafpress build --shard K/N` job")
            .usage()
            .into()
    };
    let meta = match std::fs::metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(usage("does not exist")),
        Err(e) => return Err(usage(&format!("cannot be read ({e})"))),
    };
    if !meta.is_file() {
        return Err(usage("is not a file"));
    }
    if meta.len() > MAX_BYTES {
        return Err(Diagnostic::error(format!(
            "{} is too large for a manifest ({} bytes; at most {MAX_BYTES})",
            shown(path),
            meta.len()
        ))
        .in_file(path)
        .into());
    }
    let bytes = std::fs::read(path)
        .map_err(|e| Diagnostic::error(format!("failed to read {} ({e})", shown(path))).in_file(path))?;
    let text = crate::diag::decode_utf8(path, bytes, "the manifest")?;
    let not_a_manifest = "a manifest is the out/manifest.json that `leafpress build` writes";
    let manifest: Manifest = serde_json::from_str(&text).map_err(|e| {
        let mut at = offset(&text, e.line(), e.column());
        // serde_json appends " at line L column C", which the location shows.
        let message = e.to_string();
        let message = message.split(" at line ").next().unwrap_or(&message).to_owned();
        let message = match e.classify() {
            serde_json::error::Category::Eof => format!("it ends before its JSON does ({message})"),
            serde_json::error::Category::Syntax => format!("invalid JSON ({message})"),
            _ => message,
        };
        // A key it does not know is reported after its closing quote: mark the whole key.
        let mut end = at + 1;
        if text.as_bytes().get(at) == Some(&b'"')
            && let Some(open) = text[..at].rfind('"')
        {
            (at, end) = (open, at + 1);
        }
        Diagnostic::error(format!("{} is not a leafpress manifest: {message}", shown(path)))
            .at(path, &text, at..end)
            .hint(not_a_manifest)
    })?;
    let Some((k, n)) = crate::manifest::parse_shard(&manifest.shard) else {
        let at = text.find("\"shard\"").unwrap_or(0);
        return Err(Diagnostic::error(format!(
            "{} has shard `{}`, which is not K/N with 1 ≤ K ≤ N",
            shown(path),
            manifest.shard
        ))
        .at(path, &text, at..at + "\"shard\"".len())
        .hint(not_a_manifest)
        .into());
    };
    if !manifest.generator.starts_with("leafpress ") {
        let at = text.find("\"generator\"").unwrap_or(0);
        return Err(Diagnostic::error(format!(
            "{} was written by `{}`, not by leafpress",
            shown(path),
            manifest.generator
        ))
        .at(path, &text, at..at + "\"generator\"".len())
        .hint(not_a_manifest)
        .into());
    }
    Ok(Slice { path: path.to_owned(), k, n, manifest })
}

/// The byte offset of 1-based `line` and `column` in `text` (serde_json's error position).
fn offset(text: &Arc<str>, line: usize, column: usize) -> usize {
    let start: usize = text.split_inclusive('\n').take(line.saturating_sub(1)).map(str::len).sum();
    (start + column.saturating_sub(1)).min(text.len())
}

/// A list of names: `a`, `a and b`, `a, b and c`.
fn and(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// `twice`, `3 times`.
fn times(n: usize) -> String {
    if n == 2 { "twice".into() } else { format!("{n} times") }
}

/// The hint for slices that are not one build's.
const ONE_BUILD: &str = "merge the manifests of one CI matrix: every job built from the same commit, with the same leafpress and the same options but --shard";

/// The hint for slices that do not fit together.
const LOST: &str = "a slice whose build failed lacks the documents that failed: build it again, and merge only slices whose build succeeded";

/// Checks that `slices` are one build's and interleaves them into its manifest.
fn merge(mut slices: Vec<Slice>) -> Result<Manifest> {
    let first = &slices[0];

    // The same leafpress.
    let mut by_generator: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for s in &slices {
        by_generator.entry(&s.manifest.generator).or_default().push(shown(&s.path));
    }
    if by_generator.len() > 1 {
        let parts: Vec<String> =
            by_generator.iter().map(|(g, files)| format!("{g} wrote {}", and(files))).collect();
        return Err(Diagnostic::error(format!(
            "the slices were built by different leafpress versions: {}",
            parts.join("; ")
        ))
        .in_file(&first.path)
        .hint(ONE_BUILD)
        .usage()
        .into());
    }

    // The same N.
    let n = first.n;
    if slices.iter().any(|s| s.n != n) {
        let mut by_n: BTreeMap<usize, Vec<String>> = BTreeMap::new();
        for s in &slices {
            by_n.entry(s.n).or_default().push(s.named());
        }
        let parts: Vec<String> = by_n.iter().map(|(n, files)| format!("of {n}: {}", and(files))).collect();
        return Err(Diagnostic::error(format!(
            "the manifests are slices of matrices cut into different numbers of slices: {}",
            parts.join("; ")
        ))
        .in_file(&first.path)
        .hint(ONE_BUILD)
        .usage()
        .into());
    }

    // No slice twice, and no document in two slices (or twice in one).
    let mut sink = Sink::default();
    let mut by_k: BTreeMap<usize, Vec<&Slice>> = BTreeMap::new();
    for s in &slices {
        by_k.entry(s.k).or_default().push(s);
    }
    for (k, given) in &by_k {
        if given.len() > 1 {
            let files: Vec<String> = given.iter().map(|s| shown(&s.path)).collect();
            sink.push(
                Diagnostic::error(format!("slice {k}/{n} is given {}: {}", times(given.len()), and(&files)))
                    .in_file(&given[1].path)
                    .hint("name each slice's manifest once")
                    .usage(),
            );
        }
    }
    if !sink.has_errors() {
        let mut seen: HashMap<&str, usize> = HashMap::new();
        let mut overlaps: BTreeMap<(usize, usize), Vec<&str>> = BTreeMap::new();
        for (i, s) in slices.iter().enumerate() {
            for doc in &s.manifest.documents {
                if let Some(other) = seen.insert(&doc.path, i) {
                    overlaps.entry((other, i)).or_default().push(&doc.path);
                }
            }
        }
        for ((a, b), docs) in overlaps {
            let (what, files) = if a == b {
                ("twice", format!("in {}", slices[a].named()))
            } else {
                ("in two slices", format!("in {} and {}", slices[a].named(), slices[b].named()))
            };
            let listed: Vec<&str> = docs.iter().take(3).copied().collect();
            let more = match docs.len() {
                n if n > 3 => format!(" and {} more", n - 3),
                _ => String::new(),
            };
            let (s, are) = if docs.len() == 1 { ("", "is") } else { ("s", "are") };
            sink.push(
                Diagnostic::error(format!("{} document{s} {are} {what}, {files}: {}{more}", docs.len(), listed.join(", ")))
                    .in_file(&slices[b].path)
                    .hint("slices of one build never share a document: these come from builds of different matrices")
                    .hint(ONE_BUILD)
                    .usage(),
            );
        }
    }
    // Every slice.
    let missing: Vec<String> =
        (1..=n).filter(|k| !by_k.contains_key(k)).map(|k| format!("{k}/{n}")).collect();
    if !missing.is_empty() {
        let given: Vec<String> = by_k.values().map(|s| s[0].named()).collect();
        let (s, is) = if missing.len() == 1 { ("", "is") } else { ("s", "are") };
        let d =
            Diagnostic::error(format!("slice{s} {} {is} missing: the manifests given are {}", and(&missing), and(&given)))
                .in_file(&first.path)
                .hint(format!(
                    "name the manifest of every job of the matrix, 1/{n} to {n}/{n}; each job writes out/manifest.json"
                ))
                .usage();
        // A slice with no documents writes no manifest.
        let given: usize = slices.iter().map(|s| s.manifest.documents.len()).sum();
        let d = if given > 0 && given < n {
            d.hint(format!(
                "a slice with no documents writes no manifest: cut a matrix of {given} documents into at most {given} slices"
            ))
        } else {
            d
        };
        sink.push(d);
    }
    sink.finish()?;

    // Sizes that come from one matrix: T / N each, the first T mod N one more.
    slices.sort_by_key(|s| s.k);
    let total: usize = slices.iter().map(|s| s.manifest.documents.len()).sum();
    let expected = |k: usize| total / n + usize::from(k - 1 < total % n);
    if slices.iter().any(|s| s.manifest.documents.len() != expected(s.k)) {
        let want: Vec<String> = (1..=n).map(|k| expected(k).to_string()).collect();
        let have: Vec<String> =
            slices.iter().map(|s| format!("{} has {}", s.named(), s.manifest.documents.len())).collect();
        return Err(Diagnostic::error(format!(
            "the slices do not fit together: {total} documents cut into {n} slices make slices of {} documents, but {}",
            and(&want),
            and(&have)
        ))
        .in_file(&slices[0].path)
        .hint(LOST)
        .hint(ONE_BUILD)
        .into());
    }

    // Interleave: slice k's j-th document is the matrix's (j·N + k − 1)-th.
    let generator = slices[0].manifest.generator.clone();
    let mut columns: Vec<std::vec::IntoIter<Entry>> =
        slices.iter_mut().map(|s| std::mem::take(&mut s.manifest.documents).into_iter()).collect();
    let documents: Vec<Entry> = (0..total).filter_map(|i| columns[i % n].next()).collect();
    if let Err(why) = check_nesting(&documents) {
        let files: Vec<String> = slices.iter().map(Slice::named).collect();
        return Err(Diagnostic::error(format!(
            "the slices do not interleave into one build's matrix: {why}"
        ))
        .in_file(&slices[0].path)
        .hint(format!("the slices merged were {}", and(&files)))
        .hint(LOST)
        .hint(ONE_BUILD)
        .into());
    }
    Ok(Manifest { generator, shard: "1/1".into(), documents })
}

/// Checks that `documents` nest as a build's matrix does: each topic's documents together,
/// within it each language's, within that each brand's; every language with the same brands
/// in the same order and every brand with the same formats in the same order.
fn check_nesting(documents: &[Entry]) -> std::result::Result<(), String> {
    type Key<'a> = (&'a str, &'a str, &'a str);
    // Runs of one topic, language and brand, in order.
    let mut runs: Vec<(Key, Vec<&str>)> = Vec::new();
    for d in documents {
        let key = (d.topic.as_str(), d.lang.as_str(), d.brand.as_str());
        match runs.last_mut() {
            Some((k, formats)) if *k == key => formats.push(&d.format),
            _ => runs.push((key, vec![&d.format])),
        }
    }
    let mut topics_done: Vec<&str> = Vec::new();
    let mut langs_done: Vec<(&str, &str)> = Vec::new();
    let mut runs_done: Vec<Key> = Vec::new();
    let mut brands_of_lang: Vec<((&str, &str), Vec<&str>)> = Vec::new();
    for (i, ((topic, lang, brand), formats)) in runs.iter().enumerate() {
        let previous = i.checked_sub(1).map(|p| runs[p].0);
        if previous.is_some_and(|(t, _, _)| t != *topic) && topics_done.contains(topic) {
            return Err(format!("the documents of topic `{topic}` are not together"));
        }
        if previous.is_some_and(|(t, l, _)| (t, l) != (*topic, *lang)) && langs_done.contains(&(topic, lang))
        {
            return Err(format!("the documents of topic `{topic}` in `{lang}` are not together"));
        }
        if runs_done.contains(&(topic, lang, brand)) {
            return Err(format!(
                "the documents of topic `{topic}` in `{lang}` for brand `{brand}` are not together"
            ));
        }
        let (first_key, first_formats) = &runs[0];
        if formats != first_formats {
            return Err(format!(
                "topic `{topic}` in `{lang}` for brand `{brand}` has the formats {}, but topic `{}` in `{}` for brand `{}` has {}",
                formats.join(", "),
                first_key.0,
                first_key.1,
                first_key.2,
                first_formats.join(", ")
            ));
        }
        topics_done.push(topic);
        langs_done.push((topic, lang));
        runs_done.push((topic, lang, brand));
        match brands_of_lang.last_mut() {
            Some((k, brands)) if *k == (*topic, *lang) => brands.push(brand),
            _ => brands_of_lang.push(((topic, lang), vec![brand])),
        }
    }
    if let Some((first, brands)) = brands_of_lang.first()
        && let Some((other, theirs)) = brands_of_lang.iter().find(|(_, b)| b != brands)
    {
        return Err(format!(
            "topic `{}` in `{}` has the brands {}, but topic `{}` in `{}` has {}",
            other.0,
            other.1,
            theirs.join(", "),
            first.0,
            first.1,
            brands.join(", ")
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(topic: &str, lang: &str, brand: &str, format: &str) -> Entry {
        Entry {
            topic: topic.into(),
            title: "T".into(),
            brand: brand.into(),
            lang: lang.into(),
            format: format.into(),
            path: format!("{brand}/{topic}/{lang}/{format}.pdf"),
            extra: vec![],
            pages: 1,
            bytes: 1,
            sha256: "00".into(),
            inputs: vec![],
            version: "1".into(),
            review_by: "2030-01-01".into(),
            translation: crate::manifest::Translation::Source,
            draft: None,
        }
    }

    /// A matrix of 2 topics × 2 languages × 2 brands × 3 formats, in build order.
    fn matrix() -> Vec<Entry> {
        let mut m = Vec::new();
        for t in ["a", "b"] {
            for l in ["nl", "en"] {
                for b in ["x", "y"] {
                    for f in ["handout", "poster", "slides"] {
                        m.push(entry(t, l, b, f));
                    }
                }
            }
        }
        m
    }

    /// The matrix cut as `--shard k/n` cuts it.
    fn slices(m: &[Entry], n: usize) -> Vec<(PathBuf, Manifest)> {
        (1..=n)
            .map(|k| {
                let documents = m.iter().enumerate().filter(|(i, _)| i % n == k - 1).map(|(_, d)| d.clone());
                let manifest = Manifest {
                    generator: "leafpress 0.1.0".into(),
                    shard: format!("{k}/{n}"),
                    documents: documents.collect(),
                };
                (PathBuf::from(format!("s{k}.json")), manifest)
            })
            .collect()
    }

    /// [`merge`] of manifests named by their paths.
    fn merge_manifests(list: Vec<(PathBuf, Manifest)>) -> Result<Manifest> {
        let slices = list
            .into_iter()
            .map(|(path, manifest)| {
                let (k, n) = crate::manifest::parse_shard(&manifest.shard).unwrap();
                Slice { path, k, n, manifest }
            })
            .collect();
        merge(slices)
    }

    fn paths(m: &[Entry]) -> Vec<&str> {
        m.iter().map(|d| d.path.as_str()).collect()
    }

    fn error(r: Result<Manifest>) -> (String, bool) {
        let e = r.expect_err("an error");
        (e.0.iter().map(|d| d.message.clone()).collect::<Vec<_>>().join("\n"), e.is_usage())
    }

    #[test]
    fn slices_interleave_into_the_matrix_in_any_order() {
        let m = matrix();
        for n in 1..=30 {
            let mut s = slices(&m, n);
            s.reverse();
            let merged = merge_manifests(s).unwrap();
            assert_eq!(paths(&merged.documents), paths(&m), "n = {n}");
            assert_eq!(merged.shard, "1/1");
        }
    }

    #[test]
    fn overlaps_and_gaps_are_usage_errors_naming_the_files() {
        let m = matrix();
        let mut s = slices(&m, 3);
        s.push((PathBuf::from("again.json"), s[1].1.clone()));
        let (msg, usage) = error(merge_manifests(s));
        assert!(usage);
        assert!(msg.contains("slice 2/3 is given twice: s2.json and again.json"), "{msg}");

        let mut s = slices(&m, 3);
        s.remove(1);
        let (msg, usage) = error(merge_manifests(s));
        assert!(usage);
        assert_eq!(msg, "slice 2/3 is missing: the manifests given are s1.json (1/3) and s3.json (3/3)");

        // A document of slice 1 also in slice 2 (slices of another matrix).
        let mut s = slices(&m, 3);
        let extra = s[0].1.documents[0].clone();
        s[1].1.documents.push(extra);
        let (msg, usage) = error(merge_manifests(s));
        assert!(usage);
        assert_eq!(
            msg,
            "1 document is in two slices, in s1.json (1/3) and s2.json (2/3): x/a/nl/handout.pdf"
        );
    }

    #[test]
    fn different_n_and_generators_are_refused() {
        let m = matrix();
        let mut s = slices(&m, 3);
        s[2] = slices(&m, 4).remove(2);
        let (msg, _) = error(merge_manifests(s));
        assert!(msg.contains("of 3: s1.json (1/3) and s2.json (2/3); of 4: s3.json (3/4)"), "{msg}");

        let mut s = slices(&m, 2);
        s[1].1.generator = "leafpress 0.2.0".into();
        let (msg, usage) = error(merge_manifests(s));
        assert!(usage);
        assert!(msg.contains("leafpress 0.1.0 wrote s1.json; leafpress 0.2.0 wrote s2.json"), "{msg}");
    }

    #[test]
    fn a_slice_that_lost_a_document_is_found() {
        let m = matrix();
        // Every document lost from every slice in turn: a size that does not fit, or nesting
        // that the interleaving breaks (even the matrix's last document: its brand then has
        // fewer formats than the others).
        for n in 2..=5 {
            for k in 0..n {
                for j in 0..slices(&m, n)[k].1.documents.len() {
                    let mut s = slices(&m, n);
                    s[k].1.documents.remove(j);
                    let (_, usage) = error(merge_manifests(s));
                    assert!(!usage, "n {n} k {k} j {j}");
                }
            }
        }
    }

    #[test]
    fn user_order_of_formats_is_kept() {
        let m: Vec<Entry> = ["poster", "handout"].iter().flat_map(|f| [entry("a", "nl", "x", f)]).collect();
        let merged = merge_manifests(slices(&m, 2)).unwrap();
        assert_eq!(paths(&merged.documents), paths(&m));
    }
}
