//! Compiling one planned document: its data for Typst, then the PDF (with presenter notes and
//! page previews) written whole, and its manifest entry.

use std::path::Path;
use std::time::Instant;

use serde_json::json;

use super::BuildConfig;
use super::plan::Planned;
use crate::diag::{Diagnostic, Result, display_path};
use crate::engine::{Arrange, Engine, Job};
use crate::format::Format;
use crate::project::Project;
use crate::{document, fit, manifest, output, pdfpc, preview, report};

/// The Typst job for a document: template, data and PDF settings.
pub fn job(config: &BuildConfig, project: &Project, doc: &Planned) -> Result<Job> {
    let selection = doc.chosen.selection(&doc.content);
    let mut print = project.config.layout.print;
    if let Some(bleed) = config.bleed {
        print.bleed_mm = bleed;
    }
    print.crop_marks |= config.crop_marks;
    let brand = &project.config.brands[doc.brand];
    let sources = document::Sources {
        config: &project.config,
        brand,
        content: &doc.content,
        labels: &doc.labels,
        bibliography: doc.bibliography.as_deref(),
    };
    let data = document::assemble(sources, doc.format, selection, print);
    let json = serde_json::to_vec(&data)
        .map_err(|e| Diagnostic::error(format!("failed to prepare document data ({e})")))?;
    Ok(Job {
        template: doc.format.template(),
        data: json,
        ident: format!("leafpress/{}/{}/{}/{}", brand.id, doc.topic, doc.content.front.lang, doc.format),
        timestamp: document::timestamp(&doc.content, config.source_date_epoch),
        arrange: match doc.format {
            Format::BookletImposed => Arrange::SaddleStitch,
            Format::Trifold => Arrange::Trifold,
            _ => Arrange::AsLaidOut,
        },
        preview: config.preview,
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
    let start = Instant::now();
    let output = engine.compile(job(config, project, doc)?)?;
    crate::diag::emit(&output.warnings);
    let fitted = fit::check(&output.markers, doc.format, &doc.content.front.lang, &doc.source)?;
    let presenter = match doc.format {
        Format::Slides => Some(pdfpc::write(&output.markers, &doc.content, output.pages).map_err(|e| {
            Diagnostic::error(format!(
                "failed to prepare presenter notes for {} ({e})",
                display_path(&doc.source)
            ))
        })?),
        _ => None,
    };
    write(&doc.out, &output.pdf)?;
    let out_root = config.out_root(&project.root);
    let mut extra = Vec::new();
    if let Some(notes) = &presenter {
        let path = doc.out.with_extension("pdfpc");
        write(&path, notes.as_bytes())?;
        extra.push(manifest::relative(&out_root, &path));
    }
    for (i, png) in output.previews.iter().enumerate() {
        let path = preview::page_path(&out_root, &doc.key, i + 1);
        write(&path, png)?;
        extra.push(manifest::relative(&out_root, &path));
    }
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
        "wrote {} ({} page{plural}, {w:.0} × {h:.0} mm, {} KB{}, {:.2} s)",
        display_path(&doc.out),
        output.pages,
        output.pdf.len().div_ceil(1024),
        fitted.as_ref().map(|r| format!(", {r}")).unwrap_or_default(),
        time.as_secs_f64()
    ));
    let brand = &project.config.brands[doc.brand];
    let entry = manifest::Entry {
        topic: doc.topic.clone(),
        title: doc.content.front.title.clone(),
        brand: brand.id.clone(),
        lang: doc.content.front.lang.clone(),
        format: doc.format.name().to_owned(),
        path: doc.key.clone(),
        extra,
        pages: output.pages,
        bytes: output.pdf.len(),
        sha256: manifest::sha256(&output.pdf),
        inputs: doc.inputs.clone(),
    };
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
    Ok(entry)
}

/// Writes one output file whole.
fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    output::write_atomic(path, bytes)
        .map_err(|e| Diagnostic::error(format!("failed to write {} ({e})", display_path(path))).into())
}
