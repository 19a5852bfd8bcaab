//! A topic's `references.yml` (Hayagriva YAML, shared by all languages).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, Result};

/// The file name of a topic's bibliography.
pub const FILE: &str = "references.yml";

/// A parsed bibliography: where it is and which keys it defines.
#[derive(Debug, Clone)]
pub struct Bibliography {
    /// Path on disk.
    pub path: PathBuf,
    /// Path as Typst sees it.
    pub virtual_path: String,
    /// Every entry key.
    pub keys: BTreeSet<String>,
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

/// Reads and parses `path`; `virtual_path` is how the templates load it.
pub fn load(root: &Path, path: &Path, virtual_path: String) -> Result<Bibliography> {
    crate::project::assets::confine(root, path)
        .map_err(|e| Diagnostic::error(format!("failed to read the bibliography ({e})")))?;
    let limit = crate::project::assets::limits::BIBLIOGRAPHY_BYTES;
    let bytes = crate::project::assets::read_limited(path, limit, "a bibliography")?;
    let text = crate::diag::decode_utf8(path, bytes, "the bibliography")?;
    let library = hayagriva::io::from_yaml_str(&text).map_err(|e| {
        let at = e.location().map_or(0, |l| l.index());
        let message = e.to_string();
        let cause = message.split(" at line ").next().unwrap_or(&message).to_owned();
        Diagnostic::error(format!("failed to read the bibliography ({cause})"))
            .at(path, &text, at..at + 1)
            .hint("references.yml is Hayagriva YAML: https://github.com/typst/hayagriva/blob/main/docs/file-format.md")
    })?;
    Ok(Bibliography {
        path: path.to_owned(),
        virtual_path,
        keys: library.keys().map(str::to_owned).collect(),
    })
}
