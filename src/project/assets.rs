//! Files the project refers to (logos, illustrations): confinement to the root and decoding.

use std::io::Read;
use std::path::{Component, Path, PathBuf};
use typst::foundations::Bytes;

use typst::visualize::ExchangeFormat;

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
    } else if reference.starts_with('/') {
        Err(format!(
            "file `{reference}` not found in the project folder (a path that starts with `/` starts at the project folder; files elsewhere on the disk cannot be used)"
        ))
    } else {
        Err(format!("file `{reference}` not found"))
    }
}

/// Size limits for the text files a project is made of: documented decisions, each far above
/// what real files need, so that a wrong file (a log, a dump) is an error instead of minutes
/// of work or an exhausted memory.
pub mod limits {
    /// A content file (`leaflets/<topic>/<lang>.md`). The demo's Dutch leaflet is 10 KB (a
    /// 9-page handout); 447 KB builds a 184-page handout in 2 s and a 272-page booklet in 11 s.
    pub const CONTENT_BYTES: u64 = 512 * 1024;
    /// A bibliography (`references.yml`, a few KB per dozen references).
    pub const BIBLIOGRAPHY_BYTES: u64 = 1024 * 1024;
    /// `leafpress.toml`, a brand file or a label table.
    pub const SETTINGS_BYTES: u64 = 256 * 1024;
}

/// Reads a project text file whole: a regular file of at most `limit` bytes. The error says
/// which file and why, for `what` (e.g. "content").
pub fn read_limited(path: &Path, limit: u64, what: &str) -> Result<Vec<u8>, crate::diag::Diagnostic> {
    let shown = crate::diag::display_path(path);
    let error = |m: String| crate::diag::Diagnostic::error(m).in_file(path);
    let meta = std::fs::metadata(path).map_err(|e| error(format!("failed to read {shown} ({e})")))?;
    if !meta.is_file() {
        return Err(error(format!("failed to read {shown} (it is not a regular file)")));
    }
    if meta.len() > limit {
        return Err(error(format!(
            "{shown} is {}; {what} may be at most {}",
            size_text(meta.len()),
            size_text(limit)
        )));
    }
    let mut data = Vec::with_capacity(meta.len() as usize);
    std::fs::File::open(path)
        .and_then(|f| f.take(limit + 1).read_to_end(&mut data))
        .map_err(|e| error(format!("failed to read {shown} ({e})")))?;
    if data.len() as u64 > limit {
        return Err(error(format!(
            "{shown} grew while it was read; {what} may be at most {}",
            size_text(limit)
        )));
    }
    Ok(data)
}

/// A size for people: `512 KB`, `50 MB`, `64.06 MB`: exact enough that a size just over a
/// limit never reads as the limit itself.
pub fn size_text(bytes: u64) -> String {
    const MB: u64 = 1024 * 1024;
    if bytes >= MB {
        if bytes.is_multiple_of(MB) {
            format!("{} MB", bytes / MB)
        } else {
            let two = format!("{:.2}", bytes as f64 / MB as f64);
            if two.ends_with(".00") {
                format!("{bytes} bytes")
            } else {
                format!("{} MB", two.trim_end_matches('0').trim_end_matches('.'))
            }
        }
    } else {
        format!("{} KB", bytes.div_ceil(1024))
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

/// What is wrong with an image reference: where it points, or the file it points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImageError {
    /// The reference does not lead to a file inside the project.
    Path(String),
    /// The file is there but cannot be used as an image.
    File(String),
}

impl ImageError {
    /// The message.
    pub fn message(&self) -> &str {
        match self {
            Self::Path(m) | Self::File(m) => m,
        }
    }

    /// What to do about it.
    pub fn hint(&self) -> &'static str {
        match self {
            Self::Path(_) => {
                "image paths are relative to this file or to the project folder, and must stay inside it"
            }
            Self::File(_) => "export the image again as SVG, PNG or JPEG, and name it for its format",
        }
    }
}

/// Resolves an image reference (see [`resolve`]) and checks the file with [`check_image`].
pub fn resolve_image(root: &Path, bases: &[&Path], reference: &str) -> Result<Asset, ImageError> {
    let asset = resolve(root, bases, reference).map_err(ImageError::Path)?;
    check_image(&asset.path).map_err(ImageError::File)?;
    Ok(asset)
}

/// Checks that an image file can be used: a known format that decodes, with the decoders and
/// the format rules Typst uses (the format is the one the extension names), so that what
/// `check` passes, `build` accepts, and a bad file is reported at the user's reference.
pub fn check_image(path: &Path) -> Result<(), String> {
    let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).unwrap_or_default();
    if !IMAGE_EXTENSIONS.contains(&ext.as_str()) {
        return Err(format!(
            "unsupported image type `.{ext}` (use one of: {})",
            IMAGE_EXTENSIONS.map(|e| format!(".{e}")).join(", ")
        ));
    }
    check_data(&ext, &Bytes::new(read_image(path)?))
}

