//! `out/manifest.json`: every document a build wrote, with what it is, where it is, its size
//! and SHA-256, and the input files it was built from, for CI pipelines and release records.

use std::path::Path;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::diag::{Diagnostic, Result, display_path};

/// The manifest file's name in the output folder.
pub const FILE: &str = "manifest.json";

/// The manifest. It reads back exactly as written (`leafpress manifest merge` reads slices'
/// manifests and writes the whole release's), and a key it does not know is an error rather
/// than something silently left out.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// The program and version that wrote it.
    pub generator: String,
    /// Which slice of the matrix this build was (`1/1` for all of it).
    pub shard: String,
    /// The documents, in matrix order.
    pub documents: Vec<Entry>,
}

/// One document.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// Topic id.
    pub topic: String,
    /// The document's title (in its language).
    pub title: String,
    /// Brand id.
    pub brand: String,
    /// Language.
    pub lang: String,
    /// Format.
    pub format: String,
    /// The PDF, relative to the output folder.
    pub path: String,
    /// Other files written beside it (the slides' `.pdfpc`), relative to the output folder.
    pub extra: Vec<String>,
    /// Pages.
    pub pages: usize,
    /// Bytes.
    pub bytes: usize,
    /// SHA-256 of the PDF, hex.
    pub sha256: String,
    /// Project files it was built from, relative to the project folder.
    pub inputs: Vec<String>,
    /// The content's version (front matter).
    #[serde(default)]
    pub version: String,
    /// The content's review-by date, `YYYY-MM-DD`.
    #[serde(default)]
    pub review_by: String,
    /// Its content file's translation state.
    #[serde(default)]
    pub translation: Translation,
    /// Why it was built as a draft (`stale-translation`, `expired`); absent for a current
    /// document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub draft: Option<crate::content::review::Draft>,
}

/// Where a document's text stands with its source.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Translation {
    /// The source language, or the only one.
    #[default]
    Source,
    /// A translation that matches its source as accepted.
    Current,
    /// A translation whose source changed since it was accepted.
    Stale,
    /// One of several languages of a project that names no source language.
    Untracked,
}

/// SHA-256 of `bytes` in hex.
pub fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// `path` relative to `base`, with `/` separators; `path` as it is when it lies elsewhere.
pub fn relative(base: &Path, path: &Path) -> String {
    match path.strip_prefix(base) {
        Ok(rel) => rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/"),
        Err(_) => path.to_string_lossy().into_owned(),
    }
}

/// The text of the manifest file: pretty-printed JSON and a final newline.
pub fn to_json(manifest: &Manifest) -> Result<Vec<u8>> {
    let mut json = serde_json::to_vec_pretty(manifest)
        .map_err(|e| Diagnostic::error(format!("failed to prepare the manifest ({e})")))?;
    json.push(b'\n');
    Ok(json)
}

/// Writes the manifest into `out` (whole, through a temporary file).
pub fn write(out: &Path, manifest: &Manifest) -> Result<()> {
    let path = out.join(FILE);
    let json = to_json(manifest)?;
    crate::output::write_atomic(&path, &json)
        .map_err(|e| Diagnostic::error(format!("failed to write {} ({e})", display_path(&path))))?;
    Ok(())
}

/// `K/N` with 1 ≤ K ≤ N (spaces around the numbers allowed), as `--shard` and a manifest's
/// `shard` write it.
pub fn parse_shard(s: &str) -> Option<(usize, usize)> {
    let (k, n) = s.split_once('/')?;
    let (k, n) = (k.trim().parse::<usize>().ok()?, n.trim().parse::<usize>().ok()?);
    (k >= 1 && k <= n).then_some((k, n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_relative_inside_and_whole_outside() {
        let base = Path::new("/p/out");
        assert_eq!(relative(base, Path::new("/p/out/a/b.pdf")), "a/b.pdf");
        assert_eq!(relative(base, Path::new("/elsewhere/c.pdf")), "/elsewhere/c.pdf");
    }
}
