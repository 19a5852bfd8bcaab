//! `--emit typst`: each document as a standalone folder the Typst CLI compiles, for users
//! who want to hand-tune one document, and as the fair baseline of our benchmark.
//!
//! The folder mirrors what the embedded compiler sees: `main.typ` includes the format's
//! template, the templates and the document's data sit under `_leafpress/` (project
//! overrides in templates/ win, as in a build), and the images and bibliography it uses keep
//! their project paths. Fonts stay in the project: `fonts.txt` lists them, and the command in
//! `main.typ` points the CLI at them.

use std::fmt::Write;
use std::path::{Path, PathBuf};

use crate::build::{BuildConfig, Planned, compile};
use crate::diag::{Diagnostic, Result, display_path};
use typst::syntax::{FileId, RootedPath, VirtualPath, VirtualRoot};
use typst_kit::files::FileLoader;

use crate::engine::loader::{BUILTIN_DIR, OVERRIDE_DIR, ProjectLoader};
use crate::engine::{Arrange, builtin_id, templates};
use crate::project::Project;
use crate::{manifest, output};

/// The folder a document is ejected to: beside its PDF, named for its format.
pub fn folder(doc: &Planned) -> PathBuf {
    doc.out.with_extension("")
}

/// Writes the standalone folder of `doc`.
pub fn write(config: &BuildConfig, project: &Project, doc: &Planned) -> Result<()> {
    let job = compile::job(config, project, doc)?;
    let dir = folder(doc);
    let root = &project.root;
    // Read as a build reads them: project overrides of the templates win, and nothing is
    // read from outside the project folder.
    let loader = ProjectLoader::new(root.clone());
    let read = |id: FileId, shown: &str| {
        loader
            .load(id)
            .map(|b| b.to_vec())
            .map_err(|e| Diagnostic::error(format!("failed to read {shown} for --emit typst ({e})")))
    };
    let mut files: Vec<(PathBuf, Vec<u8>)> = Vec::new();
    for name in templates::names() {
        files.push((Path::new(BUILTIN_DIR).join(name), read(builtin_id(name), name)?));
    }
    files.push((Path::new(BUILTIN_DIR).join("data.json"), job.data.clone()));
    for (name, bytes) in &job.side_files {
        files.push((Path::new(BUILTIN_DIR).join(name), bytes.clone()));
    }
    // The images and bibliography Typst reads; content, configuration and fonts are not.
    for input in doc.inputs.iter().filter(|i| is_typst_asset(i)) {
        let vpath = VirtualPath::new(format!("/{input}"))
            .map_err(|_| Diagnostic::error(format!("`{input}` is not a project path")))?;
        let id = FileId::new(RootedPath::new(VirtualRoot::Project, vpath));
        files.push((PathBuf::from(input), read(id, input)?));
    }
    let fonts: Vec<&String> = doc.inputs.iter().filter(|i| i.starts_with("fonts/")).collect();
    let brand = &project.config.brands[doc.brand];
    let mut list =
        format!("# Fonts this document uses: the family `{}` and the project's font files\n", brand.font);
    list += "# (Typst's embedded fonts cover the rest). Paths are relative to the project folder.\n";
    for f in &fonts {
        let _ = writeln!(list, "{f}");
    }
    // The default family is built into leafpress: without it in fonts/, the folder carries it.
    let builtin = brand.font.eq_ignore_ascii_case(crate::engine::fonts::DEFAULT_FAMILY) && fonts.is_empty();
    if builtin {
        list += "# The family is built into leafpress; its files are in _fonts/ of this folder.\n";
        for (name, bytes) in crate::engine::fonts::BUILTIN {
            files.push((Path::new("_fonts").join(name), bytes.to_vec()));
        }
    }
    files.push(("fonts.txt".into(), list.into_bytes()));
    let main = main_typ(project, doc, &job, &dir, builtin);
    files.push(("main.typ".into(), main.into_bytes()));

    if dir.join("main.typ").is_file() {
        // A previous ejection: start afresh so no file of an older version lingers.
        std::fs::remove_dir_all(&dir)
            .map_err(|e| Diagnostic::error(format!("failed to clear {} ({e})", display_path(&dir))))?;
    }
    for (rel, bytes) in files {
        let path = dir.join(rel);
        output::write_atomic(&path, &bytes)
            .map_err(|e| Diagnostic::error(format!("failed to write {} ({e})", display_path(&path))))?;
    }
    Ok(())
}

/// Whether a project input is a file Typst itself reads (an image or a bibliography).
fn is_typst_asset(input: &str) -> bool {
    !(input.starts_with("fonts/")
        || input.starts_with(&format!("{OVERRIDE_DIR}/"))
        || input.ends_with(".toml")
        || input.ends_with(".md"))
}

/// The main file: how it was made, the command that compiles it, and the template include.
fn main_typ(
    project: &Project,
    doc: &Planned,
    job: &crate::engine::Job,
    dir: &Path,
    builtin_font: bool,
) -> String {
    let rel = manifest::relative(&project.root, dir);
    let epoch = job.timestamp.timestamp();
    let mut s = String::new();
    let _ = writeln!(s, "// {}: ejected by leafpress {} (--emit typst).", doc.key, env!("CARGO_PKG_VERSION"));
    s += "// Compile it from the project folder with the Typst CLI (0.15):\n";
    let font_path = if builtin_font { format!("{rel}/_fonts") } else { "fonts".to_owned() };
    let _ = writeln!(
        s,
        "//   typst compile --root {rel} --font-path {font_path} --ignore-system-fonts \\\n\
         //     --creation-timestamp {epoch} --pdf-standard ua-1 {rel}/main.typ"
    );
    s += "// The content is data (_leafpress/data.json); the layout is in _leafpress/*.typ.\n";
    match job.arrange {
        Arrange::AsLaidOut => {}
        Arrange::SaddleStitch => {
            s += "// The Typst CLI writes the pages in reading order; leafpress imposes them two-up\n\
                  // for saddle stitching afterwards.\n";
        }
        Arrange::Trifold => {
            s += "// The Typst CLI writes three pages; leafpress lays the third (the back cover) over\n\
                  // the first afterwards, giving the two sides of the sheet.\n";
        }
    }
    let _ = writeln!(s, "\n#include \"{BUILTIN_DIR}/{}\"", job.template);
    s
}
