//! Compiling one planned document: its data for Typst, then the PDF (with presenter notes and
//! page previews) written whole, and its manifest entry.

use std::path::{Path, PathBuf};
use std::time::Instant;

use serde_json::json;

use super::BuildConfig;
use super::plan::Planned;
use crate::diag::{Diagnostic, Result, display_path};
use crate::engine::{Arrange, Engine, Job};
use crate::format::Format;
use crate::project::Project;
use crate::{document, fit, manifest, output, pdfpc, preview, report};

/// The data a document is made from, as the templates (and the HTML edition) read it.
pub fn document_data<'a>(
    config: &BuildConfig,
    project: &'a Project,
    doc: &'a Planned,
) -> document::DocumentData<'a> {
    let selection = doc.chosen.selection(&doc.content);
    let mut print = project.config.layout.print;
    if let Some(bleed) = config.bleed {
        print.bleed_mm = bleed;
    }
    print.crop_marks |= config.crop_marks;
    let sources = document::Sources {
        config: &project.config,
        brand: &project.config.brands[doc.brand],
        topic: &doc.topic,
        content: &doc.content,
        labels: &doc.labels,
        bibliography: doc.bibliography.as_ref().map(|b| b.virtual_path.as_str()),
        draft: doc.draft,
    };
    document::assemble(sources, doc.format, selection, print)
}

/// The Typst job for a document: template, data and PDF settings.
pub fn job(config: &BuildConfig, project: &Project, doc: &Planned) -> Result<Job> {
    let brand = &project.config.brands[doc.brand];
    let template = doc.format.template().ok_or_else(|| {
        Diagnostic::error(format!("{} is not a Typst document", doc.format))
            .hint("leafpress writes it itself")
    })?;
    let data = document_data(config, project, doc);
    let rtl = data.rtl;
    let failed = |e: serde_json::Error| Diagnostic::error(format!("failed to prepare document data ({e})"));
    let json = serde_json::to_vec(&data).map_err(failed)?;
    let mut side_files = data.practice().files().map_err(failed)?;
    side_files.push(("meta.json", serde_json::to_vec(&data.meta).map_err(failed)?));
    Ok(Job {
        key: doc.key.clone(),
        template,
        data: json,
        side_files,
        ident: format!("leafpress/{}/{}/{}/{}", brand.id, doc.topic, doc.content.front.lang, doc.format),
        timestamp: document::timestamp(&doc.content, config.source_date_epoch),
        arrange: match doc.format {
            Format::BookletImposed => Arrange::SaddleStitch,
            Format::Trifold => Arrange::Trifold,
            _ => Arrange::AsLaidOut,
        },
        preview: config.preview,
        bibliography: doc
            .bibliography
            .as_ref()
            .filter(|b| b.virtual_path == crate::deck::assemble::MERGED_BIBLIOGRAPHY)
            .map(|b| b.text.as_bytes().to_vec()),
        rtl,
        seed: format!("{}\n{}\n{template}\n{}", brand.id, doc.source.display(), doc.format.layout_format()),
    })
}

/// Compiles one document and writes it, with its presenter notes and previews; reports one
/// line (or event).
pub fn compile_and_write(
    config: &BuildConfig,
    project: &Project,
    engine: &Engine,
    doc: &Planned,
) -> Result<manifest::Entry> {
    use crate::timings::{Stage, time};
    let key = Some(doc.key.as_str());
    if !doc.format.is_pdf() {
        return time(Stage::Write, key, || super::html::write(config, project, engine, doc));
    }
    let start = Instant::now();
    let job = time(Stage::Prepare, key, || job(config, project, doc))?;
    let override_path = project.root.join(crate::engine::loader::OVERRIDE_DIR).join(job.template);
    let overridden = override_path.is_file();
    let template =
        if overridden { format!("templates/{}", job.template) } else { format!("built-in {}", job.template) };
    let compiling = crate::limits::Compiling::start(&doc.key, &template);
    // An error Typst cannot place (an export check, say) belongs to the project's own
    // template if it has one, else to the document's content.
    let owner = if overridden { override_path } else { doc.source.clone() };
    let output = engine.compile(job).map_err(|mut errors| {
        for e in errors.0.iter_mut().filter(|e| e.location.is_none() && e.file.is_none()) {
            e.file = Some(owner.clone());
        }
        errors
    })?;
    drop(compiling);
    crate::diag::emit(&output.warnings);
    let post = crate::timings::begin(Stage::Post, key);
    let source = overflow_source(project, doc, &output.markers);
    let fitted = fit::check(&output.markers, doc.format, &doc.content.front.lang, &source)?;
    crate::diag::emit(&fit::warnings(&output.markers, &doc.source));
    let presenter = match doc.format {
        Format::Slides => Some(
            pdfpc::write(&output.markers, &doc.content, output.pages, &notes_cite(doc)).map_err(|e| {
                Diagnostic::error(format!(
                    "failed to prepare presenter notes for {} ({e})",
                    display_path(&doc.source)
                ))
            })?,
        ),
        _ => None,
    };
    drop(post);
    // The PDF and its side files are replaced together or not at all.
    let out_root = config.out_root(&project.root);
    let mut side: Vec<(PathBuf, &[u8])> = Vec::new();
    if let Some(notes) = &presenter {
        side.push((doc.out.with_extension("pdfpc"), notes.as_bytes()));
    }
    for (i, png) in output.previews.iter().enumerate() {
        side.push((preview::page_path(&out_root, &doc.key, i + 1), png));
    }
    let files: Vec<(&Path, &[u8])> = std::iter::once((doc.out.as_path(), output.pdf.as_slice()))
        .chain(side.iter().map(|(p, b)| (p.as_path(), *b)))
        .collect();
    time(Stage::Write, key, || output::write_all_atomic(&files)).map_err(|e| {
        Diagnostic::error(format!("failed to write {} or a file beside it ({e})", display_path(&doc.out)))
    })?;
    let extra: Vec<String> = side.iter().map(|(p, _)| manifest::relative(&out_root, p)).collect();
    if !output.previews.is_empty() {
        // Pages a longer earlier version had: their images would be stale.
        let mut n = output.previews.len() + 1;
        while std::fs::remove_file(preview::page_path(&out_root, &doc.key, n)).is_ok() {
            n += 1;
        }
    }
    let time = start.elapsed();
    let (w, h) = (output.page_size.0 / 72.0 * 25.4, output.page_size.1 / 72.0 * 25.4);
    let plural = if output.pages == 1 { "" } else { "s" };
    report::status(&format!(
        "wrote {} ({} page{plural}, {w:.0} × {h:.0} mm, {} KB{}, {:.2} s){}",
        display_path(&doc.out),
        output.pages,
        output.pdf.len().div_ceil(1024),
        fitted.as_ref().map(|r| format!(", {r}")).unwrap_or_default(),
        time.as_secs_f64(),
        doc.draft.map(|d| format!(" — DRAFT: {}", d.describe())).unwrap_or_default(),
    ));
    let entry = entry(project, doc, &output.pdf, output.pages, extra);
    announce(doc, &entry, fitted.as_deref(), time);
    Ok(entry)
}

