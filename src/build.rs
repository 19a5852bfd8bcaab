//! `leafpress build`: load and validate everything, then compile the matrix in parallel and
//! write each PDF whole.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::cli::BuildArgs;
use crate::content::{self, Content, bibliography};
use crate::diag::Severity;
use crate::diag::{Diagnostic, Diagnostics, Result, Sink, display_path};
use crate::document;
use crate::engine::{Arrange, Engine, Job};
use crate::format::{self, Format};
use crate::labels::{self, Labels};
use crate::output;
use crate::project::{self, Project};
use crate::{fit, manifest, pdfpc, select, translation};

/// Build settings, resolved once from the command line.
#[derive(Debug, Clone)]
pub struct BuildConfig {
    /// Project folder.
    pub root: PathBuf,
    /// Output folder; `None` means `<root>/out`.
    pub out: Option<PathBuf>,
    /// Topics to build; empty means all.
    pub topics: Vec<String>,
    /// Languages to build; empty means all.
    pub langs: Vec<String>,
    /// Formats to build; empty means all.
    pub formats: Vec<Format>,
    /// Brands (ids) to build; empty means all.
    pub brands: Vec<String>,
    /// Whether system fonts are used.
    pub system_fonts: bool,
    /// Parallel documents; `None` means one per core.
    pub jobs: Option<usize>,
    /// `SOURCE_DATE_EPOCH`, if set.
    pub source_date_epoch: Option<i64>,
    /// Bleed in millimetres from the command line, overriding `[print] bleed`.
    pub bleed: Option<f64>,
    /// Crop marks from the command line, overriding `[print] crop-marks`.
    pub crop_marks: bool,
    /// Whether stale translations are errors rather than warnings.
    pub strict: bool,
    /// Which slice of the matrix to build: (k, n), 1-based; (1, 1) is everything.
    pub shard: (usize, usize),
}

impl BuildConfig {
    /// Resolves command-line arguments and the environment.
    pub fn from_args(args: BuildArgs) -> std::result::Result<Self, Diagnostic> {
        let source_date_epoch = match std::env::var("SOURCE_DATE_EPOCH") {
            Ok(v) if v.trim().is_empty() => None,
            Ok(v) => Some(v.trim().parse::<i64>().map_err(|_| {
                Diagnostic::error(format!("SOURCE_DATE_EPOCH `{v}` is not a number of seconds"))
                    .hint("set it to a Unix timestamp, e.g. SOURCE_DATE_EPOCH=$(git log -1 --format=%ct)")
            })?),
            Err(_) => None,
        };
        if let Some(b) = args.bleed
            && !(0.0..=5.0).contains(&b)
        {
            return Err(Diagnostic::error(format!("--bleed {b} is outside 0–5 mm"))
                .hint("printers usually ask for 3 mm of bleed"));
        }
        Ok(Self {
            root: args.project.root,
            out: args.out,
            topics: args.filter.topic,
            langs: args.filter.lang,
            formats: args.format,
            brands: args.brand,
            system_fonts: args.project.system_fonts,
            jobs: args.jobs,
            source_date_epoch,
            bleed: args.bleed,
            crop_marks: args.crop_marks,
            strict: false,
            shard: match args.shard.as_deref() {
                None => (1, 1),
                Some(s) => parse_shard(s)?,
            },
        })
    }

    /// The settings for `leafpress check`: every format of the selected content.
    pub fn for_check(args: crate::cli::CheckArgs) -> Self {
        Self {
            root: args.project.root,
            out: None,
            topics: args.filter.topic,
            langs: args.filter.lang,
            formats: Vec::new(),
            brands: Vec::new(),
            system_fonts: args.project.system_fonts,
            jobs: None,
            source_date_epoch: None,
            bleed: None,
            crop_marks: false,
            strict: args.strict,
            shard: (1, 1),
        }
    }
}

/// Parses `K/N` with 1 ≤ K ≤ N.
fn parse_shard(s: &str) -> std::result::Result<(usize, usize), Diagnostic> {
    let parsed = s.split_once('/').and_then(|(k, n)| Some((k.trim().parse().ok()?, n.trim().parse().ok()?)));
    match parsed {
        Some((k, n)) if k >= 1 && k <= n => Ok((k, n)),
        _ => Err(Diagnostic::error(format!("--shard `{s}` is not K/N with 1 ≤ K ≤ N")).hint(
            "e.g. --shard 2/4 builds the second of four slices; together the slices build everything once",
        )),
    }
}

/// Whether `id` passes a filter (`wanted` empty means everything).
fn wanted(wanted: &[String], id: &str) -> bool {
    wanted.is_empty() || wanted.iter().any(|w| w == id)
}

