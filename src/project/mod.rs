//! The project folder: `leafpress.toml`, and the topics under `leaflets/`.

pub mod assets;
pub mod brand;
pub mod color;
pub mod config;
pub mod country;
pub mod layout;
pub mod localized;
pub mod numbers;
pub mod reading;
pub mod toml_help;

use std::path::{Path, PathBuf};

use config::Config;

use crate::diag::{Diagnostic, Result};

/// The canonical path of the project folder `root` (`--root`, else the working directory).
/// A folder that is not there, or a file given as `--root`, is a [usage](Diagnostic::usage)
/// error: the command line is wrong, not the project.
pub fn open_folder(root: &Path) -> Result<PathBuf> {
    const WHAT: &str = "a project folder holds leafpress.toml and leaflets/<topic>/<lang>.md; run leafpress in it, or pass --root DIR";
    let real = root.canonicalize().map_err(|e| {
        let d = match e.kind() {
            std::io::ErrorKind::NotFound => {
                Diagnostic::error(format!("project folder {} does not exist", root.display()))
            }
            _ => Diagnostic::error(format!("failed to open project folder {} ({e})", root.display())),
        };
        d.hint(WHAT).usage()
    })?;
    if !real.is_dir() {
        let d = Diagnostic::error(format!("--root {} is not a folder", root.display()));
        // `--root proj/leafpress.toml`: the folder holding it was meant.
        let d = match root.file_name() {
            Some(name) if name == config::CONFIG_FILE => {
                let parent = root.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
                d.hint(format!(
                    "--root names the folder that holds leafpress.toml: --root {}",
                    parent.display()
                ))
            }
            _ => d.hint(WHAT),
        };
        return Err(d.usage().into());
    }
    Ok(real)
}

/// Folder holding one subfolder per topic.
pub const LEAFLETS_DIR: &str = "leaflets";

/// A project: its root, configuration and content files (not yet parsed).
#[derive(Debug, Clone)]
pub struct Project {
    /// Canonical project root; nothing outside it is read.
    pub root: PathBuf,
    /// `leafpress.toml`, validated.
    pub config: Config,
    /// Topics, sorted by id.
    pub topics: Vec<TopicFiles>,
    /// Teaching decks under `decks/`, sorted by name.
    pub decks: Vec<crate::deck::DeckFiles>,
}

/// A topic folder and the files in it.
#[derive(Debug, Clone)]
pub struct TopicFiles {
    /// Folder name, e.g. `hernia`.
    pub id: String,
    /// The folder.
    pub dir: PathBuf,
    /// `(language, file)` for each `<lang>.md`, sorted by language.
    pub languages: Vec<(String, PathBuf)>,
    /// `references.yml` or `references.bib`, if present.
    pub bibliography: Option<PathBuf>,
}

/// The `<lang>.md` files in `dir` (two lower-case letters before `.md`), sorted by language.
pub fn language_files(dir: &Path) -> Result<Vec<(String, PathBuf)>> {
    let mut languages: Vec<(String, PathBuf)> = std::fs::read_dir(dir)
        .map_err(|e| {
            Diagnostic::error(format!("failed to list {} ({e})", crate::diag::display_path(dir))).in_file(dir)
        })?
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        // Anything named like a content file is one: a folder, FIFO or broken link by
        // that name is an error when it is read, never silently no language.
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .filter_map(|p| Some((p.file_stem()?.to_str()?.to_owned(), p)))
        .filter(|(stem, _)| stem.len() == 2 && stem.chars().all(|c| c.is_ascii_lowercase()))
        .collect();
    languages.sort();
    Ok(languages)
}

/// Opens the project at `root`: reads the configuration and lists the content files.
pub fn open(root: &Path) -> Result<Project> {
    let root = open_folder(root)?;
    let config = config::load(&root)?;
    let leaflets = root.join(LEAFLETS_DIR);
    let mut topics = Vec::new();
    let entries = std::fs::read_dir(&leaflets).map_err(|e| {
        Diagnostic::error(format!("failed to list {} ({e})", crate::diag::display_path(&leaflets)))
            .hint("put each topic in its own folder: leaflets/<topic>/<lang>.md")
    })?;
    let mut dirs: Vec<PathBuf> =
        entries.filter_map(|e| e.ok()).map(|e| e.path()).filter(|p| p.is_dir()).collect();
    dirs.sort();
    let mut sink = crate::diag::Sink::default();
    for dir in dirs {
        let name = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        // A topic's folder name is its id: it becomes folders, file names and links in the
        // output, so it is a short name like a brand's.
        if !brand::is_short_name(&name) {
            let suggestion = match brand::slug(&name) {
                s if brand::is_short_name(&s) => s,
                _ => "low-back-pain".to_owned(),
            };
            sink.push(
                Diagnostic::error(format!(
                    "topic folder {} does not make a topic id",
                    crate::diag::display_path(&dir)
                ))
                .in_file(&dir)
                .hint(format!(
                    "a topic's folder name is its id: lower-case letters, digits and hyphens, e.g. leaflets/{suggestion}"
                )),
            );
            continue;
        }
        let id = name;
        let languages = language_files(&dir)?;
        // references.yml or references.bib (both: an error).
        let bibliography = match crate::content::bibliography::find(&dir) {
            Ok(b) => b,
            Err(d) => {
                sink.push(d);
                continue;
            }
        };
        if !languages.is_empty() {
            topics.push(TopicFiles { id, dir, languages, bibliography });
        }
    }
    sink.finish()?;
    if topics.is_empty() {
        return Err(Diagnostic::error(format!(
            "no content found in {}",
            crate::diag::display_path(&leaflets)
        ))
        .hint("add a topic as leaflets/<topic>/<lang>.md, e.g. leaflets/hernia/nl.md")
        .into());
    }
    let decks = crate::deck::discover(&root)?;
    Ok(Project { root, config, topics, decks })
}
