//! Files the project refers to (logos, illustrations): confinement to the root and decoding.

use std::io::Read;
use std::path::{Component, Path, PathBuf};

/// Image formats leafpress accepts, by extension.
pub const IMAGE_EXTENSIONS: [&str; 6] = ["svg", "png", "jpg", "jpeg", "gif", "webp"];

/// A file inside the project root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asset {
    /// Canonical path on disk.
    pub path: PathBuf,
    /// Path relative to the project root, with `/` separators and a leading `/`, as Typst sees it.
    pub virtual_path: String,
}

/// Finds `reference` (as written by the user) relative to each of `bases` in turn, keeping to
/// `root` (canonical). Symlinks that lead outside the root are refused like `..` escapes.
pub fn resolve(root: &Path, bases: &[&Path], reference: &str) -> Result<Asset, String> {
    if reference.contains("://") {
        return Err(format!("`{reference}` is a URL; leafpress never downloads files"));
    }
    let rel = Path::new(reference);
    let candidates: Vec<PathBuf> = if let Ok(from_root) = rel.strip_prefix("/") {
        vec![root.join(from_root)]
    } else {
        bases.iter().map(|b| b.join(rel)).collect()
    };
    let mut escaped = false;
    for candidate in &candidates {
        if !lexically_inside(root, candidate) {
            escaped = true;
            continue;
        }
        let Ok(real) = candidate.canonicalize() else { continue };
        if !real.starts_with(root) {
            return Err(format!("`{reference}` leads outside the project folder (through a symlink)"));
        }
        if !real.is_file() {
            return Err(format!("`{reference}` is not a file"));
        }
        let virtual_path = virtual_path(root, &real);
        return Ok(Asset { path: real, virtual_path });
    }
    if escaped {
        Err(format!("`{reference}` points outside the project folder"))
    } else {
        Err(format!("file `{reference}` not found"))
    }
}

/// Checks that `path` (a file found inside `root`) does not lead outside it through a symlink.
pub fn confine(root: &Path, path: &Path) -> Result<PathBuf, String> {
    let real = path.canonicalize().map_err(|e| format!("{}: {e}", crate::diag::display_path(path)))?;
    if real.starts_with(root) {
        Ok(real)
    } else {
        Err(format!("{} leads outside the project folder", crate::diag::display_path(path)))
    }
}

/// The root-relative path Typst uses for a file inside the root.
pub fn virtual_path(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let parts: Vec<String> = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
    format!("/{}", parts.join("/"))
}

/// Whether `path` stays below `root` once `.` and `..` are resolved without touching the disk.
fn lexically_inside(root: &Path, path: &Path) -> bool {
    let mut depth: usize = 0;
    let rel = match path.strip_prefix(root) {
        Ok(rel) => rel,
        Err(_) => return false,
    };
    for c in rel.components() {
        match c {
            Component::Normal(_) => depth += 1,
            Component::CurDir => {}
            Component::ParentDir => match depth.checked_sub(1) {
                Some(d) => depth = d,
                None => return false,
            },
            Component::RootDir | Component::Prefix(_) => return false,
        }
    }
    true
}

/// Checks that an image file can be used: a known format that decodes.
///
/// Raster images are fully decoded here so that a corrupt file is reported against the
/// user's reference instead of failing deep inside Typst.
pub fn check_image(path: &Path) -> Result<(), String> {
    let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).unwrap_or_default();
    if !IMAGE_EXTENSIONS.contains(&ext.as_str()) {
        return Err(format!(
            "unsupported image type `.{ext}` (use one of: {})",
            IMAGE_EXTENSIONS.map(|e| format!(".{e}")).join(", ")
        ));
    }
    if ext == "svg" {
        let mut text = String::new();
        std::fs::File::open(path)
            .and_then(|mut f| f.read_to_string(&mut text))
            .map_err(|e| format!("cannot read the SVG file ({e})"))?;
        return check_svg(&text);
    }
    let reader = image::ImageReader::open(path)
        .and_then(|r| r.with_guessed_format())
        .map_err(|e| format!("cannot read the image ({e})"))?;
    reader.decode().map(|_| ()).map_err(|e| format!("the image is corrupt or not a supported format ({e})"))
}

/// A light structural check of an SVG document.
fn check_svg(text: &str) -> Result<(), String> {
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    let has_root = trimmed.contains("<svg") && trimmed.trim_end().ends_with('>');
    if !has_root || !trimmed.starts_with('<') {
        return Err("the file is not an SVG document".into());
    }
    if trimmed.contains("xlink:href=\"http") || trimmed.contains(" href=\"http") {
        return Err("the SVG links to a file on the web; embed it instead".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lexical_escape_is_caught() {
        let root = Path::new("/p");
        assert!(lexically_inside(root, Path::new("/p/a/../b")));
        assert!(!lexically_inside(root, Path::new("/p/a/../../etc/passwd")));
        assert!(!lexically_inside(root, Path::new("/q/x")));
    }

    #[test]
    fn svg_check_rejects_text() {
        assert!(check_svg("hello").is_err());
        assert!(check_svg("<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>").is_ok());
    }

    #[test]
    fn virtual_paths_are_rooted() {
        assert_eq!(virtual_path(Path::new("/p"), Path::new("/p/images/a.svg")), "/images/a.svg");
    }
}
