//! Teaching decks: `decks/<name>/<lang>.md`, a deck an educator writes around the topics.
//!
//! A deck file has TOML front matter (title, presenter, course, date, brand, duration) and a
//! body that lists, in order, what the deck holds: slides written in the file itself (a
//! `## Title {#id}` each, with Markdown under it as in content files) and topics or chosen
//! sections of them (`{{< topic hernia sections="what-is red-flags" >}}`). Notes for the
//! presenter go in a `::: notes` … `:::` block under a slide or include. The deck becomes a
//! [`Content`](crate::content::Content) whose sections are the written slides and the
//! included sections in order, so the slide templates, notes and checks treat it as they
//! treat a topic.

pub mod assemble;
pub mod front;
pub mod parse;

use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, Result, Sink, display_path};
use crate::project::brand;

/// The folder of a project that holds decks.
pub const DECKS_DIR: &str = "decks";

/// A deck folder and its languages.
#[derive(Debug, Clone)]
pub struct DeckFiles {
    /// Folder name, e.g. `hernia-lesson`.
    pub name: String,
    /// `(language, file)` for each `<lang>.md`, sorted by language.
    pub languages: Vec<(String, PathBuf)>,
}

impl DeckFiles {
    /// The deck's id in output paths, the manifest and `--topic`: `decks/<name>`.
    pub fn id(&self) -> String {
        format!("{DECKS_DIR}/{}", self.name)
    }
}

/// The decks under `root/decks`, sorted by name; none without that folder.
pub fn discover(root: &Path) -> Result<Vec<DeckFiles>> {
    let dir = root.join(DECKS_DIR);
    let Ok(entries) = std::fs::read_dir(&dir) else { return Ok(Vec::new()) };
    let mut dirs: Vec<PathBuf> =
        entries.filter_map(|e| e.ok()).map(|e| e.path()).filter(|p| p.is_dir()).collect();
    dirs.sort();
    let mut sink = Sink::default();
    let mut decks = Vec::new();
    for dir in dirs {
        let name = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if !brand::is_short_name(&name) {
            sink.push(
                Diagnostic::error(format!("deck folder {} does not make a deck name", display_path(&dir)))
                    .in_file(&dir)
                    .hint("a deck's folder name is its name in output paths: lower-case letters, digits and hyphens, e.g. decks/back-pain-lesson"),
            );
            continue;
        }
        let languages = crate::project::language_files(&dir)?;
        if !languages.is_empty() {
            decks.push(DeckFiles { name, languages });
        }
    }
    sink.finish()?;
    Ok(decks)
}