/// One document of the matrix, loaded and ready to compile.
struct Planned {
    /// Topic id.
    topic: String,
    /// Index of the brand in the project's brands.
    brand: usize,
    /// The sections this format shows (checked against the layout while planning).
    chosen: select::Chosen,
    /// Format.
    format: Format,
    /// Parsed content, shared by the formats of one language.
    content: Arc<Content>,
    /// Labels in the content's language.
    labels: Arc<Labels>,
    /// Root-relative bibliography path.
    bibliography: Option<String>,
    /// The content file.
    source: PathBuf,
    /// Where the PDF goes.
    out: PathBuf,
}

/// A document that was written.
#[derive(Debug, Clone)]
pub struct Written {
    /// The file.
    pub path: PathBuf,
    /// Compile and export time.
    pub time: Duration,
    /// What it is: its manifest entry (pages, bytes, hash, inputs).
    pub entry: manifest::Entry,
}

/// Runs a build; diagnostics (warnings and errors) are printed as they are found.
pub fn run(config: &BuildConfig) -> Result<Vec<Written>> {
    let start = Instant::now();
    let project = project::open(&config.root)?;
    let mut plan = plan(config, &project)?;
    let (k, n) = config.shard;
    if n > 1 {
        // A deterministic slice: every n-th document of the matrix, starting at the k-th.
        plan = plan.into_iter().enumerate().filter(|(i, _)| i % n == k - 1).map(|(_, d)| d).collect();
    }

    let engine = Engine::new(&project.root, config.system_fonts);
    for brand in project.config.brands.iter().filter(|b| wanted(&config.brands, &b.id)) {
        let family = &brand.font;
        if !engine.has_family(family) {
            return Err(brand
                .font_origin
                .error(format!("font family `{family}` not found"))
                .hint(format!("available: {}; put font files in fonts/", engine.families().join(", ")))
                .into());
        }
    }

    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(config.jobs.unwrap_or(0))
        .build()
        .map_err(|e| Diagnostic::error(format!("failed to start worker threads ({e})")))?;
    // Compile in chunks and trim Typst's caches after each, so memory stays bounded however
    // large the matrix (as typst-cli's watch mode does between compilations).
    let chunk = 4 * pool.current_num_threads().max(1);
    let mut results: Vec<Result<Written>> = Vec::with_capacity(plan.len());
    for part in plan.chunks(chunk) {
        results.extend(pool.install(|| {
            part.par_iter().map(|doc| compile_and_write(config, &project, &engine, doc)).collect::<Vec<_>>()
        }));
        typst::comemo::evict(3);
    }

    let mut sink = Sink::default();
    let mut written = Vec::new();
    for result in results {
        match result {
            Ok(w) => written.push(w),
            Err(e) => sink.extend(e),
        }
    }
    typst::comemo::evict(10);
    if !written.is_empty() {
        let out = config.out.clone().unwrap_or_else(|| project.root.join("out"));
        let documents = written.iter().map(|w| w.entry.clone()).collect();
        let m = manifest::Manifest {
            generator: format!("leafpress {}", env!("CARGO_PKG_VERSION")),
            shard: format!("{k}/{n}"),
            documents,
        };
        sink.take(manifest::write(&out, &m));
    }
    sink.finish()?;
    let n = written.len();
    eprintln!(
        "built {n} document{} in {:.2} s",
        if n == 1 { "" } else { "s" },
        start.elapsed().as_secs_f64()
    );
    Ok(written)
}