/// The file an overflow's text comes from: the document's content file, or for a deck slide
/// that shows an included section (`topic.section`), that topic's file in the deck's language.
fn overflow_source(project: &Project, doc: &Planned, markers: &[crate::engine::Marker]) -> PathBuf {
    let included = markers.iter().find_map(|m| {
        let place = m.value.get("place")?.as_str()?;
        let section = place.split("of section `").nth(1)?.split('`').next()?;
        let (topic, _) = section.split_once('.')?;
        project.topics.iter().find(|t| t.id == topic)
    });
    match included {
        Some(topic) if doc.content.deck.is_some() => {
            let lang = &doc.content.front.lang;
            topic
                .languages
                .iter()
                .find(|(l, _)| l == lang)
                .map_or_else(|| doc.source.clone(), |(_, p)| p.clone())
        }
        _ => doc.source.clone(),
    }
}

/// A written document's manifest entry.
pub(super) fn entry(
    project: &Project,
    doc: &Planned,
    bytes: &[u8],
    pages: usize,
    extra: Vec<String>,
) -> manifest::Entry {
    manifest::Entry {
        topic: doc.topic.clone(),
        title: doc.content.front.title.clone(),
        brand: project.config.brands[doc.brand].id.clone(),
        lang: doc.content.front.lang.clone(),
        format: doc.format.name().to_owned(),
        path: doc.key.clone(),
        extra,
        pages,
        bytes: bytes.len(),
        sha256: manifest::sha256(bytes),
        inputs: doc.inputs.clone(),
        version: doc.content.front.version.clone(),
        review_by: doc.content.front.review_by.to_string(),
        translation: doc.translation,
        draft: doc.draft,
    }
}

/// The `document` event of `--json` progress.
pub(super) fn announce(
    doc: &Planned,
    entry: &manifest::Entry,
    fitted: Option<&str>,
    time: std::time::Duration,
) {
    report::event(
        "document",
        json!({
            "path": display_path(&doc.out),
            "key": doc.key,
            "topic": entry.topic,
            "brand": entry.brand,
            "lang": entry.lang,
            "format": entry.format,
            "pages": entry.pages,
            "bytes": entry.bytes,
            "sha256": entry.sha256,
            "fit": fitted,
            "ms": (time.as_secs_f64() * 1000.0).round(),
        }),
    );
}

/// Citations for the presenter notes, as the slides print them: author and year in APA.
fn notes_cite(doc: &Planned) -> impl Fn(&[String], crate::content::model::CiteForm) -> Option<String> {
    let body = &doc.content.body;
    let sections: Vec<&crate::content::model::Section> = body.sections.iter().collect();
    let front = &doc.content.front;
    let locale = crate::content::frontmatter::language_tag(&front.lang, front.region.as_deref());
    let refs =
        doc.bibliography.as_ref().map(|b| crate::html::references::render(b, &locale, &body.lead, &sections));
    move |keys: &[String], form| {
        let html = refs.as_ref()?.citations.get(&(keys.to_vec(), form))?;
        Some(crate::html::text::unescape_text(html))
    }
}
