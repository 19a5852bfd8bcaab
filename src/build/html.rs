//! Writing one document of the HTML edition: the same data the templates get, written by
//! `crate::html` as one self-contained page beside the document's PDFs.

use std::time::Instant;

use super::BuildConfig;
use super::compile::{announce, document_data, entry};
use super::plan::{Planned, formats};
use crate::diag::{Diagnostic, Result, display_path};
use crate::engine::Engine;
use crate::html::page::{self, Assets};
use crate::html::references;
use crate::project::Project;
use crate::{manifest, output, report};

/// Writes the page of `doc` and returns its manifest entry.
pub fn write(
    config: &BuildConfig,
    project: &Project,
    engine: &Engine,
    doc: &Planned,
) -> Result<manifest::Entry> {
    let start = Instant::now();
    let data = document_data(config, project, doc);
    let root = &project.root;
    // Paths the content and the brand name are root-relative and were checked to stay in the
    // project when they were loaded; they are confined again here, as every read is.
    let read = |virtual_path: &str| {
        let path = root.join(virtual_path.trim_start_matches('/'));
        crate::project::assets::confine(root, &path).ok()?;
        std::fs::read(path).ok()
    };
    let refs = doc.bibliography.as_ref().map(|b| {
        let sections: Vec<&crate::content::model::Section> =
            data.sections.iter().map(|s| s.as_ref()).collect();
        let locale = crate::content::frontmatter::language_tag(data.lang, data.region);
        references::render(b, &locale, &data.lead, &sections)
    });
    // The PDFs this build makes of the same leaflet, in the folder beside the page.
    let pdfs: Vec<(String, String)> = formats(config, project)
        .into_iter()
        .filter_map(|f| Some((doc.labels.format(f)?.to_owned(), f.file_name())))
        .collect();
    // The brand's family, and Noto Naskh Arabic (built in) for Arabic, which few brand fonts
    // cover.
    let mut fonts = engine.font_faces(data.brand.font);
    if data.lang == "ar" {
        fonts.extend(engine.font_faces(crate::engine::fonts::ARABIC_FAMILY));
    }
    let assets = Assets { read: &read, fonts: &fonts, pdfs: &pdfs, references: refs.as_ref() };
    let html = page::write(&data, &assets);
    output::write_all_atomic(&[(doc.out.as_path(), html.as_bytes())])
        .map_err(|e| Diagnostic::error(format!("failed to write {} ({e})", display_path(&doc.out))))?;
    let time = start.elapsed();
    report::status(&format!(
        "wrote {} (HTML, {} KB, {:.2} s){}",
        display_path(&doc.out),
        html.len().div_ceil(1024),
        time.as_secs_f64(),
        doc.draft.map(|d| format!(" — DRAFT: {}", d.describe())).unwrap_or_default(),
    ));
    let entry = entry(project, doc, html.as_bytes(), 1, Vec::new());
    announce(doc, &entry, None, time);
    Ok(entry)
}
