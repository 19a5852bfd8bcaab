//! Fonts: the project's `fonts/` folder first, then the default family built into leafpress
//! (Atkinson Hyperlegible, OFL), then Typst's embedded fonts; system fonts only on request.
//! Loaded once per process.

use std::path::Path;

use typst::foundations::Bytes;
use typst::text::Font;
use typst_kit::fonts::FontStore;

use crate::diag::{Diagnostic, display_path};

/// The project's font folder.
pub const FONTS_DIR: &str = "fonts";

/// The family a brand gets when it names none, built into the binary so that a project works
/// without a `fonts/` folder.
pub const DEFAULT_FAMILY: &str = "Atkinson Hyperlegible";

/// The built-in family for Arabic text.
pub const ARABIC_FAMILY: &str = "Noto Naskh Arabic";

/// The built-in font files (SIL Open Font License 1.1, see fonts/OFL.txt and
/// fonts/NOTO-OFL.txt): name, bytes. Noto Naskh Arabic covers Arabic, which Atkinson
/// Hyperlegible does not; Typst falls back to it for Arabic text.
pub const BUILTIN: [(&str, &[u8]); 6] = [
    ("AtkinsonHyperlegible-Regular.ttf", include_bytes!("../../fonts/AtkinsonHyperlegible-Regular.ttf")),
    ("AtkinsonHyperlegible-Bold.ttf", include_bytes!("../../fonts/AtkinsonHyperlegible-Bold.ttf")),
    ("AtkinsonHyperlegible-Italic.ttf", include_bytes!("../../fonts/AtkinsonHyperlegible-Italic.ttf")),
    (
        "AtkinsonHyperlegible-BoldItalic.ttf",
        include_bytes!("../../fonts/AtkinsonHyperlegible-BoldItalic.ttf"),
    ),
    ("NotoNaskhArabic-Regular.ttf", include_bytes!("../../fonts/NotoNaskhArabic-Regular.ttf")),
    ("NotoNaskhArabic-Bold.ttf", include_bytes!("../../fonts/NotoNaskhArabic-Bold.ttf")),
];

/// The largest font file read: real fonts (even CJK collections) stay well below it, and a
/// device or a runaway file never fills memory.
pub const MAX_FONT_BYTES: u64 = 64 * 1024 * 1024;

/// Builds the font store: project fonts in sorted file order (the first font wins a tie),
/// then the embedded ones, then, if asked, the system's. A file in `fonts/` that leads outside
/// the project, is not a regular file (a FIFO, a device), is too large or holds no font is
/// left out and reported.
pub fn load(root: &Path, system: bool) -> (FontStore, Vec<Diagnostic>) {
    let mut store = FontStore::new();
    let mut problems = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(root.join(FONTS_DIR))
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| {
            p.extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| ["ttf", "otf", "ttc", "otc"].contains(&e.to_ascii_lowercase().as_str()))
        })
        .collect();
    files.sort();
    for path in files {
        let shown = display_path(&path);
        let fail = |why: String| {
            Diagnostic::error(format!("failed to load font {shown} ({why})")).in_file(&path)
                .hint("fonts/ holds the project's own font files (TrueType or OpenType); remove or replace this one")
        };
        // Checked before anything is opened: opening a FIFO would block.
        let real = match crate::project::assets::confine(root, &path) {
            Ok(real) => real,
            Err(e) => {
                problems.push(fail(e));
                continue;
            }
        };
        match std::fs::metadata(&real) {
            Ok(m) if !m.is_file() => problems.push(fail("not a regular file".into())),
            Ok(m) if m.len() > MAX_FONT_BYTES => problems.push(fail(format!(
                "{}, more than the {} a font may have",
                crate::project::assets::size_text(m.len()),
                crate::project::assets::size_text(MAX_FONT_BYTES)
            ))),
            Err(e) => problems.push(fail(e.to_string())),
            Ok(_) => match std::fs::read(&real) {
                Err(e) => problems.push(fail(e.to_string())),
                Ok(data) => {
                    let mut found = 0;
                    for font in Font::iter(Bytes::new(data)) {
                        let info = font.info().clone();
                        store.push((font, info));
                        found += 1;
                    }
                    if found == 0 {
                        problems.push(fail("no font in it: damaged, truncated or not a font file".into()));
                    }
                }
            },
        }
    }
    for (_, data) in BUILTIN {
        for font in Font::iter(Bytes::new(data)) {
            let info = font.info().clone();
            store.push((font, info));
        }
    }
    store.extend(typst_kit::fonts::embedded());
    if system {
        store.extend(typst_kit::fonts::system());
    }
    (store, problems)
}
