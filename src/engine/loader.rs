//! Serves files to Typst: built-in templates, and project files confined to the root.

use std::path::{Path, PathBuf};

use typst::diag::{FileError, FileResult, PackageError};
use typst::foundations::Bytes;
use typst::syntax::{FileId, VirtualRoot};
use typst_kit::files::FileLoader;

use super::templates;

/// Virtual folder under which the built-in templates are served.
pub const BUILTIN_DIR: &str = "_leafpress";

/// Folder in the project whose `.typ` files override the built-in templates of the same name.
pub const OVERRIDE_DIR: &str = "templates";

/// Whether the project overrides any built-in template (a `.typ` file in `templates/`).
pub fn has_overrides(root: &Path) -> bool {
    std::fs::read_dir(root.join(OVERRIDE_DIR))
        .is_ok_and(|entries| entries.flatten().any(|e| e.path().extension().is_some_and(|x| x == "typ")))
}

/// Loads files for Typst without ever leaving the project root or touching the network.
#[derive(Debug, Clone)]
pub struct ProjectLoader {
    /// Canonical project root.
    root: PathBuf,
}

impl ProjectLoader {
    /// A loader for the project at `root` (canonical).
    pub fn new(root: PathBuf) -> Self {
        Self { root }
    }

    /// Where `id` lives on disk, if it is a project file or an overridden template.
    pub fn disk_path(&self, id: FileId) -> Option<PathBuf> {
        match builtin_name(id) {
            Some(name) => {
                let candidate = self.root.join(OVERRIDE_DIR).join(name);
                candidate.is_file().then_some(candidate)
            }
            None => id.vpath().realize(&self.root).ok(),
        }
    }

    /// Reads `path`, refusing anything that resolves outside the root (e.g. via a symlink).
    fn read_confined(&self, path: &Path) -> FileResult<Bytes> {
        let real = path.canonicalize().map_err(|e| FileError::from_io(e, path))?;
        if !real.starts_with(&self.root) {
            return Err(FileError::Other(Some(
                format!("{} leads outside the project folder", crate::diag::display_path(path)).into(),
            )));
        }
        if real.is_dir() {
            return Err(FileError::IsDirectory);
        }
        std::fs::read(&real).map(Bytes::new).map_err(|e| FileError::from_io(e, &real))
    }
}

impl FileLoader for ProjectLoader {
    fn load(&self, id: FileId) -> FileResult<Bytes> {
        if let VirtualRoot::Package(spec) = id.root() {
            return Err(FileError::Package(PackageError::Other(Some(
                format!("{spec}: packages are not available offline").into(),
            ))));
        }
        let Some(name) = builtin_name(id) else {
            let path = id.vpath().realize(&self.root).map_err(FileError::Realize)?;
            return self.read_confined(&path);
        };
        match self.disk_path(id) {
            Some(path) => self.read_confined(&path),
            None => templates::builtin(name)
                .map(|text| Bytes::new(text.as_bytes()))
                .ok_or_else(|| FileError::NotFound(PathBuf::from(format!("{BUILTIN_DIR}/{name}")))),
        }
    }
}

/// The built-in template file `id` names (`/_leafpress/<name>`), if it names one.
pub(crate) fn builtin_name(id: FileId) -> Option<&'static str> {
    id.get().vpath().get_without_slash().strip_prefix(BUILTIN_DIR)?.strip_prefix('/')
}
