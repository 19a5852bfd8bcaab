//! A topic's bibliography, shared by all languages: `references.yml` (Hayagriva YAML) or
//! `references.bib` (BibTeX or BibLaTeX, as Zotero and other reference managers export it).

mod bibtex;
mod fields;
mod tree;
mod yaml;

use std::collections::BTreeSet;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diag::{Diagnostic, Result, Severity};

/// The file name of a topic's bibliography in Hayagriva YAML.
pub const FILE: &str = "references.yml";

/// The file name of a topic's bibliography in BibTeX.
pub const BIB_FILE: &str = "references.bib";

/// How a bibliography is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Hayagriva YAML (`references.yml`).
    Yaml,
    /// BibTeX or BibLaTeX (`references.bib`).
    Bibtex,
}

impl Format {
    /// The format of the file at `path`, by its extension.
    pub fn of(path: &Path) -> Self {
        match path.extension().and_then(|e| e.to_str()) {
            Some("bib") => Self::Bibtex,
            _ => Self::Yaml,
        }
    }
}

/// A parsed bibliography: where it is and which keys it defines.
#[derive(Debug, Clone)]
pub struct Bibliography {
    /// Path on disk.
    pub path: PathBuf,
    /// Path as Typst sees it.
    pub virtual_path: String,
    /// Every entry key.
    pub keys: BTreeSet<String>,
    /// How it is written.
    pub format: Format,
    /// Its text.
    pub text: Arc<str>,
    /// Each entry, in the file's order, with what the reference list needs of it.
    pub entries: Vec<Entry>,
    /// The parsed entries, for what leafpress writes itself (presenter notes, the HTML
    /// edition), so the file is read and parsed once.
    pub library: hayagriva::Library,
}

/// One entry of a bibliography.
#[derive(Debug, Clone)]
pub struct Entry {
    /// Its key.
    pub key: String,
    /// Where its key is written.
    pub range: Range<usize>,
    /// Whether it names an author (or, in its place in APA, an editor).
    pub author: bool,
    /// Whether it has a date (its own or its parent's).
    pub date: bool,
}

impl Bibliography {
    /// The defined key closest to `key`, to suggest on a typo.
    pub fn closest(&self, key: &str) -> Option<&str> {
        self.keys
            .iter()
            .map(|k| (strsim::damerau_levenshtein(k, key), k))
            .filter(|(d, k)| *d <= 3.max(k.len() / 3))
            .min()
            .map(|(_, k)| k.as_str())
    }
}

/// The bibliography in the topic folder `dir`, if it has one: anything named
/// `references.yml` or `references.bib` is (one that is not a readable file is an error when
/// it is read, never silently no bibliography). Both at once is an error.
pub fn find(dir: &Path) -> std::result::Result<Option<PathBuf>, Diagnostic> {
    let present = |name: &str| {
        let path = dir.join(name);
        std::fs::symlink_metadata(&path).is_ok().then_some(path)
    };
    match (present(FILE), present(BIB_FILE)) {
        (Some(_), Some(bib)) => Err(Diagnostic::error(format!(
            "topic folder {} has both {FILE} and {BIB_FILE}",
            crate::diag::display_path(dir)
        ))
        .in_file(&bib)
        .hint(format!(
            "a topic has one bibliography: keep {FILE} (Hayagriva YAML) or {BIB_FILE} (BibTeX, as reference managers export it), and move the other's entries into it"
        ))),
        (yml, bib) => Ok(yml.or(bib)),
    }
}

/// Reads and parses `path`; `virtual_path` is how the templates load it.
pub fn load(root: &Path, path: &Path, virtual_path: String) -> Result<Bibliography> {
    crate::project::assets::confine(root, path)
        .map_err(|e| Diagnostic::error(format!("failed to read the bibliography ({e})")))?;
    let limit = crate::project::assets::limits::BIBLIOGRAPHY_BYTES;
    let bytes = crate::project::assets::read_limited(path, limit, "a bibliography")?;
    let text = crate::diag::decode_utf8(path, bytes, "the bibliography")?;
    let format = Format::of(path);
    let read = match format {
        Format::Yaml => yaml::read(path, &text),
        Format::Bibtex => bibtex::read(path, &text),
    };
    // Messages quoting a value keep to one line: `Diagnostic::error` sees to that.
    let (library, ranges) = read?;
    let entries = library
        .iter()
        .zip(ranges)
        .map(|(e, range)| Entry {
            key: e.key().to_owned(),
            range,
            author: e.authors().is_some_and(|a| !a.is_empty()) || e.editors().is_some_and(|a| !a.is_empty()),
            date: e.date_any().is_some(),
        })
        .collect();
    Ok(Bibliography {
        path: path.to_owned(),
        virtual_path,
        keys: library.keys().map(str::to_owned).collect(),
        format,
        text,
        entries,
        library,
    })
}

/// A warning (an error when `severity` says so, with `check --strict`) at the key of each
/// entry without an author or a date: APA then puts the title where the author goes (in every
/// citation too) and "n.d." for the year.
pub fn warnings(bibliography: &Bibliography, severity: Severity) -> Vec<Diagnostic> {
    let yaml = bibliography.format == Format::Yaml;
    let mut out = Vec::new();
    for e in &bibliography.entries {
        let at = |message: String| {
            Diagnostic::new(severity, message).at(&bibliography.path, &bibliography.text, e.range.clone())
        };
        if !e.author {
            let add = if yaml {
                "`author: Family, Given` (for several, one `- Family, Given` per line; an organisation by its name)"
            } else {
                "`author = {Family, Given and Family, Given}` (an organisation in double braces, `{{…}}`)"
            };
            out.push(at(format!("reference `{}` has no author", e.key)).hint(format!(
                "citations and the reference list show its title in the author's place; add {add}"
            )));
        }
        if !e.date {
            let add = if yaml {
                "`date: YYYY` (or `YYYY-MM-DD`)"
            } else {
                "`year = {YYYY}` or `date = {YYYY-MM-DD}`"
            };
            out.push(at(format!("reference `{}` has no date", e.key)).hint(format!(
                "citations show \"n.d.\" (no date) in place of the year; add the year it was published, {add}"
            )));
        }
    }
    out
}
