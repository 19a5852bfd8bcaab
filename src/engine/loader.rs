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

/// Whether the project overrides any built-in template: a `.typ` file in `templates/` that is
/// not a built-in template's own text (the demo project keeps copies of them there, to read
/// and edit), or that no built-in template is named like (an override may import it). A file
/// that cannot be read, or that leads outside the project (`root`, canonical), counts as an
/// override without being read; one of another size is not read either.
pub fn has_overrides(root: &Path) -> bool {
    let Ok(entries) = std::fs::read_dir(root.join(OVERRIDE_DIR)) else { return false };
    entries.flatten().any(|e| {
        let path = e.path();
        if path.extension().is_none_or(|x| x != "typ") {
            return false;
        }
        let Some(text) = path.file_name().and_then(|n| n.to_str()).and_then(templates::builtin) else {
            return true;
        };
        let Ok(real) = path.canonicalize() else { return true };
        let same_size = std::fs::metadata(&real).is_ok_and(|m| m.len() == text.len() as u64);
        !(real.starts_with(root)
            && same_size
            && std::fs::read(&real).is_ok_and(|bytes| bytes == text.as_bytes()))
    })
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_of_the_built_in_templates_override_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let root = &dir.path().canonicalize().unwrap();
        assert!(!has_overrides(root), "no templates folder");
        let folder = root.join(OVERRIDE_DIR);
        std::fs::create_dir(&folder).unwrap();
        for name in templates::names() {
            std::fs::write(folder.join(name), templates::builtin(name).unwrap()).unwrap();
        }
        std::fs::write(folder.join("notes.md"), "not a template").unwrap();
        assert!(!has_overrides(root), "the built-in templates' own text");
        let handout = folder.join("handout.typ");
        std::fs::write(&handout, format!("{}\n// our own\n", templates::builtin("handout.typ").unwrap()))
            .unwrap();
        assert!(has_overrides(root), "an edited template");
        std::fs::write(&handout, templates::builtin("handout.typ").unwrap()).unwrap();
        std::fs::write(folder.join("house.typ"), "#let x = 1").unwrap();
        assert!(has_overrides(root), "a file of the project's own, which an override may import");
        std::fs::remove_file(folder.join("house.typ")).unwrap();
        assert!(!has_overrides(root));
        // A copy outside the project, linked in, is not read: it counts as the project's own.
        let outside = tempfile::tempdir().unwrap();
        let copy = outside.path().join("poster.typ");
        std::fs::write(&copy, templates::builtin("poster.typ").unwrap()).unwrap();
        std::fs::remove_file(folder.join("poster.typ")).unwrap();
        std::os::unix::fs::symlink(&copy, folder.join("poster.typ")).unwrap();
        assert!(has_overrides(root), "a template linked from outside the project");
    }
}