/// `leafpress check`: validates what `build` would build, without compiling; prints a
/// summary and fails if anything is wrong.
pub fn check(config: &BuildConfig) -> Result<()> {
    let start = Instant::now();
    let project = project::open(&config.root)?;
    let plan = plan(config, &project)?;
    let docs: BTreeSet<(&str, &str)> =
        plan.iter().map(|d| (d.topic.as_str(), d.content.front.lang.as_str())).collect();
    eprintln!(
        "checked {} content file{} ({} documents) in {:.2} s: no errors",
        docs.len(),
        if docs.len() == 1 { "" } else { "s" },
        plan.len(),
        start.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Selects the matrix and loads every content file it needs, reporting all problems at once.
fn plan(config: &BuildConfig, project: &Project) -> Result<Vec<Planned>> {
    let mut sink = Sink::default();
    for wanted in &config.topics {
        if !project.topics.iter().any(|t| &t.id == wanted) {
            let known: Vec<_> = project.topics.iter().map(|t| t.id.as_str()).collect();
            sink.push(
                Diagnostic::error(format!("no topic `{wanted}`"))
                    .hint(format!("topics: {}", known.join(", "))),
            );
        }
    }
    for wanted in &config.brands {
        if !project.config.brands.iter().any(|b| &b.id == wanted) {
            let known: Vec<_> = project.config.brands.iter().map(|b| b.id.as_str()).collect();
            sink.push(
                Diagnostic::error(format!("no brand `{wanted}`"))
                    .hint(format!("brands: {}", known.join(", "))),
            );
        }
    }
    let formats: Vec<Format> =
        if config.formats.is_empty() { format::ALL.to_vec() } else { config.formats.clone() };
    let out_root = config.out.clone().unwrap_or_else(|| project.root.join("out"));
    let mut plan = Vec::new();
    for topic in &project.topics {
        if !config.topics.is_empty() && !config.topics.contains(&topic.id) {
            continue;
        }
        let bib = match &topic.bibliography {
            Some(path) => {
                let vpath = project::assets::virtual_path(&project.root, path);
                // Without a readable bibliography every citation would be reported as
                // unknown: report the bibliography alone.
                match sink.take(bibliography::load(&project.root, path, vpath)) {
                    Some(b) => Some(b),
                    None => continue,
                }
            }
            None => None,
        };
        // The source language's content, for checking translations against it.
        let source_lang = project.config.source_language.as_deref();
        let source = topic
            .languages
            .iter()
            .find(|(l, _)| Some(l.as_str()) == source_lang)
            .and_then(|(_, p)| sink.take(content::load(&project.root, p, bib.as_ref())));
        // The layout's section choices are the same for every language and brand (parity
        // keeps the ids equal): report problems with them once per topic.
        let mut choices_reported = false;
        for (lang, path) in &topic.languages {
            if !config.langs.is_empty() && !config.langs.contains(lang) {
                continue;
            }
            let labels =
                sink.take(labels::for_lang(&project.root, lang).map_err(|e| locate_at_file(e, path)));
            let content = if Some(lang.as_str()) == source_lang {
                source.clone()
            } else {
                sink.take(content::load(&project.root, path, bib.as_ref()))
            };
            let Some(content) = content else { continue };
            if let Some(source) = &source
                && Some(lang.as_str()) != source_lang
            {
                translation::parity::check(source, &content, &mut sink);
                let severity = if config.strict { Severity::Error } else { Severity::Warning };
                translation::stale::check(source, &content, severity, &mut sink);
            }
            let Some(labels) = labels else { continue };
            let labels = Arc::new(labels);
            let several = project.config.brands.len() > 1;
            let mut first = true;
            for (b, brand) in project.config.brands.iter().enumerate() {
                if !wanted(&config.brands, &brand.id) {
                    continue;
                }
                let report = std::mem::replace(&mut first, false) && !choices_reported;
                let values = content::vars::Values::new(brand, lang);
                let Some(content) = sink.take(content::vars::resolve(&content, &values)) else { continue };
                let content = Arc::new(content);
                let dir = if several { out_root.join(&brand.id) } else { out_root.clone() };
                for &format in &formats {
                    // Choices are per format, not per brand: report them once.
                    let choice = select::select(&project.config.layout, format, &content, path);
                    let chosen = match choice {
                        Ok(s) => select::Chosen::of(&content, &s),
                        Err(e) => {
                            if report {
                                sink.extend(e);
                            }
                            continue;
                        }
                    };
                    plan.push(Planned {
                        topic: topic.id.clone(),
                        brand: b,
                        format,
                        chosen,
                        content: Arc::clone(&content),
                        labels: Arc::clone(&labels),
                        bibliography: bib.as_ref().map(|b| b.virtual_path.clone()),
                        source: path.clone(),
                        out: dir.join(&topic.id).join(lang).join(format!("{}.pdf", format.name())),
                    });
                }
                choices_reported |= report;
            }
        }
    }
    if plan.is_empty() && !sink.has_errors() {
        let langs: BTreeSet<&str> =
            project.topics.iter().flat_map(|t| t.languages.iter().map(|(l, _)| l.as_str())).collect();
        sink.push(
            Diagnostic::error("nothing to build: no content matches the filters").hint(format!(
                "languages with content: {}",
                langs.into_iter().collect::<Vec<_>>().join(", ")
            )),
        );
    }
    for d in sink.finish()? {
        crate::diag::emit(&[d]);
    }
    Ok(plan)
}

/// The project files a document is built from, relative to the project folder, sorted.
fn inputs(project: &Project, brand: &crate::project::brand::Brand, doc: &Planned) -> Vec<String> {
    let root = &project.root;
    let mut files = BTreeSet::new();
    let rel = |p: &std::path::Path| manifest::relative(root, p);
    files.insert(crate::project::config::CONFIG_FILE.to_owned());
    files.insert(rel(&brand.font_origin.path));
    files.insert(rel(&doc.source));
    files.insert(brand.logo.virtual_path.trim_start_matches('/').to_owned());
    if let Some(b) = &doc.bibliography {
        files.insert(b.trim_start_matches('/').to_owned());
    }
    let body = &doc.content.body;
    let mut figures = Vec::new();
    collect_figures(&body.lead, &mut figures);
    for s in &body.sections {
        collect_figures(&s.blocks, &mut figures);
    }
    files.extend(figures.into_iter().map(|f| f.trim_start_matches('/').to_owned()));
    let labels = root.join(labels::LABELS_DIR).join(format!("{}.toml", doc.content.front.lang));
    if labels.is_file() {
        files.insert(rel(&labels));
    }
    // Project fonts and template overrides apply to every document.
    for (dir, kinds) in
        [("fonts", ["ttf", "otf", "ttc", "otc"].as_slice()), ("templates", ["typ"].as_slice())]
    {
        if let Ok(entries) = std::fs::read_dir(root.join(dir)) {
            let ours = |p: &std::path::PathBuf| {
                p.is_file() && p.extension().and_then(|e| e.to_str()).is_some_and(|e| kinds.contains(&e))
            };
            files.extend(entries.flatten().map(|e| e.path()).filter(ours).map(|p| rel(&p)));
        }
    }
    files.into_iter().collect()
}

/// The image paths of every figure in `blocks`.
fn collect_figures(blocks: &[crate::content::model::Block], out: &mut Vec<String>) {
    use crate::content::model::Block;
    for b in blocks {
        match b {
            Block::Figure { src, .. } => out.push(src.clone()),
            Block::List { items, .. } => items.iter().for_each(|i| collect_figures(i, out)),
            Block::Quote { blocks } | Block::Callout { blocks, .. } => collect_figures(blocks, out),
            _ => {}
        }
    }
}

/// Points a diagnostic without location at the start of `path`.
fn locate_at_file(mut e: Diagnostics, path: &std::path::Path) -> Diagnostics {
    for d in &mut e.0 {
        if d.location.is_none() {
            d.message = format!("{} ({})", d.message, display_path(path));
        }
    }
    e
}

/// Compiles one document and writes it; prints one line.
fn compile_and_write(
    config: &BuildConfig,
    project: &Project,
    engine: &Engine,
    doc: &Planned,
) -> Result<Written> {
    let start = Instant::now();
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
    let job = Job {
        template: doc.format.template(),
        data: json,
        ident: format!("leafpress/{}/{}/{}/{}", brand.id, doc.topic, doc.content.front.lang, doc.format),
        timestamp: document::timestamp(&doc.content, config.source_date_epoch),
        arrange: match doc.format {
            Format::BookletImposed => Arrange::SaddleStitch,
            Format::Trifold => Arrange::Trifold,
            _ => Arrange::AsLaidOut,
        },
    };
    let output = engine.compile(job)?;
    crate::diag::emit(&output.warnings);
    let report = fit::check(&output.markers, doc.format, &doc.content.front.lang, &doc.source)?;
    let presenter = match doc.format {
        Format::Slides => Some(pdfpc::write(&output.markers, &doc.content, output.pages).map_err(|e| {
            Diagnostic::error(format!(
                "failed to prepare presenter notes for {} ({e})",
                display_path(&doc.source)
            ))
        })?),
        _ => None,
    };
    output::write_atomic(&doc.out, &output.pdf)
        .map_err(|e| Diagnostic::error(format!("failed to write {} ({e})", display_path(&doc.out))))?;
    let notes_path = doc.out.with_extension("pdfpc");
    if let Some(notes) = &presenter {
        output::write_atomic(&notes_path, notes.as_bytes())
            .map_err(|e| Diagnostic::error(format!("failed to write {} ({e})", display_path(&notes_path))))?;
    }
    let time = start.elapsed();
    let (w, h) = output.page_size;
    eprintln!(
        "wrote {} ({} page{}, {:.0} × {:.0} mm, {} KB{}, {:.2} s)",
        display_path(&doc.out),
        output.pages,
        if output.pages == 1 { "" } else { "s" },
        w / 72.0 * 25.4,
        h / 72.0 * 25.4,
        output.pdf.len().div_ceil(1024),
        report.map(|r| format!(", {r}")).unwrap_or_default(),
        time.as_secs_f64()
    );
    if presenter.is_some() {
        eprintln!("wrote {} (presenter notes for pdfpc)", display_path(&notes_path));
    }
    let out_root = config.out.clone().unwrap_or_else(|| project.root.join("out"));
    let entry = manifest::Entry {
        topic: doc.topic.clone(),
        brand: brand.id.clone(),
        lang: doc.content.front.lang.clone(),
        format: doc.format.name().to_owned(),
        path: manifest::relative(&out_root, &doc.out),
        extra: if presenter.is_some() { vec![manifest::relative(&out_root, &notes_path)] } else { vec![] },
        pages: output.pages,
        bytes: output.pdf.len(),
        sha256: manifest::sha256(&output.pdf),
        inputs: inputs(project, brand, doc),
    };
    Ok(Written { path: doc.out.clone(), time, entry })
}