/// [`check_image`]'s decoding, memoised on the file's bytes: the project is loaded again at
/// every rebuild in `watch`, and a photo decodes in milliseconds.
#[comemo::memoize]
fn check_data(ext: &str, data: &Bytes) -> Result<(), String> {
    if ext == "svg" {
        let text = std::str::from_utf8(data).map_err(|_| "the SVG file is not UTF-8 text".to_owned())?;
        check_svg(text)?;
        return usvg::Tree::from_data(data, &usvg::Options::default()).map(drop).map_err(|e| {
            let cause = match e {
                usvg::Error::ParsingFailed(e) => e.to_string(),
                e => e.to_string(),
            };
            format!("the SVG file cannot be read: {}", tidy(&cause))
        });
    }
    let named = match ext {
        "png" => ExchangeFormat::Png,
        "jpg" | "jpeg" => ExchangeFormat::Jpg,
        "gif" => ExchangeFormat::Gif,
        _ => ExchangeFormat::Webp,
    };
    match ExchangeFormat::detect(data) {
        None if data.trim_ascii_start().starts_with(b"<") => {
            return Err(format!("the file is SVG (text), not {}; name it `.svg`", format_name(named)));
        }
        None => {
            return Err(format!(
                "the file is not a {} image (nor any image format leafpress reads)",
                format_name(named)
            ));
        }
        Some(found) if found != named => {
            return Err(format!(
                "the file is a {} image but its name ends in `.{ext}`; rename it to end in `.{}`",
                format_name(found),
                extension_of(found)
            ));
        }
        Some(_) => {}
    }
    typst::visualize::RasterImage::plain(data.clone(), named).map(drop).map_err(|e| {
        let cause = e.strip_prefix("failed to decode image (").and_then(|c| c.strip_suffix(')'));
        format!("the {} file is damaged or cut short: {}", format_name(named), tidy(cause.unwrap_or(&e)))
    })
}

/// The largest image file leafpress reads (a documented limit: print-resolution photos of a
/// whole A3 poster stay well below it).
pub const MAX_IMAGE_BYTES: u64 = 50 * 1024 * 1024;

/// Reads an image file whole, refusing what is not a regular file or is too large.
fn read_image(path: &Path) -> Result<Vec<u8>, String> {
    let meta = std::fs::metadata(path).map_err(|e| format!("cannot read the image ({e})"))?;
    if !meta.is_file() {
        return Err("the image is not a regular file".into());
    }
    if meta.len() > MAX_IMAGE_BYTES {
        return Err(format!(
            "the image is {}; leafpress reads images up to {}",
            size_text(meta.len()),
            size_text(MAX_IMAGE_BYTES)
        ));
    }
    let mut data = Vec::with_capacity(meta.len() as usize);
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_IMAGE_BYTES + 1).read_to_end(&mut data))
        .map_err(|e| format!("cannot read the image ({e})"))?;
    Ok(data)
}

/// A decoder's message on one line.
fn tidy(message: &str) -> String {
    message.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn format_name(f: ExchangeFormat) -> &'static str {
    match f {
        ExchangeFormat::Png => "PNG",
        ExchangeFormat::Jpg => "JPEG",
        ExchangeFormat::Gif => "GIF",
        ExchangeFormat::Webp => "WebP",
    }
}

fn extension_of(f: ExchangeFormat) -> &'static str {
    match f {
        ExchangeFormat::Png => "png",
        ExchangeFormat::Jpg => "jpg",
        ExchangeFormat::Gif => "gif",
        ExchangeFormat::Webp => "webp",
    }
}

/// A light structural check of an SVG document.
fn check_svg(text: &str) -> Result<(), String> {
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    let has_root = trimmed.contains("<svg") && trimmed.trim_end().ends_with('>');
    if !has_root || !trimmed.starts_with('<') {
        return Err("the file is not an SVG document".into());
    }
    // Typst would load a linked file itself, at build time, from beside the SVG; leafpress
    // wants everything an image shows inside it.
    if let Some(target) = linked_files(trimmed).next() {
        let web = target.starts_with("http:") || target.starts_with("https:") || target.starts_with("//");
        return Err(if web {
            format!("the SVG links to a file on the web (`{target}`); embed it in the SVG instead")
        } else {
            format!("the SVG links to another file (`{target}`); embed it in the SVG instead")
        });
    }
    Ok(())
}

/// The targets of `href` attributes in an SVG that point at other files: everything but
/// embedded data (`data:`) and references inside the SVG (`#id`).
fn linked_files(svg: &str) -> impl Iterator<Item = &str> {
    svg.match_indices("href").filter_map(move |(at, _)| {
        let rest = svg[at + 4..].trim_start().strip_prefix('=')?.trim_start();
        let quote = rest.chars().next().filter(|q| *q == '"' || *q == '\'')?;
        let value = &rest[1..];
        let value = &value[..value.find(quote)?];
        let target = value.trim();
        (!target.is_empty() && !target.starts_with('#') && !target.starts_with("data:")).then_some(target)
    })
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
    fn svg_links_to_files_are_refused() {
        let svg = |body: &str| format!("<svg xmlns=\"http://www.w3.org/2000/svg\">{body}</svg>");
        assert!(check_svg(&svg("<use href=\"#a\"/><image href=\"data:image/png;base64,AAAA\"/>")).is_ok());
        let err = check_svg(&svg("<image xlink:href = '../../../../etc/hostname'/>")).unwrap_err();
        assert_eq!(
            err,
            "the SVG links to another file (`../../../../etc/hostname`); embed it in the SVG instead"
        );
        let err = check_svg(&svg("<image href=\"https://x.example/a.png\"/>")).unwrap_err();
        assert!(err.starts_with("the SVG links to a file on the web"), "{err}");
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
