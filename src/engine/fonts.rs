//! Fonts: the project's `fonts/` folder first, then Typst's embedded fonts, system fonts
//! only on request. Loaded once per process.

use std::path::Path;

use typst::foundations::Bytes;
use typst::text::Font;
use typst_kit::fonts::FontStore;

/// The project's font folder.
pub const FONTS_DIR: &str = "fonts";

/// Builds the font store: project fonts in sorted file order (the first font wins a tie),
/// then the embedded ones, then, if asked, the system's.
pub fn load(root: &Path, system: bool) -> FontStore {
    let mut store = FontStore::new();
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
        let Ok(data) = std::fs::read(&path) else { continue };
        for font in Font::iter(Bytes::new(data)) {
            let info = font.info().clone();
            store.push((font, info));
        }
    }
    store.extend(typst_kit::fonts::embedded());
    if system {
        store.extend(typst_kit::fonts::system());
    }
    store
}
